import Foundation

/// String similarity on ASCII bytes. After normalisation every token is lower-case ASCII, so the hot
/// loop never touches `String`/`Character` (grapheme breaking is what makes naive Swift slow here).
public enum StringMetrics {
    /// Jaro-Winkler: Winkler's prefix boost (up to 4 characters, 0.1 each) applies above a Jaro of 0.7.
    public static func jaroWinkler(_ a: String, _ b: String) -> Double {
        jaroWinkler(Array(a.utf8), Array(b.utf8))
    }

    public static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in jaroWinkler(a, b) } }
    }

    static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let j = jaro(a, b)
        guard j > 0.7 else { return j }
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return j + Double(prefix) * 0.1 * (1 - j)
    }

    static func jaro(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        if same(a, b) { return 1 }
        // Keep `s` the shorter one so its match flags fit in one word for all real name tokens.
        let (s, l) = a.count <= b.count ? (a, b) : (b, a)
        guard l.count <= 64 else { return jaroLong(s, l) }
        let window = max(0, l.count / 2 - 1)
        var sFlags: UInt64 = 0
        var lFlags: UInt64 = 0
        var matches = 0
        for i in 0..<s.count {
            let lo = max(0, i - window)
            let hi = min(l.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where lFlags & (1 << UInt64(j)) == 0 && s[i] == l[j] {
                sFlags |= 1 << UInt64(i)
                lFlags |= 1 << UInt64(j)
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<s.count where sFlags & (1 << UInt64(i)) != 0 {
            while lFlags & (1 << UInt64(j)) == 0 { j += 1 }
            if s[i] != l[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(s.count) + m / Double(l.count) + (m - Double(transpositions / 2)) / m) / 3
    }

    private static func jaroLong(_ s: UnsafeBufferPointer<UInt8>, _ l: UnsafeBufferPointer<UInt8>) -> Double {
        let window = max(0, l.count / 2 - 1)
        var sFlags = [Bool](repeating: false, count: s.count)
        var lFlags = [Bool](repeating: false, count: l.count)
        var matches = 0
        for i in 0..<s.count {
            let lo = max(0, i - window)
            let hi = min(l.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !lFlags[j] && s[i] == l[j] {
                sFlags[i] = true
                lFlags[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<s.count where sFlags[i] {
            while !lFlags[j] { j += 1 }
            if s[i] != l[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(s.count) + m / Double(l.count) + (m - Double(transpositions / 2)) / m) / 3
    }

    /// Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions).
    public static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in editDistance(a, b, limit: max(a.count, b.count)) } }
    }

    /// The distance when it is at most `limit`, else `limit + 1`: the rows stop once two running
    /// minima show no alignment can come back under it (a cell is at least the smaller of the row
    /// above's minimum and the minimum two rows up plus one).
    static func editDistance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        if a.isEmpty { return min(b.count, limit + 1) }
        if b.isEmpty { return min(a.count, limit + 1) }
        let n = b.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (n + 1)) { buffer -> Int in
            guard let base = buffer.baseAddress else { return limit + 1 }
            var twoBack = base
            var previous = base + (n + 1)
            var current = base + 2 * (n + 1)
            for j in 0...n {
                previous[j] = j
                twoBack[j] = 0
            }
            var previousMin = 0
            for i in 1...a.count {
                current[0] = i
                var rowMin = i
                let ai = a[i - 1]
                for j in 1...n {
                    let cost = ai == b[j - 1] ? 0 : 1
                    var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1 && j > 1 && ai == b[j - 2] && a[i - 2] == b[j - 1] { v = min(v, twoBack[j - 2] + 1) }
                    current[j] = v
                    rowMin = min(rowMin, v)
                }
                if rowMin > limit && previousMin >= limit { return limit + 1 }
                previousMin = rowMin
                (twoBack, previous, current) = (previous, current, twoBack)
            }
            return min(previous[n], limit + 1)
        }
    }

    /// The token similarity screening uses: the mean of Jaro-Winkler (forgiving at the end of a
    /// word) and 1 − edits/length (strict on short words), so `sap`/`sapa` or `abb`/`abba` do not
    /// look like typos of each other while `maduro`/`madruo` still does.
    /// Values at or above `floor` are exact; under it, only an upper bound under `floor` is returned.
    public static func similarity(_ a: [UInt8], _ b: [UInt8], floor: Double = 0) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in similarity(a, b, floor: floor) } }
    }

    static func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, floor: Double) -> Double {
        if same(a, b) { return 1 }
        let jw = jaroWinkler(a, b)
        let longest = max(a.count, b.count)
        let bound = (jw + 1 - Double(abs(a.count - b.count)) / Double(longest)) / 2
        if bound < floor { return bound }
        let short: Double = min(a.count, b.count) <= 4 ? 0.9 : 1
        // The most edits that can still reach `floor` (one more for rounding): past it the distance
        // is not worked out, and the value returned for `limit + 1` edits is under `floor`.
        var limit = longest
        if floor > 0 {
            let allowed = (1 + jw - 2 * floor / short) * Double(longest)
            if allowed < Double(longest) { limit = max(0, Int(allowed.rounded(.up)) + 1) }
        }
        let edits = editDistance(a, b, limit: limit)
        return (jw + max(0, 1 - Double(edits) / Double(longest))) / 2 * short
    }

    /// Byte equality (the generic `elementsEqual` was a tenth of the similarity work).
    @inline(__always) static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }

    /// One bit per letter present (byte & 31, so digits share bits with letters: a looser bound, never a wrong one).
    public static func letterMask(_ token: [UInt8]) -> UInt32 {
        var mask: UInt32 = 0
        for b in token { mask |= 1 << UInt32(b & 31) }
        return mask
    }

    /// An upper bound of `similarity(a, b)` for a ≠ b from the letters each has in the other
    /// (`aMask`, `bMask` from `letterMask`): cheap enough to run before every pair.
    /// Jaro's matches m are at most the characters of either side whose letter the other has, so
    /// Jaro ≤ (m/|a| + m/|b| + 1)/3, Winkler adds at most its prefix boost, and the edit distance is
    /// at least max(|a|,|b|) − m.
    public static func similarityBound(_ a: [UInt8], _ aMask: UInt32, _ b: [UInt8], _ bMask: UInt32) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in similarityBound(a, aMask, b, bMask) } }
    }

    static func similarityBound(_ a: UnsafeBufferPointer<UInt8>, _ aMask: UInt32, _ b: UnsafeBufferPointer<UInt8>, _ bMask: UInt32) -> Double {
        var inB = 0
        for c in a where bMask & (1 << UInt32(c & 31)) != 0 { inB += 1 }
        var inA = 0
        for c in b where aMask & (1 << UInt32(c & 31)) != 0 { inA += 1 }
        let m = Double(min(inA, inB))
        let longest = Double(max(a.count, b.count))
        let jaro = min(1, (m / Double(a.count) + m / Double(b.count) + 1) / 3)
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        let jw = jaro > 0.7 ? jaro + Double(prefix) * 0.1 * (1 - jaro) : jaro
        var s = (jw + m / longest) / 2
        if min(a.count, b.count) <= 4 { s *= 0.9 }
        return s
    }

    /// A consonant skeleton: vowels (and y, w) dropped, look-alike consonants folded (c/q→k, z→s,
    /// v→f, x→ks, ph→f), h dropped in digraphs (kh, dh, th, sh, gh, zh, ch), doubles collapsed.
    /// `muhammad`, `mohammed` and Arabic `محمد` (romanised `mhmd`) share `mhmd`.
    public static func skeleton(_ token: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var previous: UInt8 = 0
        for (i, raw) in token.enumerated() {
            var c = raw
            switch c {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
                UInt8(ascii: "y"), UInt8(ascii: "w"):
                previous = c
                continue
            case UInt8(ascii: "c"), UInt8(ascii: "q"): c = UInt8(ascii: "k")
            case UInt8(ascii: "z"): c = UInt8(ascii: "s")
            case UInt8(ascii: "v"): c = UInt8(ascii: "f")
            case UInt8(ascii: "h"):
                if i > 0 && "kdtgszpc".utf8.contains(previous) {
                    if previous == UInt8(ascii: "p"), !out.isEmpty { out[out.count - 1] = UInt8(ascii: "f") }
                    previous = c
                    continue
                }
            case UInt8(ascii: "x"):
                if out.last != UInt8(ascii: "k") { out.append(UInt8(ascii: "k")) }
                c = UInt8(ascii: "s")
            default: break
            }
            previous = raw
            if out.last != c { out.append(c) }
        }
        return out
    }

    /// True when the token has no vowel letters: typical of romanised Arabic or Persian script,
    /// where short vowels are not written.
    public static func isVowelless(_ token: [UInt8]) -> Bool {
        !token.contains { isVowel($0) || $0 == UInt8(ascii: "y") || $0 == UInt8(ascii: "w") }
    }

    @inline(__always) static func isVowel(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }
}
