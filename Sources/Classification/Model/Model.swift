import CEmbeddingKernels
import Foundation

/// How the component scores of a candidate are combined: a conditional-logit ranker, one
/// coefficient per candidate feature, fitted on cross-validated predictions at training time
/// (`ClassifierTrainer`), never set by hand. The softmax over a query's candidates is the
/// candidate distribution.
public struct FusionWeights: Sendable, Equatable, Codable {
    public var coefficients: [Double]

    public init(coefficients: [Double]) { self.coefficients = coefficients }

    /// A neutral start for fitting: centroid and neighbour similarity count, nothing else.
    public static let initial = FusionWeights(coefficients: [4, 2, 4, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])

    /// With more coefficients than features, the second half is added for long prose: rulings
    /// lean on the evidence differently from titles (`TrainingOptions.rankerPerKind`). A ranker
    /// fitted on fewer features than the classifier now computes (an older artefact, or
    /// `TrainingOptions.rankerExtraFeatures` off) reads the first ones only.
    func fuse(_ f: CandidateFeatures, long: Bool = false) -> Double {
        var z = 0.0
        let x = f.vector
        let perKind = coefficients.count > x.count
        let width = perKind ? coefficients.count / 2 : coefficients.count
        for i in 0..<min(x.count, width) { z += coefficients[i] * x[i] }
        if long && perKind {
            for i in 0..<min(x.count, width) { z += coefficients[width + i] * x[i] }
        }
        return z
    }
}

/// Logistic model mapping answer features to P(answer is right), fitted on cross-validated
/// predictions so that a confidence of 0.9 is right about 9 times in 10.
public struct Calibrator: Sendable, Equatable {
    public var weights: [Double]
    public var bias: Double

    public init(weights: [Double], bias: Double) { self.weights = weights; self.bias = bias }

    public static let featureNames = ["top_probability", "margin", "neighbour_max", "subheading_cosine", "neighbour_agrees", "centroid_agrees", "log_tokens",
                                      "neighbour_vote", "heading_vote", "chapter_vote", "example_centroid", "nearest", "neighbour_count",
                                      "heading_cosine", "chapter_cosine", "examples_agree", "vote_agrees", "heading_mass", "chapter_mass",
                                      "second_same_heading", "tariff_line", "tariff_line_agrees",
                                      "chapter_model", "heading_model", "chapter_model_agrees"]

    public func probability(_ x: [Double]) -> Double {
        var z = bias
        for i in 0..<min(x.count, weights.count) { z += weights[i] * x[i] }
        return 1 / (1 + exp(-z))
    }

    /// Plain gradient descent on log-loss with a small L2 penalty; a few thousand rows, milliseconds.
    public static func fit(_ rows: [[Double]], _ labels: [Bool], iterations: Int = 600, rate: Double = 0.5) -> Calibrator {
        guard let width = rows.first?.count, !rows.isEmpty else { return Calibrator(weights: [], bias: 0) }
        var w = [Double](repeating: 0, count: width)
        var b = 0.0
        let n = Double(rows.count)
        for _ in 0..<iterations {
            var gw = [Double](repeating: 0, count: width)
            var gb = 0.0
            for (x, y) in zip(rows, labels) {
                var z = b
                for i in 0..<width { z += w[i] * x[i] }
                let p = 1 / (1 + exp(-z))
                let e = p - (y ? 1 : 0)
                for i in 0..<width { gw[i] += e * x[i] }
                gb += e
            }
            for i in 0..<width { w[i] -= rate * (gw[i] / n + 0.001 * w[i]) }
            b -= rate * gb / n
        }
        return Calibrator(weights: w, bias: b)
    }
}

/// Component scores of one candidate subheading for one query.
struct CandidateFeatures: Sendable {
    var hs6: Int32
    /// Positions of its heading and chapter in the model (not ranker features).
    var headingIndex: Int32 = -1
    var chapterIndex: Int32 = -1
    /// Best similarity of a memory example with this label.
    var neighbourMax: Double = 0
    /// Similarity-weighted share of the k nearest examples that carry this label.
    var neighbourVote: Double = 0
    /// Cosine to the subheading's knowledge-base centroid.
    var subheading: Double = 0
    /// Cosine to the heading's and the chapter's centroids (the linear heading and chapter models).
    var heading: Double = 0
    var chapter: Double = 0
    /// Cosine to the centroid of the training examples with this label.
    var exampleCentroid: Double = 0
    /// Share of the neighbour vote for this candidate's heading and chapter.
    var headingVote: Double = 0
    var chapterVote: Double = 0
    /// 1 when the single nearest example has this label.
    var nearest: Double = 0
    /// 1 / (1 + rank) by subheading cosine: where the tariff text alone would put it.
    var subheadingRank: Double = 0
    /// Share of the neighbours with this label (unweighted).
    var neighbourCount: Double = 0
    /// Best cosine to one of its tariff documents (`TariffRetrieval`), and 1 / (1 + rank) by it.
    var tariffLine: Double = 0
    var tariffLineRank: Double = 0
    /// Cosine to the centroid of every training example under its heading: a code with few
    /// examples of its own borrows its siblings' wording (most HS-6 have none or one).
    var headingExamples: Double = 0
    /// log(1 + its training examples) / 6: how often the code came up, a prior (short texts only).
    var prior: Double = 0
    /// Its subheading cosine less the best of its heading's candidates' (0 for the best sibling):
    /// which subheading of a heading the tariff text favours, apart from how well the heading fits.
    var siblingGap: Double = 0
    /// From the sentence encoder's 20 nearest examples: the similarity-weighted share with this
    /// label and the best cosine among them; and the cosine to the label's embedding centroid.
    /// Zero when the model has no encoder (the ranker then fits them a zero coefficient).
    var encoderVote: Double = 0
    var encoderMax: Double = 0
    var encoderCentroid: Double = 0
    /// The same vote share summed over the candidate's heading.
    var encoderHeadingVote: Double = 0
    /// Cosine to the centroid of every training example under its chapter: most wrong rulings
    /// are in another chapter (issue #19's error study).
    var chapterExamples: Double = 0
    /// A long text's article name alone (`ArticleName`): its cosine to the subheading's and the
    /// heading's tariff centroids. The tariff classifies by what the article is (GRI 1), and the
    /// whole text's words weigh its materials and uses as much as its name. Zero for a short text
    /// or one without a name.
    var nameSubheading: Double = 0
    var nameHeading: Double = 0
    /// The chapter model's probability of the candidate's chapter (`ChapterModel`), and its
    /// logarithm mapped onto [0, 1] (log(p + 1e-4) / ln 10⁴ + 1). Zero without a chapter model.
    var chapterModel: Double = 0
    var chapterModelLog: Double = 0
    /// The heading's probability, P(chapter) · P(heading | chapter) (`HeadingModel` read with
    /// `ChapterModel`), and its logarithm mapped onto [0, 1] (log(p + 1e-6) / ln 10⁶ + 1). Zero
    /// without both models.
    var headingModel: Double = 0
    var headingModelLog: Double = 0

    static let names = ["neighbour_max", "neighbour_vote", "subheading", "heading", "chapter", "example_centroid",
                        "heading_vote", "chapter_vote", "nearest", "subheading_rank", "neighbour_count", "tariff_line", "tariff_line_rank",
                        "heading_examples", "prior", "sibling_gap",
                        "encoder_vote", "encoder_max", "encoder_centroid", "encoder_heading_vote",
                        "chapter_examples", "name_subheading", "name_heading", "chapter_model", "chapter_model_log",
                        "heading_model", "heading_model_log"]
    /// Features that rankers fitted before them (13 coefficients) do not read.
    static let baseWidth = 13

    var vector: [Double] {
        [neighbourMax, neighbourVote, subheading, heading, chapter, exampleCentroid, headingVote, chapterVote, nearest, subheadingRank, neighbourCount,
         tariffLine, tariffLineRank, headingExamples, prior, siblingGap, encoderVote, encoderMax, encoderCentroid,
         encoderHeadingVote, chapterExamples, nameSubheading, nameHeading, chapterModel, chapterModelLog, headingModel, headingModelLog]
    }
}

/// The trained, versioned artefact: everything needed to classify, nothing that needs a file.
public struct ClassifierModel: Sendable {
    public var version: String
    /// When it was trained (RFC 3339), given by the caller; the core never reads a clock.
    public var trainedAt: String
    public var learnedAbbreviations: [String: String]
    public var idf: [Float]
    /// Share of the vector's weight on word features (the rest on character n-grams).
    public var wordShare: Float
    public var subheadingCodes: [String]
    public var subheadingCentroids: [SparseVector]
    public var headingCodes: [String]
    public var headingCentroids: [SparseVector]
    public var chapterCodes: [String]
    public var chapterCentroids: [SparseVector]
    public var nomenclature: Nomenclature
    public var tariffs: [NationalTariff]
    /// The confirmed examples the memory starts with (rulings, parcel references, corrections).
    public var examples: [LabelledExample]
    public var weights: FusionWeights
    public var calibrator: Calibrator
    public var neighbours: Int
    public var reviewThreshold: Double
    public var report: TrainingReport
    /// Confidence, auto-approve threshold and prediction-set threshold per text kind, fitted on
    /// held-out predictions; `calibrator` and `reviewThreshold` serve a kind that has none.
    public var kindCalibrations: [KindCalibration] = []
    /// How much a model-written (weak-label) example's similarity counts in the memory.
    public var weakExampleWeight: Double = 1
    /// Long prose is scored on the sentences that describe the goods (see `GoodsText`).
    public var focusLongText = false
    /// Every tariff text is also a retrieval document of its own (see `TariffRetrieval`).
    public var tariffRetrieval = false
    /// The sentence encoder's vector of each example, row for row (nil: trained without an
    /// encoder). Computed once at training time; queries are encoded at run time.
    public var exampleEmbeddings: EmbeddingMatrix?
    /// The encoder the embeddings came from when it is a static one (it travels in the artefact,
    /// so the classifier encodes queries with it and needs no weights at run time).
    public var staticEncoder: StaticSentenceEncoder?

    public func calibration(_ kind: TextKind) -> KindCalibration? { kindCalibrations.first { $0.kind == kind } }
    /// The static path on every line, the full encoder's forward pass only on the lines it is
    /// unsure of (nil: one path). Needs `staticEncoder` for the fast path and the weights at run time
    /// for the slow one; without them every line stays on the fast path.
    public var cascade: EncoderCascade?
    /// The discriminative chapter model (nil: trained without one, or an older artefact).
    public var chapterModel: ChapterModel?
    /// The heading model within each chapter (nil: trained without one, or an older artefact).
    public var headingModel: HeadingModel?

    /// What the model was trained for: the encoder features it reads and where the query vectors
    /// come from (the artefact's format 9 records it; older ones are read from what they hold).
    public var encoderMode: EncoderMode {
        if exampleEmbeddings == nil { return .none }
        if cascade != nil && staticEncoder != nil { return .cascade }
        return staticEncoder != nil ? .static : .full
    }


    public var normalizer: TextNormalizer { TextNormalizer(learnedAbbreviations: learnedAbbreviations) }

    /// TF-IDF vector: sublinear term frequency, words and character grams normalised separately
    /// and then mixed by `wordShare`, so that long ruling prose and three-word titles compare.
    public func vectorize(_ tokens: [String]) -> SparseVector {
        vectorize(counts: FeatureHasher.counts(tokens))
    }

    public func tariff(_ j: TariffJurisdiction) -> NationalTariff? { tariffs.first { $0.jurisdiction == j } }

    func vectorize(counts: FeatureHasher.Counts) -> SparseVector {
        func weigh(_ v: SparseVector) -> SparseVector {
            var out = v
            for k in 0..<out.values.count { out.values[k] = (1 + log(out.values[k])) * idf[Int(out.indices[k])] }
            return out.normalized()
        }
        let w = weigh(counts.word), c = weigh(counts.char)
        let ws = wordShare.squareRoot(), cs = (1 - wordShare).squareRoot()
        // Both lists are sorted by bucket: merged, a bucket in both summed (word + char).
        var idx: [UInt32] = [], val: [Float] = []
        idx.reserveCapacity(w.count + c.count)
        val.reserveCapacity(w.count + c.count)
        var i = 0, j = 0
        while i < w.count || j < c.count {
            if j == c.count || (i < w.count && w.indices[i] < c.indices[j]) {
                idx.append(w.indices[i]); val.append(w.values[i] * ws); i += 1
            } else if i == w.count || c.indices[j] < w.indices[i] {
                idx.append(c.indices[j]); val.append(c.values[j] * cs); j += 1
            } else {
                idx.append(w.indices[i]); val.append(w.values[i] * ws + c.values[j] * cs); i += 1; j += 1
            }
        }
        return SparseVector(indices: idx, values: val)
    }
}

/// How a model uses the sentence encoder.
public enum EncoderMode: String, Sendable, Codable, CaseIterable {
    /// No encoder features.
    case none
    /// Queries by the static encoder the model carries: no weights at run time.
    case `static`
    /// Queries by the full forward pass: the weights are needed at run time.
    case full
    /// The static encoder on every line, the forward pass where its ranking is unsure.
    case cascade
}

/// The slow path of a cascade: a second ranker, fitted on the same held-out rows scored with the
/// full encoder's query vectors, and per text kind the static ranker's margin (top-1 probability
/// less top-2) under which a line is encoded again by the forward pass and re-ranked with it.
/// Thresholds are quantiles of the held-out margins, so a share of lines is sent, not a margin
/// guessed: the forward pass costs tens of milliseconds on a long ruling, and the share is what
/// sets the cost per item.
public struct EncoderCascade: Sendable, Equatable {
    public var weights: FusionWeights
    public var marginThresholds: [TextKind: Double]
    /// Word pieces the forward pass reads of a query (`[CLS]` and `[SEP]` included): its cost
    /// grows with them, and long rulings hit the cap.
    public var queryTokens: Int

    public init(weights: FusionWeights, marginThresholds: [TextKind: Double], queryTokens: Int) {
        self.weights = weights; self.marginThresholds = marginThresholds; self.queryTokens = queryTokens
    }

    /// Whether a line whose fast ranking has this margin takes the slow path.
    public func isUnsure(margin: Double, kind: TextKind) -> Bool { margin < (marginThresholds[kind] ?? 0) }

    /// The margin under which the `share` lowest of `margins` fall (0: none, 1: all).
    public static func threshold(margins: [Double], share: Double) -> Double {
        guard !margins.isEmpty, share > 0 else { return 0 }
        guard share < 1 else { return .infinity }
        let sorted = margins.sorted()
        return sorted[min(sorted.count - 1, Int((share * Double(sorted.count)).rounded()))]
    }
}

/// What training measured, kept in the artefact and printed by `customs-hub train`.
public struct TrainingReport: Sendable, Equatable, Codable {
    public var subheadings: Int
    public var tariffLines: Int
    public var examples: Int
    public var crossValidationFolds: Int
    /// Top-1 HS-6 accuracy of the chosen weights on out-of-fold predictions.
    public var crossValidatedAccuracy: Double
    public var learnedAbbreviations: Int

    enum CodingKeys: String, CodingKey {
        case subheadings, examples
        case tariffLines = "tariff_lines"
        case crossValidationFolds = "cross_validation_folds"
        case crossValidatedAccuracy = "cross_validated_accuracy"
        case learnedAbbreviations = "learned_abbreviations"
    }
}

/// The memory rows appended after load (corrections learned while running), in per-bucket lists.
/// The rows present at load sit in the classifier's `StackedIndex` (part `memory`); a row's
/// similarity is summed over the query's features in the same order either way.
struct InvertedIndex: Sendable {
    struct Posting: Sendable { var doc: Int32; var weight: Float }
    var recent: [UInt32: [Posting]] = [:]
    /// Rows in the flat table, then rows appended here.
    var documents: Int

    init(frozenDocuments: Int) { documents = frozenDocuments }

    mutating func append(_ v: SparseVector) {
        let doc = Int32(documents)
        for k in 0..<v.count { recent[v.indices[k], default: []].append(Posting(doc: doc, weight: v.values[k])) }
        documents += 1
    }

    /// Adds the appended rows' similarities (after the flat table's: the same order per row).
    func accumulateRecent(_ q: SparseVector, into out: UnsafeMutableBufferPointer<Float>) {
        guard !recent.isEmpty else { return }
        precondition(out.count >= documents)
        for k in 0..<q.count {
            guard let list = recent[q.indices[k]] else { continue }
            let qv = q.values[k]
            for p in list { out[Int(p.doc)] += qv * p.weight }
        }
    }
}

/// Read-only posting indexes over the same feature buckets, stacked in one flat table (compressed
/// rows, built in two passes with one allocation, which keeps model load time low). A bucket's
/// postings for every part lie side by side, each a (document, weight) pair, so a query feature
/// costs one offsets lookup and one run of memory for all the parts: the classifier's subheading,
/// heading and chapter centroids, its memory and its tariff-line documents were five indexes with
/// a 1 MB offsets table each, and a query of a few hundred features missed the cache on every
/// table. Each part's documents are scored into its own buffer, summed over the query's features in
/// query order, so every similarity is the same float as from an index of that part alone. While no
/// part has more than 65,536 documents a posting is six bytes (a 16-bit document number): the sums
/// wait on reading the postings, a third of a line's CPU (issue #19, session 35).
struct StackedIndex: Sendable {
    struct Posting: Sendable { var doc: Int32; var weight: Float }
    /// Documents per part.
    let documents: [Int]
    /// `offsets[bucket * parts + part]` is the first posting of that part in that bucket; one more
    /// entry at the end.
    let offsets: [Int32]
    /// The postings as `Posting`s, or empty when `compact` holds them.
    let postings: [Posting]
    /// The postings in six bytes each (`hub_accumulate_postings6`) when no part has more than
    /// 65,536 documents.
    let compact: [UInt8]

    /// Postings kept in six bytes while every part's documents number in 16 bits.
    static let compactDocuments = 1 << 16

    var parts: Int { documents.count }

    init(_ groups: [[SparseVector]]) {
        let parts = groups.count
        documents = groups.map(\.count)
        var counts = [Int32](repeating: 0, count: FeatureHasher.dimension * parts + 1)
        for (p, vectors) in groups.enumerated() {
            for v in vectors { for i in v.indices { counts[Int(i) * parts + p + 1] += 1 } }
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        offsets = counts
        let total = Int(counts[counts.count - 1])
        var fill = counts
        // Each posting written straight into its table: no eight-byte table first (its memory,
        // freed at load, stayed with the process).
        func place(_ write: (_ at: Int, _ doc: Int, _ weight: Float) -> Void) {
            for (p, vectors) in groups.enumerated() {
                for (d, v) in vectors.enumerated() {
                    for k in 0..<v.count {
                        let cell = Int(v.indices[k]) * parts + p
                        write(Int(fill[cell]), d, v.values[k])
                        fill[cell] += 1
                    }
                }
            }
        }
        if documents.allSatisfy({ $0 <= Self.compactDocuments }) {
            var bytes = [UInt8](repeating: 0, count: total * 6)
            bytes.withUnsafeMutableBytes { raw in
                place { at, doc, weight in
                    raw.storeBytes(of: UInt16(doc), toByteOffset: at * 6, as: UInt16.self)
                    raw.storeBytes(of: weight.bitPattern, toByteOffset: at * 6 + 2, as: UInt32.self)
                }
            }
            compact = bytes
            postings = []
        } else {
            var table = [Posting](repeating: Posting(doc: 0, weight: 0), count: total)
            table.withUnsafeMutableBufferPointer { t in place { at, doc, weight in t[at] = Posting(doc: Int32(doc), weight: weight) } }
            compact = []
            postings = table
        }
    }

    /// Each part's similarities, in fresh arrays.
    func scores(_ q: SparseVector) -> [[Float]] {
        if parts == 1 {
            var acc = [Float](repeating: 0, count: documents[0])
            acc.withUnsafeMutableBufferPointer { out in accumulate(q, into: [out]) }
            return [acc]
        }
        let buffers = documents.map { n in
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            b.initialize(repeating: 0)
            return b
        }
        defer { for b in buffers { b.deallocate() } }
        accumulate(q, into: buffers)
        return buffers.map { Array($0) }
    }

    /// Adds each document's similarity to `outs[part][document]` (each buffer holds at least that
    /// part's documents).
    func accumulate(_ q: SparseVector, into outs: [UnsafeMutableBufferPointer<Float>]) {
        precondition(outs.count == parts)
        for p in 0..<parts { precondition(outs[p].count >= documents[p]) }
        guard q.count > 0, !postings.isEmpty || !compact.isEmpty else { return }
        let bases: [UnsafeMutablePointer<Float>] = outs.map { $0.baseAddress ?? UnsafeMutablePointer<Float>(bitPattern: 8)! }
        if !compact.isEmpty {
            compact.withUnsafeBufferPointer { ps in
                offsets.withUnsafeBufferPointer { o in
                    q.indices.withUnsafeBufferPointer { qi in
                        q.values.withUnsafeBufferPointer { qv in
                            bases.withUnsafeBufferPointer { b in
                                hub_accumulate_postings6(o.baseAddress!, ps.baseAddress!, parts, qi.baseAddress!, qv.baseAddress!, q.count, b.baseAddress!)
                            }
                        }
                    }
                }
            }
            return
        }
        postings.withUnsafeBufferPointer { ps in
            ps.withMemoryRebound(to: HubPosting.self) { hubPostings in
                offsets.withUnsafeBufferPointer { o in
                    q.indices.withUnsafeBufferPointer { qi in
                        q.values.withUnsafeBufferPointer { qv in
                            bases.withUnsafeBufferPointer { b in
                                hub_accumulate_postings(o.baseAddress!, hubPostings.baseAddress!, parts, qi.baseAddress!, qv.baseAddress!, q.count, b.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Indices of the `n` largest values, best first (ties by lower index, for determinism). Only
/// values above 0 (after `scale`, when given: `values[i] * scale[i]`) and kept by `keep` count.
/// One pass: a value enters only when it beats the current n-th best, so the scan is a load and a
/// compare per element; the result is the first `n` of the order (value descending, index
/// ascending), as a full sort would give it.
func topIndices(_ values: [Float], _ n: Int, scale: [Float]? = nil, where keep: (Int) -> Bool = { _ in true }) -> [Int] {
    guard n > 0 else { return [] }
    var best = TopList(capacity: n)
    values.withUnsafeBufferPointer { vs in
        guard let base = vs.baseAddress else { return }
        if let scale {
            precondition(scale.count >= vs.count, "one scale per value")
            scale.withUnsafeBufferPointer { ws in
                // The values at or under the floor are passed over eight at a time (`hub_next_above`).
                var i = hub_next_above(base, ws.baseAddress!, 0, vs.count, best.floor)
                while i < vs.count {
                    let v = vs[i] * ws[i]
                    if keep(i) { best.offer(v, i) }
                    i = hub_next_above(base, ws.baseAddress!, i + 1, vs.count, best.floor)
                }
            }
        } else {
            var i = hub_next_above(base, nil, 0, vs.count, best.floor)
            while i < vs.count {
                if keep(i) { best.offer(vs[i], i) }
                i = hub_next_above(base, nil, i + 1, vs.count, best.floor)
            }
        }
    }
    return best.indices
}

/// The best `capacity` (value, index) pairs offered so far, best first; offered in ascending index
/// order, so an equal value goes after the ones already there. `floor` is what a value must beat.
struct TopList {
    let capacity: Int
    var values: [Float] = []
    var indices: [Int] = []
    var floor: Float = 0

    init(capacity: Int) {
        self.capacity = capacity
        values.reserveCapacity(capacity + 1)
        indices.reserveCapacity(capacity + 1)
    }

    @inline(__always) mutating func offer(_ v: Float, _ i: Int) {
        var p = values.count
        while p > 0 && values[p - 1] < v { p -= 1 }
        if values.count == capacity { values.removeLast(); indices.removeLast() }
        // Inserted at `p` by shifting the few entries after it by hand: `insert(_:at:)` went through
        // the general `replaceSubrange` on every offer.
        values.append(v)
        indices.append(i)
        var k = values.count - 1
        while k > p {
            values[k] = values[k - 1]
            indices[k] = indices[k - 1]
            k -= 1
        }
        values[p] = v
        indices[p] = i
        if values.count == capacity { floor = values[capacity - 1] }
    }
}
