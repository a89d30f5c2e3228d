import ChildProcess
import Foundation
import Testing

/// Issue #20: every command's `--help` carries an example that runs as written from the
/// repository root, and the one exit-code table. The walk starts at `customs-hub --help` and
/// follows every subcommand, so a new command without an example fails here.
@Suite(.timeLimit(.minutes(10))) struct CLIExamplesTests {
    struct Example: CustomStringConvertible {
        var command: String
        var text: String
        var description: String { text }
    }

    struct HelpFailure: Error, CustomStringConvertible { var description: String }

    /// Help with no wrapping, so an example is one line.
    static func help(_ path: [String]) async throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "10000"
        let r = try await CLI.run(path + ["--help"], environment: env)
        guard r.status == 0 else { throw HelpFailure(description: "\(path) --help exited \(r.status): \(r.stderr)") }
        return r.stdout
    }

    /// The subcommand names listed under SUBCOMMANDS.
    static func subcommands(_ help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSection = true; continue }
            guard inSection else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    /// Every command path and its help text, depth first in the order `--help` lists them. Walked
    /// once per test run (about 50 processes) and shared by the tests that need the command list.
    static func walk() async throws -> [(path: [String], help: String)] { try await pages.value }

    private static let pages = Task { try await walkAll() }

    private static func walkAll() async throws -> [(path: [String], help: String)] {
        var out: [(path: [String], help: String)] = []
        var queue: [[String]] = [[]]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let text = try await help(path)
            out.append((path, text))
            queue.insert(contentsOf: subcommands(text).map { path + [$0] }, at: 0)
        }
        return out
    }

    /// Examples whose run needs more than a debug test should spend, or that rewrite the checkout:
    /// checked for presence only. Each is named with its reason.
    static let notRun: [String: String] = [
        "tariff-import": "rewrites the repository's Data/packs (its purpose); Scripts and the duty tests cover the importer",
        "data update": "rewrites the content folder's Data (its purpose); DataUpdateTests run it on a copy",
        "serve": "a service that runs until it is stopped; ServerTests start it on loopback and stop it",
        "sandbox": "a service that runs until it is stopped; ServerTests run it inside serve --demo",
    ]

    /// Examples whose stdout is what they make rather than JSON lines (README: command-line conventions).
    static let notJSONLines: Set<String> = ["mappings", "mappings check", "edifact write", "edifact contrl"]

    /// Examples that must run before others (they create what the others read), in this order.
    static let first = ["train", "outbox enqueue", "submit"]

    /// Runs beside `train`, before `submit` (train writes the model, this checks the screening index
    /// the data folder starts with; both are what `submit` loads from the data folder).
    static let besideTrain = "data index"

    /// Examples that neither read nor write the data folder: they run in a lane of their own, beside
    /// the examples that share the data folder and must keep their order.
    static let stateless: Set<String> = [
        "validate", "render", "ingest", "adapters", "mappings", "mappings check", "xml", "xml validate", "xml schemas", "xml render",
        "xml status", "quote", "data", "data sources", "edifact", "edifact parse", "edifact write", "edifact validate", "edifact contrl",
        "extract",
    ]

    /// Examples documented to exit with something other than 0 against a fresh data folder.
    static let expected: [String: Set<Int32>] = [
        "review show": [0, 1], "review resolve": [0, 1],
    ]

    @Test func everyHelpHasAnExampleAndTheExitTable() async throws {
        let pages = try await Self.walk()
        #expect(pages.count >= 40, "found \(pages.count) commands")
        for page in pages {
            let name = page.path.isEmpty ? "customs-hub" : page.path.joined(separator: " ")
            #expect(page.help.contains("Exit status: 0 all good; 1 some records refused"), "\(name) --help has no exit-code table")
            let examples = page.help.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Example: ") }
            #expect(examples.count == 1, "\(name) --help has \(examples.count) examples")
            if let example = examples.first {
                #expect(example.contains("customs-hub" + (page.path.isEmpty ? "" : " " + name)), "\(name): the example runs another command: \(example)")
            }
        }
    }

    @Test func everyExampleRunsAsWrittenWithinTheExitTable() async throws {
        let pages = try await Self.walk()
        var examples: [Example] = []
        for page in pages {
            for line in page.help.split(separator: "\n") {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.hasPrefix("Example: ") {
                    examples.append(Example(command: page.path.joined(separator: " "), text: String(text.dropFirst("Example: ".count))))
                }
            }
        }
        try #require(examples.count >= 40)
        examples = examples.enumerated().sorted { a, b in
            let ia = Self.first.firstIndex(of: a.element.command) ?? Self.first.count
            let ib = Self.first.firstIndex(of: b.element.command) ?? Self.first.count
            return (ia, a.offset) < (ib, b.offset)
        }.map(\.element)
        // The data folder starts with the run's screening index (built once by `customs-hub data index`
        // in HubBinary), so the `data index` example finds it current and `submit` and `screen` load it.
        let data = try await HubBinary.seededDataFolder("customs-hub-examples")
        defer { try? FileManager.default.removeItem(at: data) }
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = data.path
        env["CUSTOMS_HUB_HOME"] = nil
        env["CUSTOMS_HUB_DATABASE"] = nil
        env["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        let environment = env
        @Sendable func check(_ example: Example) async throws {
            let child = try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", example.text], input: .devNull,
                                                   directory: CLI.root, environment: environment)
            let allowed = Self.expected[example.command] ?? [0]
            #expect(allowed.contains(child.status), "`\(example.text)` exited \(child.status): \(child.stderrText.prefix(600))")
            #expect(!child.stderrText.contains("Fatal error"), "`\(example.text)`: \(child.stderrText.prefix(300))")
            if !Self.notJSONLines.contains(example.command) {
                // Records as compact JSON lines on stdout, nothing else.
                for line in child.stdoutText.split(separator: "\n") {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "`\(example.text)` printed a line that is not JSON: \(line.prefix(200))")
                }
            }
        }
        let run = examples.filter { Self.notRun[$0.command] == nil }
        let stateless = run.filter { Self.stateless.contains($0.command) }
        let ordered = run.filter { !Self.stateless.contains($0.command) }
        let opening = ordered.filter { $0.command == "train" || $0.command == Self.besideTrain }
        try #require(opening.count == 2, "no train or \(Self.besideTrain) example")
        try await withThrowingTaskGroup(of: Void.self) { lanes in
            lanes.addTask { for example in stateless { try await check(example) } }
            lanes.addTask {
                try await withThrowingTaskGroup(of: Void.self) { pair in
                    for example in opening { pair.addTask { try await check(example) } }
                    try await pair.waitForAll()
                }
                for example in ordered where !opening.contains(where: { $0.text == example.text }) { try await check(example) }
            }
            try await lanes.waitForAll()
        }
        // The examples wrote into the data folder, not into the checkout.
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("customs-hub.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent("customs-hub.sqlite").path))
    }

    @Test func aBadArgumentPrintsTheSubcommandsUsageAndExitsTwo() async throws {
        let r = try await CLI.run(["outbox", "show", "abc"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("customs-hub outbox show"), "\(r.stderr)")
        // A ValidationError thrown while running names the subcommand too, not the top level.
        let render = try await CLI.run(["render", "--adapter", "uk-cds", "--at", "yesterday", "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"])
        #expect(render.status == 2)
        #expect(render.stderr.hasPrefix("customs-hub render: --at"), "\(render.stderr)")
        #expect(render.stderr.contains("Usage: customs-hub render"), "\(render.stderr)")
        let missing = try await CLI.run(["classify", "Fixtures/no-such-file.jsonl"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-file.jsonl"), "\(missing.stderr)")
    }

    @Test func versionNamesPacksListsAndModelWithoutTraining() async throws {
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-none-\(UUID().uuidString)").path
        let r = try await CLI.run(["--version"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let v = try #require(r.json.first)
        #expect(v["customs_hub"] is String)
        let packs = try #require(v["packs"] as? [[String: Any]])
        #expect(packs.contains { $0["pack"] as? String == "eu-vat" && $0["version"] is String })
        #expect((v["lists"] as? [[String: Any]])?.contains { $0["list"] as? String == "ofac_sdn" } == true)
        // A model saved earlier in the content folder (`serve` keeps one in Models/) is named; none is trained
        // to print a version: the fresh data folder stays empty.
        #expect(v["model"] is NSNull || (v["model"] as? [String: Any])?["version"] is String, "\(v["model"] ?? "")")
        let data = try #require(env["CUSTOMS_HUB_DATA"])
        #expect(!FileManager.default.fileExists(atPath: data + "/Models/hs-classifier.bin"), "--version trained a model")
    }

    @Test func anUnreachablePostgresIsNamedWithinSeconds() async throws {
        // Nothing listens on port 9: the probe names host and port instead of the pool's error after its retries.
        let r = try await CLI.run(["outbox", "stats", "--database", "postgres://hub@127.0.0.1:9/hub"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:9"), "\(r.stderr)")
    }

    @Test func aNewDatabaseIsAnnouncedAndAMissingFolderIsNamed() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("hub.sqlite").path
        // A command that writes (here: enqueueing no filings) creates the named database and says so.
        let fresh = try await CLI.run(["outbox", "enqueue", "--database", database, "-"])
        #expect(fresh.status == 0 && fresh.stderr.contains("creating a new database at"), "\(fresh.stderr)")
        let again = try await CLI.run(["outbox", "stats", "--database", database])
        #expect(again.status == 0 && !again.stderr.contains("creating"), "\(again.stderr)")
        let typo = try await CLI.run(["outbox", "stats", "--database", dir.appendingPathComponent("no-such-folder/hub.sqlite").path])
        #expect(typo.status == 3 && typo.stderr.contains("no-such-folder"), "\(typo.stderr)")
    }

    /// A command that only reads never creates the database it is named: a mistyped name is refused
    /// (exit 3, the name on stderr), not listed as an empty store.
    @Test func aReadingCommandRefusesADatabaseThatDoesNotExist() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let typo = dir.appendingPathComponent("hbu.sqlite").path
        for command in [["orders", "list"], ["orders", "show", "1"], ["review", "list"], ["audit", "verify"],
                        ["outbox", "list"], ["outbox", "stats"], ["callbacks", "list"]] {
            let r = try await CLI.run(command + ["--database", typo])
            #expect(r.status == 3 && r.stderr.contains("\(typo) does not exist") && r.stdout.isEmpty, "\(command): \(r.status) \(r.stderr)")
        }
        let viaEnvironment = try await CLI.run(["orders", "list"], environment: CLI.isolated.merging(["CUSTOMS_HUB_DATABASE": "sqlite:" + typo]) { $1 })
        #expect(viaEnvironment.status == 3 && viaEnvironment.stderr.contains("\(typo) does not exist"), "\(viaEnvironment.stderr)")
        #expect(!FileManager.default.fileExists(atPath: typo))
    }

    /// One broken adapter file is reported and left out; the other adapters still load.
    @Test func oneBrokenAdapterDoesNotStopTheOthers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The catalog does not follow symbolic links, so the folders it and the validator read are copied (about 2.3 MB).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Data"), withIntermediateDirectories: true)
        for folder in ["Schemas", "Mappings", "Adapters", "Data/edifact", "Data/rules", "Data/hs"] {
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
        }
        try "id: broken\nname: [unclosed\n".write(to: dir.appendingPathComponent("Adapters/broken.yaml"), atomically: true, encoding: .utf8)
        try "broken: [\n".write(to: dir.appendingPathComponent("Mappings/uk-ics/entry-summary.yaml"), atomically: true, encoding: .utf8)
        let r = try await CLI.run(["adapters", "--content", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("broken.yaml"), "\(r.stderr)")
        #expect(r.json.contains { $0["adapter"] as? String == "uk-cds" })
        let render = try await CLI.run(["render", "--content", dir.path, "--adapter", "uk-cds", "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"])
        #expect(render.status == 0, "a healthy adapter renders beside a broken one: \(render.stderr)")
        let check = try await CLI.run(["mappings", "check", "--content", dir.path])
        #expect(check.status == 1 && check.stderr.contains(dir.lastPathComponent), "\(check.stdout) \(check.stderr)")
        // The adapter's mapping exists but failed to load: it is not called missing.
        #expect(check.stdout.contains("mapping uk-ics/entry-summary.yaml did not load"), "\(check.stdout)")
    }

    /// `xml render` names the flag to set (`--set NAME=…` for a movement value), not the engine's field.
    @Test func xmlRenderErrorsNameTheFlag() async throws {
        let r = try await CLI.run(["xml", "render", "--format", "ics", "--at", "2026-11-21T15:04:00Z", "Fixtures/xml/orders/gb-b2c-cds-ready.json"])
        #expect(r.status == 1)
        let paths = (r.json.first?["errors"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.contains("--set office_of_first_entry=…"), "\(paths)")
        #expect(!paths.contains { $0.hasPrefix("options.") }, "\(paths)")
    }
}
