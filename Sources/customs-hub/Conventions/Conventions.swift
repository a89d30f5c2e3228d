import ArgumentParser
import Dispatch
import Foundation
import JSONCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one exit-code table every command follows, printed in every `--help`.
enum Exit {
    static let ok: Int32 = 0
    /// Some records were refused; each has its own output line saying why.
    static let refused: Int32 = 1
    /// The input cannot be read, or the command line is wrong.
    static let usage: Int32 = 2
    /// The configuration is broken: content folder, packs, lists, model, database.
    static let configuration: Int32 = 3

    static let table = """
        Exit status: 0 all good; 1 some records refused (each has its own line); 2 input unreadable or usage wrong; \
        3 configuration broken (content folder, packs, lists, model, database).
        """

    /// What every command has in common, for `customs-hub --help`; the folders and `--progress`
    /// are in `Help.footer`, which closes it as it closes every command's help.
    static let conventions = """
        Input: FILE, or - or nothing for stdin; one JSON document or JSON lines. Records go to stdout as JSON lines, \
        diagnostics to stderr as `customs-hub COMMAND: message`. Time: --at (RFC 3339). Database: --database or \
        CUSTOMS_HUB_DATABASE (default: customs-hub.sqlite in the data folder).
        """
}

/// Builds every command's `--help` discussion the same way: what it does, one example that runs
/// as written from the repository root, and the exit-code table.
enum Help {
    /// The line prefix the examples carry; `CLIExamplesTests` finds and runs them by it.
    static let examplePrefix = "Example: "

    static func text(_ body: String = "", example: String) -> String {
        (body.isEmpty ? "" : body + "\n\n") + examplePrefix + example + "\n\n" + footer
    }

    /// The exit-code table and the folders every command reads, closing every `--help`.
    static let footer = Exit.table + "\n" + """
        Folders: content (Schemas/, Data/, Mappings/, Adapters/) --content DIR or CUSTOMS_HUB_HOME (default: found \
        from the working directory); data (database, model, corrections) CUSTOMS_HUB_DATA (default: \
        ~/.local/share/customs-hub). Progress of long work is drawn on stderr when it is a terminal, or with --progress.
        """
}

/// Diagnostics: one sentence per problem on stderr, prefixed with the command.
enum Diagnostics {
    /// The command path (`customs-hub outbox list`), set once the arguments are parsed.
    nonisolated(unsafe) static var command = "customs-hub"

    static func say(_ message: String) {
        FileHandle.standardError.write(Data("\(command): \(message)\n".utf8))
    }

    /// Prints `message` and exits with `code`.
    static func fail(_ message: String, exit code: Int32) -> ExitCode {
        say(message)
        return ExitCode(code)
    }
}

/// The process entry: parses, runs, and turns every error into the exit-code table with a message
/// a person can act on. A bad argument prints the subcommand's own usage.
enum Entry {
    static func main<Root: ParsableCommand>(_ root: Root.Type) async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // The subcommand is named before parsing, so that errors found while parsing and
        // validating say which command they are about, in the same shape as every other diagnostic.
        Diagnostics.command = commandPath(Root.self, arguments: arguments)
        for warning in EnvironmentNames.warnings(ProcessInfo.processInfo.environment) { Diagnostics.say(warning) }
        // `--content DIR` works for every command the same way: it names the content folder.
        if let i = arguments.firstIndex(where: { $0 == "--content" || $0.hasPrefix("--content=") }) {
            let value: String?
            if arguments[i].hasPrefix("--content=") {
                value = String(arguments[i].dropFirst("--content=".count))
                arguments.remove(at: i)
            } else if i + 1 < arguments.count {
                value = arguments[i + 1]
                arguments.removeSubrange(i...(i + 1))
            } else {
                value = nil
            }
            guard let value, !value.isEmpty else {
                Diagnostics.say("--content needs a folder")
                exit(Exit.usage)
            }
            setenv("CUSTOMS_HUB_HOME", URL(fileURLWithPath: value).standardizedFileURL.path, 1)
        }
        // `--progress` works for every command: progress is drawn even when stderr is not a terminal.
        if let i = arguments.firstIndex(of: "--progress") {
            arguments.remove(at: i)
            Progress.forced = true
        }
        var command: any ParsableCommand
        do {
            command = try Root.parseAsRoot(arguments)
        } catch {
            let code = Root.exitCode(for: error)
            if code == .success { Root.exit(withError: error) }
            let text = Root.fullMessage(for: error)
            if !text.isEmpty { FileHandle.standardError.write(Data((shape(text) + "\n").utf8)) }
            // ArgumentParser's EX_USAGE (64) and generic failures are bad usage here; 2 and 3 stand.
            exit(code.rawValue == Exit.configuration ? Exit.configuration : Exit.usage)
        }
        let type = Swift.type(of: command)
        Diagnostics.command = commandPath(Root.self, type)
        do {
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("\(Diagnostics.command): \(error.message)\n\(usage(Root.self, type))\n".utf8))
            exit(Exit.usage)
        } catch is CleanExit {
            // Only a command group's `run` (or the root's without `--version`) asks for help from
            // `run`: no subcommand was named, which is bad usage (`--help` and `help` exit 0).
            let names = type.configuration.subcommands.map { $0._commandName }
            FileHandle.standardError.write(Data("\(Diagnostics.command): name a command: \(names.joined(separator: ", "))\n\(usage(Root.self, type))\n".utf8))
            exit(Exit.usage)
        } catch {
            // `help` and parser errors raised while running keep ArgumentParser's text.
            let code = Root.exitCode(for: error)
            if code == .success { Root.exit(withError: error) }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((shape(Root.fullMessage(for: error)) + "\n").utf8))
                exit(Exit.usage)
            }
            Diagnostics.say("\(error)")
            exit(Exit.configuration)
        }
    }

    /// ArgumentParser's `Error: message` in the diagnostic shape: `customs-hub COMMAND: message`.
    static func shape(_ text: String) -> String {
        text.hasPrefix("Error: ") ? Diagnostics.command + ": " + text.dropFirst("Error: ".count) : text
    }

    /// The command the leading words of `arguments` name (`customs-hub outbox list`), before parsing.
    static func commandPath<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]) -> String {
        var type: any ParsableCommand.Type = root
        var words = [root._commandName]
        for word in arguments {
            guard let sub = type.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            type = sub
            words.append(word)
        }
        return words.joined(separator: " ")
    }

    /// The USAGE paragraph of a subcommand's help, and where to read more.
    static func usage<Root: ParsableCommand>(_ root: Root.Type, _ type: any ParsableCommand.Type) -> String {
        let help = root.helpMessage(for: type)
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }) else { return help }
        var block: [Substring] = [Substring("Usage:" + lines[start].dropFirst("USAGE:".count))]
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            block.append(line)
        }
        return block.joined(separator: "\n") + "\n  See '\(commandPath(root, type)) --help' for more information."
    }

    /// `customs-hub outbox list` for the `List` type: the words of its usage line before the first option.
    static func commandPath<Root: ParsableCommand>(_ root: Root.Type, _ type: any ParsableCommand.Type) -> String {
        if type == root { return root._commandName }
        let help = root.helpMessage(for: type, columns: 10_000)
        guard let line = help.split(separator: "\n").first(where: { $0.hasPrefix("USAGE:") }) else { return root._commandName }
        let words = line.dropFirst("USAGE:".count).split(separator: " ").prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }
        return words.joined(separator: " ")
    }
}

/// The one way a command reads its input: FILE, `-` or nothing for stdin, read in full (bounded),
/// or as records one at a time. An unreadable input is exit 2 with a sentence saying why.
enum Input {
    /// The whole input; exits 2 when it cannot be read.
    static func bytes(_ path: String?) throws -> [UInt8] {
        do { return try InputFile(path).readAll() } catch {
            throw Diagnostics.fail("\(error)", exit: Exit.usage)
        }
    }

    /// The input as one document (a message, an XML file); an empty one is unreadable: exit 2.
    static func document(_ path: String?) throws -> [UInt8] {
        let bytes = try bytes(path)
        if RecordInput.isBlank(bytes) { throw Diagnostics.fail("\(name(path)): the input is empty", exit: Exit.usage) }
        return bytes
    }

    /// The input's records, read in full. An empty input is no records: said on stderr, not an error.
    static func recordList(_ path: String?, forceLines: Bool = false) throws -> [RecordInput.Record] {
        let records = RecordInput.records(try bytes(path), forceLines: forceLines)
        if records.isEmpty { Diagnostics.say("\(name(path)): no record in the input") }
        return records
    }

    static func name(_ path: String?) -> String { path == nil || path == "-" ? "stdin" : path! }

    /// A record reader on the input; exits 2 when it cannot be opened.
    static func records(_ path: String?, forceLines: Bool = false) throws -> RecordReader {
        do { return RecordReader(try InputFile(path), forceLines: forceLines) } catch {
            throw Diagnostics.fail("\(error)", exit: Exit.usage)
        }
    }

    /// The positional FILE, or the deprecated `--input` when only that was given.
    static func path(_ file: String?, deprecated input: String?) throws -> String? {
        if let file, let input, file != input { throw ValidationError("give the input once: FILE (--input is the old spelling)") }
        if input != nil { Diagnostics.say("--input is deprecated; give the file as the last argument") }
        return file ?? input
    }
}

/// Reads records one at a time as they arrive: JSON lines, and pretty-printed documents (a line
/// that is only `{` or `[` opens a document that runs to its closing bracket). Blank lines are skipped.
final class RecordReader {
    let input: InputFile
    let forceLines: Bool
    /// Records read so far (including refused ones).
    private(set) var count = 0

    init(_ input: InputFile, forceLines: Bool = false) {
        self.input = input
        self.forceLines = forceLines
    }

    var name: String { input.name }

    /// The next record and the line it starts on; nil at the end. Throws when the input cannot be read.
    func next() throws(InputError) -> RecordInput.Record? {
        while let line = try input.nextLine() {
            let start = input.lineNumber
            let trimmed = line.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            if trimmed.isEmpty { continue }
            count += 1
            guard !forceLines, trimmed == [UInt8(ascii: "{")] || trimmed == [UInt8(ascii: "[")] else {
                return RecordInput.Record(line: start, bytes: line)
            }
            var document = line
            var depth = BracketDepth()
            depth.feed(line)
            while depth.open, let more = try input.nextLine() {
                document.append(0x0A)
                document.append(contentsOf: more)
                if document.count > InputFile.maxDocumentBytes {
                    throw InputError("\(input.name) line \(start): the document is larger than the \(InputFile.maxDocumentBytes)-byte limit")
                }
                depth.feed(more)
            }
            return RecordInput.Record(line: start, bytes: document)
        }
        return nil
    }
}

/// Counts open brackets outside strings, to find where a pretty-printed document ends.
struct BracketDepth {
    private var depth = 0
    private var inString = false
    private var escaped = false
    var open: Bool { depth > 0 }

    mutating func feed(_ bytes: [UInt8]) {
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D: depth -= 1
            default: break
            }
        }
    }
}

/// How output values are written everywhere: integers as JSON numbers, other numbers (money,
/// rates, weights) as decimal strings (quotes: `QuoteWire`), the store's millisecond times as RFC 3339.
enum OutputShape {
    static func normalise(_ value: JSONValue) -> JSONValue {
        RFC3339Times.convert(value)
    }
}

/// Progress of long work on stderr: a bar with count, rate and time left when stderr is a
/// terminal (or `--progress` asks for it: then one plain line a second); in every case one
/// summary line at the end. Work that cannot count its steps (training) shows the time it has taken.
final class Progress: @unchecked Sendable {
    /// Set by `--progress`: draw even when stderr is not a terminal.
    nonisolated(unsafe) static var forced = false

    let label: String
    let total: Int?
    let started = Date()
    private let lock = NSLock()
    private var done = 0
    private var lastDraw = Date.distantPast
    private var drew = false
    private let terminal = isatty(2) == 1
    private let drawing = isatty(2) == 1 || Progress.forced
    private var timer: (any DispatchSourceTimer)?

    init(_ label: String, total: Int? = nil) {
        self.label = label
        self.total = total
    }

    func step(_ n: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        guard drawing else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (terminal ? 0.2 : 1) else { return }
        draw(now)
    }

    /// For work without steps: redraws the elapsed time every second until `finish`.
    func tick() {
        guard drawing else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.lock.lock()
            defer { self.lock.unlock() }
            self.draw(Date())
        }
        self.timer = timer
        timer.resume()
    }

    /// Caller holds the lock.
    private func draw(_ now: Date) {
        lastDraw = now
        drew = true
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        // On a terminal the line is redrawn in place; elsewhere each is a diagnostic line of its own.
        let head = terminal ? label : Diagnostics.command
        var text: String
        if let total, total > 0 {
            let width = 24
            let filled = min(width, done * width / total)
            let left = rate > 0 ? Double(total - done) / rate : 0
            text = "\(head) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                + "] \(done)/\(total) \(String(format: "%.0f", rate))/s \(String(format: "%.0f", left)) s left"
        } else if done > 0 {
            text = "\(head): \(done) \(String(format: "%.0f", rate))/s"
        } else {
            text = "\(head): working, \(String(format: "%.0f", elapsed)) s"
        }
        FileHandle.standardError.write(Data((terminal ? "\r" + text + "\u{1B}[K" : text + "\n").utf8))
    }

    /// One line in every case: what was done and how long it took.
    func finish(_ summary: String) {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        let clear = terminal && drew ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data("\(clear)\(Diagnostics.command): \(summary) in \(seconds) s\n".utf8))
    }
}

/// Where the hub keeps what it writes (database, trained model, corrections): `CUSTOMS_HUB_DATA`,
/// else `~/.local/share/customs-hub` (`$XDG_DATA_HOME/customs-hub`), else the working directory.
enum DataFolder {
    static var url: URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["CUSTOMS_HUB_DATA"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("customs-hub") }
        if let home = env["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share/customs-hub")
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }

    /// The prebuilt screening index (written by the first load, rebuilt when the lists change).
    static var screeningCache: URL { url.appendingPathComponent("Models/screening-index.bin") }

    /// Where classifier models trained on a first start are kept for the next first start in
    /// another data folder (same content, same program): `CUSTOMS_HUB_CACHE`, else
    /// `$XDG_CACHE_HOME/customs-hub` or `~/.cache/customs-hub`; `CUSTOMS_HUB_CACHE=off` keeps none.
    static var modelCache: URL? {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["CUSTOMS_HUB_CACHE"], !dir.isEmpty { return dir == "off" ? nil : URL(fileURLWithPath: dir, isDirectory: true) }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("customs-hub") }
        if let home = env["HOME"], !home.isEmpty { return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/customs-hub") }
        return nil
    }

    /// `relative` under the data folder, with its folder created.
    static func file(_ relative: String) throws -> URL {
        let url = Self.url.appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw Diagnostics.fail("cannot create the data folder \(url.deletingLastPathComponent().path) (set CUSTOMS_HUB_DATA): \(error.localizedDescription)",
                                   exit: Exit.configuration)
        }
        return url
    }
}
