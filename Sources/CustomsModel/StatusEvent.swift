import Foundation

/// A change in a filing's or order's customs status, as reported by a gateway or courier callback
/// (CUSRES, CONTRL, CDS notification, webhook) after translation into canonical terms.
public struct StatusEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The gateway has the message (syntax accepted, CONTRL/DMSRCV).
        case received
        /// The declaration was accepted as lodged (DMSACC).
        case accepted
        /// Rejected, with `errors` saying why (DMSREJ, CONTRL with errors, CUSRES rejection).
        case rejected
        /// Duty or tax assessed (DMSTAX); amounts in `amounts`.
        case dutyAssessed = "duty_assessed"
        /// Customs wants documents or an inspection (DMSDOC).
        case queried
        /// Held for control.
        case held
        /// Released/cleared for delivery (DMSCLE, CUSRES release).
        case cleared
        case delivered
        case cancelled
        /// Anything else the adapter could read but not place; kept, never dropped.
        case other
    }

    /// One error reported by the gateway, with its pointer into the declaration when given.
    public struct GatewayError: Hashable, Sendable, Codable {
        public var code: String
        public var message: String?
        public var pointer: String?

        public init(code: String, message: String? = nil, pointer: String? = nil) {
            self.code = code
            self.message = message
            self.pointer = pointer
        }

        enum CodingKeys: String, CodingKey { case code, message, pointer }
    }

    public var kind: Kind
    public var occurredAt: Date
    /// Which adapter produced the event (`uk-cds`, `cusdec-d96b`, `courier-x`).
    public var source: String
    /// The sender's reference (LRN, interchange reference, tracking number).
    public var reference: String?
    /// The authority's reference once known (MRN, entry number).
    public var authorityReference: String?
    public var orderID: String?
    public var filingID: String?
    /// The gateway's own status code, kept verbatim.
    public var rawStatus: String?
    public var errors: [GatewayError]
    public var amounts: [Money]

    public init(
        kind: Kind, occurredAt: Date, source: String, reference: String? = nil, authorityReference: String? = nil,
        orderID: String? = nil, filingID: String? = nil, rawStatus: String? = nil, errors: [GatewayError] = [], amounts: [Money] = []
    ) {
        self.kind = kind
        self.occurredAt = occurredAt
        self.source = source
        self.reference = reference
        self.authorityReference = authorityReference
        self.orderID = orderID
        self.filingID = filingID
        self.rawStatus = rawStatus
        self.errors = errors
        self.amounts = amounts
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case occurredAt = "occurred_at"
        case source, reference
        case authorityReference = "authority_reference"
        case orderID = "order_id"
        case filingID = "filing_id"
        case rawStatus = "raw_status"
        case errors, amounts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        occurredAt = try c.decodeTimestamp(forKey: .occurredAt)
        source = try c.decode(String.self, forKey: .source)
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
        authorityReference = try c.decodeIfPresent(String.self, forKey: .authorityReference)
        orderID = try c.decodeIfPresent(String.self, forKey: .orderID)
        filingID = try c.decodeIfPresent(String.self, forKey: .filingID)
        rawStatus = try c.decodeIfPresent(String.self, forKey: .rawStatus)
        errors = try c.decodeIfPresent([GatewayError].self, forKey: .errors) ?? []
        amounts = try c.decodeIfPresent([Money].self, forKey: .amounts) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(Timestamp.format(occurredAt), forKey: .occurredAt)
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(reference, forKey: .reference)
        try c.encodeIfPresent(authorityReference, forKey: .authorityReference)
        try c.encodeIfPresent(orderID, forKey: .orderID)
        try c.encodeIfPresent(filingID, forKey: .filingID)
        try c.encodeIfPresent(rawStatus, forKey: .rawStatus)
        try c.encode(errors, forKey: .errors)
        try c.encode(amounts, forKey: .amounts)
    }
}

/// The encoder and decoder every CustomsHub JSON surface uses: stable key order, no escaped
/// slashes, so output diffs cleanly and golden files stay stable.
public enum CanonicalJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    public static func decoder() -> JSONDecoder { JSONDecoder() }

    public static func encode(_ value: some Encodable, pretty: Bool = false) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
    }
}
