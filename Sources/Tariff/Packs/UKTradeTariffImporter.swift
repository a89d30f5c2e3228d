import CustomsModel
import Foundation
import JSONCore

/// Reads the UK Trade Tariff API v2 (`GET /api/v2/commodities/{code}`, JSON:API) into GB measures.
/// A response is `data` (the commodity, its `import_measures` by reference) plus `included`: the
/// measures, each pointing by id at its `measure_type`, `duty_expression` and
/// `geographical_area`. The third-country duty (measure type 103) for ERGA OMNES (area 1011)
/// without an additional code is the MFN rate; preferences, quotas, VAT and trade remedies are
/// counted but left to the other GB packs. Pure: bytes in, values out.
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

    public struct Commodity: Sendable {
        /// The 10-digit goods nomenclature item id.
        public var code: String
        public var description: String
        public var mfn: MFN?
        /// Import measures that are not the MFN duty, by measure type description (e.g. "Tariff preference").
        public var otherMeasures: [String: Int]
    }

    public static let thirdCountryDuty = "103"
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
        var other: [String: Int] = [:]
        for r in refs {
            guard let id = r["id"]?.scalarText, let m = included["measure/" + id] else {
                throw ImportError("commodity \(code): import measure \(r["id"]?.scalarText ?? "?") is not in `included` (changed format?)")
            }
            let type = ref(m, "measure_type") ?? ""
            let area = ref(m, "geographical_area") ?? ""
            guard type == thirdCountryDuty, area == ergaOmnes else {
                let name = included["measure_type/" + type]?["attributes"]?["description"]?.stringValue ?? "measure type \(type)"
                other[name, default: 0] += 1
                continue
            }
            guard let dutyID = ref(m, "duty_expression"), let base = included["duty_expression/" + dutyID]?["attributes"]?["base"]?.stringValue else {
                throw ImportError("commodity \(code): third-country duty \(id) has no duty_expression in `included`")
            }
            let rate = plain(base)
            guard !rate.isEmpty else { throw ImportError("commodity \(code): third-country duty \(id) has an empty duty expression") }
            let a = m["attributes"]?.objectValue
            guard let start = a?["effective_start_date"]?.stringValue ?? a?["validity_start_date"]?.stringValue, start.count >= 10 else {
                throw ImportError("commodity \(code): measure \(id) has no effective_start_date")
            }
            let end = (a?["effective_end_date"]?.stringValue ?? a?["validity_end_date"]?.stringValue).map { String($0.prefix(10)) }
            let additional = m["relationships"]?["additional_code"]?["data"].map { $0 != .null } ?? false
            candidates.append((MFN(measureID: id, rate: rate, validFrom: String(start.prefix(10)), validTo: end), additional))
        }
        // A duty that depends on an additional code (Meursing, end use) is not the general rate.
        let general = candidates.filter { !$0.hasAdditionalCode }.map(\.0).sorted { $0.validFrom < $1.validFrom }
        let description = attributes["description_plain"]?.stringValue ?? attributes["description"]?.stringValue ?? ""
        return Commodity(code: code, description: plain(description), mfn: general.last, otherMeasures: other)
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
