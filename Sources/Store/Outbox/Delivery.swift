import Foundation
import CustomsModel
import JSONCore

/// Something a filing can be found by when its gateway answers: the LRN we sent, the interchange
/// and message references of an EDIFACT file, the gateway's own id, the MRN customs gave it.
public struct FilingReference: Sendable, Hashable, Codable {
    /// `lrn`, `interchange`, `message`, `idempotency_key`, `gateway_reference`, `mrn`, `tracking`.
    public var kind: String
    public var value: String

    public init(kind: String, value: String) { self.kind = kind; self.value = value }
}

/// A filing and the outbox row that carries it, as `file(_:orderID:now:)` stored them.
public struct FiledMessage: Sendable, Hashable, Codable {
    public var filingID: Int64
    public var messageID: Int64

    public init(filingID: Int64, messageID: Int64) { self.filingID = filingID; self.messageID = messageID }

    enum CodingKeys: String, CodingKey { case filingID = "filing_id", messageID = "message_id" }
}

/// Everything one gateway answer (a delivery result or a callback) does to a filing and its order,
/// applied by the store in one transaction.
public struct FilingUpdate: Sendable, Hashable {
    public var filingID: Int64
    /// The filing's new state (`accepted`, `rejected`, `cleared`, …); kept when it would go back.
    public var filingState: String
    /// The gateway's reasons as JSON, stored on the filing when given.
    public var detail: String?
    /// New things the filing is known by (the gateway's reference, the MRN).
    public var references: [FilingReference]
    /// The order state this answer points to; `OrderLifecycle` decides whether the order moves.
    public var orderState: String?
    /// Opens a review item (reason `gateway_rejected`) on the order with this text as its detail
    /// and the filing's `detail` as its evidence.
    public var review: String?
    /// The decision record: what came in, what it matched by, which adapter/mapping read it.
    public var decisionKind: String
    public var decisionInput: String
    public var decisionEvidence: String
    public var decisionVersion: String

    public init(filingID: Int64, filingState: String, detail: String? = nil, references: [FilingReference] = [],
                orderState: String? = nil, review: String? = nil, decisionKind: String, decisionInput: String,
                decisionEvidence: String, decisionVersion: String) {
        self.filingID = filingID; self.filingState = filingState; self.detail = detail; self.references = references
        self.orderState = orderState; self.review = review; self.decisionKind = decisionKind; self.decisionInput = decisionInput
        self.decisionEvidence = decisionEvidence; self.decisionVersion = decisionVersion
    }
}

/// What applying a `FilingUpdate` did.
public struct FilingUpdateResult: Sendable, Hashable, Codable {
    public var filingID: Int64
    public var filingState: String
    public var orderID: Int64?
    /// The order's state before and after (equal when the answer did not move it).
    public var orderStateBefore: String?
    public var orderStateAfter: String?
    public var reviewID: Int64?
    public var decisionID: Int64?

    public init(filingID: Int64, filingState: String, orderID: Int64?, orderStateBefore: String?, orderStateAfter: String?,
                reviewID: Int64?, decisionID: Int64?) {
        self.filingID = filingID; self.filingState = filingState; self.orderID = orderID; self.orderStateBefore = orderStateBefore
        self.orderStateAfter = orderStateAfter; self.reviewID = reviewID; self.decisionID = decisionID
    }

    enum CodingKeys: String, CodingKey {
        case filingID = "filing_id", filingState = "filing_state", orderID = "order_id", orderStateBefore = "order_state_before"
        case orderStateAfter = "order_state_after", reviewID = "review_id", decisionID = "decision_id"
    }
}

/// A stored callback and what became of it: `received` (stored, not yet applied), `applied`,
/// `unmatched` (kept, listed, never dropped) or `unreadable` (the adapter's mapping could not read it).
public struct InboxRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var adapterID: String
    public var externalEventID: String
    public var receivedAt: Millis
    public var status: String
    public var filingID: Int64?
    public var orderID: Int64?
    public var note: String?
    public var body: [UInt8]

    public init(id: Int64, adapterID: String, externalEventID: String, receivedAt: Millis, status: String, filingID: Int64?,
                orderID: Int64?, note: String?, body: [UInt8]) {
        self.id = id; self.adapterID = adapterID; self.externalEventID = externalEventID; self.receivedAt = receivedAt
        self.status = status; self.filingID = filingID; self.orderID = orderID; self.note = note; self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case id, status, note, body
        case adapterID = "adapter_id", externalEventID = "external_event_id", receivedAt = "received_at"
        case filingID = "filing_id", orderID = "order_id"
    }
}

/// The one rule for a gateway answer (a delivery result or a callback): it never moves an order
/// backwards (a late "accepted" after "cleared" leaves it cleared). The order half is
/// `OrderState.canAdvance(to:)`; this adds the filing half and takes the stored text states.
public enum OrderLifecycle {
    /// The state the order should be in after an answer that points to `target`; `current` when
    /// the answer is older news or the order is terminal. A stored state no `OrderState` names
    /// may be lifted by any known target; an unknown target moves nothing.
    public static func next(from current: String, to target: String) -> String {
        guard let to = OrderState(rawValue: target) else { return current }
        guard let from = OrderState(rawValue: current) else { return target }
        return from.canAdvance(to: to) ? target : current
    }

    /// Filing states follow the same rule: a late "received" does not undo "cleared".
    public static func nextFiling(from current: String, to target: String) -> String {
        func rank(_ s: String) -> Int {
            switch s {
            case "queued": 0
            case "delivered", "submitted", "unknown": 1
            case "received": 2
            case "accepted", "rejected": 3
            case "held": 4
            case "cleared", "released": 5
            case "dead": 1
            default: 0
            }
        }
        if current == "accepted" && target == "rejected" { return target }
        return rank(target) >= rank(current) ? target : current
    }
}

/// Text both engines write for a filing update, so the records read the same whatever the engine.
public enum DeliveryText {
    /// The decision's output: where the filing and the order ended up, as JSON.
    public static func decisionOutput(_ r: FilingUpdateResult) -> String {
        var fields = ["\"filing_id\":\(r.filingID)", "\"filing_state\":\(quote(r.filingState))"]
        if let b = r.orderStateBefore { fields.append("\"order_state_before\":\(quote(b))") }
        if let a = r.orderStateAfter { fields.append("\"order_state_after\":\(quote(a))") }
        if let v = r.reviewID { fields.append("\"review_id\":\(v)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The review item a rejection opens: reason `gateway_rejected`, the gateway's reasons as evidence.
    public static func review(_ u: FilingUpdate, orderID: Int64, text: String, now: Millis) -> ReviewItem {
        ReviewItem(orderID: orderID, lineNumber: nil, reason: "gateway_rejected", createdAt: now, subject: "filing:\(u.filingID)",
                   detail: text, evidence: u.detail ?? "{}")
    }

    /// The review item a DEAD delivery opens on its filing's order (reason `dead_filing`): which
    /// adapter gave up, after how many attempts, and the last error, with the row's facts as evidence.
    public static func deadFilingReview(filingID: Int64, orderID: Int64, message m: OutboxMessage, httpStatus: Int?, now: Millis) -> ReviewItem {
        let error = m.lastError ?? "no error recorded"
        let detail = "\(m.adapterID) filing \(filingID) is DEAD after \(m.attempts) attempt(s)"
            + (m.generation > 1 ? " (generation \(m.generation))" : "") + ": " + (m.lastErrorClass.map { "\($0.rawValue): " } ?? "") + error
        let evidence = JSONValue.object(JSONObject([
            ("filing_id", .number(String(filingID))), ("outbox_id", .number(String(m.id))), ("adapter", .string(m.adapterID)),
            ("attempts", .number(String(m.attempts))), ("generation", .number(String(m.generation))),
            ("last_error_class", m.lastErrorClass.map { .string($0.rawValue) } ?? .null), ("last_error", m.lastError.map(JSONValue.string) ?? .null),
            ("http_status", httpStatus.map { .number(String($0)) } ?? .null),
        ]))
        return ReviewItem(orderID: orderID, lineNumber: nil, reason: "dead_filing", createdAt: now, subject: "filing:\(filingID)",
                          detail: detail, evidence: JSONWriter.write(evidence))
    }

    /// Reprocessed outbox rows grouped by their filing, filings and rows in id order.
    public static func byFiling(_ sent: [(id: Int64, filingID: Int64?)]) -> [(filingID: Int64, outboxIDs: [Int64])] {
        Dictionary(grouping: sent.compactMap { r in r.filingID.map { (filing: $0, id: r.id) } }, by: \.filing)
            .map { (filingID: $0.key, outboxIDs: $0.value.map(\.id).sorted()) }.sorted { $0.filingID < $1.filingID }
    }

    /// The decision that resolves a `dead_filing` item because its filing's DEAD rows were sent again.
    public static func reprocessDecision(_ item: ReviewItem, outboxIDs: [Int64], reviewer: String, note: String?, now: Millis) -> DecisionRecord {
        var output = JSONObject([("action", .string("reprocess")), ("review_item", .number(String(item.id ?? 0))), ("reason", .string(item.reason)),
                                 ("outbox_ids", .array(outboxIDs.map { .number(String($0)) }))])
        if let note { output["note"] = .string(note) }
        return DecisionRecord(orderID: item.orderID, lineNumber: item.lineNumber, kind: "review", input: JSONWriter.write(.string(item.detail)),
                              output: JSONWriter.write(.object(output)), confidence: nil, evidence: item.evidence,
                              version: #"{"component":"outbox"}"#, decidedAt: now, actor: "reviewer:\(reviewer)")
    }

    /// The decision record of an applied update, to be appended to the chain.
    public static func decision(_ u: FilingUpdate, result: FilingUpdateResult, orderID: Int64, now: Millis) -> DecisionRecord {
        DecisionRecord(orderID: orderID, lineNumber: nil, kind: u.decisionKind, input: u.decisionInput, output: decisionOutput(result),
                       confidence: nil, evidence: u.decisionEvidence, version: u.decisionVersion, decidedAt: now)
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = ""
        JSONWriter.writeString(s, into: &out)
        return out
    }
}
