/// Rate limit for one adapter and credential: `ratePerSecond` sustained, `burst` at once. A token
/// bucket states the rate explicitly (Camel changed its throttler from rate to concurrency between
/// versions, CAMEL-16099; here concurrency is a separate cap in the relay).
public struct TokenBucket: Sendable, Hashable {
    public let ratePerSecond: Double
    public let burst: Double
    private var tokens: Double
    private var updatedAt: Millis

    public init(ratePerSecond: Double, burst: Int, now: Millis) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = Double(max(burst, 1))
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Takes one token if there is one. Otherwise returns how long until there will be, and takes nothing.
    public mutating func take(now: Millis) -> Millis? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return Millis(((1 - tokens) / ratePerSecond * 1000).rounded(.up))
    }

    public mutating func available(now: Millis) -> Double {
        refill(now: now)
        return tokens
    }

    private mutating func refill(now: Millis) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + Double(now - updatedAt) / 1000 * ratePerSecond)
        updatedAt = now
    }
}
