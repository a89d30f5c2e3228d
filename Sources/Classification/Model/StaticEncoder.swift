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

    public init(tokenizer: WordPieceTokenizer, vectors: EmbeddingMatrix, maxPieces: Int = 256) {
        self.tokenizer = tokenizer
        self.vectors = vectors
        self.maxPieces = maxPieces
    }

    public var dimension: Int { vectors.dimension }

    public func encode(_ text: String) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        for id in tokenizer.pieceIds(text, limit: maxPieces) where Int(id) < vectors.rows {
            vectors.add(row: Int(id), into: &sum)
        }
        let norm = sum.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? sum.map { $0 / norm } : sum
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
