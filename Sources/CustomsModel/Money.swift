import Foundation

/// An amount of one currency. Never `Double`: customs values, duty and VAT must add up to the cent.
///
/// JSON form is `{"amount": "12.50", "currency": "EUR"}`. The amount is written as a string so
/// that no JSON library on the way (JavaScript, Python floats) can round it; a JSON number is
/// accepted on input.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var amount: Decimal
    public var currency: CurrencyCode

    public init(_ amount: Decimal, _ currency: CurrencyCode) {
        self.amount = amount
        self.currency = currency
    }

    /// Parses an exact decimal string such as `"12.50"`; `nil` if it is not one.
    public init?(_ text: String, _ currency: CurrencyCode) {
        guard let d = Decimal(exactly: text) else { return nil }
        self.init(d, currency)
    }

    enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        currency = try c.decode(CurrencyCode.self, forKey: .currency)
        amount = try c.decodeExactDecimal(forKey: .amount)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amountText, forKey: .amount)
        try c.encode(currency, forKey: .currency)
    }

    public var description: String { "\(amountText) \(currency.rawValue)" }

    /// The amount as text with at least the currency's minor-unit digits (`20.70`, not `20.7`), the
    /// way invoices and declarations show money. Extra precision is kept, never rounded away.
    public var amountText: String {
        let text = amount.plainString
        guard let digits = currency.minorUnits, digits > 0 else { return text }
        let fraction = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        guard fraction < digits else { return text }
        return text + (fraction == 0 ? "." : "") + String(repeating: "0", count: digits - fraction)
    }

    /// Rounded to the currency's minor units (half up, the customs convention unless a
    /// jurisdiction says otherwise).
    public func rounded(_ mode: NSDecimalNumber.RoundingMode = .plain) -> Money {
        Money(amount.rounded(scale: currency.minorUnits ?? 4, mode: mode), currency)
    }

    /// True when the amount has no more fractional digits than the currency allows.
    public var fitsMinorUnits: Bool {
        guard let digits = currency.minorUnits else { return true }
        return amount.fractionalDigits <= digits
    }

    public static func + (a: Money, b: Money) throws(CurrencyMismatch) -> Money {
        guard a.currency == b.currency else { throw CurrencyMismatch(a.currency, b.currency) }
        return Money(a.amount + b.amount, a.currency)
    }

    public static func * (a: Money, factor: Decimal) -> Money { Money(a.amount * factor, a.currency) }

    public static func zero(_ currency: CurrencyCode) -> Money { Money(0, currency) }
}

/// Adding two currencies is a bug to report, not a number to produce.
public struct CurrencyMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public let lhs: CurrencyCode
    public let rhs: CurrencyCode
    init(_ lhs: CurrencyCode, _ rhs: CurrencyCode) {
        self.lhs = lhs
        self.rhs = rhs
    }
    public var description: String { "cannot combine \(lhs) and \(rhs) amounts" }
}

extension Decimal {
    /// The most significant digits a `Decimal` holds exactly; a longer number is refused rather
    /// than silently cut.
    public static let maxSignificantDigits = 38

    /// Parses a decimal string exactly: `[+-]digits[.digits][(e|E)[+-]digits]` (a leading `.5` is
    /// allowed), surrounding spaces ignored. Everything else is refused rather than read by its
    /// prefix: `"12abc"`, `"1.2.3"` and `"14.50.99"` are not numbers, and neither is a value of more
    /// than 38 significant digits or with an exponent beyond ±100, which `Decimal` would truncate.
    public init?(exactly text: String) {
        let t = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func digits() -> Int {
            let from = i
            while i < t.count, t[i] >= 0x30, t[i] <= 0x39 { i += 1 }
            return i - from
        }
        if i < t.count, t[i] == 0x2B || t[i] == 0x2D { i += 1 }
        let intStart = i
        let intPart = digits()
        let intEnd = i
        var fracStart = i
        var fracPart = 0
        if i < t.count, t[i] == 0x2E {
            i += 1
            fracStart = i
            fracPart = digits()
        }
        guard intPart + fracPart > 0 else { return nil }
        var exponent = 0
        if i < t.count, t[i] == 0x65 || t[i] == 0x45 {
            i += 1
            var negative = false
            if i < t.count, t[i] == 0x2B || t[i] == 0x2D {
                negative = t[i] == 0x2D
                i += 1
            }
            let expStart = i
            guard digits() > 0, i - expStart <= 4 else { return nil }
            exponent = t[expStart..<i].reduce(0) { $0 * 10 + Int($1 - 0x30) } * (negative ? -1 : 1)
        }
        guard i == t.count, abs(exponent) <= 100 else { return nil }
        // Significant digits: from the first non-zero digit to the last non-zero one.
        let mantissaDigits = Array(t[intStart..<intEnd]) + Array(t[fracStart..<(fracStart + fracPart)])
        if let first = mantissaDigits.firstIndex(where: { $0 != 0x30 }), let last = mantissaDigits.lastIndex(where: { $0 != 0x30 }),
            last - first + 1 > Self.maxSignificantDigits
        {
            return nil
        }
        guard let d = Decimal(string: String(decoding: t, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else { return nil }
        self = d
    }

    /// Rounds to `scale` fractional digits.
    public func rounded(scale: Int, mode: NSDecimalNumber.RoundingMode = .plain) -> Decimal {
        var input = self
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    /// Number of digits after the decimal mark, ignoring trailing zeros.
    public var fractionalDigits: Int {
        var n = 0
        var v = self
        while v != v.rounded(scale: 0, mode: .down), n < 38 {
            n += 1
            v *= 10
        }
        return n
    }

    /// Locale-free text (`12.5`, `-0.003`), the form used in JSON, EDIFACT and XML output.
    public var plainString: String {
        var v = self
        return NSDecimalString(&v, Locale(identifier: "en_US_POSIX"))
    }
}

extension KeyedDecodingContainer {
    /// Decodes a decimal written as a JSON string (preferred) or a JSON number, exactly.
    public func decodeExactDecimal(forKey key: Key) throws -> Decimal {
        if let s = try? decode(String.self, forKey: key) {
            guard let d = Decimal(exactly: s) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(s)\" is not a decimal number")
            }
            return d
        }
        return try decode(Decimal.self, forKey: key)
    }

    public func decodeExactDecimalIfPresent(forKey key: Key) throws -> Decimal? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeExactDecimal(forKey: key)
    }
}
