import CustomsModel
import Foundation
import SecureXML
import Testing

@testable import CustomsXML

@Suite struct CDSDeclarationTests {
    let adapter = CDSImportDeclaration()

    /// A classification result for lines that arrive without a code, as the pipeline would supply.
    static func options(for order: Order, lrn: String) -> CDSImportDeclaration.Options {
        var codes: [Int: HSCode] = [:]
        for (i, line) in order.lines.enumerated() where line.hsCode.map({ $0.rawValue.count < 8 }) ?? true {
            codes[i] = HSCode(rawValue: (line.hsCode?.rawValue ?? "9503") .padding(toLength: 8, withPad: "0", startingAt: 0))
        }
        return CDSImportDeclaration.Options(
            lrn: lrn, declarantEORI: "GB123456789000", goodsLocation: "LHRLHRLHR",
            gbpPerOrderCurrencyUnit: order.currency.rawValue == "GBP" ? nil : Decimal(string: "0.5"), commodityCodes: codes)
    }

    @Test func everyOrderFixtureRendersToAValidDeclaration() throws {
        let schema = try Schemas.named("cds-declaration")
        let orders = try Repo.orders()
        #expect(!orders.isEmpty)
        for (n, (file, original)) in orders.enumerated() {
            var order = original
            // Orders bound elsewhere are re-targeted to GB: the shapes (currencies, parties, many
            // lines) are what this test exercises.
            order.shipment.destinationCountry = "GB"
            for i in order.lines.indices where order.lines[i].originCountry == nil { order.lines[i].originCountry = order.shipment.shipFromCountry }
            for i in order.lines.indices where order.lines[i].netWeight == nil { order.lines[i].netWeight = Weight(1, .kg) }
            let filing = try adapter.render(order, options: Self.options(for: order, lrn: "HUB\(n)X\(order.externalReference.filter(\.isLetter).prefix(8))"))
            let issues = try schema.validate(filing.root)
            #expect(issues == [], "\(file): \(issues)")
        }
    }

    @Test func rendersTheFieldsCDSNeeds() throws {
        let (_, order) = try #require(try Repo.orders().first { $0.0.hasSuffix("gb-b2c-cds-ready.json") })
        let filing = try adapter.render(order, options: .init(lrn: "KT20260412", declarantEORI: "GB123456789000"))
        let xml = filing.xml()
        let doc = try SecureXMLParser().parse(xml).root
        #expect(doc.name == XMLName("MetaData", namespace: CDSImportDeclaration.metaDataNamespace))
        let dec = try #require(doc.child(XMLName("Declaration", namespace: CDSImportDeclaration.declarationNamespace)))
        #expect(dec.text(atLocalPath: "FunctionalReferenceID") == "KT20260412")
        #expect(dec.text(atLocalPath: "TypeCode") == "IMD")
        #expect(dec.text(atLocalPath: "GoodsItemQuantity") == "3")
        #expect(dec.first(localPath: "InvoiceAmount")?.attribute("currencyID") == "GBP")
        #expect(dec.text(atLocalPath: "InvoiceAmount") == "68.49")
        #expect(dec.text(atLocalPath: "Exporter/Name") == "Hangzhou Kite & Outdoor <Export> Co., Ltd.")
        #expect(xml.contains("Hangzhou Kite &amp; Outdoor &lt;Export&gt; Co., Ltd."))
        #expect(dec.text(atLocalPath: "GoodsShipment/Importer/Name") == "Oliver O'Neill")
        let items = dec.first(localPath: "GoodsShipment")?.children(local: "GovernmentAgencyGoodsItem") ?? []
        #expect(items.count == 3)
        let classifications = items[0].first(localPath: "Commodity")?.children(local: "Classification").map { $0.text(atLocalPath: "ID") }
        #expect(classifications == ["95030095", "00"])
        #expect(items[1].first(localPath: "Commodity")?.children(local: "Classification").count == 1)
        #expect(items[0].text(atLocalPath: "Commodity/GoodsMeasure/NetNetWeightMeasure") == "0.6")
        // 2.4 kg gross shared by net mass 0.6 : 0.3 : 1.1.
        #expect(items.map { $0.text(atLocalPath: "Commodity/GoodsMeasure/GrossMassMeasure") } == ["0.72", "0.36", "1.32"])
        // £68.49 is under the £135 negligible-value relief.
        #expect(items.allSatisfy { $0.children(local: "GovernmentProcedure").last?.text(atLocalPath: "CurrentCode") == "C07" })
        #expect(items.map { $0.text(atLocalPath: "Packaging/QuantityQuantity") } == ["1", "0", "0"])
        #expect(filing.warnings.map(\.path) == ["parties[0].address_lines"])
    }

    @Test func amountsKeepTheirCurrencyDecimals() {
        #expect(CustomsFormat.amount(Money(49, "EUR")) == "49.00")
        #expect(CustomsFormat.amount(Money(Decimal(string: "12.345")!, "GBP")) == "12.35")
        #expect(CustomsFormat.amount(Money(Decimal(string: "1500.4")!, "JPY")) == "1500")
        #expect(CustomsFormat.amount(Money(Decimal(string: "0.5")!, "KWD")) == "0.500")
        #expect(CustomsFormat.amount(Money(Decimal(string: "-3.1")!, "USD")) == "-3.10")
    }

    @Test func aboveTheThresholdNoReliefIsClaimed() throws {
        var (_, order) = try #require(try Repo.orders().first { $0.0.hasSuffix("gb-b2c-cds-ready.json") })
        order.lines[2].lineValue = Money(Decimal(string: "150.00")!, "GBP")
        let filing = try adapter.render(order, options: .init(lrn: "KT20260412B", declarantEORI: "GB123456789000"))
        let items = filing.root.descendants(local: "GovernmentAgencyGoodsItem")
        #expect(items.allSatisfy { $0.children(local: "GovernmentProcedure").last?.text(atLocalPath: "CurrentCode") == "000" })
    }

    @Test func missingDataIsReportedPerField() throws {
        var (_, order) = try #require(try Repo.orders().first { $0.0.hasSuffix("gb-b2c-cds-ready.json") })
        order.shipment.destinationCountry = "FR"
        order.lines[0].hsCode = "9503"
        order.lines[1].hsCode = nil
        order.lines[2].originCountry = nil
        do {
            _ = try adapter.render(order, options: .init(lrn: "this LRN is far too long!", declarantEORI: "DE123"))
            Issue.record("rendered an incomplete order")
        } catch {
            #expect(error.issues.map(\.path) == [
                "shipment.destination_country", "options.lrn", "options.declarant_eori",
                "lines[0].hs_code", "lines[1].hs_code", "lines[2].origin_country",
            ])
        }
    }
}

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
