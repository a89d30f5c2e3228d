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
    /// The texts of `screening`, `risk` and `quote` and the routing's, written once in `evaluate`:
    /// the decisions show the same parts, and `text` copies them (nil: `text` writes them itself).
    var screeningText: JSONFragment?
    var riskText: JSONFragment?
    var quoteText: JSONFragment?
    var routingText: JSONFragment?

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
    /// `classification`'s text, written once (the review item and the decision show it too; nil:
    /// the evaluation's text writes it).
    var classificationText: JSONFragment?
    public var risk: LineRisk?
    /// `risk`'s text, a part of the assessment's (nil: the evaluation's text encodes it).
    var riskText: JSONFragment?
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
    /// What the specialist sees, as JSON text.
    public var evidence: String
    public var value: Decimal?
    /// The value's ISO 4217 currency.
    public var currency: String? = nil
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
/// `input`, `output` and `evidence` are JSON texts as the decision record stores them, written by
/// `evaluate` straight from the engines' typed results (no tree is built for them).
public struct DecisionDraft: Sendable, Hashable {
    public var kind: String
    public var lineNumber: Int?
    public var input: String
    public var output: String
    public var confidence: Decimal?
    public var evidence: String
}

extension Evaluation {
    /// The evaluation as JSON text, as the store keeps it and `orders show` and the API print it
    /// beside the stored lines. Written from the typed values; the parts the decisions show too
    /// (screening, risk, landed cost, routing, each line's classification and risk) are copied from
    /// the texts `evaluate` wrote for them.
    public var text: String {
        var w = JSONTextWriter(capacity: 24 << 10)
        w.beginObject()
        w.key("state"); w.string(state.rawValue)
        w.key("problems")
        w.beginArray()
        for p in problems { p.writeJSON(into: &w) }
        w.endArray()
        if let screening {
            w.key("screening")
            if let screeningText { w.fragment(screeningText) } else { w.value(Self.encoded(screening)) }
        }
        if let risk {
            w.key("risk")
            if let riskText { w.fragment(riskText) } else { w.value(Self.encoded(risk)) }
        }
        w.key("landed_cost")
        if let quote {
            if let quoteText { w.fragment(quoteText) } else { w.fragment(JSONFragment(quote: quote)) }
        } else {
            w.null()
        }
        if let quoteError { w.key("landed_cost_error"); w.string(quoteError) }
        w.key("routing")
        if let routingText { w.fragment(routingText) } else { routing.writeJSON(into: &w) }
        w.key("lines")
        w.beginArray()
        for line in lines { line.writeJSON(into: &w) }
        w.endArray()
        w.endObject()
        return w.take()
    }

    /// A `Codable` engine result as a JSON value (keys sorted as the canonical encoder writes them):
    /// the fallback for a result whose numbers the direct writers refuse (not finite), which gives
    /// `null` as before.
    static func encoded(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }
}

extension ValidationProblem {
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        w.key("path"); w.string(path.description)
        w.key("code"); w.string(code)
        w.key("message"); w.string(message)
        w.key("severity"); w.string(severity.rawValue)
        w.endObject()
    }
}

extension JSONFragment {
    /// A quote's wire text (`Quote.jsonText`'s bytes, written without a tree).
    init(quote: Quote) { self.init { quote.writeJSON(into: &$0) } }
}

extension Routing {
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        w.key("route", orNull: routeID)
        w.key("adapters", strings: adapters)
        w.key("action", orNull: action?.rawValue)
        w.key("partial_release"); w.bool(partialRelease)
        w.key("filed_lines", numbers: filedLines)
        w.key("held_lines", numbers: heldLines)
        w.key("review")
        w.beginArray()
        for r in reviews {
            w.beginObject()
            w.key("reason"); w.string(r.reason)
            w.key("subject"); w.string(r.subject)
            w.key("line_number")
            if let n = r.lineNumber { w.number(n) } else { w.null() }
            w.key("detail"); w.string(r.detail)
            w.endObject()
        }
        w.endArray()
        w.key("notes", strings: notes)
        w.endObject()
    }
}

extension LineEvaluation {
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        w.key("line_number"); w.number(lineNumber)
        w.key("line_id"); w.string(lineID)
        w.key("description"); w.string(description)
        w.key("merchant_code", orNull: merchantCode)
        w.key("hs_code", orNull: code)
        w.key("hs6", orNull: hs6)
        w.key("national_code", orNull: nationalCode)
        w.key("code_source"); w.string(source)
        w.key("confidence"); w.number(PipelineText.decimal(confidence))
        w.key("classification")
        if let classificationText { w.fragment(classificationText) } else { w.fragment(JSONFragment(classification: classification)) }
        if let risk {
            w.key("risk")
            if let riskText { w.fragment(riskText) } else { w.value(Evaluation.encoded(risk)) }
        }
        w.endObject()
    }
}

extension JSONFragment {
    /// A classifier's result as the encoder writes it (`null` when a score is not finite, which
    /// the encoder refuses).
    init(classification: ClassificationResult) {
        self.init { w in
            if classification.hasFiniteNumbers { classification.writeJSON(into: &w) } else { w.null() }
        }
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
