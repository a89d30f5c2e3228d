import Foundation
import JSONCore

/// Reads the records a command works on: one JSON document, or JSON lines (one document per line),
/// from a file or stdin. Many-record commands all read input this way so they compose in pipes.
struct RecordInput {
    /// One record's bytes and the line it started on (1 for a single document).
    struct Record {
        var line: Int
        var bytes: [UInt8]
    }

    /// The most one command reads as a whole document (a file or stdin), and the longest line a
    /// line-by-line reader accepts. Both are refused with exit 2 rather than grown into memory.
    static let maxInputBytes = InputFile.maxDocumentBytes

    /// Reads `path` (`-` is stdin). Throws `InputError` when the source itself cannot be read.
    static func read(_ path: String) throws(InputError) -> [UInt8] {
        let input = try InputFile(path)
        return try input.readAll()
    }

    /// Nothing but spaces, tabs and line breaks.
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// Splits input into records: a whole document if it parses as one, otherwise one per
    /// non-blank line (JSON lines). `forceLines` skips the whole-document attempt.
    static func records(_ bytes: [UInt8], forceLines: Bool = false) -> [Record] {
        if isBlank(bytes) { return [] }
        if !forceLines {
            do {
                _ = try JSONParser.parse(bytes)
                return [Record(line: 1, bytes: bytes)]
            } catch {
                // Only a second document after the first means JSON lines; any other error is the
                // document's own and is reported against it.
                guard error.message.contains("after the end of the document") else { return [Record(line: 1, bytes: bytes)] }
            }
        }
        var out: [Record] = []
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var i = 0
        while i < lines.count {
            let slice = lines[i]
            let start = i + 1
            i += 1
            let trimmed = slice.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            if trimmed.isEmpty { continue }
            var record = Array(slice)
            // A line that is only `{` or `[` opens a pretty-printed document, to its closing bracket.
            if !forceLines, trimmed == [UInt8(ascii: "{")] || trimmed == [UInt8(ascii: "[")] {
                var depth = BracketDepth()
                depth.feed(record)
                while depth.open, i < lines.count {
                    record.append(0x0A)
                    record.append(contentsOf: lines[i])
                    depth.feed(Array(lines[i]))
                    i += 1
                }
            }
            out.append(Record(line: start, bytes: record))
        }
        return out
    }
}

struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The one way a command prints: one compact JSON line per record on stdout (keys sorted, the
/// store's millisecond times as RFC 3339), diagnostics on stderr.
enum Output {
    static func line(_ value: some Encodable) {
        do { json(try JSONValueEncoder().encode(value)) } catch {
            Diagnostics.say("cannot encode an output record: \(error)")
        }
    }

    static func json(_ value: JSONValue) {
        var text = JSONWriter.write(OutputShape.normalise(value))
        text.append("\n")
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

