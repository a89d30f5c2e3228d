/// Stops hammering an adapter that keeps failing, and lets one probe through after a cool-down.
/// It reports a transition exactly once, so the relay alerts once on open and once on close
/// instead of once per failed row (Mirth #1288).
public struct CircuitBreaker: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Millis)
        case halfOpen(probeInFlight: Bool)
    }

    public enum Transition: String, Sendable, Hashable {
        case opened, closed
    }

    public let failureThreshold: Int
    public let coolDownMillis: Millis
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(failureThreshold: Int = 5, coolDownMillis: Millis = 30_000) {
        self.failureThreshold = max(1, failureThreshold); self.coolDownMillis = max(0, coolDownMillis)
    }

    /// Whether a request may go now. In half-open state only one probe is let through at a time.
    public mutating func allow(now: Millis) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen(probeInFlight: true)
            return true
        case .halfOpen(let probing):
            if probing { return false }
            state = .halfOpen(probeInFlight: true)
            return true
        }
    }

    /// When a refused request may try again.
    public func retryAt(now: Millis) -> Millis {
        if case .open(let until) = state { return max(until, now) }
        return now + min(coolDownMillis, 1000)
    }

    /// Feeds back one result. Only transport-level trouble counts (retryable and unknown-delivery);
    /// a permanent rejection says the message is bad, not that the gateway is down.
    public mutating func record(success: Bool, now: Millis) -> Transition? {
        switch state {
        case .closed(let failures):
            if success { state = .closed(consecutiveFailures: 0); return nil }
            if failures + 1 >= failureThreshold {
                state = .open(until: now + coolDownMillis)
                return .opened
            }
            state = .closed(consecutiveFailures: failures + 1)
            return nil
        case .halfOpen:
            if success { state = .closed(consecutiveFailures: 0); return .closed }
            state = .open(until: now + coolDownMillis)
            return nil
        case .open:
            // A result from a request that left before the breaker opened; the state already says it.
            return nil
        }
    }

    public var isOpen: Bool {
        if case .closed = state { return false }
        return true
    }
}
