import Foundation
import Store
import StoreSQLite
import Testing

/// SQLite's group commit: several accepts share one transaction (one fsync at FULL), each order in
/// its own savepoint. A failing order is answered with its own error and nothing of it is written;
/// the other orders of its batch commit whole.
@Suite("SQLite group commit of accepts")
struct GroupCommitTests {
    let t0: Millis = 1_764_000_000_000

    func withSQLite<T: Sendable>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path)
        try await store.migrate()
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    func order(_ key: String, filings: Int = 1, clash: Bool = false, apiKey: String? = nil, digest: String = "d") -> NewOrder {
        let lines = (1...2).map { n in
            OrderLineRecord(lineNumber: n, description: "Item \(n)", hsCode: "610910", originCountry: "PT", value: Decimal(n),
                            currency: "EUR", hs6: "610910", nationalCode: nil, confidence: nil, codeSource: "merchant")
        }
        let decisions = (1...2).map { n in
            DecisionRecord(orderID: nil, lineNumber: n, kind: "classification", input: "{}", output: "{}", confidence: nil, evidence: "{}",
                           version: "v1", decidedAt: t0)
        }
        let reviews = [ReviewItem(orderID: nil, lineNumber: 1, reason: "low_confidence", createdAt: t0, subject: "line:1", detail: "")]
        var filed = (0..<filings).map { f in
            NewFiling(kind: "declaration", message: NewOutboxMessage(idempotencyKey: "\(key)-f\(f)", adapterID: "gw", payload: Array("{}".utf8)),
                      references: [FilingReference(kind: "lrn", value: "\(key)-LRN-\(f)")])
        }
        // Two filings under one outbox key: the second insert fails after the order's first rows are written.
        if clash, filed.count > 1 { filed[1].message.idempotencyKey = filed[0].message.idempotencyKey }
        return NewOrder(merchantID: "m-1", idempotencyKey: key, externalReference: "EXT-\(key)", state: "accepted", canonicalJSON: "{}",
                        lines: lines, filings: filed, decisions: decisions, reviews: reviews,
                        apiRequest: apiKey.map { APIRequest(tenantID: "t-1", idempotencyKey: $0, requestSHA256: digest, orderID: nil) })
    }

    /// What every table holds, to show a failed order left nothing behind.
    func counts(_ store: SQLiteStore) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        let orders = try await store.orders(OrderFilter(limit: 10_000))
        out["orders"] = orders.count
        var lines = 0, filings = 0, decisions = 0
        for o in orders {
            lines += try await store.orderLines(orderID: o.id).count
            filings += try await store.filings(orderID: o.id).count
            decisions += try await store.decisions(orderID: o.id).count
        }
        out["lines"] = lines; out["filings"] = filings; out["decisions"] = decisions
        out["outbox"] = try await store.messages(OutboxFilter()).count
        out["reviews"] = try await store.reviewItems(ReviewFilter(limit: 10_000)).count
        let head = try await store.chainHead()
        out["chain"] = Int(head.length)
        return out
    }

    @Test func aFailingOrderInABatchTakesNothingElseDownAndLeavesNothingBehind() async throws {
        try await withSQLite { store in
            let results = try await store.accept(batch: [
                (order("g-1", apiKey: "h-1", digest: "a"), t0),
                (order("g-2", filings: 2, clash: true), t0),            // its outbox insert fails halfway
                (order("g-3", filings: 2), t0),
                (order("g-1", apiKey: "h-1", digest: "a"), t0),          // the first again, in the same batch
                (order("g-4", apiKey: "h-1", digest: "b"), t0),          // the first's API key with another body
                (order("g-5", filings: 0), t0),
            ])
            #expect(results.count == 6)
            let first = try results[0].get()
            #expect(first.created)
            if case .failure(let error) = results[1] { #expect(error.code == .constraint) } else { Issue.record("g-2 was accepted") }
            #expect(try results[2].get().created)
            let again = try results[3].get()
            #expect(again.orderID == first.orderID && !again.created)
            if case .failure(let error) = results[4] { #expect(error.code == .constraint) } else { Issue.record("g-4 was accepted") }
            #expect(try results[5].get().created)
            for key in ["g-2", "g-4"] { #expect(try await store.orderID(merchantID: "m-1", idempotencyKey: key) == nil) }
            // g-1, g-3 and g-5: 3 orders, 6 lines, 1 + 2 + 0 filings and outbox rows, 6 decisions chained, 3 review items.
            #expect(try await counts(store) == ["orders": 3, "lines": 6, "filings": 3, "outbox": 3, "decisions": 6, "reviews": 3, "chain": 6])
            #expect(try await store.request(tenantID: "t-1", idempotencyKey: "h-1")?.orderID == first.orderID)
            let chain = try await store.decisionStretch(afterID: 0, limit: 100)
            #expect(DecisionChain.verify(chain, previous: DecisionChain.genesis).break == nil)
        }
    }

    /// Orders whose rows run past 64 KiB, where SQLite's sub-journal of a savepoint used to move to a
    /// temporary file and is now kept in memory (`temp_store = MEMORY` on the writer): a large order
    /// that fails halfway still leaves nothing behind, and the large ones around it commit whole.
    @Test func aLargeFailingOrderRollsBackPastTheSubJournalsSpillSize() async throws {
        try await withSQLite { store in
            func large(_ key: String, clash: Bool = false) -> NewOrder {
                var o = order(key, filings: 2, clash: clash)
                for f in o.filings.indices { o.filings[f].message.payload = Array(repeating: UInt8(ascii: "a") &+ UInt8(f), count: 150_000) }
                o.canonicalJSON = "{\"note\":\"" + String(repeating: "x", count: 100_000) + "\"}"
                return o
            }
            let results = try await store.accept(batch: [(large("big-1"), t0), (large("big-2", clash: true), t0), (large("big-3"), t0)])
            #expect(try results[0].get().created && results[2].get().created)
            if case .failure(let error) = results[1] { #expect(error.code == .constraint) } else { Issue.record("big-2 was accepted") }
            #expect(try await store.orderID(merchantID: "m-1", idempotencyKey: "big-2") == nil)
            #expect(try await counts(store) == ["orders": 2, "lines": 4, "filings": 4, "outbox": 4, "decisions": 4, "reviews": 2, "chain": 4])
            let id = try #require(try await store.orderID(merchantID: "m-1", idempotencyKey: "big-3"))
            let payloads = try await store.outboxMessages(filingIDs: try await store.filings(orderID: id).map(\.id)).map(\.payload)
            #expect(payloads.map(\.count) == [150_000, 150_000])
            #expect(Set(payloads.map { $0[0] }) == [UInt8(ascii: "a"), UInt8(ascii: "b")] && payloads.allSatisfy { p in p.allSatisfy { $0 == p[0] } })
        }
    }

    /// An accept on an idle store is written in the caller's task: a caller cancelled before its
    /// write gets `CancellationError` and nothing of its order is kept; the next accept goes through.
    @Test func aCancelledAcceptOnAnIdleStoreKeepsNothing() async throws {
        try await withSQLite { (store: SQLiteStore) async throws in
            let task = Task {
                while !Task.isCancelled { await Task.yield() }
                return try await store.accept(self.order("x-1"), now: self.t0)
            }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(try await store.orderID(merchantID: "m-1", idempotencyKey: "x-1") == nil)
            #expect(try await counts(store) == ["orders": 0, "lines": 0, "filings": 0, "outbox": 0, "decisions": 0, "reviews": 0, "chain": 0])
            #expect(try await store.accept(order("x-2"), now: t0).created)
        }
    }

    /// Through `accept`, many at once: they queue behind the batch being written and share commits;
    /// each caller gets its own answer, the failing ones their error.
    @Test func concurrentAcceptsShareCommitsAndEachGetsItsOwnAnswer() async throws {
        try await withSQLite { store in
            // Per order: 1 created, 0 answered as the order stored before, -1 refused.
            let outcomes = await withTaskGroup(of: (Int, Int).self) { group in
                for n in 0..<60 {
                    group.addTask {
                        // Every fifth order fails; every seventh is sent twice.
                        let key = n % 7 == 0 && n > 0 ? "c-\(n - 7)" : "c-\(n)"
                        do { return (n, try await store.accept(self.order(key, filings: 2, clash: n % 5 == 1), now: self.t0).created ? 1 : 0) }
                        catch { return (n, -1) }
                    }
                }
                var out: [Int: Int] = [:]
                for await (n, created) in group { out[n] = created }
                return out
            }
            let failed = outcomes.filter { $0.value == -1 }.map(\.key).sorted()
            #expect(outcomes.count == 60 && outcomes.filter { $0.value == 0 }.count == 1)
            #expect(failed == (0..<60).filter { $0 % 5 == 1 })
            let stored = try await store.orders(OrderFilter(limit: 1_000)).map(\.idempotencyKey)
            let expected = Set((0..<60).filter { $0 % 5 != 1 }.map { n in n % 7 == 0 && n > 0 ? "c-\(n - 7)" : "c-\(n)" })
            #expect(Set(stored) == expected && stored.count == expected.count)
            let c = try await counts(store)
            #expect(c["outbox"] == 2 * expected.count && c["decisions"] == 2 * expected.count && c["chain"] == 2 * expected.count)
            let chain = try await store.decisionStretch(afterID: 0, limit: 1_000)
            #expect(DecisionChain.verify(chain, previous: DecisionChain.genesis).break == nil)
        }
    }
}
