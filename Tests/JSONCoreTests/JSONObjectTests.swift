import JSONCore
import Testing

/// `JSONObject` scans small objects and keeps a key index only above a threshold. Lookups, member
/// order, removal, equality and what the writer prints must not depend on which side of the
/// threshold an object is, nor on how often it crossed it.
@Suite struct JSONObjectTests {
    /// Replays inserts, replacements and removals on an object and on a plain list of pairs, and
    /// compares them after every step; sizes run from empty to well above the threshold and back.
    @Test func lookupsAndOrderMatchAPlainListAcrossTheIndexThreshold() throws {
        var object = JSONObject()
        var model: [(String, JSONValue)] = []
        var generator = SystemRandomNumberGenerator()
        var steps: [(String, JSONValue?)] = []
        for n in 0..<30 { steps.append(("k\(n)", .number("\(n)"))) }          // grow past the threshold
        for n in stride(from: 0, to: 30, by: 3) { steps.append(("k\(n)", nil)) } // shrink across it
        for n in 0..<30 { steps.append(("k\(n)", .string("v\(n)"))) }        // re-add and replace
        for _ in 0..<400 {
            let key = "k\(Int.random(in: 0..<40, using: &generator))"
            steps.append((key, Bool.random(using: &generator) ? .bool(true) : nil))
        }
        for (key, value) in steps {
            object[key] = value
            if let i = model.firstIndex(where: { $0.0 == key }) {
                if let value { model[i].1 = value } else { model.remove(at: i) }
            } else if let value {
                model.append((key, value))
            }
            #expect(object.keys == model.map(\.0), "after setting \(key)")
            for n in 0..<40 {
                let k = "k\(n)"
                #expect(object[k] == model.first(where: { $0.0 == k })?.1, "\(k) after setting \(key)")
            }
            #expect(object == JSONObject(Array(model.reversed())), "equality ignores member order")
            let text = JSONWriter.write(.object(object))
            #expect(try JSONParser.parse(text) == .object(object))
            #expect(try JSONParser.parse(text).objectValue?.keys == model.map(\.0))
        }
    }

    /// Objects of every size up to twice the threshold: a parsed document finds each member, keeps
    /// the writer's order, refuses a duplicate, and prints back to the same text.
    @Test func parsedObjectsOfEverySizeFindEveryMember() throws {
        for size in 0...30 {
            let members = (0..<size).map { #""m\#($0)":\#($0)"# }
            let text = "{" + members.reversed().joined(separator: ",") + "}"
            let value = try JSONParser.parse(text)
            for n in 0..<size { #expect(value["m\(n)"] == .number("\(n)"), "size \(size), member m\(n)") }
            #expect(value["m\(size)"] == nil)
            #expect(JSONWriter.write(value) == text)
            if size > 0 {
                #expect(throws: JSONParseError.self) { try JSONParser.parse("{" + members.joined(separator: ",") + #","m0":1}"#) }
            }
        }
    }

    /// Built from pairs, a repeated key keeps its first place with the last value, keys equal only
    /// as strings (canonically equivalent) included, at every size.
    @Test func pairsWithRepeatedKeysKeepTheFirstPlaceAndTheLastValue() {
        for n in [2, 3, 12, 13, 32, 33, 40] {
            var pairs: [(String, JSONValue)] = (0..<n).map { ("key_with_a_long_prefix_\($0)", .number(String($0))) }
            #expect(JSONObject(pairs).keys == pairs.map(\.0))
            pairs.append(("key_with_a_long_prefix_1", .string("last")))
            pairs.append(("caf\u{E9}", .number("1")))
            pairs.append(("cafe\u{301}", .number("2")))
            let object = JSONObject(pairs)
            #expect(object.count == n + 1)
            #expect(object["key_with_a_long_prefix_1"] == .string("last"))
            #expect(object.keys[1] == "key_with_a_long_prefix_1")
            #expect(object["caf\u{E9}"] == .number("2"))
            #expect(object.keys.last == "caf\u{E9}")
        }
    }
}

