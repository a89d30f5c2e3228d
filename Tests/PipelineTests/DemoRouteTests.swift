import AdapterKit
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
                                                  catalog: engines.catalog, tariff: engines.tariff, now: TestEngines.now, firstReference: 1)
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

    /// What a new user's first demo run shows: every sample order is filed by its whole route (once
    /// review has passed), except those that truly lack what a filing needs, each refused by a rule
    /// that names it: a US export line over USD 2,500 without its AES ITN, and freight orders without
    /// their movement (office, places, vehicle) or with 6-digit codes a full declaration cannot take.
    @Test("Every demo order is filed unless it truly lacks what its filing needs")
    func demoOrdersAreFiledUnlessTrulyIncomplete() throws {
        let documents = try Self.fixtures()
        try #require(!documents.isEmpty, "no fixture orders in \(Self.folder.path)")
        let engines = try TestEngines.engines(reviewBelow: 0)
        var refused: [String: String] = [:]
        for (name, document) in documents {
            let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: 1)
            guard let order = evaluation.order, !evaluation.routing.adapters.isEmpty else {
                Issue.record("\(name): refused or without a route: \(evaluation.problems) \(evaluation.routing.reviews.map(\.detail))")
                continue
            }
            let (_, errors) = Pipeline.file(order, lines: Array(1...order.lines.count), adapters: evaluation.routing.adapters,
                                            catalog: engines.catalog, tariff: engines.tariff, now: TestEngines.now, firstReference: 1)
            if !errors.isEmpty { refused[name] = errors.joined(separator: "; ") }
        }
        #expect(refused.keys.sorted() == ["ca-b2b-us-export-over-2500.json", "gb-b2b-pallets-tca.json", "nl-b2b-eori-pallet.json"], "\(refused)")
        #expect(refused["ca-b2b-us-export-over-2500.json"]?.contains("EASYPOST-EEI") == true)
        #expect(refused["gb-b2b-pallets-tca.json"]?.contains("ICS-8104 place_of_loading") == true)
        #expect(refused["nl-b2b-eori-pallet.json"]?.contains("CUSDEC-LOC-22 customs_office") == true)
    }

    /// An order in another currency than a filing's threshold (EasyPost's USD 2,500 EEI line, CDS's
    /// GBP 135) is converted with the packs' dated rate, not refused for want of one.
    @Test("A filing's fx_ inputs come from the tariff packs, dated on or before the render")
    func filingsConvertWithThePacksRates() throws {
        let engines = try TestEngines.engines(reviewBelow: 0)
        let documents = try Self.fixtures()
        let giftDocument = try #require(documents["gb-c2c-gift.json"])
        let gift = try #require(Pipeline.evaluate(giftDocument, engines: engines, now: TestEngines.now, firstReference: 1).order)
        #expect(gift.currency == CurrencyCode("GBP") && gift.shipment.shipFromCountry == CountryCode("US"))
        let context = Pipeline.renderContext(adapter: "easypost", catalog: engines.catalog, sequence: 1, order: gift, tariff: engines.tariff, now: TestEngines.now)
        let rate = try #require(context.rates.first { $0.from == CurrencyCode("GBP") && $0.to == CurrencyCode("USD") }, "\(context.rates)")
        #expect(rate.date <= "2026-12-03" && rate.rate > 1 && rate.rate < 2, "\(rate)")
        #expect(Pipeline.renderContext(adapter: "easypost", catalog: engines.catalog, sequence: 1, order: gift, tariff: nil, now: TestEngines.now).rates.isEmpty)

        // A euro order into the UK: CDS applies its GBP thresholds with the packs' rate; without one it refuses.
        let euroDocument = try #require(documents["gb-b2c-eur-order.json"])
        let euro = try #require(Pipeline.evaluate(euroDocument, engines: engines, now: TestEngines.now, firstReference: 1).order)
        let withRates = Pipeline.file(euro, lines: [1], adapters: ["easypost", "uk-cds"], catalog: engines.catalog, tariff: engines.tariff,
                                      now: TestEngines.now, firstReference: 1)
        #expect(withRates.errors.isEmpty && withRates.filings.map(\.adapter) == ["easypost", "uk-cds"], "\(withRates.errors)")
        let withoutRates = Pipeline.file(euro, lines: [1], adapters: ["easypost", "uk-cds"], catalog: engines.catalog, tariff: nil,
                                         now: TestEngines.now, firstReference: 1)
        #expect(withoutRates.errors.contains { $0.contains("CDS-FX") }, "\(withoutRates.errors)")
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
