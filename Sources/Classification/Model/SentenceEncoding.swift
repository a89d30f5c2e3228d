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

/// Unit vectors in one flat row-major array; stored in the artefact as 8-bit integers with one
/// scale per row (a quarter of the size; cosines move by well under 0.01).
public struct EmbeddingMatrix: Sendable, Equatable {
    public private(set) var dimension: Int
    public private(set) var values: [Float]

    public init(dimension: Int, values: [Float] = []) {
        precondition(dimension > 0 && values.count % dimension == 0, "embedding rows must have the matrix's dimension")
        self.dimension = dimension
        self.values = values
    }

    public var rows: Int { values.count / dimension }

    public mutating func append(_ row: [Float]) {
        precondition(row.count == dimension, "embedding of length \(row.count), the matrix holds \(dimension)")
        values.append(contentsOf: row)
    }

    public func row(_ i: Int) -> ArraySlice<Float> { values[(i * dimension)..<((i + 1) * dimension)] }

    /// Dot product of `query` with every row.
    public func dots(_ query: [Float]) -> [Float] {
        let d = dimension, n = rows
        var out = [Float](repeating: 0, count: n)
        values.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                for r in 0..<n {
                    var s: Float = 0
                    let base = r * d
                    for k in 0..<d { s += m[base + k] * q[k] }
                    out[r] = s
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
            let slice = row(r)
            let peak = slice.reduce(Float(0)) { max($0, abs($1)) }
            let scale = peak > 0 ? peak / 127 : 1
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            for v in slice { out.append(UInt8(bitPattern: v.isFinite ? Int8((v / scale).rounded()) : 0)) }
        }
        return out
    }

    static func dequantized(dimension: Int, rows: Int, bytes: ArraySlice<UInt8>) -> EmbeddingMatrix {
        var values = [Float](repeating: 0, count: rows * dimension)
        var p = bytes.startIndex
        for r in 0..<rows {
            var bits: UInt32 = 0
            for k in 0..<4 { bits |= UInt32(bytes[p + k]) << (8 * UInt32(k)) }
            p += 4
            let scale = Float(bitPattern: bits)
            for k in 0..<dimension { values[r * dimension + k] = Float(Int8(bitPattern: bytes[p + k])) * scale }
            p += dimension
        }
        return EmbeddingMatrix(dimension: dimension, values: values)
    }
}

/// The text an encoder is given for a description: the goods sentences of long prose when the
/// model focuses long text (as its TF-IDF features do), else the description itself.
public enum EncoderInput {
    public static func text(_ description: String, focusLongText: Bool) -> String {
        focusLongText ? GoodsText.focus(description) : description
    }
}
