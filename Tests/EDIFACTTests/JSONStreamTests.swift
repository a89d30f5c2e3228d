import EDIFACT
import Foundation
import JSONCore
import Testing

/// The reader's events for `bytes` fed `chunk` bytes at a time, as a pipe delivers them: the
/// streamed writers must not depend on where the reads split the input.
func readInChunks(_ bytes: [UInt8], chunk: Int, _ body: (EDIFACTReader.Event) -> Void) {
    var reader = EDIFACTReader()
    var i = 0
    while i < bytes.count {
        reader.feed(Array(bytes[i..<min(i + chunk, bytes.count)]))
        while let e = reader.next() { body(e) }
        i += chunk
    }
    reader.finish()
    while let e = reader.next() { body(e) }
}

/// `edifact parse` writes the tree as it reads (issue #21: 50k small messages took 293 MB); the
/// streamed text must be the bytes the whole `Document` encodes to.
@Suite struct DocumentJSONStreamTests {
    static func streamed(_ bytes: [UInt8], chunk: Int = 7) -> String {
        func events(_ body: (EDIFACTReader.Event) -> Void) { readInChunks(bytes, chunk: chunk, body) }
        var outline = DocumentOutline()
        events { outline.add($0) }
        var stream = DocumentJSONStream(outline: outline)
        var out = ""
        events { stream.add($0, into: &out) }
        stream.finish(into: &out)
        return out
    }

    static func whole(_ bytes: [UInt8]) throws -> String {
        JSONWriter.write(try JSONValueEncoder().encode(EDIFACTReader.read(bytes)))
    }

    static let inputs: [(String, String)] = [
        ("groups", "UNB+UNOC:3+A+B+260101:1200+1'UNG+CUSDEC+A+B+260101:1200+G1+UN+D:96B'UNH+1+CUSDEC:D:96B:UN'BGM+929'UNT+3+1'UNE+1+G1'UNZ+1+1'"),
        ("mixed, loose first", "UNB+UNOC:3+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'UNT+2+1'UNG+CUSDEC+A+B+260101:1200+G1'UNH+2+CUSDEC:D:96B:UN'UNT+2+2'UNE+1+G1'UNH+3+X:D:96B:UN'UNT+2+3'UNZ+3+1'"),
        ("mixed, group first", "UNB+UNOC:3+A+B+260101:1200+1'UNG+X+A+B+260101:1200+G1'UNH+2+X:D:96B:UN'UNT+2+2'UNE+1+G1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+2+1'"),
        ("no trailers", "UNA:+.? 'UNB+UNOC:3+A+B+260101:1200+1'UNG+X+A+B+260101:1200+G1'UNH+1+X:D:96B:UN'FTX+A?+B+C:D*E+\"q\\\"'"),
        ("two interchanges, repetition", "UNB+UNOC:4+A+B+20260101:1200+1'UNH+1+X:D:96B:UN'NAD+BY*SE+x'UNT+3+1'UNZ+1+1'UNB+UNOC:3+A+B+260101:1200+2'UNZ+0+2'"),
        ("no envelope", "UNH+1+X:D:96B:UN'BGM+1'UNT+2+1'"),
        ("garbage", "\u{1b}hello'world"),
        ("empty", ""),
    ]

    @Test(arguments: inputs)
    func streamedTextIsTheDocumentsText(_ name: String, _ text: String) throws {
        let bytes = Array(text.utf8)
        #expect(Self.streamed(bytes) == (try Self.whole(bytes)), "\(name)")
    }

    @Test func fixturesAndRegressionsStreamToTheSameText() throws {
        var names = try Fixtures.allEdifact()
        names += try Fixtures.allEdifact(in: "synthetic").map { "synthetic/" + $0 }
        names += try Fixtures.allEdifact(in: "regressions").map { "regressions/" + $0 }
        try #require(names.count > 20)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            #expect(Self.streamed(bytes, chunk: 4096) == (try Self.whole(bytes)), "\(name)")
        }
    }
}

@Suite struct DiagnosticJSONTests {
    static func encoded(_ d: Diagnostic) throws -> String { JSONWriter.write(try JSONValueEncoder().encode(d)) }

    @Test func directTextIsTheEncodersText() throws {
        var all: [Diagnostic] = [
            Diagnostic(code: nil, severity: .warning, message: "plain"),
            Diagnostic(code: 12, message: "all \"fields\"\n\u{1}", segmentIndex: 3, offset: 40, interchangeIndex: 0, messageRef: "M\\1",
                       messageIndex: 2, groupRef: "G", segmentTag: "FTX", positionInMessage: 5, elementPosition: 1, componentPosition: 2,
                       groupPath: "SG1 > SG2"),
        ]
        let grammars = try Grammars.load()
        for name in try Fixtures.allEdifact() + (try Fixtures.allEdifact(in: "synthetic")).map({ "synthetic/" + $0 }) {
            let d = EDIFACTReader.read(try Fixtures.bytes(name))
            all += d.errors + d.warnings
            for (i, ic) in d.interchanges.enumerated() {
                for (j, m) in ic.allMessages.enumerated() {
                    if let g = grammars.resolve(type: m.type, directory: m.directory) {
                        all += StructureValidator(grammar: g).validate(m, messageIndex: j, interchangeIndex: i)
                    }
                }
            }
        }
        try #require(all.count > 20)
        for d in all {
            var text = ""
            d.writeJSON(into: &text)
            #expect(text == (try Self.encoded(d)))
        }
    }
}
