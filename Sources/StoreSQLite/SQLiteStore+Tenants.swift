import Foundation
import GRDB
import Store

/// Tenants, merchant ownership, API idempotency and which instance applies a stored callback, on SQLite.
extension SQLiteStore: TenantDirectory {
    /// Orders of one tenant: those whose merchant the tenant owns.
    static let tenantOrderIDs = "SELECT o.id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE t.tenant_id = ?"

    static let tenantDocumentIDs = "SELECT d.id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE t.tenant_id = ?"

    public func tenantOfDocument(_ documentID: Int64) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT t.tenant_id FROM document_drafts d JOIN tenant_merchants t ON t.merchant_id = d.merchant_id WHERE d.id = ?",
                                arguments: [documentID])
        }
    }

    public func saveTenant(id: String, name: String, keySHA256s: [String], now: Millis) async throws {
        guard let newest = keySHA256s.first else { throw StoreError(.constraint, "tenant \(id) needs at least one API key") }
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO tenants (id, name, key_sha256, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, key_sha256 = excluded.key_sha256
                """, arguments: [id, name, newest, now])
            try db.execute(sql: "DELETE FROM tenant_keys WHERE tenant_id = ?", arguments: [id])
            for key in keySHA256s {
                try db.execute(sql: "INSERT INTO tenant_keys (key_sha256, tenant_id, created_at) VALUES (?, ?, ?)", arguments: [key, id, now])
            }
        }
    }

    @discardableResult
    public func retireTenantKeys(keeping tenantIDs: Set<String>) async throws -> Int {
        let kept = tenantIDs.sorted()
        return try await pool.write { db in
            let placeholders = kept.isEmpty ? "" : " WHERE tenant_id NOT IN (\(Array(repeating: "?", count: kept.count).joined(separator: ", ")))"
            try db.execute(sql: "DELETE FROM tenant_keys" + placeholders, arguments: StatementArguments(kept))
            return db.changesCount
        }
    }

    public func tenant(keySHA256: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT tenant_id FROM tenant_keys WHERE key_sha256 = ?", arguments: [keySHA256]) }
    }

    public func claimMerchant(_ merchantID: String, tenantID: String, now: Millis) async throws -> String {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO tenant_merchants (merchant_id, tenant_id, created_at) VALUES (?, ?, ?) ON CONFLICT (merchant_id) DO NOTHING",
                           arguments: [merchantID, tenantID, now])
            return try String.fetchOne(db, sql: "SELECT tenant_id FROM tenant_merchants WHERE merchant_id = ?", arguments: [merchantID]) ?? tenantID
        }
    }

    public func tenantOfOrder(_ orderID: Int64) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT t.tenant_id FROM orders o JOIN tenant_merchants t ON t.merchant_id = o.merchant_id WHERE o.id = ?",
                                arguments: [orderID])
        }
    }

    public func orders(tenantID: String, _ filter: OrderFilter) async throws -> [OrderRecord] {
        let clause = filter.sqlWhere().questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.orderColumns) FROM orders
                WHERE id IN (\(Self.tenantOrderIDs)) AND \(clause.sql)
                ORDER BY id\(filter.newestFirst ? " DESC" : "") LIMIT ?
                """, arguments: StatementArguments([tenantID]) + Self.arguments(clause.values) + [max(1, filter.limit)]).map(Self.orderRecord)
        }
    }

    public func reviewItems(tenantID: String, _ filter: ReviewFilter) async throws -> [ReviewItem] {
        let clause = filter.sqlWhere().questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.reviewColumns) FROM review_items
                WHERE (order_id IN (\(Self.tenantOrderIDs)) OR document_id IN (\(Self.tenantDocumentIDs))) AND \(clause.sql)
                ORDER BY created_at, id LIMIT ?
                """, arguments: [tenantID, tenantID] + Self.arguments(clause.values) + [max(1, filter.limit)]).map(Self.reviewItem)
        }
    }

    public func rememberRequest(_ request: APIRequest, now: Millis) async throws -> APIRequest {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO api_requests (tenant_id, idempotency_key, request_sha256, order_id, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                """, arguments: [request.tenantID, request.idempotencyKey, request.requestSHA256, request.orderID, now])
            return try Self.request(db, tenantID: request.tenantID, key: request.idempotencyKey) ?? request
        }
    }

    /// `NewOrder.apiRequest` inside `accept`'s transaction: the key taken by another request
    /// (another digest) throws, which rolls the order back.
    static func recordRequest(_ db: Database, _ request: APIRequest, now: Millis) throws {
        try db.cachedStatement(sql: """
            INSERT INTO api_requests (tenant_id, idempotency_key, request_sha256, order_id, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
            """).execute(arguments: [request.tenantID, request.idempotencyKey, request.requestSHA256, request.orderID, now])
        guard db.changesCount == 0, let stored = try Self.request(db, tenantID: request.tenantID, key: request.idempotencyKey),
              stored.requestSHA256 != request.requestSHA256 else { return }
        throw StoreError(.constraint, "idempotency key \(request.idempotencyKey) of tenant \(request.tenantID) was used with another request")
    }

    public func request(tenantID: String, idempotencyKey: String) async throws -> APIRequest? {
        try await pool.read { db in try Self.request(db, tenantID: tenantID, key: idempotencyKey) }
    }

    static func request(_ db: Database, tenantID: String, key: String) throws -> APIRequest? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT request_sha256, order_id FROM api_requests WHERE tenant_id = ? AND idempotency_key = ?"),
                         arguments: [tenantID, key]).map { r in
            APIRequest(tenantID: tenantID, idempotencyKey: key, requestSHA256: r["request_sha256"], orderID: r["order_id"])
        }
    }

    public func claimCallback(inboxID: Int64, now: Millis) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE inbox SET status = 'processing', processed_at = ? WHERE id = ? AND status = 'received'",
                           arguments: [now, inboxID])
            return db.changesCount == 1
        }
    }

    public func unclaimCallback(inboxID: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE inbox SET status = 'received', processed_at = NULL WHERE id = ? AND status = 'processing'",
                           arguments: [inboxID])
        }
    }

    public func retakeStaleCallbacks(claimedBefore: Millis) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "UPDATE inbox SET status = 'received', processed_at = NULL WHERE status = 'processing' AND processed_at < ?",
                           arguments: [claimedBefore])
            return db.changesCount
        }
    }
}
