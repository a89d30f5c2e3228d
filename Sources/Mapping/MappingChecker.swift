import JSONCore

/// Load-time checks of a mapping against the schemas of both sides: every path must exist, the
/// transforms must suit the field's type, and every mandatory target field must be written.
///
/// Run before a mapping is used, so a misspelt path fails when the integrator saves the file, not
/// when the first real order is rendered.
public struct MappingChecker: Sendable {
    /// The canonical side's schema (`order.schema.json` or `status_event.schema.json`).
    public let canonicalSchema: JSONValue
    /// The message side's schema for JSON messages, when the mapping names one.
    public let targetSchema: JSONValue?

    public init(canonicalSchema: JSONValue, targetSchema: JSONValue? = nil) {
        self.canonicalSchema = canonicalSchema
        self.targetSchema = targetSchema
    }

    public func check(_ spec: MappingSpec) -> [MappingError] {
        var errors: [MappingError] = []
        var written: [[String]] = []
        // Outbound reads the canonical side; inbound writes it.
        let readSchema: JSONValue? = spec.direction == .outbound ? canonicalSchema : nil
        let writeSchema: JSONValue? = spec.direction == .outbound ? targetSchema : canonicalSchema
        var variables: [String: JSONValue?] = [:]
        if spec.records != nil { variables["record"] = JSONValue?.none }
        for name in spec.parameters + spec.inputs { variables[name] = JSONValue?.none }
        for c in spec.computed {
            walk([.field(c)], spec: spec, readSchema: readSchema, writeSchema: nil, variables: variables, base: [], written: &written, errors: &errors)
            variables[c.to.description] = JSONValue?.none
        }
        for rule in spec.checks {
            var inner = variables
            if let each = rule.each, let name = rule.variable {
                if let readSchema, case .success(let node) = resolve(each, in: readSchema, variables: variables) {
                    inner[name] = node.flatMap { items(of: $0) }
                } else {
                    if let readSchema, case .failure(let message) = resolve(each, in: readSchema, variables: variables) {
                        errors.append(MappingError(location: rule.location, field: "checks \(rule.id).each", message: message))
                    }
                    inner[name] = .some(nil)
                }
            }
            if let when = rule.when { checkCondition(when, rule: "checks \(rule.id)", location: rule.location, readSchema: readSchema, variables: inner, errors: &errors) }
            checkCondition(rule.require, rule: "checks \(rule.id)", location: rule.location, readSchema: readSchema, variables: inner, errors: &errors)
        }
        written.removeAll()
        for (name, table) in spec.tables where table.entries.isEmpty && table.fallback == nil {
            errors.append(MappingError(location: table.location, field: "tables.\(name)", message: "table is empty"))
        }
        walk(spec.rules, spec: spec, readSchema: readSchema, writeSchema: writeSchema, variables: variables, base: [], written: &written, errors: &errors)
        if let writeSchema {
            for missing in requiredFields(writeSchema, under: [], written: written) {
                errors.append(MappingError(
                    location: spec.location, field: "rules",
                    message: "mandatory target field \(missing.joined(separator: spec.direction == .outbound ? "/" : ".")) is never written"))
            }
        }
        return errors
    }

    private func walk(
        _ rules: [Rule], spec: MappingSpec, readSchema: JSONValue?, writeSchema: JSONValue?, variables: [String: JSONValue?],
        base: [String], written: inout [[String]], errors: inout [MappingError]
    ) {
        for rule in rules {
            switch rule {
            case .field(let f):
                func read(_ p: ValuePath, _ what: String) -> JSONValue? {
                    guard let readSchema else { return nil }
                    switch resolve(p, in: readSchema, variables: variables) {
                    case .success(let node): return node
                    case .failure(let message):
                        errors.append(MappingError(location: f.location, field: "\(f.field).\(what)", message: message))
                        return nil
                    }
                }
                var sourceNode: JSONValue? = nil
                switch f.source {
                case .path(let p): sourceNode = read(p, "from")
                case .sum(let p):
                    if let n = read(p, "sum"), kind(n) != "number", !isWeight(n) {
                        errors.append(MappingError(location: f.location, field: "\(f.field).sum", message: "\(p) is \(kind(n)), not a number or a weight"))
                    }
                case .sumOf(let ps): for p in ps { _ = read(p, "sum") }
                case .count(let p): _ = read(p, "count")
                case .product(let ps): for p in ps { _ = read(p, "product") }
                case .template(let parts): for case .path(let p) in parts { _ = read(p, "template") }
                case .concat(let parts, _): for case .path(let p) in parts { _ = read(p, "concat") }
                case .constant: break
                }
                if case .path(let p)? = f.fallback { _ = read(p, "default_from") }
                if let when = f.when { checkCondition(when, rule: f.field, location: f.location, readSchema: readSchema, variables: variables, errors: &errors) }
                for case .table(let t) in f.transforms where spec.tables[t] == nil {
                    errors.append(MappingError(location: f.location, field: "\(f.field).transform", message: "table \(t) is not defined (tables: \(spec.tables.keys.sorted().joined(separator: ", ")))"))
                }
                if let t = f.table, spec.tables[t] == nil {
                    errors.append(MappingError(location: f.location, field: "\(f.field).table", message: "table \(t) is not defined (tables: \(spec.tables.keys.sorted().joined(separator: ", ")))"))
                }
                if let node = sourceNode, f.table == nil {
                    let k = kind(node)
                    // Only the first transform sees the source's type; later ones see its output.
                    if let t = f.transforms.first {
                        let textual: Set<String> = ["upper", "lower", "trim", "digits_only", "truncate", "slice", "prefix", "suffix", "replace", "pad_left", "date"]
                        let numeric: Set<String> = ["decimal", "round", "multiply", "multiply_by", "divide_by"]
                        if t.name == "weight_to", !isWeight(node) {
                            errors.append(MappingError(location: f.location, field: "\(f.field).transform", message: "weight_to needs a weight {value, unit}, but \(describe(f.source)) is \(k)"))
                        } else if textual.contains(t.name), k == "object" || k == "array" {
                            errors.append(MappingError(location: f.location, field: "\(f.field).transform", message: "\(t.name) needs text, but \(describe(f.source)) is \(k)"))
                        } else if numeric.contains(t.name), k != "number", k != "unknown" {
                            errors.append(MappingError(location: f.location, field: "\(f.field).transform", message: "\(t.name) needs a number, but \(describe(f.source)) is \(k)"))
                        }
                    }
                    if f.transforms.isEmpty, (k == "object" || k == "array"), f.type != nil {
                        errors.append(MappingError(location: f.location, field: "\(f.field).type", message: "\(describe(f.source)) is \(k) and cannot be written as \(f.type!.rawValue)"))
                    }
                }
                let target = f.to.absolute ? names(f.to) : base + names(f.to)
                written.append(target)
                if let writeSchema, case .failure(let message) = resolveTarget(target, in: writeSchema) {
                    errors.append(MappingError(location: f.location, field: "\(f.field).to", message: message))
                }
            case .segment(let seg):
                for components in seg.elements {
                    walk(components.map(Rule.field), spec: spec, readSchema: readSchema, writeSchema: nil, variables: variables, base: [], written: &written, errors: &errors)
                }
                if let when = seg.when { checkCondition(when, rule: seg.field, location: seg.location, readSchema: readSchema, variables: variables, errors: &errors) }
                written.append(["segments"])
            case .each(let loop):
                var inner = variables
                if let readSchema {
                    switch resolve(loop.over, in: readSchema, variables: variables) {
                    case .success(let node):
                        // A single object is looped over once (a preference claim, when there is one).
                        if let node, !["array", "object"].contains(kind(node)) {
                            errors.append(MappingError(location: loop.location, field: "\(loop.field).each", message: "\(loop.over) is \(kind(node)), not a list"))
                        }
                        inner[loop.variable] = node.flatMap { items(of: $0) }
                    case .failure(let message):
                        errors.append(MappingError(location: loop.location, field: "\(loop.field).each", message: message))
                        inner[loop.variable] = .some(nil)
                    }
                } else {
                    inner[loop.variable] = .some(nil)
                }
                if let when = loop.when { checkCondition(when, rule: loop.field, location: loop.location, readSchema: readSchema, variables: variables, errors: &errors) }
                if let filter = loop.filter { checkCondition(filter, rule: loop.field, location: loop.location, readSchema: readSchema, variables: inner, errors: &errors, key: "where") }
                var innerBase = base
                if let to = loop.to {
                    innerBase = (to.absolute ? [] : base) + names(to) + ["[]"]
                    written.append(innerBase)
                }
                walk(loop.rules, spec: spec, readSchema: readSchema, writeSchema: writeSchema, variables: inner, base: innerBase, written: &written, errors: &errors)
            }
        }
    }

    private func checkCondition(_ c: Condition, rule: String, location: SpecLocation, readSchema: JSONValue?, variables: [String: JSONValue?], errors: inout [MappingError], key: String = "when") {
        guard let readSchema else { return }
        func check(_ p: ValuePath) {
            if case .failure(let message) = resolve(p, in: readSchema, variables: variables) {
                errors.append(MappingError(location: location, field: "\(rule).\(key)", message: message))
            }
        }
        switch c {
        case .exists(let p), .missing(let p), .equals(let p, _), .notEquals(let p, _), .oneOf(let p, _), .compare(let p, _, _), .matches(let p, _): check(p)
        case .startsWith(let a, let b), .compareTo(let a, _, let b):
            check(a)
            check(b)
        case .all(let cs), .any(let cs): for c in cs { checkCondition(c, rule: rule, location: location, readSchema: readSchema, variables: variables, errors: &errors) }
        case .not(let c): checkCondition(c, rule: rule, location: location, readSchema: readSchema, variables: variables, errors: &errors)
        }
    }

    // MARK: - Schema walking

    enum Resolution {
        /// The schema node, or nil when the path leads somewhere the schema does not describe (a variable bound to an unknown).
        case success(JSONValue?)
        case failure(String)
    }

    private func deref(_ node: JSONValue, root: JSONValue) -> JSONValue {
        var n = node
        var hops = 0
        while let ref = n["$ref"]?.stringValue, ref.hasPrefix("#"), let target = root.value(atPointer: String(ref.dropFirst())), hops < 16 {
            n = target
            hops += 1
        }
        return n
    }

    private func resolve(_ path: ValuePath, in schema: JSONValue, variables: [String: JSONValue?]) -> Resolution {
        var steps = path.steps[...]
        var node: JSONValue
        switch path.root {
        case .counter: return .success(.object(JSONObject([("type", .string("integer"))])))
        case .variable(let name):
            guard let bound = variables[name] else { return .failure("$\(name) is not a loop variable here") }
            guard let b = bound else { return .success(nil) }
            node = b
        case .auto:
            if case .key(let first)? = steps.first, let bound = variables[first] {
                guard let b = bound else { return .success(nil) }
                node = b
                steps = steps.dropFirst()
            } else {
                node = schema
            }
        }
        var walked: [String] = []
        for step in steps {
            node = deref(node, root: schema)
            switch step {
            case .key(let k):
                guard let props = node["properties"]?.objectValue else {
                    return .failure("\(path): \(walked.isEmpty ? "the document" : walked.joined(separator: ".")) has no fields")
                }
                guard let next = props[k] else {
                    let near = props.keys.min { editDistance($0, k) < editDistance($1, k) }
                    let hint = near.map { editDistance($0, k) <= 3 ? "; did you mean \($0)?" : "" } ?? ""
                    return .failure("\(path): unknown field \(k) in \(walked.isEmpty ? "the document" : walked.joined(separator: "."))\(hint)")
                }
                node = next
                walked.append(k)
            case .index, .all:
                guard let item = items(of: node) else { return .failure("\(path): \(walked.joined(separator: ".")) is not a list") }
                node = item
            case .runs, .groups:
                return .failure("\(path): [group from …] and [group by …] read inbound messages, not the canonical model")
            case .filter(let key, _):
                guard let item = items(of: node) else { return .failure("\(path): \(walked.joined(separator: ".")) is not a list") }
                if deref(item, root: schema)["properties"]?[key] == nil {
                    return .failure("\(path): elements of \(walked.joined(separator: ".")) have no field \(key) to filter on")
                }
                node = item
            }
        }
        return .success(deref(node, root: schema))
    }

    private func resolveTarget(_ names: [String], in schema: JSONValue) -> Resolution {
        var node = schema
        var walked: [String] = []
        for name in names {
            node = deref(node, root: schema)
            if name == "[]" || Int(name) != nil || name == "-" {
                guard let item = items(of: node) else {
                    if node["type"]?.stringValue == "array" { return .success(nil) }
                    return .failure("target \(walked.joined(separator: "/")) is not a list")
                }
                node = item
                continue
            }
            guard let props = node["properties"]?.objectValue else {
                if node["type"]?.stringValue == "object" || node["additionalProperties"] != nil { return .success(nil) }
                return .failure("target \(walked.joined(separator: "/")) has no fields")
            }
            guard let next = props[name] else {
                if case .bool(false)? = node["additionalProperties"] {
                    let near = props.keys.min { editDistance($0, name) < editDistance($1, name) }
                    let hint = near.map { editDistance($0, name) <= 3 ? "; did you mean \($0)?" : "" } ?? ""
                    return .failure("unknown target field \(name) in \(walked.isEmpty ? "the message" : walked.joined(separator: "/"))\(hint)")
                }
                return .success(nil)
            }
            node = next
            walked.append(name)
        }
        return .success(node)
    }

    private func items(of node: JSONValue) -> JSONValue? {
        let n = deref(node, root: canonicalSchema)
        if let i = n["items"] { return deref(i, root: canonicalSchema) }
        if let t = targetSchema, let i = deref(node, root: t)["items"] { return deref(i, root: t) }
        return nil
    }

    /// Required fields of objects the mapping writes into, that no rule writes.
    private func requiredFields(_ schema: JSONValue, under prefix: [String], written: [[String]]) -> [[String]] {
        var out: [[String]] = []
        func visit(_ node: JSONValue, _ path: [String]) {
            let n = deref(node, root: schema)
            let touched = path.isEmpty || written.contains { $0.starts(with: path) }
            guard touched else { return }
            for key in n["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let p = path + [key]
                if !written.contains(where: { $0.starts(with: p) }) { out.append(p) }
            }
            for (key, child) in n["properties"]?.objectValue?.members ?? [] {
                let c = deref(child, root: schema)
                if c["properties"] != nil { visit(c, path + [key]) }
                if let item = c["items"] { visit(item, path + [key, "[]"]) }
            }
        }
        visit(schema, prefix)
        return out
    }

    private func names(_ t: TargetPath) -> [String] {
        t.steps.map { s in
            switch s {
            case .key(let k): k
            case .index, .append: "[]"
            }
        }
    }

    private func kind(_ node: JSONValue) -> String {
        let n = deref(node, root: canonicalSchema)
        if n["anyOf"] != nil { return "number" }
        if n["properties"] != nil { return "object" }
        if n["enum"] != nil { return "string" }
        switch n["type"]?.stringValue {
        case "array": return "array"
        case "object": return "object"
        case "number", "integer": return "number"
        case "boolean": return "boolean"
        case "string": return "string"
        default: return "unknown"
        }
    }

    private func isWeight(_ node: JSONValue) -> Bool {
        let n = deref(node, root: canonicalSchema)
        let units = n["properties"]?["unit"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return n["properties"]?["value"] != nil && units.contains("kg")
    }

    private func describe(_ source: Source) -> String {
        if case .path(let p) = source { return p.description }
        return "the source"
    }
}
