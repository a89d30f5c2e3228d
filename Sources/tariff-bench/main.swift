import Foundation
import HubContent
import JSONCore
import Tariff

/// Measures what issue #7 asks for: pack load time and quotes per second on one core for
/// realistic 3-line orders. Run in release: `swift run -c release tariff-bench [Data/packs]`.
// `tariff-bench --corpus FILE [PACKS]`: prints what `customs-hub quote` prints for each line of
// FILE (the direct form) and exits 1 if the tree form differs on any line, for comparing the output
// of two builds byte for byte on many requests.
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "--corpus" {
    let packs = URL(fileURLWithPath: CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : "Data/packs", isDirectory: true)
    let lib = TariffPackLibrary(directory: packs)
    let r = lib.reload()
    if !r.errors.isEmpty { print("pack errors:\n" + r.errors.joined(separator: "\n")); exit(2) }
    let text = try String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8)
    var out: [UInt8] = []
    var differ = 0
    let book: ([String: String]) throws -> TariffBook = { p in try lib.book(pins: p) }
    for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
        let start = out.count
        _ = QuoteWire.answerLine(String(line), line: k + 1, book: book, into: &out)
        if Array(out[start...]) != Array(QuoteWire.answerLineByTree(String(line), line: k + 1, book: book).text.utf8) {
            differ += 1
            FileHandle.standardError.write(Data("line \(k + 1): direct and tree forms differ\n".utf8))
        }
        out.append(0x0A)
    }
    FileHandle.standardOutput.write(Data(out))
    exit(differ == 0 ? 0 : 1)
}

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

// What `customs-hub quote` does per input line: the line's bytes to text, parsed, priced, printed
// as the command prints it (money as {"amount","currency"}), a newline, the buffer flushed every
// 64 KiB (here: dropped). First the printed form straight from the quote, then the same bytes
// the way the command wrote them before (the quote's tree, reshaped, written), checked equal.
let lineBytes = requests.map { Array($0.utf8) }
let pins: ([String: String]) throws -> TariffBook = { p in try library.book(pins: p) }
for (k, b) in lineBytes.enumerated() {
    var direct: [UInt8] = []
    _ = QuoteWire.answerLine(String(decoding: b, as: UTF8.self), line: k + 1, book: pins, into: &direct)
    let tree = QuoteWire.answerLineByTree(String(decoding: b, as: UTF8.self), line: k + 1, book: pins).text
    guard direct == Array(tree.utf8) else { print("printed forms differ for request \(k + 1)"); exit(1) }
}
@MainActor func cliRun(_ count: Int, tree: Bool) -> (wall: Double, cpu: Double, bytes: Int) {
    let start = ContinuousClock.now
    let cpu = cpuSeconds()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 17)
    var bytes = 0
    for i in 0..<count {
        let text = String(decoding: lineBytes[i % lineBytes.count], as: UTF8.self)
        if tree {
            out += QuoteWire.answerLineByTree(text, line: i + 1, book: pins).text.utf8
        } else {
            _ = QuoteWire.answerLine(text, line: i + 1, book: pins, into: &out)
        }
        out.append(0x0A)
        if out.count > 1 << 16 { bytes += out.count; out.removeAll(keepingCapacity: true) }
    }
    bytes += out.count
    return (seconds(ContinuousClock.now - start), cpuSeconds() - cpu, bytes)
}
let cliTree = cliRun(n / 4, tree: true)
let cli = cliRun(n / 2, tree: false)
print(String(format: "engine only: %d quotes, wall %.2f s (%.0f/s), thread CPU %.2f s = %.0f quotes/s per core (3-line orders, 5 destinations)", n, engine, Double(n) / engine, engineCPU, Double(n) / engineCPU))
print(String(format: "JSON in + quote + JSON out: %d quotes, wall %.2f s (%.0f/s), thread CPU %.2f s = %.0f quotes/s per core (%d bytes out)", n / 2, e2e, Double(n / 2) / e2e, e2eCPU, Double(n / 2) / e2eCPU, bytes))
print(String(format: "CLI path, tree (reshaped quote tree written): %d quotes, wall %.2f s, thread CPU %.2f s = %.0f quotes/s per core (%d bytes out)", n / 4, cliTree.wall, cliTree.cpu, Double(n / 4) / cliTree.cpu, cliTree.bytes))
print(String(format: "CLI path (customs-hub quote per line: bytes in, printed line out): %d quotes, wall %.2f s (%.0f/s), thread CPU %.2f s = %.0f quotes/s per core (%d bytes out)", n / 2, cli.wall, Double(n / 2) / cli.wall, cli.cpu, Double(n / 2) / cli.cpu, cli.bytes))
print("goal: >= 20000 quotes/s per core (issue #7); checksum \(sink)")
