import Foundation

/// Knobs for training; the defaults are what `customs-hub train` uses.
public struct TrainingOptions: Sendable {
    public var folds = 5
    public var neighbours = 20
    /// The threshold for a text kind with too few held-out rows to calibrate its own: 1 sends every
    /// such result to review, since nothing measured says how often it would auto-approve a wrong code.
    public var reviewThreshold = 1.0
    public var wordShare: Float = 0.5
    public var subheadingLimit = 200
    public var headingLimit = 400
    public var chapterLimit = 800
    /// Gradient steps for the fusion ranker.
    public var fusionIterations = 300
    /// At most this many held-out rows fit the fusion ranker (an even sample of them); all of them
    /// calibrate. Keeps training in seconds with tens of thousands of examples.
    public var fusionRowLimit = 3000
    /// Similarity weight of model-written (weak-label) examples in the memory.
    public var weakExampleWeight = 0.7
    /// Score long prose on its goods sentences (`GoodsText`).
    public var focusLongText = true
    /// The tariff's own wording as memory rows (weak, like `lexicon` rows), so that a code with no
    /// example still gets neighbour votes and an example centroid: 0 none, 1 each HS subheading's
    /// heading and subheading text, 2 also each declarable US HTS line under its heading. Off: level
    /// 1 gained a point on rulings over five dev splits but nothing over five report splits, and
    /// level 2 less at twice the training time (docs/benchmarks.md).
    public var tariffTextMemory = 0
    /// The ranker gets a second set of coefficients for long prose (added to the shared ones).
    /// Off: over five dev and five report splits it raised rulings HS-6 by about a point, but the
    /// confidence then auto-approved 20 lines on two splits of which 17 were right (85 %, under
    /// the 95 % goal) where the shared ranker approves none. Under the auto-approval rule of that
    /// time (a threshold proposed on three folds and confirmed on two, since replaced by
    /// `SelectiveApproval`) it approved nothing and still gained a point (report rulings 0.362 →
    /// 0.373), but the rulings' confidence lost its calibration (pooled ECE 0.016 → 0.051, Brier
    /// 0.175 → 0.189), which is what is left to fix before it is switched on (docs/benchmarks.md).
    /// Not measured again under `SelectiveApproval`.
    public var rankerPerKind = false
    /// The ranker reads the heading-example, prior and sibling-gap features
    /// (`CandidateFeatures.headingExamples` and after); off, it reads the first 13 as before.
    public var rankerExtraFeatures = true
    /// Candidate features the ranker is fitted without (positions in `CandidateFeatures.names`;
    /// their coefficients stay 0), for measuring what each one adds.
    public var rankerDroppedFeatures: Set<Int> = []
    /// The ranker's candidate features, by position.
    public static let rankerFeatureNames = CandidateFeatures.names
    /// Retrieve single tariff lines beside the examples (`TariffRetrieval`). Off: on two fresh
    /// splits it moved HS-6 top-1 by −1.7 to +1.3 points and calibration both ways (docs/benchmarks.md).
    public var tariffRetrieval = false
    /// Platt scaling of the confidence fitted on held-out scores of averaged trees, like the
    /// model that answers (`KindCalibration.fit`'s `nestedAveraging`); off, on one tree's scores.
    public var nestedCalibration = true
    /// Bins of the reported confidence per kind (`ConfidenceBinning`); 0 leaves it as Platt
    /// scaling gives it. Each bin reads the accuracy of ~240 held-out rulings (~390 titles), and a
    /// split's test ECE is that estimate's error plus the test rows' own draw, both growing with
    /// the levels: six bins left a perfectly calibrated confidence at about 0.05 on ~330 test
    /// rulings, the goal's bound. Five, chosen on fifteen dev splits (dev-1…dev-15, the held-out
    /// rows' map replayed on the test rows): ECE 0.053 → 0.044 on rulings and 0.042 → 0.038 on
    /// parcels, Brier +0.002 and +0.003, every answer the same; three bins reach 0.040 and 0.032
    /// at Brier +0.007 and +0.008 (issue #19, session 30; docs/benchmarks.md).
    public var confidenceBins = 5
    /// Auto-approve only where held-out precision (lower bound) reaches this.
    public var autoApprovePrecision = 0.95
    /// The prediction set's target coverage on held-out rows.
    public var setCoverage = 0.9
    /// A review answer names its heading as settled (`level: heading`) where held-out headings at
    /// that confidence were right at least this often (lower bound).
    public var headingPrecision = 0.9
    /// With a static encoder and the full one for the examples: also fit the slow path's ranker
    /// (`EncoderCascade`), and send this share of each kind's held-out lines to it, the least sure
    /// first. Chosen on the dev splits against the forward pass's cost (docs/benchmarks.md).
    public var cascade = false
    public var cascadeShare: [TextKind: Double] = [.long: 0.08, .short: 0.3]
    /// Word pieces the slow path's forward pass reads of a query: 64 cost two thirds of 128 per
    /// ruling and lost nothing on the dev splits (their goods sentences come first).
    public var cascadeQueryTokens = 64
    /// Fit the discriminative chapter model (`ChapterModel`) and give the ranker its chapter
    /// probability; each fold's held-out rows read a model fitted without the fold.
    public var chapterModel = true
    /// Its fit, chosen on the dev splits: 4 epochs at a step of 1 told the held-out chapters
    /// apart less well (rulings 0.56 against 0.59 on dev-1), 8 at 10 no better and the answers less.
    public var chapterModelEpochs = 6
    public var chapterModelRate: Float = 3
    /// Weights kept per chapter.
    public var chapterModelLimit = 4000
    /// A weak (model-written) row's weight in the chapter model's fit (nil: `weakExampleWeight`).
    public var chapterModelWeakWeight: Float?
    /// Fit the heading model within each chapter (`HeadingModel`, with the chapter model only) and
    /// give the ranker the heading's probability; cross-fitted per fold like the chapter model.
    public var headingModel = true
    public var headingModelEpochs = 6
    public var headingModelRate: Float = 3
    /// Weights kept per heading.
    public var headingModelLimit = 1000
    /// The confidence reads the chapter and heading models' probabilities of the answer
    /// (`Classifier.calibrationFeatures`' last three); off, it is fitted on zeros there.
    public var confidenceModelFeatures = false
    /// Threads for training's independent pieces (`TrainingConcurrency`): the same model with any
    /// number; 1 runs them one after another.
    public var threads = TrainingConcurrency.defaultThreads
    public init() {}
}

/// Fits a `ClassifierModel` from the knowledge base and confirmed examples: IDF statistics,
/// centroid (Rocchio) linear models per chapter, heading and subheading, the example memory, the
/// fusion weights by grouped cross-validation on the examples, and the confidence calibrator on
/// the same out-of-fold predictions.
public enum ClassifierTrainer {
    /// The memory rows of `TrainingOptions.tariffTextMemory`.
    static func tariffTextRows(_ kb: KnowledgeBase, level: Int) -> [LabelledExample] {
        guard level > 0 else { return [] }
        let n = kb.nomenclature
        var rows: [LabelledExample] = n.subheadings.keys.sorted().map { code in
            let text = [n.headings[String(code.prefix(4))] ?? "", n.subheadings[code] ?? ""].filter { !$0.isEmpty }.joined(separator: " > ")
            return LabelledExample(description: text, hs6: code, source: "tariff text HS 2022", origin: .lexicon)
        }
        if level > 1, let us = kb.tariffs.first(where: { $0.jurisdiction == .us }) {
            for line in us.lines where line.declarable {
                let heading = n.headings[String(line.hs6.prefix(4))] ?? ""
                rows.append(LabelledExample(description: heading + " > " + line.text, hs6: line.hs6, nationalCode: line.code,
                                            source: "tariff text \(us.edition)", origin: .lexicon))
            }
        }
        return rows
    }

    /// `encoder`: a sentence encoder whose vectors of the examples go into the artefact and whose
    /// features the ranker is fitted on; the classifier must then be loaded with the same encoder.
    /// `exampleEncoder`: encodes the examples instead, when queries are encoded by `encoder` into
    /// its space (a static encoder projected onto the full one's vectors); with `options.cascade`,
    /// it also encodes the queries of the slow path's ranker.
    public static func train(knowledgeBase kb: KnowledgeBase, examples rawExamples: [LabelledExample], trainedAt: String, options: TrainingOptions = TrainingOptions(),
                             encoder: (any SentenceEncoder)? = nil, exampleEncoder: (any SentenceEncoder)? = nil) -> ClassifierModel {
        // Exact repeats (same normalised text, same code) add nothing; the first one stays.
        var seenKeys = Set<String>()
        let examples = (rawExamples + tariffTextRows(kb, level: options.tariffTextMemory)).filter {
            kb.nomenclature.contains($0.hs6) && seenKeys.insert(TextNormalizer().tokens($0.description).joined(separator: " ") + "|" + $0.hs6).inserted
        }
        let codes = kb.nomenclature.subheadings.keys.sorted()
        let base = TextNormalizer()

        // 1. Knowledge-base documents, tokenised.
        var tariffs = kb.tariffs
        var linesByHS6: [String: [[String]]] = [:]
        for t in tariffs.indices {
            for l in tariffs[t].lines.indices {
                let text = TariffLine.tokenText(tariffs[t].lines[l].text, normalizer: base)
                tariffs[t].lines[l].tokenText = text
                let tokens = text.split(separator: " ").filter { $0 != ">" }.map(String.init)
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
        let exampleTokens = examples.map { normalizer.tokens(options.focusLongText ? GoodsText.focus($0.description) : $0.description) }

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
            weights: .initial,
            calibrator: Calibrator(weights: [], bias: 0), neighbours: options.neighbours, reviewThreshold: options.reviewThreshold,
            report: TrainingReport(subheadings: codes.count, tariffLines: lineCounts.reduce(0) { $0 + $1.count }, examples: examples.count,
                                   crossValidationFolds: options.folds, crossValidatedAccuracy: 0, learnedAbbreviations: learned.count))
        model.weakExampleWeight = options.weakExampleWeight
        model.focusLongText = options.focusLongText
        model.tariffRetrieval = options.tariffRetrieval
        if let encoder {
            var matrix = EmbeddingMatrix(dimension: encoder.dimension)
            for e in examples { matrix.append((exampleEncoder ?? encoder).encode(EncoderInput.text(e.description, focusLongText: options.focusLongText))) }
            model.exampleEmbeddings = matrix
            model.staticEncoder = encoder as? StaticSentenceEncoder
        }

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

        // 5. Fusion weights and calibration from grouped cross-validation over the examples written
        //    by people in the queries' language: each one is scored with its fold hidden from the
        //    memory, the ranker is fitted on those held-out scores, and confidence, auto-approve
        //    thresholds and prediction sets are fitted per text kind on rows rescored by a ranker
        //    that did not see their fold either (cross-fitting).
        let fitting = examples.indices.filter { examples[$0].origin.fitsModel }
        if fitting.count >= options.folds * 4 {
            let groups = SimilarityGroups.assign(exampleTokens)
            let folds = groups.map { $0 % options.folds }
            let classifier = Classifier(model: model, encoder: encoder)
            let threads = options.threads
            // The chapter and heading models per fold (the memory rows outside it) and on every row,
            // fitted side by side, the chapter models (the longest) first; read by every pass.
            let chapterRows = options.chapterModel ? classifier.chapterModelRows() : nil
            let headingsOfChapter = classifier.headingsOfChapter
            let weak = options.chapterModelWeakWeight ?? Float(options.weakExampleWeight)
            let exampleWeak = examples.map { $0.origin.isWeak }
            @Sendable func rowWeights(fold: Int?) -> [Float] {
                exampleWeak.indices.map { i -> Float in
                    if let fold, folds[i] == fold { return 0 }
                    return exampleWeak[i] ? weak : 1
                }
            }
            let modelFolds: [Int?] = Array(0..<options.folds) + [nil]
            let chapterCount = model.chapterCodes.count
            let fittedModels: [FoldModel] = TrainingConcurrency.map(2 * modelFolds.count, threads: threads) { k in
                guard let chapterRows else { return .none }
                let fold = modelFolds[k % modelFolds.count]
                if k < modelFolds.count {
                    return .chapter(ChapterModel.fit(vectors: chapterRows.vectors, chapters: chapterRows.chapters, rowWeights: rowWeights(fold: fold),
                                                     chapterCount: chapterCount, epochs: options.chapterModelEpochs, rate: options.chapterModelRate,
                                                     limit: options.chapterModelLimit))
                }
                guard options.headingModel else { return .none }
                return .heading(HeadingModel.fit(vectors: chapterRows.vectors, headings: chapterRows.headings, rowWeights: rowWeights(fold: fold),
                                                 headingsOfChapter: headingsOfChapter, epochs: options.headingModelEpochs,
                                                 rate: options.headingModelRate, limit: options.headingModelLimit))
            }
            @Sendable func chapterModel(fold: Int?) -> ChapterModel? {
                if case .chapter(let m) = fittedModels[fold ?? options.folds] { return m }
                return nil
            }
            @Sendable func headingModel(fold: Int?) -> HeadingModel? {
                if case .heading(let m) = fittedModels[modelFolds.count + (fold ?? options.folds)] { return m }
                return nil
            }
            // Per row, the similarities of the codes (and headings) outside its candidate pool, in
            // the order of its back-off units' members; the full per-code arrays are dropped, as
            // thousands of rows would hold hundreds of megabytes of them.
            typealias Outside = (codes: [[Float]], headings: [[Float]])
            /// Each fitting row scored with its fold hidden from the memory, its fold, and what lies
            /// outside its pool; the folds scored side by side, each by a copy of `classifier` that
            /// hides it, their rows in fold order.
            func outOfFold(_ classifier: Classifier, weights: FusionWeights) -> ([(Classifier.Scored, Int32?)], [Int], [Outside]) {
                let perFold = TrainingConcurrency.map(options.folds, threads: threads) { fold -> [(Classifier.Scored, Int32?, Outside)] in
                    var classifier = classifier
                    classifier.hidden = Set(folds.indices.filter { folds[$0] == fold })
                    classifier.buildExampleCentroids(excluding: classifier.hidden)
                    classifier.setModels(chapter: chapterModel(fold: fold), heading: headingModel(fold: fold))
                    var rows: [(Classifier.Scored, Int32?, Outside)] = []
                    for i in fitting where folds[i] == fold {
                        var s = classifier.score(examples[i].description, weights: weights)
                        let outside = (classifier.backoffUnits(s).map { $0.members.map { s.codeSimilarity[Int($0)] } },
                                       classifier.headingBackoffUnits(s).map { $0.members.map { s.headingSimilarity[Int($0)] } })
                        s.codeSimilarity = []
                        s.headingSimilarity = []
                        rows.append((s, classifier.subheadingPosition[examples[i].hs6], outside))
                    }
                    return rows
                }
                var oof: [(Classifier.Scored, Int32?)] = []
                var oofFolds: [Int] = []
                var outside: [Outside] = []
                for (fold, rows) in perFold.enumerated() {
                    for (s, label, o) in rows { oof.append((s, label)); oofFolds.append(fold); outside.append(o) }
                }
                return (oof, oofFolds, outside)
            }
            let (oof, oofFolds, oofOutside) = outOfFold(classifier, weights: model.weights)
            model.chapterModel = chapterModel(fold: nil)
            model.headingModel = headingModel(fold: nil)
            // The example behind each held-out row (`outOfFold` walks the folds in order).
            let oofExamples = (0..<options.folds).flatMap { f in fitting.filter { folds[$0] == f } }
            @Sendable func sample(_ rows: [(Classifier.Scored, Int32?)]) -> [(Classifier.Scored, Int32?)] {
                guard rows.count > options.fusionRowLimit else { return rows }
                let step = Double(rows.count) / Double(options.fusionRowLimit)
                return (0..<options.fusionRowLimit).map { rows[Int(Double($0) * step)] }
            }
            // The ranker on every held-out row, and per fold one fitted without the fold (for the
            // calibration rows), side by side.
            let rankers = TrainingConcurrency.map(1 + options.folds, threads: threads) { k -> FusionWeights in
                let rows = k == 0 ? oof : oofFolds.indices.filter { oofFolds[$0] != k - 1 }.map { oof[$0] }
                return FusionSearch.fit(sample(rows), iterations: options.fusionIterations, perKind: options.rankerPerKind,
                                        extraFeatures: options.rankerExtraFeatures, dropped: options.rankerDroppedFeatures).0
            }
            let weights = rankers[0]
            model.weights = weights
            model.report.crossValidatedAccuracy = FusionSearch.accuracy(oof, weights)
            if options.cascade, let full = exampleEncoder, model.staticEncoder != nil {
                // The slow path's ranker reads the same rows with the full encoder's query vectors.
                let (slowOOF, _, _) = outOfFold(Classifier(model: model, encoder: full), weights: model.weights)
                let (slowWeights, _) = FusionSearch.fit(sample(slowOOF), iterations: options.fusionIterations, perKind: options.rankerPerKind,
                                                         extraFeatures: options.rankerExtraFeatures, dropped: options.rankerDroppedFeatures)
                var margins: [TextKind: [Double]] = [:]
                for (s, _) in oof { margins[s.kind, default: []].append(Classifier.margin(FusionSearch.rescored(s, weights))) }
                var thresholds: [TextKind: Double] = [:]
                for (kind, share) in options.cascadeShare { thresholds[kind] = EncoderCascade.threshold(margins: margins[kind] ?? [], share: share) }
                model.cascade = EncoderCascade(weights: slowWeights, marginThresholds: thresholds, queryTokens: options.cascadeQueryTokens)
            }
            var rows: [[Double]] = []
            var labels: [Bool] = []
            var byKind: [TextKind: [KindCalibration.Row]] = [:]
            for fold in 0..<options.folds {
                let inFold = oofFolds.indices.filter { oofFolds[$0] == fold }
                let foldWeights = rankers[1 + fold]
                for k in inFold {
                    let (s, label) = oof[k]
                    let r = FusionSearch.rescored(s, foldWeights)
                    var features = Classifier.calibrationFeatures(r)
                    if !options.confidenceModelFeatures {
                        for i in (features.count - Classifier.modelCalibrationFeatures)..<features.count { features[i] = 0 }
                    }
                    let correct = r.candidates.first?.hs6 == label && label != nil
                    rows.append(features)
                    labels.append(correct)
                    let truth = label.flatMap { l in r.candidates.firstIndex { $0.hs6 == l } }.map { r.probabilities[$0] } ?? 0
                    let masses = Classifier.headingMasses(r)
                    let topHeading = r.candidates.first?.headingIndex ?? -1
                    let truthHeading = label.map { classifier.headingOf[Int($0)] } ?? -2
                    var row = KindCalibration.Row(
                        features: features, correct: correct, truthProbability: truth, fold: fold,
                        headingMass: masses[topHeading] ?? 0, headingCorrect: topHeading >= 0 && topHeading == truthHeading,
                        truthHeadingMass: masses[truthHeading] ?? 0)
                    row.poolProbabilities = r.probabilities
                    // The units' members are the same as when the row was scored (they depend on
                    // which codes are candidates, not on the fold's weights).
                    let units = classifier.backoffUnits(r), outside = oofOutside[k]
                    row.backoffUnits = zip(units, outside.codes).map { ($0.score, $1) }
                    if truth == 0, let label { row.truthOutside = Self.place(of: label, in: units) }
                    let headingUnits = classifier.headingBackoffUnits(r)
                    row.headingPoolMasses = masses.filter { $0.key >= 0 }.map(\.value)
                    row.headingBackoffUnits = zip(headingUnits, outside.headings).map { ($0.score, $1) }
                    if masses[truthHeading] == nil, truthHeading >= 0 { row.truthHeadingOutside = Self.place(of: truthHeading, in: headingUnits) }
                    row.authority = examples[oofExamples[k]].origin == .authority
                    row.agreement = Classifier.agreementFeatures(r, base: features)
                    byKind[r.kind, default: []].append(row)
                }
            }
            model.calibrator = Calibrator.fit(rows, labels)
            let kinds = TextKind.allCases.filter { (byKind[$0]?.count ?? 0) >= 40 }, kindRows = kinds.map { byKind[$0] ?? [] }
            model.kindCalibrations = TrainingConcurrency.map(kinds.count, threads: threads) { k in
                KindCalibration.fit(kind: kinds[k], rows: kindRows[k], precision: options.autoApprovePrecision, coverage: options.setCoverage,
                                    headingPrecision: options.headingPrecision, nestedAveraging: options.nestedCalibration,
                                    confidenceBins: options.confidenceBins)
            }
        } else {
            model.calibrator = Calibrator(weights: [4, 4] + [Double](repeating: 0, count: Calibrator.featureNames.count - 2), bias: -4)
        }
        model.version = ModelVersion.make(model)
        return model
    }
}

extension ClassifierTrainer {
    /// One of the per-fold models fitted side by side.
    enum FoldModel: Sendable {
        case none
        case chapter(ChapterModel)
        case heading(HeadingModel)
    }

    /// Which back-off unit holds `member`, and where among its members.
    static func place(of member: Int32, in units: [Classifier.BackoffUnit]) -> (unit: Int, member: Int)? {
        for (u, unit) in units.enumerated() {
            if let m = unit.members.firstIndex(of: member) { return (u, m) }
        }
        return nil
    }
}

/// Fits the fusion ranker on out-of-fold candidate features: a conditional logit (softmax over
/// each query's candidates) by gradient descent with momentum and a small L2 penalty.
enum FusionSearch {
    static func fit(_ oof: [(Classifier.Scored, Int32?)], iterations: Int, perKind: Bool = false, extraFeatures: Bool = true,
                    dropped: Set<Int> = []) -> (FusionWeights, Double) {
        let base = extraFeatures ? CandidateFeatures.names.count : CandidateFeatures.baseWidth
        func features(_ c: CandidateFeatures) -> [Double] {
            var v = Array(c.vector.prefix(base))
            for i in dropped where i < v.count { v[i] = 0 }
            return v
        }
        let rows: [([[Double]], Int)] = oof.compactMap { s, label in
            guard let label, let y = s.candidates.firstIndex(where: { $0.hs6 == label }) else { return nil }
            guard perKind else { return (s.candidates.map(features), y) }
            // The long-prose copy of each feature is zero for titles.
            let long = s.kind == .long
            return (s.candidates.map { c in let v = features(c); return v + (long ? v : [Double](repeating: 0, count: v.count)) }, y)
        }
        let start = FusionWeights.initial.coefficients + [Double](repeating: 0, count: base - FusionWeights.initial.coefficients.count)
        var w = start + [Double](repeating: 0, count: perKind ? base : 0)
        guard !rows.isEmpty else { return (FusionWeights(coefficients: w), 0) }
        let width = w.count
        // The candidates' features in one flat array, walked through buffer pointers: the nested
        // arrays cost a retain, a release and a bounds check per element, most of `train` in a
        // debug build. The sums run in the same order, so the weights are the same to the bit.
        var features: [Double] = []
        var spans: [(start: Int, count: Int, y: Int)] = []
        var widest = 0
        for (xs, y) in rows {
            spans.append((features.count, xs.count, y))
            for x in xs { features += x[0..<width] }
            widest = max(widest, xs.count)
        }
        var velocity = [Double](repeating: 0, count: width)
        var grad = [Double](repeating: 0, count: width)
        var z = [Double](repeating: 0, count: widest)
        let rate = 0.5, momentum = 0.9, l2 = 1e-4
        features.withUnsafeBufferPointer { f in
            w.withUnsafeMutableBufferPointer { w in
                grad.withUnsafeMutableBufferPointer { grad in
                    z.withUnsafeMutableBufferPointer { z in
                        for _ in 0..<iterations {
                            for i in 0..<width { grad[i] = 0 }
                            for span in spans {
                                for j in 0..<span.count {
                                    let x = span.start + j * width
                                    var v = 0.0
                                    for i in 0..<width { v += w[i] * f[x + i] }
                                    z[j] = v
                                }
                                var m = -Double.infinity
                                for j in 0..<span.count where z[j] > m { m = z[j] }
                                if span.count == 0 { m = 0 }
                                var total = 0.0
                                for j in 0..<span.count { z[j] = exp(z[j] - m); total += z[j] }
                                for j in 0..<span.count {
                                    let p = z[j] / total - (j == span.y ? 1 : 0)
                                    if p == 0 { continue }
                                    let x = span.start + j * width
                                    for i in 0..<width { grad[i] += p * f[x + i] }
                                }
                            }
                            for i in 0..<width {
                                let g = grad[i] / Double(spans.count) + l2 * w[i]
                                velocity[i] = momentum * velocity[i] - rate * g
                                w[i] += velocity[i]
                            }
                        }
                    }
                }
            }
        }
        let weights = FusionWeights(coefficients: w)
        return (weights, accuracy(oof, weights))
    }

    /// Top-1 accuracy of fused scores (the subheading weight is fixed at 1 as the scale).
    static func accuracy(_ oof: [(Classifier.Scored, Int32?)], _ w: FusionWeights) -> Double {
        var correct = 0
        for (s, label) in oof {
            guard let label else { continue }
            var top: Int32 = -1
            var topScore = -Double.infinity
            for c in s.candidates {
                let v = w.fuse(c, long: s.kind == .long)
                if v > topScore || (v == topScore && c.hs6 < top) { topScore = v; top = c.hs6 }
            }
            if top == label { correct += 1 }
        }
        return Double(correct) / Double(max(1, oof.count))
    }

    static func rescored(_ s: Classifier.Scored, _ w: FusionWeights) -> Classifier.Scored {
        var r = s
        let fused = s.candidates.map { w.fuse($0, long: s.kind == .long) }
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

    /// An abbreviation keeps its word's letters in order ("shmpoo" in "shampoo"); "client" is
    /// not an abbreviation of "colanut" although their skeletons meet.
    static func isSubsequence(_ short: String, of long: String) -> Bool {
        var it = long.makeIterator()
        outer: for c in short {
            while let d = it.next() { if d == c { continue outer } }
            return false
        }
        return true
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
                guard k.count >= 3, let (target, _) = bySkeleton[k], target.count > w.count, isSubsequence(w, of: target) else { continue }
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
        mix("\(m.wordShare) \(m.neighbours) \(m.weakExampleWeight) \(m.focusLongText) \(m.tariffRetrieval)")
        if let e = m.exampleEmbeddings { mix("embeddings \(e.dimension) \(e.rows)") }
        if let s = m.staticEncoder { mix("static encoder \(s.vectors.rows) \(s.maxPieces) \(s.projection.count)") }
        if let c = m.cascade {
            mix("cascade \(c.weights) \(c.queryTokens) " + TextKind.allCases.map { "\($0.rawValue) \(c.marginThresholds[$0] ?? 0)" }.joined(separator: " "))
        }
        return "hs2022-" + String(h, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
