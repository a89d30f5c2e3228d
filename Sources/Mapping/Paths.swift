import JSONCore

/// A path that reads values from a document: the canonical order or an inbound JSON message.
///
/// Two spellings, one meaning:
/// - dotted, for the canonical model: `shipment.destination_country`, `line.net_weight` (where
///   `line` is a loop variable), `parties[role=seller].name`, `lines[].line_value.amount`;
/// - JSON Pointer, for JSON messages: `/result/tracking_code`, and `$detail/status` relative to
///   a loop variable.
/// `$index` (from 0) and `$position` (from 1) are the current loop counters.
///
/// Two steps gather flat message data into the groups an order is made of:
/// - `segments[group from LIN]`: one run per `LIN` segment of an EDIFACT message, holding it and the
///   segments after it up to the next `LIN` or the `UNS` section separator, because EDIFACT writes
///   a line item's QTY, PRI and MOA as the segments that follow its LIN;
/// - `rows[group by Order Number]`: the CSV rows that share a column's value, in first-seen order,
///   because an order export repeats the order's columns on each of its line rows.
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
        /// `[group from TAG]`: `{tag, q, elements, segments}` per run that a `TAG` segment starts.
        case runs(String)
        /// `[group by KEY]`: `{key, rows}` per distinct value of `KEY`.
        case groups(String)
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
                } else if inner.hasPrefix("group from ") || inner.hasPrefix("group by ") {
                    let from = inner.hasPrefix("group from ")
                    let named = inner.dropFirst(from ? 11 : 9).drop { $0 == " " }
                    let key = String(named.prefix(named.count - named.reversed().prefix { $0 == " " }.count))
                    guard !key.isEmpty else { throw SyntaxError(description: "\"\(whole)\": [group from TAG] or [group by KEY] needs a name") }
                    steps.append(from ? .runs(key) : .groups(key))
                } else {
                    let kv = inner.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { throw SyntaxError(description: "\"\(whole)\": expected [], [N], [key=value], [group from TAG] or [group by KEY]") }
                    steps.append(.filter(String(kv[0]), String(kv[1])))
                }
                p = p[p.index(after: close)...]
            }
            guard p.isEmpty else { throw SyntaxError(description: "\"\(whole)\": unexpected \"\(p)\"") }
        }
        return steps
    }

    /// True when the path can yield more than one value.
    public var isMulti: Bool {
        steps.contains { step in
            switch step {
            case .all, .runs, .groups: true
            default: false
            }
        }
    }
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
        // Nothing to replace (a decimal mark that stays ".", a path token without ~): the text as is.
        if a == b, !a.isEmpty { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
