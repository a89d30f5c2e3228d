import Foundation
import Testing

/// `data update --source us-chapter99`: the chapter 99 pack rebuilt from the two tables in
/// `Fixtures/data-update/us-chapter99` (rows cut from Data/tariffs/us_additional_duties_2026-09 and
/// Data/tariffs/us_chapter99_2026), read from the folder or served on loopback as a URL base. A first
/// update makes the pack; the next edition (list 4A at 10 %, one more list 4A code) archives it,
/// prints the diff and reprices a Chinese good; a truncated, cut, reformatted, empty, shrunken or
/// incomplete input leaves the pack in force byte for byte.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateChapter99Tests {
    static let files = ["additional_duties.csv", "s301_product_lists.csv"]
    static let pack = "Data/packs/US/chapter99-measures.jsonl"
    /// Horses for breeding from China: free under the HTS, list 4A (9903.88.15) and note 52 (12.5 %) on top.
    static let request = #"{"id":"h","date":"2026-12-03","destination":"US","origin":"CN","currency":"USD","lines":[{"hs_code":"0101210010","quantity":1,"value":"1000"}]}"#

    var sampleDir: URL { CLI.root.appendingPathComponent("Fixtures/data-update/us-chapter99") }

    func sample(_ name: String) throws -> String { try String(contentsOf: sampleDir.appendingPathComponent(name), encoding: .utf8) }

    /// The next edition: list 4A raised to 10 %, and the real list line after the sample's last 4A code added.
    func next() throws -> (String, String) {
        let duties = try sample(Self.files[0])
        let old = "China,china,9903.88.15,7.5,The duty provided in the applicable subheading + 7.5%,"
        #expect(duties.contains(old))
        let raised = duties.replacingOccurrences(of: old, with: "China,china,9903.88.15,10,The duty provided in the applicable subheading + 10%,")
        let real = try String(contentsOf: CLI.root.appendingPathComponent("Data/tariffs/us_chapter99_2026/s301_product_lists.csv"), encoding: .utf8)
        let line = "01022920,4A,9903.88.15"
        #expect(real.contains("\n\(line)\n"))
        return (raised, try sample(Self.files[1]) + line + "\n")
    }

    /// A content root with the repository's US and FX packs, without the chapter 99 pack.
    func root() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("ch99-update-\(UUID().uuidString)")
        for sub in ["Data/packs", "Schemas"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        for j in ["US", "FX"] { try fm.copyItem(at: CLI.root.appendingPathComponent("Data/packs/\(j)"), to: dir.appendingPathComponent("Data/packs/\(j)")) }
        try fm.removeItem(at: dir.appendingPathComponent(Self.pack))
        return dir
    }

    func update(_ from: String, _ dir: URL, at: String) async throws -> CLI.Result {
        try await CLI.run(["data", "update", "--source", "us-chapter99", "--from", from, "--at", at, "--content", dir.path])
    }

    func routes(_ base: String, _ duties: SampleServer.Reply?, _ lists: SampleServer.Reply?) -> [String: SampleServer.Reply] {
        var r: [String: SampleServer.Reply] = [:]
        if let duties { r["\(base)/additional_duties.csv"] = duties }
        if let lists { r["\(base)/s301_product_lists.csv"] = lists }
        return r
    }

    @Test func goodInputsMakeVersionsADiffAndAQuote() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (duties, lists) = try next()
        var all = routes("/ch99", .full(Data(try sample(Self.files[0]).utf8)), .full(Data(try sample(Self.files[1]).utf8)))
        all.merge(routes("/next", .full(Data(duties.utf8)), .full(Data(lists.utf8)))) { a, _ in a }
        let server = try SampleServer(routes: all)
        defer { server.stop() }
        // The saved folder: 40 Section 301 codes of the sample's lists (list 4B and the cranes heading are left out) and 11 country headings.
        let r = try await update(sampleDir.path, dir, at: "2026-12-01")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("us-chapter99: us-chapter99@none -> us-chapter99@2026-12-01.1: 51 codes added (01012100, 01012900, 01013000, 01019030, 01019040, ...), 0 removed, 0 re-rated; 24 measures, 40 Section 301 product codes, 11 country measures"), "\(r.stdout)")
        let text = try String(contentsOf: dir.appendingPathComponent(Self.pack), encoding: .utf8)
        #expect(text.hasPrefix(#"{"pack":"us-chapter99","jurisdiction":"US","kind":"measures","version":"2026-12-01.1""#), "\(text.prefix(200))")
        #expect(text.contains(#""source_date":"2026-12-01""#))
        let q1 = try await CLI.run(["quote", "--content", dir.path], stdin: Data((Self.request + "\n").utf8))
        #expect(q1.stdout.contains(#""measure":"US-9903.88.15-2025-01-01","type":"additional_plus","rate":"7.5%","amount":{"amount":"75.00","currency":"USD"},"pack":"us-chapter99@2026-12-01.1""#), "\(q1.stdout) \(q1.stderr)")
        // The same tables from a URL base are no change.
        let again = try await update(server.url("/ch99"), dir, at: "2026-12-02")
        #expect(again.status == 0 && again.stdout.contains("us-chapter99: unchanged (us-chapter99@2026-12-01.1, 40 Section 301 product codes, 11 country measures)"), "\(again.stdout) \(again.stderr)")
        let n = try await update(server.url("/next/"), dir, at: "2026-12-02")
        #expect(n.status == 0, "\(n.stderr)")
        #expect(n.stdout.contains("us-chapter99@2026-12-01.1 -> us-chapter99@2026-12-02.1: 1 codes added (01022920), 0 removed, 6 re-rated (01012100, 01012900, 01013000, 01019030, 01019040, ...); 24 measures, 41 Section 301 product codes, 11 country measures; old version kept in Data/packs-archive"), "\(n.stdout)")
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/US").path)
        #expect(archived == ["us-chapter99@2026-12-01.1.jsonl"])
        // A quote for a Chinese good on list 4A sees the new rate, with the pack's age.
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((Self.request + "\n").utf8))
        #expect(q.status == 0, "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(#""measure":"US-9903.88.15-2025-01-01","type":"additional_plus","rate":"10%","amount":{"amount":"100.00","currency":"USD"},"pack":"us-chapter99@2026-12-02.1""#), "\(q.stdout)")
        #expect(q.stdout.contains(#""measure":"US-9903.05.31","type":"additional_plus","rate":"12.5%""#), "\(q.stdout)")
        #expect(q.stdout.contains(#""pack":"us-chapter99@2026-12-02.1","source_date":"2026-12-02","age_days":1"#), "\(q.stdout)")
    }

    @Test func truncatedCutChangedEmptyShrunkenAndIncompleteInputsAreRefused() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let duties = try sample(Self.files[0])
        let lists = try sample(Self.files[1])
        let d = Data(duties.utf8)
        let l = Data(lists.utf8)
        let listLines = lists.split(separator: "\n")
        var all: [String: SampleServer.Reply] = [:]
        let cases: [(String, SampleServer.Reply?, SampleServer.Reply?, String)] = [
            ("/truncated", .truncated(d), .full(l), "additional_duties.csv: "),
            ("/truncated-lists", .full(d), .truncated(l), "s301_product_lists.csv: "),
            // Cut inside a quoted description (a body whole as sent): an open quote.
            ("/cut", .full(Data(duties[..<duties.index(duties.range(of: "China,china,9903.88.15")!.lowerBound, offsetBy: 120)].utf8)), .full(l), "additional_duties.csv line"),
            // Cut inside a row of the lists: fewer fields than the header.
            ("/cut-lists", .full(d), .full(Data(lists[..<lists.index(lists.range(of: "27101935")!.lowerBound, offsetBy: 10)].utf8)), "s301_product_lists.csv line"),
            ("/changed", .full(Data("country,heading,rate\nChina,9903.88.15,7.5%\n".utf8)), .full(l), "no column"),
            ("/changed-lists", .full(d), .full(Data("HTS8,List,Heading\n01012100,4A,9903.88.15\n".utf8)), "expected columns hts8, ch99_code"),
            ("/empty", .full(d), .full(Data("hts8,list,ch99_code\n".utf8)), "(empty list)"),
            ("/empty-duties", .full(Data("".utf8)), .full(l), "additional_duties.csv is empty"),
            ("/shrunk", .full(d), .full(Data((listLines.prefix(12).joined(separator: "\n") + "\n").utf8)), "do not shrink by a tenth"),
            ("/missing", .full(d), nil, "s301_product_lists.csv: "),
        ]
        for (base, a, b, _) in cases { all.merge(routes(base, a, b)) { x, _ in x } }
        let server = try SampleServer(routes: all)
        defer { server.stop() }
        let first = try await update(sampleDir.path, dir, at: "2026-12-01")
        #expect(first.status == 0, "\(first.stderr)")
        let pack = dir.appendingPathComponent(Self.pack)
        let before = try Data(contentsOf: pack)
        for (base, _, _, why) in cases {
            let r = try await update(server.url(base), dir, at: "2026-12-02")
            #expect(r.status == 1, "\(base): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("us-chapter99: refused") && r.stderr.contains("the version in force stays") && r.stderr.contains(why), "\(base): \(r.stderr)")
            #expect(try Data(contentsOf: pack) == before, "\(base) changed the pack in force")
        }
        // A saved folder without the lists is refused naming the file; a --from that is no folder is bad usage.
        let half = FileManager.default.temporaryDirectory.appendingPathComponent("ch99-half-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: half) }
        try d.write(to: half.appendingPathComponent(Self.files[0]))
        let missing = try await update(half.path, dir, at: "2026-12-02")
        #expect(missing.status == 1 && missing.stderr.contains("holds no s301_product_lists.csv"), "\(missing.stderr)")
        let notFolder = try await update(sampleDir.appendingPathComponent(Self.files[0]).path, dir, at: "2026-12-02")
        #expect(notFolder.status == 2 && notFolder.stderr.contains("not a folder"), "\(notFolder.stderr)")
        // Without --from there is no one table to fetch: refused, saying what to give.
        let bare = try await CLI.run(["data", "update", "--source", "us-chapter99", "--at", "2026-12-02", "--content", dir.path])
        #expect(bare.status == 1 && bare.stderr.contains("additional_duties.csv and s301_product_lists.csv"), "\(bare.stderr)")
        #expect(try Data(contentsOf: pack) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/packs-archive").path))
    }
}
