import JSONCore

/// Which order fields each destination makes mandatory, loaded from a data file
/// (`Data/rules/destination_requirements.json`) so that compliance staff can change them without a
/// code change.
///
/// A field is a path over the order JSON: `shipment.destination_region`, `lines[].net_weight`
/// (every line), `parties[role=consignee].postal_code` (the party whose `role` is `consignee`).
public struct DestinationRequirements: Sendable {
    public struct Rule: Sendable, Hashable {
        public var id: String
        /// Country codes, group names from `groups`, or `*` for every destination.
        public var appliesTo: [String]
        public var field: FieldSelector
        /// Order-level equality conditions (`transaction_type: b2b`) that must all hold.
        public var when: [String: String]
        public var reason: String
    }

    public let version: String
    public let groups: [String: Set<CountryCode>]
    public let rules: [Rule]

    public struct LoadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// Parses and checks the rules file; every bad entry is reported, not just the first.
    public init(json text: String) throws(LoadError) {
        let root: JSONValue
        do { root = try JSONParser.parse(text) } catch { throw LoadError(path: "$", message: error.description) }
        guard let version = root["version"]?.stringValue else { throw LoadError(path: "version", message: "is required") }
        var groups: [String: Set<CountryCode>] = [:]
        var problems: [LoadError] = []
        for (name, members) in root["groups"]?.objectValue?.members ?? [] {
            let codes = (members.arrayValue ?? []).compactMap(\.stringValue).map(CountryCode.init(rawValue:))
            for c in codes where !c.isAssigned { problems.append(LoadError(path: "groups.\(name)", message: "\(c) is not an ISO 3166-1 code")) }
            groups[name] = Set(codes)
        }
        var rules: [Rule] = []
        for (n, entry) in (root["rules"]?.arrayValue ?? []).enumerated() {
            let at = "rules[\(n)]"
            guard let id = entry["id"]?.stringValue, let fieldText = entry["field"]?.stringValue,
                let applies = entry["applies_to"]?.arrayValue?.compactMap(\.stringValue), !applies.isEmpty
            else {
                problems.append(LoadError(path: at, message: "needs id, field and a non-empty applies_to"))
                continue
            }
            for target in applies where target != "*" && groups[target] == nil && !CountryCode(target).isAssigned {
                problems.append(LoadError(path: "\(at).applies_to", message: "\(target) is neither a country code nor a group"))
            }
            let selector: FieldSelector
            do { selector = try FieldSelector(fieldText) } catch {
                problems.append(LoadError(path: "\(at).field", message: error.description))
                continue
            }
            var when: [String: String] = [:]
            for (k, v) in entry["when"]?.objectValue?.members ?? [] { when[k] = v.stringValue ?? "" }
            rules.append(Rule(id: id, appliesTo: applies, field: selector, when: when, reason: entry["reason"]?.stringValue ?? ""))
        }
        if let first = problems.first {
            throw LoadError(path: first.path, message: problems.map(\.description).joined(separator: "; "))
        }
        self.version = version
        self.groups = groups
        self.rules = rules
    }

    /// The rules that apply to an order going to `destination`.
    public func rules(for destination: CountryCode) -> [Rule] {
        rules.filter { rule in
            rule.appliesTo.contains { $0 == "*" || $0 == destination.rawValue || groups[$0]?.contains(destination) == true }
        }
    }
}

/// A parsed field path of the requirements language.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case member(String)
        case each(String)
        case filter(String, key: String, value: String)
    }

    public let steps: [Step]
    public let description: String

    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(SyntaxError) {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let p = String(part)
            if p.hasSuffix("[]") {
                steps.append(.each(String(p.dropLast(2))))
            } else if let open = p.firstIndex(of: "["), p.hasSuffix("]") {
                let inner = p[p.index(after: open)..<p.index(before: p.endIndex)]
                let kv = inner.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                    throw SyntaxError(description: "\"\(text)\": filter must look like [key=value]")
                }
                steps.append(.filter(String(p[..<open]), key: kv[0], value: kv[1]))
            } else {
                steps.append(.member(p))
            }
        }
        for step in steps {
            let name: String
            switch step {
            case .member(let n), .each(let n), .filter(let n, _, _): name = n
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw SyntaxError(description: "\"\(text)\": empty or invalid field name")
            }
        }
        self.steps = steps
        self.description = text
    }

    /// A place where the selected field is absent or empty.
    public struct Miss: Sendable, Hashable {
        public var path: JSONPath
        /// Set when a filter matched nothing (`role=consignee`): the whole element is missing.
        public var missingElement: String?
    }

    /// Walks `document` and returns every place where the field is missing or empty.
    public func misses(in document: JSONValue) -> [Miss] {
        var contexts: [(JSONValue, JSONPath)] = [(document, .root)]
        var misses: [Miss] = []
        for (n, step) in steps.enumerated() {
            let last = n == steps.count - 1
            var next: [(JSONValue, JSONPath)] = []
            for (value, path) in contexts {
                switch step {
                case .member(let name):
                    let p = path / name
                    guard let child = value[name], !Self.isEmpty(child) else {
                        misses.append(Miss(path: p))
                        continue
                    }
                    if !last { next.append((child, p)) }
                case .each(let name):
                    let p = path / name
                    guard let items = value[name]?.arrayValue, !items.isEmpty else {
                        misses.append(Miss(path: p))
                        continue
                    }
                    for (i, item) in items.enumerated() where !last || Self.isEmpty(item) {
                        if last { misses.append(Miss(path: p / i)) } else { next.append((item, p / i)) }
                    }
                case .filter(let name, let key, let wanted):
                    let p = path / name
                    let items = value[name]?.arrayValue ?? []
                    let matches = items.enumerated().filter { $0.element[key]?.stringValue == wanted }
                    if matches.isEmpty {
                        misses.append(Miss(path: p, missingElement: "\(key)=\(wanted)"))
                        continue
                    }
                    if !last { for (i, item) in matches { next.append((item, p / i)) } }
                }
            }
            contexts = next
        }
        return misses
    }

    private static func isEmpty(_ v: JSONValue) -> Bool {
        switch v {
        case .null: true
        case .string(let s): s.allSatisfy(\.isWhitespace)
        case .array(let a): a.isEmpty
        default: false
        }
    }
}
