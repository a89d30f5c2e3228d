import CustomsModel
import Foundation
import Hub
import JSONCore
import Pipeline
import Store
import Tariff
import Testing

/// The evaluation's, decisions' and review items' texts are written from the engines' typed results,
/// with no tree in between. Each must be compact JSON (what the tree writer writes for its parse),
/// show each engine's result exactly as `JSONValueEncoder` (or `Quote.json`) writes it, and the
/// parts a decision or review item shares with the evaluation must be the evaluation's.
@Suite("The evaluation's and decisions' texts written without trees")
struct EvaluationTextTests {
    /// The fixture orders, valid and invalid, and a GB order held for review (a T-shirt declared
    /// as a lamp).
    static func documents() throws -> [JSONValue] {
        var documents = try BatchTests.folder("valid") + BatchTests.folder("invalid")
        documents.append(try Orders.gb(key: "text-flagged", codes: ["9405290000", "62046231"]))
        return documents
    }

    /// The tree of a text that must be compact JSON.
    static func parse(_ text: String, _ label: String) throws -> JSONValue {
        let tree = try JSONParser.parse(Array(text.utf8))
        #expect(JSONWriter.write(tree) == text, "\(label) is not the compact text of its value")
        return tree
    }

    static func text(_ value: JSONValue?) -> String? { value.map(JSONWriter.write) }
    static func encoded(_ value: some Encodable) throws -> String { JSONWriter.write(try JSONValueEncoder().encode(value)) }

    @Test func everyTextShowsTheEnginesResultsAndTheEvaluationsParts() throws {
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        var states: Set<OrderState> = []
        var kinds: Set<String> = []
        var reviewReasons: Set<String> = []
        for (k, document) in try Self.documents().enumerated() {
            let v = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: 1000 + 8 * k)
            let label = "order \(k) (\(v.state.rawValue))"
            states.insert(v.state)
            let tree = try Self.parse(v.text, label)
            #expect(tree["state"] == .string(v.state.rawValue), "\(label)")
            #expect(tree["problems"]?.arrayValue?.count == v.problems.count, "\(label)")
            if let screening = v.screening { #expect(Self.text(tree["screening"]) == (try Self.encoded(screening)), "\(label)") }
            if let risk = v.risk { #expect(Self.text(tree["risk"]) == (try Self.encoded(risk)), "\(label)") }
            #expect(Self.text(tree["landed_cost"]) == JSONWriter.write(v.quote?.json ?? .null), "\(label)")
            let lines = tree["lines"]?.arrayValue ?? []
            try #require(lines.count == v.lines.count, "\(label)")
            for (line, evaluated) in zip(lines, v.lines) {
                #expect(Self.text(line["classification"]) == (try Self.encoded(evaluated.classification)), "\(label) line \(evaluated.lineNumber)")
                if let risk = evaluated.risk { #expect(Self.text(line["risk"]) == (try Self.encoded(risk)), "\(label) line \(evaluated.lineNumber)") }
            }

            var party = 0
            for d in v.decisions {
                kinds.insert(d.kind)
                let input = try Self.parse(d.input, "\(label) \(d.kind) input")
                let output = try Self.parse(d.output, "\(label) \(d.kind) output")
                let evidence = try Self.parse(d.evidence, "\(label) \(d.kind) evidence")
                switch d.kind {
                case "classification":
                    let line = lines[try #require(d.lineNumber) - 1]
                    #expect(Self.text(evidence["candidates"]) == Self.text(line["classification"]?["candidates"]), "\(label)")
                    #expect(Self.text(evidence["evidence"]) == Self.text(line["classification"]?["evidence"]), "\(label)")
                    #expect(output["hs_code"] == line["hs_code"] && input["description"] != nil, "\(label)")
                case "screening":
                    let screened = tree["screening"]?["parties"]?.arrayValue ?? []
                    try #require(party < screened.count, "\(label)")
                    #expect(Self.text(evidence["matches"]) == Self.text(screened[party]["matches"]), "\(label)")
                    #expect(Self.text(evidence["embargo"]) == Self.text(screened[party]["embargo"]), "\(label)")
                    #expect(Self.text(evidence["lists"]) == Self.text(tree["screening"]?["list_versions"]), "\(label)")
                    #expect(input["name"] == screened[party]["name"], "\(label)")
                    party += 1
                case "risk":
                    let line = lines[try #require(d.lineNumber) - 1]
                    #expect(Self.text(evidence) == Self.text(line["risk"]?["reasons"]), "\(label)")
                case "landed_cost":
                    if v.quote != nil { #expect(Self.text(output) == Self.text(tree["landed_cost"]), "\(label)") } else {
                        #expect(output["error"] == tree["landed_cost_error"], "\(label)")
                    }
                    #expect(input == .string(v.inputDigest), "\(label)")
                case "routing":
                    #expect(Self.text(output) == Self.text(tree["routing"]), "\(label)")
                default:
                    break
                }
            }
            for r in v.reviews {
                reviewReasons.insert(r.reason)
                let evidence = try Self.parse(r.evidence, "\(label) review \(r.reason)")
                switch r.reason {
                case "low_confidence", "merchant_code_disputed", "invalid_merchant_code":
                    #expect(Self.text(evidence) == Self.text(lines[try #require(r.lineNumber) - 1]["classification"]), "\(label)")
                case "risk" where r.lineNumber != nil:
                    #expect(Self.text(evidence) == Self.text(lines[r.lineNumber! - 1]["risk"]), "\(label)")
                default:
                    break
                }
            }
            // What the store is given is what `evaluate` wrote.
            guard let order = v.order, v.state != .invalid else { continue }
            let new = Hub.newOrder(v, order: order, document: document, version: "v", millis: 0)
            #expect(new.evaluationJSON == v.text, "\(label)")
            #expect(new.decisions.map { [$0.input, $0.output, $0.evidence] } == v.decisions.map { [$0.input, $0.output, $0.evidence] }, "\(label)")
            #expect(new.reviews.map(\.evidence) == v.reviews.map(\.evidence), "\(label)")
        }
        #expect(states == [.invalid, .filed, .heldForReview], "\(states)")
        #expect(kinds.isSuperset(of: ["validation", "classification", "screening", "risk", "landed_cost", "filing", "routing"]), "\(kinds)")
        #expect(reviewReasons.contains("merchant_code_disputed") || reviewReasons.contains("low_confidence"), "\(reviewReasons)")
    }
}
