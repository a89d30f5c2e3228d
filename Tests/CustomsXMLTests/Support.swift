import ChildProcess
import CustomsModel
import CustomsXML
import Foundation
import SecureXML

typealias Repo = RepoFiles

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
