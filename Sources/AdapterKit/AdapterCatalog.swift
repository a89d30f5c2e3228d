import CustomsModel
import Foundation
import JSONCore
import Mapping

/// Turns a mapping's output tree into message bytes. JSON is built in; XML and EDIFACT writers
/// register here from their own targets, so adapters of every format render the same way.
public protocol MessageWriter: Sendable {
    var format: MappingSpec.Format { get }
    func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8]
}

/// Reads a message's bytes into the tree inbound mappings read.
public protocol MessageReader: Sendable {
    var format: MappingSpec.Format { get }
    func read(_ bytes: [UInt8]) throws -> JSONValue
    /// Every message tree in the input, in order (an EDIFACT file may hold many interchanges).
    func readAll(_ bytes: [UInt8]) throws -> [JSONValue]
}

extension MessageReader {
    public func readAll(_ bytes: [UInt8]) throws -> [JSONValue] { [try read(bytes)] }
}

/// Checks a rendered XML or EDIFACT message against a named schema or grammar (`cds-declaration`,
/// `D96B`), so that no filing leaves that its gateway would reject on structure.
public protocol MessageValidator: Sendable {
    var format: MappingSpec.Format { get }
    func knows(_ schema: String) -> Bool
    /// Problems found, one line each; empty when the message is valid.
    func validate(_ body: [UInt8], schema: String) throws -> [String]
}

public struct JSONMessageWriter: MessageWriter {
    public init() {}
    public var format: MappingSpec.Format { .json }
    public func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8] { Array(JSONWriter.write(tree).utf8) }
}

public struct JSONMessageReader: MessageReader {
    public init() {}
    public var format: MappingSpec.Format { .json }
    public func read(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser.parse(bytes) }
}

/// All adapters, mappings and schemas of a deployment, checked together.
public struct AdapterCatalog: Sendable {
    public var adapters: [String: AdapterDefinition]
    /// Mappings by their path under `Mappings/` (as adapters reference them).
    public var mappings: [String: MappingSpec]
    /// JSON Schemas by file name under `Schemas/`.
    public var schemas: [String: JSONValue]
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
        self.writers = Dictionary(writers.map { ($0.format, $0) }, uniquingKeysWith: { a, _ in a })
        self.readers = Dictionary(readers.map { ($0.format, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Cross-file checks: every referenced mapping exists and suits its use, every mapping passes the
    /// schema checks of both sides, and every format has a writer or reader.
    public func check() -> [MappingError] {
        var errors: [MappingError] = []
        for (path, spec) in mappings.sorted(by: { $0.key < $1.key }) {
            let canonicalName = spec.canonical == .order ? "order.schema.json" : "status_event.schema.json"
            guard let canonical = schemas[canonicalName] else {
                errors.append(MappingError(location: spec.location, field: "canonical", message: "Schemas/\(canonicalName) is missing"))
                continue
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
        }
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

    // MARK: - Outbound

    /// The filing an adapter would send for `order`, fully rendered but not sent.
    /// `now` comes from the caller's clock and reaches mappings as `$now` (ENS preparation time).
    /// `context` carries the per-filing inputs (the reference sequence number, dated FX rates,
    /// movement details) that the mapping lists under `inputs:`. An order that breaks one of the
    /// mapping's business rules is refused: the error's `violations` name each rule and field.
    public func render(
        _ order: Order, adapter id: String, now: Date = Date(timeIntervalSince1970: 0), context: RenderContext = RenderContext()
    ) throws(AdapterError) -> RenderedFiling {
        let adapter = try adapter(id)
        guard let outbound = adapter.outbound, let spec = mappings[outbound.mapping] else {
            throw AdapterError("adapter \(id) has no outbound mapping")
        }
        guard adapter.routes.accepts(order) else {
            throw AdapterError("adapter \(id) does not take orders to \(order.shipment.destinationCountry) by \(order.shipment.transportMode?.rawValue ?? "unknown mode")")
        }
        let input: JSONValue
        do { input = try JSONValueEncoder().encode(order) } catch { throw AdapterError("cannot encode the order: \(error)") }
        let output: MappingOutput
        var parameters = adapter.parameters
        parameters["now"] = Timestamp.format(now)
        // A movement value the adapter's file defaults (`default_goods_location` supplies `$goods_location`),
        // for every caller alike; the render context overrides it.
        for name in spec.inputs { if let value = adapter.parameters["default_" + name] { parameters[name] = value } }
        parameters.merge(context.variables(for: spec.inputs, order: order, now: now)) { _, new in new }
        do { output = try MappingEngine(spec: spec).run(input, parameters: parameters) } catch { throw AdapterError("\(error)") }
        if !output.violations.isEmpty {
            throw AdapterError(
                "adapter \(id) refuses the order by its business rules: " + output.violations.map(\.description).joined(separator: "; "),
                violations: output.violations)
        }
        guard let tree = output.documents.first else { throw AdapterError("the mapping produced no message") }
        if let schemaName = spec.targetSchema, let schema = schemas[schemaName] {
            do {
                let violations = try JSONSchema(schema).validate(tree)
                if !violations.isEmpty {
                    throw AdapterError("the rendered message breaks Schemas/\(schemaName): " + violations.map(\.description).joined(separator: "; "))
                }
            } catch let e as AdapterError {
                throw e
            } catch {
                throw AdapterError("Schemas/\(schemaName) is not usable: \(error)")
            }
        }
        guard let writer = writers[spec.format] else { throw AdapterError("no \(spec.format.rawValue) writer is registered") }
        let body: [UInt8]
        do { body = try writer.write(tree, spec: spec) } catch { throw AdapterError("\(spec.format.rawValue) writer: \(error)") }
        if spec.format != .json, let schema = spec.targetSchema {
            guard let validator = validators[spec.format] else { throw AdapterError("no \(spec.format.rawValue) validator is registered") }
            let problems: [String]
            do { problems = try validator.validate(body, schema: schema) } catch { throw AdapterError("\(schema): \(error)") }
            if !problems.isEmpty {
                throw AdapterError("the rendered message breaks \(schema): " + problems.prefix(10).joined(separator: "; "))
            }
        }
        var headers: [RenderedFiling.Header] = []
        var method = "POST"
        var endpoint = ""
        switch adapter.transport {
        case .http(let m, let e, let hs, _):
            method = m
            endpoint = e
            headers = hs.map { .init(name: $0.0, value: $0.1) }
        case .fileDrop(let directory, let filename):
            method = "FILE"
            endpoint = directory + "/" + filename.replacingOccurrences(of: "{reference}", with: order.externalReference)
        }
        headers.append(.init(name: "Content-Type", value: outbound.contentType))
        switch adapter.auth {
        case .none: break
        case .apiKeyHeader(let header, let key): headers.append(.init(name: header, value: "<\(key)>"))
        case .basic(let u, let p): headers.append(.init(name: "Authorization", value: "Basic <base64 of \(u):\(p.map(\.description) ?? "")>"))
        case .bearer(let token): headers.append(.init(name: "Authorization", value: "Bearer <\(token)>"))
        case .oauth2ClientCredentials(let url, _, _, _): headers.append(.init(name: "Authorization", value: "Bearer <token from \(url)>"))
        }
        if let idem = adapter.idempotency {
            var values = parameters
            if let sequence = context.sequence { values["sequence"] = String(sequence) }
            guard let value = idempotencyValue(idem.from, order: input, parameters: values) else {
                throw AdapterError("adapter \(id): the \(idem.header) header \(idem.from) needs a value the render was not given (a reference sequence number?)")
            }
            headers.append(.init(name: idem.header, value: value))
        }
        return RenderedFiling(
            adapter: id, messageType: outbound.messageType, version: outbound.version, method: method, endpoint: endpoint, headers: headers,
            contentType: outbound.contentType, body: String(decoding: body, as: UTF8.self), notes: output.notes)
    }

    /// The header value from its template: `{field}` reads the order, `{$name}` a parameter or the
    /// reference sequence (`{$sequence}`), which must then be there.
    private func idempotencyValue(_ from: String, order: JSONValue, parameters: [String: String]) -> String? {
        var out = ""
        var rest = Substring(from.contains("{") ? from : "{\(from)}")
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let key = String(rest[rest.index(after: open)..<close])
            if key.hasPrefix("$") {
                guard let v = parameters[String(key.dropFirst())] else { return nil }
                out += v
            } else {
                out += order[key].flatMap { v -> String? in
                    if case .string(let s) = v { return s }
                    return nil
                } ?? ""
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    // MARK: - Inbound

    /// Reads an inbound message (an order push or a status callback) into canonical records.
    public func ingest(_ bytes: [UInt8], adapter id: String, kind: String? = nil) throws(AdapterError) -> IngestResult {
        let adapter = try adapter(id)
        var candidates: [AdapterDefinition.Inbound] = adapter.inbound
        if let c = adapter.callbacks {
            candidates.append(.init(kind: mappings[c.mapping]?.canonical == .order ? "order" : "status", mapping: c.mapping, messageType: nil))
        }
        if let kind { candidates = candidates.filter { $0.kind == kind } }
        guard let first = candidates.first, let firstSpec = mappings[first.mapping] else {
            throw AdapterError("adapter \(id) reads no \(kind ?? "inbound") messages")
        }
        guard let reader = readers[firstSpec.format] else { throw AdapterError("no \(firstSpec.format.rawValue) reader is registered") }
        let trees: [JSONValue]
        do { trees = try reader.readAll(bytes) } catch {
            throw AdapterError("unreadable \(firstSpec.format.rawValue) message: \(error)", unreadable: true)
        }
        // Every interchange of the input is mapped, not only the first; one that cannot be mapped
        // fails the whole input, named by its position.
        var result: IngestResult?
        for (n, tree) in trees.enumerated() {
            let where_ = trees.count > 1 ? "interchange \(n + 1): " : ""
            let type = Self.messageType(of: tree, format: firstSpec.format)
            guard let chosen = candidates.first(where: { $0.messageType == nil || $0.messageType == type }), let spec = mappings[chosen.mapping] else {
                throw AdapterError("\(where_)adapter \(id) has no inbound mapping for \(type ?? "this") message (reads \(candidates.compactMap(\.messageType).joined(separator: ", ")))")
            }
            let part: IngestResult
            do { part = try ingest(tree, spec: spec, kind: chosen.kind, adapter: adapter) } catch { throw AdapterError(where_ + error.description) }
            if result == nil { result = part } else {
                result!.orders += part.orders
                result!.events += part.events
                result!.notes += part.notes
            }
        }
        guard let result else { throw AdapterError("no message in the input", unreadable: true) }
        return result
    }

    /// The adapters that read orders written in `format` (an inbound order mapping, or a callback
    /// mapping that produces orders), sorted by id: what `POST /v1/orders` picks from by content type.
    public func orderReaders(format: MappingSpec.Format) -> [String] {
        adapters.values.filter { adapter in
            var specs = adapter.inbound.filter { $0.kind == "order" }.map(\.mapping)
            if let c = adapter.callbacks, mappings[c.mapping]?.canonical == .order { specs.append(c.mapping) }
            return specs.contains { mappings[$0]?.format == format }
        }.map(\.id).sorted()
    }

    private func ingest(_ tree: JSONValue, spec: MappingSpec, kind chosenKind: String, adapter: AdapterDefinition) throws(AdapterError) -> IngestResult {
        let id = adapter.id
        let output: MappingOutput
        do { output = try MappingEngine(spec: spec).run(tree, parameters: adapter.parameters) } catch { throw AdapterError("\(error)") }
        var result = IngestResult(kind: chosenKind, orders: [], events: [], notes: output.notes)
        for (i, doc) in output.documents.enumerated() {
            do {
                if chosenKind == "order" {
                    result.orders.append(try JSONValueDecoder().decode(Order.self, from: doc))
                } else {
                    var event = try JSONValueDecoder().decode(StatusEvent.self, from: doc)
                    if event.source.isEmpty { event.source = id }
                    result.events.append(event)
                }
            } catch {
                throw AdapterError("record \(i): the mapped \(chosenKind) is incomplete: \(Self.describe(error))")
            }
        }
        return result
    }

    /// The message's own type: the EDIFACT UNH type or the XML root's local name.
    static func messageType(of tree: JSONValue, format: MappingSpec.Format) -> String? {
        switch format {
        case .edifact: return tree["messages"]?.arrayValue?.first?["type"]?.stringValue
        case .xml: return tree.objectValue?.keys.first
        case .json: return nil
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .keyNotFound(let key, let c): return "\((c.codingPath + [key]).map(\.stringValue).joined(separator: ".")) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }

    // MARK: - Responses

    /// What a gateway's HTTP answer means, by the adapter's response rules. Unmatched answers are
    /// `unknown`: never assume success.
    public func interpret(status: Int, body: [UInt8], adapter id: String) throws(AdapterError) -> ResponseOutcome {
        AdapterDefinition.interpret(status: status, body: body, rules: try adapter(id).responses)
    }
}

extension AdapterDefinition {
    /// What a gateway's HTTP answer means by `rules`; an answer no rule matches is `unknown`.
    public static func interpret(status: Int, body: [UInt8], rules: [ResponseRule]) -> ResponseOutcome {
        guard let rule = rules.first(where: { $0.matches(status) }) else {
            return ResponseOutcome(outcome: .unknown, status: status, reference: nil, reasons: [])
        }
        let json = try? JSONParser.parse(body)
        let reference = rule.reference.flatMap { json?.value(atPointer: $0) }.flatMap(MappingValueText.text)
        var reasons: [StatusEvent.GatewayError] = []
        if let pointer = rule.reasons, let found = json?.value(atPointer: pointer) {
            for item in found.arrayValue ?? [found] {
                // Without named fields, a reason object's own `message` and `code` are taken.
                let message = item[rule.reasonMessage ?? "message"].flatMap(MappingValueText.text) ?? MappingValueText.text(item)
                let code = item[rule.reasonCode ?? "code"].flatMap(MappingValueText.text) ?? "\(status)"
                reasons.append(.init(code: code, message: message))
            }
        }
        return ResponseOutcome(outcome: rule.outcome, status: status, reference: reference, reasons: reasons)
    }
}

enum MappingValueText {
    static func text(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
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
