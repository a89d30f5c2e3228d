import Foundation
import NIOCore
import PostgresNIO
import Store

/// Filings, references, gateway answers and callbacks (issue: delivery and callbacks).
extension PostgresStore {
    static let filingColumns = "id, order_id, adapter_id, kind, state, created_at, detail"

    static func filing(_ r: PostgresRandomAccessRow) throws -> FilingRecord {
        FilingRecord(id: try r["id"].decode(Int64.self), orderID: try r["order_id"].decode(Int64?.self),
                     adapterID: try r["adapter_id"].decode(String.self), kind: try r["kind"].decode(String.self),
                     state: try r["state"].decode(String.self), createdAt: try r["created_at"].decode(Int64.self),
                     detail: try r["detail"].decode(String?.self))
    }

    func insertReferences(filingID: Int64, _ references: [FilingReference], on c: PostgresConnection) async throws {
        for r in references where !r.value.isEmpty {
            try await exec("""
                INSERT INTO filing_references (filing_id, kind, value) VALUES (\(filingID), \(r.kind), \(r.value)) ON CONFLICT DO NOTHING
                  RETURNING filing_id
                """, on: c)
        }
    }

    public func file(_ filings: [NewFiling], orderID: Int64?, now: Millis) async throws -> [FiledMessage] {
        guard !filings.isEmpty else { return [] }
        return try await transaction { c in try await self.insertFilings(orderID: orderID, filings: filings, now: now, on: c) }
    }

    public func filing(id: Int64) async throws -> FilingRecord? {
        try await rows("SELECT \(unescaped: Self.filingColumns) FROM filings WHERE id = \(id)").first.map(Self.filing)
    }

    public func references(filingID: Int64) async throws -> [FilingReference] {
        try await rows("SELECT kind, value FROM filing_references WHERE filing_id = \(filingID) ORDER BY kind, value").map { r in
            FilingReference(kind: try r["kind"].decode(String.self), value: try r["value"].decode(String.self))
        }
    }

    public func findFilings(references values: [String], adapterID: String?) async throws -> [FilingRecord] {
        let values = values.filter { !$0.isEmpty }
        guard !values.isEmpty else { return [] }
        return try await rows("""
            SELECT \(unescaped: Self.filingColumns) FROM filings
            WHERE id IN (SELECT filing_id FROM filing_references WHERE value IN (\(list: values)))
              \(adapterID.map { SQLFragment("AND adapter_id = \($0)") } ?? "")
            ORDER BY id DESC
            """).map(Self.filing)
    }

    public func apply(_ u: FilingUpdate, now: Millis) async throws -> FilingUpdateResult {
        try await transaction { c in
            guard let row = try await self.rows("SELECT state, order_id FROM filings WHERE id = \(u.filingID) FOR UPDATE", on: c).first else {
                throw StoreError(.corrupt, "filing \(u.filingID) does not exist")
            }
            let current = try row["state"].decode(String.self)
            let orderID = try row["order_id"].decode(Int64?.self)
            let filingState = OrderLifecycle.nextFiling(from: current, to: u.filingState)
            try await self.exec("""
                UPDATE filings SET state = \(filingState), detail = COALESCE(\(u.detail), detail) WHERE id = \(u.filingID) RETURNING id
                """, on: c)
            try await self.insertReferences(filingID: u.filingID, u.references, on: c)
            var result = FilingUpdateResult(filingID: u.filingID, filingState: filingState, orderID: orderID, orderStateBefore: nil,
                                            orderStateAfter: nil, reviewID: nil, decisionID: nil)
            guard let orderID,
                  let before = try await self.rows("SELECT state FROM orders WHERE id = \(orderID) FOR UPDATE", on: c).first
                    .map({ try $0["state"].decode(String.self) }) else {
                return result
            }
            let after = u.orderState.map { OrderLifecycle.next(from: before, to: $0) } ?? before
            if after != before {
                try await self.exec("UPDATE orders SET state = \(after), updated_at = \(now) WHERE id = \(orderID) RETURNING id", on: c)
            }
            result.orderStateBefore = before
            result.orderStateAfter = after
            if let text = u.review {
                result.reviewID = try await self.insertReview(DeliveryText.review(u, orderID: orderID, text: text, now: now), on: c)
            }
            result.decisionID = try await self.appendChained([DeliveryText.decision(u, result: result, orderID: orderID, now: now)], on: c).first
            return result
        }
    }

    public func storeCallback(_ event: InboxEvent) async throws -> Int64? {
        try await rows("""
            INSERT INTO inbox (adapter_id, external_event_id, received_at, body, status) VALUES (\(event.adapterID), \(event.externalEventID),
              \(event.receivedAt), \(ByteBuffer(bytes: event.body)), 'received')
            ON CONFLICT (adapter_id, external_event_id) DO NOTHING RETURNING id
            """)
            .first.map { try $0["id"].decode(Int64.self) }
    }

    public func settleCallback(inboxID: Int64, status: String, filingID: Int64?, orderID: Int64?, note: String?, now: Millis) async throws {
        _ = try await rows("""
            UPDATE inbox SET status = \(status), filing_id = \(filingID), order_id = \(orderID), note = \(note), processed_at = \(now)
              WHERE id = \(inboxID) RETURNING id
            """)
    }

    public func callbacks(status: String?, adapterID: String?, limit: Int?, newestFirst: Bool) async throws -> [InboxRecord] {
        try await rows("""
            SELECT id, adapter_id, external_event_id, received_at, status, filing_id, order_id, note, body FROM inbox
            WHERE \(InboxSQL.filter(status: status, adapterID: adapterID))\(SQLFragment.orderByID(newestFirst: newestFirst, limit: limit))
            """).map { r in
            InboxRecord(id: try r["id"].decode(Int64.self), adapterID: try r["adapter_id"].decode(String.self),
                        externalEventID: try r["external_event_id"].decode(String.self), receivedAt: try r["received_at"].decode(Int64.self),
                        status: try r["status"].decode(String.self), filingID: try r["filing_id"].decode(Int64?.self),
                        orderID: try r["order_id"].decode(Int64?.self), note: try r["note"].decode(String?.self),
                        body: Array(buffer: try r["body"].decode(ByteBuffer.self)))
        }
    }
}
