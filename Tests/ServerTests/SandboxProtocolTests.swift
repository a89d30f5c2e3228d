import ChildProcess
import AdapterKit
import CustomsModel
import Foundation
import HubServer
import JSONCore
import NIOHTTP1
import Pipeline
import Relay
import SandboxGateway
import Store
import StoreSQLite
import Testing

@Suite("The sandbox answers CUSDEC with CONTRL and CUSRES, and UK ICS with its outcomes, through the hub's callback route",
       .serialized, .timeLimit(.minutes(3)))
struct SandboxProtocolTests {
    /// The first key `prefix-N` whose final answer in the sandbox is `kind` (the sandbox chooses by key).
    static func key(_ prefix: String, final kind: String) -> String {
        (0..<1000).lazy.map { "\(prefix)-\($0)" }.first { SandboxGateway.finalKind(for: $0) == kind } ?? prefix
    }

    @Test("CUSDECs by file drop and ICS entry summaries over HTTP reach the sandbox, and its callbacks move each filing to its outcome")
    func cusdecAndICSCallbacksReachTheirFilings() async throws {
        let server = try await TestServer(stepMillis: 40)
        defer { Task { await server.stop() } }
        let created = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "proto-1"))
        let orderID = Int64(try #require(created.object["id"] as? Int))
        let order = try JSONValueDecoder().decode(Order.self, from: try JSONParser.parse(try TestServer.order(key: "proto-1")))
        let catalog = try ServerEngines.loaded.get().catalog
        let base = try RenderContext.parse(try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/golden/render-context.json")))))

        // Each filing as the pipeline files one, its LRN from its own reference sequence number.
        var expected: [Int64: (adapter: String, state: String)] = [:]
        var sequence = 7000
        func file(_ adapter: String, key: String, state: String, corrupt: Bool = false) async throws {
            sequence += 1
            var context = base
            context.sequence = sequence
            let rendered = try catalog.render(order, adapter: adapter, now: Date(), context: context)
            var payload = Array(rendered.body.utf8)
            if corrupt {
                // A wrong segment count in UNT: a syntax error the gateway's CONTRL rejects.
                payload = Array(rendered.body.replacingOccurrences(of: #"UNT\+[0-9]+\+"#, with: "UNT+999+", options: .regularExpression).utf8)
            }
            let filed = try await server.store.file([NewFiling(
                kind: rendered.messageType,
                message: NewOutboxMessage(idempotencyKey: key, adapterID: adapter, contentType: rendered.contentType, payload: payload),
                references: FilingReferences.extract(payload, idempotencyKey: key))], orderID: orderID, now: Date().millis)
            expected[try #require(filed.first).filingID] = (adapter, state)
        }
        try await file("cusdec-gateway", key: Self.key("cusdec", final: "cleared"), state: "cleared")
        try await file("cusdec-gateway", key: Self.key("cusdec", final: "rejected"), state: "rejected")
        try await file("cusdec-gateway", key: Self.key("cusdec-bad", final: "cleared"), state: "rejected", corrupt: true)
        try await file("uk-ics", key: Self.key("ics", final: "cleared"), state: "accepted")
        try await file("uk-ics", key: Self.key("ics", final: "held"), state: "held")
        try await file("uk-ics", key: Self.key("ics", final: "rejected"), state: "rejected")

        // Every callback is read and applied to its filing; the wait only tells "never" from "slow".
        var states: [Int64: String] = [:]
        try? await server.callbacksSettled.wait(60, for: "every filing's final answer") {
            let filings = try await server.store.filings(orderID: orderID)
            states = Dictionary(uniqueKeysWithValues: filings.filter { expected[$0.id] != nil }.map { ($0.id, $0.state) })
            return expected.allSatisfy { states[$0.key] == $0.value.state }
        }
        for (id, want) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(states[id] == want.state, "\(want.adapter) filing \(id): \(states[id] ?? "none"), expected \(want.state)")
        }

        // The sandbox took the CUSDECs from the drop folder and the ICS over HTTP, and answered in
        // each protocol: CONTRL and CUSRES, IE328 with an MRN, IE316, IE351.
        #expect(server.sandbox.filings.filter { $0.adapter == "cusdec-gateway" }.count == 3)
        #expect(server.sandbox.filings.filter { $0.adapter == "uk-ics" }.count == 3)
        for adapter in ["cusdec-gateway", "uk-ics"] {
            let inbox = try await server.store.callbacks(status: nil, adapterID: adapter)
            #expect(!inbox.isEmpty)
            #expect(inbox.allSatisfy { $0.status == "applied" }, "\(adapter): \(inbox.filter { $0.status != "applied" }.map { "\($0.status) \($0.note ?? "")" })")
        }
        let cusdecBodies = try await server.store.callbacks(status: nil, adapterID: "cusdec-gateway").map { String(decoding: $0.body, as: UTF8.self) }
        #expect(cusdecBodies.contains { $0.contains("CONTRL") && $0.contains("+4") })
        #expect(cusdecBodies.contains { $0.contains("CUSRES") && $0.contains("BGM+964") })
        #expect(cusdecBodies.contains { $0.contains("CUSRES") && $0.contains("ERC+") })
        let icsBodies = try await server.store.callbacks(status: nil, adapterID: "uk-ics").map { String(decoding: $0.body, as: UTF8.self) }
        #expect(icsBodies.contains { $0.contains("CC328A") && $0.contains("<DocNumHEA5>") })
        // The MRN the acceptance allocated is now a reference of the ICS filing.
        let accepted = try #require(expected.first { $0.value.adapter == "uk-ics" && $0.value.state == "accepted" }?.key)
        #expect(try await server.store.references(filingID: accepted).contains { $0.kind == "mrn" && $0.value.hasPrefix("26GB") })
        let shown = try await server.call(.GET, "/v1/orders/\(orderID)")
        let history = try #require(shown.object["history"] as? [[String: Any]])
        #expect(history.contains { ($0["kind"] as? String) == "callback.received" })
        #expect(history.contains { ($0["kind"] as? String) == "callback.held" })
    }
}
