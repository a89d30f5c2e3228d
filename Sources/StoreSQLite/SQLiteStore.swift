import Foundation
import GRDB
import Store
import Synchronization

/// The embedded default: one SQLite file in WAL mode. Writers are serialised by SQLite itself,
/// so a lease is a single `UPDATE … RETURNING` inside an IMMEDIATE transaction and two workers can
/// never take the same row. Idle relays in this process are woken by `WorkSignal`, not by polling.
public final class SQLiteStore: HubStore {
    public let engine = "sqlite"
    public let groupsCompletions = true
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let signal: WorkSignal
    /// Accepts wait here for the next shared commit (see `accept(_:now:)`).
    /// Accepts that arrive while a batch is being written go together in the next transaction (64 at
    /// most): at FULL one fsync then covers many orders instead of each.
    private let acceptBatcher: GroupCommit<(order: NewOrder, now: Millis), (orderID: Int64, created: Bool)>

    /// `synchronous`: `FULL` (default) fsyncs the WAL on every commit, so a committed row survives a
    /// power cut; `NORMAL` only survives a process crash. The benchmark states which one it used.
    public init(path: String, synchronous: String = "FULL") throws {
        self.path = path
        let signal = WorkSignal()
        self.signal = signal
        var config = Configuration()
        config.busyMode = .timeout(30)
        let mode = synchronous.uppercased()
        guard ["FULL", "NORMAL", "OFF", "EXTRA"].contains(mode) else {
            throw StoreError(.invalidURL, "synchronous must be FULL, NORMAL, EXTRA or OFF, not \(synchronous)")
        }
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(mode)")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB switches the pool's writer to `synchronous = NORMAL` when it turns the file to WAL,
            // after `prepareDatabase` ran: without this the chosen level (FULL by default) was never
            // in force for writes, and a commit did not fsync the WAL.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(mode)")
                // The savepoint each order is written in keeps the pages it changes in a sub-journal, which
                // SQLite moves to a temporary file once it passes 64 KiB: an order did (access, open,
                // unlink, pwrites, close) for a file that only a rollback of that savepoint would read,
                // about 5 % of `submit`'s CPU in the kernel. Kept in memory it is the same journal; a crash
                // never needs it (the WAL is what recovers), so durability is unchanged. Writer only:
                // the readers' large sorts still spill to files.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
        } catch {
            throw StoreError(.connection, "cannot open SQLite database \(path): \(error)")
        }
        acceptBatcher = GroupCommit(maxBatch: 64, writesIdleInCaller: true) { [pool] batch in try await Self.accept(batch, pool: pool, signal: signal) }
    }

    /// The `synchronous` level in force for writes (`OFF`, `NORMAL`, `FULL` or `EXTRA`), read back
    /// from the writer connection: what a commit really waits for, for benchmarks and operators.
    public func synchronousLevel() async throws -> String {
        let level = try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        return switch level {
        case 0: "OFF"
        case 1: "NORMAL"
        case 2: "FULL"
        case 3: "EXTRA"
        default: "unknown (\(level.map(String.init) ?? "none"))"
        }
    }

    public func migrate() async throws {
        try await pool.write { db in
            // A damaged file is refused before anything reads or writes it.
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard check == ["ok"] else {
                throw StoreError(.corrupt, "SQLite integrity check failed for \(self.path): \(check.prefix(5).joined(separator: "; "))")
            }
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS \(Migrations.ledgerTable) (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
            let done = Set(try String.fetchAll(db, sql: "SELECT id FROM \(Migrations.ledgerTable)"))
            for migration in Migrations.all where !done.contains(migration.id) {
                for statement in migration.statements(.sqlite) { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO \(Migrations.ledgerTable) (id, applied_at) VALUES (?, ?)",
                               arguments: [migration.id, Date().millis])
            }
        }
    }

    // MARK: Orders and the transactional outbox

    /// One order through the group commit (`acceptBatcher`): an accept that arrives while another
    /// batch is being written waits for the next one, so one `COMMIT` (one fsync at FULL) serves
    /// every order that queued meanwhile. An idle store writes the order at once, in the caller's
    /// own task (no writer task to hand it to and wait for), so a caller cancelled during that
    /// write gets `CancellationError` and its order is not kept (all or nothing, as ever). The caller
    /// is answered after the commit that holds its order, so a `created` order is durable.
    public func accept(_ order: NewOrder, now: Millis) async throws -> (orderID: Int64, created: Bool) {
        try await acceptBatcher.submit((order: order, now: now)).get()
    }

    /// Several orders in one write transaction, each inside its own savepoint: an order is still
    /// all or nothing, and one order's failure (a constraint: an outbox key or an API key taken)
    /// is its own result and takes nothing else with it. An error that is not the order's own (the
    /// commit, the disk, a broken transaction) fails the whole call, and nothing of it is kept.
    public func accept(batch orders: [(order: NewOrder, now: Millis)]) async throws -> [Result<(orderID: Int64, created: Bool), StoreError>] {
        try await Self.accept(orders, pool: pool, signal: signal)
    }

    static func accept(_ orders: [(order: NewOrder, now: Millis)], pool: DatabasePool,
                       signal: WorkSignal) async throws -> [Result<(orderID: Int64, created: Bool), StoreError>] {
        guard !orders.isEmpty else { return [] }
        let results: [Result<(orderID: Int64, created: Bool), StoreError>] = try await pool.write { db in
            try orders.map { item in
                var accepted: (orderID: Int64, created: Bool)?
                do {
                    try db.inSavepoint {
                        accepted = try Self.insertOrder(db, item.order, now: item.now)
                        return .commit
                    }
                } catch let error as StoreError {
                    guard db.isInsideTransaction else { throw error }
                    return .failure(error)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && db.isInsideTransaction {
                    return .failure(StoreError(.constraint, "order \(item.order.merchantID)/\(item.order.idempotencyKey): \(error.message ?? "constraint failed")"))
                }
                guard let accepted else { throw StoreError(.corrupt, "an order's savepoint returned nothing") }
                return .success(accepted)
            }
        }
        // The relay learns of new filings once per batch.
        if zip(orders, results).contains(where: { item, result in !item.order.filings.isEmpty && ((try? result.get().created) ?? false) }) {
            signal.signal()
        }
        return results
    }

    /// An order's rows inside the caller's transaction; the order already stored under its
    /// merchant and idempotency key is answered instead (`created: false`).
    static func insertOrder(_ db: Database, _ order: NewOrder, now: Millis) throws -> (orderID: Int64, created: Bool) {
        // Every statement of an order's commit is prepared once per connection (`cachedStatement`):
        // parsing them again for each order cost more than some of the inserts.
        if let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM orders WHERE merchant_id = ? AND idempotency_key = ?"),
            arguments: [order.merchantID, order.idempotencyKey]) {
            return (existing, false)
        }
        try db.cachedStatement(sql: """
            INSERT INTO orders (merchant_id, idempotency_key, external_reference, state, canonical_json, created_at, updated_at,
                                evaluation_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [order.merchantID, order.idempotencyKey, order.externalReference, order.state,
                                     order.canonicalJSON, now, now, order.evaluationJSON])
        let orderID = db.lastInsertedRowID
        for line in order.lines {
            try db.cachedStatement(sql: """
                INSERT INTO order_lines (order_id, line_number, description, hs_code, origin_country, value, currency,
                                         hs6, national_code, confidence, code_source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [orderID, line.lineNumber, line.description, line.hsCode, line.originCountry,
                                 "\(line.value)", line.currency, line.hs6, line.nationalCode, line.confidence.map { "\($0)" },
                                 line.codeSource])
        }
        try Self.appendChained(db, order.decisions.map { var d = $0; d.orderID = orderID; return d })
        for var item in order.reviews {
            item.orderID = orderID
            try Self.insertReview(db, item)
        }
        try Self.insertFilings(db, orderID: orderID, filings: order.filings, now: now)
        if var request = order.apiRequest {
            request.orderID = orderID
            try Self.recordRequest(db, request, now: now)
        }
        return (orderID, true)
    }

    public func transition(orderID: Int64, from expected: String, to state: String, filings: [NewFiling], now: Millis) async throws -> Bool {
        let moved = try await pool.write { db in
            try db.execute(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                           arguments: [state, now, orderID, expected])
            guard db.changesCount == 1 else { return false }
            try Self.insertFilings(db, orderID: orderID, filings: filings, now: now)
            return true
        }
        if moved && !filings.isEmpty { signal.signal() }
        return moved
    }

    public func enqueue(_ messages: [NewOutboxMessage], now: Millis) async throws -> [Int64] {
        let ids = try await pool.write { db in
            try messages.map { try Self.insertMessage(db, filingID: nil, message: $0, now: now) }
        }
        if !ids.isEmpty { signal.signal() }
        return ids
    }

    @discardableResult
    static func insertFilings(_ db: Database, orderID: Int64?, filings: [NewFiling], now: Millis) throws -> [FiledMessage] {
        var out: [FiledMessage] = []
        for filing in filings {
            try db.cachedStatement(sql: "INSERT INTO filings (order_id, adapter_id, kind, state, created_at) VALUES (?, ?, ?, 'queued', ?)").execute(
                           arguments: [orderID, filing.message.adapterID, filing.kind, now])
            let filingID = db.lastInsertedRowID
            try insertReferences(db, filingID: filingID, filing.references)
            out.append(FiledMessage(filingID: filingID, messageID: try insertMessage(db, filingID: filingID, message: filing.message, now: now)))
        }
        return out
    }

    static func insertMessage(_ db: Database, filingID: Int64?, message m: NewOutboxMessage, now: Millis) throws -> Int64 {
        do {
            try db.cachedStatement(sql: """
                INSERT INTO outbox (filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload,
                                    state, attempts, generation, available_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 1, ?, ?)
                """).execute(arguments: [filingID, m.idempotencyKey, m.adapterID, m.credentialID, m.orderingKey, m.contentType,
                                 Data(m.payload), now, now])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.constraint, "outbox already holds idempotency key \(m.idempotencyKey)")
        }
        return db.lastInsertedRowID
    }

    // MARK: Leasing and outcomes

    public func lease(owner: String, limit: Int, now: Millis, leaseMillis: Millis, adapters: Set<String>?) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let request = LeaseRequest(owner: owner, limit: limit, now: now, leaseMillis: leaseMillis, adapters: adapters)
        return try await pool.write { db in try Self.lease(db, request) }
    }

    /// The lease's statement, inside the caller's write transaction.
    static func lease(_ db: Database, _ r: LeaseRequest) throws -> [OutboxMessage] {
        guard r.limit > 0 else { return [] }
        let adapterClause = OutboxSQL.adapterClause(r.adapters).questionMarks
        // Due pending rows and expired leases are taken by two index walks in (state, available_at,
        // id) order that stop at `limit`, then merged. One `(pending AND …) OR (leased AND …)`
        // condition made SQLite collect and sort every due row for each lease: O(backlog) per lease.
        func arm(_ condition: String) -> String {
            """
            SELECT id, available_at FROM (SELECT o.id, o.available_at FROM outbox o
              WHERE \(condition) AND \(OutboxSQL.orderingKeyClear)\(adapterClause.sql) ORDER BY o.available_at, o.id LIMIT ?)
            """
        }
        let adapterArguments = Self.arguments(adapterClause.values)
        let sql = """
            UPDATE outbox SET state = 'leased', lease_owner = ?, lease_until = ?
            WHERE id IN (SELECT id FROM (\(arm("o.state = 'pending' AND o.available_at <= ?"))
                                         UNION ALL \(arm("o.state = 'leased' AND o.lease_until <= ?")))
                         ORDER BY available_at, id LIMIT ?)
            RETURNING \(OutboxSQL.columns)
            """
        // Each row is read straight from the statement as it steps (a cursor), not copied into a
        // `Row` of its own first: 18 columns of every leased row, inside the write transaction.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql),
                                       arguments: StatementArguments([r.owner, r.now + r.leaseMillis, r.now] as [any DatabaseValueConvertible])
                                           + adapterArguments + [r.limit, r.now] + adapterArguments + [r.limit, r.limit])
        return try Array(rows.map(Self.message)).sorted { $0.id < $1.id }
    }

    @discardableResult
    public func complete(messageID: Int64, owner: String, attempt: AttemptReport, outcome: DeliveryOutcome) async throws -> Bool {
        try await pool.write { db in
            try Self.complete(db, Completion(messageID: messageID, owner: owner, attempt: attempt, outcome: outcome))
        }
    }

    /// Group commit: every completion in one transaction, so one fsync covers them all.
    public func complete(_ batch: [Completion]) async throws -> [Result<Bool, StoreError>] {
        guard !batch.isEmpty else { return [] }
        return try await pool.write { db in try Self.complete(db, batch) }
    }

    /// The completions and the lease in one write transaction: one commit (and, at FULL, one fsync)
    /// for both, and the outbox pages both touch written once. The lease runs in a savepoint: if
    /// it fails, nothing is leased and the completions still commit.
    public func complete(_ batch: [Completion], thenLease next: LeaseRequest?) async throws
        -> (results: [Result<Bool, StoreError>], leased: [OutboxMessage]) {
        guard let next, next.limit > 0 else { return (try await complete(batch), []) }
        return try await pool.write { db in
            let results = try Self.complete(db, batch)
            var leased: [OutboxMessage] = []
            do {
                try db.inSavepoint {
                    leased = try Self.lease(db, next)
                    return .commit
                }
            } catch {
                leased = []
            }
            return (results, leased)
        }
    }

    private static func complete(_ db: Database, _ batch: [Completion]) throws -> [Result<Bool, StoreError>] {
        try batch.map { item in
            do {
                return .success(try Self.complete(db, item))
            } catch let error as StoreError {
                // Thrown before this item wrote anything; the others still commit.
                return .failure(error)
            }
        }
    }

    private static func complete(_ db: Database, _ c: Completion) throws -> Bool {
        let (messageID, owner, attempt, outcome) = (c.messageID, c.owner, c.attempt, c.outcome)
        do {
            // Cached statements and columns read by position: a batch runs these once per delivery.
            guard let row = try Row.fetchOne(db.cachedStatement(
                sql: "SELECT state, lease_owner, attempts, generation, last_attempt_id, filing_id FROM outbox WHERE id = ?"),
                arguments: [messageID]) else {
                throw StoreError(.corrupt, "outbox message \(messageID) does not exist")
            }
            let state: String = row[0]
            let leaseOwner: String? = row[1]
            let attempts: Int = row[2]
            let generation: Int = row[3]
            let previous: Int64? = row[4]
            let filingID: Int64? = row[5]
            let held = state == OutboxState.leased.rawValue && leaseOwner == owner
            try db.cachedStatement(sql: """
                INSERT INTO attempts (message_id, generation, number, previous_attempt_id, worker, started_at, finished_at,
                                      http_status, error_class, error, request_body, response_body, request_head, verdict)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [messageID, generation, attempts + 1, previous, attempt.worker, attempt.startedAt,
                                 attempt.finishedAt, attempt.httpStatus, attempt.errorClass?.rawValue, attempt.error,
                                 Data(attempt.requestBody), Data(attempt.responseBody), attempt.requestHead, attempt.verdict])
            let attemptID = db.lastInsertedRowID
            // A delivery reported by a worker that lost its lease still counts: the gateway has it.
            let deliveredLate = !held && outcome == .delivered && state != OutboxState.delivered.rawValue
            guard held || deliveredLate else { return false }
            let (newState, availableAt, deliveredAt) = Self.apply(outcome, finishedAt: attempt.finishedAt)
            try db.cachedStatement(sql: """
                UPDATE outbox SET state = ?, attempts = attempts + 1, available_at = COALESCE(?, available_at),
                  lease_owner = NULL, lease_until = NULL, last_error_class = ?, last_error = ?, last_attempt_id = ?,
                  delivered_at = ?
                WHERE id = ?
                """).execute(arguments: [newState.rawValue, availableAt, attempt.errorClass?.rawValue, attempt.error, attemptID,
                                 deliveredAt, messageID])
            // The filing was read with the row above: no second look-up, and none at all for a bare message.
            if let filingID {
                try db.cachedStatement(sql: "UPDATE filings SET state = ? WHERE id = ?")
                    .execute(arguments: [OutboxSQL.filingState(outcome), filingID])
            }
            // A DEAD row the gateway never judged (retries ran out, or it could not be sent) goes to review
            // here; a gateway's rejection carries a verdict, and its filing update opens the review item.
            if newState == .dead, attempt.verdict == nil { try Self.openDeadFilingReview(db, messageID: messageID, httpStatus: attempt.httpStatus, now: attempt.finishedAt) }
            return held
        }
    }

    static func apply(_ outcome: DeliveryOutcome, finishedAt: Millis) -> (OutboxState, Millis?, Millis?) {
        switch outcome {
        case .delivered: (.delivered, nil, finishedAt)
        case .retry(let at): (.pending, at, nil)
        case .dead: (.dead, nil, nil)
        }
    }

    public func release(messageIDs: [Int64], owner: String, availableAt: Millis) async throws {
        guard !messageIDs.isEmpty else { return }
        try await pool.write { db in
            let marks = Array(repeating: "?", count: messageIDs.count).joined(separator: ", ")
            try db.execute(sql: """
                UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, available_at = ?
                WHERE state = 'leased' AND lease_owner = ? AND id IN (\(marks))
                """, arguments: StatementArguments([availableAt, owner] as [any DatabaseValueConvertible]) + StatementArguments(messageIDs))
        }
        signal.signal()
    }

    // MARK: Reading and operating

    public func message(id: Int64) async throws -> OutboxMessage? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(OutboxSQL.columns) FROM outbox WHERE id = ?", arguments: [id]).map(Self.message)
        }
    }

    public func messages(_ filter: OutboxFilter) async throws -> [OutboxMessage] {
        let query = (filter.sqlWhere() + filter.sqlOrderAndLimit).questionMarks
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(OutboxSQL.columns) FROM outbox WHERE \(query.sql)",
                             arguments: Self.arguments(query.values)).map(Self.message)
        }
    }

    public func attempts(messageID: Int64) async throws -> [AttemptRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, message_id, generation, number, previous_attempt_id, worker, started_at, finished_at, http_status,
                       error_class, error, request_body, response_body, request_head, verdict
                FROM attempts WHERE message_id = ? ORDER BY id
                """, arguments: [messageID]).map { r in
                let errorClass: String? = r["error_class"]
                let request: Data = r["request_body"]
                let response: Data = r["response_body"]
                return AttemptRecord(
                    id: r["id"], messageID: r["message_id"], generation: r["generation"], number: r["number"],
                    previousAttemptID: r["previous_attempt_id"], worker: r["worker"], startedAt: r["started_at"],
                    finishedAt: r["finished_at"], httpStatus: r["http_status"], errorClass: errorClass.flatMap(ErrorClass.init),
                    error: r["error"], requestBody: Array(request), responseBody: Array(response), requestHead: r["request_head"],
                    verdict: r["verdict"])
            }
        }
    }

    public func stats() async throws -> OutboxStats {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT adapter_id, state, COUNT(*) AS n FROM outbox GROUP BY adapter_id, state ORDER BY adapter_id, state")
            return OutboxStats(rows: rows.compactMap { r in
                let state: String = r["state"]
                guard let s = OutboxState(rawValue: state) else { return nil }
                return OutboxStats.Row(adapterID: r["adapter_id"], state: s, count: r["n"])
            })
        }
    }

    public func reprocess(_ filter: OutboxFilter, now: Millis, reviewer: String, note: String?) async throws -> [Int64] {
        let clause = filter.sqlWhere(defaultStates: [.dead]).questionMarks
        let ids = try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                UPDATE outbox SET state = 'pending', attempts = 0, generation = generation + 1, available_at = ?,
                  lease_owner = NULL, lease_until = NULL, delivered_at = NULL
                WHERE \(clause.sql) AND state <> 'leased' RETURNING id, filing_id
                """, arguments: StatementArguments([now]) + Self.arguments(clause.values))
            let sent = rows.map { (id: $0["id"] as Int64, filingID: $0["filing_id"] as Int64?) }
            try Self.resolveDeadFilingReviews(db, sent, reviewer: reviewer, note: note, now: now)
            return sent.map(\.id).sorted()
        }
        if !ids.isEmpty { signal.signal() }
        return ids
    }

    public func pruneDelivered(before: Millis) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: """
                DELETE FROM attempts WHERE message_id IN (SELECT id FROM outbox WHERE state = 'delivered' AND delivered_at < ?)
                """, arguments: [before])
            try db.execute(sql: "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?", arguments: [before])
            return db.changesCount
        }
    }

    public func nextDue(adapters: Set<String>?) async throws -> Millis? {
        let query = OutboxSQL.nextDue(OutboxSQL.adapterClause(adapters)).questionMarks
        return try await pool.read { db in
            try Int64.fetchOne(db, sql: query.sql, arguments: Self.arguments(query.values))
        }
    }

    public func waitForWork(timeoutMillis: Millis) async {
        await signal.wait(timeoutMillis: timeoutMillis)
    }

    public func wake() { signal.signal() }

    public func order(id: Int64) async throws -> OrderRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(Self.orderColumns) FROM orders WHERE id = ?
                """, arguments: [id]).map(Self.orderRecord)
        }
    }

    public func orderLines(orderID: Int64) async throws -> [OrderLineRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(LedgerColumns.orderLine) FROM order_lines WHERE order_id = ? ORDER BY line_number
                """, arguments: [orderID]).map { try Self.orderLine($0, orderID: orderID) }
        }
    }

    /// A row of `LedgerColumns.orderLine` (the single and the batch read map lines here).
    static func orderLine(_ r: Row, orderID: Int64) throws -> OrderLineRecord {
        let value: String = r["value"]
        guard let decimal = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) else {
            throw StoreError(.corrupt, "order \(orderID) line value \(value) is not a decimal")
        }
        let confidence: String? = r["confidence"]
        return OrderLineRecord(lineNumber: r["line_number"], description: r["description"], hsCode: r["hs_code"],
                               originCountry: r["origin_country"], value: decimal, currency: r["currency"],
                               hs6: r["hs6"], nationalCode: r["national_code"],
                               confidence: confidence.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                               codeSource: r["code_source"])
    }

    public func filings(orderID: Int64) async throws -> [FilingRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.filingColumns) FROM filings WHERE order_id = ? ORDER BY id",
                             arguments: [orderID]).map(Self.filing)
        }
    }

    public func receive(_ event: InboxEvent) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO inbox (adapter_id, external_event_id, received_at, body) VALUES (?, ?, ?, ?)
                ON CONFLICT (adapter_id, external_event_id) DO NOTHING
                """, arguments: [event.adapterID, event.externalEventID, event.receivedAt, Data(event.body)])
            return db.changesCount == 1
        }
    }

    public func inbox(adapterID: String) async throws -> [InboxEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT adapter_id, external_event_id, received_at, body FROM inbox WHERE adapter_id = ? ORDER BY id",
                             arguments: [adapterID]).map { r in
                let body: Data = r["body"]
                return InboxEvent(adapterID: r["adapter_id"], externalEventID: r["external_event_id"], receivedAt: r["received_at"],
                                  body: Array(body))
            }
        }
    }

    @discardableResult
    public func append(_ d: DecisionRecord) async throws -> Int64 {
        try await pool.write { db in try Self.appendChained(db, [d])[0] }
    }

    public func decisions(orderID: Int64) async throws -> [DecisionRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.decisionColumns) FROM decisions WHERE order_id = ? ORDER BY id
                """, arguments: [orderID]).map(Self.decisionRecord)
        }
    }

    @discardableResult
    public func addReview(_ item: ReviewItem) async throws -> Int64 {
        try await pool.write { db in try Self.insertReview(db, item) }
    }

    public func reviewItems(state: String?) async throws -> [ReviewItem] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.reviewColumns) FROM review_items\(state == nil ? "" : " WHERE state = ?") ORDER BY id",
                             arguments: StatementArguments(state.map { [$0] } ?? [])).map(Self.reviewItem)
        }
    }

    public func resolveReview(id: Int64, resolution: String, now: Millis) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE review_items SET state = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND state = 'open'",
                           arguments: [now, resolution, id])
            return db.changesCount == 1
        }
    }

    public func close() async throws {
        try pool.close()
    }

    // MARK: Row mapping

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { v -> any DatabaseValueConvertible in
            switch v {
            case .int(let i): i
            case .text(let t): t
            }
        })
    }

    /// A row selected as `OutboxSQL.columns`, read by position: GRDB looks a column up by name
    /// with a case-insensitive search (a lower-cased copy of the name each time), and the lease
    /// does this for 18 columns of every row inside the single write transaction.
    static func message(_ r: Row) throws -> OutboxMessage {
        guard r.count == 18 else { throw StoreError(.corrupt, "outbox row has \(r.count) columns, expected the 18 of OutboxSQL.columns") }
        let stateText: String = r[8]
        guard let state = OutboxState(rawValue: stateText) else {
            throw StoreError(.corrupt, "outbox row has unknown state \(stateText)")
        }
        let payload: Data = r[7]
        let errorClass: String? = r[14]
        return OutboxMessage(
            id: r[0], filingID: r[1], idempotencyKey: r[2], adapterID: r[3],
            credentialID: r[4], orderingKey: r[5], contentType: r[6],
            payload: Array(payload), state: state, attempts: r[9], generation: r[10],
            availableAt: r[11], leaseOwner: r[12], leaseUntil: r[13],
            lastErrorClass: errorClass.flatMap(ErrorClass.init), lastError: r[15], createdAt: r[16],
            deliveredAt: r[17])
    }
}
