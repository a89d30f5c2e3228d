import AdapterKit
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping
import Testing

/// Issue #21: hostile mapping, adapter and inbound inputs, each with the input that reproduced it.
@Suite struct MappingHostileInputTests {
    let header = "mapping: t\ndirection: outbound\ncanonical: order\nformat: json\nrules:\n"

    func loadErrors(_ yaml: String) -> [MappingError] {
        do {
            _ = try MappingLoader().load(yaml, file: "Mappings/hostile.yaml")
            return []
        } catch let e as MappingErrors {
            return e.errors
        } catch {
            return [MappingError(location: SpecLocation(file: "", line: 0, column: 0), field: "", message: "\(error)")]
        }
    }

    // Finding 3: these passed `mappings check`, then `render` grew by 35 MB/s.
    @Test func hugeTransformArgumentsAreRefusedAtLoad() {
        let pad = loadErrors(header + "  - {to: /a, from: currency, transform: [{pad_left: [1000000000, \"x\"]}]}\n")
        #expect(pad.contains { $0.field.hasSuffix("pad_left") && $0.message.contains("out of range: at most 10000") })
        let places = loadErrors(header + "  - {to: /a, from: currency, transform: [{decimal: {places: 1000000000}}]}\n")
        #expect(places.contains { $0.message.contains("at most 38") })
        let slice = loadErrors(header + "  - {to: /a, from: currency, transform: [{slice: [0, 99999999]}]}\n")
        #expect(!slice.isEmpty)
        #expect(loadErrors(header + "  - {to: /a, from: currency, transform: [{pad_left: [35, \"0\"]}, {decimal: {places: 2}}]}\n").isEmpty)
    }

    // Finding 7: 40,000 table keys took 4.2 s to load (a linear duplicate check per key).
    @Test func largeTableLoadsAndLooksUpByHash() throws {
        let keys = 40_000
        var yaml = header + "  - {to: /a, from: currency, table: big}\ntables:\n  big:\n"
        for k in 0..<keys { yaml += "    K\(k): V\(k)\n" }
        let spec = try MappingLoader().load(yaml, file: "Mappings/big.yaml")
        let table = try #require(spec.tables["big"])
        #expect(table.entries.count == keys)
        #expect(table.lookup("K39999") == .string("V39999"))
        #expect(table.lookup("nope") == nil)
    }

    @Test func oversizedSpecFileIsRefusedBeforeParsing() {
        let big = header + "# " + String(repeating: "x", count: SpecNode.maxFileBytes) + "\n"
        #expect(loadErrors(big).contains { $0.message.contains("over the 4194304-byte limit") })
    }

    // Finding 13: YAML tags were silently dropped.
    @Test func yamlTagsAreRefused() {
        for tagged in ["!!python/object/apply:os.system [\"ls\"]", "!!binary aGVsbG8=", "!custom x"] {
            let e = loadErrors(header + "  - {to: /a, value: \(tagged)}\n")
            #expect(e.contains { $0.message.contains("YAML tag") && $0.message.contains("not allowed") }, "\(tagged): \(e)")
        }
        // Plain values, dates included, are not tags.
        #expect(loadErrors(header + "  - {to: /a, value: 2026-01-01}\n  - {to: /b, value: 12}\n").isEmpty)
    }

    /// Issue #20: an unknown key no longer hides the bad paths and tables of the same file; one
    /// `mappings check` reports them all.
    @Test func everyProblemOfAMappingInOnePass() throws {
        let content = try Repo.scratchContent([
            "Mappings/t.yaml": header + """
              - {to: /a, from: currency, bogus_key: 1}
              - {to: /b, from: "lines[0].descriptionx"}
              - {to: /c, from: currency, table: no_such_table}

            """,
        ])
        let errors = content.loadCatalog().errors.filter { $0.location.file == "Mappings/t.yaml" }
        #expect(errors.contains { $0.field.hasSuffix("bogus_key") }, "\(errors)")
        #expect(errors.contains { $0.message.contains("descriptionx") || $0.field.contains("descriptionx") }, "\(errors)")
        #expect(errors.contains { $0.message.contains("no_such_table") }, "\(errors)")
    }

    static let adapter = """
        adapter: hostile
        name: Hostile
        format: json
        routes: {destinations: ["*"]}
        outbound: {mapping: t.yaml, message_type: T}
        transport: {kind: http, endpoint: "ENDPOINT"}
        responses:
          - {status: [STATUS], outcome: accepted}

        """

    func adapterErrors(endpoint: String = "https://gw.example.com/in", status: String = "201") throws -> [MappingError] {
        let text = Self.adapter.replacingOccurrences(of: "ENDPOINT", with: endpoint).replacingOccurrences(of: "STATUS", with: status)
        let content = try Repo.scratchContent([
            "Adapters/hostile.yaml": text,
            "Mappings/t.yaml": header + "  - {to: /a, from: currency}\n",
        ])
        return content.loadCatalog().errors
    }

    // Finding 13: credentials in an endpoint URL and impossible HTTP statuses passed.
    @Test func credentialsInEndpointURLsAreLoadErrors() throws {
        let clean = try adapterErrors()
        #expect(clean.isEmpty, "\(clean)")
        #expect(try adapterErrors(endpoint: "https://user:pass@gw.example.com/in").contains { $0.field == "transport.endpoint" && $0.message.contains("user or password") })
        #expect(try adapterErrors(endpoint: "https://gw.example.com/in?api_key=abc").contains { $0.message.contains("\"api_key\"") })
        #expect(try adapterErrors(endpoint: "https://gw.example.com/in?access_token=abc&x=1").contains { $0.field == "transport.endpoint" })
    }

    @Test func impossibleHTTPStatusesAreLoadErrors() throws {
        for bad in ["999", "-1", "9xx", "abc", "20"] {
            #expect(try adapterErrors(status: bad).contains { $0.field.hasPrefix("responses[0].status") && $0.message.contains("not an HTTP status") }, "\(bad)")
        }
        #expect(try adapterErrors(status: "4xx").isEmpty)
    }
}

@Suite struct IngestHostileInputTests {
    // Finding 9: 20,000 interchanges in one file gave one event, exit 0.
    @Test func everyInterchangeOfAnEDIFACTFileIsIngested() throws {
        let one = try Repo.text("Fixtures/edifact/synthetic/contrl_rejected.edi")
        let three = one + one.replacingOccurrences(of: "GW0000079", with: "GW0000080") + one.replacingOccurrences(of: "GW0000079", with: "GW0000081")
        let result = try Repo.catalog.ingest(Array(three.utf8), adapter: "cusdec-gateway")
        #expect(result.events.count == 3)
    }

    // Finding 15: an unknown syntax identifier only warned, and ingest mapped the message anyway.
    @Test func unknownSyntaxIdentifierIsNotMapped() throws {
        let text = try Repo.text("Fixtures/edifact/synthetic/contrl_rejected.edi").replacingOccurrences(of: "UNOC:3", with: "XXXX:3")
        #expect {
            try Repo.catalog.ingest(Array(text.utf8), adapter: "cusdec-gateway")
        } throws: { error in
            let e = error as? AdapterError
            return e?.unreadable == true && e?.description.contains("not a UN syntax level") == true && e?.description.contains("UNB") == true
        }
    }

    // Finding 8: "14.50.99" was read as 14.50 in a shop-webhook order.
    @Test func shopOrderWithAMalformedAmountIsNotIngested() throws {
        let text = try Repo.text("Fixtures/json/shop/order_created.json")
        #expect(text.contains(#""price": "14.50""#))
        let bad = text.replacingOccurrences(of: #""price": "14.50""#, with: #""price": "14.50.99""#)
        #expect(throws: AdapterError.self) { try Repo.catalog.ingest(Array(bad.utf8), adapter: "shop-webhook") }
    }
}

/// The ERP order readers: what a real export gets wrong is named, and what it leaves empty is absent.
@Suite struct ERPOrderReaderTests {
    @Test("CSV: the separator is found from the header, empty cells are absent, each row keeps its line number")
    func csvTreeShape() throws {
        let tree = try CSVMessageReader().read(Array("a;b;c\n1;;\"x;y\"\n\n2;3;4\n".utf8))
        let rows = try #require(tree["rows"]?.arrayValue)
        #expect(rows.count == 2, "a blank line is no row")
        #expect(rows[0]["b"] == nil && rows[0]["c"] == .string("x;y") && rows[0]["_line"] == .number("2"))
        #expect(rows[1]["_line"] == .number("4"))
        #expect(try CSVMessageReader().read(Array("a\tb\n1\t2\n".utf8))["rows"]?.arrayValue?.first?["b"] == .string("2"))
    }

    @Test("CSV that is not UTF-8, names a column twice, has extra fields or no rows is refused, naming the line")
    func csvRefusals() {
        let cases: [([UInt8], String)] = [
            (Array("name\nM".utf8) + [0xE9, 0x0A], "UTF-8"),
            (Array("a,b,a\n1,2,3\n".utf8), "column \"a\" is named twice"),
            (Array("a,b\n1,2,3\n".utf8), "line 2: 3 fields for 2 columns"),
            (Array("a,b\n".utf8), "no data rows"),
        ]
        for (bytes, expected) in cases {
            #expect { _ = try CSVMessageReader().read(bytes) } throws: { "\($0)".contains(expected) }
        }
    }

    @Test("Each ERP fixture maps to a valid order with its lines, parties and weights", arguments: [
        "erp-edifact invoice-d97b.edi GB", "erp-xml invoice-ubl.xml CH", "erp-csv orders.csv FR",
    ])
    func fixturesMap(_ example: String) throws {
        let parts = example.split(separator: " ").map(String.init)
        let (adapter, file, destination) = (parts[0], parts[1], parts[2])
        let result = try Repo.catalog.ingest(Array(try Repo.text("Fixtures/erp/\(file)").utf8), adapter: adapter, kind: "order")
        let order = try #require(result.orders.first)
        #expect(order.lines.count == 2)
        #expect(order.shipment.destinationCountry.rawValue == destination)
        #expect(order.lines.allSatisfy { $0.netWeight != nil && $0.originCountry != nil })
        #expect(order.shipment.parcels.first?.grossWeight != nil)
        #expect(order.parties.first { $0.role == .consignee }?.taxIDs.first?.kind == .eori)
    }

    @Test("A value the mapping cannot use names where it was read in the incoming message, not only the rule")
    func ingestErrorsNameTheIncomingField() throws {
        let bad = try Repo.text("Fixtures/erp/invoice-d97b.edi").replacingOccurrences(of: "QTY+47:120:PCE", with: "QTY+47:12O:PCE")
        #expect {
            _ = try Repo.catalog.ingest(Array(bad.utf8), adapter: "erp-edifact", kind: "order")
        } throws: { error in
            let text = "\(error)"
            // The rule, the order field (second line) and the message's own field and record.
            return text.contains("/lines/1/quantity") && text.contains("\"12O\"")
                && text.contains("read from record 1, item.segments[tag=QTY][q=47].elements[0][1]")
        }
    }

    @Test("UBL: a classification under another list is not read as an HS code")
    func ublReadsOnlyHSClassifications() throws {
        let result = try Repo.catalog.ingest(Array(try Repo.text("Fixtures/erp/invoice-ubl.xml").utf8), adapter: "erp-xml", kind: "order")
        let order = try #require(result.orders.first)
        #expect(order.lines[0].hsCode?.rawValue == "611011")
        #expect(order.lines[1].hsCode == nil)
    }
}
