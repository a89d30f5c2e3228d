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
}
