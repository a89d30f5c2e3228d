@testable import Classification
import Foundation
import Testing

@Suite struct ConfidenceTests {
    @Test func extraDataLinesCarryOriginTermsAndNameBadLines() throws {
        let nomenclature = try Fixture.loaded.get().0.nomenclature
        let text = """
            {"description":"Men's cotton T-shirt, knitted","code":"6109100012","ref":"N1"}
            {"description":"Knitted tee of cotton","code":"610910","terms":["tee","crew neck"]}
            {"description":"Old code","code":"999999"}

            """
        var skipped: [String] = []
        let rows = try LabelledExample.jsonLines(text, origin: .modelWritten, label: "test", source: "t.jsonl", nomenclature: nomenclature, skipped: &skipped)
        #expect(rows.count == 3)
        #expect(rows[0].hs6 == "610910" && rows[0].nationalCode == "6109100012" && rows[0].source == "test N1")
        #expect(rows.allSatisfy { $0.origin == .modelWritten })
        #expect(rows[2].description == "tee, crew neck")
        #expect(skipped == ["t.jsonl: line 3: code '999999' is not under an HS 2022 subheading"])
        #expect(throws: ClassificationError.self) {
            _ = try LabelledExample.jsonLines("{\"description\":1}\n", origin: .authority, label: "x", source: "x.jsonl", nomenclature: nomenclature, skipped: &skipped)
        }
    }

    @Test func longProseKeepsTheSentencesAboutTheGoods() {
        let text = """
            In your letter dated April 7, 2024, you requested a tariff classification ruling on behalf of your client. \
            The submitted sample is a men's pullover of 100% cotton, knitted, with long sleeves and a crew neck. \
            It is packed in a retail box of 2.5 mm cardboard. The rate of duty will be 16.5 percent ad valorem. \
            This ruling is being issued under the provisions of Part 177 of the Customs Regulations.
            """
        let focused = GoodsText.focus(text)
        #expect(focused.contains("men's pullover of 100% cotton"))
        #expect(focused.contains("2.5 mm cardboard"))
        #expect(!focused.contains("your letter"))
        #expect(!focused.contains("ad valorem"))
        #expect(GoodsText.focus("cotton t-shirt") == "cotton t-shirt")
    }

    /// ASCII sentences are searched byte by byte for the procedural markers; every marker is found
    /// (at the start, inside and at the end of a sentence) as Foundation's search finds it, and
    /// near misses are not.
    @Test func proceduralMarkersAreFoundInAsciiAsFoundationFindsThem() {
        for marker in GoodsText.markers {
            let word = marker.trimmingCharacters(in: .whitespaces)
            for sentence in ["\(word) of the goods", "The \(word) reads so", "It is the \(word)", "The \(word.uppercased()) reads so",
                             "The \(word.dropLast()) reads so", "The \(word)\u{301} reads so"] {
                let s = " " + sentence.lowercased() + " "
                #expect(GoodsText.isProcedural(sentence) == GoodsText.markers.contains { s.contains($0) }, "\(sentence.debugDescription)")
            }
        }
        #expect(GoodsText.isProcedural("This ruling is issued"))
        #expect(!GoodsText.isProcedural("A knitted cotton pullover"))
    }

    @Test func thresholdsAndSetsAreFittedPerKindOnHeldOutRows() {
        // 300 rows: the first 100 (feature 1) are right 98 % of the time, the rest (feature 0) half
        // of the time; the right code's probability is known for all but 5 %.
        var rows: [KindCalibration.Row] = []
        for i in 0..<300 {
            let strong = i < 100
            let correct = strong ? i % 50 != 0 : i % 2 == 0
            rows.append(KindCalibration.Row(features: [strong ? 1 : 0], correct: correct, truthProbability: i % 20 == 0 ? 0 : Double(i % 10 + 1) / 10))
        }
        let k = KindCalibration.fit(kind: .long, rows: rows, precision: 0.9, coverage: 0.9)
        #expect(k.rows == 300)
        #expect(abs(k.heldOutApprovedShare - 1.0 / 3) < 0.01)
        #expect(k.heldOutApprovedPrecision >= 0.95)
        #expect(k.calibrator.probability([1]) > k.autoApproveThreshold - 1e-9)
        #expect(k.calibrator.probability([0]) < k.autoApproveThreshold)
        #expect(abs(k.candidateRecall - 0.95) < 1e-9)
        // 90 % of rows must have 1 − p ≤ 1 − threshold; 5 % have p = 0, so p ≥ 0.2 must be allowed.
        let covered = rows.filter { $0.truthProbability >= k.setThreshold && $0.truthProbability > 0 }.count
        #expect(Double(covered) / 300 >= 0.9)
        #expect(k.setThreshold > 0.05 && k.setThreshold <= 0.2)
    }

    @Test func boostedConfidenceLearnsAnInteractionAndIsThresholdedOnHeldOutFolds() {
        // Right 97 % of the time only when both features are high (an interaction no linear
        // calibrator captures), a third of the time otherwise; rows spread over five folds. The
        // threshold is confirmed on two folds (~40 strong rows), enough for 85 % but not for 90 %.
        var rows: [KindCalibration.Row] = []
        for i in 0..<2000 {
            let a = Double(i % 4) / 3, b = Double((i / 4) % 5) / 4
            let strong = a == 1 && b == 1
            let correct = strong ? i % 33 != 0 : i % 3 == 0
            rows.append(KindCalibration.Row(features: [a, b], correct: correct, truthProbability: 0.5, fold: (i / 20) % 5))
        }
        let k = KindCalibration.fit(kind: .long, rows: rows, precision: 0.85, coverage: 0.9)
        #expect(!k.boosted.isEmpty)
        #expect(k.heldOutBrierBoosted < k.heldOutBrierLinear)
        #expect(k.probability([1, 1]) > 0.85)
        #expect(k.probability([1, 0.5]) < 0.5 && k.probability([0, 1]) < 0.5)
        // Exactly the strong cell (100 rows of 2000) is auto-approved.
        #expect(k.probability([1, 1]) >= k.autoApproveThreshold && k.probability([1, 0.75]) < k.autoApproveThreshold)
        #expect(abs(k.heldOutApprovedShare - 0.05) < 0.001 && k.heldOutApprovedPrecision > 0.95)
    }

    /// The study's agreement readings take the sentence encoder's neighbours as a second reading of
    /// the text, at code, heading and chapter level: a heading's votes are summed over its
    /// candidates, so the encoder can back the top answer's heading while another code leads it.
    @Test func agreementFeaturesReadTheEncodersVotesAtCodeHeadingAndChapter() throws {
        func candidate(_ code: Int32, heading: Int32, chapter: Int32, encoder: Double, neighbours: Double, subheading: Double,
                       centroid: Double = 0) -> CandidateFeatures {
            var c = CandidateFeatures(hs6: code)
            c.headingIndex = heading; c.chapterIndex = chapter
            c.encoderVote = encoder; c.neighbourVote = neighbours; c.subheading = subheading; c.encoderCentroid = centroid
            return c
        }
        // Top A (heading 0): B alone has more encoder votes (0.35 > 0.30), but heading 0 holds
        // A's and C's (0.50 against 0.35 and 0.15) and chapter 0 holds 0.85.
        let candidates = [candidate(0, heading: 0, chapter: 0, encoder: 0.30, neighbours: 0.5, subheading: 0.2, centroid: 0.8),
                          candidate(1, heading: 1, chapter: 0, encoder: 0.35, neighbours: 0.1, subheading: 0.4, centroid: 0.5),
                          candidate(2, heading: 0, chapter: 0, encoder: 0.20, neighbours: 0, subheading: 0.1),
                          candidate(3, heading: 2, chapter: 1, encoder: 0.15, neighbours: 0.4, subheading: 0.1)]
        let probabilities = [0.5, 0.3, 0.15, 0.05]
        let scored = Classifier.Scored(tokens: ["cotton", "shirt"], query: SparseVector(), candidates: candidates, probabilities: probabilities,
                                       neighbours: [], kind: .short)
        let base = Classifier.calibrationFeatures(scored)
        #expect(base.count == Calibrator.featureNames.count)
        let f = Classifier.agreementFeatures(scored, base: base)
        #expect(f.count == Classifier.agreementFeatureNames.count)
        func value(_ name: String) throws -> Double { f[try #require(Classifier.agreementFeatureNames.firstIndex(of: name))] }
        #expect(try value("encoder_agrees") == 0)
        #expect(try value("encoder_centroid_agrees") == 1)
        #expect(try value("encoder_heading_agrees") == 1)
        #expect(try abs(value("encoder_heading_vote") - 0.5) < 1e-12)
        #expect(try value("encoder_chapter_agrees") == 1)
        #expect(try value("encoder_vote") == 0.3)
        #expect(try value("neighbour_heading_agrees") == 1 && value("neighbour_chapter_agrees") == 1)
        #expect(try abs(value("top3_mass") - 0.95) < 1e-12)
        let entropy = -probabilities.reduce(0) { $0 + $1 * log($1) }
        #expect(try abs(value("candidate_entropy") - entropy) < 1e-12)
        // The TF-IDF vote and the encoder centroid back A; the tariff text (B), the encoder's code
        // vote (B), the nearest neighbour, the example centroid and the tariff line do not.
        #expect(try abs(value("signals_agree") - 2.0 / 7) < 1e-12)

        // Without an encoder (no votes) the encoder's readings are all zero, not agreement.
        let plain = candidates.map { c -> CandidateFeatures in var c = c; c.encoderVote = 0; c.encoderCentroid = 0; return c }
        let plainScored = Classifier.Scored(tokens: ["cotton", "shirt"], query: SparseVector(), candidates: plain, probabilities: probabilities,
                                            neighbours: [], kind: .short)
        let g = Classifier.agreementFeatures(plainScored, base: Classifier.calibrationFeatures(plainScored))
        for name in ["encoder_agrees", "encoder_vote", "encoder_centroid_agrees", "encoder_heading_agrees", "encoder_heading_vote", "encoder_chapter_agrees"] {
            #expect(g[try #require(Classifier.agreementFeatureNames.firstIndex(of: name))] == 0, "\(name)")
        }
    }

    /// The kind's threshold is `SelectiveApproval`'s, read on every held-out row whatever its fold.
    @Test func autoApproveThresholdIsTheSelectiveApprovalRuleOnEveryHeldOutRow() {
        // 2,000 rows over five folds; the top 400 (feature 1) right 99 times in 100 (one wrong row
        // in each of four folds), the rest (feature 0) half the time.
        var rows: [KindCalibration.Row] = []
        for i in 0..<2000 {
            let strong = i < 400
            rows.append(KindCalibration.Row(features: [strong ? 1 : 0], correct: strong ? ![5, 117, 229, 341].contains(i) : i % 2 == 0,
                                            truthProbability: 0.5, fold: (i / 10) % 5))
        }
        let k = KindCalibration.fit(kind: .long, rows: rows, precision: 0.95, coverage: 0.9)
        #expect(k.autoApproveThreshold <= 1 && k.autoApproveThreshold == k.approval.threshold)
        #expect(k.approval.approved == 400 && k.approval.errors == 4 && k.approval.errorBound <= 0.05)
        #expect(abs(k.heldOutApprovedShare - 0.2) < 1e-9 && abs(k.heldOutApprovedPrecision - 0.99) < 1e-9)
        #expect(k.scaledProbability([1]) >= k.autoApproveThreshold && k.scaledProbability([0]) < k.autoApproveThreshold)
    }

    @Test func headingConfidenceIsCalibratedAndItsLevelAndSetAreChosenOnHeldOutRows() {
        // The heading is right 11 times in 12 when its mass is 0.9, 1 in 4 when it is 0.3; the right
        // heading's mass is 0.9 in 70 % of the rows, 0.3 in 20 %, absent in 10 %.
        var rows: [KindCalibration.Row] = []
        for i in 0..<1000 {
            let high = i % 10 < 6
            let right = high ? i % 20 != 0 : i % 5 < 2
            let truthMass = i % 10 < 7 ? 0.9 : i % 10 < 9 ? 0.3 : 0
            rows.append(KindCalibration.Row(features: [0], correct: false, truthProbability: 0, fold: i % 5,
                                            headingMass: high ? 0.9 : 0.3, headingCorrect: right, truthHeadingMass: truthMass))
        }
        let k = KindCalibration.fit(kind: .short, rows: rows, precision: 0.95, coverage: 0.85, headingPrecision: 0.85)
        #expect(abs(k.headingProbability(mass: 0.9) - 11.0 / 12) < 0.02)
        #expect(abs(k.headingProbability(mass: 0.3) - 0.25) < 0.02)
        // Only the high-mass rows reach the 0.85 lower bound.
        #expect(k.headingProbability(mass: 0.9) >= k.headingThreshold && k.headingProbability(mass: 0.3) < k.headingThreshold)
        // 85 % coverage needs the 0.3-mass headings too; the 10 % without the right heading cannot be covered.
        #expect(abs(k.headingSetThreshold - 0.3) < 1e-9)
        #expect(abs(k.headingRecall - 0.9) < 1e-9)
        let strict = KindCalibration.fit(kind: .short, rows: rows, precision: 0.95, coverage: 0.95)
        #expect(strict.headingSetThreshold == 0)
    }

    @Test func predictionSetBacksOffBeyondThePoolWhenThePoolCannotReachTheCoverage() {
        // The right code is a candidate in 80 % of 1,000 rows (probability 0.6 or 0.3), outside
        // the pool under a candidate heading in 15 % (back-off 0.05, four such codes) and under a
        // candidate chapter only in 5 % (0.001, fifty codes). The candidates alone cannot hold 90 %.
        var rows: [KindCalibration.Row] = []
        for i in 0..<1000 {
            let slot = i % 20
            let truth = slot < 12 ? 0.6 : slot < 16 ? 0.3 : 0
            var row = KindCalibration.Row(features: [0], correct: slot < 12, truthProbability: truth, fold: (i / 20) % 5)
            row.poolProbabilities = [0.6, 0.3, 0.1]
            // Every member alike: no similarity tells them apart.
            row.backoffUnits = [(0.05, [Float](repeating: 0.2, count: 4)), (0.001, [Float](repeating: 0.1, count: 50))]
            row.truthOutside = truth > 0 ? nil : slot < 19 ? (0, slot % 4) : (1, 7)
            rows.append(row)
        }
        let k = KindCalibration.fit(kind: .short, rows: rows, precision: 0.95, coverage: 0.9)
        #expect(abs(k.candidateRecall - 0.8) < 1e-9 && abs(k.setReach - 1) < 1e-9)
        // Reaching 90 % takes the heading back-off; the largest factor puts its four codes above
        // the 0.1 candidate, so the set is the two strong candidates and those four (six codes).
        #expect(k.setBackoff == 3)
        #expect(abs(k.setThreshold - 0.15) < 1e-9)
        let setRows = rows.map { KindCalibration.SetRow(pool: $0.poolProbabilities, units: $0.backoffUnits, truthInPool: $0.truthProbability, truthOutside: $0.truthOutside) }
        let without = KindCalibration.backoffSet(setRows, verify: rows.map { $0.fold % 2 == 1 }, coverage: 0.9, grid: [0])
        #expect(without.backoff == 0 && without.threshold == 0)
    }

    @Test func binnedConfidenceReadsEachBinsHeldOutAccuracyAndNeverFalls() {
        // 1,200 held-out rows: confidence i/1200, right about as often as the confidence says
        // (a fixed pseudo-random pattern).
        let confidence = (0..<1200).map { Double($0) / 1200 }
        let correct = confidence.indices.map { i in Double((i * 7919) % 1000) / 1000 < confidence[i] }
        let b = ConfidenceBinning.fit(confidence, correct, bins: 4)
        #expect(b.values.count >= 2 && b.values.count <= 4)
        #expect(zip(b.values, b.values.dropFirst()).allSatisfy { $0 < $1 })
        #expect(b.upperBounds.last == 1)
        // Each bin reads the share right among its rows.
        var previous = -Double.infinity
        for (bound, value) in zip(b.upperBounds, b.values) {
            let inside = confidence.indices.filter { confidence[$0] > previous && confidence[$0] <= bound }
            #expect(inside.count >= ConfidenceBinning.floor)
            #expect(abs(Double(inside.filter { correct[$0] }.count) / Double(inside.count) - value) < 1e-9)
            previous = bound
        }
        // A bin of its own from the auto-approve threshold up: what is under it never reads the approved value.
        let split = ConfidenceBinning.fit(confidence, correct, bins: 4, approvedFrom: 0.95)
        #expect(split.value(at: 0.95) == Double(confidence.indices.filter { confidence[$0] >= 0.95 && correct[$0] }.count) / Double(confidence.filter { $0 >= 0.95 }.count))
        #expect(split.value(at: 0.9499) != split.value(at: 0.95))
        // Too few rows for two bins: no binning, the confidence stays as it is.
        let none = ConfidenceBinning.fit(Array(confidence.prefix(150)), Array(correct.prefix(150)), bins: 4)
        #expect(none.isEmpty && none.value(at: 0.37) == 0.37)
    }

    @Test func theBackOffFollowsTheCodesOwnSimilarityWhenThatHoldsTheAnswer() {
        // 1,000 rows: the right code is a candidate in 80 % (probability 0.6), else outside the
        // pool in a unit of 40 codes whose similarities run 0.00…0.39; the right one is the most
        // similar of them. Shared evenly, 90 % coverage takes all 40; by similarity, a few.
        var rows: [KindCalibration.SetRow] = []
        let similarities = (0..<40).map { Float($0) / 100 }
        for i in 0..<1000 {
            let inPool = i % 10 < 8
            rows.append(KindCalibration.SetRow(pool: [0.6, 0.3, 0.1], units: [(0.01, similarities)], truthInPool: inPool ? 0.6 : 0,
                                               truthOutside: inPool ? nil : (0, 39)))
        }
        let verify = rows.indices.map { $0 % 2 == 1 }
        let even = KindCalibration.backoffSet(rows, verify: verify, coverage: 0.9, sharpnessGrid: [0])
        let sharp = KindCalibration.backoffSet(rows, verify: verify, coverage: 0.9)
        #expect(even.backoff > 0 && even.sharpness == 0)
        #expect(sharp.sharpness > 0 && sharp.threshold > 0)
        func setSize(_ choice: (backoff: Double, sharpness: Double, threshold: Double)) -> Int {
            let factors = Classifier.memberFactors(similarities, sharpness: choice.sharpness)
            return [0.6, 0.3, 0.1].filter { $0 >= choice.threshold }.count + factors.filter { choice.backoff * 0.01 * $0 >= choice.threshold }.count
        }
        #expect(setSize(sharp) < setSize(even))
        // The threshold still keeps the right code in the set on 90 % of the rows.
        let factors = Classifier.memberFactors(similarities, sharpness: sharp.sharpness)
        let covered = rows.filter { $0.truthInPool >= sharp.threshold || ($0.truthOutside != nil && sharp.backoff * 0.01 * factors[39] >= sharp.threshold) }.count
        #expect(covered >= 900)
        // A unit's factors sum to its size: the mass is shared out, not grown.
        #expect(abs(factors.reduce(0, +) - 40) < 1e-9)
        #expect(Classifier.memberFactors(similarities, sharpness: 0).allSatisfy { $0 == 1 })
    }

    @Test func predictionSetHoldsExactlyTheCodesWhoseScoreReachesTheThreshold() throws {
        let c = try Fixture.classifier()
        let s = c.score("women's cotton blouse, knitted", weights: c.model.weights)
        let pool = Set(s.candidates.map(\.hs6))
        let units = try #require(c.backoffUnits(s).max { $0.score < $1.score })
        #expect(s.codeSimilarity.count == c.model.subheadingCodes.count && s.codeSimilarity.contains { $0 > 0 })
        for (backoff, sharpness) in [(0.0, 0.0), (0.5, 0), (2, 0), (0.5, 20), (2, 40)] {
            let threshold = backoff > 0 ? backoff * units.score : 0.05
            let set = c.predictionSet(s, threshold: threshold, backoff: backoff, sharpness: sharpness)
            #expect(set.first == c.model.subheadingCodes[Int(s.candidates[0].hs6)])
            #expect(Set(set).count == set.count)
            // Brute force over every subheading the model knows.
            var expected = Set<String>()
            for (p, code) in c.model.subheadingCodes.enumerated() {
                let position = Int32(p)
                if let k = s.candidates.firstIndex(where: { $0.hs6 == position }) {
                    if k == 0 || s.probabilities[k] >= threshold { expected.insert(code) }
                } else if backoff > 0 && backoff * c.backoffScore(of: position, s, sharpness: sharpness) >= threshold {
                    expected.insert(code)
                }
            }
            #expect(Set(set) == expected)
            if backoff > 0 { #expect(set.contains { code in c.subheadingPosition[code].map { !pool.contains($0) } ?? false }) }
        }
    }

    @Test func resultsCarryKindPredictionSetAndCalibratedReview() throws {
        let c = try Fixture.classifier()
        let m = try Fixture.model()
        #expect(m.kindCalibrations.contains { $0.kind == .short })
        let r = c.classify(ClassificationRequest(description: "women's cotton blouse"))
        let kind = try #require(r.textKind)
        #expect(kind == .short)
        #expect(r.predictionSet.first == r.hs6)
        // The calibrated threshold reads the confidence before binning.
        let scaled = try #require(m.calibration(kind)).scaledProbability(Classifier.calibrationFeatures(c.score("women's cotton blouse", weights: c.model.weights)))
        #expect(r.review == (scaled < c.autoApproveThreshold(for: kind)))
        var explicit = c
        explicit.reviewThreshold = 0
        #expect(explicit.autoApproveThreshold(for: .short) == 0)
        #expect(!explicit.classify(ClassificationRequest(description: "women's cotton blouse")).review)
    }

    @Test func aQuestionSeparatesTheLeadersAndTheAnswerReRanks() throws {
        let c = try Fixture.classifier()
        #expect(c.attributeValue("material", of: "610910") == "cotton")
        #expect(c.attributeValue("material", of: "610990") == "other textile materials")
        #expect(c.attributeValue("construction", of: "610910") == "knitted")
        let r = c.classify(ClassificationRequest(description: "t-shirt"))
        let q = try #require(r.clarification)
        #expect(q.attribute == "material")
        #expect(q.options.contains("cotton") && q.options.contains("other textile materials"))
        #expect(r.question == q.question)
        let cotton = c.classify(ClassificationRequest(description: "t-shirt", answers: ["material": "cotton"]))
        #expect(cotton.hs6 == "610910")
        #expect(cotton.clarification?.attribute != "material")
        let other = c.classify(ClassificationRequest(description: "t-shirt", answers: ["material": "other textile materials"]))
        #expect(other.hs6 == "610990")
    }

    @Test func prefixFilteredGroupingMatchesAllPairs() {
        // Texts over a small vocabulary so that many pairs are near the threshold.
        var texts: [[String]] = []
        var state: UInt64 = 42
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        for _ in 0..<300 { texts.append((0..<(3 + next() % 6)).map { _ in "w\(next() % 30)" }) }
        let groups = SimilarityGroups.assign(texts)
        // Brute force: union every pair with cosine ≥ 0.7, then compare partitions.
        var parent = Array(texts.indices)
        func find(_ x: Int) -> Int { var x = x; while parent[x] != x { x = parent[x] }; return x }
        let sets = texts.map(Set.init)
        for i in sets.indices { for j in 0..<i {
            let o = sets[i].intersection(sets[j]).count
            if Double(o) / (Double(sets[i].count) * Double(sets[j].count)).squareRoot() >= 0.7 { parent[find(i)] = find(j) }
        } }
        var mismatches = 0
        for i in texts.indices { for j in 0..<i where (groups[i] == groups[j]) != (find(i) == find(j)) { mismatches += 1 } }
        #expect(mismatches == 0)
        #expect(Set(groups).count < texts.count)
    }

    @Test func answersParseFromTheRequestLine() throws {
        let r = try ClassificationRequest(jsonLine: #"{"description":"t-shirt","answers":{"material":"cotton"}}"#, line: 1)
        #expect(r.answers == ["material": "cotton"])
        #expect(throws: ClassificationError.invalidInput("line 3: answers: expected an object, got string")) {
            _ = try ClassificationRequest(jsonLine: #"{"description":"t-shirt","answers":"cotton"}"#, line: 3)
        }
    }
}
