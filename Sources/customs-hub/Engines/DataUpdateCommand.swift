import ArgumentParser
import AsyncHTTPClient
import CustomsModel
import Foundation
import Hub
import HubContent
import JSONCore
import NIOCore
import NIOHTTP1
import Screening
import Tariff

/// `customs-hub data update`: fetch a rate source or a sanctions list from its publisher, check it,
/// build a new version beside the old one, print what changed. A fetch that is truncated, in a
/// changed format or empty is refused and the version in force stays.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Keep rate packs and sanctions lists current from their official sources.",
        discussion: Help.text(example: "customs-hub data sources"),
        subcommands: [DataUpdateCommand.self, DataSourcesCommand.self, DataIndexCommand.self])
}

/// One official source and how it becomes data.
struct OfficialSource: Sendable {
    enum Kind: Sendable {
        case ecbFX
        /// The USITC HTS CSV export, rebuilt into the US nomenclature and measures packs.
        case usHTS
        /// The UK Trade Tariff API v2, one commodity at a time, rebuilt into the GB MFN and preferences packs.
        case ukTradeTariff
        /// The EU TARIC duties export, rebuilt into the EU MFN and preferences packs.
        case euTARIC
        /// The chapter 99 tables (additional duties by heading and country, Section 301 product
        /// lists), rebuilt into the US chapter 99 pack.
        case usChapter99
        /// A national tariff schedule table (CBSA Customs Tariff, ABF Working Tariff) for this jurisdiction.
        case schedule(jurisdiction: String)
        /// A sanctions list read by the Screening loader of this manifest format, from this file name.
        case sanctions(listID: String, format: String, file: String)
    }
    var name: String
    var url: String
    var kind: Kind
    /// Why `data update` without `--source` leaves this one out (another form of a list already
    /// fetched, data under a licence an operator has to choose, or a fetch heavy on a public service).
    var onRequestOnly: String? = nil
    /// Licence or caveat shown by `data sources`.
    var note: String? = nil

    static let all: [OfficialSource] = [
        .init(name: "ecb-fx", url: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml", kind: .ecbFX),
        .init(name: "ofac-sdn", url: "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML", kind: .sanctions(listID: "ofac_sdn", format: "ofac_xml", file: "sdn.xml")),
        .init(name: "ofac-consolidated", url: "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML", kind: .sanctions(listID: "ofac_consolidated", format: "ofac_xml", file: "consolidated.xml")),
        .init(name: "un-sc", url: "https://scsanctions.un.org/resources/xml/en/consolidated.xml", kind: .sanctions(listID: "un_sc", format: "un_consolidated_xml", file: "UN_consolidated.xml")),
        .init(name: "uk-ofsi", url: "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv", kind: .sanctions(listID: "uk_ofsi", format: "ofsi_conlist_csv", file: "ConList.csv")),
        .init(name: "ofac-sdn-advanced", url: "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML",
              kind: .sanctions(listID: "ofac_sdn", format: "ofac_advanced_xml", file: "SDN_ADVANCED.XML"),
              onRequestOnly: "the SDN list in OFAC's advanced XML: replaces the ofac-sdn version in force (same list, same entry numbers), so it runs only when named"),
        .init(name: "eu-fsf", url: "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
              kind: .sanctions(listID: "eu_fsf", format: "eu_fsf_xml", file: "eu_fsf.xml")),
        .init(name: "opensanctions", url: "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
              kind: .sanctions(listID: "opensanctions", format: "ftm_json", file: "entities.ftm.json"),
              onRequestOnly: "CC BY-NC 4.0 data that repeats the official lists; an operator with a licence for commercial use names it",
              note: "OpenSanctions data is licensed CC BY-NC 4.0: non-commercial use only unless you hold an OpenSanctions licence"),
        .init(name: "uk-trade-tariff", url: "https://www.trade-tariff.service.gov.uk/api/v2/commodities/{code}", kind: .ukTradeTariff,
              onRequestOnly: "one API request per GB code in force (about 9,900): a public service's load and minutes of fetching, so it runs only when named"),
        .init(name: "eu-taric", url: "https://ec.europa.eu/taxation_customs/dds2/taric/", kind: .euTARIC,
              onRequestOnly: "the Commission publishes the TARIC duties as a sheet (Duties Import 01-99) on its document platform, not at one stable URL: save it as CSV and give it with --from"),
        .init(name: "us-hts", url: "https://hts.usitc.gov/reststop/exportList?from=0100&to=9999&format=CSV&styles=false", kind: .usHTS),
        .init(name: "us-chapter99", url: "https://hts.usitc.gov/ (chapter 99, U.S. notes 20, 31, 52)", kind: .usChapter99,
              onRequestOnly: "USITC publishes chapter 99 inside the HTS and the Section 301 product lists in its U.S. notes, not as one table: give --from a folder (or URL base) holding additional_duties.csv and s301_product_lists.csv in the layout of Data/tariffs"),
        .init(name: "cbsa-tariff", url: "https://www.cbsa-asfc.gc.ca/trade-commerce/tariff-tarif/menu-eng.html", kind: .schedule(jurisdiction: "CA"),
              onRequestOnly: "the CBSA publishes the Customs Tariff as a yearly edition in documents and sheets, not at one table URL: save the schedule as CSV and give it with --from"),
        .init(name: "au-working-tariff", url: "https://www.abf.gov.au/importing-exporting-and-manufacturing/tariff-classification/current-tariff", kind: .schedule(jurisdiction: "AU"),
              onRequestOnly: "the Working Tariff is published as web pages per chapter, not at one table URL: save Schedule 3 as CSV and give it with --from"),
    ]
}

struct DataSourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "List the official sources `data update` knows.",
        discussion: Help.text(example: "customs-hub data sources"))
    func run() {
        for s in OfficialSource.all {
            let what: String
            switch s.kind {
            case .ecbFX: what = "FX pack (Data/packs/FX/ecb-reference.jsonl)"
            case .usHTS: what = "US HTS packs (Data/packs/US/hts-nomenclature.jsonl, hts-measures.jsonl)"
            case .usChapter99: what = "US chapter 99 pack (Data/packs/US/chapter99-measures.jsonl): IEEPA phase 2 and Section 301 forced labor by country, Section 301 China lists by product code"
            case .ukTradeTariff: what = "GB MFN and preferences packs (Data/packs/GB/ukgt-measures.jsonl, preferences.jsonl), one API request per commodity code in force"
            case .euTARIC: what = "EU MFN and preferences packs (Data/packs/EU/cet-measures.jsonl, preferences.jsonl): the TARIC measures in force on the fetch date"
            case .schedule(let j): what = "\(j) tariff schedule pack (\(DataUpdater.schedules[j]?.file ?? "?")): general rates and the preferences of \(j) programmes"
            case .sanctions(let id, let format, _): what = "sanctions list \(id) (\(format))"
            }
            var fields: [(String, JSONValue)] = [("source", .string(s.name)), ("url", .string(s.url)), ("what", .string(what))]
            if let why = s.onRequestOnly { fields.append(("only_with_source", .string(why))) }
            if let note = s.note { fields.append(("note", .string(note))) }
            Output.json(.object(JSONObject(fields)))
        }
    }
}

struct DataUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Fetch sources, validate, write a new version beside the old one and print a diff.",
        discussion: Help.text(
            """
            Without --source every importable source is updated, except ofac-sdn-advanced, opensanctions, uk-trade-tariff, eu-taric, us-chapter99, cbsa-tariff and au-working-tariff, \
            which run only when named (`customs-hub data sources` says why). --from takes a URL or a file (a recorded or \
            manually downloaded copy); for us-chapter99 a folder or URL base holding additional_duties.csv and \
            s301_product_lists.csv. A refused source (exit 1) keeps its version in force. A running \
            `customs-hub quote --watch` picks up a new pack within 2 s (or on SIGHUP).
            """,
            example: "customs-hub data update --source ecb-fx --from Fixtures/data-update/eurofxref-hist-90d.xml"))

    @Option(name: .long, help: "Source name (see `customs-hub data sources`).")
    var source: String?

    @Option(name: .long, help: "URL or file to read instead of the publisher's URL (needs --source).")
    var from: String?

    /// The old spelling of `--content`, kept for scripts.
    @Option(name: .long, help: .hidden)
    var root: String?

    @Flag(name: .long, help: "Accept a list or tariff that shrank by more than a tenth.")
    var force = false

    @Option(name: .customLong("at"), help: "Date of the fetch (YYYY-MM-DD or RFC 3339; default: now): the source date of a source that prints none (the US HTS export).")
    var at: String?

    func validate() throws {
        if let at, ScreenCommand.date(at) == nil {
            throw ValidationError("--at \(at): expected a real calendar date YYYY-MM-DD or an RFC 3339 time")
        }
    }

    func run() async throws {
        if from != nil && source == nil { throw ValidationError("--from needs --source") }
        let now = at.flatMap(ScreenCommand.date) ?? Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = utc.dateComponents([.year, .month, .day], from: now)
        let today = Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        // A local --from is the command's input: one that cannot be read is exit 2 before anything is fetched.
        if let from, !from.hasPrefix("http://"), !from.hasPrefix("https://") {
            if source == "us-chapter99" {
                // Its input is a folder of two tables; a file missing inside it is refused naming the file.
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: from, isDirectory: &isDir), isDir.boolValue else {
                    throw Diagnostics.fail("--from \(from): not a folder (us-chapter99 reads \(DataUpdater.chapter99Files.joined(separator: " and ")) from one folder)", exit: Exit.usage)
                }
            } else {
                do { _ = try InputFile(from) } catch { throw Diagnostics.fail("--from \(error)", exit: Exit.usage) }
            }
        }
        let chosen: [OfficialSource]
        if let source {
            guard let s = OfficialSource.all.first(where: { $0.name == source }) else {
                throw ValidationError("unknown source \(source); known: \(OfficialSource.all.map(\.name).joined(separator: ", "))")
            }
            chosen = [s]
        } else {
            chosen = OfficialSource.all.filter { $0.onRequestOnly == nil }
        }
        let contentRoot: ContentRoot
        do {
            contentRoot = try root.map { ContentRoot(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? ContentRoot.locate()
        } catch {
            Diagnostics.say("configuration: \(error)")
            throw ExitCode(3)
        }
        var refused = 0
        var updatedLists = false
        for s in chosen {
            do {
                let updater = DataUpdater(root: contentRoot, force: force, today: today)
                let summary: String
                if case .ukTradeTariff = s.kind {
                    summary = try await updater.updateUKTariff(location: from ?? s.url, origin: from ?? s.url)
                } else if case .usChapter99 = s.kind {
                    guard let from else { throw UpdateError("nothing to fetch without --from: \(s.onRequestOnly ?? "")") }
                    summary = try updater.updateChapter99(files: try await DataUpdater.chapter99Inputs(from), origin: from)
                } else {
                    summary = try updater.apply(s, bytes: try await Self.fetch(from ?? s.url), origin: from ?? s.url)
                }
                Output.json(.object(JSONObject([("source", .string(s.name)), ("summary", .string(summary))])))
                if case .sanctions = s.kind { updatedLists = true }
            } catch {
                Diagnostics.say("\(s.name): refused: \(error); the version in force stays")
                refused += 1
            }
        }
        if updatedLists {
            // The lists changed: build their screening index now, so no door pays it on its first start.
            do { Diagnostics.say(try ScreeningIndexRefresh.run(root: contentRoot).line) } catch {
                Diagnostics.say("screening index not rebuilt (\(error)); the first screen builds it")
            }
        }
        if refused > 0 { throw ExitCode(1) }
    }

    /// A file path or an http(s) URL; a body cut short of its Content-Length is an error.
    static func fetch(_ location: String) async throws -> Data {
        guard let d = try await fetch(location, missingIsNil: false) else { throw UpdateError("cannot read \(location)") }
        return d
    }

    /// As `fetch`, but a 404 (a code the publisher no longer has) is `nil` when `missingIsNil`.
    static func fetch(_ location: String, missingIsNil: Bool) async throws -> Data? {
        guard location.hasPrefix("http://") || location.hasPrefix("https://") else {
            guard let d = FileManager.default.contents(atPath: location) else { throw UpdateError("cannot read \(location)") }
            return d
        }
        let request = HTTPClientRequest(url: location)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        if missingIsNil && response.status == .notFound { return nil }
        guard response.status == .ok else { throw UpdateError("\(location): HTTP \(response.status.code)") }
        let expected = response.headers.first(name: "content-length").flatMap(Int.init)
        let body = try await response.body.collect(upTo: 512 << 20)
        if let expected, body.readableBytes != expected {
            throw UpdateError("\(location): got \(body.readableBytes) of \(expected) bytes (truncated download)")
        }
        return Data(body.readableBytesView)
    }
}

/// `customs-hub data index`: build the screening index of the lists in force into the data folder
/// (`Models/screening-index.bin`), the step of installing or refreshing lists. Building it takes about
/// 1.7 CPU-s for the four bundled lists; a door that finds it ready starts in about 0.4.
struct DataIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the screening index of the lists in force (after installing or updating lists).",
        discussion: Help.text(
            """
            Writes Models/screening-index.bin in the data folder (CUSTOMS_HUB_DATA). `data update` runs it after a \
            sanctions list changes; run it once after installing or rebuilding customs-hub, so that the first \
            `screen` or `serve` finds it ready. An index that is current is kept.
            """,
            example: "customs-hub data index"))

    func run() throws {
        let root: ContentRoot
        do { root = try ContentRoot.locate() } catch {
            Diagnostics.say("configuration: \(error)")
            throw ExitCode(3)
        }
        let outcome: ScreeningIndexRefresh.Outcome
        do { outcome = try ScreeningIndexRefresh.run(root: root) } catch {
            Diagnostics.say("cannot build the screening index: \(error)")
            throw ExitCode(3)
        }
        Diagnostics.say(outcome.line)
        Output.json(.object(JSONObject([("screening_index", .string(outcome.path)), ("names", .number(String(outcome.names))),
                                        ("built", .bool(outcome.built)), ("written", .bool(outcome.written))])))
        if !outcome.written { throw ExitCode(3) }
    }
}

/// Loads the screening lists through the cache, as `screen` and `serve` do, so the index they
/// will look for is the one written. Returns one line saying what was done.
enum ScreeningIndexRefresh {
    struct Outcome {
        var path: String
        var names: Int
        /// False when the index on disk was already the one of these lists and this program.
        var built: Bool
        var written: Bool
        var seconds: Double

        var line: String {
            let s = String(format: "%.2f", seconds)
            if !built { return "screening index \(path) is current (\(names) names)" }
            return written ? "screening index of \(names) names built in \(s) s: \(path)"
                : "screening index of \(names) names built in \(s) s, but not written to \(path); the first screen builds it again"
        }
    }

    static func run(root: ContentRoot) throws -> Outcome {
        var loader = EngineLoader(root: root)
        let path = DataFolder.screeningCache
        loader.screeningCachePath = path
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        func stamp() -> Date? { (try? FileManager.default.attributesOfItem(atPath: path.path))?[.modificationDate] as? Date }
        let before = stamp()
        let started = Date()
        let service = try loader.screening()
        let after = stamp()
        return Outcome(path: path.path, names: service.screener.index.nameCount, built: after == nil || after != before,
                       written: after != nil, seconds: Date().timeIntervalSince(started))
    }
}

struct UpdateError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Validates fetched bytes and writes the new version; everything before the final writes only reads.
struct DataUpdater {
    let root: ContentRoot
    let force: Bool
    /// The fetch date: the source date of a source that prints none.
    var today: Day

    func apply(_ source: OfficialSource, bytes: Data, origin: String) throws -> String {
        switch source.kind {
        case .ecbFX: return try updateFX(bytes: bytes, origin: origin)
        case .usHTS: return try updateUSHTS(bytes: bytes, origin: origin)
        case .ukTradeTariff: throw UpdateError("the UK Trade Tariff is fetched one commodity at a time (updateUKTariff)")
        case .usChapter99: throw UpdateError("us-chapter99 reads two tables from a folder (updateChapter99)")
        case .schedule(let j): return try updateSchedule(j, bytes: bytes, origin: origin)
        case .euTARIC: return try updateTARIC(bytes: bytes, origin: origin)
        case .sanctions(let id, let format, let file): return try updateList(id: id, format: format, file: file, bytes: bytes, name: source.name)
        }
    }

    // MARK: ECB reference rates

    func updateFX(bytes: Data, origin: String) throws -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let rawPath = "Data/tariffs/ecb_fx/eurofxref-hist.csv"
        let old = try PackImporter.ecbDays(csv: try root.readText(rawPath))
        let fetched: [PackImporter.ECBDay]
        if text.hasPrefix("Date") { fetched = try PackImporter.ecbDays(csv: text).days } else { fetched = try PackImporter.ecbDays(xml: text) }
        guard let newest = fetched.last else { throw UpdateError("no rates in the fetched file (empty list)") }
        let missing = PackImporter.ecbCurrencies.map(\.rawValue).filter { newest.rates[$0] == nil }
        if !missing.isEmpty { throw UpdateError("the newest day \(newest.day) lacks \(missing.joined(separator: ", ")) (changed format?)") }
        if let oldLast = old.days.last?.day, newest.day < oldLast {
            throw UpdateError("the fetched rates end on \(newest.day), before the version in force (\(oldLast))")
        }
        var merged: [Day: [String: String]] = [:]
        for d in old.days { merged[d.day] = d.rates }
        var added = 0
        var changed = 0
        for d in fetched {
            if let before = merged[d.day] {
                for (c, r) in d.rates where before[c] != nil && before[c] != r { changed += 1 }
            } else {
                added += 1
            }
            merged[d.day, default: [:]].merge(d.rates) { _, new in new }
        }
        if added == 0 && changed == 0 { return "ecb-fx: unchanged (newest \(newest.day))" }
        let days: [PackImporter.ECBDay] = merged.keys.sorted().map { (day: $0, rates: merged[$0]!) }
        let csv = PackImporter.ecbCSV(currencies: old.currencies, days: days)
        let packRel = "Data/packs/FX/ecb-reference.jsonl"
        let oldPack = try? root.readText(packRel)
        let oldVersion = oldPack.flatMap(Self.version(ofPackText:)) ?? "none"
        let version = "\(newest.day).1"
        let (pack, report) = try PackImporter.ecbFX(
            csv: csv,
            header: .init(
                pack: "fx-ecb", jurisdiction: "EU", kind: .fx, version: version,
                source: "ECB euro foreign exchange reference rates (\(origin)), merged into Data/tariffs/ecb_fx/eurofxref-hist.csv",
                sourceDate: newest.day.description, licence: "ECB reference rates, free to reuse with the source acknowledged",
                note: "Daily ECB reference rates from 2025-01-01; each holds until the next publication, the newest stays open and quotes warn when it is over 7 days old."),
            currencies: PackImporter.ecbCurrencies, from: Day(year: 2025, month: 1, day: 1), minimumDays: 1)
        // Check the new pack loads before anything is written.
        _ = try PackParser.parse(pack, file: packRel)
        if let oldPack, oldVersion != version { try archive(packText: oldPack, id: "fx-ecb", version: oldVersion, kind: "FX") }
        try write(rawPath, csv)
        try write(packRel, pack)
        return "ecb-fx: fx-ecb@\(oldVersion) -> fx-ecb@\(version): \(added) days added, \(changed) rates re-published with another value, \(report.rates) rates in the pack (\(report.first?.description ?? "-")..\(newest.day)); old version kept in Data/packs-archive"
    }

    // MARK: US HTS

    /// The columns `PackImporter.usHTS` reads, by position, as the USITC export names them.
    static let htsColumns = ["HTS Number", "Indent", "Description", "Unit of Quantity", "General Rate of Duty", "Special Rate of Duty"]

    /// Rebuilds the US nomenclature and measures packs from a USITC HTS CSV export. Refused: another
    /// header (changed format), no tariff lines (empty), a tariff a tenth smaller than the one in
    /// force (truncated, unless --force), a rate the engine cannot read, or packs that no longer load
    /// beside the others (a chapter 99 list naming a code the new nomenclature lacks).
    func updateUSHTS(bytes: Data, origin: String) throws -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let header = firstLine.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
        guard header.count >= Self.htsColumns.count, Array(header.prefix(Self.htsColumns.count)) == Self.htsColumns else {
            throw UpdateError("the header is \(header.prefix(6).joined(separator: ", ")), not the USITC export's \(Self.htsColumns.joined(separator: ", ")) (changed format?)")
        }
        let nomRel = "Data/packs/US/hts-nomenclature.jsonl"
        let meaRel = "Data/packs/US/hts-measures.jsonl"
        let oldNomText = try? root.readText(nomRel)
        let oldMeaText = try? root.readText(meaRel)
        let oldVersion = oldMeaText.flatMap(Self.version(ofPackText:)) ?? "none"
        var n = 1
        if oldVersion.hasPrefix("\(today).") { n = (Int(oldVersion.dropFirst("\(today).".count)) ?? 0) + 1 }
        let version = "\(today).\(n)"
        let source = "USITC HTS CSV export (\(origin)), fetched \(today)"
        let note = "Column 1 general and special rates as exported on \(today); applied from 2025-01-01 as tariff-import does; chapters 98 and 99 are left out (chapter 99 measures come from us-chapter99)."
        let licence = "US government work, public domain"
        let (nomText, meaText): (String, String)
        do {
            (nomText, meaText) = try PackImporter.usHTS(
            csv: text,
            nomenclature: .init(pack: "us-hts-nomenclature", jurisdiction: "US", kind: .nomenclature, version: version, source: source, sourceDate: today.description, licence: licence, note: note),
            measures: .init(pack: "us-hts", jurisdiction: "US", kind: .measures, version: version, source: source, sourceDate: today.description, licence: licence, note: note),
            validFrom: "2025-01-01")
        } catch { throw UpdateError("not a readable CSV file: \(error)") }
        let nom = try PackParser.parse(nomText, file: nomRel)
        let mea = try PackParser.parse(meaText, file: meaRel)
        guard !nom.codes.isEmpty, mea.measures.contains(where: { $0.type == .mfn }) else {
            throw UpdateError("no tariff lines with a rate in the fetched file (empty list)")
        }
        let oldNom = try oldNomText.map { try PackParser.parse($0, file: nomRel) }
        let oldMea = try oldMeaText.map { try PackParser.parse($0, file: meaRel) }
        if let oldNom, !force, nom.codes.count * 10 < oldNom.codes.count * 9 {
            throw UpdateError("\(nom.codes.count) tariff lines against \(oldNom.codes.count) in force: a tariff does not shrink by a tenth at once (truncated download?); --force accepts it")
        }
        // Everything after the header line: the same lines under another version are no change.
        func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }
        if let oldNomText, let oldMeaText, body(oldNomText) == body(nomText), body(oldMeaText) == body(meaText) {
            return "us-hts: unchanged (\(oldVersion), \(nom.codes.count) tariff lines)"
        }
        // The new packs must load beside every other pack (the chapter 99 lists name HTS codes).
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !url.path.hasSuffix(nomRel.dropFirst(4)) && !url.path.hasSuffix(meaRel.dropFirst(4)) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(nom, fingerprint: PackRegistry.fingerprint(nomText))
        try registry.add(mea, fingerprint: PackRegistry.fingerprint(meaText))
        do { _ = try registry.book() } catch { throw UpdateError("the new US packs do not load beside the others: \(error)") }

        // The diff: codes added and removed, MFN rates changed.
        let oldCodes = Set(oldNom?.codes.map(\.code) ?? [])
        let newCodes = Set(nom.codes.map(\.code))
        func mfn(_ p: Pack?) -> [String: String] {
            var out: [String: String] = [:]
            for m in p?.measures ?? [] where m.type == .mfn { out[m.code] = m.rate.raw }
            return out
        }
        let oldRates = mfn(oldMea)
        let newRates = mfn(mea)
        let rerated = newRates.filter { code, rate in oldRates[code].map { $0 != rate } ?? false }.keys.sorted()
        let added = newCodes.subtracting(oldCodes).sorted()
        let removed = oldCodes.subtracting(newCodes).sorted()
        if let oldNomText, let oldNom, let oldMeaText, oldVersion != version {
            try archive(packText: oldNomText, id: oldNom.header.id, version: oldNom.header.version, kind: "US")
            try archive(packText: oldMeaText, id: oldMea?.header.id ?? "us-hts", version: oldVersion, kind: "US")
        }
        try write(nomRel, nomText)
        try write(meaRel, meaText)
        func few(_ codes: [String]) -> String { codes.isEmpty ? "" : " (" + codes.prefix(5).joined(separator: ", ") + (codes.count > 5 ? ", ..." : "") + ")" }
        return "us-hts: us-hts@\(oldVersion) -> us-hts@\(version): \(added.count) codes added\(few(added)), \(removed.count) removed\(few(removed)), \(rerated.count) re-rated\(few(rerated)); \(nom.codes.count) tariff lines, \(mea.measures.count) measures"
            + (oldNomText == nil ? "" : "; old version kept in Data/packs-archive")
    }

    static func packFiles(_ dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "jsonl" }.sorted { $0.path < $1.path }
    }

    // MARK: Sanctions lists

    func updateList(id: String, format: String, file: String, bytes: Data, name: String) throws -> String {
        let manifestRel = "Data/sanctions/manifest.json"
        var manifest = try ListManifest.decode(try root.read(manifestRel))
        let entry = ListManifest.Entry(id: id, format: format, folder: "incoming", published: nil, note: nil, file: file)
        let list = try ListManifest.load(entry, files: [file: bytes])
        let current = manifest.lists.firstIndex { $0.id == id }
        var oldList: SanctionsList?
        if let i = current {
            let old = manifest.lists[i]
            let loader = try ListManifest.loader(for: old)
            var files: [String: Data] = [:]
            for f in loader.fileNames { files[f] = try root.read("Data/sanctions/\(old.folder)/\(f)") }
            oldList = try ListManifest.load(old, files: files)
        }
        if let oldList {
            if let a = oldList.version.published, let b = list.version.published, b < a {
                throw UpdateError("the fetched list was published \(Timestamp.format(b)), before the version in force (\(Timestamp.format(a)))")
            }
            if oldList.version.version == list.version.version { return "\(name): unchanged (\(list.version.version))" }
            if !force && list.entities.count * 10 < oldList.entities.count * 9 {
                throw UpdateError("\(list.entities.count) entries against \(oldList.entities.count) in force: a list does not shrink by a tenth at once (truncated download?); --force accepts it")
            }
        }
        let oldIDs = Set(oldList?.entities.map(\.entryID) ?? [])
        let newIDs = Set(list.entities.map(\.entryID))
        let oldByID = Dictionary((oldList?.entities ?? []).map { ($0.entryID, $0) }, uniquingKeysWith: { a, _ in a })
        let changed = list.entities.filter { e in oldByID[e.entryID].map { $0 != e } ?? false }.count
        let date = list.version.published.map { String(Timestamp.format($0).prefix(10)) } ?? "undated"
        var folder = "\(id)_\(date)"
        if FileManager.default.fileExists(atPath: root.file("Data/sanctions/\(folder)").path) { folder += "_" + String(list.version.version.suffix(12)) }
        try FileManager.default.createDirectory(at: root.file("Data/sanctions/\(folder)"), withIntermediateDirectories: true)
        try bytes.write(to: root.file("Data/sanctions/\(folder)/\(file)"), options: .atomic)
        let newEntry = ListManifest.Entry(
            id: id, format: format, folder: folder, published: nil,
            note: "Fetched by customs-hub data update; previous folder \(current.map { manifest.lists[$0].folder } ?? "none") kept for replaying old decisions.",
            file: file)
        if let i = current { manifest.lists[i] = newEntry } else { manifest.lists.append(newEntry) }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try enc.encode(manifest).write(to: root.file(manifestRel), options: .atomic)
        return "\(name): \(oldList?.version.version ?? "none") -> \(list.version.version): \(newIDs.subtracting(oldIDs).count) entries added, \(oldIDs.subtracting(newIDs).count) removed, \(changed) changed (\(list.entities.count) in force); Data/sanctions/\(folder)"
    }

    // MARK: files

    func write(_ rel: String, _ text: String) throws {
        let url = root.file(rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Old pack versions live in `Data/packs-archive/`, loaded before the current ones so pinned
    /// quotes can still name them.
    func archive(packText: String, id: String, version: String, kind: String) throws {
        try write("Data/packs-archive/\(kind)/\(id)@\(version).jsonl", packText)
    }

    static func version(ofPackText text: String) -> String? {
        guard let line = text.split(separator: "\n", maxSplits: 1).first,
              let r = line.range(of: #""version":""#), let end = line[r.upperBound...].firstIndex(of: "\"")
        else { return nil }
        return String(line[r.upperBound..<end])
    }
}
