@testable import Classification
import CEmbeddingKernels
import Foundation
import JSONCore
import Testing
@testable import TextEmbedding

/// The sentence encoder against references computed by `Scripts/encoder_reference.py` (numpy
/// forward pass on the `tokenizers` library's ids), and the classifier's use of it.
@Suite struct EncoderTests {
    struct Expected { var text: String; var ids: [Int32]; var embedding: [Float] }

    static func expected(_ path: String) throws -> [Expected] {
        let json = try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent(path))))
        let rows = try #require(json.arrayValue)
        func numbers(_ v: JSONValue?) -> [String] { (v?.arrayValue ?? []).compactMap { if case .number(let t) = $0 { t } else { nil } } }
        return try rows.map { row in
            Expected(text: try #require(row["text"]?.stringValue), ids: numbers(row["ids"]).compactMap { Int32($0) },
                     embedding: numbers(row["embedding"]).compactMap { Float($0) })
        }
    }

    static func encoder(_ folder: URL, heads: Int) throws -> MiniLMEncoder {
        try MiniLMEncoder(tokenizerJSON: Array(try Data(contentsOf: folder.appendingPathComponent("tokenizer.json"))),
                          safetensors: Array(try Data(contentsOf: folder.appendingPathComponent("model.safetensors"))), heads: heads)
    }

    static let tinyFolder = repoRoot.appendingPathComponent("Fixtures/encoder/tiny-bert")

    static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        a.count == b.count ? zip(a, b).map { abs($0 - $1) }.max() ?? 0 : .infinity
    }

    @Test func tinyBertMatchesTheNumpyReferenceWithEitherKernel() throws {
        let cases = try Self.expected("Fixtures/encoder/tiny-bert/expected.json")
        try #require(cases.count >= 5)
        var encoder = try Self.encoder(Self.tinyFolder, heads: 2)
        #expect(encoder.dimension == 16)
        for kernel in [false, true] {
            encoder.forceSwiftKernel = kernel
            for c in cases {
                // Accents stripped, punctuation split, unknown words as [UNK], cut at the 24 positions.
                #expect(encoder.tokenizer.ids(c.text, maxLength: 24) == c.ids, "ids of \(c.text.prefix(40))")
                let v = encoder.encode(c.text)
                #expect(Self.largestDifference(v, c.embedding) < 1e-5, "embedding of \(c.text.prefix(40)), Swift kernel \(kernel)")
            }
        }
    }

    @Test func theSwiftKernelMultipliesLikeTheDefinition() {
        // Odd sizes: the 2 × 4 blocks, the leftover row and columns and the inner tail all run.
        let m = 5, n = 7, k = 13
        let a = (0..<(m * k)).map { Float(($0 * 7) % 11) - 5 }, b = (0..<(n * k)).map { Float(($0 * 5) % 9) - 4 }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            MatrixProduct.swiftKernel(a.baseAddress!, rows: m, b.baseAddress!, rows: n, inner: k, into: c.baseAddress!)
        } } }
        for i in 0..<m { for j in 0..<n {
            let expected = (0..<k).reduce(Float(0)) { $0 + a[i * k + $1] * b[j * k + $1] }
            #expect(c[i * n + j] == expected)
        } }
    }

    @Test func brokenFilesAreErrorsThatNameThePart() throws {
        let tokenizer = Array(try Data(contentsOf: Self.tinyFolder.appendingPathComponent("tokenizer.json")))
        let weights = Array(try Data(contentsOf: Self.tinyFolder.appendingPathComponent("model.safetensors")))
        #expect(throws: EmbeddingError.self) { try MiniLMEncoder(tokenizerJSON: Array("{}".utf8), safetensors: weights) }
        #expect(throws: EmbeddingError.self) { try MiniLMEncoder(tokenizerJSON: tokenizer, safetensors: Array(weights.prefix(100))) }
        #expect(throws: EmbeddingError.self) { try MiniLMEncoder(tokenizerJSON: tokenizer, safetensors: weights, heads: 3) }
        do {
            _ = try MiniLMEncoder(tokenizerJSON: tokenizer, safetensors: [8, 0, 0, 0, 0, 0, 0, 0] + Array("{\"a\": 1}".utf8))
            Issue.record("weights without tensors loaded")
        } catch {
            #expect(error.description.contains("word_embeddings"))
        }
    }

    /// The real all-MiniLM-L6-v2 (`Scripts/setup.sh` fetches it into `Models/`): the same ids as
    /// the `tokenizers` library and embeddings within 1e-4 of the reference.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: EncoderTests.realFolder.appendingPathComponent("model.safetensors").path)
                   || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_ENCODER"] == "1"))
    func allMiniLMMatchesTheReference() throws {
        let cases = try Self.expected("Fixtures/encoder/all-MiniLM-L6-v2-expected.json")
        try #require(cases.count >= 5)
        let encoder = try Self.encoder(Self.realFolder, heads: 12)
        #expect(encoder.dimension == 384)
        for c in cases {
            #expect(encoder.tokenizer.ids(c.text) == c.ids, "ids of \(c.text.prefix(40))")
            #expect(Self.largestDifference(encoder.encode(c.text), c.embedding) < 1e-4, "embedding of \(c.text.prefix(40))")
        }
    }
    static let realFolder = repoRoot.appendingPathComponent("Models/all-MiniLM-L6-v2")

    /// A model trained on the fixture examples with the tiny encoder's embeddings, the encoder, and the examples.
    static func tinyEncoderModel() throws -> (ClassifierModel, MiniLMEncoder, [LabelledExample]) {
        let (kb, examples) = try Fixture.loaded.get()
        let encoder = try Self.encoder(Self.tinyFolder, heads: 2)
        var options = TrainingOptions()
        options.fusionIterations = 20
        return (ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options, encoder: encoder),
                encoder, examples)
    }

    @Test func theEncoderFeedsTheRankerAndTravelsInTheArtefact() throws {
        let (model, encoder, _) = try Self.tinyEncoderModel()
        let embeddings = try #require(model.exampleEmbeddings)
        #expect(embeddings.dimension == 16 && embeddings.rows == model.examples.count)
        // The artefact keeps the embeddings (8-bit, one scale per row): cosines move by < 0.01.
        let back = try ModelCodec.decode(ModelCodec.encode(model))
        let decoded = try #require(back.exampleEmbeddings)
        #expect(decoded.rows == embeddings.rows && Self.largestDifference(decoded.values, embeddings.values) < 0.01)
        let c = Classifier(model: back, encoder: encoder)
        #expect(c.encoder != nil)
        let text = "Men's short sleeve t-shirt, 100% cotton, knitted"
        let s = c.score(text, weights: back.weights)
        #expect(s.candidates.contains { $0.encoderVote > 0 } && s.candidates.contains { $0.encoderCentroid != 0 })
        #expect(s.candidates.reduce(0) { $0 + $1.encoderVote } <= 1 + 1e-6)   // shares of float cosines
        // Without its encoder the same model still answers; the encoder features are then zero.
        let plain = Classifier(model: back)
        #expect(plain.encoder == nil)
        #expect(plain.score(text, weights: back.weights).candidates.allSatisfy { $0.encoderVote == 0 && $0.encoderMax == 0 && $0.encoderCentroid == 0 })
        #expect(plain.classify(ClassificationRequest(description: text)).hs6 != nil)
        // A correction learned later is encoded too, and is its own nearest example.
        var learning = c
        try learning.learn(Correction(description: "zzqx widget gadget", hs6: "330499", confirmedBy: "t", confirmedAt: "2026-11-25T00:00:00Z"))
        #expect(learning.memoryEmbeddings?.rows == learning.memory.count)
        let again = learning.score("zzqx widget gadget", weights: back.weights)
        #expect(again.candidates.first { $0.hs6 == learning.subheadingPosition["330499"] }?.encoderMax ?? 0 > 0.99)
    }

    @Test func aBatchEmbedsEachSequenceAsAlone() throws {
        let encoder = try Self.encoder(Self.tinyFolder, heads: 2)
        let texts = ["cotton shirt", "a knitted woollen jumper for men, with long sleeves", "x"]
        let batch = encoder.embed(batch: texts.map { encoder.tokenizer.ids($0, maxLength: 24) })
        for (text, v) in zip(texts, batch) { #expect(Self.largestDifference(v, encoder.encode(text)) < 1e-5, "\(text)") }
    }

    @Test func theEightBitScanMatchesTheDefinitionOnItsStoredValues() {
        let d = 37, rows = 9
        let values = (0..<(d * rows)).map { Float(sin(Double($0) * 0.37)) }
        let m = EmbeddingMatrix(dimension: d, values: values)
        let query = (0..<d).map { Float(cos(Double($0) * 0.11)) }
        let dots = m.dots(query)
        for r in 0..<rows {
            let stored = m.row(r)
            #expect(Self.largestDifference(stored, Array(values[(r * d)..<((r + 1) * d)])) < 0.005, "row \(r) quantized too far")
            let expected = zip(stored, query).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(dots[r] - expected) < 1e-3, "row \(r): \(dots[r]) against \(expected)")
        }
    }

    /// The scan's kernel (AVX2 where the processor has it) gives the exact integer sums on every
    /// path: two rows at a time and an odd last row, whole blocks of sixteen and a tail, and the
    /// largest sums a 384-wide row can reach.
    @Test func theScanKernelSumsExactlyOnEveryPath() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for d in [1, 15, 16, 17, 33, 384, 390] {
            let rows = 7
            var codes = (0..<(rows * d)).map { _ in Int8(next() % 255 - 127) }
            var query = (0..<d).map { _ in Int16(next() % 65535 - 32767) }
            if d == 384 {
                // Row 0 at the largest sum, row 1 at the most negative.
                for k in 0..<d { codes[k] = 127; codes[d + k] = -127 }
                query = [Int16](repeating: 32767, count: d)
            }
            // The chosen kernel (-1), then each kernel this processor has.
            for kernel in Int32(-1)...2 {
                var sums = [Int32](repeating: 0, count: rows)
                let ran = codes.withUnsafeBufferPointer { c in
                    query.withUnsafeBufferPointer { q in
                        sums.withUnsafeMutableBufferPointer { o in
                            guard kernel >= 0 else { hub_dots_i8_i16(c.baseAddress!, rows, d, q.baseAddress!, o.baseAddress!); return Int32(1) }
                            return hub_dots_i8_i16_on(kernel, c.baseAddress!, rows, d, q.baseAddress!, o.baseAddress!)
                        }
                    }
                }
                guard ran == 1 else { continue }
                for r in 0..<rows {
                    let expected = (0..<d).reduce(Int64(0)) { $0 + Int64(codes[r * d + $1]) * Int64(query[$1]) }
                    #expect(Int64(sums[r]) == expected, "dimension \(d), row \(r), kernel \(kernel) (chosen: \(String(cString: hub_dots_kernel())))")
                }
            }
        }
    }

    /// The scan's byte-product kernel (AVX-512 VNNI, given each row's sum of codes) gives the exact
    /// integer sums: whole 64-byte blocks, two rows at a time and an odd last row, the largest sums a
    /// 384-wide row reaches (their partial terms wrap past an int32), and the matrix's own row sums.
    @Test func theByteProductScanSumsExactly() {
        var seed: UInt64 = 0x1405_7B7E_F767_814F
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for d in [64, 128, 384, 390, 1024] {
            let rows = 7
            var codes = (0..<(rows * d)).map { _ in Int8(next() % 255 - 127) }
            var query = (0..<d).map { _ in Int16(next() % 65535 - 32767) }
            if d == 384 {
                for k in 0..<d { codes[k] = 127; codes[d + k] = -127; codes[2 * d + k] = k % 2 == 0 ? 127 : -127 }
                query = [Int16](repeating: 32767, count: d)
            }
            var rowSums = [Int32](repeating: 0, count: rows), expected = [Int64](repeating: 0, count: rows)
            for r in 0..<rows {
                for k in 0..<d {
                    let code = codes[r * d + k]
                    rowSums[r] += Int32(code)
                    expected[r] += Int64(code) * Int64(query[k])
                }
            }
            var bytes = [Int32](repeating: 0, count: rows), summed = [Int32](repeating: 0, count: rows)
            let ran = hub_dots_i8_i16_bytes(codes, rowSums, rows, d, query, &bytes)
            hub_dots_i8_i16_summed(codes, rowSums, rows, d, query, &summed)
            #expect(summed.map(Int64.init) == expected, "dimension \(d), the chosen kernel")
            if ran == 1 { #expect(bytes.map(Int64.init) == expected, "dimension \(d), byte products") }
            // The matrix keeps the same sums for rows it quantizes, copies and reads back.
            let matrix = EmbeddingMatrix(dimension: d, values: (0..<(rows * d)).map { _ in Float(next() % 2001 - 1000) / 1000 })
            var copy = EmbeddingMatrix(dimension: d)
            for r in 0..<rows { copy.append(row: r, of: matrix) }
            let read = EmbeddingMatrix.dequantized(dimension: d, rows: rows, bytes: matrix.quantized()[...])
            for m in [matrix, copy, read] {
                var sums = [Int32](repeating: 0, count: rows)
                for r in 0..<rows { for k in 0..<d { sums[r] += Int32(m.codes[r * d + k]) } }
                #expect(m.rowSums == sums, "dimension \(d)")
            }
        }
    }

    /// The top-k scans' skip over values under the floor finds, on every kernel, the first index
    /// a plain loop finds: products rounded as floats, NaN never above, blocks of eight and a tail.
    @Test func theSkipUnderTheFloorFindsThePlainLoopsIndex() {
        var seed: UInt64 = 0x94D0_49BB_1331_11EB
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for count in [0, 1, 7, 8, 9, 23, 100] {
            var values = (0..<count).map { _ in Float(next() % 2001 - 1000) / 999 }
            if count > 5 { values[3] = .nan; values[5] = .infinity }
            let scales = (0..<count).map { _ in [Float(1), 0.7, 0.5, 1e-3][next() % 4] }
            for floor: Float in [-2, 0, 0.3, 0.9, 2] {
                for from in [0, 1, 8, max(0, count - 1), count] where from <= count {
                    for scaled in [false, true] {
                        let expected = (from..<count).first { (scaled ? values[$0] * scales[$0] : values[$0]) > floor } ?? count
                        for kernel in Int32(0)...1 {
                            let padded = values + [0], paddedScales = scales + [0]
                            let found = padded.withUnsafeBufferPointer { v in
                                paddedScales.withUnsafeBufferPointer { w in
                                    hub_next_above_on(kernel, v.baseAddress!, scaled ? w.baseAddress : nil, from, count, floor)
                                }
                            }
                            guard found != -1 else { continue }
                            #expect(found == expected, "count \(count), floor \(floor), from \(from), scaled \(scaled), kernel \(kernel)")
                        }
                    }
                }
            }
        }
    }

    /// The static encoder's float loops in C (AVX2 where the processor has it) give, bit for bit,
    /// the floats of the Swift loops they replace: each element a rounded product then a rounded
    /// sum, in the same order; whole blocks of eight and a tail; zeros skipped in the projection.
    @Test func theStaticEncodersFloatLoopsAreTheSwiftLoopsFloats() {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        func float() -> Float { Float(next() % 20001 - 10000) / 3333.3 }
        for d in [1, 7, 8, 9, 31, 384] {
            let codes = (0..<d).map { _ in Int8(next() % 255 - 127) }
            let scale = float() / 97
            let start = (0..<d).map { _ in float() }
            var x = (0..<d).map { _ in float() }
            for k in stride(from: 0, to: d, by: 3) { x[k] = 0 }
            let matrix = (0..<(d * d)).map { _ in float() }
            // The Swift loops, as they were.
            var addReference = start
            for k in 0..<d { addReference[k] += Float(codes[k]) * scale }
            var projectReference = start
            for k in 0..<d where x[k] != 0 { for j in 0..<d { projectReference[j] += x[k] * matrix[k * d + j] } }
            // The chosen loop (-1), then each kernel this processor has.
            for kernel in Int32(-1)...1 {
                for which in Int32(0)...1 {
                    var out = start
                    let ran = out.withUnsafeMutableBufferPointer { o in
                        guard kernel >= 0 else {
                            if which == 0 { hub_add_scaled_i8(codes, scale, d, o.baseAddress!) } else { hub_project_f32(x, matrix, d, o.baseAddress!) }
                            return Int32(1)
                        }
                        return hub_vector_loops_on(kernel, which, codes, scale, x, matrix, d, o.baseAddress!)
                    }
                    guard ran == 1 else { continue }
                    let reference = which == 0 ? addReference : projectReference
                    #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "dimension \(d), kernel \(kernel), loop \(which)")
                }
            }
        }
    }

    /// The candidates' centroid cosines, four rows side by side, are each row's `dot(row:_:)`.
    @Test func rowDotsAreEachRowsDot() {
        var seed: UInt64 = 0x5851_F42D_4C95_7F2D
        func next() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(truncatingIfNeeded: seed >> 33) % 2001 - 1000) / 1000
        }
        let d = 37
        let matrix = EmbeddingMatrix(dimension: d, values: (0..<(11 * d)).map { _ in next() })
        let query = (0..<d).map { _ in next() }
        for rows in [[], [3], [0, 10, 10, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 9, 8, 7]] as [[Int32]] {
            let dots = matrix.dots(rows: rows, query)
            #expect(dots.map(\.bitPattern) == rows.map { matrix.dot(row: Int($0), query).bitPattern }, "rows \(rows)")
        }
    }

    /// ASCII is normalised on a path of its own; it must read as the general path reads it (a
    /// trailing "é" sends a text down the general path and comes out as "e").
    @Test func asciiIsNormalisedAsTheGeneralPathNormalisesIt() throws {
        let tokenizer = try WordPieceTokenizer(json: Array(try Data(contentsOf: Self.tinyFolder.appendingPathComponent("tokenizer.json"))))
        for text in ["Men's COTTON shirt", "tab\there\r\nline", "bell\u{07}vertical\u{0B}form\u{0C}del\u{7F}end", "  two  spaces ", "", "100% Poly-ester!"] {
            #expect(tokenizer.normalize(text + "é") == tokenizer.normalize(text) + "e", "\(text.debugDescription)")
        }
    }

    /// The static encoder: a row per word piece from the full encoder (the piece alone, weighed),
    /// a text as the normalised sum of its pieces' rows; it travels in the artefact and the
    /// classifier uses it with no encoder given.
    @Test func theStaticEncoderIsDistilledAndTravelsInTheArtefact() throws {
        let full = try Self.encoder(Self.tinyFolder, heads: 2)
        let pieces = full.tokenizer.piecesById
        let shirt = try #require(pieces.firstIndex(of: "shirt"))
        let alone = full.embed(ids: [full.tokenizer.classifyToken, Int32(shirt), full.tokenizer.separatorToken])
        let weight = StaticSentenceEncoder.frequencyWeight(id: shirt, vocabularySize: pieces.count)
        let uncentred = full.distilled(threads: 2, centred: false)
        #expect(Self.largestDifference(uncentred.vectors.row(shirt), alone.map { $0 * weight }) < 0.01)
        // Centred: every row moved by the same vector (the pieces' Zipf-weighed mean), then weighed.
        let distilled = full.distilled(threads: 2)
        #expect(distilled.vectors.rows == pieces.count && distilled.dimension == 16)
        let men = try #require(pieces.firstIndex(of: "men"))
        let menWeight = StaticSentenceEncoder.frequencyWeight(id: men, vocabularySize: pieces.count)
        let shiftShirt = zip(uncentred.vectors.row(shirt), distilled.vectors.row(shirt)).map { ($0 - $1) / weight }
        let shiftMen = zip(uncentred.vectors.row(men), distilled.vectors.row(men)).map { ($0 - $1) / menWeight }
        #expect(Self.largestDifference(shiftShirt, shiftMen) < 0.03 && shiftShirt.contains { abs($0) > 0.01 })
        let ids = full.tokenizer.pieceIds("cotton shirt", limit: 10)
        #expect(ids.count == 2)
        var sum = [Float](repeating: 0, count: 16)
        for id in ids { for (k, v) in distilled.vectors.row(Int(id)).enumerated() { sum[k] += v } }
        let norm = sum.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        #expect(Self.largestDifference(distilled.encode("cotton shirt"), sum.map { $0 / norm }) < 1e-5)

        let (kb, examples) = try Fixture.loaded.get()
        var options = TrainingOptions()
        options.fusionIterations = 20
        let model = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options, encoder: distilled)
        #expect(model.staticEncoder == distilled)
        let back = try ModelCodec.decode(ModelCodec.encode(model))
        let carried = try #require(back.staticEncoder)
        #expect(carried.tokenizer == distilled.tokenizer && carried.vectors == distilled.vectors && carried.maxPieces == distilled.maxPieces)
        let c = Classifier(model: back)
        #expect(c.encoder != nil)
        #expect(c.score("Men's short sleeve t-shirt, 100% cotton, knitted", weights: back.weights).candidates.contains { $0.encoderVote > 0 })
        // A model without one writes none.
        var plain = model
        plain.staticEncoder = nil
        #expect(try ModelCodec.decode(ModelCodec.encode(plain)).staticEncoder == nil)
    }

    /// The projection maps the static encoder's vectors onto the full encoder's: on the texts it
    /// was fitted on it lands nearer them than the static vectors do, and it travels in the artefact.
    @Test func theProjectionBringsStaticVectorsNearTheFullOnes() throws {
        let full = try Self.encoder(Self.tinyFolder, heads: 2)
        let distilled = full.distilled(threads: 1)
        let texts = ["men's cotton shirt", "knitted cotton shirt, short sleeves", "steel bolts for machinery", "zinc plated hex bolt m8 x 40 mm",
                     "decaffeinated coffee", "creme for a cafe", "stainless steel sheet", "a dry sheet of steel", "100% cotton t-shirt for men",
                     "machinery of steel", "hex bolts, zinc plated", "short sleeve knitted shirt"]
        let targets = full.encodeAll(texts, threads: 2)
        let projected = distilled.projected(texts: texts, targets: targets, ridge: 0.01)
        #expect(projected.projection.count == 16 * 16)
        func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let before = zip(texts, targets).map { cosine(distilled.encode($0), $1) }.reduce(0, +)
        let after = zip(texts, targets).map { cosine(projected.encode($0), $1) }.reduce(0, +)
        #expect(after > before && after / Float(texts.count) > 0.9, "mean cosine \(before / Float(texts.count)) -> \(after / Float(texts.count))")
        // Trained with it (the examples keep the full encoder's vectors), the model carries it.
        let (kb, examples) = try Fixture.loaded.get()
        var options = TrainingOptions()
        options.fusionIterations = 20
        let model = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options,
                                            encoder: projected, exampleEncoder: full)
        let first = try #require(model.examples.first)
        let stored = try #require(model.exampleEmbeddings).row(0)
        #expect(Self.largestDifference(stored, full.encode(EncoderInput.text(first.description, focusLongText: model.focusLongText))) < 0.01)
        let back = try ModelCodec.decode(ModelCodec.encode(model))
        #expect(back.staticEncoder?.projection == projected.projection)
    }
}
