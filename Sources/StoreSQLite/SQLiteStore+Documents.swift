import Foundation
import GRDB
import Store

/// Document drafts waiting for review, DEAD filings sent to review, and the workbench's sessions.
extension SQLiteStore: DocumentDrafts {
    static let draftColumns = "id, merchant_id, sha256, content_type, byte_count, extraction_json, state, order_id, created_at, updated_at"

    /// Inside `complete`'s transaction: the DEAD row's order gets a `dead_filing` review item, unless
    /// one for this filing is still open (the row died again before anyone looked).
    static func openDeadFilingReview(_ db: Database, messageID: Int64, httpStatus: Int?, now: Millis) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(OutboxSQL.columns) FROM outbox WHERE id = ?", arguments: [messageID]) else { return }
        let message = try Self.message(row)
        guard let filingID = message.filingID,
              let orderID = try Int64.fetchOne(db, sql: "SELECT order_id FROM filings WHERE id = ? AND order_id IS NOT NULL", arguments: [filingID])
        else { return }
        let item = DeliveryText.deadFilingReview(filingID: filingID, orderID: orderID, message: message, httpStatus: httpStatus, now: now)
        let open = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM review_items WHERE order_id = ? AND reason = ? AND subject = ? AND state IN ('open', 'held')
            """, arguments: [orderID, item.reason, item.subject]) ?? 0
        if open == 0 { try insertReview(db, item) }
    }

    /// Inside `reprocess`'s transaction: the open `dead_filing` items of the filings sent again are resolved.
    static func resolveDeadFilingReviews(_ db: Database, _ sent: [(id: Int64, filingID: Int64?)], reviewer: String, note: String?, now: Millis) throws {
        var decisions: [DecisionRecord] = []
        for (filingID, rows) in DeliveryText.byFiling(sent) {
            let items = try Row.fetchAll(db, sql: """
                SELECT \(reviewColumns) FROM review_items
                WHERE order_id = (SELECT order_id FROM filings WHERE id = ?) AND reason = 'dead_filing' AND subject = ? AND state IN ('open', 'held')
                """, arguments: [filingID, "filing:\(filingID)"]).map(Self.reviewItem)
            for item in items {
                try db.execute(sql: "UPDATE review_items SET state = 'resolved', resolved_at = ?, resolution = 'reprocess', resolved_by = ? WHERE id = ?",
                               arguments: [now, reviewer, item.id])
                decisions.append(DeliveryText.reprocessDecision(item, outboxIDs: rows, reviewer: reviewer, note: note, now: now))
            }
        }
        try Self.appendChained(db, decisions)
    }

    static func draft(_ r: Row) -> DocumentDraft {
        DocumentDraft(id: r["id"], merchantID: r["merchant_id"], sha256: r["sha256"], contentType: r["content_type"], byteCount: r["byte_count"],
                      extractionJSON: r["extraction_json"], state: r["state"], orderID: r["order_id"], createdAt: r["created_at"],
                      updatedAt: r["updated_at"])
    }

    public func addDocumentDraft(_ draft: DocumentDraft, file: [UInt8], review: ReviewItem, now: Millis) async throws
        -> (draftID: Int64, reviewID: Int64?, created: Bool) {
        try await pool.write { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM document_drafts WHERE merchant_id = ? AND sha256 = ?",
                                                 arguments: [draft.merchantID, draft.sha256]) {
                let item = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM review_items WHERE document_id = ?", arguments: [existing])
                return (existing, item, false)
            }
            try db.execute(sql: """
                INSERT INTO document_drafts (merchant_id, sha256, content_type, byte_count, file, extraction_json, state, order_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.merchantID, draft.sha256, draft.contentType, file.count, Data(file), draft.extractionJSON, draft.state,
                                 draft.orderID, now, now])
            let id = db.lastInsertedRowID
            var item = review
            item.orderID = nil
            item.documentID = id
            item.subject = "document:\(id)"
            return (id, try Self.insertReview(db, item), true)
        }
    }

    public func documentDraft(id: Int64) async throws -> DocumentDraft? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.draftColumns) FROM document_drafts WHERE id = ?", arguments: [id]).map(Self.draft)
        }
    }

    public func documentFile(id: Int64) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT file FROM document_drafts WHERE id = ?", arguments: [id]).map { Array($0) }
        }
    }
}

extension SQLiteStore: ReviewSessionStore {
    public func saveSession(_ s: ReviewSession, now: Millis) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM review_sessions WHERE expires_at <= ?", arguments: [now])
            try db.execute(sql: """
                INSERT INTO review_sessions (token_sha256, user_name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [s.tokenSHA256, s.user, s.role, s.createdAt, s.expiresAt])
        }
    }

    public func session(tokenSHA256: String, now: Millis) async throws -> ReviewSession? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT token_sha256, user_name, role, created_at, expires_at FROM review_sessions WHERE token_sha256 = ? AND expires_at > ?
                """, arguments: [tokenSHA256, now]).map { r in
                ReviewSession(tokenSHA256: r["token_sha256"], user: r["user_name"], role: r["role"], createdAt: r["created_at"], expiresAt: r["expires_at"])
            }
        }
    }

    public func deleteSession(tokenSHA256: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM review_sessions WHERE token_sha256 = ?", arguments: [tokenSHA256]) }
    }
}
