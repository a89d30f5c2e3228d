import ArgumentParser
import CustomsModel
import JSONCore
import EDIFACT
import Foundation
import HubContent

/// `customs-hub edifact …`: the edge around the pure EDIFACT engine (reads files and grammar data,
/// takes the clock, prints results).
struct EdifactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edifact",
        abstract: "Read, write, validate and acknowledge UN/EDIFACT interchanges.",
        discussion: Help.text("Exit 1 means the interchange has errors (the output is still printed).",
                              example: "customs-hub edifact parse Fixtures/edifact/pydifact_invoice1.edi"),
        subcommands: [EdifactParse.self, EdifactWrite.self, EdifactValidate.self, EdifactContrl.self])
}

/// Options shared by the commands that read EDIFACT.
struct EdifactInputOptions: ParsableArguments {
    @Argument(help: "EDIFACT file to read; - or nothing for stdin.")
    var file: String?

    @Option(name: .long, help: "Partner charset overriding UNB S001 (a syntax identifier: UNOC, UNOW, UNOD...).")
    var charset: String?

    @Flag(name: .long, help: "Strict partner: trailing separators and bytes outside the declared repertoire are errors.")
    var strict = false

    func readOptions() throws -> EDIFACTReader.Options {
        var o = EDIFACTReader.Options(strict: strict)
        if let charset {
            guard let c = SyntaxCharset.forSyntaxIdentifier(charset.uppercased()) else {
                throw ValidationError("unknown charset '\(charset)'; use a UN syntax identifier such as UNOC or UNOW")
            }
            o.charsetOverride = c
        }
        return o
    }

    /// Hands every reader event to `body` in input order, reading the input in 64 KiB chunks; exit 2
    /// when it cannot be read or is empty. `onChunk` sees every chunk read (a second pass over
    /// stdin, which cannot be read twice, keeps them and replays them with `replay`).
    func readEvents(onChunk: (([UInt8]) -> Void)? = nil, _ body: (EDIFACTReader.Event) -> Void) throws {
        let input: InputFile
        do { input = try InputFile(file) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(2)
        }
        var seen = false
        try replay(options: try readOptions(), body) {
            let chunk: [UInt8]?
            do { chunk = try input.nextChunk() } catch {
                Diagnostics.say("\(error)")
                throw ExitCode(2)
            }
            if let chunk {
                if !seen && chunk.contains(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) { seen = true }
                onChunk?(chunk)
            }
            return chunk
        }
        if !seen {
            Diagnostics.say("\(input.name) is empty: no interchange to read")
            throw ExitCode(2)
        }
    }

    /// The first of two passes: the outline, and for stdin (which cannot be read twice; at most
    /// 64 MiB) the chunks read, for `readAgain`.
    func readOutline() throws -> (outline: DocumentOutline, kept: [[UInt8]]?) {
        var outline = DocumentOutline()
        let isStdin = file == nil || file == "-"
        var kept: [[UInt8]] = []
        let onChunk: (([UInt8]) -> Void)? = isStdin ? { kept.append($0) } : nil
        try readEvents(onChunk: onChunk) { outline.add($0) }
        return (outline, isStdin ? kept : nil)
    }

    /// The second pass: the same events again, from the file or from the chunks kept.
    func readAgain(_ kept: [[UInt8]]?, _ body: (EDIFACTReader.Event) -> Void) throws {
        guard let kept else { return try readEvents(body) }
        var i = 0
        try replay(options: try readOptions(), body) {
            defer { i += 1 }
            return i < kept.count ? kept[i] : nil
        }
    }

    /// Runs the reader over the chunks `next` returns until it returns nil.
    func replay(options: EDIFACTReader.Options, _ body: (EDIFACTReader.Event) -> Void, next: () throws -> [UInt8]?) throws {
        var reader = EDIFACTReader(options: options)
        while let chunk = try next() {
            reader.feed(chunk)
            while let e = reader.next() { body(e) }
        }
        reader.finish()
        while let e = reader.next() { body(e) }
    }
}

/// Loads every grammar file under `Data/edifact/grammars/` (exit 3 when they cannot be loaded).
func loadEdifactGrammars() throws -> GrammarSet {
    do { return try ContentRoot.locate().loadEdifactGrammars() } catch {
        Diagnostics.say("cannot load grammars: \(error)")
        throw ExitCode(3)
    }
}

struct EdifactParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print the interchange tree as JSON with envelope errors and warnings.",
        discussion: """
            Prints {"interchanges": [...], "errors": [{"code", "message", "segment_index", "offset", ...}], "warnings": [...]}.
            Exit 1 when the interchange has errors (the JSON is still printed).
            """ + "\n\n" + Help.examplePrefix + "customs-hub edifact parse Fixtures/edifact/pydifact_invoice1.edi" + "\n\n" + Help.footer)

    @OptionGroup var input: EdifactInputOptions

    /// Two passes, so the tree is written as it is read (memory of the largest message, not of
    /// the whole interchange) with the same bytes and sorted keys as the whole `Document` would
    /// have: the first collects the diagnostics and trailers that sort before the messages, the
    /// second writes. A file is read twice; stdin (at most 64 MiB) is kept as read and replayed.
    func run() throws {
        let (outline, kept) = try input.readOutline()
        var stream = DocumentJSONStream(outline: outline)
        var out = ""
        func flush(_ force: Bool) {
            guard force || out.utf8.count >= 1 << 16 else { return }
            FileHandle.standardOutput.write(Data(out.utf8))
            out.removeAll(keepingCapacity: true)
        }
        let write: (EDIFACTReader.Event) -> Void = { e in
            stream.add(e, into: &out)
            flush(false)
        }
        try input.readAgain(kept, write)
        stream.finish(into: &out)
        out += "\n"
        flush(true)
        if !outline.errors.isEmpty { throw ExitCode(1) }
    }
}

struct EdifactWrite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write EDIFACT from the JSON tree that `edifact parse` prints; counts and trailers are recomputed.",
        discussion: Help.text(example: "customs-hub edifact parse Fixtures/edifact/pydifact_invoice1.edi | customs-hub edifact write"))

    @Argument(help: "JSON file (the output of `edifact parse`); - or nothing for stdin.")
    var file: String?

    @Option(name: .long, help: "The six UNA service characters to write with, e.g. \":+.? '\" (default: each interchange's own).")
    var una: String?

    @Flag(name: .long, help: "Write everything on one line instead of one segment per line.")
    var singleLine = false

    func run() throws {
        let bytes: [UInt8]
        bytes = try Input.bytes(file)
        let document: Document
        do {
            document = try JSONValueDecoder().decode(Document.self, from: bytes)
        } catch {
            Diagnostics.say("\(file ?? "stdin") is not an EDIFACT JSON tree: \(error)")
            throw ExitCode(2)
        }
        var options = EDIFACTWriter.Options(lineEnding: singleLine ? [] : [0x0A])
        if let una {
            guard let d = Delimiters(una: Array(una.utf8)), d.isConsistent else {
                throw ValidationError("--una needs six single-byte characters with distinct separators, e.g. \":+.? '\"")
            }
            options.delimiters = d
            options.una = .always
        }
        var writer = EDIFACTWriter(options: options)
        do {
            FileHandle.standardOutput.write(Data(try writer.write(document)))
        } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(1)
        }
    }
}

struct EdifactValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every message against its grammar (segment groups, repeats, mandatory parts, formats, codes).",
        discussion: """
            Prints {"messages": [{"interchange_index", "message_index", "control_ref", "type", "directory", "grammar", "errors"}], \
            "errors": [...envelope errors], "warnings": [...]}. Exit 1 when some message has errors.
            """ + "\n\n" + Help.examplePrefix + "customs-hub edifact validate --grammar D96B Fixtures/edifact/synthetic/cusdec_d96b.edi"
            + "\n\n" + Help.footer)

    @OptionGroup var input: EdifactInputOptions

    @Option(name: .long, help: "Directory to validate against (e.g. D96B, D01B); default: each message's own UNH version and release.")
    var grammar: String?

    struct MessageReport: Encodable {
        var interchangeIndex: Int
        var messageIndex: Int
        var controlRef: String
        var type: String
        var directory: String
        var grammar: String?
        var errors: [Diagnostic]

        enum CodingKeys: String, CodingKey {
            case interchangeIndex = "interchange_index"
            case messageIndex = "message_index"
            case controlRef = "control_ref"
            case type, directory, grammar, errors
        }
    }

    struct Report: Encodable {
        var messages: [MessageReport]
        var errors: [Diagnostic]
        var warnings: [Diagnostic]
    }

    /// Streams like `edifact parse`: a first pass for the envelope diagnostics (`errors` sorts
    /// before `messages`) and group sizes, then each message is validated and its report written
    /// as it is read, the same bytes as the whole `Report` would give. Reports of loose messages
    /// that come before a group of the same interchange wait for its groups (`allMessages` order).
    func run() throws {
        let (outline, kept) = try input.readOutline()
        var validators = MessageValidators(grammars: try loadEdifactGrammars(), directory: grammar)
        var out = "{\"errors\":" + JSONWriter.write((try? JSONValueEncoder().encode(outline.errors)) ?? .array([])) + ",\"messages\":["
        var written = 0
        var failed = false
        var interchange = -1, inGroup = false, groupsDone = 0, groupMessage = 0, loose = 0
        var waiting: [String] = []
        func emit(_ text: String) {
            if written > 0 { out += "," }
            written += 1
            out += text
            if out.utf8.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        func release() {
            for text in waiting { emit(text) }
            waiting.removeAll()
        }
        func report(_ m: Message, _ j: Int) -> String {
            let r = validators.report(m, interchangeIndex: interchange, messageIndex: j)
            if !r.errors.isEmpty { failed = true }
            return r.json()
        }
        let write: (EDIFACTReader.Event) -> Void = { e in
            switch e {
            case .interchangeStart:
                release()
                interchange += 1
                (inGroup, groupsDone, groupMessage, loose) = (false, 0, 0, 0)
            case .groupStart:
                inGroup = true
            case .groupEnd:
                if inGroup { groupsDone += 1 }
                inGroup = false
                if groupsDone >= outline.groups(inInterchange: interchange) { release() }
            case .message(let m):
                guard interchange >= 0 else { return }
                if inGroup {
                    emit(report(m, groupMessage))
                    groupMessage += 1
                } else {
                    let text = report(m, outline.groupMessages(inInterchange: interchange) + loose)
                    loose += 1
                    if groupsDone < outline.groups(inInterchange: interchange) { waiting.append(text) } else { emit(text) }
                }
            case .interchangeEnd:
                release()
            case .diagnostic:
                break
            }
        }
        try input.readAgain(kept, write)
        release()
        out += "],\"warnings\":" + JSONWriter.write((try? JSONValueEncoder().encode(outline.warnings)) ?? .array([])) + "}\n"
        FileHandle.standardOutput.write(Data(out.utf8))
        if !outline.errors.isEmpty || failed { throw ExitCode(1) }
    }
}

extension EdifactValidate.MessageReport {
    /// The text `JSONValueEncoder` and `JSONWriter` give for the report (keys sorted), written directly.
    func json() -> String {
        var out = "{\"control_ref\":"
        JSONWriter.writeString(controlRef, into: &out)
        out += ",\"directory\":"
        JSONWriter.writeString(directory, into: &out)
        out += ",\"errors\":["
        for (i, e) in errors.enumerated() {
            if i > 0 { out += "," }
            e.writeJSON(into: &out)
        }
        out += "]"
        if let grammar {
            out += ",\"grammar\":"
            JSONWriter.writeString(grammar, into: &out)
        }
        out += ",\"interchange_index\":" + String(interchangeIndex) + ",\"message_index\":" + String(messageIndex) + ",\"type\":"
        JSONWriter.writeString(type, into: &out)
        out += "}"
        return out
    }
}

extension MessageValidators {
    /// The report of one message; a message with no grammar gets one error saying so.
    mutating func report(_ m: Message, interchangeIndex i: Int, messageIndex j: Int) -> EdifactValidate.MessageReport {
        let (dir, grammar, errors) = check(m, interchangeIndex: i, messageIndex: j)
        return EdifactValidate.MessageReport(
            interchangeIndex: i, messageIndex: j, controlRef: m.controlRef, type: m.type, directory: dir, grammar: grammar, errors: errors)
    }
}

struct EdifactContrl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contrl",
        abstract: "Print the CONTRL acknowledging a received interchange, or (--read) what a received CONTRL says.",
        discussion: """
            One CONTRL interchange per received interchange: UCI 7 when the envelope is sound (UCM 4 with the \
            error code for each rejected message), UCI 4 with the code when it is not. With --read, FILE is a \
            CONTRL we received and one JSON line per CONTRL message is printed.
            Exit 1 when something was rejected.
            """ + "\n\n" + Help.examplePrefix + "customs-hub edifact contrl --validate Fixtures/edifact/synthetic/cusdec_d96b.edi"
            + "\n\n" + Help.footer)

    @OptionGroup var input: EdifactInputOptions

    @Flag(name: .long, help: "FILE is a received CONTRL: print its report as JSON.")
    var read = false

    @Option(name: .long, help: "Syntax version of the CONTRL (3 or 4).")
    var syntax: Int = 4

    @Option(name: .long, help: "Our identification as ID[:QUALIFIER] (default: the recipient of the received interchange).")
    var sender: String?

    @Option(name: .long, help: "Partner identification as ID[:QUALIFIER] (default: the sender of the received interchange).")
    var recipient: String?

    @Option(name: .long, help: "Interchange control reference for the CONTRL (default: the received one).")
    var controlRef: String?

    @Flag(name: .long, help: "Also check each message against its grammar and report UCS/UCD segment and element errors.")
    var validate = false

    @Flag(name: .long, help: "Technical acknowledgement only (UCI action 8, no message list).")
    var technical = false

    @Flag(name: .long, help: "Write one segment per line.")
    var lines = false

    func validateArguments() throws {
        guard syntax == 3 || syntax == 4 else { throw ValidationError("--syntax must be 3 or 4") }
    }

    /// Neither form keeps the whole parsed document (issue #21: 231 MB for one message of 200k
    /// segments). `--read` keeps only the CONTRL messages; acknowledging is two passes like
    /// `edifact parse`: the reader's errors first (one that no interchange owns rejects them all),
    /// then each interchange is acknowledged as read, every message checked and dropped on arrival
    /// (`ContrlStream`), with the same bytes as acknowledging the whole document.
    func run() throws {
        try validateArguments()
        if read { return try readContrl() }
        let (outline, kept) = try input.readOutline()
        var validators: MessageValidators? = nil
        if validate { validators = MessageValidators(grammars: try loadEdifactGrammars(), directory: nil) }
        // The clock lives here at the edge; the engine only receives the date and time text.
        let now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: now)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        let year = c.year ?? 2000
        let date = (syntax >= 4 ? String(year) : two(year % 100)) + two(c.month) + two(c.day)
        let time = two(c.hour) + two(c.minute)
        func party(_ text: String?) -> EnvelopeParty? {
            guard let text else { return nil }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            return EnvelopeParty(id: parts[0], qualifier: parts.count > 1 ? parts[1] : nil)
        }
        let (syntax, sender, recipient, controlRef, technical) = (syntax, party(sender), party(recipient), controlRef, technical)
        // Every error counts, with or without a CONTRL code (an unknown message type has none):
        // the builder reports a code-less error as 18, unspecified, never as accepted.
        let check: ((Message) -> [Diagnostic])? = validators == nil ? nil : { m in
            validators?.check(m, interchangeIndex: nil, messageIndex: nil).diagnostics ?? []
        }
        var stream = ContrlStream(readerErrors: outline.errors, check: check) { ic in
            ContrlOptions(
                syntaxVersion: syntax, sender: sender, recipient: recipient,
                controlRef: String((controlRef ?? ic.controlRef).prefix(14)), date: date, time: time, technicalOnly: technical)
        }
        var writer = EDIFACTWriter(options: .init(lineEnding: lines ? [0x0A] : []))
        var rejected = false
        var failed = false
        func handle(_ output: ContrlStream.Output?) {
            guard let output, !failed else { return }
            switch output {
            case .noHeader(let i):
                Diagnostics.say("interchange \(i + 1) has no UNB header; there is no sender or reference to acknowledge")
                rejected = true
            case .acknowledgement(let ack, _, let isRejected):
                rejected = rejected || isRejected
                do {
                    var out = try writer.write(ack)
                    if !lines { out.append(0x0A) }
                    FileHandle.standardOutput.write(Data(out))
                } catch {
                    Diagnostics.say("\(error)")
                    failed = true
                }
            }
        }
        try input.readAgain(kept) { handle(stream.add($0)) }
        handle(stream.finish())
        if failed { throw ExitCode(1) }
        if stream.interchanges == 0 {
            Diagnostics.say("no interchange in \(input.file ?? "stdin")")
            throw ExitCode(1)
        }
        if rejected { throw ExitCode(1) }
    }

    /// `--read`: one JSON line per CONTRL message, keeping only those messages of the input.
    private func readContrl() throws {
        var builder = DocumentBuilder()
        try input.readEvents { e in
            if case .message(let m) = e, m.type != "CONTRL" { return }
            builder.add(e)
        }
        let document = builder.document
        var rejected = false
        var found = 0
        for ic in document.interchanges {
            for m in ic.allMessages where m.type == "CONTRL" {
                do {
                    found += 1
                    let report = try ContrlReport(m)
                    rejected = rejected || !report.isFullyAccepted
                    Output.line(report)
                } catch {
                    Diagnostics.say("\(error)")
                    rejected = true
                }
            }
        }
        if found == 0 {
            Diagnostics.say("--read: no CONTRL message in \(input.file ?? "stdin")\(document.errors.first.map { " (\($0.message))" } ?? "")")
            throw ExitCode(1)
        }
        if rejected || !document.errors.isEmpty { throw ExitCode(1) }
    }
}
