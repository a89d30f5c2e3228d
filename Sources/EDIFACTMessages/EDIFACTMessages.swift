import AdapterKit
import EDIFACT
import JSONCore
import Mapping

/// EDIFACT for the declarative mappings: builds an interchange from a mapping's output tree, reads
/// an interchange into the tree inbound mappings read, and validates messages against the grammars.
///
/// The tree convention (both directions):
/// - `interchange`: `sender`, `recipient` (with optional `sender_qualifier`/`recipient_qualifier`,
///   default `ZZ`), `date` (yyMMdd), `time` (HHmm), `control_ref`, optional `syntax` (default `UNOC:3`),
///   `application_ref`, `test_indicator`;
/// - outbound: `message.control_ref` and `segments`, the body in order, each `{tag, elements}` with
///   elements as lists of components; UNH comes from the mapping's `message:` and UNT/UNZ are counted;
/// - inbound: `messages`, each `{type, version, release, agency, control_ref, segments}`, every
///   segment carrying `q`, its qualifier (first component of the first element), so paths select
///   by tag and qualifier: `$record.segments[tag=RFF][q=ABO].elements[0][1]`.
public struct EDIFACTMessageWriter: MessageWriter {
    public init() {}

    public var format: MappingSpec.Format { .edifact }

    public func write(_ tree: JSONValue, spec: MappingSpec) throws -> [UInt8] {
        guard let id = spec.message else { throw EDIFACTMessageError("mapping \(spec.id) has no message: (type, version, release) for UNH") }
        let ic = tree["interchange"]
        func text(_ v: JSONValue?, _ name: String) throws -> String {
            guard let s = v.flatMap(\.scalarText), !s.isEmpty else { throw EDIFACTMessageError("interchange.\(name) is required") }
            return s
        }
        let syntax = ic?["syntax"].flatMap(\.scalarText) ?? "UNOC:3"
        var unb: [Element] = [
            Element(syntax.split(separator: ":", omittingEmptySubsequences: false).map(String.init)),
            Element([try text(ic?["sender"], "sender"), ic?["sender_qualifier"].flatMap(\.scalarText) ?? "ZZ"]),
            Element([try text(ic?["recipient"], "recipient"), ic?["recipient_qualifier"].flatMap(\.scalarText) ?? "ZZ"]),
            Element([try text(ic?["date"], "date"), try text(ic?["time"], "time")]),
            Element([try text(ic?["control_ref"], "control_ref")]),
        ]
        let application = ic?["application_ref"].flatMap(\.scalarText)
        let test = ic?["test_indicator"].flatMap(\.scalarText)
        if application != nil || test != nil {
            unb += [Element([""]), Element([application ?? ""])]
            if let test { unb += [Element([""]), Element([""]), Element([""]), Element([test])] }
        }
        var body: [Segment] = []
        for (i, s) in (tree["segments"]?.arrayValue ?? []).enumerated() {
            guard let tag = s["tag"]?.stringValue else { throw EDIFACTMessageError("segments[\(i)] has no tag") }
            let elements = (s["elements"]?.arrayValue ?? []).map { e in
                let components = (e.arrayValue ?? [e]).map { $0.scalarText ?? "" }
                return Element(components.isEmpty ? [""] : components)
            }
            body.append(Segment(tag, elements))
        }
        guard !body.isEmpty else { throw EDIFACTMessageError("the mapping produced no segments") }
        let messageRef = tree["message"]?["control_ref"].flatMap(\.scalarText) ?? "1"
        let message = Message(
            type: id.type, version: id.version, release: id.release, agency: id.agency, association: id.association, controlRef: messageRef,
            segments: body)
        var writer = EDIFACTWriter(options: .segmentPerLine)
        return try writer.write(Interchange(header: Segment("UNB", unb), messages: [message]))
    }
}

public struct EDIFACTMessageReader: MessageReader {
    public init() {}

    public var format: MappingSpec.Format { .edifact }

    /// The first interchange only; `readAll` gives every one.
    public func read(_ bytes: [UInt8]) throws -> JSONValue {
        guard let first = try readAll(bytes).first else { throw EDIFACTMessageError("no interchange in the input") }
        return first
    }

    /// One tree per interchange. Envelope errors make the input unreadable: a half-understood
    /// interchange is not mapped. Errors name the segment (by its number in the input) and byte.
    public func readAll(_ bytes: [UInt8]) throws -> [JSONValue] {
        let document = EDIFACTReader.read(bytes)
        if !document.errors.isEmpty {
            throw EDIFACTMessageError(document.errors.prefix(5).map { d in
                "\(d.code.map { "[\($0)] " } ?? "")\(d.segmentTag.map { "\($0): " } ?? "")\(d.message)"
                    + "\(d.segmentIndex.map { " (segment \($0 + 1))" } ?? "")\(d.offset.map { " at byte \($0)" } ?? "")"
            }.joined(separator: "; "))
        }
        guard !document.interchanges.isEmpty else { throw EDIFACTMessageError("no interchange in the input") }
        // What the reader only warns about is still not mapped: text under an unknown syntax
        // identifier, or an interchange dated on no calendar day.
        for (i, ic) in document.interchanges.enumerated() {
            let which = document.interchanges.count > 1 ? "interchange \(i + 1): " : ""
            if SyntaxCharset.forSyntaxIdentifier(ic.syntax.id) == nil {
                throw EDIFACTMessageError("\(which)UNB: syntax identifier '\(ic.syntax.id)' is not a UN syntax level; not mapped")
            }
            if case (let problem, true)? = EDIFACTReader.dateTimeProblem(ic.header.elements.count > 3 ? ic.header.elements[3].components : []) {
                throw EDIFACTMessageError("\(which)UNB: date/time (S004) \(problem); not mapped")
            }
        }
        return document.interchanges.map(Self.tree)
    }

    static func tree(_ ic: Interchange) -> JSONValue {
        var messages: [JSONValue] = []
        for m in ic.allMessages {
            let segments: [JSONValue] = m.body.map { s in
                .object(JSONObject([
                    ("tag", .string(s.tag)),
                    ("q", .string(s.qualifier ?? "")),
                    ("elements", .array(s.elements.map { .array($0.components.map(JSONValue.string)) })),
                ]))
            }
            messages.append(.object(JSONObject([
                ("type", .string(m.type)), ("version", .string(m.version)), ("release", .string(m.release)),
                ("agency", .string(m.agency)), ("control_ref", .string(m.controlRef)), ("segments", .array(segments)),
            ])))
        }
        let envelope = JSONObject([
            ("sender", .string(ic.sender.id)), ("recipient", .string(ic.recipient.id)), ("date", .string(ic.date ?? "")),
            ("time", .string(ic.time ?? "")), ("control_ref", .string(ic.controlRef)),
        ])
        return .object(JSONObject([("interchange", .object(envelope)), ("messages", .array(messages))]))
    }
}

/// Validates rendered EDIFACT against the grammars by directory name (`D96B`, `D01B`).
public struct EDIFACTGrammarValidator: MessageValidator {
    public let grammars: GrammarSet

    public init(grammars: GrammarSet) { self.grammars = grammars }

    public var format: MappingSpec.Format { .edifact }

    public func knows(_ schema: String) -> Bool { grammars.directories.contains(schema) }

    public func validate(_ body: [UInt8], schema: String) throws -> [String] {
        let document = EDIFACTReader.read(body)
        var problems = document.errors.map(\.message)
        for (i, ic) in document.interchanges.enumerated() {
            for (j, m) in ic.allMessages.enumerated() {
                guard let g = grammars.resolve(type: m.type, directory: schema) else {
                    problems.append("no grammar for \(m.type) in \(schema)")
                    continue
                }
                problems += StructureValidator(grammar: g).validate(m, messageIndex: j, interchangeIndex: i).map { d in
                    "\(d.code.map { "[\($0)] " } ?? "")\(d.message)"
                }
            }
        }
        return problems
    }
}

public struct EDIFACTMessageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
