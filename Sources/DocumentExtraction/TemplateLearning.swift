import CustomsModel
import Foundation
import JSONCore

/// What a reviewer's corrections taught about one supplier's layout: the refined template (nil
/// when nothing could be learned, so that nothing is written), and per corrected field how it was
/// learned or why it was not.
public struct TemplateLearning: Sendable {
    public struct Learned: Hashable, Sendable {
        public var field: String
        public var value: String
        /// `label "doc ref"` or `region page 1 [0.71, 0.02, 0.9, 0.04]`.
        public var how: String
    }

    public struct NotLearned: Hashable, Sendable {
        public var field: String
        public var value: String
        public var reason: String
    }

    /// The supplier's template with what was learned, or nil when nothing was.
    public var template: SupplierTemplate?
    public var learned: [Learned] = []
    public var notLearned: [NotLearned] = []
    /// Corrected fields the template already reads as corrected (nothing to learn).
    public var alreadyRight: [String] = []
}

extension SupplierTemplate {
    /// The fields a correction can teach a template: each has a label or a region in a template.
    public static let learnableFields = ["invoice_number", "invoice_date", "currency", "incoterm", "total", "seller_name", "buyer_name"]

    /// Derives a supplier's template refinement from the words of a document and a reviewer's
    /// corrected values (`field → value`, values in the extractor's form: `2024-04-19`, `1065.00`,
    /// `EUR`). Pure: the same words and corrections give the same template.
    ///
    /// For each corrected field the value is looked for among the page's words (in the field's
    /// own reading: a date in any local format, an amount with either decimal mark). Where it is
    /// found, the label beside it (the words before it on its line) or above it becomes a label of
    /// the field; where that does not read it back, the place it sits becomes a region. Every
    /// candidate is checked by extracting the same pages with the refined template: it is kept
    /// only if the field then reads as corrected and no other field changes. A value that is not
    /// on the page teaches nothing, and the result says so.
    ///
    /// `base` is the template that read the document (its refinements are kept), else a new
    /// template for `supplier` is made that recognises the document by the supplier's name
    /// starting a line of page 1 and any VAT or EORI number printed under it.
    public static func learn(from pages: [PageText], corrections: [String: String], base: SupplierTemplate?, supplier: String?,
                             source: String) -> TemplateLearning {
        var result = TemplateLearning()
        let wanted = corrections.compactMap { k, v -> (key: String, value: String)? in
            guard learnableFields.contains(k) else { return nil }
            let t = v.trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? nil : (k, Self.canonical(k, t))
        }.sorted { learnableFields.firstIndex(of: $0.key)! < learnableFields.firstIndex(of: $1.key)! }
        for (k, v) in corrections.sorted(by: { $0.key < $1.key }) where !learnableFields.contains(k) {
            result.notLearned.append(.init(field: k, value: v, reason: "not a field a template reads (\(learnableFields.joined(separator: ", ")))"))
        }
        guard !wanted.isEmpty else { return result }
        let cleaned = pages.map(Extractor.withoutRuleMarks)
        let lines = cleaned.flatMap(Layout.lines)
        func refuseAll(_ reason: String) -> TemplateLearning {
            var r = result
            r.notLearned += wanted.map { .init(field: $0.key, value: $0.value, reason: reason) }
            return r
        }
        guard let firstPage = cleaned.first?.number, !lines.isEmpty else { return refuseAll("the document has no words to learn from") }

        var template: SupplierTemplate
        if let base {
            template = base
        } else {
            let name = (supplier ?? "").trimmingCharacters(in: .whitespaces)
            guard !Lexicon.normalize(name).isEmpty else {
                return refuseAll("the supplier is not known (no seller name was read or corrected), so there is no template to refine")
            }
            template = SupplierTemplate(source: source, supplier: name)
            template.names = [Lexicon.normalize(name)]
            template.identifiers = Self.identifiers(under: name, lines: lines, firstPage: firstPage)
        }
        template.source = source
        guard template.matches(lines, firstPage: firstPage) != nil else {
            return refuseAll("the template for \(template.supplier) would not recognise this document "
                + "(its name does not start a line of page 1 and no VAT or EORI number of it is printed there)")
        }
        let mark = Values.decimalMark(of: lines.flatMap { $0.words.map(\.text) })
        var current = Extractor(templates: [template]).extract(pages).document
        var settled: [String: String] = [:]
        var changed = false

        for (field, value) in wanted {
            if Self.same(field, Self.value(field, of: current), value) {
                result.alreadyRight.append(field)
                settled[field] = value
                continue
            }
            let spans = Self.occurrences(of: value, field: field, in: lines, mark: mark)
            guard !spans.isEmpty else {
                result.notLearned.append(.init(field: field, value: value,
                                               reason: "'\(value)' is not on the document (looked through \(lines.count) lines on \(cleaned.count) page(s))"))
                continue
            }
            // Labels first (they follow a value that moves), over every place the value is; then regions.
            var candidates: [(SupplierTemplate, String)] = []
            for s in spans {
                for label in Self.labels(beside: s, lines: lines, field: field) where !(template.labels[Self.labelKey(field)] ?? []).contains(label) {
                    var t = template
                    t.labels[Self.labelKey(field), default: []].append(label)
                    candidates.append((t, "label \"\(label)\""))
                }
            }
            for s in spans {
                guard let page = cleaned.first(where: { $0.number == s.page }), let box = Self.region(around: s, lines: lines, page: page) else { continue }
                var t = template
                t.regions[field] = Region(page: s.page, box: box)
                candidates.append((t, "region page \(s.page) [\([box.x0, box.y0, box.x1, box.y1].map { Self.fraction($0) }.joined(separator: ", "))]"))
            }
            var taken = false
            for (t, how) in candidates {
                let after = Extractor(templates: [t]).extract(pages).document
                guard Self.same(field, Self.value(field, of: after), value) else { continue }
                // Nothing else may move: not a field no one corrected, not one learned already.
                let others = learnableFields.filter { $0 != field && corrections[$0] == nil }
                guard others.allSatisfy({ Self.value($0, of: after) == Self.value($0, of: current) }),
                      settled.allSatisfy({ Self.same($0.key, Self.value($0.key, of: after), $0.value) }),
                      after.lines.count == current.lines.count
                else { continue }
                template = t
                current = after
                settled[field] = value
                result.learned.append(.init(field: field, value: value, how: how))
                changed = true
                taken = true
                break
            }
            if !taken {
                let at = spans[0]
                result.notLearned.append(.init(field: field, value: value, reason:
                    "'\(value)' is on page \(at.page) (\(at.text)), but neither a label beside it nor a region around it reads it back without changing another field"))
            }
        }
        if changed { result.template = template }
        return result
    }

    /// A corrected value in the extractor's form: an amount as a plain decimal (`1065`), a date as
    /// `YYYY-MM-DD`, a currency or Incoterm in capitals.
    public static func canonical(_ field: String, _ v: String) -> String {
        switch field {
        case "total": Decimal(string: v, locale: Locale(identifier: "en_US_POSIX")).map(Values.plain) ?? v
        case "invoice_date": Values.date(v) ?? v
        case "currency", "incoterm": v.uppercased()
        default: v
        }
    }

    /// Whether a field's value reads as the corrected one: names compared as the lexicon compares
    /// words (case and accents folded), since no template mends an OCR slip inside a name.
    static func same(_ field: String, _ a: String?, _ b: String) -> Bool {
        guard let a else { return false }
        return ["seller_name", "buyer_name"].contains(field) ? Lexicon.normalize(a) == Lexicon.normalize(b) : a == b
    }

    /// A correction's field as the extractor names it in `document`.
    static func value(_ field: String, of d: ExtractedDocument) -> String? {
        switch field {
        case "invoice_number": d.invoiceNumber
        case "invoice_date": d.invoiceDate
        case "currency": d.currency
        case "incoterm": d.incoterm
        case "total": d.total.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }.map(Values.plain)
        case "seller_name": d.sellerName
        case "buyer_name": d.buyerName
        default: nil
        }
    }

    /// The key of `labels` a field's label words go under.
    static func labelKey(_ field: String) -> String {
        switch field {
        case "seller_name": "seller"
        case "buyer_name": "buyer"
        default: field
        }
    }

    struct Span {
        var page: Int
        var line: Int
        var first: Int
        var last: Int
        var words: [Word]
        var text: String { words.map(\.text).joined(separator: " ") }
        var box: Box { words.dropFirst().reduce(words[0].box) { $0.union($1.box) } }
    }

    /// Every run of words on a line that reads as the value in the field's reading; a total is
    /// looked for from the bottom of the document up (where totals are).
    static func occurrences(of value: String, field: String, in lines: [TextLine], mark: DecimalMark) -> [Span] {
        let longest = ["seller_name", "buyer_name"].contains(field) ? 10 : field == "invoice_date" ? 4 : 3
        let wantedNumber = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX"))
        func reads(_ text: String) -> Bool {
            switch field {
            case "invoice_number": return compact(text) == compact(value)
            case "invoice_date": return Values.date(text) == value
            case "currency": return Values.currency(in: text)?.rawValue == value.uppercased()
            case "incoterm": return text.uppercased().filter(\.isLetter) == value.uppercased()
            case "total":
                guard let n = wantedNumber, text.contains(where: \.isNumber) else { return false }
                return Values.number(text, mark: mark)?.value == n
            default: return Lexicon.normalize(text) == Lexicon.normalize(value) && !Lexicon.normalize(value).isEmpty
            }
        }
        // The shortest runs first, and a longer run only where no shorter one lies inside it: the
        // date alone, not the postcode and town before it that a date reader would also accept.
        var out: [Span] = []
        for (i, line) in lines.enumerated() {
            var taken: [ClosedRange<Int>] = []
            for length in 1...longest where length <= line.words.count {
                for a in 0...(line.words.count - length) {
                    let b = a + length - 1
                    guard !taken.contains(where: { $0.overlaps(a...b) }) else { continue }
                    if reads(line.words[a...b].map(\.text).joined(separator: " ")) { taken.append(a...b) }
                }
            }
            for r in taken.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                out.append(Span(page: line.page, line: i, first: r.lowerBound, last: r.upperBound, words: Array(line.words[r])))
            }
        }
        return field == "total" ? out.reversed() : out
    }

    /// Label phrases for a value: the words before it in its segment, else the segment just left
    /// of it on the line, else the segment just above it; words with letters, at most five tokens.
    static func labels(beside s: Span, lines: [TextLine], field: String) -> [String] {
        let line = lines[s.line]
        let em = line.em
        var out: [String] = []
        func add(_ words: [Word]) {
            let n = Lexicon.normalize(words.map(\.text).joined(separator: " "))
            let toks = n.split(separator: " ")
            guard !toks.isEmpty, toks.count <= 5, n.contains(where: \.isLetter), !out.contains(n) else { return }
            // A date or an amount is a value, not a label.
            guard Values.date(n) == nil, !toks.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return }
            out.append(n)
        }
        let segments = line.segments()
        if let seg = segments.first(where: { $0.words.contains(s.words[0]) }) {
            let before = seg.words.prefix { $0 != s.words[0] }
            if !before.isEmpty { add(Array(before)) } else if let left = segments.last(where: { $0.box.x1 <= seg.box.x0 }),
                                                               seg.box.x0 - left.box.x1 < 20 * em {
                add(left.words)
            }
        }
        // Above: the nearest line on the same page, within 2.5 em, a segment starting where the value does.
        if s.line > 0 {
            let above = lines[s.line - 1]
            if above.page == line.page, line.box.y0 - above.box.y1 < 2.5 * em,
               let seg = above.segments().first(where: { abs($0.box.x0 - s.box.x0) < 1.5 * em || $0.box.xOverlap(s.box) > 0 }) {
                add(seg.words)
            }
        }
        // Shorter first: `invoice` above a date is a label, the address left of it hardly one.
        return out.enumerated().sorted { ($0.element.split(separator: " ").count, $0.offset) < ($1.element.split(separator: " ").count, $1.offset) }.map(\.element)
    }

    /// The place a value sits, as fractions of the page: its words' box widened to the right (a
    /// longer value next time) and up and down by a little, never reaching a neighbouring word.
    static func region(around s: Span, lines: [TextLine], page: PageText) -> Box? {
        guard page.width > 0, page.height > 0 else { return nil }
        let line = lines[s.line]
        let em = line.em
        let box = s.box
        var x0 = box.x0 - 0.5 * em
        var x1 = box.x1 + max(2 * em, 0.5 * box.width)
        if s.first > 0 { x0 = max(x0, (line.words[s.first - 1].box.x1 + box.x0) / 2) }
        if s.last + 1 < line.words.count { x1 = min(x1, (line.words[s.last + 1].box.x0 + box.x1) / 2) }
        var y0 = box.y0 - 0.4 * em
        var y1 = box.y1 + 0.4 * em
        if s.line > 0, lines[s.line - 1].page == line.page { y0 = max(y0, (lines[s.line - 1].box.y1 + box.y0) / 2) }
        if s.line + 1 < lines.count, lines[s.line + 1].page == line.page { y1 = min(y1, (lines[s.line + 1].box.y0 + box.y1) / 2) }
        func clip(_ v: Double, _ size: Double) -> Double { min(1, max(0, v / size)) }
        // Rounded outwards to four places, as written in the file.
        let f = Box(x0: (clip(x0, page.width) * 10000).rounded(.down) / 10000, y0: (clip(y0, page.height) * 10000).rounded(.down) / 10000,
                    x1: (clip(x1, page.width) * 10000).rounded(.up) / 10000, y1: (clip(y1, page.height) * 10000).rounded(.up) / 10000)
        return f.x0 < f.x1 && f.y0 < f.y1 ? f : nil
    }

    /// VAT or EORI numbers printed in the supplier's block: on the lines under its name (same
    /// column, at most six lines), a two-letter prefix and eight or more digits and letters. The
    /// buyer's number elsewhere on the page is never taken, or the template would claim the buyer.
    static func identifiers(under name: String, lines: [TextLine], firstPage: Int) -> [String] {
        let target = Lexicon.normalize(name)
        guard let at = lines.firstIndex(where: { l in l.page == firstPage && l.segments().contains { Lexicon.normalize($0.text).hasPrefix(target) } })
        else { return [] }
        let seg = lines[at].segments().first { Lexicon.normalize($0.text).hasPrefix(target) }!
        var out: [String] = []
        for l in lines[(at + 1)..<min(lines.count, at + 7)] where l.page == firstPage {
            for s in l.segments() where abs(s.box.x0 - seg.box.x0) < 2 * l.em || s.box.xOverlap(seg.box) > 0 {
                let n = Lexicon.normalize(s.text)
                guard ["vat", "eori", "ust", "tva", "btw", "mwst", "uid", "iva", "tax id"].contains(where: { n.hasPrefix($0) || n.contains(" " + $0) }) else { continue }
                let c = compact(s.text)
                guard let r = c.range(of: #"[A-Z]{2}[0-9][0-9A-Z]{7,16}$"#, options: .regularExpression) else { continue }
                let id = String(c[r])
                if !out.contains(id) { out.append(id) }
            }
        }
        return out
    }

    static func fraction(_ v: Double) -> String {
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s += "0" }
        return s
    }

    /// The template as a YAML file that `load` reads back to the same template; `comment` lines
    /// go first as `#` comments (where it was learned from).
    public func yaml(comment: [String] = []) -> String {
        func q(_ s: String) -> String { JSONWriter.write(.string(s)) }
        func list(_ a: [String]) -> String { "[" + a.map(q).joined(separator: ", ") + "]" }
        var out = comment.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined()
        out += "supplier: \(q(supplier))\n"
        out += "match:\n"
        if !identifiers.isEmpty { out += "  vat: \(list(identifiers))\n" }
        if !names.isEmpty { out += "  names: \(list(names))\n" }
        if !labels.isEmpty {
            out += "labels:\n"
            for (k, v) in labels.sorted(by: { $0.key < $1.key }) { out += "  \(k): \(list(v))\n" }
        }
        if !columns.isEmpty {
            out += "columns:\n"
            let names = Dictionary(Self.columnNames.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            for (k, v) in columns.compactMap({ c, v in names[c].map { ($0, v) } }).sorted(by: { $0.0 < $1.0 }) { out += "  \(k): \(list(v))\n" }
        }
        if !regions.isEmpty {
            out += "regions:\n"
            for (k, r) in regions.sorted(by: { $0.key < $1.key }) {
                out += "  \(k): {page: \(r.page), box: [\([r.box.x0, r.box.y0, r.box.x1, r.box.y1].map(Self.fraction).joined(separator: ", "))]}\n"
            }
        }
        if !defaults.isEmpty {
            out += "defaults:\n"
            for (k, v) in defaults.sorted(by: { $0.key < $1.key }) { out += "  \(k): \(q(v))\n" }
        }
        return out
    }
}
