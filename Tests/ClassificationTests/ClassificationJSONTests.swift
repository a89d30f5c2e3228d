@testable import Classification
import Foundation
import JSONCore
import Testing

/// `ClassificationResult.writeJSON(into:)` (written member by member for the pipeline) against the
/// `Codable` encoding it replaces there, and the one-pass `topIndices` against a full sort.
@Suite struct ClassificationJSONTests {
    @Test func realResultsEncodeAsTheEncoderDoes() throws {
        let c = try Fixture.classifier()
        let requests: [ClassificationRequest] = [
            ClassificationRequest(id: "1", description: "Men's short sleeve t-shirt, 100% cotton, knitted", destination: "GB", merchantCode: "610910", date: "2026-11-01"),
            ClassificationRequest(id: "2", description: "Lipstick, matte red", destination: "DE", merchantCode: "330499", date: "2026-11-01"),
            ClassificationRequest(description: "stainless steel kitchen knife set", destination: "US", merchantCode: "8211", date: "2026-11-01"),
            ClassificationRequest(id: "4", description: "women's jumper", destination: "GB"),
            ClassificationRequest(description: "SKU-88213ABC 1234567 %"),
            ClassificationRequest(description: "shampoo 500ml", destination: "AU", merchantCode: "999999"),
            ClassificationRequest(description: "cardigan", answers: ["material": "cotton"]),
        ]
        var checked = 0
        for request in requests {
            let result = c.classify(request, top: 5)
            let encoded = try JSONValueEncoder().encode(result)
            #expect(result.hasFiniteNumbers)
            let (text, parts) = Self.written(result)
            #expect(text == JSONWriter.write(encoded), "\(request.description)")
            #expect(parts.candidates == JSONWriter.write(encoded["candidates"] ?? .null))
            #expect(parts.evidence == JSONWriter.write(encoded["evidence"] ?? .null))
            checked += 1
        }
        try #require(checked == requests.count)
    }

    @Test func everyOptionalAndOddNumbersEncodeAsTheEncoderDoes() throws {
        let scores: [Double] = [0, 1, 0.5, 0.123, 1e-7, 1e30, -0.0, 123456789.25, 0.1 + 0.2]
        var checked = 0
        for (k, score) in scores.enumerated() {
            var r = ClassificationResult(
                id: k % 2 == 0 ? "line-\(k)" : nil, hs6: k % 3 == 0 ? nil : "610910", nationalCode: k % 2 == 0 ? "6109100010" : nil,
                tariff: k % 2 == 1 ? "uk-2026" : nil, confidence: score, review: k % 2 == 0,
                candidates: [Candidate(hs6: "610910", score: score, description: "T-shirts \"quoted\" é")],
                evidence: [Evidence(kind: .tariffLine, code: "6109100010", source: "uk", text: "Of cotton", score: score),
                           Evidence(kind: .example, code: nil, source: nil, text: "a", score: nil, confirmedBy: "ana", confirmedAt: "2026-01-01T00:00:00Z"),
                           Evidence(kind: .words, text: "cotton, shirt")],
                question: k % 2 == 1 ? "What is it made of?" : nil,
                merchantCheck: k % 3 == 1 ? MerchantCodeCheck(code: "6109", status: .disagrees, message: "m", merchantHS6Description: k % 2 == 0 ? "d" : nil,
                                                              merchantScore: k % 2 == 1 ? score : nil) : nil,
                modelVersion: "hs2022-x")
            r.predictionSet = k % 2 == 0 ? ["610910", "611020"] : []
            r.clarification = k % 2 == 1 ? Clarification(attribute: "material", question: "Material?", options: ["cotton", "wool"]) : nil
            r.textKind = k % 3 == 2 ? .long : k % 3 == 1 ? .short : nil
            r.heading = k % 2 == 0 ? "6109" : nil
            r.headingConfidence = k % 3 == 0 ? score : nil
            r.level = [.subheading, .heading, .none, nil][k % 4]
            r.headingSet = k % 2 == 1 ? ["6109", "6110"] : []
            r.slowPath = [true, false, nil][k % 3]
            #expect(r.hasFiniteNumbers)
            let encoded = try JSONValueEncoder().encode(r)
            let (text, parts) = Self.written(r)
            #expect(text == JSONWriter.write(encoded), "score \(score)")
            #expect(parts.candidates == JSONWriter.write(encoded["candidates"] ?? .null))
            #expect(parts.evidence == JSONWriter.write(encoded["evidence"] ?? .null))
            checked += 1
        }
        try #require(checked == scores.count)
        // A score the encoder refuses is refused here too.
        let refused = ClassificationResult(id: nil, hs6: nil, nationalCode: nil, tariff: nil, confidence: .nan, review: true, candidates: [],
                                           evidence: [], question: nil, merchantCheck: nil, modelVersion: "v")
        #expect(!refused.hasFiniteNumbers)
        #expect((try? JSONValueEncoder().encode(refused)) == nil)
        // Each number refused on its own, the others finite.
        var finite = refused
        finite.confidence = 0.5
        finite.candidates = [Candidate(hs6: "610910", score: 0.5, description: "d")]
        finite.evidence = [Evidence(kind: .words, text: "t", score: 0.5)]
        finite.merchantCheck = MerchantCodeCheck(code: "6109", status: .agrees, message: "m", merchantScore: 0.5)
        finite.headingConfidence = 0.5
        #expect(finite.hasFiniteNumbers)
        let breaks: [(String, (inout ClassificationResult) -> Void)] = [
            ("heading confidence", { $0.headingConfidence = .infinity }), ("candidate score", { $0.candidates[0].score = .nan }),
            ("evidence score", { $0.evidence[0].score = -.infinity }), ("merchant score", { $0.merchantCheck?.merchantScore = .nan }),
        ]
        for (name, breakIt) in breaks {
            var r = finite
            breakIt(&r)
            #expect(!r.hasFiniteNumbers, "\(name)")
            #expect((try? JSONValueEncoder().encode(r)) == nil, "\(name)")
        }
    }

    /// The result's text and the texts of its candidates and evidence, from the positions `writeJSON` answers.
    static func written(_ result: ClassificationResult) -> (text: String, parts: (candidates: String, evidence: String)) {
        var w = JSONTextWriter()
        let (candidates, evidence) = result.writeJSON(into: &w)
        let parts = (w.fragment(candidates).text, w.fragment(evidence).text)
        return (w.take(), parts)
    }

    @Test func topIndicesIsTheHeadOfAFullSort() {
        // Deterministic mixes (multiplicative hashing of index and round): few distinct values, so
        // that ties (broken by the lower index) are common; zeros and negatives never count.
        func mix(_ i: Int, _ round: Int, _ salt: Int) -> Int {
            Int(((UInt64(i * 40_503 + round * 7_919 + salt) &* 2_654_435_761) >> 7) % 1_000_003)
        }
        for round in 0..<40 {
            let count = mix(round, round, 1) % 121
            let values: [Float] = (0..<count).map { Float(mix($0, round, 2) % 16 - 3) / 4 }
            let scale: [Float] = (0..<count).map { [1, 1, 0.5, 0.25][mix($0, round, 3) % 4] }
            let n = [1, 3, 20, 200][round % 4]
            func reference(_ v: [Float]) -> [Int] {
                Array(v.indices.filter { v[$0] > 0 }.sorted { v[$0] > v[$1] || (v[$0] == v[$1] && $0 < $1) }.prefix(n))
            }
            #expect(topIndices(values, n) == reference(values))
            #expect(topIndices(values, n, scale: scale) == reference(zip(values, scale).map { $0 * $1 }))
            #expect(topIndices(values, n, where: { $0 % 3 != 0 }) == reference(values.enumerated().map { $0.offset % 3 != 0 ? $0.element : 0 }))
        }
    }
}

