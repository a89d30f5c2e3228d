import DocumentExtraction
import Foundation
import Testing

/// Table cells OCR misread, repaired where the document's own values witness it (OCR pages only).
@Suite struct CellRepairTests {
    /// A document's title, number, seller and buyer, and its table's header at y 240.
    static func parties(_ title: String, header: [(x: Double, text: String)]) -> [(y: Double, words: [(x: Double, text: String)])] {
        [
            (40, phrase(40, title)),
            (70, phrase(40, "Seller") + phrase(330, "Invoice No.:") + phrase(450, "A-1001")),
            (82, phrase(40, "Acme Tools Ltd") + phrase(330, "Date:") + phrase(450, "19-04-2014")),
            (150, phrase(40, "Buyer")),
            (162, phrase(40, "Outils Dupont SA")),
            (240, header),
        ]
    }

    /// A packing list with net and gross weights per line and, when given, their totals.
    static func packing(net: [String], gross: [String], totals: (net: String, gross: String)? = nil, ocr: Bool = true) -> PageText {
        let items = ["Merino wool scarf", "Lambswool jumper", "Tweed flat cap"]
        var rows = Self.parties("PACKING LIST", header: phrase(40, "Description") + phrase(250, "Packages") + phrase(330, "Net Weight") + phrase(430, "Gross Weight"))
        for k in net.indices {
            rows.append((258 + Double(k) * 15, phrase(40, items[k]) + phrase(285, "\(k + 2)") + phrase(385 - 5 * Double(net[k].count), net[k])
                + phrase(485 - 5 * Double(gross[k].count), gross[k])))
        }
        if let totals {
            rows.append((320, phrase(300, "Total net weight:") + phrase(450, totals.net + " kg")))
            rows.append((335, phrase(300, "Total gross weight:") + phrase(450, totals.gross + " kg")))
        }
        var p = page(rows, confidence: 0.9)
        if ocr { p.source = .ocr }
        return p
    }

    /// `210` and `81` under a gross weight whose total is 45.3: taken one place down each, the only
    /// choice with which the column adds up. A column that adds up, and a text layer, keep theirs.
    @Test func aWeightThatLostItsMarkIsReadWithTheColumnTotal() throws {
        let r = Extractor().extract([Self.packing(net: ["14.4", "18.9", "6.6"], gross: ["16.2", "210", "81"], totals: ("39.9", "45.3"))])
        try #require(r.document.lines.count == 3)
        #expect(r.document.lines.map(\.grossWeight) == ["16.2", "21", "8.1"])
        #expect(r.document.lines.map(\.netWeight) == ["14.4", "18.9", "6.6"])
        #expect(r.problems.filter { $0.code == "repaired_value" }.compactMap(\.field) == ["lines[1].gross_weight", "lines[2].gross_weight"])
        #expect(try #require(r.field("lines[1].gross_weight")).confidence < 0.9)
        // The column adds up as read: nothing to repair.
        let whole = Extractor().extract([Self.packing(net: ["14.4", "18.9", "6.6"], gross: ["16.2", "210", "81"], totals: ("39.9", "307.2"))])
        #expect(whole.document.lines.map(\.grossWeight) == ["16.2", "210", "81"])
        #expect(!whole.problems.contains { $0.code == "repaired_value" })
        // A text layer's weights are what the supplier printed.
        let text = Extractor().extract([Self.packing(net: ["14.4", "18.9", "6.6"], gross: ["16.2", "210", "81"], totals: ("39.9", "45.3"), ocr: false)])
        #expect(text.document.lines.map(\.grossWeight) == ["16.2", "210", "81"])
    }

    /// With no totals: `81` in a gross column printed with one decimal (`21.0` shows it) is 8.1;
    /// net weights above their gross weight (`144` over 16.2, `66` over 8.1) lose a place.
    /// A column that shows no trailing zero proves no fixed format, and `81` over a net 6.6 stays.
    @Test func aWeightThatLostItsMarkIsReadWithTheColumnFormatAndTheGrossWeight() throws {
        let r = Extractor().extract([Self.packing(net: ["144", "18.9", "66"], gross: ["16.2", "21.0", "81"])])
        try #require(r.document.lines.count == 3)
        #expect(r.document.lines.map(\.grossWeight) == ["16.2", "21", "8.1"])
        #expect(r.document.lines.map(\.netWeight) == ["14.4", "18.9", "6.6"])
        #expect(Set(r.problems.filter { $0.code == "repaired_value" }.compactMap(\.field))
            == ["lines[0].net_weight", "lines[2].net_weight", "lines[2].gross_weight"])
        let free = Extractor().extract([Self.packing(net: ["14.4", "18.9", "6.6"], gross: ["16.2", "21.5", "81"])])
        #expect(free.document.lines.map(\.grossWeight) == ["16.2", "21.5", "81"])
        // `66` printed as 66.0 with its mark and zero lost: 6.6 would fall under the net 60.5.
        let under = Extractor().extract([Self.packing(net: ["14.4", "18.9", "60.5"], gross: ["16.2", "21.0", "66"])])
        #expect(under.document.lines.map(\.grossWeight) == ["16.2", "21", "66"])
        let text = Extractor().extract([Self.packing(net: ["144", "18.9", "66"], gross: ["16.2", "21.0", "81"], ocr: false)])
        #expect(text.document.lines.map(\.netWeight) == ["144", "18.9", "66"])
    }

    /// An invoice whose amounts' header was lost: the unit price and the line total stand under
    /// `Unit Price` as one cell.
    static func invoice(_ cells: [(qty: String, amounts: String)], ocr: Bool = true) -> PageText {
        var rows = Self.parties("COMMERCIAL INVOICE", header: phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(380, "Unit Price") + phrase(470, "(EUR)"))
        for (k, c) in cells.enumerated() {
            let amounts = c.amounts.split(separator: " ").map(String.init)
            rows.append((258 + Double(k) * 15, phrase(40, k == 0 ? "Claw hammer" : "Wood chisel set") + phrase(250, "8205200000") + phrase(335, c.qty)
                + phrase(390, amounts[0]) + phrase(475, amounts[1])))
        }
        var p = page(rows, confidence: 0.9)
        if ocr { p.source = .ocr }
        return p
    }

    /// `3 | 290.00 870.00`: split where 3 × 290.00 = 870.00, said as a warning; a cell whose numbers
    /// do not multiply out, and a text layer, are not split.
    @Test func aUnitPriceAndLineTotalInOneCellAreSplitByTheArithmetic() throws {
        let r = Extractor().extract([Self.invoice([("3", "290.00 870.00"), ("4", "90.00 360.00")])])
        try #require(r.document.lines.count == 2)
        #expect(r.document.lines.map(\.unitPrice) == ["290", "90"])
        #expect(r.document.lines.map(\.lineTotal) == ["870", "360"])
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[0].line_total" })
        let wrong = Extractor().extract([Self.invoice([("3", "290.00 880.00"), ("4", "90.00 360.00")])])
        #expect(wrong.document.lines.first?.lineTotal == nil)
        #expect(wrong.document.lines.first?.unitPrice == nil)
        let text = Extractor().extract([Self.invoice([("3", "290.00 870.00"), ("4", "90.00 360.00")], ocr: false)])
        #expect(text.document.lines.allSatisfy { $0.lineTotal == nil })
    }

    /// An invoice with an origin column whose cells are given.
    static func origins(_ cells: [String], ocr: Bool = true) -> PageText {
        var rows = Self.parties("COMMERCIAL INVOICE", header: phrase(40, "Description") + phrase(250, "Origin") + phrase(330, "Qty") + phrase(380, "Unit Price") + phrase(470, "Amount"))
        for (k, c) in cells.enumerated() {
            rows.append((258 + Double(k) * 15, phrase(40, "Item \(["one", "two", "three", "four"][k])") + phrase(252, c) + phrase(335, "2")
                + phrase(390, "5.00") + phrase(475, "10.00")))
        }
        var p = page(rows, confidence: 0.9)
        if ocr { p.source = .ocr }
        return p
    }

    /// `FA` and `[FA` in a column that reads FR are FR, `bE` beside DE and CZ is DE, `~sIN` beside IN
    /// is IN, `cz` is CZ; `ne` beside IT is nobody's, and a text layer's cells stay as printed.
    @Test func anOriginCellIsReadAsTheColumnsCode() throws {
        func origins(_ cells: [String], ocr: Bool = true) -> [String?] { Extractor().extract([Self.origins(cells, ocr: ocr)]).document.lines.map(\.originCountry) }
        #expect(origins(["FA", "FR", "[FA"]) == ["FR", "FR", "FR"])
        #expect(origins(["DE", "bE", "CZ"]) == ["DE", "DE", "CZ"])
        #expect(origins(["~sIN", "IN"]) == ["IN", "IN"])
        #expect(origins(["DE", "cz"]) == ["DE", "CZ"])
        #expect(origins(["ne", "IT"]) == [nil, "IT"])
        // One letter from two of the column's codes: neither.
        #expect(origins(["DE", "DK", "Dx"]) == ["DE", "DK", nil])
        #expect(origins(["FA", "FR"], ocr: false) == [nil, "FR"])
        let r = Extractor().extract([Self.origins(["FA", "FR"])])
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[0].origin_country" })
    }
}

/// A unit that OCR glued to its quantity (`400PCS`) is the line's unit, as `400 PCS` is.
@Suite struct GluedUnitTests {
    /// `invoice-en-cn-commercial`'s scan: `400 PCS` and `200 PCS` read `400PCS`, `200PCS`.
    static func invoice(_ quantities: [String]) -> PageText {
        var rows = CellRepairTests.parties("COMMERCIAL INVOICE", header: phrase(40, "Description") + phrase(250, "Quantity") + phrase(350, "Unit Price")
            + phrase(450, "Amount"))
        let items = [("LED charging port", "6.85", "2,740.00"), ("Bluetooth speaker", "9.40", "1,880.00")]
        for (k, q) in quantities.enumerated() {
            rows.append((258 + Double(k) * 15, phrase(40, items[k].0) + phrase(255, q) + phrase(355, items[k].1) + phrase(455, items[k].2)))
        }
        rows.append((300, phrase(350, "TOTAL:") + phrase(455, "4,620.00")))
        var p = page(rows, confidence: 0.9)
        p.source = .ocr
        return p
    }

    @Test func aUnitGluedToItsQuantityIsTheLinesUnit() throws {
        let glued = Extractor().extract([Self.invoice(["400PCS", "200PCS"])])
        try #require(glued.document.lines.count == 2)
        #expect(glued.document.lines.map(\.quantity) == ["400", "200"])
        #expect(glued.document.lines.map(\.unit) == ["PCE", "PCE"])
        // The same as the words set apart.
        let apart = Extractor().extract([Self.invoice(["400 PCS", "200 PCS"])])
        #expect(apart.document.lines.map(\.unit) == glued.document.lines.map(\.unit))
    }

    @Test func onlyLettersAfterANumberAreAUnitGluedToIt() {
        #expect(Values.unitGluedToNumber("400PCS") == "PCS" && Values.unitGluedToNumber("4,500kg") == "kg")
        #expect(Values.unitGluedToNumber("400") == nil && Values.unitGluedToNumber("PCS") == nil)
        #expect(Values.unitGluedToNumber("A12pcs") == nil && Values.unitGluedToNumber("12-4pcs") == nil && Values.unitGluedToNumber("12.pcs") == nil)
    }
}
