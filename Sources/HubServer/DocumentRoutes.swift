import Crypto
import DocumentExtraction
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import JSONCore
import NIOCore
import Store

/// `POST /v1/documents`: an invoice, packing list or certificate (PDF, PNG, JPEG, TIFF) read into a
/// draft order, the same object `customs-hub extract` prints. With `?submit=true&merchant_id=M` a
/// draft read without problems is taken as an order through the same door as `POST /v1/orders`;
/// a draft with problems is a 422 problem naming each field, and nothing is stored.
extension HubAPI {
    func postDocument(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let submit = request.uri.queryParameters["submit"].map { $0 == "true" || $0 == "1" } ?? false
        let merchant = request.uri.queryParameters["merchant_id"].map(String.init)
        if submit, merchant?.isEmpty ?? true {
            throw Problem.invalidParameter("merchant_id", "submit=true needs the merchant the document's order belongs to")
        }
        let bytes = try await body(request, limit: limits.maxDocumentBytes)
        let extraction = try await Self.read(bytes, maxBytes: limits.maxDocumentBytes)
        let read: JSONValue
        do { read = try JSONParser.parse(Array(try Self.encoder.encode(extraction))) } catch {
            throw Problem(.internalServerError, "extraction-not-written", "The extraction cannot be written", detail: "\(error)")
        }
        guard submit, let merchant else { return jsonResponse(read) }
        let errors = extraction.problems.filter { $0.severity == .error }
        guard errors.isEmpty, var order = read["order"]?.objectValue else {
            throw Problem(.unprocessableContent, "document-needs-review", "The document was read with problems",
                          detail: "not submitted; POST it without submit=true to see the whole extraction",
                          errors: errors.map { Problem.FieldError(pointer: "/" + ($0.field ?? "").replacingOccurrences(of: ".", with: "/"), code: $0.code, detail: $0.message) })
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? "document-\(digest.prefix(32))"
        if let prior = try await store.request(tenantID: tenant, idempotencyKey: key) {
            guard prior.requestSHA256 == digest else { throw Self.keyReused(key) }
            if let id = prior.orderID { return try await orderAnswer(id, created: false) }
        }
        order["merchant_id"] = .string(merchant)
        if order["idempotency_key"] == nil { order["idempotency_key"] = .string(key) }
        var extra = JSONObject()
        if let document = read["document"] { extra["document"] = document }
        if let fields = read["fields"] { extra["fields"] = fields }
        return try await takeOrder(.object(order), tenant: tenant, key: key, digest: digest, extra: extra)
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Reading a scan is seconds of CPU in poppler and Tesseract: it runs on its own thread, never on
    /// the server's event loops or the cooperative pool.
    static func read(_ bytes: [UInt8], maxBytes: Int) async throws -> Extraction {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Extraction, any Error>) in
            Thread.detachNewThread {
                do {
                    var reader = AnyDocumentReader()
                    reader.limits.maxBytes = maxBytes
                    let pages = try reader.pages(bytes)
                    continuation.resume(returning: Extractor().extract(pages))
                } catch {
                    continuation.resume(throwing: Problem(.unprocessableContent, "unreadable-document", "Unreadable document", detail: "\(error)",
                                                          errors: [Problem.FieldError(pointer: "", code: "unreadable", detail: "\(error)")]))
                }
            }
        }
    }
}
