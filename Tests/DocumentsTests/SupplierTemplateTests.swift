import DocumentExtraction
import Documents
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
            (150, phrase(40, "Goods for")),
            (162, phrase(40, "Outils Dupont SA")),
            (174, phrase(40, "75001 Paris")),
            (240, phrase(40, "Description") + phrase(300, "Pcs Shipped") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(320, "10") + phrase(390, "3.70") + phrase(475, "37.00")),
            (300, phrase(380, "Total") + phrase(475, "37.00")),
        ])
    }

    static func template(_ yaml: String, _ name: String = "brightwater.yaml") throws(SupplierTemplateError) -> SupplierTemplate {
        try SupplierTemplate.load(Array(yaml.utf8), source: name)
    }

    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/documents/templates")

    /// The templates shipped in Data/documents/templates, loaded as the CLI and the server load them.
    static func shipped() throws -> [SupplierTemplate] {
        try SupplierTemplates.load(root: committed.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
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
        #expect(used.supplier == "Brightwater Tools Ltd" && used.source == "Data/documents/templates/example-brightwater-tools.yaml" && used.page == 1 && !used.matched.isEmpty)
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
        let t = try Self.template("""
            supplier: Brightwater Tools Ltd
            match:
              names: [Brightwater Tools]
            labels:
              invoice_number: [Doc Ref]
            """)
        let d = Extractor(templates: [t]).extract([Self.invoice(vat: "Sheffield S1 2AB")]).document
        #expect(d.invoiceNumber == "BW-55120")
    }

    /// Each broken template with the line and field its error must name.
    @Test(arguments: [
        ("match:\n  names: [X Ltd]\n", 1, "supplier"),
        ("supplier: X\nmatch: {}\n", 2, "match"),
        ("supplier: X\nmatch:\n  vat: [GB1]\n", 3, "match.vat"),
        ("supplier: X\nmatch:\n  names: [X]\n  nmes: [Y]\n", 4, "match.nmes"),
        ("supplier: X\nmatch: {names: [X]}\nlabels:\n  invoice_number: [Ref]\n  invoice_numbr: [Ref]\n", 5, "labels.invoice_numbr"),
        ("supplier: X\nmatch: {names: [X]}\nlabels:\n  invoice_number: Ref\n", 4, "labels.invoice_number"),
        ("supplier: X\nmatch: {names: [X]}\nlabels:\n  invoice_number:\n    - Ref\n    - '--'\n", 6, "labels.invoice_number[1]"),
        ("supplier: X\nmatch: {names: [X]}\ncolumns:\n  qty: [Stk]\n", 4, "columns.qty"),
        ("supplier: X\nmatch: {names: [X]}\nregions:\n  total:\n    box: [0.5, 0.2, 1.4, 0.3]\n", 5, "regions.total.box[2]"),
        ("supplier: X\nmatch: {names: [X]}\nregions:\n  total:\n    box: [0.5, 0.2, '0.9', 0.3]\n", 5, "regions.total.box[2]"),
        ("supplier: X\nmatch: {names: [X]}\nregions:\n  total:\n    box: [0.5, 0.4, 0.9, 0.3]\n", 5, "regions.total.box"),
        ("supplier: X\nmatch: {names: [X]}\nregions:\n  total:\n    page: 0\n    box: [0.5, 0.2, 0.9, 0.3]\n", 5, "regions.total.page"),
        ("supplier: X\nmatch: {names: [X]}\ndefaults:\n  incoterm: DAP\n  currency: EURO\n", 5, "defaults.currency"),
        ("supplier: X\nmatch: {names: [X]}\ndefaults:\n  incoterm: FOO\n", 4, "defaults.incoterm"),
        ("supplier: X\nmatch: {names: [X]}\ncolour: blue\n", 3, "colour"),
        // Yams finds a duplicate key at the start of its map, and an unclosed bracket where it gives up.
        ("supplier: X\nsupplier: Y\nmatch: {names: [X]}\n", 1, "(file)"),
        ("supplier: X\nmatch: {names: [X]\n", 3, "(file)"),
        ("supplier: X\nmatch: {names: [X]}\nlabels: !!binary aGVsbG8=\n", 3, "(file)"),
        ("- supplier: X\n", 1, "(file)"),
    ])
    func badTemplateNamesFileLineAndField(yaml: String, line: Int, field: String) {
        #expect {
            _ = try Self.template(yaml, "acme.yaml")
        } throws: { error in
            guard let e = error as? SupplierTemplateError else { return false }
            return e.file == "acme.yaml" && e.line == line && e.field == field && e.description.hasPrefix("acme.yaml:\(line): \(field): ")
        }
    }

    /// The country code `NO` stays Norway, as in the mappings: scalars keep their text.
    @Test func yamlScalarsKeepTheirText() throws {
        let t = try Self.template("supplier: Fjord AS\nmatch: {names: [Fjord]}\ndefaults:\n  country_of_origin: NO\n  currency: NOK\n")
        #expect(t.defaults == ["country_of_origin": "NO", "currency": "NOK"])
    }

    @Test func twoTemplatesClaimingOneNumberAreRefused() {
        let a = Array("supplier: A\nmatch:\n  vat: [DE123456789]\n".utf8)
        let b = Array("# B\nsupplier: B\nmatch: {vat: [de 123 456 789]}\n".utf8)
        #expect(throws: SupplierTemplateError(file: "b.yaml", line: 3, field: "match", message: "identifier DE123456789 is already a.yaml's")) {
            _ = try SupplierTemplate.loadAll([("b.yaml", b), ("a.yaml", a)])
        }
    }

    /// Templates are YAML only: a JSON file left in the folder is refused by name rather than
    /// skipped, so that a supplier's template never silently stops applying.
    @Test func aJSONTemplateInTheFolderIsRefused() throws {
        let fm = FileManager.default
        let home = fm.temporaryDirectory.appendingPathComponent("supplier-templates-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: home) }
        let dir = home.appendingPathComponent(SupplierTemplates.folder)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("supplier: A\nmatch: {names: [A]}\n".utf8).write(to: dir.appendingPathComponent("a.yaml"))
        try Data("supplier: B\nmatch: {names: [B]}\n".utf8).write(to: dir.appendingPathComponent("b.yml"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("README.txt"))
        #expect(try SupplierTemplates.load(root: home).map(\.supplier) == ["A", "B"])

        try Data(#"{"supplier": "C", "match": {"names": ["C"]}}"#.utf8).write(to: dir.appendingPathComponent("c.json"))
        #expect {
            _ = try SupplierTemplates.load(root: home)
        } throws: { error in
            guard let e = error as? SupplierTemplateError else { return false }
            return e.file == "Data/documents/templates/c.json" && e.field == "(file)" && e.message.contains("YAML")
        }
    }
}
