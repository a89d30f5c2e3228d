import ChildProcess
import DocumentExtraction
import Documents
import Foundation
import Testing

/// Deterministic random-mutation fuzzing of the reader's entry points (PDF through poppler, PNG,
/// JPEG and TIFF through Leptonica and Tesseract) and of the extractor behind them, the way the
/// EDIFACT reader is fuzzed. `DOCUMENTS_FUZZ_ITERATIONS` raises the count for a deeper local run.
@Suite struct FuzzTests {
    static let tokens: [[UInt8]] = ["obj", "endobj", "stream", "endstream", "<<", ">>", "[", "]", "/Length 99999", "/Count 99999",
                                    "/FlateDecode", "/Width 99999", "(", ")", "\\", "%%EOF", "xref", "trailer", "IEND", "\u{FF}\u{D9}"]
        .map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = input
        for _ in 0...rng.below(4) {
            let n = b.count
            switch rng.below(7) {
            case 0 where n > 0: b[rng.below(n)] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b.insert(contentsOf: tokens[rng.below(tokens.count)], at: rng.below(n + 1))
            case 2 where n > 0:
                let at = rng.below(n)
                b.removeSubrange(at..<min(n, at + 1 + rng.below(64)))
            case 3 where n > 0:
                let at = rng.below(n)
                let piece = Array(b[at..<min(n, at + 1 + rng.below(256))])
                b.insert(contentsOf: piece, at: rng.below(n + 1))
            case 4 where n > 0: b = Array(b.prefix(rng.below(n)))
            case 5 where n > 1:
                // Flip bits in a small run (headers, lengths, compressed data).
                let at = rng.below(n)
                for k in at..<min(n, at + 1 + rng.below(8)) { b[k] ^= UInt8(1 << rng.below(8)) }
            default: b.insert(contentsOf: (0..<rng.below(16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: rng.below(n + 1))
            }
        }
        return b
    }

    /// The properties: a refusal is one of the documented reasons, or the pages respect the limits,
    /// every word box lies on its page, and every field the extractor reports points into a page.
    static func check(_ input: [UInt8], limits: ReadLimits) -> String? {
        let pages: [PageText]
        do { pages = try AnyDocumentReader(limits: limits).pages(input) } catch {
            return error.message.isEmpty ? "refusal without a message: \(error.reason)" : nil
        }
        if pages.isEmpty || pages.count > limits.maxPages { return "\(pages.count) pages" }
        for p in pages {
            if p.words.count > limits.maxWordsPerPage + 1 { return "page \(p.number): \(p.words.count) words" }
            for w in p.words where !(w.box.x0.isFinite && w.box.y1.isFinite) { return "page \(p.number): box \(w.box)" }
        }
        let r = Extractor().extract(pages)
        for f in r.fields {
            guard let p = pages.first(where: { $0.number == f.page }) else { return "field \(f.name) on page \(f.page) that does not exist" }
            if !(0...1).contains(f.confidence) { return "field \(f.name) confidence \(f.confidence)" }
            _ = p
        }
        return nil
    }

    @Test func mutatedDocumentsKeepTheProperties() throws {
        let base = Int(ProcessInfo.processInfo.environment["DOCUMENTS_FUZZ_ITERATIONS"] ?? "") ?? 1
        let inputs: [(String, Int)] = [
            ("small/label.pdf", 60), ("text/invoice-fr-grid.pdf", 30), ("text/packing-nl-grid.pdf", 20),
            ("small/label.png", 25), ("small/label.jpg", 25), ("small/label.tif", 25),
        ]
        var limits = ReadLimits()
        limits.maxInflatedBytes = 8 << 20
        limits.ocrDPI = 100  // mutated PDFs that lose their text are rendered small
        var failures: [String] = []
        var refused = 0
        var read = 0
        for (k, (name, count)) in inputs.enumerated() {
            let original = try Fixtures.bytes(name)
            var rng = SplitMix(seed: UInt64(k + 1) &* 0x5DEE_CE66_D1CE_4E5B)
            for i in 0..<(count * base) {
                let input = Self.mutate(original, &rng)
                if let problem = Self.check(input, limits: limits) { failures.append("\(name) #\(i): \(problem)") }
                if (try? AnyDocumentReader(limits: limits, ocr: NoOCR()).pages(input)) == nil { refused += 1 } else { read += 1 }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        // Both paths were exercised: some mutants still read, some were refused.
        #expect(refused > 0 && read > 0)
    }
}

struct NoOCR: PageOCR {
    func words(_ image: GrayImage, limits: ReadLimits) throws(DocumentReadError) -> [Word] { [] }
}
