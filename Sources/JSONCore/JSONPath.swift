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
