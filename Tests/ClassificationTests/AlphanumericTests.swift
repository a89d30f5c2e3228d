@testable import Classification
import Foundation
import Testing

/// The tokenizer's letter-or-digit test reads ASCII by range instead of through Foundation's set;
/// it must agree with `CharacterSet.alphanumerics` on every scalar, or words would split elsewhere.
@Suite struct AlphanumericTests {
    @Test func agreesWithFoundationsSetOnASCIIAndBeyond() {
        let set = CharacterSet.alphanumerics
        var checked = 0
        // Every ASCII scalar (the part read by range), then a spread of the rest of the first three planes.
        for value in Array(UInt32(0)...0x7F) + Array(stride(from: UInt32(0x80), through: 0x2FFFF, by: 37)) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if TextNormalizer.isAlphanumeric(scalar) != set.contains(scalar) {
                Issue.record("U+\(String(value, radix: 16, uppercase: true)): \(TextNormalizer.isAlphanumeric(scalar)), Foundation \(set.contains(scalar))")
            }
            checked += 1
        }
        #expect(checked > 5_000)
    }
}
