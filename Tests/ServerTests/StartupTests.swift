import Foundation
import HubServer
import Hub
import NIOHTTP1
import Store
import StoreSQLite
import Testing

/// The server listens before its engines are loaded (a first start trains the classifier): liveness,
/// health, readiness and the requests that need the engines each say so, over real HTTP on loopback.
@Suite("Start-up: listening while the engines load", .serialized, .timeLimit(.minutes(5)))
struct StartupTests {
    @Test("While the engines load, /livez is 200 with the stage, /healthz and /readyz 503 with Retry-After, an order a 503 problem after the wait, then taken once they are in")
    func listensWhileLoading() async throws {
        let gate = EngineLoadGate()
        let server = try await TestServer(loading: gate, startWait: .milliseconds(300))
        defer { Task { await server.stop() } }

        let live = try await server.call(.GET, "/livez", key: nil)
        #expect(live.status == 200)
        #expect(live.object["status"] as? String == "ok" && live.object["ready"] as? Bool == false, "\(live.body)")
        #expect(live.object["stage"] as? String == EngineLoadGate.stage, "\(live.body)")
        let health = try await server.call(.GET, "/healthz", key: nil)
        #expect(health.status == 503 && health.retryAfter == String(HubSlot.retryAfterSeconds), "\(health.status) \(health.body)")
        #expect(health.object["status"] as? String == "starting" && health.object["stage"] as? String == EngineLoadGate.stage, "\(health.body)")

        let ready = try await server.call(.GET, "/readyz", key: nil)
        #expect(ready.status == 503 && ready.retryAfter == String(HubSlot.retryAfterSeconds), "\(ready.status) \(ready.body)")
        let engines = (ready.object["checks"] as? [String: Any])?["engines"] as? [String: Any]
        #expect(engines?["ok"] as? Bool == false && engines?["stage"] as? String == EngineLoadGate.stage, "\(ready.body)")
        #expect(((ready.object["checks"] as? [String: Any])?["store"] as? [String: Any])?["ok"] as? Bool == true, "\(ready.body)")

        // An order waits the configured time, then is refused with a problem that says why and when to come back; nothing is stored.
        let early = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "start-1"))
        #expect(early.status == 503 && early.contentType == "application/problem+json", "\(early.status) \(early.body)")
        #expect((early.object["type"] as? String)?.hasSuffix("/starting") == true, "\(early.body)")
        #expect((early.object["detail"] as? String)?.contains("training the classifier") == true, "\(early.body)")
        #expect(early.retryAfter == String(HubSlot.retryAfterSeconds))
        #expect(try await server.store.orders(OrderFilter()).isEmpty)
        // What does not need the engines is served meanwhile.
        #expect(try await server.call(.GET, "/v1/orders").status == 200)
        #expect(try await server.call(.GET, "/metrics", key: nil).status == 200)
        #expect(server.api.slot.waiting == 0)

    }

    @Test("An order that arrives while the engines load waits for them within the start wait, and is taken")
    func orderWaitsForTheEngines() async throws {
        let gate = EngineLoadGate()
        let server = try await TestServer(loading: gate, startWait: .seconds(60))
        defer { Task { await server.stop() } }
        async let posted = server.call(.POST, "/v1/orders", body: try TestServer.order(key: "start-2"))
        // The order is in the server, waiting on the load, before the load ends.
        await server.api.slot.untilWaiting(1)
        #expect(server.api.slot.waiting == 1)
        gate.open()
        let answer = try await posted
        #expect(answer.status == 201, "\(answer.body)")
        let health = try await server.call(.GET, "/healthz", key: nil)
        #expect(health.status == 200 && health.retryAfter == nil, "\(health.body)")
        #expect(health.object["ready"] as? Bool == true && health.object["stage"] == nil, "\(health.body)")
        #expect(try await server.call(.GET, "/livez", key: nil).object["ready"] as? Bool == true)
        #expect(try await server.call(.GET, "/readyz", key: nil).status == 200)
    }

    @Test("Engines that fail to load: /readyz 503 naming the error, requests that need them a not-ready problem at once")
    func failedLoad() async throws {
        let gate = EngineLoadGate()
        // A start wait longer than the suite's time limit: the refusal must come from the failure, not the wait.
        let server = try await TestServer(loading: gate, startWait: .seconds(600))
        defer { Task { await server.stop() } }
        gate.fail(.invalid("no adapter could be loaded"))
        // The load's own end, awaited: it rethrows the failure.
        await #expect(throws: (any Error).self) { try await server.api.slot.loaded() }
        #expect(try await server.call(.GET, "/healthz", key: nil).object["status"] as? String == "failed")
        let ready = try await server.call(.GET, "/readyz", key: nil)
        #expect(ready.status == 503 && ready.retryAfter == nil, "\(ready.body)")
        let engines = (ready.object["checks"] as? [String: Any])?["engines"] as? [String: Any]
        #expect((engines?["error"] as? String)?.contains("no adapter could be loaded") == true, "\(ready.body)")
        let order = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "start-3"))
        #expect(order.status == 503 && (order.object["type"] as? String)?.hasSuffix("/not-ready") == true, "\(order.body)")
    }
}
