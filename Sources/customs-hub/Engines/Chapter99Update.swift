import CSVCore
import CustomsModel
import Foundation
import HubContent
import Tariff

/// `data update --source us-chapter99`: the chapter 99 layers (IEEPA phase 2, Section 301 forced
/// labor by country, Section 301 China lists) rebuilt into `Data/packs/US/chapter99-measures.jsonl`
/// by the importer `tariff-import` uses. USITC publishes chapter 99 inside the HTS and the product
/// lists in the U.S. notes, not as one table, so `--from` is a folder (or a URL base) holding the
/// two tables the importer reads, in the layout of the files under Data/tariffs.
extension DataUpdater {
    /// The headings with their rates by country, and the Section 301 product lists (hts8, list, ch99_code).
    static let chapter99Files = ["additional_duties.csv", "s301_product_lists.csv"]
    static let chapter99Pack = "Data/packs/US/chapter99-measures.jsonl"

    /// Reads both tables from a local folder or from `URL/<file>`; a missing one is an error naming it.
    static func chapter99Inputs(_ location: String) async throws -> [String: Data] {
        var out: [String: Data] = [:]
        let remote = location.hasPrefix("http://") || location.hasPrefix("https://")
        if !remote {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: location, isDirectory: &isDir), isDir.boolValue else {
                throw UpdateError("\(location) is not a folder: us-chapter99 reads \(chapter99Files.joined(separator: " and ")) from one folder")
            }
        }
        for name in chapter99Files {
            let place = remote ? (location.hasSuffix("/") ? location : location + "/") + name
                : URL(fileURLWithPath: location, isDirectory: true).appendingPathComponent(name).path
            if !remote && !FileManager.default.fileExists(atPath: place) {
                throw UpdateError("\(location) holds no \(name) (us-chapter99 reads \(chapter99Files.joined(separator: " and ")))")
            }
            do { out[name] = try await DataUpdateCommand.fetch(place) } catch { throw UpdateError("\(name): \(error)") }
        }
        return out
    }

    /// Refused: a table without the importer's columns (changed format), a row with fewer or more
    /// fields than its header (cut inside a row), no heading rate or no Section 301 product
    /// (empty), a tenth fewer product codes or country measures than the pack in force (truncated,
    /// unless --force), or a pack that does not load beside the others.
    func updateChapter99(files: [String: Data], origin: String) throws -> String {
        var texts: [String: String] = [:]
        for name in Self.chapter99Files {
            var text = String(decoding: files[name] ?? Data(), as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let table: CSVReader
            do { table = try CSVReader(text) } catch { throw UpdateError("\(name) \(error) (truncated?)") }
            guard !table.header.isEmpty else { throw UpdateError("\(name) is empty (empty list)") }
            if let short = table.rows.first(where: { $0.fields.count != table.header.count }) {
                throw UpdateError("\(name) line \(short.line): \(short.fields.count) fields where the header has \(table.header.count) (truncated?)")
            }
            texts[name] = text
        }
        let nomRel = "Data/packs/US/hts-nomenclature.jsonl"
        let known = TariffImportCommand.knownCodes(nomenclature: try root.readText(nomRel))
        let rel = Self.chapter99Pack
        let oldText = try? root.readText(rel)
        let oldPack = try oldText.map { try PackParser.parse($0, file: rel) }
        let oldVersion = oldPack?.header.version ?? "none"
        var n = 1
        if oldVersion.hasPrefix("\(today).") { n = (Int(oldVersion.dropFirst("\(today).".count)) ?? 0) + 1 }
        let version = "\(today).\(n)"
        let text: String
        let report: PackImporter.Chapter99Report
        do {
            (text, report) = try PackImporter.usChapter99(
                additionalDuties: texts[Self.chapter99Files[0]] ?? "", s301Lists: texts[Self.chapter99Files[1]] ?? "",
                header: .init(
                    pack: "us-chapter99", jurisdiction: "US", kind: .measures, version: version,
                    source: "\(Self.chapter99Files.joined(separator: " and ")) (\(origin)), fetched \(today)",
                    sourceDate: today.description, licence: TariffImportCommand.chapter99Licence, note: TariffImportCommand.chapter99Note),
                knownCodes: known)
        } catch { throw UpdateError("\(error) (changed format?)") }
        let pack = try PackParser.parse(text, file: rel)
        let products = Set(pack.measures.filter { !$0.code.isEmpty }.map(\.code))
        let countries = Set(pack.measures.filter { $0.code.isEmpty }.map(\.id))
        guard !products.isEmpty, !countries.isEmpty else {
            throw UpdateError("\(products.count) Section 301 product codes and \(countries.count) country measures with a rate in the fetched tables (empty list)")
        }
        if let oldPack, !force {
            let oldProducts = Set(oldPack.measures.filter { !$0.code.isEmpty }.map(\.code)).count
            let oldCountries = Set(oldPack.measures.filter { $0.code.isEmpty }.map(\.id)).count
            if products.count * 10 < oldProducts * 9 || countries.count * 10 < oldCountries * 9 {
                throw UpdateError("\(products.count) Section 301 product codes and \(countries.count) country measures against \(oldProducts) and \(oldCountries) in force: the lists do not shrink by a tenth at once (truncated download?); --force accepts it")
            }
        }
        func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }
        if let oldText, body(oldText) == body(text) {
            return "us-chapter99: unchanged (us-chapter99@\(oldVersion), \(products.count) Section 301 product codes, \(countries.count) country measures)"
        }
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !url.path.hasSuffix(rel.dropFirst(4)) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(pack, fingerprint: PackRegistry.fingerprint(text))
        do { _ = try registry.book() } catch { throw UpdateError("the new chapter 99 pack does not load beside the others: \(error)") }

        // The diff, by product code (Section 301) and by chapter 99 heading (the country measures of
        // IEEPA and note 52): rate, stacking, dates and origins under every measure naming it.
        func terms(_ p: Pack?) -> [String: String] {
            var out: [String: [String]] = [:]
            for m in p?.measures ?? [] {
                let what = "\(m.rate.raw) \(m.stacking) \(m.validity) \((m.origins ?? []).map(\.rawValue).sorted().joined(separator: " "))"
                // A country measure is keyed by its heading (US-9903.02.02 is 9903.02.02), itself an HTS code.
                out[m.code.isEmpty ? String(m.id.dropFirst(m.id.hasPrefix("US-") ? 3 : 0)) : m.code, default: []].append(what)
            }
            return out.mapValues { $0.sorted().joined(separator: "; ") }
        }
        let before = terms(oldPack)
        let after = terms(pack)
        let added = Set(after.keys).subtracting(before.keys).sorted()
        let removed = Set(before.keys).subtracting(after.keys).sorted()
        let rerated = after.compactMap { key, t in before[key].map { $0 == t ? nil : key } ?? nil }.sorted()
        if let oldText, let oldPack, oldVersion != version {
            try archive(packText: oldText, id: oldPack.header.id, version: oldVersion, kind: "US")
        }
        try write(rel, text)
        return "us-chapter99: us-chapter99@\(oldVersion) -> us-chapter99@\(version): \(added.count) codes added\(Self.few(added)), \(removed.count) removed\(Self.few(removed)), "
            + "\(rerated.count) re-rated\(Self.few(rerated)); \(report.measures) measures, \(products.count) Section 301 product codes, \(countries.count) country measures"
            + (report.droppedUnknownCodes == 0 ? "" : "; \(report.droppedUnknownCodes) list lines not in the US nomenclature in force dropped")
            + (oldText == nil ? "" : "; old version kept in Data/packs-archive")
    }
}
