import Foundation
import HubContent
import JSONCore
import Tariff

/// Measures what issue #7 asks for: pack load time and quotes per second on one core for
/// realistic 3-line orders. Run in release: `swift run -c release tariff-bench [Data/packs]`.
let dir = CommandLine.arguments.dropFirst().first.map { URL(fileURLWithPath: $0, isDirectory: true) }
    ?? URL(fileURLWithPath: "Data/packs", isDirectory: true)

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// CPU time of this thread: the machine is shared, so wall time over-states the cost per core.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var loadTimes: [Double] = []
var library = TariffPackLibrary(directory: dir)
for _ in 0..<(ProcessInfo.processInfo.environment["BENCH_LOADS"].flatMap(Int.init) ?? 3) {
    library = TariffPackLibrary(directory: dir)
    let r = library.reload()
    if !r.errors.isEmpty { print("pack errors:\n" + r.errors.joined(separator: "\n")); exit(1) }
    loadTimes.append(r.seconds)
}
let loaded = library.loaded
print("packs: \(loaded.count) (\(loaded.joined(separator: ", ")))")
print(String(format: "pack load (read + parse + validate + index, all packs): median %.3f s, runs %@", loadTimes.sorted()[loadTimes.count / 2], loadTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")))

let book = try library.book()
let requests: [String] = [
    #"{"id":"us","date":"2026-08-01","destination":"US","origin":"CN","currency":"USD","lines":[{"hs_code":"6109100012","quantity":3,"value":"45.00"},{"hs_code":"6404112030","quantity":1,"value":"60.00"},{"hs_code":"8471300100","quantity":1,"value":"299.00"}],"shipping":"15","incoterm":"DDP","channel":"courier"}"#,
    #"{"id":"de","date":"2026-07-15","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":2,"value":"30"},{"hs_code":"64041100","quantity":1,"value":"55"},{"hs_code":"42022100","quantity":1,"value":"40"}],"shipping":"8","incoterm":"DDP","channel":"courier","seller_registrations":["IOSS"]}"#,
    #"{"id":"fr","date":"2026-07-15","destination":"FR","origin":"US","currency":"USD","lines":[{"hs_code":"61091000","quantity":2,"value":"120"},{"hs_code":"64041100","quantity":1,"value":"95"},{"hs_code":"91021100","quantity":1,"value":"150"}],"shipping":"25","incoterm":"DAP","channel":"courier"}"#,
    #"{"id":"gb","date":"2026-03-01","destination":"GB","origin":"CN","currency":"GBP","lines":[{"hs_code":"61091000","quantity":2,"value":"60"},{"hs_code":"64041100","quantity":1,"value":"80"},{"hs_code":"42022100","quantity":1,"value":"40"}],"shipping":"10","incoterm":"DAP","channel":"courier"}"#,
    #"{"id":"au","date":"2026-03-01","destination":"AU","origin":"CN","currency":"AUD","lines":[{"hs_code":"610910","quantity":2,"value":"60"},{"hs_code":"640411","quantity":1,"value":"80"},{"hs_code":"420221","quantity":1,"value":"40"}],"shipping":"10","incoterm":"DDP","channel":"courier","seller_registrations":["AU_GST_LVG"]}"#,
]
let parsed = try requests.map { text -> QuoteRequest in
    let v = try JSONParser.parse(text)
    return try QuoteRequest.parse(v)
}
for r in parsed {
    let q = try QuoteEngine.quote(r, book: book)
    print("sample \(r.id): duty \(q.duty) vat \(q.vat) fees \(q.fees.map(\.amount)) total \(q.totalDutyTaxFees) \(q.currency)")
}

// Engine only (parsed requests), then end to end (JSON text in, JSON text out).
let n = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 100_000
var sink = Decimal(0)
var start = ContinuousClock.now
var cpu = cpuSeconds()
for i in 0..<n { sink += try QuoteEngine.quote(parsed[i % parsed.count], book: book).totalDutyTaxFees }
let engine = seconds(ContinuousClock.now - start)
let engineCPU = cpuSeconds() - cpu
start = ContinuousClock.now
cpu = cpuSeconds()
var bytes = 0
for i in 0..<(n / 2) {
    let v = try JSONParser.parse(requests[i % requests.count])
    let q = try QuoteEngine.quote(try QuoteRequest.parse(v), book: book)
    bytes += q.jsonText.utf8.count
}
let e2e = seconds(ContinuousClock.now - start)
let e2eCPU = cpuSeconds() - cpu
print(String(format: "engine only: %d quotes, wall %.2f s (%.0f/s), thread CPU %.2f s = %.0f quotes/s per core (3-line orders, 5 destinations)", n, engine, Double(n) / engine, engineCPU, Double(n) / engineCPU))
print(String(format: "JSON in + quote + JSON out: %d quotes, wall %.2f s (%.0f/s), thread CPU %.2f s = %.0f quotes/s per core (%d bytes out)", n / 2, e2e, Double(n / 2) / e2e, e2eCPU, Double(n / 2) / e2eCPU, bytes))
print("goal: >= 20000 quotes/s per core (issue #7); checksum \(sink)")
