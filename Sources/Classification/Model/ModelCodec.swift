import Foundation

/// The model artefact's binary form: little-endian, length-prefixed, with a magic header and a
/// format number, so that loading is a linear read (well under a second) and a truncated or
/// foreign file is an error naming what is wrong, not a crash.
public enum ModelCodec {
    static let magic: [UInt8] = Array("CHHSCLS".utf8)
    static let format: UInt32 = 11
    /// Format 6 is format 7 without the example embeddings, format 7 is format 8 without the
    /// prediction and heading sets' back-off factors and the static encoder, format 8 is format 9
    /// without the encoder mode and the cascade's slow path, and without its closing per-kind section
    /// (the sets' sharpness, the confidence's binning), format 9 is format 10 without the chapter
    /// model, format 10 is format 11 without the heading model; all still load.
    static let oldestReadable: UInt32 = 6

    public static func encode(_ m: ClassifierModel) -> [UInt8] {
        var w = ByteWriter()
        w.bytes(magic)
        w.u32(format)
        w.string(m.version)
        w.string(m.trainedAt)
        w.u32(UInt32(m.learnedAbbreviations.count))
        for (k, v) in m.learnedAbbreviations.sorted(by: { $0.key < $1.key }) { w.string(k); w.string(v) }
        w.floats(m.idf)
        w.f32(m.wordShare)
        for (codes, vectors) in [(m.subheadingCodes, m.subheadingCentroids), (m.headingCodes, m.headingCentroids), (m.chapterCodes, m.chapterCentroids)] {
            w.u32(UInt32(codes.count))
            for (c, v) in zip(codes, vectors) { w.string(c); w.vector(v) }
        }
        for dict in [m.nomenclature.chapters, m.nomenclature.headings, m.nomenclature.subheadings] {
            w.u32(UInt32(dict.count))
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) { w.string(k); w.string(v) }
        }
        w.u32(UInt32(m.tariffs.count))
        for t in m.tariffs {
            w.string(t.jurisdiction.rawValue); w.string(t.edition)
            w.u32(UInt32(t.lines.count))
            for l in t.lines { w.string(l.code); w.string(l.text); w.u8(l.declarable ? 1 : 0); w.string(l.tokenText) }
        }
        w.u32(UInt32(m.examples.count))
        for e in m.examples {
            w.string(e.description); w.string(e.hs6); w.string(e.nationalCode ?? ""); w.string(e.source)
            w.string(e.confirmedBy ?? ""); w.string(e.confirmedAt ?? ""); w.string(e.origin.rawValue)
        }
        w.u32(UInt32(m.weights.coefficients.count))
        m.weights.coefficients.forEach { w.f64($0) }
        w.u32(UInt32(m.calibrator.weights.count))
        m.calibrator.weights.forEach { w.f64($0) }
        w.f64(m.calibrator.bias)
        w.u32(UInt32(m.neighbours))
        w.f64(m.reviewThreshold)
        let r = m.report
        for v in [r.subheadings, r.tariffLines, r.examples, r.crossValidationFolds, r.learnedAbbreviations] { w.u32(UInt32(v)) }
        w.f64(r.crossValidatedAccuracy)
        w.f64(m.weakExampleWeight)
        w.u8(m.focusLongText ? 1 : 0)
        w.u8(m.tariffRetrieval ? 1 : 0)
        w.u32(UInt32(m.kindCalibrations.count))
        for k in m.kindCalibrations {
            w.string(k.kind.rawValue)
            w.u32(UInt32(k.calibrator.weights.count))
            k.calibrator.weights.forEach { w.f64($0) }
            w.f64(k.calibrator.bias)
            w.u32(UInt32(k.rows))
            for v in [k.autoApproveThreshold, k.setThreshold, k.heldOutAccuracy, k.heldOutApprovedShare, k.heldOutApprovedPrecision, k.candidateRecall] { w.f64(v) }
            let b = k.boosted
            w.u32(UInt32(b.feature.count))
            for n in b.feature.indices { w.u32(UInt32(bitPattern: b.feature[n])); w.f64(b.cut[n]); w.u32(UInt32(bitPattern: b.left[n])); w.u32(UInt32(bitPattern: b.right[n])); w.f64(b.value[n]) }
            w.u32(UInt32(b.roots.count))
            b.roots.forEach { w.u32(UInt32(bitPattern: $0)) }
            w.f64(b.base)
            w.u32(UInt32(k.platt.weights.count))
            k.platt.weights.forEach { w.f64($0) }
            w.f64(k.platt.bias)
            w.u32(UInt32(k.headingPlatt.weights.count))
            k.headingPlatt.weights.forEach { w.f64($0) }
            w.f64(k.headingPlatt.bias)
            for v in [k.headingThreshold, k.headingSetThreshold, k.headingRecall, k.setBackoff, k.headingSetBackoff] { w.f64(v) }
        }
        if let e = m.exampleEmbeddings {
            w.u32(UInt32(e.dimension)); w.u32(UInt32(e.rows)); w.bytes(e.quantized())
        } else {
            w.u32(0)
        }
        if let s = m.staticEncoder {
            let pieces = s.tokenizer.piecesById
            w.u32(UInt32(pieces.count))
            pieces.forEach { w.string($0) }
            w.string(s.tokenizer.unknownPiece); w.string(s.tokenizer.prefix)
            w.u32(UInt32(s.tokenizer.maxCharactersPerWord)); w.u8(s.tokenizer.lowercase ? 1 : 0); w.u32(UInt32(s.maxPieces))
            w.u32(UInt32(s.vectors.dimension)); w.u32(UInt32(s.vectors.rows)); w.bytes(s.vectors.quantized())
            w.floats(s.projection)
        } else {
            w.u32(0)
        }
        w.string(m.encoderMode.rawValue)
        if let c = m.cascade {
            w.u8(1)
            w.u32(UInt32(c.weights.coefficients.count))
            c.weights.coefficients.forEach { w.f64($0) }
            w.u32(UInt32(c.queryTokens))
            let kinds = c.marginThresholds.sorted { $0.key.rawValue < $1.key.rawValue }
            w.u32(UInt32(kinds.count))
            for (kind, threshold) in kinds { w.string(kind.rawValue); w.f64(threshold) }
        } else {
            w.u8(0)
        }
        // Format 9: per kind, in the order above.
        for k in m.kindCalibrations {
            w.f64(k.setSharpness); w.f64(k.headingSetSharpness)
            w.u32(UInt32(k.binning.upperBounds.count))
            for (bound, value) in zip(k.binning.upperBounds, k.binning.values) { w.f64(bound); w.f64(value) }
        }
        // Format 10: the chapter model, its chapter count first (0: none).
        if let c = m.chapterModel {
            w.u32(UInt32(c.biases.count))
            for (bias, weights) in zip(c.biases, c.weights) { w.f32(bias); w.vector(weights) }
        } else {
            w.u32(0)
        }
        // Format 11: the heading model, its heading count first (0: none).
        if let h = m.headingModel {
            w.u32(UInt32(h.biases.count))
            for (bias, weights) in zip(h.biases, h.weights) { w.f32(bias); w.vector(weights) }
        } else {
            w.u32(0)
        }
        return w.data
    }

    public static func decode(_ bytes: [UInt8]) throws(ClassificationError) -> ClassifierModel {
        var r = ByteReader(bytes)
        guard try r.take(magic.count) == magic else { throw .invalidModel("not a CustomsHub classifier artefact (bad magic)") }
        let fmt = try r.u32()
        guard (oldestReadable...format).contains(fmt) else { throw .invalidModel("artefact format \(fmt), this build reads formats \(oldestReadable) to \(format); retrain with `customs-hub train`") }
        let version = try r.string(), trainedAt = try r.string()
        var abbreviations: [String: String] = [:]
        for _ in 0..<(try r.count()) { let k = try r.string(); abbreviations[k] = try r.string() }
        let idf = try r.floats()
        guard idf.count == FeatureHasher.dimension else { throw .invalidModel("IDF table has \(idf.count) entries, expected \(FeatureHasher.dimension)") }
        let share = try r.f32()
        var levels: [([String], [SparseVector])] = []
        for _ in 0..<3 {
            var codes: [String] = [], vectors: [SparseVector] = []
            for _ in 0..<(try r.count()) { codes.append(try r.string()); vectors.append(try r.vector()) }
            levels.append((codes, vectors))
        }
        var dicts: [[String: String]] = []
        for _ in 0..<3 {
            var d: [String: String] = [:]
            for _ in 0..<(try r.count()) { let k = try r.string(); d[k] = try r.string() }
            dicts.append(d)
        }
        let nomenclature = Nomenclature(chapters: dicts[0], headings: dicts[1], subheadings: dicts[2])
        var tariffs: [NationalTariff] = []
        for _ in 0..<(try r.count()) {
            let j = try r.string()
            guard let jurisdiction = TariffJurisdiction(rawValue: j) else { throw .invalidModel("unknown tariff jurisdiction '\(j)'") }
            let edition = try r.string()
            var lines: [TariffLine] = []
            for _ in 0..<(try r.count()) {
                let code = try r.string(), text = try r.string(), declarable = try r.u8() == 1
                let tokenText = try r.string()
                lines.append(TariffLine(code: code, hs6: String(code.prefix(6)), text: text, declarable: declarable, tokenText: tokenText))
            }
            tariffs.append(NationalTariff(jurisdiction: jurisdiction, edition: edition, lines: lines))
        }
        var examples: [LabelledExample] = []
        for _ in 0..<(try r.count()) {
            let d = try r.string(), h = try r.string(), n = try r.string(), s = try r.string(), by = try r.string(), at = try r.string()
            let o = try r.string()
            guard let origin = ExampleOrigin(rawValue: o) else { throw .invalidModel("unknown example origin '\(o)'") }
            examples.append(LabelledExample(description: d, hs6: h, nationalCode: n.isEmpty ? nil : n, source: s,
                                            confirmedBy: by.isEmpty ? nil : by, confirmedAt: at.isEmpty ? nil : at, origin: origin))
        }
        var fw: [Double] = []
        for _ in 0..<(try r.count()) { fw.append(try r.f64()) }
        var cw: [Double] = []
        for _ in 0..<(try r.count()) { cw.append(try r.f64()) }
        let bias = try r.f64()
        let neighbours = Int(try r.u32())
        let threshold = try r.f64()
        let rv = try (0..<5).map { _ throws(ClassificationError) in Int(try r.u32()) }
        let cv = try r.f64()
        let weak = try r.f64()
        let focus = try r.u8() == 1
        let retrieval = try r.u8() == 1
        var kinds: [KindCalibration] = []
        for _ in 0..<(try r.count()) {
            let k = try r.string()
            guard let kind = TextKind(rawValue: k) else { throw .invalidModel("unknown text kind '\(k)'") }
            var kw: [Double] = []
            for _ in 0..<(try r.count()) { kw.append(try r.f64()) }
            let kb = try r.f64()
            let rows = Int(try r.u32())
            let v = try (0..<6).map { _ throws(ClassificationError) in try r.f64() }
            var calibration = KindCalibration(kind: kind, calibrator: Calibrator(weights: kw, bias: kb), autoApproveThreshold: v[0], setThreshold: v[1],
                                              rows: rows, heldOutAccuracy: v[2], heldOutApprovedShare: v[3], heldOutApprovedPrecision: v[4], candidateRecall: v[5])
            var b = BoostedTrees()
            let nodes = try r.count()
            for _ in 0..<nodes {
                b.feature.append(Int32(bitPattern: try r.u32())); b.cut.append(try r.f64())
                b.left.append(Int32(bitPattern: try r.u32())); b.right.append(Int32(bitPattern: try r.u32())); b.value.append(try r.f64())
            }
            for _ in 0..<(try r.count()) { b.roots.append(Int32(bitPattern: try r.u32())) }
            b.base = try r.f64()
            for n in 0..<nodes where b.feature[n] >= 0 {
                guard (0..<Int32(nodes)).contains(b.left[n]), (0..<Int32(nodes)).contains(b.right[n]), b.left[n] > Int32(n), b.right[n] > Int32(n) else {
                    throw .invalidModel("confidence tree node \(n) of kind \(k) points outside its tree")
                }
            }
            guard b.roots.allSatisfy({ (0..<Int32(nodes)).contains($0) }) else { throw .invalidModel("confidence tree root outside the node table (kind \(k))") }
            for _ in 0..<(try r.count()) { calibration.platt.weights.append(try r.f64()) }
            calibration.platt.bias = try r.f64()
            for _ in 0..<(try r.count()) { calibration.headingPlatt.weights.append(try r.f64()) }
            calibration.headingPlatt.bias = try r.f64()
            calibration.headingThreshold = try r.f64()
            calibration.headingSetThreshold = try r.f64()
            calibration.headingRecall = try r.f64()
            if fmt >= 8 { calibration.setBackoff = try r.f64(); calibration.headingSetBackoff = try r.f64() }
            calibration.boosted = b
            kinds.append(calibration)
        }
        var embeddings: EmbeddingMatrix?
        if fmt >= 7 {
            let dimension = Int(try r.u32())
            if dimension > 0 {
                let rows = try r.count()
                guard rows == examples.count else { throw .invalidModel("\(rows) example embeddings for \(examples.count) examples") }
                let bytes = try r.take(rows * (dimension + 4))
                embeddings = EmbeddingMatrix.dequantized(dimension: dimension, rows: rows, bytes: bytes[...])
            }
        }
        var staticEncoder: StaticSentenceEncoder?
        if fmt >= 8 {
            let pieceCount = try r.count()
            if pieceCount > 0 {
                var vocabulary: [String: Int32] = [:]
                for id in 0..<pieceCount {
                    let piece = try r.string()
                    if !piece.isEmpty { vocabulary[piece] = Int32(id) }
                }
                let unknown = try r.string(), prefix = try r.string()
                let maxCharacters = Int(try r.u32()), lowercase = try r.u8() == 1, maxPieces = Int(try r.u32())
                let dimension = Int(try r.u32()), rows = try r.count()
                guard dimension > 0, rows == pieceCount else { throw .invalidModel("static encoder: \(rows) vectors of dimension \(dimension) for \(pieceCount) word pieces") }
                guard embeddings == nil || embeddings?.dimension == dimension else { throw .invalidModel("static encoder of dimension \(dimension), example embeddings of \(embeddings?.dimension ?? 0)") }
                let vectors = EmbeddingMatrix.dequantized(dimension: dimension, rows: rows, bytes: try r.take(rows * (dimension + 4))[...])
                let tokenizer: WordPieceTokenizer
                do {
                    tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, unknownToken: unknown, maxCharactersPerWord: maxCharacters, prefix: prefix, lowercase: lowercase)
                } catch {
                    throw .invalidModel("static encoder: \(error)")
                }
                let projection = try r.floats()
                guard projection.isEmpty || projection.count == dimension * dimension else {
                    throw .invalidModel("static encoder: a projection of \(projection.count) values for dimension \(dimension)")
                }
                staticEncoder = StaticSentenceEncoder(tokenizer: tokenizer, vectors: vectors, maxPieces: maxPieces, projection: projection)
            }
        }
        var recordedMode: EncoderMode?
        var cascade: EncoderCascade?
        if fmt >= 9 {
            let name = try r.string()
            guard let mode = EncoderMode(rawValue: name) else { throw .invalidModel("unknown encoder mode '\(name)'") }
            recordedMode = mode
            if try r.u8() == 1 {
                var weights: [Double] = []
                for _ in 0..<(try r.count()) { weights.append(try r.f64()) }
                let tokens = Int(try r.u32())
                guard tokens >= 2 else { throw .invalidModel("cascade: \(tokens) query tokens (at least [CLS] and [SEP])") }
                var thresholds: [TextKind: Double] = [:]
                for _ in 0..<(try r.count()) {
                    let k = try r.string()
                    guard let kind = TextKind(rawValue: k) else { throw .invalidModel("cascade: unknown text kind '\(k)'") }
                    thresholds[kind] = try r.f64()
                }
                cascade = EncoderCascade(weights: FusionWeights(coefficients: weights), marginThresholds: thresholds, queryTokens: tokens)
            }
        }
        if fmt >= 9 {
            for k in kinds.indices {
                kinds[k].setSharpness = try r.f64(); kinds[k].headingSetSharpness = try r.f64()
                var binning = ConfidenceBinning()
                for _ in 0..<(try r.count()) { binning.upperBounds.append(try r.f64()); binning.values.append(try r.f64()) }
                guard zip(binning.upperBounds, binning.upperBounds.dropFirst()).allSatisfy({ $0 < $1 }), binning.values.allSatisfy({ (0...1).contains($0) }) else {
                    throw .invalidModel("confidence binning of kind \(kinds[k].kind.rawValue) is not increasing bounds with values in [0, 1]")
                }
                kinds[k].binning = binning
            }
        }
        var chapterModel: ChapterModel?
        if fmt >= 10 {
            let chapters = try r.count()
            if chapters > 0 {
                guard chapters == levels[2].0.count else { throw .invalidModel("chapter model of \(chapters) chapters for \(levels[2].0.count) chapter codes") }
                var biases: [Float] = [], weights: [SparseVector] = []
                for _ in 0..<chapters { biases.append(try r.f32()); weights.append(try r.vector()) }
                chapterModel = ChapterModel(biases: biases, weights: weights)
            }
        }
        var headingModel: HeadingModel?
        if fmt >= 11 {
            let headings = try r.count()
            if headings > 0 {
                guard headings == levels[1].0.count else { throw .invalidModel("heading model of \(headings) headings for \(levels[1].0.count) heading codes") }
                var biases: [Float] = [], weights: [SparseVector] = []
                for _ in 0..<headings { biases.append(try r.f32()); weights.append(try r.vector()) }
                headingModel = HeadingModel(biases: biases, weights: weights)
            }
        }
        guard r.atEnd else { throw .invalidModel("\(r.remaining) unexpected bytes after the end of the artefact") }
        var model = ClassifierModel(
            version: version, trainedAt: trainedAt, learnedAbbreviations: abbreviations, idf: idf, wordShare: share,
            subheadingCodes: levels[0].0, subheadingCentroids: levels[0].1, headingCodes: levels[1].0, headingCentroids: levels[1].1,
            chapterCodes: levels[2].0, chapterCentroids: levels[2].1, nomenclature: nomenclature, tariffs: tariffs, examples: examples,
            weights: FusionWeights(coefficients: fw),
            calibrator: Calibrator(weights: cw, bias: bias), neighbours: neighbours, reviewThreshold: threshold,
            report: TrainingReport(subheadings: rv[0], tariffLines: rv[1], examples: rv[2], crossValidationFolds: rv[3], crossValidatedAccuracy: cv, learnedAbbreviations: rv[4]))
        model.weakExampleWeight = weak
        model.focusLongText = focus
        model.tariffRetrieval = retrieval
        model.kindCalibrations = kinds
        model.exampleEmbeddings = embeddings
        model.staticEncoder = staticEncoder
        model.cascade = cascade
        model.chapterModel = chapterModel
        model.headingModel = headingModel
        if let recordedMode, recordedMode != model.encoderMode {
            throw .invalidModel("encoder mode '\(recordedMode.rawValue)' recorded, but the artefact holds what '\(model.encoderMode.rawValue)' reads")
        }
        return model
    }
}

struct ByteWriter {
    var data: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    mutating func string(_ s: String) { let b = Array(s.utf8); u32(UInt32(b.count)); bytes(b) }
    mutating func floats(_ a: [Float]) { u32(UInt32(a.count)); for v in a { f32(v) } }
    mutating func vector(_ v: SparseVector) {
        u32(UInt32(v.count))
        for i in v.indices { u32(i) }
        for x in v.values { f32(x) }
    }
}

struct ByteReader {
    let data: [UInt8]
    var offset = 0
    init(_ data: [UInt8]) { self.data = data }
    var atEnd: Bool { offset == data.count }
    var remaining: Int { data.count - offset }

    mutating func take(_ n: Int) throws(ClassificationError) -> [UInt8] {
        guard n >= 0, n <= data.count - offset else { throw .invalidModel("truncated at byte \(offset) (wanted \(n) more bytes)") }
        defer { offset += n }
        return Array(data[offset..<(offset + n)])
    }
    mutating func u8() throws(ClassificationError) -> UInt8 { try take(1)[0] }
    mutating func u32() throws(ClassificationError) -> UInt32 {
        guard 4 <= data.count - offset else { throw .invalidModel("truncated at byte \(offset)") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(data[offset + k]) << (8 * UInt32(k)) }
        offset += 4
        return v
    }
    mutating func count() throws(ClassificationError) -> Int {
        let n = Int(try u32())
        guard n <= data.count - offset else { throw .invalidModel("count \(n) at byte \(offset - 4) exceeds the file") }
        return n
    }
    mutating func f32() throws(ClassificationError) -> Float { Float(bitPattern: try u32()) }
    mutating func f64() throws(ClassificationError) -> Double {
        let lo = UInt64(try u32()), hi = UInt64(try u32())
        return Double(bitPattern: lo | (hi << 32))
    }
    mutating func string() throws(ClassificationError) -> String {
        let n = try count()
        let s = String(decoding: data[offset..<(offset + n)], as: UTF8.self)
        offset += n
        return s
    }
    mutating func floats() throws(ClassificationError) -> [Float] {
        let n = try count()
        guard n * 4 <= data.count - offset else { throw .invalidModel("truncated float table at byte \(offset)") }
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { out[i] = try f32() }
        return out
    }
    mutating func vector() throws(ClassificationError) -> SparseVector {
        let n = try count()
        var idx = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            let v = try u32()
            guard v < UInt32(FeatureHasher.dimension), i == 0 || v > idx[i - 1] else { throw .invalidModel("sparse vector index \(v) out of order or range at byte \(offset - 4)") }
            idx[i] = v
        }
        var val = [Float](repeating: 0, count: n)
        for i in 0..<n { val[i] = try f32() }
        return SparseVector(indices: idx, values: val)
    }
}
