/// Where in a source document something was found. Lines and columns count from 1; columns
/// count bytes, which is what editors show for ASCII and what a byte-level error can honestly say.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}

/// Why a byte sequence is not acceptable JSON, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition

    public var description: String { "invalid JSON at \(position): \(message)" }
}

/// Limits that keep hostile or accidental input from exhausting the process.
public struct JSONParseLimits: Sendable, Hashable {
    public var maxBytes: Int
    public var maxDepth: Int
    public var maxStringBytes: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64, maxStringBytes: Int = 1 << 20) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
    }

    public static let `default` = JSONParseLimits()
}

/// A strict RFC 8259 parser that keeps numbers exact and reports errors by line and column.
///
/// Foundation's `JSONSerialization` turns numbers into `Double` and says little about where input
/// went wrong; orders carry money, and integrators need to find the broken byte.
public struct JSONParser {
    private let bytes: [UInt8]
    private let limits: JSONParseLimits
    private var i = 0
    private var depth = 0
    /// Containers nested deeper than this are checked but not kept (see `parse(_:keepingLevels:)`).
    private var keptLevels = Int.max

    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes), limits: limits)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// The document checked in full, exactly as `parse` checks it (the same errors for the same
    /// bytes), keeping only its first `levels` levels of arrays and objects: a container nested
    /// deeper is given as `.null`, and the strings and numbers inside it are never made. For a
    /// reader of a few members near the top of a large document (a filing's references): building
    /// the whole tree to read them cost four times the check.
    public static func parse(_ bytes: some Collection<UInt8>, keepingLevels levels: Int,
                             limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes), limits: limits)
        parser.keptLevels = max(0, levels)
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8], limits: JSONParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count > limits.maxBytes {
            throw JSONParseError(message: "document is \(bytes.count) bytes, over the limit of \(limits.maxBytes)", position: position(of: 0))
        }
        // A UTF-8 byte order mark is tolerated; RFC 8259 allows parsers to ignore it.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipWhitespace()
        if i >= bytes.count { throw fail("empty document") }
        let value = try parseValue()
        skipWhitespace()
        if i < bytes.count { throw fail("unexpected \(describe(bytes[i])) after the end of the document") }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end of input, expected a value") }
        // Inside a container that is not kept, strings and numbers are checked, not made.
        let keep = depth <= keptLevels
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString(making: keep))
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber(making: keep))
        default: throw fail("unexpected \(describe(bytes[i])), expected a value")
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > limits.maxDepth { throw fail("nesting deeper than \(limits.maxDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1
        var object = JSONObject()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            i += 1
            depth -= 1
            return depth < keptLevels ? .object(object) : .null
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw fail("expected a quoted member name") }
            let keyStart = i
            let key = try parseString()
            if object.hasMember(key) {
                throw JSONParseError(message: "duplicate member name \"\(key)\"", position: position(of: keyStart))
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw fail("expected ':' after member name \"\(key)\"") }
            i += 1
            skipWhitespace()
            let value = try parseValue()
            object.appendAbsent(key, depth <= keptLevels ? value : .null)
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { i += 1; continue }
            if peek(UInt8(ascii: "}")) { i += 1; break }
            throw fail(i < bytes.count ? "expected ',' or '}' in object, found \(describe(bytes[i]))" : "unterminated object")
        }
        depth -= 1
        return depth < keptLevels ? .object(object) : .null
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            i += 1
            depth -= 1
            return depth < keptLevels ? .array(items) : .null
        }
        while true {
            skipWhitespace()
            let item = try parseValue()
            if depth <= keptLevels { items.append(item) }
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { i += 1; continue }
            if peek(UInt8(ascii: "]")) { i += 1; break }
            throw fail(i < bytes.count ? "expected ',' or ']' in array, found \(describe(bytes[i]))" : "unterminated array")
        }
        depth -= 1
        return depth < keptLevels ? .array(items) : .null
    }

    /// A string's value; with `making` false, only checked (the empty string is returned when
    /// it took the fast path).
    private mutating func parseString(making: Bool = true) throws(JSONParseError) -> String {
        let start = i
        // Most strings are ASCII without escapes: their bytes are the string, taken in one piece.
        // Anything else (an escape, a control character, non-ASCII to validate, over the limit)
        // is read byte by byte below, with the same errors as ever.
        let limit = limits.maxStringBytes
        if let fast = bytes.withUnsafeBufferPointer({ b -> (String, Int)? in
            var j = start + 1
            while j < b.count {
                let c = b[j]
                if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                j += 1
            }
            guard j < b.count, b[j] == 0x22, j - start - 1 <= limit else { return nil }
            guard making else { return ("", j + 1) }
            return (String(decoding: UnsafeBufferPointer(rebasing: b[(start + 1)..<j]), as: UTF8.self), j + 1)
        }) {
            i = fast.1
            return fast.0
        }
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw JSONParseError(message: "unterminated string", position: position(of: start)) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw fail("control character \(describe(b)) inside a string must be escaped") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[i]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                            throw fail("unpaired high surrogate")
                        }
                        i += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("unpaired low surrogate")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid unicode escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("invalid escape \\\(describe(e))")
                }
                i += 1
            } else {
                out.append(b)
                i += 1
            }
            if out.count > limits.maxStringBytes {
                throw JSONParseError(message: "string longer than \(limits.maxStringBytes) bytes", position: position(of: start))
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw JSONParseError(message: "string is not valid UTF-8", position: position(of: start))
        }
        return s
    }

    /// Reads the four hex digits after `\u`, leaving `i` on the last of them.
    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: i += k; throw fail("invalid hex digit \(describe(c)) in \\u escape")
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }

    private mutating func parseNumber(making: Bool = true) throws(JSONParseError) -> String {
        let start = i
        if peek(UInt8(ascii: "-")) { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw fail("leading zeros are not allowed in numbers") }
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit after the decimal point") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            i += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail("expected a digit in the exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i - start > 100 { throw JSONParseError(message: "number longer than 100 characters", position: position(of: start)) }
        return making ? String(decoding: bytes[start..<i], as: UTF8.self) : ""
    }

    private mutating func expectWord(_ word: String) throws(JSONParseError) {
        for (k, b) in word.utf8.enumerated() where i + k >= bytes.count || bytes[i + k] != b {
            i += k
            throw fail(i < bytes.count ? "unexpected \(describe(bytes[i])), expected a value" : "unexpected end of input")
        }
        i += word.utf8.count
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func peek(_ b: UInt8) -> Bool { i < bytes.count && bytes[i] == b }

    private mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private func fail(_ message: String) -> JSONParseError {
        JSONParseError(message: message, position: position(of: min(i, bytes.count)))
    }

    private func position(of offset: Int) -> SourcePosition {
        var line = 1
        var lineStart = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        return SourcePosition(offset: offset, line: line, column: offset - lineStart + 1)
    }

    private func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }
}
