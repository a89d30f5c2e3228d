@testable import Classification
import Foundation
import Testing

/// The discriminative chapter model (issue #19): a multinomial logistic regression over the
/// examples' TF-IDF vectors whose chapter probability the ranker reads.
@Suite struct ChapterModelTests {
    /// Three chapters, each with words of its own and one word shared by all (a material every
    /// chapter's prose names).
    static func rows() -> (vectors: [SparseVector], chapters: [Int32]) {
        var vectors: [SparseVector] = [], chapters: [Int32] = []
        for chapter in 0..<3 {
            for k in 0..<12 {
                let own = UInt32(100 * (chapter + 1) + k % 4), shared: UInt32 = 7
                vectors.append(SparseVector(unsorted: [(own, 1), (own + 50, 0.5), (shared, 1)]).normalized())
                chapters.append(Int32(chapter))
            }
        }
        return (vectors, chapters)
    }

    @Test func aFittedModelReadsEachChaptersOwnWordsAndLittleOfAWordEveryChapterShares() throws {
        let (vectors, chapters) = Self.rows()
        let model = ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: [Float](repeating: 1, count: vectors.count),
                                     chapterCount: 3, epochs: 6, rate: 3)
        let index = StackedIndex([model.weights])
        for chapter in 0..<3 {
            let q = SparseVector(unsorted: [(UInt32(100 * (chapter + 1) + 1), 1)])
            let p = model.probabilities(q, index: index)
            #expect(p.count == 3)
            #expect(abs(p.reduce(0, +) - 1) < 1e-5)
            #expect(p.indices.max { p[$0] < p[$1] } == chapter, "\(p)")
            #expect(p[chapter] > 0.8, "\(p)")
        }
        // The shared word tells the chapters apart no better than nothing.
        let shared = model.probabilities(SparseVector(unsorted: [(7, 1)]), index: index)
        #expect(shared.allSatisfy { abs($0 - 1.0 / 3) < 0.05 }, "\(shared)")
        // The same rows, the same model.
        #expect(model == ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: [Float](repeating: 1, count: vectors.count),
                                          chapterCount: 3, epochs: 6, rate: 3))
    }

    @Test func aRowOfWeightZeroIsLeftOutAndEachChapterKeepsItsLargestWeights() {
        var (vectors, chapters) = Self.rows()
        let weights = [Float](repeating: 1, count: vectors.count)
        let without = ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: weights, chapterCount: 3)
        vectors.append(SparseVector(unsorted: [(9_999, 1)]))
        chapters.append(1)
        let withZero = ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: weights + [0], chapterCount: 3)
        #expect(withZero == without)
        let full = ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: weights + [1], chapterCount: 3)
        #expect(full.weights[1].value(at: 9_999) > 0)
        let pruned = ChapterModel.fit(vectors: vectors, chapters: chapters, rowWeights: weights + [1], chapterCount: 3, limit: 5)
        for (kept, all) in zip(pruned.weights, full.weights) {
            #expect(kept.count == 5)
            let smallestKept = kept.values.map(abs).min() ?? 0
            let dropped = all.indices.indices.filter { kept.value(at: all.indices[$0]) == 0 }.map { abs(all.values[$0]) }
            #expect(dropped.allSatisfy { $0 <= smallestKept })
        }
    }

    @Test func aTrainedClassifierGivesEachCandidateItsChaptersProbability() throws {
        let c = try Fixture.classifier()
        let chapterModel = try #require(c.model.chapterModel)
        #expect(chapterModel.weights.count == c.model.chapterCodes.count)
        let s = c.score(ArticleNameFeatureTests.ruling, weights: c.model.weights)
        let byChapter = Dictionary(grouping: s.candidates, by: \.chapterIndex)
        for candidates in byChapter.values { #expect(Set(candidates.map(\.chapterModel)).count == 1) }
        let total = byChapter.values.compactMap(\.first).map(\.chapterModel).reduce(0, +)
        #expect(total <= 1 + 1e-6)
        // On a plain title of the fixture's goods the knives' chapter is the likeliest. (The long ruling's plastics,
        // packaging and kitchen pull towards the fixture's two other chapters: alone the model is a weak reader, a feature.)
        let title = c.score("stainless steel kitchen knife", weights: c.model.weights)
        let best = try #require(title.candidates.max { $0.chapterModel < $1.chapterModel })
        #expect(c.model.chapterCodes[Int(best.chapterIndex)] == "82")
        #expect(s.candidates.allSatisfy { abs($0.chapterModelLog - (log($0.chapterModel + 1e-4) / log(1e4) + 1)) < 1e-9 })
    }

    @Test func theArtefactKeepsTheChapterModelAndFormatNineStillLoadsWithout() throws {
        let m = try Fixture.model()
        let chapterModel = try #require(m.chapterModel)
        let bytes = ModelCodec.encode(m)
        let back = try ModelCodec.decode(bytes)
        #expect(back.chapterModel == chapterModel)
        // Format 9: the same bytes without the closing heading and chapter sections, with the format number 9.
        var old = Array(bytes.dropLast(ModelCodec.headingSectionBytes(m) + ModelCodec.chapterSectionBytes(m)))
        let at = Array("CHHSCLS".utf8).count
        try #require(old[at] == 11)
        old[at] = 9
        let nine = try ModelCodec.decode(old)
        #expect(nine.chapterModel == nil)
        let req = ClassificationRequest(description: "stainless steel kitchen knife")
        let answer = Classifier(model: nine).classify(req)
        #expect(answer.hs6 != nil)
        #expect(Classifier(model: nine).score(req.description, weights: nine.weights).candidates.allSatisfy { $0.chapterModel == 0 })
    }
}

extension ModelCodec {
    /// Bytes of format 10's closing section: the chapter count, then each chapter's bias and
    /// weights (a count, then indices and values), or the count 0 alone.
    static func chapterSectionBytes(_ m: ClassifierModel) -> Int {
        m.chapterModel.map { 4 + $0.weights.reduce(0) { $0 + 8 + 8 * $1.count } } ?? 4
    }
}
