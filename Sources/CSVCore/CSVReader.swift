/// An RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line breaks inside them,
/// CRLF or LF line ends, a UTF-8 byte order mark. Public data files (tariffs, sanctions lists,
/// nomenclatures) use all of these, so a `split(",")` is never enough.
public struct CSVReader: Sendable {
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// A data row with its 1-based physical line number, for file:line error messages.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public let header: [String]
    public let rows: [Row]

    /// Parses `text`; when `hasHeader`, the first row names the columns.
    public init(_ text: String, hasHeader: Bool = true, separator: Character = ",") throws(ParseError) {
        var all = try Self.parse(text, separator: separator)
        if hasHeader, !all.isEmpty {
            header = all.removeFirst().fields
        } else {
            header = []
        }
        rows = all
    }

    /// The index of `name` in the header, for readers that look columns up by name.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Rows as dictionaries keyed by header name (missing trailing fields read as "").
    public func records() -> [(line: Int, values: [String: String])] {
        rows.map { row in
            var d: [String: String] = [:]
            for (i, name) in header.enumerated() { d[name] = i < row.fields.count ? row.fields[i] : "" }
            return (row.line, d)
        }
    }

    static func parse(_ text: String, separator: Character) throws(ParseError) -> [Row] {
        guard separator.unicodeScalars.count == 1, let sep = separator.asciiValue else { return try parseScalars(text, separator: separator) }
        var text = text
        return try text.withUTF8 { parseUTF8($0, separator: sep) }.get()
    }

    /// The reader over the text's UTF-8 bytes, for an ASCII separator: every byte the grammar looks
    /// at (quote, separator, CR, LF) is ASCII and never part of a multi-byte character, so a field is
    /// its bytes, decoded once when it ends. Appending scalar by scalar to a `String` cost most of the
    /// time of loading the HS nomenclature, which every command that validates an order does.
    static func parseUTF8(_ b: UnsafeBufferPointer<UInt8>, separator sep: UInt8) -> Result<[Row], ParseError> {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var rows: [Row] = []
        var field: [UInt8] = []
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldWasQuoted = false
        let n = b.count
        // A UTF-8 byte order mark (U+FEFF) is not data.
        var i = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() {
            let quoted = fieldWasQuoted
            endField()
            if !(fields.count == 1 && fields[0].isEmpty && !quoted) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
        }

        while i < n {
            let c = b[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < n && b[i] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case quote:
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    // A stray quote inside an unquoted field is kept as data, as most producers mean it.
                    field.append(c)
                }
            case sep:
                endField()
            case cr:
                if i < n && b[i] == lf { i += 1 }
                endRow()
                line += 1
                rowStart = line
            case lf:
                endRow()
                line += 1
                rowStart = line
            default:
                field.append(c)
            }
        }
        if inQuotes { return .failure(ParseError(line: rowStart, message: "quoted field is not closed")) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return .success(rows)
    }

    /// The reader scalar by scalar, for a separator outside ASCII.
    static func parseScalars(_ text: String, separator: Character) throws(ParseError) -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldWasQuoted = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        let sep = separator.unicodeScalars.first!
        if let first = it.next(), first != "\u{FEFF}" { pending = first }

        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let c = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    // A stray quote inside an unquoted field is kept as data, as most producers mean it.
                    field.unicodeScalars.append(c)
                }
            case sep:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if let n = it.next(), n != "\n" { pending = n }
                endRow()
                line += 1
                rowStart = line
            case "\n":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: rowStart, message: "quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
