import CustomsModel
import Foundation
import JSONCore

/// One problem found in a pack, with the place an integrator has to go and fix.
public struct PackIssue: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A pack that failed to load. It lists every issue found, not only the first.
public struct PackLoadError: Error, Sendable, CustomStringConvertible {
    public var issues: [PackIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads the pack format: JSON Lines, a header object on the first line, one rule per line after.
///
/// One rule per line makes `file:line` errors exact and diffs between pack versions readable.
public enum PackParser {
    /// Stops collecting after this many issues; a broken generator should not print 30,000 lines.
    static let maxIssues = 50

    public static func parse(_ text: String, file: String) throws(PackLoadError) -> Pack {
        var issues: [PackIssue] = []
        var pack: Pack?
        var lineNo = 0
        var seenIDs: [String: Int] = [:]
        var rates = RateCache()
        let bytes = Array(text.utf8)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let line = bytes[start..<end]
            start = end + 1
            lineNo += 1
            if issues.count >= maxIssues { break }
            // Blank lines and `#` comments are allowed, so packs can carry notes for reviewers.
            guard let first = line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }), first != 0x23 else { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                issues.append(PackIssue(file: file, line: lineNo, message: "column \(error.position.column): \(error.message)"))
                continue
            }
            guard let object = value.objectValue else {
                issues.append(PackIssue(file: file, line: lineNo, message: "expected a JSON object, found \(value.typeName)"))
                continue
            }
            var f = Fields(object: object, file: file, line: lineNo)
            // Take the pack out while adding to it, so its arrays are not copied on every line.
            guard var current = pack.take() else {
                if let header = f.header() { pack = Pack(header: header, file: file) }
                issues += f.issues
                if pack == nil && f.issues.isEmpty {
                    issues.append(PackIssue(file: file, line: lineNo, message: "the first line must be the pack header"))
                }
                if pack == nil { break }
                continue
            }
            let ref = PackRef(id: current.header.id, version: current.header.version, file: file, line: lineNo)
            current.addRecord(&f, ref: ref, rates: &rates)
            if let id = f.lastID {
                if let first = seenIDs[id] {
                    f.fail("id", "duplicate id \"\(id)\" (first on line \(first))")
                } else {
                    seenIDs[id] = lineNo
                }
            }
            issues += f.issues
            pack = current
        }
        guard var result = pack else {
            if issues.isEmpty { issues.append(PackIssue(file: file, line: 1, message: "empty pack: no header line")) }
            throw PackLoadError(issues: issues)
        }
        issues += PackValidator.validate(&result)
        if !issues.isEmpty { throw PackLoadError(issues: Array(issues.prefix(maxIssues))) }
        return result
    }
}

extension Pack {
    mutating func addRecord(_ f: inout Fields, ref: PackRef, rates: inout RateCache) {
        let type = f.string("type") ?? ""
        guard !type.isEmpty else { return }
        guard header.kind.recordTypes.contains(type) else {
            f.fail("type", "record type \"\(type)\" does not belong in a \(header.kind.rawValue) pack (allowed: \(header.kind.recordTypes.sorted().joined(separator: ", ")))")
            return
        }
        let jur = header.jurisdiction
        let id = f.string("id") ?? ""
        f.lastID = id.isEmpty ? nil : id
        let validity = f.validity()
        guard let validity, !id.isEmpty else { return }
        switch type {
        case "jurisdiction":
            let countries = f.countries("countries") ?? []
            if countries.isEmpty { f.fail("countries", "a jurisdiction needs at least one country") }
            let rounding = RoundingPolicy(
                scale: f.int("rounding_scale") ?? 2,
                mode: f.enumValue("rounding_mode", RoundingPolicy.Mode.self) ?? .halfUp,
                dutyBaseIncrement: f.decimal("duty_base_increment", required: false),
                dutyIncrement: f.decimal("duty_increment", required: false),
                taxBaseIncrement: f.decimal("tax_base_increment", required: false),
                taxIncrement: f.decimal("tax_increment", required: false))
            guard let currency = f.currency("currency"), let valuation = f.enumValue("valuation", ValuationBasis.self, required: true),
                  let fx = f.string("fx_source")
            else { return }
            jurisdictions.append(JurisdictionRule(
                id: id, code: f.string("code", required: false) ?? jur, currency: currency, countries: countries, valuation: valuation,
                fxSource: fx, rounding: rounding, validity: validity, ref: ref))
        case "program":
            guard let symbol = f.string("symbol"), let countries = f.countries("countries") else { return }
            programs.append(PreferenceProgram(
                id: id, jurisdiction: jur, symbol: symbol, name: f.string("name", required: false) ?? symbol,
                countries: Set(countries), claims: Set(f.strings("claims") ?? [symbol]), validity: validity, ref: ref,
                geographicalAreas: f.strings("geographical_areas") ?? []))
        case "code":
            guard let code = f.digits("code") else { return }
            codes.append(NomenclatureCode(
                code: code, description: f.string("description", required: false) ?? "", units: f.strings("units") ?? [],
                validity: validity, line: ref.line))
        case "measure":
            // `codes` (a product list: Section 301 lists run to thousands of 8-digit lines) makes one
            // measure per code under one id; `code` is the usual single prefix.
            var codeList: [String]?
            if f.has("codes") {
                codeList = f.digitList("codes")
            } else if let c = f.digits("code", allowEmpty: true) {
                codeList = [c]
            }
            guard let codes = codeList, let rateText = f.string("rate"),
                  let type = f.enumValue("measure_type", MeasureType.self, required: true)
            else { return }
            let rate = rates.parse(rateText)
            let programs = f.strings("programs") ?? []
            if type == .preference && programs.isEmpty { f.fail("programs", "a preference measure names its programmes") }
            let stacking = f.enumValue("stacking", Stacking.self) ?? (type == .additional ? .plus : .inLieu)
            if stacking == .floorTotal && rate.pureAdValorem == nil {
                f.fail("rate", "a floor_total measure needs a plain ad valorem rate, got \"\(rateText)\"")
            }
            let origins = f.countries("origins").map(Set.init)
            let excludedOrigins = Set(f.countries("excluded_origins") ?? [])
            let excludedCodes = f.strings("excluded_codes") ?? []
            let legalRef = f.string("legal_ref", required: false)
            for code in codes {
                measures.append(Measure(
                    id: id, jurisdiction: jur, code: code, type: type, rate: rate, programs: programs,
                    origins: origins, excludedOrigins: excludedOrigins, excludedCodes: excludedCodes, stacking: stacking,
                    legalRef: legalRef, validity: validity, ref: ref))
            }
        case "tax":
            guard let region = f.string("region"), let rate = f.percent("rate"), let base = f.baseParts("base") else { return }
            taxes.append(TaxRule(
                id: id, jurisdiction: jur, region: region, tax: f.string("tax", required: false) ?? "VAT",
                category: f.string("category", required: false) ?? "standard", rate: rate,
                hsPrefixes: f.strings("hs_prefixes") ?? [], base: base, validity: validity, ref: ref))
        case "threshold":
            // Read every field before giving up, so one pass reports all of a line's mistakes.
            let limit = f.decimal("limit")
            let currency = f.currency("currency")
            let basis = f.enumValue("basis", ThresholdBasis.self, required: true)
            let effectNames = f.strings("effects") ?? []
            var effects: [ThresholdEffect] = []
            for e in effectNames {
                if let v = ThresholdEffect(rawValue: e) { effects.append(v) } else { f.fail("effects", "unknown effect \"\(e)\"") }
            }
            if effects.isEmpty { f.fail("effects", "a threshold needs at least one effect") }
            let comparison = f.string("comparison", required: false) ?? "lte"
            if comparison != "lte" && comparison != "lt" { f.fail("comparison", "must be \"lte\" or \"lt\"") }
            let flat = f.decimal("flat_amount", required: effects.contains(.flatDuty))
            let shipFrom = f.countries("ship_from").map(Set.init)
            let shipFromExcluded = Set(f.countries("ship_from_excluded") ?? [])
            let originsExcluded = Set(f.countries("origins_excluded") ?? [])
            guard let limit, let currency, let basis else { return }
            thresholds.append(ThresholdRule(
                id: id, jurisdiction: jur, scheme: f.string("scheme", required: false) ?? id, limit: limit, currency: currency,
                inclusive: comparison == "lte", basis: basis, effects: effects,
                channels: f.strings("channels").map(Set.init), shipFrom: shipFrom, shipFromExcluded: shipFromExcluded,
                originsExcluded: originsExcluded, regions: f.strings("regions").map(Set.init),
                requiresRegistration: f.string("requires_registration", required: false),
                whenUnregistered: f.enumValue("when_unregistered", UnregisteredHandling.self) ?? .skip,
                registrationWarning: f.string("registration_warning", required: false),
                consignmentTypes: f.strings("consignment_types").map(Set.init),
                excludedHSPrefixes: f.strings("excluded_hs_prefixes") ?? [], flatAmount: flat,
                flatCodeDigits: f.int("flat_code_digits") ?? 6,
                saleTaxBase: f.baseParts("sale_tax_base", required: effects.contains(.taxAtPointOfSale)) ?? [],
                validity: validity, ref: ref,
                effectLabel: effects.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")))
        case "fee":
            guard let name = f.string("name"), let kind = f.enumValue("kind", FeeRule.Kind.self, required: true),
                  let currency = f.currency("currency")
            else { return }
            let amount = kind == .flat ? f.decimal("amount") : f.percent("rate")
            guard let amount else { return }
            fees.append(FeeRule(
                id: id, jurisdiction: jur, name: name, kind: kind, amount: amount, currency: currency,
                minimum: f.decimal("minimum", required: false), maximum: f.decimal("maximum", required: false),
                channels: f.strings("channels").map(Set.init), regions: f.strings("regions").map(Set.init),
                valueAbove: f.decimal("value_above", required: false), valueAtMost: f.decimal("value_at_most", required: false),
                intrinsicBelow: f.decimal("intrinsic_below", required: false),
                limitCurrency: f.has("limit_currency") ? f.currency("limit_currency") : nil,
                payer: f.string("payer", required: false) ?? "importer", validity: validity, ref: ref))
        case "fx":
            guard let source = f.string("source"), let from = f.currency("from"), let to = f.currency("to"),
                  let rate = f.decimal("rate")
            else { return }
            if rate <= 0 { f.fail("rate", "must be positive") }
            fx.append(FXRate(id: id, source: source, from: from, to: to, rate: rate, validity: validity, ref: ref))
        default:
            break
        }
    }
}

/// Tariffs repeat a few thousand rate texts over tens of thousands of lines; each is parsed once.
struct RateCache {
    var parsed: [String: DutyRate] = [:]
    mutating func parse(_ text: String) -> DutyRate {
        if let r = parsed[text] { return r }
        let r = RateTextParser.parse(text)
        parsed[text] = r
        return r
    }
}

/// Typed access to one record's fields that records, instead of throwing, every problem with its
/// field name, so one pass reports all of a line's mistakes.
struct Fields {
    let object: JSONObject
    let file: String
    let line: Int
    var issues: [PackIssue] = []
    var lastID: String?

    init(object: JSONObject, file: String, line: Int) {
        self.object = object
        self.file = file
        self.line = line
    }

    mutating func fail(_ field: String, _ message: String) {
        issues.append(PackIssue(file: file, line: line, message: "\(field): \(message)"))
    }

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    mutating func string(_ key: String, required: Bool = true) -> String? {
        switch object[key] {
        case .string(let s)?: return s
        case nil, .null?:
            if required { fail(key, "missing") }
            return nil
        case let v?:
            fail(key, "expected a string, found \(v.typeName)")
            return nil
        }
    }

    mutating func int(_ key: String) -> Int? {
        guard let v = object[key], v != .null else { return nil }
        if case .number(let t) = v, let i = Int(t) { return i }
        fail(key, "expected an integer")
        return nil
    }

    mutating func decimal(_ key: String, required: Bool = true) -> Decimal? {
        switch object[key] {
        case .string(let s)?, .number(let s)?:
            if let d = Decimal.parseExact(s) { return d }
            fail(key, "\"\(s)\" is not a decimal number")
            return nil
        case nil, .null?:
            if required { fail(key, "missing") }
            return nil
        case let v?:
            fail(key, "expected a decimal, found \(v.typeName)")
            return nil
        }
    }

    /// A rate written in percent (`"19"`, `"0.3464"`), returned as a fraction.
    mutating func percent(_ key: String) -> Decimal? {
        guard let d = decimal(key) else { return nil }
        if d < 0 || d > 1000 { fail(key, "percentage \(d.text) out of range") }
        return d / 100
    }

    mutating func strings(_ key: String) -> [String]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            var out: [String] = []
            for (i, item) in items.enumerated() {
                if let s = item.stringValue { out.append(s) } else { fail("\(key)[\(i)]", "expected a string") }
            }
            return out
        case let v?:
            fail(key, "expected an array of strings, found \(v.typeName)")
            return nil
        }
    }

    mutating func countries(_ key: String) -> [CountryCode]? {
        guard let list = strings(key) else { return nil }
        var out: [CountryCode] = []
        for (i, s) in list.enumerated() {
            let c = CountryCode(s)
            if c.isAssigned { out.append(c) } else { fail("\(key)[\(i)]", "unknown country code \"\(s)\"") }
        }
        return out
    }

    mutating func currency(_ key: String) -> CurrencyCode? {
        guard let s = string(key) else { return nil }
        let c = CurrencyCode(s)
        guard c.isAssigned else {
            fail(key, "unknown currency code \"\(s)\"")
            return nil
        }
        return c
    }

    /// A commodity code or prefix: digits only, even length up to 10 (empty = all goods when allowed).
    mutating func digits(_ key: String, allowEmpty: Bool = false) -> String? {
        guard let s = string(key) else { return nil }
        let ok = s.allSatisfy { $0.isASCII && $0.isNumber } && s.count % 2 == 0 && s.count <= 10 && (allowEmpty || !s.isEmpty)
        if !ok {
            fail(key, "unknown commodity code \"\(s)\" (expected an even number of digits, at most 10)")
            return nil
        }
        return s
    }

    /// A non-empty list of commodity codes (`codes`), each as `digits` checks it.
    mutating func digitList(_ key: String) -> [String]? {
        guard let list = strings(key) else { return nil }
        let bad = list.filter { c in !(c.allSatisfy { $0.isASCII && $0.isNumber } && c.count % 2 == 0 && (2...10).contains(c.count)) }
        if let first = bad.first { fail(key, "unknown commodity code \"\(first)\" (expected an even number of digits, at most 10)") }
        if list.isEmpty { fail(key, "an empty code list covers nothing") }
        return bad.isEmpty && !list.isEmpty ? list : nil
    }

    mutating func enumValue<E: RawRepresentable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        guard let s = string(key, required: required) else { return nil }
        guard let v = E(rawValue: s) else {
            fail(key, "unknown value \"\(s)\"")
            return nil
        }
        return v
    }

    mutating func baseParts(_ key: String, required: Bool = true) -> [TaxBasePart]? {
        guard let names = strings(key) else {
            if required { fail(key, "missing") }
            return nil
        }
        var out: [TaxBasePart] = []
        for n in names {
            if let p = TaxBasePart(rawValue: n) { out.append(p) } else { fail(key, "unknown base part \"\(n)\"") }
        }
        return out
    }

    mutating func day(_ key: String, required: Bool) -> Day? {
        guard let s = string(key, required: required) else { return nil }
        guard let d = Day(s) else {
            fail(key, "\"\(s)\" is not a YYYY-MM-DD date")
            return nil
        }
        return d
    }

    /// Every rule carries `valid_from` and `valid_to` (null = open); asking for both keeps an
    /// omitted end from silently meaning "forever".
    mutating func validity() -> Validity? {
        guard let from = day("valid_from", required: true) else { return nil }
        guard object["valid_to"] != nil else {
            fail("valid_to", "missing (write null for an open end)")
            return nil
        }
        let to = day("valid_to", required: false)
        if let to, to < from {
            fail("valid_to", "\(to) is before valid_from \(from)")
            return nil
        }
        return Validity(from: from, to: to)
    }

    mutating func header() -> PackHeader? {
        guard object["pack"] != nil else {
            fail("pack", "the first line must be the pack header with \"pack\", \"jurisdiction\", \"kind\", \"version\", \"source\", \"source_date\"")
            return nil
        }
        let id = string("pack")
        let jur = string("jurisdiction")
        let kind = enumValue("kind", PackKind.self, required: true)
        let version = string("version")
        let source = string("source")
        let date = day("source_date", required: true)
        guard let id, let jur, let kind, let version, let source, let date else { return nil }
        return PackHeader(
            id: id, jurisdiction: jur, kind: kind, version: version, source: source, sourceDate: date,
            licence: string("licence", required: false), note: string("note", required: false))
    }
}
