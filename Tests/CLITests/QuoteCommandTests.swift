import ChildProcess
import Foundation
import Testing

/// `customs-hub quote`: JSON lines in, one JSON line out per request, in order; errors name the field.
@Suite(.serialized, .timeLimit(.minutes(10))) struct QuoteCommandTests {
    /// A pack folder with the EU rules only (the full folder loads 65k rules, too slow for a debug test).
    func euPacks() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quote-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["jurisdiction", "thresholds", "fees", "vat-rates", "preferences"] {
            try FileManager.default.copyItem(
                at: CLI.root.appendingPathComponent("Data/packs/EU/\(f).jsonl"), to: dir.appendingPathComponent("\(f).jsonl"))
        }
        return dir
    }

    /// `quote --watch` keeps answering while packs change: SIGHUP reloads them (it must not end the
    /// process, as SIGHUP does by default), and a new version becomes current.
    @Test func watchReloadsOnHangup() async throws {
        let dir = try euPacks()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathExtension("stdin")
        defer { try? FileManager.default.removeItem(at: fifo) }
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // The hub holds its own input open (fd 3 writes to the FIFO it reads), so it waits for requests.
        let hub = try ChildProcess.start(URL(fileURLWithPath: "/bin/sh"),
                                         ["-c", #"exec 3<>"$2"; exec "$0" quote --watch --packs "$1" <"$2""#, CLI.binary.path, dir.path, fifo.path])
        defer { Task { await hub.stop() } }
        try await hub.waitForOutput(120, "the packs loaded") { $0.contains("watching") }
        let file = dir.appendingPathComponent("thresholds.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        let version = try #require(text.firstMatch(of: #/"version":"([^"]+)"/#)?.output.1)
        let newer = text.replacingOccurrences(of: "\"version\":\"\(version)\"", with: "\"version\":\"\(version)-hup\"")
        try newer.write(to: dir.appendingPathComponent("thresholds-hup.jsonl"), atomically: true, encoding: .utf8)
        #expect(kill(hub.pid, SIGHUP) == 0)
        let output = try await hub.waitForOutput(60, "the reload") { $0.contains("\(version)-hup is now current") }
        #expect(output.contains("reloaded: eu-thresholds@\(version)-hup is now current"))
        #expect(hub.isRunning)
    }

    @Test func quotesEachLineInOrder() async throws {
        let dir = try euPacks()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = [
            #"{"id":"a","date":"2026-06-30","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"},{"hs_code":"42022100","quantity":1,"value":"30"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#,
            "not json",
            #"{"id":"c","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","channel":"pigeon"}"#,
            #"{"id":"d","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"},{"hs_code":"42022100","quantity":1,"value":"30"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#,
        ].joined(separator: "\n")
        let r = try await CLI.run(["quote", "--packs", dir.path], stdin: Data(input.utf8))
        #expect(r.status == 1, "two requests are refused: \(r.stderr)")
        let out = r.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 4)
        // #20: money is a decimal string with its currency, never a bare number.
        #expect(out[0].contains(#""id":"a""#) && out[0].contains(#""duty":{"amount":"0.00","currency":"EUR"}"#)
                && out[0].contains(#""vat":{"amount":"22.80","currency":"EUR"}"#))
        #expect(out[0].contains(#""vat_rate":"0.19""#) && out[0].contains(#""index":0"#))
        #expect(out[0].contains(#""vat_collected_at":"point_of_sale""#))
        #expect(out[1].contains(#""field":"$""#) && out[1].contains(#""line":2"#))
        #expect(out[2].contains(#"{"id":"c","error":{"field":"channel""#))
        #expect(out[3].contains(#""duty":{"amount":"6.00","currency":"EUR"}"#) && out[3].contains("EU_FLAT_DUTY_3"))
        #expect(out[3].contains(#""data_versions":["eu-jurisdiction@"#))
    }

    /// #20: a pretty-printed request is one request, not one error per line; the file is positional.
    @Test func prettyPrintedRequestsAndAPositionalFile() async throws {
        let dir = try euPacks()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try JSONSerialization.jsonObject(with: Data(#"{"id":"p","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#.utf8))
        let pretty = try JSONSerialization.data(withJSONObject: request, options: [.prettyPrinted, .sortedKeys])
        let file = dir.appendingPathComponent("requests.json")
        try (pretty + Data("\n".utf8) + pretty).write(to: file)
        let r = try await CLI.run(["quote", "--packs", dir.path, file.path])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.json.count == 2)
        #expect(r.json.allSatisfy { $0["id"] as? String == "p" && $0["error"] == nil })
    }

    /// The packs load for the first request that needs them: refused records alone are answered
    /// without them, and a pack folder that is missing is exit 3 once a request needs it.
    @Test func packsLoadForTheFirstRequestThatNeedsThem() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-packs-\(UUID().uuidString)").path
        let refusedOnly = try await CLI.run(["quote", "--packs", missing], stdin: Data("not json\n".utf8))
        #expect(refusedOnly.status == 1 && refusedOnly.json.first?["line"] as? Int == 1, "\(refusedOnly.stdout) \(refusedOnly.stderr)")
        #expect(!refusedOnly.stderr.contains("no pack folder"), "\(refusedOnly.stderr)")
        let request = #"{"id":"a","date":"2026-06-30","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#
        let needed = try await CLI.run(["quote", "--packs", missing], stdin: Data(("not json\n" + request + "\n").utf8))
        #expect(needed.status == 3, "\(needed.stdout) \(needed.stderr)")
        #expect(needed.stderr.contains("no pack folder \(missing)"), "\(needed.stderr)")
        #expect(needed.json.count == 1, "only the refused line before it is printed: \(needed.stdout)")
    }
}
