import AsyncHTTPClient
import ChildProcess
import Foundation
import NIOHTTP1
import Testing

/// Issue #17: `customs-hub review resolve --order FILE --document FILE` on a document draft learns
/// the supplier's template exactly as `POST /v1/reviews/ID/resolve` does, with the real binary. The
/// CLI has no command that puts a document into the review queue (only `POST /v1/documents` does),
/// so the first invoice goes in through `serve`; the resolution and the next read are the CLI's.
@Suite("Template learning through customs-hub review resolve", .serialized, .timeLimit(.minutes(10)))
struct TemplateLearningCLITests {
    static func fixture(_ name: String) -> URL { repoRoot.appendingPathComponent("Fixtures/documents/learning/\(name).pdf") }

    static func json(_ text: some StringProtocol) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// The draft as read, completed as a reviewer would: the invoice number and date the reader
    /// missed, the parties' addresses and what a Swiss import needs (parcels, transport, weights).
    static func corrected(_ draft: [String: Any]) throws -> [String: Any] {
        var order = draft
        order["missing"] = nil
        order["external_reference"] = "KO-24-1187"
        order["created_at"] = "2024-05-06T00:00:00Z"
        let seller: [String: Any] = ["role": "seller", "name": "Kestrel Optics GmbH", "address_lines": ["Linsenweg 4"], "city": "Jena",
                                     "postal_code": "07743", "country": "DE"]
        func huber(_ role: String) -> [String: Any] {
            ["role": role, "name": "Optik Huber AG", "address_lines": ["Bahnhofstrasse 12"], "city": "Basel", "postal_code": "4051", "country": "CH"]
        }
        order["parties"] = [seller, huber("buyer"), huber("consignee")]
        var shipment = order["shipment"] as? [String: Any] ?? [:]
        shipment["ship_from_country"] = "DE"
        shipment["destination_country"] = "CH"
        shipment["transport_mode"] = "road"
        shipment["parcels"] = [["reference": "P1", "gross_weight": ["value": "4", "unit": "kg"]]]
        order["shipment"] = shipment
        let lines = try #require(order["lines"] as? [[String: Any]])
        order["lines"] = lines.map { line in
            var l = line
            l["net_weight"] = ["value": "0.5", "unit": "kg"]
            l["origin_country"] = "DE"
            return l
        }
        return order
    }

    @Test("A document draft corrected with review resolve --order/--document: the template is learned and extract reads the next invoice with it")
    func resolveThroughTheCLILearnsTheTemplate() async throws {
        let dir = try ServeFixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data")
        // serve and resolve load the run's screening index from the data folder instead of building it.
        try await HubBinary.seed(data)
        let database = dir.appendingPathComponent("hub.sqlite").path
        let model = try await HubBinary.twoChapterModel.value
        // serve and the CLI share the database and the data folder (where learned templates go).
        let environment = HubBinary.environment(["CUSTOMS_HUB_DATA": data.path, "CUSTOMS_HUB_HOME": repoRoot.path])
        func cli(_ arguments: [String]) async throws -> ChildProcess.Result {
            try await ChildProcess.run(HubBinary.url, arguments, input: .devNull, directory: repoRoot, environment: environment)
        }

        // Before any learning the generic reader misses the second invoice's number and date.
        let before = try await cli(["extract", "Fixtures/documents/learning/kestrel-2.pdf"])
        let generic = try #require(Self.json(before.stdoutText), "\(before.stderrText)")
        let genericDocument = try #require(generic["document"] as? [String: Any])
        #expect(genericDocument["invoice_number"] == nil && genericDocument["invoice_date"] == nil, "\(before.stdoutText.prefix(600))")

        // The first invoice goes to review through the API (the CLI has no way to queue a document).
        let gateway = CountingGateway()
        try await gateway.start()
        defer { gateway.stop() }
        let config = ServeFixtures.config(database: database, model: model, gateway: gateway, rate: 20, burst: 5)
        let serve = try await ServeProcess.start(config: config, directory: dir, name: "hub", environment: ["CUSTOMS_HUB_DATA": data.path])
        let queued: (status: Int, text: String)
        do {
            queued = try await serve.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: Array(try Data(contentsOf: Self.fixture("kestrel-1"))),
                                          contentType: "application/pdf", client: HTTPClient.shared)
        } catch {
            await serve.process.stop()
            throw error
        }
        await serve.process.stop()
        #expect(queued.status == 202, "\(queued.text.prefix(400))")
        let read = try #require(Self.json(queued.text))
        let itemID = try #require(read["review_item"] as? Int, "\(queued.text.prefix(400))")

        let orderFile = dir.appendingPathComponent("corrected-order.json")
        try JSONSerialization.data(withJSONObject: try Self.corrected(try #require(read["order"] as? [String: Any]))).write(to: orderFile)
        let documentFile = dir.appendingPathComponent("document.json")
        try Data(#"{"total": "9999.99"}"#.utf8).write(to: documentFile)

        // Unreadable corrections are bad usage (exit 2), said before anything is resolved.
        let missing = try await cli(["review", "resolve", "\(itemID)", "--action", "correct", "--reviewer", "rita",
                                     "--order", dir.appendingPathComponent("nowhere.json").path, "--database", database, "--model", model.path])
        #expect(missing.status == 2, "\(missing.stderrText)")
        #expect(missing.stderrText.contains("nowhere.json"), "\(missing.stderrText)")
        let notAnObject = try await cli(["review", "resolve", "\(itemID)", "--action", "correct", "--reviewer", "rita",
                                         "--order", orderFile.path, "--document", "Fixtures/documents/learning/kestrel-1.pdf",
                                         "--database", database, "--model", model.path])
        #expect(notAnObject.status == 2, "\(notAnObject.stderrText)")
        #expect(notAnObject.stderrText.contains("--document"), "\(notAnObject.stderrText)")

        // The reviewer's corrections through the CLI: the order is submitted and the template learned.
        let resolved = try await cli(["review", "resolve", "\(itemID)", "--action", "correct", "--reviewer", "rita",
                                      "--order", orderFile.path, "--document", documentFile.path, "--database", database, "--model", model.path])
        #expect(resolved.status == 0, "\(resolved.stderrText.suffix(1500))")
        let lines = resolved.stdoutText.split(separator: "\n")
        #expect(lines.count == 1, "\(resolved.stdoutText)")
        let answer = try #require(lines.first.flatMap(Self.json), "\(resolved.stdoutText)")
        #expect(answer["order_id"] is Int && answer["document_id"] is Int && answer["outcome"] as? String == "resolved", "\(resolved.stdoutText)")
        let learning = try #require(answer["template_learning"] as? [String: Any], "\(resolved.stdoutText)")
        #expect(learning["written"] as? Bool == true, "\(learning)")
        let learned = (learning["learned"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) { $0[$1["field"] as? String ?? ""] = $1["how"] as? String }
        #expect(learned["invoice_number"] == "label \"voucher\"" && learned["invoice_date"] == "label \"invoice\"", "\(learning)")
        let notLearned = (learning["not_learned"] as? [[String: Any]] ?? []).first { $0["field"] as? String == "total" }
        #expect((notLearned?["reason"] as? String)?.contains("is not on the document") == true, "\(learning)")
        let file = try #require(learning["file"] as? String)
        #expect(file.hasPrefix(data.appendingPathComponent("documents/templates").path + "/") && FileManager.default.fileExists(atPath: file), "\(file)")
        #expect(resolved.stderrText.contains("template of Kestrel Optics GmbH learned"), "\(resolved.stderrText)")

        // Resolved once: a second answer is refused (exit 1) and learns nothing more.
        let again = try await cli(["review", "resolve", "\(itemID)", "--action", "correct", "--reviewer", "rita",
                                   "--order", orderFile.path, "--database", database, "--model", model.path])
        #expect(again.status == 1, "\(again.stderrText)")
        #expect(again.stdoutText.contains("template_learning") == false)
        let refused = try #require(Self.json(again.stdoutText), "\(again.stdoutText)")
        #expect(refused["outcome"] as? String == "not_open" && refused["review_item"] as? Int == itemID, "\(again.stdoutText)")
        #expect(again.stderrText.contains("review item \(itemID) is already resolved"), "\(again.stderrText)")

        // The next invoice of the layout, read by `extract` with the learned template named.
        let after = try await cli(["extract", "Fixtures/documents/learning/kestrel-2.pdf"])
        #expect(after.status == 0 || after.status == 1, "\(after.stderrText)")
        let next = try #require(Self.json(after.stdoutText), "\(after.stderrText)")
        let document = try #require(next["document"] as? [String: Any])
        #expect(document["invoice_number"] as? String == "KO-24-1342", "\(after.stdoutText.prefix(800))")
        #expect(document["invoice_date"] as? String == "2024-06-21")
        #expect((next["template"] as? [String: Any])?["source"] as? String == file, "\(next["template"] ?? "no template")")
    }
}
