import AdapterKit
import ArgumentParser
import CustomsModel
import Digests
import Foundation
import JSONCore
import Relay
import Store

/// One `outbox enqueue` input line, checked: the line `render --adapter` prints, or the explicit form.
enum EnqueueLine {
    struct Refused: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    static let renderFields: Set<String> = ["adapter", "message_type", "version", "method", "endpoint", "headers", "content_type", "body", "notes"]
    static let explicitFields: Set<String> = ["idempotency_key", "adapter_id", "credential_id", "ordering_key", "content_type", "payload", "body", "kind"]
    /// Longer keys are refused: a gateway header and an index entry, not a document.
    static let maxKeyLength = 200

    static func parse(_ bytes: [UInt8], catalog: AdapterCatalog) throws -> NewFiling {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw Refused("not valid JSON: \(error)") }
        guard let object = json.objectValue else { throw Refused("expected a JSON object") }
        let keys = Set(object.keys)
        let render = keys.contains("adapter") && !keys.contains("adapter_id")
        let unknown = keys.subtracting(render ? renderFields : explicitFields).sorted()
        if !unknown.isEmpty { throw Refused("unknown field\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", "))") }
        func text(_ key: String) throws -> String? {
            guard let v = json[key] else { return nil }
            if case .null = v { return nil }
            guard let s = v.stringValue else { throw Refused("\"\(key)\" must be text") }
            return s
        }
        let adapterID = try text(render ? "adapter" : "adapter_id") ?? ""
        if adapterID.isEmpty { throw Refused("missing \"\(render ? "adapter" : "adapter_id")\"") }
        guard let adapter = catalog.adapters[adapterID] else {
            throw Refused("no adapter \(adapterID); known: \(catalog.adapters.keys.sorted().joined(separator: ", "))")
        }
        let payload: [UInt8]
        if let body = try text("body") {
            if json["payload"] != nil { throw Refused("give \"body\" or \"payload\", not both") }
            payload = Array(body.utf8)
        } else if let value = json["payload"], !render {
            payload = Array(JSONWriter.write(value).utf8)
        } else {
            throw Refused(render ? "missing \"body\"" : "missing \"payload\" (or \"body\")")
        }
        let contentType = try text("content_type") ?? adapter.outbound?.contentType ?? "application/json"
        var key: String
        if render {
            key = ""
            if let header = adapter.idempotency?.header, case .array(let headers)? = json["headers"] {
                key = headers.first { $0["name"]?.stringValue?.lowercased() == header.lowercased() }?["value"]?.stringValue ?? ""
            }
            if key.isEmpty {
                let digest = Digests.sha256(Array((adapterID + "\n").utf8) + payload)
                key = "\(adapterID)-\(digest.prefix(32))"
            }
        } else {
            key = try text("idempotency_key") ?? ""
        }
        if key.isEmpty { throw Refused("the idempotency key is empty") }
        if key.count > maxKeyLength { throw Refused("the idempotency key is \(key.count) characters; at most \(maxKeyLength)") }
        if hasControl(key) { throw Refused("the idempotency key holds a control character (CR, LF, …)") }
        if contentType.isEmpty || hasControl(contentType) { throw Refused("content_type is empty or holds a control character") }
        let credential = try text("credential_id") ?? "default"
        let ordering = try text("ordering_key")
        for (name, value) in [("credential_id", credential), ("ordering_key", ordering ?? "")] where hasControl(value) || value.count > maxKeyLength {
            throw Refused("\(name) holds a control character or is longer than \(maxKeyLength)")
        }
        let kind = try text(render ? "message_type" : "kind") ?? adapter.outbound?.messageType ?? "message"
        let message = NewOutboxMessage(idempotencyKey: key, adapterID: adapterID, credentialID: credential, orderingKey: ordering,
                                       contentType: contentType, payload: payload)
        return NewFiling(kind: kind, message: message, references: FilingReferences.extract(payload, idempotencyKey: key))
    }

    static func hasControl(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }

    static func describe(_ error: any Error) -> String {
        if let e = error as? Refused { return e.description }
        return "\(error)"
    }
}

/// `outbox show ID`: the row, its filing and references, and each attempt in readable form.
struct OutboxDetail: Encodable {
    struct Attempt: Encodable {
        var number: String
        var worker: String
        var startedAt: String
        var finishedAt: String
        var request: RequestHead?
        var requestBody: String
        var httpStatus: Int?
        var responseBody: String
        var errorClass: String?
        var error: String?
        var verdict: ResponseOutcome?

        enum CodingKeys: String, CodingKey {
            case number, worker, request, error, verdict
            case startedAt = "started_at", finishedAt = "finished_at", requestBody = "request_body", httpStatus = "http_status"
            case responseBody = "response_body", errorClass = "error_class"
        }
    }

    struct Filing: Encodable {
        var record: FilingRecord
        var reasons: [StatusEvent.GatewayError]?
        var references: [FilingReference]
        var orderState: String?
        var reviewItems: [ReviewItem]

        enum CodingKeys: String, CodingKey { case record = "filing", reasons, references, orderState = "order_state", reviewItems = "review_items" }
    }

    var message: OutboxMessage
    var createdAt: String
    var payload: String
    var filing: Filing?
    var attempts: [Attempt]

    enum CodingKeys: String, CodingKey { case message = "row", createdAt = "created_at", payload, filing, attempts }

    static func load(id: Int64, from store: any HubDatabase) async throws -> OutboxDetail? {
        guard let message = try await store.message(id: id) else { return nil }
        var filing: Filing?
        if let filingID = message.filingID, let record = try await store.filing(id: filingID) {
            var orderState: String?
            var reviews: [ReviewItem] = []
            if let orderID = record.orderID {
                orderState = try await store.order(id: orderID)?.state
                reviews = try await store.reviewItems(ReviewFilter(orderID: orderID))
            }
            filing = Filing(record: record, reasons: record.detail.flatMap { decode([StatusEvent.GatewayError].self, $0) },
                            references: try await store.references(filingID: filingID), orderState: orderState, reviewItems: reviews)
        }
        let attempts = try await store.attempts(messageID: id).map { a in
            Attempt(number: "\(a.generation).\(a.number)", worker: a.worker, startedAt: time(a.startedAt), finishedAt: time(a.finishedAt),
                    request: decode(RequestHead.self, a.requestHead), requestBody: text(a.requestBody),
                    httpStatus: a.httpStatus, responseBody: text(a.responseBody), errorClass: a.errorClass?.rawValue, error: a.error,
                    verdict: a.verdict.flatMap { decode(ResponseOutcome.self, $0) })
        }
        return OutboxDetail(message: message, createdAt: time(message.createdAt), payload: text(message.payload), filing: filing,
                            attempts: attempts)
    }

    static func time(_ millis: Millis) -> String { Timestamp.format(Date(millis: millis)) }

    struct RequestHead: Codable {
        var method: String
        var url: String
        var headers: [String: String]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T? {
        try? JSONValueDecoder().decode(type, from: Array(json.utf8))
    }

    /// Bytes as text when they are UTF-8, else base64 with a `base64:` prefix.
    static func text(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return "base64:" + Data(bytes).base64EncodedString()
    }
}

struct CallbacksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callbacks",
        abstract: "Take in gateway answers (callbacks, CUSRES/CONTRL files) and list them.",
        discussion: Help.text(example: "customs-hub callbacks list"),
        subcommands: [Receive.self, Poll.self, List.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify, store, match and apply one callback as the server will; print what it did as one JSON line.",
            discussion: Help.text(
                "Exit 0 applied, duplicate or kept unmatched; 1 refused (bad or missing signature: nothing is stored) or unreadable.",
                example: "customs-hub callbacks receive --adapter uk-cds Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml"))
        @OptionGroup var db: DatabaseOption
        @Option(name: .long, help: "Adapter id.") var adapter: String
        @Option(name: .long, help: "A request header, 'Name: value' (signatures, webhook-id, webhook-timestamp); repeatable.")
        var header: [String] = []
        @Option(name: .long, help: "Receive as of this RFC 3339 time (default: now), for signature timestamps.") var at: String?
        @Argument(help: "The callback body; - or nothing for stdin.") var file: String?

        func run() async throws {
            var headers: [String: String] = [:]
            for h in header {
                guard let colon = h.firstIndex(of: ":"), colon != h.startIndex else { throw ValidationError("--header \(h): expected 'Name: value'") }
                headers[String(h[..<colon]).trimmingCharacters(in: .whitespaces)] = String(h[h.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            var now = Date()
            if let at {
                guard let parsed = Timestamp.parse(at) else { throw ValidationError("--at \(at) is not an RFC 3339 time") }
                now = parsed
            }
            let catalog = try loadCatalogOrExit(adapter: adapter)
            let body = try Input.bytes(file)
            let outcome: CallbackReceiver.Outcome
            do {
                outcome = try await db.with { store in try await CallbackReceiver(store: store, catalog: catalog).receive(adapter: adapter, body: body, headers: headers, now: now) }
            } catch let refusal as CallbackReceiver.Refusal {
                Diagnostics.say(refusal.description)
                throw ExitCode(refusal.configuration ? 3 : 1)
            }
            Output.line(outcome)
            if outcome.status == "unreadable" { throw ExitCode(1) }
        }
    }

    struct Poll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every answer file in an inbound folder (CUSRES, CONTRL) once; move each to processed/ or failed/.",
            discussion: Help.text("One JSON line per file: {file, outcome}. Files whose names start with a dot are left alone. Exit 1 when some file is unreadable.",
                                  example: "customs-hub callbacks poll --adapter cusdec-gateway Fixtures/inbound"))
        @OptionGroup var db: DatabaseOption
        @Option(name: .long, help: "Adapter id.") var adapter: String
        @Argument(help: "The inbound folder.") var directory: String

        func validate() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(directory) is not a folder")
            }
        }

        func run() async throws {
            let catalog = try loadCatalogOrExit(adapter: adapter)
            let items = try await db.with { store in
                try await InboundFolder(receiver: CallbackReceiver(store: store, catalog: catalog), adapterID: adapter, directory: directory).poll(now: Date())
            }
            for item in items { Output.line(item) }
            if items.contains(where: { $0.outcome.status == "unreadable" }) { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stored callbacks as JSON lines (body as text), oldest first.",
            discussion: Help.text(example: "customs-hub callbacks list --unmatched"))
        @OptionGroup var db: DatabaseOption
        @Option(name: .long, help: "Only this status: received, applied, unmatched, unreadable.") var status: String?
        @Flag(name: .long, help: "Only unmatched callbacks (same as --status unmatched).") var unmatched = false
        @Option(name: .long, help: "Only this adapter.") var adapter: String?

        struct Line: Encodable {
            var record: InboxRecord
            enum CodingKeys: String, CodingKey {
                case id, status, note, body
                case adapterID = "adapter_id", externalEventID = "external_event_id", receivedAt = "received_at"
                case filingID = "filing_id", orderID = "order_id"
            }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(record.id, forKey: .id)
                try c.encode(record.adapterID, forKey: .adapterID)
                try c.encode(record.externalEventID, forKey: .externalEventID)
                try c.encode(OutboxDetail.time(record.receivedAt), forKey: .receivedAt)
                try c.encode(record.status, forKey: .status)
                try c.encodeIfPresent(record.filingID, forKey: .filingID)
                try c.encodeIfPresent(record.orderID, forKey: .orderID)
                try c.encodeIfPresent(record.note, forKey: .note)
                try c.encode(OutboxDetail.text(record.body), forKey: .body)
            }
        }

        func run() async throws {
            let records = try await db.reading { store in try await store.callbacks(status: unmatched ? "unmatched" : status, adapterID: adapter) }
            for r in records { Output.line(Line(record: r)) }
        }
    }
}
