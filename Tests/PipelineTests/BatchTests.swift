import AdapterKit
import CustomsModel
import Foundation
import Hub
import JSONCore
import Pipeline
import Store
import Testing

/// Orders evaluated and committed in batches, stage by stage, give each order exactly what it gets
/// alone: the same evaluation, the same answer and the same stored rows.
@Suite("Orders in batches", .serialized, .timeLimit(.minutes(10)))
struct BatchTests {
    /// Every part of an evaluation that is stored, printed or filed, as one text.
    static func fingerprint(_ v: Evaluation) -> String {
        var parts: [String] = [v.state.rawValue, v.inputDigest, v.documentText, v.text]
        parts += v.problems.map { "\($0.path) \($0.code) \($0.message) \($0.severity.rawValue)" }
        for d in v.decisions {
            parts += [d.kind, d.lineNumber.map(String.init) ?? "-", d.input, d.output, d.confidence.map { "\($0)" } ?? "-", d.evidence]
        }
        for r in v.reviews { parts += [r.reason, r.subject, r.detail, r.evidence, r.value.map { "\($0)" } ?? "-"] }
        for f in v.filings {
            parts += [f.adapter, f.lines.map(String.init).joined(separator: ","), f.rendered.messageType, f.rendered.contentType, f.rendered.body]
            parts += f.rendered.headers.map { "\($0.name): \($0.value)" }
        }
        return parts.joined(separator: "\n\u{1F}")
    }

    static func folder(_ name: String) throws -> [JSONValue] {
        let folder = repoRoot.appendingPathComponent("Fixtures/orders/\(name)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".expected.json") }.sorted()
        try #require(!files.isEmpty, "no orders in \(folder.path)")
        // A file that is not JSON at all (`malformed.json`) is no document to evaluate.
        let documents = try files.compactMap { file -> JSONValue? in
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
            return try? JSONParser.parse(bytes)
        }
        try #require(!documents.isEmpty, "no JSON orders in \(folder.path)")
        return documents
    }

    @Test("A batch evaluated stage by stage gives every order the evaluation it gets alone (valid, invalid, held for review, filed)")
    func batchEvaluationIsEachOrdersOwn() throws {
        let engines = try TestEngines.engines(reviewBelow: 0.5)
        let valid = try Self.folder("valid")
        let invalid = try Self.folder("invalid")
        // A T-shirt declared as a lamp (held for review) between the fixtures, and the invalid ones among them.
        var documents = valid
        documents.insert(try Orders.gb(key: "batch-flagged", codes: ["9405290000", "62046231"]), at: 3)
        for (k, document) in invalid.enumerated() { documents.insert(document, at: min(documents.count, 2 * k + 1)) }
        let references: [Int?] = documents.indices.map { $0 % 5 == 4 ? nil : 1000 + 8 * $0 }
        let batch = Pipeline.evaluate(documents, engines: engines, now: TestEngines.now, firstReferences: references)
        try #require(batch.count == documents.count)
        var states: [OrderState: Int] = [:]
        for (k, document) in documents.enumerated() {
            let alone = Pipeline.evaluate(document, engines: engines, now: TestEngines.now, firstReference: references[k])
            #expect(Self.fingerprint(batch[k]) == Self.fingerprint(alone), "order \(k) differs in the batch")
            states[alone.state, default: 0] += 1
        }
        // The batch really held each kind of outcome.
        #expect(states[.invalid, default: 0] >= invalid.count && states[.filed, default: 0] > 0 && states[.heldForReview, default: 0] > 0, "\(states)")
        #expect(batch.contains { !$0.filings.isEmpty } && batch.contains { !$0.reviews.isEmpty })
    }

    @Test("submit(batch:) answers and stores each order as submits one after the other do; a duplicate in the batch is one order",
          arguments: Engine.available)
    func batchSubmitIsOrderBySubmit(engine: Engine) async throws {
        let clean = try Orders.gb(key: "b-clean", codes: [nil, "62046231"])
        let flagged = try Orders.gb(key: "b-flagged", codes: ["9405290000", "62046231"])
        guard case .object(var broken) = flagged else { throw HubError.invalid("order is not an object") }
        broken["lines"] = .array([])
        let invalid = try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/invalid/missing-fields.json"))))
        let documents: [JSONValue] = [
            clean, flagged, clean, .object(broken), invalid, try Orders.fixture("de-b2c-ioss-multiline"),
            try Orders.gb(key: "b-other", codes: [nil, nil]), flagged,
        ]

        let (batchStore, _, batchCleanup) = try await engine.makeStore()
        let (aloneStore, _, aloneCleanup) = try await engine.makeStore()
        do {
            let engines = try TestEngines.engines(reviewBelow: 0)
            let batchHub = Hub(store: batchStore, engines: engines, clock: { TestEngines.now })
            let aloneHub = Hub(store: aloneStore, engines: engines, clock: { TestEngines.now })
            let batch = try await batchHub.submit(batch: documents).map { try $0.get() }
            var alone: [Hub.SubmitResult] = []
            for document in documents { alone.append(try await aloneHub.submit(document)) }

            try #require(batch.count == documents.count)
            for k in documents.indices {
                #expect(JSONWriter.write(batch[k].json) == JSONWriter.write(alone[k].json), "answer \(k)")
            }
            // The duplicates and the invalid copy under a taken key are the first order, not new ones.
            #expect(batch[0].created && !batch[2].created && batch[2].orderID == batch[0].orderID)
            #expect(!batch[3].created && batch[3].orderID == batch[1].orderID && batch[3].problems.isEmpty)
            #expect(batch[4].state == .invalid && batch[4].orderID == nil)
            #expect(!batch[7].created && batch[7].orderID == batch[1].orderID)
            #expect(batch[1].state == .heldForReview && !batch[1].reviewItems.isEmpty && batch[0].state == .filed && !batch[0].filings.isEmpty)

            let orders = try await batchStore.orders(OrderFilter())
            #expect(orders.count == 4)
            #expect(String(reflecting: orders) == String(reflecting: try await aloneStore.orders(OrderFilter())))
            for id in orders.map(\.id) {
                for (name, read) in Self.rows {
                    let (b, a) = (try await read(batchStore, id), try await read(aloneStore, id))
                    #expect(b == a, "order \(id): \(name) differ")
                }
            }
            #expect(try await batchHub.reader.verifyAudit().broken == nil)
            await batchCleanup()
            await aloneCleanup()
        } catch {
            await batchCleanup()
            await aloneCleanup()
            throw error
        }
    }

    /// Every row an order leaves, read as text.
    static let rows: [(String, @Sendable (any HubDatabase, Int64) async throws -> String)] = [
        ("order", { s, id in String(reflecting: try await s.order(id: id)) }),
        ("lines", { s, id in String(reflecting: try await s.orderLines(orderID: id)) }),
        ("decisions", { s, id in String(reflecting: try await s.decisions(orderID: id)) }),
        ("review items", { s, id in String(reflecting: try await s.reviewItems(ReviewFilter(orderID: id))) }),
        ("filings", { s, id in String(reflecting: try await s.filings(orderID: id)) }),
        ("outbox rows", { s, id in String(reflecting: try await s.outboxMessages(filingIDs: try await s.filings(orderID: id).map(\.id))) }),
    ]
}
