import ArgumentParser
import CustomsModel
import EDIFACT
import Foundation

/// `customs-hub edifact …`: the edge around the pure EDIFACT engine (reads files, prints results).
struct EdifactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edifact",
        abstract: "Read, write, validate and acknowledge UN/EDIFACT interchanges.",
        subcommands: [EdifactParse.self, EdifactWrite.self])
}

/// Options shared by the commands that read EDIFACT.
struct EdifactInputOptions: ParsableArguments {
    @Argument(help: "EDIFACT file to read, or - for standard input.")
    var file: String

    @Option(name: .long, help: "Partner charset overriding UNB S001 (e.g. UNOC, UNOW, UNOD).")
    var charset: String?

    @Flag(name: .long, help: "Strict partner: trailing separators and out-of-repertoire bytes are errors.")
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

    /// Reads the whole input; exit code 2 when it cannot be read at all.
    func readBytes() throws -> [UInt8] {
        do {
            if file == "-" {
                return Array(FileHandle.standardInput.readDataToEndOfFile())
            }
            return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            FileHandle.standardError.write(Data("customs-hub edifact: cannot read \(file): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}

func printJSON(_ value: some Encodable) throws {
    let text = try CanonicalJSON.encode(value)
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct EdifactParse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print the interchange tree as JSON with envelope errors (exit 1 when there are errors).")

    @OptionGroup var input: EdifactInputOptions

    func run() async throws {
        let bytes = try input.readBytes()
        let document = EDIFACTReader.read(bytes, options: try input.readOptions())
        try printJSON(document)
        if !document.errors.isEmpty { throw ExitCode(1) }
    }
}

struct EdifactWrite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write EDIFACT from the JSON tree that `parse` prints (counts and trailers are recomputed).")

    @Argument(help: "JSON file (the output of `edifact parse`), or - for standard input.")
    var file: String = "-"

    @Option(name: .long, help: "Six service characters to write with, e.g. \":+.? '\" (default: each interchange's own).")
    var una: String?

    @Flag(name: .long, help: "Write everything on one line instead of one segment per line.")
    var singleLine = false

    func run() async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            FileHandle.standardError.write(Data("customs-hub edifact write: cannot read \(file): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        let document: Document
        do {
            document = try CanonicalJSON.decoder().decode(Document.self, from: data)
        } catch {
            FileHandle.standardError.write(Data("customs-hub edifact write: \(file) is not an EDIFACT JSON tree: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var options = EDIFACTWriter.Options(lineEnding: singleLine ? [] : [0x0A])
        if let una {
            guard let d = Delimiters(una: Array(una.utf8)), d.isConsistent else {
                throw ValidationError("--una needs six distinct single-byte characters, e.g. \":+.? '\"")
            }
            options.delimiters = d
            options.una = .always
        }
        var writer = EDIFACTWriter(options: options)
        do {
            let bytes = try writer.write(document)
            FileHandle.standardOutput.write(Data(bytes))
        } catch {
            FileHandle.standardError.write(Data("customs-hub edifact write: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
