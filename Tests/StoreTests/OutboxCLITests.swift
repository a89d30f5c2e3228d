import Foundation
import Store
import StoreSQLite
import Testing

/// `customs-hub outbox …` as an operator runs it, on a scratch SQLite file.
@Suite("outbox CLI")
struct OutboxCLITests {
    static func hub(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try ProcessFaultTests.hubBinary()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func enqueueListStatsAndReprocess() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = "sqlite:" + dir.appendingPathComponent("hub.sqlite").path
        let input = dir.appendingPathComponent("in.jsonl")
        try """
        {"idempotency_key":"a-1","adapter_id":"easypost","payload":{"value":19.990000000000000001}}
        {"idempotency_key":"a-2","adapter_id":"easypost"}
        not json
        {"idempotency_key":"a-1","adapter_id":"easypost","payload":{}}
        {"idempotency_key":"b-1","adapter_id":"dhl","ordering_key":"LRN-1","payload":[1,2]}
        """.write(to: input, atomically: true, encoding: .utf8)

        let enqueued = try Self.hub(["outbox", "enqueue", "--database", db, "--input", input.path])
        #expect(enqueued.status == 0, "\(enqueued.err)")
        let results = try Self.lines(enqueued.out)
        #expect(results.map { $0["line"] as? Int } == [1, 2, 3, 4, 5])
        #expect(results[0]["id"] as? Int == 1 && results[4]["id"] as? Int == 2)
        #expect((results[1]["error"] as? String)?.contains("payload") == true)
        #expect((results[2]["error"] as? String)?.hasPrefix("line 3:") == true)
        #expect((results[3]["error"] as? String)?.contains("idempotency key") == true)

        let store = try SQLiteStore(path: String(db.dropFirst("sqlite:".count)))
        // The payload keeps every digit of its numbers.
        let first = try #require(try await store.message(id: 1))
        #expect(String(decoding: first.payload, as: UTF8.self) == #"{"value":19.990000000000000001}"#)
        // Make row 1 DEAD, as a relay would after a permanent rejection.
        _ = try await store.lease(owner: "w", limit: 1, now: Date().millis, leaseMillis: 1000, adapters: ["easypost"])
        try await store.complete(messageID: 1, owner: "w", attempt: AttemptReport(
            worker: "w", startedAt: 0, finishedAt: 1, httpStatus: 422, errorClass: .permanent, error: "HTTP 422",
            requestBody: [], responseBody: []), outcome: .dead)
        try await store.close()

        let dead = try Self.hub(["outbox", "list", "--database", db, "--state", "dead"])
        #expect(try Self.lines(dead.out).map { $0["idempotency_key"] as? String } == ["a-1"])
        #expect(try Self.lines(dead.out).first?["last_error_class"] as? String == "permanent")
        let stats = try Self.lines(try Self.hub(["outbox", "stats", "--database", db]).out)
        #expect(stats.count == 2)
        #expect(stats.contains { $0["adapter_id"] as? String == "easypost" && $0["state"] as? String == "dead" && $0["count"] as? Int == 1 })

        let nothing = try Self.hub(["outbox", "reprocess", "--database", db])
        #expect(nothing.status != 0 && nothing.err.contains("ids, a filter, or --all-dead"))
        let redo = try Self.hub(["outbox", "reprocess", "--database", db, "--adapter", "easypost", "--error-class", "permanent"])
        #expect(try Self.lines(redo.out).map { $0["id"] as? Int } == [1])
        let missing = try Self.hub(["outbox", "reprocess", "--database", db, "7"])
        #expect(missing.status == 1 && missing.out.isEmpty && missing.err.contains("outbox row 7"))
        let pending = try Self.lines(try Self.hub(["outbox", "list", "--database", db, "--state", "pending"]).out)
        #expect(pending.map { $0["generation"] as? Int } == [2, 1])
    }
}
