import EDIFACT
import Foundation
import Testing

@Suite struct ContrlTests {
    func contrl(_ name: String, version: Int = 4, extra: [Diagnostic] = []) throws -> (Interchange, String) {
        let d = EDIFACTReader.read(try Fixtures.bytes(name))
        let ack = ContrlBuilder.acknowledge(d.interchanges[0], diagnostics: d.errors + extra,
                                           options: ContrlOptions(syntaxVersion: version, controlRef: "ACK1", date: "260115", time: "1200"))
        var writer = EDIFACTWriter(options: .singleLine)
        return (ack, String(decoding: try writer.write(ack), as: UTF8.self))
    }

    @Test func acceptedInterchange() throws {
        let (_, text) = try contrl("pydifact_invoice1.edi")
        #expect(text == "UNB+UNOA:4+O0013000093SCHA-Z59+01010000253001+260115:1200+ACK1'UNH+1+CONTRL:4:1:UN'"
            + "UCI+PAYO0012101221+01010000253001+O0013000093SCHA-Z59+7'UCM+1+INVOIC:D:97A:UN+7'UNT+4+1'UNZ+1+ACK1'")
    }

    @Test func syntax3UsesTheDirectoryForm() throws {
        let (_, text) = try contrl("pydifact_invoice1.edi", version: 3)
        #expect(text.contains("UNB+UNOA:3+"))
        #expect(text.contains("UNH+1+CONTRL:D:3:UN'"))
    }

    @Test func wrongMessageCountRejectsTheMessageWith29() throws {
        let (_, text) = try contrl("php-edifact_example_release_character.edi")
        #expect(text.contains("UCI+1+6XPPC+LHPPC+7'UCM+1+PAORES:93:1:IA+4+29+UNT'"))
        // A non-UN syntax identifier is not echoed; the CONTRL goes out as UNOC.
        #expect(text.hasPrefix("UNB+UNOC:4+LHPPC+6XPPC+"))
    }

    @Test func envelopeErrorsRejectTheInterchange() throws {
        let (_, text) = try contrl("smooks_unedifact-msg-02_custom_una.edi")
        #expect(text.contains("UCI+6002+Acme:1+AcmeRecipient:1+4+29+UNZ'"))
        #expect(text.contains("UCM+0001+MSG2:S:93A:UN+4+29+UNT'"))
        let (_, missing) = try contrl("pydifact_order.edi")
        #expect(missing.contains("UCI+807+12345678:8+WBDZDD:ZZ+4+13+UNZ'UCM+1+ORDERS:D:96A:UN:EAN008+7'"))
    }

    @Test func groupsGetUCF() throws {
        let (_, text) = try contrl("staedi_orders-with-group.edi")
        #expect(text.contains("UCI+2722166169492+5400110000009:14+5013546107732:14+7'UCF+1+5400110000009:14+5013546107732:14+7'UCM+1+ORDERS:D:96B:UN:EAN008B+4+29+UNT'"))
    }

    @Test func validationErrorsBecomeUCSAndUCD() throws {
        let set = try Grammars.load()
        let d = EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d97b_bad.edi"))
        let m = d.interchanges[0].messages[0]
        let g = try #require(set.resolve(type: "INVOIC", directory: "D97B"))
        let structural = StructureValidator(grammar: g).validate(m, messageIndex: 0, interchangeIndex: 0)
        let ack = ContrlBuilder.acknowledge(d.interchanges[0], diagnostics: d.errors + structural,
                                           options: ContrlOptions(controlRef: "A", date: "260115", time: "1200"))
        var writer = EDIFACTWriter(options: .singleLine)
        let text = String(decoding: try writer.write(ack), as: UTF8.self)
        #expect(text.contains("UCM+00000000000117+INVOIC:D:97B:UN+4'UCS+5'UCD+39+1'UCS+10'UCD+37+1:2'UCS+13'UCD+37+1:2'UCS+21+35'UNT"))
    }

    @Test func generatedContrlReadsBack() throws {
        for name in try Fixtures.allEdifact() {
            let (ack, _) = try contrl(name)
            var writer = EDIFACTWriter()
            let reread = EDIFACTReader.read(try writer.write(ack))
            #expect(reread.errors.isEmpty, "\(name)")
            let report = try ContrlReport(try #require(reread.interchanges.first?.messages.first))
            let original = EDIFACTReader.read(try Fixtures.bytes(name))
            #expect(report.interchangeRef == original.interchanges[0].controlRef)
            #expect(report.isFullyAccepted == original.errors.isEmpty, "\(name)")
            let listed = report.messages.count + report.groups.reduce(0) { $0 + $1.messages.count }
            #expect(listed == original.interchanges[0].allMessages.count, "\(name)")
        }
    }

    @Test func receivedContrlIsParsed() throws {
        let text = "UNB+UNOC:4+GW+HUB+260115:1300+9'UNH+5+CONTRL:4:1:UN'UCI+CH000001+HUBSENDER:ZZ+GATEWAY:ZZ+7'"
            + "UCM+1+CUSDEC:D:96B:UN:CD001A+4'UCS+4+13'UCS+12'UCD+12+2:1'UNT+7+5'UNZ+1+9'"
        let d = parse(text)
        #expect(d.errors.isEmpty)
        let report = try ContrlReport(d.interchanges[0].messages[0])
        #expect(report.interchangeRef == "CH000001")
        #expect(report.action == "7")
        #expect(!report.isFullyAccepted)
        #expect(report.messages.count == 1)
        #expect(report.messages[0].segmentErrors.count == 2)
        #expect(report.messages[0].segmentErrors[0].code == "13")
        let ucd = try #require(report.messages[0].segmentErrors[1].elementErrors.first)
        #expect(ucd.code == "12" && ucd.element == 2 && ucd.component == 1)
        #expect(throws: ContrlReport.ParseError.self) { try ContrlReport(parse("UNB+UNOC:3+A+B+1:1+1'UNH+1+INVOIC:D:96A:UN'UNT+2+1'UNZ+1+1'").interchanges[0].messages[0]) }
    }
}
