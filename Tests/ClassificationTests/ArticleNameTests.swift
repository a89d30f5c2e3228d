@testable import Classification
import Testing

/// A long description's first clause names the article, and its query weighs that name more than
/// the materials, ingredients and host articles the rest of the prose goes on about (issue #19).
@Suite struct ArticleNameTests {
    @Test(arguments: [
        ("An oil seal with - according to specifications - the following properties", "An oil seal"),
        ("Cornichons, prepared or preserved with vinegar or acetic acid", "Cornichons"),
        ("Rapeseed oil with low erucic acid content. Yellow oily liquid.", "Rapeseed oil"),
        ("Mugs WITH handles; stoneware", "Mugs"),
        ("A 2.5 mm steel wire; galvanised", "A 2.5 mm steel wire"),
        ("Console table - walnut legs", "Console table"),
        ("A handbag without straps: leather", "A handbag without straps"),
        ("A lamp (LED)", "A lamp"),
    ])
    func theFirstClauseIsTheName(text: String, name: String) {
        #expect(ArticleName.firstClause(text) == name)
    }

    @Test(arguments: ["Bolt", ", a leading comma", "wire-rope", "Mugs with"])
    func noNameWhenTheClauseIsEmptyOrTheWholeText(text: String) {
        #expect(ArticleName.firstClause(text) == nil)
    }

    @Test func mixingWeighsBothVectorsByTheirShares() {
        let a = SparseVector(indices: [1, 4, 9], values: [1, 2, 3]), b = SparseVector(indices: [4, 7], values: [10, 20])
        let m = a.mixed(with: b, share: 0.25)
        #expect(m.indices == [1, 4, 7, 9])
        #expect(m.values == [0.75, 1.5 + 2.5, 5, 2.25])
    }

    @Test func aLongTextsQueryWeighsItsArticleNameMore() throws {
        let classifier = try Fixture.classifier()
        let text = "A bolt with a hexagonal head, made of stainless steel, for use in the engine of a motor vehicle, threaded over its whole length, 12 mm"
        let tokens = classifier.normalizer.tokens(text)
        #expect(TextKind.of(tokenCount: tokens.count) == .long)
        let whole = classifier.model.vectorize(tokens)
        let query = classifier.unprunedQuery(focused: text, tokens: tokens)
        let name = FeatureHasher.bucket("bolt", seed: 1), other = FeatureHasher.bucket("vehicle", seed: 1)
        try #require(whole.value(at: name) > 0 && whole.value(at: other) > 0)
        #expect(query.value(at: name) / query.value(at: other) > whole.value(at: name) / whole.value(at: other))
    }

    @Test func aShortTextsQueryIsItsVector() throws {
        let classifier = try Fixture.classifier()
        let text = "steel bolt, 12 mm, for cars"
        let tokens = classifier.normalizer.tokens(text)
        #expect(TextKind.of(tokenCount: tokens.count) == .short)
        let whole = classifier.model.vectorize(tokens), query = classifier.unprunedQuery(focused: text, tokens: tokens)
        #expect(query.indices == whole.indices)
        #expect(query.values.map(\.bitPattern) == whole.values.map(\.bitPattern))
    }
}

/// The ranker's evidence from a long text's article name alone, and from every example of a
/// candidate's chapter (issue #19: most wrong rulings are in another chapter, many because the
/// prose's materials and uses outweigh what the article is).
@Suite struct ArticleNameFeatureTests {
    static let ruling = "A kitchen knife with a fixed blade of stainless steel and a handle of moulded plastics, for cutting vegetables, "
        + "meat and bread in a household kitchen; it is put up in a cardboard box with a sheath of plastics"

    @Test func aLongTextsNameIsScoredAgainstEachCandidatesTariffText() throws {
        let c = try Fixture.classifier()
        let tokens = c.normalizer.tokens(GoodsText.focus(Self.ruling))
        let nameTokens = try #require(c.articleNameTokens(focused: GoodsText.focus(Self.ruling), tokens: tokens))
        #expect(nameTokens.contains("knife"))
        let name = c.model.vectorize(nameTokens).normalized()
        let s = c.score(Self.ruling, weights: c.model.weights)
        #expect(s.kind == .long)
        for f in s.candidates {
            #expect(abs(f.nameSubheading - Double(name.dot(c.model.subheadingCentroids[Int(f.hs6)]))) < 1e-5)
            #expect(abs(f.nameHeading - Double(name.dot(c.model.headingCentroids[Int(f.headingIndex)]))) < 1e-5)
        }
        // A heading of knives (8211, or 8208's blades) reads most like "kitchen knife"; the plastics and steel of the prose
        // do not count here.
        let best = try #require(s.candidates.max { $0.nameHeading < $1.nameHeading })
        #expect(["8208", "8211"].contains(c.model.headingCodes[Int(best.headingIndex)]))
    }

    @Test func aShortTextOrOneWithoutANameHasNoNameEvidence() throws {
        let c = try Fixture.classifier()
        // Its first clause is a sentence of more than twelve words, not a name.
        let nameless = "The article under consideration in the ruling request submitted by the importer on behalf of its client is a kitchen knife, "
            + "with a fixed stainless steel blade, a moulded handle of plastics and a sheath, for cutting vegetables and meat in a household kitchen"
        for text in ["stainless steel kitchen knife", nameless] {
            let s = c.score(text, weights: c.model.weights)
            #expect(!s.candidates.isEmpty)
            #expect(s.candidates.allSatisfy { $0.nameSubheading == 0 && $0.nameHeading == 0 })
        }
    }

    @Test func eachChapterWithExamplesHasTheirCentroidAndItsCandidatesShareIt() throws {
        let c = try Fixture.classifier()
        for label in Set(c.memoryLabels) { #expect(c.exampleCentroidOfChapter[Int(c.chapterOf[Int(label)])] >= 0) }
        let s = c.score(Self.ruling, weights: c.model.weights)
        let byChapter = Dictionary(grouping: s.candidates, by: \.chapterIndex)
        for (chapter, candidates) in byChapter where chapter >= 0 {
            #expect(Set(candidates.map(\.chapterExamples)).count == 1)
        }
        let knives = try #require(s.candidates.first { c.model.subheadingCodes[Int($0.hs6)].hasPrefix("82") })
        #expect(knives.chapterExamples > 0)
        #expect(knives.chapterExamples >= s.candidates.map(\.chapterExamples).max()! - 1e-9)
    }
}
