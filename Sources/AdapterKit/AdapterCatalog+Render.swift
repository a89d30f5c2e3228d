import CustomsModel
import Foundation
import JSONCore
import Mapping

// MARK: - Outbound: an order to a filing

extension AdapterCatalog {
    /// The filing an adapter would send for `order`, fully rendered but not sent.
    /// `now` comes from the caller's clock and reaches mappings as `$now` (ENS preparation time).
    /// `context` carries the per-filing inputs (the reference sequence number, dated FX rates,
    /// movement details) that the mapping lists under `inputs:`. An order that breaks one of the
    /// mapping's business rules is refused: the error's `violations` name each rule and field.
    /// `encoded` is `order` as `JSONValueEncoder` encodes it, when the caller has it already
    /// (one order filed through several adapters is encoded once).
    public func render(
        _ order: Order, encoded: JSONValue? = nil, adapter id: String, now: Date, context: RenderContext = RenderContext()
    ) throws(AdapterError) -> RenderedFiling {
        let adapter = try adapter(id)
        guard let outbound = adapter.outbound, let spec = mappings[outbound.mapping] else {
            throw AdapterError("adapter \(id) has no outbound mapping")
        }
        guard adapter.routes.accepts(order) else {
            throw AdapterError("adapter \(id) does not take orders to \(order.shipment.destinationCountry) by \(order.shipment.transportMode?.rawValue ?? "unknown mode")")
        }
        let input: JSONValue
        if let encoded {
            input = encoded
        } else {
            do { input = try JSONValueEncoder().encode(order) } catch { throw AdapterError("cannot encode the order: \(error)") }
        }
        let output: MappingOutput
        var parameters = adapter.parameters
        parameters["now"] = Timestamp.format(now)
        // A movement value the adapter's file defaults (`default_goods_location` supplies `$goods_location`),
        // for every caller alike; the order's own movement (`shipment.movement`) overrides it, and the
        // render context (the caller's per-filing values) overrides both.
        // (Reference numbers and FX rates come only from the context, never from the order.)
        for name in spec.inputs {
            let fromOrder = name == "sequence" || name.hasPrefix("fx_") ? nil : order.shipment.movement?[name]
            if let value = fromOrder ?? adapter.parameters["default_" + name] { parameters[name] = value }
        }
        parameters.merge(context.variables(for: spec.inputs, order: order, now: now)) { _, new in new }
        do { output = try MappingEngine(spec: spec).run(input, parameters: parameters) } catch { throw AdapterError("\(error)") }
        if !output.violations.isEmpty {
            throw AdapterError(
                "adapter \(id) refuses the order by its business rules: " + output.violations.map(\.description).joined(separator: "; "),
                violations: output.violations)
        }
        guard let tree = output.documents.first else { throw AdapterError("the mapping produced no message") }
        if let schemaName = spec.targetSchema, let schema = compiledSchemas[schemaName] {
            do {
                let violations = try schema.get().validate(tree)
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
        case .none:
            throw AdapterError("adapter \(adapter.id) has no transport: it reads messages and sends none")
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
            contentType: outbound.contentType, body: String(decoding: body, as: UTF8.self), notes: output.notes,
            // Only when the body is exactly `JSONWriter.write(tree)` (the stock JSON writer).
            jsonMessage: writer is JSONMessageWriter ? tree : nil)
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
}
