@_spi(RankerStudy) @testable import Classification
import Testing

@Suite struct RankerStudyTests {
    /// The study's pool is what `classify` ranks: the same order and probabilities, every
    /// candidate with one value per ranker feature.
    @Test func theRankedPoolIsTheAnswersPoolWithItsFeatures() throws {
        let c = try Fixture.classifier()
        let text = "Men's short sleeve t-shirt, 100% cotton, knitted"
        let pool = c.rankedPool(text)
        let answer = c.classify(ClassificationRequest(description: text), top: 1000)
        try #require(pool.count > 5)
        #expect(pool.map(\.hs6) == answer.candidates.map(\.hs6))
        #expect(zip(pool, answer.candidates).allSatisfy { abs($0.probability - $1.score) <= 0.0005 })
        #expect(pool.allSatisfy { $0.features.count == Classifier.rankerFeatureNames.count })
        #expect(pool.contains { $0.features.contains { $0 != 0 } })
    }
}
