import ChildProcess
import Foundation
@testable import JSONCore
import Testing

/// `ExactDecimal`'s fast reader and writer must give Foundation's very bytes and text: every
/// amount in a filing goes through them, and the goldens are byte for byte.
@Suite struct ExactDecimalFastPathTests {
    static func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }

    static func digits(_ n: Int, _ rng: inout SplitMix) -> String {
        String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
    }

    @Test func readsAsFoundationDoesBitForBit() throws {
        #expect(DecimalBits.verified)
        var texts = ["1", "-1", "+5", "5.", ".5", "-.5", "+0.5", "12.50", "100.00", "1000", "0.001", "007", "00012.3400",
                     "0", "-0", "0.0", "-0.0", "0.00", "000.000", " 1", "1 ", "1e3", "1.10e-3", "", "-", ".", "+", "1.2.3", "--1",
                     String(repeating: "9", count: 38), String(repeating: "9", count: 39), "1" + String(repeating: "0", count: 37),
                     "0." + String(repeating: "0", count: 36) + "1", "0." + String(repeating: "0", count: 37) + "1",
                     "0." + String(repeating: "1", count: 38), "-" + String(repeating: "7", count: 38) + ".000"]
        var rng = SplitMix(seed: 12)
        for _ in 0..<20_000 {
            var t = ""
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: t += "-"
            case 1: t += "+"
            default: break
            }
            if Bool.random(using: &rng) { t += String(repeating: "0", count: Int.random(in: 0...3, using: &rng)) }
            t += Self.digits(Int.random(in: 0...22, using: &rng), &rng)
            if Int.random(in: 0..<4, using: &rng) > 0 {
                t += "." + Self.digits(Int.random(in: 0...20, using: &rng), &rng)
                if Bool.random(using: &rng) { t += String(repeating: "0", count: Int.random(in: 1...4, using: &rng)) }
            }
            texts.append(t)
        }
        var fast = 0
        for text in texts {
            let reference = ExactDecimal.foundationParse(text)
            let read = ExactDecimal.parse(text)
            if ExactDecimal.parsePlain(text) != nil { fast += 1 }
            #expect(read.map(Self.bytes) == reference.map(Self.bytes), "\(text)")
        }
        #expect(fast > 15_000)
    }

    @Test func writesAsNSDecimalStringDoes() throws {
        #expect(DecimalBits.verified)
        var rng = SplitMix(seed: 34)
        var values: [Decimal] = [0, Decimal(string: "0.00")!, .nan, Decimal(string: "-0.0")!, 1, -1, Decimal(1) / Decimal(3),
                                 Decimal(2) / Decimal(3), Decimal(string: "1e30")!, Decimal(string: "-1e-40")!, Decimal(UInt64.max)]
        func randomValue() -> Decimal {
            let text = (Bool.random(using: &rng) ? "-" : "") + Self.digits(Int.random(in: 1...19, using: &rng), &rng) + "." + Self.digits(Int.random(in: 0...19, using: &rng), &rng)
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
        }
        for _ in 0..<5_000 {
            let a = randomValue(), b = randomValue()
            values += [a, a * b, a + b, a - b, a.isZero || b.isZero ? a : a / b, a * 1000, a / 1000]
            var r = Decimal(), x = a
            NSDecimalRound(&r, &x, Int.random(in: 0...6, using: &rng), .plain)
            values.append(r)
            // Not compact: trailing zeros kept in the mantissa, which NSDecimalString writes out.
            let m = UInt128(UInt64.random(in: 1...UInt64.max, using: &rng)) * 1000
            if let loose = DecimalBits(negative: Bool.random(using: &rng), mantissa: m, exponent: Int.random(in: -30...10, using: &rng)).decimal {
                values.append(loose)
            }
        }
        var fast = 0
        for v in values {
            if DecimalBits(v) != nil { fast += 1 }
            #expect(ExactDecimal.text(v) == ExactDecimal.foundationText(v), "\(ExactDecimal.foundationText(v))")
        }
        #expect(fast > 30_000)
    }
}
