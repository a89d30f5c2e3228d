import AdapterKit
import ArgumentParser
import AsyncHTTPClient
import CustomsModel
import Foundation
import JSONCore
import Logging
import Relay
import ServiceLifecycle
import Store
import StorePostgres
import StoreSQLite
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `customs-hub outbox …`: look into the outbox, put dead filings back, and run the relay.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect, reprocess and deliver the outbox.",
        discussion: Help.text("Times are RFC 3339; the database is --database, CUSTOMS_HUB_DATABASE, or customs-hub.sqlite in the data folder.",
                              example: "customs-hub outbox stats"),
        subcommands: [List.self, Show.self, Stats.self, Reprocess.self, Enqueue.self, Run.self])
}

/// Where the store is: a PostgreSQL URL, `sqlite:PATH`, or a plain SQLite path.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "postgres://user@host:port/db, sqlite:PATH or a SQLite path (default: $CUSTOMS_HUB_DATABASE, else customs-hub.sqlite in the data folder).")
    var database: String?

    /// Opens and migrates the store, runs `body` with it, and closes the store whether or not
    /// `body` threw (a PostgreSQL store runs, pool and LISTEN connection, only for that time).
    func with<T>(_ body: (any HubDatabase) async throws -> T) async throws -> T {
        let store = try opened()
        return try await Self.running(store) {
            try await migrate(store)
            return try await body(store)
        }
    }

    /// `with` for a command that only reads the store. A SQLite file named by `--database` or
    /// `CUSTOMS_HUB_DATABASE` must already exist: a mistyped name would otherwise be created empty and
    /// listed as "nothing stored" with exit 0. The data folder's default file is still created, as
    /// every command does.
    func reading<T>(_ body: (any HubDatabase) async throws -> T) async throws -> T {
        if let named = database ?? ProcessInfo.processInfo.environment["CUSTOMS_HUB_DATABASE"], !Self.isPostgres(named) {
            let path = named.hasPrefix("sqlite:") ? String(named.dropFirst("sqlite:".count)) : named
            if !path.isEmpty, !FileManager.default.fileExists(atPath: path) {
                throw Diagnostics.fail("database \(path) does not exist; this command only reads, so it creates none (check --database or CUSTOMS_HUB_DATABASE)",
                                       exit: Exit.configuration)
            }
        }
        return try await with(body)
    }

    /// Runs `body` with `store` running, then closes it. A PostgreSQL store's pool and LISTEN
    /// connection run in a task around `body` (`withRunning`): a command's start-up work (migrating,
    /// reading the store) comes before its service group exists, and around the whole command the
    /// store still stops last, after the group's services drained.
    static func running<T>(_ store: any ServerDatabase, _ body: () async throws -> T) async throws -> T {
        if let postgres = store as? PostgresStore { return try await postgres.withRunning(body) }
        do {
            let result = try await body()
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Opens the store without touching its data (a PostgreSQL store does not run yet: see
    /// `running`). An unreachable PostgreSQL is named (host and port) at once, and a SQLite file
    /// that does not exist yet is announced before it is created: both exit 3.
    func opened() throws -> any ServerDatabase {
        let spec = try self.spec()
        do {
            if Self.isPostgres(spec) {
                if let c = URLComponents(string: spec), let host = c.host, !host.isEmpty {
                    let port = c.port ?? 5432
                    if let problem = Reachability.problem(host: host, port: port, timeout: 3) {
                        throw Diagnostics.fail("cannot reach PostgreSQL at \(host):\(port): \(problem) (check --database or CUSTOMS_HUB_DATABASE)",
                                               exit: Exit.configuration)
                    }
                }
                return try PostgresStore(unstarted: spec)
            }
            let path = spec.hasPrefix("sqlite:") ? String(spec.dropFirst("sqlite:".count)) : spec
            guard !path.isEmpty else { throw ValidationError("--database sqlite: needs a path") }
            if !FileManager.default.fileExists(atPath: path) {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw Diagnostics.fail("database \(path): the folder \(folder) does not exist", exit: Exit.configuration)
                }
                Diagnostics.say("creating a new database at \(path)")
            }
            return try SQLiteStore(path: path)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            throw Diagnostics.fail("cannot open the database \(Self.redacted(spec)): \(error)", exit: Exit.configuration)
        }
    }

    /// Migrates a running store. A PostgreSQL server that accepted the connection but does not
    /// answer as PostgreSQL in time is named rather than waited for through the pool's retries (exit 3).
    func migrate(_ store: any ServerDatabase) async throws {
        let spec = try self.spec()
        var watchdog: Task<Void, Never>?
        if Self.isPostgres(spec), let c = URLComponents(string: spec), let host = c.host, !host.isEmpty {
            let port = c.port ?? 5432
            watchdog = Task.detached {
                try? await Task.sleep(nanoseconds: 10_000_000_000)
                if Task.isCancelled { return }
                Diagnostics.say("PostgreSQL at \(host):\(port) accepted the connection but did not answer within 10 s (check the host, port, user and database in --database)")
                Foundation.exit(Exit.configuration)
            }
        }
        defer { watchdog?.cancel() }
        do {
            try await store.migrate()
        } catch {
            throw Diagnostics.fail("cannot open the database \(Self.redacted(spec)): \(error)", exit: Exit.configuration)
        }
    }

    private func spec() throws -> String {
        let given = database ?? ProcessInfo.processInfo.environment["CUSTOMS_HUB_DATABASE"]
        return try given ?? DataFolder.file("customs-hub.sqlite").path
    }

    private static func isPostgres(_ spec: String) -> Bool { spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") }

    /// The database named without its password.
    static func redacted(_ spec: String) -> String {
        guard var c = URLComponents(string: spec), c.password != nil else { return spec }
        c.password = "***"
        return c.string ?? spec
    }
}

/// A TCP connection attempt with a deadline, to name an unreachable server at once rather than
/// after a connection pool's retries.
enum Reachability {
    /// Nil when `host:port` accepts a connection within `timeout` seconds, else why not.
    static func problem(host: String, port: Int, timeout: Double) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else { return "cannot resolve the host name (\(String(cString: gai_strerror(status))))" }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let a = entry {
            entry = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd < 0 { continue }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
            if connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return nil }
            guard errno == EINPROGRESS else { reason = String(cString: strerror(errno)); continue }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&p, 1, Int32(timeout * 1000))
            if ready == 0 { reason = "no answer within \(Int(timeout)) s"; continue }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err == 0 { return nil }
            reason = String(cString: strerror(err))
        }
        return reason
    }
}

/// The store keeps times as milliseconds; every command prints them as RFC 3339.
enum RFC3339Times {
    static let keys: Set<String> = ["available_at", "lease_until", "created_at", "delivered_at", "received_at", "resolved_at",
                                    "decided_at", "started_at", "finished_at", "updated_at"]

    static func convert(_ value: JSONValue) -> JSONValue { converted(value) ?? value }

    /// nil when nothing under `value` is a time: every output passes through here, and copying a
    /// large tree that has no times (an `edifact parse` of megabytes) cost as much as writing it.
    private static func converted(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let o):
            var out: JSONObject? = nil
            for member in o.members {
                let replacement: JSONValue?
                if keys.contains(member.key), case .number(let n) = member.value, let millis = Int64(n) {
                    replacement = .string(Timestamp.format(Date(millis: millis)))
                } else {
                    replacement = converted(member.value)
                }
                if let replacement {
                    if out == nil { out = o }
                    out?[member.key] = replacement
                }
            }
            return out.map(JSONValue.object)
        case .array(let items):
            var out: [JSONValue]? = nil
            for (i, item) in items.enumerated() {
                if let replacement = converted(item) {
                    if out == nil { out = items }
                    out?[i] = replacement
                }
            }
            return out.map(JSONValue.array)
        default:
            return nil
        }
    }
}

extension OutboxState: ExpressibleByArgument {}
extension ErrorClass: ExpressibleByArgument {}

/// The row selection shared by `list` and `reprocess`.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only rows in this state (pending, leased, delivered, dead); repeatable.")
    var state: [OutboxState] = []
    @Option(name: .long, help: "Only rows for this adapter.")
    var adapter: String?
    @Option(name: .customLong("error-class"), help: "Only rows whose last error had this class (retryable, permanent, unknown_delivery).")
    var errorClass: ErrorClass?
    @Option(name: .long, help: "Only rows created at or after this RFC 3339 time.")
    var since: String?
    @Option(name: .long, help: "Only rows created before this RFC 3339 time.")
    var until: String?
    @Option(name: .long, help: "At most this many rows.")
    var limit: Int?

    func filter(ids: [Int64]? = nil) throws -> OutboxFilter {
        func time(_ text: String?, _ flag: String) throws -> Millis? {
            guard let text else { return nil }
            guard let date = Timestamp.parse(text) else { throw ValidationError("\(flag) \(text) is not an RFC 3339 time") }
            return date.millis
        }
        return OutboxFilter(ids: ids, states: state.isEmpty ? nil : Set(state), adapterID: adapter, errorClass: errorClass,
                            createdAfter: try time(since, "--since"), createdBefore: try time(until, "--until"), limit: limit)
    }

    var isEmpty: Bool { state.isEmpty && adapter == nil && errorClass == nil && since == nil && until == nil }
}

extension OutboxCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List outbox rows as JSON lines (payload size, not bytes).",
            discussion: Help.text(example: "customs-hub outbox list --state pending"))
        @OptionGroup var db: DatabaseOption
        @OptionGroup var filter: FilterOptions

        func run() async throws {
            let selection = try filter.filter()
            try await db.reading { store in
                for row in try await store.messages(selection) { Output.line(row) }
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rows per adapter and state, counted from the rows themselves.",
            discussion: Help.text(example: "customs-hub outbox stats"))
        @OptionGroup var db: DatabaseOption

        func run() async throws {
            try await db.reading { store in
                for row in try await store.stats().rows { Output.line(row) }
            }
        }
    }

    struct Reprocess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put rows back to pending as a new generation (DEAD rows unless --state says otherwise).",
            discussion: Help.text(
                "Give ids, or a filter (--adapter, --error-class, --state, --since, --until), or --all-dead. Each next attempt links to the row's last attempt. Exit 1 when a named row was not reprocessed.",
                example: "customs-hub outbox reprocess --all-dead"))
        @OptionGroup var db: DatabaseOption
        @Argument(help: "Outbox row ids.") var ids: [Int64] = []
        @OptionGroup var filter: FilterOptions
        @Flag(name: .customLong("all-dead"), help: "Every DEAD row.") var allDead = false

        func validate() throws {
            if ids.isEmpty && filter.isEmpty && !allDead {
                throw ValidationError("name rows to reprocess: ids, a filter, or --all-dead")
            }
        }

        func run() async throws {
            let selection = try filter.filter(ids: ids.isEmpty ? nil : ids)
            let reprocessed = try await db.with { store in try await store.reprocess(selection, now: Date().millis, reviewer: ProcessInfo.processInfo.environment["USER"] ?? "cli", note: "customs-hub outbox reprocess") }
            struct Line: Encodable { var id: Int64; var state = "pending" }
            for id in reprocessed { Output.line(Line(id: id)) }
            if !ids.isEmpty {
                let missing = Set(ids).subtracting(reprocessed).sorted()
                for id in missing {
                    Diagnostics.say("outbox row \(id): not reprocessed (no such row, in flight, or not in the selected states)")
                }
                // A named row that was not reprocessed is a refusal the caller must see in the status.
                if !missing.isEmpty { throw ExitCode(1) }
            }
        }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enqueue filings from JSON lines (FILE or stdin): the lines `render --adapter` prints, or {\"idempotency_key\",\"adapter_id\",\"payload\"|\"body\",…}.",
            discussion: Help.text(
                """
                A `render` line is taken unchanged: its `body` is delivered byte for byte with its `content_type`, under the \
                idempotency key in the adapter's idempotency header (or one derived from adapter and body). The other form takes \
                `payload` (any JSON value, sent as its JSON text) or `body` (text, sent as is), and optionally credential_id, \
                ordering_key, content_type. Unknown adapters, unknown fields, empty or over-long keys and control characters in \
                the key or content type are refused. One JSON line per input line: {"line":N,"id":…,"filing_id":…} or \
                {"line":N,"error":…}. Exit 1 when some line was refused (a key already in the outbox included).
                """,
                example: "customs-hub outbox enqueue Fixtures/outbox/enqueue.jsonl"))
        @OptionGroup var db: DatabaseOption
        @Argument(help: "Filings (JSON lines); - or nothing for stdin.") var file: String?
        @Option(name: .long, help: .hidden) var input: String?

        struct Enqueued: Encodable {
            var line: Int
            var id: Int64?
            var filingID: Int64?
            var error: String?
            enum CodingKeys: String, CodingKey { case line, id, error, filingID = "filing_id" }
        }

        func run() async throws {
            let data = Data(try Input.bytes(try Input.path(file, deprecated: input)))
            let catalog = try loadCatalogOrExit()
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let refused = try await db.with { store in try await enqueue(lines, catalog: catalog, into: store) }
            if refused { throw ExitCode(1) }
        }

        private func enqueue(_ lines: [Substring], catalog: AdapterCatalog, into store: any HubStore) async throws -> Bool {
            var refused = false
            for (index, raw) in lines.enumerated() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                let number = index + 1
                do {
                    let filing = try EnqueueLine.parse(Array(raw.utf8), catalog: catalog)
                    let filed = try await store.file([filing], orderID: nil, now: Date().millis)
                    Output.line(Enqueued(line: number, id: filed.first?.messageID, filingID: filed.first?.filingID))
                } catch {
                    refused = true
                    Output.line(Enqueued(line: number, error: "line \(number): \(EnqueueLine.describe(error))"))
                }
            }
            return refused
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One outbox row with its filing, and every attempt's request, response and reasons (one JSON object).",
            discussion: Help.text("Exit 1 when there is no such row.", example: "customs-hub outbox show 1"))
        @OptionGroup var db: DatabaseOption
        @Argument(help: "Outbox row id.") var id: Int64

        func run() async throws {
            let found = try await db.reading { store in try await OutboxDetail.load(id: id, from: store) }
            guard let found else {
                Diagnostics.say("no outbox row \(id)")
                throw ExitCode(1)
            }
            Output.line(found)
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "relay",
            abstract: "Deliver the outbox until SIGTERM/SIGINT (then finish in-flight rows and exit), or once with --once.",
            discussion: Help.text(
                "Without --route or --adapter, every adapter in Adapters/ is delivered as its file says. Every delivery and failure is logged to stderr as one JSON line. The example sends to a port where nothing listens: the row stays pending for a later try.",
                example: "customs-hub outbox relay --once --timeout-ms 1000 --route easypost=http://127.0.0.1:9/filings"))
        @OptionGroup var db: DatabaseOption
        @Option(name: .long, help: "ADAPTER=URL: deliver ADAPTER's rows by HTTP POST to URL; repeatable.")
        var route: [String] = []
        @Option(name: .long, help: "ID or ID=URL: deliver adapter ID as its Adapters/ID.yaml says (endpoint, rate limit, retry, idempotency header); URL overrides the endpoint. Repeatable.")
        var adapter: [String] = []
        @Option(name: .long, help: "ADAPTER=URL-with-{key}: settle unknown deliveries by GET before resending.")
        var statusQuery: [String] = []
        @Option(name: .long, help: "Lease owner name (default: host-pid).") var owner: String?
        @Option(name: .long, help: "Rows in flight at once.") var maxInFlight = 64
        @Option(name: .long, help: "Requests in flight per adapter.") var maxConcurrent = 32
        @Option(name: .long, help: "Lease length in ms (a crashed relay's rows come back after this).") var leaseMs: Int64 = 60_000
        @Option(name: .long, help: "Attempts before DEAD (default 8 for --route; for --adapter, overrides the adapter file's retry.max_attempts).") var maxAttempts: Int?
        @Flag(name: .long, help: "Deliver what is due now, wait for the answers, and exit.") var once = false
        @Option(name: .long, help: "First backoff ceiling in ms.") var baseDelayMs: Int64 = 500
        @Option(name: .long, help: "Backoff cap in ms.") var maxDelayMs: Int64 = 300_000
        @Option(name: .long, help: "Requests per second per adapter and credential.") var rate: Double = 100
        @Option(name: .long, help: "Token bucket burst.") var burst = 50
        @Option(name: .long, help: "Request timeout in ms; no answer by then is an unknown delivery.") var timeoutMs: Int64 = 10_000

        func routes() throws -> [AdapterRoute] {
            func pairs(_ items: [String], _ flag: String) throws -> [String: String] {
                var out: [String: String] = [:]
                for item in items {
                    guard let eq = item.firstIndex(of: "="), eq != item.startIndex, item.index(after: eq) != item.endIndex else {
                        throw ValidationError("\(flag) \(item): expected ADAPTER=URL")
                    }
                    out[String(item[..<eq])] = String(item[item.index(after: eq)...])
                }
                return out
            }
            let targets = try pairs(route, "--route")
            let queries = try pairs(statusQuery, "--status-query")
            if let maxAttempts, maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
            var routes = targets.sorted { $0.key < $1.key }.map { adapter, url in
                AdapterRoute(adapterID: adapter, url: url,
                             retry: RetryPolicy(maxAttempts: maxAttempts ?? 8, baseDelayMillis: baseDelayMs, maxDelayMillis: maxDelayMs),
                             ratePerSecond: rate, burst: burst, maxConcurrent: maxConcurrent, timeoutMillis: timeoutMs,
                             unknownDelivery: queries[adapter].map { .queryStatus(urlTemplate: $0) } ?? .resendWithSameKey)
            }
            // No routes named: every adapter the content folder defines, as its file says.
            let named = !targets.isEmpty || !adapter.isEmpty
            if !adapter.isEmpty || !named {
                let catalog = try loadCatalogOrExit()
                let items = named ? adapter : catalog.adapters.keys.sorted().filter { catalog.adapters[$0]?.outbound != nil }
                for item in items {
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    let id = parts[0]
                    do {
                        var route = try AdapterRoute(definition: try catalog.adapter(id), url: parts.count > 1 ? parts[1] : nil)
                        if let query = queries[id] { route.unknownDelivery = .queryStatus(urlTemplate: query) }
                        if let maxAttempts { route.retry.maxAttempts = maxAttempts }
                        routes.append(route)
                    } catch {
                        throw ValidationError("--adapter \(item): \(error)")
                    }
                }
            }
            return routes
        }

        func run() async throws {
            let routes = try routes()
            let store = try db.opened()
            try await DatabaseOption.running(store) {
                try await db.migrate(store)
                try await relay(store: store, routes: routes)
            }
        }

        /// The relay on a running store, until it drained after SIGTERM/SIGINT (or after one pass
        /// with `--once`); the store stops after it (see `DatabaseOption.running`).
        private func relay(store: any ServerDatabase, routes: [AdapterRoute]) async throws {
            let name = owner ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
            var logger = Logger(label: "customs-hub.relay")
            logger.logLevel = .notice
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let relay = Relay(store: store, transport: RoutingTransport(http: HTTP1Transport(fallback: HTTPClientTransport(client: client))), routes: routes,
                              configuration: RelayConfiguration(owner: name, maxInFlight: maxInFlight, leaseMillis: leaseMs),
                              logger: logger,
                              onAlert: { alert in
                                  Diagnostics.say("alert: adapter \(alert.adapterID) circuit \(alert.transition.rawValue)")
                              },
                              onEvent: { event in
                                  let line = (try? CanonicalJSON.encode(event)) ?? "{}"
                                  FileHandle.standardError.write(Data((line + "\n").utf8))
                              })
            if once {
                do { try await relay.runOnce() } catch {
                    try? await client.shutdown()
                    throw error
                }
                try await client.shutdown()
                return
            }
            let group = ServiceGroup(configuration: .init(services: [relay], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            try await client.shutdown()
        }
    }
}
