import AdapterKit
import CustomsXML
import Mapping
import SecureXML
import Synchronization

/// Validates rendered XML filings against the XSDs in `Schemas/xml`, by the schema names of
/// `XMLSchemaCatalog`. Each schema set is read and compiled on first use, then kept.
public final class XSDValidator: MessageValidator, Sendable {
    private let root: ContentRoot
    private let compiled = Mutex<[String: XMLSchemaSet]>([:])

    public init(root: ContentRoot) { self.root = root }

    public var format: MappingSpec.Format { .xml }

    public func knows(_ schema: String) -> Bool { XMLSchemaCatalog.named(schema) != nil }

    public func validate(_ body: [UInt8], schema: String) throws -> [String] {
        try set(schema).validate(body).map(\.description)
    }

    private func set(_ name: String) throws -> XMLSchemaSet {
        if let cached = compiled.withLock({ $0[name] }) { return cached }
        guard let entry = XMLSchemaCatalog.named(name) else { throw ContentError.notFound("no XML schema named \(name)") }
        let files = try root.fileContents(under: "Schemas/xml/\(entry.folder)").mapValues { [UInt8]($0) }
        let set = try XMLSchemaSet(files: files, entry: entry.entry)
        compiled.withLock { $0[name] = set }
        return set
    }
}
