import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server on 127.0.0.1 for recorded samples: each path answers with its bytes, or
/// with a body cut short of its Content-Length (a truncated download). Serves until stopped.
final class SampleServer: @unchecked Sendable {
    enum Reply { case full(Data), truncated(Data) }
    private let routes: [String: Reply]
    private let fd: Int32
    let port: UInt16
    private var thread: Thread?

    init(routes: [String: Reply]) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(s, 8) == 0 else {
            close(s)
            throw CocoaError(.fileWriteUnknown)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        self.routes = routes
        fd = s
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in serve() }
        thread = t
        t.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                // Closed here, not in stop(): a number closed under a thread still calling accept
                // could be reused by another test's socket and its connections taken.
                close(fd)
                return
            }
            var buf = [UInt8](repeating: 0, count: 8192)
            var req = [UInt8]()
            while !req.suffix(4).elementsEqual([13, 10, 13, 10]) {
                let n = recv(c, &buf, buf.count, 0)
                if n <= 0 { break }
                req += buf[0..<n]
            }
            let line = String(decoding: req.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
            let path = line.count > 1 ? String(line[1]) : "/"
            var body = Data()
            var header = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            switch routes[path] {
            case .full(let d)?:
                body = d
                header = "HTTP/1.1 200 OK\r\nContent-Length: \(d.count)\r\nConnection: close\r\n\r\n"
            case .truncated(let d)?:
                body = d.prefix(d.count / 2)
                header = "HTTP/1.1 200 OK\r\nContent-Length: \(d.count)\r\nConnection: close\r\n\r\n"
            case nil: break
            }
            let out = Data(header.utf8) + body
            _ = out.withUnsafeBytes { send(c, $0.baseAddress, out.count, Int32(MSG_NOSIGNAL)) }
            close(c)
        }
    }

    /// Wakes the accepting thread, which closes the socket.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

/// `customs-hub data update` against recorded samples on loopback: a good fetch makes a new version
/// beside the old one and prints a diff; a truncated download, a changed format and an empty list
/// are each refused and leave the version in force untouched.
@Suite(.serialized, .timeLimit(.minutes(10))) struct DataUpdateTests {
    /// A content root with the ECB raw file cut back to 2026-10-28, its pack, and one sanctions
    /// list (the OFAC Consolidated list without its last three entries).
    func root() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("data-update-\(UUID().uuidString)")
        for sub in ["Data/tariffs/ecb_fx", "Data/packs/FX", "Data/sanctions/ofac_consolidated_old", "Schemas"] {
            try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        // What makes a folder a content folder for `--content`.
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        let raw = try String(contentsOf: CLI.root.appendingPathComponent("Data/tariffs/ecb_fx/eurofxref-hist.csv"), encoding: .utf8)
        let kept = raw.split(separator: "\n").filter { !$0.hasPrefix("2026-10-29") && !$0.hasPrefix("2026-10-30") }
        try (kept.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("Data/tariffs/ecb_fx/eurofxref-hist.csv"), atomically: true, encoding: .utf8)
        // The pack in force is the one built before 2026-10-29 was published.
        let pack = try String(contentsOf: CLI.root.appendingPathComponent("Data/packs/FX/ecb-reference.jsonl"), encoding: .utf8)
        try pack.replacingOccurrences(of: #""version":"2026-10-30.1""#, with: #""version":"2026-10-28.1""#)
            .write(to: dir.appendingPathComponent("Data/packs/FX/ecb-reference.jsonl"), atomically: true, encoding: .utf8)
        let xml = try String(contentsOf: CLI.root.appendingPathComponent("Data/sanctions/ofac_consolidated_2026-01-08/consolidated.xml"), encoding: .utf8)
        var older = xml
        for _ in 0..<3 { older = String(older[..<older.range(of: "<sdnEntry>", options: .backwards)!.lowerBound]) }
        older = older.replacingOccurrences(of: "<Record_Count>442</Record_Count>", with: "<Record_Count>439</Record_Count>") + "</sdnList>\n"
        try older.write(to: dir.appendingPathComponent("Data/sanctions/ofac_consolidated_old/consolidated.xml"), atomically: true, encoding: .utf8)
        let manifest = #"{"max_age_days":14,"lists":[{"id":"ofac_consolidated","format":"ofac_xml","folder":"ofac_consolidated_old","file":"consolidated.xml"}]}"#
        try manifest.write(to: dir.appendingPathComponent("Data/sanctions/manifest.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for rel in ["Data/sanctions/manifest.json", "Data/packs/FX/ecb-reference.jsonl", "Data/tariffs/ecb_fx/eurofxref-hist.csv"] {
            out[rel] = try Data(contentsOf: dir.appendingPathComponent(rel))
        }
        return out
    }

    @Test func refusedFetchesLeaveTheVersionInForce() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xml = try Data(contentsOf: CLI.root.appendingPathComponent("Data/sanctions/ofac_consolidated_2026-01-08/consolidated.xml"))
        let ecb = try Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/eurofxref-hist-90d.xml"))
        let emptyList = Data("<?xml version=\"1.0\"?><sdnList><publshInformation><Publish_Date>01/09/2026</Publish_Date><Record_Count>0</Record_Count></publshInformation></sdnList>\n".utf8)
        let server = try SampleServer(routes: [
            "/CONSOLIDATED.XML": .truncated(xml),
            "/maintenance": .full(Data("<html><body>Service unavailable</body></html>".utf8)),
            "/empty.xml": .full(emptyList),
            "/ecb-cut.xml": .full(ecb.prefix(ecb.count - 40)),
            "/ecb-html.xml": .full(Data("<html>moved</html>".utf8)),
        ])
        defer { server.stop() }
        let before = try snapshot(dir)
        for (source, path) in [("ofac-consolidated", "/CONSOLIDATED.XML"), ("ofac-consolidated", "/maintenance"), ("ofac-consolidated", "/empty.xml"),
                               ("ecb-fx", "/ecb-cut.xml"), ("ecb-fx", "/ecb-html.xml")] {
            let r = try await CLI.run(["data", "update", "--source", source, "--from", server.url(path), "--content", dir.path])
            #expect(r.status == 1, "\(source) \(path): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("refused") && r.stderr.contains("the version in force stays"), "\(path): \(r.stderr)")
            #expect(try snapshot(dir) == before, "\(path) changed the data in force")
        }
    }

    @Test func goodFetchesMakeANewVersionAndADiff() async throws {
        let dir = try root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xml = try Data(contentsOf: CLI.root.appendingPathComponent("Data/sanctions/ofac_consolidated_2026-01-08/consolidated.xml"))
        let ecb = try Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/data-update/eurofxref-hist-90d.xml"))
        let server = try SampleServer(routes: ["/CONSOLIDATED.XML": .full(xml), "/eurofxref-hist-90d.xml": .full(ecb)])
        defer { server.stop() }
        let fx = try await CLI.run(["data", "update", "--source", "ecb-fx", "--from", server.url("/eurofxref-hist-90d.xml"), "--content", dir.path])
        #expect(fx.status == 0, "\(fx.stderr)")
        #expect(fx.stdout.contains("fx-ecb@2026-10-28.1 -> fx-ecb@2026-10-30.1: 2 days added"), "\(fx.stdout)")
        let pack = try String(contentsOf: dir.appendingPathComponent("Data/packs/FX/ecb-reference.jsonl"), encoding: .utf8)
        #expect(pack.contains(#""id":"ECB-2026-10-30-USD""#) && pack.contains(#""rate":1.1172"#))
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/FX").path)
        #expect(archived.count == 1)
        // The same fetch again changes nothing.
        let again = try await CLI.run(["data", "update", "--source", "ecb-fx", "--from", server.url("/eurofxref-hist-90d.xml"), "--content", dir.path])
        #expect(again.status == 0 && again.stdout.contains("unchanged"))

        let list = try await CLI.run(["data", "update", "--source", "ofac-consolidated", "--from", server.url("/CONSOLIDATED.XML"), "--content", dir.path])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("3 entries added, 0 removed"), "\(list.stdout)")
        let manifest = try String(contentsOf: dir.appendingPathComponent("Data/sanctions/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("ofac_consolidated_2026-01-08"))
        // The old publication stays on disk for replaying earlier decisions.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Data/sanctions/ofac_consolidated_old/consolidated.xml").path))
    }
}

/// `data update --source us-hts`: the USITC HTS CSV export rebuilt into the US packs, from recorded
/// rows of the real export (HTS 2026 Rev 4, headings 1517 and 6109) served on loopback.
@Suite(.serialized, .timeLimit(.minutes(10))) struct HTSUpdateTests {
    /// The export's header and the rows of two headings, with `edit` applied to the row lines.
    static func sample(_ edit: ([String]) -> [String] = { $0 }) throws -> Data {
        let csv = try String(contentsOf: CLI.root.appendingPathComponent("Data/tariffs/us_hts_2026_rev4.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\r\n").map(String.init)
        let rows = lines.filter { $0.hasPrefix("\"1517") || $0.hasPrefix("\"6109") }
        return Data((([lines[0]] + edit(rows)).joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The version in force: an older export where 6109.10.00 was 15 %, 1517.90.60.00 was not yet
    /// listed and 6109.90.40 still was.
    static func older() throws -> Data {
        try sample { rows in
            rows.filter { !$0.hasPrefix("\"1517.90.60.00\"") }
                .map { $0.hasPrefix("\"6109.10.00\"") ? $0.replacingOccurrences(of: "\"16.5%\"", with: "\"15%\"") : $0 }
        }
    }
    /// The fetched export: the real rows without 6109.90.40 and its statistical lines.
    static func fetched() throws -> Data { try sample { $0.filter { !$0.hasPrefix("\"6109.90.40") } } }

    func root() async throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("hts-update-\(UUID().uuidString)")
        for sub in ["Data/packs/US", "Schemas"] { try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: dir.appendingPathComponent("Schemas/order.schema.json"))
        try fm.copyItem(at: CLI.root.appendingPathComponent("Data/packs/US/jurisdiction.jsonl"), to: dir.appendingPathComponent("Data/packs/US/jurisdiction.jsonl"))
        let old = dir.appendingPathComponent("older.csv")
        try Self.older().write(to: old)
        let first = try await CLI.run(["data", "update", "--source", "us-hts", "--from", old.path, "--at", "2026-11-01", "--content", dir.path])
        #expect(first.status == 0 && first.stdout.contains("us-hts@none -> us-hts@2026-11-01.1"), "\(first.stdout) \(first.stderr)")
        return dir
    }

    func packs(_ dir: URL) throws -> [Data] {
        try ["hts-nomenclature.jsonl", "hts-measures.jsonl"].map { try Data(contentsOf: dir.appendingPathComponent("Data/packs/US/\($0)")) }
    }

    @Test func goodFetchMakesANewVersionAndADiff() async throws {
        let dir = try await root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try SampleServer(routes: ["/exportList": .full(try Self.fetched())])
        defer { server.stop() }
        let r = try await CLI.run(["data", "update", "--source", "us-hts", "--from", server.url("/exportList"), "--at", "2026-12-01", "--content", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("us-hts@2026-11-01.1 -> us-hts@2026-12-01.1: 1 codes added (1517906000), 3 removed (61099040, 6109904010, 6109904020), 1 re-rated (61091000)"), "\(r.stdout)")
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Data/packs-archive/US").path).sorted()
        #expect(archived == ["us-hts-nomenclature@2026-11-01.1.jsonl", "us-hts@2026-11-01.1.jsonl"])
        // A quote prices with the new rate and says how old it is; the old versions (measures and the
        // nomenclature they were checked against) answer a quote that pins them.
        let request = #"{"id":"h","date":"2026-12-02","destination":"US","origin":"AR","currency":"USD","lines":[{"hs_code":"61091000","quantity":1,"value":"100"}]}"#
        let q = try await CLI.run(["quote", "--content", dir.path], stdin: Data((request + "\n").utf8))
        #expect(q.stdout.contains(#""measure":"US-MFN-6109.10.00","type":"mfn","rate":"16.5%""#), "\(q.stdout) \(q.stderr)")
        #expect(q.stdout.contains(#""pack":"us-hts@2026-12-01.1","source_date":"2026-12-01","age_days":1"#), "\(q.stdout)")
        let pinned = request.dropLast() + #","pack_versions":{"us-hts":"2026-11-01.1","us-hts-nomenclature":"2026-11-01.1"}}"#
        let p = try await CLI.run(["quote", "--content", dir.path], stdin: Data((pinned + "\n").utf8))
        #expect(p.stdout.contains(#""rate":"15%""#), "\(p.stdout) \(p.stderr)")
        // The same export again changes nothing.
        let again = try await CLI.run(["data", "update", "--source", "us-hts", "--from", server.url("/exportList"), "--at", "2026-12-02", "--content", dir.path])
        #expect(again.status == 0 && again.stdout.contains("us-hts: unchanged (2026-12-01.1"), "\(again.stdout) \(again.stderr)")
    }

    @Test func truncatedChangedAndEmptyExportsAreRefused() async throws {
        let dir = try await root()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try Self.fetched()
        let renamed = Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "General Rate of Duty", with: "General").utf8)
        let headerOnly = Data(String(decoding: good, as: UTF8.self).prefix { $0 != "\r\n" }.utf8) + Data("\r\n".utf8)
        let half = try Self.sample { Array($0.prefix(20)) }
        let server = try SampleServer(routes: [
            "/truncated": .truncated(good), "/renamed": .full(renamed), "/empty": .full(headerOnly),
            "/maintenance": .full(Data("<html><body>Service unavailable</body></html>".utf8)), "/half": .full(half),
        ])
        defer { server.stop() }
        let before = try packs(dir)
        for path in ["/truncated", "/renamed", "/empty", "/maintenance", "/half"] {
            let r = try await CLI.run(["data", "update", "--source", "us-hts", "--from", server.url(path), "--at", "2026-12-01", "--content", dir.path])
            #expect(r.status == 1, "\(path): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("us-hts: refused") && r.stderr.contains("the version in force stays"), "\(path): \(r.stderr)")
            #expect(try packs(dir) == before, "\(path) changed the packs in force")
        }
    }
}
