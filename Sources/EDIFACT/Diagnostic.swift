/// A problem found while reading, validating or writing EDIFACT, in the vocabulary of CONTRL.
///
/// `code` is the UN/EDIFACT syntax error code (data element 0085) so that the same value drives the
/// human message, the JSON output and the CONTRL acknowledgement without a second mapping.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    /// Syntax error code 0085; `nil` for warnings that have no CONTRL meaning.
    public var code: Int?
    public var severity: Severity
    public var message: String
    /// 0-based index of the segment among all segments of the input (UNA not counted).
    public var segmentIndex: Int?
    /// Byte offset of the start of that segment (or of the offending byte) in the input.
    public var offset: Int?
    /// 0-based index of the interchange within the input.
    public var interchangeIndex: Int?
    /// Message reference (UNH 0062) when the problem lies inside a message.
    public var messageRef: String?
    /// 0-based index of the message within its interchange (groups flattened).
    public var messageIndex: Int?
    /// Group reference (UNG 0048) when the problem concerns a functional group.
    public var groupRef: String?
    public var segmentTag: String?
    /// 1-based position of the segment in its message (UNH = 1), as CONTRL UCS reports it.
    public var positionInMessage: Int?
    /// 1-based data element position in the segment and component position, as CONTRL S011 reports it.
    public var elementPosition: Int?
    public var componentPosition: Int?
    /// Where in the message grammar the problem was found, e.g. `SG30/CST > SG41/TAX`.
    public var groupPath: String?

    public init(
        code: Int?, severity: Severity = .error, message: String, segmentIndex: Int? = nil, offset: Int? = nil,
        interchangeIndex: Int? = nil, messageRef: String? = nil, messageIndex: Int? = nil, groupRef: String? = nil,
        segmentTag: String? = nil, positionInMessage: Int? = nil, elementPosition: Int? = nil,
        componentPosition: Int? = nil, groupPath: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.segmentIndex = segmentIndex
        self.offset = offset
        self.interchangeIndex = interchangeIndex
        self.messageRef = messageRef
        self.messageIndex = messageIndex
        self.groupRef = groupRef
        self.segmentTag = segmentTag
        self.positionInMessage = positionInMessage
        self.elementPosition = elementPosition
        self.componentPosition = componentPosition
        self.groupPath = groupPath
    }

    enum CodingKeys: String, CodingKey {
        case code, severity, message
        case segmentIndex = "segment_index"
        case offset
        case interchangeIndex = "interchange_index"
        case messageRef = "message_ref"
        case messageIndex = "message_index"
        case groupRef = "group_ref"
        case segmentTag = "segment_tag"
        case positionInMessage = "position_in_message"
        case elementPosition = "element_position"
        case componentPosition = "component_position"
        case groupPath = "group_path"
    }

    public var description: String {
        var parts: [String] = []
        if let code { parts.append("[\(code)]") }
        if let segmentTag { parts.append(segmentTag) }
        if let positionInMessage { parts.append("segment \(positionInMessage) of message \(messageRef ?? "?")") }
        if let segmentIndex { parts.append("#\(segmentIndex)") }
        if let offset { parts.append("@\(offset)") }
        return parts.joined(separator: " ") + ": " + message
    }
}

/// The syntax error codes (0085) this engine reports, named so call sites read as the standard does.
public enum SyntaxError {
    public static let syntaxNotSupported = 2
    public static let invalidValue = 12
    public static let missing = 13
    public static let valueNotSupportedInPosition = 14
    public static let notSupportedInPosition = 15
    public static let tooManyConstituents = 16
    public static let unspecified = 18
    public static let invalidServiceCharacter = 20
    public static let invalidCharacters = 21
    public static let invalidServiceSegmentTag = 22
    public static let referencesDoNotMatch = 28
    public static let controlCountDoesNotMatch = 29
    public static let groupsAndMessagesMixed = 30
    public static let lowerLevelEmpty = 32
    public static let invalidOccurrenceOutsideMessage = 33
    public static let tooManyRepetitions = 35
    public static let tooManyGroupRepetitions = 36
    public static let invalidTypeOfCharacters = 37
    public static let dataElementTooLong = 39
    public static let dataElementTooShort = 40
    public static let trailingSeparator = 45
    public static let characterSetNotSupported = 46
}
