import Foundation

/// A table cell whose reading the extractor doubts, or the line where a field the document needs
/// would be, with the box to read it again from.
public struct DoubtedCell: Hashable, Sendable {
    public var page: Int
    /// The table line, counted from 0 across the document; nil for a field of the document's own
    /// (its label's line, `Run.missingFieldLines`).
    public var line: Int?
    /// `quantity`, `unit_price`, `line_total`, `unit` or `hs_code`; or a required field of the
    /// document (`invoice_number`, `seller_name`, …) at its label, or `label`: a label no table
    /// knows, where a required field whose label was not read may be.
    public var field: String
    /// Where the cell is, or would be, in the page's units.
    public var box: Box

    public init(page: Int, line: Int?, field: String, box: Box) {
        self.page = page
        self.line = line
        self.field = field
        self.box = box
    }
}

/// The cells of a page read once (in its own language) that a second reading should look at again:
/// a German, French or Dutch page read once lost the numbers its English reading used to give
/// `ReadingChoice` (`invoice-fr-grid-v193`'s quantity 150, `invoice-de-boxed-v9`'s HS code), and
/// reading the whole page in English again cost a fifth of a scan's CPU. Reading only these cells
/// again gives the choice the same numbers for a few single lines (`docs/benchmarks.md`, s33-scans).
/// The same holds for a field the kind requires: the English reading gave `invoice-nl-classic-v17`
/// its invoice number, which the Dutch one misread; its label's line is read again (s34-scans).
extension Extractor {
    /// The cells a line's arithmetic or a missing cell puts in doubt, as the words say them (before
    /// the cross-checks repair anything, as `ReadingChoice` sees them):
    /// - a line whose quantity × unit price ≠ line total: its three amounts;
    /// - a line that has at least two of its three amounts and misses a quantity, unit price, line
    ///   total, unit or HS code that another line of its page has: that cell, in the column the other
    ///   lines show, on the line's row; and its amounts when one is missing (one may be misread too);
    /// - a field the document's kind requires that the reading did not find: the line of its label
    ///   (`Run.missingFieldLines`).
    public func doubtedCells(_ pages: [PageText]) -> [DoubtedCell] {
        var run = Run(pages: pages.map { Self.withoutRuleMarks(Self.splittingAtLabelColons($0)) }, templates: templates)
        run.read()
        return Self.doubtedCells(lines: run.doc.lines, evidence: run.lineEvidence, cells: run.lineCells) + run.missingFieldLines()
    }

    static let doubtedAmounts = ["quantity", "unit_price", "line_total"]
    static let doubtedCodes = ["unit", "hs_code"]

    static func doubtedCells(lines: [DocumentLine], evidence: [[String: Evidence]], cells: [[String: Evidence]]) -> [DoubtedCell] {
        guard lines.count == evidence.count, lines.count == cells.count else { return [] }
        func value(_ l: DocumentLine, _ key: String) -> String? {
            switch key {
            case "quantity": l.quantity
            case "unit_price": l.unitPrice
            case "line_total": l.lineTotal
            case "unit": l.unit
            case "hs_code": l.hsCode
            default: nil
            }
        }
        func box(_ i: Int, _ key: String) -> Evidence? { cells[i][key] ?? evidence[i][key] }
        var out: [DoubtedCell] = []
        for i in lines.indices {
            let l = lines[i]
            // The row: its number and code cells (a description may wrap onto lines under it).
            let rowCells = (doubtedAmounts + doubtedCodes + ["origin_country"]).compactMap { box(i, $0) }
            guard let page = rowCells.first?.page, let row = rowCells.dropFirst().reduce(rowCells.first?.box, { $0?.union($1.box) }) else { continue }
            let present = doubtedAmounts.filter { value(l, $0) != nil }
            guard present.count >= 2 else { continue }
            /// The column of `key` as the page's other lines show it, on this line's row.
            func inColumn(_ key: String) -> Box? {
                let others = lines.indices.filter { $0 != i && value(lines[$0], key) != nil }.compactMap { box($0, key) }.filter { $0.page == page }
                guard let first = others.first else { return nil }
                let x = others.dropFirst().reduce(first.box) { $0.union($1.box) }
                return Box(x0: x.x0, y0: row.y0, x1: x.x1, y1: row.y1)
            }
            var doubted: [(String, Box)] = []
            for key in doubtedAmounts + doubtedCodes where value(l, key) == nil {
                if let b = inColumn(key) { doubted.append((key, b)) }
            }
            let missingAmount = doubted.contains { doubtedAmounts.contains($0.0) }
            if missingAmount || (present.count == 3 && !Run.holds(l)) {
                for key in present {
                    guard let own = box(i, key)?.box else { continue }
                    let column = inColumn(key)
                    doubted.append((key, column.map { Box(x0: min(own.x0, $0.x0), y0: own.y0, x1: max(own.x1, $0.x1), y1: own.y1) } ?? own))
                }
            }
            out += doubted.map { DoubtedCell(page: page, line: i, field: $0.0, box: $0.1) }
        }
        return out
    }

    /// The doubted cells of each table line joined into one box (their row, from the first doubted
    /// cell to the last), in the order of the lines: a cell read alone as a line gave the engine too
    /// little to go on (`150` beside a cell wall read as `“BOT`), the row's cells together read
    /// right. A required field's line is a row of its own.
    public static func doubtedRows(_ cells: [DoubtedCell]) -> [Box] {
        var rows: [(page: Int, line: Int?, box: Box)] = []
        for c in cells {
            if c.line != nil, let k = rows.firstIndex(where: { $0.page == c.page && $0.line == c.line }) { rows[k].box = rows[k].box.union(c.box) }
            else { rows.append((c.page, c.line, c.box)) }
        }
        return rows.map(\.box)
    }

    /// `words` with each cell's words (those centred in its box) replaced by the cell's new reading:
    /// the page as a second reading, for `ReadingChoice` to take what its cross-checks favour. A cell
    /// read as nothing keeps its words; new words without a letter or digit are dropped.
    public static func withCellsReadAgain(_ words: [Word], _ cells: [(box: Box, words: [Word])]) -> [Word] {
        func inside(_ w: Word, _ b: Box) -> Bool { w.box.midX >= b.x0 && w.box.midX <= b.x1 && w.box.midY >= b.y0 && w.box.midY <= b.y1 }
        var replaced: [Box] = []
        var added: [Word] = []
        for cell in cells {
            let read = cell.words.filter { $0.text.contains { $0.isLetter || $0.isNumber } }
            guard !read.isEmpty else { continue }
            replaced.append(cell.box)
            // Two cells' boxes may overlap (an amount's box widened to its column): the same ink once.
            added += read.filter { w in !added.contains { inside(w, $0.box) } }
        }
        return words.filter { w in !replaced.contains { inside(w, $0) } } + added
    }
}

extension Run {
    /// The lines to read again for the fields the kind requires (`requiredFields`) that the reading
    /// did not find:
    /// - where the field's label was read: the first line outside the tables that starts a segment
    ///   with it, from the label to the page's right edge (its value beside it); and the line under
    ///   it when nothing stands right of the label (a value under its label) or the field is a
    ///   party (its name under `Seller`, `Koper`);
    /// - where no line has its label: the lines above the page's table with a label no table of
    ///   labels knows (a word ending in a colon among a segment's first three, letters before it),
    ///   where a misread label would be: `invoice-nl-classic-v17`'s `Factuurnummer:` read by the
    ///   Dutch model as `Factuumummer:`, its number read right beside it.
    func missingFieldLines() -> [DoubtedCell] {
        let missing = Self.requiredFields(doc.kind).filter { doc[keyPath: $0.0] == nil }.map(\.1)
        guard !missing.isEmpty else { return [] }
        let parties = ["seller_name": sellerLabels, "buyer_name": buyerLabels]
        func right(_ line: TextLine) -> Double { max(pages.first { $0.number == line.page }.map(\.width) ?? 0, line.box.x1) }
        var out: [DoubtedCell] = []
        var unplaced = false
        for field in missing {
            guard let phrases = parties[field] ?? labels.first(where: { $0.field == field })?.phrases else { continue }
            let table = [(field: field, phrases: phrases)]
            var placed = false
            search: for (i, line) in lines.enumerated() where !tableLines.contains(i) {
                for seg in line.segments().flatMap({ Self.splitAtInlineLabels($0, labels) }) {
                    guard let (_, rest, _) = Self.label(seg.words, in: table) else { continue }
                    func row(_ l: TextLine) -> Box { Box(x0: seg.box.x0, y0: l.box.y0, x1: right(l), y1: l.box.y1) }
                    out.append(DoubtedCell(page: line.page, line: nil, field: field, box: row(line)))
                    let alone = rest.isEmpty && !line.words.contains { $0.box.x0 > seg.box.x1 }
                    if alone || parties[field] != nil && rest.isEmpty, i + 1 < lines.count, !tableLines.contains(i + 1),
                       lines[i + 1].page == line.page, lines[i + 1].box.y0 - line.box.y1 < 1.5 * line.em {
                        out.append(DoubtedCell(page: line.page, line: nil, field: field, box: row(lines[i + 1])))
                    }
                    placed = true
                    break search
                }
            }
            if !placed { unplaced = true }
        }
        guard unplaced else { return out }
        let known = labels + [("seller", sellerLabels), ("buyer", buyerLabels)] + totalLabels
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            // Above the page's first table line: a label below it is the totals' or a footer's.
            if let top = tableLines.filter({ lines[$0].page == line.page }).map({ lines[$0].box.y0 }).min(), line.box.y0 >= top { continue }
            for seg in line.segments() {
                guard let colon = seg.words.prefix(3).firstIndex(where: { $0.text.hasSuffix(":") }),
                      seg.words[...colon].allSatisfy({ $0.text.dropLast($0.text.hasSuffix(":") ? 1 : 0).contains(where: \.isLetter) && !$0.text.contains(where: \.isNumber) }),
                      Self.label(seg.words, in: known) == nil else { continue }
                out.append(DoubtedCell(page: line.page, line: nil, field: "label", box: Box(x0: seg.box.x0, y0: line.box.y0, x1: right(line), y1: line.box.y1)))
                break
            }
        }
        return out
    }
}
