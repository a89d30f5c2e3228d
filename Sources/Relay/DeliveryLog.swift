import AdapterKit
import CustomsModel
import Foundation
import JSONCore
import Store

/// One line of the relay's log: every delivery and every failure, as JSON (one event a line).
public struct DeliveryLogEvent: Sendable, Codable, Hashable {
    /// `delivered`, `retry`, `dead`, `lease_lost`, `record_failed`.
    public var event: String
    /// RFC 3339.
    public var at: String
    public var messageID: Int64
    public var filingID: Int64?
    public var adapterID: String
    public var idempotencyKey: String
    /// `generation.number`.
    public var attempt: String
    public var httpStatus: Int?
    public var errorClass: String?
    public var error: String?
    /// RFC 3339 time of the next try, for `retry`.
    public var nextAttemptAt: String?
    /// What the response rules made of the answer: accepted, rejected, unknown.
    public var outcome: String?
    public var reference: String?
    public var reasons: [StatusEvent.GatewayError]
    public var orderState: String?
    public var reviewID: Int64?

    enum CodingKeys: String, CodingKey {
        case event, at, attempt, error, outcome, reference, reasons
        case messageID = "message_id", filingID = "filing_id", adapterID = "adapter_id", idempotencyKey = "idempotency_key"
        case httpStatus = "http_status", errorClass = "error_class", nextAttemptAt = "next_attempt_at", orderState = "order_state"
        case reviewID = "review_id"
    }

    init(at: Millis, row: OutboxMessage, outcome: DeliveryOutcome, status: Int?, errorClass: ErrorClass?, error: String?,
         verdict: ResponseOutcome?) {
        switch outcome {
        case .delivered: event = "delivered"
        case .dead: event = "dead"
        case .retry(let next):
            event = "retry"
            nextAttemptAt = Timestamp.format(millis: next)
        }
        // Written by arithmetic: Foundation's format style was a visible share of each delivery.
        self.at = Timestamp.format(millis: at)
        messageID = row.id
        filingID = row.filingID
        adapterID = row.adapterID
        idempotencyKey = row.idempotencyKey
        attempt = "\(row.generation).\(row.attempts + 1)"
        httpStatus = status
        self.errorClass = errorClass?.rawValue
        self.error = error
        self.outcome = verdict?.outcome.rawValue
        reference = verdict?.reference
        reasons = verdict?.reasons ?? []
    }

    /// The request line and headers as sent, credentials redacted, as JSON.
    /// Written directly (keys sorted, as `CanonicalJSON` would): the relay does this once per
    /// delivery, and Foundation's encoder cost more than the rest of recording the attempt.
    static func head(_ request: TransportRequest, auth: AdapterDefinition.Auth) -> String {
        var out = "{\"headers\":{"
        for (i, (name, value)) in Credentials.redacted(request.headers, auth: auth).sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += "," }
            JSONWriter.writeString(name, into: &out)
            out += ":"
            JSONWriter.writeString(value, into: &out)
        }
        out += "},\"method\":"
        JSONWriter.writeString(request.method.rawValue, into: &out)
        out += ",\"url\":"
        JSONWriter.writeString(request.url, into: &out)
        out += "}"
        return out
    }
}
