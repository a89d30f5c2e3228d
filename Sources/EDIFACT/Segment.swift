/// One data element of a segment: its components, plus further repetitions under syntax 4.
///
/// Positions are what EDIFACT means, so empty components inside an element are kept as `""`;
/// only trailing empty components are dropped (they carry no information).
public struct Element: Sendable, Hashable {
    // Most elements have a single component; keeping it outside an array saves one allocation
    // per element, which is most of the cost of building trees for large interchanges.
    // Internal (not private) so the writer can read them without building arrays.
    private(set) var head: String
    private(set) var tail: [String]
    /// Occurrences after the first, for repeated data elements (syntax 4 repetition separator).
    public var repeats: [[String]]

    public init(_ components: [String], repeats: [[String]] = []) {
        head = components.first ?? ""
        tail = components.count > 1 ? Array(components.dropFirst()) : []
        self.repeats = repeats
    }

    init(head: String, tail: [String], repeats: [[String]] = []) {
        self.head = head
        self.tail = tail
        self.repeats = repeats
    }

    /// Components of the first (usually only) occurrence. A simple data element has one.
    public var components: [String] {
        get { tail.isEmpty ? [head] : [head] + tail }
        set {
            head = newValue.first ?? ""
            tail = newValue.count > 1 ? Array(newValue.dropFirst()) : []
        }
    }

    public var componentCount: Int { 1 + tail.count }

    /// Every occurrence including the first.
    public var repetitions: [[String]] { [components] + repeats }

    /// Component at a 0-based index, `nil` when absent.
    public subscript(component index: Int) -> String? {
        if index == 0 { return head }
        return index > 0 && index - 1 < tail.count ? tail[index - 1] : nil
    }

    public var value: String { head }
    public var isEmpty: Bool { repeats.isEmpty && head.isEmpty && tail.allSatisfy(\.isEmpty) }

    /// Drops trailing empty components of every occurrence; true when something was dropped.
    mutating func trimTrailing() -> Bool {
        var trimmed = false
        while let last = tail.last, last.isEmpty {
            tail.removeLast()
            trimmed = true
        }
        for r in repeats.indices {
            while repeats[r].count > 1, repeats[r].last?.isEmpty == true {
                repeats[r].removeLast()
                trimmed = true
            }
        }
        return trimmed
    }
}

/// A segment: a three-character tag and its positional data elements.
///
/// This is the unit later mappings address ("NAD with qualifier BY, element 2 component 0"), so
/// the accessors are 0-based positions on `elements`; `qualifier` is element 0 component 0, the
/// convention of almost every UN/EDIFACT segment.
public struct Segment: Sendable, Hashable {
    public var tag: String
    public var elements: [Element]

    public init(_ tag: String, _ elements: [Element] = []) {
        self.tag = tag
        self.elements = elements
    }

    /// Convenience for hand-built segments: `Segment("NAD", ["BY"], ["123", "", "9"])`.
    public init(_ tag: String, _ elements: [String]...) {
        self.init(tag, elements.map { Element($0) })
    }

    /// Value at 0-based element and component positions; `nil` when the position is absent.
    public func value(_ element: Int, _ component: Int = 0) -> String? {
        guard element >= 0, element < elements.count else { return nil }
        return elements[element][component: component]
    }

    /// First component of the first element: the qualifier of most segments (`NAD+BY`, `DTM+137:...`).
    public var qualifier: String? { value(0, 0) }

    public var isServiceSegment: Bool { tag.hasPrefix("UN") }

    /// Drops trailing empty components in every element and trailing empty elements, returning
    /// whether anything was removed (a "trailing separator" in CONTRL terms).
    @discardableResult
    public mutating func trimTrailingEmpties() -> Bool {
        var trimmed = false
        for i in elements.indices where elements[i].trimTrailing() { trimmed = true }
        while let last = elements.last, last.isEmpty {
            elements.removeLast()
            trimmed = true
        }
        return trimmed
    }
}

extension Segment: Codable {
    enum CodingKeys: String, CodingKey { case tag, elements }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tag = try c.decode(String.self, forKey: .tag)
        elements = try c.decodeIfPresent([Element].self, forKey: .elements) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tag, forKey: .tag)
        try c.encode(elements, forKey: .elements)
    }
}

/// JSON form: `["comp", "comp"]`, or `{"repetitions": [[...], [...]]}` for a repeated element, so the
/// common case stays the plain array the CLI contract promises. A bare string is read as one component.
extension Element: Codable {
    enum CodingKeys: String, CodingKey { case repetitions }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: CodingKeys.self) {
            let reps = try keyed.decode([[String]].self, forKey: .repetitions)
            self.init(reps.first ?? [""], repeats: Array(reps.dropFirst()))
            return
        }
        let single = try decoder.singleValueContainer()
        if let text = try? single.decode(String.self) {
            self.init([text])
        } else {
            self.init(try single.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if repeats.isEmpty {
            var c = encoder.singleValueContainer()
            try c.encode(components)
        } else {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(repetitions, forKey: .repetitions)
        }
    }
}
