import AsyncHTTPClient
import Foundation
import LoopbackSink
import PostgresNIO
import Relay
import Store
import StorePostgres
import Synchronization

// Relay scaling on one PostgreSQL outbox, with separate relay processes.
//
//   .build/release/outbox-bench --scaling --postgres URL [--count N] [--processes 1,2,3]
//                               [--latency-ms 20-200] [--cap 16] [--rate 5000] [--token-batch 64]
//
// Two cores cannot show CPU scaling, so the sink answers like a real gateway: each delivery waits
// a random 20–200 ms (uniform, so jitter included) before its 2xx, and each relay process sends at
// most `--cap` deliveries at once to the adapter (a gateway's per-client connection limit). A relay
// is then bound by latency × cap, not by CPU, and k processes should deliver k times as fast.
// The processes share one rate limit and breaker through the database (`SharedGateTransport`, as
// `serve` does on PostgreSQL); `--rate` is set high so it never throttles, but every send still
// needs a token from the adapter's one row, which is where lock waits would show; tokens are leased
// in batches of up to `--token-batch` (1: one UPDATE of the row per send, as before). `--rate 0`
// leaves the shared gate out (each process keeps only its own cap).
//
// The parent fills the outbox, starts k children (`--relay-child`), and on "go" they relay until
// every row is delivered. It samples `pg_locks` for ungranted locks while they run, and afterwards
// checks that the sink accepted no key twice and that no row took more than one attempt.

struct ScalingOptions {
    var processes = [1, 2, 3]
    var latency = 20...200
    var cap = 16
    var rate = 5000.0
    var tokenBatch = 64

    static func parse(_ args: [String]) -> (ScalingOptions, [String]) {
        var o = ScalingOptions()
        var rest: [String] = []
        var i = 0
        while i < args.count {
            let next: String? = i + 1 < args.count ? args[i + 1] : nil
            switch args[i] {
            case "--processes":
                o.processes = (next ?? "").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }; i += 1
            case "--latency-ms":
                let parts = (next ?? "").split(separator: "-").compactMap { Int($0) }
                if parts.count == 2, parts[0] <= parts[1] { o.latency = parts[0]...parts[1] } else if parts.count == 1 { o.latency = parts[0]...parts[0] }
                i += 1
            case "--cap": o.cap = next.flatMap(Int.init) ?? o.cap; i += 1
            case "--rate": o.rate = next.flatMap(Double.init) ?? o.rate; i += 1
            case "--token-batch": o.tokenBatch = next.flatMap(Int.init) ?? o.tokenBatch; i += 1
            case "--scaling": break
            default: rest.append(args[i])
            }
            i += 1
        }
        return (o, rest)
    }
}

/// What a relay child reports when it stops.
struct ChildReport: Codable {
    var owner: String
    var delivered = 0
    var leaseLost = 0
    var failed = 0
    var cpuSeconds = 0.0
    /// Token leases from the shared gate (UPDATEs of the adapter's row), and tokens that lapsed.
    var gateLeases = 0
    var tokensLapsed = 0
}

func scalingRoute(url: String, cap: Int, rate: Double) -> AdapterRoute {
    AdapterRoute(adapterID: "sink", url: url, retry: RetryPolicy(maxAttempts: 5, baseDelayMillis: 50, maxDelayMillis: 1000),
                 ratePerSecond: rate, burst: max(1, Int(rate)), maxConcurrent: cap, timeoutMillis: 10_000)
}

/// Child: connect, say "ready", wait for "go", relay until "stop" (or stdin closes), report.
func relayChild(args: [String]) async throws {
    var values: [String: String] = [:]
    var i = 0
    while i + 1 < args.count { values[args[i]] = args[i + 1]; i += 2 }
    guard let url = values["--postgres"], let sinkURL = values["--sink"], let owner = values["--owner"] else {
        FileHandle.standardError.write(Data("relay child: --postgres, --sink and --owner are required\n".utf8))
        exit(2)
    }
    let cap = values["--cap"].flatMap(Int.init) ?? 16
    let rate = values["--rate"].flatMap(Double.init) ?? 5000
    let batch = values["--token-batch"].flatMap(Int.init) ?? 64
    let store = try PostgresStore(url: url)
    _ = try await store.stats()
    let client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: cap)))
    let route = scalingRoute(url: sinkURL, cap: cap, rate: rate > 0 ? rate : 1_000_000)
    let counts = Mutex(ChildReport(owner: owner))
    // `--rate 0`: no shared gate, each process only its own cap (to show what the gate's row costs).
    let http = HTTP1Transport(fallback: HTTPClientTransport(client: client))
    let gate = rate > 0 ? SharedGateTransport(inner: http, gates: store, routes: [route], maxBatch: batch) : nil
    let transport: any Transport = gate ?? http
    let relay = Relay(store: store, transport: transport,
                      routes: [route], configuration: RelayConfiguration(owner: owner, maxInFlight: cap, leaseMillis: 30_000, idleMillis: 200),
                      onEvent: { event in
                          counts.withLock { c in
                              switch event.event {
                              case "delivered": c.delivered += 1
                              case "lease_lost": c.leaseLost += 1
                              default: c.failed += 1
                              }
                          }
                      })
    say("ready")
    guard readLine() == "go" else { exit(1) }
    let cpuStart = cpuNow()
    let task = Task { try await relay.run() }
    _ = readLine()   // "stop", or end of input
    relay.stop()
    try await task.value
    await http.shutdown()
    try await client.shutdown()
    try await store.close()
    var report = counts.withLock { $0 }
    report.cpuSeconds = cpuNow() - cpuStart
    if let stats = gate?.leaseStats { report.gateLeases = stats.leases; report.tokensLapsed = stats.lapsed }
    say(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
}

/// A line on stdout, unbuffered (the parent waits for it).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// Lines from a child's stdout, one at a time.
final class ChildProcess {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    private var buffer: [UInt8] = []

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    func line() -> String? {
        while true {
            if let n = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffer[..<n], as: UTF8.self)
                buffer.removeSubrange(...n)
                return text
            }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            buffer += data
        }
    }

    func send(_ text: String) { input.fileHandleForWriting.write(Data((text + "\n").utf8)) }
}

func postgresClient(url: String) throws -> PostgresClient {
    guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
        throw StoreError(.invalidURL, url)
    }
    return PostgresClient(configuration: .init(host: host, port: components.port ?? 5432, username: user, password: components.password,
                                               database: String(components.path.dropFirst()), tls: .disable))
}

func runScaling(options: Options, scaling: ScalingOptions) async throws {
    guard let base = options.postgresURL else {
        FileHandle.standardError.write(Data("--scaling needs --postgres URL (or CUSTOMS_HUB_POSTGRES_URL)\n".utf8))
        exit(2)
    }
    let sink = LoopbackSink()
    try await sink.start()
    sink.setLatency(scaling.latency)
    sink.keepRequests(false)
    let engine = PostgresEngine(base: base)
    let watcher = try postgresClient(url: base)
    let watcherTask = Task { await watcher.run() }
    let mean = Double(scaling.latency.lowerBound + scaling.latency.upperBound) / 2
    print("outbox-bench --scaling: \(options.count) filings per run, gateway latency \(scaling.latency.lowerBound)–\(scaling.latency.upperBound) ms " +
          "(mean \(Int(mean)) ms), cap \(scaling.cap) in flight per relay process (at most \(Int(Double(scaling.cap) * 1000 / mean)) /s each), " +
          "\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
    print("| relay processes | delivered /s | × one process | wall s | CPU s (relays + parent) | sink dup. | rows > 1 attempt | lease lost | lock-wait samples (max waiting) | token leases (lapsed) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    var first: Double?
    for k in scaling.processes {
        let store = try await engine.makeStore()
        for i in stride(from: 0, to: options.count, by: 500) {
            _ = try await store.enqueue(messages(i..<min(i + 500, options.count), run: "scale\(k)"), now: Date().millis)
        }
        sink.reset()
        var children: [ChildProcess] = []
        for n in 0..<k {
            children.append(try ChildProcess(arguments: ["--relay-child", "--postgres", engine.url, "--sink", sink.url, "--owner", "scale\(k)-\(n)",
                                                         "--cap", "\(scaling.cap)", "--rate", "\(scaling.rate)",
                                                         "--token-batch", "\(scaling.tokenBatch)"]))
        }
        for child in children where child.line() != "ready" { throw StoreError(.connection, "a relay child did not start") }
        let parentCPU = cpuNow()
        let start = ContinuousClock.now
        for child in children { child.send("go") }
        var samples = 0, waitingSamples = 0, maxWaiting = 0
        while try await store.stats().count(.delivered) < options.count {
            let waiting = try await ungrantedLocks(watcher)
            samples += 1
            if waiting > 0 { waitingSamples += 1 }
            maxWaiting = max(maxWaiting, waiting)
            try await Task.sleep(for: .milliseconds(50))
        }
        let seconds = elapsed(start)
        for child in children { child.send("stop") }
        var reports: [ChildReport] = []
        for child in children {
            while let line = child.line() {
                if let r = try? JSONDecoder().decode(ChildReport.self, from: Data(line.utf8)) { reports.append(r); break }
            }
            child.process.waitUntilExit()
        }
        let cpu = reports.map(\.cpuSeconds).reduce(0, +) + (cpuNow() - parentCPU)
        let retried = try await store.messages(OutboxFilter(states: [.delivered])).filter { $0.attempts > 1 }.count
        let rate = Double(options.count) / seconds
        if first == nil { first = rate }
        let perProcess = reports.map { "\($0.delivered)" }.joined(separator: "/")
        print("| \(k) (\(perProcess)) | \(Int(rate)) | \(String(format: "%.2f", rate / (first ?? rate))) | \(String(format: "%.2f", seconds)) | " +
              "\(String(format: "%.2f", cpu)) | \(sink.duplicates) | \(retried) | \(reports.map(\.leaseLost).reduce(0, +)) | " +
              "\(waitingSamples) of \(samples) (\(maxWaiting)) | \(reports.map(\.gateLeases).reduce(0, +)) (\(reports.map(\.tokensLapsed).reduce(0, +))) |")
    }
    try await engine.cleanup()
    watcherTask.cancel()
    await sink.stop()
}

/// Locks some backend is waiting for right now (in this database).
func ungrantedLocks(_ client: PostgresClient) async throws -> Int {
    var n = 0
    for try await count in try await client.query("SELECT COUNT(*)::BIGINT FROM pg_locks WHERE NOT granted").decode(Int64.self) {
        n = Int(count)
    }
    return n
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}
