@testable import Classification
import Foundation
import Testing

/// Training runs its independent pieces (the folds' scoring, the six ranker fits, the kinds'
/// calibrations) side by side; the model must not depend on how the threads interleave.
@Suite struct SideBySideTrainingTests {
    @Test func piecesComeBackInIndexOrderAsOneByOne() {
        // Uneven pieces, so that they finish out of order.
        let work: (Int) -> [Int] = { i in (0..<(i % 3 == 0 ? 200_000 : 10)).reduce(into: [i]) { $0[0] = ($0[0] &* 31 &+ $1) % 1_000_003 } }
        #expect(SideBySide.map(7, work) == (0..<7).map(work))
        #expect(SideBySide.map(1, work) == [work(0)] && SideBySide.map(0, work).isEmpty)
    }

    @Test func trainingTwiceGivesTheSameModelToTheByte() throws {
        let (kb, examples) = try Fixture.loaded.get()
        var options = TrainingOptions()
        options.fusionIterations = 60
        let again = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options)
        let first = try Fixture.model()
        #expect(!first.kindCalibrations.isEmpty && first.report.crossValidatedAccuracy > 0)
        #expect(ModelCodec.encode(again) == ModelCodec.encode(first))
    }
}
