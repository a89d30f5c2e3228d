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
        try ValueEncoder.box(value, at: [], sortedKeys: sortedKeys).resolved(sortedKeys: sortedKeys)
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
            let keys = sortedKeys ? o.order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : o.order
            var object = JSONObject()
            for key in keys { object[key] = o.members[key]!.resolved(sortedKeys: sortedKeys) }
            return .object(object)
        case .encoder(let e): return (e.node ?? .object(ObjectNode())).resolved(sortedKeys: sortedKeys)
        }
    }
}

private final class ObjectNode {
    var order: [String] = []
    var members: [String: Node] = [:]

    func set(_ key: String, _ node: Node) {
        if members.updateValue(node, forKey: key) == nil { order.append(key) }
    }
}

private final class ArrayNode {
    var items: [Node] = []
}

private final class ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    let sortedKeys: Bool
    var node: Node?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], sortedKeys: Bool) {
        self.codingPath = codingPath
        self.sortedKeys = sortedKeys
    }

    /// One value as a node: the scalars `JSONEncoder` special-cases, or whatever the type encodes.
    static func box<T: Encodable>(_ value: T, at path: [any CodingKey], sortedKeys: Bool) throws -> Node {
        switch value {
        case let s as String: return .value(.string(s))
        case let d as Decimal:
            guard !d.isNaN else { throw EncodingError.invalidValue(d, .init(codingPath: path, debugDescription: "NaN is not a JSON number")) }
            return .value(.number(ExactDecimal.text(d)))
        case let url as URL: return .value(.string(url.absoluteString))
        case let data as Data: return .value(.string(data.base64EncodedString()))
        default:
            let child = ValueEncoder(codingPath: path, sortedKeys: sortedKeys)
            try value.encode(to: child)
            return child.node ?? .object(ObjectNode())
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectNode
        if case .object(let existing)? = node { object = existing } else {
            object = ObjectNode()
            node = .object(object)
        }
        return KeyedEncodingContainer(Keyed<Key>(object: object, codingPath: codingPath, sortedKeys: sortedKeys))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayNode
        if case .array(let existing)? = node { array = existing } else {
            array = ArrayNode()
            node = .array(array)
        }
        return Unkeyed(array: array, codingPath: codingPath, sortedKeys: sortedKeys)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }
}

/// The JSON text of a floating-point number, as `JSONEncoder` writes it: `2` for 2.0, `0.1`, `1e+30`.
private func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, at path: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) is not a JSON number"))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return .number(text)
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectNode
    let codingPath: [any CodingKey]
    let sortedKeys: Bool

    private func put(_ value: JSONValue, _ key: Key) { object.set(key.stringValue, .value(value)) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try number(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try number(value, at: codingPath + [key]), key) }
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
        object.set(key.stringValue, try ValueEncoder.box(value, at: codingPath + [key], sortedKeys: sortedKeys))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(Keyed<NestedKey>(object: nested, codingPath: codingPath + [key], sortedKeys: sortedKeys))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        object.set(key.stringValue, .array(nested))
        return Unkeyed(array: nested, codingPath: codingPath + [key], sortedKeys: sortedKeys)
    }
    mutating func superEncoder() -> any Encoder { superEncoder(key: JSONCodingKey.super) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key) }

    private func superEncoder(key: any CodingKey) -> any Encoder {
        let child = ValueEncoder(codingPath: codingPath + [key], sortedKeys: sortedKeys)
        object.set(key.stringValue, .encoder(child))
        return child
    }
}

private struct Unkeyed: UnkeyedEncodingContainer {
    let array: ArrayNode
    let codingPath: [any CodingKey]
    let sortedKeys: Bool
    var count: Int { array.items.count }

    private var nextPath: [any CodingKey] { codingPath + [JSONCodingKey(intValue: array.items.count)] }

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
        array.items.append(try ValueEncoder.box(value, at: nextPath, sortedKeys: sortedKeys))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        let path = nextPath
        array.items.append(.object(nested))
        return KeyedEncodingContainer(Keyed<NestedKey>(object: nested, codingPath: path, sortedKeys: sortedKeys))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        let path = nextPath
        array.items.append(.array(nested))
        return Unkeyed(array: nested, codingPath: path, sortedKeys: sortedKeys)
    }
    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(codingPath: nextPath, sortedKeys: sortedKeys)
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
        encoder.node = try ValueEncoder.box(value, at: codingPath, sortedKeys: encoder.sortedKeys)
    }
}
