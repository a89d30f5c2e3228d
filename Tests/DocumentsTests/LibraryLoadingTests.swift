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
}
