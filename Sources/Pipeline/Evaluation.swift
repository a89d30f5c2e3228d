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
        var o = JSONObject()
        o["state"] = .string(state.rawValue)
        o["problems"] = .array(problems.map(Self.problemJSON))
        if let screening { o["screening"] = screeningJSON ?? Self.encoded(screening) }
        if let risk { o["risk"] = riskJSON ?? Self.encoded(risk) }
        if let quote { o["landed_cost"] = quoteJSON ?? quote.json } else { o["landed_cost"] = .null }
        if let quoteError { o["landed_cost_error"] = .string(quoteError) }
        o["routing"] = routingJSON ?? routing.json
        o["lines"] = .array(lines.map(\.json))
        return .object(o)
    }

    static func problemJSON(_ p: ValidationProblem) -> JSONValue {
        .object(JSONObject([("path", .string(p.path.description)), ("code", .string(p.code)), ("message", .string(p.message)),
                            ("severity", .string(p.severity.rawValue))]))
    }

    /// A `Codable` engine result as a JSON value (keys sorted as the canonical encoder writes them).
    static func encoded(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }
}

extension Routing {
    public var json: JSONValue {
        .object(JSONObject([
            ("route", routeID.map(JSONValue.string) ?? .null), ("adapters", .array(adapters.map(JSONValue.string))),
            ("action", action.map { .string($0.rawValue) } ?? .null), ("partial_release", .bool(partialRelease)),
            ("filed_lines", .array(filedLines.map { .number(String($0)) })), ("held_lines", .array(heldLines.map { .number(String($0)) })),
            ("review", .array(reviews.map(\.json))), ("notes", .array(notes.map(JSONValue.string))),
        ]))
    }
}

extension ReviewDraft {
    public var json: JSONValue {
        .object(JSONObject([
            ("reason", .string(reason)), ("subject", .string(subject)), ("line_number", lineNumber.map { .number(String($0)) } ?? .null),
            ("detail", .string(detail)),
        ]))
    }
}

extension LineEvaluation {
    public var json: JSONValue {
        var o = JSONObject()
        o["line_number"] = .number(String(lineNumber))
        o["line_id"] = .string(lineID)
        o["description"] = .string(description)
        o["merchant_code"] = merchantCode.map(JSONValue.string) ?? .null
        o["hs_code"] = code.map(JSONValue.string) ?? .null
        o["hs6"] = hs6.map(JSONValue.string) ?? .null
        o["national_code"] = nationalCode.map(JSONValue.string) ?? .null
        o["code_source"] = .string(source)
        o["confidence"] = .number(PipelineText.decimal(confidence))
        o["classification"] = classificationJSON == .null ? Evaluation.encoded(classification) : classificationJSON
        if let risk { o["risk"] = riskJSON ?? Evaluation.encoded(risk) }
        return .object(o)
    }
}

public enum PipelineText {
    /// A probability as exact decimal text with three places (`0.812`).
    public static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let scaled = Int((max(0, min(1, x)) * 1000).rounded())
        return scaled == 1000 ? "1" : "0." + String(repeating: "0", count: 3 - String(scaled).count) + String(scaled)
    }
}
