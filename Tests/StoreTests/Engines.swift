import Foundation
import Store
import StorePostgres
import StoreSQLite
import Testing

/// The engines the shared suite runs against: SQLite always, PostgreSQL when
/// `CUSTOMS_HUB_POSTGRES_URL` points at a scratch database (CI starts one).
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Engine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["CUSTOMS_HUB_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated store of this engine that no other test sees: its own SQLite file, or
    /// its own PostgreSQL schema.
    func makeStore() async throws -> TestStore {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path, synchronous: "NORMAL")
            try await store.migrate()
            return TestStore(store: store, cleanup: {
                try? await store.close()
                try? FileManager.default.removeItem(at: dir)
            })
        case .postgres:
            guard let base = Engine.postgresURL else { throw StoreError(.invalidURL, "CUSTOMS_HUB_POSTGRES_URL is not set") }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
            // The fixture hands the store to the test and stops it in `cleanup`: no scope to run it in.
            let store = try PostgresStore(unstarted: url)
            try store.startInBackground()
            try await store.migrate()
            return TestStore(store: store, cleanup: {
                try? await store.dropAll()
                try? await store.close()
            })
        }
    }

    /// A second handle on the same database, as another hub process would have.
    func reopen(_ first: TestStore) async throws -> any HubStore {
        switch first.store {
        case let sqlite as SQLiteStore:
            return try SQLiteStore(path: sqlite.path, synchronous: "NORMAL")
        case let pg as PostgresStore:
            return try PostgresStore(url: pg.url)
        default:
            throw StoreError(.invalidURL, "unknown store type")
        }
    }
}

struct TestStore: Sendable {
    let store: any HubStore
    let cleanup: @Sendable () async -> Void
}

/// Runs `body` with a fresh store and always cleans up, even when the body throws.
func withStore<T: Sendable>(_ engine: Engine, _ body: (any HubStore) async throws -> T) async throws -> T {
    let test = try await engine.makeStore()
    do {
        let result = try await body(test.store)
        await test.cleanup()
        return result
    } catch {
        await test.cleanup()
        throw error
    }
}

/// A fixed "now" so tests do not depend on the wall clock.
let t0: Millis = 1_800_000_000_000

func message(_ key: String, adapter: String = "gw", credential: String = "default", orderingKey: String? = nil,
             body: String = "{}") -> NewOutboxMessage {
    NewOutboxMessage(idempotencyKey: key, adapterID: adapter, credentialID: credential, orderingKey: orderingKey,
                     payload: Array(body.utf8))
}

func report(_ worker: String, at: Millis, status: Int?, errorClass: ErrorClass? = nil, request: String = "req",
            response: String = "resp") -> AttemptReport {
    AttemptReport(worker: worker, startedAt: at, finishedAt: at + 5, httpStatus: status, errorClass: errorClass,
                  error: errorClass.map { "failed: \($0.rawValue)" }, requestBody: Array(request.utf8), responseBody: Array(response.utf8))
}
