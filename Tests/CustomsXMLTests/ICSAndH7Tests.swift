import CustomsModel
import Foundation
import SecureXML
import Testing

@testable import CustomsXML

private func order(_ suffix: String) throws -> Order {
    try #require(try Repo.orders().first { $0.0.hasSuffix(suffix) }).1
}

private let prepared = Timestamp.parse("2026-11-21T15:04:00Z")!
private let arrival = Timestamp.parse("2026-11-23T06:30:00Z")!

@Suite struct ICSEntrySummaryTests {
    let adapter = ICSEntrySummary()

    func options(amends: String? = nil) -> ICSEntrySummary.Options {
        ICSEntrySummary.Options(
            lrn: "ENS-KT-2026-0412", sender: "GB123456789000", messageID: "KT0412M1", lodgingEORI: "GB123456789000",
            officeOfFirstEntry: "GB000085", expectedArrival: arrival, preparedAt: prepared, conveyanceReference: "DHL123",
            carrierEORI: "GB987654321000", amendsMRN: amends)
    }

    @Test func ie315ValidatesAndCarriesTheConsignment() throws {
        let filing = try adapter.render(try order("gb-b2c-cds-ready.json"), options: options())
        #expect(filing.schemaName == "ics-ens")
        #expect(try Schemas.named("ics-ens").validate(filing.root) == [])
        let root = filing.root
        #expect(root.name == XMLName("CC315A", namespace: ICSEntrySummary.ie315Namespace))
        #expect(root.child(local: "HEAHEA")?.namespaceURI == nil)  // unqualified children
        #expect(root.text(atLocalPath: "DatOfPreMES9") == "261121")
        #expect(root.text(atLocalPath: "TimOfPreMES10") == "1504")
        #expect(root.text(atLocalPath: "HEAHEA/RefNumHEA4") == "ENS-KT-2026-0412")
        #expect(root.text(atLocalPath: "HEAHEA/TotGroMasHEA307") == "2.4")
        #expect(root.text(atLocalPath: "HEAHEA/SpeCirIndHEA1") == "A")
        #expect(root.text(atLocalPath: "CUSOFFFENT730/ExpDatOfArrFIRENT733") == "202611230630")
        let items = root.children(local: "GOOITEGDS")
        #expect(items.map { $0.text(atLocalPath: "COMCODGODITM/ComNomCMD1") } == ["95030095", "56074900", "94017900"])
        #expect(root.text(atLocalPath: "TRACONCO1/NamCO17")?.count == 35)
        #expect(filing.warnings.contains { $0.path == "parties[0].name" })
    }

    @Test func ie313AmendmentValidates() throws {
        let filing = try adapter.render(try order("gb-b2c-cds-ready.json"), options: options(amends: "26GB0000000000AB12"))
        #expect(filing.schemaName == "ics-ens-amendment")
        #expect(filing.root.localName == "CC313A")
        #expect(filing.root.text(atLocalPath: "HEAHEA/DocNumHEA5") == "26GB0000000000AB12")
        #expect(filing.root.text(atLocalPath: "HEAHEA/DatTimAmeHEA113") == "202611211504")
        #expect(try Schemas.named("ics-ens-amendment").validate(filing.root) == [])
        // An IE313 is not an IE315: the other schema must refuse it.
        #expect(try !Schemas.named("ics-ens").validate(filing.root).isEmpty)
    }

    @Test func badOptionsAreNamed() throws {
        var o = options()
        o.officeOfFirstEntry = "GB85"
        o.messageID = "MESSAGE-ID-TOO-LONG"
        o.lodgingEORI = "gb123"
        let de = try order("de-b2c-h7-ioss.json")
        do {
            _ = try adapter.render(de, options: o)
            Issue.record("rendered")
        } catch {
            #expect(error.issues.map(\.path) == ["shipment.destination_country", "options.message_id", "options.lodging_eori", "options.office_of_first_entry"])
        }
    }

    @Test func synchronousAnswersBecomeEvents() throws {
        let ok = try ICSAnswer.parse(try Repo.bytes("Fixtures/xml/hmrc-ics/success_response.xml"), receivedAt: prepared, reference: "ENS-KT-2026-0412")
        #expect(ok.correlationID == "87491122139921")
        #expect(ok.event.kind == .received)
        #expect(ok.event.occurredAt == prepared)
        #expect(ok.event.reference == "ENS-KT-2026-0412")
        let bad = try ICSAnswer.parse(try Repo.bytes("Fixtures/xml/hmrc-ics/error_response.xml"), receivedAt: prepared)
        #expect(bad.event.kind == .rejected)
        #expect(bad.event.errors == [StatusEvent.GatewayError(code: "4065", message: "Invalid content found at element 'MesSenMES3'", pointer: "/ie:CC315A[1]/MesSenMES3[1]")])
        #expect(throws: XMLError.self) { _ = try ICSAnswer.parse(Array("<Other/>".utf8), receivedAt: prepared) }
    }

    @Test func answerSchemasAcceptTheSamples() throws {
        #expect(try Schemas.named("ics-success-response").validate(try Repo.bytes("Fixtures/xml/hmrc-ics/success_response.xml")) == [])
        #expect(try Schemas.named("ics-error-response").validate(try Repo.bytes("Fixtures/xml/hmrc-ics/error_response.xml")) == [])
    }
}

@Suite struct EUH7Tests {
    let adapter = EUH7LowValueImport()
    let options = EUH7LowValueImport.Options(reference: "H7-KT-2026-0977", declarantEORI: "DE1234567890123", preparedAt: prepared)

    @Test func iossOrderRendersToOurSchema() throws {
        let filing = try adapter.render(try order("de-b2c-h7-ioss.json"), options: options)
        #expect(try Schemas.named("eu-h7").validate(filing.root) == [])
        let root = filing.root
        #expect(root.text(atLocalPath: "IOSSNumber") == "IM1560000123")
        #expect(root.text(atLocalPath: "TotalIntrinsicValue") == "55.90")
        #expect(root.text(atLocalPath: "TransportAndInsuranceCosts") == "4.90")
        #expect(root.text(atLocalPath: "PreparedAt") == "2026-11-21T15:04:00Z")
        let items = root.first(localPath: "Items")?.children(local: "Item") ?? []
        #expect(items.map { $0.children(local: "AdditionalProcedure").compactMap(\.trimmedText) } == [["C07", "F48"], ["C07", "F48"]])
        #expect(items.map { $0.attribute("sequence") } == ["1", "2"])
    }

    @Test func h7RulesReportWhatAFilingLacks() throws {
        var o = try order("de-b2c-h7-ioss.json")
        o.shipment.destinationCountry = "CH"
        o.lines[0].hsCode = "2208"
        o.lines[1].hsCode = "220300"
        o.lines[1].lineValue = Money(200, "EUR")
        o.shipment.parcels = []
        o.parties[0].taxIDs = [TaxIdentifier(kind: .ioss, value: "IM12")]
        let issues = adapter.requirements(for: o, options: .init(reference: "R", declarantEORI: "GB123456789000", preparedAt: prepared))
        #expect(issues.map(\.path) == [
            "shipment.destination_country", "options.declarant_eori", "parties.seller.tax_ids", "shipment.parcels[0].reference",
            "shipment.parcels", "lines[0].hs_code", "lines[1].hs_code", "lines",
        ])
        #expect(issues.contains { $0.message.contains("excise") })
        #expect(issues.contains { $0.message.contains("EUR 150") })
    }

    @Test func otherCurrenciesNeedARate() throws {
        let gbp = try order("gb-b2c-cds-ready.json")
        var o = gbp
        o.shipment.destinationCountry = "FR"
        o.parties[1].country = "FR"
        #expect(adapter.requirements(for: o, options: options).map(\.path) == ["options.eur_per_order_currency_unit"])
        var withRate = options
        withRate.eurPerOrderCurrencyUnit = Decimal(string: "1.15")
        let filing = try adapter.render(o, options: withRate)
        #expect(try Schemas.named("eu-h7").validate(filing.root) == [])
        #expect(filing.root.first(localPath: "Items")?.children(local: "Item").first?.children(local: "AdditionalProcedure").count == 1)
    }
}
