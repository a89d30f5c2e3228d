import AsyncHTTPClient
import Foundation
import GRDB
import LoopbackSink
import PostgresNIO
import Relay
import Store
import StorePostgres
import StoreSQLite
import Synchronization

// outbox-bench: how fast the outbox takes filings in and gets them out, for SQLite and PostgreSQL,
// beside the physical limit measured in the same run (plain durable single-row inserts with the
// same fsync settings). Release build only:
//
//   swift build -c release --product outbox-bench
//   .build/release/outbox-bench [--count N] [--postgres URL] [--sqlite-dir DIR] [--synchronous FULL]
//                               [--measures limit,enqueue,drain,flow] [--relays 1,3] [--transport http|ahc|null]
//                               [--sink-counts-only] [--in-flight 32]
//
// PostgreSQL runs only with --postgres (or CUSTOMS_HUB_POSTGRES_URL); it uses its own schema and
// drops it afterwards. Results are printed as a table and as JSON lines.

struct Options {
    var count = 2000
    var postgresURL: String? = ProcessInfo.processInfo.environment["CUSTOMS_HUB_POSTGRES_URL"]
    var sqliteDir = FileManager.default.temporaryDirectory.path
    var synchronous = "FULL"
    /// Which measures run: limit, enqueue, drain, flow.
    var measures: Set<String> = ["limit", "enqueue", "drain", "flow"]
    var relays = [1, 3]
    /// `http` (the loopback sink through the relay's HTTP/1.1 client), `ahc` (the same through
    /// AsyncHTTPClient) or `null` (answers 200 at once, no HTTP: the store and relay alone).
    var transport = "http"
    /// Keep every request the sink receives (headers, body), as tests need; off counts only.
    var sinkKeepsRequests = true
    /// Rows one relay keeps in flight (its `maxInFlight` and the route's `maxConcurrent`).
    var inFlight = 32

    static func parse(_ args: [String]) -> Options {
        var o = Options()
        var i = 1
        func value() -> String? { i += 1; return i < args.count ? args[i] : nil }
        while i < args.count {
            switch args[i] {
            case "--count": if let v = value().flatMap(Int.init), v > 0 { o.count = v }
            case "--in-flight": if let v = value().flatMap(Int.init), v > 0 { o.inFlight = v }
            case "--postgres": o.postgresURL = value()
            case "--no-postgres": o.postgresURL = nil
            case "--sqlite-dir": if let v = value() { o.sqliteDir = v }
            case "--synchronous": if let v = value() { o.synchronous = v }
            case "--measures": if let v = value() { o.measures = Set(v.split(separator: ",").map(String.init)) }
            case "--transport": if let v = value(), ["http", "ahc", "null"].contains(v) { o.transport = v }
            case "--sink-counts-only": o.sinkKeepsRequests = false
            case "--relays": if let v = value() { o.relays = v.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 } }
            default:
                FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8))
                exit(2)
            }
            i += 1
        }
        return o
    }
}

struct Result: Encodable {
    var engine: String
    var measure: String
    var relays: Int?
    var count: Int
    var seconds: Double
    /// CPU time of the whole process (relays, sink and SQLite all run in it) over the measure.
    var cpuSeconds: Double
    var perSecond: Double
    var p50Millis: Double?
    var p99Millis: Double?

    enum CodingKeys: String, CodingKey {
        case engine, measure, relays, count, seconds, cpuSeconds = "cpu_seconds"
        case perSecond = "per_second", p50Millis = "p50_ms", p99Millis = "p99_ms"
    }
}

func elapsed(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// CPU time of this process (all threads), user + system.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func payload(_ i: Int) -> [UInt8] {
    Array(#"{"filing":"\#(i)","declaration":{"lrn":"BENCH\#(i)","lines":[{"hs":"610910","value":"19.99"}]}}"#.utf8)
}

/// A fresh store of the engine, empty.
protocol Engine {
    var name: String { get }
    func makeStore() async throws -> any HubStore
    func extraHandle() async throws -> any HubStore
    /// Plain single-row inserts, one transaction each, on the same durability settings.
    func durableInsertLimit(count: Int) async throws -> Double
    func cleanup() async throws
}

final class SQLiteEngine: Engine {
    let name = "sqlite"
    let dir: URL
    let synchronous: String
    var announced = false
    var path: String { dir.appendingPathComponent("outbox.sqlite").path }

    init(base: String, synchronous: String) throws {
        dir = URL(fileURLWithPath: base).appendingPathComponent("outbox-bench-\(UUID().uuidString)")
        self.synchronous = synchronous
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func makeStore() async throws -> any HubStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteStore(path: path, synchronous: synchronous)
        try await store.migrate()
        if !announced {
            announced = true
            print("sqlite store: synchronous=\(try await store.synchronousLevel()) in force")
        }
        return store
    }

    func extraHandle() async throws -> any HubStore { try SQLiteStore(path: path, synchronous: synchronous) }

    func durableInsertLimit(count: Int) async throws -> Double {
        let file = dir.appendingPathComponent("limit.sqlite").path
        let pool = try DatabasePool(path: file, configuration: Configuration())
        // After opening: GRDB sets NORMAL on the writer when it turns the file to WAL (as in SQLiteStore).
        let mode = synchronous
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(mode)") }
        let level = try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        print("sqlite limit: synchronous=\(level.map(String.init) ?? "?") in force (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA)")
        try await pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        let body = Data(payload(0))
        let start = ContinuousClock.now
        for _ in 0..<count {
            try await pool.write { db in try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: [body]) }
        }
        let seconds = elapsed(start)
        try pool.close()
        return seconds
    }

    func cleanup() async throws { try? FileManager.default.removeItem(at: dir) }
}

final class PostgresEngine: Engine {
    let name = "postgres"
    let url: String
    var handles: [PostgresStore] = []

    init(base: String) {
        let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    func makeStore() async throws -> any HubStore {
        let store = try PostgresStore(url: url)
        try await store.dropAll()
        try await store.migrate()
        handles.append(store)
        return store
    }

    func extraHandle() async throws -> any HubStore {
        let store = try PostgresStore(url: url)
        handles.append(store)
        return store
    }

    func durableInsertLimit(count: Int) async throws -> Double {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw StoreError(.invalidURL, url)
        }
        let config = PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: user,
                                                  password: components.password, database: String(components.path.dropFirst()),
                                                  tls: .disable)
        let client = PostgresClient(configuration: config)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        // A regular (WAL-logged, fsynced at commit) table: temporary tables skip the WAL.
        let table = "bench_limit_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let logger = Logger(label: "outbox-bench")
        var settings: [String] = []
        for name in ["fsync", "synchronous_commit", "wal_sync_method"] {
            for try await value in try await client.query(PostgresQuery(unsafeSQL: "SHOW \(name)")).decode(String.self) {
                settings.append("\(name)=\(value)")
            }
        }
        print("postgres: " + settings.joined(separator: " "))
        let body = ByteBuffer(bytes: payload(0))
        let start = ContinuousClock.now
        try await client.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id BIGSERIAL PRIMARY KEY, body BYTEA NOT NULL)"), logger: logger)
            for _ in 0..<count {
                var bindings = PostgresBindings()
                bindings.append(body)
                try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (body) VALUES ($1)", binds: bindings), logger: logger)
            }
        }
        let seconds = elapsed(start)
        try await client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
        return seconds
    }

    func cleanup() async throws {
        if let first = handles.first { try? await first.dropAll() }
        for handle in handles { try? await handle.close() }
        handles = []
    }
}

func messages(_ range: Range<Int>, run: String) -> [NewOutboxMessage] {
    range.map { NewOutboxMessage(idempotencyKey: "\(run)-\($0)", adapterID: "sink", payload: payload($0)) }
}

func route(_ sink: LoopbackSink, inFlight: Int) -> AdapterRoute {
    AdapterRoute(adapterID: "sink", url: sink.url, retry: RetryPolicy(maxAttempts: 5, baseDelayMillis: 50, maxDelayMillis: 1000),
                 ratePerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: inFlight, timeoutMillis: 10_000)
}

/// Delivers everything in the outbox with `relays` relay instances (separate store handles),
/// while `producer` runs; returns once `expected` rows are delivered.
/// Answers 200 at once without HTTP: what the store and the relay cost on their own.
struct NullTransport: Transport {
    func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        TransportResponse(status: 200, headers: [:], body: [])
    }
}

final class DeliveryCount: Sendable {
    let value = Atomic<Int>(0)
}

func deliver(engine: any Engine, store: any HubStore, relays: Int, sink: LoopbackSink, expected: Int, transport: String = "http", inFlight: Int = 32,
             producer: @escaping @Sendable () async throws -> Void) async throws -> Double {
    var handles: [any HubStore] = [store]
    for _ in 1..<max(relays, 1) { handles.append(try await engine.extraHandle()) }
    let client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)))
    let ahc = HTTPClientTransport(client: client)
    // `http`: the relay's own HTTP/1.1 client (what `serve` uses); `ahc`: AsyncHTTPClient, as before.
    let http = HTTP1Transport(fallback: ahc)
    // Deliveries are counted as the relays record them. Polling `stats()` instead (a GROUP BY over the
    // whole outbox, 50 times a second) cost more than the relay itself once the outbox held 20,000 rows.
    let recorded = DeliveryCount()
    let instances = handles.enumerated().map { i, handle in
        Relay(store: handle, transport: transport == "null" ? NullTransport() as any Transport : transport == "ahc" ? ahc as any Transport : http, routes: [route(sink, inFlight: inFlight)],
              configuration: RelayConfiguration(owner: "bench-\(i)", maxInFlight: inFlight, leaseMillis: 30_000, idleMillis: 500),
              onEvent: { event in if event.event == "delivered" { recorded.value.add(1, ordering: .relaxed) } })
    }
    let tasks = instances.map { relay in Task { try await relay.run() } }
    let start = ContinuousClock.now
    try await producer()
    while recorded.value.load(ordering: .relaxed) < expected {
        try await Task.sleep(for: .milliseconds(5))
    }
    let seconds = elapsed(start)
    // The store must agree: every row delivered once, none lost to a failed record.
    let delivered = try await store.stats().count(.delivered)
    guard delivered >= expected else { throw StoreError(.corrupt, "relays reported \(recorded.value.load(ordering: .relaxed)) deliveries, the store holds \(delivered)") }
    for relay in instances { relay.stop() }
    for task in tasks { try await task.value }
    await http.shutdown()
    try await client.shutdown()
    if engine is SQLiteEngine { for handle in handles.dropFirst() { try await handle.close() } }
    return seconds
}

func latencies(_ store: any HubStore) async throws -> [Double] {
    try await store.messages(OutboxFilter(states: [.delivered])).compactMap { m in
        m.deliveredAt.map { Double($0 - m.createdAt) }
    }.sorted()
}

func run(_ engine: any Engine, count: Int, sink: LoopbackSink, options: Options) async throws -> [Result] {
    var results: [Result] = []
    var cpuStart = cpuNow()
    func add(_ measure: String, relays: Int? = nil, seconds: Double, latency: [Double] = []) {
        let cpu = cpuNow() - cpuStart
        let r = Result(engine: engine.name, measure: measure, relays: relays, count: count, seconds: seconds, cpuSeconds: cpu,
                       perSecond: Double(count) / seconds, p50Millis: percentile(latency, 0.5), p99Millis: percentile(latency, 0.99))
        results.append(r)
        let lat = r.p50Millis.map { String(format: "  p50 %.1f ms  p99 %.1f ms", $0, r.p99Millis ?? 0) } ?? ""
        let label = (engine.name.padding(toLength: 9, withPad: " ", startingAt: 0)
            + (measure + (relays.map { ", \($0) relay\($0 == 1 ? "" : "s")" } ?? "")).padding(toLength: 46, withPad: " ", startingAt: 0))
        print(label + String(format: "%9.0f /s  (%d in %.2f s, CPU %.2f s = %.0f µs per filing)", r.perSecond, count, seconds, cpu,
                             cpu * 1e6 / Double(count)) + lat)
    }
    func mark() { cpuStart = cpuNow() }

    if options.measures.contains("limit") {
        mark()
        add("durable single-row insert (limit)", seconds: try await engine.durableInsertLimit(count: count))
    }

    var store: any HubStore
    var start: ContinuousClock.Instant
    if options.measures.contains("enqueue") {
        store = try await engine.makeStore()
        mark()
        start = ContinuousClock.now
        for i in 0..<count { _ = try await store.enqueue(messages(i..<(i + 1), run: "one"), now: Date().millis) }
        add("enqueue, one per transaction", seconds: elapsed(start))

        store = try await engine.makeStore()
        mark()
        start = ContinuousClock.now
        for i in stride(from: 0, to: count, by: 100) {
            _ = try await store.enqueue(messages(i..<min(i + 100, count), run: "batch"), now: Date().millis)
        }
        add("enqueue, batches of 100", seconds: elapsed(start))
    }

    for relays in options.relays {
        if options.measures.contains("drain") {
            // Drain: the outbox is full, the relays empty it.
            store = try await engine.makeStore()
            for i in stride(from: 0, to: count, by: 500) {
                _ = try await store.enqueue(messages(i..<min(i + 500, count), run: "drain\(relays)"), now: Date().millis)
            }
            mark()
            let drain = try await deliver(engine: engine, store: store, relays: relays, sink: sink, expected: count, transport: options.transport,
                                    inFlight: options.inFlight) {}
            add("deliver, drain a full outbox", relays: relays, seconds: drain)
        }

        if options.measures.contains("flow") {
            // Flow: filings arrive one per transaction while the relays run; latency is enqueue → 2xx recorded.
            store = try await engine.makeStore()
            let producerStore = store
            mark()
            let flow = try await deliver(engine: engine, store: store, relays: relays, sink: sink, expected: count, transport: options.transport,
                                    inFlight: options.inFlight) {
                for i in 0..<count { _ = try await producerStore.enqueue(messages(i..<(i + 1), run: "flow\(relays)"), now: Date().millis) }
            }
            add("deliver, enqueue-to-delivery flow", relays: relays, seconds: flow, latency: try await latencies(store))
        }
    }
    try await engine.cleanup()
    return results
}

if CommandLine.arguments.dropFirst().first == "--relay-child" {
    try await relayChild(args: Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let (scaling, plainArguments) = ScalingOptions.parse(CommandLine.arguments)
let options = Options.parse(plainArguments)
if CommandLine.arguments.contains("--scaling") {
    try await runScaling(options: options, scaling: scaling)
    exit(0)
}
let sink = LoopbackSink()
try await sink.start()
sink.keepRequests(options.sinkKeepsRequests)
print("outbox-bench: \(options.count) filings per measure, \(ProcessInfo.processInfo.activeProcessorCount) cores, " +
      "load average \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"), " +
      "SQLite synchronous=\(options.synchronous), transport \(options.transport)" +
      (options.sinkKeepsRequests ? "" : ", sink counts only"))
var all: [Result] = []
all += try await run(try SQLiteEngine(base: options.sqliteDir, synchronous: options.synchronous), count: options.count, sink: sink, options: options)
if let url = options.postgresURL {
    all += try await run(PostgresEngine(base: url), count: options.count, sink: sink, options: options)
} else {
    print("postgres: skipped (no --postgres URL or CUSTOMS_HUB_POSTGRES_URL)")
}
await sink.stop()
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
for r in all { print(String(decoding: try encoder.encode(r), as: UTF8.self)) }
