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
