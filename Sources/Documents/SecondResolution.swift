import DocumentExtraction

/// A scan that read poorly is read again at a second resolution (`ReadLimits.secondOCRDPI`), and
/// the two readings are chosen between by what the extractor makes of each (`ReadingQuality`).
///
/// OCR slips depend on the resolution a page is read at, and not the same way on every page: one
/// scan reads its table header at 300 DPI and loses it at 200, another the other way round. The
/// engine's confidence does not tell (the Canadian layout scan's words average above the second
/// look's threshold while its header and labels come out garbled), so the signal is the
/// extraction's: no known kind, a required field missing, no table, or an invoice whose lines and
/// total do not add up. Only such documents pay for the second reading.
enum SecondResolution {
    /// `first` as read; `again` reads the OCR pages once more at `dpi` (text pages as they were),
    /// or returns nil when that resolution would read the same pixels. A second reading that fails
    /// (the deadline) leaves the first.
    static func choose(_ first: [PageText], limits: ReadLimits,
                       again: (Int) throws(DocumentReadError) -> [PageText]?) -> [PageText] {
        guard let dpi = limits.secondOCRDPI, dpi != limits.ocrDPI, first.contains(where: { $0.source == .ocr }) else { return first }
        let extractor = Extractor()
        let before = extractor.quality(first)
        guard before.isPoor else { return first }
        let second: [PageText]
        do {
            guard let read = try again(dpi), read.count == first.count else { return first }
            second = read
        } catch {
            return first
        }
        let after = extractor.quality(second)
        return chosen(first, before, second, after)
    }

    /// The readings whose extraction shows more (`ReadingQuality.isBetter`; the first on a tie);
    /// on each OCR page that has no second reading yet, the other resolution's words become it,
    /// for the extractor to take what its cross-checks favour (`ReadingChoice`).
    static func chosen(_ first: [PageText], _ firstQuality: ReadingQuality, _ second: [PageText], _ secondQuality: ReadingQuality) -> [PageText] {
        let (kept, other) = secondQuality.isBetter(than: firstQuality) ? (second, first) : (first, second)
        return zip(kept, other).map { page, otherPage in
            var page = page
            if page.source == .ocr, page.secondReading == nil { page.secondReading = otherPage.words }
            return page
        }
    }
}
