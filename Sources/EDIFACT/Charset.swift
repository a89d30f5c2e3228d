/// How the bytes of an interchange become text, chosen from the UNB syntax identifier (S001 0001)
/// or overridden per partner.
public struct SyntaxCharset: Sendable, Hashable, CustomStringConvertible {
    public enum Encoding: Sendable, Hashable {
        /// UNOA/UNOB: ISO 646 repertoires, a subset of ASCII.
        case ascii
        /// ISO 8859 part N (1 = Latin-1 for UNOC, 2 = UNOD, 5 = UNOE, 7 = UNOF, ...).
        case iso8859(Int)
        /// UNOW/UNOY (ISO 10646 as UTF-8).
        case utf8
    }

    public var encoding: Encoding
    /// Human name for warnings, e.g. `UNOC (ISO 8859-1)`.
    public var name: String

    public init(encoding: Encoding, name: String) {
        self.encoding = encoding
        self.name = name
    }

    public var description: String { name }

    public static let latin1 = SyntaxCharset(encoding: .iso8859(1), name: "ISO 8859-1")
    public static let utf8 = SyntaxCharset(encoding: .utf8, name: "UTF-8")

    /// The charset a syntax identifier names, or `nil` when the identifier is not a UN syntax level
    /// we know (the reader then falls back to Latin-1, which keeps every byte, and warns).
    public static func forSyntaxIdentifier(_ id: String) -> SyntaxCharset? {
        let part: Int
        switch id {
        case "UNOA", "UNOB": return SyntaxCharset(encoding: .ascii, name: "\(id) (ISO 646 subset)")
        case "UNOW", "UNOY": return SyntaxCharset(encoding: .utf8, name: "\(id) (UTF-8)")
        case "UNOC": part = 1
        case "UNOD": part = 2
        case "UNOE": part = 5
        case "UNOF": part = 7
        case "UNOG": part = 3
        case "UNOH": part = 4
        case "UNOI": part = 6
        case "UNOJ": part = 8
        case "UNOK": part = 9
        default: return nil
        }
        return SyntaxCharset(encoding: .iso8859(part), name: "\(id) (ISO 8859-\(part))")
    }

    /// Why a piece of text did not decode exactly as declared; the reader turns these into warnings.
    public enum Deviation: Sendable, Hashable {
        /// Multi-byte UTF-8 under a single-byte charset: kept as UTF-8 (the common real-world case).
        case utf8UnderSingleByteCharset
        /// Bytes outside the declared repertoire (e.g. 0x80+ under UNOA) that are not UTF-8: read as Latin-1.
        case outsideRepertoire
        /// Invalid UTF-8 under UNOW/UNOY: read as Latin-1 so no byte is lost.
        case invalidUTF8
        /// C0 control bytes (NUL, ESC…) or DEL inside data: no syntax level has them in its repertoire.
        case controlCharacters
    }

    /// Decodes bytes. `preferUTF8` applies the "valid multi-byte UTF-8 wins" rule; a per-partner
    /// override turns it off so the declared charset is applied literally.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, preferUTF8: Bool = true) -> (String, Deviation?) {
        var high = false
        var control = false
        for b in bytes where b >= 0x7F || b < 0x20 {
            if b < 0x20 || b == 0x7F { control = true } else { high = true }
            if high && control { break }
        }
        let controlDeviation: Deviation? = control ? .controlCharacters : nil
        if !high { return (Self.asciiString(bytes), controlDeviation) }
        switch encoding {
        case .utf8:
            if let s = String(validating: bytes, as: UTF8.self) { return (s, controlDeviation) }
            return (Self.decodeTable(bytes, part: 1), .invalidUTF8)
        case .ascii:
            if let s = String(validating: bytes, as: UTF8.self) { return (s, controlDeviation ?? .utf8UnderSingleByteCharset) }
            return (Self.decodeTable(bytes, part: 1), .outsideRepertoire)
        case .iso8859(let part):
            if preferUTF8, let s = String(validating: bytes, as: UTF8.self) { return (s, controlDeviation ?? .utf8UnderSingleByteCharset) }
            return (Self.decodeTable(bytes, part: part), controlDeviation)
        }
    }

    /// Text from bytes already known to be ASCII. Up to 15 bytes a string is stored inline; this
    /// initializer writes the bytes there directly and checks them with a mask, where
    /// `String(decoding:as:)` validates them and then copies them again byte by byte (most
    /// components of an interchange are that short).
    @inline(__always)
    static func asciiString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return "" }
        guard n <= 15 else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: n) { out in
            out.baseAddress?.initialize(from: source, count: n)
            return n
        }
    }

    /// Whether `text` can be written under this charset exactly: no control characters, and every
    /// character in the repertoire (ASCII for UNOA/UNOB, the ISO 8859 part's table, any for UTF-8).
    public func firstUnrepresentable(in text: String) -> Unicode.Scalar? {
        for s in text.unicodeScalars {
            if s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) { return s }
            switch encoding {
            case .utf8: continue
            case .ascii: if s.value >= 0x80 { return s }
            case .iso8859(let part):
                if s.value >= 0xA0 && (Self.reverseTables[part] ?? [:])[s.value] == nil { return s }
            }
        }
        return nil
    }

    public func decode(_ bytes: [UInt8], preferUTF8: Bool = true) -> (String, Deviation?) {
        bytes.withUnsafeBufferPointer { decode($0, preferUTF8: preferUTF8) }
    }

    private static func decodeTable(_ bytes: UnsafeBufferPointer<UInt8>, part: Int) -> String {
        let table = ISO8859Tables.upperHalf(part: part) ?? ISO8859Tables.upperHalf(part: 1) ?? []
        var scalars = String.UnicodeScalarView()
        for b in bytes {
            let value: UInt32 = b >= 0xA0 && table.count == 96 ? UInt32(table[Int(b) - 0xA0]) : UInt32(b)
            scalars.append(Unicode.Scalar(value) ?? Unicode.Scalar(UInt8(b)))
        }
        return String(scalars)
    }

    /// Encodes text for writing. Characters the charset cannot represent are written as UTF-8 and
    /// counted, so the writer can warn; under UNOA/UNOB that is what real senders do.
    public func encode(_ text: String, into out: inout [UInt8]) -> Int {
        var unrepresentable = 0
        switch encoding {
        case .utf8:
            out.append(contentsOf: text.utf8)
        case .ascii:
            for s in text.unicodeScalars {
                if s.value < 0x80 { out.append(UInt8(s.value)) } else {
                    out.append(contentsOf: String(s).utf8)
                    unrepresentable += 1
                }
            }
        case .iso8859(let part):
            let reverse = Self.reverseTables[part] ?? [:]
            for s in text.unicodeScalars {
                if s.value < 0xA0 {
                    // ASCII and the C1 controls are the same bytes in every ISO 8859 part.
                    out.append(UInt8(s.value))
                } else if let b = reverse[s.value] {
                    out.append(b)
                } else {
                    out.append(contentsOf: String(s).utf8)
                    unrepresentable += 1
                }
            }
        }
        return unrepresentable
    }

    private static let reverseTables: [Int: [UInt32: UInt8]] = Dictionary(uniqueKeysWithValues: (1...9).map { ($0, reverseTable(part: $0)) })

    private static func reverseTable(part: Int) -> [UInt32: UInt8] {
        var map: [UInt32: UInt8] = [:]
        let table = ISO8859Tables.upperHalf(part: part) ?? []
        for (i, v) in table.enumerated() where map[UInt32(v)] == nil {
            map[UInt32(v)] = UInt8(0xA0 + i)
        }
        return map
    }
}
