import AdapterKit
import ArgumentParser
import CustomsModel
import CustomsXML
import Foundation
import HubContent
import JSONCore
import Mapping
import SecureXML

/// `customs-hub xml …`: validate customs XML against the repo's XSDs, render filings from orders,
/// and read gateway answers into status events.
struct XMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xml",
        abstract: "Customs XML: XSD validation, UK CDS / ICS / EU H7 rendering through the adapter catalog, notification reading.",
        discussion: Help.text(example: "customs-hub xml schemas"),
        subcommands: [XMLValidateCommand.self, XMLSchemasCommand.self, XMLRenderCommand.self, XMLStatusCommand.self])
}

struct XMLValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate an XML file against a schema from `customs-hub xml schemas`.",
        discussion: """
            Prints a JSON array of {"line","column","message"} findings. Exit 0: valid. Exit 1: not \
            valid, or not acceptable XML at all (malformed, DOCTYPE, over a limit), with the position. \
            Exit 2: the file or the schema could not be read. SOAP 1.1/1.2 envelopes are unwrapped first.
            """ + "\n\n" + Help.examplePrefix + "customs-hub xml validate --schema cds-declaration Fixtures/xml/hmrc-cds/TT_IM001a_import_declaration.xml"
            + "\n\n" + Help.footer)

    @Option(name: .long, help: "Schema name (see `customs-hub xml schemas`).")
    var schema: String

    @Argument(help: "XML file to validate; - or nothing for stdin.")
    var file: String?

    func run() async throws {
        guard let entry = XMLSchemaCatalog.named(schema) else {
            XMLCLI.fail("unknown schema \"\(schema)\"; known: \(XMLCatalogNames.list)")
            throw ExitCode(2)
        }
        let bytes = try Input.document(file)
        let set: XMLSchemaSet
        do { set = try XMLCLI.compile(entry) } catch {
            XMLCLI.fail("schema \(schema) does not load: \(error)")
            throw ExitCode(Exit.configuration)
        }
        let issues: [XMLValidationIssue]
        do { issues = try set.validate(bytes) } catch {
            issues = [XMLValidationIssue(line: error.line, column: error.column, message: error.message)]
        }
        Output.line(issues)
        if !issues.isEmpty { throw ExitCode(1) }
    }
}

struct XMLSchemasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas", abstract: "List the XML schema names usable with --schema.",
        discussion: Help.text("One JSON line per schema; --table prints a table for reading.", example: "customs-hub xml schemas"))

    /// Kept for scripts: JSON lines are the default, as for every command.
    @Flag(help: .hidden)
    var json = false

    @Flag(help: "A table for reading instead of JSON lines.")
    var table = false

    func run() async throws {
        for entry in XMLSchemaCatalog.all {
            if !table {
                Output.line(entry)
            } else {
                print(entry.name.padding(toLength: 22, withPad: " ", startingAt: 0) + entry.summary)
            }
        }
    }
}

enum XMLRenderFormat: String, ExpressibleByArgument, CaseIterable {
    /// UK CDS import declaration (WCO DEC DMS v2): adapter uk-cds.
    case cds
    /// UK ICS entry summary declaration IE315: adapter uk-ics.
    case ics
    /// EU H7 low-value import in CustomsHub's own documented shape: adapter eu-h7.
    case h7

    var adapter: String {
        switch self {
        case .cds: "uk-cds"
        case .ics: "uk-ics"
        case .h7: "eu-h7"
        }
    }
}

/// Renders XML filings through the one filing path: the adapter catalog and its mappings, with
/// their business rules and XSD validation.
struct XMLRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render canonical orders (JSON lines) into customs XML filings through the adapter catalog, one JSON line per order.",
        discussion: """
            Output per order, in input order: {"line","adapter","schema","xml","notes"} or, refused, \
            {"line","errors":[{"rule","path","message"}]} (line: where the order starts in the input). Every filing is checked against \
            its mapping's business rules and its XSD before it is printed. Exit 1 when any order was refused.
            """ + "\n\n" + Help.examplePrefix + "customs-hub xml render --format cds --sequence 1 --set goods_location=LHRLHRLHR --set arrival_transport_id=BA0028 --set incoterm_place=GBLHR Fixtures/xml/orders/gb-b2c-cds-ready.json"
            + "\n\n" + Help.footer)

    @Option(help: "Filing to render: \(XMLRenderFormat.allCases.map(\.rawValue).joined(separator: ", ")) (adapters uk-cds, uk-ics, eu-h7).")
    var format: XMLRenderFormat

    @Option(help: "Exchange rate: GBP per unit of the order currency, dated the preparation day (CDS thresholds).")
    var gbpRate: String?

    @Option(help: "Exchange rate: EUR per unit of the order currency, dated the preparation day (H7 EUR 150 ceiling).")
    var eurRate: String?

    @Option(help: "Movement value for the mapping's inputs, NAME=VALUE (goods_location, expected_arrival, office_of_first_entry…). Repeatable.")
    var set: [String] = []

    @Option(help: "Render context JSON (sequence, rates, values), repeatable; --set and the rate options add to it.")
    var context: [String] = []

    @Option(help: "First reference sequence number; each further order takes the next. Default: the counter file.")
    var sequence: Int?

    @Option(help: "Persistent reference counter file (default: $CUSTOMS_HUB_SEQUENCE_FILE or ~/.local/state/customs-hub/reference-sequence).")
    var sequenceFile: String?

    @Option(name: .customLong("at"), help: "Time the filing is prepared (RFC 3339). Default: now.")
    var at: String?

    @Option(name: .customLong("prepared-at"), help: .hidden)
    var oldPreparedAt: String?

    var preparedAt: String? { at ?? oldPreparedAt }

    @Flag(name: .customLong("validate"), help: "Kept for scripts: every filing is validated against its schema anyway.")
    var validateFlag = false

    @Flag(help: "Pretty-print the XML inside the JSON (indented).")
    var indent = false

    @Argument(help: "Orders (JSON lines or one JSON document); - or nothing for stdin.")
    var file: String?

    /// Every argument is checked before the input is read.
    func validate() throws {
        _ = try XMLCLI.time(preparedAt, option: "--at")
        for pair in set where pair.firstIndex(of: "=").map({ $0 == pair.startIndex }) ?? true {
            throw ValidationError("--set \"\(pair)\" is not NAME=VALUE")
        }
        for (flag, text) in [("--gbp-rate", gbpRate), ("--eur-rate", eurRate)] {
            if let text, !((Decimal(exactly: text)).map { $0 > 0 } ?? false) { throw ValidationError("\(flag) \"\(text)\" is not a positive decimal") }
        }
    }

    func run() async throws {
        let records = try Input.recordList(file)
        let prepared = try XMLCLI.time(preparedAt, option: "--at") ?? Date()
        var inputs: RenderInputs
        do { inputs = try RenderInputs(contextFiles: context, sequence: sequence, sequenceFile: sequenceFile) } catch {
            XMLCLI.fail("\(error)")
            throw ExitCode(2)
        }
        for pair in set {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("--set \"\(pair)\" is not NAME=VALUE") }
            inputs.context.values[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let catalog = try loadCatalogOrExit()
        // The movement values the adapter's mapping takes: a refusal names `--set NAME=…` for them.
        let movementInputs = Set(catalog.mappings[catalog.adapters[format.adapter]?.outbound?.mapping ?? ""]?.inputs ?? [])
        let day = String(Timestamp.format(prepared).prefix(10))
        var failed = false
        for record in records {
            // As every command's records: the input line, then the filing or why it was refused (`errors`).
            var line = JSONObject([("line", .number(String(record.line)))])
            do {
                let order = try JSONValueDecoder().decode(Order.self, from: record.bytes)
                var context = try inputs.next(adapter: format.adapter)
                for (option, currency) in [(gbpRate, "GBP"), (eurRate, "EUR")] {
                    guard let text = option else { continue }
                    guard let rate = Decimal(exactly: text), rate > 0 else { throw ValidationError("rate \"\(text)\" is not a positive decimal") }
                    context.rates.append(ExchangeRate(from: order.currency, to: CurrencyCode(currency), rate: rate, date: day))
                }
                let filing = try catalog.render(order, adapter: format.adapter, now: prepared, context: context)
                line["adapter"] = .string(filing.adapter)
                line["schema"] = .string(catalog.mappings[catalog.adapters[filing.adapter]?.outbound?.mapping ?? ""]?.targetSchema ?? "")
                line["xml"] = .string(indent ? XMLWriter(indent: "  ").string(try SecureXMLParser().parse(Array(filing.body.utf8)).root) : filing.body)
                line["notes"] = .array(filing.notes.map { XMLCLI.object(["path": $0.path, "message": $0.message]) })
            } catch let error as AdapterError {
                failed = true
                line["errors"] = .array(error.violations.isEmpty
                    ? [XMLCLI.object(["path": "", "message": error.description])]
                    : error.violations.map { XMLCLI.object(["rule": $0.rule, "path": XMLCLI.flag(for: $0.field, inputs: movementInputs), "message": $0.message]) })
            } catch {
                failed = true
                line["errors"] = .array([XMLCLI.object(["path": "", "message": XMLCLI.describe(error)])])
            }
            Output.json(.object(line))
        }
        if failed { throw ExitCode(1) }
    }
}

struct XMLStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Read gateway answers (UK CDS DMS notifications, UK ICS responses) into canonical status events, one JSON line each.",
        discussion: """
            The kind of answer is recognised from the root element (SOAP envelopes are unwrapped). A file \
            may hold several CDS notifications; each becomes a line. An answer that cannot be read \
            gets a {"file","error"} line and exit 1; a file that cannot be opened is exit 2.
            """ + "\n\n" + Help.examplePrefix + "customs-hub xml status Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml"
            + "\n\n" + Help.footer)

    @Argument(help: "XML files; - or nothing for stdin.")
    var file: [String] = []

    @Option(name: .customLong("at"), help: "ICS answers carry no time: when they were received (RFC 3339). Default: now.")
    var at: String?

    @Option(name: .customLong("received-at"), help: .hidden)
    var oldReceivedAt: String?

    var receivedAt: String? { at ?? oldReceivedAt }

    func validate() throws { _ = try XMLCLI.time(receivedAt, option: "--at") }

    func run() async throws {
        var failed = false
        // Every input is opened before any is read: one that cannot be is exit 2, said on stderr.
        let inputs = try (file.isEmpty ? ["-"] : file).map { ($0, try Input.document($0)) }
        for (file, bytes) in inputs {
            do {
                let root = try SOAP.unwrap(try SecureXMLParser().parse(bytes).root)
                if ["SuccessResponse", "ErrorResponse"].contains(root.localName) {
                    let received = try XMLCLI.time(receivedAt, option: "--at") ?? Date()
                    Output.line(try ICSAnswer.read(root, receivedAt: received))
                } else {
                    for n in try CDSNotification.read(root) { Output.line(n) }
                }
            } catch {
                failed = true
                Output.json(.object(JSONObject([("error", .string(XMLCLI.describe(error))), ("file", .string(file))])))
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Edge helpers shared by the xml subcommands: reading input, compiling catalog schemas, JSON lines.
enum XMLCLI {

    static func time(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text) else { throw ValidationError("\(option) \"\(text)\" is not an RFC 3339 timestamp") }
        return date
    }

    /// A render option's error names the flag a person sets, not the engine's option field.
    /// What a person sets to fix a refused field: `--set NAME=…` for a movement value the mapping
    /// takes as an input, the field's own path for a field of the order.
    static func flag(for path: String, inputs: Set<String>) -> String {
        inputs.contains(path) ? "--set \(path)=…" : path
    }

    static func compile(_ entry: XMLSchemaEntry) throws -> XMLSchemaSet {
        let root = try ContentRoot.locate()
        let files = try root.fileContents(under: "Schemas/xml/\(entry.folder)").mapValues { [UInt8]($0) }
        return try XMLSchemaSet(files: files, entry: entry.entry)
    }

    /// Text members as a JSON object, keys in order.
    static func object(_ members: [String: String]) -> JSONValue {
        .object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as XMLError: e.description
        case let e as DecodingError: "not a canonical order: \(e)"
        default: "\(error)"
        }
    }

    static func fail(_ message: String) {
        Diagnostics.say(message)
    }
}

enum XMLCatalogNames {
    static var list: String { XMLSchemaCatalog.all.map(\.name).joined(separator: ", ") }
}
