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

    /// Locale-free text of the value (`22.8`, `-0.5`).
    var text: String { description }

    /// Text with exactly `scale` fraction digits (`22.80`), the way amounts are printed on a
    /// declaration. The value must already be rounded to `scale`.
    func fixed(_ scale: Int) -> String {
        var s = description
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
