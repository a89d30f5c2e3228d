import Foundation
import GRDB
import Store
import StoreSQLite
import Testing

/// `accept` writes an order's rows in a few multi-row statements (PostgreSQL) or one transaction
/// (SQLite): every row lands, in order, with the decision chain linear and whole, however the
/// accepts interleave and however large the order.
@Suite("Accepting orders: every row, in order, the chain whole")
struct AcceptBatchTests {
    func ledger(_ store: any HubStore) throws -> any HubDatabase { try #require(store as? any HubDatabase) }

    /// An order with `lines` lines, a review item and a few decisions per line, and `filings` filings with references.
    func order(_ key: String, lines: Int, filings: Int, merchant: String = "m-1") -> NewOrder {
        let rows = (1...lines).map { n in
            OrderLineRecord(lineNumber: n, description: "Item \(n)", hsCode: n % 2 == 0 ? nil : "610910", originCountry: "PT",
                            value: Decimal(n) + Decimal(string: "0.99")!, currency: "EUR", hs6: "610910", nationalCode: nil,
                            confidence: n % 3 == 0 ? nil : Decimal(string: "0.875")!, codeSource: "classifier")
        }
        let decisions = (1...lines).flatMap { n in
            ["classification", "risk"].map { kind in
                DecisionRecord(orderID: nil, lineNumber: n, kind: kind, input: #"{"line":\#(n)}"#, output: #"{"kind":"\#(kind)"}"#,
                               confidence: kind == "risk" ? nil : Decimal(string: "0.5")!, evidence: "{}", version: "v1", decidedAt: t0 + Int64(n))
            }
        }
        let reviews = (1...lines).map { n in
            ReviewItem(orderID: nil, lineNumber: n, reason: "low_confidence", createdAt: t0, subject: "line:\(n)", detail: "line \(n)",
                       value: Decimal(n), currency: n == 2 ? "JPY" : "EUR")
        }
        let filed = (0..<filings).map { f in
            NewFiling(kind: "declaration", message: message("\(key)-f\(f)", adapter: "gw-\(f)"),
                      references: [FilingReference(kind: "lrn", value: "\(key)-LRN-\(f)"), FilingReference(kind: "empty", value: "")])
        }
        return NewOrder(merchantID: merchant, idempotencyKey: key, externalReference: "EXT-\(key)", state: "held_for_review",
                        canonicalJSON: "{}", lines: rows, filings: filed, decisions: decisions, reviews: reviews)
    }

    /// Replays the whole chain in stretches and checks the head.
    func chainHolds(_ db: any HubDatabase) async throws -> Int {
        var all: [DecisionRecord] = []
        var after: Int64 = 0
        while true {
            let stretch = try await db.decisionStretch(afterID: after, limit: 500)
            guard let last = stretch.last?.id else { break }
            all += stretch
            after = last
        }
        #expect(DecisionChain.verify(all, previous: DecisionChain.genesis).break == nil)
        let head = try await db.chainHead()
        #expect(head.length == Int64(all.count) && head.hash == (all.last?.hash ?? DecisionChain.genesis))
        return all.count
    }

    @Test(arguments: Engine.available)
    func everyRowOfAnOrderLandsInOrder(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let (id, created) = try await db.accept(order("a-1", lines: 3, filings: 2), now: t0)
            #expect(created)
            let lines = try await db.orderLines(orderID: id)
            #expect(lines.map(\.lineNumber) == [1, 2, 3] && lines.map(\.hsCode) == ["610910", nil, "610910"])
            #expect(lines.map(\.value) == [Decimal(string: "1.99")!, Decimal(string: "2.99")!, Decimal(string: "3.99")!])
            #expect(lines.map(\.confidence) == [Decimal(string: "0.875")!, Decimal(string: "0.875")!, nil])
            let decisions = try await db.decisions(orderID: id)
            #expect(decisions.map(\.lineNumber) == [1, 1, 2, 2, 3, 3] && decisions.allSatisfy { $0.orderID == id })
            #expect(decisions.map(\.kind) == ["classification", "risk", "classification", "risk", "classification", "risk"])
            let reviews = try await db.reviewItems(ReviewFilter(orderID: id))
            #expect(reviews.map(\.lineNumber) == [1, 2, 3] && reviews.map(\.value) == [1, 2, 3] && reviews.allSatisfy { $0.state == "open" })
            // The value is money: its currency is stored beside it.
            #expect(reviews.map(\.currency) == ["EUR", "JPY", "EUR"])
            let filings = try await db.filings(orderID: id)
            #expect(filings.map(\.adapterID) == ["gw-0", "gw-1"] && filings.allSatisfy { $0.state == "queued" })
            for (n, filing) in filings.enumerated() {
                #expect(try await db.references(filingID: filing.id) == [FilingReference(kind: "lrn", value: "a-1-LRN-\(n)")])
            }
            let messages = try await db.outboxMessages(filingIDs: filings.map(\.id))
            #expect(messages.map(\.idempotencyKey) == ["a-1-f0", "a-1-f1"] && messages.map(\.filingID) == filings.map(\.id))
            #expect(try await chainHolds(db) == 6)

            // The same order again: nothing new, the chain untouched.
            let again = try await db.accept(order("a-1", lines: 3, filings: 2), now: t0 + 1)
            #expect(again.orderID == id && !again.created)
            #expect(try await chainHolds(db) == 6)
            // Two filings of one order under one outbox key: refused, and nothing of that order is kept.
            var clash = order("a-2", lines: 1, filings: 2)
            clash.filings[1].message.idempotencyKey = clash.filings[0].message.idempotencyKey
            await #expect(throws: StoreError.self) { try await db.accept(clash, now: t0) }
            #expect(try await db.orderID(merchantID: "m-1", idempotencyKey: "a-2") == nil)
            #expect(try await chainHolds(db) == 6)
        }
    }

    /// The API's `Idempotency-Key` row commits in the order's own transaction; a key another
    /// request (another digest) holds fails the accept, and nothing of that order is written.
    @Test(arguments: Engine.available)
    func theAPIRequestCommitsWithTheOrderOrNothingDoes(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let tenants = try #require(store as? any TenantDirectory)
            var first = order("k-1", lines: 2, filings: 1)
            first.apiRequest = APIRequest(tenantID: "t-1", idempotencyKey: "hdr-1", requestSHA256: "digest-a", orderID: nil)
            let accepted = try await db.accept(first, now: t0)
            #expect(accepted.created)
            #expect(try await tenants.request(tenantID: "t-1", idempotencyKey: "hdr-1")
                == APIRequest(tenantID: "t-1", idempotencyKey: "hdr-1", requestSHA256: "digest-a", orderID: accepted.orderID))
            // The same key of the same tenant with another body: refused, the order rolled back whole.
            var other = order("k-2", lines: 2, filings: 1)
            other.apiRequest = APIRequest(tenantID: "t-1", idempotencyKey: "hdr-1", requestSHA256: "digest-b", orderID: nil)
            let error = await #expect(throws: StoreError.self) { try await db.accept(other, now: t0 + 1) }
            #expect(error?.code == .constraint)
            #expect(try await db.orderID(merchantID: "m-1", idempotencyKey: "k-2") == nil)
            #expect(try await db.messages(OutboxFilter()).map(\.idempotencyKey) == ["k-1-f0"])
            #expect(try await db.reviewItems(ReviewFilter(limit: 100)).count == 2)
            #expect(try await chainHolds(db) == 4)
            #expect(try await tenants.request(tenantID: "t-1", idempotencyKey: "hdr-1")?.orderID == accepted.orderID)
            // Another tenant's key of the same text is its own.
            other.apiRequest?.tenantID = "t-2"
            let second = try await db.accept(other, now: t0 + 2)
            #expect(second.created)
            #expect(try await tenants.request(tenantID: "t-2", idempotencyKey: "hdr-1")?.orderID == second.orderID)
            #expect(try await chainHolds(db) == 8)
        }
    }

    /// `accept(batch:)` on each engine (SQLite and PostgreSQL: one transaction, a savepoint per
    /// order): an order whose own rows are refused fails alone and leaves nothing behind, a repeat
    /// inside the batch is the earlier order, and the other orders commit whole with the chain linear.
    @Test(arguments: Engine.available)
    func aBatchKeepsEachOrderAllOrNothing(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            var first = order("b-1", lines: 2, filings: 1)
            first.apiRequest = APIRequest(tenantID: "t-1", idempotencyKey: "h-1", requestSHA256: "a", orderID: nil)
            var clash = order("b-2", lines: 2, filings: 2)          // its second filing's outbox insert is refused
            clash.filings[1].message.idempotencyKey = clash.filings[0].message.idempotencyKey
            var otherBody = order("b-4", lines: 1, filings: 1)      // the first's API key with another body
            otherBody.apiRequest = APIRequest(tenantID: "t-1", idempotencyKey: "h-1", requestSHA256: "b", orderID: nil)
            let results = try await db.accept(batch: [(first, t0), (clash, t0), (order("b-3", lines: 1, filings: 2), t0), (first, t0 + 1),
                                                      (otherBody, t0), (order("b-5", lines: 3, filings: 0), t0)])
            #expect(results.count == 6)
            let accepted = try results[0].get()
            #expect(accepted.created)
            if case .failure(let error) = results[1] { #expect(error.code == .constraint) } else { Issue.record("b-2 was accepted") }
            #expect(try results[2].get().created)
            let again = try results[3].get()
            #expect(again.orderID == accepted.orderID && !again.created)
            if case .failure(let error) = results[4] { #expect(error.code == .constraint) } else { Issue.record("b-4 was accepted") }
            #expect(try results[5].get().created)
            for key in ["b-2", "b-4"] { #expect(try await db.orderID(merchantID: "m-1", idempotencyKey: key) == nil) }
            // b-1, b-3 and b-5: 2 + 1 + 3 lines, review items and 2 decisions a line, 1 + 2 + 0 filings.
            #expect(try await db.messages(OutboxFilter()).map(\.idempotencyKey).sorted() == ["b-1-f0", "b-3-f0", "b-3-f1"])
            #expect(try await db.reviewItems(ReviewFilter(limit: 100)).count == 6)
            #expect(try await chainHolds(db) == 12)
            let tenants = try #require(store as? any TenantDirectory)
            #expect(try await tenants.request(tenantID: "t-1", idempotencyKey: "h-1")?.orderID == accepted.orderID)
        }
    }

    /// PostgreSQL commits a batch as one transaction: an error that is no order's own refusal (here
    /// a text PostgreSQL cannot store, a NUL character) fails the whole call, and nothing of the
    /// batch is kept, not even the orders before it. One transaction per order would have kept them.
    @Test(.enabled(if: Engine.postgresURL != nil || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_POSTGRES"] != nil))
    func aBrokenBatchOnPostgreSQLKeepsNothing() async throws {
        try await withStore(.postgres) { store in
            let db = try ledger(store)
            var broken = order("p-2", lines: 1, filings: 1)
            broken.lines[0].description = "nul \u{0} inside"
            await #expect(throws: (any Error).self) {
                _ = try await db.accept(batch: [(order("p-1", lines: 2, filings: 1), t0), (broken, t0), (order("p-3", lines: 1, filings: 1), t0)])
            }
            for key in ["p-1", "p-2", "p-3"] { #expect(try await db.orderID(merchantID: "m-1", idempotencyKey: key) == nil) }
            #expect(try await db.messages(OutboxFilter()).isEmpty)
            #expect(try await chainHolds(db) == 0)
            // The store is usable after it, and the same batch without the broken order commits whole.
            let results = try await db.accept(batch: [(order("p-1", lines: 2, filings: 1), t0), (order("p-3", lines: 1, filings: 1), t0)])
            #expect(try results.map { try $0.get().created } == [true, true])
            #expect(try await chainHolds(db) == 6)
        }
    }

    /// The newest orders in one read, newest first (what the KPIs take), for all and per tenant.
    @Test(arguments: Engine.available)
    func newestOrdersComeFirstInOneRead(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let tenants = try #require(store as? any TenantDirectory)
            try await tenants.saveTenant(id: "t-1", name: "T", keySHA256s: ["k"], now: t0)
            _ = try await tenants.claimMerchant("m-1", tenantID: "t-1", now: t0)
            var ids: [Int64] = []
            for n in 1...4 { ids.append(try await db.accept(order("n-\(n)", lines: 1, filings: 0), now: t0).orderID) }
            _ = try await db.accept(order("other", lines: 1, filings: 0, merchant: "m-2"), now: t0)
            #expect(try await db.orders(OrderFilter(limit: 2, newestFirst: true)).map(\.merchantID) == ["m-2", "m-1"])
            #expect(try await tenants.orders(tenantID: "t-1", OrderFilter(limit: 3, newestFirst: true)).map(\.id) == [ids[3], ids[2], ids[1]])
            #expect(try await tenants.orders(tenantID: "t-1", OrderFilter(limit: 3)).map(\.id) == [ids[0], ids[1], ids[2]])
        }
    }

    /// The metrics' queue depths count what is still in play, per adapter and state, and nothing
    /// that only grows: a delivered row, a resolved item or an applied callback drops out.
    @Test(arguments: Engine.available)
    func queueDepthsCountOnlyWhatIsStillInPlay(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let empty = try await db.queueDepths()
            #expect(empty == QueueDepths(outbox: [], openReviewItems: 0, waitingCallbacks: 0))
            _ = try await db.accept(order("q-1", lines: 2, filings: 3), now: t0)
            let leased = try await store.lease(owner: "w", limit: 10, now: t0, leaseMillis: 60_000, adapters: ["gw-0", "gw-1"])
            #expect(leased.count == 2)
            for row in leased {
                #expect(try await store.complete(messageID: row.id, owner: "w", attempt: report("w", at: t0, status: row.adapterID == "gw-0" ? 200 : 422,
                                                                                                      errorClass: row.adapterID == "gw-0" ? nil : .permanent),
                                                 outcome: row.adapterID == "gw-0" ? .delivered : .dead))
            }
            _ = try await store.lease(owner: "w", limit: 10, now: t0, leaseMillis: 60_000, adapters: ["gw-2"])
            let first = try #require(try await store.storeCallback(InboxEvent(adapterID: "gw-0", externalEventID: "e-1", receivedAt: t0, body: Array("{}".utf8))))
            _ = try await store.storeCallback(InboxEvent(adapterID: "gw-0", externalEventID: "e-2", receivedAt: t0, body: Array("{}".utf8)))
            try await store.settleCallback(inboxID: first, status: "applied", filingID: nil, orderID: nil, note: nil, now: t0)
            let depths = try await db.queueDepths()
            #expect(depths.outbox == [OutboxStats.Row(adapterID: "gw-1", state: .dead, count: 1), OutboxStats.Row(adapterID: "gw-2", state: .leased, count: 1)])
            // Two line items of the order, and the dead filing's own item.
            #expect(depths.openReviewItems == 3)
            #expect(depths.waitingCallbacks == 1)
            // The full statistics still count the delivered row.
            #expect(try await store.stats().count(.delivered) == 1)
        }
    }

    /// A review filter names only the conditions it sets, so each engine can use its indexes: the
    /// items of one order are found through `review_items_by_order`, not by a scan of every item.
    @Test func reviewAndInboxFiltersUseTheirIndexesOnSQLite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        try await store.close()
        let queue = try DatabaseQueue(path: path)
        func plan(_ table: String, _ fragment: SQLFragment, order: String) throws -> String {
            let clause = fragment.questionMarks
            let arguments: StatementArguments = StatementArguments(clause.values.map { v -> any DatabaseValueConvertible in
                switch v { case .int(let i): i; case .text(let t): t }
            })
            return try queue.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM \(table) WHERE \(clause.sql) ORDER BY \(order)", arguments: arguments)
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        let cases: [(String, SQLFragment, String, String)] = [
            ("review_items", ReviewFilter(orderID: 7).sqlWhere(), "created_at, id", "review_items_by_order"),
            ("review_items", ReviewFilter(state: "open", orderID: 7).sqlWhere(), "created_at, id", "review_items_by_order"),
            ("review_items", ReviewFilter(state: "open").sqlWhere(), "created_at, id", "review_items_by_state"),
            ("review_items", ReviewFilter(createdSince: 1_800_000_000_000).sqlWhere(), "created_at, id", "review_items_by_created"),
            ("inbox", InboxSQL.filter(status: "received", adapterID: nil), "id", "inbox_by_status"),
            ("orders", OrderFilter(state: "held_for_review").sqlWhere(), "id", "orders_by_state"),
            ("orders", OrderFilter(state: "filed", afterID: 40).sqlWhere(), "id", "orders_by_state"),
            // An order's outbox rows (`orders show`, the order page, cancelling), as the store asks.
            ("outbox", "filing_id IN (\(list: [.int(3), .int(4)]))", "id", "outbox_by_filing"),
            // The KPIs' batch reads of many orders' rows, as the store asks, each in its index's order.
            ("order_lines", OrderBatchSQL.byOrder([3, 4, 9]), OrderBatchSQL.lineOrder, "sqlite_autoindex_order_lines_1"),
            ("filings", OrderBatchSQL.byOrder([3, 4, 9]), OrderBatchSQL.rowOrder, "filings_by_order"),
            ("decisions", OrderBatchSQL.byOrder([3, 4, 9]), OrderBatchSQL.rowOrder, "decisions_by_order"),
        ]
        // The metrics' counts, read at every scrape: each from its index, none by a scan of its table.
        let depthCases: [(String, String, String)] = [
            (QueueDepthSQL.outbox, "outbox", "outbox_due"), (QueueDepthSQL.openReviewItems, "review_items", "review_items_by_state"),
            (QueueDepthSQL.waitingCallbacks, "inbox", "inbox_by_status"),
        ]
        for (sql, table, index) in depthCases {
            let detail = try await queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
            #expect(detail.contains(index) && !detail.contains("SCAN \(table)"), "\(sql): \(detail)")
        }
        for (table, fragment, order, index) in cases {
            let detail = try plan(table, fragment, order: order)
            #expect(detail.contains(index) && !detail.contains("SCAN \(table)"), "\(table) WHERE \(fragment.questionMarks.sql): \(detail)")
        }
        // The batch reads walk their index in the order they return, with no sort of the rows read.
        for (table, order) in [("order_lines", OrderBatchSQL.lineOrder), ("filings", OrderBatchSQL.rowOrder), ("decisions", OrderBatchSQL.rowOrder)] {
            let detail = try plan(table, OrderBatchSQL.byOrder([3, 4, 9]), order: order)
            #expect(!detail.contains("TEMP B-TREE"), "\(table): \(detail)")
        }
        // The HS corrections read at every start and reload: a walk of the partial index, which
        // holds only the corrections, not of the table.
        let corrections = try plan("decisions", "\(unescaped: DecisionSQL.hsCorrection)", order: "id")
        #expect(corrections == "SCAN decisions USING INDEX decisions_hs_corrections", "\(corrections)")
        // And the filters still select what they name.
        #expect(ReviewFilter().sqlWhere().questionMarks.sql == "1 = 1")
        #expect(ReviewFilter(state: "resolved", reason: "r").sqlWhere().questionMarks == ("state = ? AND reason = ?", [.text("resolved"), .text("r")]))
    }

    @Test(arguments: Engine.available)
    func concurrentAcceptsFromTwoHandlesKeepTheChainLinear(engine: Engine) async throws {
        try await withStore(engine) { store in
            let other = try await engine.reopen(TestStore(store: store, cleanup: {}))
            let handles: [any HubStore] = [store, other]
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for n in 0..<24 {
                    let handle = handles[n % 2]
                    // Every third order is sent twice at once: one order, one set of decisions.
                    let key = "c-\(n - n % 3)"
                    group.addTask { try await handle.accept(self.order(key, lines: 2, filings: 1), now: t0).orderID }
                }
                var out: [Int64] = []
                for try await id in group { out.append(id) }
                return out
            }
            #expect(Set(ids).count == 8)
            let db = try ledger(store)
            #expect(try await chainHolds(db) == 8 * 4)
            for id in Set(ids) {
                #expect(try await db.decisions(orderID: id).count == 4)
                #expect(try await db.filings(orderID: id).count == 1)
            }
            try? await other.close()
        }
    }

    @Test(arguments: Engine.available)
    func anOrderLargerThanOneStatementLandsWhole(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let accepted = try await db.accept(order("big", lines: 2_100, filings: 3), now: t0)
            #expect(accepted.created)
            let numbers = try await db.orderLines(orderID: accepted.orderID).map(\.lineNumber)
            #expect(numbers == Array(1...2_100))
            #expect(try await db.reviewItems(ReviewFilter(orderID: accepted.orderID, limit: 5_000)).map(\.lineNumber) == numbers)
            #expect(try await db.decisions(orderID: accepted.orderID).map(\.lineNumber) == numbers.flatMap { [$0, $0] })
            #expect(try await chainHolds(db) == 4_200)
            #expect(try await db.filings(orderID: accepted.orderID).count == 3)
        }
    }
}
