import EDIFACT
import Foundation
import Testing

/// Issue #21: hostile EDIFACT inputs, each with the input that reproduced it.
@Suite struct EDIFACTHostileInputTests {
    static let header = "UNB+UNOC:3+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+X+9'"

    /// A CUSDEC with `n` FTX segments where the grammar allows few.
    static func manyFTX(_ n: Int) -> Document {
        var text = header
        text.reserveCapacity(n * 12)
        for i in 0..<n { text += "FTX+AAA+++N\(i)'" }
        text += "UNT+\(n + 3)+1'UNZ+1+1'"
        return EDIFACTReader.read(Array(text.utf8))
    }

    // Finding 4: 1M FTX segments gave 2.96 GB of diagnostics; now at most 1,000 per message.
    @Test func validatorStopsAtTheErrorCapWithAWarning() throws {
        let set = try Grammars.load()
        let d = Self.manyFTX(20_000)
        let m = try #require(d.interchanges.first?.messages.first)
        let g = try #require(set.resolve(type: "CUSDEC", directory: "D96B"))
        let out = StructureValidator(grammar: g).validate(m, messageIndex: 0, interchangeIndex: 0)
        #expect(out.count == 1001)
        #expect(out.last?.severity == .warning && out.last?.message.contains("more than 1000 errors") == true)
    }

    // Finding 4: CONTRL was quadratic (filtering all errors per message, a linear search per position).
    @Test func contrlForManyErrorsListsEachPositionOnce() throws {
        let d = Self.manyFTX(5_000)
        let ic = try #require(d.interchanges.first)
        var errors: [Diagnostic] = []
        for p in 0..<5_000 {
            errors.append(Diagnostic(code: 15, message: "x", interchangeIndex: 0, messageIndex: 0, segmentTag: "FTX", positionInMessage: p + 3))
            errors.append(Diagnostic(code: 12, message: "y", interchangeIndex: 0, messageIndex: 0, segmentTag: "FTX", positionInMessage: p + 3, elementPosition: 1))
        }
        let ack = ContrlBuilder.acknowledge(ic, diagnostics: errors, options: ContrlOptions(controlRef: "A", date: "20260101", time: "1200"))
        let body = ack.messages[0].segments
        #expect(body.filter { $0.tag == "UCS" }.count == 5_000)
        #expect(body.filter { $0.tag == "UCD" }.count == 5_000)
        let positions = body.filter { $0.tag == "UCS" }.compactMap { Int($0.elements[0].components[0]) }
        #expect(positions == positions.sorted())
    }

    // Finding 15: errors without a CONTRL code (repeated UNA separator, release at the end) gave UCI 7.
    @Test func codelessErrorsAreNotAcknowledgedAsAccepted() throws {
        let d = EDIFACTReader.read(Array((Self.header + "UNT+3+1'UNZ+1+1'").utf8))
        let ic = try #require(d.interchanges.first)
        let error = Diagnostic(code: nil, message: "release character at the end of the input", interchangeIndex: nil)
        let ack = ContrlBuilder.acknowledge(ic, diagnostics: [error], options: ContrlOptions(controlRef: "A", date: "20260101", time: "1200"))
        let uci = try #require(ack.messages[0].segments.first { $0.tag == "UCI" })
        #expect(uci.elements[3].components[0] == "4")
        #expect(uci.elements[4].components[0] == "18")
    }

    // Finding 15: a UNB date 991399 was accepted.
    @Test func impossibleUNBDateIsReported() {
        let text = "UNB+UNOC:3+A+B+991399:1200+1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+1'"
        #expect(parse(text, options: .init(strict: true)).errors.contains { $0.code == 12 && $0.message.contains("991399") })
        #expect(parse(text).warnings.contains { $0.message.contains("991399") && $0.message.contains("not a calendar date") })
        let badTime = parse("UNB+UNOC:4+A+B+20260101:2561+1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+1'", options: .init(strict: true))
        #expect(badTime.errors.contains { $0.message.contains("time of day") })
        let good = parse("UNB+UNOC:4+A+B+20240229:2359+1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+1'")
        #expect(good.errors.isEmpty && good.warnings.isEmpty)
    }

    // Finding 15: an unknown syntax identifier only warned.
    @Test func unknownSyntaxIdentifierIsReported() {
        let d = parse("UNB+ZZZZ:3+A+B+260101:1200+1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+1'", options: .init(strict: true))
        #expect(d.errors.contains { $0.code == 46 && $0.segmentTag == "UNB" })
        var options = EDIFACTReader.Options()
        options.charsetOverride = .latin1
        #expect(parse("UNB+ZZZZ:3+A+B+260101:1200+1'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+1'", options: options).errors.isEmpty)
    }

    // Finding 15: NUL bytes passed --strict.
    @Test func controlBytesAreRefusedWhenStrict() {
        let text = "UNB+UNOC:3+A+B+260101:1200+1'UNH+1+X:D:96B:UN'NAD+CZ+++A\u{0}B'UNT+3+1'UNZ+1+1'"
        #expect(parse(text, options: .init(strict: true)).errors.contains { $0.code == 21 && $0.message.contains("control characters") })
        #expect(parse(text).warnings.contains { $0.message.contains("control characters") })
    }

    // Finding 11: `edifact write` mixed UTF-8 into UNOA/UNOC interchanges, and wrote a raw NUL.
    @Test func writerRefusesWhatTheSyntaxIdentifierCannotCarry() throws {
        func ic(_ syntax: String, _ name: String) -> Interchange {
            Interchange(
                header: Segment("UNB", [syntax, "3"], ["S"], ["R"], ["260101", "1200"], ["9"]),
                messages: [Message(type: "T", version: "D", release: "96B", agency: "UN", controlRef: "1", segments: [Segment("NAD", ["CZ"], [], [], [name])])])
        }
        var writer = EDIFACTWriter(options: .singleLine)
        #expect(throws: WriterError.self) { try writer.write(ic("UNOA", "Müller")) }
        #expect(throws: WriterError.self) { try writer.write(ic("UNOC", "Пётр")) }
        #expect(throws: WriterError.self) { try writer.write(ic("UNOW", "A\u{0}B")) }
        #expect(throws: WriterError.self) { try writer.write(ic("UNOC", "A\u{1B}[2J")) }
        _ = try writer.write(ic("UNOC", "Müller"))
        _ = try writer.write(ic("UNOW", "Пётр"))
        var lenient = EDIFACTWriter(options: .init(lineEnding: [], allowUnrepresentable: true))
        _ = try lenient.write(ic("UNOA", "Müller"))
        #expect(lenient.unrepresentableCharacters == 1)
    }
}
