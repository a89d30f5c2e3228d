import CustomsModel
import CustomsXML
import Foundation
import SecureXML

/// Repo files, found relative to this test file.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func files(under relative: String) throws -> [String: [UInt8]] {
        let base = root.appendingPathComponent(relative).standardizedFileURL
        var out: [String: [UInt8]] = [:]
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            out[String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))] = [UInt8](try Data(contentsOf: url))
        }
        return out
    }
}

enum Schemas {
    static let cache = SchemaCache()

    static func named(_ name: String) throws -> XMLSchemaSet { try cache.get(name) }
}

/// Compiles each catalog schema once per test process.
final class SchemaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: XMLSchemaSet] = [:]

    func get(_ name: String) throws -> XMLSchemaSet {
        lock.lock()
        defer { lock.unlock() }
        if let s = compiled[name] { return s }
        guard let entry = XMLSchemaCatalog.named(name) else { throw XMLError(.schema, "no schema \(name)") }
        let s = try XMLSchemaSet(files: try Repo.files(under: "Schemas/xml/\(entry.folder)"), entry: entry.entry)
        compiled[name] = s
        return s
    }
}
