import Foundation
import GRDB
import Store

/// Orders, review items and the decision chain on SQLite. SQLite has one writer at a time, so
/// reading the chain head and appending after it inside one write transaction is enough.
extension SQLiteStore: OrderLedger {
    static let orderColumns = LedgerColumns.order
    static let decisionColumns = LedgerColumns.decision
    static let reviewColumns = LedgerColumns.review

    static func orderRecord(_ r: Row) -> OrderRecord {
        OrderRecord(id: r["id"], merchantID: r["merchant_id"], idempotencyKey: r["idempotency_key"],
                    externalReference: r["external_reference"], state: r["state"], canonicalJSON: r["canonical_json"],
                    createdAt: r["created_at"], updatedAt: r["updated_at"], evaluationJSON: r["evaluation_json"])
    }

    static func decisionRecord(_ r: Row) -> DecisionRecord {
        let confidence: String? = r["confidence"]
        return DecisionRecord(id: r["id"], orderID: r["order_id"], lineNumber: r["line_number"], kind: r["kind"],
                              input: r["input"], output: r["output"], confidence: confidence.flatMap(Self.decimal),
                              evidence: r["evidence"], version: r["version"], decidedAt: r["decided_at"], actor: r["actor"],
                              inputDigest: r["input_digest"], corrects: r["corrects"], previousHash: r["previous_hash"], hash: r["hash"],
                              documentID: r["document_id"])
    }

    static func reviewItem(_ r: Row) -> ReviewItem {
        let value: String? = r["value"]
        return ReviewItem(id: r["id"], orderID: r["order_id"], lineNumber: r["line_number"], reason: r["reason"], state: r["state"],
                          createdAt: r["created_at"], resolvedAt: r["resolved_at"], resolution: r["resolution"], subject: r["subject"],
                          detail: r["detail"], evidence: r["evidence"], resolvedBy: r["resolved_by"], value: value.flatMap(Self.decimal),
                          currency: r["currency"], documentID: r["document_id"])
    }

    static func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }

    /// Seals each record after the current head and moves the head, inside the caller's transaction.
    @discardableResult
    static func appendChained(_ db: Database, _ records: [DecisionRecord]) throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        guard let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT head_hash, length FROM decision_chain WHERE id = 1")) else {
            throw StoreError(.corrupt, "decision_chain has no head row")
        }
        var previous: String = head["head_hash"]
        var length: Int64 = head["length"]
        var ids: [Int64] = []
        for record in records {
            let d = DecisionChain.seal(record, after: previous)
            try db.cachedStatement(sql: """
                INSERT INTO decisions (order_id, line_number, kind, input, output, confidence, evidence, version, decided_at, actor,
                                       input_digest, corrects, previous_hash, hash, document_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [d.orderID, d.lineNumber, d.kind, d.input, d.output, d.confidence.map { "\($0)" }, d.evidence,
                                 d.version, d.decidedAt, d.actor, d.inputDigest, d.corrects, d.previousHash, d.hash, d.documentID])
            ids.append(db.lastInsertedRowID)
            previous = d.hash
            length += 1
        }
        try db.cachedStatement(sql: "UPDATE decision_chain SET head_hash = ?, length = ? WHERE id = 1").execute(arguments: [previous, length])
        return ids
    }

    @discardableResult
    static func insertReview(_ db: Database, _ item: ReviewItem) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO review_items (order_id, line_number, reason, state, created_at, resolved_at, resolution, subject, detail, evidence,
                                      resolved_by, value, currency, document_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [item.orderID, item.lineNumber, item.reason, item.state, item.createdAt, item.resolvedAt, item.resolution,
                             item.subject, item.detail, item.evidence, item.resolvedBy, item.value.map { "\($0)" }, item.currency, item.documentID])
        return db.lastInsertedRowID
    }

    public func orders(_ filter: OrderFilter) async throws -> [OrderRecord] {
        let clause = filter.sqlWhere().questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.orderColumns) FROM orders WHERE \(clause.sql)
                ORDER BY id\(filter.newestFirst ? " DESC" : "") LIMIT ?
                """, arguments: Self.arguments(clause.values) + [max(1, filter.limit)]).map(Self.orderRecord)
        }
    }

    public func orderID(merchantID: String, idempotencyKey: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM orders WHERE merchant_id = ? AND idempotency_key = ?"),
                               arguments: [merchantID, idempotencyKey])
        }
    }

    public func hsCorrections(limit: Int) async throws -> [DecisionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE \(DecisionSQL.hsCorrection) ORDER BY id LIMIT ?",
                             arguments: [max(1, limit)]).map(Self.decisionRecord)
        }
    }

    public func outboxMessages(filingIDs: [Int64]) async throws -> [OutboxMessage] {
        guard !filingIDs.isEmpty else { return [] }
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(OutboxSQL.columns) FROM outbox WHERE filing_id IN (\(filingIDs.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
                             arguments: StatementArguments(filingIDs)).map(Self.message)
        }
    }

    public func orderLines(orderIDs: [Int64]) async throws -> [Int64: [OrderLineRecord]] {
        try await byOrder(orderIDs, columns: LedgerColumns.orderLine, from: "order_lines", order: OrderBatchSQL.lineOrder) { r, orderID in
            try Self.orderLine(r, orderID: orderID)
        }
    }

    public func filings(orderIDs: [Int64]) async throws -> [Int64: [FilingRecord]] {
        try await byOrder(orderIDs, columns: Self.filingColumns, from: "filings", order: OrderBatchSQL.rowOrder) { r, _ in Self.filing(r) }
    }

    public func decisions(orderIDs: [Int64]) async throws -> [Int64: [DecisionRecord]] {
        try await byOrder(orderIDs, columns: Self.decisionColumns, from: "decisions", order: OrderBatchSQL.rowOrder) { r, _ in
            Self.decisionRecord(r)
        }
    }

    /// Rows of `table` for these orders, a chunk of ids per statement, grouped by `order_id` in row order.
    private func byOrder<T: Sendable>(_ orderIDs: [Int64], columns: String, from table: String, order: String,
                                      _ map: @escaping @Sendable (Row, Int64) throws -> T) async throws -> [Int64: [T]] {
        var out: [Int64: [T]] = [:]
        for ids in OrderBatchSQL.chunks(orderIDs) {
            let clause = OrderBatchSQL.byOrder(ids).questionMarks
            let rows: [(Int64, T)] = try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT order_id AS batch_order_id, \(columns) FROM \(table) WHERE \(clause.sql) ORDER BY \(order)",
                                 arguments: Self.arguments(clause.values)).map { r in
                    let orderID: Int64 = r["batch_order_id"]
                    return (orderID, try map(r, orderID))
                }
            }
            for (orderID, row) in rows { out[orderID, default: []].append(row) }
        }
        return out
    }

    public func reviewItem(id: Int64) async throws -> ReviewItem? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.reviewColumns) FROM review_items WHERE id = ?", arguments: [id]).map(Self.reviewItem)
        }
    }

    public func reviewItems(_ filter: ReviewFilter) async throws -> [ReviewItem] {
        let clause = filter.sqlWhere().questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.reviewColumns) FROM review_items WHERE \(clause.sql) ORDER BY created_at, id LIMIT ?
                """), arguments: Self.arguments(clause.values) + [max(1, filter.limit)]).map(Self.reviewItem)
        }
    }

    public func resolve(_ resolution: ReviewResolution, now: Millis) async throws -> ResolutionOutcome {
        let outcome: ResolutionOutcome = try await pool.write { db in
            guard let item = try Row.fetchOne(db, sql: "SELECT order_id, document_id FROM review_items WHERE id = ? AND state IN ('open', 'held')",
                                              arguments: [resolution.itemID]) else { return .notOpen }
            let resolved = resolution.newState == "resolved"
            try db.execute(sql: """
                UPDATE review_items SET state = ?, resolved_at = ?, resolution = ?, resolved_by = ? WHERE id = ?
                """, arguments: [resolution.newState, resolved ? now : nil, resolution.action, resolution.reviewer, resolution.itemID])
            try Self.appendChained(db, resolution.decisions)
            try Self.insertAllowances(db, resolution.allowances)
            let documentID: Int64? = item["document_id"]
            if let documentID, let draft = resolution.draft {
                try db.execute(sql: "UPDATE document_drafts SET state = ?, order_id = COALESCE(?, order_id), updated_at = ? WHERE id = ?",
                               arguments: [draft.state, draft.orderID, now, documentID])
            }
            guard let orderID: Int64 = item["order_id"] else { return .resolved(remaining: 0) }
            for line in resolution.lineUpdates {
                try db.execute(sql: """
                    UPDATE order_lines SET hs_code = ?, hs6 = ?, national_code = ?, confidence = ?, code_source = ?
                    WHERE order_id = ? AND line_number = ?
                    """, arguments: [line.hsCode, line.hs6, line.nationalCode, line.confidence.map { "\($0)" }, line.codeSource,
                                     orderID, line.lineNumber])
            }
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM review_items WHERE order_id = ? AND state IN ('open', 'held')",
                                             arguments: [orderID]) ?? 0
            guard remaining == 0, let completion = resolution.completion else { return .resolved(remaining: remaining) }
            try db.execute(sql: """
                UPDATE orders SET state = ?, updated_at = ?, canonical_json = COALESCE(?, canonical_json),
                                  evaluation_json = COALESCE(?, evaluation_json)
                WHERE id = ? AND state = ?
                """, arguments: [completion.to, now, completion.canonicalJSON, completion.evaluationJSON, orderID, completion.from])
            guard db.changesCount == 1 else { return .resolved(remaining: 0) }
            try Self.insertFilings(db, orderID: orderID, filings: completion.filings, now: now)
            return .completed
        }
        if outcome == .completed { signal.signal() }
        return outcome
    }

    @discardableResult
    public func appendDecisions(_ records: [DecisionRecord]) async throws -> [Int64] {
        try await pool.write { db in try Self.appendChained(db, records) }
    }

    public func decisionStretch(afterID: Int64, limit: Int) async throws -> [DecisionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE id > ? ORDER BY id LIMIT ?",
                             arguments: [afterID, max(1, limit)]).map(Self.decisionRecord)
        }
    }

    public func chainHead() async throws -> (hash: String, length: Int64) {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT head_hash, length FROM decision_chain WHERE id = 1") else {
                throw StoreError(.corrupt, "decision_chain has no head row")
            }
            return (row["head_hash"], row["length"])
        }
    }

    public func reserveReferences(_ count: Int) async throws -> Int {
        let n = max(1, count)
        return try await pool.write { db in
            try db.execute(sql: "UPDATE reference_sequence SET last_value = last_value + ? WHERE id = 1", arguments: [n])
            guard let last = try Int.fetchOne(db, sql: "SELECT last_value FROM reference_sequence WHERE id = 1") else {
                throw StoreError(.corrupt, "reference_sequence has no row")
            }
            return last - n + 1
        }
    }

    public func queueDepths() async throws -> QueueDepths {
        try await pool.read { db in
            let outbox = try Row.fetchAll(db.cachedStatement(sql: QueueDepthSQL.outbox)).compactMap { r -> OutboxStats.Row? in
                guard let state = OutboxState(rawValue: r["state"]) else { return nil }
                return OutboxStats.Row(adapterID: r["adapter_id"], state: state, count: r["n"])
            }
            return QueueDepths(outbox: outbox,
                               openReviewItems: try Int.fetchOne(db.cachedStatement(sql: QueueDepthSQL.openReviewItems)) ?? 0,
                               waitingCallbacks: try Int.fetchOne(db.cachedStatement(sql: QueueDepthSQL.waitingCallbacks)) ?? 0)
        }
    }

    public func moveOrder(id: Int64, from: Set<String>, to state: String, decisions: [DecisionRecord], now: Millis) async throws -> Bool {
        try await pool.write { db in
            guard let current = try String.fetchOne(db, sql: "SELECT state FROM orders WHERE id = ?", arguments: [id]),
                  from.contains(current) else { return false }
            try db.execute(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?", arguments: [state, now, id])
            try Self.appendChained(db, decisions)
            return true
        }
    }
}

extension SQLiteStore: ScreeningAllowList {
    public func allow(_ entries: [ScreeningAllowance]) async throws {
        try await pool.write { db in try Self.insertAllowances(db, entries) }
    }

    static func insertAllowances(_ db: Database, _ entries: [ScreeningAllowance]) throws {
        for e in entries {
            try db.execute(sql: """
                INSERT INTO screening_allowlist (party_key, party_name, list, entry_id, list_version, released_by, review_item_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (party_key, list, entry_id, list_version) DO NOTHING
                """, arguments: [e.partyKey, e.partyName, e.list, e.entryID, e.listVersion, e.releasedBy, e.reviewItemID, e.createdAt])
        }
    }

    public func allowances() async throws -> [ScreeningAllowance] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM screening_allowlist ORDER BY id").map { r in
                ScreeningAllowance(partyName: r["party_name"], list: r["list"], entryID: r["entry_id"], listVersion: r["list_version"],
                                   releasedBy: r["released_by"], reviewItemID: r["review_item_id"], createdAt: r["created_at"])
            }
        }
    }
}
