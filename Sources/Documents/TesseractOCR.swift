import CDocumentLibraries
import DocumentExtraction
import Foundation

/// An 8-bit grey image, row-major without padding: what OCR engines receive.
public struct GrayImage: Sendable {
    public var width: Int
    public var height: Int
    /// Pixels per inch; 0 when unknown.
    public var dpi: Int
    public var pixels: [UInt8]
    /// Whether isolated specks are removed before OCR (`TesseractOCR.Cleanup.despeckle`). Off for
    /// a PDF's scan rendered at its own resolution (`PopplerReader.ocrWords`): the scans PDFs carry
    /// are JPEG-compressed, their specks smeared into blocks, and at 72 DPI the step took the
    /// periods and dots of the text instead (`docs/benchmarks.md`, s30-scans).
    public var despeckle: Bool

    public init(width: Int, height: Int, dpi: Int, pixels: [UInt8], despeckle: Bool = true) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.pixels = pixels
        self.despeckle = despeckle
    }
}

/// Optical character recognition of one page image. Word boxes come back in the image's pixels.
public protocol PageOCR: Sendable {
    func words(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> [Word]
    /// The page's words and, when the engine read the page twice, its other reading
    /// (`PageText.secondReading`), for the extractor to choose from.
    func readings(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> (words: [Word], second: [Word]?)
}

extension PageOCR {
    /// Engines that read a page once.
    public func readings(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> (words: [Word], second: [Word]?) {
        (try words(image, limits: limits), nil)
    }
}

/// Tesseract through its C API (LSTM engine, the Debian `tessdata` models). One engine is loaded
/// per process and used by one page at a time. Low-resolution scans are scaled up to
/// `ReadLimits.ocrDPI`, specks are removed first (`ScanCleanup`; a median after scaling on request,
/// `Cleanup.median`), every page is deskewed and then loses its vertical table rules (`Cleanup.verticalRules`)
/// before recognition; boxes are mapped back to the original image's pixels.
public final class TesseractOCR: PageOCR, @unchecked Sendable {
    /// The clean-up steps run before recognition (`ScanCleanup`).
    public struct Cleanup: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Isolated specks removed at the scan's resolution.
        public static let despeckle = Cleanup(rawValue: 1)
        /// A 3 × 3 median at the OCR resolution, on pages scaled up or rendered to it: JPEG ringing
        /// and blocks, and specks the scaling grew, are flattened; strokes (3 px and wider there) stay.
        /// Not in `standard`: it gained on the dev seeds and lost on the held-out ones
        /// (`docs/benchmarks.md`, s17-scans); kept for measuring (`CUSTOMS_HUB_OCR_CLEANUP=despeckle,median,vrules`).
        public static let median = Cleanup(rawValue: 2)
        /// Vertical table and box rules erased from the straightened page (`ScanCleanup.eraseRules`):
        /// a column rule beside a cell's text was read as `|`, `[`, `»` or `wee` and garbled the words.
        public static let verticalRules = Cleanup(rawValue: 4)
        /// Horizontal rules erased as well. Not in `standard`: alone it gained on the layouts as
        /// much as the vertical ones but lost 39 fields of the long committed invoice; together with
        /// them it read fewer fields than they did alone (`docs/benchmarks.md`, s18-grid). For measuring.
        public static let horizontalRules = Cleanup(rawValue: 8)
        /// White text on dark bands (a table header printed white on black) turned dark on paper
        /// (`ScanCleanup.invertDarkBands`).
        public static let darkBands = Cleanup(rawValue: 16)
        public static let all: Cleanup = [.despeckle, .median, .verticalRules, .horizontalRules, .darkBands]
        /// What scans get unless `CUSTOMS_HUB_OCR_CLEANUP` says otherwise.
        public static let standard: Cleanup = [.despeckle, .verticalRules, .darkBands]

        /// `all`, `none`, or a comma-separated list of steps (`despeckle`, `median`, `vrules`, `hrules`,
        /// `rules` for both, `bands`), for measuring each step.
        public init?(_ text: String) {
            self.init(namedList: text, names: [
                "all": .all, "none": [], "despeckle": .despeckle, "median": .median, "vrules": .verticalRules,
                "hrules": .horizontalRules, "rules": [.verticalRules, .horizontalRules], "bands": .darkBands,
            ])
        }
    }

    /// English first: the labels of the other three languages are matched without their accents.
    /// A page whose words are German, French or Dutch (`DocumentLanguage`) is read again with that
    /// language's model, so that its descriptions and names keep their accents (`Holzlöffel`,
    /// `Lefèvre`); English pages are read once, unless poorly read (`isPoor`): those are read again
    /// with Otsu's threshold. Both readings go to the extractor (`PageText.secondReading`). Ink that
    /// no word covers is read again line by line (`MissedInk`). The `CUSTOMS_HUB_OCR_…` variables
    /// change each step for measuring (`OCRSettings`); while one is unknown, every page is refused
    /// with its problem (`extract` and `serve` stop on it before that, with exit 3).
    public static let shared: TesseractOCR = {
        switch OCRSettings.current {
        case .success(let settings): return TesseractOCR(settings: settings)
        case .failure(let problem):
            let ocr = TesseractOCR(settings: OCRSettings())
            ocr.settingsProblem = problem.description
            return ocr
        }
    }()

    /// An engine with `settings`' steps.
    public convenience init(settings: OCRSettings) {
        self.init(languages: settings.languages, cleanup: settings.cleanup, rereadIn: settings.rereadIn, secondLook: settings.secondLook,
                  missedInk: settings.missedInk, repairs: settings.repairs,
                  variables: settings.variables.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
                  guessFrom: settings.guessFrom, guessWords: settings.guessWords)
    }

    /// The models a page is read again with, by the language `DocumentLanguage` finds in its first
    /// reading (Debian's `tesseract-ocr-deu`, `-fra`, `-nld`); English second, for the English words
    /// such documents carry. A model that is not installed leaves its pages as first read.
    public static let rereadLanguages = ["de": "deu+eng", "fr": "fra+eng", "nl": "nld+eng"]

    /// The reread models `CUSTOMS_HUB_OCR_REREAD` names: `none` (read once), `alone` (each language's
    /// model without English's, for measuring), anything else `rereadLanguages`.
    static func rereadModels(_ text: String) -> [String: String] {
        switch text {
        case "none": [:]
        case "alone": ["de": "deu", "fr": "fra", "nl": "nld"]
        default: rereadLanguages
        }
    }

    public let languages: String
    public let cleanup: Cleanup
    public let rereadIn: [String: String]
    /// How a poorly read English page is read again (`isPoor`); nil reads it once.
    public let secondLook: SecondLook?
    /// Whether ink the page's layout passed over is read again line by line (`MissedInk`), and that
    /// under words the engine was unsure of; nil reads each page once.
    public let missedInk: MissedInkReading?
    /// The repairs of a page's words after its reading (`WordRepairs`).
    public let repairs: Repairs
    /// Tesseract settings set on every engine after the reader's own (`variables(_:)`).
    public let variables: [(name: String, value: String)]
    /// The share of a page, from its top, read in English first to guess its language
    /// (`readOnceInLanguage`); nil reads every page in English first.
    public let guessFrom: Double?
    /// How many words of one language that strip must show for the guess (`DocumentLanguage.guess`).
    public let guessWords: Int
    private let lock = NSLock()
    private var apis: [String: OpaquePointer] = [:]
    /// The prepared page of the reading in progress as grey pixels (`grayPage`), set by `readings`
    /// and cleared when it returns.
    private var prepared: (pix: OpaquePointer, image: GrayImage)?
    private var failed: [String: String] = [:]
    /// Why this process's OCR settings cannot be used (`OCRSettings.Problem`); nil when they can.
    private var settingsProblem: String?

    public init(languages: String, cleanup: Cleanup = .standard, rereadIn: [String: String] = [:], secondLook: SecondLook? = nil,
                missedInk: MissedInkReading? = .standard, repairs: Repairs = .standard, variables: [(name: String, value: String)] = [],
                guessFrom: Double? = nil, guessWords: Int = 2) {
        self.guessFrom = guessFrom
        self.guessWords = guessWords
        self.repairs = repairs
        self.variables = variables
        self.languages = languages
        self.cleanup = cleanup
        self.rereadIn = rereadIn
        self.secondLook = secondLook
        self.missedInk = missedInk
    }

    deinit {
        if case .success(let t) = DocumentLibraries.sharedTesseract {
            for api in apis.values { t.TessBaseAPIEnd(api); t.TessBaseAPIDelete(api) }
        }
    }

    /// The engine for `languages`, started on first use and kept.
    private func engine(_ t: HubTesseract, _ languages: String) throws(DocumentReadError) -> OpaquePointer {
        if let api = apis[languages] { return api }
        if let failed = failed[languages] { throw DocumentReadError(.ocrUnavailable, failed) }
        _ = t.setMsgSeverity(Int32(HUB_L_SEVERITY_NONE))
        guard let a = t.TessBaseAPICreate() else {
            failed[languages] = "Tesseract could not be created"
            throw DocumentReadError(.ocrUnavailable, "Tesseract could not be created")
        }
        _ = t.TessBaseAPISetVariable(a, "debug_file", "/dev/null")
        if t.TessBaseAPIInit3(a, nil, languages) != 0 {
            t.TessBaseAPIDelete(a)
            let why = "Tesseract has no trained data for '\(languages)' (Debian: tesseract-ocr-eng)"
            failed[languages] = why
            throw DocumentReadError(.ocrUnavailable, why)
        }
        _ = t.TessBaseAPISetVariable(a, "debug_file", "/dev/null")
        // Sauvola's local threshold instead of one Otsu threshold per page: JPEG-compressed
        // low-resolution scans keep more of their strokes (`docs/benchmarks.md`, s16-scans).
        _ = t.TessBaseAPISetVariable(a, "thresholding_method", "2")
        // No line is read again inverted when the engine is unsure of it: white-on-dark bands are
        // turned dark before recognition (`Cleanup.darkBands`), and on the scans' unsure lines the
        // inverted reading found nothing: without it five fields more were read and none lost over
        // eight sets, Tesseract's time about 5 % less (`docs/benchmarks.md`, s28-scans).
        _ = t.TessBaseAPISetVariable(a, "tessedit_do_invert", "0")
        t.TessBaseAPISetPageSegMode(a, UInt32(HUB_PSM_AUTO))
        for v in variables { _ = t.TessBaseAPISetVariable(a, v.name, v.value) }
        apis[languages] = a
        return a
    }

    public func words(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> [Word] {
        try readings(image, limits: limits).words
    }

    /// `pix`'s grey pixels: the prepared page's are kept from its clean-up (`prepared`), where the
    /// strip, the missed ink, the numbers and the doubted cells each converted the whole page again.
    private func grayPage(_ t: HubTesseract, _ pix: OpaquePointer, dpi: Float) -> GrayImage {
        if let prepared, prepared.pix == pix { return prepared.image }
        return Leptonica.image(t, pix, dpi: Int(dpi))
    }

    /// A page read again in its language comes back as that reading, with the English one as the
    /// second: the extractor takes from the English one the amounts and fields its cross-checks
    /// favour (`ReadingChoice`).
    public func readings(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> (words: [Word], second: [Word]?) {
        lock.lock()
        defer { lock.unlock() }
        if let settingsProblem { throw DocumentReadError(.ocrUnavailable, settingsProblem) }
        let t = try DocumentLibraries.sharedTesseract.get()
        let api = try engine(t, languages)
        StageClock.enter("prepare")
        var preparing = true
        defer { if preparing { StageClock.leave() } }
        var image = image
        if cleanup.contains(.despeckle), image.despeckle { StageClock.measure("despeckle") { ScanCleanup.despeckle(&image) } }
        guard let pix = Leptonica.pix(t, image) else { throw DocumentReadError(.malformed, "the image could not be prepared for OCR") }
        defer { Leptonica.destroy(t, pix) }
        // Scale low resolutions up so that text is tall enough for the LSTM models.
        let dpi = image.dpi > 0 ? image.dpi : Leptonica.guessDPI(width: image.width, height: image.height)
        var scale: Float = 1
        var work = pix
        if dpi < limits.ocrDPI - 20 {
            scale = min(4, Float(limits.ocrDPI) / Float(dpi))
            if Double(image.width * image.height) * Double(scale * scale) > Double(limits.maxPixels) * 2 { scale = 1 }
            if scale > 1, let s = StageClock.measure("scale", { t.pixScaleGrayLI(pix, scale, scale) }) { work = s }
        }
        defer { if work != pix { Leptonica.destroy(t, work) } }
        // Pages at or below the OCR resolution (scaled up here, or rendered from a PDF's image) get
        // the median; finer scans keep their pixels, where a 3 × 3 window is as thin as a stroke.
        var smooth = work
        if cleanup.contains(.median), Float(dpi) * scale <= Float(limits.ocrDPI + 20), let m = t.pixMedianFilter(work, 3, 3) { smooth = m }
        defer { if smooth != work { Leptonica.destroy(t, smooth) } }
        var straight = smooth
        if let d = StageClock.measure("deskew", { t.pixDeskew(smooth, 0) }) { straight = d }
        defer { if straight != smooth { Leptonica.destroy(t, straight) } }
        var directions: ScanCleanup.RuleDirections = []
        if cleanup.contains(.verticalRules) { directions.insert(.vertical) }
        if cleanup.contains(.horizontalRules) { directions.insert(.horizontal) }
        if !directions.isEmpty || cleanup.contains(.darkBands) {
            StageClock.enter("rules")
            defer { StageClock.leave() }
            var page = Leptonica.image(t, straight, dpi: Int(Float(dpi) * scale))
            // Bands first: a white-on-black header's cell borders are white lines, not rules to erase.
            let inverted = cleanup.contains(.darkBands) && ScanCleanup.invertDarkBands(&page, dpi: page.dpi)
            let erased = !directions.isEmpty && ScanCleanup.eraseRules(&page, dpi: page.dpi, directions: directions)
            if inverted || erased, let p = Leptonica.pix(t, page) {
                if straight != smooth { Leptonica.destroy(t, straight) }
                straight = p
            }
            prepared = (straight, page)
        }
        defer { prepared = nil }
        preparing = false
        StageClock.leave()
        let budget = OCRBudget(milliseconds: limits.ocrCPUMilliseconds)
        if let once = try readOnceInLanguage(t, straight, dpi: Float(dpi) * scale, scale: Double(scale), budget: budget, limits: limits) {
            return once
        }
        let first = try StageClock.measure("page") { () throws(DocumentReadError) in
            try recognize(t, api, straight, dpi: Float(dpi) * scale, scale: Double(scale), budget: budget, limits: limits)
        }
        // The second reading shares the page's budget; without the model, or the time, the first stands.
        if let language = DocumentLanguage.guess(first.map(\.text)), let other = rereadIn[language], other != languages,
           let second = try? engine(t, other) {
            do {
                StageClock.enter("language")
                defer { StageClock.leave() }
                return (try recognize(t, second, straight, dpi: Float(dpi) * scale, scale: Double(scale), budget: budget, limits: limits), first)
            } catch {
                return (first, nil)
            }
        }
        let english = repairs.contains(.names)
            ? StageClock.measure("names") { accentedNames(t, straight, words: first, dpi: Float(dpi) * scale, scale: Double(scale), budget: budget, limits: limits) }
            : first
        guard let look = secondLook, limits.ocrSecondLook, Self.isPoor(first) else { return (english, nil) }
        do {
            StageClock.enter("otsu")
            defer { StageClock.leave() }
            return (english, try secondLook(look, t, api, straight, dpi: Float(dpi) * scale, scale: Double(scale), budget: budget, limits: limits))
        } catch {
            return (english, nil)
        }
    }

    /// A page read in English with its company names' lines (`WordRepairs.companyNameLines`: a name
    /// ending in `SARL`, `GmbH` …) read again, each as one line, with its legal form's language model,
    /// and their accents taken from that reading when it reads the same letters (`WordRepairs.accents`).
    /// The English model reads `Lefèvre` as `Lefevre` or `Lefévre` and `Schwarzwälder` without its
    /// umlaut; the name is the buyer or the seller, an exact field.
    private func accentedNames(_ t: HubTesseract, _ pix: OpaquePointer, words: [Word], dpi: Float, scale: Double, budget: OCRBudget,
                               limits: ReadLimits) -> [Word] {
        let lines = WordRepairs.companyNameLines(words)
        guard !lines.isEmpty else { return words }
        let page = grayPage(t, pix, dpi: dpi)
        let k = max(scale, 1e-9)
        var out = words
        for line in lines {
            guard let model = rereadIn[line.language], model != languages, let api = try? engine(t, model) else { continue }
            let boxes = line.words.map { words[$0].box }
            let height = boxes.map { $0.y1 - $0.y0 }.max() ?? 0
            let pad = 0.3 * height
            let region = MissedInk.Region(x0: max(0, Int(((boxes.map(\.x0).min() ?? 0) - pad) * k)),
                                          y0: max(0, Int(((boxes.map(\.y0).min() ?? 0) - 0.1 * height) * k)),
                                          x1: min(page.width, Int((((boxes.map(\.x1).max() ?? 0) + pad) * k).rounded(.up))),
                                          y1: min(page.height, Int((((boxes.map(\.y1).max() ?? 0) + 0.1 * height) * k).rounded(.up))))
            guard region.x1 > region.x0, region.y1 > region.y0 else { continue }
            t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_SINGLE_LINE))
            let again = Self.readLine(t, api, page, region, dpi: dpi, budget: budget, limits: limits)
            t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_AUTO))
            guard let again else { break }
            guard let texts = WordRepairs.accents(line.words.map { words[$0].text }, again.map(\.text)) else { continue }
            for (i, text) in zip(line.words, texts) { out[i].text = text }
        }
        return out
    }

    /// A German, French or Dutch page read once, with its language's model, when an English reading
    /// of the top `guessFrom` of the page (its title and labels) says which language it is: the
    /// English pass over the whole page cost a quarter of all scan CPU and served only to guess the
    /// language and as the second reading (`docs/benchmarks.md`, s29-scans and s32-scans). The
    /// whole reading must say the same language, else the page is read as before (English first);
    /// a poorly read page (`isPoor`) is read in English too, as before; any other page has only the
    /// table cells the extractor doubts read in English (`doubtedCellsInEnglish`), as its second
    /// reading. Nil: read the page as before.
    private func readOnceInLanguage(_ t: HubTesseract, _ pix: OpaquePointer, dpi: Float, scale: Double, budget: OCRBudget,
                                    limits: ReadLimits) throws(DocumentReadError) -> (words: [Word], second: [Word]?)? {
        guard let fraction = guessFrom, !rereadIn.isEmpty else { return nil }
        // A page read before at another resolution, or a PDF's page after a scanned one, is read in
        // the language that reading showed (`ReadLimits.ocrLanguage`).
        let guessed = try limits.ocrLanguage != nil ? limits.ocrLanguage : StageClock.measure("guess") { () throws(DocumentReadError) -> String? in
            let page = grayPage(t, pix, dpi: dpi)
            let rows = Int(Double(page.height) * fraction)
            guard rows > 0, rows < page.height, let top = Leptonica.pix(t, GrayImage(width: page.width, height: rows, dpi: page.dpi,
                                                                                      pixels: Array(page.pixels[0 ..< rows * page.width])))
            else { return nil }
            defer { Leptonica.destroy(t, top) }
            let api = try engine(t, languages)
            if budget.isSpent { throw budget.spent }
            t.TessBaseAPISetImage2(api, top)
            t.TessBaseAPISetSourceResolution(api, Int32(dpi))
            guard let monitor = t.TessMonitorCreate() else { return nil }
            defer { t.TessMonitorDelete(monitor) }
            budget.watch(t, monitor)
            guard t.TessBaseAPIRecognize(api, monitor) == 0 else { t.TessBaseAPIClear(api); return nil }
            let words = Self.recognizedWords(t, api, limits: limits)
            t.TessBaseAPIClear(api)
            return DocumentLanguage.guess(words.map(\.text), atLeast: guessWords)
        }
        guard let language = guessed, let model = rereadIn[language], model != languages, let other = try? engine(t, model) else { return nil }
        let words = try StageClock.measure("page") { () throws(DocumentReadError) in
            try recognize(t, other, pix, dpi: dpi, scale: scale, budget: budget, limits: limits)
        }
        guard DocumentLanguage.guess(words.map(\.text)) == language else { return nil }
        // A poorly read page keeps the English reading as its second, as before: its numbers are
        // where the language's reading lost fields (`invoice-fr-grid-v193`'s quantity and total).
        guard Self.isPoor(words) else {
            return (words, try StageClock.measure("cells") { () throws(DocumentReadError) in
                try doubtedCellsInEnglish(t, pix, words: words, dpi: dpi, scale: scale, budget: budget, limits: limits)
            })
        }
        do {
            StageClock.enter("english")
            defer { StageClock.leave() }
            return (words, try recognize(t, try engine(t, languages), pix, dpi: dpi, scale: scale, budget: budget, limits: limits))
        } catch {
            return (words, nil)
        }
    }

    /// The page read once in its language, with the table cells the extractor doubts in it
    /// (`Extractor.doubtedCells`) read again by the English engine, a line's cells as one single line,
    /// and the label's line of a required field it did not find: the page as its second reading, for
    /// `ReadingChoice`, where the English reading of the whole page used to be (its numbers and an
    /// invoice number were the fields the language's reading lost). Nil when nothing is doubted, or
    /// nothing could be read within the page's budget.
    private func doubtedCellsInEnglish(_ t: HubTesseract, _ pix: OpaquePointer, words: [Word], dpi: Float, scale: Double, budget: OCRBudget,
                                       limits: ReadLimits) throws(DocumentReadError) -> [Word]? {
        let page = grayPage(t, pix, dpi: dpi)
        let k = max(scale, 1e-9)
        let text = PageText(number: 1, width: Double(page.width) / k, height: Double(page.height) / k, source: .ocr, words: words)
        let doubted = Extractor().doubtedCells([text])
        guard !doubted.isEmpty, !budget.isSpent else { return nil }
        let api = try engine(t, languages)
        t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_SINGLE_LINE))
        defer { t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_AUTO)) }
        var read: [(box: DocumentExtraction.Box, words: [Word])] = []
        for b in Extractor.doubtedRows(doubted) {
            // A margin of a fifth of the row's height beside the cells; none above and below, where a
            // grid's rules run (those that reach into the row are erased from the cut).
            let pad = 0.2 * b.height
            let region = MissedInk.Region(x0: max(0, Int((b.x0 - pad) * k)), y0: max(0, Int(b.y0 * k)),
                                          x1: min(page.width, Int(((b.x1 + pad) * k).rounded(.up))), y1: min(page.height, Int((b.y1 * k).rounded(.up))))
            guard region.x1 > region.x0, region.y1 > region.y0 else { continue }
            guard let again = Self.readLine(t, api, page, region, dpi: dpi, budget: budget, limits: limits, erasingRules: true) else { break }
            read.append((b, again.map { Word(text: $0.text, box: DocumentExtraction.Box(x0: $0.box.x0 / k, y0: $0.box.y0 / k, x1: $0.box.x1 / k, y1: $0.box.y1 / k),
                                                confidence: $0.confidence) }))
        }
        guard read.contains(where: { !$0.words.isEmpty }) else { return nil }
        return Extractor.withCellsReadAgain(words, read)
    }

    /// The repairs made to a page's words after its reading (`WordRepairs`).
    public struct Repairs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// A word's box that runs over the next words of its line ends where they start (`WordRepairs.trimmedOverruns`).
        public static let overruns = Repairs(rawValue: 1)
        /// Number words read unsure are read again alone, and a surer reading of the same shape
        /// replaces them (`WordRepairs.numberReread`).
        public static let numbers = Repairs(rawValue: 2)
        /// A unit misread after its quantity is read as printed (`750 mi` → `750 ml`, `WordRepairs.repairedUnits`).
        public static let units = Repairs(rawValue: 4)
        /// An `l` read as `!` in a lower-case word is read as `l` (`woo!` → `wool`, `WordRepairs.lettersForExclamationMarks`).
        public static let marks = Repairs(rawValue: 8)
        /// A company name's line on a page read in English is read again in its legal form's language,
        /// for its accents (`accentedNames`).
        public static let names = Repairs(rawValue: 16)
        /// A box run over by one letter or digit at its end ends where it starts (`size` over `size M`,
        /// `WordRepairs.trimmedOverruns`).
        public static let lastCharacters = Repairs(rawValue: 32)
        /// A word read unsure that OCR ran together from two is split (`PackagedNet`, `WordRepairs.splitRunTogether`).
        public static let runTogether = Repairs(rawValue: 64)
        /// The numero sign read as a letter and a quotation mark is `n°` (`Facture a”`, `WordRepairs.numeroSigns`).
        public static let numeroSigns = Repairs(rawValue: 128)
        public static let standard: Repairs = [.overruns, .numbers, .units, .marks, .names, .lastCharacters, .runTogether, .numeroSigns]

        /// `none`, `standard`, or a comma-separated list (`overruns`, `numbers`, `units`, `marks`, `names`, `characters`,
        /// `together`, `numero`), for measuring each.
        public init?(_ text: String) {
            self.init(namedList: text, names: ["standard": .standard, "none": [], "overruns": .overruns, "numbers": .numbers, "units": .units, "marks": .marks, "names": .names,
                                               "characters": .lastCharacters, "together": .runTogether, "numero": .numeroSigns])
        }
    }

    /// Which ink is read again line by line after a page's reading (`MissedInk`).
    public struct MissedInkReading: Sendable, Equatable {
        /// Words the engine is less sure of than this count as missed; nil: only ink under no word.
        public var unsureBelow: Double?
        /// And only when they are at least this many times the page's median word height tall:
        /// two lines the layout read as one, whose words come back unsure and two lines tall.
        public var unsureTallerThan: Double?
        public init(unsureBelow: Double?, unsureTallerThan: Double?) {
            self.unsureBelow = unsureBelow
            self.unsureTallerThan = unsureTallerThan
        }
        /// Ink under no word only (the standard before s26-scans), for measuring.
        public static let uncovered = MissedInkReading(unsureBelow: nil, unsureTallerThan: nil)
        /// Unsure words two lines tall too (`packing-en-warehouse`'s number and date, read by the
        /// layout as one line). Standard since the table reader reads the Indian packing list's header
        /// right (`Carton Size`, `Gross`), which made it lose 13 fields before: on nine sets it gains
        /// on five and loses a field on none (`docs/benchmarks.md`, s25-scans and s26-scans).
        public static let tall = MissedInkReading(unsureBelow: 0.5, unsureTallerThan: 1.8)
        public static let standard = tall
        /// `standard` (= `tall`), `uncovered`, `unsure` (every word under 0.5 too: it gained on the
        /// layouts and lost on held-out seeds, where a surer line reading was wrong, `7,020.50` for
        /// `7,010.50`), or nil for anything else (`none`: pages read once), for measuring.
        public init?(_ text: String) {
            switch text {
            case "standard", "tall": self = .tall
            case "uncovered": self = .uncovered
            case "unsure": self.init(unsureBelow: 0.5, unsureTallerThan: nil)
            default: return nil
            }
        }
    }

    /// How a poorly read page is read a second time (`isPoor`): its pixels or its threshold changed,
    /// so that the reading slips elsewhere and the extractor can choose line by line.
    public enum SecondLook: String, Sendable {
        /// Otsu's one threshold for the page, where the first reading used Sauvola's local one.
        case otsu
        /// A 3 × 3 median over the prepared page (JPEG ringing and specks flattened).
        case median
    }

    /// A page whose words the engine is, on average, less than this sure of: on the generated
    /// scans only 72 DPI JPEG-compressed pages fall below it (0.62–0.70, against 0.80–0.94).
    static let poorConfidence = 0.78

    static func isPoor(_ words: [Word]) -> Bool {
        !words.isEmpty && words.map(\.confidence).reduce(0, +) / Double(words.count) < poorConfidence
    }

    private func secondLook(_ look: SecondLook, _ t: HubTesseract, _ api: OpaquePointer, _ pix: OpaquePointer, dpi: Float, scale: Double,
                            budget: OCRBudget, limits: ReadLimits) throws(DocumentReadError) -> [Word] {
        switch look {
        case .otsu:
            _ = t.TessBaseAPISetVariable(api, "thresholding_method", "0")
            defer { _ = t.TessBaseAPISetVariable(api, "thresholding_method", "2") }
            return try recognize(t, api, pix, dpi: dpi, scale: scale, budget: budget, limits: limits)
        case .median:
            guard let m = t.pixMedianFilter(pix, 3, 3) else { return [] }
            defer { Leptonica.destroy(t, m) }
            return try recognize(t, api, m, dpi: dpi, scale: scale, budget: budget, limits: limits)
        }
    }

    /// One recognition of the prepared page by `api`, boxes divided by `scale`, within the page's
    /// `budget` (shared by every reading of the page).
    private func recognize(_ t: HubTesseract, _ api: OpaquePointer, _ pix: OpaquePointer, dpi: Float, scale: Double, budget: OCRBudget,
                           limits: ReadLimits) throws(DocumentReadError) -> [Word] {
        if budget.isSpent { throw budget.spent }
        t.TessBaseAPISetImage2(api, pix)
        t.TessBaseAPISetSourceResolution(api, Int32(dpi))
        guard let monitor = t.TessMonitorCreate() else { throw DocumentReadError(.ocrUnavailable, "Tesseract monitor") }
        defer { t.TessMonitorDelete(monitor) }
        budget.watch(t, monitor)
        StageClock.enter("tesseract")
        if t.TessBaseAPIRecognize(api, monitor) != 0 {
            StageClock.leave()
            t.TessBaseAPIClear(api)
            // Tesseract answers a recognition it was asked to stop as one that failed.
            throw budget.isSpent ? budget.spent : DocumentReadError(.malformed, "OCR failed on the page")
        }
        StageClock.leave()
        if budget.isSpent {
            t.TessBaseAPIClear(api)
            throw budget.spent
        }
        var found = Self.recognizedWords(t, api, limits: limits)
        t.TessBaseAPIClear(api)
        if repairs.contains(.runTogether) { found = WordRepairs.splitRunTogether(found) }
        if repairs.contains(.overruns) { found = WordRepairs.trimmedOverruns(found, lastCharacters: repairs.contains(.lastCharacters)) }
        if let missed = missedInk, found.count <= limits.maxWordsPerPage {
            StageClock.enter("missedInk")
            defer { StageClock.leave() }
            found = try rereadMissedInk(t, api, pix, words: found, reading: missed, dpi: dpi, budget: budget, limits: limits)
        }
        if repairs.contains(.numbers), found.count <= limits.maxWordsPerPage {
            StageClock.enter("numbers")
            defer { StageClock.leave() }
            found = rereadNumbers(t, api, pix, words: found, dpi: dpi, budget: budget, limits: limits)
        }
        if repairs.contains(.marks) { found = WordRepairs.lettersForExclamationMarks(found) }
        if repairs.contains(.numeroSigns) { found = WordRepairs.numeroSigns(found) }
        if repairs.contains(.units) { found = WordRepairs.repairedUnits(found) }
        let k = scale
        return found.map { Word(text: $0.text, box: DocumentExtraction.Box(x0: $0.box.x0 / k, y0: $0.box.y0 / k, x1: $0.box.x1 / k, y1: $0.box.y1 / k),
                                confidence: $0.confidence) }
    }

    /// The words of `api`'s last recognition, boxes in the pixels it read.
    private static func recognizedWords(_ t: HubTesseract, _ api: OpaquePointer, limits: ReadLimits, offsetX: Double = 0, offsetY: Double = 0) -> [Word] {
        var out: [Word] = []
        guard let it = t.TessBaseAPIGetIterator(api) else { return out }
        defer { t.TessResultIteratorDelete(it) }
        let pageIt = t.TessResultIteratorGetPageIterator(it)
        repeat {
            guard let cText = t.TessResultIteratorGetUTF8Text(it, UInt32(HUB_RIL_WORD)) else { continue }
            let text = String(cString: cText).trimmingCharacters(in: .whitespacesAndNewlines)
            t.TessDeleteText(cText)
            var l: Int32 = 0, top: Int32 = 0, r: Int32 = 0, b: Int32 = 0
            guard !text.isEmpty, t.TessPageIteratorBoundingBox(pageIt, UInt32(HUB_RIL_WORD), &l, &top, &r, &b) != 0 else { continue }
            let c = Double(t.TessResultIteratorConfidence(it, UInt32(HUB_RIL_WORD))) / 100
            out.append(Word(text: text, box: DocumentExtraction.Box(x0: Double(l) + offsetX, y0: Double(top) + offsetY, x1: Double(r) + offsetX, y1: Double(b) + offsetY),
                            confidence: max(0, min(1, c))))
            if out.count > limits.maxWordsPerPage { break }
        } while t.TessResultIteratorNext(it, UInt32(HUB_RIL_WORD)) != 0
        return out
    }

    /// `words` with the number words the engine was unsure of read again alone, each cut out of the
    /// prepared page on a white margin as a single line, within the page's budget
    /// (`WordRepairs.numberReread` decides which new readings stand). A digit misread in a line of
    /// the page (`3013.37` for `7013.37` on a 100 DPI scan) reads right alone, and surer.
    private func rereadNumbers(_ t: HubTesseract, _ api: OpaquePointer, _ pix: OpaquePointer, words: [Word], dpi: Float,
                               budget: OCRBudget, limits: ReadLimits) -> [Word] {
        let unsure = words.indices.filter { WordRepairs.isNumber(words[$0].text) && words[$0].confidence < WordRepairs.numberRereadBelow }
            .sorted { words[$0].confidence < words[$1].confidence }.prefix(WordRepairs.maxNumberRereads)
        guard !unsure.isEmpty else { return words }
        let page = grayPage(t, pix, dpi: dpi)
        t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_SINGLE_LINE))
        defer { t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_AUTO)) }
        var out = words
        for i in unsure {
            let b = words[i].box
            let region = MissedInk.Region(x0: max(0, Int(b.x0) - 1), y0: max(0, Int(b.y0) - 1),
                                          x1: min(page.width, Int(b.x1.rounded(.up)) + 1), y1: min(page.height, Int(b.y1.rounded(.up)) + 1))
            guard region.x1 > region.x0, region.y1 > region.y0 else { continue }
            guard let again = Self.readLine(t, api, page, region, dpi: dpi, budget: budget, limits: limits) else { break }
            if let repaired = WordRepairs.numberReread(words[i], again: again) { out[i] = repaired }
        }
        return out
    }

    /// `region` of `page` cut out on a white margin and read by `api` (set to read one line), boxes in
    /// the page's pixels: nil once the page's budget has passed (read no more), no words when the
    /// region could not be read. `erasingRules`: a grid's rules that reach into the cut are erased
    /// first (`ScanCleanup.eraseRules`), as a table row's cells are cut between them.
    private static func readLine(_ t: HubTesseract, _ api: OpaquePointer, _ page: GrayImage, _ region: MissedInk.Region, dpi: Float,
                                 budget: OCRBudget, limits: ReadLimits, erasingRules: Bool = false) -> [Word]? {
        guard !budget.isSpent else { return nil }
        var (image, pad) = MissedInk.cut(page, region)
        if erasingRules { ScanCleanup.eraseRules(&image, dpi: Int(dpi)) }
        guard let cut = Leptonica.pix(t, image) else { return [] }
        defer { Leptonica.destroy(t, cut) }
        t.TessBaseAPISetImage2(api, cut)
        t.TessBaseAPISetSourceResolution(api, Int32(dpi))
        guard let monitor = t.TessMonitorCreate() else { return nil }
        defer { t.TessMonitorDelete(monitor) }
        budget.watch(t, monitor)
        guard t.TessBaseAPIRecognize(api, monitor) == 0 else { t.TessBaseAPIClear(api); return [] }
        let read = recognizedWords(t, api, limits: limits, offsetX: Double(region.x0 - pad), offsetY: Double(region.y0 - pad))
        t.TessBaseAPIClear(api)
        return read
    }

    /// A word read again from missed ink is kept when the engine is at least this sure of it: noise
    /// and drawings read as one line come back as low-confidence garble.
    static let missedWordConfidence = 0.6

    /// `words` with the ink the page's layout passed over read again (`MissedInk`), each region as a
    /// single line within the page's budget; boxes in `pix`'s pixels. The ink under words `reading`
    /// calls unsure counts as missed too: a region's new words replace
    /// the unsure words centred in it when the engine is surer of them, on average, than of those
    /// (two lines that the layout read as one come back as garble it is unsure of). New words
    /// without a letter or digit are dropped.
    private func rereadMissedInk(_ t: HubTesseract, _ api: OpaquePointer, _ pix: OpaquePointer, words: [Word], reading: MissedInkReading, dpi: Float,
                                 budget: OCRBudget, limits: ReadLimits) throws(DocumentReadError) -> [Word] {
        let page = grayPage(t, pix, dpi: dpi)
        let heights = words.map { $0.box.y1 - $0.box.y0 }.sorted()
        let wordHeight = heights.isEmpty ? 0 : heights[heights.count / 2]
        let isUnsure = { (w: Word) in
            guard let below = reading.unsureBelow, w.confidence < below else { return false }
            return reading.unsureTallerThan.map { w.box.y1 - w.box.y0 >= $0 * wordHeight } ?? true
        }
        let regions = StageClock.measure("find") {
            MissedInk.regions(page, covered: words.filter { !isUnsure($0) }.map(\.box), unsure: words.filter(isUnsure).map(\.box))
        }
        guard !regions.isEmpty else { return words }
        t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_SINGLE_LINE))
        defer { t.TessBaseAPISetPageSegMode(api, UInt32(HUB_PSM_AUTO)) }
        var replaced = Set<Int>()
        var added: [Word] = []
        for region in regions {
            guard let line = Self.readLine(t, api, page, region, dpi: dpi, budget: budget, limits: limits) else { break }
            let pad = MissedInk.padding(region)
            let read = line.filter { $0.text.contains(where: { $0.isLetter || $0.isNumber }) }
            let old = words.indices.filter { i in
                let b = words[i].box, cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2
                return !replaced.contains(i) && isUnsure(words[i]) && cx >= Double(region.x0 - pad) && cx <= Double(region.x1 + pad)
                    && cy >= Double(region.y0 - pad) && cy <= Double(region.y1 + pad)
            }
            if old.isEmpty {
                added += read.filter { $0.confidence >= Self.missedWordConfidence }
                continue
            }
            if region.loneFigure { continue }
            func mean(_ ws: [Word]) -> Double { ws.map(\.confidence).reduce(0, +) / Double(max(1, ws.count)) }
            let surer = mean(read)
            if !read.isEmpty, surer >= Self.missedWordConfidence, surer > mean(old.map { words[$0] }) {
                replaced.formUnion(old)
                added += read
            }
        }
        return words.indices.filter { !replaced.contains($0) }.map { words[$0] } + added
    }
}

/// Leptonica helpers: decoding with header checks first, and conversions to and from `GrayImage`.
enum Leptonica {
    static func destroy(_ t: HubTesseract, _ p: OpaquePointer) {
        var q: OpaquePointer? = p
        t.pixDestroy(&q)
    }

    static func guessDPI(width: Int, height: Int) -> Int {
        // An A4 or Letter page: the shorter side is about 8.3 inches.
        max(50, Int(Double(min(width, height)) / 8.3))
    }

    /// Probes the header, refuses what is too large, then decodes to 8-bit grey.
    static func decode(_ bytes: [UInt8], limits: ReadLimits) throws(DocumentReadError) -> GrayImage {
        // Decoders fill a truncated image with grey and carry on; the end markers say it is whole.
        let tail = Array(bytes.suffix(64))
        switch FileFormat.sniff(bytes) {
        case .png where PDFGuard.find(tail, Array("IEND".utf8), from: 0) == nil:
            throw DocumentReadError(.malformed, "the PNG is truncated (no IEND chunk)")
        case .jpeg where !zip(tail, tail.dropFirst()).contains(where: { $0 == 0xFF && $1 == 0xD9 }):
            throw DocumentReadError(.malformed, "the JPEG is truncated (no end-of-image marker)")
        default: break
        }
        let t = try DocumentLibraries.sharedTesseract.get()
        _ = t.setMsgSeverity(Int32(HUB_L_SEVERITY_NONE))
        var format: Int32 = 0, w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { t.pixReadHeaderMem($0.baseAddress, $0.count, &format, &w, &h, &bps, &spp, &cmap) }
        guard ok == 0, w > 0, h > 0 else { throw DocumentReadError(.malformed, "the image header cannot be read") }
        if Int(w) > limits.maxSide || Int(h) > limits.maxSide || Int(w) * Int(h) > limits.maxPixels {
            throw DocumentReadError(.imageTooLarge, "the image claims \(w) × \(h) pixels; at most \(limits.maxPixels) pixels and \(limits.maxSide) on a side are read")
        }
        guard let pix = bytes.withUnsafeBufferPointer({ t.pixReadMem($0.baseAddress, $0.count) }) else {
            throw DocumentReadError(.malformed, "the image data is damaged or truncated")
        }
        defer { destroy(t, pix) }
        // The decoded size must be the size the header claimed.
        guard t.pixGetWidth(pix) == w, t.pixGetHeight(pix) == h else { throw DocumentReadError(.malformed, "the image data does not match its header") }
        let dpi = Int(t.pixGetXRes(pix))
        guard let gray = t.pixConvertTo8(pix, 0) else { throw DocumentReadError(.malformed, "the image cannot be converted to grey") }
        defer { destroy(t, gray) }
        return image(t, gray, dpi: dpi)
    }

    static func image(_ t: HubTesseract, _ pix: OpaquePointer, dpi: Int) -> GrayImage {
        let w = Int(t.pixGetWidth(pix)), h = Int(t.pixGetHeight(pix)), wpl = Int(t.pixGetWpl(pix))
        var out = [UInt8](repeating: 255, count: w * h)
        if let data = t.pixGetData(pix) {
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = data + y * wpl
                    for x in 0..<w { dst[y * w + x] = UInt8(truncatingIfNeeded: row[x >> 2] >> UInt32((3 - (x & 3)) * 8)) }
                }
            }
        }
        return GrayImage(width: w, height: h, dpi: dpi, pixels: out)
    }

    static func pix(_ t: HubTesseract, _ img: GrayImage) -> OpaquePointer? {
        guard img.width > 0, img.height > 0, img.pixels.count == img.width * img.height,
              let pix = t.pixCreate(Int32(img.width), Int32(img.height), 8), let data = t.pixGetData(pix)
        else { return nil }
        let wpl = Int(t.pixGetWpl(pix))
        img.pixels.withUnsafeBufferPointer { src in
            for y in 0..<img.height {
                let row = data + y * wpl
                for i in 0..<wpl { row[i] = 0 }
                for x in 0..<img.width { row[x >> 2] |= UInt32(src[y * img.width + x]) << UInt32((3 - (x & 3)) * 8) }
            }
        }
        if img.dpi > 0 { _ = t.pixSetResolution(pix, Int32(img.dpi), Int32(img.dpi)) }
        return pix
    }
}

/// Scans and photos: PNG, JPEG and TIFF (first page), one page of OCR words in pixels.
public struct ImageReader: DocumentReader {
    public var limits: ReadLimits
    public var ocr: any PageOCR

    public init(limits: ReadLimits = ReadLimits(), ocr: any PageOCR) {
        self.limits = limits
        self.ocr = ocr
    }

    public func pages(_ bytes: [UInt8]) throws(DocumentReadError) -> [PageText] {
        let img = try StageClock.measure("decode") { () throws(DocumentReadError) in try Leptonica.decode(bytes, limits: limits) }
        let read = try StageClock.measure("first") { () throws(DocumentReadError) in try ocr.readings(img, limits: limits) }
        let page = PageText(number: 1, width: Double(img.width), height: Double(img.height), source: .ocr, words: read.words, secondReading: read.second)
        // A page that read poorly is read again scaled to other resolutions, unless it is finer than both
        // (it is read at its own then). An image is read at its own resolution already.
        return SecondResolution.choose([page], limits: limits) { rereading throws(DocumentReadError) in
            guard case .resolution(let dpi) = rereading else { return nil }
            let own = img.dpi > 0 ? img.dpi : Leptonica.guessDPI(width: img.width, height: img.height)
            guard own < max(dpi, limits.ocrDPI) - 20 else { return nil }
            var finer = limits
            finer.ocrDPI = dpi
            finer.ocrSecondLook = false
            finer.ocrLanguage = DocumentLanguage.guess(page.words.map(\.text))
            StageClock.enter(rereading.stage)
            defer { StageClock.leave() }
            let again = try ocr.readings(img, limits: finer)
            return [PageText(number: 1, width: page.width, height: page.height, source: .ocr, words: again.words, secondReading: again.second)]
        }
    }
}

extension OptionSet where Element == Self {
    /// The union of a comma-separated list of names (`despeckle, vrules`), as the
    /// `CUSTOMS_HUB_OCR_…` settings are written; nil when a name is not one of `names`.
    init?(namedList text: String, names: [String: Self]) {
        self = []
        for part in text.split(separator: ",") {
            guard let named = names[part.trimmingCharacters(in: .whitespaces)] else { return nil }
            formUnion(named)
        }
    }
}
