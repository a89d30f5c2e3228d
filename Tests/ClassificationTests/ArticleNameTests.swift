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
