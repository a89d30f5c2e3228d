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
import Tariff

// pipeline-bench: 3-line, 2-party orders through the whole pipeline on SQLite, in orders per
// CPU-second, beside the store's durable-commit limit and the engines' own per-item costs measured
// in the same run (each engine run in evaluate's order per order, and alone). Release build only:
//   swift build -c release --product pipeline-bench && .build/release/pipeline-bench [ORDERS] [--reference-block N]
// --reference-block: reference numbers reserved N at a time, as `serve` does (64, the default here):
// the order's own commit is then its only write transaction. 1 reserves per order, in a transaction
// of its own (what `customs-hub submit` does, and what this bench measured before).
// At the end, two digests that a change meant to be exact must leave alone: every valid fixture order
// and the bench's own order through `Pipeline.evaluate` at a fixed time and reference (the evaluation,
// its decisions, reviews and rendered filings), and the same orders through `Hub.submit` on a fresh
// SQLite store with a fixed clock (every stored row an order leaves: order, lines, decisions with
// their chain hashes, review items, filings and outbox payloads). `--digest-only` prints just them.

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
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
    var digestOnly = false
    if let k = arguments.firstIndex(of: "--digest-only") { digestOnly = true; arguments.remove(at: k) }
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
        mutating func add(_ value: JSONValue) { add(JSONWriter.write(value)) }
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
            e.add(v.state.rawValue); e.add(v.inputDigest); e.add(v.documentText); e.add(v.json)
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
                              description: [line.description, line.material, line.intendedUse].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; "),
                              destination: destination, merchantCode: line.hsCode?.rawValue, date: day)
    }
    guard let report = evaluation.screening else { fatalError("the sample order was not screened") }
    var partyDecisions: [String: Decision] = [:]
    for party in report.parties { partyDecisions[party.role ?? "party"] = max(partyDecisions[party.role ?? "party"] ?? .clear, party.decision) }
    var classifierCodes: [String: HSCode] = [:]
    for l in evaluation.lines where l.merchantCode != nil { if let hs6 = l.classification.hs6 { classifierCodes[l.lineID] = HSCode(rawValue: hs6) } }
    let signals = RiskSignals(partyDecisions: partyDecisions.mapValues(\.rawValue),
                              ruleFindings: report.route.map { RuleSignal(subject: $0.subject, action: $0.action.rawValue, ruleID: $0.ruleID) },
                              classifierCodes: classifierCodes)
    var filed = decoded
    filed.lines = evaluation.routing.filedLines.map { decoded.lines[$0 - 1] }
    let stages: [(String, (Int) -> Void)] = [
        ("validate", { _ in _ = engines.validator.check(document: sample) }),
        ("classify (3 lines)", { _ in for r in requests { _ = engines.classifier.classify(r, top: 5) } }),
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
                let context = Pipeline.renderContext(adapter: f.adapter, catalog: engines.catalog, sequence: i * 8 + 1 + k)
                do { _ = try engines.catalog.render(filed, encoded: encoded, adapter: f.adapter, now: now, context: context) } catch { fatalError("render refused: \(error)") }
            }
        }),
    ]
    // Each engine alone, called n times in a row (warm caches: its best case).
    let alone: [(String, Double)] = stages.map { name, body in (name, perItem(n) { i in body(i) }) }
    // The engines one after the other per order, in evaluate's order (caches as evaluate leaves them):
    // each stage timed on the thread's CPU clock.
    func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    var inSequence = [Double](repeating: 0, count: stages.count)
    for i in 0..<n {
        for (k, stage) in stages.enumerated() {
            let t0 = threadCPU()
            stage.1(i)
            inSequence[k] += threadCPU() - t0
        }
    }
    let stage: [(String, Double)] = stages.indices.map { (stages[$0].0, inSequence[$0] / Double(n)) }
    let engineSum = stage.reduce(0) { $0 + $1.1 }

    // 2. The pure pipeline, all stages together.
    // The orders are made before the clock starts (a dictionary copy and a UUID each: the bench's work,
    // not the pipeline's).
    let evaluateDocuments = (0..<n).map(order)
    let pipelineCPU = perItem(n) { i in _ = Pipeline.evaluate(evaluateDocuments[i], engines: engines, now: now, firstReference: i + 1) }
    // What `Hub.submit` builds from an evaluation before its commit (`Hub.newOrder`: the decisions', review
    // items' and evaluation's JSON texts, the lines, the filings with their references).
    let version = engines.versions.text
    let recordsCPU = perItem(n) { _ in _ = Hub.newOrder(evaluation, order: decoded, document: sample, version: version, millis: now.millis) }

    // 3. The store's durable-commit limit: one order-sized transaction per commit, the very rows `Hub.submit`
    // commits for the sample order (`Hub.newOrder`: order, 3 lines, its decisions chained, 2 filings with
    // their references and outbox rows), each under its own idempotency key, built before the clock starts.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let commitStore = try SQLiteStore(path: dir.appendingPathComponent("commit.sqlite").path)
    try await commitStore.migrate()
    let commits = max(200, count / 4)
    let payloads: [NewOrder] = (0..<commits).map { i in
        var o = decoded
        o.idempotencyKey = "bench-c\(i)-\(UUID().uuidString)"
        return Hub.newOrder(evaluation, order: o, document: sample, version: version, millis: now.millis)
    }
    var commitCPU = 0.0
    var commitWall = 0.0
    do {
        let c0 = cpuSeconds(), w0 = wall()
        for payload in payloads { _ = try await commitStore.accept(payload, now: now.millis) }
        commitCPU = (cpuSeconds() - c0) / Double(commits)
        commitWall = (wall() - w0) / Double(commits)
    }
    try await commitStore.close()

    // 4. The whole thing: Hub.submit on SQLite (synchronous = FULL), one order at a time.
    let store = try SQLiteStore(path: dir.appendingPathComponent("hub.sqlite").path)
    try await store.migrate()
    let documents = (0..<count).map(order)
    let hub = Hub(store: store, engines: engines, referenceBlock: referenceBlock)
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    let c0 = cpuSeconds(), w0 = wall()
    for i in 0..<count {
        let t0 = wall()
        _ = try await hub.submit(documents[i])
        latencies.append(wall() - t0)
    }
    let totalCPU = cpuSeconds() - c0, totalWall = wall() - w0
    try await store.close()
    latencies.sort()

    let perOrderCPU = totalCPU / Double(count)
    let overhead = perOrderCPU - engineSum - commitCPU
    print("")
    print("| measure | per order (CPU) | orders per CPU-second |")
    print("| --- | --- | --- |")
    for (k, (name, s)) in stage.enumerated() { print("| engine: \(name) | \(ms(s)) (alone: \(ms(alone[k].1))) | \(String(format: "%.0f", 1 / s)) |") }
    let aloneSum = alone.reduce(0) { $0 + $1.1 }
    print("| sum of the engines, in sequence | \(ms(engineSum)) (alone: \(ms(aloneSum))) | \(String(format: "%.0f", 1 / engineSum)) |")
    print("| Pipeline.evaluate (pure, all stages) | \(ms(pipelineCPU)) | \(String(format: "%.0f", 1 / pipelineCPU)) |")
    print("| evaluate's own work (evaluate − engines) | \(ms(pipelineCPU - engineSum)) | — |")
    print("| submit's records, alone (`Hub.newOrder`: JSON texts, lines, filings) | \(ms(recordsCPU)) | — |")
    print("| store: one order-sized durable commit | \(ms(commitCPU)) (wall \(ms(commitWall))) | \(String(format: "%.0f", 1 / commitCPU)) (durable commits/s wall: \(String(format: "%.0f", 1 / commitWall))) |")
    print("| **Hub.submit on SQLite, end to end** | \(ms(perOrderCPU)) | **\(String(format: "%.0f", 1 / perOrderCPU))** |")
    print("")
    print("orders: \(count), reference numbers reserved \(referenceBlock) at a time; wall \(String(format: "%.2f", totalWall)) s (\(String(format: "%.0f", Double(count) / totalWall)) orders/s wall); latency p50 \(ms(percentile(latencies, 0.5))), p99 \(ms(percentile(latencies, 0.99)))")
    print("pipeline overhead (end to end − engines − commit): \(ms(overhead)) = \(String(format: "%.1f", 100 * overhead / perOrderCPU)) % of the total (goal < 10 %)")
    print("  (against the engines timed alone, warm: \(String(format: "%.1f", 100 * (perOrderCPU - aloneSum - commitCPU) / perOrderCPU)) %)")
    print("goal: ≥ 300 orders per CPU-second — \(1 / perOrderCPU >= 300 ? "met" : "not met")")
    try await printDigests()
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
