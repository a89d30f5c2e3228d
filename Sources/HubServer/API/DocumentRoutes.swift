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
import Synchronization

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
        let read = try await readDocument(bytes)
        guard submit, let merchant else { return jsonResponse(read) }
        guard try await owner(ofMerchant: merchant, claimingFor: tenant) == tenant else {
            throw Problem(.forbidden, "merchant-not-yours", "Merchant belongs to another tenant", detail: "merchant \(merchant) is registered to another tenant",
                          errors: [Problem.FieldError(pointer: "#/query/merchant_id", code: "forbidden", detail: "not this tenant's merchant")])
        }
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        let hasErrors = read["problems"]?.arrayValue?.contains { $0["severity"]?.stringValue == ExtractionProblem.Severity.error.rawValue } ?? false
        guard !hasErrors, var order = read["order"]?.objectValue else {
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

    /// The extraction of an uploaded file as JSON: read in a child process (`documentWorker`), at
    /// most `limits.documentReaders` at once, or in this process when no worker is set.
    ///
    /// Answers: the file refused, or the reader crashing, outrunning its CPU or memory or taking
    /// longer than the wall-clock bound on it, is 422 `unreadable-document` with what happened
    /// (nothing is stored; the server goes on). A reader that cannot be started or answers
    /// nonsense, or poppler or Tesseract missing, is 500 `document-reader-failed`: the server's
    /// fault, not the file's. All readers busy is 503 `document-readers-busy` with `Retry-After`.
    public func readDocument(_ bytes: [UInt8]) async throws -> JSONValue {
        guard let worker = documentWorker else {
            let extraction = try await Self.read(bytes, maxBytes: limits.maxDocumentBytes, templates: supplierTemplates)
            do { return try JSONParser.parse(try ReadingWorker.encode(extraction)) } catch {
                throw Problem(.internalServerError, "extraction-not-written", "The extraction cannot be written", detail: "\(error)")
            }
        }
        guard readersBusy.take(upTo: limits.documentReaders) else {
            throw Problem(.serviceUnavailable, "document-readers-busy", "Every document reader is busy",
                          detail: "\(limits.documentReaders) document(s) are being read; send this one again after Retry-After",
                          headers: [.retryAfter: String(Self.busyRetrySeconds)])
        }
        defer { readersBusy.give() }
        let maxBytes = limits.maxDocumentBytes, templates = supplierTemplates, bounds = limits.documentReading
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<([UInt8], ReadingWorker.Cost), ReadingWorker.Failure>, Never>) in
            // The child is waited on with blocking calls: on a thread of its own, never the event loops or the pool.
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(ReadingWorker.Failure) in
                    try ReadingWorker.read(bytes, maxBytes: maxBytes, templates: templates, executable: worker.executable, arguments: worker.arguments,
                                           limits: bounds, scratch: worker.scratch)
                })
            }
        }
        switch outcome {
        case .success(let (json, cost)):
            logger.debug("document read", metadata: ["document.bytes": "\(bytes.count)", "reader.cpu_seconds": "\(cost.cpuSeconds)",
                                                     "reader.wall_seconds": "\(cost.wallSeconds)"])
            do { return try JSONParser.parse(json) } catch {
                throw Problem(.internalServerError, "document-reader-failed", "The document reader failed", detail: "\(error)")
            }
        case .failure(let failure):
            if case .refused(let error) = failure {
                throw Problem(.unprocessableContent, "unreadable-document", "Unreadable document", detail: "\(error)",
                              errors: [Problem.FieldError(pointer: "", code: "unreadable", detail: "\(error)")])
            }
            let digest = Digests.sha256(bytes)
            logger.error("document reader failed", metadata: ["document.bytes": "\(bytes.count)", "document.sha256": "\(digest)", "reason": "\(failure)"])
            guard failure.isTheFile else {
                throw Problem(.internalServerError, "document-reader-failed", "The document reader failed", detail: "\(failure)")
            }
            throw Problem(.unprocessableContent, "unreadable-document", "Unreadable document", detail: "\(failure)",
                          errors: [Problem.FieldError(pointer: "", code: "reader-stopped", detail: "\(failure)")])
        }
    }

    /// `Retry-After` seconds when every reader is busy: about one scan's read.
    static let busyRetrySeconds = 5

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

/// How the server starts a child reader: the executable and the arguments before the reader's own
/// (`customs-hub`, `extract --worker`), and the folder its temporary files go into.
public struct DocumentWorkerCommand: Sendable {
    public var executable: String
    public var arguments: [String]
    public var scratch: URL

    public init(executable: String, arguments: [String] = ["extract", "--worker"], scratch: URL = FileManager.default.temporaryDirectory) {
        self.executable = executable; self.arguments = arguments; self.scratch = scratch
    }
}

/// A count of the child reads running, bounded by the caller's limit.
final class ReaderCount: Sendable {
    private let running = Mutex(0)

    /// Takes a place if fewer than `limit` are taken.
    func take(upTo limit: Int) -> Bool {
        running.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func give() { running.withLock { $0 -= 1 } }
}
