import DocumentExtraction
import Foundation
import Testing

/// Supplier templates: data that refines the generic reader for one supplier, checked at load.
@Suite struct SupplierTemplateTests {
    /// An invoice in a layout the generic reader only half understands: the number and the buyer
    /// under labels it does not know, quantities under a header it does not know, the date
    /// unlabelled in a corner, no Incoterm printed.
    static func invoice(vat: String = "VAT No. GB 987 6543 21") -> PageText {
        page([
            (20, phrase(450, "19.04.2024")),
            (40, phrase(40, "Brightwater Tools Ltd") + phrase(330, "INVOICE")),
            (52, phrase(40, vat)),
            (70, phrase(330, "Doc Ref:") + phrase(450, "BW-55120")),
            (82, phrase(330, "Currency:") + phrase(450, "GBP")),
            (150, phrase(40, "Deliver to")),
            (162, phrase(40, "Outils Dupont SA")),
            (174, phrase(40, "75001 Paris")),
            (240, phrase(40, "Description") + phrase(300, "Pcs Shipped") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(320, "10") + phrase(390, "3.70") + phrase(475, "37.00")),
            (300, phrase(380, "Total") + phrase(475, "37.00")),
        ])
    }

    static func template(_ json: String, _ name: String = "brightwater.json") throws(SupplierTemplateError) -> SupplierTemplate {
        try SupplierTemplate.load(Array(json.utf8), source: name)
    }

    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/documents/templates")

    /// The templates shipped in Data/documents/templates, loaded as the CLI and the server load them.
    static func shipped() throws -> [SupplierTemplate] {
        let names = try FileManager.default.contentsOfDirectory(atPath: committed.path).filter { $0.hasSuffix(".json") }.sorted()
        return try SupplierTemplate.loadAll(names.map { ($0, Array(try Data(contentsOf: committed.appendingPathComponent($0)))) })
    }

    @Test func templateLiftsFieldsTheGenericReaderMisses() throws {
        let generic = Extractor().extract([Self.invoice()]).document
        #expect(generic.invoiceNumber == nil)
        #expect(generic.invoiceDate == nil)
        #expect(generic.buyerName == nil)
        #expect(generic.incoterm == nil)

        let templates = try Self.shipped()
        try #require(templates.contains { $0.supplier == "Brightwater Tools Ltd" })
        let r = Extractor(templates: templates).extract([Self.invoice()])
        let d = r.document
        #expect(d.invoiceNumber == "BW-55120")
        #expect(d.invoiceDate == "2024-04-19")
        #expect(d.buyerName == "Outils Dupont SA")
        #expect(d.incoterm == "DAP")
        try #require(d.lines.count == 1)
        #expect(d.lines[0].quantity == "10")
        #expect(d.currency == "GBP")
        // The region's field points at the words it was read from.
        let date = try #require(r.field("invoice_date"))
        #expect(date.box.x0 >= 450 && date.box.y0 >= 20 && date.box.y1 <= 31)
        // The output names the template that read it, and the words that matched it.
        let used = try #require(r.template)
        #expect(used.supplier == "Brightwater Tools Ltd" && used.source.hasSuffix(".json") && used.page == 1 && !used.matched.isEmpty)
        #expect(generic.invoiceNumber == nil && Extractor().extract([Self.invoice()]).template == nil)
    }

    @Test func anotherSuppliersDocumentIsNotTouched() throws {
        let other = Self.invoice(vat: "VAT No. GB 111 2222 33")
        var words = other.words
        words.removeAll { ["Brightwater", "Tools"].contains($0.text) }
        let page = PageText(number: 1, width: other.width, height: other.height, source: .text, words: words)
        let d = Extractor(templates: try Self.shipped()).extract([page]).document
        #expect(d.invoiceNumber == nil)
        #expect(d.incoterm == nil)
    }

    @Test func matchesByNameWhenNoNumberIsPrinted() throws {
        let t = try Self.template(#"{"supplier": "Brightwater Tools Ltd", "match": {"names": ["Brightwater Tools"]}, "labels": {"invoice_number": ["Doc Ref"]}}"#)
        let d = Extractor(templates: [t]).extract([Self.invoice(vat: "Sheffield S1 2AB")]).document
        #expect(d.invoiceNumber == "BW-55120")
    }

    @Test(arguments: [
        (#"{"match": {"names": ["X Ltd"]}}"#, "supplier"),
        (#"{"supplier": "X", "match": {}}"#, "match"),
        (#"{"supplier": "X", "match": {"vat": ["GB1"]}}"#, "match"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "labels": {"invoice_numbr": ["Ref"]}}"#, "labels.invoice_numbr"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "labels": {"invoice_number": "Ref"}}"#, "labels.invoice_number"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "columns": {"qty": ["Stk"]}}"#, "columns.qty"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "regions": {"total": {"box": [0.5, 0.2, 1.4, 0.3]}}}"#, "regions.total.box[2]"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "regions": {"total": {"box": [0.5, 0.4, 0.9, 0.3]}}}"#, "regions.total.box"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "defaults": {"currency": "EURO"}}"#, "defaults.currency"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "defaults": {"incoterm": "FOO"}}"#, "defaults.incoterm"),
        (#"{"supplier": "X", "match": {"names": ["X"]}, "colour": "blue"}"#, "colour"),
        (#"{"supplier": "X", "match": {"names": ["X"]}"#, "(file)"),
    ])
    func badTemplateNamesFileAndField(json: String, field: String) {
        #expect {
            _ = try Self.template(json, "acme.json")
        } throws: { error in
            guard let e = error as? SupplierTemplateError else { return false }
            return e.file == "acme.json" && e.field == field && e.description.hasPrefix("acme.json: \(field): ")
        }
    }

    @Test func twoTemplatesClaimingOneNumberAreRefused() {
        let a = Array(#"{"supplier": "A", "match": {"vat": ["DE123456789"]}}"#.utf8)
        let b = Array(#"{"supplier": "B", "match": {"vat": ["de 123 456 789"]}}"#.utf8)
        #expect(throws: SupplierTemplateError(file: "b.json", field: "match", message: "identifier DE123456789 is already a.json's")) {
            _ = try SupplierTemplate.loadAll([("b.json", b), ("a.json", a)])
        }
    }
}
