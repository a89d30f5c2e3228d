import CEmbeddingKernels
import Foundation

/// A sentence encoder without a forward pass: one vector per word piece, distilled once from a
/// transformer (`MiniLMEncoder.distilled()` runs each vocabulary token through it), and a text's
/// embedding is the normalised sum of its pieces' vectors. Microseconds per item where the full
/// encoder costs tens of milliseconds for a long ruling, and small enough (8-bit rows) to travel
/// in the classifier's artefact, so a model trained with it needs no weights at run time.
/// The rows carry their weight already (frequent pieces count less), so encoding is a plain sum.
public struct StaticSentenceEncoder: SentenceEncoder, Equatable {
    public let tokenizer: WordPieceTokenizer
    /// One row per word-piece id.
    public let vectors: EmbeddingMatrix
    /// Pieces read from a text at most (long rulings are cut, as the full encoder cuts them).
    public let maxPieces: Int

    /// A linear map (dimension × dimension, row-major: out[j] = Σₖ x[k]·m[k·d + j]) fitted so that
    /// the static embedding of a training text lands near the full encoder's embedding of it;
    /// empty: none. With it, queries encoded statically are searched among the full encoder's
    /// vectors of the examples.
    public let projection: [Float]

    public init(tokenizer: WordPieceTokenizer, vectors: EmbeddingMatrix, maxPieces: Int = 256, projection: [Float] = []) {
        precondition(projection.isEmpty || projection.count == vectors.dimension * vectors.dimension, "projection must be dimension × dimension")
        self.tokenizer = tokenizer
        self.vectors = vectors
        self.maxPieces = maxPieces
        self.projection = projection
    }

    public var dimension: Int { vectors.dimension }

    public func encode(_ text: String) -> [Float] {
        let plain = unprojected(text)
        guard !projection.isEmpty else { return plain }
        let d = dimension
        var out = [Float](repeating: 0, count: d)
        // out[j] += plain[k] * m[k * d + j] for each k with plain[k] != 0, in vector lanes (on AVX2
        // when the processor has it); each out[j] still sums in k order.
        projection.withUnsafeBufferPointer { m in
            plain.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in hub_project_f32(x.baseAddress!, m.baseAddress!, d, o.baseAddress!) }
            }
        }
        return Self.normalized(out)
    }

    /// The normalised sum of the text's pieces' rows.
    func unprojected(_ text: String) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        for id in tokenizer.pieceIds(text, limit: maxPieces) where Int(id) < vectors.rows {
            vectors.add(row: Int(id), into: &sum)
        }
        return Self.normalized(sum)
    }

    static func normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    /// This encoder with the projection that maps its vectors of `texts` onto `targets` (the full
    /// encoder's, row for row) by ridge regression: (SᵀS + λI)⁻¹ SᵀT, solved by Cholesky.
    public func projected(texts: [String], targets: [[Float]], ridge: Double = 1) -> StaticSentenceEncoder {
        precondition(texts.count == targets.count, "one target per text")
        let d = dimension
        var gram = [Double](repeating: 0, count: d * d), cross = [Double](repeating: 0, count: d * d)
        for (text, target) in zip(texts, targets) {
            let x = unprojected(text).map(Double.init)
            for i in 0..<d where x[i] != 0 {
                let xi = x[i], row = i * d
                for j in i..<d { gram[row + j] += xi * x[j] }
                for j in 0..<d { cross[row + j] += xi * Double(target[j]) }
            }
        }
        for i in 0..<d {
            gram[i * d + i] += ridge
            for j in 0..<i { gram[i * d + j] = gram[j * d + i] }
        }
        let solution = Self.choleskySolve(gram, cross, dimension: d)
        return StaticSentenceEncoder(tokenizer: tokenizer, vectors: vectors, maxPieces: maxPieces, projection: solution.map { Float($0) })
    }

    /// Solves A·X = B for symmetric positive definite A (n × n) and B (n × n), row-major.
    static func choleskySolve(_ a: [Double], _ b: [Double], dimension n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? (max(s, 1e-12)).squareRoot() : s / l[j * n + j]
            }
        }
        var x = b
        for c in 0..<n {
            // Forward: L·y = b, then back: Lᵀ·x = y, column by column.
            for i in 0..<n {
                var s = x[i * n + c]
                for k in 0..<i { s -= l[i * n + k] * x[k * n + c] }
                x[i * n + c] = s / l[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = x[i * n + c]
                for k in (i + 1)..<n { s -= l[k * n + i] * x[k * n + c] }
                x[i * n + c] = s / l[i * n + i]
            }
        }
        return x
    }

    /// Smooth inverse frequency by Zipf's law on the vocabulary's order (BERT's pieces are listed
    /// roughly from the most common): weight a / (a + p), p ∝ 1 / rank. Common pieces ("the",
    /// "of", "##s") count little, rare ones fully.
    public static func frequencyWeight(id: Int, vocabularySize: Int, a: Double = 1e-3) -> Float {
        let harmonic = log(Double(vocabularySize)) + 0.5772
        let p = 1 / (Double(id + 1) * harmonic)
        return Float(a / (a + p))
    }
}
