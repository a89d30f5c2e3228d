import Foundation
import JSONCore

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
        ExactDecimal.text(amount, minimumPlaces: currency.minorUnits ?? 0)
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
    public static let maxSignificantDigits = ExactDecimal.maxSignificantDigits

    /// Parses a decimal string exactly (`ExactDecimal.parse`): `"1.2.3"`, `"12abc"` and values
    /// of more than 38 significant digits are refused.
    public init?(exactly text: String) {
        guard let d = ExactDecimal.parse(text) else { return nil }
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
    public var plainString: String { ExactDecimal.text(self) }
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
