import CustomsModel
import Foundation
import Testing
@testable import Risk

@Suite struct RiskAssessorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policy: RiskPolicy? = try? RiskPolicy.decode(Data(contentsOf: root.appendingPathComponent("Data/risk/risk_policy.json")))

    private func order(to destination: CountryCode, lines: [OrderLine]) -> Order {
        let buyer = Party(role: .consignee, name: "Jane Doe", addressLines: ["1 Main St"], city: "Springfield", country: destination)
        return Order(
            merchantID: "m1", externalReference: "R-1", idempotencyKey: "k1", createdAt: Date(timeIntervalSince1970: 1_790_000_000),
            currency: "USD", parties: [buyer], shipment: Shipment(shipFromCountry: "CN", destinationCountry: destination), lines: lines)
    }

    private func line(_ id: String, hs: HSCode?, unit: Decimal, origin: CountryCode = "CN", description: String = "item") -> OrderLine {
        OrderLine(lineID: id, description: description, quantity: 1, unitValue: Money(unit, "USD"), lineValue: Money(unit, "USD"), originCountry: origin, hsCode: hs)
    }

    @Test func policyLoadsAndIsChecked() throws {
        let policy = try #require(Self.policy)
        #expect(policy.reviewThreshold == 0.5)
        #expect(throws: RiskPolicyError.self) {
            var bad = policy
            bad.weights.undervaluation = 2
            _ = try RiskPolicy.decode(JSONEncoder().encode(bad))
        }
    }

    @Test func cleanOrderIsReleased() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        let a = assessor.assess(order(to: "US", lines: [line("1", hs: "851762", unit: 39.99), line("2", hs: "610910", unit: 8)]))
        #expect(a.action == .release)
        #expect(a.flaggedLines.isEmpty)
        #expect(a.lines.allSatisfy { $0.score == 0 && $0.route == .continue })
    }

    @Test func onlyTheFlaggedLineGoesToReviewWherePartialReleaseIsAllowed() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        let lines = [line("1", hs: "851713", unit: 3), line("2", hs: "610910", unit: 8)]
        let signals = RiskSignals(disputedCodes: ["1": "392690"])
        let us = assessor.assess(order(to: "US", lines: lines), signals: signals)
        #expect(us.action == .partialRelease)
        #expect(us.flaggedLines == ["1"])
        let flagged = try #require(us.lines.first)
        #expect(Set(flagged.reasons.map(\.code)) == ["undervaluation", "classification_mismatch"])
        // Noisy-or of 0.35 and 0.3.
        #expect(abs(flagged.score - (1 - 0.65 * 0.7)) < 0.0001)
        #expect(us.lines[1].route == .continue)
        // A destination without partial release holds the whole order, still naming only line 1.
        let de = assessor.assess(order(to: "DE", lines: lines), signals: signals)
        #expect(de.action == .holdForReview)
        #expect(de.flaggedLines == ["1"])
    }

    @Test func singleWeakReasonStaysBelowThreshold() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        let a = assessor.assess(order(to: "US", lines: [line("1", hs: "610910", unit: 8, origin: "RU")]))
        #expect(a.lines[0].reasons.map(\.code) == ["high_risk_origin"])
        #expect(a.lines[0].route == .continue)
        #expect(a.action == .release)
    }

    @Test func restrictedGoodsAndMissingDocuments() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        let lines = [line("1", hs: "850760", unit: 25, description: "lithium battery pack"), line("2", hs: "930320", unit: 300), line("3", hs: "610910", unit: 8)]
        let signals = RiskSignals(ruleFindings: [
            RuleSignal(subject: "line:1", action: "review", ruleID: "lithium-batteries"),
            RuleSignal(subject: "line:2", action: "block", ruleID: "eu-ru-by-arms"),
        ])
        let a = assessor.assess(order(to: "US", lines: lines), signals: signals)
        #expect(a.lines[0].reasons.map(\.code).sorted() == ["missing_document", "restricted_goods"])
        #expect(a.lines[0].route == .review)
        #expect(a.lines[1].route == .block)
        #expect(a.lines[2].route == .continue)
        #expect(a.action == .partialRelease)
        #expect(a.flaggedLines == ["1", "2"])
        let withDocs = assessor.assess(
            order(to: "US", lines: [lines[0]]), signals: RiskSignals(documents: ["1": ["un38_3_test_summary"]]))
        #expect(withDocs.lines[0].reasons.isEmpty)
    }

    @Test func flaggedPartiesHoldOrBlockTheWholeOrder() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        let o = order(to: "US", lines: [line("1", hs: "610910", unit: 8)])
        let review = assessor.assess(o, signals: RiskSignals(partyDecisions: ["consignee": "review", "seller": "clear"]))
        #expect(review.action == .holdForReview)
        #expect(review.parties.map(\.role) == ["consignee"])
        #expect(review.parties.first?.reasons.first?.code == "screening_hit")
        let block = assessor.assess(o, signals: RiskSignals(partyDecisions: ["consignee": "block"]))
        #expect(block.action == .block)
        let embargo = assessor.assess(o, signals: RiskSignals(ruleFindings: [RuleSignal(subject: "destination", action: "block", ruleID: "us-cuba")]))
        #expect(embargo.action == .block)
    }

    @Test func undervaluationOnlyComparesTheSameCurrency() throws {
        let assessor = RiskAssessor(policy: try #require(Self.policy))
        var l = line("1", hs: "851713", unit: 3)
        l.unitValue = Money(3, "JPY")
        l.lineValue = Money(3, "JPY")
        #expect(assessor.assess(order(to: "US", lines: [l])).lines[0].reasons.isEmpty)
    }
}
