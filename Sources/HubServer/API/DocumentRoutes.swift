import Crypto
import Digests
import DocumentExtraction
import Documents
import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import Logging
import NIOCore
import Store

/// `POST /v1/documents`: an invoice, packing list or certificate (PDF, PNG, JPEG, TIFF) read into a
/// draft order, the same object `customs-hub extract` prints. With `?submit=true&merchant_id=M` a
/// draft read without problems is taken as an order through the same door as `POST /v1/orders`. A
/// draft read with problems, or refused by the order's validation, is stored with its file and sent
/// to the review queue (202): a reviewer corrects it and submits it, or rejects it. A file that
/// cannot be read at all is a 422 and nothing is stored.
extension HubAPI {
    func postDocument(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let submit = request.uri.queryParameters["submit"].map { $0 == "true" || $0 == "1" } ?? false
        let merchant = request.uri.queryParameters["merchant_id"].map(String.init)
        if submit, merchant?.isEmpty ?? true {
            throw Problem.invalidParameter("merchant_id", "submit=true needs the merchant the document's order belongs to")
        }
        let bytes = try await body(request, limit: limits.maxDocumentBytes)
        let extraction = try await Self.read(bytes, maxBytes: limits.maxDocumentBytes, templates: supplierTemplates)
        let read: JSONValue
        do { read = try JSONParser.parse(Array(try Self.encoder.encode(extraction))) } catch {
            throw Problem(.internalServerError, "extraction-not-written", "The extraction cannot be written", detail: "\(error)")
        }
        guard submit, let merchant else { return jsonResponse(read) }
        guard try await owner(ofMerchant: merchant, claimingFor: tenant) == tenant else {
            throw Problem(.forbidden, "merchant-not-yours", "Merchant belongs to another tenant", detail: "merchant \(merchant) is registered to another tenant",
                          errors: [Problem.FieldError(pointer: "#/query/merchant_id", code: "forbidden", detail: "not this tenant's merchant")])
        }
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        let errors = extraction.problems.filter { $0.severity == .error }
        guard errors.isEmpty, var order = read["order"]?.objectValue else {
            return try await queueDocument(read, bytes: bytes, merchant: merchant, contentType: contentType)
        }
        let digest = Digests.sha256(bytes)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? "document-\(digest.prefix(32))"
        if let prior = try await store.request(tenantID: tenant, idempotencyKey: key) {
            guard prior.requestSHA256 == digest else { throw Self.keyReused(key) }
            if let id = prior.orderID { return try await orderAnswer(id, created: false) }
        }
        order["merchant_id"] = .string(merchant)
        if order["idempotency_key"] == nil { order["idempotency_key"] = .string(key) }
        order["missing"] = nil
        var extra = JSONObject()
        if let document = read["document"] { extra["document"] = document }
        if let fields = read["fields"] { extra["fields"] = fields }
        do {
            return try await takeOrder(.object(order), tenant: tenant, key: key, digest: digest, extra: extra)
        } catch let problem as Problem where problem.code == "invalid-order" {
            // Read cleanly but not a valid order yet (an invoice does not name the parcels, say): the
            // order's problems join the reader's, and the draft waits for a person.
            guard case .object(var withProblems) = read else { throw problem }
            withProblems["problems"] = .array((read["problems"]?.arrayValue ?? []) + problem.errors.map { e in
                .object(JSONObject([("code", .string(e.code)), ("message", .string(e.detail)), ("field", .string(e.pointer)),
                                    ("severity", .string("error")), ("source", .string("order_validation"))]))
            })
            return try await queueDocument(.object(withProblems), bytes: bytes, merchant: merchant, contentType: contentType)
        }
    }

    /// Stores the draft with its file and opens its review item; 202 with where it waits.
    func queueDocument(_ read: JSONValue, bytes: [UInt8], merchant: String, contentType: String) async throws -> Response {
        let queued = try await slot.hub().queueDocument(merchantID: merchant, file: bytes, contentType: contentType, extraction: read)
        if queued.created {
            logger.info("document sent to review", metadata: ["document.id": "\(queued.draftID)", "review.item": "\(queued.reviewID ?? 0)"])
            onEvent("document \(queued.draftID) from \(merchant) sent to review: \(read["problems"]?.arrayValue?.count ?? 0) problem(s)")
        }
        var answer = read.objectValue ?? JSONObject()
        answer["document_id"] = .number(String(queued.draftID))
        answer["review_item"] = queued.reviewID.map { .number(String($0)) } ?? .null
        answer["state"] = .string("held_for_review")
        answer["created"] = .bool(queued.created)
        return jsonResponse(.object(answer), status: .accepted, headers: [.location: "/v1/reviews/\(queued.reviewID ?? 0)"])
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Reading a scan is seconds of CPU in poppler and Tesseract: it runs on its own thread, never on
    /// the server's event loops or the cooperative pool.
    static func read(_ bytes: [UInt8], maxBytes: Int, templates: [SupplierTemplate] = []) async throws -> Extraction {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Extraction, any Error>) in
            Thread.detachNewThread {
                do {
                    var reader = AnyDocumentReader()
                    reader.limits.maxBytes = maxBytes
                    let pages = try reader.pages(bytes)
                    continuation.resume(returning: Extractor(templates: templates).extract(pages))
                } catch {
                    continuation.resume(throwing: Problem(.unprocessableContent, "unreadable-document", "Unreadable document", detail: "\(error)",
                                                          errors: [Problem.FieldError(pointer: "", code: "unreadable", detail: "\(error)")]))
                }
            }
        }
    }
}
