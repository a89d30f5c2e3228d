import Foundation

/// Decodes `Decodable` values straight from a parsed `JSONValue`, so a record is parsed once.
///
/// Numbers keep their source text until a type asks for them: a `Decimal` is read exactly from
/// that text (`ExactDecimal`), never through `Double`. Errors are `DecodingError`s whose coding
/// path names the member, the way `JSONDecoder`'s do; `decode(_:from:limits:)` on bytes adds the
/// parser's line and column for text that is not JSON.
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).unbox(value, as: T.self, at: [])
    }

    /// Parses `bytes` (throwing `JSONParseError` with its position) and decodes the document.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>, limits: JSONParseLimits = .default) throws -> T {
        try decode(type, from: try JSONParser.parse(bytes, limits: limits))
    }
}

/// A coding key made from a member name or an array index, for coding paths.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
    static let `super` = JSONCodingKey(stringValue: "super")
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(Keyed<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([Any].self, value, codingPath) }
        return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    /// Decodes one value at `path`, with the types `JSONDecoder` also treats as JSON scalars.
    func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, at path: [any CodingKey]) throws -> T {
        if T.self == String.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            return s as! T
        }
        if T.self == Decimal.self {
            guard case .number(let text) = value else { throw mismatch(T.self, value, path) }
            guard let d = ExactDecimal.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(text.prefix(60)) is not a decimal a Decimal holds exactly"))
            }
            return d as! T
        }
        if T.self == URL.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            guard let url = URL(string: s) else { throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "invalid URL \"\(s)\"")) }
            return url as! T
        }
        if T.self == Data.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            guard let data = Data(base64Encoded: s) else { throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "not Base64")) }
            return data as! T
        }
        return try T(from: ValueDecoder(value: value, codingPath: path))
    }
}

private func describe(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let b): "boolean \(b)"
    case .number(let n): "number \(n.prefix(40))"
    case .string(let s): "string \"\(s.prefix(40))\""
    case .array: "an array"
    case .object: "an object"
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    if case .null = value {
        return .valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(type), found null"))
    }
    return .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found \(describe(value))"))
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap(Key.init(stringValue:)) }
    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let v = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member \"\(key.stringValue)\""))
        }
        return v
    }

    /// Scalars go through `Single`, which knows the number rules.
    private func single(_ key: Key) throws -> Single { Single(value: try member(key), codingPath: codingPath + [key]) }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ValueDecoder(value: .null, codingPath: codingPath).unbox(try member(key), as: T.self, at: codingPath + [key])
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try single(key).decode(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let v = try member(key)
        guard case .string(let s) = v else { throw mismatch(type, v, codingPath + [key]) }
        return s
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try single(key).decode(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try single(key).decode(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try single(key).decode(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try single(key).decode(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try single(key).decode(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try single(key).decode(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try single(key).decode(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try single(key).decode(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try single(key).decode(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try single(key).decode(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try single(key).decode(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try single(key).decode(UInt64.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: object[JSONCodingKey.super.stringValue] ?? .null, codingPath: codingPath + [JSONCodingKey.super])
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [JSONCodingKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "the array has only \(items.count) elements"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw DecodingError.valueNotFound(Any?.self, .init(codingPath: codingPath, debugDescription: "at the end of the array")) }
        if case .null = items[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try ValueDecoder(value: value, codingPath: path).unbox(value, as: T.self, at: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next(type)
        return try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([Any].self)
        return try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        return ValueDecoder(value: value, codingPath: path)
    }
}

private struct Single: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(type, value, codingPath) }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw mismatch(type, value, codingPath) }
        return s
    }

    private func number() throws -> String {
        guard case .number(let text) = value else { throw mismatch(Double.self, value, codingPath) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try number()
        guard let d = Double(text), d.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(text.prefix(40)) does not fit in Double"))
        }
        return d
    }
    func decode(_ type: Float.Type) throws -> Float {
        let text = try number()
        guard let f = Float(text), f.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(text.prefix(40)) does not fit in Float"))
        }
        return f
    }

    /// An integer written as `12`, `12.0` or `1.2e1`; anything with a fraction or out of range is refused.
    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let text = try number()
        if let i = I(text) { return i }
        if let d = Double(text), let i = I(exactly: d) { return i }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(text.prefix(40)) does not fit in \(type)"))
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ValueDecoder(value: value, codingPath: codingPath).unbox(value, as: T.self, at: codingPath)
    }
}
