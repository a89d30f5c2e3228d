import DocumentExtraction
import Documents
import Foundation
import Hub
import HubServer
import JSONCore
import NIOHTTP1
import Store
import Testing

/// A reviewer's corrections to a document draft refine that supplier's template, end to end over
/// real HTTP on loopback: the first invoice of a layout goes to review, its corrections are
/// learned into a template in the data folder, and the next invoice of the layout is read right.
@Suite("Supplier templates learned from corrections, over real HTTP", .serialized, .timeLimit(.minutes(5)))
struct TemplateLearningServerTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/documents/learning/\(name).pdf")))
    }

    /// The draft as read, completed as a reviewer would: the invoice number and date the reader
    /// missed, the parties' addresses and what a Swiss import needs (parcels, transport, weights).
    static func corrected(_ draft: JSONValue) throws -> JSONValue {
        guard case .object(var order) = draft, case .object(var shipment) = order["shipment"] ?? .object(JSONObject()),
              let lines = order["lines"]?.arrayValue else { throw Fail("draft shape: \(JSONWriter.write(draft))") }
        order["missing"] = nil
        order["external_reference"] = .string("KO-24-1187")
        order["created_at"] = .string("2024-05-06T00:00:00Z")
        order["parties"] = try JSONParser.parse("""
            [{"role":"seller","name":"Kestrel Optics GmbH","address_lines":["Linsenweg 4"],"city":"Jena","postal_code":"07743","country":"DE"},
             {"role":"buyer","name":"Optik Huber AG","address_lines":["Bahnhofstrasse 12"],"city":"Basel","postal_code":"4051","country":"CH"},
             {"role":"consignee","name":"Optik Huber AG","address_lines":["Bahnhofstrasse 12"],"city":"Basel","postal_code":"4051","country":"CH"}]
            """)
        shipment["ship_from_country"] = .string("DE")
        shipment["destination_country"] = .string("CH")
        shipment["transport_mode"] = .string("road")
        shipment["parcels"] = try JSONParser.parse(#"[{"reference":"P1","gross_weight":{"value":"4","unit":"kg"}}]"#)
        order["shipment"] = .object(shipment)
        order["lines"] = .array(lines.map { line in
            guard case .object(var l) = line else { return line }
            l["net_weight"] = try? JSONParser.parse(#"{"value":"0.5","unit":"kg"}"#)
            l["origin_country"] = .string("DE")
            return .object(l)
        })
        return .object(order)
    }

    struct Fail: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    static func field(_ answer: JSONValue, _ name: String) -> (value: String, confidence: Double)? {
        guard let f = answer["fields"]?.arrayValue?.first(where: { $0["name"]?.stringValue == name }), let v = f["value"]?.stringValue else { return nil }
        guard case .number(let c)? = f["confidence"] else { return nil }
        return (v, Double(c) ?? 0)
    }

    @Test("Corrections to the first invoice teach the supplier's template; the second invoice of the layout is read right without review")
    func correctionsImproveTheSuppliersTemplate() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let folder = try #require(server.api.templateBook.learnedFolder)

        // The generic reader misses the number (an unknown label) and the date (no label): review.
        let first = try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: try Self.fixture("kestrel-1"), contentType: "application/pdf")
        #expect(first.status == 202, "\(first.body.prefix(400))")
        let read = try JSONParser.parse(Array(first.body.utf8))
        #expect(read["document"]?["invoice_number"] == nil && read["document"]?["invoice_date"] == nil, "\(first.body.prefix(600))")
        #expect(read["template"] == nil)
        let itemID = try #require(first.object["review_item"] as? Int)

        // The reviewer submits the corrected draft; one correction (a total not printed anywhere) cannot be learned.
        let body = JSONValue.object(JSONObject([
            ("action", .string("correct")), ("reviewer", .string("rita")), ("order", try Self.corrected(try #require(read["order"]))),
            ("document", .object(JSONObject([("total", .string("9999.99"))]))),
        ]))
        let resolved = try await server.call(.POST, "/v1/reviews/\(itemID)/resolve", body: Array(JSONWriter.write(body).utf8))
        #expect(resolved.status == 200, "\(resolved.body.prefix(1200))")
        let answer = try JSONParser.parse(Array(resolved.body.utf8))
        let learning = try #require(answer["template_learning"], "\(resolved.body)")
        #expect(learning["written"] == .bool(true), "\(JSONWriter.write(learning))")
        let learned = Set((learning["learned"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
        #expect(learned.isSuperset(of: ["invoice_number", "invoice_date"]), "\(JSONWriter.write(learning))")
        let how = Dictionary((learning["learned"]?.arrayValue ?? []).compactMap { l in l["field"]?.stringValue.map { ($0, l["how"]?.stringValue ?? "") } },
                             uniquingKeysWith: { a, _ in a })
        #expect(how["invoice_number"] == "label \"voucher\"", "\(how)")
        // The date has no label of its own: the title printed above it serves as one.
        #expect(how["invoice_date"] == "label \"invoice\"", "\(how)")
        let notLearned = try #require(learning["not_learned"]?.arrayValue?.first { $0["field"]?.stringValue == "total" })
        #expect(notLearned["reason"]?.stringValue?.contains("is not on the document") == true, "\(JSONWriter.write(notLearned))")

        // The file is in the data folder, and loads as a start would load it.
        let path = try #require(learning["file"]?.stringValue)
        #expect(path.hasPrefix(folder.path + "/") && FileManager.default.fileExists(atPath: path))
        let reloaded = try SupplierTemplates.load(root: repoRoot, learned: folder)
        #expect(reloaded.first?.source == path && reloaded.first?.supplier == "Kestrel Optics GmbH")

        // The next invoice of the layout, other number, date and goods: read right, with the template named.
        let second = try await server.call(.POST, "/v1/documents", body: try Self.fixture("kestrel-2"), contentType: "application/pdf")
        #expect(second.status == 200)
        let next = try JSONParser.parse(Array(second.body.utf8))
        #expect(next["document"]?["invoice_number"]?.stringValue == "KO-24-1342", "\(second.body.prefix(800))")
        #expect(next["document"]?["invoice_date"]?.stringValue == "2024-06-21")
        #expect(next["template"]?["source"]?.stringValue == path)
        for name in ["invoice_number", "invoice_date"] {
            let now = try #require(Self.field(next, name))
            #expect(now.confidence > (Self.field(read, name)?.confidence ?? 0) && now.confidence >= 0.9, "\(name): \(now)")
            #expect(!(next["problems"]?.arrayValue ?? []).contains { $0["field"]?.stringValue == name })
        }
        // Before the learning the same file was missing both.
        let generic = Extractor().extract(try AnyDocumentReader().pages(try Self.fixture("kestrel-2"))).document
        #expect(generic.invoiceNumber == nil && generic.invoiceDate == nil)
    }
}
