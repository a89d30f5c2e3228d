/// The six service characters of an interchange (ISO 9735 UNA).
///
/// They are bytes, not characters: every service character is a single byte in every syntax level,
/// and the tokenizer compares bytes before any character set is applied.
public struct Delimiters: Sendable, Hashable {
    public var component: UInt8
    public var element: UInt8
    public var decimalMark: UInt8
    /// `nil` when the interchange has no release character (syntax level B information separators).
    public var release: UInt8?
    /// Syntax version 4 only; `nil` when the interchange does not repeat data elements.
    public var repetition: UInt8?
    public var segment: UInt8

    public init(component: UInt8, element: UInt8, decimalMark: UInt8, release: UInt8?, repetition: UInt8?, segment: UInt8) {
        self.component = component
        self.element = element
        self.decimalMark = decimalMark
        self.release = release
        self.repetition = repetition
        self.segment = segment
    }

    /// `UNA:+.? '`, the defaults for syntax levels A, C and above (versions 1 to 3).
    public static let standard = Delimiters(
        component: UInt8(ascii: ":"), element: UInt8(ascii: "+"), decimalMark: UInt8(ascii: "."),
        release: UInt8(ascii: "?"), repetition: nil, segment: UInt8(ascii: "'"))

    /// Syntax version 4 defaults: as `standard` plus `*` for repeated data elements.
    public static let version4 = Delimiters(
        component: UInt8(ascii: ":"), element: UInt8(ascii: "+"), decimalMark: UInt8(ascii: "."),
        release: UInt8(ascii: "?"), repetition: UInt8(ascii: "*"), segment: UInt8(ascii: "'"))

    /// Syntax level B defaults: the information separators IS1/IS3/IS4, no release character.
    public static let informationSeparators = Delimiters(
        component: 0x1F, element: 0x1D, decimalMark: UInt8(ascii: "."), release: nil, repetition: nil, segment: 0x1C)

    /// Parses the six characters after `UNA` (position 5 is kept as the repetition separator
    /// unless it is a space; syntax versions 1–3 simply never use it).
    public init?(una six: some Collection<UInt8>) {
        let c = Array(six)
        guard c.count == 6 else { return nil }
        self.init(
            component: c[0], element: c[1], decimalMark: c[2],
            release: c[3] == UInt8(ascii: " ") ? nil : c[3],
            repetition: c[4] == UInt8(ascii: " ") ? nil : c[4],
            segment: c[5])
    }

    /// The service string advice `UNA` + six characters, exactly as written at the head of an interchange.
    public var unaBytes: [UInt8] {
        Array("UNA".utf8) + [component, element, decimalMark, release ?? UInt8(ascii: " "), repetition ?? UInt8(ascii: " "), segment]
    }

    /// The characters that must be escaped in data (the decimal mark is data, not a separator).
    public var serviceCharacters: [UInt8] {
        var s = [component, element, segment]
        if let release { s.append(release) }
        if let repetition { s.append(repetition) }
        return s
    }

    /// A delimiter set is usable when its separators are distinct from each other and none is a
    /// line break (line breaks are layout between segments, and UNA reading skips them).
    public var isConsistent: Bool {
        Set(serviceCharacters).count == serviceCharacters.count
            && !serviceCharacters.contains(0x0A) && !serviceCharacters.contains(0x0D) && decimalMark != 0x0A && decimalMark != 0x0D
    }

    /// Text form for JSON and messages, e.g. `:+.? '`.
    public var text: String {
        String(decoding: Array(unaBytes.dropFirst(3)), as: UTF8.self)
    }
}
