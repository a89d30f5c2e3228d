import CSVCore
import CustomsModel
import Foundation
import JSONCore

/// The EU TARIC import duties as the Commission's export prints them: one row per measure, with
/// the goods code it hangs on, its origin (geographical area) code, measure type code, duty,
/// additional code, quota order number and dates. The third-country duty (103) for ERGA OMNES
/// (1011) without an additional code or quota becomes the EU MFN rate; a tariff preference (142)
/// without either is filed under the EU programme whose record names its origin area. A measure
/// hangs on the level TARIC defines it (`6109000000`, the heading): the code is cut to that level,
/// so it covers every line below. Pure: text in, pack text out.
public enum TaricImporter {
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    public struct Report: Sendable {
        public var rows = 0
        /// Rows not in force on the import date.
        public var notInForce = 0
        public var mfn = 0
        public var preferences: [String: Int] = [:]
        /// Preferences of origins no EU programme names: origin code → (description, count).
        public var unfiled: [String: (description: String, count: Int)] = [:]
        /// Other measures by measure type code and description.
        public var other: [String: Int] = [:]
    }

    /// Column names of the export (the `Duties Import 01-99` sheet saved as CSV).
    public static let columns = (goods: "Goods code", additional: "Add code", order: "Order No.", start: "Start date", end: "End date",
                                 origin: "Origin", originCode: "Origin code", type: "Measure type", typeCode: "Meas. type code",
                                 legal: "Legal base", duty: "Duty")

    /// `0101210000`, `0101210000 80` (with its product-line suffix) or `0101 21 00 00` → the code
    /// cut to the level it is defined at: trailing `00` pairs dropped, not below the chapter.
    static func level(_ text: String) -> String? {
        var digits = Substring(PackImporter.digits(text))
        if digits.count == 12 { digits = digits.prefix(10) }
        guard digits.count == 10 else { return nil }
        return trimmed(String(digits))
    }

    /// A code without its trailing `00` pairs (not below the chapter): the set of lines it covers
    /// is the same, so an 8-digit CN code and its 10-digit TARIC spelling compare equal.
    public static func trimmed(_ code: String) -> String {
        var digits = Substring(code)
        while digits.count > 2 && digits.hasSuffix("00") { digits = digits.dropLast(2) }
        return String(digits)
    }

    /// `01-01-2021`, `01/01/2021` (the sheet's day-month-year) or `2021-01-01`.
    static func day(_ text: String) -> Day? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = Day(String(t.prefix(10))), t.count >= 10, t[t.index(t.startIndex, offsetBy: 4)] == "-" { return d }
        let parts = t.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts[2].count == 4, let dd = Int(parts[0]), let mm = Int(parts[1]), let yy = Int(parts[2]) else { return nil }
        return Day(String(format: "%04d-%02d-%02d", yy, mm, dd))
    }

    /// Returns (MFN pack, preferences pack, report). `programs` maps an origin area code (`GB`,
    /// `1013`) to the symbol of the EU programme naming it in `geographical_areas`.
    public static func duties(
        csv: String, mfn mfnHeader: PackImporter.Header, preferences prefHeader: PackImporter.Header,
        programs: [String: String], on today: Day
    ) throws(FormatError) -> (String, String, Report) {
        var text = csv
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let table: CSVReader
        do { table = try CSVReader(text) } catch { throw FormatError("not a readable CSV table: \(error)") }
        let c = columns
        guard let goods = table.column(c.goods), let typeCode = table.column(c.typeCode), let originCode = table.column(c.originCode),
              let duty = table.column(c.duty), let start = table.column(c.start)
        else {
            throw FormatError("the header is \(table.header.prefix(6).joined(separator: ", ")), not the TARIC duties export's (needs \(c.goods), \(c.start), \(c.originCode), \(c.typeCode), \(c.duty); changed format?)")
        }
        let additional = table.column(c.additional), order = table.column(c.order), end = table.column(c.end)
        let origin = table.column(c.origin), typeName = table.column(c.type), legal = table.column(c.legal)
        struct Row { var code: String; var rate: String; var from: Day; var to: Day?; var legal: String; var area: String; var areaName: String }
        var mfn: [String: Row] = [:]
        var prefs: [String: [String: Row]] = [:]  // code → symbol → row
        var report = Report()
        for row in table.rows {
            let f = row.fields
            guard f.count == table.header.count else {
                throw FormatError("line \(row.line) has \(f.count) fields, the header \(table.header.count) (truncated or changed format?)")
            }
            report.rows += 1
            guard let code = level(f[goods]) else { throw FormatError("line \(row.line): goods code \"\(f[goods])\" is not a 10-digit TARIC code") }
            guard let from = day(f[start]) else { throw FormatError("line \(row.line): start date \"\(f[start])\" is not a date") }
            let endText = end.map { f[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            let to: Day? = endText.isEmpty ? nil : day(endText)
            if !endText.isEmpty && to == nil { throw FormatError("line \(row.line): end date \"\(endText)\" is not a date") }
            guard from <= today, to.map({ $0 >= today }) ?? true else { report.notInForce += 1; continue }
            let type = f[typeCode].trimmingCharacters(in: .whitespaces)
            let area = f[originCode].trimmingCharacters(in: .whitespaces)
            let plain = (additional.map { f[$0].trimmingCharacters(in: .whitespaces).isEmpty } ?? true)
                && (order.map { f[$0].trimmingCharacters(in: .whitespaces).isEmpty } ?? true)
            let rate = f[duty].split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let r = Row(code: code, rate: rate, from: from, to: to, legal: legal.map { f[$0] } ?? "", area: area,
                        areaName: origin.map { f[$0].trimmingCharacters(in: .whitespaces) } ?? area)
            if plain && type == "103" && area == "1011" {
                guard !rate.isEmpty else { throw FormatError("line \(row.line): third-country duty on \(f[goods]) has no duty") }
                if let seen = mfn[code], seen.from >= from { continue }
                mfn[code] = r
            } else if plain && type == "142" {
                guard let symbol = programs[area] else {
                    report.unfiled[area, default: (description: r.areaName, count: 0)].count += 1
                    continue
                }
                guard !rate.isEmpty else { throw FormatError("line \(row.line): tariff preference on \(f[goods]) has no duty") }
                if let seen = prefs[code]?[symbol], seen.from >= from { continue }
                prefs[code, default: [:]][symbol] = r
            } else {
                let name = typeName.map { f[$0].trimmingCharacters(in: .whitespaces) } ?? ""
                report.other[type + (name.isEmpty ? "" : " " + name), default: 0] += 1
            }
        }
        func line(_ id: String, _ r: Row, _ type: String, _ programs: [String]?) -> String {
            var pairs: [(String, JSONValue)] = [
                ("type", .string("measure")), ("id", .string(id)), ("code", .string(r.code)), ("measure_type", .string(type)), ("rate", .string(r.rate)),
            ]
            if let programs { pairs.append(("programs", .array(programs.map(JSONValue.string)))) }
            pairs += [
                ("legal_ref", .string("TARIC \(type == "mfn" ? "third country duty" : "tariff preference, \(r.areaName)")" + (r.legal.isEmpty ? "" : ", \(r.legal)"))),
                ("valid_from", .string(r.from.description)), ("valid_to", r.to.map { .string($0.description) } ?? .null),
            ]
            return PackImporter.obj(pairs)
        }
        var mfnOut = [mfnHeader.line]
        for code in mfn.keys.sorted() { mfnOut.append(line("EU-TARIC-\(code)", mfn[code]!, "mfn", nil)) }
        report.mfn = mfn.count
        var prefOut = [prefHeader.line]
        for code in prefs.keys.sorted() {
            for (symbol, r) in prefs[code]!.sorted(by: { $0.key < $1.key }) {
                report.preferences[symbol, default: 0] += 1
                prefOut.append(line("EU-PREF-\(code)-\(symbol)", r, "preference", [symbol]))
            }
        }
        return (mfnOut.joined(separator: "\n") + "\n", prefOut.joined(separator: "\n") + "\n", report)
    }
}
