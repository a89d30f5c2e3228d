/// The queues an operator watches, as the metrics read them at every scrape and every few seconds.
///
/// Only what is still in play is counted: outbox rows pending, leased or dead, open review items,
/// callbacks not yet applied. Delivered rows, resolved items and applied callbacks only ever grow,
/// and counting them made each scrape read the whole outbox, payloads included.
public struct QueueDepths: Sendable, Hashable {
    /// Outbox rows per adapter and state, for the states in `QueueDepths.outboxStates`.
    public var outbox: [OutboxStats.Row]
    public var openReviewItems: Int
    public var waitingCallbacks: Int

    public init(outbox: [OutboxStats.Row], openReviewItems: Int, waitingCallbacks: Int) {
        self.outbox = outbox; self.openReviewItems = openReviewItems; self.waitingCallbacks = waitingCallbacks
    }

    public static let outboxStates: [OutboxState] = [.pending, .leased, .dead]
}

/// The three counts as SQL both engines run, each answered from an index (`outbox_due`,
/// `review_items_by_state`, `inbox_by_status`), so a scrape costs the same on a store of any age.
public enum QueueDepthSQL {
    public static let outbox = """
        SELECT adapter_id, state, COUNT(*) AS n FROM outbox WHERE state IN (\(QueueDepths.outboxStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
        GROUP BY adapter_id, state ORDER BY adapter_id, state
        """
    public static let openReviewItems = "SELECT COUNT(*) AS n FROM review_items WHERE state = 'open'"
    public static let waitingCallbacks = "SELECT COUNT(*) AS n FROM inbox WHERE status = 'received'"
}
