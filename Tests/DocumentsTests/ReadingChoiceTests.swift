import DocumentExtraction
import Testing

/// Two OCR readings of one page (`PageText.secondReading`): what the extractor takes from the second.
@Suite struct ReadingChoiceTests {
    /// The test invoice as OCR read it, with one table row replaced.
    static func scan(row: [(x: Double, text: String)]? = nil, header: [(x: Double, text: String)]? = nil,
                     total: String = "62.00", currencyLabel: String = "Total GBP") -> [Word] {
        var rows: [(y: Double, words: [(x: Double, text: String)])] = [
            (40, phrase(40, "COMMERCIAL INVOICE")),
            (70, phrase(40, "Seller") + phrase(330, "Invoice No.:") + phrase(450, "A-1001")),
            (82, phrase(40, "Acme Tools Ltd") + phrase(330, "Date:") + phrase(450, "19-04-2014")),
            (150, phrase(40, "Buyer")),
            (162, phrase(40, "Outils Dupont SA")),
            (174, phrase(40, "8 rue Neuve")),
            (240, header ?? phrase(40, "Description") + phrase(250, "HS Code") + phrase(330, "Qty") + phrase(380, "Unit Price") + phrase(470, "Amount")),
            (258, row ?? phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00")),
            (273, phrase(40, "Wood chisel set") + phrase(250, "8205300000") + phrase(335, "2") + phrase(390, "12.50") + phrase(475, "25.00")),
            (300, phrase(380, currencyLabel) + phrase(475, total)),
        ]
        rows.sort { $0.y < $1.y }
        return page(rows, confidence: 0.9).words
    }

    static func twoReadings(_ first: [Word], _ second: [Word]) -> PageText {
        PageText(number: 1, width: 595, height: 842, source: .ocr, words: first, secondReading: second)
    }

    /// `3.70` read as `370` by the first reading (the German model's `2,15 €` as `215`): the line's
    /// amounts come from the second, its description stays the first's.
    @Test func aLineWhoseArithmeticFailsTakesItsAmountsFromTheSecondReading() throws {
        let first = Self.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "370") + phrase(475, "37.00"))
        let second = Self.scan(row: phrase(40, "Claw hamner") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00"))
        let r = Extractor().extract([Self.twoReadings(first, second)])
        let d = r.document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].unitPrice == "3.7")
        #expect(d.lines[0].description == "Claw hammer")
        #expect(!r.problems.contains { $0.code == "line_arithmetic" || $0.code == "repaired_value" }, "\(r.problems)")
        // Read once, the same page keeps its slip (repaired or reported, never silently right).
        let once = Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .ocr, words: first)])
        #expect(once.problems.contains { $0.field?.hasPrefix("lines[0].") == true }, "\(once.problems)")
    }

    /// Neither reading's line holds (`370` in the first, `1` for `10` in the second), a mix of their
    /// cells does: the first's quantity and total with the second's unit price.
    @Test func aLineIsMixedCellByCellWhenNeitherReadingHolds() throws {
        let first = Self.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "370") + phrase(475, "37.00"))
        let second = Self.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "1") + phrase(390, "3.70") + phrase(475, "37.00"))
        let d = Extractor().extract([Self.twoReadings(first, second)]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].quantity == "10")
        #expect(d.lines[0].unitPrice == "3.7")
        #expect(d.lines[0].lineTotal == "37")
    }

    /// When the first reading's arithmetic holds, the second's different amounts are not taken.
    @Test func aLineThatHoldsKeepsTheFirstReading() throws {
        let second = Self.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.80") + phrase(475, "38.00"),
                               total: "63.00")
        let d = Extractor().extract([Self.twoReadings(Self.scan(), second)]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[0].unitPrice == "3.7")
        #expect(d.lines[0].lineTotal == "37")
        #expect(d.total == "62")
    }

    /// A header the first reading garbled past recognition loses the table; the second's is taken whole.
    @Test func aTableOnlyTheSecondReadingFoundIsTaken() throws {
        let garbled = phrase(40, "Dwsrnpton") + phrase(250, "MG Cnda") + phrase(330, "Oxy") + phrase(380, "Lnt Prce") + phrase(470, "Arnennt")
        let first = Self.scan(header: garbled)
        #expect(Extractor().extract([PageText(number: 1, width: 595, height: 842, source: .ocr, words: first)]).document.lines.isEmpty)
        let d = Extractor().extract([Self.twoReadings(first, Self.scan())]).document
        try #require(d.lines.count == 2)
        #expect(d.lines[1].quantity == "2")
        #expect(d.total == "62")
    }

    /// A total that does not match its lines is taken from the reading whose total does.
    @Test func aTotalThatMatchesItsLinesIsChosen() throws {
        let d = Extractor().extract([Self.twoReadings(Self.scan(total: "6200"), Self.scan())]).document
        #expect(d.total == "62")
        let neither = Extractor().extract([Self.twoReadings(Self.scan(total: "6200"), Self.scan(total: "63.00"))]).document
        #expect(neither.total == "6200")
    }

    /// A required field the first reading missed comes from the second; one the kind may lack does not.
    @Test func onlyRequiredFieldsAreFilledFromTheSecondReading() throws {
        var first = Self.scan()
        first.removeAll { $0.text == "A-1001" }
        let d = Extractor().extract([Self.twoReadings(first, Self.scan())]).document
        #expect(d.invoiceNumber == "A-1001")
        let packing = page([
            (40, phrase(40, "PACKING LIST")),
            (70, phrase(40, "Seller") + phrase(330, "Invoice No.:") + phrase(450, "A-1001")),
            (82, phrase(40, "Acme Tools Ltd")),
            (150, phrase(40, "Buyer")),
            (162, phrase(40, "Outils Dupont SA")),
            (240, phrase(40, "Description") + phrase(250, "Packages") + phrase(330, "Net Weight") + phrase(430, "Gross Weight")),
            (258, phrase(40, "Claw hammer") + phrase(255, "2") + phrase(335, "10.5") + phrase(435, "11.0")),
        ], confidence: 0.9).words
        let withCurrency = packing + page([(100, phrase(330, "Currency:") + phrase(450, "GBP"))]).words
        let p = Extractor().extract([Self.twoReadings(packing, withCurrency)]).document
        #expect(p.kind == .packingList)
        #expect(p.currency == nil)
    }
}
