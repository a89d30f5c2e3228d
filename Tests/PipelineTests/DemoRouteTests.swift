import CustomsModel
import Foundation
import JSONCore
import Pipeline
import Testing

/// `serve --demo` pushes `Fixtures/orders/valid`: between them they must take every route of
/// `Data/routes/routes.json`, and each such order must be filed by every adapter of its route, with
/// the movement details (ICS entry, CUSDEC office and declarant) coming from the order itself.
@Suite("The demo's orders take every route")
struct DemoRouteTests {
    static let folder = repoRoot.appendingPathComponent("Fixtures/orders/valid")

    /// Route id → the fixture orders every adapter of that route renders, at the pipeline's own render
    /// (a reference number, no render context beyond it).
    static func filedRoutes(_ documents: [String: JSONValue]) throws -> [String: [String]] {
        let engines = try TestEngines.engines(reviewBelow: 0)
        var filed: [String: [String]] = [:]
        for (name, document) in documents.sorted(by: { $0.key < $1.key }) {
            let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: 1)
            guard let order = evaluation.order, let route = evaluation.routing.routeID else { continue }
            // Every line, as once review has passed (the test classifier is trained on a slice only).
            let (filings, errors) = Pipeline.file(order, lines: Array(1...order.lines.count), adapters: evaluation.routing.adapters,
                                                  catalog: engines.catalog, now: TestEngines.now, firstReference: 1)
            if errors.isEmpty && filings.map(\.adapter) == evaluation.routing.adapters { filed[route, default: []].append(name) }
        }
        return filed
    }

    static func fixtures() throws -> [String: JSONValue] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        var out: [String: JSONValue] = [:]
        for file in files { out[file] = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
        return out
    }

    @Test("Every route of routes.json is taken by a fixture order that each of its adapters files")
    func everyRouteIsFiled() throws {
        let documents = try Self.fixtures()
        try #require(!documents.isEmpty, "no fixture orders in \(Self.folder.path)")
        let routes = try TestEngines.engines(reviewBelow: 0).routes.rules.map(\.id)
        let filed = try Self.filedRoutes(documents)
        for route in routes { #expect(filed[route] != nil, "no demo order is filed on route \(route)") }
        #expect(filed["gb-freight"]?.contains("gb-b2b-road-freight-dover.json") == true, "\(filed)")
        #expect(filed["freight-broker-edifact"]?.contains("nl-b2b-road-freight-rotterdam.json") == true, "\(filed)")
        // The demo pushes each as its own order: no two share a merchant and idempotency key.
        let keys = documents.values.map { "\($0["merchant_id"]?.stringValue ?? "") \($0["idempotency_key"]?.stringValue ?? "")" }
        #expect(Set(keys).count == documents.count, "\(keys.sorted())")
    }

    @Test("Without the order's movement the ICS and CUSDEC filings are refused: the details come from the order, not from code")
    func theMovementComesFromTheOrder() throws {
        var documents = try Self.fixtures().filter { ["gb-b2b-road-freight-dover.json", "nl-b2b-road-freight-rotterdam.json"].contains($0.key) }
        try #require(documents.count == 2)
        for (name, document) in documents {
            guard case .object(var order) = document, case .object(var shipment)? = order["shipment"] else { Issue.record("\(name)"); continue }
            shipment["movement"] = nil
            order["shipment"] = .object(shipment)
            documents[name] = .object(order)
        }
        let filed = try Self.filedRoutes(documents)
        #expect(filed.isEmpty, "\(filed)")
    }
}
