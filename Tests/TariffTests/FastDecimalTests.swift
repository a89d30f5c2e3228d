import CustomsModel
import Foundation
import Testing

@testable import Tariff

/// `Dec` must give Foundation's bits, not only its values: later arithmetic and text read them.
@Suite struct FastDecimalTests {
    func bits(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }

    /// Amounts, rates and shares as a quote has them: 0 to 7 fraction digits, both signs, zero,
    /// values on rounding boundaries, and some too wide for the fast path.
    func operand(_ g: inout some RandomNumberGenerator) -> Decimal {
        let m: UInt64 = switch Int.random(in: 0..<10, using: &g) {
        case 0: 0
        case 1: 5 * UInt64.random(in: 0...1_000, using: &g)
        case 2: UInt64.random(in: 0...UInt64.max, using: &g)
        default: UInt64.random(in: 1...10_000_000, using: &g)
        }
        let negative = Int.random(in: 0..<6, using: &g) == 0
        return Decimal(sign: negative ? .minus : .plus, exponent: Int.random(in: -7...2, using: &g), significand: Decimal(m))
    }

    @Test func sameBitsAsFoundation() {
        #expect(Dec.verified)
        var g = SystemRandomNumberGenerator()
        let modes: [NSDecimalNumber.RoundingMode] = [.plain, .down, .bankers, .up]
        for _ in 0..<20_000 {
            let a = operand(&g), b = operand(&g), c = operand(&g)
            #expect(bits(Dec.add(a, b)) == bits(a + b), "\(a) + \(b)")
            #expect(bits(Dec.sub(a, b)) == bits(a - b), "\(a) - \(b)")
            #expect(bits(Dec.mul(a, b)) == bits(a * b), "\(a) * \(b)")
            let mode = modes.randomElement(using: &g)!
            let scale = Int.random(in: 0...3, using: &g)
            #expect(bits(Dec.round(a, scale: scale, mode: mode)) == bits(a.rounded(scale: scale, mode: mode)), "round \(a) \(scale) \(mode)")
            #expect(a.text == a.description, "text of \(a)")
            if c != 0 {
                #expect(bits(Dec.mulDivRound(a, b, c, scale: scale, mode: mode)) == bits((a * b / c).rounded(scale: scale, mode: mode)),
                        "\(a) * \(b) / \(c) at \(scale) \(mode)")
            }
        }
    }

    /// An amount converted at an ECB cross rate (1/r1 · r2, 38 digits) has a mantissa over 64 bits;
    /// rounding it must still give Foundation's bits.
    @Test func wideRoundingSameBitsAsFoundation() {
        var g = SystemRandomNumberGenerator()
        let modes: [NSDecimalNumber.RoundingMode] = [.plain, .down, .bankers, .up]
        var wide = 0
        for _ in 0..<20_000 {
            let r1 = Decimal(sign: .plus, exponent: -4, significand: Decimal(UInt64.random(in: 1_000...2_000_000, using: &g)))
            let r2 = Decimal(sign: .plus, exponent: -4, significand: Decimal(UInt64.random(in: 1_000...2_000_000, using: &g)))
            let amount = Decimal(sign: Int.random(in: 0..<5, using: &g) == 0 ? .minus : .plus, exponent: -Int.random(in: 0...3, using: &g),
                                 significand: Decimal(UInt64.random(in: 0...100_000_000, using: &g)))
            let a = amount * (1 / r1 * r2)
            if let (_, m, _) = DecimalLayout.decodeWide(a), m > UInt128(UInt64.max) { wide += 1 }
            let mode = modes.randomElement(using: &g)!
            let scale = Int.random(in: 0...3, using: &g)
            #expect(bits(Dec.round(a, scale: scale, mode: mode)) == bits(a.rounded(scale: scale, mode: mode)), "round \(a) \(scale) \(mode)")
        }
        #expect(wide > 10_000)
    }
}
