import ArgumentParser
import CustomsModel
import CustomsXML
import Foundation
import HubContent
import SecureXML

/// `customs-hub xml …`: validate customs XML against the repo's XSDs, render filings from orders,
/// and read gateway answers into status events.
struct XMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xml",
        abstract: "Customs XML: XSD validation, UK CDS / ICS / EU H7 rendering, notification reading.",
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
            + "\n\n" + Exit.table)

    @Option(name: .long, help: "Schema name (see `customs-hub xml schemas`).")
    var schema: String

    @Argument(help: "XML file to validate; - or nothing for stdin.")
    var file: String?

    func run() async throws {
        guard let entry = XMLSchemaCatalog.named(schema) else {
            XMLCLI.fail("unknown schema \"\(schema)\"; known: \(XMLCatalogNames.list)")
            throw ExitCode(2)
        }
        let bytes: [UInt8]
        do { bytes = try XMLCLI.read(file) } catch {
            XMLCLI.fail("\(error)")
            throw ExitCode(2)
        }
        let set: XMLSchemaSet
        do { set = try XMLCLI.compile(entry) } catch {
            XMLCLI.fail("schema \(schema): \(error)")
            throw ExitCode(2)
        }
        let issues: [XMLValidationIssue]
        do { issues = try set.validate(bytes) } catch {
            issues = [XMLValidationIssue(line: error.line, column: error.column, message: error.message)]
        }
        print(try CanonicalJSON.encode(issues))
        if !issues.isEmpty { throw ExitCode(1) }
    }
}

struct XMLSchemasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas", abstract: "List the XML schema names usable with --schema.",
        discussion: Help.text(example: "customs-hub xml schemas --json"))

    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    func run() async throws {
        for entry in XMLSchemaCatalog.all {
            if json {
                print(try CanonicalJSON.encode(entry))
            } else {
                print(entry.name.padding(toLength: 22, withPad: " ", startingAt: 0) + entry.summary)
            }
        }
    }
}

enum XMLRenderFormat: String, ExpressibleByArgument, CaseIterable {
    /// UK CDS import declaration (WCO DEC DMS v2).
    case cds
    /// UK ICS entry summary declaration IE315, or IE313 with --amends-mrn.
    case ics
    /// EU H7 low-value import in CustomsHub's own documented shape.
    case h7
}

struct XMLRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render canonical orders (JSON lines) into customs XML filings, one JSON line per order.",
        discussion: """
            Output per order: {"index","line","ok":true,"reference","schema","xml","warnings"[,"issues"]} or \
            {"index","line","ok":false,"errors":[{"path","message"}]}. Exit 1 when any order failed (or, with \
            --validate, did not validate).
            """ + "\n\n" + Help.examplePrefix + "customs-hub xml render --format cds --declarant-eori GB123456789000 Fixtures/xml/orders/gb-b2c-cds-ready.json"
            + "\n\n" + Exit.table)

    @Option(help: "Filing to render: \(XMLRenderFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: XMLRenderFormat

    @Option(help: "EORI of the declarant / person lodging (CDS DE 3/18).")
    var declarantEori: String?

    @Option(help: "Prefix for references derived from external_reference (LRN).")
    var referencePrefix: String = ""

    @Option(help: "Exchange rate: GBP per unit of the order currency (CDS low-value threshold).")
    var gbpRate: String?

    @Option(help: "Exchange rate: EUR per unit of the order currency (H7 EUR 150 ceiling).")
    var eurRate: String?

    @Option(help: "ICS: customs office of first entry (8 characters).")
    var officeOfFirstEntry: String = "GB000085"

    @Option(help: "ICS: expected arrival at the office of first entry (RFC 3339). Default: prepared time + 1 day.")
    var expectedArrival: String?

    @Option(name: [.customLong("at"), .customLong("prepared-at")], help: "Time the filing is prepared (RFC 3339). Default: now.")
    var preparedAt: String?

    @Option(help: "ICS: MRN of the lodged ENS; renders an IE313 amendment of it.")
    var amendsMrn: String?

    @Flag(help: "Validate each rendered filing against its schema and report the findings.")
    var validate = false

    @Flag(help: "Pretty-print the XML inside the JSON (indented).")
    var indent = false

    @Argument(help: "File of orders as JSON lines (a single JSON order also works), or - for stdin.")
    var input: String = "-"

    func run() async throws {
        let bytes: [UInt8]
        do { bytes = try RecordInput.read(input) } catch {
            XMLCLI.fail("\(error)")
            throw ExitCode(2)
        }
        var schemas: [String: XMLSchemaSet] = [:]
        var failed = false
        for (index, record) in RecordInput.records(bytes).enumerated() {
            var line: [String: Any] = ["index": index, "line": record.line]
            do {
                let order = try CanonicalJSON.decoder().decode(Order.self, from: Data(record.bytes))
                let reference = XMLCLI.reference(referencePrefix + order.externalReference)
                let filing = try render(order, reference: reference)
                line["ok"] = true
                line["reference"] = reference
                line["schema"] = filing.schemaName
                line["xml"] = filing.xml(indent: indent ? "  " : nil)
                line["warnings"] = filing.warnings.map { ["path": $0.path, "message": $0.message] }
                if validate, let entry = XMLSchemaCatalog.named(filing.schemaName) {
                    let compiled = try schemas[entry.name] ?? XMLCLI.compile(entry)
                    schemas[entry.name] = compiled
                    let issues = try compiled.validate(filing.root)
                    line["issues"] = issues.map { ["line": $0.line, "column": $0.column, "message": $0.message] }
                    if !issues.isEmpty { failed = true }
                }
            } catch let failure as RenderFailure {
                failed = true
                line["ok"] = false
                line["errors"] = failure.issues.map { ["path": XMLCLI.flag(for: $0.path), "message": $0.message] }
            } catch {
                failed = true
                line["ok"] = false
                line["errors"] = [["path": "", "message": XMLCLI.describe(error)]]
            }
            print(try XMLCLI.jsonLine(line))
        }
        if failed { throw ExitCode(1) }
    }

    private func render(_ order: Order, reference: String) throws -> RenderedXMLFiling {
        let prepared = try XMLCLI.time(preparedAt, option: "--prepared-at") ?? Date()
        switch format {
        case .cds:
            let options = CDSImportDeclaration.Options(
                lrn: reference, declarantEORI: declarantEori ?? "", gbpPerOrderCurrencyUnit: gbpRate.flatMap { Decimal(exactly: $0) })
            return try CDSImportDeclaration().render(order, options: options)
        case .ics:
            let arrival = try XMLCLI.time(expectedArrival, option: "--expected-arrival") ?? prepared.addingTimeInterval(86_400)
            let options = ICSEntrySummary.Options(
                lrn: reference, sender: declarantEori ?? "", messageID: String(reference.suffix(14)), lodgingEORI: declarantEori ?? "",
                officeOfFirstEntry: officeOfFirstEntry, expectedArrival: arrival, preparedAt: prepared, amendsMRN: amendsMrn)
            return try ICSEntrySummary().render(order, options: options)
        case .h7:
            let options = EUH7LowValueImport.Options(
                reference: reference, declarantEORI: declarantEori ?? "", preparedAt: prepared,
                eurPerOrderCurrencyUnit: eurRate.flatMap { Decimal(exactly: $0) })
            return try EUH7LowValueImport().render(order, options: options)
        }
    }
}

struct XMLStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Read gateway answers (UK CDS DMS notifications, UK ICS responses) into canonical status events, one JSON line each.",
        discussion: """
            The kind of answer is recognised from the root element (SOAP envelopes are unwrapped). A file \
            may hold several CDS notifications; each becomes a line. Unreadable files give \
            {"file","error"} lines and exit 1.
            """ + "\n\n" + Help.examplePrefix + "customs-hub xml status Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml"
            + "\n\n" + Exit.table)

    @Argument(help: "XML files (or - for stdin).")
    var files: [String] = ["-"]

    @Option(name: [.customLong("at"), .customLong("received-at")], help: "ICS answers carry no time: when they were received (RFC 3339). Default: now.")
    var receivedAt: String?

    func run() async throws {
        var failed = false
        var unreadable = false
        for file in files {
            do {
                let root = try SOAP.unwrap(try SecureXMLParser().parse(try XMLCLI.read(file)).root)
                if ["SuccessResponse", "ErrorResponse"].contains(root.localName) {
                    let received = try XMLCLI.time(receivedAt, option: "--received-at") ?? Date()
                    print(try CanonicalJSON.encode(try ICSAnswer.read(root, receivedAt: received)))
                } else {
                    for n in try CDSNotification.read(root) { print(try CanonicalJSON.encode(n)) }
                }
            } catch {
                failed = true
                if error is InputError { unreadable = true }
                print(try XMLCLI.jsonLine(["file": file, "error": XMLCLI.describe(error)]))
            }
        }
        if unreadable { throw ExitCode(Exit.usage) }
        if failed { throw ExitCode(1) }
    }
}

/// Edge helpers shared by the xml subcommands: reading input, compiling catalog schemas, JSON lines.
enum XMLCLI {
    /// The file's bytes (`-` is stdin), with the same size bound as every record command.
    static func read(_ path: String?) throws -> [UInt8] { try InputFile(path).readAll() }

    static func time(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text) else { throw ValidationError("\(option) \"\(text)\" is not an RFC 3339 timestamp") }
        return date
    }

    /// A render option's error names the flag a person sets, not the engine's option field.
    static func flag(for path: String) -> String {
        let flags = [
            "options.declarant_eori": "--declarant-eori", "options.sender": "--declarant-eori", "options.lodging_eori": "--declarant-eori",
            "options.lrn": "--reference-prefix and external_reference", "options.reference": "--reference-prefix and external_reference",
            "options.message_id": "--reference-prefix and external_reference", "options.gbp_per_order_currency_unit": "--gbp-rate",
            "options.eur_per_order_currency_unit": "--eur-rate", "options.office_of_first_entry": "--office-of-first-entry",
            "options.amends_mrn": "--amends-mrn",
        ]
        return flags[path] ?? path
    }

    static func compile(_ entry: XMLSchemaEntry) throws -> XMLSchemaSet {
        let root = try ContentRoot.locate()
        let files = try root.fileContents(under: "Schemas/xml/\(entry.folder)").mapValues { [UInt8]($0) }
        return try XMLSchemaSet(files: files, entry: entry.entry)
    }

    /// A reference usable as LRN / ENS reference: letters, digits, `-`; at most 22 characters.
    static func reference(_ text: String) -> String {
        String(text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }.prefix(22))
    }

    static func jsonLine(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
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
