import Foundation
import HubServer
import JSONCore
import Store
import Testing

@Suite("KPIs from stored rows")
struct KPITests {
    static func order(_ id: Int64, to country: String, state: String) -> OrderRecord {
        OrderRecord(id: id, merchantID: "m", idempotencyKey: "k\(id)", externalReference: "r\(id)", state: state,
                    canonicalJSON: #"{"shipment":{"destination_country":"\#(country)"}}"#, createdAt: 0, updatedAt: 0)
    }

    static func callback(_ order: Int64, filing: Int64, _ kind: String, at: Millis, input: String = "{}") -> DecisionRecord {
        DecisionRecord(orderID: order, lineNumber: nil, kind: "callback." + kind, input: input,
                       output: #"{"filing_id":\#(filing),"filing_state":"\#(kind)"}"#, confidence: nil, evidence: "{}", version: "a", decidedAt: at)
    }

    static func line(_ n: Int, source: String = "classifier") -> OrderLineRecord {
        OrderLineRecord(lineNumber: n, description: "x", hsCode: "610910", originCountry: "CN", value: 10, currency: "EUR", codeSource: source)
    }

    @Test("Duty quoted against assessed is kept per currency, written as money, and the alert reads the widest gap")
    func dutyPerCurrency() throws {
        let orders = [Self.order(1, to: "GB", state: "cleared"), Self.order(2, to: "DE", state: "cleared")]
        let filings: [Int64: [FilingRecord]] = [
            1: [FilingRecord(id: 11, orderID: 1, adapterID: "uk-cds", kind: "x", state: "cleared", createdAt: 0)],
            2: [FilingRecord(id: 21, orderID: 2, adapterID: "eu-h7", kind: "x", state: "cleared", createdAt: 0)],
        ]
        func quote(_ order: Int64, _ duty: String, _ currency: String) -> DecisionRecord {
            DecisionRecord(orderID: order, lineNumber: nil, kind: "landed_cost", input: "{}", output: #"{"currency":"\#(currency)","duty":\#(duty)}"#,
                           confidence: nil, evidence: "{}", version: "a", decidedAt: 0)
        }
        let decisions: [Int64: [DecisionRecord]] = [
            1: [quote(1, "5.00", "GBP"), Self.callback(1, filing: 11, "duty_assessed", at: 2_000, input: #"{"amounts":[{"amount":"6.50","currency":"GBP"}]}"#)],
            2: [quote(2, "100", "EUR"), Self.callback(2, filing: 21, "duty_assessed", at: 2_000, input: #"{"amounts":[{"amount":"100.00","currency":"EUR"}]}"#)],
        ]
        let r = KPIReport(KPIInput(orders: orders, lines: [:], filings: filings, decisions: decisions, reviews: []))
        #expect(r.dutyCompared == 2)
        #expect(r.dutyByCurrency == ["GBP": .init(orders: 1, quoted: 5, assessed: Decimal(string: "6.5")!),
                                     "EUR": .init(orders: 1, quoted: 100, assessed: 100)])
        let duty = try #require(r.json["duty"]?["by_currency"]?.arrayValue)
        #expect(duty.map { $0["currency"]?.stringValue } == ["EUR", "GBP"])
        #expect(duty[1]["quoted"] == .object(JSONObject([("amount", .string("5.00")), ("currency", .string("GBP"))])))
        #expect(duty[1]["assessed"] == .object(JSONObject([("amount", .string("6.50")), ("currency", .string("GBP"))])))
        // 1.50 on 5.00 in GBP, nothing in EUR: not 1.50 on 105 of no currency.
        #expect(abs((r.alertValues["duty_gap"] ?? 0) - 0.3) < 1e-9)
    }

    @Test("Clearance percentiles by destination and adapter, rejection and hold rates, review and automation rates, agreement")
    func figures() throws {
        let orders = [Self.order(1, to: "GB", state: "cleared"), Self.order(2, to: "GB", state: "rejected"), Self.order(3, to: "DE", state: "held_for_review")]
        let filings: [Int64: [FilingRecord]] = [
            1: [FilingRecord(id: 11, orderID: 1, adapterID: "uk-cds", kind: "x", state: "cleared", createdAt: 0)],
            2: [FilingRecord(id: 21, orderID: 2, adapterID: "uk-cds", kind: "x", state: "rejected", createdAt: 0)],
        ]
        // As the pipeline stores it: the engine's amounts are exact JSON numbers (a string, as this test
        // had it, is the only form the report read, so no real order's duty was ever compared).
        let quote = DecisionRecord(orderID: 1, lineNumber: nil, kind: "landed_cost", input: "{}", output: #"{"duty":5.00}"#, confidence: nil,
                                   evidence: "{}", version: "a", decidedAt: 0)
        let decisions: [Int64: [DecisionRecord]] = [
            1: [quote, Self.callback(1, filing: 11, "accepted", at: 1_000),
                Self.callback(1, filing: 11, "duty_assessed", at: 2_000, input: #"{"amounts":[{"amount":"6.50","currency":"GBP"}]}"#),
                Self.callback(1, filing: 11, "held", at: 3_000), Self.callback(1, filing: 11, "cleared", at: 61_000)],
            2: [Self.callback(2, filing: 21, "accepted", at: 1_000), Self.callback(2, filing: 21, "rejected", at: 5_000)],
            3: [DecisionRecord(orderID: 3, lineNumber: 1, kind: "classification", input: "{}", output: "{}", confidence: Decimal(string: "0.35"),
                               evidence: "{}", version: "a", decidedAt: 0)],
        ]
        let reviews = [
            ReviewItem(id: 1, orderID: 3, lineNumber: 1, reason: "low_confidence", state: "resolved", createdAt: 0, resolvedAt: 30_000, resolution: "correct"),
            ReviewItem(id: 2, orderID: 3, lineNumber: 2, reason: "low_confidence", state: "resolved", createdAt: 0, resolvedAt: 90_000, resolution: "confirm"),
            // Document drafts: no order, counted among the items and as documents.
            ReviewItem(id: 3, orderID: nil, lineNumber: nil, reason: "unreadable_document", state: "resolved", createdAt: 0, resolvedAt: 60_000,
                       resolution: "correct", subject: "document", documentID: 7),
            ReviewItem(id: 4, orderID: nil, lineNumber: nil, reason: "unreadable_document", state: "open", createdAt: 0, subject: "document", documentID: 8),
        ]
        let input = KPIInput(orders: orders, lines: [1: [Self.line(1)], 2: [Self.line(1)], 3: [Self.line(1, source: "reviewer"), Self.line(2), Self.line(3)]],
                             filings: filings, decisions: decisions, reviews: reviews)
        let r = KPIReport(input)
        #expect(r.clearance.count == 1)
        #expect(r.clearance.first?.destination == "GB" && r.clearance.first?.adapter == "uk-cds" && r.clearance.first?.p50Seconds == 60)
        #expect(r.rejectionRate == 0.5 && r.holdRate == 0.5)
        #expect(r.reviewRate == 1.0 / 3)
        // Lines 1 and 2 of order 3 had items; line 3 did not and no order-level item: 3 of 5 untouched.
        #expect(r.automationRate == 3.0 / 5)
        #expect(r.agreementRate == 0.5)
        #expect(r.resolveP50Seconds == 60)
        #expect(r.confidence[3] == 1)
        #expect(r.dutyCompared == 1 && r.dutyByCurrency == ["GBP": .init(orders: 1, quoted: 5, assessed: Decimal(string: "6.5")!)])
        let json = r.json
        #expect(json["review"]?["by_reason"]?["low_confidence"] == .number("2"))
        #expect(json["rejection_rate"] == .number("0.5"))
        #expect(json["review"]?["by_reason"]?["unreadable_document"] == .number("2") && json["review"]?["open"] == .number("1"))
        #expect(json["documents"]?["drafts"] == .number("2") && json["documents"]?["corrected"] == .number("1"))
        // Reviewer agreement is about HS codes: a corrected document is not a corrected code.
        #expect(r.agreementRate == 0.5)
        // And on /metrics: the drafts join the open items and the time to resolve, and say how they ended.
        func gauge(_ name: String, _ dims: [(String, String)] = []) -> Double? {
            r.gauges.first { $0.name == name && $0.dimensions.map { "\($0.0)=\($0.1)" } == dims.map { "\($0.0)=\($0.1)" } }?.value
        }
        #expect(gauge("review_open_items") == 1)
        #expect(gauge("time_to_resolve_p50_seconds") == 60)
        #expect(gauge("document_drafts") == 2)
        #expect(gauge("documents_resolved", [("outcome", "corrected")]) == 1)
        #expect(gauge("documents_resolved", [("outcome", "rejected")]) == 0)
        #expect(gauge("documents_resolved", [("outcome", "submitted_as_read")]) == 0)
    }
}
