import Foundation

/// The prediction set beyond the candidate pool. The candidates hold the right code in only about
/// 89 % of rulings and 78 % of parcel titles, so a set drawn from them alone can never reach 90 %:
/// split conformal then falls back to every candidate. Codes outside the pool get a back-off
/// score instead, their heading's share of the candidates' probability spread evenly over the
/// heading's subheadings (or, under a heading with no candidate, the chapter's share over the
/// chapter's), times a factor `KindCalibration.setBackoff` chosen on held-out rows. One score over
/// every code, so one conformal threshold covers candidates and back-off codes alike.
extension Classifier {
    /// Codes outside the pool that share one back-off score: the subheadings of candidate
    /// heading `heading` that are not candidates, or (`heading` −1) every subheading of the
    /// chapter's headings that have no candidate.
    struct BackoffUnit: Sendable {
        var score: Double
        var chapter: Int32
        var heading: Int32
        var size: Int
    }

    /// The candidates' probability mass per heading and per chapter, and how many candidates each holds.
    private func poolShape(_ s: Scored) -> (headingMass: [Int32: Double], chapterMass: [Int32: Double], inHeading: [Int32: Int]) {
        var headingMass: [Int32: Double] = [:], chapterMass: [Int32: Double] = [:], inHeading: [Int32: Int] = [:]
        for (c, p) in zip(s.candidates, s.probabilities) {
            headingMass[c.headingIndex, default: 0] += p
            chapterMass[c.chapterIndex, default: 0] += p
            inHeading[c.headingIndex, default: 0] += 1
        }
        return (headingMass, chapterMass, inHeading)
    }

    private func chapterSize(_ chapter: Int32) -> Int {
        headingsOfChapter[Int(chapter)].reduce(0) { $0 + childrenOfHeading[Int($1)].count }
    }

    /// The back-off units of one answer (unscaled scores), in chapter then heading order.
    func backoffUnits(_ s: Scored) -> [BackoffUnit] {
        let shape = poolShape(s)
        var units: [BackoffUnit] = []
        for (chapter, mass) in shape.chapterMass.sorted(by: { $0.key < $1.key }) where chapter >= 0 && Int(chapter) < headingsOfChapter.count {
            let chapterScore = mass / Double(max(1, chapterSize(chapter)))
            var rest = 0
            for heading in headingsOfChapter[Int(chapter)] {
                let children = childrenOfHeading[Int(heading)].count
                guard let headingMass = shape.headingMass[heading] else { rest += children; continue }
                let outside = children - (shape.inHeading[heading] ?? 0)
                if outside > 0 {
                    units.append(BackoffUnit(score: max(headingMass / Double(children), chapterScore), chapter: chapter, heading: heading, size: outside))
                }
            }
            if rest > 0 { units.append(BackoffUnit(score: chapterScore, chapter: chapter, heading: -1, size: rest)) }
        }
        return units
    }

    /// The unscaled back-off score of a code outside the pool (0 when its chapter holds no candidate).
    func backoffScore(of code: Int32, _ s: Scored) -> Double {
        let heading = headingOf[Int(code)], chapter = chapterOf[Int(code)]
        for unit in backoffUnits(s) where unit.chapter == chapter && (unit.heading == heading || unit.heading == -1) {
            if unit.heading == heading { return unit.score }
            // The chapter's rest: only when the code's heading has no candidate.
            if !s.candidates.contains(where: { $0.headingIndex == heading }) { return unit.score }
        }
        return 0
    }

    /// The heading set's back-off units: per chapter holding a candidate, its headings without
    /// one, at the chapter's probability mass over its number of headings.
    func headingBackoffUnits(_ s: Scored) -> [BackoffUnit] {
        let shape = poolShape(s)
        return shape.chapterMass.sorted(by: { $0.key < $1.key }).compactMap { chapter, mass in
            guard chapter >= 0, Int(chapter) < headingsOfChapter.count else { return nil }
            let headings = headingsOfChapter[Int(chapter)]
            let outside = headings.filter { shape.headingMass[$0] == nil }.count
            return outside > 0 ? BackoffUnit(score: mass / Double(headings.count), chapter: chapter, heading: -1, size: outside) : nil
        }
    }

    /// The heading set: the candidates' headings whose mass reaches `threshold` (the top one's
    /// always), heaviest first, then with `backoff` the headings without a candidate of the
    /// chapters whose scaled back-off score reaches it.
    func headingSet(_ s: Scored, threshold: Double, backoff: Double) -> [String] {
        let masses = Self.headingMasses(s)
        let top = s.candidates.first?.headingIndex ?? -1
        var headings = masses.filter { $0.key >= 0 && ($0.key == top || $0.value >= threshold) }
            .sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { model.headingCodes[Int($0.key)] }
        guard backoff > 0, threshold > 0 else { return headings }
        for unit in headingBackoffUnits(s).filter({ backoff * $0.score >= threshold })
            .sorted(by: { $0.score > $1.score || ($0.score == $1.score && $0.chapter < $1.chapter) }) {
            for h in headingsOfChapter[Int(unit.chapter)] where masses[h] == nil { headings.append(model.headingCodes[Int(h)]) }
        }
        return headings
    }

    /// The prediction set of one answer: the candidates with probability ≥ `threshold` (the top one
    /// always), then, when `backoff` > 0 and `threshold` > 0, the codes outside the pool whose
    /// scaled back-off score reaches it, strongest first.
    func predictionSet(_ s: Scored, threshold: Double, backoff: Double) -> [String] {
        var codes = zip(s.candidates, s.probabilities).enumerated()
            .filter { $0.offset == 0 || $0.element.1 >= threshold }
            .map { model.subheadingCodes[Int($0.element.0.hs6)] }
        guard backoff > 0, threshold > 0 else { return codes }
        let pool = Set(s.candidates.map(\.hs6))
        let headingsWithCandidates = Set(s.candidates.map(\.headingIndex))
        let units = backoffUnits(s).filter { backoff * $0.score >= threshold }
            .sorted { $0.score > $1.score || ($0.score == $1.score && ($0.chapter, $0.heading) < ($1.chapter, $1.heading)) }
        for unit in units {
            let headings = unit.heading >= 0 ? [unit.heading] : headingsOfChapter[Int(unit.chapter)].filter { !headingsWithCandidates.contains($0) }
            for h in headings {
                for code in childrenOfHeading[Int(h)] where !pool.contains(code) { codes.append(model.subheadingCodes[Int(code)]) }
            }
        }
        return codes
    }
}

extension KindCalibration {
    /// What a set's back-off is chosen from, for one held-out row: the scores of the pool's members,
    /// the back-off units (unscaled score, number of members) and the right answer's score in the
    /// pool (0 when it is not there) or its unscaled back-off score.
    struct SetRow {
        var pool: [Double]
        var units: [(score: Double, size: Int)]
        var truthInPool: Double
        var truthBackoff: Double
    }

    /// The set's back-off factor and threshold from held-out rows: each factor of `grid` gets its
    /// conformal threshold on the selection rows, the one whose sets are smallest there is kept,
    /// and the threshold is then taken on the verification rows alone, so the coverage guarantee
    /// of split conformal holds for it as if the factor had been fixed beforehand. A factor of 0
    /// is the pool alone (what a model with no back-off does). When no factor reaches the coverage
    /// on the selection rows, the pool's own threshold over every row, as before the back-off
    /// (0, every candidate, when the pool cannot reach it either).
    static func backoffSet(_ rows: [SetRow], verify: [Bool], coverage: Double,
                           grid: [Double] = [0, 0.03, 0.1, 0.3, 1, 3]) -> (backoff: Double, threshold: Double) {
        func truthScore(_ row: SetRow, _ backoff: Double) -> Double { row.truthInPool > 0 ? row.truthInPool : backoff * row.truthBackoff }
        func setSize(_ row: SetRow, _ backoff: Double, _ threshold: Double) -> Int {
            let pool = max(1, row.pool.filter { $0 >= threshold }.count)
            return pool + (backoff > 0 ? row.units.filter { backoff * $0.score >= threshold }.reduce(0) { $0 + $1.size } : 0)
        }
        let selection = rows.indices.filter { !verify[$0] }.map { rows[$0] }
        let checking = rows.indices.filter { verify[$0] }.map { rows[$0] }
        guard !selection.isEmpty, !checking.isEmpty else { return (0, conformalThreshold(rows.map(\.truthInPool), coverage: coverage)) }
        var best: (backoff: Double, size: Double)?
        for backoff in grid {
            let t = conformalThreshold(selection.map { truthScore($0, backoff) }, coverage: coverage)
            guard t > 0 else { continue }
            let size = Double(selection.reduce(0) { $0 + setSize($1, backoff, t) }) / Double(selection.count)
            if best.map({ size < $0.size }) ?? true { best = (backoff, size) }
        }
        guard let chosen = best else { return (0, conformalThreshold(rows.map(\.truthInPool), coverage: coverage)) }
        return (chosen.backoff, conformalThreshold(checking.map { truthScore($0, chosen.backoff) }, coverage: coverage))
    }

    static func backoffSet(_ rows: [Row], verify: [Bool], coverage: Double, grid: [Double] = [0, 0.03, 0.1, 0.3, 1, 3]) -> (backoff: Double, threshold: Double) {
        backoffSet(rows.map { SetRow(pool: $0.poolProbabilities, units: $0.backoffUnits, truthInPool: $0.truthProbability, truthBackoff: $0.truthBackoff) },
                   verify: verify, coverage: coverage, grid: grid)
    }

    /// The same for the heading set: the candidates' headings by their probability mass, and the
    /// headings without a candidate in a candidate chapter at the chapter's mass over its headings.
    static func headingBackoffSet(_ rows: [Row], verify: [Bool], coverage: Double) -> (backoff: Double, threshold: Double) {
        backoffSet(rows.map { SetRow(pool: $0.headingPoolMasses, units: $0.headingBackoffUnits, truthInPool: $0.truthHeadingMass, truthBackoff: $0.truthHeadingBackoff) },
                   verify: verify, coverage: coverage)
    }
}
