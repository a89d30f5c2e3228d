import CDocumentLibraries
import Foundation

/// poppler and Tesseract/Leptonica are opened the first time a document is read (dlopen), not linked:
/// every other command of the hub starts without loading them and the 75 libraries they bring
/// (GLib, cairo, X11, curl, …; about 18 ms of each start of a debug build). A missing library is a
/// `DocumentReadError` that names it and the package to install, when a document needs it.
public enum DocumentLibraries {
    public enum Library: String, Sendable { case poppler, tesseract }

    /// The sonames tried in order: Debian/Ubuntu's current ones, then the development links.
    public static let popplerNames = ["libpoppler-glib.so.8", "libpoppler-glib.so"]
    public static let leptonicaNames = ["libleptonica.so.6", "liblept.so.5", "libleptonica.so", "liblept.so"]
    public static let tesseractNames = ["libtesseract.so.5", "libtesseract.so.4", "libtesseract.so"]

    /// Opens `library` (from `names`, or the default sonames) and resolves every function the readers
    /// call; throws the error a reader would throw when it cannot. Loading twice is harmless.
    public static func load(_ library: Library, names: [String]? = nil) throws(DocumentReadError) {
        switch library {
        case .poppler: _ = try poppler(names ?? popplerNames).get()
        case .tesseract: _ = try tesseract(leptonica: names ?? leptonicaNames, tesseract: names ?? tesseractNames).get()
        }
    }

    /// The functions, loaded once per process.
    static let sharedPoppler = poppler(popplerNames)
    static let sharedTesseract = tesseract(leptonica: leptonicaNames, tesseract: tesseractNames)

    static func poppler(_ names: [String]) -> Result<HubPoppler, DocumentReadError> {
        var loaded: UnsafeMutablePointer<HubPoppler>?
        let error = withCStrings(names) { list in withErrorBuffer { loaded = hub_poppler_load(list, $0, $1) } }
        if let loaded { return .success(loaded.pointee) }
        return .failure(DocumentReadError(.libraryUnavailable,
            "poppler (libpoppler-glib) cannot be loaded, so PDFs cannot be read: \(error) (Debian/Ubuntu: apt install libpoppler-glib8)"))
    }

    static func tesseract(leptonica: [String], tesseract: [String]) -> Result<HubTesseract, DocumentReadError> {
        var loaded: UnsafeMutablePointer<HubTesseract>?
        var status: Int32 = 0
        let error = withCStrings(leptonica) { l in withCStrings(tesseract) { t in withErrorBuffer { loaded = hub_tesseract_load(l, t, &status, $0, $1) } } }
        if let loaded { return .success(loaded.pointee) }
        let which = status == -1 ? "Leptonica (liblept)" : "Tesseract (libtesseract)"
        let package = status == -1 ? "liblept5" : "libtesseract5 tesseract-ocr-eng"
        return .failure(DocumentReadError(.ocrUnavailable,
            "\(which) cannot be loaded, so scans and images cannot be read: \(error) (Debian/Ubuntu: apt install \(package))"))
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let list: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return list.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static func withErrorBuffer(_ body: (UnsafeMutablePointer<CChar>, Int) -> Void) -> String {
        var buffer = [CChar](repeating: 0, count: 2048)
        buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
