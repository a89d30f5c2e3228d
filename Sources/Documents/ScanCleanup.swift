/// Image clean-up before OCR, on 8-bit grey pixels: what a scanner or fax leaves that Tesseract
/// reads as characters (`a`, `Ss`, `“`, `°` between the words, or glued to them).
///
/// `despeckle` removes impulse noise (isolated dark or light pixels: dust, fax speckle) at the
/// scan's own resolution, before it is scaled up and each speck grows into a blob. A pixel is a
/// speck when it is much darker (or lighter) than all eight of its neighbours; a pixel of a glyph
/// always has a neighbour of its own ink, so strokes one pixel wide survive.
///
/// `eraseRules` removes the ruled lines of tables and boxes, after deskew (`TesseractOCR`): on a
/// skewed page a rule erased run by run leaves fragments that join the words, so the rules are
/// only looked for once the page is straight.
enum ScanCleanup {
    /// Darkness difference that makes a pixel a speck.
    static let speckContrast = 60

    static func despeckle(_ img: inout GrayImage) {
        let w = img.width, h = img.height
        guard w >= 3, h >= 3, img.pixels.count == w * h else { return }
        let src = img.pixels
        img.pixels.withUnsafeMutableBufferPointer { dst in
            src.withUnsafeBufferPointer { s in
                for y in 1..<(h - 1) {
                    let row = y * w
                    for x in 1..<(w - 1) {
                        let i = row + x
                        let v = Int(s[i])
                        let a = Int(s[i - w - 1]), b = Int(s[i - w]), c = Int(s[i - w + 1]), d = Int(s[i - 1])
                        let e = Int(s[i + 1]), f = Int(s[i + w - 1]), g = Int(s[i + w]), k = Int(s[i + w + 1])
                        let lo = min(min(min(a, b), min(c, d)), min(min(e, f), min(g, k)))
                        let hi = max(max(max(a, b), max(c, d)), max(max(e, f), max(g, k)))
                        guard v < lo - speckContrast || v > hi + speckContrast else { continue }
                        let nb = [a, b, c, d, e, f, g, k].sorted()
                        dst[i] = UInt8((nb[3] + nb[4]) / 2)
                    }
                }
            }
        }
    }

    /// Turns white text on a dark band (a table header printed white on black or navy) into dark
    /// text on paper, on a straightened page: Tesseract reads such a header as noise, and a table
    /// without its header is lost. A row is in a band when an inch or more of it lies where at least
    /// six tenths of the pixels within a quarter inch are ink; a band is a tenth of an inch or more
    /// of such rows (a rule is thinner, a bold word never fills its row that much). Across the band,
    /// the columns at least four tenths ink (gaps of up to a quarter inch bridged, for the white
    /// letters) make its rectangles, each an inch wide or more, grown to the band's full ink edges
    /// and holding solid rows (nine tenths ink: the padding above and below the text), then
    /// inverted whole. Returns whether a band was found.
    static func invertDarkBands(_ img: inout GrayImage, dpi: Int) -> Bool {
        let w = img.width, h = img.height
        let resolution = dpi > 0 ? dpi : 300
        let half = max(4, resolution / 4), minRows = max(3, resolution / 10)
        guard w > 2 * half, h > minRows, img.pixels.count == w * h else { return false }
        let ink: UInt8 = 128
        var rectangles: [(x0: Int, y0: Int, x1: Int, y1: Int)] = []
        img.pixels.withUnsafeBufferPointer { px in
            func isInk(_ x: Int, _ y: Int) -> Bool { px[y * w + x] < ink }
            // Rows with an inch of densely inked windows.
            var bandRow = [Bool](repeating: false, count: h)
            var prefix = [Int](repeating: 0, count: w + 1)
            for y in 0..<h {
                for x in 0..<w { prefix[x + 1] = prefix[x] + (isInk(x, y) ? 1 : 0) }
                guard prefix[w] >= resolution / 2 else { continue }
                var dense = 0
                for x in 0..<w {
                    let a = max(0, x - half), b = min(w, x + half + 1)
                    if 10 * (prefix[b] - prefix[a]) >= 6 * (b - a) { dense += 1 }
                }
                bandRow[y] = dense >= resolution
            }
            var y = 0
            while y < h {
                guard bandRow[y] else { y += 1; continue }
                var end = y, gap = 0
                while end < h, bandRow[end] || gap < minRows / 2 {
                    gap = bandRow[end] ? 0 : gap + 1
                    end += 1
                }
                end -= gap
                defer { y = end + 1 }
                guard end - y >= minRows else { continue }
                // Columns across the band that are mostly ink, joined over short gaps.
                var segments: [(Int, Int)] = []
                var x = 0
                func columnInk(_ x: Int) -> Bool { 10 * (y..<end).reduce(0) { $0 + (isInk(x, $1) ? 1 : 0) } >= 4 * (end - y) }
                while x < w {
                    guard columnInk(x) else { x += 1; continue }
                    var x1 = x
                    while x1 < w, columnInk(x1) { x1 += 1 }
                    if let last = segments.last, x - last.1 <= half { segments[segments.count - 1].1 = x1 } else { segments.append((x, x1)) }
                    x = x1
                }
                for (x0, x1) in segments where x1 - x0 >= resolution {
                    func rowInk(_ r: Int) -> Int { (x0..<x1).reduce(0) { $0 + (isInk($1, r) ? 1 : 0) } }
                    var top = y, bottom = end
                    while top > 0, 2 * rowInk(top - 1) >= x1 - x0 { top -= 1 }
                    while bottom < h, 2 * rowInk(bottom) >= x1 - x0 { bottom += 1 }
                    // A band has solid rows, its padding around the text; a bold title's rows never are.
                    let solid = (top..<bottom).filter { 10 * rowInk($0) >= 9 * (x1 - x0) }.count
                    // A band whose text rows broke it in two is found from both halves: inverted once.
                    let overlaps = rectangles.contains { $0.x0 < x1 && x0 < $0.x1 && $0.y0 < bottom && top < $0.y1 }
                    if solid >= max(2, resolution / 60), !overlaps { rectangles.append((x0, top, x1, bottom)) }
                }
            }
        }
        guard !rectangles.isEmpty else { return false }
        img.pixels.withUnsafeMutableBufferPointer { px in
            for r in rectangles {
                for y in r.y0..<r.y1 { for x in r.x0..<r.x1 { px[y * w + x] = 255 - px[y * w + x] } }
            }
        }
        return true
    }

    /// Erases long, thin horizontal and vertical rules (table grids, boxes, underlines) from a
    /// straightened page, so that Tesseract does not read a rule touching a cell's text as `—`, `&`
    /// or `a`, nor join it to the words. Ink is what Otsu's threshold makes dark. Ink is thin when
    /// its stretch of ink across the rule's direction is at most `maxThickness`; thin ink is on a
    /// rule when it lies on a run of thin ink at least `minLength` long (gaps of `maxGap` allowed) in
    /// its row or the rows beside it (a rule left a little skewed steps from row to row). Only that
    /// is erased, with the rule's lighter edge beside it. So a glyph stroke touching or crossing a
    /// rule keeps its pixels and the bit of rule under it, and a long bold word, whose stems are not
    /// thin, is never taken for a rule. Horizontal rules go first; the vertical ones are then
    /// found on the result, which also clears the crossings. Time and memory are linear in the pixels.
    /// Returns whether anything was erased.
    ///
    /// `TesseractOCR` erases only the vertical rules (`Cleanup.verticalRules`): erasing the
    /// horizontal ones too was measured worse on the committed scans (`docs/benchmarks.md`, s18-grid).
    @discardableResult
    static func eraseRules(_ img: inout GrayImage, dpi: Int, directions: RuleDirections = [.horizontal, .vertical]) -> Bool {
        let w = img.width, h = img.height
        guard w >= 8, h >= 8, img.pixels.count == w * h, dpi > 0 else { return false }
        guard let levels = RuleLevels(img.pixels) else { return false }
        let shape = RuleShape(dpi: dpi)
        var erased = directions.contains(.horizontal) ? eraseHorizontalRules(&img, levels: levels, shape: shape) : false
        guard directions.contains(.vertical) else { return erased }
        img.pixels = transposed(img.pixels, width: w, height: h)
        swap(&img.width, &img.height)
        erased = eraseHorizontalRules(&img, levels: levels, shape: shape.turned) || erased
        img.pixels = transposed(img.pixels, width: img.width, height: img.height)
        swap(&img.width, &img.height)
        return erased
    }

    /// Which rules `eraseRules` erases: across the page, down the page, or both.
    struct RuleDirections: OptionSet, Sendable {
        let rawValue: Int
        static let horizontal = RuleDirections(rawValue: 1)
        static let vertical = RuleDirections(rawValue: 2)
    }

    /// What counts as ink, as a rule's lighter edge and as paper on a page.
    struct RuleLevels {
        /// Darker than this is ink (Otsu's threshold).
        var ink: UInt8
        /// Between `ink` and this is a rule's blurred edge, erased with it: a quarter of the way
        /// from paper to ink.
        var edge: UInt8
        /// What an erased pixel becomes: the mean of the pixels lighter than `ink`.
        var paper: UInt8

        init?(_ pixels: [UInt8]) {
            var histogram = [Int](repeating: 0, count: 256)
            for p in pixels { histogram[Int(p)] += 1 }
            let total = pixels.count
            var sumAll = 0.0
            for v in 0..<256 { sumAll += Double(v * histogram[v]) }
            var best = -1.0, threshold = 0, below = 0, sumBelow = 0.0
            for v in 0..<255 {
                below += histogram[v]
                sumBelow += Double(v * histogram[v])
                let above = total - below
                guard below > 0, above > 0 else { continue }
                let m0 = sumBelow / Double(below), m1 = (sumAll - sumBelow) / Double(above)
                let between = Double(below) * Double(above) * (m0 - m1) * (m0 - m1)
                if between > best { best = between; threshold = v + 1 }
            }
            let light = total - histogram[0..<threshold].reduce(0, +)
            guard threshold > 0, light > 0 else { return nil }
            var sumLight = 0.0
            for v in threshold..<256 { sumLight += Double(v * histogram[v]) }
            let paper = Int((sumLight / Double(light)).rounded())
            // A page with no contrast between ink and paper has no rules to find.
            guard paper - threshold >= 32 else { return nil }
            ink = UInt8(threshold)
            edge = UInt8(paper - (paper - threshold) / 4)
            self.paper = UInt8(paper)
        }
    }

    /// The sizes that make a run of ink a rule, at a resolution, for rules across the page; `turned`
    /// gives them for rules down the page (looked for on the transposed page).
    struct RuleShape {
        /// Shortest rule across the page: an inch, longer than a word set in a table's header.
        var minLength: Int
        /// Shortest rule down the page: 0.6 inch, taller than a glyph; a table's rules span its rows.
        var minLengthTurned: Int
        /// Thickest stretch of ink across a rule that is erased.
        var maxThickness: Int
        /// How far a rule's lighter edge is erased beyond its ink.
        var edgeWidth: Int
        /// Lighter pixels a rule may have in a row (JPEG blocks, a scanner's dropouts).
        var maxGap: Int

        init(dpi: Int) {
            minLength = max(24, dpi)
            minLengthTurned = max(16, dpi * 6 / 10)
            maxThickness = max(2, dpi / 30)
            edgeWidth = max(1, dpi / 60)
            maxGap = max(1, dpi / 120)
        }

        var turned: RuleShape {
            var s = self
            swap(&s.minLength, &s.minLengthTurned)
            return s
        }
    }

    /// Erases horizontal rules in three passes over the page:
    /// 1. thin ink: ink whose vertical stretch of ink is at most `maxThickness` tall (a glyph's stems
    ///    are taller, so a word never has thin ink all along it, however bold and long it is);
    /// 2. on a rule: thin ink on a run of thin ink along its row band (the row and the rows beside
    ///    it) at least `minLength` long; a rule crossing it (ink at least `minLengthTurned` tall,
    ///    which no glyph is) does not break the run, so a grid's rules are found across narrow cells;
    /// 3. each thin stretch holding a pixel on a rule is set to paper, with up to `edgeWidth` pixels
    ///    of the rule's lighter edge above and below it.
    private static func eraseHorizontalRules(_ img: inout GrayImage, levels: RuleLevels, shape: RuleShape) -> Bool {
        let w = img.width, h = img.height
        let thin: UInt8 = 1, onRule: UInt8 = 2, crossing: UInt8 = 4
        var flags = [UInt8](repeating: 0, count: w * h)
        var runStart = [Int](repeating: -1, count: w)
        // Column stretches of ink are followed row by row (in memory order) and settled where they end.
        img.pixels.withUnsafeBufferPointer { px in
            flags.withUnsafeMutableBufferPointer { flag in
                for y in 0...h {
                    for x in 0..<w {
                        if y < h, px[y * w + x] < levels.ink {
                            if runStart[x] < 0 { runStart[x] = y }
                            continue
                        }
                        guard runStart[x] >= 0 else { continue }
                        if y - runStart[x] <= shape.maxThickness {
                            for r in runStart[x]..<y { flag[r * w + x] = thin }
                        } else if y - runStart[x] >= shape.minLengthTurned {
                            for r in runStart[x]..<y { flag[r * w + x] = crossing }
                        }
                        runStart[x] = -1
                    }
                }
            }
        }
        var any = false
        flags.withUnsafeMutableBufferPointer { flag in
            /// Marks the thin ink of the row starting at `row` in `first...last`, a run long enough to be a rule.
            func markRun(_ row: Int, _ first: Int, _ last: Int) {
                guard first >= 0, last - first + 1 >= shape.minLength else { return }
                for i in (row + first)...(row + last) where flag[i] & thin != 0 { flag[i] |= onRule }
                any = true
            }
            for y in 0..<h {
                let row = y * w, above = y > 0 ? row - w : row, below = y < h - 1 ? row + w : row
                var start = -1, lastThin = -1
                for x in 0..<w where (flag[row + x] | flag[above + x] | flag[below + x]) & (thin | crossing) != 0 {
                    if start < 0 || x - lastThin - 1 > shape.maxGap {
                        markRun(row, start, lastThin)
                        start = x
                    }
                    lastThin = x
                }
                markRun(row, start, lastThin)
            }
        }
        guard any else { return false }
        var runMarked = [Bool](repeating: false, count: w)
        var erased = false
        img.pixels.withUnsafeMutableBufferPointer { px in
            flags.withUnsafeBufferPointer { flag in
                for y in 0...h {
                    for x in 0..<w {
                        if y < h, flag[y * w + x] & thin != 0 {
                            if runStart[x] < 0 { runStart[x] = y; runMarked[x] = false }
                            if flag[y * w + x] & onRule != 0 { runMarked[x] = true }
                            continue
                        }
                        guard runStart[x] >= 0 else { continue }
                        let first = runStart[x]
                        runStart[x] = -1
                        guard runMarked[x] else { continue }
                        for r in first..<y { px[r * w + x] = levels.paper }
                        // The rule's blurred edge, which is lighter than ink, on either side.
                        var r = first - 1
                        while r >= 0, r >= first - shape.edgeWidth, px[r * w + x] >= levels.ink, px[r * w + x] < levels.edge {
                            px[r * w + x] = levels.paper
                            r -= 1
                        }
                        r = y
                        while r < h, r < y + shape.edgeWidth, px[r * w + x] >= levels.ink, px[r * w + x] < levels.edge {
                            px[r * w + x] = levels.paper
                            r += 1
                        }
                        erased = true
                    }
                }
            }
        }
        return erased
    }

    /// The page turned on its diagonal, so that vertical rules are found as horizontal ones.
    private static func transposed(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width { dst[x * height + y] = src[y * width + x] }
                }
            }
        }
        return out
    }
}
