import Foundation

/// Encodes `Encodable` values straight into a `JSONValue`, with no text in between.
///
/// The tree matches what `CanonicalJSON` (a `JSONEncoder` with sorted keys) writes: members in
/// sorted key order, `Decimal` as its exact plain text, `Double` in its shortest form (`2`, not
/// `2.0`), `URL` as its string and `Data` as Base64. `JSONWriter.write` turns it into text.
public struct JSONValueEncoder: Sendable {
    /// Members in key order (the default, as `CanonicalJSON` writes them) or in the order the
    /// type encoded them.
    public var sortedKeys: Bool

    public init(sortedKeys: Bool = true) {
        self.sortedKeys = sortedKeys
    }

    public func encode(_ value: some Encodable) throws -> JSONValue {
        try ValueEncoder.box(value, at: nil, sortedKeys: sortedKeys).resolved(sortedKeys: sortedKeys)
    }

    /// Encodes and writes compact JSON text.
    public func text(_ value: some Encodable) throws -> String { JSONWriter.write(try encode(value)) }
}

/// A value under construction: containers are references, so nested containers handed out
/// earlier keep filling the tree.
private enum Node {
    case value(JSONValue)
    case object(ObjectNode)
    case array(ArrayNode)
    case encoder(ValueEncoder)

    func resolved(sortedKeys: Bool) -> JSONValue {
        switch self {
        case .value(let v): return v
        case .array(let a): return .array(a.items.map { $0.resolved(sortedKeys: sortedKeys) })
        case .object(let o):
            var entries = o.entries
            if sortedKeys { entries.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            return .object(JSONObject(distinct: entries.map { ($0.key, $0.node.resolved(sortedKeys: sortedKeys)) }))
        case .encoder(let e): return (e.node ?? .object(ObjectNode())).resolved(sortedKeys: sortedKeys)
        }
    }
}

/// Members in the order they were encoded. Objects are small, so a repeated key is found by a
/// scan; a dictionary per object cost more than the scan.
private final class ObjectNode {
    var entries: [(key: String, node: Node)] = []
    private var index: [String: Int] = [:]

    func set(_ key: String, _ node: Node) {
        if entries.count > 16 {
            if index.isEmpty { for (i, e) in entries.enumerated() { index[e.key] = i } }
            if let i = index[key] { entries[i].node = node } else {
                index[key] = entries.count
                entries.append((key, node))
            }
        } else if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].node = node
        } else {
            entries.append((key, node))
        }
    }
}

private final class ArrayNode {
    var items: [Node] = []
}

/// The coding path as a chain that is turned into an array only when someone asks for it (an
/// error, or a type that reads `codingPath`): copying the path array for every encoded value was
/// most of the encoder's cost.
private final class PathLink {
    let parent: PathLink?
    let key: any CodingKey

    init(_ parent: PathLink?, _ key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func path(_ link: PathLink?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var at = link
        while let l = at {
            keys.append(l.key)
            at = l.parent
        }
        return keys.reversed()
    }
}

private final class ValueEncoder: Encoder {
    let link: PathLink?
    let sortedKeys: Bool
    var node: Node?
    var codingPath: [any CodingKey] { PathLink.path(link) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(link: PathLink?, sortedKeys: Bool) {
        self.link = link
        self.sortedKeys = sortedKeys
    }

    /// One value as a node: the scalars `JSONEncoder` special-cases, or whatever the type encodes.
    static func box<T: Encodable>(_ value: T, at link: PathLink?, sortedKeys: Bool) throws -> Node {
        // The special cases are found by comparing type identities, not by dynamic casts: a cast per
        // value (four failing ones for every struct) was a fair part of the encoder's time. An
        // optional of one of them reaches it through `Optional.encode(to:)`, as the same value.
        if T.self == String.self { return .value(.string(value as! String)) }
        if T.self == Decimal.self {
            let d = value as! Decimal
            guard !d.isNaN else { throw EncodingError.invalidValue(d, .init(codingPath: PathLink.path(link), debugDescription: "NaN is not a JSON number")) }
            return .value(.number(ExactDecimal.text(d)))
        }
        if T.self == URL.self { return .value(.string((value as! URL).absoluteString)) }
        if T.self == Data.self { return .value(.string((value as! Data).base64EncodedString())) }
        let child = ValueEncoder(link: link, sortedKeys: sortedKeys)
        try value.encode(to: child)
        return child.node ?? .object(ObjectNode())
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectNode
        if case .object(let existing)? = node { object = existing } else {
            object = ObjectNode()
            node = .object(object)
        }
        return KeyedEncodingContainer(Keyed<Key>(object: object, link: link, sortedKeys: sortedKeys))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayNode
        if case .array(let existing)? = node { array = existing } else {
            array = ArrayNode()
            node = .array(array)
        }
        return Unkeyed(array: array, link: link, sortedKeys: sortedKeys)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }
}

/// The JSON text of a floating-point number, as `JSONEncoder` writes it: `2` for 2.0, `0.1`, `1e+30`.
private func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: path(), debugDescription: "\(value) is not a JSON number"))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return .number(text)
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectNode
    let link: PathLink?
    let sortedKeys: Bool
    var codingPath: [any CodingKey] { PathLink.path(link) }

    private func put(_ value: JSONValue, _ key: Key) { object.set(key.stringValue, .value(value)) }
    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try number(value, at: path(key)), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try number(value, at: path(key)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        switch value {
        case let s as String: put(.string(s), key)
        default: object.set(key.stringValue, try ValueEncoder.box(value, at: PathLink(link, key), sortedKeys: sortedKeys))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(Keyed<NestedKey>(object: nested, link: PathLink(link, key), sortedKeys: sortedKeys))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        object.set(key.stringValue, .array(nested))
        return Unkeyed(array: nested, link: PathLink(link, key), sortedKeys: sortedKeys)
    }
    mutating func superEncoder() -> any Encoder { superEncoder(key: JSONCodingKey.super) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key) }

    private func superEncoder(key: any CodingKey) -> any Encoder {
        let child = ValueEncoder(link: PathLink(link, key), sortedKeys: sortedKeys)
        object.set(key.stringValue, .encoder(child))
        return child
    }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let array: ArrayNode
    let link: PathLink?
    let sortedKeys: Bool
    var count: Int { array.items.count }
    var codingPath: [any CodingKey] { PathLink.path(link) }

    private var nextLink: PathLink { PathLink(link, JSONCodingKey(intValue: array.items.count)) }
    private var nextPath: [any CodingKey] { PathLink.path(nextLink) }

    mutating func encodeNil() throws { array.items.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { array.items.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { array.items.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { array.items.append(.value(try number(value, at: nextPath))) }
    mutating func encode(_ value: Float) throws { array.items.append(.value(try number(value, at: nextPath))) }
    mutating func encode(_ value: Int) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: Int8) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: Int16) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: Int32) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: Int64) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: UInt) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: UInt8) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: UInt16) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: UInt32) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode(_ value: UInt64) throws { array.items.append(.value(.number(String(value)))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        switch value {
        case let s as String: array.items.append(.value(.string(s)))
        default: array.items.append(try ValueEncoder.box(value, at: nextLink, sortedKeys: sortedKeys))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        let path = nextLink
        array.items.append(.object(nested))
        return KeyedEncodingContainer(Keyed<NestedKey>(object: nested, link: path, sortedKeys: sortedKeys))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        let path = nextLink
        array.items.append(.array(nested))
        return Unkeyed(array: nested, link: path, sortedKeys: sortedKeys)
    }
    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(link: nextLink, sortedKeys: sortedKeys)
        array.items.append(.encoder(child))
        return child
    }
}

private struct Single: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func put(_ value: JSONValue) { encoder.node = .value(value) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try number(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { put(try number(value, at: codingPath)) }
    mutating func encode(_ value: Int) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { put(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { put(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { put(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try ValueEncoder.box(value, at: encoder.link, sortedKeys: encoder.sortedKeys)
    }
}
