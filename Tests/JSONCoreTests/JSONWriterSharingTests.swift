import JSONCore
import Testing

/// `JSONWriter.write(sharing:)` writes a part several values share once and copies its bytes after
/// that; every text must be exactly what `write(_:)` gives for the value alone.
@Suite struct JSONWriterSharingTests {
    /// Arrays and objects above and below the size that is remembered, shared across texts, twice
    /// within one text, nested in each other, and equal parts built apart (not shared storage).
    @Test func eachTextIsWhatWritingItAloneGives() throws {
        let long = JSONValue.string(String(repeating: "candidate \"x\" \\ ", count: 8))
        let candidates = JSONValue.array((0..<6).map { n in
            .object(JSONObject([("hs6", .string("61091\(n)")), ("score", .number("0.\(n)")), ("why", long)]))
        })
        let small = JSONValue.array([.number("1"), .null])
        let evidence = JSONValue.object(JSONObject([("candidates", candidates), ("small", small), ("empty", .array([])),
                                                    ("none", .object(JSONObject()))]))
        let evaluation = JSONValue.object(JSONObject([
            ("lines", .array([evidence, evidence])), ("again", candidates), ("flag", .bool(true)),
        ]))
        // Equal to `candidates` but built apart: written on its own.
        let rebuilt = try JSONParser.parse(JSONWriter.write(candidates))
        let values: [JSONValue] = [
            evaluation, .object(JSONObject([("candidates", candidates), ("question", .null)])), small, candidates,
            .object(JSONObject([("evidence", evidence), ("rebuilt", rebuilt)])), .string("plain"), .number("12.50"), .null,
            .array([]), .object(JSONObject()),
        ]
        let shared = JSONWriter.write(sharing: values)
        #expect(shared.count == values.count)
        for (k, value) in values.enumerated() {
            #expect(shared[k] == JSONWriter.write(value), "text \(k)")
        }
        #expect(try JSONParser.parse(shared[0]) == evaluation)
    }

    @Test func noValuesNoTexts() {
        #expect(JSONWriter.write(sharing: []).isEmpty)
    }
}
