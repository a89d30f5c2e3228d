import CustomsModel
import Digests
import Foundation
import JSONCore
import Pipeline
import Store

/// Documents that could not be read into a valid order: they wait in the review queue as drafts,
/// and a reviewer either submits the corrected draft as an order or rejects it.
extension Hub {
    /// The review reason of every document draft: read with problems, or not into a valid order.
    public static let documentReviewReason = "unreadable_document"

    /// Puts a read document in the review queue: `extraction` is what the reader made of it (the
    /// object `customs-hub extract` prints, its `problems` including any the order's validation
    /// added). The same file for the same merchant is queued once.
    public func queueDocument(merchantID: String, file: [UInt8], contentType: String, extraction: JSONValue) async throws
        -> (draftID: Int64, reviewID: Int64?, created: Bool) {
        let millis = clock().millis
        let problems = extraction["problems"]?.arrayValue ?? []
        let document = extraction["document"]
        let codes = Array(Set(problems.compactMap { $0["code"]?.stringValue })).sorted()
        let name = [document?["invoice_number"]?.stringValue, document?["seller_name"]?.stringValue].compactMap { $0 }.joined(separator: " · ")
        let detail = "\(document?["kind"]?.stringValue ?? "document") \(name.isEmpty ? "(nothing read)" : name) from \(merchantID): "
            + "\(problems.count) problem(s)" + (codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))")
        let evidence = JSONValue.object(JSONObject([("problems", .array(problems))]))
        let item = ReviewItem(orderID: nil, lineNumber: nil, reason: Self.documentReviewReason, createdAt: millis, subject: "document",
                              detail: detail, evidence: JSONWriter.write(evidence),
                              value: document?["total"]?.stringValue.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                              currency: document?["currency"]?.stringValue)
        let draft = DocumentDraft(merchantID: merchantID, sha256: Digests.sha256(file), contentType: contentType, byteCount: file.count,
                                  extractionJSON: JSONWriter.write(extraction), createdAt: millis)
        return try await store.addDocumentDraft(draft, file: file, review: item, now: millis)
    }

    /// A reviewer's answer to a document draft. Confirm or correct submits `corrected` (or the draft as
    /// read) as the merchant's order under the key `document-ID`, through the same validation as any
    /// order; an order that is still invalid changes nothing and the error names its problems. Reject
    /// closes the draft; hold keeps it waiting. Each writes a decision record about the draft.
    func resolveDocument(_ item: ReviewItem, documentID: Int64, action: ReviewAction, reviewer: String, note: String?,
                         order corrected: JSONValue?) async throws -> ResolveResult {
        guard let draft = try await store.documentDraft(id: documentID) else { throw HubError.notFound("document draft \(documentID)") }
        let millis = clock().millis
        var output = JSONObject([("action", .string(action.rawValue)), ("review_item", .number(String(item.id ?? 0))),
                                 ("reason", .string(item.reason)), ("document_id", .number(String(documentID)))])
        if let note { output["note"] = .string(note) }
        var settlement: DraftSettlement?
        var orderID: Int64?
        var orderState = ""
        var submitted: JSONValue?
        switch action {
        case .confirm, .correct:
            let read = (try? JSONParser.parse(draft.extractionJSON))?["order"] ?? .null
            guard case .object(var order) = corrected ?? read else {
                throw HubError.invalid("the corrected order must be a JSON object (the canonical order)")
            }
            order["missing"] = nil
            order["merchant_id"] = .string(draft.merchantID)
            order["idempotency_key"] = .string("document-\(documentID)")
            let result = try await submit(.object(order))
            guard let id = result.orderID, result.state != .invalid else {
                throw HubError.invalidOrder(result.problems.filter { $0.severity == .error })
            }
            orderID = id
            orderState = result.state.rawValue
            submitted = .object(order)
            output["order_id"] = .number(String(id))
            output["corrected"] = .bool(corrected != nil && corrected != read)
            settlement = DraftSettlement(state: "submitted", orderID: id)
        case .reject:
            settlement = DraftSettlement(state: "rejected")
        case .hold:
            break
        case .release, .reprocess:
            throw HubError.invalid("a document draft is submitted as an order (confirm, or correct with the corrected order) or rejected; "
                + "\(action.rawValue) does not apply")
        }
        let decision = DecisionRecord(
            orderID: orderID, lineNumber: nil, kind: "review", input: JSONWriter.write(.string(item.detail)), output: JSONWriter.write(.object(output)),
            confidence: nil, evidence: submitted.map { JSONWriter.write($0) } ?? item.evidence, version: engines.versions.text, decidedAt: millis,
            actor: "reviewer:\(reviewer)", inputDigest: draft.sha256, documentID: documentID)
        let outcome = try await store.resolve(ReviewResolution(itemID: item.id ?? 0, newState: action == .hold ? "held" : "resolved",
                                                               action: action.rawValue, reviewer: reviewer, decisions: [decision],
                                                               draft: settlement), now: millis)
        var updated = item
        updated.state = action == .hold ? "held" : "resolved"
        return ResolveResult(item: updated, outcome: outcome, orderState: orderState, filings: [], orderID: orderID)
    }
}
