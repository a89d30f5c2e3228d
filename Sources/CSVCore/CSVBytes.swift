/// CSV read from bytes, for publications that are not UTF-8 text or whose encoding is not sure:
/// each field is decoded on its own, and the reader keeps whether it was quoted (some formats give
/// an unquoted placeholder such as OFAC's `-0-` a meaning a quoted one does not have).
///
/// Outside quotes a carriage return is dropped and a line feed ends the row; bytes in `ignoring`
/// (a DOS end-of-file `0x1A`) are skipped. Inside quotes everything is data, `""` is a quote.
public enum CSVBytes {
    /// How field bytes become text.
    public enum Encoding: Sendable, Hashable {
        case utf8
        case latin1
        /// UTF-8 when the field's bytes are valid UTF-8, else Latin-1: a list that moved from
        /// Latin-1 to UTF-8, or mixes both, reads right either way.
        case utf8ElseLatin1
    }

    public struct Field: Sendable, Hashable {
        public var text: String
        public var quoted: Bool
        public init(text: String, quoted: Bool) {
            self.text = text
            self.quoted = quoted
        }
    }

    public struct Row: Sendable, Hashable {
        /// The line the row starts on, counting from 1.
        public var line: Int
        public var fields: [Field]
    }

    public static func rows(
        _ bytes: some Collection<UInt8>, encoding: Encoding, separator: UInt8 = UInt8(ascii: ","), ignoring: Set<UInt8> = []
    ) throws(CSVReader.ParseError) -> [Row] {
        let bytes = Array(bytes)
        var rows: [Row] = []
        var fields: [Field] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var i = 0
        func endField() {
            fields.append(Field(text: decode(field, encoding), quoted: quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRow() {
            endField()
            rows.append(Row(line: rowLine, fields: fields))
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                inQuotes = true
                quoted = true
            } else if b == separator {
                endField()
            } else if b == UInt8(ascii: "\n") {
                endRow()
                line += 1
                rowLine = line
            } else if b != UInt8(ascii: "\r"), !ignoring.contains(b) {
                field.append(b)
            }
            i += 1
        }
        if inQuotes { throw CSVReader.ParseError(line: rowLine, message: "quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    /// One field's bytes as text in `encoding` (invalid UTF-8 under `.utf8` is repaired with U+FFFD).
    public static func decode(_ bytes: [UInt8], _ encoding: Encoding) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .latin1: return latin1(bytes)
        case .utf8ElseLatin1: return String(validating: bytes, as: UTF8.self) ?? latin1(bytes)
        }
    }

    private static func latin1(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
