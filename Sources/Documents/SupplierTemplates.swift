import DocumentExtraction
import Foundation

/// Reads the supplier templates of a folder (`Data/documents/templates/*.yaml`) at start.
public enum SupplierTemplates {
    /// Where the templates live under the content root.
    public static let folder = "Data/documents/templates"

    /// Every `*.yaml` (or `*.yml`) in the folder, checked; a missing folder is no templates. An
    /// unreadable or bad file is an error that names the file (relative to the content root), the
    /// line and the field. A `*.json` file is refused rather than skipped: templates were JSON
    /// before, and a template that silently stopped applying would read that supplier wrongly.
    public static func load(root: URL) throws(SupplierTemplateError) -> [SupplierTemplate] {
        let dir = root.appendingPathComponent(folder, isDirectory: true)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw SupplierTemplateError(file: folder, line: 0, field: "(folder)", message: "cannot be listed: \(error.localizedDescription)")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            if name.hasSuffix(".json") {
                throw SupplierTemplateError(file: path, line: 0, field: "(file)",
                                            message: "supplier templates are YAML now: rename it to .yaml (JSON is valid YAML) or rewrite it in YAML")
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            let url = dir.appendingPathComponent(name)
            // Checked before reading, so a huge file costs nothing; the YAML layer checks again.
            if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > SupplierTemplate.maxFileBytes {
                throw SupplierTemplateError(file: path, line: 0, field: "(file)", message: "is \(size) bytes, over the \(SupplierTemplate.maxFileBytes)-byte limit")
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw SupplierTemplateError(file: path, line: 0, field: "(file)", message: "cannot be read")
            }
            files.append((path, Array(data)))
        }
        return try SupplierTemplate.loadAll(files)
    }
}
