import DocumentExtraction
import Documents
import Foundation
import Testing

/// Deriving a supplier's template from a reviewer's corrections: a pure function of the words and
/// the corrected values, checked by reading the same words back.
@Suite struct TemplateLearningTests {
    /// One supplier's layout with other values each time: the number under a label the generic
    /// reader does not know, the date unlabelled top right, the buyer under an unknown label.
    static func invoice(number: String, date: String, buyer: String, amount: String, buyerVAT: String = "VAT FR 12 345678901") -> PageText {
        page([
            (20, phrase(450, date)),
            (40, phrase(40, "Brightwater Tools Ltd") + phrase(330, "INVOICE")),
            (52, phrase(40, "VAT No. GB 987 6543 21")),
            (70, phrase(330, "Doc Ref:") + phrase(450, number)),
            (82, phrase(330, "Currency:") + phrase(450, "GBP")),
            (150, phrase(40, "Goods for")),
            (162, phrase(40, buyer)),
            (174, phrase(40, "75001 Paris")),
            (186, phrase(40, buyerVAT)),
            (240, phrase(40, "Description") + phrase(300, "Qty") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(320, "10") + phrase(390, "3.70") + phrase(475, amount)),
            (300, phrase(380, "Total") + phrase(475, amount)),
        ])
    }

    static let first = invoice(number: "BW-55120", date: "19.04.2024", buyer: "Outils Dupont SA", amount: "37.00")
    static let second = invoice(number: "BW-56004", date: "02.07.2024", buyer: "Quincaillerie Martin SARL", amount: "37.00")
    static let corrections = ["invoice_number": "BW-55120", "invoice_date": "2024-04-19", "buyer_name": "Outils Dupont SA"]

    @Test func correctionsTeachLabelsAndRegionsThatReadTheNextDocument() throws {
        let before = Extractor().extract([Self.second]).document
        #expect(before.invoiceNumber == nil && before.invoiceDate == nil && before.buyerName == nil)

        let r = SupplierTemplate.learn(from: [Self.first], corrections: Self.corrections, base: nil, supplier: "Brightwater Tools Ltd",
                                       source: "learned-brightwater.yaml")
        let t = try #require(r.template, "\(r.notLearned)")
        #expect(Set(r.learned.map(\.field)) == ["invoice_number", "invoice_date", "buyer_name"], "\(r.learned) \(r.notLearned)")
        #expect(r.notLearned.isEmpty)
        // The number and the buyer have labels beside them; the date only a place.
        #expect(r.learned.first { $0.field == "invoice_number" }?.how == "label \"doc ref\"")
        #expect(r.learned.first { $0.field == "buyer_name" }?.how == "label \"goods for\"")
        #expect(r.learned.first { $0.field == "invoice_date" }?.how.hasPrefix("region page 1") == true)
        // The supplier's own VAT number is a way to recognise it; the buyer's is not taken.
        #expect(t.identifiers == ["GB987654321"] && t.names == ["brightwater tools ltd"])

        let after = Extractor(templates: [t]).extract([Self.second])
        #expect(after.document.invoiceNumber == "BW-56004")
        #expect(after.document.invoiceDate == "2024-07-02")
        #expect(after.document.buyerName == "Quincaillerie Martin SARL")
        #expect((after.field("invoice_number")?.confidence ?? 0) >= 0.9)
        // Everything else as the generic reader had it.
        #expect(after.document.total == before.total && after.document.currency == before.currency && after.document.lines == before.lines)

        // Written as YAML it loads back (checked like any template) and reads the same.
        let loaded = try SupplierTemplate.load(Array(t.yaml(comment: ["learned"]).utf8), source: "learned-brightwater.yaml")
        #expect(Extractor(templates: [loaded]).extract([Self.second]).document == after.document)
    }

    @Test func aValueNotOnTheDocumentTeachesNothingAndSaysSo() {
        let r = SupplierTemplate.learn(from: [Self.first], corrections: ["invoice_number": "ZZ-00001"], base: nil, supplier: "Brightwater Tools Ltd",
                                       source: "x.yaml")
        #expect(r.template == nil && r.learned.isEmpty)
        #expect(r.notLearned.count == 1 && r.notLearned[0].field == "invoice_number" && r.notLearned[0].reason.contains("'ZZ-00001' is not on the document"))
        // An unknown supplier cannot have a template either.
        let nobody = SupplierTemplate.learn(from: [Self.first], corrections: Self.corrections, base: nil, supplier: nil, source: "x.yaml")
        #expect(nobody.template == nil && nobody.notLearned.count == 3 && nobody.notLearned.allSatisfy { $0.reason.contains("supplier is not known") })
    }

    /// OCR splits and slips inside a supplier's name (as on the committed scans) still match its
    /// template; another name does not.
    @Test func aNameWithAnOCRSlipStillMatches() throws {
        let t = try SupplierTemplate.load(Array("supplier: Thornbury Textiles Ltd\nmatch: {names: [Thornbury Textiles Ltd]}\nlabels: {invoice_number: [Doc Ref]}\n".utf8),
                                          source: "t.yaml")
        func number(_ name: String) -> String? {
            Extractor(templates: [t]).extract([page([(40, phrase(40, name)), (70, phrase(40, "Doc Ref:") + phrase(120, "TT-1001"))])]).document.invoiceNumber
        }
        #expect(number("Ther nbury Textiles Ltd") == "TT-1001")
        #expect(number("Thornbury Textiles Ltd, Leeds") == "TT-1001")
        #expect(number("Thornhill Fabrics Ltd") == nil)
    }

    @Test func aCorrectionTheTemplateAlreadyReadsIsNotLearnedAgain() throws {
        let shipped = try SupplierTemplateTests.shipped()
        let base = try #require(shipped.first { $0.supplier == "Brightwater Tools Ltd" })
        let r = SupplierTemplate.learn(from: [Self.first], corrections: ["invoice_number": "BW-55120", "total": "37"], base: base,
                                       supplier: nil, source: "learned.yaml")
        #expect(r.template == nil && Set(r.alreadyRight) == ["invoice_number", "total"])
    }

    /// A learned template in the data folder is read like a shipped one: first, replacing the
    /// shipped template of its supplier, and a bad one is refused naming the file, line and field.
    @Test func learnedTemplatesLoadFirstAndAreCheckedLikeShippedOnes() throws {
        let fm = FileManager.default
        let data = fm.temporaryDirectory.appendingPathComponent("learned-templates-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: data) }
        let folder = data.appendingPathComponent(SupplierTemplates.learnedFolder)
        let root = SupplierTemplateTests.committed.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(try SupplierTemplates.load(root: root, learned: folder).map(\.supplier) == (try SupplierTemplateTests.shipped()).map(\.supplier))

        let r = SupplierTemplate.learn(from: [Self.first], corrections: Self.corrections, base: nil, supplier: "Brightwater Tools Ltd", source: "")
        let yaml = try #require(r.template).yaml()
        let name = SupplierTemplates.learnedFileName("Brightwater Tools Ltd")
        #expect(name == "learned-brightwater-tools-ltd.yaml")
        _ = try SupplierTemplates.write(yaml, name: name, into: folder)
        let all = try SupplierTemplates.load(root: root, learned: folder)
        #expect(all.filter { $0.supplier == "Brightwater Tools Ltd" }.count == 1)
        #expect(all.first?.source == "\(folder.path)/\(name)")
        #expect(Extractor(templates: all).extract([Self.second]).document.invoiceDate == "2024-07-02")

        let bad = "supplier: \"Acme Ltd\"\nmatch:\n  names: [\"acme ltd\"]\nregions:\n  total: {page: 1, box: [0.5, 0.2, 1.4, 0.3]}\n"
        try Data(bad.utf8).write(to: folder.appendingPathComponent("learned-acme.yaml"))
        #expect {
            _ = try SupplierTemplates.load(root: root, learned: folder)
        } throws: { error in
            guard let e = error as? SupplierTemplateError else { return false }
            return e.file == "\(folder.path)/learned-acme.yaml" && e.line == 5 && e.field == "regions.total.box[2]"
                && e.description.hasPrefix("\(folder.path)/learned-acme.yaml:5: regions.total.box[2]: ")
        }
    }
}
