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

/// Word-level fuzzing of the extractor: the layouts' own words, rearranged the way real pages and
/// OCR rearrange them (a label wrapped so a line starts mid-phrase, words lost or doubled, a
/// label's word dropped in anywhere, lines merged or cut short). A byte-level mutant mostly
/// fails to read or reads as its original; these reach the rules. The extractor may read anything
/// from them, but must return, and every field it reports must point into a page.
@Suite struct WordLayoutFuzzTests {
    /// Words that rules key on: labels, links, origin and package words, marks, signs.
    static let vocabulary = ["Origin", "origin", "of", "Country", "vom", "Nr.", "No.", ":", "·", "|", "Total", "TOTAL", "Gross",
                             "Weight", "kg", "netto", "brutto", "cartons", "Packstücke", "colli", "€", "$", "Rp", "FCFA", "EUR",
                             "1.234,56", "1,234.56", "1 234", "(", ")", "-", "x", "except", "behalve", "sauf", "Invoice", "Date",
                             "Facture", "Rechnung", "Seller", "Buyer", "Qty", "Amount", "HS", "Code", "1-4", "9-", "0", "%"]

    static func mutate(_ page: PageText, _ rng: inout SplitMix) -> PageText {
        var p = page
        var words = p.words
        for _ in 0...rng.below(6) {
            let n = words.count
            guard n > 0 else { break }
            let at = rng.below(n)
            switch rng.below(7) {
            case 0: words.remove(at: at)
            case 1: words.insert(words[at], at: rng.below(n + 1))
            case 2:
                // A vocabulary word in place of another, same box.
                words[at].text = vocabulary[rng.below(vocabulary.count)]
            case 3:
                // The rest of a line moved down onto a line of its own (a wrapped cell).
                let y = words[at].box.y0
                for k in words.indices where abs(words[k].box.y0 - y) < 1 && words[k].box.x0 >= words[at].box.x0 {
                    words[k].box.y0 += 11
                    words[k].box.y1 += 11
                }
            case 4:
                // A line's first words lost (a label's start cut off).
                let (y, x) = (words[at].box.y0, words[at].box.x0)
                words.removeAll { abs($0.box.y0 - y) < 1 && $0.box.x0 < x }
            case 5:
                // A word moved to another line's start.
                var w = words[at]
                let other = words[rng.below(n)]
                w.box = Box(x0: max(0, other.box.x0 - 40), y0: other.box.y0, x1: max(0, other.box.x0 - 40) + w.box.width, y1: other.box.y1)
                words.append(w)
            default:
                // A word split in two at a character (OCR's broken words).
                let t = Array(words[at].text)
                guard t.count > 1 else { continue }
                let cut = 1 + rng.below(t.count - 1)
                var a = words[at], b = words[at]
                a.text = String(t[..<cut])
                b.text = String(t[cut...])
                b.box = Box(x0: a.box.x0 + a.box.width / 2 + 1, y0: a.box.y0, x1: a.box.x1 + 1, y1: a.box.y1)
                words[at] = a
                words.insert(b, at: at + 1)
            }
        }
        p.words = words
        return p
    }

    @Test func rearrangedLayoutWordsNeverStopTheExtractor() throws {
        let scale = Int(ProcessInfo.processInfo.environment["DOCUMENTS_FUZZ_ITERATIONS"] ?? "") ?? 1
        let files = try Fixtures.list("layouts/text")
        try #require(!files.isEmpty)
        var rng = SplitMix(seed: 0x19_2026_1206)
        var failures: [String] = []
        var extracted = 0
        for file in files {
            let pages = try PopplerReader(ocr: TesseractOCR.shared).pages(try Fixtures.bytes("layouts/text/\(file)"))
            for i in 0..<scale {
                let mutated = pages.map { Self.mutate($0, &rng) }
                let r = Extractor().extract(mutated)
                extracted += 1
                for f in r.fields where !mutated.contains(where: { $0.number == f.page }) || !(0...1).contains(f.confidence) {
                    failures.append("\(file) #\(i): field \(f.name) page \(f.page) confidence \(f.confidence)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        #expect(extracted >= files.count)
    }
}
