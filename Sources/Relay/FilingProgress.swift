import AdapterKit
import CustomsModel
import Foundation
import Store

/// The one place that says what a gateway answer means for a filing and its order. The relay
/// (HTTP answers by the adapter's response rules) and the callback receiver (status events) both
/// turn their answer into a `FilingUpdate` here; the store applies it in one transaction, moving
/// the order only forwards (`OrderLifecycle`).
public enum FilingProgress {
    /// After a delivery attempt the response rules judged.
    public static func delivery(filingID: Int64, adapterID: String, verdict: ResponseOutcome, delivered: Bool, attempt: String) -> FilingUpdate? {
        let reasons = verdict.reasons
        var references: [FilingReference] = []
        if let r = verdict.reference { references.append(.init(kind: "gateway_reference", value: r)) }
        let input = "{\"adapter\":\(DeliveryText.quote(adapterID)),\"status\":\(verdict.status),\"outcome\":\(DeliveryText.quote(verdict.outcome.rawValue))}"
        switch verdict.outcome {
        case .accepted:
            return FilingUpdate(filingID: filingID, filingState: "submitted", references: references, orderState: OrderState.submitted.rawValue,
                                decisionKind: "delivery", decisionInput: input, decisionEvidence: attempt, decisionVersion: adapterID)
        case .rejected:
            return FilingUpdate(filingID: filingID, filingState: "rejected", detail: reasonsJSON(reasons), references: references,
                                orderState: OrderState.rejected.rawValue, review: reviewText(adapterID: adapterID, status: verdict.status, reasons: reasons),
                                decisionKind: "delivery", decisionInput: input, decisionEvidence: attempt, decisionVersion: adapterID)
        case .unknown:
            // A 2xx no rule names: it arrived, but nobody may assume it was accepted.
            return FilingUpdate(filingID: filingID, filingState: delivered ? "unknown" : "rejected", references: references,
                                orderState: nil,
                                review: delivered ? nil : "gateway \(adapterID) answered HTTP \(verdict.status), which its response rules do not name",
                                decisionKind: "delivery", decisionInput: input, decisionEvidence: attempt, decisionVersion: adapterID)
        }
    }

    /// The filing and order states a status event points to (the order's by `OrderState.after`).
    public static func states(for kind: StatusEvent.Kind) -> (filing: String, order: String?) {
        let filing = switch kind {
        case .received, .other: "received"
        case .accepted, .dutyAssessed: "accepted"
        case .rejected: "rejected"
        case .queried, .held: "held"
        case .cleared: "cleared"
        case .delivered: "released"
        case .cancelled: "cancelled"
        }
        return (filing, OrderState.after(kind)?.rawValue)
    }

    /// After a callback (or an inbound-folder answer) matched its filing.
    public static func callback(_ event: StatusEvent, filingID: Int64, adapterID: String, mapping: String, inboxID: Int64,
                                matchedBy: FilingReference) -> FilingUpdate {
        let (filingState, orderState) = states(for: event.kind)
        var references: [FilingReference] = []
        if let mrn = event.authorityReference { references.append(.init(kind: "mrn", value: mrn)) }
        if let r = event.reference { references.append(.init(kind: "lrn", value: r)) }
        let input = (try? CanonicalJSON.encode(event)) ?? "{}"
        let evidence = "{\"inbox_id\":\(inboxID),\"matched_by\":\(DeliveryText.quote(matchedBy.kind)),\"value\":\(DeliveryText.quote(matchedBy.value))}"
        let rejected = event.kind == .rejected
        return FilingUpdate(
            filingID: filingID, filingState: filingState, detail: rejected ? reasonsJSON(event.errors) : nil, references: references,
            orderState: orderState,
            review: rejected ? reviewText(adapterID: adapterID, status: nil, reasons: event.errors) : nil,
            decisionKind: "callback." + event.kind.rawValue, decisionInput: input, decisionEvidence: evidence,
            decisionVersion: adapterID + " " + mapping)
    }

    static func reasonsJSON(_ reasons: [StatusEvent.GatewayError]) -> String {
        (try? CanonicalJSON.encode(reasons)) ?? "[]"
    }

    static func reviewText(adapterID: String, status: Int?, reasons: [StatusEvent.GatewayError]) -> String {
        let head = "gateway \(adapterID) rejected the filing" + (status.map { " (HTTP \($0))" } ?? "")
        if reasons.isEmpty { return head + " without giving reasons" }
        return head + ": " + reasons.map { r in
            [r.code, r.message, r.pointer.map { "at \($0)" }].compactMap { $0 }.joined(separator: " ")
        }.joined(separator: "; ")
    }
}
