import EDIFACT
import Foundation
import Testing

@Suite struct ReaderFixtureTests {
    @Test func everySharedFixtureParsesIntoMessages() throws {
        let names = try Fixtures.allEdifact()
        #expect(names.count == 18)
        for name in names {
            let d = EDIFACTReader.read(try Fixtures.bytes(name))
            #expect(d.interchanges.count == 1, "\(name)")
            #expect(!(d.interchanges.first?.allMessages.isEmpty ?? true), "\(name)")
        }
    }

    /// The known-bad fixtures report exactly their envelope errors (code + segment tag), and the
    /// good ones none.
    @Test(arguments: [
        ("php-edifact_example_release_character.edi", ["29 UNT"]),
        ("php-edifact_example_multiline.edi", ["29 UNT"]),
        ("staedi_orders-with-group.edi", ["29 UNT"]),
        ("pydifact_aperak_v3.edi", ["29 UNT"]),
        ("pydifact_order.edi", ["13 UNZ"]),
        ("smooks_unedifact-msg-02_custom_una.edi", ["29 UNT", "29 UNT", "29 UNT", "29 UNZ", "28 UNZ"]),
        ("php-edifact_D95BCOARRI.edi", []),
        ("php-edifact_exampleMulti.edi", []),
        ("php-edifact_example_order_ok.edi", []),
        ("php-edifact_example_utf8.edi", []),
        ("php-edifact_example_wrapped.edi", []),
        ("pydifact_invoice1.edi", []),
        ("smooks_99a_cuscar.edi", []),
        ("staedi_invoic_d93a_una.edi", []),
        ("staedi_invoic_d97b.edi", []),
        ("staedi_invoic_d97b_bad.edi", []),
        ("staedi_invoic_d97b_una.edi", []),
        ("staedi_wrapped_invoic_d97b.edi", []),
    ])
    func envelopeErrorsAreExactlyTheKnownOnes(name: String, expected: [String]) throws {
        let d = EDIFACTReader.read(try Fixtures.bytes(name))
        let got = d.errors.map { "\($0.code.map(String.init) ?? "-") \($0.segmentTag ?? "?")" }
        #expect(got == expected, "\(name): \(d.errors)")
    }

    @Test func countErrorsCarryPositions() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_release_character.edi"))
        let e = try #require(d.errors.first)
        #expect(e.segmentIndex == 23)  // UNB is 0, UNH 1, ... UNT 23
        #expect(e.positionInMessage == 23)
        #expect(e.messageRef == "1")
        let bytes = try Fixtures.bytes("php-edifact_example_release_character.edi")
        let offset = try #require(e.offset)
        #expect(Array(bytes[offset..<offset + 3]) == Array("UNT".utf8))
        #expect(d.interchanges[0].messages[0].declaredSegmentCount == 14)
        #expect(d.interchanges[0].messages[0].segmentCount == 23)
    }

    @Test func missingUNZIsReportedAtTheEndOfInput() throws {
        let bytes = try Fixtures.bytes("pydifact_order.edi")
        let d = EDIFACTReader.read(bytes)
        #expect(d.errors.count == 1)
        #expect(d.errors[0].offset == bytes.count)
        #expect(d.interchanges[0].trailer == nil)
        #expect(d.interchanges[0].messages.count == 1)
    }

    @Test func releaseCharacterAppliesEverywhereIncludingItself() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_release_character.edi"))
        let ift = d.interchanges[0].messages[0].segments("IFT")
        #expect(ift.map { $0.elements.count } == [2, 2, 2, 2, 2, 2, 3, 3, 2, 2, 2, 2])
        #expect(ift[2].value(1) == "NO MORE FLIGHTS 2?")
        #expect(ift[3].value(1) == "NO MORE ' FLIGHTS 3")
        #expect(ift[4].value(1) == "NO MORE ? FLIGHTS 3")
        #expect(ift[5].value(1) == "NO MORE ?' FLIGHTS 3")
        #expect(ift[7].elements[1].components == ["FIELD 1?"])
        #expect(ift[8].value(1) == "FIELD 1?+FIELD 2")
        #expect(ift[10].elements[1].components == ["FIELD 1.1?", "FIELD 1.2"])
        #expect(ift[11].elements[1].components == ["FIELD 1.1?:FIELD 1.2"])
    }

    @Test func customServiceStringAdvice() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d97b_una.edi"))
        let ic = d.interchanges[0]
        #expect(ic.delimiters.text == "=*.? ~")
        #expect(ic.recipient == EnvelopeParty(id: "006415160", qualifier: "1"))
        #expect(ic.messages[0].first("NAD", qualifier: "BY")?.elements[1].components == ["792820524", "", "16"])
        #expect(d.warnings.contains { $0.message.contains("release character before") })

        let smooks = EDIFACTReader.read(try Fixtures.bytes("smooks_unedifact-msg-02_custom_una.edi"))
        #expect(smooks.interchanges[0].delimiters.text == "*@.? #")
        #expect(smooks.interchanges[0].messages.map(\.type) == ["MSG2", "MSG2", "MSG1"])
    }

    @Test func commaDecimalMarkIsAdvised() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d93a_una.edi"))
        #expect(d.interchanges[0].delimiters.decimalMark == UInt8(ascii: ","))
        #expect(d.interchanges[0].messages[0].segments("MOA").contains { $0.value(0, 1)?.contains(",") == true })
    }

    @Test func wrappedLinesAreTheSameInterchange() throws {
        let plain = EDIFACTReader.read(try Fixtures.bytes("staedi_invoic_d97b.edi"))
        let wrapped = EDIFACTReader.read(try Fixtures.bytes("staedi_wrapped_invoic_d97b.edi"))
        #expect(content(plain) == content(wrapped))
        let oneLine = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_wrapped.edi"))
        let multi = EDIFACTReader.read(try Fixtures.bytes("php-edifact_exampleMulti.edi"))
        #expect(oneLine.interchanges[0].messages[0].segments == multi.interchanges[0].messages[0].segments)
    }

    @Test func segmentContinuedOnTheNextLine() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_multiline.edi"))
        let ftx = d.interchanges[0].messages[0].segments("FTX")
        #expect(ftx[2].elements[3].components == ["THE SHIPPER SHALL NOT BE RESPONSIBLE FOR ANY COSTS/DELAYS OCCUR", "DUE TO INTERVENTION OF CUSTOMS."])
    }

    @Test func groupsAreRead() throws {
        let d = EDIFACTReader.read(try Fixtures.bytes("staedi_orders-with-group.edi"))
        let ic = d.interchanges[0]
        #expect(ic.groups.count == 1)
        #expect(ic.groups[0].id == "ORDERS")
        #expect(ic.groups[0].messages.count == 1)
        #expect(ic.messages.isEmpty)
        #expect(ic.testIndicator == "1")
        #expect(ic.acknowledgementRequest == "0")
        #expect(ic.header.value(9) == "EANCOM")
    }

    @Test func everyChunkingGivesTheSameDocument() throws {
        for name in try Fixtures.allEdifact() {
            let bytes = try Fixtures.bytes(name)
            let whole = EDIFACTReader.read(bytes)
            for size in [1, 2, 3, 7, 64] {
                let chunked = parseChunked(bytes, size: size)
                #expect(chunked == whole, "\(name) in chunks of \(size)")
            }
        }
    }

    @Test func charsetDeviationsAreWarningsNotLosses() throws {
        let utf8 = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_utf8.edi"))
        #expect(utf8.interchanges[0].messages[0].segments("IMD")[0].value(2, 3) == "MUNCIË THE MIDDLE")
        #expect(utf8.warnings.contains { $0.message.contains("UTF-8 text under UNOC") })
        let order = EDIFACTReader.read(try Fixtures.bytes("php-edifact_example_order_ok.edi"))
        #expect(order.interchanges[0].messages[0].first("NAD", qualifier: "BY")?.value(3) == "A+A K\u{FFFD}lte GmbH")  // the file itself carries U+FFFD
        #expect(order.interchanges[0].messages[0].segments("IMD").contains { $0.value(2, 3) == "Gem\u{FFFD}sekraftbouillon Instant" })
    }
}
