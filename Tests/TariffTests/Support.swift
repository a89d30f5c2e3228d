import CustomsModel
import Foundation
import JSONCore
import Testing

@testable import Tariff

/// The repository root, found from this file so tests run from any working directory.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

enum Fixture {
    /// The small authored packs, loaded whole.
    static let smallPacks = [
        "US/jurisdiction.jsonl", "US/thresholds.jsonl", "US/fees.jsonl", "US/additional-measures.jsonl",
        "EU/jurisdiction.jsonl", "EU/preferences.jsonl", "EU/thresholds.jsonl", "EU/fees.jsonl", "EU/vat-rates.jsonl",
        "GB/jurisdiction.jsonl", "GB/preferences.jsonl", "GB/thresholds.jsonl", "GB/tax.jsonl",
        "CA/jurisdiction.jsonl", "CA/preferences.jsonl", "CA/thresholds.jsonl", "CA/tax.jsonl",
        "AU/jurisdiction.jsonl", "AU/programmes.jsonl", "AU/preferences.jsonl", "AU/thresholds.jsonl", "AU/tax.jsonl",
        "CH/jurisdiction.jsonl", "CH/measures.jsonl", "CH/thresholds.jsonl", "CH/tax.jsonl",
        "NO/jurisdiction.jsonl", "NO/programmes.jsonl", "NO/thresholds.jsonl", "NO/tax.jsonl",
        "JP/jurisdiction.jsonl", "JP/thresholds.jsonl", "JP/tax.jsonl",
        "FX/ecb-reference.jsonl",
    ]
    /// The large generated packs; tests keep the header and the lines for the codes they use, so the
    /// suite stays fast in debug builds (the benchmark loads them whole).
    static let largePacks = ["US/hts-measures.jsonl", "US/hts-nomenclature.jsonl", "EU/cet-measures.jsonl", "GB/ukgt-measures.jsonl", "NO/tolltariff-nomenclature.jsonl"]
    /// Chapter 99: country layers whole, the Section 301 product lists cut to the codes above (the
    /// book checks every listed code against the sliced nomenclature).
    static let listPacks = ["US/chapter99-measures.jsonl", "NO/tolltariff-preferences.jsonl"]

    static func sliceLists(_ text: String, prefixes: [String]) -> String {
        text.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: #""codes":["#), let end = line[r.upperBound...].firstIndex(of: "]") else { return String(line) }
            let codes = line[r.upperBound..<end].split(separator: ",").filter { c in prefixes.contains { c.dropFirst().hasPrefix($0) } }
            return codes.isEmpty ? nil : String(line[..<r.upperBound]) + codes.joined(separator: ",") + String(line[end...])
        }.joined(separator: "\n")
    }
    static let codePrefixes = ["6109", "6404", "6505", "4202", "8471", "9102", "8507", "4901", "1517", "1001"]

    static func text(_ rel: String) throws -> String {
        try String(contentsOf: repoRoot.appendingPathComponent("Data/packs/" + rel), encoding: .utf8)
    }

    /// Keeps the header and the rules whose `"code"` starts with one of `prefixes`. Works on bytes:
    /// the large packs are ~10 MB and this runs in debug builds.
    static func slice(_ text: String, prefixes: [String]) -> String {
        let bytes = Array(text.utf8)
        let needle = Array(#""code":""#.utf8)
        let wanted = prefixes.map { Array($0.utf8) }
        var out: [UInt8] = []
        var start = 0
        var first = true
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if first {
                out += bytes[start..<end]
                first = false
            } else {
                var i = start
                let limit = end - needle.count
                while i <= limit {
                    if bytes[i] == 0x22 && bytes[i + 1] == 0x63 && Array(bytes[i..<(i + needle.count)]) == needle { break }
                    i += 1
                }
                if i <= limit {
                    let c = i + needle.count
                    if wanted.contains(where: { p in c + p.count <= end && Array(bytes[c..<(c + p.count)]) == p }) {
                        out.append(0x0A)
                        out += bytes[start..<end]
                    }
                }
            }
            start = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let book: TariffBook = {
        do {
            var reg = PackRegistry()
            for rel in smallPacks {
                let t = try text(rel)
                try reg.add(try PackParser.parse(t, file: rel), fingerprint: PackRegistry.fingerprint(t))
            }
            for rel in listPacks {
                let t = sliceLists(try text(rel), prefixes: codePrefixes)
                try reg.add(try PackParser.parse(t, file: rel), fingerprint: PackRegistry.fingerprint(t))
            }
            for rel in largePacks {
                let t = slice(try text(rel), prefixes: codePrefixes)
                try reg.add(try PackParser.parse(t, file: rel), fingerprint: PackRegistry.fingerprint(t))
            }
            return try reg.book()
        } catch {
            Issue.record("fixture packs failed to load: \(error)")
            return try! TariffBook(packs: [])
        }
    }()

    /// A request from its wire form, so tests read like the CLI input.
    static func request(_ json: String) throws -> QuoteRequest {
        try QuoteRequest.parse(try JSONParser.parse(json))
    }

    static func quote(_ json: String, book: TariffBook = Fixture.book) throws -> Quote {
        try QuoteEngine.quote(try request(json), book: book)
    }

    static func error(_ json: String, book: TariffBook = Fixture.book) -> QuoteError? {
        do {
            _ = try quote(json, book: book)
            return nil
        } catch let e as QuoteError {
            return e
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}

func d(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))! }
