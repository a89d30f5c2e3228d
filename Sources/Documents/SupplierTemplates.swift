import DocumentExtraction
import Foundation

/// Reads the supplier templates of a folder (`Data/documents/templates/*.yaml`) at start, and the
/// templates learned from reviewers' corrections (`documents/templates/*.yaml` in the data folder).
public enum SupplierTemplates {
    /// Where the templates live under the content root.
    public static let folder = "Data/documents/templates"
    /// Where learned templates live under the data folder (`CUSTOMS_HUB_DATA`): never in the
    /// repository, since they are the hub's own writing about its users' suppliers.
    public static let learnedFolder = "documents/templates"

    /// Every `*.yaml` (or `*.yml`) in the folder, checked; a missing folder is no templates. An
    /// unreadable or bad file is an error that names the file (relative to the content root), the
    /// line and the field. A `*.json` file is refused rather than skipped: templates were JSON
    /// before, and a template that silently stopped applying would read that supplier wrongly.
    public static func load(root: URL) throws(SupplierTemplateError) -> [SupplierTemplate] {
        try SupplierTemplate.loadAll(files(root.appendingPathComponent(folder, isDirectory: true), named: folder))
    }

    /// The shipped templates and the learned ones in `learned` (a folder; missing is none), learned
    /// first (see `SupplierTemplate.combine`). Learned files are checked exactly as the shipped
    /// ones; an error names the learned file by its path.
    public static func load(root: URL, learned: URL?) throws(SupplierTemplateError) -> [SupplierTemplate] {
        let shipped = try load(root: root)
        guard let learned else { return shipped }
        var mine: [SupplierTemplate] = []
        for f in try files(learned, named: learned.path) { mine.append(try SupplierTemplate.load(f.bytes, source: f.name)) }
        return try SupplierTemplate.combine(learned: mine, shipped: shipped)
    }

    /// The learned file of a supplier: `learned-` and the name in lower-case letters and digits.
    public static func learnedFileName(_ supplier: String) -> String {
        let folded = supplier.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var slug = ""
        for ch in folded.unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) { slug.unicodeScalars.append(ch) } else if !slug.hasSuffix("-") { slug += "-" }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
        return "learned-\(slug.isEmpty ? "supplier" : slug).yaml"
    }

    /// Writes a learned template (whole file, replacing any earlier one) into `folder`, creating it.
    public static func write(_ yaml: String, name: String, into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(yaml.utf8).write(to: url, options: .atomic)
        return url
    }

    /// The `*.yaml` / `*.yml` files of a folder in name order, each named `label/NAME`.
    static func files(_ dir: URL, named label: String) throws(SupplierTemplateError) -> [(name: String, bytes: [UInt8])] {
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir.path) } catch {
            throw SupplierTemplateError(file: label, line: 0, field: "(folder)", message: "cannot be listed: \(error.localizedDescription)")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = "\(label)/\(name)"
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
        return files
    }
}
