import Foundation

/// Finds the sentences of long ruling prose that describe the article (its material,
/// construction, function and use) and drops the legal and commercial ones around them: who asked,
/// when, which port, duty rates, marking, which heading was argued. Short texts pass unchanged.
public enum GoodsText {
    /// Texts shorter than this (in characters) are titles or phrases: nothing to drop.
    static let minimumLength = 280

    public static func focus(_ text: String) -> String {
        guard text.utf8.count >= minimumLength else { return text }
        return focusASCII(text) ?? focusSentences(text, split(text))
    }

    /// The goods sentences of `text` among `sentences` (its sentences, as `split` gives them).
    static func focusSentences(_ text: String, _ sentences: [String]) -> String {
        guard sentences.count > 1 else { return text }
        let kept = sentences.filter { !isProcedural($0) }
        // Keep the text whole when the filter would leave too little to go on.
        guard kept.joined().utf8.count >= 80 else { return text }
        return kept.joined(separator: " ")
    }

    /// Sentences end at ". ", "! ", "? ", ";" followed by a space, or a line break; a full stop
    /// between digits ("2.5 mm") or after a one-letter abbreviation ("U.S.") does not end one.
    static func split(_ text: String) -> [String] {
        splitBytes(text) ?? splitCharacters(text)
    }

    /// `splitCharacters` on the UTF-8 bytes of a text without "\r" ("\r\n" would be one character)
    /// whose every non-ASCII scalar is a character on its own (`TextNormalizer.isOwnGrapheme`; nil
    /// for any other text): there characters are scalars, so the same rules run on bytes, without
    /// breaking graphemes or bridging to Foundation.
    static func splitBytes(_ text: String) -> [String]? {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> [String]? in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    guard b != 0x0D else { return nil }
                    i += 1
                } else {
                    let (value, length) = TextNormalizer.utf8Scalar(bytes, at: i)
                    guard TextNormalizer.isOwnGrapheme(value) else { return nil }
                    i += length
                }
            }
            return sentenceRanges(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }

    /// `focus` of ASCII text without "\r" (nil for any other): the sentences found, tested and joined
    /// as byte ranges, with no string per sentence and none lower-cased. The same sentences as
    /// `sentenceRanges`, the same test as `isProcedural`, the same joined text.
    static func focusASCII(_ text: String) -> String? {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> String? in
            for b in bytes where b >= 0x80 || b == 0x0D { return nil }
            let ranges = sentenceRanges(bytes)
            guard ranges.count > 1 else { return text }
            let kept = ranges.filter { !isProcedural(bytes, $0) }
            guard kept.reduce(0, { $0 + $1.count }) >= 80 else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for (k, r) in kept.enumerated() {
                if k > 0 { out.append(0x20) }
                out.append(contentsOf: bytes[r])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `isProcedural` of the sentence `bytes[range]` (ASCII): the markers are sought in " " + the
    /// sentence lower-cased + " " without building it.
    static func isProcedural(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let n = range.count + 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { s in
            s[0] = 0x20
            for (k, b) in bytes[range].enumerated() { s[k + 1] = b >= 0x41 && b <= 0x5A ? b + 32 : b }
            s[n - 1] = 0x20
            return containsMarkerBytes(UnsafeBufferPointer(s))
        }
    }

    /// Whether any marker's bytes occur in `text` (bytes from 0x80 up, which no marker has, are
    /// passed over).
    static func containsMarkerBytes(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = text.count
        for start in 0..<n where text[start] < 0x80 {
            next: for needle in markersByFirstByte[Int(text[start])] where start + needle.count <= n {
                for k in 1..<needle.count where text[start + k] != needle[k] { continue next }
                return true
            }
        }
        return false
    }

    /// `splitCharacters`' sentences as trimmed byte ranges (none empty), for UTF-8 without "\r" whose
    /// characters are its scalars (see `splitBytes`): a word's length counts its scalars, not its
    /// bytes, and blanks are `CharacterSet.whitespacesAndNewlines`, as the character path has them.
    static func sentenceRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let space: UInt8 = 0x20, newline: UInt8 = 0x0A
        func isBlank(_ b: UInt8) -> Bool { b == space || (b >= 0x09 && b <= 0x0D) }
        func isBlank(scalarAt k: Int) -> Bool {
            let (value, _) = TextNormalizer.utf8Scalar(bytes, at: k)
            return whitespacesAndNewlines.contains(Unicode.Scalar(value)!)
        }
        func emit(_ from: Int, _ to: Int) {
            var lo = from, hi = to
            while lo < hi {
                let b = bytes[lo]
                if b < 0x80 {
                    guard isBlank(b) else { break }
                    lo += 1
                } else {
                    guard isBlank(scalarAt: lo) else { break }
                    lo += TextNormalizer.utf8Scalar(bytes, at: lo).length
                }
            }
            while hi > lo {
                let b = bytes[hi - 1]
                if b < 0x80 {
                    guard isBlank(b) else { break }
                    hi -= 1
                } else {
                    var k = hi - 1
                    while bytes[k] & 0xC0 == 0x80 { k -= 1 }
                    guard isBlank(scalarAt: k) else { break }
                    hi = k
                }
            }
            if lo < hi { out.append(lo..<hi) }
        }
        var start = 0
        for i in 0..<bytes.count {
            let c = bytes[i]
            var end = c == newline
            if c == 0x2E || c == 0x21 || c == 0x3F || c == 0x3B, i + 1 == bytes.count || bytes[i + 1] == space || bytes[i + 1] == newline {
                var w = i, length = 0, lower = false
                while w > start && bytes[w - 1] != space && bytes[w - 1] != newline {
                    w -= 1
                    let b = bytes[w]
                    if b < 0x80 {
                        length += 1
                        if b >= 0x61 && b <= 0x7A { lower = true }
                    } else if b >= 0xC0 {
                        length += 1
                        if !lower, Character(Unicode.Scalar(TextNormalizer.utf8Scalar(bytes, at: w).value)!).isLowercase { lower = true }
                    }
                }
                end = c != 0x2E || length > 3 || (length > 2 && lower)
            }
            if end {
                emit(start, i + 1)
                start = i + 1
            }
        }
        emit(start, bytes.count)
        return out
    }

    static let whitespacesAndNewlines = CharacterSet.whitespacesAndNewlines

    static func splitCharacters(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            current.append(c)
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            var end = false
            if c == "\n" { end = true }
            if (c == "." || c == "!" || c == "?" || c == ";"), next == nil || next == " " || next == "\n" {
                // "U.S. Customs", "e.g. shoes", "No. 5": a short word before the stop is an abbreviation.
                let word = current.dropLast().reversed().prefix { $0 != " " && $0 != "\n" }
                end = c != "." || word.count > 3 || (word.count > 2 && word.contains(where: { $0.isLowercase }))
            }
            if end {
                let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !s.isEmpty { out.append(s) }
                current = ""
            }
            i += 1
        }
        let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !s.isEmpty { out.append(s) }
        return out
    }

    /// A sentence about the procedure, the parties or the law rather than the goods.
    static func isProcedural(_ sentence: String) -> Bool {
        let s = " " + TextNormalizer.lowercased(sentence) + " "
        // ASCII text (nearly every ruling) is searched byte by byte: for ASCII there is no other
        // spelling of a marker for Foundation's search to find, and its search was a tenth of a
        // line's CPU time.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            let text = Array(s.utf8)
            // From each byte, only the markers that start with it are compared.
            for start in text.indices {
                for needle in markersByFirstByte[Int(text[start])] where start + needle.count <= text.count {
                    if text[start..<(start + needle.count)].elementsEqual(needle) { return true }
                }
            }
            return false
        }
        // Foundation's search matches a marker only where the sentence's characters are equivalent
        // to the marker's ASCII, and no other character is (a Kelvin sign was lower-cased to "k"
        // above): where the marker's bytes are not there at all, neither is a match. Most goods
        // sentences are answered by that byte scan; the rest ask Foundation as before (a marker's
        // bytes followed by a combining mark are no match for it).
        var utf8 = s
        guard utf8.withUTF8({ containsMarkerBytes($0) }) else { return false }
        return markers.contains { s.contains($0) }
    }

    /// `markerBytes` by their first byte (every marker is ASCII and non-empty).
    static let markersByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 128)
        for m in markerBytes { table[Int(m[0])].append(m) }
        return table
    }()

    static let markerBytes: [[UInt8]] = markers.map { Array($0.utf8) }

    static let markers: [String] = [
        "ruling", "your letter", "letter dated", "your request", "you request", "you have requested", "we have",
        "dated ", "on behalf of", "inquiry", "enquiry",
        "cfr", "u.s.c", "ad valorem", "rate of duty", "duty rate", "section 301", "country of origin", "marking requirement",
        "import specialist", "telephone", "e-mail", "email", "regulations", "port of entry", "binding tariff",
        "legal basis", "interpretative rule", "interpretation of the", "explanatory note", " gir ", "general rule",
        "classified", "classification", "heading", "subheading", "commodity code", "tariff", "hmrc", "cbp ", "customs",
        "applicant", "holder of", "this decision", "advance ruling", " hts ", "htsus", "harmonized", "nomenclature", "chapter note",
        "section note", "excluded from", "does not cover", "tel.", " fax ",
    ]
}
