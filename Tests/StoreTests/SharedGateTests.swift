import Foundation
import Relay
import Store
import StorePostgres
import Testing

/// The rate limit and breaker that relay instances share through PostgreSQL (`SharedGateTransport`
/// over `adapter_gates`), with tokens leased in batches. A manual clock: each send happens at the
/// instant the test sets, so batch sizes, lapses and the shared bucket's level are exact.
@Suite("Shared gate: leased token batches across instances", .enabled(if: Engine.postgresURL != nil), .timeLimit(.minutes(5)))
struct SharedGateTests {
    typealias Scripted = ScriptedRelayTests.ScriptedTransport

    static func request(_ route: AdapterRoute) -> TransportRequest {
        TransportRequest(method: .post, url: route.url, headers: [:], body: Array("{}".utf8))
    }

    @Test("One instance leases 1, 2, 4, 8 tokens while it spends whole batches; unspent ones lapse after the hold time")
    func batchesGrowAndLapse() async throws {
        try await withStore(.postgres) { store in
            let gates = try #require(store as? PostgresStore)
            let clock = DeliveryTests.Clock()
            // Burst 200: a reserve of 100 tokens, held tokens good for 100 ms at 1,000 /s.
            let route = AdapterRoute(adapterID: "gw", url: "http://gateway.invalid/deliver", ratePerSecond: 1000, burst: 200, maxConcurrent: 8)
            let inner = Scripted([.status(200)], clock: clock)
            let gate = SharedGateTransport(inner: inner, gates: gates, routes: [route], clock: clock.read)
            for _ in 0..<15 { _ = try await gate.send(Self.request(route), timeoutMillis: 1000) }
            #expect(inner.requests.count == 15)
            #expect(gate.leaseStats == TokenLeaseStats(leases: 4, granted: 15, lapsed: 0))   // 1 + 2 + 4 + 8
            _ = try await gate.send(Self.request(route), timeoutMillis: 1000)                 // a batch of 8 (the cap): 7 held
            #expect(gate.leaseStats == TokenLeaseStats(leases: 5, granted: 23, lapsed: 0))
            clock.advance(101)
            _ = try await gate.send(Self.request(route), timeoutMillis: 1000)                 // the 7 lapsed: lease 4 anew
            #expect(gate.leaseStats == TokenLeaseStats(leases: 6, granted: 27, lapsed: 7))
            #expect(inner.requests.count == 17)
        }
    }

    @Test("Two instances together take no more than the bucket holds: burst less the reserve, then the rate")
    func instancesShareTheBucket() async throws {
        try await withStore(.postgres) { store in
            let gates = try #require(store as? PostgresStore)
            let other = try #require(try await Engine.postgres.reopen(TestStore(store: store, cleanup: {})) as? PostgresStore)
            let clock = DeliveryTests.Clock()
            // Burst 8 at 10 /s: the bucket holds 4 (8 less a reserve of 4); held tokens are good for 400 ms.
            let route = AdapterRoute(adapterID: "gw", url: "http://gateway.invalid/deliver", ratePerSecond: 10, burst: 8, maxConcurrent: 16)
            let a = Scripted([.status(200)], clock: clock), b = Scripted([.status(200)], clock: clock)
            let gateA = SharedGateTransport(inner: a, gates: gates, routes: [route], clock: clock.read)
            let gateB = SharedGateTransport(inner: b, gates: other, routes: [route], clock: clock.read)
            _ = try await gateA.send(Self.request(route), timeoutMillis: 1000)   // A leases 1
            _ = try await gateA.send(Self.request(route), timeoutMillis: 1000)   // A leases 2, holds 1
            _ = try await gateB.send(Self.request(route), timeoutMillis: 1000)   // B leases the last one
            _ = try await gateA.send(Self.request(route), timeoutMillis: 1000)   // A spends the one it holds
            #expect(a.requests.count == 3 && b.requests.count == 1)
            #expect(gateA.leaseStats.granted + gateB.leaseStats.granted == 4)
            // Empty now: the next token comes after 1 / rate.
            let now = clock.read()
            let empty = try await gates.takeTokens(adapterID: "gw", upTo: 4, ratePerSecond: 10, burst: 8, reserve: 4, now: now)
            #expect(empty == TokenGrant(count: 0, nextAt: now + 100))
            // A second later the bucket has refilled to its cap (4), not to the burst (8).
            let later = try await other.takeTokens(adapterID: "gw", upTo: 100, ratePerSecond: 10, burst: 8, reserve: 4, now: now + 1000)
            #expect(later.count == 4)
            try await other.close()
        }
    }

    @Test("One instance's failures open the shared breaker; the other then sends nothing")
    func breakerHoldsTheOthersBack() async throws {
        try await withStore(.postgres) { store in
            let gates = try #require(store as? PostgresStore)
            let other = try #require(try await Engine.postgres.reopen(TestStore(store: store, cleanup: {})) as? PostgresStore)
            let clock = DeliveryTests.Clock()
            let route = AdapterRoute(adapterID: "gw", url: "http://gateway.invalid/deliver", ratePerSecond: 1000, burst: 100,
                                     breakerFailureThreshold: 2, breakerCoolDownMillis: 5_000)
            let a = Scripted([.status(503)], clock: clock), b = Scripted([.status(200)], clock: clock)
            let gateA = SharedGateTransport(inner: a, gates: gates, routes: [route], clock: clock.read)
            let gateB = SharedGateTransport(inner: b, gates: other, routes: [route], clock: clock.read)
            _ = try await gateB.send(Self.request(route), timeoutMillis: 1000)   // B holds leased tokens from here on
            for _ in 0..<2 { #expect(try await gateA.send(Self.request(route), timeoutMillis: 1000).status == 503) }
            await #expect(throws: TransportFailure.self) { try await gateB.send(Self.request(route), timeoutMillis: 1000) }
            #expect(b.requests.count == 1)
            clock.advance(5_001)
            #expect(try await gateB.send(Self.request(route), timeoutMillis: 1000).status == 200)
            #expect(b.requests.count == 2)
            try await other.close()
        }
    }
}
