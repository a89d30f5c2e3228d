import Foundation
import JSONCore

/// Turns a mapping file into a `MappingSpec`, collecting every problem with its file, line and field.
public struct MappingLoader: Sendable {
    public init() {}

    /// Parses `text` (YAML or JSON) from `file` (used only in messages). Throws all problems at once.
    public func load(_ text: String, file: String) throws(MappingErrors) -> MappingSpec {
        let (spec, errors) = loadReportingAll(text, file: file)
        guard let spec, errors.isEmpty else { throw MappingErrors(errors) }
        return spec
    }

    /// The spec as far as it could be built (what is wrong left out), with every problem found.
    /// A caller that checks the spec's paths against the schemas can then report those problems
    /// in the same pass, instead of one round per fix.
    public func loadReportingAll(_ text: String, file: String) -> (spec: MappingSpec?, errors: [MappingError]) {
        let root: SpecNode
        do { root = try SpecNode.parse(text, file: file) } catch { return (nil, [error]) }
        var ctx = Context(file: file)
        let spec = ctx.spec(root)
        return (spec, ctx.errors)
    }

    struct Context {
        let file: String
        var errors: [MappingError] = []

        mutating func fail(_ node: SpecNode, _ field: String, _ message: String) {
            errors.append(MappingError(location: node.location, field: field, message: message))
        }

        mutating func string(_ node: SpecNode?, _ field: String, in parent: SpecNode) -> String? {
            guard let node else {
                fail(parent, field, "is required")
                return nil
            }
            guard let s = node.string, !s.isEmpty else {
                fail(node, field, "must be a non-empty text")
                return nil
            }
            return s
        }

        mutating func allowOnly(_ node: SpecNode, _ keys: Set<String>, _ field: String) {
            for entry in node.entries ?? [] where !keys.contains(entry.key) {
                let near = keys.sorted().min { editDistance($0, entry.key) < editDistance($1, entry.key) }
                let hint = near.map { editDistance($0, entry.key) <= 2 ? " (did you mean \($0)?)" : "" } ?? ""
                errors.append(MappingError(
                    location: entry.keyAt, field: field.isEmpty ? entry.key : "\(field).\(entry.key)",
                    message: "unknown key\(hint); allowed: \(keys.sorted().joined(separator: ", "))"))
            }
        }

        mutating func spec(_ root: SpecNode) -> MappingSpec? {
            guard root.entries != nil else {
                fail(root, "", "a mapping file must be a map with mapping, direction, canonical, format and rules")
                return nil
            }
            allowOnly(root, ["mapping", "description", "direction", "canonical", "format", "target_schema", "records", "tables", "namespaces", "message", "computed", "parameters", "inputs", "checks", "rules"], "")
            let id = string(root["mapping"], "mapping", in: root)
            let direction = enumValue(root["direction"], "direction", in: root, MappingSpec.Direction.self)
            let canonical = enumValue(root["canonical"], "canonical", in: root, MappingSpec.Canonical.self)
            let format = enumValue(root["format"], "format", in: root, MappingSpec.Format.self)
            var records: ValuePath? = nil
            if let r = root["records"] {
                records = path(r, "records")
                if direction == .outbound { fail(r, "records", "only inbound mappings read records from a message") }
            }
            var tables: [String: CodeTable] = [:]
            if let t = root["tables"] {
                if let entries = t.entries {
                    for entry in entries { tables[entry.key] = table(entry.value, name: entry.key) }
                } else {
                    fail(t, "tables", "must be a map of table name to entries")
                }
            }
            var namespaces: [(prefix: String, uri: String)] = []
            if let n = root["namespaces"] {
                for e in n.entries ?? [] {
                    guard let uri = e.value.string, !uri.isEmpty else {
                        fail(e.value, "namespaces.\(e.key)", "must be a namespace URI")
                        continue
                    }
                    namespaces.append((e.key == "_" ? "" : e.key, uri))
                }
                if n.entries == nil { fail(n, "namespaces", "must be a map of prefix to URI (use _ for the default namespace)") }
                if format != .xml { fail(n, "namespaces", "applies to xml mappings only") }
            }
            var message: MessageIdentifier? = nil
            if let m = root["message"] {
                allowOnly(m, ["type", "version", "release", "agency", "association"], "message")
                if let t = string(m["type"], "message.type", in: m), let v = string(m["version"], "message.version", in: m),
                    let r = string(m["release"], "message.release", in: m)
                {
                    message = MessageIdentifier(type: t, version: v, release: r, agency: m["agency"]?.string ?? "UN", association: m["association"]?.string)
                }
                if format != .edifact { fail(m, "message", "applies to edifact mappings only") }
            }
            var computed: [FieldRule] = []
            if let c = root["computed"] {
                for e in c.entries ?? [] {
                    guard e.key.first?.isLetter == true, e.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                        errors.append(MappingError(location: e.keyAt, field: "computed.\(e.key)", message: "a computed name is letters, digits and _"))
                        continue
                    }
                    guard case .map(var entries, let at) = e.value else {
                        fail(e.value, "computed.\(e.key)", "must be a value rule such as {sum: lines[].line_value.amount}")
                        continue
                    }
                    entries.append((key: "to", value: .scalar(e.key, plain: true, at: at), keyAt: at))
                    if case .field(let f)? = rule(.map(entries, at: at), "computed.\(e.key)") { computed.append(f) }
                }
                if c.entries == nil { fail(c, "computed", "must be a map of name to value rule") }
            }
            let parameters = names(root["parameters"], "parameters")
            let inputs = names(root["inputs"], "inputs")
            var checks: [BusinessRule] = []
            if let c = root["checks"] {
                for (i, item) in (c.list ?? []).enumerated() {
                    if let rule = businessRule(item, "checks[\(i)]") { checks.append(rule) }
                }
                if c.list == nil { fail(c, "checks", "must be a list of {id, field, require, message}") }
                if direction == .inbound { fail(c, "checks", "only outbound mappings check an order before rendering") }
            }
            var rules: [Rule] = []
            if let r = root["rules"] {
                rules = ruleList(r, "rules")
            } else {
                fail(root, "rules", "is required")
            }
            guard let id, let direction, let canonical, let format else { return nil }
            return MappingSpec(
                id: id, description: root["description"]?.string, direction: direction, canonical: canonical, format: format,
                targetSchema: root["target_schema"]?.string, records: records, tables: tables, namespaces: namespaces, message: message, computed: computed, parameters: parameters, inputs: inputs, checks: checks,
                rules: rules, location: root.location)
        }

        mutating func names(_ node: SpecNode?, _ field: String) -> [String] {
            guard let node else { return [] }
            var out: [String] = []
            for item in node.list ?? [] {
                if let name = item.string, name.first?.isLetter == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    out.append(name)
                } else {
                    fail(item, field, "a name is letters, digits and _")
                }
            }
            if node.list == nil { fail(node, field, "must be a list of names") }
            return out
        }

        mutating func businessRule(_ node: SpecNode, _ field: String) -> BusinessRule? {
            guard node.entries != nil else {
                fail(node, field, "a check is a map with id, field, require and message")
                return nil
            }
            allowOnly(node, ["id", "field", "message", "each", "as", "when", "require", "note"], field)
            let id = string(node["id"], "\(field).id", in: node)
            let target = string(node["field"], "\(field).field", in: node)
            let message = string(node["message"], "\(field).message", in: node)
            let each = node["each"].flatMap { path($0, "\(field).each") }
            let variable = node["as"].flatMap { string($0, "\(field).as", in: node) }
            if (each == nil) != (variable == nil) { fail(node, field, "each and as go together") }
            let when = node["when"].flatMap { condition($0, "\(field).when") }
            guard let requireNode = node["require"] else {
                fail(node, "\(field).require", "is required: the condition the order must meet")
                return nil
            }
            let require = condition(requireNode, "\(field).require")
            guard let id, let target, let message, let require else { return nil }
            return BusinessRule(id: id, field: target, message: message, each: each, variable: variable, when: when, require: require, location: node.location)
        }

        mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: SpecNode?, _ field: String, in parent: SpecNode, _: E.Type) -> E?
        where E.RawValue == String {
            guard let s = string(node, field, in: parent) else { return nil }
            guard let v = E(rawValue: s) else {
                fail(node!, field, "\"\(s)\" is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return v
        }

        mutating func table(_ node: SpecNode, name: String) -> CodeTable? {
            guard let entries = node.entries else {
                fail(node, "tables.\(name)", "must be a map of code → code")
                return nil
            }
            var fallback: JSONValue? = nil
            var out: [(String, JSONValue)] = []
            for e in entries {
                if e.key == "_default" {
                    fallback = e.value.jsonValue
                } else {
                    out.append((e.key, e.value.jsonValue))
                }
            }
            return CodeTable(name: name, entries: out.map { (key: $0.0, value: $0.1) }, fallback: fallback, location: node.location)
        }

        mutating func path(_ node: SpecNode, _ field: String) -> ValuePath? {
            guard let s = node.string else {
                fail(node, field, "must be a path")
                return nil
            }
            do { return try ValuePath(s) } catch {
                fail(node, field, error.description)
                return nil
            }
        }

        mutating func ruleList(_ node: SpecNode, _ field: String) -> [Rule] {
            guard let items = node.list else {
                fail(node, field, "must be a list of rules")
                return []
            }
            return items.enumerated().compactMap { i, item in rule(item, "\(field)[\(i)]") }
        }

        static let fieldKeys: Set<String> = ["to", "from", "value", "template", "sum", "product", "count", "concat", "separator", "table", "transform", "type", "default", "default_from", "when", "required", "identifier", "note"]
        static let loopKeys: Set<String> = ["each", "as", "to", "when", "where", "rules", "note"]

        mutating func rule(_ node: SpecNode, _ field: String) -> Rule? {
            guard node.entries != nil else {
                fail(node, field, "a rule must be a map (with to/from, or each/as/rules, or segment/elements)")
                return nil
            }
            if let tagNode = node["segment"] {
                allowOnly(node, ["segment", "elements", "when", "note"], field)
                guard let tag = tagNode.string, tag.count == 3, tag.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                    fail(tagNode, "\(field).segment", "must be a 3-character segment tag such as NAD")
                    return nil
                }
                var elements: [[FieldRule]] = []
                for (e, element) in (node["elements"]?.list ?? []).enumerated() {
                    let items = element.list ?? [element]
                    var components: [FieldRule] = []
                    for (c, item) in items.enumerated() {
                        if let v = component(item, "\(field).elements[\(e)]" + (element.list == nil ? "" : "[\(c)]")) { components.append(v) }
                    }
                    elements.append(components)
                }
                if node["elements"]?.list == nil { fail(node, "\(field).elements", "is required: a list of elements") }
                let when = node["when"].flatMap { condition($0, "\(field).when") }
                return .segment(SegmentRule(tag: tag, elements: elements, when: when, field: field, location: node.location))
            }
            if let over = node["each"] {
                allowOnly(node, Self.loopKeys, field)
                let p = path(over, "\(field).each")
                let variable = string(node["as"], "\(field).as", in: node)
                if let v = variable, !(v.first?.isLetter ?? false) || !v.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    fail(node["as"]!, "\(field).as", "a variable name is letters, digits and _")
                }
                let to = node["to"].flatMap { target($0, "\(field).to") }
                let when = node["when"].flatMap { condition($0, "\(field).when") }
                let filter = node["where"].flatMap { condition($0, "\(field).where") }
                let rules = node["rules"].map { ruleList($0, "\(field).rules") } ?? []
                if node["rules"] == nil { fail(node, "\(field).rules", "is required in a loop") }
                guard let p, let variable else { return nil }
                return .each(LoopRule(over: p, variable: variable, to: to, when: when, filter: filter, rules: rules, field: field, location: node.location))
            }
            allowOnly(node, Self.fieldKeys, field)
            guard let toNode = node["to"] else {
                fail(node, "\(field).to", "is required")
                return nil
            }
            let to = target(toNode, "\(field).to")
            let sources = ["from", "value", "template", "sum", "product", "count", "concat"].filter { node[$0] != nil }
            if sources.count != 1 {
                fail(node, field, sources.isEmpty ? "needs one of from, value, template, sum, product, count, concat" : "has more than one source: \(sources.joined(separator: ", "))")
            }
            let source = sources.first.flatMap { self.source(node, key: $0, field) }
            var fallback: Source? = nil
            if let d = node["default"] { fallback = .constant(d.jsonValue) }
            if let d = node["default_from"] {
                if fallback != nil { fail(d, "\(field).default_from", "give default or default_from, not both") }
                fallback = path(d, "\(field).default_from").map(Source.path)
            }
            var transforms: [Transform] = []
            if let t = node["transform"] {
                let list = t.list ?? [t]
                for (i, item) in list.enumerated() {
                    if let tr = transform(item, "\(field).transform[\(i)]") { transforms.append(tr) }
                }
            }
            var type: ValueType? = nil
            if let t = node["type"] {
                if let s = t.string, let v = ValueType(rawValue: s) {
                    type = v
                } else {
                    fail(t, "\(field).type", "must be one of \(ValueType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            var required = false
            if let r = node["required"] {
                if case .bool(let b) = r.jsonValue { required = b } else { fail(r, "\(field).required", "must be true or false") }
            }
            var identifier = false
            if let r = node["identifier"] {
                if case .bool(let b) = r.jsonValue { identifier = b } else { fail(r, "\(field).identifier", "must be true or false") }
                // The mark guards a cut; on a rule that cuts nothing it would promise a check that never runs.
                if identifier, !transforms.contains(where: { if case .truncate = $0 { true } else { false } }) {
                    fail(r, "\(field).identifier", "marks a value that a truncate transform must not cut, but this rule has no truncate")
                }
            }
            let when = node["when"].flatMap { condition($0, "\(field).when") }
            guard let to, let source else { return nil }
            return .field(FieldRule(
                to: to, source: source, table: node["table"]?.string, transforms: transforms, type: type, fallback: fallback, when: when,
                required: required, identifier: identifier, field: field, location: node.location))
        }

        /// A segment component: a plain scalar is a constant, a map is a value rule without `to`.
        mutating func component(_ node: SpecNode, _ field: String) -> FieldRule? {
            // The placeholder target is never written: segments place their components themselves.
            let placeholder = try! TargetPath("_")
            if case .scalar = node {
                return FieldRule(to: placeholder, source: .constant(node.jsonValue), table: nil, transforms: [], type: nil, fallback: nil, when: nil, required: false, field: field, location: node.location)
            }
            guard case .map(var entries, let at) = node else {
                fail(node, field, "a component is a constant or a map such as {from: path}")
                return nil
            }
            entries.append((key: "to", value: .scalar("_", plain: true, at: at), keyAt: at))
            guard case .field(let f)? = rule(.map(entries, at: at), field) else { return nil }
            return f
        }

        mutating func target(_ node: SpecNode, _ field: String) -> TargetPath? {
            guard let s = node.string else {
                fail(node, field, "must be a path")
                return nil
            }
            do { return try TargetPath(s) } catch {
                fail(node, field, error.description)
                return nil
            }
        }

        mutating func source(_ node: SpecNode, key: String, _ field: String) -> Source? {
            guard let value = node[key] else { return nil }
            switch key {
            case "from": return path(value, "\(field).from").map(Source.path)
            case "value": return .constant(value.jsonValue)
            case "sum":
                if let items = value.list {
                    let paths = items.enumerated().compactMap { path($1, "\(field).sum[\($0)]") }
                    return paths.count == items.count ? .sumOf(paths) : nil
                }
                return path(value, "\(field).sum").map(Source.sum)
            case "product":
                guard let items = value.list, items.count >= 2 else {
                    fail(value, "\(field).product", "must be a list of at least two paths")
                    return nil
                }
                let paths = items.enumerated().compactMap { path($1, "\(field).product[\($0)]") }
                return paths.count == items.count ? .product(paths) : nil
            case "count": return path(value, "\(field).count").map(Source.count)
            case "template":
                guard let s = value.string else {
                    fail(value, "\(field).template", "must be text")
                    return nil
                }
                return template(s, value, "\(field).template")
            case "concat":
                guard let items = value.list else {
                    fail(value, "\(field).concat", "must be a list of paths or {value: …}")
                    return nil
                }
                var parts: [Source] = []
                for (i, item) in items.enumerated() {
                    if let v = item["value"] {
                        parts.append(.constant(v.jsonValue))
                    } else if let p = path(item, "\(field).concat[\(i)]") {
                        parts.append(.path(p))
                    }
                }
                return .concat(parts, separator: node["separator"]?.string ?? " ")
            default: return nil
            }
        }

        mutating func template(_ text: String, _ node: SpecNode, _ field: String) -> Source? {
            var parts: [TemplatePart] = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
                guard let close = rest[open...].firstIndex(of: "}") else {
                    fail(node, field, "unclosed { in template")
                    return nil
                }
                let inner = String(rest[rest.index(after: open)..<close])
                do { parts.append(.path(try ValuePath(inner))) } catch {
                    fail(node, field, error.description)
                    return nil
                }
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(.text(String(rest))) }
            return .template(parts)
        }

        mutating func transform(_ node: SpecNode, _ field: String) -> Transform? {
            if let name = node.string {
                switch name {
                case "upper": return .upper
                case "lower": return .lower
                case "trim": return .trim
                case "digits_only": return .digitsOnly
                default:
                    fail(node, field, "unknown transform \"\(name)\"; without an argument: upper, lower, trim, digits_only")
                    return nil
                }
            }
            guard let entries = node.entries, entries.count == 1, let (name, arg, _) = entries.first.map({ ($0.key, $0.value, $0.keyAt) }) else {
                fail(node, field, "a transform is a name or a one-key map like {truncate: 35}")
                return nil
            }
            // Every numeric argument has a range checked here, at load: `pad_left: [1000000000, "x"]`
            // or `decimal: {places: 1000000000}` would otherwise pass the check and make `render`
            // build a gigabyte string.
            func int(_ n: SpecNode, max: Int = TransformLimits.maxLength) -> Int? {
                guard let s = n.string, let v = Int(s), v >= 0 else {
                    fail(n, "\(field).\(name)", "must be a whole number")
                    return nil
                }
                guard v <= max else {
                    fail(n, "\(field).\(name)", "\(v) is out of range: at most \(max)")
                    return nil
                }
                return v
            }
            switch name {
            case "truncate": return int(arg).map(Transform.truncate)
            case "round": return int(arg, max: TransformLimits.maxPlaces).map(Transform.round)
            case "date":
                let allowed = Set("yMdHhmsTZ")
                func pattern(_ n: SpecNode?, _ f: String) -> String? {
                    guard let p = n?.string, !p.isEmpty else {
                        fail(n ?? arg, f, "must be a pattern such as yyyyMMdd")
                        return nil
                    }
                    if p.contains(where: { $0.isLetter && !allowed.contains($0) }) {
                        fail(n ?? arg, f, "pattern letters are y M d H m s (T and Z are literal); add other text with prefix/suffix")
                        return nil
                    }
                    return p
                }
                if arg.entries != nil {
                    guard let to = pattern(arg["to"], "\(field).date.to") else { return nil }
                    let from = arg["from"].flatMap { pattern($0, "\(field).date.from") }
                    return .date(to, from: from)
                }
                return pattern(arg, "\(field).date").map { .date($0, from: nil) }
            case "decimal":
                let places = arg["places"].flatMap { int($0, max: TransformLimits.maxPlaces) }
                let mark = arg["mark"]?.string ?? "."
                let currency = arg["currency"].flatMap { path($0, "\(field).decimal.currency") }
                if arg.entries == nil { fail(arg, "\(field).decimal", "must be a map like {places: 2, mark: \",\"} or {currency: path}") }
                return .decimal(places: places, mark: mark, currency: currency)
            case "weight_to":
                guard let u = arg.string, ["kg", "g", "lb", "oz"].contains(u) else {
                    fail(arg, "\(field).weight_to", "must be kg, g, lb or oz")
                    return nil
                }
                return .weightTo(u)
            case "multiply":
                guard let s = arg.string, let d = ExactDecimal.parse(s) else {
                    fail(arg, "\(field).multiply", "must be a number")
                    return nil
                }
                return .multiply(d)
            case "slice":
                guard let l = arg.list, l.count == 2, let a = int(l[0]), let b = int(l[1]) else {
                    fail(arg, "\(field).slice", "must be [start, length]")
                    return nil
                }
                return .slice(start: a, length: b)
            case "table":
                guard let name = arg.string, !name.isEmpty else {
                    fail(arg, "\(field).table", "must name one of the mapping's tables")
                    return nil
                }
                return .table(name)
            case "multiply_by": return path(arg, "\(field).multiply_by").map(Transform.multiplyBy)
            case "divide_by": return path(arg, "\(field).divide_by").map(Transform.divideBy)
            case "prefix": return arg.string.map(Transform.prefix)
            case "suffix": return arg.string.map(Transform.suffix)
            case "replace":
                guard let l = arg.list, l.count == 2, let a = l[0].string, let b = l[1].string else {
                    fail(arg, "\(field).replace", "must be [from, to]")
                    return nil
                }
                return .replace(a, b)
            case "pad_left":
                guard let l = arg.list, l.count == 2, let w = int(l[0]), let c = l[1].string, c.count == 1 else {
                    fail(arg, "\(field).pad_left", "must be [width, character]")
                    return nil
                }
                return .padLeft(w, c)
            default:
                fail(node, field, "unknown transform \"\(name)\"")
                return nil
            }
        }

        mutating func condition(_ node: SpecNode, _ field: String) -> Condition? {
            guard let entries = node.entries, entries.count == 1, let entry = entries.first else {
                fail(node, field, "a condition is a one-key map: exists, missing, equals, not_equals, in, at_most, at_least, less_than, greater_than, all, any, not")
                return nil
            }
            let arg = entry.value
            switch entry.key {
            case "exists": return path(arg, "\(field).exists").map(Condition.exists)
            case "missing": return path(arg, "\(field).missing").map(Condition.missing)
            case "equals", "not_equals", "in":
                guard let l = arg.list, l.count == 2, let p = path(l[0], "\(field).\(entry.key)[0]") else {
                    fail(arg, "\(field).\(entry.key)", "must be [path, value]")
                    return nil
                }
                if entry.key == "in" {
                    guard let values = l[1].list else {
                        fail(l[1], "\(field).in[1]", "must be a list of values")
                        return nil
                    }
                    return .oneOf(p, values.map(\.jsonValue))
                }
                return entry.key == "equals" ? .equals(p, l[1].jsonValue) : .notEquals(p, l[1].jsonValue)
            case "matches":
                guard let l = arg.list, l.count == 2, let p = path(l[0], "\(field).matches[0]"), let source = l[1].string else {
                    fail(arg, "\(field).matches", "must be [path, regular expression]")
                    return nil
                }
                do { return .matches(p, try PatternBox(source)) } catch {
                    fail(l[1], "\(field).matches[1]", "not a valid regular expression")
                    return nil
                }
            case "starts_with":
                guard let l = arg.list, l.count == 2, let a = path(l[0], "\(field).starts_with[0]"), let b = path(l[1], "\(field).starts_with[1]") else {
                    fail(arg, "\(field).starts_with", "must be [path, path]")
                    return nil
                }
                return .startsWith(a, b)
            case "at_most", "at_least", "less_than", "greater_than":
                guard let l = arg.list, l.count == 2, let p = path(l[0], "\(field).\(entry.key)[0]"), let bound = l[1].string else {
                    fail(arg, "\(field).\(entry.key)", "must be [path, number] or [path, $variable]")
                    return nil
                }
                if let n = ExactDecimal.parse(bound), bound.first != "$" {
                    return .compare(p, Comparison(rawValue: entry.key)!, n)
                }
                guard bound.hasPrefix("$"), let other = path(l[1], "\(field).\(entry.key)[1]") else {
                    fail(arg, "\(field).\(entry.key)", "must be [path, number] or [path, $variable]")
                    return nil
                }
                return .compareTo(p, Comparison(rawValue: entry.key)!, other)
            case "all", "any":
                guard let l = arg.list else {
                    fail(arg, "\(field).\(entry.key)", "must be a list of conditions")
                    return nil
                }
                let parts = l.enumerated().compactMap { condition($1, "\(field).\(entry.key)[\($0)]") }
                return entry.key == "all" ? .all(parts) : .any(parts)
            case "not": return condition(arg, "\(field).not").map(Condition.not)
            default:
                fail(node, field, "unknown condition \"\(entry.key)\"")
                return nil
            }
        }
    }
}

/// The ranges of transform arguments, checked at load.
public enum TransformLimits {
    /// Widths, lengths and offsets (`truncate`, `slice`, `pad_left`): no customs field is longer.
    public static let maxLength = 10_000
    /// Decimal places (`decimal`, `round`): `Decimal` holds 38 significant digits.
    public static let maxPlaces = 38
}

/// Every problem found in one file.
public struct MappingErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [MappingError]
    public init(_ errors: [MappingError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys and paths.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
