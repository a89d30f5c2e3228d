import AdapterKit
import Classification
import CustomsModel
import Digests
import Foundation
import Hub
import HubContent
import JSONCore
import Pipeline
import Risk
import Screening
import Store
import StoreSQLite
import Synchronization
import Tariff

// pipeline-bench: 3-line, 2-party orders through the whole pipeline on SQLite, in orders per
// CPU-second, beside the store's durable-commit limit and the engines' own per-item costs measured
// in the same run (each engine run in evaluate's order per order, and alone). Release build only:
//   swift build -c release --product pipeline-bench && .build/release/pipeline-bench [ORDERS] [--rounds R] [--reference-block N]
// ORDERS (2000) go through `submit` in R rounds (5); each round also runs the engines alone and the
// store's commit alone over as many orders, so that the overhead is a median of same-minute ratios.
// --reference-block: reference numbers reserved N at a time, as `serve` does (64, the default here):
// the order's own commit is then its only write transaction. 1 reserves per order, in a transaction
// of its own (what `customs-hub submit` of a single order does, and what this bench measured before).
// --batch 1,16,64: the loops below for each batch size in the same rounds; N > 1 is `Hub.submit(batch:)`,
// the engines stage by stage over each batch and N orders per commit, as `customs-hub submit` of a file does.
// At the end, two digests that a change meant to be exact must leave alone: every valid fixture order
// and the bench's own order through `Pipeline.evaluate` at a fixed time and reference (the evaluation,
// its decisions, reviews and rendered filings), and the same orders through `Hub.submit` on a fresh
// SQLite store with a fixed clock (every stored row an order leaves: order, lines, decisions with
// their chain hashes, review items, filings and outbox payloads). `--digest-only` prints just them.
// The goal's figure is the third below, where everything is timed where it runs. Beside it, the figure read
// until session 18 (the engines and the commit each timed in their own loop, whose warm caches make the
// commit look cheaper than it is inside `submit`), and a second: the same submit on a hub of
// its own whose engines carry a `ThreadCPUMeter`, so that each engine call inside `submit` is timed on
// its thread's CPU clock, and the overhead is that submit less the engines as they ran inside it and
// the commit's own loop. A third: the same, with the hub's commits timed inside `submit` too
// (`ProcessCPUCommitMeter`, the process's CPU around each `accept`) in place of the commit's own loop.
// `--cache-probe` times the engines alone, in evaluate's order, and with the caches evicted or the
// thread asleep before each call or order, and stops (see `probeCaches`).

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// The process's user and system CPU seconds so far, every thread, with its minor page faults and
/// context switches (voluntary and not), which tell where the system time comes from.
func cpuTimes() -> (user: Double, system: Double, faults: Int, switches: Int) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6, Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            usage.ru_minflt, usage.ru_nvcsw + usage.ru_nivcsw)
}

/// The calling thread's CPU seconds so far.
func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The engines' CPU time inside `Hub.submit`: every engine call `Pipeline.evaluate` makes, timed on
/// the calling thread's CPU clock and summed by kind of call. The store's writer thread, the other
/// tasks and the pipeline's own work between the calls are not in it; what the engines pay there for
/// caches the pipeline and the commit took from them is.
final class ThreadCPUMeter: EngineMeter, @unchecked Sendable {
    private let lock = NSLock()
    private var sums = [Double](repeating: 0, count: EngineCall.allCases.count)
    private var count = 0

    func measure<T, E: Error>(_ call: EngineCall, _ body: () throws(E) -> T) throws(E) -> T {
        let t0 = threadCPU()
        defer {
            let t = threadCPU() - t0
            lock.lock(); sums[call.rawValue] += t; count += 1; lock.unlock()
        }
        return try body()
    }

    /// The seconds summed so far by kind of call (`EngineCall.rawValue`), and how many calls.
    var totals: (seconds: [Double], calls: Int) { lock.lock(); defer { lock.unlock() }; return (sums, count) }
}

/// The commit's CPU time inside `Hub.submit`: the process's CPU (every thread: the store's writer
/// thread and the tasks it wakes, as the commit's own loop counts them) around each `accept` the
/// hub makes. The bench runs one submit at a time, so nothing else runs in the process meanwhile.
final class ProcessCPUCommitMeter: CommitMeter {
    private let sums = Mutex<(seconds: Double, calls: Int)>((0, 0))

    func measure<T>(_ body: () async throws -> T) async throws -> T {
        let t0 = cpuSeconds()
        defer {
            let t = cpuSeconds() - t0
            sums.withLock { $0.seconds += t; $0.calls += 1 }
        }
        return try await body()
    }

    /// The seconds summed so far, and how many commits.
    var totals: (seconds: Double, calls: Int) { sums.withLock { $0 } }
}

func wall() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds per call of `body`, over `n` calls.
func perItem(_ n: Int, _ body: (Int) throws -> Void) rethrows -> Double {
    let c0 = cpuSeconds()
    for i in 0..<n { try body(i) }
    return (cpuSeconds() - c0) / Double(n)
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }

/// The bench itself; `main` below waits for it.
func run() async throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var referenceBlock = 64
    if let k = arguments.firstIndex(of: "--reference-block") {
        guard k + 1 < arguments.count, let n = Int(arguments[k + 1]), n >= 1 else { fatalError("--reference-block needs a number ≥ 1") }
        referenceBlock = n
        arguments.removeSubrange(k...(k + 1))
    }
    var rounds = 5
    if let k = arguments.firstIndex(of: "--rounds") {
        guard k + 1 < arguments.count, let n = Int(arguments[k + 1]), n >= 1 else { fatalError("--rounds needs a number ≥ 1") }
        rounds = n
        arguments.removeSubrange(k...(k + 1))
    }
    // --batch 1,16,64: each size measured in the same rounds (1: `Hub.submit`, one order at a time).
    var batchSizes = [1]
    if let k = arguments.firstIndex(of: "--batch") {
        guard k + 1 < arguments.count else { fatalError("--batch needs sizes, for example 1,16,64") }
        let sizes = arguments[k + 1].split(separator: ",").compactMap { Int($0) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else { fatalError("--batch needs sizes ≥ 1, for example 1,16,64") }
        batchSizes = sizes
        arguments.removeSubrange(k...(k + 1))
    }
    var digestOnly = false
    if let k = arguments.firstIndex(of: "--digest-only") { digestOnly = true; arguments.remove(at: k) }
    var cacheProbe = false
    if let k = arguments.firstIndex(of: "--cache-probe") { cacheProbe = true; arguments.remove(at: k) }
    let count = arguments.first.flatMap(Int.init) ?? 2000
    let root = try ContentRoot.locate()
    let loadStart = wall()
    let engines = try EngineLoader(root: root, log: { FileHandle.standardError.write(Data(("pipeline-bench: " + $0 + "\n").utf8)) }).load(now: Date())
    print("engines loaded in \(String(format: "%.1f", wall() - loadStart)) s (model \(engines.versions.model), packs \(engines.versions.packs.count), lists \(engines.versions.lists.joined(separator: ", ")))")

    // The order: the GB apparel fixture with a third line, under a new idempotency key each time.
    guard case .object(var template) = try JSONParser.parse(Array(try root.read("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))),
          case .array(var lines)? = template["lines"], case .object(var third) = lines[0] else { fatalError("fixture shape changed") }
    third["line_id"] = .string("3")
    third["description"] = .string("Women's knitted cotton cardigan")
    third["hs_code"] = .string("61102099")
    lines.append(.object(third))
    template["lines"] = .array(lines)
    func order(_ i: Int) -> JSONValue {
        var o = template
        o["idempotency_key"] = .string("bench-\(i)-\(UUID().uuidString)")
        return .object(o)
    }
    let sample = order(0)
    let now = Date()
    let evaluation = Pipeline.evaluate(sample, engines: engines, now: now, firstReference: 1)
    print("sample order: state \(evaluation.state.rawValue), \(evaluation.lines.count) lines, \(evaluation.filings.count) filings, \(evaluation.reviews.count) review items, \(evaluation.decisions.count) decisions")
    guard let decoded = evaluation.order else { fatalError("the sample order is invalid: \(evaluation.problems)") }

    /// Length-prefixed fields into one SHA-256, so that no two different sequences hash alike.
    struct DigestText {
        var text = ""
        mutating func add(_ field: String) { text += "\(field.utf8.count):"; text += field; text += "\n" }
        var hex: String { String(Digests.sha256(text).prefix(16)) }
    }

    func problemText(_ p: ValidationProblem) -> String { [p.path.description, p.code, p.message, p.severity.rawValue].joined(separator: "\u{1F}") }

    /// The digests described at the top (fixed time: 2026-12-04T12:00:00Z; references from 1000).
    func outputDigests() async throws -> (evaluation: String, store: String, orders: Int) {
        var documents: [JSONValue] = []
        let folder = root.file("Fixtures/orders/valid")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
            documents.append(try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name)))))
        }
        guard !documents.isEmpty else { fatalError("no fixture orders in Fixtures/orders/valid") }
        var own = template
        own["idempotency_key"] = .string("bench-digest")
        documents.append(.object(own))
        let fixed = Date(timeIntervalSince1970: 1_796_385_600)
        var e = DigestText()
        for (k, document) in documents.enumerated() {
            let v = Pipeline.evaluate(document, engines: engines, now: fixed, firstReference: 1000 + 8 * k)
            e.add(v.state.rawValue); e.add(v.inputDigest); e.add(v.documentText); e.add(v.text)
            for p in v.problems { e.add(problemText(p)) }
            for d in v.decisions {
                e.add(d.kind); e.add(d.lineNumber.map(String.init) ?? "-"); e.add(d.input); e.add(d.output)
                e.add(d.confidence.map { "\($0)" } ?? "-"); e.add(d.evidence)
            }
            for r in v.reviews {
                e.add(r.reason); e.add(r.lineNumber.map(String.init) ?? "-"); e.add(r.subject); e.add(r.detail); e.add(r.evidence)
                e.add(r.value.map { "\($0)" } ?? "-")
            }
            for f in v.filings {
                e.add(f.adapter); e.add(f.lines.map(String.init).joined(separator: ",")); e.add(f.rendered.messageType)
                e.add(f.rendered.contentType); e.add(f.rendered.method); e.add(f.rendered.endpoint); e.add(f.rendered.body)
                for h in f.rendered.headers { e.add(h.name); e.add(h.value) }
                e.add(String(describing: f.rendered.notes))
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-bench-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("digest.sqlite").path)
        try await store.migrate()
        let hub = Hub(store: store, engines: engines, clock: { fixed }, referenceBlock: 64)
        var s = DigestText()
        for document in documents {
            let result = try await hub.submit(document)
            s.add(result.state.rawValue); s.add(result.problems.map { problemText($0) }.joined(separator: "\u{1F}"))
            guard let id = result.orderID, let record = try await store.order(id: id) else { s.add("-"); continue }
            s.add(String(reflecting: record))
            s.add(String(reflecting: try await store.orderLines(orderID: id)))
            s.add(String(reflecting: try await store.decisions(orderID: id)))
            s.add(String(reflecting: try await store.reviewItems(ReviewFilter(orderID: id))))
            let filings = try await store.filings(orderID: id)
            s.add(String(reflecting: filings))
            s.add(String(reflecting: try await store.outboxMessages(filingIDs: filings.map(\.id))))
        }
        try await store.close()
        return (e.hex, s.hex, documents.count)
    }

    /// The digests, with the CPU time they took: each fixture order evaluated once and submitted once
    /// (most fixture orders' parties carry tax identifiers, which the bench's own order has none of).
    func printDigests() async throws {
        let c0 = cpuSeconds()
        let d = try await outputDigests()
        let cpu = cpuSeconds() - c0
        print("output digests (\(d.orders) orders): evaluation \(d.evaluation), store \(d.store); \(ms(cpu / Double(d.orders))) CPU per order (evaluate + submit)")
    }

    if digestOnly {
        try await printDigests()
        exit(0)
    }

    // 1. The engines on their own, per order (3 lines, 2 parties, 2 filings), each called with the very
    // inputs `Pipeline.evaluate` hands it for this order: the line texts with material and use, the
    // destination and the merchant's code; the risk signals from screening and the classifier; the
    // quote's channel and registrations; the filed lines rendered with the reserved reference numbers.
    let n = max(200, count / 4)
    let day = String(Timestamp.format(now).prefix(10))
    let destination = decoded.shipment.destinationCountry.rawValue
    let requests = decoded.lines.enumerated().map { i, line in
        ClassificationRequest(id: line.lineID ?? String(i + 1),
                              description: Pipeline.classificationText(line),
                              destination: destination, merchantCode: line.hsCode?.rawValue, date: day)
    }
    guard let report = evaluation.screening else { fatalError("the sample order was not screened") }
    var partyDecisions: [String: Decision] = [:]
    for party in report.parties { partyDecisions[party.role ?? "party"] = max(partyDecisions[party.role ?? "party"] ?? .clear, party.decision) }
    var disputedCodes: [String: HSCode] = [:]
    for l in evaluation.lines { if let hs6 = Pipeline.disputingCode(l.classification, merchantCode: l.merchantCode) { disputedCodes[l.lineID] = HSCode(rawValue: hs6) } }
    let signals = RiskSignals(partyDecisions: partyDecisions.mapValues(\.rawValue),
                              ruleFindings: report.route.map { RuleSignal(subject: $0.subject, action: $0.action.rawValue, ruleID: $0.ruleID) },
                              disputedCodes: disputedCodes)
    var filed = decoded
    filed.lines = evaluation.routing.filedLines.map { decoded.lines[$0 - 1] }
    let stages: [(String, (Int) -> Void)] = [
        ("validate", { _ in _ = engines.validator.check(document: sample) }),
        ("classify (3 lines)", { _ in _ = engines.classifier.classify(requests, top: 5) }),
        ("screen (2 parties)", { _ in _ = try? engines.screening.screenOrder(decoded, at: now) }),
        ("risk", { _ in _ = engines.risk.assess(decoded, signals: signals) }),
        ("quote", { _ in
            if let book = engines.tariff, let d = Day(day) {
                _ = try? QuoteEngine.quote(try QuoteRequest(order: decoded, date: d, channel: Pipeline.channel(decoded), sellerRegistrations: Pipeline.registrations(decoded)), book: book)
            }
        }),
        ("render (\(evaluation.filings.count) filings)", { i in
            // The order encoded as the mappings read it, once for the route's adapters, as evaluate does
            // (`Order.jsonValue`, not `JSONValueEncoder`, which evaluate stopped using).
            let encoded: JSONValue? = filed.jsonValue
            for (k, f) in evaluation.filings.enumerated() {
                let context = Pipeline.renderContext(adapter: f.adapter, catalog: engines.catalog, sequence: i * 8 + 1 + k,
                                                     order: filed, tariff: engines.tariff, now: now)
                do { _ = try engines.catalog.render(filed, encoded: encoded, adapter: f.adapter, now: now, context: context) } catch { fatalError("render refused: \(error)") }
            }
        }),
    ]
    // Each engine alone, called n times in a row (warm caches: its best case).
    let alone: [(String, Double)] = stages.map { name, body in (name, perItem(n) { i in body(i) }) }

    if cacheProbe {
        probeCaches(stages, n: n, threadCPU: threadCPU)
        exit(0)
    }

    // 2. The pure pipeline, all stages together.
    // The orders are made before the clock starts (a dictionary copy and a UUID each: the bench's work,
    // not the pipeline's).
    let evaluateDocuments = (0..<n).map(order)
    let pipelineCPU = perItem(n) { i in _ = Pipeline.evaluate(evaluateDocuments[i], engines: engines, now: now, firstReference: i + 1) }
    // What `Hub.submit` builds from an evaluation before its commit (`Hub.newOrder`: the decisions', review
    // items' and evaluation's JSON texts, the lines, the filings with their references).
    // The same, stage by stage over batches (`Pipeline.evaluate` of several orders).
    var batchEvaluateCPU: [(Int, Double)] = []
    for size in batchSizes where size > 1 {
        let c0 = cpuSeconds()
        for start in stride(from: 0, to: n, by: size) {
            let end = min(n, start + size)
            _ = Pipeline.evaluate(Array(evaluateDocuments[start..<end]), engines: engines, now: now, firstReferences: (start..<end).map { $0 + 1 })
        }
        batchEvaluateCPU.append((size, (cpuSeconds() - c0) / Double(n)))
    }
    let version = engines.versions.text
    let recordsCPU = perItem(n) { _ in _ = Hub.newOrder(evaluation, order: decoded, document: sample, version: version, millis: now.millis) }

    // 3. Rounds, each of five measured loops over the same number of orders per batch size, in the
    // same process and minutes, their order reversed every other round (the batch sizes too) so that
    // a drift of the machine's load falls on all alike:
    //   engines — the engines as `submit` runs them, with nothing else: one order after the other in
    //             evaluate's order (N = 1), or stage by stage over each batch of N orders (every order's
    //             validation, then every order's lines classified, ...), as `Pipeline.evaluate` runs a
    //             batch; each stage also timed on the thread's CPU clock for the split;
    //   commit  — the store's durable-commit limit as `submit` commits: one order-sized transaction per
    //             commit (N = 1, through `accept`), or one transaction of N orders, each in its own
    //             savepoint (`accept(batch:)`); the very rows `Hub.submit` commits for the sample order
    //             (`Hub.newOrder`), each under its own idempotency key, built before the clock starts;
    //   engines + commit — both, batch by batch, and nothing else;
    //   submit  — `Hub.submit` on SQLite (synchronous = FULL), one order at a time (N = 1), or
    //             `Hub.submit(batch:)` N orders at a time;
    //   metered submit — the same on a second hub and store, its engines' calls timed inside it.
    // Each loop's CPU is the process's user + system time (getrusage) around that loop only (the
    // store's writer thread and the concurrency pool included); the overhead of a round is
    // (submit − engines − commit) / submit, each term measured for the same N, and the figure
    // reported is the median over the rounds.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let commitStore = try SQLiteStore(path: dir.appendingPathComponent("commit.sqlite").path)
    try await commitStore.migrate()
    let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path)
    try await store.migrate()
    let hub = Hub(store: store, engines: engines, referenceBlock: referenceBlock)
    // The same hub again on a store of its own, its engines carrying a meter: each engine call inside
    // its `submit` timed on the thread's CPU clock (`ThreadCPUMeter`).
    let meter = ThreadCPUMeter()
    var meteredEngines = engines
    meteredEngines.meter = meter
    let meteredStore = try SQLiteStore(path: dir.appendingPathComponent("metered.sqlite").path)
    try await meteredStore.migrate()
    // Its commits are timed too (`ProcessCPUCommitMeter`): the process's CPU around each `accept`.
    let commitMeter = ProcessCPUCommitMeter()
    let meteredHub = Hub(store: meteredStore, engines: meteredEngines, referenceBlock: referenceBlock, commitMeter: commitMeter)
    // What the meter itself costs a call (two reads of the thread's clock, a lock), timed around empty calls.
    let meterCost: Double = {
        let probe = ThreadCPUMeter()
        let k = 20_000
        let c0 = threadCPU()
        for _ in 0..<k { probe.measure(.risk) { () } }
        return (threadCPU() - c0) / Double(k)
    }()
    // What the commit meter costs a commit (two reads of the process's CPU time), timed around nothing.
    let commitMeterCost: Double = {
        let k = 20_000
        let c0 = threadCPU()
        for _ in 0..<k { _ = cpuSeconds(); _ = cpuSeconds() }
        return (threadCPU() - c0) / Double(k)
    }()
    let perRound = max(1, count / rounds)
    var payloadSerial = 0
    func payloads(_ k: Int) -> [NewOrder] {
        (0..<k).map { _ in
            payloadSerial += 1
            var o = decoded
            o.idempotencyKey = "bench-c\(payloadSerial)-\(UUID().uuidString)"
            return Hub.newOrder(evaluation, order: o, document: sample, version: version, millis: now.millis)
        }
    }
    var documentSerial = 0
    func documents(_ k: Int) -> [JSONValue] { (0..<k).map { _ in documentSerial += 1; return order(documentSerial) } }
    /// `0..<k` cut into batches of `size` (the last may be shorter).
    func batches(_ k: Int, _ size: Int) -> [Range<Int>] { stride(from: 0, to: k, by: size).map { $0..<min(k, $0 + size) } }
    // Warm-up, not measured: the first orders through each loop (page cache, statement caches, the
    // stores' first pages, the allocator's arenas).
    let warm = min(50, perRound)
    for i in 0..<warm { for stage in stages { stage.1(i) } }
    for payload in payloads(warm) { _ = try await commitStore.accept(payload, now: now.millis) }
    for document in documents(warm) { _ = try await hub.submit(document) }
    for document in documents(warm) { _ = try await meteredHub.submit(document) }
    for size in batchSizes where size > 1 {
        _ = try await commitStore.accept(batch: payloads(min(size, warm)).map { ($0, now.millis) })
        _ = try await hub.submit(batch: documents(min(size, warm)))
        _ = try await meteredHub.submit(batch: documents(min(size, warm)))
    }

    struct Loop { var user = 0.0, system = 0.0, wall = 0.0, faults = 0.0, switches = 0.0; var cpu: Double { user + system } }
    /// One batch size's loops, a value per round.
    struct Series {
        var engines: [Loop] = [], both: [Loop] = [], commit: [Loop] = [], submit: [Loop] = []
        var inSequence: [Double]
        var latencies: [Double] = []
        /// The metered hub's submit, and per round the engines' CPU inside it by kind of call, per order.
        var metered: [Loop] = [], inside: [[Double]] = []
        /// Per round, the commit's CPU inside the metered submit, per order.
        var commitInside: [Double] = []
        var meteredCalls = 0.0
    }
    var series = batchSizes.map { _ in Series(inSequence: [Double](repeating: 0, count: stages.count)) }
    func measure(_ k: Int, _ body: () async throws -> Void) async rethrows -> Loop {
        let c0 = cpuTimes(), w0 = wall()
        try await body()
        let c1 = cpuTimes(), w1 = wall()
        return Loop(user: (c1.user - c0.user) / Double(k), system: (c1.system - c0.system) / Double(k), wall: (w1 - w0) / Double(k),
                    faults: Double(c1.faults - c0.faults) / Double(k), switches: Double(c1.switches - c0.switches) / Double(k))
    }
    /// The engines over orders `range` (numbered from `base`) as a batch of that size runs them.
    func runStages(_ range: Range<Int>, base: Int, split: inout [Double]) {
        if range.count == 1 {
            for (k, stage) in stages.enumerated() {
                let t0 = threadCPU()
                stage.1(base + range.lowerBound)
                split[k] += threadCPU() - t0
            }
            return
        }
        for (k, stage) in stages.enumerated() {
            let t0 = threadCPU()
            for i in range { stage.1(base + i) }
            split[k] += threadCPU() - t0
        }
    }
    /// `documents` through `hub`, cut into `cut` (`submit` for batches of one): the latency of each order.
    func submitAll(_ hub: Hub, _ documents: [JSONValue], cut: [Range<Int>], size: Int) async throws -> [Double] {
        var latencies: [Double] = []
        for range in cut {
            let t0 = wall()
            if size == 1 {
                _ = try await hub.submit(documents[range.lowerBound])
            } else {
                let results = try await hub.submit(batch: Array(documents[range]))
                for r in results { _ = try r.get() }
            }
            // Every order of a batch is answered when the batch is.
            latencies += Array(repeating: wall() - t0, count: range.count)
        }
        return latencies
    }
    for round in 0..<rounds {
        let sizeOrder = round % 2 == 0 ? Array(batchSizes.indices) : Array(batchSizes.indices.reversed())
        for s in sizeOrder {
            let size = batchSizes[s]
            let commitPayloads = payloads(perRound)
            let bothPayloads = payloads(perRound)
            let submitDocuments = documents(perRound)
            let meteredDocuments = documents(perRound)
            let base = warm + round * perRound
            let cut = batches(perRound, size)
            let runEngines = {
                var split = series[s].inSequence
                series[s].engines.append(await measure(perRound) {
                    for range in cut { runStages(range, base: base, split: &split) }
                })
                series[s].inSequence = split
            }
            let runBoth = {
                var unused = [Double](repeating: 0, count: stages.count)
                series[s].both.append(try await measure(perRound) {
                    for range in cut {
                        runStages(range, base: base, split: &unused)
                        if size == 1 {
                            _ = try await commitStore.accept(bothPayloads[range.lowerBound], now: now.millis)
                        } else {
                            _ = try await commitStore.accept(batch: range.map { (bothPayloads[$0], now.millis) })
                        }
                    }
                })
            }
            let runCommit = {
                series[s].commit.append(try await measure(perRound) {
                    for range in cut {
                        if size == 1 {
                            _ = try await commitStore.accept(commitPayloads[range.lowerBound], now: now.millis)
                        } else {
                            _ = try await commitStore.accept(batch: range.map { (commitPayloads[$0], now.millis) })
                        }
                    }
                })
            }
            let runSubmit = {
                var latencies: [Double] = []
                series[s].submit.append(try await measure(perRound) {
                    latencies = try await submitAll(hub, submitDocuments, cut: cut, size: size)
                })
                series[s].latencies += latencies
            }
            let runMetered = {
                let before = meter.totals
                let commitsBefore = commitMeter.totals
                series[s].metered.append(try await measure(perRound) {
                    _ = try await submitAll(meteredHub, meteredDocuments, cut: cut, size: size)
                })
                let after = meter.totals
                series[s].commitInside.append((commitMeter.totals.seconds - commitsBefore.seconds) / Double(perRound))
                series[s].inside.append(zip(after.seconds, before.seconds).map { ($0 - $1) / Double(perRound) })
                series[s].meteredCalls = Double(after.calls - before.calls) / Double(perRound)
            }
            if round % 2 == 0 {
                await runEngines(); try await runCommit(); try await runBoth(); try await runSubmit(); try await runMetered()
            } else {
                try await runMetered(); try await runSubmit(); try await runBoth(); try await runCommit(); await runEngines()
            }
        }
    }
    try await commitStore.close()
    try await store.close()
    try await meteredStore.close()

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    func row(_ l: Loop) -> String {
        "\(ms(l.cpu)) (user \(ms(l.user)), sys \(ms(l.system)); \(String(format: "%.0f", l.faults)) faults, \(String(format: "%.1f", l.switches)) switches)"
    }
    func percent(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
    let aloneSum = alone.reduce(0) { $0 + $1.1 }
    print("")
    print("| measure | per order (CPU) | orders per CPU-second |")
    print("| --- | --- | --- |")
    print("| engines, each alone n times in a row (warm: their best case) | \(ms(aloneSum)) | \(String(format: "%.0f", 1 / aloneSum)) |")
    print("| Pipeline.evaluate (pure, all stages), one order at a time | \(ms(pipelineCPU)) | \(String(format: "%.0f", 1 / pipelineCPU)) |")
    for (size, cpu) in batchEvaluateCPU { print("| Pipeline.evaluate (pure, all stages), batches of \(size) | \(ms(cpu)) | \(String(format: "%.0f", 1 / cpu)) |") }
    print("| submit's records, alone (`Hub.newOrder`: JSON texts, lines, filings) | \(ms(recordsCPU)) | — |")
    var summaries: [String] = []
    for (s, size) in batchSizes.enumerated() {
        let x = series[s]
        let ratios = (0..<rounds).map { r in (x.submit[r].cpu - x.engines[r].cpu - x.commit[r].cpu) / x.submit[r].cpu }
        let bothRatios = (0..<rounds).map { r in (x.submit[r].cpu - x.both[r].cpu) / x.submit[r].cpu }
        let engineSum = median(x.engines.map(\.cpu))
        let commitCPU = median(x.commit.map(\.cpu))
        let perOrderCPU = median(x.submit.map(\.cpu))
        let threadSum = x.inSequence.reduce(0, +)
        // The engines timed inside the metered hub's submit, and the overhead with them in place of
        // the engines' own loop (the commit is still the commit's own loop).
        let insideSums = x.inside.map { $0.reduce(0, +) }
        let insideRatios = (0..<rounds).map { r in (x.metered[r].cpu - insideSums[r] - x.commit[r].cpu) / x.metered[r].cpu }
        let insideSum = median(insideSums)
        // The same with the commit timed inside the metered submit too, in place of the commit's own loop.
        let bothInsideRatios = (0..<rounds).map { r in (x.metered[r].cpu - insideSums[r] - x.commitInside[r]) / x.metered[r].cpu }
        let commitInsideCPU = median(x.commitInside)
        let meteredCPU = median(x.metered.map(\.cpu))
        let insideByCall = EngineCall.allCases.map { call in median(x.inside.map { $0[call.rawValue] }) }
        let label = size == 1 ? "N = 1 (one order at a time)" : "N = \(size) (batches)"
        print("")
        print("#### \(label)")
        print("")
        print("| measure | per order (CPU) | orders per CPU-second |")
        print("| --- | --- | --- |")
        for (k, stage) in stages.enumerated() {
            let t = threadSum > 0 ? engineSum * x.inSequence[k] / threadSum : 0
            print("| engine: \(stage.0) | \(ms(t)) (alone: \(ms(alone[k].1))) | \(String(format: "%.0f", 1 / t)) |")
        }
        print("| sum of the engines, \(size == 1 ? "in sequence" : "stage by stage over each batch") (median round) | \(ms(engineSum)) (alone: \(ms(aloneSum))) | \(String(format: "%.0f", 1 / engineSum)) |")
        print("| store: durable commit, \(size == 1 ? "one order per commit" : "\(size) orders per commit") (median round) | \(ms(commitCPU)) | \(String(format: "%.0f", 1 / commitCPU)) |")
        print("| **\(size == 1 ? "Hub.submit" : "Hub.submit(batch:)") on SQLite, end to end (median round)** | \(ms(perOrderCPU)) | **\(String(format: "%.0f", 1 / perOrderCPU))** |")
        print("")
        print("| round | engines | commit (wall) | engines + commit (wall) | submit (wall) | overhead | against engines + commit |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for r in 0..<rounds {
            print("| \(r + 1)\(r % 2 == 0 ? "" : " (reversed)") | \(row(x.engines[r])) | \(row(x.commit[r])) (\(ms(x.commit[r].wall))) | \(row(x.both[r])) (\(ms(x.both[r].wall))) | \(row(x.submit[r])) (\(ms(x.submit[r].wall))) | \(percent(ratios[r])) % | \(percent(bothRatios[r])) % |")
        }
        print("")
        print("Engines timed inside submit (thread CPU per order, median round): "
              + zip(EngineCall.allCases, insideByCall).map { "\($0.0) \(ms($0.1))" }.joined(separator: ", ")
              + "; sum \(ms(insideSum)) (in their own loop: \(ms(engineSum))). Metered submit \(ms(meteredCPU)) per order (unmetered \(ms(perOrderCPU))); "
              + "\(String(format: "%.1f", x.meteredCalls)) engine calls an order, the meter \(String(format: "%.2f", meterCost * 1e6)) µs a call.")
        print("")
        print("Commit timed inside submit (process CPU around each accept, median round): \(ms(commitInsideCPU)) per order (in its own loop: \(ms(commitCPU))); "
              + "the commit meter \(String(format: "%.2f", commitMeterCost * 1e6)) µs a commit.")
        print("")
        print("| round | metered submit | engines inside it | commit inside it | overhead, engines timed inside submit | overhead, engines and commit timed inside submit |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in 0..<rounds {
            print("| \(r + 1)\(r % 2 == 0 ? "" : " (reversed)") | \(row(x.metered[r])) | \(ms(insideSums[r])) | \(ms(x.commitInside[r])) | \(percent(insideRatios[r])) % | \(percent(bothInsideRatios[r])) % |")
        }
        let latencies = x.latencies.sorted()
        print("")
        print("N = \(size): submit latency per order p50 \(ms(percentile(latencies, 0.5))), p99 \(ms(percentile(latencies, 0.99)))")
        print("N = \(size): pipeline overhead with the engines and the commit timed in their own loops (submit − engines − commit) / submit, median of \(rounds) rounds: \(percent(median(ratios))) % (rounds \(percent(ratios.min() ?? 0))–\(percent(ratios.max() ?? 0)) %)")
        print("N = \(size): pipeline overhead with the engines timed inside submit (metered submit − engines inside it − commit) / metered submit, median of \(rounds) rounds: \(percent(median(insideRatios))) % (rounds \(percent(insideRatios.min() ?? 0))–\(percent(insideRatios.max() ?? 0)) %)")
        print("N = \(size): pipeline overhead with the engines and the commit timed inside submit (metered submit − engines inside it − commit inside it) / metered submit, median of \(rounds) rounds: \(percent(median(bothInsideRatios))) % (rounds \(percent(bothInsideRatios.min() ?? 0))–\(percent(bothInsideRatios.max() ?? 0)) %; goal < 10 %)")
        print("N = \(size): against engines and commit run together: \(percent(median(bothRatios))) % (rounds \(percent(bothRatios.min() ?? 0))–\(percent(bothRatios.max() ?? 0)) %); against the engines timed alone, warm: \(percent((perOrderCPU - aloneSum - commitCPU) / perOrderCPU)) %")
        summaries.append("| \(size) | \(ms(perOrderCPU)) | \(String(format: "%.0f", 1 / perOrderCPU)) (\(x.submit.map { String(format: "%.0f", 1 / $0.cpu) }.joined(separator: ", "))) | \(ms(engineSum)) | \(ms(commitCPU)) (\(String(format: "%.0f", 1 / commitCPU)) per CPU-s) | **\(percent(median(ratios))) %** (\(percent(ratios.min() ?? 0))–\(percent(ratios.max() ?? 0))) | \(percent(median(bothRatios))) % | \(percent((perOrderCPU - aloneSum - commitCPU) / perOrderCPU)) % | \(ms(percentile(latencies, 0.5))) / \(ms(percentile(latencies, 0.99))) | \(ms(insideSum)) | **\(percent(median(insideRatios))) %** (\(percent(insideRatios.min() ?? 0))–\(percent(insideRatios.max() ?? 0))) | \(ms(commitInsideCPU)) | **\(percent(median(bothInsideRatios))) %** (\(percent(bothInsideRatios.min() ?? 0))–\(percent(bothInsideRatios.max() ?? 0))) |")
    }
    print("")
    print("orders: \(rounds) rounds of \(perRound) per batch size (after \(warm) warm-up), reference numbers reserved \(referenceBlock) at a time")
    print("")
    print("| N | submit per order | orders per CPU-s (rounds) | engines | commit | overhead, engines and commit in their own loops | against engines + commit | against engines alone | latency p50 / p99 | engines inside submit | overhead, engines timed inside submit | commit inside submit | overhead, engines and commit timed inside submit (goal < 10 %) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for line in summaries { print(line) }
    try await printDigests()
}

/// `--cache-probe`: why an engine costs more called in evaluate's order than called many times in a
/// row. The same calls with the same inputs, each timed on its thread's CPU clock (the same clock
/// reads in every variant), with the caches left as the previous call left them, evicted before
/// each call or order (64 MB written, more than this machine's last-level cache; not timed), or after
/// half a millisecond asleep before each order (as `submit` sleeps in its commit's fsync, and the
/// core runs other work meanwhile). If eviction alone makes the engines called in a row as costly
/// as in sequence, the difference is the caches, not work the engines do differently.
func probeCaches(_ stages: [(String, (Int) -> Void)], n: Int, threadCPU: () -> Double) {
    var sweep = [UInt8](repeating: 0, count: 64 << 20)
    var mark: UInt8 = 0
    func evict() {
        mark &+= 1
        sweep.withUnsafeMutableBufferPointer { b in
            var i = 0
            while i < b.count { b[i] = mark; i += 64 }
        }
    }
    func asleep() { var t = timespec(tv_sec: 0, tv_nsec: 500_000); nanosleep(&t, nil) }
    var table: [(String, [Double])] = []
    func alone(_ before: (() -> Void)?) -> [Double] {
        stages.map { stage in
            var sum = 0.0
            for i in 0..<n {
                before?()
                let t0 = threadCPU()
                stage.1(i)
                sum += threadCPU() - t0
            }
            return sum / Double(n)
        }
    }
    func inSequence(_ before: (() -> Void)?) -> [Double] {
        var sums = [Double](repeating: 0, count: stages.count)
        for i in 0..<n {
            before?()
            for (k, stage) in stages.enumerated() {
                let t0 = threadCPU()
                stage.1(i)
                sums[k] += threadCPU() - t0
            }
        }
        return sums.map { $0 / Double(n) }
    }
    table.append(("each engine alone, n calls in a row", alone(nil)))
    table.append(("alone, caches evicted before each call", alone(evict)))
    table.append(("in evaluate's order", inSequence(nil)))
    table.append(("in evaluate's order, caches evicted before each order", inSequence(evict)))
    table.append(("in evaluate's order, 0.5 ms asleep before each order", inSequence(asleep)))
    table.append(("each engine alone, n calls in a row (again)", alone(nil)))
    print("")
    print("| variant (\(n) calls each, thread CPU per call) | " + stages.map(\.0).joined(separator: " | ") + " | sum |")
    print("| --- |" + String(repeating: " --- |", count: stages.count + 1))
    for (name, costs) in table {
        print("| \(name) | " + costs.map { String(format: "%.1f µs", $0 * 1e6) }.joined(separator: " | ") + " | **\(String(format: "%.1f µs", costs.reduce(0, +) * 1e6))** |")
    }
    print("(eviction buffer mark \(sweep[0]))")
}

// A synchronous main that waits for the bench on a semaphore instead of an `async` one: an async
// main parks the main thread in `dispatch_main` (`sigsuspend`), where valgrind 3.19 dies with an
// internal SIGSEGV; this way callgrind can count the bench's instructions.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    do { try await run() } catch {
        FileHandle.standardError.write(Data("pipeline-bench: \(error)\n".utf8))
        exit(1)
    }
    finished.signal()
}
finished.wait()
