import CustomsModel
import Foundation
import Testing
@testable import Screening

@Suite struct RouteRulesTests {
    static let rules: RouteRules? = try? RouteRules.decode(Repo.data("Data/screening/route_rules.json"))

    private func day(_ s: String) -> Date { Timestamp.parse(s + "T12:00:00Z") ?? Date(timeIntervalSince1970: 0) }

    @Test func repositoryRulesLoad() throws {
        let rules = try #require(Self.rules)
        #expect(rules.rules.count >= 8)
        #expect(Set(rules.rules.map(\.kind)) == [.country, .region, .goods])
    }

    @Test func comprehensiveEmbargoBlocksAnySubject() throws {
        let rules = try #require(Self.rules)
        let toCuba = rules.evaluate(route: RouteContext(destination: "CU", shipFrom: "US"), on: day("2026-11-25"))
        #expect(toCuba.map(\.ruleID) == ["us-cuba"])
        #expect(toCuba.first?.subject == "destination" && toCuba.first?.action == .block)
        let fromIran = rules.evaluate(route: RouteContext(destination: "DE", origins: ["IR"]), on: day("2026-11-25"))
        #expect(fromIran.map(\.subject) == ["origin"])
        let party = rules.evaluate(
            route: RouteContext(destination: "DE", parties: [(role: "buyer", country: "KP", address: "Pyongyang")]), on: day("2026-11-25"))
        #expect(party.map(\.subject) == ["party:buyer"])
        #expect(rules.evaluate(route: RouteContext(destination: "DE", shipFrom: "FR"), on: day("2026-11-25")).isEmpty)
    }

    @Test func rulesAreDated() throws {
        let rules = try #require(Self.rules)
        let route = RouteContext(destination: "SY")
        #expect(rules.evaluate(route: route, on: day("2025-06-30")).map(\.ruleID) == ["us-syria"])
        #expect(rules.evaluate(route: route, on: day("2025-07-01")).isEmpty)
        let dnr = RouteContext(destination: "UA", parties: [(role: "consignee", country: "UA", address: "ul. Artema 1, Donetsk")])
        #expect(rules.evaluate(route: dnr, on: day("2022-02-20")).isEmpty)
        #expect(rules.evaluate(route: dnr, on: day("2022-02-21")).map(\.ruleID) == ["us-dnr-lnr"])
    }

    @Test func regionsAreFoundInAddressText() throws {
        let rules = try #require(Self.rules)
        let crimea = RouteContext(destination: "UA", parties: [(role: "consignee", country: "UA", address: "Lenina 5, Simferopol")])
        let findings = rules.evaluate(route: crimea, on: day("2026-11-25"))
        #expect(findings.map(\.ruleID) == ["us-crimea"])
        #expect(findings.first?.detail.contains("simferopol") == true)
        let kyiv = RouteContext(destination: "UA", parties: [(role: "consignee", country: "UA", address: "Khreshchatyk 1, Kyiv")])
        #expect(rules.evaluate(route: kyiv, on: day("2026-11-25")).isEmpty)
    }

    @Test func restrictedGoodsPerDestination() throws {
        let rules = try #require(Self.rules)
        let lines = [
            GoodsLine(id: "1", hsCode: "930320", description: "Hunting rifle"),
            GoodsLine(id: "2", hsCode: "850760", description: "Spare battery pack"),
            GoodsLine(id: "3", hsCode: nil, description: "Power bank 20000 mAh"),
            GoodsLine(id: "4", hsCode: "610910", description: "Burgundy cotton T-shirt"),
        ]
        let toRussia = rules.evaluate(route: RouteContext(destination: "RU"), lines: lines, on: day("2026-11-25"))
        #expect(toRussia.contains { $0.ruleID == "eu-ru-by-arms" && $0.subject == "line:1" && $0.action == .block })
        let toGermany = rules.evaluate(route: RouteContext(destination: "DE"), lines: lines, on: day("2026-11-25"))
        #expect(!toGermany.contains { $0.action == .block })
        #expect(toGermany.map(\.subject).sorted() == ["line:1", "line:2", "line:3"])
        #expect(toGermany.first { $0.subject == "line:3" }?.detail.contains("power bank") == true)
    }

    @Test func badRulesAreRejectedWithTheRuleNamed() {
        let badDate = #"{"version":"x","rules":[{"id":"r1","kind":"country","authority":"a","programme":"p","action":"block","effective_from":"2020-13-01","countries":["CU"]}]}"#
        #expect(throws: ListLoadError(file: "route_rules.json", message: "rule r1: dates must be YYYY-MM-DD")) { try RouteRules.decode(Data(badDate.utf8)) }
        let noKeywords = #"{"version":"x","rules":[{"id":"g","kind":"goods","authority":"a","programme":"p","action":"review","effective_from":"2020-01-01"}]}"#
        #expect(throws: ListLoadError(file: "route_rules.json", message: "rule g: goods rule needs hs_prefixes or keywords")) { try RouteRules.decode(Data(noKeywords.utf8)) }
        let clear = #"{"version":"x","rules":[{"id":"c","kind":"country","authority":"a","programme":"p","action":"clear","effective_from":"2020-01-01","countries":["CU"]}]}"#
        #expect(throws: ListLoadError.self) { try RouteRules.decode(Data(clear.utf8)) }
        #expect(throws: ListLoadError.self) { try RouteRules.decode(Data("{".utf8)) }
    }
}

@Suite struct ScreeningServiceTests {
    static let service: ScreeningService? = RouteRulesTests.rules.map { ScreeningService(screener: SliceIndex.screener, rules: $0, maxListAgeDays: 14) }
    static let now = Timestamp.parse("2026-11-25T00:00:00Z") ?? Date(timeIntervalSince1970: 0)

    private func json(_ line: String) throws -> [String: Any] {
        let service = try #require(Self.service)
        let (out, _) = service.handle(line: line, at: Self.now)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test func partyLineHasTheDocumentedShape() throws {
        let out = try json(#"{"id":"p1","name":"Nicolas Maduro Moros","type":"person","country":"VE","date_of_birth":"1962-11-23"}"#)
        #expect(out["id"] as? String == "p1")
        #expect(out["decision"] as? String == "block")
        #expect(out["score"] as? Double == 1)
        let matches = try #require(out["matches"] as? [[String: Any]])
        #expect(matches.first?["list"] as? String == "ofac_sdn")
        #expect(matches.first?["entry_id"] as? String == "22790")
        #expect(matches.first?["matched_name"] as? String == "Nicolas MADURO MOROS")
        #expect((matches.first?["evidence"] as? [String: Any])?["aligned"] != nil)
        let versions = try #require(out["list_versions"] as? [[String: Any]])
        #expect(versions.map { $0["list"] as? String } == ["ofac_sdn", "un_sc"])
        #expect(versions.first?["stale"] as? Bool == true)
        #expect(versions.first?["age_days"] as? Int == 1062)
    }

    @Test func partyCountryUnderEmbargoBlocksWithoutANameHit() throws {
        let out = try json(#"{"name":"Jane Smith","country":"CU"}"#)
        #expect(out["decision"] as? String == "block")
        #expect((out["matches"] as? [Any])?.isEmpty == true)
        #expect(((out["embargo"] as? [[String: Any]])?.first)?["rule_id"] as? String == "us-cuba")
    }

    @Test func orderLineScreensEveryPartyAndTheRoute() throws {
        let order = try String(decoding: Repo.data("Fixtures/orders/valid/de-b2b-sanctioned-looking-consignee.json"), as: UTF8.self)
        let compact = order.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        let service = try #require(Self.service)
        let (out, ok) = service.handle(line: compact, at: Self.now)
        #expect(ok)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let parties = try #require(report["parties"] as? [[String: Any]])
        #expect(parties.count == 3)
        #expect(parties.allSatisfy { $0["role"] != nil })
        #expect(report["route"] as? [Any] != nil)
    }

    @Test func badLinesGiveErrorsNamingTheField() throws {
        #expect((try json(#"{"id":"x"}"#))["error"] as? String == "name: missing")
        #expect(((try json(#"{"name":""}"#))["error"] as? String)?.hasPrefix("name: must not be empty") == true)
        #expect((try json(#"{"name":"A","date_of_birth":"23/11/1962"}"#))["error"] as? String == #"date_of_birth: "23/11/1962" is not YYYY, YYYY-MM or YYYY-MM-DD"#)
        #expect(((try json(#"{"name":"A","type":"robot"}"#))["error"] as? String)?.hasPrefix("type:") == true)
        #expect(((try json(#"{"name": }"#))["error"] as? String)?.contains("line 1, column") == true)
        let service = try #require(Self.service)
        #expect(service.handle(line: "[1,2]", at: Self.now).ok == false)
        // In JSON's words, not Swift's: it said `expected Dictionary<String, Any>` for a record that is not an object.
        #expect((try json("42"))["error"] as? String == "expected a JSON object (a party or an order)")
        #expect((try json(#"{"name":"A","identifiers":"B"}"#))["error"] as? String == "identifiers: expected a JSON array")
        #expect((try json(#"{"name":7}"#))["error"] as? String == "name: expected a string")
    }
}
