import Foundation
import PostgresNIO
import Store
@testable import StorePostgres
import Testing

/// PostgreSQL only: the statements of the submit, API, readyz and metrics paths search their
/// indexes, planned as a generic plan (`plan_cache_mode = force_generic_plan`, what a pooler's or a
/// driver's named statements get after a few runs) with `enable_seqscan = off`, so a table of a
/// few rows does not hide the choice. The filters are the shared fragments the store puts in its
/// statements; the fixed lookups are written as the store writes them.
@Suite("PostgreSQL plans: hot statements use their indexes", .timeLimit(.minutes(5)),
       .enabled(if: Engine.postgresURL != nil || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_POSTGRES"] != nil))
struct PostgresPlanTests {
    /// `$n` text and the values as quoted literals, for `PREPARE … ; EXPLAIN EXECUTE …(literals)`.
    func prepared(_ fragment: SQLFragment) -> (sql: String, types: [String], args: [String]) {
        var sql = ""
        var types: [String] = []
        var args: [String] = []
        for piece in fragment.pieces {
            switch piece {
            case .sql(let text): sql += text
            case .value(let v):
                switch v {
                case .int(let i): types.append("bigint"); args.append(String(i))
                case .text(let t): types.append("text"); args.append("'" + t.replacingOccurrences(of: "'", with: "''") + "'")
                }
                sql += "$\(types.count)"
            }
        }
        return (sql, types, args)
    }

    /// A migrated store in a schema of its own, dropped afterwards.
    func withFreshSchema(_ body: (PostgresStore) async throws -> Void) async throws {
        let base = try #require(Engine.postgresURL, "CUSTOMS_HUB_REQUIRE_POSTGRES is set but CUSTOMS_HUB_POSTGRES_URL is not: PostgreSQL did not start")
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let store = try PostgresStore(unstarted: base + (base.contains("?") ? "&" : "?") + "schema=\(schema)")
        try await store.withRunning {
            try await store.migrate()
            do { try await body(store) } catch {
                try? await store.dropAll()
                throw error
            }
            try await store.dropAll()
        }
    }

    @Test func hotStatementsSearchTheirIndexesUnderAGenericPlan() async throws {
        try await withFreshSchema { store in
            let m: String = "m-1", k: String = "k-1", tenant: String = "tenant-a", now: Int64 = 1_800_000_000_000
            let pending = OutboxSQL.adapterClause(["gw"])
            // (statement, the index its plan must name)
            let cases: [(SQLFragment, String)] = [
                // Order accept: the idempotency lookup; the API request lookup.
                ("SELECT id FROM orders WHERE merchant_id = \(m) AND idempotency_key = \(k)", "orders_merchant_id_idempotency_key_key"),
                ("SELECT request_sha256, order_id FROM api_requests WHERE tenant_id = \(tenant) AND idempotency_key = \(k)", "api_requests_pkey"),
                // Reads by order.
                ("SELECT * FROM orders WHERE id = \(Int64(7))", "orders_pkey"),
                ("SELECT * FROM order_lines WHERE order_id = \(Int64(7)) ORDER BY line_number", "order_lines_pkey"),
                ("SELECT * FROM filings WHERE order_id = \(Int64(7)) ORDER BY id", "filings_by_order"),
                ("SELECT * FROM decisions WHERE order_id = \(Int64(7)) ORDER BY id", "decisions_by_order"),
                // The KPIs' batch reads of many orders' rows, as the store asks.
                ("SELECT * FROM order_lines WHERE \(OrderBatchSQL.byOrder([3, 4, 9])) ORDER BY \(unescaped: OrderBatchSQL.lineOrder)",
                 "order_lines_pkey"),
                ("SELECT * FROM filings WHERE \(OrderBatchSQL.byOrder([3, 4, 9])) ORDER BY \(unescaped: OrderBatchSQL.rowOrder)", "filings_by_order"),
                ("SELECT * FROM decisions WHERE \(OrderBatchSQL.byOrder([3, 4, 9])) ORDER BY \(unescaped: OrderBatchSQL.rowOrder)",
                 "decisions_by_order"),
                // Order listings (API paging, KPIs), with and without a tenant.
                ("SELECT * FROM orders WHERE \(OrderFilter(state: "accepted").sqlWhere()) ORDER BY id LIMIT 100", "orders_by_state"),
                ("SELECT * FROM orders WHERE \(OrderFilter(state: "accepted", afterID: 40).sqlWhere()) ORDER BY id LIMIT 100", "orders_by_state"),
                ("""
                 SELECT * FROM orders WHERE id IN (\(PostgresStore.tenantOrderIDs(tenant))) AND \(OrderFilter(state: "accepted").sqlWhere())
                 ORDER BY id LIMIT 100
                 """, "tenant_merchants_by_tenant"),
                // Review queue and inbox filters.
                ("SELECT * FROM review_items WHERE \(ReviewFilter(orderID: 7).sqlWhere()) ORDER BY created_at, id", "review_items_by_order"),
                ("SELECT * FROM review_items WHERE \(ReviewFilter(state: "open", orderID: 7).sqlWhere()) ORDER BY created_at, id",
                 "review_items_by_order"),
                ("SELECT * FROM review_items WHERE \(ReviewFilter(state: "open").sqlWhere()) ORDER BY created_at, id LIMIT 100",
                 "review_items_by_state"),
                // The KPIs' period.
                ("SELECT * FROM review_items WHERE \(ReviewFilter(createdSince: now).sqlWhere()) ORDER BY created_at, id LIMIT 1000000",
                 "review_items_by_created"),
                ("SELECT * FROM inbox WHERE \(InboxSQL.filter(status: "received", adapterID: nil)) ORDER BY id", "inbox_by_status"),
                ("SELECT * FROM inbox WHERE \(InboxSQL.filter(status: "received", adapterID: "gw")) ORDER BY id", "inbox_by_status"),
                // Outbox: lease (the due rows), nextDue, complete's row lock.
                ("""
                 SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.available_at <= \(now) AND \(unescaped: OutboxSQL.orderingKeyClear)\(pending)
                 ORDER BY o.state, o.available_at, o.id LIMIT 10 FOR UPDATE SKIP LOCKED
                 """, "outbox_due"),
                ("SELECT MIN(o.available_at) FROM outbox o WHERE o.state = 'pending'\(pending)", "outbox_due"),
                ("SELECT id, state FROM outbox WHERE id = \(Int64(3)) FOR UPDATE", "outbox_pkey"),
                // Outbox by order (`orders show`, the order page) and a tenant's outbox page.
                ("SELECT * FROM outbox WHERE filing_id IN (\(Int64(3)), \(Int64(4))) ORDER BY id", "outbox_by_filing"),
                ("SELECT * FROM outbox WHERE \(OutboxFilter(tenantID: tenant, limit: 100).sqlWhere())\(OutboxFilter(limit: 100).sqlOrderAndLimit)",
                 "tenant_merchants_by_tenant"),
                // Tenant lookups.
                ("SELECT tenant_id FROM tenant_keys WHERE key_sha256 = \("ab12")", "tenant_keys_pkey"),
                ("SELECT tenant_id FROM tenant_merchants WHERE merchant_id = \(m)", "tenant_merchants_pkey"),
            ]
            try await store.withConnection { c in
                _ = try await store.rows("SET enable_seqscan = off", on: c)
                _ = try await store.rows("SET plan_cache_mode = force_generic_plan", on: c)
                func plan(_ statement: SQLFragment) async throws -> String {
                    let p = prepared(statement)
                    let types = p.types.isEmpty ? "" : "(\(p.types.joined(separator: ", ")))"
                    let args = p.args.isEmpty ? "" : "(\(p.args.joined(separator: ", ")))"
                    _ = try await store.rows(PostgresQuery(unsafeSQL: "PREPARE plan_probe\(types) AS \(p.sql)"), on: c)
                    let lines = try await store.rows(PostgresQuery(unsafeSQL: "EXPLAIN EXECUTE plan_probe\(args)"), on: c)
                        .map { try $0["QUERY PLAN"].decode(String.self) }
                    _ = try await store.rows("DEALLOCATE plan_probe", on: c)
                    return lines.joined(separator: "\n")
                }
                for (statement, index) in cases {
                    let detail = try await plan(statement)
                    #expect(detail.contains(index) && detail.contains("Cond:"), "\(prepared(statement).sql)\n\(detail)")
                }
                // The HS corrections read at every start and reload: a walk of the partial index,
                // which holds only the corrections (no condition left to search by).
                let corrections = try await plan("SELECT * FROM decisions WHERE \(unescaped: DecisionSQL.hsCorrection) ORDER BY id LIMIT 1000000")
                #expect(corrections.contains("Index Scan using decisions_hs_corrections on decisions"), "\(corrections)")
                // The form the store used before: a generic plan cannot search `inbox_by_status` with
                // it, so this check would have caught the old statement.
                let old = try await plan("""
                    SELECT * FROM inbox WHERE (\("received")::TEXT IS NULL OR status = \("received")::TEXT) ORDER BY id
                    """)
                #expect(!old.contains("Index Cond: (status"), "\(old)")
            }
        }
    }

    /// The statements changed to name only the set conditions still select what they did.
    @Test func filtersSelectWhatTheyName() async throws {
        try await withFreshSchema { store in
            for (n, adapter) in ["gw", "gw", "other"].enumerated() {
                _ = try await store.storeCallback(InboxEvent(adapterID: adapter, externalEventID: "e-\(n)", receivedAt: 1_800_000_000_000 + Int64(n),
                                                             body: Array("{}".utf8)))
            }
            let all = try await store.callbacks(status: nil, adapterID: nil)
            #expect(all.count == 3)
            try await store.settleCallback(inboxID: all[0].id, status: "done", filingID: nil, orderID: nil, note: nil, now: 1_800_000_001_000)
            #expect(try await store.callbacks(status: "received", adapterID: nil).map(\.externalEventID) == ["e-1", "e-2"])
            #expect(try await store.callbacks(status: "received", adapterID: "gw").map(\.externalEventID) == ["e-1"])
            #expect(try await store.callbacks(status: nil, adapterID: "gw").map(\.externalEventID) == ["e-0", "e-1"])
        }
        #expect(OrderFilter().sqlWhere().questionMarks.sql == "1 = 1")
        #expect(OrderFilter(state: "accepted", updatedSince: 5, afterID: 9).sqlWhere().questionMarks
                == ("state = ? AND updated_at >= ? AND id > ?", [.text("accepted"), .int(5), .int(9)]))
    }
}
