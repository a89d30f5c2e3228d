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
    /// `first` as read; `again` reads the OCR pages once more (text pages as they were), or returns nil
    /// when that reading would read the same pixels. A reading that fails (the deadline) is passed over.
    static func choose(_ first: [PageText], limits: ReadLimits,
                       again: (Rereading) throws(DocumentReadError) -> [PageText]?) -> [PageText] {
        var rereadings = [limits.secondOCRDPI, limits.thirdOCRDPI].compactMap { $0 }.filter { $0 != limits.ocrDPI }.map(Rereading.resolution)
        if limits.ownResolutionReading { rereadings.append(.ownResolution) }
        guard !rereadings.isEmpty, first.contains(where: { $0.source == .ocr }) else { return first }
        let extractor = Extractor()
        var best = (pages: first, quality: StageClock.measure("quality") { extractor.quality(first) })
        var runnerUp: (pages: [PageText], quality: ReadingQuality)?
        for rereading in rereadings where best.quality.isPoor {
            let read: [PageText]
            do {
                guard let pages = try again(rereading), pages.count == first.count else { continue }
                read = pages
            } catch {
                continue
            }
            let q = StageClock.measure("quality") { extractor.quality(read) }
            if rereading.isBetter(q, than: best.quality) {
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

/// A further reading of a scan that read poorly.
enum Rereading: Equatable {
    /// The OCR pages read again at this resolution.
    case resolution(Int)
    /// A PDF's scan coarser than the OCR's resolution rendered at its own resolution and scaled up by the
    /// OCR engine, as an image file of that resolution is (`PopplerReader.renderResolution`). Rendered by
    /// cairo at 200 DPI, the 72 DPI scans' long invoices read about half the fields the same pixels scaled
    /// by Leptonica find, but other scans read fewer (`docs/benchmarks.md`, s30-scans): so an extra reading.
    case ownResolution

    /// Whether a reading of this kind shows more than `best`. A reading at the scan's own resolution
    /// counts its table cells read too (`ReadingQuality.cellsRead`): on a 72 DPI scan neither reading's
    /// arithmetic holds on many lines, but the cairo-rendered one pairs cells with the wrong rows and
    /// loses them (dev seed 293's long invoice: 50 cells read and 23 fields right, at its own
    /// resolution 63 and 42, with one required field less). Readings at other resolutions are
    /// compared as before (`ReadingQuality.isBetter`).
    func isBetter(_ quality: ReadingQuality, than best: ReadingQuality) -> Bool {
        switch self {
        case .resolution: quality.isBetter(than: best)
        case .ownResolution: quality.score + quality.cellsRead > best.score + best.cellsRead
        }
    }

    /// Its name in `extract-bench --stages`.
    var stage: String {
        switch self {
        case .resolution(let dpi): "dpi\(dpi)"
        case .ownResolution: "own"
        }
    }
}
