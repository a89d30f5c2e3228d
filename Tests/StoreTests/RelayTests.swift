import AsyncHTTPClient
import ChildProcess
import Foundation
import LoopbackSink
import Relay
import Store
import Synchronization
import Testing

/// The relay against a real HTTP sink on 127.0.0.1, on every engine.
@Suite("Relay", .timeLimit(.minutes(10)))
struct RelayTests {
    static func fastRetry(maxAttempts: Int = 4) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelayMillis: 10, maxDelayMillis: 40, maxRetryAfterMillis: 5_000)
    }

    static func route(_ sink: LoopbackSink, id: String = "gw", retry: RetryPolicy = fastRetry(), rate: Double = 10_000, burst: Int = 1000,
                      concurrent: Int = 16, timeout: Int64 = 2_000, breaker: Int = 1000, coolDown: Millis = 200,
                      unknown: AdapterRoute.UnknownDeliveryRule = .resendWithSameKey) -> AdapterRoute {
        AdapterRoute(adapterID: id, url: sink.url, retry: retry, ratePerSecond: rate, burst: burst, maxConcurrent: concurrent,
                     timeoutMillis: timeout, breakerFailureThreshold: breaker, breakerCoolDownMillis: coolDown, unknownDelivery: unknown)
    }

    /// The relay's own HTTP/1.1 client (what `serve` uses), AsyncHTTPClient behind it for https.
    static let transport = HTTP1Transport(fallback: HTTPClientTransport(client: .shared))

    /// A relay whose every recorded outcome (and every breaker alert) ticks `events`.
    static func relay(_ store: any HubStore, _ routes: [AdapterRoute], events: EventTicks, owner: String = "relay-1",
                      leaseMillis: Millis = 60_000, onAlert: @escaping @Sendable (AdapterAlert) -> Void = { _ in }) -> Relay {
        Relay(store: store, transport: transport, routes: routes,
              configuration: RelayConfiguration(owner: owner, maxInFlight: 32, leaseMillis: leaseMillis, idleMillis: 200),
              onAlert: { alert in onAlert(alert); events.tick() }, onEvent: { _ in events.tick() })
    }

    /// Runs the relays while `body` runs, then stops them gracefully and waits for them to return.
    static func running<T>(_ relays: [Relay], _ body: () async throws -> T) async throws -> T {
        let tasks = relays.map { relay in Task { try await relay.run() } }
        do {
            let result = try await body()
            for relay in relays { relay.stop() }
            for task in tasks { try await task.value }
            return result
        } catch {
            for relay in relays { relay.stop() }
            for task in tasks { _ = try? await task.value }
            throw error
        }
    }

    /// Waits, one relay event at a time, until every row is delivered or dead (bounded), returning the rows.
    static func settle(_ store: any HubStore, _ events: EventTicks, count: Int, within seconds: Double = 60) async throws -> [OutboxMessage] {
        func settled(_ rows: [OutboxMessage]) -> Bool {
            rows.count == count && rows.allSatisfy { $0.state == .delivered || $0.state == .dead }
        }
        do {
            try await events.wait(seconds, for: "\(count) rows delivered or dead") { settled(try await store.messages(.all)) }
        } catch is EventTicks.Timeout {
            let rows = try await store.messages(.all)
            Issue.record("not settled: \(rows.map { "\($0.idempotencyKey)=\($0.state.rawValue)/\($0.attempts)" })")
        }
        return try await store.messages(.all)
    }

    static func withSink<T>(_ body: (LoopbackSink) async throws -> T) async throws -> T {
        let sink = LoopbackSink()
        try await sink.start()
        do {
            let result = try await body(sink)
            await sink.stop()
            return result
        } catch {
            await sink.stop()
            throw error
        }
    }

    @Test(arguments: Engine.available)
    func scheduleOfAnswersEndsDeliveredOrDeadWithinPolicy(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                sink.script("ok-after-500", [.status(500), .status(200)])
                sink.script("ok-after-429", [.retryAfter(status: 429, seconds: 1), .status(201)])
                sink.script("rejected", [.status(422)])
                sink.script("always-503", [.status(503), .status(503), .status(503), .status(503), .status(503)])
                sink.script("ok", [.status(200)])
                let keys = ["ok-after-500", "ok-after-429", "rejected", "always-503", "ok"]
                let ids = try await store.enqueue(keys.map { message($0, body: #"{"key":"\#($0)"}"#) }, now: Date().millis)
                let rows = try await Self.running([Self.relay(store, [Self.route(sink, retry: Self.fastRetry(maxAttempts: 3))], events: events)]) {
                    try await Self.settle(store, events, count: keys.count)
                }
                let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.idempotencyKey, $0) })
                #expect(byKey["ok-after-500"]?.state == .delivered && byKey["ok-after-500"]?.attempts == 2)
                #expect(byKey["ok-after-429"]?.state == .delivered && byKey["ok-after-429"]?.attempts == 2)
                #expect(byKey["rejected"]?.state == .dead && byKey["rejected"]?.attempts == 1)
                #expect(byKey["rejected"]?.lastErrorClass == .permanent)
                #expect(byKey["always-503"]?.state == .dead && byKey["always-503"]?.attempts == 3)
                #expect(byKey["ok"]?.state == .delivered && byKey["ok"]?.attempts == 1)
                // The sink saw exactly what the policy allows, each time with the same idempotency key.
                #expect(sink.requests(for: "always-503").count == 3)
                #expect(sink.requests(for: "rejected").count == 1)
                #expect(sink.requests(for: "ok").count == 1)
                #expect(sink.requests(for: "always-503").map(\.attempt) == ["1.1", "1.2", "1.3"])
                // Retry-After: 1 s was honoured although the backoff ceiling is 40 ms.
                let limited = sink.requests(for: "ok-after-429")
                #expect(limited.count == 2)
                if limited.count == 2 { #expect(limited[1].at.timeIntervalSince(limited[0].at) >= 0.99) }
                // Every attempt is on record with the raw bodies.
                let attempts = try await store.attempts(messageID: ids[0])
                #expect(attempts.map(\.httpStatus) == [500, 200])
                #expect(attempts.map(\.errorClass) == [.retryable, nil])
                #expect(String(decoding: attempts[0].requestBody, as: UTF8.self) == #"{"key":"ok-after-500"}"#)
            }
        }
    }

    @Test(arguments: Engine.available)
    func poisonGoesDeadWithoutHoldingOthersBack(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                sink.script("poison", Array(repeating: .status(500), count: 10))
                let keys = ["poison"] + (1...40).map { "n-\($0)" }
                _ = try await store.enqueue(keys.map { message($0) }, now: Date().millis)
                let slow = RetryPolicy(maxAttempts: 4, baseDelayMillis: 150, maxDelayMillis: 150)
                let rows = try await Self.running([Self.relay(store, [Self.route(sink, retry: slow)], events: events)]) {
                    try await Self.settle(store, events, count: keys.count)
                }
                #expect(rows.first { $0.idempotencyKey == "poison" }?.state == .dead)
                #expect(rows.filter { $0.state == .delivered }.count == 40)
                // All 40 others arrived before the poison's last try.
                let poisonLast = try #require(sink.requests(for: "poison").last?.at)
                let othersLast = try #require(sink.received.filter { $0.key != "poison" }.map(\.at).max())
                #expect(othersLast < poisonLast)
                #expect(sink.requests(for: "poison").count == 4)
            }
        }
    }

    @Test(arguments: Engine.available)
    func unknownDeliveryAsksTheGatewayBeforeResending(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                // The gateway takes the first request but answers after the client gave up.
                sink.script("slow-accepted", [.slow(millis: 1500, status: 200)])
                _ = try await store.enqueue([message("slow-accepted")], now: Date().millis)
                let route = Self.route(sink, timeout: 500, unknown: .queryStatus(urlTemplate: sink.statusURLTemplate))
                let rows = try await Self.running([Self.relay(store, [route], events: events)]) { try await Self.settle(store, events, count: 1) }
                #expect(rows.first?.state == .delivered)
                #expect(sink.requests(for: "slow-accepted").count == 1)
                // Never resent: one POST, then status queries (one, unless the loaded machine made a query time out).
                let attempts = try await store.attempts(messageID: try #require(rows.first?.id))
                #expect(sink.statusQueries >= 1 && sink.statusQueries == attempts.count - 1)
                #expect(attempts.first?.errorClass == .unknownDelivery && attempts.last?.errorClass == nil)
            }
        }
    }

    @Test(arguments: Engine.available)
    func unknownDeliveryResendsWithTheSameKey(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                // The first reply outlasts the timeout; a resend must still be answered within it on a loaded machine.
                sink.script("dup", [.slow(millis: 3000, status: 200), .status(200)])
                _ = try await store.enqueue([message("dup")], now: Date().millis)
                let rows = try await Self.running([Self.relay(store, [Self.route(sink, timeout: 1000)], events: events)]) {
                    try await Self.settle(store, events, count: 1)
                }
                #expect(rows.first?.state == .delivered)
                let seen = sink.requests(for: "dup")
                let attempts = try await store.attempts(messageID: try #require(rows.first?.id))
                #expect(seen.count >= 2 && seen.count == attempts.count)
                #expect(attempts.first?.errorClass == .unknownDelivery)
                #expect(Set(seen.map(\.key)) == ["dup"])
            }
        }
    }

    @Test(arguments: Engine.available)
    func rowsOfACrashedWorkerComeBackAfterTheLease(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                let now = Date().millis
                _ = try await store.enqueue((1...5).map { message("crash-\($0)") }, now: now)
                // A worker leases everything and dies without a word.
                let ghost = try await store.lease(owner: "ghost", limit: 10, now: now, leaseMillis: 400, adapters: nil)
                #expect(ghost.count == 5)
                let started = ContinuousClock.now
                let rows = try await Self.running([Self.relay(store, [Self.route(sink)], events: events, owner: "survivor")]) {
                    try await Self.settle(store, events, count: 5)
                }
                #expect(rows.allSatisfy { $0.state == .delivered })
                #expect(ContinuousClock.now - started >= .milliseconds(300))
                for row in rows {
                    #expect(try await store.attempts(messageID: row.id).map(\.worker) == ["survivor"])
                }
            }
        }
    }

    @Test(arguments: Engine.available)
    func orderingKeyIsDeliveredInOrderDespiteRetries(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                sink.script("k-1", [.status(503), .status(503), .status(200)])
                sink.script("k-3", [.status(500), .status(200)])
                let keyed = (1...5).map { message("k-\($0)", orderingKey: "LRN-7") }
                _ = try await store.enqueue(keyed + (1...5).map { message("free-\($0)") }, now: Date().millis)
                let rows = try await Self.running([Self.relay(store, [Self.route(sink)], events: events)]) { try await Self.settle(store, events, count: 10) }
                #expect(rows.allSatisfy { $0.state == .delivered })
                let accepted = sink.received.filter { $0.key.hasPrefix("k-") && $0.answered == 200 }.map(\.key)
                #expect(accepted == ["k-1", "k-2", "k-3", "k-4", "k-5"])
                // Nothing of the key was sent while an earlier row of it was unfinished.
                let keyedSeen = sink.received.filter { $0.key.hasPrefix("k-") }.map(\.key)
                #expect(keyedSeen == ["k-1", "k-1", "k-1", "k-2", "k-3", "k-3", "k-4", "k-5"])
            }
        }
    }

    @Test(arguments: Engine.available)
    func breakerAlertsOnceOnOpenAndOnceOnClose(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                sink.setDefault(.status(503))
                let alerts = Mutex<[(transition: CircuitBreaker.Transition, at: Date)]>([])
                _ = try await store.enqueue((1...12).map { message("b-\($0)") }, now: Date().millis)
                let route = Self.route(sink, retry: RetryPolicy(maxAttempts: 50, baseDelayMillis: 10, maxDelayMillis: 30),
                                       concurrent: 2, breaker: 3, coolDown: 300)
                let relay = Self.relay(store, [route], events: events,
                                       onAlert: { alert in alerts.withLock { $0.append((alert.transition, Date())) } })
                let rows = try await Self.running([relay]) {
                    try await events.wait(5, for: "the breaker to open") { !alerts.withLock { $0 }.isEmpty }
                    sink.setDefault(.status(200))
                    return try await Self.settle(store, events, count: 12)
                }
                #expect(rows.allSatisfy { $0.state == .delivered })
                // Open: during the cool-down nothing reaches the gateway but the (at most 2) requests already in flight.
                let opened = try #require(alerts.withLock { $0 }.first { $0.transition == .opened }?.at)
                let duringCoolDown = sink.received.filter { $0.at > opened && $0.at < opened.addingTimeInterval(0.25) }
                #expect(duringCoolDown.count <= 2)
                #expect(alerts.withLock { $0 }.map(\.transition) == [.opened, .closed])
            }
        }
    }

    @Test(arguments: Engine.available)
    func tokenBucketSpacesRequests(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                _ = try await store.enqueue((1...10).map { message("rate-\($0)") }, now: Date().millis)
                let rows = try await Self.running([Self.relay(store, [Self.route(sink, rate: 20, burst: 2)], events: events)]) {
                    try await Self.settle(store, events, count: 10)
                }
                #expect(rows.allSatisfy { $0.state == .delivered && $0.attempts == 1 })
                // When the relay let each request go (attempt start), not when the loaded machine got it there.
                var starts: [Millis] = []
                for row in rows { starts += try await store.attempts(messageID: row.id).map(\.startedAt) }
                starts.sort()
                #expect(starts.count == 10)
                // 2 at once, then 20 per second: the 10th cannot start before ~400 ms (less scheduling slack).
                if let first = starts.first, let last = starts.last { #expect(last - first >= 330) }
                // No 200 ms window holds more than burst + rate·0.2 s = 6 starts (+1 for millisecond rounding).
                for (i, t) in starts.enumerated() {
                    #expect(starts[i...].prefix { $0 - t < 200 }.count <= 7)
                }
                #expect(sink.received.count == 10)
            }
        }
    }

    @Test(arguments: Engine.available)
    func gracefulStopFinishesInFlightAndLeavesNothingLeased(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                sink.setDefault(.slow(millis: 150, status: 200))
                _ = try await store.enqueue((1...60).map { message("g-\($0)") }, now: Date().millis)
                let relay = Self.relay(store, [Self.route(sink, concurrent: 8)], events: events)
                let task = Task { try await relay.run() }
                // Stop once the first delivery is recorded: the others of its wave are still in flight.
                try await events.wait(30, for: "a first delivery") { try await store.stats().count(.delivered) > 0 }
                relay.stop()
                try await task.value
                let rows = try await store.messages(.all)
                #expect(rows.filter { $0.state == .leased }.isEmpty)
                let delivered = Set(rows.filter { $0.state == .delivered }.map(\.idempotencyKey))
                #expect(!delivered.isEmpty && delivered.count < 60)
                // Every request the gateway saw was finished and recorded as delivered.
                #expect(Set(sink.received.map(\.key)) == delivered)
                #expect(rows.filter { $0.state == .pending }.allSatisfy { $0.attempts == 0 })
            }
        }
    }

    @Test(arguments: Engine.available)
    func threeRelaysShareOneOutboxWithoutDoubleDelivery(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let events = EventTicks()
                let n = 600
                _ = try await store.enqueue((1...n).map { message("m-\($0)") }, now: Date().millis)
                // Separate store handles, as separate processes would have.
                var handles: [any HubStore] = [store]
                for _ in 1...2 { handles.append(try await engine.reopen(TestStore(store: store, cleanup: {}))) }
                let relays = handles.enumerated().map { i, handle in Self.relay(handle, [Self.route(sink, concurrent: 8)], events: events, owner: "relay-\(i + 1)") }
                let rows = try await Self.running(relays) { try await Self.settle(store, events, count: n, within: 30) }
                for handle in handles.dropFirst() { try await handle.close() }
                #expect(rows.allSatisfy { $0.state == .delivered })
                let perKey = Dictionary(grouping: sink.received, by: \.key)
                #expect(perKey.count == n)
                #expect(perKey.values.allSatisfy { $0.count == 1 })
                var workers: [String: Int] = [:]
                for row in rows.prefix(n) {
                    for attempt in try await store.attempts(messageID: row.id) { workers[attempt.worker, default: 0] += 1 }
                }
                #expect(Set(workers.keys) == ["relay-1", "relay-2", "relay-3"])
            }
        }
    }

    /// A relay that leases rows ahead (more than its cap lets it send) sends each row once, in
    /// order of the queue, and leaves none leased when it is done.
    @Test(arguments: Engine.available)
    func rowsLeasedAheadAreSentOnceAndNoneStaysLeased(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                let n = 40
                _ = try await store.enqueue((1...n).map { message("ahead-\($0)") }, now: Date().millis)
                let relay = Relay(store: store, transport: Self.transport, routes: [Self.route(sink, concurrent: 2)],
                                  configuration: RelayConfiguration(owner: "relay-1", maxInFlight: 32, leaseMillis: 60_000, idleMillis: 200,
                                                                    prefetch: 4))
                try await relay.runOnce()
                let rows = try await store.messages(.all)
                #expect(rows.count == n)
                #expect(rows.allSatisfy { $0.state == .delivered && $0.attempts == 1 && $0.leaseOwner == nil })
                let perKey = Dictionary(grouping: sink.received, by: \.key)
                #expect(perKey.count == n && perKey.values.allSatisfy { $0.count == 1 })
            }
        }
    }

    /// Stopped while it holds rows leased ahead, a relay gives them back untouched: after `run()`
    /// returns no row is leased, and every row is either delivered once or pending with no attempt.
    @Test(arguments: Engine.available)
    func stoppingGivesRowsLeasedAheadBack(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await Self.withSink { sink in
                sink.setLatency(50...50)
                let n = 30
                _ = try await store.enqueue((1...n).map { message("back-\($0)") }, now: Date().millis)
                let events = EventTicks()
                let relay = Relay(store: store, transport: Self.transport, routes: [Self.route(sink, concurrent: 1)],
                                  configuration: RelayConfiguration(owner: "relay-1", maxInFlight: 32, leaseMillis: 60_000, idleMillis: 200,
                                                                    prefetch: 3),
                                  onEvent: { _ in events.tick() })
                try await Self.running([relay]) {
                    try await events.wait(30, for: "a first delivery") {
                        try await store.messages(.all).contains { $0.state == .delivered }
                    }
                }
                let rows = try await store.messages(.all)
                #expect(rows.count == n)
                #expect(!rows.contains { $0.state == .leased || $0.leaseOwner != nil })
                #expect(rows.allSatisfy { ($0.state == .delivered && $0.attempts == 1) || ($0.state == .pending && $0.attempts == 0) })
                #expect(Dictionary(grouping: sink.received, by: \.key).values.allSatisfy { $0.count == 1 })
            }
        }
    }
}
