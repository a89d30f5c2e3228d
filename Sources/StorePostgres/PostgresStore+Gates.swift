import Foundation
import PostgresNIO
import Store

/// Shared token buckets and breakers: each lease of tokens is one UPDATE of the adapter's row, so
/// concurrent instances never hand out more tokens than the rate refills. Instances lease tokens
/// in batches (`SharedGateTransport`), so they meet on that row once per batch, not per send.
extension PostgresStore: AdapterGates {
    public func takeTokens(adapterID: String, upTo: Int, ratePerSecond: Double, burst: Int, reserve: Int, now: Millis) async throws -> TokenGrant {
        // Our own numbers as SQL text: the refill rate per millisecond and the bucket's size.
        let perMilli = max(ratePerSecond, 0.000001) / 1000
        let rate = String(format: "%.9f", perMilli)
        let cap = "\(max(1, burst - max(0, reserve)))"
        let want = Int64(max(1, upTo))
        // The row is locked once (`FOR UPDATE` re-reads it after a concurrent lease), and the lease
        // is one statement: the tokens the bucket holds at `now` (`avail`), less what is granted.
        let lease: PostgresQuery = """
            WITH g AS (
              SELECT adapter_id, LEAST(\(unescaped: cap)::double precision, tokens + GREATEST(0, \(now)::bigint - refilled_at) * \(unescaped: rate)) AS avail
              FROM adapter_gates WHERE adapter_id = \(adapterID) FOR UPDATE)
            UPDATE adapter_gates a
            SET tokens = g.avail - GREATEST(0, LEAST(\(want)::bigint, FLOOR(g.avail)::bigint)),
                refilled_at = GREATEST(a.refilled_at, \(now)::bigint)
            FROM g WHERE a.adapter_id = g.adapter_id
            RETURNING GREATEST(0, LEAST(\(want)::bigint, FLOOR(g.avail)::bigint)) AS granted, g.avail AS avail
            """
        var result = try await rows(lease)
        if result.isEmpty {
            // First use of this adapter on this database: a full bucket, then the lease again.
            _ = try await rows("""
                INSERT INTO adapter_gates (adapter_id, tokens, refilled_at) VALUES (\(adapterID), \(unescaped: cap), \(now))
                ON CONFLICT (adapter_id) DO NOTHING
                """)
            result = try await rows(lease)
        }
        guard let row = result.first else { throw StoreError(.corrupt, "adapter_gates: no row for \(adapterID)") }
        let granted = Int(try row["granted"].decode(Int64.self))
        if granted > 0 { return TokenGrant(count: granted, nextAt: nil) }
        let avail = try row["avail"].decode(Double.self)
        return TokenGrant(count: 0, nextAt: now + max(1, Millis(((1 - avail) / perMilli).rounded(.up))))
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
