/// An adapter's rate limit and circuit breaker held in the database, so that several instances
/// together never send faster than the gateway allows, and one instance's open breaker holds the
/// others back. Engines with one writer process (SQLite) need none: the relay's own gates suffice.
public protocol AdapterGates: Sendable {
    /// Takes one token from the adapter's shared bucket. Returns nil when granted, or the time at
    /// which a token will be there.
    func takeToken(adapterID: String, ratePerSecond: Double, burst: Int, now: Millis) async throws -> Millis?

    /// Until when the shared breaker is open (nil when closed).
    func breakerOpenUntil(adapterID: String, now: Millis) async throws -> Millis?

    /// Counts a failure (opening the breaker for `coolDownMillis` at `threshold` failures in a row) or a success.
    func recordOutcome(adapterID: String, success: Bool, threshold: Int, coolDownMillis: Millis, now: Millis) async throws
}
