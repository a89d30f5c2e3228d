@testable import Classification
import Foundation
import Testing

/// A query's features are built without general sorts (integer keys, a selection, a merge); each
/// step must give exactly the vector the sort-based construction gave, or every score would move.
@Suite struct QueryFeatureTests {
    /// The construction the fast paths replace, kept here as the reference.
    static func referencePruned(_ v: SparseVector, _ limit: Int) -> SparseVector {
        guard v.indices.count > limit else { return v }
        let keep = v.values.indices.sorted { v.values[$0] > v.values[$1] || (v.values[$0] == v.values[$1] && v.indices[$0] < v.indices[$1]) }
            .prefix(limit).sorted()
        return SparseVector(indices: keep.map { v.indices[$0] }, values: keep.map { v.values[$0] })
    }

    @Test func pruningKeepsTheLargestWeightsAsASortDid() {
        var g = StackedIndexTests.Seeded(state: 11)
        for round in 0..<300 {
            // Few distinct weights, so that ties (broken by the lower index) are common; some negative and zero.
            var pairs: [(UInt32, Float)] = []
            for _ in 0..<g.next(900) {
                let w = Float(g.next(40)) / 8 - (round % 3 == 0 ? 1 : 0)
                pairs.append((UInt32(g.next(5000)), w == 0 && g.next(2) == 0 ? -0.0 : w))
            }
            let v = SparseVector(unsorted: pairs)
            for limit in [0, 1, 2, 7, 400, v.count - 1, v.count, v.count + 3] where limit >= 0 {
                let fast = v.pruned(to: limit), slow = Self.referencePruned(v, limit)
                #expect(fast.indices == slow.indices, "round \(round), limit \(limit)")
                #expect(fast.values.map(\.bitPattern) == slow.values.map(\.bitPattern), "round \(round), limit \(limit)")
            }
        }
    }

    @Test func termCountsAndTheQueryVectorAreTheSortedConstructions() throws {
        let model = try Fixture.model()
        let texts = ["men's knitted cotton t-shirt, short sleeves", "", "bolt", "steel bolt steel bolt steel bolt 12 mm",
                     String(repeating: "The article is a handbag of leather with a shoulder strap, imported from Italy. ", count: 12)]
        for text in texts {
            let tokens = model.normalizer.tokens(text)
            // Reference: (bucket, 1) pairs summed by `SparseVector(unsorted:)`.
            var words: [(UInt32, Float)] = [], chars: [UInt32] = []
            var previous: String?
            for t in tokens {
                words.append((FeatureHasher.bucket(t, seed: 1), 1))
                if let p = previous { words.append((FeatureHasher.bigramBucket(p, t), 1)) }
                previous = t
                if t.first != "#" { FeatureHasher.appendCharGrams(t, into: &chars) }
            }
            let counts = FeatureHasher.counts(tokens)
            #expect(counts.word == SparseVector(unsorted: words))
            #expect(counts.char == SparseVector(unsorted: chars.map { ($0, 1) }))
            // Reference: the weighed word and char vectors mixed through one sort.
            func weigh(_ v: SparseVector) -> SparseVector {
                var out = v
                for k in 0..<out.values.count { out.values[k] = (1 + log(out.values[k])) * model.idf[Int(out.indices[k])] }
                return out.normalized()
            }
            let w = weigh(counts.word), c = weigh(counts.char)
            let ws = model.wordShare.squareRoot(), cs = (1 - model.wordShare).squareRoot()
            let pairs = (0..<w.count).map { (w.indices[$0], w.values[$0] * ws) } + (0..<c.count).map { (c.indices[$0], c.values[$0] * cs) }
            let reference = SparseVector(unsorted: pairs)
            let vector = model.vectorize(tokens)
            #expect(vector.indices == reference.indices, "\(text.prefix(40))")
            #expect(vector.values.map(\.bitPattern) == reference.values.map(\.bitPattern), "\(text.prefix(40))")
        }
    }

    /// Long ASCII prose is split into sentences on its bytes; the sentences must be the ones the
    /// character-by-character split finds: abbreviations, decimals, blanks of every kind, stops at
    /// the very end, and every example text of the fixtures.
    @Test func asciiSentencesAreTheCharacterSplitsSentences() throws {
        var texts = [
            "In your letter dated April 7, 2024, you asked. The U.S. Customs sample is 2.5 mm thick; it is knitted! Is it? No. 5 is e.g. shoes.",
            "  Leading blanks.\tA tab inside. Two  spaces.   \n\nBlank lines\n\u{0B}vertical tab. \u{0C}Form feed. ",
            "Mr. Smith, Inc. and Co. Ltd. ship it. ABC. abc. Abcd. x.y. The end.",
            "...", ". . .", "No stop at the end", "Ends with a stop.", "A;B; C;\nD", "",
            String(repeating: "The article is a handbag of leather, 30 cm. wide. ", count: 20),
        ]
        let (_, examples) = try Fixture.loaded.get()
        #expect(!examples.isEmpty)
        texts += examples.map(\.description)
        for text in texts where text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            #expect(GoodsText.split(text) == GoodsText.splitCharacters(text), "\(text.prefix(60).debugDescription)")
        }
        // A carriage return (with "\r\n" one character) takes the character path.
        #expect(GoodsText.split("One.\r\nTwo.") == GoodsText.splitCharacters("One.\r\nTwo."))
    }

    /// The character grams as they were hashed before: the padded word's bytes as an array, each
    /// gram a slice of it.
    static func referenceCharGrams(_ token: String) -> [UInt32] {
        var bytes: [UInt8] = [32]
        bytes.append(contentsOf: token.utf8)
        bytes.append(32)
        var out: [UInt32] = []
        for n in 3...5 where bytes.count >= n {
            for start in 0...(bytes.count - n) { out.append(FeatureHasher.bucket(bytes[start..<(start + n)], seed: UInt64(10 + n))) }
        }
        return out
    }

    @Test func characterGramsAreHashedAsTheSlicesWere() throws {
        let (_, examples) = try Fixture.loaded.get()
        #expect(!examples.isEmpty)
        var tokens = ["", "a", "ab", "abc", "abcdef", "crème", "brûlée", "#n", "100", "日本語", "x\u{301}"]
        for e in examples.prefix(400) { tokens += TextNormalizer().tokens(e.description) }
        for t in tokens {
            var fast: [UInt32] = [7]
            FeatureHasher.appendCharGrams(t, into: &fast)
            #expect(fast == [7] + Self.referenceCharGrams(t), "\(t.debugDescription)")
            // A word's buckets: its unigram (hashed from its bytes as the view read them), then its grams.
            let unigram = FeatureHasher.bucket(Array(t.utf8)[...], seed: 1)
            #expect(FeatureHasher.wordBuckets(t) == [unigram] + (t.first == "#" ? [] : Self.referenceCharGrams(t)), "\(t.debugDescription)")
        }
    }

    /// Texts that take the ASCII paths, and the cases their byte rules must get right.
    static func asciiTexts() throws -> [String] {
        let (_, examples) = try Fixture.loaded.get()
        var texts = [
            "In your letter dated April 7, 2024, you asked. The U.S. Customs sample is 2.5 mm thick; it is knitted! Is it? No. 5 is e.g. shoes.",
            "  Leading blanks.\tA tab inside. Two  spaces.   \n\nBlank lines\n\u{0B}vertical tab. \u{0C}Form feed. ",
            "Men's 100% COTTON t-shirt & shorts (2 pcs), SKU-88213; 500ML btl.", "bell\u{07}vertical\u{0B}form\u{0C}del\u{7F}end\u{00}nul",
            "", " ", "%%", "&", "'quoted'", "a4 x2 12v 500ml abc123def 1234567",
            String(repeating: "The article is a handbag of leather, 30 cm. wide. This ruling is issued under the tariff. ", count: 12),
            String(repeating: "The applicant asks for a ruling on the goods. ", count: 8) + "A knitted pullover of cotton.",
        ]
        texts += examples.map(\.description)
        return texts.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// The goods sentences of ASCII prose are found, tested and joined on byte ranges; the text must
    /// be the one the sentence strings and the string test gave.
    @Test func asciiGoodsTextIsTheSentenceStringsText() throws {
        let texts = try Self.asciiTexts()
        #expect(texts.count > 20)
        var focused = 0
        for text in texts where !text.utf8.contains(0x0D) {
            let fast = try #require(GoodsText.focusASCII(text))
            #expect(fast == GoodsText.focusSentences(text, GoodsText.splitCharacters(text)), "\(text.prefix(60).debugDescription)")
            if text.utf8.count >= GoodsText.minimumLength, fast != text { focused += 1 }
        }
        // At least one text had procedural sentences dropped, so the test saw the joining too.
        #expect(focused > 0)
        #expect(GoodsText.focusASCII("One.\r\nTwo.") == nil)
        #expect(GoodsText.focusASCII("Crème brûlée.") == nil)
    }

    /// ASCII text is cut into raw words on its bytes; the words must be the scalar path's.
    @Test func asciiRawWordsAreTheScalarPathsWords() throws {
        for text in try Self.asciiTexts() {
            let folded = text.lowercased()
            #expect(TextNormalizer.byteRawWords(folded) == TextNormalizer.scalarRawWords(folded), "\(text.prefix(60).debugDescription)")
        }
    }

    /// ASCII text is read into word pieces lazily, stopping at the limit; the pieces must be the
    /// general path's, which normalises and splits the whole text first.
    @Test func asciiWordPiecesAreTheGeneralPathsPieces() throws {
        let tokenizer = try WordPieceTokenizer(json: Array(try Data(contentsOf: EncoderTests.tinyFolder.appendingPathComponent("tokenizer.json"))))
        for text in try Self.asciiTexts() {
            for limit in [0, 1, 5, 64, 256, 100_000] {
                let fast = try #require(tokenizer.asciiPieceIds(text, limit: limit))
                #expect(fast == tokenizer.normalizedPieceIds(text, limit: limit), "limit \(limit): \(text.prefix(60).debugDescription)")
            }
        }
        #expect(tokenizer.asciiPieceIds("crème", limit: 10) == nil)
    }

    /// A long text's buckets are sorted by two counting passes; the array must be the sorted one.
    @Test func bucketsAreSortedAsTheStandardSortSortsThem() {
        var g = StackedIndexTests.Seeded(state: 5)
        for n in [0, 1, 256, 257, 1000, 9000] {
            // Many repeats (the counts), and the extremes of the range.
            var buckets = (0..<n).map { _ in UInt32(g.next(n % 2 == 0 ? FeatureHasher.dimension : 300)) }
            if n > 2 { buckets[0] = UInt32(FeatureHasher.dimension - 1); buckets[1] = 0 }
            let expected = buckets.sorted()
            FeatureHasher.sortBuckets(&buckets)
            #expect(buckets == expected, "\(n) buckets")
        }
    }

    /// Sentences with other than ASCII are scanned for the markers' bytes before Foundation is asked;
    /// the answer must be Foundation's: markers beside accented words, a marker's bytes followed by
    /// a combining mark (no match for Foundation), a Kelvin sign, and every such sentence of the fixtures.
    @Test func otherSentencesAreTestedAsFoundationTestsThem() throws {
        var sentences = ["Crème brûlée in a tin.", "Un café très fort", "\u{212A}ind of goods", "Ein Gerät für Küchen", "日本語の説明"]
        for marker in GoodsText.markers {
            let word = marker.trimmingCharacters(in: .whitespaces)
            sentences += ["Le café \(word) é", "Le café \(word)\u{301} é", "é\(word)é", "Le café \(word.dropLast()) é"]
        }
        let (_, examples) = try Fixture.loaded.get()
        sentences += examples.flatMap { GoodsText.splitCharacters($0.description) }.filter { !$0.utf8.allSatisfy { $0 < 0x80 } }
        for sentence in sentences {
            let s = " " + sentence.lowercased() + " "
            #expect(GoodsText.isProcedural(sentence) == GoodsText.markers.contains { s.contains($0) }, "\(sentence.debugDescription)")
        }
    }

    /// Text with other than ASCII is normalised only as far as its first words need; the pieces
    /// must be those of the whole text normalised.
    @Test func otherTextsPiecesAreTheWholeTextsPieces() throws {
        let tokenizer = try WordPieceTokenizer(json: Array(try Data(contentsOf: EncoderTests.tinyFolder.appendingPathComponent("tokenizer.json"))))
        let (_, examples) = try Fixture.loaded.get()
        var texts = [
            String(repeating: "Crème brûlée, 30 °C; Küche\u{00A0}Gerät — ein Topf. ", count: 40),
            String(repeating: "\u{0B}\u{0C} é \u{7F} x\u{301} 日本語 ", count: 60) + "end",
            String(repeating: "a ", count: 300) + "é", "é", "",
        ]
        texts += examples.map(\.description).filter { !$0.utf8.allSatisfy { $0 < 0x80 } }
        for text in texts {
            for limit in [0, 1, 5, 64, 256] {
                #expect(tokenizer.pieceIds(text, limit: limit) == tokenizer.normalizedPieceIds(text, limit: limit),
                        "limit \(limit): \(text.prefix(60).debugDescription)")
            }
        }
    }
}
