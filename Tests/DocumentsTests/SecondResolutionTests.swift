@testable import DocumentExtraction
@testable import Documents
import Testing

/// A scan that read poorly is read again at a second resolution (`SecondResolution`): when a reading
/// counts as poor (`ReadingQuality.isPoor`), and which of the two readings is kept.
@Suite struct SecondResolutionTests {
    static let garbledHeader = phrase(40, "Dwsrnpton") + phrase(250, "MG Cnda") + phrase(330, "Oxy") + phrase(380, "Lnt Prce") + phrase(470, "Arnennt")

    static func ocrPage(_ words: [Word]) -> PageText {
        PageText(number: 1, width: 595, height: 842, source: .ocr, words: words)
    }

    static func quality(_ words: [Word]) -> ReadingQuality { Extractor().quality([ocrPage(words)]) }

    /// The reader's limits with a third resolution (off by default), and no reading at the scan's own.
    static var threeResolutions: ReadLimits {
        var limits = ReadLimits()
        limits.thirdOCRDPI = 150
        limits.ownResolutionReading = false
        return limits
    }

    /// The reader's limits without the reading at the scan's own resolution.
    static var resolutionsOnly: ReadLimits {
        var limits = ReadLimits()
        limits.ownResolutionReading = false
        return limits
    }

    /// The invoice number's and date's labels garbled (`Involce Nu.:`, `Dte:`): both fields are lost.
    static func garbledLabels(_ words: [Word]) -> [Word] {
        words.map { w in
            var w = w
            if w.text == "Invoice" { w.text = "Involce" }
            if w.text == "No.:" { w.text = "Nu.:" }
            if w.text == "Date:" { w.text = "Dte:" }
            return w
        }
    }

    /// The test invoice read well: kind, the five required fields, two lines that hold and a total
    /// that matches them.
    @Test func aWellReadInvoiceIsNotPoor() {
        let q = Self.quality(ReadingChoiceTests.scan())
        // Each line's quantity, unit price and line total at least.
        #expect(q.cellsRead >= 6)
        #expect(q == ReadingQuality(kind: .invoice, requiredFound: 5, requiredMissing: 0, lines: 2, linesHolding: 2, totalMatches: true, cellsRead: q.cellsRead))
        #expect(!q.isPoor)
    }

    /// The engine can be sure of every word and still lose the table header: no lines is poor.
    @Test func anInvoiceWithoutItsTableIsPoor() {
        let q = Self.quality(ReadingChoiceTests.scan(header: Self.garbledHeader))
        #expect(q.lines == 0)
        #expect(q.isPoor)
    }

    /// One required field missing alone (an invoice that prints no currency code) is not poor; two are.
    @Test func oneMissingInvoiceFieldIsNotPoorTwoAre() {
        let one = ReadingQuality(kind: .invoice, requiredFound: 4, requiredMissing: 1, lines: 2, linesHolding: 2, totalMatches: true)
        #expect(!one.isPoor)
        let two = ReadingQuality(kind: .invoice, requiredFound: 3, requiredMissing: 2, lines: 2, linesHolding: 2, totalMatches: true)
        #expect(two.isPoor)
        let read = Self.quality(Self.garbledLabels(ReadingChoiceTests.scan()))
        #expect(read.requiredMissing == 2, "\(read)")
        #expect(read.isPoor)
    }

    /// Lines that mostly fail their arithmetic are poor unless they add up to the total; an unknown
    /// kind is always poor.
    @Test func failingArithmeticAndAnUnknownKindArePoor() {
        #expect(ReadingQuality(kind: .invoice, requiredFound: 5, requiredMissing: 0, lines: 3, linesHolding: 1, totalMatches: false).isPoor)
        #expect(!ReadingQuality(kind: .invoice, requiredFound: 5, requiredMissing: 0, lines: 3, linesHolding: 1, totalMatches: true).isPoor)
        #expect(!ReadingQuality(kind: .invoice, requiredFound: 5, requiredMissing: 0, lines: 3, linesHolding: 2, totalMatches: false).isPoor)
        #expect(ReadingQuality(kind: .unknown, requiredFound: 0, requiredMissing: 0, lines: 2, linesHolding: 0, totalMatches: false).isPoor)
        #expect(ReadingQuality(kind: .packingList, requiredFound: 2, requiredMissing: 0, lines: 0, linesHolding: 0, totalMatches: false).isPoor)
    }

    /// A poor first reading is read again at `secondOCRDPI`; the second, which found the table, is
    /// kept, and the first becomes its second reading.
    @Test func thePoorReadingGivesWayToTheBetterOne() throws {
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        let good = Self.ocrPage(ReadingChoiceTests.scan())
        var asked: [Rereading] = []
        let pages = SecondResolution.choose([poor], limits: ReadLimits()) { rereading throws(DocumentReadError) in
            asked.append(rereading)
            return [good]
        }
        #expect(asked == [.resolution(300)])
        let page = try #require(pages.first)
        #expect(page.words == good.words)
        #expect(page.secondReading == poor.words)
        #expect(Extractor().extract(pages).document.lines.count == 2)
    }

    /// A reading that shows no more than the first leaves the first in place (a tie too), with the
    /// other as its second reading; a page still poor after the second resolution is read at the third.
    @Test func aTieKeepsTheFirstReading() {
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        let alsoPoor = Self.ocrPage(ReadingChoiceTests.scan(header: phrase(40, "Descrlptlon") + phrase(330, "Qfy") + phrase(470, "Amnt")))
        var asked: [Rereading] = []
        let pages = SecondResolution.choose([poor], limits: Self.threeResolutions) { rereading throws(DocumentReadError) in
            asked.append(rereading)
            return [alsoPoor]
        }
        #expect(asked == [.resolution(300), .resolution(150)])
        var twice: [Rereading] = []
        _ = SecondResolution.choose([poor], limits: Self.resolutionsOnly) { rereading throws(DocumentReadError) in
            twice.append(rereading)
            return [alsoPoor]
        }
        #expect(twice == [.resolution(300)])
        #expect(pages.first?.words == poor.words)
        #expect(pages.first?.secondReading == alsoPoor.words)
    }

    /// Still poor at 300 DPI, better at 150: the reading at 150 is kept, the best of the others
    /// (the one at 300, which found the table but lost the invoice number and date) becomes its second reading.
    @Test func theThirdResolutionIsReadWhileThePageStaysPoor() throws {
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        let linesOnly = Self.ocrPage(Self.garbledLabels(ReadingChoiceTests.scan()))
        let good = Self.ocrPage(ReadingChoiceTests.scan())
        #expect(Self.quality(linesOnly.words).isBetter(than: Self.quality(poor.words)))
        #expect(Self.quality(linesOnly.words).isPoor)
        var asked: [Rereading] = []
        let pages = SecondResolution.choose([poor], limits: Self.threeResolutions) { rereading throws(DocumentReadError) in
            asked.append(rereading)
            return rereading == .resolution(300) ? [linesOnly] : [good]
        }
        #expect(asked == [.resolution(300), .resolution(150)])
        let page = try #require(pages.first)
        #expect(page.words == good.words)
        #expect(page.secondReading == linesOnly.words)
    }

    /// A page read well, a text page, no second resolution configured, or a second reading that fails:
    /// the first reading stands and nothing more is read.
    @Test func nothingIsReadAgainUnlessThePageReadPoorly() {
        let good = Self.ocrPage(ReadingChoiceTests.scan())
        var calls = 0
        let kept = SecondResolution.choose([good], limits: ReadLimits()) { _ throws(DocumentReadError) in calls += 1; return [good] }
        #expect(kept == [good])
        let poorText = PageText(number: 1, width: 595, height: 842, source: .text, words: ReadingChoiceTests.scan(header: Self.garbledHeader))
        #expect(SecondResolution.choose([poorText], limits: ReadLimits()) { _ throws(DocumentReadError) in calls += 1; return [good] } == [poorText])
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        var once = Self.resolutionsOnly
        once.secondOCRDPI = nil
        #expect(SecondResolution.choose([poor], limits: once) { _ throws(DocumentReadError) in calls += 1; return [good] } == [poor])
        #expect(calls == 0)
        let failed = SecondResolution.choose([poor], limits: Self.threeResolutions) { _ throws(DocumentReadError) in
            calls += 1
            throw DocumentReadError(.timeout, "OCR used more than 30000 ms of CPU time on the page")
        }
        #expect(failed == [poor])
        #expect(calls == 2)
    }

    /// Still poor after 300 DPI: the scan is read at its own resolution last. That reading is kept
    /// when it shows more counting its table cells (`Rereading.isBetter`), even with a required field
    /// less; a reading at another resolution needs the higher score alone.
    @Test func theOwnResolutionIsReadLastAndWeighsItsCells() throws {
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        let alsoPoor = Self.ocrPage(ReadingChoiceTests.scan(header: phrase(40, "Descrlptlon") + phrase(330, "Qfy") + phrase(470, "Amnt")))
        let linesOnly = Self.ocrPage(Self.garbledLabels(ReadingChoiceTests.scan()))
        var asked: [Rereading] = []
        let pages = SecondResolution.choose([poor], limits: ReadLimits()) { rereading throws(DocumentReadError) in
            asked.append(rereading)
            return rereading == .ownResolution ? [linesOnly] : [alsoPoor]
        }
        #expect(asked == [.resolution(300), .ownResolution])
        #expect(pages.first?.words == linesOnly.words)
        #expect(pages.first?.secondReading == poor.words)

        let first = ReadingQuality(kind: .invoice, requiredFound: 4, requiredMissing: 1, lines: 21, linesHolding: 3, totalMatches: false, cellsRead: 50)
        let own = ReadingQuality(kind: .invoice, requiredFound: 3, requiredMissing: 2, lines: 22, linesHolding: 2, totalMatches: false, cellsRead: 63)
        #expect(Rereading.ownResolution.isBetter(own, than: first))
        #expect(!Rereading.resolution(300).isBetter(own, than: first))
        var fewerCells = own
        fewerCells.cellsRead = 40
        #expect(!Rereading.ownResolution.isBetter(fewerCells, than: first))
    }

    /// A reader that has no reading at a scan's own resolution (an image, read at its own already)
    /// returns nil, and the best reading so far stands; switched off, it is not asked for.
    @Test func noOwnResolutionReadingLeavesTheBestSoFar() {
        let poor = Self.ocrPage(ReadingChoiceTests.scan(header: Self.garbledHeader))
        let alsoPoor = Self.ocrPage(ReadingChoiceTests.scan(header: phrase(40, "Descrlptlon") + phrase(330, "Qfy") + phrase(470, "Amnt")))
        var asked: [Rereading] = []
        let pages = SecondResolution.choose([poor], limits: ReadLimits()) { rereading throws(DocumentReadError) in
            asked.append(rereading)
            return rereading == .ownResolution ? nil : [alsoPoor]
        }
        #expect(asked == [.resolution(300), .ownResolution])
        #expect(pages.first?.words == poor.words)
        var off: [Rereading] = []
        _ = SecondResolution.choose([poor], limits: Self.resolutionsOnly) { rereading throws(DocumentReadError) in
            off.append(rereading)
            return [alsoPoor]
        }
        #expect(off == [.resolution(300)])
    }

    /// An engine that reads every page as `words` and keeps the limits each reading was asked with.
    final class RecordingOCR: PageOCR, @unchecked Sendable {
        let read: [Word]
        var asked: [ReadLimits] = []
        /// The resolution of each image it was given.
        var images: [Int] = []
        init(_ read: [Word]) { self.read = read }
        func words(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> [Word] {
            asked.append(limits)
            images.append(image.dpi)
            return read
        }
    }

    /// A poorly read PDF scan of 100 DPI is read again at 300 DPI, then at its own resolution; without
    /// the reading at its own, at 300 only.
    @Test func aCoarseScanIsReadAgainAtItsOwnResolutionToo() throws {
        let german = page([(40, phrase(40, "Die Waren der Sendung und ihr Gewicht")), (60, phrase(40, "mit der Rechnung"))]).words
        let ocr = RecordingOCR(german)
        _ = try PopplerReader(ocr: ocr).pages(try Fixtures.bytes("layouts/scans/invoice-en-ae-proforma.pdf"))
        #expect(ocr.asked.map(\.ocrDPI) == [200, 300, 200])
        #expect(ocr.images == [200, 300, 100])
        let off = RecordingOCR(german)
        _ = try PopplerReader(limits: Self.resolutionsOnly, ocr: off).pages(try Fixtures.bytes("layouts/scans/invoice-en-ae-proforma.pdf"))
        #expect(off.images == [200, 300])
    }

    /// A poorly read page read again at another resolution is read in the language its first reading
    /// showed, without guessing it again (`ReadLimits.ocrLanguage`); the first reading guesses.
    @Test func aRereadingKeepsTheFirstReadingsLanguage() throws {
        // German prose and no title: no kind, so poor, and read again at 300 DPI (the scan is 120 DPI).
        let german = page([(40, phrase(40, "Die Waren der Sendung und ihr Gewicht")), (60, phrase(40, "mit der Rechnung"))]).words
        let ocr = RecordingOCR(german)
        _ = try ImageReader(ocr: ocr).pages(try Fixtures.bytes("scans/invoice-de-boxed.jpg"))
        #expect(ocr.asked.map(\.ocrDPI) == [200, 300])
        #expect(ocr.asked.map(\.ocrLanguage) == [nil, "de"])
        let english = RecordingOCR(page([(40, phrase(40, "The goods of the consignment and their weight"))]).words)
        _ = try ImageReader(ocr: english).pages(try Fixtures.bytes("scans/invoice-de-boxed.jpg"))
        #expect(english.asked.map(\.ocrLanguage) == [nil, "en"])
    }

    /// A scanned PDF's second page is read in the language its first page showed, without a strip
    /// read to guess it; the first page guesses.
    @Test func aScannedPageAfterTheFirstKeepsItsLanguage() throws {
        let german = page([(40, phrase(40, "Die Waren der Sendung und ihr Gewicht")), (60, phrase(40, "mit der Rechnung"))]).words
        let ocr = RecordingOCR(german)
        let pages = try PopplerReader(ocr: ocr).pages(try Fixtures.bytes("scans/invoice-en-us-long.pdf"))
        #expect(pages.count == 2)
        #expect(ocr.asked.prefix(2).map(\.ocrDPI) == [200, 200])
        #expect(ocr.asked.prefix(2).map(\.ocrLanguage) == [nil, "de"])
    }
}
