import DocumentExtraction

/// Turns a file's bytes into the words of its pages. PDFs with a text layer, scans and photos
/// each have a reader; a better OCR engine or PDF library replaces one by conforming to this.
public protocol DocumentReader: Sendable {
    func pages(_ bytes: [UInt8]) throws(DocumentReadError) -> [PageText]
}

/// Why a file was refused. Each carries a message for the person who sent it.
public struct DocumentReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: String, Hashable, Sendable {
        case empty, unsupportedFormat = "unsupported_format", tooLarge = "too_large", encrypted, tooManyPages = "too_many_pages"
        case bomb, tooDeep = "too_deep", malformed, imageTooLarge = "image_too_large", ocrUnavailable = "ocr_unavailable", timeout
        /// poppler is not installed (or not loadable): the installation is broken, not the file.
        case libraryUnavailable = "library_unavailable"
    }
    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}

/// The bounds every reader keeps, whatever the file claims.
public struct ReadLimits: Hashable, Sendable {
    /// Largest file accepted.
    public var maxBytes = 32 << 20
    public var maxPages = 200
    /// Total bytes all of a PDF's compressed streams may inflate to.
    public var maxInflatedBytes = 256 << 20
    /// Deepest nesting of PDF dictionaries and arrays.
    public var maxNesting = 64
    /// Largest image or rendered page, in pixels, and its longest side.
    public var maxPixels = 40_000_000
    public var maxSide = 20_000
    /// Words on one page.
    public var maxWordsPerPage = 20_000
    /// CPU time OCR may spend on one page, in milliseconds, counted on the reading thread: a
    /// wall-clock deadline gave out on a loaded machine (a page read well alone was refused beside
    /// a test run), so the same file read differently with the load. Wall-clock bounds are the
    /// reading child's (`ReadingWorker`).
    public var ocrCPUMilliseconds = 30_000
    /// The resolution OCR works at; lower-resolution images are scaled up to it. 200 read 22 more
    /// fields than 250 over seven scan sets (one held-out seed lost 5), a fifth faster; 300 read
    /// fewer (`docs/benchmarks.md`, session 16, `extract-bench --ocr-dpi`).
    public var ocrDPI = 200
    /// The resolution a scan that read poorly at `ocrDPI` is read again at (`ReadingQuality.isPoor`);
    /// the reading the extractor makes more of is kept, the other becomes its second reading. One
    /// page's best resolution is not another's (`docs/benchmarks.md`, session 17). Nil reads once.
    /// A PDF's scan this would scale up more than four times (72 DPI) is read at its own resolution
    /// instead, when `ownResolutionReading` is on (`PopplerReader.rendersFiner`).
    public var secondOCRDPI: Int? = 300
    /// The resolution a scan that still reads poorly after `secondOCRDPI` is read at; nil (the
    /// default) stops at two. For measuring: at 150 one layout read 8 fields more, but seed 9 read 10
    /// more wrong for 3 more right, and the seeds fell to 1.0 page per CPU-second (`docs/benchmarks.md`,
    /// session 17).
    public var thirdOCRDPI: Int?
    /// Whether an image-only PDF page coarser than `ocrDPI` that still reads poorly after the other
    /// resolutions is read once more at its scan's own resolution, scaled up by the OCR engine
    /// (`Rereading.ownResolution`); the reading the extractor makes most of is kept.
    public var ownResolutionReading = true
    /// Whether the engine may read a page it is unsure of a second time with another threshold
    /// (`TesseractOCR.SecondLook`). Off for the readings at `secondOCRDPI` and `thirdOCRDPI`:
    /// the page has several readings then already, and one more at 300 DPI cost more than it found.
    public var ocrSecondLook = true
    /// The language an earlier reading showed (`DocumentLanguage.guess`): the page's own, for its
    /// readings at other resolutions, or the page before's, for a scanned PDF's next page. The page is
    /// read in it without a strip of it read to guess it (`TesseractOCR.guessFrom`). Nil: guessed.
    public var ocrLanguage: String?

    public init() {}
}

public enum FileFormat: String, Sendable {
    case pdf, png, jpeg, tiff

    /// By magic number, never by name.
    public static func sniff(_ b: [UInt8]) -> FileFormat? {
        if b.count >= 8, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 { return .png }
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return .jpeg }
        if b.count >= 4, (b[0] == 0x49 && b[1] == 0x49 && b[2] == 0x2A && b[3] == 0) || (b[0] == 0x4D && b[1] == 0x4D && b[2] == 0 && b[3] == 0x2A) {
            return .tiff
        }
        // `%PDF-` within the first KB, as readers accept.
        let head = b.prefix(1024)
        if head.count >= 5 {
            for i in 0...(head.count - 5) where head[i] == 0x25 && head[i + 1] == 0x50 && head[i + 2] == 0x44 && head[i + 3] == 0x46 && head[i + 4] == 0x2D {
                return .pdf
            }
        }
        return nil
    }
}

extension AnyDocumentReader {
    /// One whole reading of a document, as one upload's reader makes it: its pages, then their
    /// extraction. No extraction made by an earlier reading is reused (only the one a scan's reader
    /// made within this reading to judge it), so a document read N times is extracted N times.
    public func reading(_ bytes: [UInt8], extractor: Extractor) throws(DocumentReadError) -> (pages: [PageText], extraction: Extraction) {
        Extractor.forgetLastExtraction()
        let read: [PageText] = try StageClock.measure("read") { () throws(DocumentReadError) in try self.pages(bytes) }
        return (read, StageClock.measure("extract") { extractor.extract(read) })
    }
}

/// The reader for any supported file: PDFs through poppler (image-only pages through OCR),
/// PNG, JPEG and TIFF through OCR.
public struct AnyDocumentReader: DocumentReader {
    public var limits: ReadLimits
    public var ocr: any PageOCR

    public init(limits: ReadLimits = ReadLimits(), ocr: (any PageOCR)? = nil) {
        self.limits = limits
        self.ocr = ocr ?? TesseractOCR.shared
    }

    public func pages(_ bytes: [UInt8]) throws(DocumentReadError) -> [PageText] {
        if bytes.isEmpty { throw DocumentReadError(.empty, "the file is empty") }
        if bytes.count > limits.maxBytes { throw DocumentReadError(.tooLarge, "the file has \(bytes.count) bytes; at most \(limits.maxBytes) are read") }
        switch FileFormat.sniff(bytes) {
        case .pdf: return try PopplerReader(limits: limits, ocr: ocr).pages(bytes)
        case .png, .jpeg, .tiff: return try ImageReader(limits: limits, ocr: ocr).pages(bytes)
        case nil: throw DocumentReadError(.unsupportedFormat, "not a PDF, PNG, JPEG or TIFF file")
        }
    }
}
