/// One data element of a segment: its components, plus further repetitions under syntax 4.
///
/// Positions are what EDIFACT means, so empty components inside an element are kept as `""`;
/// only trailing empty components are dropped (they carry no information).
public struct Element: Sendable, Hashable {
    /// Components of the first (usually only) occurrence. A simple data element has one.
    public var components: [String]
    /// Occurrences after the first, for repeated data elements (syntax 4 repetition separator).
    public var repeats: [[String]]

    public init(_ components: [String], repeats: [[String]] = []) {
        self.components = components
        self.repeats = repeats
    }

    /// Every occurrence including the first.
    public var repetitions: [[String]] { [components] + repeats }

    /// Component at a 0-based index, `nil` when absent.
    public subscript(component index: Int) -> String? {
        index >= 0 && index < components.count ? components[index] : nil
    }

    public var value: String { components.first ?? "" }
    public var isEmpty: Bool { repeats.isEmpty && components.allSatisfy(\.isEmpty) }
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
        for i in elements.indices {
            while elements[i].components.count > 1, elements[i].components.last?.isEmpty == true {
                elements[i].components.removeLast()
                trimmed = true
            }
            for r in elements[i].repeats.indices {
                while elements[i].repeats[r].count > 1, elements[i].repeats[r].last?.isEmpty == true {
                    elements[i].repeats[r].removeLast()
                    trimmed = true
                }
            }
        }
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
