// extract-bench: field-level precision, recall and F1 of document intake on Fixtures/documents,
// separately for text PDFs and for scans, with pages per CPU-second; beside the baseline
// (Scripts/documents_baseline.py: pdftotext / tesseract command-line tools plus regular
// expressions) scored the same way in the same run.
//
// Usage: extract-bench [--fixtures DIR] [--repeat N] [--no-baseline] [--verbose] [--by-field] [--stages] [--learn-from DIR]
//        extract-bench --words FILE     (the words one file reads as, with boxes and confidences)
//        extract-bench --child BIN [--repeat N]   (what reading in a child process, `BIN extract --worker`
//                                       as the server does, costs beside reading in this process)
//        extract-bench --help
// (--by-field adds F1 per field, line fields pooled as `lines.NAME`; --learn-from DIR first learns
// supplier templates from DIR's documents of the same set, as reviewers' corrections would: every
// field of DIR/expected that the generic reader got wrong is a correction, and the fixtures are
// then read with the learned templates. Learn on the committed fixtures, score a held-out set.)
// Run from the repository root with a release build:
//   swift build -c release --product extract-bench && .build/release/extract-bench
// Tesseract may use OpenMP threads; CPU time counts every thread (set OMP_THREAD_LIMIT=1 to
// measure one core).
import DocumentExtraction
import Documents
import Foundation


func cpuSeconds(children: Bool = false) -> Double {
    var u = rusage()
    _ = getrusage(children ? Int32(RUSAGE_CHILDREN.rawValue) : Int32(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

let usage = """
    usage: extract-bench [--fixtures DIR] [--repeat N] [--no-baseline] [--verbose] [--by-field] [--stages] [--learn-from DIR] [--ocr-dpi N] [--second-dpi N] [--third-dpi N] [--no-own-resolution]
           extract-bench [--ocr-dpi N] [--second-dpi N] [--third-dpi N] --words FILE
      --fixtures DIR    the set to score: DIR/text, DIR/scans and DIR/expected (default Fixtures/documents)
      --repeat N        read every set N times for the pages per CPU-second (default 10)
      --no-baseline     skip the pdftotext/tesseract + regular-expression baseline
      --verbose         F1 per document
      --by-field        F1 per field (line fields pooled as lines.NAME)
      --stages          CPU time per reading stage (rendering, preparing, Tesseract's passes, the rereadings)
      --ocr-dpi N       the resolution scans are read at (default the reader's, ReadLimits.ocrDPI)
      --second-dpi N    the resolution a scan that read poorly is read again at (default ReadLimits.secondOCRDPI;
                        0 reads every scan once, unless --third-dpi is given)
      --third-dpi N     the resolution a scan that still reads poorly is read at (default ReadLimits.thirdOCRDPI, none)
      --no-own-resolution  no reading of a poorly read PDF scan at its own resolution (ReadLimits.ownResolutionReading)
      --learn-from DIR  first learn supplier templates from DIR's documents of the same set (every field the
                        generic reader got wrong counts as a reviewer's correction), then score --fixtures with them
      --words FILE      print the words FILE reads as (page, text, box, confidence; page `N/2` its second reading), for looking into a miss
      --child BIN       read every fixture in this process and in a child `BIN extract --worker` (as `serve` reads an
                        upload), one after the other: wall and CPU per file of each, and whether the answers are the same
    """
var fixtures = "Fixtures/documents"
var repeats = 10
var baseline = true
var verbose = false
var byField = false
var learnFrom: String?
var limits = ReadLimits()
var child: String?
let fm = FileManager.default
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--fixtures": fixtures = args.next() ?? fixtures
    case "--repeat": repeats = Int(args.next() ?? "") ?? repeats
    case "--no-baseline": baseline = false
    case "--verbose": verbose = true
    case "--by-field": byField = true
    case "--stages": StageClock.enabled = true
    case "--learn-from": learnFrom = args.next()
    case "--ocr-dpi":
        guard let dpi = args.next().flatMap({ Int($0) }), (72...600).contains(dpi) else {
            FileHandle.standardError.write(Data("extract-bench: --ocr-dpi needs a resolution from 72 to 600\n".utf8))
            exit(2)
        }
        limits.ocrDPI = dpi
    case "--second-dpi":
        guard let dpi = args.next().flatMap({ Int($0) }), dpi == 0 || (72...600).contains(dpi) else {
            FileHandle.standardError.write(Data("extract-bench: --second-dpi needs 0 or a resolution from 72 to 600\n".utf8))
            exit(2)
        }
        limits.secondOCRDPI = dpi == 0 ? nil : dpi
    case "--third-dpi":
        guard let dpi = args.next().flatMap({ Int($0) }), dpi == 0 || (72...600).contains(dpi) else {
            FileHandle.standardError.write(Data("extract-bench: --third-dpi needs 0 or a resolution from 72 to 600\n".utf8))
            exit(2)
        }
        limits.thirdOCRDPI = dpi == 0 ? nil : dpi
    case "--no-own-resolution": limits.ownResolutionReading = false
    case "--words":
        // Prints the words a file reads as, for looking into a miss.
        guard let path = args.next(), let bytes = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("extract-bench: --words needs a readable FILE\n".utf8))
            exit(2)
        }
        do {
            for p in try AnyDocumentReader(limits: limits).pages(Array(bytes)) {
                for w in p.words { print(p.number, w.text, w.box, String(format: "conf %.2f", w.confidence)) }
                // The page's other reading (`PageText.secondReading`), which the extractor chooses from line by line.
                for w in p.secondReading ?? [] { print("\(p.number)/2", w.text, w.box, String(format: "conf %.2f", w.confidence)) }
            }
        } catch {
            FileHandle.standardError.write(Data("extract-bench: \(path): \(error)\n".utf8))
            exit(2)
        }
        exit(0)
    case "--child":
        guard let bin = args.next(), fm.isExecutableFile(atPath: bin) else {
            FileHandle.standardError.write(Data("extract-bench: --child needs the customs-hub executable\n".utf8))
            exit(2)
        }
        child = bin
    case "--help", "-h":
        print(usage)
        exit(0)
    default:
        FileHandle.standardError.write(Data("extract-bench: unknown option '\(a)'\n\(usage)\n".utf8))
        exit(2)
    }
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
/// The fixture files of one set; a missing or empty folder stops the benchmark instead of scoring nothing.
@MainActor func files(_ sub: String) -> [String] {
    let names: [String]
    do { names = try fm.contentsOfDirectory(atPath: "\(fixtures)/\(sub)").filter { !$0.hasPrefix(".") } } catch {
        FileHandle.standardError.write(Data("extract-bench: cannot read \(fixtures)/\(sub): \(error)\n".utf8))
        exit(2)
    }
    guard !names.isEmpty else {
        FileHandle.standardError.write(Data("extract-bench: no fixtures in \(fixtures)/\(sub)\n".utf8))
        exit(2)
    }
    return names.sorted().map { "\(fixtures)/\(sub)/\($0)" }
}
func id(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
@MainActor func expected(_ path: String) -> ExtractedDocument? {
    guard let data = fm.contents(atPath: "\(fixtures)/expected/\(id(path)).json") else { return nil }
    return try? JSONDecoder().decode(ExtractedDocument.self, from: data)
}

let sets: [(name: String, files: [String], repeats: Int)] = [("text PDFs", files("text"), repeats), ("scans", files("scans"), 1)]
guard sets.allSatisfy({ !$0.files.isEmpty }) else {
    FileHandle.standardError.write(Data("extract-bench: no fixtures under \(fixtures)/text and \(fixtures)/scans (run from the repository root)\n".utf8))
    exit(2)
}

if let child {
    compareChild(child)
    exit(0)
}

/// Each file read in this process, then in a child as `serve` reads an upload (paired, so both
/// see the same load): wall and CPU per file of each (the child's CPU as the children's usage), and whether the
/// child's answer is the in-process answer byte for byte. A refused file gives the child's fixed cost.
@MainActor func compareChild(_ bin: String) {
    var refused = fixtures + "/small/encrypted.pdf"
    if !fm.fileExists(atPath: refused) { refused = "Fixtures/documents/small/encrypted.pdf" }
    let bounds = ReadingWorker.Limits(seconds: 600, cpuSeconds: 600, memoryMB: 4096)
    print("set | reads | in process: wall / CPU per file | child: wall / CPU per file | child extra: wall / CPU | same answer")
    print("--- | --- | --- | --- | --- | ---")
    for (name, list, n) in sets + [("refused (encrypted PDF)", [refused], repeats)] {
        var inWall = 0.0, inCPU = 0.0, childWall = 0.0, childCPU = 0.0, same = 0, reads = 0
        for _ in 0..<n {
            for path in list {
                guard let bytes = fm.contents(atPath: path).map(Array.init) else { continue }
                let cpu0 = cpuSeconds(), t0 = Date()
                let mine: [UInt8]
                do {
                    var reader = AnyDocumentReader(limits: limits)
                    reader.limits.maxBytes = 16 << 20
                    mine = try ReadingWorker.encode(reader.reading(bytes, extractor: Extractor()).extraction)
                } catch let e as DocumentReadError { mine = Array("\(e)".utf8) } catch { mine = [] }
                inWall += Date().timeIntervalSince(t0)
                inCPU += cpuSeconds() - cpu0
                // The server's whole cost of a child read: the temporary file, the child, reading its answer.
                let childCPU0 = cpuSeconds(children: true), t1 = Date()
                do {
                    let (json, _) = try ReadingWorker.read(bytes, maxBytes: 16 << 20, templates: [], executable: bin,
                                                           arguments: ["extract", "--worker"], limits: bounds)
                    if json == mine { same += 1 } else { print("  differs: \(path)") }
                } catch {
                    if case .refused(let e) = error, Array("\(e)".utf8) == mine { same += 1 } else { print("  \(path): \(error)") }
                }
                childWall += Date().timeIntervalSince(t1)
                childCPU += cpuSeconds(children: true) - childCPU0
                reads += 1
            }
        }
        let k = Double(max(reads, 1))
        func ms(_ x: Double) -> String { String(format: "%.1f ms", x / k * 1000) }
        print("\(name) | \(reads) | \(ms(inWall)) / \(ms(inCPU)) | \(ms(childWall)) / \(ms(childCPU)) | "
              + "\(ms(childWall - inWall)) / \(ms(childCPU - inCPU)) | \(same)/\(reads)")
    }
}

print("extract-bench: \(sets[0].files.count) text PDFs, \(sets[1].files.count) scans; Tesseract languages \(TesseractOCR.shared.languages)")
let reader = AnyDocumentReader(limits: limits)
/// Templates learned per set from `--learn-from`'s documents (outside the measurement).
var learnedTemplates: [String: [SupplierTemplate]] = [:]
if let dir = learnFrom {
    for (set, sub) in [("text PDFs", "text"), ("scans", "scans")] {
        var bySupplier: [String: SupplierTemplate] = [:]
        var learnedFields = 0, notLearned = 0
        // A mistyped or moved folder must not pass as "nothing to learn".
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: "\(dir)/\(sub)").filter { !$0.hasPrefix(".") }.sorted() } catch {
            FileHandle.standardError.write(Data("extract-bench: --learn-from \(dir)/\(sub) cannot be listed: \(error.localizedDescription)\n".utf8))
            exit(2)
        }
        guard !names.isEmpty else {
            FileHandle.standardError.write(Data("extract-bench: --learn-from \(dir)/\(sub) holds no documents\n".utf8))
            exit(2)
        }
        for name in names {
            let path = "\(dir)/\(sub)/\(name)"
            guard let data = fm.contents(atPath: path), let want = fm.contents(atPath: "\(dir)/expected/\(id(path)).json")
                .flatMap({ try? JSONDecoder().decode(ExtractedDocument.self, from: $0) }), let pages = try? reader.pages(Array(data)) else { continue }
            let supplier = want.sellerName ?? ""
            let got = Extractor(templates: Array(bySupplier.values)).extract(pages).document
            var corrections: [String: String] = [:]
            let pairs: [(String, String?, String?)] = [
                ("invoice_number", want.invoiceNumber, got.invoiceNumber), ("invoice_date", want.invoiceDate, got.invoiceDate),
                ("currency", want.currency, got.currency), ("incoterm", want.incoterm, got.incoterm), ("total", want.total, got.total),
                ("seller_name", want.sellerName, got.sellerName), ("buyer_name", want.buyerName, got.buyerName),
            ]
            for (k, w, g) in pairs { if let w, SupplierTemplate.canonical(k, w) != g.map({ SupplierTemplate.canonical(k, $0) }) { corrections[k] = w } }
            guard !corrections.isEmpty else { continue }
            let r = SupplierTemplate.learn(from: pages, corrections: corrections, base: bySupplier[supplier], supplier: supplier, source: "learned:\(id(path))")
            if let t = r.template { bySupplier[supplier] = t }
            learnedFields += r.learned.count
            notLearned += r.notLearned.count
            if verbose {
                for l in r.learned { print("  learned \(id(path)) \(l.field) = \(l.value): \(l.how)") }
                for l in r.notLearned { print("  not learned \(id(path)) \(l.field) = \(l.value): \(l.reason)") }
            }
        }
        learnedTemplates[set] = Array(bySupplier.values).sorted { $0.supplier < $1.supplier }
        print("learned from \(dir)/\(sub): \(bySupplier.count) templates, \(learnedFields) fields learned, \(notLearned) corrections not learned")
    }
}
var ours: [String: (FieldScore, Double, Int)] = [:]
/// Per set, the CPU seconds of each reading stage (`--stages`).
var stageTimes: [String: [(path: String, seconds: Double, count: Int)]] = [:]
/// Per set, per field (`lines[3].quantity` pooled as `lines.quantity`): correct, expected, read.
var perField: [String: [String: (correct: Int, expected: Int, read: Int)]] = [:]
func fieldName(_ key: String) -> String {
    guard key.hasPrefix("lines["), let close = key.firstIndex(of: "]") else { return key }
    return "lines" + key[key.index(after: close)...]
}
for set in sets {
    var score = FieldScore()
    var cpu = 0.0
    var pages = 0
    // Warm-up outside the measurement: loads Tesseract's models once.
    if set.name == "scans", let first = set.files.first, let b = fm.contents(atPath: first) { _ = try? reader.pages(Array(b)) }
    _ = StageClock.take()
    // Every reading must make its extraction: the figures are pages per CPU-second of whole readings.
    let tally = ExtractionTally()
    var readings = 0
    Extractor.$tally.withValue(tally) {
    for path in set.files {
        guard let data = fm.contents(atPath: path), let want = expected(path) else {
            print("  \(path): no expected document")
            continue
        }
        let bytes = Array(data)
        var last: Extraction?
        let t0 = cpuSeconds()
        for _ in 0..<set.repeats {
            do {
                let read = try reader.reading(bytes, extractor: Extractor(templates: learnedTemplates[set.name] ?? []))
                last = read.extraction
                pages += read.pages.count
                readings += 1
            } catch {
                print("  \(id(path)): refused: \(error)")
                pages += 1
            }
        }
        cpu += cpuSeconds() - t0
        let got = last?.document ?? ExtractedDocument()
        let s = FieldScore.score(predicted: got, expected: want, label: id(path))
        score = score + s
        let p = FieldScore.flatten(got), e = FieldScore.flatten(want)
        for (k, v) in e {
            perField[set.name, default: [:]][fieldName(k), default: (0, 0, 0)].expected += 1
            if let pv = p[k], FieldScore.same(k, pv, v) { perField[set.name, default: [:]][fieldName(k), default: (0, 0, 0)].correct += 1 }
        }
        for k in p.keys { perField[set.name, default: [:]][fieldName(k), default: (0, 0, 0)].read += 1 }
        if verbose {
            print("  " + pad(id(path), 28) + String(format: " F1 %.3f  (%d/%d correct, %d read)", s.f1, s.correct, s.expected, s.predicted))
            for m in s.misses { print("      \(m)") }
        }
    }
    }
    guard tally.made >= readings else {
        FileHandle.standardError.write(Data("extract-bench: \(set.name): \(readings) readings made \(tally.made) extractions; the figures would not be whole readings\n".utf8))
        exit(1)
    }
    ours[set.name] = (score, cpu, pages)
    if StageClock.enabled { stageTimes[set.name] = StageClock.take() }
}

var theirs: [String: (FieldScore, Double, Int)] = [:]
if baseline {
    for set in sets {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "Scripts/documents_baseline.py"] + set.files
        let out = Pipe()
        p.standardOutput = out
        let t0 = cpuSeconds(children: true)
        do { try p.run() } catch {
            print("baseline could not start: \(error)")
            break
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let cpu = cpuSeconds(children: true) - t0
        var score = FieldScore()
        var pages = 0
        for line in data.split(separator: UInt8(ascii: "\n")) {
            struct Row: Decodable { var file: String; var document: ExtractedDocument }
            guard let row = try? JSONDecoder().decode(Row.self, from: Data(line)) else {
                print("  baseline line unreadable: \(String(decoding: line.prefix(200), as: UTF8.self))")
                continue
            }
            let path = set.files.first { URL(fileURLWithPath: $0).lastPathComponent == row.file } ?? row.file
            guard let want = expected(path) else { continue }
            let s = FieldScore.score(predicted: row.document, expected: want, label: "baseline " + id(path))
            score = score + s
            if verbose { print("  baseline " + pad(id(path), 28) + String(format: " F1 %.3f", s.f1)) }
            pages += (try? AnyDocumentReader(ocr: NoOCR()).pages(Array(fm.contents(atPath: path) ?? Data())).count) ?? 1
        }
        theirs[set.name] = (score, cpu, pages)
    }
}

/// Counts pages without recognising them (for the baseline's pages per second).
struct NoOCR: PageOCR {
    func words(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> [Word] { [] }
}

print("")
print("set        engine     precision recall    F1      fields (correct/expected/read)   pages  CPU s    pages/CPU-s")
for set in sets {
    for (engine, table) in [("ours", ours), ("baseline", theirs)] {
        guard let (s, cpu, pages) = table[set.name] else { continue }
        print(pad(set.name, 10) + " " + pad(engine, 10) + String(
            format: " %.3f     %.3f     %.3f   %4d/%4d/%4d                   %5d  %7.3f  %8.1f",
            s.precision, s.recall, s.f1, s.correct, s.expected, s.predicted, pages, cpu, cpu > 0 ? Double(pages) / cpu : 0))
    }
}
for set in sets {
    guard let stages = stageTimes[set.name], let (_, cpu, pages) = ours[set.name] else { continue }
    print("")
    print("\(set.name), CPU by stage (exclusive; a path is the stages open, outermost first):")
    print("  stage                                           CPU s   share   runs  ms/page")
    for s in stages where s.seconds >= 0.0005 {
        print("  " + pad(s.path, 44) + String(format: " %7.3f  %5.1f%%  %5d  %7.1f", s.seconds, cpu > 0 ? 100 * s.seconds / cpu : 0, s.count,
                                              pages > 0 ? 1000 * s.seconds / Double(pages) : 0))
    }
}
if byField {
    for set in sets {
        guard let table = perField[set.name] else { continue }
        print("")
        print("\(set.name), ours, per field:")
        print("  field                                   F1     correct/expected/read")
        for (k, v) in table.sorted(by: { $0.key < $1.key }) {
            let p = v.read > 0 ? Double(v.correct) / Double(v.read) : 0, r = v.expected > 0 ? Double(v.correct) / Double(v.expected) : 0
            let f1 = p + r > 0 ? 2 * p * r / (p + r) : 0
            print("  " + pad(k, 38) + String(format: " %.3f  %4d/%4d/%4d", f1, v.correct, v.expected, v.read))
        }
    }
}
