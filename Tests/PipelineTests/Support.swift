import Classification
import CustomsModel
import Foundation
import Hub
import HubContent
import JSONCore
import Pipeline
import Store
import StorePostgres
import StoreSQLite
import Testing

/// The repository root, found from this file so tests run from any working directory.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The real content folder's engines, with a classifier trained on a slice of the tariff (apparel,
/// electrical machinery, lamps) so that a debug test build trains it in seconds rather than minutes.
enum TestEngines {
    static let chapters: Set<String> = ["61", "62", "85", "94"]

    static let model: Result<ClassifierModel, any Error> = Result {
        let root = ContentRoot(url: repoRoot)
        let kb = try ClassificationContent.knowledgeBase(root, chapters: chapters)
        let (rulings, parcels, _) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
        let inSlice = (rulings + parcels).filter { chapters.contains(String($0.hs6.prefix(2))) }.enumerated()
            .filter { $0.offset % 2 == 0 }.map(\.element)
        var options = TrainingOptions()
        options.fusionIterations = 40
        return ClassifierTrainer.train(knowledgeBase: kb, examples: inSlice, trainedAt: "2026-12-01T00:00:00Z", options: options)
    }

    /// The model written to a file, for tests that run the real binary.
    static let modelFile: Result<URL, any Error> = Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-test-model-\(ProcessInfo.processInfo.processIdentifier).bin")
        try ClassificationContent.saveModel(try model.get(), to: url)
        return url
    }

    static let loaded: Result<PipelineEngines, any Error> = Result {
        let loader = EngineLoader(root: ContentRoot(url: repoRoot), modelPath: try modelFile.get())
        return try loader.load(now: now)
    }

    /// Engines whose classifier sends a line to review below `threshold` (0: never, above 1: always).
    static func engines(reviewBelow threshold: Double) throws -> PipelineEngines {
        var e = try loaded.get()
        e.classifier.reviewThreshold = threshold
        return e
    }

    static let now = Date(timeIntervalSince1970: 1_796_300_000)  // 2026-12-03
}

/// The engines the store tests run on: SQLite always, PostgreSQL when `CUSTOMS_HUB_POSTGRES_URL`
/// names a scratch database. CI sets `CUSTOMS_HUB_REQUIRE_POSTGRES`, so a PostgreSQL that did not
/// start fails the run instead of silently testing one engine.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["CUSTOMS_HUB_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static var available: [Engine] {
        postgresURL != nil || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_POSTGRES"] != nil ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    func makeStore() async throws -> (store: any HubDatabase, database: String, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-pipeline-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("hub.sqlite").path
            let store = try SQLiteStore(path: path, synchronous: "NORMAL")
            try await store.migrate()
            return (store, path, { try? await store.close(); try? FileManager.default.removeItem(at: dir) })
        case .postgres:
            guard let base = Engine.postgresURL else {
                throw StoreError(.invalidURL, "CUSTOMS_HUB_REQUIRE_POSTGRES is set but CUSTOMS_HUB_POSTGRES_URL is not: PostgreSQL did not start")
            }
            let schema = "p_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
            let store = try PostgresStore(url: url)
            try await store.migrate()
            return (store, url, { try? await store.dropAll(); try? await store.close() })
        }
    }
}

func withHub<T: Sendable>(_ engine: Engine, reviewBelow threshold: Double, _ body: (Hub, String) async throws -> T) async throws -> T {
    let (store, database, cleanup) = try await engine.makeStore()
    do {
        let hub = Hub(store: store, engines: try TestEngines.engines(reviewBelow: threshold), clock: { TestEngines.now })
        let result = try await body(hub, database)
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}

enum Orders {
    static func fixture(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/\(name).json"))))
    }

    /// The GB apparel fixture under another idempotency key, with its lines' codes changed:
    /// `codes[i] == nil` drops line i's merchant code, so the classifier's is used.
    static func gb(key: String, codes: [String?]) throws -> JSONValue {
        guard case .object(var o) = try fixture("gb-b2c-apparel-from-cn") else { throw HubError.invalid("fixture is not an object") }
        o["idempotency_key"] = .string(key)
        o["external_reference"] = .string("T-\(key)")
        guard case .array(var lines) = o["lines"] else { throw HubError.invalid("fixture has no lines") }
        for i in lines.indices where i < codes.count {
            guard case .object(var line) = lines[i] else { continue }
            line["hs_code"] = codes[i].map(JSONValue.string)
            lines[i] = .object(line)
        }
        o["lines"] = .array(lines)
        return .object(o)
    }
}
