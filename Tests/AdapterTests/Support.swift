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

    /// Golden outbound cases: (adapter, order) for every golden file present.
    static func goldenCases() -> [String] {
        var out: [String] = []
        for adapter in ["easypost", "dhl-express", "generic-webhook", "uk-cds", "uk-ics", "cusdec-gateway"] {
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
