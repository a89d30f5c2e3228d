import Foundation

/// Field-level precision and recall of a read document against the expected one.
///
/// Scored fields: the header fields (`invoice_number`, `invoice_date`, `currency`, `total`,
/// `seller_name`, `buyer_name`, `incoterm`, `net_weight`, `gross_weight`, `packages`,
/// `country_of_origin`, `origin_statement.agreement|exporter_reference|origin`) and every line's
/// fields, lines matched by position. Numbers compare by value, text after collapsing white space;
/// nothing else is forgiven. A value read where none is expected counts against precision.
public struct FieldScore: Sendable, Hashable {
    public var correct = 0
    public var predicted = 0
    public var expected = 0
    /// Field paths that differ, with both values, for reports.
    public var misses: [String] = []

    public init() {}

    public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
    public var recall: Double { expected == 0 ? 0 : Double(correct) / Double(expected) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    public static func + (a: FieldScore, b: FieldScore) -> FieldScore {
        var s = FieldScore()
        s.correct = a.correct + b.correct
        s.predicted = a.predicted + b.predicted
        s.expected = a.expected + b.expected
        s.misses = a.misses + b.misses
        return s
    }

    static let numeric: Set<String> = ["total", "net_weight", "gross_weight", "packages", "quantity", "unit_price", "line_total"]

    /// The scored fields of a document as path → value.
    public static func flatten(_ d: ExtractedDocument) -> [String: String] {
        var out: [String: String] = [:]
        let top: [(String, String?)] = [
            ("invoice_number", d.invoiceNumber), ("invoice_date", d.invoiceDate), ("currency", d.currency), ("total", d.total),
            ("seller_name", d.sellerName), ("buyer_name", d.buyerName), ("incoterm", d.incoterm), ("net_weight", d.netWeight),
            ("gross_weight", d.grossWeight), ("packages", d.packages), ("country_of_origin", d.countryOfOrigin),
            ("origin_statement.agreement", d.originStatement?.agreement),
            ("origin_statement.exporter_reference", d.originStatement?.exporterReference),
            ("origin_statement.origin", d.originStatement?.origin),
        ]
        for (k, v) in top { if let v { out[k] = v } }
        for (i, l) in d.lines.enumerated() {
            let fields: [(String, String?)] = [
                ("description", l.description), ("quantity", l.quantity), ("unit", l.unit), ("unit_price", l.unitPrice),
                ("line_total", l.lineTotal), ("hs_code", l.hsCode), ("origin_country", l.originCountry), ("packages", l.packages),
                ("net_weight", l.netWeight), ("gross_weight", l.grossWeight),
            ]
            for (k, v) in fields { if let v { out["lines[\(i)].\(k)"] = v } }
        }
        return out
    }

    public static func score(predicted: ExtractedDocument, expected: ExtractedDocument, label: String = "") -> FieldScore {
        let p = flatten(predicted), e = flatten(expected)
        var s = FieldScore()
        s.predicted = p.count
        s.expected = e.count
        for (k, ev) in e.sorted(by: { $0.key < $1.key }) {
            guard let pv = p[k] else {
                s.misses.append("\(label) \(k): missing, expected \(ev)")
                continue
            }
            if same(k, pv, ev) { s.correct += 1 } else { s.misses.append("\(label) \(k): \(pv) ≠ \(ev)") }
        }
        for k in p.keys.sorted() where e[k] == nil { s.misses.append("\(label) \(k): \(p[k]!) not expected") }
        return s
    }

    /// Whether a read value equals the expected one (numbers compared as decimals, text by its words).
    public static func same(_ key: String, _ a: String, _ b: String) -> Bool {
        let name = key.split(separator: ".").last.map(String.init) ?? key
        if numeric.contains(name) {
            let posix = Locale(identifier: "en_US_POSIX")
            if let x = Decimal(string: a, locale: posix), let y = Decimal(string: b, locale: posix) { return x == y }
            return false
        }
        func collapse(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return collapse(a) == collapse(b)
    }
}
