import Foundation
import PostgresNIO
import Store

/// Shared token buckets and breakers: each take is one conditional UPDATE, so concurrent
/// instances serialise on the adapter's row and never hand out more tokens than the rate refills.
extension PostgresStore: AdapterGates {
    public func takeToken(adapterID: String, ratePerSecond: Double, burst: Int, now: Millis) async throws -> Millis? {
        // Our own numbers as SQL text: the refill rate per millisecond and the bucket's size.
        let rate = String(format: "%.9f", max(ratePerSecond, 0.000001) / 1000)
        let cap = "\(max(1, burst))"
        _ = try await rows("""
            INSERT INTO adapter_gates (adapter_id, tokens, refilled_at) VALUES (\(adapterID), \(unescaped: cap), \(now))
            ON CONFLICT (adapter_id) DO NOTHING
            """)
        // `LEAST(…)`: the tokens the bucket holds at `now`.
        let granted = try await rows("""
            UPDATE adapter_gates
            SET tokens = LEAST(\(unescaped: cap)::double precision, tokens + GREATEST(0, \(now)::bigint - refilled_at) * \(unescaped: rate)) - 1,
                refilled_at = GREATEST(refilled_at, \(now)::bigint)
            WHERE adapter_id = \(adapterID)
              AND LEAST(\(unescaped: cap)::double precision, tokens + GREATEST(0, \(now)::bigint - refilled_at) * \(unescaped: rate)) >= 1
            RETURNING tokens
            """)
        if !granted.isEmpty { return nil }
        let current = try await rows("""
            SELECT LEAST(\(unescaped: cap)::double precision, tokens + GREATEST(0, \(now)::bigint - refilled_at) * \(unescaped: rate)) AS t
            FROM adapter_gates WHERE adapter_id = \(adapterID)
            """)
        let tokens = try current.first?["t"].decode(Double.self) ?? 0
        return now + max(1, Millis(((1 - tokens) / (max(ratePerSecond, 0.000001) / 1000)).rounded(.up)))
    }

    public func breakerOpenUntil(adapterID: String, now: Millis) async throws -> Millis? {
        guard let until = try await rows("SELECT open_until FROM adapter_gates WHERE adapter_id = \(adapterID)")
            .first.map({ try $0["open_until"].decode(Int64.self) }) else { return nil }
        return until > now ? until : nil
    }

    public func recordOutcome(adapterID: String, success: Bool, threshold: Int, coolDownMillis: Millis, now: Millis) async throws {
        if success {
            _ = try await rows("UPDATE adapter_gates SET failures = 0 WHERE adapter_id = \(adapterID) AND failures <> 0")
        } else {
            _ = try await rows("""
                UPDATE adapter_gates SET failures = failures + 1,
                  open_until = CASE WHEN failures + 1 >= \(Int64(threshold)) THEN \(now + coolDownMillis)::bigint ELSE open_until END
                WHERE adapter_id = \(adapterID)
                """)
        }
    }
}
