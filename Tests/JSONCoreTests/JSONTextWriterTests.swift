import JSONCore
import Testing

/// `JSONTextWriter` writes texts piece by piece; each must be byte for byte what `JSONWriter.write`
/// gives for the same value as a tree, with the separators, escapes and numbers of the tree writer.
@Suite struct JSONTextWriterTests {
    @Test func piecesWriteWhatTheTreeWrites() {
        let long = JSONValue.string(String(repeating: "part \"q\" \\ \u{1} é ", count: 6))
        let part = JSONValue.array((0..<4).map { n in .object(JSONObject([("n", .number("\(n).50")), ("why", long)])) })
        let expected: [JSONValue] = [
            .object(JSONObject([
                ("a\"b", .string("tab\there")), ("empty", .array([])), ("none", .object(JSONObject())),
                ("list", .array([.number("-1e3"), .null, .bool(false), .bool(true), .string(""), part, .array([.array([])]), .number("2"), .number("0.5")])),
                ("part", part), ("inner", .object(JSONObject([("x", .null), ("y", .object(JSONObject([("z", .string("é"))])))]))),
                ("copied", part), ("none_again", .null),
            ])),
            .string("alone"), .number("0"), .null, .array([]), .object(JSONObject()), .array([part, part]),
        ]

        var w = JSONTextWriter(capacity: 16)
        var texts: [String] = []
        w.beginObject()
        w.key("a\"b"); w.string("tab\there")
        w.key("empty"); w.beginArray(); w.endArray()
        w.key("none"); w.beginObject(); w.endObject()
        w.key("list")
        w.beginArray()
        w.number("-1e3"); w.null(); w.bool(false); w.bool(true); w.string("")
        let partStart = w.position
        w.value(part)
        let partRange = partStart..<w.position
        w.beginArray(); w.beginArray(); w.endArray(); w.endArray()
        w.number(2.0); w.number(0.5)
        w.endArray()
        w.key("part"); w.value(part)
        w.key("inner")
        w.beginObject()
        w.key("x"); w.string(orNull: nil)
        w.key("y"); w.value(.object(JSONObject([("z", .string("é"))])))
        w.endObject()
        // A value written before, taken from its range (its separator left out) and copied.
        let copied = w.fragment(partRange)
        w.key("copied"); w.fragment(copied)
        w.key("none_again"); w.null()
        w.endObject()
        texts.append(w.take())
        w.string("alone"); texts.append(w.take())
        w.number(0); texts.append(w.take())
        w.null(); texts.append(w.take())
        w.beginArray(); w.endArray(); texts.append(w.take())
        w.beginObject(); w.endObject(); texts.append(w.take())
        w.beginArray(); w.fragment(copied); w.fragment(JSONFragment { $0.value(part) }); w.endArray(); texts.append(w.take())

        #expect(texts == expected.map { JSONWriter.write($0) })
        #expect(copied.text == JSONWriter.write(part))
    }

    /// Strings of every length up to past the two words that short strings are copied and checked
    /// in, clean and with a byte to escape at each place (and non-ASCII), written as the `String`
    /// writer writes them; a literal key and a key made at run time alike.
    @Test func shortStringsOfEveryLengthAreWrittenAsTheStringWriterWritesThem() {
        var w = JSONTextWriter(capacity: 16)
        var checked = 0
        for n in 0...24 {
            var variants = [String(repeating: "k", count: n)]
            for i in 0..<n {
                for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é"] {
                    var chars = Array(repeating: "k", count: n)
                    chars[i] = special
                    variants.append(chars.joined())
                }
            }
            for s in variants {
                var expected = ""
                JSONWriter.writeString(s, into: &expected)
                w.string(s)
                #expect(w.take() == expected, "\(Array(s.utf8))")
                w.beginObject(); w.key(s); w.null(); w.endObject()
                #expect(w.take() == "{" + expected + ":null}", "\(Array(s.utf8))")
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    /// The helpers write what their long forms write.
    @Test func keysWithArraysAndOptionalStringsWriteTheirLongForms() {
        var w = JSONTextWriter()
        for (list, value) in [([], nil), (["a"], "v"), (["a", "b\"c", ""], "")] as [([String], String?)] {
            let numbers = list.indices.map { $0 * 7 - 1 }
            w.beginObject()
            w.key("list", strings: list)
            w.key("value", orNull: value)
            w.key("numbers", numbers: numbers)
            w.endObject()
            let short = w.take()
            w.beginObject()
            w.key("list"); w.beginArray(); for s in list { w.string(s) }; w.endArray()
            w.key("value"); w.string(orNull: value)
            w.key("numbers"); w.beginArray(); for n in numbers { w.number(n) }; w.endArray()
            w.endObject()
            #expect(short == w.take())
            #expect(short == JSONWriter.write(.object(JSONObject([
                ("list", .array(list.map(JSONValue.string))), ("value", value.map(JSONValue.string) ?? .null),
                ("numbers", .array(numbers.map { .number(String($0)) })),
            ]))))
        }
    }

    @Test func anEmptyWriterTakesAnEmptyText() {
        var w = JSONTextWriter()
        #expect(w.take() == "")
        w.string("x")
        w.removeAll()
        #expect(w.take() == "")
    }
}
