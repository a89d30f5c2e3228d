import Foundation
import Hub
import HubContent
import Screening
import Synchronization
import Testing

/// The screening index cache as the hub uses it (`screen`, `serve` and reloads all load through
/// `EngineLoader.screening`): written on the first load, read on the next, and a corrupted or
/// stale file is rebuilt from the lists.
@Suite struct ScreeningCacheTests {
    /// A lists folder with the test slices of OFAC SDN and UN under its own manifest.
    static func listsFolder() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("customs-hub-lists-\(UUID().uuidString)")
        try fm.createDirectory(at: dir.appendingPathComponent("ofac"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("un"), withIntermediateDirectories: true)
        for (from, to) in [("sdn_slice.csv", "ofac/sdn.csv"), ("alt_slice.csv", "ofac/alt.csv"), ("add_slice.csv", "ofac/add.csv"), ("un_slice.xml", "un/UN_consolidated.xml")] {
            try fm.copyItem(at: repoRoot.appendingPathComponent("Fixtures/screening/\(from)"), to: dir.appendingPathComponent(to))
        }
        let manifest = """
            {"max_age_days": 14, "lists": [
              {"id": "ofac_sdn", "format": "ofac_sdn_csv", "folder": "ofac", "published": "2023-12-28T18:43:24Z"},
              {"id": "un_sc", "format": "un_consolidated_xml", "folder": "un"}]}
            """
        try manifest.write(to: dir.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("The index cache is written, read back with the same hits, and rebuilt when corrupted or stale")
    func cacheIsUsedAndRebuilt() throws {
        let dir = try Self.listsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let logged = Mutex<[String]>([])
        var loader = EngineLoader(root: ContentRoot(url: repoRoot), log: { line in logged.withLock { $0.append(line) } })
        loader.listsDirectory = dir
        let cache = dir.appendingPathComponent("cache/screening-index.bin")
        loader.screeningCachePath = cache
        let queries = ["Nicolas Maduro Moros", "Maduro Moros Nicolas", "Al Qaida", "Banco Nacional de Cuba", "Maria Gonzalez"]
        func answers(_ service: ScreeningService) -> [ScreeningResult] { queries.map { service.screener.screen(ScreeningQuery(name: $0)) } }

        let cold = answers(try loader.screening())
        #expect(cold.contains { $0.decision == .block })
        let written = try Data(contentsOf: cache)
        #expect(written.count > 1_000)
        #expect(answers(try loader.screening()) == cold)
        #expect(logged.withLock { $0 }.isEmpty)

        // A flipped byte: refused (checksum), the index built from the lists, the file written again.
        var corrupted = [UInt8](written)
        corrupted[corrupted.count / 2] ^= 0xFF
        try Data(corrupted).write(to: cache)
        #expect(answers(try loader.screening()) == cold)
        #expect(logged.withLock { $0 }.contains { $0.contains("corrupt") })
        #expect(try Data(contentsOf: cache) == written)

        // Garbage, then a changed list file: refused as not a cache, then as stale.
        try Data("garbage".utf8).write(to: cache)
        #expect(answers(try loader.screening()) == cold)
        #expect(try Data(contentsOf: cache) == written)
        let sdn = dir.appendingPathComponent("ofac/sdn.csv")
        let text = try String(contentsOf: sdn, encoding: .utf8)
        try text.replacingOccurrences(of: "MADURO MOROS, Nicolas", with: "QWERTZY XAVLON, Pim").write(to: sdn, atomically: true, encoding: .utf8)
        let changed = answers(try loader.screening())
        #expect(logged.withLock { $0 }.contains { $0.contains("stale") })
        #expect(changed[0].hits.allSatisfy { $0.entryID != "22790" })
        #expect(try Data(contentsOf: cache) != written)
    }
}
