import Foundation
import Relay
import Store
import Synchronization
import Testing

/// The relay's delivery policy driven step by step: a transport that answers from a script and a
/// clock that moves only when the test moves it. Each `runOnce` sends exactly what is due at that
/// instant, so backoff windows, attempt limits, rate limits and the breaker's cool-down are checked
/// to the millisecond with no sleeps. `RelayTests` keeps one real-socket test per behaviour.
@Suite("Relay on a scripted transport and a manual clock", .timeLimit(.minutes(10)))
struct ScriptedRelayTests {
    /// What the scripted gateway does for one request.
    enum Answer: Sendable {
        case status(Int, headers: [String: String] = [:])
        case notSent
        case noAnswer
    }

    /// A gateway that answers each request with the next scripted answer (the last repeats), and
    /// records every request with the clock's time.
    final class ScriptedTransport: Transport {
        private let script: Mutex<[Answer]>
        private let log = Mutex<[(at: Millis, request: TransportRequest)]>([])
        let clock: DeliveryTests.Clock

        init(_ answers: [Answer], clock: DeliveryTests.Clock) {
            precondition(!answers.isEmpty, "a script needs at least one answer")
            script = Mutex(answers)
            self.clock = clock
        }

        var requests: [(at: Millis, request: TransportRequest)] { log.withLock { $0 } }

        func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
            let at = clock.read()
            log.withLock { $0.append((at, request)) }
            let answer = script.withLock { s in s.count > 1 ? s.removeFirst() : s[0] }
            switch answer {
            case .status(let code, let headers): return TransportResponse(status: code, headers: headers, body: Array("{}".utf8))
            case .notSent: throw .notSent("connection refused (scripted)")
            case .noAnswer: throw .noAnswer("read timed out (scripted)")
            }
        }
    }

    /// The breaker's alerts, in order.
    final class Alerts: Sendable {
        private let log = Mutex<[AdapterAlert]>([])
        var record: @Sendable (AdapterAlert) -> Void { { alert in self.log.withLock { $0.append(alert) } } }
        var transitions: [CircuitBreaker.Transition] { log.withLock { $0.map(\.transition) } }
    }

    static let url = "http://gateway.invalid/declarations"

    static func route(retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelayMillis: 1_000, maxDelayMillis: 8_000),
                      rate: Double = 1_000, burst: Int = 100, breaker: Int = 1_000, coolDown: Millis = 30_000) -> AdapterRoute {
        AdapterRoute(adapterID: "gw", url: url, retry: retry, ratePerSecond: rate, burst: burst, maxConcurrent: 1,
                     breakerFailureThreshold: breaker, breakerCoolDownMillis: coolDown)
    }

    /// A relay whose jitter is always half the window, so every retry time is known in advance.
    static func relay(_ store: any HubStore, _ transport: ScriptedTransport, _ route: AdapterRoute,
                      onAlert: @escaping @Sendable (AdapterAlert) -> Void = { _ in }) -> Relay {
        Relay(store: store, transport: transport, routes: [route],
              configuration: RelayConfiguration(owner: "scripted", maxInFlight: 1, leaseMillis: 60_000, idleMillis: 50),
              clock: transport.clock.read, random: { 0.5 }, onAlert: onAlert)
    }

    static func enqueue(_ store: any HubStore, count: Int, at now: Millis) async throws -> [Int64] {
        try await store.enqueue((0..<count).map { n in
            NewOutboxMessage(idempotencyKey: "scripted-\(n)", adapterID: "gw", contentType: "application/json", payload: Array("{\"n\":\(n)}".utf8))
        }, now: now)
    }

    @Test(arguments: Engine.available)
    func retriesAtTheJitteredBackoffThenDeliversWithTheSameKey(engine: Engine) async throws {
        try await withStore(engine) { store in
            let clock = DeliveryTests.Clock()
            let transport = ScriptedTransport([.status(503), .status(503), .status(200)], clock: clock)
            let relay = Self.relay(store, transport, Self.route())
            let id = try #require(try await Self.enqueue(store, count: 1, at: t0).first)

            try await relay.runOnce()                     // attempt 1 at t0: 503, next after 0.5 × 1 s
            #expect(try await store.message(id: id)?.availableAt == t0 + 500)
            clock.advance(499)
            try await relay.runOnce()                     // not due yet: nothing is sent
            #expect(transport.requests.count == 1)
            clock.advance(1)
            try await relay.runOnce()                     // attempt 2 at t0+500: 503, next after 0.5 × 2 s
            #expect(try await store.message(id: id)?.availableAt == t0 + 1_500)
            clock.advance(1_000)
            try await relay.runOnce()                     // attempt 3 at t0+1500: 200

            #expect(transport.requests.map(\.at) == [t0, t0 + 500, t0 + 1_500])
            #expect(Set(transport.requests.map { $0.request.headers["idempotency-key"] }) == ["scripted-0"])
            let row = try #require(try await store.message(id: id))
            #expect(row.state == .delivered && row.attempts == 3 && row.deliveredAt == t0 + 1_500)
            #expect(try await store.attempts(messageID: id).map(\.httpStatus) == [503, 503, 200])
        }
    }

    @Test(arguments: Engine.available)
    func deadAfterTheLastAttemptAndNeverSentAgain(engine: Engine) async throws {
        try await withStore(engine) { store in
            let clock = DeliveryTests.Clock()
            let transport = ScriptedTransport([.status(502)], clock: clock)
            let relay = Self.relay(store, transport, Self.route(retry: RetryPolicy(maxAttempts: 3, baseDelayMillis: 1_000, maxDelayMillis: 1_000)))
            let id = try #require(try await Self.enqueue(store, count: 1, at: t0).first)

            for _ in 0..<5 {
                try await relay.runOnce()
                clock.advance(500)                        // the capped window is 1 s, half of it is 500 ms
            }
            let row = try #require(try await store.message(id: id))
            #expect(row.state == .dead && row.attempts == 3)
            #expect(row.lastErrorClass == .retryable)
            #expect(transport.requests.count == 3)
        }
    }

    @Test(arguments: Engine.available)
    func aGatewayThatMayHaveTheRowIsAskedAgainWithTheSameKeyAndOneThatNeverGotItToo(engine: Engine) async throws {
        try await withStore(engine) { store in
            let clock = DeliveryTests.Clock()
            let transport = ScriptedTransport([.noAnswer, .notSent, .status(201)], clock: clock)
            let relay = Self.relay(store, transport, Self.route())
            let id = try #require(try await Self.enqueue(store, count: 1, at: t0).first)

            try await relay.runOnce()
            let afterNoAnswer = try #require(try await store.message(id: id))
            #expect(afterNoAnswer.state == .pending && afterNoAnswer.lastErrorClass == .unknownDelivery)
            clock.advance(500)
            try await relay.runOnce()
            #expect(try await store.message(id: id)?.state == .pending)
            clock.advance(1_000)
            try await relay.runOnce()

            #expect(try await store.message(id: id)?.state == .delivered)
            #expect(Set(transport.requests.map { $0.request.headers["idempotency-key"] }) == ["scripted-0"])
        }
    }

    @Test(arguments: Engine.available)
    func theRateLimitReleasesOneRowPerTokenAsTheClockMoves(engine: Engine) async throws {
        try await withStore(engine) { store in
            let clock = DeliveryTests.Clock()
            let transport = ScriptedTransport([.status(200)], clock: clock)
            let relay = Self.relay(store, transport, Self.route(rate: 2, burst: 1))   // one every 500 ms
            _ = try await Self.enqueue(store, count: 3, at: t0)

            try await relay.runOnce()
            #expect(transport.requests.count == 1)
            clock.advance(499)
            try await relay.runOnce()
            #expect(transport.requests.count == 1)
            clock.advance(1)
            try await relay.runOnce()
            clock.advance(500)
            try await relay.runOnce()

            #expect(transport.requests.map(\.at) == [t0, t0 + 500, t0 + 1_000])
            #expect(try await store.messages(.all).allSatisfy { $0.state == .delivered })
        }
    }

    @Test(arguments: Engine.available)
    func anOpenBreakerHoldsEveryRowUntilItsCoolDownEnds(engine: Engine) async throws {
        try await withStore(engine) { store in
            let clock = DeliveryTests.Clock()
            let transport = ScriptedTransport([.status(500), .status(500), .status(200)], clock: clock)
            let alerts = Alerts()
            let relay = Self.relay(store, transport, Self.route(breaker: 2, coolDown: 10_000), onAlert: alerts.record)
            _ = try await Self.enqueue(store, count: 3, at: t0)

            try await relay.runOnce()                     // two failures open the breaker; the third row waits
            #expect(transport.requests.count == 2)
            #expect(alerts.transitions == [.opened])
            clock.advance(9_999)
            try await relay.runOnce()                     // every row is due, but the breaker is still open
            #expect(transport.requests.count == 2)
            clock.advance(1)
            try await relay.runOnce()                     // cool-down over: a probe goes, succeeds, the rest follow

            #expect(transport.requests.count >= 3 && transport.requests.dropFirst(2).allSatisfy { $0.at == t0 + 10_000 })
            #expect(alerts.transitions.last == .closed)
        }
    }
}
