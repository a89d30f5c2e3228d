import JSONCore

extension ClassificationResult {
    /// Whether every score is a finite number: the encoder refuses any other, and so does
    /// `writeJSON(into:)`.
    public var hasFiniteNumbers: Bool {
        confidence.isFinite && (headingConfidence?.isFinite ?? true) && candidates.allSatisfy(\.score.isFinite)
            && evidence.allSatisfy { $0.score?.isFinite ?? true } && (merchantCheck?.merchantScore?.isFinite ?? true)
    }

    /// Writes the result as `JSONValueEncoder()` encodes it (members in key order by UTF-8 bytes, an
    /// absent optional left out, a `Double` in its shortest form), member by member: the pipeline
    /// writes one per order line, and a tree of it cost about 24,000 instructions to build, write and
    /// free. Only for a result with `hasFiniteNumbers`. Answers where its candidates and its evidence
    /// were written, which the pipeline's classification decision shows again.
    /// `ClassificationJSONTests` holds the text equal to the encoder's.
    @discardableResult
    public func writeJSON(into w: inout JSONTextWriter) -> (candidates: Range<Int>, evidence: Range<Int>) {
        // Members in the encoder's key order (by UTF-8 bytes).
        w.beginObject()
        w.key("candidates")
        let candidatesStart = w.position
        w.beginArray()
        for c in candidates {
            w.beginObject()
            w.key("description"); w.string(c.description)
            w.key("hs6"); w.string(c.hs6)
            w.key("score"); w.number(c.score)
            w.endObject()
        }
        w.endArray()
        let candidatesRange = candidatesStart..<w.position
        if let clarification {
            w.key("clarification")
            w.beginObject()
            w.key("attribute"); w.string(clarification.attribute)
            w.key("options", strings: clarification.options)
            w.key("question"); w.string(clarification.question)
            w.endObject()
        }
        w.key("confidence"); w.number(confidence)
        w.key("evidence")
        let evidenceStart = w.position
        w.beginArray()
        for e in evidence {
            w.beginObject()
            if let code = e.code { w.key("code"); w.string(code) }
            if let at = e.confirmedAt { w.key("confirmed_at"); w.string(at) }
            if let by = e.confirmedBy { w.key("confirmed_by"); w.string(by) }
            w.key("kind"); w.string(e.kind.rawValue)
            if let score = e.score { w.key("score"); w.number(score) }
            if let source = e.source { w.key("source"); w.string(source) }
            w.key("text"); w.string(e.text)
            w.endObject()
        }
        w.endArray()
        let evidenceRange = evidenceStart..<w.position
        if let heading { w.key("heading"); w.string(heading) }
        if let headingConfidence { w.key("heading_confidence"); w.number(headingConfidence) }
        w.key("heading_set", strings: headingSet)
        if let hs6 { w.key("hs6"); w.string(hs6) }
        if let id { w.key("id"); w.string(id) }
        if let level { w.key("level"); w.string(level.rawValue) }
        if let check = merchantCheck {
            w.key("merchant_check")
            w.beginObject()
            w.key("code"); w.string(check.code)
            if let text = check.merchantHS6Description { w.key("merchant_hs6_description"); w.string(text) }
            if let score = check.merchantScore { w.key("merchant_score"); w.number(score) }
            w.key("message"); w.string(check.message)
            w.key("status"); w.string(check.status.rawValue)
            w.endObject()
        }
        w.key("model_version"); w.string(modelVersion)
        if let nationalCode { w.key("national_code"); w.string(nationalCode) }
        w.key("prediction_set", strings: predictionSet)
        if let question { w.key("question"); w.string(question) }
        w.key("review"); w.bool(review)
        if let slowPath { w.key("slow_path"); w.bool(slowPath) }
        if let tariff { w.key("tariff"); w.string(tariff) }
        if let textKind { w.key("text_kind"); w.string(textKind.rawValue) }
        w.endObject()
        return (candidatesRange, evidenceRange)
    }
}
