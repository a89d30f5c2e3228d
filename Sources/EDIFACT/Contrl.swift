/// CONTRL action codes (0083).
public enum ContrlAction: String, Sendable, Hashable, Codable {
    case rejected = "4"
    /// Acknowledged; lower levels too unless reported rejected.
    case acknowledged = "7"
    /// Interchange received (technical acknowledgement only).
    case received = "8"
}

/// Envelope values for a CONTRL we send: these come from partner configuration (Bots issue #20:
/// acknowledgement envelopes must be configurable), and the date and time come from the caller's
/// clock, never from this engine.
public struct ContrlOptions: Sendable, Hashable {
    /// Syntax version of the CONTRL interchange (3 or 4).
    public var syntaxVersion: Int
    /// Syntax identifier to send with; `nil` reuses the received one when it is a UN level, else UNOC.
    public var syntaxIdentifier: String?
    /// Message version/release/agency in UNH S009; defaults `4:1:UN` (syntax 4) or `D:3:UN` (syntax 3).
    public var messageVersion: String?
    public var messageRelease: String?
    public var agency: String
    /// Our identification; defaults to the recipient of the received interchange.
    public var sender: EnvelopeParty?
    /// Defaults to the sender of the received interchange.
    public var recipient: EnvelopeParty?
    /// Interchange control reference of the CONTRL interchange itself.
    public var controlRef: String
    public var messageRef: String
    /// Preparation date and time as written in UNB S004 (`YYMMDD`/`CCYYMMDD`, `HHMM`).
    public var date: String
    public var time: String
    /// List accepted messages too (a "functional" CONTRL); otherwise only rejected ones are listed.
    public var reportAcceptedMessages: Bool
    /// Technical acknowledgement: UCI with action 8 and nothing else (when there are no interchange errors).
    public var technicalOnly: Bool
    /// `nil` writes the defaults of `syntaxVersion` (no UNA needed).
    public var delimiters: Delimiters?

    public init(syntaxVersion: Int = 4, syntaxIdentifier: String? = nil, messageVersion: String? = nil, messageRelease: String? = nil,
                agency: String = "UN", sender: EnvelopeParty? = nil, recipient: EnvelopeParty? = nil, controlRef: String,
                messageRef: String = "1", date: String, time: String, reportAcceptedMessages: Bool = true,
                technicalOnly: Bool = false, delimiters: Delimiters? = nil) {
        self.syntaxVersion = syntaxVersion
        self.syntaxIdentifier = syntaxIdentifier
        self.messageVersion = messageVersion
        self.messageRelease = messageRelease
        self.agency = agency
        self.sender = sender
        self.recipient = recipient
        self.controlRef = controlRef
        self.messageRef = messageRef
        self.date = date
        self.time = time
        self.reportAcceptedMessages = reportAcceptedMessages
        self.technicalOnly = technicalOnly
        self.delimiters = delimiters
    }
}

/// Builds the CONTRL acknowledgement for a received interchange from the diagnostics the reader
/// (and, optionally, the grammar validator) produced for it.
public enum ContrlBuilder {
    /// Diagnostics are matched to the interchange by `interchangeIndex` when set (pass the whole
    /// document's errors), and to messages by `messageIndex`. Warnings are ignored.
    public static func acknowledge(_ received: Interchange, interchangeIndex: Int = 0, diagnostics: [Diagnostic],
                                   options: ContrlOptions) -> Interchange {
        // An error without a CONTRL code is still an error: it is reported as 18 (unspecified).
        let errors = diagnostics.filter { $0.severity == .error && ($0.interchangeIndex == nil || $0.interchangeIndex == interchangeIndex) }
        let interchangeErrors = errors.filter { $0.messageIndex == nil && $0.groupRef == nil }
        let firstInterchangeError = interchangeErrors.first

        var body: [Segment] = []
        var uci: [Element] = [Element([received.controlRef]), received.sender.element, received.recipient.element]
        if let e = firstInterchangeError {
            uci.append(Element([ContrlAction.rejected.rawValue]))
            uci.append(Element([String(e.code ?? SyntaxError.unspecified)]))
            if let tag = e.segmentTag, tag.hasPrefix("UN") { uci.append(Element([tag])) }
        } else {
            uci.append(Element([options.technicalOnly ? ContrlAction.received.rawValue : ContrlAction.acknowledged.rawValue]))
        }
        body.append(Segment("UCI", uci))

        if !options.technicalOnly {
            // Errors grouped once by message: filtering the whole list per message made a large
            // interchange quadratic.
            var byMessage: [Int: [Diagnostic]] = [:]
            for e in errors { if let m = e.messageIndex { byMessage[m, default: []].append(e) } }
            var flatIndex = 0
            func messageResponses(_ messages: [Message]) -> [Segment] {
                var out: [Segment] = []
                for m in messages {
                    let index = flatIndex
                    flatIndex += 1
                    let mine = byMessage[index] ?? []
                    if mine.isEmpty && !options.reportAcceptedMessages { continue }
                    out += messageResponse(m, errors: mine)
                }
                return out
            }
            if received.groups.isEmpty {
                body += messageResponses(received.messages)
            } else {
                for g in received.groups {
                    let groupErrors = errors.filter { $0.groupRef == g.controlRef && $0.messageIndex == nil }
                    let start = flatIndex
                    let responses = messageResponses(g.messages)
                    let anyRejected = (start..<flatIndex).contains { byMessage[$0] != nil }
                    if responses.isEmpty && groupErrors.isEmpty && !anyRejected && !options.reportAcceptedMessages { continue }
                    var ucf: [Element] = [Element([g.controlRef])]
                    ucf.append(g.header.elements.count > 1 ? g.header.elements[1] : Element([""]))
                    ucf.append(g.header.elements.count > 2 ? g.header.elements[2] : Element([""]))
                    if let e = groupErrors.first {
                        ucf.append(Element([ContrlAction.rejected.rawValue]))
                        ucf.append(Element([String(e.code ?? SyntaxError.unspecified)]))
                        if let tag = e.segmentTag, tag.hasPrefix("UN") { ucf.append(Element([tag])) }
                    } else {
                        ucf.append(Element([ContrlAction.acknowledged.rawValue]))
                    }
                    body.append(Segment("UCF", ucf))
                    body += responses
                }
                body += messageResponses(received.messages)
            }
        }

        let version = options.messageVersion ?? (options.syntaxVersion >= 4 ? "4" : "D")
        let release = options.messageRelease ?? (options.syntaxVersion >= 4 ? "1" : "3")
        let unh = Segment("UNH", [Element([options.messageRef]), Element(["CONTRL", version, release, options.agency])])
        let unt = Segment("UNT", [Element([String(body.count + 2)]), Element([options.messageRef])])
        let message = Message(header: unh)
        var contrl = message
        contrl.segments = [unh] + body + [unt]
        contrl.segmentCount = contrl.segments.count
        contrl.declaredSegmentCount = contrl.segmentCount

        let syntaxId = options.syntaxIdentifier ?? (SyntaxCharset.forSyntaxIdentifier(received.syntax.id) != nil ? received.syntax.id : "UNOC")
        let sender = options.sender ?? received.recipient
        let recipient = options.recipient ?? received.sender
        let unb = Segment("UNB", [
            Element([syntaxId, String(options.syntaxVersion)]), sender.element, recipient.element,
            Element([options.date, options.time]), Element([options.controlRef]),
        ])
        let unz = Segment("UNZ", [Element(["1"]), Element([options.controlRef])])
        let defaults: Delimiters = options.syntaxVersion >= 4 ? .version4 : .standard
        let delimiters = options.delimiters ?? defaults
        return Interchange(header: unb, delimiters: delimiters, hasServiceStringAdvice: delimiters != defaults,
                           messages: [contrl], trailer: unz)
    }

    private static func messageResponse(_ m: Message, errors: [Diagnostic]) -> [Segment] {
        // Errors on UNH/UNT (counts, references, missing trailer) belong on UCM itself;
        // errors on other segments become UCS (segment position) and UCD (element position).
        let envelope = errors.first { ($0.segmentTag == "UNH" || $0.segmentTag == "UNT") && $0.elementPosition == nil }
        var ucm: [Element] = [Element([m.controlRef]), m.identifier]
        if errors.isEmpty {
            ucm.append(Element([ContrlAction.acknowledged.rawValue]))
            return [Segment("UCM", ucm)]
        }
        ucm.append(Element([ContrlAction.rejected.rawValue]))
        if let e = envelope {
            ucm.append(Element([String(e.code ?? SyntaxError.unspecified)]))
            if let tag = e.segmentTag { ucm.append(Element([tag])) }
        }
        var out = [Segment("UCM", ucm)]
        var byPosition: [Int: [Diagnostic]] = [:]
        for e in errors where e.positionInMessage != nil && !(e.segmentTag == "UNH" || e.segmentTag == "UNT") {
            byPosition[e.positionInMessage ?? 0, default: []].append(e)
        }
        for (position, list) in byPosition.sorted(by: { $0.key < $1.key }) {
            let segmentLevel = list.first { $0.elementPosition == nil }
            var ucs = [Element([String(position)])]
            if let s = segmentLevel { ucs.append(Element([String(s.code ?? SyntaxError.unspecified)])) }
            out.append(Segment("UCS", ucs))
            for e in list where e.elementPosition != nil {
                var s011 = [String(e.elementPosition ?? 0)]
                if let c = e.componentPosition { s011.append(String(c)) }
                out.append(Segment("UCD", [Element([String(e.code ?? SyntaxError.unspecified)]), Element(s011)]))
            }
        }
        return out
    }
}

/// A received CONTRL, read back into what it says about our interchange.
public struct ContrlReport: Sendable, Hashable, Codable {
    public struct ElementError: Sendable, Hashable, Codable {
        public var code: String
        public var element: Int?
        public var component: Int?
    }

    public struct SegmentError: Sendable, Hashable, Codable {
        public var position: Int?
        public var code: String?
        public var elementErrors: [ElementError]

        enum CodingKeys: String, CodingKey {
            case position, code
            case elementErrors = "element_errors"
        }
    }

    public struct MessageResponse: Sendable, Hashable, Codable {
        public var controlRef: String
        public var type: String?
        public var action: String
        public var code: String?
        public var segmentTag: String?
        public var segmentErrors: [SegmentError]

        enum CodingKeys: String, CodingKey {
            case controlRef = "control_ref"
            case type, action, code
            case segmentTag = "segment_tag"
            case segmentErrors = "segment_errors"
        }
    }

    public struct GroupResponse: Sendable, Hashable, Codable {
        public var controlRef: String
        public var action: String
        public var code: String?
        public var messages: [MessageResponse]

        enum CodingKeys: String, CodingKey {
            case controlRef = "control_ref"
            case action, code, messages
        }
    }

    /// UCI: the interchange being acknowledged.
    public var interchangeRef: String
    public var sender: EnvelopeParty
    public var recipient: EnvelopeParty
    public var action: String
    public var code: String?
    public var segmentTag: String?
    public var messages: [MessageResponse]
    public var groups: [GroupResponse]

    enum CodingKeys: String, CodingKey {
        case interchangeRef = "interchange_ref"
        case sender, recipient, action, code
        case segmentTag = "segment_tag"
        case messages, groups
    }

    /// Whether the partner accepted the interchange and every message it lists.
    public var isFullyAccepted: Bool {
        action != ContrlAction.rejected.rawValue
            && messages.allSatisfy { $0.action != ContrlAction.rejected.rawValue }
            && groups.allSatisfy { g in g.action != ContrlAction.rejected.rawValue && g.messages.allSatisfy { $0.action != ContrlAction.rejected.rawValue } }
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(_ message: Message) throws(ParseError) {
        guard message.type == "CONTRL" else { throw ParseError(message: "message \(message.controlRef) is \(message.type), not CONTRL") }
        guard let uci = message.first("UCI") else { throw ParseError(message: "CONTRL \(message.controlRef) has no UCI segment") }
        func opt(_ s: Segment, _ i: Int) -> String? {
            guard let v = s.value(i), !v.isEmpty else { return nil }
            return v
        }
        interchangeRef = uci.value(0) ?? ""
        sender = EnvelopeParty(uci.elements.count > 1 ? uci.elements[1] : nil)
        recipient = EnvelopeParty(uci.elements.count > 2 ? uci.elements[2] : nil)
        action = uci.value(3) ?? ""
        code = opt(uci, 4)
        segmentTag = opt(uci, 5)
        messages = []
        groups = []
        var currentMessage: MessageResponse?
        var currentGroup: GroupResponse?
        func flushMessage() {
            guard let m = currentMessage else { return }
            if currentGroup != nil { currentGroup?.messages.append(m) } else { messages.append(m) }
            currentMessage = nil
        }
        for s in message.body {
            switch s.tag {
            case "UCF":
                flushMessage()
                if let g = currentGroup { groups.append(g) }
                currentGroup = GroupResponse(controlRef: s.value(0) ?? "", action: s.value(3) ?? "", code: opt(s, 4), messages: [])
            case "UCM":
                flushMessage()
                currentMessage = MessageResponse(controlRef: s.value(0) ?? "", type: opt(s, 1), action: s.value(2) ?? "",
                                                 code: opt(s, 3), segmentTag: opt(s, 4), segmentErrors: [])
            case "UCS":
                currentMessage?.segmentErrors.append(SegmentError(position: s.value(0).flatMap { Int($0) }, code: opt(s, 1), elementErrors: []))
            case "UCD":
                let n = currentMessage?.segmentErrors.count ?? 0
                if n > 0 {
                    currentMessage?.segmentErrors[n - 1].elementErrors.append(ElementError(
                        code: s.value(0) ?? "", element: s.value(1, 0).flatMap { Int($0) }, component: s.value(1, 1).flatMap { Int($0) }))
                }
            default: continue
            }
        }
        flushMessage()
        if let g = currentGroup { groups.append(g) }
    }
}
