/// Code types decode whatever string the sender wrote and are checked by validation, not by the
/// decoder: a decoder stops at the first bad value, validation reports every one at once.
///
/// A code is its text: written from a literal, coded as a JSON string, printed as itself.
public protocol StringCode: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String, StringLiteralType == String {
    init(rawValue: String)
}

extension StringCode {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }
}

/// ISO 3166-1 alpha-2 country code (plus the customs user-assigned codes XI and XK).
public struct CountryCode: StringCode, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func < (a: CountryCode, b: CountryCode) -> Bool { a.rawValue < b.rawValue }

    /// True for officially assigned ISO 3166-1 codes and XI/XK, which customs systems use.
    public var isAssigned: Bool { Self.table[rawValue] != nil }
    public var name: String? { Self.table[rawValue]?.name }
    public var alpha3: String? { Self.table[rawValue]?.alpha3 }

    struct Entry: Sendable { let alpha3: String; let numeric: String; let name: String }

    static let table: [String: Entry] = {
        var t: [String: Entry] = [:]
        for (a2, a3, num, name) in ISOTables.countries { t[a2] = Entry(alpha3: a3, numeric: num, name: name) }
        t["XI"] = Entry(alpha3: "", numeric: "", name: "United Kingdom (Northern Ireland)")
        t["XK"] = Entry(alpha3: "XKX", numeric: "", name: "Kosovo")
        return t
    }()

    public static var allAssigned: [CountryCode] { table.keys.sorted().map(CountryCode.init(rawValue:)) }

    /// The 27 EU member states (2026), the customs and VAT union that many rules apply to as one.
    public static let euMembers: Set<CountryCode> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    public var isEUMember: Bool { Self.euMembers.contains(self) }
}

/// ISO 4217 currency code with its minor-unit digits.
public struct CurrencyCode: StringCode {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var isAssigned: Bool { Self.table[rawValue] != nil }
    public var name: String? { Self.table[rawValue]?.name }
    /// Digits after the decimal mark (JPY 0, EUR 2, KWD 3); `nil` for units such as gold (XAU).
    public var minorUnits: Int? { Self.table[rawValue]?.minor }

    struct Entry: Sendable { let numeric: String; let name: String; let minor: Int? }

    static let table: [String: Entry] = {
        var t: [String: Entry] = [:]
        for (code, num, name, minor) in ISOTables.currencies { t[code] = Entry(numeric: num, name: name, minor: minor) }
        return t
    }()

    public static var allAssigned: [CurrencyCode] { table.keys.sorted().map(CurrencyCode.init(rawValue:)) }
}

/// ISO 3166-2 subdivision (`CA-ON`, `US-NY`). Orders may give the bare part (`ON`) with the country.
public struct SubdivisionCode: StringCode {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The full `CC-XXX` code in `country`, accepting either form; `nil` when not a subdivision of it.
    public func qualified(in country: CountryCode) -> String? {
        let full = rawValue.contains("-") ? rawValue : "\(country.rawValue)-\(rawValue)"
        guard full.hasPrefix(country.rawValue + "-"), Self.all.contains(full) else { return nil }
        return full
    }

    static let all: Set<String> = Set(ISOTables.subdivisions.split(separator: " ").map(String.init))
}

/// Incoterms 2020 rule. Decides who pays import duties and taxes, which the duty engine and the
/// courier filings need.
public struct Incoterm: StringCode {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let known: [String: String] = [
        "EXW": "Ex Works", "FCA": "Free Carrier", "CPT": "Carriage Paid To", "CIP": "Carriage and Insurance Paid To",
        "DAP": "Delivered at Place", "DPU": "Delivered at Place Unloaded", "DDP": "Delivered Duty Paid",
        "FAS": "Free Alongside Ship", "FOB": "Free on Board", "CFR": "Cost and Freight", "CIF": "Cost, Insurance and Freight",
    ]
    public var isKnown: Bool { Self.known[rawValue] != nil }
    /// Only under DDP does the seller pay import duty and tax; under every other rule the buyer does.
    public var sellerPaysImportDuties: Bool { rawValue == "DDP" }
}

/// How the goods travel; drives which filings a route needs.
public enum TransportMode: String, Hashable, Sendable, Codable, CaseIterable {
    case courier, postal, air, road, rail, sea
}

/// UN/ECE Recommendation 20 unit of measure, the code customs declarations carry.
public struct UnitCode: StringCode {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The Rec 20 codes that appear on customs declarations and e-commerce orders.
    public static let known: [String: String] = [
        "C62": "one", "H87": "piece", "PCE": "piece", "EA": "each", "NAR": "number of articles", "NPR": "number of pairs",
        "PR": "pair", "DZN": "dozen", "SET": "set", "KT": "kit", "PK": "pack", "BX": "box", "BO": "bottle", "CT": "carton",
        "KGM": "kilogram", "GRM": "gram", "TNE": "tonne", "LBR": "pound", "ONZ": "ounce",
        "LTR": "litre", "MLT": "millilitre", "MTQ": "cubic metre", "MTR": "metre", "CMT": "centimetre",
        "MTK": "square metre", "KWH": "kilowatt hour", "CEN": "hundred", "MIL": "thousand", "NCL": "number of cells",
        "CTM": "metric carat", "GFI": "gram of fissile isotopes", "LPA": "litre of pure alcohol",
    ]
    public var isKnown: Bool { Self.known[rawValue] != nil }
    public static let piece: UnitCode = "PCE"
}

/// An HS-based commodity code as the merchant or classifier gave it: 6 digits (HS subheading) up to
/// 10 (national tariff line). Dots and spaces are dropped on the way in (`6109.10.00` → `61091000`).
public struct HSCode: StringCode {
    public let rawValue: String
    public init(rawValue: String) {
        self.rawValue = String(rawValue.filter { $0 != "." && $0 != " " })
    }

    /// Well formed: digits only, an even length from 4 to 10.
    public var isWellFormed: Bool {
        rawValue.allSatisfy(\.isASCII) && rawValue.allSatisfy(\.isNumber) && [4, 6, 8, 10].contains(rawValue.count)
    }
    public var chapter: String { String(rawValue.prefix(2)) }
    public var heading: String { String(rawValue.prefix(4)) }
    /// The HS-6 subheading, the level shared by every WCO member; `nil` when shorter.
    public var subheading: String? { rawValue.count >= 6 ? String(rawValue.prefix(6)) : nil }

    /// The section of the Harmonized System (I to XXI) the chapter belongs to, as its number; `nil`
    /// for a chapter the HS does not have (77, 98, 99 are national or reserved).
    public var section: Int? {
        guard let chapter = Int(chapter) else { return nil }
        // The first chapter of each section, II to XXI (HS 2022 nomenclature, section notes).
        let starts = [6, 15, 16, 25, 28, 39, 41, 44, 47, 50, 64, 68, 71, 72, 84, 86, 90, 93, 94, 97]
        guard (1...97).contains(chapter), chapter != 77 else { return nil }
        return 1 + starts.filter { chapter >= $0 }.count
    }
}
