import ChildProcess
import EDIFACT
import Foundation
import Testing

/// Deterministic random-mutation fuzzing of the reader over every fixture. Inputs that ever broke
/// a property are kept in `Fixtures/edifact/regressions/` and replayed first.
/// `EDIFACT_FUZZ_ITERATIONS` raises the per-fixture count for a deeper local run.
@Suite struct FuzzTests {
    static let service: [UInt8] = Array(":+.? '*=~#@\r\n\u{1C}\u{1D}\u{1F}".utf8) + [0xFF, 0xC3, 0x00]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = input
        for _ in 0...rng.below(4) {
            let n = b.count
            switch rng.below(8) {
            case 0 where n > 0: b[rng.below(n)] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b.insert(service[rng.below(service.count)], at: rng.below(n + 1))
            case 2 where n > 0:
                let at = rng.below(n)
                b.removeSubrange(at..<min(n, at + 1 + rng.below(16)))
            case 3 where n > 0:
                let at = rng.below(n)
                let piece = Array(b[at..<min(n, at + 1 + rng.below(64))])
                b.insert(contentsOf: piece, at: rng.below(n + 1))
            case 4 where n > 0: b = Array(b.prefix(rng.below(n)))
            case 5: b.insert(contentsOf: (0..<rng.below(8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: rng.below(n + 1))
            case 6 where n > 1:
                let i = rng.below(n), j = rng.below(n)
                b.swapAt(i, j)
            default: b.insert(contentsOf: Array("UNA:+.? 'UNH+1+X:D:96A:UN'".utf8).prefix(3 + rng.below(24)), at: rng.below(n + 1))
            }
        }
        return b
    }

    /// The properties every input must keep: no crash, positions inside the input, the same
    /// document whatever the chunking, the streamed JSON text and CONTRL (validated) equal to the document's, and (when writable) a tree that survives write → read.
    static func check(_ input: [UInt8], _ rng: inout SplitMix) -> String? {
        let whole = EDIFACTReader.read(input)
        for d in whole.errors + whole.warnings {
            if let o = d.offset, o < 0 || o > input.count { return "offset \(o) outside input of \(input.count) bytes: \(d)" }
        }
        let size = 1 + rng.below(97)
        if parseChunked(input, size: size) != whole { return "chunks of \(size) give a different document" }
        if DocumentJSONStreamTests.streamed(input, chunk: size) != (try? DocumentJSONStreamTests.whole(input)) {
            return "the streamed JSON (chunks of \(size)) is not the document's JSON"
        }
        if ContrlStreamTests.streamed(input, chunk: size, validate: true) != ContrlStreamTests.whole(input, validate: true) {
            return "the streamed CONTRL --validate (chunks of \(size)) is not the whole document's"
        }
        var writer = EDIFACTWriter()
        if let bytes = try? writer.write(whole) {
            let again = EDIFACTReader.read(bytes)
            if content(again) != content(whole) { return "write → read changed the tree" }
        }
        return nil
    }

    @Test func regressionInputsStayFixed() throws {
        let dir = Fixtures.edifact.appendingPathComponent("regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".edi") }.sorted()
        try #require(!names.isEmpty, "no regression inputs in \(dir.lastPathComponent)")
        var rng = SplitMix(seed: 1)
        for name in names {
            let input = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
            #expect(Self.check(input, &rng) == nil, "\(name)")
        }
    }

    @Test func mutatedFixturesKeepTheProperties() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["EDIFACT_FUZZ_ITERATIONS"] ?? "") ?? 15
        var failures: [String] = []
        for (k, name) in try Fixtures.allEdifact().enumerated() {
            let original = try Fixtures.bytes(name)
            var rng = SplitMix(seed: UInt64(k + 1) &* 0x1234_5678)
            for i in 0..<iterations {
                let input = Self.mutate(original, &rng)
                if let problem = Self.check(input, &rng) {
                    failures.append("\(name) #\(i): \(problem)")
                    if ProcessInfo.processInfo.environment["EDIFACT_FUZZ_SAVE"] != nil {
                        try? Data(input).write(to: Fixtures.edifact.appendingPathComponent("regressions/\(name.dropLast(4))-\(i).edi"))
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }
}
