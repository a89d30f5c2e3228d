import CustomsModel
@testable import DocumentExtraction
import Foundation
import Testing

/// The pure extractor on word boxes typed by hand: no PDF, no OCR.
@Suite struct ExtractorTests {
    static func invoice(lineTotal: String = "37.00", total: String = "62.00", confidence: Double = 1,
                        header: [(x: Double, text: String)] = phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(380, "Unit Price") + phrase(470, "Amount")) -> PageText {
        page([
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (70, phrase(40, "Seller") + phrase(330, "Invoice No.:") + phrase(450, "A-1001")),
            (82, phrase(40, "Acme Tools Ltd") + phrase(330, "Date:") + phrase(450, "19-04-2014")),
            (94, phrase(40, "1 High Street") + phrase(330, "Incoterms:") + phrase(450, "DAP Paris")),
            (106, phrase(40, "Leeds LS1 4AB")),
            (118, phrase(40, "United Kingdom")),
            (150, phrase(40, "Buyer")),
            (162, phrase(40, "Outils Dupont SA")),
            (174, phrase(40, "8 rue Neuve")),
            (186, phrase(40, "75001 Paris")),
            (198, phrase(40, "France")),
            (240, header),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, lineTotal)),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(335, "2") + phrase(390, "12.50") + phrase(475, "25.00")),
            (300, phrase(380, "Total GBP") + phrase(475, total)),
        ], confidence: confidence)
    }

    @Test func readsHeaderFieldsPartiesTableAndTotals() throws {
        let r = Extractor().extract([Self.invoice()])
        let d = r.document
        #expect(d.kind == .invoice)
        #expect(d.invoiceNumber == "A-1001")
        #expect(d.invoiceDate == "2014-04-19")
        #expect(d.incoterm == "DAP")
        #expect(d.currency == "GBP")
        #expect(d.total == "62")
        #expect(d.sellerName == "Acme Tools Ltd")
        #expect(d.buyerName == "Outils Dupont SA")
        try #require(d.lines.count == 2)
        #expect(d.lines[0].description == "Claw hammer")
        #expect(d.lines[0].quantity == "10")
        #expect(d.lines[0].unitPrice == "3.7")
        #expect(d.lines[0].lineTotal == "37")
        #expect(d.lines[0].hsCode == "8205200000")
        #expect(d.lines[1].description == "Wood chisel set")
        #expect(r.problems.isEmpty, "\(r.problems)")
        #expect(!r.needsReview)
    }

    /// Header words as OCR garbles them: two slips in a long word, a lost space, a qualifier glued on.
    @Test func aTableHeaderReadWithOCRSlipsStillFindsItsColumns() throws {
        let garbled = phrase(40, "Deésignatien") + phrase(250, "HS Cade") + phrase(330, "Qty") + phrase(380, "UnitPrice") + phrase(470, "AmountiGBP)")
        let d = Extractor().extract([Self.invoice(confidence: 0.9, header: garbled)]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].description == "Claw hammer")
        #expect(d.lines[0].unitPrice == "3.7")
        #expect(d.lines[0].lineTotal == "37")
        #expect(d.lines[1].quantity == "2")
        // Two slips are not forgiven in a short word.
        let noTable = phrase(40, "Desc") + phrase(250, "HS Cade") + phrase(330, "Qtx") + phrase(380, "Unot Prace") + phrase(470, "Amnt")
        #expect(Extractor().extract([Self.invoice(header: noTable)]).document.lines.isEmpty)
    }

    /// A header row whose cells OCR set on two lines (half of them a few pixels lower) is one header.
    @Test func aHeaderReadAsTwoLinesIsOneHeader() throws {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(470, "Amount")),
            (247, phrase(250, "HS Code") + phrase(330, "Qty") + phrase(380, "Unit Price")),
            (265, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00")),
            (280, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(335, "2") + phrase(390, "12.50") + phrase(475, "25.00")),
        ])
        let d = Extractor().extract([p]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].hsCode == "8205200000")
        #expect(d.lines[0].quantity == "10")
        #expect(d.lines[1].unitPrice == "12.5")
        #expect(d.lines[1].lineTotal == "25")
    }

    /// Header words not in the lexicon (`Tarif`, `Land`) are typed by what is printed under them.
    @Test func unknownHeaderColumnsAreTypedByTheirCells() throws {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "Tarif") + phrase(310, "Land") + phrase(345, "Qty") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(310, "GB") + phrase(350, "10") + phrase(390, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(310, "DE") + phrase(350, "2") + phrase(390, "12.50") + phrase(475, "25.00")),
        ])
        let d = Extractor().extract([p]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].hsCode == "8205200000")
        #expect(d.lines[1].originCountry == "DE")
        #expect(d.lines[0].description == "Claw hammer")
        #expect(d.lines[1].quantity == "2")
    }

    /// A cell wall OCR glued between two cells (`8205200000|GB`) splits the word, on OCR pages only.
    @Test func aCellWallInsideAnOCRWordSplitsIt() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "HS Code") + phrase(310, "Origin") + phrase(350, "Qty") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000|GB") + phrase(355, "10]") + phrase(395, "3.70") + phrase(475, "37.00")),
        ])
        p.source = .ocr
        let line = try #require(Extractor().extract([p]).document.lines.first)
        #expect(line.hsCode == "8205200000")
        #expect(line.originCountry == "GB")
        #expect(line.quantity == "10")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.first?.originCountry == nil)
    }

    /// Tesseract gives 0 confidence to words it read right on poor scans (`Description`); such a
    /// word is kept (the table is found) while a one-character speck at the same confidence is not.
    @Test func aWordOCRReadWithNoConfidenceStaysASpeckDoesNot() throws {
        var p = Self.invoice(confidence: 0.9)
        p.source = .ocr
        let d = try #require(p.words.firstIndex { $0.text == "Description" })
        p.words[d].confidence = 0
        p.words.append(Word(text: "a", box: DocumentExtraction.Box(x0: 200, y0: 258, x1: 204, y1: 268), confidence: 0.1))
        let r = Extractor().extract([p])
        try #require(r.document.lines.count == 2)
        #expect(r.document.lines[0].description == "Claw hammer")
        #expect(r.document.lines[0].quantity == "10")
        let f = try #require(r.field("lines[0].description"))
        #expect(f.box.x1 < 200, "the speck joined the description: \(f.value)")
    }

    /// An amount OCR misread is taken as the reading the other two numbers of the line agree
    /// with, when the cell's digits support it; it is said as a problem, never invented.
    @Test func anAmountBreakingTheLineArithmeticIsRepairedFromItsOCRDigits() throws {
        var p = Self.invoice(confidence: 0.9)
        p.source = .ocr
        // `10` read as `40`: 37.00 / 3.70 is 10, one digit from what OCR read.
        let k = try #require(p.words.firstIndex { $0.text == "10" })
        p.words[k].text = "40"
        let r = Extractor().extract([p])
        try #require(r.document.lines.count == 2)
        #expect(r.document.lines[0].quantity == "10")
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[0].quantity" })
        #expect(!r.problems.contains { $0.code == "line_arithmetic" })
        #expect(try #require(r.field("lines[0].quantity")).confidence < 0.9)
        // `4700` for 37.00 against an invoice total neither reading adds up to is not repaired:
        // 4.70 × 10 reads as well as 3.70 × 10 = 37.
        var a = Self.invoice(lineTotal: "47.00", total: "99.00", confidence: 0.9)
        a.source = .ocr
        #expect(Extractor().extract([a]).document.lines.first?.lineTotal == "47")
        // Digits that do not support the value the line implies are left as read (when the invoice
        // total does not confirm quantity × unit price either: `aGarbledLineTotalIsInferred…`).
        var q = Self.invoice(lineTotal: "99.99", total: "99.00", confidence: 0.9)
        q.source = .ocr
        let s = Extractor().extract([q])
        #expect(s.document.lines.first?.lineTotal == "99.99")
        #expect(s.problems.contains { $0.code == "line_arithmetic" })
        #expect(!s.problems.contains { $0.code == "repaired_value" })
    }

    /// Two readings of a line that both make its arithmetic hold: the one with which the line
    /// totals add up to the invoice total is taken (`47.00` read for 37.00 beside 3.70 × 10, where
    /// 4.70 would do as well); with a total neither adds up to, neither is.
    @Test func aTieBetweenRepairsIsBrokenByTheInvoiceTotal() throws {
        var p = Self.invoice(lineTotal: "47.00", total: "62.00", confidence: 0.9)
        p.source = .ocr
        let r = Extractor().extract([p])
        #expect(r.document.lines.first?.lineTotal == "37")
        #expect(r.document.lines.first?.unitPrice == "3.7")
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[0].line_total" })
        #expect(try #require(r.field("lines[0].line_total")).confidence < 0.9)
        var q = Self.invoice(lineTotal: "47.00", total: "99.00", confidence: 0.9)
        q.source = .ocr
        let s = Extractor().extract([q])
        #expect(s.document.lines.first?.lineTotal == "47")
        #expect(s.problems.contains { $0.code == "line_arithmetic" && $0.field == "lines[0].line_total" })
    }

    /// A unit price that lost its decimal point (`1250` for 12.50) beside a line total printed with
    /// two decimals (`25.00`): the total's scale was read, so the price is repaired, not the total
    /// multiplied by a hundred, even with no invoice total to confirm either.
    @Test func aCellThatShowsItsDecimalsKeepsItsScale() throws {
        var p = Self.invoice(total: "99.00", confidence: 0.9)
        p.source = .ocr
        let k = try #require(p.words.firstIndex { $0.text == "12.50" })
        p.words[k].text = "1250"
        let r = Extractor().extract([p])
        try #require(r.document.lines.count == 2)
        #expect(r.document.lines[1].unitPrice == "12.5")
        #expect(r.document.lines[1].lineTotal == "25")
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[1].unit_price" })
    }

    /// A quantity cell OCR read as one look-alike letter (`Z` for 2) is that digit when the line's
    /// arithmetic confirms it, and said as a repair; when the arithmetic cannot confirm it, it is not read.
    @Test func aLoneLookalikeLetterInAQuantityIsReadWhenTheArithmeticConfirmsIt() throws {
        var p = Self.invoice(confidence: 0.9)
        p.source = .ocr
        let k = try #require(p.words.firstIndex { $0.text == "2" && $0.box.x0 > 300 })
        p.words[k].text = "Z"
        let r = Extractor().extract([p])
        try #require(r.document.lines.count == 2)
        #expect(r.document.lines[1].quantity == "2")
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "lines[1].quantity" })
        #expect(try #require(r.field("lines[1].quantity")).confidence < 0.9)
        var u = p
        let t = try #require(u.words.firstIndex { $0.text == "25.00" })
        u.words[t].text = "31.00"
        let s = Extractor().extract([u])
        #expect(s.document.lines[1].quantity == nil)
        #expect(!s.problems.contains { $0.field == "lines[1].quantity" && ["repaired_value", "inferred_value"].contains($0.code) })
        // A cell with no digit at all is as good as empty: the quantity is computed, and said so.
        p.words[k].text = "~"
        let c = Extractor().extract([p])
        #expect(c.document.lines[1].quantity == "2")
        #expect(c.problems.contains { $0.code == "inferred_value" && $0.field == "lines[1].quantity" })
    }

    /// A line total garbled beyond one slipped digit (`81.00` for 37.00) is taken as quantity ×
    /// unit price only when the invoice total then matches the lines, and said as inferred.
    @Test func aGarbledLineTotalIsInferredWhenTheInvoiceTotalConfirmsIt() throws {
        var p = Self.invoice(lineTotal: "81.00", confidence: 0.9)
        p.source = .ocr
        let r = Extractor().extract([p])
        #expect(r.document.lines.first?.lineTotal == "37")
        #expect(r.problems.contains { $0.code == "inferred_value" && $0.field == "lines[0].line_total" })
        #expect(!r.problems.contains { $0.code == "line_arithmetic" || $0.code == "total_mismatch" })
        #expect(try #require(r.field("lines[0].line_total")).confidence <= 0.5)
        var q = Self.invoice(lineTotal: "81.00", total: "99.00", confidence: 0.9)
        q.source = .ocr
        let s = Extractor().extract([q])
        #expect(s.document.lines.first?.lineTotal == "81")
        #expect(s.problems.contains { $0.code == "line_arithmetic" })
        // On a text layer the printed total stands, and the line is a problem.
        let t = Extractor().extract([Self.invoice(lineTotal: "81.00", confidence: 0.9)])
        #expect(t.document.lines.first?.lineTotal == "81")
        #expect(t.problems.contains { $0.code == "line_arithmetic" })
    }

    /// An invoice total one digit from the sum of lines that all hold (`52.00` for 62.00) is taken
    /// as that sum and said as a repair; when a line does not hold, the total is left as read.
    @Test func anInvoiceTotalOneDigitFromItsLinesIsRepaired() throws {
        var p = Self.invoice(total: "52.00", confidence: 0.9)
        p.source = .ocr
        let r = Extractor().extract([p])
        #expect(r.document.total == "62")
        #expect(r.problems.contains { $0.code == "repaired_value" && $0.field == "total" })
        #expect(!r.problems.contains { $0.code == "total_mismatch" })
        #expect(try #require(r.field("total")).confidence < 0.9)
        var q = Self.invoice(lineTotal: "81.00", total: "52.00", confidence: 0.9)
        q.source = .ocr
        let s = Extractor().extract([q])
        #expect(s.document.total == "52")
        #expect(s.problems.contains { $0.code == "total_mismatch" })
        // A text layer's total is what the document printed: a mismatch stays the supplier's.
        let t = Extractor().extract([Self.invoice(total: "52.00", confidence: 0.9)])
        #expect(t.document.total == "52")
        #expect(t.problems.contains { $0.code == "total_mismatch" })
    }

    /// A header word not in the lexicon over HS codes that OCR glued to the next cell
    /// (`8205200000/GB`) is the HS code column, not a quantity the row's numbers spill into.
    /// Headers printed close together run into one word on a scan (`PackagesNet`, `(k@ross` for
    /// `(kg) Gross`); the word is split so that the columns on both sides are found, and a number
    /// under two number headers goes to the one whose right edge is nearer.
    @Test func headerWordsOCRGluedTogetherAreSplit() throws {
        let p = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(280, "Unit") + phrase(310, "PackagesNet Weight (k@ross Weight (kg)")),
            (258, phrase(40, "Merino wool scarf") + phrase(250, "120") + phrase(280, "pcs") + phrase(340, "4") + phrase(410, "14.4") + phrase(470, "16.2")),
            (273, phrase(40, "Tweed flat cap") + phrase(255, "60") + phrase(280, "pcs") + phrase(340, "2") + phrase(405, "6.6") + phrase(475, "8.1")),
        ])
        let d = Extractor().extract([p]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].packages == "4")
        #expect(d.lines[0].netWeight == "14.4")
        #expect(d.lines[0].grossWeight == "16.2")
        #expect(d.lines[1].netWeight == "6.6")
        #expect(d.lines[1].grossWeight == "8.1")
        // A word that splits into no two header words stays as it is.
        let q = page([
            (40, phrase(40, "PACKING LIST")),
            (240, phrase(40, "Description") + phrase(250, "Qty") + phrase(280, "Unit") + phrase(310, "Packagingwrap Weight")),
            (258, phrase(40, "Merino wool scarf") + phrase(250, "120") + phrase(280, "pcs") + phrase(340, "4") + phrase(410, "14.4")),
        ])
        #expect(Extractor().extract([q]).document.lines.first?.netWeight == nil)
    }

    /// OCR slips in a line's cells read the way the column says: `Mx` in the origin column is MX,
    /// `pes` after the quantity is pieces, a description runs on past its header after a wide gap,
    /// and a prefix OCR split off the invoice number (`INV -2026-28450`) is joined again.
    @Test func cellSlipsReadByTheirColumn() throws {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (70, phrase(330, "Invoice No.:") + phrase(450, "INV -2026-28450")),
            (240, phrase(40, "Description") + phrase(250, "HS Code") + phrase(310, "Origin") + phrase(345, "Qty") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Kuckucksuhr, Eiche,") + phrase(139, "35 cm") + phrase(250, "8205200000") + phrase(310, "Mx") + phrase(345, "10 pes") + phrase(395, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(310, "DE") + phrase(345, "2 pcs") + phrase(395, "12.50") + phrase(475, "25.00")),
        ])
        let d = Extractor().extract([p]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].description == "Kuckucksuhr, Eiche, 35 cm")
        #expect(d.lines[0].originCountry == "MX")
        #expect(d.lines[0].unit == "PCE")
        #expect(d.lines[1].originCountry == "DE")
        #expect(d.invoiceNumber == "INV-2026-28450")
    }

    /// The English OCR model reads `ä` as `i` and `ü` as `ii`: the statement on origin and the
    /// German exporter label are still found.
    @Test func aGermanStatementReadWithTheEnglishModelIsFound() throws {
        let p = page([
            (40, phrase(40, "URSPRUNGSERKLARUNG")),
            (70, phrase(40, "Ausfiihrer")),
            (82, phrase(40, "Schwarzwald Uhren GmbH")),
            (200, phrase(40, "Der Ausfiihrer der Waren erklart, dass diese Waren priferenzbegiinstigte EU-Ursprungswaren sind.")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.kind == .certificate)
        #expect(d.sellerName == "Schwarzwald Uhren GmbH")
        #expect(d.originStatement?.origin == "EU")
    }

    @Test func anUnknownColumnOfGluedHSCodesIsTheHSCodeColumn() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "Qwrtz") + phrase(310, "Origin") + phrase(350, "Qty") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000/GB") + phrase(355, "10") + phrase(395, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000/FR") + phrase(355, "2") + phrase(395, "12.50") + phrase(475, "25.00")),
            (288, phrase(40, "Hand saw") + phrase(250, "8202100000") + phrase(310, "DE") + phrase(355, "1") + phrase(395, "9.00") + phrase(475, "9.00")),
        ], confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 3)
        #expect(lines[0].hsCode == "8205200000")
        #expect(lines[0].originCountry == "GB")
        #expect(lines[0].quantity == "10")
        #expect(lines[1].hsCode == "8205300000")
        #expect(lines[2].quantity == "1")
    }

    /// On a scan, a short header word OCR read with a look-alike letter (`Oty` for `Qty`, `H5`
    /// for `HS`) is that header word; in a text layer it is not (the header then has two columns
    /// and is no table).
    @Test func scannedHeaderWordsWithLookalikeLettersAreRead() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "H5 Code") + phrase(345, "Oty") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(350, "10") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(350, "2") + phrase(475, "25.00")),
        ], confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 2)
        #expect(lines[0].hsCode == "8205200000")
        #expect(lines[0].quantity == "10")
        #expect(lines[1].quantity == "2")
        #expect(lines[1].lineTotal == "25")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.isEmpty)
    }

    /// On a scan whose description header OCR garbled past matching (`Drew raption`), the table
    /// is still read when the column left of the numbers holds text in most rows; on a text layer
    /// too, where a header the lexicon does not know (a goods' kind, `Wine`) heads the first column
    /// of a priced table.
    @Test func aGarbledDescriptionHeaderOnAScanIsTypedByItsCells() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Drew raption") + phrase(250, "HS Code") + phrase(310, "Origin") + phrase(345, "Qty") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(310, "GB") + phrase(350, "10") + phrase(395, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(310, "DE") + phrase(350, "2") + phrase(395, "12.50") + phrase(475, "25.00")),
        ], confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 2)
        #expect(lines[0].description == "Claw hammer")
        #expect(lines[1].description == "Wood chisel set")
        #expect(lines[1].originCountry == "DE")
        #expect(lines[0].lineTotal == "37")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.map(\.description) == ["Claw hammer", "Wood chisel set"])
        // A column of numbers under the garbled header is no description.
        var q = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Drew raption") + phrase(250, "HS Code") + phrase(310, "Origin") + phrase(345, "Qty") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "4711") + phrase(250, "8205200000") + phrase(310, "GB") + phrase(350, "10") + phrase(395, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "4712") + phrase(250, "8205300000") + phrase(310, "DE") + phrase(350, "2") + phrase(395, "12.50") + phrase(475, "25.00")),
        ], confidence: 0.9)
        q.source = .ocr
        #expect(Extractor().extract([q]).document.lines.isEmpty)
    }

    /// An unknown header over cells that mostly end in a unit, a third or more with digits
    /// (`Otylunit` over `10 pes`, `pes`, `é pes`: OCR lost or garbled two of the numbers), is the
    /// quantity column, and the unit column's slip (`pes`) is forgiven after a quantity.
    @Test func anUnknownHeaderOverCellsEndingInAUnitIsTheQuantity() throws {
        let p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Otylunit") + phrase(390, "Unit Price") + phrase(470, "Amount")),
            (258, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(330, "10 pes") + phrase(395, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(340, "pes") + phrase(395, "12.50") + phrase(475, "25.00")),
            (288, phrase(40, "Hand saw") + phrase(250, "8202100000") + phrase(335, "é pes") + phrase(395, "9.00") + phrase(475, "9.00")),
        ])
        let r = Extractor().extract([p])
        let lines = r.document.lines
        try #require(lines.count == 3)
        #expect(lines[0].quantity == "10")
        #expect(lines[0].unit == "PCE")
        #expect(lines[1].unitPrice == "12.5")
        // Read from its cell (`10 pes`), not inferred from the line's amounts.
        #expect(!r.problems.contains { $0.code == "inferred_value" && $0.field == "lines[0].quantity" }, "\(r.problems)")
    }

    /// A scanned row whose numbers OCR garbled but whose unit still reads (`L7H` beside `pcs`) is a
    /// row, so the rows after it keep their places; on a text layer a unit alone makes no row.
    @Test func aScannedRowWithItsUnitAndOneGarbledNumberIsARow() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (240, phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(360, "Unit") + phrase(400, "Unit Price") + phrase(480, "Amount")),
            (255, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(362, "pcs") + phrase(405, "3.70") + phrase(485, "37.00")),
            (270, phrase(40, "Hiking boots, leather") + phrase(362, "pcs") + phrase(485, "L7H")),
            (285, phrase(40, "Hand saw") + phrase(250, "8202100000") + phrase(335, "1") + phrase(362, "pcs") + phrase(405, "9.00") + phrase(485, "9.00")),
        ], confidence: 0.9)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 3)
        #expect(lines[1].description == "Hiking boots, leather")
        #expect(lines[1].unit == "PCE")
        #expect(lines[2].description == "Hand saw")
        #expect(lines[2].lineTotal == "9")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.count == 2)
    }

    /// A scanned row with one number that fills three columns besides its description (`(Ne`,
    /// `pea,`, `L7H`: code, unit and amount garbled) is a row; a wrapped description under a row,
    /// and the same row on a text layer, are not.
    @Test func aScannedRowThatFillsThreeColumnsIsARow() throws {
        func invoice(_ middle: [(x: Double, text: String)]) -> PageText {
            page([
                (40, phrase(40, "INVOICE")),
                (240, phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(360, "Unit") + phrase(400, "Unit Price") + phrase(480, "Amount")),
                (255, phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(362, "pcs") + phrase(405, "3.70") + phrase(485, "37.00")),
                (270, middle),
                (285, phrase(40, "Hand saw") + phrase(250, "8202100000") + phrase(335, "1") + phrase(362, "pcs") + phrase(405, "9.00") + phrase(485, "9.00")),
            ], confidence: 0.9)
        }
        var p = invoice(phrase(40, "Hiking boots, leather") + phrase(250, "(Ne") + phrase(362, "pea,") + phrase(485, "L7H"))
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 3)
        #expect(lines[1].description == "Hiking boots, leather")
        #expect(lines[2].lineTotal == "9")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.count == 2)
        var q = invoice(phrase(40, "size 42, brown") + phrase(485, "L7H"))
        q.source = .ocr
        #expect(Extractor().extract([q]).document.lines.count == 2)
    }

    /// Two number headers OCR garbled together (`Prue`, `Amenat` at 72 DPI) over cells that hold
    /// digits, half of them clean numbers, are the unit price and the line total on a scan, in
    /// that order; a text layer, or three such columns for the two missing, stay untyped.
    @Test func garbledUnitPriceAndAmountHeadersOnAScanAreTypedInTheirOrder() throws {
        func invoice(_ rows: [[(x: Double, text: String)]]) -> PageText {
            page([(40, phrase(40, "INVOICE"))] + rows.enumerated().map { (240 + 15 * Double($0.offset), $0.element) }, confidence: 0.9)
        }
        let header = phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(390, "Prue") + phrase(470, "Amenat")
        let rows = [
            phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(395, "3.70") + phrase(475, "37.00"),
            phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(335, "2") + phrase(395, "mi2.50") + phrase(475, "25.00"),
            phrase(40, "Hand saw") + phrase(250, "8202100000") + phrase(335, "1") + phrase(395, "9.00") + phrase(475, "L9.0"),
            phrase(40, "Spirit level") + phrase(250, "9015300000") + phrase(335, "4") + phrase(395, "5.25") + phrase(475, "21.00"),
        ]
        var p = invoice([header] + rows)
        p.source = .ocr
        let lines = Extractor().extract([p]).document.lines
        try #require(lines.count == 4)
        #expect(lines[0].unitPrice == "3.7")
        #expect(lines[0].lineTotal == "37")
        #expect(lines[3].unitPrice == "5.25")
        #expect(lines[3].lineTotal == "21")
        p.source = .text
        #expect(Extractor().extract([p]).document.lines.allSatisfy { $0.unitPrice == nil && $0.lineTotal == nil })
        // A third column of numbers: which two are the price and the total is not known.
        var q = invoice([header + phrase(520, "Tarra")] + rows.map { $0 + phrase(525, "0.5") })
        q.source = .ocr
        #expect(Extractor().extract([q]).document.lines.allSatisfy { $0.unitPrice == nil && $0.lineTotal == nil })
        // Beside a weight column the numbers are a packing list's, not prices.
        var w = invoice([header + phrase(520, "Gross Weight")] + rows.map { $0 + phrase(525, "12.5") })
        w.source = .ocr
        #expect(Extractor().extract([w]).document.lines.allSatisfy { $0.unitPrice == nil && $0.lineTotal == nil })
    }

    /// A capital OCR set apart from its word (`J ura`) is joined to it on a scan; a vowel that
    /// can be a word of its own (`A`), a capital before a capitalised word, and a text layer stay as read.
    @Test func aLoneCapitalOCRSetApartIsJoinedToItsWord() throws {
        var p = page([
            (40, phrase(40, "INVOICE")),
            (70, phrase(40, "Seller")),
            (82, phrase(40, "Fromagerie du J") + phrase(113, "ura SAS")),
            (150, phrase(40, "Buyer")),
            (162, phrase(40, "A") + phrase(47, "bientot SARL")),
        ])
        p.source = .ocr
        let d = Extractor().extract([p]).document
        #expect(d.sellerName == "Fromagerie du Jura SAS")
        #expect(d.buyerName == "A bientot SARL")
        p.source = .text
        #expect(Extractor().extract([p]).document.sellerName == "Fromagerie du J ura SAS")
        var q = page([(40, phrase(40, "INVOICE")), (70, phrase(40, "Seller")), (82, phrase(40, "P Lantenbak BV"))])
        q.source = .ocr
        #expect(Extractor().extract([q]).document.sellerName == "P Lantenbak BV")
    }

    /// A long label printed up to its value's column runs into it in the text layer
    /// (`Leveringsvoorwaarden:CIP`): the value is still read; a time (`12:30`) is not split.
    @Test func aLabelRunIntoItsValueThroughAColonIsSplit() throws {
        let p = page([
            (40, phrase(40, "FACTUUR")),
            (70, phrase(330, "Factuurnummer:") + phrase(450, "INV-2024-32108")),
            (94, phrase(330, "Leveringsvoorwaarden:CIP Incoterms 2020")),
            (106, phrase(330, "Valuta:EUR")),
            (118, phrase(330, "Tijd: 12:30")),
        ])
        let d = Extractor().extract([p]).document
        #expect(d.incoterm == "CIP")
        #expect(d.currency == "EUR")
        #expect(d.invoiceNumber == "INV-2024-32108")
        let glued = page([(40, phrase(40, "FACTUUR")), (94, phrase(330, "Leveringsvoorwaarden;CIP Incoterms 2020"))])
        #expect(Extractor().extract([glued]).document.incoterm == nil)
    }

    @Test func everyFieldCarriesPageBoxAndConfidence() throws {
        let r = Extractor().extract([Self.invoice()])
        let number = try #require(r.field("invoice_number"))
        #expect(number.page == 1)
        #expect(number.box.x0 == 450 && number.box.y0 == 70)
        #expect(number.confidence == 1)
        let qty = try #require(r.field("lines[1].quantity"))
        #expect(qty.box.y0 == 273)
    }

    @Test func draftOrderBecomesACanonicalOrderWhenComplete() throws {
        let r = Extractor().extract([Self.invoice()])
        #expect(r.order.missing.isEmpty, "\(r.order.missing)")
        let seller = try #require(r.order.parties.first { $0.role == .seller })
        #expect(seller.country == "GB")
        #expect(seller.city == "Leeds")
        #expect(seller.postalCode == "LS1 4AB")
        #expect(r.order.shipment.destinationCountry == "FR")
        let order = try #require(r.order.order(merchantID: "m-1", idempotencyKey: "doc-1"))
        #expect(order.externalReference == "A-1001")
        #expect(order.lines.count == 2)
        #expect(order.lines[1].lineValue == Money(25, "GBP"))
        #expect(try order.intrinsicValue() == Money(62, "GBP"))
    }

    /// A US letterhead: the city over its state and ZIP code, then a telephone number and an e-mail
    /// address. The draft gets the city, the ZIP code and the country, and no contact line as address.
    @Test func draftOrderReadsAnAmericanLetterheadsAddress() throws {
        let p = page([
            (40, phrase(40, "Lakeshore Outfitters Supply, Inc.")),
            (52, phrase(40, "2250 N. Elston Ave")),
            (64, phrase(40, "Chicago")),
            (76, phrase(40, "IL 60614")),
            (88, phrase(40, "(312) 555-0187")),
            (100, phrase(40, "orders@lakeshore.example")),
            (130, phrase(40, "INVOICE")),
        ] + LayoutRuleTests.table(at: 240))
        let r = Extractor().extract([p])
        let seller = try #require(r.order.parties.first { $0.role == .seller })
        #expect(seller.city == "Chicago")
        #expect(seller.postalCode == "60614")
        #expect(seller.country == "US")
        #expect(seller.addressLines == ["2250 N. Elston Ave"])
        #expect(r.order.shipment.shipFromCountry == "US")
        #expect(DraftOrder.isContactLine("+49 7720 55 19 0"))
        #expect(DraftOrder.isContactLine("USt-IdNr. DE 281 447 190"))
        #expect(!DraftOrder.isContactLine("Gewerbestraße 8"))
        #expect(!DraftOrder.isContactLine("78054 Villingen-Schwenningen"))
        #expect(DraftOrder.postalAndCity("Portland, OR 97205") == ("97205", "Portland"))
    }

    /// A phrase set so that it ends at `right` (a right-aligned letterhead column), 5 points per character.
    static func rightAligned(_ right: Double, _ text: String) -> [(x: Double, text: String)] {
        let width = Double(text.split(separator: " ").map(\.count).reduce(0, +)) * 5 + Double(text.split(separator: " ").count - 1) * 3
        return phrase(right - width, text)
    }

    /// The Dutch layout: a large name whose legal form wrapped (`Bouwmaat Technische Handel` over
    /// `B.V.`), its address and registration numbers set on the right. The address is the right-hand
    /// block down to the contact lines, never the wrapped `B.V.`; the draft's city is Rotterdam.
    @Test func aLetterheadsAddressSetBesideAWrappedName() throws {
        var p = page([
            (54, phrase(54, "Bouwmaat Technische Handel") + Self.rightAligned(558, "Industrieweg 31")),
            (72.5, phrase(54, "B.V.")),
            (68.4, Self.rightAligned(558, "3044 AS Rotterdam")),
            (82.6, Self.rightAligned(558, "KvK 24481902 · BTW")),
            (96.9, Self.rightAligned(558, "NL812244190B01")),
            (135, phrase(54, "Ardennes Rénovation SPRL") + phrase(307, "Factuur")),
            (149, phrase(54, "Rue de la Station 44")),
            (163, phrase(54, "6900 Marche-en-Famenne")),
            (177, phrase(54, "België")),
        ] + LayoutRuleTests.table(at: 255))
        // The name is printed twice the size of the address.
        for k in p.words.indices where p.words[k].box.x0 < 300 && p.words[k].box.y0 < 92 { p.words[k].box.y1 += 9 }
        let r = Extractor().extract([p])
        #expect(r.document.sellerName == "Bouwmaat Technische Handel B.V.")
        #expect(r.document.sellerAddress == ["Industrieweg 31", "3044 AS Rotterdam"])
        let seller = try #require(r.order.parties.first { $0.role == .seller })
        #expect(seller.city == "Rotterdam" && seller.postalCode == "3044 AS" && seller.country == "NL", "\(seller)")
        #expect(seller.addressLines == ["Industrieweg 31"])
    }

    /// The German layout: the address on one line in parts (`Gewerbestraße 8 · 78054 Villingen-Schwenningen ·`,
    /// its country wrapped under it), a telephone and an e-mail address set on the right between the
    /// name and it. The right column passes by; the parts are the address. A scan that lost the dots
    /// but kept the gaps reads the same.
    @Test(arguments: [false, true])
    func aLetterheadsAddressInPartsUnderTheName(scanned: Bool) throws {
        let street = scanned
            ? phrase(60, "Gewerbestraße 8") + phrase(60 + 5 * 13 + 3 + 5 + 20, "78054 Villingen-Schwenningen")
            : phrase(60, "Gewerbestraße 8 · 78054 Villingen-Schwenningen ·")
        var p = page([
            (60, phrase(60, "Schwarzwald Präzisionswerkzeuge GmbH") + Self.rightAligned(552, "Tel. +49 7720 55 19 0")),
            (67.2, Self.rightAligned(552, "versand@sw-")),
            (73.6, street + Self.rightAligned(552, "praezision.example")),
            (87.9, phrase(60, "Deutschland")),
            (102.1, phrase(60, "USt-IdNr. DE 281 447 190")),
            (141, phrase(58, "Ursprungserklärung")),
            (187, phrase(60, "Empfänger:") + phrase(133, "Midlands Tooling Supplies Ltd")),
            (201, phrase(133, "Unit 4, Bordesley Trading Estate")),
            (215, phrase(133, "Birmingham B9 4UH")),
            (229, phrase(133, "Vereinigtes Königreich")),
        ])
        for k in p.words.indices where p.words[k].box.y0 == 60 && p.words[k].box.x0 < 400 { p.words[k].box.y1 += 3 }
        let r = Extractor().extract([p])
        #expect(r.document.sellerName == "Schwarzwald Präzisionswerkzeuge GmbH")
        #expect(r.document.sellerAddress == ["Gewerbestraße 8", "78054 Villingen-Schwenningen", "Deutschland", "USt-IdNr. DE 281 447 190"])
        let seller = try #require(r.order.parties.first { $0.role == .seller })
        #expect(seller.city == "Villingen-Schwenningen" && seller.postalCode == "78054" && seller.country == "DE", "\(seller)")
        #expect(seller.addressLines == ["Gewerbestraße 8"])
    }

    /// The draft's address parse on its own: a wrapped legal form is no city, a heading read under the
    /// country (`Factuur`) is no part of the address, a VAT number wrapped under its label is contact,
    /// and a Dutch postcode's shape tells the country.
    @Test func draftAddressesLeaveOutLegalFormsHeadingsAndRegistrationNumbers() throws {
        let json = #"""
            {"kind": "invoice", "seller_name": "Bouwmaat Technische Handel B.V.", "seller_address": ["B.V."],
             "buyer_name": "Gartenmarkt Sommer GmbH", "buyer_address": ["t.a.v. inkoopafdeling", "Mühlenstraße 22", "48143 Münster", "Duitsland", "Factuur"]}
            """#
        let doc = try JSONDecoder().decode(ExtractedDocument.self, from: Data(json.utf8))
        let draft = DraftOrder.from(doc)
        let seller = try #require(draft.parties.first { $0.role == .seller })
        #expect(seller.city == nil && seller.addressLines.isEmpty, "\(seller)")
        #expect(draft.missing.contains("parties[seller].city"))
        let buyer = try #require(draft.parties.first { $0.role == .buyer })
        #expect(buyer.city == "Münster" && buyer.postalCode == "48143" && buyer.country == "DE", "\(buyer)")
        #expect(buyer.addressLines == ["t.a.v. inkoopafdeling", "Mühlenstraße 22"])
        #expect(DraftOrder.isContactLine("NL812244190B01") && DraftOrder.isContactLine("DE281447190"))
        #expect(!DraftOrder.isContactLine("Industrieweg 31") && !DraftOrder.isContactLine("B9 4UH"))
        #expect(Values.country(ofAddress: ["Industrieweg 31", "3044 AS Rotterdam"]) == "NL")
        // A whole address on one line, a province and postcode at its end.
        let canadian = try JSONDecoder().decode(ExtractedDocument.self, from: Data(#"""
            {"kind": "invoice", "seller_name": "Harbour Supply Ltd", "seller_address": ["41 Wyse Road, Dartmouth, NS B3A 1L9", "Canada", "GST/HST No. 81234 5678 RT0001"]}
            """#.utf8))
        let harbour = try #require(DraftOrder.from(canadian).parties.first { $0.role == .seller })
        #expect(harbour.addressLines == ["41 Wyse Road"] && harbour.city == "Dartmouth" && harbour.postalCode == "B3A 1L9" && harbour.country == "CA", "\(harbour)")
        #expect(Values.country(ofAddress: ["Noorderlaan 118", "2030 Antwerpen"]) == nil)
    }

    @Test func wrongLineTotalIsAProblemAndLowersConfidence() throws {
        let r = Extractor().extract([Self.invoice(lineTotal: "38.00")])
        #expect(r.problems.contains { $0.code == "line_arithmetic" && $0.field == "lines[0].line_total" })
        #expect(r.problems.contains { $0.code == "total_mismatch" })
        #expect(r.needsReview)
        let f = try #require(r.field("lines[0].line_total"))
        #expect(f.confidence < 0.6)
    }

    @Test func lowOCRConfidenceSendsTheDraftToReview() {
        let r = Extractor().extract([Self.invoice(confidence: 0.4)])
        #expect(r.problems.contains { $0.code == "low_confidence" && $0.field == "invoice_number" })
        #expect(r.needsReview)
    }

    @Test func anEmptyPageIsAProblemNotACrash() {
        let r = Extractor().extract([PageText(number: 1, width: 100, height: 100, source: .ocr, words: [])])
        #expect(r.problems.contains { $0.code == "no_text" })
    }

    @Test func scoringCountsFieldsByValue() {
        var want = ExtractedDocument()
        want.invoiceNumber = "A-1"
        want.total = "62.00"
        var got = want
        got.total = "62"
        got.currency = "EUR"
        let s = FieldScore.score(predicted: got, expected: want)
        #expect(s.correct == 2 && s.expected == 2 && s.predicted == 3)
    }
}
