import CustomsModel
import Foundation
import HubContent
import JSONCore
import Testing

@testable import Tariff

@Suite struct PackLoaderTests {
    let header = #"{"pack":"t-th","jurisdiction":"GB","kind":"thresholds","version":"1","source":"test","source_date":"2026-01-01"}"#
    func rule(_ id: String, from: String, to: String?, limit: String = "135") -> String {
        #"{"type":"threshold","id":"\#(id)","limit":"\#(limit)","currency":"GBP","basis":"intrinsic_value","effects":["duty_exempt"],"valid_from":"\#(from)","valid_to":\#(to.map { "\"\($0)\"" } ?? "null")}"#
    }

    func issues(_ text: String, file: String = "packs/GB/t.jsonl") -> [PackIssue] {
        do {
            _ = try PackParser.parse(text, file: file)
            return []
        } catch {
            return error.issues
        }
    }

    /// Daily rates in date order are found by halving; the answer must be the first match in list
    /// order on every day (gaps, weekends, before the first and after the last publication), and a
    /// list that is not in order is still searched in order.
    @Test func fxRatesFoundByHalvingMatchTheFirstMatch() throws {
        let text = try Fixture.text("FX/ecb-reference.jsonl")
        let pack = try PackParser.parse(text, file: "FX/ecb-reference.jsonl")
        var reversed = pack
        reversed.fx.reverse()
        for (book, ordered) in [(try TariffBook(packs: [pack]), true), (try TariffBook(packs: [reversed]), false)] {
            let keys = book.fx.keys.sorted()
            try #require(!keys.isEmpty)
            for key in keys {
                #expect(book.storage.fxOrdered.contains(key) == ordered, "\(key)")
                let parts = key.split(separator: "|").map(String.init)
                var day = Day(year: 2024, month: 12, day: 20)
                while day < Day(year: 2026, month: 11, day: 10) {
                    let first = book.fx[key]!.first { $0.validity.contains(day) }
                    let found = book.fxRate(source: parts[0], from: CurrencyCode(parts[1]), to: CurrencyCode(parts[2]), on: day)
                    #expect(found?.id == first?.id, "\(key) on \(day)")
                    for _ in 0..<5 { day = day.next }  // every fifth day: weekdays, weekends and gaps in turn
                }
            }
        }
    }

    @Test func validPackLoads() throws {
        let p = try PackParser.parse([header, "# a comment", "", rule("A", from: "2021-01-01", to: nil)].joined(separator: "\n"), file: "t")
        #expect(p.thresholds.count == 1)
        #expect(p.thresholds[0].ref.line == 4)
        #expect(p.ref == "t-th@1")
    }

    @Test func errorsNameFileLineAndField() {
        let bad = [
            header,
            #"{"type":"threshold","id":"B","limit":"abc","currency":"XXY","basis":"intrinsic_value","effects":["duty_exempt"],"valid_from":"2021-01-01","valid_to":null}"#,
            #"{"type":"threshold","id":"C","limit":"1","currency":"GBP","basis":"intrinsic_value","effects":["duty_exempt"],"valid_from":"2021-01-01"}"#,
            #"{"type":"threshold", "id":"D" "#,
            #"{"type":"tax","id":"E","region":"GB","rate":"20","base":["customs_value"],"valid_from":"2021-01-01","valid_to":null}"#,
            #"{"type":"threshold","id":"F","limit":"1","currency":"GBP","basis":"intrinsic_value","effects":["duty_exempt"],"ship_from":["QQ"],"valid_from":"2021-02-01","valid_to":null}"#,
            rule("G", from: "2021-02-30", to: nil),
        ].joined(separator: "\n")
        let found = issues(bad).map(\.description)
        #expect(found.contains("packs/GB/t.jsonl:2: limit: \"abc\" is not a decimal number"))
        #expect(found.contains("packs/GB/t.jsonl:2: currency: unknown currency code \"XXY\""))
        #expect(found.contains("packs/GB/t.jsonl:3: valid_to: missing (write null for an open end)"))
        #expect(found.contains { $0.hasPrefix("packs/GB/t.jsonl:4: column ") })
        #expect(found.contains { $0.hasPrefix("packs/GB/t.jsonl:5: type: record type \"tax\" does not belong in a thresholds pack") })
        #expect(found.contains("packs/GB/t.jsonl:6: ship_from[0]: unknown country code \"QQ\""))
        #expect(found.contains("packs/GB/t.jsonl:7: valid_from: \"2021-02-30\" is not a YYYY-MM-DD date"))
    }

    @Test func overlappingValidityIsRejected() {
        let text = [header, rule("A", from: "2021-01-01", to: "2026-06-30"), rule("A2", from: "2026-06-01", to: nil)].joined(separator: "\n")
        // Thresholds may overlap (different conditions); measures for the same code and origin may not.
        #expect(issues(text).isEmpty)
        let m = [
            #"{"pack":"t-m","jurisdiction":"EU","kind":"measures","version":"1","source":"t","source_date":"2026-01-01"}"#,
            #"{"type":"measure","id":"M1","code":"61091000","measure_type":"mfn","rate":"12%","valid_from":"2020-01-01","valid_to":"2026-12-31"}"#,
            #"{"type":"measure","id":"M2","code":"61091000","measure_type":"mfn","rate":"10%","valid_from":"2026-07-01","valid_to":null}"#,
            #"{"type":"measure","id":"M3","code":"6109100","measure_type":"mfn","rate":"10%","valid_from":"2026-07-01","valid_to":null}"#,
            #"{"type":"measure","id":"M1","code":"62","measure_type":"mfn","rate":"10%","valid_from":"2026-07-01","valid_to":null}"#,
        ].joined(separator: "\n")
        let found = issues(m, file: "m").map(\.description)
        #expect(found.contains { $0.hasPrefix("m:3: measure mfn 61091000") && $0.contains("overlaps") && $0.contains("line 2") })
        #expect(found.contains { $0.hasPrefix("m:4: code: unknown commodity code \"6109100\"") })
        #expect(found.contains { $0.hasPrefix("m:5: id: duplicate id \"M1\" (first on line 2)") })
    }

    @Test func gapInATaxSeriesIsRejected() {
        let t = [
            #"{"pack":"t-tax","jurisdiction":"EU","kind":"tax","version":"1","source":"t","source_date":"2026-01-01"}"#,
            #"{"type":"tax","id":"EE1","region":"EE","rate":"22","base":["customs_value","duty"],"valid_from":"2024-01-01","valid_to":"2025-06-29"}"#,
            #"{"type":"tax","id":"EE2","region":"EE","rate":"24","base":["customs_value","duty"],"valid_from":"2025-07-01","valid_to":null}"#,
        ].joined(separator: "\n")
        #expect(issues(t, file: "x").map(\.description) == ["x:3: tax EE standard : gap between 2025-06-29 (line 2) and 2025-07-01; no rule applies in between"])
    }

    /// Every shipped small pack loads cleanly (the large ones are checked by `tariff-bench`).
    @Test func shippedPacksAreValid() throws {
        for rel in Fixture.smallPacks {
            let t = try Fixture.text(rel)
            let p = try PackParser.parse(t, file: rel)
            #expect(p.recordCount > 0, "\(rel)")
        }
    }

    @Test func crossPackChecksFindUnknownProgrammesAndCodes() throws {
        let jur = #"{"pack":"x-j","jurisdiction":"US","kind":"jurisdiction","version":"1","source":"t","source_date":"2026-01-01"}"#
        let nom = [#"{"pack":"x-n","jurisdiction":"US","kind":"nomenclature","version":"1","source":"t","source_date":"2026-01-01"}"#,
                   #"{"type":"code","id":"N1","code":"61091000","valid_from":"2020-01-01","valid_to":null}"#].joined(separator: "\n")
        let mea = [#"{"pack":"x-m","jurisdiction":"US","kind":"measures","version":"1","source":"t","source_date":"2026-01-01"}"#,
                   #"{"type":"measure","id":"P1","code":"61091000","measure_type":"preference","rate":"Free","programs":["ZZ"],"valid_from":"2020-01-01","valid_to":null}"#,
                   #"{"type":"measure","id":"P2","code":"61099000","measure_type":"mfn","rate":"Free","valid_from":"2020-01-01","valid_to":null}"#].joined(separator: "\n")
        let packs = try [jur, nom, mea].enumerated().map { try PackParser.parse($1, file: "f\($0)") }
        do {
            _ = try TariffBook(packs: packs)
            Issue.record("expected cross-pack errors")
        } catch {
            let d = error.issues.map(\.description)
            #expect(d.contains("f2:2: programs: unknown programme \"ZZ\" for US"))
            #expect(d.contains("f2:3: code: unknown commodity code 61099000 (not in the US nomenclature)"))
        }
    }
}

@Suite struct PackRegistryTests {
    func thresholdPack(version: String, limit: String) -> String {
        [
            #"{"pack":"gb-thresholds","jurisdiction":"GB","kind":"thresholds","version":"\#(version)","source":"t","source_date":"2026-01-01"}"#,
            #"{"type":"threshold","id":"GB_LVCR_DUTY","limit":"\#(limit)","currency":"GBP","basis":"intrinsic_value","effects":["duty_exempt"],"valid_from":"2021-01-01","valid_to":null}"#,
        ].joined(separator: "\n")
    }

    static let request = #"{"id":"r","date":"2026-03-01","destination":"GB","origin":"CN","currency":"GBP","lines":[{"hs_code":"61091000","quantity":1,"value":"100"}]}"#

    /// A new pack version becomes current while the old one can still be pinned to recompute an old quote.
    @Test func oldVersionsStayAvailable() throws {
        let gb = try ["GB/jurisdiction.jsonl", "GB/tax.jsonl", "GB/ukgt-measures.jsonl"].map { rel in
            rel.hasSuffix("ukgt-measures.jsonl") ? Fixture.slice(try Fixture.text(rel), prefixes: ["6109"]) : try Fixture.text(rel)
        }
        var reg = PackRegistry()
        for (i, t) in gb.enumerated() { try reg.add(try PackParser.parse(t, file: "gb\(i)"), fingerprint: PackRegistry.fingerprint(t)) }
        let v1 = thresholdPack(version: "1", limit: "135")
        let v2 = thresholdPack(version: "2", limit: "0")
        try reg.add(try PackParser.parse(v1, file: "t"), fingerprint: PackRegistry.fingerprint(v1))
        #expect(try reg.add(try PackParser.parse(v1, file: "t"), fingerprint: PackRegistry.fingerprint(v1)) == .alreadyLoaded)
        try reg.add(try PackParser.parse(v2, file: "t"), fingerprint: PackRegistry.fingerprint(v2))
        let now = try Fixture.quote(Self.request, book: try reg.book())
        let then = try Fixture.quote(Self.request, book: try reg.book(pins: ["gb-thresholds": "1"]))
        #expect(now.duty == d("12.00"))
        #expect(then.duty == 0)
        #expect(then.dataVersions.contains("gb-thresholds@1"))
        #expect(throws: PackLoadError.self) { try reg.book(pins: ["gb-thresholds": "9"]) }
        // The same version with different content is refused: one name, one rule set.
        let changed = thresholdPack(version: "2", limit: "50")
        #expect(throws: PackLoadError.self) { try reg.add(try PackParser.parse(changed, file: "t"), fingerprint: PackRegistry.fingerprint(changed)) }
    }

    /// The edge library picks up a new file version on `reload()` without a restart and keeps the
    /// old one for pinned requests; a broken file is reported and the packs in use stay.
    @Test func libraryReloadsFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for rel in ["GB/jurisdiction.jsonl", "GB/tax.jsonl"] {
            try Data(try Fixture.text(rel).utf8).write(to: dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "-")))
        }
        try Data(Fixture.slice(try Fixture.text("GB/ukgt-measures.jsonl"), prefixes: ["6109"]).utf8).write(to: dir.appendingPathComponent("ukgt.jsonl"))
        let file = dir.appendingPathComponent("thresholds.jsonl")
        try Data(thresholdPack(version: "1", limit: "135").utf8).write(to: file)
        let library = TariffPackLibrary(directory: dir)
        let first = library.reload()
        #expect(first.errors.isEmpty)
        #expect(try Fixture.quote(Self.request, book: try library.book()).duty == 0)

        try Data(thresholdPack(version: "2", limit: "0").utf8).write(to: file)
        let second = library.reload(force: true)
        #expect(second.added == ["gb-thresholds@2"])
        #expect(try Fixture.quote(Self.request, book: try library.book()).duty == d("12.00"))
        #expect(try Fixture.quote(Self.request, book: try library.book(pins: ["gb-thresholds": "1"])).duty == 0)

        try Data("{not json".utf8).write(to: file)
        let third = library.reload(force: true)
        #expect(third.errors.count == 1 && third.errors[0].contains("thresholds.jsonl:1"))
        #expect(try Fixture.quote(Self.request, book: try library.book()).duty == d("12.00"))
    }

    /// `data update` moves the version it replaces to the archive folder: a fresh process loads the
    /// archive first, so the file in `Data/packs` stays current and the old version can be pinned.
    @Test func archivedVersionsLoadFirstAndStayPinnable() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-archive-\(UUID().uuidString)")
        let dir = base.appendingPathComponent("packs")
        let archive = base.appendingPathComponent("packs-archive")
        for d in [dir, archive] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: base) }
        for rel in ["GB/jurisdiction.jsonl", "GB/tax.jsonl"] {
            try Data(try Fixture.text(rel).utf8).write(to: dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "-")))
        }
        try Data(Fixture.slice(try Fixture.text("GB/ukgt-measures.jsonl"), prefixes: ["6109"]).utf8).write(to: dir.appendingPathComponent("ukgt.jsonl"))
        try Data(thresholdPack(version: "2", limit: "0").utf8).write(to: dir.appendingPathComponent("thresholds.jsonl"))
        try Data(thresholdPack(version: "1", limit: "135").utf8).write(to: archive.appendingPathComponent("gb-thresholds@1.jsonl"))
        let library = TariffPackLibrary(directory: dir)
        #expect(library.reload().errors.isEmpty)
        #expect(try Fixture.quote(Self.request, book: try library.book()).duty == d("12.00"))
        #expect(try Fixture.quote(Self.request, book: try library.book(pins: ["gb-thresholds": "1"])).duty == 0)
    }
}

@Suite struct RequestTests {
    @Test func badRequestsNameTheField() {
        let cases: [(String, String)] = [
            (#"{"id":"a","date":"2026-13-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":1,"value":"1"}]}"#, "date"),
            (#"{"id":"a","date":"2026-01-01","destination":"DX","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":1,"value":"1"}]}"#, "destination"),
            (#"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":0,"value":"1"}]}"#, "lines[0].quantity"),
            (#"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":1,"value":"1x"}]}"#, "lines[0].value"),
            (#"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"EUR","channel":"pigeon","lines":[{"hs_code":"61091000","quantity":1,"value":"1"}]}"#, "channel"),
            (#"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"EUR","seller_registrations":["OSS"],"lines":[{"hs_code":"61091000","quantity":1,"value":"1"}]}"#, "seller_registrations[0]"),
            (#"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"EUR","lines":[]}"#, "lines"),
        ]
        for (json, field) in cases {
            do {
                _ = try Fixture.request(json)
                Issue.record("accepted bad request for \(field)")
            } catch {
                #expect((error as? QuoteError)?.field == field)
            }
        }
        let noOrigin = #"{"id":"a","date":"2026-01-01","destination":"DE","currency":"EUR","lines":[{"hs_code":"61091000","quantity":1,"value":"200"}]}"#
        #expect(Fixture.error(noOrigin)?.field == "lines[0].origin")
        let noFX = #"{"id":"a","date":"2026-01-01","destination":"DE","origin":"CN","currency":"ISK","lines":[{"hs_code":"61091000","quantity":1,"value":"200"}]}"#
        #expect(Fixture.error(noFX)?.field == "lines[0].value")
        // Issue #21: year 1 blamed the destination; the packs cover DE, only not on that day.
        let yearOne = #"{"id":"a","date":"0001-01-01","destination":"DE","origin":"CN","currency":"EUR","lines":[{"hs_code":"61091000","quantity":1,"value":"200"}]}"#
        #expect(Fixture.error(yearOne)?.field == "date")
    }

    @Test func errorWireForm() {
        let e = QuoteError("lines[1].net_weight_kg", "missing")
        #expect(JSONText.render(e.json(id: "o-1")) == #"{"id":"o-1","error":{"field":"lines[1].net_weight_kg","message":"missing"}}"#)
    }

    /// The engine also takes a canonical order (HS codes already on its lines).
    @Test func quoteFromCanonicalOrder() throws {
        let line = OrderLine(
            description: "T-shirt", quantity: 2, unitValue: Money(50, "GBP"), lineValue: Money(100, "GBP"), originCountry: "DE",
            hsCode: "61091000", preferenceClaim: PreferenceClaim(agreement: "TCA", proof: "statement_on_origin"))
        let order = Order(
            merchantID: "m", externalReference: "o-9", idempotencyKey: "k", createdAt: Date(timeIntervalSince1970: 0), currency: "GBP",
            parties: [], shipment: Shipment(shipFromCountry: "DE", destinationCountry: "GB", parcels: [], shippingCharge: Money(60, "GBP")),
            lines: [line])
        let req = try QuoteRequest(order: order, date: Day("2026-03-01")!)
        #expect(req.preferenceClaimed == "TCA")
        let q = try QuoteEngine.quote(req, book: Fixture.book)
        // GBP 100 of goods is within GBP 135: supply VAT at the point of sale (20 % of goods + delivery),
        // owed by the seller even without a GB_VAT registration (issue #18, class 6).
        #expect(q.duty == 0 && q.vat == d("32.00") && q.vatCollectedAt == "point_of_sale")
        #expect(q.warnings.contains { $0.contains("must register for UK VAT") })
    }
}
