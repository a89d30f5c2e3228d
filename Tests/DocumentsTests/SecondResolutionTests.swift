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

    /// The reader's limits with a third resolution (off by default).
    static var threeResolutions: ReadLimits {
        var limits = ReadLimits()
        limits.thirdOCRDPI = 150
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
        #expect(q == ReadingQuality(kind: .invoice, requiredFound: 5, requiredMissing: 0, lines: 2, linesHolding: 2, totalMatches: true))
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
        var asked: [Int] = []
        let pages = SecondResolution.choose([poor], limits: ReadLimits()) { dpi throws(DocumentReadError) in
            asked.append(dpi)
            return [good]
        }
        #expect(asked == [300])
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
        var asked: [Int] = []
        let pages = SecondResolution.choose([poor], limits: Self.threeResolutions) { dpi throws(DocumentReadError) in
            asked.append(dpi)
            return [alsoPoor]
        }
        #expect(asked == [300, 150])
        var twice: [Int] = []
        _ = SecondResolution.choose([poor], limits: ReadLimits()) { dpi throws(DocumentReadError) in
            twice.append(dpi)
            return [alsoPoor]
        }
        #expect(twice == [300])
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
        var asked: [Int] = []
        let pages = SecondResolution.choose([poor], limits: Self.threeResolutions) { dpi throws(DocumentReadError) in
            asked.append(dpi)
            return dpi == 300 ? [linesOnly] : [good]
        }
        #expect(asked == [300, 150])
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
        var once = ReadLimits()
        once.secondOCRDPI = nil
        #expect(SecondResolution.choose([poor], limits: once) { _ throws(DocumentReadError) in calls += 1; return [good] } == [poor])
        #expect(calls == 0)
        let failed = SecondResolution.choose([poor], limits: Self.threeResolutions) { _ throws(DocumentReadError) in
            calls += 1
            throw DocumentReadError(.timeout, "OCR took longer than 30000 ms")
        }
        #expect(failed == [poor])
        #expect(calls == 2)
    }
}
