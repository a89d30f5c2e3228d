import CSVCore
import CustomsModel
import Foundation
import JSONCore

/// National tariff schedules kept as one table row per tariff item: Canada's Customs Tariff
/// (CBSA) and Australia's Working Tariff (Schedule 3). Each becomes one measures pack: the general
/// (MFN) rate per 8-digit item and, where the schedule prints them, preferential rates filed under
/// the jurisdiction's programmes by their symbol. Columns are found by name, so a reordered table
/// still reads and a renamed one is refused as a changed format. Pure: text in, pack text out.
public enum ScheduleImporter {
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    public struct Report: Sendable {
        /// Rows read (headings and items).
        public var rows = 0
        /// Tariff items with a general rate.
        public var items = 0
        /// Preferential measures per programme symbol.
        public var preferences: [String: Int] = [:]
        /// Preferential rates of treatments no programme of the jurisdiction has: symbol → count.
        public var unfiled: [String: Int] = [:]
        /// Items whose general rate the engine cannot price (kept; a quote on them needs `duty_rate`).
        public var unpriceable: [String] = []
        public var measures: Int { items + preferences.values.reduce(0, +) }
    }

    /// Columns of the CBSA Customs Tariff table: the tariff item, its description, the MFN column;
    /// every other column named like a tariff treatment (`UST`, `CEUT`, `CPTPT`, …) holds that
    /// treatment's rate.
    public static let cbsaItem = "TARIFF"
    public static let cbsaMFN = "MFN"
    public static let cbsaOther: Set<String> = ["DESC1", "DESC2", "DESC3", "UOM", "EFFECTIVE_DATE", "EXPIRY_DATE"]

    /// Canada's Customs Tariff (CBSA) as a table: `TARIFF` (tariff item, `0101.21.00`), `DESC1..3`,
    /// `UOM`, `MFN`, then one column per tariff treatment. `N/A` or an empty cell is no rate.
    public static func cbsa(csv: String, header: PackImporter.Header, programs: Set<String>, validFrom: String) throws(FormatError) -> (String, Report) {
        let table = try read(csv)
        guard let item = table.column(cbsaItem), let mfn = table.column(cbsaMFN) else {
            throw FormatError("the header is \(table.header.prefix(8).joined(separator: ", ")), not the Customs Tariff table's (needs \(cbsaItem) and \(cbsaMFN); changed format?)")
        }
        let treatments = table.header.enumerated().filter { i, name in
            i != item && i != mfn && !cbsaOther.contains(name) && !name.isEmpty && name.count <= 6 && name.allSatisfy { $0.isUppercase && $0.isASCII }
        }
        let descriptions = ["DESC1", "DESC2", "DESC3"].compactMap(table.column)
        var seen = Set<String>()
        return try walkItems(of: table, column: item, named: "tariff item", header: header) { (row, code, out, report) throws(FormatError) in
            let f = row.fields
            let general = cell(f[mfn])
            guard !general.isEmpty else { return }
            guard seen.insert(code).inserted else { throw FormatError("line \(row.line): tariff item \(f[item]) appears twice") }
            let rate = normalise(general, currency: "CAD")
            if !RateTextParser.parse(rate).isPriceable { report.unpriceable.append(code) }
            report.items += 1
            let text = describe(descriptions.map { f[$0] })
            out.append(PackImporter.obj([
                ("type", .string("measure")), ("id", .string("CA-MFN-\(code)")), ("code", .string(code)), ("measure_type", .string("mfn")),
                ("rate", .string(rate)), ("legal_ref", .string("Customs Tariff, tariff item \(f[item]) MFN" + (text.isEmpty ? "" : ": " + text))),
                ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
            for (i, symbol) in treatments {
                let r = cell(f[i])
                guard !r.isEmpty else { continue }
                guard programs.contains(symbol) else { report.unfiled[symbol, default: 0] += 1; continue }
                report.preferences[symbol, default: 0] += 1
                out.append(PackImporter.obj([
                    ("type", .string("measure")), ("id", .string("CA-\(symbol)-\(code)")), ("code", .string(code)), ("measure_type", .string("preference")),
                    ("rate", .string(normalise(r, currency: "CAD"))), ("programs", .array([.string(symbol)])),
                    ("legal_ref", .string("Customs Tariff, tariff item \(f[item]) \(symbol)")), ("valid_from", .string(validFrom)), ("valid_to", .null),
                ]))
            }
        }
    }

    /// Columns of the Working Tariff's Schedule 3 table.
    public static let auItem = "Reference Number"
    public static let auRate = "Rate"

    /// Australia's Working Tariff, Schedule 3, as a table: `Reference Number` (`0101.21.00`, or a
    /// heading), `Statistical Code`, `Unit`, `Goods`, `Rate`, `Tariff Concession Orders`. The rate cell
    /// holds the general rate on its first line and, below it, preferential rates as `DCS:4%`
    /// (`SYMBOL:rate`); a symbol that is a programme of the AU packs is filed under it.
    public static func auWorkingTariff(csv: String, header: PackImporter.Header, programs: Set<String>, validFrom: String) throws(FormatError) -> (String, Report) {
        let table = try read(csv)
        guard let item = table.column(auItem), let rateColumn = table.column(auRate) else {
            throw FormatError("the header is \(table.header.prefix(6).joined(separator: ", ")), not the Working Tariff's Schedule 3 (needs \(auItem) and \(auRate); changed format?)")
        }
        let goods = table.column("Goods")
        var seen = Set<String>()
        return try walkItems(of: table, column: item, named: "reference number", header: header) { (row, code, out, report) throws(FormatError) in
            let f = row.fields
            let lines = f[rateColumn].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let first = lines.first, !first.contains(":") else { return }
            // The same item on several rows (one per statistical code) carries one rate.
            guard seen.insert(code).inserted else { return }
            let rate = normalise(first, currency: "AUD")
            if !RateTextParser.parse(rate).isPriceable { report.unpriceable.append(code) }
            report.items += 1
            let text = describe(goods.map { [f[$0]] } ?? [])
            out.append(PackImporter.obj([
                ("type", .string("measure")), ("id", .string("AU-GEN-\(code)")), ("code", .string(code)), ("measure_type", .string("mfn")),
                ("rate", .string(rate)), ("legal_ref", .string("Customs Tariff Act 1995 Schedule 3, \(f[item])" + (text.isEmpty ? "" : ": " + text))),
                ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { throw FormatError("line \(row.line): rate line \"\(line)\" is neither the general rate nor SYMBOL:rate") }
                let symbol = line[..<colon].trimmingCharacters(in: .whitespaces)
                let r = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                guard !symbol.isEmpty, !r.isEmpty else { throw FormatError("line \(row.line): rate line \"\(line)\" is incomplete") }
                guard programs.contains(symbol) else { report.unfiled[symbol, default: 0] += 1; continue }
                report.preferences[symbol, default: 0] += 1
                out.append(PackImporter.obj([
                    ("type", .string("measure")), ("id", .string("AU-\(symbol)-\(code)")), ("code", .string(code)), ("measure_type", .string("preference")),
                    ("rate", .string(normalise(r, currency: "AUD"))), ("programs", .array([.string(symbol)])),
                    ("legal_ref", .string("Customs Tariff Act 1995 Schedule 3, \(f[item]) \(symbol)")), ("valid_from", .string(validFrom)), ("valid_to", .null),
                ]))
            }
        }
    }

    /// Both schedules list headings and items in one column: every row is counted, a row whose
    /// cell holds an 8-digit item is handed to `item` (which appends its measures), a heading is
    /// skipped, and a cell that is no tariff code at all is refused as a changed format.
    static func walkItems(
        of table: CSVReader, column: Int, named: String, header: PackImporter.Header,
        _ item: (_ row: CSVReader.Row, _ code: String, _ out: inout [String], _ report: inout Report) throws(FormatError) -> Void
    ) throws(FormatError) -> (String, Report) {
        var out = [header.line]
        var report = Report()
        for row in table.rows {
            report.rows += 1
            let code = PackImporter.digits(row.fields[column])
            guard code.count == 8 else {
                if code.isEmpty || code.count % 2 != 0 || code.count > 10 { throw FormatError("line \(row.line): \(named) \"\(row.fields[column])\" is not a code") }
                continue
            }
            try item(row, code, &out, &report)
        }
        return (out.joined(separator: "\n") + "\n", report)
    }

    /// Reads the table; a row with another number of fields than the header is a cut or broken file.
    static func read(_ csv: String) throws(FormatError) -> CSVReader {
        var text = csv
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let table: CSVReader
        do { table = try CSVReader(text) } catch { throw FormatError("not a readable CSV table: \(error)") }
        for row in table.rows where row.fields.count != table.header.count {
            throw FormatError("line \(row.line) has \(row.fields.count) fields, the header \(table.header.count) (truncated or changed format?)")
        }
        return table
    }

    /// The description levels of a row as one phrase for the legal reference: the schedules' indent
    /// dashes dropped, levels joined by `: `, at most 120 characters.
    static func describe(_ levels: [String]) -> String {
        let parts = levels.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "- ").union(.whitespacesAndNewlines)) }.filter { !$0.isEmpty }
        let text = parts.joined(separator: ": ")
        return text.count > 120 ? String(text.prefix(117)).trimmingCharacters(in: .whitespaces) + "..." : text
    }

    static func cell(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t == "N/A" || t == "-" ? "" : t
    }

    /// The schedule's spelling in the engine's: `$1.41/kg` → `1.41 CAD/kg` (the dollar of the
    /// schedule is the national one, not the parser's US dollar), `11% but not less than $1.37/kg` →
    /// `11% MIN 1.37 CAD/kg`, `/L` → `/litre`. A text it cannot restate stays as printed and is
    /// reported unpriceable by the engine.
    static func normalise(_ rate: String, currency: String) -> String {
        var s = rate.replacingOccurrences(of: "but not less than", with: "MIN").replacingOccurrences(of: "but not more than", with: "MAX")
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "$" {
                var j = s.index(after: i)
                while j < s.endIndex, s[j].isNumber || s[j] == "." || s[j] == "," { j = s.index(after: j) }
                let amount = s[s.index(after: i)..<j].replacingOccurrences(of: ",", with: "")
                if amount.isEmpty { out.append("$"); i = j; continue }
                out += "\(amount) \(currency)"
                i = j
                continue
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        s = out.replacingOccurrences(of: "/L", with: "/litre").replacingOccurrences(of: "/ L", with: "/ litre")
        return s.split(separator: " ").joined(separator: " ")
    }
}
