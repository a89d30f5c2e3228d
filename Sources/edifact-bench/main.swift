import EDIFACT
import Foundation

// Benchmark for the EDIFACT engine (release build; not part of `swift test`).
//
//   swift build -c release --product edifact-bench
//   .build/release/edifact-bench [--size-mb 200] [--slice-mb 20] [--dir DIR] [--keep] [--reuse] [--no-python]
//                                [--phases tokenize,parse,write,hostile,slice]
//
// Generates an interchange of realistic CUSDEC D96B messages, then measures on one core:
// tokenizing only, parsing into message trees, and parse + write, each with peak RSS; then times
// pydifact (python3, `pip install pydifact`) and this engine on the same slice of the file.

struct Args {
    var sizeMB = 200
    var sliceMB = 20
    var dir = FileManager.default.temporaryDirectory.path
    var keep = false
    var python = true
    var reuse = false
    var phases: Set<String> = ["hostile", "tokenize", "parse", "write", "slice"]

    init() {
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--size-mb": sizeMB = Int(it.next() ?? "") ?? sizeMB
            case "--slice-mb": sliceMB = Int(it.next() ?? "") ?? sliceMB
            case "--dir": dir = it.next() ?? dir
            case "--keep": keep = true
            case "--no-python": python = false
            case "--reuse": reuse = true
            case "--phases": phases = Set((it.next() ?? "").split(separator: ",").map(String.init))
            default:
                FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8))
                exit(2)
            }
        }
    }
}

/// Unbuffered output, so progress shows while the long phases run.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU time of this process: on a shared machine wall time includes waiting for a core, so both
/// are reported.
func cpuNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Peak resident set size in MB (VmHWM); `resetPeak` starts a new measurement window.
func peakRSSMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kb / 1024
    }
    return -1
}

func resetPeak() {
    if let h = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
        h.write(Data("5".utf8))
        try? h.close()
    }
}

// MARK: - Realistic CUSDEC generator

struct Rng {
    var s: UInt64
    mutating func next() -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

let hsCodes = ["85176200", "61091000", "64039900", "42022100", "95030070", "33049900", "84713000", "62046200", "71171900", "39241000"]
let goods = ["Bluetooth headphones", "Cotton T-shirts, crew neck", "Leather boots (men's)", "Handbag: leather/suede", "Plush toys + accessories",
             "Face cream 50ml", "Laptop 14\" 16GB", "Denim trousers", "Costume jewellery ?plated?", "Plastic tableware set"]
let countries = ["CN", "BD", "VN", "IN", "TR", "US", "KR", "TW"]

func money(_ cents: Int) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }

func cusdec(_ n: Int, _ rng: inout Rng) -> Message {
    let ref = String(n)
    var s: [Segment] = [Segment("UNH", [ref], ["CUSDEC", "D", "96B", "UN", "CD001A"])]
    s.append(Segment("BGM", ["929"], ["LRN-2026-\(String(format: "%08d", n))"], ["9"]))
    s.append(Segment("CST", [], ["IM", "112", "166"]))
    s.append(Segment("LOC", ["22"], ["GB000060", "111", "166"]))
    s.append(Segment("DTM", ["137", "2026011\(n % 10)", "102"]))
    s.append(Segment("GIS", ["23"]))
    s.append(Segment("RFF", ["ABO", "ORD-\(n)"]))
    s.append(Segment("TDT", ["11"], [], ["1"]))
    s.append(Segment("DOC", ["380"], ["INV-\(n)"]))
    s.append(Segment("DTM", ["3", "20260110", "102"]))
    s.append(Segment("NAD", ["IM"], ["GB\(100_000_000 + rng.below(899_999_999))000", "", "172"], [], ["IMPORTER \(n % 997) LTD"], ["\(1 + n % 200) HIGH ST"], ["LONDON"], [], ["E1 6AN"], ["GB"]))
    s.append(Segment("NAD", ["CZ"], ["DE\(100_000_000 + rng.below(899_999_999))000", "", "172"], [], ["SHOP \(n % 89) GMBH"], ["HAUPTSTR. 5"], ["BERLIN"], [], ["10115"], ["DE"]))
    s.append(Segment("NAD", ["DT"], ["GB123456789000", "", "172"]))
    s.append(Segment("TOD", ["6"], [], ["DAP"]))
    let items = 1 + rng.below(8)
    var total = 0
    var body: [Segment] = []
    for i in 1...items {
        let k = rng.below(hsCodes.count)
        let value = 500 + rng.below(50_000)
        total += value
        body.append(Segment("CST", [String(i)], [hsCodes[k], "122", "148"]))
        body.append(Segment("FTX", ["AAA"], [], [], [goods[k]]))
        body.append(Segment("LOC", ["27"], [countries[rng.below(countries.count)]]))
        body.append(Segment("MEA", ["WT"], ["AAB"], ["KGM", "\(rng.below(20)).\(rng.below(10))"]))
        body.append(Segment("PAC", ["\(1 + rng.below(5))"], [], ["CT"]))
        body.append(Segment("MOA", ["146", money(value), "GBP"]))
        body.append(Segment("DOC", ["380"], ["INV-\(n)"]))
        body.append(Segment("TAX", ["7"], ["VAT"], [], [], ["", "", "", "20"], ["S"]))
        body.append(Segment("MOA", ["124", money(value / 5), "GBP"]))
    }
    s.append(Segment("MOA", ["39", money(total), "GBP"]))
    s.append(Segment("CUX", ["2", "EUR", "4"], ["3", "GBP", "4"], ["0.86"]))
    s.append(Segment("UNS", ["D"]))
    s += body
    s.append(Segment("UNS", ["S"]))
    s.append(Segment("CNT", ["5", String(items)]))
    s.append(Segment("TAX", ["7"], ["VAT"]))
    s.append(Segment("MOA", ["124", money(total / 5), "GBP"]))
    s.append(Segment("UNT", [String(s.count + 1)], [ref]))
    return Message(header: s[0]).with(segments: s)
}

extension Message {
    func with(segments: [Segment]) -> Message {
        var m = self
        m.segments = segments
        m.segmentCount = segments.count
        return m
    }
}

let header = Interchange(
    header: Segment("UNB", ["UNOC", "3"], ["HUBSENDER", "ZZ"], ["GATEWAY", "ZZ"], ["260115", "0930"], ["BENCH0001"]),
    delimiters: .standard, hasServiceStringAdvice: true)

/// Streams messages to a file until it reaches `bytes`, then writes the slice file: the first
/// messages of the same sequence that fit in `sliceBytes`, closed with their own UNZ.
func generate(path: String, bytes: Int, sliceBytes: Int, slicePath: String) throws -> (messages: Int, sliceMessages: Int) {
    FileManager.default.createFile(atPath: path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
    var writer = EDIFACTWriter(options: .segmentPerLine)
    try writer.begin(header)
    var rng = Rng(s: 42)
    var written = 0
    var n = 0
    var sliceMessages = 0
    var pending: [UInt8] = []
    var sliceOpen = true
    while written + pending.count < bytes {
        n += 1
        try writer.writeMessage(cusdec(n, &rng))
        pending += writer.takeOutput()
        if sliceOpen {
            if written + pending.count <= sliceBytes {
                sliceMessages = n
            } else {
                sliceOpen = false
            }
        }
        if pending.count > 1 << 20 {
            out.write(Data(pending))
            written += pending.count
            pending.removeAll(keepingCapacity: true)
        }
    }
    try writer.end(header, count: n)
    pending += writer.takeOutput()
    out.write(Data(pending))
    try out.close()
    // The slice: the same messages, cut at a message boundary, closed with its own UNZ.
    var sw = EDIFACTWriter(options: .segmentPerLine)
    try sw.begin(header)
    var rng2 = Rng(s: 42)
    FileManager.default.createFile(atPath: slicePath, contents: nil)
    guard let so = FileHandle(forWritingAtPath: slicePath) else { throw CocoaError(.fileWriteUnknown) }
    for i in 1...max(sliceMessages, 1) {
        try sw.writeMessage(cusdec(i, &rng2))
        if i % 1000 == 0 { so.write(Data(sw.takeOutput())) }
    }
    try sw.end(header, count: max(sliceMessages, 1))
    so.write(Data(sw.takeOutput()))
    try so.close()
    return (n, max(sliceMessages, 1))
}

// MARK: - Measurements

struct Result {
    var name: String
    var seconds: Double
    var cpu: Double
    var bytes: Int
    var messages: Int
    var peakMB: Double
    var note = ""

    var line: String {
        let mb = Double(bytes) / 1_048_576
        return String(format: "%-22@ wall %7.1f MB/s %9.0f msg/s %7.2f s | cpu %7.1f MB/s %9.0f msg/s %7.2f s | peak RSS %6.1f MB  %@",
                      name as NSString, mb / seconds, Double(messages) / seconds, seconds, mb / cpu, Double(messages) / cpu, cpu, peakMB, note as NSString)
    }
}

/// Reads the file in 1 MB chunks. A plain loop (no closures): a drain function capturing the
/// tokenizer or reader would box it, and Swift then checks exclusive access dynamically on every
/// `next()` call, which cost more than a tenth of the tokenize time.
struct ChunkReader {
    let handle: FileHandle?
    init(_ path: String) { handle = FileHandle(forReadingAtPath: path) }
    func next() -> [UInt8]? {
        guard let h = handle, let d = try? h.read(upToCount: 1 << 20), !d.isEmpty else {
            try? handle?.close()
            return nil
        }
        return Array(d)
    }
}

func tokenize(_ path: String, size: Int) -> Result {
    resetPeak()
    let t0 = now(), c0 = cpuNow()
    var tok = SegmentTokenizer()
    var segments = 0, messages = 0
    let chunks = ChunkReader(path)
    var more = true
    while more {
        if let chunk = chunks.next() { tok.feed(chunk) } else {
            tok.finish()
            more = false
        }
        while let e = tok.next() {
            if case .segment(let raw) = e {
                segments += 1
                let t = raw.tagBytes
                if t.count == 3, t[t.startIndex] == 0x55, t[t.startIndex + 1] == 0x4E, t[t.startIndex + 2] == 0x48 { messages += 1 }
            }
        }
    }
    return Result(name: "tokenize", seconds: now() - t0, cpu: cpuNow() - c0, bytes: size, messages: messages, peakMB: peakRSSMB(), note: "\(segments) segments")
}

func parse(_ path: String, size: Int, write: Bool) -> (Result, Int) {
    resetPeak()
    let t0 = now(), c0 = cpuNow()
    var reader = EDIFACTReader()
    var writer = EDIFACTWriter(options: .segmentPerLine)
    var messages = 0, errors = 0, outBytes = 0
    let chunks = ChunkReader(path)
    var more = true
    while more {
        if let chunk = chunks.next() { reader.feed(chunk) } else {
            reader.finish()
            more = false
        }
        while let e = reader.next() {
            switch e {
            case .message(let m):
                messages += 1
                if write {
                    try? writer.writeMessage(m)
                    outBytes += writer.takeOutput().count
                }
            case .interchangeStart(let ic):
                if write {
                    try? writer.begin(ic)
                    outBytes += writer.takeOutput().count
                }
            case .diagnostic(let d):
                if d.severity == .error { errors += 1 }
            default: break
            }
        }
    }
    let r = Result(name: write ? "parse + write" : "parse (message trees)", seconds: now() - t0, cpu: cpuNow() - c0, bytes: size, messages: messages,
                   peakMB: peakRSSMB(), note: write ? "\(outBytes / 1_048_576) MB written, \(errors) errors" : "\(errors) errors")
    return (r, messages)
}

/// The pydifact baseline script, found from the working directory or beside the repository this
/// bench was built from.
let pythonScript: String = {
    let relative = "Scripts/edifact_pydifact_baseline.py"
    if FileManager.default.fileExists(atPath: relative) { return relative }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}()

func runPydifact(_ path: String) -> [String: Any]? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", pythonScript, path]
    let out = Pipe()
    p.standardOutput = out
    // pydifact warns about missing directory XML for every segment type: stderr goes to a file,
    // shown only when the run fails.
    let errPath = (FileManager.default.temporaryDirectory.path as NSString).appendingPathComponent("edifact-bench-pydifact.err")
    FileManager.default.createFile(atPath: errPath, contents: nil)
    p.standardError = FileHandle(forWritingAtPath: errPath) ?? FileHandle.nullDevice
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    do { try p.run() } catch {
        say("pydifact: cannot start python3: \(error)")
        return nil
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let result = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        let tail = (try? String(contentsOfFile: errPath, encoding: .utf8))?.suffix(600) ?? ""
        say("pydifact: exit \(p.terminationStatus); output \(String(decoding: data, as: UTF8.self).prefix(300)); stderr ...\(tail)")
        return nil
    }
    return result
}

// MARK: - Main

let args = Args()
var isDirectory: ObjCBool = false
guard FileManager.default.fileExists(atPath: args.dir, isDirectory: &isDirectory), isDirectory.boolValue else {
    FileHandle.standardError.write(Data("edifact-bench: --dir \(args.dir): no such folder (create it first)\n".utf8))
    exit(2)
}
let path = (args.dir as NSString).appendingPathComponent("edifact-bench-\(args.sizeMB)mb.edi")
let slicePath = (args.dir as NSString).appendingPathComponent("edifact-bench-slice-\(args.sliceMB)mb.edi")
say("EDIFACT engine benchmark (release build, one core, \(ProcessInfo.processInfo.activeProcessorCount) cores visible, machine shared)")
let g0 = now()
var total = 0, sliceMessages = 0
if args.reuse && FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: slicePath) {
    say("reusing \(path)")
} else {
    (total, sliceMessages) = try generate(path: path, bytes: args.sizeMB << 20, sliceBytes: args.sliceMB << 20, slicePath: slicePath)
}
let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
let sliceSize = (try FileManager.default.attributesOfItem(atPath: slicePath)[.size] as? Int) ?? 0
if total > 0 {
    say(String(format: "generated %d CUSDEC D96B messages, %.1f MB in %.1f s (%@)", total, Double(size) / 1_048_576, now() - g0, path))
}
say("")
say("full file (\(size / 1_048_576) MB):")
if args.phases.contains("hostile") {
    // A 100 MB segment streamed in 1 MB chunks: reported and skipped with bounded memory.
    resetPeak()
    let t0 = now(), c0 = cpuNow()
    var reader = EDIFACTReader()
    var errors: [Diagnostic] = []
    var messages = 0
    func drain() {
        while let e = reader.next() {
            if case .diagnostic(let d) = e, d.severity == .error { errors.append(d) }
            if case .message = e { messages += 1 }
        }
    }
    reader.feed(Array("UNB+UNOC:3+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'FTX+AAA+++".utf8))
    drain()
    let block = [UInt8](repeating: UInt8(ascii: "X"), count: 1 << 20)
    for _ in 0..<100 {
        reader.feed(block)
        drain()
    }
    reader.feed(Array("'UNT+3+1'UNZ+1+1'".utf8))
    reader.finish()
    drain()
    let r = Result(name: "100 MB segment", seconds: now() - t0, cpu: cpuNow() - c0, bytes: 100 << 20, messages: messages, peakMB: peakRSSMB(),
                   note: errors.map { "[\($0.code ?? 0)] \($0.message)" }.joined(separator: "; "))
    say(r.line)
}
if args.phases.contains("tokenize") { say(tokenize(path, size: size).line) }
if args.phases.contains("parse") { say(parse(path, size: size, write: false).0.line) }
if args.phases.contains("write") { say(parse(path, size: size, write: true).0.line) }

if args.phases.contains("slice") {
    say("")
    say(String(format: "slice (%.1f MB, %d messages), side by side:", Double(sliceSize) / 1_048_576, sliceMessages))
    let (ours, _) = parse(slicePath, size: sliceSize, write: false)
    say(ours.line)
    let (oursW, _) = parse(slicePath, size: sliceSize, write: true)
    say(oursW.line)
    if args.python, let py = runPydifact(slicePath) {
        let parseS = py["parse"] as? Double ?? .nan
        let serS = py["serialize"] as? Double ?? .nan
        let parseC = py["parse_cpu"] as? Double ?? .nan
        let serC = py["serialize_cpu"] as? Double ?? .nan
        let msgs = py["messages"] as? Int ?? 0
        let peak = py["peak_mb"] as? Double ?? .nan
        let pyParse = Result(name: "pydifact parse", seconds: parseS, cpu: parseC, bytes: sliceSize, messages: msgs, peakMB: peak)
        let pyBoth = Result(name: "pydifact parse+serialize", seconds: parseS + serS, cpu: parseC + serC, bytes: sliceSize, messages: msgs, peakMB: peak)
        say(pyParse.line)
        say(pyBoth.line)
        say(String(format: "speed-up vs pydifact: parse %.0fx wall / %.0fx cpu; parse + write %.0fx wall / %.0fx cpu",
                     parseS / ours.seconds, parseC / ours.cpu, (parseS + serS) / oursW.seconds, (parseC + serC) / oursW.cpu))
    } else if args.python {
        say("pydifact: not run (python3 with `pip install pydifact` needed)")
    }
}
if !args.keep {
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: slicePath)
}
