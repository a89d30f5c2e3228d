@testable import Classification
import Foundation
import JSONCore
import Testing

@Suite struct ClassifierTests {
    @Test func classifiesWithCandidatesEvidenceAndVersion() throws {
        let c = try Fixture.classifier()
        let r = c.classify(ClassificationRequest(id: "x1", description: "Men's short sleeve t-shirt, 100% cotton, knitted"), top: 3)
        #expect(r.id == "x1")
        #expect(r.hs6 == "610910")
        #expect(r.candidates.count == 3)
        #expect(r.candidates.first?.hs6 == r.hs6)
        #expect(r.candidates.map(\.score) == r.candidates.map(\.score).sorted(by: >))
        #expect(r.candidates[0].description.contains("T-shirts"))
        #expect((0...1).contains(r.confidence))
        #expect(r.review == (r.confidence < c.autoApproveThreshold(for: try #require(r.textKind))))
        #expect(r.evidence.contains { $0.kind == .tariffLine && $0.code?.hasPrefix("610910") == true })
        let words = try #require(r.evidence.first { $0.kind == .words })
        #expect(words.text.contains("cotton") || words.text.contains("shirt"))
        #expect(r.modelVersion.hasPrefix("hs2022-"))
        #expect(r.modelVersion == (try Fixture.model()).version)
    }

    /// A bigram's bucket is hashed piece by piece; it must be the joined text's bucket, or every
    /// trained model's word features would move.
    @Test func bigramBucketsAreTheJoinedTextsBuckets() {
        for (a, b) in [("cotton", "shirt"), ("", "x"), ("men", ""), ("aluminium", "foil"), ("crème", "brûlée"), ("#n", "ml")] {
            #expect(FeatureHasher.bigramBucket(a, b) == FeatureHasher.bucket(a + " " + b, seed: 2), "\(a) \(b)")
        }
        #expect(FeatureHasher.bucket("cotton", seed: 1) == FeatureHasher.bucket(Array("cotton".utf8)[...], seed: 1))
        // Pinned: FNV-1a of the UTF-8 bytes, as models were trained with it.
        #expect(FeatureHasher.bucket("cotton", seed: 1) == 239_815)
        #expect(FeatureHasher.bigramBucket("cotton", "shirt") == 139_116)
        #expect(FeatureHasher.bigramBucket("crème", "brûlée") == 14_182)
    }

    @Test func tariffTextRowsCoverEverySubheadingAsWeakMemory() throws {
        let (kb, _) = try Fixture.loaded.get()
        #expect(ClassifierTrainer.tariffTextRows(kb, level: 0).isEmpty)
        let rows = ClassifierTrainer.tariffTextRows(kb, level: 1)
        #expect(rows.count == kb.nomenclature.subheadings.count)
        #expect(Set(rows.map(\.hs6)) == Set(kb.nomenclature.subheadings.keys))
        #expect(rows.allSatisfy { $0.origin == .lexicon && $0.origin.isWeak && !$0.origin.fitsModel })
        let tee = try #require(rows.first { $0.hs6 == "610910" })
        // The heading's wording, then the subheading's: a query in either's words finds the code.
        #expect(tee.description.hasPrefix(try #require(kb.nomenclature.headings["6109"])))
        #expect(tee.description.hasSuffix(try #require(kb.nomenclature.subheadings["610910"])))
        let withLines = ClassifierTrainer.tariffTextRows(kb, level: 2)
        #expect(withLines.count > rows.count && withLines.dropFirst(rows.count).allSatisfy { $0.nationalCode?.hasPrefix($0.hs6) == true })
        // Off by default (docs/benchmarks.md: a wash on the report splits): the model's memory has none.
        #expect(TrainingOptions().tariffTextMemory == 0)
        #expect(try Fixture.model().examples.allSatisfy { !$0.source.hasPrefix("tariff text") })
    }

    @Test func longProseAddsItsOwnRankerCoefficients() {
        var f = CandidateFeatures(hs6: 0)
        f.neighbourMax = 0.5
        f.subheading = 0.25
        let width = f.vector.count
        let shared = FusionWeights(coefficients: [2, 0, 4] + [Double](repeating: 0, count: width - 3))
        #expect(shared.fuse(f) == 2)
        #expect(shared.fuse(f, long: true) == 2)
        let perKind = FusionWeights(coefficients: shared.coefficients + [0, 0, -4] + [Double](repeating: 0, count: width - 3))
        #expect(perKind.fuse(f) == 2)
        #expect(perKind.fuse(f, long: true) == 1)
    }

    @Test func vagueInputGoesToReviewWithAQuestion() throws {
        let c = try Fixture.classifier()
        let r = c.classify(ClassificationRequest(description: "SKU-88213ABC 1234567 %"))
        #expect(r.hs6 == nil)
        #expect(r.review)
        #expect(r.confidence == 0)
        #expect(r.question != nil)
    }

    @Test func trainingWeightsComeFromCrossValidation() throws {
        let m = try Fixture.model()
        #expect(m.report.crossValidationFolds == 5)
        #expect(m.report.crossValidatedAccuracy > 0.2)
        #expect(m.calibrator.weights.count == Calibrator.featureNames.count)
        #expect(m.report.examples > 50)
    }

    @Test func nationalLineChosenWhenTheTextSaysEnough() throws {
        let c = try Fixture.classifier()
        let us = c.classify(ClassificationRequest(description: "men's cotton t-shirt knitted", destination: "US"))
        #expect(us.hs6 == "610910")
        #expect(us.nationalCode == "6109100012")
        #expect(us.tariff == "US HTS 2026 Rev 4")
        let eu = c.classify(ClassificationRequest(description: "men's cotton t-shirt knitted", destination: "FR"))
        #expect(eu.nationalCode == "6109100010")
        let gb = c.classify(ClassificationRequest(description: "men's cotton t-shirt knitted", destination: "GB"))
        #expect(gb.nationalCode == "61091000")
    }

    @Test func missingAttributeGivesHS6AndAQuestionNeverAPaddedCode() throws {
        let c = try Fixture.classifier()
        let r = c.classify(ClassificationRequest(description: "cotton t-shirt knitted", destination: "US"))
        #expect(r.hs6 == "610910")
        #expect(r.nationalCode == nil)
        let q = try #require(r.question)
        #expect(q.contains("gender"))
        // Every national code returned is a real line of its tariff.
        let m = try Fixture.model()
        for text in ["women's cotton t-shirt", "shampoo for dry hair", "stainless steel table knife", "wool jumper"] {
            for dest in ["US", "DE", "GB"] {
                let x = c.classify(ClassificationRequest(description: text, destination: dest))
                if let code = x.nationalCode {
                    let tariff = try #require(m.tariffs.first { $0.edition == x.tariff })
                    #expect(tariff.line(code: code)?.declarable == true, "\(code) for \(text) in \(dest)")
                    #expect(code.hasPrefix(x.hs6 ?? "-"))
                }
            }
        }
    }

    @Test func merchantCodesAreChecked() throws {
        let c = try Fixture.classifier()
        func check(_ code: String, date: String? = nil, dest: String? = nil) -> MerchantCodeCheck? {
            c.classify(ClassificationRequest(description: "men's cotton t-shirt knitted", destination: dest, merchantCode: code, date: date)).merchantCheck
        }
        #expect(check("6109.10")?.status == .agrees)
        #expect(check("61091")?.status == .invalid)
        #expect(check("999999")?.status == .invalid)
        #expect(check("610910", date: "2019-06-01")?.status == .invalid)
        #expect(check("610910", date: "2026-06-01")?.status == .agrees)
        #expect(check("6109100099", dest: "US")?.status == .unknownNationalLine)
        let wrong = try #require(check("330510"))
        #expect(wrong.status == .disagrees)
        #expect(wrong.message.contains("330510") && wrong.message.contains("610910"))
        let r = c.classify(ClassificationRequest(description: "men's cotton t-shirt knitted", merchantCode: "330510"))
        #expect(r.review)
    }

    @Test func correctionChangesTheAnswerForSameAndSimilarItemsAtOnce() throws {
        var c = try Fixture.classifier()
        let item = "zorblax aurora premium wrap"
        let before = c.classify(ClassificationRequest(description: item))
        #expect(before.hs6 != "611710")
        try c.learn(Correction(description: item, hs6: "611710", confirmedBy: "alice", confirmedAt: "2026-11-25T10:00:00Z"))
        let after = c.classify(ClassificationRequest(description: item))
        #expect(after.hs6 == "611710")
        let example = try #require(after.evidence.first { $0.kind == .example })
        #expect(example.confirmedBy == "alice")
        #expect(example.source == "correction")
        let similar = c.classify(ClassificationRequest(description: "zorblax aurora premium wraps, blue"))
        #expect(similar.hs6 == "611710")
        #expect(throws: ClassificationError.self) {
            try c.learn(Correction(description: item, hs6: "999999", confirmedBy: "bob", confirmedAt: "2026-11-25T10:00:00Z"))
        }
    }

    @Test func codesWithoutExamplesBorrowTheirHeadingsWordingAndCodesWithManyCarryAPrior() throws {
        let c = try Fixture.classifier()
        // A subheading with no example of its own under a heading that has some.
        let withExamples = Set(c.memoryLabels)
        let bare = try #require(c.model.subheadingCodes.indices.first { i in
            let siblings = c.childrenOfHeading[Int(c.headingOf[i])]
            return !withExamples.contains(Int32(i)) && siblings.count <= 6 && siblings.contains { withExamples.contains($0) }
        })
        #expect(c.labelPrior[bare] == 0)
        #expect(c.exampleCentroidOfHeading[Int(c.headingOf[bare])] >= 0)
        // The prior grows with the examples: the most frequent label has the largest.
        var counts: [Int32: Int] = [:]
        for l in c.memoryLabels { counts[l, default: 0] += 1 }
        let frequent = try #require(counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        #expect(c.labelPrior[Int(frequent.key)] == c.labelPrior.max())
        #expect(c.labelPrior[Int(frequent.key)] > 0)
        // Scored in the words of a sibling's example, the bare code is a candidate (its heading's
        // examples read like the item) with its heading's example similarity; every candidate's
        // sibling gap is ≤ 0, and 0 for the best of its heading.
        let sibling = try #require(c.memoryLabels.indices.first { c.headingOf[Int(c.memoryLabels[$0])] == c.headingOf[bare] })
        let s = c.score(c.memory[sibling].description, weights: c.model.weights)
        let candidate = try #require(s.candidates.first { $0.hs6 == Int32(bare) })
        #expect(candidate.headingExamples > 0)
        #expect(candidate.headingExamples == s.candidates.first { $0.hs6 == c.memoryLabels[sibling] }?.headingExamples)
        #expect(candidate.prior == 0)
        #expect(s.candidates.allSatisfy { $0.siblingGap <= 0 })
        for heading in Set(s.candidates.map(\.headingIndex)) {
            #expect(s.candidates.filter { $0.headingIndex == heading }.map(\.siblingGap).max() == 0)
        }
        // The ranker reads the new features; trained without them it keeps the 13 of older artefacts.
        #expect(c.model.weights.coefficients.count == CandidateFeatures.names.count)
        var options = TrainingOptions()
        options.fusionIterations = 10
        options.rankerExtraFeatures = false
        let (kb, examples) = try Fixture.loaded.get()
        let older = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options)
        #expect(older.weights.coefficients.count == CandidateFeatures.baseWidth)
    }

    @Test func eachTariffLineIsARetrievalDocumentOfItsSubheading() throws {
        var options = TrainingOptions()
        options.fusionIterations = 10
        options.tariffRetrieval = true
        let (kb, examples) = try Fixture.loaded.get()
        let c = Classifier(model: ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options))
        let retrieval = try #require(c.tariffRetrieval)
        // More documents than subheadings: the national lines stand beside the HS-6 texts.
        #expect(retrieval.documents > c.model.subheadingCodes.count)
        // A US statistical line's own words find its subheading first, with the heading's text in front.
        let us = try #require(c.model.tariff(.us))
        let line = try #require(us.lines.first { $0.hs6 == "610910" && $0.declarable })
        let q = c.model.vectorize(c.normalizer.tokens((c.model.nomenclature.headings["6109"] ?? "") + " " + line.text)).normalized()
        let (best, top) = retrieval.scores(c.fixedIndex.scores(q)[Classifier.Part.tariffLines.rawValue])
        #expect(top.first.map { c.model.subheadingCodes[Int($0)] } == "610910")
        #expect(best[Int(try #require(c.subheadingPosition["610910"]))] == best.max())
        #expect(c.score("cotton t-shirt", weights: c.model.weights).candidates.contains { $0.tariffLine > 0 })
        // Trained without it (the default), the classifier builds none and no candidate has a line score.
        let plain = try Fixture.classifier()
        #expect(plain.tariffRetrieval == nil)
        #expect(plain.score("cotton t-shirt", weights: plain.model.weights).candidates.allSatisfy { $0.tariffLine == 0 })
    }

    @Test func answersBackOffToTheHeadingWithItsOwnConfidenceAndSet() throws {
        let c = try Fixture.classifier()
        for text in ["men's cotton t-shirt knitted", "stainless steel kitchen knife", "t-shirt", "shampoo for dry hair 250ml"] {
            let r = c.classify(ClassificationRequest(description: text))
            let hs6 = try #require(r.hs6)
            #expect(r.heading == String(hs6.prefix(4)))
            let confidence = try #require(r.headingConfidence)
            #expect(confidence >= 0 && confidence <= 1)
            #expect(r.headingSet.first == r.heading)
            #expect(Set(r.headingSet).count == r.headingSet.count)
            let kind = try #require(r.textKind)
            let k = try #require(c.model.calibration(kind))
            let expected: ClassificationResult.AnswerLevel = !r.review ? .subheading : (r.headingConfidence ?? 0) >= k.headingThreshold - 0.0005 ? .heading : .none
            #expect(r.level == expected, "\(text)")
        }
        // A vague line has no heading either.
        #expect(c.classify(ClassificationRequest(description: "SKU-88213ABC 1234567 %")).level == nil)
    }

    @Test func artefactRoundTripsAndRejectsDamage() throws {
        let m = try Fixture.model()
        let bytes = ModelCodec.encode(m)
        let back = try ModelCodec.decode(bytes)
        #expect(back.version == m.version)
        #expect(back.weights == m.weights)
        #expect(back.kindCalibrations.map(\.boosted) == m.kindCalibrations.map(\.boosted))
        #expect(back.kindCalibrations.map(\.platt) == m.kindCalibrations.map(\.platt))
        #expect(back.kindCalibrations.map(\.headingPlatt) == m.kindCalibrations.map(\.headingPlatt))
        #expect(back.kindCalibrations.map { [$0.headingThreshold, $0.headingSetThreshold, $0.headingRecall, $0.setBackoff, $0.setThreshold] }
                == m.kindCalibrations.map { [$0.headingThreshold, $0.headingSetThreshold, $0.headingRecall, $0.setBackoff, $0.setThreshold] })
        #expect(back.tariffRetrieval == m.tariffRetrieval)
        let req = ClassificationRequest(description: "shampoo for dry hair 250ml", destination: "US")
        #expect(Classifier(model: back).classify(req) == Classifier(model: m).classify(req))
        #expect(throws: ClassificationError.self) { _ = try ModelCodec.decode(Array(bytes.prefix(bytes.count / 2))) }
        #expect(throws: ClassificationError.invalidModel("not a CustomsHub classifier artefact (bad magic)")) {
            _ = try ModelCodec.decode(Array("not a model at all".utf8))
        }
    }

    @Test func formatNineKeepsTheSetsSharpnessAndTheBinningAndFormatEightStillLoads() throws {
        var m = try Fixture.model()
        try #require(!m.kindCalibrations.isEmpty)
        for k in m.kindCalibrations.indices {
            m.kindCalibrations[k].setSharpness = 20 + Double(k)
            m.kindCalibrations[k].headingSetSharpness = 10
            m.kindCalibrations[k].binning = ConfidenceBinning(upperBounds: [0.2, 0.6, 1], values: [0.1, 0.4, 0.9])
        }
        let bytes = ModelCodec.encode(m)
        let back = try ModelCodec.decode(bytes)
        #expect(back.kindCalibrations.map(\.setSharpness) == m.kindCalibrations.map(\.setSharpness))
        #expect(back.kindCalibrations.map(\.headingSetSharpness) == m.kindCalibrations.map(\.headingSetSharpness))
        #expect(back.kindCalibrations.map(\.binning) == m.kindCalibrations.map(\.binning))
        // The binning is what answers: a scaled confidence of 0.5 reads 0.4.
        #expect(back.kindCalibrations[0].binning.value(at: 0.5) == 0.4 && back.kindCalibrations[0].binning.value(at: 0.05) == 0.1)
        // Format 8: the same bytes without format 11's and 10's closing sections (the heading and
        // chapter models) and format 9's two (the encoder mode with the cascade's, then this one),
        // with the format number 8.
        try #require(m.cascade == nil)
        let modeSection = 4 + m.encoderMode.rawValue.utf8.count + 1
        var old = Array(bytes.dropLast(ModelCodec.headingSectionBytes(m) + ModelCodec.chapterSectionBytes(m) + m.kindCalibrations.count * (16 + 4 + 3 * 16) + modeSection))
        let at = Array("CHHSCLS".utf8).count
        try #require(old[at] == 11)
        old[at] = 8
        let eight = try ModelCodec.decode(old)
        #expect(eight.kindCalibrations.allSatisfy { $0.setSharpness == 0 && $0.headingSetSharpness == 0 && $0.binning.isEmpty })
        #expect(eight.kindCalibrations.map(\.setBackoff) == m.kindCalibrations.map(\.setBackoff))
        // Bounds out of order are refused by name.
        var bad = m
        bad.kindCalibrations[0].binning = ConfidenceBinning(upperBounds: [0.6, 0.2], values: [0.1, 0.4])
        #expect(throws: ClassificationError.self) { _ = try ModelCodec.decode(ModelCodec.encode(bad)) }
    }
}

@Suite struct RequestAndEvaluationTests {
    @Test func requestLinesParseAndBadOnesNameLineAndField() throws {
        let r = try ClassificationRequest(jsonLine: #"{"id": 7, "description": "tee", "destination": "US", "hs_code": "6109.10"}"#, line: 1)
        #expect(r.id == "7")
        #expect(r.merchantCode == "6109.10")
        #expect(throws: ClassificationError.invalidInput("line 4: description: is required")) {
            _ = try ClassificationRequest(jsonLine: #"{"id": "a"}"#, line: 4)
        }
        #expect(throws: ClassificationError.invalidInput("line 2: destination: expected a string, got integer")) {
            _ = try ClassificationRequest(jsonLine: #"{"description": "x", "destination": 5}"#, line: 2)
        }
        do {
            _ = try ClassificationRequest(jsonLine: "{\"description\": ", line: 9)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("invalid input: line 9: invalid JSON at line 1, column"))
        }
    }

    @Test func nearDuplicatesStayOnOneSideOfTheSplit() {
        let n = TextNormalizer()
        var texts: [[String]] = []
        func word(_ i: Int, _ salt: Int) -> String {
            let letters = Array("bcdfghjklmnpqrstvwxz")
            return String([letters[i % 20], "a", letters[(i / 20 + salt) % 20], "o", letters[(i * 7 + salt) % 20], "e"])
        }
        for i in 0..<200 { texts.append([word(i, 1), word(i, 2), word(i, 3)]) }
        texts.append(n.tokens("blue cotton scarf with tassels"))
        texts.append(n.tokens("blue cotton scarf with tassels!"))
        texts.append(n.tokens("blue cotton scarves with tassels"))
        let split = EvaluationSplit(tokenLists: texts, testPercent: 20)
        #expect(split.groups[200] == split.groups[201] && split.groups[201] == split.groups[202])
        let inTest = [200, 201, 202].map { split.test.contains($0) }
        #expect(Set(inTest).count == 1)
        #expect(split.train.count + split.test.count == texts.count)
        #expect(!split.test.isEmpty && !split.train.isEmpty)
        #expect(EvaluationSplit(tokenLists: texts, testPercent: 20).test == split.test)
        // Groups formed once serve every salt (the multi-split bench) and give the same split.
        for salt in ["", "dev-1", "report-3"] {
            let direct = EvaluationSplit(tokenLists: texts, testPercent: 20, salt: salt)
            let reused = EvaluationSplit(groups: split.groups, tokenLists: texts, testPercent: 20, salt: salt)
            #expect(reused.test == direct.test && reused.train == direct.train)
        }
        #expect(EvaluationSplit(tokenLists: texts, testPercent: 20, salt: "dev-1").test != split.test)
    }

    @Test func metricsAtEachLevel() {
        let m = EvaluationMetrics.compute(
            ranked: [["610910", "610990"], ["610990", "610910"], ["620520"], []],
            truth: ["610910", "610910", "610510", "330510"], confidence: [0.9, 0.95, 0.2, 0], threshold: 0.8)
        #expect(m.top1HS6 == 0.25)
        #expect(m.top1Heading == 0.5)
        #expect(m.top1Chapter == 0.5)
        #expect(m.top5HS6 == 0.5)
        #expect(m.autoApprovedShare == 0.5)
        #expect(m.autoApprovedAccuracy == 0.5)
    }

    @Test func calibratorLearnsObservedFrequencies() {
        // Items with feature x are right with probability x; a fitted calibrator should say so.
        var rows: [[Double]] = [], labels: [Bool] = []
        for i in 0..<2000 {
            let x = Double(i % 10) / 10 + 0.05
            rows.append([x])
            labels.append(Double((i * 7919) % 1000) / 1000 < x)
        }
        let cal = Calibrator.fit(rows, labels, iterations: 2000, rate: 2)
        let table = ReliabilityTable(confidence: rows.map { cal.probability($0) }, correct: labels)
        #expect(table.expectedCalibrationError < 0.06)
        #expect(cal.probability([0.95]) > 0.8)
        #expect(cal.probability([0.05]) < 0.2)
    }
}
