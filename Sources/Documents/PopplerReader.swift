import CDocumentLibraries
import DocumentExtraction
import Foundation

/// PDFs through poppler's GLib API: the text layer with a box per glyph, grouped into words.
/// Pages without text (scans saved as PDF) are rendered through cairo and read by OCR.
///
/// Before poppler sees a byte, `PDFGuard` refuses encrypted files, nesting deeper than the limit,
/// images that claim more pixels than the limit, and compressed streams that inflate past the
/// limit (PDF bombs); after opening, page count and page size are checked.
public struct PopplerReader: DocumentReader {
    public var limits: ReadLimits
    public var ocr: any PageOCR

    public init(limits: ReadLimits = ReadLimits(), ocr: any PageOCR) {
        self.limits = limits
        self.ocr = ocr
    }

    public func pages(_ bytes: [UInt8]) throws(DocumentReadError) -> [PageText] {
        try withDocument(bytes) { (p, doc) throws(DocumentReadError) in try pages(p, doc) }
    }

    /// Each page's scan resolution (`scanResolution`), nil for a page that is no single scan.
    func scanResolutions(_ bytes: [UInt8]) throws(DocumentReadError) -> [Int?] {
        try withDocument(bytes) { (p, doc) throws(DocumentReadError) in
            try (0..<Int(p.poppler_document_get_n_pages(doc))).map { i throws(DocumentReadError) in
                guard let page = p.poppler_document_get_page(doc, Int32(i)) else { throw DocumentReadError(.malformed, "page \(i + 1) cannot be read") }
                defer { p.g_object_unref(UnsafeMutableRawPointer(page)) }
                var w = 0.0, h = 0.0
                p.poppler_page_get_size(page, &w, &h)
                return scanResolution(p, page, width: w, height: h)
            }
        }
    }

    /// `body` on the opened document, after `PDFGuard`'s checks.
    func withDocument<T>(_ bytes: [UInt8], _ body: (HubPoppler, OpaquePointer) throws(DocumentReadError) -> T) throws(DocumentReadError) -> T {
        try PDFGuard.check(bytes, limits: limits)
        let p = try DocumentLibraries.sharedPoppler.get()
        guard let gbytes = bytes.withUnsafeBytes({ p.g_bytes_new($0.baseAddress, $0.count) }) else {
            throw DocumentReadError(.malformed, "the PDF could not be copied")
        }
        defer { p.g_bytes_unref(gbytes) }
        var error: UnsafeMutablePointer<HubGError>?
        guard let doc = p.poppler_document_new_from_bytes(gbytes, nil, &error) else {
            let code = error?.pointee.code ?? 0
            let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
            if let error { p.g_error_free(error) }
            if code == Int32(HUB_POPPLER_ERROR_ENCRYPTED) { throw DocumentReadError(.encrypted, "the PDF is encrypted") }
            throw DocumentReadError(.malformed, "poppler cannot open the PDF: \(message)")
        }
        defer { p.g_object_unref(UnsafeMutableRawPointer(doc)) }
        return try body(p, doc)
    }

    func pages(_ p: HubPoppler, _ doc: OpaquePointer) throws(DocumentReadError) -> [PageText] {
        let count = Int(p.poppler_document_get_n_pages(doc))
        if count <= 0 { throw DocumentReadError(.malformed, "the PDF has no pages") }
        if count > limits.maxPages { throw DocumentReadError(.tooManyPages, "the PDF has \(count) pages; at most \(limits.maxPages) are read") }
        var out: [PageText] = []
        for i in 0..<count {
            guard let page = p.poppler_document_get_page(doc, Int32(i)) else { throw DocumentReadError(.malformed, "page \(i + 1) cannot be read") }
            defer { p.g_object_unref(UnsafeMutableRawPointer(page)) }
            var w = 0.0, h = 0.0
            p.poppler_page_get_size(page, &w, &h)
            guard w > 0, h > 0, w <= 14_400, h <= 14_400 else {
                throw DocumentReadError(.malformed, "page \(i + 1) claims \(Int(w)) × \(Int(h)) points")
            }
            var words = try textWords(p, page, number: i + 1)
            var source = TextSource.text
            var second: [Word]?
            if words.isEmpty {
                StageClock.enter("first")
                defer { StageClock.leave() }
                // A page after a scanned one is read in the language that page showed, without a strip
                // read to guess it (a page in another language is read again in it, as before).
                var reader = self
                reader.limits.ocrLanguage = out.last { $0.source == .ocr }.flatMap { DocumentLanguage.guess($0.words.map(\.text)) }
                (words, second) = try reader.ocrWords(p, page, width: w, height: h, dpi: limits.ocrDPI)
                source = .ocr
            }
            out.append(PageText(number: i + 1, width: w, height: h, source: source, words: words, secondReading: second))
        }
        // Image-only pages that read poorly are rendered and read again: at the second resolution
        // (`rendersFiner`), and a scan coarser than the OCR's resolution at its own.
        return SecondResolution.choose(out, limits: limits) { rereading throws(DocumentReadError) in
            var again = self
            again.limits.ocrSecondLook = false
            StageClock.enter(rereading.stage)
            defer { StageClock.leave() }
            var pages = out
            var changed = false
            for (k, text) in out.enumerated() where text.source == .ocr {
                guard let page = p.poppler_document_get_page(doc, Int32(text.number - 1)) else { return nil }
                defer { p.g_object_unref(UnsafeMutableRawPointer(page)) }
                let dpi: Int, render: Int
                switch rereading {
                case .resolution(let r):
                    if limits.ownResolutionReading,
                       !Self.rendersFiner(scan: scanResolution(p, page, width: text.width, height: text.height), at: r, ocr: limits.ocrDPI) {
                        continue
                    }
                    (dpi, render) = (r, r)
                case .ownResolution:
                    dpi = limits.ocrDPI
                    render = Self.renderResolution(scan: scanResolution(p, page, width: text.width, height: text.height), ocr: dpi)
                    if render == dpi { continue }
                }
                var reader = again
                reader.limits.ocrLanguage = DocumentLanguage.guess(text.words.map(\.text))
                (pages[k].words, pages[k].secondReading) = try reader.ocrWords(p, page, width: text.width, height: text.height, dpi: dpi, render: render)
                changed = true
            }
            return changed ? pages : nil
        }
    }

    /// The text layer: one rectangle per character of the page's text, split into words at white space.
    func textWords(_ p: HubPoppler, _ page: OpaquePointer, number: Int) throws(DocumentReadError) -> [Word] {
        guard let cText = p.poppler_page_get_text(page) else { return [] }
        defer { p.g_free(cText) }
        var rects: UnsafeMutablePointer<HubPopplerRectangle>?
        var n: UInt32 = 0
        guard p.poppler_page_get_text_layout(page, &rects, &n) != 0, let rects else { return [] }
        defer { p.g_free(rects) }
        var scalars = Array(String(cString: cText).unicodeScalars)
        // Poppler marks right-to-left runs (Arabic, Hebrew) in the text with bidi controls that have no
        // rectangle in the layout: without them, one rectangle per character again.
        if scalars.count != Int(n) {
            let drawn = scalars.filter { !Self.isBidiControl($0) }
            if drawn.count == Int(n) { scalars = drawn }
        }
        let count = min(scalars.count, Int(n))
        var words: [Word] = []
        var text = ""
        var box: DocumentExtraction.Box?
        func flush() {
            if let b = box, !text.isEmpty { words.append(Word(text: text, box: b, confidence: 1)) }
            text = ""
            box = nil
        }
        for k in 0..<count {
            let s = scalars[k]
            if CharacterSet.whitespacesAndNewlines.contains(s) {
                flush()
                continue
            }
            if Self.isBidiControl(s) { continue }
            let r = rects[k]
            let b = DocumentExtraction.Box(x0: r.x1, y0: r.y1, x1: r.x2, y1: r.y2)
            // A jump backwards or to another line inside a run of glyphs starts a new word.
            // So does a horizontal gap: poppler leaves no space between words that stand apart.
            if let cur = box, b.x0 < cur.x1 - 1 || b.x0 > cur.x1 + 0.25 * b.height || b.yOverlap(cur) < 0.3 * min(b.height, cur.height) { flush() }
            text.unicodeScalars.append(s)
            box = box.map { $0.union(b) } ?? b
            if words.count > limits.maxWordsPerPage { throw DocumentReadError(.tooLarge, "page \(number) has more than \(limits.maxWordsPerPage) words") }
        }
        flush()
        return words
    }

    /// The invisible marks of the Unicode bidirectional algorithm (embeddings, overrides, isolates, the
    /// left-to-right and right-to-left marks).
    static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) || s.value == 0x200E || s.value == 0x200F
    }

    /// An image-only page: rendered grey at `render` DPI (`dpi` when nil), read by OCR at `dpi` (with
    /// its second reading, when the engine made one), boxes back in points. A page rendered coarser
    /// than `dpi` (a scan at its own resolution, `renderResolution`) is scaled up by the OCR engine, as
    /// an image file of that resolution is, and not despeckled (`GrayImage.despeckle`).
    func ocrWords(_ p: HubPoppler, _ page: OpaquePointer, width: Double, height: Double, dpi: Int, render: Int? = nil) throws(DocumentReadError) -> (words: [Word], second: [Word]?) {
        var limits = limits
        limits.ocrDPI = dpi
        let renderDPI = render ?? dpi
        let scale = Double(renderDPI) / 72
        let pw = Int((width * scale).rounded(.up)), ph = Int((height * scale).rounded(.up))
        guard pw * ph <= limits.maxPixels, pw <= limits.maxSide, ph <= limits.maxSide else {
            throw DocumentReadError(.imageTooLarge, "rendering the page needs \(pw) × \(ph) pixels")
        }
        StageClock.enter("render")
        var rendering = true
        defer { if rendering { StageClock.leave() } }
        guard let surface = p.cairo_image_surface_create(Int32(HUB_CAIRO_FORMAT_RGB24), Int32(pw), Int32(ph)) else {
            throw DocumentReadError(.imageTooLarge, "no memory to render the page")
        }
        defer { p.cairo_surface_destroy(surface) }
        guard let cr = p.cairo_create(surface) else { throw DocumentReadError(.imageTooLarge, "no memory to render the page") }
        p.cairo_set_source_rgb(cr, 1, 1, 1)
        p.cairo_paint(cr)
        p.cairo_scale(cr, scale, scale)
        p.poppler_page_render(page, cr)
        p.cairo_destroy(cr)
        p.cairo_surface_flush(surface)
        guard let data = p.cairo_image_surface_get_data(surface) else { return ([], nil) }
        let stride = Int(p.cairo_image_surface_get_stride(surface))
        var gray = [UInt8](repeating: 255, count: pw * ph)
        for y in 0..<ph {
            let row = data + y * stride
            for x in 0..<pw {
                let b = Int(row[4 * x]), g = Int(row[4 * x + 1]), r = Int(row[4 * x + 2])
                gray[y * pw + x] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
            }
        }
        rendering = false
        StageClock.leave()
        let read = try ocr.readings(GrayImage(width: pw, height: ph, dpi: renderDPI, pixels: gray, despeckle: renderDPI == dpi), limits: limits)
        func inPoints(_ words: [Word]) -> [Word] {
            words.map { w in
                Word(text: w.text, box: DocumentExtraction.Box(x0: w.box.x0 / scale, y0: w.box.y0 / scale, x1: w.box.x1 / scale, y1: w.box.y1 / scale), confidence: w.confidence)
            }
        }
        return (inPoints(read.words), read.second.map(inPoints))
    }

    /// The resolution an image-only page is rendered at when read at its scan's own (`Rereading.ownResolution`):
    /// the scan's (`scan`) when it is coarser than `ocr` by more than 20 DPI (the margin `TesseractOCR`
    /// scales up by), and never below 50 DPI; else `ocr`, which reads the page as the first reading did.
    static func renderResolution(scan: Int?, ocr: Int) -> Int {
        guard let scan, scan < ocr - 20 else { return ocr }
        return max(50, scan)
    }

    /// Whether a poorly read page is rendered again at `finer` DPI: not a scan read at its own
    /// resolution (`renderResolution`) that this would scale up more than the OCR engine ever scales
    /// a scan (4 times, `TesseractOCR`): cairo's 300 DPI rendering of a 72 DPI scan only smooths the
    /// same pixels further, and read 7–23 table cells where the first reading read 42–76 on the four
    /// such pages of the dev and report seeds (`docs/benchmarks.md`, s37-scans). Such a page is read
    /// at its own resolution (`Rereading.ownResolution`) instead. At 100 and 120 DPI the 300 DPI
    /// reading is the one kept on two layouts, so those are read at both.
    static func rendersFiner(scan: Int?, at finer: Int, ocr: Int) -> Bool {
        let own = renderResolution(scan: scan, ocr: ocr)
        return own == ocr || finer <= 4 * own
    }

    /// The pixels per inch of the one image that covers the page (nine tenths of its width and
    /// height or more): a scan saved as PDF. Nil when no image, or more than one, covers it.
    func scanResolution(_ p: HubPoppler, _ page: OpaquePointer, width: Double, height: Double) -> Int? {
        guard let list = p.poppler_page_get_image_mapping(page) else { return nil }
        defer { p.poppler_page_free_image_mapping(list) }
        var covering: [HubPopplerImageMapping] = []
        var node: UnsafeMutablePointer<HubGList>? = list
        while let n = node {
            if let m = n.pointee.data?.assumingMemoryBound(to: HubPopplerImageMapping.self).pointee,
               abs(m.area.x2 - m.area.x1) >= 0.9 * width, abs(m.area.y2 - m.area.y1) >= 0.9 * height {
                covering.append(m)
            }
            node = n.pointee.next
        }
        guard covering.count == 1, let m = covering.first, let image = p.poppler_page_get_image(page, Int32(m.image_id)) else { return nil }
        defer { p.cairo_surface_destroy(image) }
        let pixels = Double(p.cairo_image_surface_get_width(image)), inches = abs(m.area.x2 - m.area.x1) / 72
        guard pixels > 0, inches > 0 else { return nil }
        return Int((pixels / inches).rounded())
    }
}

/// Byte-level checks on a PDF before any parser runs.
enum PDFGuard {
    static func check(_ b: [UInt8], limits: ReadLimits) throws(DocumentReadError) {
        // Every complete PDF (and every incremental update) ends with `%%EOF`.
        if find(Array(b.suffix(1024)), Array("%%EOF".utf8), from: 0) == nil {
            throw DocumentReadError(.malformed, "the PDF is truncated (no %%EOF at its end)")
        }
        if contains(b, "/Encrypt") { throw DocumentReadError(.encrypted, "the PDF is encrypted") }
        try nesting(b, limit: limits.maxNesting)
        try imageSizes(b, limits: limits)
        try inflation(b, limit: limits.maxInflatedBytes)
    }

    static func contains(_ b: [UInt8], _ needle: String) -> Bool { find(b, Array(needle.utf8), from: 0) != nil }

    static func find(_ b: [UInt8], _ n: [UInt8], from: Int) -> Int? {
        guard !n.isEmpty, b.count >= n.count, from <= b.count - n.count else { return nil }
        var i = from
        let first = n[0]
        while i <= b.count - n.count {
            if b[i] == first {
                var k = 1
                while k < n.count && b[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Dictionary and array depth outside strings and stream data.
    static func nesting(_ b: [UInt8], limit: Int) throws(DocumentReadError) {
        var depth = 0
        var i = 0
        let stream = Array("stream".utf8), endstream = Array("endstream".utf8)
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "("):
                // Literal string: balanced parentheses, backslash escapes.
                var level = 1
                i += 1
                while i < b.count && level > 0 {
                    if b[i] == UInt8(ascii: "\\") { i += 1 } else if b[i] == UInt8(ascii: "(") { level += 1 } else if b[i] == UInt8(ascii: ")") { level -= 1 }
                    i += 1
                }
                continue
            case UInt8(ascii: "%"):
                while i < b.count && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
            case UInt8(ascii: "<"):
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: "<") { depth += 1; i += 1 }
            case UInt8(ascii: ">"):
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: ">") { depth = max(0, depth - 1); i += 1 }
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth = max(0, depth - 1)
            case UInt8(ascii: "s"):
                if i + stream.count <= b.count && Array(b[i..<(i + stream.count)]) == stream && (i == 0 || b[i - 1] != UInt8(ascii: "d")) {
                    if let e = find(b, endstream, from: i + stream.count) { i = e + endstream.count; continue }
                    return
                }
            default: break
            }
            if depth > limit { throw DocumentReadError(.tooDeep, "the PDF nests dictionaries or arrays deeper than \(limit) levels") }
            i += 1
        }
    }

    /// `/Width N` and `/Height N` of image objects.
    static func imageSizes(_ b: [UInt8], limits: ReadLimits) throws(DocumentReadError) {
        for key in ["/Width", "/Height"] {
            let n = Array(key.utf8)
            var from = 0
            while let at = find(b, n, from: from) {
                var i = at + n.count
                while i < b.count && (b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D) { i += 1 }
                var v = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39, v < 1 << 40 { v = v * 10 + Int(b[i] - 0x30); i += 1 }
                if v > limits.maxSide { throw DocumentReadError(.imageTooLarge, "an image in the PDF claims \(key.dropFirst()) \(v) pixels") }
                from = at + n.count
            }
        }
    }

    /// Inflates every zlib-compressed stream (without keeping the output) and refuses the file
    /// once the total passes the limit.
    static func inflation(_ b: [UInt8], limit: Int) throws(DocumentReadError) {
        let stream = Array("stream".utf8), endstream = Array("endstream".utf8)
        var total = 0
        var from = 0
        var sink = [UInt8](repeating: 0, count: 1 << 16)
        while let at = find(b, stream, from: from) {
            from = at + stream.count
            if at > 0 && b[at - 1] == UInt8(ascii: "d") { continue }  // "endstream"
            var start = at + stream.count
            if start < b.count && b[start] == 0x0D { start += 1 }
            if start < b.count && b[start] == 0x0A { start += 1 }
            guard start + 2 <= b.count, b[start] & 0x0F == 8, (Int(b[start]) << 8 | Int(b[start + 1])) % 31 == 0 else { continue }
            let end = find(b, endstream, from: start) ?? b.count
            var z = z_stream()
            guard inflateInit_(&z, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { continue }
            defer { inflateEnd(&z) }
            var status: Int32 = Z_OK
            b.withUnsafeBufferPointer { input in
                z.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
                z.avail_in = uInt(end - start)
                sink.withUnsafeMutableBufferPointer { out in
                    repeat {
                        z.next_out = out.baseAddress
                        z.avail_out = uInt(out.count)
                        status = inflate(&z, Z_NO_FLUSH)
                        total += out.count - Int(z.avail_out)
                    } while status == Z_OK && total <= limit && (z.avail_out == 0 || z.avail_in > 0)
                }
            }
            if total > limit {
                throw DocumentReadError(.bomb, "the PDF's compressed streams inflate to more than \(limit >> 20) MB")
            }
            from = max(from, end)
        }
    }
}
