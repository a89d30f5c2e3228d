import Foundation
import GRDB
import Store

/// Filings, references, gateway answers and callbacks (issue: delivery and callbacks).
extension SQLiteStore {
    static let filingColumns = "id, order_id, adapter_id, kind, state, created_at, detail"

    static func filing(_ r: Row) -> FilingRecord {
        FilingRecord(id: r["id"], orderID: r["order_id"], adapterID: r["adapter_id"], kind: r["kind"], state: r["state"],
                     createdAt: r["created_at"], detail: r["detail"])
    }

    static func insertReferences(_ db: Database, filingID: Int64, _ references: [FilingReference]) throws {
        for r in references where !r.value.isEmpty {
            try db.cachedStatement(sql: "INSERT INTO filing_references (filing_id, kind, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .execute(arguments: [filingID, r.kind, r.value])
        }
    }

    public func file(_ filings: [NewFiling], orderID: Int64?, now: Millis) async throws -> [FiledMessage] {
        let filed = try await pool.write { db in try Self.insertFilings(db, orderID: orderID, filings: filings, now: now) }
        if !filed.isEmpty { signal.signal() }
        return filed
    }

    public func filing(id: Int64) async throws -> FilingRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.filingColumns) FROM filings WHERE id = ?", arguments: [id]).map(Self.filing)
        }
    }

    public func references(filingID: Int64) async throws -> [FilingReference] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM filing_references WHERE filing_id = ? ORDER BY kind, value",
                             arguments: [filingID]).map { FilingReference(kind: $0["kind"], value: $0["value"]) }
        }
    }

    public func findFilings(references values: [String], adapterID: String?) async throws -> [FilingRecord] {
        let values = values.filter { !$0.isEmpty }
        guard !values.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.filingColumns) FROM filings
                WHERE id IN (SELECT filing_id FROM filing_references WHERE value IN (\(marks))) AND (? IS NULL OR adapter_id = ?)
                ORDER BY id DESC
                """, arguments: StatementArguments(values) + [adapterID, adapterID]).map(Self.filing)
        }
    }

    public func apply(_ u: FilingUpdate, now: Millis) async throws -> FilingUpdateResult {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, order_id FROM filings WHERE id = ?", arguments: [u.filingID]) else {
                throw StoreError(.corrupt, "filing \(u.filingID) does not exist")
            }
            let current: String = row["state"]
            let orderID: Int64? = row["order_id"]
            let filingState = OrderLifecycle.nextFiling(from: current, to: u.filingState)
            try db.execute(sql: "UPDATE filings SET state = ?, detail = COALESCE(?, detail) WHERE id = ?",
                           arguments: [filingState, u.detail, u.filingID])
            try Self.insertReferences(db, filingID: u.filingID, u.references)
            var result = FilingUpdateResult(filingID: u.filingID, filingState: filingState, orderID: orderID, orderStateBefore: nil,
                                            orderStateAfter: nil, reviewID: nil, decisionID: nil)
            guard let orderID, let before = try String.fetchOne(db, sql: "SELECT state FROM orders WHERE id = ?", arguments: [orderID]) else {
                return result
            }
            let after = u.orderState.map { OrderLifecycle.next(from: before, to: $0) } ?? before
            if after != before {
                try db.execute(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?", arguments: [after, now, orderID])
            }
            result.orderStateBefore = before
            result.orderStateAfter = after
            if let text = u.review {
                result.reviewID = try Self.insertReview(db, DeliveryText.review(u, orderID: orderID, text: text, now: now))
            }
            result.decisionID = try Self.appendChained(db, [DeliveryText.decision(u, result: result, orderID: orderID, now: now)]).first
            return result
        }
    }

    public func storeCallback(_ event: InboxEvent) async throws -> Int64? {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO inbox (adapter_id, external_event_id, received_at, body, status) VALUES (?, ?, ?, ?, 'received')
                ON CONFLICT (adapter_id, external_event_id) DO NOTHING
                """, arguments: [event.adapterID, event.externalEventID, event.receivedAt, Data(event.body)])
            return db.changesCount == 1 ? db.lastInsertedRowID : nil
        }
    }

    public func settleCallback(inboxID: Int64, status: String, filingID: Int64?, orderID: Int64?, note: String?, now: Millis) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE inbox SET status = ?, filing_id = ?, order_id = ?, note = ?, processed_at = ? WHERE id = ?",
                           arguments: [status, filingID, orderID, note, now, inboxID])
        }
    }

    public func callbacks(status: String?, adapterID: String?, limit: Int?, newestFirst: Bool) async throws -> [InboxRecord] {
        let query = (InboxSQL.filter(status: status, adapterID: adapterID) + .orderByID(newestFirst: newestFirst, limit: limit)).questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, adapter_id, external_event_id, received_at, status, filing_id, order_id, note, body FROM inbox
                WHERE \(query.sql)
                """, arguments: Self.arguments(query.values)).map { r in
                let body: Data = r["body"]
                return InboxRecord(id: r["id"], adapterID: r["adapter_id"], externalEventID: r["external_event_id"],
                                   receivedAt: r["received_at"], status: r["status"], filingID: r["filing_id"], orderID: r["order_id"],
                                   note: r["note"], body: Array(body))
            }
        }
    }
}
