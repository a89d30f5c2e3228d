import AdapterKit
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Mapping
import Testing

@Suite struct MappingLoadErrorTests {
    func errors(_ yaml: String, file: String = "Mappings/test.yaml") -> [MappingError] {
        do {
            let spec = try MappingLoader().load(yaml, file: file)
            let schema = try Repo.json("Schemas/order.schema.json")
            return MappingChecker(canonicalSchema: schema).check(spec)
        } catch let e as MappingErrors {
            return e.errors
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    let header = "mapping: t\ndirection: outbound\ncanonical: order\nformat: json\nrules:\n"

    @Test func brokenYAMLNamesTheLine() {
        let e = errors("mapping: t\nrules:\n  - to: /a\n    from: [unclosed\n")
        #expect(e.count == 1)
        #expect(e.first?.location.file == "Mappings/test.yaml")
        #expect((e.first?.location.line ?? 0) >= 4)
    }

    @Test func unknownKeyGetsASuggestionAndItsLine() {
        let e = errors(header + "  - to: /a\n    form: currency\n")
        #expect(e.contains { $0.location.line == 7 && $0.field == "rules[0].form" && $0.message.contains("did you mean from?") })
    }

    @Test func unknownCanonicalPathIsNamedWithAHint() {
        let e = errors(header + "  - to: /a\n    from: shipment.destination_contry\n")
        #expect(e.count == 1)
        #expect(e.first?.location.line == 6)
        #expect(e.first?.message.contains("did you mean destination_country?") == true)
    }

    @Test func loopVariablesResolveAgainstTheListItems() {
        let good = errors(header + "  - each: lines\n    as: line\n    to: /items\n    rules:\n      - {to: d, from: line.description}\n")
        #expect(good.isEmpty, "\(good)")
        let bad = errors(header + "  - each: lines\n    as: line\n    to: /items\n    rules:\n      - {to: d, from: line.colour}\n")
        #expect(bad.first?.message.contains("unknown field colour") == true)
        let notList = errors(header + "  - each: currency\n    as: c\n    rules:\n      - {to: d, from: c}\n")
        #expect(notList.first?.message.contains("not a list") == true)
    }

    @Test func transformsMustSuitTheFieldType() {
        let e = errors(header + "  - {to: /w, from: shipment.ship_from_country, transform: [{weight_to: kg}]}\n  - {to: /x, from: shipment, transform: [upper]}\n  - {to: /y, from: currency, transform: [{round: 2}]}\n")
        #expect(e.count == 3)
        #expect(e.map(\.location.line) == [6, 7, 8])
    }

    @Test func missingMandatoryTargetFieldIsReported() throws {
        let spec = try MappingLoader().load(header + "  - {to: /shipment/customs_info/customs_certify, value: true}\n", file: "Mappings/t.yaml")
        let checker = MappingChecker(canonicalSchema: try Repo.json("Schemas/order.schema.json"), targetSchema: try Repo.json("Schemas/easypost-shipment.schema.json"))
        let e = checker.check(spec).map(\.message)
        #expect(e.contains("mandatory target field shipment/customs_info/customs_signer is never written"))
        #expect(e.contains("mandatory target field shipment/customs_info/customs_items is never written"))
    }

    /// A loop's `where` is checked against the loop variable's schema; a `table` transform must name a table.
    @Test func loopFiltersAndTableTransformsAreChecked() {
        let e = errors(header + "  - each: lines\n    as: line\n    where: {exists: line.colour}\n    to: /items\n    rules:\n      - {to: sku, from: line.sku, transform: [{slice: [0, 2]}, {table: nope}]}\n")
        #expect(e.contains { $0.field == "rules[0].where" && $0.message.contains("colour") })
        #expect(e.contains { $0.field.hasSuffix(".transform") && $0.message.contains("table nope is not defined") })
    }

    @Test func undefinedTablesAndBadTransformsAreCaught() {
        let table = errors(header + "  - {to: /a, from: currency, table: nope}\n")
        #expect(table.contains { $0.field == "rules[0].table" && $0.message.contains("not defined") })
        let e = errors(header + "  - {to: /a, from: currency}\n  - {to: /b, from: currency, transform: [{shout: 1}]}\n  - {to: /c, from: currency, transform: [{date: 'dd.MM.yyyy QQ'}]}\n")
        #expect(e.contains { $0.field == "rules[1].transform[0]" })
        #expect(e.contains { $0.field == "rules[2].transform[0].date" })
    }

    /// `identifier: true` is checked at load: a boolean, on a rule that has a truncate to guard.
    @Test func identifierMarksAreCheckedAtLoad() {
        let word = errors(header + "  - {to: /a, from: external_reference, transform: [{truncate: 5}], identifier: yes please}\n")
        #expect(word.contains { $0.field == "rules[0].identifier" && $0.message.contains("true or false") }, "\(word)")
        let nothingToGuard = errors(header + "  - {to: /a, from: external_reference, identifier: true}\n")
        #expect(nothingToGuard.contains { $0.field == "rules[0].identifier" && $0.message.contains("no truncate") }, "\(nothingToGuard)")
        #expect(errors(header + "  - {to: /a, from: external_reference, transform: [upper, {truncate: 5}], identifier: true}\n").isEmpty)
    }

    /// "Billion laughs": nine levels of aliases, each nine times the last. Yams shares aliased
    /// nodes, so expansion happens only when walked, and the loader's value budget stops it.
    @Test func aliasBombsAreStoppedByTheValueBudget() {
        var yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { yaml += "l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        #expect(errors(yaml).first?.message.contains("more than 200000 values") == true)
    }

    @Test func norwayStaysNorway() throws {
        let spec = try MappingLoader().load(header + "  - {to: /c, value: NO}\n", file: "t.yaml")
        let out = try MappingEngine(spec: spec).run(.object(JSONObject()))
        #expect(out.documents.first?["c"] == .string("NO"))
    }

    @Test(arguments: ["", "[]", "42", "\u{0}\u{1}garbage: [", String(repeating: "- ", count: 200) + "x", "rules: {}"])
    func garbageNeverCrashesTheLoader(_ text: String) {
        #expect(throws: MappingErrors.self) { try MappingLoader().load(text, file: "x.yaml") }
    }

    @Test func adapterFilesRefuseSecrets() {
        let yaml = """
            adapter: leaky
            format: json
            outbound: {mapping: m.yaml, message_type: X}
            transport:
              kind: http
              endpoint: https://example.com/x
              headers: {Authorization: Bearer abc123}
            auth:
              kind: api_key_header
              header: X-Key
              key: sk_live_123
            """
        do {
            _ = try AdapterLoader().load(yaml, file: "Adapters/leaky.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.contains { $0.field == "auth.key" && $0.location.line == 11 && $0.message.contains("never written") })
            #expect(error.errors.contains { $0.field == "transport.headers.Authorization" })
        }
    }
}

@Suite struct MappingEngineTests {
    func run(_ rules: String, on input: String) throws -> MappingOutput {
        let spec = try MappingLoader().load("mapping: t\ndirection: outbound\ncanonical: order\nformat: json\ntables:\n  t: {a: A, _default: Z}\n  strict: {a: A}\nrules:\n" + rules, file: "t.yaml")
        return try MappingEngine(spec: spec).run(try JSONParser.parse(input))
    }

    @Test func conditionsTablesAndDefaults() throws {
        let out = try run(
            """
              - {to: /x, from: k, table: t}
              - {to: /y, from: other, table: t}
              - {to: /z, value: yes, when: {all: [{equals: [k, a]}, {not: {exists: missing}}]}}
              - {to: /w, value: no, when: {in: [k, [b, c]]}}
              - {to: /d, from: missing, default: fallback}
              - {to: /e, from: missing, default_from: k}
            """, on: #"{"k": "a", "other": "q"}"#)
        let doc = try #require(out.documents.first)
        #expect(doc["x"] == .string("A"))
        #expect(doc["y"] == .string("Z"))
        #expect(doc["z"] == .string("yes"))
        #expect(doc["w"] == nil)
        #expect(doc["d"] == .string("fallback"))
        #expect(doc["e"] == .string("a"))
    }

    @Test("[group from TAG] makes one run per trigger segment, ended by the next trigger or UNS; [group by KEY] groups rows by a value")
    func segmentRunsAndRowGroups() throws {
        let segments = ["BGM", "LIN", "QTY", "MOA", "LIN", "QTY", "UNS", "MOA"].enumerated().map { i, tag in
            #"{"tag": "\#(tag)", "q": "\#(i)", "elements": [["\#(i)"]]}"#
        }.joined(separator: ",")
        let out = try run(
            """
              - each: "segments[group from LIN]"
                as: item
                to: /lines
                rules:
                  - {to: first, from: "item.elements[0][0]"}
                  - {to: count, count: "item.segments"}
                  - {to: qty, from: "item.segments[tag=QTY].q"}
              - each: "rows[group by order]"
                as: g
                to: /orders
                rules:
                  - {to: key, from: $g/key}
                  - {to: rows, count: $g/rows}
            """, on: #"{"segments": [\#(segments)], "rows": [{"order": "A"}, {"order": "B"}, {"order": "A"}]}"#)
        let doc = try #require(out.documents.first)
        let lines = try #require(doc["lines"]?.arrayValue)
        #expect(lines.map { $0["first"] } == [.string("1"), .string("4")])
        #expect(lines.map { $0["count"] } == [.number("3"), .number("2")], "the second run stops at UNS: the summary MOA is not a line's")
        #expect(lines.map { $0["qty"] } == [.string("2"), .string("5")])
        let orders = try #require(doc["orders"]?.arrayValue)
        #expect(orders.map { $0["key"] } == [.string("A"), .string("B")])
        #expect(orders.map { $0["rows"] } == [.number("2"), .number("1")])
        #expect(throws: (any Error).self) { _ = try ValuePath("rows[group by ]") }
    }

    @Test func tableMissWithoutDefaultIsAnErrorNamingTheRule() {
        #expect {
            _ = try run("  - {to: /x, from: k, table: strict}\n", on: #"{"k": "b"}"#)
        } throws: { error in
            let d = "\(error)"
            return d.contains("t.yaml:9") && d.contains("\"b\" has no entry in table strict")
        }
    }

    @Test func transformsFormatDatesNumbersAndWeights() throws {
        let out = try run(
            """
              - {to: /date, from: ts, transform: [{date: yyMMddHHmm}]}
              - {to: /eu, from: amount, transform: [{decimal: {places: 2, mark: ","}}]}
              - {to: /oz, from: w, transform: [{weight_to: oz}, {round: 2}]}
              - {to: /pad, from: n, transform: [{pad_left: [6, "0"]}]}
              - {to: /hs, from: hs, transform: [digits_only, {slice: [0, 6]}]}
              - {to: /t, template: "{k}-{n}"}
              - {to: /c, concat: [k, n, missing], separator: "/"}
              - {to: /sum, sum: "items[].v"}
              - {to: /count, count: items}
              - {to: /cut, from: long, transform: [{truncate: 5}]}
            """,
            on: #"{"ts": "2026-11-20T09:15:00+01:00", "amount": "1234.5", "w": {"value": "1", "unit": "kg"}, "n": 42, "hs": "6109.10.00", "k": "a", "long": "abcdefgh", "items": [{"v": "1.10"}, {"v": 2}]}"#)
        let doc = try #require(out.documents.first)
        #expect(doc["date"] == .string("2611200815"))
        #expect(doc["eu"] == .string("1234,50"))
        #expect(doc["oz"] == .number("35.27"))
        #expect(doc["pad"] == .string("000042"))
        #expect(doc["hs"] == .string("610910"))
        #expect(doc["t"] == .string("a-42"))
        #expect(doc["c"] == .string("a/42"))
        #expect(doc["sum"] == .number("3.1"))
        #expect(doc["count"] == .number("2"))
        #expect(doc["cut"] == .string("abcde"))
        #expect(out.notes.count == 1 && out.notes[0].message.contains("truncated from 8 to 5"))
    }

    @Test func loopsAppendOneElementPerItemWithCounters() throws {
        let out = try run(
            """
              - each: items
                as: it
                to: /rows
                rules:
                  - {to: n, from: $position, type: integer}
                  - {to: v, from: it.v, type: decimal_string}
                  - {to: nested/0/code, value: X}
            """, on: #"{"items": [{"v": "1.10"}, {"v": 2}]}"#)
        let rows = try #require(out.documents.first?["rows"]?.arrayValue)
        #expect(rows.count == 2)
        #expect(rows[1]["n"] == .number("2"))
        #expect(rows[0]["v"] == .string("1.1"))
        #expect(rows[0]["nested"]?.arrayValue?.first?["code"] == .string("X"))
    }

    @Test func segmentsAreAppendedInOrderAndEmptyOnesLeftOut() throws {
        let out = try run(
            """
              - segment: BGM
                elements: ["929", {from: k}, "9"]
              - each: items
                as: it
                rules:
                  - segment: QTY
                    elements: [["47", {from: it.v, type: decimal_string}, PCE]]
              - segment: NAD
                elements: [CN, {from: missing}]
              - segment: UNS
                elements: [S]
            """, on: #"{"k": "a", "items": [{"v": "1.10"}, {"v": 2}]}"#)
        let segments = try #require(out.documents.first?["segments"]?.arrayValue)
        #expect(segments.map { $0["tag"]?.stringValue } == ["BGM", "QTY", "QTY", "UNS"])
        #expect(segments[0]["elements"] == .array([.array([.string("929")]), .array([.string("a")]), .array([.string("9")])]))
        #expect(segments[2]["elements"] == .array([.array([.string("47"), .string("2"), .string("PCE")])]))
    }

    /// Issue #20: cutting an identifier could make two the same, so it is an error naming the field
    /// and the value; a cut of free text stays a note (`transformsFormatDatesNumbersAndWeights`).
    @Test func aTruncatedIdentifierIsAnErrorNamingFieldAndValue() throws {
        let rules = "  - {to: /ref, from: ref, transform: [{truncate: 10}], identifier: true}\n  - {to: /text, from: text, transform: [{truncate: 4}]}\n"
        let fits = try run(rules, on: #"{"ref": "NW-1000001", "text": "abcdefgh"}"#)
        #expect(fits.documents.first?["ref"] == .string("NW-1000001"))
        #expect(fits.notes.count == 1 && fits.notes[0].path == "/text")
        #expect {
            _ = try run(rules, on: #"{"ref": "northwind-NW-100231", "text": "abc"}"#)
        } throws: { error in
            let d = "\(error)"
            return d.contains("t.yaml:9") && d.contains("rules[0]") && d.contains("/ref") && d.contains("\"northwind-NW-100231\"") && d.contains("holds 10")
        }
    }

    @Test func typeConversionFailuresAreErrors() {
        #expect(throws: MappingRunError.self) { try run("  - {to: /q, from: q, type: integer}\n", on: #"{"q": "1.5"}"#) }
        #expect(throws: MappingRunError.self) { try run("  - {to: /q, from: q, required: true}\n", on: "{}") }
    }
}

/// The README's "Add a courier in 10 minutes" walkthrough, run from its files in Fixtures/walkthrough.
@Suite struct WalkthroughTests {
    @Test func walkthroughCourierRendersTheExpectedMessage() throws {
        let content = try Repo.scratchContent([
            "Adapters/acme-parcel.yaml": try Repo.text("Fixtures/walkthrough/Adapters/acme-parcel.yaml"),
            "Mappings/acme-parcel/declaration.yaml": try Repo.text("Fixtures/walkthrough/Mappings/acme-parcel/declaration.yaml"),
        ])
        let (catalog, errors) = content.loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        let filing = try catalog.render(try Repo.order("gb-b2c-apparel-from-cn"), adapter: "acme-parcel", now: Repo.goldenTime)
        #expect(try JSONParser.parse(filing.body) == Repo.json("Fixtures/walkthrough/expected-gb-b2c-apparel-from-cn.json"))
        #expect(filing.headers.contains { $0.name == "X-Acme-Key" && $0.value == "<env:ACME_PARCEL_KEY>" })
        #expect(throws: AdapterError.self) { try catalog.render(try Repo.order("us-ddp-electronics-from-cn"), adapter: "acme-parcel", now: Repo.goldenTime) }
    }

    /// A brand-new courier, defined entirely in this test: no Swift code, only YAML.
    @Test func aCourierWrittenHereRendersAnOrder() throws {
        let content = try Repo.scratchContent([
            "Adapters/zebra.yaml": """
                adapter: zebra
                format: json
                outbound: {mapping: zebra.yaml, message_type: Parcel}
                transport: {kind: http, endpoint: "https://zebra.example/parcels"}
                responses: [{status: [2xx], outcome: accepted, reference: /ref}]
                """,
            "Mappings/zebra.yaml": """
                mapping: zebra
                direction: outbound
                canonical: order
                format: json
                rules:
                  - {to: /to, from: shipment.destination_country}
                  - {to: /value, sum: "lines[].line_value.amount", transform: [{decimal: {places: 2}}]}
                  - {to: /hs, from: "lines[0].hs_code", default: "000000"}
                """,
        ])
        let (catalog, errors) = content.loadCatalog()
        #expect(errors.isEmpty, "\(errors)")
        let filing = try catalog.render(try Repo.order("ca-on-merchant-hs-cusma"), adapter: "zebra", now: Repo.goldenTime)
        #expect(try JSONParser.parse(filing.body) == JSONParser.parse(#"{"to": "CA", "value": "129.00", "hs": "640411"}"#))
        #expect(filing.endpoint == "https://zebra.example/parcels")
    }

    @Test func crossFileMistakesAreReportedWithTheirFile() throws {
        let content = try Repo.scratchContent([
            "Adapters/broken.yaml": "adapter: broken\nformat: json\noutbound: {mapping: nowhere.yaml, message_type: X}\ntransport: {kind: http, endpoint: \"https://x.example\"}\n",
            "Mappings/inbound.yaml": "mapping: i\ndirection: inbound\ncanonical: status_event\nformat: json\nrules:\n  - {to: kind, value: other}\n",
        ])
        let errors = content.loadCatalog().errors.map(\.description)
        #expect(errors.contains { $0.hasPrefix("Adapters/broken.yaml:1:1") && $0.contains("nowhere.yaml does not exist") })
        #expect(errors.contains { $0.hasPrefix("Mappings/inbound.yaml") && $0.contains("occurred_at is never written") })
    }

    /// The server takes every adapter's callbacks at one place, so a path of its own is refused
    /// (it was once accepted and ignored) with the place to use.
    @Test func aCallbackPathOfItsOwnIsRefusedWithTheRealOne() throws {
        let content = try Repo.scratchContent([
            "Adapters/hooked.yaml": "adapter: hooked\nformat: json\ntransport: {kind: http, endpoint: \"https://x.example\"}\ncallbacks:\n  path: /hooks/x\n  mapping: easypost/tracker-webhook.yaml\n",
        ])
        let errors = content.loadCatalog().errors.map(\.description)
        #expect(errors.contains { $0.hasPrefix("Adapters/hooked.yaml:5") && $0.contains("callbacks.path") && $0.contains("/v1/callbacks/hooked") }, "\(errors)")
    }
}

/// The published mapping schema describes every mapping the repository ships.
@Suite struct MappingSchemaTests {
    static func mappingFiles() -> [String] {
        ContentRoot(url: Repo.root).files(under: "Mappings", extensions: ["yaml", "json"]).map { "Mappings/\($0)" }
            + ["Fixtures/walkthrough/Mappings/acme-parcel/declaration.yaml"]
    }

    @Test(arguments: mappingFiles())
    func shippedMappingsMatchTheSchema(_ file: String) throws {
        let schema = try JSONSchema(Repo.json("Schemas/mapping.schema.json"))
        let node = try SpecNode.parse(try Repo.text(file), file: file)
        let violations = schema.validate(node.jsonValue)
        #expect(violations.isEmpty, "\(violations)")
    }

}

/// Spec scalars become JSON values one way: only what is a JSON number as written becomes a
/// number, and numeric arguments are read by the one exact decimal reader.
@Suite struct SpecScalarTests {
    @Test func onlyJSONNumbersBecomeNumbers() throws {
        let node = try SpecNode.parse("a: +5\nb: 1.\nc: 12.50\nd: .5\ne: 007\nf: -0.5\ng: 0\nh: 1e3\ni: '12'\nj: [1, x]\n", file: "t.yaml")
        let expected: [(String, JSONValue)] = [
            ("a", .string("+5")), ("b", .string("1.")), ("c", .number("12.50")), ("d", .string(".5")), ("e", .string("007")),
            ("f", .number("-0.5")), ("g", .number("0")), ("h", .string("1e3")), ("i", .string("12")),
            ("j", .array([.number("1"), .string("x")])),
        ]
        for (key, value) in expected {
            #expect(node[key]?.jsonValue == value, "\(key)")
            // Whatever is a number must read back as JSON.
            if case .number(let text)? = node[key]?.jsonValue { #expect((try? JSONParser.parse(text)) == .number(text)) }
        }
    }

    @Test func aMultiplierLikeOnePointTwoPointThreeIsRefused() {
        let yaml = "mapping: t\ndirection: outbound\ncanonical: order\nformat: json\nrules:\n  - to: /a\n    from: lines[0].quantity\n    transform: [{multiply: \"1.2.3\"}]\n"
        #expect {
            try MappingLoader().load(yaml, file: "Mappings/t.yaml")
        } throws: { error in
            (error as? MappingErrors)?.errors.contains { $0.field.hasSuffix("multiply") } ?? false
        }
    }
}
