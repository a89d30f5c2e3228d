@testable import Documents
import Testing

/// A scan saved as PDF that reads poorly is read once more at the scan's own resolution, scaled up by
/// the OCR (`Rereading.ownResolution`): the resolution comes from the one image covering the page, through poppler.
@Suite struct ScanResolutionTests {
    @Test func aScanPDFsResolutionIsItsImages() throws {
        let reader = PopplerReader(ocr: TesseractOCR(languages: "eng"))
        // The committed scans: 910 px across 8.27 inches, and a two-page scan at 150 DPI.
        #expect(try reader.scanResolutions(Fixtures.bytes("scans/invoice-en-us-long.pdf")) == [110, 110])
        #expect(try reader.scanResolutions(Fixtures.bytes("layouts/scans/invoice-de-uebertrag-zwei-seiten.pdf")) == [150, 150])
        #expect(try reader.scanResolutions(Fixtures.bytes("layouts/scans/invoice-en-ae-proforma.pdf")) == [100])
        // A text PDF has no image covering its page.
        #expect(try reader.scanResolutions(Fixtures.bytes("text/invoice-en-us-long.pdf")).allSatisfy { $0 == nil })
    }

    @Test func onlyACoarserScanIsRenderedAtItsOwnResolution() {
        #expect(PopplerReader.renderResolution(scan: 72, ocr: 200) == 72)
        #expect(PopplerReader.renderResolution(scan: 96, ocr: 300) == 96)
        #expect(PopplerReader.renderResolution(scan: 150, ocr: 200) == 150)
        // Within the margin the engine would not scale by, finer, or unknown: the OCR's resolution.
        #expect(PopplerReader.renderResolution(scan: 190, ocr: 200) == 200)
        #expect(PopplerReader.renderResolution(scan: 96, ocr: 110) == 110)
        #expect(PopplerReader.renderResolution(scan: 600, ocr: 200) == 200)
        #expect(PopplerReader.renderResolution(scan: nil, ocr: 200) == 200)
        // An image stretched over the page at a few pixels per inch is not rendered that coarse.
        #expect(PopplerReader.renderResolution(scan: 12, ocr: 200) == 50)
    }

    /// A 72 DPI scan is not rendered at 300 DPI (more than four times its resolution), a 96 or 100 DPI
    /// scan is, and so is a page that is no single scan or as fine as the OCR's resolution.
    @Test func onlyAScanUnderAQuarterOfTheFinerResolutionIsNotRenderedAtIt() {
        #expect(!PopplerReader.rendersFiner(scan: 72, at: 300, ocr: 200))
        #expect(PopplerReader.rendersFiner(scan: 96, at: 300, ocr: 200))
        #expect(PopplerReader.rendersFiner(scan: 100, at: 300, ocr: 200))
        #expect(PopplerReader.rendersFiner(scan: nil, at: 300, ocr: 200))
        #expect(PopplerReader.rendersFiner(scan: 200, at: 300, ocr: 200))
        // At a third resolution of 150 DPI, a 72 DPI scan is rendered at it too.
        #expect(PopplerReader.rendersFiner(scan: 72, at: 150, ocr: 200))
    }
}
