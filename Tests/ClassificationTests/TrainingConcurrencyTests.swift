@testable import Classification
import Foundation
import Testing

/// Training's independent pieces side by side (issue #19): a first start trains the classifier
/// before the hub answers, so the folds' fits, scoring, rankers and calibrations share the cores,
/// and the model must be the one a single thread makes, to the byte.
@Suite struct TrainingConcurrencyTests {
    @Test func piecesComeBackInIndexOrderWhateverTheThreads() {
        for threads in [1, 2, 3, 8] {
            for count in [0, 1, 2, 5, 13] {
                #expect(TrainingConcurrency.map(count, threads: threads) { $0 * $0 + 1 } == (0..<count).map { $0 * $0 + 1 })
            }
        }
    }

    @Test func theThreadsAreCappedByTheVariableElseTheCores() {
        let name = TrainingConcurrency.threadsVariable
        #expect(name == "CUSTOMS_HUB_TRAINING_THREADS")
        #expect(TrainingConcurrency.threads(environment: [:], cores: 6) == 6)
        #expect(TrainingConcurrency.threads(environment: [name: "1"], cores: 6) == 1)
        #expect(TrainingConcurrency.threads(environment: [name: " 3 "], cores: 2) == 3)
        #expect(TrainingConcurrency.threads(environment: [name: "0"], cores: 4) == 4)
        #expect(TrainingConcurrency.threads(environment: [name: "many"], cores: 4) == 4)
        #expect(TrainingConcurrency.threads(environment: [:], cores: 0) == 1)
    }

    @Test func theModelTrainedSideBySideIsTheOneThreadsModelByteForByte() throws {
        let (kb, examples) = try Fixture.loaded.get()
        var options = TrainingOptions()
        options.fusionIterations = 60
        options.threads = 1
        let serial = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options)
        #expect(serial.chapterModel != nil && serial.headingModel != nil)
        options.threads = 3
        let sideBySide = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options)
        #expect(sideBySide.version == serial.version)
        #expect(ModelCodec.encode(sideBySide) == ModelCodec.encode(serial))
    }

    /// The weights a class keeps, as the full sort by magnitude kept them before.
    static func sortedStrongest(_ fit: SoftmaxRegression, limit: Int) -> [SparseVector] {
        let c = fit.classes
        let used = fit.touched.indices.filter { fit.touched[$0] }
        return (0..<c).map { j in
            var entries: [(UInt32, Float)] = used.compactMap { i in let v = fit.weights[i * c + j]; return v != 0 ? (UInt32(i), v) : nil }
            if entries.count > limit {
                entries.sort { abs($0.1) > abs($1.1) || (abs($0.1) == abs($1.1) && $0.0 < $1.0) }
                entries.removeLast(entries.count - limit)
                entries.sort { $0.0 < $1.0 }
            }
            return SparseVector(indices: entries.map(\.0), values: entries.map(\.1))
        }
    }

    @Test func theStrongestWeightsAreTheOnesAFullSortKeeps() {
        var state: UInt64 = 42
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for round in 0..<40 {
            let classes = 1 + Int(next() % 5), features = 1 + Int(next() % 300)
            // Few distinct magnitudes of both signs, and zeros: ties at the cut are the rule.
            let levels = 1 + Int(next() % 12)
            let weights = (0..<(classes * features)).map { _ -> Float in
                let level = Float(next() % UInt64(levels + 1)) / Float(levels)
                return next() % 2 == 0 ? level : -level
            }
            let touched = (0..<features).map { _ in next() % 5 != 0 }
            let fit = SoftmaxRegression(classes: classes, weights: weights, biases: [Float](repeating: 0, count: classes), touched: touched)
            for limit in [0, 1, 2, 7, features / 2, features, features + 3] {
                #expect(fit.strongest(limit: limit) == Self.sortedStrongest(fit, limit: limit), "round \(round), limit \(limit)")
            }
            let bucketOf = (0..<features).map { UInt32(3 * $0 + 5) }
            let mapped = fit.strongest(limit: 5, bucketOf: bucketOf)
            #expect(mapped.map(\.values) == Self.sortedStrongest(fit, limit: 5).map(\.values))
            #expect(mapped.map(\.indices) == Self.sortedStrongest(fit, limit: 5).map { $0.indices.map { bucketOf[Int($0)] } })
        }
    }

    @Test func largestIsTheKthOfTheSortedValues() {
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<50 {
            let values = (0..<(1 + Int(next() % 200))).map { _ in Float(next() % 17) / 4 }
            let sorted = values.sorted(by: >)
            for k in [1, 2, values.count / 2 + 1, values.count] {
                var copy = values
                #expect(SoftmaxRegression.largest(k, of: &copy) == sorted[k - 1])
            }
        }
    }
}
