import Foundation
import PostgresNIO
import Store

/// Shared token buckets and breakers: each take is one conditional UPDATE, so concurrent
/// instances serialise on the adapter's row and never hand out more tokens than the rate refills.
extension PostgresStore: AdapterGates {
    public func takeToken(adapterID: String, ratePerSecond: Double, burst: Int, now: Millis) async throws -> Millis? {
        let rate = String(format: "%.9f", max(ratePerSecond, 0.000001) / 1000)
        let cap = "\(max(1, burst))"
        _ = try await rows("INSERT INTO adapter_gates (adapter_id, tokens, refilled_at) VALUES (?, \(cap), ?) ON CONFLICT (adapter_id) DO NOTHING",
                           [.text(adapterID), .int(now)])
        let refill = "LEAST(\(cap)::double precision, tokens + GREATEST(0, ?::bigint - refilled_at) * \(rate))"
        let granted = try await rows("""
            UPDATE adapter_gates SET tokens = \(refill) - 1, refilled_at = GREATEST(refilled_at, ?::bigint)
            WHERE adapter_id = ? AND \(refill) >= 1 RETURNING tokens
            """, [.int(now), .int(now), .text(adapterID), .int(now)])
        if !granted.isEmpty { return nil }
        let current = try await rows("SELECT \(refill) AS t FROM adapter_gates WHERE adapter_id = ?", [.int(now), .text(adapterID)])
        let tokens = try current.first?["t"].decode(Double.self) ?? 0
        return now + max(1, Millis(((1 - tokens) / (max(ratePerSecond, 0.000001) / 1000)).rounded(.up)))
    }

    public func breakerOpenUntil(adapterID: String, now: Millis) async throws -> Millis? {
        guard let until = try await rows("SELECT open_until FROM adapter_gates WHERE adapter_id = ?", [.text(adapterID)])
            .first.map({ try $0["open_until"].decode(Int64.self) }) else { return nil }
        return until > now ? until : nil
    }

    public func recordOutcome(adapterID: String, success: Bool, threshold: Int, coolDownMillis: Millis, now: Millis) async throws {
        if success {
            _ = try await rows("UPDATE adapter_gates SET failures = 0 WHERE adapter_id = ? AND failures <> 0", [.text(adapterID)])
        } else {
            _ = try await rows("""
                UPDATE adapter_gates SET failures = failures + 1,
                  open_until = CASE WHEN failures + 1 >= ? THEN ?::bigint ELSE open_until END
                WHERE adapter_id = ?
                """, [.int(Int64(threshold)), .int(now + coolDownMillis), .text(adapterID)])
        }
    }
}
