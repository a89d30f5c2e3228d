import AdapterKit
import Foundation
import JSONCore
import Mapping
import Pipeline
@testable import Relay
import Store
import Testing
import XMLMessages

/// A rendered JSON filing carries the tree its body was written from, and `Hub.submit` reads the
/// filing's references from that tree instead of parsing the body back: the two must give the
/// same references for every filing the fixture orders render.
@Suite("Filing references from the rendered tree")
struct FilingReferenceTreeTests {
    @Test func theTreeGivesWhatTheBodyGives() throws {
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        var jsonFilings = 0, xmlFilings = 0, xmlWithLRN = 0
        for (k, document) in try BatchTests.folder("valid").enumerated() {
            let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: 1000 + 8 * k)
            for filing in evaluation.filings {
                let body = Array(filing.rendered.body.utf8)
                let key = "m/\(k)/\(filing.adapter)/1"
                let parsed = FilingReferences.extract(body, idempotencyKey: key)
                if let message = filing.rendered.xmlMessage {
                    xmlFilings += 1
                    #expect(filing.rendered.body.hasPrefix("<"), "\(filing.adapter): an XML tree for a body that is not XML")
                    // Read from the tree, not scanned: the shortcut is taken for the filings the hub renders.
                    #expect(FilingReferences.xml(tree: message) != nil, "\(filing.adapter): the tree was not read")
                    let fromTree = FilingReferences.extract(body, idempotencyKey: key, xmlMessage: message)
                    #expect(fromTree == parsed, "\(filing.adapter) of order \(k)")
                    if fromTree.contains(where: { $0.kind == "lrn" }) { xmlWithLRN += 1 }
                } else if let tree = filing.rendered.jsonMessage {
                    jsonFilings += 1
                    #expect(JSONWriter.write(tree) == filing.rendered.body, "\(filing.adapter): the tree is not the body's")
                    let fromTree = FilingReferences.extract(body, idempotencyKey: key, jsonMessage: tree)
                    #expect(fromTree == parsed, "\(filing.adapter) of order \(k)")
                } else {
                    #expect(!filing.rendered.body.hasPrefix("{") && !filing.rendered.body.hasPrefix("<"),
                            "\(filing.adapter): a JSON or XML body without its tree")
                }
            }
        }
        // JSON and XML filings were both rendered, XML ones with an LRN among them.
        #expect(jsonFilings > 0 && xmlFilings > 0 && xmlWithLRN > 0, "\(jsonFilings) JSON, \(xmlFilings) XML filings, \(xmlWithLRN) with an LRN")
    }

    /// XML trees written by `XMLMessageWriter`: what the tree gives is what the scan of the body
    /// gives, whether the tree is read (prefixed and plain tags, arrays, nulls, an empty element
    /// passed by, an empty text, text with spaces around it) or refused to the scan (attributes or
    /// children on a reference element, text the writer escapes, a prefix the scan does not read).
    @Test func xmlTreesGiveWhatTheirBodiesGive() throws {
        let mapping = """
            mapping: refs
            direction: outbound
            canonical: order
            format: xml
            namespaces:
              md: urn:example:meta
              _: urn:example:dec
            rules:
              - to: /md:MetaData/md:Name
                value: DEC

            """
        var spec = try MappingLoader().load(mapping, file: "Mappings/refs.yaml")
        func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
        func message(_ members: [(String, JSONValue)]) -> JSONValue { object([("md:MetaData", object(members))]) }
        let cases: [(tree: JSONValue, read: Bool)] = [
            (message([("md:Name", .string("DEC")), ("Declaration", object([("FunctionalReferenceID", .string("F-1")), ("LRN", .string(" L-1 "))]))]), true),
            (message([("md:LRN", .null), ("List", .array([object([("x", .string("1"))]), object([("md:LRN", .string("L-2"))])])),
                      ("LRN", .string("not first")), ("md:RefNumHEA4", .number("42"))]), true),
            // `<LRN/>` has no content: the scan passes it by, and the next one is the LRN.
            (message([("LRN", object([])), ("Inner", object([("LRN", object([("_text", .string("L-3"))]))])), ("LocalReferenceNumber", .string(""))]), true),
            (message([("LRN", .array([.null, .string("L-4"), .string("L-5")])), ("LocalReferenceNumber", .bool(true))]), true),
            (message([("Other", .string("no reference"))]), true),
            (message([("LRN", object([("@scheme", .string("x")), ("_text", .string("L-6"))]))]), false),
            (message([("LRN", object([("Part", .string("L-7"))]))]), false),
            (message([("LRN", .string("A&B"))]), false),
            (message([("LRN", .string("L\n8"))]), false),
            (object([("LRN", object([("Inner", .string("root"))]))]), false),
        ]
        for (tree, read) in cases {
            let body = try XMLMessageWriter().write(tree, spec: spec)
            let message = XMLMessageTree(tree: tree, namespacePrefixes: spec.namespaces.map(\.prefix))
            #expect((FilingReferences.xml(tree: message) != nil) == read, "\(JSONWriter.write(tree))")
            #expect(FilingReferences.extract(body, idempotencyKey: "k", xmlMessage: message) == FilingReferences.extract(body, idempotencyKey: "k"),
                    "\(String(decoding: body, as: UTF8.self))")
        }
        // A prefix with a byte the scan does not read as a prefix's: the body is scanned.
        spec.namespaces = [(prefix: "my-ns", uri: "urn:example:meta")]
        let dashed = object([("my-ns:MetaData", object([("my-ns:LRN", .string("L-9"))]))])
        let body = try XMLMessageWriter().write(dashed, spec: spec)
        let message = XMLMessageTree(tree: dashed, namespacePrefixes: spec.namespaces.map(\.prefix))
        #expect(FilingReferences.xml(tree: message) == nil)
        #expect(FilingReferences.extract(body, idempotencyKey: "k", xmlMessage: message) == FilingReferences.extract(body, idempotencyKey: "k"))
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
