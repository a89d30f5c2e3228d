import CustomsModel
import Foundation
import JSONCore

/// Reads the UK Trade Tariff API v2 (`GET /api/v2/commodities/{code}`, JSON:API) into GB measures.
/// A response is `data` (the commodity, its `import_measures` by reference) plus `included`: the
/// measures, each pointing by id at its `measure_type`, `duty_expression` and
/// `geographical_area`. The third-country duty (measure type 103) for ERGA OMNES (area 1011)
/// without an additional code is the MFN rate; a tariff preference (142) without an additional
/// code is kept by geographical area, which `data update` files under the GB programme that names
/// the area. Quotas, VAT and trade remedies are counted but left to the other GB packs. Pure:
/// bytes in, values out.
public enum UKTradeTariffImporter {
    public struct ImportError: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// The answer is about a heading or subheading (a code that is no longer declarable), not a
        /// broken or reformatted answer.
        public var notACommodity = false
        init(_ d: String, notACommodity: Bool = false) {
            description = d
            self.notACommodity = notACommodity
        }
    }

    public struct MFN: Sendable, Hashable {
        /// The API's measure id (`measure_sid`), kept as the legal reference.
        public var measureID: String
        /// The duty expression as the API prints it without markup (`8.00 %`, `12.00 % + 2.50 GBP / 100 kg`).
        public var rate: String
        public var validFrom: String
        public var validTo: String?
    }

    /// A tariff preference (measure type 142) for the origins of one geographical area.
    public struct Preference: Sendable, Hashable {
        public var measureID: String
        /// The area's id: a group (`1013`, European Union) or a country (`JP`).
        public var area: String
        public var areaDescription: String
        /// The countries of a group area as the answer lists them (`children_geographical_areas`);
        /// the country itself for a country area.
        public var members: [String]
        public var rate: String
        public var validFrom: String
        public var validTo: String?
    }

    public struct Commodity: Sendable {
        /// The 10-digit goods nomenclature item id.
        public var code: String
        public var description: String
        public var mfn: MFN?
        /// Tariff preferences without an additional code, the newest per area.
        public var preferences: [Preference] = []
        /// Import measures neither imported as the MFN duty nor as a preference, by measure type description.
        public var otherMeasures: [String: Int]
    }

    public static let thirdCountryDuty = "103"
    public static let tariffPreference = "142"
    public static let ergaOmnes = "1011"

    /// One API response. `requested` is the 10-digit code asked for; a response about another
    /// code is refused (a redirect to a heading, a changed API).
    public static func commodity(_ bytes: some Swift.Collection<UInt8>, requested: String?) throws -> Commodity {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes, limits: JSONParseLimits(maxBytes: 64 << 20)) } catch {
            throw ImportError("not a JSON document (\(error)); truncated download?")
        }
        if let type = root["data"]?["type"]?.stringValue, ["heading", "subheading", "chapter"].contains(type) {
            throw ImportError("the answer is a \(type), not a declarable commodity", notACommodity: true)
        }
        guard let data = root["data"]?.objectValue, data["type"]?.stringValue == "commodity",
              let attributes = data["attributes"]?.objectValue,
              let code = attributes["goods_nomenclature_item_id"]?.stringValue
        else {
            throw ImportError("not a Trade Tariff v2 commodity (needs data.type \"commodity\" and data.attributes.goods_nomenclature_item_id; changed format?)")
        }
        if let requested, code != requested {
            throw ImportError("asked for commodity \(requested), the answer is about \(code)")
        }
        guard let refs = data["relationships"]?["import_measures"]?["data"]?.arrayValue else {
            throw ImportError("commodity \(code): no relationships.import_measures (changed format?)")
        }
        var included: [String: JSONObject] = [:]
        for item in root["included"]?.arrayValue ?? [] {
            guard let o = item.objectValue, let type = o["type"]?.stringValue, let id = o["id"]?.scalarText else { continue }
            included[type + "/" + id] = o
        }
        func ref(_ o: JSONObject, _ relation: String) -> String? { o["relationships"]?[relation]?["data"]?["id"]?.scalarText }
        var candidates: [(MFN, hasAdditionalCode: Bool)] = []
        var preferences: [String: Preference] = [:]
        var other: [String: Int] = [:]
        for r in refs {
            guard let id = r["id"]?.scalarText, let m = included["measure/" + id] else {
                throw ImportError("commodity \(code): import measure \(r["id"]?.scalarText ?? "?") is not in `included` (changed format?)")
            }
            let type = ref(m, "measure_type") ?? ""
            let area = ref(m, "geographical_area") ?? ""
            // A duty that depends on an additional code (Meursing, end use) is not the general rate.
            let additional = m["relationships"]?["additional_code"]?["data"].map { $0 != .null } ?? false
            let isMFN = type == thirdCountryDuty && area == ergaOmnes
            let isPreference = type == tariffPreference && !additional && !area.isEmpty
            guard isMFN || isPreference else {
                let name = included["measure_type/" + type]?["attributes"]?["description"]?.stringValue ?? "measure type \(type)"
                other[name, default: 0] += 1
                continue
            }
            let what = isMFN ? "third-country duty" : "tariff preference"
            guard let dutyID = ref(m, "duty_expression"), let base = included["duty_expression/" + dutyID]?["attributes"]?["base"]?.stringValue else {
                throw ImportError("commodity \(code): \(what) \(id) has no duty_expression in `included`")
            }
            let rate = plain(base)
            guard !rate.isEmpty else { throw ImportError("commodity \(code): \(what) \(id) has an empty duty expression") }
            let a = m["attributes"]?.objectValue
            guard let start = a?["effective_start_date"]?.stringValue ?? a?["validity_start_date"]?.stringValue, start.count >= 10 else {
                throw ImportError("commodity \(code): measure \(id) has no effective_start_date")
            }
            let end = (a?["effective_end_date"]?.stringValue ?? a?["validity_end_date"]?.stringValue).map { String($0.prefix(10)) }
            if isMFN {
                candidates.append((MFN(measureID: id, rate: rate, validFrom: String(start.prefix(10)), validTo: end), additional))
                continue
            }
            guard let g = included["geographical_area/" + area] else {
                throw ImportError("commodity \(code): tariff preference \(id) names geographical area \(area), which is not in `included` (changed format?)")
            }
            let children = (g["relationships"]?["children_geographical_areas"]?["data"]?.arrayValue ?? []).compactMap { $0["id"]?.scalarText }
            let p = Preference(
                measureID: id, area: area, areaDescription: plain(g["attributes"]?["description"]?.stringValue ?? area),
                members: children.isEmpty && area.count == 2 ? [area] : children.sorted(), rate: rate,
                validFrom: String(start.prefix(10)), validTo: end)
            // Several periods for one area: the newest one is the rate in force.
            if let seen = preferences[area], seen.validFrom >= p.validFrom { continue }
            preferences[area] = p
        }
        let general = candidates.filter { !$0.hasAdditionalCode }.map(\.0).sorted { $0.validFrom < $1.validFrom }
        let description = attributes["description_plain"]?.stringValue ?? attributes["description"]?.stringValue ?? ""
        return Commodity(code: code, description: plain(description), mfn: general.last,
                         preferences: preferences.values.sorted { $0.area < $1.area }, otherMeasures: other)
    }

    /// Drops HTML markup (`<span>8.00</span> %`) and folds white space.
    static func plain(_ text: String) -> String {
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\u{00A0}" }).joined(separator: " ")
    }

    /// The measures pack: one MFN measure per commodity, under the code the pack in force used
    /// for it (`packCode`: 8 digits where the old pack set the rate at 8).
    public static func pack(header: PackImporter.Header, commodities: [(packCode: String, commodity: Commodity)]) -> String {
        var out = [header.line]
        for (packCode, c) in commodities.sorted(by: { $0.packCode < $1.packCode }) {
            guard let m = c.mfn else { continue }
            out.append(PackImporter.obj([
                ("type", .string("measure")), ("id", .string("GB-MFN-\(packCode)")), ("code", .string(packCode)),
                ("measure_type", .string("mfn")), ("rate", .string(m.rate)), ("legal_ref", .string("UK Trade Tariff measure \(m.measureID)")),
                ("valid_from", .string(m.validFrom)), ("valid_to", m.validTo.map(JSONValue.string) ?? .null),
            ]))
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension UKTradeTariffImporter {
    /// What the preferences pack holds and what it could not file.
    public struct PreferenceReport: Sendable {
        /// Measures per programme symbol.
        public var byProgram: [String: Int] = [:]
        /// Preferences of areas no GB programme names: area id → (description, count).
        public var unfiled: [String: (description: String, count: Int)] = [:]
        /// Countries an area lists that its programme does not cover: area id → countries.
        public var outsideProgram: [String: Set<String>] = [:]
        public var measures: Int { byProgram.values.reduce(0, +) }
    }

    /// The preferences pack: one `preference` measure per commodity and programme, under the code
    /// the pack in force used (`packCode`). `programs` maps a geographical area to the programme
    /// (its symbol and countries) whose pack record names the area in `geographical_areas`.
    public static func preferencesPack(
        header: PackImporter.Header, commodities: [(packCode: String, commodity: Commodity)],
        programs: [String: (symbol: String, countries: Set<String>)]
    ) -> (String, PreferenceReport) {
        var out = [header.line]
        var report = PreferenceReport()
        for (packCode, c) in commodities.sorted(by: { $0.packCode < $1.packCode }) {
            var filed = Set<String>()
            for p in c.preferences {
                guard let program = programs[p.area] else {
                    report.unfiled[p.area, default: (description: p.areaDescription, count: 0)].count += 1
                    continue
                }
                let outside = Set(p.members).subtracting(program.countries)
                if !outside.isEmpty { report.outsideProgram[p.area, default: []].formUnion(outside) }
                // Two areas of one programme on one code: the first (by area id) is kept.
                guard filed.insert(program.symbol).inserted else { continue }
                report.byProgram[program.symbol, default: 0] += 1
                out.append(PackImporter.obj([
                    ("type", .string("measure")), ("id", .string("GB-PREF-\(packCode)-\(program.symbol)")), ("code", .string(packCode)),
                    ("measure_type", .string("preference")), ("rate", .string(p.rate)), ("programs", .array([.string(program.symbol)])),
                    ("legal_ref", .string("UK Trade Tariff measure \(p.measureID) (tariff preference, \(p.areaDescription))")),
                    ("valid_from", .string(p.validFrom)), ("valid_to", p.validTo.map(JSONValue.string) ?? .null),
                ]))
            }
        }
        return (out.joined(separator: "\n") + "\n", report)
    }
}
