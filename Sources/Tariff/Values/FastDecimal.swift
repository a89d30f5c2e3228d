import CustomsModel
import Foundation

/// Exact `Decimal` arithmetic on the 64-bit mantissas a quote's amounts have, giving the very
/// bits Foundation's operators give (its results are compact: trailing zeros stripped, the compact
/// flag set, zero all-zero). Foundation's `+`, `*`, `/` and `NSDecimalRound` work on 128-bit
/// variable-length mantissas and were half of a quote's time. Anything outside the fast domain (a
/// mantissa over 64 bits, an overflow, an exponent out of range, a negative value in a directed
/// rounding mode) goes to Foundation, and so does everything when `verified` fails at start-up.
enum Dec {
    static func add(_ a: Decimal, _ b: Decimal) -> Decimal {
        guard verified, let x = DecimalLayout.decode(a), let y = DecimalLayout.decode(b),
              let r = sum(x, y) else { return a + b }
        return r
    }

    static func sub(_ a: Decimal, _ b: Decimal) -> Decimal {
        guard verified, let x = DecimalLayout.decode(a), let y = DecimalLayout.decode(b),
              let r = sum(x, (!y.0, y.1, y.2)) else { return a - b }
        return r
    }

    static func mul(_ a: Decimal, _ b: Decimal) -> Decimal {
        guard verified, let x = DecimalLayout.decode(a), let y = DecimalLayout.decode(b) else { return a * b }
        if x.1 == 0 || y.1 == 0 { return Decimal() }
        let (m, overflow) = x.1.multipliedReportingOverflow(by: y.1)
        guard !overflow, let r = make(x.0 != y.0, m, x.2 + y.2) else { return a * b }
        return r
    }

    /// `a.rounded(scale:mode:)`.
    static func round(_ a: Decimal, scale: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        guard verified else { return a.rounded(scale: scale, mode: mode) }
        if let x = DecimalLayout.decode(a) {
            return rounded(x.0, UInt128(x.1), x.2, 1, scale, mode) ?? a.rounded(scale: scale, mode: mode)
        }
        // An amount converted at a 38-digit cross rate: up to 128 bits of mantissa, many fraction
        // digits to drop. Foundation drops them one division at a time and rounds on the last
        // digit dropped and whether any other was non-zero, which is exact rounding of the quotient.
        if let x = DecimalLayout.decodeWide(a), let r = roundedDown(x.0, x.1, x.2, scale, mode) { return r }
        return a.rounded(scale: scale, mode: mode)
    }

    /// Rounds (negative?) n · 10^e to `scale` fraction digits when that drops digits (e < −scale);
    /// nil otherwise, or outside the fast domain.
    private static func roundedDown(_ negative: Bool, _ n: UInt128, _ e: Int, _ scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal? {
        let drop = -(e + scale)
        guard n != 0, drop > 0, drop <= 38, !(negative && mode != .plain) else { return nil }
        let den = pow10[drop]
        var q = n / den
        let r = n % den
        if r != 0 {
            switch mode {
            case .plain: if r >= den / 2 { q += 1 }
            case .down: break
            case .up: q += 1
            case .bankers: if r > den / 2 || (r == den / 2 && q % 2 == 1) { q += 1 }
            @unknown default: return nil
            }
        }
        if q == 0 { return DecimalLayout.zero(exponent: -scale) }
        return make(negative, q, -scale)
    }

    /// `(a * b / c).rounded(scale:mode:)`, the quotient rounded once from its exact value. Foundation
    /// divides to 38 significant digits first; the exact quotient of 64-bit operands lies at least
    /// 1/(200c) from any rounding boundary it is not on, far more than that 38th digit, so both
    /// round alike (checked bit for bit on random operands in the tests).
    static func mulDivRound(_ a: Decimal, _ b: Decimal, _ c: Decimal, scale: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        func slow() -> Decimal { (a * b / c).rounded(scale: scale, mode: mode) }
        guard verified, let x = DecimalLayout.decode(a), let y = DecimalLayout.decode(b), let z = DecimalLayout.decode(c),
              z.1 != 0, z.1 < 1 << 60 else { return slow() }
        if x.1 == 0 || y.1 == 0 { return Decimal() }
        let (m, overflow) = x.1.multipliedReportingOverflow(by: y.1)
        guard !overflow, m < 1 << 62 else { return slow() }
        // a·b / c = (m / z) · 10^(e), e = ea + eb − ec.
        return rounded(x.0 != y.0 ? !z.0 : z.0, UInt128(m), x.2 + y.2 - z.2, UInt128(z.1), scale, mode) ?? slow()
    }

    /// Rounds (negative?) n / d · 10^e to `scale` fraction digits; nil outside the fast domain.
    private static func rounded(
        _ negative: Bool, _ n: UInt128, _ e: Int, _ d: UInt128, _ scale: Int, _ mode: NSDecimalNumber.RoundingMode
    ) -> Decimal? {
        if n == 0 { return Decimal() }
        if negative && mode != .plain { return nil }
        // Bring the value to units of 10^-scale: n · 10^(e + scale) / d.
        let shift = e + scale
        var num = n
        var den = d
        if shift >= 0 {
            guard shift <= 18 else { return nil }
            num *= pow10[shift]
            if d == 1 { return make(negative, num, -scale) }
        } else {
            guard -shift <= 18 else { return nil }
            den *= pow10[-shift]
        }
        var q = num / den
        let r = num % den
        if r != 0 {
            switch mode {
            case .plain: if 2 * r >= den { q += 1 }
            case .down: break
            case .up: q += 1
            case .bankers: if 2 * r > den || (2 * r == den && q % 2 == 1) { q += 1 }
            @unknown default: return nil
            }
        }
        // A value rounded away to zero keeps the scale's exponent in Foundation (no length, no flags).
        if q == 0 { return DecimalLayout.zero(exponent: -scale) }
        return make(negative, q, -scale)
    }

    private static func sum(_ x: (Bool, UInt64, Int), _ y: (Bool, UInt64, Int)) -> Decimal? {
        if x.1 == 0 { return y.1 == 0 ? Decimal() : make(y.0, UInt128(y.1), y.2) }
        if y.1 == 0 { return make(x.0, UInt128(x.1), x.2) }
        let e = Swift.min(x.2, y.2)
        guard x.2 - e <= 18, y.2 - e <= 18 else { return nil }
        let a = UInt128(x.1) * pow10[x.2 - e]
        let b = UInt128(y.1) * pow10[y.2 - e]
        if x.0 == y.0 { return make(x.0, a + b, e) }
        if a == b { return Decimal() }
        return a > b ? make(x.0, a - b, e) : make(y.0, b - a, e)
    }

    private static func make(_ negative: Bool, _ m: UInt64, _ e: Int) -> Decimal? { make(negative, UInt128(m), e) }

    /// The compact `Decimal` for (−)m·10^e: trailing zeros moved into the exponent.
    private static func make(_ negative: Bool, _ m: UInt128, _ e: Int) -> Decimal? {
        if m == 0 { return Decimal() }
        var m = m
        var e = e
        while m % 10 == 0 {
            m /= 10
            e += 1
        }
        guard m <= UInt128(UInt64.max), e >= -128, e <= 127 else { return nil }
        return DecimalLayout.encode(negative: negative, mantissa: UInt64(m), exponent: e)
    }

    static let pow10: [UInt128] = {
        var p: [UInt128] = [1]
        for _ in 1...38 { p.append(p.last! * 10) }
        return p
    }()

    /// The fast paths give Foundation's bits on sample operations, including sign changes,
    /// cancellation, carries, rounding modes and zero.
    static let verified: Bool = {
        guard DecimalLayout.verified else { return false }
        func same(_ a: Decimal, _ b: Decimal) -> Bool {
            withUnsafeBytes(of: a) { x in withUnsafeBytes(of: b) { y in x.elementsEqual(y) } }
        }
        let texts = ["0", "1", "-1", "1.5", "2.5", "-2.675", "10", "100", "0.001", "12345.67", "-0.5", "999999.99", "0.1", "7", "-0.004"]
        let values = texts.map { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX"))! }
        for a in values {
            for mode in [NSDecimalNumber.RoundingMode.plain, .down, .bankers] where !(a < 0 && mode != .plain) {
                for s in [0, 2] {
                    guard let x = DecimalLayout.decode(a), let r = rounded(x.0, UInt128(x.1), x.2, 1, s, mode),
                          same(r, a.rounded(scale: s, mode: mode)) else { return false }
                }
            }
            for b in values {
                guard let x = DecimalLayout.decode(a), let y = DecimalLayout.decode(b) else { return false }
                guard let s = sum(x, y), same(s, a + b), let d = sum(x, (!y.0, y.1, y.2)), same(d, a - b) else { return false }
                let p = x.1 == 0 || y.1 == 0 ? Decimal() : make(x.0 != y.0, x.1 * y.1, x.2 + y.2)
                guard let p, same(p, a * b) else { return false }
            }
        }
        return true
    }()
}

extension DecimalLayout {
    /// Zero with an exponent, as Foundation's rounding leaves a value it rounded away.
    static func zero(exponent: Int) -> Decimal? {
        guard exponent >= -128, exponent <= 127 else { return nil }
        var d = Decimal()
        withUnsafeMutableBytes(of: &d) { $0[0] = UInt8(bitPattern: Int8(exponent)) }
        return d
    }

    /// The inverse of `decode` for a compact value: exponent, length, sign and compact flag, mantissa.
    static func encode(negative: Bool, mantissa: UInt64, exponent: Int) -> Decimal {
        var d = Decimal()
        guard mantissa != 0 else { return d }
        let length = mantissa >> 48 != 0 ? 4 : mantissa >> 32 != 0 ? 3 : mantissa >> 16 != 0 ? 2 : 1
        withUnsafeMutableBytes(of: &d) { raw in
            raw[0] = UInt8(bitPattern: Int8(exponent))
            raw[1] = UInt8(length << 4) | (negative ? 0x08 : 0) | 0x04
            raw[2] = 0
            raw[3] = 0
            for w in 0..<4 {
                let word = w < length ? UInt16(truncatingIfNeeded: mantissa >> (16 * UInt64(w))) : 0
                raw[4 + 2 * w] = UInt8(truncatingIfNeeded: word)
                raw[5 + 2 * w] = UInt8(truncatingIfNeeded: word >> 8)
            }
            for k in 12..<20 { raw[k] = 0 }
        }
        return d
    }
}
