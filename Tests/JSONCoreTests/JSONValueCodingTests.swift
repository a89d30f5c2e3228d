import Foundation
import JSONCore
import Testing

/// `JSONValueEncoder`/`JSONValueDecoder` replace the JSONCore → text → `JSONDecoder` round trip:
/// they must give the tree `JSONEncoder` (sorted keys, no escaped slashes) would have written,
/// keep decimals exact, and name the member in their errors.
@Suite struct JSONValueCodingTests {
    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var amount: Decimal
            var note: String?
        }
        var name: String
        var count: Int
        var ratio: Double
        var flags: [Bool]
        var inner: Inner
        var list: [Inner]
        var url: URL
        var blob: Data
        var optional: Int?
        var small: UInt8
        var Upper: String
        var item10: Int
        var item2: Int
        var under_score: Int
        var dict: [String: Int]
    }

    static let sample = Sample(
        name: "a/b \"q\" é", count: -42, ratio: 2, flags: [true, false],
        inner: .init(amount: Decimal(string: "12.30")!, note: nil),
        list: [.init(amount: Decimal(string: "0.000001")!, note: "x"), .init(amount: 7, note: "")],
        url: URL(string: "https://example.com/a?b=c")!, blob: Data([0, 1, 2, 255]), optional: nil, small: 200,
        Upper: "U", item10: 10, item2: 2, under_score: 1, dict: ["b": 2, "a": 1, "B": 3, "_": 4])

    @Test func encodesTheTreeJSONEncoderWrites() throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try JSONParser.parse(Array(try foundation.encode(Self.sample)))
        let tree = try JSONValueEncoder().encode(Self.sample)
        #expect(tree == expected)
        // Same member order too, so text written from the tree reads as CanonicalJSON's did.
        #expect(tree.objectValue?.keys == expected.objectValue?.keys)
        #expect(tree["dict"]?.objectValue?.keys == expected["dict"]?.objectValue?.keys)
        #expect(tree["ratio"] == .number("2"))
    }

    @Test func roundTripsAndMatchesJSONDecoder() throws {
        let tree = try JSONValueEncoder().encode(Self.sample)
        let back = try JSONValueDecoder().decode(Sample.self, from: tree)
        #expect(back == Self.sample)
        let viaText = try JSONDecoder().decode(Sample.self, from: Data(JSONWriter.write(tree).utf8))
        #expect(back == viaText)
    }

    @Test func decimalsStayExact() throws {
        struct D: Codable { var v: Decimal }
        let digits = "12345678901234567890.123456789012345678"
        let d = try JSONValueDecoder().decode(D.self, from: Array("{\"v\": \(digits)}".utf8))
        #expect(ExactDecimal.text(d.v) == digits)
        #expect(try JSONValueEncoder().encode(d)["v"] == .number(digits))
        // More digits than a Decimal holds: refused at its path rather than rounded.
        #expect {
            try JSONValueDecoder().decode(D.self, from: Array("{\"v\": 1234567890123456789012345678901234567890.5}".utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let c) = error else { return false }
            return c.codingPath.map(\.stringValue) == ["v"]
        }
    }

    @Test func errorsNameTheMember() throws {
        let doc = try JSONParser.parse(#"{"name":"n","count":1.5,"ratio":1,"flags":[],"inner":{"amount":1},"list":[{"amount":"x"}]}"#)
        #expect {
            try JSONValueDecoder().decode(Sample.self, from: doc)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let c) = error else { return false }
            return c.codingPath.map(\.stringValue) == ["count"]
        }
        let missing = try JSONParser.parse(#"{"name":"n","count":1,"ratio":1,"flags":[],"inner":{"amount":1},"list":[{"amount":"x"}]}"#)
        #expect {
            try JSONValueDecoder().decode(Sample.self, from: missing)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let c) = error else { return false }
            return c.codingPath.map(\.stringValue) == ["list", "Index 0", "amount"]
        }
        #expect(throws: JSONParseError.self) { try JSONValueDecoder().decode(Sample.self, from: Array("{\"name\":".utf8)) }
    }

    /// The encoder builds its coding path only on an error; it must still be the full path.
    @Test func encodingErrorsNameThePathAndLargeObjectsKeepEveryMember() throws {
        struct Leaf: Encodable { var x: Double }
        struct Tree: Encodable { var list: [Leaf]; var map: [String: Leaf] }
        #expect {
            try JSONValueEncoder().encode(Tree(list: [Leaf(x: 1), Leaf(x: .nan)], map: [:]))
        } throws: { error in
            guard case EncodingError.invalidValue(_, let c) = error else { return false }
            return c.codingPath.map(\.stringValue) == ["list", "Index 1", "x"]
        }
        let many = Dictionary(uniqueKeysWithValues: (0..<40).map { ("k\($0)", Leaf(x: Double($0))) })
        let tree = try JSONValueEncoder().encode(Tree(list: [], map: many))
        let map = try #require(tree["map"]?.objectValue)
        #expect(map.count == 40)
        #expect(map.keys == many.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(map["k39"]?["x"] == .number("39"))
    }

    @Test func exactDecimalRefusesWhatDecimalStringReadsByPrefix() {
        for bad in ["1.2.3", "14.50.99", "12abc", "", ".", "+", "1e", "1e99999", String(repeating: "9", count: 39)] {
            #expect(ExactDecimal.parse(bad) == nil, "\(bad)")
        }
        for (text, plain) in [("1", "1"), (" 12.50 ", "12.5"), ("-0.003", "-0.003"), (".5", "0.5"), ("1e3", "1000"), ("+7", "7")] {
            #expect(ExactDecimal.parse(text).map(ExactDecimal.text) == plain, "\(text)")
        }
        #expect(ExactDecimal.text(Decimal(string: "20.7")!, minimumPlaces: 2) == "20.70")
        #expect(ExactDecimal.text(5, minimumPlaces: 3) == "5.000")
        #expect(ExactDecimal.text(Decimal(string: "1.2345")!, minimumPlaces: 2) == "1.2345")
        #expect(ExactDecimal.text(5, minimumPlaces: 0) == "5")
    }

    /// `isPlain` lets `scalarText` skip the round trip through `Decimal`: it may only say yes to text
    /// the round trip gives back unchanged, and `parse`'s shortcut past trimming must read the same.
    @Test func plainTextIsWhatTheRoundTripGivesBack() {
        var texts = ["0", "-0", "00", "0.5", "-0.5", "0.50", "1", "-1", "10", "100", "12.5", "12.50", "1.05", "0.001", "-0.0",
                     "007", "1.", ".5", "1e3", "+7", " 1", "1 ", "\t2", "2\u{A0}", "\u{2003}3", "١٢", "1_0", "--1", "-", "",
                     String(repeating: "9", count: 38), String(repeating: "9", count: 39), "0." + String(repeating: "1", count: 36),
                     "-" + String(repeating: "1", count: 37), "-" + String(repeating: "1", count: 38)]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.-")
        for _ in 0..<5000 {
            texts.append(String((0..<Int.random(in: 1...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        var plain = 0
        for text in texts {
            let roundTrip = ExactDecimal.parse(text).map(ExactDecimal.text)
            if ExactDecimal.isPlain(text) {
                plain += 1
                #expect(roundTrip == text, "\(text)")
            }
            #expect(JSONValue.number(text).scalarText == (roundTrip ?? text), "\(text)")
        }
        #expect(plain > 100)
        for (text, value) in [(" 1", "1"), ("1 ", "1"), ("\t2", "2"), ("2\u{A0}", "2"), ("\u{2003}3", "3")] {
            #expect(ExactDecimal.parse(text).map(ExactDecimal.text) == value, "\(text)")
        }
    }
}

/// One text for a scalar, wherever a value becomes a field, a key or a message.
@Suite struct ScalarTextTests {
    @Test func numbersAreWrittenAsTheirPlainDecimal() {
        #expect(JSONValue.number("1e3").scalarText == "1000")
        #expect(JSONValue.number("12.50").scalarText == "12.5")
        #expect(JSONValue.number("-0.003").scalarText == "-0.003")
        #expect(JSONValue.string("12.50").scalarText == "12.50")
        #expect(JSONValue.bool(true).scalarText == "true")
        #expect(JSONValue.null.scalarText == nil)
        #expect(JSONValue.array([]).scalarText == nil)
        // Beyond what a Decimal holds: kept as written rather than rounded.
        let long = String(repeating: "9", count: 40)
        #expect(JSONValue.number(long).scalarText == long)
    }

    @Test func theFormatKeywordIsRefusedRatherThanIgnored() throws {
        #expect(throws: SchemaError.self) { try JSONSchema(text: #"{"type": "string", "format": "date"}"#) }
        #expect(throws: SchemaError.self) { try JSONSchema(text: #"{"properties": {"d": {"format": "email"}}}"#) }
        // A property named "format" is a name, not the keyword.
        _ = try JSONSchema(text: #"{"properties": {"format": {"type": "string"}}}"#)
    }
}
