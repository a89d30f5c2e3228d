import CustomsModel
import Foundation
import JSONCore

/// Norway's customs tariff from the Tolletaten open tolltariff API files: the commodity structure
/// (nomenclature), the preferential rates per trade agreement, and the country groups that say
/// which origins each agreement covers. The ordinary (MFN) rate file is not among them, so NO has
/// codes and preferences but no MFN measures: a claimed preference at 0 % prices, anything else
/// needs a `duty_rate` (the engine says so).
extension PackImporter {
    public struct NorwayReport: Sendable {
        public var codes = 0
        public var programs = 0
        public var measures = 0
        public var notAvailable = 0
    }

    public struct NorwayFormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Rate-file agreement code → (country group in `medlemsland.json`, programme name).
    static let norwayAgreements: [String: (group: String, name: String)] = [
        "EU": ("TEF", "EEA Agreement / Norway-EU trade (EU origin)"), "EEA": ("TOES", "EEA Agreement (EEA origin)"),
        "EFTA": ("TEFT", "EFTA Convention"), "GB": ("TGB", "Norway-Iceland-Liechtenstein-UK FTA"),
        "GCC": ("TGCC", "EFTA-GCC FTA"), "SACU": ("TSAC", "EFTA-SACU FTA"), "GL": ("TH", "Greenland"), "FO": ("TI", "Faroe Islands (Hoyvik)"),
        "TR": ("TTYR", "EFTA-Turkey FTA"), "PS": ("TXI", "EFTA-PLO FTA"), "GSP-LDC": ("TGS1", "GSP least developed countries"),
        "GSP": ("TGS2", "GSP ordinary developing countries"), "GSP+": ("TGSP", "GSP+ lower middle income countries"),
        "IN": ("TIN", "EFTA-India TEPA"), "AL": ("TAL", "EFTA-Albania FTA"), "BA": ("TBA", "EFTA-Bosnia and Herzegovina FTA"),
        "CA": ("TCA", "EFTA-Canada FTA"), "CL": ("TCL", "EFTA-Chile FTA"), "CO": ("TCO", "EFTA-Colombia FTA"), "CR": ("TCR", "EFTA-Central America FTA (Costa Rica)"),
        "EC": ("TEC", "EFTA-Ecuador CEPA"), "EG": ("TEG", "EFTA-Egypt FTA"), "GE": ("TGE", "EFTA-Georgia FTA"), "HK": ("THK", "EFTA-Hong Kong FTA"),
        "ID": ("TID", "EFTA-Indonesia CEPA"), "IL": ("TIL", "EFTA-Israel FTA"), "JO": ("TJO", "EFTA-Jordan FTA"), "KR": ("TKR", "EFTA-Korea FTA"),
        "LB": ("TLB", "EFTA-Lebanon FTA"), "MA": ("TMA", "EFTA-Morocco FTA"), "MD": ("TMD", "EFTA-Moldova FTA"), "ME": ("TME", "EFTA-Montenegro FTA"),
        "MK": ("TMK", "EFTA-North Macedonia FTA"), "MX": ("TMX", "EFTA-Mexico FTA"), "PA": ("TPA", "EFTA-Central America FTA (Panama)"),
        "PE": ("TPE", "EFTA-Peru FTA"), "PH": ("TPH", "EFTA-Philippines FTA"), "RS": ("TRS", "EFTA-Serbia FTA"), "SG": ("TSG", "EFTA-Singapore FTA"),
        "TN": ("TTN", "EFTA-Tunisia FTA"), "UA": ("TUA", "EFTA-Ukraine FTA"),
    ]

    /// Returns (nomenclature pack, programmes pack, preference measures pack).
    public static func norway(
        structure: String, agreements: String, members: String,
        nomenclature: Header, programs: Header, measures: Header, validFrom: String
    ) throws(NorwayFormatError) -> (String, String, String, NorwayReport) {
        func json(_ text: String, _ what: String) throws(NorwayFormatError) -> JSONValue {
            do { return try JSONParser.parse(text) } catch { throw NorwayFormatError(description: "\(what): \(error)") }
        }
        var report = NorwayReport()
        // Nomenclature: every commodity (8 digits) and the headings above it.
        var nom = [nomenclature.line]
        var seen = Set<String>()
        func walk(_ v: JSONValue) {
            if let items = v.arrayValue { for i in items { walk(i) }; return }
            guard let o = v.objectValue else { return }
            if o["type"]?.stringValue == "commodity", let id = o["id"]?.stringValue, id.count == 8, id.allSatisfy(\.isNumber), seen.insert(id).inserted {
                let desc = (o["item"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces)
                nom.append(obj([
                    ("type", .string("code")), ("id", .string("NO-\(id)")), ("code", .string(id)),
                    ("description", .string(desc.count > 160 ? String(desc.prefix(157)) + "..." : desc)),
                    ("valid_from", .string(validFrom)), ("valid_to", .null),
                ]))
                report.codes += 1
            }
            for key in ["sections", "chapters", "divisions"] { if let c = o[key] { walk(c) } }
        }
        walk(try json(structure, "customstariffstructure.json")["sections"] ?? .null)
        guard report.codes > 1000 else { throw NorwayFormatError(description: "only \(report.codes) commodities in the structure file (changed format?)") }

        // Programmes: members of each agreement's country group (open-ended memberships).
        var groupMembers: [String: [String]] = [:]
        for c in try json(members, "medlemsland.json")["medlemsland"]?.arrayValue ?? [] {
            guard let cc = c["landkode"]?.stringValue, CountryCode(cc).isAssigned else { continue }
            for g in c["landgrupper"]?.arrayValue ?? [] where (g["tomdato"]?.stringValue ?? "").isEmpty {
                if let code = g["landgruppekode"]?.stringValue { groupMembers[code, default: []].append(cc) }
            }
        }
        var progs = [programs.line]
        var known = Set<String>()
        for sym in norwayAgreements.keys.sorted() {
            let (group, name) = norwayAgreements[sym]!
            let countries = (groupMembers[group] ?? []).sorted()
            guard !countries.isEmpty else { continue }
            progs.append(obj([
                ("type", .string("program")), ("id", .string("NO-PGM-\(sym)")), ("symbol", .string(sym)), ("name", .string(name)),
                ("countries", .array(countries.map(JSONValue.string))), ("claims", .array([.string(sym), .string(name)])),
                ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
            report.programs += 1
            known.insert(sym)
        }

        // Preference measures, grouped by (rate, agreements) with their code lists.
        var groups: [String: (rate: String, programs: [String], codes: [String])] = [:]
        for com in try json(agreements, "ratetradeagreements.json")["commodities"]?.arrayValue ?? [] {
            guard let id = com["id"]?.stringValue, seen.contains(id) else { continue }
            for r in com["rateTradeAgreements"]?.arrayValue ?? [] {
                let duty = r["customDuty"]
                let syms = (r["landCodes"]?.arrayValue ?? []).compactMap(\.stringValue).filter { known.contains($0) }.sorted()
                guard !syms.isEmpty else { continue }
                let rate: String
                if duty?["classifier"]?.stringValue == "FREE" {
                    rate = "0%"
                } else if case .number(let v)? = duty?["value"], let type = duty?["type"]?.stringValue {
                    rate = type == "%" ? "\(v)%" : type == "pr.kg" ? "\(v) NOK/kg" : ""
                } else {
                    report.notAvailable += 1
                    continue  // "NA": the agreement gives no preference on this line.
                }
                guard !rate.isEmpty else { continue }
                let key = rate + "|" + syms.joined(separator: ",")
                groups[key, default: (rate, syms, [])].codes.append(id)
            }
        }
        var mea = [measures.line]
        for (n, key) in groups.keys.sorted().enumerated() {
            let g = groups[key]!
            mea.append(obj([
                ("type", .string("measure")), ("id", .string("NO-PREF-\(n + 1)")), ("codes", .array(g.codes.sorted().map(JSONValue.string))),
                ("measure_type", .string("preference")), ("rate", .string(g.rate)), ("programs", .array(g.programs.map(JSONValue.string))),
                ("legal_ref", .string("Tolletaten tolltariff, preferential rates")), ("valid_from", .string(validFrom)), ("valid_to", .null),
            ]))
            report.measures += 1
        }
        guard report.measures > 0 else { throw NorwayFormatError(description: "no preferential rates found (changed format?)") }
        return (nom.joined(separator: "\n") + "\n", progs.joined(separator: "\n") + "\n", mea.joined(separator: "\n") + "\n", report)
    }
}
