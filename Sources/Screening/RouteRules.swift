import CustomsModel
import Foundation

/// Embargo and restricted-goods rules as dated data (`Data/screening/route_rules.json`): a new
/// designation or a lifted embargo is a data change with an effective date, not a code change.
public struct RouteRules: Hashable, Sendable, Codable {
    public var version: String
    public var rules: [RouteRule]

    public init(version: String, rules: [RouteRule]) {
        self.version = version
        self.rules = rules
    }

    /// Decodes and checks the rules; errors name the rule.
    public static func decode(_ data: Data) throws(ListLoadError) -> RouteRules {
        let rules: RouteRules
        do { rules = try JSONDecoder().decode(RouteRules.self, from: data) } catch {
            throw ListLoadError(file: "route_rules.json", message: "\(error)")
        }
        var ids = Set<String>()
        for rule in rules.rules {
            guard ids.insert(rule.id).inserted else { throw ListLoadError(file: "route_rules.json", message: "rule \(rule.id): duplicate id") }
            guard RouteRule.isDay(rule.effectiveFrom), rule.effectiveTo.map(RouteRule.isDay) ?? true else {
                throw ListLoadError(file: "route_rules.json", message: "rule \(rule.id): dates must be YYYY-MM-DD")
            }
            guard rule.action != .clear else { throw ListLoadError(file: "route_rules.json", message: "rule \(rule.id): action must be review or block") }
            switch rule.kind {
            case .country where rule.countries.isEmpty, .region where rule.keywords.isEmpty || rule.countries.isEmpty:
                throw ListLoadError(file: "route_rules.json", message: "rule \(rule.id): \(rule.kind.rawValue) rule needs countries\(rule.kind == .region ? " and keywords" : "")")
            case .goods where rule.keywords.isEmpty && rule.hsPrefixes.isEmpty:
                throw ListLoadError(file: "route_rules.json", message: "rule \(rule.id): goods rule needs hs_prefixes or keywords")
            default: break
            }
        }
        return rules
    }

    /// Every rule in force on `date` that the route or a line triggers, in rule order.
    public func evaluate(route: RouteContext, lines: [GoodsLine] = [], on date: Date) -> [RuleFinding] {
        let day = String(Timestamp.format(date).prefix(10))
        var findings: [RuleFinding] = []
        // Each line's description folded once for all the goods rules (` words `).
        var folded = [String?](repeating: nil, count: lines.count)
        func foldedLine(_ k: Int) -> String {
            if let text = folded[k] { return text }
            let text = RouteRule.padded(lines[k].description)
            folded[k] = text
            return text
        }
        for rule in rules where rule.isInForce(on: day) {
            switch rule.kind {
            case .country:
                for (subject, country) in route.countries where rule.countries.contains(country) {
                    findings.append(rule.finding(subject: subject, detail: "\(country.rawValue) is under \(rule.programme)"))
                }
            case .region:
                for (subject, country, text) in route.addresses where rule.countries.contains(country) {
                    if let keyword = rule.firstKeyword(in: text) {
                        findings.append(rule.finding(subject: subject, detail: "address mentions '\(keyword)' (\(rule.programme))"))
                    }
                }
            case .goods:
                guard rule.destinations.contains("*") || rule.destinations.contains(route.destination.rawValue) else { continue }
                for (k, line) in lines.enumerated() {
                    if let hs = line.hsCode?.rawValue, let prefix = rule.hsPrefixes.first(where: { hs.hasPrefix($0) }) {
                        findings.append(rule.finding(subject: "line:\(line.id)", detail: "HS \(hs) falls under \(prefix) (\(rule.programme))"))
                    } else if !rule.keywords.isEmpty, let keyword = rule.firstKeyword(inFolded: foldedLine(k)) {
                        findings.append(rule.finding(subject: "line:\(line.id)", detail: "description mentions '\(keyword)' (\(rule.programme))"))
                    }
                }
            }
        }
        return findings
    }
}

public struct RouteRule: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Comprehensive embargo on a country: any party, origin, ship-from or destination there.
        case country
        /// A region inside a country (Crimea, so-called DNR/LNR), recognised from address text.
        case region
        /// Restricted goods by HS prefix or description keyword, per destination (`*` = all).
        case goods
    }

    public var id: String
    public var kind: Kind
    public var authority: String
    public var programme: String
    public var action: Decision
    public var effectiveFrom: String
    public var effectiveTo: String?
    public var countries: [CountryCode]
    public var keywords: [String] { didSet { paddedKeywords = keywords.map(Self.padded) } }
    /// `keywords` folded as texts are, with a space on each side (` word `): folded once, not per line.
    private var paddedKeywords: [String] = []
    public var destinations: [String]
    public var hsPrefixes: [String]
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, authority, programme, action
        case effectiveFrom = "effective_from"
        case effectiveTo = "effective_to"
        case countries, keywords, destinations
        case hsPrefixes = "hs_prefixes"
        case note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        authority = try c.decode(String.self, forKey: .authority)
        programme = try c.decode(String.self, forKey: .programme)
        action = try c.decode(Decision.self, forKey: .action)
        effectiveFrom = try c.decode(String.self, forKey: .effectiveFrom)
        effectiveTo = try c.decodeIfPresent(String.self, forKey: .effectiveTo)
        countries = try c.decodeIfPresent([CountryCode].self, forKey: .countries) ?? []
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        paddedKeywords = keywords.map(Self.padded)
        destinations = try c.decodeIfPresent([String].self, forKey: .destinations) ?? ["*"]
        hsPrefixes = try c.decodeIfPresent([String].self, forKey: .hsPrefixes) ?? []
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    /// From is inclusive, to is exclusive: a rule lifted on a day no longer applies that day.
    func isInForce(on day: String) -> Bool {
        effectiveFrom <= day && (effectiveTo.map { day < $0 } ?? true)
    }

    static func isDay(_ s: String) -> Bool { BirthDate.parse(s)?.isExactDay == true && s.count == 10 }

    /// Keywords match whole normalised words (`gun` does not fire on `burgundy`).
    func firstKeyword(in text: String) -> String? {
        firstKeyword(inFolded: Self.padded(text))
    }

    /// `firstKeyword(in:)` for a text already folded and padded (`padded(text)`).
    func firstKeyword(inFolded words: String) -> String? {
        for (keyword, padded) in zip(keywords, paddedKeywords) where Self.contains(words, padded) { return keyword }
        return nil
    }

    /// The text as keywords are matched against it: folded (lower-case ASCII words, one space
    /// between them) with a space on each side.
    static func padded(_ text: String) -> String { " " + NameNormaliser.fold(text).0 + " " }

    /// Whether `needle` occurs in `text`: compared byte for byte when both are ASCII (what folding
    /// gives, and where Foundation's `contains` compares the same bytes), by Foundation otherwise.
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        let found = text.withUTF8 { t in
            needle.withUTF8 { n -> Bool? in
                guard !t.contains(where: { $0 >= 0x80 }), !n.contains(where: { $0 >= 0x80 }) else { return nil }
                if n.isEmpty { return false }
                guard n.count <= t.count else { return false }
                let first = n[0]
                for start in 0...(t.count - n.count) where t[start] == first {
                    var k = 1
                    while k < n.count && t[start + k] == n[k] { k += 1 }
                    if k == n.count { return true }
                }
                return false
            }
        }
        return found ?? text.contains(needle)
    }

    func finding(subject: String, detail: String) -> RuleFinding {
        RuleFinding(ruleID: id, action: action, subject: subject, detail: detail, authority: authority, programme: programme)
    }
}

/// Where an order goes and who is on it, as the rules see it.
public struct RouteContext: Hashable, Sendable {
    public var destination: CountryCode
    /// (subject, country): `destination`, `ship_from`, `origin`, `party:consignee`…
    public var countries: [(String, CountryCode)]
    /// (subject, country, address text) for region rules.
    public var addresses: [(String, CountryCode, String)]

    public init(destination: CountryCode, shipFrom: CountryCode? = nil, origins: [CountryCode] = [], parties: [(role: String, country: CountryCode, address: String)] = []) {
        self.destination = destination
        var countries: [(String, CountryCode)] = [("destination", destination)]
        if let shipFrom { countries.append(("ship_from", shipFrom)) }
        for origin in origins { countries.append(("origin", origin)) }
        for party in parties { countries.append(("party:\(party.role)", party.country)) }
        self.countries = countries
        addresses = parties.map { ("party:\($0.role)", $0.country, $0.address) }
    }

    /// The route of a canonical order.
    public init(order: Order) {
        self.init(
            destination: order.shipment.destinationCountry, shipFrom: order.shipment.shipFromCountry, origins: order.originCountries,
            parties: order.parties.map {
                (role: $0.role.rawValue, country: $0.country, address: ($0.addressLines + [$0.city, $0.region ?? ""]).joined(separator: ", "))
            })
    }

    public static func == (a: RouteContext, b: RouteContext) -> Bool {
        a.destination == b.destination && a.countries.map(\.0) == b.countries.map(\.0) && a.countries.map(\.1) == b.countries.map(\.1)
            && a.addresses.map(\.2) == b.addresses.map(\.2)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(destination)
        for (s, c) in countries { hasher.combine(s); hasher.combine(c) }
    }
}

/// One order line as the goods rules see it.
public struct GoodsLine: Hashable, Sendable {
    public var id: String
    public var hsCode: HSCode?
    public var description: String

    public init(id: String, hsCode: HSCode?, description: String) {
        self.id = id
        self.hsCode = hsCode
        self.description = description
    }
}

public struct RuleFinding: Hashable, Sendable, Codable {
    public var ruleID: String
    public var action: Decision
    public var subject: String
    public var detail: String
    public var authority: String
    public var programme: String

    enum CodingKeys: String, CodingKey {
        case ruleID = "rule_id"
        case action, subject, detail, authority, programme
    }
}
