import Foundation

/// Finds the sentences of long ruling prose that describe the article (its material,
/// construction, function and use) and drops the legal and commercial ones around them: who asked,
/// when, which port, duty rates, marking, which heading was argued. Short texts pass unchanged.
public enum GoodsText {
    /// Texts shorter than this (in characters) are titles or phrases: nothing to drop.
    static let minimumLength = 280

    public static func focus(_ text: String) -> String {
        guard text.utf8.count >= minimumLength else { return text }
        let sentences = split(text)
        guard sentences.count > 1 else { return text }
        let kept = sentences.filter { !isProcedural($0) }
        // Keep the text whole when the filter would leave too little to go on.
        guard kept.joined().utf8.count >= 80 else { return text }
        return kept.joined(separator: " ")
    }

    /// Sentences end at ". ", "! ", "? ", ";" followed by a space, or a line break; a full stop
    /// between digits ("2.5 mm") or after a one-letter abbreviation ("U.S.") does not end one.
    static func split(_ text: String) -> [String] {
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
        let s = " " + sentence.lowercased() + " "
        // ASCII text (nearly every ruling) is searched byte by byte: for ASCII there is no other
        // spelling of a marker for Foundation's search to find, and its search was a tenth of a
        // line's CPU time.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            let text = Array(s.utf8)
            return markerBytes.contains { occurs($0, in: text) }
        }
        return markers.contains { s.contains($0) }
    }

    /// Whether `needle` occurs in `text`, compared byte by byte from each byte equal to its first.
    private static func occurs(_ needle: [UInt8], in text: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var start = 0
        while start + needle.count <= text.count {
            if text[start] == first && text[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }

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
