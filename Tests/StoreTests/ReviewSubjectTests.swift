import Foundation
import GRDB
import Store
import StoreSQLite
import Testing

/// Review items beyond orders (document drafts, DEAD filings), allow-list entries in the
/// resolution's transaction, and the workbench's stored sessions: every engine.
@Suite("Review subjects, drafts and sessions in the store")
struct ReviewSubjectTests {
    func ledger(_ store: any HubStore) throws -> any HubDatabase { try #require(store as? any HubDatabase) }

    func order(_ key: String, adapter: String = "gw") -> NewOrder {
        NewOrder(merchantID: "m-1", idempotencyKey: key, externalReference: "EXT-\(key)", state: "filed", canonicalJSON: "{}",
                 lines: [OrderLineRecord(lineNumber: 1, description: "Cotton T-shirt", hsCode: "610910", originCountry: "PT",
                                         value: 20, currency: "EUR")],
                 filings: [NewFiling(kind: "declaration", message: message("\(key)-f", adapter: adapter))])
    }

    @Test(arguments: Engine.available)
    func aDraftWithProblemsWaitsAsItsOwnReviewItemAndARejectionIsADecisionAboutTheDraft(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let draft = DocumentDraft(merchantID: "m-docs", sha256: String(repeating: "ab", count: 32), contentType: "application/pdf",
                                      byteCount: 5, extractionJSON: #"{"problems":[{"code":"total_mismatch"}]}"#, createdAt: t0)
            let item = ReviewItem(orderID: nil, lineNumber: nil, reason: "unreadable_document", createdAt: t0, detail: "1 problem", value: 12,
                                  currency: "CHF")
            let first = try await db.addDocumentDraft(draft, file: Array("%PDF-".utf8), review: item, now: t0)
            #expect(first.created)
            let again = try await db.addDocumentDraft(draft, file: Array("%PDF-".utf8), review: item, now: t0 + 1)
            #expect(!again.created && again.draftID == first.draftID && again.reviewID == first.reviewID)
            let firstItem = try #require(first.reviewID)
            let stored = try #require(try await db.reviewItem(id: firstItem))
            #expect(stored.orderID == nil && stored.documentID == first.draftID && stored.subject == "document:\(first.draftID)")
            #expect(stored.value == 12 && stored.currency == "CHF")
            #expect(try await db.reviewItems(ReviewFilter(state: "open", reason: "unreadable_document")).map(\.id) == [first.reviewID])
            #expect(try await db.documentFile(id: first.draftID) == Array("%PDF-".utf8))

            let decision = DecisionRecord(orderID: nil, lineNumber: nil, kind: "review", input: "\"1 problem\"", output: #"{"action":"reject"}"#,
                                          confidence: nil, evidence: "{}", version: "{}", decidedAt: t0 + 2, actor: "reviewer:rita",
                                          documentID: first.draftID)
            let outcome = try await db.resolve(ReviewResolution(itemID: stored.id!, action: "reject", reviewer: "rita", decisions: [decision],
                                                                draft: DraftSettlement(state: "rejected")), now: t0 + 2)
            #expect(outcome == .resolved(remaining: 0))
            #expect(try await db.documentDraft(id: first.draftID)?.state == "rejected")
            #expect(try await db.reviewItem(id: stored.id!)?.resolvedBy == "rita")
            let chain = try await db.decisionStretch(afterID: 0, limit: 100)
            #expect(chain.count == 1 && chain[0].orderID == nil && chain[0].documentID == first.draftID)
            #expect(DecisionChain.verify(chain, previous: DecisionChain.genesis).break == nil)
            // The draft's id is part of the record's hash: moving it to another draft breaks the chain.
            var moved = chain[0]
            moved.documentID = first.draftID + 1
            #expect(DecisionChain.verify([moved], previous: DecisionChain.genesis).break != nil)
            // Resolving it again writes nothing.
            #expect(try await db.resolve(ReviewResolution(itemID: stored.id!, action: "reject", reviewer: "sam"), now: t0 + 3) == .notOpen)
        }
    }

    @Test(arguments: Engine.available)
    func aDeadDeliveryOpensOneReviewItemOnItsOrderWithTheLastErrorAndAttempts(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let (orderID, _) = try await store.accept(order("dead"), now: t0)
            let filing = try #require(try await store.filings(orderID: orderID).first)
            var row = try #require(try await store.lease(owner: "w", limit: 1, now: t0, leaseMillis: 1000, adapters: nil).first)
            #expect(try await store.complete(messageID: row.id, owner: "w", attempt: report("w", at: t0, status: 503, errorClass: .retryable),
                                             outcome: .retry(at: t0 + 10)))
            #expect(try await db.reviewItems(ReviewFilter(state: "open")).isEmpty, "a retry is not a review item")
            row = try #require(try await store.lease(owner: "w", limit: 1, now: t0 + 10, leaseMillis: 1000, adapters: nil).first)
            #expect(try await store.complete(messageID: row.id, owner: "w", attempt: report("w", at: t0 + 10, status: 503, errorClass: .retryable),
                                             outcome: .dead))
            let items = try await db.reviewItems(ReviewFilter(state: "open"))
            #expect(items.count == 1)
            let item = try #require(items.first)
            #expect(item.reason == "dead_filing" && item.orderID == orderID && item.subject == "filing:\(filing.id)")
            #expect(item.detail.contains("DEAD after 2 attempt(s)") && item.detail.contains("failed: retryable"), "\(item.detail)")
            #expect(item.evidence.contains("\"attempts\":2") && item.evidence.contains("\"http_status\":503"), "\(item.evidence)")
            // Sent again from any door: the item is answered in the same transaction, with a decision naming who.
            #expect(try await store.reprocess(OutboxFilter(ids: [row.id]), now: t0 + 20, reviewer: "cli", note: "gateway back") == [row.id])
            #expect(try await db.reviewItems(ReviewFilter(state: "open")).isEmpty)
            let answered = try #require(try await db.reviewItems(ReviewFilter(orderID: orderID)).first { $0.id == item.id })
            #expect(answered.state == "resolved" && answered.resolution == "reprocess" && answered.resolvedBy == "cli")
            let decision = try #require(try await db.decisions(orderID: orderID).last)
            #expect(decision.actor == "reviewer:cli" && decision.kind == "review", "\(decision)")
            #expect(decision.output.contains("\"outbox_ids\":[\(row.id)]") && decision.output.contains("gateway back"), "\(decision.output)")
            // Dead again: a new item for the filing, one open.
            row = try #require(try await store.lease(owner: "w", limit: 1, now: t0 + 20, leaseMillis: 1000, adapters: nil).first)
            try await store.complete(messageID: row.id, owner: "w", attempt: report("w", at: t0 + 20, status: nil, errorClass: .unknownDelivery),
                                     outcome: .dead)
            #expect(try await db.reviewItems(ReviewFilter(state: "open")).count == 1)

            // A gateway's rejection carries a verdict: its filing update opens the review item, not the store.
            let (other, _) = try await store.accept(order("rejected"), now: t0)
            let rejected = try #require(try await store.lease(owner: "w", limit: 1, now: t0 + 30, leaseMillis: 1000, adapters: nil).first)
            var judged = report("w", at: t0 + 30, status: 400, errorClass: .permanent)
            judged.verdict = #"{"outcome":"rejected"}"#
            try await store.complete(messageID: rejected.id, owner: "w", attempt: judged, outcome: .dead)
            #expect(try await db.reviewItems(ReviewFilter(state: "open", orderID: other)).isEmpty)
        }
    }

    /// A group of completions (the relay's group commit; SQLite writes it as multi-row statements)
    /// records what the same completions one by one record: attempts numbered and chained, rows,
    /// their filings, and a review item for a DEAD filing no gateway judged.
    @Test(arguments: Engine.available)
    func aBatchOfCompletionsRecordsWhatOneByOneRecords(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            var orders: [Int64] = []
            var filings: [Int64] = []
            for key in ["b-ok", "b-retry", "b-dead", "b-lost"] {
                let (orderID, _) = try await store.accept(order(key), now: t0)
                orders.append(orderID)
                filings.append(try #require(try await store.filings(orderID: orderID).first).id)
            }
            let rows = try await store.lease(owner: "w", limit: 4, now: t0, leaseMillis: 1000, adapters: nil)
            #expect(rows.count == 4)
            let id = Dictionary(uniqueKeysWithValues: rows.compactMap { r in r.filingID.map { ($0, r.id) } })
            let (ok, retry, dead, lost) = (try #require(id[filings[0]]), try #require(id[filings[1]]), try #require(id[filings[2]]), try #require(id[filings[3]]))
            let results = try await store.complete([
                Completion(messageID: ok, owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered),
                Completion(messageID: retry, owner: "w", attempt: report("w", at: t0, status: 503, errorClass: .retryable), outcome: .retry(at: t0 + 10)),
                Completion(messageID: dead, owner: "w", attempt: report("w", at: t0, status: nil, errorClass: .unknownDelivery), outcome: .dead),
                Completion(messageID: lost, owner: "someone-else", attempt: report("someone-else", at: t0, status: 503, errorClass: .retryable),
                           outcome: .retry(at: t0 + 10)),
            ])
            #expect(results.map { try? $0.get() } == [true, true, true, false])
            let delivered = try #require(try await store.message(id: ok))
            #expect(delivered.state == .delivered && delivered.deliveredAt == t0 + 5)
            let retried = try #require(try await store.message(id: retry))
            #expect(retried.state == .pending && retried.availableAt == t0 + 10 && retried.attempts == 1 && retried.lastErrorClass == .retryable)
            #expect(try await store.message(id: dead)?.state == .dead)
            let untouched = try #require(try await store.message(id: lost))
            #expect(untouched.state == .leased && untouched.attempts == 0 && untouched.leaseOwner == "w")
            #expect(try await store.attempts(messageID: lost).count == 1, "a lost lease's attempt is kept as evidence")
            #expect(try await store.filings(orderID: orders[0]).first?.state == "delivered")
            #expect(try await store.filings(orderID: orders[1]).first?.state == "queued")
            #expect(try await store.filings(orderID: orders[2]).first?.state == "dead")
            let items = try await db.reviewItems(ReviewFilter(state: "open"))
            #expect(items.map(\.subject) == ["filing:\(filings[2])"] && items.first?.orderID == orders[2])

            // The retry's second attempt, in a batch again, follows its first.
            let again = try await store.lease(owner: "w", limit: 4, now: t0 + 10, leaseMillis: 1000, adapters: nil)
            #expect(again.map(\.id) == [retry])
            let second = try await store.complete([
                Completion(messageID: retry, owner: "w", attempt: report("w", at: t0 + 10, status: 200), outcome: .delivered),
                Completion(messageID: ok, owner: "w", attempt: report("w", at: t0 + 10, status: 200), outcome: .delivered),
            ])
            #expect(second.map { try? $0.get() } == [true, false])
            let attempts = try await store.attempts(messageID: retry)
            #expect(attempts.map(\.number) == [1, 2] && attempts[1].previousAttemptID == attempts[0].id)
            #expect(try await store.filings(orderID: orders[1]).first?.state == "delivered")
            #expect(try await store.message(id: ok)?.attempts == 1, "a delivered row is not written again")
        }
    }

    @Test(arguments: Engine.available)
    func allowListEntriesCommitWithTheResolutionAndNotWithoutIt(engine: Engine) async throws {
        try await withStore(engine) { store in
            let db = try ledger(store)
            let list = try #require(store as? any ScreeningAllowList)
            var new = order("party")
            new.state = "held_for_review"
            new.reviews = [ReviewItem(orderID: 0, lineNumber: nil, reason: "screening_hit", createdAt: t0, subject: "party:consignee")]
            let (orderID, _) = try await store.accept(new, now: t0)
            let item = try #require(try await db.reviewItems(ReviewFilter(orderID: orderID)).first?.id)
            let entry = ScreeningAllowance(partyName: "Ascotec Holding", list: "ofac_sdn", entryID: "11608", listVersion: "v1",
                                           releasedBy: "sam", reviewItemID: item, createdAt: t0)
            let decision = DecisionRecord(orderID: orderID, lineNumber: nil, kind: "review", input: "\"hit\"", output: #"{"action":"release"}"#,
                                          confidence: nil, evidence: "{}", version: "{}", decidedAt: t0, actor: "reviewer:sam")
            #expect(try await db.resolve(ReviewResolution(itemID: item, action: "release", reviewer: "sam", decisions: [decision],
                                                          allowances: [entry]), now: t0) != .notOpen)
            #expect(try await list.allowances() == [entry])
            // A second release of the same (now resolved) item writes no entry and no decision.
            var later = entry
            later.listVersion = "v2"
            #expect(try await db.resolve(ReviewResolution(itemID: item, action: "release", reviewer: "rita", decisions: [decision],
                                                          allowances: [later]), now: t0 + 1) == .notOpen)
            #expect(try await list.allowances() == [entry])
            #expect(try await db.chainHead().length == 1)
        }
    }

    @Test(arguments: Engine.available)
    func sessionsAreStoredByTheirTokensHashExpireAndEndAtLogout(engine: Engine) async throws {
        try await withStore(engine) { store in
            let sessions = try #require(store as? any ReviewSessionStore)
            let old = ReviewSession(tokenSHA256: "old", user: "sam", role: "admin", createdAt: t0, expiresAt: t0 + 100)
            try await sessions.saveSession(old, now: t0)
            #expect(try await sessions.session(tokenSHA256: "old", now: t0 + 99) == old)
            #expect(try await sessions.session(tokenSHA256: "old", now: t0 + 100) == nil, "expired")
            let new = ReviewSession(tokenSHA256: "new", user: "rita", role: "reviewer", createdAt: t0 + 200, expiresAt: t0 + 900)
            try await sessions.saveSession(new, now: t0 + 200)
            #expect(try await sessions.session(tokenSHA256: "new", now: t0 + 300) == new)
            try await sessions.deleteSession(tokenSHA256: "new")
            #expect(try await sessions.session(tokenSHA256: "new", now: t0 + 300) == nil)
        }
    }

    /// A SQLite file written by the steps before 006 (an order, its review item, two chained
    /// decisions) is upgraded in place: same ids, the chain still verifies, new ids follow the old.
    /// A SQLite file as an older release left it: only `migrations` applied, one order (id 1), then `rows`.
    static func olderDatabase(at path: String, migrations: ArraySlice<Migration>, rows: @escaping @Sendable (Database) throws -> Void) async throws {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE \(Migrations.ledgerTable) (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for m in migrations {
                for statement in m.statements(.sqlite) { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO \(Migrations.ledgerTable) (id, applied_at) VALUES (?, 0)", arguments: [m.id])
            }
            try db.execute(sql: """
                INSERT INTO orders (merchant_id, idempotency_key, external_reference, state, canonical_json, created_at, updated_at)
                VALUES ('m-1', 'k-1', 'EXT-1', 'held_for_review', '{}', 0, 0)
                """)
            try rows(db)
        }
        try queue.close()
    }

    @Test func aSQLiteDatabaseFromBefore006IsUpgradedWithItsChainIntact() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-006-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        let before = Migrations.all.prefix { !$0.id.hasPrefix("006") }
        #expect(before.count == 6)
        var chain: [DecisionRecord] = []
        var previous = DecisionChain.genesis
        for n in 1...2 {
            let d = DecisionChain.seal(DecisionRecord(orderID: 1, lineNumber: 1, kind: "classification", input: "{}", output: "{\"n\":\(n)}",
                                                      confidence: Decimal(string: "0.42"), evidence: "{}", version: "{}", decidedAt: t0 + Millis(n)),
                                       after: previous)
            chain.append(d)
            previous = d.hash
        }
        let (sealed, head) = (chain, previous)
        try await Self.olderDatabase(at: path, migrations: before) { db in
            try db.execute(sql: "INSERT INTO review_items (id, order_id, line_number, reason, state, created_at) VALUES (41, 1, 1, 'low_confidence', 'open', 0)")
            for d in sealed {
                try db.execute(sql: """
                    INSERT INTO decisions (order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor,
                                           input_digest, corrects, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [d.orderID, d.lineNumber, d.kind, d.input, d.output, "0.42", d.evidence, d.version, d.decidedAt, d.actor,
                                     d.inputDigest, d.corrects, d.previousHash, d.hash])
            }
            try db.execute(sql: "UPDATE decision_chain SET head_hash = ?, length = 2 WHERE id = 1", arguments: [head])
        }

        let store = try SQLiteStore(path: path, synchronous: "NORMAL")
        try await store.migrate()
        let stored = try await store.decisionStretch(afterID: 0, limit: 10)
        #expect(stored.map(\.id) == [1, 2] && stored.map(\.hash) == chain.map(\.hash))
        #expect(DecisionChain.verify(stored, previous: DecisionChain.genesis).break == nil)
        #expect(try await store.chainHead() == (previous, 2))
        let item = try #require(try await store.reviewItem(id: 41))
        #expect(item.orderID == 1 && item.documentID == nil && item.reason == "low_confidence")
        let draft = DocumentDraft(merchantID: "m-1", sha256: "00", contentType: "image/png", byteCount: 1, extractionJSON: "{}", createdAt: t0)
        let added = try await store.addDocumentDraft(draft, file: [1], review: ReviewItem(orderID: nil, lineNumber: nil, reason: "unreadable_document",
                                                                                           createdAt: t0), now: t0)
        #expect(added.reviewID == 42, "ids go on after the old rows")
        try await store.close()
    }

    /// Review items stored before their value's currency was kept take their line's currency (an
    /// item about the whole order, its first line's); one without a value gets none.
    @Test func reviewItemsFromBefore011TakeTheirLinesCurrency() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-011-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        let before = Migrations.all.prefix { !$0.id.hasPrefix("011") }
        #expect(before.count == 11 && Migrations.all.count > before.count)
        try await Self.olderDatabase(at: path, migrations: before) { db in
            for (n, currency) in [(1, "GBP"), (2, "JPY")] {
                try db.execute(sql: "INSERT INTO order_lines (order_id, line_number, description, value, currency) VALUES (1, ?, 'x', '3', ?)",
                               arguments: [n, currency])
            }
            try db.execute(sql: """
                INSERT INTO review_items (id, order_id, line_number, reason, state, created_at, value) VALUES
                  (1, 1, 2, 'low_confidence', 'open', 0, '300'), (2, 1, NULL, 'risk', 'open', 0, '12.5'), (3, 1, 1, 'screening_hit', 'open', 0, NULL)
                """)
        }
        let store = try SQLiteStore(path: path, synchronous: "NORMAL")
        try await store.migrate()
        let items = try await store.reviewItems(ReviewFilter(orderID: 1))
        #expect(items.map(\.id) == [1, 2, 3])
        #expect(items.map(\.currency) == ["JPY", "GBP", nil])
        #expect(items.map(\.value) == [300, Decimal(string: "12.5")!, nil])
        try await store.close()
    }
}
