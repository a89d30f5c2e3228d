/// A rectangle on a page, in the page's own units (PDF points or image pixels), origin top left,
/// y growing downwards. JSON form: `[x0, y0, x1, y1]`.
public struct Box: Hashable, Sendable, Codable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = min(x0, x1)
        self.y0 = min(y0, y1)
        self.x1 = max(x0, x1)
        self.y1 = max(y0, y1)
    }

    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var midX: Double { (x0 + x1) / 2 }
    public var midY: Double { (y0 + y1) / 2 }

    public func union(_ o: Box) -> Box { Box(x0: min(x0, o.x0), y0: min(y0, o.y0), x1: max(x1, o.x1), y1: max(y1, o.y1)) }

    /// Horizontal overlap in units (0 when apart).
    public func xOverlap(_ o: Box) -> Double { max(0, min(x1, o.x1) - max(x0, o.x0)) }
    public func yOverlap(_ o: Box) -> Double { max(0, min(y1, o.y1) - max(y0, o.y0)) }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(x0: try c.decode(Double.self), y0: try c.decode(Double.self), x1: try c.decode(Double.self), y1: try c.decode(Double.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        for v in [x0, y0, x1, y1] { try c.encode((v * 10).rounded() / 10) }
    }
}

/// One word as a reader saw it: its text, where it is, and how sure the reader is (1 for a PDF's
/// own text layer, the OCR engine's confidence for scans).
public struct Word: Hashable, Sendable {
    public var text: String
    public var box: Box
    public var confidence: Double

    public init(text: String, box: Box, confidence: Double = 1) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// Where a page's words came from.
public enum TextSource: String, Hashable, Sendable, Codable {
    /// The PDF's text layer.
    case text
    /// Optical character recognition of an image.
    case ocr
}

/// The words of one page: what every reader produces and the extractor consumes.
public struct PageText: Hashable, Sendable {
    /// 1-based.
    public var number: Int
    public var width: Double
    public var height: Double
    public var source: TextSource
    public var words: [Word]
    /// Another OCR reading of the same page (another model, or another threshold), in the same
    /// units, when the reader made one. Two readings slip in different places: the extractor takes
    /// from this one what its cross-checks favour (`ReadingChoice`). Nil for text layers.
    public var secondReading: [Word]?

    public init(number: Int, width: Double, height: Double, source: TextSource, words: [Word], secondReading: [Word]? = nil) {
        self.number = number
        self.width = width
        self.height = height
        self.source = source
        self.words = words
        self.secondReading = secondReading
    }
}

/// Words on one visual line, left to right.
struct TextLine {
    var page: Int
    var words: [Word]
    var box: Box

    var text: String { words.map(\.text).joined(separator: " ") }
    /// The typical word height on this line: the unit for gaps.
    var em: Double {
        let hs = words.map(\.box.height).sorted()
        return max(1, hs[hs.count / 2])
    }
    var confidence: Double { words.map(\.confidence).min() ?? 1 }

    /// Splits the line where the gap between two words is wider than `factor` em.
    func segments(factor: Double = 1.1) -> [Segment] {
        var out: [Segment] = []
        var current: [Word] = []
        let limit = em * factor
        for w in words {
            if let last = current.last, w.box.x0 - last.box.x1 > limit {
                out.append(Segment(page: page, words: current))
                current = []
            }
            current.append(w)
        }
        if !current.isEmpty { out.append(Segment(page: page, words: current)) }
        return out
    }
}

/// Words that belong together on a line (a label, a value, a table cell).
struct Segment {
    var page: Int
    var words: [Word]
    var text: String { words.map(\.text).joined(separator: " ") }
    var box: Box { words.dropFirst().reduce(words[0].box) { $0.union($1.box) } }
    var confidence: Double { words.map(\.confidence).min() ?? 1 }
    /// The segment's own typical word height: a letterhead's name read on one line with a small
    /// telephone number beside it is still set large.
    var em: Double {
        let hs = words.map(\.box.height).sorted()
        return max(1, hs[(hs.count - 1) / 2])
    }
}

enum Layout {
    /// Groups a page's words into lines: a word joins the line whose vertical span it overlaps by
    /// more than half of the smaller height; lines come out top to bottom.
    static func lines(_ page: PageText) -> [TextLine] {
        // OCR reads specks of noise as `|`, `“` or `°`: words without a letter or digit (bar the
        // currency signs and the `&` of names such as `Hearth & Home Goods Ltd`) and words of one
        // character read with very low confidence are left out.
        // A word of two letters or digits or more stays whatever its confidence: Tesseract gives
        // 0 to words it read right (`Description`, `Total`, `INV-2022` on 72 DPI scans), and
        // dropping them lost whole tables.
        let words = page.words.filter { w in
            !w.text.isEmpty && w.box.height > 0
                && (w.confidence >= 1 || (w.confidence >= 0.3 && (w.text.contains { $0.isLetter || $0.isNumber } || ["€", "$", "£", "₹", "&"].contains(w.text)))
                    || w.text.filter { $0.isLetter || $0.isNumber }.count >= 2)
        }.sorted { $0.box.midY < $1.box.midY }
        var lines: [TextLine] = []
        var open: [Int] = []  // indexes of lines still near the current y
        for w in words {
            var best: Int?
            var bestOverlap = 0.0
            for i in open {
                let l = lines[i]
                let core = Box(x0: l.box.x0, y0: l.box.midY - l.em / 2, x1: l.box.x1, y1: l.box.midY + l.em / 2)
                let ov = core.yOverlap(w.box) / max(1e-6, min(l.em, w.box.height))
                // A word on the same line never overlaps a word already there horizontally.
                if ov > 0.5, ov > bestOverlap, !l.words.contains(where: { $0.box.xOverlap(w.box) > 0.3 * min($0.box.width, w.box.width) }) {
                    best = i
                    bestOverlap = ov
                }
            }
            if let i = best {
                lines[i].words.append(w)
                lines[i].box = lines[i].box.union(w.box)
            } else {
                lines.append(TextLine(page: page.number, words: [w], box: w.box))
                open.append(lines.count - 1)
            }
            open.removeAll { lines[$0].box.y1 < w.box.y0 - 2 * w.box.height }
        }
        for i in lines.indices { lines[i].words.sort { $0.box.x0 < $1.box.x0 } }
        return lines.sorted { $0.box.midY < $1.box.midY }
    }
}
