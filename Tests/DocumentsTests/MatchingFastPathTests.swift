@testable import DocumentExtraction
import Testing

/// The byte paths of label matching (taken for speed) give what the character paths give.
@Suite struct MatchingFastPathTests {
    /// Every ASCII character between letters, and words of the lexicon's kind, as Foundation's folding reads them.
    @Test func asciiNormalizingMatchesFolding() {
        var texts = (0..<128).map { "Ab" + String(UnicodeScalar(UInt8($0))) + "Cd" }
        texts += ["Invoice No.:", "  INV-2026/0142  ", "Rechnungs-Nr.", "#12", "Qty (ctns)", "", " ", "a\r\nb", "UnitPrice", "G.W.:"]
        for t in texts {
            #expect(Lexicon.asciiNormalized(t) == Lexicon.normalizedByFolding(t), "\(t.debugDescription)")
        }
        #expect(Lexicon.asciiNormalized("Menge (Stück)") == nil)
        #expect(Lexicon.normalize("Straße Größe") == "strasse grosse")
    }

    @Test func firstWordIsSplitsFirst() {
        let phrases = ["invoice no", "datum", "", "   ", "  net weight", "facture n", "numéro de facture", "n° facture",
                       "a \u{301}b c", " \u{301}x y", "x \u{301}", "tab\there next", "\r\n end"]
        for p in phrases {
            #expect(Run.firstWord(p) == (p.split(separator: " ").first.map(String.init) ?? ""), "\(p.debugDescription)")
        }
    }

    /// `asciiSimilar` against the rule on characters.
    @Test func asciiSimilarMatchesCharacters() {
        func byCharacters(_ a: String, _ b: String, long: Bool) -> Bool {
            let shorter = min(a.count, b.count)
            guard shorter >= 5 else { return false }
            let budget = long && shorter >= 9 ? 2 : 1
            guard abs(a.count - b.count) <= budget, !Lexicon.nearLabelWords.contains(a) else { return false }
            return Run.editDistance(Array(a), Array(b), atMost: budget) <= budget
        }
        let words = ["invoice", "invoce", "inovice", "consignee", "consignor", "designation", "deesignatien", "shipped", "shipper",
                     "total", "totals", "weight", "weigth", "rechnung", "rechnungsnummer", "rechnungsnumer", "qty", "amount", "amounts"]
        var compared = 0
        for a in words {
            for b in words where a != b {
                for long in [false, true] {
                    #expect(Run.asciiSimilar(a, b, long: long) == byCharacters(a, b, long: long), "\(a) \(b) \(long)")
                    compared += 1
                }
            }
        }
        #expect(compared > 0)
        #expect(Run.asciiSimilar("menge", "mênge", long: false) == nil && Run.asciiSimilar("a\r\nbcdef", "abcdef", long: false) == nil)
        #expect(Run.similar("invoce", "invoice") && !Run.similar("consignee", "consignor") && Run.similar("deesignatien", "designation", long: true))
    }
}
