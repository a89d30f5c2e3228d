import Foundation
import Store
import Synchronization

/// A transport that asks the database before each send, so several relay instances share one
/// rate limit and one circuit breaker per adapter: it takes a token from the adapter's shared
/// bucket, refuses to send while another instance holds the breaker open (the relay counts that as
/// not sent and backs off), and reports each outcome to the shared breaker.
///
/// Tokens are leased in batches: an instance takes several at once (one UPDATE of the adapter's
/// row) and spends them on its next sends, so instances meet on that row once per batch instead of
/// once per send (where they queued on its row lock). The batch starts at one token, doubles while
/// the instance spends whole batches, halves when tokens lapse, and is at most the route's
/// concurrency cap and half its burst.
///
/// Why the limit still holds: a leased token may be spent only within `h` of its lease, where
/// `h` is the time the bucket takes to refill the reserve `R = burst / 2`; the shared bucket holds
/// at most `burst - R`. Sends in any window of length `W` spend tokens leased within `W + h`,
/// which is at most `(burst - R) + rate × (W + h) = burst + rate × W`: all instances together stay
/// within the rate plus the burst, however many tokens each holds. Unspent tokens lapse after `h`
/// rather than going back to the bucket: returned late, they could be leased and spent again on
/// top of what the bound counts.
public struct SharedGateTransport: Transport {
    public let inner: any Transport
    public let gates: any AdapterGates
    /// Route by URL prefix: the relay's requests carry the route's URL (or its status-query URL).
    let routes: [(prefix: String, route: AdapterRoute)]
    let clock: @Sendable () -> Millis
    let pools = TokenPools()
    /// Largest batch of tokens one lease takes (further capped per route); 1 takes a token per send.
    public let maxBatch: Int

    public init(inner: any Transport, gates: any AdapterGates, routes: [AdapterRoute], maxBatch: Int = 64,
                clock: @escaping @Sendable () -> Millis = { Date().millis }) {
        self.inner = inner; self.gates = gates; self.clock = clock; self.maxBatch = max(1, maxBatch)
        self.routes = routes.map { ($0.url, $0) }.sorted { $0.prefix.count > $1.prefix.count }
    }

    /// Token leases so far, all adapters together.
    public var leaseStats: TokenLeaseStats { pools.stats }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        guard let route = routes.first(where: { request.url.hasPrefix($0.prefix) })?.route else {
            return try await inner.send(request, timeoutMillis: timeoutMillis)
        }
        do {
            if let until = try await gates.breakerOpenUntil(adapterID: route.adapterID, now: clock()) {
                throw TransportFailure.notSent("circuit open (shared) until \(until)")
            }
            try await takeToken(route)
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw TransportFailure.notSent("shared gate unavailable: \(error)")
        }
        let result: Result<TransportResponse, TransportFailure>
        do { result = .success(try await inner.send(request, timeoutMillis: timeoutMillis)) } catch { result = .failure(error) }
        let success: Bool
        switch result {
        case .success(let response): success = response.status < 500
        case .failure: success = false
        }
        try? await gates.recordOutcome(adapterID: route.adapterID, success: success, threshold: route.breakerFailureThreshold,
                                       coolDownMillis: route.breakerCoolDownMillis, now: clock())
        return try result.get()
    }

    /// The reserve `R` and how long a leased token stays good (`h`, milliseconds) for a route.
    static func terms(_ route: AdapterRoute) -> (reserve: Int, holdMillis: Millis) {
        let reserve = max(0, route.burst) / 2
        let rate = max(route.ratePerSecond, 0.000001)
        // Rounded down: rate × h never exceeds the reserve.
        return (reserve, Millis((Double(reserve) * 1000 / rate).rounded(.down)))
    }

    /// Waits for a token: one from this instance's batch if a good one is left, else a new lease.
    private func takeToken(_ route: AdapterRoute) async throws {
        let (reserve, hold) = Self.terms(route)
        let cap = max(1, min(maxBatch, route.maxConcurrent, reserve))
        while true {
            let now = clock()
            guard let (want, leader) = pools.take(route.adapterID, now: now, cap: hold > 0 ? cap : 1) else { return }
            let grant: TokenGrant
            do {
                grant = try await gates.takeTokens(adapterID: route.adapterID, upTo: want, ratePerSecond: route.ratePerSecond,
                                                   burst: route.burst, reserve: reserve, now: now)
            } catch {
                pools.add(route.adapterID, spare: 0, goodUntil: now, leader: leader, granted: 0)
                throw error
            }
            pools.add(route.adapterID, spare: max(0, grant.count - 1), goodUntil: now + hold, leader: leader, granted: grant.count)
            if grant.count > 0 { return }
            let wait = max(1, (grant.nextAt ?? now + 1) - clock())
            try await Task.sleep(for: .milliseconds(wait))
        }
    }
}

/// Counts of one instance's token leases.
public struct TokenLeaseStats: Sendable, Hashable {
    /// Lease statements sent (each one UPDATE of an adapter's row, granted or not).
    public var leases = 0
    /// Tokens granted by them.
    public var granted = 0
    /// Granted tokens that lapsed unspent.
    public var lapsed = 0

    public init(leases: Int = 0, granted: Int = 0, lapsed: Int = 0) { self.leases = leases; self.granted = granted; self.lapsed = lapsed }
}

/// This instance's leased, unspent tokens per adapter.
final class TokenPools: Sendable {
    private struct Pool {
        var tokens = 0
        var goodUntil: Millis = 0
        var batch = 1
        var leasing = false
        var spentWhole = false
    }

    private struct State {
        var pools: [String: Pool] = [:]
        var stats = TokenLeaseStats()
    }

    private let state = Mutex(State())

    var stats: TokenLeaseStats { state.withLock { $0.stats } }

    /// Spends a held token (nil), or says how many to lease: the current batch, grown when the
    /// last one was spent whole and shrunk when tokens lapsed. While one lease of this adapter is
    /// on its way (its `leader`), others lease a single token, so a burst of sends does not grow
    /// the batch many times over.
    func take(_ adapterID: String, now: Millis, cap: Int) -> (count: Int, leader: Bool)? {
        state.withLock { s -> (count: Int, leader: Bool)? in
            var pool = s.pools[adapterID] ?? Pool()
            defer { s.pools[adapterID] = pool }
            if pool.tokens > 0 {
                if now <= pool.goodUntil {
                    pool.tokens -= 1
                    return nil
                }
                s.stats.lapsed += pool.tokens
                pool.tokens = 0
                pool.batch = max(1, pool.batch / 2)
            } else if pool.spentWhole {
                pool.batch = pool.batch * 2
            }
            pool.spentWhole = false
            s.stats.leases += 1
            if pool.leasing { return (1, false) }
            pool.leasing = true
            pool.batch = max(1, min(pool.batch, cap))
            return (pool.batch, true)
        }
    }

    /// Keeps the spare tokens of a lease; tokens held together lapse at the earlier of their times.
    func add(_ adapterID: String, spare: Int, goodUntil: Millis, leader: Bool, granted: Int) {
        state.withLock { s in
            s.stats.granted += granted
            var pool = s.pools[adapterID] ?? Pool()
            if leader {
                pool.leasing = false
                // A full batch granted and (later) spent is the sign to lease more next time.
                pool.spentWhole = granted >= pool.batch
            }
            if spare > 0 {
                pool.goodUntil = pool.tokens > 0 ? min(pool.goodUntil, goodUntil) : goodUntil
                pool.tokens += spare
            }
            s.pools[adapterID] = pool
        }
    }
}
