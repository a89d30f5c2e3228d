import CustomsModel
import Foundation
import JSONCore
import Mapping

/// A layout one supplier always uses, declared as data (`Data/documents/templates/*.yaml`), that
/// refines the generic reader for that supplier's documents. It never replaces the generic reader:
/// its label and column words are added to the four languages' words, a region pins where a field
/// sits on the page, and a default fills a field the supplier never prints.
///
/// Templates are YAML read through the mappings' located tree (`SpecNode`), so scalars keep their
/// text (`NO` stays Norway) and every problem names the file, line and field.
///
/// ```yaml
/// supplier: Bloembollen Van Dijk B.V.
/// match: {vat: [NL123456789B01], eori: [NL123456789], names: [Bloembollen Van Dijk]}
/// labels: {invoice_number: [Bon], buyer: [Afleveradres]}
/// columns: {quantity: [Stuks], unit_price: [Per stuk]}
/// regions:
///   invoice_number: {page: 1, box: [0.6, 0.02, 0.98, 0.1]}
/// defaults: {currency: EUR, incoterm: FCA}
/// ```
///
/// A document is the supplier's when one of its VAT or EORI numbers is printed on the first page
/// (spaces and punctuation ignored), or else one of its names starts a line of the first page.
/// Region boxes are fractions of the page, `[x0, y0, x1, y1]` from the top left.
public struct SupplierTemplate: Hashable, Sendable {
    public struct Region: Hashable, Sendable {
        public var page: Int
        public var box: Box
    }

    /// Where it came from (a file name), for errors and for the fields it sets.
    public var source: String
    public var supplier: String
    public var identifiers: [String] = []
    public var names: [String] = []
    /// Extra label phrases per field (key-value labels, party labels and totals).
    public var labels: [String: [String]] = [:]
    /// Extra table header phrases per column.
    var columns: [Column: [String]] = [:]
    public var regions: [String: Region] = [:]
    public var defaults: [String: String] = [:]
    /// The line of `match`, so that a number two templates claim is named where it is written.
    var matchLine = 0

    /// The largest template file read: the limit of every spec file.
    public static let maxFileBytes = SpecNode.maxFileBytes

    static let keyValueFields = ["invoice_number", "invoice_date", "incoterm", "currency", "country_of_origin"]
    static let partyFields = ["seller", "buyer"]
    static let totalFields = ["total", "subtotal", "tax", "shipping", "insurance", "packing_charge", "net_weight", "gross_weight", "packages"]
    static let columnNames: [String: Column] = [
        "position": .position, "reference": .reference, "description": .description, "hs_code": .hsCode, "origin": .origin, "quantity": .quantity,
        "unit": .unit, "unit_price": .unitPrice, "amount": .amount, "packages": .packages, "net_weight": .netWeight,
        "gross_weight": .grossWeight,
    ]
    static let regionFields = ["invoice_number", "invoice_date", "incoterm", "currency", "total", "seller_name", "buyer_name"]
    static let defaultFields = ["currency", "incoterm", "seller_name", "country_of_origin"]

    /// Reads and checks one template (YAML, through the same located tree as the mappings); every
    /// error names the file, the line and the field.
    public static func load(_ bytes: [UInt8], source: String) throws(SupplierTemplateError) -> SupplierTemplate {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SupplierTemplateError(file: source, line: 0, field: "(file)", message: "is not UTF-8 text")
        }
        let root: SpecNode
        do { root = try SpecNode.parse(text, file: source) } catch {
            throw SupplierTemplateError(file: source, line: error.location.line, field: error.field.isEmpty ? "(file)" : error.field, message: error.message)
        }
        return try load(root, source: source)
    }

    /// Checks a parsed template; every error carries the line of the key or value it is about.
    static func load(_ root: SpecNode, source: String) throws(SupplierTemplateError) -> SupplierTemplate {
        func fail(_ at: SpecLocation, _ field: String, _ message: String) -> SupplierTemplateError {
            SupplierTemplateError(file: source, line: at.line, field: field, message: message)
        }
        guard let top = root.entries else { throw fail(root.location, "(file)", "a template is a map with supplier, match and optional labels, columns, regions, defaults") }
        let known = ["columns", "defaults", "labels", "match", "regions", "supplier"]
        for e in top where !known.contains(e.key) { throw fail(e.keyAt, e.key, "unknown key (expected one of \(known.joined(separator: ", ")))") }
        guard let supplierNode = root["supplier"] else { throw fail(root.location, "supplier", "required: the supplier's name as a non-empty string") }
        guard let supplier = supplierNode.string?.trimmingCharacters(in: .whitespaces), !supplier.isEmpty else {
            throw fail(supplierNode.location, "supplier", "required: the supplier's name as a non-empty string")
        }
        var t = SupplierTemplate(source: source, supplier: supplier)

        func strings(_ v: SpecNode, _ path: String) throws(SupplierTemplateError) -> [String] {
            guard let a = v.list, !a.isEmpty else { throw fail(v.location, path, "expected a non-empty list of strings") }
            var out: [String] = []
            for (i, x) in a.enumerated() {
                guard let s = x.string, !Lexicon.normalize(s).isEmpty else { throw fail(x.location, "\(path)[\(i)]", "expected a string with letters or digits") }
                out.append(s)
            }
            return out
        }
        func map(_ key: String) throws(SupplierTemplateError) -> [(key: String, value: SpecNode, keyAt: SpecLocation)]? {
            guard let v = root[key] else { return nil }
            guard let entries = v.entries else { throw fail(v.location, key, "expected a map") }
            return entries
        }

        t.matchLine = root["match"]?.location.line ?? 0
        guard let match = try map("match") else { throw fail(root.location, "match", "required: at least one of vat, eori, names") }
        for e in match {
            switch e.key {
            case "vat", "eori":
                let ids = try strings(e.value, "match.\(e.key)").map(Self.compact)
                if let short = ids.first(where: { $0.count < 6 }) {
                    throw fail(e.value.location, "match.\(e.key)", "identifier '\(short)' is too short to match on (6 characters at least)")
                }
                t.identifiers += ids
            case "names": t.names += try strings(e.value, "match.names").map(Lexicon.normalize)
            default: throw fail(e.keyAt, "match.\(e.key)", "unknown key (expected vat, eori or names)")
            }
        }
        guard !t.identifiers.isEmpty || !t.names.isEmpty else { throw fail(root["match"]!.location, "match", "required: at least one of vat, eori, names") }

        for e in try map("labels") ?? [] {
            guard keyValueFields.contains(e.key) || partyFields.contains(e.key) || totalFields.contains(e.key) else {
                throw fail(e.keyAt, "labels.\(e.key)", "unknown field (expected one of \((keyValueFields + partyFields + totalFields).joined(separator: ", ")))")
            }
            t.labels[e.key] = try strings(e.value, "labels.\(e.key)").map(Lexicon.normalize)
        }
        for e in try map("columns") ?? [] {
            guard let c = columnNames[e.key] else { throw fail(e.keyAt, "columns.\(e.key)", "unknown column (expected one of \(columnNames.keys.sorted().joined(separator: ", ")))") }
            t.columns[c] = try strings(e.value, "columns.\(e.key)").map(Lexicon.normalize)
        }
        for e in try map("regions") ?? [] {
            let path = "regions.\(e.key)"
            guard regionFields.contains(e.key) else { throw fail(e.keyAt, path, "unknown field (expected one of \(regionFields.joined(separator: ", ")))") }
            guard let r = e.value.entries else { throw fail(e.value.location, path, "expected a map {page: N, box: [x0, y0, x1, y1]}") }
            for extra in r where extra.key != "page" && extra.key != "box" { throw fail(extra.keyAt, "\(path).\(extra.key)", "unknown key (expected page, box)") }
            var page = 1
            if let p = e.value["page"] {
                guard case .number(let n) = p.jsonValue, let i = Int(n), i >= 1 else { throw fail(p.location, "\(path).page", "expected a page number from 1") }
                page = i
            }
            guard let boxNode = e.value["box"] else { throw fail(e.value.location, "\(path).box", "required: [x0, y0, x1, y1] as fractions of the page") }
            guard let a = boxNode.list, a.count == 4 else { throw fail(boxNode.location, "\(path).box", "expected [x0, y0, x1, y1] as fractions of the page") }
            var f: [Double] = []
            for (i, x) in a.enumerated() {
                guard case .number(let n) = x.jsonValue, let d = Double(n), (0...1).contains(d) else {
                    throw fail(x.location, "\(path).box[\(i)]", "expected a fraction of the page from 0 to 1")
                }
                f.append(d)
            }
            guard f[0] < f[2], f[1] < f[3] else { throw fail(boxNode.location, "\(path).box", "x0 must be left of x1 and y0 above y1") }
            t.regions[e.key] = Region(page: page, box: Box(x0: f[0], y0: f[1], x1: f[2], y1: f[3]))
        }
        for e in try map("defaults") ?? [] {
            let path = "defaults.\(e.key)"
            guard defaultFields.contains(e.key) else { throw fail(e.keyAt, path, "unknown field (expected one of \(defaultFields.joined(separator: ", ")))") }
            guard let s = e.value.string, !s.isEmpty else { throw fail(e.value.location, path, "expected a non-empty string") }
            let at = e.value.location
            switch e.key {
            case "currency": guard CurrencyCode(s).isAssigned else { throw fail(at, path, "'\(s)' is not an ISO 4217 currency code") }
            case "incoterm": guard Lexicon.incoterms.contains(s) else { throw fail(at, path, "'\(s)' is not an Incoterm (\(Lexicon.incoterms.sorted().joined(separator: ", ")))") }
            case "country_of_origin": guard s.count == 2, CountryCode(s).isAssigned else { throw fail(at, path, "'\(s)' is not an ISO 3166-1 alpha-2 code") }
            default: break
            }
            t.defaults[e.key] = s
        }
        return t
    }

    /// Loads a folder's templates (name and bytes of each file, in name order); two templates
    /// claiming the same VAT or EORI number is an error.
    public static func loadAll(_ files: [(name: String, bytes: [UInt8])]) throws(SupplierTemplateError) -> [SupplierTemplate] {
        var out: [SupplierTemplate] = []
        var owner: [String: String] = [:]
        for f in files.sorted(by: { $0.name < $1.name }) {
            let t = try load(f.bytes, source: f.name)
            for id in t.identifiers {
                if let other = owner[id] { throw SupplierTemplateError(file: f.name, line: t.matchLine, field: "match", message: "identifier \(id) is already \(other)'s") }
                owner[id] = f.name
            }
            out.append(t)
        }
        return out
    }

    /// Learned templates (from the data folder) before the shipped ones, so that a supplier's
    /// learned template is the one that reads its documents. A learned template replaces the
    /// shipped template of the same supplier (it was written as a copy of it plus what was
    /// learned); two templates left claiming one VAT or EORI number is an error naming the file.
    public static func combine(learned: [SupplierTemplate], shipped: [SupplierTemplate]) throws(SupplierTemplateError) -> [SupplierTemplate] {
        let replaced = Set(learned.map { Lexicon.normalize($0.supplier) })
        let all = learned + shipped.filter { !replaced.contains(Lexicon.normalize($0.supplier)) }
        var owner: [String: String] = [:]
        for t in all {
            for id in t.identifiers {
                if let other = owner[id], other != t.source {
                    throw SupplierTemplateError(file: t.source, line: t.matchLine, field: "match", message: "identifier \(id) is already \(other)'s")
                }
                owner[id] = t.source
            }
        }
        return all
    }

    static func compact(_ s: String) -> String { String(s.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }

    /// The words that show the document is this supplier's, if it is.
    func matches(_ lines: [TextLine], firstPage: Int) -> [Word]? {
        let first = lines.filter { $0.page == firstPage }
        for line in first {
            for w in line.words {
                let c = Self.compact(w.text)
                if c.count >= 6, identifiers.contains(where: { c.contains($0) }) { return [w] }
            }
            // An identifier the OCR split into several words.
            let joined = Self.compact(line.text)
            if identifiers.contains(where: { joined.contains($0) }) { return line.words }
        }
        for line in first {
            for seg in line.segments() {
                let n = Lexicon.normalize(seg.text)
                if names.contains(where: { n == $0 || n.hasPrefix($0 + " ") || Self.startsWithName(n, $0) }) { return seg.words }
            }
        }
        return nil
    }

    /// A name of eight letters or more that starts the text with at most one OCR slip per ten
    /// letters, spaces ignored (`Ther nbury Textiles Ltd`, `Bloembollen Van Dijk 8 V`).
    static func startsWithName(_ text: String, _ name: String) -> Bool {
        let t = Array(text.filter { $0 != " " }), w = Array(name.filter { $0 != " " })
        let allowed = max(1, w.count / 10)
        guard w.count >= 8, t.count >= w.count - allowed else { return false }
        // Edit distance from the name to each prefix of the text (bounded: the name is short).
        let cols = min(t.count, w.count + allowed)
        var row = Array(0...cols)
        for i in 1...w.count {
            var next = [i] + Array(repeating: 0, count: cols)
            for j in 1...cols { next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (w[i - 1] == t[j - 1] ? 0 : 1)) }
            row = next
        }
        return row[max(0, w.count - allowed)...].min()! <= allowed
    }
}

/// A template that cannot be used: the file, the line (0 when the problem is the whole file or
/// folder), the field (a dotted path) and what is wrong, written `file:line: field: problem` as the
/// server configuration's problems are.
public struct SupplierTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String
    public var message: String
    public var description: String { line > 0 ? "\(file):\(line): \(field): \(message)" : "\(file): \(field): \(message)" }

    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }
}
