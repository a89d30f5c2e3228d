import Foundation
import PostgresNIO
import Store

/// Orders, review items and the decision chain on PostgreSQL. Appends take the chain head row
/// `FOR UPDATE`, so concurrent instances append one after another and the chain stays linear.
extension PostgresStore: OrderLedger {
    static let orderColumns = LedgerColumns.order
    static let decisionColumns = LedgerColumns.decision
    static let reviewColumns = LedgerColumns.review

    static func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    static func orderRecord(_ r: PostgresRandomAccessRow) throws -> OrderRecord {
        OrderRecord(id: try r["id"].decode(Int64.self), merchantID: try r["merchant_id"].decode(String.self),
                    idempotencyKey: try r["idempotency_key"].decode(String.self),
                    externalReference: try r["external_reference"].decode(String.self), state: try r["state"].decode(String.self),
                    canonicalJSON: try r["canonical_json"].decode(String.self), createdAt: try r["created_at"].decode(Int64.self),
                    updatedAt: try r["updated_at"].decode(Int64.self), evaluationJSON: try r["evaluation_json"].decode(String.self))
    }

    static func decisionRecord(_ r: PostgresRandomAccessRow) throws -> DecisionRecord {
        DecisionRecord(id: try r["id"].decode(Int64.self), orderID: try r["order_id"].decode(Int64?.self),
                       lineNumber: try r["line_number"].decode(Int64?.self).map(Int.init), kind: try r["kind"].decode(String.self),
                       input: try r["input"].decode(String.self), output: try r["output"].decode(String.self),
                       confidence: try r["confidence"].decode(String?.self).flatMap(Self.decimal),
                       evidence: try r["evidence"].decode(String.self), version: try r["version"].decode(String.self),
                       decidedAt: try r["decided_at"].decode(Int64.self), actor: try r["actor"].decode(String.self),
                       inputDigest: try r["input_digest"].decode(String.self), corrects: try r["corrects"].decode(Int64?.self),
                       previousHash: try r["previous_hash"].decode(String.self), hash: try r["hash"].decode(String.self),
                       documentID: try r["document_id"].decode(Int64?.self))
    }

    static func reviewItem(_ r: PostgresRandomAccessRow) throws -> ReviewItem {
        ReviewItem(id: try r["id"].decode(Int64.self), orderID: try r["order_id"].decode(Int64?.self),
                   lineNumber: try r["line_number"].decode(Int64?.self).map(Int.init), reason: try r["reason"].decode(String.self),
                   state: try r["state"].decode(String.self), createdAt: try r["created_at"].decode(Int64.self),
                   resolvedAt: try r["resolved_at"].decode(Int64?.self), resolution: try r["resolution"].decode(String?.self),
                   subject: try r["subject"].decode(String.self), detail: try r["detail"].decode(String.self),
                   evidence: try r["evidence"].decode(String.self), resolvedBy: try r["resolved_by"].decode(String?.self),
                   value: try r["value"].decode(String?.self).flatMap(Self.decimal), currency: try r["currency"].decode(String?.self),
                   documentID: try r["document_id"].decode(Int64?.self))
    }

    /// Appends records to the chain: the head is locked here (callers write everything else of
    /// their transaction first, so the lock is held as briefly as can be: this round trip, one
    /// statement per `rowsPerStatement` records that inserts them and moves the head, and the commit).
    @discardableResult
    func appendChained(_ records: [DecisionRecord], on c: PostgresConnection) async throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        guard let head = try await rows("SELECT head_hash, length FROM decision_chain WHERE id = 1 FOR UPDATE", on: c).first else {
            throw StoreError(.corrupt, "decision_chain has no head row")
        }
        var previous = try head["head_hash"].decode(String.self)
        var length = try head["length"].decode(Int64.self)
        var ids: [Int64] = []
        for chunk in records.chunks(of: Self.rowsPerStatement) {
            var rowValues: [[Arg]] = []
            var hashes: [String] = []
            for (n, record) in chunk.enumerated() {
                let d = DecisionChain.seal(record, after: previous)
                rowValues.append([.int(Int64(n)), .int(d.orderID), .int(d.lineNumber.map(Int64.init)), .text(d.kind), .text(d.input), .text(d.output),
                                  .text(d.confidence.map { "\($0)" }), .text(d.evidence), .text(d.version), .int(d.decidedAt), .text(d.actor),
                                  .text(d.inputDigest), .int(d.corrects), .text(d.previousHash), .text(d.hash), .int(d.documentID)])
                hashes.append(d.hash)
                previous = d.hash
                length += 1
            }
            var q = Statement("""
                WITH ins AS (
                  INSERT INTO decisions (order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor,
                                         input_digest, corrects, previous_hash, hash, document_id)
                  SELECT v.order_id, v.line_number, v.kind, v.input, v.output, v.confidence, v.evidence, v.version, v.decided_at, v.actor,
                         v.input_digest, v.corrects, v.previous_hash, v.hash, v.document_id
                  FROM (
                """)
            Self.appendValues(rowValues, types: ["BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT",
                                                 "TEXT", "BIGINT", "TEXT", "TEXT", "BIGINT"], to: &q)
            q.appendLiteral("""
                ) AS v(n, order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor,
                                          input_digest, corrects, previous_hash, hash, document_id)
                  ORDER BY v.n RETURNING id, hash),
                head AS (UPDATE decision_chain SET head_hash =
                """)
            q.appendInterpolation(previous)
            q.appendLiteral(", length = ")
            q.appendInterpolation(length)
            q.appendLiteral(" WHERE id = 1)\nSELECT id, hash FROM ins ORDER BY id")
            let found = try await rows(PostgresQuery(stringInterpolation: q), on: c)
            // The chain is replayed in id order: ids that did not follow it would fail the audit, so they are never committed.
            guard try found.map({ try $0["hash"].decode(String.self) }) == hashes else {
                throw StoreError(.corrupt, "decision ids were not assigned in chain order")
            }
            ids += try found.map { try $0["id"].decode(Int64.self) }
        }
        return ids
    }

    @discardableResult
    func insertReview(_ item: ReviewItem, on c: PostgresConnection) async throws -> Int64 {
        let row = try await rows("""
            INSERT INTO review_items (order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence,
                                      resolved_by, value, currency, document_id)
            VALUES (\(item.orderID), \(item.lineNumber.map(Int64.init)), \(item.reason), \(item.state), \(item.createdAt), \(item.resolvedAt),
              \(item.resolution), \(item.subject), \(item.detail), \(item.evidence), \(item.resolvedBy), \(item.value.map { "\($0)" }),
              \(item.currency), \(item.documentID)) RETURNING id
            """, on: c)
        guard let id = try row.first.map({ try $0["id"].decode(Int64.self) }) else { throw StoreError(.corrupt, "review insert returned no id") }
        return id
    }

    public func orders(_ filter: OrderFilter) async throws -> [OrderRecord] {
        try await rows("""
            SELECT \(unescaped: Self.orderColumns) FROM orders
            WHERE \(filter.sqlWhere())
            ORDER BY id \(unescaped: filter.newestFirst ? "DESC" : "ASC") LIMIT \(Int64(max(1, filter.limit)))
            """).map(Self.orderRecord)
    }

    public func orderID(merchantID: String, idempotencyKey: String) async throws -> Int64? {
        try await rows("SELECT id FROM orders WHERE merchant_id = \(merchantID) AND idempotency_key = \(idempotencyKey)")
            .first.map { try $0["id"].decode(Int64.self) }
    }

    public func hsCorrections(limit: Int) async throws -> [DecisionRecord] {
        try await rows("""
            SELECT \(unescaped: Self.decisionColumns) FROM decisions WHERE \(unescaped: DecisionSQL.hsCorrection) ORDER BY id LIMIT \(Int64(max(1, limit)))
            """).map(Self.decisionRecord)
    }

    public func outboxMessages(filingIDs: [Int64]) async throws -> [OutboxMessage] {
        guard !filingIDs.isEmpty else { return [] }
        return try await rows("SELECT * FROM outbox WHERE filing_id IN (\(list: filingIDs)) ORDER BY id").map(Self.message)
    }

    public func orderLines(orderIDs: [Int64]) async throws -> [Int64: [OrderLineRecord]] {
        try await byOrder(orderIDs, columns: LedgerColumns.orderLine, from: "order_lines", order: OrderBatchSQL.lineOrder) { r, orderID in
            try Self.orderLine(r, orderID: orderID)
        }
    }

    public func filings(orderIDs: [Int64]) async throws -> [Int64: [FilingRecord]] {
        try await byOrder(orderIDs, columns: Self.filingColumns, from: "filings", order: OrderBatchSQL.rowOrder) { r, _ in try Self.filing(r) }
    }

    public func decisions(orderIDs: [Int64]) async throws -> [Int64: [DecisionRecord]] {
        try await byOrder(orderIDs, columns: Self.decisionColumns, from: "decisions", order: OrderBatchSQL.rowOrder) { r, _ in
            try Self.decisionRecord(r)
        }
    }

    /// Rows of `table` for these orders, a chunk of ids per statement, grouped by `order_id` in row order.
    private func byOrder<T>(_ orderIDs: [Int64], columns: String, from table: String, order: String,
                            _ map: (PostgresRandomAccessRow, Int64) throws -> T) async throws -> [Int64: [T]] {
        var out: [Int64: [T]] = [:]
        for ids in OrderBatchSQL.chunks(orderIDs) {
            let rows = try await rows("""
                SELECT order_id AS batch_order_id, \(unescaped: columns) FROM \(unescaped: table) WHERE \(OrderBatchSQL.byOrder(ids))
                ORDER BY \(unescaped: order)
                """)
            for r in rows {
                let orderID = try r["batch_order_id"].decode(Int64.self)
                out[orderID, default: []].append(try map(r, orderID))
            }
        }
        return out
    }

    public func reviewItem(id: Int64) async throws -> ReviewItem? {
        try await rows("SELECT \(unescaped: Self.reviewColumns) FROM review_items WHERE id = \(id)").first.map(Self.reviewItem)
    }

    public func reviewItems(_ filter: ReviewFilter) async throws -> [ReviewItem] {
        try await rows("""
            SELECT \(unescaped: Self.reviewColumns) FROM review_items WHERE \(filter.sqlWhere())
            ORDER BY created_at, id LIMIT \(Int64(max(1, filter.limit)))
            """).map(Self.reviewItem)
    }

    public func resolve(_ resolution: ReviewResolution, now: Millis) async throws -> ResolutionOutcome {
        try await transaction { c in
            guard let row = try await self.rows("""
                SELECT order_id, document_id FROM review_items WHERE id = \(resolution.itemID) AND state IN ('open', 'held') FOR UPDATE
                """, on: c).first else { return .notOpen }
            let itemOrder = try row["order_id"].decode(Int64?.self)
            if let orderID = itemOrder {
                // Serialise resolutions of one order, so two people finishing its last two items cannot both miss the completion.
                _ = try await self.rows("SELECT id FROM orders WHERE id = \(orderID) FOR UPDATE", on: c)
            }
            let resolved = resolution.newState == "resolved"
            try await self.exec("""
                UPDATE review_items SET state = \(resolution.newState), resolved_at = \(resolved ? now : nil), resolution = \(resolution.action),
                  resolved_by = \(resolution.reviewer) WHERE id = \(resolution.itemID)
                """, on: c)
            try await self.appendChained(resolution.decisions, on: c)
            try await self.insertAllowances(resolution.allowances, on: c)
            if let documentID = try row["document_id"].decode(Int64?.self), let draft = resolution.draft {
                try await self.exec("""
                    UPDATE document_drafts SET state = \(draft.state), order_id = COALESCE(\(draft.orderID), order_id), updated_at = \(now)
                      WHERE id = \(documentID)
                    """, on: c)
            }
            guard let orderID = itemOrder else { return .resolved(remaining: 0) }
            for line in resolution.lineUpdates {
                try await self.exec("""
                    UPDATE order_lines SET hs_code = \(line.hsCode), hs6 = \(line.hs6), national_code = \(line.nationalCode),
                      confidence = \(line.confidence.map { "\($0)" }), code_source = \(line.codeSource)
                    WHERE order_id = \(orderID) AND line_number = \(Int64(line.lineNumber))
                    """, on: c)
            }
            let count = try await self.rows("SELECT COUNT(*) AS n FROM review_items WHERE order_id = \(orderID) AND state IN ('open', 'held')", on: c)
            let remaining = Int(try count.first?["n"].decode(Int64.self) ?? 0)
            guard remaining == 0, let completion = resolution.completion else { return .resolved(remaining: remaining) }
            let moved = try await self.rows("""
                UPDATE orders SET state = \(completion.to), updated_at = \(now), canonical_json = COALESCE(\(completion.canonicalJSON),
                  canonical_json),
                                  evaluation_json = COALESCE(\(completion.evaluationJSON), evaluation_json)
                WHERE id = \(orderID) AND state = \(completion.from) RETURNING id
                """, on: c)
            guard !moved.isEmpty else { return .resolved(remaining: 0) }
            try await self.insertFilings(orderID: orderID, filings: completion.filings, now: now, on: c)
            return .completed
        }
    }

    @discardableResult
    public func appendDecisions(_ records: [DecisionRecord]) async throws -> [Int64] {
        try await transaction { c in try await self.appendChained(records, on: c) }
    }

    public func decisionStretch(afterID: Int64, limit: Int) async throws -> [DecisionRecord] {
        try await rows("""
            SELECT \(unescaped: Self.decisionColumns) FROM decisions WHERE id > \(afterID) ORDER BY id LIMIT \(Int64(max(1, limit)))
            """).map(Self.decisionRecord)
    }

    public func chainHead() async throws -> (hash: String, length: Int64) {
        guard let row = try await rows("SELECT head_hash, length FROM decision_chain WHERE id = 1").first else {
            throw StoreError(.corrupt, "decision_chain has no head row")
        }
        return (try row["head_hash"].decode(String.self), try row["length"].decode(Int64.self))
    }

    public func reserveReferences(_ count: Int) async throws -> Int {
        let n = max(1, count)
        // One statement: the row lock serialises concurrent reservations.
        guard let row = try await rows("""
            UPDATE reference_sequence SET last_value = last_value + \(Int64(n)) WHERE id = 1 RETURNING last_value
            """).first else {
            throw StoreError(.corrupt, "reference_sequence has no row")
        }
        return Int(try row["last_value"].decode(Int64.self)) - n + 1
    }

    public func queueDepths() async throws -> QueueDepths {
        func count(_ sql: String) async throws -> Int {
            Int(try await rows(PostgresQuery(unsafeSQL: sql)).first?["n"].decode(Int64.self) ?? 0)
        }
        let outbox = try await rows(PostgresQuery(unsafeSQL: QueueDepthSQL.outbox)).compactMap { r -> OutboxStats.Row? in
            guard let state = OutboxState(rawValue: try r["state"].decode(String.self)) else { return nil }
            return OutboxStats.Row(adapterID: try r["adapter_id"].decode(String.self), state: state, count: Int(try r["n"].decode(Int64.self)))
        }
        return QueueDepths(outbox: outbox, openReviewItems: try await count(QueueDepthSQL.openReviewItems),
                           waitingCallbacks: try await count(QueueDepthSQL.waitingCallbacks))
    }

    public func moveOrder(id: Int64, from: Set<String>, to state: String, decisions: [DecisionRecord], now: Millis) async throws -> Bool {
        try await transaction { c in
            guard let row = try await self.rows("SELECT state FROM orders WHERE id = \(id) FOR UPDATE", on: c).first,
                  from.contains(try row["state"].decode(String.self)) else { return false }
            try await self.exec("UPDATE orders SET state = \(state), updated_at = \(now) WHERE id = \(id)", on: c)
            try await self.appendChained(decisions, on: c)
            return true
        }
    }
}

extension PostgresStore: ScreeningAllowList {
    public func allow(_ entries: [ScreeningAllowance]) async throws {
        guard !entries.isEmpty else { return }
        try await transaction { c in try await self.insertAllowances(entries, on: c) }
    }

    func insertAllowances(_ entries: [ScreeningAllowance], on c: PostgresConnection) async throws {
        for e in entries {
            _ = try await rows("""
                INSERT INTO screening_allowlist (party_key, party_name, list, entry_id, list_version, released_by, review_item_id, created_at)
                VALUES (\(e.partyKey), \(e.partyName), \(e.list), \(e.entryID), \(e.listVersion), \(e.releasedBy), \(e.reviewItemID),
                  \(e.createdAt)) ON CONFLICT (party_key, list, entry_id, list_version) DO NOTHING
                """, on: c)
        }
    }

    public func allowances() async throws -> [ScreeningAllowance] {
        try await rows("SELECT * FROM screening_allowlist ORDER BY id").map { r in
            ScreeningAllowance(partyName: try r["party_name"].decode(String.self), list: try r["list"].decode(String.self),
                               entryID: try r["entry_id"].decode(String.self), listVersion: try r["list_version"].decode(String.self),
                               releasedBy: try r["released_by"].decode(String.self), reviewItemID: try r["review_item_id"].decode(Int64?.self),
                               createdAt: try r["created_at"].decode(Int64.self))
        }
    }
}
