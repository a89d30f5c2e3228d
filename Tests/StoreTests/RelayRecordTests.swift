import AdapterKit
import CustomsModel
import Foundation
@testable import Relay
import Testing

/// What the relay writes with each attempt, written without Foundation's encoder: it must read
/// back as the same JSON `CanonicalJSON` wrote before.
@Suite("Relay attempt records")
struct RelayRecordTests {
    static func object(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test("the request head is the canonical JSON of method, URL and redacted headers")
    func head() throws {
        let request = TransportRequest(method: .post, url: "https://gw.example/v1/filings?x=1&y=\"q\"",
                                       headers: ["content-type": "application/json", "authorization": "Bearer secret-token",
                                                 "idempotency-key": "k\\1", "x-note": "tab\there"],
                                       body: Array("{}".utf8))
        let written = DeliveryLogEvent.head(request, auth: .none)
        struct Head: Encodable { var method: String; var url: String; var headers: [String: String] }
        let canonical = try CanonicalJSON.encode(Head(method: "POST", url: request.url,
                                                      headers: Credentials.redacted(request.headers, auth: .none)))
        #expect(try Self.object(written) == Self.object(canonical))
        #expect(written.contains("Bearer ***") && !written.contains("secret-token"))
        // Keys in order, as the canonical form has them.
        #expect(written.hasPrefix("{\"headers\":{\"authorization\":"))
    }

    @Test("a verdict without reasons is written as CanonicalJSON writes it", arguments: [
        ResponseOutcome(outcome: .accepted, status: 200, reference: nil, reasons: []),
        ResponseOutcome(outcome: .accepted, status: 201, reference: "MRN \"26GB\"/1", reasons: []),
        ResponseOutcome(outcome: .rejected, status: 422, reference: nil, reasons: [StatusEvent.GatewayError(code: "E1", message: "bad")]),
    ])
    func verdict(_ outcome: ResponseOutcome) throws {
        let written = try #require(Relay.verdictJSON(outcome))
        #expect(written == (try CanonicalJSON.encode(outcome)))
    }

    @Test("an adapter with rows in flight leases once half its room is free")
    func leaseBatch() {
        #expect(Relay.leaseBatch(maxInFlight: 32, maxConcurrent: 32) == 16)
        #expect(Relay.leaseBatch(maxInFlight: 64, maxConcurrent: 8) == 4)
        #expect(Relay.leaseBatch(maxInFlight: 4, maxConcurrent: 100) == 2)
        #expect(Relay.leaseBatch(maxInFlight: 64, maxConcurrent: 1) == 1)
    }
}
