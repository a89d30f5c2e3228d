import CustomsModel
import Foundation
import HubContent
import Tariff
import Testing

/// A deferring library (`customs-hub quote`) reads a jurisdiction's measures and nomenclature when
/// a request first goes there, and answers exactly as a library that read everything.
@Suite struct DeferredPackTests {
    static let gbRequest = #"{"id":"g","date":"2026-03-01","destination":"GB","origin":"CN","currency":"GBP","lines":[{"hs_code":"61091000","quantity":1,"value":"300"}]}"#
    static let usRequest = #"{"id":"u","date":"2026-03-01","destination":"US","origin":"CN","currency":"USD","lines":[{"hs_code":"6109100012","quantity":1,"value":"100"}]}"#

    /// GB and US jurisdictions, tax and thresholds in full, their tariffs cut to chapter 61.
    func packFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-deferred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for rel in ["GB/jurisdiction.jsonl", "GB/tax.jsonl", "GB/thresholds.jsonl", "US/jurisdiction.jsonl", "US/thresholds.jsonl"] {
            try Data(try Fixture.text(rel).utf8).write(to: dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "-")))
        }
        for rel in ["GB/ukgt-measures.jsonl", "US/hts-measures.jsonl"] {
            let sliced = Fixture.slice(try Fixture.text(rel), prefixes: ["61"])
            try Data(sliced.utf8).write(to: dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "-")))
        }
        return dir
    }

    func answer(_ request: String, _ book: TariffBook) -> String {
        var out: [UInt8] = []
        _ = QuoteWire.answerLine(request, line: 1, book: { _ in book }, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func aRequestReadsOnlyItsDestinationsTariffAndAnswersTheSame() throws {
        let dir = try packFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = TariffPackLibrary(directory: dir)
        #expect(full.reload().errors.isEmpty)
        let lazy = TariffPackLibrary(directory: dir, deferring: true)
        #expect(lazy.reload().errors.isEmpty)
        let gbMeasures = try #require(full.loaded.first { $0.hasPrefix("gb-ukgt@") })
        let usMeasures = try #require(full.loaded.first { $0.hasPrefix("us-hts@") })
        #expect(!lazy.loaded.contains(gbMeasures) && !lazy.loaded.contains(usMeasures), "\(lazy.loaded)")
        #expect(lazy.loaded.contains { $0.hasPrefix("gb-thresholds@") }, "the small packs load at once: \(lazy.loaded)")

        let gb = try lazy.book(destination: "GB")
        #expect(lazy.loaded.contains(gbMeasures) && !lazy.loaded.contains(usMeasures), "\(lazy.loaded)")
        let gbAnswer = answer(Self.gbRequest, gb)
        #expect(gbAnswer == answer(Self.gbRequest, try full.book()))
        #expect(gbAnswer.contains(gbMeasures), "the quote cites the GB tariff: \(gbAnswer.prefix(400))")

        // A second jurisdiction reads the rest.
        let us = try lazy.book(destination: "US")
        #expect(lazy.loaded.contains(usMeasures))
        #expect(answer(Self.usRequest, us) == answer(Self.usRequest, try full.book()))
        #expect(lazy.loaded == full.loaded)
    }

    @Test func pinsOrNoDestinationReadEverything() throws {
        let dir = try packFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = TariffPackLibrary(directory: dir)
        full.reload()
        let lazy = TariffPackLibrary(directory: dir, deferring: true)
        lazy.reload()
        _ = try lazy.book(destination: nil)
        #expect(lazy.loaded == full.loaded)
        let pinned = TariffPackLibrary(directory: dir, deferring: true)
        pinned.reload()
        let version = try #require(full.loaded.first { $0.hasPrefix("gb-thresholds@") }?.split(separator: "@").last)
        _ = try pinned.book(pins: ["gb-thresholds": String(version)], destination: "GB")
        #expect(pinned.loaded == full.loaded)
    }

    /// A broken tariff is not read, so not reported, until a request needs it; then it is.
    @Test func aBrokenDeferredFileIsReportedWhenNeeded() throws {
        let dir = try packFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("US-hts-measures.jsonl")
        let text = try String(contentsOf: broken, encoding: .utf8)
        try (text.prefix { $0 != "\n" } + "\n{not json\n").write(to: broken, atomically: true, encoding: .utf8)
        let lazy = TariffPackLibrary(directory: dir, deferring: true)
        #expect(lazy.reload().errors.isEmpty)
        var errors: [String] = []
        _ = try lazy.book(destination: "GB") { errors += $0.errors }
        #expect(errors.isEmpty)
        _ = try lazy.book(destination: "US") { errors += $0.errors }
        #expect(errors.count == 1 && errors[0].contains("US-hts-measures.jsonl:2"), "\(errors)")
    }
}
