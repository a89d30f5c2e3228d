import EDIFACT
import Foundation
import Testing

@Suite struct WriterRoundTripTests {
    /// Every data byte a service character under the usual UNA, and the usual ones as separators swapped around.
    static let hostile = Delimiters(
        component: UInt8(ascii: "'"), element: UInt8(ascii: "?"), decimalMark: UInt8(ascii: ","),
        release: UInt8(ascii: ":"), repetition: nil, segment: UInt8(ascii: "+"))

    @Test func everyFixtureRoundTripsUnderItsOwnDelimiters() throws {
        for name in try Fixtures.allEdifact() {
            let first = EDIFACTReader.read(try Fixtures.bytes(name))
            for layout in [EDIFACTWriter.Options.segmentPerLine, .singleLine] {
                var writer = EDIFACTWriter(options: layout)
                let bytes: [UInt8]
                do { bytes = try writer.write(first) } catch {
                    // The writer refuses text outside the syntax identifier's repertoire (#21): a source that
                    // already breaks its own UNOA/UNOC repertoire cannot be rewritten as it was declared.
                    #expect(error.message.contains("repertoire"), "\(name): \(error)")
                    continue
                }
                let second = EDIFACTReader.read(bytes)
                #expect(content(second) == content(first), "\(name)")
                // The writer computed the counts, so no envelope error survives a rewrite.
                #expect(second.errors.isEmpty, "\(name): \(second.errors)")
                #expect(second.interchanges.map(\.delimiters) == first.interchanges.map(\.delimiters), "\(name)")
            }
        }
    }

    @Test func everyFixtureRoundTripsUnderAHostileUNA() throws {
        for name in try Fixtures.allEdifact() {
            let first = EDIFACTReader.read(try Fixtures.bytes(name))
            var writer = EDIFACTWriter(options: .init(delimiters: Self.hostile))
            let bytes: [UInt8]
            do { bytes = try writer.write(first) } catch {
                #expect(error.message.contains("repertoire"), "\(name): \(error)")
                continue
            }
            #expect(bytes.starts(with: Array("UNA'?,: +".utf8)), "\(name)")
            let second = EDIFACTReader.read(bytes)
            #expect(content(second) == content(first), "\(name)")
            #expect(second.errors.isEmpty, "\(name): \(second.errors)")
        }
    }

    @Test func releaseCharacterEscapesEveryServiceCharacter() throws {
        var writer = EDIFACTWriter(options: .singleLine)
        let ic = Interchange(
            header: Segment("UNB", ["UNOC", "3"], ["S"], ["R"], ["260101", "1200"], ["REF1"]),
            messages: [Message(type: "TEST", version: "D", release: "96B", agency: "UN", controlRef: "M1",
                               segments: [Segment("FTX", ["AAA"], [], [], ["a?b:c+d'e*f"])])])
        let text = String(decoding: try writer.write(ic), as: UTF8.self)
        #expect(text == "UNB+UNOC:3+S+R+260101:1200+REF1'UNH+M1+TEST:D:96B:UN'FTX+AAA+++a??b?:c?+d?'e*f'UNT+3+M1'UNZ+1+REF1'")
    }

    @Test func countsAndReferencesAreComputed() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("smooks_unedifact-msg-02_custom_una.edi"))
        var writer = EDIFACTWriter(options: .singleLine)
        let text = String(decoding: try writer.write(d), as: UTF8.self)
        #expect(text.hasPrefix("UNA*@.? #UNB@UNOA*3@Acme*1@AcmeRecipient*1@20051107*1159@6002#"))
        #expect(text.contains("UNT@3@0001#"))
        #expect(text.contains("UNT@4@0001#"))
        #expect(text.hasSuffix("UNZ@3@6002#"))
    }

    @Test func trailingEmptiesAreNotWritten() throws {
        var writer = EDIFACTWriter(options: .singleLine)
        try writer.begin(Interchange(header: Segment("UNB", ["UNOA", "3"], ["S"], ["R"], ["1", "2"], ["9"])))
        _ = writer.takeOutput()
        try writer.writeSegment(Segment("GID", ["0"], ["19", ""], [""], []))
        #expect(String(decoding: writer.takeOutput(), as: UTF8.self) == "GID+0+19'")
    }

    /// Plain segments are built in a 1 KB buffer; longer ones, and ones needing escapes, go the
    /// general way. Both must give the same bytes at and around that size.
    @Test func segmentsAroundTheWritersBufferSizeAreWrittenWhole() throws {
        for size in [1, 1000, 1015, 1016, 1017, 1018, 1022, 1023, 1024, 1025, 3000] {
            for escaped in [false, true] {
                var writer = EDIFACTWriter(options: .segmentPerLine)
                try writer.begin(Interchange(header: Segment("UNB", ["UNOA", "3"], ["S"], ["R"], ["1", "2"], ["9"])))
                _ = writer.takeOutput()
                let text = String(repeating: "X", count: size) + (escaped ? "+" : "")
                try writer.writeSegment(Segment("FTX", ["AAA"], [], ["", "B", ""], [text, "", "C"]))
                let expected = "FTX+AAA++:B+" + String(repeating: "X", count: size) + (escaped ? "?+" : "") + "::C'\n"
                #expect(String(decoding: writer.takeOutput(), as: UTF8.self) == expected, "size \(size), escaped \(escaped)")
            }
        }
    }

    /// The reader looks for trailing separators only where they can be; every shape must still be found.
    @Test func trailingSeparatorsAreFoundWhereverTheyAre() throws {
        let cases: [(String, Bool)] = [
            ("FTX+A:B:'", true), ("FTX+A+'", true), ("FTX+A++'", true), ("FTX+::+B'", true), ("FTX+A:+B'", true),
            ("FTX+:B+C'", false), ("FTX++B'", false), ("FTX+A::B'", false), ("FTX+A+B'", false),
        ]
        for (segment, trailing) in cases {
            let text = "UNB+UNOA:3+S+R+260101:1200+1'UNH+1+T:D:96B:UN'" + segment + "UNT+3+1'UNZ+1+1'"
            let d = EDIFACTReader.read(Array(text.utf8))
            let found = (d.errors + d.warnings).contains { $0.code == SyntaxError.trailingSeparator }
            #expect(found == trailing, "\(segment)")
        }
    }

    @Test func latin1IsWrittenAsDeclared() throws {
        let ic = Interchange(
            header: Segment("UNB", ["UNOC", "3"], ["S"], ["R"], ["260101", "1200"], ["9"]),
            messages: [Message(type: "T", version: "D", release: "96B", agency: "UN", controlRef: "1",
                               segments: [Segment("FTX", ["AAA"], [], [], ["Müller"])])])
        var writer = EDIFACTWriter(options: .singleLine)
        let bytes = try writer.write(ic)
        #expect(bytes.contains(0xFC))
        #expect(!bytes.contains(0xC3))
        let back = EDIFACTReader.read(bytes)
        #expect(back.interchanges[0].messages[0].first("FTX")?.value(3) == "Müller")
        #expect(back.warnings.isEmpty)
    }
}
