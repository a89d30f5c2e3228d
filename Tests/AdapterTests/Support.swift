import AdapterKit
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
    static func bytes(_ relative: String) throws -> [UInt8] { Array(try Data(contentsOf: url(relative))) }
    static func text(_ relative: String) throws -> String { String(decoding: try bytes(relative), as: UTF8.self) }
    static func json(_ relative: String) throws -> JSONValue { try JSONParser.parse(try bytes(relative)) }

    static func order(_ name: String) throws -> Order {
        try CanonicalJSON.decoder().decode(Order.self, from: Data(bytes("Fixtures/orders/valid/\(name).json")))
    }

    static func orderNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url("Fixtures/orders/valid").path)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static let loaded = ContentRoot(url: root).loadCatalog()
    /// The render time of the golden files (`--at 2026-11-21T08:00:00Z`).
    static let goldenTime = Timestamp.parse("2026-11-21T08:00:00Z")!
    static var catalog: AdapterCatalog { loaded.catalog }

    /// The render context of the golden files: `Fixtures/golden/render-context.json` (sequence 1,
    /// dated rates, a movement), with the order's own movement from `Fixtures/golden/movements/`.
    static func goldenContext(_ name: String) throws -> RenderContext {
        var context = try RenderContext.parse(try json("Fixtures/golden/render-context.json"))
        let movement = "Fixtures/golden/movements/\(name).json"
        if FileManager.default.fileExists(atPath: url(movement).path) {
            let more = try RenderContext.parse(try json(movement))
            context.values.merge(more.values) { _, new in new }
            context.rates += more.rates
        }
        return context
    }

    /// Renders a fixture order as the golden files were made.
    static func render(_ name: String, _ adapter: String) throws -> RenderedFiling {
        try catalog.render(try order(name), adapter: adapter, now: goldenTime, context: try goldenContext(name))
    }

    static let goldenAdapters = ["easypost", "dhl-express", "generic-webhook", "uk-cds", "uk-ics", "cusdec-gateway", "eu-h7"]

    /// Golden outbound cases: (adapter, order) for every golden file present; `.refused.json` files
    /// hold the business rules an order breaks for that adapter.
    static func goldenCases() -> [String] {
        var out: [String] = []
        for adapter in goldenAdapters {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: url("Fixtures/golden/\(adapter)").path)) ?? []
            for f in files.sorted() where (f.hasSuffix(".json") || f.hasSuffix(".xml") || f.hasSuffix(".edi")) && !f.hasPrefix("callback-") { out.append("\(adapter)/\(f)") }
        }
        return out
    }

    /// A content folder in a temporary directory: the repo's schemas plus the given files.
    static func scratchContent(_ files: [String: String]) throws -> ContentRoot {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("customshub-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try fm.copyItem(at: url("Schemas"), to: dir.appendingPathComponent("Schemas"))
        for (path, text) in files {
            let target = dir.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
        return ContentRoot(url: dir)
    }
}
