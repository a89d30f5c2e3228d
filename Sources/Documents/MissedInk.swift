import DocumentExtraction

/// Text that OCR's page layout passed over: ink the size of letters that no word's box covers.
///
/// Tesseract groups a page's ink into text lines before it reads them. A table header printed on two
/// baselines (`Net` and `Gross` set half a line above `Qty` and `Cartons`, their `kg` under them) is
/// grouped with the line beside it, and the line's recognizer then drops the words that stand off
/// its baseline: the scan of `packing-en-pallets` lost both weight columns' headers, while the same
/// words cut out and read as one line read clean. `regions` finds such ink on the prepared page, so
/// that `TesseractOCR` can read each region again as a single line.
enum MissedInk {
    /// A region of uncovered ink to read again, in the prepared page's pixels.
    struct Region: Equatable {
        var x0: Int, y0: Int, x1: Int, y1: Int
        /// One figure alone (`isLoneFigure`): its reading adds a word, and replaces no unsure word
        /// (a glyph of a garbled word would otherwise stand for the whole word).
        var loneFigure = false
    }

    /// Darker than this is ink.
    static let ink: UInt8 = 128
    /// At most this many regions are read again on a page (the largest first): noise and drawings
    /// do not cost more than a few line readings.
    static let maxRegions = 12

    /// The text-like clusters of ink that no box in `covered` (grown by a third of the page's word
    /// height) touches. A component counts as a glyph when it is between a third and one and a half
    /// times the median word height tall, at most three word heights wide, and not a speck; glyphs
    /// whose rows overlap by half and stand less than a word height apart make one cluster. A
    /// cluster is kept when it has two glyphs or more (a word of one letter, or a lone speck the
    /// despeckling left, is not worth a reading) and is at least a word height wide, or when it is
    /// one figure standing alone in a line of words (`isLoneFigure`). `unsure` are the boxes of words
    /// read but left out of `covered` so that their ink is read again: a lone figure must stand apart
    /// from them too, since a glyph under such a word is a piece of a word the page has, not a figure
    /// it lost (the `4` of an unsure `432.0` on `packing-fr-en-bilingue`'s second look, read `a`
    /// and added beside it, lost the document's table).
    static func regions(_ page: GrayImage, covered: [Box], unsure: [Box] = []) -> [Region] {
        let w = page.width, h = page.height
        guard w > 0, h > 0, page.pixels.count == w * h, covered.count >= 5 else { return [] }
        let heights = covered.map { $0.y1 - $0.y0 }.filter { $0 > 0 }.sorted()
        guard !heights.isEmpty else { return [] }
        let wordHeight = heights[heights.count / 2]
        guard wordHeight >= 6 else { return [] }
        var mask = [Bool](repeating: false, count: w * h)
        page.pixels.withUnsafeBufferPointer { px in
            for i in 0..<(w * h) where px[i] < ink { mask[i] = true }
        }
        let grow = wordHeight / 3
        for b in covered {
            let x0 = max(0, Int(b.x0 - grow)), x1 = min(w, Int((b.x1 + grow).rounded(.up)))
            let y0 = max(0, Int(b.y0 - grow)), y1 = min(h, Int((b.y1 + grow).rounded(.up)))
            guard x0 < x1, y0 < y1 else { continue }
            for y in y0..<y1 { for x in x0..<x1 { mask[y * w + x] = false } }
        }
        let glyphs = components(&mask, width: w, height: h).filter { c in
            let cw = Double(c.x1 - c.x0), ch = Double(c.y1 - c.y0)
            return ch >= wordHeight / 3 && ch <= wordHeight * 1.5 && cw <= wordHeight * 3 && c.pixels >= Int(wordHeight * wordHeight / 40)
        }
        // Glyphs left to right, each joining the first cluster on its row within reach.
        var clusters: [(box: Region, glyphs: Int)] = []
        for g in glyphs.sorted(by: { $0.x0 < $1.x0 }) {
            let joined = clusters.firstIndex { c in
                let overlap = min(c.box.y1, g.y1) - max(c.box.y0, g.y0)
                return Double(overlap) * 2 >= Double(min(c.box.y1 - c.box.y0, g.y1 - g.y0)) && Double(g.x0 - c.box.x1) < wordHeight
            }
            if let i = joined {
                clusters[i].box = Region(x0: min(clusters[i].box.x0, g.x0), y0: min(clusters[i].box.y0, g.y0),
                                         x1: max(clusters[i].box.x1, g.x1), y1: max(clusters[i].box.y1, g.y1))
                clusters[i].glyphs += 1
            } else {
                clusters.append((Region(x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1), 1))
            }
        }
        let kept = clusters.compactMap { c -> Region? in
            if c.glyphs >= 2 { return Double(c.box.x1 - c.box.x0) >= wordHeight ? c.box : nil }
            guard isLoneFigure(c.box, wordHeight: wordHeight, covered: covered + unsure) else { return nil }
            var figure = c.box
            figure.loneFigure = true
            return figure
        }
        return Array(kept.sorted { ($0.x1 - $0.x0) * ($0.y1 - $0.y0) > ($1.x1 - $1.x0) * ($1.y1 - $1.y0) }.prefix(maxRegions))
    }

    /// Whether a cluster of one glyph is worth a reading: a figure standing alone in a line of
    /// words (`Total packages:` and its `9` far right, a packages cell between two columns), which
    /// the layout drops as noise. It must be 0.6 of a word height tall or more, not a sliver of a rule,
    /// share its row with a word to its left, and stand a word height or more from every word on
    /// its row: a glyph in the gap between two words (a letter's piece, an accent) is not one.
    static func isLoneFigure(_ g: Region, wordHeight: Double, covered: [Box]) -> Bool {
        let gw = Double(g.x1 - g.x0), gh = Double(g.y1 - g.y0)
        guard gh >= wordHeight * 0.6, gw * 4 >= gh else { return false }
        let row = covered.filter { b in
            let overlap = min(b.y1, Double(g.y1)) - max(b.y0, Double(g.y0))
            return overlap * 2 >= min(b.y1 - b.y0, gh)
        }
        let apart = row.allSatisfy { b in b.x1 + wordHeight <= Double(g.x0) || Double(g.x1) + wordHeight <= b.x0 }
        return apart && row.contains { $0.x1 <= Double(g.x0) }
    }

    /// A connected component of ink (eight neighbours): its box (end exclusive) and its pixel count.
    struct Component {
        var x0: Int, y0: Int, x1: Int, y1: Int, pixels: Int
    }

    /// The components of `mask`, which is cleared as they are taken.
    static func components(_ mask: inout [Bool], width w: Int, height h: Int) -> [Component] {
        var out: [Component] = []
        var stack: [Int] = []
        for start in 0..<(w * h) where mask[start] {
            mask[start] = false
            stack.append(start)
            var c = Component(x0: start % w, y0: start / w, x1: start % w + 1, y1: start / w + 1, pixels: 0)
            while let i = stack.popLast() {
                let x = i % w, y = i / w
                c.pixels += 1
                c.x0 = min(c.x0, x); c.x1 = max(c.x1, x + 1); c.y0 = min(c.y0, y); c.y1 = max(c.y1, y + 1)
                for dy in -1...1 {
                    let yy = y + dy
                    guard yy >= 0, yy < h else { continue }
                    for dx in -1...1 {
                        let xx = x + dx
                        guard xx >= 0, xx < w else { continue }
                        let j = yy * w + xx
                        if mask[j] { mask[j] = false; stack.append(j) }
                    }
                }
            }
            out.append(c)
        }
        return out
    }

    /// The white margin around a region cut out: half its height, 4 pixels at least.
    static func padding(_ r: Region) -> Int { max(4, (r.y1 - r.y0) / 2) }

    /// The region cut out of `page` with a white margin of half its height around it (`pad`): one line to read.
    static func cut(_ page: GrayImage, _ r: Region) -> (image: GrayImage, pad: Int) {
        let pad = padding(r)
        let cw = r.x1 - r.x0 + 2 * pad, ch = r.y1 - r.y0 + 2 * pad
        var out = GrayImage(width: cw, height: ch, dpi: page.dpi, pixels: [UInt8](repeating: 255, count: cw * ch))
        for y in r.y0..<r.y1 where y >= 0 && y < page.height {
            for x in r.x0..<r.x1 where x >= 0 && x < page.width {
                out.pixels[(y - r.y0 + pad) * cw + (x - r.x0 + pad)] = page.pixels[y * page.width + x]
            }
        }
        return (out, pad)
    }
}
