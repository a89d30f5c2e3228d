import CustomsModel
import Foundation
import Synchronization

/// Reads commercial invoices, packing lists and certificates of origin from word boxes.
///
/// Nothing here knows a layout: key-value pairs come from label words in four languages and the
/// value beside or below them; tables from a header line (column headers matched in four
/// languages) and the horizontal alignment of the words under it; totals from their labels. Every
/// value keeps the page, box and confidence of the words it came from. Cross-checks (quantity ×
/// unit price = line total, lines add up to the total) raise confidence when they hold and
/// become problems when they do not.
/// How many extractions were made (not reused) while bound as `Extractor.tally`.
public final class ExtractionTally: Sendable {
    fileprivate let count = Atomic<Int>(0)
    public init() {}
    public var made: Int { count.load(ordering: .relaxed) }
}

public struct Extractor: Sendable {
    /// Fields below this confidence send the draft to review.
    public var reviewThreshold: Double
    /// Supplier templates (`SupplierTemplate`): the first whose supplier the document shows refines the reading.
    public var templates: [SupplierTemplate]

    public init(reviewThreshold: Double = 0.6, templates: [SupplierTemplate] = []) {
        self.reviewThreshold = reviewThreshold
        self.templates = templates
    }

    public func extract(_ pages: [PageText]) -> Extraction {
        if let made = Self.lastMade.withLock({ $0 }), made.pages == pages, made.templates == templates, made.reviewThreshold == reviewThreshold {
            return made.extraction
        }
        let extraction = extracting(pages)
        Self.tally?.count.add(1, ordering: .relaxed)
        Self.lastMade.withLock { $0 = (pages, templates, reviewThreshold, extraction) }
        return extraction
    }

    /// Drops the last extraction made, so that the next `extract` of the same pages makes it again.
    /// A reading that starts afresh (`AnyDocumentReader.reading`) calls it: reused across readings,
    /// the extraction of a document read N times was made once (`extract-bench --repeat N` counted
    /// poppler's reading N times and the extraction once).
    public static func forgetLastExtraction() {
        lastMade.withLock { $0 = nil }
    }

    /// Counts the extractions made, not reused, by this task while it is bound (`$tally.withValue`):
    /// a benchmark checks with it that N readings made N extractions.
    @TaskLocal public static var tally: ExtractionTally?

    /// The last extraction made, with what it was made from. A scan's reader extracts the pages it
    /// read to judge them (`ReadingQuality`, the second resolution); most pages read well once, and
    /// their caller then asks for the same extraction again: it cost about a twentieth of a scan's CPU
    /// (`docs/benchmarks.md`, s28-scans).
    private static let lastMade = Mutex<(pages: [PageText], templates: [SupplierTemplate], reviewThreshold: Double, extraction: Extraction)?>(nil)

    private func extracting(_ pages: [PageText]) -> Extraction {
        var run = Run(pages: pages.map { Self.withoutRuleMarks(Self.splittingAtLabelColons($0)) }, templates: templates)
        if pages.contains(where: { $0.secondReading != nil }) {
            // The pages as their second reading saw them, read the same way, for `ReadingChoice`.
            let again = pages.map { p in PageText(number: p.number, width: p.width, height: p.height, source: p.source, words: p.secondReading ?? p.words) }
            var other = Run(pages: again.map { Self.withoutRuleMarks(Self.splittingAtLabelColons($0)) }, templates: templates)
            other.read()
            run.secondReading = other
        }
        run.go()
        var problems = run.problems
        for f in run.fields where f.confidence < reviewThreshold {
            problems.append(ExtractionProblem(
                code: "low_confidence", message: "\(f.name) read with confidence \(String(format: "%.2f", f.confidence))", field: f.name,
                severity: .warning))
        }
        let order = DraftOrder.from(run.doc)
        let info = pages.map { PageInfo(number: $0.number, width: $0.width, height: $0.height, source: $0.source, words: $0.words.count) }
        let template = run.template.map { t, words in TemplateMatch(source: t.source, supplier: t.supplier, matched: words.text, page: words.page) }
        return Extraction(document: run.doc, order: order, fields: run.fields, problems: problems, pages: info,
                          needsReview: !problems.isEmpty, template: template)
    }
}

extension Extractor {
    /// Marks OCR reads from table rules, cell walls and specks at the edge of a word (`VN|`,
    /// `[pcs`, `‘Camping`, `_2.157,60`), never from the text layer of a PDF.
    static let ruleMarks: Set<Character> = ["|", "[", "]", "‘", "’", "“", "”", "_", "—", "~", "«", "»", "©", "°", "¦", "{", "}"]

    /// Cell walls OCR reads inside a word, where a rule runs between two cells printed close
    /// together (`9404400000|CN`, `150]pak`).
    static let walls: Set<Character> = ["|", "[", "]", "{", "}", "¦"]

    /// A word split at the cell walls inside it, each part with its share of the box (by characters).
    static func splitAtWalls(_ w: Word) -> [Word] {
        let chars = Array(w.text)
        // A slash after six digits or more is a wall too (`9404400000/CN`); elsewhere it is text (`w/o`).
        func wall(_ i: Int) -> Bool {
            walls.contains(chars[i]) || chars[i] == "/" && i >= 6 && chars[(i - 6)..<i].allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard chars.count > 2, (1..<(chars.count - 1)).contains(where: wall) else { return [w] }
        var out: [Word] = []
        var start = 0
        let step = w.box.width / Double(chars.count)
        for i in 0...chars.count where i == chars.count || wall(i) {
            if i > start {
                var part = w
                part.text = String(chars[start..<i])
                part.box = Box(x0: w.box.x0 + Double(start) * step, y0: w.box.y0, x1: w.box.x0 + Double(i) * step, y1: w.box.y1)
                out.append(part)
            }
            start = i + 1
        }
        return out.isEmpty ? [w] : out
    }

    /// A page with every word that runs a label into its value through a colon split after the
    /// colon (`Leveringsvoorwaarden:CIP`: a long label printed up to its value's column leaves no
    /// space in the text layer; OCR does the same, `Schwarzwald:Uhren`). The part before the colon
    /// has two letters or more and no digit (`12:30` stays), the part after starts with a letter or digit.
    static func splittingAtLabelColons(_ page: PageText) -> PageText {
        guard page.words.contains(where: { $0.text.contains(":") }) else { return page }
        var p = page
        p.words = page.words.flatMap { w -> [Word] in
            let chars = Array(w.text)
            guard let c = chars.firstIndex(of: ":"), c + 1 < chars.count, chars[c + 1].isLetter || chars[c + 1].isNumber,
                  chars[..<c].filter(\.isLetter).count >= 2, !chars[..<c].contains(where: \.isNumber) else { return [w] }
            let step = w.box.width / Double(chars.count)
            var a = w, b = w
            a.text = String(chars[...c])
            b.text = String(chars[(c + 1)...])
            a.box = Box(x0: w.box.x0, y0: w.box.y0, x1: w.box.x0 + Double(c + 1) * step, y1: w.box.y1)
            b.box = Box(x0: a.box.x1, y0: w.box.y0, x1: w.box.x1, y1: w.box.y1)
            return [a, b]
        }
        return p
    }

    /// An OCR page with rule marks trimmed off its words' edges, and words that were only marks
    /// (or other punctuation alone, such as a lone `-` or `:` floating in a cell) dropped.
    static func withoutRuleMarks(_ page: PageText) -> PageText {
        guard page.source == .ocr else {
            guard page.words.count > 1 else { return page }
            var p = page
            p.words = joiningLoneCapitals(page.words, smallCapitals: true)
            return p
        }
        var p = page
        p.words = page.words.flatMap(splitAtWalls).compactMap { w in
            var t = Substring(w.text)
            while let f = t.first, ruleMarks.contains(f) { t = t.dropFirst() }
            while let l = t.last, ruleMarks.contains(l) { t = t.dropLast() }
            guard t.contains(where: { $0.isLetter || $0.isNumber || "€$£₹¥%#&+/".contains($0) }) else { return nil }
            var out = w
            out.text = String(t)
            return out
        }
        p.words = joiningLoneCapitals(p.words)
        return p
    }

    /// Words with a lone capital that OCR set apart from the rest of its word joined to it again
    /// (`J ura` for `Jura`, `P lantenbak`): a consonant capital (a vowel may be a word of its own:
    /// `A`, `I`, `Y`, `U`) followed on the same line, closer than half its height, by a word that
    /// starts with a small letter.
    /// In a text layer (`smallCapitals`), a name set in small capitals, whose capitals are set in a
    /// larger size and so split off (`S oieries B ellecour`): a capital, vowel or not, taller than
    /// the small letters after it and all but touching them.
    static func joiningLoneCapitals(_ words: [Word], smallCapitals: Bool = false) -> [Word] {
        var out: [Word] = []
        out.reserveCapacity(words.count)
        var k = 0
        while k < words.count {
            let w = words[k]
            if k + 1 < words.count, w.text.count == 1, let c = w.text.first, c.isUppercase, smallCapitals || !"AEIOUYÀÉ".contains(c),
               let n = words[k + 1].text.first, n.isLetter, n.isLowercase {
                let next = words[k + 1]
                let gap = next.box.x0 - w.box.x1
                let close = smallCapitals ? gap < 0.1 * w.box.height && w.box.height > 1.15 * next.box.height : gap < 0.5 * w.box.height
                if gap > -1, close, w.box.yOverlap(next.box) >= 0.5 * min(w.box.height, next.box.height) {
                    var joined = next
                    joined.text = w.text + next.text
                    joined.box = w.box.union(next.box)
                    joined.confidence = min(w.confidence, next.confidence)
                    out.append(joined)
                    k += 2
                    continue
                }
            }
            out.append(w)
            k += 1
        }
        return out
    }
}

/// A value with its evidence, before it becomes a `Field`.
struct Evidence {
    var text: String
    var page: Int
    var box: Box
    var confidence: Double
    init(_ s: Segment, confidence factor: Double = 1) {
        text = s.text
        page = s.page
        box = s.box
        confidence = s.confidence * factor
    }
    init(words: [Word], page: Int) {
        self.init(Segment(page: page, words: words))
    }
}

struct TableHeader {
    var column: Column
    var box: Box
    var text: String
}

struct Run {
    let pages: [PageText]
    var lines: [TextLine] = []
    var doc = ExtractedDocument()
    var fields: [Field] = []
    /// The invoice date as printed, read again month first once the seller is known to be American.
    var dateText: String?
    var problems: [ExtractionProblem] = []
    /// Lines that belong to a table (headers and rows): not searched for labels.
    var tableLines = Set<Int>()
    /// Sums printed in a packing list's table under its columns (`readColumnTotals`).
    var columnTotals: [(field: String, value: Decimal, evidence: Evidence, repaired: Bool)] = []
    /// Whether a packages column numbered its packages (`1 - 4`, `5 - 7`, `8`) rather than counted them.
    var numberedPackages = false
    /// The lines whose packages cell held one plain number, and its evidence: one package each where the column numbers them.
    var singlePackageNumbers: [(line: Int, evidence: Evidence)] = []
    var mark: DecimalMark = .point
    var lineEvidence: [[String: Evidence]] = []
    /// Each line's article number as printed (`BT-ACC-500`), for a statement that names a line by it.
    var lineReferences: [String?] = []
    /// The cells of quantity, unit price, line total and origin as OCR read them, numbers or codes
    /// or not: what an amount that breaks the line's arithmetic may be repaired from
    /// (`repairedAmount`), and an origin that reads as no country (`repairOriginCells`).
    var lineCells: [[String: Evidence]] = []
    /// A discount on the whole invoice printed under the goods, for the totals' check only.
    var documentDiscount: Decimal?
    /// Each line's printed discount, a rate (`10 %`) or an amount, for the line's arithmetic only:
    /// `rate` when its cell prints `%`; without one (`15,0` under `Rabatt %`) it may be either.
    var lineDiscounts: [(rate: Bool, value: Decimal)?] = []
    var tableBottom: [Int: Double] = [:]
    /// Sums on a table's total row under a column that is not read (`Amount (INR)` beside
    /// `Amount (USD)`): never the document's total.
    var unreadTotals: [Int: [Box]] = [:]
    /// A table's total row whose amount wrapped onto the line under it, by the total's line.
    var amountBelowTotal: [Int: [Word]] = [:]
    let templates: [SupplierTemplate]
    /// The supplier template in use, and the words that matched it.
    var template: (SupplierTemplate, Evidence)?
    // The words of the four languages, plus the template's.
    var labels = Lexicon.labels
    var sellerLabels = Lexicon.sellerLabels
    var buyerLabels = Lexicon.buyerLabels
    var totalLabels = Lexicon.totalLabels.map { (field: $0.kind, phrases: $0.phrases) }
    var headerWords = Lexicon.headers
    /// Every word of `headerWords`' phrases.
    var headerTokens = Run.headerVocabulary

    /// Pages read by OCR: the slips of a scan are forgiven there only, never in a text layer.
    let ocrPages: Set<Int>
    /// The same pages' second OCR reading, read (not checked), when the reader made one.
    var secondReading: Run? { get { second.first } set { second = newValue.map { [$0] } ?? [] } }
    private var second: [Run] = []

    init(pages: [PageText], templates: [SupplierTemplate] = []) {
        self.pages = pages
        self.templates = templates
        ocrPages = Set(pages.filter { $0.source == .ocr }.map(\.number))
    }

    /// Finds the supplier's template and adds its words to the lexicon of this run.
    mutating func applyTemplate() {
        guard let first = pages.first?.number else { return }
        for t in templates {
            guard let words = t.matches(lines, firstPage: first) else { continue }
            template = (t, Evidence(words: words, page: first))
            for (field, phrases) in t.labels {
                if field == "seller" { sellerLabels += phrases }
                else if field == "buyer" { buyerLabels += phrases }
                else if let k = labels.firstIndex(where: { $0.field == field }) { labels[k].phrases += phrases }
                else if let k = totalLabels.firstIndex(where: { $0.field == field }) { totalLabels[k].phrases += phrases }
            }
            for (column, phrases) in t.columns {
                if let k = headerWords.firstIndex(where: { $0.column == column }) { headerWords[k].phrases += phrases }
                for p in phrases { headerTokens.formUnion(p.split(separator: " ").map(String.init)) }
            }
            return
        }
    }

    /// The template's regions (they win over what the generic reader found) and defaults (for what
    /// is still missing).
    mutating func readTemplateRegions() {
        guard let (t, matched) = template else { return }
        for (field, region) in t.regions.sorted(by: { $0.key < $1.key }) {
            guard let page = pages.first(where: { $0.number == region.page }) else { continue }
            let area = Box(x0: region.box.x0 * page.width, y0: region.box.y0 * page.height, x1: region.box.x1 * page.width, y1: region.box.y1 * page.height)
            // Words whose centre lies in the region, in reading order.
            let inside = lines.filter { $0.page == page.number }.flatMap { line in
                line.words.filter { w in
                    let cx = (w.box.x0 + w.box.x1) / 2, cy = (w.box.y0 + w.box.y1) / 2
                    return cx >= area.x0 && cx <= area.x1 && cy >= area.y0 && cy <= area.y1
                }
            }
            guard !inside.isEmpty else { continue }
            let e = Evidence(words: inside, page: page.number)
            let before = fields
            let saved = doc
            fields.removeAll { $0.name == field }
            var ok: Bool
            switch field {
            case "seller_name":
                doc.sellerName = e.text
                set("seller_name", e.text, e)
                ok = true
            case "buyer_name":
                doc.buyerName = e.text
                set("buyer_name", e.text, e)
                ok = true
            case "total":
                ok = false
                if let (v, repaired) = Values.number(e.text, mark: mark) {
                    doc.total = Values.plain(v)
                    set("total", doc.total!, e, factor: repaired ? 0.7 : 1)
                    ok = true
                }
            default:
                // A label inside the region is not part of the value.
                var value = e
                if let (_, rest, _) = Self.label(inside, in: labels), !rest.isEmpty { value = Evidence(words: rest, page: page.number) }
                ok = accept(field, value)
            }
            if !ok { fields = before; doc = saved }
        }
        func fill(_ name: String, _ present: Bool, _ apply: (inout ExtractedDocument, String) -> Void) {
            guard !present, let v = t.defaults[name] else { return }
            apply(&doc, v)
            set(name, v, matched, factor: 0.9)
        }
        fill("currency", doc.currency != nil) { $0.currency = $1 }
        fill("incoterm", doc.incoterm != nil) { $0.incoterm = $1 }
        fill("seller_name", doc.sellerName != nil) { $0.sellerName = $1 }
        if doc.kind == .certificate { fill("country_of_origin", doc.countryOfOrigin != nil) { $0.countryOfOrigin = $1 } }
    }

    mutating func set(_ name: String, _ value: String, _ ev: Evidence, factor: Double = 1) {
        fields.append(Field(name: name, value: value, confidence: min(1, max(0, ev.confidence * factor)), page: ev.page, box: ev.box))
    }

    mutating func go() {
        read()
        guard !lines.isEmpty else { return }
        if let other = secondReading { chooseReadings(other) }
        check()
    }

    /// A line's words for deciding the decimal mark, with a number grouped by spaces (`32 880,000`,
    /// one word per group on the page) joined back into one text.
    static func numberTexts(_ line: TextLine) -> [String] {
        var out: [String] = []
        for (i, w) in line.words.enumerated() {
            let groupBefore = out.last?.split(separator: " ").last.map { (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) } ?? false
            if i > 0, groupBefore, w.box.x0 - line.words[i - 1].box.x1 < line.em * 0.6, w.text.prefix(while: \.isNumber).count == 3,
               w.text.count == 3 || [",", "."].contains(w.text.dropFirst(3).first) {
                out[out.count - 1] += " " + w.text
            } else {
                out.append(w.text)
            }
        }
        return out
    }

    /// Everything but the cross-checks: the document as the words say it.
    mutating func read() {
        for p in pages { lines += Layout.lines(p) }
        guard !lines.isEmpty else {
            problems.append(ExtractionProblem(code: "no_text", message: "no words were found on any page"))
            return
        }
        mark = Values.decimalMark(of: lines.flatMap(Self.numberTexts))
        doc.kind = kind()
        if doc.kind == .packingList {
            // On a packing list a net or gross total is a weight (`Totaal netto: 535,5 kg`).
            for (field, phrases) in Lexicon.packingWeightTotals {
                if let k = totalLabels.firstIndex(where: { $0.field == field }) { totalLabels[k].phrases += phrases }
            }
            if let k = labels.firstIndex(where: { $0.field == "invoice_number" }) { labels[k].phrases += Lexicon.packingListNumbers }
        }
        applyTemplate()
        readTables()
        readListedLines()
        readItemBlocks()
        readKeyValues()
        readParties()
        readTotals()
        packagesInSentence()
        readTemplateRegions()
        incotermInSentence()
        readStatement()
        readMovementCertificate()
        originInSentence()
        inferCurrency()
        americanDate()
    }

    /// The seller's country, from its address (a country line, or an American or Canadian city line).
    var sellerCountry: CountryCode? { doc.sellerAddress.flatMap { Values.country(ofAddress: $0) } }

    /// An American seller writes `12/03/26` for 3 December; the date was read day first before the
    /// seller's address was known.
    mutating func americanDate() {
        guard let text = dateText, sellerCountry == "US", let us = Values.date(text, monthFirst: true), us != doc.invoiceDate,
              let k = fields.lastIndex(where: { $0.name == "invoice_date" }) else { return }
        doc.invoiceDate = us
        fields[k].value = us
    }

    // MARK: kind

    func kind() -> DocumentKind {
        let firstPage = lines.filter { $0.page == pages.first?.number }
        let ems = firstPage.map(\.em).sorted()
        let bodyEm = ems.isEmpty ? 0 : ems[ems.count / 2]
        for line in firstPage.prefix(12) {
            let n = Lexicon.normalize(line.text)
            // A label is no title (`Invoice No: NF-55017` on a packing list).
            let labelled = line.text.contains(":")
            if let kind = Self.letterSpacedTitle(n) { return kind }
            for (kind, phrases) in Lexicon.titles {
                // The title alone, or with its number (`FACTURE COMMERCIALE N° DC-EXP-26-0142`).
                for p in phrases where n == p || (n.hasPrefix(p + " ") && !n.dropFirst(p.count + 1).contains(where: \.isLetter))
                    || !labelled && Self.titleWithNumber(n, p) && !Self.citesDocument(n, p) { return kind }
            }
            // Title and code set together and larger than the text, not a label's cell and its value's
            // (`Commercial invoice | MI-INV-26-2210`, `Commercial Invoice  CO-INV-58812` on a packing list).
            if !labelled, let (kind, _) = line.segments().lazy.filter({ $0.em > 1.2 * bodyEm })
                .compactMap({ Self.codeAfterTitle($0.words) }).first { return kind }
        }
        // The title in a cell of its own beside the letterhead (`Mill Lane, Galashiels …   INVOICE`), or
        // qualified (`PROFORMA FACTUUR`, `EXPORT SALES INVOICE`): an invoice that states its goods'
        // preferential origin is still an invoice.
        for line in firstPage.prefix(12) {
            for seg in line.segments() where !seg.text.contains(":") && !seg.text.contains(where: \.isNumber) {
                let n = Lexicon.normalize(seg.text)
                guard n.split(separator: " ").count <= 4 else { continue }
                for (kind, phrases) in Lexicon.titles where phrases.contains(where: { n == $0 || n.hasSuffix(" " + $0) }) { return kind }
            }
        }
        let all = lines.map { Lexicon.normalize($0.text) }.joined(separator: " ")
        if Lexicon.preferentialWords.contains(where: all.contains) || Lexicon.tokens(all).contains(where: Self.isPreferential) { return .certificate }
        // The kind named first: an invoice that says at its foot how it was packed (`Colisage : 184 colis`)
        // is still an invoice.
        // A delivery note is a kind only as the page's title: an invoice cites its own (`Lieferschein-Nr.: LS 26-8812`).
        let named = Lexicon.titles.flatMap { t in
            t.phrases.filter { !Lexicon.deliveryNoteTitles.contains($0) }.compactMap { p in all.range(of: p).map { (t.kind, $0.lowerBound) } }
        }
        return named.min { $0.1 < $1.1 }?.0 ?? .unknown
    }

    /// A title and its document's code as the line's last word, no number sign between (`Ausfuhrrechnung
    /// 26-AR-0512`): the kind and the code. The code has a figure and is no date; a title's own words
    /// with figures in them (`Form A`) are not codes.
    static func codeAfterTitle(_ words: [Word]) -> (DocumentKind, Word)? {
        guard words.count >= 2, let code = words.last, code.text.count >= 4, code.text.contains(where: \.isNumber),
              code.text.contains(where: { $0.isLetter || $0 == "-" || $0 == "/" }) || code.text.count >= 5,
              Values.date(code.text) == nil, !code.text.hasSuffix(":") else { return nil }
        let title = Lexicon.normalize(words.dropLast().map(\.text).joined(separator: " "))
        guard let kind = Lexicon.titles.first(where: { $0.phrases.contains(title) })?.kind else { return nil }
        return (kind, code)
    }

    /// A document cited by its number and date (`invoice no egs2026000914 dated 01 12 2026` in a
    /// certificate's remarks), not a title: a date's link word right after the number.
    static func citesDocument(_ n: String, _ title: String) -> Bool {
        let rest = n.dropFirst(title.count + 1).split(separator: " ")
        return rest.count > 2 && dateLinks.contains(String(rest[2]))
    }

    /// A title and its number after a number sign (`facture commerciale n dc exp 26 0142`, `rechnung nr 2026 0871`).
    static func titleWithNumber(_ n: String, _ title: String) -> Bool {
        guard n.hasPrefix(title + " ") else { return false }
        let rest = n.dropFirst(title.count + 1).split(separator: " ")
        return rest.count >= 2 && ["n", "no", "nr", "number", "nummer", "numero", "num"].contains(String(rest[0]))
            && rest.dropFirst().contains(where: { $0.contains(where: \.isNumber) })
    }

    // MARK: matching

    /// Normalised tokens of each word, with the word they belong to.
    static func tokens(_ words: [Word]) -> [(token: String, word: Int)] {
        var out: [(String, Int)] = []
        for (i, w) in words.enumerated() { for t in Lexicon.tokens(w.text) { out.append((t, i)) } }
        return out
    }

    /// A word of the statement on origin as OCR reads it: one slip in five letters of the
    /// lexicon's word (`priferenzbegiinstigte`: the English model reads `ä` as `i` and `ü` as `ii`).
    static func isPreferential(_ t: String) -> Bool {
        guard t.count >= 9 else { return false }
        return Lexicon.preferentialWords.contains { w in
            let budget = w.count / 5
            return abs(t.count - w.count) <= budget && editDistance(Array(t), Array(w), atMost: budget) <= budget
        }
    }

    /// Equal, or one edit apart for words of five letters or more (OCR's dropped or swapped letter).
    /// `long` allows two edits in words of nine letters or more (`deesignatien` is `designation`):
    /// for table headers only, where the rest of the line must read as a header too; labels keep
    /// one (`consignee` and `consignor` are two apart).
    ///
    /// Called for every token against every lexicon phrase on every line, so it stays off
    /// Foundation's string search (`contains("ii")` through it cost text PDFs a third of their speed).
    static func similar(_ a: String, _ b: String, long: Bool = false) -> Bool {
        if a == b { return true }
        // The English OCR model reads `ü` as `ii` (`Ausfiihrer`); the lexicon has it as `u`.
        if hasDoubleI(a), !hasDoubleI(b), similar(String(decoding: doubleIAsU(a), as: UTF8.self), b, long: long) { return true }
        if let plain = asciiSimilar(a, b, long: long) { return plain }
        let ac = a.count, bc = b.count
        let shorter = min(ac, bc)
        guard shorter >= 5 else { return false }
        let budget = long && shorter >= 9 ? 2 : 1
        guard abs(ac - bc) <= budget, !Lexicon.nearLabelWords.contains(a) else { return false }
        return editDistance(Array(a), Array(b), atMost: budget) <= budget
    }

    /// The rest of `similar` for ASCII text without a carriage return, where every byte is a character
    /// of its own: counted and compared as bytes, with no characters built. Nil for other text.
    static func asciiSimilar(_ a: String, _ b: String, long: Bool) -> Bool? {
        guard isPlainASCII(a), isPlainASCII(b) else { return nil }
        let ac = a.utf8.count, bc = b.utf8.count
        let shorter = min(ac, bc)
        guard shorter >= 5 else { return false }
        let budget = long && shorter >= 9 ? 2 : 1
        guard abs(ac - bc) <= budget, !Lexicon.nearLabelWords.contains(a) else { return false }
        return editDistance(Array(a.utf8), Array(b.utf8), atMost: budget) <= budget || (ac != bc && mergedLetters(Array(a.utf8), Array(b.utf8)))
    }

    /// Two letters OCR ran into the one they look like, and nothing else apart: `ongin` for `origin`
    /// (`ri` read `n`), `rn` as `m`, `cl` as `d`, `li` as `h`; either word may be the shorter. One edit
    /// in a word of five letters is all `similar` forgives otherwise, and this slip is two.
    static func mergedLetters(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        guard long.count == short.count + 1 else { return false }
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        guard i < short.count, short[i...].dropFirst().elementsEqual(long[(i + 2)...]) else { return false }
        let pair = (long[i], long[i + 1])
        return mergedPairs.contains { $0.pair.0 == pair.0 && $0.pair.1 == pair.1 && $0.merged == short[i] }
    }

    static let mergedPairs: [(pair: (UInt8, UInt8), merged: UInt8)] =
        [("ri", "n"), ("rn", "m"), ("cl", "d"), ("li", "h")].map { (pair: (Array($0.0.utf8)[0], Array($0.0.utf8)[1]), merged: Array($0.1.utf8)[0]) }

    /// ASCII with no carriage return (`\r\n` is one character of two bytes).
    static func isPlainASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } }

    /// Whether `ii` occurs in the text (bytes, no Foundation).
    static func hasDoubleI(_ s: String) -> Bool {
        var last: UInt8 = 0
        for c in s.utf8 {
            if c == 0x69, last == 0x69 { return true }
            last = c
        }
        return false
    }

    /// The text's bytes with every `ii` (left to right) read as `u`.
    static func doubleIAsU(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            if c == 0x69, out.last == 0x69 { out[out.count - 1] = 0x75 } else { out.append(c) }
        }
        return out
    }

    /// Levenshtein distance, or `atMost + 1` once it is certain to exceed `atMost`.
    static func editDistance<Letter: Equatable>(_ x: [Letter], _ y: [Letter], atMost: Int) -> Int {
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...max(1, x.count) where !x.isEmpty {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1..<(y.count + 1) {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = min(rowMin, cur[j])
            }
            if rowMin > atMost { return atMost + 1 }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// `match` of a phrase still to be split into words. `label` tries every phrase of a table on every
    /// segment, and most fail on their first word: that word is compared before the phrase is split
    /// (splitting every phrase of every table on every call was half of a text PDF's CPU).
    static func match(phrase: String, _ toks: [(token: String, word: Int)], at start: Int) -> Int? {
        let first = firstWord(phrase)
        if !first.isEmpty, start >= toks.count || !similar(toks[start].token, first) { return nil }
        return match(phrase.split(separator: " ").map(String.init), toks, at: start)
    }

    /// A phrase's first word as `split(separator: " ")` gives it ("" when it has none), without splitting the rest.
    static func firstWord(_ phrase: String) -> String {
        let bytes = phrase.utf8
        // Bytes while the text is ASCII up to the byte after the word's space: there a space is a character
        // of its own. Otherwise (a mark may join a space) split by characters as `split` does.
        func bySplit() -> String { phrase.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "" }
        var from: String.Index?
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let c = bytes[i]
            guard c < 0x80 else { return bySplit() }
            let next = bytes.index(after: i)
            if c != 0x20 {
                if from == nil { from = i }
            } else if let from {
                guard next == bytes.endIndex || bytes[next] < 0x80 else { return bySplit() }
                return String(phrase[from..<i])
            }
            i = next
        }
        return from.map { String(phrase[$0...]) } ?? ""
    }

    /// How many leading tokens of `toks` (from `start`) the phrase covers, if it matches.
    static func match(_ phrase: [String], _ toks: [(token: String, word: Int)], at start: Int, long: Bool = false) -> Int? {
        guard start + phrase.count <= toks.count else { return nil }
        for (k, p) in phrase.enumerated() where !similar(toks[start + k].token, p, long: long) { return nil }
        return phrase.count
    }

    /// `match`, plus two OCR slips seen in table headers, where the rest of the line must still read
    /// as a header: a phrase whose space was lost (`UnitPrice`), and a header word with a qualifier
    /// glued on (`AmountiGBP)`: at most four letters after a word of five or more).
    static func headerMatch(_ phrase: [String], _ toks: [(token: String, word: Int)], at start: Int) -> Int? {
        if let n = match(phrase, toks, at: start, long: true) { return n }
        guard start < toks.count else { return nil }
        let tok = toks[start].token
        if phrase.count > 1, similar(tok, phrase.joined(), long: true) { return 1 }
        if phrase.count == 1, let p = phrase.first, p.count >= 5, tok.count > p.count, tok.count - p.count <= 4, tok.hasPrefix(p) { return 1 }
        return nil
    }

    /// The label a segment starts with (after an optional box number such as `5.`): the field,
    /// and the words left after it.
    static func label(_ words: [Word], in table: [(field: String, phrases: [String])]) -> (field: String, rest: [Word], length: Int)? {
        let toks = tokens(words)
        var start = 0
        if let f = toks.first, f.token.allSatisfy(\.isNumber), f.token.count <= 2, toks.count > 1 { start = 1 }
        // `zzgl. 19 % USt.`: the tax added, and its rate, before the tax's name.
        if let f = toks.first, ["zzgl", "zuzuglich"].contains(f.token), toks.count > 1 {
            start = 1
            if toks.count > 2, toks[1].token.allSatisfy(\.isNumber) { start = 2 }
        }
        func longest(at start: Int) -> (String, Int)? {
            var best: (String, Int)?
            for (field, phrases) in table {
                for p in phrases {
                    if let n = match(phrase: p, toks, at: start), n > (best?.1 ?? 0) { best = (field, n) }
                }
            }
            return best
        }
        var best = longest(at: start)
        // A box's number OCR read as the letter it looks like (`Z Destinataire`, `L Exportateur` for `2.` and `1.` on a
        // 96 DPI certificate): a word of that one letter alone before the label.
        if best == nil, start == 0, toks.count > 1, toks[1].word == 1, words[0].text.count == 1, "LlIZS".contains(words[0].text) {
            start = 1
            best = longest(at: start)
            if best == nil { start = 0 }
        }
        let opening = start
        // A bilingual label (`Fecha / Date:`, `Peso neto / Net weight:`): the language the lexicon knows
        // after the slash. The first language's words are one to three, with no figure in them.
        if best == nil, let slash = words.prefix(4).indices.dropFirst().first(where: { words[$0].text == "/" }),
           !words[..<slash].contains(where: { $0.text.contains(where: \.isNumber) || $0.text.hasSuffix(":") }),
           let after = toks.firstIndex(where: { $0.word > slash }) {
            start = after
            best = longest(at: start)
        }
        guard let (field, found) = best else { return nil }
        var n = found
        // Two names for one role (`Shipper / Exporter`, `Seller (Exporter)`, `Shipper/Exporter`):
        // the second, after an optional `or`, `and`, `oder`, `ou`, belongs to the label.
        extending: while start + n < toks.count {
            let skip = ["or", "and", "oder", "und", "ou", "et", "of", "en"].contains(toks[start + n].token) ? 1 : 0
            for (f, phrases) in table where f == field {
                // The buyer named as the party to notify too (`Buyer / Notify Party`).
                let longest = (phrases + (f == "buyer" ? ["notify party", "notify"] : [])).compactMap { p in match(phrase: p, toks, at: start + n + skip) }.max()
                // Not into a word it ends inside (`(Exporter's business name …)` is the box's note).
                let end = start + n + skip + (longest ?? 0)
                if let more = longest, end == toks.count || toks[end].word != toks[end - 1].word { n += skip + more; continue extending }
            }
            break
        }
        let lastWord = toks[start + n - 1].word
        // The label must end at a word boundary.
        if start + n < toks.count, toks[start + n].word == lastWord { return nil }
        // A word broken at the end of its line (`GST-` of `GST-free` in a narrow cell) is no label.
        if lastWord == words.count - 1, words[lastWord].text.count > 1, words[lastWord].text.hasSuffix("-") { return nil }
        var rest = Array(words[(lastWord + 1)...])
        // A form's note on how to fill the box (`Exporter (name, full address, country)`, `(Optional)`) is
        // the label's; a currency or a number in parentheses (`Total (USD)`, `(1)`) is not.
        while let open = rest.first, open.text.hasPrefix("("), let close = rest.firstIndex(where: { $0.text.hasSuffix(")") }) {
            let note = rest[...close].map(\.text).joined(separator: " ")
            guard !note.contains(where: \.isNumber), Values.currency(in: note) == nil else { break }
            n += tokens(Array(rest[...close])).count
            rest.removeFirst(close + 1)
        }
        // The label's translation in another script after a slash (`Bill To / فاتورة إلى`) is the label's.
        if rest.count > 1, rest[0].text == "/", Self.inAnotherScript(rest[1].text) {
            let translation = rest.dropFirst().prefix { Self.inAnotherScript($0.text) }
            n += 1 + translation.count
            rest.removeFirst(1 + translation.count)
        }
        while let f = rest.first, f.text.allSatisfy({ ":.#-–°".contains($0) }) { rest.removeFirst() }
        // The first language's words of a bilingual label are the label's too.
        return (field, rest, n + start - opening)
    }

    /// A name written in two scripts across a slash (`ТОО «Алтын Дала Грейн» / Altyn Dala Grain LLP`): the
    /// Latin one, which a declaration is made in; the words as they are otherwise.
    static func latinName(_ words: [Word]) -> [Word] {
        guard let slash = words.firstIndex(where: { $0.text == "/" }), slash > 0, slash < words.count - 1 else { return words }
        let parts = [Array(words[..<slash]), Array(words[(slash + 1)...])]
        let foreign = parts.map { part in part.allSatisfy { inAnotherScript($0.text) || !$0.text.contains(where: \.isLetter) } }
        let latin = parts.map { part in part.contains { w in w.text.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value <= 0x24F } } }
        if foreign[0], latin[1], !foreign[1] { return parts[1] }
        if foreign[1], latin[0], !foreign[0] { return parts[0] }
        return words
    }

    /// A word written in letters of another script than the Latin (Arabic, Cyrillic, Greek …), maybe
    /// with a colon after it, and no digit.
    static func inAnotherScript(_ text: String) -> Bool {
        var letters = 0
        for s in text.unicodeScalars {
            if s.properties.isAlphabetic {
                guard s.value > 0x24F, !(0x1E00...0x1EFF).contains(s.value) else { return false }
                letters += 1
            } else if s.properties.numericType != nil { return false }
        }
        return letters > 0
    }

    // MARK: tables

    mutating func readTables() {
        // A certificate's goods are described in its boxes for the origin's sake; its lines are the invoice's.
        guard doc.kind != .certificate else { return }
        var headerIndex: Int?
        var headers: [TableHeader] = []
        var rows: [(cells: [Column: [Word]], line: Int)] = []
        var lastRowY = 0.0
        var page = 0
        var skip = -1
        /// Where the table's descriptions were set so far: left-aligned under a centred header,
        /// they show the column better than the header does.
        var descriptions: Box?
        /// Description-only lines not yet given to a row: a cell that wraps is set centred in its
        /// row on many invoices, so its first lines stand above the row's numbers and the rest below.
        var pending: [(words: [Word], line: Int, box: Box)] = []
        var rowBottom: [Int: Double] = [:]
        var carried: [Word] = []
        /// The HS code cells of pending lines (by line), and of those carried to the next row.
        var pendingCodes: [Int: [Word]] = [:]
        var carriedCodes: [Word] = []
        /// Whether the table groups its lines under headings, each group with its subtotal (`Camping` … `Subtotal Camping`).
        var grouped = false
        /// A scanned line that is half a row, kept for one line: a description with too few numbers, or
        /// numbers with no description. OCR may set a row's cells on two lines (a tall word, or a
        /// speck, pulls some cells up; a tall box sorts a description under its numbers).
        var held: (cells: [Column: [Word]], line: Int, box: Box)?
        /// Whether line `k` holds a row's numbers and no description, starting less than 0.6 em under
        /// `box`: the description line above it (a centred cell that wrapped) is that row's, however
        /// far the last row stands above.
        /// The first line from `k` on that is not only a reference's or a position's words wrapped in their
        /// own cells (`NL` over `2231` beside a description's lines), with `box` grown over those it passed.
        func pastReferences(_ box: Box, line k: Int, em: Double) -> (box: Box, line: Int) {
            var box = box, k = k
            while k < lines.count, lines[k].page == page, lines[k].box.y0 - box.y1 < 0.6 * em {
                let cells = Self.cells(lines[k], headers, descriptions: descriptions)
                guard !cells.isEmpty, cells.keys.allSatisfy({ [.reference, .position].contains($0) }) else { break }
                box = box.union(lines[k].box)
                k += 1
            }
            return (box, k)
        }
        /// Whether line `k` is a row whose description carries on one starting above it (`natural  30.00  ea …`
        /// under `Merino wool throw, 130 x 180 cm,`), less than 0.6 em under `box`: its first letter is small.
        func continuedBelow(_ box: Box, line k: Int, em: Double) -> Bool {
            guard k < lines.count, lines[k].page == page, lines[k].box.y0 - box.y1 < 0.6 * em else { return false }
            let cells = Self.cells(lines[k], headers, descriptions: descriptions)
            return cells[.description]?.first?.text.first?.isLowercase == true
                && cells.keys.filter { $0.isNumeric && $0 != .position }.count >= 2
        }
        func numbersUnder(_ box: Box, line k: Int, em: Double) -> Bool {
            guard k < lines.count, lines[k].page == page, lines[k].box.y0 - box.y1 < 0.6 * em,
                  Self.label(lines[k].words, in: totalLabels) == nil else { return false }
            let cells = Self.cells(lines[k], headers, descriptions: descriptions)
            return cells[.description] == nil
                && cells.contains { $0.key.isNumeric && $0.key != .position && $0.value.contains { $0.text.contains(where: \.isNumber) } }
        }
        /// Whether line `k` is a row's numbers and description with a description line just under it
        /// too, and starts less than 0.6 em under `box`: a cell that wrapped centred in its row (its
        /// first line above the numbers, its last below), so the line at `box` is that row's first.
        func centredAround(_ box: Box, line k: Int, em: Double) -> Bool {
            guard k + 1 < lines.count, lines[k].page == page else { return false }
            // Past a reference's line set between (`2231` under `NL-`).
            let (upper, b) = pastReferences(lines[k].box, line: k + 1, em: em)
            guard b < lines.count, lines[b].page == page, lines[k].box.y0 - box.y1 < 0.6 * em,
                  lines[b].box.y0 - upper.y1 < 0.6 * em else { return false }
            let row = Self.cells(lines[k], headers, descriptions: descriptions)
            let below = Self.cells(lines[b], headers, descriptions: descriptions)
            return row[.description] != nil && row.keys.contains { $0.isNumeric && $0 != .position }
                && below[.description] != nil && !below.keys.contains { $0.isNumeric && $0 != .position }
        }
        /// Whether line `k` holds cells that span several rows of a packing list (a crate's weights, set
        /// centred beside its two articles): weights with no quantity, maybe beside a line of a description.
        func spansRows(_ k: Int) -> Bool {
            guard k >= 0, k < lines.count, lines[k].page == page else { return false }
            let cells = Self.cells(lines[k], headers, descriptions: descriptions)
            // Nor a total's row (`TOTAL: 5 CASES | 481.3 | 590.5`).
            return cells[.quantity] == nil && Self.label(lines[k].words, in: totalLabels) == nil
                && [Column.netWeight, .grossWeight].contains { cells[$0]?.contains { $0.text.contains(where: \.isNumber) } == true }
                && cells.keys.allSatisfy { [.netWeight, .grossWeight, .packages, .position, .other, .description].contains($0) }
        }
        /// Whether line `k` has the quantity as its only number (an article beside others in one crate).
        func quantityOnly(_ k: Int) -> Bool {
            guard k >= 0, k < lines.count, lines[k].page == page else { return false }
            let cells = Self.cells(lines[k], headers, descriptions: descriptions)
            return cells[.quantity]?.contains(where: { $0.text.contains(where: \.isNumber) }) == true
                && cells.keys.allSatisfy { !$0.isNumeric || $0 == .quantity || $0 == .position }
        }
        /// A packing list whose cells span rows: each article's quantity makes its row, and the spanning
        /// weights belong to no one article.
        func spanningTable(around i: Int) -> Bool {
            guard doc.kind == .packingList, let top = headerIndex else { return false }
            // The table's lines only: a route above its header (`To: Hamburg, Germany`) is no weight.
            let near = max(top + 1, i - 4)...max(top + 1, min(lines.count - 1, i + 4))
            return near.contains(where: spansRows) && near.contains(where: quantityOnly)
        }
        /// Gives each pending line to the row it stands nearer: the last row, or `next` (a row's line).
        /// Lines set close together (a cell's lines) go together: the first line's gap to the row above
        /// and the last line's gap to the row below decide (`LED strip` over `light 5 m,` above its numbers).
        func settle(before next: Box?) {
            var chains: [[(words: [Word], line: Int, box: Box)]] = []
            for p in pending {
                // Lines of one cell stand closer than the cells of two rows (their padding between). A
                // printed page's boxes only: OCR's boxes hug the letters, and its gaps vary.
                // On a scan, lines set closer to each other than the first of them to the row above are one cell's
                // (`Kids' hooded` over `sweatshirt,` over the row's numbers).
                let ocr = ocrPages.contains(lines[p.line].page)
                let above = chains.last.flatMap { c in rows.last.map { c[0].box.y0 - (rowBottom[$0.line] ?? lines[$0.line].box.y1) } }
                if let last = chains.last?.last, lines[last.line].page == lines[p.line].page,
                   !ocr && p.box.y0 - last.box.y1 < 0.35 * min(p.box.height, last.box.height)
                    || ocr && above.map({ p.box.y0 - last.box.y1 < 0.5 * $0 }) == true {
                    chains[chains.count - 1].append(p)
                } else {
                    chains.append([p])
                }
            }
            // Two centred cells meet between their rows (`stainless 316` under one row's numbers, `Check
            // valve, 1-` over the next's): on a printed page, a chain that touches a row at each end and
            // has a wider gap inside (the rows' padding) breaks there, its upper part the row above's.
            chains = chains.flatMap { chain -> [[(words: [Word], line: Int, box: Box)]] in
                guard chain.count >= 2, let next, let row = rows.last, !ocrPages.contains(lines[chain[0].line].page),
                      lines[row.line].page == lines[chain[0].line].page else { return [chain] }
                let gaps = zip(chain, chain.dropFirst()).map { $1.box.y0 - $0.box.y1 }
                guard let widest = gaps.indices.max(by: { gaps[$0] < gaps[$1] }) else { return [chain] }
                let prevGap = chain[0].box.y0 - (rowBottom[row.line] ?? lines[row.line].box.y1)
                let nextGap = next.y0 - chain[chain.count - 1].box.y1
                let tight = max(prevGap, nextGap, gaps.enumerated().filter { $0.offset != widest }.map(\.element).max() ?? 0, 0)
                guard gaps[widest] > 0.15 * chain[widest].box.height, gaps[widest] > 3 * tight else { return [chain] }
                return [Array(chain[...widest]), Array(chain[(widest + 1)...])]
            }
            for chain in chains {
                let first = chain[0], last = chain[chain.count - 1]
                // A group's heading in a grouped table (`Apparel` over its lines), or the delivery note a collective
                // invoice's lines came with (`Lieferschein Nr. 80412 vom 06.11.2026`), is no line's description.
                if grouped && chain.count == 1 && Self.isGroupHeading(first.words) || chain.count == 1 && Self.isReferenceHeading(first.words) {
                    tableLines.insert(first.line)
                    continue
                }
                // A row on an earlier page is never nearer (`Übertrag` carried, the table goes on).
                let prevGap = rows.last.map { lines[$0.line].page == lines[first.line].page ? first.box.y0 - (rowBottom[$0.line] ?? lines[$0.line].box.y1) : .infinity } ?? .infinity
                let nextGap = next.map { $0.y0 - last.box.y1 } ?? .infinity
                // A line of the item's details (`Warennummer 8484 20 00 · Ursprungsland IT`) follows its
                // item: set midway between two rows, it is the upper one's.
                let details = Self.label(first.words, in: Self.attributeLabels) != nil
                if nextGap < prevGap * (details ? 0.5 : 1), next != nil {
                    carried += chain.flatMap(\.words)
                    carriedCodes += chain.flatMap { pendingCodes[$0.line] ?? [] }
                } else if !rows.isEmpty {
                    rows[rows.count - 1].cells[.description, default: []] += chain.flatMap(\.words)
                    let codes = chain.flatMap { pendingCodes[$0.line] ?? [] }
                    if !codes.isEmpty { rows[rows.count - 1].cells[.hsCode, default: []] += codes }
                    rowBottom[rows[rows.count - 1].line] = last.box.y1
                } else { continue }
                for p in chain { tableLines.insert(p.line) }
            }
            pending = []
            pendingCodes = [:]
        }
        for (i, line) in lines.enumerated() where i > skip {
            if let (h, extra) = tableHeader(at: i) {
                settle(before: nil)
                headers = positionBeforeDescription(sizeColumn(Self.packagesAsQuantity(Self.netWeightAsQuantity(Self.netAsAmount(Self.palletsCounted(h, kind: doc.kind), kind: doc.kind), kind: doc.kind),
                                                                                       kind: doc.kind), below: i + extra),
                                                    header: joinedHeader(i, extra), below: i + extra)
                grouped = groupSubtotal(after: i + extra, headers) != nil
                descriptions = nil
                headerIndex = i
                tableLines.insert(i)
                lastRowY = line.box.y1
                for k in stride(from: i + 1, through: i + extra, by: 1) {
                    tableLines.insert(k)
                    lastRowY = max(lastRowY, lines[k].box.y1)
                    skip = k
                }
                page = line.page
                continue
            }
            guard headerIndex != nil, line.page == page else { settle(before: nil); continue }
            let em = line.em
            let above = held
            held = nil
            if line.box.y0 - max(lastRowY, pending.last?.box.y1 ?? 0) > 4 * em { settle(before: nil); headerIndex = nil; continue }
            // A total row may open with its count of packages, under the packages' numbers (`20 BALES | TOTAL | 9.000,00`).
            let countFirst = line.words.count > 3 && line.words[0].text.allSatisfy(\.isNumber) && Self.namesPackages(line.words[1].text)
                && Self.label(Array(line.words.dropFirst(2)), in: totalLabels) != nil
            // A group's subtotal with more of the table under it is passed over, not the table's end.
            if grouped, Self.label(line.words, in: totalLabels)?.field == "subtotal", groupSubtotal(after: i - 1, headers) == i {
                settle(before: nil)
                tableLines.insert(i)
                lastRowY = line.box.y1
                continue
            }
            // A row that opens with its count of packages (`12 cartons | Savon de Marseille … | 1 440`): the kind
            // after the count is no total's label, though `label` passes the count as a box number.
            let countedRow = !countFirst && line.words.count > 2 && line.words[0].text.allSatisfy(\.isNumber) && Self.namesPackages(line.words[1].text)
            if !countedRow, let (labelled, rest, _) = Self.label(countFirst ? Array(line.words.dropFirst(2)) : line.words, in: totalLabels), i > (headerIndex ?? 0) {
                let cells = Self.cells(line, headers)
                // A description may start with a total's word; a label with its colon (`Totaal colli: 25`) may not.
                let colon = rest.count < line.words.count && line.words[line.words.count - rest.count - 1].text.hasSuffix(":")
                // A total row whose label sits in the description column (`TOTAL | 448 | 9 | 212.0`).
                // Its note in parentheses (`Totals (2 pallets)`) is no goods either.
                // Or a count of packages (`Total : 3 palettes`), with or without the label beside it.
                func countOfPackages(_ ws: [Word]) -> Bool {
                    ws.count == 2 && ws[0].text.allSatisfy(\.isNumber)
                        && (Self.namesPackages(ws[1].text) || Lexicon.packagesPlural.contains(Lexicon.normalize(ws[1].text)))
                }
                let labelOnly = cells[.description].map { d in
                    // The label's last words under the description, its first under a column before it (`TOTAL | GÉNÉRAL`).
                    d.allSatisfy { w in !rest.contains { $0.box == w.box } }
                    || countOfPackages(d) || Self.label(d, in: totalLabels).map { t in
                        t.rest.isEmpty || t.rest.first?.text.hasPrefix("(") == true && t.rest.last?.text.hasSuffix(")") == true
                            // `TOTAL CFR HAMBURG`: the Incoterm and its place.
                            || Lexicon.incoterms.contains(t.rest[0].text.uppercased()) && !t.rest.contains(where: { $0.text.contains(where: \.isNumber) })
                            || countOfPackages(Array(t.rest.drop { $0.text == ":" }))
                    } ?? false
                } ?? false
                if cells[.description] == nil || cells.count < 3 || colon || labelOnly {
                    if doc.kind == .packingList { readColumnTotals(cells, page: line.page, labelled: colon ? labelled : nil) }
                    // An invoice that counts each line's packages (`Pallets | SQM | USD/SQM`) sums them in its total row too.
                    if doc.kind == .invoice, cells[.packages] != nil { readColumnTotals(cells, page: line.page, labelled: "packages") }
                    if doc.kind == .packingList, countFirst, doc.packages == nil {
                        doc.packages = line.words[0].text
                        set("packages", line.words[0].text, Evidence(words: Array(line.words.prefix(2)), page: line.page), factor: 0.85)
                    }
                    // The row's sums under other columns are not its total (`Total | 8,400 | 22,140.00 |
                    // 18,65,295.00`: the quantity, and the amount in another currency); an amount that
                    // wrapped in its cell (`USD` over `17,292.00`) is on the line under it.
                    if doc.kind == .invoice {
                        var start = cells[.amount]?.first(where: { $0.text.contains(where: \.isNumber) })?.box.x0
                        if start == nil, i + 1 < lines.count, lines[i + 1].page == line.page, lines[i + 1].box.y0 - line.box.y1 < 0.6 * em,
                           Self.label(lines[i + 1].words, in: totalLabels) == nil,
                           let below = Self.cells(lines[i + 1], headers)[.amount], below.contains(where: { $0.text.contains(where: \.isNumber) }) {
                            amountBelowTotal[i] = below
                            start = .infinity
                        }
                        // Only when the amount column has the total; never the start of the amount itself
                        // that a scan set apart (`1` of `1 230.00`).
                        if let start {
                            unreadTotals[line.page, default: []] += cells.filter { [.quantity, .unitPrice, .packages, .netWeight, .grossWeight, .other].contains($0.key) }
                                .flatMap(\.value).filter { w in w.box.x1 > start || start - w.box.x1 > 0.6 * em }.map(\.box)
                        }
                    }
                    settle(before: nil)
                    tableBottom[page] = line.box.y0
                    headerIndex = nil
                    continue
                }
            }
            var cells = Self.cells(line, headers, descriptions: descriptions)
            // A unit set under its quantity where no column names units (`2,400` over `PCS`).
            if !headers.contains(where: { $0.column == .unit }), let q = cells[.quantity], !q.contains(where: { $0.text.contains(where: \.isNumber) }),
               Values.unitInColumn(q.map(\.text).joined(separator: " ")) != nil {
                cells[.unit] = q
                cells[.quantity] = nil
            }
            // A currency sign that wrapped above its amount (`€` over `190,00` in a narrow cell) is no
            // number, nor are the words of a column the header did not name (`GST-` over `free` under
            // `GST`), given to the nearest number column: the line is a wrapped description's. On a
            // scan only clean words count: a garbled amount reads as `BAL` or `ié.aaa`, and is the row's.
            let ocr = ocrPages.contains(line.page)
            for (column, words) in cells where column.isNumeric && !words.contains(where: { $0.text.contains(where: \.isNumber) })
                && words.allSatisfy({ Values.currency(in: $0.text) != nil || Self.isPlainWord($0.text, scanned: ocr) }) {
                cells[column] = nil
            }
            // The other half of a scanned row split over two lines: its cells fill what this line left
            // empty. Numbers held above a description only when the two lines overlap.
            var rowBox = line.box
            if ocr, let above, above.line == i - 1, (above.cells[.description] == nil) != (cells[.description] == nil),
               line.box.y0 - above.box.y1 < (cells[.description] == nil ? 0.6 * em : 0) {
                for (column, words) in above.cells where cells[column] == nil { cells[column] = words }
                rowBox = rowBox.union(above.box)
                tableLines.insert(above.line)
            } else if !ocr, let above, above.line == i - 1, let upper = above.cells[.description], cells[.description] != nil,
                      line.box.y0 < above.box.y1, Self.fillsTheRest(above.cells, cells) {
                // A row set in two overlapping lines, each with a line of the description: the quantity
                // beside the first (`Stoneware bowl 15 cm,  3,600`), the price and amount beside the
                // second (`celadon glaze  PCS  1.85  6,660.00`).
                for (column, words) in above.cells where column != .description && cells[column] == nil { cells[column] = words }
                cells[.description] = upper + (cells[.description] ?? [])
                rowBox = rowBox.union(above.box)
                tableLines.insert(above.line)
            }
            if cells.isEmpty { continue }
            // The sum carried from one page to the next (`Übertrag 2.627,80`) is part of the table, no row:
            // the rows go on under it.
            let carriedSum = Self.tokens(line.words).contains { Lexicon.carriedForward.contains($0.token) }
                || Lexicon.carriedForwardPhrases.contains(where: Lexicon.normalize(line.text).contains)
            if carriedSum, cells.keys.filter({ $0.isNumeric && $0 != .position }).count == 1,
               (cells[.description] ?? []).allSatisfy({ w in Self.tokens([w]).allSatisfy { !$0.token.contains(where: \.isNumber) } }),
               (cells[.description]?.count ?? 0) <= 4 {
                settle(before: nil)
                tableLines.insert(i)
                lastRowY = line.box.y1
                continue
            }
            let numeric = cells.keys.contains { $0.isNumeric && $0 != .position }
            if doc.kind == .packingList, Self.isPackageHeading(line.words, numeric: numeric) {
                settle(before: nil)
                tableLines.insert(i)
                lastRowY = line.box.y1
                continue
            }
            // A row's quantity over its unit (`2,400` over `PCS`) with the description's last line beside
            // the unit: the rest of the row above, which has no unit yet.
            if !numeric, let last = rows.last, last.cells[.unit] == nil, last.cells[.quantity] != nil, pending.isEmpty,
               let unit = cells[.unit], Values.unitInColumn(unit.map(\.text).joined(separator: " ")) != nil,
               cells.keys.allSatisfy({ [.description, .unit, .other].contains($0) }),
               line.box.y0 - (rowBottom[last.line] ?? lines[last.line].box.y1) < 0.6 * em {
                for (column, words) in cells where column != .other { rows[rows.count - 1].cells[column, default: []] += words }
                rowBottom[last.line] = line.box.y1
                tableLines.insert(i)
                continue
            }
            if !numeric {
                // A description that wrapped onto a line of its own, above or below its row's numbers.
                // Marks, carton numbers and sizes (columns not read) wrap beside it (`MI / 15-` over `26`). On a
                // scan a speck in the unit column that reads as no unit (`j`) does not make it a row's line.
                let speck = ocr && cells[.unit].map { Values.unitInColumn($0.map(\.text).joined(separator: " ")) == nil } == true
                // An HS code that wrapped in its narrow cell (`0406 90` over `78`) goes with its row's
                // description, with or without a line of it beside.
                let code = cells[.hsCode].map { ws in ws.allSatisfy { $0.text.allSatisfy { $0.isNumber || $0 == "." || $0 == " " } } } == true
                if cells[.description] != nil || code,
                   cells.keys.allSatisfy({ [.description, .position, .reference, .other].contains($0) || $0 == .unit && speck || $0 == .hsCode && code }),
                   line.box.y0 - max(lastRowY, pending.last?.box.y1 ?? 0) < 1.2 * em || numbersUnder(line.box, line: i + 1, em: em)
                    || continuedBelow(line.box, line: i + 1, em: em)
                    || centredAround(line.box, line: i + 1, em: em)
                    || { let (box, k) = pastReferences(line.box, line: i + 1, em: em)
                         return k > i + 1 && (numbersUnder(box, line: k, em: em) || centredAround(box, line: k, em: em)) }() {
                    pending.append((cells[.description] ?? [], i, line.box))
                    if code { pendingCodes[i] = cells[.hsCode] }
                }
                continue
            }
            // A row has a description and at least two numbers (a page number or a note has not);
            // an HS code in the HS code column counts as one (a scan may have lost the amounts).
            let hs = cells[.hsCode].map { Values.hsCode($0.map(\.text).joined(separator: " ")) != nil } ?? false
            // On a scan a unit in the unit column counts too: at 72 DPI a row's numbers garble past
            // reading (`L7H` for 1,744.00) where its unit (`pcs`) still reads.
            let unit = ocr && cells[.unit].map { Values.unitInColumn($0.map(\.text).joined(separator: " ")) != nil } ?? false
            let numbers = cells.keys.filter { $0.isNumeric && $0 != .position }.count + (hs ? 1 : 0) + (unit ? 1 : 0)
            // The rest of the row above, where its cells wrapped (`maat 12/+` under the description,
            // `190,00` under its `€`): only columns that row left empty, set just under it.
            // An amount that wrapped in its narrow cell (`38` over `000,00`) carries on in its column.
            if numbers < 2, pending.isEmpty, let last = rows.last, line.box.y0 - (rowBottom[last.line] ?? lines[last.line].box.y1) < 0.6 * em,
               // A quantity whose unit wrapped under it (`240` over `pièces`) is whole: a number after it is the next row's.
               cells.allSatisfy({ cell in !cell.key.isNumeric || last.cells[cell.key].map { Self.carriesOnNumber($0, cell.value) } ?? true }),
               cells[.quantity] == nil || last.cells[.unit] == nil || last.cells[.quantity] == nil {
                for (column, words) in cells { rows[rows.count - 1].cells[column, default: []] += words }
                rowBottom[last.line] = line.box.y1
                tableLines.insert(i)
                continue
            }
            // On a scan, a line with a number that fills three columns besides the description is a
            // row too: OCR garbled its other numbers (`(Ne 86S pea, a L7H`), and a row lost shifts
            // every row after it. A description that wrapped fills none.
            let filled = ocr && numbers == 1 && cells.keys.filter({ $0 != .description }).count >= 3
            if spansRows(i), spanningTable(around: i) {
                tableLines.insert(i)
                if let d = cells[.description] { pending.append((d, i, d.dropFirst().reduce(d[0].box) { $0.union($1.box) })) }
                continue
            }
            let article = numbers == 1 && quantityOnly(i) && spanningTable(around: i)
            // A table whose only figure read is the count (a delivery note's `Besteld | Geleverd | Nog te leveren`,
            // two of them not read) has rows of a description and that count.
            let countOnly = numbers == 1 && cells[.quantity] != nil && cells[.description] != nil
                && headers.filter({ $0.column.isNumeric && $0.column != .position }).map(\.column) == [.quantity]
            guard cells[.description] != nil || !pending.isEmpty, numbers >= 2 || filled || article || countOnly else {
                // Half a row: a description with too few numbers, or numbers with no description. On a
                // printed page, a description with one number (the quantity of a row whose other
                // cells are centred lower: `fillsTheRest`).
                if ocr, (cells[.description] != nil) != (numbers >= 2) { held = (cells, i, rowBox) }
                if !ocr, cells[.description] != nil, numbers == 1 { held = (cells, i, rowBox) }
                continue
            }
            settle(before: rowBox)
            if !carriedCodes.isEmpty {
                cells[.hsCode] = carriedCodes + (cells[.hsCode] ?? [])
                carriedCodes = []
            }
            if !carried.isEmpty {
                cells[.description] = carried + (cells[.description] ?? [])
                carried = []
            }
            guard let description = cells[.description] else {
                if ocr { held = (cells, i, rowBox) }
                continue
            }
            descriptions = description.dropFirst().reduce(descriptions ?? description[0].box) { $0.union($1.box) }
            if doc.kind == .packingList, cells[.packages] == nil, let count = Self.packagesByNumber(lines[i], headers, descriptions: descriptions) {
                cells[.packages] = [count]
            }
            // A packing list's quantity in a measure (`Metres`), not a count of pieces or packs.
            if doc.kind == .invoice || doc.kind == .packingList && Self.headerUnit(headers).flatMap({ Values.unit($0.text) }).map({ Self.measures.contains($0.rawValue) }) == true,
               cells[.unit] == nil, let unit = Self.headerUnit(headers),
               !(cells[.quantity] ?? []).contains(where: { !$0.text.contains(where: \.isNumber) }) {
                cells[.unit] = [unit]
            }
            rows.append((cells, i))
            tableLines.insert(i)
            lastRowY = line.box.y1
        }
        settle(before: nil)
        for (k, row) in rows.enumerated() { addLine(k, row.cells, page: lines[row.line].page) }
    }

    /// Headers of a column that numbers each row's packages (`Kolli-Nr.`, `C/No.`), not counts them.
    static let packageNumberHeaders: Set<String> = ["palette", "pallet", "kolli nr", "colli nr", "colis n", "colis no", "c no", "c nos", "ctn no", "ctn nos",
                                                    "carton no", "carton nos", "case no", "case nos", "package no", "pkg no",
                                                    "crate no", "crate nos", "pallet no", "pallet nos", "kiste nr", "paletten nr",
                                                    "bale no", "bale nos", "roll no", "roll nos", "c t no", "c t nos", "ct no", "ct nos",
                                                    // A crate's number alone (`Kiste / Crate | 1`).
                                                    "kiste", "crate",
                                                    // French and Dutch crates and boxes (`Caisse n° | 1 à 8`).
                                                    "caisse n", "caisse no", "caisses n", "boite n", "boite no", "doos nr", "krat nr"]

    /// A row's count of packages where the table numbers them and has no count: one package for
    /// a number (`2`), as many as a range spans (`4-9`, `4–9`). The cell's words, the count as text.
    /// The first line after `start`, on its page and in the table's reach, that is a group's subtotal: labelled
    /// `Subtotal` (`Subtotal Camping  8,760.00`), with a heading alone and then a row of the table's numbers under it.
    func groupSubtotal(after start: Int, _ headers: [TableHeader]) -> Int? {
        guard start + 1 < lines.count else { return nil }
        let page = lines[start + 1].page
        var k = start + 1
        while k + 2 < lines.count, lines[k].page == page, k - start < 80 {
            if Self.label(lines[k].words, in: totalLabels)?.field == "subtotal" {
                let heading = lines[k + 1], row = lines[k + 2]
                guard heading.page == page, row.page == page, Self.isGroupHeading(heading.words),
                      heading.box.y0 - lines[k].box.y1 < 3 * heading.em, row.box.y0 - heading.box.y1 < 1.5 * row.em,
                      Self.label(row.words, in: totalLabels) == nil else { return nil }
                let cells = Self.cells(row, headers)
                let numbers = cells.filter { $0.key.isNumeric && $0.value.contains { $0.text.contains(where: \.isNumber) } }.count
                return numbers >= 2 && cells[.description] != nil ? k : nil
            }
            k += 1
        }
        return nil
    }

    /// A line naming the delivery note or order that the lines under it came with, in four languages
    /// (`Lieferschein Nr. 80412 vom 06.11.2026`, `Delivery note 5512 of 3 Nov 2026`, `Bon de livraison n° 118`).
    static func isReferenceHeading(_ words: [Word]) -> Bool {
        guard words.count <= 8, words.contains(where: { $0.text.contains(where: \.isNumber) }) else { return false }
        let n = Lexicon.normalize(words.map(\.text).joined(separator: " "))
        return Lexicon.referenceHeadings.contains { n.hasPrefix($0 + " ") }
    }

    /// A group's heading: a few words with no figure (`Camping`, `Outdoor apparel`).
    static func isGroupHeading(_ words: [Word]) -> Bool {
        (1...4).contains(words.count) && !words.contains { $0.text.contains(where: \.isNumber) || $0.text.hasSuffix(":") }
    }

    static func packagesByNumber(_ line: TextLine, _ headers: [TableHeader], descriptions: Box?) -> Word? {
        guard !headers.contains(where: { $0.column == .packages }),
              let k = headers.firstIndex(where: { $0.column == .other && packageNumberHeaders.contains(Lexicon.normalize($0.text)) }),
              let cell = cellGroups(line, headers, descriptions: descriptions)[k], !cell.isEmpty else { return nil }
        // A pallet's or carton's letters before its number (`P1`, `C3–C5`) are its name.
        let text = cell.map(\.text).joined().replacingOccurrences(of: "–", with: "-").filter { !$0.isLetter }
        let box = cell.dropFirst().reduce(cell[0].box) { $0.union($1.box) }
        // A range in words (`1 à 8`).
        if let n = packageRange(cell.map(\.text).joined(separator: " ")) { return Word(text: String(n), box: box, confidence: cell.map(\.confidence).min() ?? 1) }
        let ends = text.split(separator: "-").map(String.init)
        if ends.count == 1, let n = Int(ends[0]), n > 0 { return Word(text: "1", box: box, confidence: cell.map(\.confidence).min() ?? 1) }
        if ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]), b >= a {
            return Word(text: String(b - a + 1), box: box, confidence: cell.map(\.confidence).min() ?? 1)
        }
        return nil
    }

    /// The unit the header counts every row's quantity in, where no column gives units
    /// (`Gewicht (kg)`, `Prijs per kg`, `Price/kg`): the header's word, as the unit's evidence. A
    /// measure only: a count of pieces (`Preis/Stk.`) needs no unit.
    /// Units a header may give every row: measures, and the dozen garments are priced by (`Qty (Doz)`),
    /// not a count of pieces, which is what a row without a unit is taken to count anyway.
    static let measures: Set<String> = ["KGM", "GRM", "TNE", "LBR", "LTR", "MLT", "MTR", "CMT", "MTK", "MTQ", "FOT", "YRD", "DZN"]

    /// Packs a quantity column may count in, named beside its header (`Qty (ctns)`, priced by the carton).
    static let countedIn: Set<String> = ["CT", "BX", "PK", "SET", "PR", "BG"]

    static func headerUnit(_ h: [TableHeader]) -> Word? {
        guard !h.contains(where: { $0.column == .unit }) else { return nil }
        if let q = h.first(where: { $0.column == .quantity }), let open = q.text.firstIndex(of: "("),
           let close = q.text[open...].firstIndex(of: ")") {
            let inner = String(q.text[q.text.index(after: open)..<close])
            if let u = Values.unit(inner), measures.contains(u.rawValue) || countedIn.contains(u.rawValue) { return Word(text: inner, box: q.box) }
        }
        // A measure after a comma (`Qty, t`, `Menge, kg`), as Russian and German forms name a column's unit.
        if let q = h.first(where: { $0.column == .quantity }), let comma = q.text.lastIndex(of: ","),
           let u = Values.unit(String(q.text[q.text.index(after: comma)...]).trimmingCharacters(in: .whitespaces)), measures.contains(u.rawValue) {
            return Word(text: String(q.text[q.text.index(after: comma)...]).trimmingCharacters(in: .whitespaces), box: q.box)
        }
        // The quantity's header is the measure itself (`Metres`).
        if let q = h.first(where: { $0.column == .quantity }), let u = Values.unit(Lexicon.normalize(q.text)), measures.contains(u.rawValue) {
            return Word(text: q.text, box: q.box)
        }
        if let p = h.first(where: { $0.column == .unitPrice }) {
            let toks = p.text.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "(" || $0 == ")" }).map(String.init)
            // The word after the slash (`Price/kg`, `Unit Price / Doz (USD)`), else the last but one.
            let slash = p.text.contains("/")
            let afterSlash = p.text.split(separator: "/", maxSplits: 1).dropFirst().first
                .flatMap { $0.lowercased().split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" }).first }
                .flatMap { w in toks.firstIndex(of: String(w)).map { $0 - 1 } }
            if let k = toks.firstIndex(where: { $0 == "per" || $0 == "pro" || $0 == "par" }) ?? afterSlash ?? (slash ? toks.indices.dropLast().last : nil),
               k + 1 < toks.count, let u = Values.unit(toks[k + 1]), measures.contains(u.rawValue) {
                return Word(text: toks[k + 1], box: p.box)
            }
        }
        return nil
    }

    /// Whether two lines' number columns complete one another: the upper has one, the lower
    /// others and none of the upper's (a row's cells centred at two heights).
    static func fillsTheRest(_ upper: [Column: [Word]], _ lower: [Column: [Word]]) -> Bool {
        let a = Set(upper.keys.filter { $0.isNumeric && $0 != .position }), b = Set(lower.keys.filter { $0.isNumeric && $0 != .position })
        return a.count == 1 && b.count >= 1 && a.isDisjoint(with: b)
    }

    /// A packing list's heading over the goods of one package, across its table (`Pallet 1 of 2 —
    /// 120 × 100 × 145 cm`, `Colis n° 3`): no goods of its own, nor a line of the row above or below.
    /// A package word, then its number, then `of` and the count, or nothing in the number columns.
    static func isPackageHeading(_ words: [Word], numeric: Bool) -> Bool {
        let toks = tokens(words).map(\.token)
        guard toks.count >= 2, Lexicon.packageWords.contains(toks[0]) else { return false }
        let rest = ["no", "nr", "n", "#"].contains(toks[1]) ? Array(toks.dropFirst(2)) : Array(toks.dropFirst())
        guard let number = rest.first, number.allSatisfy(\.isNumber) else { return false }
        let ofCount = rest.count >= 3 && ["of", "von", "sur", "de", "van"].contains(rest[1]) && rest[2].allSatisfy(\.isNumber)
        return ofCount || !numeric
    }

    /// Whether `next`, the words under a number in its column, carry that number on: the number
    /// broke at a space between its thousands (`38` over `000,00`), so it ends in digits alone and
    /// `next` starts with a group of three digits.
    static func carriesOnNumber(_ number: [Word], _ next: [Word]) -> Bool {
        guard let end = number.last?.text, (1...3).contains(end.count), end.allSatisfy(\.isNumber),
              let start = next.first?.text, start.prefix(while: \.isNumber).count == 3 else { return false }
        return Values.number((number + next).map(\.text).joined(separator: " ")) != nil
    }

    /// A label run up against the text before it (`Wohnkultur Lindqvist GmbH Date`), its colon opening the next
    /// segment (`: 02 December 2026`, a grid whose colons stand in a column of their own): the label is a segment of its own.
    static func splitLabelBeforeColon(_ segs: [Segment], _ labels: [(field: String, phrases: [String])]) -> [Segment] {
        var out: [Segment] = []
        for (k, seg) in segs.enumerated() {
            guard k + 1 < segs.count, segs[k + 1].words.first?.text.hasPrefix(":") == true, seg.words.count > 1,
                  Self.label(seg.words, in: labels).map({ !$0.rest.isEmpty }) ?? true,
                  let n = (1...min(4, seg.words.count - 1)).reversed().first(where: { n in
                      Self.label(Array(seg.words.suffix(n)), in: labels).map { $0.rest.isEmpty } == true
                  }) else { out.append(seg); continue }
            out.append(Segment(page: seg.page, words: Array(seg.words.dropLast(n))))
            out.append(Segment(page: seg.page, words: Array(seg.words.suffix(n))))
        }
        return out
    }

    /// Whether words open with a label of their own: one to three words with letters, then a colon
    /// (`Measurement : 38,60 CBM`, `Vessel: MSC Ilona`).
    static func opensWithLabel(_ words: [Word]) -> Bool {
        guard let colon = words.prefix(4).firstIndex(where: { $0.text.hasSuffix(":") }) else { return false }
        let label = words[...colon].map(\.text).joined(separator: " ").dropLast()
        return label.contains(where: \.isLetter) && !label.contains(where: \.isNumber)
    }

    /// A range of package numbers (`1 - 4`, `9–10`) and how many packages it spans.
    static func packageRange(_ text: String) -> Int? {
        // Or in words (`1 à 8`, `1 to 8`, `1 bis 8`, `1 t/m 8`).
        let words = text.split(separator: " ")
        let spelled = words.count == 3 && ["à", "a", "to", "bis", "t/m", "tot"].contains(words[1].lowercased()) ? words[0] + "-" + words[2] : Substring(text)
        let ends = spelled.replacingOccurrences(of: "–", with: "-").split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]), a > 0, b > a, b - a < 10_000 else { return nil }
        return b - a + 1
    }

    /// A packing list's total row inside its table (`TOTAL: 600 | 30 | 412.50 | 455.00`): each
    /// sum under its column. Taken by `readTotals` only where no labelled total gives the field.
    /// A row labelled with its colon as one of these sums (`Total packages: 9`) gives only that sum,
    /// whichever column its figure stands under (`labelled`).
    mutating func readColumnTotals(_ cells: [Column: [Word]], page: Int, labelled: String? = nil) {
        let sums = [(Column.packages, "packages"), (.netWeight, "net_weight"), (.grossWeight, "gross_weight")]
        for (column, field) in sums where labelled == nil || labelled == field || !sums.contains(where: { $0.1 == labelled }) {
            guard let words = cells[column], let (value, used, repaired) = Self.amount(at: words, mark: mark) else { continue }
            columnTotals.append((field, value, Evidence(words: used, page: page), repaired))
        }
    }

    /// `Net` over the last column of an invoice that has a unit price and no amount column is the
    /// net amount, not a weight.
    static func netAsAmount(_ h: [TableHeader], kind: DocumentKind) -> [TableHeader] {
        guard kind == .invoice, !h.contains(where: { $0.column == .amount }), h.contains(where: { $0.column == .unitPrice }),
              let k = h.firstIndex(where: { $0.column == .netWeight && Lexicon.normalize($0.text) == "net" }),
              !h.contains(where: { $0.column == .grossWeight }) else { return h }
        var out = h
        out[k].column = .amount
        return out
    }

    /// An invoice's bare `Pallets` column counts each line's pallets (`Pallets | SQM | USD/SQM`): invoices price goods,
    /// not the pallet each is on, as a packing list's `Pallets | 1` does.
    static func palletsCounted(_ h: [TableHeader], kind: DocumentKind) -> [TableHeader] {
        guard kind == .invoice, !h.contains(where: { $0.column == .packages }),
              let k = h.firstIndex(where: { $0.column == .other && ["pallets", "paletten", "palettes"].contains(Lexicon.normalize($0.text)) }) else { return h }
        var out = h
        out[k].column = .packages
        return out
    }

    /// An invoice that counts its goods only by the package and prices them so (`Cases | Price/Case US$ |
    /// Amount US$`): the packages are each line's quantity.
    static func packagesAsQuantity(_ h: [TableHeader], kind: DocumentKind) -> [TableHeader] {
        guard kind == .invoice, !h.contains(where: { $0.column == .quantity }), h.contains(where: { $0.column == .unitPrice }),
              h.filter({ $0.column == .packages }).count == 1, let k = h.firstIndex(where: { $0.column == .packages }) else { return h }
        var out = h
        out[k].column = .quantity
        return out
    }

    /// An invoice that prices by the kilogram and counts nothing else (`Packages | Net kg | Price/kg US$ |
    /// Amount US$`, a commodity's lots): its net weight is each line's quantity.
    static func netWeightAsQuantity(_ h: [TableHeader], kind: DocumentKind) -> [TableHeader] {
        guard kind == .invoice, !h.contains(where: { $0.column == .quantity }), h.contains(where: { $0.column == .amount }),
              let k = h.firstIndex(where: { $0.column == .netWeight }), !h.contains(where: { $0.column == .grossWeight }),
              let unit = headerUnit(h), ["KGM", "LBR", "TNE"].contains(Values.unit(unit.text)?.rawValue ?? "") else { return h }
        var out = h
        out[k].column = .quantity
        return out
    }

    /// Whether column headers make a table: three or more, a description and a number column.
    static func isTable(_ h: [TableHeader]) -> Bool {
        h.count >= 3 && h.contains(where: { $0.column == .description })
            && h.contains(where: { [.quantity, .amount, .netWeight, .grossWeight, .unitPrice].contains($0.column) })
    }

    /// The table header at line `i`, alone or with the `extra` lines just under it: a header
    /// row whose cells wrap onto two lines (`Prix` over `unitaire`), or whose cells are centred so
    /// that OCR sets half of them a few pixels lower, reads as two lines, neither a header alone;
    /// one-line cells centred between two-line ones (`Qty` beside `Description of` over `Goods`) as three.
    /// The line under it joins only when it holds header words and no numbers (a first table row
    /// set close under the header never does).
    func tableHeader(at i: Int) -> (headers: [TableHeader], extra: Int)? {
        guard let (known, extra) = knownHeader(at: i) else { return descriptionTypedByCells(at: i).map { ($0, 0) } }
        let line = joinedHeader(i, extra)
        guard let all = Self.header(line, headerWords, unknowns: true, ocr: ocrPages.contains(line.page)) else { return (known, extra) }
        let typed = typeUnknownColumns(all, below: i + extra)
        return typed.count > known.count && Self.isTable(typed) ? (typed, extra) : (known, extra)
    }

    /// Line `i` with the `extra` lines under it stacked cell by cell.
    func joinedHeader(_ i: Int, _ extra: Int) -> TextLine {
        var line = lines[i]
        for k in stride(from: i + 1, through: i + extra, by: 1) {
            line = TextLine(page: line.page, words: Self.stacked(line.words, under: lines[k].words), box: line.box.union(lines[k].box))
        }
        return line
    }

    /// How many colons on a line are followed at once by a figure (`Poids net : 3 705,000 kg`).
    static func labelledFigures(_ words: [Word]) -> Int {
        zip(words, words.dropFirst()).filter { $0.text.hasSuffix(":") && $1.text.first?.isNumber == true }.count
    }

    func knownHeader(at i: Int) -> (headers: [TableHeader], extra: Int)? {
        let line = lines[i]
        if Self.isSentence(line) { return nil }
        // A label and its value (`Pays d'origine : Sénégal` over the table) name no columns.
        if Self.opensWithLabel(line.words), let colon = line.words.firstIndex(where: { $0.text.hasSuffix(":") }), colon + 1 < line.words.count,
           !Self.mostlyHeaderWords(Array(line.words[(colon + 1)...]), headerTokens) { return nil }
        // Labels with their figures in a row (`Colisage : 18 palettes · Poids net : 3 705,000 kg`) name no columns.
        if Self.labelledFigures(line.words) >= 2 { return nil }
        let ocr = ocrPages.contains(line.page)
        let own = Self.header(line, headerWords, ocr: ocr).map { itemAsDescription($0, below: i) }.flatMap { Self.isTable($0) ? $0 : nil }
        var best = own.map { ($0, 0) }
        var whole: (headers: [TableHeader], extra: Int)?
        // A line with two numbers or more holds values (`Exchange rate: 1 USD = 84.25 INR`), and
        // is no header's upper line, as the lines under a header may hold only one.
        // A form's box numbers (`11.`, `12.`) are not values.
        let numbers = line.words.filter { $0.text.contains(where: \.isNumber) && Self.boxNumber($0.text) == nil }.count
        for extra in 1...5 where numbers <= 1 {
            let k = i + extra
            guard k < lines.count else { break }
            let above = lines[k - 1], next = lines[k]
            let em = min(above.em, next.em)
            guard next.page == line.page, next.box.y0 - above.box.y1 < 0.6 * em,
                  next.words.filter({ $0.text.contains(where: \.isNumber) }).count <= 1,
                  Self.mostlyHeaderWords(next.words, headerTokens)
            else { break }
            if extra > 2 {
                // A header of four lines or more (two languages stacked in each cell, `Qté` over `Qty`, `P.U.` over `Unit`
                // over `price`): only the whole stack names each column.
                if !line.words.contains(where: { $0.text.contains(where: \.isNumber) }),
                   let h = Self.header(joinedHeader(i, extra), headerWords, ocr: ocr).map({ itemAsDescription($0, below: k) }), Self.isTable(h) {
                    whole = (h, extra)
                }
                continue
            }
            guard let h = Self.header(joinedHeader(i, extra), headerWords, ocr: ocr).map({ itemAsDescription($0, below: k) }), Self.isTable(h),
                  h.count > (best?.0.count ?? 0) || h.count == best?.0.count && Self.kindWords(h) > Self.kindWords(best!.0) else { continue }
            // Three lines only under a first line with no number: one with a number is a line above
            // the table (`Shipping Marks: TEEHAUS / BREMEN / 1-9`, an address's postcode beside it).
            if extra == 2, line.words.contains(where: { $0.text.contains(where: \.isNumber) }) { continue }
            best = (h, extra)
        }
        return whole ?? best
    }

    /// A sentence names no columns, whatever words it uses (`… Poids brut / Gross weight: 48 kg.`): six
    /// words or more on one baseline, each a word space from the next (a header's cells stand apart).
    static func isSentence(_ line: TextLine) -> Bool {
        guard line.words.count >= 6 else { return false }
        let ws = line.words.sorted { $0.box.x0 < $1.box.x0 }
        // A sentence's end inside the line (`Goods of New Zealand origin. 5 cartons, gross weight 96.4 kg.`): a
        // header's abbreviations end with a point too (`Qty.`, `Pos.`), but are short.
        // A small word of letters only, then the next sentence's first (`origin. 5`), among words in small
        // letters; not a header's capitalised abbreviations (`Artikelnr. Omschrijving`, `Preis/Einh. €`).
        if ws.filter({ $0.text.first?.isLowercase == true }).count >= 3, zip(ws, ws.dropFirst()).contains(where: { w, next in
            w.text.first?.isLowercase == true && w.text.hasSuffix(".") && w.text.dropLast().allSatisfy(\.isLetter) && w.text.count > 5
                && (next.text.first?.isUppercase == true || next.text.first?.isNumber == true)
        }) { return true }
        let heights = ws.map(\.box.height).sorted()
        let height = heights[heights.count / 2]
        guard let top = ws.map(\.box.y0).max(), let low = ws.map(\.box.y0).min(), top - low < 0.5 * height else { return false }
        return zip(ws, ws.dropFirst()).allSatisfy { $1.box.x0 - $0.box.x1 < 0.45 * height }
    }

    /// Whether half a line's words or more are header words or their qualifiers (`Ordered`, `(kg)`):
    /// a first table row that starts with one (`NB-2210 Birch dining chair`) is no header line.
    static func mostlyHeaderWords(_ words: [Word], _ headerTokens: Set<String>) -> Bool {
        let toks = tokens(words)
        guard toks.contains(where: { headerTokens.contains($0.token) }) else { return false }
        let known = words.indices.filter { k in
            isQualifier(words[k].text) || toks.contains { $0.word == k && (headerTokens.contains($0.token) || columnKindWords.contains($0.token)) }
        }
        return 2 * known.count >= words.count
    }

    /// Two header lines read as one, each cell's words in reading order: a word of the lower line
    /// follows the upper cell it stands under (`No. of` over `Units`, `Harmonized` over `Tariff
    /// No.`, `Poids net` over a centred `(kg)`), not its place by left edge alone. The upper line's
    /// cells are its words set less than an em apart.
    static func stacked(_ upper: [Word], under lower: [Word]) -> [Word] {
        var cells: [(upper: [Word], lower: [Word])] = []
        var order: [[Int]] = []
        for k in upper.indices.sorted(by: { upper[$0].box.x0 < upper[$1].box.x0 }) {
            let w = upper[k]
            if let last = cells.last?.upper.last, w.box.x0 - last.box.x1 < 0.9 * max(last.box.height, w.box.height) {
                cells[cells.count - 1].upper.append(w)
                order[order.count - 1].append(k)
            } else {
                cells.append(([w], []))
                order.append([k])
            }
        }
        // Narrow columns set close (`Net Wt  Net Wt` over `(lb)  (kg)`): a cell of three words or more
        // is cut where its words stand twice as far apart as its closest pair.
        var k = 0
        while k < cells.count {
            let ws = cells[k].upper
            let gaps = zip(ws, ws.dropFirst()).map { $1.box.x0 - $0.box.x1 }
            if ws.count >= 3, let least = gaps.min(),
               let cut = gaps.indices.first(where: { gaps[$0] > max(2 * least, 0.4 * ws[$0].box.height) }) {
                cells.insert((Array(ws[(cut + 1)...]), []), at: k + 1)
                cells[k].upper = Array(ws[...cut])
                order.insert(Array(order[k][(cut + 1)...]), at: k + 1)
                order[k] = Array(order[k][...cut])
            }
            k += 1
        }
        // A cell stacked before (`Qty` over `Ordered`) keeps its reading order, not its words' left edges.
        for c in cells.indices where order[c].count > 1 { cells[c].upper = order[c].sorted().map { upper[$0] } }
        var alone: [Word] = []
        for w in lower.sorted(by: { $0.box.x0 < $1.box.x0 }) {
            if let k = cells.indices.last(where: { c in cells[c].upper.contains { $0.box.xOverlap(w.box) > 0.5 * min($0.box.width, w.box.width) } }) {
                cells[k].lower.append(w)
            } else {
                alone.append(w)
            }
        }
        var out: [(x: Double, words: [Word])] = cells.map { ($0.upper.map(\.box.x0).min()!, $0.upper + $0.lower) }
        out += alone.map { ($0.box.x0, [$0]) }
        return out.sorted { $0.x < $1.x }.flatMap(\.words)
    }

    /// A line whose words stand in bands one under another (a header's one-line cells centred
    /// between two-line ones, grouped as one line), each cell's words in reading order, the top
    /// band's first. A line in one band, or slanted on a scan, keeps its words left to right.
    static func bandsStacked(_ line: TextLine) -> TextLine {
        var bands: [[Word]] = []
        for w in line.words.sorted(by: { $0.box.y0 < $1.box.y0 }) {
            if let top = bands.last?.first, w.box.y0 - top.box.y0 < 0.5 * min(top.box.height, w.box.height) {
                bands[bands.count - 1].append(w)
            } else {
                bands.append([w])
            }
        }
        guard bands.count > 1 else { return line }
        let sorted = bands.map { $0.sorted { $0.box.x0 < $1.box.x0 } }
        let words = sorted.dropFirst().reduce(sorted[0]) { stacked($0, under: $1) }
        return TextLine(page: line.page, words: words, box: line.box)
    }

    /// `Item` heads the goods' names on many shops' invoices (`Item | Price | Quantity | Total`),
    /// a line number's column on others: it is the description when the header has none and the
    /// row under it has words there.
    func itemAsDescription(_ h: [TableHeader], below i: Int) -> [TableHeader] {
        guard !h.contains(where: { $0.column == .description }), i + 1 < lines.count, lines[i + 1].page == lines[i].page,
              let k = h.firstIndex(where: { $0.column == .position && ["item", "items"].contains(Lexicon.normalize($0.text)) }),
              let cell = Self.cellGroups(lines[i + 1], h)[k], cell.contains(where: { $0.text.filter(\.isLetter).count >= 3 })
        else { return h }
        var out = h
        out[k].column = .description
        return out
    }

    /// `Item` and `Description` heading two cells close together read as one phrase (`item description`),
    /// where `Item` heads a column of its own: the rows under it print a line number there alone, left
    /// of the goods' words (`1 | Fresh Atlantic salmon`). Split so that the number stays out of the description.
    func positionBeforeDescription(_ h: [TableHeader], header line: TextLine, below i: Int) -> [TableHeader] {
        guard !h.contains(where: { $0.column == .position }), let k = h.firstIndex(where: { $0.column == .description }) else { return h }
        let ws = line.words.filter { h[k].box.xOverlap($0.box) > 0.5 * $0.box.width }.sorted { $0.box.x0 < $1.box.x0 }
        guard ws.count >= 2, Lexicon.positionHeaders.contains(Lexicon.normalize(ws[0].text)) else { return h }
        let edge = ws[1].box.x0
        let rows = rowsBelow(i, h).prefix(3)
        guard !rows.isEmpty, rows.allSatisfy({ r in
            let left = lines[r].words.filter { $0.box.x1 > h[k].box.x0 - line.em && $0.box.x0 < edge }
            return left.count == 1 && left[0].box.x1 < edge - 0.3 * line.em && left[0].text.count <= 3 && left[0].text.allSatisfy(\.isNumber)
        }) else { return h }
        var out = h
        out[k].box = ws.dropFirst(2).reduce(ws[1].box) { $0.union($1.box) }
        out[k].text = ws.dropFirst().map(\.text).joined(separator: " ")
        out.insert(TableHeader(column: .position, box: ws[0].box, text: ws[0].text), at: k)
        return out
    }

    /// A scanned header whose description header OCR garbled past matching (`Drew raption`,
    /// `Dew raptor` at 72 DPI) while three or more other columns, one of them a number column,
    /// read: the table is kept when one unknown column left of every number column holds text
    /// in most of the rows under it (`typeUnknownColumns`). On a text layer, which prints its header as
    /// written, the goods' column named by their kind (`Wine | Cases | Bottles | Price per bottle |
    /// Amount`): the first column, beside two number columns or more.
    func descriptionTypedByCells(at i: Int) -> [TableHeader]? {
        let line = lines[i]
        let ocr = ocrPages.contains(line.page)
        // On a text layer, a header of a priced table: not a sentence nor labels with their values (`Versand: 3 Kolli,
        // Bruttogewicht 486,0 kg`), which `knownHeader` turned down.
        if !ocr, Self.isSentence(line) || line.words.contains(where: { $0.text.hasSuffix(":") })
            || line.words.filter({ $0.text.contains(where: \.isNumber) }).count > 1 { return nil }
        let numbers: Set<Column> = ocr ? [.quantity, .amount, .netWeight, .grossWeight, .unitPrice] : [.quantity, .amount, .unitPrice]
        guard let partial = Self.header(line, headerWords, ocr: ocr), !partial.contains(where: { $0.column == .description }),
              partial.filter({ numbers.contains($0.column) }).count >= (ocr ? 1 : 2),
              let all = Self.header(line, headerWords, unknowns: true, ocr: ocr) else { return nil }
        let typed = typeUnknownColumns(all, below: i, descriptions: true)
        guard Self.isTable(typed) else { return nil }
        return ocr || typed.min(by: { $0.box.x0 < $1.box.x0 })?.column == .description ? typed : nil
    }

    /// The column headers on a line, if it reads as a table header; read again with the words OCR
    /// glued together split apart (`unglued`) when that finds more known columns.
    static func header(_ whole: TextLine, _ table: [(column: Column, phrases: [String])] = Lexicon.headers, unknowns: Bool = false,
                       ocr: Bool = false) -> [TableHeader]? {
        let line = formBoxNames(bandsStacked(whole)) ?? bandsStacked(whole)
        let plain = headerColumns(line, table, unknowns: unknowns, lookalikes: ocr)
        guard let split = unglued(line, table), let alt = headerColumns(split, table, unknowns: unknowns, lookalikes: ocr) else { return plain }
        func known(_ h: [TableHeader]?) -> Int { h?.filter { $0.column != .unknown }.count ?? 0 }
        return known(alt) > known(plain) ? alt : plain
    }

    /// A form's row of numbered boxes as column names (`11. Number of packages | 12. Specification of
    /// commodities (kind of packages, marks and numbers, general description …) | 13. Quantity (state
    /// unit)`): each box's name without its number and the explanation in parentheses, whose words
    /// (`packages`, `description`) name other columns. Nil unless three boxes or more are numbered in order.
    static func formBoxNames(_ line: TextLine) -> TextLine? {
        let starts = line.words.indices.filter { boxNumber(line.words[$0].text) != nil }
        guard starts.count >= 3, zip(starts, starts.dropFirst()).allSatisfy({ boxNumber(line.words[$0].text)! < boxNumber(line.words[$1].text)! })
        else { return nil }
        var words = Array(line.words[..<starts[0]])
        for (a, b) in zip(starts, starts.dropFirst() + [line.words.count]) {
            var inParentheses = false
            var name: [Word] = []
            for w in line.words[(a + 1)..<b] {
                if w.text.hasPrefix("(") { inParentheses = true }
                if !inParentheses { name.append(w) }
                if w.text.hasSuffix(")") { inParentheses = false }
            }
            guard !name.isEmpty else { continue }
            // The name spans its box, from its number to the next box's: a box's figures are set
            // right-aligned in it, far from a name printed at its left.
            name[0].box = Box(x0: line.words[a].box.x0, y0: name[0].box.y0, x1: name[0].box.x1, y1: name[0].box.y1)
            if b < line.words.count, line.words[b].box.x0 > name[name.count - 1].box.x1 {
                let last = name[name.count - 1].box
                name[name.count - 1].box = Box(x0: last.x0, y0: last.y0, x1: line.words[b].box.x0 - 0.5 * line.em, y1: last.y1)
            }
            words += name
        }
        return TextLine(page: line.page, words: words, box: line.box)
    }

    /// Every word of the lexicon's column headers (`net`, `weight`, `unit`, …).
    static let headerVocabulary: Set<String> = Set(Lexicon.headers.flatMap { $0.phrases.flatMap { $0.split(separator: " ").map(String.init) } })

    /// The line with the header words OCR glued together split apart. Headers printed close
    /// together run into one word on a scan (`PackagesNet`, `PackageNat` before `Weight`, `(k@ross`
    /// for `(kg) Gross`); such a word matches no header, and the columns on both sides of it were
    /// lost with it. A word that is no header word is split in two where its right part starts a
    /// header phrase (alone, or with the next word for a phrase of two: one slip allowed in five
    /// letters or more) and its left part is a header word (one slip in five letters or more) or
    /// a broken qualifier (`(k`). Each part gets its share of the box (by characters). Only lines
    /// with two header words read as printed are looked at; nil when no word splits.
    static func unglued(_ line: TextLine, _ table: [(column: Column, phrases: [String])]) -> TextLine? {
        let toks = tokens(line.words)
        guard toks.count >= 3, toks.count <= 40, toks.filter({ headerVocabulary.contains($0.token) }).count >= 2 else { return nil }
        let phrases = table.flatMap { $0.phrases.map { $0.split(separator: " ").map(String.init) } }
        let vocabulary = Set(phrases.joined())
        /// 0 for a word read as printed, 1 for one slip, nil for no match.
        func wordScore(_ s: String, _ w: String) -> Int? {
            if s == w { return s.count >= 2 ? 0 : nil }
            return similar(s, w) ? 1 : nil
        }
        var out: [Word] = []
        var changed = false
        for (k, w) in line.words.enumerated() {
            let folded = w.text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            let chars = Array(folded)
            let own = Lexicon.tokens(w.text)
            guard chars.count >= 5, !own.isEmpty, !own.allSatisfy({ vocabulary.contains($0) || $0.count <= 2 }),
                  !folded.contains(where: \.isNumber) else { out.append(w); continue }
            let next = k + 1 < line.words.count ? Lexicon.normalize(line.words[k + 1].text).replacingOccurrences(of: " ", with: "") : ""
            var best: (at: Int, score: Int, word: String?, right: Int)?
            for i in 2...(chars.count - 2) {
                let left = String(chars[..<i]), right = String(chars[i...])
                let l = left.filter { $0.isLetter }
                let leftScore: Int? = left.hasPrefix("(") && !left.contains(")") && left.count <= 3 ? 1
                    : (l.count == left.count ? vocabulary.lazy.compactMap { wordScore(l, $0) }.min() : nil)
                guard let leftScore else { continue }
                // The right part's score, and the header word it was read as when it needed a slip.
                var right1: (score: Int, word: String?)?
                for p in phrases {
                    if let s = wordScore(right, p[0]), right.allSatisfy(\.isLetter) || s > 0, s < (right1?.score ?? 2) { right1 = (s, s == 0 ? nil : p[0]) }
                    if p.count == 2, !next.isEmpty, p[1] == next || similar(next, p[1]), similar(right + next, p.joined(), long: true) {
                        let s = right == p[0] ? 0 : 1
                        if s < (right1?.score ?? 2) { right1 = (s, s == 0 ? nil : p[0]) }
                    }
                }
                guard let right1 else { continue }
                // Of two cuts as good, the one whose second word needs no slip: OCR's stray letter ends the first
                // (`PackagewNet` is `Packages` `Net`, not `Package` `wNet`, now that `package` is a header's word too).
                let score = leftScore + right1.score
                if best == nil || score < best!.score || score == best!.score && right1.score < best!.right { best = (i, score, right1.word, right1.score) }
            }
            guard let (at, _, word, _) = best else { out.append(w); continue }
            let step = w.box.width / Double(chars.count)
            let original = Array(w.text)
            let cut = original.count == chars.count ? at : Int((Double(at) * Double(original.count) / Double(chars.count)).rounded())
            var a = w, b = w
            a.text = String(original[..<cut])
            b.text = word ?? String(original[cut...])
            a.box = Box(x0: w.box.x0, y0: w.box.y0, x1: w.box.x0 + Double(at) * step, y1: w.box.y1)
            b.box = Box(x0: w.box.x0 + Double(at) * step, y0: w.box.y0, x1: w.box.x1, y1: w.box.y1)
            out += [a, b]
            changed = true
        }
        return changed ? TextLine(page: line.page, words: out, box: line.box) : nil
    }

    /// Header words by their OCR look-alike form (`lookalike`); words two of which look alike are left out.
    static let headerLookalikes: [String: String] = {
        var seen: [String: [String]] = [:]
        for w in headerVocabulary { seen[lookalike(w), default: []].append(w) }
        return seen.compactMapValues { $0.count == 1 ? $0[0] : nil }
    }()

    /// A token with the letters that OCR confuses at low resolution made one: `q` and `0` as
    /// `o`, `i` and `1` as `l`, `5` as `s`, `rn` as `m` (`Oty` for `Qty`, `H5` for `HS`). Short
    /// header words get no slip in `similar`; this forgives them the slips a scan makes.
    static func lookalike(_ token: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count)
        for c in token.utf8 {
            switch c {
            case UInt8(ascii: "q"), UInt8(ascii: "0"): out.append(UInt8(ascii: "o"))
            case UInt8(ascii: "i"), UInt8(ascii: "1"): out.append(UInt8(ascii: "l"))
            case UInt8(ascii: "5"): out.append(UInt8(ascii: "s"))
            case UInt8(ascii: "n") where out.last == UInt8(ascii: "r"): out[out.count - 1] = UInt8(ascii: "m")
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `lookalikes`: a token that is no header word but looks like exactly one (`lookalike`) is
    /// read as that word: for OCR pages.
    static func headerColumns(_ line: TextLine, _ table: [(column: Column, phrases: [String])], unknowns: Bool,
                              lookalikes: Bool = false) -> [TableHeader]? {
        var toks = tokens(line.words)
        guard toks.count >= 3, toks.count <= 40 else { return nil }
        if lookalikes {
            for k in toks.indices where !headerVocabulary.contains(toks[k].token) {
                if let w = headerLookalikes[lookalike(toks[k].token)] { toks[k].token = w }
            }
        }
        var out: [TableHeader] = []
        var repeats = 0
        var t = 0
        var lastWord = -1
        // Split once per line, not once per token.
        let split = table.map { (column: $0.column, phrases: $0.phrases.map { $0.split(separator: " ").map(String.init) }) }
        while t < toks.count {
            var best: (Column, Int)?
            for (col, phrases) in split {
                for pt in phrases {
                    if let n = headerMatch(pt, toks, at: t), n > (best?.1 ?? 0) {
                        // A phrase's words must sit close together (two headers are apart).
                        // Punctuation between counts as a word of the phrase (`Pcs / ctn`).
                        let used = Set(toks[t..<(t + n)].map(\.word)).sorted()
                        let ws = zip(used, used.dropFirst()).allSatisfy({ a, b in (a + 1..<b).allSatisfy { Lexicon.tokens(line.words[$0].text).isEmpty } })
                            ? Array(used[0]...used[used.count - 1]) : used
                        let tight = zip(ws, ws.dropFirst()).allSatisfy { line.words[$1].box.x0 - line.words[$0].box.x1 < line.em * 0.9 }
                        if tight { best = (col, n) }
                    }
                }
            }
            // A header's unit in parentheses just after it (`Qty (ctns)`) qualifies it, though it names a column too.
            let qualifying = best.map { $0.1 == 1 } == true && line.words[toks[t].word].text.hasPrefix("(")
                && out.last.map { line.words[toks[t].word].box.x0 - $0.box.x1 < line.em && $0.column.isNumeric } == true
            // `Einzelpreis netto`, `Gesamt brutto`: which price a column gives, beside a unit price, not a weight.
            let priceQualifier = best.map { [.netWeight, .grossWeight].contains($0.0) && $0.1 == 1 } == true
                && Lexicon.bareWeightLabels.contains(toks[t].token) && out.contains(where: { $0.column == .unitPrice })
                && out.last.map { [.unitPrice, .amount].contains($0.column) && line.words[toks[t].word].box.x0 - $0.box.x1 < line.em } == true
            // `Eenheidsprijs excl. btw`, `Price incl. VAT`: the tax a price is given without or with, not the tax's column.
            let taxQualifier = best.map { $0.0 == .other && $0.1 == 1 } == true && Lexicon.taxWords.contains(toks[t].token) && t > 0
                && Lexicon.taxQualifiers.contains(toks[t - 1].token) && toks[t - 1].word != toks[t].word
                && out.last.map { h in [.unitPrice, .amount].contains(h.column) && h.box.x1 >= line.words[toks[t - 1].word].box.x1 - 0.5
                    && line.words[toks[t].word].box.x0 - h.box.x1 < line.em } == true
            // `Price per bottle`: what the price is for, not a second quantity column (`bottle` read as `Bottles`).
            let pricedPer = t > 0 && ["per", "pro", "par", "je"].contains(toks[t - 1].token) && toks[t - 1].word != toks[t].word
                && out.last.map { h in [.unitPrice, .amount].contains(h.column) && h.box.x1 >= line.words[toks[t - 1].word].box.x1 - 0.5
                    && line.words[toks[t].word].box.x0 - h.box.x1 < line.em } == true
            // `USD/SQM`, `€/kg`: a currency by a unit is a price, with no word for it.
            // Not after a price's own header (`Rate US$/Pc`), which it qualifies.
            if Self.currencyPerUnit(line.words[toks[t].word].text), out.last.map({ h in [.unitPrice, .amount].contains(h.column)
                && line.words[toks[t].word].box.x0 - h.box.x1 < line.em }) != true { best = (.unitPrice, 1) }
            if let (col, n) = best, toks[t].word != lastWord, !qualifying, !priceQualifier, !taxQualifier, !pricedPer {
                let ws = Array(Set(toks[t..<(t + n)].map(\.word))).sorted()
                let box = ws.dropFirst().reduce(line.words[ws[0]].box) { $0.union(line.words[$1].box) }
                let text = ws.map { line.words[$0].text }.joined(separator: " ")
                if col != .other, let last = out.last, last.column == col, Self.slashBetween(line, lastWord, ws[0]),
                   Lexicon.normalize(last.text) != Lexicon.normalize(text) {
                    // One column named in two languages across a slash (`Aantal / Quantité`), not a second column of it.
                    out[out.count - 1].box = last.box.union(box)
                    out[out.count - 1].text += " / " + text
                } else if col != .other, let same = out.firstIndex(where: { $0.column == col && $0.box.xOverlap(box) > 0.5 * min($0.box.width, box.width) }) {
                    // One column named twice in its cell, in two languages (`Qté` over `Qty`).
                    out[same].box = out[same].box.union(box)
                    out[same].text += " " + text
                } else if col == .other || !out.contains(where: { $0.column == col }) {
                    out.append(TableHeader(column: col, box: box, text: text))
                } else if Self.measuredTwice.contains(col) {
                    // `Qty Ordered | Qty Shipped`, `Net Wt (lb) | Net Wt (kg)`: one is read (`oneOfEachKind`).
                    out.append(TableHeader(column: col, box: box, text: text))
                    repeats += 1
                } else if col == .description, let k = out.firstIndex(where: { $0.column == .description }),
                          weakDescriptions.contains(Lexicon.normalize(out[k].text)) {
                    // `Artikel | Bezeichnung`: the first names the article by its number, the second describes it.
                    out[k].column = .reference
                    out.append(TableHeader(column: col, box: box, text: text))
                }
                lastWord = ws.last!
                t += n
                while t < toks.count, toks[t].word == lastWord { t += 1 }
            } else {
                // `(kg)`, `(GBP)`: words that qualify the header before them.
                let w = toks[t].word
                let word = line.words[w]
                // `Ordered` after `Qty`, `lbs` after `Net Wt`: which of two such columns this is, not a column of its own.
                let qualifiesKind = out.last.map { measuredTwice.contains($0.column) } == true
                    && columnKindWords.contains(Lexicon.normalize(word.text))
                // `excl.` of `Eenheidsprijs excl. btw`: the price's, before the tax it names.
                let beforeTax = Lexicon.taxQualifiers.contains(toks[t].token) && out.last.map { [.unitPrice, .amount].contains($0.column) } == true
                if unknowns, w != lastWord, !isQualifier(word.text), !qualifiesKind, !priceQualifier, !taxQualifier, !beforeTax, !pricedPer {
                    // A header word not in the lexicon (`Otylunit`, `MS Code`, `Art. No.`): its own
                    // column, typed later from what is printed under it (`typeUnknownColumns`).
                    if let last = out.last, last.column == .unknown, word.box.x0 - last.box.x1 < line.em {
                        out[out.count - 1].box = last.box.union(word.box)
                        out[out.count - 1].text += " " + word.text
                    } else {
                        out.append(TableHeader(column: .unknown, box: word.box, text: word.text))
                    }
                } else if let last = out.last, w != lastWord, !Self.startsOwnColumn(line, w, after: last, qualifiesKind: qualifiesKind || beforeTax) {
                    // A slash between bridges the gap, and stays in the header's text (`Price / lb (USD)`).
                    let slash = w > 0 && line.words[w - 1].text == "/" && line.words[w - 1].box.x0 >= last.box.x1 - 1
                        && line.words[w - 1].box.x0 - last.box.x1 < line.em ? line.words[w - 1] : nil
                    if word.box.x0 - (slash?.box.x1 ?? last.box.x1) < line.em {
                        out[out.count - 1].box = last.box.union(word.box)
                        out[out.count - 1].text += (slash.map { " " + $0.text } ?? "") + " " + word.text
                    }
                }
                lastWord = w
                while t < toks.count, toks[t].word == w { t += 1 }
            }
        }
        slashJoinedNames(&out, line)
        return out.filter { $0.column != .unknown }.count - repeats >= 3 ? oneOfEachKind(out) : nil
    }

    /// Whether word `w`, which the lexicon does not know, set close after a figure's header, names a
    /// column of its own rather than qualifying that header: a long word of letters (`Brutto kg |
    /// Ladungsträger`), which glued on would stretch the weights' column over the next one's cells.
    /// Not across a slash, nor in a header named in two languages (`Unit price / מחיר יחידה`).
    static func startsOwnColumn(_ line: TextLine, _ w: Int, after header: TableHeader, qualifiesKind: Bool) -> Bool {
        let text = line.words[w].text
        return [.quantity, .netWeight, .grossWeight, .unitPrice, .amount, .packages].contains(header.column) && !qualifiesKind
            && !header.text.contains("/") && !(w > 0 && line.words[w - 1].text.hasSuffix("/"))
            && !isQualifier(text) && text.count >= 5 && text.allSatisfy { $0.isASCII && $0.isLetter || "äöüßéèàç".contains($0) }
    }

    /// Whether a header word is a currency per unit (`USD/SQM`, `EUR/t`, `€/kg`), which heads a unit price.
    static func currencyPerUnit(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let currency = String(parts[0]).trimmingCharacters(in: .whitespaces), unit = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        guard !currency.isEmpty, !unit.isEmpty, Values.unit(unit) != nil else { return false }
        return Values.currencyWords[Lexicon.normalize(currency)] != nil || Values.currencySymbols[currency] != nil
    }

    /// Whether only a slash stands between two words of a header line, close together (`Aantal / Quantité`).
    static func slashBetween(_ line: TextLine, _ a: Int, _ b: Int) -> Bool {
        guard a >= 0, a < b, b < line.words.count, line.words[b].box.x0 - line.words[a].box.x1 < 2 * line.em else { return false }
        let between = line.words[(a + 1)..<b]
        if between.isEmpty { return line.words[a].text.hasSuffix("/") || line.words[b].text.hasPrefix("/") }
        return between.allSatisfy { !$0.text.isEmpty && $0.text.allSatisfy { $0 == "/" } }
    }

    /// `Style / Description`: a name the lexicon does not know, joined by a slash to one it does, is
    /// the same column, so the cells under it are the description's, not a neighbour's.
    static func slashJoinedNames(_ out: inout [TableHeader], _ line: TextLine) {
        var joined: [Box] = []
        for k in out.indices where out[k].column != .unknown {
            guard let slash = line.words.lastIndex(where: { $0.text == "/" && $0.box.x1 <= out[k].box.x0 + 1 && out[k].box.x0 - $0.box.x1 < line.em }),
                  slash > 0 else { continue }
            let name = line.words[slash - 1]
            guard line.words[slash].box.x0 - name.box.x1 < line.em, name.text.contains(where: \.isLetter) else { continue }
            // The name taken as a qualifier of the header before it (`No. Style`) is given back.
            if let h = out.firstIndex(where: { $0.column != .unknown && $0.box.xOverlap(name.box) > 0 }) {
                guard h != k, slash >= 2, out[h].text.hasSuffix(" " + name.text), out[h].box.x0 < name.box.x0 else { continue }
                out[h].text = String(out[h].text.dropLast(name.text.count + 1))
                out[h].box = Box(x0: out[h].box.x0, y0: out[h].box.y0, x1: line.words[slash - 2].box.x1, y1: out[h].box.y1)
            }
            out[k].box = out[k].box.union(name.box)
            out[k].text = name.text + " / " + out[k].text
            joined.append(name.box)
        }
        out.removeAll { h in h.column == .unknown && joined.contains { h.box.xOverlap($0) > 0 } }
    }

    /// Columns a table may print twice, ordered and shipped, in two units of weight, or a price before and after a discount.
    static let measuredTwice: Set<Column> = [.quantity, .netWeight, .grossWeight, .amount, .unitPrice]

    /// Header words that say which of two columns of one kind is read: what was shipped and
    /// charged, not what was ordered or is still owed; kilograms, not pounds.
    /// A packing list's whole quantity and weights (`Total Qty`, `Total G.W.`) are read, not those per carton (`Qty/Ctn`, `N.W./Ctn`).
    static let readColumnWords: Set<String> = ["shipped", "delivered", "invoiced", "supplied", "geliefert", "liefermenge", "livree", "livrees",
                                               "geleverd", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "total"]
    static let unreadColumnWords: Set<String> = ["ordered", "order", "ord", "bestellt", "bestellmenge", "commandee", "commandees", "commande",
                                                 "besteld", "backorder", "backordered", "bo", "open", "outstanding", "offen", "nog", "reste", "back", "lb", "lbs", "pound", "pounds",
                                                 "ctn", "carton", "per", "each"]

    static let columnKindWords = readColumnWords.union(unreadColumnWords)

    /// How many words of a header say which of two columns of one kind is read: a line under the
    /// header that adds no column but says it (`(lb)  (kg)` under `Net Wt  Net Wt`) belongs to it.
    static func kindWords(_ headers: [TableHeader]) -> Int {
        headers.reduce(0) { $0 + Lexicon.tokens($1.text).filter(columnKindWords.contains).count }
    }

    /// A table's header with one column of each kind read: of two (`Qty Ordered | Qty Shipped`,
    /// `Net Wt (lb) | Net Wt (kg)`) the one whose words say it is read, the first when none does;
    /// the other stays a column, not read, so that its numbers do not spill into a neighbour.
    static func oneOfEachKind(_ headers: [TableHeader]) -> [TableHeader] {
        var out = headers
        for column in measuredTwice {
            let ks = out.indices.filter { out[$0].column == column }
            guard ks.count > 1 else { continue }
            func score(_ k: Int) -> Int {
                let toks = Set(Lexicon.tokens(out[k].text))
                // The price paid (`Net Price`), not the list's before the line's discount.
                if column == .unitPrice {
                    return (toks.isDisjoint(with: ["net", "netto", "nettopreis", "nettoeinzelpreis", "nettoprijs"]) ? 0 : 1)
                        - (toks.isDisjoint(with: ["list", "catalogue", "catalog", "gross", "brutto", "listenpreis", "lijstprijs"]) ? 0 : 1)
                }
                return (toks.isDisjoint(with: readColumnWords) ? 0 : 1) - (toks.isDisjoint(with: unreadColumnWords) ? 0 : 1)
            }
            var keep = ks[0]
            // Of two amounts (`Net value | Gross value`), the first, unless their currencies say otherwise.
            for k in ks.dropFirst() where column != .amount && score(k) > score(keep) { keep = k }
            // An export invoice's amount in its currency and again in the exporter's (`Rate (USD) |
            // Amount (USD) | Amount (INR)`): the line's is in the unit price's currency.
            if column == .amount, let priced = out.first(where: { $0.column == .unitPrice }).flatMap({ Values.currency(in: $0.text) }),
               let same = ks.first(where: { Values.currency(in: out[$0].text) == priced }) {
                keep = same
            }
            for k in ks where k != keep { out[k].column = .other }
        }
        return out
    }

    /// Description headers that name the article rather than describe it, when a second description header follows.
    static let weakDescriptions: Set<String> = ["artikel", "article", "product", "produkt", "produit", "item", "goods"]

    /// A word that qualifies the header before it rather than naming a column: `(kg)`, `(GBP)`,
    /// `EUR`, `%`, `kg`.
    static func isQualifier(_ text: String) -> Bool {
        if text.contains("(") || text.contains(")") { return true }
        let n = Lexicon.normalize(text)
        return n.isEmpty || n.count <= 2 && !n.contains(where: \.isNumber) && text.uppercased() != text
            || Values.currencyWords[n] != nil || Lexicon.units[n] != nil || (text.count == 3 && text.allSatisfy(\.isUppercase))
    }

    /// The header's unknown columns typed from the cells under them (the next table lines of the
    /// page): a column whose cells read as HS codes becomes the HS code column, country codes the
    /// origin, units the unit, numbers with a unit the quantity, and plain numbers the one of
    /// quantity, unit price and line total that the header lacks and that fits between its
    /// neighbours. Two thirds of at least two cells must agree, and a column the header already
    /// has is never given twice. Untyped unknown columns are dropped (their words go to the
    /// nearest known column, as before).
    func typeUnknownColumns(_ headers: [TableHeader], below i: Int, descriptions: Bool = false) -> [TableHeader] {
        guard headers.contains(where: { $0.column == .unknown }) else { return headers }
        let headers = ocrPages.contains(lines[i].page) ? numbersRightOfHeader(headers, below: i) : headers
        var samples: [Int: [String]] = [:]
        let rows = rowsBelow(i, headers)
        for j in rows {
            for (k, ws) in Self.cellGroups(lines[j], headers) where headers[k].column == .unknown || Self.packingNumbers.contains(headers[k].column) {
                samples[k, default: []].append(ws.map(\.text).joined(separator: " "))
            }
        }
        // A text layer's goods column named by their kind (`Wine`) whose cells wrap with the figures at their foot:
        // each row's whole cell, its lines above the figures too, is the sample.
        var wholeCells: [Int: [String]] = [:]
        if descriptions, !ocrPages.contains(lines[i].page) {
            var from = i + 1
            for j in rows {
                for k in headers.indices where headers[k].column == .unknown {
                    let cell = (from...j).flatMap { Self.cellGroups(lines[$0], headers)[k] ?? [] }
                    if !cell.isEmpty { wholeCells[k, default: []].append(cell.map(\.text).joined(separator: " ")) }
                }
                from = j + 1
            }
        }
        var out = headers
        var have = Set(headers.map(\.column))
        let trio: [Column] = [.quantity, .unitPrice, .amount]
        for k in out.indices where out[k].column == .unknown {
            let texts = samples[k] ?? []
            guard texts.count >= 2 else { continue }
            func most(_ test: (String) -> Bool) -> Bool { 3 * texts.filter(test).count >= 2 * texts.count }
            var pick: Column?
            // HS codes: clean ones, or a run of eight digits or more that OCR glued to a
            // neighbour (`9404400000/CN`, `6403990000/U5`); an amount never has such a run, so
            // the column is not taken for a quantity or price (its cells then spill nowhere).
            if !have.contains(.hsCode), most({ t in Values.hsCode(t).map { $0.count >= 6 } ?? false || Self.longestDigitRun(t) >= 8 }) { pick = .hsCode }
            else if descriptions, !have.contains(.description), Self.isLeftOfNumbers(k, out),
                    most(Self.readsAsText) || (wholeCells[k]?.count ?? 0) >= 2 && wholeCells[k]!.allSatisfy(Self.readsAsDescription) { pick = .description }
            else if !have.contains(.origin), most({ t in t.count == 2 && Values.countryInColumn(t) != nil }) { pick = .origin }
            else if !have.contains(.unit), most({ Values.unitInColumn($0) != nil }) { pick = .unit }
            else if !have.contains(.quantity), most({ t in
                let parts = t.split(separator: " ")
                return parts.count == 2 && Values.number(String(parts[0])) != nil && Values.unitInColumn(String(parts[1])) != nil
            }) || most({ t in
                // OCR lost or garbled the number of some cells (`pes`, `é pes`, `12 lpcs`): a
                // unit ends most cells and a third or more hold digits.
                let parts = t.split(separator: " ")
                return parts.count <= 3 && parts.last.map { Values.unitInColumn(String($0)) != nil } == true
            }) && 3 * texts.filter({ $0.contains(where: \.isNumber) }).count >= texts.count { pick = .quantity }
            // `Anz. | Gebinde | … | Menge`: the count beside the kind of package is the packages, the quantity given apart.
            else if !have.contains(.packages), have.contains(.quantity), k + 1 < out.count,
                    Lexicon.packageKindHeaders.contains(Lexicon.normalize(out[k + 1].text)),
                    most({ t in Values.number(t, mark: mark).map { $0.value == $0.value.rounded(scale: 0) && $0.value > 0 } ?? false }) { pick = .packages }
            else if most({ Values.number($0, mark: mark) != nil }) {
                // The missing one of the trio that fits between the known ones left and right of it.
                let left = out[..<k].compactMap { trio.firstIndex(of: $0.column) }.max() ?? -1
                let right = out[(k + 1)...].compactMap { trio.firstIndex(of: $0.column) }.min() ?? trio.count
                let fits = trio.indices.filter { $0 > left && $0 < right && !have.contains(trio[$0]) }
                if fits.count == 1 { pick = trio[fits[0]] }
            }
            if let pick {
                out[k].column = pick
                have.insert(pick)
            }
        }
        if ocrPages.contains(lines[i].page), doc.kind == .invoice { Self.typeGarbledNumberColumns(&out, samples: samples, mark: mark) }
        if ocrPages.contains(lines[i].page), doc.kind == .packingList { Self.typeGarbledPackingColumns(&out, samples: samples, mark: mark) }
        return out.filter { $0.column != .unknown }
    }

    /// A packing list's number columns: the quantity, the packages and the two weights.
    static let packingNumbers: [Column] = [.quantity, .packages, .netWeight, .grossWeight]

    /// On a packing list's scan, the number columns whose headers OCR garbled (`STNS` for `CTNS`,
    /// `ergy` for `Gross Wt. (Kgs)`): an unknown column right of the description whose cells read as
    /// numbers two times in three takes a missing one of quantity, packages, net and gross weight
    /// when exactly one way of giving them (the most columns typed) fits how packing lists print
    /// them: packages, net and gross weight in that order left to right, the quantity left of the
    /// weights, whole numbers under packages, and, summed over the column, no fewer pieces than
    /// packages and a gross weight no lighter than the net.
    static func typeGarbledPackingColumns(_ out: inout [TableHeader], samples: [Int: [String]], mark: DecimalMark) {
        guard let description = out.first(where: { $0.column == .description }) else { return }
        let missing = packingNumbers.filter { c in !out.contains { $0.column == c } }
        func values(_ k: Int) -> [Decimal] { (samples[k] ?? []).compactMap { Values.number($0, mark: mark)?.value } }
        let candidates = out.indices.filter { k in
            guard out[k].column == .unknown, out[k].box.x0 > description.box.x1, let texts = samples[k], texts.count >= 2 else { return false }
            return 3 * values(k).count >= 2 * texts.count
        }
        guard !missing.isEmpty, !candidates.isEmpty else { return }
        func fits(_ typed: [TableHeader], _ given: Set<Column>) -> Bool {
            func column(_ c: Column) -> Int? { typed.firstIndex { $0.column == c } }
            func sum(_ c: Column) -> Decimal? { column(c).map { values($0).reduce(0) { $0 + abs($1) } } }
            func compared(_ a: Column, _ b: Column) -> Bool { given.contains(a) || given.contains(b) }
            let order = typed.filter { [.packages, .netWeight, .grossWeight].contains($0.column) }.sorted { $0.box.x0 < $1.box.x0 }.map(\.column)
            guard order == [Column.packages, .netWeight, .grossWeight].filter(order.contains) else { return false }
            if let q = column(.quantity), typed.contains(where: { [.netWeight, .grossWeight].contains($0.column) && $0.box.x0 < typed[q].box.x0 }) { return false }
            if let p = column(.packages), !values(p).allSatisfy({ $0 == $0.rounded(scale: 0) }) { return false }
            if compared(.quantity, .packages), let q = sum(.quantity), let p = sum(.packages), q < p { return false }
            if compared(.netWeight, .grossWeight), let n = sum(.netWeight), let g = sum(.grossWeight), g < n { return false }
            return true
        }
        // Every way of giving candidates missing columns (each at most once), the most typed first.
        var ways: [[Int: Column]] = [[:]]
        for k in candidates {
            ways = ways.flatMap { way in [way] + missing.filter { !way.values.contains($0) }.map { way.merging([k: $0]) { a, _ in a } } }
        }
        let fitting = ways.filter { way in
            !way.isEmpty && fits(out.indices.map { k in way[k].map { TableHeader(column: $0, box: out[k].box, text: out[k].text) } ?? out[k] },
                                 Set(way.values))
        }
        guard let most = fitting.map(\.count).max(), fitting.filter({ $0.count == most }).count == 1,
              let way = fitting.first(where: { $0.count == most }) else { return }
        for (k, column) in way { out[k].column = column }
    }

    /// The table's lines under the header at line `i` with `cells` cells or more under `headers`, up
    /// to its total or a gap of four lines after the last of them (40 lines at most, on its page).
    func rowsBelow(_ i: Int, _ headers: [TableHeader], cells: Int = 3) -> [Int] {
        var out: [Int] = []
        var j = i + 1
        var lastY = lines[i].box.y1
        while j < lines.count, j < i + 40, lines[j].page == lines[i].page {
            let l = lines[j]
            if l.box.y0 - lastY > 4 * l.em || Self.label(l.words, in: totalLabels) != nil { break }
            if Self.cellGroups(l, headers).count >= cells {
                out.append(j)
                lastY = l.box.y1
            }
            j += 1
        }
        return out
    }

    /// On a scan, a column of numbers right of the header's last column, under no header word: its
    /// header was lost (`Gesamt €` on a grey band read as a dash, and dropped with the rule marks).
    /// Where two rows in three of the table's lines set a number there, an unknown column is added
    /// over them, to be typed from its cells with the others.
    func numbersRightOfHeader(_ headers: [TableHeader], below i: Int) -> [TableHeader] {
        guard let right = headers.map(\.box.x1).max() else { return headers }
        let rows = rowsBelow(i, headers)
        var found: [Box] = []
        for j in rows {
            let numbers = lines[j].words.filter { $0.box.x0 > right && Values.number($0.text, mark: mark) != nil }
            if let first = numbers.first { found.append(numbers.dropFirst().reduce(first.box) { $0.union($1.box) }) }
        }
        guard found.count >= 2, 3 * found.count >= 2 * rows.count, let first = found.first else { return headers }
        let span = found.dropFirst().reduce(first) { $0.union($1) }
        // One column: every row's numbers overlap the others', as right-aligned numbers do.
        guard found.allSatisfy({ b in found.allSatisfy { $0.xOverlap(b) > 0 } }) else { return headers }
        return headers + [TableHeader(column: .unknown, box: Box(x0: span.x0, y0: lines[i].box.y0, x1: span.x1, y1: lines[i].box.y1), text: "")]
    }

    /// On a scan, the number columns whose headers OCR garbled together (`Unit Prue Amenat` at
    /// 72 DPI): neither fits alone between its neighbours, and their cells, as garbled, are not
    /// numbers two times in three (`L980`, `mi5.14`). Unknown columns whose cells hold digits in
    /// two rows of three and read as numbers in half take the missing ones of quantity, unit price
    /// and line total in that order, left to right, when there are exactly as many of them as are
    /// missing and every one of the trio then stands in the trio's order. Invoices only, and not
    /// beside packages or weights: a packing list's numbers are no prices. A column left of the
    /// description (an article number, `HK-` over `2031`) is no candidate: prices follow the goods.
    static func typeGarbledNumberColumns(_ out: inout [TableHeader], samples: [Int: [String]], mark: DecimalMark) {
        let trio: [Column] = [.quantity, .unitPrice, .amount]
        guard !out.contains(where: { [.packages, .netWeight, .grossWeight].contains($0.column) }) else { return }
        let missing = trio.filter { c in !out.contains { $0.column == c } }
        let goods = out.first { $0.column == .description }?.box.x1 ?? -Double.infinity
        let candidates = out.indices.filter { k in
            guard out[k].column == .unknown, out[k].box.x0 > goods, let texts = samples[k], texts.count >= 3 else { return false }
            return 3 * texts.filter { $0.contains(where: \.isNumber) }.count >= 2 * texts.count
                && 2 * texts.filter { Values.number($0, mark: mark) != nil }.count >= texts.count
        }
        guard !missing.isEmpty, candidates.count == missing.count else { return }
        var typed = out
        for (k, column) in zip(candidates, missing) { typed[k].column = column }
        let order = typed.filter { trio.contains($0.column) }.sorted { $0.box.x0 < $1.box.x0 }.compactMap { trio.firstIndex(of: $0.column) }
        guard order == order.sorted() else { return }
        out = typed
    }

    /// A word of three letters or more, not a unit, with a letter OCR does not read for a digit
    /// (`free`, `GST-`; not `pcs`, not `l0O`). On a scan: four lowercase letters or more, or
    /// three letters or more before a hyphen that breaks the word.
    static func isPlainWord(_ t: String, scanned: Bool = false) -> Bool {
        let letters = t.filter(\.isLetter)
        guard letters.count >= 3, !t.contains(where: \.isNumber), letters.contains(where: { digitLookalikes[$0] == nil }),
              Lexicon.units[Lexicon.normalize(t)] == nil else { return false }
        guard scanned else { return true }
        if t.hasSuffix("-") { return letters.count == t.count - 1 }
        return letters.count >= 4 && letters.count == t.count && t.allSatisfy { $0.isASCII && $0.isLowercase }
    }

    /// A cell that reads as words: six letters or more, and letters at least three in four of
    /// its characters (spaces aside), as a description's cell does and a number, code or unit not.
    /// A whole description cell: mostly letters, though it prints a vintage, a strength and a size (`Shiraz 2022, 14.5% vol, 750 ml`).
    static func readsAsDescription(_ t: String) -> Bool {
        let chars = t.filter { $0 != " " }
        let letters = chars.filter(\.isLetter).count
        return letters >= 10 && 2 * letters >= chars.count
    }

    static func readsAsText(_ t: String) -> Bool {
        let chars = t.filter { $0 != " " }
        let letters = chars.filter(\.isLetter).count
        return letters >= 6 && 4 * letters >= 3 * chars.count
    }

    /// A cell that gives a size (`60 x 40 x`, `50x 35x`, `120 × 80 cm`): numbers joined by `x`, a
    /// carton's dimensions, not read. Its numbers would spill into the quantity or weight beside it.
    static func readsAsSize(_ t: String) -> Bool {
        var s = t.filter { $0 != " " }.lowercased()
        for unit in ["cm", "mm"] where s.hasSuffix(unit) { s.removeLast(unit.count) }
        guard let first = s.firstIndex(where: { $0 == "x" || $0 == "×" }), s[..<first].contains(where: \.isNumber) else { return false }
        return s.allSatisfy { $0.isNumber || $0 == "x" || $0 == "×" || $0 == "." || $0 == "," }
    }

    /// Runs of a line's words set less than a word space apart (1.1 em) that read as a size as a
    /// whole (`60 x 40`, `55 x 40 x`): the boxes of those runs.
    static func sizeRuns(_ line: TextLine) -> [Box] {
        var runs: [[Word]] = []
        for w in line.words.sorted(by: { $0.box.x0 < $1.box.x0 }) {
            if let last = runs.last?.last, w.box.x0 - last.box.x1 < 1.1 * line.em { runs[runs.count - 1].append(w) } else { runs.append([w]) }
        }
        return runs.filter { readsAsSize($0.map(\.text).joined(separator: " ")) }.map { $0.dropFirst().reduce($0[0].box) { $0.union($1.box) } }
    }

    /// A column of sizes (a carton's `60 x 40 x 45`) whose header OCR did not read as a column
    /// (`Carton Size (cm)` as a dash and a qualifier): where two rows or more print a size right of
    /// the description under no header, a column that is not read, so that the size's numbers, and
    /// its last number wrapped onto the next line (`35`), fall into no quantity or weight beside it.
    func sizeColumn(_ headers: [TableHeader], below i: Int) -> [TableHeader] {
        guard let description = headers.first(where: { $0.column == .description }) else { return headers }
        let found = rowsBelow(i, headers, cells: 1).flatMap { j in
            Self.sizeRuns(lines[j]).filter { run in run.x0 > description.box.x1 && !headers.contains { $0.box.xOverlap(run) > 0 } }
        }
        guard found.count >= 2, let first = found.first else { return headers }
        let span = found.dropFirst().reduce(first) { $0.union($1) }
        // One column: the sizes stand in one gap between two headers.
        guard !headers.contains(where: { $0.box.xOverlap(span) > 0 }) else { return headers }
        var out = headers
        let box = Box(x0: span.x0, y0: lines[i].box.y0, x1: span.x1, y1: lines[i].box.y1)
        out.insert(TableHeader(column: .other, box: box, text: ""), at: out.firstIndex { $0.box.x0 > span.x1 } ?? out.count)
        return out
    }

    /// Whether header `k` stands left of every number column of the header.
    static func isLeftOfNumbers(_ k: Int, _ headers: [TableHeader]) -> Bool {
        let numbers = headers.filter { [.quantity, .amount, .netWeight, .grossWeight, .unitPrice, .packages].contains($0.column) }
        return !numbers.isEmpty && numbers.allSatisfy { headers[k].box.x1 <= $0.box.x0 }
    }

    /// The most digits in a row in `t`, spaces between them skipped (`561 7000000` is 10).
    static func longestDigitRun(_ t: String) -> Int {
        var best = 0, run = 0
        for c in t where c != " " {
            if c.isASCII, c.isNumber { run += 1; best = max(best, run) } else { run = 0 }
        }
        return best
    }

    /// Splits a table row into cells and puts each under its column.
    static func cells(_ line: TextLine, _ headers: [TableHeader], descriptions: Box? = nil) -> [Column: [Word]] {
        var out: [Column: [Word]] = [:]
        for (k, ws) in cellGroups(line, headers, descriptions: descriptions).sorted(by: { $0.key < $1.key }) { out[headers[k].column, default: []] += ws }
        return out
    }

    /// Two numbers OCR glued with a dash across two number columns (`14-280` under `No. of Ctns`
    /// and `Qty`): the word split at the dash, each part with its share of the box (by characters),
    /// when each part then stands under a number column of its own. A range under one column
    /// (`1-14` under `Marks`) stays whole.
    static func splitAcrossNumberColumns(_ w: Word, _ headers: [TableHeader]) -> [Word] {
        let chars = Array(w.text)
        guard let dash = chars.firstIndex(where: { $0 == "-" || $0 == "–" }), dash > 0, dash < chars.count - 1,
              chars.indices.allSatisfy({ $0 == dash || chars[$0].isNumber || chars[$0] == "." || chars[$0] == "," }) else { return [w] }
        let step = w.box.width / Double(chars.count)
        var left = w, right = w
        left.text = String(chars[..<dash])
        left.box = Box(x0: w.box.x0, y0: w.box.y0, x1: w.box.x0 + Double(dash) * step, y1: w.box.y1)
        right.text = String(chars[(dash + 1)...])
        right.box = Box(x0: w.box.x0 + Double(dash + 1) * step, y0: w.box.y0, x1: w.box.x1, y1: w.box.y1)
        func column(_ b: Box) -> Int? { headers.indices.filter { headers[$0].column.isNumeric }.max { headers[$0].box.xOverlap(b) < headers[$1].box.xOverlap(b) } }
        guard let l = column(left.box), let r = column(right.box), l != r,
              headers[l].box.xOverlap(left.box) > 0, headers[r].box.xOverlap(right.box) > 0 else { return [w] }
        return [left, right]
    }

    /// A table row's words by the index of the header they fall under (the description's column
    /// widened to where earlier rows' descriptions were set, when given).
    static func cellGroups(_ line: TextLine, _ headers: [TableHeader], descriptions: Box? = nil) -> [Int: [Word]] {
        let em = line.em
        var headers = headers
        if let seen = descriptions, let d = headers.firstIndex(where: { $0.column == .description }) {
            // Not over a neighbouring header: only the space between them.
            let left = headers[..<d].map(\.box.x1).max() ?? -Double.infinity
            let right = headers[(d + 1)...].map(\.box.x0).min() ?? Double.infinity
            let widened = headers[d].box.union(seen)
            let own = headers[d].box
            headers[d].box = Box(x0: min(own.x0, max(widened.x0, left + 0.5 * em)), y0: own.y0,
                                 x1: max(own.x1, min(widened.x1, right - 0.5 * em)), y1: own.y1)
        }
        /// The header a box overlaps most. A number under two number headers (their boxes touch
        /// where OCR glued the headers, or split a glued word by its characters) goes to the one
        /// whose right edge is nearer its own: numbers are set right-aligned under their header.
        func overlapping(_ box: Box) -> Int? {
            var best: Int?
            var most = 0.0
            var numeric: [Int] = []
            for (k, h) in headers.enumerated() {
                let ov = h.box.xOverlap(box)
                if ov > 0, h.column.isNumeric { numeric.append(k) }
                if ov > most { most = ov; best = k }
            }
            if numeric.count >= 2, let b = best, headers[b].column.isNumeric {
                return numeric.min { abs(headers[$0].box.x1 - box.x1) < abs(headers[$1].box.x1 - box.x1) }
            }
            return best
        }
        func overlapping(_ w: Word) -> Int? { overlapping(w.box) }
        var groups: [[Word]] = []
        let words = line.words.flatMap({ splitAcrossNumberColumns($0, headers) })
        for (k, w) in words.enumerated() {
            if var g = groups.last, let last = g.last {
                let gap = w.box.x0 - last.box.x1
                let a = overlapping(last), b = overlapping(w)
                let differentHeaders = a != nil && b != nil && a != b
                // A currency sign between two numbers goes with the nearer (`6  € 1.395,-`: the price's sign,
                // not the quantity's; `12,50 €  25,00 €` keeps it after its amount).
                let signOfNext = Values.currency(in: w.text) != nil && !w.text.contains(where: { $0.isLetter || $0.isNumber })
                    && last.text.contains(where: \.isNumber) && k + 1 < words.count && words[k + 1].text.contains(where: \.isNumber)
                    && words[k + 1].box.x0 - w.box.x1 < gap
                if gap < em * 0.55 && !differentHeaders && !signOfNext {
                    g.append(w)
                    groups[groups.count - 1] = g
                    continue
                }
            }
            groups.append([w])
        }
        var out: [Int: [Word]] = [:]
        var previous: (box: Box, header: Int)?
        for g in groups {
            let box = g.dropFirst().reduce(g[0].box) { $0.union($1.box) }
            var pick = overlapping(box)
            // Words under no header that follow a description within a word space (1.1 em, as
            // `segments`) continue it: OCR's gap after a comma (`Kuckucksuhr, Eiche, 35 cm`)
            // often exceeds the grouping's 0.55 em, and the rest of the text ran past the header.
            if pick == nil, let p = previous, headers[p.header].column == .description, box.x0 - p.box.x1 < 1.1 * em {
                pick = p.header
            }
            if pick == nil {
                var nearest = Double.infinity
                for (k, h) in headers.enumerated() {
                    let d = h.column.isNumeric ? abs(box.x1 - h.box.x1) : abs(box.x0 - h.box.x0)
                    if d < nearest { nearest = d; pick = k }
                }
                if nearest > 8 * em { pick = nil }
                // A word under no header, right of a figure's column, is a column the header did not name
                // (`Europalette` under `Ladungsträger` beside `Brutto kg`), not part of the figure.
                if let k = pick, headers[k].column.isNumeric, box.x0 > headers[k].box.x1,
                   g.allSatisfy({ w in w.text.count >= 5 && w.text.allSatisfy(\.isLetter) && Values.unit(w.text) == nil && Values.currency(in: w.text) == nil }) {
                    pick = nil
                }
                // A number under no header whose nearest column already has its number: a
                // short number left-aligned under a centred header (`2` under `Quantity`) belongs
                // to the free number column it stands just beside.
                if let k = pick, out[k] != nil, g.contains(where: { $0.text.contains(where: \.isNumber) }) {
                    func gap(_ h: Box) -> Double { max(0, h.x0 - box.x1, box.x0 - h.x1) }
                    let free = headers.indices.filter { headers[$0].column.isNumeric && out[$0] == nil && gap(headers[$0].box) < 2 * em }
                    if let f = free.min(by: { gap(headers[$0].box) < gap(headers[$1].box) }) { pick = f }
                }
            }
            guard let k = pick else { previous = nil; continue }
            out[k, default: []] += g
            previous = (box, k)
        }
        return out
    }

    mutating func addLine(_ index: Int, _ cells: [Column: [Word]], page: Int) {
        let mark = self.mark
        var line = DocumentLine()
        var ev: [String: Evidence] = [:]
        func text(_ c: Column) -> (String, Evidence)? {
            guard let ws = cells[c], !ws.isEmpty else { return nil }
            let e = Evidence(words: ws, page: page)
            return (e.text, e)
        }
        // A line given free (`N/C`, `FOC`, `no charge`) costs nothing: its price and total are zero.
        func noCharge(_ c: Column, _ key: String) -> String? {
            guard let (t, e) = text(c), Lexicon.noCharge.contains(Lexicon.normalize(t)) else { return nil }
            ev[key] = e
            return "0"
        }
        func number(_ c: Column, _ key: String) -> String? {
            guard let (t, e) = text(c), let (v, repaired) = Values.number(t, mark: mark) else { return nil }
            var e2 = e
            if repaired { e2.confidence *= 0.7 }
            ev[key] = e2
            return Values.plain(v)
        }
        var attributes: [(field: String, words: [Word])] = []
        var descriptionWords: [Word] = []
        if let all = cells[.description], !all.isEmpty {
            let (own, details) = Self.attributeLines(Self.withoutReferenceLines(all))
            let ws = own
            descriptionWords = own
            attributes = details
            var e = Evidence(words: ws, page: page)
            e.text = Self.wrappedText(ws)
            if ocrPages.contains(page) { e.text = Self.commasForMisreadPeriods(e.text) }
            line.description = e.text
            ev["description"] = e
        }
        line.quantity = number(.quantity, "quantity")
        line.unitPrice = number(.unitPrice, "unit_price") ?? noCharge(.unitPrice, "unit_price")
        line.lineTotal = number(.amount, "line_total") ?? noCharge(.amount, "line_total")
        // A price for a hundred or a thousand pieces (`18,40` under `Preis`, `100` under `PE`) is a
        // hundredth or a thousandth of it a piece: the line's arithmetic holds a piece at a time.
        // The unit may follow the count (`100 ST`).
        if let pu = cells[.priceUnit]?.first.flatMap({ Values.number($0.text, mark: mark) }).map(\.value), pu > 1,
           let p = line.unitPrice.flatMap(dec) {
            line.unitPrice = Values.plain(p / pu)
        }
        // A quantity weighed to the gram (`24,680` kg) reads as grouped thousands by default; the
        // line's own arithmetic (`18,50` a kilogram, `456,58`) witnesses that its lone mark is the decimals.
        if let (t, _) = text(.quantity), let decimals = Values.loneMarkAsDecimals(t),
           let q = line.quantity.flatMap(dec), let p = line.unitPrice.flatMap(dec), let total = line.lineTotal.flatMap(dec),
           abs(q * p - total) > 0.01, abs(decimals * p - total) <= 0.01 {
            line.quantity = Values.plain(decimals)
        }
        // A shop's count printed with its item (`2 x Aran wool sweater`), in a table with no quantity
        // column: the count, when it times the price is the line's total.
        if line.quantity == nil, cells[.quantity] == nil, let (n, count, item) = Self.countInDescription(descriptionWords),
           let p = line.unitPrice.flatMap(dec), let total = line.lineTotal.flatMap(dec), abs(n * p - total) <= 0.01 {
            line.quantity = Values.plain(n)
            ev["quantity"] = Evidence(words: count, page: page)
            var e = Evidence(words: item, page: page)
            e.text = Self.wrappedText(item)
            line.description = e.text
            ev["description"] = e
        }
        // A range of package numbers (`1 - 4` under `Colli`) counts its packages; in a column that numbers
        // its packages so, a single number is one package (`8`), which `packagesByNumber` settles.
        if let (t, e) = text(.packages), let n = Self.packageRange(t) {
            numberedPackages = true
            ev["packages"] = e
            line.packages = String(n)
        } else if let (t, e) = text(.packages), let n = Int(t), n > 0 {
            singlePackageNumbers.append((doc.lines.count, e))
            line.packages = String(n)
            ev["packages"] = e
        }
        // A count with its kind of package in the cell (`40 chests`, `20 sacks`).
        if line.packages == nil { line.packages = number(.packages, "packages") ?? text(.packages).flatMap { t, e -> String? in
            let ws = t.split(separator: " ")
            guard ws.count == 2, ws[0].allSatisfy(\.isNumber), let n = Int(ws[0]), n > 0, Self.namesPackages(String(ws[1])) else { return nil }
            ev["packages"] = e
            return String(n)
        } }
        line.netWeight = number(.netWeight, "net_weight")
        line.grossWeight = number(.grossWeight, "gross_weight")
        if let (t, e) = text(.unit), let (u, repaired) = Values.unitInColumn(t) {
            line.unit = u.rawValue
            ev["unit"] = e
            if repaired { ev["unit"]?.confidence *= 0.7 }
        } else if let ws = cells[.quantity],
                  let (u, repaired) = ws.lazy.compactMap({ $0.text.contains(where: \.isNumber) ? Values.unitGluedToNumber($0.text) : Optional($0.text) })
                      .compactMap({ Values.unitInColumn($0) }).first {
            // A unit printed in the quantity cell (`50 pcs`, or glued to its number as OCR reads it at
            // 100 DPI: `400PCS`), with the unit column's slips forgiven (`pes`).
            line.unit = u.rawValue
            ev["unit"] = Evidence(words: ws, page: page)
            if repaired { ev["unit"]?.confidence *= 0.7 }
        }
        if let (t, e) = text(.hsCode), let hs = Values.hsCode(t) {
            line.hsCode = hs
            ev["hs_code"] = e
        }
        if let (t, e) = text(.origin), let (c, repaired) = Values.countryInColumn(t) {
            line.originCountry = c.rawValue
            ev["origin_country"] = e
            if repaired { ev["origin_country"]?.confidence *= 0.7 }
        }
        // The code and origin printed on a line of their own under the description (`HS code: 8517.62 | Origin: China`).
        for (field, ws) in attributes {
            // The value's first words: a scan may lose the separator after it (`China N.W. 0.48 kg/pc`).
            let prefixes = (1...min(3, ws.count)).map { Array(ws.prefix($0)) }
            if field == "hs_code", line.hsCode == nil, let (hs, w) = prefixes.compactMap({ p in Values.hsCode(p.map(\.text).joined(separator: " ")).map { ($0, p) } }).last {
                line.hsCode = hs
                ev["hs_code"] = Evidence(words: w, page: page)
            } else if field == "origin_country", line.originCountry == nil,
                      let (c, w) = prefixes.lazy.compactMap({ p in Values.country(p.map(\.text).joined(separator: " ")).map { ($0, p) } }).first {
                line.originCountry = c.rawValue
                ev["origin_country"] = Evidence(words: w, page: page)
            }
        }
        var raw: [String: Evidence] = [:]
        for (c, key) in [(Column.quantity, "quantity"), (.unitPrice, "unit_price"), (.amount, "line_total"), (.origin, "origin_country")] {
            if let (_, e) = text(c) { raw[key] = e }
        }
        if line.unitPrice == nil || line.lineTotal == nil { splitMergedAmounts(&line, &ev, &raw, cells: cells, page: page) }
        doc.lines.append(line)
        lineEvidence.append(ev)
        lineReferences.append(text(.reference)?.0)
        lineDiscounts.append(text(.discount).flatMap { t, _ in
            Values.number(t.replacingOccurrences(of: "%", with: ""), mark: mark).map { (rate: t.contains("%"), value: $0.value) }
        })
        lineCells.append(raw)
    }

    /// A small business's invoice that lists its goods as lines of text, not as a table (`1. 48 × Stoneware mug,
    /// speckled glaze @ £14.50 ........ £696.00`): the count, the item, the price each and the line's total.
    /// Read only when no table gave a line, and each listed line's count times its price must be its total.
    mutating func readListedLines() {
        guard doc.kind == .invoice, doc.lines.isEmpty else { return }
        let mark = self.mark
        let listed = lines.indices.filter { !tableLines.contains($0) }.compactMap { i in Self.listedItem(lines[i].words, mark: mark).map { (i, $0) } }
        for (i, cells) in listed {
            tableLines.insert(i)
            addLine(doc.lines.count, cells, page: lines[i].page)
        }
    }

    /// One listed line's cells: an item's number maybe (`1.`), the count and its times sign (`48 ×`, `48x`), the item,
    /// `@` and its price (words after it, `each`, qualify it), leader dots, and the total last. Nil unless the
    /// count times the price is the total; without a price, leader dots must stand before the total.
    static func listedItem(_ words: [Word], mark: DecimalMark) -> [Column: [Word]]? {
        func dots(_ c: Character) -> Bool { c == "." || c == "…" || c == "·" || c == "_" }
        var leader = false
        var ws: [Word] = []
        for w in words {
            var t = Substring(w.text)
            let head = t.prefix(while: dots).count, tail = t.reversed().prefix(while: dots).count
            if head >= 3 || t.allSatisfy(dots) && t.count >= 2 { leader = true; t = t.drop(while: dots) }
            if tail >= 3 { leader = true; t = t.dropLast(tail) }
            if !t.isEmpty { ws.append(Word(text: String(t), box: w.box)) }
        }
        if let first = ws.first, first.text.range(of: #"^\d{1,3}[.)]$"#, options: .regularExpression) != nil { ws.removeFirst() }
        guard ws.count >= 4, let total = ws.last, total.text.contains(where: \.isNumber), let t = Values.number(total.text, mark: mark)?.value else { return nil }
        let times: Set<String> = ["x", "X", "×"]
        let count: Word, from: Int
        if times.contains(ws[1].text), ws[0].text.allSatisfy(\.isNumber) {
            (count, from) = (ws[0], 2)
        } else if let l = ws[0].text.last, times.contains(String(l)), ws[0].text.count > 1, ws[0].text.dropLast().allSatisfy(\.isNumber) {
            (count, from) = (Word(text: String(ws[0].text.dropLast()), box: ws[0].box), 1)
        } else { return nil }
        guard let q = Decimal(string: count.text), q > 0, from < ws.count - 1 else { return nil }
        let body = Array(ws[from..<(ws.count - 1)])
        guard let at = body.firstIndex(where: { $0.text.hasPrefix("@") }) else {
            return leader && body.contains(where: { $0.text.contains(where: \.isLetter) }) ? [.quantity: [count], .description: body, .amount: [total]] : nil
        }
        let description = Array(body[..<at])
        let afterAt = body[at].text.dropFirst()
        let priceWords = (afterAt.isEmpty ? [] : [Word(text: String(afterAt), box: body[at].box)]) + body[(at + 1)...]
        guard !description.isEmpty, let p = priceWords.first, let price = Values.number(p.text, mark: mark)?.value,
              abs(q * price - t) <= 0.01 else { return nil }
        return [.quantity: [count], .description: description, .unitPrice: [p], .amount: [total]]
    }

    /// An invoice that sets each item as a block of lines, no table: its name with its amount at the right, its details
    /// under it (`Item no. LV-DIS-40-BR · Commodity code 9405 11 00 · Made in Denmark`) and its count and price
    /// (`24 pcs × 1,450.00`). Read only when no table or list gave a line; a block is an item only when its count
    /// times its price is its amount.
    mutating func readItemBlocks() {
        guard doc.kind == .invoice, doc.lines.isEmpty else { return }
        var found: [(cells: [Column: [Word]], lines: [Int])] = []
        var i = 0
        while i < lines.count {
            if !tableLines.contains(i), let block = Self.itemBlock(lines, at: i, mark: mark) {
                found.append(block)
                i = (block.lines.last ?? i) + 1
            } else {
                i += 1
            }
        }
        for b in found {
            tableLines.formUnion(b.lines)
            addLine(doc.lines.count, b.cells, page: lines[b.lines[0]].page)
        }
    }

    /// The block of lines that starts at line `i` as an item (`readItemBlocks`), with the lines it takes. It opens with
    /// the item's name or its reference (`Art.-Nr. 40-1187`), maybe after the item's number (`1`, `Pos. 1`); its amount
    /// stands at the right of the name's line or of the count's.
    static func itemBlock(_ lines: [TextLine], at i: Int, mark: DecimalMark) -> (cells: [Column: [Word]], lines: [Int])? {
        let head = lines[i]
        let (opening, headAmount) = amountAtRight(head, mark: mark)
        var name = opening
        if name.count > 1, name[0].text.range(of: #"^\d{1,3}[.)]?$"#, options: .regularExpression) != nil {
            name.removeFirst()
        } else if name.count > 2, Lexicon.positionHeaders.contains(Lexicon.normalize(name[0].text)), name[1].text.range(of: #"^\d{1,3}[.)]?$"#, options: .regularExpression) != nil {
            name.removeFirst(2)
        } else if name.count > 1, name[0].text.count == 1, i + 1 < lines.count, lines[i + 1].page == head.page,
                  let below = lines[i + 1].words.first, abs(below.box.x0 - name[1].box.x0) < 0.5 * lines[i + 1].em,
                  abs(below.box.x0 - name[0].box.x0) >= 1.5 * lines[i + 1].em {
            // The item's number OCR read as a letter (`a Pendant lamp …` for `1`): the lines under the name align with
            // its second word.
            name.removeFirst()
        }
        guard let left = name.first, name.contains(where: { $0.text.contains(where: \.isLetter) }),
              label(name, in: Lexicon.totalLabels.map { (field: $0.kind, phrases: $0.phrases) }) == nil else { return nil }
        var cells: [Column: [Word]] = [:]
        if let (_, rest, _) = label(name, in: referenceLabels), rest.first?.text.contains(where: \.isNumber) == true, headAmount == nil {
            cells[.reference] = rest
        } else {
            cells[.description] = name
        }
        var details = false
        var taken = [i]
        var bottom = head.box.y1
        var j = i + 1
        while j < lines.count, j <= i + 5, lines[j].page == head.page, lines[j].box.y0 - bottom < lines[j].em {
            let l = lines[j]
            guard abs(l.box.x0 - left.box.x0) < 1.5 * l.em else { return nil }
            let (words, lineAmount) = amountAtRight(l, mark: mark)
            if let (quantity, unit, price, total) = countAndPrice(words, mark: mark) {
                guard cells[.description] != nil, let amount = total ?? lineAmount ?? headAmount,
                      [total, lineAmount, headAmount].compactMap({ $0 }).count == 1,
                      let q = Values.number(quantity.text, mark: mark)?.value, let p = Values.number(price.text, mark: mark)?.value,
                      let t = Values.number(amount.text, mark: mark)?.value, t > 0, abs(q * p - t) <= 0.01 else { return nil }
                cells[.quantity] = [quantity] + (unit.map { [$0] } ?? [])
                cells[.unitPrice] = [price]
                cells[.amount] = [amount]
                return (cells, taken + [j])
            }
            guard lineAmount == nil else { return nil }
            // A line of details, each part a label and its value, or the name (carried on).
            var parts: [[Word]] = [[]]
            for w in l.words {
                if ["·", "|", ";", "•"].contains(w.text) { parts.append([]); continue }
                parts[parts.count - 1].append(w)
            }
            var labelled = false
            for part in parts where !part.isEmpty {
                guard let (field, rest, _) = label(part, in: attributeLabels + referenceLabels), !rest.isEmpty else { continue }
                labelled = true
                cells[field == "hs_code" ? .hsCode : field == "origin_country" ? .origin : .reference] = rest
            }
            if labelled {
                details = true
            } else {
                guard !details else { return nil }
                cells[.description, default: []] += l.words
            }
            taken.append(j)
            bottom = l.box.y1
            j += 1
        }
        return nil
    }

    /// A line's words and its amount, when the line ends in a segment of one figure with only a currency beside it
    /// (`34,800.00`, `1.134,00 €`, `DKK 9,675.00`).
    static func amountAtRight(_ line: TextLine, mark: DecimalMark) -> (words: [Word], amount: Word?) {
        let segments = line.segments()
        guard segments.count >= 2, let last = segments.last, last.words.count <= 2 else { return (line.words, nil) }
        let figures = last.words.filter { $0.text.contains(where: \.isNumber) }
        guard figures.count == 1, let figure = figures.first, Values.number(figure.text, mark: mark) != nil,
              last.words.allSatisfy({ $0.text == figure.text || Values.currency(in: $0.text) != nil }) else { return (line.words, nil) }
        return (segments.dropLast().flatMap(\.words), figure)
    }

    /// A line that is only an item's count and its price (`24 pcs × 1,450.00`, `Qty 24 @ DKK 1,450.00 each`, `12 × 8.50 =
    /// 102.00`): its count, unit, price and the total when printed.
    static func countAndPrice(_ words: [Word], mark: DecimalMark) -> (Word, Word?, Word, Word?)? {
        let signs: Set<String> = ["×", "x", "X", "@", "à", "a", "*", "=", "·", "|", ":", "/"]
        let allowed = Set(Lexicon.headers.filter { [.quantity, .unitPrice, .unit].contains($0.column) }.flatMap(\.phrases).flatMap { $0.split(separator: " ").map(String.init) })
            .union(["each", "ea", "per", "piece", "stuck", "pro", "la", "le", "par", "the"])
        // A sign glued to a figure (`24×`, `@1,450.00`) stands apart.
        var ws: [Word] = []
        for w in words {
            var t = Substring(w.text)
            if let f = t.first, ["×", "@"].contains(f), t.count > 1 { ws.append(Word(text: String(f), box: w.box)); t = t.dropFirst() }
            if let l = t.last, ["×", "@"].contains(l), t.count > 1 { ws.append(Word(text: String(t.dropLast()), box: w.box)); ws.append(Word(text: String(l), box: w.box)); continue }
            ws.append(Word(text: String(t), box: w.box))
        }
        var numbers: [Word] = []
        var unit: Word?
        var sign = false
        for w in ws {
            if w.text.contains(where: \.isNumber) {
                guard Values.number(w.text, mark: mark) != nil, w.text.allSatisfy({ $0.isNumber || ".,'’ ".contains($0) || Values.currency(in: String($0)) != nil }) else { return nil }
                numbers.append(w)
            } else if signs.contains(w.text) {
                if w.text != "·", w.text != "|", w.text != ":" { sign = true }
            } else if numbers.count == 1, unit == nil, Values.unitInColumn(w.text) != nil {
                // The unit in its place after the count, with a unit column's slips forgiven (`24 pes x 1450.00` on a scan).
                unit = w
            } else if Values.currency(in: w.text) != nil || allowed.contains(Lexicon.normalize(w.text)) || Lexicon.normalize(w.text).isEmpty {
                continue
            } else {
                return nil
            }
        }
        guard (2...3).contains(numbers.count), sign || ws.contains(where: { allowed.contains(Lexicon.normalize($0.text)) }) else { return nil }
        return (numbers[0], unit, numbers[1], numbers.count == 3 ? numbers[2] : nil)
    }

    /// The count a shop prints with its item, before it (`2 x Aran wool sweater`, `3x Scarf`) or after it
    /// (`Merino scarf × 3`): the count, its words, and the item's words without them.
    static func countInDescription(_ words: [Word]) -> (Decimal, [Word], [Word])? {
        guard words.count >= 2 else { return nil }
        func count(_ t: Substring) -> Decimal? { !t.isEmpty && t.count <= 5 && t.allSatisfy(\.isNumber) ? Decimal(string: String(t)).flatMap { $0 > 0 ? $0 : nil } : nil }
        let times: Set<String> = ["x", "X", "×"]
        if words.count >= 3, times.contains(words[1].text), let n = count(words[0].text[...]) { return (n, Array(words.prefix(2)), Array(words.dropFirst(2))) }
        if let last = words[0].text.last, times.contains(String(last)), let n = count(words[0].text.dropLast()) { return (n, [words[0]], Array(words.dropFirst())) }
        let m = words.count
        if m >= 3, times.contains(words[m - 2].text), let n = count(words[m - 1].text[...]) { return (n, Array(words.suffix(2)), Array(words.dropLast(2))) }
        return nil
    }

    /// A description's own words, without the article's details printed on a line of their own under
    /// it (`Art.-Nr. 4711-10, Metallkassette`, `SKU 88-140`): a reference's label and number start that line.
    static func withoutReferenceLines(_ words: [Word]) -> [Word] {
        guard words.count > 2 else { return words }
        for k in 1..<words.count where words[k].box.midY > words[k - 1].box.y1 {
            if let (_, rest, _) = label(Array(words[k...]), in: referenceLabels), rest.first?.text.contains(where: \.isNumber) == true {
                return Array(words[..<k])
            }
        }
        return words
    }

    static let referenceLabels = [(field: "reference", phrases: Lexicon.headers.filter { $0.column == .reference }.flatMap(\.phrases))]

    /// A description's own words, and its details printed on a line of their own under it as labels
    /// and values (`HS code: 8517.62 | Origin: China | N.W. 0.48 kg/pc`): each label's value runs to
    /// the next label or a separator. Only a line that starts with a code's or an origin's label is one.
    static func attributeLines(_ words: [Word]) -> (own: [Word], attributes: [(field: String, words: [Word])]) {
        guard words.count > 2 else { return (words, []) }
        // A line that starts with a number is the description's (`19` of `6 x` over `19`), not a label's
        // after a box number.
        for k in 1..<words.count where words[k].box.midY > words[k - 1].box.y1 && !words[k].text.allSatisfy(\.isNumber) {
            guard label(Array(words[k...]), in: attributeLabels) != nil else { continue }
            var out: [(field: String, words: [Word])] = []
            var j = k
            while j < words.count {
                guard let (field, rest, _) = label(Array(words[j...]), in: attributeLabels) else { j += 1; continue }
                var value: [Word] = []
                for w in rest {
                    if ["|", "·", ";", "/"].contains(w.text) || label([w], in: attributeLabels) != nil && w.text.hasSuffix(":") { break }
                    value.append(w)
                    if w.text.hasSuffix(";") || w.text.hasSuffix("|") { break }
                }
                if !value.isEmpty { out.append((field, value)) }
                j = words.count - rest.count + max(value.count, 1)
            }
            return (Array(words[..<k]), out)
        }
        return (words, [])
    }

    static let attributeLabels: [(field: String, phrases: [String])] = [
        ("hs_code", Lexicon.headers.filter { $0.column == .hsCode }.flatMap(\.phrases)),
        ("origin_country", Lexicon.headers.filter { $0.column == .origin }.flatMap(\.phrases)),
    ]

    /// A cell's words as one text: a word that ends a line with a hyphen or a dash joins the next
    /// line's word without a space (`Präzisionsschraubendreher-` over `Set`, `5–` over `60 Nm`);
    /// browsers and word processors break a cell there, so the dash is the writer's.
    static func wrappedText(_ words: [Word]) -> String {
        var out = ""
        for (k, w) in words.enumerated() {
            if k > 0 {
                let prev = words[k - 1]
                let brokenHere = (prev.text.hasSuffix("-") || prev.text.hasSuffix("–")) && prev.text.count > 1
                    && w.box.midY > prev.box.y1 && w.text.first.map { $0.isLetter || $0.isNumber } == true
                if !brokenHere { out += " " }
            }
            out += w.text
        }
        return out
    }

    // MARK: key-value pairs

    mutating func readKeyValues() {
        var found = Set<String>()
        var datesOfOther: [(line: Int, label: Segment, rest: [Word])] = []
        var labels = self.labels
        labels.append(("invoice_date", ["place and date", "ort und datum", "lieu et date", "plaats en datum"]))
        // An order's number stands in for the invoice number when a shop's invoice prints only that.
        labels.append(("order_number", ["order", "order no", "order number", "order #", "bestellnummer", "bestellung", "commande",
                                        "commande n", "numero de commande", "bestelnummer", "bestelling"]))
        // A bare `Nr.:` or `No.:` under the title of an invoice numbers the invoice, as does its title with a colon (`Facture : LEM-0612`).
        labels.append(("bare_number", ["nr", "no", "n", "#", "number", "numero", "nummer", "invoice", "rechnung", "facture", "factuur"]
                                       // A certificate's box of labels citing its invoice (`Commercial invoice | MI-INV-26-2210`); on an
                                       // invoice these words are its title (`COMMERCIAL INVOICE  N° 00451-E`).
                                       + (doc.kind == .certificate ? ["commercial invoice", "handelsrechnung", "facture commerciale", "handelsfactuur"] : [])))
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let segments = Self.splitLabelBeforeColon(line.segments().flatMap({ splitAfterTitle($0, labels) }).flatMap({ Self.splitAtInlineLabels($0, labels) }), labels)
            for seg in segments.flatMap({ Self.splitAtLabelRow($0, labels) }) {
                guard let (field, rest, n) = Self.label(seg.words, in: labels), !found.contains(field) else { continue }
                // The document's title is no label of its origin (`ORIGIN DECLARATION` over the agreement's name, `Australia –
                // United Kingdom …`). A template's label may be a title's word (`Invoice` beside its date), and stays one.
                if field == "country_of_origin", Lexicon.titles.contains(where: { $0.kind == doc.kind && $0.phrases.contains(Lexicon.normalize(seg.text)) }) { continue }
                // `Date of direct shipment`, `Date de livraison`: the date of something else than the invoice.
                // Taken only when nothing else dates the document (a courier's `DATE OF EXPORTATION`).
                if field == "invoice_date", n == 1, let next = Self.tokens(rest).first?.token,
                   ["of", "de", "du", "des", "van", "der"].contains(next) {
                    datesOfOther.append((i, seg, rest))
                    continue
                }
                if field == "country_of_origin" && doc.kind != .certificate {
                    if doc.kind == .invoice, originOfEveryLine(rest, page: seg.page) { found.insert(field) }
                    // Or in the next cell of a box of labels (`Oorsprong / Origine :    België / Belgique`).
                    if doc.kind == .invoice, rest.isEmpty, !found.contains(field),
                       let next = line.segments().first(where: { $0.box.x0 > seg.box.x1 && $0.box.x0 - seg.box.x1 < 20 * line.em }),
                       Self.label(next.words, in: labels) == nil, originOfEveryLine(next.words, page: seg.page) { found.insert(field) }
                    // A form's box with its country under its label (`7. Country of origin of goods` over `United States`).
                    if doc.kind == .invoice, rest.isEmpty, !found.contains(field), i + 1 < lines.count, lines[i + 1].page == line.page,
                       lines[i + 1].box.y0 - seg.box.y1 < 1.5 * line.em,
                       let below = lines[i + 1].segments().first(where: { abs($0.box.x0 - seg.box.x0) < 1.5 * line.em }), below.words.count <= 4,
                       Values.country(below.text) != nil, originOfEveryLine(below.words, page: seg.page) { found.insert(field) }
                    continue
                }
                if field == "order_number" || field == "bare_number" {
                    // Beside the label only: a number below an `Order` heading is as likely an address.
                    guard doc.invoiceNumber == nil else { continue }
                    let underTitle = field == "bare_number" && Lexicon.numberSigns.contains(Lexicon.normalize(seg.words[0].text))
                        && (titleAbove(seg, line: i) || titleBeside(seg, line: line))
                    var rest = rest
                    let labelWords = seg.words.prefix(seg.words.count - rest.count)
                    let colonEnded = labelWords.last.map { $0.text.hasSuffix(":") } == true
                    // The title's word alone in a column of labels, its value in the next cell (`Invoice   ICK-10582`
                    // over `Date   30 November 2026`).
                    let inLabelColumn = field == "bare_number" && rest.isEmpty && (seg.words.count == 1 || seg.words.count == 2 && !isTitle(Lexicon.normalize(seg.text))) && !underTitle
                        && !Lexicon.numberSigns.contains(Lexicon.normalize(seg.words[0].text)) && labelBelow(seg, line: i, labels)
                    // The title's word and a document's number, alone in their cell (`Invoice BT-204517` above `Order #204517`).
                    let titleWordAndNumber = field == "bare_number" && seg.words.count == 2 && rest.count == 1
                        && !Lexicon.numberSigns.contains(Lexicon.normalize(seg.words[0].text)) && Self.documentNumberLike(rest[0].text)
                    // Under the title the number may stand apart from its word (`Numéro      BAM-2026-0917`); a bare
                    // label with its colon (`Nº / No.:`) has its value in the next cell of a box of labels.
                    if rest.isEmpty, underTitle && seg.words.count == 1 || field == "bare_number" && colonEnded || inLabelColumn,
                       let next = line.segments().first(where: { $0.box.x0 > seg.box.x1 && $0.box.x0 - seg.box.x1 < (underTitle ? 8 : 20) * line.em }) { rest = next.words }
                    guard !rest.isEmpty else { continue }
                    if field == "bare_number", !(seg.words[0].text.hasSuffix(":") || seg.words.count > 1 && seg.words[1].text == ":" || colonEnded),
                       !underTitle, !inLabelColumn, !titleWordAndNumber { continue }
                    if accept("invoice_number", Evidence(words: rest, page: seg.page)) {
                        fields[fields.count - 1].confidence *= 0.8
                        found.insert(field)
                    }
                    continue
                }
                let before = fields
                if field == "invoice_number" { fields.removeAll { $0.name == "invoice_number" } }
                var taken: Evidence?
                for candidate in valueCandidates(line: i, label: seg, rest: rest) where accept(field, candidate) {
                    taken = candidate
                    break
                }
                if taken != nil { found.insert(field) } else { fields = before }
                if let taken, field == "invoice_number", doc.invoiceDate == nil, !found.contains("invoice_date") {
                    // The label's words and those after it up to the number (`P/L No. & Date:`), a box's number
                    // before them included (`⑧ No. & date of invoice`).
                    let label = seg.words.prefix(seg.words.count - rest.count) + rest.prefix { !$0.text.contains(where: \.isNumber) }
                    if Self.tokens(Array(label)).contains(where: { ["date", "datum", "dated"].contains($0.token) }),
                       numberAndDate(rest, label: seg, line: i)
                        || !rest.contains(where: { $0.text.contains(where: \.isNumber) }) && dateBesideNumber(taken, em: line.em) {
                        found.insert("invoice_date")
                    }
                }
            }
        }
        readWrappedLabels(&found)
        // An invoice's number named in a sentence (`Relates to commercial invoice no. POG-2026-3318`,
        // a certificate's reference to its invoice), when no label starts a segment with it.
        if doc.invoiceNumber == nil, let numberLabels = labels.first(where: { $0.field == "invoice_number" }) {
            sentences: for (i, line) in lines.enumerated() where !tableLines.contains(i) {
                for seg in line.segments() where seg.words.count > 2 {
                    for k in 1..<(seg.words.count - 1) {
                        guard let (_, rest, _) = Self.label(Array(seg.words[k...]), in: [numberLabels]), let value = rest.first,
                              value.text.contains(where: \.isNumber) else { continue }
                        if accept("invoice_number", Evidence(words: [value], page: seg.page)) {
                            fields[fields.count - 1].confidence *= 0.8
                            break sentences
                        }
                    }
                }
            }
        }
        // An invoice cited with its number and date and no label for the number (`Commercial invoice
        // GLH-88213 of 2026-11-30`, a certificate's `Factuur / Invoice 2026-KG-0782 d.d. 28-11-2026`).
        if doc.invoiceNumber == nil {
            cited: for (i, line) in lines.enumerated() where !tableLines.contains(i) {
                let words = line.words
                for var k in words.indices.dropLast(3) where ["invoice", "rechnung", "facture", "factuur"].contains(Lexicon.normalize(words[k].text)) {
                    // Or with a number sign before the number (`INVOICE n. 1147/26 of 26/11/2026`).
                    if Lexicon.numberSigns.contains(Lexicon.normalize(words[k + 1].text)), k + 4 < words.count { k += 1 }
                    let number = words[k + 1]
                    guard number.text.contains(where: \.isNumber), Values.date(number.text) == nil, Self.dateLinks.contains(words[k + 2].text.lowercased()),
                          (1...4).contains(where: { n in k + 2 + n < words.count + 1 && Values.date(words[(k + 3)..<min(words.count, k + 3 + n)].map(\.text).joined(separator: " ")) != nil })
                    else { continue }
                    if accept("invoice_number", Evidence(words: [number], page: line.page)) {
                        fields[fields.count - 1].confidence *= 0.8
                        // The date after the link is the cited invoice's, not the page's own (a certificate's signature date).
                        let kept = (fields, doc.invoiceDate)
                        fields.removeAll { $0.name == "invoice_date" }
                        if !(1...4).reversed().contains(where: { n in
                            k + 3 + n <= words.count && accept("invoice_date", Evidence(words: Array(words[(k + 3)..<(k + 3 + n)]), page: line.page))
                        }) {
                            (fields, doc.invoiceDate) = kept
                        }
                        break cited
                    }
                }
            }
        }
        // A number printed just after the title on its line (`Ausfuhrrechnung 26-AR-0512`), when no label gave one.
        if doc.invoiceNumber == nil {
            beside: for (i, line) in lines.enumerated().prefix(40) where !tableLines.contains(i) {
                for seg in line.segments() {
                    guard let (kind, code) = Self.codeAfterTitle(seg.words), kind == doc.kind,
                          accept("invoice_number", Evidence(words: [code], page: seg.page)) else { continue }
                    fields[fields.count - 1].confidence *= 0.85
                    break beside
                }
            }
        }
        // A number printed under the title, aligned with it (`Factuur` over `2026-F-0877`), when no label gave one.
        if doc.invoiceNumber == nil {
            under: for (i, line) in lines.enumerated().prefix(40) where !tableLines.contains(i) && i + 1 < lines.count {
                for seg in line.segments() where seg.words.count == 1 && isTitle(Lexicon.normalize(seg.text)) {
                    let next = lines[i + 1]
                    guard next.page == line.page, next.box.y0 - seg.box.y1 < 1.2 * line.em,
                          let below = next.segments().first(where: { s in s.words.count == 1
                              && (abs(s.box.x0 - seg.box.x0) < line.em || abs(s.box.x1 - seg.box.x1) < line.em) }),
                          below.text.count >= 5, below.text.contains(where: \.isNumber), Values.date(below.text) == nil,
                          accept("invoice_number", Evidence(words: below.words, page: below.page)) else { continue }
                    fields[fields.count - 1].confidence *= 0.8
                    break under
                }
            }
        }
        // A number printed in the title (`Rechnung 2026-7731`, `INVOICE INV-88`), when no label gave one.
        if doc.invoiceNumber == nil {
            titles: for (i, line) in lines.enumerated().prefix(40) where !tableLines.contains(i) {
                for seg in line.segments() {
                    let toks = Self.tokens(seg.words)
                    guard let first = toks.first, seg.words.count >= 2, seg.words.count <= 3,
                          Lexicon.titles.contains(where: { $0.kind == doc.kind && $0.phrases.contains(first.token) }) else { continue }
                    let rest = Array(seg.words.dropFirst())
                    if accept("invoice_number", Evidence(words: rest, page: seg.page)) {
                        fields[fields.count - 1].confidence *= 0.8
                        break titles
                    }
                }
            }
        }
        if doc.invoiceDate == nil { dateAfterNumber() }
        if doc.invoiceDate == nil { dateUnderNumber() }
        // A letter's dateline with no label (`Marseille, le 5 décembre 2026`, `Hamburg, den 3. März 2026`,
        // `Winterthur, 27.11.2026`).
        if doc.invoiceDate == nil {
            datelines: for (i, line) in lines.enumerated() where !tableLines.contains(i) {
                // The place may be of two or three words (`Phnom Penh, 3 December 2026`).
                for seg in line.segments() where (2...9).contains(seg.words.count) {
                    guard let comma = seg.words.prefix(3).firstIndex(where: { $0.text.hasSuffix(",") }),
                          seg.words[...comma].allSatisfy({ $0.text.first?.isLetter == true }) else { continue }
                    var rest = seg.words[(comma + 1)...]
                    if let f = rest.first, ["le", "den", "am", "op", "the", "on"].contains(f.text.lowercased()) { rest = rest.dropFirst() }
                    guard (1...4).contains(rest.count), rest.first?.text.first?.isNumber == true || Lexicon.months[Lexicon.normalize(rest.first?.text ?? "")] != nil
                    else { continue }
                    if accept("invoice_date", Evidence(words: Array(rest), page: seg.page)) {
                        fields[fields.count - 1].confidence *= 0.8
                        break datelines
                    }
                }
            }
        }
        if doc.invoiceDate == nil {
            dates: for (i, seg, rest) in datesOfOther {
                for candidate in valueCandidates(line: i, label: seg, rest: rest) where accept("invoice_date", candidate) {
                    fields[fields.count - 1].confidence *= 0.8
                    break dates
                }
            }
        }
    }

    /// The date that follows the invoice's number in its sentence (`invoice No. AGM-26-0934 dated
    /// 03.12.2026`, `Rechnung Nr. 4471 vom 2. Dezember 2026`): the invoice's own date, which a
    /// certificate's signature line beside it is not.
    mutating func dateAfterNumber() {
        guard let number = fields.last(where: { $0.name == "invoice_number" }),
              let line = lines.first(where: { $0.page == number.page && $0.box.y0 <= number.box.midY && number.box.midY <= $0.box.y1 }),
              let k = line.words.firstIndex(where: { $0.text.contains(number.value) && $0.box.xOverlap(number.box) > 0 }) else { return }
        let after = line.words[(k + 1)...]
        guard let link = after.first, Self.dateLinks.contains(link.text.lowercased()) else { return }
        let words = Array(after.dropFirst().prefix(4))
        for count in stride(from: words.count, through: 1, by: -1) where accept("invoice_date", Evidence(words: Array(words.prefix(count)), page: line.page)) {
            return
        }
    }

    /// A date alone on the line under the invoice's number, in line with it at either edge (`INVOICE` over
    /// `# LCL-INV-11872` over `7 December 2026`, at the page's right).
    mutating func dateUnderNumber() {
        guard let number = fields.last(where: { $0.name == "invoice_number" }),
              let i = lines.firstIndex(where: { $0.page == number.page && $0.box.y0 <= number.box.midY && number.box.midY <= $0.box.y1 }),
              i + 1 < lines.count, lines[i + 1].page == number.page, lines[i + 1].box.y0 - lines[i].box.y1 < lines[i].em else { return }
        let em = lines[i].em
        guard let below = lines[i + 1].segments().first(where: { s in
            s.box.xOverlap(number.box) > 0 && (abs(s.box.x0 - number.box.x0) < 2 * em || abs(s.box.x1 - number.box.x1) < 2 * em)
        }), below.words.count <= 4, Values.date(below.text) != nil else { return }
        _ = accept("invoice_date", Evidence(below, confidence: 0.8))
    }

    /// Words that join a number to its date (`KTE/118 dt. 04/12/2026`, `Nr. 4471 vom 2.12.2026`).
    static let dateLinks: Set<String> = ["dated", "of", "dt", "dt.", "dtd", "dtd.", "vom", "du", "van", "d.d."]

    /// A label that names a number and its date (`P/L No. & Date: JBP/PL/2026/318 dt. 03-Dec-2026`):
    /// the date follows the number, and may carry on at the start of the next line.
    mutating func numberAndDate(_ rest: [Word], label seg: Segment, line i: Int) -> Bool {
        guard let k = rest.firstIndex(where: { $0.text.contains(where: \.isNumber) }) else { return false }
        var words = Array(rest[(k + 1)...])
        guard !words.isEmpty else { return false }
        let em = lines[i].em
        if Values.date(words.map(\.text).joined(separator: " ")) == nil, i + 1 < lines.count, lines[i + 1].page == lines[i].page,
           let next = lines[i + 1].segments().first(where: { abs($0.box.x0 - seg.box.x0) < em }), next.words.count <= 3,
           next.box.y0 - lines[i].box.y1 < em {
            words += next.words
        }
        return accept("invoice_date", Evidence(words: words, page: lines[i].page))
    }

    /// The date after a number given below its label (`HP-INV-261203    DEC. 03, 2026` under `No. &
    /// date of invoice`): in the number's own segment, or in the next one on its line.
    mutating func dateBesideNumber(_ value: Evidence, em: Double) -> Bool {
        let parts = value.text.split(separator: " ")
        if let k = parts.firstIndex(where: { $0.contains(where: \.isNumber) }), k + 1 < parts.count {
            var after = value
            after.text = parts[(k + 1)...].drop { Self.dateLinks.contains($0.lowercased()) }.joined(separator: " ")
            if accept("invoice_date", after) { return true }
        }
        guard let line = lines.first(where: { $0.page == value.page && $0.box.y0 <= value.box.midY && value.box.midY <= $0.box.y1 }),
              let next = line.segments().first(where: { $0.box.x0 > value.box.x1 && $0.box.x0 - value.box.x1 < 12 * em }) else { return false }
        return accept("invoice_date", Evidence(next))
    }

    /// A document's number as printed: letters or separators with at least three digits (`BT-204517`,
    /// `2026-0871`), no date, no amount.
    static func documentNumberLike(_ t: String) -> Bool {
        t.count >= 4 && t.filter(\.isNumber).count >= 3 && Values.date(t) == nil
            && t.allSatisfy { $0.isLetter || $0.isNumber || "-/_.".contains($0) }
            && !(t.contains(",") || t.range(of: #"^\d+[.,]\d{2}$"#, options: .regularExpression) != nil)
    }

    /// Whether another label starts the line under `seg` at its left edge (a column of labels, each with its value beside it).
    func labelBelow(_ seg: Segment, line i: Int, _ labels: [(field: String, phrases: [String])]) -> Bool {
        guard i + 1 < lines.count, lines[i + 1].page == seg.page, lines[i + 1].box.y0 - seg.box.y1 < 1.5 * lines[i].em,
              let below = lines[i + 1].segments().first(where: { abs($0.box.x0 - seg.box.x0) < 0.5 * lines[i].em }) else { return false }
        return Self.label(below.words, in: labels) != nil
    }

    /// The document's title (`FACTURE`, `INVOICE`) stands just above a segment, over it: a bare
    /// `N° ECF-2026-0871` there numbers the document without a colon.
    /// Whether the line's first segment, left of `seg`, is the document's title (`EXPORT SALES INVOICE`
    /// … `No. 0004127` at the right of the same line).
    func titleBeside(_ seg: Segment, line: TextLine) -> Bool {
        guard let first = line.segments().first, first.box.x0 < seg.box.x0 else { return false }
        // The title as its own segment, or as the words before the number in one run (`splitAfterTitle`).
        let words = first.box.x1 < seg.box.x0 ? first.words : first.words.filter { $0.box.x1 <= seg.box.x0 }
        return isTitle(Lexicon.normalize(words.map(\.text).joined(separator: " ")))
    }

    /// A title of this kind of document, maybe after other words (`COMMERCIAL INVOICE`).
    func isTitle(_ normalized: String) -> Bool {
        Lexicon.titles.contains { $0.kind == doc.kind && $0.phrases.contains { normalized == $0 || normalized.hasSuffix(" " + $0) } }
    }

    /// A title and the document's number in one run (`COMMERCIAL INVOICE  N° 00451-E`): cut before the
    /// number's sign, so that the sign is read as the number's label beside its title. The run before
    /// the sign is the title alone (`zu Rechnung Nr.:` cites another document), and a run that opens
    /// with a label (`Invoice No. & Date:`) is left whole.
    func splitAfterTitle(_ seg: Segment, _ labels: [(field: String, phrases: [String])]) -> [Segment] {
        let ws = seg.words
        guard ws.count >= 3, Self.label(ws, in: labels) == nil, let j = ws.indices.dropFirst().dropLast().first(where: { Lexicon.numberSigns.contains(Lexicon.normalize(ws[$0].text)) }),
              Lexicon.titles.contains(where: { $0.kind == doc.kind && $0.phrases.contains(Lexicon.normalize(ws[..<j].map(\.text).joined(separator: " "))) })
        else { return [seg] }
        return [Segment(page: seg.page, words: Array(ws[..<j])), Segment(page: seg.page, words: Array(ws[j...]))]
    }

    func titleAbove(_ seg: Segment, line i: Int) -> Bool {
        lines[max(0, i - 2)..<i].contains { above in
            above.page == seg.page && seg.box.y0 - above.box.y1 < 1.5 * above.em && above.segments().contains { t in
                // A title of one word, or of several (`PACKING LIST` over `No. PL/2026/1207`).
                guard let first = Self.tokens(t.words).first,
                      Lexicon.titles.contains(where: { $0.kind == doc.kind && $0.phrases.contains(first.token) }) || isTitle(Lexicon.normalize(t.text))
                else { return false }
                return t.box.x0 < seg.box.x1 && seg.box.x0 < t.box.x1
            }
        }
    }

    /// Words of a sentence that names the delivery terms (`Delivery under DAP terms.`, `Prices FCA
    /// Rotterdam, Incoterms® 2020`, `Lieferung DAP Wien`).
    static let deliveryTermWords: Set<String> = ["terms", "incoterms", "incoterm", "delivery", "delivered", "basis", "lieferung", "lieferbedingungen",
                                                 "geliefert", "livraison", "livre", "livree", "levering", "geleverd", "conditions", "condities",
                                                 // `Shipped DAP Montréal, duties for the buyer's account.`
                                                 "shipped", "versandt", "versendet", "expedie", "expedies", "verzonden"]

    /// Letters OCR reads for one another in capitals at low resolution.
    static let capitalLookalikes: [Character: Set<Character>] = ["O": ["D", "Q", "0"], "D": ["O"], "Q": ["O"], "0": ["O", "D"]]

    /// The one Incoterm that a word of three capitals reads as with one look-alike letter replaced
    /// (`DOP` is DDP; `DAP` is no slip of it), or nil.
    static func incotermSlip(_ word: String) -> String? {
        let chars = Array(word)
        guard chars.count == 3 else { return nil }
        let terms = Lexicon.incoterms.filter { term in
            let t = Array(term)
            let differ = (0..<3).filter { chars[$0] != t[$0] }
            return differ.count == 1 && capitalLookalikes[chars[differ[0]]]?.contains(t[differ[0]]) == true
        }
        return terms.count == 1 ? terms.first : nil
    }

    /// No label gave the Incoterm: one printed in capitals in a sentence about delivery terms.
    mutating func incotermInSentence() {
        guard doc.incoterm == nil, doc.kind == .invoice else { return }
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            for seg in line.segments() where Self.tokens(seg.words).contains(where: { Self.deliveryTermWords.contains($0.token) }) {
                guard let term = seg.words.first(where: { w in
                    let letters = w.text.filter(\.isLetter)
                    return letters.allSatisfy(\.isUppercase) && Lexicon.incoterms.contains(letters)
                }), accept("incoterm", Evidence(words: [term], page: seg.page)) else { continue }
                fields[fields.count - 1].confidence *= 0.8
                return
            }
        }
        // Or the price's basis over a price column or beside a total (`Unit Price` over `FOB Laem
        // Chabang`, `Total CIF Hamburg`): the term in capitals, then the named place.
        for line in lines {
            for seg in line.segments() {
                let ws = seg.words.drop { $0.text.lowercased() == "total" }
                guard let term = ws.first, ws.count >= 2, ws.count <= 4, Lexicon.incoterms.contains(term.text),
                      let place = ws.dropFirst().first?.text.first, place.isUppercase,
                      accept("incoterm", Evidence(words: [term], page: seg.page)) else { continue }
                fields[fields.count - 1].confidence *= 0.7
                return
            }
        }
        // Or the term and its place in parentheses after a charge (`Air freight Christchurch – Frankfurt (CPT Frankfurt)`).
        for line in lines {
            let ws = line.words
            for k in ws.indices.dropLast() where ws[k].text.hasPrefix("(") && Lexicon.incoterms.contains(String(ws[k].text.dropFirst()))
                && ws[k + 1].text.first?.isUppercase == true && ws[k...].contains(where: { $0.text.hasSuffix(")") }) {
                let term = Word(text: String(ws[k].text.dropFirst()), box: ws[k].box, confidence: ws[k].confidence)
                guard accept("incoterm", Evidence(words: [term], page: line.page)) else { continue }
                fields[fields.count - 1].confidence *= 0.7
                return
            }
        }
    }

    /// A label that wraps in a narrow cell (`Invoice` over `Date`, `Delivery` over `terms`), with
    /// its value in the cell to the right, which may wrap too (`3rd December` over `2026`) or sit
    /// between the label's two lines. Neither line reads as the label alone.
    mutating func readWrappedLabels(_ found: inout Set<String>) {
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let em = line.em
            for upper in line.segments() where upper.words.count <= 3 {
                for j in (i + 1)..<min(lines.count, i + 3) where lines[j].page == line.page && !tableLines.contains(j) {
                    guard let lower = lines[j].segments().first(where: { abs($0.box.x0 - upper.box.x0) < 0.5 * em }),
                          lower.words.count <= 3, lower.box.y0 - upper.box.y1 < 0.6 * em,
                          let (field, rest, _) = Self.label(upper.words + lower.words, in: labels), rest.isEmpty,
                          !found.contains(field), Self.label(upper.words, in: labels)?.field != field else { continue }
                    let labelBox = upper.box.union(lower.box)
                    guard let value = valueBeside(labelBox, lines: max(0, i - 1)..<min(lines.count, j + 2), page: line.page, em: em) else { continue }
                    if accept(field, Evidence(words: value, page: line.page)) {
                        fields[fields.count - 1].confidence *= 0.9
                        found.insert(field)
                    }
                }
            }
        }
    }

    /// The value set beside a label in the cell to its right, one segment per line within the
    /// label's height, all starting (or, right-aligned, ending) at one edge: a cell that wraps
    /// (`3rd December` over `2026`) beside a label centred on it, or a label that wraps beside a
    /// value centred on its lines.
    func valueBeside(_ labelBox: Box, lines range: Range<Int>, page: Int, em: Double) -> [Word]? {
        var parts: [Segment] = []
        for k in range where lines[k].page == page && !tableLines.contains(k) {
            guard let s = lines[k].segments().first(where: { $0.box.x0 > labelBox.x1 }),
                  s.box.x0 - labelBox.x1 < 12 * em, s.box.midY > labelBox.y0 - 0.3 * em, s.box.midY < labelBox.y1 + 0.3 * em
            else { continue }
            if let first = parts.first, abs(s.box.x0 - first.box.x0) > 1.5 * em, abs(s.box.x1 - first.box.x1) > 1.5 * em { continue }
            parts.append(s)
        }
        guard !parts.isEmpty else { return nil }
        // The cell's lines above and below, stacked close at its left or right edge: a value of three
        // lines centred on its label's one, whose middle is a word (`2` over `december` over `2026`), never
        // a number of its own (`295,5 kg` over the next total's `326,7 kg`).
        guard !parts.contains(where: { $0.words.contains { $0.text.contains(where: \.isNumber) } }) else { return parts.flatMap(\.words) }
        func stacked(_ k: Int, on part: Segment, above: Bool) -> Segment? {
            guard k >= 0, k < lines.count, lines[k].page == page, !tableLines.contains(k) else { return nil }
            return lines[k].segments().first { s in
                (abs(s.box.x0 - part.box.x0) < 0.5 * em || abs(s.box.x1 - part.box.x1) < 0.5 * em)
                    && (above ? part.box.y0 - s.box.y1 : s.box.y0 - part.box.y1) < 0.6 * em
                    && (above ? s.box.y1 <= part.box.midY : s.box.y0 >= part.box.midY)
            }
        }
        let first = lines[range].firstIndex { l in l.words.contains { $0.box == parts[0].words[0].box } } ?? range.lowerBound
        let last = lines[range].lastIndex { l in l.words.contains { $0.box == parts[parts.count - 1].words[0].box } } ?? range.upperBound - 1
        if let up = stacked(first - 1, on: parts[0], above: true), up.words.count <= 3 { parts.insert(up, at: 0) }
        if let down = stacked(last + 1, on: parts[parts.count - 1], above: false), down.words.count <= 3 { parts.append(down) }
        return parts.flatMap(\.words)
    }

    /// A segment cut where a label ending in a colon starts after other words (`Facture n° F-93
    /// Date : 21/01/2026`, set with a few spaces between): each part is read on its own.
    static func splitAtInlineLabels(_ seg: Segment, _ table: [(field: String, phrases: [String])]) -> [Segment] {
        let ws = seg.words
        var cuts: [Int] = []
        // A label that starts a sentence after another's end (`Shipped in 96 cartons. Gross weight 842.6 kg.`).
        for j in ws.indices.dropFirst() where ws[j - 1].text.count > 3 && ws[j - 1].text.hasSuffix(".") && ws[j].text.first?.isUppercase == true {
            // Only a label with its number right after it (not `Cartons marked ALPENHOF 1/9 – 9/9.`).
            if let (_, rest, _) = label(Array(ws[j...]), in: table), opensWithFigure(rest), j > (cuts.last ?? 0) { cuts.append(j) }
        }
        // Or after a bullet between two statements (`Versand in 2 Kolli · Bruttogewicht 148,6 kg · Nettogewicht 141,2 kg`),
        // or a comma or semicolon (`5 cartons, gross weight 96.4 kg`, `on 1 pallet; net weight 412 kg`), or a dash set apart
        // (`300 cartons — N.W. 7,500 kg — G.W. 8,130 kg`).
        for j in ws.indices.dropFirst() where (Self.statementSeparators.contains(ws[j - 1].text)
                                                || ws[j - 1].text.count > 1 && (ws[j - 1].text.hasSuffix(",") || ws[j - 1].text.hasSuffix(";")))
            && j > (cuts.last ?? 0) {
            if let (_, rest, _) = label(Array(ws[j...]), in: table), opensWithFigure(rest) { cuts.append(j) }
        }
        // A label's colon OCR read as a point (`… VAT Act). Country of origin. Sweden,` on a 100 DPI scan): a label of two
        // words or more whose last word is no abbreviation (`No.`, `Wt.`), before a capitalised word.
        func pointForColon(_ j: Int) -> Bool {
            ws[j].text.count >= 5 && ws[j].text.hasSuffix(".") && !ws[j].text.dropLast().contains(".")
                && j + 1 < ws.count && ws[j + 1].text.first?.isUppercase == true
        }
        for j in ws.indices.dropFirst() where ws[j].text.hasSuffix(":") || pointForColon(j) {
            let end = ws[j].text == ":" ? j - 1 : j
            let point = !ws[j].text.hasSuffix(":")
            // The longest label that ends here (`Invoice No:`, not `No:`; `Poids brut / Gross weight:`, two
            // languages, not `Gross weight:`); a cut only after other words.
            guard end >= 0 else { continue }
            for k in max(0, end - 5)...end {
                if let (_, _, n) = label(Array(ws[k...end]), in: table), tokens(Array(ws[k...end])).count == n, !point || n >= 2 {
                    // `No. & Date:` is one label naming two values, not two labels.
                    let connectors = ["&", "and", "und", "et", "en", "/"]
                    let joined = connectors.contains(ws[k].text.lowercased()) || k > 0 && connectors.contains(ws[k - 1].text.lowercased())
                    // A label in parentheses belongs to the statement it is said in (`behalve artikel BT-ACC-500 (oorsprong: China)`).
                    let aside = ws[k].text.hasPrefix("(")
                    if k > (cuts.last ?? 0), !joined, !aside { cuts.append(k) }
                    break
                }
            }
        }
        guard !cuts.isEmpty else { return [seg] }
        let bounds = [0] + Set(cuts).sorted() + [ws.count]
        // The bullet between two statements belongs to neither (`42 bundles ·`).
        return zip(bounds, bounds.dropFirst()).map { a, b in
            var words = Array(ws[a..<b])
            while words.count > 1, let last = words.last, Self.statementSeparators.contains(last.text) { words.removeLast() }
            return Segment(page: seg.page, words: words)
        }
    }

    /// A label's value that opens with a figure, or with a weight's unit before it (`Net weight kg 361,3`).
    static func opensWithFigure(_ rest: [Word]) -> Bool {
        guard let first = rest.first else { return false }
        if first.text.first?.isNumber == true { return true }
        return rest.count > 1 && rest[1].text.first?.isNumber == true && ["KGM", "LBR", "TNE"].contains(Values.unit(first.text)?.rawValue ?? "")
    }

    /// Words set alone between two statements on one line.
    static let statementSeparators: Set<String> = ["·", "•", "|", "—", "–"]

    /// A row of labels over a row of values (`Factuurnummer  Factuurdatum  Klantnummer` over `2026-11872
    /// 3 december 2026  K-20418`), set close enough to read as one segment: cut where the next label
    /// starts, so that each label's value is the one under it. Not at a connector (`No. & Date`).
    static func splitAtLabelRow(_ seg: Segment, _ table: [(field: String, phrases: [String])]) -> [Segment] {
        guard let (_, rest, _) = label(seg.words, in: table), !rest.isEmpty, label(rest, in: table) != nil,
              !["&", "and", "und", "et", "en", "/"].contains(rest[0].text.lowercased()), !seg.words[seg.words.count - rest.count - 1].text.hasSuffix(":")
        else { return [seg] }
        let head = Segment(page: seg.page, words: Array(seg.words.prefix(seg.words.count - rest.count)))
        return [head] + splitAtLabelRow(Segment(page: seg.page, words: rest), table)
    }

    /// The value of a label: the rest of its segment, the next segment on the line (or the cell
    /// beside it, when that cell wraps around the label's line), or the segment just below it.
    func valueCandidates(line i: Int, label: Segment, rest: [Word]) -> [Evidence] {
        var out: [Evidence] = []
        if !rest.isEmpty { out.append(Evidence(words: rest, page: label.page)) }
        let segs = lines[i].segments()
        let em = lines[i].em
        if let next = segs.first(where: { $0.box.x0 > label.box.x1 }), next.box.x0 - label.box.x1 < 20 * em {
            out.append(Evidence(next))
        }
        // A value cell that wraps (`4 december` over `2026`) beside a label centred on it.
        // Or one of two or three lines centred on a label that has a word of it beside (`DAP` over
        // `Leveringsvoorwaarden:  Annecy`, `2` over `Factuurdatum:  december` over `2026`).
        let own = label.words.dropLast(rest.count)
        let labelBox = own.dropFirst().reduce(own.first?.box ?? label.box) { $0.union($1.box) }
        if rest.count <= 2, !rest.contains(where: { $0.text.contains(where: \.isNumber) }),
           let beside = valueBeside(labelBox, lines: max(0, i - 1)..<min(lines.count, i + 2), page: label.page, em: em),
           beside.count > (out.last?.text.split(separator: " ").count ?? 0) {
            out.append(Evidence(words: beside, page: label.page))
        }
        // Lines of the same row between (a header cell of two lines, a value centred lower) do not count as a gap.
        var bottom = label.box.y1
        for j in (i + 1)..<min(lines.count, i + 4) where lines[j].page == lines[i].page {
            if lines[j].box.y0 - bottom > 2.5 * em { break }
            if var s = lines[j].segments().first(where: { abs($0.box.x0 - label.box.x0) < 1.5 * em || $0.box.xOverlap(label.box) > 0 }) {
                // A neighbouring column's text run into it (`60329 Frankfurt am Main  INV-004417` under
                // `Invoice Number`): only the words from the label's edge on.
                // Cut only between cells, where the gap is wider than a space (`June` `9,` under a centred `DATE` stay one).
                if s.box.x0 < label.box.x0 - 1.5 * em,
                   let k = s.words.indices.dropFirst().first(where: { abs(s.words[$0].box.x0 - label.box.x0) < 1.5 * em }),
                   s.words[k].box.x0 - s.words[k - 1].box.x1 > 0.6 * em {
                    s = Segment(page: s.page, words: Array(s.words[k...]))
                }
                out.append(Evidence(s))
                // A value that wraps in its cell (`3 december` over `2026`).
                var words = s.words
                var end = s.box.y1
                // A line between with nothing in this cell (the neighbours' values, centred lower) is passed by.
                for k in (j + 1)..<min(lines.count, j + 3) where lines[k].page == lines[i].page {
                    guard lines[k].box.y0 - end < 0.6 * em else { break }
                    guard let t = lines[k].segments().first(where: { abs($0.box.x0 - s.box.x0) < 0.5 * em }) else { continue }
                    words += t.words
                    end = t.box.y1
                }
                if words.count > s.words.count { out.append(Evidence(words: words, page: s.page)) }
                break
            }
            bottom = lines[j].box.y1
        }
        return out
    }

    /// Takes a candidate value for a field if it reads as one.
    mutating func accept(_ field: String, _ e: Evidence) -> Bool {
        let t = e.text.trimmingCharacters(in: CharacterSet(charactersIn: " :"))
        switch field {
        case "invoice_number":
            let parts = t.split(separator: " ")
            guard t.contains(where: \.isNumber), let k = parts.firstIndex(where: { $0.contains(where: \.isNumber) }) else { return false }
            var v = String(parts[k])
            // OCR splits a prefix off the number (`INV -2026-28450`, `EX P-2019-36668`): capitals
            // just before a number that starts with a dash, or with letters and a dash, belong to it.
            if k > 0, parts[k - 1].count <= 4, parts[k - 1].allSatisfy({ $0.isASCII && $0.isUppercase }),
               v.first == "-" || (v.prefix { $0.isLetter }.count > 0 && v.drop { $0.isLetter }.first == "-") {
                v = parts[k - 1] + v
            } else if k == 1, parts.count == 2, (2...4).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
                      !Lexicon.numberSigns.contains(Lexicon.normalize(String(parts[0]))), Values.currencyWords[Lexicon.normalize(String(parts[0]))] == nil,
                      !Lexicon.incoterms.contains(String(parts[0])) {
                // A series' letters a space before the number, the value's only words (`PK 2611/0387`).
                v = parts[0] + " " + v
            }
            let value = v.trimmingCharacters(in: CharacterSet(charactersIn: ":.,;|'\"“”‘’«»()[]#№"))
            guard value.count >= 3, Values.date(value) == nil else { return false }
            doc.invoiceNumber = value
            set("invoice_number", value, e)
        case "invoice_date":
            guard let d = Values.date(t) else { return false }
            doc.invoiceDate = d
            dateText = t
            set("invoice_date", d, e)
        case "incoterm":
            let words = t.split(separator: " ").map { $0.uppercased().filter(\.isLetter) }
            if let term = words.first(where: { Lexicon.incoterms.contains($0) }) ?? Lexicon.incotermNamed(t) {
                doc.incoterm = term
                set("incoterm", term, e)
            } else if ocrPages.contains(e.page), let first = t.split(separator: " ").first,
                      first.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }), let term = Self.incotermSlip(String(first)) {
                // On a scan, the label's value in capitals one look-alike letter from one Incoterm (`DOP`).
                doc.incoterm = term
                set("incoterm", term, e, factor: 0.7)
            } else { return false }
        case "currency":
            guard let c = Values.currency(in: t) else { return false }
            doc.currency = c.rawValue
            set("currency", c.rawValue, e)
        case "country_of_origin":
            // Or named in two languages (`NEDERLAND / THE NETHERLANDS`), or its union and itself (`UNION EUROPÉENNE — FRANCE`).
            guard let c = Values.country(t) ?? t.components(separatedBy: " / ").lazy.compactMap({ Values.country($0) }).first
                    ?? t.components(separatedBy: CharacterSet(charactersIn: "—–")).lazy.compactMap({ Values.country($0) }).first else { return false }
            doc.countryOfOrigin = c.rawValue
            set("country_of_origin", c.rawValue, e)
        default:
            return false
        }
        return true
    }

    /// An invoice whose goods all come from one country may say so once, beside its table
    /// (`Country of Origin : JAPAN`): that is the origin of every line that prints none of its own.
    mutating func originOfEveryLine(_ rest: [Word], page: Int) -> Bool {
        // The value ends where the next label starts (`Vietnam   Packing: 310 cartons`).
        // Or where its sentence ends (`Land van oorsprong: Nederland. Bewaren bij max. 8 °C.`).
        // An exception's own label (`(oorsprong: China)`) stays with it.
        // The label's colon set apart (`Origine des marchandises : Tunisie`) is no label of its own.
        let given = Array(rest.drop { $0.text == ":" })
        let except = given.firstIndex { Lexicon.exceptWords.contains(Lexicon.normalize($0.text)) }
        var rest = Array(given.enumerated().prefix { k, w in !w.text.hasSuffix(":") || except.map { k > $0 } == true }.map(\.element))
        if let end = rest.firstIndex(where: { $0.text.hasSuffix(".") || $0.text.hasSuffix(";") }), end + 1 < rest.count {
            rest = Array(rest[...end])
        }
        // The whole value, else its first words (`Deutschland, Zolltarifnummern siehe Lieferschein.`), else
        // the country in the other language of two (`Brasil / Brazil`).
        guard !rest.isEmpty, !doc.lines.isEmpty,
              let (c, n) = ([rest.count] + (1...min(3, rest.count)).map { $0 }).lazy.compactMap({ n in
                  Values.country(rest.prefix(n).map(\.text).joined(separator: " ")).map { ($0, n) }
              }).first ?? Self.countryAcrossSlash(rest) else { return false }
        // `Nederland, behalve artikel BT-ACC-500 (oorsprong: China)`: the line of that article comes from there.
        if let except = rest.firstIndex(where: { Lexicon.exceptWords.contains(Lexicon.normalize($0.text)) }), except + 1 < rest.count {
            let after = Array(rest[(except + 1)...])
            if let k = after.firstIndex(where: { $0.text.contains(where: \.isNumber) }),
               let line = lineReferences.firstIndex(where: { $0 == after[k].text.trimmingCharacters(in: .punctuationCharacters) }),
               let (other, words) = (k + 1..<after.count).lazy.compactMap({ j -> (CountryCode, [Word])? in
                   let ws = Array(after[j...].prefix(3))
                   return (1...ws.count).lazy.compactMap { n in
                       Values.country(ws.prefix(n).map(\.text).joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "().;,"))).map { ($0, Array(ws.prefix(n))) }
                   }.first
               }).first {
                doc.lines[line].originCountry = other.rawValue
                lineEvidence[line]["origin_country"] = Evidence(words: [after[k]] + words, page: page)
            }
        }
        setOriginOfEveryLine(c, Evidence(words: Array(rest.prefix(n)), page: page))
        return true
    }

    /// A country named in two languages across a slash, the first the lexicon knows, and the words up to it.
    static func countryAcrossSlash(_ words: [Word]) -> (CountryCode, Int)? {
        guard let slash = words.prefix(4).firstIndex(where: { $0.text == "/" }), slash > 0 else { return nil }
        let after = words[(slash + 1)...].prefix(3)
        return (1...max(1, after.count)).lazy.compactMap { n in
            Values.country(after.prefix(n).map(\.text).joined(separator: " ")).map { ($0, slash + 1 + n) }
        }.first
    }

    mutating func setOriginOfEveryLine(_ c: CountryCode, _ ev: Evidence) {
        for i in doc.lines.indices where doc.lines[i].originCountry == nil {
            doc.lines[i].originCountry = c.rawValue
            lineEvidence[i]["origin_country"] = ev
        }
    }

    /// An invoice that says in a sentence where all its goods come from (`Goods of Italian origin.`,
    /// `Marchandises d'origine française.`, `the goods are of Bangladesh origin`), and neither a label
    /// nor a column did: that is every line's origin. A statement of preferential origin is left
    /// to the statement's reader.
    mutating func originInSentence() {
        guard doc.kind == .invoice, !doc.lines.isEmpty, doc.lines.allSatisfy({ $0.originCountry == nil }) else { return }
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let toks = Self.tokens(line.words)
            guard !toks.contains(where: { t in Lexicon.preferentialWords.contains { t.token.hasPrefix($0.prefix(8)) } }) else { continue }
            for (k, t) in toks.enumerated() where Lexicon.originWords.contains(t.token) {
                let before = k > 0 ? toks[k - 1].token : "", after = k + 1 < toks.count ? toks[k + 1].token : ""
                // A country's name only after `of` (`of Bangladesh origin`), never a label (`Country of origin`).
                // A name of several words (`Goods of New Zealand origin`).
                let named = (1..<min(3, k) + 1).lazy.compactMap { n -> CountryCode? in
                    guard k - n - 1 >= 0, ["of", "d", "van"].contains(toks[k - n - 1].token) else { return nil }
                    return Lexicon.countries[toks[(k - n)..<k].map(\.token).joined(separator: " ")]
                }.first
                guard let c = Lexicon.nationalities[before] ?? Lexicon.nationalities[after] ?? named else { continue }
                let lo = max(0, k - 2), hi = min(toks.count - 1, k + 1)
                setOriginOfEveryLine(c, Evidence(words: Array(line.words[toks[lo].word...toks[hi].word]), page: line.page))
                return
            }
        }
        // Or where the goods were made, said once under the table (`All goods made in the USA.`, `Hergestellt in Deutschland`).
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let toks = Self.tokens(line.words)
            for k in toks.indices.dropFirst() where Lexicon.madeInPhrases.contains(toks[k - 1].token + " " + toks[k].token) {
                let after = toks[(k + 1)...].drop { ["the", "den", "der", "la", "le", "les"].contains($0.token) }.prefix(3)
                guard let n = (1...max(1, after.count)).reversed().first(where: { n in
                    n <= after.count && Lexicon.countries[after.prefix(n).map(\.token).joined(separator: " ")] != nil
                }), n <= after.count, let c = Lexicon.countries[after.prefix(n).map(\.token).joined(separator: " ")] else { continue }
                let last = after[after.startIndex + n - 1].word
                setOriginOfEveryLine(c, Evidence(words: Array(line.words[toks[k - 1].word...last]), page: line.page))
                return
            }
        }
    }

    // MARK: parties

    mutating func readParties() {
        let allLabels: [(field: String, phrases: [String])] = [("seller", sellerLabels), ("buyer", buyerLabels)]
        var done = Set<String>()
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let parts = line.segments().flatMap { Self.splitAtPartyLabels($0, allLabels) }.flatMap { Self.splitAtInlineLabels($0, labels) }
            for seg in parts {
                guard let (role, rest, n) = Self.label(seg.words, in: allLabels) ?? Self.addressee(seg), !done.contains(role) else { continue }
                // `From: Cat Lai port  To: Hamburg` is the route, not the seller.
                // Or with the destination in a cell of its own (`From: Taoyuan, Taiwan   To: Frankfurt, Germany`).
                if role == "seller", Self.tokens(seg.words).first?.token == "from",
                   Self.tokens(rest).contains(where: { $0.token == "to" })
                    || parts.contains(where: { $0.box.x0 > seg.box.x1 && $0.words.first.map { Lexicon.normalize($0.text) == "to" && $0.text.hasSuffix(":") } == true }) { continue }
                // A block label stands alone (or is followed by the name on the same line).
                let toks = Self.tokens(seg.words)
                let start = (toks.first?.token.allSatisfy(\.isNumber) ?? false) ? 1 : 0
                if rest.isEmpty && toks.count > start + n { continue }
                // `Customer PO PV-2026-0931`, `Customer No. 4471`: the customer's order or number, not the customer.
                if let next = Self.tokens(rest).first?.token, Self.identifierWords.union(["po", "p", "order"]).contains(next) { continue }
                // `FROM: NINGBO, CHINA` over `TO: HAMBURG, GERMANY`: a route's port, not the seller.
                if role == "seller", Self.tokens(seg.words).first?.token == "from",
                   let route = rest.isEmpty ? parts.first(where: { $0.box.x0 > seg.box.x1 })?.words : rest, (1...3).contains(route.count),
                   let place = route.map(\.text).joined(separator: " ").split(separator: ",").last, Values.country(String(place)) != nil { continue }
                // `Kunde: 10233`: the customer's number, not the customer.
                if rest.count == 1, Self.isBareNumber(rest[0].text) { continue }
                // `Exportateur agréé n° EXP-SAVA-0087`, `Approved exporter No.`: an authorisation's number.
                let after = Self.tokens(rest).prefix(2).map(\.token)
                if after.count == 2, Lexicon.approvalWords.contains(after[0]), Self.identifierWords.contains(after[1]) { continue }
                var block: [[Word]] = []
                if !rest.isEmpty { block.append(rest) }
                var prevBottom = seg.box.y1
                let em = line.em
                // Blocks set side by side (`Exporter:`, `Importer of record:`, `Invoice #:`) start where
                // their labels start; a line under them is cut there even where the gap is narrow.
                // A form's box number before its label (`2.` of `2. Consignee`) starts the label's block.
                func boxNumberOnly(_ k: Int) -> Bool { parts[k].words.count == 1 && Self.boxNumber(parts[k].words[0].text) != nil }
                let starts = parts.indices.compactMap { k -> Double? in
                    boxNumberOnly(k) ? nil : k > 0 && boxNumberOnly(k - 1) ? parts[k - 1].box.x0 : parts[k].box.x0
                }
                // `Klant:` with the name in the next cell of its line, key-value style.
                let besideName = rest.isEmpty ? parts.first(where: { $0.box.x0 > seg.box.x1 }).flatMap { next in
                    next.box.x0 - seg.box.x1 < 20 * em && Self.label(next.words, in: allLabels) == nil
                        && !(next.words.count == 1 && Self.isBareNumber(next.words[0].text))
                        && Self.label(next.words, in: labels) == nil
                        // Nor the next box's numbered label on a form (`3. Consignee …   4. Country …`).
                        && !(next.words.count > 1 && Self.boxNumber(next.words[0].text) != nil) ? next : nil
                } : nil
                // `Destinataire` alone on its line, centred beside a cell's block, between two of its lines.
                let besideBelow = rest.isEmpty && besideName == nil && parts.count == 1 ? segmentBesideBelow(seg, line: i, em: em) : nil
                let nameEdge = rest.first?.box.x0 ?? besideName?.box.x0 ?? besideBelow?.box.x0
                let above = besideName.map { blockAbove($0, line: i, label: i, labelEdge: seg.box.x0, em: em) }
                    ?? besideBelow.map { blockAbove($0, line: i + 1, label: i, labelEdge: seg.box.x0, em: em) } ?? []
                var edge: Double?
                var j = i + 1
                while j < lines.count, lines[j].page == line.page, block.count < 6, !tableLines.contains(j) {
                    let l = lines[j]
                    if l.box.y0 - prevBottom > 1.6 * em { break }
                    // Under the label, or under the name beside it (`Empfänger:  Midlands Tooling Ltd` over `Unit 4, …`);
                    // the block's first line decides which, and the rest keep to it.
                    let edges = edge.map { [$0] } ?? [seg.box.x0] + (nameEdge.map { [$0] } ?? [])
                    // A label alone over its block set in from it (`DOIT :` over the indented name and address).
                    let indented = { (s: Segment) in
                        edge == nil && rest.isEmpty && j == i + 1 && s.box.x0 > seg.box.x0 && s.box.x0 - seg.box.x0 < 4 * em
                    }
                    guard let s = Self.cut(l.segments(), at: starts, em: em).first(where: { s in edges.contains { abs(s.box.x0 - $0) < 1.5 * em } || indented(s) }) else {
                        if l.box.y0 - prevBottom > 0.9 * em { break }
                        j += 1
                        continue
                    }
                    // The next row's label of a key-value table (`Goods:` under `Consignee:`, its value in the next cell).
                    if besideName != nil, block.isEmpty, s.words.count <= 3, s.words.last?.text.hasSuffix(":") == true,
                       abs(s.box.x0 - seg.box.x0) < 1.5 * em { break }
                    // The next party's label (`Acheteur : Nordic Home AB, …` under the seller's line).
                    if Self.label(s.words, in: allLabels) != nil && (Self.tokens(s.words).count <= 3 || s.words.prefix(4).contains { $0.text.hasSuffix(":") }) { break }
                    if Self.label(s.words, in: labels) != nil || Self.isTitleOrNumber(s.words) { break }
                    edge = edge ?? (indented(s) && !edges.contains { abs(s.box.x0 - $0) < 1.5 * em } ? s.box.x0 : edges.min { abs(s.box.x0 - $0) < abs(s.box.x0 - $1) })
                    block.append(s.words)
                    prevBottom = l.box.y1
                    j += 1
                }
                // The name in the next cell heads the block when nothing stands under the label, or when the
                // lines under the name were read as its address.
                if let besideName, block.isEmpty || edge == besideName.box.x0 { block.insert(contentsOf: above + [besideName.words], at: 0) }
                if let besideBelow, edge == besideBelow.box.x0 { block.insert(contentsOf: above, at: 0) }
                guard let first = block.first else { continue }
                // `Customer` over `No.` in a narrow cell is the customer's number, not the customer.
                if rest.isEmpty, !Self.tokens(first).isEmpty, Self.tokens(first).allSatisfy({ Self.identifierWords.contains($0.token) }) { continue }
                done.insert(role)
                // A name with its address on one line (`Savonnerie du Midi SAS, 8 avenue Jean Jaurès, 13001 Marseille`).
                let (nameWords, inline) = Self.nameAndAddress(first)
                let name = Evidence(words: nameWords, page: seg.page)
                let address = inline + block.dropFirst().map { Evidence(words: $0, page: seg.page).text }
                // A repaired legal form (`8.V.` read for `B.V.`) is less sure than one read as printed.
                let source = pages.first(where: { $0.number == line.page })?.source
                let (text, repaired) = source == .ocr ? Values.legalName(name.text) : (name.text, false)
                if role == "seller" {
                    doc.sellerName = text
                    doc.sellerAddress = address
                    set("seller_name", text, name, factor: repaired ? 0.8 : 1)
                } else {
                    doc.buyerName = text
                    doc.buyerAddress = address
                    set("buyer_name", text, name, factor: repaired ? 0.8 : 1)
                }
            }
        }
        if doc.buyerName == nil { addressWindow() }
        if doc.sellerName == nil { letterhead() }
        if doc.buyerName == nil { unlabelledAddressee() }
    }

    /// The lines of a block that starts above the line of its label: a label centred beside its
    /// block in a table's cell (`Destinataire` beside four lines) stands at the block's middle, not its
    /// name. Lines at the value's left edge, close together, with nothing at the label's edge (which
    /// would be another label's row), top first.
    func blockAbove(_ value: Segment, line i: Int, label: Int, labelEdge: Double, em: Double) -> [[Word]] {
        var out: [[Word]] = []
        var top = lines[i].box.y0
        var j = i - 1
        while j >= 0, lines[j].page == lines[i].page, out.count < 4, !tableLines.contains(j) {
            let l = lines[j]
            if j == label, j != i { j -= 1; continue }
            guard top - l.box.y1 < 0.8 * em, !l.segments().contains(where: { abs($0.box.x0 - labelEdge) < 1.5 * em }),
                  let s = l.segments().first(where: { abs($0.box.x0 - value.box.x0) < 0.5 * em }) else { break }
            out.insert(s.words, at: 0)
            top = l.box.y0
            j -= 1
        }
        return out
    }

    /// The segment on the line under a label that stands alone, to its right, when nothing stands
    /// under the label itself: the label is centred beside a block in the next cell.
    func segmentBesideBelow(_ seg: Segment, line i: Int, em: Double) -> Segment? {
        guard i + 1 < lines.count, lines[i + 1].page == seg.page, !tableLines.contains(i + 1),
              lines[i + 1].box.y0 - seg.box.y1 < 0.8 * em else { return nil }
        let segments = lines[i + 1].segments()
        // Nor when the label's column goes on under the value (`Customer` over `No.`: a wrapped label).
        let labelGoesOn = i + 2 < lines.count && lines[i + 2].page == seg.page && lines[i + 2].box.y0 - lines[i + 1].box.y1 < 0.8 * em
            && lines[i + 2].segments().contains { abs($0.box.x0 - seg.box.x0) < 1.5 * em }
        guard !labelGoesOn, !segments.contains(where: { $0.box.x0 < seg.box.x1 }),
              let next = segments.first(where: { $0.box.x0 > seg.box.x1 && $0.box.x0 - seg.box.x1 < 20 * em }),
              Self.label(next.words, in: labels) == nil,
              Self.label(next.words, in: [("seller", sellerLabels), ("buyer", buyerLabels)]) == nil else { return nil }
        return next
    }

    /// The kind a title set with its letters spaced out names (`P A C K I N G  L I S T`, read `PA C K I N G L I S T`).
    static func letterSpacedTitle(_ normalized: String) -> DocumentKind? {
        let parts = normalized.split(separator: " ")
        guard parts.count >= 4, parts.allSatisfy({ $0.count <= 2 }) else { return nil }
        let letters = parts.joined()
        return Lexicon.titles.first { $0.phrases.contains { $0.replacingOccurrences(of: " ", with: "") == letters } }?.kind
    }

    /// An addressee printed with no label and no return line above it (a letter's address block
    /// under a letterhead set on the right, or on the right beside the place and date, as Swiss
    /// and French letters set it): on the top half of page one, a block of three to six lines
    /// starting at one left edge, a name first and a line with a digit (street, postcode) under
    /// it, that is not the seller's. A contact line (`t.a.v. inkoop`, `Attn: …`) stays in the address.
    mutating func unlabelledAddressee() {
        guard let page = pages.first else { return }
        let partyLabels: [(field: String, phrases: [String])] = [("seller", sellerLabels), ("buyer", buyerLabels)]
        let ems = lines.filter { $0.page == page.number }.map(\.em).sorted()
        guard !ems.isEmpty else { return }
        let bodyEm = ems[ems.count / 2]
        /// Blocks already looked at, by left edge and last line: none starts inside one.
        var seen: [(x: Double, last: Int)] = []
        for (i, line) in lines.enumerated() {
            guard line.page == page.number, !tableLines.contains(i), line.box.y1 < page.height * 0.5 else { continue }
            // Set in the body's size: a letterhead's line may hold an addressee's first line beside it (top-aligned).
            for first in line.segments() where (line.em <= bodyEm * 1.15 || first.words.count >= 2 && first.em <= bodyEm * 1.15)
                && !seen.contains(where: { abs($0.x - first.box.x0) < 0.5 * line.em && $0.last >= i }) {
                var block: [[Word]] = [first.words]
                var prevBottom = line.box.y1
                var j = i + 1
                // Set flush left, or flush right as a Swiss letter sets its addressee (decided by the second line).
                var flushRight: Bool?
                var memberEdges: [Double] = []
                while j < lines.count, lines[j].page == line.page, block.count < 6, !tableLines.contains(j) {
                    let l = lines[j]
                    guard l.box.y0 - prevBottom < 0.8 * l.em else { break }
                    let left = l.segments().first(where: { abs($0.box.x0 - first.box.x0) < 0.5 * l.em })
                    let right = l.segments().first(where: { abs($0.box.x1 - first.box.x1) < 0.5 * l.em && abs($0.box.x0 - first.box.x0) > l.em })
                    if flushRight == nil, left == nil, right != nil { flushRight = true }
                    guard let s = flushRight == true ? right : left else {
                        // A line of the block beside it, set in a smaller size between the address's lines.
                        if l.box.y0 - prevBottom < 0.5 * l.em { j += 1; continue }
                        break
                    }
                    if flushRight == nil { flushRight = false }
                    block.append(s.words)
                    memberEdges.append(s.box.x0)
                    prevBottom = l.box.y1
                    j += 1
                }
                seen.append((first.box.x0, j - 1))
                if flushRight == true { seen += memberEdges.map { ($0, j - 1) } }
                let name = Evidence(words: first.words, page: page.number).text
                // A heading the lexicon does not know (`Goods for:`, `Consigned to`) is a label, not a name: no guess.
                let heading = name.hasSuffix(":") || ["to", "for", "an", "a", "à", "aan", "voor", "fur", "pour"].contains(Lexicon.normalize(first.words.last?.text ?? ""))
                    || Lexicon.attentionLines.contains { (Lexicon.normalize(name) + " ").hasPrefix($0 + " ") }
                let isLabelOrValue = block.contains { Self.label($0, in: labels) != nil || Self.label($0, in: partyLabels) != nil
                    || Self.label($0, in: totalLabels) != nil }
                guard (3...6).contains(block.count), !heading, !name.contains(where: \.isNumber), name.contains(where: \.isLetter), !isLabelOrValue,
                      Lexicon.titles.allSatisfy({ !$0.phrases.contains(Lexicon.normalize(name)) }),
                      block.dropFirst().contains(where: { $0.contains { $0.text.contains(where: \.isNumber) } }),
                      let seller = doc.sellerName, !name.contains(seller), !seller.contains(name) else { continue }
                let (text, repaired) = page.source == .ocr ? Values.legalName(name) : (name, false)
                doc.buyerName = text
                doc.buyerAddress = block.dropFirst().map { Evidence(words: $0, page: page.number).text }
                set("buyer_name", text, Evidence(words: first.words, page: page.number), factor: repaired ? 0.6 : 0.75)
                return
            }
        }
    }

    /// Words that make a party's label an identifier's (`Customer No.`, `Kunden-Nr.`, `Client ID`).
    /// A number alone, as a customer's or account's number is printed (`10233`, `K-4471`).
    static func isBareNumber(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .punctuationCharacters)
        return t.count >= 3 && t.filter(\.isNumber).count * 2 > t.count && !t.contains { $0.isLetter && $0.isLowercase }
    }

    static let identifierWords: Set<String> = ["no", "nr", "n", "number", "nummer", "numero", "#", "id", "ref", "reference", "code", "account"]

    /// A segment that starts with a party's label cut where another party's label starts in it
    /// (`Verkauft von  Rechnungsadresse`, headings of blocks set side by side with a narrow gap).
    static func splitAtPartyLabels(_ seg: Segment, _ table: [(field: String, phrases: [String])]) -> [Segment] {
        let ws = seg.words
        guard ws.count > 1, label(ws, in: table) != nil else { return [seg] }
        var cuts: [Int] = []
        var k = 0
        while k < ws.count {
            let tail = Array(ws[k...])
            if let (_, rest, n) = label(tail, in: table) {
                // Another block's heading stands alone at the end, or ends in a colon.
                let heading = rest.isEmpty || tail[..<(tail.count - rest.count)].last?.text.hasSuffix(":") == true
                // Not the same block named in a second language (`Geadresseerde / Consignee`).
                if k > 0, heading, ws[k - 1].text != "/", ws[k].text != "/" { cuts.append(k) }
                let toks = tokens(tail)
                k += (n > 0 && n <= toks.count ? toks[n - 1].word : 0) + 1
            } else {
                k += 1
            }
        }
        guard !cuts.isEmpty else { return [seg] }
        let bounds = [0] + Set(cuts).sorted() + [ws.count]
        // The bullet between two statements belongs to neither (`42 bundles ·`).
        return zip(bounds, bounds.dropFirst()).map { a, b in
            var words = Array(ws[a..<b])
            while words.count > 1, let last = words.last, ["·", "•", "|"].contains(last.text) { words.removeLast() }
            return Segment(page: seg.page, words: words)
        }
    }

    /// Segments cut before a word that starts within half an em of one of `starts`.
    static func cut(_ segments: [Segment], at starts: [Double], em: Double) -> [Segment] {
        guard starts.count > 1 else { return segments }
        return segments.flatMap { seg -> [Segment] in
            var out: [Segment] = []
            var current: [Word] = []
            for w in seg.words {
                if !current.isEmpty, starts.contains(where: { abs($0 - w.box.x0) < 0.5 * em }) {
                    out.append(Segment(page: seg.page, words: current))
                    current = []
                }
                current.append(w)
            }
            if !current.isEmpty { out.append(Segment(page: seg.page, words: current)) }
            return out
        }
    }

    /// A letter's addressee label, a short word that is a label only alone with its colon (`An:`,
    /// `To:`, `À :`, `Aan:`): anywhere else it starts an ordinary line (`An der Alster 5`).
    static func addressee(_ seg: Segment) -> (field: String, rest: [Word], length: Int)? {
        let words = seg.words
        // `To:` alone over the address, or `TO: NORDLICHT HANDEL GMBH` with the name after it; a letter's `To,` alone.
        let labelEnd = words.firstIndex { $0.text.hasSuffix(":") } ?? (words.count == 1 && words[0].text.hasSuffix(",") ? 0 : nil)
        guard let end = labelEnd, end <= 1,
              ["to", "an", "a", "aan"].contains(Lexicon.normalize(words[...end].map(\.text).joined(separator: " "))) else { return nil }
        return ("buyer", Array(words[(end + 1)...]), 1)
    }

    /// A party's line split into the name and the address parts printed after it, comma by comma,
    /// when a part after the name holds a digit (a street number or postcode). A legal form after
    /// a comma stays with the name (`Acme, Inc.`).
    static func nameAndAddress(_ words: [Word]) -> (name: [Word], address: [String]) {
        var k = 0
        var bySeparator = false
        while k < words.count - 1 {
            // A return line's parts are set apart by a mark (`Elbtal GmbH · Hafenstraße 3 · 01067 Dresden`).
            if isPartSeparator(words[k + 1].text) { bySeparator = true; break }
            let next = words[k + 1].text.trimmingCharacters(in: CharacterSet(charactersIn: ","))
            if words[k].text.hasSuffix(","), !Values.legalForms.contains(next) { break }
            k += 1
        }
        guard k < words.count - 1 else { return (words, []) }
        let after = words[(k + 1)...].map(\.text).joined(separator: " ")
        guard after.contains(where: \.isNumber) else { return (words, []) }
        var name = Array(words[...k])
        if !bySeparator { name[k].text = String(name[k].text.dropLast()) }
        let parts = after.split(whereSeparator: { $0 == "," || partSeparators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return (name, parts)
    }

    static let partSeparators: Set<Character> = ["·", "•", "∙", "|"]
    static func isPartSeparator(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { partSeparators.contains($0) } }

    /// No buyer label: a window envelope's return line (the sender's name and address in one small
    /// line, parts set apart by `·`, `•` or `|`) stands right above the addressee's block, whose
    /// first line names the buyer. The return line names the seller when nothing else did.
    mutating func addressWindow() {
        guard let page = pages.first else { return }
        let partyLabels: [(field: String, phrases: [String])] = [("seller", sellerLabels), ("buyer", buyerLabels)]
        for (i, line) in lines.enumerated() where line.page == page.number && !tableLines.contains(i) && line.box.y1 < page.height * 0.45 {
            guard let ret = line.segments().first(where: { s in
                s.words.count >= 3 && s.words.dropFirst().contains { Self.isPartSeparator($0.text) } && s.text.contains(where: \.isNumber)
            }) else { continue }
            let (senderWords, senderAddress) = Self.nameAndAddress(ret.words)
            // A registration line under a letterhead (`MwSt.-Nr. IT 02418770215 · Tel. …`) is no return line: its first part is a number, not a name.
            guard !senderAddress.isEmpty, !senderWords.contains(where: { $0.text.contains(where: \.isNumber) }) else { continue }
            var block: [[Word]] = []
            var prevBottom = line.box.y1
            var j = i + 1
            while j < lines.count, lines[j].page == line.page, block.count < 6, !tableLines.contains(j) {
                let l = lines[j]
                if l.box.y0 - prevBottom > (block.isEmpty ? 3 : 1.6) * l.em { break }
                guard let s = l.segments().first(where: { abs($0.box.x0 - ret.box.x0) < 1.5 * l.em }) else {
                    // A line of the block beside it, set in a smaller size between the address's lines.
                    if !block.isEmpty, l.box.y0 - prevBottom < 0.5 * l.em { j += 1; continue }
                    break
                }
                guard Self.label(s.words, in: labels) == nil, Self.label(s.words, in: partyLabels) == nil else { break }
                block.append(s.words)
                prevBottom = l.box.y1
                j += 1
            }
            // An address: the return line is not set larger, and a line under the name holds a digit (street, postcode).
            guard block.count >= 2, line.em <= lines[i + 1].em * 1.05,
                  block.dropFirst().contains(where: { $0.contains { $0.text.contains(where: \.isNumber) } }) else { continue }
            let source = page.source
            let nameWords = Self.nameAndAddress(block[0]).name
            let raw = Evidence(words: nameWords, page: page.number)
            let (text, repaired) = source == .ocr ? Values.legalName(raw.text) : (raw.text, false)
            doc.buyerName = text
            doc.buyerAddress = block.dropFirst().map { Evidence(words: $0, page: page.number).text }
            set("buyer_name", text, raw, factor: repaired ? 0.7 : 0.85)
            if doc.sellerName == nil {
                // The letterhead may print the sender's full name that its return line shortens
                // (`Feinkost Großhandel Brandauer GmbH` over `Brandauer GmbH · Schäftlarnstraße 88 · …`).
                let short = Lexicon.normalize(senderWords.map(\.text).joined(separator: " "))
                let full = lines[..<i].filter { $0.page == page.number }.flatMap { $0.segments() }.map { Self.nameAndAddress($0.words).name }
                    .first { ws in
                        let n = Lexicon.normalize(ws.map(\.text).joined(separator: " "))
                        return n.count > short.count && n.hasSuffix(" " + short)
                    }
                let sender = Evidence(words: full ?? senderWords, page: page.number)
                let (name, fixed) = source == .ocr ? Values.legalName(sender.text) : (sender.text, false)
                doc.sellerName = name
                doc.sellerAddress = senderAddress
                set("seller_name", name, sender, factor: fixed ? 0.7 : 0.85)
            }
            return
        }
    }

    /// No seller label: the seller is the letterhead at the top of page one. A name with a legal
    /// form (`GmbH`, `Ltd`, `Co.`) wins, the largest first; else the largest text that is not the
    /// document's title, a label or the buyer.
    mutating func letterhead() {
        guard let page = pages.first else { return }
        let partyLabels: [(field: String, phrases: [String])] = [("seller", sellerLabels), ("buyer", buyerLabels)]
        // `last`: the line the name ends on (a legal form wrapped under it is part of the name, no address).
        var candidates: [(line: Int, last: Int, seg: Segment, legal: Bool)] = []
        for (i, line) in lines.enumerated() where line.page == page.number && !tableLines.contains(i) && line.box.y1 < page.height * 0.25 {
            for seg in line.segments() {
                let n = Lexicon.normalize(seg.text)
                // A label of any kind (`Payment: T/T 30 days`, `To:`) heads no letter.
                guard n.contains(where: \.isLetter), !Lexicon.titles.contains(where: { $0.phrases.contains(n) }), Self.letterSpacedTitle(n) == nil,
                      !seg.words.prefix(3).contains(where: { $0.text.hasSuffix(":") }),
                      Self.label(seg.words, in: labels) == nil, Self.label(seg.words, in: partyLabels) == nil,
                      Self.label(seg.words, in: totalLabels) == nil, Values.date(seg.text) == nil else { continue }
                let name = Self.nameAndAddress(seg.words).name.map(\.text).joined(separator: " ")
                // Nor a line that starts with the buyer's name (`Bill To` and `Ship To` blocks set close, read as one line).
                guard name != doc.buyerName, !(doc.buyerName.map { seg.text.hasPrefix($0) } ?? false),
                      !(doc.buyerAddress ?? []).contains(seg.text) else { continue }
                // Not a Dutch postcode's letters (`3044 AS Rotterdam`, `1012 AB`).
                // Nor a registration statement's (`SAS au capital de 420 000 €`): a form before small words names no company.
                let legalAt = seg.words.indices.filter { k in
                    Values.legalForms.contains(seg.words[k].text.trimmingCharacters(in: CharacterSet(charactersIn: ",")))
                        && !(k > 0 && seg.words[k - 1].text.count == 4 && seg.words[k - 1].text.allSatisfy(\.isNumber))
                        && !(k == 0 && seg.words.count > 1 && (seg.words[1].text.first?.isLowercase == true || Self.isPartSeparator(seg.words[1].text)))
                }
                // A legal form that wrapped under a large name (`Bouwmaat Technische Handel` over `B.V.`) ends it.
                if legalAt.count == seg.words.count,
                   let k = candidates.lastIndex(where: { c in
                       abs(c.seg.box.x0 - seg.box.x0) < line.em && seg.box.y0 - c.seg.box.y1 < 0.6 * lines[c.line].em && seg.box.y0 > c.seg.box.y0
                   }) {
                    candidates[k].seg = Segment(page: seg.page, words: candidates[k].seg.words + seg.words)
                    candidates[k].last = i
                    candidates[k].legal = true
                    continue
                }
                // A legal form set apart from its name on the same line (OCR boxed the letterhead's `Uhren` and `GmbH`
                // 1.3 em apart): it ends the name before it, not a name of its own.
                if legalAt.count == seg.words.count, let k = candidates.indices.last, candidates[k].line == i,
                   !candidates[k].legal, seg.box.x0 - candidates[k].seg.box.x1 < 2 * line.em {
                    candidates[k].seg = Segment(page: seg.page, words: candidates[k].seg.words + seg.words)
                    candidates[k].legal = true
                    continue
                }
                candidates.append((i, i, seg, !legalAt.isEmpty))
            }
        }
        // An addressee's block (`Sykkelhuset Bergen AS` over `t.a.v. inkoop`) names no sender.
        func addressed(_ c: (line: Int, last: Int, seg: Segment, legal: Bool)) -> Bool {
            let em = lines[c.line].em
            var bottom = c.seg.box.y1
            for j in (c.last + 1)..<min(lines.count, c.last + 4) where lines[j].page == page.number {
                // Aligned on the left, or on the right as a Swiss letter sets its addressee.
                guard let s = lines[j].segments().first(where: { abs($0.box.x0 - c.seg.box.x0) < 1.5 * em || abs($0.box.x1 - c.seg.box.x1) < 1.5 * em }),
                      s.box.y0 - bottom < 1.2 * em else { break }
                let n = Lexicon.normalize(s.text) + " "
                if Lexicon.attentionLines.contains(where: { n.hasPrefix($0 + " ") }) { return true }
                bottom = s.box.y1
            }
            return false
        }
        let senders = candidates.filter { !addressed($0) }
        let kept = senders.isEmpty ? candidates : senders
        let pool = kept.contains(where: \.legal) ? kept.filter(\.legal) : kept
        // Largest first, then the topmost.
        guard let pickedName = pool.max(by: { a, b in
            // The segment's own size where it is set clearly larger than its line (a small telephone number
            // read on the name's line); else the line's, which one word's descender does not sway.
            // A small addressee's name set on the letterhead's line (top-aligned beside it) is as small as it is.
            func size(_ c: (line: Int, last: Int, seg: Segment, legal: Bool)) -> Double {
                c.seg.words.count >= 3 && c.seg.em > 1.3 * lines[c.line].em || c.seg.words.count >= 2 && c.seg.em < 0.7 * lines[c.line].em
                    ? c.seg.em : lines[c.line].em
            }
            let ea = size(a), eb = size(b)
            return abs(ea - eb) > 0.5 ? ea < eb : a.seg.box.y0 > b.seg.box.y0
        }) else { return }
        var pick = pickedName
        // A name that wrapped in a narrow cell (`Southern Alps` over `Woollens Limited`): the line just above,
        // set alike and as close as a cell's lines, of two or three capitalised words and no digit (not a label's one word), starts it.
        if pick.legal, pick.line > 0, lines[pick.line - 1].page == page.number,
           let upper = lines[pick.line - 1].segments().first(where: { abs($0.box.x0 - pick.seg.box.x0) < 0.5 * lines[pick.line].em }),
           (2...3).contains(upper.words.count) && upper.words.allSatisfy({ $0.text.first?.isUppercase == true && !$0.text.contains(where: \.isNumber) })
            || Self.continuedBy(upper.words, pick.seg.words),
           pick.seg.box.y0 - upper.box.y1 < 0.4 * lines[pick.line].em, abs(upper.em - pick.seg.em) < 0.1 * pick.seg.em,
           Self.label(upper.words, in: labels) == nil, Self.label(upper.words, in: partyLabels) == nil,
           !Lexicon.titles.contains(where: { $0.phrases.contains(Lexicon.normalize(upper.text)) }) {
            pick.seg = Segment(page: upper.page, words: upper.words + pick.seg.words)
        }
        var (nameWords, inline) = Self.nameAndAddress(pick.seg.words)
        nameWords = Self.latinName(nameWords)
        let raw = nameWords.map(\.text).joined(separator: " ")
        let (legalName, repaired) = page.source == .ocr ? Values.legalName(raw) : (raw, false)
        var text = legalName
        var evidence = Evidence(words: nameWords, page: page.number)
        // A letterhead set in capitals (`PT ROTAN NUSANTARA ABADI`) that the page writes as a name too
        // (`PT Rotan Nusantara Abadi` over the signature): the name as written.
        if text.contains(where: \.isLetter), !text.contains(where: \.isLowercase) {
            let n = Lexicon.normalize(text)
            if let written = lines.lazy.flatMap({ $0.segments() }).first(where: { $0.text.contains(where: \.isLowercase) && Lexicon.normalize($0.text) == n }) {
                text = written.text
                evidence = Evidence(words: written.words, page: written.page)
            }
        }
        // A brand set as the letterhead, no company's name (`KUURA` over `design from the north`), whose
        // company the page names with its legal form (`Kuura Design Oy · Hämeentie 33 B …` in the footer): the company.
        if !pick.legal, let company = companyNamed(after: text, page: page.number) {
            text = company.map(\.text).joined(separator: " ")
            evidence = Evidence(words: company, page: page.number)
        }
        doc.sellerName = text
        set("seller_name", text, evidence, factor: (repaired ? 0.8 : 1) * (pick.legal ? 0.9 : 0.8))
        if !inline.isEmpty {
            doc.sellerAddress = inline
        } else {
            // The block under the name, not the whole lines: a title or the invoice's number set to the
            // right on the same lines (`N° : TN-26-1187`, `Invoice Date 3 Dec 2026`) is no address.
            var block: [Segment] = []
            // Each line's text; the pieces of one line read apart are set off by `·`, as the dots printed between them.
            var texts: [String] = []
            var bottom = pick.seg.box.y1
            let name = pick.seg.box
            for j in (pick.last + 1)..<min(lines.count, pick.last + 7) where lines[j].page == page.number && !tableLines.contains(j) {
                let l = lines[j]
                let segments = l.segments()
                guard let s = segments.first(where: { abs($0.box.x0 - name.x0) < 1.5 * l.em || $0.box.xOverlap(name) > 0.5 * $0.box.width }) else {
                    // A column set to the right of the name (a telephone, an e-mail address) passes by.
                    if segments.allSatisfy({ $0.box.x0 > name.x1 }) { continue }
                    break
                }
                guard s.box.y0 - bottom < 1.2 * l.em, !isLabelled(s)
                else { break }
                // The parts of one address line read apart (`Gewerbestraße 8`, `78054 Villingen-Schwenningen`
                // with wide gaps where the dots were) stay one line; a column further right does not join it.
                var joined = s
                var text = s.text
                for next in segments.drop(while: { $0.box != s.box }).dropFirst() {
                    guard next.box.x0 - joined.box.x1 < 2.5 * l.em else { break }
                    joined = Segment(page: s.page, words: joined.words + next.words)
                    text += " · " + next.text
                }
                block.append(joined)
                texts.append(text)
                bottom = joined.box.y1
            }
            // Nothing under the name: the address is set to its right, at the top of the page
            // (`Bouwmaat Technische Handel B.V.` on the left, `Industrieweg 31` over `3044 AS Rotterdam` on the right).
            if block.isEmpty {
                texts = addressBeside(name, page: page.number, lines: max(0, pick.line - 1)..<min(lines.count, pick.last + 7)).map(\.text)
            }
            // One line under the name lists its parts (`Steenstraat 52 · 8000 Brugge · Belgique`); lines of a block are parts as printed.
            let parts: [String] = texts.count == 1
                ? texts[0].split(whereSeparator: { $0 == "·" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
                : texts.flatMap { $0.split(separator: "·").map { $0.trimmingCharacters(in: .whitespaces) } }
            if !parts.filter({ !$0.isEmpty }).isEmpty { doc.sellerAddress = parts.filter { !$0.isEmpty } }
        }
    }

    /// Whether a long name's first line (`Société Tunisienne des Textiles du Sahel –`) goes on in the line under
    /// it (`STTS SARL`): it ends with a dash, or the next line opens with the initials of its capitalised words.
    static func continuedBy(_ upper: [Word], _ lower: [Word]) -> Bool {
        guard (2...8).contains(upper.count), upper[0].text.first?.isUppercase == true, let first = lower.first,
              upper.allSatisfy({ w in !w.text.contains(where: \.isNumber)
                  && (w.text.first?.isUppercase == true || ["–", "-", "&"].contains(w.text) || w.text.count <= 3 && w.text.allSatisfy(\.isLowercase)) })
        else { return false }
        if ["–", "-"].contains(upper[upper.count - 1].text) { return true }
        let initials = String(upper.compactMap { $0.text.first }.filter(\.isUppercase))
        return first.text.count >= 2 && first.text == initials
    }

    /// The words of a company's name that starts with a brand's letters and ends with a legal form
    /// within six words (`Kuura Design Oy` for `K U U R A`), at the start of a segment of the page; nil
    /// when none, or when it is the buyer.
    func companyNamed(after brand: String, page: Int) -> [Word]? {
        let letters = Lexicon.normalize(brand).filter(\.isLetter)
        guard letters.count >= 3 else { return nil }
        for line in lines where line.page == page {
            for seg in line.segments() {
                let ws = seg.words.prefix(6)
                guard let form = ws.indices.dropFirst().first(where: { Values.legalForms.contains(ws[$0].text.trimmingCharacters(in: CharacterSet(charactersIn: ","))) })
                else { continue }
                let name = Array(ws[...form])
                let text = name.map(\.text).joined(separator: " ")
                guard !name.dropLast().contains(where: { $0.text.contains(where: \.isNumber) }), text != doc.buyerName,
                      Lexicon.normalize(text).filter(\.isLetter).hasPrefix(letters) else { continue }
                return name
            }
        }
        return nil
    }

    /// The document's title, alone or with its number (`Rechnung 2026-7731`, `Handelsrechnung`, `FACTUUR`), or a bare
    /// number's label (`Nr.: PF-2026-031`): set under an address block, it ends the block, and is no line of the address.
    static func isTitleOrNumber(_ words: [Word]) -> Bool {
        guard let first = words.first else { return false }
        if Lexicon.numberSigns.contains(Lexicon.normalize(first.text)), first.text.hasSuffix(":") || words.count > 1 && words[1].text == ":" { return true }
        let toks = tokens(words).map(\.token)
        return Lexicon.titles.contains { title in
            title.phrases.contains { phrase in
                let p = phrase.split(separator: " ").map(String.init)
                return toks.starts(with: p) && toks.count <= p.count + 2 && toks.dropFirst(p.count).allSatisfy { $0.contains(where: \.isNumber) }
            }
        }
    }

    /// A segment that begins with a field's, a party's or a total's label: never part of an address.
    func isLabelled(_ s: Segment) -> Bool {
        let partyLabels: [(field: String, phrases: [String])] = [("seller", sellerLabels), ("buyer", buyerLabels)]
        return Self.isTitleOrNumber(s.words) || Self.label(s.words, in: labels) != nil || Self.label(s.words, in: partyLabels) != nil || Self.label(s.words, in: totalLabels) != nil
    }

    /// The lines of an address set to the right of a letterhead's name: the topmost segment that
    /// starts right of the name and no lower than its foot, then the segments under it aligned on
    /// its left or right edge, line after line. Not a title, a label, a date or a table; an address
    /// has a number in it (a street's or a postcode), else it is no address.
    func addressBeside(_ name: Box, page: Int, lines range: Range<Int>) -> [Segment] {
        let beside = range.filter { lines[$0].page == page && !tableLines.contains($0) }
            .flatMap { j in lines[j].segments().map { (segment: $0, em: lines[j].em) } }
            .filter { $0.segment.box.x0 > name.x1 }
            .sorted { $0.segment.box.y0 < $1.segment.box.y0 }
        guard let first = beside.first(where: { $0.segment.box.y0 >= name.y0 - $0.em && $0.segment.box.y0 < name.y1 }) else { return [] }
        var block: [Segment] = []
        var last = first.segment.box
        for (s, em) in beside where s.box.y0 >= first.segment.box.y0 {
            let aligned = abs(s.box.x0 - last.x0) < 1.5 * em || abs(s.box.x1 - last.x1) < 1.5 * em
            if block.isEmpty ? s.box != first.segment.box : !aligned { continue }
            let n = Lexicon.normalize(s.text)
            // The contact lines under it (`KvK 24481902 · BTW`, wrapped) end the address.
            guard block.isEmpty || s.box.y0 - last.y1 < 1.2 * em, !isLabelled(s), Values.date(s.text) == nil,
                  !Lexicon.titles.contains(where: { $0.phrases.contains(n) }), !DraftOrder.isContactLine(s.text)
            else { break }
            block.append(s)
            last = s.box
        }
        return block.contains { $0.text.contains(where: \.isNumber) } ? block : []
    }

    // MARK: totals

    mutating func readTotals() {
        var seen = Set<String>()
        /// The tax rows read so far, each at its own rate (`zzgl. 7 % MwSt.` under `zzgl. 19 % MwSt.`): their sum is the tax.
        var taxRows: (rates: Set<Decimal>, line: Int, sum: Decimal, evidence: Evidence)?
        let groupsWithPoint = lines.contains { $0.text.range(of: #"\d\.\d{3},\d\d(\D|$)"#, options: .regularExpression) != nil }
        // Bottom-most first: the grand total sits under the subtotal, and a packing list's
        // summary under its table.
        for (i, line) in lines.enumerated().reversed() where !tableLines.contains(i) {
            // Several totals on one line (`Totaal colli: 25  Totaal netto: 535,5 kg`) are read apart.
            let parts = line.segments().flatMap { Self.splitAtInlineLabels($0, totalLabels) }
            for (k, seg) in parts.enumerated() {
                guard let (kind, whole, length) = Self.label(seg.words, in: totalLabels) else { continue }
                // A tax row at another rate just above the one read adds to the tax; a row with no rate may be their sum.
                let rate = kind == "tax" ? Self.taxRate(seg.words) : nil
                let anotherRate = taxRows.map { rows in rate.map { !rows.rates.isEmpty && !rows.rates.contains($0) && rows.line - i <= 2 } ?? false } ?? false
                guard !seen.contains(kind) || kind == "tax" && anotherRate else { continue }
                // What is still owed after a deposit or a payment taken off (`Less deposit received` over `Balance due`):
                // the invoice's total is the one above.
                if kind == "total", balanceAfterPayment(line: i) { continue }
                // The value ends at a bullet (`brutto 251,400 kg · Kühlware +2 °C bis +6 °C`), or at another
                // field's label after it (`Gross Weight: 3,742.00 kg Vessel: MSC Ilona`).
                var rest = Array(whole.prefix { !["·", "•"].contains($0.text) })
                if let number = rest.firstIndex(where: { $0.text.contains(where: \.isNumber) }),
                   let next = rest[number...].firstIndex(where: { w in
                       // An abbreviation's points too (`MEAS.:`).
                       w.text.count > 1 && w.text.hasSuffix(":") && w.text.dropLast().allSatisfy { $0.isLetter || $0 == "." } && w.text.contains(where: \.isLetter)
                   }) {
                    rest = Array(rest[..<next])
                    while let last = rest.last, !last.text.contains(where: \.isNumber), Values.unit(last.text) == nil { rest.removeLast() }
                }
                // `VAT NL 8123.45.678.B01` is the buyer's VAT number, no tax: a country's code before the digits.
                if kind == "tax", rest.count >= 2, rest[0].text.count == 2, rest[0].text.allSatisfy({ $0.isUppercase && $0.isASCII }),
                   CountryCode(rest[0].text).isAssigned || rest[0].text == "EL", rest[1].text.first?.isNumber == true {
                    continue
                }
                // The count before its label (`9 Packstücke · Gewicht …`) is the packages'.
                if kind == "packages", seg.words.count > 1, seg.words[0].text.allSatisfy(\.isNumber), let n = Int(seg.words[0].text), n > 0,
                   Self.label(Array(seg.words.dropFirst()), in: totalLabels)?.field == "packages" {
                    seen.insert(kind)
                    doc.packages = String(n)
                    set("packages", String(n), Evidence(words: Array(seg.words.prefix(2)), page: seg.page), factor: 0.9)
                    continue
                }
                // `brutto 251,400 kg` is a weight; `Net 45 days`, `Betrag brutto` are not.
                if length == 1, let word = Self.tokens(seg.words).first(where: { Lexicon.bareWeightLabels.contains($0.token) }),
                   seg.words.count - rest.count - 1 == word.word,
                   !rest.contains(where: { ["KGM", "LBR", "TNE"].contains(Values.unit($0.text)?.rawValue ?? "") || $0.text.lowercased().hasSuffix("kg") }) {
                    continue
                }
                // `Total Measurement: 24.62 CBM`, `Total Quantity: 905`: a total of something else than money.
                if kind == "total", Self.tokens(Array(rest.prefix { !$0.text.contains(where: \.isNumber) })).contains(where: { Lexicon.totalsOfNoMoney.contains($0.token) }) {
                    continue
                }
                // The amount: the rightmost segment before the next total's label that reads as a number.
                var value: (Decimal, Evidence, Bool)?
                // Another field's label ends it too (`Gross Weight : 1.586,00 kgs   Measurement : 38,60 CBM`).
                let following = parts[(k + 1)...].prefix { Self.label($0.words, in: totalLabels) == nil && !Self.opensWithLabel($0.words) }
                let unread = unreadTotals[seg.page] ?? []
                // A weight with its unit beside the label (`G.W. 7,260.00 KGS   NOV. 20, 2026`) is that one, not a number further right.
                let unitAt = ["net_weight", "gross_weight"].contains(kind) ? rest.indices.dropFirst().first { k in
                    rest[k - 1].text.first?.isNumber == true && ["KGM", "LBR", "TNE"].contains(Values.unit(rest[k].text)?.rawValue ?? "")
                } : nil
                // A count right after its label's colon is the count (`Total packages: 5`), not the sum further right.
                let countAfterColon = kind == "packages" && rest.first?.text.allSatisfy(\.isNumber) == true
                    && seg.words.count > rest.count && seg.words[seg.words.count - rest.count - 1].text.hasSuffix(":")
                let besideLabel: [[Word]] = countAfterColon ? [rest]
                    : following.filter { $0.box.x0 >= seg.box.x1 - 1 }.reversed().map(\.words) + (rest.isEmpty ? [] : [rest])
                // A weight in pounds with its kilograms after it (`36,480 lbs (16,547 kg)`): the kilograms.
                let kilograms: [Word]? = unitAt.flatMap { at in
                    guard Values.unit(rest[at].text)?.rawValue == "LBR", at + 2 < rest.count, rest[at + 1].text.hasPrefix("("),
                          Values.unit(rest[at + 2].text.trimmingCharacters(in: CharacterSet(charactersIn: ").,;")))?.rawValue == "KGM" else { return nil }
                    let figure = rest[at + 1]
                    return [Word(text: String(figure.text.dropFirst()), box: figure.box, confidence: figure.confidence), rest[at + 2]]
                }
                let candidates = kilograms.map { [$0] } ?? unitAt.map { [Array(rest[...$0])] } ?? besideLabel
                    .map { ws in ws.filter { w in !unread.contains(w.box) } }.filter { !$0.isEmpty } + (amountBelowTotal[i].map { [$0] } ?? [])
                var kindOfPackage = ""
                // A count of packages is no sum of money (`TOTAL: 85 CARTONS`), and is the packages' total
                // (`Summe: 3 Kolli | 38 | 203,2 | 277,1`).
                var countOfPackages: (Decimal, Evidence)?
                // The count is the last number before the kind (`3 wooden crates`).
                // Read from every cell, the table's unread sums too (`TOTAL CFR HAMBURG | 100 pkgs | 3,500.00 | 24,660.00`).
                // A label that wrapped in its cell (`TOTAL CFR` over `HAMBURG`) has its cells on the line under it.
                let cells = unitAt.map { [Array(rest[...$0])] } ?? (following.filter { $0.box.x0 >= seg.box.x1 - 1 }.reversed().map(\.words) + (rest.isEmpty ? [] : [rest]))
                    + (amountBelowTotal[i] != nil && i + 1 < lines.count ? lines[i + 1].segments().map(\.words) : [])
                if kind == "total", !columnTotals.contains(where: { $0.field == "packages" }), let c = cells.first(where: { Self.namesPackages($0.map(\.text).joined(separator: " ")) }),
                   let kindAt = c.lastIndex(where: { Self.namesPackages($0.text) }),
                   let (v, words, _) = Self.amount(at: Array(c[..<kindAt].prefix { !Self.namesPackages($0.text) }.reversed().drop { !$0.text.contains(where: \.isNumber) }.reversed()), mark: mark) {
                    countOfPackages = (v, Evidence(words: words, page: seg.page))
                }
                for var c in candidates {
                    if kind != "packages", Self.namesPackages(c.map(\.text).joined(separator: " ")) { continue }
                    // A count of packages names their kind after it (`140 bales`).
                    // The first count is the packages' (`6 cartons on 1 pallet`).
                    // One word may say of what between them (`96 polystyrene boxes`).
                    if kind == "packages", c.count > 1, let at = c.indices.dropFirst().first(where: { Self.namesPackages(c[$0].text) }),
                       let count = c[at - 1].text.contains(where: \.isNumber) ? at - 1
                        : at >= 2 && c[at - 2].text.contains(where: \.isNumber) && c[at - 1].text.allSatisfy(\.isLetter) ? at - 2 : nil {
                        kindOfPackage = " " + c[at].text
                        c = Array(c[...count])
                    }
                    let start = wrappedStart(of: c, page: seg.page, em: line.em) ?? []
                    if let (v, words, repaired) = Self.amount(at: start + c, mark: mark) {
                        value = (v, Evidence(words: words, page: seg.page), repaired)
                        break
                    }
                }
                var wrappedLabel: [Word] = []
                if value == nil, let (v, ev, repaired, lower) = amountBeside(label: seg, line: i) {
                    value = (v, ev, repaired)
                    wrappedLabel = lower
                }
                // A form's box with its label at the top and the sum at its foot, right (`17. Invoice total`).
                if value == nil, kind == "total", rest.isEmpty, following.isEmpty, let below = amountBelowRight(of: seg, line: i) {
                    value = below
                }
                if let (count, ev) = countOfPackages, !seen.contains("packages") {
                    seen.insert("packages")
                    doc.packages = Values.plain(count)
                    set("packages", doc.packages!, ev, factor: 0.9)
                }
                guard var (v, ev, repaired) = value else { continue }
                // `netto 213,720 kg` on a printed page that groups thousands with points (`2.287,18`): its
                // comma marks the decimals, weighed to the gram.
                if ["net_weight", "gross_weight"].contains(kind), mark == .comma, groupsWithPoint, !ocrPages.contains(seg.page),
                   ev.text.contains(","), let grams = Values.loneMarkAsDecimals(ev.text) {
                    v = grams
                }
                // `Packing: 310 cartons` counts packages; a number with no kind of package after it does not.
                if kind == "packages", ["packing", "colisage"].contains(Self.tokens(seg.words).first?.token ?? ""), !Self.namesPackages(ev.text + kindOfPackage) { continue }
                seen.insert(kind)
                let weighs = ["net_weight", "gross_weight", "packages"].contains(kind)
                let text = Values.plain(v)
                let factor = repaired ? 0.7 : 1
                switch kind {
                case "total": doc.total = text
                case "subtotal": doc.subtotal = text
                case "tax":
                    if anotherRate, let rows = taxRows {
                        var both = ev
                        both.box = rows.evidence.box.union(ev.box)
                        both.confidence = min(rows.evidence.confidence, ev.confidence)
                        taxRows = (rows.rates.union(rate.map { [$0] } ?? []), i, rows.sum + v, both)
                        doc.tax = Values.plain(rows.sum + v)
                        fields.removeAll { $0.name == "tax" }
                        set(kind, doc.tax!, both, factor: factor)
                        continue
                    }
                    taxRows = (rate.map { [$0] } ?? [], i, v, ev)
                    doc.tax = text
                case "shipping": doc.shipping = text
                case "insurance": doc.insurance = text
                case "packing_charge": doc.packingCharge = text
                case "discount": documentDiscount = abs(v)
                case "net_weight": doc.netWeight = text
                case "gross_weight": doc.grossWeight = text
                case "packages": doc.packages = text
                default: break
                }
                if kind != "discount" { set(kind, text, ev, factor: factor) }
                // The currency in the label (`Total Due (CAD)`) or beside the amount, before its sign.
                let labelText = (([seg] + following).map(\.text) + wrappedLabel.map(\.text)).joined(separator: " ")
                // Not a weight's (`1,912.0 KGS` is no som).
                if doc.currency == nil, !weighs, let c = Values.currency(in: labelText + " " + ev.text), !Values.isBareDollar(labelText + " " + ev.text) {
                    doc.currency = c.rawValue
                    set("currency", c.rawValue, ev, factor: 0.9)
                }
            }
        }
        for (field, value, ev, repaired) in columnTotals where !seen.contains(field) {
            seen.insert(field)
            let text = Values.plain(value)
            switch field {
            case "net_weight": doc.netWeight = text
            case "gross_weight": doc.grossWeight = text
            default: doc.packages = text
            }
            set(field, text, ev, factor: repaired ? 0.6 : 0.9)
        }
        if doc.kind == .packingList {
            for k in ["total", "subtotal", "tax", "shipping", "insurance", "packing_charge"] { fields.removeAll { $0.name == k } }
            doc.total = nil; doc.subtotal = nil; doc.tax = nil; doc.shipping = nil; doc.insurance = nil; doc.packingCharge = nil
        }
    }

    /// The count of packages said in a sentence (`Shipped in 96 cartons.`, `verpackt in 12 Kartons`,
    /// `emballé dans 8 caisses`), when no label or table gave one.
    /// A whole count, its thousands maybe grouped (`1,600`, `1.600`, `12`).
    static func count(_ text: String) -> Int? {
        if text.allSatisfy(\.isNumber) { return Int(text) }
        guard text.range(of: #"^\d{1,3}([,.'’]\d{3})+$"#, options: .regularExpression) != nil else { return nil }
        return Int(text.filter(\.isNumber))
    }

    mutating func packagesInSentence() {
        guard doc.packages == nil else { return }
        for (i, line) in lines.enumerated() where !tableLines.contains(i) {
            let toks = Self.tokens(line.words)
            // A count that opens a statement (`9 Packstücke · Gewicht netto …`, `Goods of New Zealand origin.
            // 5 cartons, gross weight 96.4 kg`). Not on a certificate, whose goods are described in words
            // (`Fromages …, 65 kg, 6 colis`); its packages come from a form's box (`readMovementCertificate`).
            // The count may group its thousands (`1,600 cartons of 22 lb net.`).
            for w in line.words.indices.dropLast() where doc.kind != .certificate {
                let opens = w == 0 || ["·", "•", "|", ":", "—", "–"].contains(line.words[w - 1].text)
                    // After a label (`Shipping details: 500 boxes on 6 pallets`).
                    || line.words[w - 1].text.count > 1 && line.words[w - 1].text.hasSuffix(":")
                    || line.words[w - 1].text.count > 1 && (line.words[w - 1].text.hasSuffix(",") || line.words[w - 1].text.hasSuffix("."))
                let kind = Lexicon.tokens(line.words[w + 1].text).first ?? ""
                // Air cargo counts its packages as pieces (`4 pieces, gross weight 412 kg`): only with the
                // shipment's gross weight just after, since `500 pieces` alone is goods.
                let airPieces = ["pieces", "piece", "pcs"].contains(kind) && w + 2 < line.words.count
                    && Lexicon.tokens(line.words[w + 2].text).first == "gross"
                guard opens, let n = Self.count(line.words[w].text), n > 0,
                      Self.namesPackages(kind) || Lexicon.packagesPlural.contains(kind) || airPieces else { continue }
                doc.packages = String(n)
                set("packages", doc.packages!, Evidence(words: Array(line.words[w...(w + 1)]), page: line.page), factor: 0.85)
                return
            }
            for k in toks.indices.dropFirst(2).dropLast() where ["in", "dans", "en"].contains(toks[k - 1].token)
                && ["shipped", "packed", "verpackt", "versandt", "versand", "emballe", "emballee", "emballees", "expedie", "verpakt", "verzonden",
                    "expedition", "envoi", "shipment", "verzending"].contains(toks[k - 2].token) {
                // `verpakt in 8 dozen`: Dutch boxes, not twelves.
                guard let n = Int(toks[k].token), n > 0,
                      Self.namesPackages(toks[k + 1].token) || toks[k + 1].token == "dozen" && ["verpakt", "verzonden"].contains(toks[k - 2].token) else { continue }
                doc.packages = String(n)
                set("packages", doc.packages!, Evidence(words: Array(line.words[toks[k].word...toks[k + 1].word]), page: line.page), factor: 0.9)
                return
            }
        }
    }

    /// Whether line `i` is a balance owed after a payment: one of the three lines above it takes a deposit
    /// or a payment off (`Less deposit received`, `Anzahlung`, `Acompte versé`), and a total stands above that.
    func balanceAfterPayment(line i: Int) -> Bool {
        let payments: Set<String> = ["deposit", "advance", "prepayment", "paid", "anzahlung", "vorauszahlung", "acompte", "aanbetaling",
                                     "vooruitbetaling", "voorschot"]
        let above = stride(from: i - 1, through: max(0, i - 3), by: -1).filter { lines[$0].page == lines[i].page }
        guard let paid = above.first(where: { k in Lexicon.tokens(lines[k].text).contains(where: payments.contains) }) else { return false }
        return stride(from: paid - 1, through: max(0, paid - 4), by: -1).contains { k in
            lines[k].page == lines[i].page && lines[k].segments().contains { Self.label($0.words, in: totalLabels)?.field == "total" }
        }
    }

    /// The rate a tax row names (`zzgl. 7 % MwSt.`, `VAT 20%:`, `TVA 5,5 %`), before its amount.
    static func taxRate(_ words: [Word]) -> Decimal? {
        for (k, w) in words.enumerated() {
            let text = w.text.trimmingCharacters(in: CharacterSet(charactersIn: ":;"))
            let glued = text.hasSuffix("%") && text.count > 1
            guard glued || k + 1 < words.count && words[k + 1].text.hasPrefix("%") else { continue }
            let figure = glued ? String(text.dropLast()) : text
            guard !figure.isEmpty, figure.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }),
                  let r = Decimal(string: figure.replacingOccurrences(of: ",", with: ".")), r > 0, r < 100 else { continue }
            return r
        }
        return nil
    }

    /// Whether a count names its kind of package (`310 cartons`, `4 pallets`).
    static func namesPackages(_ text: String) -> Bool {
        Lexicon.tokens(text).contains { t in
            ["CT", "PK", "BX"].contains(Lexicon.units[t]) || Lexicon.packageWords.contains(t) || t.hasSuffix("s") && Lexicon.packageWords.contains(String(t.dropLast()))
                || Lexicon.packagesPlural.contains(t)
        }
    }

    /// The amount on the line under a label alone at the end of its line, to its right, with nothing
    /// else between the label's edge and it.
    func amountBelowRight(of seg: Segment, line i: Int) -> (Decimal, Evidence, Bool)? {
        guard i + 1 < lines.count, lines[i + 1].page == seg.page, lines[i + 1].box.y0 - seg.box.y1 < 1.5 * lines[i].em,
              let last = lines[i + 1].segments().last, last.box.x0 > seg.box.x0, last.box.x0 - seg.box.x0 < 40 * lines[i].em,
              !lines[i + 1].words.contains(where: { $0.box.x1 > seg.box.x0 && $0.box.x0 < last.box.x0 }),
              let (v, words, repaired) = Self.amount(at: last.words, mark: mark), words.count == last.words.count else { return nil }
        return (v, Evidence(words: words, page: seg.page), repaired)
    }

    /// The amount beside a total's label that has none on its line: the label wraps in a narrow cell
    /// (`TOTAL INVOICE` over `VALUE`, `Rechnungsbetrag` over `EUR`) and its amount is centred on both lines.
    func amountBeside(label seg: Segment, line i: Int) -> (Decimal, Evidence, Bool, lower: [Word])? {
        let em = lines[i].em
        var box = seg.box
        var lowerWords: [Word] = []
        if i + 1 < lines.count, lines[i + 1].page == seg.page, !tableLines.contains(i + 1),
           let lower = lines[i + 1].segments().first(where: { abs($0.box.x0 - seg.box.x0) < 0.5 * em }),
           lower.words.count <= 2, lower.box.y0 - seg.box.y1 < 0.6 * em,
           Self.label(lower.words, in: totalLabels) == nil, Self.amount(at: lower.words, mark: mark) == nil {
            box = box.union(lower.box)
            lowerWords = lower.words
        }
        guard var beside = valueBeside(box, lines: max(0, i - 1)..<min(lines.count, i + 3), page: seg.page, em: em) else { return nil }
        if let start = wrappedStart(of: beside, page: seg.page, em: em) { beside = start + beside }
        guard let (v, words, repaired) = Self.amount(at: beside, mark: mark) else { return nil }
        return (v, Evidence(words: words, page: seg.page), repaired, lowerWords)
    }

    /// The start of an amount that wrapped in its narrow cell (`R 75` over `015,00`, the pair centred
    /// on the label): an amount cannot start with a group of three digits led by a zero, so the words
    /// just above it in its column carry its start. Nil when the amount starts as an amount does.
    func wrappedStart(of value: [Word], page: Int, em: Double) -> [Word]? {
        guard let first = value.first, let last = value.last else { return nil }
        let digits = first.text.prefix { $0.isNumber }
        guard digits.count == 3, digits.first == "0" else { return nil }
        for line in lines where line.page == page && line.box.y1 <= first.box.y0 + 0.2 * em && first.box.y0 - line.box.y1 < 0.8 * em {
            guard let s = line.segments().first(where: { $0.box.x1 > first.box.x0 - em && $0.box.x0 < last.box.x1 + em }),
                  s.words.allSatisfy({ $0.text.allSatisfy(\.isNumber) || Values.amountSigns.contains($0.text) || Values.currency(in: $0.text) != nil }),
                  s.words.last?.text.allSatisfy(\.isNumber) == true else { continue }
            return s.words
        }
        return nil
    }

    /// The amount at the end of a total's words: after a rate (`TVA 20 % : 153,30 €` is 153.30,
    /// never 20), with words before it dropped (`Invoice Value: GBP 284.00`), as many words as
    /// still read as one number (`1 255,00 EUR`). A unit of weight is not part of it (`12.5 kg`).
    static func amount(at words: [Word], mark: DecimalMark) -> (value: Decimal, words: [Word], repaired: Bool)? {
        var ws = words
        if let rate = ws.lastIndex(where: { $0.text.contains("%") }) { ws = Array(ws[(rate + 1)...]) }
        guard ws.contains(where: { $0.text.contains(where: \.isNumber) }) else { return nil }
        for count in stride(from: min(ws.count, 4), through: 1, by: -1) {
            let tail = Array(ws.suffix(count))
            let text = tail.map(\.text).joined(separator: " ").replacingOccurrences(of: "kgs", with: "", options: .caseInsensitive)
                .replacingOccurrences(of: "kg", with: "", options: .caseInsensitive)
            if let (v, repaired) = Values.number(text, mark: mark) { return (v, tail, repaired) }
        }
        return nil
    }

    // MARK: statement on origin

    mutating func readStatement() {
        guard let hit = lines.firstIndex(where: { l in
            let n = Lexicon.normalize(l.text)
            return Lexicon.preferentialWords.contains { n.contains($0) } || Lexicon.tokens(n).contains(where: Self.isPreferential)
        }) ?? lines.firstIndex(where: { Lexicon.normalize($0.text).contains("as originating") }) else { return }
        // The paragraph around it: neighbouring lines with small gaps.
        var lo = hit, hi = hit
        while lo > 0, lines[lo - 1].page == lines[hit].page, lines[lo].box.y0 - lines[lo - 1].box.y1 < lines[lo].em, !tableLines.contains(lo - 1) { lo -= 1 }
        while hi + 1 < lines.count, lines[hi + 1].page == lines[hit].page, lines[hi + 1].box.y0 - lines[hi].box.y1 < lines[hi].em { hi += 1 }
        let para = Array(lines[lo...hi])
        let text = para.map(\.text).joined(separator: " ")
        let words = para.flatMap(\.words)
        let box = para.dropFirst().reduce(para[0].box) { $0.union($1.box) }
        let ev = Evidence(words: words, page: lines[hit].page)
        var st = OriginStatement(text: text)
        // The exporter's reference: a country prefix and digits, inside the parentheses.
        let compact = text.replacingOccurrences(of: " ", with: "")
        // Or a registered exporter's number (REX: the country, `REX`, the country's own identifier).
        if let r = compact.range(of: #"[A-Z]{2}REX[A-Z0-9]{5,30}"#, options: .regularExpression)
            ?? compact.range(of: #"(GB|XI|[A-Z]{2})[0-9O]{9,15}"#, options: .regularExpression) {
            st.exporterReference = String(compact[r]).replacingOccurrences(of: "O", with: "0")
            set("origin_statement.exporter_reference", st.exporterReference!, ev)
        } else if let reference = Self.referenceInParentheses(text) {
            // The pan-Euro-Mediterranean form: an approved exporter's authorisation, in its own
            // format (`autorisation douanière n° CH/2217/0045`), where the exporter's number goes.
            st.exporterReference = reference
            set("origin_statement.exporter_reference", reference, ev, factor: 0.9)
        }
        let toks = Lexicon.tokens(text)
        if let p = toks.firstIndex(where: { t in Lexicon.preferentialWords.contains { t.hasPrefix($0.prefix(8)) } || Self.isPreferential(t) }) {
            // Dutch puts the party last (`van preferentiële oorsprong uit de Europese Unie`).
            let window = toks[max(0, p - 4)..<min(toks.count, p + 7)]
            // The European Economic Area's (`of EEA preferential origin`; `EWR`, `EEE`, `EER` in German, French and Dutch).
            let near = window.first { ["uk", "eu", "ue", "gb", "eea", "ewr", "eee", "eer"].contains($0) }
            // Or named in words, in any of the four languages (`Ursprungswaren der Europäischen Union`).
            let phrase = window.joined(separator: " ")
            let named = Lexicon.statementOrigins.first { phrase.contains($0.phrase) }?.origin
            // A beneficiary of a scheme of preferences names its own country (`of Cambodia preferential origin`).
            let country = (1...3).lazy.compactMap { n -> CountryCode? in
                p >= n ? Lexicon.countries[toks[(p - n)..<p].joined(separator: " ")] : nil
            }.first.map(\.rawValue)
            // Or named after the goods in German's genitive (`präferenzbegünstigte Ursprungswaren der Schweiz`).
            let after = toks[(p + 1)...].prefix(3)
            let genitive = after.first.map { ["ursprungswaren", "ursprungserzeugnisse"].contains($0) } == true && after.dropFirst().first.map { ["der", "des", "von", "aus"].contains($0) } == true
                ? (1...2).lazy.compactMap { n -> CountryCode? in
                    let start = p + 3
                    return start + n <= toks.count ? Lexicon.countries[toks[start..<(start + n)].joined(separator: " ")] : nil
                }.first.map(\.rawValue) : nil
            // Or by an adjective beside the word (`origine préférentielle suisse`, `of Swiss preferential origin`).
            let adjective = window.lazy.compactMap { Lexicon.nationalities[$0] }.first.map { $0 == "GB" ? "UK" : $0.rawValue }
            if let origin = near.map({ ["uk", "gb"].contains($0) ? "UK" : ["eea", "ewr", "eee", "eer"].contains($0) ? "EEA" : "EU" }) ?? named ?? country ?? genitive ?? adjective {
                st.origin = origin
                set("origin_statement.origin", origin, ev)
            }
        } else if let country = Self.qualifiesAsOriginating(toks) {
            let origin = country == "GB" ? "UK" : country.rawValue
            st.origin = origin
            set("origin_statement.origin", origin, ev, factor: 0.9)
        } else {
            // `as originating` with no country (a CUSMA certification on an invoice): no statement to read.
            return
        }
        let ukParty = [doc.sellerAddress, doc.buyerAddress].compactMap { $0 }.contains { Values.country(ofAddress: $0) == "GB" }
        let normalized = Lexicon.normalize(text)
        let page = " " + lines.map { Lexicon.normalize($0.text) }.joined(separator: " ") + " "
        if let scheme = Lexicon.preferenceSchemes.first(where: { s in s.phrases.contains { normalized.contains($0) } }) {
            st.agreement = scheme.agreement
            set("origin_statement.agreement", scheme.agreement, ev, factor: 0.95)
        } else if let named = Lexicon.plurilateralAgreements.first(where: { a in a.phrases.contains { page.contains(" " + $0 + " ") } }) {
            st.agreement = named.agreement
            set("origin_statement.agreement", named.agreement, ev, factor: 0.9)
        } else if st.origin == "EEA" {
            st.agreement = "EEA"
            set("origin_statement.agreement", "EEA", ev, factor: 0.95)
        } else if st.origin == "UK", let partner = doc.buyerAddress.flatMap({ Values.country(ofAddress: $0) }),
                  let agreement = Lexicon.agreementsFromEUAndUK["UK"]?[partner] {
            // The UK's other agreements by the buyer's country (`UK-JP CEPA` for a consignee in Tokyo).
            st.agreement = agreement
            set("origin_statement.agreement", agreement, ev, factor: 0.9)
        } else if st.origin == "UK" || (st.origin == "EU" && (ukParty || st.exporterReference?.hasPrefix("GB") == true)) {
            st.agreement = "EU-UK TCA"
            set("origin_statement.agreement", "EU-UK TCA", ev, factor: 0.95)
        } else if let origin = st.origin, let partner = doc.buyerAddress.flatMap({ Values.country(ofAddress: $0) }),
                  let agreement = Lexicon.agreementsByPartner[origin]?[partner]
                    ?? (partner.isEUMember ? Lexicon.agreementsByPartner[origin]?["EU"] : nil) {
            st.agreement = agreement
            set("origin_statement.agreement", agreement, ev, factor: 0.9)
        }
        _ = box
        doc.originStatement = st
    }

    /// The country of a certification that names no preference (`the goods … qualify as originating in
    /// Malaysia`, CPTPP's and RCEP's form of words).
    static func qualifiesAsOriginating(_ toks: [String]) -> CountryCode? {
        guard let k = toks.indices.dropFirst().first(where: { toks[$0] == "originating" && toks[$0 - 1] == "as" && $0 + 1 < toks.count && toks[$0 + 1] == "in" })
        else { return nil }
        return (1...3).reversed().lazy.compactMap { n -> CountryCode? in
            k + 2 + n <= toks.count ? Lexicon.countries[toks[(k + 2)..<(k + 2 + n)].joined(separator: " ")] : nil
        }.first
    }

    /// A movement certificate (EUR.1, EUR-MED) is a form of numbered boxes, each a label over its
    /// value: the parties to the agreement (box 2, `preferential trade between UKRAINE and THE
    /// EUROPEAN UNION`), the country of origin (box 4), the packages (box 8), the gross mass (box 9)
    /// and the invoice (box 10, `No. DOT-26/1184` over `of 25.11.2026`). The statement's reading
    /// (`readStatement`) took `European Union` for the origin: the form's boxes say better.
    /// A certificate's form: a movement certificate's parties and origin (EUR.1), and the boxes every
    /// certificate of origin has (packages, gross mass, invoices), preferential or not.
    mutating func readMovementCertificate() {
        guard doc.kind == .certificate else { return }
        if let (between, _) = boxLabel(containingAny: Lexicon.movementBoxes.parties) { readMovementParties(between) } else { originInDeclaration() }
        readCertificateBoxes()
        schemeOfImportingCountry()
    }

    /// A GSP certificate of origin (Form A) is made under the scheme of the country it is exported to,
    /// which its exporter's declaration names (`… the generalized system of preferences for goods
    /// exported to` over `JAPAN (importing country)`): the EU's and the UK's schemes by their own names.
    mutating func schemeOfImportingCountry() {
        guard var st = doc.originStatement, st.origin != nil, st.agreement == nil,
              lines.contains(where: { Lexicon.normalize($0.text).contains("system of preferences") }) else { return }
        for (i, line) in lines.enumerated() {
            for seg in line.segments() {
                let next = i + 1 < lines.count && lines[i + 1].page == line.page
                    ? lines[i + 1].segments().first { abs($0.box.x0 - seg.box.x0) < 1.5 * line.em } : nil
                let ws = seg.words + (next?.words ?? [])
                let toks = Self.tokens(ws)
                for k in toks.indices.dropFirst() where toks[k].token == "to" && ["exported", "destined"].contains(toks[k - 1].token) {
                    let after = toks[(k + 1)...].prefix(4).map(\.token)
                    guard let n = (1...max(1, after.count)).reversed().first(where: { $0 <= after.count && Lexicon.countries[after.prefix($0).joined(separator: " ")] != nil }),
                          let c = Lexicon.countries[after.prefix(n).joined(separator: " ")] else { continue }
                    let agreement = c.isEUMember ? "EU GSP" : c.rawValue == "GB" ? "UK DCTS" : "\(c.rawValue) GSP"
                    st.agreement = agreement
                    doc.originStatement = st
                    set("origin_statement.agreement", agreement, Evidence(words: Array(ws[toks[k - 1].word...toks[k + n].word]), page: line.page), factor: 0.8)
                    return
                }
            }
        }
    }

    /// A movement certificate's box 2, the two parties to the agreement, and box 4, the origin.
    mutating func readMovementParties(_ between: Segment) {
        // The box's value, however many lines it runs (`UKRAINE` over `and` over `THE EUROPEAN UNION`,
        // `DER EUROPÄISCHEN UNION` over `und` over `DER SCHWEIZ`).
        let parties = Lexicon.normalize(boxValue(under: between, lines: 4).map(\.text).joined(separator: " "))
        let names = Lexicon.movementBoxes.and.lazy.map { parties.components(separatedBy: " \($0) ") }.first { $0.count == 2 } ?? [parties]
        func party(_ name: String) -> String? {
            var n = name
            for article in ["the ", "der ", "die ", "la ", "l ", "de ", "het "] where n.hasPrefix(article) { n = String(n.dropFirst(article.count)) }
            if Lexicon.movementBoxes.union.contains(n) { return "EU" }
            return Values.country(n)?.rawValue
        }
        let codes = names.count == 2 ? names.compactMap(party) : []
        var st = doc.originStatement ?? OriginStatement(text: parties)
        var origin: String?
        if let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.origin),
           let value = boxValue(under: label, lines: 2).lazy.compactMap({ s in party(Lexicon.normalize(s.text)).map { (s, $0) } }).first {
            origin = value.1
            fields.removeAll { $0.name == "origin_statement.origin" }
            set("origin_statement.origin", value.1, Evidence(words: value.0.words, page: value.0.page))
        } else if codes.count == 2, let seller = sellerCountry?.rawValue, codes.contains(seller) {
            // No box 4 read: the exporter's own country, when it is one of the two.
            origin = seller
            set("origin_statement.origin", seller, Evidence(words: between.words, page: between.page), factor: 0.7)
        }
        if let origin, codes.count == 2, codes.contains(origin), let other = codes.first(where: { $0 != origin }),
           let agreement = Lexicon.agreementsByPartner[origin]?[CountryCode(other)] {
            st.origin = origin
            st.agreement = agreement
            fields.removeAll { $0.name == "origin_statement.agreement" }
            set("origin_statement.agreement", agreement, Evidence(words: between.words, page: between.page), factor: 0.95)
        } else if let origin { st.origin = origin }
        doc.originStatement = st
    }

    /// A non-preferential certificate's origin, in its exporter's declaration (`… all the goods were
    /// produced in China …`): the country named after the words.
    mutating func originInDeclaration() {
        guard doc.originStatement?.origin == nil else { return }
        for (i, line) in lines.enumerated() {
            for seg in line.segments() {
                // The sentence may carry on in the same box on the next line.
                let next = i + 1 < lines.count && lines[i + 1].page == line.page
                    ? lines[i + 1].segments().first { abs($0.box.x0 - seg.box.x0) < 1.5 * line.em } : nil
                let toks = Self.tokens(seg.words + (next?.words ?? []))
                for k in toks.indices.dropFirst() where toks[k].token == "in" && Lexicon.producedWords.contains(toks[k - 1].token) {
                    // `produced in the United States of America`: the article is no part of the name.
                    let start = k + 1 < toks.count && toks[k + 1].token == "the" ? k + 2 : k + 1
                    let after = toks[start...].prefix(6).map(\.token)
                    guard let n = (1...max(1, after.count)).reversed().first(where: { n in n <= after.count && Lexicon.countries[after.prefix(n).joined(separator: " ")] != nil }),
                          n <= after.count, let c = Lexicon.countries[after.prefix(n).joined(separator: " ")] else { continue }
                    var st = doc.originStatement ?? OriginStatement(text: seg.text)
                    st.origin = c.rawValue
                    doc.originStatement = st
                    let ws = seg.words + (next?.words ?? [])
                    set("origin_statement.origin", c.rawValue, Evidence(words: Array(ws[toks[k - 1].word...toks[start + n - 1].word]), page: line.page), factor: 0.8)
                    return
                }
            }
        }
    }

    /// The boxes of a certificate of origin: the gross mass, the packages and the invoice.
    mutating func readCertificateBoxes() {
        // Box 9: the gross mass (`14,880 kg`).
        let mark = self.mark
        if doc.grossWeight == nil, let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.grossMass),
           let (v, s) = boxValue(under: label, lines: 2).lazy.compactMap({ s in Self.amount(at: s.words, mark: mark).map { ($0.value, s) } }).first
            ?? boxLines(under: label, lines: 4).lazy.compactMap({ s in Self.weightInKilograms(s.words, mark: mark).map { ($0, s) } }).first {
            doc.grossWeight = Values.plain(v)
            set("gross_weight", doc.grossWeight!, Evidence(words: s.words, page: s.page), factor: 0.9)
        }
        // Box 8: the number and kind of packages (`1,200 (one thousand two hundred) cartons of …`).
        if doc.packages == nil, let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.packages) {
            // Under the label's edge, else anywhere in the box's lines (a marks column at the edge, the goods beside it).
            for s in boxValue(under: label, lines: 6) + boxLines(under: label, lines: 6) {
                guard let (v, words) = Self.packageCount(s.words, mark: mark) else { continue }
                doc.packages = Values.plain(v)
                set("packages", doc.packages!, Evidence(words: words, page: s.page), factor: 0.9)
                break
            }
        }
        // A declaration with no such box counts them in its goods' line (`Goods: Still red wine …, 1,200 cases of 6 bottles`).
        if doc.packages == nil {
            goods: for line in lines {
                let segs = line.segments()
                guard let first = segs.first, Lexicon.goodsLabels.contains(Lexicon.normalize(first.text)) else { continue }
                for s in segs.dropFirst() {
                    guard let (v, words) = Self.packageCount(s.words, mark: mark) else { continue }
                    doc.packages = Values.plain(v)
                    set("packages", doc.packages!, Evidence(words: words, page: s.page), factor: 0.8)
                    break goods
                }
            }
        }
        // A certificate of origin's goods with their gross weight beside them (`1 026 kg brut`).
        if doc.grossWeight == nil, let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.packages) {
            weighing: for s in boxLines(under: label, lines: 6) {
                let ws = s.words
                for k in ws.indices.dropFirst().dropLast() where Values.unit(ws[k].text)?.rawValue == "KGM"
                    && Lexicon.bareWeightLabels.union(["brut", "b", "gross", "bruto", "brutto"]).contains(Lexicon.normalize(ws[k + 1].text))
                    && !["net", "netto", "n"].contains(Lexicon.normalize(ws[k + 1].text)) {
                    let before = Array(ws[..<k].reversed().prefix { $0.text.first?.isNumber == true }.reversed())
                    guard let (v, words, _) = Self.amount(at: before, mark: mark), v > 0 else { continue }
                    doc.grossWeight = Values.plain(v)
                    set("gross_weight", doc.grossWeight!, Evidence(words: words + [ws[k], ws[k + 1]], page: s.page), factor: 0.85)
                    break weighing
                }
            }
        }
        // And its net weight, said the same way (`21,450 kg net`).
        if doc.netWeight == nil, let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.packages) {
            weighing: for s in boxLines(under: label, lines: 6) {
                let ws = s.words
                for k in ws.indices.dropFirst().dropLast() where Values.unit(ws[k].text)?.rawValue == "KGM"
                    && ["net", "netto", "nett", "neto"].contains(Lexicon.normalize(ws[k + 1].text)) {
                    let before = Array(ws[..<k].reversed().prefix { $0.text.first?.isNumber == true }.reversed())
                    guard let (v, words, _) = Self.amount(at: before, mark: mark), v > 0 else { continue }
                    doc.netWeight = Values.plain(v)
                    set("net_weight", doc.netWeight!, Evidence(words: words + [ws[k], ws[k + 1]], page: s.page), factor: 0.85)
                    break weighing
                }
            }
        }
        // Box 10: the invoice's number, and its date on the same line or the next (`of 25.11.2026`).
        if let (label, _) = boxLabel(containingAny: Lexicon.movementBoxes.invoices) {
            // A number broken at its dash in the narrow box (`DOT-` over `26/1184`) is one word again.
            var words: [Word] = []
            for w in boxValue(under: label, lines: 3).flatMap(\.words) {
                if let last = words.last, last.text.hasSuffix("-"), last.text.count > 1, w.box.midY > last.box.y1 {
                    words[words.count - 1] = Word(text: last.text + w.text, box: last.box.union(w.box), confidence: min(last.confidence, w.confidence))
                } else { words.append(w) }
            }
            // Or, with the box's label beside others on one line, a number in the box's lines with its date after a link (`FDE-26-0642` over `van 02.12.2026`).
            if !words.contains(where: { w in w.text.count >= 5 && w.text.contains(where: \.isNumber) && w.text.contains(where: { $0.isLetter || $0 == "-" || $0 == "/" }) && Values.date(w.text) == nil }) {
                let lines = boxLines(under: label, lines: 4)
                for (k, s) in lines.enumerated() {
                    guard let w = s.words.first, s.words.count <= 3, w.text.count >= 5, w.text.contains(where: \.isNumber),
                          w.text.contains(where: { $0.isLetter || $0 == "-" || $0 == "/" }), Values.date(w.text) == nil else { continue }
                    let after = Array(s.words.dropFirst()) + (lines.dropFirst(k + 1).first { abs($0.box.x0 - s.box.x0) < s.words[0].box.height && $0.box.y0 > s.box.midY }?.words ?? [])
                    guard let link = after.first, Self.dateLinks.contains(link.text.lowercased()) else { continue }
                    words = [w] + after
                    break
                }
            }
            if let k = words.firstIndex(where: { $0.text.contains(where: \.isNumber) && Values.date($0.text) == nil }) {
                let before = (fields, doc.invoiceNumber)
                fields.removeAll { $0.name == "invoice_number" }
                if !accept("invoice_number", Evidence(words: [words[k]], page: label.page)) { (fields, doc.invoiceNumber) = before }
                // The date after a link word (`of 25.11.2026`), or straight after the number (`NBH26-1120` over `NOV. 20, 2026`).
                let linked = words.dropFirst(k + 1).first.map { Self.dateLinks.contains($0.text.lowercased()) } == true
                if linked || words.dropFirst(k + 1).first.map({ $0.text.first?.isLetter == true || $0.text.first?.isNumber == true }) == true {
                    let date = Array(words.dropFirst(k + (linked ? 2 : 1)).prefix(4))
                    let kept = (fields, doc.invoiceDate)
                    fields.removeAll { $0.name == "invoice_date" }
                    if !(1..<date.count + 1).reversed().contains(where: { accept("invoice_date", Evidence(words: Array(date.prefix($0)), page: label.page)) }) {
                        (fields, doc.invoiceDate) = kept
                    }
                }
            }
        }
    }

    /// A form's box number (`8.` of `8. Item number; …`).
    static func boxNumber(_ text: String) -> Int? {
        text.hasSuffix(".") && text.count <= 3 ? Int(text.dropLast()) : nil
    }

    /// The first segment whose words contain one of `phrases` (a form's box label, in its languages), and its line.
    func boxLabel(containingAny phrases: [String]) -> (Segment, Int)? {
        phrases.lazy.compactMap { boxLabel(containing: $0) }.first
    }

    /// The first count of packages among `words` with their kind after it (`1,200 (one thousand two hundred)
    /// cartons`, `6 wooden crates`), and the words that say it.
    static func packageCount(_ words: [Word], mark: DecimalMark) -> (Decimal, [Word])? {
        // A count in figures after the count in words (`sechs (6) Kartons`) is one too.
        let ws = words.map { w in
            w.text.hasPrefix("(") && w.text.hasSuffix(")") && w.text.dropFirst().dropLast().allSatisfy(\.isNumber)
                ? Word(text: String(w.text.dropFirst().dropLast()), box: w.box, confidence: w.confidence) : w
        }
        for (k, w) in ws.enumerated() where w.text.first?.isNumber == true {
            var j = k + 1
            if j < ws.count, ws[j].text.hasPrefix("("), let close = ws[j...].firstIndex(where: { $0.text.hasSuffix(")") }) { j = close + 1 }
            // The kind of package, maybe after what it is made of (`6 wooden crates`).
            if j + 1 < ws.count, !namesPackages(ws[j].text), ws[j].text.allSatisfy(\.isLetter), namesPackages(ws[j + 1].text) { j += 1 }
            guard j < ws.count, namesPackages(ws[j].text), let (v, _) = Values.number(w.text, mark: mark), v > 0 else { continue }
            return (v, Array(ws[k...j]))
        }
        return nil
    }

    /// The first segment whose words contain `phrase` (a form's box label), and its line.
    func boxLabel(containing phrase: String) -> (Segment, Int)? {
        // A row of box labels may have read as a table's header (`Item number; … description of goods |
        // Gross mass (kg) | Invoices`): it is searched too.
        for (i, line) in lines.enumerated() {
            if let s = line.segments().first(where: { Lexicon.normalize($0.text).contains(phrase) }) { return (s, i) }
        }
        return nil
    }

    /// The segments under a box's label that start at its left edge, up to `lines` of them, close together.
    /// A weight in kilograms alone in a box's cell (`4 350 kg`): the figure and its unit, nothing else.
    static func weightInKilograms(_ words: [Word], mark: DecimalMark) -> Decimal? {
        guard words.count >= 2, Values.unit(words[words.count - 1].text)?.rawValue == "KGM" else { return nil }
        let figure = Array(words.dropLast())
        guard figure.allSatisfy({ $0.text.allSatisfy { $0.isNumber || ".,".contains($0) } }), let (v, _, _) = amount(at: figure, mark: mark), v > 0 else { return nil }
        return v
    }

    /// Every segment of the lines under a box's label, close together, up to the next numbered box's label.
    func boxLines(under label: Segment, lines count: Int) -> [Segment] {
        guard let i = lines.firstIndex(where: { $0.page == label.page && $0.words.contains { $0.box == label.words[0].box } }) else { return [] }
        var out: [Segment] = []
        var bottom = label.box.y1
        var j = i + 1
        while j < lines.count, lines[j].page == label.page, j - i <= count, lines[j].box.y0 - bottom < 2.5 * lines[j].em {
            let segs = lines[j].segments()
            if segs.contains(where: { s in s.words.count > 1 && Self.boxNumber(s.words[0].text).map { n in Self.boxNumber(label.words[0].text).map { n > $0 } ?? false } == true }) { break }
            out += segs
            bottom = lines[j].box.y1
            j += 1
        }
        return out
    }

    func boxValue(under label: Segment, lines count: Int) -> [Segment] {
        guard let i = lines.firstIndex(where: { $0.page == label.page && $0.words.contains { $0.box == label.words[0].box } }) else { return [] }
        let em = lines[i].em
        var out: [Segment] = []
        var bottom = label.box.y1
        var j = i + 1
        while j < lines.count, lines[j].page == label.page, out.count < count, lines[j].box.y0 - bottom < 2.5 * em {
            // Or a word starting at the box's edge in a segment that ran in from the box beside it (`G.W. 7,260.00 KGS NOV. 20, 2026`).
            let runIn = lines[j].segments().lazy.compactMap { s in
                s.words.dropFirst().firstIndex { abs($0.box.x0 - label.box.x0) < 0.5 * em }.map { Segment(page: s.page, words: Array(s.words[$0...])) }
            }.first
            if let s = lines[j].segments().first(where: { abs($0.box.x0 - label.box.x0) < 1.5 * em }) ?? runIn {
                // The next box's numbered label (`4. Country, …` under box 2) ends the value; an item's
                // number in the box (`1. Marks: …` in box 8) does not.
                if s.words.count > 1, let n = Self.boxNumber(s.words[0].text), let own = Self.boxNumber(label.words[0].text), n > own { break }
                out.append(s)
                bottom = s.box.y1
            }
            j += 1
        }
        return out
    }

    /// The last word with digits inside the statement's first parentheses, when it is long enough
    /// to be a number of registration or authorisation (the statement's `(…No …)`).
    /// OCR may read the parenthesis as a brace (`{autorisation … CH/2217/0045)`), and the country's
    /// letters as digits (`1T01234560523`).
    static func referenceInParentheses(_ text: String) -> String? {
        guard let open = text.firstIndex(where: { "({[".contains($0) }), let close = text[open...].firstIndex(where: { ")}]".contains($0) }) else { return nil }
        let inside = text[text.index(after: open)..<close].split(separator: " ")
        guard let word = inside.last(where: { $0.contains(where: \.isNumber) }) else { return nil }
        var reference = word.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:"))
        // A number of digits only where the text names an exporter's reference or authorisation (`Exporter Reference
        // No. 51824753556`, an Australian ABN; `customs authorisation No. 609-85-31147`, a Korean business number):
        // no country prefix to repair.
        let named = Lexicon.tokens(inside.joined(separator: " ")).contains {
            ["reference", "authorisation", "authorization", "autorisation", "bewilligung", "vergunning"].contains($0)
        }
        if named, reference.filter(\.isNumber).count >= 6, reference.first?.isNumber == true, reference.last?.isNumber == true,
           reference.allSatisfy({ $0.isNumber || "-/.".contains($0) }) { return reference }
        let letters: [Character: Character] = ["1": "I", "0": "O", "5": "S", "8": "B"]
        let head = reference.prefix(2).map { letters[$0] ?? $0 }
        if reference.count > 4, head.allSatisfy({ $0.isUppercase }), reference.dropFirst(2).first?.isNumber == true {
            reference = String(head) + reference.dropFirst(2)
        }
        return reference.count >= 5 && reference.contains(where: \.isLetter) ? reference : nil
    }

    // MARK: currency

    mutating func inferCurrency() {
        guard doc.currency == nil, doc.kind == .invoice else { return }
        var counts: [String: (Int, Evidence)] = [:]
        var bare: (count: Int, ev: Evidence)?
        for line in lines {
            // The value of an Incoterm's label (`Terms of delivery  DOP`): OCR's slip for `DDP` that
            // happens to be a currency code (the Dominican peso) names no currency.
            var afterIncotermLabel = false
            for seg in line.segments() {
                let label = Self.label(seg.words, in: labels)
                let incotermValue = afterIncotermLabel || label?.field == "incoterm"
                afterIncotermLabel = label?.field == "incoterm" && label?.rest.isEmpty == true
                guard let c = Values.currency(in: seg.text), !(incotermValue && Self.incotermSlip(c.rawValue) != nil) else { continue }
                if Values.isBareDollar(seg.text) { bare = ((bare?.count ?? 0) + 1, bare?.ev ?? Evidence(seg)); continue }
                counts[c.rawValue] = ((counts[c.rawValue]?.0 ?? 0) + 1, counts[c.rawValue]?.1 ?? Evidence(seg))
            }
        }
        // A bare `$` is the dollar the document names elsewhere (`dollars canadiens`, `CAD`), else
        // its seller's country's dollar, else the US dollar.
        // Ties go to the code first in the alphabet, so that a reading never depends on hashing.
        let named = counts.filter { Values.countryDollars.values.contains(CurrencyCode($0.key)) }
            .max { ($0.value.0, $1.key) < ($1.value.0, $0.key) }
        if let bare {
            let code = named?.key ?? sellerCountry.flatMap { Values.countryDollars[$0] }?.rawValue ?? "USD"
            counts[code] = ((counts[code]?.0 ?? 0) + bare.count, counts[code]?.1 ?? bare.ev)
        }
        if let (code, (_, ev)) = counts.max(by: { ($0.value.0, $1.key) < ($1.value.0, $0.key) }) {
            doc.currency = code
            set("currency", code, ev, factor: 0.8)
        }
    }

    // MARK: cross-checks

    mutating func check() {
        if numberedPackages {
            for (i, e) in singlePackageNumbers where i < doc.lines.count {
                doc.lines[i].packages = "1"
                lineEvidence[i]["packages"] = e
            }
        }
        // Lines: quantity × unit price = line total, to the cent.
        var lineEvs: [[String: Evidence]] = []
        var confirmedLines: [Bool] = []
        for (i, l) in doc.lines.enumerated() {
            var ev = lineEvidence[i]
            var confirmed = false
            if let q = l.quantity.flatMap(dec), let p = l.unitPrice.flatMap(dec), let t = l.lineTotal.flatMap(dec) {
                // Less the line's discount where one is printed: `30 × 12.90 less 10 %` is 348.30.
                // A discount with no `%` in its cell (`15,0` under `Rabatt %`) may be a rate or a sum: either that holds.
                let discount = lineDiscounts.indices.contains(i) ? lineDiscounts[i] : nil
                let charged = discount.map { d in (d.rate ? [true] : [true, false]).map { $0 ? q * p * (1 - d.value / 100) : q * p - d.value } } ?? []
                if abs(q * p - t) <= Decimal(string: "0.011")! || charged.contains(where: { abs($0 - t) <= Decimal(string: "0.011")! }) {
                    confirmed = true
                } else {
                    problems.append(ExtractionProblem(
                        code: "line_arithmetic", message: "line \(i + 1): \(l.quantity!) × \(l.unitPrice!) is not \(l.lineTotal!)",
                        field: "lines[\(i)].line_total"))
                    for k in ["quantity", "unit_price", "line_total"] { ev[k]?.confidence *= 0.5 }
                }
            }
            if !confirmed, doc.kind == .invoice, let (key, value, how) = repairedAmount(i),
               let e = lineCells[i][key] ?? ev["line_total"] ?? ev["unit_price"] ?? ev["quantity"] {
                // The other two agree with one reading of the third: that reading is taken, at
                // lower confidence, and said as a problem so that the draft is reviewed.
                switch key {
                case "quantity": doc.lines[i].quantity = value
                case "unit_price": doc.lines[i].unitPrice = value
                default: doc.lines[i].lineTotal = value
                }
                ev[key] = Evidence(text: how == "computed" ? "" : e.text, page: e.page, box: e.box, confidence: how == "computed" ? 0.5 : min(e.confidence, 0.9) * 0.7)
                for k in ["quantity", "unit_price", "line_total"] where k != key { ev[k]?.confidence = lineEvidence[i][k]?.confidence ?? 0 }
                problems.removeAll { $0.code == "line_arithmetic" && $0.field == "lines[\(i)].line_total" }
                problems.append(ExtractionProblem(code: how == "computed" ? "inferred_value" : "repaired_value",
                                                  message: "line \(i + 1): \(key.replacingOccurrences(of: "_", with: " ")) \(how == "computed" ? "computed" : "read as '\(e.text)', taken as \(value)") so that quantity × unit price = line total",
                                                  field: "lines[\(i)].\(key)", severity: .warning))
            } else if !confirmed, doc.kind == .invoice, let (price, total) = amountsWithoutLeadingSign(i),
               let pe = lineCells[i]["unit_price"], let te = lineCells[i]["line_total"] {
                doc.lines[i].unitPrice = price
                doc.lines[i].lineTotal = total
                ev["unit_price"] = Evidence(text: pe.text, page: pe.page, box: pe.box, confidence: min(pe.confidence, 0.9) * 0.7)
                ev["line_total"] = Evidence(text: te.text, page: te.page, box: te.box, confidence: min(te.confidence, 0.9) * 0.7)
                ev["quantity"]?.confidence = lineEvidence[i]["quantity"]?.confidence ?? 0
                problems.removeAll { $0.code == "line_arithmetic" && $0.field == "lines[\(i)].line_total" }
                problems.append(ExtractionProblem(code: "repaired_value",
                                                  message: "line \(i + 1): unit price and line total read as '\(pe.text)' and '\(te.text)', taken as \(price) and \(total) (a currency sign read as a digit) so that quantity × unit price = line total",
                                                  field: "lines[\(i)].unit_price", severity: .warning))
            }
            lineEvs.append(ev)
            confirmedLines.append(confirmed)
        }
        if doc.kind == .invoice { inferLineTotalsFromInvoiceTotal(&lineEvs) }
        repairWeightMarks(&lineEvs)
        repairOriginCells(&lineEvs)
        for i in doc.lines.indices {
            let ev = lineEvs[i], confirmed = confirmedLines[i]
            let line = doc.lines[i]
            let values: [(String, String?)] = [
                ("description", line.description), ("quantity", line.quantity), ("unit", line.unit), ("unit_price", line.unitPrice),
                ("line_total", line.lineTotal), ("hs_code", line.hsCode), ("origin_country", line.originCountry), ("packages", line.packages),
                ("net_weight", line.netWeight), ("gross_weight", line.grossWeight),
            ]
            for (k, v) in values {
                guard let v, var e = ev[k] else { continue }
                if confirmed, ["quantity", "unit_price", "line_total"].contains(k) { e.confidence = max(e.confidence, 0.95) }
                set("lines[\(i)].\(k)", v, e)
            }
        }
        // Totals: the lines add up to the total, or to the total less tax and shipping.
        if doc.kind == .invoice, let total = doc.total.flatMap(dec), !doc.lines.isEmpty {
            let sum = doc.lines.compactMap { $0.lineTotal.flatMap(dec) }.reduce(0, +)
            let net = total - (doc.tax.flatMap(dec) ?? 0) - doc.charges
            if invoiceTotalAgrees(with: sum) == true {
                if let k = fields.firstIndex(where: { $0.name == "total" }) { fields[k].confidence = max(fields[k].confidence, 0.95) }
            } else if let repaired = repairedInvoiceTotal(lineSum: sum), let k = fields.firstIndex(where: { $0.name == "total" }) {
                // Every line holds and the total OCR read is one digit from their sum (with tax and
                // shipping): the sum is taken, at lower confidence, and said so that the draft is reviewed.
                problems.append(ExtractionProblem(
                    code: "repaired_value",
                    message: "invoice total read as \(doc.total!), taken as \(Values.plain(repaired)) so that the line totals add up to it",
                    field: "total", severity: .warning))
                doc.total = Values.plain(repaired)
                fields[k].value = doc.total!
                fields[k].confidence = min(fields[k].confidence, 0.9) * 0.7
            } else {
                problems.append(ExtractionProblem(
                    code: "total_mismatch",
                    message: "line totals add up to \(Values.plain(sum)), the invoice total is \(doc.total!)"
                        + (doc.tax != nil || doc.charges != 0 ? " (\(Values.plain(net)) without tax and charges)" : ""),
                    field: "total"))
                if let k = fields.firstIndex(where: { $0.name == "total" }) { fields[k].confidence *= 0.5 }
            }
        }
        // What the kind of document must have.
        var required: [(String, Bool)] = []
        switch doc.kind {
        case .invoice:
            required = [("invoice_number", doc.invoiceNumber != nil), ("invoice_date", doc.invoiceDate != nil), ("currency", doc.currency != nil),
                        ("total", doc.total != nil), ("seller_name", doc.sellerName != nil), ("buyer_name", doc.buyerName != nil),
                        ("lines", !doc.lines.isEmpty)]
        case .packingList:
            required = [("seller_name", doc.sellerName != nil), ("buyer_name", doc.buyerName != nil), ("lines", !doc.lines.isEmpty)]
        case .certificate:
            required = [("seller_name", doc.sellerName != nil), ("origin", doc.originStatement != nil || doc.countryOfOrigin != nil)]
        case .unknown:
            problems.append(ExtractionProblem(code: "unknown_kind", message: "not recognised as an invoice, packing list or certificate of origin"))
        }
        for (name, present) in required where !present {
            problems.append(ExtractionProblem(code: "missing_field", message: "\(name) not found", field: name))
        }
    }

    /// Whether line totals adding up to `sum` match the invoice total, or the total less tax and
    /// shipping, or a printed subtotal that is itself the total less tax and shipping. Nil when the
    /// invoice has no total to compare with.
    func invoiceTotalAgrees(with sum: Decimal) -> Bool? {
        guard let total = doc.total.flatMap(dec) else { return nil }
        let shipping = doc.charges
        let net = total - (doc.tax.flatMap(dec) ?? 0) - shipping
        let tolerance = Decimal(string: "0.011")! * Decimal(max(1, doc.lines.count))
        let sub = doc.subtotal.flatMap(dec)
        // Prices that include the tax (a shop's `Unit price (inc. VAT)`) add up to the total less shipping alone.
        return abs(sum - total) <= tolerance || abs(sum - net) <= tolerance || abs(sum - (total - shipping)) <= tolerance
            || (sub != nil && abs(sum - sub!) <= tolerance && abs(sub! - net) <= tolerance)
            || documentDiscount.map { abs(sum - $0 - net) <= tolerance } == true
    }

    /// The invoice total the lines imply (their sum, plus tax and shipping when printed), when every
    /// line's quantity × unit price = line total and the total read is that value with one digit slipped
    /// (`205779.62` for 205,279.62). Nil otherwise.
    func repairedInvoiceTotal(lineSum: Decimal) -> Decimal? {
        guard let read = doc.total, let field = fields.first(where: { $0.name == "total" }), ocrPages.contains(field.page),
              doc.lines.allSatisfy(Self.holds) else { return nil }
        let implied = lineSum + (doc.tax.flatMap(dec) ?? 0) + doc.charges
        guard implied > 0 else { return nil }
        let readDigits = Array(Self.digitForms(read)[0])
        let d = Self.digitForms(Values.plain(implied)).map { Self.editDistance(readDigits, Array($0), atMost: 2) }.min() ?? 2
        return d == 1 ? implied : nil
    }

    /// Whether table line `i` was read from an OCR page.
    func isScanned(line i: Int) -> Bool {
        let page = lineCells[i].values.first?.page ?? lineEvidence[i].values.first?.page
        return page.map { ocrPages.contains($0) } ?? false
    }

    /// The sum of every line total with line `i`'s taken as `lineTotal`; nil when another line has none.
    func lineTotalsSum(replacing i: Int, with lineTotal: Decimal) -> Decimal? {
        var sum = lineTotal
        for (j, l) in doc.lines.enumerated() where j != i {
            guard let t = l.lineTotal.flatMap(dec) else { return nil }
            sum += t
        }
        return sum
    }

    /// Line totals OCR garbled beyond a one-digit slip, taken as quantity × unit price when the
    /// invoice total confirms them: the lines whose arithmetic still fails (or whose total is
    /// missing) get quantity × unit price, all of them or exactly one of them, and that is kept
    /// only when the line totals then add up to the invoice total. Each such total is said as an
    /// `inferred_value` warning at confidence 0.5, so the draft still goes to review.
    mutating func inferLineTotalsFromInvoiceTotal(_ lineEvs: inout [[String: Evidence]]) {
        var products: [Int: Decimal] = [:]
        for (i, l) in doc.lines.enumerated() where !Self.holds(l) && isScanned(line: i) {
            guard let q = l.quantity.flatMap(dec), let p = l.unitPrice.flatMap(dec) else { continue }
            var product = q * p, rounded = Decimal()
            NSDecimalRound(&rounded, &product, 2, .plain)
            guard rounded == product, product > 0 else { continue }
            products[i] = product
        }
        guard !products.isEmpty else { return }
        func agrees(_ replaced: [Int: Decimal]) -> Bool {
            var sum = Decimal()
            for (i, l) in doc.lines.enumerated() {
                guard let t = replaced[i] ?? l.lineTotal.flatMap(dec) else { return false }
                sum += t
            }
            return invoiceTotalAgrees(with: sum) == true
        }
        var choice: [Int: Decimal]?
        if agrees(products) {
            choice = products
        } else if products.count > 1 {
            let singles = products.filter { agrees([$0.key: $0.value]) }
            if singles.count == 1 { choice = [singles.first!.key: singles.first!.value] }
        }
        guard let choice else { return }
        for (i, value) in choice.sorted(by: { $0.key < $1.key }) {
            let read = doc.lines[i].lineTotal
            doc.lines[i].lineTotal = Values.plain(value)
            guard let anchor = lineCells[i]["line_total"] ?? lineEvs[i]["unit_price"] ?? lineEvs[i]["quantity"] else { continue }
            lineEvs[i]["line_total"] = Evidence(text: "", page: anchor.page, box: anchor.box, confidence: 0.5)
            problems.removeAll { $0.code == "line_arithmetic" && $0.field == "lines[\(i)].line_total" }
            problems.append(ExtractionProblem(
                code: "inferred_value",
                message: "line \(i + 1): line total \(read.map { "read as '\(lineCells[i]["line_total"]?.text ?? $0)'" } ?? "missing"), taken as quantity × unit price = \(Values.plain(value)), which makes the lines add up to the invoice total",
                field: "lines[\(i)].line_total", severity: .warning))
        }
    }

    /// The reading of quantity, unit price or line total that makes a line's arithmetic hold
    /// when the other two agree with it: the value they imply, taken only when it is a clean
    /// number (cents for money, at most three decimals for a quantity) and OCR's cell supports
    /// it — its digits (look-alikes such as `$`, `S`, `O`, `l` read as digits) are the value's
    /// digits with at most one slip (`$16.60` for 516.60, `257256` for 2,572.56, `2` for 12).
    /// An empty cell gets the implied value only when it is the one number missing
    /// (`computed`). Nil when no reading, or more than one, would do.
    func repairedAmount(_ i: Int) -> (key: String, value: String, how: String)? {
        let l = doc.lines[i]
        let q = l.quantity.flatMap(dec), p = l.unitPrice.flatMap(dec), t = l.lineTotal.flatMap(dec)
        func clean(_ v: Decimal, _ places: Int) -> Bool {
            var x = v, r = Decimal()
            NSDecimalRound(&r, &x, places, .plain)
            return r == v && v > 0
        }
        // Ties between readings are broken, in this order, by the invoice total (the reading with
        // which the line totals add up to it) and by the decimal mark OCR printed: a cell that
        // shows two decimals (`292.62`) is not read two places off (`29262`); one that lost its
        // mark (`14631` for 146.31) may be.
        var found: [(key: String, value: String, rank: [Int])] = []
        // What is charged of quantity × price: less the line's discount, taken as a rate (`20 %`).
        let discount = lineDiscounts.indices.contains(i) ? lineDiscounts[i] : nil
        let share = discount.map { d in 1 - d.value / 100 }.flatMap { $0 > 0 && $0 <= 1 ? $0 : nil } ?? 1
        let implied: [(String, Decimal?)] = [
            ("line_total", q.flatMap { q in p.map { q * $0 * share } }),
            ("unit_price", q.flatMap { q in t.flatMap { q == 0 ? nil : $0 / (q * share) } }),
            ("quantity", p.flatMap { p in t.flatMap { p == 0 ? nil : $0 / (p * share) } }),
        ]
        let missing = [("quantity", q), ("unit_price", p), ("line_total", t)].filter { $0.1 == nil }.count
        // The tie-breakers and the garbled cells are for OCR's slips only: a text layer's numbers are
        // what the document printed, and a line that does not add up there is the supplier's to answer.
        let scanned = isScanned(line: i)
        for (key, v) in implied {
            guard let v, clean(v, key == "quantity" ? 3 : 2) else { continue }
            let value = Values.plain(v)
            var totalRank = 1
            if scanned, let agrees = lineTotalsSum(replacing: i, with: key == "line_total" ? v : (t ?? v)).flatMap({ invoiceTotalAgrees(with: $0) }) {
                totalRank = agrees ? 0 : 2
            }
            // A cell OCR read with no digit at all (`-`, `pes`) is as good as empty.
            let read = lineCells[i][key].map { Array(scanned ? Self.ocrDigits($0.text) : Self.ocrDigits($0.text, loneLetters: false)) } ?? []
            guard let cell = lineCells[i][key], !read.isEmpty else {
                if missing == 1, lineCells[i][key] == nil || scanned { found.append((key, value, [2, totalRank, 0])) }
                continue
            }
            let d = Self.digitForms(value).map { Self.editDistance(read, Array($0), atMost: 2) }.min() ?? 2
            let shifted = scanned && Self.shiftsShownDecimals(cell.text, to: value, mark: mark)
            if d <= 1 { found.append((key, value, [d, totalRank, shifted ? 1 : 0])) }
        }
        guard let best = found.min(by: { $0.rank.lexicographicallyPrecedes($1.rank) }),
              found.filter({ $0.rank == best.rank }).count == 1 else { return nil }
        return (best.key, best.value, best.rank[0] == 2 ? "computed" : "repaired")
    }

    /// A currency sign OCR read as a digit before both of a scanned line's amounts (`₹18,906` as `218.906` and
    /// `₹18,90,600` as `%418,90,600` on a 100 DPI rupee invoice, where one cell's repair cannot help): the two
    /// amounts without their first digit (and a mark read before it), taken only when the quantity times the
    /// one is the other to the cent, and when no one cell's repair (`repairedAmount`) makes the line hold. A
    /// cell's value is its digits, in cents when its last mark has two after it.
    func amountsWithoutLeadingSign(_ i: Int) -> (unitPrice: String, lineTotal: String)? {
        guard isScanned(line: i), let q = doc.lines[i].quantity.flatMap(dec), q > 0,
              let priceCell = lineCells[i]["unit_price"]?.text, let totalCell = lineCells[i]["line_total"]?.text,
              let p = Self.withoutLeadingDigit(priceCell), let t = Self.withoutLeadingDigit(totalCell), p > 0, q * p == t else { return nil }
        return (Values.plain(p), Values.plain(t))
    }

    /// The amount a cell shows once its first digit, and any mark before it, is taken off (`218.906` → 18906,
    /// `%418,90,600` → 1890600, `41,32.94,800` → 13294800, `2125.50` → 125.50); nil unless two digits or more are left.
    static func withoutLeadingDigit(_ text: String) -> Decimal? {
        let cs = Array(text.drop { !$0.isNumber })
        guard !cs.isEmpty, cs.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else { return nil }
        let rest = cs.dropFirst()
        let digits = String(rest.filter(\.isNumber))
        guard digits.count >= 2, rest.first?.isNumber == true, let whole = Decimal(string: digits) else { return nil }
        let cents = rest.lastIndex(where: { $0 == "." || $0 == "," }).map { rest.distance(from: $0, to: rest.endIndex) == 3 } ?? false
        return cents ? whole / 100 : whole
    }

    /// True when a cell OCR read with two decimals after its mark (`292.62`, `1.192,80`) would be
    /// taken as a value whose whole part is two digits or more longer or shorter: the mark was read,
    /// so the value's scale was too.
    static func shiftsShownDecimals(_ text: String, to plain: String, mark: DecimalMark) -> Bool {
        let sep = mark.separator
        let cs = Array(text.filter { $0.isNumber || $0 == sep })
        guard let at = cs.lastIndex(of: sep), cs.count - at - 1 == 2 else { return false }
        let shownWhole = cs[..<at].filter(\.isNumber).count
        let whole = plain.split(separator: ".", omittingEmptySubsequences: false)[0].count
        return abs(shownWhole - whole) >= 2
    }

    /// Characters OCR reads for digits inside a number (`$16.60`, `S617`, `1O0`).
    static let digitLookalikes: [Character: Character] = [
        "$": "5", "§": "5", "S": "5", "s": "5", "O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1",
        "|": "1", "!": "1", "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6", "g": "9", "q": "9",
    ]

    /// The digits of an OCR cell, look-alikes next to a digit (or to another look-alike) read as digits.
    static func ocrDigits(_ text: String, loneLetters: Bool = true) -> String {
        // A word of one look-alike letter alone (`S`, `O`, `l`, `B`, `S pcs`) is a lone digit: read
        // only here, where the line's arithmetic must confirm it.
        let words = text.split(whereSeparator: \.isWhitespace)
        if loneLetters, words.contains(where: { $0.count == 1 && $0.first!.isLetter && digitLookalikes[$0.first!] != nil }) {
            return words.map { w in w.count == 1 && w.first!.isLetter ? digitLookalikes[w.first!].map { String($0) } ?? "" : ocrDigits(String(w)) }.joined()
        }
        let cs = Array(text)
        func digitish(_ k: Int) -> Bool { k >= 0 && k < cs.count && (cs[k].isASCII && cs[k].isNumber || digitLookalikes[cs[k]] != nil) }
        var out = ""
        for (k, c) in cs.enumerated() {
            if c.isASCII, c.isNumber { out.append(c) } else if let d = digitLookalikes[c], digitish(k - 1) || digitish(k + 1) { out.append(d) }
        }
        return out
    }

    /// The digit strings a value may be printed as: as it is, and with two decimals (`99.4` as `99.40`).
    static func digitForms(_ plain: String) -> [String] {
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
        var out = [whole + frac]
        if frac.count < 2 { out.append(whole + frac + String(repeating: "0", count: 2 - frac.count)) }
        return out
    }

    func dec(_ s: String) -> Decimal? { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) }
}

extension Evidence {
    init(text: String, page: Int, box: Box, confidence: Double) {
        self.text = text
        self.page = page
        self.box = box
        self.confidence = confidence
    }
}
