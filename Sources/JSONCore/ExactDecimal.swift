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

    /// 10⁰ … 10¹⁹.
    private static let powersOfTen: [UInt64] = (0...19).map { n in (0..<n).reduce(1) { p, _ in p * 10 } }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (a leading `.5` is allowed), surrounding
    /// spaces ignored. Everything else is refused rather than read by its prefix: `"12abc"`,
    /// `"1.2.3"` and `"14.50.99"` are not numbers, and neither is a value of more than 38
    /// significant digits or with an exponent beyond ±100, which `Decimal` would truncate.
    public static func parse(_ text: some StringProtocol) -> Decimal? {
        parse(String(text))
    }

    /// `parse` for a `String`: not generic, so that callers in other modules get the byte loop
    /// compiled for `String` rather than a generic walk over `StringProtocol`.
    public static func parse(_ text: String) -> Decimal? {
        if let d = parsePlain(text) { return d }
        return foundationParse(text)
    }

    /// `parse` through Foundation's reader alone (after the checks above): the reference the fast
    /// path is held to, bit for bit, in the tests.
    static func foundationParse(_ text: String) -> Decimal? {
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
    private static func trimmedBytes(_ string: String) -> [UInt8] {
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
        if DecimalBits.verified, let t = DecimalBits(value).map(DecimalBits.text) { return t }
        return foundationText(value)
    }

    /// `text` through Foundation's `NSDecimalString`: the reference the fast path is held to.
    static func foundationText(_ value: Decimal) -> String {
        var v = value
        return NSDecimalString(&v, posix)
    }

    /// The fast path of `parse`: `[+-]?digits[.digits]` with at most 38 digits and a value other
    /// than zero, built straight into `Decimal`'s fields as Foundation's reader builds them
    /// (compact: trailing zeros moved into the exponent). Anything else (spaces, exponents, zero,
    /// longer digit runs) is nil and goes through Foundation. Foundation's `Decimal(string:)` and
    /// `NSDecimalString` were a tenth of a filing's render time.
    static func parsePlain(_ text: String) -> Decimal? {
        guard DecimalBits.verified else { return nil }
        var text = text
        return text.withUTF8(parsePlain)
    }

    private static func parsePlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Decimal? {
        // The mantissa is kept without its trailing zeros: a zero digit is only counted
        // (`pendingZeros`) until a non-zero digit follows it.
        var mantissa: UInt64 = 0
        var wide: UInt128 = 0
        var isWide = false
        var digits = 0
        var pendingZeros = 0
        var fraction = 0
        var negative = false
        var sawPoint = false
        var first = true
        for b in utf8 {
            defer { first = false }
            if b >= 0x30, b <= 0x39 {
                if sawPoint { fraction += 1 }
                if b == 0x30 {
                    // Leading zeros carry no digit.
                    if mantissa != 0 || isWide { digits += 1; pendingZeros += 1 }
                    continue
                }
                digits += 1
                guard digits <= maxSignificantDigits else { return nil }
                let d = UInt64(b &- 0x30)
                if !isWide, digits <= 19 {
                    mantissa = mantissa &* powersOfTen[pendingZeros + 1] &+ d
                } else {
                    if !isWide { wide = UInt128(mantissa); isWide = true }
                    for _ in 0...pendingZeros { wide = wide &* 10 }
                    wide = wide &+ UInt128(d)
                }
                pendingZeros = 0
            } else if b == 0x2E, !sawPoint {
                sawPoint = true
            } else if first, b == 0x2D || b == 0x2B {
                negative = b == 0x2D
            } else {
                return nil
            }
        }
        // Zero (whose exponent Foundation keeps in odd ways), text without a digit and a leading
        // zero run past 38 digits go the slow way.
        guard mantissa != 0 || isWide, digits <= maxSignificantDigits, fraction <= maxSignificantDigits else { return nil }
        let exponent = pendingZeros - fraction
        return DecimalBits(negative: negative, mantissa: isWide ? wide : UInt128(mantissa), exponent: exponent).decimal
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

/// A `Decimal`'s fields read from and written to its 20 bytes: the exponent (a signed byte), then a
/// byte with the length in 16-bit words (high nibble), the sign (bit 3) and the compact flag (bit 2),
/// two reserved bytes and eight little-endian 16-bit mantissa words. Foundation keeps these fields
/// internal; `verified` proves the layout once against Foundation's own reader and writer, and when
/// it does not hold every caller takes Foundation's path, so a different layout costs only speed.
struct DecimalBits {
    var negative: Bool
    var mantissa: UInt128
    var exponent: Int

    init(negative: Bool, mantissa: UInt128, exponent: Int) {
        self.negative = negative
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// Nil for zero and NaN (length 0), which Foundation writes itself.
    init?(_ d: Decimal) {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        let fields = withUnsafeBytes(of: d) { raw -> (Bool, UInt128, Int)? in
            let length = Int(raw[1] >> 4)
            guard length > 0, length <= 8 else { return nil }
            var m: UInt128 = 0
            for w in stride(from: length - 1, through: 0, by: -1) {
                m = m << 16 | UInt128(UInt16(raw[4 + 2 * w]) | UInt16(raw[5 + 2 * w]) << 8)
            }
            return (raw[1] & 0x08 != 0, m, Int(Int8(bitPattern: raw[0])))
        }
        guard let fields else { return nil }
        (negative, mantissa, exponent) = fields
    }

    /// The compact `Decimal` of a mantissa without trailing zeros (nil outside Decimal's range).
    var decimal: Decimal? {
        guard MemoryLayout<Decimal>.size == 20, mantissa != 0, exponent >= -128, exponent <= 127 else { return nil }
        var d = Decimal()
        var m = mantissa
        var length: UInt8 = 0
        withUnsafeMutableBytes(of: &d) { raw in
            for i in 0..<20 { raw[i] = 0 }
            raw[0] = UInt8(bitPattern: Int8(exponent))
            var w = 0
            while m != 0 {
                raw[4 + 2 * w] = UInt8(truncatingIfNeeded: m)
                raw[5 + 2 * w] = UInt8(truncatingIfNeeded: m >> 8)
                m >>= 16
                w += 1
            }
            length = UInt8(w)
            raw[1] = length << 4 | 0x04 | (negative ? 0x08 : 0)
        }
        return d
    }

    /// As `NSDecimalString` writes it: every mantissa digit (trailing zeros of a value that is not
    /// compact included), the point placed by the exponent, zeros added for a positive one.
    static func text(_ bits: DecimalBits) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(40)
        var m = bits.mantissa
        // Nine digits at a time: UInt128 division is the slow part.
        while m >= 1_000_000_000 {
            let (q, r) = m.quotientAndRemainder(dividingBy: 1_000_000_000)
            var chunk = UInt32(r)
            for _ in 0..<9 {
                digits.append(UInt8(chunk % 10) + 0x30)
                chunk /= 10
            }
            m = q
        }
        var rest = UInt32(m)
        repeat {
            digits.append(UInt8(rest % 10) + 0x30)
            rest /= 10
        } while rest != 0
        // `digits` is least significant first.
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + max(bits.exponent, 0) + 4)
        if bits.negative { out.append(0x2D) }
        if bits.exponent >= 0 {
            out.append(contentsOf: digits.reversed())
            out.append(contentsOf: repeatElement(0x30, count: bits.exponent))
        } else {
            let fraction = -bits.exponent
            if digits.count > fraction {
                out.append(contentsOf: digits[fraction...].reversed())
                out.append(0x2E)
                out.append(contentsOf: digits[..<fraction].reversed())
            } else {
                out.append(0x30)
                out.append(0x2E)
                out.append(contentsOf: repeatElement(0x30, count: fraction - digits.count))
                out.append(contentsOf: digits.reversed())
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when reading and writing the fields gives Foundation's very bytes and text on sample
    /// values (checked once per process).
    static let verified: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let posix = Locale(identifier: "en_US_POSIX")
        func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }
        let samples = ["1", "-12.345", "12.50", "1000", "0.001", "-0.5", "651.5", "18446744073709551615",
                       "123456789012345678901234567890123456", "99999999999999999999999999999999999999", "0.0000000000000000000000000000000000001"]
        for s in samples {
            guard let foundation = Decimal(string: s, locale: posix), let bits = DecimalBits(foundation) else { return false }
            var v = foundation
            guard text(bits) == NSDecimalString(&v, posix) else { return false }
            var m = bits.mantissa
            var e = bits.exponent
            while m % 10 == 0 { m /= 10; e += 1 }
            guard let built = DecimalBits(negative: bits.negative, mantissa: m, exponent: e).decimal, bytes(built) == bytes(foundation) else { return false }
        }
        return true
    }()
}
