import Foundation
import Testing
@testable import Screening

/// The exact-identifier check looks entities up by identifier instead of passing over every
/// entity's identifiers: it must find exactly the entities, in the same order, that the pass found,
/// and identifiers must compare as they did through `CharacterSet.alphanumerics`.
@Suite struct IdentifierLookupTests {
    /// The comparable form as it was computed before the ASCII path: through the character set.
    static func reference(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    @Test("The comparable form is the character set's on every ASCII character and on non-ASCII text")
    func comparableMatchesTheCharacterSet() {
        for v in UInt8(0)...UInt8(0x7F) {
            let text = "a" + String(UnicodeScalar(v)) + "9"
            #expect(EntityIdentifier.comparable(text) == Self.reference(text), "scalar \(v)")
        }
        for text in ["AB-12 345/6", "gb 123 456 789", "ıd-44", "straße 12", "№ 75312-34", "Ｐ１２３４５", "é1-2", "ＡＢ c", ""] {
            #expect(EntityIdentifier.comparable(text) == Self.reference(text), "\(text)")
        }
    }

    @Test("Entities by identifier: the same entities, in the same order, as a pass over all of them")
    func lookupEqualsTheScan() throws {
        let index = SliceIndex.index
        let all = index.entities.flatMap(\.identifiers)
        try #require(!all.isEmpty, "the slice has no identifiers to look up")
        var queries: [Set<String>] = all.map { [$0.comparable] }
        queries.append(Set(all.prefix(7).map(\.comparable)))
        queries.append(["00000", "not an id"])
        queries.append([])
        for wanted in queries {
            let wanted = wanted.filter { $0.count >= ScreeningIndex.minimumIdentifierLength }
            let scanned = index.entities.indices.filter { index.entities[$0].identifiers.contains { wanted.contains($0.comparable) } }
            #expect(index.entities(withIdentifiers: wanted) == scanned, "\(wanted)")
        }
    }
}
