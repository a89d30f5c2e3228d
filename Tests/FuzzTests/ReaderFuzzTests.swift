import ChildProcess
import CSVCore
import Foundation
import JSONCore
import Mapping
import Screening
import SecureXML
import Tariff
import Testing

/// Deterministic mutation fuzzing of every reader that takes outside bytes (issue #21), like the
/// EDIFACT reader's: seeds from the repository's own files, a fixed-seed mutator, and properties
/// every input must keep (no crash, a typed error with a position inside the input, the same
/// answer whatever the chunking). Inputs that ever broke a property, and hand-made hostile ones,
/// live in `Fixtures/fuzz/<reader>/` and are replayed first. `FUZZ_ITERATIONS` raises the count
/// per seed for a deeper local run; `Scripts/fuzz.sh` runs libFuzzer campaigns on the same readers.
@Suite struct ReaderFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 40

    /// Seeds from one folder; a missing folder, no matching file or an unreadable one throws, so
    /// a moved folder cannot leave a reader fuzzed from the other folder only.
    static func files(_ relative: String, suffix: String, limit: Int = 6, maxBytes: Int = 48 << 10) throws -> [[UInt8]] {
        let base = root.appendingPathComponent(relative)
        var out: [[UInt8]] = []
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        var names: [URL] = []
        while let url = walker?.nextObject() as? URL {
            if url.lastPathComponent.hasSuffix(suffix) { names.append(url) }
        }
        try #require(!names.isEmpty, "no \(suffix) seeds under \(relative)")
        for url in names.sorted(by: { $0.path < $1.path }).prefix(limit) {
            out.append(Array(try Data(contentsOf: url).prefix(maxBytes)))
        }
        return out
    }

    /// Every committed regression input; a missing folder or unreadable file throws instead of giving zero cases.
    static func regressions(_ reader: String) throws -> [(String, [UInt8])] {
        let dir = root.appendingPathComponent("Fixtures/fuzz/\(reader)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
        return try names.map { n in (n, Array(try Data(contentsOf: dir.appendingPathComponent(n)))) }
    }

    /// Runs `property` on every regression input of `reader`, then on mutations of every seed.
    static func fuzz(_ reader: String, seeds: [[UInt8]], tokens: [String], _ property: ([UInt8]) -> String?) throws {
        let kept = try regressions(reader)
        try #require(!kept.isEmpty, "no regression inputs in Fixtures/fuzz/\(reader)")
        try #require(!seeds.isEmpty, "no seeds for \(reader)")
        for (name, input) in kept { #expect(property(input) == nil, "\(reader)/\(name)") }
        var failures: [String] = []
        let dictionary = tokens.map { Array($0.utf8) }
        for (k, seed) in seeds.enumerated() {
            var rng = Mutator(seed: UInt64(k + 1) &* 0x9E37_79B9)
            for i in 0..<iterations {
                let input = rng.mutate(seed, dictionary: dictionary)
                if let problem = property(input) {
                    failures.append("seed \(k) #\(i): \(problem)")
                    if let dir = ProcessInfo.processInfo.environment["FUZZ_SAVE"] {
                        try? Data(input).write(to: URL(fileURLWithPath: dir).appendingPathComponent("\(reader)-\(k)-\(i)"))
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func jsonParser() throws {
        let seeds = try Self.files("Fixtures/json", suffix: ".json") + Self.files("Fixtures/orders/valid", suffix: ".json", limit: 3)
        try Self.fuzz("json", seeds: seeds, tokens: ["{", "}", "[", "]", "\"", "\\u", "\\ud800", "1e400", "-0", ",", ":", "null", "\u{0}"]) { input in
            do {
                let value = try JSONParser.parse(input)
                let again = try? JSONParser.parse(JSONWriter.write(value))
                return again == value ? nil : "write → parse changed the value"
            } catch let error as JSONParseError {
                return (0...input.count).contains(error.position.offset) ? nil : "offset \(error.position.offset) outside \(input.count) bytes"
            } catch {
                return "untyped error \(error)"
            }
        }
    }

    @Test func secureXML() throws {
        let seeds = try Self.files("Fixtures/xml", suffix: ".xml")
        try Self.fuzz("xml", seeds: seeds, tokens: ["<", ">", "</", "/>", "=\"", "xmlns:a=\"u\"", "<!DOCTYPE a [", "&amp;", "&#0;", "<![CDATA[", "]]>", "<?", "?>", "<!--", "-->", "\u{0}"]) { input in
            let whole = Result { () throws(XMLError) in try SecureXMLParser().parse(input) }
            let size = 1 + input.count / 3
            let chunks = stride(from: 0, to: max(input.count, 1), by: size).map { Array(input[$0..<min(input.count, $0 + size)]) }
            let chunked = Result { () throws(XMLError) in try SecureXMLParser().parse(chunks: chunks) }
            switch (whole, chunked) {
            case (.success(let a), .success(let b)): return a.root == b.root ? nil : "chunked parse gave another tree"
            case (.failure(let e), .failure): return e.line >= 0 ? nil : "negative line"
            default: return "whole and chunked parses disagree"
            }
        }
    }

    @Test func yamlSpecLoader() throws {
        let seeds = try Self.files("Mappings", suffix: ".yaml", limit: 4) + Self.files("Adapters", suffix: ".yaml", limit: 2)
        try Self.fuzz("yaml", seeds: seeds, tokens: [":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!binary ", "!!python/object ", "? ", "|", ">", "\t", "'", "\"", "\n  "]) { input in
            let text = String(decoding: input, as: UTF8.self)
            do {
                _ = try MappingLoader().load(text, file: "Mappings/fuzz.yaml")
            } catch let e as MappingErrors {
                return e.errors.allSatisfy { $0.location.line >= 0 && $0.location.file == "Mappings/fuzz.yaml" } ? nil : "error without its file"
            } catch {
                return "untyped error \(error)"
            }
            return nil
        }
    }

    @Test func csvReader() throws {
        let seeds = try Self.files("Fixtures/screening", suffix: ".csv", limit: 3)
        try Self.fuzz("csv", seeds: seeds, tokens: ["\"", "\"\"", ",", "\r\n", "\n", "\r", "\u{0}", "\u{FEFF}"]) { input in
            let text = String(decoding: input, as: UTF8.self)
            do {
                let csv = try CSVReader(text)
                let lines = text.reduce(1) { $0 + ($1 == "\n" || $1 == "\r\n" || $1 == "\r" ? 1 : 0) }
                return csv.rows.allSatisfy { $0.line >= 1 && $0.line <= lines + 1 } ? nil : "row line outside the input"
            } catch let error as CSVReader.ParseError {
                return error.line >= 1 ? nil : "error line \(error.line)"
            } catch {
                return "untyped error \(error)"
            }
        }
    }

    @Test func sanctionsLoaders() throws {
        let sdn = try Self.files("Fixtures/screening", suffix: "sdn_slice.csv", limit: 1, maxBytes: 24 << 10)
        let un = try Self.files("Fixtures/screening", suffix: "un_slice.xml", limit: 1, maxBytes: 24 << 10)
        let published = Date(timeIntervalSince1970: 1_703_788_800)
        try Self.fuzz("sanctions", seeds: sdn + un, tokens: ["\"", ",", "-0- ", "<INDIVIDUAL>", "</INDIVIDUAL>", "<DATAID>", "\n", "a.k.a. ", ";"]) { input in
            let isXML = input.first == UInt8(ascii: "<")
            do {
                if isXML {
                    _ = try UNConsolidatedLoader().load(files: ["UN_consolidated.xml": Data(input)], published: published)
                } else {
                    _ = try OFACSDNLoader().load(files: ["sdn.csv": Data(input), "alt.csv": Data(), "add.csv": Data()], published: published)
                }
            } catch let error as ListLoadError {
                return error.file.isEmpty ? "error without its file" : nil
            } catch {
                return "untyped error \(error)"
            }
            return nil
        }
    }

    @Test func packParser() throws {
        let seeds = try Self.files("Data/packs/GB", suffix: ".jsonl", limit: 3, maxBytes: 16 << 10) + Self.files("Data/packs/EU", suffix: ".jsonl", limit: 2, maxBytes: 16 << 10)
        try Self.fuzz("pack", seeds: seeds, tokens: ["{", "}", "\"rate\":", "\"valid_from\":", "\"1e400\"", "\"%\"", "\n", "\"id\":\"x\"", "null"]) { input in
            do {
                _ = try PackParser.parse(String(decoding: input, as: UTF8.self), file: "packs/fuzz.jsonl")
            } catch let error as PackLoadError {
                return error.description.contains("packs/fuzz.jsonl") ? nil : "error without its file: \(error.description.prefix(80))"
            } catch {
                return "untyped error \(error)"
            }
            return nil
        }
    }
}

/// SplitMix64 with the mutations of the EDIFACT fuzz test, plus splicing in tokens of the format.
struct Mutator {
    var rng: SplitMix
    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func next() -> UInt64 { rng.next() }

    mutating func below(_ n: Int) -> Int { rng.below(n) }

    mutating func mutate(_ input: [UInt8], dictionary: [[UInt8]]) -> [UInt8] {
        var b = input
        for _ in 0...below(4) {
            let n = b.count
            switch below(8) {
            case 0 where n > 0: b[below(n)] = UInt8(truncatingIfNeeded: next())
            case 1 where !dictionary.isEmpty: b.insert(contentsOf: dictionary[below(dictionary.count)], at: below(n + 1))
            case 2 where n > 0:
                let at = below(n)
                b.removeSubrange(at..<min(n, at + 1 + below(16)))
            case 3 where n > 0:
                let at = below(n)
                let piece = Array(b[at..<min(n, at + 1 + below(256))])
                b.insert(contentsOf: piece, at: below(n + 1))
            case 4 where n > 0: b = Array(b.prefix(below(n)))
            case 5: b.insert(contentsOf: (0..<below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: below(n + 1))
            case 6 where n > 1: b.swapAt(below(n), below(n))
            default:
                if let t = dictionary.isEmpty ? nil : dictionary[below(dictionary.count)] {
                    b.insert(contentsOf: Array(repeating: t, count: 1 + below(64)).joined(), at: below(n + 1))
                }
            }
        }
        return b
    }
}
