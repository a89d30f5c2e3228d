import Classification
import Foundation
import HubContent

// Evaluation and throughput of the HS classifier, beside a scikit-learn TF-IDF nearest-neighbour
// baseline trained on exactly the same rows in the same run.
//
//   swift build -c release --product classify-bench && .build/release/classify-bench [--no-baseline] [--items N]
//
// The repository root is found from this file's path, so it runs from a clean clone.

let arguments = CommandLine.arguments
let runBaseline = !arguments.contains("--no-baseline")
let throughputItems = arguments.firstIndex(of: "--items").flatMap { Int(arguments[$0 + 1]) } ?? 5000
let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let root = ContentRoot(url: repo)
let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
func rss() -> (current: Int, peak: Int) {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        s.split(separator: "\n").first { $0.hasPrefix(name) }.flatMap { Int($0.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "") } ?? 0
    }
    return (field("VmRSS:") / 1024, field("VmHWM:") / 1024)
}

do {
    var t0 = clock.now
    let kb = try ClassificationContent.knowledgeBase(root)
    let (rulings, parcels, skipped) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
    print("data: \(kb.nomenclature.subheadings.count) HS-6, tariff lines \(kb.tariffs.map { "\($0.jurisdiction.rawValue) \($0.lines.count)" }.joined(separator: ", ")), \(rulings.count) rulings, \(parcels.count) parcel references (\(skipped.count) rows skipped: code not in HS 2022); parsed in \(String(format: "%.2f", seconds(clock.now - t0))) s")

    // Deterministic grouped split over rulings and parcels together.
    let all = rulings + parcels
    let base = TextNormalizer()
    let split = EvaluationSplit(tokenLists: all.map { base.tokens($0.description) }, testPercent: 20)
    let train = split.train.map { all[$0] }
    let test = split.test.map { all[$0] }
    let isRuling = split.test.map { $0 < rulings.count }
    print("split: \(train.count) train / \(test.count) test rows (\(isRuling.filter { $0 }.count) rulings, \(isRuling.filter { !$0 }.count) parcels in test), \(Set(split.groups).count) similarity groups")

    t0 = clock.now
    let model = ClassifierTrainer.train(knowledgeBase: kb, examples: train, trainedAt: "1970-01-01T00:00:00Z")
    let trainTime = seconds(clock.now - t0)
    print("train: \(String(format: "%.2f", trainTime)) s, model \(model.version), CV top-1 \(pct(model.report.crossValidatedAccuracy)), weights \(model.weights), learned abbreviations \(model.learnedAbbreviations.count)")

    let sample = model.learnedAbbreviations.sorted { $0.key < $1.key }.enumerated().filter { $0.offset % max(1, model.learnedAbbreviations.count / 12) == 0 }.map { "\($0.element.key)→\($0.element.value)" }
    print("learned abbreviations (sample): \(sample.joined(separator: ", "))")
    let bytes = ModelCodec.encode(model)
    t0 = clock.now
    let decoded = try ModelCodec.decode(bytes)
    var classifier = Classifier(model: decoded)
    let loadTime = seconds(clock.now - t0)
    print("artefact: \(bytes.count / 1024) KiB, load (decode + index) \(String(format: "%.3f", loadTime)) s")

    // Accuracy.
    let results = test.map { classifier.classify(ClassificationRequest(description: $0.description), top: 5) }
    let ranked = results.map { $0.candidates.map(\.hs6) }
    let conf = results.map(\.confidence)
    let truth = test.map(\.hs6)
    let threshold = model.reviewThreshold

    var baseRanked: [[String]] = [], baseSim: [Double] = []
    var baselineNote = "skipped (--no-baseline)"
    if runBaseline {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("classify-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ rows: [LabelledExample], _ name: String) throws -> URL {
            let url = dir.appendingPathComponent(name)
            let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: ["description": $0.description, "hs6": $0.hs6]), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        let trainURL = try write(train, "train.jsonl"), testURL = try write(test, "test.jsonl")
        let outURL = dir.appendingPathComponent("out.jsonl")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", repo.appendingPathComponent("Scripts/classify_baseline.py").path, trainURL.path, testURL.path, outURL.path]
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus == 0 {
            let text = try String(contentsOf: outURL, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                baseRanked.append(obj["ranked"] as? [String] ?? [])
                baseSim.append(obj["similarity"] as? Double ?? 0)
                if let f = obj["fit_seconds"] as? Double, let pr = obj["predict_seconds"] as? Double {
                    baselineNote = String(format: "fit %.2f s, predict %.2f s (%.0f items/s, batch, numpy/BLAS)", f, pr, Double(test.count) / pr)
                }
            }
        } else {
            baselineNote = "python3 baseline failed (exit \(p.terminationStatus)); `pip install scikit-learn`"
        }
    }

    // The baseline has no calibrated confidence: give it the same auto-approve coverage as ours,
    // taking its most similar items, so the auto-approved accuracies compare like with like.
    func baselineApproval(_ indices: [Int], coverage: Double) -> [Double] {
        let k = Int((coverage * Double(indices.count)).rounded())
        let order = indices.sorted { baseSim[$0] > baseSim[$1] }
        var c = [Double](repeating: 0, count: indices.count)
        let pos = Dictionary(uniqueKeysWithValues: indices.enumerated().map { ($1, $0) })
        for i in order.prefix(k) { if let p = pos[i] { c[p] = 1 } }
        return c
    }

    print("\naccuracy on held-out test rows (threshold \(threshold) for auto-approval)")
    print("slice      model        n    top1@6  top1@4  top1@2  top5@6  auto-share  auto-acc")
    for (name, keep) in [("all", { (_: Int) in true }), ("rulings", { isRuling[$0] }), ("parcels", { !isRuling[$0] })] {
        let idx = test.indices.filter(keep)
        let m = EvaluationMetrics.compute(ranked: idx.map { ranked[$0] }, truth: idx.map { truth[$0] }, confidence: idx.map { conf[$0] }, threshold: threshold)
        print(String(format: "%-10@ %-10@ %5d   ", name as NSString, "swift" as NSString, m.count) + [m.top1HS6, m.top1Heading, m.top1Chapter, m.top5HS6].map(pct).joined(separator: "  ") + "   " + pct(m.autoApprovedShare) + "     " + pct(m.autoApprovedAccuracy))
        if baseRanked.count == test.count {
            let bc = baselineApproval(idx, coverage: m.autoApprovedShare)
            let b = EvaluationMetrics.compute(ranked: idx.map { baseRanked[$0] }, truth: idx.map { truth[$0] }, confidence: bc, threshold: 0.5)
            print(String(format: "%-10@ %-10@ %5d   ", name as NSString, "sklearn" as NSString, b.count) + [b.top1HS6, b.top1Heading, b.top1Chapter, b.top5HS6].map(pct).joined(separator: "  ") + "   " + pct(b.autoApprovedShare) + "     " + pct(b.autoApprovedAccuracy))
        }
    }
    print("baseline: \(baselineNote)")

    print("\nauto-approval by threshold (all test rows; sklearn approves the same share, its most similar first)")
    print("threshold  share    swift-acc  sklearn-acc")
    for t in [0.5, 0.6, 0.7, 0.8, 0.9] {
        let idx = Array(test.indices)
        let m = EvaluationMetrics.compute(ranked: ranked, truth: truth, confidence: conf, threshold: t)
        var line = String(format: "  %.1f     ", t) + pct(m.autoApprovedShare) + "   " + pct(m.autoApprovedAccuracy)
        if baseRanked.count == test.count {
            let b = EvaluationMetrics.compute(ranked: baseRanked, truth: truth, confidence: baselineApproval(idx, coverage: m.autoApprovedShare), threshold: 0.5)
            line += "     " + pct(b.autoApprovedAccuracy)
        }
        print(line)
    }

    let table = ReliabilityTable(confidence: conf, correct: zip(ranked, truth).map { $0.first == $1 })
    print("\nreliability (test rows): confidence bin, n, mean confidence, observed accuracy; ECE \(String(format: "%.3f", table.expectedCalibrationError))")
    for b in table.bins where b.count > 0 {
        print(String(format: "  [%.1f, %.1f)  %4d   %.3f   %.3f", b.low, b.high, b.count, b.meanConfidence, b.accuracy))
    }

    // Throughput and latency, one thread, full answers (candidates, evidence, national line).
    func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let destinations = ["US", "DE", "GB", ""]
    let cpuStart = threadCPUSeconds()
    var cpuLatencies: [Double] = []
    var latencies: [Double] = []
    latencies.reserveCapacity(throughputItems)
    let tStart = clock.now
    for i in 0..<throughputItems {
        let row = test[i % test.count]
        let s = clock.now
        let c0 = threadCPUSeconds()
        let r = classifier.classify(ClassificationRequest(description: row.description, destination: destinations[i % 4]), top: 5)
        cpuLatencies.append(threadCPUSeconds() - c0)
        latencies.append(seconds(clock.now - s))
        if r.modelVersion.isEmpty { print("unexpected") }
    }
    let total = seconds(clock.now - tStart)
    let cpu = threadCPUSeconds() - cpuStart
    let unsortedLatencies = latencies
    var longLatencies: [Double] = [], shortLatencies: [Double] = []
    for i in 0..<throughputItems { if isRuling[i % test.count] { longLatencies.append(unsortedLatencies[i]) } else { shortLatencies.append(unsortedLatencies[i]) } }
    longLatencies.sort(); shortLatencies.sort()
    func percentile99(_ a: [Double]) -> Double { a.isEmpty ? 0 : a[min(a.count - 1, Int(Double(a.count) * 0.99))] * 1000 }
    latencies.sort()
    let p50 = latencies[latencies.count / 2], p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
    let mem = rss()
    print("\nthroughput: \(throughputItems) items in \(String(format: "%.2f", total)) s = \(String(format: "%.0f", Double(throughputItems) / total)) items/s on one thread; latency p50 \(String(format: "%.2f", p50 * 1000)) ms, p99 \(String(format: "%.2f", p99 * 1000)) ms")
    print(String(format: "  thread CPU time %.2f s = %.0f items per CPU-second (the per-core figure; wall time includes waiting for a core on this shared machine)", cpu, Double(throughputItems) / cpu))
    cpuLatencies.sort()
    print(String(format: "  CPU time per item: p50 %.2f ms, p99 %.2f ms", cpuLatencies[cpuLatencies.count / 2] * 1000, percentile99(cpuLatencies)))
    print(String(format: "  wall p99 by kind: parcel titles %.2f ms, ruling prose %.2f ms (mean %.2f ms)", percentile99(shortLatencies), percentile99(longLatencies), longLatencies.reduce(0, +) / Double(max(1, longLatencies.count)) * 1000))
    print("memory: RSS \(mem.current) MiB now, peak \(mem.peak) MiB (includes training in this process)")

    // Learning from corrections: test groups with near-duplicates; correct the first half of each
    // group, measure the rest before and after.
    var byGroup: [Int: [Int]] = [:]
    for (k, i) in split.test.enumerated() { byGroup[split.groups[i], default: []].append(k) }
    var fed: [Int] = [], probe: [Int] = [], others: [Int] = []
    for (_, members) in byGroup.sorted(by: { $0.key < $1.key }) {
        if members.count < 2 { others.append(contentsOf: members); continue }
        let half = (members.count + 1) / 2
        fed.append(contentsOf: members.prefix(half)); probe.append(contentsOf: members.dropFirst(half))
    }
    func accuracy(_ idx: [Int], _ c: Classifier) -> Double {
        idx.isEmpty ? 0 : Double(idx.filter { c.classify(ClassificationRequest(description: test[$0].description)).hs6 == test[$0].hs6 }.count) / Double(idx.count)
    }
    let beforeProbe = accuracy(probe, classifier), beforeOthers = accuracy(others, classifier)
    for k in fed {
        try classifier.learn(Correction(description: test[k].description, hs6: test[k].hs6, confirmedBy: "bench", confirmedAt: "1970-01-01T00:00:00Z"))
    }
    let afterProbe = accuracy(probe, classifier), afterOthers = accuracy(others, classifier)
    print("\nlearning: fed \(fed.count) corrections (first half of each near-duplicate group in test)")
    print("  near-duplicates of corrected rows (n=\(probe.count)): top-1 \(pct(beforeProbe)) -> \(pct(afterProbe))")
    print("  unrelated test rows (n=\(others.count)):              top-1 \(pct(beforeOthers)) -> \(pct(afterOthers))")
} catch {
    FileHandle.standardError.write(Data("classify-bench: \(error)\n".utf8))
    exit(1)
}
