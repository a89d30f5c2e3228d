import Foundation
import Store
import Testing

/// One suite, every engine: what SQLite promises, PostgreSQL promises too.
@Suite("Store contract")
struct StoreContractTests {
    func newOrder(key: String, filings: [NewFiling], merchant: String = "m-1") -> NewOrder {
        NewOrder(merchantID: merchant, idempotencyKey: key, externalReference: "EXT-\(key)", state: "accepted",
                 canonicalJSON: #"{"idempotency_key":"\#(key)"}"#,
                 lines: [OrderLineRecord(lineNumber: 1, description: "Cotton T-shirt", hsCode: "610910", originCountry: "PT",
                                         value: Decimal(string: "19.99")!, currency: "EUR"),
                         OrderLineRecord(lineNumber: 2, description: "Socks", hsCode: nil, originCountry: nil,
                                         value: Decimal(string: "0.10")!, currency: "EUR")],
                 filings: filings)
    }

    @Test(arguments: Engine.available)
    func screeningAllowListKeepsOneEntryPerPartyEntryAndListVersion(engine: Engine) async throws {
        try await withStore(engine) { store in
            let list = try #require(store as? any ScreeningAllowList)
            let first = ScreeningAllowance(partyName: "Ascotec Holding", list: "ofac_sdn", entryID: "11608", listVersion: "v1",
                                           releasedBy: "sam", reviewItemID: 7, createdAt: 1_000)
            try await list.allow([first, first])
            var sameParty = first
            sameParty.partyName = "ASCOTEC  holding"
            sameParty.releasedBy = "rita"
            try await list.allow([sameParty])
            var newVersion = first
            newVersion.listVersion = "v2"
            try await list.allow([newVersion])
            let all = try await list.allowances()
            #expect(all.map(\.listVersion) == ["v1", "v2"])
            #expect(all.first == first)
        }
    }

    @Test(arguments: Engine.available)
    func migrateIsRepeatable(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.stats().rows.isEmpty)
        }
    }

    /// The listings a person or an API client pages through select in SQL what they show: a
    /// tenant's rows, the newest first, after a cursor; callbacks likewise.
    @Test(arguments: Engine.available)
    func outboxAndCallbackListingsPageInTheStore(engine: Engine) async throws {
        try await withStore(engine) { store in
            let tenants = try #require(store as? any TenantDirectory)
            try await tenants.saveTenant(id: "alpha", name: "Alpha", keySHA256s: ["a"], now: t0)
            try await tenants.saveTenant(id: "beta", name: "Beta", keySHA256s: ["b"], now: t0)
            #expect(try await tenants.claimMerchant("m-a", tenantID: "alpha", now: t0) == "alpha")
            #expect(try await tenants.claimMerchant("m-b", tenantID: "beta", now: t0) == "beta")
            // Alpha queues six rows before Beta's one, then one more.
            for n in 1...3 {
                _ = try await store.accept(newOrder(key: "a\(n)", filings: [NewFiling(kind: "x", message: message("a\(n)-1")),
                                                                           NewFiling(kind: "y", message: message("a\(n)-2"))], merchant: "m-a"), now: t0)
            }
            _ = try await store.accept(newOrder(key: "b1", filings: [NewFiling(kind: "x", message: message("b1-1"))], merchant: "m-b"), now: t0)
            _ = try await store.accept(newOrder(key: "a4", filings: [NewFiling(kind: "x", message: message("a4-1"))], merchant: "m-a"), now: t0)
            _ = try await store.enqueue([message("loose")], now: t0)

            let beta = try await store.messages(OutboxFilter(tenantID: "beta", limit: 1))
            #expect(beta.map(\.idempotencyKey) == ["b1-1"])
            var alphaKeys: [String] = []
            var cursor: Int64?
            repeat {
                let page = try await store.messages(OutboxFilter(tenantID: "alpha", afterID: cursor, limit: 3))
                alphaKeys += page.map(\.idempotencyKey)
                cursor = page.count == 3 ? page.last?.id : nil
            } while cursor != nil
            #expect(alphaKeys == ["a1-1", "a1-2", "a2-1", "a2-2", "a3-1", "a3-2", "a4-1"])
            #expect(try await store.messages(OutboxFilter(tenantID: "nobody")).isEmpty)
            let newest = try await store.messages(OutboxFilter(limit: 2, newestFirst: true)).map(\.idempotencyKey)
            #expect(newest == ["loose", "a4-1"])
            #expect(try await store.messages(OutboxFilter(adapterID: "gw", tenantID: "alpha", limit: 2, newestFirst: true)).map(\.idempotencyKey)
                    == ["a4-1", "a3-2"])

            for n in 0..<4 {
                _ = try await store.storeCallback(InboxEvent(adapterID: n == 2 ? "other" : "gw", externalEventID: "e-\(n)", receivedAt: t0 + Int64(n),
                                                             body: Array("{}".utf8)))
            }
            #expect(try await store.callbacks(status: nil, adapterID: nil, limit: 2, newestFirst: true).map(\.externalEventID) == ["e-3", "e-2"])
            #expect(try await store.callbacks(status: "received", adapterID: "gw", limit: 2, newestFirst: false).map(\.externalEventID) == ["e-0", "e-1"])
            #expect(try await store.callbacks(status: nil, adapterID: nil).count == 4)
        }
    }

    /// The batch reads the KPIs use give exactly what the per-order reads give: every order's rows,
    /// in the same order, nothing for an order without rows or an id no order has, and the same
    /// across chunks (the real ids here come after 600 unknown ones, so they fall in the second chunk).
    @Test(arguments: Engine.available)
    func batchReadsByOrderMatchThePerOrderReads(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ledger = try #require(store as? any OrderLedger)
            let a = try await store.accept(newOrder(key: "a", filings: [NewFiling(kind: "ics2", message: message("a-1")),
                                                                       NewFiling(kind: "courier", message: message("a-2", adapter: "dhl"))]), now: t0).orderID
            let b = try await store.accept(newOrder(key: "b", filings: []), now: t0).orderID
            let c = try await store.accept(newOrder(key: "c", filings: [NewFiling(kind: "ics2", message: message("c-1"))]), now: t0).orderID
            // Decisions of a and c interleaved in the chain; b has none.
            for (n, order) in [a, c, a, c, a].enumerated() {
                try await store.append(DecisionRecord(orderID: order, lineNumber: n % 2 == 0 ? 1 : nil, kind: "k\(n)", input: "{}", output: "{}",
                                                      confidence: n == 1 ? Decimal(string: "0.75")! : nil, evidence: "{}", version: "v1",
                                                      decidedAt: t0 + Int64(n)))
            }
            let known = [c, a, b]
            let unknown: [Int64] = (1...600).map { -Int64($0) }
            let ids = unknown + known + [a]
            let lines = try await ledger.orderLines(orderIDs: ids)
            let filings = try await ledger.filings(orderIDs: ids)
            let decisions = try await ledger.decisions(orderIDs: ids)
            for id in known {
                let (oneLines, oneFilings, oneDecisions) = (try await store.orderLines(orderID: id), try await store.filings(orderID: id),
                                                            try await store.decisions(orderID: id))
                #expect(lines[id] ?? [] == oneLines, "order \(id)")
                #expect(filings[id] ?? [] == oneFilings, "order \(id)")
                #expect(decisions[id] ?? [] == oneDecisions, "order \(id)")
            }
            #expect(Set(lines.keys) == [a, b, c] && lines[a]?.map(\.lineNumber) == [1, 2])
            #expect(Set(filings.keys) == [a, c] && filings[a]?.map(\.kind) == ["ics2", "courier"])
            #expect(Set(decisions.keys) == [a, c] && decisions[a]?.map(\.kind) == ["k0", "k2", "k4"] && decisions[c]?.map(\.kind) == ["k1", "k3"])
            let none = try await ledger.orderLines(orderIDs: [])
            let unknownOnly = try await ledger.decisions(orderIDs: unknown)
            #expect(none.isEmpty && unknownOnly.isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func orderLinesFilingsAndOutboxCommitTogether(engine: Engine) async throws {
        try await withStore(engine) { store in
            let order = newOrder(key: "k1", filings: [NewFiling(kind: "ics2", message: message("f-1")),
                                                       NewFiling(kind: "courier", message: message("f-2", adapter: "dhl"))])
            let (id, created) = try await store.accept(order, now: t0)
            #expect(created)
            let stored = try #require(try await store.order(id: id))
            #expect(stored.state == "accepted" && stored.externalReference == "EXT-k1")
            let lines = try await store.orderLines(orderID: id)
            #expect(lines.map(\.value) == [Decimal(string: "19.99")!, Decimal(string: "0.10")!])
            #expect(lines.first?.hsCode == "610910" && lines.last?.hsCode == nil)
            let filings = try await store.filings(orderID: id)
            #expect(filings.map(\.kind) == ["ics2", "courier"])
            let rows = try await store.messages(.all)
            #expect(rows.map(\.idempotencyKey) == ["f-1", "f-2"])
            #expect(Set(rows.compactMap(\.filingID)) == Set(filings.map(\.id)))
            #expect(rows.allSatisfy { $0.state == .pending && $0.availableAt == t0 && $0.generation == 1 })

            // Same merchant, same key: the same order, nothing new stored.
            let again = try await store.accept(newOrder(key: "k1", filings: [NewFiling(kind: "x", message: message("f-3"))]), now: t0 + 1)
            #expect(again.orderID == id && !again.created)
            #expect(try await store.messages(.all).count == 2)
            // Another merchant may reuse the key.
            #expect(try await store.accept(newOrder(key: "k1", filings: [], merchant: "m-2"), now: t0).created)
        }
    }

    @Test(arguments: Engine.available)
    func aFailedOutboxInsertRollsBackTheOrder(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await store.enqueue([message("taken")], now: t0)
            let clash = newOrder(key: "k2", filings: [NewFiling(kind: "a", message: message("fresh")),
                                                       NewFiling(kind: "b", message: message("taken"))])
            await #expect(throws: StoreError.self) { try await store.accept(clash, now: t0) }
            #expect(try await store.messages(.all).map(\.idempotencyKey) == ["taken"])
            // Nothing of the order survived: the same key is accepted as new.
            let retry = try await store.accept(newOrder(key: "k2", filings: [NewFiling(kind: "a", message: message("fresh"))]), now: t0)
            #expect(retry.created)
            #expect(try await store.filings(orderID: retry.orderID).count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func transitionEnqueuesOnlyFromTheExpectedState(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (id, _) = try await store.accept(newOrder(key: "k3", filings: []), now: t0)
            let wrong = try await store.transition(orderID: id, from: "screened", to: "filed",
                                                   filings: [NewFiling(kind: "cds", message: message("t-1"))], now: t0 + 1)
            #expect(!wrong)
            #expect(try await store.messages(.all).isEmpty)
            let right = try await store.transition(orderID: id, from: "accepted", to: "filed",
                                                   filings: [NewFiling(kind: "cds", message: message("t-1"))], now: t0 + 2)
            #expect(right)
            #expect(try await store.order(id: id)?.state == "filed")
            #expect(try await store.messages(.all).count == 1)
            #expect(try await store.filings(orderID: id).map(\.state) == ["queued"])
        }
    }

    @Test(arguments: Engine.available)
    func leasesAreDisjointAndExpire(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await store.enqueue((1...6).map { message("l-\($0)") }, now: t0)
            let a = try await store.lease(owner: "A", limit: 4, now: t0, leaseMillis: 1000, adapters: nil)
            let b = try await store.lease(owner: "B", limit: 4, now: t0 + 10, leaseMillis: 1000, adapters: nil)
            #expect(a.count == 4 && b.count == 2)
            #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
            #expect(a.allSatisfy { $0.state == .leased && $0.leaseOwner == "A" && $0.leaseUntil == t0 + 1000 })
            #expect(try await store.lease(owner: "C", limit: 10, now: t0 + 999, leaseMillis: 1000, adapters: nil).isEmpty)

            // A "crashed": after its lease runs out, C gets its rows.
            let c = try await store.lease(owner: "C", limit: 10, now: t0 + 1000, leaseMillis: 1000, adapters: nil)
            #expect(Set(c.map(\.id)) == Set(a.map(\.id)))
            // A comes back late: its attempt is kept as evidence but the row stays with C.
            let late = try await store.complete(messageID: a[0].id, owner: "A", attempt: report("A", at: t0 + 1100, status: 500,
                                                                                                  errorClass: .retryable),
                                                outcome: .retry(at: t0 + 5000))
            #expect(!late)
            let row = try #require(try await store.message(id: a[0].id))
            #expect(row.state == .leased && row.leaseOwner == "C" && row.attempts == 0)
            #expect(try await store.attempts(messageID: a[0].id).count == 1)
            #expect(try await store.complete(messageID: a[0].id, owner: "C", attempt: report("C", at: t0 + 1200, status: 200),
                                             outcome: .delivered))
        }
    }

    @Test(arguments: Engine.available)
    func leaseOnlyTakesTheNamedAdapters(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await store.enqueue([message("a-1", adapter: "ups"), message("a-2", adapter: "hmrc"), message("a-3", adapter: "ups")], now: t0)
            let ups = try await store.lease(owner: "w", limit: 10, now: t0, leaseMillis: 1000, adapters: ["ups"])
            #expect(ups.map(\.idempotencyKey) == ["a-1", "a-3"])
            #expect(try await store.lease(owner: "w", limit: 10, now: t0, leaseMillis: 1000, adapters: []).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func orderingKeyHoldsBackOnlyItsOwnKey(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([
                message("o-1", orderingKey: "LRN-1"), message("o-2", orderingKey: "LRN-1"), message("o-3", orderingKey: "LRN-1"),
                message("o-4"), message("o-5", orderingKey: "LRN-2"),
            ], now: t0)
            let first = try await store.lease(owner: "w", limit: 10, now: t0, leaseMillis: 1000, adapters: nil)
            #expect(first.map(\.idempotencyKey) == ["o-1", "o-4", "o-5"])
            // o-1 fails and backs off: o-2 must wait for it, nothing else is blocked.
            try await store.complete(messageID: ids[0], owner: "w", attempt: report("w", at: t0, status: 503, errorClass: .retryable),
                                     outcome: .retry(at: t0 + 500))
            try await store.complete(messageID: ids[3], owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered)
            #expect(try await store.lease(owner: "w", limit: 10, now: t0 + 100, leaseMillis: 1000, adapters: nil).isEmpty)
            let retried = try await store.lease(owner: "w", limit: 10, now: t0 + 500, leaseMillis: 1000, adapters: nil)
            #expect(retried.map(\.idempotencyKey) == ["o-1"])
            try await store.complete(messageID: ids[0], owner: "w", attempt: report("w", at: t0 + 500, status: 200), outcome: .delivered)
            #expect(try await store.lease(owner: "w", limit: 10, now: t0 + 600, leaseMillis: 1000, adapters: nil).map(\.idempotencyKey) == ["o-2"])
            // A DEAD head does not block its key forever (it waits for a person, the rest go on).
            try await store.complete(messageID: ids[1], owner: "w", attempt: report("w", at: t0 + 600, status: 400, errorClass: .permanent),
                                     outcome: .dead)
            #expect(try await store.lease(owner: "w", limit: 10, now: t0 + 700, leaseMillis: 1000, adapters: nil).map(\.idempotencyKey) == ["o-3"])
        }
    }

    @Test(arguments: Engine.available)
    func attemptsKeepRawBodiesAndOutcomesMoveTheRow(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([message("c-1", body: #"{"n":1}"#)], now: t0)
            let id = ids[0]
            _ = try await store.lease(owner: "w", limit: 1, now: t0, leaseMillis: 1000, adapters: nil)
            try await store.complete(messageID: id, owner: "w",
                                     attempt: report("w", at: t0, status: 429, errorClass: .retryable, request: "REQ1", response: "slow down"),
                                     outcome: .retry(at: t0 + 2000))
            var row = try #require(try await store.message(id: id))
            #expect(row.state == .pending && row.attempts == 1 && row.availableAt == t0 + 2000 && row.lastErrorClass == .retryable)
            #expect(try await store.nextDue(adapters: nil) == t0 + 2000)
            #expect(try await store.nextDue(adapters: ["elsewhere"]) == nil)
            _ = try await store.lease(owner: "w", limit: 1, now: t0 + 2000, leaseMillis: 1000, adapters: nil)
            try await store.complete(messageID: id, owner: "w", attempt: report("w", at: t0 + 2000, status: 202, request: "REQ2",
                                                                                response: "ok"), outcome: .delivered)
            row = try #require(try await store.message(id: id))
            #expect(row.state == .delivered && row.attempts == 2 && row.deliveredAt == t0 + 2005 && row.leaseOwner == nil)
            let attempts = try await store.attempts(messageID: id)
            #expect(attempts.map(\.number) == [1, 2])
            #expect(attempts.map(\.httpStatus) == [429, 202])
            #expect(attempts[0].errorClass == .retryable && attempts[1].errorClass == nil)
            #expect(String(decoding: attempts[0].requestBody, as: UTF8.self) == "REQ1")
            #expect(String(decoding: attempts[0].responseBody, as: UTF8.self) == "slow down")
            #expect(attempts[1].previousAttemptID == attempts[0].id && attempts[0].previousAttemptID == nil)
            #expect(try await store.nextDue(adapters: nil) == nil)
        }
    }

    @Test(arguments: Engine.available)
    func reprocessStartsANewGenerationLinkedToTheOld(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([message("r-1"), message("r-2", adapter: "other"), message("r-3")], now: t0)
            _ = try await store.lease(owner: "w", limit: 3, now: t0, leaseMillis: 1000, adapters: nil)
            for id in ids[0...1] {
                try await store.complete(messageID: id, owner: "w", attempt: report("w", at: t0, status: 422, errorClass: .permanent),
                                         outcome: .dead)
            }
            try await store.complete(messageID: ids[2], owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered)
            #expect(try await store.stats().count(.dead) == 2)

            // Bulk by filter: only DEAD rows of adapter "gw"; delivered rows are not resent by default.
            let redone = try await store.reprocess(OutboxFilter(adapterID: "gw"), now: t0 + 10, reviewer: "test", note: nil)
            #expect(redone == [ids[0]])
            let row = try #require(try await store.message(id: ids[0]))
            #expect(row.state == .pending && row.generation == 2 && row.attempts == 0 && row.availableAt == t0 + 10)
            _ = try await store.lease(owner: "w", limit: 5, now: t0 + 10, leaseMillis: 1000, adapters: nil)
            try await store.complete(messageID: ids[0], owner: "w", attempt: report("w", at: t0 + 10, status: 200), outcome: .delivered)
            let attempts = try await store.attempts(messageID: ids[0])
            #expect(attempts.map(\.generation) == [1, 2] && attempts.map(\.number) == [1, 1])
            #expect(attempts[1].previousAttemptID == attempts[0].id)

            // One by id.
            #expect(try await store.reprocess(OutboxFilter(ids: [ids[1]]), now: t0 + 20, reviewer: "test", note: nil) == [ids[1]])
            #expect(try await store.reprocess(OutboxFilter(ids: [ids[1]]), now: t0 + 20, reviewer: "test", note: nil).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func batchedCompletionsAreIndependent(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([message("bc-1"), message("bc-2"), message("bc-3")], now: t0)
            _ = try await store.lease(owner: "w", limit: 2, now: t0, leaseMillis: 1000, adapters: nil)
            let results = try await store.complete([
                Completion(messageID: ids[0], owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered),
                Completion(messageID: 999_999, owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered),
                Completion(messageID: ids[1], owner: "w", attempt: report("w", at: t0, status: 503, errorClass: .retryable),
                           outcome: .retry(at: t0 + 100)),
                Completion(messageID: ids[2], owner: "w", attempt: report("w", at: t0, status: 200), outcome: .retry(at: t0)),
            ])
            #expect(results.count == 4)
            #expect((try? results[0].get()) == true && (try? results[2].get()) == true)
            #expect((try? results[1].get()) == nil)
            // Not leased by "w": recorded as evidence, row untouched.
            #expect((try? results[3].get()) == false)
            let rows = try await store.messages(.all)
            #expect(rows.map(\.state) == [.delivered, .pending, .pending])
            #expect(rows.map(\.attempts) == [1, 1, 0])
            #expect(try await store.attempts(messageID: ids[2]).count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func completionsThenALeaseInOneCall(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue((1...5).map { message("cl-\($0)") }, now: t0)
            let first = try await store.lease(owner: "w", limit: 2, now: t0, leaseMillis: 1000, adapters: nil)
            #expect(first.map(\.id) == Array(ids[0...1]))
            let (results, leased) = try await store.complete(
                first.map { Completion(messageID: $0.id, owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered) },
                thenLease: LeaseRequest(owner: "w", limit: 2, now: t0 + 10, leaseMillis: 1000, adapters: ["gw"]))
            #expect(results.map { try? $0.get() } == [true, true])
            // The next due rows, oldest first, leased until now + leaseMillis.
            #expect(leased.map(\.id) == Array(ids[2...3]))
            #expect(leased.allSatisfy { $0.state == .leased && $0.leaseOwner == "w" && $0.leaseUntil == t0 + 1010 })
            let rows = try await store.messages(.all)
            #expect(rows.map(\.state) == [.delivered, .delivered, .leased, .leased, .pending])
            // Nothing due for the adapter asked: the completions are written all the same.
            let (more, none) = try await store.complete(
                leased.map { Completion(messageID: $0.id, owner: "w", attempt: report("w", at: t0 + 10, status: 200), outcome: .delivered) },
                thenLease: LeaseRequest(owner: "w", limit: 5, now: t0 + 20, leaseMillis: 1000, adapters: ["other"]))
            #expect(more.map { try? $0.get() } == [true, true] && none.isEmpty)
            #expect(try await store.stats().count(.delivered) == 4)
        }
    }

    @Test(arguments: Engine.available)
    func releaseGivesRowsBackWithoutAnAttempt(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([message("x-1"), message("x-2")], now: t0)
            _ = try await store.lease(owner: "w", limit: 2, now: t0, leaseMillis: 60_000, adapters: nil)
            try await store.release(messageIDs: ids, owner: "someone-else", availableAt: t0)
            #expect(try await store.messages(OutboxFilter(states: [.leased])).count == 2)
            try await store.release(messageIDs: ids, owner: "w", availableAt: t0 + 300)
            let rows = try await store.messages(.all)
            #expect(rows.allSatisfy { $0.state == .pending && $0.attempts == 0 && $0.availableAt == t0 + 300 && $0.leaseOwner == nil })
            #expect(try await store.attempts(messageID: ids[0]).isEmpty)
        }
    }

    @Test(arguments: Engine.available)
    func pruneNeverTouchesDeadRows(engine: Engine) async throws {
        try await withStore(engine) { store in
            let ids = try await store.enqueue([message("p-1"), message("p-2"), message("p-3")], now: t0)
            _ = try await store.lease(owner: "w", limit: 3, now: t0, leaseMillis: 1000, adapters: nil)
            try await store.complete(messageID: ids[0], owner: "w", attempt: report("w", at: t0, status: 200), outcome: .delivered)
            try await store.complete(messageID: ids[1], owner: "w", attempt: report("w", at: t0, status: 400, errorClass: .permanent),
                                     outcome: .dead)
            #expect(try await store.pruneDelivered(before: t0 + 1_000_000) == 1)
            let left = try await store.messages(.all)
            #expect(left.map(\.idempotencyKey) == ["p-2", "p-3"])
            #expect(try await store.attempts(messageID: ids[0]).isEmpty)
            #expect(try await store.attempts(messageID: ids[1]).count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func listingFiltersAndStats(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await store.enqueue([message("s-1", adapter: "a"), message("s-2", adapter: "b"), message("s-3", adapter: "a")], now: t0)
            _ = try await store.enqueue([message("s-4", adapter: "a")], now: t0 + 100)
            #expect(try await store.messages(OutboxFilter(adapterID: "a")).count == 3)
            #expect(try await store.messages(OutboxFilter(createdAfter: t0 + 50)).map(\.idempotencyKey) == ["s-4"])
            #expect(try await store.messages(OutboxFilter(limit: 2)).count == 2)
            #expect(try await store.messages(OutboxFilter(ids: [])).isEmpty)
            let stats = try await store.stats()
            #expect(stats.count(.pending) == 4 && stats.count(.pending, adapter: "b") == 1 && stats.count(.dead) == 0)
            await #expect(throws: StoreError.self) { try await store.enqueue([message("s-1")], now: t0) }
        }
    }

    @Test(arguments: Engine.available)
    func inboxDecisionsAndReview(engine: Engine) async throws {
        try await withStore(engine) { store in
            let event = InboxEvent(adapterID: "hmrc", externalEventID: "ev-1", receivedAt: t0, body: Array("<x/>".utf8))
            #expect(try await store.receive(event))
            #expect(!(try await store.receive(event)))
            #expect(try await store.receive(InboxEvent(adapterID: "ups", externalEventID: "ev-1", receivedAt: t0, body: [])))
            #expect(try await store.inbox(adapterID: "hmrc").map(\.body) == [Array("<x/>".utf8)])

            let (orderID, _) = try await store.accept(newOrder(key: "d-1", filings: []), now: t0)
            let confidence = Decimal(string: "0.87312500000000000001")!
            try await store.append(DecisionRecord(orderID: orderID, lineNumber: 1, kind: "classification", input: "Cotton T-shirt",
                                                  output: "610910", confidence: confidence, evidence: "HS 6109.10 knitted cotton",
                                                  version: "nomenclature-2022", decidedAt: t0))
            try await store.append(DecisionRecord(orderID: orderID, lineNumber: nil, kind: "screening", input: "{}", output: "clear",
                                                  confidence: nil, evidence: "no list entry", version: "lists-1", decidedAt: t0 + 1))
            let decisions = try await store.decisions(orderID: orderID)
            #expect(decisions.map(\.kind) == ["classification", "screening"])
            #expect(decisions[0].confidence == confidence && decisions[1].confidence == nil && decisions[1].lineNumber == nil)

            let reviewID = try await store.addReview(ReviewItem(orderID: orderID, lineNumber: 2, reason: "low confidence", createdAt: t0))
            #expect(try await store.reviewItems(state: "open").map(\.id) == [reviewID])
            #expect(try await store.resolveReview(id: reviewID, resolution: "610990", now: t0 + 5))
            #expect(!(try await store.resolveReview(id: reviewID, resolution: "again", now: t0 + 6)))
            #expect(try await store.reviewItems(state: "open").isEmpty)
            #expect(try await store.reviewItems(state: nil).first?.resolution == "610990")
        }
    }

    @Test(arguments: Engine.available)
    func enqueueWakesAWaitingRelayWithoutPolling(engine: Engine) async throws {
        try await withStore(engine) { store in
            // A PostgreSQL store wakes once when its LISTEN connection is up; wait for that first,
            // so the wake-up below can only come from the NOTIFY of the enqueue.
            if engine == .postgres { await store.waitForWork(timeoutMillis: 5000) }
            // The wait's own timeout is long enough that only the enqueue can end it well before;
            // the bound is loose because a loaded CI machine can delay any wake-up by seconds. Whether
            // the wait begins before or after the enqueue, the wake-up must reach it (none is lost).
            let started = ContinuousClock.now
            async let waited: Void = store.waitForWork(timeoutMillis: 300_000)
            _ = try await store.enqueue([message("w-1")], now: t0)
            await waited
            #expect(ContinuousClock.now - started < .seconds(120))
        }
    }
}
