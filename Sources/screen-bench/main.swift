// screen-bench: evaluation and speed of the Screening engine on the full OFAC SDN + UN lists, with
// the rapidfuzz and nomenklatura baselines scored on the same queries in the same run.
//
//   swift build -c release --product screen-bench
//   .build/release/screen-bench [--root .] [--per-kind 250] [--persons 1500] [--seed 7] [--no-baselines] [--from-cache]
//
// Run from the repository root (or pass --root). The baselines need `python3` with rapidfuzz and
// (optionally) nomenklatura: `pip install rapidfuzz nomenklatura`.
import CustomsModel
import Foundation
import Screening

// MARK: Arguments

var root = "."
var perKind = 250
var personNegatives = 1500
var seed: UInt64 = 7
var runBaselines = true
var python = "python3"
var probeQuery: String?
var candidateLimit = 150
/// `dev` and `test` are disjoint halves (by a hash of the entity key, or of the negative name):
/// choose settings on `dev`, report `test`.
var split = "all"
var quick = false
/// Screen with the index read back from its cache bytes (`ScreeningIndexCache`): the digest must not change.
var fromCache = false
var argIterator = CommandLine.arguments.dropFirst().makeIterator()
while let arg = argIterator.next() {
    switch arg {
    case "--root": root = argIterator.next() ?? root
    case "--per-kind": perKind = Int(argIterator.next() ?? "") ?? perKind
    case "--persons": personNegatives = Int(argIterator.next() ?? "") ?? personNegatives
    case "--seed": seed = UInt64(argIterator.next() ?? "") ?? seed
    case "--python": python = argIterator.next() ?? python
    case "--no-baselines": runBaselines = false
    case "--show-misses": break
    case "--query": probeQuery = argIterator.next()
    case "--split": split = argIterator.next() ?? split
    case "--candidates": candidateLimit = Int(argIterator.next() ?? "") ?? candidateLimit
    case "--from-cache": fromCache = true
    case "--quick":
        // One index build, 100 variants per kind, 600 negatives, no baselines.
        quick = true
        perKind = 100
        personNegatives = 600
        runBaselines = false
    default:
        FileHandle.standardError.write(Data("unknown argument \(arg)\n".utf8))
        exit(2)
    }
}

/// Deterministic generator so the development set is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
var rng = SplitMix64(state: seed)

@MainActor func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

@MainActor func memory() -> (rss: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
    }
    return (field("VmRSS:") / 1024, field("VmHWM:") / 1024)
}

@MainActor func read(_ relative: String) -> Data {
    let url = URL(fileURLWithPath: root).appendingPathComponent(relative)
    guard let data = FileManager.default.contents(atPath: url.path) else {
        FileHandle.standardError.write(Data("cannot read \(url.path) (run from the repository root or pass --root)\n".utf8))
        exit(2)
    }
    return data
}

@MainActor func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

// MARK: Load and index

let loadStart = now()
let manifest: ListManifest
var lists: [SanctionsList] = []
do {
    manifest = try ListManifest.decode(read("Data/sanctions/manifest.json"))
    for entry in manifest.lists {
        let loader = try ListManifest.loader(for: entry)
        var files: [String: Data] = [:]
        for name in loader.fileNames { files[name] = read("Data/sanctions/\(entry.folder)/\(name)") }
        lists.append(try ListManifest.load(entry, files: files))
    }
} catch {
    print("cannot load lists: \(error)")
    exit(2)
}
let loadSeconds = now() - loadStart
var buildTimes: [Double] = []
var index = ScreeningIndex(lists: [])
for _ in 0..<(quick ? 1 : 3) {
    let start = now()
    index = ScreeningIndex(lists: lists)
    buildTimes.append(now() - start)
}
let memoryAfterBuild = memory()
// The prebuilt-index cache: what a start-up pays instead of parsing and building.
let encodeStart = now()
let cacheBytes = ScreeningIndexCache.encode(index, key: "screen-bench")
let encodeSeconds = now() - encodeStart
let decodeStart = now()
let decoded: ScreeningIndex
do { decoded = try ScreeningIndexCache.decode(cacheBytes, key: "screen-bench") } catch {
    print("cache round trip failed: \(error)")
    exit(1)
}
let decodeSeconds = now() - decodeStart
if fromCache { index = decoded }
let standard = Thresholds.standard
// For the evaluation every hit down to 0.5 is kept, so thresholds can be swept afterwards.
let evaluator = Screener(index: index, thresholds: Thresholds(review: 0.5, block: standard.block), candidateLimit: candidateLimit, maxHits: 50)
let screener = Screener(index: index, candidateLimit: candidateLimit)

if let probe = probeQuery {
    var r = screener.screen(ScreeningQuery(name: probe))
    let start = now()
    for _ in 0..<2000 { r = screener.screen(ScreeningQuery(name: probe)) }
    print("\(probe): \(fmt((now() - start) / 2000 * 1000, 3)) ms, \(r.candidatesScored) candidates, decision \(r.decision.rawValue), score \(r.score)")
    for hit in r.hits {
        let e = hit.evidence
        print("  \(hit.score) \(hit.list):\(hit.entryID) \(hit.matchedName) [\(hit.type.rawValue)]; " + e.aligned.map { "\($0.query)~\($0.listed) \($0.score) \($0.method.rawValue)" }.joined(separator: ", ")
            + "; unmatched \(e.unmatchedQuery) / \(e.unmatchedListed)" + (e.caps.isEmpty ? "" : "; caps \(e.caps)"))
    }
    exit(0)
}
print("# screen-bench")
print("lists: " + lists.map { "\($0.version.listID) \($0.version.version) (\($0.entities.count) entries)" }.joined(separator: ", "))
print("index: \(index.nameCount) names, \(index.vocabularySize) tokens, \(index.minedEquivalenceCount) spelling variants mined from aliases")
print("load (parse CSV + XML): \(fmt(loadSeconds, 2)) s; index build: min \(fmt(buildTimes.min() ?? 0, 2)) s of 3 (\(buildTimes.map { fmt($0, 2) }.joined(separator: ", ")))")
print("index cache: \(cacheBytes.count / 1_000_000) MB, encode \(fmt(encodeSeconds, 3)) s, decode \(fmt(decodeSeconds, 3)) s" + (fromCache ? " (screening with the decoded index)" : ""))
print("memory after build: RSS \(memoryAfterBuild.rss) MB (peak \(memoryAfterBuild.peak) MB, 3 indexes built, 1 kept)")
print("thresholds: review \(standard.review), block \(standard.block)")

// MARK: Development set

struct Case {
    var id: Int
    var kind: String
    var query: String
    /// `list:entry` of the entity the query should find; nil for negatives.
    var expected: String?
}

@MainActor func key(_ e: ListedEntity) -> String { "\(e.listID):\(e.entryID)" }

let entities = index.entities
var order = Array(entities.indices)
order.shuffle(using: &rng)
var cases: [Case] = []

@MainActor func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
@MainActor func scoringWords(_ text: String) -> [String] { NameNormaliser.normalise(text).scoringTokens.map(\.text) }

/// Which half of the split a key belongs to: 0 dev, 1 test.
@MainActor func half(_ key: String) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return Int(h >> 63)
}

@MainActor func inSplit(_ key: String) -> Bool {
    switch split {
    case "dev": half(key) == 0
    case "test": half(key) == 1
    default: true
    }
}

@MainActor func generate(_ kind: String, _ make: (ListedEntity) -> String?) {
    var made = 0
    for i in order where made < perKind {
        let entity = entities[i]
        guard inSplit(key(entity)) else { continue }
        guard entity.type == .person || entity.type == .organization else { continue }
        guard let query = make(entity), !query.isEmpty,
            scoringWords(query) != scoringWords(entity.primaryName) || kind == "alias" || kind == "reorder" || kind == "legal_form"
        else { continue }
        cases.append(Case(id: cases.count, kind: kind, query: query, expected: key(entity)))
        made += 1
    }
}

generate("alias") { e in
    e.names.dropFirst().first { $0.quality == .strong && scoringWords($0.text) != scoringWords(e.primaryName) && $0.text.unicodeScalars.allSatisfy(\.isASCII) }?.text
}

@MainActor func typo(_ word: String) -> String {
    var c = Array(word)
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    let p = Int.random(in: 1..<c.count, using: &rng)
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: c[p] = letters.randomElement(using: &rng) ?? "x"
    case 1: c.remove(at: p)
    case 2: c.insert(letters.randomElement(using: &rng) ?? "x", at: p)
    default:
        if p + 1 < c.count { c.swapAt(p, p + 1) } else { c.swapAt(p - 1, p) }
    }
    return String(c)
}

generate("typo") { e in
    var w = words(e.primaryName)
    let eligible = w.indices.filter { w[$0].count >= 5 && w[$0].allSatisfy(\.isLetter) }
    guard let i = eligible.randomElement(using: &rng) else { return nil }
    w[i] = typo(w[i])
    return w.joined(separator: " ")
}

generate("reorder") { e in
    guard e.type == .person else { return nil }
    let w = words(e.primaryName)
    guard w.count >= 2 else { return nil }
    return (w.dropFirst() + [w[0]]).joined(separator: " ")
}

let spellingRules: [(String, String)] = [
    ("mohammed", "muhammad"), ("muhammad", "mohamed"), ("mohammad", "muhammed"), ("ahmed", "ahmad"), ("ahmad", "ahmed"),
    ("hussein", "husain"), ("hassan", "hasan"), ("yusuf", "youssef"), ("abdul", "abdel"), ("aleksandr", "alexander"),
    ("sergey", "sergei"), ("yevgeny", "evgeni"), ("dmitry", "dmitri"), ("ou", "u"), ("kh", "h"), ("sh", "ch"), ("ee", "i"),
    ("ov", "off"), ("ev", "eff"), ("q", "k"), ("ei", "ey"), ("ey", "ei"), ("iy", "i"), ("ss", "s"), ("dh", "d"), ("th", "t"),
    ("aa", "a"), ("ph", "f"), ("w", "v"), ("c", "k"), ("y", "i"), ("u", "ou"), ("j", "dj"), ("z", "s"), ("i", "y"),
]

generate("transliteration") { e in
    var w = words(e.primaryName.lowercased())
    let eligible = w.indices.filter { w[$0].count >= 4 }
    for i in eligible.shuffled(using: &rng) {
        for (from, to) in spellingRules where w[i].contains(from) {
            if let r = w[i].range(of: from) {
                w[i].replaceSubrange(r, with: to)
                return w.joined(separator: " ")
            }
        }
    }
    return nil
}

/// Latin to Cyrillic, the reverse of the usual romanisation, for names of Russian-programme persons.
@MainActor func cyrillic(_ text: String) -> String {
    let pairs: [(String, String)] = [
        ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"),
        ("ye", "е"), ("iy", "ий"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
        ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
        ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("w", "в"), ("x", "кс"), ("j", "дж"), ("q", "к"),
    ]
    var out = ""
    var rest = Substring(text.lowercased())
    outer: while !rest.isEmpty {
        for (latin, cyr) in pairs where rest.hasPrefix(latin) {
            out += cyr
            rest = rest.dropFirst(latin.count)
            continue outer
        }
        out.append(rest.removeFirst())
    }
    return out.capitalized
}

generate("script") { e in
    guard e.type == .person,
        e.programmes.contains(where: { $0.contains("RUSSIA") || $0.contains("UKRAINE") || $0.contains("BELARUS") || $0.contains("CYBER") })
            || e.countries.contains(where: { ["RU", "BY", "UA", "KZ"].contains($0.rawValue) })
    else { return nil }
    return cyrillic(e.primaryName)
}

let legalForms = ["LLC", "Limited", "Co., Ltd.", "JSC", "GmbH", "S.A.", "Inc.", "OOO", "Limited Liability Company", "Joint Stock Company"]
generate("legal_form") { e in
    guard e.type == .organization else { return nil }
    let n = NameNormaliser.normalise(e.primaryName)
    guard let form = n.legalForm else { return nil }
    let stem = n.scoringTokens.map(\.text).joined(separator: " ")
    let others = legalForms.filter { NameNormaliser.normalise("X " + $0).legalForm != form }
    if Bool.random(using: &rng) { return stem }
    return stem + " " + (others.randomElement(using: &rng) ?? "LLC")
}

generate("partial") { e in
    guard e.type == .person else { return nil }
    var w = words(e.primaryName)
    guard w.count >= 3 else { return nil }
    w.remove(at: Int.random(in: 1..<(w.count - 1), using: &rng))
    return w.joined(separator: " ")
}
let positives = cases.count

// Negatives: common names that are not listed (exact listed token sets are dropped).
struct Negatives: Decodable {
    struct Language: Decodable {
        var given: [String]
        var family: [String]
    }
    var persons: [String: Language]
    var companies: [String]
    var genericCompanies: [String]
    enum CodingKeys: String, CodingKey {
        case persons, companies
        case genericCompanies = "generic_companies"
    }
}
let negativeSource: Negatives
do { negativeSource = try JSONDecoder().decode(Negatives.self, from: read("Fixtures/screening/negatives.json")) } catch {
    print("cannot read negatives: \(error)")
    exit(2)
}
var listed = Set<[String]>()
for e in entities { for n in e.names { listed.insert(scoringWords(n.text).sorted()) } }
var combos: [String] = []
for lang in negativeSource.persons.keys.sorted() {
    let l = negativeSource.persons[lang]!
    for g in l.given { for f in l.family { combos.append("\(g) \(f)") } }
}
combos.shuffle(using: &rng)
var droppedListed = 0
@MainActor func addNegative(_ kind: String, _ name: String) -> Bool {
    guard inSplit(name) else { return false }
    if listed.contains(scoringWords(name).sorted()) {
        droppedListed += 1
        return false
    }
    cases.append(Case(id: cases.count, kind: kind, query: name, expected: nil))
    return true
}
var personCount = 0
for name in combos where personCount < personNegatives { if addNegative("neg_person", name) { personCount += 1 } }
for name in negativeSource.companies { _ = addNegative("neg_company", name) }
for name in negativeSource.genericCompanies { _ = addNegative("neg_generic_company", name) }

print("split: \(split)" + (split == "all" ? "" : " (disjoint halves by entity / name hash)"))
print("dev set: \(positives) variant queries (\(perKind) per kind), \(cases.count - positives) negatives (\(droppedListed) common names dropped because they are listed verbatim)")

// MARK: Our scores

/// For each case: the expected entity's score (positives) or the best score (negatives).
var ours: [Double] = []
/// For each case: the best hit's `list:entry matched name` (printed with `--show-misses`).
var topHits: [String] = []
/// FNV-1a over every evaluated result (hits, scores, decisions): equal digests, equal answers.
var resultDigest: UInt64 = 0xcbf2_9ce4_8422_2325
for c in cases {
    let r = evaluator.screen(ScreeningQuery(name: c.query))
    for byte in "\(c.query)|\(r.decision.rawValue)|\(r.score)|\(r.hits.map { "\($0.list):\($0.entryID):\($0.score):\($0.evidence.aligned.map(\.listed))" })\n".utf8 {
        resultDigest = (resultDigest ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    topHits.append(r.hits.first.map { "\($0.list):\($0.entryID) \($0.matchedName) \($0.score)" } ?? "-")
    if let expected = c.expected {
        ours.append(r.hits.first { "\($0.list):\($0.entryID)" == expected }?.score ?? 0)
    } else {
        ours.append(r.hits.first?.score ?? 0)
    }
}

// MARK: Speed (standard screener, one core)

/// CPU time of this thread: what one core spent, whatever else the shared machine is doing.
@MainActor func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var latencies: [Double] = []
var cpuLatencies: [Double] = []
var candidateCounts: [Int] = []
var slowest: [(Double, String, Int)] = []
var passWall: [Double] = []
var passCPU: [Double] = []
let passes = quick ? 2 : 3
for pass in 0..<passes {
    let wallStart = now()
    let cpuStart = cpuNow()
    for c in cases {
        let t = now()
        let cpu = cpuNow()
        let r = screener.screen(ScreeningQuery(name: c.query))
        if pass == passes - 1 {
            cpuLatencies.append(cpuNow() - cpu)
            slowest.append((now() - t, c.query, r.candidatesScored))
            latencies.append(now() - t)
            candidateCounts.append(r.candidatesScored)
        }
    }
    if pass > 0 {
        passWall.append(now() - wallStart)
        passCPU.append(cpuNow() - cpuStart)
    }
}
latencies.sort()
cpuLatencies.sort()
@MainActor func percentile(_ values: [Double], _ p: Double) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))] }

// MARK: Baselines

var baseline: [String: [Double]] = [:]
var baselineNotes: [String] = []
if runBaselines {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("screen-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var namesOut = ""
    for e in entities {
        for n in e.names {
            let line: [String: String] = ["e": key(e), "t": e.type.rawValue, "n": n.text, "q": n.quality.rawValue]
            namesOut += String(decoding: (try? JSONEncoder().encode(line)) ?? Data(), as: UTF8.self) + "\n"
        }
    }
    var queriesOut = ""
    for c in cases {
        queriesOut += String(decoding: (try? JSONSerialization.data(withJSONObject: ["i": c.id, "q": c.query])) ?? Data(), as: UTF8.self) + "\n"
    }
    let namesURL = dir.appendingPathComponent("names.jsonl")
    let queriesURL = dir.appendingPathComponent("queries.jsonl")
    let outURL = dir.appendingPathComponent("out.jsonl")
    try? namesOut.write(to: namesURL, atomically: true, encoding: .utf8)
    try? queriesOut.write(to: queriesURL, atomically: true, encoding: .utf8)
    let script = URL(fileURLWithPath: root).appendingPathComponent("Scripts/screening_baselines.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script, namesURL.path, queriesURL.path, outURL.path]
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        baselineNotes.append("baselines not run: \(error)")
    }
    if let text = try? String(contentsOf: outURL, encoding: .utf8) {
        var rf = [Double](repeating: 0, count: cases.count)
        var nk = [Double](repeating: 0, count: cases.count)
        var sawNK = false
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if let timing = obj["timing"] as? [String: Any] {
                if let s = timing["rapidfuzz_seconds"] as? Double, let n = timing["rapidfuzz_queries"] as? Int {
                    baselineNotes.append("rapidfuzz \(fmt(Double(n) / s, 1)) queries/s (brute force over all names)")
                }
                if let s = timing["nomenklatura_seconds"] as? Double, let n = timing["nomenklatura_queries"] as? Int {
                    sawNK = true
                    baselineNotes.append("nomenklatura \(timing["nomenklatura_version"] ?? "?") logic-v2 \(fmt(Double(n) / s, 1)) queries/s (20 candidates each)")
                }
                if let err = timing["nomenklatura_error"] { baselineNotes.append("nomenklatura not available: \(err)") }
                continue
            }
            guard let i = obj["i"] as? Int, i < cases.count else { continue }
            let c = cases[i]
            for (name, dict) in [("rf", obj["rf"]), ("nk", obj["nk"])] {
                let scores = (dict as? [String: Double]) ?? [:]
                let value = c.expected.map { scores[$0] ?? 0 } ?? (scores.values.max() ?? 0)
                if name == "rf" { rf[i] = value } else { nk[i] = value }
            }
        }
        baseline["rapidfuzz token_set_ratio"] = rf
        if sawNK { baseline["nomenklatura logic-v2"] = nk }
    } else {
        baselineNotes.append("baselines produced no output (is rapidfuzz installed for \(python)?)")
    }
    try? FileManager.default.removeItem(at: dir)
}

// MARK: Report

let kinds = ["alias", "typo", "reorder", "transliteration", "script", "legal_form", "partial"]
let negKinds = ["neg_person", "neg_company", "neg_generic_company"]

@MainActor func recall(_ scores: [Double], _ threshold: Double, kind: String? = nil) -> Double {
    let idx = cases.indices.filter { cases[$0].expected != nil && (kind == nil || cases[$0].kind == kind) }
    guard !idx.isEmpty else { return 0 }
    return Double(idx.filter { scores[$0] >= threshold }.count) / Double(idx.count)
}

@MainActor func falsePositiveRate(_ scores: [Double], _ threshold: Double, kind: String? = nil) -> Double {
    let idx = cases.indices.filter { cases[$0].expected == nil && (kind == nil || cases[$0].kind == kind) }
    guard !idx.isEmpty else { return 0 }
    return Double(idx.filter { scores[$0] >= threshold }.count) / Double(idx.count)
}

/// The lowest threshold whose false-positive rate is at most 5 %.
@MainActor func thresholdAtFPR(_ scores: [Double], _ target: Double = 0.05) -> Double {
    let negatives = cases.indices.filter { cases[$0].expected == nil }.map { scores[$0] }.sorted(by: >)
    let allowed = Int(Double(negatives.count) * target)
    guard allowed < negatives.count else { return 0 }
    return negatives[allowed] + 1e-9
}

print("")
print("## Recall per variant kind and false-positive rate on negatives")
var systems: [(String, [Double], [(String, Double)])] = [("CustomsHub Screening", ours, [("review", standard.review), ("block", standard.block)])]
if let rf = baseline["rapidfuzz token_set_ratio"] { systems.append(("rapidfuzz token_set_ratio", rf, [("90", 0.90)])) }
if let nk = baseline["nomenklatura logic-v2"] { systems.append(("nomenklatura logic-v2", nk, [("0.70 (yente default)", 0.70)])) }
let header = ["system @ threshold"] + kinds + ["all variants"] + negKinds.map { "FP " + $0.replacingOccurrences(of: "neg_", with: "") } + ["FP all"]
print("| " + header.joined(separator: " | ") + " |")
print("|" + String(repeating: " --- |", count: header.count))
for (name, scores, thresholds) in systems {
    var rows = thresholds.map { ("\(name) @ \($0.0) \(fmt($0.1, 2))", $0.1) }
    let matched = thresholdAtFPR(scores)
    if matched > 1 {
        print("| \(name) @ FP≤0.05: unreachable, more than 5 % of negatives score 1.0 |" + String(repeating: " |", count: header.count - 1))
    } else {
        rows.append(("\(name) @ FP≤0.05 (\(fmt(matched, 3)))", matched))
    }
    for (label, t) in rows {
        var cells = [label]
        cells += kinds.map { fmt(recall(scores, t, kind: $0)) }
        cells.append(fmt(recall(scores, t)))
        cells += negKinds.map { fmt(falsePositiveRate(scores, t, kind: $0)) }
        cells.append(fmt(falsePositiveRate(scores, t)))
        print("| " + cells.joined(separator: " | ") + " |")
    }
}
print("")
print("## Speed (release, one thread, \(cases.count) queries; " + (quick ? "pass 2" : "passes 2 and 3") + " after a warm-up)")
let bestCPU = passCPU.min() ?? 1
let bestWall = passWall.min() ?? 1
print("screens/s per core (thread CPU time): \(fmt(Double(cases.count) / bestCPU, 0)); wall clock: \(fmt(Double(cases.count) / bestWall, 0))")
print("latency CPU: p50 \(fmt(percentile(cpuLatencies, 0.5) * 1000, 3)) ms, p99 \(fmt(percentile(cpuLatencies, 0.99) * 1000, 3)) ms, max \(fmt((cpuLatencies.last ?? 0) * 1000, 3)) ms")
print("latency wall: p50 \(fmt(percentile(latencies, 0.5) * 1000, 3)) ms, p99 \(fmt(percentile(latencies, 0.99) * 1000, 3)) ms, max \(fmt((latencies.last ?? 0) * 1000, 3)) ms")
let meanCandidates = candidateCounts.isEmpty ? 0 : Double(candidateCounts.reduce(0, +)) / Double(candidateCounts.count)
print("result digest (all evaluated hits): \(String(resultDigest, radix: 16))")
// For instructions per screen: callgrind's total inside Screener.screen divided by this.
print("Screener.screen calls: \(cases.count * (1 + passes))")
print("candidates scored per query: mean \(fmt(meanCandidates, 1)), max \(candidateCounts.max() ?? 0)")
for note in baselineNotes { print(note) }
let finalMemory = memory()
print("RSS at end: \(finalMemory.rss) MB (peak \(finalMemory.peak) MB)")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, shared with other builds (figures vary with contention)")

// Misses, for tuning: a few per kind.
if CommandLine.arguments.contains("--show-misses") || ProcessInfo.processInfo.environment["SHOW_MISSES"] != nil {
    for (t, q, n) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(10) { print("slow: \(fmt(t * 1000, 2)) ms, \(n) candidates: \(q)") }
    for kind in kinds + negKinds {
        let isNeg = kind.hasPrefix("neg")
        let bad = cases.indices.filter { cases[$0].kind == kind && (isNeg ? ours[$0] >= standard.review : ours[$0] < standard.review) }
        for i in bad { print("miss \(kind): \(cases[i].query) -> \(cases[i].expected ?? "-") score \(ours[i]); best \(topHits[i])") }
    }
}
