/// JSON texts written piece by piece from the caller's own typed values, with no `JSONValue` tree
/// in between: the pipeline writes an order's evaluation and decisions this way (about 2,000 values
/// an order, each of which a tree built, wrote and freed). Strings, keys and numbers are written as
/// `JSONWriter.write(_:)` writes them, so a text written here can be held byte for byte equal to a
/// tree's. Separators are placed by the writer: a comma goes before a key or a value unless it
/// opens the text, an array or an object, or follows its key.
///
/// A value written once can be kept as a `JSONFragment` (its bytes) and written again into other
/// texts as a copy, as the classifier's candidates are in the evaluation and in the decision.
///
/// The small writes (separators, keys, strings, fragments) are `@inlinable`: the writers that call
/// them live in other modules (classification, tariff, pipeline), and a call that could not be
/// inlined across the module cost about 60 of a string's 245 instructions. A key written as a
/// literal (`StaticString`) is copied from the binary as it is, without a `String` in between.
public struct JSONTextWriter: ~Copyable {
    @usableFromInline var out: JSONOutput

    public init(capacity: Int = 512) { out = JSONOutput(capacity: capacity) }

    /// A comma, unless this opens the text, an array or an object, or follows a key. A value's
    /// last byte is never `{`, `[` or `:` (a string's is its quote), so the last byte decides.
    @inlinable @inline(__always)
    mutating func separate() {
        switch out.last {
        case 0, UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ":"): break
        default: out.append(UInt8(ascii: ","))
        }
    }

    @inlinable @inline(__always)
    public mutating func beginObject() {
        separate()
        out.append(UInt8(ascii: "{"))
    }

    @inlinable @inline(__always)
    public mutating func endObject() { out.append(UInt8(ascii: "}")) }

    @inlinable @inline(__always)
    public mutating func beginArray() {
        separate()
        out.append(UInt8(ascii: "["))
    }

    @inlinable @inline(__always)
    public mutating func endArray() { out.append(UInt8(ascii: "]")) }

    /// An object member's key and its colon; its value comes next. A literal key is written from
    /// its bytes in the binary (escaped as any string is, should it need it).
    @inlinable @inline(__always)
    public mutating func key(_ key: StaticString) {
        separate()
        key.withUTF8Buffer { out.writeString(bytes: $0) }
        out.append(UInt8(ascii: ":"))
    }

    /// A key made at run time.
    @inlinable @_disfavoredOverload
    public mutating func key(_ key: String) {
        separate()
        out.writeString(key)
        out.append(UInt8(ascii: ":"))
    }

    /// A member whose value is an array of strings (`"key":["a","b"]`).
    @inlinable
    public mutating func key<Strings: Sequence<String>>(_ key: StaticString, strings: Strings) {
        self.key(key)
        out.append(UInt8(ascii: "["))
        var first = true
        for s in strings {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.writeString(s)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A member whose value is an array of integers (`"key":[1,2]`).
    @inlinable
    public mutating func key(_ key: StaticString, numbers: [Int]) {
        self.key(key)
        out.append(UInt8(ascii: "["))
        for (k, n) in numbers.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.appendRaw(String(n))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A member whose value is a string, or `null` when there is none.
    @inlinable
    public mutating func key(_ key: StaticString, orNull s: String?) {
        self.key(key)
        string(orNull: s)
    }

    @inlinable @inline(__always)
    public mutating func string(_ s: String) {
        separate()
        out.writeString(s)
    }

    /// A string, or `null` when there is none.
    @inlinable
    public mutating func string(orNull s: String?) {
        if let s { string(s) } else { null() }
    }

    /// A number's text as it is (JSON grammar, as `JSONValue.number` holds it).
    public mutating func number(_ text: String) {
        separate()
        out.appendRaw(text)
    }

    public mutating func number(_ n: Int) { number(String(n)) }

    /// A `Double` as `JSONValueEncoder` writes it, in its shortest form (`2`, not `2.0`). The
    /// caller checks that it is finite: the encoder refuses any other.
    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "\(value) is not a JSON number")
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        number(text)
    }

    @inlinable
    public mutating func null() {
        separate()
        out.appendASCII(0x6C6C_756E, 4)
    }

    @inlinable
    public mutating func bool(_ b: Bool) {
        separate()
        if b { out.appendASCII(0x6575_7274, 4) } else { out.appendASCII(0x65_736C_6166, 5) }
    }

    /// A part that is a tree already (written as `JSONWriter.write(_:)` writes it).
    public mutating func value(_ value: JSONValue) {
        separate()
        out.write(value)
    }

    /// A value written before, copied.
    @inlinable
    public mutating func fragment(_ fragment: JSONFragment) {
        separate()
        fragment.bytes.withUnsafeBufferPointer { out.append($0) }
    }

    /// How many bytes the text has so far: where the next value starts (after its separator).
    @inlinable
    public var position: Int { out.count }

    /// The value written from `start` (a `position` taken just before it; a separator written
    /// there is left out) to here.
    public func fragment(from start: Int) -> JSONFragment { fragment(start..<out.count) }

    /// The value written at `range` (positions taken before and after it).
    public func fragment(_ range: Range<Int>) -> JSONFragment {
        var from = range.lowerBound
        if from < range.upperBound, out.withBytes(from..<(from + 1), { $0[0] }) == UInt8(ascii: ",") { from += 1 }
        return JSONFragment(bytes: out.withBytes(from..<range.upperBound) { Array($0) })
    }

    /// Forgets what was written (fragments taken from it stay): the writer starts the next text.
    public mutating func removeAll() { out.removeAll() }

    /// The text written so far, which is then forgotten: the writer starts the next text.
    public mutating func take() -> String {
        defer { out.removeAll() }
        return out.string(0..<out.count)
    }
}

/// The bytes of one JSON value as `JSONTextWriter` wrote it, to be written again as a part of other
/// texts without writing its values one by one again.
public struct JSONFragment: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// A single JSON value written alone.
    public init(_ write: (inout JSONTextWriter) -> Void) {
        var writer = JSONTextWriter(capacity: 256)
        write(&writer)
        self = writer.fragment(from: 0)
    }

    /// The value's text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
