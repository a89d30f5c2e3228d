import Foundation
import PostgresNIO
import Store

/// Tenants, merchant ownership, API idempotency and callback processing state on PostgreSQL.
extension PostgresStore: TenantDirectory {
    /// The ids of the tenant's orders (a subquery).
    static func tenantOrderIDs(_ tenantID: String) -> SQLFragment {
        "SELECT o.id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE t.tenant_id = \(tenantID)"
    }

    public func saveTenant(id: String, name: String, keySHA256s: [String], now: Millis) async throws {
        guard let newest = keySHA256s.first else { throw StoreError(.constraint, "tenant \(id) needs at least one API key") }
        try await transaction { c in
            _ = try await self.rows("""
                INSERT INTO tenants (id, name, key_sha256, created_at) VALUES (\(id), \(name), \(newest), \(now))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, key_sha256 = excluded.key_sha256
                """, on: c)
            _ = try await self.rows("DELETE FROM tenant_keys WHERE tenant_id = \(id)", on: c)
            for key in keySHA256s {
                _ = try await self.rows("INSERT INTO tenant_keys (key_sha256, tenant_id, created_at) VALUES (\(key), \(id), \(now))", on: c)
            }
        }
    }

    @discardableResult
    public func retireTenantKeys(keeping tenantIDs: Set<String>) async throws -> Int {
        try await rows("DELETE FROM tenant_keys WHERE NOT (tenant_id = ANY(\(tenantIDs.sorted()))) RETURNING tenant_id").count
    }

    public func tenant(keySHA256: String) async throws -> String? {
        try await rows("SELECT tenant_id FROM tenant_keys WHERE key_sha256 = \(keySHA256)").first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func claimMerchant(_ merchantID: String, tenantID: String, now: Millis) async throws -> String {
        _ = try await rows("""
            INSERT INTO tenant_merchants (merchant_id, tenant_id, created_at) VALUES (\(merchantID), \(tenantID), \(now))
              ON CONFLICT (merchant_id) DO NOTHING
            """)
        return try await rows("SELECT tenant_id FROM tenant_merchants WHERE merchant_id = \(merchantID)")
            .first.map { try $0["tenant_id"].decode(String.self) } ?? tenantID
    }

    /// The ids of the tenant's document drafts (a subquery).
    static func tenantDocumentIDs(_ tenantID: String) -> SQLFragment {
        "SELECT d.id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE t.tenant_id = \(tenantID)"
    }

    public func tenantOfDocument(_ documentID: Int64) async throws -> String? {
        try await rows("""
            SELECT t.tenant_id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE d.id = \(documentID)
            """).first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func tenantOfOrder(_ orderID: Int64) async throws -> String? {
        try await rows("SELECT t.tenant_id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE o.id = \(orderID)")
            .first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func orders(tenantID: String, _ filter: OrderFilter) async throws -> [OrderRecord] {
        try await rows("""
            SELECT \(unescaped: Self.orderColumns) FROM orders
            WHERE id IN (\(Self.tenantOrderIDs(tenantID))) AND \(filter.sqlWhere())
            ORDER BY id \(unescaped: filter.newestFirst ? "DESC" : "ASC") LIMIT \(Int64(max(1, filter.limit)))
            """).map(Self.orderRecord)
    }

    public func reviewItems(tenantID: String, _ filter: ReviewFilter) async throws -> [ReviewItem] {
        try await rows("""
            SELECT \(unescaped: Self.reviewColumns) FROM review_items
            WHERE (order_id IN (\(Self.tenantOrderIDs(tenantID))) OR document_id IN (\(Self.tenantDocumentIDs(tenantID))))
              AND \(filter.sqlWhere())
            ORDER BY created_at, id LIMIT \(Int64(max(1, filter.limit)))
            """).map(Self.reviewItem)
    }

    public func rememberRequest(_ request: APIRequest, now: Millis) async throws -> APIRequest {
        _ = try await rows("""
            INSERT INTO api_requests (tenant_id, idempotency_key, request_sha256, order_id, created_at) VALUES (\(request.tenantID),
              \(request.idempotencyKey), \(request.requestSHA256), \(request.orderID), \(now))
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            """)
        return try await self.request(tenantID: request.tenantID, idempotencyKey: request.idempotencyKey) ?? request
    }

    /// `NewOrder.apiRequest` inside `accept`'s transaction: the key taken by another request
    /// (another digest) throws, which rolls the order back.
    func recordRequest(_ request: APIRequest, now: Millis, on c: PostgresConnection) async throws {
        let inserted = try await rows("""
            INSERT INTO api_requests (tenant_id, idempotency_key, request_sha256, order_id, created_at) VALUES (\(request.tenantID),
              \(request.idempotencyKey), \(request.requestSHA256), \(request.orderID), \(now))
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING order_id
            """, on: c)
        guard inserted.isEmpty else { return }
        // A separate statement: it sees a row a concurrent transaction committed while the insert waited.
        let stored = try await rows("""
            SELECT request_sha256 FROM api_requests WHERE tenant_id = \(request.tenantID) AND idempotency_key = \(request.idempotencyKey)
            """, on: c)
        guard let digest = try stored.first?["request_sha256"].decode(String.self), digest != request.requestSHA256 else { return }
        throw StoreError(.constraint, "idempotency key \(request.idempotencyKey) of tenant \(request.tenantID) was used with another request")
    }

    public func request(tenantID: String, idempotencyKey: String) async throws -> APIRequest? {
        try await rows("""
            SELECT request_sha256, order_id FROM api_requests WHERE tenant_id = \(tenantID) AND idempotency_key = \(idempotencyKey)
            """).first.map { r in
            APIRequest(tenantID: tenantID, idempotencyKey: idempotencyKey, requestSHA256: try r["request_sha256"].decode(String.self),
                       orderID: try r["order_id"].decode(Int64?.self))
        }
    }

    public func claimCallback(inboxID: Int64, now: Millis) async throws -> Bool {
        try await !rows("""
            UPDATE inbox SET status = 'processing', processed_at = \(now) WHERE id = \(inboxID) AND status = 'received' RETURNING id
            """).isEmpty
    }

    public func unclaimCallback(inboxID: Int64) async throws {
        _ = try await rows("UPDATE inbox SET status = 'received', processed_at = NULL WHERE id = \(inboxID) AND status = 'processing' RETURNING id")
    }

    public func retakeStaleCallbacks(claimedBefore: Millis) async throws -> Int {
        try await rows("""
            UPDATE inbox SET status = 'received', processed_at = NULL WHERE status = 'processing' AND processed_at < \(claimedBefore) RETURNING id
            """).count
    }
}
