@testable import Classification
import Foundation
import Testing

/// How many levels the reported confidence has, and the calibration error that its levels alone
/// leave on a test set of a given size.
@Suite struct ConfidenceLevelsTests {
    /// Confidences of `rows` rows spread evenly over `levels` values between 0.1 and 0.8.
    static func levelled(rows: Int, levels: Int) -> [Double] {
        (0..<rows).map { i in 0.1 + 0.7 * Double(i % levels) / Double(max(1, levels - 1)) }
    }

    @Test func theNoiseFloorFallsWithTheRowsAndWithFewerLevels() {
        let six = ReliabilityTable.noiseFloor(Self.levelled(rows: 330, levels: 6))
        let five = ReliabilityTable.noiseFloor(Self.levelled(rows: 330, levels: 5))
        let three = ReliabilityTable.noiseFloor(Self.levelled(rows: 330, levels: 3))
        let pooled = ReliabilityTable.noiseFloor(Self.levelled(rows: 3300, levels: 6))
        // About sqrt(2/π)·sqrt(p(1−p)·levels/rows): 0.045 for six levels on 330 rows.
        #expect(six > 0.035 && six < 0.055)
        #expect(three < five && five < six)
        #expect(pooled < six / 2.5)
        // Fixed seed: the same rows give the same floor.
        #expect(ReliabilityTable.noiseFloor(Self.levelled(rows: 330, levels: 6)) == six)
        #expect(ReliabilityTable.noiseFloor([]) == 0)
    }

    @Test func trainingReportsTheConfidenceInAtMostFiveLevels() {
        // 1,500 held-out rows over five folds whose chance of a right top-1 rises with one
        // feature from 0 to 0.9 (a fixed pseudo-random pattern).
        var rows: [KindCalibration.Row] = []
        for i in 0..<1500 {
            let x = Double(i % 100) / 100
            let correct = Double((i * 7919) % 1000) / 1000 < 0.9 * x
            rows.append(KindCalibration.Row(features: [x], correct: correct, truthProbability: 0.5, fold: (i / 10) % 5))
        }
        let bins = TrainingOptions().confidenceBins
        let k = KindCalibration.fit(kind: .long, rows: rows, precision: 0.95, coverage: 0.9, confidenceBins: bins)
        #expect(bins == 5)
        #expect(k.binning.values.count >= 3 && k.binning.values.count <= 5)
        #expect(zip(k.binning.values, k.binning.values.dropFirst()).allSatisfy { $0 < $1 })
        // Every held-out row reads one of the levels.
        #expect(Set(k.heldOutScores.map(\.confidence)).isSubset(of: Set(k.binning.values)))
        // The levels follow the bins asked for.
        let threeBins = KindCalibration.fit(kind: .long, rows: rows, precision: 0.95, coverage: 0.9, confidenceBins: 3)
        #expect(threeBins.binning.values.count >= 2 && threeBins.binning.values.count <= 3)
    }
}
