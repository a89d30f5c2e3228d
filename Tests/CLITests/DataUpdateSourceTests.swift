import Foundation
import Testing

/// `data update` for the EU financial sanctions file, OpenSanctions (FollowTheMoney) and the OFAC
/// advanced XML, from the hand-written samples in `Fixtures/data-update` served on loopback. The
/// version in force is the sample without its last party and with an older date; a good fetch adds
/// that party, and a truncated, reformatted, empty or shrunken fetch leaves the manifest as it was.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateSanctionsSourceTests {
    struct Source: Sendable {
        var name: String
        var listID: String
        var format: String
        var file: String
        var sample: String
        /// The sample minus its last party, published earlier: the version in force.
        var older: @Sendable (String) -> String
        /// The sample with only its first `n` parties.
        var first: @Sendable (String, Int) -> String
        /// What the publisher's server might send instead after a format change.
        var changed: String
        var empty: String
    }

    /// Cuts an XML sample to its first `n` blocks that open with `open` and close with `close`.
    static func keep(_ text: String, _ n: Int, open: String, close: String) -> String {
        var out = ""
        var rest = Substring(text)
        var kept = 0
        while let start = rest.range(of: open) {
            guard let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) else { break }
            out += rest[..<start.lowerBound]
            if kept < n { out += rest[start.lowerBound..<end.upperBound] }
            kept += 1
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    static func lines(_ text: String, _ n: Int) -> String {
        text.split(separator: "\n").prefix(n).joined(separator: "\n") + "\n"
    }

    static let sources: [Source] = [
        Source(
            name: "eu-fsf", listID: "eu_fsf", format: "eu_fsf_xml", file: "eu_fsf.xml", sample: "eu-fsf-1_1.xml",
            older: { keep($0, 3, open: "<sanctionEntity ", close: "</sanctionEntity>").replacingOccurrences(of: "2026-11-27T17:01:35.529+01:00", with: "2026-11-20T17:00:00+01:00") },
            first: { keep($0, $1, open: "<sanctionEntity ", close: "</sanctionEntity>") },
            changed: #"<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-28T10:00:00+01:00"><entity ref="EU.27.28"><name>Saddam Hussein</name></entity></export>"#,
            empty: #"<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-28T10:00:00+01:00"></export>"#),
        Source(
            name: "opensanctions", listID: "opensanctions", format: "ftm_json", file: "entities.ftm.json", sample: "opensanctions-entities.ftm.json",
            older: { text in
                text.split(separator: "\n").filter { !$0.contains("NK-9aB3xC5vD7eF1gH2jK4mL6n") }.joined(separator: "\n")
                    .replacingOccurrences(of: "2026-11-27T06:24:11", with: "2026-11-20T06:00:00") + "\n"
            },
            first: { lines($0, $1) },
            changed: #"{"id":"NK-1","caption":"Ivan Petrovich Sidorenko","datasets":["eu_fsf"]}"# + "\n",
            empty: ""),
        Source(
            name: "ofac-sdn-advanced", listID: "ofac_sdn", format: "ofac_advanced_xml", file: "SDN_ADVANCED.XML", sample: "SDN_ADVANCED.XML",
            older: { keep($0, 3, open: "<DistinctParty ", close: "</DistinctParty>").replacingOccurrences(of: "<Day>27</Day>", with: "<Day>20</Day>") },
            first: { keep($0, $1, open: "<DistinctParty ", close: "</DistinctParty>") },
            changed: "<html><body>The Sanctions List Service is down for maintenance.</body></html>",
            empty: "<?xml version=\"1.0\"?><Sanctions xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML\"><DateOfIssue><Year>2026</Year><Month>11</Month><Day>28</Day></DateOfIssue><DistinctParties /></Sanctions>"),
    ]

    func sample(_ s: Source) throws -> String {
        try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/\(s.sample)"), encoding: .utf8)
    }

    /// A content root whose manifest has `s` at its older version, and a data folder of its own.
    func root(_ s: Source) throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("source-update-\(UUID().uuidString)")
        for sub in ["Data/sanctions/\(s.listID)_old", "Schemas", "data"] {
            try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        // What makes a folder a content folder, and what `screen` reads beside the lists.
        for rel in ["Schemas/order.schema.json", "Data/screening/route_rules.json", "Data/risk/risk_policy.json"] {
            try fm.createDirectory(at: dir.appendingPathComponent(rel).deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: CLI.root.appendingPathComponent(rel), to: dir.appendingPathComponent(rel))
        }
        try s.older(try sample(s)).write(to: dir.appendingPathComponent("Data/sanctions/\(s.listID)_old/\(s.file)"), atomically: true, encoding: .utf8)
        let manifest = #"{"max_age_days":14,"lists":[{"id":"\#(s.listID)","format":"\#(s.format)","folder":"\#(s.listID)_old","file":"\#(s.file)"}]}"#
        try manifest.write(to: dir.appendingPathComponent("Data/sanctions/manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func update(_ s: Source, _ url: String, _ dir: URL) async throws -> CLI.Result {
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = dir.appendingPathComponent("data").path
        return try await CLI.run(["data", "update", "--source", s.name, "--from", url, "--content", dir.path], environment: env)
    }

    @Test(arguments: sources.indices) func goodFetchMakesANewVersionBesideTheOld(_ i: Int) async throws {
        let s = Self.sources[i]
        let dir = try root(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try SampleServer(routes: ["/list": .full(Data(try sample(s).utf8))])
        defer { server.stop() }
        let r = try await update(s, server.url("/list"), dir)
        #expect(r.status == 0, "\(s.name): \(r.stderr)")
        #expect(r.stdout.contains("1 entries added, 0 removed, 0 changed (4 in force)"), "\(s.name): \(r.stdout)")
        let manifest = try String(contentsOf: dir.appendingPathComponent("Data/sanctions/manifest.json"), encoding: .utf8)
        #expect(manifest.contains(#""folder" : "\#(s.listID)_2026-11-27""#), "\(manifest)")
        #expect(manifest.contains(#""format" : "\#(s.format)""#))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/sanctions/\(s.listID)_2026-11-27/\(s.file)").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/sanctions/\(s.listID)_old/\(s.file)").path))
        // Screening reads the new version through the manifest, with its own version and age.
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = dir.appendingPathComponent("data").path
        let party = s.name == "opensanctions" || s.name == "eu-fsf" ? "Minsk Precision Components LLC" : "Mohammad Reza RAHIMI"
        let screen = try await CLI.run(["screen", "--content", dir.path, "--at", "2026-12-01"], stdin: Data((#"{"name":"\#(party)"}"# + "\n").utf8), environment: env)
        #expect(screen.stdout.contains(#""decision":"block""#), "\(s.name): \(screen.stdout) \(screen.stderr)")
        #expect(screen.stdout.contains(s.listID), "\(screen.stdout)")
        // The same publication again is no change.
        let again = try await update(s, server.url("/list"), dir)
        #expect(again.status == 0 && again.stdout.contains("unchanged"), "\(again.stdout) \(again.stderr)")
    }

    @Test(arguments: sources.indices) func truncatedChangedEmptyAndShrunkenFetchesAreRefused(_ i: Int) async throws {
        let s = Self.sources[i]
        let dir = try root(s)
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try sample(s)
        let server = try SampleServer(routes: [
            "/truncated": .truncated(Data(full.utf8)),
            "/cut": .full(Data(full.utf8).prefix(full.utf8.count * 2 / 3)),
            "/changed": .full(Data(s.changed.utf8)),
            "/empty": .full(Data(s.empty.utf8)),
            "/shrunk": .full(Data(s.first(full, 2).utf8)),
        ])
        defer { server.stop() }
        let manifest = dir.appendingPathComponent("Data/sanctions/manifest.json")
        let before = try Data(contentsOf: manifest)
        for path in ["/truncated", "/cut", "/changed", "/empty", "/shrunk"] {
            let r = try await update(s, server.url(path), dir)
            #expect(r.status == 1, "\(s.name) \(path): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("\(s.name): refused") && r.stderr.contains("the version in force stays"), "\(s.name) \(path): \(r.stderr)")
            #expect(try Data(contentsOf: manifest) == before, "\(s.name) \(path) changed the manifest")
        }
        let folders = Set(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/sanctions").path))
        #expect(folders == ["\(s.listID)_old", "manifest.json"], "\(folders)")
    }

    @Test func sourcesListTheNewImportersAndTheLicence() async throws {
        let r = try await CLI.run(["data", "sources"])
        #expect(r.status == 0)
        let byName = Dictionary(r.json.compactMap { o in (o["source"] as? String).map { ($0, o) } }, uniquingKeysWith: { a, _ in a })
        #expect(byName["eu-fsf"]?["what"] as? String == "sanctions list eu_fsf (eu_fsf_xml)")
        #expect(byName["ofac-sdn-advanced"]?["what"] as? String == "sanctions list ofac_sdn (ofac_advanced_xml)")
        #expect((byName["opensanctions"]?["note"] as? String)?.contains("CC BY-NC 4.0") == true)
        #expect(byName["opensanctions"]?["only_with_source"] != nil)
    }
}

/// `data update --source uk-trade-tariff`: the GB MFN pack rebuilt from the Trade Tariff API v2, one
/// commodity request per code of the pack in force, served on loopback from the hand-written
/// commodity response in `Fixtures/data-update` (its code and third-country rate varied per code).
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateUKTariffTests {
    /// The first ten GB codes in force (UKGT 2021) and the third-country duty the API answers for
    /// nine of them; 0102290500 is answered as a subheading (no longer declarable).
    static let answers: [(code: String, rate: String)] = [
        ("0101210000", "0.00 %"), ("0101291000", "0.00 %"), ("0101299000", "10.00 %"), ("0101300000", "5.00 %"), ("0101900000", "10.00 %"),
        ("0102211000", "0.00 %"), ("0102213000", "0.00 %"), ("0102219000", "0.00 %"), ("0102291000", "10.00 % + 77.00 GBP / 100 kg"),
    ]
    static let subheading = Data(#"{"data":{"id":"27700","type":"subheading","attributes":{"goods_nomenclature_item_id":"0102290500","description":"Of the sub-genus Bibos"}}}"#.utf8)

    static let preferenceExpression = #""id": "20167645-duty_expression",\#n      "type": "duty_expression",\#n      "attributes": { "base": "0.00 %""#

    /// The sample for `code` with this third-country duty and EU tariff preference.
    static func response(_ code: String, rate: String, preference: String = "0.00 %") throws -> Data {
        let sample = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/uk-trade-tariff-commodity-0101300000.json"), encoding: .utf8)
        #expect(sample.contains(#""base": "5.00 %""#) && sample.contains(preferenceExpression))
        return Data(sample.replacingOccurrences(of: "0101300000", with: code).replacingOccurrences(of: #""base": "5.00 %""#, with: #""base": "\#(rate)""#)
            .replacingOccurrences(of: preferenceExpression, with: preferenceExpression.replacingOccurrences(of: "0.00 %", with: preference)).utf8)
    }

    /// The sample with its tariff preference moved to Japan (area JP), which no GB programme names.
    static func japanOnly(_ code: String, rate: String) throws -> Data {
        let eu = String(decoding: try response(code, rate: rate), as: UTF8.self)
        return Data(eu.replacingOccurrences(of: #""1013""#, with: #""JP""#).replacingOccurrences(of: "European Union", with: "Japan")
            .replacingOccurrences(of: #"{ "data": [{ "id": "FR", "type": "geographical_area" }, { "id": "DE", "type": "geographical_area" }] }"#, with: #"{ "data": [] }"#).utf8)
    }

    func root() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("uk-tariff-update-\(UUID().uuidString)")
        for sub in ["Data/packs", "Schemas"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        try fm.copyItem(at: CLI.root.appendingPathComponent("Data/packs/GB"), to: dir.appendingPathComponent("Data/packs/GB"))
        // The pack in force: the 2021 UKGT header and its first ten measures.
        let ukgt = try String(contentsOf: CLI.root.appendingPathComponent("Data/packs/GB/ukgt-measures.jsonl"), encoding: .utf8)
        let kept = ukgt.split(separator: "\n").prefix(11).joined(separator: "\n") + "\n"
        try kept.write(to: dir.appendingPathComponent("Data/packs/GB/ukgt-measures.jsonl"), atomically: true, encoding: .utf8)
        return dir
    }

    func pack(_ dir: URL) throws -> Data { try Data(contentsOf: dir.appendingPathComponent("Data/packs/GB/ukgt-measures.jsonl")) }
    func preferences(_ dir: URL) throws -> Data { try Data(contentsOf: dir.appendingPathComponent("Data/packs/GB/preferences.jsonl")) }

    func update(_ from: String, _ dir: URL, at: String = "2026-12-01") async throws -> CLI.Result {
        try await CLI.run(["data", "update", "--source", "uk-trade-tariff", "--from", from, "--at", at, "--content", dir.path])
    }

    @Test func goodFetchMakesANewVersionAndADiff() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        var routes: [String: SampleServer.Reply] = [:]
        for a in Self.answers {
            // The EU preference on 0101299000 is 2.00 % (illustrative), the others 0.00 %.
            routes["/api/v2/commodities/\(a.code)"] = .full(try Self.response(a.code, rate: a.rate, preference: a.code == "0101299000" ? "2.00 %" : "0.00 %"))
            routes["/japan/\(a.code)"] = .full(try Self.japanOnly(a.code, rate: a.rate))
        }
        routes["/api/v2/commodities/0102290500"] = .full(Self.subheading)
        let server = try SampleServer(routes: routes)
        defer { server.stop() }
        let r = try await update(server.url("/api/v2/commodities/{code}"), dir)
        #expect(r.status == 0, "\(r.stderr)")
        // 10.00 % against 10.0 %, and `10.00 % + 77.00 GBP / 100 kg` against `10.00% + 77.00 GBP/100kg`,
        // are the same rates; only 01013000 moved (6.0 % → 5.00 %). The subheading is dropped, by name.
        #expect(r.stdout.contains("gb-ukgt@2021.1 -> gb-ukgt@2026-12-01.1: 0 codes added, 1 removed (01022905), 1 re-rated (01013000); 9 measures; 1 codes not found as commodities at the API (01022905)"), "\(r.stdout)")
        // The tariff preferences (142, area 1013) become gb-preferences under TCA, whose record names area 1013.
        #expect(r.stdout.contains("gb-preferences@2026.11.1 -> gb-preferences@2026-12-01.1: 9 preferences added, 1 removed, 0 re-rated; 9 preferences (TCA 9)"), "\(r.stdout)")
        #expect(r.stdout.contains("not imported: 9 Import control of organic products, 9 Value added tax"), "\(r.stdout)")
        let prefs = String(decoding: try preferences(dir), as: UTF8.self)
        #expect(prefs.hasPrefix(#"{"pack":"gb-preferences","jurisdiction":"GB","kind":"measures","version":"2026-12-01.1""#), "\(prefs.prefix(200))")
        #expect(prefs.contains(#"{"type":"measure","id":"GB-PREF-01012990-TCA","code":"01012990","measure_type":"preference","rate":"2.00 %","programs":["TCA"],"legal_ref":"UK Trade Tariff measure 20167645 (tariff preference, European Union)","valid_from":"2021-01-01","valid_to":null}"#), "\(prefs)")
        let text = String(decoding: try pack(dir), as: UTF8.self)
        #expect(text.hasPrefix(#"{"pack":"gb-ukgt","jurisdiction":"GB","kind":"measures","version":"2026-12-01.1""#), "\(text.prefix(200))")
        #expect(text.contains(#""source_date":"2026-12-01""#))
        #expect(text.contains(#"{"type":"measure","id":"GB-MFN-01013000","code":"01013000","measure_type":"mfn","rate":"5.00 %","legal_ref":"UK Trade Tariff measure 20098001","valid_from":"2021-01-01","valid_to":null}"#), "\(text)")
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/GB").path)
        #expect(archived.sorted() == ["gb-preferences@2026.11.1.jsonl", "gb-ukgt@2021.1.jsonl"])
        // A quote prices with the fetched rate and says how old it is.
        let request = #"{"id":"u","date":"2026-12-02","destination":"GB","origin":"US","currency":"GBP","lines":[{"hs_code":"0101300000","quantity":1,"value":"1000"}]}"#
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((request + "\n").utf8))
        #expect(q.stdout.contains(#""rate":"5.00 %""#), "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(#""pack":"gb-ukgt@2026-12-01.1","source_date":"2026-12-01","age_days":1"#), "\(q.stdout)")
        // A claimed EU origin is priced at the imported preference, not the MFN rate nor the old blanket 0 %.
        let claim = #"{"id":"p","date":"2026-12-02","destination":"GB","origin":"DE","currency":"GBP","preference_claimed":"EU-UK TCA","lines":[{"hs_code":"0101299000","quantity":1,"value":"1000"}]}"#
        let p = try await CLI.run(["quote", "--content", dir.path], stdin: Data((claim + "\n").utf8))
        #expect(p.status == 0, "\(p.stdout) \(p.stderr)")
        #expect(p.stdout.contains(#""measure":"GB-PREF-01012990-TCA","type":"preference","rate":"2.00 %","amount":{"amount":"20.00","currency":"GBP"}"#), "\(p.stdout)")
        #expect(p.stdout.contains("gb-preferences@2026-12-01.1"), "\(p.stdout)")
        // Answers whose only preference is for an area no GB programme names: the preferences in force
        // came from the API, so losing all of them is a shrunken fetch, and nothing is written.
        let (mfnBefore, prefsBefore) = (try pack(dir), try preferences(dir))
        let japan = try await update(server.url("/japan/{code}"), dir, at: "2026-12-02")
        #expect(japan.status == 1 && japan.stderr.contains("no tariff preference of a GB programme's area in the fetched answers against 9 in force"), "\(japan.stdout) \(japan.stderr)")
        #expect(try pack(dir) == mfnBefore && (try preferences(dir)) == prefsBefore)
        // The same answers again change nothing.
        let again = try await update(server.url("/api/v2/commodities/{code}"), dir, at: "2026-12-02")
        #expect(again.status == 0 && again.stdout.contains("uk-trade-tariff: unchanged (gb-ukgt@2026-12-01.1"), "\(again.stdout) \(again.stderr)")
    }

    /// A saved response as a file: the pack of the codes it holds, refused as a shrink unless --force.
    @Test func savedResponseFile() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = CLI.root.appendingPathComponent("Fixtures/data-update/uk-trade-tariff-commodity-0101300000.json").path
        let shrink = try await update(file, dir)
        #expect(shrink.status == 1 && shrink.stderr.contains("1 rated commodities against 10 in force"), "\(shrink.stderr)")
        let forced = try await CLI.run(["data", "update", "--source", "uk-trade-tariff", "--from", file, "--at", "2026-12-01", "--force", "--content", dir.path])
        #expect(forced.status == 0 && forced.stdout.contains("0 codes added, 9 removed (01012100, 01012910, 01012990, 01019000, 01022110, ...), 1 re-rated (01013000)"), "\(forced.stdout) \(forced.stderr)")
    }

    @Test func truncatedChangedEmptyAndShrunkenFetchesAreRefused() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        var routes: [String: SampleServer.Reply] = [:]
        for a in Self.answers {
            let good = try Self.response(a.code, rate: a.rate)
            routes["/truncated/\(a.code)"] = a.code == "0101300000" ? .truncated(good) : .full(good)
            // The old v1 shape: the commodity's fields at the top, no JSON:API `data`.
            routes["/changed/\(a.code)"] = .full(Data(#"{"goods_nomenclature_item_id":"\#(a.code)","import_measures":[{"measure_type":{"id":"103"},"duty_expression":{"base":"\#(a.rate)"}}]}"#.utf8))
            routes["/maintenance/\(a.code)"] = .full(Data("<html><body>The service is unavailable</body></html>".utf8))
            let noMeasures = String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""import_measures": {"#, with: #""import_measures": { "data": [] }, "was": {"#)
            routes["/empty/\(a.code)"] = .full(Data(noMeasures.utf8))
            if a.code == "0101300000" { routes["/shrunk/\(a.code)"] = .full(good) }
            // A preference naming an area the answer does not include (a changed format).
            let noArea = String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""id": "1013",\#n      "type": "geographical_area""#, with: #""id": "1013-x",\#n      "type": "geographical_area""#)
            routes["/noarea/\(a.code)"] = .full(Data(noArea.utf8))
        }
        let server = try SampleServer(routes: routes)
        defer { server.stop() }
        let before = try pack(dir)
        let prefsBefore = try preferences(dir)
        for prefix in ["/truncated", "/changed", "/maintenance", "/empty", "/shrunk", "/noarea"] {
            let r = try await update(server.url("\(prefix)/{code}"), dir)
            #expect(r.status == 1, "\(prefix): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("uk-trade-tariff: refused") && r.stderr.contains("the version in force stays"), "\(prefix): \(r.stderr)")
            #expect(try pack(dir) == before, "\(prefix) changed the pack in force")
            #expect(try preferences(dir) == prefsBefore, "\(prefix) changed the preferences in force")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/packs-archive").path))
    }
}
