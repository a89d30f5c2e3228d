import CustomsModel
import Foundation
import JSONCore

/// A layout one supplier always uses, declared as data (`Data/documents/templates/*.json`), that
/// refines the generic reader for that supplier's documents. It never replaces the generic reader:
/// its label and column words are added to the four languages' words, a region pins where a field
/// sits on the page, and a default fills a field the supplier never prints.
///
/// ```json
/// {
///   "supplier": "Bloembollen Van Dijk B.V.",
///   "match": {"vat": ["NL123456789B01"], "eori": ["NL123456789"], "names": ["Bloembollen Van Dijk"]},
///   "labels": {"invoice_number": ["Bon"], "buyer": ["Afleveradres"]},
///   "columns": {"quantity": ["Stuks"], "unit_price": ["Per stuk"]},
///   "regions": {"invoice_number": {"page": 1, "box": [0.6, 0.02, 0.98, 0.1]}},
///   "defaults": {"currency": "EUR", "incoterm": "FCA"}
/// }
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

    static let keyValueFields = ["invoice_number", "invoice_date", "incoterm", "currency", "country_of_origin"]
    static let partyFields = ["seller", "buyer"]
    static let totalFields = ["total", "subtotal", "tax", "shipping", "net_weight", "gross_weight", "packages"]
    static let columnNames: [String: Column] = [
        "position": .position, "description": .description, "hs_code": .hsCode, "origin": .origin, "quantity": .quantity,
        "unit": .unit, "unit_price": .unitPrice, "amount": .amount, "packages": .packages, "net_weight": .netWeight,
        "gross_weight": .grossWeight,
    ]
    static let regionFields = ["invoice_number", "invoice_date", "incoterm", "currency", "total", "seller_name", "buyer_name"]
    static let defaultFields = ["currency", "incoterm", "seller_name", "country_of_origin"]

    /// Reads and checks one template; every error names the file and the field.
    public static func load(_ bytes: [UInt8], source: String) throws(SupplierTemplateError) -> SupplierTemplate {
        func fail(_ field: String, _ message: String) -> SupplierTemplateError { SupplierTemplateError(file: source, field: field, message: message) }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw fail("(file)", error.description) }
        guard let obj = root.objectValue else { throw fail("(file)", "a template is a JSON object") }
        let known: Set<String> = ["supplier", "match", "labels", "columns", "regions", "defaults", "_comment"]
        for k in obj.keys where !known.contains(k) { throw fail(k, "unknown key (expected one of \(known.subtracting(["_comment"]).sorted().joined(separator: ", ")))") }
        guard let supplier = obj["supplier"]?.stringValue?.trimmingCharacters(in: .whitespaces), !supplier.isEmpty else {
            throw fail("supplier", "required: the supplier's name as a non-empty string")
        }
        var t = SupplierTemplate(source: source, supplier: supplier)

        func strings(_ v: JSONValue, _ path: String) throws(SupplierTemplateError) -> [String] {
            guard let a = v.arrayValue, !a.isEmpty else { throw fail(path, "expected a non-empty array of strings") }
            var out: [String] = []
            for (i, x) in a.enumerated() {
                guard let s = x.stringValue, !Lexicon.normalize(s).isEmpty else { throw fail("\(path)[\(i)]", "expected a string with letters or digits") }
                out.append(s)
            }
            return out
        }
        func object(_ key: String) throws(SupplierTemplateError) -> JSONObject? {
            guard let v = obj[key] else { return nil }
            guard let o = v.objectValue else { throw fail(key, "expected an object") }
            return o
        }

        guard let match = try object("match") else { throw fail("match", "required: at least one of vat, eori, names") }
        for (k, v) in match.members {
            switch k {
            case "vat", "eori": t.identifiers += try strings(v, "match.\(k)").map(Self.compact)
            case "names": t.names += try strings(v, "match.names").map(Lexicon.normalize)
            default: throw fail("match.\(k)", "unknown key (expected vat, eori or names)")
            }
        }
        if let short = t.identifiers.first(where: { $0.count < 6 }) { throw fail("match", "identifier '\(short)' is too short to match on (6 characters at least)") }
        guard !t.identifiers.isEmpty || !t.names.isEmpty else { throw fail("match", "required: at least one of vat, eori, names") }

        for (k, v) in try object("labels")?.members ?? [] {
            guard keyValueFields.contains(k) || partyFields.contains(k) || totalFields.contains(k) else {
                throw fail("labels.\(k)", "unknown field (expected one of \((keyValueFields + partyFields + totalFields).joined(separator: ", ")))")
            }
            t.labels[k] = try strings(v, "labels.\(k)").map(Lexicon.normalize)
        }
        for (k, v) in try object("columns")?.members ?? [] {
            guard let c = columnNames[k] else { throw fail("columns.\(k)", "unknown column (expected one of \(columnNames.keys.sorted().joined(separator: ", ")))") }
            t.columns[c] = try strings(v, "columns.\(k)").map(Lexicon.normalize)
        }
        for (k, v) in try object("regions")?.members ?? [] {
            let path = "regions.\(k)"
            guard regionFields.contains(k) else { throw fail(path, "unknown field (expected one of \(regionFields.joined(separator: ", ")))") }
            guard let r = v.objectValue else { throw fail(path, "expected an object {\"page\": N, \"box\": [x0, y0, x1, y1]}") }
            for extra in r.keys where extra != "page" && extra != "box" { throw fail("\(path).\(extra)", "unknown key (expected page, box)") }
            var page = 1
            if let p = r["page"] {
                guard case .number(let n) = p, let i = Int(n), i >= 1 else { throw fail("\(path).page", "expected a page number from 1") }
                page = i
            }
            guard let a = r["box"]?.arrayValue, a.count == 4 else { throw fail("\(path).box", "expected [x0, y0, x1, y1] as fractions of the page") }
            var f: [Double] = []
            for (i, x) in a.enumerated() {
                guard case .number(let n) = x, let d = Double(n), (0...1).contains(d) else { throw fail("\(path).box[\(i)]", "expected a fraction of the page from 0 to 1") }
                f.append(d)
            }
            guard f[0] < f[2], f[1] < f[3] else { throw fail("\(path).box", "x0 must be left of x1 and y0 above y1") }
            t.regions[k] = Region(page: page, box: Box(x0: f[0], y0: f[1], x1: f[2], y1: f[3]))
        }
        for (k, v) in try object("defaults")?.members ?? [] {
            let path = "defaults.\(k)"
            guard defaultFields.contains(k) else { throw fail(path, "unknown field (expected one of \(defaultFields.joined(separator: ", ")))") }
            guard let s = v.stringValue, !s.isEmpty else { throw fail(path, "expected a non-empty string") }
            switch k {
            case "currency": guard CurrencyCode(s).isAssigned else { throw fail(path, "'\(s)' is not an ISO 4217 currency code") }
            case "incoterm": guard Lexicon.incoterms.contains(s) else { throw fail(path, "'\(s)' is not an Incoterm (\(Lexicon.incoterms.sorted().joined(separator: ", ")))") }
            case "country_of_origin": guard s.count == 2, CountryCode(s).isAssigned else { throw fail(path, "'\(s)' is not an ISO 3166-1 alpha-2 code") }
            default: break
            }
            t.defaults[k] = s
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
                if let other = owner[id] { throw SupplierTemplateError(file: f.name, field: "match", message: "identifier \(id) is already \(other)'s") }
                owner[id] = f.name
            }
            out.append(t)
        }
        return out
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
                if names.contains(where: { n == $0 || n.hasPrefix($0 + " ") }) { return seg.words }
            }
        }
        return nil
    }
}

/// A template that cannot be used: the file, the field (a dotted path) and what is wrong.
public struct SupplierTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var message: String
    public var description: String { "\(file): \(field): \(message)" }

    public init(file: String, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }
}
