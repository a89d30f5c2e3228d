import JSONCore

/// What a streamed JSON tree needs to know before it starts writing: the document's diagnostics
/// (`errors` comes before `interchanges` in the sorted keys) and every trailer (`declared_count`
/// comes before `groups`, `declared_message_count` before `messages`). Built from a first pass of
/// the reader's events; it keeps no message, so its memory is that of the diagnostics (bounded by
/// the reader's `maxDiagnostics`) and one trailer per interchange and group.
public struct DocumentOutline: Sendable {
    public private(set) var errors: [Diagnostic] = []
    public private(set) var warnings: [Diagnostic] = []
    /// Per interchange in input order: whether its end was read, and its trailer.
    fileprivate var interchangeEnds: [(ended: Bool, trailer: Segment?)] = []
    /// Per group kept in the tree (one whose end was read), in input order: its trailer.
    fileprivate var groupTrailers: [Segment?] = []
    /// Per interchange: the number of groups kept in it, and of the messages inside them.
    fileprivate var groupCounts: [Int] = []
    private var groupMessageCounts: [Int] = []
    private var groupOpen = false
    private var messagesInGroup = 0

    /// Groups of the `i`th interchange that a `Document` would keep.
    public func groups(inInterchange i: Int) -> Int { i >= 0 && i < groupCounts.count ? groupCounts[i] : 0 }

    /// Messages inside those groups: in `Interchange.allMessages` they come before the loose ones.
    public func groupMessages(inInterchange i: Int) -> Int { i >= 0 && i < groupMessageCounts.count ? groupMessageCounts[i] : 0 }

    public init() {}

    /// Mirrors `DocumentBuilder.add` without keeping messages.
    public mutating func add(_ event: EDIFACTReader.Event) {
        switch event {
        case .interchangeStart:
            interchangeEnds.append((false, nil))
            groupCounts.append(0)
            groupMessageCounts.append(0)
        case .groupStart:
            groupOpen = true
            messagesInGroup = 0
        case .message:
            if groupOpen { messagesInGroup += 1 }
        case .groupEnd(let trailer):
            if groupOpen, !groupCounts.isEmpty {
                groupTrailers.append(trailer)
                groupCounts[groupCounts.count - 1] += 1
                groupMessageCounts[groupMessageCounts.count - 1] += messagesInGroup
            }
            groupOpen = false
        case .interchangeEnd(let trailer):
            if !interchangeEnds.isEmpty { interchangeEnds[interchangeEnds.count - 1] = (true, trailer) }
        case .diagnostic(let d):
            if d.severity == .error { errors.append(d) } else { warnings.append(d) }
        }
    }
}

/// Writes the JSON text of the `Document` that `DocumentBuilder` would build from the same events,
/// byte for byte as `JSONWriter.write(JSONValueEncoder().encode(document))` (sorted keys, compact),
/// while the events arrive: each message is written and dropped, so memory stays that of the
/// largest message instead of about 85 times the input. Needs the `DocumentOutline` of a first pass
/// over the same input. Text is appended to `out`; the caller writes it out and empties it as it likes.
///
/// Messages outside groups that come before a functional group of the same interchange (a mixed
/// interchange, reported as error 30) are kept as text until that interchange's groups are written.
public struct DocumentJSONStream {
    private let outline: DocumentOutline
    private var started = false
    private var interchangeIndex = -1
    private var groupIndex = -1
    private var interchangeOpen = false
    private var interchangesWritten = 0
    /// Within the open interchange.
    private var inGroups = true
    private var groupsWritten = 0
    private var groupsExpected = 0
    private var middle = ""
    private var suffix = ""
    private var looseMessages = 0
    private var pendingLoose = ""
    /// Within the open group.
    private var groupOpen = false
    private var groupWritten = false
    private var groupMessages = 0
    private var groupSuffix = ""

    public init(outline: DocumentOutline) {
        self.outline = outline
    }

    private mutating func start(into out: inout String) {
        guard !started else { return }
        started = true
        out += "{\"errors\":"
        out += JSONWriter.write(Self.encode(outline.errors))
        out += ",\"interchanges\":["
    }

    public mutating func add(_ event: EDIFACTReader.Event, into out: inout String) {
        start(into: &out)
        switch event {
        case .interchangeStart(var ic):
            closeInterchange(into: &out)
            interchangeIndex += 1
            let end: (ended: Bool, trailer: Segment?) =
                interchangeIndex < outline.interchangeEnds.count ? outline.interchangeEnds[interchangeIndex] : (false, nil)
            if end.ended {
                ic.trailer = end.trailer
                ic.declaredCount = end.trailer?.value(0).flatMap { Int($0) }
            }
            ic.groups = []
            ic.messages = []
            let (prefix, between, after) = Self.split(Self.encode(ic), around: "groups", "messages")
            if interchangesWritten > 0 { out += "," }
            interchangesWritten += 1
            out += "{" + prefix + (prefix.isEmpty ? "" : ",") + "\"groups\":["
            middle = between
            suffix = after
            interchangeOpen = true
            inGroups = true
            groupsWritten = 0
            groupsExpected = interchangeIndex < outline.groupCounts.count ? outline.groupCounts[interchangeIndex] : 0
            looseMessages = 0
            pendingLoose = ""
        case .groupStart(var g):
            // `DocumentBuilder` keeps a group only when its end arrives and an interchange is open.
            groupOpen = true
            groupMessages = 0
            groupWritten = interchangeOpen && inGroups
            guard groupWritten else { return }
            groupIndex += 1
            let trailer = groupIndex < outline.groupTrailers.count ? outline.groupTrailers[groupIndex] : nil
            g.trailer = trailer
            g.declaredMessageCount = trailer?.value(0).flatMap { Int($0) }
            g.messages = []
            let (prefix, _, after) = Self.split(Self.encode(g), around: "messages", nil)
            if groupsWritten > 0 { out += "," }
            out += "{" + prefix + (prefix.isEmpty ? "" : ",") + "\"messages\":["
            groupSuffix = after
        case .message(let m):
            if groupOpen {
                guard groupWritten else { return }
                if groupMessages > 0 { out += "," }
                groupMessages += 1
                Self.write(m, into: &out)
            } else if interchangeOpen {
                if inGroups && groupsWritten >= groupsExpected { endGroups(into: &out) }
                if inGroups {
                    if looseMessages > 0 { pendingLoose += "," }
                    Self.write(m, into: &pendingLoose)
                } else {
                    if looseMessages > 0 { out += "," }
                    Self.write(m, into: &out)
                }
                looseMessages += 1
            }
        case .groupEnd:
            if groupOpen && groupWritten {
                out += "]" + (groupSuffix.isEmpty ? "" : ",") + groupSuffix + "}"
                groupsWritten += 1
            }
            groupOpen = false
            groupWritten = false
        case .interchangeEnd:
            closeInterchange(into: &out)
        case .diagnostic:
            break
        }
    }

    /// Closes the groups array and opens the messages array with the loose messages kept so far.
    private mutating func endGroups(into out: inout String) {
        guard inGroups else { return }
        inGroups = false
        out += "]," + middle + (middle.isEmpty ? "" : ",") + "\"messages\":["
        out += pendingLoose
        pendingLoose = ""
    }

    private mutating func closeInterchange(into out: inout String) {
        guard interchangeOpen else { return }
        endGroups(into: &out)
        out += "]" + (suffix.isEmpty ? "" : ",") + suffix + "}"
        interchangeOpen = false
    }

    /// Ends the document; call once after the last event.
    public mutating func finish(into out: inout String) {
        start(into: &out)
        closeInterchange(into: &out)
        out += "],\"warnings\":"
        out += JSONWriter.write(Self.encode(outline.warnings))
        out += "}"
    }

    // MARK: - Pieces

    private static func encode(_ value: some Encodable) -> JSONValue {
        // The envelope types and diagnostics encode only strings, numbers and arrays of them.
        (try? JSONValueEncoder().encode(value)) ?? .null
    }

    /// The members of an object rendered as text before `first`, between `first` and `second`, and after.
    private static func split(_ value: JSONValue, around first: String, _ second: String?) -> (String, String, String) {
        guard case .object(let o) = value else { return ("", "", "") }
        var parts = ["", "", ""]
        var part = 0
        for member in o.members {
            if member.key == first { part = 1; continue }
            if member.key == second { part = 2; continue }
            var text = ""
            JSONWriter.writeString(member.key, into: &text)
            text += ":"
            text += JSONWriter.write(member.value)
            if !parts[part].isEmpty { parts[part] += "," }
            parts[part] += text
        }
        if second == nil { return (parts[0], "", parts[1]) }
        return (parts[0], parts[1], parts[2])
    }

    /// A message as its synthesized `Encodable` conformance and `JSONValueEncoder` write it (keys
    /// sorted, absent optionals left out), without building the value tree.
    static func write(_ m: Message, into out: inout String) {
        out += "{\"agency\":"
        JSONWriter.writeString(m.agency, into: &out)
        if let a = m.association {
            out += ",\"association\":"
            JSONWriter.writeString(a, into: &out)
        }
        out += ",\"control_ref\":"
        JSONWriter.writeString(m.controlRef, into: &out)
        if let d = m.declaredSegmentCount { out += ",\"declared_segment_count\":" + String(d) }
        if let o = m.offset { out += ",\"offset\":" + String(o) }
        out += ",\"release\":"
        JSONWriter.writeString(m.release, into: &out)
        out += ",\"segment_count\":" + String(m.segmentCount)
        if let s = m.segmentIndex { out += ",\"segment_index\":" + String(s) }
        out += ",\"segments\":["
        for (i, segment) in m.segments.enumerated() {
            if i > 0 { out += "," }
            write(segment, into: &out)
        }
        out += "],\"type\":"
        JSONWriter.writeString(m.type, into: &out)
        out += ",\"version\":"
        JSONWriter.writeString(m.version, into: &out)
        out += "}"
    }

    static func write(_ s: Segment, into out: inout String) {
        out += "{\"elements\":["
        for (i, e) in s.elements.enumerated() {
            if i > 0 { out += "," }
            if e.repeats.isEmpty {
                writeComponents(e, into: &out)
            } else {
                out += "{\"repetitions\":["
                writeComponents(e, into: &out)
                for r in e.repeats {
                    out += ",["
                    for (k, c) in r.enumerated() {
                        if k > 0 { out += "," }
                        JSONWriter.writeString(c, into: &out)
                    }
                    out += "]"
                }
                out += "]}"
            }
        }
        out += "],\"tag\":"
        JSONWriter.writeString(s.tag, into: &out)
        out += "}"
    }

    private static func writeComponents(_ e: Element, into out: inout String) {
        out += "["
        for k in 0..<e.componentCount {
            if k > 0 { out += "," }
            JSONWriter.writeString(e[component: k] ?? "", into: &out)
        }
        out += "]"
    }
}

extension Diagnostic {
    /// The JSON text `JSONWriter.write(JSONValueEncoder().encode(self))` gives (keys sorted, absent
    /// optionals left out), written directly: validating many small messages spent half its time
    /// building and writing value trees of diagnostics.
    public func writeJSON(into out: inout String) {
        var first = true
        func key(_ k: String) {
            out += first ? "{\"" : ",\""
            first = false
            out += k
            out += "\":"
        }
        func int(_ k: String, _ v: Int?) {
            guard let v else { return }
            key(k)
            out += String(v)
        }
        func text(_ k: String, _ v: String?) {
            guard let v else { return }
            key(k)
            JSONWriter.writeString(v, into: &out)
        }
        int("code", code)
        int("component_position", componentPosition)
        int("element_position", elementPosition)
        text("group_path", groupPath)
        text("group_ref", groupRef)
        int("interchange_index", interchangeIndex)
        text("message", message)
        int("message_index", messageIndex)
        text("message_ref", messageRef)
        int("offset", offset)
        int("position_in_message", positionInMessage)
        int("segment_index", segmentIndex)
        text("segment_tag", segmentTag)
        text("severity", severity.rawValue)
        out += "}"
    }
}
