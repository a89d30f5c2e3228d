/// The part of the store the pipeline adds: review items and their resolution, the decision chain,
/// and listing orders. Orders themselves are written by `HubStore.accept` (with their decisions and
/// review items in the same transaction).
public protocol OrderLedger: Sendable {
    func orders(_ filter: OrderFilter) async throws -> [OrderRecord]

    /// The order a merchant already sent under this key, if any (checked before the engines run).
    func orderID(merchantID: String, idempotencyKey: String) async throws -> Int64?

    /// Every reviewer's HS correction across all orders, oldest first, for teaching a newly loaded
    /// classifier (at start and at every reload). Read through the partial index
    /// `decisions_hs_corrections`, so the cost follows the corrections, not every decision ever made.
    func hsCorrections(limit: Int) async throws -> [DecisionRecord]

    /// The outbox rows that carry these filings.
    func outboxMessages(filingIDs: [Int64]) async throws -> [OutboxMessage]

    /// The lines, filings and decisions of many orders, by order id, each order's rows in the order
    /// the single-order reads give (line number; id). An order with no rows (or no such order) has
    /// no entry. A few statements of `OrderBatchSQL.chunk` ids each, where the KPIs made three per order.
    func orderLines(orderIDs: [Int64]) async throws -> [Int64: [OrderLineRecord]]
    func filings(orderIDs: [Int64]) async throws -> [Int64: [FilingRecord]]
    func decisions(orderIDs: [Int64]) async throws -> [Int64: [DecisionRecord]]

    func reviewItem(id: Int64) async throws -> ReviewItem?
    func reviewItems(_ filter: ReviewFilter) async throws -> [ReviewItem]

    /// Applies a person's answer to one review item in one transaction: the item, the decision
    /// records, the corrected line columns and, when no item of the order is left open and
    /// `completion` is given, the order's next state with its filings and outbox rows.
    func resolve(_ resolution: ReviewResolution, now: Millis) async throws -> ResolutionOutcome

    /// Appends decisions to the chain (one transaction); returns their ids.
    @discardableResult
    func appendDecisions(_ records: [DecisionRecord]) async throws -> [Int64]

    /// Decisions with id greater than `afterID`, in id order, for replaying the chain in stretches.
    func decisionStretch(afterID: Int64, limit: Int) async throws -> [DecisionRecord]

    /// The newest hash and the number of records, as the store last wrote them.
    func chainHead() async throws -> (hash: String, length: Int64)

    /// Moves an order if it is in one of `from`; optionally replaces its canonical JSON and queues
    /// filings, all in one transaction. Returns false and writes nothing otherwise.
    func moveOrder(id: Int64, from: Set<String>, to state: String, decisions: [DecisionRecord], now: Millis) async throws -> Bool

    /// Reserves `count` reference numbers never handed out before (filing references: LRN, ICS
    /// message id, UNB reference); returns the first, the others follow it. Committed at once, so a
    /// number is never reused even when the order that took it is not stored.
    func reserveReferences(_ count: Int) async throws -> Int

    /// Outbox rows still in play, open review items and waiting callbacks, counted from indexes.
    func queueDepths() async throws -> QueueDepths
}

public typealias HubDatabase = HubStore & OrderLedger & DocumentDrafts

public struct OrderFilter: Sendable, Hashable {
    public var state: String?
    public var updatedSince: Millis?
    /// Paging: orders with id greater than this (the cursor).
    public var afterID: Int64?
    public var limit: Int
    /// The newest `limit` orders (highest ids first) instead of the oldest after the cursor: what
    /// the KPIs read, without paging through every order ever taken to keep the last page.
    public var newestFirst: Bool

    public init(state: String? = nil, updatedSince: Millis? = nil, afterID: Int64? = nil, limit: Int = 100, newestFirst: Bool = false) {
        self.state = state; self.updatedSince = updatedSince; self.afterID = afterID; self.limit = limit; self.newestFirst = newestFirst
    }
}

public struct ReviewFilter: Sendable, Hashable {
    /// `open` (open or held), `resolved`, or nil for all.
    public var state: String?
    public var orderID: Int64?
    public var reason: String?
    /// Only items created at or after this time (the KPIs' period).
    public var createdSince: Millis?
    public var limit: Int

    public init(state: String? = nil, orderID: Int64? = nil, reason: String? = nil, createdSince: Millis? = nil, limit: Int = 500) {
        self.state = state; self.orderID = orderID; self.reason = reason; self.createdSince = createdSince; self.limit = limit
    }
}

/// A person's answer to a review item and everything it changes.
public struct ReviewResolution: Sendable, Hashable {
    public var itemID: Int64
    /// `resolved`, or `held` (the item stays unresolved: a person waits for something).
    public var newState: String
    /// What was done: `confirm`, `correct`, `release`, `hold`, `reject`, `reprocess`.
    public var action: String
    public var reviewer: String
    public var decisions: [DecisionRecord]
    /// Lines whose code columns change (matched by line number).
    public var lineUpdates: [OrderLineRecord]
    /// The order's next step if this was its last open item.
    public var completion: OrderCompletion?
    /// Screening hits this answer releases: allow-list entries written in the same transaction as
    /// the decision record (engines that keep no allow-list ignore them).
    public var allowances: [ScreeningAllowance]
    /// What becomes of the item's document draft (submitted as an order, or rejected).
    public var draft: DraftSettlement?

    public init(itemID: Int64, newState: String = "resolved", action: String, reviewer: String, decisions: [DecisionRecord] = [],
                lineUpdates: [OrderLineRecord] = [], completion: OrderCompletion? = nil, allowances: [ScreeningAllowance] = [],
                draft: DraftSettlement? = nil) {
        self.itemID = itemID; self.newState = newState; self.action = action; self.reviewer = reviewer
        self.decisions = decisions; self.lineUpdates = lineUpdates; self.completion = completion
        self.allowances = allowances; self.draft = draft
    }
}

public struct OrderCompletion: Sendable, Hashable {
    public var from: String
    public var to: String
    public var canonicalJSON: String?
    public var evaluationJSON: String?
    public var filings: [NewFiling]

    public init(from: String, to: String, canonicalJSON: String? = nil, evaluationJSON: String? = nil, filings: [NewFiling] = []) {
        self.from = from; self.to = to; self.canonicalJSON = canonicalJSON; self.evaluationJSON = evaluationJSON; self.filings = filings
    }
}

public enum ResolutionOutcome: Sendable, Hashable {
    /// The item was already resolved (or does not exist); nothing was written.
    case notOpen
    /// Resolved; `remaining` items of the order are still open or held.
    case resolved(remaining: Int)
    /// Resolved, and the order moved on (its filings are queued).
    case completed
}

/// The column lists both engines select, so that a row reads the same from either.
public enum LedgerColumns {
    public static let orderLine = "line_number, description, hs_code, origin_country, value, currency, hs6, national_code, confidence, code_source"
    public static let order = "id, merchant_id, idempotency_key, external_reference, state, canonical_json, created_at, updated_at, evaluation_json"
    public static let decision = """
        id, order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor, input_digest, corrects,
        previous_hash, hash, document_id
        """
    public static let review = """
        id, order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence, resolved_by, value,
        currency, document_id
        """
}

/// The reads of many orders' rows at once: `order_id IN (…)` searched in the by-order indexes
/// (`order_lines_pkey`, `filings_by_order`, `decisions_by_order`), in lists of at most `chunk` ids
/// so no statement carries thousands of binds.
public enum OrderBatchSQL {
    public static let chunk = 500

    /// The ids without repeats (a repeat in two chunks would read its rows twice), in lists of at most `chunk`.
    public static func chunks(_ ids: [Int64]) -> [[Int64]] {
        let unique = Array(Set(ids)).sorted()
        return stride(from: 0, to: unique.count, by: chunk).map { Array(unique[$0..<min($0 + chunk, unique.count)]) }
    }

    /// `order_id IN (…)` (the caller guarantees `ids` is not empty).
    public static func byOrder(_ ids: [Int64]) -> SQLFragment { "order_id IN (\(list: ids.map { .int($0) }))" }

    public static let lineOrder = "order_id, line_number"
    public static let rowOrder = "order_id, id"
}
