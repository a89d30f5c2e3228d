import JSONCore

extension ClassificationResult {
    /// The result as `JSONValueEncoder()` encodes it (members in key order, an absent optional
    /// left out, a `Double` in its shortest form), built member by member instead of through
    /// `Codable`: the pipeline encodes one per order line. `nil` when a score is not a finite
    /// number, which the encoder refuses too. `ClassificationJSONTests` holds the two equal.
    public var jsonValue: JSONValue? {
        guard let confidence = Self.number(confidence) else { return nil }
        var candidates: [JSONValue] = []
        candidates.reserveCapacity(self.candidates.count)
        for c in self.candidates {
            guard let score = Self.number(c.score) else { return nil }
            candidates.append(Self.object([("hs6", .string(c.hs6)), ("score", score), ("description", .string(c.description))]))
        }
        var evidence: [JSONValue] = []
        evidence.reserveCapacity(self.evidence.count)
        for e in self.evidence {
            var m: [(String, JSONValue)] = [("kind", .string(e.kind.rawValue)), ("text", .string(e.text))]
            if let code = e.code { m.append(("code", .string(code))) }
            if let source = e.source { m.append(("source", .string(source))) }
            if let score = e.score {
                guard let n = Self.number(score) else { return nil }
                m.append(("score", n))
            }
            if let by = e.confirmedBy { m.append(("confirmed_by", .string(by))) }
            if let at = e.confirmedAt { m.append(("confirmed_at", .string(at))) }
            evidence.append(Self.object(m))
        }
        var m: [(String, JSONValue)] = [
            ("confidence", confidence), ("review", .bool(review)), ("candidates", .array(candidates)), ("evidence", .array(evidence)),
            ("model_version", .string(modelVersion)), ("prediction_set", .array(predictionSet.map(JSONValue.string))),
        ]
        if let id { m.append(("id", .string(id))) }
        if let hs6 { m.append(("hs6", .string(hs6))) }
        if let tariff { m.append(("tariff", .string(tariff))) }
        if let question { m.append(("question", .string(question))) }
        if let clarification {
            m.append(("clarification", Self.object([("attribute", .string(clarification.attribute)), ("question", .string(clarification.question)),
                                                     ("options", .array(clarification.options.map(JSONValue.string)))])))
        }
        if let nationalCode { m.append(("national_code", .string(nationalCode))) }
        if let check = merchantCheck {
            var c: [(String, JSONValue)] = [("code", .string(check.code)), ("status", .string(check.status.rawValue)), ("message", .string(check.message))]
            if let text = check.merchantHS6Description { c.append(("merchant_hs6_description", .string(text))) }
            if let score = check.merchantScore {
                guard let n = Self.number(score) else { return nil }
                c.append(("merchant_score", n))
            }
            m.append(("merchant_check", Self.object(c)))
        }
        if let textKind { m.append(("text_kind", .string(textKind.rawValue))) }
        if let heading { m.append(("heading", .string(heading))) }
        if let headingConfidence {
            guard let n = Self.number(headingConfidence) else { return nil }
            m.append(("heading_confidence", n))
        }
        if let level { m.append(("level", .string(level.rawValue))) }
        m.append(("heading_set", .array(headingSet.map(JSONValue.string))))
        return Self.object(m)
    }

    /// Members in the encoder's key order (by UTF-8 bytes).
    private static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }))
    }

    private static func number(_ value: Double) -> JSONValue? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}
