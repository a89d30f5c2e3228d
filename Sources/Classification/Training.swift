import Foundation

/// Knobs for training; the defaults are what `customs-hub train` uses.
public struct TrainingOptions: Sendable {
    public var folds = 5
    public var neighbours = 10
    public var reviewThreshold = 0.8
    public var wordShare: Float = 0.5
    public var subheadingLimit = 200
    public var headingLimit = 400
    public var chapterLimit = 800
    public init() {}
}

/// Fits a `ClassifierModel` from the knowledge base and confirmed examples: IDF statistics,
/// centroid (Rocchio) linear models per chapter, heading and subheading, the example memory, the
/// fusion weights by grouped cross-validation on the examples, and the confidence calibrator on
/// the same out-of-fold predictions.
public enum ClassifierTrainer {
    public static func train(knowledgeBase kb: KnowledgeBase, examples rawExamples: [LabelledExample], trainedAt: String, options: TrainingOptions = TrainingOptions()) -> ClassifierModel {
        let examples = rawExamples.filter { kb.nomenclature.contains($0.hs6) }
        let codes = kb.nomenclature.subheadings.keys.sorted()
        let base = TextNormalizer()

        // 1. Knowledge-base documents, tokenised.
        var tariffs = kb.tariffs
        var linesByHS6: [String: [[String]]] = [:]
        for t in tariffs.indices {
            for l in tariffs[t].lines.indices {
                let tokens = base.tokens(tariffs[t].lines[l].text)
                tariffs[t].lines[l].tokens = tokens
                linesByHS6[tariffs[t].lines[l].hs6, default: []].append(tokens)
            }
        }
        let fullTokens = codes.map { base.tokens(kb.nomenclature.fullText($0)) }
        let lineTokens = codes.map { linesByHS6[$0] ?? [] }

        // 2. Merchant abbreviations: example words unknown to the tariff texts whose consonant
        //    skeleton matches a longer tariff word ("shmpoo" → "shampoo").
        var vocabulary: [String: Int] = [:]
        for t in fullTokens { for w in t { vocabulary[w, default: 0] += 1 } }
        for ls in lineTokens { for t in ls { for w in t { vocabulary[w, default: 0] += 1 } } }
        let learned = AbbreviationLearner.learn(vocabulary: vocabulary, texts: examples.map { base.tokens($0.description) })
        let normalizer = TextNormalizer(learnedAbbreviations: learned)
        let exampleTokens = examples.map { normalizer.tokens($0.description) }

        // 3. IDF over every document.
        let fullCounts = fullTokens.map(FeatureHasher.counts)
        let lineCounts = lineTokens.map { $0.map(FeatureHasher.counts) }
        let exampleCounts = exampleTokens.map(FeatureHasher.counts)
        var df = [Float](repeating: 0, count: FeatureHasher.dimension)
        var documents = 0
        func count(_ c: FeatureHasher.Counts) {
            for i in c.word.indices { df[Int(i)] += 1 }
            for i in c.char.indices { df[Int(i)] += 1 }
            documents += 1
        }
        fullCounts.forEach(count)
        lineCounts.forEach { $0.forEach(count) }
        exampleCounts.forEach(count)
        let n = Float(documents)
        let idf = df.map { log((1 + n) / (1 + $0)) + 1 }

        var model = ClassifierModel(
            version: "", trainedAt: trainedAt, learnedAbbreviations: learned, idf: idf, wordShare: options.wordShare,
            subheadingCodes: codes, subheadingCentroids: [], headingCodes: [], headingCentroids: [], chapterCodes: [], chapterCentroids: [],
            nomenclature: kb.nomenclature, tariffs: tariffs, examples: examples,
            weights: FusionWeights(neighbourMax: 1, neighbourVote: 1, subheading: 1, heading: 0.5, chapter: 0.25, temperature: 10),
            calibrator: Calibrator(weights: [], bias: 0), neighbours: options.neighbours, reviewThreshold: options.reviewThreshold,
            report: TrainingReport(subheadings: codes.count, tariffLines: lineCounts.reduce(0) { $0 + $1.count }, examples: examples.count,
                                   crossValidationFolds: options.folds, crossValidatedAccuracy: 0, learnedAbbreviations: learned.count))

        // 4. Centroids: subheading = its nomenclature text plus its tariff lines (each subheading's
        //    lines weigh as much together as one extra document per √n); heading and chapter sum
        //    their children. Codes are sorted, so parents close in order.
        var sub = DenseAccumulator(dimension: FeatureHasher.dimension)
        var head = DenseAccumulator(dimension: FeatureHasher.dimension)
        var chap = DenseAccumulator(dimension: FeatureHasher.dimension)
        var currentHeading = "", currentChapter = ""
        func closeHeading() {
            guard !currentHeading.isEmpty else { return }
            model.headingCodes.append(currentHeading)
            model.headingCentroids.append(head.take().normalized().pruned(to: options.headingLimit).normalized())
        }
        func closeChapter() {
            guard !currentChapter.isEmpty else { return }
            model.chapterCodes.append(currentChapter)
            model.chapterCentroids.append(chap.take().normalized().pruned(to: options.chapterLimit).normalized())
        }
        for (k, code) in codes.enumerated() {
            let h = String(code.prefix(4)), c = String(code.prefix(2))
            if h != currentHeading { closeHeading(); currentHeading = h }
            if c != currentChapter { closeChapter(); currentChapter = c }
            sub.add(model.vectorize(counts: fullCounts[k]))
            let lines = lineCounts[k]
            let w = lines.isEmpty ? 0 : 1 / Float(lines.count).squareRoot()
            for l in lines { sub.add(model.vectorize(counts: l), weight: w) }
            let centroid = sub.take().normalized()
            head.add(centroid)
            chap.add(centroid)
            model.subheadingCentroids.append(centroid.pruned(to: options.subheadingLimit).normalized())
        }
        closeHeading()
        closeChapter()

        // 5. Fusion weights and calibrator from grouped cross-validation over the examples.
        if examples.count >= options.folds * 4 {
            let groups = SimilarityGroups.assign(exampleTokens)
            let folds = groups.map { $0 % options.folds }
            var classifier = Classifier(model: model)
            var oof: [(Classifier.Scored, Int32?)] = []
            for fold in 0..<options.folds {
                classifier.hidden = Set(folds.indices.filter { folds[$0] == fold })
                classifier.buildExampleCentroids(excluding: classifier.hidden)
                for i in folds.indices where folds[i] == fold {
                    let s = classifier.score(examples[i].description, weights: model.weights)
                    oof.append((s, classifier.subheadingPosition[examples[i].hs6]))
                }
            }
            let (weights, accuracy) = FusionSearch.best(oof)
            model.weights = weights
            model.report.crossValidatedAccuracy = accuracy
            var rows: [[Double]] = []
            var labels: [Bool] = []
            for (s, label) in oof {
                let r = FusionSearch.rescored(s, weights)
                rows.append(Classifier.calibrationFeatures(r))
                labels.append(r.candidates.first?.hs6 == label && label != nil)
            }
            model.calibrator = Calibrator.fit(rows, labels)
        } else {
            model.calibrator = Calibrator(weights: [4, 4, 0, 0, 0, 0, 0], bias: -4)
        }
        model.version = ModelVersion.make(model)
        return model
    }
}

/// Grid search for fusion weights on out-of-fold candidate scores, then the softmax temperature by
/// likelihood. Small grid, exhaustive, deterministic.
enum FusionSearch {
    static func best(_ oof: [(Classifier.Scored, Int32?)]) -> (FusionWeights, Double) {
        // Coordinate ascent over a small grid per weight (two sweeps): a few dozen evaluations
        // instead of the full product, with the same answer in practice.
        var best = FusionWeights(neighbourMax: 1, neighbourVote: 1, subheading: 1, heading: 0.5, chapter: 0.25, temperature: 1)
        var bestAccuracy = accuracy(oof, best)
        let paths: [WritableKeyPath<FusionWeights, Double>] = [\.neighbourMax, \.neighbourVote, \.exampleCentroid, \.heading, \.chapter]
        for _ in 0..<2 {
            for path in paths {
                for value in [0, 0.25, 0.5, 1, 2, 4] {
                    var w = best
                    w[keyPath: path] = value
                    let acc = accuracy(oof, w)
                    if acc > bestAccuracy + 1e-12 { bestAccuracy = acc; best = w }
                }
            }
        }
        // Temperature: maximise the likelihood of the true label among the candidates.
        var bestT = 1.0, bestLL = -Double.infinity
        for t in [1.0, 2, 3, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60] {
            var ll = 0.0
            for (s, label) in oof {
                let fused = s.candidates.map { best.fuse($0) * t }
                let m = fused.max() ?? 0
                let z = fused.reduce(0) { $0 + exp($1 - m) }
                let p = s.candidates.firstIndex { $0.hs6 == label }.map { exp(fused[$0] - m) / z } ?? 1e-6
                ll += log(max(p, 1e-6))
            }
            if ll > bestLL { bestLL = ll; bestT = t }
        }
        best.temperature = bestT
        return (best, bestAccuracy)
    }

    /// Top-1 accuracy of fused scores (the subheading weight is fixed at 1 as the scale).
    static func accuracy(_ oof: [(Classifier.Scored, Int32?)], _ w: FusionWeights) -> Double {
        var correct = 0
        for (s, label) in oof {
            guard let label else { continue }
            var top: Int32 = -1
            var topScore = -Double.infinity
            for c in s.candidates {
                let v = w.fuse(c)
                if v > topScore || (v == topScore && c.hs6 < top) { topScore = v; top = c.hs6 }
            }
            if top == label { correct += 1 }
        }
        return Double(correct) / Double(max(1, oof.count))
    }

    static func rescored(_ s: Classifier.Scored, _ w: FusionWeights) -> Classifier.Scored {
        var r = s
        let fused = s.candidates.map { w.fuse($0) * w.temperature }
        let m = fused.max() ?? 0
        let ex = fused.map { exp($0 - m) }
        let z = ex.reduce(0, +)
        let order = fused.indices.sorted { fused[$0] > fused[$1] || (fused[$0] == fused[$1] && s.candidates[$0].hs6 < s.candidates[$1].hs6) }
        r.candidates = order.map { s.candidates[$0] }
        r.probabilities = order.map { ex[$0] / z }
        return r
    }
}

/// Learns merchant shorthand from the examples: a word the tariff never uses, whose consonant
/// skeleton equals that of a longer tariff word with the same first letter.
public enum AbbreviationLearner {
    public static func skeleton(_ w: String) -> String {
        guard let first = w.first else { return "" }
        return String(first) + w.dropFirst().filter { !"aeiouy".contains($0) }
    }

    public static func learn(vocabulary: [String: Int], texts: [[String]]) -> [String: String] {
        var bySkeleton: [String: (String, Int)] = [:]
        for (w, n) in vocabulary where w.count >= 4 && w.allSatisfy(\.isLetter) {
            let k = skeleton(w)
            if let cur = bySkeleton[k], cur.1 > n || (cur.1 == n && cur.0 < w) { continue }
            bySkeleton[k] = (w, n)
        }
        var out: [String: String] = [:]
        for t in texts {
            for w in t where vocabulary[w] == nil && w.count >= 3 && w.allSatisfy(\.isLetter) {
                let k = skeleton(w)
                guard k.count >= 3, let (target, _) = bySkeleton[k], target.count > w.count else { continue }
                out[w] = target
            }
        }
        return out
    }
}

enum ModelVersion {
    /// Same inputs, same version: a hash of what the model was trained from and what it chose.
    static func make(_ m: ClassifierModel) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) { for b in s.utf8 { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01B3 }; h ^= 0xff; h = h &* 0x0000_0100_0000_01B3 }
        mix(Nomenclature.edition)
        m.subheadingCodes.forEach(mix)
        for t in m.tariffs { mix(t.edition); mix(String(t.lines.count)) }
        for e in m.examples { mix(e.description); mix(e.hs6) }
        mix("\(m.weights)")
        mix("\(m.wordShare) \(m.neighbours)")
        return "hs2022-" + String(h, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
