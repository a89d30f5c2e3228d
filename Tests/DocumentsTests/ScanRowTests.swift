@testable import DocumentExtraction
@testable import Documents
import Testing

/// A word OCR ran together from two header words, read unsure, is split where the second begins
/// (`WordRepairs.splitRunTogether`): dev seeds 153 and 193's `packing-en-classic` lost every line's
/// packages and net weight to `PackagedNet` / `PackageWNet`.
@Suite struct RunTogetherWordTests {
    static func word(_ text: String, _ x0: Double, _ x1: Double, confidence: Double = 0.9) -> Word {
        Word(text: text, box: Box(x0: x0, y0: 312, x1: x1, y1: 321), confidence: confidence)
    }

    @Test func anUnsureWordOfTwoRunTogetherIsSplitByItsLetters() {
        let split = WordRepairs.splitRunTogether([Self.word("PackagedNet", 488, 562, confidence: 0), Self.word("Weight", 566, 609)])
        #expect(split.map(\.text) == ["Packaged", "Net", "Weight"])
        #expect(split[0].box.x0 == 488 && split[1].box.x1 == 562 && split[0].box.x1 == split[1].box.x0)
        #expect(abs(split[0].box.x1 - (488 + 74 * 8 / 11)) < 1e-9)
        #expect(WordRepairs.splitRunTogether([Self.word("PackageWNet", 488, 562, confidence: 0.11)]).map(\.text) == ["PackageW", "Net"])
    }

    @Test func sureWordsNamesAndCapitalsAreLeftAsRead() {
        let words = [Self.word("PackagedNet", 488, 562, confidence: 0.5),      // read sure enough
                     Self.word("GmbH", 100, 140, confidence: 0.2),             // the capital ends the word
                     Self.word("McKinley", 100, 160, confidence: 0.2),         // two letters before the capital
                     Self.word("INVOICE", 100, 160, confidence: 0.2),          // capitals only
                     Self.word("UnitPrice2", 100, 160, confidence: 0.2),       // a digit
                     Self.word("(k@ross", 100, 160, confidence: 0.2),          // marks
                     Self.word("NetWt", 100, 160, confidence: 0.2)]            // two letters after the capital
        #expect(WordRepairs.splitRunTogether(words) == words)
    }

    /// The split header reads as the packing list's columns, packages and net weight among them.
    @Test func theSplitHeaderNamesThePackagesAndNetWeightColumns() throws {
        let read = [Self.word("Description", 58, 125), Self.word("Qty", 421, 443), Self.word("Unit", 451, 476),
                    Self.word("PackagedNet", 488, 562, confidence: 0), Self.word("Weight", 566, 609), Self.word("(kg)", 613, 636),
                    Self.word("Gross", 640, 661), Self.word("Weight", 665, 708), Self.word("(kg)", 712, 735)]
        let words = WordRepairs.splitRunTogether(read)
        let line = TextLine(page: 1, words: words, box: words.dropFirst().reduce(words[0].box) { $0.union($1.box) })
        let columns = try #require(Run.header(line, ocr: true)).map(\.column)
        #expect(columns.contains(.packages) && columns.contains(.netWeight) && columns.contains(.grossWeight), "\(columns)")
    }

    @Test func theRepairIsStandardAndNamed() {
        typealias Repairs = TesseractOCR.Repairs
        #expect(Repairs("together, characters") == [.runTogether, .lastCharacters])
        #expect(Repairs.standard.isSuperset(of: [.runTogether, .lastCharacters]))
    }
}

/// A word's box run over by one letter or digit at its end ends where that character starts
/// (`WordRepairs.trimmedOverruns(_:lastCharacters:)`): dev seed 293's `invoice-en-classic` read
/// `size` boxed over `size M`, `M` took a line of its own, and the row was dealt between two lines.
@Suite struct LastCharacterOverrunTests {
    /// The row as the second reading gave it (page units), `M` two lines tall over the end of `size`.
    static let row = [
        Word(text: "Lambswool", box: Box(x0: 43.56, y0: 266.4, x1: 85.32, y1: 273.96), confidence: 0.88),
        Word(text: "jumper,", box: Box(x0: 86.76, y0: 267.12, x1: 115.2, y1: 276.84), confidence: 0.92),
        Word(text: "navy,", box: Box(x0: 118.08, y0: 268.56, x1: 135.0, y1: 275.76), confidence: 0.97),
        Word(text: "size", box: Box(x0: 140.04, y0: 266.4, x1: 163.08, y1: 274.32), confidence: 0.93),
        Word(text: "M", box: Box(x0: 159.12, y0: 261.72, x1: 163.8, y1: 278.28), confidence: 0.93),
        Word(text: "6110141000", box: Box(x0: 258.84, y0: 265.68, x1: 305.64, y1: 274.68), confidence: 0.73),
        Word(text: "GB", box: Box(x0: 322.56, y0: 266.76, x1: 334.08, y1: 274.32), confidence: 0.49),
        Word(text: "12", box: Box(x0: 382.32, y0: 266.76, x1: 390.24, y1: 274.32), confidence: 0.8),
        Word(text: "pcs", box: Box(x0: 396.72, y0: 268.56, x1: 408.6, y1: 276.12), confidence: 0.8),
        Word(text: "1,596.71", box: Box(x0: 451.08, y0: 262.08, x1: 483.48, y1: 280.44), confidence: 0.66),
        Word(text: "19,160.52", box: Box(x0: 516.96, y0: 266.76, x1: 552.6, y1: 275.04), confidence: 0.95),
    ]

    static func lines(_ words: [Word]) -> [String] {
        Layout.lines(PageText(number: 1, width: 595, height: 842, source: .ocr, words: words)).map(\.text)
    }

    @Test func theRowIsOneLineOnceTheBoxEndsWhereTheCharacterStarts() {
        #expect(Self.lines(Self.row).count == 2)   // as read: the row dealt between two lines
        let trimmed = WordRepairs.trimmedOverruns(Self.row, lastCharacters: true)
        #expect(trimmed[3].box.x1 < 159.12 && trimmed[3].box.x1 > 155)
        #expect(trimmed.enumerated().allSatisfy { $0.offset == 3 || $0.element == Self.row[$0.offset] })
        #expect(Self.lines(trimmed) == ["Lambswool jumper, navy, size M 6110141000 GB 12 pcs 1,596.71 19,160.52"])
    }

    @Test func aLongerWordOrOneInsideTheBoxCutsNothing() {
        let y = (y0: 195.0, y1: 202.0)
        let words = [Word(text: "Terms", box: Box(x0: 45, y0: y.y0, x1: 80, y1: y.y1), confidence: 0.9),
                     Word(text: "of", box: Box(x0: 72, y0: y.y0, x1: 79, y1: y.y1), confidence: 0.9),        // two characters
                     Word(text: "Invoice", box: Box(x0: 200, y0: y.y0, x1: 260, y1: y.y1), confidence: 0.9),
                     Word(text: "N", box: Box(x0: 220, y0: y.y0, x1: 226, y1: y.y1), confidence: 0.9),        // not at the end
                     Word(text: "Total", box: Box(x0: 300, y0: y.y0, x1: 340, y1: y.y1), confidence: 0.9),
                     Word(text: ":", box: Box(x0: 336, y0: y.y0, x1: 339, y1: y.y1), confidence: 0.9)]        // a mark
        #expect(WordRepairs.trimmedOverruns(words, lastCharacters: true) == words)
        #expect(WordRepairs.trimmedOverruns(Self.row) == Self.row)   // off unless asked for
    }
}
