import Foundation

/// A small RFC 4180 reader: the tariff files have quoted fields with commas, doubled quotes and
/// embedded line breaks, and a bad row must be reported by its line number, not crash the load.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    /// Data rows with the 1-based line on which each row starts.
    public let rows: [(line: Int, fields: [String])]

    /// Parses UTF-8 CSV text (an optional BOM is skipped). Rows may be shorter than the header
    /// (missing trailing fields read as ""); an unterminated quote is an error naming its line.
    public init(parsing text: String, source: String) throws(ClassificationError) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 0
        var i = 0
        var fieldStarted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b); i += 2; continue
                    }
                    inQuotes = false
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inQuotes = true; quoteLine = line; fieldStarted = true
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                if fieldStarted || !field.isEmpty || !fields.isEmpty {
                    endField()
                    records.append((recordLine, fields))
                    fields = []
                }
                line += 1
                recordLine = line
            default:
                field.append(b); fieldStarted = true
            }
            i += 1
        }
        if inQuotes { throw .invalidData("\(source): line \(quoteLine): quoted field is never closed") }
        if fieldStarted || !field.isEmpty || !fields.isEmpty {
            endField()
            records.append((recordLine, fields))
        }
        guard let first = records.first else { throw .invalidData("\(source): file is empty, a header row was expected") }
        self.source = source
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().map { (line: $0.0, fields: $0.1) }
    }

    /// The index of a named column, or an error naming the file and the columns it does have.
    public func column(_ name: String) throws(ClassificationError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw .invalidData("\(source): column '\(name)' is missing (have: \(header.joined(separator: ", ")))")
        }
        return index
    }
}

extension Array where Element == String {
    /// The field at `index`, "" when the row is short.
    func field(_ index: Int) -> String { index < count ? self[index] : "" }
}

/// Errors that name the place (file and line, or input field) so that a person can fix the input.
public enum ClassificationError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidData(String)
    case invalidInput(String)
    case invalidModel(String)

    public var description: String {
        switch self {
        case .invalidData(let m): "invalid data: \(m)"
        case .invalidInput(let m): "invalid input: \(m)"
        case .invalidModel(let m): "invalid model artefact: \(m)"
        }
    }
}
