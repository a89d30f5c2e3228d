/// The hub's database, whatever the engine. Every method is one transaction: a caller never sees
/// half of an order, and an order never exists without the outbox rows that deliver its filings.
///
/// Times are passed in (`now`) rather than read inside, so that tests and several processes agree
/// on what "expired" means without depending on the database's clock.
public protocol HubStore: OutboxStore, OrderStore, CallbackInbox, DecisionLog, ReviewQueue {
    /// Short engine name for logs and benchmarks ("sqlite", "postgres").
    var engine: String { get }

    /// Applies `Migrations.all` that are not applied yet. Safe to call on every start.
    func migrate() async throws

    /// Closes connections. The store must not be used afterwards.
    func close() async throws
}

/// Orders and their filings: taken whole, moved forward, and answered by gateways.
public protocol OrderStore: Sendable {
    /// Stores an order, its lines, its filings and their outbox rows in one transaction.
    /// A second call with the same merchant and idempotency key stores nothing and returns the
    /// first order's id with `created == false`.
    func accept(_ order: NewOrder, now: Millis) async throws -> (orderID: Int64, created: Bool)

    /// Several orders, each all or nothing as `accept(_:now:)` takes it, one result per order in
    /// order; an order whose own rows are refused (a constraint) fails alone. Engines that commit
    /// them together (SQLite and PostgreSQL: one transaction, a savepoint per order, one commit) do; the default
    /// accepts them one after the other, each in its own transaction. A later order under the
    /// merchant and idempotency key of an earlier one is that order (`created == false`).
    func accept(batch orders: [(order: NewOrder, now: Millis)]) async throws -> [Result<(orderID: Int64, created: Bool), StoreError>]

    /// Moves an order to `state` only if it is still in `expected`, and enqueues `filings` in the
    /// same transaction. Returns false (and writes nothing) if the order was not in `expected`.
    func transition(orderID: Int64, from expected: String, to state: String, filings: [NewFiling], now: Millis) async throws -> Bool

    func order(id: Int64) async throws -> OrderRecord?

    func orderLines(orderID: Int64) async throws -> [OrderLineRecord]

    func filings(orderID: Int64) async throws -> [FilingRecord]

    /// Stores filings with their outbox rows and references in one transaction; `orderID` may be
    /// nil for a filing rendered outside the hub (`render | outbox enqueue`).
    func file(_ filings: [NewFiling], orderID: Int64?, now: Millis) async throws -> [FiledMessage]

    func filing(id: Int64) async throws -> FilingRecord?

    func references(filingID: Int64) async throws -> [FilingReference]

    /// Filings known by any of `values` (of any reference kind), newest first; only `adapterID`'s
    /// filings when given.
    func findFilings(references values: [String], adapterID: String?) async throws -> [FilingRecord]

    /// Applies a gateway answer to a filing and its order in one transaction: the filing's state
    /// (never backwards), its references and reasons, the order's state by `OrderLifecycle`, a
    /// review item when asked, and a decision record.
    func apply(_ update: FilingUpdate, now: Millis) async throws -> FilingUpdateResult
}

/// The transactional outbox: what the relay leases, delivers, retries, gives back and reprocesses.
public protocol OutboxStore: Sendable {
    /// Enqueues messages that belong to no order (callbacks to merchants, resends); one transaction.
    func enqueue(_ messages: [NewOutboxMessage], now: Millis) async throws -> [Int64]

    /// Leases up to `limit` deliverable rows to `owner` until `now + leaseMillis`: pending rows that
    /// are due, and leased rows whose lease ran out (their worker died). A row with an ordering key
    /// is only deliverable when no older row with that key is still pending or leased; rows with
    /// other keys are not held back. Only adapters in `adapters` are leased when it is given.
    func lease(owner: String, limit: Int, now: Millis, leaseMillis: Millis, adapters: Set<String>?) async throws -> [OutboxMessage]

    /// Records an attempt and applies its outcome, if `owner` still holds the lease. Returns false
    /// when the lease was lost (expired and taken by another worker): the attempt is still kept as
    /// evidence, but the row is left to its new owner.
    @discardableResult
    func complete(messageID: Int64, owner: String, attempt: AttemptReport, outcome: DeliveryOutcome) async throws -> Bool

    /// Several `complete`s at once. Engines that can commit them together (one fsync) do; the
    /// result of each is independent of the others.
    func complete(_ batch: [Completion]) async throws -> [Result<Bool, StoreError>]

    /// `complete(batch)`, then a `lease` for `next`, in one transaction where the engine can
    /// (SQLite: one commit instead of two when a relay's finished deliveries free room for a lease).
    /// A lease that fails takes nothing and leaves the completions written.
    func complete(_ batch: [Completion], thenLease next: LeaseRequest?) async throws
        -> (results: [Result<Bool, StoreError>], leased: [OutboxMessage])

    /// True when `complete(_:)` with many items is cheaper than many single calls (one writer,
    /// one fsync per transaction: SQLite). The relay then funnels its results through one batch.
    var groupsCompletions: Bool { get }

    /// Gives leased rows back without counting an attempt (shutdown, rate limit, open breaker).
    func release(messageIDs: [Int64], owner: String, availableAt: Millis) async throws

    func message(id: Int64) async throws -> OutboxMessage?

    func messages(_ filter: OutboxFilter) async throws -> [OutboxMessage]

    func attempts(messageID: Int64) async throws -> [AttemptRecord]

    func stats() async throws -> OutboxStats

    /// Puts DEAD (or, if asked, other undelivered) rows matching `filter` back to pending as a new
    /// generation. Their next attempt links to the last attempt of the previous generation.
    /// Whoever sends a filing again has answered its open `dead_filing` review item, from whichever
    /// door (CLI, API, message browser, workbench): those items are resolved by `reviewer` in the
    /// same transaction, each with a decision (actor `reviewer:NAME`) carrying `note`.
    func reprocess(_ filter: OutboxFilter, now: Millis, reviewer: String, note: String?) async throws -> [Int64]

    /// Deletes delivered rows (and their attempts) older than `before`. DEAD rows are never pruned.
    func pruneDelivered(before: Millis) async throws -> Int

    /// Earliest `available_at` (or lease expiry) of any row that is not delivered or dead, so an
    /// idle relay can sleep exactly until then instead of polling.
    func nextDue(adapters: Set<String>?) async throws -> Millis?

    /// Returns when new work may have arrived (enqueue, reprocess, release) or after `timeoutMillis`.
    func waitForWork(timeoutMillis: Millis) async

    /// Wakes relays waiting in this process (a finished delivery frees room for more).
    func wake()
}

extension OrderStore {
    public func accept(batch orders: [(order: NewOrder, now: Millis)]) async throws -> [Result<(orderID: Int64, created: Bool), StoreError>] {
        var results: [Result<(orderID: Int64, created: Bool), StoreError>] = []
        results.reserveCapacity(orders.count)
        for item in orders {
            do { results.append(.success(try await accept(item.order, now: item.now))) } catch let error as StoreError where error.code == .constraint {
                results.append(.failure(error))
            }
        }
        return results
    }
}

/// Gateways' callbacks, stored raw before anything reads them, then settled.
public protocol CallbackInbox: Sendable {
    /// Stores a callback; returns false if this adapter already sent this event id.
    func receive(_ event: InboxEvent) async throws -> Bool

    func inbox(adapterID: String) async throws -> [InboxEvent]

    /// Stores a callback's raw body before anything reads it. Returns its inbox id, or nil when
    /// this adapter already sent this event id (a duplicate: nothing is stored).
    func storeCallback(_ event: InboxEvent) async throws -> Int64?

    /// Records what became of a stored callback (`applied`, `unmatched`, `unreadable`).
    func settleCallback(inboxID: Int64, status: String, filingID: Int64?, orderID: Int64?, note: String?, now: Millis) async throws

    /// Stored callbacks, oldest first (newest first when asked), optionally only one status and/or
    /// adapter, at most `limit` of them.
    func callbacks(status: String?, adapterID: String?, limit: Int?, newestFirst: Bool) async throws -> [InboxRecord]
}

extension CallbackInbox {
    /// Every stored callback with this status and adapter, oldest first.
    public func callbacks(status: String?, adapterID: String?) async throws -> [InboxRecord] {
        try await callbacks(status: status, adapterID: adapterID, limit: nil, newestFirst: false)
    }
}

/// The append-only, hash-chained record of every automated and human decision.
public protocol DecisionLog: Sendable {
    @discardableResult
    func append(_ decision: DecisionRecord) async throws -> Int64

    func decisions(orderID: Int64) async throws -> [DecisionRecord]
}

/// The specialists' queue of doubtful lines and refused filings.
public protocol ReviewQueue: Sendable {
    @discardableResult
    func addReview(_ item: ReviewItem) async throws -> Int64

    func reviewItems(state: String?) async throws -> [ReviewItem]

    func resolveReview(id: Int64, resolution: String, now: Millis) async throws -> Bool
}

/// Selects outbox rows for listing and reprocess. Empty fields match everything.
public struct OutboxFilter: Sendable, Hashable {
    public var ids: [Int64]?
    public var states: Set<OutboxState>?
    public var adapterID: String?
    public var errorClass: ErrorClass?
    public var createdAfter: Millis?
    public var createdBefore: Millis?
    /// Only rows of this tenant's orders (through the filing's order's merchant), selected in SQL
    /// so that a page holds `limit` of the tenant's rows however many other tenants queued before.
    public var tenantID: String?
    /// Paging: rows with an id greater than this (the cursor).
    public var afterID: Int64?
    public var limit: Int?
    /// The newest `limit` rows (highest ids first), what a person browsing the queue looks for.
    public var newestFirst: Bool

    public init(ids: [Int64]? = nil, states: Set<OutboxState>? = nil, adapterID: String? = nil, errorClass: ErrorClass? = nil,
                createdAfter: Millis? = nil, createdBefore: Millis? = nil, tenantID: String? = nil, afterID: Int64? = nil,
                limit: Int? = nil, newestFirst: Bool = false) {
        self.ids = ids; self.states = states; self.adapterID = adapterID; self.errorClass = errorClass
        self.createdAfter = createdAfter; self.createdBefore = createdBefore; self.tenantID = tenantID; self.afterID = afterID
        self.limit = limit; self.newestFirst = newestFirst
    }

    public static let all = OutboxFilter()
}

/// A store failure that names what went wrong in words a person can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case invalidURL, connection, constraint, corrupt, migration }
    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }

    public var description: String { "store \(code.rawValue): \(message)" }
}

/// One `lease` call as a value, to run after a batch of completions.
public struct LeaseRequest: Sendable, Hashable {
    public var owner: String
    public var limit: Int
    public var now: Millis
    public var leaseMillis: Millis
    public var adapters: Set<String>?

    public init(owner: String, limit: Int, now: Millis, leaseMillis: Millis, adapters: Set<String>?) {
        self.owner = owner; self.limit = limit; self.now = now; self.leaseMillis = leaseMillis; self.adapters = adapters
    }
}

/// One `complete` call as a value, for batching.
public struct Completion: Sendable, Hashable {
    public var messageID: Int64
    public var owner: String
    public var attempt: AttemptReport
    public var outcome: DeliveryOutcome

    public init(messageID: Int64, owner: String, attempt: AttemptReport, outcome: DeliveryOutcome) {
        self.messageID = messageID; self.owner = owner; self.attempt = attempt; self.outcome = outcome
    }
}

extension OutboxStore {
    public var groupsCompletions: Bool { false }

    /// One transaction per completion, for engines whose commits are already shared (PostgreSQL
    /// group-commits concurrent transactions by itself).
    public func complete(_ batch: [Completion]) async throws -> [Result<Bool, StoreError>] {
        var results: [Result<Bool, StoreError>] = []
        for c in batch {
            do {
                results.append(.success(try await complete(messageID: c.messageID, owner: c.owner, attempt: c.attempt, outcome: c.outcome)))
            } catch let error as StoreError {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// The completions, then the lease, each as the engine does it alone.
    public func complete(_ batch: [Completion], thenLease next: LeaseRequest?) async throws
        -> (results: [Result<Bool, StoreError>], leased: [OutboxMessage]) {
        let results = try await complete(batch)
        guard let next else { return (results, []) }
        let leased = (try? await lease(owner: next.owner, limit: next.limit, now: next.now, leaseMillis: next.leaseMillis,
                                       adapters: next.adapters)) ?? []
        return (results, leased)
    }
}
