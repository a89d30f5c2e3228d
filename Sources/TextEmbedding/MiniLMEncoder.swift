import Classification
import Foundation

/// A BERT sentence encoder with mean pooling, as sentence-transformers runs all-MiniLM-L6-v2
/// (6 layers, 384 wide, 12 heads, GELU, layer norm): the WordPiece ids of at most `maxLength`
/// tokens, the forward pass, the mean of the last layer over every token, L2-normalised.
/// Pure: built from the bytes of `tokenizer.json` and `model.safetensors` (the caller reads them).
public struct MiniLMEncoder: SentenceEncoder {
    struct Layer: Sendable {
        /// Query, key and value projections stacked (3·hidden × hidden), and their biases.
        var qkv: [Float], qkvBias: [Float]
        var output: [Float], outputBias: [Float], attentionNormScale: [Float], attentionNormBias: [Float]
        var up: [Float], upBias: [Float], down: [Float], downBias: [Float], outputNormScale: [Float], outputNormBias: [Float]
    }

    public let tokenizer: WordPieceTokenizer
    public let dimension: Int
    let heads: Int
    let intermediate: Int
    let maxLength: Int
    let wordEmbeddings: [Float], positionEmbeddings: [Float], typeEmbedding: [Float]
    let embeddingNormScale: [Float], embeddingNormBias: [Float]
    let layers: [Layer]
    /// Use the Swift kernel even where OpenBLAS is present (tests compare the two).
    var forceSwiftKernel = false

    /// `heads`: the attention heads (not in the weights file; 12 for all-MiniLM-L6-v2).
    /// `maxLength`: tokens kept, `[CLS]` and `[SEP]` included (the model was trained on 128).
    public init(tokenizerJSON: [UInt8], safetensors: [UInt8], heads: Int = 12, maxLength: Int = 128) throws(EmbeddingError) {
        tokenizer = try WordPieceTokenizer(json: tokenizerJSON)
        let weights = try SafeTensors(bytes: safetensors)
        let root = weights.tensors["embeddings.word_embeddings.weight"] != nil ? "" : "bert."
        guard let word = weights.tensors[root + "embeddings.word_embeddings.weight"], word.shape.count == 2 else {
            throw .invalidWeights("safetensors: no embeddings.word_embeddings.weight (not a BERT checkpoint)")
        }
        let hidden = word.shape[1]
        guard heads > 0, hidden % heads == 0 else { throw .invalidWeights("hidden size \(hidden) does not split into \(heads) heads") }
        dimension = hidden
        self.heads = heads
        wordEmbeddings = word.values
        let positions = weights.tensors[root + "embeddings.position_embeddings.weight"]?.shape.first ?? 0
        guard positions >= 2 else { throw .invalidWeights("safetensors: no embeddings.position_embeddings.weight") }
        self.maxLength = min(maxLength, positions)
        positionEmbeddings = try weights.tensor(root + "embeddings.position_embeddings.weight", shape: [positions, hidden])
        typeEmbedding = Array(try weights.tensor(root + "embeddings.token_type_embeddings.weight", shape: [2, hidden]).prefix(hidden))
        embeddingNormScale = try weights.tensor(root + "embeddings.LayerNorm.weight", shape: [hidden])
        embeddingNormBias = try weights.tensor(root + "embeddings.LayerNorm.bias", shape: [hidden])
        guard let up = weights.tensors[root + "encoder.layer.0.intermediate.dense.weight"], up.shape.count == 2 else {
            throw .invalidWeights("safetensors: no encoder.layer.0.intermediate.dense.weight")
        }
        intermediate = up.shape[0]
        var layers: [Layer] = []
        while weights.tensors[root + "encoder.layer.\(layers.count).attention.self.query.weight"] != nil {
            let p = root + "encoder.layer.\(layers.count)."
            func t(_ name: String, _ shape: [Int]) throws(EmbeddingError) -> [Float] { try weights.tensor(p + name, shape: shape) }
            layers.append(Layer(
                qkv: try t("attention.self.query.weight", [hidden, hidden]) + t("attention.self.key.weight", [hidden, hidden]) + t("attention.self.value.weight", [hidden, hidden]),
                qkvBias: try t("attention.self.query.bias", [hidden]) + t("attention.self.key.bias", [hidden]) + t("attention.self.value.bias", [hidden]),
                output: try t("attention.output.dense.weight", [hidden, hidden]), outputBias: try t("attention.output.dense.bias", [hidden]),
                attentionNormScale: try t("attention.output.LayerNorm.weight", [hidden]), attentionNormBias: try t("attention.output.LayerNorm.bias", [hidden]),
                up: try t("intermediate.dense.weight", [intermediate, hidden]), upBias: try t("intermediate.dense.bias", [intermediate]),
                down: try t("output.dense.weight", [hidden, intermediate]), downBias: try t("output.dense.bias", [hidden]),
                outputNormScale: try t("output.LayerNorm.weight", [hidden]), outputNormBias: try t("output.LayerNorm.bias", [hidden])))
        }
        guard !layers.isEmpty else { throw .invalidWeights("safetensors: no encoder layers") }
        self.layers = layers
    }

    public func encode(_ text: String) -> [Float] { embed(ids: tokenizer.ids(text, maxLength: maxLength)) }

    /// The pooled, normalised embedding of a token sequence (`[CLS]` … `[SEP]`).
    public func embed(ids: [Int32]) -> [Float] { embed(batch: [ids])[0] }

    /// The embeddings of several sequences in one pass: their rows stacked, so every matrix
    /// product reads the weights once for all of them; attention stays within each sequence.
    public func embed(batch: [[Int32]]) -> [[Float]] {
        let h = dimension, width = h / heads
        var starts: [Int] = []
        var t = 0
        for ids in batch { starts.append(t); t += ids.count }
        guard t > 0 else { return batch.map { _ in [Float](repeating: 0, count: h) } }
        var x = [Float](repeating: 0, count: t * h)
        let vocabulary = wordEmbeddings.count / h
        for (s, ids) in batch.enumerated() {
            for (p, id) in ids.enumerated() {
                let w = Int(id) < vocabulary && id >= 0 ? Int(id) : 0, row = starts[s] + p
                for k in 0..<h { x[row * h + k] = wordEmbeddings[w * h + k] + positionEmbeddings[p * h + k] + typeEmbedding[k] }
            }
        }
        Self.layerNorm(&x, rows: t, scale: embeddingNormScale, bias: embeddingNormBias)
        var qkv = [Float](repeating: 0, count: t * 3 * h)
        var context = [Float](repeating: 0, count: t * h)
        var projected = [Float](repeating: 0, count: t * h)
        var inner = [Float](repeating: 0, count: t * intermediate)
        var scores = [Float](repeating: 0, count: batch.map(\.count).max() ?? 0)
        let scale = 1 / Float(width).squareRoot()
        for layer in layers {
            linear(x, rows: t, layer.qkv, layer.qkvBias, outputs: 3 * h, into: &qkv)
            // Self-attention per sequence and head; each sequence unpadded, so no mask.
            qkv.withUnsafeBufferPointer { q in
                context.withUnsafeMutableBufferPointer { c in
                    scores.withUnsafeMutableBufferPointer { sc in
                        for (s, ids) in batch.enumerated() {
                            Self.attend(q.baseAddress!, context: c.baseAddress!, scores: sc.baseAddress!, first: starts[s], count: ids.count,
                                        hidden: h, heads: heads, scale: scale)
                        }
                    }
                }
            }
            linear(context, rows: t, layer.output, layer.outputBias, outputs: h, into: &projected)
            Self.add(projected, into: &x)
            Self.layerNorm(&x, rows: t, scale: layer.attentionNormScale, bias: layer.attentionNormBias)
            linear(x, rows: t, layer.up, layer.upBias, outputs: intermediate, into: &inner)
            inner.withUnsafeMutableBufferPointer { u in
                for k in u.indices { let v = u[k]; u[k] = 0.5 * v * (1 + erff(v * 0.70710678118654752)) }
            }
            linear(inner, rows: t, layer.down, layer.downBias, outputs: h, into: &projected)
            Self.add(projected, into: &x)
            Self.layerNorm(&x, rows: t, scale: layer.outputNormScale, bias: layer.outputNormBias)
        }
        return batch.indices.map { s in
            var pooled = [Float](repeating: 0, count: h)
            for p in starts[s]..<(starts[s] + batch[s].count) { for k in 0..<h { pooled[k] += x[p * h + k] } }
            let norm = pooled.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? pooled.map { $0 / norm } : pooled
        }
    }

    /// The static encoder distilled from this one: each word piece's embedding as the model gives
    /// it alone (`[CLS] piece [SEP]`, pooled), weighed by `StaticSentenceEncoder.frequencyWeight`.
    /// 30k short passes in batches of 256 pieces: about a minute of CPU, run once at training time.
    /// `threads` splits the vocabulary between that many threads.
    /// `centred`: subtracts from every piece's vector the mean of all of them, each counted by
    /// its Zipf frequency, so the direction every text shares does not dominate the cosines.
    public func distilled(threads: Int = 1, maxPieces: Int = 256, centred: Bool = true) -> StaticSentenceEncoder {
        let h = dimension, count = wordEmbeddings.count / h
        let pieces = tokenizer.piecesById
        let total = min(count, pieces.count)
        var table = [Float](repeating: 0, count: total * h)
        let batchSize = 256
        let batches = (total + batchSize - 1) / batchSize
        table.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: max(1, threads)) { part in
                for b in stride(from: part, to: batches, by: max(1, threads)) {
                    let ids = (b * batchSize)..<min(total, (b + 1) * batchSize)
                    let vectors = embed(batch: ids.map { [tokenizer.classifyToken, Int32($0), tokenizer.separatorToken] })
                    for (offset, id) in ids.enumerated() where !pieces[id].isEmpty {
                        for k in 0..<h { out[id * h + k] = vectors[offset][k] }
                    }
                }
            }
        }
        var mean = [Float](repeating: 0, count: h)
        if centred {
            var mass = 0.0
            for id in 0..<total where !pieces[id].isEmpty {
                let p = 1 / Double(id + 1)
                mass += p
                for k in 0..<h { mean[k] += Float(p) * table[id * h + k] }
            }
            if mass > 0 { for k in 0..<h { mean[k] /= Float(mass) } }
        }
        for id in 0..<total where !pieces[id].isEmpty {
            let weight = StaticSentenceEncoder.frequencyWeight(id: id, vocabularySize: total)
            for k in 0..<h { table[id * h + k] = (table[id * h + k] - mean[k]) * weight }
        }
        return StaticSentenceEncoder(tokenizer: tokenizer, vectors: EmbeddingMatrix(dimension: h, values: table), maxPieces: maxPieces)
    }

    /// One sequence's self-attention, every head: softmax(q·kᵀ·scale)·v into `context`. The dot
    /// products and the weighted sums run eight lanes at a time: written as plain loops, a float
    /// sum in order stayed scalar and latency-bound, and it cost as much as every matrix product
    /// of the layer together on a 128-token ruling.
    static func attend(_ q: UnsafePointer<Float>, context c: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>,
                       first: Int, count: Int, hidden h: Int, heads: Int, scale: Float) {
        let width = h / heads, stride = 3 * h
        let wide = width & ~7
        func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        for head in 0..<heads {
            let offset = head * width
            for i in first..<(first + count) {
                let query = q + i * stride + offset
                var top = -Float.infinity
                for j in 0..<count {
                    let key = q + (first + j) * stride + h + offset
                    var acc = SIMD8<Float>()
                    var e = 0
                    while e < wide { acc += load(query + e) * load(key + e); e += 8 }
                    var dot = acc.sum()
                    while e < width { dot += query[e] * key[e]; e += 1 }
                    scores[j] = dot * scale
                    top = max(top, scores[j])
                }
                var total: Float = 0
                for j in 0..<count { scores[j] = exp(scores[j] - top); total += scores[j] }
                let out = c + i * h + offset
                for e in 0..<width { out[e] = 0 }
                let inverse = 1 / total
                for j in 0..<count {
                    let weight = scores[j] * inverse, value = q + (first + j) * stride + 2 * h + offset
                    var e = 0
                    while e < wide {
                        let sum = load(UnsafePointer(out + e)) + SIMD8<Float>(repeating: weight) * load(value + e)
                        UnsafeMutableRawPointer(out + e).storeBytes(of: sum, as: SIMD8<Float>.self)
                        e += 8
                    }
                    while e < width { out[e] += weight * value[e]; e += 1 }
                }
            }
        }
    }

    /// out = input · weightᵀ + bias, weight in (outputs × inputs) layout.
    func linear(_ input: [Float], rows: Int, _ weight: [Float], _ bias: [Float], outputs: Int, into out: inout [Float]) {
        let inputs = weight.count / outputs
        input.withUnsafeBufferPointer { a in
            weight.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    MatrixProduct.multiply(a.baseAddress!, rows: rows, b.baseAddress!, rows: outputs, inner: inputs, into: c.baseAddress!, forceSwift: forceSwiftKernel)
                    bias.withUnsafeBufferPointer { b in
                        for r in 0..<rows { for k in 0..<outputs { c[r * outputs + k] += b[k] } }
                    }
                }
            }
        }
    }

    static func add(_ y: [Float], into x: inout [Float]) {
        y.withUnsafeBufferPointer { b in x.withUnsafeMutableBufferPointer { a in for k in a.indices { a[k] += b[k] } } }
    }

    static func layerNorm(_ x: inout [Float], rows: Int, scale: [Float], bias: [Float], epsilon: Float = 1e-12) {
        let h = scale.count
        x.withUnsafeMutableBufferPointer { xs in
            scale.withUnsafeBufferPointer { g in
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<rows {
                        let row = xs.baseAddress! + r * h
                        var mean: Float = 0
                        for k in 0..<h { mean += row[k] }
                        mean /= Float(h)
                        var variance: Float = 0
                        for k in 0..<h { let d = row[k] - mean; variance += d * d }
                        variance /= Float(h)
                        let inverse = 1 / (variance + epsilon).squareRoot()
                        for k in 0..<h { row[k] = (row[k] - mean) * inverse * g[k] + b[k] }
                    }
                }
            }
        }
    }
}

extension MiniLMEncoder {
    /// "OpenBLAS" or "Swift SIMD": which kernel the matrix products run on this machine.
    public static var kernel: String { MatrixProduct.kernel }
}
