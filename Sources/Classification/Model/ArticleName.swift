/// Where a long description names its article: the text up to its first clause boundary or " with "
/// ("An oil seal with …", "Cornichons, prepared or preserved …", "Rapeseed oil with low erucic acid …").
/// Ruling prose goes on about materials, ingredients, host articles and uses, and a word-matching
/// ranker weighs those as much as the name, so a walnut console table reads as walnuts and an oil
/// seal for a motor vehicle as a vehicle part. The tariff classifies an article by what it is
/// (GRI 1), so a long text's query gives its name's words more weight (`Classifier.articleNameShare`).
enum ArticleName {
    /// The text before its first `;`, `,`, `.` (not a decimal mark), `:`, bracket, line break, dash
    /// between spaces or " with " (any case); nil when that is empty or the whole text.
    static func firstClause(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var i = 0
            while i < bytes.count && !isBoundary(bytes, i) && !isWith(bytes, i) { i += 1 }
            guard i < bytes.count else { return nil }
            // The space before a spaced dash is no part of the name.
            var end = i
            while end > 0 && bytes[end - 1] == 32 { end -= 1 }
            return end > 0 ? String(decoding: bytes[0..<end], as: UTF8.self) : nil
        }
    }

    static func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        switch bytes[i] {
        case UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\n"): return true
        case UInt8(ascii: "."): return !(i > 0 && i + 1 < bytes.count && isDigit(bytes[i - 1]) && isDigit(bytes[i + 1]))
        case UInt8(ascii: "-"): return i > 0 && i + 1 < bytes.count && bytes[i - 1] == 32 && bytes[i + 1] == 32
        default: return false
        }
    }

    /// " with " starts at `i`.
    static func isWith(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 6 <= bytes.count, bytes[i] == 32, bytes[i + 5] == 32 else { return false }
        let word: [UInt8] = [119, 105, 116, 104]   // "with"
        for k in 0..<4 where bytes[i + 1 + k] | 0x20 != word[k] { return false }
        return true
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}

extension SparseVector {
    /// `(1 - share) * self + share * other`, merged on their sorted buckets.
    func mixed(with other: SparseVector, share: Float) -> SparseVector {
        var idx: [UInt32] = [], val: [Float] = []
        idx.reserveCapacity(count + other.count)
        val.reserveCapacity(count + other.count)
        let keep = 1 - share
        var i = 0, j = 0
        while i < count || j < other.count {
            if j == other.count || (i < count && indices[i] < other.indices[j]) {
                idx.append(indices[i]); val.append(values[i] * keep); i += 1
            } else if i == count || other.indices[j] < indices[i] {
                idx.append(other.indices[j]); val.append(other.values[j] * share); j += 1
            } else {
                idx.append(indices[i]); val.append(values[i] * keep + other.values[j] * share); i += 1; j += 1
            }
        }
        return SparseVector(indices: idx, values: val)
    }
}

extension Classifier {
    /// The share of a long text's query given to its article's name, chosen on the dev splits
    /// among 0.1, 0.15, 0.22, 0.3 and 0.6 (0.3 and more cost rulings HS-2; issue #19, session 29).
    static let articleNameShare: Float = 0.1
    /// A first clause longer than this (in tokens) is a sentence, not a name.
    static let articleNameLimit = 12

    /// A text's query before pruning: its vector, mixed for a long text with its article name's.
    func unprunedQuery(focused: String, tokens: [String]) -> SparseVector {
        let whole = model.vectorize(tokens)
        guard let nameTokens = articleNameTokens(focused: focused, tokens: tokens) else { return whole }
        return whole.mixed(with: model.vectorize(nameTokens), share: Self.articleNameShare)
    }

    /// The tokens of a long text's article name (its first clause, 1–12 tokens); nil for a short
    /// text or one whose first clause is no name.
    func articleNameTokens(focused: String, tokens: [String]) -> [String]? {
        guard TextKind.of(tokenCount: tokens.count) == .long, let name = ArticleName.firstClause(focused) else { return nil }
        let nameTokens = normalizer.tokens(name)
        guard !nameTokens.isEmpty, nameTokens.count <= Self.articleNameLimit, nameTokens.count < tokens.count else { return nil }
        return nameTokens
    }
}
