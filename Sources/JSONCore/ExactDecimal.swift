import Foundation

/// The one exact reader and writer of decimal text in CustomsHub.
///
/// Money, quantities and rates are `Decimal`, and text is where they come from and go to: JSON,
/// CSV, EDIFACT and XML. `Decimal(string:)` reads a prefix (`"1.2.3"` becomes 1.2) and follows the
/// locale; these functions refuse anything that is not one whole number and write no locale.
public enum ExactDecimal {
    /// The most significant digits a `Decimal` holds exactly; a longer number is refused rather
    /// than silently cut.
    public static let maxSignificantDigits = 38

    private static let posix = Locale(identifier: "en_US_POSIX")

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (a leading `.5` is allowed), surrounding
    /// spaces ignored. Everything else is refused rather than read by its prefix: `"12abc"`,
    /// `"1.2.3"` and `"14.50.99"` are not numbers, and neither is a value of more than 38
    /// significant digits or with an exponent beyond ±100, which `Decimal` would truncate.
    public static func parse(_ text: some StringProtocol) -> Decimal? {
        let t = Array(String(text).trimmingCharacters(in: .whitespaces).utf8)
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
        let mantissa = Array(t[intStart..<intEnd]) + Array(t[fracStart..<(fracStart + fracPart)])
        if let first = mantissa.firstIndex(where: { $0 != 0x30 }), let last = mantissa.lastIndex(where: { $0 != 0x30 }),
            last - first + 1 > maxSignificantDigits
        {
            return nil
        }
        guard let d = Decimal(string: String(decoding: t, as: UTF8.self), locale: posix), !d.isNaN else { return nil }
        return d
    }

    /// Locale-free text (`12.5`, `-0.003`), the form used in JSON, EDIFACT and XML output.
    public static func text(_ value: Decimal) -> String {
        var v = value
        return NSDecimalString(&v, posix)
    }

    /// Locale-free text with at least `places` fractional digits (`20.7` → `20.70` for 2), the way
    /// invoices and declarations show amounts. Extra precision is kept, never rounded away.
    public static func text(_ value: Decimal, minimumPlaces places: Int) -> String {
        pad(text(value), toPlaces: places)
    }

    /// Pads plain decimal text to at least `places` fractional digits (`"5"` → `"5.00"`).
    public static func pad(_ text: String, toPlaces places: Int) -> String {
        guard places > 0 else { return text }
        let fraction = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        guard fraction < places else { return text }
        return text + (fraction == 0 ? "." : "") + String(repeating: "0", count: places - fraction)
    }
}
