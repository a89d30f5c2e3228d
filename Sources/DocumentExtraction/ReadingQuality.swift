import Foundation

/// How well a reading of a document's pages reads, by what the extractor makes of it: whether the
/// kind is known, which of its required fields are found, how many table lines there are and how
/// many of them make quantity × unit price = line total, and whether the lines add up to the total.
///
/// An OCR reader uses it to tell a page that read badly from one that did not (`isPoor`), where the
/// engine's own confidence cannot: a scan read at the wrong resolution can come back with words the
/// engine is sure of and still lose its table header and its labels. The same measure then chooses
/// between two readings of the page (`isBetter(than:)`).
public struct ReadingQuality: Hashable, Sendable {
    public var kind: DocumentKind
    /// The fields the kind requires (`Run.requiredFields`) that the reading found, and those it did not.
    public var requiredFound: Int
    public var requiredMissing: Int
    public var lines: Int
    /// Lines whose quantity × unit price = line total, to the cent.
    public var linesHolding: Int
    /// An invoice whose line totals add up to its total (or to the total less tax and shipping).
    public var totalMatches: Bool
    /// The table lines' cells read: quantity, unit, unit price, line total, HS code and origin.
    public var cellsRead: Int

    public init(kind: DocumentKind, requiredFound: Int, requiredMissing: Int, lines: Int, linesHolding: Int, totalMatches: Bool, cellsRead: Int = 0) {
        self.kind = kind
        self.requiredFound = requiredFound
        self.requiredMissing = requiredMissing
        self.lines = lines
        self.linesHolding = linesHolding
        self.totalMatches = totalMatches
        self.cellsRead = cellsRead
    }

    /// The measure of a document as extracted.
    public init(_ d: ExtractedDocument) {
        let required = Run.requiredFields(d.kind)
        let found = required.filter { d[keyPath: $0.0] != nil }.count
        self.init(kind: d.kind, requiredFound: found, requiredMissing: required.count - found, lines: d.lines.count,
                  linesHolding: d.lines.filter(Run.holds).count, totalMatches: Self.totalMatches(d),
                  cellsRead: d.lines.map { l in [l.quantity, l.unit, l.unitPrice, l.lineTotal, l.hsCode, l.originCountry].filter { $0 != nil }.count }.reduce(0, +))
    }

    static func totalMatches(_ d: ExtractedDocument) -> Bool {
        let posix = Locale(identifier: "en_US_POSIX")
        func number(_ s: String?) -> Decimal? { s.flatMap { Decimal(string: $0, locale: posix) } }
        guard d.kind == .invoice, !d.lines.isEmpty, let total = number(d.total) else { return false }
        let sum = d.lines.compactMap { number($0.lineTotal) }.reduce(0, +)
        let tolerance = Decimal(string: "0.011")! * Decimal(d.lines.count)
        let net = total - (number(d.tax) ?? 0) - d.charges
        return abs(sum - total) <= tolerance || abs(sum - net) <= tolerance
    }

    /// A reading that lost what a document of its kind always shows: the kind itself, its table,
    /// a certificate's or packing list's parties, two of an invoice's required fields, or the
    /// arithmetic of most of an invoice's lines when they do not add up to its total either. One
    /// invoice field missing alone is not poor: many invoices print no currency code or no buyer's
    /// label, and re-reading them found nothing more (`docs/benchmarks.md`, session 17). Such a
    /// page is worth reading again (`ReadLimits.secondOCRDPI`).
    public var isPoor: Bool {
        switch kind {
        case .unknown: true
        case .certificate: requiredMissing > 0
        case .packingList: requiredMissing > 0 || lines == 0
        case .invoice: requiredMissing > 1 || lines == 0 || (!totalMatches && linesHolding * 2 < lines)
        }
    }

    /// One number for comparing readings of the same page: each required field found, each line, each
    /// line whose arithmetic holds and a total that matches count one; a known kind counts one.
    public var score: Int {
        (kind == .unknown ? 0 : 1) + requiredFound + lines + linesHolding + (totalMatches ? 1 : 0)
    }

    /// Strictly more to show: on a tie the reading already in hand stays.
    public func isBetter(than other: ReadingQuality) -> Bool { score > other.score }
}

extension Extractor {
    /// What the extractor makes of these pages (with their second readings), as a `ReadingQuality`.
    public func quality(_ pages: [PageText]) -> ReadingQuality {
        ReadingQuality(extract(pages).document)
    }
}
