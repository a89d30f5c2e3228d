import Classification
import Foundation

extension MiniLMEncoder {
    /// Every text's embedding, sixteen texts per pass (the weights read once for all of them),
    /// split between `threads` threads: what training pays once for its examples.
    public func encodeAll(_ texts: [String], threads: Int = 1) -> [[Float]] {
        let batches = (texts.count + 15) / 16, step = max(1, threads)
        var out = [[Float]](repeating: [], count: texts.count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: step) { part in
                for b in stride(from: part, to: batches, by: step) {
                    let rows = (b * 16)..<min(texts.count, (b + 1) * 16)
                    for (i, v) in zip(rows, embed(batch: rows.map { tokenizer.ids(texts[$0], maxLength: maxLength) })) { results[i] = v }
                }
            }
        }
        return out
    }
}

/// Vectors computed ahead for known texts (a batched pass over the training texts), and the
/// encoder itself for any other text.
public struct PrecomputedEncoder: SentenceEncoder {
    let vectors: [String: [Float]]
    let fallback: any SentenceEncoder

    public init(texts: [String], vectors: [[Float]], fallback: any SentenceEncoder) {
        precondition(texts.count == vectors.count, "one vector per text")
        self.vectors = Dictionary(zip(texts, vectors), uniquingKeysWith: { first, _ in first })
        self.fallback = fallback
    }

    public var dimension: Int { fallback.dimension }

    public func encode(_ text: String) -> [Float] { vectors[text] ?? fallback.encode(text) }
}
