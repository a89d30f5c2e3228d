/// What segments handed out point into: the bytes (usually the input chunk itself) and the
/// component ends. Segments found together share one; a class, so handing a segment out costs one
/// reference count instead of one per array, and the segment stays a small value to move.
final class SegmentBlock: Sendable {
    let bytes: [UInt8]
    let ends: [UInt32]

    init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    static let empty = SegmentBlock(bytes: [], ends: [])
}

/// A segment exactly as the tokenizer delimited it: release characters applied, data bytes not yet
/// decoded to text. Building `Segment` values from this is the reader's job; benchmarks and fast
/// scanners can stop here.
public struct RawSegment: Sendable {
    let block: SegmentBlock
    /// Where this segment's ends lie in `block.ends`.
    let endsLow: Int
    let endsHigh: Int
    public var start: Int
    /// Byte offset of the segment's first byte in the input stream.
    public var offset: Int
    /// 0-based index among all segments of the input (UNA not counted).
    public var index: Int
    /// Release characters that preceded a character which is not a service character.
    public var releasedOrdinaryCharacters = 0
    /// The input ended before the segment terminator.
    public var unterminated = false

    init(block: SegmentBlock, start: Int, endsLow: Int, endsHigh: Int, offset: Int, index: Int) {
        self.block = block
        self.start = start
        self.endsLow = endsLow
        self.endsHigh = endsHigh
        self.offset = offset
        self.index = index
    }

    /// Bytes holding the segment's data from `start`: usually the input chunk itself (no copy),
    /// or the tokenizer's own buffer when release characters had to be removed or the segment
    /// spanned chunks.
    public var storage: [UInt8] { block.bytes }

    /// One entry per component: end offset relative to `start` in the low 30 bits, and in the top
    /// two bits what the separator after it closed (component, repetition of an element, whole
    /// element). A component starts one byte after the previous one ends (the separator's place).
    /// A slice: segments found together share one buffer of ends, so handing one out copies nothing.
    public var ends: ArraySlice<UInt32> { block.ends[endsLow..<endsHigh] }

    static let componentEnd: UInt32 = 0
    static let repetitionEnd: UInt32 = 1 << 30
    static let elementEnd: UInt32 = 2 << 30
    static let lengthMask: UInt32 = (1 << 30) - 1

    /// The segment as stored: components with one separator byte between them, release characters removed.
    public var bytes: ArraySlice<UInt8> {
        let length = endsHigh > endsLow ? Int(block.ends[endsHigh - 1] & Self.lengthMask) : 0
        return block.bytes[start..<start + length]
    }

    /// The tag bytes (the first element), usually three uppercase characters.
    public var tagBytes: ArraySlice<UInt8> {
        guard endsHigh > endsLow else { return block.bytes[start..<start] }
        return block.bytes[start..<start + Int(block.ends[endsLow] & Self.lengthMask)]
    }

    /// The tag when the first element is a single component.
    public var tag: String { String(decoding: tagBytes, as: UTF8.self) }

    /// Number of data elements after the tag.
    public var elementCount: Int {
        var n = 0
        for e in block.ends[endsLow..<endsHigh] where e & ~Self.lengthMask == Self.elementEnd { n += 1 }
        return max(0, n - 1)
    }
}

/// Splits a byte stream into segments with a one-byte "released" state, so a released terminator
/// (`?'`) can never end a segment, whatever chunk boundary it falls on.
///
/// It is a push tokenizer: `feed` a chunk, call `next()` until it returns `nil`, feed the next chunk;
/// call `finish()` at the end of input and drain `next()` once more. Memory is bounded by the
/// largest accepted segment (`maxSegmentBytes`), not by the input size.
public struct SegmentTokenizer: Sendable {
    public enum Event: Sendable {
        // The rare cases are indirect so the enum stays the size of a RawSegment: events are
        // returned once per segment, and a large payload would be copied every time.
        /// A UNA service string advice was read (delimiters in force from here on).
        indirect case serviceStringAdvice(Delimiters, offset: Int)
        case segment(RawSegment)
        indirect case diagnostic(Diagnostic)
        /// A segment too large to keep was skipped to its terminator; it still counts as a segment.
        indirect case skippedSegment(Diagnostic)
    }

    public struct Limits: Sendable, Hashable {
        /// Longest segment accepted; longer ones are reported and skipped to their terminator.
        public var maxSegmentBytes: Int
        /// Most components (all elements together) in one segment.
        public var maxConstituents: Int

        public init(maxSegmentBytes: Int = 1 << 20, maxConstituents: Int = 10_000) {
            self.maxSegmentBytes = maxSegmentBytes
            self.maxConstituents = maxConstituents
        }
    }

    public private(set) var delimiters: Delimiters
    /// Whether the current interchange started with UNA (so position 5 counts under syntax 4).
    public private(set) var sawServiceStringAdvice = false
    public let limits: Limits
    /// Segments delimited so far, and the input position (for errors reported at the end of input).
    public var segmentsRead: Int { segmentIndex }
    public var bytesConsumed: Int { chunkBase + pos }
    /// Delimiters forced by configuration; UNA and UNB detection are then ignored.
    private let forcedDelimiters: Delimiters?

    private var classes: [UInt8] = Array(repeating: 0, count: 256)
    private var chunk: [UInt8] = []
    private var pos = 0
    private var chunkBase = 0
    private var atEnd = false
    private var preamble: [UInt8]? = []
    private var current = Building()
    private var started = false
    private var released = false
    private var discarding = false
    private var unaCollected: [UInt8]? = nil
    private var unaOffset = 0
    private var segmentIndex = 0
    private var pending: [Event] = []
    private var componentStart = 0
    /// The last segment handed out still shares `current`'s buffers; they are cleared only when
    /// the next segment starts, by which time the caller has usually let go (so no copy is made).
    private var needsReset = false
    private var own: [UInt8] = []
    /// Plain segments found ahead in the current chunk (`fillBatch`), handed out one per `next()`.
    private var batch: [BatchEntry] = []
    /// Scratch the batch scan writes ends into; the batch's block gets a copy of the used part.
    private var batchEnds: [UInt32] = []
    private var batchBlock = SegmentBlock.empty
    private var batchHead = 0
    private var batchCount = 0

    /// The segment the general loop is building: its ends (its bytes are in `own`, or in the
    /// chunk for `fastSegment`).
    private struct Building {
        var ends: [UInt32] = []
        var offset = 0
        var releasedOrdinaryCharacters = 0
        var unterminated = false
    }

    private struct BatchEntry {
        var start: Int
        var end: Int
        var endsLow: Int
        var endsHigh: Int
    }

    private static let batchSegments = 256, batchEndsCapacity = 4096

    // Byte classes.
    private static let data: UInt8 = 0, comp: UInt8 = 1, elem: UInt8 = 2, rel: UInt8 = 3, rep: UInt8 = 4,
        term: UInt8 = 5, drop: UInt8 = 6, blank: UInt8 = 7

    public init(delimiters: Delimiters? = nil, limits: Limits = Limits()) {
        self.forcedDelimiters = delimiters
        self.delimiters = delimiters ?? .standard
        self.limits = limits
        rebuildClasses()
        if delimiters != nil { preamble = nil }
    }

    private mutating func rebuildClasses() {
        var c = [UInt8](repeating: Self.data, count: 256)
        let d = delimiters
        if d.segment != 0x0A && d.segment != 0x0D {
            c[0x0A] = Self.drop
            c[0x0D] = Self.drop
        } else {
            c[0x0D] = Self.drop
        }
        c[Int(d.component)] = Self.comp
        c[Int(d.element)] = Self.elem
        if let r = d.repetition { c[Int(r)] = Self.rep }
        if let r = d.release { c[Int(r)] = Self.rel }
        c[Int(d.segment)] = Self.term
        classes = c
    }

    private mutating func setDelimiters(_ d: Delimiters) {
        delimiters = d
        rebuildClasses()
    }

    /// Hands the tokenizer the next chunk of input. Drain `next()` before feeding again.
    public mutating func feed(_ bytes: [UInt8]) {
        batchHead = 0
        batchCount = 0
        batchBlock = .empty
        chunkBase += chunk.count
        if preamble != nil {
            preamble?.append(contentsOf: bytes)
            chunk = []
            pos = 0
            return
        }
        chunk = bytes
        pos = 0
    }

    /// Marks the end of input; `next()` then flushes what is left.
    public mutating func finish() {
        atEnd = true
    }

    /// The next event, or `nil` when the current chunk is used up (or the input is finished).
    public mutating func next() -> Event? {
        if !pending.isEmpty { return pending.removeFirst() }
        if var head = preamble {
            guard head.count >= Self.preambleWindow + 8 || atEnd else { return nil }
            preamble = nil
            let skip = detectStart(&head)
            // The preamble becomes the current chunk; its base is the number of bytes before it.
            chunkBase = 0
            chunk = head
            pos = skip
            if !pending.isEmpty { return pending.removeFirst() }
        }
        if let event = scan() { return event }
        if !pending.isEmpty { return pending.removeFirst() }
        if atEnd { return flushAtEnd() }
        return nil
    }

    /// How far into the input the interchange header is looked for. The same window whatever the
    /// chunk sizes, so a document never depends on how its bytes arrived.
    static let preambleWindow = 512

    /// Finds the first UNA/UNB, reports what precedes it, and learns delimiters from a UNB without UNA.
    private mutating func detectStart(_ head: inout [UInt8]) -> Int {
        let n = head.count
        var start: Int? = nil
        var i = 0
        while i + 2 < min(n, Self.preambleWindow) {
            if head[i] == 0x55, head[i + 1] == 0x4E, head[i + 2] == 0x41 || head[i + 2] == 0x42 {
                start = i
                break
            }
            i += 1
        }
        guard let s = start else {
            if n > 0 {
                pending.append(.diagnostic(Diagnostic(
                    code: SyntaxError.missing, message: "no UNA or UNB interchange header found in the first \(min(n, Self.preambleWindow)) bytes",
                    segmentIndex: 0, offset: 0)))
            }
            return 0
        }
        if s > 0 {
            let skipped = head[0..<s]
            let bom = skipped.starts(with: [0xEF, 0xBB, 0xBF])
            let onlyBlank = skipped.dropFirst(bom ? 3 : 0).allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            let what = bom && onlyBlank && s == 3 ? "a UTF-8 byte order mark" : onlyBlank ? "whitespace" : "\(s) bytes of junk"
            pending.append(.diagnostic(Diagnostic(
                code: nil, severity: .warning, message: "skipped \(what) before the interchange header", segmentIndex: 0, offset: 0)))
        }
        if head[s + 2] == 0x42, forcedDelimiters == nil, s + 3 < n {
            // No UNA: learn the element separator from the byte after "UNB" and the component
            // separator from the byte after the four-character syntax identifier.
            let sep = head[s + 3]
            if sep == 0x1D {
                setDelimiters(.informationSeparators)
            } else if sep != UInt8(ascii: "+"), !isAlphanumeric(sep), sep >= 0x20 {
                var d = Delimiters.standard
                d.element = sep
                if s + 8 < n, !isAlphanumeric(head[s + 8]) { d.component = head[s + 8] }
                if d.isConsistent {
                    setDelimiters(d)
                    pending.append(.diagnostic(Diagnostic(
                        code: nil, severity: .warning,
                        message: "no UNA but UNB uses non-default separators; using element '\(Character(Unicode.Scalar(d.element)))'",
                        segmentIndex: 0, offset: s)))
                }
            }
        }
        return s
    }

    private func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private mutating func flushAtEnd() -> Event? {
        if let una = unaCollected {
            unaCollected = nil
            resetSegment()
            return .diagnostic(Diagnostic(
                code: SyntaxError.missing, message: "input ends inside the UNA service string advice (\(una.count) of 6 characters)",
                segmentIndex: segmentIndex, offset: unaOffset))
        }
        if released {
            released = false
            pending.append(.diagnostic(Diagnostic(
                code: SyntaxError.invalidServiceCharacter, message: "input ends with a release character",
                segmentIndex: segmentIndex, offset: chunkBase + chunk.count - 1)))
        }
        if discarding {
            discarding = false
            resetSegment()
            return pending.isEmpty ? nil : pending.removeFirst()
        }
        if started {
            current.unterminated = true
            if let e = completeSegment() { pending.append(e) }
        }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    private mutating func resetSegment() {
        if !own.isEmpty { own.removeAll(keepingCapacity: true) }
        if !current.ends.isEmpty { current.ends.removeAll(keepingCapacity: true) }
        current.releasedOrdinaryCharacters = 0
        current.unterminated = false
        started = false
        componentStart = 0
        needsReset = false
    }

    /// Records the end of a component and keeps one byte for its separator, so positions in
    /// `own` follow the same layout as a segment read straight from the chunk.
    private mutating func closeComponent(_ kind: UInt32) {
        current.ends.append(UInt32(own.count) | kind)
        own.append(0)
    }

    /// Hands out the segment in `current`, its data in `storage` from `start`, and arranges the
    /// lazy reset (the block shares `own` and the ends; they are cleared when the next segment
    /// starts, by which time the caller has usually let go, so nothing is copied).
    private mutating func emit(storage: [UInt8], start: Int) -> Event? {
        // UNB decides whether the syntax 4 repetition separator is in force for this interchange.
        if forcedDelimiters == nil, let first = current.ends.first, first & RawSegment.lengthMask == 3,
            storage[start] == 0x55, storage[start + 1] == 0x4E, storage[start + 2] == 0x42
        {
            adjustRepetition(storage, start)
        }
        if current.ends.count == 1, let only = current.ends.first, only & RawSegment.lengthMask == 0 {
            let d = Diagnostic(code: nil, severity: .warning, message: "empty segment ignored", segmentIndex: segmentIndex, offset: current.offset)
            resetSegment()
            return .diagnostic(d)
        }
        var raw = RawSegment(block: SegmentBlock(bytes: storage, ends: current.ends), start: start, endsLow: 0, endsHigh: current.ends.count,
                             offset: current.offset, index: segmentIndex)
        raw.releasedOrdinaryCharacters = current.releasedOrdinaryCharacters
        raw.unterminated = current.unterminated
        segmentIndex += 1
        needsReset = true
        started = false
        return .segment(raw)
    }

    private mutating func completeSegment() -> Event? {
        closeComponent(RawSegment.elementEnd)
        return emit(storage: own, start: 0)
    }

    private mutating func adjustRepetition(_ storage: [UInt8], _ segmentStart: Int) {
        // Version is the second component of the first element after the tag.
        var element = 0, component = 0, start = 0
        var version: [UInt8] = []
        for e in current.ends {
            let end = Int(e & RawSegment.lengthMask)
            if element == 1 && component == 1 { version = Array(storage[segmentStart + start..<segmentStart + end]) }
            start = end + 1
            if e & ~RawSegment.lengthMask == RawSegment.elementEnd {
                element += 1
                component = 0
            } else {
                component += 1
            }
        }
        let v4 = version == Array("4".utf8)
        var d = delimiters
        if v4 {
            if !sawServiceStringAdvice { d.repetition = UInt8(ascii: "*") }
        } else {
            d.repetition = nil
        }
        if d != delimiters, d.isConsistent { setDelimiters(d) }
        sawServiceStringAdvice = false
    }

    private mutating func startSegment(at offset: Int) {
        started = true
        current.offset = offset
    }

    /// The hot loop: runs of ordinary bytes are copied in bulk, separators close constituents.
    private mutating func scan() -> Event? {
        if batchHead < batchCount { return takeFromBatch() }
        if needsReset { resetSegment() }
        let n = chunk.count
        if !started, unaCollected == nil, !discarding, !released, pos < n {
            if fillBatch() { return takeFromBatch() }
            if let event = fastSegment() { return event }
        }
        while pos < n {
            if let collected = unaCollected {
                let b = chunk[pos]
                pos += 1
                if b == 0x0A || b == 0x0D { continue }
                var c = collected
                c.append(b)
                if c.count == 6 {
                    unaCollected = nil
                    resetSegment()
                    if let d = Delimiters(una: c), d.isConsistent {
                        setDelimiters(d)
                        sawServiceStringAdvice = true
                        skipBlanksAfterUNA()
                        return .serviceStringAdvice(d, offset: unaOffset)
                    }
                    return .diagnostic(Diagnostic(
                        code: SyntaxError.invalidServiceCharacter,
                        message: "UNA service string advice repeats a separator; keeping the previous delimiters",
                        segmentIndex: segmentIndex, offset: unaOffset))
                } else {
                    unaCollected = c
                }
                continue
            }
            if discarding {
                let b = chunk[pos]
                pos += 1
                if released { released = false; continue }
                if let r = delimiters.release, b == r { released = true; continue }
                if b == delimiters.segment {
                    discarding = false
                    resetSegment()
                }
                continue
            }
            if released {
                let b = chunk[pos]
                pos += 1
                let cls = classes[Int(b)]
                if cls == Self.drop { continue }
                released = false
                if !started { startSegment(at: chunkBase + pos - 2) }
                if cls == Self.data { current.releasedOrdinaryCharacters += 1 }
                own.append(b)
                continue
            }
            // Bulk-copy a run of ordinary bytes.
            let runStart = pos
            let bytes = chunk, classTable = classes
            let runEnd = bytes.withUnsafeBufferPointer { buf in
                classTable.withUnsafeBufferPointer { table in
                    var j = runStart
                    while j < n, table[Int(buf[j])] == Self.data { j += 1 }
                    return j
                }
            }
            if runEnd > runStart {
                var from = runStart
                if !started {
                    // Blanks between segments (after a terminator) are layout, not data.
                    while from < runEnd, chunk[from] == 0x20 || chunk[from] == 0x09 { from += 1 }
                    if from < runEnd { startSegment(at: chunkBase + from) }
                }
                if from < runEnd {
                    let before = own.count
                    chunk.withUnsafeBufferPointer { buf in
                        own.append(contentsOf: UnsafeBufferPointer(rebasing: buf[from..<runEnd]))
                    }
                    if before < 3, current.ends.isEmpty, own.count >= 3, forcedDelimiters == nil,
                        own[0] == 0x55, own[1] == 0x4E, own[2] == 0x41
                    {
                        // "UNA": the next six characters are the service string advice itself,
                        // whatever the delimiters in force say about them.
                        let extra = own.count - 3
                        unaOffset = current.offset
                        unaCollected = []
                        pos = runEnd - extra
                        continue
                    }
                    if own.count > limits.maxSegmentBytes {
                        pos = runEnd
                        return oversized(limitText: "\(limits.maxSegmentBytes) bytes", code: SyntaxError.dataElementTooLong)
                    }
                }
                pos = runEnd
                if runEnd >= n { break }
            }
            let b = chunk[pos]
            pos += 1
            switch classes[Int(b)] {
            case Self.comp:
                if !started { startSegment(at: chunkBase + pos - 1) }
                closeComponent(RawSegment.componentEnd)
            case Self.elem:
                if !started { startSegment(at: chunkBase + pos - 1) }
                closeComponent(RawSegment.elementEnd)
            case Self.rep:
                if !started { startSegment(at: chunkBase + pos - 1) }
                closeComponent(RawSegment.repetitionEnd)
            case Self.rel:
                if !started { startSegment(at: chunkBase + pos - 1) }
                released = true
                continue
            case Self.term:
                if !started { current.offset = chunkBase + pos - 1 }
                if let event = completeSegment() { return event }
                continue
            default:
                continue  // dropped CR/LF
            }
            if current.ends.count > limits.maxConstituents {
                return oversized(limitText: "\(limits.maxConstituents) constituents", code: SyntaxError.tooManyConstituents)
            }
        }
        return nil
    }

    /// The common case, tried at each segment start: the whole segment lies in this chunk and has
    /// no release character, no line break and no UNA. Then its data is the chunk itself and only
    /// the component boundaries are recorded. Anything else goes to the general loop, which
    /// starts over from the same byte.
    private mutating func fastSegment() -> Event? {
        let n = chunk.count
        var ends = current.ends
        current.ends = []
        if !ends.isEmpty { ends.removeAll(keepingCapacity: true) }
        let maxBytes = limits.maxSegmentBytes, maxParts = limits.maxConstituents
        let from = pos
        // Locals, so the closures capture two arrays rather than the whole tokenizer.
        let bytes = chunk, classTable = classes
        let found: (start: Int, end: Int)? = bytes.withUnsafeBufferPointer { buf in
            classTable.withUnsafeBufferPointer { table in
                var j = from
                // Layout between segments.
                while j < n, buf[j] == 0x20 || buf[j] == 0x09 || table[Int(buf[j])] == Self.drop { j += 1 }
                let start = j
                if n - start >= 3, buf[start] == 0x55, buf[start + 1] == 0x4E, buf[start + 2] == 0x41 { return nil }
                while j < n {
                    let c = table[Int(buf[j])]
                    if c == Self.data {
                        j += 1
                        continue
                    }
                    let length = UInt32(truncatingIfNeeded: j - start)
                    switch c {
                    case Self.comp: ends.append(length | RawSegment.componentEnd)
                    case Self.elem: ends.append(length | RawSegment.elementEnd)
                    case Self.rep: ends.append(length | RawSegment.repetitionEnd)
                    case Self.term:
                        ends.append(length | RawSegment.elementEnd)
                        return (start, j)
                    default: return nil
                    }
                    if j - start > maxBytes || ends.count > maxParts { return nil }
                    j += 1
                }
                return nil
            }
        }
        guard let (start, end) = found, end - start <= maxBytes else {
            ends.removeAll(keepingCapacity: true)
            current.ends = ends
            return nil
        }
        current.ends = ends
        current.offset = chunkBase + start
        current.releasedOrdinaryCharacters = 0
        current.unterminated = false
        pos = end + 1
        return emit(storage: chunk, start: start)
    }

    /// Hands out the next segment of the batch: the chunk and a slice of the batch's ends, no copy.
    private mutating func takeFromBatch() -> Event {
        let b = batch[batchHead]
        batchHead += 1
        pos = b.end + 1
        let raw = RawSegment(block: batchBlock, start: b.start, endsLow: b.endsLow, endsHigh: b.endsHigh, offset: chunkBase + b.start, index: segmentIndex)
        segmentIndex += 1
        return .segment(raw)
    }

    /// The common case in bulk: finds, from `pos`, the run of segments that lie wholly in this
    /// chunk and need nothing of the general loop: no release character, no line break inside,
    /// not UNA or UNB (they may change the delimiters), not empty, within the limits. They are
    /// exactly the segments `fastSegment` would take one by one, with the same boundaries; here
    /// the ends of all of them go to one buffer, so each segment costs no array work at all.
    /// Returns false when the segment at `pos` is not such a segment (the caller goes on as before).
    private mutating func fillBatch() -> Bool {
        batchHead = 0
        batchCount = 0
        // Moved out so the closures below capture locals, not `self`; never handed out, so
        // always unique and written in place.
        var ends = batchEnds
        batchEnds = []
        var entries = batch
        batch = []
        if ends.count != Self.batchEndsCapacity { ends = [UInt32](repeating: 0, count: Self.batchEndsCapacity) }
        if entries.count != Self.batchSegments {
            entries = [BatchEntry](repeating: BatchEntry(start: 0, end: 0, endsLow: 0, endsHigh: 0), count: Self.batchSegments)
        }
        let bytes = chunk, classTable = classes
        let from = pos, maxBytes = limits.maxSegmentBytes, maxParts = limits.maxConstituents
        let (found, endsUsed) = bytes.withUnsafeBufferPointer { buf in
            classTable.withUnsafeBufferPointer { table in
                ends.withUnsafeMutableBufferPointer { endsOut in
                    entries.withUnsafeMutableBufferPointer { out in
                        Self.scanPlainSegments(buf, table, endsOut, out, from: from, maxBytes: maxBytes, maxParts: maxParts)
                    }
                }
            }
        }
        // The segments of this batch share one block: the chunk and a copy of the ends they use
        // (a few bytes a segment), so the scratch stays unique and is reused for the next batch.
        if found > 0 { batchBlock = SegmentBlock(bytes: bytes, ends: Array(ends[0..<endsUsed])) }
        batchEnds = ends
        batch = entries
        batchCount = found
        return found > 0
    }

    /// The scanning loop of `fillBatch`, on raw buffers so it does no reference counting or
    /// bounds-checked array work per byte.
    private static func scanPlainSegments(
        _ buf: UnsafeBufferPointer<UInt8>, _ table: UnsafeBufferPointer<UInt8>, _ endsOut: UnsafeMutableBufferPointer<UInt32>,
        _ out: UnsafeMutableBufferPointer<BatchEntry>, from: Int, maxBytes: Int, maxParts: Int
    ) -> (segments: Int, ends: Int) {
        let n = buf.count
        let endsCapacity = endsOut.count
        var j = from
        var found = 0
        var e = 0
        while found < out.count {
            // Layout between segments.
            while j < n, buf[j] == 0x20 || buf[j] == 0x09 || table[Int(buf[j])] == Self.drop { j += 1 }
            let start = j
            if n - start >= 3, buf[start] == 0x55, buf[start + 1] == 0x4E, buf[start + 2] == 0x41 || buf[start + 2] == 0x42 { break }
            let firstEnd = e
            var complete = false
            scanning: while j < n {
                let c = table[Int(buf[j])]
                if c == Self.data {
                    j += 1
                    continue
                }
                if e == endsCapacity { break }
                let length = UInt32(truncatingIfNeeded: j - start)
                switch c {
                case Self.comp: endsOut[e] = length | RawSegment.componentEnd
                case Self.elem: endsOut[e] = length | RawSegment.elementEnd
                case Self.rep: endsOut[e] = length | RawSegment.repetitionEnd
                case Self.term:
                    endsOut[e] = length | RawSegment.elementEnd
                    e += 1
                    complete = true
                    break scanning
                default: break scanning  // a release character or a line break inside: the general loop
                }
                e += 1
                if j - start > maxBytes || e - firstEnd > maxParts { break }
                j += 1
            }
            // An empty segment is reported by `emit`; it goes the general way too.
            guard complete, j - start <= maxBytes, !(e - firstEnd == 1 && endsOut[firstEnd] & RawSegment.lengthMask == 0) else { break }
            out[found] = BatchEntry(start: start, end: j, endsLow: firstEnd, endsHigh: e)
            found += 1
            j += 1
        }
        // Ends of a segment that did not complete are not used.
        return (found, found > 0 ? out[found - 1].endsHigh : 0)
    }

    private mutating func skipBlanksAfterUNA() {
        // Line breaks after UNA are layout; the classes table already drops CR/LF.
    }

    private mutating func oversized(limitText: String, code: Int) -> Event {
        let tag = own.count >= 3 ? String(decoding: own.prefix(3), as: UTF8.self) : nil
        let d = Diagnostic(
            code: code, message: "segment exceeds \(limitText); skipped to its terminator",
            segmentIndex: segmentIndex, offset: current.offset, segmentTag: tag)
        segmentIndex += 1
        discarding = true
        resetSegment()
        return .skippedSegment(d)
    }
}
