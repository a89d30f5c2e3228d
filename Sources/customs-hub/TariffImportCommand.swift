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
        abstract: "Rebuild the US HTS, UK tariff, EU CET and EU VAT packs from Data/tariffs.",
        discussion: Help.text(
            """
            Reads Data/tariffs in the content folder and writes the generated packs under --output (default: the \
            content folder's Data/packs, which is what `quote` reads). Prints one JSON line per pack file written.
            """,
            example: "customs-hub tariff-import --pack-version 1 --output Data/packs"))

    @Option(name: [.customLong("pack-version"), .customLong("version")], help: "Version written into the generated pack headers.")
    var version: String = "1"

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
        let progress = Progress("tariff-import", total: 4)
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
