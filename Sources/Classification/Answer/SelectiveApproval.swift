import Foundation

/// Which answers are filed without a person (`review: false`), fitted on one text kind's
/// calibration rows (the cross-fitted held-out training rows the confidence and the prediction set
/// are fitted on), with a finite-sample guarantee: learn then test over a fixed sequence of cuts.
///
/// The cuts are a grid on the confidence fixed before any row is seen (1, 0.995, …, 0), strictest
/// first. At each, the rows at or above it are the approved ones; the null "more than `maxError` of
/// them are wrong" is refused when the Clopper–Pearson upper bound on their error rate at level
/// `delta` is at most `maxError` (the exact binomial test). The first cut whose null stands ends
/// the sequence, and the loosest cut refused before it is the threshold. Tested in this fixed
/// order, each at level `delta`, the chance that the kept threshold's true error rate exceeds
/// `maxError` is at most `delta`, on lines exchangeable with the calibration rows. When no cut is
/// refused, nothing is approved.
///
/// The sequence starts at the first cut holding `firstTestedRows` rows (those on which the test
/// could refuse with `startErrors` wrong); stricter cuts are skipped, not failed: that looks at how
/// many rows a cut holds, never at whether they were right. Starting where the test could pass with
/// no error at all (59 rows at 5 %/5 %), one wrong answer among the first rows, which a rule that is
/// truly 97 % right shows more often than not, would end the sequence before it reached the cuts
/// that hold.
///
/// The rule it replaces proposed cuts on three folds' rows and confirmed them on the other two's, so
/// only two fifths of the rows ever tested a cut (59 of them in a row right to pass); here every row
/// counts in every test, since the grid, not the rows, fixes the cuts (docs/benchmarks.md).
public struct SelectiveApproval: Sendable, Equatable {
    /// The lowest approved confidence; above 1 when nothing is approved.
    public var threshold: Double
    /// Calibration rows at or above the threshold, and how many of them were wrong.
    public var approved: Int
    public var errors: Int
    /// Clopper–Pearson upper bound on the error rate of those rows (1 when there are none).
    public var errorBound: Double
    /// The lowest bound any cut of the grid reached, with its rows: how close the kind came when
    /// nothing passed (reported, never used to approve).
    public var closestBound: Double
    public var closestRows: Int

    public static let nothing = SelectiveApproval(threshold: 1.01, approved: 0, errors: 0, errorBound: 1, closestBound: 1, closestRows: 0)

    /// The grid's step on the confidence.
    public static let step = 0.005

    public init(threshold: Double, approved: Int, errors: Int, errorBound: Double, closestBound: Double, closestRows: Int) {
        self.threshold = threshold; self.approved = approved; self.errors = errors; self.errorBound = errorBound
        self.closestBound = closestBound; self.closestRows = closestRows
    }

    /// Fits the rule on one kind's calibration rows: `confidence` is what a new line's answer will be
    /// compared with, `correct` whether the row's top-1 was right.
    public static func fit(confidence: [Double], correct: [Bool], maxError: Double = 0.05, delta: Double = 0.05,
                           startErrors: Int = 3) -> SelectiveApproval {
        precondition(confidence.count == correct.count)
        guard maxError > 0, maxError < 1, delta > 0, delta < 1, !confidence.isEmpty else { return .nothing }
        let fewest = firstTestedRows(maxError: maxError, delta: delta, startErrors: startErrors)
        // Rows sorted by confidence, strongest first, so each cut's rows are a prefix.
        let order = confidence.indices.sorted { confidence[$0] > confidence[$1] }
        var rule = SelectiveApproval.nothing
        var taken = 0, wrong = 0
        var sequenceOpen = true
        let cuts = Int((1 / step).rounded())
        for j in 0...cuts {
            let cut = Double(cuts - j) / Double(cuts)
            while taken < order.count, confidence[order[taken]] >= cut {
                if !correct[order[taken]] { wrong += 1 }
                taken += 1
            }
            guard taken > 0 else { continue }
            // The bound is below p exactly when the tail at p is below delta, so one tail decides
            // each question; the bound itself is solved for only where it is reported.
            if binomialLowerTail(wrong, taken, rule.closestBound) < delta {
                rule.closestBound = clopperPearsonUpper(errors: wrong, of: taken, delta: delta); rule.closestRows = taken
            }
            guard sequenceOpen, taken >= fewest else { continue }
            if binomialLowerTail(wrong, taken, maxError) <= delta {
                rule.threshold = cut; rule.approved = taken; rule.errors = wrong
            } else {
                sequenceOpen = false
            }
        }
        if rule.approved > 0 { rule.errorBound = clopperPearsonUpper(errors: rule.errors, of: rule.approved, delta: delta) }
        return rule
    }

    /// The fewest rows on which the test can refuse with `startErrors` of them wrong: at 5 %/5 %,
    /// 59 with none wrong ((1 − maxError)^n ≤ delta), 93 with one, 124 with two, 153 with three.
    public static func firstTestedRows(maxError: Double, delta: Double, startErrors: Int) -> Int {
        let errors = max(0, startErrors)
        var n = max(1, Int((log(delta) / log1p(-maxError)).rounded(.up)))
        while clopperPearsonUpper(errors: errors, of: n, delta: delta) > maxError { n += 1 }
        return n
    }

    /// The one-sided Clopper–Pearson upper bound at level `delta` on a proportion seen `errors` times
    /// in `n`: the p at which P(X ≤ errors) = delta for X ~ Binomial(n, p); 1 when n is 0 or every
    /// row erred. Found by bisection (the tail falls as p rises).
    public static func clopperPearsonUpper(errors k: Int, of n: Int, delta: Double) -> Double {
        guard n > 0, k < n else { return 1 }
        if k == 0 { return 1 - pow(delta, 1 / Double(n)) }
        var low = Double(k) / Double(n), high = 1.0
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if binomialLowerTail(k, n, mid) > delta { low = mid } else { high = mid }
        }
        return high
    }

    /// P(X ≤ k) for X ~ Binomial(n, p), summed in logs.
    public static func binomialLowerTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
        guard k >= 0 else { return 0 }
        guard k < n, p > 0 else { return 1 }
        guard p < 1 else { return 0 }
        let lp = log(p), lq = log1p(-p)
        var total = 0.0
        var logChoose = 0.0   // log C(n, 0)
        for j in 0...k {
            if j > 0 { logChoose += log(Double(n - j + 1)) - log(Double(j)) }
            total += exp(logChoose + Double(j) * lp + Double(n - j) * lq)
        }
        return min(1, total)
    }
}
