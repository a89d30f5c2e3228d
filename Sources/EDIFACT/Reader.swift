/// Reads interchanges from a byte stream one message at a time and checks the envelopes.
///
/// Feed chunks and drain `next()`; it yields the interchange header, group headers, each complete
/// message, trailers and diagnostics in input order. Only the message being read is held in
/// memory, so a 200 MB interchange is processed with the memory of its largest message.
public struct EDIFACTReader: Sendable {
    /// Indirect: the payloads are large and events are passed around by value.
    public indirect enum Event: Sendable {
        /// UNB read; `groups` and `messages` are empty.
        case interchangeStart(Interchange)
        /// UNG read; `messages` is empty.
        case groupStart(Group)
        case message(Message)
        /// UNE read (or the group was closed without one, then `nil`).
        case groupEnd(Segment?)
        /// UNZ read (or the interchange was closed without one, then `nil`).
        case interchangeEnd(Segment?)
        case diagnostic(Diagnostic)
    }

    public struct Options: Sendable {
        /// Per-partner charset: decodes every interchange with it, ignoring UNB S001 and the UTF-8 heuristic.
        public var charsetOverride: SyntaxCharset?
        /// Per-partner delimiters, when a partner sends non-default separators without UNA.
        public var delimiters: Delimiters?
        public var limits: SegmentTokenizer.Limits
        /// Segments kept per message; beyond it the message is reported (35) and its segments only
        /// counted. Half of what UNT 0074 (n..6) can count: a kept segment costs about 200 bytes, so
        /// 500,000 keep a message's tree near 100 MB, inside the CLI's 256 MB budget with the grammars.
        public var maxMessageSegments: Int
        /// Strict partners: trailing separators and characters outside UNOA/UNOB become errors.
        public var strict: Bool
        /// Diagnostics reported before the reader stops listing them (one final notice says so).
        public var maxDiagnostics: Int

        public init(charsetOverride: SyntaxCharset? = nil, delimiters: Delimiters? = nil, limits: SegmentTokenizer.Limits = .init(),
                    maxMessageSegments: Int = 500_000, strict: Bool = false, maxDiagnostics: Int = 1000) {
            self.charsetOverride = charsetOverride
            self.delimiters = delimiters
            self.limits = limits
            self.maxMessageSegments = maxMessageSegments
            self.strict = strict
            self.maxDiagnostics = maxDiagnostics
        }
    }

    private struct OpenInterchange {
        var header: Interchange
        var index: Int
        var charset: SyntaxCharset
        var groupCount = 0
        var looseMessages = 0
        var messageIndex = 0
        var usesGroups = false
        var reportedMixing = false
        var deviationsReported: Set<SyntaxCharset.Deviation> = []
        var implicit = false
    }

    private struct OpenGroup {
        var header: Group
        var messageCount = 0
    }

    public let options: Options
    private var tokenizer: SegmentTokenizer
    private var queue: [Event] = []
    private var queueHead = 0
    private var interchange: OpenInterchange?
    private var group: OpenGroup?
    private var message: Message?
    private var messageIndexInInterchange = 0
    private var interchangeCount = 0
    private var finished = false
    private var closed = false
    private var diagnosticsReported = 0
    private var sawUNA = false

    public init(options: Options = Options()) {
        self.options = options
        tokenizer = SegmentTokenizer(delimiters: options.delimiters, limits: options.limits)
    }

    public mutating func feed(_ bytes: [UInt8]) { tokenizer.feed(bytes) }

    public mutating func finish() {
        tokenizer.finish()
        finished = true
    }

    /// The next event, or `nil` when more input is needed (or, after `finish()`, at the end).
    public mutating func next() -> Event? {
        while true {
            if queueHead < queue.count {
                let e = queue[queueHead]
                queueHead += 1
                if queueHead == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    queueHead = 0
                }
                return e
            }
            guard let t = tokenizer.next() else {
                if finished && !closed {
                    closed = true
                    closeAll(at: nil)
                    continue
                }
                return nil
            }
            switch t {
            case .serviceStringAdvice:
                sawUNA = true
            case .diagnostic(var d):
                d.interchangeIndex = interchange?.index
                report(d)
            case .skippedSegment(var d):
                d.interchangeIndex = interchange?.index
                if var m = message {
                    d.messageRef = m.controlRef
                    d.messageIndex = messageIndexInInterchange
                    m.segmentCount += 1
                    d.positionInMessage = m.segmentCount
                    message = m
                }
                report(d)
            case .segment(let raw):
                handle(raw)
            }
        }
    }

    // MARK: - Diagnostics

    private mutating func report(_ d: Diagnostic) {
        diagnosticsReported += 1
        if diagnosticsReported == options.maxDiagnostics + 1 {
            queue.append(.diagnostic(Diagnostic(
                code: nil, severity: .warning, message: "more than \(options.maxDiagnostics) diagnostics; the rest are not listed",
                segmentIndex: d.segmentIndex, offset: d.offset)))
        }
        if diagnosticsReported > options.maxDiagnostics { return }
        queue.append(.diagnostic(d))
    }

    private mutating func error(_ code: Int?, _ text: String, _ raw: RawSegment?, tag: String? = nil, severity: Diagnostic.Severity = .error) {
        var d = Diagnostic(code: code, severity: severity, message: text, segmentIndex: raw?.index ?? tokenizer.segmentsRead,
                           offset: raw?.offset ?? tokenizer.bytesConsumed,
                           interchangeIndex: interchange?.index, segmentTag: tag)
        if let m = message {
            d.messageRef = m.controlRef
            d.messageIndex = messageIndexInInterchange
            d.positionInMessage = m.segmentCount + (raw == nil ? 0 : 1)
        }
        if let g = group { d.groupRef = g.header.controlRef }
        report(d)
    }

    // MARK: - Segments

    private mutating func decodeSegment(_ raw: RawSegment) -> (Segment, Bool) {
        let charset = options.charsetOverride ?? interchange?.charset ?? .latin1
        let preferUTF8 = options.charsetOverride == nil
        var deviation: SyntaxCharset.Deviation? = nil
        var tag = ""
        var tagOK = true
        var elements: [Element] = []
        var maybeTrailing = false
        // Read through the block's buffers directly: the `storage` and `ends` accessors would
        // retain an array each per segment.
        let block = raw.block, endsLow = raw.endsLow, endsHigh = raw.endsHigh
        block.bytes.withUnsafeBufferPointer { whole in
          block.ends.withUnsafeBufferPointer { allEnds in
            let buf = UnsafeBufferPointer(rebasing: whole[raw.start...])
            let ends = UnsafeBufferPointer(rebasing: allEnds[endsLow..<endsHigh])
            // One pass over the ends first: how many elements, whether anything repeats, and
            // whether there is anything to trim (an occurrence of two or more components ending
            // empty, or an empty last component: the last element may be empty).
            var elementCount = 0
            var plain = !ends.isEmpty && ends[0] & ~RawSegment.lengthMask == RawSegment.elementEnd
            var previousEnd = -1
            var previousKind = RawSegment.elementEnd
            for e in ends {
                let kind = e & ~RawSegment.lengthMask
                let end = Int(e & RawSegment.lengthMask)
                if kind == RawSegment.elementEnd { elementCount += 1 } else if kind == RawSegment.repetitionEnd { plain = false }
                if end == previousEnd + 1, kind != RawSegment.componentEnd, previousKind == RawSegment.componentEnd { maybeTrailing = true }
                previousEnd = end
                previousKind = kind
            }
            if let last = ends.last {
                let lastStart = ends.count > 1 ? Int(ends[ends.count - 2] & RawSegment.lengthMask) + 1 : 0
                if Int(last & RawSegment.lengthMask) == lastStart { maybeTrailing = true }
            }
            elements.reserveCapacity(max(0, elementCount - 1))
            if plain {
                // Every element a single occurrence and the tag one component: each array sized
                // once and filled, no occurrence lists. (`Array(unsafeUninitializedCapacity:)`
                // would skip the appends' checks, but it is not specialized and looked up the
                // array's generic metadata on every call, which cost more than it saved.)
                tag = Self.text(buf, ends, 0, charset, preferUTF8, &deviation)
                var c = 1
                while c < ends.count {
                    var k = c
                    while k + 1 < ends.count, ends[k] & ~RawSegment.lengthMask == RawSegment.componentEnd { k += 1 }
                    let head = Self.text(buf, ends, c, charset, preferUTF8, &deviation)
                    var tail: [String] = []
                    if k > c {
                        tail.reserveCapacity(k - c)
                        for j in c + 1...k { tail.append(Self.text(buf, ends, j, charset, preferUTF8, &deviation)) }
                    }
                    elements.append(Element(head: head, tail: tail))
                    c = k + 1
                }
                return
            }
            var start = 0
            var head: String? = nil
            var tail: [String] = []
            var reps: [[String]] = []
            var first = true
            for i in ends.indices {
                let e = ends[i]
                let end = Int(e & RawSegment.lengthMask)
                let (text, dev) = charset.decode(UnsafeBufferPointer(rebasing: buf[start..<end]), preferUTF8: preferUTF8)
                if let dev, deviation == nil { deviation = dev }
                let kind = e & ~RawSegment.lengthMask
                start = end + 1
                if head == nil {
                    head = text
                    if kind == RawSegment.componentEnd {
                        // Size the rest of the component list once.
                        var k = i + 1
                        while k < ends.endIndex, ends[k] & ~RawSegment.lengthMask == RawSegment.componentEnd { k += 1 }
                        tail.reserveCapacity(k - i)
                    }
                } else {
                    tail.append(text)
                }
                if kind == RawSegment.componentEnd { continue }
                let occurrenceHead = head ?? ""
                head = nil
                if first {
                    first = false
                    tag = occurrenceHead
                    if !tail.isEmpty || kind == RawSegment.repetitionEnd { tagOK = false }
                    tail = []
                    continue
                }
                if kind == RawSegment.repetitionEnd || !reps.isEmpty {
                    reps.append([occurrenceHead] + tail)
                    tail = []
                    if kind == RawSegment.repetitionEnd { continue }
                    elements.append(Element(reps[0], repeats: Array(reps.dropFirst())))
                    reps = []
                    continue
                }
                elements.append(Element(head: occurrenceHead, tail: tail))
                tail = []
            }
          }
        }
        if let deviation, var ic = interchange, !ic.deviationsReported.contains(deviation) {
            ic.deviationsReported.insert(deviation)
            interchange = ic
            let text: String
            switch deviation {
            case .utf8UnderSingleByteCharset: text = "UTF-8 text under \(charset); read as UTF-8 (override the partner charset if that is wrong)"
            case .outsideRepertoire: text = "bytes outside the \(charset) repertoire; read as ISO 8859-1"
            case .invalidUTF8: text = "invalid UTF-8 under \(charset); read as ISO 8859-1 so no byte is lost"
            case .controlCharacters: text = "control characters (NUL, ESC, DEL…) in data; no syntax level allows them"
            }
            let strictError = options.strict && deviation != .utf8UnderSingleByteCharset
            error(strictError ? SyntaxError.invalidCharacters : nil, text, raw, tag: tag, severity: strictError ? .error : .warning)
        }
        var seg = Segment(tag, elements)
        // Let go of the local reference, so trimming below changes the segment's array in place.
        elements = []
        let tagBytes = raw.tagBytes
        let alphanumeric = !tagBytes.isEmpty && tagBytes.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) })
        if !alphanumeric { tagOK = false } else if tagBytes.count != 3 {
            error(nil, "segment tag '\(tag)' is not three characters", raw, tag: tag, severity: .warning)
        }
        if maybeTrailing, seg.trimTrailingEmpties() {
            error(SyntaxError.trailingSeparator, "trailing separator in \(tag.isEmpty ? "segment" : tag)", raw, tag: tag,
                  severity: options.strict ? .error : .warning)
        }
        if raw.releasedOrdinaryCharacters > 0 {
            error(nil, "release character before a character that needs no release (kept the character, dropped the release)", raw,
                  tag: tag, severity: .warning)
        }
        return (seg, tagOK)
    }

    /// Component `i` of a segment as text, noting the first deviation from the charset.
    @inline(__always)
    private static func text(_ buf: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<UInt32>, _ i: Int, _ charset: SyntaxCharset,
                             _ preferUTF8: Bool, _ deviation: inout SyntaxCharset.Deviation?) -> String {
        let start = i == 0 ? 0 : Int(ends[i - 1] & RawSegment.lengthMask) + 1
        let end = Int(ends[i] & RawSegment.lengthMask)
        let (text, dev) = charset.decode(UnsafeBufferPointer(rebasing: buf[start..<end]), preferUTF8: preferUTF8)
        if let dev, deviation == nil { deviation = dev }
        return text
    }

    private mutating func handle(_ raw: RawSegment) {
        let (seg, tagOK) = decodeSegment(raw)
        if raw.unterminated {
            error(SyntaxError.missing, "input ends inside segment \(seg.tag) (no segment terminator): truncated", raw, tag: seg.tag)
        }
        if !tagOK {
            // Not kept in the tree (it could not be written back as the same segment), but it
            // still counts as a segment of the message it interrupts.
            let shown = String(seg.tag.unicodeScalars.prefix(20).map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "\u{FFFD}" })
            error(seg.tag.hasPrefix("UN") ? SyntaxError.invalidServiceSegmentTag : SyntaxError.unspecified,
                  "invalid segment tag '\(shown)' (a tag is three letters or digits); segment skipped", raw, tag: nil)
            if var m = message {
                m.segmentCount += 1
                message = m
            }
            return
        }
        // Only service segments need the envelope logic; test the first two bytes before any string work.
        let tb = raw.tagBytes
        guard tb.count == 3, tb.first == 0x55, tb[tb.startIndex + 1] == 0x4E else {
            appendToMessage(seg, raw)
            return
        }
        switch seg.tag {
        case "UNB": openInterchange(seg, raw)
        case "UNG": openGroup(seg, raw)
        case "UNH": openMessage(seg, raw)
        case "UNT": closeMessage(seg, raw)
        case "UNE": closeGroup(seg, raw)
        case "UNZ": closeInterchange(seg, raw)
        default: appendToMessage(seg, raw)
        }
    }

    private mutating func appendToMessage(_ seg: Segment, _ raw: RawSegment) {
        guard let kept = message?.segments.count else {
            if interchange == nil && diagnosticsReported == 0 && seg.tag != "UNA" {
                error(SyntaxError.missing, "segment \(seg.tag) before any UNB interchange header", raw, tag: seg.tag)
            } else {
                error(SyntaxError.invalidOccurrenceOutsideMessage, "segment \(seg.tag) outside a message", raw, tag: seg.tag)
            }
            return
        }
        // Mutated in place through the optional: copying the message out would copy it per segment.
        if kept < options.maxMessageSegments {
            message?.segmentCount += 1
            message?.segments.append(seg)
        } else if kept == options.maxMessageSegments {
            error(SyntaxError.tooManyRepetitions, "message has more than \(options.maxMessageSegments) segments; further segments are counted, not kept", raw, tag: seg.tag)
            message?.segmentCount += 1
            message?.segments.append(Segment("...", []))
        } else {
            message?.segmentCount += 1
        }
    }

    private mutating func openInterchange(_ seg: Segment, _ raw: RawSegment) {
        if interchange != nil {
            closeAll(at: raw, reason: "a new UNB")
        }
        // The tokenizer has already applied what UNB says (syntax 4 repetition separator).
        let header = Interchange(header: seg, delimiters: tokenizer.delimiters, hasServiceStringAdvice: sawUNA,
                                 segmentIndex: raw.index, offset: raw.offset)
        let charset: SyntaxCharset
        if let known = SyntaxCharset.forSyntaxIdentifier(header.syntax.id) {
            charset = known
        } else {
            charset = .latin1
        }
        interchange = OpenInterchange(header: header, index: interchangeCount, charset: charset)
        interchangeCount += 1
        messageIndexInInterchange = 0
        sawUNA = false
        // An unknown syntax identifier: a warning (an error for a strict partner); the mapping
        // bridge (EDIFACTMessages) refuses to map such an interchange. `--charset` overrides it.
        if SyntaxCharset.forSyntaxIdentifier(header.syntax.id) == nil, options.charsetOverride == nil {
            error(options.strict ? SyntaxError.characterSetNotSupported : nil,
                  "syntax identifier '\(header.syntax.id)' is not a UN syntax level (UNOA…UNOK, UNOW, UNOY); set a partner charset to read it",
                  raw, tag: "UNB", severity: options.strict ? .error : .warning)
        }
        // A UNB date that is no calendar day (`991399`) or a time of day that is none: a warning
        // (real partner files carry such dates), an error for a strict partner; the mapping
        // bridge refuses to map such an interchange.
        if case let (problem, _)? = Self.dateTimeProblem(seg.elements.count > 3 ? seg.elements[3].components : []) {
            error(options.strict ? SyntaxError.invalidValue : nil, "UNB date/time (S004) \(problem)", raw, tag: "UNB",
                  severity: options.strict ? .error : .warning)
        }
        if !["1", "2", "3", "4"].contains(header.syntax.version) {
            error(options.strict ? SyntaxError.syntaxNotSupported : nil, "syntax version '\(header.syntax.version)' is not 1 to 4", raw, tag: "UNB",
                  severity: options.strict ? .error : .warning)
        }
        if header.controlRef.isEmpty {
            error(SyntaxError.missing, "UNB has no interchange control reference (0020)", raw, tag: "UNB")
        }
        queue.append(.interchangeStart(header))
    }

    /// Why a UNB S004 date and time is not a real moment, or nil: `YYMMDD` or `CCYYMMDD`, then `HHMM`.
    public static func dateTimeProblem(_ c: [String]) -> (String, impossible: Bool)? {
        guard let date = c.first, !date.isEmpty else { return ("is missing", false) }
        let d = Array(date.utf8)
        guard (d.count == 6 || d.count == 8), d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return ("'\(date)' is not YYMMDD or CCYYMMDD", false) }
        func num(_ s: ArraySlice<UInt8>) -> Int { s.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let off = d.count - 6
        let year = d.count == 8 ? num(d[0..<4]) : 2000 + num(d[0..<2])
        let month = num(d[(off + 2)..<(off + 4)])
        let day = num(d[(off + 4)..<(off + 6)])
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day) else { return ("'\(date)' is not a calendar date", true) }
        if c.count > 1 {
            let t = Array(c[1].utf8)
            guard t.count == 4, t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return ("time '\(c[1])' is not HHMM", false) }
            guard num(t[0..<2]) < 24, num(t[2..<4]) < 60 else { return ("time '\(c[1])' is not a time of day", true) }
        }
        return nil
    }

    private mutating func ensureInterchange(_ raw: RawSegment, for tag: String) {
        guard interchange == nil else { return }
        error(SyntaxError.missing, "\(tag) without a UNB interchange header", raw, tag: tag)
        let header = Interchange(header: Segment("UNB", []), delimiters: tokenizer.delimiters, hasServiceStringAdvice: sawUNA,
                                 segmentIndex: raw.index, offset: raw.offset)
        sawUNA = false
        var ic = OpenInterchange(header: header, index: interchangeCount, charset: .latin1)
        ic.implicit = true
        interchange = ic
        interchangeCount += 1
        messageIndexInInterchange = 0
        queue.append(.interchangeStart(header))
    }

    private mutating func openGroup(_ seg: Segment, _ raw: RawSegment) {
        ensureInterchange(raw, for: "UNG")
        if message != nil { abandonMessage(raw, because: "UNG") }
        if group != nil {
            error(SyntaxError.missing, "group \(group?.header.controlRef ?? "") has no UNE before the next UNG", raw, tag: "UNE")
            queue.append(.groupEnd(nil))
            group = nil
        }
        if var ic = interchange {
            if ic.looseMessages > 0 && !ic.reportedMixing {
                ic.reportedMixing = true
                interchange = ic
                error(SyntaxError.groupsAndMessagesMixed, "functional group after messages outside groups in the same interchange", raw, tag: "UNG")
            }
            ic = interchange ?? ic
            ic.usesGroups = true
            ic.groupCount += 1
            interchange = ic
        }
        let g = Group(header: seg)
        if g.controlRef.isEmpty { error(SyntaxError.missing, "UNG has no group reference (0048)", raw, tag: "UNG") }
        group = OpenGroup(header: g)
        queue.append(.groupStart(g))
    }

    private mutating func openMessage(_ seg: Segment, _ raw: RawSegment) {
        ensureInterchange(raw, for: "UNH")
        if message != nil { abandonMessage(raw, because: "UNH") }
        if var ic = interchange {
            if group == nil {
                ic.looseMessages += 1
                if ic.usesGroups && !ic.reportedMixing {
                    ic.reportedMixing = true
                    interchange = ic
                    error(SyntaxError.groupsAndMessagesMixed, "message outside a functional group in an interchange that uses groups", raw, tag: "UNH")
                    ic = interchange ?? ic
                }
            }
            interchange = ic
        }
        message = Message(header: seg, segmentIndex: raw.index, offset: raw.offset)
        if message?.controlRef.isEmpty == true {
            error(SyntaxError.missing, "UNH has no message reference (0062)", raw, tag: "UNH")
        }
        if message?.type.isEmpty == true {
            error(SyntaxError.missing, "UNH has no message type (S009 0065)", raw, tag: "UNH")
        }
    }

    /// Closes a message whose UNT never came, reporting it against the segment that interrupted it.
    private mutating func abandonMessage(_ raw: RawSegment?, because what: String) {
        guard let m = message else { return }
        var d = Diagnostic(code: SyntaxError.missing, message: "message \(m.controlRef) has no UNT before \(what)",
                           segmentIndex: raw?.index ?? tokenizer.segmentsRead, offset: raw?.offset ?? tokenizer.bytesConsumed,
                           interchangeIndex: interchange?.index,
                           messageRef: m.controlRef, messageIndex: messageIndexInInterchange, segmentTag: "UNT",
                           positionInMessage: m.segmentCount + 1)
        d.groupRef = group?.header.controlRef
        report(d)
        emitMessage(m)
    }

    private mutating func emitMessage(_ m: Message) {
        var m = m
        if m.segments.last?.tag == "..." { m.segments.removeLast() }
        message = nil
        messageIndexInInterchange += 1
        if group != nil { group?.messageCount += 1 }
        queue.append(.message(m))
    }

    private mutating func closeMessage(_ seg: Segment, _ raw: RawSegment) {
        guard let open = message else {
            error(SyntaxError.invalidOccurrenceOutsideMessage, "UNT without a UNH", raw, tag: "UNT")
            return
        }
        // Checked before UNT joins the message, so diagnostics point at UNT's own position.
        let total = open.segmentCount + 1
        let declared = seg.value(0)
        if let declared, let n = Int(declared) {
            if n != total {
                error(SyntaxError.controlCountDoesNotMatch, "UNT says \(n) segments but the message has \(total)", raw, tag: "UNT")
            }
        } else {
            error(SyntaxError.missing, "UNT has no valid segment count (0074): '\(declared ?? "")'", raw, tag: "UNT")
        }
        let ref = seg.value(1) ?? ""
        if ref != open.controlRef {
            error(SyntaxError.referencesDoNotMatch, "UNT reference '\(ref)' does not match UNH reference '\(open.controlRef)'", raw, tag: "UNT")
        }
        appendToMessage(seg, raw)
        guard var m = message else { return }
        m.declaredSegmentCount = declared.flatMap { Int($0) }
        emitMessage(m)
    }

    private mutating func closeGroup(_ seg: Segment, _ raw: RawSegment) {
        if message != nil { abandonMessage(raw, because: "UNE") }
        guard let g = group else {
            error(SyntaxError.invalidOccurrenceOutsideMessage, "UNE without a UNG", raw, tag: "UNE")
            return
        }
        if let declared = seg.value(0), let n = Int(declared) {
            if n != g.messageCount {
                error(SyntaxError.controlCountDoesNotMatch, "UNE says \(n) messages but the group has \(g.messageCount)", raw, tag: "UNE")
            }
        } else {
            error(SyntaxError.missing, "UNE has no valid message count (0060)", raw, tag: "UNE")
        }
        let ref = seg.value(1) ?? ""
        if ref != g.header.controlRef {
            error(SyntaxError.referencesDoNotMatch, "UNE reference '\(ref)' does not match UNG reference '\(g.header.controlRef)'", raw, tag: "UNE")
        }
        if g.messageCount == 0 {
            error(SyntaxError.lowerLevelEmpty, "group \(g.header.controlRef) contains no message", raw, tag: "UNE")
        }
        group = nil
        queue.append(.groupEnd(seg))
    }

    private mutating func closeInterchange(_ seg: Segment, _ raw: RawSegment) {
        if message != nil { abandonMessage(raw, because: "UNZ") }
        if group != nil {
            error(SyntaxError.missing, "group \(group?.header.controlRef ?? "") has no UNE before UNZ", raw, tag: "UNE")
            group = nil
            queue.append(.groupEnd(nil))
        }
        guard let ic = interchange else {
            error(SyntaxError.invalidOccurrenceOutsideMessage, "UNZ without a UNB", raw, tag: "UNZ")
            return
        }
        // Mixed interchanges (already reported as 30) count each group and loose message.
        let expected = ic.usesGroups ? ic.groupCount + ic.looseMessages : ic.looseMessages
        let unit = !ic.usesGroups ? "messages" : ic.looseMessages > 0 ? "groups and loose messages" : "groups"
        if let declared = seg.value(0), let n = Int(declared) {
            if n != expected {
                error(SyntaxError.controlCountDoesNotMatch, "UNZ says \(n) but the interchange has \(expected) \(unit)", raw, tag: "UNZ")
            }
        } else {
            error(SyntaxError.missing, "UNZ has no valid count (0036)", raw, tag: "UNZ")
        }
        let ref = seg.value(1) ?? ""
        if !ic.implicit, ref != ic.header.controlRef {
            error(SyntaxError.referencesDoNotMatch, "UNZ reference '\(ref)' does not match UNB reference '\(ic.header.controlRef)'", raw, tag: "UNZ")
        }
        if expected == 0 && ic.looseMessages == 0 {
            error(SyntaxError.lowerLevelEmpty, "interchange \(ic.header.controlRef) contains no message", raw, tag: "UNZ")
        }
        interchange = nil
        queue.append(.interchangeEnd(seg))
    }

    /// End of input (raw == nil) or a new UNB: whatever is still open lacks its trailer.
    private mutating func closeAll(at raw: RawSegment?, reason: String = "the end of input") {
        if message != nil { abandonMessage(raw, because: reason) }
        if let g = group {
            error(SyntaxError.missing, "group \(g.header.controlRef) has no UNE before \(reason)", raw, tag: "UNE")
            group = nil
            queue.append(.groupEnd(nil))
        }
        if let ic = interchange {
            error(SyntaxError.missing, "interchange \(ic.header.controlRef) has no UNZ before \(reason)", raw, tag: "UNZ")
            interchange = nil
            queue.append(.interchangeEnd(nil))
        }
    }
}

extension EDIFACTReader {
    /// Reads a whole input into a `Document` (for files that fit in memory; use the event API for
    /// large ones).
    public static func read(_ bytes: [UInt8], options: Options = Options()) -> Document {
        var reader = EDIFACTReader(options: options)
        reader.feed(bytes)
        reader.finish()
        var builder = DocumentBuilder()
        while let e = reader.next() { builder.add(e) }
        return builder.document
    }
}

/// Assembles reader events into a `Document`.
public struct DocumentBuilder: Sendable {
    public private(set) var document = Document()
    private var group: Group?

    public init() {}

    public mutating func add(_ event: EDIFACTReader.Event) {
        switch event {
        case .interchangeStart(let ic):
            document.interchanges.append(ic)
        case .groupStart(let g):
            group = g
        case .message(let m):
            if group != nil { group?.messages.append(m) } else if !document.interchanges.isEmpty {
                document.interchanges[document.interchanges.count - 1].messages.append(m)
            }
        case .groupEnd(let trailer):
            if var g = group, !document.interchanges.isEmpty {
                g.trailer = trailer
                g.declaredMessageCount = trailer?.value(0).flatMap { Int($0) }
                document.interchanges[document.interchanges.count - 1].groups.append(g)
            }
            group = nil
        case .interchangeEnd(let trailer):
            if !document.interchanges.isEmpty {
                let i = document.interchanges.count - 1
                document.interchanges[i].trailer = trailer
                document.interchanges[i].declaredCount = trailer?.value(0).flatMap { Int($0) }
            }
        case .diagnostic(let d):
            if d.severity == .error { document.errors.append(d) } else { document.warnings.append(d) }
        }
    }
}
