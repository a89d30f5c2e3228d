import CSVCore
import JSONCore
import Mapping

/// Reads an order export in CSV (one row per order line, the order's columns repeated on each
/// row, as ERPs and spreadsheets write them) into `{"header": [...], "rows": [{column: text}]}`.
/// Empty cells are left out. Each row also carries `_line`, its line in the file, so that a mapping error can name it.
/// The separator is the first line's most frequent of `,`, `;` and tab: European spreadsheets
/// write `;` because their decimal mark is the comma.
public struct CSVMessageReader: MessageReader {
    public init() {}
    public var format: MappingSpec.Format { .csv }

    public func read(_ bytes: [UInt8]) throws -> JSONValue {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CSVMessageError("not UTF-8 text (first bad byte near offset \(Self.firstInvalidUTF8(bytes))); export the CSV as UTF-8")
        }
        let csv: CSVReader
        do { csv = try CSVReader(text, separator: Self.separator(of: text)) } catch { throw CSVMessageError("\(error)") }
        guard !csv.header.isEmpty, !csv.header.allSatisfy(\.isEmpty) else { throw CSVMessageError("line 1: no header row naming the columns") }
        if let duplicate = Dictionary(grouping: csv.header.filter { !$0.isEmpty }, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw CSVMessageError("line 1: column \"\(duplicate)\" is named twice")
        }
        guard !csv.rows.isEmpty else { throw CSVMessageError("no data rows after the header") }
        var rows: [JSONValue] = []
        rows.reserveCapacity(csv.rows.count)
        for row in csv.rows {
            if row.fields.count > csv.header.count, row.fields[csv.header.count...].contains(where: { !$0.isEmpty }) {
                throw CSVMessageError("line \(row.line): \(row.fields.count) fields for \(csv.header.count) columns")
            }
            if row.fields.allSatisfy(\.isEmpty) { continue }
            var object = JSONObject()
            // An empty cell is an absent value, as a JSON message would leave the field out.
            for (i, name) in csv.header.enumerated() where !name.isEmpty && i < row.fields.count && !row.fields[i].isEmpty {
                object[name] = .string(row.fields[i])
            }
            object["_line"] = .number(String(row.line))
            rows.append(.object(object))
        }
        return .object(JSONObject([("header", .array(csv.header.map(JSONValue.string))), ("rows", .array(rows))]))
    }

    static func separator(of text: String) -> Character {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        let counts: [(Character, Int)] = [",", ";", "\t"].map { c in (c, firstLine.filter { $0 == c }.count) }
        return counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : "," } ?? ","
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += String(s).utf8.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}

public struct CSVMessageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
