import Foundation
import JSONCore

/// A declarative mapping between the canonical model and one message format, in one direction.
///
/// Integrators write these as YAML (or JSON) in `Mappings/`; `MappingLoader` turns a file into this
/// value and rejects anything it cannot run, naming file, line and field.
public struct MappingSpec: Sendable {
    public enum Direction: String, Sendable, CaseIterable {
        /// Canonical → message: filings and courier requests.
        case outbound
        /// Message → canonical: inbound orders and status callbacks.
        case inbound
    }

    /// Which canonical document the mapping reads (outbound) or produces (inbound).
    public enum Canonical: String, Sendable, CaseIterable {
        case order
        case statusEvent = "status_event"
    }

    public enum Format: String, Sendable, CaseIterable {
        case json, xml, edifact, csv
    }

    public var id: String
    public var description: String?
    public var direction: Direction
    public var canonical: Canonical
    public var format: Format
    /// JSON Schema (by file name under `Schemas/`) that an outbound JSON message must satisfy: its
    /// `required` fields are checked at load time and the whole message at render time.
    public var targetSchema: String?
    /// Inbound only: the array in the message whose elements each become one canonical record,
    /// bound to the variable `record`. Without it the whole message is one record.
    public var records: ValuePath?
    public var tables: [String: CodeTable]
    /// XML: prefix → namespace URI for the prefixes used in target paths (`""` is the default namespace).
    public var namespaces: [(prefix: String, uri: String)]
    /// EDIFACT: the message identification (`CUSDEC`, `D`, `96B`, `UN`) written in UNH.
    public var message: MessageIdentifier?
    /// Named values computed once before the rules run (`intrinsic_value: {sum: lines[].line_value.amount}`),
    /// read as `$intrinsic_value` by paths, templates and conditions.
    public var computed: [FieldRule]
    /// Deployment values the adapter supplies (a declarant's EORI, an office code), read as `$name`.
    public var parameters: [String]
    /// Per-filing values the caller supplies at render time (a reference sequence number, a dated
    /// exchange rate), read as `$name`. Unlike parameters they may be absent: a rule or check that
    /// needs one then refuses the filing.
    public var inputs: [String] = []
    /// Business rules the order must meet before anything is written (the gateway's completion
    /// rules, a courier's API limits). Each broken one is reported with its id and field.
    public var checks: [BusinessRule] = []
    public var rules: [Rule]
    public var location: SpecLocation
}

/// A rule an order must meet for this message, stated as data: `require` must hold (for every
/// element of `each`, when given), or the filing is refused naming `id` and `field`.
public struct BusinessRule: Sendable {
    /// The authority's rule number or our own stable id (`ICS-8691`, `CDS-DE6/14`, `EASYPOST-WEIGHT`).
    public var id: String
    /// The canonical field the rule is about; `[]` takes the loop position (`lines[].hs_code` → `lines[1].hs_code`).
    public var field: String
    public var message: String
    public var each: ValuePath?
    public var variable: String?
    /// The rule applies only when this holds.
    public var when: Condition?
    public var require: Condition
    public var location: SpecLocation
}

/// One broken business rule: which rule, which field of the order, and why.
public struct RuleViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var rule: String
    public var field: String
    public var message: String

    public init(rule: String, field: String, message: String) {
        self.rule = rule
        self.field = field
        self.message = message
    }

    public var description: String { "\(rule) \(field): \(message)" }
}

/// The UNH S009 identification of an EDIFACT message.
public struct MessageIdentifier: Sendable, Hashable {
    public var type: String
    public var version: String
    public var release: String
    public var agency: String
    public var association: String?
}

/// A lookup table: order code → message code (and back for inbound mappings).
public struct CodeTable: Sendable {
    public var name: String
    public var entries: [(key: String, value: JSONValue)] {
        didSet { index = Self.index(entries) }
    }
    /// Used when a value has no entry; without it a miss is an error, never a silent pass-through.
    public var fallback: JSONValue?
    public var location: SpecLocation
    /// Key → position in `entries` (the first entry wins), so a lookup is one hash, not a scan.
    private var index: [String: Int]

    public init(name: String, entries: [(key: String, value: JSONValue)], fallback: JSONValue?, location: SpecLocation) {
        self.name = name
        self.entries = entries
        self.fallback = fallback
        self.location = location
        self.index = Self.index(entries)
    }

    private static func index(_ entries: [(key: String, value: JSONValue)]) -> [String: Int] {
        var out: [String: Int] = [:]
        out.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() where out[e.key] == nil { out[e.key] = i }
        return out
    }

    public func lookup(_ key: String) -> JSONValue? {
        index[key].map { entries[$0].value } ?? fallback
    }
}

public indirect enum Rule: Sendable {
    case field(FieldRule)
    case each(LoopRule)
    case segment(SegmentRule)

    public var location: SpecLocation {
        switch self {
        case .field(let f): f.location
        case .each(let l): l.location
        case .segment(let s): s.location
        }
    }
}

/// One EDIFACT segment, appended to the message in rule order: its tag and its elements, each a
/// list of components. Segments are addressed by tag and qualifier, never by segment-group number;
/// repeats come from loops. A segment whose data elements all come out empty is left out.
public struct SegmentRule: Sendable {
    public var tag: String
    /// Element → components; each component is a value rule (its `to` is unused).
    public var elements: [[FieldRule]]
    public var when: Condition?
    public var field: String
    public var location: SpecLocation
}

/// Writes one value: from a source path, a constant, a template or a computation, through an
/// optional code table and transforms, to a target path.
///
/// The fields live in one shared box, copied on write: a rule is copied out of the rule tree for
/// every value a render writes, and a copy is then one reference count instead of one per field.
public struct FieldRule: Sendable {
    private final class Storage: @unchecked Sendable {
        var to: TargetPath
        var source: Source
        var table: String?
        var transforms: [Transform]
        var type: ValueType?
        var fallback: Source?
        var when: Condition?
        var required: Bool
        var identifier: Bool
        var field: String
        var location: SpecLocation

        init(
            to: TargetPath, source: Source, table: String?, transforms: [Transform], type: ValueType?, fallback: Source?,
            when: Condition?, required: Bool, identifier: Bool, field: String, location: SpecLocation
        ) {
            self.to = to
            self.source = source
            self.table = table
            self.transforms = transforms
            self.type = type
            self.fallback = fallback
            self.when = when
            self.required = required
            self.identifier = identifier
            self.field = field
            self.location = location
        }

        func copy() -> Storage {
            Storage(to: to, source: source, table: table, transforms: transforms, type: type, fallback: fallback, when: when,
                    required: required, identifier: identifier, field: field, location: location)
        }
    }

    private var storage: Storage

    init(
        to: TargetPath, source: Source, table: String?, transforms: [Transform], type: ValueType?, fallback: Source?,
        when: Condition?, required: Bool, identifier: Bool = false, field: String, location: SpecLocation
    ) {
        storage = Storage(to: to, source: source, table: table, transforms: transforms, type: type, fallback: fallback, when: when,
                          required: required, identifier: identifier, field: field, location: location)
    }

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var to: TargetPath {
        get { storage.to }
        set { unique().to = newValue }
    }
    public var source: Source {
        get { storage.source }
        set { unique().source = newValue }
    }
    public var table: String? {
        get { storage.table }
        set { unique().table = newValue }
    }
    public var transforms: [Transform] {
        get { storage.transforms }
        set { unique().transforms = newValue }
    }
    public var type: ValueType? {
        get { storage.type }
        set { unique().type = newValue }
    }
    /// Used when the source yields nothing.
    public var fallback: Source? {
        get { storage.fallback }
        set { unique().fallback = newValue }
    }
    public var when: Condition? {
        get { storage.when }
        set { unique().when = newValue }
    }
    /// When true, a missing value is a render error naming this rule; otherwise the field is omitted.
    public var required: Bool {
        get { storage.required }
        set { unique().required = newValue }
    }
    /// `identifier: true`: the value names one thing (a reference, a message id, a vehicle), so a
    /// `truncate` that has to cut it is a render error naming the field and the value: cut, two
    /// values could come out the same. Without it a cut is a note (free text such as a description).
    public var identifier: Bool {
        get { storage.identifier }
        set { unique().identifier = newValue }
    }
    /// Human label used in errors (`rules[3]` or `rules[2].rules[0]`).
    public var field: String {
        get { storage.field }
        set { unique().field = newValue }
    }
    public var location: SpecLocation {
        get { storage.location }
        set { unique().location = newValue }
    }
}

/// Repeats its rules once per element of an array (lines, parties, tracking details).
public struct LoopRule: Sendable {
    public var over: ValuePath
    public var variable: String
    /// Where each iteration's output goes: an array that gets one new element per iteration.
    /// Without it, iterations write through absolute paths (e.g. repeated EDIFACT segments).
    public var to: TargetPath?
    public var when: Condition?
    /// Per element, with the loop variable bound: elements that fail it are skipped, so a list can
    /// be filtered by a pattern that a `[key=value]` path cannot express.
    public var filter: Condition?
    public var rules: [Rule]
    public var field: String
    public var location: SpecLocation
}

public indirect enum Source: Sendable {
    case path(ValuePath)
    case constant(JSONValue)
    /// `"{line.sku}-{$position}"`: literal text with paths in braces.
    case template([TemplatePart])
    case sum(ValuePath)
    /// `sum: [shipment.shipping_charge.amount, shipment.insurance_charge.amount]`: absent values count as nothing.
    case sumOf([ValuePath])
    /// The product of the first value of each path (`price` × `quantity`).
    case product([ValuePath])
    case count(ValuePath)
    case concat([Source], separator: String)
}

public enum TemplatePart: Sendable {
    case text(String)
    case path(ValuePath)
}

public indirect enum Condition: Sendable {
    case exists(ValuePath)
    case missing(ValuePath)
    case equals(ValuePath, JSONValue)
    case notEquals(ValuePath, JSONValue)
    case oneOf(ValuePath, [JSONValue])
    /// The value's text matches a regular expression (`^(GB|XI)[0-9]{12}$`).
    case matches(ValuePath, PatternBox)
    /// The first path's text begins with the second's (`[$customs_office, shipment.destination_country]`).
    case startsWith(ValuePath, ValuePath)
    /// Numeric comparisons: `at_most`, `at_least`, `less_than`, `greater_than`.
    case compare(ValuePath, Comparison, Decimal)
    /// The same against another value: `at_most: [line.line_value.amount, $eei_limit]`, a threshold
    /// converted into the order currency. False when either side is absent or not a number.
    case compareTo(ValuePath, Comparison, ValuePath)
    case all([Condition])
    case any([Condition])
    case not(Condition)
}

/// A compiled regular expression (simple ones matched without `Regex`: `CompiledPattern`).
public struct PatternBox: Sendable {
    let compiled: CompiledPattern
    public var source: String { compiled.source }

    public init(_ source: String) throws {
        self.compiled = try CompiledPattern(source)
    }

    public func matches(_ text: String) -> Bool { compiled.matches(text) }
}

public enum Comparison: String, Sendable, CaseIterable {
    case atMost = "at_most"
    case atLeast = "at_least"
    case lessThan = "less_than"
    case greaterThan = "greater_than"
}

public enum Transform: Sendable, Hashable {
    case upper, lower, trim, digitsOnly
    /// Cut to at most N characters; every cut is reported with the original length (as a note, or
    /// as an error in a rule marked `identifier: true`).
    case truncate(Int)
    /// Reformat a date with a pattern (`yyyyMMdd`, `yyMMddHHmm`). Input is an RFC 3339 timestamp or
    /// `yyyy-MM-dd`, or, with `from`, a fixed-width form such as EDIFACT's `yyyyMMddHHmm`.
    case date(String, from: String?)
    /// Format a decimal with fixed places and a decimal mark, as EDIFACT partners and some gateways want.
    /// `currency` names a path whose ISO 4217 code gives the places (JPY 0, EUR 2, KWD 3).
    case decimal(places: Int?, mark: String, currency: ValuePath?)
    /// A `{value, unit}` weight converted to kg, g, lb or oz (a decimal number).
    case weightTo(String)
    case round(Int)
    case multiply(Decimal)
    /// Multiply or divide by the number another path holds (`$total_gross`), to share a total out.
    case multiplyBy(ValuePath)
    case divideBy(ValuePath)
    case slice(start: Int, length: Int)
    case prefix(String)
    case suffix(String)
    case replace(String, String)
    case padLeft(Int, String)
    /// Look the value up in one of the mapping's tables, after the transforms before it (a table on
    /// the rule itself looks up the raw value): `[{slice: [2, 3]}, {table: ioss_country}]`.
    case table(String)

    public var name: String {
        switch self {
        case .upper: "upper"
        case .lower: "lower"
        case .trim: "trim"
        case .digitsOnly: "digits_only"
        case .truncate: "truncate"
        case .date: "date"
        case .decimal: "decimal"
        case .weightTo: "weight_to"
        case .round: "round"
        case .multiply: "multiply"
        case .multiplyBy: "multiply_by"
        case .divideBy: "divide_by"
        case .slice: "slice"
        case .prefix: "prefix"
        case .suffix: "suffix"
        case .replace: "replace"
        case .padLeft: "pad_left"
        case .table: "table"
        }
    }
}

/// The JSON type a value is written as.
public enum ValueType: String, Sendable, CaseIterable {
    case string, number, integer, boolean
    /// A decimal written as a JSON string (`"12.50"`), the canonical form for money.
    case decimalString = "decimal_string"
}
