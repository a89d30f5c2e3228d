import Classification
import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import NIOCore
import Pipeline
import Screening
import Tariff

/// `POST /v1/quotes`, `/v1/classify`, `/v1/screen`: the loaded engines on their own, in batches. A
/// JSON array (or one object) in gives a JSON array out; JSON lines (`application/x-ndjson`) in give
/// JSON lines out. One result per item, in order, in the shape the CLI command prints; an item that
/// cannot be answered gets its error in its place and does not fail the batch.
extension HubAPI {
    enum Engine: String { case quote, classify, screen }

    func batch(_ request: Request, engine: Engine) async throws -> Response {
        _ = try await tenant(request)
        let contentType = (request.headers[.contentType] ?? "application/json").lowercased()
        let lines = contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/jsonl")
            || contentType.hasPrefix("application/json-seq")
        guard lines || Self.isJSON(contentType) else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                          detail: "send a JSON array as application/json or JSON lines as application/x-ndjson (got \(contentType))")
        }
        let items = try batchItems(try await body(request), lines: lines)
        let engines = try await slot.hub().engines
        let now = Date()
        var top = 5
        if let text = request.uri.queryParameters["top"].map(String.init) {
            guard let n = Int(text), (1...50).contains(n) else { throw Problem.invalidParameter("top", "an integer from 1 to 50") }
            top = n
        }
        let results: [JSONValue] = items.enumerated().map { n, item -> JSONValue in
            return switch engine {
            case .quote: Self.quote(item, number: n + 1, book: engines.tariff)
            case .classify: Self.classify(item, number: n + 1, classifier: engines.classifier, top: top)
            case .screen: Self.screen(item, number: n + 1, engines: engines, at: now)
            }
        }
        if lines {
            let text = results.map { JSONWriter.write($0) + "\n" }.joined()
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return jsonResponse(.array(results))
    }

    /// The items of a batch as their bytes: the elements of a JSON array (or one JSON object), or the non-blank lines.
    func batchItems(_ bytes: [UInt8], lines: Bool) throws -> [[UInt8]] {
        var items: [[UInt8]]
        if lines {
            items = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
                .filter { line in !line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        } else {
            switch try parseJSON(bytes) {
            case .array(let elements): items = elements.map { Array(JSONWriter.write($0).utf8) }
            case .object(let o): items = [Array(JSONWriter.write(.object(o)).utf8)]
            case let other:
                throw Problem(.unprocessableContent, "invalid-batch", "Invalid batch", detail: "send a JSON array of items",
                              errors: [Problem.FieldError(pointer: "", code: "type", detail: "expected an array, got \(other.typeName)")])
            }
        }
        guard items.count <= limits.maxBatchItems else {
            throw Problem(.contentTooLarge, "too-many-items", "Too many items", detail: "at most \(limits.maxBatchItems) items per batch",
                          errors: [Problem.FieldError(pointer: "", code: "too_many", detail: "\(items.count) items")])
        }
        guard !items.isEmpty else {
            throw Problem(.unprocessableContent, "invalid-batch", "Invalid batch", detail: "the batch has no items",
                          errors: [Problem.FieldError(pointer: "", code: "empty", detail: "no items")])
        }
        return items
    }

    /// Like `customs-hub quote`, in its printed shape (money as `{"amount","currency"}`, rates as
    /// decimal strings): the quote, or `{"id","error":{"field","message"}}`. The hub quotes
    /// with the packs it loaded; a request pinning other versions gets a `pack_versions` error.
    static func quote(_ item: [UInt8], number: Int, book: TariffBook?) -> JSONValue {
        QuoteWire.moneyShaped(unshapedQuote(item, number: number, book: book))
    }

    private static func unshapedQuote(_ item: [UInt8], number: Int, book: TariffBook?) -> JSONValue {
        let value: JSONValue
        do { value = try JSONParser.parse(item) } catch {
            return QuoteError("$", "item \(number) is not JSON: \(error)").json(id: nil)
        }
        return QuoteEngine.answer(value) { pins in
            guard let book else { throw HubEngineError("no tariff packs are loaded") }
            for (id, version) in pins.sorted(by: { $0.key < $1.key }) where !book.headers.contains(where: { $0.id == id && $0.version == version }) {
                throw HubEngineError("pinned version \(version) of pack \(id) is not the one the hub loaded "
                    + "(\(book.headers.filter { $0.id == id }.map(\.version).joined(separator: ", ")))")
            }
            return book
        }
    }

    /// Like `customs-hub classify`: the result, or `{"line","error"}` for an item that cannot be read.
    static func classify(_ item: [UInt8], number: Int, classifier: Classifier, top: Int) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let request = try ClassificationRequest(jsonLine: String(decoding: item, as: UTF8.self), line: number)
            return try JSONParser.parse(Array(try encoder.encode(classifier.classify(request, top: top))))
        } catch {
            // Named as `customs-hub classify` names it: the item's number, and its id when it has one.
            var refused = JSONObject([("line", .number(String(number))), ("error", .string("\(error)"))])
            if let id = (try? JSONParser.parse(item))?["id"]?.stringValue { refused["id"] = .string(id) }
            return .object(refused)
        }
    }

    /// Like `customs-hub screen`: the party's or order's screening, or `{"line","error"}`.
    static func screen(_ item: [UInt8], number: Int, engines: PipelineEngines, at now: Date) -> JSONValue {
        let (text, ok) = StandaloneScreening.screen(item, service: engines.screening, assessor: engines.risk, at: now)
        let parsed = try? JSONParser.parse(text)
        guard ok, let parsed else {
            let message = parsed?["error"]?.stringValue ?? text
            return .object(JSONObject([("line", .number(String(number))), ("error", .string(message))]))
        }
        return parsed
    }
}

struct HubEngineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
