@testable import Classification
import CustomsModel
import Foundation
import JSONCore
import Pipeline
import Risk
import Testing

/// A merchant's code is disputed (the line held for a person) only when the classifier's calibrated
/// confidence in its own reading, or the merchant's code lying outside its prediction set, says the
/// merchant is likely wrong; an unsure disagreement keeps the merchant's code.
@Suite struct DisputeTests {
    static func result(hs6: String?, confidence: Double, predictionSet: [String]) -> ClassificationResult {
        var r = ClassificationResult(id: "1", hs6: hs6, nationalCode: nil, tariff: nil, confidence: confidence, review: true, candidates: [],
                                     evidence: [], question: nil, merchantCheck: nil, modelVersion: "test")
        r.predictionSet = predictionSet
        return r
    }

    @Test func theRuleReadsTheCalibratedConfidenceAndThePredictionSet() {
        // Soap read as olive oil at 0.12, soap among the likely codes: the merchant's code stands.
        #expect(!Pipeline.disputes(Self.result(hs6: "150910", confidence: 0.12, predictionSet: ["150910", "340111", "340120"]), merchantCode: "3401.11"))
        // No calibrated set (an older model): the confidence alone decides.
        #expect(!Pipeline.disputes(Self.result(hs6: "150910", confidence: 0.12, predictionSet: []), merchantCode: "340111"))
        #expect(Pipeline.disputes(Self.result(hs6: "610910", confidence: 0.9, predictionSet: []), merchantCode: "940529"))
        #expect(!Pipeline.disputes(Self.result(hs6: "330129", confidence: 0.805, predictionSet: []), merchantCode: "340111"))
        // Unsure, but the merchant's code is outside a set calibrated to hold the right code 90 % of the time.
        #expect(Pipeline.disputes(Self.result(hs6: "610910", confidence: 0.2, predictionSet: ["610910", "610990"]), merchantCode: "9405290000"))
        // Sure of another code: disputed even with the merchant's code in the set.
        #expect(Pipeline.disputes(Self.result(hs6: "610910", confidence: 0.95, predictionSet: ["610910", "611020"]), merchantCode: "611020"))
        // Nothing classified: nothing to dispute with.
        #expect(!Pipeline.disputes(Self.result(hs6: nil, confidence: 0, predictionSet: []), merchantCode: "610910"))
    }

    /// The note of a kept code says it is among the likely codes only when a prediction set holds
    /// it; without a set (a model trained before them) it said so all the same.
    @Test func theKeptNoteSaysWhatTheClassifierHas() {
        let inSet = Pipeline.keptNote(lineNumber: 2, merchantCode: "3401.11",
                                      result: Self.result(hs6: "150910", confidence: 0.12, predictionSet: ["150910", "340111"]))
        #expect(inSet == "line 2: merchant code 3401.11 kept; the classifier prefers 150910 but is unsure (confidence 0.120) and counts 340111 among its likely codes")
        let noSet = Pipeline.keptNote(lineNumber: 2, merchantCode: "340111", result: Self.result(hs6: "150910", confidence: 0.12, predictionSet: []))
        #expect(!noSet.contains("among its likely codes"), "\(noSet)")
        #expect(noSet.hasSuffix("(confidence 0.120) and has no set of likely codes to check 340111 against"), "\(noSet)")
    }

    /// Through the pipeline: an order whose lines carry codes the classifier disagrees with, each
    /// line held as `merchant_code_disputed` exactly when `disputes` says so; a line kept keeps the
    /// merchant's code with a note, and is still held when another check holds it.
    @Test func anUnsureDisagreementKeepsTheMerchantsCodeAndASureOneDisputes() throws {
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        // Lines in the test classifier's chapters (61, 62, 85, 94), each declared with another code.
        let declared: [(String, String)] = DisputeTests.pairs
        var order = try #require(try Orders.fixture("gb-b2c-apparel-from-cn").objectValue)
        let template = try #require(order["lines"]?.arrayValue?.first?.objectValue)
        order["lines"] = .array(declared.enumerated().map { k, pair in
            var line = template
            line["line_id"] = .string("L\(k + 1)")
            line["description"] = .string(pair.0)
            line["material"] = nil
            line["hs_code"] = .string(pair.1)
            return .object(line)
        })
        // A parcel heavy enough for the lines' net weight.
        var shipment = try #require(order["shipment"]?.objectValue)
        var parcel = try #require(shipment["parcels"]?.arrayValue?.first?.objectValue)
        parcel["gross_weight"] = .object(JSONObject([("value", .string("50")), ("unit", .string("kg"))]))
        shipment["parcels"] = .array([.object(parcel)])
        order["shipment"] = .object(shipment)
        let document = JSONValue.object(order)
        let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now)
        #expect(evaluation.state != .invalid, "\(evaluation.problems)")
        var kept = 0, disputed = 0, keptAcrossHeadings = 0
        for line in evaluation.lines {
            let merchant = try #require(line.merchantCode)
            #expect(line.code == merchant && line.source == "merchant", "line \(line.lineNumber)")
            // Risk's `classification_mismatch` follows the same rule: a reason exactly on the disputed lines.
            let risk = try #require(line.risk, "line \(line.lineNumber) has no risk")
            let mismatch = risk.reasons.contains { $0.code == "classification_mismatch" }
            #expect(mismatch == (Pipeline.disputingCode(line.classification, merchantCode: merchant) != nil),
                    "line \(line.lineNumber) \(line.description): \(risk.reasons.map(\.detail))")
            guard line.classification.merchantCheck?.status == .disagrees else { continue }
            let held = evaluation.reviews.contains { $0.lineNumber == line.lineNumber && $0.reason == "merchant_code_disputed" }
            let disputes = Pipeline.disputes(line.classification, merchantCode: merchant)
            #expect(held == disputes, "line \(line.lineNumber) \(line.description): confidence \(line.classification.confidence), set \(line.classification.predictionSet)")
            if disputes {
                disputed += 1
            } else {
                kept += 1
                #expect(line.classification.confidence < Pipeline.disputeConfidence)
                #expect(evaluation.routing.notes.contains(Pipeline.keptNote(lineNumber: line.lineNumber, merchantCode: merchant, result: line.classification)),
                        "\(evaluation.routing.notes)")
                // Kept with another heading read: before, this line still took the 0.3 risk weight.
                if line.classification.hs6?.prefix(4) != merchant.prefix(4) { keptAcrossHeadings += 1 }
            }
        }
        #expect(kept > 0, "no unsure disagreement among \(declared)")
        #expect(keptAcrossHeadings > 0, "no kept code of another heading among \(declared): the risk check above cannot fail")
        #expect(disputed > 0, "no sure disagreement among \(declared)")
    }

    static let pairs: [(String, String)] = [
        ("Men's crew-neck T-shirt, knitted, 100% cotton", "620520"),
        ("Wool hiking socks, knitted", "611020"),
        ("Women's denim jeans, woven", "610462"),
        ("Hand-knitted wool jumper", "620311"),
        ("LED head torch, rechargeable", "940521"),
        ("Bluetooth wireless earbuds with charging case", "851762"),
        ("USB-C charging cable 1 m", "850440"),
        ("Table lamp, oak base, linen shade", "940531"),
        ("Men's crew-neck T-shirt, knitted, 100% cotton", "851830"),
        ("Knitted wool scarf, hand-made", "940529"),
    ]
}
