import Foundation

/// One line of input to `classify`.
public struct ClassificationRequest: Sendable, Equatable {
    public var id: String?
    public var description: String
    public var destination: String?
    /// The HS code the merchant supplied, if any; checked, never trusted.
    public var merchantCode: String?
    /// The date the code must be valid on (RFC 3339 date or timestamp); the caller's clock.
    public var date: String?
    /// Answers to earlier clarifying questions: attribute → value (see `Clarification`).
    public var answers: [String: String]

    public init(id: String? = nil, description: String, destination: String? = nil, merchantCode: String? = nil, date: String? = nil,
                answers: [String: String] = [:]) {
        self.id = id; self.description = description; self.destination = destination; self.merchantCode = merchantCode; self.date = date
        self.answers = answers
    }
}

public struct Candidate: Sendable, Equatable, Codable {
    public var hs6: String
    public var score: Double
    public var description: String
}

/// Why the answer is what it is: supporting tariff lines, nearest confirmed examples and the
/// words that drove the choice.
public struct Evidence: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case tariffLine = "tariff_line", example, words, rule }
    public var kind: Kind
    public var code: String?
    public var source: String?
    public var text: String
    public var score: Double?
    public var confirmedBy: String?
    public var confirmedAt: String?

    enum CodingKeys: String, CodingKey {
        case kind, code, source, text, score
        case confirmedBy = "confirmed_by"
        case confirmedAt = "confirmed_at"
    }
}

/// The outcome of checking a merchant-supplied code.
public struct MerchantCodeCheck: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Malformed, not an HS 2022 subheading, or not in force on the date.
        case invalid
        /// The national digits are not a line of the destination tariff.
        case unknownNationalLine = "unknown_national_line"
        case agrees
        /// Not our first choice but among the plausible candidates.
        case plausible
        case disagrees
    }
    public var code: String
    public var status: Status
    public var message: String
    public var merchantHS6Description: String?
    public var merchantScore: Double?

    enum CodingKeys: String, CodingKey {
        case code, status, message
        case merchantHS6Description = "merchant_hs6_description"
        case merchantScore = "merchant_score"
    }
}

public struct ClassificationResult: Sendable, Equatable, Codable {
    public var id: String?
    public var hs6: String?
    public var nationalCode: String?
    public var tariff: String?
    public var confidence: Double
    public var review: Bool
    public var candidates: [Candidate]
    public var evidence: [Evidence]
    public var question: String?
    public var merchantCheck: MerchantCodeCheck?
    public var modelVersion: String
    /// The smallest candidate set calibrated (split conformal, per text kind) to hold the right
    /// subheading 90 % of the time on held-out data; empty when the model has no calibration.
    public var predictionSet: [String] = []
    /// A question whose answer separates the leading candidates; send it back in `answers`.
    public var clarification: Clarification?
    /// The kind of text the confidence was calibrated for.
    public var textKind: TextKind?
    /// Hierarchical back-off: the top answer's heading (4 digits) and the calibrated probability
    /// that it is right; `level` says how far the answer can be taken as it is: `subheading`
    /// (auto-approved), `heading` (the heading is settled at the calibrated heading precision,
    /// a person picks the subheading under it) or `none` (a person decides).
    public var heading: String?
    public var headingConfidence: Double?
    public var level: AnswerLevel?
    /// The headings whose candidates together hold enough probability to make, split conformal
    /// per text kind, a set that held the right heading 90 % of the time on held-out data.
    public var headingSet: [String] = []
    /// For a cascade model: whether the line was re-ranked with the full encoder (its fast
    /// ranking was unsure and the weights were loaded); nil for any other model.
    public var slowPath: Bool?
    /// What the auto-approve threshold was compared with (the confidence before binning); not in
    /// the JSON, for measuring other approval rules on the same answers.
    public var approvalScore: Double?

    public enum AnswerLevel: String, Sendable, Codable { case subheading, heading, none }

    enum CodingKeys: String, CodingKey {
        case id, hs6, tariff, confidence, review, candidates, evidence, question, clarification, heading, level
        case nationalCode = "national_code"
        case merchantCheck = "merchant_check"
        case modelVersion = "model_version"
        case predictionSet = "prediction_set"
        case textKind = "text_kind"
        case headingConfidence = "heading_confidence"
        case headingSet = "heading_set"
        case slowPath = "slow_path"
    }
}

/// A person's confirmed answer for an item, with who and when; it enters the memory at once.
public struct Correction: Sendable, Equatable, Codable {
    public var description: String
    public var hs6: String
    public var nationalCode: String?
    public var confirmedBy: String
    public var confirmedAt: String
    public var note: String?

    public init(description: String, hs6: String, nationalCode: String? = nil, confirmedBy: String, confirmedAt: String, note: String? = nil) {
        self.description = description; self.hs6 = hs6; self.nationalCode = nationalCode
        self.confirmedBy = confirmedBy; self.confirmedAt = confirmedAt; self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case description, hs6, note
        case nationalCode = "national_code"
        case confirmedBy = "confirmed_by"
        case confirmedAt = "confirmed_at"
    }

    public var example: LabelledExample {
        LabelledExample(description: description, hs6: hs6, nationalCode: nationalCode, source: "correction", confirmedBy: confirmedBy, confirmedAt: confirmedAt)
    }
}

/// The loaded classifier: a model plus the indexes built from it at load time, and the memory,
/// which grows with every confirmed correction.
public struct Classifier: Sendable {
    public private(set) var model: ClassifierModel
    let normalizer: TextNormalizer
    /// The subheading, heading and chapter centroids, the memory rows present at load and the
    /// tariff-line documents, in one posting table (parts in `Part` order).
    var fixedIndex: StackedIndex
    enum Part: Int { case subheadings, headings, chapters, memory, tariffLines }
    let headingOf: [Int32]     // subheading → heading index
    let chapterOf: [Int32]     // subheading → chapter index
    let childrenOfHeading: [[Int32]]
    /// Per chapter, its headings (for the prediction set's back-off beyond the candidates).
    let headingsOfChapter: [[Int32]]
    let subheadingPosition: [String: Int32]
    /// Each subheading's `Nomenclature.fullText`, by position: five candidates an answer, made once.
    let subheadingTexts: [String]
    var memoryIndex: InvertedIndex
    var memory: [LabelledExample]
    var memoryVectors: [SparseVector]
    var memoryLabels: [Int32]
    /// Memory rows whose similarity counts for less (model-written examples).
    var weakRows: [Int] = []
    /// Per memory row, the factor its similarity is multiplied by: 1, or the weak-example weight
    /// for the rows in `weakRows` (read in one pass with the similarities when ranking them).
    var rowWeights: [Float] = []
    let attributes: AttributeReader
    /// Set when the caller chose one threshold for every kind (`--threshold`).
    var thresholdIsExplicit = false
    /// Memory rows replaced by a later correction of the same text.
    var superseded: Set<Int>
    var memoryKeys: [String: [Int]]
    /// Memory rows that are a person's correction. While there are none no text has a confirmed
    /// answer, and the two look-ups that join a text's tokens into a key (a ruling has hundreds) are skipped.
    var correctionRows = 0
    /// Memory rows hidden from a query (cross-validation folds); empty in production.
    var hidden: Set<Int> = []
    /// Per-label centroids of the examples the model was trained with.
    var exampleCentroidIndex = StackedIndex([[]])
    var exampleCentroidLabels: [Int32] = []
    /// Per subheading, the position of its example centroid in `exampleCentroidIndex`, or -1.
    var exampleCentroidOfLabel: [Int32] = []
    /// Heading positions of the per-heading example centroids (part 1 of `exampleCentroidIndex`),
    /// and per heading its position there, or -1.
    var exampleHeadingLabels: [Int32] = []
    var exampleCentroidOfHeading: [Int32] = []
    /// Per chapter, the position of its example centroid in part 2 of `exampleCentroidIndex`, or -1.
    var exampleCentroidOfChapter: [Int32] = []
    /// Per subheading, log(1 + its training examples, weak ones weighed) / 6.
    var labelPrior: [Float] = []
    /// The discriminative chapter model; training sets each fold's (`ClassifierTrainer`), so the
    /// ranker is fitted on values of a model that did not see the row.
    private(set) var chapterModel: ChapterModel?
    /// The heading model within each chapter (`HeadingModel`), read only with the chapter model;
    /// set per fold in training like it.
    private(set) var headingModel: HeadingModel?
    /// The chapter model's weights and the heading model's in one posting table (parts 0 and 1; the
    /// second only with a heading model): a query's features are looked up once for both.
    var modelIndex = StackedIndex([])
    /// The sentence encoder, when the model was trained with one of the same dimension, and each
    /// memory row's embedding (corrections learned later are encoded as they come).
    public private(set) var encoder: (any SentenceEncoder)?
    /// A cascade model's full encoder, for the lines the static path is unsure of (nil: every line
    /// stays on the static path).
    public private(set) var slowEncoder: (any SentenceEncoder)?
    var memoryEmbeddings: EmbeddingMatrix?
    /// Per label of `exampleCentroidLabels`, the normalised mean of its rows' embeddings.
    var embeddingCentroids: EmbeddingMatrix?
    /// Tokens of every declarable line of `model.tariffs`, by tariff and line position.
    let lineTokens: [[LineTokens?]]
    /// Each tariff text as a document of its own; nil when the model was trained without.
    let tariffRetrieval: TariffRetrieval?

    /// Confidence below which a result is marked for review. Set it to apply one threshold to every
    /// text kind; left alone, each kind uses the threshold calibrated for it (`autoApproveThreshold`).
    public var reviewThreshold: Double { didSet { thresholdIsExplicit = true } }
    static let queryFeatureLimit = 400

    /// The confidence from which a result of this kind is auto-approved (`review: false`).
    public func autoApproveThreshold(for kind: TextKind) -> Double {
        thresholdIsExplicit ? reviewThreshold : model.calibration(kind)?.autoApproveThreshold ?? reviewThreshold
    }

    /// `encoder`: the sentence encoder the model was trained with. A model trained with a static
    /// encoder carries it and uses it when none is given. Without one (or for a model trained
    /// without one) the encoder features are zero. A cascade model encodes with the static encoder it
    /// carries, and with `encoder` (the full one) only the lines that take the slow path.
    public init(model: ClassifierModel, encoder given: (any SentenceEncoder)? = nil) {
        let isCascade = model.encoderMode == .cascade
        // Spelled out: inside a conditional expression `given ?? model.staticEncoder` was typed with
        // `given` wrapped once more, so it never fell back to the static encoder.
        let encoder: (any SentenceEncoder)?
        if isCascade {
            encoder = model.staticEncoder
        } else if let given {
            encoder = given
        } else {
            encoder = model.staticEncoder
        }
        self.model = model
        normalizer = model.normalizer
        reviewThreshold = model.reviewThreshold
        let headingPos = Dictionary(uniqueKeysWithValues: model.headingCodes.enumerated().map { ($1, Int32($0)) })
        let chapterPos = Dictionary(uniqueKeysWithValues: model.chapterCodes.enumerated().map { ($1, Int32($0)) })
        headingOf = model.subheadingCodes.map { headingPos[String($0.prefix(4))] ?? -1 }
        chapterOf = model.subheadingCodes.map { chapterPos[String($0.prefix(2))] ?? -1 }
        var children = [[Int32]](repeating: [], count: model.headingCodes.count)
        for (i, h) in headingOf.enumerated() where h >= 0 { children[Int(h)].append(Int32(i)) }
        childrenOfHeading = children
        var headingsByChapter = [[Int32]](repeating: [], count: model.chapterCodes.count)
        for (h, code) in model.headingCodes.enumerated() {
            if let c = chapterPos[String(code.prefix(2))] { headingsByChapter[Int(c)].append(Int32(h)) }
        }
        headingsOfChapter = headingsByChapter
        subheadingPosition = Dictionary(uniqueKeysWithValues: model.subheadingCodes.enumerated().map { ($1, Int32($0)) })
        subheadingTexts = model.subheadingCodes.map { model.nomenclature.fullText($0) }
        memoryIndex = InvertedIndex(frozenDocuments: 0)
        memory = []
        memoryVectors = []
        memoryLabels = []
        superseded = []
        memoryKeys = [:]
        attributes = AttributeReader(nomenclature: model.nomenclature, codes: model.subheadingCodes)
        lineTokens = LineTokens.table(model.tariffs, normalizer: model.normalizer, idf: model.idf)
        var retrieval = model.tariffRetrieval
            ? TariffRetrieval(model: model, lineTokens: lineTokens, subheadingPosition: subheadingPosition) : nil
        let retrievalVectors = retrieval?.vectors ?? []
        retrieval?.vectors = []
        tariffRetrieval = retrieval
        fixedIndex = StackedIndex([])
        var remembered: [Int] = []
        for (k, e) in model.examples.enumerated() {
            if remember(e, indexing: false) { remembered.append(k) }
        }
        if let encoder, let embeddings = model.exampleEmbeddings, embeddings.dimension == encoder.dimension, embeddings.rows == model.examples.count {
            var rows = EmbeddingMatrix(dimension: embeddings.dimension)
            for k in remembered { rows.append(row: k, of: embeddings) }
            memoryEmbeddings = rows
            self.encoder = encoder
            if isCascade, let given, given.dimension == embeddings.dimension { slowEncoder = given }
        }
        // The model's examples in the flat table with the centroids; corrections learned later go beside it.
        fixedIndex = StackedIndex([model.subheadingCentroids, model.headingCentroids, model.chapterCentroids, memoryVectors, retrievalVectors])
        memoryIndex = InvertedIndex(frozenDocuments: memoryVectors.count)
        buildExampleCentroids(excluding: [])
        setModels(chapter: model.chapterModel, heading: model.headingModel)
    }

    /// Uses `chapter` and `heading` (nil: none; one of the wrong size is left out) from the next
    /// query on. The heading model is read only with a chapter model.
    mutating func setModels(chapter: ChapterModel?, heading: HeadingModel?) {
        let c = model.chapterCodes.count, h = model.headingCodes.count
        chapterModel = chapter.flatMap { $0.weights.count == c && $0.biases.count == c ? $0 : nil }
        headingModel = heading.flatMap { $0.weights.count == h && $0.biases.count == h ? $0 : nil }
        if let chapterModel {
            modelIndex = StackedIndex([chapterModel.weights] + (headingModel.map { [$0.weights] } ?? []))
        } else {
            modelIndex = StackedIndex([])
        }
    }

    /// Rocchio centroids of the memory rows per label (rows in `excluding` left out, for
    /// cross-validation).
    mutating func buildExampleCentroids(excluding: Set<Int>) {
        var rowsByLabel: [Int32: [Int]] = [:]
        for i in memory.indices where !excluding.contains(i) && !superseded.contains(i) { rowsByLabel[memoryLabels[i], default: []].append(i) }
        var acc = DenseAccumulator(dimension: FeatureHasher.dimension)
        var vectors: [SparseVector] = []
        exampleCentroidLabels = []
        for label in rowsByLabel.keys.sorted() {
            for i in rowsByLabel[label] ?? [] { acc.add(memoryVectors[i]) }
            vectors.append(acc.take().normalized().pruned(to: 300).normalized())
            exampleCentroidLabels.append(label)
        }
        // The same per heading: every example under it, whatever its subheading.
        var rowsByHeading: [Int32: [Int]] = [:]
        for (label, rows) in rowsByLabel where headingOf[Int(label)] >= 0 { rowsByHeading[headingOf[Int(label)], default: []].append(contentsOf: rows) }
        var headingVectors: [SparseVector] = []
        exampleHeadingLabels = []
        for h in rowsByHeading.keys.sorted() {
            for i in (rowsByHeading[h] ?? []).sorted() { acc.add(memoryVectors[i]) }
            headingVectors.append(acc.take().normalized().pruned(to: 400).normalized())
            exampleHeadingLabels.append(h)
        }
        // And per chapter.
        var rowsByChapter: [Int32: [Int]] = [:]
        for (label, rows) in rowsByLabel where chapterOf[Int(label)] >= 0 { rowsByChapter[chapterOf[Int(label)], default: []].append(contentsOf: rows) }
        var chapterVectors: [SparseVector] = []
        var chapterCentroidOf = [Int32](repeating: -1, count: model.chapterCodes.count)
        for c in rowsByChapter.keys.sorted() {
            for i in (rowsByChapter[c] ?? []).sorted() { acc.add(memoryVectors[i]) }
            chapterCentroidOf[Int(c)] = Int32(chapterVectors.count)
            chapterVectors.append(acc.take().normalized().pruned(to: Self.chapterExampleLimit).normalized())
        }
        exampleCentroidOfChapter = chapterCentroidOf
        exampleCentroidIndex = StackedIndex([vectors, headingVectors, chapterVectors])
        if let embeddings = memoryEmbeddings {
            var centroids = EmbeddingMatrix(dimension: embeddings.dimension)
            for label in exampleCentroidLabels {
                var sum = [Float](repeating: 0, count: embeddings.dimension)
                for i in rowsByLabel[label] ?? [] { for (k, v) in embeddings.row(i).enumerated() { sum[k] += v } }
                let norm = sum.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                centroids.append(norm > 0 ? sum.map { $0 / norm } : sum)
            }
            embeddingCentroids = centroids
        }
        var centroidOf = [Int32](repeating: -1, count: model.subheadingCodes.count)
        for (i, label) in exampleCentroidLabels.enumerated() where label >= 0 && Int(label) < centroidOf.count { centroidOf[Int(label)] = Int32(i) }
        exampleCentroidOfLabel = centroidOf
        var headingCentroidOf = [Int32](repeating: -1, count: model.headingCodes.count)
        for (i, h) in exampleHeadingLabels.enumerated() where Int(h) < headingCentroidOf.count { headingCentroidOf[Int(h)] = Int32(i) }
        exampleCentroidOfHeading = headingCentroidOf
        var prior = [Float](repeating: 0, count: model.subheadingCodes.count)
        for (label, rows) in rowsByLabel where label >= 0 && Int(label) < prior.count {
            let weight = rows.reduce(Float(0)) { $0 + (rowWeights.indices.contains($1) ? rowWeights[$1] : 1) }
            prior[Int(label)] = log(1 + weight) / 6
        }
        labelPrior = prior
    }

    /// Weights kept of a chapter's example centroid (a chapter's examples span thousands of words).
    static let chapterExampleLimit = 800

    public var modelVersion: String { model.version }
    public var memoryCount: Int { memory.count - superseded.count }

    /// Adds a confirmed example to the memory. An example with the same normalised text replaces
    /// older ones, so a correction overrides a wrong reference immediately.
    /// `indexing: false` leaves the row out of `memoryIndex`, for a caller that builds the index
    /// from `memoryVectors` afterwards.
    @discardableResult
    mutating func remember(_ example: LabelledExample, indexing: Bool = true) -> Bool {
        guard let label = subheadingPosition[example.hs6] else { return false }
        let tokens = normalizer.tokens(model.focusLongText ? GoodsText.focus(example.description) : example.description)
        let key = tokens.joined(separator: " ")
        if example.source == "correction", let older = memoryKeys[key] { superseded.formUnion(older) }
        let v = model_vectorize(tokens)
        memoryKeys[key, default: []].append(memory.count)
        if example.source == "correction" { correctionRows += 1 }
        let weak = example.origin.isWeak && model.weakExampleWeight != 1
        if weak { weakRows.append(memory.count) }
        rowWeights.append(weak ? Float(model.weakExampleWeight) : 1)
        memory.append(example)
        memoryVectors.append(v)
        memoryLabels.append(label)
        if indexing { memoryIndex.append(v) }
        // The examples' rows are the full encoder's vectors: a cascade's correction is encoded as they were.
        if let encoder = slowEncoder ?? encoder, memoryEmbeddings != nil {
            memoryEmbeddings?.append(encoder.encode(EncoderInput.text(example.description, focusLongText: model.focusLongText)))
        }
        return true
    }

    /// Learns a person's correction: validated, stored in the memory, effective for the next item.
    public mutating func learn(_ correction: Correction) throws(ClassificationError) {
        guard subheadingPosition[correction.hs6] != nil else {
            throw .invalidInput("correction hs6 '\(correction.hs6)' is not an HS 2022 subheading this model knows")
        }
        guard !correction.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("correction description is empty")
        }
        remember(correction.example)
    }

    func model_vectorize(_ tokens: [String]) -> SparseVector { model.vectorize(tokens) }

    // MARK: scoring

    struct Scored {
        var tokens: [String]
        var query: SparseVector
        var candidates: [CandidateFeatures]
        var probabilities: [Double]
        var neighbours: [(row: Int, similarity: Float)]
        var kind: TextKind
        /// Per subheading and per heading, the text's similarity to its tariff-text centroid plus
        /// that to its examples' centroid (and, for subheadings, with a sentence encoder, to its
        /// examples' mean embedding): how the prediction set shares a back-off mass among codes
        /// outside the candidate pool. Training keeps only the pool's outside members' values.
        var codeSimilarity: [Float] = []
        var headingSimilarity: [Float] = []
    }

    /// A line's goods text, its sentence-encoder query and that query's scans of the example rows
    /// and the code centroids, made for several lines at once by `prepare` (each the same floats
    /// as `score` makes alone).
    struct PreparedQuery {
        var focused: String
        var vector: [Float]
        var exampleSimilarities: [Float]
        var centroidSimilarities: [Float]?
    }

    /// The lines' encoder queries and scans, the scans of up to eight lines in one pass over the
    /// rows: a scan for one line is bound by reading ~9 MB of example rows from memory, not by its
    /// products (issue #19, session 20). Nil without a sentence encoder (nothing to share).
    func prepare(_ descriptions: [String]) -> [PreparedQuery]? {
        guard let encoder, let embeddings = memoryEmbeddings, !descriptions.isEmpty else { return nil }
        let focused = descriptions.map { EncoderInput.text($0, focusLongText: model.focusLongText) }
        let vectors = focused.map { encoder.encode($0) }
        let similarities = embeddings.dots(batch: vectors)
        var centroidSimilarities: [[Float]]?
        if let centroids = embeddingCentroids, centroids.rows == exampleCentroidLabels.count { centroidSimilarities = centroids.dots(batch: vectors) }
        return focused.indices.map { PreparedQuery(focused: focused[$0], vector: vectors[$0], exampleSimilarities: similarities[$0],
                                                   centroidSimilarities: centroidSimilarities?[$0]) }
    }

    /// `queryEncoder`: encodes the query instead of `encoder` (a cascade's slow path). `prepared`:
    /// this description's query and scans by `encoder`, made beforehand (not with `queryEncoder`).
    func score(_ description: String, weights: FusionWeights, answers: [Int: String] = [:], queryEncoder: (any SentenceEncoder)? = nil,
               prepared: PreparedQuery? = nil) -> Scored {
        let prepared = queryEncoder == nil ? prepared : nil
        // The goods sentences, found once: the tokens and the encoder read the same text.
        let focused = prepared?.focused ?? EncoderInput.text(description, focusLongText: model.focusLongText)
        let tokens = normalizer.tokens(focused)
        // Long ruling prose has thousands of n-grams; the strongest few hundred decide the
        // ranking and bound the time per item.
        let q = unprunedQuery(focused: focused, tokens: tokens).pruned(to: Self.queryFeatureLimit).normalized()
        func zeros(_ part: Part) -> [Float] { [Float](repeating: 0, count: part == .memory ? memoryIndex.documents : fixedIndex.documents[part.rawValue]) }
        var sub = zeros(.subheadings), head = zeros(.headings), chap = zeros(.chapters), mem = zeros(.memory), docs = zeros(.tariffLines)
        sub.withUnsafeMutableBufferPointer { a in
            head.withUnsafeMutableBufferPointer { b in
                chap.withUnsafeMutableBufferPointer { c in
                    mem.withUnsafeMutableBufferPointer { d in
                        docs.withUnsafeMutableBufferPointer { e in
                            fixedIndex.accumulate(q, into: [a, b, c, d, e])
                            memoryIndex.accumulateRecent(q, into: d)
                        }
                    }
                }
            }
        }
        var neighbours: [(row: Int, similarity: Float)] = []
        if memoryIndex.documents > 0 {
            // Production has nothing hidden and rarely anything superseded: skip the per-row lookups,
            // and weigh the weak rows while ranking (the same product as multiplying them first).
            if superseded.isEmpty && hidden.isEmpty {
                if weakRows.isEmpty {
                    neighbours = topIndices(mem, model.neighbours).map { ($0, mem[$0]) }
                } else {
                    neighbours = topIndices(mem, model.neighbours, scale: rowWeights).map { ($0, mem[$0] * rowWeights[$0]) }
                }
            } else {
                let weak = Float(model.weakExampleWeight)
                for r in weakRows { mem[r] *= weak }
                neighbours = topIndices(mem, model.neighbours, where: { !superseded.contains($0) && !hidden.contains($0) }).map { ($0, mem[$0]) }
            }
        }
        // The sentence encoder's nearest examples, weak rows weighed as in the TF-IDF memory.
        var encoderQuery: [Float] = []
        var encoderNeighbours: [(row: Int, similarity: Float)] = []
        if let encoder = queryEncoder ?? encoder, let embeddings = memoryEmbeddings {
            encoderQuery = prepared?.vector ?? encoder.encode(focused)
            var sims = prepared?.exampleSimilarities ?? embeddings.dots(encoderQuery)
            // Over a buffer pointer: ten thousand model-written rows, once per line.
            let weak = Float(model.weakExampleWeight)
            sims.withUnsafeMutableBufferPointer { out in
                for r in weakRows where r < out.count { out[r] *= weak }
            }
            encoderNeighbours = topIndices(sims, model.neighbours, where: { !superseded.contains($0) && !hidden.contains($0) }).map { ($0, sims[$0]) }
        }
        let exampleParts = exampleCentroidIndex.documents[0] > 0 ? exampleCentroidIndex.scores(q) : [[], [], []]
        let exampleScores = exampleParts[0], headingExampleScores = exampleParts.count > 1 ? exampleParts[1] : []
        let chapterExampleScores = exampleParts.count > 2 ? exampleParts[2] : []
        let lines = tariffRetrieval?.scores(docs)
        var chosen: [Int32] = topIndices(sub, 30).map(Int32.init)
        chosen.append(contentsOf: lines?.top ?? [])
        for i in topIndices(exampleScores, 20) { chosen.append(exampleCentroidLabels[i]) }
        for h in topIndices(head, 4) {
            let kids = childrenOfHeading[h]
            let ranked = kids.sorted { sub[Int($0)] > sub[Int($1)] }.prefix(6)
            chosen.append(contentsOf: ranked)
        }
        // The headings whose examples read most like the item, with their subheadings that the
        // tariff text favours: the right heading is often there when the code itself has no example.
        for i in topIndices(headingExampleScores, 4) {
            let kids = childrenOfHeading[Int(exampleHeadingLabels[i])]
            let ranked = kids.sorted { sub[Int($0)] > sub[Int($1)] || (sub[Int($0)] == sub[Int($1)] && $0 < $1) }.prefix(6)
            chosen.append(contentsOf: ranked)
        }
        for n in neighbours { chosen.append(memoryLabels[n.row]) }
        for n in encoderNeighbours { chosen.append(memoryLabels[n.row]) }
        // Ten subheadings of the chapter model's likeliest chapter (by their tariff text) let into
        // the pool raised the held-out candidate recall a point but not the answers (dev splits,
        // issue #19, session 32): the model's probability is a feature only.
        var chapterProbabilities: [Float] = [], headingProbabilities: [Float] = []
        if let chapterModel {
            let parts = modelIndex.scores(q)
            chapterProbabilities = chapterModel.probabilities(scores: parts[0])
            if let headingModel, !chapterProbabilities.isEmpty, parts.count > 1 { headingProbabilities = parts[1] }
        }
        // Each candidate once, in the order first chosen; `slot` maps a subheading to its candidate.
        var slot = [Int32](repeating: -1, count: model.subheadingCodes.count)
        chosen = chosen.filter { c in
            guard slot[Int(c)] < 0 else { return false }
            slot[Int(c)] = 0
            return true
        }
        // P(heading | chapter), read with P(chapter), normalised over the candidates' chapters only
        // (the only headings read; each chapter's the same floats as over all).
        if let headingModel, !headingProbabilities.isEmpty {
            var normalised = [Bool](repeating: false, count: headingsOfChapter.count)
            for c in chosen {
                let ch = Int(chapterOf[Int(c)])
                guard ch >= 0, !normalised[ch] else { continue }
                normalised[ch] = true
                headingModel.normalise(&headingProbabilities, headings: headingsOfChapter[ch])
            }
        }
        let voteTotal = neighbours.reduce(Float(0)) { $0 + $1.similarity }
        let longText = TextKind.of(tokenCount: tokens.count) == .long
        var feats: [CandidateFeatures] = chosen.map { c in
            var f = CandidateFeatures(hs6: c)
            f.subheading = Double(sub[Int(c)])
            let h = headingOf[Int(c)], ch = chapterOf[Int(c)]
            f.headingIndex = h
            f.chapterIndex = ch
            f.heading = h >= 0 ? Double(head[Int(h)]) : 0
            f.chapter = ch >= 0 ? Double(chap[Int(ch)]) : 0
            f.tariffLine = lines.map { Double($0.best[Int(c)]) } ?? 0
            // Titles only: over five dev splits the prior lifted parcels' top-5 (+2 points) but cost
            // long rulings a point of top-1, whose wording says more than how common a code is.
            f.prior = longText || Int(c) >= labelPrior.count ? 0 : Double(labelPrior[Int(c)])
            if h >= 0, Int(h) < exampleCentroidOfHeading.count {
                let centroid = exampleCentroidOfHeading[Int(h)]
                if centroid >= 0, Int(centroid) < headingExampleScores.count { f.headingExamples = Double(headingExampleScores[Int(centroid)]) }
            }
            if ch >= 0, Int(ch) < chapterProbabilities.count {
                let p = Double(chapterProbabilities[Int(ch)])
                f.chapterModel = p
                f.chapterModelLog = log(p + 1e-4) / log(1e4) + 1
                if h >= 0, Int(h) < headingProbabilities.count {
                    let joint = p * Double(headingProbabilities[Int(h)])
                    f.headingModel = joint
                    f.headingModelLog = log(joint + 1e-6) / log(1e6) + 1
                }
            }
            if ch >= 0, Int(ch) < exampleCentroidOfChapter.count {
                let centroid = exampleCentroidOfChapter[Int(ch)]
                if centroid >= 0, Int(centroid) < chapterExampleScores.count { f.chapterExamples = Double(chapterExampleScores[Int(centroid)]) }
            }
            return f
        }
        if let nameTokens = articleNameTokens(focused: focused, tokens: tokens) { addNameFeatures(nameTokens, to: &feats) }
        var bestInHeading: [Int32: Double] = [:]
        for f in feats { bestInHeading[f.headingIndex] = max(bestInHeading[f.headingIndex] ?? -1, f.subheading) }
        for i in feats.indices { feats[i].siblingGap = feats[i].subheading - (bestInHeading[feats[i].headingIndex] ?? feats[i].subheading) }
        for (p, f) in feats.enumerated() { slot[Int(f.hs6)] = Int32(p) }
        if !exampleScores.isEmpty {
            for p in feats.indices {
                let centroid = exampleCentroidOfLabel[Int(feats[p].hs6)]
                if centroid >= 0, exampleScores[Int(centroid)] > 0 { feats[p].exampleCentroid = Double(exampleScores[Int(centroid)]) }
            }
        }
        let encoderTotal = encoderNeighbours.reduce(Float(0)) { $0 + max(0, $1.similarity) }
        var encoderHeadingVotes: [Int32: Double] = [:]
        for n in encoderNeighbours {
            let label = memoryLabels[n.row]
            let share = encoderTotal > 0 ? Double(max(0, n.similarity) / encoderTotal) : 0
            encoderHeadingVotes[headingOf[Int(label)], default: 0] += share
            let p = Int(slot[Int(label)])
            guard p >= 0 else { continue }
            feats[p].encoderMax = max(feats[p].encoderMax, Double(n.similarity))
            feats[p].encoderVote += share
        }
        if !encoderHeadingVotes.isEmpty {
            for p in feats.indices { feats[p].encoderHeadingVote = encoderHeadingVotes[feats[p].headingIndex] ?? 0 }
        }
        if let centroids = embeddingCentroids, !encoderQuery.isEmpty {
            let withCentroid = feats.indices.filter { exampleCentroidOfLabel[Int(feats[$0].hs6)] >= 0 }
            let dots = centroids.dots(rows: withCentroid.map { exampleCentroidOfLabel[Int(feats[$0].hs6)] }, encoderQuery)
            for (p, dot) in zip(withCentroid, dots) { feats[p].encoderCentroid = Double(dot) }
        }
        var headingVotes: [Int32: Double] = [:], chapterVotes: [Int32: Double] = [:]
        for (k, n) in neighbours.enumerated() {
            let label = memoryLabels[n.row]
            let share = voteTotal > 0 ? Double(n.similarity / voteTotal) : 0
            headingVotes[headingOf[Int(label)], default: 0] += share
            chapterVotes[chapterOf[Int(label)], default: 0] += share
            let p = Int(slot[Int(label)])
            guard p >= 0 else { continue }
            feats[p].neighbourMax = max(feats[p].neighbourMax, Double(n.similarity))
            feats[p].neighbourVote += share
            feats[p].neighbourCount += 1 / Double(max(1, model.neighbours))
            if k == 0 { feats[p].nearest = 1 }
        }
        let bySubheading = feats.indices.sorted { feats[$0].subheading > feats[$1].subheading || (feats[$0].subheading == feats[$1].subheading && feats[$0].hs6 < feats[$1].hs6) }
        for (rank, i) in bySubheading.enumerated() { feats[i].subheadingRank = 1 / Double(1 + rank) }
        if lines != nil {
            let byLine = feats.indices.sorted { feats[$0].tariffLine > feats[$1].tariffLine || (feats[$0].tariffLine == feats[$1].tariffLine && feats[$0].hs6 < feats[$1].hs6) }
            for (rank, i) in byLine.enumerated() { feats[i].tariffLineRank = 1 / Double(1 + rank) }
        }
        for i in feats.indices {
            feats[i].headingVote = headingVotes[headingOf[Int(feats[i].hs6)]] ?? 0
            feats[i].chapterVote = chapterVotes[chapterOf[Int(feats[i].hs6)]] ?? 0
        }
        let kind = TextKind.of(tokenCount: tokens.count)
        let fused = feats.map { weights.fuse($0, long: kind == .long) + (answers.isEmpty ? 0 : attributes.shift($0.hs6, answers: answers)) }
        let m = fused.max() ?? 0
        let ex = fused.map { exp($0 - m) }
        let z = ex.reduce(0, +)
        let probs = ex.map { $0 / max(z, 1e-300) }
        let order = probs.indices.sorted { probs[$0] > probs[$1] || (probs[$0] == probs[$1] && feats[$0].hs6 < feats[$1].hs6) }
        var codeSimilarity = sub, headingSimilarity = head
        // Over buffer pointers: a write to the array checked it unique on each of ~5,000 labels.
        codeSimilarity.withUnsafeMutableBufferPointer { code in
            for (i, label) in exampleCentroidLabels.enumerated() where i < exampleScores.count && Int(label) < code.count {
                code[Int(label)] += exampleScores[i]
            }
        }
        headingSimilarity.withUnsafeMutableBufferPointer { heading in
            for (i, h) in exampleHeadingLabels.enumerated() where i < headingExampleScores.count && Int(h) < heading.count {
                heading[Int(h)] += headingExampleScores[i]
            }
        }
        // With the sentence encoder, the text's cosine to each code's examples' mean embedding
        // too: on short titles the words alone tell codes outside the pool apart poorly.
        if let centroids = embeddingCentroids, !encoderQuery.isEmpty, centroids.rows == exampleCentroidLabels.count {
            for (i, dot) in (prepared?.centroidSimilarities ?? centroids.dots(encoderQuery)).enumerated() where Int(exampleCentroidLabels[i]) < codeSimilarity.count {
                codeSimilarity[Int(exampleCentroidLabels[i])] += dot
            }
        }
        return Scored(tokens: tokens, query: q, candidates: order.map { feats[$0] }, probabilities: order.map { probs[$0] }, neighbours: neighbours,
                      kind: kind, codeSimilarity: codeSimilarity, headingSimilarity: headingSimilarity)
    }

    /// The candidates' probability summed per heading (by heading position).
    /// The ranker's top-1 probability less its top-2: how sure the ranking is.
    static func margin(_ s: Scored) -> Double {
        guard let p1 = s.probabilities.first else { return 0 }
        return p1 - (s.probabilities.count > 1 ? s.probabilities[1] : 0)
    }

    /// Ranks a line on the fast path and, for a cascade whose slow encoder is loaded, again with
    /// the full encoder's query when the fast ranking is unsure; says whether it was.
    func cascadeScore(_ description: String, answers: [Int: String] = [:], prepared: PreparedQuery? = nil) -> (Scored, slow: Bool) {
        let fast = score(description, weights: model.weights, answers: answers, prepared: prepared)
        guard let cascade = model.cascade, let slowEncoder, cascade.isUnsure(margin: Self.margin(fast), kind: fast.kind) else { return (fast, false) }
        return (score(description, weights: cascade.weights, answers: answers, queryEncoder: slowEncoder), true)
    }

    static func headingMasses(_ s: Scored) -> [Int32: Double] {
        var out: [Int32: Double] = [:]
        for (c, p) in zip(s.candidates, s.probabilities) { out[c.headingIndex, default: 0] += p }
        return out
    }

    /// How many of `calibrationFeatures` come last from the chapter and heading models.
    static let modelCalibrationFeatures = 3

    /// What the confidence is read from: the first seven feed the linear calibrator (older
    /// artefacts), all of them the boosted trees. Beside the ranker's probability and margin: how
    /// the answer stands with each source of evidence on its own (the neighbours, the tariff
    /// text, the example centroids), whether they agree, and how much of the candidates'
    /// probability its heading and chapter hold. The last three (the chapter and heading models'
    /// probability of the answer's chapter and heading, and whether its chapter is the chapter
    /// model's likeliest among the candidates) are read only by a confidence fitted with
    /// `TrainingOptions.confidenceModelFeatures`: otherwise training fits it on zeros there, and
    /// neither the trees nor the linear calibrator reads a feature that never varied.
    static func calibrationFeatures(_ s: Scored) -> [Double] {
        let tokens = log(1 + Double(s.tokens.count))
        guard let top = s.candidates.first else { return [0, 0, 0, 0, 0, 0, tokens] + [Double](repeating: 0, count: Calibrator.featureNames.count - 7) }
        let p1 = s.probabilities[0], p2 = s.probabilities.count > 1 ? s.probabilities[1] : 0
        // Closures rather than key paths: a key path is projected through the runtime on every read.
        func leader(_ value: (CandidateFeatures) -> Double) -> CandidateFeatures? {
            var best: CandidateFeatures?
            for c in s.candidates where value(c) > 0 && (best.map { value(c) > value($0) } ?? true) { best = c }
            return best
        }
        let agreeNeighbour = leader({ $0.neighbourMax })?.hs6 == top.hs6
        let agreeCentroid = s.candidates.max { $0.subheading < $1.subheading }?.hs6 == top.hs6
        let agreeExamples = leader({ $0.exampleCentroid })?.hs6 == top.hs6
        let agreeVote = leader({ $0.neighbourVote })?.hs6 == top.hs6
        let agreeLine = leader({ $0.tariffLine })?.hs6 == top.hs6
        let heading = top.headingIndex, chapter = top.chapterIndex
        var headingMass = 0.0, chapterMass = 0.0
        for (c, p) in zip(s.candidates, s.probabilities) {
            if c.headingIndex == heading { headingMass += p }
            if c.chapterIndex == chapter { chapterMass += p }
        }
        let secondSameHeading = s.candidates.count > 1 && s.candidates[1].headingIndex == heading
        let agreeChapterModel = top.chapterModel > 0 && !s.candidates.contains { $0.chapterModel > top.chapterModel }
        return [p1, p1 - p2, top.neighbourMax, top.subheading, agreeNeighbour ? 1 : 0, agreeCentroid ? 1 : 0, tokens,
                top.neighbourVote, top.headingVote, top.chapterVote, top.exampleCentroid, top.nearest, top.neighbourCount,
                top.heading, top.chapter, agreeExamples ? 1 : 0, agreeVote ? 1 : 0, headingMass, chapterMass, secondSameHeading ? 1 : 0,
                top.tariffLine, agreeLine ? 1 : 0, top.chapterModel, top.headingModel, agreeChapterModel ? 1 : 0]
    }

    /// Names of `agreementFeatures`, in order.
    static let agreementFeatureNames = ["encoder_agrees", "encoder_vote", "encoder_max", "encoder_centroid_agrees",
                                        "encoder_heading_agrees", "encoder_heading_vote", "encoder_chapter_agrees",
                                        "neighbour_heading_agrees", "neighbour_chapter_agrees", "top3_mass", "candidate_entropy",
                                        "signals_agree"]

    /// Readings of the answer that the confidence does not use, kept for studying it offline
    /// (`confidenceFeatures`, `classify-bench --dump`): the sentence encoder's neighbours as a second
    /// reading of the text at code, heading and chapter level, the TF-IDF neighbours at heading and
    /// chapter level, how spread the ranking is, and how many of the seven code-level sources agree
    /// with the top answer. Measured over five dev splits as extra inputs of the confidence (issue
    /// #19, session 23): no precision gained among the strongest answers, so not taken
    /// (docs/benchmarks.md). `base`: the answer's `calibrationFeatures`.
    static func agreementFeatures(_ s: Scored, base: [Double]) -> [Double] {
        guard let top = s.candidates.first else { return [Double](repeating: 0, count: agreementFeatureNames.count) }
        // Every neighbour's code is a candidate, so summing the candidates' votes per heading gives
        // the neighbours' own heading vote.
        var encoderByHeading: [Int32: Double] = [:], encoderByChapter: [Int32: Double] = [:]
        var neighbourByHeading: [Int32: Double] = [:], neighbourByChapter: [Int32: Double] = [:]
        var entropy = 0.0, top3 = 0.0
        for (k, (c, p)) in zip(s.candidates, s.probabilities).enumerated() {
            if c.encoderVote > 0 { encoderByHeading[c.headingIndex, default: 0] += c.encoderVote; encoderByChapter[c.chapterIndex, default: 0] += c.encoderVote }
            if c.neighbourVote > 0 { neighbourByHeading[c.headingIndex, default: 0] += c.neighbourVote; neighbourByChapter[c.chapterIndex, default: 0] += c.neighbourVote }
            if p > 0 { entropy -= p * log(p) }
            if k < 3 { top3 += p }
        }
        func leads(_ votes: [Int32: Double], _ index: Int32) -> Bool {
            guard let own = votes[index] else { return false }
            return !votes.contains { $0.key != index && $0.value > own }
        }
        func leads(_ value: (CandidateFeatures) -> Double) -> Bool {
            var best: CandidateFeatures?
            for c in s.candidates where value(c) > 0 && (best.map { value(c) > value($0) } ?? true) { best = c }
            return best?.hs6 == top.hs6
        }
        let agreeEncoder = leads { $0.encoderVote }, agreeEncoderCentroid = leads { $0.encoderCentroid }
        // The neighbour, tariff-text centroid, example centroid, vote and tariff-line agreements of `base`.
        let others = ["neighbour_agrees", "centroid_agrees", "examples_agree", "vote_agrees", "tariff_line_agrees"]
            .compactMap { Calibrator.featureNames.firstIndex(of: $0) }.filter { $0 < base.count && base[$0] == 1 }.count
        let signals = others + (agreeEncoder ? 1 : 0) + (agreeEncoderCentroid ? 1 : 0)
        return [agreeEncoder ? 1 : 0, top.encoderVote, top.encoderMax, agreeEncoderCentroid ? 1 : 0,
                leads(encoderByHeading, top.headingIndex) ? 1 : 0, encoderByHeading[top.headingIndex] ?? 0,
                leads(encoderByChapter, top.chapterIndex) ? 1 : 0,
                leads(neighbourByHeading, top.headingIndex) ? 1 : 0, leads(neighbourByChapter, top.chapterIndex) ? 1 : 0,
                top3, entropy, Double(signals) / 7]
    }

    // MARK: classify

    /// Classifies one item. Never throws on bad text: an empty or meaningless description gets an
    /// answer with no subheading, confidence 0 and `review: true`.
    public func classify(_ request: ClassificationRequest, top k: Int = 5) -> ClassificationResult {
        classify(request, top: k, prepared: nil)
    }

    /// Classifies several items, each answer exactly what `classify(_:top:)` gives it alone; the
    /// sentence encoder's scans of up to eight items share one pass over the example rows, which
    /// cuts the scan, the largest part of a line's time, to about a quarter a line.
    public func classify(_ requests: [ClassificationRequest], top k: Int = 5) -> [ClassificationResult] {
        var results: [ClassificationResult] = []
        results.reserveCapacity(requests.count)
        var start = requests.startIndex
        while start < requests.endIndex {
            let chunk = requests[start..<min(requests.endIndex, start + EmbeddingMatrix.batchWidth)]
            let prepared = prepare(chunk.map(\.description))
            for (j, request) in chunk.enumerated() { results.append(classify(request, top: k, prepared: prepared?[j])) }
            start = chunk.endIndex
        }
        return results
    }

    func classify(_ request: ClassificationRequest, top k: Int, prepared: PreparedQuery?) -> ClassificationResult {
        var answers: [Int: String] = [:]
        for (name, value) in request.answers {
            if let a = AttributeReader.index(of: name.lowercased()) { answers[a] = value.lowercased() }
        }
        let (s, slow) = cascadeScore(request.description, answers: answers, prepared: prepared)
        var result = ClassificationResult(
            id: request.id, hs6: nil, nationalCode: nil, tariff: nil, confidence: 0, review: true,
            candidates: [], evidence: [], question: nil, merchantCheck: nil, modelVersion: model.version)
        if model.encoderMode == .cascade { result.slowPath = slow }
        let informative = s.tokens.contains { $0.first != "#" && $0 != "%" }
        // The text's distinct words, built once for the question and the evidence.
        let words = Set(s.tokens)
        var headingSettled = false
        if let top = s.candidates.first, informative {
            let hs6 = model.subheadingCodes[Int(top.hs6)]
            result.hs6 = hs6
            let calibration = model.calibration(s.kind)
            let features = Self.calibrationFeatures(s)
            // The calibrated confidence before binning, computed once: the threshold reads it too.
            let scaled = calibration?.scaledProbability(features)
            let confidence = calibration.flatMap { c in scaled.map { c.probability(scaled: $0) } } ?? model.calibrator.probability(features)
            result.confidence = (confidence * 1000).rounded() / 1000
            result.textKind = s.kind
            // The calibrated threshold was chosen on the confidence before binning; one the caller
            // set compares with the confidence it reads.
            let approvedBy = thresholdIsExplicit ? confidence : scaled ?? confidence
            result.review = approvedBy < autoApproveThreshold(for: s.kind)
            result.approvalScore = approvedBy
            if let calibration {
                result.predictionSet = predictionSet(s, threshold: calibration.setThreshold, backoff: calibration.setBackoff, sharpness: calibration.setSharpness)
                let masses = Self.headingMasses(s)   // read by the heading set too
                if top.headingIndex >= 0 {
                    let headingConfidence = calibration.headingProbability(mass: masses[top.headingIndex] ?? 0)
                    result.heading = model.headingCodes[Int(top.headingIndex)]
                    result.headingConfidence = (headingConfidence * 1000).rounded() / 1000
                    headingSettled = headingConfidence >= calibration.headingThreshold
                }
                result.headingSet = headingSet(s, masses: masses, threshold: calibration.headingSetThreshold, backoff: calibration.headingSetBackoff,
                                               sharpness: calibration.headingSetSharpness)
            }
            if result.review {
                result.clarification = attributes.question(candidates: s.candidates.map(\.hs6), tokens: words,
                                                           answered: Set(request.answers.keys.map { $0.lowercased() }))
                result.question = result.clarification?.question
            }
            result.candidates = zip(s.candidates, s.probabilities).prefix(max(1, k)).map { c, p in
                let code = model.subheadingCodes[Int(c.hs6)]
                return Candidate(hs6: code, score: (p * 1000).rounded() / 1000, description: subheadingTexts[Int(c.hs6)])
            }
            result.evidence = evidence(for: top, scored: s, words: words)
        } else {
            result.question = "The description gives nothing to classify by; what is the item, what is it made of and what is it for?"
        }
        // A person's correction of exactly these words is the answer, before the model's (the
        // review workbench's "correct" takes effect for the next item with the same text).
        if informative, let confirmed = confirmedCorrection(tokens: s.tokens) {
            result.hs6 = confirmed.hs6
            result.confidence = 1
            result.review = false
            result.question = nil
            let others = result.candidates.filter { $0.hs6 != confirmed.hs6 }
            result.candidates = [Candidate(hs6: confirmed.hs6, score: 1, description: model.nomenclature.fullText(confirmed.hs6))] + others.prefix(max(0, k - 1))
            result.evidence.insert(Evidence(kind: .example, code: confirmed.hs6, source: confirmed.source, text: "confirmed by a person for this description",
                                            confirmedBy: confirmed.confirmedBy, confirmedAt: confirmed.confirmedAt), at: 0)
        }
        if let dest = request.destination, !dest.isEmpty, let hs6 = result.hs6 {
            let choice = NationalLineChooser(model: model, tokenTable: lineTokens).choose(hs6: hs6, destination: dest, tokens: s.tokens, words: words)
            result.nationalCode = choice.code
            result.tariff = choice.tariff
            if let q = choice.question { result.question = q }
            result.evidence.append(contentsOf: choice.evidence)
        }
        // A person's confirmed national line for this very description wins over the chooser,
        // when it belongs to the destination's tariff (or no destination was given).
        if let hs6 = result.hs6, let confirmed = confirmedNationalLine(tokens: s.tokens, hs6: hs6, destination: request.destination) {
            result.nationalCode = confirmed.nationalCode
            result.question = nil
            result.evidence.append(Evidence(kind: .example, code: confirmed.nationalCode, source: confirmed.source,
                                            text: "national line confirmed for this description", confirmedBy: confirmed.confirmedBy,
                                            confirmedAt: confirmed.confirmedAt))
        }
        if let code = request.merchantCode, !code.isEmpty {
            let check = MerchantCodeChecker(model: model).check(code: code, date: request.date, destination: request.destination, scored: s, topHS6: result.hs6)
            result.merchantCheck = check
            if check.status != .agrees { result.review = true }
        }
        if let hs6 = result.hs6 {
            // A person's correction settles a heading of its own.
            if result.heading.map({ !hs6.hasPrefix($0) }) ?? false { result.heading = String(hs6.prefix(4)); result.headingConfidence = nil; headingSettled = false }
            result.level = !result.review ? .subheading : headingSettled ? .heading : ClassificationResult.AnswerLevel.none
        }
        return result
    }

    /// The value of a clarification attribute ("material", "gender", …) that the tariff text of
    /// `hs6` states, if any: what a person answering the question for that code would say.
    public func attributeValue(_ attribute: String, of hs6: String) -> String? {
        guard let a = AttributeReader.index(of: attribute), let p = subheadingPosition[hs6] else { return nil }
        return attributes.value(a, of: p)
    }

    /// The newest correction a person made for exactly these words, if any.
    func confirmedCorrection(tokens: [String]) -> LabelledExample? {
        guard correctionRows > 0, let rows = memoryKeys[tokens.joined(separator: " ")] else { return nil }
        return rows.reversed().lazy.filter { !self.superseded.contains($0) && !self.hidden.contains($0) }.map { self.memory[$0] }
            .first { $0.source == "correction" }
    }

    /// The newest correction for exactly these words with a national line under `hs6` that the
    /// destination's tariff knows (any line of it is a prefix of the code, or the code of a line).
    func confirmedNationalLine(tokens: [String], hs6: String, destination: String?) -> LabelledExample? {
        guard correctionRows > 0, let rows = memoryKeys[tokens.joined(separator: " ")] else { return nil }
        for row in rows.reversed() where !superseded.contains(row) {
            let e = memory[row]
            guard e.source == "correction", e.hs6 == hs6, let code = e.nationalCode, code.hasPrefix(hs6) else { continue }
            if let destination, !destination.isEmpty, let j = TariffJurisdiction.forDestination(destination), let tariff = model.tariff(j),
               !tariff.lines.contains(where: { code.hasPrefix($0.code) && $0.code.count > 6 }) {
                continue
            }
            return e
        }
        return nil
    }

    /// IDF-weighted cosine of word sets: cheap enough to rank every line under a subheading.
    /// `queryNorm` is the query's squared norm (`squaredNorm(query)`), the same for every line.
    func overlap(_ query: Set<String>, queryNorm: Double, _ line: LineTokens) -> Double {
        var dot = 0.0
        for (t, w2) in zip(line.distinct, line.squaredWeights) where query.contains(t) { dot += w2 }
        return line.squaredNorm > 0 && queryNorm > 0 ? dot / (line.squaredNorm * queryNorm).squareRoot() : 0
    }

    func squaredNorm(_ query: Set<String>) -> Double {
        var sum = 0.0
        for t in query {
            let w = Double(model.idf[Int(FeatureHasher.bucket(t, seed: 1))])
            sum += w * w
        }
        return sum
    }

    /// Words of the bit filter over the query's buckets in `evidence` (a power of two).
    static let evidenceFilterWords = 512

    /// `words`: `Set(s.tokens)`, when the caller has it already. `filterWords`: the bit filter's
    /// size in words (`FeatureHasher.dimension / 64` folds nothing; a test compares the two).
    func evidence(for top: CandidateFeatures, scored s: Scored, words given: Set<String>? = nil,
                  filterWords: Int = Classifier.evidenceFilterWords) -> [Evidence] {
        let hs6 = model.subheadingCodes[Int(top.hs6)]
        var out: [Evidence] = []
        // Tariff lines under the answer that read most like the item.
        let query = given ?? Set(s.tokens)
        let queryNorm = squaredNorm(query)
        for (tariffIndex, tariff) in model.tariffs.enumerated() {
            var ranked: [(TariffLine, Double)] = []
            for p in tariff.declarableIndices(under: hs6) {
                guard let tokens = lineTokens[tariffIndex][p] else { continue }
                ranked.append((tariff.lines[p], overlap(query, queryNorm: queryNorm, tokens)))
            }
            ranked.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0.code < $1.0.code) }
            for (line, sim) in ranked.prefix(1) {
                out.append(Evidence(kind: .tariffLine, code: line.code, source: tariff.edition, text: line.text, score: (sim * 1000).rounded() / 1000))
            }
        }
        // Nearest confirmed examples with the same answer.
        for n in s.neighbours where memoryLabels[n.row] == top.hs6 {
            let e = memory[n.row]
            out.append(Evidence(kind: .example, code: e.nationalCode ?? e.hs6, source: e.source, text: String(e.description.prefix(240)),
                                score: (Double(n.similarity) * 1000).rounded() / 1000, confirmedBy: e.confirmedBy, confirmedAt: e.confirmedAt))
            if out.filter({ $0.kind == .example }).count >= 3 { break }
        }
        // Words that pushed this answer: each token's features weighed against the subheading
        // centroid and the nearest same-label example.
        let centroid = model.subheadingCentroids[Int(top.hs6)]
        let nearest = s.neighbours.first { memoryLabels[$0.row] == top.hs6 }.map { memoryVectors[$0.row] }
        var contributions: [String: Double] = [:]
        // The query's buckets folded into 32,768 bits (4 KB, cleared per call where the whole bucket
        // space took 32 KB): most of a long text's word grams were pruned from the query, and a bit
        // test rules them out before the binary search. A bucket that only shares a bit with one of
        // the query's is found absent by the search (value 0, passed over), so the sum is the same.
        var inQuery = [UInt64](repeating: 0, count: filterWords)
        let fold = UInt32(filterWords * 64 - 1)
        for b in s.query.indices { let f = b & fold; inQuery[Int(f >> 6)] |= 1 << UInt64(f & 63) }
        // One scratch array for every word's buckets (`FeatureHasher.wordBuckets`, in its order).
        var buckets: [UInt32] = []
        for t in query where t.first != "#" && t != "%" {
            var c = 0.0
            buckets.removeAll(keepingCapacity: true)
            FeatureHasher.appendWordBuckets(t, into: &buckets)
            for b in buckets where inQuery[Int((b & fold) >> 6)] & (1 << UInt64(b & 63)) != 0 {
                let qv = Double(s.query.value(at: b))
                // A feature the query was pruned of adds nothing (and the two look-ups are the cost).
                guard qv != 0 else { continue }
                c += qv * (Double(centroid.value(at: b)) + Double(nearest?.value(at: b) ?? 0))
            }
            if c > 0 { contributions[t] = c }
        }
        let words = contributions.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(6).map(\.key)
        if !words.isEmpty { out.append(Evidence(kind: .words, text: words.joined(separator: ", "))) }
        return out
    }
}

extension Classifier {
    /// Sets each candidate's `nameSubheading` and `nameHeading`: the cosines of a long text's
    /// article name alone to its tariff centroids, read by merging the name's few buckets with
    /// each centroid's (a few dozen candidates; the posting scan would read every centroid).
    /// The name's nearest examples, its cosine to the chapter's centroid and to the heading's
    /// examples were measured too and cost rulings HS-2 on the dev splits (issue #19, session 31).
    func addNameFeatures(_ nameTokens: [String], to feats: inout [CandidateFeatures]) {
        let name = model.vectorize(nameTokens).normalized()
        guard !name.isEmpty else { return }
        var headingCosine: [Int32: Double] = [:]
        for p in feats.indices {
            feats[p].nameSubheading = Double(name.dot(model.subheadingCentroids[Int(feats[p].hs6)]))
            let h = feats[p].headingIndex
            guard h >= 0 else { continue }
            if headingCosine[h] == nil { headingCosine[h] = Double(name.dot(model.headingCentroids[Int(h)])) }
            feats[p].nameHeading = headingCosine[h] ?? 0
        }
    }
}
