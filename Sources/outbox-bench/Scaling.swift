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
//                               [--latency-ms 20-200] [--cap 16] [--rate 5000] [--token-batch 64] [--prefetch N]
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
    /// Rows each relay leases ahead (`RelayConfiguration.prefetch`); nil: the relay's default.
    var prefetch: Int?

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
            case "--prefetch": o.prefetch = next.flatMap(Int.init); i += 1
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
    /// Where each delivery's slot went (milliseconds summed over deliveries; see `SlotTimes`).
    var slots = SlotTimes.Sums()
}

/// Monotonic nanoseconds, comparable between the parent and its children (same machine).
func monotonicNanos() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// Times each delivery's passage through a relay child, by idempotency key: the relay's send
/// (`outer`, through the shared gate), the HTTP round trip (`inner`), and the relay's delivery
/// event (after the outcome was recorded, just before the slot is given back). What a slot spends
/// outside these (waiting for a lease, the loop) is the rest of `cap × wall / deliveries`.
final class SlotTimes: Sendable {
    struct Sums: Codable {
        var deliveries = 0
        /// Outer send in → inner send in (breaker read, token).
        var gateBeforeMillis = 0.0
        /// The HTTP round trip, gateway latency included.
        var httpMillis = 0.0
        /// Inner out → outer out (the outcome reported to the shared breaker).
        var gateAfterMillis = 0.0
        /// Outer out → delivery event (classify, record the attempt and outcome).
        var recordMillis = 0.0
        /// First send and last delivery event of the child (monotonic ns).
        var firstSend: UInt64 = 0
        var lastEvent: UInt64 = 0
    }
    private struct Open { var outerIn: UInt64; var innerIn: UInt64 = 0; var innerOut: UInt64 = 0; var outerOut: UInt64 = 0 }
    private struct State { var open: [String: Open] = [:]; var sums = Sums() }
    private let state = Mutex(State())

    var sums: Sums { state.withLock { $0.sums } }

    func mark(_ key: String, outer: Bool, entering: Bool) {
        let now = monotonicNanos()
        state.withLock { s in
            if outer, entering {
                s.open[key] = Open(outerIn: now)
                if s.sums.firstSend == 0 { s.sums.firstSend = now }
                return
            }
            guard var o = s.open[key] else { return }
            switch (outer, entering) {
            case (false, true): o.innerIn = now
            case (false, false): o.innerOut = now
            default: o.outerOut = now
            }
            s.open[key] = o
        }
    }

    func delivered(_ key: String) {
        let now = monotonicNanos()
        state.withLock { s in
            s.sums.lastEvent = now
            guard let o = s.open.removeValue(forKey: key), o.innerIn > 0, o.outerOut > 0 else { return }
            s.sums.deliveries += 1
            s.sums.gateBeforeMillis += Double(o.innerIn - o.outerIn) / 1e6
            s.sums.httpMillis += Double(o.innerOut - o.innerIn) / 1e6
            s.sums.gateAfterMillis += Double(o.outerOut - o.innerOut) / 1e6
            s.sums.recordMillis += Double(now - o.outerOut) / 1e6
        }
    }
}

/// Marks a request's way in and out of `inner` in `SlotTimes`.
struct TimedTransport: Transport {
    let inner: any Transport
    let times: SlotTimes
    let outer: Bool

    func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        let key = request.headers["idempotency-key"] ?? ""
        times.mark(key, outer: outer, entering: true)
        defer { times.mark(key, outer: outer, entering: false) }
        return try await inner.send(request, timeoutMillis: timeoutMillis)
    }
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
    let prefetch = values["--prefetch"].flatMap(Int.init)
    let store = try PostgresStore(url: url)
    _ = try await store.stats()
    let client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: cap)))
    let route = scalingRoute(url: sinkURL, cap: cap, rate: rate > 0 ? rate : 1_000_000)
    let counts = Mutex(ChildReport(owner: owner))
    let times = SlotTimes()
    // `--rate 0`: no shared gate, each process only its own cap (to show what the gate's row costs).
    let http = HTTP1Transport(fallback: HTTPClientTransport(client: client))
    let timedHTTP = TimedTransport(inner: http, times: times, outer: false)
    let gate = rate > 0 ? SharedGateTransport(inner: timedHTTP, gates: store, routes: [route], maxBatch: batch) : nil
    let transport: any Transport = TimedTransport(inner: gate ?? timedHTTP, times: times, outer: true)
    let relay = Relay(store: store, transport: transport,
                      routes: [route], configuration: RelayConfiguration(owner: owner, maxInFlight: cap, leaseMillis: 30_000, idleMillis: 200,
                                                                        prefetch: prefetch),
                      onEvent: { event in
                          times.delivered(event.idempotencyKey)
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
    report.slots = times.sums
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
          "rows leased ahead \(scaling.prefetch.map(String.init) ?? "default"), \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
    print("| relay processes | delivered /s | × one process | wall s | CPU s (relays + parent) | sink dup. | rows > 1 attempt | lease lost | lock-wait samples (max waiting) | token leases (lapsed) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    var first: Double?
    var breakdown: [String] = []
    for k in scaling.processes {
        let store = try await engine.makeStore()
        for i in stride(from: 0, to: options.count, by: 500) {
            _ = try await store.enqueue(messages(i..<min(i + 500, options.count), run: "scale\(k)"), now: Date().millis)
        }
        // Statistics as autovacuum keeps them on a live outbox (a table filled a moment ago has
        // none, and the planner would take the backlog for a few rows).
        if let pg = store as? PostgresStore {
            try await watcher.query(PostgresQuery(unsafeSQL: "ANALYZE \(pg.schema.map { $0 + "." } ?? "")outbox"))
        }
        sink.reset()
        var children: [ChildProcess] = []
        for n in 0..<k {
            children.append(try ChildProcess(arguments: ["--relay-child", "--postgres", engine.url, "--sink", sink.url, "--owner", "scale\(k)-\(n)",
                                                         "--cap", "\(scaling.cap)", "--rate", "\(scaling.rate)",
                                                         "--token-batch", "\(scaling.tokenBatch)"]
                                                         + (scaling.prefetch.map { ["--prefetch", "\($0)"] } ?? [])))
        }
        for child in children where child.line() != "ready" { throw StoreError(.connection, "a relay child did not start") }
        let parentCPU = cpuNow()
        let machineBefore = machineJiffies()
        let postgresBefore = postgresJiffies()
        let loadBefore = loadAverage()
        let goNanos = monotonicNanos()
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
        let endNanos = monotonicNanos()
        let machine = machineJiffies().delta(from: machineBefore)
        let postgresAfter = postgresJiffies()
        let postgresSeconds = postgresAfter.reduce(0.0) { $0 + $1.value - (postgresBefore[$1.key] ?? 0) } / clockTicks
        let parentSeconds = cpuNow() - parentCPU
        let sinkTotals = sink.latencyTotals
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
        breakdown.append(slotBreakdown(k: k, cap: scaling.cap, count: options.count, seconds: seconds, reports: reports, sink: sinkTotals,
                                       goNanos: goNanos, endNanos: endNanos, parentSeconds: parentSeconds, postgresSeconds: postgresSeconds,
                                       machine: machine, load: loadBefore))
        let perProcess = reports.map { "\($0.delivered)" }.joined(separator: "/")
        print("| \(k) (\(perProcess)) | \(Int(rate)) | \(String(format: "%.2f", rate / (first ?? rate))) | \(String(format: "%.2f", seconds)) | " +
              "\(String(format: "%.2f", cpu)) | \(sink.duplicates) | \(retried) | \(reports.map(\.leaseLost).reduce(0, +)) | " +
              "\(waitingSamples) of \(samples) (\(maxWaiting)) | \(reports.map(\.gateLeases).reduce(0, +)) (\(reports.map(\.tokensLapsed).reduce(0, +))) |")
    }
    print("")
    print("Where a delivery slot's time goes (ms per delivery, means; free = cap × active time − busy). CPU per delivery in µs;")
    print("PostgreSQL = all `postgres` processes of the machine; machine = busy share of all cores over the run.")
    print("| relay processes (load before) | slot cycle = cap × wall / n | drawn latency | sink handler | HTTP round trip | gate before + after | record outcome | free slot | start lag / tail ms | CPU µs per delivery: relays + sink process + PostgreSQL | machine busy |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for line in breakdown { print(line) }
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

/// Clock ticks per second of /proc's CPU counters.
let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))

struct MachineJiffies {
    var busy = 0.0
    var total = 0.0
    func delta(from before: MachineJiffies) -> MachineJiffies { MachineJiffies(busy: busy - before.busy, total: total - before.total) }
}

/// Busy and total ticks of all cores together (/proc/stat's `cpu` line; idle and iowait are not busy).
func machineJiffies() -> MachineJiffies {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return MachineJiffies() }
    let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard v.count >= 5 else { return MachineJiffies() }
    let total = v.prefix(8).reduce(0, +)
    return MachineJiffies(busy: total - v[3] - v[4], total: total)
}

/// User + system ticks of every process named `postgres` (the server and its backends), by pid.
func postgresJiffies() -> [Int32: Double] {
    var out: [Int32: Double] = [:]
    let names: [String]
    do {
        names = try FileManager.default.contentsOfDirectory(atPath: "/proc")
    } catch {
        FileHandle.standardError.write(Data("outbox-bench: cannot list /proc (\(error)); PostgreSQL's CPU is not counted\n".utf8))
        return out
    }
    // A process may end between the listing and the read of its stat: skipped.
    for name in names {
        guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: open)..<close] == "postgres" else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
        out[pid] = user + system
    }
    return out
}

/// One row of the slot table: where each delivery's share of a slot went, and the CPU it took.
func slotBreakdown(k: Int, cap: Int, count: Int, seconds: Double, reports: [ChildReport], sink: LoopbackSink.LatencyTotals,
                   goNanos: UInt64, endNanos: UInt64, parentSeconds: Double, postgresSeconds: Double, machine: MachineJiffies,
                   load: String) -> String {
    let n = Double(max(1, reports.map(\.slots.deliveries).reduce(0, +)))
    func mean(_ f: (SlotTimes.Sums) -> Double) -> Double { reports.map { f($0.slots) }.reduce(0, +) / n }
    let gate = mean { $0.gateBeforeMillis + $0.gateAfterMillis }
    let http = mean(\.httpMillis), record = mean(\.recordMillis)
    // Free: each child's slots over its own active time (first send to last event), less the busy part.
    var free = 0.0
    for r in reports where r.slots.lastEvent > r.slots.firstSend {
        let active = Double(r.slots.lastEvent - r.slots.firstSend) / 1e6
        free += Double(cap) * active - (r.slots.gateBeforeMillis + r.slots.httpMillis + r.slots.gateAfterMillis + r.slots.recordMillis)
    }
    let starts = reports.map { Double(Int64($0.slots.firstSend) - Int64(goNanos)) / 1e6 }
    let ends = reports.map { Double(Int64(endNanos) - Int64($0.slots.lastEvent)) / 1e6 }
    let relayCPU = reports.map(\.cpuSeconds).reduce(0, +)
    let per = { (s: Double) in String(format: "%.0f", s * 1e6 / Double(count)) }
    let answers = Double(max(1, sink.answers))
    return "| \(k) (\(load)) | " + String(format: "%.1f", Double(cap * k) * seconds * 1000 / Double(count)) + " | "
        + String(format: "%.1f | %.1f | %.1f | %.1f | %.1f | %.1f", Double(sink.drawnMillis) / answers, sink.handlerSeconds * 1000 / answers,
                 http, gate, record, free / n)
        + " | " + String(format: "%.0f–%.0f / %.0f–%.0f", starts.min() ?? 0, starts.max() ?? 0, ends.min() ?? 0, ends.max() ?? 0)
        + " | \(per(relayCPU)) + \(per(parentSeconds)) + \(per(postgresSeconds)) = \(per(relayCPU + parentSeconds + postgresSeconds))"
        + String(format: " | %.0f %% of %d cores |", machine.total > 0 ? 100 * machine.busy / machine.total : 0,
                 ProcessInfo.processInfo.activeProcessorCount)
}
