import CustomsModel
import Foundation

/// The quantity a specific duty is charged on. Tariffs print it in many spellings (`kg`, `100kg`,
/// `doz.`, `pr.`, `hl`); the parser folds them into these so evaluation needs one switch.
public enum RateUnit: String, Sendable, Hashable, Codable {
    case kg, item, pair, dozen, litre
}

/// One parsed piece of a duty expression. Specific amounts keep their own currency because a
/// tariff may print a foreign one (the EU CET in EUR, the UK tariff in GBP, US cents).
public enum DutyComponent: Sendable, Hashable {
    /// A fraction of the customs value (`0.165` for 16.5 %).
    case adValorem(Decimal)
    /// `amount` of `currency` per `per` units (e.g. 17 EUR per 100 kg → per = 100, unit = kg).
    case specific(amount: Decimal, currency: CurrencyCode, per: Decimal, unit: RateUnit)
}

/// A duty rate parsed once from the tariff text, which is kept verbatim for explanations.
///
/// `base` components are added together; `minimum`/`maximum` clamp that sum (EU "MIN … MAX …").
/// A text the parser cannot express exactly (component values such as "on the case", entry price
/// systems, seasonal rates) stays unpriceable: the engine reports it instead of guessing.
public struct DutyRate: Sendable, Hashable {
    public var raw: String
    public var base: [DutyComponent]
    public var minimum: [DutyComponent]
    public var maximum: [DutyComponent]
    /// Why the text could not be priced; `nil` when it can.
    public var unpriceableReason: String?

    public var isPriceable: Bool { unpriceableReason == nil }

    public init(raw: String, base: [DutyComponent], minimum: [DutyComponent] = [], maximum: [DutyComponent] = []) {
        self.raw = raw
        self.base = base
        self.minimum = minimum
        self.maximum = maximum
        self.unpriceableReason = nil
    }

    public init(unpriceable raw: String, reason: String) {
        self.raw = raw
        self.base = []
        self.minimum = []
        self.maximum = []
        self.unpriceableReason = reason
    }

    /// An ad valorem rate the caller supplies as a fraction (e.g. from a binding ruling).
    public static func adValorem(_ fraction: Decimal, raw: String? = nil) -> DutyRate {
        DutyRate(raw: raw ?? "\((fraction * 100).text)%", base: [.adValorem(fraction)])
    }

    /// The single ad valorem fraction when the rate is exactly that (used by floor stacking).
    public var pureAdValorem: Decimal? {
        guard isPriceable, minimum.isEmpty, maximum.isEmpty else { return nil }
        if base.isEmpty { return 0 }
        guard base.count == 1, case .adValorem(let f) = base[0] else { return nil }
        return f
    }

    /// The units this rate needs quantities for, so a missing weight is reported before pricing.
    public var unitsNeeded: Set<RateUnit> {
        var s = Set<RateUnit>()
        for c in base + minimum + maximum { if case .specific(_, _, _, let u) = c { s.insert(u) } }
        return s
    }
}

/// Quantities of one line in the units tariffs charge on.
public struct LineQuantities: Sendable, Hashable {
    public var items: Decimal
    public var netKilograms: Decimal?
    public var litres: Decimal?

    public init(items: Decimal, netKilograms: Decimal? = nil, litres: Decimal? = nil) {
        self.items = items
        self.netKilograms = netKilograms
        self.litres = litres
    }

    func amount(of unit: RateUnit) -> Decimal? {
        switch unit {
        case .kg: netKilograms
        case .item, .pair: items
        case .dozen: items / 12
        case .litre: litres
        }
    }
}

/// Why a rate could not be evaluated for a line; the engine turns it into a field error.
public enum RateEvaluationError: Error, Sendable, Hashable {
    case unpriceable(String)
    case missingQuantity(RateUnit)
    case noExchangeRate(CurrencyCode)
}

extension DutyRate {
    /// Duty for one line in `currency`, unrounded. `convert` turns a specific amount printed in
    /// another currency into `currency` (the tariff's own conversion rate, not the shop's).
    public func evaluate(
        customsValue: Decimal, quantities: LineQuantities, currency: CurrencyCode,
        convert: (Decimal, CurrencyCode) -> Decimal?
    ) throws(RateEvaluationError) -> Decimal {
        if let reason = unpriceableReason { throw .unpriceable(reason) }
        func sum(_ parts: [DutyComponent]) throws(RateEvaluationError) -> Decimal {
            var total: Decimal = 0
            for part in parts {
                switch part {
                case .adValorem(let f):
                    total = Dec.add(total, Dec.mul(customsValue, f))
                case .specific(let amount, let cur, let per, let unit):
                    guard let q = quantities.amount(of: unit) else { throw .missingQuantity(unit) }
                    // Most specific rates are per one unit: the product alone, without a Foundation division.
                    var a = per == 1 ? Dec.mul(amount, q) : amount * q / per
                    if cur != currency {
                        guard let c = convert(a, cur) else { throw .noExchangeRate(cur) }
                        a = c
                    }
                    total = Dec.add(total, a)
                }
            }
            return total
        }
        var duty = try sum(base)
        if !minimum.isEmpty { duty = Swift.max(duty, try sum(minimum)) }
        if !maximum.isEmpty { duty = Swift.min(duty, try sum(maximum)) }
        return duty
    }
}

/// Parses the duty texts of the US HTS (`4.4¢/kg + 7.5%`, `44¢ each`, `$1.21/kg`, `Free`) and of the
/// UK/EU tariffs (`4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item`, `14.00% + 17.00 GBP/100kg`).
public enum RateTextParser {
    public static func parse(_ raw: String) -> DutyRate {
        let text = raw
            .replacingOccurrences(of: "\u{00A0}", with: " ")
            .replacingOccurrences(of: "€", with: " EUR ")
            .trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return DutyRate(unpriceable: raw, reason: "no rate text") }
        if text.caseInsensitiveCompare("Free") == .orderedSame { return DutyRate(raw: raw, base: []) }
        var tokens = tokenize(text)[...]
        var base: [DutyComponent] = []
        var minimum: [DutyComponent] = []
        var maximum: [DutyComponent] = []
        var target = 0  // 0 base, 1 minimum, 2 maximum
        var expectTerm = true
        while let tok = tokens.first {
            if expectTerm {
                guard let term = parseTerm(&tokens) else {
                    return DutyRate(unpriceable: raw, reason: "rate text \"\(raw)\" is not a plain ad valorem/specific/compound rate")
                }
                switch target {
                case 0: base.append(term)
                case 1: minimum.append(term)
                default: maximum.append(term)
                }
                expectTerm = false
                continue
            }
            tokens.removeFirst()
            switch tok {
            case .plus: break
            case .word(let w) where w == "MIN": target = 1
            case .word(let w) where w == "MAX": target = 2
            default:
                return DutyRate(unpriceable: raw, reason: "rate text \"\(raw)\" has a qualifier the engine cannot price")
            }
            expectTerm = true
        }
        if expectTerm || base.isEmpty {
            return DutyRate(unpriceable: raw, reason: "rate text \"\(raw)\" is incomplete")
        }
        return DutyRate(raw: raw, base: base, minimum: minimum, maximum: maximum)
    }

    enum Token: Hashable {
        case number(Decimal)
        case percent, cent, dollar, slash, plus
        case word(String)
    }

    static func tokenize(_ s: String) -> [Token] {
        var out: [Token] = []
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                var digits = ""
                while j < chars.count {
                    let d = chars[j]
                    if d.isNumber || d == "." { digits.append(d); j += 1; continue }
                    // "1,000 items": a comma followed by exactly three digits groups thousands.
                    if d == ",", j + 3 < chars.count, chars[(j + 1)...(j + 3)].allSatisfy(\.isNumber),
                       j + 4 >= chars.count || !chars[j + 4].isNumber {
                        j += 1
                        continue
                    }
                    break
                }
                if let d = Decimal.parseExact(digits) { out.append(.number(d)) } else { out.append(.word(digits)) }
                i = j
                continue
            }
            switch c {
            case "%": out.append(.percent)
            case "¢": out.append(.cent)
            case "$": out.append(.dollar)
            case "/": out.append(.slash)
            case "+": out.append(.plus)
            default:
                var j = i
                var w = ""
                while j < chars.count, !" \t%¢$/+".contains(chars[j]), !(chars[j].isNumber && w.isEmpty) {
                    w.append(chars[j])
                    j += 1
                }
                if w.isEmpty { w = String(c); j = i + 1 }
                out.append(.word(w))
                i = j
                continue
            }
            i += 1
        }
        return out
    }

    static let unitWords: [String: (RateUnit, Decimal)] = [
        "kg": (.kg, 1), "tonne": (.kg, 1000), "t": (.kg, 1000),
        "item": (.item, 1), "items": (.item, 1), "each": (.item, 1), "No.": (.item, 1), "no.": (.item, 1),
        "doz.": (.dozen, 1), "doz": (.dozen, 1), "pr.": (.pair, 1), "pair": (.pair, 1), "pairs": (.pair, 1),
        "liter": (.litre, 1), "litre": (.litre, 1), "l": (.litre, 1), "hl": (.litre, 100),
    ]

    static func parseTerm(_ t: inout ArraySlice<Token>) -> DutyComponent? {
        let save = t
        func fail() -> DutyComponent? { t = save; return nil }
        // $N/unit or $N each
        if t.first == .dollar {
            t.removeFirst()
            guard case .number(let n)? = t.first else { return fail() }
            t.removeFirst()
            guard let (unit, per) = parseUnit(&t, allowEach: true) else { return fail() }
            return .specific(amount: n, currency: "USD", per: per, unit: unit)
        }
        guard case .number(let n)? = t.first else { return fail() }
        t.removeFirst()
        switch t.first {
        case .percent?:
            t.removeFirst()
            return .adValorem(n / 100)
        case .cent?:
            t.removeFirst()
            guard let (unit, per) = parseUnit(&t, allowEach: true) else { return fail() }
            return .specific(amount: n / 100, currency: "USD", per: per, unit: unit)
        case .word(let w)? where w.count == 3 && w.allSatisfy(\.isUppercase):
            t.removeFirst()
            guard let (unit, per) = parseUnit(&t, allowEach: false) else { return fail() }
            return .specific(amount: n, currency: CurrencyCode(w), per: per, unit: unit)
        default:
            return fail()
        }
    }

    /// `/kg`, `/ 100 kg`, `/100kg`, `/ item`, `/ 1,000 items`, ` each`.
    static func parseUnit(_ t: inout ArraySlice<Token>, allowEach: Bool) -> (RateUnit, Decimal)? {
        if allowEach, case .word("each")? = t.first {
            t.removeFirst()
            return (.item, 1)
        }
        guard t.first == .slash else { return nil }
        t.removeFirst()
        var per: Decimal = 1
        if case .number(let n)? = t.first {
            per = n
            t.removeFirst()
        }
        guard case .word(let w)? = t.first, let (unit, scale) = unitWords[w] else { return nil }
        t.removeFirst()
        // A further "/ qualifier" (net drained wt, % vol, lactic matter) changes the quantity basis.
        if t.first == .slash { return nil }
        return (unit, per * scale)
    }
}
