import AdapterKit
import Classification
import CustomsModel
import Foundation
import JSONCore
import Risk
import Screening
import Tariff

/// What the pipeline concluded about one order. Pure data: the edge stores it, prints it and acts
/// on it; nothing here has been written anywhere yet.
public struct Evaluation: Sendable {
    /// Validation problems (errors and warnings). With any error, the order is `invalid` and the
    /// rest of the evaluation is empty.
    public var problems: [ValidationProblem]
    /// The order as filed: the merchant's codes kept, missing codes filled from the classifier.
    public var order: Order?
    public var lines: [LineEvaluation]
    public var screening: ScreeningService.OrderReport?
    public var risk: RiskAssessment?
    public var quote: Quote?
    public var quoteError: String?
    public var routing: Routing
    public var filings: [PlannedFiling]
    public var decisions: [DecisionDraft]
    public var state: OrderState
    /// SHA-256 of the order as received (canonical JSON text), the input every decision is about.
    public var inputDigest: String
    /// The order as received, as canonical JSON text (what `inputDigest` is the digest of); empty
    /// when the order was refused before it was evaluated.
    public var documentText: String = ""
    /// `screening` and `risk` as `json` shows them, when `evaluate` encoded them already (nil: `json`
    /// encodes them itself).
    var screeningJSON: JSONValue?
    var riskJSON: JSONValue?
    /// `quote` and `routing` as `json` shows them, when `evaluate` built them already for the
    /// decisions (the same storage, so `JSONWriter.write(sharing:)` writes them once).
    var quoteJSON: JSONValue?
    var routingJSON: JSONValue?

    public var reviews: [ReviewDraft] { routing.reviews }
}

public struct LineEvaluation: Sendable {
    public var lineNumber: Int
    public var lineID: String
    public var description: String
    public var merchantCode: String?
    /// The code the order goes on with, its HS-6 and national line, and where it came from.
    public var code: String?
    public var hs6: String?
    public var nationalCode: String?
    public var source: String
    public var confidence: Double
    public var classification: ClassificationResult
    /// `classification` as JSON, encoded once.
    public var classificationJSON: JSONValue = .null
    public var risk: LineRisk?
    /// `risk` as JSON when `evaluate` took it from the assessment's encoding (nil: `json` encodes it).
    var riskJSON: JSONValue?
}

/// One thing a specialist must look at, with the reason and the evidence.
public struct ReviewDraft: Sendable, Hashable {
    /// `low_confidence`, `merchant_code_disputed`, `invalid_merchant_code`, `screening_hit`,
    /// `blocked`, `risk`, `filing_refused`, `no_route`.
    public var reason: String
    public var lineNumber: Int?
    /// `line:N`, `party:ROLE`, `filing:ADAPTER` or `order`.
    public var subject: String
    public var detail: String
    public var evidence: JSONValue
    public var value: Decimal?
}

public struct Routing: Sendable {
    public var routeID: String?
    public var adapters: [String]
    /// The risk engine's action for the order as a whole.
    public var action: OrderAction?
    /// Lines filed now (all clean lines when the destination releases part of a declaration, all
    /// lines when nothing is flagged, none when the order waits as a whole).
    public var filedLines: [Int]
    public var heldLines: [Int]
    public var partialRelease: Bool
    public var reviews: [ReviewDraft]
    public var notes: [String]
}

public struct PlannedFiling: Sendable {
    public var adapter: String
    public var lines: [Int]
    public var rendered: RenderedFiling
}

/// A decision to record; the edge adds the order id, the actor's chain position and the time.
public struct DecisionDraft: Sendable, Hashable {
    public var kind: String
    public var lineNumber: Int?
    public var input: JSONValue
    public var output: JSONValue
    public var confidence: Decimal?
    public var evidence: JSONValue
}

extension Evaluation {
    /// The evaluation as `orders show` and the API print it beside the stored lines.
    public var json: JSONValue {
        // Members listed once each, in this order (no search per member).
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(8)
        m.append(("state", .string(state.rawValue)))
        m.append(("problems", .array(problems.map(Self.problemJSON))))
        if let screening { m.append(("screening", screeningJSON ?? Self.encoded(screening))) }
        if let risk { m.append(("risk", riskJSON ?? Self.encoded(risk))) }
        m.append(("landed_cost", quote.map { quoteJSON ?? $0.json } ?? .null))
        if let quoteError { m.append(("landed_cost_error", .string(quoteError))) }
        m.append(("routing", routingJSON ?? routing.json))
        m.append(("lines", .array(lines.map(\.json))))
        return .object(JSONObject(distinct: m))
    }

    static func problemJSON(_ p: ValidationProblem) -> JSONValue {
        .object(JSONObject(distinct: [("path", .string(p.path.description)), ("code", .string(p.code)), ("message", .string(p.message)),
                            ("severity", .string(p.severity.rawValue))]))
    }

    /// A `Codable` engine result as a JSON value (keys sorted as the canonical encoder writes them).
    static func encoded(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }
}

extension Routing {
    public var json: JSONValue {
        .object(JSONObject(distinct: [
            ("route", routeID.map(JSONValue.string) ?? .null), ("adapters", .array(adapters.map(JSONValue.string))),
            ("action", action.map { .string($0.rawValue) } ?? .null), ("partial_release", .bool(partialRelease)),
            ("filed_lines", .array(filedLines.map { .number(String($0)) })), ("held_lines", .array(heldLines.map { .number(String($0)) })),
            ("review", .array(reviews.map(\.json))), ("notes", .array(notes.map(JSONValue.string))),
        ]))
    }
}

extension ReviewDraft {
    public var json: JSONValue {
        .object(JSONObject(distinct: [
            ("reason", .string(reason)), ("subject", .string(subject)), ("line_number", lineNumber.map { .number(String($0)) } ?? .null),
            ("detail", .string(detail)),
        ]))
    }
}

extension LineEvaluation {
    public var json: JSONValue {
        var m: [(key: String, value: JSONValue)] = [
            ("line_number", .number(String(lineNumber))), ("line_id", .string(lineID)), ("description", .string(description)),
            ("merchant_code", merchantCode.map(JSONValue.string) ?? .null), ("hs_code", code.map(JSONValue.string) ?? .null),
            ("hs6", hs6.map(JSONValue.string) ?? .null), ("national_code", nationalCode.map(JSONValue.string) ?? .null),
            ("code_source", .string(source)), ("confidence", .number(PipelineText.decimal(confidence))),
            ("classification", classificationJSON == .null ? Evaluation.encoded(classification) : classificationJSON),
        ]
        if let risk { m.append(("risk", riskJSON ?? Evaluation.encoded(risk))) }
        return .object(JSONObject(distinct: m))
    }
}

public enum PipelineText {
    /// A probability as exact decimal text with three places (`0.812`).
    public static func decimal(_ x: Double) -> String {
        guard let scaled = thousandths(x) else { return "0" }
        return scaled == 1000 ? "1" : "0." + String(repeating: "0", count: 3 - String(scaled).count) + String(scaled)
    }

    /// `Decimal(string: decimal(x))`, the same value and representation (a zero keeps the
    /// exponent −3 that parsing `0.000` gives), made from the digits: parsing the text cost about
    /// 3,800 instructions a call, eight calls an order.
    public static func decimalValue(_ x: Double) -> Decimal {
        guard let scaled = thousandths(x) else { return Decimal(0) }
        if scaled == 1000 { return Decimal(1) }
        if scaled == 0 { return zeroThousandths }
        return Decimal(sign: .plus, exponent: -3, significand: Decimal(scaled))
    }

    private static let zeroThousandths = Decimal(string: "0.000") ?? Decimal(0)

    /// `x` clamped to 0…1 in thousandths, rounded; nil when not finite.
    private static func thousandths(_ x: Double) -> Int? {
        guard x.isFinite else { return nil }
        return Int((max(0, min(1, x)) * 1000).rounded())
    }
}
