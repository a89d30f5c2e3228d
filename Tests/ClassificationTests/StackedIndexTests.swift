@testable import Classification
import Testing

/// The classifier's indexes share one posting table; every similarity must still be the very
/// float a dot product gives (both sum the products in ascending feature order), part by part.
@Suite struct StackedIndexTests {
    /// A seeded linear congruential generator: the same vectors on every run.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func vector(buckets: Int, maxCount: Int) -> SparseVector {
            var pairs: [(UInt32, Float)] = []
            for _ in 0..<next(maxCount + 1) { pairs.append((UInt32(next(buckets)), Float(next(10_000) + 1) / 997)) }
            return SparseVector(unsorted: pairs).normalized()
        }
    }

    @Test func eachPartScoresAsADotProductAndAsAnIndexOfItsOwn() {
        var g = Seeded(state: 7)
        // Few buckets, so that every part has postings in the buckets a query has; one part empty.
        let groups: [[SparseVector]] = [40, 0, 3, 250, 17].map { n in (0..<n).map { _ in g.vector(buckets: 64, maxCount: 30) } }
        let stacked = StackedIndex(groups)
        #expect(stacked.documents == [40, 0, 3, 250, 17])
        let alone = groups.map { StackedIndex([$0]) }
        for _ in 0..<50 {
            let q = g.vector(buckets: 80, maxCount: 40)
            let scores = stacked.scores(q)
            for (p, vectors) in groups.enumerated() {
                let own = alone[p].scores(q)[0]
                #expect(scores[p].count == vectors.count)
                for (d, v) in vectors.enumerated() {
                    #expect(scores[p][d].bitPattern == q.dot(v).bitPattern)
                    #expect(own[d].bitPattern == scores[p][d].bitPattern)
                }
            }
        }
    }

    /// Six-byte postings while every part's documents number in 16 bits, eight-byte ones past that;
    /// both give each document the dot product's float, the last document of a 65,536 part included.
    @Test func postingsOfSixAndEightBytesScoreAsDotProducts() {
        var g = Seeded(state: 19)
        let ones = SparseVector(indices: [3, 9], values: [0.6, 0.8])
        for size in [StackedIndex.compactDocuments, StackedIndex.compactDocuments + 1] {
            // Mostly empty documents; a few scattered ones and the last hold postings.
            var vectors = [SparseVector](repeating: SparseVector(), count: size)
            for _ in 0..<200 { vectors[g.next(size)] = g.vector(buckets: 16, maxCount: 8) }
            vectors[size - 1] = ones
            let index = StackedIndex([vectors, (0..<7).map { _ in g.vector(buckets: 16, maxCount: 8) }])
            #expect(index.compact.isEmpty == (size > StackedIndex.compactDocuments))
            #expect(index.postings.isEmpty == (size <= StackedIndex.compactDocuments))
            for _ in 0..<5 {
                let q = g.vector(buckets: 16, maxCount: 12)
                let scores = index.scores(q)
                #expect(scores[0][size - 1].bitPattern == q.dot(ones).bitPattern)
                for (d, v) in vectors.enumerated() where !v.isEmpty { #expect(scores[0][d].bitPattern == q.dot(v).bitPattern) }
            }
        }
    }

    @Test func theClassifiersCentroidsAndMemoryScoreAsDotProducts() throws {
        let c = try Fixture.classifier()
        let q = c.model.vectorize(c.normalizer.tokens("men's knitted cotton t-shirt, short sleeves")).pruned(to: Classifier.queryFeatureLimit).normalized()
        #expect(!q.isEmpty)
        let scores = c.fixedIndex.scores(q)
        let parts: [(Classifier.Part, [SparseVector])] = [
            (.subheadings, c.model.subheadingCentroids), (.headings, c.model.headingCentroids), (.chapters, c.model.chapterCentroids),
            (.memory, c.memoryVectors),
        ]
        for (part, vectors) in parts {
            #expect(vectors.count > 0)
            #expect(scores[part.rawValue].map(\.bitPattern) == vectors.map { q.dot($0).bitPattern })
        }
    }
}
