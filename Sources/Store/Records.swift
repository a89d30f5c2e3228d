import Foundation

/// Milliseconds since the Unix epoch. Both engines store time as a plain integer so that SQLite and
/// PostgreSQL compare, sort and round-trip it identically, and so tests can drive a fake clock.
public typealias Millis = Int64

extension Date {
    public var millis: Millis { Millis((timeIntervalSince1970 * 1000).rounded()) }
    public init(millis: Millis) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

/// Where an outbox row is in its life. `dead` is terminal until a person reprocesses it, and is
/// never pruned (Mirth #2178: errored messages pruned before anyone looked).
public enum OutboxState: String, Sendable, Codable, CaseIterable, Hashable {
    case pending, leased, delivered, dead
}

/// Why an attempt did not deliver. The class, not the status code, drives what happens next.
public enum ErrorClass: String, Sendable, Codable, CaseIterable, Hashable {
    /// Nothing was accepted and trying again is safe (connection refused, 5xx, 429).
    case retryable
    /// The gateway rejected the message; resending the same bytes cannot succeed.
    case permanent
    /// The request may have reached the gateway but no answer came back (timeout after send).
    /// Resending blindly floods the partner (Mirth #1314), so the next try goes out with the same
    /// idempotency key or after a status query.
    case unknownDelivery = "unknown_delivery"
}

/// An order as stored: the canonical JSON plus the columns the hub looks it up by.
public struct OrderRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var merchantID: String
    public var idempotencyKey: String
    public var externalReference: String
    public var state: String
    public var canonicalJSON: String
    public var createdAt: Millis
    public var updatedAt: Millis
    /// The pipeline's evaluation as JSON (screening, landed cost, routing): what `orders show` prints
    /// beside the lines, kept so that showing an order never re-runs the engines.
    public var evaluationJSON: String

    public init(id: Int64, merchantID: String, idempotencyKey: String, externalReference: String, state: String,
                canonicalJSON: String, createdAt: Millis, updatedAt: Millis, evaluationJSON: String = "{}") {
        self.id = id; self.merchantID = merchantID; self.idempotencyKey = idempotencyKey
        self.externalReference = externalReference; self.state = state; self.canonicalJSON = canonicalJSON
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.evaluationJSON = evaluationJSON
    }

    enum CodingKeys: String, CodingKey {
        case id, state
        case merchantID = "merchant_id", idempotencyKey = "idempotency_key", externalReference = "external_reference"
        case canonicalJSON = "canonical_json", createdAt = "created_at", updatedAt = "updated_at"
        case evaluationJSON = "evaluation_json"
    }
}

/// The columns of an order line the hub queries on; the full line stays in the order's JSON.
public struct OrderLineRecord: Sendable, Hashable, Codable {
    public var lineNumber: Int
    public var description: String
    public var hsCode: String?
    public var originCountry: String?
    /// Decimal as text: exact in both engines, never a binary float.
    public var value: Decimal
    public var currency: String
    /// The HS 2022 subheading the hub settled on, and the national line when known.
    public var hs6: String?
    public var nationalCode: String?
    /// The classifier's calibrated confidence, as decimal text.
    public var confidence: Decimal?
    /// `merchant` (the merchant's code, confirmed), `classifier`, or `reviewer`.
    public var codeSource: String?

    public init(lineNumber: Int, description: String, hsCode: String?, originCountry: String?, value: Decimal, currency: String,
                hs6: String? = nil, nationalCode: String? = nil, confidence: Decimal? = nil, codeSource: String? = nil) {
        self.lineNumber = lineNumber; self.description = description; self.hsCode = hsCode
        self.originCountry = originCountry; self.value = value; self.currency = currency
        self.hs6 = hs6; self.nationalCode = nationalCode; self.confidence = confidence; self.codeSource = codeSource
    }

    enum CodingKeys: String, CodingKey {
        case description, value, currency, hs6, confidence
        case lineNumber = "line_number", hsCode = "hs_code", originCountry = "origin_country"
        case nationalCode = "national_code", codeSource = "code_source"
    }
}

/// A new order with everything that must commit with it.
public struct NewOrder: Sendable, Hashable {
    public var merchantID: String
    public var idempotencyKey: String
    public var externalReference: String
    public var state: String
    public var canonicalJSON: String
    public var lines: [OrderLineRecord]
    /// Filings the order needs, each with the outbox message that delivers it.
    public var filings: [NewFiling]
    /// The pipeline's decisions (their `orderID` is filled in by the store) and the items it sends to
    /// review: they commit with the order or not at all.
    public var decisions: [DecisionRecord]
    public var reviews: [ReviewItem]
    public var evaluationJSON: String
    /// The API's `Idempotency-Key` request that brought the order (its `orderID` is filled in by
    /// the store), recorded in the order's own transaction: one commit instead of a second write
    /// transaction after it. A key already stored with another request's digest fails the whole
    /// accept with `StoreError.Code.constraint`, and nothing of the order is written. Not written
    /// when the order existed already (`created: false`); the caller remembers the request then.
    public var apiRequest: APIRequest?

    public init(merchantID: String, idempotencyKey: String, externalReference: String, state: String,
                canonicalJSON: String, lines: [OrderLineRecord], filings: [NewFiling],
                decisions: [DecisionRecord] = [], reviews: [ReviewItem] = [], evaluationJSON: String = "{}",
                apiRequest: APIRequest? = nil) {
        self.merchantID = merchantID; self.idempotencyKey = idempotencyKey; self.externalReference = externalReference
        self.state = state; self.canonicalJSON = canonicalJSON; self.lines = lines; self.filings = filings
        self.decisions = decisions; self.reviews = reviews; self.evaluationJSON = evaluationJSON; self.apiRequest = apiRequest
    }
}

/// A filing (one declaration for one adapter) and the message that carries it.
public struct NewFiling: Sendable, Hashable {
    public var kind: String
    public var message: NewOutboxMessage
    /// What the filing can be found by when its gateway answers (LRN, interchange reference, …).
    public var references: [FilingReference]

    public init(kind: String, message: NewOutboxMessage, references: [FilingReference] = []) {
        self.kind = kind; self.message = message; self.references = references
    }
}

public struct FilingRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var orderID: Int64?
    public var adapterID: String
    public var kind: String
    public var state: String
    public var createdAt: Millis
    /// The gateway's reasons for the last state (JSON array of {code, message, pointer}), if any.
    public var detail: String?

    public init(id: Int64, orderID: Int64?, adapterID: String, kind: String, state: String, createdAt: Millis, detail: String? = nil) {
        self.id = id; self.orderID = orderID; self.adapterID = adapterID; self.kind = kind; self.state = state; self.createdAt = createdAt
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, state, detail
        case orderID = "order_id", adapterID = "adapter_id", createdAt = "created_at"
    }
}

/// What to deliver, to whom, under which key.
public struct NewOutboxMessage: Sendable, Hashable {
    /// Sent to the gateway with every attempt so it can drop duplicates; unique in the outbox.
    public var idempotencyKey: String
    public var adapterID: String
    /// Rate limits apply per adapter *and* credential (one merchant's key must not starve another's).
    public var credentialID: String
    /// Messages sharing a key are delivered in id order; nil means "no ordering needed".
    public var orderingKey: String?
    public var contentType: String
    public var payload: [UInt8]

    public init(idempotencyKey: String, adapterID: String, credentialID: String = "default", orderingKey: String? = nil,
                contentType: String = "application/json", payload: [UInt8]) {
        self.idempotencyKey = idempotencyKey; self.adapterID = adapterID; self.credentialID = credentialID
        self.orderingKey = orderingKey; self.contentType = contentType; self.payload = payload
    }
}

public struct OutboxMessage: Sendable, Hashable, Codable {
    public var id: Int64
    public var filingID: Int64?
    public var idempotencyKey: String
    public var adapterID: String
    public var credentialID: String
    public var orderingKey: String?
    public var contentType: String
    public var payload: [UInt8]
    public var state: OutboxState
    /// Attempts in the current generation (reset by reprocess; history stays in `attempts`).
    public var attempts: Int
    /// Bumped by every reprocess so dashboards can tell a second life from a first.
    public var generation: Int
    public var availableAt: Millis
    public var leaseOwner: String?
    public var leaseUntil: Millis?
    public var lastErrorClass: ErrorClass?
    public var lastError: String?
    public var createdAt: Millis
    public var deliveredAt: Millis?

    public init(id: Int64, filingID: Int64?, idempotencyKey: String, adapterID: String, credentialID: String,
                orderingKey: String?, contentType: String, payload: [UInt8], state: OutboxState, attempts: Int,
                generation: Int, availableAt: Millis, leaseOwner: String?, leaseUntil: Millis?,
                lastErrorClass: ErrorClass?, lastError: String?, createdAt: Millis, deliveredAt: Millis?) {
        self.id = id; self.filingID = filingID; self.idempotencyKey = idempotencyKey; self.adapterID = adapterID
        self.credentialID = credentialID; self.orderingKey = orderingKey; self.contentType = contentType
        self.payload = payload; self.state = state; self.attempts = attempts; self.generation = generation
        self.availableAt = availableAt; self.leaseOwner = leaseOwner; self.leaseUntil = leaseUntil
        self.lastErrorClass = lastErrorClass; self.lastError = lastError; self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    /// The listing form: payload size instead of bytes, snake_case keys.
    enum CodingKeys: String, CodingKey {
        case id, state, attempts, generation
        case filingID = "filing_id", idempotencyKey = "idempotency_key", adapterID = "adapter_id"
        case credentialID = "credential_id", orderingKey = "ordering_key", contentType = "content_type"
        case payload = "payload_bytes", availableAt = "available_at", leaseOwner = "lease_owner"
        case leaseUntil = "lease_until", lastErrorClass = "last_error_class", lastError = "last_error"
        case createdAt = "created_at", deliveredAt = "delivered_at"
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "outbox messages are read from the store, not decoded"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(filingID, forKey: .filingID)
        try c.encode(idempotencyKey, forKey: .idempotencyKey)
        try c.encode(adapterID, forKey: .adapterID)
        try c.encode(credentialID, forKey: .credentialID)
        try c.encodeIfPresent(orderingKey, forKey: .orderingKey)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(payload.count, forKey: .payload)
        try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(generation, forKey: .generation)
        try c.encode(availableAt, forKey: .availableAt)
        try c.encodeIfPresent(leaseOwner, forKey: .leaseOwner)
        try c.encodeIfPresent(leaseUntil, forKey: .leaseUntil)
        try c.encodeIfPresent(lastErrorClass, forKey: .lastErrorClass)
        try c.encodeIfPresent(lastError, forKey: .lastError)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(deliveredAt, forKey: .deliveredAt)
    }
}

/// One try at delivering a message, with the raw bytes both ways so a person can see what happened.
public struct AttemptRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var messageID: Int64
    public var generation: Int
    public var number: Int
    /// The attempt before this one for the same message, across reprocess generations.
    public var previousAttemptID: Int64?
    public var worker: String
    public var startedAt: Millis
    public var finishedAt: Millis
    public var httpStatus: Int?
    public var errorClass: ErrorClass?
    public var error: String?
    public var requestBody: [UInt8]
    public var responseBody: [UInt8]
    /// The request line and headers as sent (credentials redacted), as JSON.
    public var requestHead: String
    /// What the adapter's response rules made of the answer (outcome, reference, reasons), as JSON.
    public var verdict: String?

    public init(id: Int64, messageID: Int64, generation: Int, number: Int, previousAttemptID: Int64?, worker: String,
                startedAt: Millis, finishedAt: Millis, httpStatus: Int?, errorClass: ErrorClass?, error: String?,
                requestBody: [UInt8], responseBody: [UInt8], requestHead: String = "", verdict: String? = nil) {
        self.id = id; self.messageID = messageID; self.generation = generation; self.number = number
        self.previousAttemptID = previousAttemptID; self.worker = worker; self.startedAt = startedAt
        self.finishedAt = finishedAt; self.httpStatus = httpStatus; self.errorClass = errorClass; self.error = error
        self.requestBody = requestBody; self.responseBody = responseBody; self.requestHead = requestHead; self.verdict = verdict
    }

    enum CodingKeys: String, CodingKey {
        case id, generation, number, worker, error, verdict
        case messageID = "message_id", previousAttemptID = "previous_attempt_id", startedAt = "started_at"
        case finishedAt = "finished_at", httpStatus = "http_status", errorClass = "error_class"
        case requestBody = "request_body", responseBody = "response_body", requestHead = "request_head"
    }
}

/// The facts of an attempt as the relay saw them; the store assigns id, number and links.
public struct AttemptReport: Sendable, Hashable {
    public var worker: String
    public var startedAt: Millis
    public var finishedAt: Millis
    public var httpStatus: Int?
    public var errorClass: ErrorClass?
    public var error: String?
    public var requestBody: [UInt8]
    public var responseBody: [UInt8]
    /// The request line and headers as sent (credentials redacted), as JSON.
    public var requestHead: String
    /// What the adapter's response rules made of the answer, as JSON.
    public var verdict: String?

    public init(worker: String, startedAt: Millis, finishedAt: Millis, httpStatus: Int?, errorClass: ErrorClass?,
                error: String?, requestBody: [UInt8], responseBody: [UInt8], requestHead: String = "", verdict: String? = nil) {
        self.worker = worker; self.startedAt = startedAt; self.finishedAt = finishedAt; self.httpStatus = httpStatus
        self.errorClass = errorClass; self.error = error; self.requestBody = requestBody; self.responseBody = responseBody
        self.requestHead = requestHead; self.verdict = verdict
    }
}

/// What the store must do with a message after an attempt.
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered
    case retry(at: Millis)
    case dead
}

/// A callback from a gateway, kept raw; the same event twice is stored once.
public struct InboxEvent: Sendable, Hashable, Codable {
    public var adapterID: String
    public var externalEventID: String
    public var receivedAt: Millis
    public var body: [UInt8]

    public init(adapterID: String, externalEventID: String, receivedAt: Millis, body: [UInt8]) {
        self.adapterID = adapterID; self.externalEventID = externalEventID; self.receivedAt = receivedAt; self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case body
        case adapterID = "adapter_id", externalEventID = "external_event_id", receivedAt = "received_at"
    }
}

/// An automated decision and the evidence for it. Append-only: the store has no update for these.
public struct DecisionRecord: Sendable, Hashable, Codable {
    public var id: Int64?
    /// The order decided about; nil for a decision about a document draft that never became an order.
    public var orderID: Int64?
    public var lineNumber: Int?
    public var kind: String
    public var input: String
    public var output: String
    /// Decimal text, exact.
    public var confidence: Decimal?
    public var evidence: String
    /// The versions the decision was made with (model, lists, packs, adapters and mappings, routes),
    /// as JSON text.
    public var version: String
    public var decidedAt: Millis
    /// Who decided: `customs-hub/pipeline`, a gateway adapter, or `reviewer:NAME`.
    public var actor: String
    /// SHA-256 (hex) of the input the decision was made on; `input` itself may be a summary.
    public var inputDigest: String
    /// The record this one corrects (a reviewer's answer points at the pipeline's).
    public var corrects: Int64?
    /// The chain: the previous record's `hash`, and SHA-256 over this record's fields and that
    /// previous hash. Set by the store on append; a changed or deleted row breaks the chain.
    public var previousHash: String
    public var hash: String
    /// The document draft decided about (a reviewer's answer to a draft read with problems).
    public var documentID: Int64?

    public init(id: Int64? = nil, orderID: Int64?, lineNumber: Int?, kind: String, input: String, output: String,
                confidence: Decimal?, evidence: String, version: String, decidedAt: Millis,
                actor: String = "customs-hub", inputDigest: String = "", corrects: Int64? = nil,
                previousHash: String = "", hash: String = "", documentID: Int64? = nil) {
        self.id = id; self.orderID = orderID; self.lineNumber = lineNumber; self.kind = kind; self.input = input
        self.output = output; self.confidence = confidence; self.evidence = evidence; self.version = version
        self.decidedAt = decidedAt; self.actor = actor; self.inputDigest = inputDigest; self.corrects = corrects
        self.previousHash = previousHash; self.hash = hash; self.documentID = documentID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, input, output, confidence, evidence, version, actor, corrects, hash
        case orderID = "order_id", lineNumber = "line_number", decidedAt = "decided_at"
        case inputDigest = "input_digest", previousHash = "previous_hash", documentID = "document_id"
    }
}

/// Something a person must look at: a flagged line or order, a DEAD filing, or a document draft
/// that could not be read into a valid order. It belongs to exactly one order or one draft.
public struct ReviewItem: Sendable, Hashable, Codable {
    public var id: Int64?
    public var orderID: Int64?
    public var lineNumber: Int?
    public var reason: String
    /// `open`, `held` (a person is waiting for something; still unresolved) or `resolved`.
    public var state: String
    public var createdAt: Millis
    public var resolvedAt: Millis?
    public var resolution: String?
    /// What is doubtful: `line:2`, `party:consignee`, `filing:uk-cds`, `order`.
    public var subject: String
    /// One sentence for the queue, and the evidence a specialist needs (JSON text).
    public var detail: String
    public var evidence: String
    public var resolvedBy: String?
    /// The value at stake (the line's value, a document's total), so the queue sorts by it.
    public var value: Decimal?
    /// The value's ISO 4217 currency (nil for items stored before it was kept, when the migration
    /// found no order line to take it from).
    public var currency: String?
    /// The document draft this item is about (`subject` is then `document:ID`), when it has no order.
    public var documentID: Int64?

    public init(id: Int64? = nil, orderID: Int64?, lineNumber: Int?, reason: String, state: String = "open",
                createdAt: Millis, resolvedAt: Millis? = nil, resolution: String? = nil,
                subject: String = "order", detail: String = "", evidence: String = "{}", resolvedBy: String? = nil, value: Decimal? = nil,
                currency: String? = nil, documentID: Int64? = nil) {
        self.id = id; self.orderID = orderID; self.lineNumber = lineNumber; self.reason = reason; self.state = state
        self.createdAt = createdAt; self.resolvedAt = resolvedAt; self.resolution = resolution
        self.subject = subject; self.detail = detail; self.evidence = evidence; self.resolvedBy = resolvedBy; self.value = value
        self.currency = currency; self.documentID = documentID
    }

    enum CodingKeys: String, CodingKey {
        case id, reason, state, resolution, subject, detail, evidence, value, currency
        case orderID = "order_id", lineNumber = "line_number", createdAt = "created_at", resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by", documentID = "document_id"
    }
}

/// Counts per state and adapter, read from the rows themselves (Mirth #2941: counters drift).
public struct OutboxStats: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var adapterID: String
        public var state: OutboxState
        public var count: Int
        public init(adapterID: String, state: OutboxState, count: Int) {
            self.adapterID = adapterID; self.state = state; self.count = count
        }
        enum CodingKeys: String, CodingKey { case state, count; case adapterID = "adapter_id" }
    }
    public var rows: [Row]
    public init(rows: [Row]) { self.rows = rows }

    public func count(_ state: OutboxState, adapter: String? = nil) -> Int {
        rows.filter { $0.state == state && (adapter == nil || $0.adapterID == adapter) }.reduce(0) { $0 + $1.count }
    }
}
