import Foundation

/// Chooses the national tariff line (US HTS 10, EU CN/TARIC, GB commodity code) among the children
/// of the HS-6. When the children differ on something the text does not say (material, gender,
/// knitted or woven), it returns no line and the question to ask: a well-formed wrong code is
/// worse than a short one, and a code is never padded with zeros.
struct NationalLineChooser {
    let model: ClassifierModel
    /// `Classifier.lineTokens`: the declarable lines' tokens by tariff and line position.
    let tokenTable: [[LineTokens?]]

    struct Choice {
        var code: String?
        var tariff: String?
        var question: String?
        var evidence: [Evidence]
    }

    /// Attributes on which sibling tariff lines typically split, with the words that state them.
    static let attributes: [(name: String, values: Set<String>)] = [
        ("gender", ["men", "boy", "women", "girl", "infant"]),
        ("knitted or woven", ["knitted", "crocheted", "woven"]),
        ("material", ["cotton", "wool", "silk", "flax", "synthetic", "artificial", "leather", "plastic", "rubber",
                      "steel", "iron", "aluminum", "copper", "wood", "glass", "paper", "porcelain", "ceramic", "gold",
                      "silver", "platinum", "textile", "fiber", "fur", "bamboo"]),
    ]

    /// Words a merchant uses for a value the tariff states in its own words.
    static let synonyms: [String: [String]] = [
        "polyester": ["synthetic"], "nylon": ["synthetic"], "polyamide": ["synthetic"], "acrylic": ["synthetic"],
        "elastane": ["synthetic"], "spandex": ["synthetic"], "viscose": ["artificial"], "rayon": ["artificial"],
        "lyocell": ["artificial"], "modal": ["artificial"], "knit": ["knitted"], "jersey": ["knitted"],
        "stainless": ["steel"], "plastics": ["plastic"], "wooden": ["wood"], "cashmere": ["wool"], "merino": ["wool"],
        "linen": ["flax"], "man": ["synthetic", "artificial"], "leatherette": ["plastic"], "child": ["boy", "girl"],
        "children": ["boy", "girl"], "unisex": ["men", "women"], "kid": ["boy", "girl"],
    ]

    /// `words`: `Set(tokens)`, when the caller has it already (a ruling has hundreds of tokens).
    func choose(hs6: String, destination: String, tokens: [String], words: Set<String>? = nil) -> Choice {
        guard let jurisdiction = TariffJurisdiction.forDestination(destination) else {
            return Choice(evidence: [Evidence(kind: .rule, text: "no national tariff for destination '\(destination)'; the HS-6 is the answer")])
        }
        guard let tariffIndex = model.tariffs.firstIndex(where: { $0.jurisdiction == jurisdiction }) else {
            return Choice(evidence: [Evidence(kind: .rule, text: "this model has no \(jurisdiction.rawValue) tariff; the HS-6 is the answer")])
        }
        let tariff = model.tariffs[tariffIndex]
        let positions = tariff.declarableIndices(under: hs6)
        let lines = positions.map { tariff.lines[$0] }
        if lines.isEmpty {
            return Choice(tariff: tariff.edition, evidence: [Evidence(kind: .rule, source: tariff.edition, text: "\(tariff.edition) has no line under \(hs6); the HS-6 is the answer")])
        }
        if lines.count == 1 {
            return Choice(code: lines[0].code, tariff: tariff.edition,
                          evidence: [Evidence(kind: .rule, code: lines[0].code, source: tariff.edition, text: "only line under \(hs6): \(lines[0].text)")])
        }
        // Each distinct word's synonyms: the same set as going through every token.
        let stated = words ?? Set(tokens)
        var query = stated
        for t in stated { for s in Self.synonyms[t] ?? [] { query.insert(s) } }
        let normalizer = model.normalizer
        let split: [(all: [String], own: [String])] = positions.map { (p: Int) -> (all: [String], own: [String]) in
            if let cached = tokenTable[tariffIndex][p] { return (cached.all, cached.own) }
            return tariff.lines[p].tokens(normalizer)
        }
        let lineTokens: [Set<String>] = split.map { tokens in
            var set = Set(tokens.all)
            if set.contains("man") && set.contains("made") { set.formUnion(["synthetic", "artificial"]) }
            return set
        }
        let common = lineTokens.dropFirst().reduce(lineTokens[0]) { $0.intersection($1) }
        let distinct = lineTokens.map { $0.subtracting(common).subtracting(["other", "#n", "%", "of", "for", "with", "than", "not", "excluding", "excl", "in"]) }
        var unresolved: [(String, [String])] = []
        var compatible = [Bool](repeating: true, count: lines.count)
        for (name, values) in Self.attributes {
            let stated = query.intersection(values)
            let offered = distinct.map { $0.intersection(values) }
            let union = offered.reduce(Set<String>()) { $0.union($1) }
            guard !union.isEmpty else { continue }
            if stated.isEmpty {
                unresolved.append((name, union.sorted()))
            } else {
                for i in lines.indices where !offered[i].isEmpty && offered[i].isDisjoint(with: stated) { compatible[i] = false }
            }
        }
        // Share of a line's distinguishing words the text states, plus a bonus when the line's own
        // last qualifier is stated: a line with many unstated conditions ("all white, without
        // pockets") must not win on one shared word.
        let scores: [Double] = lines.indices.map { i in
            let matched = distinct[i].intersection(query).count
            guard matched > 0 else { return 0 }
            let own = Set(split[i].own).intersection(distinct[i])
            let ownMatched = own.isEmpty ? 0 : Double(own.intersection(query).count) / Double(own.count)
            return Double(matched) / Double(distinct[i].count) + 0.5 * ownMatched
        }
        let best = lines.indices.filter { compatible[$0] }.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }
        if let b = best, scores[b] > 0, unresolved.isEmpty,
           lines.indices.filter({ compatible[$0] && scores[$0] == scores[b] }).count == 1 {
            let matched = distinct[b].intersection(query).sorted().joined(separator: ", ")
            return Choice(code: lines[b].code, tariff: tariff.edition,
                          evidence: [Evidence(kind: .rule, code: lines[b].code, source: tariff.edition, text: "chosen among \(lines.count) lines under \(hs6) by: \(matched) — \(lines[b].text)")])
        }
        let remaining = lines.indices.filter { compatible[$0] }
        let question: String
        if !unresolved.isEmpty {
            let parts = unresolved.map { "\($0.0) (\($0.1.joined(separator: ", ")))" }.joined(separator: "; ")
            question = "The \(tariff.edition) lines under \(hs6) differ by \(parts), which the description does not state. Which applies?"
        } else {
            let options = remaining.prefix(6).map { "\(lines[$0].code): \(lines[$0].text)" }.joined(separator: " | ")
            question = "Which \(tariff.edition) line under \(hs6) describes the item? \(options)"
        }
        return Choice(tariff: tariff.edition, question: question,
                      evidence: [Evidence(kind: .rule, source: tariff.edition, text: "\(remaining.count) of \(lines.count) lines under \(hs6) remain possible; national code left open")])
    }
}

/// Checks a merchant-supplied code: is it a code at all, does it exist (for the date and the
/// destination tariff), and does it agree with what the description says.
struct MerchantCodeChecker {
    let model: ClassifierModel

    func check(code raw: String, date: String?, destination: String?, scored s: Classifier.Scored, topHS6: String?) -> MerchantCodeCheck {
        let digits = String(raw.filter { $0 != "." && $0 != " " && $0 != "-" })
        func result(_ status: MerchantCodeCheck.Status, _ message: String, _ desc: String? = nil, _ score: Double? = nil) -> MerchantCodeCheck {
            MerchantCodeCheck(code: raw, status: status, message: message, merchantHS6Description: desc, merchantScore: score)
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), (6...10).contains(digits.count), digits.count % 2 == 0 else {
            return result(.invalid, "'\(raw)' is not an HS code of 6, 8 or 10 digits")
        }
        let hs6 = String(digits.prefix(6))
        guard model.nomenclature.contains(hs6) else {
            return result(.invalid, "\(hs6) is not a subheading of \(Nomenclature.edition)")
        }
        let desc = model.nomenclature.fullText(hs6)
        if let date, !date.isEmpty {
            let day = String(date.prefix(10))
            let shape = day.count == 10 && day.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isNumber }
            guard shape else { return result(.invalid, "date '\(date)' is not an RFC 3339 date", desc) }
            if day < Nomenclature.inForce.from || day >= Nomenclature.inForce.until {
                return result(.invalid, "\(Nomenclature.edition) is in force from \(Nomenclature.inForce.from) until \(Nomenclature.inForce.until); \(hs6) cannot be checked for \(day)", desc)
            }
        }
        var unknownLine: String? = nil
        if digits.count > 6, let dest = destination, let j = TariffJurisdiction.forDestination(dest), let tariff = model.tariff(j) {
            // EU goods codes are published with 10 digits; an 8-digit CN code is its first 8.
            let known = tariff.line(code: digits) != nil || (j == .eu && digits.count == 8 && tariff.line(code: digits + "00") != nil)
            if !known { unknownLine = "\(digits) is not a line of \(tariff.edition)" }
        }
        let agreement = agreementCheck(hs6: hs6, desc: desc, scored: s, topHS6: topHS6, result: result)
        if let unknownLine, agreement.status != .disagrees {
            return result(.unknownNationalLine, unknownLine + "; " + agreement.message, desc, agreement.merchantScore)
        }
        if let unknownLine { return result(.disagrees, agreement.message + "; also " + unknownLine, desc, agreement.merchantScore) }
        return agreement
    }

    func agreementCheck(hs6: String, desc: String, scored s: Classifier.Scored, topHS6: String?,
                        result: (MerchantCodeCheck.Status, String, String?, Double?) -> MerchantCodeCheck) -> MerchantCodeCheck {
        let position = s.candidates.firstIndex { model.subheadingCodes[Int($0.hs6)] == hs6 }
        let score = position.map { s.probabilities[$0] } ?? 0
        let rounded = (score * 1000).rounded() / 1000
        guard let top = topHS6 else { return result(.plausible, "the description is too vague to check \(hs6) against", desc, rounded) }
        if top == hs6 { return result(.agrees, "\(hs6) agrees with the description", desc, rounded) }
        let topScore = s.probabilities.first ?? 0
        if let p = position, p < 5, score >= 0.1 * topScore {
            return result(.plausible, "\(hs6) is a plausible reading of the description (rank \(p + 1)); the classifier prefers \(top)", desc, rounded)
        }
        return result(.disagrees, "merchant code \(hs6) (\(desc)) disagrees with the description; the classifier suggests \(top) (\(model.nomenclature.fullText(top)))", desc, rounded)
    }
}
