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

    /// Splits input into records: a whole document if it parses as one, otherwise one per
    /// non-blank line (JSON lines). `forceLines` skips the whole-document attempt.
    static func records(_ bytes: [UInt8], forceLines: Bool = false) -> [Record] {
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
        var line = 1
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { line += 1 }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            out.append(Record(line: line, bytes: Array(slice)))
        }
        return out
    }
}

struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes one compact JSON line per record to stdout.
enum Output {
    static func line(_ value: some Encodable) {
        let data = (try? CanonicalLineEncoder.shared.encode(value)) ?? Data("{\"error\":\"unencodable output\"}".utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("customs-hub: \(message)\n".utf8))
    }
}

enum CanonicalLineEncoder {
    static var shared: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
