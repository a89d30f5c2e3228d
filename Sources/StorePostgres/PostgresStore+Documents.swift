import Foundation
import NIOCore
import PostgresNIO
import Store

/// Document drafts waiting for review, DEAD filings sent to review, and the workbench's sessions.
extension PostgresStore: DocumentDrafts {
    static let draftColumns = "id, merchant_id, sha256, content_type, byte_count, extraction_json, state, order_id, created_at, updated_at"

    /// `complete` for an attempt after which the row is DEAD: the attempt, the row, the filing and
    /// the `dead_filing` review item on the filing's order commit together.
    func completeDead(messageID: Int64, owner: String, attempt: AttemptReport) async throws -> Bool {
        try await transaction { c in
            let held = try await self.complete(messageID: messageID, owner: owner, attempt: attempt, outcome: .dead, on: c)
            guard let message = try await self.rows("SELECT \(unescaped: OutboxSQL.columns) FROM outbox WHERE id = \(messageID)", on: c)
                    .first.map(Self.message), message.state == .dead, let filingID = message.filingID,
                  let orderID = try await self.rows("SELECT order_id FROM filings WHERE id = \(filingID) AND order_id IS NOT NULL", on: c)
                    .first.map({ try $0["order_id"].decode(Int64.self) })
            else { return held }
            let item = DeliveryText.deadFilingReview(filingID: filingID, orderID: orderID, message: message, httpStatus: attempt.httpStatus,
                                                     now: attempt.finishedAt)
            // Not twice for one filing while its item is still open (the row died again before anyone looked).
            let open = try await self.rows("""
                SELECT id FROM review_items WHERE order_id = \(orderID) AND reason = \(item.reason) AND subject = \(item.subject)
                  AND state IN ('open', 'held') LIMIT 1
                """, on: c)
            if open.isEmpty { try await self.insertReview(item, on: c) }
            return held
        }
    }

    /// Inside `reprocess`'s transaction: the open `dead_filing` items of the filings sent again are resolved.
    func resolveDeadFilingReviews(_ sent: [(id: Int64, filingID: Int64?)], reviewer: String, note: String?, now: Millis,
                                  on c: PostgresConnection) async throws {
        var decisions: [DecisionRecord] = []
        for (filingID, rows) in DeliveryText.byFiling(sent) {
            let items = try await self.rows("""
                UPDATE review_items SET state = 'resolved', resolved_at = \(now), resolution = 'reprocess', resolved_by = \(reviewer)
                WHERE order_id = (SELECT order_id FROM filings WHERE id = \(filingID)) AND reason = 'dead_filing'
                  AND subject = \("filing:\(filingID)") AND state IN ('open', 'held')
                RETURNING \(unescaped: Self.reviewColumns)
                """, on: c).map(Self.reviewItem)
            decisions += items.map { DeliveryText.reprocessDecision($0, outboxIDs: rows, reviewer: reviewer, note: note, now: now) }
        }
        try await self.appendChained(decisions, on: c)
    }

    static func draft(_ r: PostgresRandomAccessRow) throws -> DocumentDraft {
        DocumentDraft(id: try r["id"].decode(Int64.self), merchantID: try r["merchant_id"].decode(String.self), sha256: try r["sha256"].decode(String.self),
                      contentType: try r["content_type"].decode(String.self), byteCount: Int(try r["byte_count"].decode(Int64.self)),
                      extractionJSON: try r["extraction_json"].decode(String.self), state: try r["state"].decode(String.self),
                      orderID: try r["order_id"].decode(Int64?.self), createdAt: try r["created_at"].decode(Int64.self),
                      updatedAt: try r["updated_at"].decode(Int64.self))
    }

    public func addDocumentDraft(_ draft: DocumentDraft, file: [UInt8], review: ReviewItem, now: Millis) async throws
        -> (draftID: Int64, reviewID: Int64?, created: Bool) {
        try await transaction { c in
            let inserted = try await self.rows("""
                INSERT INTO document_drafts (merchant_id, sha256, content_type, byte_count, file, extraction_json, state, order_id, created_at,
                  updated_at)
                VALUES (\(draft.merchantID), \(draft.sha256), \(draft.contentType), \(Int64(file.count)), \(ByteBuffer(bytes: file)),
                  \(draft.extractionJSON), \(draft.state), \(draft.orderID), \(now), \(now)) ON CONFLICT (merchant_id, sha256) DO NOTHING RETURNING id
                """, on: c)
            guard let id = try inserted.first.map({ try $0["id"].decode(Int64.self) }) else {
                guard let existing = try await self.rows("""
                    SELECT id FROM document_drafts WHERE merchant_id = \(draft.merchantID) AND sha256 = \(draft.sha256)
                    """, on: c).first else {
                    throw StoreError(.corrupt, "document draft conflict without an existing draft")
                }
                let id = try existing["id"].decode(Int64.self)
                let item = try await self.rows("SELECT MAX(id) AS id FROM review_items WHERE document_id = \(id)", on: c)
                return (id, try item.first?["id"].decode(Int64?.self), false)
            }
            var item = review
            item.orderID = nil
            item.documentID = id
            item.subject = "document:\(id)"
            return (id, try await self.insertReview(item, on: c), true)
        }
    }

    public func documentDraft(id: Int64) async throws -> DocumentDraft? {
        try await rows("SELECT \(unescaped: Self.draftColumns) FROM document_drafts WHERE id = \(id)").first.map(Self.draft)
    }

    public func documentFile(id: Int64) async throws -> [UInt8]? {
        try await rows("SELECT file FROM document_drafts WHERE id = \(id)").first.map { Array(buffer: try $0["file"].decode(ByteBuffer.self)) }
    }
}

extension PostgresStore: ReviewSessionStore {
    public func saveSession(_ s: ReviewSession, now: Millis) async throws {
        try await transaction { c in
            try await self.exec("DELETE FROM review_sessions WHERE expires_at <= \(now) RETURNING token_sha256", on: c)
            try await self.exec("""
                INSERT INTO review_sessions (token_sha256, user_name, role, created_at, expires_at) VALUES (\(s.tokenSHA256), \(s.user), \(s.role),
                  \(s.createdAt), \(s.expiresAt)) RETURNING token_sha256
                """, on: c)
        }
    }

    public func session(tokenSHA256: String, now: Millis) async throws -> ReviewSession? {
        try await rows("""
            SELECT token_sha256, user_name, role, created_at, expires_at FROM review_sessions WHERE token_sha256 = \(tokenSHA256)
              AND expires_at > \(now)
            """).first.map { r in
            ReviewSession(tokenSHA256: try r["token_sha256"].decode(String.self), user: try r["user_name"].decode(String.self),
                          role: try r["role"].decode(String.self), createdAt: try r["created_at"].decode(Int64.self),
                          expiresAt: try r["expires_at"].decode(Int64.self))
        }
    }

    public func deleteSession(tokenSHA256: String) async throws {
        _ = try await rows("DELETE FROM review_sessions WHERE token_sha256 = \(tokenSHA256) RETURNING token_sha256")
    }
}
