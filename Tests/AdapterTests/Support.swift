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

    /// A missing or empty folder throws, so a parameterised test never passes with zero cases.
    static func orderNames() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: url("Fixtures/orders/valid").path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        guard !names.isEmpty else { throw NoCases(folder: "Fixtures/orders/valid") }
        return names
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
    /// Every adapter folder must hold at least one golden file; a moved folder throws.
    static func goldenCases() throws -> [String] {
        var out: [String] = []
        for adapter in goldenAdapters {
            let files = try FileManager.default.contentsOfDirectory(atPath: url("Fixtures/golden/\(adapter)").path)
            let cases = files.sorted().filter { ($0.hasSuffix(".json") || $0.hasSuffix(".xml") || $0.hasSuffix(".edi")) && !$0.hasPrefix("callback-") }
            guard !cases.isEmpty else { throw NoCases(folder: "Fixtures/golden/\(adapter)") }
            out += cases.map { "\(adapter)/\($0)" }
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

/// A case folder that is missing or holds no case: the parameterised test fails instead of passing empty.
struct NoCases: Error, CustomStringConvertible {
    var folder: String
    var description: String { "no test cases in \(folder)" }
}
