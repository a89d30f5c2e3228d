@testable import Classification
import Foundation
import Testing

@Suite struct SelectiveApprovalTests {
    /// The bound against values from the beta distribution's quantile (scipy's `beta.ppf(0.95, k + 1, n − k)`).
    @Test func clopperPearsonBoundMatchesTheBetaQuantile() {
        let cases: [(errors: Int, n: Int, bound: Double)] = [
            (0, 59, 0.049507610), (0, 58, 0.050339338), (1, 93, 0.049993978), (1, 92, 0.050526361),
            (2, 124, 0.049900171), (3, 153, 0.049895030), (5, 100, 0.102253378), (10, 200, 0.083335151),
        ]
        for c in cases {
            #expect(abs(SelectiveApproval.clopperPearsonUpper(errors: c.errors, of: c.n, delta: 0.05) - c.bound) < 1e-7, "\(c)")
        }
        // No rows, or every row wrong: nothing is known.
        #expect(SelectiveApproval.clopperPearsonUpper(errors: 0, of: 0, delta: 0.05) == 1)
        #expect(SelectiveApproval.clopperPearsonUpper(errors: 7, of: 7, delta: 0.05) == 1)
        // The binomial tail it inverts (scipy's `binom.cdf`).
        #expect(abs(SelectiveApproval.binomialLowerTail(2, 124, 0.05) - 0.049529778) < 1e-8)
        #expect(abs(SelectiveApproval.binomialLowerTail(0, 59, 0.05) - 0.048494525) < 1e-8)
        #expect(SelectiveApproval.binomialLowerTail(5, 5, 0.3) == 1)
        // Where the sequence starts: the rows on which 0, 1, 2, 3 errors can still pass.
        #expect((0...3).map { SelectiveApproval.firstTestedRows(maxError: 0.05, delta: 0.05, startErrors: $0) } == [59, 93, 124, 153])
    }

    /// 1,000 rows, confidence falling with the index. The top 300 are right 90 % of the time: no cut
    /// of any size can show 95 %, so nothing is approved, and the closest bound says how far off it was.
    @Test func nothingIsApprovedWhenNoCutHolds() {
        let confidence = (0..<1000).map { 1 - Double($0) / 1000 }
        let correct = (0..<1000).map { i in i < 300 ? i % 10 != 5 : i % 2 == 0 }
        let rule = SelectiveApproval.fit(confidence: confidence, correct: correct)
        #expect(rule.threshold > 1 && rule.approved == 0)
        #expect(rule.closestBound > 0.1 && rule.closestBound < 0.2)
        // Every row right but fewer than the first tested cut needs (153 at 5 %/5 %): still nothing.
        let few = SelectiveApproval.fit(confidence: Array(confidence.prefix(150)), correct: [Bool](repeating: true, count: 150))
        #expect(few.threshold > 1 && few.approved == 0)
        #expect(abs(few.closestBound - (1 - pow(0.05, 1.0 / 150))) < 1e-9)
    }

    /// The top 300 rows are right 99 times in 100 (one error at rank 50, a stricter start at 59 rows
    /// would have failed there), the rest half the time. The rule approves down into the half-right
    /// rows only as far as the bound allows: the rows at or above its threshold hold at most 5 % errors
    /// with 95 % confidence, and the next cut of the grid would not.
    @Test func theLowestCutWhoseBoundHoldsIsKept() {
        let confidence = (0..<1000).map { 1 - Double($0) / 1000 }
        let correct = (0..<1000).map { i in i < 300 ? i % 100 != 50 : i % 2 == 0 }
        let rule = SelectiveApproval.fit(confidence: confidence, correct: correct)
        #expect(rule.threshold == 0.69)
        #expect(rule.approved == 311 && rule.errors == 8)
        #expect(rule.errorBound <= 0.05)
        #expect(abs(rule.errorBound - SelectiveApproval.clopperPearsonUpper(errors: 8, of: 311, delta: 0.05)) < 1e-12)
        // The next cut (0.685: rows 0…315, 11 wrong) fails, which ended the sequence.
        #expect(SelectiveApproval.clopperPearsonUpper(errors: 11, of: 316, delta: 0.05) > 0.05)
        // A looser target approves more; a stricter one less.
        let looser = SelectiveApproval.fit(confidence: confidence, correct: correct, maxError: 0.1)
        let stricter = SelectiveApproval.fit(confidence: confidence, correct: correct, maxError: 0.02)
        #expect(looser.approved > rule.approved && stricter.approved < rule.approved)
        #expect(stricter.threshold > 1 || Double(stricter.errors) / Double(stricter.approved) < 0.02)
    }

    /// Fixed sequence: once a cut fails, looser cuts are not tested, even when one of them would pass.
    @Test func theSequenceStopsAtItsFirstFailure() {
        // 1,000 rows: ranks 0–199 right but for 8 errors among the first 160 (the first tested cut, 153
        // rows, shows 8 wrong and fails); ranks 200–699 all right, so the top 700 alone would pass.
        let confidence = (0..<1000).map { 1 - Double($0) / 1000 }
        let correct = (0..<1000).map { i in i < 160 ? i % 20 != 3 : i < 700 ? true : false }
        #expect(SelectiveApproval.clopperPearsonUpper(errors: 8, of: 700, delta: 0.05) <= 0.05)
        let rule = SelectiveApproval.fit(confidence: confidence, correct: correct)
        #expect(rule.threshold > 1 && rule.approved == 0)
        #expect(rule.closestBound <= 0.05)
    }
}
