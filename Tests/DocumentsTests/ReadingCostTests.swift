@testable import Documents
import DocumentExtraction
import Testing

/// What made scans cheaper must not change what they read: the extraction a reader made to judge
/// its pages is reused only for the same pages, templates and review threshold.
@Suite struct ReadingCostTests {
    static let slip = ReadingChoiceTests.scan(row: phrase(40, "Claw hammer") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "370") + phrase(475, "37.00"))
    static let right = ReadingChoiceTests.scan(row: phrase(40, "Claw hamner") + phrase(250, "8205200000") + phrase(335, "10") + phrase(390, "3.70") + phrase(475, "37.00"))

    @Test func anExtractionIsReusedOnlyForTheSamePagesTemplatesAndThreshold() throws {
        let two = [ReadingChoiceTests.twoReadings(Self.slip, Self.right)]
        let once = [PageText(number: 1, width: 595, height: 842, source: .ocr, words: Self.slip)]
        for _ in 0..<2 {
            let a = Extractor().extract(two)
            try #require(a.document.lines.count == 2)
            #expect(a.document.lines[0].unitPrice == "3.7")
            #expect(Extractor().extract(two).document == a.document)
            // The same words without the second reading: its slip stays (no reuse of the reading above).
            let b = Extractor().extract(once)
            #expect(b.problems.contains { $0.field?.hasPrefix("lines[0].") == true }, "\(b.problems)")
            // The same pages under a stricter threshold: more fields (read from words at 0.9) go to review.
            func unsure(_ e: Extraction) -> Int { e.problems.filter { $0.code == "low_confidence" }.count }
            #expect(unsure(Extractor(reviewThreshold: 0.95).extract(once)) > unsure(Extractor().extract(once)))
        }
    }

    /// `extract-bench --repeat 3` counted poppler's reading three times and the extraction once: the
    /// extraction of the first reading was reused by the next two. Each whole reading makes its own.
    @Test func aDocumentReadThreeTimesIsExtractedThreeTimes() throws {
        let invoice = try #require(try Fixtures.list("text").first { $0.hasPrefix("invoice") })
        let bytes = try Fixtures.bytes("text/" + invoice)
        // A threshold no other test uses, so that no test running beside this one leaves an extraction it could reuse.
        let extractor = Extractor(reviewThreshold: 0.615)
        let tally = ExtractionTally()
        let first = try Extractor.$tally.withValue(tally) { () throws(DocumentReadError) in
            var readings: [Extraction] = []
            for _ in 0..<3 { readings.append(try AnyDocumentReader().reading(bytes, extractor: extractor).extraction) }
            return readings
        }
        #expect(tally.made == 3)
        #expect(first.allSatisfy { $0.document == first[0].document && !$0.document.lines.isEmpty })
        // Pages extracted again without a new reading still reuse the extraction (what spares a scan's reader).
        let pages = try AnyDocumentReader().pages(bytes)
        Extractor.forgetLastExtraction()
        let again = ExtractionTally()
        Extractor.$tally.withValue(again) { _ = (extractor.extract(pages), extractor.extract(pages)) }
        #expect(again.made == 1)
    }

    @Test func tesseractSettingsAreReadAsNamesAndValues() {
        let v = try? OCRSettings(environment: ["CUSTOMS_HUB_OCR_VARIABLES": "tessedit_do_invert=0, invert_threshold = 0.5"])
        #expect(v?.variables == ["tessedit_do_invert": "0", "invert_threshold": "0.5"])
        // A pair without its value is a broken configuration, named.
        #expect(throws: OCRSettings.Problem.self) { try OCRSettings(environment: ["CUSTOMS_HUB_OCR_VARIABLES": "tessedit_do_invert=0,broken"]) }
        #expect((try? OCRSettings(environment: ["CUSTOMS_HUB_OCR_REREAD": "alone"]))?.rereadIn["de"] == "deu")
        #expect(TesseractOCR.rereadModels("standard") == TesseractOCR.rereadLanguages)
        #expect(TesseractOCR.rereadModels("none").isEmpty)
        #expect(TesseractOCR.rereadModels("alone")["de"] == "deu")
    }
}
