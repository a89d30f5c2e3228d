import Foundation

/// The prediction set beyond the candidate pool. The candidates hold the right code in only about
/// 89 % of rulings and 78 % of parcel titles, so a set drawn from them alone can never reach 90 %:
/// split conformal then falls back to every candidate. Codes outside the pool get a back-off
/// score instead: their heading's share of the candidates' probability (or, under a heading with
/// no candidate, the chapter's share), shared out among the codes of that unit by their own
/// similarity to the text (`Scored.codeSimilarity`: the subheading's tariff-text centroid and its
/// examples' centroid), times a factor `KindCalibration.setBackoff`. How sharply the share follows
/// the similarity is `KindCalibration.setSharpness` (0: evenly, as format 8 did). One score over
/// every code, so one conformal threshold covers candidates and back-off codes alike.
extension Classifier {
    /// Codes outside the pool that share one back-off mass: the subheadings of candidate heading
    /// `heading` that are not candidates, or (`heading` −1) every subheading of the chapter's
    /// headings that have no candidate. For the heading set, the chapter's headings without a
    /// candidate. `score` is the unit's mass per member (the even share).
    struct BackoffUnit: Sendable {
        var score: Double
        var chapter: Int32
        var heading: Int32
        var members: [Int32]
        var size: Int { members.count }
    }

    /// The candidates' probability mass per heading and per chapter (summed in the candidates'
    /// order), which headings and chapters hold a candidate, and which subheadings are candidates:
    /// arrays by position, read for every heading of every candidate chapter (dictionaries and a
    /// set here were a tenth of the prediction set's time).
    private struct PoolShape {
        var headingMass: [Double]
        var hasHeading: [Bool]
        var chapterMass: [Double]
        /// The chapters holding a candidate, ascending.
        var chapters: [Int32]
        var inPool: [Bool]
    }

    private func poolShape(_ s: Scored) -> PoolShape {
        var headingMass = [Double](repeating: 0, count: childrenOfHeading.count), hasHeading = [Bool](repeating: false, count: childrenOfHeading.count)
        var chapterMass = [Double](repeating: 0, count: headingsOfChapter.count), hasChapter = [Bool](repeating: false, count: headingsOfChapter.count)
        var inPool = [Bool](repeating: false, count: headingOf.count)
        for (c, p) in zip(s.candidates, s.probabilities) {
            let h = Int(c.headingIndex), ch = Int(c.chapterIndex)
            if h >= 0 && h < headingMass.count { headingMass[h] += p; hasHeading[h] = true }
            if ch >= 0 && ch < chapterMass.count { chapterMass[ch] += p; hasChapter[ch] = true }
            if Int(c.hs6) < inPool.count { inPool[Int(c.hs6)] = true }
        }
        let chapters = hasChapter.indices.filter { hasChapter[$0] }.map(Int32.init)
        return PoolShape(headingMass: headingMass, hasHeading: hasHeading, chapterMass: chapterMass, chapters: chapters, inPool: inPool)
    }

    private func chapterSize(_ chapter: Int32) -> Int {
        headingsOfChapter[Int(chapter)].reduce(0) { $0 + childrenOfHeading[Int($1)].count }
    }

    /// The back-off units of one answer (unscaled scores), in chapter then heading order. Which
    /// codes a unit holds depends only on which codes are candidates, not on their probabilities.
    func backoffUnits(_ s: Scored) -> [BackoffUnit] {
        let shape = poolShape(s)
        var units: [BackoffUnit] = []
        for chapter in shape.chapters {
            let chapterScore = shape.chapterMass[Int(chapter)] / Double(max(1, chapterSize(chapter)))
            var rest: [Int32] = []
            for heading in headingsOfChapter[Int(chapter)] {
                let children = childrenOfHeading[Int(heading)]
                guard shape.hasHeading[Int(heading)] else { rest.append(contentsOf: children); continue }
                let outside = children.filter { !shape.inPool[Int($0)] }
                if !outside.isEmpty {
                    units.append(BackoffUnit(score: max(shape.headingMass[Int(heading)] / Double(children.count), chapterScore), chapter: chapter,
                                             heading: heading, members: outside))
                }
            }
            if !rest.isEmpty { units.append(BackoffUnit(score: chapterScore, chapter: chapter, heading: -1, members: rest)) }
        }
        return units
    }

    /// Each member's factor on its unit's even score: `size` × a softmax of `sharpness` × its
    /// similarity over the unit (1 for every member when `sharpness` is 0). The factors of a unit
    /// sum to its size, so the unit's mass is kept and only shared out differently.
    static func memberFactors(_ similarities: [Float], sharpness: Double) -> [Double] {
        guard sharpness > 0, let top = similarities.max() else { return [Double](repeating: 1, count: similarities.count) }
        let e = similarities.map { exp(sharpness * Double($0 - top)) }
        let scale = Double(similarities.count) / e.reduce(0, +)
        return e.map { $0 * scale }
    }

    /// The unscaled back-off score of a code outside the pool (0 when its chapter holds no candidate).
    func backoffScore(of code: Int32, _ s: Scored, sharpness: Double = 0) -> Double {
        for unit in backoffUnits(s) {
            guard let k = unit.members.firstIndex(of: code) else { continue }
            return unit.score * Self.memberFactors(unit.members.map { s.codeSimilarity[Int($0)] }, sharpness: sharpness)[k]
        }
        return 0
    }

    /// The heading set's back-off units: per chapter holding a candidate, its headings without
    /// one, at the chapter's probability mass over its number of headings.
    func headingBackoffUnits(_ s: Scored) -> [BackoffUnit] {
        let shape = poolShape(s)
        return shape.chapters.compactMap { chapter in
            let headings = headingsOfChapter[Int(chapter)]
            let outside = headings.filter { !shape.hasHeading[Int($0)] }
            return outside.isEmpty ? nil : BackoffUnit(score: shape.chapterMass[Int(chapter)] / Double(headings.count), chapter: chapter, heading: -1, members: outside)
        }
    }

    /// The heading set: the candidates' headings whose mass reaches `threshold` (the top one's
    /// always), heaviest first, then with `backoff` the headings without a candidate whose scaled
    /// back-off score (shared out by `headingSimilarity` at `sharpness`) reaches it, strongest first.
    /// `masses`: `headingMasses(s)`, when the caller has it already.
    func headingSet(_ s: Scored, masses given: [Int32: Double]? = nil, threshold: Double, backoff: Double, sharpness: Double = 0) -> [String] {
        let masses = given ?? Self.headingMasses(s)
        let top = s.candidates.first?.headingIndex ?? -1
        var headings = masses.filter { $0.key >= 0 && ($0.key == top || $0.value >= threshold) }
            .sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { model.headingCodes[Int($0.key)] }
        guard backoff > 0, threshold > 0 else { return headings }
        let outside = scoredMembers(headingBackoffUnits(s), similarity: s.headingSimilarity, backoff: backoff, sharpness: sharpness, threshold: threshold)
        headings.append(contentsOf: outside.map { model.headingCodes[Int($0)] })
        return headings
    }

    /// The members of `units` whose scaled score reaches `threshold`, strongest first.
    private func scoredMembers(_ units: [BackoffUnit], similarity: [Float], backoff: Double, sharpness: Double, threshold: Double) -> [Int32] {
        var kept: [(member: Int32, score: Double)] = []
        for unit in units where backoff * unit.score * Double(unit.size) >= threshold {
            let sims = unit.members.map { similarity.indices.contains(Int($0)) ? similarity[Int($0)] : 0 }
            for (member, factor) in zip(unit.members, Self.memberFactors(sims, sharpness: sharpness)) where backoff * unit.score * factor >= threshold {
                kept.append((member, unit.score * factor))
            }
        }
        return kept.sorted { $0.score > $1.score || ($0.score == $1.score && $0.member < $1.member) }.map(\.member)
    }

    /// The prediction set of one answer: the candidates with probability ≥ `threshold` (the top one
    /// always), then, when `backoff` > 0 and `threshold` > 0, the codes outside the pool whose
    /// scaled back-off score reaches it, strongest first.
    func predictionSet(_ s: Scored, threshold: Double, backoff: Double, sharpness: Double = 0) -> [String] {
        var codes = zip(s.candidates, s.probabilities).enumerated()
            .filter { $0.offset == 0 || $0.element.1 >= threshold }
            .map { model.subheadingCodes[Int($0.element.0.hs6)] }
        guard backoff > 0, threshold > 0 else { return codes }
        let outside = scoredMembers(backoffUnits(s), similarity: s.codeSimilarity, backoff: backoff, sharpness: sharpness, threshold: threshold)
        codes.append(contentsOf: outside.map { model.subheadingCodes[Int($0)] })
        return codes
    }
}

extension KindCalibration {
    /// What a set's back-off is chosen from, for one held-out row: the scores of the pool's members,
    /// the back-off units (unscaled even score, and each member's similarity to the text), the
    /// right answer's score in the pool (0 when it is not there) and, when it is outside the pool
    /// under a unit, that unit and its place among the unit's members.
    struct SetRow {
        var pool: [Double]
        var units: [(score: Double, similarities: [Float])]
        var truthInPool: Double
        var truthOutside: (unit: Int, member: Int)?
    }

    /// The set's back-off factor, sharpness and threshold from held-out rows: each pair of
    /// `grid` × `sharpnessGrid` gets its conformal threshold on the selection rows, the pair
    /// whose sets are smallest there is kept, and the threshold is then taken on the verification
    /// rows alone, so the coverage guarantee of split conformal holds for it as if the pair had
    /// been fixed beforehand. A factor of 0 is the pool alone (what a model with no back-off
    /// does). When no pair reaches the coverage on the selection rows, the pool's own threshold
    /// over every row, as before the back-off (0, every candidate, when the pool cannot reach it either).
    static func backoffSet(_ rows: [SetRow], verify: [Bool], coverage: Double, grid: [Double] = [0, 0.03, 0.1, 0.3, 1, 3],
                           sharpnessGrid: [Double] = [0, 10, 20, 40, 80, 160, 320]) -> (backoff: Double, sharpness: Double, threshold: Double) {
        let selection = rows.indices.filter { !verify[$0] }.map { rows[$0] }
        let checking = rows.indices.filter { verify[$0] }.map { rows[$0] }
        guard !selection.isEmpty, !checking.isEmpty else { return (0, 0, conformalThreshold(rows.map(\.truthInPool), coverage: coverage)) }
        /// Each row's right-code score and set size at one setting, the members' factors given.
        func truthScore(_ row: SetRow, _ factors: [[Double]], _ backoff: Double) -> Double {
            if row.truthInPool > 0 { return row.truthInPool }
            guard backoff > 0, let t = row.truthOutside else { return 0 }
            return backoff * row.units[t.unit].score * factors[t.unit][t.member]
        }
        func setSize(_ row: SetRow, _ factors: [[Double]], _ backoff: Double, _ threshold: Double) -> Int {
            var size = max(1, row.pool.filter { $0 >= threshold }.count)
            guard backoff > 0 else { return size }
            for (unit, f) in zip(row.units, factors) where backoff * unit.score * Double(f.count) >= threshold {
                for x in f where backoff * unit.score * x >= threshold { size += 1 }
            }
            return size
        }
        func factors(_ row: SetRow, _ sharpness: Double) -> [[Double]] {
            row.units.map { Classifier.memberFactors($0.similarities, sharpness: sharpness) }
        }
        var best: (backoff: Double, sharpness: Double, size: Double)?
        for sharpness in sharpnessGrid {
            let selectionFactors = selection.map { factors($0, sharpness) }
            for backoff in grid where backoff > 0 || sharpness == sharpnessGrid.first {
                let t = conformalThreshold(zip(selection, selectionFactors).map { truthScore($0, $1, backoff) }, coverage: coverage)
                guard t > 0 else { continue }
                let size = Double(zip(selection, selectionFactors).reduce(0) { $0 + setSize($1.0, $1.1, backoff, t) }) / Double(selection.count)
                if best.map({ size < $0.size }) ?? true { best = (backoff, sharpness, size) }
            }
        }
        guard let chosen = best else { return (0, 0, conformalThreshold(rows.map(\.truthInPool), coverage: coverage)) }
        let threshold = conformalThreshold(checking.map { truthScore($0, factors($0, chosen.sharpness), chosen.backoff) }, coverage: coverage)
        return (chosen.backoff, chosen.sharpness, threshold)
    }

    static func backoffSet(_ rows: [Row], verify: [Bool], coverage: Double) -> (backoff: Double, sharpness: Double, threshold: Double) {
        backoffSet(rows.map { SetRow(pool: $0.poolProbabilities, units: $0.backoffUnits, truthInPool: $0.truthProbability, truthOutside: $0.truthOutside) },
                   verify: verify, coverage: coverage)
    }

    /// The same for the heading set: the candidates' headings by their probability mass, and the
    /// headings without a candidate in a candidate chapter at the chapter's mass over its
    /// headings, shared out by the headings' own similarity to the text.
    static func headingBackoffSet(_ rows: [Row], verify: [Bool], coverage: Double) -> (backoff: Double, sharpness: Double, threshold: Double) {
        backoffSet(rows.map { SetRow(pool: $0.headingPoolMasses, units: $0.headingBackoffUnits, truthInPool: $0.truthHeadingMass, truthOutside: $0.truthHeadingOutside) },
                   verify: verify, coverage: coverage)
    }
}
