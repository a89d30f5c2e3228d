import DocumentExtraction
import Documents
import Testing

/// poppler and Tesseract are opened on first use (dlopen), not linked: a library that cannot be
/// loaded is a refusal that names it, never a crash at start or a missing symbol later.
@Suite struct LibraryLoadingTests {
    @Test func theInstalledLibrariesLoad() throws {
        try DocumentLibraries.load(.poppler)
        try DocumentLibraries.load(.tesseract)
    }

    @Test func aMissingPopplerIsNamed() {
        do {
            try DocumentLibraries.load(.poppler, names: ["libpoppler-glib-missing.so.99"])
            Issue.record("a library that does not exist loaded")
        } catch {
            #expect(error.reason == .libraryUnavailable)
            #expect(error.message.contains("libpoppler-glib") && error.message.contains("libpoppler-glib-missing.so.99"), "\(error)")
            #expect(error.message.contains("PDFs cannot be read"), "\(error)")
        }
    }

    @Test func aMissingTesseractIsNamed() {
        do {
            try DocumentLibraries.load(.tesseract, names: ["libtesseract-missing.so.99"])
            Issue.record("a library that does not exist loaded")
        } catch {
            #expect(error.reason == .ocrUnavailable)
            // Leptonica is opened first, from the same names here, so it is the one named.
            #expect(error.message.contains("Leptonica") && error.message.contains("libtesseract-missing.so.99"), "\(error)")
        }
    }

    /// A library that loads but lacks a function the readers call is refused with the function's name.
    @Test func aLibraryWithoutTheFunctionsIsNamed() {
        do {
            try DocumentLibraries.load(.poppler, names: ["libz.so.1"])
            Issue.record("zlib passed for poppler")
        } catch {
            #expect(error.reason == .libraryUnavailable)
            #expect(error.message.contains("has no function g_bytes_new"), "\(error)")
        }
    }

    /// A German page is read again with the German model; where that model is not installed the
    /// first (English) reading stands instead of an error.
    @Test func aLanguageWithoutItsModelKeepsTheFirstReading() throws {
        let words = try ImageReader(ocr: TesseractOCR(languages: "eng")).pages(try Fixtures.bytes("scans/invoice-de-boxed.jpg"))[0].words
        #expect(DocumentLanguage.guess(words.map(\.text)) == "de")
        let ocr = TesseractOCR(languages: "eng", rereadIn: ["de": "zzz+eng"])
        let text = try ImageReader(ocr: ocr).pages(try Fixtures.bytes("scans/invoice-de-boxed.jpg"))[0].words.map(\.text).joined(separator: " ")
        #expect(text.contains("RE-2024-0815"), "\(text)")
    }

    /// A page read again in its language keeps the English reading as its second, for the
    /// extractor's choice; a page read once, and read well, has none (no second look).
    @Test func aPageReadAgainKeepsItsFirstReadingAsTheSecond() throws {
        let bytes = try Fixtures.bytes("scans/invoice-de-boxed.jpg")
        let once = try ImageReader(ocr: TesseractOCR(languages: "eng", secondLook: .otsu)).pages(bytes)[0]
        #expect(once.secondReading == nil)
        let twice = try ImageReader(ocr: TesseractOCR(languages: "eng", rereadIn: TesseractOCR.rereadLanguages)).pages(bytes)[0]
        #expect(twice.secondReading == once.words)
        #expect(twice.words != once.words)
    }
}
