/// A location inside a JSON document, printed the way integrators read it: `lines[2].origin_country`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, Comparable, ExpressibleByArrayLiteral {
    public enum Component: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)
        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public init(arrayLiteral elements: Component...) {
        self.components = elements
    }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath {
        JSONPath(components + [.key(key)])
    }

    public func appending(_ index: Int) -> JSONPath {
        JSONPath(components + [.index(index)])
    }

    public static func / (lhs: JSONPath, rhs: String) -> JSONPath { lhs.appending(rhs) }
    public static func / (lhs: JSONPath, rhs: Int) -> JSONPath { lhs.appending(rhs) }

    /// Dotted form; the document root prints as `$`.
    public var description: String {
        if components.isEmpty { return "$" }
        var out = ""
        for c in components {
            switch c {
            case .key(let k):
                if !out.isEmpty { out += "." }
                out += k
            case .index(let n):
                out += "[\(n)]"
            }
        }
        return out
    }

    /// RFC 6901 JSON Pointer form, for tools that want it.
    public var pointer: String {
        components.map { c in
            switch c {
            case .key(let k): "/" + k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let n): "/\(n)"
            }
        }.joined()
    }

    /// Reads the dotted form back (`lines[2].origin_country`); `$` is the root.
    public static func parse(_ text: String) -> JSONPath {
        if text == "$" || text.isEmpty { return .root }
        var components: [Component] = []
        var name = ""
        var index: String? = nil
        func flushName() {
            if !name.isEmpty { components.append(.key(name)) }
            name = ""
        }
        for ch in text {
            if var digits = index {
                if ch == "]" {
                    components.append(Int(digits).map(Component.index) ?? .key(digits))
                    index = nil
                } else {
                    digits.append(ch)
                    index = digits
                }
            } else if ch == "[" {
                flushName()
                index = ""
            } else if ch == "." {
                flushName()
            } else {
                name.append(ch)
            }
        }
        flushName()
        return JSONPath(components)
    }

    public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.description < rhs.description }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension JSONValue {
    /// Resolves an RFC 6901 JSON Pointer (`/lines/0/sku`); `nil` when nothing is there.
    public func value(atPointer pointer: String) -> JSONValue? {
        if pointer.isEmpty { return self }
        guard pointer.hasPrefix("/") else { return nil }
        var current = self
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = String(raw).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let n = Int(token), n >= 0, n < a.count else { return nil }
                current = a[n]
            default:
                return nil
            }
        }
        return current
    }
}

/// Why a JSON Pointer edit could not be made; names the pointer.
public struct JSONPointerError: Error, CustomStringConvertible, Sendable, Hashable {
    public var pointer: String
    public var problem: String
    public init(pointer: String, problem: String) { self.pointer = pointer; self.problem = problem }
    public var description: String { "\(pointer): \(problem)" }
}

extension JSONValue {
    public static let maxPointerDepth = 64

    /// The RFC 6901 tokens of `pointer`, unescaped.
    static func pointerTokens(_ pointer: String) throws -> [String] {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { throw JSONPointerError(pointer: pointer, problem: "a JSON Pointer starts with /") }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    /// Writes `value` at `pointer` (nil removes what is there), the way a person fills in a form:
    /// missing objects and arrays on the way are created (an array where the next token is a number
    /// or `-`), `-` or the array's length appends, and a pointer that runs through a scalar or past
    /// an array's end is an error naming it.
    public mutating func set(_ value: JSONValue?, atPointer pointer: String) throws {
        let tokens = try Self.pointerTokens(pointer)
        guard !tokens.isEmpty else { self = value ?? .null; return }
        // The walk recurses per level: a pointer from a form is bounded like the parser's nesting.
        guard tokens.count <= Self.maxPointerDepth else {
            throw JSONPointerError(pointer: String(pointer.prefix(80)) + "…", problem: "deeper than \(Self.maxPointerDepth) levels")
        }
        try Self.set(value, in: &self, tokens[...], pointer: pointer)
    }

    private static func set(_ value: JSONValue?, in node: inout JSONValue, _ tokens: ArraySlice<String>, pointer: String) throws {
        let token = tokens.first!
        let rest = tokens.dropFirst()
        func child(_ existing: JSONValue?) throws -> JSONValue? {
            if rest.isEmpty { return value }
            let next = rest.first!
            guard var inner = existing ?? (value == nil ? nil : (next == "-" || Int(next) != nil ? .array([]) : .object(JSONObject()))) else {
                return nil
            }
            try set(value, in: &inner, rest, pointer: pointer)
            return inner
        }
        switch node {
        case .object(var o):
            o[token] = try child(o[token])
            node = .object(o)
        case .array(var a):
            let index = token == "-" ? a.count : Int(token)
            guard let index, index >= 0, index <= a.count else {
                throw JSONPointerError(pointer: pointer, problem: "\(token) is not an index of the array (0...\(a.count))")
            }
            if index == a.count {
                if let made = try child(nil) { a.append(made) }
            } else if let made = try child(a[index]) {
                a[index] = made
            } else {
                a.remove(at: index)
            }
            node = .array(a)
        case .null where value != nil:
            node = Int(token) != nil || token == "-" ? .array([]) : .object(JSONObject())
            try set(value, in: &node, tokens, pointer: pointer)
        default:
            if value == nil { return }
            throw JSONPointerError(pointer: pointer, problem: "runs through a \(node.typeName), which holds no \(token)")
        }
    }

    /// Every scalar (string, number, boolean, null) of the document with its JSON Pointer, in
    /// document order: the fields a form shows.
    public var leaves: [(pointer: String, value: JSONValue)] {
        var out: [(String, JSONValue)] = []
        func walk(_ v: JSONValue, _ pointer: String) {
            switch v {
            case .object(let o):
                for (k, child) in o.members {
                    walk(child, pointer + "/" + k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))
                }
            case .array(let a):
                for (i, child) in a.enumerated() { walk(child, pointer + "/\(i)") }
            default:
                out.append((pointer, v))
            }
        }
        walk(self, "")
        return out
    }
}
