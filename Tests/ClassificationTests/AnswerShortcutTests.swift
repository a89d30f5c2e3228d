@testable import Classification
import Foundation
import Testing

/// Speed cuts in building an answer that must leave it exactly as it was (issue #19): each is
/// checked against the construction it replaced, on the fixture model.
@Suite struct AnswerShortcutTests {
    static let texts = [
        "men's knitted cotton t-shirt, short sleeves", "women's woven trousers of synthetic fibres", "stainless steel kitchen knife",
        "lipstick", "girls' dress, knitted, of man-made fibres", "scissors", "babies' garments of wool",
        String(repeating: "The article is a pullover for women, knitted of 80 % cotton and 20 % polyester, with long sleeves. ", count: 8),
    ]

    /// The evidence's bit filter over the query's buckets, folded into 4 KB, names the same words
    /// with the same tariff lines and examples as the whole bucket space (nothing folded) and as
    /// one word (every bucket passes to the binary search).
    @Test func evidenceWithTheFoldedFilterIsTheWholeSpaceOne() throws {
        let classifier = try Fixture.classifier()
        var withWords = 0
        for text in Self.texts + ["cotton", "steel", "nail polish remover in bottles of 100 ml"] {
            let s = classifier.score(text, weights: classifier.model.weights)
            guard let top = s.candidates.first else { continue }
            let folded = classifier.evidence(for: top, scored: s)
            #expect(folded == classifier.evidence(for: top, scored: s, filterWords: FeatureHasher.dimension / 64), "\(text.prefix(40))")
            #expect(folded == classifier.evidence(for: top, scored: s, filterWords: 1), "\(text.prefix(40))")
            if folded.contains(where: { $0.kind == .words }) { withWords += 1 }
        }
        try #require(withWords > 5)
    }

    /// Without a person's correction in the memory the look-ups of one are skipped; once one is
    /// learned, the same text gets it.
    @Test func aCorrectionIsFoundOnceOneIsLearned() throws {
        var classifier = try Fixture.classifier()
        let text = "ceramic kitchen knife with a wooden handle"
        let before = classifier.classify(ClassificationRequest(description: text, destination: "US"))
        #expect(before.evidence.allSatisfy { $0.confirmedBy == nil })
        try classifier.learn(Correction(description: text, hs6: "821192", nationalCode: "8211920000", confirmedBy: "alice", confirmedAt: "2026-12-07T05:00:00Z"))
        let after = classifier.classify(ClassificationRequest(description: text, destination: "US"))
        #expect(after.hs6 == "821192" && after.confidence == 1 && !after.review)
        #expect(after.evidence.first?.confirmedBy == "alice")
    }

    /// Lines of the same text (a tariff repeats "Mechanically operated centrifugal clutch…" under
    /// two codes) rank as equals to the last bit, so the evidence shows the lower code in every
    /// run; their words' order once followed each set's own hash seed, and the sums' last bits with it.
    @Test func linesOfTheSameTextTieExactly() throws {
        let classifier = try Fixture.classifier()
        let model = classifier.model
        let text = "Of cotton > Knitted or crocheted > Pullovers, cardigans, waistcoats and similar articles, for men or boys, with long sleeves, other than of wool"
        let lines = (0..<40).map { k in
            LineTokens(TariffLine(code: "611020\(String(1000 + k))", hs6: "611020", text: text, declarable: true),
                       normalizer: model.normalizer, idf: model.idf)
        }
        try #require(lines[0].distinct.count > 10)
        let query = Set(model.normalizer.tokens("men's knitted cotton pullover with long sleeves and a zip, for boys"))
        let norm = classifier.squaredNorm(query)
        let first = classifier.overlap(query, queryNorm: norm, lines[0])
        #expect(first > 0)
        for line in lines {
            #expect(line.distinct == lines[0].distinct)
            #expect(classifier.overlap(query, queryNorm: norm, line).bitPattern == first.bitPattern)
        }
    }
}
