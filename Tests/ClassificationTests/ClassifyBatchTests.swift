@testable import Classification
import CEmbeddingKernels
import Foundation
import Testing

/// Lines classified together (the sentence encoder's scans of up to eight lines in one pass over
/// the example rows) get exactly the answers they get alone: the scan's integer sums are exact on
/// every path, and nothing else is shared between the lines.
@Suite struct ClassifyBatchTests {
    /// The batched kernel's sums are the definition's for 1 to 8 queries (each kernel this processor
    /// has) and for more than a pass holds (the chosen kernel): blocks of sixteen and a tail, and
    /// the largest sums a 384-wide row reaches.
    @Test func theBatchedScanSumsExactly() {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        var checked = 0
        for d in [1, 15, 16, 17, 33, 384, 390] {
            let rows = 7
            var codes = (0..<(rows * d)).map { _ in Int8(next() % 255 - 127) }
            if d == 384 { for k in 0..<d { codes[k] = 127; codes[d + k] = -127 } }
            let rowSums = (0..<rows).map { r in (0..<d).reduce(Int32(0)) { $0 + Int32(codes[r * d + $1]) } }
            for count in [1, 2, 3, 5, 7, 8, 9, 17] {
                var queries = (0..<(count * d)).map { _ in Int16(next() % 65535 - 32767) }
                if d == 384 { for k in 0..<d { queries[k] = 32767 } }
                // The chosen kernel (-1), then each kernel this processor has (up to a pass's width).
                for kernel in Int32(-1)...1 {
                    var sums = [Int32](repeating: 0, count: count * rows)
                    let ran = codes.withUnsafeBufferPointer { c in
                        queries.withUnsafeBufferPointer { q in
                            sums.withUnsafeMutableBufferPointer { o in
                                guard kernel >= 0 else {
                                    hub_dots_i8_i16_batch(c.baseAddress!, rowSums, rows, d, q.baseAddress!, count, o.baseAddress!)
                                    return Int32(1)
                                }
                                return hub_dots_i8_i16_batch_on(kernel, c.baseAddress!, rows, d, q.baseAddress!, count, o.baseAddress!)
                            }
                        }
                    }
                    guard ran == 1 else {
                        #expect(kernel == 1 || count > Int(hub_dots_batch_width), "kernel \(kernel) with \(count) queries did not run")
                        continue
                    }
                    for j in 0..<count {
                        for r in 0..<rows {
                            let expected = (0..<d).reduce(Int64(0)) { $0 + Int64(codes[r * d + $1]) * Int64(queries[j * d + $1]) }
                            #expect(Int64(sums[j * rows + r]) == expected, "dimension \(d), query \(j) of \(count), row \(r), kernel \(kernel)")
                        }
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
    }

    /// `dots(batch:)` gives each query the floats `dots(_:)` gives it, also for a query of zeros,
    /// one with a value that is not finite, and rows too wide for the 32-bit sums.
    @Test func theMatrixBatchIsEachQuerysScan() {
        for d in [16, 384, 600] {
            let m = EmbeddingMatrix(dimension: d, values: (0..<(d * 11)).map { Float(sin(Double($0) * 0.37)) })
            var queries = (0..<10).map { j in (0..<d).map { Float(cos(Double($0 * (j + 1)) * 0.11)) } }
            queries[3] = [Float](repeating: 0, count: d)
            queries[6][2] = .nan
            let batch = m.dots(batch: queries)
            #expect(batch.count == queries.count)
            for (j, q) in queries.enumerated() {
                let alone = m.dots(q)
                #expect(batch[j].map(\.bitPattern) == alone.map(\.bitPattern), "dimension \(d), query \(j)")
            }
        }
        #expect(EmbeddingMatrix(dimension: 4).dots(batch: [[1, 0, 0, 0]]) == [[]])
    }

    /// On a classifier with a sentence encoder, a sample of lines classified in one call (more than
    /// a pass's eight, with destinations, a merchant's code, answers and a text with nothing to
    /// classify by) gets every candidate, score and confidence that each line gets alone.
    @Test func aBatchOfLinesIsAnsweredAsEachLineAlone() throws {
        let (model, encoder, examples) = try EncoderTests.tinyEncoderModel()
        let classifier = Classifier(model: try ModelCodec.decode(ModelCodec.encode(model)), encoder: encoder)
        #expect(classifier.encoder != nil && classifier.memoryEmbeddings != nil)
        let sample = stride(from: 0, to: examples.count, by: max(1, examples.count / 18)).map { examples[$0] }
        try #require(sample.count >= 10)
        var requests = sample.enumerated().map { k, e in
            ClassificationRequest(id: "\(k)", description: e.description, destination: ["US", "DE", "GB", nil][k % 4])
        }
        requests.append(ClassificationRequest(id: "merchant", description: sample[0].description, merchantCode: sample[1].hs6, date: "2026-11-25"))
        requests.append(ClassificationRequest(id: "answered", description: "shirt for men", answers: ["material": "cotton"]))
        requests.append(ClassificationRequest(id: "empty", description: "!!"))
        let together = classifier.classify(requests, top: 5)
        #expect(together.count == requests.count)
        for (request, answer) in zip(requests, together) {
            let alone = classifier.classify(request, top: 5)
            #expect(answer == alone, "\(request.id ?? "")")
            #expect(answer.candidates.map(\.score) == alone.candidates.map(\.score) && answer.confidence == alone.confidence)
        }
        #expect(together.contains { !$0.candidates.isEmpty })
        // The scores underneath (before rounding) are the same floats too.
        let prepared = try #require(classifier.prepare(requests.map(\.description)))
        for (request, query) in zip(requests, prepared) {
            let alone = classifier.score(request.description, weights: classifier.model.weights), shared = classifier.score(request.description, weights: classifier.model.weights, prepared: query)
            #expect(alone.probabilities == shared.probabilities && alone.candidates.map(\.hs6) == shared.candidates.map(\.hs6))
            #expect(alone.codeSimilarity == shared.codeSimilarity && alone.candidates.map(\.encoderMax) == shared.candidates.map(\.encoderMax))
        }
    }
}
