import CustomsModel
import Foundation
import JSONCore

/// Something the mapping did that a person should know about, such as text cut to fit a field.
public struct MappingNote: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var rule: String

    public var description: String { "\(path): \(message) (\(rule))" }
}

/// A rule that could not produce its value, named by rule and location.
public struct MappingRunError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SpecLocation
    public var field: String
    public var path: String
    public var message: String
    /// Where in the incoming document the value was read (the rule's source path, and the record
    /// it belongs to), so that a partner can find the bad field in their own message.
    public var source: String?

    public init(location: SpecLocation, field: String, path: String, message: String, source: String? = nil) {
        self.location = location
        self.field = field
        self.path = path
        self.message = message
        self.source = source
    }

    public var description: String { "\(location): \(field): \(path): \(message)\(source.map { " (read from \($0))" } ?? "")" }
}

/// The documents a mapping produced and what it had to say about them.
public struct MappingOutput: Sendable {
    /// One message (outbound) or one canonical record per inbound record.
    public var documents: [JSONValue]
    public var notes: [MappingNote]
    /// Business rules the input broke; when there are any, no document is written.
    public var violations: [RuleViolation] = []
}

/// Runs a mapping over a JSON tree. Pure: values in, values out.
///
/// Both directions work on JSON trees: the canonical order or status event as its canonical JSON,
/// and JSON messages as they are. XML and EDIFACT messages are built from the same output tree by
/// their writers, so one engine serves every format.
public struct MappingEngine: Sendable {
    public let spec: MappingSpec

    public init(spec: MappingSpec) { self.spec = spec }

    /// `parameters` are the adapter's deployment values for the names the mapping declares.
    public func run(_ input: JSONValue, parameters: [String: String] = [:]) throws(MappingRunError) -> MappingOutput {
        var notes: [MappingNote] = []
        var documents: [JSONValue] = []
        var base = Scope(root: input, variables: parameters.mapValues(JSONValue.string), index: nil)
        for name in spec.parameters where parameters[name] == nil {
            throw MappingRunError(location: spec.location, field: "parameters", path: "$\(name)", message: "the adapter does not supply parameter \(name)")
        }
        for c in spec.computed {
            if let when = c.when, !base.holds(when) { continue }
            if let v = try produce(c, scope: base, path: .variable(c.to.description), notes: &notes) { base.variables[c.to.description] = v }
        }
        let violations = check(scope: base)
        if !violations.isEmpty { return MappingOutput(documents: [], notes: notes, violations: violations) }
        if let records = spec.records {
            let scope = base
            for (i, record) in scope.elements(records).enumerated() {
                var recordScope = scope
                recordScope.variables["record"] = record
                recordScope.index = i
                var doc = JSONValue.object(JSONObject())
                do { try apply(spec.rules, scope: recordScope, base: [], into: &doc, notes: &notes) } catch {
                    var e = error
                    e.source = "record \(i + 1)" + (e.source.map { ", \($0)" } ?? "")
                    throw e
                }
                documents.append(doc)
            }
        } else {
            var doc = JSONValue.object(JSONObject())
            try apply(spec.rules, scope: base, base: [], into: &doc, notes: &notes)
            documents.append(doc)
        }
        return MappingOutput(documents: documents, notes: notes)
    }

    /// Every business rule the input breaks, in the order the mapping lists them.
    private func check(scope: Scope) -> [RuleViolation] {
        var out: [RuleViolation] = []
        for rule in spec.checks {
            if let each = rule.each, let name = rule.variable {
                for (i, item) in scope.elements(each).enumerated() {
                    var inner = scope
                    inner.variables[name] = item
                    inner.index = i
                    if let when = rule.when, !inner.holds(when) { continue }
                    if !inner.holds(rule.require) {
                        let field = rule.field.replacingOccurrences(of: "[]", with: "[\(i)]")
                        out.append(RuleViolation(rule: rule.id, field: field, message: rule.message))
                    }
                }
            } else {
                if let when = rule.when, !scope.holds(when) { continue }
                if !scope.holds(rule.require) { out.append(RuleViolation(rule: rule.id, field: rule.field, message: rule.message)) }
            }
        }
        return out
    }

    // MARK: - Rules

    /// `prefix` is where `doc` sits in the message (empty for the message itself): a loop element
    /// is built on its own (see `writesBelow`) and named in errors and notes by its full path.
    private func apply(
        _ rules: [Rule], scope: Scope, base: [TargetPath.Step], prefix: [TargetPath.Step] = [], into doc: inout JSONValue, notes: inout [MappingNote]
    ) throws(MappingRunError) {
        for rule in rules {
            switch rule {
            case .field(let f):
                if let when = f.when, !scope.holds(when) { continue }
                let target = f.to.absolute ? f.to.steps : base.isEmpty ? f.to.steps : base + f.to.steps
                guard let value = try produce(f, scope: scope, path: .target(f.to.absolute ? [] : prefix, target), notes: &notes) else { continue }
                Self.set(&doc, target[...], value)
            case .segment(let seg):
                if let when = seg.when, !scope.holds(when) { continue }
                var elements: [JSONValue] = []
                var hasData = false
                var hasSources = false
                for (e, components) in seg.elements.enumerated() {
                    var texts: [String] = []
                    for (c, component) in components.enumerated() {
                        let v = try component.when.map(scope.holds) == false
                            ? nil : produce(component, scope: scope, path: .component(seg.tag, e + 1, c + 1), notes: &notes)
                        let t = v.flatMap(Self.text) ?? ""
                        if case .constant = component.source {} else {
                            hasSources = true
                            if !t.isEmpty { hasData = true }
                        }
                        texts.append(t)
                    }
                    while texts.last == "" { texts.removeLast() }
                    elements.append(.array(texts.map(JSONValue.string)))
                }
                // A segment whose every data element came out empty is left out, as EDI partners expect.
                guard hasData || !hasSources else { continue }
                while let last = elements.last, last.arrayValue?.isEmpty == true { elements.removeLast() }
                let segment = JSONValue.object(JSONObject([("tag", .string(seg.tag)), ("elements", .array(elements))]))
                Self.set(&doc, [TargetPath.Step.key("segments"), .append][...], segment)
            case .each(let loop):
                if let when = loop.when, !scope.holds(when) { continue }
                let items = scope.elements(loop.over)
                // Each element is built apart and put in its place once, instead of every field
                // walking down to it from the message root, when nothing in the loop writes
                // outside the element.
                let apart = loop.to != nil && Self.writesBelow(loop.rules)
                for (i, item) in items.enumerated() {
                    var inner = scope
                    inner.variables[loop.variable] = item
                    inner.index = i
                    if let filter = loop.filter, !inner.holds(filter) { continue }
                    var innerBase = base
                    if let to = loop.to {
                        let arrayPath = (to.absolute ? [] : base) + to.steps.filter { $0 != .append }
                        let n = Self.count(doc, arrayPath[...])
                        let elementPath = arrayPath + [.index(n)]
                        Self.set(&doc, elementPath[...], .object(JSONObject()))
                        if apart {
                            var element = JSONValue.object(JSONObject())
                            try apply(loop.rules, scope: inner, base: [], prefix: prefix + elementPath, into: &element, notes: &notes)
                            Self.set(&doc, elementPath[...], element)
                            continue
                        }
                        innerBase = elementPath
                    }
                    try apply(loop.rules, scope: inner, base: innerBase, prefix: prefix, into: &doc, notes: &notes)
                }
            }
        }
    }

    /// True when every rule writes below its loop's element: relative field targets and loops, no
    /// EDIFACT segment (those go to the message's `segments`).
    static func writesBelow(_ rules: [Rule]) -> Bool {
        rules.allSatisfy { rule in
            switch rule {
            case .field(let f): !f.to.absolute
            case .segment: false
            case .each(let loop): (loop.to.map { !$0.absolute } ?? true) && writesBelow(loop.rules)
            }
        }
    }

    /// One rule's value: source (or fallback), code table, transforms and type; nil when absent
    /// and not required. `path` (where the value goes, for errors and notes) is built only when
    /// one is reported.
    private func produce(_ f: FieldRule, scope: Scope, path: RulePath, notes: inout [MappingNote]) throws(MappingRunError) -> JSONValue? {
        guard var value = try value(of: f.source, scope: scope, rule: f) ?? f.fallback.flatMap({ try? self.value(of: $0, scope: scope, rule: f) }) else {
            if f.required {
                throw MappingRunError(location: f.location, field: f.field, path: path.text, message: "has no value (source \(describe(f.source)) is missing) and the field is required")
            }
            return nil
        }
        if let tableName = f.table {
            guard let table = spec.tables[tableName] else {
                throw MappingRunError(location: f.location, field: f.field, path: path.text, message: "table \(tableName) is not defined")
            }
            let key = Self.text(value) ?? ""
            guard let mapped = table.lookup(key) else {
                throw MappingRunError(
                    location: f.location, field: f.field, path: path.text,
                    message: "\"\(key)\" has no entry in table \(tableName) (entries: \(table.entries.prefix(20).map(\.key).joined(separator: ", "))\(table.entries.count > 20 ? ", … \(table.entries.count) in all" : ""))",
                    source: readFrom(f.source))
            }
            value = mapped
        }
        do {
            for t in f.transforms {
                value = try transform(value, t, rule: f, path: path, scope: scope, notes: &notes)
            }
            if let type = f.type { value = try convert(value, to: type, rule: f, path: path) }
        } catch {
            // The value was there but wrong: name where it was read, not only the rule.
            var e = error
            if e.source == nil, let read = readFrom(f.source) { e.source = read }
            throw e
        }
        // Customs messages have no use for empty fields: an empty result is an absent one.
        switch value {
        case .null, .string(""):
            if f.required {
                throw MappingRunError(location: f.location, field: f.field, path: path.text, message: "came out empty and the field is required")
            }
            return nil
        default:
            return value
        }
    }

    private func value(of source: Source, scope: Scope, rule: FieldRule) throws(MappingRunError) -> JSONValue? {
        switch source {
        case .path(let p):
            return scope.first(p) { if case .null = $0 { return false } else { return true } }
        case .constant(let c):
            return c
        case .template(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let t): out += t
                case .path(let p):
                    guard let v = scope.first(p), let t = Self.text(v) else { return nil }
                    out += t
                }
            }
            return .string(out)
        case .sumOf(let paths):
            var total: Decimal = 0
            for p in paths {
                guard let v = try value(of: .sum(p), scope: scope, rule: rule), let d = Self.decimal(v) else { continue }
                total += d
            }
            return Self.arithmetic(total)
        case .sum(let p):
            var total: Decimal = 0
            for v in scope.values(p) {
                // Weights {value, unit} add up in kilograms, whatever unit each is in.
                if let w = v["value"].flatMap(Self.decimal), let unit = v["unit"]?.stringValue.flatMap(Weight.Unit.init(rawValue:)) {
                    total += w * unit.kilograms
                    continue
                }
                guard let d = Self.decimal(v) else {
                    throw MappingRunError(location: rule.location, field: rule.field, path: p.description, message: "cannot add a non-number")
                }
                total += d
            }
            return Self.arithmetic(total)
        case .product(let paths):
            var result: Decimal = 1
            for p in paths {
                guard let v = scope.first(p) else { return nil }
                guard let d = Self.decimal(v) else {
                    throw MappingRunError(location: rule.location, field: rule.field, path: p.description, message: "cannot multiply a non-number")
                }
                result *= d
            }
            return Self.arithmetic(result)
        case .count(let p):
            return .number(String(scope.elements(p).count))
        case .concat(let parts, let separator):
            var texts: [String] = []
            for part in parts {
                if let v = try value(of: part, scope: scope, rule: rule), let t = Self.text(v), !t.isEmpty { texts.append(t) }
            }
            return texts.isEmpty ? nil : .string(texts.joined(separator: separator))
        }
    }

    // MARK: - Transforms and types

    private func transform(
        _ value: JSONValue, _ t: Transform, rule: FieldRule, path: RulePath, scope: Scope, notes: inout [MappingNote]
    ) throws(MappingRunError) -> JSONValue {
        func fail(_ message: String) -> MappingRunError {
            MappingRunError(location: rule.location, field: rule.field, path: path.text, message: "\(t.name): \(message)")
        }
        func textValue() throws(MappingRunError) -> String {
            guard let s = Self.text(value) else { throw fail("needs text, got \(value.typeName)") }
            return s
        }
        func number() throws(MappingRunError) -> Decimal {
            guard let d = Self.decimal(value) else { throw fail("needs a number, got \(Self.text(value).map { "\"\($0)\"" } ?? value.typeName)") }
            return d
        }
        switch t {
        case .upper: return .string(try textValue().uppercased())
        case .lower: return .string(try textValue().lowercased())
        case .trim: return .string(try textValue().trimmingCharacters(in: .whitespacesAndNewlines))
        case .digitsOnly: return .string(try textValue().filter { $0.isASCII && $0.isNumber })
        case .truncate(let n):
            let s = try textValue()
            guard s.count > n else { return .string(s) }
            if rule.identifier {
                throw fail("identifier \"\(s)\" is \(s.count) characters and the field holds \(n); cut to \"\(s.prefix(n))\" it could name another one, so it is not cut")
            }
            notes.append(MappingNote(path: path.text, message: "truncated from \(s.count) to \(n) characters: \"\(s)\"", rule: "\(rule.location) \(rule.field)"))
            return .string(String(s.prefix(n)))
        case .slice(let start, let length):
            let s = try textValue()
            return .string(String(s.dropFirst(start).prefix(length)))
        case .table(let name):
            guard let table = spec.tables[name] else { throw fail("table \(name) is not defined") }
            let key = Self.text(value) ?? ""
            guard let mapped = table.lookup(key) else { throw fail("\"\(key)\" has no entry in table \(name)") }
            return mapped
        case .prefix(let p): return .string(p + (try textValue()))
        case .suffix(let p): return .string((try textValue()) + p)
        case .replace(let a, let b): return .string((try textValue()).replacingOccurrences(a, b))
        case .padLeft(let width, let pad):
            let s = try textValue()
            return .string(String(repeating: pad, count: max(0, width - s.count)) + s)
        case .date(let pattern, let from):
            let s = try textValue()
            let parsed = from.map { Self.parse(s, $0) } ?? (Timestamp.parse(s) ?? Timestamp.parse(s + "T00:00:00Z"))
            guard let date = parsed else { throw fail("\"\(s)\" is not a date in the form \(from ?? "RFC 3339")") }
            return .string(Self.format(date, pattern))
        case .decimal(var places, let mark, let currency):
            if let currency {
                guard let code = scope.first(currency).flatMap(Self.text) else { throw fail("no currency at \(currency)") }
                places = CurrencyCode(code).minorUnits ?? 2
            }
            var d = try number()
            if let places { d = d.rounded(scale: places) }
            return .string(ExactDecimal.text(d, minimumPlaces: places ?? 0).replacingOccurrences(".", mark))
        case .weightTo(let unit):
            guard let v = value["value"].flatMap(Self.decimal), let from = value["unit"]?.stringValue.flatMap(Weight.Unit.init(rawValue:)),
                let to = Weight.Unit(rawValue: unit)
            else { throw fail("needs a weight {value, unit}") }
            // Into kilograms the quotient by 1 is the product itself (both compact): no division.
            let kilograms = v * from.kilograms
            return Self.arithmetic(to == .kg ? kilograms : kilograms / to.kilograms)
        case .round(let n): return .number((try number()).rounded(scale: n).plainString)
        case .multiply(let f): return Self.arithmetic((try number()) * f)
        case .multiplyBy(let p), .divideBy(let p):
            guard let other = scope.first(p).flatMap(Self.decimal) else { throw fail("no number at \(p)") }
            if case .divideBy = t {
                guard other != 0 else { throw fail("\(p) is zero") }
                return Self.arithmetic((try number()) / other)
            }
            return Self.arithmetic((try number()) * other)
        }
    }

    private func convert(_ value: JSONValue, to type: ValueType, rule: FieldRule, path: RulePath) throws(MappingRunError) -> JSONValue {
        func fail() -> MappingRunError {
            MappingRunError(location: rule.location, field: rule.field, path: path.text, message: "cannot write \(Self.text(value).map { "\"\($0)\"" } ?? value.typeName) as \(type.rawValue)")
        }
        switch type {
        case .string:
            guard let t = Self.text(value) else { throw fail() }
            return .string(t)
        case .decimalString:
            guard let d = Self.decimal(value) else { throw fail() }
            return .string(d.plainString)
        case .number:
            guard let d = Self.decimal(value) else { throw fail() }
            return .number(d.plainString)
        case .integer:
            guard let d = Self.decimal(value), d == d.rounded(scale: 0) else { throw fail() }
            return .number(d.plainString)
        case .boolean:
            if case .bool = value { return value }
            switch Self.text(value) {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw fail()
            }
        }
    }

    /// Reads a date written with a fixed-width pattern (`yyyyMMddHHmmssZ`, `yyMMdd`): each letter run
    /// takes that many digits; other characters must match. Always UTC.
    static func parse(_ text: String, _ pattern: String) -> Date? {
        var parts: [Character: Int] = [:]
        var t = text[...]
        var i = pattern.startIndex
        while i < pattern.endIndex {
            let ch = pattern[i]
            var j = i
            while j < pattern.endIndex, pattern[j] == ch { j = pattern.index(after: j) }
            let run = pattern.distance(from: i, to: j)
            if "yMdHhms".contains(ch) {
                let digits = t.prefix(run)
                guard digits.count == run, let v = Int(digits) else { return nil }
                parts[ch == "h" ? "H" : ch] = ch == "y" && run == 2 ? 2000 + v : v
                t = t.dropFirst(run)
            } else {
                guard t.prefix(run) == String(repeating: ch, count: run) else { return nil }
                t = t.dropFirst(run)
            }
            i = j
        }
        guard t.isEmpty else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = DateComponents(year: parts["y"], month: parts["M"] ?? 1, day: parts["d"] ?? 1, hour: parts["H"] ?? 0, minute: parts["m"] ?? 0, second: parts["s"] ?? 0)
        guard let date = calendar.date(from: c), calendar.dateComponents([.month, .day], from: date).day == c.day else { return nil }
        return date
    }

    static func format(_ date: Date, _ pattern: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var out = ""
        var i = pattern.startIndex
        while i < pattern.endIndex {
            let ch = pattern[i]
            var run = 0
            var j = i
            while j < pattern.endIndex, pattern[j] == ch {
                run += 1
                j = pattern.index(after: j)
            }
            func pad(_ v: Int?, _ width: Int) -> String {
                let s = String(v ?? 0)
                return String(repeating: "0", count: max(0, width - s.count)) + s
            }
            switch ch {
            case "y": out += run == 2 ? pad((c.year ?? 0) % 100, 2) : pad(c.year, run)
            case "M": out += pad(c.month, run)
            case "d": out += pad(c.day, run)
            case "H", "h": out += pad(c.hour, run)
            case "m": out += pad(c.minute, run)
            case "s": out += pad(c.second, run)
            default: out += String(repeating: ch, count: run)
            }
            i = j
        }
        return out
    }

    // MARK: - Values

    static func text(_ v: JSONValue) -> String? { v.scalarText }

    /// The result of a computation (a quotient, a unit conversion) as a number the next step can
    /// read back: a repeating quotient fills Decimal's whole mantissa (39 digits), more than a number
    /// may carry in a mapping (`Decimal(exactly:)`), so it is rounded to 30 significant digits.
    static func arithmetic(_ d: Decimal) -> JSONValue {
        let text = d.plainString
        if isShortPlainNumber(text) || Decimal(exactly: text) != nil { return .number(text) }
        let integerDigits = text.drop { $0 == "-" }.prefix { $0 != "." }.count
        return .number(d.rounded(scale: max(0, 30 - integerDigits)).plainString)
    }

    /// `-?digits(.digits)?` in at most 38 characters: text that `Decimal(exactly:)` always reads
    /// back (fewer than 39 significant digits, no exponent), so the check needs no second parse.
    static func isShortPlainNumber(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count <= ExactDecimal.maxSignificantDigits else { return false }
        var i = bytes.startIndex
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        var digitsBefore = 0, digitsAfter = 0, sawPoint = false
        while i < bytes.endIndex {
            let b = bytes[i]
            if b >= 0x30, b <= 0x39 {
                if sawPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            } else if b == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                return false
            }
            i = bytes.index(after: i)
        }
        return digitsBefore > 0 && (!sawPoint || digitsAfter > 0)
    }

    static func decimal(_ v: JSONValue) -> Decimal? {
        switch v {
        case .number(let n): Decimal(exactly: n)
        case .string(let s): Decimal(exactly: s)
        default: nil
        }
    }


    // MARK: - Writing

    static func count(_ doc: JSONValue, _ path: ArraySlice<TargetPath.Step>) -> Int {
        var cur = doc
        for step in path {
            switch step {
            case .key(let k): guard let next = cur[k] else { return 0 }; cur = next
            case .index(let i): guard let a = cur.arrayValue, i < a.count else { return 0 }; cur = a[i]
            case .append: return 0
            }
        }
        return cur.arrayValue?.count ?? 0
    }

    /// Writes `value` at `path` inside `doc`, creating objects and arrays on the way. Each level is
    /// taken out of its parent while the level below is written, so that the containers are
    /// uniquely referenced and grow in place instead of being copied on every write.
    static func set(_ doc: inout JSONValue, _ path: ArraySlice<TargetPath.Step>, _ value: JSONValue) {
        guard let step = path.first else {
            doc = value
            return
        }
        let rest = path.dropFirst()
        switch step {
        case .key(let k):
            var object: JSONObject
            if case .object(let o) = doc { object = o } else { object = JSONObject() }
            doc = .null
            // The member is found once and written in place (appended first when new, so it keeps
            // its place).
            object.modify(k, default: { rest.first.map { if case .key = $0 { return JSONValue.object(JSONObject()) } else { return .array([]) } } ?? .null }) {
                set(&$0, rest, value)
            }
            doc = .object(object)
        case .index(let i):
            var array: [JSONValue]
            if case .array(let a) = doc { array = a } else { array = [] }
            doc = .null
            while array.count <= i { array.append(.object(JSONObject())) }
            set(&array[i], rest, value)
            doc = .array(array)
        case .append:
            var array: [JSONValue]
            if case .array(let a) = doc { array = a } else { array = [] }
            doc = .null
            var child = JSONValue.object(JSONObject())
            set(&child, rest, value)
            array.append(child)
            doc = .array(array)
        }
    }

    static func describe(_ steps: [TargetPath.Step]) -> String {
        "/" + steps.map { s -> String in
            switch s {
            case .key(let k): k
            case .index(let i): String(i)
            case .append: "-"
            }
        }.joined(separator: "/")
    }

    /// The source of a value read from the input, as the rule names it (nil for constants).
    private func readFrom(_ source: Source) -> String? {
        switch source {
        case .constant: nil
        case .path(let p): p.description
        default: describe(source)
        }
    }

    private func describe(_ source: Source) -> String {
        switch source {
        case .path(let p): p.description
        case .constant: "a constant"
        case .template: "a template"
        case .sum(let p): "sum of \(p)"
        case .sumOf(let ps): "sum of \(ps.map(\.description).joined(separator: ", "))"
        case .product(let ps): "product of \(ps.map(\.description).joined(separator: ", "))"
        case .count(let p): "count of \(p)"
        case .concat: "a concatenation"
        }
    }
}

/// Where a rule's value goes, as errors and notes name it: written out only when one is reported.
enum RulePath {
    /// A computed variable (`$name`).
    case variable(String)
    /// A place in the output tree: where the document being written sits, and the place in it.
    case target([TargetPath.Step], [TargetPath.Step])
    /// An EDIFACT segment's element and component, from 1 (`NAD/2/1`).
    case component(String, Int, Int)

    var text: String {
        switch self {
        case .variable(let name): "$\(name)"
        case .target(let prefix, let steps): MappingEngine.describe(prefix + steps)
        case .component(let tag, let element, let component): "\(tag)/\(element)/\(component)"
        }
    }
}

/// What paths can see while rules run: the input document, loop variables and the loop counter.
struct Scope {
    var root: JSONValue
    var variables: [String: JSONValue]
    var index: Int?

    func values(_ path: ValuePath) -> [JSONValue] {
        guard let (single, steps) = walk(path) else { return [] }
        return steps.isEmpty ? [single] : expand(single, steps)
    }

    /// `values(path).first(where: keep)`, without allocating a list when the path is keys and
    /// indexes only (most field sources and conditions read one value).
    func first(_ path: ValuePath, where keep: (JSONValue) -> Bool = { _ in true }) -> JSONValue? {
        guard let (single, steps) = walk(path) else { return nil }
        if steps.isEmpty { return keep(single) ? single : nil }
        return expand(single, steps).first(where: keep)
    }

    /// `values(path).contains(where: test)`, the same way.
    func any(_ path: ValuePath, _ test: (JSONValue) -> Bool) -> Bool {
        guard let (single, steps) = walk(path) else { return false }
        if steps.isEmpty { return test(single) }
        return expand(single, steps).contains(where: test)
    }

    /// Walks the keys and indexes at the start of `path`: they lead to at most one value, so no
    /// list is needed per step. Returns that value and the steps left from the first that can
    /// yield several; nil when nothing is there.
    private func walk(_ path: ValuePath) -> (JSONValue, ArraySlice<ValuePath.Step>)? {
        var start: JSONValue
        var steps = path.steps[...]
        switch path.root {
        case .counter(let c):
            guard let index else { return nil }
            return (.number(String(c == .index ? index : index + 1)), [])
        case .variable(let name):
            guard let v = variables[name] else { return nil }
            start = v
        case .auto:
            if case .key(let first)? = steps.first, let v = variables[first] {
                start = v
                steps = steps.dropFirst()
            } else {
                start = root
            }
        }
        var single = start
        while let step = steps.first {
            if case .key(let k) = step {
                guard let c = single[k] else { return nil }
                single = c
            } else if case .index(let i) = step {
                if case .array(let a) = single {
                    guard i >= 0, i < a.count else { return nil }
                    single = a[i]
                } else if i != 0 {
                    return nil
                }
            } else {
                break
            }
            steps = steps.dropFirst()
        }
        return (single, steps)
    }

    /// The values the rest of a path yields from `single`, taken up as a list.
    private func expand(_ single: JSONValue, _ steps: ArraySlice<ValuePath.Step>) -> [JSONValue] {
        var current = [single]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .key(let k): if let c = v[k] { next.append(c) }
                // A single value reads as a one-element list: XML and EDIFACT trees hold an element
                // that occurs once as itself and one that repeats as an array.
                case .index(let i):
                    if let a = v.arrayValue {
                        if i >= 0, i < a.count { next.append(a[i]) }
                    } else if i == 0 {
                        next.append(v)
                    }
                case .all: next += v.arrayValue ?? [v]
                case .filter(let key, let wanted):
                    next += (v.arrayValue ?? [v]).filter { $0[key].flatMap(MappingEngine.text) == wanted }
                case .runs(let tag):
                    next += Self.runs(v.arrayValue ?? [v], startingAt: tag)
                case .groups(let key):
                    next += Self.groups(v.arrayValue ?? [v], by: key)
                }
            }
            current = next
        }
        return current
    }

    /// EDIFACT segment runs, each started by a `tag` segment and ended by the next one or by `UNS`.
    static func runs(_ segments: [JSONValue], startingAt tag: String) -> [JSONValue] {
        var runs: [JSONValue] = []
        var current: (head: JSONValue, segments: [JSONValue])?
        func close() {
            guard let c = current else { return }
            runs.append(.object(JSONObject([
                ("tag", c.head["tag"] ?? .string(tag)), ("q", c.head["q"] ?? .string("")),
                ("elements", c.head["elements"] ?? .array([])), ("segments", .array(c.segments)),
            ])))
            current = nil
        }
        for segment in segments {
            let name = segment["tag"]?.stringValue
            if name == tag {
                close()
                current = (segment, [segment])
            } else if name == "UNS" {
                close()
            } else if current != nil {
                current!.segments.append(segment)
            }
        }
        close()
        return runs
    }

    /// Rows grouped by the text of their `key` field, in the order each value first appears.
    static func groups(_ rows: [JSONValue], by key: String) -> [JSONValue] {
        var order: [String] = []
        var members: [String: [JSONValue]] = [:]
        for row in rows {
            let value = row[key].flatMap(MappingEngine.text) ?? ""
            if members[value] == nil { order.append(value) }
            members[value, default: []].append(row)
        }
        return order.map { .object(JSONObject([("key", .string($0)), ("rows", .array(members[$0] ?? []))])) }
    }

    /// What a loop runs over: the elements of the array the path names, or every value a
    /// wildcard path yields.
    func elements(_ path: ValuePath) -> [JSONValue] {
        let found = values(path)
        if found.count == 1, case .array(let items) = found[0] { return items }
        return found
    }

    func holds(_ condition: Condition) -> Bool {
        func present(_ p: ValuePath) -> Bool {
            any(p) { v in
                switch v {
                case .null: false
                case .string(let s): !s.isEmpty
                case .array(let a): !a.isEmpty
                default: true
                }
            }
        }
        func equal(_ p: ValuePath, _ want: JSONValue) -> Bool {
            // The wanted value's text is worked out once, and only when a value is not equal as is.
            var wantText: String??
            return any(p) { v in
                if v == want { return true }
                guard let text = MappingEngine.text(v) else { return false }
                if wantText == nil { wantText = .some(MappingEngine.text(want)) }
                return text == wantText!
            }
        }
        switch condition {
        case .exists(let p): return present(p)
        case .missing(let p): return !present(p)
        case .equals(let p, let c): return equal(p, c)
        case .notEquals(let p, let c): return !equal(p, c)
        case .oneOf(let p, let cs): return cs.contains { equal(p, $0) }
        case .matches(let p, let pattern):
            return any(p) { v in MappingEngine.text(v).map(pattern.matches) ?? false }
        case .startsWith(let a, let b):
            guard let prefix = first(b).flatMap(MappingEngine.text), !prefix.isEmpty else { return false }
            return any(a) { v in MappingEngine.text(v)?.hasPrefix(prefix) ?? false }
        case .compareTo(let p, let op, let q):
            guard let n = first(q).flatMap(MappingEngine.decimal) else { return false }
            return holds(.compare(p, op, n))
        case .compare(let p, let op, let n):
            guard let v = first(p).flatMap(MappingEngine.decimal) else { return false }
            switch op {
            case .atMost: return v <= n
            case .atLeast: return v >= n
            case .lessThan: return v < n
            case .greaterThan: return v > n
            }
        case .all(let cs): return cs.allSatisfy(holds)
        case .any(let cs): return cs.contains(where: holds)
        case .not(let c): return !holds(c)
        }
    }
}
