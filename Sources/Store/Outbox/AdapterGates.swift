/// An adapter's rate limit and circuit breaker held in the database, so that several instances
/// together never send faster than the gateway allows, and one instance's open breaker holds the
/// others back. Engines with one writer process (SQLite) need none: the relay's own gates suffice.
public protocol AdapterGates: Sendable {
    /// Takes up to `upTo` tokens at once from the adapter's shared bucket (all it holds, when it
    /// holds fewer, but at least one or none). The bucket holds at most `burst - reserve` tokens:
    /// an instance that keeps leased tokens for a while spends them later than it took them, and
    /// the reserve is what keeps the sum of all instances' sends within the rate plus the burst
    /// (see `SharedGateTransport`). One statement per lease, whatever `upTo` is.
    func takeTokens(adapterID: String, upTo: Int, ratePerSecond: Double, burst: Int, reserve: Int, now: Millis) async throws -> TokenGrant

    /// Until when the shared breaker is open (nil when closed).
    func breakerOpenUntil(adapterID: String, now: Millis) async throws -> Millis?

    /// Counts a failure (opening the breaker for `coolDownMillis` at `threshold` failures in a row) or a success.
    func recordOutcome(adapterID: String, success: Bool, threshold: Int, coolDownMillis: Millis, now: Millis) async throws
}

/// What one lease of tokens got: `count` tokens (0 when the bucket was empty), and when it was
/// empty, the time at which the next token will be there.
public struct TokenGrant: Sendable, Hashable {
    public var count: Int
    public var nextAt: Millis?

    public init(count: Int, nextAt: Millis?) { self.count = count; self.nextAt = nextAt }
}

extension AdapterGates {
    /// Takes one token, to be spent at once. Returns nil when granted, or the time at which a
    /// token will be there.
    public func takeToken(adapterID: String, ratePerSecond: Double, burst: Int, now: Millis) async throws -> Millis? {
        let grant = try await takeTokens(adapterID: adapterID, upTo: 1, ratePerSecond: ratePerSecond, burst: burst, reserve: 0, now: now)
        return grant.count > 0 ? nil : (grant.nextAt ?? now + 1)
    }
}
