import AdapterKit
import Classification
import CustomsModel
import Digests
import Foundation
import JSONCore
import Mapping
import Risk
import Screening
import Tariff

/// One order in, one evaluation out: validate, classify every line, screen every party, score risk
/// per line, quote the landed cost, route, and render the filings of the lines that may go on.
/// Pure: the engines and the time are handed in, nothing is read or written, and the same input
/// with the same versions gives the same evaluation.
public enum Pipeline {
    /// `document` is the canonical order as parsed JSON; `now` is when the hub took it in.
    /// `firstReference` is the first of the reference numbers the store reserved for this order's
    /// filings (`engines.routes.widestRoute` of them): the route's n-th adapter files with
    /// `firstReference + n` (its LRN, message id or interchange reference). Without it (a dry run),
    /// a filing whose mapping needs a reference is refused to review.
    /// `allowed` holds `allowanceKey`s of screening hits a person released: a party whose every
    /// hit is allowed in the list version screened now is not sent to review again.
    public static func evaluate(_ document: JSONValue, engines: PipelineEngines, now: Date, firstReference: Int? = nil,
                                allowed: Set<String> = []) -> Evaluation {
        // Moved out of the array, not copied (a copy of an evaluation retains each of its parts, and
        // the array's end releases them again).
        var one = evaluate([document], engines: engines, now: now, firstReferences: [firstReference], allowed: allowed)
        return one.removeLast()
    }

    /// Several orders evaluated together, stage by stage: every order is validated, then every
    /// line of every order classified, then every party screened, then risk, quote, routing and
    /// rendering, each over the whole batch. Each engine then runs many times in a row on caches
    /// its own last call left warm, instead of after the other engines evicted them (one order at
    /// a time, the engines together cost about 1.6 times what each costs called in a row).
    /// Each order's evaluation is exactly the one `evaluate(_:)` gives it alone: the stages are
    /// the same code, run in the same order for each order, and no stage reads another order.
    /// `firstReferences[k]` is order k's `firstReference` (missing entries: nil).
    public static func evaluate(_ documents: [JSONValue], engines: PipelineEngines, now: Date, firstReferences: [Int?],
                                allowed: Set<String> = []) -> [Evaluation] {
        let day = String(Timestamp.format(now).prefix(10))
        var results = [Evaluation?](repeating: nil, count: documents.count)
        var drafts: [(index: Int, draft: Draft)] = []
        drafts.reserveCapacity(documents.count)
        for (k, document) in documents.enumerated() {
            switch validate(document, engines: engines, day: day) {
            case .success(let draft): drafts.append((k, draft))
            case .failure(let refused): results[k] = refused.evaluation
            }
        }
        // The drafts are changed in place and moved, never copied: a copy of a draft retains each of
        // its parts, and the next change to a shared array (the decisions) copies it whole.
        for k in drafts.indices { classify(&drafts[k].draft, engines: engines) }
        var unscreenable: Set<Int> = []
        for k in drafts.indices {
            if let refused = screen(&drafts[k].draft, engines: engines, now: now, allowed: allowed) {
                results[drafts[k].index] = refused
                unscreenable.insert(drafts[k].index)
            }
        }
        if !unscreenable.isEmpty { drafts.removeAll { unscreenable.contains($0.index) } }
        for k in drafts.indices { assessRisk(&drafts[k].draft, engines: engines) }
        for k in drafts.indices { quote(&drafts[k].draft, engines: engines) }
        drafts.reverse()
        while case let (index, draft)? = drafts.popLast() {
            results[index] = routeAndRender(draft, engines: engines, now: now,
                                            firstReference: index < firstReferences.count ? firstReferences[index] : nil)
        }
        var evaluations: [Evaluation] = []
        evaluations.reserveCapacity(results.count)
        for k in results.indices { evaluations.append(results[k].take()!) }
        return evaluations
    }

    /// An order between the stages of `evaluate`: what the stages so far found, in the order the
    /// decisions are recorded.
    struct Draft {
        var documentText: String
        var inputDigest: String
        var problems: [ValidationProblem]
        var order: Order
        var day: String
        var decisions: [DecisionDraft]
        var reviews: [ReviewDraft] = []
        var notes: [String] = []
        var lines: [LineEvaluation] = []
        var screening: ScreeningService.OrderReport?
        var screeningText: JSONFragment?
        var partyDecisions: [String: Decision] = [:]
        var risk: RiskAssessment?
        var riskText: JSONFragment?
        var quote: Quote?
        var quoteError: String?
        var quoteText: JSONFragment?
    }

    /// `body`, one engine call, through the engines' meter when they carry one.
    @inline(__always)
    static func engine<T, E: Error>(_ engines: PipelineEngines, _ call: EngineCall, _ body: () throws(E) -> T) throws(E) -> T {
        guard let meter = engines.meter else { return try body() }
        return try meter.measure(call, body)
    }

    /// An evaluation that ended before the last stage (an invalid or unscreenable order).
    struct Refused: Error { var evaluation: Evaluation }

    static func refusal(_ problems: [ValidationProblem], inputDigest: String) -> Evaluation {
        Evaluation(
            problems: problems, order: nil, lines: [], screening: nil, risk: nil, quote: nil, quoteError: nil,
            routing: Routing(routeID: nil, adapters: [], action: nil, filedLines: [], heldLines: [], partialRelease: false, reviews: [], notes: []),
            filings: [], decisions: [], state: .invalid, inputDigest: inputDigest)
    }

    /// Validation: the order decoded and checked, or refused with its problems.
    static func validate(_ document: JSONValue, engines: PipelineEngines, day: String) -> Result<Draft, Refused> {
        let documentText = JSONWriter.write(document)
        let inputDigest = Digests.sha256(documentText)
        let check = engine(engines, .validate) { engines.validator.check(document: document) }
        guard case .checked(let decoded, let problems) = check, let received = decoded,
              !problems.contains(where: { $0.severity == .error }) else {
            var problems: [ValidationProblem] = []
            if case .checked(_, let found) = check { problems = found }
            return .failure(Refused(evaluation: refusal(problems, inputDigest: inputDigest)))
        }
        var w = JSONTextWriter()
        w.string(inputDigest)
        let input = w.take()
        w.beginObject()
        w.key("valid"); w.bool(true)
        w.key("warnings")
        w.beginArray()
        for p in problems { p.writeJSON(into: &w) }
        w.endArray()
        w.endObject()
        let output = w.take()
        w.beginObject()
        w.key("schema"); w.string("order.schema.json")
        w.endObject()
        let decisions: [DecisionDraft] = [DecisionDraft(kind: "validation", lineNumber: nil, input: input, output: output, confidence: nil,
                                                        evidence: w.take())]
        return .success(Draft(documentText: documentText, inputDigest: inputDigest, problems: problems, order: received, day: day,
                              decisions: decisions))
    }

    /// What the classifier reads for an order line: its description, material and intended use.
    public static func classificationText(_ line: OrderLine) -> String {
        [line.description, line.material, line.intendedUse].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The calibrated confidence in the classifier's own reading at or above which it disputes a
    /// merchant's code that disagrees with it. Not 0.5: the merchant, who knows the goods, is usually
    /// right, and a disagreement is then usually the classifier's error. With the classifier right with
    /// probability c and the merchant with m, it is right in a disagreement c(1−m)/(1−cm) of the time,
    /// over a half only when c ≥ 1/(2−m): 0.91 for merchants right nine times in ten. On the fixture
    /// orders the ten disagreements were all the merchant's right code, four of them read at 0.556–0.805.
    public static let disputeConfidence = 0.9

    /// Whether a classifier that disagrees with the merchant's code disputes it (holds the line for
    /// a person): when its calibrated confidence in its own answer reaches `disputeConfidence`, or
    /// when the merchant's subheading lies outside its conformal prediction set (calibrated to hold
    /// the right code 90 % of the time, so a code outside it is seldom right). Not `review`: a
    /// disagreement always sets that, so it cannot tell a sure disagreement from an unsure one.
    public static func disputes(_ result: ClassificationResult, merchantCode: String) -> Bool {
        guard result.hs6 != nil else { return false }
        if result.confidence >= disputeConfidence { return true }
        return !result.predictionSet.isEmpty && !result.predictionSet.contains(subheading(merchantCode))
    }

    /// The HS-6 of a declared code written with or without dots (`3401.11` → `340111`).
    static func subheading(_ code: String) -> String { String(code.filter(\.isNumber).prefix(6)) }

    /// The order's note for a merchant's code kept against an unsure classifier. It says the code is
    /// among the likely ones only when there is a prediction set that holds it; a model without one
    /// (trained before the sets) is said to have none, not to count the code among them.
    public static func keptNote(lineNumber: Int, merchantCode: String, result: ClassificationResult) -> String {
        let hs6 = subheading(merchantCode)
        let why = result.predictionSet.isEmpty
            ? "has no set of likely codes to check \(hs6) against"
            : "counts \(hs6) among its likely codes"
        return "line \(lineNumber): merchant code \(merchantCode) kept; the classifier prefers \(result.hs6 ?? "none") but is unsure "
            + "(confidence \(PipelineText.decimal(result.confidence))) and \(why)"
    }

    /// The classifier's HS-6 when it disputes the merchant's code: its check disagrees and `disputes`
    /// holds; nil otherwise (no code declared, agreement, an unsure disagreement). The one rule the
    /// review queue (`merchant_code_disputed`) and the risk factor (`classification_mismatch`) read,
    /// so that a code kept as the merchant's is never a risk reason on the same line.
    public static func disputingCode(_ result: ClassificationResult, merchantCode: String?) -> String? {
        guard let merchantCode, result.merchantCheck?.status == .disagrees, disputes(result, merchantCode: merchantCode) else { return nil }
        return result.hs6
    }

    /// Classification: the merchant's code is kept when the classifier agrees (or finds it plausible),
    /// flagged when it disputes it; lines without a code take the classifier's.
    static func classify(_ d: inout Draft, engines: PipelineEngines) {
        let destination = d.order.shipment.destinationCountry.rawValue
        var w = JSONTextWriter(capacity: 4096)
        let requests = d.order.lines.enumerated().map { i, line in
            ClassificationRequest(id: line.lineID ?? String(i + 1), description: Self.classificationText(line), destination: destination,
                                  merchantCode: line.hsCode?.rawValue, date: d.day)
        }
        // The order's lines together: their sentence-encoder scans share passes over the example rows.
        let results = engine(engines, .classify) { engines.classifier.classify(requests, top: 5) }
        for (i, line) in d.order.lines.enumerated() {
            let number = i + 1
            let request = requests[i], result = results[i]
            let id = request.id ?? String(number), text = request.description
            let merchant = request.merchantCode
            var evaluation = LineEvaluation(
                lineNumber: number, lineID: id, description: line.description, merchantCode: merchant, code: nil, hs6: nil,
                nationalCode: nil, source: "classifier", confidence: result.confidence, classification: result, risk: nil)
            let value = line.lineValue.amount, currency = line.lineValue.currency.rawValue
            // Written once: the review item, the decision and the line's text all show it (or its
            // candidates and evidence); `null` when a score is not finite, as the encoder gives.
            let resultText: JSONFragment, candidatesText: JSONFragment, evidenceText: JSONFragment
            if result.hasFiniteNumbers {
                let (candidates, evidence) = result.writeJSON(into: &w)
                (resultText, candidatesText, evidenceText) = (w.fragment(from: 0), w.fragment(candidates), w.fragment(evidence))
            } else {
                w.null()
                resultText = w.fragment(from: 0)
                (candidatesText, evidenceText) = (resultText, resultText)
            }
            w.removeAll()
            if let merchant {
                evaluation.code = merchant
                evaluation.source = "merchant"
                evaluation.hs6 = merchant.count >= 6 ? String(merchant.prefix(6)) : nil
                evaluation.nationalCode = merchant.count > 6 ? merchant : nil
                switch result.merchantCheck?.status {
                case .agrees?, .plausible?:
                    break
                case .disagrees? where !Self.disputes(result, merchantCode: merchant):
                    // The merchant knows the goods; a reading the classifier is itself unsure of does not
                    // overrule them: kept, the disagreement recorded (the line's other checks still apply).
                    d.notes.append(Self.keptNote(lineNumber: number, merchantCode: merchant, result: result))
                case .disagrees?:
                    d.reviews.append(ReviewDraft(
                        reason: "merchant_code_disputed", lineNumber: number, subject: "line:\(number)",
                        // The check's message names both codes and the classifier's pick: said once, not after "merchant code X disputed: merchant code X".
                        detail: (result.merchantCheck?.message ?? "merchant code \(merchant) disputed; the classifier suggests \(result.hs6 ?? "none")")
                            + " (confidence \(PipelineText.decimal(result.confidence)))",
                        evidence: resultText.text, value: value, currency: currency))
                case .unknownNationalLine?:
                    // The HS-6 is right but the national digits are not in our copy of the tariff, which may be
                    // older than the merchant's; the gateway checks national lines itself. Recorded, not held.
                    d.notes.append("line \(number): \(result.merchantCheck?.message ?? "national line not in the loaded tariff")")
                case .invalid?:
                    d.reviews.append(ReviewDraft(
                        reason: "invalid_merchant_code", lineNumber: number, subject: "line:\(number)",
                        detail: "merchant code \(merchant): \(result.merchantCheck?.message ?? "not a valid code")",
                        evidence: resultText.text, value: value, currency: currency))
                case nil:
                    break
                }
            } else {
                evaluation.hs6 = result.hs6
                evaluation.nationalCode = result.nationalCode
                evaluation.code = result.nationalCode ?? result.hs6
                if let code = evaluation.code { d.order.lines[i].hsCode = HSCode(rawValue: code) }
                if result.review || result.hs6 == nil {
                    d.reviews.append(ReviewDraft(
                        reason: "low_confidence", lineNumber: number, subject: "line:\(number)",
                        detail: "classified as \(result.hs6 ?? "nothing") with confidence \(PipelineText.decimal(result.confidence))"
                            + (result.question.map { "; question: \($0)" } ?? ""),
                        evidence: resultText.text, value: value, currency: currency))
                }
            }
            w.beginObject()
            w.key("description"); w.string(text)
            w.key("destination"); w.string(destination)
            w.key("merchant_code", orNull: merchant)
            w.endObject()
            let input = w.take()
            w.beginObject()
            w.key("hs_code", orNull: evaluation.code)
            w.key("hs6", orNull: evaluation.hs6)
            w.key("national_code", orNull: evaluation.nationalCode)
            w.key("source"); w.string(evaluation.source)
            w.key("classifier_hs6", orNull: result.hs6)
            w.key("merchant_check", orNull: result.merchantCheck?.status.rawValue)
            w.key("review"); w.bool(d.reviews.contains { $0.lineNumber == number })
            w.endObject()
            let output = w.take()
            w.beginObject()
            w.key("candidates"); w.fragment(candidatesText)
            w.key("evidence"); w.fragment(evidenceText)
            w.key("question", orNull: result.question)
            w.endObject()
            d.decisions.append(DecisionDraft(kind: "classification", lineNumber: number, input: input, output: output,
                                             confidence: PipelineText.decimalValue(result.confidence), evidence: w.take()))
            evaluation.classificationText = resultText
            d.lines.append(evaluation)
        }
    }

    /// Screening of every party. Nil, or the refusal of an order the screener cannot take.
    static func screen(_ d: inout Draft, engines: PipelineEngines, now: Date, allowed: Set<String>) -> Evaluation? {
        let screening: ScreeningService.OrderReport
        let order = d.order
        do {
            screening = try engine(engines, .screen) { () throws(ScreeningInputError) -> ScreeningService.OrderReport in
                try engines.screening.screenOrder(order, at: now)
            }
        } catch {
            // A party the screener cannot take (an empty or over-long name) is an order it cannot clear.
            return refusal(d.problems + [ValidationProblem(path: JSONPath.parse(error.path), code: "unscreenable", message: error.message)],
                           inputDigest: d.inputDigest)
        }
        let listVersion = Dictionary(screening.listVersions.map { ($0.list, $0.version) }, uniquingKeysWith: { a, _ in a })
        // The report written once (member by member, as `JSONValueEncoder` would): the decisions'
        // evidence, the review items and the evaluation's text copy their parts from it. Only if the
        // whole cannot be written (a number not finite) are the parts encoded each on its own, as before.
        var w = JSONTextWriter(capacity: 4096)
        let parts = screening.writeJSON(into: &w)
        let screeningText = parts != nil ? w.fragment(from: 0) : nil
        let listsText = parts.map { w.fragment($0.lists) } ?? JSONFragment { $0.value(Evaluation.encoded(screening.listVersions)) }
        let partyTexts = parts.map { $0.parties.map { (w.fragment($0.party), w.fragment($0.matches), w.fragment($0.embargo)) } }
        w.removeAll()
        for (partyIndex, party) in screening.parties.enumerated() {
            let partyText = partyTexts.flatMap { partyIndex < $0.count ? $0[partyIndex] : nil }
            let role = party.role ?? "party"
            let hits = party.matches.filter { $0.decision != .clear }
            let released = party.decision != .clear && party.embargo.isEmpty && !hits.isEmpty && hits.allSatisfy {
                allowed.contains(allowanceKey(party: party.name, list: $0.list, entryID: $0.entryID, listVersion: listVersion[$0.list] ?? ""))
            }
            d.partyDecisions[role] = max(d.partyDecisions[role] ?? .clear, released ? .clear : party.decision)
            w.beginObject()
            w.key("role"); w.string(role)
            w.key("name"); w.string(party.name)
            w.endObject()
            let input = w.take()
            w.beginObject()
            w.key("decision"); w.string(party.decision.rawValue)
            w.key("score"); w.number(PipelineText.decimal(party.score))
            w.key("released_by_allow_list"); w.bool(released)
            w.endObject()
            let output = w.take()
            w.beginObject()
            w.key("matches")
            if let partyText { w.fragment(partyText.1) } else { w.value(Evaluation.encoded(party.matches)) }
            w.key("embargo")
            if let partyText { w.fragment(partyText.2) } else { w.value(Evaluation.encoded(party.embargo)) }
            w.key("lists"); w.fragment(listsText)
            w.endObject()
            d.decisions.append(DecisionDraft(kind: "screening", lineNumber: nil, input: input, output: output,
                                             confidence: PipelineText.decimalValue(party.score), evidence: w.take()))
            if released {
                d.notes.append("\(role) \(party.name): hits released before by a reviewer for these list versions (allow-list)")
            } else if party.decision != .clear {
                d.reviews.append(ReviewDraft(
                    reason: party.decision == .block ? "blocked" : "screening_hit", lineNumber: nil, subject: "party:\(role)",
                    detail: "\(role) \(party.name): \(party.decision.rawValue) at score \(PipelineText.decimal(party.score))"
                        + (party.matches.first.map { " against \($0.list) \($0.entryID) \($0.matchedName)" } ?? ""),
                    evidence: partyText?.0.text ?? JSONWriter.write(Evaluation.encoded(party)), value: nil))
            }
        }
        for finding in screening.route where !finding.subject.hasPrefix("line:") && finding.action != .clear {
            finding.writeJSON(into: &w)
            d.reviews.append(ReviewDraft(
                reason: finding.action == .block ? "blocked" : "risk", lineNumber: nil, subject: "order",
                detail: "rule \(finding.ruleID): \(finding.detail)", evidence: w.take(), value: nil))
        }
        d.screening = screening
        d.screeningText = screeningText
        return nil
    }

    /// Risk per line, with the screening and classifier signals.
    static func assessRisk(_ d: inout Draft, engines: PipelineEngines) {
        guard let screening = d.screening else { return }
        var disputedCodes: [String: HSCode] = [:]
        for l in d.lines { if let hs6 = Self.disputingCode(l.classification, merchantCode: l.merchantCode) { disputedCodes[l.lineID] = HSCode(rawValue: hs6) } }
        let signals = RiskSignals(
            partyDecisions: d.partyDecisions.mapValues(\.rawValue),
            ruleFindings: screening.route.map { RuleSignal(subject: $0.subject, action: $0.action.rawValue, ruleID: $0.ruleID) },
            disputedCodes: disputedCodes)
        let risk = engine(engines, .risk) { engines.risk.assess(d.order, signals: signals) }
        // Written once, as the screening report is: each line's risk is a part of it.
        var w = JSONTextWriter(capacity: 2048)
        let parts = risk.writeJSON(into: &w)
        let riskText = parts != nil ? w.fragment(from: 0) : nil
        let lineTexts = parts.map { $0.map { (line: w.fragment($0.line), reasons: w.fragment($0.reasons)) } }
        w.removeAll()
        for (riskIndex, lineRisk) in risk.lines.enumerated() {
            guard let index = d.lines.firstIndex(where: { $0.lineID == lineRisk.lineID }) else { continue }
            let lineText = lineTexts.flatMap { riskIndex < $0.count ? $0[riskIndex] : nil }
            d.lines[index].risk = lineRisk
            d.lines[index].riskText = lineText?.line
            w.beginObject()
            w.key("line_id"); w.string(lineRisk.lineID)
            w.endObject()
            let input = w.take()
            w.beginObject()
            w.key("score"); w.number(PipelineText.decimal(lineRisk.score))
            w.key("route"); w.string(lineRisk.route.rawValue)
            w.endObject()
            let output = w.take()
            if let lineText { w.fragment(lineText.reasons) } else { w.value(Evaluation.encoded(lineRisk.reasons)) }
            d.decisions.append(DecisionDraft(kind: "risk", lineNumber: d.lines[index].lineNumber, input: input, output: output, confidence: nil,
                                             evidence: w.take()))
            if lineRisk.route != .continue {
                let number = d.lines[index].lineNumber
                d.reviews.append(ReviewDraft(
                    reason: lineRisk.route == .block ? "blocked" : "risk", lineNumber: number, subject: "line:\(number)",
                    detail: lineRisk.reasons.map(\.detail).joined(separator: "; "),
                    evidence: lineText?.line.text ?? JSONWriter.write(Evaluation.encoded(lineRisk)),
                    value: d.order.lines[index].lineValue.amount))
            }
        }
        d.risk = risk
        d.riskText = riskText
    }

    /// Landed cost on the codes the order goes on with.
    static func quote(_ d: inout Draft, engines: PipelineEngines) {
        if let book = engines.tariff, let date = Day(d.day) {
            do {
                let order = d.order
                d.quote = try engine(engines, .quote) {
                    try QuoteEngine.quote(try QuoteRequest(order: order, date: date, channel: channel(order), sellerRegistrations: registrations(order)), book: book)
                }
            } catch {
                d.quoteError = "\(error)"
            }
        } else {
            d.quoteError = "no tariff packs loaded"
        }
        d.quoteText = d.quote.map(JSONFragment.init(quote:))
        var w = JSONTextWriter()
        w.string(d.inputDigest)
        let input = w.take()
        if let quoteText = d.quoteText {
            w.fragment(quoteText)
        } else {
            w.beginObject()
            w.key("error"); w.string(d.quoteError ?? "")
            w.endObject()
        }
        let output = w.take()
        w.beginObject()
        w.key("packs", strings: d.quote?.dataVersions ?? engines.versions.packs)
        w.endObject()
        d.decisions.append(DecisionDraft(kind: "landed_cost", lineNumber: nil, input: input, output: output, confidence: nil, evidence: w.take()))
    }

    /// Routing (which adapters, which lines may go on now), then the filings of those lines.
    static func routeAndRender(_ draft: consuming Draft, engines: PipelineEngines, now: Date, firstReference: Int?) -> Evaluation {
        var d = consume draft
        let order = d.order
        guard let risk = d.risk else { return refusal(d.problems, inputDigest: d.inputDigest) }
        var goodsValue = [Money(order.lines.reduce(Decimal(0)) { $0 + $1.lineValue.amount }, order.currency)]
        if let quote = d.quote, quote.currency != order.currency { goodsValue.append(Money(quote.goodsValue, quote.currency)) }
        let match = engines.routes.route(order, goodsValue: goodsValue)
        if let match { d.notes += match.skipped } else {
            d.reviews.append(ReviewDraft(reason: "no_route", lineNumber: nil, subject: "order",
                                         detail: "no route in \(engines.routes.version) takes \(order.shipment.destinationCountry.rawValue) by \(order.shipment.transportMode?.rawValue ?? "an unknown mode")",
                                         evidence: "null", value: nil))
        }
        let lines = d.lines
        let flaggedLines = Set(d.reviews.compactMap(\.lineNumber))
        let orderFlagged = d.reviews.contains { $0.lineNumber == nil }
        let partial = !orderFlagged && !flaggedLines.isEmpty && flaggedLines.count < lines.count
            && engines.risk.policy.partialReleaseDestinations.contains(order.shipment.destinationCountry)
        let filedLines: [Int] = orderFlagged ? [] : flaggedLines.isEmpty ? lines.map(\.lineNumber)
            : partial ? lines.map(\.lineNumber).filter { !flaggedLines.contains($0) } : []
        if partial { d.notes.append("the destination releases part of a declaration: clean lines \(filedLines.map(String.init).joined(separator: ", ")) are filed now") }

        // Filings for the lines that go on now.
        var filings: [PlannedFiling] = []
        var w = JSONTextWriter()
        if let match, !filedLines.isEmpty {
            var subset = order
            subset.lines = filedLines.map { order.lines[$0 - 1] }
            // Every adapter of the route maps the same order: encoded once, not once per filing
            // (member by member: `Order.jsonValue`, `JSONValueEncoder`'s tree without `Codable`).
            let encoded = engine(engines, .render) { subset.jsonValue }
            for (n, adapter) in match.rule.adapters.enumerated() {
                do {
                    let context = renderContext(adapter: adapter, catalog: engines.catalog, sequence: firstReference.map { $0 + n },
                                                order: subset, tariff: engines.tariff, day: Day(d.day))
                    let rendered = try engine(engines, .render) {
                        try engines.catalog.render(subset, encoded: encoded, adapter: adapter, now: now, context: context)
                    }
                    filings.append(PlannedFiling(adapter: adapter, lines: filedLines, rendered: rendered))
                    w.beginObject()
                    w.key("adapter"); w.string(adapter)
                    w.key("lines", numbers: filedLines)
                    w.endObject()
                    let input = w.take()
                    w.beginObject()
                    w.key("message_type"); w.string(rendered.messageType)
                    w.key("content_type"); w.string(rendered.contentType)
                    w.key("body_sha256"); w.string(Digests.sha256(rendered.body))
                    w.key("bytes"); w.number(rendered.body.utf8.count)
                    w.endObject()
                    let output = w.take()
                    w.beginObject()
                    w.key("notes"); rendered.notes.writeJSON(into: &w)
                    w.key("route"); w.string(match.rule.id)
                    w.endObject()
                    d.decisions.append(DecisionDraft(kind: "filing", lineNumber: nil, input: input, output: output, confidence: nil, evidence: w.take()))
                } catch {
                    d.reviews.append(ReviewDraft(reason: "filing_refused", lineNumber: nil, subject: "filing:\(adapter)",
                                                 detail: "\(adapter) refused to render: \(error)", evidence: JSONWriter.write(.string("\(error)")),
                                                 value: nil))
                }
            }
        }
        let refused = d.reviews.contains { $0.reason == "filing_refused" }
        if refused { filings.removeAll() }
        let held = d.reviews.isEmpty ? [] : lines.map(\.lineNumber).filter { refused || !filedLines.contains($0) }
        let routing = Routing(routeID: match?.rule.id, adapters: match?.rule.adapters ?? [], action: risk.action,
                              filedLines: refused ? [] : filedLines, heldLines: held, partialRelease: partial && !refused, reviews: d.reviews, notes: d.notes)
        routing.writeJSON(into: &w)
        let routingText = w.fragment(from: 0)
        let output = w.take()
        w.string(d.inputDigest)
        let input = w.take()
        w.beginObject()
        w.key("routes"); w.string(engines.routes.version)
        w.key("risk_action"); w.string(risk.action.rawValue)
        w.endObject()
        d.decisions.append(DecisionDraft(kind: "routing", lineNumber: nil, input: input, output: output, confidence: nil, evidence: w.take()))
        return Evaluation(
            problems: d.problems, order: order, lines: lines, screening: d.screening, risk: risk, quote: d.quote, quoteError: d.quoteError,
            routing: routing, filings: filings, decisions: d.decisions, state: d.reviews.isEmpty ? .filed : .heldForReview, inputDigest: d.inputDigest,
            documentText: d.documentText, screeningText: d.screeningText, riskText: d.riskText, quoteText: d.quoteText, routingText: routingText)
    }

    /// How a released screening hit is looked up: the party's name (letters and digits, lower-cased),
    /// the list, its entry and the list's version.
    public static func allowanceKey(party: String, list: String, entryID: String, listVersion: String) -> String {
        [party.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " "), list, entryID, listVersion].joined(separator: "\u{1F}")
    }

    /// Renders the filings for `lines` of an order a person has finished reviewing. The n-th adapter
    /// files with reference number `firstReference + n` (reserved by the caller, one per adapter):
    /// a filing released after review is a new declaration and never reuses a number.
    public static func file(_ order: Order, lines: [Int], adapters: [String], catalog: AdapterCatalog, tariff: TariffBook?, now: Date, firstReference: Int?) -> (filings: [PlannedFiling], errors: [String]) {
        var subset = order
        subset.lines = lines.compactMap { $0 >= 1 && $0 <= order.lines.count ? order.lines[$0 - 1] : nil }
        guard !subset.lines.isEmpty else { return ([], []) }
        var filings: [PlannedFiling] = []
        var errors: [String] = []
        let encoded = subset.jsonValue
        for (n, adapter) in adapters.enumerated() {
            do {
                let rendered = try catalog.render(subset, encoded: encoded, adapter: adapter, now: now, context: renderContext(adapter: adapter, catalog: catalog, sequence: firstReference.map { $0 + n },
                                                                                                                  order: subset, tariff: tariff, now: now))
                filings.append(PlannedFiling(adapter: adapter, lines: lines, rendered: rendered))
            } catch {
                errors.append("\(adapter): \(error)")
            }
        }
        return (filings, errors)
    }

    /// The per-filing inputs the pipeline supplies itself (see `RenderContext`): the reference
    /// number the store reserved (a gateway refuses a reused LRN or message id, so neither the
    /// order's own reference, which a resubmission repeats, nor a digest of it will do), and for each
    /// `fx_` input of the adapter's mapping the order currency's rate from the tariff packs, by the
    /// source the destination's quotes convert with (the ECB's daily reference rates), dated: a
    /// mapping converts its thresholds with it (EasyPost's USD 2,500 EEI line, CDS's GBP 135) and
    /// refuses only when the packs have no rate on or before `now`. Movement defaults come from the
    /// adapter's file (`default_NAME`), applied by the catalog.
    public static func renderContext(adapter: String, catalog: AdapterCatalog, sequence: Int?, order: Order, tariff: TariffBook?, now: Date) -> RenderContext {
        renderContext(adapter: adapter, catalog: catalog, sequence: sequence, order: order, tariff: tariff, day: Day(String(Timestamp.format(now).prefix(10))))
    }

    /// The same, for `day`, the date of `now` that `evaluate` already wrote (Foundation's ISO 8601
    /// format style costs microseconds a call, and a route files through several adapters).
    static func renderContext(adapter: String, catalog: AdapterCatalog, sequence: Int?, order: Order, tariff: TariffBook?, day: Day?) -> RenderContext {
        var context = RenderContext(sequence: sequence)
        guard let tariff, let day,
              let mapping = catalog.adapters[adapter]?.outbound?.mapping, let inputs = catalog.mappings[mapping]?.inputs
        else { return context }
        for name in inputs where name.hasPrefix("fx_") && name.count == 6 {
            let target = CurrencyCode(name.dropFirst(3).uppercased())
            let found = tariff.exchangeRate(from: order.currency, to: target, country: order.shipment.destinationCountry, on: day)
                ?? tariff.exchangeRate(from: order.currency, to: target, country: order.shipment.shipFromCountry, on: day)
            if let found {
                // A cross through the euro comes out with 38 digits, more than a mapping reads as a number.
                context.rates.append(ExchangeRate(from: order.currency, to: target, rate: found.rate.rounded(scale: 10), date: found.published.description))
            }
        }
        return context
    }

    /// The quote's channel from the order's transport mode.
    public static func channel(_ order: Order) -> String {
        switch order.shipment.transportMode {
        case .postal?: "postal"
        case .air?: "air_cargo"
        case .sea?: "ocean_formal"
        default: "courier"
        }
    }

    /// Registrations the seller holds, from its tax identifiers (IOSS, UK VAT).
    public static func registrations(_ order: Order) -> Set<String> {
        var out = Set<String>()
        for party in order.parties where party.role == .seller {
            for id in party.taxIDs {
                switch id.kind {
                case .ioss: out.insert("IOSS")
                case .gbVAT: out.insert("GB_VAT")
                default: break
                }
            }
        }
        return out
    }
}
