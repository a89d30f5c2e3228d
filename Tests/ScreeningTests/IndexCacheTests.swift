import CustomsModel
import Foundation
import Testing
@testable import Screening

/// The prebuilt-index cache: read back, it screens exactly as the index it was written from, and
/// bytes that are not such a cache are refused, never trusted and never a crash.
@Suite struct IndexCacheTests {
    static let key = ScreeningIndexCache.key([("manifest.json", Data("slices".utf8))])
    static let bytes = ScreeningIndexCache.encode(SliceIndex.index, key: key)

    /// Every entry's primary name and first alias, spelt a little differently, with negatives and qualifiers.
    static var queries: [ScreeningQuery] {
        var out: [ScreeningQuery] = []
        for (i, e) in SliceIndex.index.entities.enumerated() {
            out.append(ScreeningQuery(name: e.primaryName, type: i % 3 == 0 ? e.type : nil))
            if let alias = e.names.dropFirst().first { out.append(ScreeningQuery(name: String(alias.text.dropLast()), country: "RU")) }
            out.append(ScreeningQuery(name: e.primaryName.split(separator: " ").reversed().joined(separator: " "), dateOfBirth: BirthDate(year: 1970)))
            if let id = e.identifiers.first { out.append(ScreeningQuery(name: "Someone Else", identifiers: [id.value])) }
        }
        return out + ["Maria Gonzalez", "Acme Trading GmbH", "Владимир Путин", "Al Qaida", "alqaida", "Banco Nacional de Cuba"].map { ScreeningQuery(name: $0) }
    }

    @Test("An index read back from its cache gives the same hits as the cold build")
    func sameHitsAsColdBuild() throws {
        let cached = try ScreeningIndexCache.decode(Self.bytes, key: Self.key)
        #expect(cached.nameCount == SliceIndex.index.nameCount && cached.vocabularySize == SliceIndex.index.vocabularySize)
        #expect(cached.versions == SliceIndex.index.versions && cached.entities == SliceIndex.index.entities)
        #expect(cached.equivalentPairs == SliceIndex.index.equivalentPairs && cached.deletionTable == SliceIndex.index.deletionTable)
        let thresholds = Thresholds(review: 0.5, block: Thresholds.standard.block)
        let cold = Screener(index: SliceIndex.index, thresholds: thresholds, maxHits: 50)
        let warm = Screener(index: cached, thresholds: thresholds, maxHits: 50)
        let queries = Self.queries
        try #require(queries.count > 1_000)
        var hits = 0
        for q in queries {
            let a = cold.screen(q), b = warm.screen(q)
            #expect(a == b, "\(q.name)")
            hits += a.hits.count
        }
        #expect(hits > 1_000)
        // Written again from the read-back index, the cache is the same bytes.
        #expect(ScreeningIndexCache.encode(cached, key: Self.key) == Self.bytes)
    }

    @Test("A cache built from other list files, another format, truncated or corrupted is refused")
    func refusesWhatItCannotTrust() throws {
        func refusal(_ bytes: [UInt8], key: String = Self.key) -> String? {
            do {
                _ = try ScreeningIndexCache.decode(bytes, key: key)
                return nil
            } catch { return error.description }
        }
        #expect(refusal(Self.bytes, key: ScreeningIndexCache.key([("manifest.json", Data("other".utf8))]))?.hasPrefix("stale") == true)
        #expect(refusal(Array("not a cache at all".utf8)) == "not a screening index cache")
        #expect(refusal([]) == "not a screening index cache")
        var format = Self.bytes
        format[12] &+= 1
        #expect(refusal(format)?.hasPrefix("format ") == true)
        #expect(refusal(Array(Self.bytes.dropLast(7)))?.hasPrefix("truncated") == true)
        for position in stride(from: Self.bytes.count - 1, to: 200, by: -(Self.bytes.count / 97)) {
            var flipped = Self.bytes
            flipped[position] ^= 0x20
            #expect(refusal(flipped) == "corrupt: checksum mismatch", "byte \(position)")
        }
    }

    /// A payload that passed its checksum but is damaged (a faulty writer) is refused by the
    /// table checks, or read as some index, but never read out of bounds.
    @Test("Damaged payloads behind a valid checksum are refused or read safely")
    func damagedPayloadsNeverCrash() throws {
        let header = ScreeningIndexCache.magic.count + 8 + 64 + 64 + 8
        let payload = Array(Self.bytes[header...])
        try #require(payload.count > 10_000)
        var refused = 0
        for cut in stride(from: 0, to: payload.count, by: payload.count / 50) {
            #expect(throws: ScreeningCacheError.self) { try ScreeningIndexCache.decodePayload(Array(payload[..<cut])) }
        }
        // Fixed damage (a multiplicative hash of the round), so a failure is the same on every run.
        func mix(_ i: Int) -> Int { Int(truncatingIfNeeded: (UInt64(i + 23) &* 0x9E37_79B9_7F4A_7C15) >> 11) }
        for round in 0..<150 {
            var damaged = payload
            for k in 0..<3 {
                let h = mix(round * 3 + k)
                damaged[h % damaged.count] = UInt8(truncatingIfNeeded: h >> 32)
            }
            guard let parts = try? ScreeningIndexCache.decodePayload(damaged) else {
                refused += 1
                continue
            }
            let screener = Screener(index: ScreeningIndex(parts: parts))
            for q in ["Nicolas Maduro Moros", "Al Qaida", "Maria Gonzalez"] { _ = screener.screen(ScreeningQuery(name: q)) }
        }
        #expect(refused > 0)
    }
}
