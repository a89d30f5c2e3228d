import Foundation

/// A chapter model of its own, fitted discriminatively: a multinomial logistic regression over the
/// examples' TF-IDF vectors (the same hashed buckets as the queries), one weight vector and bias per
/// chapter. The centroids and the neighbours say how much a text reads like a chapter's tariff text
/// or examples; this one is fitted to tell the chapters apart, so a word common in every chapter's
/// prose ("plastic", "steel", "used") weighs little, and one that decides the chapter weighs much.
/// Most wrong rulings were in another chapter (issue #19's error study).
public struct ChapterModel: Sendable, Equatable {
    /// Per chapter (by position in `ClassifierModel.chapterCodes`), its bias and its weights, the
    /// largest in magnitude kept (`fit`'s `limit`).
    public var biases: [Float]
    public var weights: [SparseVector]

    public init(biases: [Float], weights: [SparseVector]) {
        self.biases = biases; self.weights = weights
    }

    /// Each chapter's probability for a query vector, given the chapter weights' index (one part).
    func probabilities(_ q: SparseVector, index: StackedIndex) -> [Float] {
        probabilities(scores: index.scores(q)[0])
    }

    /// Each chapter's probability from the query's scores against the chapters' weights.
    func probabilities(scores: [Float]) -> [Float] {
        var z = scores
        guard z.count == biases.count else { return [] }
        var m = -Float.infinity
        for c in z.indices { z[c] += biases[c]; m = max(m, z[c]) }
        var total: Float = 0
        for c in z.indices { z[c] = exp(z[c] - m); total += z[c] }
        for c in z.indices { z[c] /= total }
        return z
    }

    /// Fitted by stochastic gradient descent on the softmax log-loss, rows in a fixed shuffled
    /// order, the step falling each epoch; `rowWeights` scale a row's gradient (weak labels less;
    /// 0 leaves a row out). The weights are dense while fitting (buckets × chapters, feature-major
    /// so a row's update is a run of contiguous floats), then each chapter keeps its `limit`
    /// largest in magnitude. The fit is bound by reading those runs from memory (eight-float
    /// vector lanes were no faster).
    static func fit(vectors: [SparseVector], chapters: [Int32], rowWeights: [Float], chapterCount: Int,
                    epochs: Int = 6, rate: Float = 3, limit: Int = 4000) -> ChapterModel {
        let c = chapterCount
        let rows = vectors.indices.filter { chapters[$0] >= 0 && Int(chapters[$0]) < c && !vectors[$0].isEmpty && rowWeights[$0] > 0 }
        guard c > 1, !rows.isEmpty else { return ChapterModel(biases: [Float](repeating: 0, count: c), weights: [SparseVector](repeating: SparseVector(), count: c)) }
        let fitted = SoftmaxRegression.fit(vectors: vectors, labels: chapters, rowWeights: rowWeights, rows: rows, classes: c,
                                           features: FeatureHasher.dimension, epochs: epochs, rate: rate)
        return ChapterModel(biases: fitted.biases, weights: fitted.strongest(limit: limit))
    }
}

/// A multinomial logistic regression fitted by stochastic gradient descent on the softmax
/// log-loss, rows in a fixed shuffled order, the step falling each epoch (`rate / (1 + epoch)`);
/// `rowWeights` scale a row's gradient. The weights are dense while fitting (features × classes,
/// feature-major so a row's update is a run of contiguous floats). Shared by the chapter model
/// (every hashed bucket, 97 chapters) and the heading model (each chapter's own buckets and headings).
struct SoftmaxRegression {
    let classes: Int
    var weights: [Float]
    var biases: [Float]
    /// Features some fitted row holds (the others' weights stay 0).
    var touched: [Bool]

    /// `rows`: the rows to fit (positions in `vectors`), each with a label in 0..<classes and
    /// indices in 0..<features.
    static func fit(vectors: [SparseVector], labels: [Int32], rowWeights: [Float], rows: [Int], classes c: Int, features: Int,
                    epochs: Int, rate: Float) -> SoftmaxRegression {
        var w = [Float](repeating: 0, count: features * c)
        var b = [Float](repeating: 0, count: c)
        var touched = [Bool](repeating: false, count: features)
        let order = fixedShuffle(rows)
        var z = [Float](repeating: 0, count: c)
        w.withUnsafeMutableBufferPointer { w in
            b.withUnsafeMutableBufferPointer { b in
                z.withUnsafeMutableBufferPointer { z in
                    for epoch in 0..<epochs {
                        let step = rate / Float(1 + epoch)
                        for r in order {
                            let v = vectors[r], y = Int(labels[r])
                            for k in 0..<c { z[k] = b[k] }
                            for k in 0..<v.count {
                                let base = Int(v.indices[k]) * c, x = v.values[k]
                                for j in 0..<c { z[j] += x * w[base + j] }
                            }
                            var m = -Float.infinity
                            for k in 0..<c where z[k] > m { m = z[k] }
                            var total: Float = 0
                            for k in 0..<c { z[k] = exp(z[k] - m); total += z[k] }
                            // z becomes the gradient of the loss in the logits, times the step.
                            let scale = step * rowWeights[r]
                            for k in 0..<c { z[k] = scale * (z[k] / total - (k == y ? 1 : 0)) }
                            for k in 0..<c { b[k] -= z[k] }
                            for k in 0..<v.count {
                                let i = Int(v.indices[k]), base = i * c, x = v.values[k]
                                touched[i] = true
                                for j in 0..<c { w[base + j] -= x * z[j] }
                            }
                        }
                    }
                }
            }
        }
        return SoftmaxRegression(classes: c, weights: w, biases: b, touched: touched)
    }

    /// A fixed shuffle (a linear congruential generator): the same model on every run.
    static func fixedShuffle(_ rows: [Int]) -> [Int] {
        var order = rows
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        return order
    }

    /// Each class's weights, the `limit` largest in magnitude kept (the lower feature first among
    /// equal magnitudes), as a vector over `bucketOf` (a feature's hashed bucket, increasing with
    /// the feature; nil: the feature is the bucket). The cut is found by selection, not by sorting
    /// every weight: sorting 97 chapters' weights over every bucket was a fifth of a first start's
    /// training (issue #19, session 34); the same weights are kept.
    func strongest(limit: Int, bucketOf: [UInt32]? = nil) -> [SparseVector] {
        let c = classes
        let used = touched.indices.filter { touched[$0] }
        var out: [SparseVector] = []
        out.reserveCapacity(c)
        var features: [Int] = [], values: [Float] = [], magnitudes: [Float] = []
        for j in 0..<c {
            features.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            for i in used {
                let v = weights[i * c + j]
                if v != 0 { features.append(i); values.append(v) }
            }
            var indices: [UInt32], kept: [Float]
            if features.count > limit, limit > 0 {
                magnitudes.removeAll(keepingCapacity: true)
                for v in values { magnitudes.append(abs(v)) }
                let cut = Self.largest(limit, of: &magnitudes)
                // Above the cut all stay; at the cut, the lowest features until `limit` are kept.
                var atCut = limit
                for v in values where abs(v) > cut { atCut -= 1 }
                indices = []; kept = []
                indices.reserveCapacity(limit); kept.reserveCapacity(limit)
                for k in features.indices {
                    let m = abs(values[k])
                    guard m > cut || (m == cut && atCut > 0) else { continue }
                    if m == cut { atCut -= 1 }
                    indices.append(UInt32(features[k])); kept.append(values[k])
                }
            } else {
                indices = features.prefix(max(0, limit)).map { UInt32($0) }
                kept = Array(values.prefix(max(0, limit)))
            }
            out.append(SparseVector(indices: bucketOf.map { b in indices.map { b[Int($0)] } } ?? indices, values: kept))
        }
        return out
    }

    /// The `k`-th largest of `values` (1: the largest), by selection (the array is reordered).
    static func largest(_ k: Int, of values: inout [Float]) -> Float {
        precondition(k >= 1 && k <= values.count)
        let target = k - 1
        return values.withUnsafeMutableBufferPointer { a -> Float in
            var lo = 0, hi = a.count - 1
            while lo < hi {
                let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi]
                let pivot = max(min(x, y), min(max(x, y), z))
                // Three parts, in descending order: above the pivot, equal to it, below it.
                var above = lo, i = lo, below = hi
                while i <= below {
                    if a[i] > pivot { a.swapAt(above, i); above += 1; i += 1 }
                    else if a[i] < pivot { a.swapAt(i, below); below -= 1 }
                    else { i += 1 }
                }
                if target < above { hi = above - 1 } else if target <= below { return pivot } else { lo = below + 1 }
            }
            return a[lo]
        }
    }
}

extension Classifier {
    /// The memory rows as the chapter and heading models read them (pruned and normalised as a
    /// query is), and each row's chapter and heading positions.
    func chapterModelRows() -> (vectors: [SparseVector], chapters: [Int32], headings: [Int32]) {
        (memoryVectors.map { $0.pruned(to: Self.queryFeatureLimit).normalized() }, memoryLabels.map { chapterOf[Int($0)] },
         memoryLabels.map { headingOf[Int($0)] })
    }
}
