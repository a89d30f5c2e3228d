import CustomsModel
import Foundation
import JSONCore
import Testing

@Suite struct OrderValidationTests {
    struct Expected: Decodable {
        struct Problem: Decodable, Hashable { var path: String; var code: String }
        var exit: Int
        var problems: [Problem]?
    }

    @Test(arguments: try Repo.files(in: "Fixtures/orders/valid"))
    func validFixturesHaveNoProblems(name: String) throws {
        let result = Repo.validator.check(bytes: try Repo.bytes("Fixtures/orders/valid/\(name)"))
        guard case .checked(let order, let problems) = result else {
            Issue.record("unreadable")
            return
        }
        #expect(order != nil)
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.isValid)
    }

    /// Each invalid fixture names exactly the problems it must produce: no more, no fewer.
    @Test(arguments: try Repo.files(in: "Fixtures/orders/invalid").filter { $0 != "malformed.json" })
    func invalidFixturesReportExactlyTheirProblems(name: String) throws {
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Repo.url("Fixtures/orders/invalid/\(name.replacingOccurrences(of: ".json", with: ".expected.json"))")))
        let result = Repo.validator.check(bytes: try Repo.bytes("Fixtures/orders/invalid/\(name)"))
        guard case .checked(_, let problems) = result else {
            Issue.record("unreadable")
            return
        }
        let got = Set(problems.map { Expected.Problem(path: $0.path.description, code: $0.code) })
        #expect(got == Set(expected.problems ?? []))
        #expect(!result.isValid)
        #expect(problems.allSatisfy { !$0.message.isEmpty })
    }

    @Test func malformedInputIsUnreadableWithPosition() throws {
        let result = Repo.validator.check(bytes: try Repo.bytes("Fixtures/orders/invalid/malformed.json"))
        guard case .unreadable(let e) = result else {
            Issue.record("expected unreadable")
            return
        }
        #expect(e.position.line == 5)
        #expect(e.position.column == 46)
    }

    /// Every rule code the validator can raise is exercised by some invalid fixture.
    @Test func everyRuleIsCoveredByAFixture() throws {
        var codes = Set<String>()
        for name in try Repo.files(in: "Fixtures/orders/invalid") where name != "malformed.json" {
            let text = try String(contentsOf: Repo.url("Fixtures/orders/invalid/\(name.replacingOccurrences(of: ".json", with: ".expected.json"))"), encoding: .utf8)
            for code in try JSONDecoder().decode(Expected.self, from: Data(text.utf8)).problems ?? [] { codes.insert(code.code) }
        }
        let rules: Set<String> = [
            "required", "invalid_type", "invalid_format", "unknown_field", "unknown_country", "unknown_currency", "unknown_region",
            "unknown_incoterm", "unknown_unit", "not_positive", "fractional_quantity", "line_total_mismatch", "currency_mismatch",
            "precision", "country_conflict", "gift_not_private", "duplicate_role", "tax_id_format", "invalid_email",
            "hs_code_format", "hs_code_unknown", "required_by_destination", "gross_below_net", "duplicate_line_id", "negative",
            "control_character", "inexact_number",
        ]
        #expect(rules.subtracting(codes).isEmpty, "rules without a fixture: \(rules.subtracting(codes))")
    }

    @Test func sameCountryIsAWarningNotAnError() throws {
        var order = try CanonicalJSON.decoder().decode(Order.self, from: Data(Repo.bytes("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json")))
        order.shipment.shipFromCountry = "GB"
        let problems = Repo.validator.check(order: order)
        #expect(problems.map(\.code) == ["no_border"])
        #expect(problems.first?.severity == .warning)
    }

    @Test func mappedOrdersAreCheckedWithoutJSON() throws {
        var order = try CanonicalJSON.decoder().decode(Order.self, from: Data(Repo.bytes("Fixtures/orders/valid/us-ddp-electronics-from-cn.json")))
        order.lines[0].originCountry = nil
        order.lines[1].quantity = 4
        let codes = Set(Repo.validator.check(order: order).map { "\($0.path)|\($0.code)" })
        #expect(codes == ["lines[0].origin_country|required_by_destination", "lines[1].line_value|line_total_mismatch"])
    }

    @Test(arguments: [
        (TaxIdentifier.Kind.eori, "GB123456789012", true), (.eori, "GB12345", false), (.eori, "DE1234567890123", true),
        (.eori, "de123", false), (.ioss, "IM3720000123", true), (.ioss, "IM372000012", false), (.gbVAT, "GB123456789", true),
        (.gbVAT, "GBGD001", true), (.gbVAT, "GB12345678", false), (.usEIN, "91-1234567", true), (.usEIN, "911234567", true),
        (.usEIN, "9-11234567", false), (.vat, "NL812345678B01", true), (.vat, "812345678", false),
    ])
    func taxIdentifierFormats(kind: TaxIdentifier.Kind, value: String, ok: Bool) {
        #expect((TaxIDFormat.problem(TaxIdentifier(kind: kind, value: value)) == nil) == ok)
    }
}

@Suite struct DestinationRequirementsTests {
    @Test func selectorsFindMissingFields() throws {
        let doc = try JSONParser.parse(#"{"parties": [{"role": "seller", "postal_code": ""}, {"role": "consignee"}], "lines": [{"w": 1}, {}]}"#)
        #expect(try FieldSelector("lines[].w").misses(in: doc).map(\.path.description) == ["lines[1].w"])
        #expect(try FieldSelector("parties[role=seller].postal_code").misses(in: doc).map(\.path.description) == ["parties[0].postal_code"])
        let missingParty = try FieldSelector("parties[role=declarant].name").misses(in: doc)
        #expect(missingParty.map(\.path.description) == ["parties"])
        #expect(missingParty.first?.missingElement == "role=declarant")
        #expect(try FieldSelector("shipment.parcels").misses(in: doc).map(\.path.description) == ["shipment"])
    }

    @Test func loaderNamesEveryBadEntry() {
        let text = #"""
            {"version": "t", "groups": {"EU": ["DE", "ZZ"]},
             "rules": [{"id": "A", "applies_to": ["Narnia"], "field": "lines[].x"},
                       {"id": "B", "applies_to": ["*"], "field": "parties[role].x"}]}
            """#
        #expect {
            _ = try DestinationRequirements(json: text)
        } throws: { error in
            let d = "\(error)"
            return d.contains("ZZ") && d.contains("Narnia") && d.contains("[key=value]")
        }
    }

    @Test func groupsAndWildcardsApply() throws {
        let r = Repo.validator.requirements
        let de = Set(r.rules(for: "DE").map(\.id))
        #expect(de.contains("EU_NET_MASS") && de.contains("ALL_CONSIGNEE"))
        #expect(!de.contains("GB_NET_MASS"))
        #expect(Set(r.rules(for: "US").map(\.id)).contains("US_CONSIGNEE_STATE"))
    }
}
