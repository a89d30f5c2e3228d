@testable import Documents
import DocumentExtraction
import Testing

/// Ink that OCR's layout passed over is found and read again; ink under words, specks and rules are not.
@Suite struct MissedInkTests {
    /// A 600 × 300 page with five "words" (bars 20 px tall) whose boxes are given, one more word
    /// half a line above them that no box covers, a lone glyph, specks and a long rule.
    static func page() -> (GrayImage, [Box]) {
        var img = GrayImage(width: 600, height: 300, dpi: 200, pixels: [UInt8](repeating: 250, count: 600 * 300))
        func fill(_ x: Range<Int>, _ y: Range<Int>) { for yy in y { for xx in x { img.pixels[yy * 600 + xx] = 20 } } }
        /// Letters 8 px wide, 4 apart, 20 tall.
        func word(x: Int, y: Int, letters: Int) { for i in 0..<letters { fill((x + 12 * i)..<(x + 12 * i + 8), y..<(y + 20)) } }
        var boxes: [Box] = []
        for (i, x) in [20, 100, 180, 260, 340].enumerated() {
            word(x: x, y: 100 + (i % 2), letters: 5)
            boxes.append(Box(x0: Double(x), y0: Double(100 + i % 2), x1: Double(x + 56), y1: Double(120 + i % 2)))
        }
        word(x: 440, y: 88, letters: 4)          // `Gross`, set half a line above, no box
        fill(500..<508, 200..<220)                // one letter alone
        fill(100..<102, 200..<202)                // a speck
        fill(20..<560, 260..<262)                 // a rule
        return (img, boxes)
    }

    @Test func theUncoveredWordIsARegionAndNothingElseIs() {
        let (img, boxes) = Self.page()
        let regions = MissedInk.regions(img, covered: boxes)
        #expect(regions == [MissedInk.Region(x0: 440, y0: 88, x1: 484, y1: 108)])
        // With a box over it too, nothing is left to read.
        #expect(MissedInk.regions(img, covered: boxes + [Box(x0: 440, y0: 88, x1: 484, y1: 108)]).isEmpty)
    }

    @Test func theCutKeepsTheRegionsPixelsOnAWhiteMargin() {
        let (img, _) = Self.page()
        let (cut, pad) = MissedInk.cut(img, MissedInk.Region(x0: 440, y0: 88, x1: 484, y1: 108))
        #expect(pad == 10 && cut.width == 64 && cut.height == 40)
        #expect(cut.pixels[(pad + 5) * cut.width + pad + 2] == 20)
        #expect(cut.pixels[2 * cut.width + 2] == 255)
    }

    /// The scan of `packing-en-pallets`: Tesseract's layout joins the weight columns' headers
    /// (`Net`, `Gross`, half a line above `Qty` and `Cartons`) to the header's line and drops them.
    @Test func aHeaderOffItsLinesBaselineIsReadAgain() throws {
        let bytes = try Fixtures.bytes("layouts/scans/packing-en-pallets.jpg")
        let text = { (ocr: TesseractOCR) throws -> [String] in
            try ImageReader(ocr: ocr).pages(bytes).flatMap(\.words).map(\.text)
        }
        let read = try text(TesseractOCR(languages: "eng", secondLook: .otsu))
        #expect(read.contains("Net") && read.contains("Gross"), "\(read)")
        let without = try text(TesseractOCR(languages: "eng", secondLook: .otsu, missedInk: nil))
        #expect(!without.contains("Gross"), "the layout now reads the header itself: \(without)")
    }

    /// The scan of `packing-en-warehouse`: the layout reads `Invoice No: NF-55017` and the date
    /// under it as one line, three unsure words two lines tall; `tall` (the standard) reads them
    /// again, line by line, and `uncovered` does not.
    @Test func twoLinesReadAsOneAreReadAgain() throws {
        let bytes = try Fixtures.bytes("layouts/scans/packing-en-warehouse.pdf")
        let text = { (reading: TesseractOCR.MissedInkReading) throws -> [String] in
            try PopplerReader(ocr: TesseractOCR(languages: "eng", secondLook: .otsu, missedInk: reading)).pages(bytes).flatMap(\.words).map(\.text)
        }
        let read = try text(.standard)
        #expect(read.contains("NF-55017") && read.contains("November"), "\(read)")
        let uncovered = try text(.uncovered)
        #expect(!uncovered.contains("NF-55017"), "the layout now reads the lines itself: \(uncovered)")
    }
}
