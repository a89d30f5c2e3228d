import Foundation

/// One place where a document breaks its schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    public var path: JSONPath
    /// The schema keyword that failed (`required`, `type`, `pattern`…).
    public var keyword: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

/// Why a schema file itself cannot be used.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A validator for the subset of JSON Schema (draft 2020-12) that the product's own schemas use:
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`, `pattern`,
/// `minLength`/`maxLength`, `minimum`/`maximum`/`exclusiveMinimum`, `minItems`/`maxItems`,
/// `anyOf`, `oneOf`, `allOf` and local `$ref` into `$defs`.
///
/// The schema is the contract published to integrators; running it in the product (not only in
/// tests) is what keeps the published contract and the code from drifting apart. Unknown keywords
/// are rejected at load so a schema never silently checks less than it says.
public struct JSONSchema: Sendable {
    public let root: JSONValue
    private let patterns: [String: CompiledPattern]
    /// Every `$ref` of the schema, resolved once at load: resolving a JSON pointer on each use was
    /// close to half the cost of validating an order.
    private let references: [String: JSONValue]

    private static let supported: Set<String> = [
        "$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "examples", "default",
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern",
        "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minItems", "maxItems", "anyOf", "oneOf", "allOf", "deprecated",
    ]

    public init(_ schema: JSONValue) throws(SchemaError) {
        root = schema
        var patterns: [String: CompiledPattern] = [:]
        var references: [String: JSONValue] = [:]
        try Self.check(schema, at: "#", patterns: &patterns, references: &references, root: schema)
        self.patterns = patterns
        self.references = references
    }

    public init(text: String) throws(SchemaError) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw SchemaError(message: "schema is not JSON: \(error)") }
        try self.init(value)
    }

    private static func check(_ schema: JSONValue, at location: String, patterns: inout [String: CompiledPattern],
                              references: inout [String: JSONValue], root: JSONValue) throws(SchemaError) {
        if case .bool = schema { return }
        guard let object = schema.objectValue else { throw SchemaError(message: "\(location): a schema must be an object or a boolean") }
        if object["format"] != nil {
            // Draft 2020-12 makes `format` an annotation unless a validator opts in; this one does
            // not, so a schema that relies on it would check less than it says.
            throw SchemaError(message: "\(location): the \"format\" keyword is not checked here; write a \"pattern\" instead")
        }
        for key in object.keys where !supported.contains(key) {
            throw SchemaError(message: "\(location): unsupported keyword \"\(key)\"")
        }
        if let p = object["pattern"]?.stringValue {
            do { patterns[p] = try CompiledPattern(p) } catch { throw SchemaError(message: "\(location)/pattern: invalid regular expression \(p)") }
        }
        if let ref = object["$ref"]?.stringValue {
            guard let target = resolve(ref, in: root) else { throw SchemaError(message: "\(location): $ref \(ref) does not resolve") }
            references[ref] = target
        }
        for container in ["properties", "$defs"] {
            for (k, v) in object[container]?.objectValue?.members ?? [] {
                try check(v, at: "\(location)/\(container)/\(k)", patterns: &patterns, references: &references, root: root)
            }
        }
        for single in ["items", "additionalProperties"] {
            if let s = object[single] { try check(s, at: "\(location)/\(single)", patterns: &patterns, references: &references, root: root) }
        }
        for list in ["anyOf", "oneOf", "allOf"] {
            for (n, s) in (object[list]?.arrayValue ?? []).enumerated() {
                try check(s, at: "\(location)/\(list)/\(n)", patterns: &patterns, references: &references, root: root)
            }
        }
    }

    private static func resolve(_ ref: String, in root: JSONValue) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        return root.value(atPointer: String(ref.dropFirst()))
    }

    /// Every violation in `document`, in document order.
    public func validate(_ document: JSONValue) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        validate(document, against: root, at: .root, into: &out)
        return out
    }

    private func validate(_ value: JSONValue, against schema: JSONValue, at path: JSONPath, into out: inout [SchemaViolation]) {
        if case .bool(let allowed) = schema {
            if !allowed { out.append(SchemaViolation(path: path, keyword: "false", message: "is not allowed here")) }
            return
        }
        guard let s = schema.objectValue else { return }
        if let ref = s["$ref"]?.stringValue, let target = references[ref] {
            validate(value, against: target, at: path, into: &out)
        }
        if let type = s["type"], !matchesType(value, type) {
            let expected = type.stringValue ?? (type.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " or ")
            out.append(SchemaViolation(path: path, keyword: "type", message: "expected \(expected), found \(value.typeName)"))
            return
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            let shown = options.prefix(12).map(render).joined(separator: ", ")
            out.append(SchemaViolation(path: path, keyword: "enum", message: "\(render(value)) is not one of \(shown)\(options.count > 12 ? ", …" : "")"))
        }
        if let c = s["const"], !equal(c, value) {
            out.append(SchemaViolation(path: path, keyword: "const", message: "must be \(render(c))"))
        }
        for sub in s["allOf"]?.arrayValue ?? [] { validate(value, against: sub, at: path, into: &out) }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: { isValid(value, $0, path) }) {
            out.append(SchemaViolation(path: path, keyword: "anyOf", message: "does not match any allowed form\(describeForms(any))"))
        }
        if let one = s["oneOf"]?.arrayValue {
            let n = one.filter { isValid(value, $0, path) }.count
            if n != 1 {
                out.append(SchemaViolation(path: path, keyword: "oneOf", message: n == 0 ? "does not match any allowed form\(describeForms(one))" : "matches \(n) forms where exactly one is allowed"))
            }
        }
        switch value {
        case .string(let str):
            let length = str.count
            if let min = int(s["minLength"]), length < min {
                out.append(SchemaViolation(path: path, keyword: "minLength", message: min == 1 ? "must not be empty" : "is shorter than \(min) characters"))
            }
            if let max = int(s["maxLength"]), length > max {
                out.append(SchemaViolation(path: path, keyword: "maxLength", message: "is longer than \(max) characters"))
            }
            if let p = s["pattern"]?.stringValue, let pattern = patterns[p], !pattern.matches(str) {
                let message = s["description"]?.stringValue.map { "\(render(value)) is not valid: \($0)" } ?? "\(render(value)) does not match the pattern \(p)"
                out.append(SchemaViolation(path: path, keyword: "pattern", message: message))
            }
        case .number(let text):
            let n = Decimal(string: text)
            if let n, let min = decimal(s["minimum"]), n < min {
                out.append(SchemaViolation(path: path, keyword: "minimum", message: "must be at least \(min)"))
            }
            if let n, let max = decimal(s["maximum"]), n > max {
                out.append(SchemaViolation(path: path, keyword: "maximum", message: "must be at most \(max)"))
            }
            if let n, let min = decimal(s["exclusiveMinimum"]), n <= min {
                out.append(SchemaViolation(path: path, keyword: "exclusiveMinimum", message: "must be greater than \(min)"))
            }
            if let n, let max = decimal(s["exclusiveMaximum"]), n >= max {
                out.append(SchemaViolation(path: path, keyword: "exclusiveMaximum", message: "must be less than \(max)"))
            }
        case .array(let items):
            if let min = int(s["minItems"]), items.count < min {
                out.append(SchemaViolation(path: path, keyword: "minItems", message: min == 1 ? "must not be empty" : "needs at least \(min) items"))
            }
            if let max = int(s["maxItems"]), items.count > max {
                out.append(SchemaViolation(path: path, keyword: "maxItems", message: "has more than \(max) items"))
            }
            if let itemSchema = s["items"] {
                for (n, item) in items.enumerated() { validate(item, against: itemSchema, at: path / n, into: &out) }
            }
        case .object(let object):
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                out.append(SchemaViolation(path: path / key, keyword: "required", message: "is required"))
            }
            let properties = s["properties"]?.objectValue ?? JSONObject()
            for (key, member) in object.members {
                if let p = properties[key] {
                    validate(member, against: p, at: path / key, into: &out)
                } else if let extra = s["additionalProperties"] {
                    if case .bool(false) = extra {
                        out.append(SchemaViolation(path: path / key, keyword: "additionalProperties", message: "is not a known field"))
                    } else {
                        validate(member, against: extra, at: path / key, into: &out)
                    }
                }
            }
        case .null, .bool:
            break
        }
    }

    private func isValid(_ value: JSONValue, _ schema: JSONValue, _ path: JSONPath) -> Bool {
        var scratch: [SchemaViolation] = []
        validate(value, against: schema, at: path, into: &scratch)
        return scratch.isEmpty
    }

    private func describeForms(_ forms: [JSONValue]) -> String {
        let types = forms.compactMap { f -> String? in
            if let ref = f["$ref"]?.stringValue { return ref.split(separator: "/").last.map(String.init) }
            return f["type"]?.stringValue
        }
        return types.count == forms.count ? " (\(types.joined(separator: ", ")))" : ""
    }

    private func matchesType(_ value: JSONValue, _ type: JSONValue) -> Bool {
        let names = type.stringValue.map { [$0] } ?? (type.arrayValue ?? []).compactMap(\.stringValue)
        return names.contains { name in
            switch (name, value) {
            case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number):
                return true
            case ("integer", .number(let text)):
                return Decimal(string: text)?.isIntegral ?? false
            default:
                return false
            }
        }
    }

    private func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return Decimal(string: x) == Decimal(string: y) }
        return a == b
    }

    private func int(_ v: JSONValue?) -> Int? {
        if case .number(let t)? = v { return Int(t) }
        return nil
    }

    private func decimal(_ v: JSONValue?) -> Decimal? {
        if case .number(let t)? = v { return Decimal(string: t) }
        return nil
    }

    private func render(_ v: JSONValue) -> String {
        switch v {
        case .string, .number, .bool, .null: JSONWriter.write(v)
        case .array: "an array"
        case .object: "an object"
        }
    }
}


extension Decimal {
    fileprivate var isIntegral: Bool {
        var input = self
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .plain)
        return result == self
    }
}
