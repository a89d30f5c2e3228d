import JSONCore

extension ClassificationResult {
    /// The result as `JSONValueEncoder()` encodes it (members in key order, an absent optional
    /// left out, a `Double` in its shortest form), built member by member instead of through
    /// `Codable`: the pipeline encodes one per order line. `nil` when a score is not a finite
    /// number, which the encoder refuses too. `ClassificationJSONTests` holds the two equal.
    public var jsonValue: JSONValue? {
        // Members are listed in the encoder's key order (by UTF-8 bytes), so no object is sorted.
        guard let confidence = Self.number(confidence) else { return nil }
        var candidates: [JSONValue] = []
        candidates.reserveCapacity(self.candidates.count)
        for c in self.candidates {
            guard let score = Self.number(c.score) else { return nil }
            candidates.append(Self.object([("description", .string(c.description)), ("hs6", .string(c.hs6)), ("score", score)]))
        }
        var evidence: [JSONValue] = []
        evidence.reserveCapacity(self.evidence.count)
        for e in self.evidence {
            var m: [(key: String, value: JSONValue)] = []
            m.reserveCapacity(7)
            if let code = e.code { m.append(("code", .string(code))) }
            if let at = e.confirmedAt { m.append(("confirmed_at", .string(at))) }
            if let by = e.confirmedBy { m.append(("confirmed_by", .string(by))) }
            m.append(("kind", .string(e.kind.rawValue)))
            if let score = e.score {
                guard let n = Self.number(score) else { return nil }
                m.append(("score", n))
            }
            if let source = e.source { m.append(("source", .string(source))) }
            m.append(("text", .string(e.text)))
            evidence.append(Self.object(m))
        }
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(18)
        m.append(("candidates", .array(candidates)))
        if let clarification {
            m.append(("clarification", Self.object([("attribute", .string(clarification.attribute)),
                                                     ("options", .array(clarification.options.map(JSONValue.string))),
                                                     ("question", .string(clarification.question))])))
        }
        m.append(("confidence", confidence))
        m.append(("evidence", .array(evidence)))
        if let heading { m.append(("heading", .string(heading))) }
        if let headingConfidence {
            guard let n = Self.number(headingConfidence) else { return nil }
            m.append(("heading_confidence", n))
        }
        m.append(("heading_set", .array(headingSet.map(JSONValue.string))))
        if let hs6 { m.append(("hs6", .string(hs6))) }
        if let id { m.append(("id", .string(id))) }
        if let level { m.append(("level", .string(level.rawValue))) }
        if let check = merchantCheck {
            var c: [(key: String, value: JSONValue)] = []
            c.reserveCapacity(5)
            c.append(("code", .string(check.code)))
            if let text = check.merchantHS6Description { c.append(("merchant_hs6_description", .string(text))) }
            if let score = check.merchantScore {
                guard let n = Self.number(score) else { return nil }
                c.append(("merchant_score", n))
            }
            c.append(("message", .string(check.message)))
            c.append(("status", .string(check.status.rawValue)))
            m.append(("merchant_check", Self.object(c)))
        }
        m.append(("model_version", .string(modelVersion)))
        if let nationalCode { m.append(("national_code", .string(nationalCode))) }
        m.append(("prediction_set", .array(predictionSet.map(JSONValue.string))))
        if let question { m.append(("question", .string(question))) }
        m.append(("review", .bool(review)))
        if let slowPath { m.append(("slow_path", .bool(slowPath))) }
        if let tariff { m.append(("tariff", .string(tariff))) }
        if let textKind { m.append(("text_kind", .string(textKind.rawValue))) }
        return Self.object(m)
    }

    /// An object of members already in the encoder's key order (by UTF-8 bytes), each key once.
    private static func object(_ members: [(key: String, value: JSONValue)]) -> JSONValue {
        assert(zip(members, members.dropFirst()).allSatisfy { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }, "members out of key order")
        return .object(JSONObject(distinct: members))
    }

    private static func number(_ value: Double) -> JSONValue? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}
