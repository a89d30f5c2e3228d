import JSONCore

/// Format of a data element as directories write it: `an..35`, `n..15`, `a3`, `n1`.
public struct ValueFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable { case alphabetic = "a", numeric = "n", alphanumeric = "an" }
    public var kind: Kind
    public var maxLength: Int
    /// Equal to `maxLength` for fixed-length formats (`an3`), else 0.
    public var minLength: Int

    public init?(_ text: String) {
        let kinds: [(String, Kind)] = [("an", .alphanumeric), ("a", .alphabetic), ("n", .numeric)]
        guard let (prefix, kind) = kinds.first(where: { text.hasPrefix($0.0) }) else { return nil }
        var rest = text.dropFirst(prefix.count)
        let variable = rest.hasPrefix("..")
        if variable { rest = rest.dropFirst(2) }
        guard let n = Int(rest), n > 0 else { return nil }
        self.kind = kind
        maxLength = n
        minLength = variable ? 0 : n
    }

    public var description: String { "\(kind.rawValue)\(minLength == maxLength ? "" : "..")\(maxLength)" }
}

/// A simple data element (or a component of a composite) in a segment definition.
public struct SimpleElementDefinition: Sendable, Hashable {
    public var id: String
    public var format: ValueFormat
    public var required: Bool
}

/// A data element position in a segment: simple, or composite with components.
public struct ElementDefinition: Sendable, Hashable {
    public var id: String
    public var required: Bool
    /// `nil` for a simple data element.
    public var components: [SimpleElementDefinition]?
    /// Format of a simple data element.
    public var format: ValueFormat?
    /// Times the element may repeat (syntax 4), 1 when it does not.
    public var repeats: Int
}

public struct SegmentDefinition: Sendable, Hashable {
    public var tag: String
    public var elements: [ElementDefinition]
}

/// One position in a message structure: a segment, or a segment group whose first entry is its
/// trigger segment.
public indirect enum StructureNode: Sendable, Hashable {
    case segment(tag: String, min: Int, max: Int)
    case group(name: String, min: Int, max: Int, children: [StructureNode])

    /// The tag that starts this node: the segment itself, or the group's trigger.
    public var triggerTag: String {
        switch self {
        case .segment(let tag, _, _): tag
        case .group(_, _, _, let children): children.first?.triggerTag ?? ""
        }
    }

    public var min: Int {
        switch self {
        case .segment(_, let m, _), .group(_, let m, _, _): m
        }
    }

    public var max: Int {
        switch self {
        case .segment(_, _, let m), .group(_, _, let m, _): m
        }
    }

    public var label: String {
        switch self {
        case .segment(let tag, _, _): tag
        case .group(let name, _, _, let children): "\(name) (\(children.first?.triggerTag ?? "?"))"
        }
    }
}

public struct MessageGrammar: Sendable, Hashable {
    public var type: String
    public var structure: [StructureNode]
}

/// A directory's grammar file: segment definitions, code lists and message structures, loaded from
/// data at run time (no Swift code per message). `base` names another file whose segments and code
/// lists this one inherits and may override, so D01B only states what changed since D96B.
public struct Grammar: Sendable, Hashable {
    /// Name of the file (for error messages) and the directories it serves, e.g. `["D96B"]`.
    public var name: String
    public var directories: [String]
    public var base: String?
    public var segments: [String: SegmentDefinition]
    /// Code lists by data element id (e.g. `0081` → `D`, `S`); checked wherever that element appears.
    public var codes: [String: Set<String>]
    public var messages: [String: MessageGrammar]
}

public struct GrammarError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String
    public var description: String { "\(file): \(path.isEmpty ? "" : path + ": ")\(message)" }
}

extension Grammar {
    /// Parses a grammar file's JSON text. Errors name the file, the JSON path and, for JSON syntax,
    /// the line and column.
    public static func load(json text: String, name: String) throws(GrammarError) -> Grammar {
        let root: JSONValue
        do { root = try JSONParser.parse(text) } catch { throw GrammarError(file: name, path: "", message: error.description) }
        guard let obj = root.objectValue else { throw GrammarError(file: name, path: "", message: "top level must be an object") }

        func fail(_ path: String, _ message: String) -> GrammarError { GrammarError(file: name, path: path, message: message) }

        var directories: [String] = []
        for (i, d) in (obj["directories"]?.arrayValue ?? []).enumerated() {
            guard let s = d.stringValue else { throw fail("directories[\(i)]", "must be a string") }
            directories.append(s)
        }
        guard !directories.isEmpty else { throw fail("directories", "must list at least one directory, e.g. [\"D96B\"]") }

        var codes: [String: Set<String>] = [:]
        for (key, value) in obj["codes"]?.objectValue?.members ?? [] {
            guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count else {
                throw fail("codes.\(key)", "must be an array of strings")
            }
            codes[key] = Set(list)
        }

        var segments: [String: SegmentDefinition] = [:]
        for (tag, value) in obj["segments"]?.objectValue?.members ?? [] {
            guard let list = value.arrayValue else { throw fail("segments.\(tag)", "must be an array of element strings") }
            var elements: [ElementDefinition] = []
            for (i, item) in list.enumerated() {
                guard let s = item.stringValue else { throw fail("segments.\(tag)[\(i)]", "must be a string") }
                elements.append(try parseElement(s, path: "segments.\(tag)[\(i)]", fail: fail))
            }
            segments[tag] = SegmentDefinition(tag: tag, elements: elements)
        }

        var messages: [String: MessageGrammar] = [:]
        for (type, value) in obj["messages"]?.objectValue?.members ?? [] {
            guard let list = value.arrayValue else { throw fail("messages.\(type)", "must be an array") }
            let nodes = try parseStructure(list, path: "messages.\(type)", fail: fail)
            messages[type] = MessageGrammar(type: type, structure: nodes)
        }
        return Grammar(name: name, directories: directories, base: obj["base"]?.stringValue, segments: segments, codes: codes, messages: messages)
    }

    /// `"3035 an..3 M"`, `"C082 C: 3039 an..35 M, 1131 an..3 C"`, optionally `R9` for repeats.
    private static func parseElement(_ text: String, path: String, fail: (String, String) -> GrammarError) throws(GrammarError) -> ElementDefinition {
        if let colon = text.firstIndex(of: ":") {
            let head = text[..<colon].split(separator: " ").map(String.init)
            guard head.count >= 2, head[1] == "M" || head[1] == "C" else {
                throw fail(path, "composite must read 'ID M|C: component, ...', got '\(text)'")
            }
            var comps: [SimpleElementDefinition] = []
            for (j, part) in text[text.index(after: colon)...].split(separator: ",").enumerated() {
                let f = part.split(separator: " ").map(String.init)
                guard f.count == 3, let format = ValueFormat(f[1]), f[2] == "M" || f[2] == "C" else {
                    throw fail("\(path) component \(j + 1)", "must read 'ID FORMAT M|C', got '\(part.trimmingSpaces)'")
                }
                comps.append(SimpleElementDefinition(id: f[0], format: format, required: f[2] == "M"))
            }
            guard !comps.isEmpty else { throw fail(path, "composite has no components") }
            return ElementDefinition(id: head[0], required: head[1] == "M", components: comps, format: nil, repeats: repeatCount(head))
        }
        let f = text.split(separator: " ").map(String.init)
        guard f.count >= 3, let format = ValueFormat(f[1]), f[2] == "M" || f[2] == "C" else {
            throw fail(path, "must read 'ID FORMAT M|C' (e.g. '1004 an..35 C'), got '\(text)'")
        }
        return ElementDefinition(id: f[0], required: f[2] == "M", components: nil, format: format, repeats: repeatCount(f))
    }

    private static func repeatCount(_ fields: [String]) -> Int {
        for f in fields where f.hasPrefix("R") { if let n = Int(f.dropFirst()) { return n } }
        return 1
    }

    /// `"BGM M1"` for a segment; an array `["SG1 C99", "RFF M1", ...]` for a group whose second entry is its trigger.
    private static func parseStructure(_ list: [JSONValue], path: String, fail: (String, String) -> GrammarError) throws(GrammarError) -> [StructureNode] {
        var nodes: [StructureNode] = []
        for (i, item) in list.enumerated() {
            let p = "\(path)[\(i)]"
            if let s = item.stringValue {
                let (tag, min, max) = try parseOccurrence(s, path: p, fail: fail)
                nodes.append(.segment(tag: tag, min: min, max: max))
            } else if let group = item.arrayValue {
                guard let head = group.first?.stringValue else { throw fail(p, "a group starts with its name and occurrence, e.g. \"SG1 C99\"") }
                let (name, min, max) = try parseOccurrence(head, path: p, fail: fail)
                let children = try parseStructure(Array(group.dropFirst()), path: p, fail: fail)
                guard case .segment? = children.first else { throw fail(p, "group \(name) must start with its trigger segment") }
                nodes.append(.group(name: name, min: min, max: max, children: children))
            } else {
                throw fail(p, "must be \"TAG M1\" or a group array")
            }
        }
        return nodes
    }

    private static func parseOccurrence(_ s: String, path: String, fail: (String, String) -> GrammarError) throws(GrammarError) -> (String, Int, Int) {
        let f = s.split(separator: " ")
        guard f.count == 2, let status = f[1].first, status == "M" || status == "C", let max = Int(f[1].dropFirst()), max > 0 else {
            throw fail(path, "must read 'TAG M1' or 'TAG C99', got '\(s)'")
        }
        return (String(f[0]), status == "M" ? 1 : 0, max)
    }
}

extension Substring {
    var trimmingSpaces: String { String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}

/// All loaded grammars, resolving `base` inheritance and finding the grammar for a message.
public struct GrammarSet: Sendable {
    public private(set) var grammars: [String: Grammar] = [:]

    public init(_ list: [Grammar]) throws(GrammarError) {
        for g in list { grammars[g.name] = g }
        for g in list {
            var seen: Set<String> = [g.name]
            var b = g.base
            while let name = b {
                guard let parent = grammars[name] else { throw GrammarError(file: g.name, path: "base", message: "no grammar named '\(name)'") }
                guard seen.insert(name).inserted else { throw GrammarError(file: g.name, path: "base", message: "inheritance cycle through '\(name)'") }
                b = parent.base
            }
        }
    }

    /// The message grammar plus the segment definitions and code lists in force for it.
    public struct Resolved: Sendable {
        public var grammarName: String
        public var directory: String
        public var message: MessageGrammar
        public var segments: [String: SegmentDefinition]
        public var codes: [String: Set<String>]
    }

    public var directories: [String] { Array(Set(grammars.values.flatMap(\.directories))).sorted() }

    public func resolve(type: String, directory: String) -> Resolved? {
        guard let g = grammars.values.sorted(by: { $0.name < $1.name }).first(where: { $0.directories.contains(directory) && $0.messages[type] != nil }),
              let message = g.messages[type] else { return nil }
        var chain: [Grammar] = [g]
        var b = g.base
        while let name = b, let parent = grammars[name], chain.count < 16 {
            chain.append(parent)
            b = parent.base
        }
        var segments: [String: SegmentDefinition] = [:]
        var codes: [String: Set<String>] = [:]
        for level in chain.reversed() {
            segments.merge(level.segments) { _, new in new }
            codes.merge(level.codes) { _, new in new }
        }
        return Resolved(grammarName: g.name, directory: directory, message: message, segments: segments, codes: codes)
    }
}
