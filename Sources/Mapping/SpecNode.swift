import JSONCore
import Yams

/// A mapping or adapter file as a tree that remembers where each value was written, so every load
/// error can name the file, line and field.
///
/// YAML and JSON both load through this tree (JSON is YAML). Scalars keep their source text:
/// YAML 1.1 would read the country code `NO` as `false`, and an integrator who writes `NO` means
/// Norway. Only the words `true`/`false`/`null` written plain, and plain numbers, are typed.
public indirect enum SpecNode: Sendable {
    case scalar(String, plain: Bool, at: SpecLocation)
    case list([SpecNode], at: SpecLocation)
    case map([(key: String, value: SpecNode, keyAt: SpecLocation)], at: SpecLocation)

    public var location: SpecLocation {
        switch self {
        case .scalar(_, _, let at), .list(_, let at), .map(_, let at): at
        }
    }

    public var string: String? {
        if case .scalar(let s, _, _) = self { return s }
        return nil
    }

    public var list: [SpecNode]? {
        if case .list(let items, _) = self { return items }
        return nil
    }

    public var entries: [(key: String, value: SpecNode, keyAt: SpecLocation)]? {
        if case .map(let entries, _) = self { return entries }
        return nil
    }

    public subscript(key: String) -> SpecNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The JSON value of a node: plain `true`/`false` become booleans, plain numbers stay exact
    /// number text, `null`/`~` is null, anything else (quoted or not) is a string.
    public var jsonValue: JSONValue {
        switch self {
        case .scalar(let s, let plain, _):
            guard plain else { return .string(s) }
            switch s {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "~", "": return .null
            default:
                if Self.isNumber(s) { return .number(s) }
                return .string(s)
            }
        case .list(let items, _): return .array(items.map(\.jsonValue))
        case .map(let entries, _): return .object(JSONObject(entries.map { ($0.key, $0.value.jsonValue) }))
        }
    }

    /// A plain scalar that is a JSON number as written, without exponent: `-?(0|[1-9][0-9]*)(.[0-9]+)?`.
    /// `+5`, `1.`, `.5` and `007` stay strings, because the number they look like is not JSON.
    static func isNumber(_ s: String) -> Bool {
        var t = Substring(s).utf8[...]
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if t.first == 0x2D { t = t.dropFirst() }
        let integer = t.prefix(while: isDigit)
        guard !integer.isEmpty, integer.count == 1 || integer.first != 0x30 else { return false }
        t = t.dropFirst(integer.count)
        if t.first == 0x2E {
            let fraction = t.dropFirst().prefix(while: isDigit)
            guard !fraction.isEmpty else { return false }
            t = t.dropFirst(1 + fraction.count)
        }
        return t.isEmpty
    }

    /// The largest spec file read: checked before the YAML parser sees a byte, so the value budget
    /// below is not the only bound on what a file can cost.
    public static let maxFileBytes = 4 << 20

    /// Parses YAML (or JSON) text into a located tree.
    public static func parse(_ text: String, file: String) throws(MappingError) -> SpecNode {
        guard text.utf8.count <= maxFileBytes else {
            throw MappingError(location: SpecLocation(file: file, line: 1, column: 1), field: "", message: "the file is \(text.utf8.count) bytes, over the \(maxFileBytes)-byte limit for a spec file")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw MappingError(location: SpecLocation(file: file, line: Self.line(of: error) ?? 1, column: 1), field: "", message: "not valid YAML/JSON: \(Self.describe(error))")
        }
        guard let node else { throw MappingError(location: SpecLocation(file: file, line: 1, column: 1), field: "", message: "the file is empty") }
        var budget = 200_000
        return try convert(node, file: file, depth: 0, budget: &budget)
    }

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws(MappingError) -> SpecNode {
        let at = SpecLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        guard depth < 64 else { throw MappingError(location: at, field: "", message: "nesting deeper than 64 levels") }
        // Aliases let a small file expand enormously (the YAML "billion laughs"). The composer
        // shares aliased nodes, so the expansion happens here, and this budget bounds it.
        budget -= 1
        guard budget > 0 else { throw MappingError(location: at, field: "", message: "the file has more than 200000 values") }
        // Only the plain YAML types: `!!python/object/apply`, `!!binary`, `!custom` and the like
        // would otherwise be read as their text and silently lose their meaning.
        if let tag = explicitTag(node) {
            throw MappingError(location: at, field: "", message: "YAML tag \(tag) is not allowed; write plain values")
        }
        switch node {
        case .scalar(let s):
            return .scalar(s.string, plain: s.style == .plain || s.style == .any, at: at)
        case .sequence(let seq):
            var items: [SpecNode] = []
            for item in seq { items.append(try convert(item, file: file, depth: depth + 1, budget: &budget)) }
            return .list(items, at: at)
        case .mapping(let map):
            var entries: [(key: String, value: SpecNode, keyAt: SpecLocation)] = []
            var seen = Set<String>()
            for (k, v) in map {
                let keyAt = SpecLocation(file: file, line: k.mark?.line ?? at.line, column: k.mark?.column ?? at.column)
                if let tag = explicitTag(k) { throw MappingError(location: keyAt, field: "", message: "YAML tag \(tag) is not allowed; write plain values") }
                guard let key = k.string else { throw MappingError(location: keyAt, field: "", message: "keys must be plain strings") }
                if !seen.insert(key).inserted {
                    throw MappingError(location: keyAt, field: key, message: "duplicate key")
                }
                entries.append((key, try convert(v, file: file, depth: depth + 1, budget: &budget), keyAt))
            }
            return .map(entries, at: at)
        case .alias:
            throw MappingError(location: at, field: "", message: "YAML anchors and aliases are not allowed in mappings")
        }
    }

    /// The tags the YAML core schema resolves plain values to; anything else was written on purpose.
    static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "?", "!", "",
        // What plain scalars resolve to implicitly (a date, `<<`, `=`): their text is kept as written.
        "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value",
    ]

    /// The explicit tag on a node (`!!binary`, `!foo`), nil for an ordinary value.
    static func explicitTag(_ node: Node) -> String? {
        let name: String
        switch node {
        case .scalar(let s): name = s.tag.rawValue
        case .mapping(let m): name = m.tag.rawValue
        case .sequence(let q): name = q.tag.rawValue
        case .alias: return nil
        }
        if coreTags.contains(name) { return nil }
        return name.hasPrefix("tag:yaml.org,2002:") ? "!!" + name.dropFirst("tag:yaml.org,2002:".count) : name
    }

    private static func line(of error: any Error) -> Int? {
        if let e = error as? YamlError {
            switch e {
            case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
            default: return nil
            }
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? YamlError {
            switch e {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return "\(problem) at \(mark)"
            default: return "\(e)"
            }
        }
        return "\(error)"
    }
}

/// Where in a spec file something is.
public struct SpecLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem in a mapping or adapter file, named by file, line and field.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SpecLocation
    public var field: String
    public var message: String

    public init(location: SpecLocation, field: String, message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)" }
}
