/// One structure validator per message type and directory, resolved once (resolving and building
/// one per message was a third of validating 50,000 small messages). Shared by `edifact validate`
/// and the streamed CONTRL.
public struct MessageValidators {
    public let grammars: GrammarSet
    /// The directory to validate against; `nil` takes each message's own (UNH version and release).
    public let directory: String?
    private var cache: [String: StructureValidator?] = [:]

    public init(grammars: GrammarSet, directory: String?) {
        self.grammars = grammars
        self.directory = directory
    }

    /// The grammar a message was checked against and the diagnostics; a message with no grammar
    /// gets one error saying so (no CONTRL code: a CONTRL reports it as 18, unspecified).
    public mutating func check(_ m: Message, interchangeIndex i: Int?, messageIndex j: Int?) -> (directory: String, grammar: String?, diagnostics: [Diagnostic]) {
        let dir = directory ?? m.directory
        let key = m.type + "\u{0}" + dir
        if cache[key] == nil { cache[key] = .some(grammars.resolve(type: m.type, directory: dir).map { StructureValidator(grammar: $0) }) }
        if let v = cache[key] ?? nil {
            return (dir, v.grammar.grammarName, v.validate(m, messageIndex: j, interchangeIndex: i))
        }
        return (dir, nil, [Diagnostic(
            code: nil, message: "no grammar for \(m.type) in directory \(dir) (have: \(grammars.directories.joined(separator: ", ")))",
            segmentIndex: m.segmentIndex, offset: m.offset, interchangeIndex: i, messageRef: m.controlRef, messageIndex: j)])
    }
}

/// The CONTRL of each received interchange, built as the reader's events arrive (issue #21: the
/// whole parsed document of a 200k-segment interchange took 231 MB). Each message is checked (when
/// a `check` is given) while it is read, then kept without its segments: a CONTRL needs only its
/// reference and identifier. Memory is that of the largest message plus a header per message of
/// the open interchange, instead of every segment of the input.
///
/// Gives the same acknowledgements as `ContrlBuilder.acknowledge` over the whole `Document` with the
/// reader's errors and the check's errors of every message: it mirrors `DocumentBuilder` (a group or
/// message that arrives after UNZ still belongs to the last interchange), so an interchange is
/// acknowledged when the next one starts or at `finish`. The reader's errors must be known up front
/// (`DocumentOutline.errors` of a first pass): one that no interchange owns, such as a release
/// character at the end of the input, rejects every interchange.
public struct ContrlStream {
    public enum Output {
        /// The CONTRL for the interchange at `index`; `rejected` when any error concerns it.
        case acknowledgement(Interchange, index: Int, rejected: Bool)
        /// The interchange at `index` has no UNB: nothing to address a CONTRL to.
        case noHeader(index: Int)
    }

    private var readerErrors: [Int: [Diagnostic]] = [:]
    private let check: ((Message) -> [Diagnostic])?
    private let options: (Interchange) -> ContrlOptions
    private var current: Interchange?
    private var index = -1
    private var group: Group?
    /// Errors of the check per message, in `allMessages` order once the interchange is complete.
    private var groupChecks: [[Diagnostic]] = []
    private var groupedChecks: [[Diagnostic]] = []
    private var looseChecks: [[Diagnostic]] = []

    /// The number of interchanges seen.
    public var interchanges: Int { index + 1 }

    /// `check` returns a message's diagnostics (indices are set here; warnings are dropped);
    /// `options` gives the CONTRL envelope for a received interchange.
    public init(readerErrors: [Diagnostic], check: ((Message) -> [Diagnostic])?, options: @escaping (Interchange) -> ContrlOptions) {
        for d in readerErrors where d.severity == .error { self.readerErrors[d.interchangeIndex ?? -1, default: []].append(d) }
        self.check = check
        self.options = options
    }

    private func errors(of m: Message) -> [Diagnostic] {
        guard let check else { return [] }
        return check(m).filter { $0.severity == .error }
    }

    private static func header(_ m: Message) -> Message {
        var kept = m
        kept.segments = []
        return kept
    }

    public mutating func add(_ event: EDIFACTReader.Event) -> Output? {
        switch event {
        case .interchangeStart(let ic):
            let done = flush()
            current = ic
            index += 1
            return done
        case .groupStart(let g):
            group = g
            groupChecks = []
        case .message(let m):
            if group != nil {
                groupChecks.append(errors(of: m))
                group?.messages.append(Self.header(m))
            } else if current != nil {
                looseChecks.append(errors(of: m))
                current?.messages.append(Self.header(m))
            }
        case .groupEnd(let trailer):
            if var g = group, current != nil {
                g.trailer = trailer
                g.declaredMessageCount = trailer?.value(0).flatMap { Int($0) }
                current?.groups.append(g)
                groupedChecks += groupChecks
            }
            group = nil
            groupChecks = []
        case .interchangeEnd(let trailer):
            current?.trailer = trailer
            current?.declaredCount = trailer?.value(0).flatMap { Int($0) }
        case .diagnostic:
            break
        }
        return nil
    }

    /// Acknowledges the last interchange; call once after the last event.
    public mutating func finish() -> Output? { flush() }

    private mutating func flush() -> Output? {
        guard let ic = current else { return nil }
        current = nil
        let checks = ic.groups.isEmpty ? looseChecks : groupedChecks + looseChecks
        groupedChecks = []
        looseChecks = []
        guard !ic.header.elements.isEmpty else { return .noHeader(index: index) }
        var diagnostics = (readerErrors[index] ?? []) + (readerErrors[-1] ?? [])
        for (j, list) in checks.enumerated() {
            for var d in list {
                d.interchangeIndex = index
                d.messageIndex = j
                diagnostics.append(d)
            }
        }
        let ack = ContrlBuilder.acknowledge(ic, interchangeIndex: index, diagnostics: diagnostics, options: options(ic))
        return .acknowledgement(ack, index: index, rejected: !diagnostics.isEmpty)
    }
}
