/// Serialises a `JSONValue` back to compact JSON text, numbers exactly as they were read.
public enum JSONWriter {
    public static func write(_ value: JSONValue) -> String {
        // Written as UTF-8 bytes into a buffer of its own and turned into a `String` once.
        var out = JSONOutput(capacity: 256)
        out.write(value)
        return out.string(0..<out.count)
    }

    /// Appends the compact JSON text of `value` to `out` as UTF-8.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        var buffer = JSONOutput(capacity: 256)
        buffer.write(value)
        buffer.withBytes(0..<buffer.count) { out.append(contentsOf: $0) }
    }


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
        // Most strings need no escaping: appended whole, after one scan of their bytes.
        let whole: Bool? = s.utf8.withContiguousStorageIfAvailable { bytes in
            guard !anyNeedsEscape(bytes) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if whole == true { return }
        var buffer = JSONOutput(capacity: s.utf8.count + 16)
        buffer.writeString(s)
        buffer.withBytes(0..<buffer.count) { out.append(contentsOf: $0) }
    }

    /// Whether any byte of `bytes` is below 0x20, `"` or `\\`: eight bytes at a time, the last
    /// word overlapping the one before it.
    @inlinable @inline(__always)
    static func anyNeedsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else { return false }
        let raw = UnsafeRawPointer(p)
        if n < 8 {
            for i in 0..<n { let b = p[i]; if b < 0x20 || b == 0x22 || b == 0x5C { return true } }
            return false
        }
        var i = 0
        while i + 8 <= n {
            if needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return i < n && needsEscape(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// Whether any of the eight bytes of `w` is below 0x20, `"` or `\\` (exact, no false positives:
    /// the classic "has a byte less than n" and "has a zero byte" word tests).
    @inlinable @inline(__always)
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

/// The writer's growable byte buffer. An append is a store into memory it owns: an `[UInt8]`'s
/// `append(contentsOf:)` checked uniqueness and capacity through a generic path, about 120
/// instructions a call, for strings of ten bytes on average. Its appends and the clean path of a
/// string are `@inlinable`, for `JSONTextWriter`'s callers in other modules.
@usableFromInline
struct JSONOutput: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    /// The memory past `count` is not initialised: a string is checked in the words read from its
    /// own bytes (see `writeString`), so no read touches a byte never written. Zeroing the whole
    /// buffer at each allocation and growth cost about 30,000 instructions an order.
    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inlinable deinit { base.deallocate() }

    @inlinable @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @usableFromInline @inline(never)
    mutating func grow(to needed: Int) {
        let newCapacity = max(needed, 2 * capacity)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    /// The last byte written (0 when none is).
    @inlinable
    var last: UInt8 { count > 0 ? base[count - 1] : 0 }

    /// Forgets what was written; the memory is kept for the next text.
    mutating func removeAll() { count = 0 }

    @inlinable @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: p, count: bytes.count)
        count += bytes.count
    }

    /// The UTF-8 of `s` as is (a number's text).
    @usableFromInline
    mutating func appendRaw(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for b in s.utf8 { append(b) }
        }
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII(0x6C6C_756E, 4)
        case .bool(let b): if b { appendASCII(0x6575_7274, 4) } else { appendASCII(0x65_736C_6166, 5) }
        case .number(let n): appendRaw(n)
        case .string(let s): writeString(s)
        case .array(let items):
            append(UInt8(ascii: "["))
            // Elements read in place (an iterator copied each one, a retain and a release).
            items.withUnsafeBufferPointer { b in
                for k in 0..<b.count {
                    if k > 0 { append(UInt8(ascii: ",")) }
                    write(b[k])
                }
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            object.members.withUnsafeBufferPointer { b in
                for k in 0..<b.count {
                    if k > 0 { append(UInt8(ascii: ",")) }
                    writeString(b[k].key)
                    append(UInt8(ascii: ":"))
                    write(b[k].value)
                }
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// Up to eight ASCII bytes given little-endian in `word` (`null`, `true`, `false`).
    @inlinable @inline(__always)
    mutating func appendASCII(_ word: UInt64, _ n: Int) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt64.self)
        count += n
    }

    /// Appends `s` as a JSON string literal (see `JSONWriter.writeString(_:into:)`).
    @inlinable
    mutating func writeString(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ writeString(bytes: $0) }) == nil {
            var copy = s
            copy.makeContiguousUTF8()
            copy.utf8.withContiguousStorageIfAvailable { writeString(bytes: $0) }
        }
    }

    /// The clean path (no byte to escape, the common case) inline; the escapes in `writeEscaped`.
    @inlinable @inline(__always)
    mutating func writeString(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        reserve(n + 2)
        let to = base + count
        to[0] = UInt8(ascii: "\"")
        // Copied, then checked: most strings need no escaping. A string of up to 16 bytes (most
        // keys and values) is copied as two words (or two half words) that overlap, and checked as
        // they are, with no call to `memmove` and no loop; a longer one is copied whole.
        let clean: Bool
        if let p = bytes.baseAddress, n <= 16 {
            let from = UnsafeRawPointer(p), into = UnsafeMutableRawPointer(to + 1)
            if n >= 8 {
                let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                into.storeBytes(of: head, as: UInt64.self)
                into.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
                clean = !JSONWriter.needsEscape(head) && !JSONWriter.needsEscape(tail)
            } else if n >= 4 {
                let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                into.storeBytes(of: head, as: UInt32.self)
                into.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
                clean = !JSONWriter.needsEscape(UInt64(head) | UInt64(tail) << 32)
            } else {
                // Up to three bytes, in a word whose other bytes are `a`.
                var word: UInt64 = 0x6161_6161_6161_6161
                for i in 0..<n {
                    to[1 + i] = p[i]
                    word = word & ~(0xFF << UInt64(8 * i)) | UInt64(p[i]) << UInt64(8 * i)
                }
                clean = !JSONWriter.needsEscape(word)
            }
        } else if let p = bytes.baseAddress {
            (to + 1).update(from: p, count: n)
            clean = !JSONWriter.anyNeedsEscape(bytes)
        } else {
            clean = true
        }
        if clean {
            base[count + 1 + n] = UInt8(ascii: "\"")
            count += n + 2
            return
        }
        writeEscaped(bytes: bytes)
    }

    /// `bytes`, one of which at least needs escaping, after the opening quote written (and the
    /// bytes copied after it, which are written over).
    @usableFromInline
    mutating func writeEscaped(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        count += 1
        var run = 0
        for i in 0..<n {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
            if run < i { append(UnsafeBufferPointer(rebasing: bytes[run..<i])) }
            run = i + 1
            reserve(6)
            base[count] = UInt8(ascii: "\\")
            switch b {
            case 0x22: base[count + 1] = 0x22; count += 2
            case 0x5C: base[count + 1] = 0x5C; count += 2
            case 0x0A: base[count + 1] = UInt8(ascii: "n"); count += 2
            case 0x0D: base[count + 1] = UInt8(ascii: "r"); count += 2
            case 0x09: base[count + 1] = UInt8(ascii: "t"); count += 2
            default:
                let hex: (UInt8) -> UInt8 = { $0 < 10 ? 0x30 + $0 : 0x57 + $0 }
                base[count + 1] = UInt8(ascii: "u"); base[count + 2] = 0x30; base[count + 3] = 0x30
                base[count + 4] = hex(b >> 4); base[count + 5] = hex(b & 0xF)
                count += 6
            }
        }
        if run < n { append(UnsafeBufferPointer(rebasing: bytes[run..<n])) }
        append(UInt8(ascii: "\""))
    }

    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// The text of `range` as a `String`. Checking UTF-8 byte by byte costs about 6 instructions a
    /// byte, and `String(decoding:as:)` does so for the whole text once it holds one non-ASCII
    /// character (an evaluation of 18 KB with one dash in a classifier's note): the ASCII stretches
    /// go through its word-at-a-time ASCII check, and only the runs of bytes ≥ 0x80 (whole
    /// characters, in UTF-8 written from `String`s) through the full check.
    func string(_ range: Range<Int>) -> String {
        let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        guard var next = Self.firstNonASCII(bytes, from: 0) else { return String(decoding: bytes, as: UTF8.self) }
        var text = String()
        text.reserveCapacity(bytes.count)
        var start = 0
        var runs = 0
        while true {
            if start < next { text += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<next]), as: UTF8.self) }
            var end = next + 1
            while end < bytes.count && bytes[end] >= 0x80 { end += 1 }
            runs += 1
            // Text mostly of non-ASCII words: the rest is checked whole.
            if runs == 64 { end = bytes.count }
            text += String(decoding: UnsafeBufferPointer(rebasing: bytes[next..<end]), as: UTF8.self)
            guard let found = Self.firstNonASCII(bytes, from: end) else {
                if end < bytes.count { text += String(decoding: UnsafeBufferPointer(rebasing: bytes[end...]), as: UTF8.self) }
                return text
            }
            start = end
            next = found
        }
    }

    /// The index of the first byte ≥ 0x80 at or after `from`, eight bytes at a time.
    private static func firstNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = bytes.count
        guard let p = bytes.baseAddress else { return nil }
        var i = from
        while i + 8 <= n {
            if UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n {
            if p[i] >= 0x80 { return i }
            i += 1
        }
        return nil
    }
}
