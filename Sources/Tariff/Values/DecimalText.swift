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
    /// `decode` for mantissas up to 128 bits (a product with a 38-digit exchange rate).
    static func decodeWide(_ d: Decimal) -> (Bool, UInt128, Int)? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: d) { raw -> (Bool, UInt128, Int)? in
            let exponent = Int(Int8(bitPattern: raw[0]))
            let length = Int(raw[1] >> 4)
            let negative = raw[1] & 0x08 != 0
            guard length <= 8 else { return nil }
            var m: UInt128 = 0
            for w in 0..<length {
                let word = UInt128(raw[4 + 2 * w]) | UInt128(raw[5 + 2 * w]) << 8
                m |= word << (16 * UInt128(w))
            }
            return (negative, m, exponent)
        }
    }

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
        // Trailing zeros a negative exponent allows are dropped; the digits go to a buffer on the
        // stack and the text is written once into the string's own storage.
        var m = mantissa
        var e = exponent
        while e < 0, m % 10 == 0 {
            m /= 10
            e += 1
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { raw -> String in
            let end = raw.count
            var k = end
            repeat {
                k -= 1
                raw[k] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            let count = end - k
            return String(unsafeUninitializedCapacity: 3 + count + Swift.abs(e)) { out in
                var n = 0
                func put(_ b: UInt8) {
                    out[n] = b
                    n += 1
                }
                if negative { put(UInt8(ascii: "-")) }
                if e >= 0 {
                    for i in k..<end { put(raw[i]) }
                    for _ in 0..<e { put(UInt8(ascii: "0")) }
                } else {
                    let frac = -e
                    if count <= frac {
                        put(UInt8(ascii: "0"))
                        put(UInt8(ascii: "."))
                        for _ in 0..<(frac - count) { put(UInt8(ascii: "0")) }
                        for i in k..<end { put(raw[i]) }
                    } else {
                        for i in k..<(end - frac) { put(raw[i]) }
                        put(UInt8(ascii: "."))
                        for i in (end - frac)..<end { put(raw[i]) }
                    }
                }
                return n
            }
        }
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
