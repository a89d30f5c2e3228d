import Classification
import Foundation
import Testing

@Suite struct CSVTests {
    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let table = try CSVTable(parsing: "\u{FEFF}a,b,c\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n2,,\n", source: "t.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields == ["1", "x, \"y\"", "two\nlines"])
        #expect(table.rows[1].line == 4)
        #expect(table.rows[1].fields == ["2", "", ""])
    }

    @Test func unterminatedQuoteNamesTheLine() {
        #expect(throws: ClassificationError.invalidData("t.csv: line 3: quoted field is not closed")) {
            _ = try CSVTable(parsing: "a,b\n1,2\n3,\"open\n", source: "t.csv")
        }
    }

    @Test func missingColumnNamesFileAndColumns() throws {
        let table = try CSVTable(parsing: "a,b\n1,2\n", source: "t.csv")
        #expect(throws: ClassificationError.self) { _ = try table.column("c") }
    }
}

@Suite struct NormalizerTests {
    let n = TextNormalizer()

    @Test func foldsCaseAccentsSpellingUnitsAndCodes() {
        let t = n.tokens("ALUMINIUM Crème Men's bottle 500ML SKU-88213ABC 1234567")
        #expect(t.contains("aluminum"))
        #expect(t.contains("creme"))
        #expect(t.contains("men"))
        #expect(t.contains("ml"))
        #expect(t.contains(TextNormalizer.numberToken))
        #expect(t.filter { $0 == TextNormalizer.skuToken }.count == 2)
        #expect(!t.contains("sku"))
    }

    @Test func lightStemmingAndMerchantShorthand() {
        #expect(n.tokens("batteries shoes boxes glass") == ["battery", "shoe", "box", "glass"])
        #expect(n.tokens("womens tshirt") == ["women", "t", "shirt"])
        #expect(n.tokens("Colour jewellery") == ["color", "jewelry"])
    }

    @Test func learnedAbbreviationsFromConsonantSkeletons() {
        let learned = AbbreviationLearner.learn(vocabulary: ["shampoo": 9, "conditioner": 4, "shirt": 30, "colanut": 2],
                                                texts: [["shmpoo", "cndtnr", "shirt", "xyz", "client"]])
        #expect(learned["client"] == nil)
        #expect(learned["shmpoo"] == "shampoo")
        #expect(learned["cndtnr"] == "conditioner")
        #expect(learned["shirt"] == nil)
        #expect(TextNormalizer(learnedAbbreviations: learned).tokens("shmpoo") == ["shampoo"])
    }

    @Test func featureHashingIsDeterministicAndSeparatesFamilies() {
        let a = FeatureHasher.counts(["cotton", "shirt"]), b = FeatureHasher.counts(["cotton", "shirt"])
        #expect(a.word == b.word)
        #expect(a.char == b.char)
        #expect(a.word.count == 3) // two unigrams and one bigram
        #expect(a.char.count > 10)
        #expect(a.word.indices.allSatisfy { $0 < UInt32(FeatureHasher.dimension) })
    }

    @Test func sparseVectorsDotAndPrune() {
        let v = SparseVector(unsorted: [(5, 1), (2, 2), (5, 1), (9, 0.5)])
        #expect(v.indices == [2, 5, 9])
        #expect(v.values == [2, 2, 0.5])
        #expect(v.dot(SparseVector(indices: [5, 9], values: [1, 2])) == 3)
        #expect(v.pruned(to: 2).indices == [2, 5])
        #expect(abs(v.normalized().norm - 1) < 1e-5)
    }
}

@Suite struct KnowledgeBaseTests {
    @Test func nomenclatureSkipsTotalAndCarriesParents() throws {
        let csv = "section,hscode,description,parent,level\nXI,TOTAL,Total,TOTAL,5\nXI,61,Apparel; knitted,TOTAL,2\nXI,6109,T-shirts,61,4\nXI,610990,Other,6109,6\nTOTAL,99,Not specified,TOTAL,2\nTOTAL,9999,Not specified,99,4\nTOTAL,999999,Not specified,9999,6\n"
        let n = try Nomenclature(csv: csv)
        #expect(n.subheadings.count == 1)
        #expect(!n.contains("999999"))
        #expect(n.fullText("610990") == "Apparel; knitted > T-shirts > Other")
    }

    @Test func nomenclatureRejectsCodeOfWrongLevelByLine() {
        let csv = "section,hscode,description,parent,level\nXI,61,Apparel,TOTAL,2\nXI,610,Bad,61,4\n"
        #expect(throws: ClassificationError.invalidData("n.csv: line 3: hscode '610' does not match level '4'")) {
            _ = try Nomenclature(csv: csv, source: "n.csv")
        }
    }

    @Test func usLinesCarryTheirParentsAndOnlyTenDigitLinesAreDeclarable() throws {
        let (kb, _) = try Fixture.loaded.get()
        let us = try #require(kb.tariff(.us))
        let line = try #require(us.line(code: "6109.10.00.12"))
        #expect(line.text.contains("Men's or boys'"))
        #expect(line.text.contains("Other T-shirts"))
        #expect(line.declarable)
        #expect(us.declarableLines(under: "610910").allSatisfy { $0.code.count == 10 })
        #expect(us.line(code: "61091000")?.declarable == false)
    }

    @Test func euLeavesAreDeclarableWithPublishedCodes() throws {
        let (kb, _) = try Fixture.loaded.get()
        let eu = try #require(kb.tariff(.eu))
        #expect(eu.declarableLines(under: "610910").map(\.code).contains("6109100010"))
        #expect(eu.line(code: "6109100000")?.declarable == false)
        #expect(eu.declarableLines(under: "610910").allSatisfy { $0.code.hasPrefix("610910") && $0.code.count == 10 })
    }

    @Test func restrictedSliceKeepsOnlyItsChapters() throws {
        let (kb, examples) = try Fixture.loaded.get()
        #expect(kb.nomenclature.subheadings.keys.allSatisfy { Fixture.chapters.contains(String($0.prefix(2))) })
        #expect(kb.tariffs.allSatisfy { $0.lines.allSatisfy { Fixture.chapters.contains(String($0.hs6.prefix(2))) } })
        #expect(examples.count > 50)
    }
}

@Suite struct ContradictoryTextTests {
    static let address = "SI000010 MINISTRY OF FINANCE, FINANCIAL ADMINISTRATION OF THE REPUBLIC OF SLOVENIA ŠMARTINSKA 55 1000 LJUBLJANA SI SI000010"
    static let prose = "Woven cotton trousers for men, dyed, with two side pockets and a zip fly, imported in retail packs for sale to consumers"

    @Test func longTextUnderThreeCodesIsDroppedAndNamed() {
        let rows = ["210390", "220299", "830710"].enumerated().map { i, code in
            LabelledExample(description: Self.address, hs6: code, source: "BTI EU SI-\(i)", origin: .authority)
        } + [LabelledExample(description: Self.prose, hs6: "620342", source: "ruling US 1", origin: .authority)]
        var skipped: [String] = []
        let kept = ClassificationData.withoutContradictoryLongTexts(rows, skipped: &skipped)
        #expect(kept.map(\.source) == ["ruling US 1"])
        #expect(skipped.count == 3)
        #expect(skipped.allSatisfy { $0.contains("3 different subheadings") })
        #expect(skipped.first?.hasPrefix("BTI EU SI-0") == true)
    }

    @Test func twoCodesAndShortTitlesStay() {
        // Two rulings of the same text under two codes can be a real borderline; a title under
        // many codes is ambiguity the neighbour vote should see.
        let rows = [
            LabelledExample(description: Self.prose, hs6: "620342", source: "a", origin: .authority),
            LabelledExample(description: Self.prose, hs6: "620462", source: "b", origin: .authority),
        ] + ["640299", "640399", "640419", "640590"].map { LabelledExample(description: "footwear", hs6: $0, source: "subject \($0)", origin: .lexicon) }
        var skipped: [String] = []
        let kept = ClassificationData.withoutContradictoryLongTexts(rows, skipped: &skipped)
        #expect(kept.count == rows.count)
        #expect(skipped.isEmpty)
    }
}
