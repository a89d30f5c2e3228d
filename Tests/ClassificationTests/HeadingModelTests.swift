@testable import Classification
import Foundation
import Testing

/// The heading model within each chapter (issue #19): a multinomial logistic regression over each
/// chapter's headings whose probability, times the chapter model's, the ranker reads.
@Suite struct HeadingModelTests {
    /// Chapter 0 holds headings 0, 1 and 2, each with words of its own and one word all three
    /// share; chapter 1 holds heading 3 alone.
    static let headingsOfChapter: [[Int32]] = [[0, 1, 2], [3]]

    static func rows() -> (vectors: [SparseVector], headings: [Int32]) {
        var vectors: [SparseVector] = [], headings: [Int32] = []
        for heading in 0..<4 {
            for k in 0..<12 {
                let own = UInt32(100 * (heading + 1) + k % 4), shared: UInt32 = 7
                vectors.append(SparseVector(unsorted: [(own, 1), (own + 50, 0.5), (shared, 1)]).normalized())
                headings.append(Int32(heading))
            }
        }
        return (vectors, headings)
    }

    static func fit(_ vectors: [SparseVector], _ headings: [Int32], weights: [Float]? = nil, limit: Int = 1000) -> HeadingModel {
        HeadingModel.fit(vectors: vectors, headings: headings, rowWeights: weights ?? [Float](repeating: 1, count: vectors.count),
                         headingsOfChapter: headingsOfChapter, limit: limit)
    }

    @Test func aFittedModelReadsEachHeadingsOwnWordsWithinItsChapter() throws {
        let (vectors, headings) = Self.rows()
        let model = Self.fit(vectors, headings)
        #expect(model.weights.count == 4 && model.biases.count == 4)
        let index = StackedIndex([model.weights])
        for heading in 0..<3 {
            let p = model.conditionalProbabilities(SparseVector(unsorted: [(UInt32(100 * (heading + 1) + 1), 1)]), index: index,
                                                   headingsOfChapter: Self.headingsOfChapter)
            #expect(p.count == 4)
            #expect(abs(p[0] + p[1] + p[2] - 1) < 1e-5, "\(p)")
            #expect(p[heading] > 0.8, "\(p)")
            // A chapter of one heading: that heading, whatever the text.
            #expect(abs(p[3] - 1) < 1e-6, "\(p)")
        }
        // The word the chapter's three headings share tells them apart no better than nothing.
        let shared = model.conditionalProbabilities(SparseVector(unsorted: [(7, 1)]), index: index, headingsOfChapter: Self.headingsOfChapter)
        #expect(shared.prefix(3).allSatisfy { abs($0 - 1.0 / 3) < 0.05 }, "\(shared)")
        // Nothing is fitted for a chapter of one heading, and the same rows give the same model.
        #expect(model.weights[3].isEmpty && model.biases[3] == 0)
        #expect(model == Self.fit(vectors, headings))
    }

    @Test func aChaptersFitReadsOnlyItsOwnRowsAndARowOfWeightZeroIsLeftOut() {
        var (vectors, headings) = Self.rows()
        let base = Self.fit(vectors, headings)
        // A row of heading 3 (chapter 1) changes nothing in chapter 0's headings.
        vectors.append(SparseVector(unsorted: [(101, 1), (9_999, 1)]).normalized())
        headings.append(3)
        let other = Self.fit(vectors, headings)
        #expect(Array(other.weights.prefix(3)) == Array(base.weights.prefix(3)) && Array(other.biases.prefix(3)) == Array(base.biases.prefix(3)))
        // A row of chapter 0 at weight 0 is left out; at weight 1 its word is heading 1's.
        headings[headings.count - 1] = 1
        let weights = [Float](repeating: 1, count: vectors.count - 1)
        #expect(Self.fit(vectors, headings, weights: weights + [0]) == base)
        let full = Self.fit(vectors, headings, weights: weights + [1])
        #expect(full.weights[1].value(at: 9_999) > 0 && full.weights[0].value(at: 9_999) < 0)
        // Each heading keeps its largest weights in magnitude.
        let pruned = Self.fit(vectors, headings, weights: weights + [1], limit: 5)
        for (kept, all) in zip(pruned.weights.prefix(3), full.weights.prefix(3)) {
            #expect(kept.count == 5)
            let smallestKept = kept.values.map(abs).min() ?? 0
            let dropped = all.indices.indices.filter { kept.value(at: all.indices[$0]) == 0 }.map { abs(all.values[$0]) }
            #expect(dropped.allSatisfy { $0 <= smallestKept })
        }
    }

    @Test func aTrainedClassifierGivesEachCandidateItsHeadingsProbability() throws {
        let c = try Fixture.classifier()
        let headingModel = try #require(c.model.headingModel)
        #expect(headingModel.weights.count == c.model.headingCodes.count)
        let s = c.score(ArticleNameFeatureTests.ruling, weights: c.model.weights)
        // Candidates of one heading share its probability, which is at most their chapter's.
        let byHeading = Dictionary(grouping: s.candidates, by: \.headingIndex)
        for candidates in byHeading.values {
            #expect(Set(candidates.map(\.headingModel)).count == 1)
            #expect(candidates.allSatisfy { $0.headingModel > 0 && $0.headingModel <= $0.chapterModel + 1e-9 })
        }
        #expect(byHeading.values.compactMap(\.first).map(\.headingModel).reduce(0, +) <= 1 + 1e-6)
        #expect(s.candidates.allSatisfy { abs($0.headingModelLog - (log($0.headingModel + 1e-6) / log(1e6) + 1)) < 1e-9 })
        // Within the knives' chapter, a kitchen knife is read as heading 8211 (knives with cutting blades).
        let title = c.score("stainless steel kitchen knife", weights: c.model.weights)
        let knives = title.candidates.filter { c.model.chapterCodes[Int($0.chapterIndex)] == "82" }
        let best = try #require(knives.max { $0.headingModel < $1.headingModel })
        #expect(c.model.headingCodes[Int(best.headingIndex)] == "8211", "\(knives.map { (c.model.headingCodes[Int($0.headingIndex)], $0.headingModel) })")
    }

    @Test func theConfidenceFeaturesEndWithTheModelsReadingsOfTheAnswer() throws {
        let c = try Fixture.classifier()
        let s = c.score("stainless steel kitchen knife", weights: c.model.weights)
        let top = try #require(s.candidates.first)
        let features = Classifier.calibrationFeatures(s)
        #expect(features.count == Calibrator.featureNames.count)
        let last = Array(features.suffix(Classifier.modelCalibrationFeatures))
        let likeliest = s.candidates.allSatisfy { $0.chapterModel <= top.chapterModel }
        #expect(last == [top.chapterModel, top.headingModel, likeliest ? 1 : 0])
        #expect(top.chapterModel > 0 && top.headingModel > 0)
        // Off by default: the trained confidence was fitted on zeros there, so the fixture's linear calibrator reads none of them.
        #expect(!TrainingOptions().confidenceModelFeatures)
        #expect(c.model.calibrator.weights.suffix(Classifier.modelCalibrationFeatures).allSatisfy { $0 == 0 })
    }

    @Test func theArtefactKeepsTheHeadingModelAndFormatTenStillLoadsWithout() throws {
        let m = try Fixture.model()
        let headingModel = try #require(m.headingModel)
        let bytes = ModelCodec.encode(m)
        let back = try ModelCodec.decode(bytes)
        #expect(back.headingModel == headingModel && back.chapterModel == m.chapterModel)
        // Format 10: the same bytes without the closing heading section, with the format number 10.
        var old = Array(bytes.dropLast(ModelCodec.headingSectionBytes(m)))
        let at = Array("CHHSCLS".utf8).count
        try #require(old[at] == 11)
        old[at] = 10
        let ten = try ModelCodec.decode(old)
        #expect(ten.headingModel == nil && ten.chapterModel == m.chapterModel)
        let req = ClassificationRequest(description: "stainless steel kitchen knife")
        #expect(Classifier(model: ten).classify(req).hs6 != nil)
        let s = Classifier(model: ten).score(req.description, weights: ten.weights)
        #expect(s.candidates.allSatisfy { $0.headingModel == 0 && $0.headingModelLog == 0 })
        #expect(s.candidates.contains { $0.chapterModel > 0 })
        // A heading model of another heading count is refused by name.
        var wrong = m
        wrong.headingModel = HeadingModel(biases: [0], weights: [SparseVector()])
        #expect(throws: ClassificationError.self) { _ = try ModelCodec.decode(ModelCodec.encode(wrong)) }
    }
}

extension ModelCodec {
    /// Bytes of format 11's closing section: the heading count, then each heading's bias and
    /// weights (a count, then indices and values), or the count 0 alone.
    static func headingSectionBytes(_ m: ClassifierModel) -> Int {
        m.headingModel.map { 4 + $0.weights.reduce(0) { $0 + 8 + 8 * $1.count } } ?? 4
    }
}

extension HeadingModelTests {
    /// A query normalises the heading model's scores only over its candidates' chapters, in one
    /// posting pass with the chapter model's: each candidate's features are the floats of the
    /// two models read apart, over every chapter.
    @Test func aQueryReadsTheModelsOnceAndOnlyItsCandidatesChaptersWithTheSameFloats() throws {
        let c = try Fixture.classifier()
        let chapterModel = try #require(c.model.chapterModel), headingModel = try #require(c.model.headingModel)
        #expect(c.modelIndex.parts == 2)
        let chapterIndex = StackedIndex([chapterModel.weights]), headingIndex = StackedIndex([headingModel.weights])
        for text in [ArticleNameFeatureTests.ruling, "stainless steel kitchen knife", "men's knitted cotton pullover", "shampoo"] {
            let s = c.score(text, weights: c.model.weights)
            let chapters = chapterModel.probabilities(s.query, index: chapterIndex)
            let headings = headingModel.conditionalProbabilities(s.query, index: headingIndex, headingsOfChapter: c.headingsOfChapter)
            #expect(!s.candidates.isEmpty)
            for f in s.candidates {
                let p = Double(chapters[Int(f.chapterIndex)])
                #expect(f.chapterModel == p)
                #expect(f.headingModel == p * Double(headings[Int(f.headingIndex)]))
            }
        }
    }
}
