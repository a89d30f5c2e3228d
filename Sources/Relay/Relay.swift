import AdapterKit
import CustomsModel
import Foundation
import JSONCore
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Settings of one relay instance.
public struct RelayConfiguration: Sendable {
    /// Lease owner name; must be unique among live instances (host + pid + counter is typical).
    public var owner: String
    /// Rows in flight at once across all adapters.
    public var maxInFlight: Int
    /// How long a lease lasts. Longer than any adapter timeout, so a live worker never loses a row
    /// it is still sending; a dead worker's rows come back after this.
    public var leaseMillis: Millis
    /// Longest idle sleep; wake-ups normally come sooner (enqueue signal, NOTIFY, next due row).
    public var idleMillis: Millis
    /// Rows leased ahead per adapter while its slots are full, so a freed slot sends at once
    /// instead of waiting for a lease round trip. nil: an eighth of the adapter's cap (at least 1)
    /// on a store that shares commits (PostgreSQL), none on a single-writer store (SQLite, where
    /// each lease is a commit of its own and leases are batched instead). 0 turns it off.
    public var prefetch: Int?

    public init(owner: String, maxInFlight: Int = 64, leaseMillis: Millis = 60_000, idleMillis: Millis = 1_000, prefetch: Int? = nil) {
        self.owner = owner; self.maxInFlight = max(1, maxInFlight); self.leaseMillis = leaseMillis; self.idleMillis = idleMillis
        self.prefetch = prefetch.map { max(0, $0) }
    }
}

/// Delivers outbox rows: leases them, applies the per-adapter gates (breaker, token bucket,
/// concurrency cap), sends, classifies the answer and records attempt and outcome in one write.
///
/// As a `Service`, it stops leasing on graceful shutdown, lets in-flight sends finish (each is
/// bounded by its adapter's timeout), records them, and returns; nothing is left half-written.
public final class Relay: Service {
    public let store: any HubStore
    public let transport: any Transport
    public let routes: [String: AdapterRoute]
    public let configuration: RelayConfiguration
    private let clock: @Sendable () -> Millis
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let onAlert: @Sendable (AdapterAlert) -> Void
    private let onEvent: @Sendable (DeliveryLogEvent) -> Void
    /// Credentials for every route (OAuth2 tokens are cached here across deliveries).
    public let credentials: Credentials

    private struct Gates {
        var breakers: [String: CircuitBreaker] = [:]
        var buckets: [String: TokenBucket] = [:]
        var inFlight: [String: Int] = [:]
        var total = 0
        /// Outcomes waiting in `batcher` for their write, by adapter, and in all.
        var queued: [String: Int] = [:]
        var queuedTotal = 0
    }

    /// The gates behind a reference, so the completion batcher's hold rule can read them.
    private final class GateState: Sendable {
        let mutex = Mutex(Gates())
        func withLock<R: Sendable>(_ body: (inout Gates) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    private let gates: GateState
    /// Rows leased ahead (`RelayConfiguration.prefetch`) by adapter, oldest first; only the
    /// leasing loop touches them.
    private let ready: ReadyRows

    /// `ready` behind a reference: the group commit's write adds the rows it leased.
    private final class ReadyRows: Sendable {
        let mutex = Mutex([String: [Held]]())
        func withLock<R: Sendable>(_ body: (inout [String: [Held]]) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    private final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// A row the gates let through, for a delivery worker.
    private struct Admitted: Sendable {
        var row: OutboxMessage
        var route: AdapterRoute
    }

    /// A row leased ahead, with the time it was leased.
    private struct Held {
        var row: OutboxMessage
        var leasedAt: Millis
    }
    /// Outcomes recorded by group commit: a busy relay pays one commit for many deliveries.
    private let batcher: GroupCommit<(completion: Completion, adapterID: String), Bool>
    private let stopping: StopFlag

    public init(store: any HubStore, transport: any Transport, routes: [AdapterRoute], configuration: RelayConfiguration,
                logger: Logger = Logger(label: "customs-hub.relay"),
                clock: @escaping @Sendable () -> Millis = { Date().millis },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                onAlert: @escaping @Sendable (AdapterAlert) -> Void = { _ in },
                secrets: Secrets = Secrets(), credentials: Credentials? = nil,
                onEvent: @escaping @Sendable (DeliveryLogEvent) -> Void = { _ in }) {
        self.credentials = credentials ?? Credentials(secrets: secrets, transport: transport)
        self.onEvent = onEvent
        self.store = store; self.transport = transport
        let routesByID = Dictionary(routes.map { ($0.adapterID, $0) }, uniquingKeysWith: { _, last in last })
        let gates = GateState()
        let maxInFlight = configuration.maxInFlight
        self.gates = gates
        let readyRows = ReadyRows()
        let stopFlag = StopFlag()
        self.ready = readyRows
        self.stopping = stopFlag
        // A relay of one route, leasing nothing ahead, leases in the same transaction as the outcomes
        // that free the room for it: one commit instead of two per cycle on SQLite.
        let single = routesByID.count == 1 && (configuration.prefetch ?? 0) == 0 ? routesByID.values.first : nil
        let (owner, leaseMillis) = (configuration.owner, configuration.leaseMillis)
        self.batcher = GroupCommit(hold: { _ in
            Self.holdsCompletions(gates: gates, routes: routesByID, maxInFlight: maxInFlight)
        }) { [store] batch in
            let next = gates.withLock { g -> LeaseRequest? in
                for item in batch { g.queued[item.adapterID, default: 1] -= 1 }
                g.queuedTotal -= batch.count
                guard let route = single, !stopFlag.value.load(ordering: .sequentiallyConsistent) else { return nil }
                // The batch's rows still count in flight until their deliveries return from this write.
                let inFlight = g.inFlight[route.adapterID, default: 0] - batch.count
                let waiting = readyRows.withLock { $0[route.adapterID]?.count ?? 0 }
                let room = min(maxInFlight - (g.total - batch.count), route.maxConcurrent - inFlight) - waiting
                // What `leaseAndDispatch` would lease once these slots are free, no more.
                let least = inFlight > 0 ? Self.leaseBatch(maxInFlight: maxInFlight, maxConcurrent: route.maxConcurrent) : 1
                guard room >= least else { return nil }
                return LeaseRequest(owner: owner, limit: room, now: clock(), leaseMillis: leaseMillis, adapters: [route.adapterID])
            }
            let (results, leased) = try await store.complete(batch.map(\.completion), thenLease: next)
            if let next, let route = single, !leased.isEmpty {
                // Sent by the leasing loop (through the gates) once these deliveries free their slots.
                readyRows.withLock { $0[route.adapterID, default: []].append(contentsOf: leased.map { Held(row: $0, leasedAt: next.now) }) }
            }
            return results
        }
        self.routes = routesByID
        self.configuration = configuration; self.logger = logger; self.clock = clock; self.random = random
        self.onAlert = onAlert
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await loop()
        } onGracefulShutdown: {
            self.stop()
        }
    }

    /// Delivers every row that is due now (and rows freed while doing so), waits for the answers,
    /// records them, and returns. Rows a gate or a backoff puts into the future stay for later.
    public func runOnce() async throws {
        let workers = DeliveryWorkers<Admitted>(limit: configuration.maxInFlight)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // On every way out (a failed lease throws): the workers end, so the group's wait ends.
            defer { workers.close() }
            while !isStopping {
                if try await leaseAndDispatch(into: &group, workers) == .leased { continue }
                if gates.withLock({ $0.total }) == 0 {
                    // The last deliveries may have finished after the round found the route full:
                    // rows still held ahead are sent by the next round, not given back undelivered.
                    if ready.withLock({ $0.values.allSatisfy(\.isEmpty) }) { break }
                    continue
                }
                await workers.waitForFinished()
            }
            workers.close()
            await releaseReady()
            try await group.waitForAll()
            // The last outcomes' write may have leased rows after the first give-back.
            await releaseReady()
        }
    }

    /// Stops leasing; `run()` returns once in-flight rows are recorded.
    public func stop() {
        stopping.value.store(true, ordering: .sequentiallyConsistent)
        store.wake()
    }

    private var isStopping: Bool { stopping.value.load(ordering: .sequentiallyConsistent) || Task.isCancelled }

    private func loop() async throws {
        let workers = DeliveryWorkers<Admitted>(limit: configuration.maxInFlight)
        try await withThrowingTaskGroup(of: Void.self) { group in
            defer { workers.close() }
            while !isStopping {
                let round: Round
                do {
                    round = try await leaseAndDispatch(into: &group, workers)
                } catch {
                    // The database is unreachable or refused: keep running, try again after a pause.
                    logger.error("leasing failed: \(error)", metadata: ["relay.owner": "\(configuration.owner)"])
                    await store.waitForWork(timeoutMillis: configuration.idleMillis)
                    continue
                }
                if isStopping { break }
                switch round {
                case .leased: continue
                // Finished deliveries wake the store; no need to ask it when the next row is due.
                case .waitingForRoom: await store.waitForWork(timeoutMillis: configuration.idleMillis)
                case .idle: await sleepUntilWork()
                }
            }
            workers.close()
            await releaseReady()
            try await group.waitForAll()
            // The last outcomes' write may have leased rows after the first give-back.
            await releaseReady()
        }
        logger.info("relay stopped", metadata: ["relay.owner": "\(configuration.owner)"])
    }

    private enum Round { case leased, idle, waitingForRoom }

    /// One round: for each adapter with room, lease up to its room, then pass each row through the
    /// gates. Rows a gate refuses go back with the time they may be tried, without an attempt.
    ///
    /// On a single-writer store (SQLite: `groupsCompletions`) a lease is a write transaction with a
    /// commit and an fsync of its own. There, while an adapter still has rows in flight, it leases
    /// only once at least half of its room is free, so one lease serves many rows instead of one
    /// lease per finished delivery. PostgreSQL shares commits between sessions; a relay on it leases
    /// as soon as there is room, which keeps slow (latency-bound) adapters at their full cap, and
    /// keeps a few rows leased ahead (`prefetch`): a freed slot takes one of them at once, and the
    /// lease that replaces it runs while the slots are busy, not while one stands empty.
    private func leaseAndDispatch(into group: inout ThrowingTaskGroup<Void, any Error>, _ workers: DeliveryWorkers<Admitted>) async throws -> Round {
        var leasedAny = false
        var heldBack = false
        var emptyRoute = false
        for route in routes.values.sorted(by: { $0.adapterID < $1.adapterID }) {
            guard !isStopping else { continue }
            let ahead = prefetch(route)
            // Rows leased ahead go first: they are the oldest this relay holds.
            var room = self.room(route)
            if room > 0, try await dispatchReady(route, upTo: room, into: &group, workers, leasedSince: nil) > 0 {
                leasedAny = true
                room = self.room(route)
            }
            let waiting = ready.withLock { $0[route.adapterID]?.count ?? 0 }
            let busy = gates.withLock { $0.inFlight[route.adapterID, default: 0] > 0 }
            // A full route (with its rows leased ahead) waits for one of its deliveries to finish,
            // which wakes the loop, not for a row to come due: asking the store when the next row
            // is due would cost a query per freed slot and tell nothing.
            let want = max(0, room) + max(0, ahead - waiting)
            guard want > 0 else { heldBack = true; continue }
            if store.groupsCompletions, busy, room < Self.leaseBatch(maxInFlight: configuration.maxInFlight, maxConcurrent: route.maxConcurrent) {
                heldBack = true
                continue
            }
            let now = clock()
            let rows = try await store.lease(owner: configuration.owner, limit: want, now: now,
                                             leaseMillis: configuration.leaseMillis, adapters: [route.adapterID])
            if rows.isEmpty {
                if room > 0 { emptyRoute = true } else { heldBack = true }
                continue
            }
            leasedAny = true
            ready.withLock { $0[route.adapterID, default: []].append(contentsOf: rows.map { Held(row: $0, leasedAt: now) }) }
            let free = self.room(route)
            if free > 0 { _ = try await dispatchReady(route, upTo: free, into: &group, workers, leasedSince: now) }
        }
        return leasedAny ? .leased : heldBack && !emptyRoute ? .waitingForRoom : .idle
    }

    /// Room for `route` now: its cap less its rows in flight, within the relay's own limit.
    private func room(_ route: AdapterRoute) -> Int {
        gates.withLock { g in
            min(configuration.maxInFlight - g.total, route.maxConcurrent - g.inFlight[route.adapterID, default: 0])
        }
    }

    /// Rows to hold leased ahead for `route` (see `RelayConfiguration.prefetch`).
    private func prefetch(_ route: AdapterRoute) -> Int {
        if let n = configuration.prefetch { return n }
        return store.groupsCompletions ? 0 : max(1, (route.maxConcurrent + 7) / 8)
    }

    /// Passes up to `limit` of the rows held for `route` through the gates, oldest first, and
    /// starts the admitted ones; returns how many left the hold. Rows a gate refuses go back with
    /// the time they may be tried. A row held ahead for longer than a second (a quarter of the
    /// lease, if shorter) goes back as it was, unless this round leased it (`leasedSince`, as every
    /// row was sent before rows were leased ahead): what is sent keeps nearly all of a fresh
    /// lease, which must outlast the send so that another worker never takes a row being sent.
    private func dispatchReady(_ route: AdapterRoute, upTo limit: Int, into group: inout ThrowingTaskGroup<Void, any Error>,
                               _ workers: DeliveryWorkers<Admitted>, leasedSince: Millis?) async throws -> Int {
        let now = clock()
        let held = ready.withLock { r -> [Held] in
            let held = r[route.adapterID] ?? []
            let taken = Array(held.prefix(limit))
            r[route.adapterID] = held.count > taken.count ? Array(held.dropFirst(taken.count)) : nil
            return taken
        }
        var refused: [(Int64, Millis)] = []
        let maxHold = min(1000, configuration.leaseMillis / 4)
        for entry in held {
            let row = entry.row
            if now - entry.leasedAt > maxHold, entry.leasedAt < leasedSince ?? .max {
                refused.append((row.id, row.availableAt))
                continue
            }
            switch admit(row, route: route, now: now) {
            case .send:
                // A worker free for it takes it at once; a new one starts while there are fewer than `maxInFlight`.
                if workers.push(Admitted(row: row, route: route)) {
                    group.addTask { await workers.run { job in await self.deliver(job.row, route: job.route) } }
                }
            case .later(let at):
                refused.append((row.id, at))
            }
        }
        for (id, at) in refused {
            try await store.release(messageIDs: [id], owner: configuration.owner, availableAt: at)
        }
        return held.count
    }

    /// Gives the rows leased ahead back (the relay stops): another worker may take them at once.
    private func releaseReady() async {
        let held = ready.withLock { r -> [OutboxMessage] in
            let rows = r.values.flatMap { $0.map(\.row) }
            r = [:]
            return rows
        }
        do {
            // As they were: their place in the queue does not change.
            for row in held { try await store.release(messageIDs: [row.id], owner: configuration.owner, availableAt: row.availableAt) }
        } catch {
            // Their leases lapse instead, and another worker takes them then.
            logger.error("could not give back rows leased ahead: \(error)", metadata: ["relay.owner": "\(configuration.owner)"])
        }
    }

    /// Whether finished deliveries (counted in `Gates.queued`) should wait for more before their
    /// outcomes are written, on a single-writer store where each write is a commit of its own.
    /// Written as they came (about 7 per commit in a 20,000-row drain on loopback), yet the relay leases
    /// again only once half a route's room is free (`leaseBatch`), and a slot is free only once its
    /// outcome is recorded. So outcomes wait until writing them frees that much room for one of their
    /// routes, or until every delivery in flight has finished (nothing more can come: a quiet relay
    /// writes at once). Every wait is bounded by the adapter timeouts of the deliveries in flight.
    private static func holdsCompletions(gates: GateState, routes: [String: AdapterRoute], maxInFlight: Int) -> Bool {
        gates.withLock { g in
            if g.queuedTotal >= g.total { return false }
            for (adapterID, n) in g.queued where n > 0 {
                guard let route = routes[adapterID] else { return false }
                let room = min(maxInFlight - g.total, route.maxConcurrent - g.inFlight[adapterID, default: 0])
                if max(0, room) + n >= leaseBatch(maxInFlight: maxInFlight, maxConcurrent: route.maxConcurrent) { return false }
            }
            return true
        }
    }

    /// The least room worth a lease while the adapter has rows in flight: half of what it may have
    /// in flight at once (1 for an adapter capped at 1 or 2).
    static func leaseBatch(maxInFlight: Int, maxConcurrent: Int) -> Int {
        max(1, min(maxInFlight, maxConcurrent) / 2)
    }

    /// Whether a finished delivery should wake the leasing loop (and the store's other waiters).
    /// A relay of one route on a single-writer store, with nothing leased ahead, leases again only
    /// once half the route's room is free or nothing is in flight (`leaseAndDispatch`): a wake
    /// before that only ran a round that leased nothing and waited again, once per delivery. Rows
    /// a completion unblocks (an ordering key) are still found: an idle relay pauses at most 20 ms.
    private func wakesLoop(_ g: Gates, route: AdapterRoute) -> Bool {
        guard store.groupsCompletions, routes.count == 1, prefetch(route) == 0 else { return true }
        let inFlight = g.inFlight[route.adapterID, default: 0]
        if inFlight <= 0 { return true }
        let room = min(configuration.maxInFlight - g.total, route.maxConcurrent - inFlight)
        let least = Self.leaseBatch(maxInFlight: configuration.maxInFlight, maxConcurrent: route.maxConcurrent)
        // Rows the outcomes' write leased wait in `ready`: wake once they can go (or half the room is free).
        let waiting = ready.withLock { $0[route.adapterID]?.count ?? 0 }
        return room >= (waiting > 0 ? min(waiting, least) : least)
    }

    private enum Admission { case send, later(Millis) }

    private func admit(_ row: OutboxMessage, route: AdapterRoute, now: Millis) -> Admission {
        gates.withLock { g in
            var breaker = g.breakers[route.adapterID]
                ?? CircuitBreaker(failureThreshold: route.breakerFailureThreshold, coolDownMillis: route.breakerCoolDownMillis)
            defer { g.breakers[route.adapterID] = breaker }
            let bucketKey = route.adapterID + "\u{1F}" + row.credentialID
            var bucket = g.buckets[bucketKey] ?? TokenBucket(ratePerSecond: route.ratePerSecond, burst: route.burst, now: now)
            defer { g.buckets[bucketKey] = bucket }
            // Tokens first: a throttled row must not consume the breaker's single half-open probe.
            if let wait = bucket.take(now: now) { return .later(now + wait) }
            guard breaker.allow(now: now) else { return .later(breaker.retryAt(now: now)) }
            g.inFlight[route.adapterID, default: 0] += 1
            g.total += 1
            return .send
        }
    }

    private func sleepUntilWork() async {
        let now = clock()
        var timeout = configuration.idleMillis
        if let due = try? await store.nextDue(adapters: Set(routes.keys)) {
            // Due rows that could not be leased are waiting behind an older row with their ordering
            // key, or behind a gate; a short pause lets the blocker finish instead of spinning.
            timeout = min(timeout, max(due - now, 20))
        }
        await store.waitForWork(timeoutMillis: timeout)
    }

    // MARK: One delivery

    private func deliver(_ row: OutboxMessage, route: AdapterRoute) async {
        defer {
            let wakes = gates.withLock { g -> Bool in
                g.inFlight[route.adapterID, default: 1] -= 1
                g.total -= 1
                return wakesLoop(g, route: route)
            }
            // Outcomes held for company may now be all that is in flight.
            if store.groupsCompletions { batcher.flushIfReady() }
            if wakes { store.wake() }
        }
        let started = clock()
        let attemptNumber = row.attempts + 1
        var headers = route.headers
        headers["content-type"] = row.contentType
        headers[route.idempotencyHeader.lowercased()] = row.idempotencyKey
        headers["x-outbox-attempt"] = "\(row.generation).\(attemptNumber)"
        if let secret = route.webhookSecret {
            for (name, value) in CallbackSigner.standardWebhooks(secret: secret, body: row.payload, eventID: row.idempotencyKey, now: Date(millis: started)) {
                headers[name] = value
            }
        }
        // Only file drops name the file after the key: an HTTP route's URL is used as it is
        // (Foundation's `replacingOccurrences` and the file name were 1 % of a loopback delivery).
        let url = route.url.utf8.contains(UInt8(ascii: "{"))
            ? route.url.replacingOccurrences(of: "{reference}", with: Self.fileName(row.idempotencyKey)) : route.url
        var request = TransportRequest(method: .post, url: url, headers: headers, body: row.payload)
        let isFile = url.hasPrefix("file:")

        // A header with a control character cannot be sent at all: that is the row's fault, not an
        // unknown delivery, and trying again cannot help.
        if let bad = headers.first(where: { Self.hasControl($0.key) || Self.hasControl($0.value) }) {
            await finish(row, route: route, started: started, status: nil, errorClass: .permanent,
                         error: "not sent: header \(bad.key) carries a control character", request: request, response: [],
                         classification: .failed(.permanent, retryAfterMillis: nil), verdict: nil)
            return
        }
        if !isFile, let failure = await authorize(&request, route: route, now: started) {
            let errorClass: ErrorClass = failure.retryable ? .retryable : .permanent
            await finish(row, route: route, started: started, status: nil, errorClass: errorClass, error: "not sent: \(failure)",
                         request: request, response: [], classification: .failed(errorClass, retryAfterMillis: nil), verdict: nil)
            return
        }

        // An earlier attempt may have arrived: settle that before sending the bytes again.
        if row.lastErrorClass == .unknownDelivery, case .queryStatus(let template) = route.unknownDelivery {
            var query = request
            query.method = .get
            query.url = template.replacingOccurrences(of: "{key}", with: row.idempotencyKey)
            query.headers["content-type"] = nil
            query.body = []
            do {
                let answer = try await transport.send(query, timeoutMillis: route.timeoutMillis)
                if (200..<300).contains(answer.status) {
                    await finish(row, route: route, started: started, status: answer.status, errorClass: nil,
                                 error: "status query: gateway already has it", request: query, response: answer.body,
                                 classification: .delivered, verdict: nil)
                    return
                }
                if answer.status != 404 {
                    await finish(row, route: route, started: started, status: answer.status, errorClass: .unknownDelivery,
                                 error: "status query answered \(answer.status)", request: query, response: answer.body,
                                 classification: .failed(.unknownDelivery, retryAfterMillis: nil), verdict: nil)
                    return
                }
            } catch {
                await finish(row, route: route, started: started, status: nil, errorClass: .unknownDelivery,
                             error: "status query failed: \(error)", request: query, response: [],
                             classification: .failed(.unknownDelivery, retryAfterMillis: nil), verdict: nil)
                return
            }
        }

        var classification: AttemptClassification
        var status: Int?
        var responseBody: [UInt8] = []
        var errorText: String?
        var verdict: ResponseOutcome?
        do throws(TransportFailure) {
            var answer = try await transport.send(request, timeoutMillis: route.timeoutMillis)
            // An OAuth2 token the gateway no longer takes: fetch a fresh one and send again, once.
            if answer.status == 401, case .oauth2ClientCredentials = route.auth {
                await credentials.invalidate(adapterID: route.adapterID, token: request.headers["authorization"])
                if await authorize(&request, route: route, now: clock()) == nil {
                    answer = try await transport.send(request, timeoutMillis: route.timeoutMillis)
                }
            }
            status = answer.status
            responseBody = answer.body
            classification = HTTPClassifier.classify(status: answer.status,
                                                     retryAfter: route.honourRetryAfter ? answer.headers["retry-after"] : nil,
                                                     now: clock(), retryable: route.retryableStatus)
            if case .failed = classification { errorText = "HTTP \(answer.status)" }
            (classification, verdict, errorText) = judge(answer, route: route, classification: classification, errorText: errorText)
        } catch {
            switch error {
            case .notSent(let text):
                classification = .failed(.retryable, retryAfterMillis: nil)
                errorText = "not sent: \(text)"
            case .noAnswer(let text):
                classification = .failed(.unknownDelivery, retryAfterMillis: nil)
                errorText = "no answer: \(text)"
            }
        }
        let errorClass: ErrorClass? = if case .failed(let c, _) = classification { c } else { nil }
        await finish(row, route: route, started: started, status: status, errorClass: errorClass, error: errorText,
                     request: request, response: responseBody, classification: classification, verdict: verdict)
    }

    /// Applies the adapter's response rules to an answer that is not worth retrying: accepted is
    /// delivered; rejected is permanent, with the gateway's reasons; an answer no rule names is
    /// delivered if 2xx (but `unknown`), permanent otherwise. Without rules, 2xx is accepted.
    private func judge(_ answer: TransportResponse, route: AdapterRoute, classification: AttemptClassification, errorText: String?)
        -> (AttemptClassification, ResponseOutcome?, String?) {
        if case .failed(let c, _) = classification, c != .permanent { return (classification, nil, errorText) }
        guard !route.responses.isEmpty else {
            if case .delivered = classification {
                return (classification, ResponseOutcome(outcome: .accepted, status: answer.status, reference: nil, reasons: []), errorText)
            }
            return (classification, ResponseOutcome(outcome: .rejected, status: answer.status, reference: nil, reasons: []), errorText)
        }
        let verdict = AdapterDefinition.interpret(status: answer.status, body: answer.body, rules: route.responses)
        let reasons = verdict.reasons.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
        switch verdict.outcome {
        case .accepted:
            return (.delivered, verdict, nil)
        case .rejected:
            return (.failed(.permanent, retryAfterMillis: nil), verdict,
                    "rejected: HTTP \(answer.status)" + (reasons.isEmpty ? "" : ": " + reasons))
        case .unknown:
            if (200..<300).contains(answer.status) { return (.delivered, verdict, "HTTP \(answer.status): no response rule names it") }
            return (.failed(.permanent, retryAfterMillis: nil), verdict, "HTTP \(answer.status): no response rule names it")
        }
    }

    /// Puts the route's credentials on `request`; the failure, if any.
    private func authorize(_ request: inout TransportRequest, route: AdapterRoute, now: Millis) async -> Credentials.Failure? {
        var headers = request.headers
        do throws(Credentials.Failure) {
            try await credentials.apply(route.auth, adapterID: route.adapterID, to: &headers, now: now, timeoutMillis: route.timeoutMillis)
        } catch {
            return error
        }
        request.headers = headers
        return nil
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// A file name from an idempotency key: letters, digits, `.`, `-` and `_` only.
    static func fileName(_ key: String) -> String {
        String(key.unicodeScalars.map { s -> Character in
            let ok = ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_"
            return ok ? Character(s) : "_"
        }).replacingOccurrences(of: "..", with: "__")
    }

    private func finish(_ row: OutboxMessage, route: AdapterRoute, started: Millis, status: Int?, errorClass: ErrorClass?,
                        error: String?, request: TransportRequest, response: [UInt8], classification: AttemptClassification,
                        verdict: ResponseOutcome?) async {
        let finished = clock()
        // The jitter is only drawn for a retry: each draw is a getrandom system call.
        let unit = classification == .delivered ? 0 : random()
        let outcome = route.retry.outcome(afterAttempt: row.attempts + 1, result: classification, now: finished, unit: unit)
        let transportTrouble = errorClass == .retryable || errorClass == .unknownDelivery
        let transition = gates.withLock { g -> CircuitBreaker.Transition? in
            var breaker = g.breakers[route.adapterID]
                ?? CircuitBreaker(failureThreshold: route.breakerFailureThreshold, coolDownMillis: route.breakerCoolDownMillis)
            defer { g.breakers[route.adapterID] = breaker }
            return breaker.record(success: !transportTrouble, now: finished)
        }
        if let transition {
            logger.warning("circuit breaker \(transition.rawValue)", metadata: ["adapter.id": "\(route.adapterID)"])
            onAlert(AdapterAlert(adapterID: route.adapterID, transition: transition, at: finished))
        }
        let head = DeliveryLogEvent.head(request, auth: route.auth)
        let verdictJSON = verdict.flatMap(Self.verdictJSON)
        let report = AttemptReport(worker: configuration.owner, startedAt: started, finishedAt: finished, httpStatus: status,
                                   errorClass: errorClass, error: error, requestBody: request.body, responseBody: response,
                                   requestHead: head, verdict: verdictJSON)
        var event = DeliveryLogEvent(at: finished, row: row, outcome: outcome, status: status, errorClass: errorClass, error: error,
                                     verdict: verdict)
        do {
            let completion = Completion(messageID: row.id, owner: configuration.owner, attempt: report, outcome: outcome)
            let held: Bool
            if store.groupsCompletions {
                // Counted before it is queued, so the hold rule never sees fewer than wait.
                gates.withLock { g in
                    g.queued[route.adapterID, default: 0] += 1
                    g.queuedTotal += 1
                }
                held = try await batcher.submit((completion: completion, adapterID: route.adapterID)).get()
            } else {
                held = try await store.complete(messageID: row.id, owner: configuration.owner, attempt: report, outcome: outcome)
            }
            if !held {
                logger.notice("lease lost before the outcome was recorded", metadata: ["outbox.message_id": "\(row.id)"])
                event.event = "lease_lost"
            }
            // The answer moves the filing and its order (accepted, or rejected with a review item).
            var settled = true
            if case .retry = outcome { settled = false }
            if held, settled, let filingID = row.filingID, let verdict {
                if let update = FilingProgress.delivery(filingID: filingID, adapterID: route.adapterID, verdict: verdict,
                                                                 delivered: outcome == .delivered,
                                                                 attempt: "{\"message_id\":\(row.id),\"attempt\":\"\(row.generation).\(row.attempts + 1)\"}") {
                    let result = try await store.apply(update, now: finished)
                    event.orderState = result.orderStateAfter
                    event.reviewID = result.reviewID
                }
            }
        } catch {
            // The lease will run out and another attempt will follow with the same idempotency key.
            logger.error("could not record attempt: \(error)", metadata: ["outbox.message_id": "\(row.id)"])
            event.event = "record_failed"
            event.error = "\(error)"
        }
        onEvent(event)
    }
}

extension Relay {
    /// `CanonicalJSON.encode(verdict)`, written directly when there are no reasons (every plain
    /// acceptance): Foundation's encoder is a large share of recording a delivery.
    static func verdictJSON(_ verdict: ResponseOutcome) -> String? {
        guard verdict.reasons.isEmpty else { return try? CanonicalJSON.encode(verdict) }
        var out = "{\"outcome\":"
        JSONWriter.writeString(verdict.outcome.rawValue, into: &out)
        out += ",\"reasons\":[]"
        if let reference = verdict.reference {
            out += ",\"reference\":"
            JSONWriter.writeString(reference, into: &out)
        }
        out += ",\"status\":\(verdict.status)}"
        return out
    }
}
