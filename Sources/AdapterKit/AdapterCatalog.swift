import CustomsModel
import Foundation
import JSONCore
import Mapping

/// All adapters, mappings and schemas of a deployment, checked together.
public struct AdapterCatalog: Sendable {
    public var adapters: [String: AdapterDefinition]
    /// Mappings by their path under `Mappings/` (as adapters reference them).
    public var mappings: [String: MappingSpec]
    /// JSON Schemas by file name under `Schemas/`.
    public var schemas: [String: JSONValue] {
        didSet { compiledSchemas = Self.compile(schemas) }
    }
    /// The same schemas compiled once (patterns, references), so a render only validates.
    var compiledSchemas: [String: Result<JSONSchema, SchemaError>]
    public var writers: [MappingSpec.Format: any MessageWriter]
    public var readers: [MappingSpec.Format: any MessageReader]
    public var validators: [MappingSpec.Format: any MessageValidator]

    public init(
        adapters: [String: AdapterDefinition], mappings: [String: MappingSpec], schemas: [String: JSONValue],
        writers: [any MessageWriter] = [JSONMessageWriter()], readers: [any MessageReader] = [JSONMessageReader()],
        validators: [any MessageValidator] = []
    ) {
        self.validators = Dictionary(validators.map { ($0.format, $0) }, uniquingKeysWith: { a, _ in a })
        self.adapters = adapters
        self.mappings = mappings
        self.schemas = schemas
        compiledSchemas = Self.compile(schemas)
        self.writers = Dictionary(writers.map { ($0.format, $0) }, uniquingKeysWith: { a, _ in a })
        self.readers = Dictionary(readers.map { ($0.format, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private static func compile(_ schemas: [String: JSONValue]) -> [String: Result<JSONSchema, SchemaError>] {
        schemas.mapValues { schema in Result { () throws(SchemaError) in try JSONSchema(schema) } }
    }

    /// One mapping against the canonical schema and its target schema or validator.
    public func check(mapping path: String, _ spec: MappingSpec) -> [MappingError] {
        var errors: [MappingError] = []
        let canonicalName = spec.canonical == .order ? "order.schema.json" : "status_event.schema.json"
        guard let canonical = schemas[canonicalName] else {
            return [MappingError(location: spec.location, field: "canonical", message: "Schemas/\(canonicalName) is missing")]
        }
        var target: JSONValue? = nil
        if let name = spec.targetSchema {
            if spec.format == .json {
                target = schemas[name]
                if target == nil {
                    errors.append(MappingError(location: spec.location, field: "target_schema", message: "Schemas/\(name) does not exist"))
                }
            } else if validators[spec.format]?.knows(name) != true {
                errors.append(MappingError(
                    location: spec.location, field: "target_schema",
                    message: "no \(spec.format.rawValue) validator knows the schema \(name) (\(path))"))
            }
        }
        errors += MappingChecker(canonicalSchema: canonical, targetSchema: target).check(spec)
        return errors
    }

    /// Cross-file checks: every referenced mapping exists and suits its use, every mapping passes the
    /// schema checks of both sides, and every format has a writer or reader.
    public func check() -> [MappingError] {
        var errors: [MappingError] = []
        for (path, spec) in mappings.sorted(by: { $0.key < $1.key }) { errors += check(mapping: path, spec) }
        for adapter in adapters.values.sorted(by: { $0.id < $1.id }) {
            let at = SpecLocation(file: adapter.file, line: 1, column: 1)
            func need(_ mapping: String, _ field: String, direction: MappingSpec.Direction, canonical: MappingSpec.Canonical) {
                guard let spec = mappings[mapping] else {
                    errors.append(MappingError(location: at, field: field, message: "mapping \(mapping) does not exist under Mappings/"))
                    return
                }
                if spec.direction != direction || spec.canonical != canonical {
                    errors.append(MappingError(
                        location: at, field: field,
                        message: "mapping \(mapping) is \(spec.direction.rawValue) \(spec.canonical.rawValue), expected \(direction.rawValue) \(canonical.rawValue)"))
                }
                for name in spec.parameters where adapter.parameters[name] == nil && name != "now" {
                    errors.append(MappingError(location: at, field: "parameters", message: "mapping \(mapping) needs parameter \(name), which the adapter does not set"))
                }
                if direction == .outbound && writers[spec.format] == nil {
                    errors.append(MappingError(location: at, field: field, message: "no \(spec.format.rawValue) writer is registered"))
                }
                if direction == .inbound && readers[spec.format] == nil {
                    errors.append(MappingError(location: at, field: field, message: "no \(spec.format.rawValue) reader is registered"))
                }
            }
            if let o = adapter.outbound { need(o.mapping, "outbound.mapping", direction: .outbound, canonical: .order) }
            for (i, item) in adapter.inbound.enumerated() {
                need(item.mapping, "inbound[\(i)].mapping", direction: .inbound, canonical: item.kind == "order" ? .order : .statusEvent)
            }
            // A callback may push an order (web-shop webhooks) or report a status.
            if let c = adapter.callbacks {
                need(c.mapping, "callbacks.mapping", direction: .inbound, canonical: mappings[c.mapping]?.canonical ?? .statusEvent)
            }
        }
        return errors
    }

    public func adapter(_ id: String) throws(AdapterError) -> AdapterDefinition {
        guard let a = adapters[id] else {
            throw AdapterError("no adapter \(id); known: \(adapters.keys.sorted().joined(separator: ", "))")
        }
        return a
    }
}

public struct AdapterError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The business rules the order broke, when that is why it was refused.
    public var violations: [RuleViolation]
    /// The input could not be read at all (as opposed to read but not mapped).
    public var unreadable: Bool
    public init(_ description: String, violations: [RuleViolation] = [], unreadable: Bool = false) {
        self.description = description
        self.violations = violations
        self.unreadable = unreadable
    }
}

/// A filing as it would go on the wire.
public struct RenderedFiling: Sendable, Codable {
    public struct Header: Sendable, Codable, Hashable {
        public var name: String
        public var value: String
    }

    public var adapter: String
    public var messageType: String
    public var version: String?
    public var method: String
    public var endpoint: String
    public var headers: [Header]
    public var contentType: String
    public var body: String
    public var notes: [MappingNote]
    /// A JSON filing's message as the mapping built it, the tree `body` is the text of (nil for
    /// other formats, and not encoded): what the filing is found by is read from it, not parsed
    /// back out of the body.
    public var jsonMessage: JSONValue? = nil

    enum CodingKeys: String, CodingKey {
        case adapter
        case messageType = "message_type"
        case version, method, endpoint, headers
        case contentType = "content_type"
        case body, notes
    }
}

public struct IngestResult: Sendable, Codable {
    public var kind: String
    public var orders: [Order]
    public var events: [StatusEvent]
    public var notes: [MappingNote]
}

public struct ResponseOutcome: Sendable, Codable, Hashable {
    public var outcome: AdapterDefinition.Outcome
    public var status: Int
    public var reference: String?
    public var reasons: [StatusEvent.GatewayError]

    public init(outcome: AdapterDefinition.Outcome, status: Int, reference: String?, reasons: [StatusEvent.GatewayError]) {
        self.outcome = outcome; self.status = status; self.reference = reference; self.reasons = reasons
    }
}
