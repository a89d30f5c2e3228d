import Foundation
import Store
import StoreSQLite
import Testing

/// The `synchronous` level a store is opened with is the one its commits run under. GRDB sets
/// `NORMAL` on a pool's writer when it turns the file to WAL; the store must set its own level after that.
@Suite("SQLite durability")
struct SQLiteDurabilityTests {
    @Test(arguments: ["FULL", "NORMAL", "EXTRA", "OFF"])
    func theChosenSynchronousLevelIsInForceForWrites(level: String) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path, synchronous: level)
        try await store.migrate()
        #expect(try await store.synchronousLevel() == level)
        // Still in force after writes through the store (a lease and a completion are writes).
        _ = try await store.enqueue([NewOutboxMessage(idempotencyKey: "k-1", adapterID: "a", payload: Array("{}".utf8))], now: 1_000)
        #expect(try await store.synchronousLevel() == level)
        try await store.close()
    }

    @Test func theDefaultIsFull() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path)
        #expect(try await store.synchronousLevel() == "FULL")
        try await store.close()
    }
}
