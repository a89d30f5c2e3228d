import ChildProcess
import Foundation
import LoopbackSink
import Store
import StoreSQLite
import Testing

/// `customs-hub outbox …` as an operator runs it, on a scratch SQLite file.
@Suite("outbox CLI", .timeLimit(.minutes(10)))
struct OutboxCLITests {
    static func hub(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, out: String, err: String) {
        let child = try await ChildProcess.run(HubBinary.url, arguments, environment: HubBinary.environment(environment))
        return (child.status, child.stdoutText, child.stderrText)
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
        {"idempotency_key":"b-1","adapter_id":"dhl-express","ordering_key":"LRN-1","payload":[1,2]}
        """.write(to: input, atomically: true, encoding: .utf8)

        let enqueued = try await Self.hub(["outbox", "enqueue", "--database", db, "--input", input.path])
        #expect(enqueued.status == 1, "some lines are refused: \(enqueued.err)")
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

        let dead = try await Self.hub(["outbox", "list", "--database", db, "--state", "dead"])
        #expect(try Self.lines(dead.out).map { $0["idempotency_key"] as? String } == ["a-1"])
        #expect(try Self.lines(dead.out).first?["last_error_class"] as? String == "permanent")
        let stats = try Self.lines(try await Self.hub(["outbox", "stats", "--database", db]).out)
        #expect(stats.count == 2)
        #expect(stats.contains { $0["adapter_id"] as? String == "easypost" && $0["state"] as? String == "dead" && $0["count"] as? Int == 1 })

        let nothing = try await Self.hub(["outbox", "reprocess", "--database", db])
        #expect(nothing.status != 0 && nothing.err.contains("ids, a filter, or --all-dead"))
        let redo = try await Self.hub(["outbox", "reprocess", "--database", db, "--adapter", "easypost", "--error-class", "permanent"])
        #expect(try Self.lines(redo.out).map { $0["id"] as? Int } == [1])
        let missing = try await Self.hub(["outbox", "reprocess", "--database", db, "7"])
        #expect(missing.status == 1 && missing.out.isEmpty && missing.err.contains("outbox row 7"))
        let pending = try Self.lines(try await Self.hub(["outbox", "list", "--database", db, "--state", "pending"]).out)
        #expect(pending.map { $0["generation"] as? Int } == [2, 1])
    }

    static func scratch() throws -> (dir: URL, db: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (dir, "sqlite:" + dir.appendingPathComponent("hub.sqlite").path)
    }

    static func hub(_ arguments: [String], input: String) async throws -> (status: Int32, out: String, err: String) {
        let (dir, _) = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("stdin")
        try input.write(to: file, atomically: true, encoding: .utf8)
        return try await hub(arguments + ["--input", file.path])
    }

    /// `render --adapter uk-cds ORDER | outbox enqueue` as it reads: the line goes in unchanged and
    /// the row holds the body's own bytes and content type.
    @Test func enqueueTakesRenderOutputUnchanged() async throws {
        let (dir, db) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let order = DeliveryTests.root.appendingPathComponent("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json").path
        // The golden render context supplies the movement (goods location, incoterm place) and the
        // reference sequence number the LRN is made from.
        let context = DeliveryTests.root.appendingPathComponent("Fixtures/golden/render-context.json").path
        let rendered = try await Self.hub(["render", "--adapter", "uk-cds", "--context", context, "--sequence", "41", order])
        #expect(rendered.status == 0, "\(rendered.err)")
        let renderLine = try #require(try Self.lines(rendered.out).first)
        let enqueued = try await Self.hub(["outbox", "enqueue", "--database", db], input: rendered.out)
        #expect(enqueued.status == 0, "\(enqueued.out) \(enqueued.err)")
        #expect(try Self.lines(enqueued.out).first?["filing_id"] as? Int == 1)
        let store = try SQLiteStore(path: String(db.dropFirst("sqlite:".count)))
        let row = try #require(try await store.message(id: 1))
        #expect(String(decoding: row.payload, as: UTF8.self) == renderLine["body"] as? String)
        #expect(row.contentType == "application/xml")
        #expect(row.idempotencyKey == "northwind-NW-100231", "the adapter's idempotency header names the key")
        #expect(try await store.references(filingID: 1).contains(FilingReference(kind: "lrn", value: "CH0000000041")))
        try await store.close()
    }

    @Test func enqueueRefusesWhatCannotBeDelivered() async throws {
        let long = String(repeating: "k", count: 100_000)
        let lines = [
            #"{"idempotency_key":"","adapter_id":"easypost","payload":{}}"#,
            #"{"idempotency_key":"a","adapter_id":"","payload":{}}"#,
            #"{"idempotency_key":"a","adapter_id":"nobody","payload":{}}"#,
            #"{"idempotency_key":"a","adapter_id":"easypost","content_type":"text/plain\r\nX-Evil: 1","payload":{}}"#,
            #"{"idempotency_key":"a\r\nX-Evil: 1","adapter_id":"easypost","payload":{}}"#,
            #"{"idempotency_key":"\#(long)","adapter_id":"easypost","payload":{}}"#,
            #"{"idempotency_key":"a","adapter_id":"easypost","payload":{},"priority":9}"#,
            #"{"idempotency_key":"ok","adapter_id":"easypost","body":"raw text"}"#,
        ]
        let (dir, db) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await Self.hub(["outbox", "enqueue", "--database", db], input: lines.joined(separator: "\n"))
        #expect(result.status == 1)
        let out = try Self.lines(result.out)
        let errors = out.map { $0["error"] as? String ?? "" }
        #expect(errors[0].contains("idempotency key is empty"))
        #expect(errors[1].contains("missing \"adapter_id\""))
        #expect(errors[2].contains("no adapter nobody"))
        #expect(errors[3].contains("content_type"))
        #expect(errors[4].contains("control character"))
        #expect(errors[5].contains("at most"))
        #expect(errors[6].contains("unknown field priority"))
        #expect(out[7]["id"] as? Int == 1)
    }

    /// A rejected filing shows the gateway's reasons in `outbox show`; `relay --once` exits when done.
    @Test func relayOnceAndShowWithReasons() async throws {
        let (dir, db) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sink = LoopbackSink()
        try await sink.start()
        sink.setDefault(.answer(status: 422, contentType: "application/json",
                                body: #"{"error":{"errors":[{"field":"customs_items","message":"hs code missing"}]}}"#))
        let line = #"{"idempotency_key":"ep-1","adapter_id":"easypost","body":"{\"a\":1}"}"#
        #expect(try await Self.hub(["outbox", "enqueue", "--database", db], input: line).status == 0)
        let relay = try await Self.hub(["outbox", "relay", "--once", "--database", db, "--adapter", "easypost=\(sink.url)", "--max-attempts", "1"],
                                 environment: ["EASYPOST_API_KEY": "ep-key"])
        await sink.stop()
        #expect(relay.status == 0, "\(relay.err)")
        let log = try Self.lines(relay.err.split(separator: "\n").filter { $0.hasPrefix("{") }.joined(separator: "\n"))
        #expect(log.first?["event"] as? String == "dead" && log.first?["outcome"] as? String == "rejected")
        #expect(sink.received.first?.headers["authorization"] == "Basic " + Data("ep-key:".utf8).base64EncodedString())
        let shown = try #require(try Self.lines(try await Self.hub(["outbox", "show", "--database", db, "1"]).out).first)
        let attempts = try #require(shown["attempts"] as? [[String: Any]])
        let verdict = try #require(attempts.first?["verdict"] as? [String: Any])
        let reasons = try #require(verdict["reasons"] as? [[String: Any]])
        #expect(reasons.first?["message"] as? String == "hs code missing" && reasons.first?["code"] as? String == "customs_items")
        #expect((attempts.first?["request"] as? [String: Any])?["method"] as? String == "POST")
        let filing = try #require(shown["filing"] as? [String: Any])
        #expect((filing["filing"] as? [String: Any])?["state"] as? String == "rejected")
        #expect(try await Self.hub(["outbox", "show", "--database", db, "9"]).status == 1)
    }

    @Test func callbacksReceiveRefusesAForgedSignatureAndStoresNothing() async throws {
        let (dir, db) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = dir.appendingPathComponent("cb.json")
        try DeliveryTests.webhook("accepted", reference: "X").write(to: body, atomically: true, encoding: .utf8)
        let forged = try await Self.hub(["callbacks", "receive", "--database", db, "--adapter", "easypost", "--header", "X-Hmac-Signature: 00ff",
                                   body.path], environment: ["EASYPOST_WEBHOOK_SECRET": "s3cret"])
        #expect(forged.status == 1 && forged.err.contains("signature does not match"))
        let listed = try await Self.hub(["callbacks", "list", "--database", db])
        #expect(listed.status == 0 && listed.out.isEmpty)
    }
}
