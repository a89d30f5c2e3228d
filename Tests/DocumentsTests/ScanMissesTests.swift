@testable import DocumentExtraction
@testable import Documents
import Testing

/// A description's comma that OCR read as a point is read as a comma; abbreviations keep theirs.
@Suite struct MisreadCommaTests {
    /// An invoice whose first description is `description`, read by OCR or from a text layer.
    static func invoice(_ description: String, ocr: Bool) -> PageText {
        var rows = CellRepairTests.parties("COMMERCIAL INVOICE", header: phrase(40, "Description") + phrase(250, "Quantity") + phrase(350, "Unit Price")
            + phrase(450, "Amount"))
        rows.append((258, phrase(40, description) + phrase(255, "120") + phrase(355, "12.50") + phrase(455, "1,500.00")))
        rows.append((300, phrase(350, "TOTAL:") + phrase(455, "1,500.00")))
        var p = page(rows, confidence: 0.9)
        if ocr { p.source = .ocr }
        return p
    }

    /// The points the seeds' and layouts' scans read for commas.
    @Test func aPointAfterAWordIsAComma() {
        #expect(Run.commasForMisreadPeriods("Merino wool scarf. charcoal") == "Merino wool scarf, charcoal")
        #expect(Run.commasForMisreadPeriods("Tulpenbollen, gemengd. 25 st") == "Tulpenbollen, gemengd, 25 st")
        #expect(Run.commasForMisreadPeriods("Kuckucksuhr. Eiche, 35 cm") == "Kuckucksuhr, Eiche, 35 cm")
        #expect(Run.commasForMisreadPeriods("Trekking poles. carbon. pair") == "Trekking poles, carbon, pair")
    }

    /// The fixtures' own points (`wiel ca. 12 kg`, `Art. 40-125`, `nr. 2`, `doos 50 st.`), a known
    /// abbreviation of four letters, a word in capitals, a number and a point at the end stay.
    @Test func abbreviationsAndAnEndingPointStay() {
        for text in ["Goudse kaas belegen, 48+, wiel ca. 12 kg", "Kugelhahn DN 25, Messing vernickelt, Art. 40-125",
                     "Oesters Creuses, nr. 2, doos 50 st.", "Hiking boots, incl. laces", "ACME CORP. widget", "Tea 1.5 kg",
                     "Rain jacket, men.", "Compass"] {
            #expect(Run.commasForMisreadPeriods(text) == text)
        }
    }

    /// Through the extractor: an OCR page's description is repaired, a text layer's is what was printed.
    @Test func onlyAScansDescriptionIsRepaired() throws {
        let scanned = Extractor().extract([Self.invoice("Merino wool scarf. charcoal", ocr: true)])
        #expect(try #require(scanned.document.lines.first).description == "Merino wool scarf, charcoal")
        let text = Extractor().extract([Self.invoice("Merino wool scarf. charcoal", ocr: false)])
        #expect(try #require(text.document.lines.first).description == "Merino wool scarf. charcoal")
    }
}

/// A lone figure that ends a line of words (`Total packages:` and its `9` far right) is ink to read again.
@Suite struct LoneFigureTests {
    /// A 600 × 300 page: five covered "words" 20 px tall on one row, a glyph `figure` on the same row
    /// at `x` (far right unless given) when given, and the same-sized glyph on an empty row below.
    static func page(figure: (width: Int, height: Int)?, x: Int = 520) -> (GrayImage, [Box]) {
        var img = GrayImage(width: 600, height: 300, dpi: 200, pixels: [UInt8](repeating: 250, count: 600 * 300))
        func fill(_ x: Range<Int>, _ y: Range<Int>) { for yy in y { for xx in x { img.pixels[yy * 600 + xx] = 20 } } }
        var boxes: [Box] = []
        for x in [20, 100, 180, 260, 340] {
            for i in 0..<5 { fill((x + 12 * i)..<(x + 12 * i + 8), 100..<120) }
            boxes.append(Box(x0: Double(x), y0: 100, x1: Double(x + 56), y1: 120))
        }
        if let figure { fill(x..<(x + figure.width), (120 - figure.height)..<120) }
        fill(500..<510, 200..<220)                // a glyph alone on a row with no words
        return (img, boxes)
    }

    @Test func aFigureAtTheEndOfALineIsARegion() {
        let (img, boxes) = Self.page(figure: (10, 18))
        #expect(MissedInk.regions(img, covered: boxes) == [MissedInk.Region(x0: 520, y0: 102, x1: 530, y1: 120, loneFigure: true)])
    }

    /// A glyph on no line of words (above), a sliver of a rule, a mark under half a word tall and a
    /// glyph in the gap between two words (`Net t à payer` on `invoice-fr-ttc-client`) are not read.
    @Test func aSliverAMarkAndAGlyphOffTheLinesOrBetweenWordsAreNot() {
        #expect(MissedInk.regions(Self.page(figure: nil).0, covered: Self.page(figure: nil).1).isEmpty)
        let (sliver, boxes) = Self.page(figure: (2, 18))
        #expect(MissedInk.regions(sliver, covered: boxes).isEmpty)
        let (point, _) = Self.page(figure: (6, 8))
        #expect(MissedInk.regions(point, covered: boxes).isEmpty)
        let (between, _) = Self.page(figure: (8, 18), x: 164)
        #expect(MissedInk.regions(between, covered: boxes).isEmpty)
    }

    /// A glyph inside the box of a word read unsure, left out of the covered boxes so that its ink is
    /// read again, is a piece of that word, not a lone figure (the `4` of `432.0`, two lines tall and
    /// unsure, on `packing-fr-en-bilingue`'s second look, read `a` and added beside it).
    @Test func aGlyphUnderAnUnsureWordIsNoLoneFigure() {
        let (img, boxes) = Self.page(figure: (10, 18))
        let unsure = Box(x0: 516, y0: 90, x1: 560, y1: 126)
        #expect(MissedInk.regions(img, covered: boxes, unsure: [unsure]).isEmpty)
        // An unsure word elsewhere on the row leaves the figure alone.
        #expect(MissedInk.regions(img, covered: boxes, unsure: [Box(x0: 420, y0: 96, x1: 470, y1: 124)])
            == [MissedInk.Region(x0: 520, y0: 102, x1: 530, y1: 120, loneFigure: true)])
    }
}

/// A packing list's `Total packages: 9` whose figure stands under the gross weight column is the
/// packages' sum, not the gross weight's (`packing-en-classic-v153`, whose `45.3 kg` OCR lost).
@Suite struct LabelledColumnTotalTests {
    static func packing(totalRows: [(y: Double, words: [(x: Double, text: String)])]) -> PageText {
        var rows = CellRepairTests.parties("PACKING LIST", header: phrase(40, "Description") + phrase(250, "Packages") + phrase(330, "Net Weight")
            + phrase(430, "Gross Weight"))
        rows.append((258, phrase(40, "Merino wool scarf") + phrase(285, "4") + phrase(370, "14.4") + phrase(470, "16.2")))
        rows.append((273, phrase(40, "Tweed flat cap") + phrase(285, "5") + phrase(375, "6.6") + phrase(475, "8.1")))
        rows += totalRows
        var p = page(rows, confidence: 0.9)
        p.source = .ocr
        return p
    }

    @Test func aLabelledSumIsNotAnotherColumnsSum() {
        let r = Extractor().extract([Self.packing(totalRows: [(320, phrase(300, "Total packages:") + phrase(480, "9"))])])
        #expect(r.document.packages == "9")
        #expect(r.document.grossWeight == nil)
        // With its gross weight's own label beside it, the sums are read as labelled.
        let both = Extractor().extract([Self.packing(totalRows: [(320, phrase(300, "Total packages:") + phrase(480, "9")),
                                                                 (335, phrase(300, "Total gross weight:") + phrase(470, "24.3 kg"))])])
        #expect(both.document.packages == "9" && both.document.grossWeight == "24.3")
    }
}
