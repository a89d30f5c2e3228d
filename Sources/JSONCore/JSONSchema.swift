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
    /// The schema compiled once at load into nodes (`nodes[0]` is the root): each keyword read,
    /// pattern compiled, bound parsed and `$ref` resolved in advance. Reading the keywords out of
    /// the schema's JSON on every node of every document (a dozen key searches per node) was most
    /// of the cost of validating an order.
    private let nodes: [Node]

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
        var compiler = Compiler(patterns: patterns, references: references)
        _ = compiler.compile(schema)
        nodes = compiler.nodes
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
        var path = JSONPath.root
        validate(document, against: 0, at: &path, into: &out)
        return out
    }

    /// One schema, its keywords read out once. A schema that is neither an object nor a boolean
    /// checks nothing (`check` refuses those at load anyway). Written only by `Compiler` while the
    /// schema loads, read-only after (hence `@unchecked Sendable`).
    final class Node: @unchecked Sendable {
        enum Kind { case allow, deny, object, inert }
        var kind: Kind = .inert
        /// `$ref`'s target.
        var ref: Int?
        var typeNames: [String]?
        var typeExpected = ""
        var enumOptions: [JSONValue]?
        var constValue: JSONValue?
        var allOf: [Int] = []
        var anyOf: [Int]?
        var anyOfForms = ""
        var oneOf: [Int]?
        var oneOfForms = ""
        var minLength: Int?
        var maxLength: Int?
        var pattern: PatternCheck?
        var minimum: Decimal?
        var maximum: Decimal?
        var exclusiveMinimum: Decimal?
        var exclusiveMaximum: Decimal?
        var minItems: Int?
        var maxItems: Int?
        var items: Int?
        var required: [String] = []
        var properties: [String: Int] = [:]
        var additional: Int?
        /// Whether any number bound is set (the number is parsed only then).
        var hasNumberBounds: Bool { minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil }
    }

    /// A `pattern` with the schema's `description` (the message when it fails), in a class so that
    /// reading it per string is one retain, not a copy of the compiled pattern's parts.
    final class PatternCheck: @unchecked Sendable {
        let source: String
        let compiled: CompiledPattern
        let description: String?
        init(source: String, compiled: CompiledPattern, description: String?) {
            self.source = source
            self.compiled = compiled
            self.description = description
        }
    }

    /// Builds the nodes: every subschema once, each `$ref` target once (by reference, so a
    /// recursive schema ends).
    private struct Compiler {
        let patterns: [String: CompiledPattern]
        let references: [String: JSONValue]
        var nodes: [Node] = []
        var byReference: [String: Int] = [:]

        mutating func compile(_ schema: JSONValue) -> Int {
            let id = nodes.count
            let node = Node()
            nodes.append(node)
            if case .bool(let allowed) = schema {
                node.kind = allowed ? .allow : .deny
                return id
            }
            guard let s = schema.objectValue else { return id }
            node.kind = .object
            if let ref = s["$ref"]?.stringValue, let target = references[ref] {
                if let known = byReference[ref] { node.ref = known } else {
                    let placeholder = nodes.count
                    byReference[ref] = placeholder
                    node.ref = compile(target)
                }
            }
            if let type = s["type"] {
                node.typeNames = type.stringValue.map { [$0] } ?? (type.arrayValue ?? []).compactMap(\.stringValue)
                node.typeExpected = type.stringValue ?? (type.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " or ")
            }
            node.enumOptions = s["enum"]?.arrayValue
            node.constValue = s["const"]
            node.allOf = (s["allOf"]?.arrayValue ?? []).map { compile($0) }
            if let any = s["anyOf"]?.arrayValue {
                node.anyOf = any.map { compile($0) }
                node.anyOfForms = JSONSchema.describeForms(any)
            }
            if let one = s["oneOf"]?.arrayValue {
                node.oneOf = one.map { compile($0) }
                node.oneOfForms = JSONSchema.describeForms(one)
            }
            node.minLength = JSONSchema.int(s["minLength"])
            node.maxLength = JSONSchema.int(s["maxLength"])
            if let p = s["pattern"]?.stringValue, let compiled = patterns[p] {
                node.pattern = PatternCheck(source: p, compiled: compiled, description: s["description"]?.stringValue)
            }
            node.minimum = JSONSchema.decimal(s["minimum"])
            node.maximum = JSONSchema.decimal(s["maximum"])
            node.exclusiveMinimum = JSONSchema.decimal(s["exclusiveMinimum"])
            node.exclusiveMaximum = JSONSchema.decimal(s["exclusiveMaximum"])
            node.minItems = JSONSchema.int(s["minItems"])
            node.maxItems = JSONSchema.int(s["maxItems"])
            if let items = s["items"] { node.items = compile(items) }
            node.required = s["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            // The parser refuses duplicate keys, so each property is one entry.
            for (key, sub) in s["properties"]?.objectValue?.members ?? [] where node.properties[key] == nil {
                node.properties[key] = compile(sub)
            }
            if let extra = s["additionalProperties"] { node.additional = compile(extra) }
            return id
        }
    }

    /// `path` is the value's place, appended to and restored around each member and item (a
    /// violation copies it).
    private func validate(_ value: JSONValue, against id: Int, at path: inout JSONPath, into out: inout [SchemaViolation]) {
        let n = nodes[id]
        switch n.kind {
        case .allow, .inert: return
        case .deny:
            out.append(SchemaViolation(path: path, keyword: "false", message: "is not allowed here"))
            return
        case .object: break
        }
        if let ref = n.ref {
            validate(value, against: ref, at: &path, into: &out)
        }
        if let names = n.typeNames, !matchesType(value, names) {
            out.append(SchemaViolation(path: path, keyword: "type", message: "expected \(n.typeExpected), found \(value.typeName)"))
            return
        }
        if let options = n.enumOptions, !options.contains(where: { equal($0, value) }) {
            let shown = options.prefix(12).map(render).joined(separator: ", ")
            out.append(SchemaViolation(path: path, keyword: "enum", message: "\(render(value)) is not one of \(shown)\(options.count > 12 ? ", …" : "")"))
        }
        if let c = n.constValue, !equal(c, value) {
            out.append(SchemaViolation(path: path, keyword: "const", message: "must be \(render(c))"))
        }
        for sub in n.allOf { validate(value, against: sub, at: &path, into: &out) }
        if let any = n.anyOf, !any.contains(where: { isValid(value, $0, path) }) {
            out.append(SchemaViolation(path: path, keyword: "anyOf", message: "does not match any allowed form\(n.anyOfForms)"))
        }
        if let one = n.oneOf {
            let count = one.filter { isValid(value, $0, path) }.count
            if count != 1 {
                out.append(SchemaViolation(path: path, keyword: "oneOf", message: count == 0 ? "does not match any allowed form\(n.oneOfForms)" : "matches \(count) forms where exactly one is allowed"))
            }
        }
        switch value {
        case .string(let str):
            if n.minLength != nil || n.maxLength != nil {
                let length = str.count
                if let min = n.minLength, length < min {
                    out.append(SchemaViolation(path: path, keyword: "minLength", message: min == 1 ? "must not be empty" : "is shorter than \(min) characters"))
                }
                if let max = n.maxLength, length > max {
                    out.append(SchemaViolation(path: path, keyword: "maxLength", message: "is longer than \(max) characters"))
                }
            }
            if let check = n.pattern, !check.compiled.matches(str) {
                let message = check.description.map { "\(render(value)) is not valid: \($0)" } ?? "\(render(value)) does not match the pattern \(check.source)"
                out.append(SchemaViolation(path: path, keyword: "pattern", message: message))
            }
        case .number(let text):
            if n.hasNumberBounds, let number = Decimal(string: text) {
                if let min = n.minimum, number < min {
                    out.append(SchemaViolation(path: path, keyword: "minimum", message: "must be at least \(min)"))
                }
                if let max = n.maximum, number > max {
                    out.append(SchemaViolation(path: path, keyword: "maximum", message: "must be at most \(max)"))
                }
                if let min = n.exclusiveMinimum, number <= min {
                    out.append(SchemaViolation(path: path, keyword: "exclusiveMinimum", message: "must be greater than \(min)"))
                }
                if let max = n.exclusiveMaximum, number >= max {
                    out.append(SchemaViolation(path: path, keyword: "exclusiveMaximum", message: "must be less than \(max)"))
                }
            }
        case .array(let items):
            if let min = n.minItems, items.count < min {
                out.append(SchemaViolation(path: path, keyword: "minItems", message: min == 1 ? "must not be empty" : "needs at least \(min) items"))
            }
            if let max = n.maxItems, items.count > max {
                out.append(SchemaViolation(path: path, keyword: "maxItems", message: "has more than \(max) items"))
            }
            if let itemSchema = n.items {
                for (k, item) in items.enumerated() {
                    path.components.append(.index(k))
                    validate(item, against: itemSchema, at: &path, into: &out)
                    path.components.removeLast()
                }
            }
        case .object(let object):
            for key in n.required where object[key] == nil {
                out.append(SchemaViolation(path: path / key, keyword: "required", message: "is required"))
            }
            for (key, member) in object.members {
                if let p = n.properties[key] {
                    path.components.append(.key(key))
                    validate(member, against: p, at: &path, into: &out)
                    path.components.removeLast()
                } else if let extra = n.additional {
                    if nodes[extra].kind == .deny {
                        out.append(SchemaViolation(path: path / key, keyword: "additionalProperties", message: "is not a known field"))
                    } else {
                        path.components.append(.key(key))
                        validate(member, against: extra, at: &path, into: &out)
                        path.components.removeLast()
                    }
                }
            }
        case .null, .bool:
            break
        }
    }

    private func isValid(_ value: JSONValue, _ id: Int, _ path: JSONPath) -> Bool {
        var scratch: [SchemaViolation] = []
        var path = path
        validate(value, against: id, at: &path, into: &scratch)
        return scratch.isEmpty
    }

    private static func describeForms(_ forms: [JSONValue]) -> String {
        let types = forms.compactMap { f -> String? in
            if let ref = f["$ref"]?.stringValue { return ref.split(separator: "/").last.map(String.init) }
            return f["type"]?.stringValue
        }
        return types.count == forms.count ? " (\(types.joined(separator: ", ")))" : ""
    }

    private func matchesType(_ value: JSONValue, _ names: [String]) -> Bool {
        names.contains { name in
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

    private static func int(_ v: JSONValue?) -> Int? {
        if case .number(let t)? = v { return Int(t) }
        return nil
    }

    private static func decimal(_ v: JSONValue?) -> Decimal? {
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
