import AdapterKit
import Foundation
import HubServer
import NIOHTTP1
import Pipeline
import Store
import StoreSQLite
import Testing
import Yams

/// The intake routes beyond canonical JSON: inbound adapters' messages and the engines in batches.
@Suite("Intake over real HTTP: adapter messages and engine batches", .serialized, .timeLimit(.minutes(5)))
struct IntakeTests {
    @Test("A web shop's signed order webhook becomes its tenant's order; a resent event is the same order, a forged or unconfigured one stores nothing")
    func shopOrderWebhook() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let shop = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/json/shop/order_created.json")))
        let catalog = try ServerEngines.loaded.get().catalog
        let signature = try #require(catalog.adapters["shop-webhook"]?.callbacks?.signature)
        let signed = CallbackSigner.headers(signature, secret: Array(TestServer.secret.utf8), body: shop, eventID: "evt-1", now: Date())
        // Signed by the shop: no API key, the order is the configured tenant's.
        let taken = try await server.call(.POST, "/v1/callbacks/shop-webhook", key: nil, body: shop, headers: signed)
        #expect(taken.status == 201, "\(taken.body)")
        let id = try #require(taken.object["id"] as? Int)
        #expect(try await server.call(.GET, "/v1/orders/\(id)").status == 200)
        #expect(try await server.call(.GET, "/v1/orders/\(id)", key: "beta-key").status == 404)
        // The shop resends the same event: the same order, nothing new.
        let again = try await server.call(.POST, "/v1/callbacks/shop-webhook", key: nil, body: shop, headers: signed)
        #expect(again.status == 200 && again.object["id"] as? Int == id, "\(again.body)")
        // A forged signature is refused and stores nothing.
        var forged = signed
        for k in forged.keys { forged[k] = "AAAA" + (forged[k] ?? "") }
        var other = shop
        other[other.count - 2] = UInt8(ascii: " ")
        let refused = try await server.call(.POST, "/v1/callbacks/shop-webhook", key: nil, body: other, headers: forged)
        #expect(refused.status == 401 && refused.contentType == "application/problem+json", "\(refused.body)")
        #expect(try await server.store.orders(OrderFilter()).count == 1)
    }

    @Test("Without a tenant for the shop adapter, its order webhooks are refused as not configured")
    func shopOrderWebhookNeedsATenant() async throws {
        let (dir, file) = try scratchConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hash = String(repeating: "a", count: 64)
        try "adapters:\n  shop-webhook:\n    tenant: shop-1\ntenants:\n  - {id: shop-1, key_sha256: \(hash)}\n".write(to: file, atomically: true, encoding: .utf8)
        let config = try ServerConfig.load(file: file.path, environment: [:])
        #expect(config.adapters["shop-webhook"]?.tenant == "shop-1")
        try config.check(adapters: ["shop-webhook"])
        try "adapters:\n  shop-webhook:\n    tenant: nobody\n".write(to: file, atomically: true, encoding: .utf8)
        do { try ServerConfig.load(file: file.path, environment: [:]).check(adapters: ["shop-webhook"]); Issue.record("an unknown tenant was taken") } catch {
            #expect("\(error)".hasPrefix("\(file.path):2: adapters.shop-webhook.tenant: no tenant nobody"), "\(error)")
        }
        // The intake itself, without the adapter's tenant.
        let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path)
        try await store.migrate()
        let catalog = try ServerEngines.loaded.get().catalog
        let intake = CallbackIntake(store: store, catalog: { catalog }, secrets: ["shop-webhook": "s"], signal: WorkSignal())
        let body = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/json/shop/order_created.json")))
        #expect(throws: Problem.self) { try intake.orderWebhook(adapter: "shop-webhook", body: body, headers: [:], now: Date()) }
        #expect(try intake.orderWebhook(adapter: "uk-cds", body: body, headers: [:], now: Date()) == nil)
        try await store.close()
    }

    @Test("An inbound adapter's message becomes an order through the same ingest as the CLI; a malformed one is a problem and stores nothing")
    func adapterOrders() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let shop = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/json/shop/order_created.json")))
        let taken = try await server.call(.POST, "/v1/orders?adapter=shop-webhook", body: shop, headers: ["Idempotency-Key": "shop-1"])
        #expect(taken.status == 201, "\(taken.body)")
        let id = try #require(taken.object["id"] as? Int)
        let shown = try await server.call(.GET, "/v1/orders/\(id)")
        #expect(shown.object["external_reference"] as? String == "#1042", "\(shown.body)")
        // The same message again under the same key is the same order; the adapter may also be named in a header.
        let again = try await server.call(.POST, "/v1/orders", body: shop, headers: ["Idempotency-Key": "shop-1", "X-Adapter": "shop-webhook"])
        #expect(again.status == 200 && again.object["id"] as? Int == id, "\(again.body)")

        // Malformed and unmappable messages name what is wrong, and nothing is stored.
        let before = try await server.store.orders(OrderFilter()).count
        let broken = try await server.call(.POST, "/v1/orders?adapter=shop-webhook", body: Array(##"{"name": "#1043", "line_items": ["##.utf8))
        #expect(broken.status == 400 && broken.contentType == "application/problem+json", "\(broken.body)")
        #expect(broken.object["type"] as? String == Problem.typeBase + "malformed-message")
        #expect((broken.object["detail"] as? String)?.contains("shop-webhook") == true)
        let incomplete = try await server.call(.POST, "/v1/orders?adapter=shop-webhook", body: Array(#"{"id": 1, "currency": "EUR"}"#.utf8))
        #expect(incomplete.status == 422 && incomplete.contentType == "application/problem+json", "\(incomplete.body)")
        #expect((incomplete.object["detail"] as? String)?.contains("name") == true, "\(incomplete.body)")
        // An adapter that reads no orders of this kind, and a content type no adapter reads.
        let wrong = try await server.call(.POST, "/v1/orders?adapter=uk-cds", body: Array("<a/>".utf8), contentType: "application/xml")
        #expect(wrong.status == 415 && wrong.object["type"] as? String == Problem.typeBase + "adapter-does-not-read", "\(wrong.body)")
        let text = try await server.call(.POST, "/v1/orders", body: Array("a,b\n1,2\n".utf8), contentType: "text/plain")
        #expect(text.status == 415 && text.contentType == "application/problem+json")
        #expect(try await server.store.orders(OrderFilter()).count == before)
    }

    @Test("An ERP's EDIFACT invoice, UBL invoice and CSV export each become an order, picked by Content-Type alone")
    func erpOrders() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let folder = repoRoot.appendingPathComponent("Fixtures/erp")
        let cases: [(file: String, type: String, reference: String, lines: Int, destination: String)] = [
            ("invoice-d97b.edi", "application/edifact", "RE-2026-1187", 2, "GB"),
            ("invoice-ubl.xml", "application/xml; charset=utf-8", "F2026-00831", 2, "CH"),
        ]
        for c in cases {
            let body = Array(try Data(contentsOf: folder.appendingPathComponent(c.file)))
            let taken = try await server.call(.POST, "/v1/orders", body: body, contentType: c.type)
            #expect(taken.status == 201, "\(c.file): \(taken.body)")
            let id = try #require(taken.object["id"] as? Int, "\(c.file): \(taken.body)")
            let shown = try await server.call(.GET, "/v1/orders/\(id)")
            #expect(shown.object["external_reference"] as? String == c.reference, "\(c.file): \(shown.body)")
            #expect((shown.object["lines"] as? [Any])?.count == c.lines, "\(c.file)")
            #expect((shown.object["landed_cost"] as? [String: Any])?["destination"] as? String == c.destination, "\(c.file)")
            // The ERP sends the same invoice again: its own idempotency key makes it the same order.
            let again = try await server.call(.POST, "/v1/orders", body: body, contentType: c.type)
            #expect(again.status == 200 && again.object["id"] as? Int == id, "\(c.file): \(again.body)")
        }
        // One order's rows are that order.
        let csv = try String(contentsOf: folder.appendingPathComponent("orders.csv"), encoding: .utf8)
        let one = csv.split(separator: "\n").prefix(3).joined(separator: "\n") + "\n"
        let taken = try await server.call(.POST, "/v1/orders", body: Array(one.utf8), contentType: "text/csv")
        #expect(taken.status == 201, "\(taken.body)")
        // A CSV row with a quantity that is not a number names its column; nothing is stored.
        let before = try await server.store.orders(OrderFilter()).count
        let bad = one.replacingOccurrences(of: ";48;6.75;", with: ";forty;6.75;").replacingOccurrences(of: "SO-55120", with: "SO-9")
        let refused = try await server.call(.POST, "/v1/orders", body: Array(bad.utf8), contentType: "text/csv")
        #expect(refused.status == 422 && (refused.object["detail"] as? String)?.contains("quantity") == true, "\(refused.body)")
        #expect(try await server.store.orders(OrderFilter()).count == before)
    }

    @Test("A CSV export of several orders is answered per order (207), in the file's order, as the OpenAPI document says; each order keeps its own key")
    func csvOfSeveralOrders() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let csv = try String(contentsOf: repoRoot.appendingPathComponent("Fixtures/erp/orders.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map(String.init)
        try #require(rows.count == 4)
        // The first order alone first: in the export it is then the same order again.
        let first = try await server.call(.POST, "/v1/orders", body: Array((rows.prefix(3).joined(separator: "\n") + "\n").utf8), contentType: "text/csv")
        #expect(first.status == 201, "\(first.body)")
        let firstID = try #require(first.object["id"] as? Int)

        // The export as it stands: the second order has no parcels and no HS code, which Germany needs.
        let before = try await server.store.orders(OrderFilter()).count
        let both = try await server.call(.POST, "/v1/orders", body: Array(csv.utf8), contentType: "text/csv; charset=utf-8")
        #expect(both.status == 207, "\(both.body)")
        let answers = try #require(both.object["orders"] as? [[String: Any]], "\(both.body)")
        #expect(answers.map { $0["index"] as? Int } == [0, 1])
        #expect(answers.map { $0["external_reference"] as? String } == ["SO-55120", "SO-55121"])
        #expect(answers.map { $0["status"] as? Int } == [200, 422], "\(both.body)")
        #expect(answers[0]["id"] as? Int == firstID && answers[0]["created"] as? Bool == false)
        let problem = try #require(answers[1]["problem"] as? [String: Any], "\(both.body)")
        #expect(problem["type"] as? String == Problem.typeBase + "invalid-order" && answers[1]["id"] == nil, "\(problem)")
        #expect((problem["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String }.contains("/shipment/parcels") == true, "\(problem)")
        #expect(try await server.store.orders(OrderFilter()).count == before)

        // Answered as the OpenAPI document describes it.
        let doc = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let post = try #require((doc["paths"] as? [String: Any])?["/v1/orders"] as? [String: Any])["post"] as? [String: Any]
        #expect((post?["responses"] as? [String: Any])?["207"] != nil)
        let batch = try #require(((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])?["SubmittedBatch"] as? [String: Any])
        let item = try #require(((batch["properties"] as? [String: Any])?["orders"] as? [String: Any])?["items"] as? [String: Any])
        let required = try #require(item["required"] as? [String])
        for answer in answers { #expect(required.allSatisfy { answer[$0] != nil }, "\(answer)") }

        // Completed (mode, weight, HS code) and sent under a key: the second order is taken beside the first.
        let fixed = csv.replacingOccurrences(of: ";DDP;;;", with: ";DDP;road;3.2;").replacingOccurrences(of: ";24.00;GB;;2.1", with: ";24.00;GB;691390;2.1")
        let taken = try await server.call(.POST, "/v1/orders", body: Array(fixed.utf8), headers: ["Idempotency-Key": "export-7"], contentType: "text/csv")
        let parts = try #require(taken.object["orders"] as? [[String: Any]], "\(taken.body)")
        #expect(taken.status == 207 && parts.map { $0["status"] as? Int } == [200, 201], "\(taken.body)")
        let secondID = try #require(parts[1]["id"] as? Int)
        let shown = try await server.call(.GET, "/v1/orders/\(secondID)")
        #expect(shown.object["external_reference"] as? String == "SO-55121" && (shown.object["lines"] as? [Any])?.count == 1, "\(shown.body)")
        #expect(try await server.store.orders(OrderFilter()).count == before + 1)
        // The request's key covers the export: the same body again is the same orders, another body a 409.
        let again = try await server.call(.POST, "/v1/orders", body: Array(fixed.utf8), headers: ["Idempotency-Key": "export-7"], contentType: "text/csv")
        #expect(again.status == 207 && (again.object["orders"] as? [[String: Any]])?.map { $0["id"] as? Int } == [firstID, secondID], "\(again.body)")
        let other = try await server.call(.POST, "/v1/orders", body: Array(csv.utf8), headers: ["Idempotency-Key": "export-7"], contentType: "text/csv")
        #expect(other.status == 409, "\(other.body)")
    }

    @Test("An EDIFACT interchange of two INVOIC messages is two orders, answered per order (207); an empty interchange is a 422")
    func edifactInterchangeOfSeveralOrders() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let edi = try String(contentsOf: repoRoot.appendingPathComponent("Fixtures/erp/invoice-d97b.edi"), encoding: .utf8)
        let start = try #require(edi.range(of: "UNH+1+"))
        let end = try #require(edi.range(of: "UNZ+1+"))
        let message = String(edi[start.lowerBound..<end.lowerBound])
        let second = message.replacingOccurrences(of: "UNH+1+", with: "UNH+2+").replacingOccurrences(of: "UNT+30+1", with: "UNT+30+2")
            .replacingOccurrences(of: "RE-2026-1187", with: "RE-2026-1188")
        let interchange = String(edi[..<start.lowerBound]) + message + second + "UNZ+2+" + edi[end.upperBound...]
        let before = try await server.store.orders(OrderFilter()).count
        let taken = try await server.call(.POST, "/v1/orders", body: Array(interchange.utf8), contentType: "application/edifact")
        #expect(taken.status == 207, "\(taken.body)")
        let answers = try #require(taken.object["orders"] as? [[String: Any]], "\(taken.body)")
        #expect(answers.map { $0["external_reference"] as? String } == ["RE-2026-1187", "RE-2026-1188"], "\(taken.body)")
        #expect(answers.map { $0["status"] as? Int } == [201, 201], "\(taken.body)")
        #expect(try await server.store.orders(OrderFilter()).count == before + 2)

        let empty = String(edi[..<start.lowerBound]) + "UNZ+0+" + edi[end.upperBound...]
        let none = try await server.call(.POST, "/v1/orders", body: Array(empty.utf8), contentType: "application/edifact")
        #expect(none.status == 422 || none.status == 400, "\(none.body)")
        #expect(try await server.store.orders(OrderFilter()).count == before + 2)
    }

    @Test("A PDF invoice is read into the draft extract prints; submitting it takes the order through the same validation; an unreadable file stores nothing")
    func documents() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let pdf = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/documents/text/invoice-de-boxed.pdf")))
        let read = try await server.call(.POST, "/v1/documents", body: pdf, contentType: "application/pdf")
        #expect(read.status == 200, "\(read.body)")
        #expect((read.object["document"] as? [String: Any])?["invoice_number"] as? String == "RE-2024-0815", "\(read.body)")
        #expect((read.object["order"] as? [String: Any])?["lines"] as? [Any] != nil && read.object["fields"] as? [Any] != nil)
        let before = try await server.store.orders(OrderFilter()).count
        let noMerchant = try await server.call(.POST, "/v1/documents?submit=true", body: pdf, contentType: "application/pdf")
        #expect(noMerchant.status == 400 && noMerchant.contentType == "application/problem+json", "\(noMerchant.body)")
        // Submitted, the draft meets the order's validation: an invoice says nothing of parcels or the
        // mode of transport, so it waits in the review queue with those fields as its problems (no
        // order is stored), or is taken when it is complete.
        let submitted = try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: pdf, contentType: "application/pdf")
        if submitted.status == 201 {
            #expect(submitted.object["id"] as? Int != nil && submitted.object["document"] != nil, "\(submitted.body)")
        } else {
            #expect(submitted.status == 202 && submitted.object["state"] as? String == "held_for_review", "\(submitted.body)")
            let fields = (submitted.object["problems"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("/shipment/parcels"), "\(submitted.body)")
            #expect(try await server.store.orders(OrderFilter()).count == before)
            let item = try #require(submitted.object["review_item"] as? Int)
            let review = try await server.call(.GET, "/v1/reviews/\(item)")
            #expect(review.object["reason"] as? String == "unreadable_document" && review.object["document_id"] as? Int == submitted.object["document_id"] as? Int,
                    "\(review.body)")
            // The same file again is the same draft, not a second one; another tenant does not see it.
            let again = try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: pdf, contentType: "application/pdf")
            #expect(again.status == 202 && again.object["created"] as? Bool == false && again.object["review_item"] as? Int == item, "\(again.body)")
            #expect(try await server.call(.GET, "/v1/reviews/\(item)", key: "beta-key").status == 404)
        }
        let encrypted = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/documents/small/encrypted.pdf")))
        let refused = try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: encrypted, contentType: "application/pdf")
        #expect(refused.status == 422 && refused.object["type"] as? String == Problem.typeBase + "unreadable-document", "\(refused.body)")
        let garbage = try await server.call(.POST, "/v1/documents", body: Array("%PDF-1.7 truncated".utf8), contentType: "application/pdf")
        #expect(garbage.status == 422 && garbage.contentType == "application/problem+json", "\(garbage.body)")
    }

    @Test("Quotes, classifications and screenings in batches: one result per item, in order, a bad item answered in its place")
    func engineBatches() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let quotes = [
            #"{"id":"a","date":"2026-06-30","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","incoterm":"DDP","seller_registrations":["IOSS"]}"#,
            "not json",
            #"{"id":"c","date":"2026-07-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"64041100","quantity":1,"value":"80"}],"shipping":"10","channel":"pigeon"}"#,
        ].joined(separator: "\n")
        let q = try await server.call(.POST, "/v1/quotes", body: Array(quotes.utf8), contentType: "application/x-ndjson")
        #expect(q.status == 200 && q.contentType == "application/x-ndjson", "\(q.body)")
        let lines = q.body.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
        try #require(lines.count == 3, "\(q.body)")
        #expect(lines[0]["id"] as? String == "a" && lines[0]["error"] == nil && lines[0]["data_versions"] != nil, "\(q.body)")
        // In `customs-hub quote`'s printed shape: money with its currency as a decimal string, rates as strings.
        #expect((lines[0]["duty"] as? [String: Any])?["amount"] as? String != nil, "\(q.body)")
        #expect((lines[0]["duty"] as? [String: Any])?["currency"] as? String == "EUR", "\(q.body)")
        let quotedLines = lines[0]["lines"] as? [[String: Any]] ?? []
        #expect(!quotedLines.isEmpty && quotedLines.allSatisfy { $0["vat_rate"] is String && ($0["index"] as? Int) != nil }, "\(q.body)")
        #expect((lines[1]["error"] as? [String: Any])?["field"] as? String == "$")
        #expect(lines[2]["id"] as? String == "c" && (lines[2]["error"] as? [String: Any])?["field"] as? String == "channel")

        let items = #"[{"id":"t1","description":"men's knitted cotton t-shirt","destination":"GB"},{"id":"t2"},{"id":"t3","description":"wooden dining table"}]"#
        let c = try await server.call(.POST, "/v1/classify", body: Array(items.utf8))
        #expect(c.status == 200 && c.contentType == "application/json", "\(c.body)")
        let classified = try #require(c.json as? [[String: Any]])
        try #require(classified.count == 3)
        #expect(classified[0]["id"] as? String == "t1" && (classified[0]["hs6"] as? String)?.count == 6, "\(c.body)")
        // The item's number is a number, as `customs-hub classify` and `/v1/screen` write it (it was the string "2").
        #expect(classified[1]["error"] != nil && classified[1]["line"] as? Int == 2 && classified[1]["id"] as? String == "t2", "\(c.body)")
        #expect(classified[2]["id"] as? String == "t3" && classified[2]["model_version"] != nil)

        let parties = #"[{"id":"p1","name":"Jane Smith","type":"person","country":"GB"},42,{"id":"p3","name":"Acme Trading Ltd","type":"organization"}]"#
        let s = try await server.call(.POST, "/v1/screen", body: Array(parties.utf8))
        #expect(s.status == 200, "\(s.body)")
        let screened = try #require(s.json as? [[String: Any]])
        try #require(screened.count == 3)
        #expect(["clear", "review", "block"].contains(screened[0]["decision"] as? String ?? ""), "\(s.body)")
        #expect(screened[1]["error"] != nil && screened[1]["line"] as? Int == 2)
        #expect(screened[2]["decision"] != nil)
        // An order screened on its own gets its route findings and line risk, as `customs-hub screen` prints.
        let order = try await server.call(.POST, "/v1/screen", body: try TestServer.order(key: "screen-1"))
        let orderResult = try #require((order.json as? [[String: Any]])?.first, "\(order.body)")
        #expect(orderResult["risk"] != nil, "\(order.body)")

        // The batch itself must be one: no key, an empty batch, a scalar, another media type.
        #expect(try await server.call(.POST, "/v1/screen", key: nil, body: Array(parties.utf8)).status == 401)
        let empty = try await server.call(.POST, "/v1/classify", body: Array("[]".utf8))
        #expect(empty.status == 422 && empty.contentType == "application/problem+json")
        #expect(try await server.call(.POST, "/v1/quotes", body: Array("\"x\"".utf8)).status == 422)
        #expect(try await server.call(.POST, "/v1/quotes", body: Array("a,b".utf8), contentType: "text/csv").status == 415)
        #expect(try await server.store.orders(OrderFilter()).isEmpty)
    }
}
