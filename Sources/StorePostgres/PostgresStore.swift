import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Store
import Synchronization

/// The store for several hub instances sharing one database. Leasing is
/// `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`: concurrent workers skip each other's
/// rows instead of waiting on them, so no row is handed to two live workers. Enqueues `NOTIFY` a
/// channel that every instance `LISTEN`s on, so idle relays wake without polling.
///
/// The store is a `Service`: `run()` keeps its connection pool and the LISTEN connection alive
/// until it is cancelled or a graceful shutdown reaches it. A process with a `ServiceGroup` lists
/// the store first (so it stops last, after the services that use it drained); a command without
/// one runs its work inside `withRunning { … }`. Statements are postgres-nio interpolated queries:
/// every value is a bind (`$n`), SQL text is appended with `unescaped:` only where it is ours.
public final class PostgresStore: HubStore, Service {
    public let engine = "postgres"
    /// The LISTEN/NOTIFY channel for "new work" (per schema, so separate hubs on one database
    /// do not wake each other).
    public let channel: String
    /// The schema the tables live in when the URL names one (`?schema=name`); nil means `public`.
    public let schema: String?
    /// The URL the store was opened with (another instance can open the same one).
    public let url: String

    private let client: PostgresClient
    private let logger: Logger
    let signal = WorkSignal()

    /// Who runs the pool: nobody yet, `run()` (a service group or `withRunning`), or the
    /// unstructured task of `startInBackground()`. The pool can be run once.
    private enum Lifecycle {
        case unstarted, running, background(Task<Void, Never>), finished
    }
    private let lifecycle = Mutex(Lifecycle.unstarted)

    /// Opens the store without connecting: nothing reaches the database until `run()` runs (as a
    /// service, or in `withRunning`) or `startInBackground()` was called.
    ///
    /// `url`: `postgres://user[:password]@host[:port]/database[?schema=name]` (TLS is not used:
    /// loopback or a private network is assumed; put a TLS proxy in front otherwise).
    public init(unstarted url: String, logger: Logger = Logger(label: "customs-hub.store.postgres")) throws {
        let (config, schema) = try Self.configuration(from: url)
        self.client = PostgresClient(configuration: config)
        self.logger = logger
        self.schema = schema
        self.channel = "customs_hub_outbox" + (schema.map { "_" + $0 } ?? "")
        self.url = url
    }

    /// Opens the store and starts it in the background (`init(unstarted:)` + `startInBackground()`),
    /// for holders that have no service group and no scope to run it in (benchmarks, test fixtures
    /// that hand the store around); `close()` stops it. Prefer a service group or `withRunning`.
    public convenience init(url: String, logger: Logger = Logger(label: "customs-hub.store.postgres")) throws {
        try self.init(unstarted: url, logger: logger)
        try startInBackground()
    }

    /// Runs the pool and the LISTEN connection until the task is cancelled or a graceful shutdown
    /// is triggered, then returns (queries after that fail). Runs once per store.
    public func run() async throws {
        try claim(.running)
        defer { lifecycle.withLock { $0 = .finished } }
        await cancelWhenGracefulShutdown { await self.runPoolAndListener() }
    }

    /// Runs the store around `body`, for a command with no service group (a one-shot CLI command,
    /// a test): `run()` in a child task, cancelled when `body` returns or throws.
    public func withRunning<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self, isolation: isolation) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Starts the pool in an unstructured task that `close()` cancels. Only for holders with no
    /// service group and no scope to run `withRunning` in: its failures cannot reach a caller, and
    /// nothing waits for it unless `close()` is called.
    public func startInBackground() throws {
        try lifecycle.withLock { state in
            guard case .unstarted = state else { throw StoreError(.connection, "the PostgreSQL store was already started") }
            state = .background(Task { await self.runPoolAndListener() })
        }
    }

    private func claim(_ next: Lifecycle) throws {
        try lifecycle.withLock { state in
            guard case .unstarted = state else { throw StoreError(.connection, "the PostgreSQL store was already started") }
            state = next
        }
    }

    private func runPoolAndListener() async {
        let (client, channel, signal, logger) = (client, channel, signal, logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await Self.listen(client: client, channel: channel, signal: signal, logger: logger) }
            await group.next()
            group.cancelAll()
        }
    }

    static func configuration(from url: String) throws -> (PostgresClient.Configuration, String?) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw StoreError(.invalidURL, "expected postgres://user@host:port/database, got \(url)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard let user = components.user, !user.isEmpty, !database.isEmpty else {
            throw StoreError(.invalidURL, "postgres URL needs a user and a database: \(url)")
        }
        var config = PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: user,
                                                  password: components.password, database: database, tls: .disable)
        config.options.maximumConnections = 16
        let schema = components.queryItems?.first(where: { $0.name == "schema" })?.value
        if let schema {
            guard !schema.isEmpty, schema.count <= 48,
                  schema.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
                throw StoreError(.invalidURL, "schema must be lower-case letters, digits and _ (at most 48): \(schema)")
            }
            config.options.additionalStartupParameters = [("search_path", schema)]
        }
        return (config, schema)
    }

    /// Holds one connection in LISTEN for the store's lifetime, reconnecting after errors; every
    /// notification (and every reconnect, in case one was missed) wakes local waiters.
    private static func listen(client: PostgresClient, channel: String, signal: WorkSignal, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        signal.signal()
                        for try await _ in notifications { signal.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("LISTEN connection ended: \(error)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    // MARK: Query helpers

    /// A bind value of a row in a many-row `VALUES` list (rows mix types, and NULLs keep their column's cast).
    enum Arg {
        case int(Int64?)
        case text(String?)
        case bytes([UInt8])
    }

    func rows(_ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [PostgresRandomAccessRow] {
        let sequence = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        var out: [PostgresRandomAccessRow] = []
        for try await row in sequence { out.append(row.makeRandomAccess()) }
        return out
    }

    /// One pooled connection for a few statements that share session settings (the plan tests set
    /// `enable_seqscan` and `plan_cache_mode` on it).
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> sending T) async throws -> T {
        try await client.withConnection(body)
    }

    /// `withTransaction`, but the caller sees the error its own code threw (a `StoreError` with a
    /// clear message) rather than postgres-nio's wrapper.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> sending T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let cause = error.closureError { throw cause }
            throw StoreError(.connection, "transaction failed: \(String(reflecting: error))")
        }
    }

    @discardableResult
    func exec(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        try await rows(query, on: connection).count
    }

    // MARK: Migrations

    public func migrate() async throws {
        try await transaction { c in
            // One migrator at a time per schema across instances; hubs (and test fixtures) in
            // other schemas of the same database migrate side by side instead of queueing.
            let lockKey = "customs_hub_migrate:" + (self.schema ?? "public")
            _ = try await self.rows("SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))", on: c)
            if let schema = self.schema { _ = try await self.rows("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", on: c) }
            _ = try await self.rows("""
                CREATE TABLE IF NOT EXISTS \(unescaped: Migrations.ledgerTable) (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)
                """, on: c)
            let done = Set(try await self.rows("SELECT id FROM \(unescaped: Migrations.ledgerTable)", on: c).map { try $0["id"].decode(String.self) })
            for migration in Migrations.all where !done.contains(migration.id) {
                for statement in migration.statements(.postgres) { _ = try await self.rows(PostgresQuery(unsafeSQL: statement), on: c) }
                _ = try await self.rows("""
                    INSERT INTO \(unescaped: Migrations.ledgerTable) (id, applied_at) VALUES (\(migration.id), \(Date().millis))
                    """, on: c)
            }
        }
    }

    // MARK: Orders and the transactional outbox

    /// A handful of round trips whatever the order's size: one statement writes the order, its
    /// lines, review items, filings (with references and outbox rows) and the NOTIFY; then the
    /// decisions are chained (the chain head is locked only from there to the commit).
    public func accept(_ order: NewOrder, now: Millis) async throws -> (orderID: Int64, created: Bool) {
        try await transaction { c in try await self.insertOrder(order, now: now, on: c) }
    }

    /// Several orders in one transaction, each inside its own savepoint (one commit, one WAL flush
    /// for the batch, as SQLite's `accept(batch:)`): an order is still all or nothing, and an order
    /// whose own rows are refused (an outbox key or an API key taken, a unique violation) is rolled
    /// back to its savepoint and fails alone. Any other error fails the whole call, and nothing of
    /// the batch is kept. A later order under the key of an earlier one of the batch finds it
    /// (`created: false`), since the transaction sees its own rows.
    public func accept(batch orders: [(order: NewOrder, now: Millis)]) async throws -> [Result<(orderID: Int64, created: Bool), StoreError>] {
        guard !orders.isEmpty else { return [] }
        return try await transaction { c in
            var results: [Result<(orderID: Int64, created: Bool), StoreError>] = []
            results.reserveCapacity(orders.count)
            for item in orders {
                try await self.exec("SAVEPOINT accept_order", on: c)
                do {
                    let accepted = try await self.insertOrder(item.order, now: item.now, on: c)
                    try await self.exec("RELEASE SAVEPOINT accept_order", on: c)
                    results.append(.success(accepted))
                } catch let error as StoreError where error.code == .constraint {
                    try await self.exec("ROLLBACK TO SAVEPOINT accept_order", on: c)
                    results.append(.failure(error))
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                    try await self.exec("ROLLBACK TO SAVEPOINT accept_order", on: c)
                    results.append(.failure(StoreError(.constraint, "order \(item.order.merchantID)/\(item.order.idempotencyKey): \(error.serverInfo?[.message] ?? "unique violation") \(error.serverInfo?[.detail] ?? "")")))
                }
            }
            return results
        }
    }

    /// An order's rows inside the caller's transaction (see `accept(_:now:)`); the order already
    /// stored under its merchant and idempotency key is answered instead (`created: false`).
    func insertOrder(_ order: NewOrder, now: Millis, on c: PostgresConnection) async throws -> (orderID: Int64, created: Bool) {
        let lineChunks = order.lines.chunks(of: Self.rowsPerStatement)
        let reviewChunks = order.reviews.chunks(of: Self.rowsPerStatement)
        let filingChunks = order.filings.chunks(of: Self.filingsPerStatement)
        var q = Statement("""
            WITH ord AS (
              INSERT INTO orders (merchant_id, idempotency_key, external_reference, state, canonical_json, created_at, updated_at,
                                  evaluation_json)
              VALUES
            """)
        Self.appendRow([.text(order.merchantID), .text(order.idempotencyKey), .text(order.externalReference), .text(order.state),
                        .text(order.canonicalJSON), .int(now), .int(now), .text(order.evaluationJSON)], to: &q)
        q.appendLiteral(" ON CONFLICT (merchant_id, idempotency_key) DO NOTHING RETURNING id)")
        if let first = lineChunks.first {
            q.appendLiteral(", lin AS (")
            Self.insertLines(first, to: &q)
            q.appendLiteral(")")
        }
        if let first = reviewChunks.first {
            q.appendLiteral(", rev AS (")
            Self.insertReviews(first, to: &q)
            q.appendLiteral(")")
        }
        if let first = filingChunks.first {
            Self.filingCTEs(first, now: now, to: &q)
            q.appendLiteral("""

                SELECT ord.id, ARRAY(SELECT fid.n FROM fid LEFT JOIN box ON box.filing_id = fid.id WHERE box.id IS NULL ORDER BY fid.n) AS unfiled
                FROM ord CROSS JOIN (SELECT pg_notify(
                """)
            q.appendInterpolation(self.channel)
            q.appendLiteral(", '')) AS wake")
        } else {
            q.appendLiteral(" SELECT ord.id FROM ord")
        }
        guard let row = try await self.rows(PostgresQuery(stringInterpolation: q), on: c).first else {
            let existing = try await self.rows("""
                SELECT id FROM orders WHERE merchant_id = \(order.merchantID) AND idempotency_key = \(order.idempotencyKey)
                """, on: c)
            guard let row = existing.first else { throw StoreError(.corrupt, "order conflict without an existing order") }
            return (try row["id"].decode(Int64.self), false)
        }
        let orderID = try row["id"].decode(Int64.self)
        if let first = filingChunks.first, let n = try row["unfiled"].decode([Int64].self).first {
            throw Self.keyTaken(first[first.startIndex + Int(n) - 1].message.idempotencyKey)
        }
        // Orders beyond one statement's worth of rows.
        for chunk in lineChunks.dropFirst() {
            var q = Self.withOrd(orderID)
            Self.insertLines(chunk, to: &q)
            try await self.exec(PostgresQuery(stringInterpolation: q), on: c)
        }
        for chunk in reviewChunks.dropFirst() {
            var q = Self.withOrd(orderID)
            Self.insertReviews(chunk, to: &q)
            try await self.exec(PostgresQuery(stringInterpolation: q), on: c)
        }
        if filingChunks.count > 1 {
            try await self.insertFilings(orderID: orderID, filings: Array(order.filings.dropFirst(filingChunks[0].count)), now: now, on: c)
        }
        try await self.appendChained(order.decisions.map { var d = $0; d.orderID = orderID; return d }, on: c)
        if var request = order.apiRequest {
            request.orderID = orderID
            try await self.recordRequest(request, now: now, on: c)
        }
        return (orderID, true)
    }

    public func transition(orderID: Int64, from expected: String, to state: String, filings: [NewFiling], now: Millis) async throws -> Bool {
        try await transaction { c in
            let moved = try await self.rows("""
                UPDATE orders SET state = \(state), updated_at = \(now) WHERE id = \(orderID) AND state = \(expected) RETURNING id
                """, on: c)
            guard !moved.isEmpty else { return false }
            try await self.insertFilings(orderID: orderID, filings: filings, now: now, on: c)
            return true
        }
    }

    /// One statement (one round trip, its own transaction): the rows and the NOTIFY commit together.
    public func enqueue(_ messages: [NewOutboxMessage], now: Millis) async throws -> [Int64] {
        guard !messages.isEmpty else { return [] }
        guard messages.count <= 2000 else {
            // Bind parameters are limited to 65 535 per statement; big batches take the slower path.
            return try await transaction { c in
                var ids: [Int64] = []
                for m in messages { ids.append(try await self.insertMessage(filingID: nil, message: m, now: now, on: c)) }
                try await self.exec("NOTIFY \(unescaped: self.channel)", on: c)
                return ids
            }
        }
        var q = Statement("""
            WITH ins AS (
              INSERT INTO outbox (idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload,
                                  state, attempts, generation, available_at, created_at)
              VALUES
            """)
        for (i, m) in messages.enumerated() {
            q.appendLiteral(i == 0 ? " (" : ", (")
            for value in [m.idempotencyKey, m.adapterID, m.credentialID] { q.appendInterpolation(value); q.appendLiteral(", ") }
            q.appendInterpolation(m.orderingKey)
            q.appendLiteral(", ")
            q.appendInterpolation(m.contentType)
            q.appendLiteral(", ")
            q.appendInterpolation(ByteBuffer(bytes: m.payload))
            q.appendLiteral(", 'pending', 0, 1, ")
            q.appendInterpolation(now)
            q.appendLiteral(", ")
            q.appendInterpolation(now)
            q.appendLiteral(")")
        }
        q.appendLiteral(" RETURNING id)\nSELECT ins.id FROM ins CROSS JOIN (SELECT pg_notify(")
        q.appendInterpolation(channel)
        q.appendLiteral(", '')) AS wake ORDER BY ins.id")
        let query = PostgresQuery(stringInterpolation: q)
        let found = try await translatingConstraint { try await rows(query) }
        return try found.map { try $0["id"].decode(Int64.self) }
    }

    /// Turns PostgreSQL's unique violation into the same `StoreError` SQLite gives.
    private func translatingConstraint<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError(.constraint, "outbox already holds an idempotency key of this batch: \(error.serverInfo?[.detail] ?? "")")
        }
    }

    /// One statement per `filingsPerStatement` filings: the filings, their references and outbox
    /// rows, and the NOTIFY (delivered at commit, and only if the transaction commits).
    @discardableResult
    func insertFilings(orderID: Int64?, filings: [NewFiling], now: Millis, on c: PostgresConnection) async throws -> [FiledMessage] {
        var out: [FiledMessage] = []
        for chunk in filings.chunks(of: Self.filingsPerStatement) {
            var q = Self.withOrd(orderID)
            Self.filingCTEs(chunk, now: now, to: &q)
            q.appendLiteral("""

                SELECT fid.n, fid.id AS filing_id, box.id AS message_id
                FROM fid LEFT JOIN box ON box.filing_id = fid.id CROSS JOIN (SELECT pg_notify(
                """)
            q.appendInterpolation(channel)
            q.appendLiteral(", '')) AS wake ORDER BY fid.n")
            let found = try await rows(PostgresQuery(stringInterpolation: q), on: c)
            for row in found {
                let n = Int(try row["n"].decode(Int64.self))
                guard let messageID = try row["message_id"].decode(Int64?.self) else {
                    throw Self.keyTaken(chunk[chunk.startIndex + n - 1].message.idempotencyKey)
                }
                out.append(FiledMessage(filingID: try row["filing_id"].decode(Int64.self), messageID: messageID))
            }
        }
        return out
    }

    func insertMessage(filingID: Int64?, message m: NewOutboxMessage, now: Millis, on c: PostgresConnection) async throws -> Int64 {
        let inserted = try await rows("""
            INSERT INTO outbox (filing_id, idempotency_key, adapter_id, credential_id, ordering_key, content_type, payload,
                                state, attempts, generation, available_at, created_at)
            VALUES (\(filingID), \(m.idempotencyKey), \(m.adapterID), \(m.credentialID), \(m.orderingKey), \(m.contentType),
              \(ByteBuffer(bytes: m.payload)), 'pending', 0, 1, \(now), \(now))
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
            """, on: c)
        guard let row = inserted.first else { throw Self.keyTaken(m.idempotencyKey) }
        return try row["id"].decode(Int64.self)
    }

    // MARK: Leasing and outcomes

    /// Due pending rows and lapsed leases are taken in two ordered walks of `outbox_due` (state,
    /// available_at, id), each stopping after `limit` rows, and the earliest `limit` of both are
    /// leased. One condition with an OR (as `OutboxSQL.deliverable`) cannot walk that index in
    /// order: PostgreSQL then read and sorted every due row for each lease (about 1 ms at a
    /// backlog of 3,000, and one lease per freed slot on a latency-bound relay).
    public func lease(owner: String, limit: Int, now: Millis, leaseMillis: Millis, adapters: Set<String>?) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let adapterClause = OutboxSQL.adapterClause(adapters)
        let n = Int64(limit)
        let found = try await rows("""
            WITH due AS (
              SELECT o.id, o.available_at FROM outbox o
              WHERE o.state = 'pending' AND o.available_at <= \(now) AND \(unescaped: OutboxSQL.orderingKeyClear)\(adapterClause)
              ORDER BY o.state, o.available_at, o.id LIMIT \(n) FOR UPDATE SKIP LOCKED),
            lapsed AS (
              SELECT o.id, o.available_at FROM outbox o
              WHERE o.state = 'leased' AND o.lease_until <= \(now) AND \(unescaped: OutboxSQL.orderingKeyClear)\(adapterClause)
              ORDER BY o.state, o.available_at, o.id LIMIT \(n) FOR UPDATE SKIP LOCKED),
            pick AS (
              SELECT id FROM (SELECT id, available_at FROM due UNION ALL SELECT id, available_at FROM lapsed) t
              ORDER BY available_at, id LIMIT \(n))
            UPDATE outbox SET state = 'leased', lease_owner = \(owner), lease_until = \(now + leaseMillis)
            WHERE id IN (SELECT id FROM pick)
            RETURNING \(unescaped: OutboxSQL.columns)
            """)
        return try found.map(Self.message).sorted { $0.id < $1.id }
    }

    /// One statement (one round trip): lock the row, record the attempt, apply the outcome if the
    /// lease is still ours (or the outcome is a delivery), and mirror it on the filing.
    @discardableResult
    public func complete(messageID: Int64, owner: String, attempt: AttemptReport, outcome: DeliveryOutcome) async throws -> Bool {
        // A DEAD row the gateway never judged (retries ran out, or it could not be sent) opens a review
        // item on its order in the same transaction (rare: the slower path). A gateway's rejection
        // carries a verdict, and its filing update opens the review item.
        if outcome == .dead, attempt.verdict == nil { return try await completeDead(messageID: messageID, owner: owner, attempt: attempt) }
        return try await complete(messageID: messageID, owner: owner, attempt: attempt, outcome: outcome, on: nil)
    }

    func complete(messageID: Int64, owner: String, attempt: AttemptReport, outcome: DeliveryOutcome, on connection: PostgresConnection?) async throws -> Bool {
        let (newState, availableAt, deliveredAt): (OutboxState, Millis?, Millis?) = switch outcome {
        case .delivered: (.delivered, nil, attempt.finishedAt)
        case .retry(let at): (.pending, at, nil)
        case .dead: (.dead, nil, nil)
        }
        let found = try await rows("""
            WITH cur AS (
              SELECT id, state, lease_owner, attempts, generation, last_attempt_id, filing_id FROM outbox WHERE id = \(messageID) FOR UPDATE),
            att AS (
              INSERT INTO attempts (message_id, generation, number, previous_attempt_id, worker, started_at, finished_at,
                                    http_status, error_class, error, request_body, response_body, request_head, verdict)
              SELECT id, generation, attempts + 1, last_attempt_id, \(attempt.worker)::TEXT, \(attempt.startedAt)::BIGINT,
                \(attempt.finishedAt)::BIGINT, \(attempt.httpStatus.map(Int64.init))::INTEGER, \(attempt.errorClass?.rawValue)::TEXT,
                \(attempt.error)::TEXT,
                     \(ByteBuffer(bytes: attempt.requestBody))::BYTEA, \(ByteBuffer(bytes: attempt.responseBody))::BYTEA,
                       \(attempt.requestHead)::TEXT, \(attempt.verdict)::TEXT FROM cur
              RETURNING id),
            upd AS (
              UPDATE outbox o SET state = \(newState.rawValue)::TEXT, attempts = o.attempts + 1, available_at = COALESCE(\(availableAt)::BIGINT,
                o.available_at),
                lease_owner = NULL, lease_until = NULL, last_error_class = \(attempt.errorClass?.rawValue)::TEXT, last_error = \(attempt.error)::TEXT,
                last_attempt_id = (SELECT id FROM att), delivered_at = \(deliveredAt)::BIGINT
              FROM cur
              WHERE o.id = cur.id AND ((cur.state = 'leased' AND cur.lease_owner = \(owner)::TEXT) OR (\(outcome == .delivered ? 1 : 0)::BIGINT = 1
                AND cur.state <> 'delivered'))
              RETURNING o.id),
            fil AS (
              UPDATE filings f SET state = \(OutboxSQL.filingState(outcome))::TEXT FROM cur WHERE f.id = cur.filing_id AND EXISTS (SELECT 1
                FROM upd) RETURNING f.id)
            SELECT cur.state, cur.lease_owner, (SELECT COUNT(*) FROM att) AS recorded FROM cur
            """, on: connection)
        guard let row = found.first else { throw StoreError(.corrupt, "outbox message \(messageID) does not exist") }
        let state = try row["state"].decode(String.self)
        let leaseOwner = try row["lease_owner"].decode(String?.self)
        return state == OutboxState.leased.rawValue && leaseOwner == owner
    }

    public func release(messageIDs: [Int64], owner: String, availableAt: Millis) async throws {
        guard !messageIDs.isEmpty else { return }
        _ = try await rows("""
            UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, available_at = \(availableAt)
            WHERE state = 'leased' AND lease_owner = \(owner) AND id IN (\(list: messageIDs)) RETURNING id
            """)
        signal.signal()
    }

    // MARK: Reading and operating

    public func message(id: Int64) async throws -> OutboxMessage? {
        try await rows("SELECT \(unescaped: OutboxSQL.columns) FROM outbox WHERE id = \(id)").first.map(Self.message)
    }

    public func messages(_ filter: OutboxFilter) async throws -> [OutboxMessage] {
        try await rows("SELECT \(unescaped: OutboxSQL.columns) FROM outbox WHERE \(filter.sqlWhere())\(filter.sqlOrderAndLimit)").map(Self.message)
    }

    public func attempts(messageID: Int64) async throws -> [AttemptRecord] {
        try await rows("""
            SELECT id, message_id, generation, number, previous_attempt_id, worker, started_at, finished_at, http_status,
                   error_class, error, request_body, response_body, request_head, verdict
            FROM attempts WHERE message_id = \(messageID) ORDER BY id
            """).map { r in
            let request = try r["request_body"].decode(ByteBuffer.self)
            let response = try r["response_body"].decode(ByteBuffer.self)
            return AttemptRecord(
                id: try r["id"].decode(Int64.self), messageID: try r["message_id"].decode(Int64.self),
                generation: Int(try r["generation"].decode(Int64.self)), number: Int(try r["number"].decode(Int64.self)),
                previousAttemptID: try r["previous_attempt_id"].decode(Int64?.self), worker: try r["worker"].decode(String.self),
                startedAt: try r["started_at"].decode(Int64.self), finishedAt: try r["finished_at"].decode(Int64.self),
                httpStatus: try r["http_status"].decode(Int64?.self).map(Int.init),
                errorClass: try r["error_class"].decode(String?.self).flatMap(ErrorClass.init),
                error: try r["error"].decode(String?.self), requestBody: Array(buffer: request), responseBody: Array(buffer: response),
                requestHead: try r["request_head"].decode(String.self), verdict: try r["verdict"].decode(String?.self))
        }
    }

    public func stats() async throws -> OutboxStats {
        let found = try await rows("SELECT adapter_id, state, COUNT(*) AS n FROM outbox GROUP BY adapter_id, state ORDER BY adapter_id, state")
        return OutboxStats(rows: try found.compactMap { r in
            guard let state = OutboxState(rawValue: try r["state"].decode(String.self)) else { return nil }
            return OutboxStats.Row(adapterID: try r["adapter_id"].decode(String.self), state: state, count: Int(try r["n"].decode(Int64.self)))
        })
    }

    public func reprocess(_ filter: OutboxFilter, now: Millis, reviewer: String, note: String?) async throws -> [Int64] {
        let clause = filter.sqlWhere(defaultStates: [.dead])
        let ids = try await transaction { c in
            let found = try await self.rows("""
                UPDATE outbox SET state = 'pending', attempts = 0, generation = generation + 1, available_at = \(now),
                  lease_owner = NULL, lease_until = NULL, delivered_at = NULL
                WHERE \(clause) AND state <> 'leased' RETURNING id, filing_id
                """, on: c)
            let sent = try found.map { (id: try $0["id"].decode(Int64.self), filingID: try $0["filing_id"].decode(Int64?.self)) }
            try await self.resolveDeadFilingReviews(sent, reviewer: reviewer, note: note, now: now, on: c)
            if !found.isEmpty { try await self.exec("NOTIFY \(unescaped: self.channel)", on: c) }
            return sent.map(\.id).sorted()
        }
        return ids
    }

    public func pruneDelivered(before: Millis) async throws -> Int {
        try await transaction { c in
            try await self.exec("""
                DELETE FROM attempts WHERE message_id IN (SELECT id FROM outbox WHERE state = 'delivered' AND delivered_at < \(before)) RETURNING id
                """, on: c)
            return try await self.exec("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < \(before) RETURNING id", on: c)
        }
    }

    /// The earliest pending row and the earliest lease to lapse, each the first entry of an index
    /// walk (one `MIN` over both states read every pending row).
    public func nextDue(adapters: Set<String>?) async throws -> Millis? {
        let adapterClause = OutboxSQL.adapterClause(adapters)
        return try await rows("""
            SELECT LEAST((SELECT MIN(o.available_at) FROM outbox o WHERE o.state = 'pending'\(adapterClause)),
                         (SELECT MIN(o.lease_until) FROM outbox o WHERE o.state = 'leased'\(adapterClause)))
            """).first.flatMap { try $0[0].decode(Int64?.self) }
    }

    public func waitForWork(timeoutMillis: Millis) async {
        await signal.wait(timeoutMillis: timeoutMillis)
    }

    public func wake() { signal.signal() }

    public func order(id: Int64) async throws -> OrderRecord? {
        try await rows("""
            SELECT \(unescaped: Self.orderColumns) FROM orders WHERE id = \(id)
            """).first.map(Self.orderRecord)
    }

    public func orderLines(orderID: Int64) async throws -> [OrderLineRecord] {
        try await rows("""
            SELECT \(unescaped: LedgerColumns.orderLine) FROM order_lines WHERE order_id = \(orderID) ORDER BY line_number
            """).map { try Self.orderLine($0, orderID: orderID) }
    }

    /// A row of `LedgerColumns.orderLine` (the single and the batch read map lines here).
    static func orderLine(_ r: PostgresRandomAccessRow, orderID: Int64) throws -> OrderLineRecord {
        let value = try r["value"].decode(String.self)
        guard let decimal = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) else {
            throw StoreError(.corrupt, "order \(orderID) line value \(value) is not a decimal")
        }
        return OrderLineRecord(lineNumber: Int(try r["line_number"].decode(Int64.self)), description: try r["description"].decode(String.self),
                               hsCode: try r["hs_code"].decode(String?.self), originCountry: try r["origin_country"].decode(String?.self),
                               value: decimal, currency: try r["currency"].decode(String.self),
                               hs6: try r["hs6"].decode(String?.self), nationalCode: try r["national_code"].decode(String?.self),
                               confidence: try r["confidence"].decode(String?.self).flatMap(Self.decimal),
                               codeSource: try r["code_source"].decode(String?.self))
    }

    public func filings(orderID: Int64) async throws -> [FilingRecord] {
        try await rows("SELECT \(unescaped: Self.filingColumns) FROM filings WHERE order_id = \(orderID) ORDER BY id").map(Self.filing)
    }

    public func receive(_ event: InboxEvent) async throws -> Bool {
        let inserted = try await rows("""
            INSERT INTO inbox (adapter_id, external_event_id, received_at, body) VALUES (\(event.adapterID), \(event.externalEventID),
              \(event.receivedAt), \(ByteBuffer(bytes: event.body)))
            ON CONFLICT (adapter_id, external_event_id) DO NOTHING RETURNING id
            """)
        return !inserted.isEmpty
    }

    public func inbox(adapterID: String) async throws -> [InboxEvent] {
        try await rows("SELECT adapter_id, external_event_id, received_at, body FROM inbox WHERE adapter_id = \(adapterID) ORDER BY id").map { r in
            InboxEvent(adapterID: try r["adapter_id"].decode(String.self), externalEventID: try r["external_event_id"].decode(String.self),
                       receivedAt: try r["received_at"].decode(Int64.self), body: Array(buffer: try r["body"].decode(ByteBuffer.self)))
        }
    }

    @discardableResult
    public func append(_ d: DecisionRecord) async throws -> Int64 {
        try await transaction { c in try await self.appendChained([d], on: c)[0] }
    }

    public func decisions(orderID: Int64) async throws -> [DecisionRecord] {
        try await rows("""
            SELECT \(unescaped: Self.decisionColumns) FROM decisions WHERE order_id = \(orderID) ORDER BY id
            """).map(Self.decisionRecord)
    }

    @discardableResult
    public func addReview(_ item: ReviewItem) async throws -> Int64 {
        try await transaction { c in try await self.insertReview(item, on: c) }
    }

    public func reviewItems(state: String?) async throws -> [ReviewItem] {
        try await rows("""
            SELECT \(unescaped: Self.reviewColumns) FROM review_items \(state.map { SQLFragment("WHERE state = \($0)") } ?? "") ORDER BY id
            """).map(Self.reviewItem)
    }

    public func resolveReview(id: Int64, resolution: String, now: Millis) async throws -> Bool {
        !(try await rows("""
            UPDATE review_items SET state = 'resolved', resolved_at = \(now), resolution = \(resolution) WHERE id = \(id) AND state = 'open'
              RETURNING id
            """).isEmpty)
    }

    /// Stops a store started by `startInBackground()` (or `init(url:)`). A store that `run()` runs
    /// stops when its service group or `withRunning` scope ends; closing it does nothing.
    public func close() async throws {
        let task: Task<Void, Never>? = lifecycle.withLock { state in
            guard case .background(let task) = state else { return nil }
            state = .finished
            return task
        }
        guard let task else { return }
        task.cancel()
        await task.value
    }

    /// Drops every table this store created (and its schema, if it has its own). For tests and
    /// benchmarks on a scratch database only.
    public func dropAll() async throws {
        try await transaction { c in
            if let schema = self.schema {
                try await self.exec("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", on: c)
                return
            }
            for table in ["attempts", "outbox", "filing_references", "filings", "order_lines", "orders", "inbox", "decisions", "decision_chain", "review_items",
                          Migrations.ledgerTable] {
                try await self.exec("DROP TABLE IF EXISTS \(unescaped: table) CASCADE", on: c)
            }
        }
    }

    static func message(_ r: PostgresRandomAccessRow) throws -> OutboxMessage {
        let stateText = try r["state"].decode(String.self)
        guard let state = OutboxState(rawValue: stateText) else { throw StoreError(.corrupt, "outbox row has unknown state \(stateText)") }
        return OutboxMessage(
            id: try r["id"].decode(Int64.self), filingID: try r["filing_id"].decode(Int64?.self),
            idempotencyKey: try r["idempotency_key"].decode(String.self), adapterID: try r["adapter_id"].decode(String.self),
            credentialID: try r["credential_id"].decode(String.self), orderingKey: try r["ordering_key"].decode(String?.self),
            contentType: try r["content_type"].decode(String.self), payload: Array(buffer: try r["payload"].decode(ByteBuffer.self)),
            state: state, attempts: Int(try r["attempts"].decode(Int64.self)), generation: Int(try r["generation"].decode(Int64.self)),
            availableAt: try r["available_at"].decode(Int64.self), leaseOwner: try r["lease_owner"].decode(String?.self),
            leaseUntil: try r["lease_until"].decode(Int64?.self),
            lastErrorClass: try r["last_error_class"].decode(String?.self).flatMap(ErrorClass.init),
            lastError: try r["last_error"].decode(String?.self), createdAt: try r["created_at"].decode(Int64.self),
            deliveredAt: try r["delivered_at"].decode(Int64?.self))
    }
}
