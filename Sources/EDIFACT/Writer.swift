/// Why a tree could not be written; names the segment so the caller can fix the data.
public struct WriterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var segmentTag: String?
    public var description: String { segmentTag.map { "\($0): \(message)" } ?? message }
}

/// Turns message trees into EDIFACT bytes under any delimiters, escaping data with the release
/// character and computing every control count and reference itself (UNT, UNE, UNZ), so a tree
/// edited by hand or produced by a mapping can never carry a stale count.
public struct EDIFACTWriter: Sendable {
    public enum UNAPolicy: Sendable, Hashable {
        /// Write UNA when the interchange had one or its delimiters are not the defaults.
        case whenNeeded
        case always
        /// Never write UNA (only valid with default delimiters; otherwise `whenNeeded` applies).
        case never
    }

    public struct Options: Sendable, Hashable {
        /// Delimiters to write with; `nil` keeps each interchange's own.
        public var delimiters: Delimiters?
        public var una: UNAPolicy
        /// Bytes after each segment terminator: `"\n"` for one segment per line, empty for one line.
        public var lineEnding: [UInt8]
        /// Charset to encode with; `nil` uses the one UNB S001 names (Latin-1 for unknown identifiers,
        /// which gives back exactly the bytes the reader saw).
        public var charset: SyntaxCharset?

        /// Write characters outside the charset's repertoire as UTF-8 (and count them) instead of
        /// refusing the data. Off by default: a UNOA or UNOC interchange carrying UTF-8 is read
        /// differently by every partner. Control characters are refused either way.
        public var allowUnrepresentable: Bool

        public init(delimiters: Delimiters? = nil, una: UNAPolicy = .whenNeeded, lineEnding: [UInt8] = [0x0A], charset: SyntaxCharset? = nil,
                    allowUnrepresentable: Bool = false) {
            self.allowUnrepresentable = allowUnrepresentable
            self.delimiters = delimiters
            self.una = una
            self.lineEnding = lineEnding
            self.charset = charset
        }

        public static let segmentPerLine = Options()
        public static let singleLine = Options(lineEnding: [])
    }

    /// Whether the tag is UNA, UNB, UNG, UNH, UNT, UNE or UNZ, read from its bytes: this runs once
    /// per written segment, and hashing the tag for a set lookup cost more than writing it.
    static func isEnvelopeTag(_ tag: String) -> Bool {
        var u = tag.utf8.makeIterator()
        guard u.next() == 0x55, u.next() == 0x4E, let third = u.next(), u.next() == nil else { return false }
        switch third {
        case 0x41, 0x42, 0x47, 0x48, 0x54, 0x45, 0x5A: return true  // A B G H T E Z
        default: return false
        }
    }

    public var options: Options
    /// Characters that the charset could not represent and were written as UTF-8 (for a warning).
    public private(set) var unrepresentableCharacters = 0

    private var out: [UInt8] = []
    private var scratch: [UInt8] = []
    private var isService = [Bool](repeating: false, count: 256)
    /// Bytes that keep a component off the plain path, as bits: C0 controls and service characters
    /// (below 0x80: one bit each in `plainLow`/`plainHigh`), DEL and everything from 0x80 (UTF-8,
    /// which the charset decides about).
    private var specialLow: UInt64 = 0xFFFF_FFFF
    private var specialHigh: UInt64 = 1 << 63
    private var d = Delimiters.standard
    private var previous: Delimiters?
    private var charset = SyntaxCharset.latin1

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Writes every interchange of a document, in order.
    public mutating func write(_ document: Document) throws(WriterError) -> [UInt8] {
        var all: [UInt8] = []
        for ic in document.interchanges { all += try write(ic) }
        return all
    }

    /// Writes one interchange, UNA (per policy) to UNZ.
    public mutating func write(_ interchange: Interchange) throws(WriterError) -> [UInt8] {
        out = []
        out.reserveCapacity(4096)
        try begin(interchange)
        for g in interchange.groups {
            try writeSegment(g.header)
            for m in g.messages { try writeMessage(m) }
            try writeSegment(Segment("UNE", [Element([String(g.messages.count)]), Element([g.header.value(4) ?? g.controlRef])]))
        }
        for m in interchange.messages { try writeMessage(m) }
        // Groups and loose messages each count once (a mixed interchange is already an error on read).
        let count = interchange.groups.count + interchange.messages.count
        try writeSegment(Segment("UNZ", [Element([String(count)]), Element([interchange.header.value(4) ?? interchange.controlRef])]))
        return out
    }

    /// Streaming use: `begin` once, `writeMessage` per message, `end` with the number of messages.
    public mutating func begin(_ interchange: Interchange) throws(WriterError) {
        d = options.delimiters ?? interchange.delimiters
        guard d.isConsistent else { throw WriterError(message: "delimiters repeat a separator: \(d.text)") }
        isService = [Bool](repeating: false, count: 256)
        for c in d.serviceCharacters { isService[Int(c)] = true }
        specialLow = 0xFFFF_FFFF
        specialHigh = 1 << 63
        for c in d.serviceCharacters where c < 0x80 {
            if c < 64 { specialLow |= 1 << UInt64(c) } else { specialHigh |= 1 << UInt64(c - 64) }
        }
        charset = options.charset ?? SyntaxCharset.forSyntaxIdentifier(interchange.syntax.id) ?? .latin1
        // A reader keeps the previous interchange's delimiters until the next UNA, so a change from
        // them needs a UNA as much as a change from the defaults does.
        let defaults: Delimiters = interchange.syntax.version == "4" ? .version4 : .standard
        let needUNA = d != defaults || (previous != nil && previous != d)
        previous = d
        let writeUNA: Bool
        switch options.una {
        case .always: writeUNA = true
        case .never: writeUNA = needUNA
        case .whenNeeded: writeUNA = needUNA || interchange.hasServiceStringAdvice
        }
        if writeUNA {
            out += d.unaBytes
            out += options.lineEnding
        }
        try writeSegment(interchange.header)
    }

    /// Takes the bytes written so far (for streaming writers that flush per message).
    public mutating func takeOutput() -> [UInt8] {
        let taken = out
        // Room for another output of the same size, so the next message is written without
        // regrowing the buffer from empty.
        out = []
        out.reserveCapacity(taken.count)
        return taken
    }

    public mutating func end(_ interchange: Interchange, count: Int) throws(WriterError) {
        try writeSegment(Segment("UNZ", [Element([String(count)]), Element([interchange.header.value(4) ?? interchange.controlRef])]))
    }

    /// Writes UNH (from the tree, or built from the message fields), the body, and a fresh UNT.
    public mutating func writeMessage(_ m: Message) throws(WriterError) {
        var count = 0
        let unh: Segment
        if let first = m.segments.first, first.tag == "UNH" {
            unh = first
        } else {
            unh = Segment("UNH", [Element([m.controlRef]), m.identifier])
        }
        try writeSegment(unh)
        count += 1
        for s in m.body {
            if Self.isEnvelopeTag(s.tag) {
                throw WriterError(message: "envelope segment inside message \(m.controlRef); it would end the message early", segmentTag: s.tag)
            }
            try writeSegment(s)
            count += 1
        }
        count += 1
        try writeSegment(Segment("UNT", [Element([String(count)]), Element([unh.value(0) ?? m.controlRef])]))
    }

    public mutating func writeSegment(_ s: Segment) throws(WriterError) {
        // Three characters is the rule; longer dummy tags seen in test data are written as read.
        guard Self.isAlphanumericTag(s.tag) else {
            throw WriterError(message: "segment tag must be letters and digits", segmentTag: s.tag)
        }
        if writePlain(s) { return }
        // Escaped like data: a hostile UNA may make a letter a service character.
        try writeData(s.tag, tag: s.tag)
        // Trailing empty elements/components carry nothing; writing them is CONTRL error 45 for strict partners.
        var last = s.elements.count
        while last > 0, s.elements[last - 1].isEmpty { last -= 1 }
        for i in 0..<last {
            out.append(d.element)
            let e = s.elements[i]
            if !e.repeats.isEmpty && d.repetition == nil {
                throw WriterError(message: "element \(i + 1) repeats but the delimiters have no repetition separator", segmentTag: s.tag)
            }
            // The first occurrence through the element's accessors (no array is built for it).
            var n = e.componentCount
            while n > 1, e[component: n - 1]?.isEmpty == true { n -= 1 }
            for j in 0..<n {
                if j > 0 { out.append(d.component) }
                try writeData(e[component: j] ?? "", tag: s.tag)
            }
            for comps in e.repeats {
                if let rep = d.repetition { out.append(rep) }
                var n = comps.count
                while n > 1, comps[n - 1].isEmpty { n -= 1 }
                for j in 0..<n {
                    if j > 0 { out.append(d.component) }
                    try writeData(comps[j], tag: s.tag)
                }
            }
        }
        out.append(d.segment)
        out += options.lineEnding
    }

    /// The common case in one go: no repeated element, and every component plain ASCII with no
    /// service character, so nothing needs escaping or encoding. The segment is built in a stack
    /// buffer and appended once (one append per component cost more than the copying itself).
    /// False, with nothing written, when the segment needs the general path.
    private mutating func writePlain(_ s: Segment) -> Bool {
        let elements = s.elements
        var last = elements.count
        while last > 0, elements[last - 1].isEmpty { last -= 1 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer -> Bool in
            guard let p = buffer.baseAddress else { return false }
            let capacity = buffer.count - 2 - options.lineEnding.count
            let low = specialLow, high = specialHigh
            var n = 0
            // A static helper with `n` passed inout: a local function capturing `n` would box it,
            // and every access to the box is then checked for exclusivity at run time.
            guard Self.putPlain(s.tag, p, &n, capacity, low, high) else { return false }
            let elementSeparator = d.element, componentSeparator = d.component
            // Elements read in place (copying one out retains its arrays).
            let written = elements.withUnsafeBufferPointer { e -> Bool in
                for i in 0..<last {
                    guard e[i].repeats.isEmpty else { return false }
                    p[n] = elementSeparator
                    n += 1
                    guard Self.putPlain(e[i].head, p, &n, capacity, low, high) else { return false }
                    var k = e[i].tail.count
                    while k > 0, e[i].tail[k - 1].isEmpty { k -= 1 }
                    for j in 0..<k {
                        p[n] = componentSeparator
                        n += 1
                        guard Self.putPlain(e[i].tail[j], p, &n, capacity, low, high) else { return false }
                    }
                }
                return true
            }
            guard written else { return false }
            p[n] = d.segment
            n += 1
            for b in options.lineEnding {
                p[n] = b
                n += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            return true
        }
    }

    /// Copies `text` to `p + n` when it is plain (see `writePlain`) and fits below `capacity`.
    @inline(__always)
    private static func putPlain(_ text: String, _ p: UnsafeMutablePointer<UInt8>, _ n: inout Int, _ capacity: Int, _ low: UInt64, _ high: UInt64) -> Bool {
        let at = n
        let end: Int? = text.utf8.withContiguousStorageIfAvailable { u -> Int in
            let count = u.count
            guard at + count <= capacity, let source = u.baseAddress else { return count == 0 && at <= capacity ? at : -1 }
            for i in 0..<count {
                let b = source[i]
                if b >= 0x80 || (b < 64 ? low >> UInt64(b) : high >> UInt64(b &- 64)) & 1 != 0 { return -1 }
            }
            (p + at).update(from: source, count: count)
            return at + count
        }
        guard let end, end >= 0 else { return false }
        n = end
        return true
    }

    /// Letters and digits only, not empty (checked on the contiguous bytes: every tag a reader
    /// builds is a small string, and the generic `allSatisfy` walk cost more than writing it).
    static func isAlphanumericTag(_ tag: String) -> Bool {
        func check(_ b: some Sequence<UInt8>) -> Bool {
            var any = false
            for c in b {
                guard (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) else { return false }
                any = true
            }
            return any
        }
        if let r = tag.utf8.withContiguousStorageIfAvailable({ check($0) }) { return r }
        return check(tag.utf8)
    }

    private mutating func writeData(_ text: String, tag: String) throws(WriterError) {
        // Fast path: plain ASCII with no service character is copied as is.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { buf in
            let plain = isService.withUnsafeBufferPointer { service in
                !buf.contains { $0 >= 0x7F || $0 < 0x20 || service[Int($0)] }
            }
            if plain { out.append(contentsOf: buf) }
            return plain
        }
        if copied == true { return }
        if copied == nil {
            var ascii = true
            for b in text.utf8 where b >= 0x7F || b < 0x20 || isService[Int(b)] {
                ascii = false
                break
            }
            if ascii {
                out.append(contentsOf: text.utf8)
                return
            }
        }
        if let bad = charset.firstUnrepresentable(in: text) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(4)
            if bad.value < 0x20 || bad.value == 0x7F || (0x80..<0xA0).contains(bad.value) {
                throw WriterError(message: "data contains the control character \(code); no syntax level allows it", segmentTag: tag)
            }
            if !options.allowUnrepresentable {
                throw WriterError(message: "\(code) '\(Character(bad))' is outside the \(charset) repertoire; use a syntax identifier that has it (UNOW for UTF-8)", segmentTag: tag)
            }
        }
        scratch.removeAll(keepingCapacity: true)
        unrepresentableCharacters += charset.encode(text, into: &scratch)
        for b in scratch {
            if isService[Int(b)] {
                guard let r = d.release else {
                    throw WriterError(message: "data contains a service character and the delimiters have no release character", segmentTag: tag)
                }
                out.append(r)
            }
            out.append(b)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
