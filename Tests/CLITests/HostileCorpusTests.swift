import Foundation
import ChildProcess
import Testing

/// Issue #21: the committed hostile inputs of `Fixtures/hostile/cases.tsv`, replayed against the
/// debug binary for their exit codes (the large generated ones, and time and memory, are
/// `Scripts/hostile.sh`'s job on a release build).
@Suite(.timeLimit(.minutes(10))) struct HostileCorpusTests {
    struct Case: CustomStringConvertible {
        var id: String
        var allowed: Set<Int32>
        var stdin: String
        var args: [String]
        var description: String { id }
    }

    static func cases() -> [Case] {
        // An unreadable corpus gives no case, and `corpusIsThere` fails on it.
        let text = (try? String(contentsOf: CLI.root.appendingPathComponent("Fixtures/hostile/cases.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, !f[3].contains("{gen:"), !f[4].contains("{gen:"), !f[4].contains("{content:") else { return nil }
            return Case(id: f[0], allowed: Set(f[2].split(separator: ",").compactMap { Int32($0) }), stdin: f[3], args: f[4].split(separator: " ").map(String.init))
        }
    }

    /// One data folder for the whole corpus, not the user's: what the cases write (databases)
    /// stays out of their home. It starts with a copy of the run's screening index
    /// (`HubBinary.seededDataFolder`), so the cases that screen load it rather than build it.
    static let dataFolder = Task { try await HubBinary.seededDataFolder("customshub-hostile-data") }

    @Test func corpusIsThere() {
        #expect(Self.cases().count >= 30)
    }

    @Test(arguments: cases())
    func hostileInputIsRefusedOrAnsweredWithItsExitCode(_ c: Case) async throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("customshub-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let args = c.args.map { a -> String in
            if a.hasPrefix("{in:") { return CLI.root.appendingPathComponent("Fixtures/hostile/inputs/" + a.dropFirst(4).dropLast()).path }
            return a.replacingOccurrences(of: "{tmp}", with: tmp.path)
        }
        let executable: URL, arguments: [String], input: ChildProcess.Input
        switch c.stdin {
        case "closed":
            executable = URL(fileURLWithPath: "/bin/sh")
            arguments = ["-c", "exec \"$0\" \"$@\" <&-", CLI.binary.path] + args
            input = .devNull
        case "zero": (executable, arguments, input) = (CLI.binary, args, .devZero)
        default: (executable, arguments, input) = (CLI.binary, args, .devNull)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CUSTOMS_HUB_DATA"] = try await Self.dataFolder.value.path
        environment["CUSTOMS_HUB_DATABASE"] = nil
        let child = try await ChildProcess.run(executable, arguments, input: input, directory: CLI.root, environment: environment)
        let stderr = child.stderrText
        #expect(child.exitedNormally, "\(c.id) died by signal \(child.status)")
        #expect(c.allowed.contains(child.status), "\(c.id): exit \(child.status), stderr: \(stderr.prefix(300))")
        // Nothing a person reads is a raw Foundation error.
        #expect(!stderr.contains("NSCocoaErrorDomain") && !stderr.contains("Fatal error"), "\(c.id): \(stderr.prefix(300))")
    }
}
