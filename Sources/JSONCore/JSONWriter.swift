/// Serialises a `JSONValue` back to compact JSON text, numbers exactly as they were read.
public enum JSONWriter {
    public static func write(_ value: JSONValue) -> String {
        // Written as UTF-8 bytes and turned into a `String` once: appending to a `String` piece by
        // piece checked and grew its storage on every append.
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text of `value` to `out` as UTF-8.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: nullBytes)
        case .bool(let b): out.append(contentsOf: b ? trueBytes : falseBytes)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping: append them whole instead of scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Appends `s` as a JSON string literal: `"` and `\` escaped, `\n`, `\r`, `\t` by name and the
    /// other control characters as `\u00XX`; everything else (non-ASCII included) as its UTF-8.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // The runs between characters that need escaping (usually the whole string) are appended
        // whole, from the string's contiguous UTF-8.
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            var i = 0
            let n = bytes.count
            while i < n {
                // Eight bytes at a time while none of them needs escaping (most text has none).
                if i + 8 <= n, let p = bytes.baseAddress, !needsEscape(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = bytes[i]
                i += 1
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                let at = i - 1
                if run < at { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<at])) }
                run = at + 1
                switch b {
                case 0x22: out.append(UInt8(ascii: "\\")); out.append(0x22)
                case 0x5C: out.append(UInt8(ascii: "\\")); out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
                }
            }
            if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `w` is below 0x20, `"` or `\\` (exact, no false positives:
    /// the classic "has a byte less than n" and "has a zero byte" word tests).
    @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22)
        let quote = (q &- ones) & ~q & highs
        let s = w ^ (ones &* 0x5C)
        let backslash = (s &- ones) & ~s & highs
        return (control | quote | backslash) != 0
    }
}

extension JSONWriter {
    /// The texts of several values, each exactly as `write(_:)` gives it, written together so that
    /// a part they share is written once and its bytes copied after that. A shared part is the same
    /// array or object storage (a `JSONValue` copied from one tree into another shares it, as the
    /// classifier's candidates do between an order's evaluation and its classification decisions);
    /// equal parts built apart are written each time.
    public static func write(sharing values: [JSONValue]) -> [String] {
        var writer = SharingWriter()
        for value in values { writer.add(value) }
        return writer.texts.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Writes texts one after the other, remembering where each array or object of at least
/// `minimumBytes` was written, by the address of its storage. Valid only while the values written
/// are alive and unchanged (`write(sharing:)` holds them for the whole call): two live arrays never
/// share an address unless they share their storage, and shared storage holds equal elements.
struct SharingWriter {
    /// Smaller parts are written again: remembering them costs about what writing them does.
    static let minimumBytes = 64

    var texts: [[UInt8]] = []
    private var out: [UInt8] = []
    private var parts: [UnsafeRawPointer: (text: Int, range: Range<Int>)] = [:]

    mutating func add(_ value: JSONValue) {
        out = []
        out.reserveCapacity(256)
        write(value)
        texts.append(out)
    }

    private mutating func write(_ value: JSONValue) {
        switch value {
        case .array(let items) where !items.isEmpty:
            let key = items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
            if copy(key) { return }
            let start = out.count
            out.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(item)
            }
            out.append(UInt8(ascii: "]"))
            remember(key, from: start)
        case .object(let object) where object.count > 0:
            let key = object.members.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
            if copy(key) { return }
            let start = out.count
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value)
            }
            out.append(UInt8(ascii: "}"))
            remember(key, from: start)
        default:
            JSONWriter.write(value, into: &out)
        }
    }

    /// Appends the bytes written before for this storage; false when there are none.
    private mutating func copy(_ key: UnsafeRawPointer) -> Bool {
        guard let part = parts[key] else { return false }
        if part.text < texts.count {
            let source = texts[part.text]
            source.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[part.range])) }
        } else {
            // Earlier in the text being written: copied out first (appending a slice of `out` to
            // itself would copy the whole buffer).
            let bytes = Array(out[part.range])
            out.append(contentsOf: bytes)
        }
        return true
    }

    private mutating func remember(_ key: UnsafeRawPointer, from start: Int) {
        guard out.count - start >= Self.minimumBytes else { return }
        parts[key] = (texts.count, start..<out.count)
    }
}
