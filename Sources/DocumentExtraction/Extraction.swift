import CustomsModel
import Foundation

public enum DocumentKind: String, Hashable, Sendable, Codable {
    case invoice
    case packingList = "packing_list"
    case certificate
    case unknown
}

/// One table line as read. Amounts and quantities are plain decimal strings (`1249`, `18.5`).
public struct DocumentLine: Hashable, Sendable, Codable {
    public var description: String?
    public var quantity: String?
    /// UN/ECE Rec 20 code (`PCE`, `KGM`).
    public var unit: String?
    public var unitPrice: String?
    public var lineTotal: String?
    public var hsCode: String?
    public var originCountry: String?
    public var packages: String?
    public var netWeight: String?
    public var grossWeight: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case description, quantity, unit
        case unitPrice = "unit_price"
        case lineTotal = "line_total"
        case hsCode = "hs_code"
        case originCountry = "origin_country"
        case packages
        case netWeight = "net_weight"
        case grossWeight = "gross_weight"
    }
}

/// A statement on origin (for example the EU-UK TCA text on an invoice).
public struct OriginStatement: Hashable, Sendable, Codable {
    /// `EU-UK TCA` when the statement's origin and parties say so.
    public var agreement: String?
    public var exporterReference: String?
    /// `UK` or `EU`: the preferential origin declared.
    public var origin: String?
    public var text: String?

    public init(agreement: String? = nil, exporterReference: String? = nil, origin: String? = nil, text: String? = nil) {
        self.agreement = agreement
        self.exporterReference = exporterReference
        self.origin = origin
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case agreement
        case exporterReference = "exporter_reference"
        case origin, text
    }
}

/// What the document says, in the document's own terms. For packing lists and certificates
/// `invoice_number` is the invoice they refer to and `invoice_date` the document's date.
public struct ExtractedDocument: Hashable, Sendable, Codable {
    public var kind: DocumentKind = .unknown
    public var invoiceNumber: String?
    /// `YYYY-MM-DD`.
    public var invoiceDate: String?
    public var currency: String?
    public var total: String?
    public var subtotal: String?
    public var tax: String?
    public var shipping: String?
    public var insurance: String?
    /// Packing and handling charged beside the goods (`Emballage / Packing 45,00`).
    public var packingCharge: String?
    public var sellerName: String?
    public var sellerAddress: [String]?
    public var buyerName: String?
    public var buyerAddress: [String]?
    public var incoterm: String?
    public var netWeight: String?
    public var grossWeight: String?
    public var packages: String?
    public var countryOfOrigin: String?
    public var originStatement: OriginStatement?
    public var lines: [DocumentLine] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kind
        case invoiceNumber = "invoice_number"
        case invoiceDate = "invoice_date"
        case currency, total, subtotal, tax, shipping, insurance
        case packingCharge = "packing_charge"
        case sellerName = "seller_name"
        case sellerAddress = "seller_address"
        case buyerName = "buyer_name"
        case buyerAddress = "buyer_address"
        case incoterm
        case netWeight = "net_weight"
        case grossWeight = "gross_weight"
        case packages
        case countryOfOrigin = "country_of_origin"
        case originStatement = "origin_statement"
        case lines
    }

    /// Reads expected documents and other tools' output: every key may be absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = (try? c.decodeIfPresent(DocumentKind.self, forKey: .kind)) ?? .unknown
        invoiceNumber = try c.decodeIfPresent(String.self, forKey: .invoiceNumber)
        invoiceDate = try c.decodeIfPresent(String.self, forKey: .invoiceDate)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        total = try c.decodeIfPresent(String.self, forKey: .total)
        subtotal = try c.decodeIfPresent(String.self, forKey: .subtotal)
        tax = try c.decodeIfPresent(String.self, forKey: .tax)
        shipping = try c.decodeIfPresent(String.self, forKey: .shipping)
        insurance = try c.decodeIfPresent(String.self, forKey: .insurance)
        packingCharge = try c.decodeIfPresent(String.self, forKey: .packingCharge)
        sellerName = try c.decodeIfPresent(String.self, forKey: .sellerName)
        sellerAddress = try c.decodeIfPresent([String].self, forKey: .sellerAddress)
        buyerName = try c.decodeIfPresent(String.self, forKey: .buyerName)
        buyerAddress = try c.decodeIfPresent([String].self, forKey: .buyerAddress)
        incoterm = try c.decodeIfPresent(String.self, forKey: .incoterm)
        netWeight = try c.decodeIfPresent(String.self, forKey: .netWeight)
        grossWeight = try c.decodeIfPresent(String.self, forKey: .grossWeight)
        packages = try c.decodeIfPresent(String.self, forKey: .packages)
        countryOfOrigin = try c.decodeIfPresent(String.self, forKey: .countryOfOrigin)
        originStatement = try c.decodeIfPresent(OriginStatement.self, forKey: .originStatement)
        lines = try c.decodeIfPresent([DocumentLine].self, forKey: .lines) ?? []
    }
}

extension ExtractedDocument {
    /// Freight, insurance and packing together: what an invoice's total adds to its lines besides
    /// tax (`Total CIF` is the goods plus `Freight` plus `Insurance`).
    public var charges: Decimal {
        [shipping, insurance, packingCharge].compactMap { $0.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } }.reduce(0, +)
    }
}

/// One value read from the document, where it was, and how sure the extractor is.
public struct Field: Hashable, Sendable, Codable {
    /// A path into `document`: `invoice_number`, `lines[2].unit_price`, `origin_statement.origin`.
    public var name: String
    public var value: String
    /// 0...1: the reader's confidence in the words, lowered for repaired or inferred values and
    /// raised when a cross-check confirms it.
    public var confidence: Double
    public var page: Int
    public var box: Box

    public init(name: String, value: String, confidence: Double, page: Int, box: Box) {
        self.name = name
        self.value = value
        self.confidence = confidence
        self.page = page
        self.box = box
    }
}

public struct ExtractionProblem: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable { case error, warning }
    /// `missing_field`, `line_arithmetic`, `total_mismatch`, `low_confidence`, `inferred_value`, `no_text`.
    public var code: String
    public var message: String
    public var field: String?
    public var severity: Severity

    public init(code: String, message: String, field: String? = nil, severity: Severity = .error) {
        self.code = code
        self.message = message
        self.field = field
        self.severity = severity
    }
}

public struct PageInfo: Hashable, Sendable, Codable {
    public var number: Int
    public var width: Double
    public var height: Double
    public var source: TextSource
    public var words: Int
}

/// Which supplier template matched a document: its file, its supplier, and the words that named it.
public struct TemplateMatch: Sendable, Encodable, Hashable {
    public var source: String
    public var supplier: String
    public var matched: String
    public var page: Int
}

/// The extractor's whole answer: the document, the draft order, every field with its evidence,
/// and the problems that send the draft to review.
public struct Extraction: Sendable, Encodable {
    public var document: ExtractedDocument
    public var order: DraftOrder
    public var fields: [Field]
    public var problems: [ExtractionProblem]
    public var pages: [PageInfo]
    /// True when a problem or a low confidence means a person should check the draft.
    public var needsReview: Bool
    /// The supplier template that refined the reading, when one matched: so that a person can tell
    /// a template's reading from the generic reader's, and which file to fix.
    public var template: TemplateMatch? = nil

    enum CodingKeys: String, CodingKey {
        case document, order, fields, problems, pages, template
        case needsReview = "needs_review"
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}
