import AdapterKit
import Foundation
import JSONCore
import Pipeline
import Relay
import Store
import Testing

/// A rendered JSON filing carries the tree its body was written from, and `Hub.submit` reads the
/// filing's references from that tree instead of parsing the body back: the two must give the
/// same references for every filing the fixture orders render.
@Suite("Filing references from the rendered tree")
struct FilingReferenceTreeTests {
    @Test func theTreeGivesWhatTheBodyGives() throws {
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        var jsonFilings = 0, otherFilings = 0
        for (k, document) in try BatchTests.folder("valid").enumerated() {
            let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: 1000 + 8 * k)
            for filing in evaluation.filings {
                let body = Array(filing.rendered.body.utf8)
                let key = "m/\(k)/\(filing.adapter)/1"
                let parsed = FilingReferences.extract(body, idempotencyKey: key)
                if let tree = filing.rendered.jsonMessage {
                    jsonFilings += 1
                    #expect(JSONWriter.write(tree) == filing.rendered.body, "\(filing.adapter): the tree is not the body's")
                    let fromTree = FilingReferences.extract(body, idempotencyKey: key, jsonMessage: tree)
                    #expect(fromTree == parsed, "\(filing.adapter) of order \(k)")
                } else {
                    otherFilings += 1
                    #expect(!filing.rendered.body.hasPrefix("{"), "\(filing.adapter): a JSON body without its tree")
                }
            }
        }
        // JSON and other filings were both rendered.
        #expect(jsonFilings > 0 && otherFilings > 0, "\(jsonFilings) JSON, \(otherFilings) other filings")
    }

    /// References at the top, under `data` and under `order`, numbers and deeper members left out,
    /// a repeat kept once: the tree gives what parsing its text gives.
    @Test func treesWithReferencesGiveWhatTheirTextGives() throws {
        let trees: [JSONValue] = [
            .object(JSONObject([("lrn", .string("L-1")), ("tracking_code", .string("T-1")), ("reference", .number("7")),
                                ("data", .object(JSONObject([("external_reference", .string("E-1")), ("lrn", .string("L-1")),
                                                             ("deeper", .object(JSONObject([("lrn", .string("no"))])))]))),
                                ("order", .object(JSONObject([("order_reference", .string("O-\u{1}\"é")), ("reference", .string(""))])))])),
            .object(JSONObject([("shipment", .object(JSONObject([("reference", .string("not read"))])))])),
            .object(JSONObject()),
        ]
        var found = 0
        for tree in trees {
            let body = Array(JSONWriter.write(tree).utf8)
            let parsed = FilingReferences.extract(body, idempotencyKey: "k")
            #expect(FilingReferences.extract(body, idempotencyKey: "k", jsonMessage: tree) == parsed, "\(JSONWriter.write(tree))")
            found += parsed.count - 1
        }
        #expect(found == 4)
    }

    /// A tree that is not the body's is never consulted for a body that is not JSON.
    @Test func aTreeIsReadOnlyForAJSONBody() {
        let tree: JSONValue = .object(JSONObject([("lrn", .string("FROM-TREE"))]))
        let xml = Array("<r><LRN>FROM-BODY</LRN></r>".utf8)
        #expect(FilingReferences.extract(xml, idempotencyKey: "k", jsonMessage: tree).map(\.value) == ["k", "FROM-BODY"])
        let json = Array(#"{"lrn":"FROM-TREE"}"#.utf8)
        #expect(FilingReferences.extract(json, idempotencyKey: "k", jsonMessage: tree).map(\.value) == ["k", "FROM-TREE"])
    }
}
