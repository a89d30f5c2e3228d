/// A JSON document as a value tree.
///
/// Numbers keep their source text so that money and quantities never pass through `Double`:
/// `12.30` stays `12.30`, and a 20-digit identifier stays exact. Objects keep key order, because
/// error messages and re-rendered documents should read in the order the sender wrote them.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written in the source (RFC 8259 grammar, already checked).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name used in schema and error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let text): text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Member lookup for objects; `nil` for anything else.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// An ordered JSON object. Duplicate keys are rejected by the parser, so lookups are unambiguous.
public struct JSONObject: Sendable, Hashable {
    public private(set) var members: [(key: String, value: JSONValue)]
    private var index: [String: Int]

    public init() {
        members = []
        index = [:]
    }

    /// Members in order; a repeated key keeps its first place and takes the last value.
    public init(_ pairs: [(String, JSONValue)]) {
        // Keys written in code are distinct: taken as they come after a check of cheap signatures
        // (assigning member by member searched the keys so far each time, a generic `utf8.first`
        // per key compared).
        if Self.distinct(pairs) {
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(pairs.count)
            for (k, v) in pairs { members.append((k, v)) }
            self.init(distinct: members)
            return
        }
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// Whether the keys of `pairs` are pairwise different. Two ASCII keys that differ in length or
    /// in their first eight bytes are; any other two are compared as strings (`==` compares
    /// canonical equivalence, which bytes alone do not decide outside ASCII).
    private static func distinct(_ pairs: [(String, JSONValue)]) -> Bool {
        let n = pairs.count
        if n < 2 { return true }
        if n > 32 { return Set(pairs.lazy.map(\.0)).count == n }
        return withUnsafeTemporaryAllocation(of: (head: UInt64, count: Int).self, capacity: n) { signatures in
            for i in 0..<n {
                let key = pairs[i].0
                var signature: (head: UInt64, count: Int) = (0, -1)
                _ = key.utf8.withContiguousStorageIfAvailable { bytes in
                    guard !bytes.contains(where: { $0 >= 0x80 }) else { return }
                    var head: UInt64 = 0
                    withUnsafeMutableBytes(of: &head) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes).prefix(8))) }
                    signature = (head, bytes.count)
                }
                signatures[i] = signature
                for j in 0..<i where signature.count < 0 || signatures[j].count < 0 || signatures[j] == signature {
                    if pairs[j].0 == key { return false }
                }
            }
            return true
        }
    }

    /// Members whose keys are already known to be distinct: no lookup per member. The key index
    /// is built here only for more than `eagerIndexThreshold` members: an object built in code
    /// is mostly written, not searched (hashing the keys of an 18-member classification result
    /// cost about 8,000 instructions), and up to that size a search scans the keys; the first
    /// change that adds a member builds the index.
    public init(distinct pairs: [(key: String, value: JSONValue)]) {
        members = pairs
        index = pairs.count > Self.eagerIndexThreshold ? Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1.key, $0) }) : [:]
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }

    /// Objects up to this many members are searched in order; the key index is built only above it
    /// (most objects in requests and answers are small, and a dictionary per object costs more than
    /// a scan of a few keys).
    static let indexThreshold = 12
    /// Objects built whole (`init(distinct:)`) up to this many members are scanned until changed.
    static let eagerIndexThreshold = 64

    private func position(of key: String) -> Int? {
        if !index.isEmpty { return index[key] }
        // Keys that start with another ASCII character are passed over without a call to the string
        // comparison: they cannot be equal (an ASCII character stays first in any canonically
        // equivalent spelling, which is what `==` compares), and most keys of a scan differ there.
        guard let first = key.utf8.first, first < 0x80 else { return members.firstIndex { $0.key == key } }
        return members.firstIndex { member in
            if let other = member.key.utf8.first, other != first, other < 0x80 { return false }
            return member.key == key
        }
    }

    /// Whether `key` is a member (the parser's duplicate check).
    func hasMember(_ key: String) -> Bool { position(of: key) != nil }

    /// Appends a member whose key is known to be absent: no second search after `hasMember`.
    mutating func appendAbsent(_ key: String, _ value: JSONValue) {
        members.append((key, value))
        if members.count > Self.indexThreshold {
            if index.isEmpty {
                index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
            } else {
                index[key] = members.count - 1
            }
        }
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue { members[i].value = newValue } else {
                    members.remove(at: i)
                    index = members.count > Self.indexThreshold
                        ? Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) }) : [:]
                }
            } else if let newValue {
                members.append((key, newValue))
                if members.count > Self.indexThreshold {
                    if index.isEmpty {
                        index = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
                    } else {
                        index[key] = members.count - 1
                    }
                }
            }
        }
    }

    /// Changes the member `key` in place (appended with `initial()` first when missing), with one
    /// search for the key: a tree written level by level is not copied or searched again per level.
    public mutating func modify<R>(_ key: String, default initial: () -> JSONValue, _ body: (inout JSONValue) throws -> R) rethrows -> R {
        let i: Int
        if let found = position(of: key) { i = found } else {
            self[key] = initial()
            i = members.count - 1
        }
        return try body(&members[i].value)
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for key in members.map(\.key).sorted() { hasher.combine(key) }
    }
}

extension JSONValue {
    /// The text of a scalar, the one way CustomsHub turns a JSON value into a field of a filing, a
    /// lookup key or a message: a string as is, `true`/`false`, and a number as its exact plain
    /// decimal (`1e3` → `1000`, `12.50` → `12.5`, the same value however the sender wrote it; a
    /// number no `Decimal` holds stays as written). `nil` for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): ExactDecimal.isPlain(n) ? n : ExactDecimal.parse(n).map(ExactDecimal.text) ?? n
        case .bool(let b): b ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}
