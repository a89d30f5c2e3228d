import DocumentExtraction

/// A scan that read poorly is read again at other resolutions (`ReadLimits.secondOCRDPI`, then
/// `thirdOCRDPI` while it still reads poorly), and the readings are chosen between by what the
/// extractor makes of each (`ReadingQuality`).
///
/// OCR slips depend on the resolution a page is read at, and not the same way on every page: one
/// scan reads its table header at 300 DPI and loses it at 200, another reads its table only at 150.
/// The engine's confidence does not tell (the Canadian layout scan's words average above the second
/// look's threshold while its header and labels come out garbled), so the signal is the
/// extraction's (`ReadingQuality.isPoor`). Only such documents pay for more readings.
enum SecondResolution {
    /// `first` as read; `again` reads the OCR pages once more at a resolution (text pages as they
    /// were), or returns nil when that resolution would read the same pixels. A reading that fails
    /// (the deadline) is passed over.
    static func choose(_ first: [PageText], limits: ReadLimits,
                       again: (Int) throws(DocumentReadError) -> [PageText]?) -> [PageText] {
        let resolutions = [limits.secondOCRDPI, limits.thirdOCRDPI].compactMap { $0 }.filter { $0 != limits.ocrDPI }
        guard !resolutions.isEmpty, first.contains(where: { $0.source == .ocr }) else { return first }
        let extractor = Extractor()
        var best = (pages: first, quality: StageClock.measure("quality") { extractor.quality(first) })
        var runnerUp: (pages: [PageText], quality: ReadingQuality)?
        for dpi in resolutions where best.quality.isPoor {
            let read: [PageText]
            do {
                guard let pages = try again(dpi), pages.count == first.count else { continue }
                read = pages
            } catch {
                continue
            }
            let q = StageClock.measure("quality") { extractor.quality(read) }
            if q.isBetter(than: best.quality) {
                runnerUp = best
                best = (read, q)
            } else if runnerUp.map({ q.isBetter(than: $0.quality) }) ?? true {
                runnerUp = (read, q)
            }
        }
        guard let other = runnerUp else { return first }
        return chosen(best.pages, other.pages)
    }

    /// The kept readings, and on each OCR page that has no second reading yet, the runner-up's
    /// words as its second reading, for the extractor to take what its cross-checks favour (`ReadingChoice`).
    static func chosen(_ kept: [PageText], _ other: [PageText]) -> [PageText] {
        zip(kept, other).map { page, otherPage in
            var page = page
            if page.source == .ocr, page.secondReading == nil { page.secondReading = otherPage.words }
            return page
        }
    }
}
