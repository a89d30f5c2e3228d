import CSVCore
import CustomsModel
import Foundation
import JSONCore

/// The ECB euro foreign exchange reference rates (`eurofxref-hist.csv`, or the daily
/// `eurofxref.csv`) → an FX pack. Each published rate holds from its day until the day before the
/// next publication; the newest stays open, and quotes report its age.
extension PackImporter {
    public struct FXReport: Sendable {
        public var days = 0
        public var first: Day?
        public var last: Day?
        public var rates = 0
    }

    /// An ECB file that cannot be trusted: wrong header, bad dates or rates, too few days.
    public struct FXFormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func ecbFX(
        csv: String, header: Header, currencies: [CurrencyCode], from: Day, source: String = "ECB-REF", minimumDays: Int = 1
    ) throws(FXFormatError) -> (String, FXReport) {
        let table: CSVReader
        do { table = try CSVReader(csv) } catch { throw FXFormatError(description: "not CSV: \(error)") }
        guard table.header.first?.trimmingCharacters(in: .whitespaces) == "Date" else {
            throw FXFormatError(description: "first column is \"\(table.header.first ?? "")\", expected \"Date\" (ECB eurofxref format)")
        }
        let header0 = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var cols: [(CurrencyCode, Int)] = []
        for c in currencies {
            guard let i = header0.firstIndex(of: c.rawValue) else { throw FXFormatError(description: "no \(c) column in the ECB file") }
            cols.append((c, i))
        }
        var days: [(Day, [(CurrencyCode, Decimal)])] = []
        for row in table.rows {
            let f = row.fields
            guard let dayText = f.first?.trimmingCharacters(in: .whitespaces), !dayText.isEmpty else { continue }
            guard let day = Day(dayText) else { throw FXFormatError(description: "line \(row.line): \"\(dayText)\" is not a date") }
            if day < from { continue }
            var rates: [(CurrencyCode, Decimal)] = []
            for (c, i) in cols {
                let t = i < f.count ? f[i].trimmingCharacters(in: .whitespaces) : ""
                if t == "N/A" || t.isEmpty { continue }
                guard let r = Decimal.parseExact(t), r > 0 else { throw FXFormatError(description: "line \(row.line): \(c) rate \"\(t)\" is not a positive number") }
                rates.append((c, r))
            }
            days.append((day, rates))
        }
        days.sort { $0.0 < $1.0 }
        for (a, b) in zip(days, days.dropFirst()) where a.0 == b.0 {
            throw FXFormatError(description: "\(a.0) is published twice")
        }
        guard days.count >= minimumDays else {
            throw FXFormatError(description: "\(days.count) publication days from \(from); expected at least \(minimumDays) (truncated or empty file?)")
        }
        var out = [header.line]
        var report = FXReport(days: days.count, first: days.first?.0, last: days.last?.0)
        // Per currency, each rate runs to the day before that currency's next quote.
        for (c, _) in cols {
            let series = days.compactMap { d in d.1.first { $0.0 == c }.map { (d.0, $0.1) } }
            for (k, (day, rate)) in series.enumerated() {
                let to: JSONValue = k + 1 < series.count ? .string(series[k + 1].0.previous.description) : .null
                out.append(obj([
                    ("type", .string("fx")), ("id", .string("ECB-\(day)-\(c)")), ("source", .string(source)),
                    ("from", .string("EUR")), ("to", .string(c.rawValue)), ("rate", .number(rate.text)),
                    ("valid_from", .string(day.description)), ("valid_to", to),
                ]))
                report.rates += 1
            }
        }
        return (out.joined(separator: "\n") + "\n", report)
    }

    /// The currencies the jurisdictions quote in and the member-state currencies requests arrive in.
    public static let ecbCurrencies: [CurrencyCode] = [
        "USD", "GBP", "CAD", "AUD", "JPY", "CHF", "NOK", "SEK", "DKK", "PLN", "CZK", "HUF", "RON", "CNY",
    ]
}

extension PackImporter {
    /// One ECB publication day: the rates against the euro.
    public typealias ECBDay = (day: Day, rates: [String: String])

    /// Reads `eurofxref-hist.csv` (or `eurofxref.csv`) into days, newest last.
    public static func ecbDays(csv: String) throws(FXFormatError) -> (currencies: [String], days: [ECBDay]) {
        let table: CSVReader
        do { table = try CSVReader(csv) } catch { throw FXFormatError(description: "not CSV: \(error)") }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard header.first == "Date" else { throw FXFormatError(description: "first column is \"\(header.first ?? "")\", expected \"Date\" (ECB eurofxref format)") }
        var days: [ECBDay] = []
        for row in table.rows {
            guard let t = row.fields.first?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { continue }
            guard let day = Day(t) else { throw FXFormatError(description: "line \(row.line): \"\(t)\" is not a date") }
            var rates: [String: String] = [:]
            for (i, c) in header.enumerated() where i > 0 && !c.isEmpty && i < row.fields.count {
                let v = row.fields[i].trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { rates[c] = v }
            }
            days.append((day, rates))
        }
        return (header.dropFirst().filter { !$0.isEmpty }, days.sorted { $0.day < $1.day })
    }

    /// Reads the ECB XML feeds (`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`, `eurofxref-hist.xml`):
    /// `<Cube time="YYYY-MM-DD"><Cube currency="USD" rate="1.1172"/>…</Cube>`.
    public static func ecbDays(xml: String) throws(FXFormatError) -> [ECBDay] {
        guard xml.contains("eurofxref") || xml.contains("gesmes:Envelope") else {
            throw FXFormatError(description: "not an ECB eurofxref XML document")
        }
        guard xml.contains("</gesmes:Envelope>") else { throw FXFormatError(description: "document ends before </gesmes:Envelope> (truncated download?)") }
        var days: [ECBDay] = []
        var current: ECBDay?
        func attr(_ name: String, in tag: Substring) -> String? {
            guard let r = tag.range(of: name + "=\"") ?? tag.range(of: name + "='") else { return nil }
            let rest = tag[r.upperBound...]
            guard let end = rest.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return nil }
            return String(rest[..<end])
        }
        var rest = Substring(xml)
        while let open = rest.range(of: "<Cube") {
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[open.upperBound..<close]
            if let t = attr("time", in: tag) {
                if let c = current { days.append(c) }
                guard let d = Day(t) else { throw FXFormatError(description: "time=\"\(t)\" is not a date") }
                current = (d, [:])
            } else if let c = attr("currency", in: tag), let r = attr("rate", in: tag) {
                guard current != nil else { throw FXFormatError(description: "a rate outside a dated Cube") }
                guard let v = Decimal.parseExact(r), v > 0 else { throw FXFormatError(description: "\(c) rate \"\(r)\" is not a positive number") }
                current?.rates[c] = r
            }
            rest = rest[close...]
        }
        if let c = current { days.append(c) }
        return days.sorted { $0.day < $1.day }
    }

    /// Writes days back in the ECB CSV layout (newest first), so the raw file stays the source.
    public static func ecbCSV(currencies: [String], days: [ECBDay]) -> String {
        var out = "Date," + currencies.joined(separator: ",") + ",\n"
        for d in days.sorted(by: { $0.day > $1.day }) {
            out += d.day.description + "," + currencies.map { d.rates[$0] ?? "N/A" }.joined(separator: ",") + ",\n"
        }
        return out
    }
}
