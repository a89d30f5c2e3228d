import Classification
import CustomsModel
import Foundation
import Hub
import JSONCore
import Pipeline
import Store
import Testing

@Suite("The order pipeline on a real store", .serialized, .timeLimit(.minutes(10)))
struct HubTests {
    @Test("A clean GB order is stored with its lines, decisions and filings, and its outbox rows are queued", arguments: Engine.available)
    func cleanOrderIsFiled(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            // Line 1 takes the classifier's national code; line 2 keeps the merchant's 8-digit code
            // (the classifier knows jeans only to HS-6, which CDS cannot declare: see the next test).
            let result = try await hub.submit(try Orders.gb(key: "clean-\(engine)", codes: [nil, "62046231"]))
            #expect(result.created)
            #expect(result.state == .filed, "reviews: \(result.reviewItems.map(\.detail))")
            let id = try #require(result.orderID)
            let lines = try await hub.store.orderLines(orderID: id)
            #expect(lines.count == 2)
            #expect(lines.allSatisfy { $0.hs6?.count == 6 })
            #expect(lines.map(\.codeSource) == ["classifier", "merchant"])
            let filings = try await hub.store.filings(orderID: id)
            #expect(Set(filings.map(\.adapterID)) == ["easypost", "uk-cds"])
            let messages = try await hub.store.outboxMessages(filingIDs: filings.map(\.id))
            #expect(messages.count == filings.count)
            #expect(messages.allSatisfy { $0.state == .pending && !$0.payload.isEmpty })
            let cds = try #require(messages.first { $0.adapterID == "uk-cds" })
            #expect(cds.contentType.contains("xml"))
            let decisions = try await hub.store.decisions(orderID: id)
            #expect(Set(decisions.map(\.kind)).isSuperset(of: ["validation", "classification", "screening", "risk", "landed_cost", "routing", "filing"]))
            #expect(decisions.allSatisfy { $0.actor == Hub.pipelineActor && !$0.hash.isEmpty && $0.version.contains("\"model\"") })
            let shown = try #require(try await hub.reader.show(orderID: id))
            #expect(shown["state"]?.stringValue == "filed")
            #expect(shown["landed_cost"] != nil && shown["landed_cost"] != .null)
            // Money as `quote` prints it (README: conventions), not the engine's bare numbers.
            let cost = try #require(shown["landed_cost"])
            let currency = try #require(cost["currency"]?.stringValue)
            for key in ["goods_value", "duty", "vat", "landed_cost"] {
                #expect(cost[key]?["currency"]?.stringValue == currency && cost[key]?["amount"]?.stringValue != nil, "\(key): \(JSONWriter.write(cost))")
            }
            #expect(cost["lines"]?.arrayValue?.allSatisfy { $0["vat_rate"]?.stringValue != nil && $0["duty"]?["amount"]?.stringValue != nil } == true,
                    "\(JSONWriter.write(cost))")
            #expect(shown["filings"]?.arrayValue?.count == 2)
        }
    }

    @Test("A line known only to HS-6 is not declared on CDS: the order waits for review naming the rule (DE 6/14)", arguments: Engine.available)
    func sixDigitLineWaitsForReview(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            let result = try await hub.submit(try Orders.gb(key: "hs6-\(engine)", codes: [nil, nil]))
            #expect(result.state == .heldForReview)
            #expect(result.reviewItems.contains { $0.detail.contains("CDS-DE6/14") && $0.detail.contains("lines[1].hs_code") })
            #expect(try await hub.store.filings(orderID: try #require(result.orderID)).isEmpty)
        }
    }

    @Test("Every filing takes its own reference number from the store: an order resubmitted under a new key gets a new LRN", arguments: Engine.available)
    func resubmissionTakesANewLRN(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            var lrns: [String] = []
            for key in ["first-\(engine)", "again-\(engine)"] {
                let result = try await hub.submit(try Orders.gb(key: key, codes: [nil, "62046231"]))
                #expect(result.state == .filed, "reviews: \(result.reviewItems.map(\.detail))")
                let filings = try await hub.store.filings(orderID: try #require(result.orderID))
                let messages = try await hub.store.outboxMessages(filingIDs: filings.map(\.id))
                let cds = String(decoding: try #require(messages.first { $0.adapterID == "uk-cds" }).payload, as: UTF8.self)
                let lrn = try #require(cds.firstMatch(of: /<FunctionalReferenceID>(CH[0-9]{10})<\/FunctionalReferenceID>/)).output.1
                lrns.append(String(lrn))
            }
            #expect(lrns.count == 2 && lrns[0] != lrns[1], "\(lrns)")
            // The numbers are reserved up front, one per adapter of the widest route.
            let next = try await hub.store.reserveReferences(1)
            #expect(lrns.allSatisfy { Int($0.dropFirst(2))! < next })
        }
    }

    @Test("An order sent twice is one order", arguments: Engine.available)
    func duplicateIsOneOrder(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            let order = try Orders.gb(key: "dup", codes: [nil, nil])
            let first = try await hub.submit(order)
            let second = try await hub.submit(order)
            #expect(first.created && !second.created)
            #expect(first.orderID == second.orderID)
            #expect(second.state == first.state && second.filings.map(\.adapter) == first.filings.map(\.adapter))
            // The key is looked up in the commit's transaction: an invalid copy sent under it is still
            // answered with the order taken, not refused.
            guard case .object(var broken) = order else { throw HubError.invalid("order is not an object") }
            broken["lines"] = .array([])
            let third = try await hub.submit(.object(broken))
            #expect(!third.created && third.orderID == first.orderID && third.state == first.state && third.problems.isEmpty)
            #expect(try await hub.store.orders(OrderFilter()).count == 1)
        }
    }

    @Test("A disputed merchant code is flagged, not overwritten; the line waits while a clean order goes through; resolving it files the order",
          arguments: Engine.available)
    func flaggedLineWaitsThenGoesOn(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            // A T-shirt declared as a lamp: the classifier disputes it.
            let flagged = try await hub.submit(try Orders.gb(key: "flagged", codes: ["9405290000", "62046231"]))
            let clean = try await hub.submit(try Orders.gb(key: "clean", codes: [nil, "62046231"]))
            #expect(clean.state == .filed)
            #expect(flagged.state == .heldForReview)
            let orderID = try #require(flagged.orderID)
            let item = try #require(flagged.reviewItems.first { $0.lineNumber == 1 })
            #expect(["merchant_code_disputed", "invalid_merchant_code"].contains(item.reason))
            if item.reason == "merchant_code_disputed" {
                // Said once: the queue showed "merchant code 940529 disputed: merchant code 940529 (…)".
                #expect(item.detail.components(separatedBy: "merchant code ").count == 2 && item.detail.contains("the classifier suggests"), "\(item.detail)")
            }
            let lines = try await hub.store.orderLines(orderID: orderID)
            #expect(lines.first?.hsCode == "9405290000" && lines.first?.codeSource == "merchant")
            // GB releases part of a declaration: the clean line 2 is already filed, line 1 is not.
            let before = try await hub.store.filings(orderID: orderID)
            #expect(!before.isEmpty)

            let result = try await hub.resolve(itemID: try #require(item.id), action: .correct, reviewer: "alice", hsCode: "6109100010")
            #expect(result.outcome == .completed)
            #expect(result.orderState == "filed")
            let after = try await hub.store.filings(orderID: orderID)
            #expect(after.count == before.count * 2)
            let corrected = try await hub.store.orderLines(orderID: orderID)
            #expect(corrected.first?.hsCode == "6109100010" && corrected.first?.codeSource == "reviewer")
            let decisions = try await hub.store.decisions(orderID: orderID)
            let correction = try #require(decisions.first { $0.kind == "hs_correction" })
            #expect(correction.actor == "reviewer:alice")
            let classification = try #require(decisions.first { $0.kind == "classification" && $0.lineNumber == 1 })
            #expect(correction.corrects == classification.id)
            // The classifier answers as the reviewer did for the same text, at once.
            let answer = hub.engines.classifier.classify(ClassificationRequest(description: lines[0].description, destination: "GB"))
            #expect(answer.hs6 == "610910")
            #expect(try await hub.reader.verifyAudit().broken == nil)
        }
    }

    @Test("Rejecting a screening or order item cancels the order; hold keeps it waiting", arguments: Engine.available)
    func holdAndReject(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 2) { hub, _ in
            let result = try await hub.submit(try Orders.gb(key: "all-review", codes: [nil, nil]))
            #expect(result.state == .heldForReview)
            #expect(result.reviewItems.count == 2)
            let first = try #require(result.reviewItems[0].id)
            let held = try await hub.resolve(itemID: first, action: .hold, reviewer: "bob")
            #expect(held.outcome == .resolved(remaining: 2))
            _ = try await hub.resolve(itemID: first, action: .reject, reviewer: "bob")
            let last = try await hub.resolve(itemID: try #require(result.reviewItems[1].id), action: .reject, reviewer: "bob")
            #expect(last.outcome == .completed)
            #expect(last.orderState == "cancelled")
            let again = try await hub.resolve(itemID: first, action: .confirm, reviewer: "bob")
            #expect(again.outcome == .notOpen)
        }
    }

    /// `audit export` printed the landed cost's amounts as the stored JSON numbers. It now prints
    /// them as decimal strings with their currency, as `quote` and `orders show` do; the stored text,
    /// which the chain hashes, is what it was, and the chain still verifies.
    @Test("The audit export prints the landed cost's amounts as strings; the stored record and its chain are unchanged", arguments: Engine.available)
    func auditExportAmountsAreStrings(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            let result = try await hub.submit(try Orders.gb(key: "export-\(engine)", codes: [nil, "62046231"]))
            let id = try #require(result.orderID)
            // `id` names the order in the submit answer and in `orders show`; `order_id` (deprecated) is the same number.
            let submitted = try #require(result.json.objectValue)
            #expect(submitted["id"] == .number(String(id)) && submitted["order_id"] == .number(String(id)))
            let shown = try #require(try await hub.reader.show(orderID: id)?.objectValue)
            #expect(shown["id"] == .number(String(id)) && shown["order_id"] == .number(String(id)))
            // A line's value is money as everywhere: with its currency's minor units (24.50, not 24.5).
            let values = (shown["lines"]?.arrayValue ?? []).compactMap { $0["value"]?["amount"]?.stringValue }
            #expect(!values.isEmpty && values.allSatisfy { $0.split(separator: ".").last?.count == 2 }, "\(values)")

            let trail = try await hub.reader.auditTrail(orderID: id)
            let stored = try #require(trail.first { $0.kind == "landed_cost" })
            #expect(!stored.output.contains("\"error\""), "no quote: \(stored.output.prefix(300))")
            // Stored as the pipeline wrote it (what the hash covers): exact JSON numbers.
            #expect(stored.output.contains("\"duty\":") && !stored.output.contains("\"duty\":\""), "\(stored.output.prefix(300))")
            let printed = try #require(HubJSON.decision(stored).objectValue?["output"]?.objectValue)
            func bareNumbers(_ v: JSONValue, _ key: String?, into found: inout [String]) {
                switch v {
                case .number(let n): if !["index", "line", "age_days"].contains(key ?? "") { found.append("\(key ?? "?")=\(n)") }
                case .object(let o): for m in o.members { bareNumbers(m.value, m.key, into: &found) }
                case .array(let items): for item in items { bareNumbers(item, key, into: &found) }
                default: break
                }
            }
            var found: [String] = []
            bareNumbers(.object(printed), nil, into: &found)
            #expect(found.isEmpty, "bare numbers in the exported landed cost: \(found.prefix(10))")
            let duty = try #require(printed["duty"]?.objectValue)
            #expect(duty["amount"]?.stringValue != nil && duty["currency"]?.stringValue != nil, "\(duty)")
            #expect(try await hub.reader.verifyAudit().broken == nil)
            #expect(try await hub.reader.auditTrail(orderID: id).first { $0.kind == "landed_cost" }?.output == stored.output)
        }
    }

    @Test("Changing one decision row breaks the chain at that row; deleting the newest is caught by the head", arguments: Engine.available)
    func auditDetectsTampering(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            _ = try await hub.submit(try Orders.gb(key: "audit", codes: [nil, nil]))
            #expect(try await hub.reader.verifyAudit().broken == nil)
            let records = try await hub.store.decisionStretch(afterID: 0, limit: 100)
            #expect(records.count > 5)
            var forged = records[3]
            forged.output += " "
            let (broken, _) = DecisionChain.verify(Array(records.prefix(3)) + [forged] + records.dropFirst(4), previous: DecisionChain.genesis)
            #expect(broken?.recordID == forged.id)
            let (short, last) = DecisionChain.verify(Array(records.dropLast()), previous: DecisionChain.genesis)
            #expect(short == nil)
            #expect(last != (try await hub.store.chainHead()).hash)
        }
    }

    /// EU low-value parcels: the courier's shipment and the H7 filing through the eu-h7 adapter
    /// (the H7 rendering and its refusals above EUR 150 are in the eu-h7 goldens and EUH7Tests).
    @Test("EU low-value parcels route to H7 beside the courier's shipment")
    func euLowValueParcelsGoToH7() throws {
        let engines = try TestEngines.engines(reviewBelow: 0)
        let low = Pipeline.evaluate(try Orders.fixture("de-b2c-ioss-multiline"), engines: engines, now: TestEngines.now, firstReference: 7)
        #expect(low.routing.routeID == "eu-parcel-low-value")
        #expect(low.routing.adapters == ["dhl-express", "eu-h7"])
    }

    @Test("Every valid fixture order goes through the pipeline, with an HS-6 on every line")
    func everyFixtureEvaluates() throws {
        let folder = repoRoot.appendingPathComponent("Fixtures/orders/valid")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        try #require(!files.isEmpty, "no fixture orders in \(folder.path)")
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        for file in files {
            let document = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
            let evaluation = Pipeline.evaluate(document, engines: engines, now: TestEngines.now)
            #expect(evaluation.state != .invalid, "\(file): \(evaluation.problems)")
            #expect(evaluation.lines.allSatisfy { $0.hs6 != nil }, "\(file)")
            #expect(evaluation.routing.routeID != nil, "\(file) has no route")
            // A merchant code the classifier disagrees with holds its line when the classifier disputes it
            // (sure of its own reading, or the code outside its prediction set).
            for line in evaluation.lines where line.classification.merchantCheck?.status == .disagrees {
                let held = evaluation.reviews.contains { $0.lineNumber == line.lineNumber && $0.reason == "merchant_code_disputed" }
                #expect(held == Pipeline.disputes(line.classification, merchantCode: line.merchantCode ?? ""), "\(file) line \(line.lineNumber)")
            }
            // The same input and versions give the same decisions.
            let again = Pipeline.evaluate(document, engines: engines, now: TestEngines.now)
            #expect(again.decisions == evaluation.decisions, "\(file) is not deterministic")
        }
    }

    @Test("An invalid order is refused with its problems and nothing is stored", arguments: [Engine.sqlite])
    func invalidOrderStoresNothing(engine: Engine) async throws {
        try await withHub(engine, reviewBelow: 0) { hub, _ in
            let document = try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/invalid/missing-fields.json"))))
            let result = try await hub.submit(document)
            #expect(result.state == .invalid && result.orderID == nil && !result.problems.isEmpty)
            #expect(try await hub.store.orders(OrderFilter()).isEmpty)
            #expect(try await hub.store.chainHead().length == 0)
        }
    }
}

@Suite("Order states")
struct OrderStateTests {
    @Test("Automated events only move an order forward")
    func neverBackwards() {
        #expect(OrderState.filed.canAdvance(to: .accepted))
        #expect(OrderState.cleared.canAdvance(to: .accepted) == false)
        #expect(OrderState.accepted.canAdvance(to: .rejected) == false)
        #expect(OrderState.rejected.canAdvance(to: .cleared))
        #expect(OrderState.cancelled.canAdvance(to: .cleared) == false)
        #expect(OrderState.after(.dutyAssessed) == .accepted)
    }
}
