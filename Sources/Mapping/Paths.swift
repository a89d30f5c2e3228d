import JSONCore

/// A path that reads values from a document: the canonical order or an inbound JSON message.
///
/// Two spellings, one meaning:
/// - dotted, for the canonical model: `shipment.destination_country`, `line.net_weight` (where
///   `line` is a loop variable), `parties[role=seller].name`, `lines[].line_value.amount`;
/// - JSON Pointer, for JSON messages: `/result/tracking_code`, and `$detail/status` relative to
///   a loop variable.
/// `$index` (from 0) and `$position` (from 1) are the current loop counters.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    public enum Root: Sendable, Hashable {
        /// From the document root, or from a loop variable when the first key names one in scope.
        case auto
        case variable(String)
        case counter(Counter)
    }

    public enum Counter: String, Sendable, Hashable { case index, position }

    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        /// `[]`: every element.
        case all
        /// `[key=value]`: the elements whose `key` equals `value`.
        case filter(String, String)
    }

    public var root: Root
    public var steps: [Step]
    public let description: String

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(SyntaxError) {
        description = text
        if text == "$index" || text == "$position" {
            root = .counter(text == "$index" ? .index : .position)
            steps = []
            return
        }
        if text.hasPrefix("/") || text.hasPrefix("$") {
            var rest = Substring(text)
            if text.hasPrefix("$") {
                let name = rest.dropFirst().prefix { $0 != "/" && $0 != "." }
                guard !name.isEmpty else { throw SyntaxError(description: "\"\(text)\": $ must be followed by a variable name") }
                root = .variable(String(name))
                rest = rest.dropFirst(name.count + 1)
                if rest.hasPrefix(".") {
                    steps = try Self.dotted(String(rest.dropFirst()), whole: text)
                    return
                }
            } else {
                root = .auto
            }
            steps = rest.isEmpty ? [] : rest.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
                let t = String(token).replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
                return Int(t).map(Step.index) ?? .key(t)
            }
            if text.hasPrefix("/") { root = .auto }
            return
        }
        root = .auto
        steps = try Self.dotted(text, whole: text)
    }

    private static func dotted(_ text: String, whole: String) throws(SyntaxError) -> [Step] {
        guard !text.isEmpty else { throw SyntaxError(description: "empty path") }
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var p = Substring(part)
            let name = p.prefix { $0 != "[" }
            guard !name.isEmpty || steps.isEmpty == false else { throw SyntaxError(description: "\"\(whole)\": empty field name") }
            if !name.isEmpty {
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ":" || $0 == "@" }) else {
                    throw SyntaxError(description: "\"\(whole)\": invalid field name \"\(name)\"")
                }
                steps.append(.key(String(name)))
            }
            p = p.dropFirst(name.count)
            while p.hasPrefix("[") {
                guard let close = p.firstIndex(of: "]") else { throw SyntaxError(description: "\"\(whole)\": missing ]") }
                let inner = p[p.index(after: p.startIndex)..<close]
                if inner.isEmpty {
                    steps.append(.all)
                } else if let n = Int(inner) {
                    steps.append(.index(n))
                } else {
                    let kv = inner.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw SyntaxError(description: "\"\(whole)\": expected [], [N] or [key=value]") }
                    steps.append(.filter(String(kv[0]), String(kv[1])))
                }
                p = p[p.index(after: close)...]
            }
            guard p.isEmpty else { throw SyntaxError(description: "\"\(whole)\": unexpected \"\(p)\"") }
        }
        return steps
    }

    /// True when the path can yield more than one value.
    public var isMulti: Bool { steps.contains(.all) }
}

/// Where a rule writes: a JSON Pointer for JSON messages (`/customs_info/customs_items`, relative
/// inside loops: `description`), or a dotted canonical path for inbound mappings (`lines`,
/// `shipment.destination_country`). `-` or `[]` as the last step appends to an array.
public struct TargetPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case append
    }

    public var absolute: Bool
    public var steps: [Step]
    public let description: String

    public init(_ text: String) throws(ValuePath.SyntaxError) {
        description = text
        guard !text.isEmpty else { throw ValuePath.SyntaxError(description: "empty target path") }
        if text.hasPrefix("/") || text.contains("/") {
            absolute = text.hasPrefix("/")
            let body = absolute ? String(text.dropFirst()) : text
            steps = body.split(separator: "/", omittingEmptySubsequences: false).map { token in
                let t = String(token).replacingOccurrences("~1", "/").replacingOccurrences("~0", "~")
                if t == "-" { return .append }
                return Int(t).map(Step.index) ?? .key(t)
            }
        } else {
            absolute = false
            var steps: [Step] = []
            for part in text.split(separator: ".", omittingEmptySubsequences: false) {
                var p = Substring(part)
                let name = p.prefix { $0 != "[" }
                if !name.isEmpty { steps.append(.key(String(name))) }
                p = p.dropFirst(name.count)
                while p.hasPrefix("["), let close = p.firstIndex(of: "]") {
                    let inner = p[p.index(after: p.startIndex)..<close]
                    if inner.isEmpty {
                        steps.append(.append)
                    } else if let n = Int(inner) {
                        steps.append(.index(n))
                    } else {
                        throw ValuePath.SyntaxError(description: "\"\(text)\": a target can only use [] or [N]")
                    }
                    p = p[p.index(after: close)...]
                }
                if !p.isEmpty { throw ValuePath.SyntaxError(description: "\"\(text)\": unexpected \"\(p)\"") }
            }
            self.steps = steps
        }
        for step in steps {
            if case .key(let k) = step, k.isEmpty { throw ValuePath.SyntaxError(description: "\"\(text)\": empty step") }
        }
    }

    /// The same path as a JSON path for error messages.
    public func jsonPath(under base: JSONPath) -> JSONPath {
        var p = absolute ? JSONPath.root : base
        for s in steps {
            switch s {
            case .key(let k): p = p / k
            case .index(let i): p = p / i
            case .append: p = p / "-"
            }
        }
        return p
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
