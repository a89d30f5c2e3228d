import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Store
@testable import StorePostgres
import Testing

/// PostgreSQL only: statements are postgres-nio interpolated queries (values are binds, so a `?` in
/// SQL text stays text), and the store is a `Service` that stops last in its group.
@Suite("PostgreSQL store: interpolated statements, run as a service", .timeLimit(.minutes(10)),
       .enabled(if: Engine.postgresURL != nil || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_POSTGRES"] != nil))
struct PostgresServiceTests {
    /// The scratch database; a failure (not a skip) when CI required PostgreSQL and it did not start.
    func url() throws -> String {
        try #require(Engine.postgresURL, "CUSTOMS_HUB_REQUIRE_POSTGRES is set but CUSTOMS_HUB_POSTGRES_URL is not: PostgreSQL did not start")
    }

    /// The old `?` → `$n` rewrite turned the `?` in `'?'` and the jsonb `?` operator into
    /// placeholders, and the statement failed.
    @Test func aQuestionMarkInSQLTextIsText() async throws {
        let store = try PostgresStore(unstarted: try url())
        try await store.withRunning {
            let key = "x?y"
            let found = try await store.rows("""
                SELECT '?' AS mark, '{"a": 1}'::jsonb ? 'a' AS has_a, jsonb_build_object(\(key), 1) ? \(key) AS has_key,
                       '{"a": 1}'::jsonb ? \(key) AS has_other, \(key) AS key, \(Int64(7)) AS n, \(String?.none)::TEXT AS nothing
                """)
            let row = try #require(found.first)
            #expect(try row["mark"].decode(String.self) == "?")
            #expect(try row["has_a"].decode(Bool.self))
            #expect(try row["has_key"].decode(Bool.self))
            #expect(try row["has_other"].decode(Bool.self) == false)
            #expect(try row["key"].decode(String.self) == "x?y")
            #expect(try row["n"].decode(Int64.self) == 7)
            #expect(try row["nothing"].decode(String?.self) == nil)
        }
    }

    /// Shared fragments (the outbox filter) bind their values in the statement they are put in.
    @Test func aFilterWithQuestionMarksInItsValuesSelectsByThem() async throws {
        let base = try url()
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let store = try PostgresStore(unstarted: base + (base.contains("?") ? "&" : "?") + "schema=\(schema)")
        try await store.withRunning {
            try await store.migrate()
            let messages = ["a?b", "a", "?"].enumerated().map { n, adapter in
                NewOutboxMessage(idempotencyKey: "k-\(n)?", adapterID: adapter, credentialID: "c?", orderingKey: nil,
                                 contentType: "application/json", payload: Array("{\"q\": \"?\"}".utf8))
            }
            let ids = try await store.enqueue(messages, now: t0)
            let picked = try await store.messages(OutboxFilter(ids: [ids[0], ids[2]], adapterID: "?"))
            #expect(picked.map(\.id) == [ids[2]])
            #expect(picked.first?.payload == Array("{\"q\": \"?\"}".utf8))
            let leased = try await store.lease(owner: "w?", limit: 10, now: t0, leaseMillis: 1000, adapters: ["a?b", "?"])
            #expect(leased.map(\.id) == [ids[0], ids[2]])
            try await store.dropAll()
        }
    }

    /// Listed first in a service group, the store is shut down last: a service after it that
    /// drains on graceful shutdown still reaches the database, and then the store's `run()` returns.
    @Test func theStoreFirstInAServiceGroupOutlivesTheServicesThatDrain() async throws {
        let store = try PostgresStore(unstarted: try url())
        let drainer = ClosureService {
            try await gracefulShutdown()
            // Draining: the store is still up.
            _ = try await store.rows("SELECT 1 AS one")
        }
        let group = ServiceGroup(configuration: .init(services: [store, drainer], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let found = try await store.rows("SELECT 41 + \(Int64(1)) AS n")
            #expect(try found.first?["n"].decode(Int64.self) == 42)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // It ran once and returned; it cannot be started again.
        #expect(throws: StoreError.self) { try store.startInBackground() }
    }
}
