import CSVCore
import CustomsModel
import Foundation
import JSONCore

/// Turns the raw tariff files under `Data/tariffs/` into packs. Pure: text in, pack text out; the
/// CLI reads and writes the files. Rerunning it on the same input gives the same bytes.
public enum PackImporter {
    public struct Header: Sendable {
        public var pack: String
        public var jurisdiction: String
        public var kind: PackKind
        public var version: String
        public var source: String
        public var sourceDate: String
        public var licence: String
        public var note: String
        public init(pack: String, jurisdiction: String, kind: PackKind, version: String, source: String, sourceDate: String, licence: String, note: String) {
            self.pack = pack
            self.jurisdiction = jurisdiction
            self.kind = kind
            self.version = version
            self.source = source
            self.sourceDate = sourceDate
            self.licence = licence
            self.note = note
        }

        var line: String {
            obj([
                ("pack", .string(pack)), ("jurisdiction", .string(jurisdiction)), ("kind", .string(kind.rawValue)),
                ("version", .string(version)), ("source", .string(source)), ("source_date", .string(sourceDate)),
                ("licence", .string(licence)), ("note", .string(note)),
            ])
        }
    }

    static func obj(_ pairs: [(String, JSONValue)]) -> String { JSONText.render(.object(JSONObject(pairs))) }

    static func digits(_ s: String) -> String { String(s.filter { $0.isASCII && $0.isNumber }) }

    /// Program symbols as printed in the HTS special column (`A+`, `S`, `JO`); notes are dropped.
    static func symbols(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { sym in
            (1...2).contains(sym.filter(\.isUppercase).count) && sym.count <= 3
                && sym.allSatisfy { $0.isUppercase || $0 == "+" || $0 == "*" }
        }
    }

    /// `Free (A+,AU,S) 8.8¢/liter (JO)` → [("Free", [A+, AU, S]), ("8.8¢/liter", [JO])].
    static func specialGroups(_ text: String) -> [(rate: String, programs: [String])] {
        var out: [(String, [String])] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            let rate = rest[..<open].trimmingCharacters(in: .whitespacesAndNewlines)
            let syms = symbols(String(rest[rest.index(after: open)..<close]))
            if !rate.isEmpty, !syms.isEmpty { out.append((rate, syms)) }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// US HTS CSV (USITC export) → (nomenclature pack, measures pack). Rates printed on a line
    /// apply to the statistical lines below it, so only printed rates become measures.
    public static func usHTS(csv: String, nomenclature: Header, measures: Header, validFrom: String) throws(CSVReader.ParseError) -> (String, String) {
        var nom = [nomenclature.line]
        var mea = [measures.line]
        let table = try CSVReader(csv)
        for row in table.rows.map(\.fields) where row.count >= 7 {
            let code = digits(row[0])
            guard !code.isEmpty, code.count % 2 == 0, !code.hasPrefix("98"), !code.hasPrefix("99") else { continue }
            let units = (try? JSONParser.parse(row[3]))?.arrayValue?.compactMap(\.stringValue) ?? []
            let desc = row[2].count > 160 ? String(row[2].prefix(157)) + "..." : row[2]
            nom.append(obj([
                ("type", .string("code")), ("id", .string("US-HTS-\(code)")), ("code", .string(code)), ("description", .string(desc)),
                ("units", .array(units.map(JSONValue.string))), ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
            let general = row[4].trimmingCharacters(in: .whitespacesAndNewlines)
            if !general.isEmpty {
                mea.append(obj([
                    ("type", .string("measure")), ("id", .string("US-MFN-\(row[0])")), ("code", .string(code)),
                    ("measure_type", .string("mfn")), ("rate", .string(general)), ("legal_ref", .string("HTSUS \(row[0]) column 1 general")),
                    ("valid_from", .string(validFrom)), ("valid_to", .null),
                ]))
            }
            for (n, g) in specialGroups(row[5]).enumerated() {
                mea.append(obj([
                    ("type", .string("measure")), ("id", .string("US-SPI-\(row[0])-\(n + 1)")), ("code", .string(code)),
                    ("measure_type", .string("preference")), ("rate", .string(g.rate)),
                    ("programs", .array(g.programs.map(JSONValue.string))),
                    ("legal_ref", .string("HTSUS \(row[0]) column 1 special")), ("valid_from", .string(validFrom)), ("valid_to", .null),
                ]))
            }
        }
        return (nom.joined(separator: "\n") + "\n", mea.joined(separator: "\n") + "\n")
    }

    /// UK Global Tariff 2021 CSV → a GB measures pack (`ukgt_duty_rate`) or an EU one (`cet_duty_rate`).
    public static func ukGlobalTariff(csv: String, header: Header, column: String, idPrefix: String, validFrom: String) throws(CSVReader.ParseError) -> String {
        var out = [header.line]
        let table = try CSVReader(csv)
        guard let col = table.column(column) else { throw CSVReader.ParseError(line: 1, message: "no column \(column)") }
        var parentRates: [String: String] = [:]
        for row in table.rows.map(\.fields) where row.count > col {
            let code = digits(row[0])
            let rate = row[col].trimmingCharacters(in: .whitespaces)
            guard code.count == 8 || code.count == 10, !rate.isEmpty else { continue }
            // A 10-digit line repeating its 8-digit parent's rate adds nothing: lookups fall back to the parent.
            if code.count == 10, parentRates[String(code.prefix(8))] == rate { continue }
            if code.count == 8 { parentRates[code] = rate }
            out.append(obj([
                ("type", .string("measure")), ("id", .string("\(idPrefix)-\(code)")), ("code", .string(code)),
                ("measure_type", .string("mfn")), ("rate", .string(rate)), ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// ibericode EU VAT periods → a tax pack with the standard rate of each member state per period.
    public static func euVAT(json: String, header: Header, members: Set<CountryCode>) throws(JSONParseError) -> String {
        var out = [header.line]
        let doc = try JSONParser.parse(json)
        guard let items = doc["items"]?.objectValue else { return out[0] + "\n" }
        for cc in items.keys.sorted() where members.contains(CountryCode(cc)) {
            let periods = (items[cc]?.arrayValue ?? []).compactMap { p -> (Day, String)? in
                guard let from = p["effective_from"]?.stringValue, case .number(let std)? = p["rates"]?["standard"] else { return nil }
                return (Day(from) ?? Day(year: 1900, month: 1, day: 1), std)
            }.sorted { $0.0 < $1.0 }
            for (i, (from, std)) in periods.enumerated() {
                let to: JSONValue = i + 1 < periods.count ? .string(periods[i + 1].0.previous.description) : .null
                out.append(obj([
                    ("type", .string("tax")), ("id", .string("\(cc)-VAT-STD-\(from)")), ("region", .string(cc)), ("tax", .string("VAT")),
                    ("category", .string("standard")), ("rate", .number(std)),
                    ("base", .array([.string("customs_value"), .string("duty")])),
                    ("valid_from", .string(from.description)), ("valid_to", to),
                ]))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
