import DocumentExtraction
import Foundation

/// Reads the supplier templates of a folder (`Data/documents/templates/*.json`) at start.
public enum SupplierTemplates {
    /// Where the templates live under the content root.
    public static let folder = "Data/documents/templates"

    /// Every `*.json` in the folder, checked; a missing folder is no templates. An unreadable or bad
    /// file is an error that names the file (relative to the content root) and the field.
    public static func load(root: URL) throws(SupplierTemplateError) -> [SupplierTemplate] {
        let dir = root.appendingPathComponent(folder, isDirectory: true)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw SupplierTemplateError(file: folder, field: "(folder)", message: "cannot be listed: \(error.localizedDescription)")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else {
                throw SupplierTemplateError(file: "\(folder)/\(name)", field: "(file)", message: "cannot be read")
            }
            files.append(("\(folder)/\(name)", Array(data)))
        }
        return try SupplierTemplate.loadAll(files)
    }
}
