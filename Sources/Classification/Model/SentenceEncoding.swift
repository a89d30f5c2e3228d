import CEmbeddingKernels
/// A sentence encoder (all-MiniLM-L6-v2 in the `TextEmbedding` target, or a table of precomputed
/// vectors in a benchmark): a text in, a unit vector out. The classifier works without one; with
/// one, its training examples carry their embeddings and the ranker reads four more features from
/// the encoder's nearest examples and the labels' embedding centroids. On held-out rulings an
/// off-the-shelf encoder's kNN beat TF-IDF kNN by 9 points of HS-6 (issue #19): it sees
/// paraphrase that hashed n-grams miss.
public protocol SentenceEncoder: Sendable {
    /// Length of every vector `encode` returns.
    var dimension: Int { get }
    /// The text's embedding, L2-normalised (length `dimension`).
    func encode(_ text: String) -> [Float]
}

/// Unit vectors kept as 8-bit integers with one scale per row, in memory as in the artefact: a
/// quarter of float32's bytes. The query scan reads every row once per item, so it is bound by
/// memory: over 25k rows of 384 it read 38 MB per item as float32 (3–4 ms), 9.6 MB now. Cosines
/// move by well under 0.01, and training, the artefact and run time all see the same values.
public struct EmbeddingMatrix: Sendable, Equatable {
    public private(set) var dimension: Int
    /// Row-major, `dimension` codes per row; a value is `code × scales[row]`.
    private(set) var codes: [Int8] = []
    private(set) var scales: [Float] = []
    /// Per row, the sum of its codes: the scan's byte-product kernel needs it (see `hub_dots_i8_i16_summed`).
    private(set) var rowSums: [Int32] = []

    public init(dimension: Int, values: [Float] = []) {
        precondition(dimension > 0 && values.count % dimension == 0, "embedding rows must have the matrix's dimension")
        self.dimension = dimension
        for r in 0..<(values.count / dimension) { append(Array(values[(r * dimension)..<((r + 1) * dimension)])) }
    }

    public var rows: Int { scales.count }

    /// Which kernel the scan runs on this processor ("avx512-vnni", "avx2" or "portable"), for reports.
    public static var scanKernel: String { String(cString: hub_dots_kernel()) }

    /// Every value, row by row (as stored: quantized).
    public var values: [Float] { (0..<rows).flatMap { row($0) } }

    public mutating func append(_ row: [Float]) {
        precondition(row.count == dimension, "embedding of length \(row.count), the matrix holds \(dimension)")
        let peak = row.reduce(Float(0)) { $0.isFinite && $1.isFinite ? max($0, abs($1)) : $0 }
        let scale = peak > 0 ? peak / 127 : 1
        scales.append(scale)
        for v in row { codes.append(v.isFinite ? Int8(max(-127, min(127, (v / scale).rounded()))) : 0) }
        appendRowSum()
    }

    /// The sum of the last row's codes.
    private mutating func appendRowSum() {
        rowSums.append(codes[(codes.count - dimension)...].reduce(Int32(0)) { $0 + Int32($1) })
    }

    /// Row `i` of `other` as it is stored (no second rounding).
    mutating func append(row i: Int, of other: EmbeddingMatrix) {
        precondition(other.dimension == dimension, "rows of another dimension")
        codes.append(contentsOf: other.codes[(i * dimension)..<((i + 1) * dimension)])
        scales.append(other.scales[i])
        rowSums.append(other.rowSums[i])
    }

    /// Adds row `i` to `sum` (the static encoder's per-piece sum).
    func add(row i: Int, into sum: inout [Float]) {
        let base = i * dimension, scale = scales[i], d = dimension
        precondition(sum.count == d, "a sum of the matrix's dimension")
        codes.withUnsafeBufferPointer { c in
            sum.withUnsafeMutableBufferPointer { s in
                // s[k] += Float(c[base + k]) * scale, on AVX2 when the processor has it.
                hub_add_scaled_i8(c.baseAddress! + base, scale, d, s.baseAddress!)
            }
        }
    }

    /// `dot(row:_:)` of each row in `rows`, four sums side by side (each still in k order).
    func dots(rows: [Int32], _ query: [Float]) -> [Float] {
        precondition(query.count == dimension, "query of length \(query.count), the matrix holds \(dimension)")
        var out = [Float](repeating: 0, count: rows.count)
        guard !rows.isEmpty else { return out }
        precondition(rows.allSatisfy { $0 >= 0 && Int($0) < self.rows }, "row out of the matrix")
        codes.withUnsafeBufferPointer { c in
            scales.withUnsafeBufferPointer { s in
                rows.withUnsafeBufferPointer { r in
                    query.withUnsafeBufferPointer { q in
                        out.withUnsafeMutableBufferPointer { o in
                            hub_dot_rows_i8_f32(c.baseAddress!, s.baseAddress!, dimension, r.baseAddress!, rows.count, q.baseAddress!, o.baseAddress!)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Row `i` (as `row(i)` reads it) dotted with `query` in order: the same float sum, without
    /// building the row.
    func dot(row i: Int, _ query: [Float]) -> Float {
        let base = i * dimension, scale = scales[i]
        var dot: Float = 0
        codes.withUnsafeBufferPointer { c in
            query.withUnsafeBufferPointer { q in
                for k in 0..<dimension { dot += Float(c[base + k]) * scale * q[k] }
            }
        }
        return dot
    }

    public func row(_ i: Int) -> [Float] {
        let base = i * dimension, scale = scales[i]
        return (0..<dimension).map { Float(codes[base + $0]) * scale }
    }

    /// Dot product of `query` with every row. The query is scaled to 16-bit integers (relative
    /// error under 2e-5) so that each row's sum is an exact integer one, which `hub_dots_i8_i16_summed`
    /// runs sixteen to sixty-four products at a time (AVX2, AVX-512 VNNI) whatever order it adds them in.
    public func dots(_ query: [Float]) -> [Float] {
        precondition(query.count == dimension, "query of length \(query.count), the matrix holds \(dimension)")
        let d = dimension, n = rows
        var out = [Float](repeating: 0, count: n)
        let peak = query.reduce(Float(0)) { $1.isFinite ? max($0, abs($1)) : $0 }
        guard peak > 0, n > 0 else { return out }
        let queryScale = peak / 32767
        let q16 = query.map { $0.isFinite ? Int16(max(-32767, min(32767, ($0 / queryScale).rounded()))) : 0 }
        codes.withUnsafeBufferPointer { m in
            q16.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { o in
                        let base = m.baseAddress!, qb = q.baseAddress!
                        // 127 × 32767 × d must fit an Int32 sum: up to 516 dimensions; wider ones sum in Int64.
                        if d > 516 {
                            for r in 0..<n {
                                let row = base + r * d
                                var acc: Int64 = 0
                                for k in 0..<d { acc &+= Int64(row[k]) &* Int64(qb[k]) }
                                o[r] = Float(acc) * s[r] * queryScale
                            }
                            return
                        }
                        var sums = [Int32](repeating: 0, count: n)
                        sums.withUnsafeMutableBufferPointer { sums in
                            rowSums.withUnsafeBufferPointer { rowSums in
                                hub_dots_i8_i16_summed(base, rowSums.baseAddress!, n, d, qb, sums.baseAddress!)
                            }
                            for r in 0..<n { o[r] = Float(sums[r]) * s[r] * queryScale }
                        }
                    }
                }
            }
        }
        return out
    }

    /// How many queries `dots(batch:)` scores in one pass over the rows.
    public static let batchWidth = Int(hub_dots_batch_width)

    /// `dots(_:)` of each query, every one the same floats, with the rows read from memory once for
    /// up to eight queries (`hub_dots_i8_i16_batch`): the one-query scan is bound by reading the
    /// rows, not by its products. For a batch of lines to classify.
    public func dots(batch queries: [[Float]]) -> [[Float]] {
        let d = dimension, n = rows
        // Wider rows sum in Int64 in `dots(_:)`; a query of zeros scores zero everywhere.
        var scaled: [(index: Int, scale: Float)] = []
        var q16: [Int16] = []
        for (j, query) in queries.enumerated() {
            precondition(query.count == d, "query of length \(query.count), the matrix holds \(d)")
            let peak = query.reduce(Float(0)) { $1.isFinite ? max($0, abs($1)) : $0 }
            guard peak > 0, n > 0, d <= 516 else { continue }
            let queryScale = peak / 32767
            scaled.append((j, queryScale))
            q16.append(contentsOf: query.map { $0.isFinite ? Int16(max(-32767, min(32767, ($0 / queryScale).rounded()))) : 0 })
        }
        var out = queries.map { d > 516 && n > 0 ? dots($0) : [Float](repeating: 0, count: n) }
        guard !scaled.isEmpty else { return out }
        var sums = [Int32](repeating: 0, count: scaled.count * n)
        codes.withUnsafeBufferPointer { m in
            rowSums.withUnsafeBufferPointer { rowSums in
                q16.withUnsafeBufferPointer { q in
                    sums.withUnsafeMutableBufferPointer { sums in
                        hub_dots_i8_i16_batch(m.baseAddress!, rowSums.baseAddress!, n, d, q.baseAddress!, scaled.count, sums.baseAddress!)
                    }
                }
            }
        }
        scales.withUnsafeBufferPointer { s in
            for (b, (j, queryScale)) in scaled.enumerated() {
                out[j].withUnsafeMutableBufferPointer { o in
                    for r in 0..<n { o[r] = Float(sums[b * n + r]) * s[r] * queryScale }
                }
            }
        }
        return out
    }

    /// Each row as bytes (scale as f32, then `dimension` signed bytes), for the artefact.
    func quantized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows * (dimension + 4))
        for r in 0..<rows {
            withUnsafeBytes(of: scales[r].bitPattern.littleEndian) { out.append(contentsOf: $0) }
            for k in 0..<dimension { out.append(UInt8(bitPattern: codes[r * dimension + k])) }
        }
        return out
    }

    static func dequantized(dimension: Int, rows: Int, bytes: ArraySlice<UInt8>) -> EmbeddingMatrix {
        var m = EmbeddingMatrix(dimension: dimension)
        m.codes.reserveCapacity(rows * dimension)
        var p = bytes.startIndex
        for _ in 0..<rows {
            var bits: UInt32 = 0
            for k in 0..<4 { bits |= UInt32(bytes[p + k]) << (8 * UInt32(k)) }
            p += 4
            m.scales.append(Float(bitPattern: bits))
            for k in 0..<dimension { m.codes.append(Int8(bitPattern: bytes[p + k])) }
            m.appendRowSum()
            p += dimension
        }
        return m
    }
}

/// The text an encoder is given for a description: the goods sentences of long prose when the
/// model focuses long text (as its TF-IDF features do), else the description itself.
public enum EncoderInput {
    public static func text(_ description: String, focusLongText: Bool) -> String {
        focusLongText ? GoodsText.focus(description) : description
    }
}
