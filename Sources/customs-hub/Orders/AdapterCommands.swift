import AdapterKit
import ArgumentParser
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping

/// The catalog's errors as a person reads them: a mapping that exists but failed to load is said
/// to have failed (its own errors are in the list), not to be missing.
func catalogErrors(_ errors: [MappingError], content: ContentRoot) -> [String] {
    errors.map { e in
        let text = e.description
        guard let range = text.range(of: #"mapping (\S+) does not exist under Mappings/"#, options: .regularExpression) else { return text }
        let name = text[range].dropFirst("mapping ".count).prefix { $0 != " " }
        guard FileManager.default.fileExists(atPath: content.file("Mappings/\(name)").path) else { return text }
        return text.replacingCharacters(in: range, with: "mapping \(name) did not load (its errors are listed under Mappings/\(name))")
    }
}

/// Loads the catalog for a command. A broken adapter or mapping is reported on stderr and left
/// out; the rest load. Exit 3 only when nothing loads at all.
/// The order validator of the content folder; exit 3 when its schema cannot be loaded.
func loadValidatorOrExit() throws -> OrderValidator {
    do { return try ContentRoot.locate().loadOrderValidator() } catch {
        throw Diagnostics.fail("cannot load validation content: \(error)", exit: Exit.configuration)
    }
}

func loadCatalogOrExit(root: String? = nil) throws -> AdapterCatalog {
    let content: ContentRoot
    do { content = try root.map { ContentRoot(url: URL(fileURLWithPath: $0)) } ?? ContentRoot.locate() } catch {
        throw Diagnostics.fail("\(error)", exit: Exit.configuration)
    }
    let (catalog, errors) = content.loadCatalog()
    for e in catalogErrors(errors, content: content) { Diagnostics.say("content error (the rest loads): \(e)") }
    if !errors.isEmpty && catalog.adapters.isEmpty {
        throw Diagnostics.fail("no adapter could be loaded (run `customs-hub mappings check`)", exit: Exit.configuration)
    }
    return catalog
}

/// The catalog for a command whose `--adapter` names one adapter, checked before any input is read:
/// an id no adapter has is a wrong argument (exit 2, listing the ids there are), as `outbox relay
/// --adapter` has it; an adapter whose file is there but did not load is a broken configuration
/// (exit 3; its errors were printed as the catalog loaded).
func loadCatalogOrExit(adapter id: String) throws -> AdapterCatalog {
    let catalog = try loadCatalogOrExit()
    guard catalog.adapters[id] == nil else { return catalog }
    if let content = try? ContentRoot.locate(),
       ["yaml", "yml"].contains(where: { FileManager.default.fileExists(atPath: content.file("Adapters/\(id).\($0)").path) }) {
        throw Diagnostics.fail("--adapter \(id): Adapters/\(id) did not load (its errors are above)", exit: Exit.configuration)
    }
    throw ValidationError("--adapter \(id): no adapter \(id); known: \(catalog.adapters.keys.sorted().joined(separator: ", "))")
}

struct MappingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mappings", abstract: "Check mapping and adapter files.",
        discussion: Help.text(example: "customs-hub mappings check"), subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load and check every mapping, adapter and schema; print file:line errors.",
            discussion: Help.text(
                "Checks the content folder (--content DIR, CUSTOMS_HUB_HOME, or the one found from here) and names it on stderr. Exit 1 when some file has errors.",
                example: "customs-hub mappings check"))

        @Argument(help: .hidden)
        var directory: String?

        func run() throws {
            let content: ContentRoot
            do { content = try directory.map { ContentRoot(url: URL(fileURLWithPath: $0)) } ?? ContentRoot.locate() } catch {
                throw Diagnostics.fail("\(error)", exit: Exit.usage)
            }
            Diagnostics.say("checking the content folder \(content.url.path)")
            let (catalog, errors) = content.loadCatalog()
            for e in catalogErrors(errors, content: content) { print(e) }
            if !errors.isEmpty { throw ExitCode(1) }
            print("ok: \(catalog.mappings.count) mappings, \(catalog.adapters.count) adapters, \(catalog.schemas.count) schemas")
        }
    }
}

struct AdaptersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters", abstract: "List the configured gateway and courier adapters.",
        discussion: Help.text("One JSON line per adapter: {\"adapter\", \"name\", \"format\", \"outbound\", \"destinations\", \"transport_modes\", \"callback_path\"} (where the server takes the adapter's signed webhooks, statuses and a shop's orders alike).",
                              example: "customs-hub adapters"))

    struct Row: Encodable {
        var adapter: String
        var name: String
        var format: String
        var outbound: String?
        var destinations: [String]
        var transportModes: [String]
        var callbackPath: String?

        enum CodingKeys: String, CodingKey {
            case adapter, name, format, outbound, destinations
            case transportModes = "transport_modes"
            case callbackPath = "callback_path"
        }
    }

    func run() throws {
        let catalog = try loadCatalogOrExit()
        for a in catalog.adapters.values.sorted(by: { $0.id < $1.id }) {
            Output.line(Row(
                adapter: a.id, name: a.name, format: a.format.rawValue, outbound: a.outbound?.messageType, destinations: a.routes.destinations,
                transportModes: a.routes.transportModes.map(\.rawValue), callbackPath: a.callbacks.map { _ in AdapterDefinition.callbackPath(a.id) }))
        }
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the filing an adapter would send for each order (endpoint, headers, body) without sending it.",
        discussion: Help.text(
            "One JSON line per order; an order that cannot be rendered gets {\"line\", \"error\"} and exit 1.",
            example: "customs-hub render --adapter uk-cds Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))

    @Option(name: .long, help: "Adapter id (see `customs-hub adapters`).")
    var adapter: String

    @Argument(help: "Order file (JSON or JSON lines); - or nothing for stdin.")
    var file: String?

    @Flag(name: .long, help: "Print only the message body of a single order, as the gateway would receive it.")
    var bodyOnly = false

    @Option(name: .long, help: "Render as of this RFC 3339 time (default: now), for filings that carry their preparation time.")
    var at: String?

    @Option(name: .long, help: "Render context JSON: {\"sequence\", \"rates\": [{from, to, rate, date}], \"values\": {movement details}}.")
    var context: [String] = []

    @Option(name: .long, help: "First reference sequence number (LRN, message ids); each further order takes the next. Default: the counter file.")
    var sequence: Int?

    @Option(name: .long, help: "Persistent reference counter file (default: $CUSTOMS_HUB_SEQUENCE_FILE or ~/.local/state/customs-hub/reference-sequence).")
    var sequenceFile: String?

    struct Failure: Encodable {
        var line: Int?
        var error: String
        /// The business rules the order broke: rule id, field and message.
        var violations: [RuleViolation]?
    }

    func validate() throws {
        if let at, Timestamp.parse(at) == nil { throw ValidationError("--at \"\(at)\" is not an RFC 3339 timestamp") }
    }

    func run() throws {
        let catalog = try loadCatalogOrExit(adapter: adapter)
        let records = try Input.recordList(file)
        let now = at.flatMap(Timestamp.parse) ?? Date()
        var inputs: RenderInputs
        do { inputs = try RenderInputs(contextFiles: context, sequence: sequence, sequenceFile: sequenceFile) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(2)
        }
        let validator = try loadValidatorOrExit()
        var worst: Int32 = 0
        for record in records {
            // An order is validated before it is rendered: an invalid order never becomes a filing.
            let order: Order
            switch validator.check(bytes: record.bytes) {
            case .unreadable(let e):
                Output.line(Failure(line: record.line + e.position.line - 1, error: "not JSON: \(e.message) at column \(e.position.column)"))
                worst = max(worst, Exit.refused)
                continue
            case .checked(let checked, let problems):
                let errors = problems.filter { $0.severity == .error }
                guard let checked, errors.isEmpty else {
                    let shown = errors.prefix(10).map(\.description).joined(separator: "; ")
                    Output.line(Failure(line: record.line, error: "invalid order (run `customs-hub validate` for every problem): \(shown)"))
                    worst = max(worst, 1)
                    continue
                }
                order = checked
            }
            let renderContext: RenderContext
            do { renderContext = try inputs.next(adapter: adapter) } catch {
                Diagnostics.say("\(error)")
                throw ExitCode(3)
            }
            do {
                let filing = try catalog.render(order, adapter: adapter, now: now, context: renderContext)
                if bodyOnly && records.count == 1 {
                    print(filing.body)
                } else {
                    Output.line(filing)
                }
            } catch {
                Output.line(Failure(line: record.line, error: error.description, violations: error.violations.isEmpty ? nil : error.violations))
                worst = max(worst, 1)
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read an inbound message (order push or status callback) through an adapter and print the canonical records.",
        discussion: Help.text(
            "Prints one JSON line per canonical order or status event. Exit 1 when the message could not be mapped.",
            example: "customs-hub ingest --adapter shop-webhook Fixtures/json/shop/order_created.json"))

    @Option(name: .long, help: "Adapter id.")
    var adapter: String

    @Option(name: .long, help: "order or status, when the adapter reads both.")
    var kind: String?

    @Argument(help: "Message file; - or nothing for stdin.")
    var file: String?

    func run() throws {
        let catalog = try loadCatalogOrExit(adapter: adapter)
        let bytes = try Input.document(file)
        do {
            let result = try catalog.ingest(bytes, adapter: adapter, kind: kind)
            for o in result.orders { Output.line(o) }
            for e in result.events { Output.line(e) }
            for n in result.notes { Diagnostics.say("note: \(n)") }
        } catch {
            Diagnostics.say(error.description)
            throw ExitCode(error.unreadable ? 2 : 1)
        }
    }
}
