import ChildProcess
import EDIFACT
import Foundation
import Testing

@Suite struct BadInputTests {
    @Test func truncatedInsideASegment() {
        let d = parse("UNA:+.? 'UNB+UNOC:3+A+B+260101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+12")
        #expect(d.errors.map(\.code) == [13, 13, 13])
        #expect(d.errors[0].message.contains("truncated"))
        #expect(d.errors[0].segmentTag == "BGM")
        #expect(d.errors[0].offset == 60)
        #expect(d.interchanges[0].messages[0].segments.last == Segment("BGM", ["220"], ["12"]))
    }

    @Test func truncatedInsideUNAAndAfterARelease() {
        #expect(parse("UNA:+.").errors.map(\.code) == [13])
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'FTX+AAA?")
        #expect(d.errors.contains { $0.code == 20 && $0.message.contains("release") })
    }

    @Test func binaryGarbageIsReportedNotCrashed() {
        var rng = SplitMix(seed: 7)
        let garbage = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let d = EDIFACTReader.read(garbage)
        #expect(!d.errors.isEmpty)
        #expect(d.errors.count <= 1001)
        #expect(d.errors.allSatisfy { $0.offset != nil })
    }

    @Test func oversizedSegmentIsSkippedWithBoundedMemory() {
        let huge = String(repeating: "X", count: 200_000)
        let text = "UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'FTX+AAA+++\(huge)'DTM+137:20260101:102'UNT+4+1'UNZ+1+1'"
        var options = EDIFACTReader.Options()
        options.limits.maxSegmentBytes = 4096
        let d = parse(text, options: options)
        #expect(d.errors.map(\.code) == [39])
        #expect(d.errors[0].offset == 38)
        #expect(d.errors[0].positionInMessage == 2)
        #expect(d.interchanges[0].messages[0].segmentCount == 4)
        #expect(d.interchanges[0].messages[0].segments.map(\.tag) == ["UNH", "DTM", "UNT"])
    }

    @Test func tooManyConstituents() {
        let many = String(repeating: ":", count: 20_000)
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'FTX+AAA+++a\(many)b'UNT+3+1'UNZ+1+1'")
        #expect(d.errors.first?.code == 16)
    }

    @Test func tooManySegmentsInOneMessageAreCountedNotKept() {
        let body = String(repeating: "FTX+AAA'", count: 50)
        var options = EDIFACTReader.Options()
        options.maxMessageSegments = 10
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'\(body)UNT+52+1'UNZ+1+1'", options: options)
        #expect(d.errors.map(\.code) == [35])
        #expect(d.interchanges[0].messages[0].segments.count == 10)
        #expect(d.interchanges[0].messages[0].segmentCount == 52)
    }

    @Test func mixedGroupsAndMessages() {
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'UNT+2+1'UNG+X+A+B+1:1+7+UN+D:96A'UNH+2+X:D:96A:UN'UNT+2+2'UNE+1+7'UNZ+2+1'")
        #expect(d.errors.map(\.code) == [30])
        #expect(d.errors[0].segmentTag == "UNG")
    }

    @Test func groupTrailerChecks() {
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNG+X+A+B+1:1+7+UN+D:96A'UNH+2+X:D:96A:UN'UNT+2+2'UNE+3+8'UNZ+1+1'")
        #expect(d.errors.map { "\($0.code ?? 0) \($0.segmentTag ?? "")" } == ["29 UNE", "28 UNE"])
        #expect(d.errors[0].groupRef == "7")
    }

    @Test func wrongMessageReferenceAndMissingUNT() {
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'UNT+2+9'UNH+2+X:D:96A:UN'BGM+1'UNZ+2+1'")
        #expect(d.errors.map { "\($0.code ?? 0) \($0.segmentTag ?? "")" } == ["28 UNT", "13 UNT"])
        #expect(d.errors[1].messageRef == "2")
    }

    @Test func segmentsOutsideMessages() {
        let d = parse("UNB+UNOC:3+A+B+1:1+1'BGM+1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1'")
        #expect(d.errors.map(\.code) == [33])
        let none = parse("BGM+1'DTM+1'")
        #expect(none.errors.first?.code == 13)
    }

    @Test func junkBeforeUNAAndBOM() {
        let d = parse("'\r\n  UNA:+.? 'UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1'")
        #expect(d.errors.isEmpty)
        #expect(d.warnings.contains { $0.message.contains("junk") })
        let bom = EDIFACTReader.read([0xEF, 0xBB, 0xBF] + Array("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+1'".utf8))
        #expect(bom.errors.isEmpty)
        #expect(bom.warnings.contains { $0.message.contains("byte order mark") })
    }

    @Test func unaSplitAcrossALineBreak() {
        let d = parse("UNA:+.?\r\n *UNB+UNOC:3+A+B+1:1+1*UNH+1+X:D:96A:UN*UNT+2+1*UNZ+1+1*")
        #expect(d.errors.isEmpty, "\(d.errors)")
        #expect(d.interchanges[0].delimiters.segment == UInt8(ascii: "*"))
        #expect(d.interchanges[0].messages.count == 1)
    }

    @Test func emptySegmentsAndTrailingSeparators() {
        let d = parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+X:D:96A:UN''BGM+220+1++:'UNT+3+1'UNZ+1+1'")
        #expect(d.errors.isEmpty)
        #expect(d.warnings.contains { $0.message == "empty segment ignored" })
        #expect(d.warnings.contains { $0.code == 45 })
        #expect(d.interchanges[0].messages[0].first("BGM")?.elements.count == 2)
        var strict = EDIFACTReader.Options()
        strict.strict = true
        // A real date in UNB, so that only the trailing separator is wrong (strict mode also checks the date).
        #expect(parse("UNB+UNOC:3+A+B+260101:1200+1'UNH+1+X:D:96A:UN'BGM+220+1+'UNT+3+1'UNZ+1+1'", options: strict).errors.map(\.code) == [45])
    }

    @Test func syntax4RepetitionSeparator() {
        let d = parse("UNB+UNOC:4+A+B+20260101:1200+1'UNH+1+X:D:96A:UN'NAD+BY+1*2*3:9'UNT+3+1'UNZ+1+1'")
        let nad = d.interchanges[0].messages[0].first("NAD")
        #expect(nad?.elements[1].repetitions == [["1"], ["2"], ["3", "9"]])
        // Under syntax 3 the same byte is data.
        let v3 = parse("UNB+UNOC:3+A+B+260101:1200+1'UNH+1+X:D:96A:UN'NAD+BY+1*2'UNT+3+1'UNZ+1+1'")
        #expect(v3.interchanges[0].messages[0].first("NAD")?.value(1) == "1*2")
        // And it round-trips, escaped, under syntax 4.
        var writer = EDIFACTWriter(options: .singleLine)
        let text = String(decoding: try! writer.write(d), as: UTF8.self)
        #expect(text.contains("NAD+BY+1*2*3:9'"))
        #expect(EDIFACTReader.read(Array(text.utf8)).interchanges[0].messages[0] .first("NAD") == nad)
    }

    @Test func informationSeparatorsForUNOB() {
        let text: [UInt8] = Array("UNB".utf8) + [0x1D] + Array("UNOB".utf8) + [0x1F] + Array("1".utf8) + [0x1D, 0x41, 0x1D, 0x42, 0x1D, 0x31, 0x1F, 0x31, 0x1D, 0x39, 0x1C]
            + Array("UNH".utf8) + [0x1D, 0x31, 0x1D] + Array("X".utf8) + [0x1F, 0x44, 0x1F] + Array("96A".utf8) + [0x1F] + Array("UN".utf8) + [0x1C]
            + Array("UNT".utf8) + [0x1D, 0x32, 0x1D, 0x31, 0x1C] + Array("UNZ".utf8) + [0x1D, 0x31, 0x1D, 0x39, 0x1C]
        let d = EDIFACTReader.read(text)
        #expect(d.errors.isEmpty, "\(d.errors)")
        #expect(d.interchanges[0].delimiters == .informationSeparators)
        #expect(d.interchanges[0].messages[0].type == "X")
    }

    @Test func charsetsByIdentifierAndOverride() {
        func read(_ id: String, _ bytes: [UInt8], override: SyntaxCharset? = nil) -> (String?, Document) {
            var o = EDIFACTReader.Options()
            o.charsetOverride = override
            let d = EDIFACTReader.read(Array("UNB+\(id):3+A+B+1:1+1'UNH+1+X:D:96A:UN'FTX+AAA+++".utf8) + bytes + Array("'UNT+3+1'UNZ+1+1'".utf8), options: o)
            return (d.interchanges.first?.messages.first?.first("FTX")?.value(3), d)
        }
        #expect(read("UNOC", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72]).0 == "Müller")
        #expect(read("UNOE", [0xB0, 0xCF, 0xE1]).0 == "АЯс")  // ISO 8859-5 Cyrillic
        #expect(read("UNOF", [0xC1, 0xE2]).0 == "Αβ")  // ISO 8859-7 Greek
        #expect(read("UNOD", [0xA3, 0xF3, 0x64, 0xBC]).0 == "Łódź")  // ISO 8859-2
        #expect(read("UNOW", Array("Łódź".utf8)).0 == "Łódź")
        // Invalid UTF-8 under UNOW is read byte for byte, with a warning, never dropped.
        let (bad, badDoc) = read("UNOW", [0x41, 0xFF, 0x42])
        #expect(bad == "A\u{FF}B")
        #expect(badDoc.warnings.contains { $0.message.contains("invalid UTF-8") })
        // UNOA with 8-bit bytes that are not UTF-8.
        let (outside, outsideDoc) = read("UNOA", [0x41, 0xC4])
        #expect(outside == "AÄ")
        #expect(outsideDoc.warnings.contains { $0.message.contains("repertoire") })
        // A partner override decodes literally: the UTF-8 bytes of ü are two Latin-1 characters.
        #expect(read("UNOC", Array("ü".utf8), override: .latin1).0 == "Ã¼")
        // An unknown identifier is accepted with a warning and read as Latin-1.
        let (iata, iataDoc) = read("IATA", [0xE9])
        #expect(iata == "é")
        #expect(iataDoc.errors.isEmpty && iataDoc.warnings.contains { $0.message.contains("IATA") })
    }
}
