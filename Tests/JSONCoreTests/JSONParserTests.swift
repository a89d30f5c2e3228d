import JSONCore
import Testing

@Suite struct JSONParserTests {
    @Test func numbersStayExact() throws {
        let v = try JSONParser.parse(#"{"a": 0.1, "b": 12345678901234567890.123456789, "c": -0, "d": 1e-7}"#)
        #expect(v["a"] == .number("0.1"))
        #expect(v["b"] == .number("12345678901234567890.123456789"))
        #expect(v["c"] == .number("-0"))
        #expect(v["d"] == .number("1e-7"))
    }

    @Test func keepsMemberOrderAndDecodesEscapes() throws {
        let v = try JSONParser.parse(#"{"z": "a\"b\\c\n\u00e9\ud83d\ude00", "a": [true, false, null]}"#)
        #expect(v.objectValue?.keys == ["z", "a"])
        #expect(v["z"]?.stringValue == "a\"b\\c\né😀")
        #expect(v["a"] == .array([.bool(true), .bool(false), .null]))
    }

    @Test(arguments: [
        ("{\n  \"a\": 1,\n}", 3, 1, "expected a quoted member name"),
        ("[1, 2", 1, 6, "unterminated array"),
        ("{\"a\": 01}", 1, 8, "leading zeros"),
        ("{\"a\": tru}", 1, 10, "expected a value"),
        ("", 1, 1, "empty document"),
        ("{} {}", 1, 4, "after the end of the document"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate member name"),
        ("\"\\x\"", 1, 3, "invalid escape"),
        ("\"\\ud800\"", 1, 7, "unpaired high surrogate"),
        ("\"tab\there\"", 1, 5, "control character"),
    ])
    func reportsWhereInputIsBroken(input: String, line: Int, column: Int, fragment: String) {
        #expect {
            _ = try JSONParser.parse(input)
        } throws: { error in
            guard let e = error as? JSONParseError else { return false }
            return e.position.line == line && e.position.column == column && e.message.contains(fragment)
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func limitsDepthAndSize() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        #expect(throws: JSONParseError.self) {
            try JSONParser.parse(#"{"a": "0123456789"}"#, limits: JSONParseLimits(maxBytes: 10))
        }
        #expect(throws: JSONParseError.self) {
            try JSONParser.parse(#"{"a": "0123456789"}"#, limits: JSONParseLimits(maxStringBytes: 5))
        }
        #expect((try? JSONParser.parse(deep, limits: JSONParseLimits(maxDepth: 100))) != nil)
    }

    /// Plain ASCII strings are taken whole; the string limit, errors and their places stay those
    /// of the byte-by-byte reading (exactly at the limit is accepted, one byte over is not).
    @Test func stringFastPathKeepsLimitsAndErrors() throws {
        let limits = JSONParseLimits(maxStringBytes: 5)
        #expect(try JSONParser.parse(#"["abcde"]"#, limits: limits) == .array([.string("abcde")]))
        #expect(try JSONParser.parse(#"["ab\"de"]"#, limits: limits) == .array([.string("ab\"de")]))
        func failure(_ text: String, _ limits: JSONParseLimits = .default) -> String? {
            do {
                _ = try JSONParser.parse(text, limits: limits)
                return nil
            } catch {
                return "\(error.message) @\(error.position.offset)"
            }
        }
        for text in [#"["abcdef"]"#, #"["ab\"def"]"#, #"["abcdé"]"#] {
            #expect(failure(text, limits) == "string longer than 5 bytes @1", "\(text)")
        }
        #expect(failure(#"["abc"#) == "unterminated string @1")
        #expect(failure("[\"ab\nc\"]") == "control character byte 0xA inside a string must be escaped @4")
        #expect(try JSONParser.parse(#"{"k":"plain","é":"ü","e":"a\u00e9"}"#) == .object(JSONObject([("k", .string("plain")), ("é", .string("ü")), ("e", .string("aé"))])))
    }

    /// `parse(_:keepingLevels:)` gives the full tree with the containers below the kept levels as
    /// null, and refuses exactly what `parse` refuses, with the same message at the same place,
    /// wherever in the document the fault is.
    @Test func keepingLevelsIsTheFullParseCut() throws {
        func cut(_ v: JSONValue, _ levels: Int, _ depth: Int = 0) -> JSONValue {
            switch v {
            case .array(let items): depth >= levels ? .null : .array(items.map { cut($0, levels, depth + 1) })
            case .object(let o): depth >= levels ? .null : .object(JSONObject(distinct: o.members.map { ($0.key, cut($0.value, levels, depth + 1)) }))
            default: v
            }
        }
        let documents = [
            #"{"reference": "R-1", "data": {"lrn": "L", "items": [{"a": 1}, {"b": [2, 3]}], "n": 1.50}, "order": [], "x": {}}"#,
            #"[1, "two", {"three": [3, {"four": 4}]}, [], {}]"#, #""top""#, "12.5", "null",
            #"{"k":"plain","é":"ü","e":"a\u00e9","deep":{"deeper":{"deepest":["\ud83d\ude00", -0, 1e3, true, false, null]}}}"#,
        ]
        for text in documents {
            let full = try JSONParser.parse(text)
            for levels in 0...4 {
                #expect(try JSONParser.parse(Array(text.utf8), keepingLevels: levels) == cut(full, levels), "\(text) @\(levels)")
            }
        }
        func failure(_ bytes: [UInt8], _ levels: Int?, _ limits: JSONParseLimits = .default) -> String? {
            do {
                if let levels { _ = try JSONParser.parse(bytes, keepingLevels: levels, limits: limits) } else { _ = try JSONParser.parse(bytes, limits: limits) }
                return nil
            } catch {
                return "\(error.message) @\(error.position.offset)"
            }
        }
        let broken: [[UInt8]] = [
            #"{"a": {"b": {"c": 1, "c": 2}}}"#, #"{"a": {"b": [{"c": "\x"}]}}"#, #"{"a": {"b": [01]}}"#,
            #"{"a": {"b": ["\ud800"]}}"#, "{\"a\": {\"b\": [\"tab\there\"]}}", #"{"a": {"b": [1, 2}}"#, #"{"a": {"b": [tru]}}"#,
            #"{"a": {"b": {"c": "0123456789"}}}"#, #"{"a": {"b": [1e]}}"#, #"{"a": {"b": [1]}} x"#,
        ].map { Array($0.utf8) } + [Array(#"{"a": {"b": [""#.utf8) + [0xFF, 0x22, 0x5D, 0x7D, 0x7D]]
        for bytes in broken {
            let expected = failure(bytes, nil, JSONParseLimits(maxStringBytes: 8))
            #expect(expected != nil)
            for levels in 0...3 {
                #expect(failure(bytes, levels, JSONParseLimits(maxStringBytes: 8)) == expected, "\(String(decoding: bytes, as: UTF8.self)) @\(levels)")
            }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(failure(Array(deep.utf8), 2) == failure(Array(deep.utf8), nil))
    }

    @Test func toleratesByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number("1")]))
    }

    @Test func writerRoundTrips() throws {
        let text = #"{"b":[1,2.50,{"c":null}],"a":"line\nbreak \u0001 \"q\"","n":-1.0e+3}"#
        let v = try JSONParser.parse(text)
        let written = JSONWriter.write(v)
        #expect(try JSONParser.parse(written) == v)
        #expect(written.contains("2.50"))
    }
}

@Suite struct JSONPathTests {
    @Test func printsAndParsesDottedPaths() {
        let p = JSONPath.root / "lines" / 2 / "origin_country"
        #expect(p.description == "lines[2].origin_country")
        #expect(JSONPath.parse("lines[2].origin_country") == p)
        #expect(JSONPath.root.description == "$")
        #expect(JSONPath.parse("$") == .root)
        #expect(p.pointer == "/lines/2/origin_country")
    }

    @Test func resolvesPointers() throws {
        let v = try JSONParser.parse(#"{"a/b": {"c~d": [10, 20]}}"#)
        #expect(v.value(atPointer: "/a~1b/c~0d/1") == .number("20"))
        #expect(v.value(atPointer: "/a~1b/c~0d/2") == nil)
        #expect(v.value(atPointer: "") == v)
    }
}

@Suite struct JSONSchemaTests {
    let schema: JSONSchema

    init() throws {
        schema = try JSONSchema(text: """
            {"type": "object", "required": ["id", "items"], "additionalProperties": false,
             "properties": {
               "id": {"type": "string", "minLength": 1, "pattern": "^[A-Z]+-[0-9]+$"},
               "kind": {"enum": ["a", "b"]},
               "count": {"type": "integer", "minimum": 1, "maximum": 10},
               "price": {"$ref": "#/$defs/decimal"},
               "items": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}}}
             },
             "$defs": {"decimal": {"anyOf": [{"type": "string", "pattern": "^[0-9]+(\\\\.[0-9]+)?$"}, {"type": "number"}]}}}
            """)
    }

    @Test func acceptsValidDocument() throws {
        let doc = try JSONParser.parse(#"{"id": "AB-12", "kind": "a", "count": 3, "price": "9.99", "items": [{"sku": "x"}]}"#)
        #expect(schema.validate(doc).isEmpty)
    }

    @Test func reportsEveryViolationWithItsPath() throws {
        let doc = try JSONParser.parse(#"{"id": "ab", "kind": "c", "count": 2.5, "price": true, "items": [{}], "extra": 1}"#)
        let found = Set(schema.validate(doc).map { "\($0.path)|\($0.keyword)" })
        #expect(found == ["id|pattern", "kind|enum", "count|type", "price|anyOf", "items[0].sku|required", "extra|additionalProperties"])
    }

    @Test func checksBoundsAndEmptiness() throws {
        let doc = try JSONParser.parse(#"{"id": "", "count": 11, "items": []}"#)
        let found = Set(schema.validate(doc).map { "\($0.path)|\($0.keyword)" })
        #expect(found.isSuperset(of: ["id|minLength", "count|maximum", "items|minItems"]))
    }

    /// The schema is compiled once at load: a `$ref` that refers back to itself (a tree) must
    /// compile to a loop, not recurse for ever, and check every level with its own path.
    @Test func recursiveReferencesCheckEveryLevel() throws {
        let tree = try JSONSchema(text: ##"""
            {"$ref": "#/$defs/node",
             "$defs": {"node": {"type": "object", "required": ["name"], "additionalProperties": false,
                                "properties": {"name": {"type": "string", "minLength": 1},
                                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}}
            """##)
        let good = try JSONParser.parse(#"{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}"#)
        #expect(tree.validate(good).isEmpty)
        let bad = try JSONParser.parse(#"{"name": "a", "children": [{"name": "b", "children": [{"name": "", "x": 1}, {}]}]}"#)
        #expect(tree.validate(bad).map { "\($0.path)|\($0.keyword)|\($0.message)" } == [
            "children[0].children[0].name|minLength|must not be empty",
            "children[0].children[0].x|additionalProperties|is not a known field",
            "children[0].children[1].name|required|is required",
        ])
    }

    @Test func rejectsUnsupportedKeywordsAndBrokenRefs() {
        #expect(throws: SchemaError.self) { try JSONSchema(text: #"{"type": "object", "dependentRequired": {}}"#) }
        #expect(throws: SchemaError.self) { try JSONSchema(text: ##"{"$ref": "#/$defs/missing"}"##) }
        #expect(throws: SchemaError.self) { try JSONSchema(text: #"{"type": "string", "pattern": "("}"#) }
    }
}
