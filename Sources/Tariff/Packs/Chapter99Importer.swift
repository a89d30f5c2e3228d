import CSVCore
import CustomsModel
import Foundation
import JSONCore

/// US chapter 99 as data: the country layers of `additional_duties.csv` (IEEPA reciprocal, ended
/// 2026-02-20 with collection stopped for entries from 2026-02-24; Section 301 forced labor under
/// U.S. note 52 from 2026-07-24) and the Section 301 China product lists (U.S. notes 20 and 31).
extension PackImporter {
    /// What the import took and what it left out, for the pack note and the command's output.
    public struct Chapter99Report: Sendable {
        public var measures = 0
        public var productCodes = 0
        public var droppedUnknownCodes = 0
        public var skippedHeadings: [String] = []
    }

    /// IEEPA reciprocal (phase 2) headings 9903.02.xx applied to entries from 2025-08-07; the
    /// Supreme Court held on 2026-02-20 that IEEPA authorises no tariffs, and CBP stopped collecting
    /// them for entries from 2026-02-24, so the last day of collection is 2026-02-23.
    static let ieepaPhase2From = "2025-08-07"
    static let ieepaLastDay = "2026-02-23"
    /// U.S. note 52 (Section 301 forced labor) applies from 2026-07-24 (USTR final action 2026-07-23).
    static let note52From = "2026-07-24"
    /// The packs replay US rates from 2025-01-01 (the HTS stand-in baseline); earlier history of
    /// the Section 301 China lists (2018-2020 start dates) is not modelled.
    static let replayStart = "2025-01-01"

    public static func usChapter99(
        additionalDuties: String, s301Lists: String, header: Header, knownCodes: Set<String>
    ) throws(CSVReader.ParseError) -> (String, Chapter99Report) {
        var out = [header.line]
        var report = Chapter99Report()
        let table = try CSVReader(additionalDuties)
        for col in ["country", "heading", "added_percent", "rate_text", "status", "description"] where table.column(col) == nil {
            throw CSVReader.ParseError(line: 1, message: "additional duties: no column \(col)")
        }
        var rateByHeading: [String: (Decimal, String, String?)] = [:]
        for rec in table.records() {
            let v = rec.values
            let heading = v["heading"] ?? ""
            let country = v["country"] ?? ""
            let rateText = (v["rate_text"] ?? "").trimmingCharacters(in: .whitespaces)
            let status = v["status"] ?? ""
            let desc = v["description"] ?? ""
            let plus = Decimal.parseExact(v["added_percent"] ?? "")
            let bare = rateText.hasSuffix("%") && !rateText.contains("subheading") ? Decimal.parseExact(String(rateText.dropLast())) : nil
            if heading.hasPrefix("9903.88.") || heading.hasPrefix("9903.91.") {
                if let p = plus { rateByHeading[heading] = (p, effectiveFrom(desc) ?? replayStart, effectiveBefore(desc)) }
                continue
            }
            let isPhase2 = heading.hasPrefix("9903.02.") && status.hasPrefix("ended 2026-02-20")
            let isNote52 = (heading.hasPrefix("9903.05.") || heading.hasPrefix("9903.06.")) && status == "in force"
            guard isPhase2 || isNote52 else { continue }
            guard let origins = countryCodes(country) else {
                report.skippedHeadings.append("\(heading) (\(country): no ISO code)")
                continue
            }
            let stacking: String
            let rate: Decimal
            if let p = plus, p > 0, rateText.contains("+") {
                stacking = "plus"
                rate = p
            } else if let b = bare, b > 0 {
                // "15%" / "10%": the total duty for goods whose MFN rate is below it (EU, JP, CH deals).
                stacking = "floor_total"
                rate = b
            } else {
                continue  // "The duty provided in the applicable subheading": the exception line, nothing added.
            }
            var (from, to, what) = isPhase2
                ? (ieepaPhase2From, ieepaLastDay as String?, "IEEPA reciprocal tariff; terminated 2026-02-20 (Learning Resources v. Trump, EO 14389), not collected on entries from 2026-02-24")
                : (note52From, nil as String?, "Section 301 forced labor, U.S. note 52; product carve-outs 9903.05.85-.92 not modelled")
            if isPhase2, let deal = dealStart[country] {
                // The country's "15 % all-in" deal replaced its "+X %" line from the deal's start.
                if stacking == "plus" { to = Day(deal)?.previous.description } else { from = deal }
                what += "; deal start \(deal) per the implementing notices"
            }
            out.append(obj([
                ("type", .string("measure")), ("id", .string("US-\(heading)")), ("code", .string("")),
                ("measure_type", .string("additional")), ("rate", .string("\(rate.text)%")), ("stacking", .string(stacking)),
                ("origins", .array(origins.map { .string($0.rawValue) })),
                ("legal_ref", .string("HTSUS \(heading) (\(what))")),
                ("valid_from", .string(from)), ("valid_to", to.map(JSONValue.string) ?? .null),
            ]))
            report.measures += 1
        }

        // Section 301 China: one rate per product and day, the higher list winning where a code is
        // on several (an 8-digit line split between lists at 10 digits); a 2024 review increase
        // (9903.91) replaces the earlier list rate from its own start.
        let lists = try CSVReader(s301Lists)
        guard let hc = lists.column("hts8"), let cc = lists.column("ch99_code") else {
            throw CSVReader.ParseError(line: 1, message: "s301 lists: expected columns hts8, ch99_code")
        }
        struct Entry { var heading: String; var rate: Decimal; var from: String; var to: String? }
        var byCode: [String: [Entry]] = [:]
        for row in lists.rows.map(\.fields) where row.count > max(hc, cc) {
            let code = digits(row[hc])
            let heading = row[cc].trimmingCharacters(in: .whitespaces)
            // List 4B (9903.88.16) was suspended before it took effect (USTR, 84 FR 69447).
            if heading == "9903.88.16" { continue }
            guard let (rate, from, before) = rateByHeading[heading] else {
                if !report.skippedHeadings.contains(heading) { report.skippedHeadings.append(heading) }
                continue
            }
            guard knownCodes.contains(code) else {
                report.droppedUnknownCodes += 1
                continue
            }
            let start = max(from, replayStart)
            let end = before.flatMap { Day($0)?.previous.description }
            if let end, end < start { continue }
            byCode[code, default: []].append(Entry(heading: heading, rate: rate, from: start, to: end))
        }
        var groups: [String: [String]] = [:]
        var groupInfo: [String: Entry] = [:]
        for (code, entries) in byCode {
            let sorted = entries.sorted { ($0.from, $1.rate) < ($1.from, $0.rate) }
            var kept: [Entry] = []
            for e in sorted {
                if var last = kept.last {
                    if last.from == e.from { continue }  // same start: the higher rate came first
                    if last.to == nil || last.to! >= e.from {
                        last.to = Day(e.from)?.previous.description
                        kept[kept.count - 1] = last
                    }
                }
                kept.append(e)
            }
            for e in kept {
                let key = "\(e.heading)|\(e.from)|\(e.to ?? "")"
                groups[key, default: []].append(code)
                groupInfo[key] = e
            }
        }
        for key in groups.keys.sorted() {
            guard let e = groupInfo[key] else { continue }
            let codes = groups[key, default: []].sorted()
            out.append(obj([
                ("type", .string("measure")), ("id", .string("US-\(e.heading)-\(e.from)" + (e.to.map { "-\($0)" } ?? ""))), ("codes", .array(codes.map(JSONValue.string))),
                ("measure_type", .string("additional")), ("rate", .string("\(e.rate.text)%")), ("stacking", .string("plus")),
                ("origins", .array([.string("CN")])),
                ("legal_ref", .string("HTSUS \(e.heading) (Section 301 China, U.S. notes 20/31; product exclusions not modelled)")),
                ("valid_from", .string(e.from)), ("valid_to", e.to.map(JSONValue.string) ?? .null),
            ]))
            report.measures += 1
            report.productCodes += codes.count
        }
        return (out.joined(separator: "\n") + "\n", report)
    }

    /// Start of the "15 % all-in" IEEPA deals that replaced a country's "+X %" phase-2 line (the
    /// EU's 9903.02.20 applied from the start of phase 2 and needs no entry).
    static let dealStart = ["Japan": "2025-09-16", "South Korea": "2025-11-14", "Switzerland": "2025-11-14", "Liechtenstein": "2025-11-14"]

    static let months = [
        "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
        "September": 9, "October": 10, "November": 11, "December": 12,
    ]

    /// "entries on or after September 27, 2024" → 2024-09-27.
    static func effectiveFrom(_ text: String) -> String? { date(after: "on or after ", in: text) }
    /// "and before January 1, 2026" → 2026-01-01 (the first day no longer covered).
    static func effectiveBefore(_ text: String) -> String? {
        if let d = date(after: "and before ", in: text) { return d }
        return date(after: "through ", in: text).flatMap { Day($0)?.next.description }
    }

    static func date(after marker: String, in text: String) -> String? {
        guard let r = text.range(of: marker) else { return nil }
        let rest = text[r.upperBound...].split(separator: " ", maxSplits: 3).map(String.init)
        guard rest.count >= 3, let m = months[rest[0]], let d = Int(rest[1].filter(\.isNumber)), let y = Int(rest[2].prefix(4)) else { return nil }
        return Day(year: y, month: m, day: d).description
    }

    /// The country names of `additional_duties.csv`; "European Union" is its member states.
    static func countryCodes(_ name: String) -> [CountryCode]? {
        if name == "European Union" { return CountryCode.euMembers.sorted { $0.rawValue < $1.rawValue } }
        return countryByName[name].map { [CountryCode($0)] }
    }

    static let countryByName: [String: String] = [
        "Afghanistan": "AF", "Algeria": "DZ", "Angola": "AO", "Argentina": "AR", "Australia": "AU", "Bahamas": "BS",
        "Bahrain": "BH", "Bangladesh": "BD", "Bolivia": "BO", "Bosnia and Herzegovina": "BA", "Botswana": "BW", "Brazil": "BR",
        "Brunei": "BN", "Cambodia": "KH", "Cameroon": "CM", "Canada": "CA", "Chad": "TD", "Chile": "CL", "China": "CN",
        "Colombia": "CO", "Costa Rica": "CR", "Democratic Republic of the Congo": "CD", "Dominican Republic": "DO",
        "Ecuador": "EC", "Egypt": "EG", "El Salvador": "SV", "Equatorial Guinea": "GQ", "Falkland Islands": "FK", "Fiji": "FJ",
        "Ghana": "GH", "Guatemala": "GT", "Guyana": "GY", "Honduras": "HN", "Hong Kong": "HK", "Iceland": "IS", "India": "IN",
        "Indonesia": "ID", "Iraq": "IQ", "Israel": "IL", "Japan": "JP", "Jordan": "JO", "Kazakhstan": "KZ", "Kuwait": "KW",
        "Laos": "LA", "Lesotho": "LS", "Libya": "LY", "Liechtenstein": "LI", "Madagascar": "MG", "Malawi": "MW",
        "Malaysia": "MY", "Mauritius": "MU", "Mexico": "MX", "Moldova": "MD", "Morocco": "MA", "Mozambique": "MZ",
        "Namibia": "NA", "Nauru": "NR", "New Zealand": "NZ", "Nicaragua": "NI", "Nigeria": "NG", "North Macedonia": "MK",
        "Norway": "NO", "Oman": "OM", "Pakistan": "PK", "Papua New Guinea": "PG", "Peru": "PE", "Philippines": "PH",
        "Qatar": "QA", "Russia": "RU", "Russian Federation": "RU", "Saudi Arabia": "SA", "Serbia": "RS", "Singapore": "SG",
        "South Africa": "ZA", "South Korea": "KR", "Sri Lanka": "LK", "Switzerland": "CH", "Syria": "SY", "Taiwan": "TW",
        "Thailand": "TH", "Trinidad and Tobago": "TT", "Tunisia": "TN", "Turkey": "TR", "Uganda": "UG",
        "United Arab Emirates": "AE", "United Kingdom": "GB", "Uruguay": "UY", "Vanuatu": "VU", "Venezuela": "VE",
        "Vietnam": "VN", "Zambia": "ZM", "Zimbabwe": "ZW",
    ]
}
