import CustomsModel
import Foundation

extension Decimal {
    /// Parses a plain decimal (`-12.345`, `7`, `.5`) without Foundation's locale machinery, which
    /// costs more than the whole duty calculation on the quote path. Exponents and anything else
    /// return `nil`; callers fall back to `Decimal(exactly:)` for those.
    static func fastPlain(_ text: String) -> Decimal? {
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        var seenDot = false
        var negative = false
        var first = true
        for b in text.utf8 {
            defer { first = false }
            switch b {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "+") where first: break
            case UInt8(ascii: "."):
                if seenDot { return nil }
                seenDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits > 18 { return nil }
                mantissa = mantissa * 10 + UInt64(b - UInt8(ascii: "0"))
                if seenDot { exponent -= 1 }
            default: return nil
            }
        }
        if digits == 0 { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
    }

    /// Exact parse: the fast path, else the model's strict parser (exponents).
    static func parseExact(_ text: String) -> Decimal? {
        fastPlain(text) ?? Decimal(exactly: text)
    }

    /// Locale-free text of the value (`22.8`, `-0.5`). Foundation's `description` builds the digits
    /// one division at a time and was the single largest cost of a quote; this reads the 64-bit
    /// mantissa directly when the in-memory layout is the one checked at start-up, and otherwise
    /// (another Foundation, a wide mantissa) falls back to `description`.
    var text: String {
        guard DecimalLayout.verified, let (negative, mantissa, exponent) = DecimalLayout.decode(self) else { return description }
        return DecimalLayout.render(negative: negative, mantissa: mantissa, exponent: exponent)
    }

    /// Text with exactly `scale` fraction digits (`22.80`), the way amounts are printed on a
    /// declaration. The value must already be rounded to `scale`.
    func fixed(_ scale: Int) -> String {
        var s = text
        guard scale > 0 else { return s }
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: s.index(after: dot), to: s.endIndex)
            if have < scale { s += String(repeating: "0", count: scale - have) }
        } else {
            s += "." + String(repeating: "0", count: scale)
        }
        return s
    }
}

/// Reads a `Decimal`'s sign, mantissa and exponent from memory: exponent in byte 0, length (high
/// nibble) and sign (bit 3) in byte 1, the mantissa as little-endian 16-bit words from byte 4. `verified` proves that
/// reading on sample values against `description` once, so a different layout only costs speed.
enum DecimalLayout {
    static func decode(_ d: Decimal) -> (Bool, UInt64, Int)? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: d) { raw -> (Bool, UInt64, Int)? in
            let exponent = Int(Int8(bitPattern: raw[0]))
            let length = Int(raw[1] >> 4)
            let negative = raw[1] & 0x08 != 0
            guard length <= 4 else { return nil }
            var m: UInt64 = 0
            for w in 0..<length {
                let word = UInt64(raw[4 + 2 * w]) | UInt64(raw[5 + 2 * w]) << 8
                m |= word << (16 * UInt64(w))
            }
            return (negative, m, exponent)
        }
    }

    static func render(negative: Bool, mantissa: UInt64, exponent: Int) -> String {
        if mantissa == 0 { return "0" }
        var digits = String(mantissa)
        var e = exponent
        while e < 0, digits.utf8.last == UInt8(ascii: "0") {
            digits.removeLast()
            e += 1
        }
        var out = negative ? "-" : ""
        if e >= 0 {
            out += digits
            out += String(repeating: "0", count: e)
        } else {
            let frac = -e
            let count = digits.utf8.count
            if count <= frac {
                out += "0." + String(repeating: "0", count: frac - count) + digits
            } else {
                let cut = digits.index(digits.startIndex, offsetBy: count - frac)
                out += digits[..<cut]
                out += "."
                out += digits[cut...]
            }
        }
        return out
    }

    static let verified: Bool = {
        let samples = ["0", "1", "-12.345", "1234567890.12", "0.001", "100", "22.80", "-0.5", "651.5", "18446744073709551615", "3.1E5"]
        for s in samples {
            guard let d = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")), let (n, m, e) = decode(d),
                  render(negative: n, mantissa: m, exponent: e) == d.description
            else { return false }
        }
        return true
    }()
}
