import CustomsModel
import Foundation

/// How hard to try one adapter: Camel's redelivery policy made explicit (exponential backoff with
/// full jitter, a cap, a maximum number of attempts) plus the gateway's own `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelayMillis: Millis
    public var maxDelayMillis: Millis
    /// A `Retry-After` longer than this is clamped, so a hostile header cannot park a row for a year.
    public var maxRetryAfterMillis: Millis

    public init(maxAttempts: Int = 8, baseDelayMillis: Millis = 500, maxDelayMillis: Millis = 300_000,
                maxRetryAfterMillis: Millis = 3_600_000) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelayMillis = max(0, baseDelayMillis)
        self.maxDelayMillis = max(self.baseDelayMillis, maxDelayMillis); self.maxRetryAfterMillis = maxRetryAfterMillis
    }

    /// Upper bound of the jitter window before attempt `attempt + 1`: base·2^(attempt−1), capped.
    public func ceiling(afterAttempt attempt: Int) -> Millis {
        let exponent = min(max(attempt - 1, 0), 40)
        let (raw, overflow) = baseDelayMillis.multipliedReportingOverflow(by: Millis(1) << exponent)
        return overflow ? maxDelayMillis : min(raw, maxDelayMillis)
    }

    /// Full jitter (uniform in [0, ceiling]) spreads retries of many rows that failed together, so a
    /// recovering gateway is not hit by a synchronised wave. `unit` is a random number in [0, 1).
    public func delay(afterAttempt attempt: Int, unit: Double) -> Millis {
        let u = unit.isFinite ? min(max(unit, 0), 1) : 0
        return Millis((Double(ceiling(afterAttempt: attempt)) * u).rounded(.down))
    }

    /// The decision after a failed or successful attempt. `attempt` counts the one just made.
    public func outcome(afterAttempt attempt: Int, result: AttemptClassification, now: Millis, unit: Double) -> DeliveryOutcome {
        switch result {
        case .delivered:
            return .delivered
        case .failed(.permanent, _):
            return .dead
        case .failed(_, let retryAfter):
            if attempt >= maxAttempts { return .dead }
            let jittered = delay(afterAttempt: attempt, unit: unit)
            // Never earlier than the gateway asked; the jitter still spreads rows that share a header.
            let wait = retryAfter.map { max(min($0, maxRetryAfterMillis), jittered) } ?? jittered
            return .retry(at: now + wait)
        }
    }
}

/// What one attempt amounted to, independent of transport.
public enum AttemptClassification: Sendable, Hashable {
    case delivered
    case failed(ErrorClass, retryAfterMillis: Millis?)
}

/// Turns an HTTP answer (or its absence) into a classification. Kept apart from the transport so
/// it is one table that can be read and tested.
public enum HTTPClassifier {
    /// - `2xx`: delivered. `409` too: the gateway already holds this idempotency key.
    /// - `408`, `425`, `429`, `5xx` except `501`/`505`: retryable, honouring `Retry-After`.
    /// - other `4xx`, `501`, `505`, anything else: permanent (the same bytes will fail again).
    /// `retryable` replaces the table above for statuses outside 2xx/409 (an adapter file's
    /// `retryable_status`).
    public static func classify(status: Int, retryAfter: String?, now: Millis, retryable: Set<Int>? = nil) -> AttemptClassification {
        if (200..<300).contains(status) || status == 409 { return .delivered }
        let worthRetrying = retryable.map { $0.contains(status) } ?? defaultRetryable(status)
        guard worthRetrying else { return .failed(.permanent, retryAfterMillis: nil) }
        return .failed(.retryable, retryAfterMillis: retryAfter.flatMap { parseRetryAfter($0, now: now) })
    }

    static func defaultRetryable(_ status: Int) -> Bool {
        switch status {
        case 408, 425, 429, 500, 502, 503, 504, 507..<600: true
        default: false
        }
    }

    /// `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Unparseable → nil.
    public static func parseRetryAfter(_ value: String, now: Millis) -> Millis? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text) { return seconds >= 0 ? seconds * 1000 : nil }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date - now)
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form senders may generate. Parsed by hand
/// so the pure core needs no locale-dependent formatter.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Millis? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), (1...31).contains(day),
              let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]), (0..<61).contains(clock[2]) else { return nil }
        let days = CivilCalendar.days(year: year, month: monthIndex + 1, day: day)
        return Millis(days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]) * 1000
    }
}
