import ArgumentParser
import CustomsModel
import Foundation
import HubContent
import JSONCore
import Tariff

/// `customs-hub tariff-import`: rebuilds the derived packs under `Data/packs/` from the raw
/// tariff files in `Data/tariffs/`, so the large packs are reproducible rather than hand-edited.
struct TariffImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tariff-import",
        abstract: "Rebuild the US HTS and chapter 99, UK tariff, EU CET, EU VAT and ECB FX packs from Data/tariffs.",
        discussion: Help.text(
            """
            Reads Data/tariffs in the content folder and writes the generated packs under --output (default: the \
            content folder's Data/packs, which is what `quote` reads). Prints one JSON line per pack file written.
            """,
            example: "customs-hub tariff-import --pack-version 1 --output Data/packs"))

    @Option(name: .customLong("pack-version"), help: "Version written into the generated pack headers.")
    var packVersion: String?

    /// The old spelling, kept for scripts; `customs-hub --version` is the tool's version.
    @Option(name: .customLong("version"), help: .hidden)
    var oldVersion: String?

    var version: String { packVersion ?? oldVersion ?? "1" }

    @Option(name: .long, help: .hidden)
    var root: String?

    @Option(name: .long, help: "Folder the packs are written under (default: Data/packs in the content folder).")
    var output: String?

    func run() throws {
        let root: ContentRoot
        do { root = try self.root.map { ContentRoot(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? ContentRoot.locate() } catch {
            throw Diagnostics.fail("\(error)", exit: Exit.configuration)
        }
        let target = output.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? root.file("Data/packs")
        Diagnostics.say("reading \(root.file("Data/tariffs").path), writing packs under \(target.path)")
        let progress = Progress("tariff-import", total: 10)
        var written = 0
        func write(_ rel: String, _ text: String) throws {
            let url = target.appendingPathComponent(String(rel.dropFirst("Data/packs/".count)))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            Output.json(.object(JSONObject([("wrote", .string(url.path)), ("bytes", .number(String(text.utf8.count)))])))
            written += 1
            progress.step()
        }
        defer { progress.finish("wrote \(written) pack files under \(target.path)") }
        do { try importPacks(root: root, write: write) } catch let error as ValidationError {
            // A source file in Data/tariffs that does not read is broken content, not a bad command line.
            throw Diagnostics.fail(error.message, exit: Exit.configuration)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw Diagnostics.fail("\(error)", exit: Exit.configuration)
        }
    }

    static let chapter99Licence = "US government data; CC0 (checkdutyrates); MIT (Budget Lab at Yale)"
    static let chapter99Note = "IEEPA reciprocal phase 2 by country (9903.02.xx, 2025-08-07 to 2026-02-23: terminated 2026-02-20, not collected from 2026-02-24); Section 301 forced labor by country (U.S. note 52, from 2026-07-24, EU/JP/CH as 'total' floors); Section 301 China lists 1-4A and the 2024 review increases (9903.88/9903.91) by 8-digit code from 2025-01-01. Not modelled: IEEPA fentanyl and phase-1 headings (9903.01.xx), Section 232 (steel, aluminium, copper, autos, wood, drones), product carve-outs and exclusions, list 4B (suspended)."

    /// The codes of a US nomenclature pack's text and every even-length prefix of them down to 4
    /// digits: the chapter 99 lists keep only codes the nomenclature knows, so the book's
    /// cross-check holds. An 8-digit list code whose only lines are 10-digit statistical ones
    /// (0101.30.00 under 0101.30.00.00) is known through them: the lists name subheadings, the
    /// nomenclature the lines below.
    static func knownCodes(nomenclature: String) -> Set<String> {
        var known = Set<String>()
        for line in nomenclature.split(separator: "\n") {
            if let r = line.range(of: #""code":""#), let end = line[r.upperBound...].firstIndex(of: "\"") {
                let code = line[r.upperBound..<end]
                for length in stride(from: code.count, through: 4, by: -2) { known.insert(String(code.prefix(length))) }
            }
        }
        return known
    }

    private func importPacks(root: ContentRoot, write: (String, String) throws -> Void) throws {
        let hts = try root.readText("Data/tariffs/us_hts_2026_rev4.csv")
        let htsSource = "USITC HTS 2026 Revision 4 CSV export (Data/tariffs/us_hts_2026_rev4.csv)"
        let htsNote = "Rev 4 (about March 2026). Column 1 rates are applied from 2025-01-01 as a stand-in for the 2025 editions (statutory MFN rates did not change); chapters 98 and 99 are left out (chapter 99 measures are authored in us-additional)."
        let (nom, mea) = try PackImporter.usHTS(
            csv: hts,
            nomenclature: .init(pack: "us-hts-nomenclature", jurisdiction: "US", kind: .nomenclature, version: "2026r4.\(version)", source: htsSource, sourceDate: "2026-03-23", licence: "US government work, public domain", note: htsNote),
            measures: .init(pack: "us-hts", jurisdiction: "US", kind: .measures, version: "2026r4.\(version)", source: htsSource, sourceDate: "2026-03-23", licence: "US government work, public domain", note: htsNote),
            validFrom: "2025-01-01")
        try write("Data/packs/US/hts-nomenclature.jsonl", nom)
        try write("Data/packs/US/hts-measures.jsonl", mea)

        // Chapter 99 layers: only codes the nomenclature above knows (Rev 4); the report says
        // how many list lines were dropped.
        let (ch99, rep) = try PackImporter.usChapter99(
            additionalDuties: try root.readText("Data/tariffs/us_additional_duties_2026-09/additional_duties.csv"),
            s301Lists: try root.readText("Data/tariffs/us_chapter99_2026/s301_product_lists.csv"),
            header: .init(
                pack: "us-chapter99", jurisdiction: "US", kind: .measures, version: "2026-09-29.\(version)",
                source: "checkdutyrates/us-tariff-data additional_duties.csv (HTS 2026 Revision 20, exported 2026-09-29; Data/tariffs/us_additional_duties_2026-09) and Budget-Lab-Yale tariff-rate-tracker s301_product_lists.csv (Data/tariffs/us_chapter99_2026)",
                sourceDate: "2026-09-29", licence: Self.chapter99Licence, note: Self.chapter99Note),
            knownCodes: Self.knownCodes(nomenclature: nom))
        try write("Data/packs/US/chapter99-measures.jsonl", ch99)
        Diagnostics.say("us-chapter99: \(rep.measures) measures, \(rep.productCodes) product codes, \(rep.droppedUnknownCodes) list lines not in the Rev 4 nomenclature dropped, skipped: \(rep.skippedHeadings.joined(separator: ", "))")

        do {
            let dir = "Data/tariffs/norway_tolltariffen_2026"
            let src = "Tolletaten open tolltariff API files (\(dir)), via vladutaki-vip/advanced-tolltariff-main@9a1bf34f (2026-02-23)"
            let nlod = "Norwegian Licence for Open Government Data (NLOD 2.0)"
            let (nom, progs, mea, nr) = try PackImporter.norway(
                structure: try root.readText("\(dir)/customstariffstructure.json"), agreements: try root.readText("\(dir)/ratetradeagreements.json"),
                members: try root.readText("\(dir)/medlemsland.json"),
                nomenclature: .init(pack: "no-tolltariff-nomenclature", jurisdiction: "NO", kind: .nomenclature, version: "2026-02-23.\(version)", source: src, sourceDate: "2026-02-23", licence: nlod, note: "Commodity codes (8 digits) of the Norwegian customs tariff."),
                programs: .init(pack: "no-programmes", jurisdiction: "NO", kind: .jurisdiction, version: "2026-02-23.\(version)", source: src, sourceDate: "2026-02-23", licence: nlod, note: "Trade agreements and GSP groups with their member countries (open memberships from medlemsland.json)."),
                measures: .init(pack: "no-preferences", jurisdiction: "NO", kind: .measures, version: "2026-02-23.\(version)", source: src, sourceDate: "2026-02-23", licence: nlod, note: "Preferential rates per agreement. The ordinary (MFN) rates are not in the source files: without a claimed preference a line needs duty_rate."),
                validFrom: "2026-01-01")
            try write("Data/packs/NO/tolltariff-nomenclature.jsonl", nom)
            try write("Data/packs/NO/programmes.jsonl", progs)
            try write("Data/packs/NO/tolltariff-preferences.jsonl", mea)
            Diagnostics.say("no-tolltariff: \(nr.codes) codes, \(nr.programs) programmes, \(nr.measures) preference groups, \(nr.notAvailable) agreement lines without a preference")
        } catch let e as PackImporter.NorwayFormatError {
            throw ValidationError("Data/tariffs/norway_tolltariffen_2026: \(e)")
        }

        do {
            let (fx, fr) = try PackImporter.ecbFX(
                csv: try root.readText("Data/tariffs/ecb_fx/eurofxref-hist.csv"),
                header: .init(
                    pack: "fx-ecb", jurisdiction: "EU", kind: .fx, version: "2026-10-30.\(version)",
                    source: "ECB euro foreign exchange reference rates, eurofxref-hist.csv (Data/tariffs/ecb_fx)", sourceDate: "2026-10-30",
                    licence: "ECB reference rates, free to reuse with the source acknowledged",
                    note: "Daily ECB reference rates from 2025-01-01; each holds until the next publication, the newest stays open and quotes warn when it is over 7 days old. Customs authorities publish their own (monthly) rates; pass fx in the request to use one."),
                currencies: PackImporter.ecbCurrencies, from: Day(year: 2025, month: 1, day: 1), minimumDays: 100)
            try write("Data/packs/FX/ecb-reference.jsonl", fx)
            Diagnostics.say("fx-ecb: \(fr.days) days \(fr.first?.description ?? "-")..\(fr.last?.description ?? "-"), \(fr.rates) rates")
        } catch let e as PackImporter.FXFormatError {
            throw ValidationError("Data/tariffs/ecb_fx/eurofxref-hist.csv: \(e)")
        }

        let ukgt = try root.readText("Data/tariffs/uk_global_tariff_2021.csv")
        let ukSource = "uktrade/global-uk-tariff global-uk-tariff.csv (Data/tariffs/uk_global_tariff_2021.csv)"
        let ogl = "Open Government Licence v3.0: contains public sector information licensed under the OGL v3.0"
        try write("Data/packs/GB/ukgt-measures.jsonl", try PackImporter.ukGlobalTariff(
            csv: ukgt,
            header: .init(pack: "gb-ukgt", jurisdiction: "GB", kind: .measures, version: "2021.\(version)", source: ukSource, sourceDate: "2021-01-27", licence: ogl, note: "UK Global Tariff MFN rates as of 2021-01-01 (CN 2020 codes); stale for 2026, refresh from the Trade Tariff API."),
            column: "ukgt_duty_rate", idPrefix: "GB-MFN", validFrom: "2021-01-01"))
        try write("Data/packs/EU/cet-measures.jsonl", try PackImporter.ukGlobalTariff(
            csv: ukgt,
            header: .init(pack: "eu-cet", jurisdiction: "EU", kind: .measures, version: "2020.\(version)", source: ukSource + ", column cet_duty_rate", sourceDate: "2021-01-27", licence: ogl, note: "EU Common External Tariff (third-country duty) at end-2020 as printed beside the UKGT; used as the EU MFN rate until a TARIC snapshot is imported."),
            column: "cet_duty_rate", idPrefix: "EU-CET", validFrom: "2020-01-01"))

        let vat = try root.readText("Data/tariffs/eu_vat_rates_ibericode.json")
        try write("Data/packs/EU/vat-rates.jsonl", try PackImporter.euVAT(
            json: vat,
            header: .init(pack: "eu-vat", jurisdiction: "EU", kind: .tax, version: "2025-08-12.\(version)", source: "ibericode/vat-rates vat-rates.json @ 5abb1e1b (Data/tariffs/eu_vat_rates_ibericode.json)", sourceDate: "2025-08-12", licence: "MIT", note: "Standard rates per member state with their periods; import VAT base = customs value + duty (VAT Directive art. 85-86). Reduced-rate categories are not mapped to HS codes yet."),
            members: CountryCode.euMembers))
    }
}
