import Foundation
import Testing

/// `data update --source cbsa-tariff` and `--source au-working-tariff`: the Canadian and Australian
/// schedules read from the hand-written tables in `Fixtures/data-update` served on loopback. A first
/// fetch makes the pack; a second, with one item re-rated and one added, archives the first and
/// prints the diff; a quote prices at the imported rate; a truncated, reformatted, empty or shrunken
/// fetch leaves the pack in force byte for byte.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateScheduleTests {
    struct Source: Sendable {
        var name: String
        var jurisdiction: String
        var sample: String
        var pack: String
        var file: String
        /// The sample with one item re-rated and one added (the next edition).
        var next: @Sendable (String) -> String
        var changed: String
        var emptyTable: String
        /// What the first fetch prints, and what the next one prints.
        var first: String
        var second: String
        /// A quote on an imported rate and the duty line it must show.
        var request: String
        var duty: String
    }

    static let sources: [Source] = [
        Source(
            name: "cbsa-tariff", jurisdiction: "CA", sample: "cbsa-customs-tariff.csv", pack: "ca-customs-tariff", file: "Data/packs/CA/customs-tariff.jsonl",
            next: { $0.replacingOccurrences(of: "4202.21.00,Trunks and cases; handbags.,-Handbags:,--With outer surface of leather,NMB,10.5%", with: "4202.21.00,Trunks and cases; handbags.,-Handbags:,--With outer surface of leather,NMB,8%")
                + "9504.50.00,Video game consoles and machines.,,,NMB,Free,Free,Free,Free,Free,Free,Free,Free\n" },
            changed: "Tariff Item,Description,Most-Favoured-Nation Tariff\n0101.21.00,Pure-bred breeding animals,Free\n",
            emptyTable: "TARIFF,DESC1,DESC2,DESC3,UOM,MFN,GPT,LDCT,UST,MXT,CEUT,CPTPT,UKT\n",
            // UST is the CA programme (CUSMA); the other treatments have none in the packs.
            first: "cbsa-tariff: ca-customs-tariff@none -> ca-customs-tariff@2026-12-01.1: 10 codes added (01012100, 01012900, 04061010, 04061020, 22083000, ...), 0 removed, 0 re-rated; 10 tariff items, preferences: UST 10; 1 general rates the engine cannot price (22083000); not imported (no CA programme): 10 CEUT, 10 CPTPT, 4 GPT, 8 LDCT, 10 MXT, 10 UKT",
            second: "cbsa-tariff: ca-customs-tariff@2026-12-01.1 -> ca-customs-tariff@2026-12-02.1: 1 codes added (95045000), 0 removed, 1 re-rated (42022100); 11 tariff items",
            request: #"{"id":"c","date":"2026-12-03","destination":"CA","origin":"CN","currency":"CAD","lines":[{"hs_code":"6109100010","quantity":1,"value":"1000"}]}"#,
            duty: #""measure":"CA-MFN-61091000","type":"mfn","rate":"18%","amount":{"amount":"180.00","currency":"CAD"}"#),
        Source(
            name: "au-working-tariff", jurisdiction: "AU", sample: "au-working-tariff-schedule3.csv", pack: "au-working-tariff", file: "Data/packs/AU/working-tariff.jsonl",
            next: { $0.replacingOccurrences(of: "2204.21.00,71,L,--In containers holding 2 L or less,5%", with: "2204.21.00,71,L,--In containers holding 2 L or less,4%")
                + "9504.50.00,00,No,-Video game consoles and machines,Free,\n" },
            changed: "<html><head><title>Schedule 3 - Chapter 1</title></head><body><table><tr><td>0101.21.00</td></tr></table></body></html>\n",
            emptyTable: "Reference Number,Statistical Code,Unit,Goods,Rate,Tariff Concession Orders\n",
            first: "au-working-tariff: au-working-tariff@none -> au-working-tariff@2026-12-01.1: 9 codes added (01012100, 01012900, 22042100, 22083000, 42022100, ...), 0 removed, 0 re-rated; 9 tariff items; 1 general rates the engine cannot price (22083000); not imported (no AU programme): 3 DCS, 3 DCT",
            second: "au-working-tariff: au-working-tariff@2026-12-01.1 -> au-working-tariff@2026-12-02.1: 1 codes added (95045000), 0 removed, 1 re-rated (22042100); 10 tariff items",
            request: #"{"id":"a","date":"2026-12-03","destination":"AU","origin":"DE","currency":"AUD","lines":[{"hs_code":"6109100010","quantity":1,"value":"2000"}]}"#,
            duty: #""measure":"AU-GEN-61091000","type":"mfn","rate":"5%","amount":{"amount":"100.00","currency":"AUD"}"#),
    ]

    func sample(_ s: Source) throws -> String {
        try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/\(s.sample)"), encoding: .utf8)
    }

    /// A content root with the repository's packs of the destination (and FX), no schedule pack yet.
    func root(_ s: Source) throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("schedule-update-\(UUID().uuidString)")
        for sub in ["Data/packs", "Schemas"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        for j in [s.jurisdiction, "FX"] { try fm.copyItem(at: CLI.root.appendingPathComponent("Data/packs/\(j)"), to: dir.appendingPathComponent("Data/packs/\(j)")) }
        #expect(!fm.fileExists(atPath: dir.appendingPathComponent(s.file).path))
        return dir
    }

    func update(_ s: Source, _ from: String, _ dir: URL, at: String) async throws -> CLI.Result {
        try await CLI.run(["data", "update", "--source", s.name, "--from", from, "--at", at, "--content", dir.path])
    }

    @Test(arguments: sources.indices) func goodFetchesMakeVersionsADiffAndAQuote(_ i: Int) async throws {
        let s = Self.sources[i]
        let dir = try root(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try sample(s)
        let server = try SampleServer(routes: ["/schedule": .full(Data(full.utf8)), "/next": .full(Data(s.next(full).utf8))])
        defer { server.stop() }
        let r = try await update(s, server.url("/schedule"), dir, at: "2026-12-01")
        #expect(r.status == 0, "\(s.name): \(r.stderr)")
        #expect(r.stdout.contains(s.first), "\(s.name): \(r.stdout)")
        let text = try String(contentsOf: dir.appendingPathComponent(s.file), encoding: .utf8)
        #expect(text.hasPrefix(#"{"pack":"\#(s.pack)","jurisdiction":"\#(s.jurisdiction)","kind":"measures","version":"2026-12-01.1""#), "\(text.prefix(200))")
        #expect(text.contains(#""source_date":"2026-12-01""#))
        // The same table again is no change.
        let again = try await update(s, server.url("/schedule"), dir, at: "2026-12-02")
        #expect(again.status == 0 && again.stdout.contains("\(s.name): unchanged (\(s.pack)@2026-12-01.1"), "\(again.stdout) \(again.stderr)")
        let next = try await update(s, server.url("/next"), dir, at: "2026-12-02")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains(s.second), "\(s.name): \(next.stdout)")
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/\(s.jurisdiction)").path)
        #expect(archived == ["\(s.pack)@2026-12-01.1.jsonl"])
        // A quote prices at the imported general rate and names the pack with its age.
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((s.request + "\n").utf8))
        #expect(q.status == 0, "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(s.duty), "\(s.name): \(q.stdout)")
        #expect(q.stdout.contains(#""pack":"\#(s.pack)@2026-12-02.1","source_date":"2026-12-02","age_days":1"#), "\(q.stdout)")
    }

    /// Fresh cheese within the access commitment is left out of the CUSMA blanket preference (supply
    /// management); the schedule's UST column prices a CUSMA claim on it at Free instead of MFN.
    @Test func cbsaTreatmentColumnPricesAClaimedPreference() async throws {
        let s = Self.sources[0]
        let dir = try root(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = #"{"id":"u","date":"2026-12-03","destination":"CA","origin":"US","currency":"CAD","preference_claimed":"CUSMA","lines":[{"hs_code":"0406101000","quantity":1,"value":"1000","net_weight_kg":"100"}]}"#
        let before = try await CLI.run(["quote", "--content", dir.path], stdin: Data((request + "\n").utf8))
        #expect(!before.stdout.contains("CA-UST-04061010"), "\(before.stdout)")
        let file = CLI.root.appendingPathComponent("Fixtures/data-update/\(s.sample)").path
        let r = try await update(s, file, dir, at: "2026-12-01")
        #expect(r.status == 0, "\(r.stderr)")
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((request + "\n").utf8))
        #expect(q.status == 0, "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(#""measure":"CA-UST-04061010","type":"preference","rate":"Free","amount":{"amount":"0.00","currency":"CAD"}"#), "\(q.stdout)")
        // Without the claim the MFN specific rate applies: 100 kg at CAD 3.32/kg.
        let mfn = try await CLI.run(["quote", "--content", dir.path], stdin: Data((request.replacingOccurrences(of: #""preference_claimed":"CUSMA","#, with: "") + "\n").utf8))
        #expect(mfn.stdout.contains(#""measure":"CA-MFN-04061010","type":"mfn","rate":"3.32 CAD/kg","amount":{"amount":"332.00","currency":"CAD"}"#), "\(mfn.stdout) \(mfn.stderr)")
    }

    /// The table sources (and chapter 99) are importable, run only when named, and say why.
    @Test func sourcesListTheTableImporters() async throws {
        let r = try await CLI.run(["data", "sources"])
        #expect(r.status == 0)
        let byName = Dictionary(r.json.compactMap { o in (o["source"] as? String).map { ($0, o) } }, uniquingKeysWith: { a, _ in a })
        #expect((byName["cbsa-tariff"]?["what"] as? String)?.hasPrefix("CA tariff schedule pack (Data/packs/CA/customs-tariff.jsonl)") == true)
        #expect((byName["au-working-tariff"]?["what"] as? String)?.hasPrefix("AU tariff schedule pack (Data/packs/AU/working-tariff.jsonl)") == true)
        #expect((byName["eu-taric"]?["what"] as? String)?.hasPrefix("EU MFN and preferences packs") == true)
        for name in ["cbsa-tariff", "au-working-tariff", "eu-taric", "us-chapter99"] {
            #expect((byName[name]?["only_with_source"] as? String)?.contains("--from") == true, "\(name)")
        }
        #expect((byName["us-chapter99"]?["what"] as? String)?.hasPrefix("US chapter 99 pack (Data/packs/US/chapter99-measures.jsonl)") == true)
        // Without --from the publisher's page is fetched, which is not the table: a changed format, not a crash.
        let dir = try root(Self.sources[0])
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try SampleServer(routes: ["/menu-eng.html": .full(Data("<!DOCTYPE html><html><body>Customs Tariff</body></html>\n".utf8))])
        defer { server.stop() }
        let page = try await update(Self.sources[0], server.url("/menu-eng.html"), dir, at: "2026-12-01")
        #expect(page.status == 1 && page.stderr.contains("not the Customs Tariff table's (needs TARIFF and MFN; changed format?)"), "\(page.stderr)")
    }

    @Test(arguments: sources.indices) func truncatedChangedEmptyAndShrunkenFetchesAreRefused(_ i: Int) async throws {
        let s = Self.sources[i]
        let dir = try root(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try sample(s)
        let lines = full.split(separator: "\n", omittingEmptySubsequences: false)
        let server = try SampleServer(routes: [
            "/schedule": .full(Data(full.utf8)),
            "/truncated": .truncated(Data(full.utf8)),
            // Cut inside a row (a body that is whole as sent): fewer fields than the header, or an open quote.
            "/cut": .full(Data(full[..<full.index(full.range(of: "6109.10.00")!.lowerBound, offsetBy: 20)].utf8)),
            "/changed": .full(Data(s.changed.utf8)),
            "/empty": .full(Data(s.emptyTable.utf8)),
            // Whole rows, but only the first few items: a shrunken table.
            "/shrunk": .full(Data((lines.prefix(4).joined(separator: "\n") + "\n").utf8)),
        ])
        defer { server.stop() }
        let first = try await update(s, server.url("/schedule"), dir, at: "2026-12-01")
        #expect(first.status == 0, "\(first.stderr)")
        let pack = dir.appendingPathComponent(s.file)
        let before = try Data(contentsOf: pack)
        for path in ["/truncated", "/cut", "/changed", "/empty", "/shrunk"] {
            let r = try await update(s, server.url(path), dir, at: "2026-12-02")
            #expect(r.status == 1, "\(s.name) \(path): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("\(s.name): refused") && r.stderr.contains("the version in force stays"), "\(s.name) \(path): \(r.stderr)")
            #expect(try Data(contentsOf: pack) == before, "\(s.name) \(path) changed the pack in force")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/packs-archive").path))
    }
}

/// `data update --source eu-taric`: the EU MFN and preferences packs rebuilt from the hand-written
/// TARIC duties table in `Fixtures/data-update`, served on loopback. The pack in force is the
/// end-2020 CET cut to seven codes.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateTARICTests {
    static let kept = ["01012100", "01012910", "01012990", "42022100", "61091000", "64041100", "61102099"]

    func root() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("taric-update-\(UUID().uuidString)")
        for sub in ["Data/packs", "Schemas"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        for j in ["EU", "FX"] { try fm.copyItem(at: CLI.root.appendingPathComponent("Data/packs/\(j)"), to: dir.appendingPathComponent("Data/packs/\(j)")) }
        let cet = try String(contentsOf: CLI.root.appendingPathComponent("Data/packs/EU/cet-measures.jsonl"), encoding: .utf8).split(separator: "\n")
        let cut = [cet[0]] + cet.dropFirst().filter { line in Self.kept.contains { line.contains(#""id":"EU-CET-\#($0)""#) } }
        #expect(cut.count == 8)
        try (cut.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("Data/packs/EU/cet-measures.jsonl"), atomically: true, encoding: .utf8)
        return dir
    }

    func sample() throws -> String {
        try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/taric-duties-import.csv"), encoding: .utf8)
    }

    func update(_ from: String, _ dir: URL, at: String = "2026-12-01") async throws -> CLI.Result {
        try await CLI.run(["data", "update", "--source", "eu-taric", "--from", from, "--at", at, "--content", dir.path])
    }

    func packs(_ dir: URL) throws -> [Data] {
        try ["cet-measures.jsonl", "preferences.jsonl"].map { try Data(contentsOf: dir.appendingPathComponent("Data/packs/EU/\($0)")) }
    }

    @Test func goodFetchReplacesTheCETAndThePreferences() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try SampleServer(routes: ["/duties": .full(Data(try sample().utf8))])
        defer { server.stop() }
        let r = try await update(server.url("/duties"), dir)
        #expect(r.status == 0, "\(r.stderr)")
        // Codes compare at the level TARIC sets them (01012100 is 010121): only the handbag rate moved.
        #expect(r.stdout.contains("eu-cet@2020.1 -> eu-cet@2026-12-01.1: 3 codes added (1704909910, 6109100010, 851713), 2 removed (610910, 61102099), 1 re-rated (420221); 8 measures"), "\(r.stdout)")
        #expect(r.stdout.contains("eu-preferences@2026.11.1 -> eu-preferences@2026-12-01.1: 2 preferences added, 1 removed, 0 re-rated; 2 preferences (TCA 2)"), "\(r.stdout)")
        #expect(r.stdout.contains("1 measures not in force on 2026-12-01; preferences of areas without an EU programme not imported: 1 2020 GSP - General arrangements, 1 CL Chile, 1 JP Japan; not imported: 1 103 Third country duty, 1 143 Preferential tariff quota, 1 552 Definitive anti-dumping duty"), "\(r.stdout)")
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/EU").path).sorted()
        #expect(archived == ["eu-cet@2020.1.jsonl", "eu-preferences@2026.11.1.jsonl"])
        // A quote prices at the imported third-country duty, and a TCA claim at the imported preference.
        let mfn = #"{"id":"t","date":"2026-12-02","destination":"DE","origin":"US","currency":"EUR","lines":[{"hs_code":"4202210000","quantity":1,"value":"1000"}]}"#
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((mfn + "\n").utf8))
        #expect(q.stdout.contains(#""measure":"EU-TARIC-420221","type":"mfn","rate":"2.700 %","amount":{"amount":"27.00","currency":"EUR"}"#), "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(#""pack":"eu-cet@2026-12-01.1","source_date":"2026-12-01","age_days":1"#), "\(q.stdout)")
        let tca = #"{"id":"g","date":"2026-12-02","destination":"DE","origin":"GB","currency":"EUR","preference_claimed":"TCA","lines":[{"hs_code":"6404110000","quantity":1,"value":"1000"}]}"#
        let p = try await CLI.run(["quote", "--content", dir.path], stdin: Data((tca + "\n").utf8))
        #expect(p.stdout.contains(#""measure":"EU-PREF-6404-TCA","type":"preference","rate":"0.000 %""#), "\(p.stdout) \(p.stderr)")
        let again = try await update(server.url("/duties"), dir, at: "2026-12-02")
        #expect(again.status == 0 && again.stdout.contains("eu-taric: unchanged (eu-cet@2026-12-01.1"), "\(again.stdout) \(again.stderr)")
    }

    @Test func truncatedChangedEmptyAndShrunkenFetchesAreRefused() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try sample()
        let lines = full.split(separator: "\n")
        let server = try SampleServer(routes: [
            "/truncated": .truncated(Data(full.utf8)),
            "/cut": .full(Data(full[..<full.index(full.range(of: "6404110000 80")!.lowerBound, offsetBy: 30)].utf8)),
            "/changed": .full(Data("Goods code,Description,Duty rate\n0101210000,Pure-bred breeding animals,0 %\n".utf8)),
            "/empty": .full(Data((lines[0] + "\n").utf8)),
            "/shrunk": .full(Data((lines.prefix(3).joined(separator: "\n") + "\n").utf8)),
        ])
        defer { server.stop() }
        let before = try packs(dir)
        for path in ["/truncated", "/cut", "/changed", "/empty", "/shrunk"] {
            let r = try await update(server.url(path), dir)
            #expect(r.status == 1, "\(path): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("eu-taric: refused") && r.stderr.contains("the version in force stays"), "\(path): \(r.stderr)")
            #expect(try packs(dir) == before, "\(path) changed the packs in force")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/packs-archive").path))
    }
}
