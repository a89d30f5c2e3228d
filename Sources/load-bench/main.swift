import AsyncHTTPClient
import Foundation
import JSONCore
import NIOCore
import NIOHTTP1

// load-bench: 3-line orders with full enrichment posted to a running `customs-hub serve` over HTTP,
// N in flight at once: orders accepted per second, p50/p99 latency, and the server's CPU seconds
// (from /proc/PID/stat when --pid is given). Release build; Scripts/load-bench.sh runs it against
// serve on SQLite (and PostgreSQL when CUSTOMS_HUB_POSTGRES_URL is set) beside pipeline-bench.
// With --key-header each order also carries its key as `Idempotency-Key` (as an OMS retrying
// safely would send it), which adds the API's request ledger to every order.
//   load-bench BASE_URL API_KEY [--orders N] [--concurrency C] [--pid SERVER_PID] [--key-header]

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: load-bench BASE_URL API_KEY [--orders N] [--concurrency C] [--pid PID]\n".utf8))
    exit(2)
}
func option(_ name: String) -> Int? { args.firstIndex(of: name).flatMap { args.indices.contains($0 + 1) ? Int(args[$0 + 1]) : nil } }
let base = args[0], key = args[1]
let total = option("--orders") ?? 2000
let concurrency = option("--concurrency") ?? 32
let serverPID = option("--pid")
let keyHeader = args.contains("--key-header")

func wall() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// utime + stime of a process, in seconds (Linux /proc).
func processCPU(_ pid: Int) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

// The GB apparel fixture with a third line, as pipeline-bench uses, under a fresh key each time.
let fixture = URL(fileURLWithPath: "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json")
guard case .object(var template) = try JSONParser.parse(Array(try Data(contentsOf: fixture))),
      case .array(var lines)? = template["lines"], case .object(var third) = lines[0] else { fatalError("run from the repository root") }
third["line_id"] = .string("3")
third["description"] = .string("Women's knitted cotton cardigan")
third["hs_code"] = .string("61102099")
lines.append(.object(third))
template["lines"] = .array(lines)
let client = HTTPClient(eventLoopGroupProvider: .singleton,
                        configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))

/// Posts order `i` (under a fresh idempotency key per run) and times the answer.
struct Poster: Sendable {
    let client: HTTPClient
    let base: String
    let key: String
    let template: JSONObject
    let run: String
    let keyHeader: Bool

    func orderKey(_ i: Int) -> String { "load-\(run)-\(i)" }

    func body(_ i: Int) -> ByteBuffer {
        var o = template
        o["idempotency_key"] = .string(orderKey(i))
        return ByteBuffer(string: JSONWriter.write(.object(o)))
    }

    func post(_ i: Int) async -> (Double, Int) {
        var request = HTTPClientRequest(url: base + "/v1/orders")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        request.headers.add(name: "content-type", value: "application/json")
        if keyHeader { request.headers.add(name: "idempotency-key", value: orderKey(i)) }
        request.body = .bytes(body(i))
        let t0 = wall()
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 1 << 20)
            return (wall() - t0, Int(response.status.code))
        } catch {
            return (wall() - t0, 0)
        }
    }
}
let poster = Poster(client: client, base: base, key: key, template: template, run: String(UUID().uuidString.prefix(8)), keyHeader: keyHeader)
func post(_ i: Int) async -> (Double, Int) { await poster.post(i) }

// Warm-up (connections, caches), not counted.
for i in 0..<min(50, total) { _ = await post(-1 - i) }

/// This process's own CPU seconds (the load generator shares the machine with the server).
func selfCPU() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
let cpu0 = serverPID.flatMap(processCPU)
let client0 = selfCPU()
let w0 = wall()
var (latencies, statuses) = await withTaskGroup(of: (Double, Int).self, returning: ([Double], [Int: Int]).self) { group in
    var latencies: [Double] = []
    var statuses: [Int: Int] = [:]
    var next = 0
    for _ in 0..<min(concurrency, total) { let i = next; next += 1; group.addTask { await poster.post(i) } }
    for await (latency, status) in group {
        latencies.append(latency)
        statuses[status, default: 0] += 1
        if next < total { let i = next; next += 1; group.addTask { await poster.post(i) } }
    }
    return (latencies, statuses)
}
let elapsed = wall() - w0
let cpu1 = serverPID.flatMap(processCPU)
let client1 = selfCPU()
try? await client.shutdown()
latencies.sort()
func pct(_ sorted: [Double], _ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }
let accepted = (statuses[201] ?? 0) + (statuses[200] ?? 0)
print((keyHeader ? "with Idempotency-Key header, " : "") + String(format: "orders: %d posted, %d accepted, %d in flight; %.2f s wall; %.0f accepted/s; latency p50 %.1f ms, p99 %.1f ms",
             total, accepted, concurrency, elapsed, Double(accepted) / elapsed, pct(latencies, 0.5) * 1000, pct(latencies, 0.99) * 1000))
print("statuses: \(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
if let cpu0, let cpu1 {
    print(String(format: "server CPU: %.2f s for %d orders = %.2f ms per order, %.0f orders per server CPU-second", cpu1 - cpu0, accepted,
                 (cpu1 - cpu0) / Double(max(1, accepted)) * 1000, Double(accepted) / max(0.001, cpu1 - cpu0)))
}
print(String(format: "load generator CPU: %.2f s (%.2f ms per order)", client1 - client0, (client1 - client0) / Double(max(1, total)) * 1000))
