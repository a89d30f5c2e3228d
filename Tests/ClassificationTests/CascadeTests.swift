@testable import Classification
import Foundation
import Testing
@testable import TextEmbedding

/// The encoder cascade: the static path on every line, the full encoder's forward pass only on
/// the lines whose static ranking is unsure, re-ranked by a ranker fitted on the full features.
@Suite struct CascadeTests {
    /// A cascade trained on the fixture slice with the tiny BERT: its static encoder projected onto
    /// the forward pass's vectors of the examples, as `train --encoder-mode cascade` does.
    static let trained: Result<(ClassifierModel, MiniLMEncoder), any Error> = Result {
        let (kb, examples) = try Fixture.loaded.get()
        let full = try EncoderTests.encoder(EncoderTests.tinyFolder, heads: 2)
        var options = TrainingOptions()
        options.fusionIterations = 20
        options.cascade = true
        options.cascadeShare = [.long: 0.5, .short: 0.4]
        options.cascadeQueryTokens = 24
        let texts = Array(Set(examples.map { EncoderInput.text($0.description, focusLongText: options.focusLongText) })).sorted()
        let precomputed = PrecomputedEncoder(texts: texts, vectors: full.encodeAll(texts, threads: 2), fallback: full)
        let projected = full.distilled(threads: 2).projected(texts: texts, targets: texts.map(precomputed.encode), ridge: 0.01)
        let model = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options,
                                            encoder: projected, exampleEncoder: precomputed)
        return (model, full)
    }

    /// Texts unlike the fixture's own rows, short and long.
    static let probes = [
        "Men's short sleeve t-shirt, 100% cotton, knitted", "stainless steel kitchen knife with fixed blade", "lipstick", "face cream",
        "women's cardigan of synthetic fibres, knitted", "nail polish remover", "scissors", "babies' garments of cotton, knitted",
        "shampoo for dry hair", "a set of table knives with steel handles", "perfume, eau de toilette 100 ml", "socks of wool",
        """
        The article is a pullover for women, knitted from 70% acrylic and 30% wool yarn, with long sleeves, ribbed cuffs and a \
        crew neck. It is put up for retail sale on a hanger. The garment covers the upper body and reaches to the hip; it has no \
        fastening and no pockets. It is worn over a blouse or a shirt for warmth.
        """,
        """
        The product is a hand cream in a 75 ml aluminium tube, made of water, glycerin, shea butter and fragrance. It is applied to \
        the skin of the hands to keep it soft; it is not a medicament and makes no therapeutic claim. It is sold in pharmacies and \
        supermarkets.
        """,
    ] + ["leather gloves", "hair clippers", "razor blades", "pyjamas of cotton for men", "body lotion", "sun cream spf 30", "deodorant spray",
         "cutlery set", "tracksuit knitted", "baby bodysuit cotton"]

    @Test func thresholdIsTheQuantileOfTheMargins() {
        let margins = (1...10).map { Double($0) / 10 }
        let t = EncoderCascade.threshold(margins: margins, share: 0.3)
        #expect(margins.filter { $0 < t }.count == 3)
        #expect(margins.filter { $0 < EncoderCascade.threshold(margins: margins, share: 0) }.isEmpty)
        #expect(margins.allSatisfy { $0 < EncoderCascade.threshold(margins: margins, share: 1) })
        #expect(EncoderCascade.threshold(margins: [], share: 0.5) == 0)
        let cascade = EncoderCascade(weights: .initial, marginThresholds: [.long: 0.2], queryTokens: 64)
        #expect(cascade.isUnsure(margin: 0.1, kind: .long) && !cascade.isUnsure(margin: 0.3, kind: .long))
        #expect(!cascade.isUnsure(margin: 0, kind: .short))   // a kind with no threshold stays on the fast path
    }

    @Test func trainingRecordsTheCascadeAndItTravelsInTheArtefact() throws {
        let (model, _) = try Self.trained.get()
        let cascade = try #require(model.cascade)
        #expect(model.encoderMode == .cascade && model.staticEncoder != nil && model.exampleEmbeddings != nil)
        #expect(cascade.queryTokens == 24 && cascade.weights.coefficients.count == model.weights.coefficients.count)
        #expect(cascade.weights != model.weights)   // fitted on other features
        let short = try #require(cascade.marginThresholds[.short])
        #expect(short > 0 && short.isFinite)
        let bytes = ModelCodec.encode(model)
        #expect(bytes[ModelCodec.magic.count] == 11)
        let back = try ModelCodec.decode(bytes)
        #expect(back.cascade == cascade && back.encoderMode == .cascade && back.version == model.version)
        // Without the cascade the version changes: the artefact says which mode it was trained for.
        var single = model
        single.cascade = nil
        #expect(single.encoderMode == .static && ModelVersion.make(single) != model.version)
    }

    /// The cascade test: on lines unlike its training rows some, but not all, take the slow path;
    /// those are ranked as the full path ranks them, the others as the static path does.
    @Test func theSlowPathRunsOnTheUnsureLinesOnly() throws {
        let (model, full) = try Self.trained.get()
        let cascade = try #require(model.cascade)
        let withWeights = Classifier(model: model, encoder: full)
        let staticOnly = Classifier(model: model)
        #expect(withWeights.slowEncoder != nil && staticOnly.slowEncoder == nil)
        var slow = 0
        for text in Self.probes {
            let r = withWeights.classify(ClassificationRequest(description: text))
            let fast = withWeights.score(text, weights: model.weights)
            let taken = try #require(r.slowPath)
            #expect(taken == cascade.isUnsure(margin: Classifier.margin(fast), kind: fast.kind), "\(text.prefix(40))")
            let expected = taken ? withWeights.score(text, weights: cascade.weights, queryEncoder: full) : fast
            #expect(r.hs6 == expected.candidates.first.map { model.subheadingCodes[Int($0.hs6)] }, "\(text.prefix(40))")
            if taken { slow += 1 }
            // Without the weights the line stays on the static path.
            let alone = staticOnly.classify(ClassificationRequest(description: text))
            #expect(alone.slowPath == false && alone.hs6 == fast.candidates.first.map { model.subheadingCodes[Int($0.hs6)] })
        }
        #expect(slow > 0, "the slow path was never taken")
        #expect(slow < Self.probes.count, "the slow path was taken on every line")
        // A model of another mode reports no path.
        var single = model
        single.cascade = nil
        #expect(Classifier(model: single).classify(ClassificationRequest(description: Self.probes[0])).slowPath == nil)
    }

    @Test func aCorrectionIsEncodedLikeTheExamples() throws {
        let (model, full) = try Self.trained.get()
        var c = Classifier(model: model, encoder: full)
        try c.learn(Correction(description: "zzqx widget gadget", hs6: "330499", confirmedBy: "t", confirmedAt: "2026-11-25T00:00:00Z"))
        let stored = try #require(c.memoryEmbeddings).row(c.memory.count - 1)
        #expect(EncoderTests.largestDifference(stored, full.encode("zzqx widget gadget")) < 0.01)
    }

    @Test func formatEightStillLoadsAndAWrongModeIsAnError() throws {
        let (model, _) = try Self.trained.get()
        var single = model
        single.cascade = nil
        // Format 9 is format 8 with, at the end, the mode and the cascade section, then the per-kind
        // sets' sharpness and binning.
        let encoded = ModelCodec.encode(single)
        let perKind = single.kindCalibrations.reduce(0) { $0 + 16 + 4 + 16 * $1.binning.upperBounds.count }
        // Format 10 adds the chapter model at the end, format 11 the heading model after it.
        let closing = ModelCodec.chapterSectionBytes(single) + ModelCodec.headingSectionBytes(single)
        let tail = 4 + "static".utf8.count + 1 + perKind + closing
        var bytes = encoded
        bytes.removeLast(tail)
        bytes[ModelCodec.magic.count] = 8
        let old = try ModelCodec.decode(bytes)
        #expect(old.encoderMode == .static && old.cascade == nil && old.staticEncoder != nil)
        // A recorded mode that the sections do not bear out is refused, by name.
        var wrong = Array(encoded.dropLast(tail))
        var w = ByteWriter()
        w.string("full")
        w.u8(0)
        wrong += w.data + encoded.suffix(perKind + closing)
        do {
            _ = try ModelCodec.decode(wrong)
            Issue.record("an artefact recording the wrong mode was decoded")
        } catch {
            #expect("\(error)".contains("encoder mode 'full'"))
        }
    }

    /// The attention's eight-lane loops against the definition, on a head width with a tail.
    @Test func attentionMatchesTheDefinition() {
        let heads = 2, width = 12, h = heads * width, count = 5
        let qkv = (0..<(count * 3 * h)).map { Float(sin(Double($0) * 0.7)) }
        var context = [Float](repeating: .nan, count: count * h)
        var scores = [Float](repeating: 0, count: count)
        let scale = 1 / Float(width).squareRoot()
        qkv.withUnsafeBufferPointer { q in context.withUnsafeMutableBufferPointer { c in scores.withUnsafeMutableBufferPointer { s in
            MiniLMEncoder.attend(q.baseAddress!, context: c.baseAddress!, scores: s.baseAddress!, first: 0, count: count, hidden: h, heads: heads, scale: scale)
        } } }
        for head in 0..<heads {
            for i in 0..<count {
                let logits = (0..<count).map { j in (0..<width).reduce(Float(0)) { $0 + qkv[i * 3 * h + head * width + $1] * qkv[j * 3 * h + h + head * width + $1] } * scale }
                let top = logits.max() ?? 0
                let weights = logits.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for e in 0..<width {
                    let expected = (0..<count).reduce(Float(0)) { $0 + weights[$1] / total * qkv[$1 * 3 * h + 2 * h + head * width + e] }
                    #expect(abs(context[i * h + head * width + e] - expected) < 1e-5)
                }
            }
        }
    }
}
