import DocumentExtraction
import Testing

/// The cells of a page read once that the reader reads again in English (`Extractor.doubtedCells`),
/// and that reading as the page's second (`Extractor.withCellsReadAgain`), for `ReadingChoice`.
@Suite struct CellDoubtsTests {
    static func once(_ words: [Word]) -> PageText { PageText(number: 1, width: 595, height: 842, source: .ocr, words: words) }

    /// A page whose lines hold, with every cell read, is read once: nothing is doubted.
    @Test func linesThatHoldWithEveryCellAreNotDoubted() {
        #expect(Extractor().doubtedCells([Self.once(ReadingChoiceTests.scan())]).isEmpty)
    }

    /// `3.70` read as `370`: the line's three amounts are doubted, on its row; the other line is not.
    @Test func aLineWhoseArithmeticFailsHasItsThreeAmountsDoubted() throws {
        let words = ReadingChoiceTests.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "370")
            + phrase(475, "37.00"))
        let doubted = Extractor().doubtedCells([Self.once(words)])
        #expect(Set(doubted.map(\.field)) == ["quantity", "unit_price", "line_total"])
        #expect(doubted.allSatisfy { $0.line == 0 && $0.page == 1 })
        let price = try #require(doubted.first { $0.field == "unit_price" })
        #expect(price.box.x0 <= 390 && price.box.x1 > 390 && price.box.y0 <= 258 && price.box.y1 >= 258)
        // The row's cells read as one box, from the first doubted cell to the last.
        let rows = Extractor.doubtedRows(doubted)
        try #require(rows.count == 1)
        #expect(rows[0].x0 <= 335 && rows[0].x1 > 475)
    }

    /// A quantity lost from a line that has its price and total (`invoice-fr-grid-v193`'s 150): the
    /// quantity column's box on that row is doubted, and its amounts with it; a lost HS code
    /// (`invoice-de-boxed-v9`'s 91149000) in a line that holds: that cell alone.
    @Test func aCellMissingFromALineIsDoubtedInItsColumn() throws {
        let noQuantity = ReadingChoiceTests.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(390, "3.70") + phrase(475, "37.00"))
        let doubted = Extractor().doubtedCells([Self.once(noQuantity)])
        let quantity = try #require(doubted.first { $0.field == "quantity" })
        #expect(quantity.line == 0)
        // The column as the other line shows it (`2` at 335), on this line's row (258).
        #expect(quantity.box.x0 <= 336 && quantity.box.x1 >= 336 && quantity.box.y0 <= 259 && quantity.box.y1 >= 259)
        #expect(Set(doubted.map(\.field)) == ["quantity", "unit_price", "line_total"])

        let noCode = ReadingChoiceTests.scan(row: phrase(40, "Claw hammer") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00"))
        let code = Extractor().doubtedCells([Self.once(noCode)])
        #expect(code.map(\.field) == ["hs_code"])
        #expect(code.first.map { $0.box.x0 <= 252 && $0.box.x1 >= 252 } == true)
    }

    /// The doubted cell read again in English goes in as the page's second reading, and the choice
    /// takes from it: the lost quantity and the misread total come back; the first reading's other
    /// words stay.
    @Test func theCellsReadAgainAreChosenFromAsTheSecondReading() throws {
        let first = ReadingChoiceTests.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(390, "3.70") + phrase(475, "36.00"))
        let doubted = Extractor().doubtedCells([Self.once(first)])
        let rows = Extractor.doubtedRows(doubted)
        try #require(rows.count == 1)
        // What the English engine read on that row: the quantity, the price and the right total.
        let english = page([(258, phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00"))], confidence: 0.8).words
        let second = Extractor.withCellsReadAgain(first, [(box: rows[0], words: english)])
        #expect(second.contains { $0.text == "Claw" } && !second.contains { $0.text == "36.00" })
        let d = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .ocr, words: first, secondReading: second)]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].quantity == "10")
        #expect(d.lines[0].lineTotal == "37")
        #expect(d.lines[0].description == "Claw hammer")
        // A cell read as nothing (or as marks only) keeps the first reading's words.
        let unread = Extractor.withCellsReadAgain(first, [(box: rows[0], words: page([(258, phrase(335, "|"))]).words)])
        #expect(unread == first)
    }

    /// The invoice number's value lost by the first reading (`invoice-nl-classic-v17`'s
    /// `INV-2019-62562`, misread by the Dutch model): its label's line, from the label to the page's
    /// right edge, is doubted, and the line under it, as nothing stands right of the label. Read
    /// again, the number comes back through the choice; the rest of the page stays the first's.
    @Test func aRequiredFieldMissingHasItsLabelsLineDoubted() throws {
        let first = ReadingChoiceTests.scan().filter { $0.text != "A-1001" }
        #expect(Extractor().extract([Self.once(first)]).document.invoiceNumber == nil)
        let doubted = Extractor().doubtedCells([Self.once(first)])
        let lines = doubted.filter { $0.field == "invoice_number" }
        try #require(lines.count == 2)
        #expect(lines.allSatisfy { $0.line == nil && $0.page == 1 })
        // `Invoice No.:` at 330 on the row at 70, to the page's right edge (595), not the seller's label at 40.
        #expect(lines[0].box.x0 == 330 && lines[0].box.x1 == 595 && lines[0].box.y0 == 70 && lines[0].box.y1 == 80)
        // The row under it (`Date: 19-04-2014` at 82), where a value under its label would be.
        #expect(lines[1].box.y0 == 82 && lines[1].box.x0 == 330)
        // Each is a row of its own, beside the table's.
        #expect(Extractor.doubtedRows(doubted).count == doubted.count)

        let english = page([(70, phrase(330, "Invoice No.:") + phrase(450, "A-1001"))], confidence: 0.8).words
        let second = Extractor.withCellsReadAgain(first, [(box: lines[0].box, words: english)])
        let d = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .ocr, words: first, secondReading: second)]).document
        #expect(d.invoiceNumber == "A-1001")
        #expect(d.sellerName == "Acme Tools Ltd")
        #expect(d.lines.count == 2)
    }

    /// A value misread beside its label (`A-IOOI`, its digits read as letters, is no number): the
    /// label's line alone is doubted (the line under it is not read). A field whose label was not
    /// read, on a page with no label that no table knows, is not doubted: nothing says where it is.
    @Test func aFieldsLabelMustBeReadForItsLineToBeDoubted() throws {
        let misread = ReadingChoiceTests.scan().map { w in
            var w = w
            if w.text == "A-1001" { w.text = "A-IOOI" }
            return w
        }
        let lines = Extractor().doubtedCells([Self.once(misread)]).filter { $0.field == "invoice_number" }
        #expect(lines.count == 1)
        #expect(lines.first?.box.y0 == 70)

        let noLabel = ReadingChoiceTests.scan().filter { !["Invoice", "No.:", "A-1001"].contains($0.text) }
        #expect(Extractor().doubtedCells([Self.once(noLabel)]).isEmpty)
    }

    /// The label itself misread (`Factuurnummer:` as `Factuumummer:` by the Dutch model, its number
    /// read right): no line has the field's label, so the line with a label no table knows, above
    /// the table, is doubted; the English engine's `Factuumnummer:` is a label again.
    @Test func aLabelNoTableKnowsIsDoubtedWhenTheFieldsLabelIsNotRead() throws {
        let first = ReadingChoiceTests.scan().flatMap { w -> [Word] in
            guard w.text == "Invoice" else { return w.text == "No.:" ? [] : [w] }
            var garbled = w
            garbled.text = "Imvnlce:"
            return [garbled]
        }
        #expect(Extractor().extract([Self.once(first)]).document.invoiceNumber == nil)
        let doubted = Extractor().doubtedCells([Self.once(first)])
        try #require(doubted.count == 1)
        #expect(doubted[0].field == "label" && doubted[0].line == nil)
        #expect(doubted[0].box.x0 == 330 && doubted[0].box.x1 == 595 && doubted[0].box.y0 == 70)

        let english = page([(70, phrase(330, "Invoice No.:") + phrase(450, "A-1001"))], confidence: 0.8).words
        let second = Extractor.withCellsReadAgain(first, [(box: doubted[0].box, words: english)])
        let d = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .ocr, words: first, secondReading: second)]).document
        #expect(d.invoiceNumber == "A-1001")
    }
}
