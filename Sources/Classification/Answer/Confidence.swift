import Foundation

/// The shape of a description, which decides how far its scores can be trusted: a three-word
/// parcel title and a page of ruling prose are scored alike but err differently, so confidence,
/// the auto-approve threshold and the prediction set are calibrated per kind.
public enum TextKind: String, Sendable, Codable, CaseIterable {
    /// Titles, search terms, subject phrases.
    case short
    /// Ruling-style prose (material, construction, function and use spelled out).
    case long

    /// Normalised tokens from which a text counts as long.
    public static let longFrom = 16

    public static func of(tokenCount: Int) -> TextKind { tokenCount >= longFrom ? .long : .short }
}

/// Where a labelled example comes from; decides its weight in the memory and whether it may fit
/// the ranker and the calibration (only real text written by people about real goods may).
public enum ExampleOrigin: String, Sendable, Codable, CaseIterable {
    /// Customs officers' text: rulings, binding tariff information.
    case authority
    /// Curated references (parcel titles, brands, search terms) and people's corrections.
    case reference
    /// Short curated phrases that are not item descriptions (search terms, ruling subject lines):
    /// memory only, weighted like weak labels; they would skew the ranker toward their own shape.
    case lexicon
    /// Written by a language model from the tariff text: weak labels, coverage only.
    case modelWritten = "model_written"
    /// Real cases in another language than the queries: memory only.
    case foreignLanguage = "foreign_language"

    /// May fit the ranker, the calibrator and the prediction sets.
    public var fitsModel: Bool { self == .authority || self == .reference }
    /// Counts with `ClassifierModel.weakExampleWeight` in the memory.
    public var isWeak: Bool { self == .modelWritten || self == .lexicon }
}

/// A step map from a scaled confidence to the share of held-out answers that were right in its
/// bin: bin k holds the confidences up to `upperBounds[k]` (above the last bound, the last bin).
public struct ConfidenceBinning: Sendable, Equatable {
    public var upperBounds: [Double] = []
    public var values: [Double] = []
    public init(upperBounds: [Double] = [], values: [Double] = []) { self.upperBounds = upperBounds; self.values = values }
    public var isEmpty: Bool { values.isEmpty }
    public func value(at p: Double) -> Double {
        for (bound, value) in zip(upperBounds, values) where p <= bound { return value }
        return values.last ?? p
    }

    /// Held-out rows needed per bin.
    static let floor = 100

    /// Bins of equal size over the held-out confidences (ties kept together, at least `floor`
    /// rows each), each read as the share of its rows that were right; neighbours out of order
    /// are pooled, so the map never falls as the confidence rises. The rows from `approvedFrom`
    /// (the auto-approve threshold) up form a last bin of their own, so an auto-approved answer
    /// reads the precision its rows had. Why bins: on ~300 test rows a split's calibration error
    /// is mostly noise over ten bins (about 0.055 for a perfectly calibrated ruling confidence);
    /// a few levels, each right as often as it says, lower that noise (docs/benchmarks.md).
    public static func fit(_ confidence: [Double], _ correct: [Bool], bins: Int, approvedFrom: Double? = nil) -> ConfidenceBinning {
        let order = confidence.indices.sorted { confidence[$0] < confidence[$1] }
        let below = approvedFrom.map { cut in order.filter { confidence[$0] < cut } } ?? order
        let above = approvedFrom.map { cut in order.filter { confidence[$0] >= cut } } ?? []
        // Fewer rows than two bins need: no binning (a single bin would make every answer read the same).
        guard bins > 1, below.count >= 2 * floor else { return ConfidenceBinning() }
        let size = max(floor, below.count / bins)
        // Blocks of (rows, right, highest confidence), then pooled where out of order.
        var blocks: [(n: Int, right: Int, top: Double)] = []
        var start = 0
        while start < below.count {
            var end = min(below.count, start + size)
            if below.count - end < size { end = below.count }
            while end < below.count && confidence[below[end]] == confidence[below[end - 1]] { end += 1 }
            let part = below[start..<end]
            blocks.append((part.count, part.filter { correct[$0] }.count, confidence[below[end - 1]]))
            start = end
        }
        var pooled: [(n: Int, right: Int, top: Double)] = []
        for b in blocks {
            pooled.append(b)
            while pooled.count > 1, Double(pooled[pooled.count - 2].right) / Double(pooled[pooled.count - 2].n) >= Double(pooled[pooled.count - 1].right) / Double(pooled[pooled.count - 1].n) {
                let last = pooled.removeLast()
                pooled[pooled.count - 1] = (pooled[pooled.count - 1].n + last.n, pooled[pooled.count - 1].right + last.right, last.top)
            }
        }
        var binning = ConfidenceBinning(upperBounds: pooled.map(\.top), values: pooled.map { Double($0.right) / Double($0.n) })
        if let cut = approvedFrom, !above.isEmpty {
            // Everything under the threshold reads a bin under it, everything from it the approved bin.
            binning.upperBounds[binning.upperBounds.count - 1] = cut.nextDown
            binning.upperBounds.append(1)
            binning.values.append(Double(above.filter { correct[$0] }.count) / Double(above.count))
        } else {
            binning.upperBounds[binning.upperBounds.count - 1] = 1
        }
        return binning
    }
}

/// Confidence machinery for one text kind, fitted on held-out (cross-fitted) predictions.
public struct KindCalibration: Sendable, Equatable {
    public var kind: TextKind
    /// The linear calibrator (kept for artefacts and kinds fitted without folds).
    public var calibrator: Calibrator
    /// Boosted trees on the answer's features (used instead of `calibrator` when not empty), then
    /// Platt scaling of the chosen score's log-odds, fitted on cross-fitted scores.
    public var boosted = BoostedTrees()
    public var platt = Calibrator(weights: [], bias: 0)
    /// Lowest confidence that is auto-approved: the loosest cut of a fixed grid at which every
    /// held-out row of this kind at or above it is shown, by a Clopper–Pearson bound tested in a
    /// fixed sequence, to be wrong at most 1 − `TrainingOptions.autoApprovePrecision` of the time
    /// (`SelectiveApproval`). Above 1 when no cut passed: nothing of this kind is auto-approved.
    public var autoApproveThreshold: Double
    /// The rule's figures on the held-out rows (reported by training, not stored).
    public var approval = SelectiveApproval.nothing
    /// Split-conformal threshold on the ranker's candidate probability: the candidates at or above
    /// it make the prediction set, which held the right code in `setCoverage` of the held-out rows
    /// (target `TrainingOptions.setCoverage`). 0 means every candidate.
    public var setThreshold: Double
    /// Factor on the back-off score of codes outside the candidate pool (`Classifier.predictionSet`):
    /// 0 keeps the set to the candidates, as artefacts before format 8 do.
    public var setBackoff = 0.0
    /// How sharply a back-off unit's mass follows its codes' own similarity to the text
    /// (`Classifier.memberFactors`); 0 shares it evenly, as artefacts before format 9 do.
    public var setSharpness = 0.0
    /// Share of held-out rows whose right code had a non-zero set score with that back-off (the
    /// ceiling of the set; `candidateRecall` without it). Reported by training, not stored.
    public var setReach = 0.0
    /// The same back-off for the heading set (headings without a candidate in a candidate chapter),
    /// and the share of held-out rows whose right heading it could reach.
    public var headingSetBackoff = 0.0
    public var headingSetSharpness = 0.0
    public var headingSetReach = 0.0
    /// Held-out rows it was fitted on, and what they showed.
    public var rows: Int
    public var heldOutAccuracy: Double
    public var heldOutApprovedShare: Double
    public var heldOutApprovedPrecision: Double
    /// Share of held-out rows whose right code was among the candidates at all (the ceiling of any
    /// prediction set).
    public var candidateRecall: Double
    /// Heading back-off: P(the top answer's heading is right) from the share of the candidates'
    /// probability that heading holds (Platt scaling of its log-odds on the held-out rows), the
    /// lowest such confidence from which held-out headings were right at least
    /// `TrainingOptions.headingPrecision` of the time (lower bound; above 1 when never), and the
    /// split-conformal threshold on a heading's probability mass for the heading set (`setCoverage`
    /// of held-out rows; 0 = every candidate heading).
    public var headingPlatt = Calibrator(weights: [], bias: 0)
    public var headingThreshold = 1.01
    public var headingSetThreshold = 0.0
    /// Share of held-out rows whose right heading was among the candidates' headings.
    public var headingRecall = 0.0

    /// P(the top answer's heading is right) given the probability mass of that heading.
    public func headingProbability(mass: Double) -> Double {
        headingPlatt.weights.isEmpty ? mass : headingPlatt.probability([Self.logit(mass)])
    }

    public init(kind: TextKind, calibrator: Calibrator, autoApproveThreshold: Double, setThreshold: Double, rows: Int,
                heldOutAccuracy: Double, heldOutApprovedShare: Double, heldOutApprovedPrecision: Double, candidateRecall: Double) {
        self.kind = kind; self.calibrator = calibrator; self.autoApproveThreshold = autoApproveThreshold; self.setThreshold = setThreshold
        self.rows = rows; self.heldOutAccuracy = heldOutAccuracy; self.heldOutApprovedShare = heldOutApprovedShare
        self.heldOutApprovedPrecision = heldOutApprovedPrecision; self.candidateRecall = candidateRecall
    }

    /// P(the top-1 is right) for an answer's calibration features.
    public func probability(_ features: [Double]) -> Double {
        probability(scaled: scaledProbability(features))
    }

    /// The confidence from its value before binning (`scaledProbability`), for a caller that has it.
    public func probability(scaled: Double) -> Double {
        binning.isEmpty ? scaled : binning.value(at: scaled)
    }

    /// The confidence before binning: what `autoApproveThreshold` is compared with.
    public func scaledProbability(_ features: [Double]) -> Double {
        let raw = boosted.isEmpty ? calibrator.probability(features) : boosted.probability(features)
        return platt.weights.isEmpty ? raw : platt.probability([Self.logit(raw)])
    }

    /// Held-out binning after Platt scaling (empty: none, as artefacts before format 9).
    public var binning = ConfidenceBinning()

    /// Brier scores of the cross-fitted boosted and linear confidences (before Platt scaling)
    /// when the kind was fitted with folds; reported by training, not stored in the artefact.
    public var heldOutBrierBoosted = 0.0
    public var heldOutBrierLinear = 0.0
    /// Each held-out row's final confidence, whether its top-1 was right and its fold: what the
    /// auto-approve threshold was tested on (reported by training, not stored).
    public var heldOutScores: [HeldOutScore] = []
    public struct HeldOutScore: Sendable, Equatable {
        public var confidence: Double
        public var correct: Bool
        public var fold: Int
        /// The confidence before binning, which the auto-approval rule was fitted on.
        public var approvalScore: Double
        /// Whether the row is an authority's text, and its calibration features followed by its
        /// agreement readings (for measuring).
        public var authority = false
        public var features: [Double] = []
    }

    /// One held-out prediction: calibration features, whether the top-1 was right, the ranker
    /// probability of the right code (0 when it was not among the candidates) and the
    /// cross-validation fold it was held out in.
    public struct Row: Sendable {
        public var features: [Double]
        public var correct: Bool
        public var truthProbability: Double
        public var fold: Int
        /// The candidates' probability mass on the top answer's heading, whether that heading is the
        /// right one, and the mass on the right heading (0 when no candidate is under it).
        public var headingMass: Double
        public var headingCorrect: Bool
        public var truthHeadingMass: Double
        /// For the prediction set's back-off: every candidate's probability, the back-off units
        /// (unscaled even score, each member's similarity to the text) and, when the right code is
        /// outside the pool under one of them, which unit and member it is (nil when its chapter
        /// holds no candidate either).
        public var poolProbabilities: [Double] = []
        public var backoffUnits: [(score: Double, similarities: [Float])] = []
        public var truthOutside: (unit: Int, member: Int)?
        /// The same for the heading set: the candidates' headings' masses, the back-off units of
        /// the headings without a candidate, where the right heading is among them.
        public var headingPoolMasses: [Double] = []
        public var headingBackoffUnits: [(score: Double, similarities: [Float])] = []
        public var truthHeadingOutside: (unit: Int, member: Int)?
        /// An authority's text (a ruling or binding information), as the held-out rulings are, rather
        /// than a reference; for measuring how each origin's rows are calibrated.
        public var authority = false
        /// `Classifier.agreementFeatures` of the row: not fitted on, carried into `heldOutScores` for
        /// studying the confidence offline.
        public var agreement: [Double] = []
        public init(features: [Double], correct: Bool, truthProbability: Double, fold: Int = 0,
                    headingMass: Double = 0, headingCorrect: Bool = false, truthHeadingMass: Double = 0) {
            self.features = features; self.correct = correct; self.truthProbability = truthProbability; self.fold = fold
            self.headingMass = headingMass; self.headingCorrect = headingCorrect; self.truthHeadingMass = truthHeadingMass
        }
    }

    /// Rows from at least this many folds, and this many rows, fit the boosted confidence.
    static let boostedMinimumRows = 200

    /// The chance, over the held-out rows, that the auto-approve threshold's true error rate exceeds
    /// 1 − the target precision (`SelectiveApproval`'s `delta`).
    static let approvalRisk = 0.05

    /// `nestedAveraging`: each fold's held-out scores come from the average of trees fitted
    /// without that fold (one per other fold, each also without its own), the same kind of
    /// averaged model that answers new text; otherwise from the one tree fitted without the fold.
    /// `confidenceBins` > 0: the reported confidence is binned on the held-out rows after Platt
    /// scaling (`ConfidenceBinning.fit`).
    public static func fit(kind: TextKind, rows: [Row], precision target: Double, coverage: Double, headingPrecision: Double = 0.9,
                           nestedAveraging: Bool = true, confidenceBins: Int = 0) -> KindCalibration {
        let calibrator = Calibrator.fit(rows.map(\.features), rows.map(\.correct))
        let folds = Set(rows.map(\.fold)).sorted()
        var boosted = BoostedTrees(), platt = Calibrator(weights: [], bias: 0)
        var brierScores = (boosted: 0.0, linear: 0.0)
        // Each row's confidence as the threshold sees it.
        var confidence: [Double]
        if folds.count >= 2 && rows.count >= boostedMinimumRows {
            // Cross-fitted: each fold's rows are scored by models fitted without them, Platt scaling
            // is fitted on those held-out scores, and the threshold is chosen on them, so the
            // precision it promises was measured on rows the scorer never saw.
            // The boosted trees and the linear calibrator on every feature are both cross-fitted;
            // the one whose held-out scores have the lower Brier score is kept.
            var heldOut = [Double](repeating: 0, count: rows.count), heldOutLinear = heldOut
            var foldTrees: [BoostedTrees] = []
            for f in folds {
                let inside = rows.indices.filter { rows[$0].fold != f }
                let trees = BoostedTrees.fit(inside.map { rows[$0].features }, inside.map { rows[$0].correct })
                foldTrees.append(trees)
                // The answering model averages the fold trees, whose margins are less extreme than
                // one tree's; Platt scaling fitted on one tree's scores would then make it too timid.
                let scorer = nestedAveraging && folds.count >= 3
                    ? BoostedTrees.averaged(folds.filter { $0 != f }.map { g in
                        let inner = inside.filter { rows[$0].fold != g }
                        return BoostedTrees.fit(inner.map { rows[$0].features }, inner.map { rows[$0].correct })
                    })
                    : trees
                let linear = Calibrator.fit(inside.map { rows[$0].features }, inside.map { rows[$0].correct })
                for i in rows.indices where rows[i].fold == f {
                    heldOut[i] = scorer.probability(rows[i].features)
                    heldOutLinear[i] = linear.probability(rows[i].features)
                }
            }
            func brier(_ p: [Double]) -> Double { zip(p, rows).reduce(0) { $0 + pow($1.0 - ($1.1.correct ? 1 : 0), 2) } / Double(rows.count) }
            brierScores = (brier(heldOut), brier(heldOutLinear))
            if brierScores.boosted <= brierScores.linear {
                // The fold models answer together: no refit on every row, whose scores on new
                // text would be sharper than the held-out ones Platt scaling was fitted on.
                boosted = BoostedTrees.averaged(foldTrees)
            } else {
                heldOut = heldOutLinear
            }
            let logits = heldOut.map { [logit($0)] }
            platt = Calibrator.fit(logits, rows.map(\.correct), iterations: 400, rate: 0.5)
            confidence = logits.map { platt.probability($0) }
        } else {
            // Confidence of each held-out row from the calibrator just fitted on them all; the
            // calibrator has 8 parameters for hundreds of rows, so the optimism is small, and the
            // threshold below is chosen with a lower confidence bound to absorb it.
            confidence = rows.map { calibrator.probability($0.features) }
        }
        // The prediction sets' back-off is chosen on some rows and confirmed on the others (other
        // folds, or every other row when there are no folds).
        let verify = folds.count >= 2 ? rows.map { $0.fold % 2 == 1 } : rows.indices.map { $0 % 2 == 1 }
        // Auto-approval: every held-out row tests the grid's cuts (`SelectiveApproval`).
        let approval = SelectiveApproval.fit(confidence: confidence, correct: rows.map(\.correct), maxError: 1 - target, delta: approvalRisk)
        let threshold = approval.threshold
        let approvedShare = Double(approval.approved) / Double(max(1, rows.count))
        let approvedPrecision = approval.approved > 0 ? Double(approval.approved - approval.errors) / Double(approval.approved) : 0
        let (setBackoff, setSharpness, setThreshold) = backoffSet(rows, verify: verify, coverage: coverage)
        // Heading back-off, from the same held-out rows: two parameters, so no cross-fitting.
        let headingLogits = rows.map { [logit($0.headingMass)] }
        let headingPlatt = Calibrator.fit(headingLogits, rows.map(\.headingCorrect), iterations: 3000, rate: 1)
        let headingThreshold = lowestThreshold(headingLogits.map { headingPlatt.probability($0) }, rows.map(\.headingCorrect), precision: headingPrecision).threshold
        var k = KindCalibration(
            kind: kind, calibrator: calibrator, autoApproveThreshold: threshold, setThreshold: setThreshold, rows: rows.count,
            heldOutAccuracy: Double(rows.filter(\.correct).count) / Double(max(1, rows.count)),
            heldOutApprovedShare: approvedShare, heldOutApprovedPrecision: approvedPrecision,
            candidateRecall: Double(rows.filter { $0.truthProbability > 0 }.count) / Double(max(1, rows.count)))
        k.boosted = boosted
        k.approval = approval
        let approvalScores = confidence
        if confidenceBins > 0 {
            k.binning = ConfidenceBinning.fit(confidence, rows.map(\.correct), bins: confidenceBins, approvedFrom: threshold <= 1 ? threshold : nil)
            confidence = confidence.map { k.binning.value(at: $0) }
        }
        k.setBackoff = setBackoff
        k.setSharpness = setSharpness
        k.setReach = Double(rows.filter { row in row.truthProbability > 0 || (setBackoff > 0 && row.truthOutside.map { row.backoffUnits[$0.unit].score > 0 } ?? false) }.count)
            / Double(max(1, rows.count))
        k.platt = platt
        k.headingPlatt = headingPlatt
        k.headingThreshold = headingThreshold
        (k.headingSetBackoff, k.headingSetSharpness, k.headingSetThreshold) = headingBackoffSet(rows, verify: verify, coverage: coverage)
        k.headingSetReach = Double(rows.filter { row in row.truthHeadingMass > 0 || (k.headingSetBackoff > 0 && row.truthHeadingOutside.map { row.headingBackoffUnits[$0.unit].score > 0 } ?? false) }.count)
            / Double(max(1, rows.count))
        k.headingRecall = Double(rows.filter { $0.truthHeadingMass > 0 }.count) / Double(max(1, rows.count))
        k.heldOutBrierBoosted = brierScores.boosted
        k.heldOutScores = rows.indices.map {
            HeldOutScore(confidence: confidence[$0], correct: rows[$0].correct, fold: rows[$0].fold, approvalScore: approvalScores[$0],
                         authority: rows[$0].authority, features: rows[$0].features + rows[$0].agreement)
        }
        k.heldOutBrierLinear = brierScores.linear
        return k
    }

    /// The lowest confidence at which the rows at or above it were right at least `precision` of
    /// the time (Wilson lower bound), with the share of rows and the precision there; 1.01 when none.
    static func lowestThreshold(_ confidence: [Double], _ correct: [Bool], precision target: Double) -> (threshold: Double, share: Double, precision: Double) {
        let scored = zip(confidence, correct).sorted { $0.0 > $1.0 }
        var threshold = 1.01, right = 0, approvedShare = 0.0, approvedPrecision = 0.0
        for (i, (c, ok)) in scored.enumerated() {
            if ok { right += 1 }
            let n = i + 1
            // Only cut between distinct confidences.
            if i + 1 < scored.count && scored[i + 1].0 == c { continue }
            if wilsonLower(right, n) >= target {
                threshold = c; approvedShare = Double(n) / Double(max(1, scored.count)); approvedPrecision = Double(right) / Double(n)
            }
        }
        return (threshold, approvedShare, approvedPrecision)
    }

    /// Split conformal with score 1 − p(right answer): the ⌈(n+1)·coverage⌉-th smallest score,
    /// as a threshold on p; 0 (take everything) when the rows cannot support the coverage.
    static func conformalThreshold(_ truthProbabilities: [Double], coverage: Double) -> Double {
        // The k-th smallest score is the k-th largest probability (taken as it is, so that a
        // row's own probability compares equal to the threshold it set).
        let probabilities = truthProbabilities.sorted(by: >)
        guard !probabilities.isEmpty else { return 0 }
        let k = Int((Double(probabilities.count + 1) * coverage).rounded(.up))
        return k <= probabilities.count ? max(0, probabilities[k - 1]) : 0
    }

    static func logit(_ p: Double) -> Double {
        let q = min(max(p, 1e-6), 1 - 1e-6)
        return log(q / (1 - q))
    }

    /// Wilson score lower bound (one-sided 90 %) of a proportion.
    static func wilsonLower(_ k: Int, _ n: Int) -> Double {
        guard n > 0 else { return 0 }
        let z = 1.2816, p = Double(k) / Double(n), nn = Double(n)
        let centre = p + z * z / (2 * nn)
        let margin = z * ((p * (1 - p) + z * z / (4 * nn)) / nn).squareRoot()
        return (centre - margin) / (1 + z * z / nn)
    }
}
