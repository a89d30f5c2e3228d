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
        let t = trimmedBytes(text)
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
        if intPart + fracPart > maxSignificantDigits {
            let mantissa = Array(t[intStart..<intEnd]) + Array(t[fracStart..<(fracStart + fracPart)])
            if let first = mantissa.firstIndex(where: { $0 != 0x30 }), let last = mantissa.lastIndex(where: { $0 != 0x30 }),
                last - first + 1 > maxSignificantDigits
            {
                return nil
            }
        }
        guard let d = Decimal(string: String(decoding: t, as: UTF8.self), locale: posix), !d.isNaN else { return nil }
        return d
    }

    /// The text's UTF-8 without the white space (`CharacterSet.whitespaces`) around it. Text that
    /// starts and ends with a visible ASCII character, as numbers almost always do, is taken as it
    /// is: only text with a space, a tab or a non-ASCII character at either end goes through
    /// Foundation's trimming.
    private static func trimmedBytes(_ text: some StringProtocol) -> [UInt8] {
        let string = String(text)
        let utf8 = string.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return Array(utf8)
        }
        return Array(string.trimmingCharacters(in: .whitespaces).utf8)
    }

    /// True when `text` is already the plain text of its value, `text(parse(text)!)`:
    /// `-?(0|[1-9][0-9]*)(.[0-9]*[1-9])?` in at most 38 characters, not `-0`. Numbers as orders and
    /// mappings write them mostly are, and need no round trip through `Decimal`.
    public static func isPlain(_ text: String) -> Bool {
        let t = text.utf8
        guard !t.isEmpty, t.count <= maxSignificantDigits else { return false }
        var i = t.startIndex
        let negative = t[i] == UInt8(ascii: "-")
        if negative { i = t.index(after: i) }
        guard i < t.endIndex else { return false }
        let first = t[i]
        if first == UInt8(ascii: "0") {
            i = t.index(after: i)
            // "0" alone, or "0." with a fraction; "-0" is not plain ("0" is).
            if i == t.endIndex { return !negative }
        } else {
            guard first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return false }
            while i < t.endIndex, t[i] >= 0x30, t[i] <= 0x39 { i = t.index(after: i) }
            if i == t.endIndex { return true }
        }
        guard t[i] == UInt8(ascii: ".") else { return false }
        i = t.index(after: i)
        var last: UInt8 = 0
        var fraction = 0
        while i < t.endIndex {
            let b = t[i]
            guard b >= 0x30, b <= 0x39 else { return false }
            last = b
            fraction += 1
            i = t.index(after: i)
        }
        return fraction > 0 && last != UInt8(ascii: "0")
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
