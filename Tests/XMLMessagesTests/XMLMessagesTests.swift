import CustomsModel
import Foundation
import JSONCore
import Mapping
import SecureXML
import Testing
import XMLMessages

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let mapping = """
    mapping: test-xml
    direction: outbound
    canonical: order
    format: xml
    namespaces:
      md: urn:wco:datamodel:WCO:DocumentMetaData-DMS:2
      _: urn:wco:datamodel:WCO:DEC-DMS:2
    rules:
      - to: /md:MetaData/md:WCOTypeName
        value: DEC
      - to: /md:MetaData/Declaration/FunctionalReferenceID
        from: external_reference
      - each: lines
        as: line
        to: /md:MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem
        rules:
          - to: Commodity/Description
            from: line.description
          - to: Commodity/InvoiceLine/ItemChargeAmount/@currencyID
            from: line.line_value.currency
          - to: Commodity/InvoiceLine/ItemChargeAmount/_text
            from: line.line_value.amount

    """

@Suite struct XMLMessagesTests {
    func order() throws -> JSONValue {
        try JSONParser.parse(try [UInt8](Data(contentsOf: root.appendingPathComponent("Fixtures/xml/orders/gb-b2c-cds-ready.json"))))
    }

    @Test func mappingOutputBecomesNamespacedXML() throws {
        let spec = try MappingLoader().load(mapping, file: "Mappings/test.yaml")
        let tree = try #require(try MappingEngine(spec: spec).run(try order()).documents.first)
        let bytes = try XMLMessageWriter().write(tree, spec: spec)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">"#))
        let doc = try SecureXMLParser().parse(bytes).root
        #expect(doc.name == XMLName("MetaData", namespace: "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"))
        let items = doc.descendants(local: "GovernmentAgencyGoodsItem")
        #expect(items.count == 3)
        #expect(items.allSatisfy { $0.namespaceURI == "urn:wco:datamodel:WCO:DEC-DMS:2" })
        let amount = try #require(items.first?.first(localPath: "Commodity/InvoiceLine/ItemChargeAmount"))
        #expect(amount.attribute("currencyID") == "GBP")
        #expect(amount.text == "37.00")
        #expect(items.first?.text(atLocalPath: "Commodity/Description") == "Single-line delta kite, ripstop polyester, 1.2 m span")
    }

    @Test func undeclaredPrefixesAndManyRootsAreErrors() throws {
        let spec = try MappingLoader().load(mapping, file: "Mappings/test.yaml")
        let bad: JSONValue = .object(JSONObject([("x:Root", .string("1"))]))
        #expect(throws: XMLMessageError.self) { _ = try XMLMessageWriter().write(bad, spec: spec) }
        let two: JSONValue = .object(JSONObject([("A", .string("1")), ("B", .string("2"))]))
        #expect(throws: XMLMessageError.self) { _ = try XMLMessageWriter().write(two, spec: spec) }
    }

    @Test func readerGivesInboundMappingsALocalNameTree() throws {
        let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent("Fixtures/xml/hmrc-cds/TT_IM001a_02_DMSTAX.xml")))
        let tree = try XMLMessageReader().read(bytes)
        let response = tree["MetaData"]?["Response"]
        #expect(response?["FunctionCode"] == .string("13"))
        #expect(response?["IssueDateTime"]?["DateTimeString"] == .object(JSONObject([("@formatCode", .string("304")), ("_text", .string("20240222100938Z"))])))
        let fees = response?["Declaration"]?["GoodsShipment"]?["GovernmentAgencyGoodsItem"]?["Commodity"]?["DutyTaxFee"]?.arrayValue
        #expect(fees?.count == 2)
        #expect(fees?.last?["Payment"]?["TaxAssessedAmount"]?["_text"] == .string("204.00"))
        // Hostile input is refused by the same hardened parser.
        #expect(throws: XMLError.self) { _ = try XMLMessageReader().read(Array(#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#.utf8)) }
    }
}
