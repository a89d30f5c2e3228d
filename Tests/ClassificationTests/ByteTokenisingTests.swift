@testable import Classification
import Foundation
import Testing

/// Text that is not pure ASCII is cut into sentences and words on its UTF-8 bytes when each of its
/// scalars is a character on its own (issue #19); the sentences, raw words and tokens must be the
/// character path's for any text, and texts the byte rules cannot read must take that path.
@Suite struct ByteTokenisingTests {
    static let tricky = [
        "Crème brûlée. Café au lait; the façade is naïve! Ærø? Done.", "Straße, Œuvre, ﬁbre and ﬂax ﬃ. Next sentence here.",
        "10\u{00A0}kg of flour.\u{00A0}Next. End.\u{00A0}", "\u{00A0}\u{3000}Leading blanks. Trailing\u{2009}\u{202F}\u{3000}",
        "A\u{2028}line separator. A\u{2029}paragraph.\u{0085}Next line.", "Soft\u{00AD}hyphen. x\u{00AD}. Done.",
        "e\u{301}te\u{301}. cafe\u{301}. Next.\u{301} x. \u{301}Mark after a space. Hm.", ".\u{301} next", "x.\u{301}", "x. \u{301}",
        "日本語のテキスト。これは文です. 中文。 句子. Next", "ｶﾞﾗｽ. ＡＢＣ。 ｆｕｌｌ. Ｆｕｌｌ-width ５００ｍｌ.",
        "👍 good. 🇩🇪 flag. 👨‍👩‍👧 family. 👋🏽 wave. ⌚. ✂️ cut.", "한국어 문장. 다음 문장. 가. Next",
        "\u{0600}. x", "Σίσυφος. ΣΣΣ. σσσ. next", "İstanbul. İİİ. iii. x", "Kelvin \u{212A}. Å. Done",
        "Çé. next", "éé. x", "Ééé. next", "ÉÉÉ. next", "ÉÉÉÉ. next", "ééé. next", "Ltd. Ærø. ÅÅÅ. øøø. Done.",
        "Temperature 20 °C. Size 10×20 mm². Price €5. 5 µm thick. ½ inch. Ⅻ. x²³. Done.", "١٢٣ items. ۴۵ more. Done",
        "It’s the men’s ‘quoted’ item – a “dash” — here… ok. Next", "100 % wool & 5 % other. 500ml. a4. 12v.",
        "One.\r\nTwo. Crème.\r\n", "Tab\tinside. \u{000B}vertical. \u{000C}feed. \u{001C}file\u{001F}sep.", "",
        "\u{FEFF}BOM. x", "zero\u{200B}width. join\u{200D}er. non\u{200C}joiner.", "Private \u{E000} use. Done", "bad \u{FFFD}. x",
        "ǅungla. ǈ. ǋ. Done", "ª. º. ﬁ. ﬀ. Done", "Ａ. ｂ. Done", "크기 10㎜. 무게 5㎏. 끝", "\u{1100}\u{1161}. x",
        "Greek question mark\u{037E} next\u{037E}\nDone", "No\u{037E} x. Kelvin\u{212A}. Varia\u{1FEF}.",
    ]

    /// A text of pieces drawn with a fixed generator, so the same texts come every run.
    static func randomTexts(count: Int) -> [String] {
        let pieces = ["a", "B", "é", "É", ".", ". ", "!", "?", ";", " ", " ", "\n", "\u{A0}", "\u{301}", "日", "。", "ﬁ", "1", "2",
                      "ß", "İ", "Σ", "\u{2009}", "’", "'", "%", "&", "-", "\u{200D}", "👍", "🏽", "한", "\r\n", "\r", "ｶ", "ﾞ",
                      "µ", "²", "ǅ", "ª", "abc", "U.S.", "No.", "2.5", "x.", "\u{0085}", "\u{3000}", "\u{00AD}", "\u{0600}",
                      "\u{200B}", "\u{200E}", "\u{FEFF}", "\u{1100}", "\u{1161}", "가", "㎜", "\u{2028}", "\u{1F1E9}", "\u{037E}", "\u{212A}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        return (0..<count).map { _ in (0..<(1 + next(40))).map { _ in pieces[next(pieces.count)] }.joined() }
    }

    static func texts() throws -> [String] {
        let (_, examples) = try Fixture.loaded.get()
        let nonASCII = examples.map(\.description).filter { !$0.utf8.allSatisfy { $0 < 0x80 } }
        return tricky + nonASCII + randomTexts(count: 3000)
    }

    /// `TextNormalizer.tokens` as it was before the byte path: Foundation's folding, the scalar
    /// path's raw words, then the same splitting and emitting.
    static func referenceTokens(_ text: String, _ normalizer: TextNormalizer) -> [String] {
        let folded = text.utf8.allSatisfy({ $0 < 0x80 })
            ? text.lowercased()
            : text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var out: [String] = []
        for raw in TextNormalizer.scalarRawWords(folded) {
            for token in normalizer.split(raw) { normalizer.emit(token, into: &out) }
        }
        return out
    }

    @Test func sentencesAreTheCharacterSplitsSentences() throws {
        var onBytes = 0
        for text in try Self.texts() {
            #expect(GoodsText.split(text) == GoodsText.splitCharacters(text), "\(text.prefix(60).debugDescription)")
            if let bytes = GoodsText.splitBytes(text) {
                #expect(bytes == GoodsText.splitCharacters(text), "\(text.prefix(60).debugDescription)")
                if !text.utf8.allSatisfy({ $0 < 0x80 }) { onBytes += 1 }
            }
        }
        // The byte path read many non-ASCII texts, so the comparison tested it (241 of the tricky
        // and random ones alone).
        #expect(onBytes > 200)
        #expect(GoodsText.splitBytes("Crème brûlée. Café.") == ["Crème brûlée.", "Café."])
        #expect(GoodsText.splitBytes("cafe\u{301}. x") == nil)
        #expect(GoodsText.splitBytes("👨‍👩‍👧 family. x") == nil)
        #expect(GoodsText.splitBytes("One.\r\nTwo.") == nil)
    }

    @Test func goodsTextIsTheCharacterSplitsText() throws {
        let long = try Self.texts().filter { $0.utf8.count >= GoodsText.minimumLength }
            + Self.tricky.map { String(repeating: $0 + " The applicant asks for a ruling on the goods. ", count: 6) }
        var focused = 0
        for text in long {
            let focus = GoodsText.focus(text)
            #expect(focus == GoodsText.focusSentences(text, GoodsText.splitCharacters(text)), "\(text.prefix(60).debugDescription)")
            if focus != text { focused += 1 }
        }
        #expect(focused > 10)
    }

    @Test func rawWordsAndTokensAreTheScalarPaths() throws {
        let normalizer = TextNormalizer()
        var onBytes = 0
        for text in try Self.texts() {
            let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
            let scalar = TextNormalizer.scalarRawWords(folded)
            #expect(TextNormalizer.rawWords(folded) == scalar, "\(text.prefix(60).debugDescription)")
            if let bytes = TextNormalizer.byteRawWords(folded) {
                #expect(bytes == scalar, "\(text.prefix(60).debugDescription)")
                if !folded.utf8.allSatisfy({ $0 < 0x80 }) { onBytes += 1 }
            }
            #expect(normalizer.tokens(text) == Self.referenceTokens(text, normalizer), "\(text.prefix(60).debugDescription)")
        }
        #expect(onBytes > 500)
        #expect(TextNormalizer.byteRawWords("crème brûlée ﬁbre 日本") == ["crème", "brûlée", "ﬁbre", "日本"])
        #expect(TextNormalizer.byteRawWords("x\u{301}") == nil)
        #expect(TextNormalizer.byteRawWords("\u{1100}\u{1161}") == nil)
    }

    /// Each scalar the byte paths admit is one character beside ASCII (but "\r"), a Hangul syllable
    /// and itself, as Swift's grapheme rules break them: no mark, joiner, prepended mark, conjoining
    /// jamo or regional indicator is admitted.
    @Test func admittedScalarsAreCharactersOnTheirOwn() {
        let neighbours: [Unicode.Scalar] = ["a", " ", ".", "\n", "\u{1}", "\u{AC00}", "\u{00E9}"]
        var admitted = 0
        for value in UInt32(0x80)...0x10FFFF where TextNormalizer.isOwnGrapheme(value) {
            let scalar = Unicode.Scalar(value)!
            admitted += 1
            // Not canonically equivalent to an ASCII character (which `Character`'s `==` would match).
            let canonical = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
            #expect(!(canonical.count == 1 && canonical.first!.isASCII), "U+\(String(value, radix: 16))")
            for x in neighbours + [scalar] {
                var view = String.UnicodeScalarView()
                view.append(x); view.append(scalar); view.append(x)
                #expect(String(view).count == 3, "U+\(String(value, radix: 16)) beside U+\(String(x.value, radix: 16))")
            }
        }
        #expect(admitted > 40_000)
        #expect(!TextNormalizer.isOwnGrapheme(0x301) && !TextNormalizer.isOwnGrapheme(0x200D) && !TextNormalizer.isOwnGrapheme(0x1F3FD))
        #expect(!TextNormalizer.isOwnGrapheme(0x37E) && Character("\u{037E}") == ";")
    }

    /// Lower-casing on bytes with the table gives `String.lowercased()`'s bytes for every scalar of
    /// the first two planes and for the texts above (final sigmas, dotted capitals, ligatures).
    @Test func lowercasingIsTheStringsLowercasing() throws {
        for value in UInt32(0)..<0x20000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            #expect(Array(TextNormalizer.lowercased(text).utf8) == Array(text.lowercased().utf8), "U+\(String(value, radix: 16))")
        }
        for text in try Self.texts() + ["ΣΣΣ. Σίσυφος ΣΑΣ Σ", "İSTANBUL İi", "ǅ ǈ ǋ ẞ ß", "ＡＢＣ Ω \u{212A} Å", "𐐀𐐁 Ⓐ"] {
            #expect(Array(TextNormalizer.lowercased(text).utf8) == Array(text.lowercased().utf8), "\(text.prefix(60).debugDescription)")
        }
    }
}
