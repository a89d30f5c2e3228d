import ChildProcess
import Foundation
import Testing

/// Issue #20: one table of exit codes and streams for every command. The command list comes from
/// walking `customs-hub --help`, so a new command that reads input must be added to the table
/// below (and then follows it) or this suite fails.
@Suite(.timeLimit(.minutes(10))) struct CLIConventionsTests {
    /// Every command that reads a FILE (`-` or nothing for stdin), with the arguments it needs besides it.
    static let inputCommands: [String: [String]] = [
        "validate": [],
        "render": ["--adapter", "uk-cds"],
        "ingest": ["--adapter", "shop-webhook"],
        "xml validate": ["--schema", "cds-declaration"],
        "xml render": ["--format", "cds"],
        "xml status": [],
        "screen": [],
        "classify": [],
        "quote": [],
        "edifact parse": [],
        "edifact write": [],
        "edifact validate": [],
        "edifact contrl": [],
        "outbox enqueue": [],
        "callbacks receive": ["--adapter", "uk-cds"],
        "submit": [],
        "extract": [],
    ]

    /// Commands that read many records: an empty input is no records (exit 0, said on stderr), and a
    /// record that is not JSON is refused in its own output line (exit 1) while the rest go on.
    static let recordCommands = ["validate", "render", "xml render", "screen", "classify", "quote", "outbox enqueue", "submit"]

    /// Commands that read one document: an empty input cannot be read (exit 2).
    static let documentCommands = ["ingest", "xml validate", "xml status", "edifact parse", "edifact write", "edifact validate", "edifact contrl", "extract"]

    struct Case: CustomStringConvertible {
        var command: String
        var arguments: [String]
        var description: String { command }
        var path: [String] { command.split(separator: " ").map(String.init) }
    }

    static func cases(_ names: [String]) -> [Case] {
        names.map { Case(command: $0, arguments: $0.split(separator: " ").map(String.init) + (inputCommands[$0] ?? [])) }
    }

    /// An environment whose data folder is fresh (databases, models and corrections go there).
    static func environment() throws -> (env: [String: String], data: URL) {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-conventions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = data.path
        env["CUSTOMS_HUB_DATABASE"] = nil
        env["COLUMNS"] = "10000"
        return (env, data)
    }

    @Test func everyCommandThatReadsAFileIsInTheTable() async throws {
        let pages = try await CLIExamplesTests.walk()
        var reading: Set<String> = []
        for page in pages {
            guard let usage = page.help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE:") }) else { continue }
            if usage.contains("<file>") { reading.insert(page.path.joined(separator: " ")) }
        }
        #expect(reading == Set(Self.inputCommands.keys), "commands reading FILE: \(reading.sorted())")
        #expect(Set(Self.recordCommands + Self.documentCommands).isSubset(of: reading))
    }

    @Test(arguments: cases(inputCommands.keys.sorted()))
    func aMissingFileOrADirectoryIsExitTwoSaidOnStderr(_ c: Case) async throws {
        let (env, data) = try Self.environment()
        defer { try? FileManager.default.removeItem(at: data) }
        let missing = try await CLI.run(c.arguments + ["Fixtures/no-such-file.json"], environment: env)
        #expect(missing.status == 2, "\(c): exit \(missing.status): \(missing.stderr)")
        #expect(missing.stdout.isEmpty, "\(c): stdout \(missing.stdout)")
        #expect(missing.stderr.hasPrefix("customs-hub \(c.command): ") && missing.stderr.contains("no-such-file.json"), "\(c): \(missing.stderr)")
        let directory = try await CLI.run(c.arguments + ["Fixtures"], environment: env)
        #expect(directory.status == 2, "\(c): exit \(directory.status): \(directory.stderr)")
        #expect(directory.stdout.isEmpty && directory.stderr.hasPrefix("customs-hub \(c.command): "), "\(c): \(directory.stderr)")
    }

    @Test func aBadOptionIsExitTwoWithTheCommandsOwnUsage() async throws {
        let pages = try await CLIExamplesTests.walk()
        try #require(pages.count >= 40)
        for page in pages {
            let name = (["customs-hub"] + page.path).joined(separator: " ")
            let r = try await CLI.run(page.path + ["--no-such-option"])
            #expect(r.status == 2, "\(name): exit \(r.status)")
            #expect(r.stdout.isEmpty, "\(name): stdout \(r.stdout)")
            #expect(r.stderr.hasPrefix("\(name): "), "\(name): \(r.stderr)")
            #expect(r.stderr.contains("Usage: \(name)"), "\(name): not its own usage: \(r.stderr)")
        }
    }

    /// Naming no command (`customs-hub`, `customs-hub outbox`) is bad usage: exit 2, the usage and
    /// the commands to name on stderr, nothing on stdout. Asking for help (`--help`, `help`) is not.
    @Test func namingNoCommandIsBadUsageAndAskingForHelpIsNot() async throws {
        let pages = try await CLIExamplesTests.walk()
        let groups = pages.filter { !CLIExamplesTests.subcommands($0.help).isEmpty }.map(\.path)
        try #require(groups.contains([]) && groups.contains(["outbox"]) && groups.count >= 6, "\(groups)")
        for path in groups {
            let name = (["customs-hub"] + path).joined(separator: " ")
            let r = try await CLI.run(path)
            #expect(r.status == 2, "\(name): exit \(r.status)")
            #expect(r.stdout.isEmpty, "\(name): stdout \(r.stdout)")
            #expect(r.stderr.hasPrefix("\(name): name a command: "), "\(name): \(r.stderr)")
            #expect(r.stderr.contains("Usage: \(name)"), "\(name): not its own usage: \(r.stderr)")
        }
        for arguments in [["--help"], ["help"], ["help", "outbox"], ["outbox", "--help"]] {
            let r = try await CLI.run(arguments)
            #expect(r.status == 0 && r.stdout.contains("USAGE: customs-hub") && r.stderr.isEmpty, "\(arguments): exit \(r.status): \(r.stderr)")
        }
    }

    /// A misspelt `CUSTOMS_HUB_*` name is warned about once, with the name meant, and changes nothing
    /// else; the names the program reads (the adapters' by their pattern) are not.
    @Test func aMisspeltSettingIsWarnedOnceWithTheClosestNameAndNeverFails() async throws {
        let (env, data) = try Self.environment()
        defer { try? FileManager.default.removeItem(at: data) }
        let order = "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"
        let clean = try await CLI.run(["validate", order], environment: env.merging(["CUSTOMS_HUB_ADAPTER_UK_CDS_ENDPOINT": "http://127.0.0.1:9"]) { $1 })
        #expect(clean.status == 0 && clean.stderr.isEmpty, "\(clean.stderr)")
        var misspelt = env
        misspelt["CUSTOMS_HUB_DATABSE"] = "sqlite:/nowhere/hub.sqlite"
        misspelt["CUSTOMS_HUB_ADAPTER_UK_CDS_ENDPIONT"] = "http://127.0.0.1:9"
        let r = try await CLI.run(["validate", order], environment: misspelt)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == clean.stdout)
        let warnings = r.stderr.split(separator: "\n")
        #expect(warnings.count == 2, "\(r.stderr)")
        #expect(warnings.first == "customs-hub validate: CUSTOMS_HUB_ADAPTER_UK_CDS_ENDPIONT is not a setting this program reads; ignored (did you mean CUSTOMS_HUB_ADAPTER_<ID>_ENDPOINT?)", "\(r.stderr)")
        #expect(warnings.last == "customs-hub validate: CUSTOMS_HUB_DATABSE is not a setting this program reads; ignored (did you mean CUSTOMS_HUB_DATABASE?)", "\(r.stderr)")
        // Every command, bad usage included: the warning comes first and the exit stays the command's own.
        let usage = try await CLI.run(["validate", "--no-such-option"], environment: misspelt)
        #expect(usage.status == 2 && usage.stderr.hasPrefix("customs-hub validate: CUSTOMS_HUB_ADAPTER_UK_CDS_ENDPIONT "), "\(usage.stderr)")
    }

    @Test(arguments: cases(recordCommands))
    func anEmptyInputIsNoRecordsAndANonJSONRecordIsRefusedInItsLine(_ c: Case) async throws {
        let (env, data) = try Self.environment()
        defer { try? FileManager.default.removeItem(at: data) }
        let empty = try await CLI.run(c.arguments, stdin: Data("\n  \n".utf8), environment: env)
        #expect(empty.status == 0, "\(c): exit \(empty.status): \(empty.stderr)")
        #expect(empty.stdout.isEmpty, "\(c): \(empty.stdout)")
        let r = try await CLI.run(c.arguments, stdin: Data("{not json}\n".utf8), environment: env)
        #expect(r.status == 1, "\(c): exit \(r.status): \(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(c): \(r.stdout)")
        let line = try #require(r.json.first, "\(c): not a JSON object: \(r.stdout)")
        #expect(line["line"] as? Int == 1, "\(c): the refusal does not name its input line as a number: \(r.stdout)")
        #expect(line["ok"] == nil && line["index"] == nil, "\(c): a field of its own beside the convention's: \(r.stdout)")
        #expect(!r.stderr.contains("Fatal error"), "\(c): \(r.stderr)")
    }

    @Test(arguments: cases(documentCommands))
    func anEmptyDocumentIsExitTwo(_ c: Case) async throws {
        let r = try await CLI.run(c.arguments, stdin: Data())
        #expect(r.status == 2, "\(c): exit \(r.status): \(r.stdout) \(r.stderr)")
        #expect(r.stdout.isEmpty && r.stderr.hasPrefix("customs-hub \(c.command): "), "\(c): \(r.stdout) \(r.stderr)")
    }

    /// `--progress` draws progress on stderr when it is not a terminal (here: a pipe), and the final
    /// summary line is there in every case; stdout keeps only the records. (Records that are not
    /// JSON keep it quick: `classify` loads no model for them.)
    @Test func progressIsDrawnWhenAskedAndTheSummaryAlways() async throws {
        let input = Data(String(repeating: "{not json}\n", count: 3).utf8)
        let plain = try await CLI.run(["classify"], stdin: input)
        #expect(plain.status == 1 && plain.json.count == 3, "\(plain.stderr)")
        #expect(plain.stderr.contains("customs-hub classify: 3 records, 3 refused in "), "\(plain.stderr)")
        #expect(!plain.stderr.contains("/s"), "\(plain.stderr)")
        let asked = try await CLI.run(["classify", "--progress"], stdin: input)
        #expect(asked.status == 1 && asked.json.count == 3, "\(asked.stderr)")
        #expect(asked.stderr.contains("customs-hub classify: 1 "), "\(asked.stderr)")
        #expect(asked.stderr.contains("customs-hub classify: 3 records, 3 refused in "), "\(asked.stderr)")
    }
}
