/// Where an order is in its life, from intake to the goods' release.
///
/// The states are ordered by progress (`rank`). Automated moves, above all gateway callbacks,
/// only go forward: a late `accepted` after `cleared` is recorded but moves nothing, because
/// gateways deliver callbacks out of order and twice. A person may move an order back (a rejected
/// declaration returns to review and is filed again); that is `reopen`, not `advance`.
public enum OrderState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Taken in; the pipeline has not finished with it. Never left in this state by `submit`.
    case received
    /// Refused at validation; reported to the sender and not stored, so a corrected order can be
    /// resent under the same idempotency key.
    case invalid
    /// At least one line, party or filing waits for a specialist.
    case heldForReview = "held_for_review"
    /// Its filings are rendered and in the outbox.
    case filed
    /// A filing reached its gateway (the gateway acknowledged receipt).
    case submitted
    /// The gateway accepted the declaration as lodged.
    case accepted
    /// The gateway rejected a filing; a review item carries its reasons.
    case rejected
    /// Customs holds the goods (documents asked for, inspection).
    case heldByCustoms = "held_by_customs"
    /// Customs cleared the declaration.
    case cleared
    /// The goods were released or delivered to the consignee.
    case released
    /// Withdrawn by a person, or every line was rejected in review.
    case cancelled

    /// Progress order. `rejected` ranks with `accepted`: both answer the lodging.
    public var rank: Int {
        switch self {
        case .received: 0
        case .invalid, .heldForReview: 1
        case .filed: 2
        case .submitted: 3
        case .accepted, .rejected: 4
        case .heldByCustoms: 5
        case .cleared: 6
        case .released: 7
        case .cancelled: 8
        }
    }

    /// No automated event moves an order out of these.
    public var isTerminal: Bool { self == .invalid || self == .released || self == .cancelled }

    /// Whether an automated event (a delivery result, a callback) may move the order from here to
    /// `next`. Forward only; `rejected` and `held_by_customs` may still clear.
    public func canAdvance(to next: OrderState) -> Bool {
        guard !isTerminal, next != self else { return false }
        if next == .cancelled { return true }
        return next.rank > rank
    }

    /// The state a gateway's status event moves an order to, if it moves it at all.
    public static func after(_ event: StatusEvent.Kind) -> OrderState? {
        switch event {
        case .received: .submitted
        case .accepted, .dutyAssessed: .accepted
        case .rejected: .rejected
        case .queried, .held: .heldByCustoms
        case .cleared: .cleared
        case .delivered: .released
        case .cancelled: .cancelled
        case .other: nil
        }
    }
}
