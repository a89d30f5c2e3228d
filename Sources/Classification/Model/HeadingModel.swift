import Foundation

/// A heading model beside the chapter model (`ChapterModel`): within each chapter, a multinomial
/// logistic regression over the chapter's headings, fitted on the chapter's examples' TF-IDF
/// vectors. With the chapter model's P(chapter) it gives each heading
/// P(heading) = P(chapter) · P(heading | chapter), a softmax over the 1,228 headings factored by
/// chapter. A flat fit would need a dense table of 262,144 buckets × 1,228 headings (1.3 GB) and
/// every row would update all of it; factored, a chapter's fit reads only its own rows, the
/// buckets they hold and its own headings (at most 87), so the table is small and the fit cheaper
/// than the chapter model's. The chapter model tells the chapters apart; this one tells apart the
/// headings the chapter's prose shares its words with (a part against the whole machine, knitted
/// against woven).
public struct HeadingModel: Sendable, Equatable {
    /// Per heading (by position in `ClassifierModel.headingCodes`), its bias and its weights, the
    /// largest in magnitude kept (`fit`'s `limit`).
    public var biases: [Float]
    public var weights: [SparseVector]

    public init(biases: [Float], weights: [SparseVector]) {
        self.biases = biases; self.weights = weights
    }

    /// Each heading's probability within its chapter for a query vector, given the heading
    /// weights' index (one part) and each chapter's headings; a chapter's probabilities sum to 1.
    func conditionalProbabilities(_ q: SparseVector, index: StackedIndex, headingsOfChapter: [[Int32]]) -> [Float] {
        var z = index.scores(q)[0]
        guard z.count == biases.count else { return [] }
        for headings in headingsOfChapter { normalise(&z, headings: headings) }
        return z
    }

    /// One chapter's headings' scores in `z` (the query's against the headings' weights, by
    /// heading) made their probabilities within the chapter, the other headings' left as they are:
    /// a query needs only its candidates' chapters.
    func normalise(_ z: inout [Float], headings: [Int32]) {
        guard !headings.isEmpty, z.count == biases.count else { return }
        var m = -Float.infinity
        for h in headings { z[Int(h)] += biases[Int(h)]; m = max(m, z[Int(h)]) }
        var total: Float = 0
        for h in headings { z[Int(h)] = exp(z[Int(h)] - m); total += z[Int(h)] }
        for h in headings { z[Int(h)] /= total }
    }

    /// Fitted per chapter on the rows of that chapter's headings (`SoftmaxRegression`, the chapter
    /// model's fit): the chapter's buckets numbered in increasing order, a dense table of those ×
    /// its headings. `rowWeights` scale a row's gradient (weak labels less; 0 leaves a row out). A
    /// chapter of one heading has nothing to fit (its probability is 1). Each heading keeps its
    /// `limit` largest weights in magnitude.
    static func fit(vectors: [SparseVector], headings: [Int32], rowWeights: [Float], headingsOfChapter: [[Int32]],
                    epochs: Int = 6, rate: Float = 3, limit: Int = 1000) -> HeadingModel {
        let headingCount = headingsOfChapter.reduce(0) { $0 + $1.count }
        var biases = [Float](repeating: 0, count: headingCount)
        var weights = [SparseVector](repeating: SparseVector(), count: headingCount)
        // Per heading, its chapter and its place among the chapter's headings.
        var chapterOf = [Int](repeating: -1, count: headingCount), placeOf = [Int32](repeating: -1, count: headingCount)
        for (c, hs) in headingsOfChapter.enumerated() {
            for (k, h) in hs.enumerated() where Int(h) < headingCount { chapterOf[Int(h)] = c; placeOf[Int(h)] = Int32(k) }
        }
        var rowsOfChapter = [[Int]](repeating: [], count: headingsOfChapter.count)
        for r in vectors.indices {
            let h = Int(headings[r])
            guard h >= 0, h < headingCount, chapterOf[h] >= 0, !vectors[r].isEmpty, rowWeights[r] > 0 else { continue }
            rowsOfChapter[chapterOf[h]].append(r)
        }
        // A bucket's number within the chapter being fitted (-1: none), reset after each chapter.
        var local = [Int32](repeating: -1, count: FeatureHasher.dimension)
        for (c, hs) in headingsOfChapter.enumerated() where hs.count > 1 && !rowsOfChapter[c].isEmpty {
            let rows = rowsOfChapter[c]
            var buckets = Set<UInt32>()
            for r in rows { buckets.formUnion(vectors[r].indices) }
            let bucketOf = buckets.sorted()
            for (k, b) in bucketOf.enumerated() { local[Int(b)] = Int32(k) }
            // The chapter's rows renumbered (indices stay increasing, as the buckets are numbered in order).
            var localVectors: [SparseVector] = [], labels: [Int32] = [], localWeights: [Float] = []
            localVectors.reserveCapacity(rows.count)
            for r in rows {
                localVectors.append(SparseVector(indices: vectors[r].indices.map { UInt32(local[Int($0)]) }, values: vectors[r].values))
                labels.append(placeOf[Int(headings[r])])
                localWeights.append(rowWeights[r])
            }
            for b in bucketOf { local[Int(b)] = -1 }
            let fitted = SoftmaxRegression.fit(vectors: localVectors, labels: labels, rowWeights: localWeights, rows: Array(rows.indices),
                                               classes: hs.count, features: bucketOf.count, epochs: epochs, rate: rate)
            let kept = fitted.strongest(limit: limit, bucketOf: bucketOf)
            for (k, h) in hs.enumerated() { biases[Int(h)] = fitted.biases[k]; weights[Int(h)] = kept[k] }
        }
        return HeadingModel(biases: biases, weights: weights)
    }
}
