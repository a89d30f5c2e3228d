import CustomsModel

/// Reads a preference claim the way a broker does. Invoices carry claims as free text ("TCA –
/// origin statement on the invoice", "USMCA certification of origin", "EU-UK Trade and
/// Cooperation Agreement"); the claim names a programme by its code, its name or an alias, in any
/// case and punctuation.
enum ClaimText {
    /// Lower-case runs of letters and digits: "EU-UK TCA" → ["eu", "uk", "tca"].
    static func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in s.lowercased() {
            if ch.isLetter || ch.isNumber {
                cur.append(ch)
            } else if !cur.isEmpty {
                out.append(cur)
                cur = ""
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return canonical(out.filter { !stopWords.contains($0) })
    }

    /// Spellings a broker reads as one: "United States" and "US", "Free Trade Agreement" and "FTA".
    /// Longest phrases first, so "Comprehensive Economic Partnership Agreement" is "cepa", not "epa".
    static let phrases: [([String], String)] = [
        (["comprehensive", "economic", "partnership", "agreement"], "cepa"),
        (["economic", "partnership", "agreement"], "epa"),
        (["free", "trade", "agreement"], "fta"),
        (["free", "trade", "area"], "fta"),
        (["trade", "promotion", "agreement"], "tpa"),
        (["united", "states", "america"], "us"),
        (["united", "states"], "us"),
        (["united", "kingdom"], "uk"),
        (["european", "union"], "eu"),
        (["usa"], "us"),
    ]

    static func canonical(_ words: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        next: while i < words.count {
            for (phrase, short) in phrases where i + phrase.count <= words.count && Array(words[i..<(i + phrase.count)]) == phrase {
                out.append(short)
                i += phrase.count
                continue next
            }
            out.append(words[i])
            i += 1
        }
        return out
    }

    /// Words that vary between writings of one name ("Trade & Cooperation" / "Trade and Cooperation").
    static let stopWords: Set<String> = ["and", "of", "the", "on", "for", "a", "an"]

    static func contains(_ hay: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, needle.count <= hay.count else { return false }
        for start in 0...(hay.count - needle.count) where Array(hay[start..<(start + needle.count)]) == needle { return true }
        return false
    }

    /// Whether `claim` names a programme known as `name` (both as `tokens`). Whole-claim equality for any name; the
    /// name inside a longer claim only when it is distinctive (three letters or more, or several
    /// words), so a one-letter HTS symbol ("S", "E") never matches a word of a sentence; and the
    /// claim inside a longer name when the claim has three words or more ("Trade and Cooperation
    /// Agreement").
    static func names(_ claim: [String], _ name: [String]) -> Bool {
        if claim == name { return true }
        if (name.count >= 2 || (name.first?.count ?? 0) >= 3) && contains(claim, name) { return true }
        if claim.count >= 3 && contains(name, claim) { return true }
        // Word order varies between writings of one agreement ("US-Australia FTA", "Australia-United
        // States Free Trade Agreement"): a name of several words is named when all its words are in
        // the claim, and a claim of three words or more when all of them are in the name.
        let c = Set(claim)
        let n = Set(name)
        if n.count >= 2 && n.isSubset(of: c) { return true }
        return c.count >= 3 && c.isSubset(of: n)
    }
}

extension TariffBook {
    /// The programmes of `jurisdiction` valid on `day`, ordered by symbol.
    public func programList(jurisdiction: String, on day: Day) -> [PreferenceProgram] {
        (programs[jurisdiction] ?? [:]).keys.sorted().compactMap { program(jurisdiction: jurisdiction, symbol: $0, on: day) }
    }

    /// The programmes a free-text claim names (empty when it names none).
    public func resolveClaim(_ claim: String, jurisdiction: String, on day: Day) -> [PreferenceProgram] {
        let t = ClaimText.tokens(claim)
        guard !t.isEmpty else { return [] }
        return programList(jurisdiction: jurisdiction, on: day).filter { p in
            ([p.symbol, p.id, p.name] + p.claims.sorted()).contains { ClaimText.names(t, ClaimText.tokens($0)) }
        }
    }
}
