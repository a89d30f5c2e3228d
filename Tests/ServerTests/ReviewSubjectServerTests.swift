import Foundation
import Hub
import HubServer
import JSONCore
import NIOHTTP1
import Store
import StoreSQLite
import Testing

/// Review items that are not about a line or a party: a document that could not be read into a
/// valid order, and a DEAD filing. Both over real HTTP on loopback, through the workbench.
@Suite("Document drafts and DEAD filings in the workbench, over real HTTP", .serialized, .timeLimit(.minutes(5)))
struct ReviewSubjectServerTests {
    func login(_ browser: WorkbenchBrowser, token: String) async throws {
        let form = try await browser.go(.GET, "/review/login")
        let done = try await browser.go(.POST, "/review/login", form: [("csrf", try #require(form.csrf)), ("token", token), ("next", "/review")])
        #expect(done.status == 303 && done.location == "/review")
    }

    /// Adds the reviewer rita and posts the boxed German invoice for merchant m_docs with submit=true.
    /// It names no parcels, transport mode or net weights, which a Swiss import needs: it waits for review.
    func queueInvoice(_ server: TestServer) async throws -> TestServer.Answer {
        server.api.workbench.add(WorkbenchUser(name: "rita", role: .reviewer, tokenSHA256: WorkbenchAuth.hash("rita-token")))
        let pdf = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/documents/text/invoice-de-boxed.pdf")))
        return try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: pdf, contentType: "application/pdf")
    }

    @Test("A draft the order's validation refuses waits in the queue with its file, problems and fields; the corrected draft becomes the order")
    func documentDraftCorrectedAndSubmitted() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        let queued = try await queueInvoice(server)
        #expect(queued.status == 202, "\(queued.body.prefix(300))")
        let itemID = try #require(queued.object["review_item"] as? Int)
        let documentID = try #require(queued.object["document_id"] as? Int)
        #expect(try await server.store.orders(OrderFilter()).isEmpty)

        try await login(browser, token: "rita-token")
        let queue = try await browser.go(.GET, "/review?reason=unreadable_document")
        #expect(queue.body.contains("href=\"/review/items/\(itemID)\"") && queue.body.contains("document \(documentID)"))
        let page = try await browser.go(.GET, "/review/items/\(itemID)")
        #expect(page.status == 200)
        #expect(page.body.contains("/shipment/parcels") && page.body.contains("RE-2024-0815") && page.body.contains("id=\"order_json\""))
        let file = try await browser.go(.GET, "/review/documents/\(documentID)/file")
        #expect(file.status == 200 && file.headers.first(name: "content-type") == "application/pdf" && file.body.hasPrefix("%PDF-"))
        let csrf = try #require(page.csrf)

        // Not JSON, then the draft as read: each is refused with the reason, and the item stays open.
        let broken = try await browser.go(.POST, "/review/items/\(itemID)", form: [("csrf", csrf), ("action", "correct"), ("order_json", "{")])
        #expect(broken.status == 422 && broken.body.contains("not JSON"))
        let asRead = try await browser.go(.POST, "/review/items/\(itemID)", form: [("csrf", csrf), ("action", "confirm")])
        #expect(asRead.status == 422 && asRead.body.contains("not valid yet") && asRead.body.contains("parcels"), "\(asRead.body.prefix(800))")
        #expect(try await server.store.reviewItem(id: Int64(itemID))?.state == "open")
        #expect(try await server.store.orders(OrderFilter()).isEmpty)

        // The reviewer adds what the invoice did not say and submits the draft.
        guard case .object(var order) = try #require((try JSONParser.parse(Array(queued.body.utf8)))["order"]),
              case .object(var shipment) = try #require(order["shipment"]), var parties = order["parties"]?.arrayValue,
              case .object(var consignee) = try #require(parties.last), var lines = order["lines"]?.arrayValue else {
            Issue.record("draft shape"); return
        }
        shipment["transport_mode"] = .string("road")
        shipment["parcels"] = try JSONParser.parse(#"[{"reference":"P1","gross_weight":{"value":"30","unit":"kg"}}]"#)
        order["shipment"] = .object(shipment)
        consignee["role"] = .string("consignee")
        parties.append(.object(consignee))
        order["parties"] = .array(parties)
        lines = lines.map { line in
            guard case .object(var l) = line else { return line }
            l["net_weight"] = try? JSONParser.parse(#"{"value":"2","unit":"kg"}"#)
            return .object(l)
        }
        order["lines"] = .array(lines)
        let corrected = try await browser.go(.POST, "/review/items/\(itemID)",
                                             form: [("csrf", csrf), ("action", "correct"), ("order_json", JSONWriter.write(.object(order)))])
        #expect(corrected.status == 303, "\(corrected.body.prefix(800))")
        let after = try await browser.go(.GET, try #require(corrected.location))
        #expect(after.body.contains("id=\"draft-state\">submitted"), "\(after.body.prefix(600))")
        let orders = try await server.store.orders(OrderFilter())
        let created = try #require(orders.first)
        #expect(orders.count == 1 && created.merchantID == "m_docs" && created.idempotencyKey == "document-\(documentID)")
        #expect(try await server.store.documentDraft(id: Int64(documentID))?.orderID == created.id)
        let decision = try #require(try await server.store.decisions(orderID: created.id).last { $0.actor == "reviewer:rita" })
        #expect(decision.documentID == Int64(documentID) && decision.output.contains("\"corrected\":true"))
        #expect(try await HubReader(store: server.store).verifyAudit().broken == nil)
        // The API answers the resolved item with the order it became; a second answer changes nothing.
        let shown = try await server.call(.GET, "/v1/reviews/\(itemID)")
        #expect(shown.object["state"] as? String == "resolved" && shown.object["resolved_by"] as? String == "rita", "\(shown.body)")
        let twice = try await server.call(.POST, "/v1/reviews/\(itemID)/resolve", body: Array(#"{"action":"reject","reviewer":"sam"}"#.utf8))
        #expect(twice.status == 409, "\(twice.body)")
    }

    /// Every `name="…" value="…"` pair of the page whose name starts with `prefix`, values unescaped:
    /// what a browser would post back for the fields it shows.
    func inputs(_ page: WorkbenchBrowser.Page, prefix: String) -> [(String, String)] {
        var found: [(String, String)] = []
        var rest = page.body[...]
        while let r = rest.range(of: "name=\"\(prefix)") {
            let name = prefix + rest[r.upperBound...].prefix { $0 != "\"" }
            rest = rest[r.upperBound...]
            guard let v = rest.range(of: "\" value=\""), v.lowerBound == rest.index(rest.startIndex, offsetBy: name.count - prefix.count) else { continue }
            let value = rest[v.upperBound...].prefix { $0 != "\"" }
            found.append((String(name), String(value).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")))
        }
        return found
    }

    @Test("A reviewer corrects a draft field by field: values typed, rows for what the problems name, a line removed; a bad value keeps the edits")
    func documentDraftCorrectedFieldByField() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        let queued = try await queueInvoice(server)
        let itemID = try #require(queued.object["review_item"] as? Int)
        try await login(browser, token: "rita-token")
        let page = try await browser.go(.GET, "/review/items/\(itemID)")
        let csrf = try #require(page.csrf)
        // Every value read is a field named by its pointer; what validation wants is a row, pointer filled in.
        let fields = inputs(page, prefix: "field:")
        #expect(fields.contains { $0.0 == "field:/external_reference" && $0.1 == "RE-2024-0815" }, "\(fields.map(\.0))")
        #expect(fields.contains { $0.0 == "field:/lines/2/description" && $0.1 == "Uhrenpendel, Messing" })
        let rows = inputs(page, prefix: "add_path_")
        #expect(rows.contains { $0.1 == "/shipment/parcels" }, "\(rows)")
        let lineCount = try #require((try JSONParser.parse(Array(queued.body.utf8)))["order"]?["lines"]?.arrayValue?.count)
        #expect(lineCount == 3)
        // The line items are rows of one table, a cell per value.
        #expect(page.body.components(separatedBy: "<tr class=\"draft-line\"").count - 1 == lineCount, "\(page.body.prefix(2000))")
        #expect(fields.contains { $0.0 == "field:/lines/1/unit_value/amount" && $0.1 == "89.90" })

        // The reviewer types what the invoice did not say, renames a line, removes the third, and submits.
        var form: [(String, String)] = [("csrf", csrf), ("action", "correct")] + fields.map { name, value in
            (name, name == "field:/lines/0/description" ? "Kuckucksuhr aus Eiche, 35 cm" : value)
        }
        let adds: [(String, String, String)] = [
            ("/shipment/transport_mode", "text", "road"),
            ("/shipment/parcels", "json", #"[{"reference":"P1","gross_weight":{"value":"30","unit":"kg"}}]"#),
            ("/parties/-", "json", #"{"role":"consignee","name":"Alpine Retail AG","address_lines":["Bahnhofstrasse 5"],"city":"Zürich","postal_code":"8001","country":"CH"}"#),
            ("/lines/0/net_weight", "auto", #"{"value":"2","unit":"kg"}"#),
            ("/lines/1/net_weight", "auto", #"{"value":"oops"#),
        ]
        for (i, add) in adds.enumerated() { form += [("add_path_\(i)", add.0), ("add_kind_\(i)", add.1), ("add_value_\(i)", add.2)] }
        form += [("add_rows", "\(adds.count)"), ("drop:/lines/2", "1")]
        let refused = try await browser.go(.POST, "/review/items/\(itemID)", form: form)
        // Not JSON: nothing is submitted, the row is named, and the page keeps every edit made.
        #expect(refused.status == 422 && refused.body.contains("/lines/1/net_weight: not JSON"), "\(refused.body.prefix(600))")
        #expect(inputs(refused, prefix: "field:").contains { $0.0 == "field:/lines/0/description" && $0.1 == "Kuckucksuhr aus Eiche, 35 cm" })
        #expect(inputs(refused, prefix: "field:").contains { $0.0 == "field:/shipment/transport_mode" && $0.1 == "road" })
        #expect(try await server.store.orders(OrderFilter()).isEmpty)

        // What a browser posts from the page that came back: its fields (drawn from the last edit, so
        // the third line stays removed and the added values stay), and line 2's weight typed into
        // the blank cells its table row now has, because line 1 has a weight.
        #expect(inputs(refused, prefix: "field:").contains { $0.0 == "field:/lines/1/net_weight/value" && $0.1.isEmpty })
        #expect(refused.body.components(separatedBy: "<tr class=\"draft-line\"").count - 1 == 2)
        let fixed: [(String, String)] = [("csrf", csrf), ("action", "correct")]
            + inputs(refused, prefix: "field:").map { name, value in
                switch name {
                case "field:/lines/1/net_weight/value": (name, "1.5")
                case "field:/lines/1/net_weight/unit": (name, "kg")
                default: (name, value)
                }
            }
            + inputs(refused, prefix: "type:") + inputs(refused, prefix: "draft_base") + inputs(refused, prefix: "add_")
        let corrected = try await browser.go(.POST, "/review/items/\(itemID)", form: fixed)
        #expect(corrected.status == 303, "\(corrected.body.prefix(800))")
        let created = try #require(try await server.store.orders(OrderFilter()).first)
        let order = try JSONParser.parse(Array(created.canonicalJSON.utf8))
        #expect(order["lines"]?.arrayValue?.count == 2)
        #expect(order.value(atPointer: "/lines/0/description")?.stringValue == "Kuckucksuhr aus Eiche, 35 cm")
        #expect(order.value(atPointer: "/lines/1/net_weight/value")?.stringValue == "1.5")
        #expect(order.value(atPointer: "/shipment/transport_mode")?.stringValue == "road")
        #expect(order["parties"]?.arrayValue?.last?["role"]?.stringValue == "consignee")
        let decision = try #require(try await server.store.decisions(orderID: created.id).last { $0.actor == "reviewer:rita" })
        #expect(decision.output.contains("\"corrected\":true"))
    }

    @Test("A delivery that dies opens a DEAD filing item with its last error; reprocess sends it again, reject closes the other; both are decisions")
    func deadFilingsReprocessedAndRejected() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        server.api.workbench.add(WorkbenchUser(name: "ada", role: .admin, tokenSHA256: WorkbenchAuth.hash("ada-token")))
        // Two filed orders for a gateway no route serves here: this test plays the relay and lets them die.
        var items: [Int64] = []
        for key in ["dead-1", "dead-2"] {
            let (orderID, _) = try await server.store.accept(NewOrder(
                merchantID: "m-dead", idempotencyKey: key, externalReference: key, state: "filed",
                canonicalJSON: String(decoding: try TestServer.order(key: key, merchant: "m-dead"), as: UTF8.self),
                lines: [OrderLineRecord(lineNumber: 1, description: "Mug", hsCode: "691200", originCountry: "PT", value: 9, currency: "EUR")],
                filings: [NewFiling(kind: "declaration", message: NewOutboxMessage(idempotencyKey: key, adapterID: "gw-offline", payload: Array("{}".utf8)))]),
                now: Date().millis)
            let row = try #require(try await server.store.lease(owner: "t", limit: 1, now: Date().millis, leaseMillis: 60_000, adapters: ["gw-offline"]).first)
            let at = Date().millis
            try await server.store.complete(messageID: row.id, owner: "t", attempt: AttemptReport(
                worker: "t", startedAt: at, finishedAt: at, httpStatus: nil, errorClass: .retryable, error: "connection refused",
                requestBody: [], responseBody: []), outcome: .dead)
            let item = try #require(try await server.store.reviewItems(ReviewFilter(state: "open", orderID: orderID)).first)
            #expect(item.reason == "dead_filing" && item.detail.contains("connection refused"))
            items.append(try #require(item.id))
        }
        try await login(browser, token: "ada-token")
        let queue = try await browser.go(.GET, "/review?reason=dead_filing")
        #expect(items.allSatisfy { queue.body.contains("href=\"/review/items/\($0)\"") })
        let page = try await browser.go(.GET, "/review/items/\(items[0])")
        #expect(page.body.contains("connection refused") && !page.body.contains("id=\"action-reprocess\" data-key=\"p\" disabled"))
        let csrf = try #require(page.csrf)
        let reprocessed = try await browser.go(.POST, "/review/items/\(items[0])", form: [("csrf", csrf), ("action", "reprocess")])
        #expect(reprocessed.status == 303, "\(reprocessed.body.prefix(600))")
        let first = try #require(try await server.store.messages(OutboxFilter(adapterID: "gw-offline")).first { $0.idempotencyKey == "dead-1" })
        #expect(first.state == .pending && first.generation == 2)
        let rejected = try await browser.go(.POST, "/review/items/\(items[1])", form: [("csrf", csrf), ("action", "reject")])
        #expect(rejected.status == 303, "\(rejected.body.prefix(600))")
        let second = try #require(try await server.store.messages(OutboxFilter(adapterID: "gw-offline")).first { $0.idempotencyKey == "dead-2" })
        #expect(second.state == .dead, "a rejected DEAD filing stays DEAD (never pruned)")
        for id in items {
            let item = try #require(try await server.store.reviewItem(id: id))
            #expect(item.state == "resolved" && item.resolvedBy == "ada")
            let decisions = try await server.store.decisions(orderID: try #require(item.orderID))
            #expect(decisions.contains { $0.actor == "reviewer:ada" && $0.output.contains("\"review_item\":\(id)") })
        }
    }

    @Test("A session lives in the store: another instance on the same database knows it, and logout ends it everywhere")
    func sessionsAreShared() async throws {
        let first = try await TestServer()
        let second = try await TestServer(sharing: first)
        let one = WorkbenchBrowser(base: first.base)
        let other = WorkbenchBrowser(base: second.base)
        defer { Task { await one.shutdown(); await other.shutdown(); await second.stop(); await first.stop() } }
        for server in [first, second] {
            server.api.workbench.add(WorkbenchUser(name: "rita", role: .reviewer, tokenSHA256: WorkbenchAuth.hash("rita-token")))
        }
        try await login(one, token: "rita-token")
        let token = try #require(one.cookies[WorkbenchAuth.sessionCookie])
        #expect(try await first.store.session(tokenSHA256: WorkbenchAuth.hash(token), now: Date().millis)?.user == "rita")
        other.cookies = one.cookies
        let queue = try await other.go(.GET, "/review")
        #expect(queue.status == 200 && queue.body.contains("rita (reviewer)"), "\(queue.status)")
        let csrf = try #require(queue.csrf)
        #expect(try await other.go(.POST, "/review/logout", form: [("csrf", csrf)]).status == 303)
        #expect(try await one.go(.GET, "/review").status == 303, "logged out on every instance")
        #expect(try await first.store.session(tokenSHA256: WorkbenchAuth.hash(token), now: Date().millis) == nil)
    }
}
