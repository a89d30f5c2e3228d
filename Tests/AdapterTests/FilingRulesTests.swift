import AdapterKit
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping
import Testing

/// One regression test per defect of the "filings by the rules" review: each filing either carries
/// what its gateway needs, or is refused naming the rule and the field.
enum Filing {
    static func body(_ order: String, _ adapter: String) throws -> String { try Repo.render(order, adapter).body }

    static func render(_ order: Order, _ adapter: String, name: String, values: [String: String?] = [:], sequence: Int? = 1) throws -> RenderedFiling {
        var context = try Repo.goldenContext(name)
        context.sequence = sequence
        for (k, v) in values { context.values[k] = v }
        return try Repo.catalog.render(order, adapter: adapter, now: Repo.goldenTime, context: context)
    }

    /// The rule ids a render is refused by (empty when it renders).
    static func refusals(_ order: Order, _ adapter: String, name: String, values: [String: String?] = [:], sequence: Int? = 1, catalog: AdapterCatalog? = nil) throws -> [RuleViolation] {
        var context = try Repo.goldenContext(name)
        context.sequence = sequence
        for (k, v) in values { context.values[k] = v }
        do {
            _ = try (catalog ?? Repo.catalog).render(order, adapter: adapter, now: Repo.goldenTime, context: context)
            return []
        } catch {
            return error.violations
        }
    }

    /// The catalog with one adapter file edited.
    static func catalog(adapter: String, edit: (String) -> String) throws -> AdapterCatalog {
        var files: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: Repo.url("Adapters").path) where file.hasSuffix(".yaml") {
            let text = try Repo.text("Adapters/\(file)")
            files["Adapters/\(file)"] = file == "\(adapter).yaml" ? edit(text) : text
        }
        let walker = FileManager.default.enumerator(atPath: Repo.url("Mappings").path)
        while let f = walker?.nextObject() as? String {
            if f.hasSuffix(".yaml") { files["Mappings/\(f)"] = try Repo.text("Mappings/\(f)") }
        }
        for g in ["D96B", "CONTRL"] { files["Data/edifact/grammars/\(g).json"] = try Repo.text("Data/edifact/grammars/\(g).json") }
        let (catalog, errors) = try Repo.scratchContent(files).loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        return catalog
    }
}

@Suite struct CDSRuleTests {
    @Test func locationOfGoodsIsDeclaredOrTheFilingRefused() throws {
        let xml = try Filing.body("gb-b2c-apparel-from-cn", "uk-cds")
        #expect(xml.contains("<GoodsLocation><Name>LHRLHRLHR</Name><TypeCode>A</TypeCode><Address><TypeCode>U</TypeCode><CountryCode>GB</CountryCode></Address></GoodsLocation>"))
        // Without the adapter file's default and without a movement value, the filing is refused.
        let bare = try Filing.catalog(adapter: "uk-cds") { $0.replacingOccurrences(of: "default_goods_location: LHRLHRLHR", with: "") }
        let refused = try Filing.refusals(try Repo.order("gb-b2c-apparel-from-cn"), "uk-cds", name: "gb-b2c-apparel-from-cn",
                                          values: ["goods_location": nil], catalog: bare)
        #expect(refused.map(\.rule) == ["CDS-DE5/23"] && refused.first?.field == "goods_location")
    }

    @Test func containerIndicatorAndBorderTransportAreDeclared() throws {
        let xml = try Filing.body("gb-b2b-pallets-tca", "uk-cds")
        #expect(xml.contains("<BorderTransportMeans><RegistrationNationalityCode>DE</RegistrationNationalityCode><ModeCode>3</ModeCode></BorderTransportMeans>"))
        #expect(xml.contains("<Consignment><ContainerCode>0</ContainerCode><ArrivalTransportMeans><ID>SBW1234</ID><IdentificationTypeCode>30</IdentificationTypeCode></ArrivalTransportMeans>"))
        let order = try Repo.order("gb-b2b-pallets-tca")
        #expect(try Filing.refusals(order, "uk-cds", name: "gb-b2b-pallets-tca", values: ["border_nationality": nil]).map(\.rule) == ["CDS-DE7/15"])
        #expect(try Filing.refusals(order, "uk-cds", name: "gb-b2b-pallets-tca", values: ["arrival_transport_id": nil]).map(\.rule) == ["CDS-DE7/9"])
    }

    @Test func taricCodeIsDeclaredForEightDigitCodes() throws {
        let xml = try Filing.body("gb-b2c-apparel-from-cn", "uk-cds")
        #expect(xml.contains("<Classification><ID>62046231</ID><IdentificationTypeCode>TSP</IdentificationTypeCode></Classification><Classification><ID>00</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification>"))
        #expect(xml.contains("<Classification><ID>61091000</ID><IdentificationTypeCode>TSP</IdentificationTypeCode></Classification><Classification><ID>10</ID>"))
    }

    @Test func invoiceDocumentBacksValuationMethodOne() throws {
        let xml = try Filing.body("gb-b2c-apparel-from-cn", "uk-cds")
        #expect(xml.contains("<AdditionalDocument><CategoryCode>N</CategoryCode><ID>NW-100231/20.11.2026</ID><TypeCode>935</TypeCode></AdditionalDocument>"))
        #expect(xml.contains("<CustomsValuation><MethodCode>1</MethodCode></CustomsValuation>"))
    }

    @Test func deliveryTermsCarryTheirLocation() throws {
        #expect(try Filing.body("gb-b2c-apparel-from-cn", "uk-cds").contains("<TradeTerms><ConditionCode>DAP</ConditionCode><LocationID>GBLHR</LocationID></TradeTerms>"))
        let bare = try Filing.catalog(adapter: "uk-cds") { $0.replacingOccurrences(of: "default_incoterm_place: GBLHR", with: "") }
        let refused = try Filing.refusals(try Repo.order("gb-b2c-apparel-from-cn"), "uk-cds", name: "gb-b2c-apparel-from-cn",
                                          values: ["incoterm_place": nil], catalog: bare)
        #expect(refused.map(\.rule) == ["CDS-DE4/1"])
    }

    @Test func defermentCarriesItsAccountAndAuthorisation() throws {
        let xml = try Filing.body("gb-b2c-apparel-from-cn", "uk-cds")
        #expect(xml.contains("<AdditionalDocument><CategoryCode>1</CategoryCode><ID>1108654</ID><TypeCode>DAN</TypeCode></AdditionalDocument>"))
        #expect(xml.contains("<AuthorisationHolder><ID>GB123456789000</ID><CategoryCode>DPO</CategoryCode></AuthorisationHolder>"))
        #expect(xml.contains("<AdditionalDocument><CategoryCode>C</CategoryCode><ID>GBDPO1108654</ID><TypeCode>506</TypeCode></AdditionalDocument>"))
        let catalog = try Filing.catalog(adapter: "uk-cds") { $0.replacingOccurrences(of: "deferment_account: \"1108654\"", with: "deferment_account: \"none\"") }
        let refused = try Filing.refusals(try Repo.order("gb-b2c-apparel-from-cn"), "uk-cds", name: "gb-b2c-apparel-from-cn", catalog: catalog)
        #expect(refused.map(\.rule) == ["CDS-DE4/8"])
    }

    @Test func sixDigitCodesAreRefused() throws {
        var order = try Repo.order("gb-b2c-apparel-from-cn")
        order.lines[1].hsCode = "620462"
        let refused = try Filing.refusals(order, "uk-cds", name: "gb-b2c-apparel-from-cn")
        #expect(refused == [RuleViolation(rule: "CDS-DE6/14", field: "lines[1].hs_code", message: refused.first?.message ?? "")])
    }

    @Test func grossMassIsSummedOverParcelsAndSharedOverItems() throws {
        let xml = try Filing.body("gb-b2b-pallets-tca", "uk-cds")
        #expect(xml.contains("<TotalGrossMassMeasure>277.5</TotalGrossMassMeasure><TotalPackageQuantity>2</TotalPackageQuantity>"))
        // 160 kg and 60 kg net share out 277.5 kg gross.
        #expect(xml.contains("<GrossMassMeasure>201.818</GrossMassMeasure><NetNetWeightMeasure>160</NetNetWeightMeasure>"))
        #expect(xml.contains("<GrossMassMeasure>75.682</GrossMassMeasure><NetNetWeightMeasure>60</NetNetWeightMeasure>"))
    }

    @Test func foreignCurrencyIsConvertedBeforeTheThreshold() throws {
        // EUR 44 is GBP 37.45 at the November rate: C07 (with 1RV for B2C), not 000.
        let xml = try Filing.body("gb-b2c-eur-order", "uk-cds")
        #expect(xml.contains("<GovernmentProcedure><CurrentCode>C07</CurrentCode></GovernmentProcedure><GovernmentProcedure><CurrentCode>1RV</CurrentCode></GovernmentProcedure>"))
        let order = try Repo.order("gb-b2c-eur-order")
        var context = try Repo.goldenContext("gb-b2c-eur-order")
        context.sequence = 1
        context.rates = context.rates.filter { $0.to != "GBP" }
        #expect {
            try Repo.catalog.render(order, adapter: "uk-cds", now: Repo.goldenTime, context: context)
        } throws: { ($0 as? AdapterError)?.violations.map(\.rule) == ["CDS-FX"] }
        // A rate published after the declaration date is not used.
        context.rates = [ExchangeRate(from: "EUR", to: "GBP", rate: Decimal(string: "0.85")!, date: "2026-12-01")]
        #expect {
            try Repo.catalog.render(order, adapter: "uk-cds", now: Repo.goldenTime, context: context)
        } throws: { ($0 as? AdapterError)?.violations.map(\.rule) == ["CDS-FX"] }
    }

    @Test func exciseGoodsGetNoNegligibleValueRelief() throws {
        let xml = try Filing.body("gb-b2c-whisky-excise", "uk-cds")
        #expect(xml.contains("<GovernmentProcedure><CurrentCode>000</CurrentCode></GovernmentProcedure>"))
        #expect(!xml.contains("C07") && xml.contains("<TypeCode>B00</TypeCode>"))
    }

    @Test func smallPrivateGiftGetsGiftReliefWithoutVAT() throws {
        let xml = try Filing.body("gb-c2c-gift-under-39", "uk-cds")
        #expect(xml.contains("<GovernmentProcedure><CurrentCode>C08</CurrentCode></GovernmentProcedure>"))
        #expect(!xml.contains("C07") && !xml.contains("B00"))
        // Above GBP 39 the gift pays VAT as usual.
        let larger = try Filing.body("gb-c2c-gift", "uk-cds")
        #expect(larger.contains("<CurrentCode>C07</CurrentCode>") && larger.contains("<TypeCode>B00</TypeCode>") && !larger.contains("1RV"))
    }

    @Test func lowValueB2CSaleIsNotTaxedTwice() throws {
        let xml = try Filing.body("gb-b2c-apparel-from-cn", "uk-cds")
        #expect(xml.contains("<GovernmentProcedure><CurrentCode>C07</CurrentCode></GovernmentProcedure><GovernmentProcedure><CurrentCode>1RV</CurrentCode></GovernmentProcedure>"))
        #expect(!xml.contains("B00") && xml.contains("<TypeCode>A00</TypeCode>"))
    }

    @Test func giftIsNotValuedAsASale() throws {
        let xml = try Filing.body("gb-c2c-gift-under-39", "uk-cds")
        #expect(xml.contains("<CustomsValuation><MethodCode>6</MethodCode></CustomsValuation>") && !xml.contains("<TypeCode>935</TypeCode>"))
    }

    @Test func preferenceClaimCarriesItsProofOfOrigin() throws {
        let xml = try Filing.body("gb-b2b-pallets-tca", "uk-cds")
        #expect(xml.contains("<AdditionalDocument><CategoryCode>U</CategoryCode><ID>NW-B2B-9102</ID><TypeCode>110</TypeCode></AdditionalDocument>"))
        #expect(xml.contains("<DutyRegimeCode>300</DutyRegimeCode>"))
        var order = try Repo.order("gb-b2b-pallets-tca")
        order.lines[0].preferenceClaim?.proof = nil
        #expect(try Filing.refusals(order, "uk-cds", name: "gb-b2b-pallets-tca").map(\.field) == ["lines[0].preference_claim.proof"])
    }

    @Test func importerOfRecordIsDeclaredByEORI() throws {
        let xml = try Filing.body("gb-b2b-importer-of-record", "uk-cds")
        #expect(xml.contains("<Importer><ID>GB665544332211</ID></Importer>"))
        #expect(!xml.contains("Evans Retail"))
        // A business importer without a GB EORI is refused.
        var order = try Repo.order("gb-b2b-importer-of-record")
        order.parties[2].taxIDs = []
        #expect(try Filing.refusals(order, "uk-cds", name: "gb-b2b-importer-of-record").map(\.rule) == ["CDS-DE3/16"])
    }

    @Test func freightAndInsuranceAreAddedToTheCustomsValue() throws {
        let xml = try Filing.body("gb-b2b-pallets-tca", "uk-cds")
        #expect(xml.contains("<CustomsValuation><ChargeDeduction><ChargesTypeCode>AK</ChargesTypeCode><OtherChargeDeductionAmount currencyID=\"GBP\">228.40</OtherChargeDeductionAmount></ChargeDeduction></CustomsValuation>"))
    }

    @Test func lrnComesFromTheSequence() throws {
        let order = try Repo.order("gb-b2c-apparel-from-cn")
        let first = try Filing.render(order, "uk-cds", name: "gb-b2c-apparel-from-cn", sequence: 41).body
        let resubmitted = try Filing.render(order, "uk-cds", name: "gb-b2c-apparel-from-cn", sequence: 42).body
        #expect(first.contains("<FunctionalReferenceID>CH0000000041</FunctionalReferenceID>"))
        #expect(resubmitted.contains("<FunctionalReferenceID>CH0000000042</FunctionalReferenceID>"))
        #expect(try Filing.refusals(order, "uk-cds", name: "gb-b2c-apparel-from-cn", sequence: nil).map(\.rule) == ["CDS-DE2/5"])
    }
}

@Suite struct ICSRuleTests {
    @Test func specialCircumstanceIsOneHMRCAllows() throws {
        #expect(!(try Filing.body("gb-b2c-apparel-from-cn", "uk-ics")).contains("SpeCirIndHEA1"))
        #expect(try Filing.body("gb-b2b-pallets-tca", "uk-ics").contains("<SpeCirIndHEA1>C</SpeCirIndHEA1>"))
    }

    @Test func postalModeIsAModeHMRCAllows() throws {
        #expect(try Filing.body("gb-c2c-gift", "uk-ics").contains("<TraModAtBorHEA76>4</TraModAtBorHEA76>"))
    }

    @Test func messageSenderFollowsRule4065() throws {
        #expect(try Filing.body("gb-b2c-apparel-from-cn", "uk-ics").contains("<MesSenMES3>GB123456789000/0123456789</MesSenMES3>"))
        let catalog = try Filing.catalog(adapter: "uk-ics") { $0.replacingOccurrences(of: "sender: GB123456789000/0123456789", with: "sender: CUSTOMSHUB") }
        #expect(try Filing.refusals(try Repo.order("gb-b2c-apparel-from-cn"), "uk-ics", name: "gb-b2c-apparel-from-cn", catalog: catalog).map(\.rule) == ["ICS-4065"])
    }

    @Test func placesFlightRoadMeansAndConsignorAreDeclared() throws {
        let air = try Filing.body("gb-b2c-apparel-from-cn", "uk-ics")
        #expect(air.contains("<ConRefNumHEA>BA0028</ConRefNumHEA><PlaLoaGOOITE334>HKHKG</PlaLoaGOOITE334><PlaUnlGOOITE334>GBLHR</PlaUnlGOOITE334>"))
        #expect(air.contains("<NamCO17>Shenzhen Brightleaf Trading Co., Lt</NamCO17>"))
        let road = try Filing.body("gb-b2b-pallets-tca", "uk-ics")
        #expect(road.contains("<IdeOfMeaOfTraCroHEA85>SBW1234</IdeOfMeaOfTraCroHEA85><NatOfMeaOfTraCroHEA87>DE</NatOfMeaOfTraCroHEA87>"))
        // A consignor with a non-GB TIN is named with its address as well.
        #expect(road.contains("<NamCO17>Berger Werkzeuge GmbH</NamCO17>") && road.contains("<TINCO159>DE123456789012345</TINCO159>"))
        let order = try Repo.order("gb-b2c-apparel-from-cn")
        let missing = try Filing.refusals(order, "uk-ics", name: "gb-b2c-apparel-from-cn", values: ["place_of_loading": nil, "place_of_unloading": nil, "conveyance_reference": nil])
        #expect(missing.map(\.rule) == ["ICS-8104", "ICS-8687", "ICS-8118"])
        let roadOrder = try Repo.order("gb-b2b-pallets-tca")
        #expect(try Filing.refusals(roadOrder, "uk-ics", name: "gb-b2b-pallets-tca", values: ["border_transport_id": nil]).map(\.rule) == ["ICS-8199"])
    }

    @Test func messageIDComesFromTheSequence() throws {
        let order = try Repo.order("gb-b2c-apparel-from-cn")
        let a = try Filing.render(order, "uk-ics", name: "gb-b2c-apparel-from-cn", sequence: 7).body
        let b = try Filing.render(try Repo.order("gb-c2c-gift"), "uk-ics", name: "gb-c2c-gift", sequence: 8).body
        #expect(a.contains("<MesIdeMES19>00000000000007</MesIdeMES19>") && b.contains("<MesIdeMES19>00000000000008</MesIdeMES19>"))
    }

    @Test func arrivalOfficeAndCarrierComeWithTheMovement() throws {
        let air = try Filing.body("gb-b2c-apparel-from-cn", "uk-ics")
        #expect(air.contains("<RefNumCUSOFFFENT731>GB000085</RefNumCUSOFFFENT731><ExpDatOfArrFIRENT733>202611220630</ExpDatOfArrFIRENT733>"))
        #expect(try Filing.body("gb-b2b-pallets-tca", "uk-ics").contains("<RefNumCUSOFFFENT731>GB000060</RefNumCUSOFFFENT731>"))
        let order = try Repo.order("gb-b2c-apparel-from-cn")
        #expect(try Filing.refusals(order, "uk-ics", name: "gb-b2c-apparel-from-cn", values: ["expected_arrival": nil]).map(\.rule) == ["ICS-ARRIVAL"])
        let carried = try Filing.render(order, "uk-ics", name: "gb-b2c-apparel-from-cn", values: ["carrier_eori": "GB987654321000"]).body
        #expect(carried.hasSuffix("<TRACARENT601><TINTRACARENT602>GB987654321000</TINTRACARENT602></TRACARENT601></ie:CC315A>"))
    }
}

@Suite struct CUSDECRuleTests {
    @Test func codeListAgencyIsThePartnersOne() throws {
        let edi = try Filing.body("gb-b2c-apparel-from-cn", "cusdec-gateway")
        #expect(edi.contains("CST++IM:112:ZZZ'") && edi.contains("LOC+22+GB000060:111:ZZZ'") && edi.contains("NAD+DT+GB123456789000::ZZZ'"))
        #expect(!edi.contains(":166") && !edi.contains(":148") && !edi.contains(":172"))
    }

    /// The JP fixture carries HS-6 codes, which CUSDEC refuses; with national codes it files in Japan.
    static func japaneseOrder() throws -> Order {
        var order = try Repo.order("jp-b2c-ceramics-jpy")
        for i in order.lines.indices { order.lines[i].hsCode = HSCode(rawValue: (order.lines[i].hsCode?.rawValue ?? "") + "0000") }
        return order
    }

    @Test func officeAndDeclarantFollowTheDestination() throws {
        let order = try Self.japaneseOrder()
        let edi = try Filing.render(order, "cusdec-gateway", name: "jp-b2c-ceramics-jpy").body
        #expect(edi.contains("LOC+22+JP000100:111:ZZZ'") && edi.contains("NAD+DT+JP123456789::ZZZ'"))
        #expect(try Filing.refusals(try Repo.order("jp-b2c-ceramics-jpy"), "cusdec-gateway", name: "jp-b2c-ceramics-jpy").map(\.rule) == ["CUSDEC-CST-7357", "CUSDEC-CST-7357"])
        #expect(try Filing.refusals(order, "cusdec-gateway", name: "jp-b2c-ceramics-jpy", values: ["customs_office": "GB000060"]).map(\.rule) == ["CUSDEC-LOC-22"])
        #expect(try Filing.refusals(order, "cusdec-gateway", name: "jp-b2c-ceramics-jpy", values: ["declarant_id": nil]).map(\.rule) == ["CUSDEC-NAD-DT"])
    }

    @Test func itemLinesAreComplete() throws {
        // Segments follow each other on new lines; the checks read them as one stream.
        let edi = try Filing.body("gb-b2b-pallets-tca", "cusdec-gateway").replacingOccurrences(of: "\n", with: "")
        #expect(edi.contains("CST+1+8204110000:122:ZZZ+4000::ZZZ'"))
        #expect(edi.contains("PAC+2++PK'") && edi.contains("PAC+0++PK'"))
        #expect(edi.contains("MOA+146:6.25:GBP'CUX+2:GBP:4'MOA+203:2500.00:GBP'CUX+2:GBP:4'"))
        #expect(edi.contains("DOC+380::ZZZ+NW-B2B-9102'DOC+110:U:ZZZ+NW-B2B-9102'"))
        #expect(edi.contains("GIS+300::ZZZ'GIS+1::ZZZ'TAX+7+CUD::ZZZ'TAX+7+VAT::ZZZ'"))
        var order = try Repo.order("gb-b2b-pallets-tca")
        order.lines[1].hsCode = "820790"
        #expect(try Filing.refusals(order, "cusdec-gateway", name: "gb-b2b-pallets-tca").map(\.field) == ["lines[1].hs_code"])
    }

    @Test func interchangeReferenceComesFromTheSequence() throws {
        let order = try Repo.order("gb-b2c-apparel-from-cn")
        let a = try Filing.render(order, "cusdec-gateway", name: "gb-b2c-apparel-from-cn", sequence: 5).body
        let b = try Filing.render(order, "cusdec-gateway", name: "gb-b2c-apparel-from-cn", sequence: 6).body
        #expect(a.contains("+00000000000005'") && b.contains("+00000000000006'") && a.contains("UNZ+1+00000000000005'"))
    }

    @Test func yenKeepsNoDecimals() throws {
        let edi = try Filing.render(try Self.japaneseOrder(), "cusdec-gateway", name: "jp-b2c-ceramics-jpy").body
        let amounts = edi.split(separator: "'").map { $0.trimmingCharacters(in: .newlines) }.filter { $0.hasPrefix("MOA+") }
        #expect(!amounts.isEmpty && amounts.allSatisfy { $0.hasSuffix(":JPY") && !$0.contains(".") })
    }

    @Test func amountsAreQualifiedAndWeightIsSummed() throws {
        let edi = try Filing.body("gb-b2b-pallets-tca", "cusdec-gateway")
        #expect(edi.contains("MEA+WT+AAB+KGM:277.5'"))
        #expect(edi.contains("MOA+146:0.85:GBP'") && edi.contains("MOA+203:850.00:GBP'"))
    }
}

@Suite struct CourierRuleTests {
    @Test func usExportOverTheEEIThresholdNeedsAnITN() throws {
        let body = try Filing.body("ca-b2b-us-export-over-2500", "easypost")
        #expect(body.contains("\"eel_pfc\":\"AES X20261120123456\""))
        let order = try Repo.order("ca-b2b-us-export-over-2500")
        #expect(try Filing.refusals(order, "easypost", name: "ca-b2b-us-export-over-2500", values: ["aes_itn": nil]).map(\.rule) == ["EASYPOST-EEI"])
        #expect(try Filing.refusals(order, "dhl-express", name: "ca-b2b-us-export-over-2500", values: ["aes_itn": nil]).map(\.rule) == ["DHL-US-EEI"])
        #expect(try Filing.body("ca-b2b-us-export-over-2500", "dhl-express").contains("\"USFilingTypeValue\":\"AES X20261120123456\""))
    }

    @Test func lightLinesKeepTheirWeight() throws {
        var order = try Repo.order("gb-b2c-apparel-from-cn")
        order.lines[0].netWeight = Weight(1, .g)
        let body = try Filing.render(order, "easypost", name: "gb-b2c-apparel-from-cn").body
        let items = try JSONParser.parse(body)["shipment"]?["customs_info"]?["customs_items"]?.arrayValue ?? []
        #expect(items.first?["weight"] == .number("0.035"))
    }

    /// IOSS and VOEC ride on the EasyPost Shipment (CustomsInfo has no place for them), each with the
    /// country that issued it, so the destination does not charge VAT again.
    @Test func easyPostShipmentCarriesTheTaxIdentifiers() throws {
        func identifiers(_ body: String) throws -> [JSONValue] {
            try JSONParser.parse(body)["shipment"]?["tax_identifiers"]?.arrayValue ?? []
        }
        let ioss = try identifiers(try Filing.body("de-b2c-ioss-multiline", "easypost"))
        #expect(ioss == [.object(JSONObject([("entity", .string("SENDER")), ("tax_id", .string("IM3720000123")), ("tax_id_type", .string("IOSS")), ("issuing_country", .string("IE"))]))])

        var voec = try Repo.order("no-b2c-voec-lamp")
        voec.shipment.transportMode = .courier
        let norway = try identifiers(try Filing.render(voec, "easypost", name: "no-b2c-voec-lamp").body)
        #expect(norway.map { $0["tax_id_type"]?.stringValue } == ["VAT", "VOEC"])
        #expect(norway.map { $0["issuing_country"]?.stringValue } == ["SE", "NO"])

        let receiver = try identifiers(try Filing.body("gb-b2b-importer-of-record", "easypost"))
        #expect(receiver.first?["entity"] == .string("RECEIVER") && receiver.first?["tax_id_type"] == .string("EORI"))

        var forged = try Repo.order("de-b2c-ioss-multiline")
        forged.parties[0].taxIDs[1].value = "IM8400000123"
        #expect(try Filing.refusals(forged, "easypost", name: "de-b2c-ioss-multiline").map(\.rule) == ["EASYPOST-IOSS"])
    }

    @Test func easyPostParcelWeighsEveryPackage() throws {
        var order = try Repo.order("de-b2c-ioss-multiline")
        let parcel = try JSONParser.parse(try Filing.render(order, "easypost", name: "de-b2c-ioss-multiline").body)["shipment"]?["parcel"]
        #expect(parcel?["weight"] == .number("84.7"))
        order.shipment.parcels.append(order.shipment.parcels[0])
        let two = try JSONParser.parse(try Filing.render(order, "easypost", name: "de-b2c-ioss-multiline").body)["shipment"]?["parcel"]
        #expect(two?["weight"] == .number("169.3"))
    }

    @Test func dhlRequestHasAccountsPickupAndContacts() throws {
        let request = try JSONParser.parse(try Filing.body("gb-b2c-apparel-from-cn", "dhl-express"))
        #expect(request["accounts"]?.arrayValue?.first?["typeCode"] == .string("shipper"))
        #expect(request["pickup"]?["isRequested"] == .bool(false))
        #expect(request["customerDetails"]?["receiverDetails"]?["contactInformation"]?["companyName"] == .string("Amelia Hart"))
        var order = try Repo.order("gb-b2c-apparel-from-cn")
        order.parties[1].phone = nil
        #expect(try Filing.refusals(order, "dhl-express", name: "gb-b2c-apparel-from-cn").map(\.rule) == ["DHL-CONTACT-PHONE"])
    }

    @Test func dhlShipsOnTheRenderDateNotTheOrderDate() throws {
        let request = try JSONParser.parse(try Filing.body("gb-b2c-apparel-from-cn", "dhl-express"))
        #expect(request["plannedShippingDateAndTime"] == .string("2026-11-21T08:00:00 GMT+00:00"))
    }

    @Test func dhlCarriesRegistrationNumbersAndPaysDutiesUnderDDP() throws {
        var order = try Repo.order("de-b2c-ioss-multiline")
        for i in order.parties.indices { order.parties[i].phone = "+49 30 555 0100" }
        let request = try JSONParser.parse(try Filing.render(order, "dhl-express", name: "de-b2c-ioss-multiline").body)
        let numbers = request["customerDetails"]?["shipperDetails"]?["registrationNumbers"]?.arrayValue ?? []
        #expect(numbers.contains { $0["typeCode"] == .string("SDT") })
        #expect(request["valueAddedServices"]?.arrayValue?.first?["serviceCode"] == .string("DD"))
        #expect(request["accounts"]?.arrayValue?.contains { $0["typeCode"] == .string("duties-taxes") } == true)
    }

    @Test func dhlGrossWeightAndImportCodeAreTheirOwn() throws {
        let request = try JSONParser.parse(try Filing.body("gb-b2c-apparel-from-cn", "dhl-express"))
        let first = request["content"]?["exportDeclaration"]?["lineItems"]?.arrayValue?.first
        #expect(first?["weight"]?["grossValue"] == .number("0.257"))
        #expect(first?["commodityCodes"]?.arrayValue?.map { $0["typeCode"] } == [.string("outbound"), .string("inbound")])
    }

    @Test func dhlMessageReferenceComesFromTheSequence() throws {
        let filing = try Filing.render(try Repo.order("gb-b2c-apparel-from-cn"), "dhl-express", name: "gb-b2c-apparel-from-cn", sequence: 12)
        #expect(filing.headers.contains { $0.name == "Message-Reference" && $0.value == "CustomsHub-DHL-message-ref-12" })
    }
}

@Suite struct EUH7Tests {
    @Test func h7RendersThroughTheCatalog() throws {
        let xml = try Filing.body("de-b2c-ioss-multiline", "eu-h7")
        #expect(xml.contains("<h7:Reference>H70000000001</h7:Reference>"))
        #expect(xml.contains("<h7:AdditionalProcedure>C07</h7:AdditionalProcedure><h7:AdditionalProcedure>F48</h7:AdditionalProcedure>"))
    }

    @Test func h7RefusesAboveTheCeilingAndExciseGoods() throws {
        #expect(try Filing.refusals(try Repo.order("nl-b2b-eori-pallet"), "eu-h7", name: "nl-b2b-eori-pallet").map(\.rule).contains("H7-CEILING"))
        var order = try Repo.order("de-b2c-ioss-multiline")
        order.lines[0].hsCode = "2208301100"
        #expect(try Filing.refusals(order, "eu-h7", name: "de-b2c-ioss-multiline").map(\.rule) == ["H7-EXCISE"])
    }
}
