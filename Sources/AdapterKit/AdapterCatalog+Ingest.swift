import CustomsModel
import Foundation
import JSONCore
import Mapping

// MARK: - Inbound: messages and callbacks to orders and status events

extension AdapterCatalog {
    /// Whether an adapter's webhooks carry orders (a web shop's order feed) rather than statuses.
    public func webhooksCarryOrders(_ id: String) -> Bool {
        guard let mapping = adapters[id]?.callbacks?.mapping else { return false }
        return mappings[mapping]?.canonical == .order
    }

    /// Reads an inbound message (an order push or a status callback) into canonical records.
    public func ingest(_ bytes: [UInt8], adapter id: String, kind: String? = nil) throws(AdapterError) -> IngestResult {
        let adapter = try adapter(id)
        var candidates: [AdapterDefinition.Inbound] = adapter.inbound
        if let c = adapter.callbacks {
            candidates.append(.init(kind: webhooksCarryOrders(id) ? "order" : "status", mapping: c.mapping, messageType: nil))
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
        case .json, .csv: return nil
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
}
