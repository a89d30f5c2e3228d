import ChildProcess
import JSONCore
import Testing

/// The writer appends bytes; the `String` form of `writeString` (used by hand-written writers
/// elsewhere) appends text. Both must escape the same way.
@Suite struct JSONWriterTests {
    @Test func bytesAndTextEscapeAlike() throws {
        var samples = ["", "plain", "quote \" and \\ backslash", "tab\tnew\nline\rcr", "é ü 漢字 🚚", "e\u{301}"]
        samples += (0..<0x20).map { "c\(String(UnicodeScalar(UInt8($0))))c" }
        // Escapes first, last, side by side, and between runs of plain and non-ASCII text.
        samples += ["\"", "\"\"", "\\start", "end\n", "\n\t\r\u{0}", "<a href=\"x\">é \"ü\"</a>\n" + String(repeating: "long run ", count: 40) + "\\"]
        /// Bytes and text agree, and the text reads back as `s`.
        func escapeAlike(_ s: String) throws {
            var bytes: [UInt8] = []
            JSONWriter.writeString(s, into: &bytes)
            var text = ""
            JSONWriter.writeString(s, into: &text)
            #expect(String(decoding: bytes, as: UTF8.self) == text, "\(s.debugDescription)")
            // The tree writer's own buffer, and its `String` made stretch by stretch around non-ASCII runs.
            #expect(JSONWriter.write(.string(s)) == text, "\(s.debugDescription) in a tree")
            #expect(JSONWriter.write(.array([.string(s), .number("1"), .string(s)])) == "[\(text),1,\(text)]")
            #expect(try JSONParser.parse(text) == .string(s), "\(s.debugDescription) reads back")
        }
        for s in samples { try escapeAlike(s) }
        #expect(JSONWriter.write(.string("\u{1}")) == #""\u0001""#)
        #expect(JSONWriter.write(.string("\u{1F}")) == #""\u001f""#)
        // The writer skips eight bytes at a time while none needs escaping: every escape at every
        // offset of a word, and bytes either side of the tests' limits (0x1F/0x20, 0x21-0x23,
        // 0x5B-0x5D, 0x7F, 0x80 and above).
        let pieces = ["a", "\"", "\\", "\u{1F}", " ", "!", "#", "[", "]", "\u{7F}", "\u{80}", "é", "🚚", "\n", "\u{0}"]
        var g = SplitMix(seed: 0x4A53_4F4E)  // seeded: a failure replays
        for length in 0..<40 {
            for _ in 0..<25 {
                try escapeAlike((0..<length).map { _ in Int.random(in: 0..<4, using: &g) == 0 ? pieces.randomElement(using: &g)! : "x" }.joined())
            }
        }
        let tree = JSONValue.object(JSONObject([("a", .array([.null, .bool(true), .bool(false), .number("1.50")])), ("b\"", .object(JSONObject()))]))
        #expect(JSONWriter.write(tree) == #"{"a":[null,true,false,1.50],"b\"":{}}"#)
    }

    /// Texts with many runs of non-ASCII characters between ASCII ones (past the writer's limit of
    /// stretches made one by one), and the same texts written by `JSONTextWriter` and copied.
    @Test func nonASCIIRunsComeOutWhole() throws {
        let words = ["é", "漢字", "🚚", "e\u{301}", "ascii", " ", "\"q\"", "\u{7F}", "ü\u{80}ß"]
        var g = SplitMix(seed: 0x5255_4E53)
        for count in [1, 2, 63, 64, 65, 200] {
            let s = (0..<count).map { _ in words.randomElement(using: &g)! }.joined()
            var text = ""
            JSONWriter.writeString(s, into: &text)
            #expect(JSONWriter.write(.string(s)) == text)
            #expect(try JSONParser.parse(JSONWriter.write(.string(s))) == .string(s))
            let tree = JSONValue.object(JSONObject([("k", .string(s)), ("é", .array([.string(s), .string(String(repeating: "x", count: 70))]))]))
            var w = JSONTextWriter()
            w.value(tree)
            let whole = w.take()
            w.beginArray()
            w.fragment(JSONFragment { $0.value(tree["é"]!) })
            w.string(s)
            w.endArray()
            #expect([whole, w.take()] == [JSONWriter.write(tree), JSONWriter.write(.array([tree["é"]!, .string(s)]))])
        }
    }

    /// Short strings of every length up to a word with an escape anywhere.
    @Test func shortStrings() {
        for length in 0...9 {
            for at in 0..<max(length, 1) {
                for special in ["\"", "\\", "\n", "\u{1}", "é"] {
                    var chars = Array(repeating: "a", count: length)
                    if length > 0 { chars[at] = special }
                    let s = chars.joined()
                    var text = ""
                    JSONWriter.writeString(s, into: &text)
                    #expect(JSONWriter.write(.array([.string(s), .string(s)])) == "[\(text),\(text)]", "\(s.debugDescription)")
                }
            }
        }
    }
}

