import Foundation
import PostgresNIO
import Store

/// Tenants, merchant ownership, API idempotency and callback processing state on PostgreSQL.
extension PostgresStore: TenantDirectory {
    static let tenantOrderIDs = "SELECT o.id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE t.tenant_id = ?"

    public func saveTenant(id: String, name: String, keySHA256s: [String], now: Millis) async throws {
        guard let newest = keySHA256s.first else { throw StoreError(.constraint, "tenant \(id) needs at least one API key") }
        try await transaction { c in
            _ = try await self.rows("""
                INSERT INTO tenants (id, name, key_sha256, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, key_sha256 = excluded.key_sha256
                """, [.text(id), .text(name), .text(newest), .int(now)], on: c)
            _ = try await self.rows("DELETE FROM tenant_keys WHERE tenant_id = ?", [.text(id)], on: c)
            for key in keySHA256s {
                _ = try await self.rows("INSERT INTO tenant_keys (key_sha256, tenant_id, created_at) VALUES (?, ?, ?)", [.text(key), .text(id), .int(now)], on: c)
            }
        }
    }

    public func tenant(keySHA256: String) async throws -> String? {
        try await rows("SELECT tenant_id FROM tenant_keys WHERE key_sha256 = ?", [.text(keySHA256)]).first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func claimMerchant(_ merchantID: String, tenantID: String, now: Millis) async throws -> String {
        _ = try await rows("INSERT INTO tenant_merchants (merchant_id, tenant_id, created_at) VALUES (?, ?, ?) ON CONFLICT (merchant_id) DO NOTHING",
                           [.text(merchantID), .text(tenantID), .int(now)])
        return try await rows("SELECT tenant_id FROM tenant_merchants WHERE merchant_id = ?", [.text(merchantID)])
            .first.map { try $0["tenant_id"].decode(String.self) } ?? tenantID
    }

    static let tenantDocumentIDs = "SELECT d.id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE t.tenant_id = ?"

    public func tenantOfDocument(_ documentID: Int64) async throws -> String? {
        try await rows("SELECT t.tenant_id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE d.id = ?",
                       [.int(documentID)]).first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func tenantOfOrder(_ orderID: Int64) async throws -> String? {
        try await rows("SELECT t.tenant_id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE o.id = ?", [.int(orderID)])
            .first.map { try $0["tenant_id"].decode(String.self) }
    }

    public func orders(tenantID: String, _ filter: OrderFilter) async throws -> [OrderRecord] {
        try await rows("""
            SELECT \(Self.orderColumns) FROM orders
            WHERE id IN (\(Self.tenantOrderIDs)) AND (?::text IS NULL OR state = ?) AND (?::bigint IS NULL OR updated_at >= ?) AND id > ?
            ORDER BY id LIMIT ?
            """, [.text(tenantID), .text(filter.state), .text(filter.state), .int(filter.updatedSince), .int(filter.updatedSince),
                  .int(filter.afterID ?? 0), .int(Int64(max(1, filter.limit)))]).map(Self.orderRecord)
    }

    public func reviewItems(tenantID: String, _ filter: ReviewFilter) async throws -> [ReviewItem] {
        let states: [String]? = filter.state.map { $0 == "open" ? ["open", "held"] : [$0] }
        return try await rows("""
            SELECT \(Self.reviewColumns) FROM review_items
            WHERE (order_id IN (\(Self.tenantOrderIDs)) OR document_id IN (\(Self.tenantDocumentIDs)))
              AND (?::text IS NULL OR state IN (?, ?)) AND (?::bigint IS NULL OR order_id = ?) AND (?::text IS NULL OR reason = ?)
            ORDER BY created_at, id LIMIT ?
            """, [.text(tenantID), .text(tenantID), .text(states?.first), .text(states?.first), .text(states?.last), .int(filter.orderID), .int(filter.orderID),
                  .text(filter.reason), .text(filter.reason), .int(Int64(max(1, filter.limit)))]).map(Self.reviewItem)
    }

    public func rememberRequest(_ request: APIRequest, now: Millis) async throws -> APIRequest {
        _ = try await rows("""
            INSERT INTO api_requests (tenant_id, idempotency_key, request_sha256, order_id, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            """, [.text(request.tenantID), .text(request.idempotencyKey), .text(request.requestSHA256), .int(request.orderID), .int(now)])
        return try await self.request(tenantID: request.tenantID, idempotencyKey: request.idempotencyKey) ?? request
    }

    public func request(tenantID: String, idempotencyKey: String) async throws -> APIRequest? {
        try await rows("SELECT request_sha256, order_id FROM api_requests WHERE tenant_id = ? AND idempotency_key = ?",
                       [.text(tenantID), .text(idempotencyKey)]).first.map { r in
            APIRequest(tenantID: tenantID, idempotencyKey: idempotencyKey, requestSHA256: try r["request_sha256"].decode(String.self),
                       orderID: try r["order_id"].decode(Int64?.self))
        }
    }

    public func claimCallback(inboxID: Int64, now: Millis) async throws -> Bool {
        try await !rows("UPDATE inbox SET status = 'processing', processed_at = ? WHERE id = ? AND status = 'received' RETURNING id",
                        [.int(now), .int(inboxID)]).isEmpty
    }

    public func unclaimCallback(inboxID: Int64) async throws {
        _ = try await rows("UPDATE inbox SET status = 'received', processed_at = NULL WHERE id = ? AND status = 'processing' RETURNING id",
                           [.int(inboxID)])
    }

    public func retakeStaleCallbacks(claimedBefore: Millis) async throws -> Int {
        try await rows("UPDATE inbox SET status = 'received', processed_at = NULL WHERE status = 'processing' AND processed_at < ? RETURNING id",
                       [.int(claimedBefore)]).count
    }
}
