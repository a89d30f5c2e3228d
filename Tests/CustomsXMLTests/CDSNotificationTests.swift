import ChildProcess
import CustomsModel
import Foundation
import SecureXML
import Testing

@testable import CustomsXML

@Suite struct CDSNotificationTests {
    func parse(_ file: String) throws -> [CDSNotification] {
        try CDSNotification.parse(try Repo.bytes("Fixtures/xml/hmrc-cds/\(file)"))
    }

    @Test func acceptedTaxedClearedLifecycle() throws {
        let acc = try #require(try parse("TT_IM001a_01_DMSACC.xml").first)
        #expect(acc.name == "DMSACC")
        #expect(acc.event.kind == .accepted)
        #expect(acc.event.reference == "7847767E1WB6")
        #expect(acc.event.authorityReference == "24GB22WOA1EV2P6AR5")
        #expect(acc.notificationID == "42e66025ad574258b8a980ca3aec101e")
        #expect(Timestamp.format(acc.event.occurredAt) == "2024-02-22T10:09:38Z")
        #expect(acc.event.source == "uk-cds")

        let tax = try #require(try parse("TT_IM001a_02_DMSTAX.xml").first)
        #expect(tax.event.kind == .dutyAssessed)
        #expect(tax.event.rawStatus == "13")
        #expect(tax.event.amounts == [Money(20, "GBP"), Money(204, "GBP")])

        let cle = try #require(try parse("TT_IM001a_04_DMSCLE.xml").first)
        #expect(cle.event.kind == .cleared)
        #expect(cle.event.reference == acc.event.reference)
    }

    @Test func rejectionCarriesErrorPointers() throws {
        let rej = try #require(try parse("example_03_DMSREJ.xml").first)
        #expect(rej.event.kind == .rejected)
        #expect(rej.event.reference == "Sample_A_TC01_1102_03")
        #expect(rej.event.errors == [StatusEvent.GatewayError(code: "CDS12005", pointer: "42A/17C#R144")])
    }

    @Test func receivedAndClearedSamples() throws {
        #expect(try parse("example_02_DMSRCV.xml").map(\.event.kind) == [.received])
        let cle = try parse("example_09_DMSCLE.xml")
        #expect(cle.map(\.event.kind) == [.cleared])
        #expect(cle.first?.event.authorityReference == "19GBCKKCQSXV2FGVA8")
    }

    @Test func namespacedPrefixedAndSOAPWrappedFormsReadTheSame() throws {
        let plain = try parse("TT_IM001a_01_DMSACC.xml")
        let text = String(decoding: try Repo.bytes("Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml"), as: UTF8.self)
        let namespaced = text
            .replacingOccurrences(of: "<MetaData>", with: #"<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:RES-DMS:2" xmlns:unused="urn:x">"#)
            .replacingOccurrences(of: "</MetaData>", with: "</md:MetaData>")
        let wrapped = #"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>"# + namespaced + "</env:Body></env:Envelope>"
        #expect(try CDSNotification.parse(Array(namespaced.utf8)) == plain)
        #expect(try CDSNotification.parse(Array(wrapped.utf8)) == plain)
    }

    @Test func unknownCodesAreKeptAsOtherAndBadInputIsNamed() throws {
        let odd = "<Response><FunctionCode>99</FunctionCode><IssueDateTime><DateTimeString formatCode=\"304\">20240101120000+0100</DateTimeString></IssueDateTime></Response>"
        let n = try #require(try CDSNotification.parse(Array(odd.utf8)).first)
        #expect(n.event.kind == .other)
        #expect(n.name == nil)
        #expect(Timestamp.format(n.event.occurredAt) == "2024-01-01T11:00:00Z")

        let badDate = odd.replacingOccurrences(of: "20240101120000+0100", with: "20241301120000Z")
        #expect(throws: XMLError.self) { _ = try CDSNotification.parse(Array(badDate.utf8)) }
        #expect(throws: XMLError.self) { _ = try CDSNotification.parse(Array("<Order/>".utf8)) }
    }
}

@Suite struct CDSNotificationSchemaTests {
    /// HMRC's sample, given the namespaces the notification XSD expects (the metadata, RES and
    /// Response_DS namespaces), validates; the namespace-less original does not.
    @Test func namespacedNotificationValidates() throws {
        let schema = try Schemas.named("cds-notification")
        let plain = try Repo.bytes("Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml")
        #expect(try !schema.validate(plain).isEmpty)
        let text = String(decoding: plain, as: UTF8.self)
        var namespaced = text
            .replacingOccurrences(of: "<MetaData>", with: #"<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:RES-DMS:2" xmlns:ds="urn:wco:datamodel:WCO:Response_DS:DMS:2">"#)
            .replacingOccurrences(of: "</MetaData>", with: "</md:MetaData>")
            .replacingOccurrences(of: "DateTimeString", with: "ds:DateTimeString")
        for tag in ["WCODataModelVersionCode", "WCOTypeName", "ResponsibleCountryCode", "ResponsibleAgencyName", "AgencyAssignedCustomizationCode", "AgencyAssignedCustomizationVersionCode"] {
            namespaced = namespaced.replacingOccurrences(of: "<\(tag)", with: "<md:\(tag)").replacingOccurrences(of: "</\(tag)>", with: "</md:\(tag)>")
        }
        let issues = try schema.validate(Array(namespaced.utf8))
        #expect(issues == [], "\(issues)")
        #expect(try CDSNotification.parse(Array(namespaced.utf8)) == CDSNotification.parse(plain))
    }
}
