/// Syntax identifier and version from UNB S001 (`UNOC:3`).
public struct SyntaxIdentifier: Sendable, Hashable, Codable {
    public var id: String
    public var version: String

    public init(id: String, version: String) {
        self.id = id
        self.version = version
    }
}

/// A party in an envelope (UNB S002/S003, UNG S006/S007): identification, code qualifier, routing.
public struct EnvelopeParty: Sendable, Hashable, Codable {
    public var id: String
    public var qualifier: String?
    public var routing: String?

    public init(id: String, qualifier: String? = nil, routing: String? = nil) {
        self.id = id
        self.qualifier = qualifier
        self.routing = routing
    }

    init(_ element: Element?) {
        let c = element?.components ?? []
        self.init(
            id: c.first ?? "", qualifier: c.count > 1 && !c[1].isEmpty ? c[1] : nil,
            routing: c.count > 2 && !c[2].isEmpty ? c[2] : nil)
    }

    var element: Element {
        var c = [id]
        if let qualifier { c.append(qualifier) }
        if let routing {
            if qualifier == nil { c.append("") }
            c.append(routing)
        }
        return Element(c)
    }
}

/// One message, UNH to UNT. `segments` holds every segment as received including UNH and UNT, so a
/// message can be written back unchanged; the header fields are read from UNH for routing.
public struct Message: Sendable, Hashable, Codable {
    public var type: String
    public var version: String
    public var release: String
    public var agency: String
    public var association: String?
    /// UNH 0062, repeated in UNT.
    public var controlRef: String
    /// UNT 0074 as received (`nil` when UNT is missing or not a number).
    public var declaredSegmentCount: Int?
    /// Segments actually received, UNH and UNT included (may exceed `segments.count` when the
    /// reader stopped keeping segments of an oversized message).
    public var segmentCount: Int
    public var segments: [Segment]
    /// 0-based index of the UNH among all segments of the input, and its byte offset.
    public var segmentIndex: Int?
    public var offset: Int?

    public init(
        type: String, version: String, release: String, agency: String, association: String? = nil, controlRef: String,
        declaredSegmentCount: Int? = nil, segmentCount: Int? = nil, segments: [Segment], segmentIndex: Int? = nil, offset: Int? = nil
    ) {
        self.type = type
        self.version = version
        self.release = release
        self.agency = agency
        self.association = association
        self.controlRef = controlRef
        self.declaredSegmentCount = declaredSegmentCount
        self.segmentCount = segmentCount ?? segments.count
        self.segments = segments
        self.segmentIndex = segmentIndex
        self.offset = offset
    }

    /// Reads the identification from a UNH segment.
    public init(header unh: Segment, segmentIndex: Int? = nil, offset: Int? = nil) {
        let s009 = unh.elements.count > 1 ? unh.elements[1].components : []
        func at(_ i: Int) -> String { i < s009.count ? s009[i] : "" }
        self.init(
            type: at(0), version: at(1), release: at(2), agency: at(3), association: s009.count > 4 && !at(4).isEmpty ? at(4) : nil,
            controlRef: unh.value(0) ?? "", segmentCount: 1, segments: [unh], segmentIndex: segmentIndex, offset: offset)
    }

    /// `TYPE:D:96B:UN[:ASSOC]`, the message identifier as written in S009 and CONTRL UCM.
    public var identifier: Element {
        var c = [type, version, release, agency]
        if let association { c.append(association) }
        return Element(c)
    }

    /// Directory as grammars name it, e.g. `D96B` for version `D` release `96B`.
    public var directory: String { version == "D" ? "D\(release)" : "\(version)\(release)" }

    /// Segments between UNH and UNT.
    public var body: ArraySlice<Segment> {
        var s = segments[...]
        if s.first?.tag == "UNH" { s = s.dropFirst() }
        if s.last?.tag == "UNT" { s = s.dropLast() }
        return s
    }

    /// All segments with a tag, optionally only those whose first component (the qualifier) matches.
    public func segments(_ tag: String, qualifier: String? = nil) -> [Segment] {
        segments.filter { $0.tag == tag && (qualifier == nil || $0.qualifier == qualifier) }
    }

    public func first(_ tag: String, qualifier: String? = nil) -> Segment? {
        segments.first { $0.tag == tag && (qualifier == nil || $0.qualifier == qualifier) }
    }

    enum CodingKeys: String, CodingKey {
        case type, version, release, agency, association
        case controlRef = "control_ref"
        case declaredSegmentCount = "declared_segment_count"
        case segmentCount = "segment_count"
        case segments
        case segmentIndex = "segment_index"
        case offset
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let segments = try c.decodeIfPresent([Segment].self, forKey: .segments) ?? []
        let unh = segments.first { $0.tag == "UNH" }
        let fromHeader = unh.map { Message(header: $0) }
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? fromHeader?.type ?? ""
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? fromHeader?.version ?? ""
        release = try c.decodeIfPresent(String.self, forKey: .release) ?? fromHeader?.release ?? ""
        agency = try c.decodeIfPresent(String.self, forKey: .agency) ?? fromHeader?.agency ?? ""
        association = try c.decodeIfPresent(String.self, forKey: .association) ?? fromHeader?.association
        controlRef = try c.decodeIfPresent(String.self, forKey: .controlRef) ?? fromHeader?.controlRef ?? ""
        declaredSegmentCount = try c.decodeIfPresent(Int.self, forKey: .declaredSegmentCount)
        self.segments = segments
        segmentCount = try c.decodeIfPresent(Int.self, forKey: .segmentCount) ?? segments.count
        segmentIndex = try c.decodeIfPresent(Int.self, forKey: .segmentIndex)
        offset = try c.decodeIfPresent(Int.self, forKey: .offset)
    }
}

/// A functional group, UNG to UNE.
public struct Group: Sendable, Hashable, Codable {
    /// UNG 0038: the message type the group carries.
    public var id: String
    /// UNG 0048, repeated in UNE.
    public var controlRef: String
    public var header: Segment
    public var trailer: Segment?
    public var declaredMessageCount: Int?
    public var messages: [Message]

    public init(header: Segment, messages: [Message] = [], trailer: Segment? = nil) {
        self.header = header
        self.id = header.value(0) ?? ""
        self.controlRef = header.value(4) ?? ""
        self.messages = messages
        self.trailer = trailer
        self.declaredMessageCount = trailer?.value(0).flatMap { Int($0) }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case controlRef = "control_ref"
        case header, trailer
        case declaredMessageCount = "declared_message_count"
        case messages
    }
}

/// One interchange, UNB to UNZ, with the values of its header that routing and CONTRL need.
public struct Interchange: Sendable, Hashable, Codable {
    /// The delimiters in force (from UNA or the defaults), as the six UNA characters.
    public var delimiters: Delimiters
    /// Whether the interchange began with an explicit UNA.
    public var hasServiceStringAdvice: Bool
    public var syntax: SyntaxIdentifier
    public var sender: EnvelopeParty
    public var recipient: EnvelopeParty
    public var date: String?
    public var time: String?
    /// UNB 0020, repeated in UNZ.
    public var controlRef: String
    public var applicationRef: String?
    /// UNB 0031: `1` asks for a CONTRL.
    public var acknowledgementRequest: String?
    public var testIndicator: String?
    public var header: Segment
    public var trailer: Segment?
    /// UNZ 0036 as received.
    public var declaredCount: Int?
    public var groups: [Group]
    /// Messages not inside a functional group.
    public var messages: [Message]
    public var segmentIndex: Int?
    public var offset: Int?

    public init(header: Segment, delimiters: Delimiters = .standard, hasServiceStringAdvice: Bool = false,
                groups: [Group] = [], messages: [Message] = [], trailer: Segment? = nil, segmentIndex: Int? = nil, offset: Int? = nil) {
        self.header = header
        self.delimiters = delimiters
        self.hasServiceStringAdvice = hasServiceStringAdvice
        let s001 = header.elements.first?.components ?? []
        syntax = SyntaxIdentifier(id: s001.first ?? "", version: s001.count > 1 ? s001[1] : "")
        sender = EnvelopeParty(header.elements.count > 1 ? header.elements[1] : nil)
        recipient = EnvelopeParty(header.elements.count > 2 ? header.elements[2] : nil)
        date = header.value(3, 0)
        time = header.value(3, 1)
        controlRef = header.value(4) ?? ""
        func optional(_ i: Int) -> String? {
            guard let v = header.value(i), !v.isEmpty else { return nil }
            return v
        }
        applicationRef = optional(6)
        acknowledgementRequest = optional(8)
        testIndicator = optional(10)
        self.groups = groups
        self.messages = messages
        self.trailer = trailer
        declaredCount = trailer?.value(0).flatMap { Int($0) }
        self.segmentIndex = segmentIndex
        self.offset = offset
    }

    /// Every message in order, grouped or not.
    public var allMessages: [Message] { groups.isEmpty ? messages : groups.flatMap(\.messages) + messages }

    enum CodingKeys: String, CodingKey {
        case una
        case hasServiceStringAdvice = "has_una"
        case syntax, sender, recipient, date, time
        case controlRef = "control_ref"
        case applicationRef = "application_ref"
        case acknowledgementRequest = "acknowledgement_request"
        case testIndicator = "test_indicator"
        case header, trailer
        case declaredCount = "declared_count"
        case groups, messages
        case segmentIndex = "segment_index"
        case offset
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let una = try c.decodeIfPresent(String.self, forKey: .una)
        var delimiters = Delimiters.standard
        if let una {
            guard let d = Delimiters(una: Array(una.utf8)), d.isConsistent else {
                throw DecodingError.dataCorruptedError(forKey: .una, in: c, debugDescription: "una must be six distinct service characters, e.g. \":+.? '\"")
            }
            delimiters = d
        }
        let header: Segment
        if let h = try c.decodeIfPresent(Segment.self, forKey: .header) {
            header = h
        } else {
            // Build UNB from the readable fields.
            let syntax = try c.decode(SyntaxIdentifier.self, forKey: .syntax)
            let sender = try c.decode(EnvelopeParty.self, forKey: .sender)
            let recipient = try c.decode(EnvelopeParty.self, forKey: .recipient)
            let date = try c.decodeIfPresent(String.self, forKey: .date) ?? ""
            let time = try c.decodeIfPresent(String.self, forKey: .time) ?? ""
            let ref = try c.decode(String.self, forKey: .controlRef)
            header = Segment("UNB", [Element([syntax.id, syntax.version]), sender.element, recipient.element, Element([date, time]), Element([ref])])
        }
        self.init(
            header: header, delimiters: delimiters, hasServiceStringAdvice: una != nil,
            groups: try c.decodeIfPresent([Group].self, forKey: .groups) ?? [],
            messages: try c.decodeIfPresent([Message].self, forKey: .messages) ?? [],
            trailer: try c.decodeIfPresent(Segment.self, forKey: .trailer))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(delimiters.text, forKey: .una)
        try c.encode(hasServiceStringAdvice, forKey: .hasServiceStringAdvice)
        try c.encode(syntax, forKey: .syntax)
        try c.encode(sender, forKey: .sender)
        try c.encode(recipient, forKey: .recipient)
        try c.encodeIfPresent(date, forKey: .date)
        try c.encodeIfPresent(time, forKey: .time)
        try c.encode(controlRef, forKey: .controlRef)
        try c.encodeIfPresent(applicationRef, forKey: .applicationRef)
        try c.encodeIfPresent(acknowledgementRequest, forKey: .acknowledgementRequest)
        try c.encodeIfPresent(testIndicator, forKey: .testIndicator)
        try c.encode(header, forKey: .header)
        try c.encodeIfPresent(trailer, forKey: .trailer)
        try c.encodeIfPresent(declaredCount, forKey: .declaredCount)
        try c.encode(groups, forKey: .groups)
        try c.encode(messages, forKey: .messages)
        try c.encodeIfPresent(segmentIndex, forKey: .segmentIndex)
        try c.encodeIfPresent(offset, forKey: .offset)
    }
}

/// Everything read from one input: its interchanges and the problems found, in input order.
public struct Document: Sendable, Hashable, Codable {
    public var interchanges: [Interchange]
    public var errors: [Diagnostic]
    public var warnings: [Diagnostic]

    public init(interchanges: [Interchange] = [], errors: [Diagnostic] = [], warnings: [Diagnostic] = []) {
        self.interchanges = interchanges
        self.errors = errors
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey { case interchanges, errors, warnings }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        interchanges = try c.decode([Interchange].self, forKey: .interchanges)
        errors = try c.decodeIfPresent([Diagnostic].self, forKey: .errors) ?? []
        warnings = try c.decodeIfPresent([Diagnostic].self, forKey: .warnings) ?? []
    }
}
