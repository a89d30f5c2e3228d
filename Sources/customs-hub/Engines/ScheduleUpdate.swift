import CustomsModel
import Foundation
import HubContent
import JSONCore
import Tariff

/// `data update --source cbsa-tariff` and `--source au-working-tariff`: the Canadian and Australian
/// tariff schedules rebuilt into one measures pack each (general rates, and preferential rates of
/// the treatments that are programmes of the destination's packs). The schedules print no
/// publication date in the table, so the fetch date (`--at`) is the pack's source date and rates
/// apply from January 1 of its year, the date both publishers issue their yearly edition.
extension DataUpdater {
    struct Schedule: Sendable {
        var source: String
        var jurisdiction: String
        var pack: String
        var file: String
        var title: String
        var licence: String
        var read: @Sendable (String, PackImporter.Header, Set<String>, String) throws -> (String, ScheduleImporter.Report)
    }

    static let schedules: [String: Schedule] = [
        "CA": Schedule(
            source: "cbsa-tariff", jurisdiction: "CA", pack: "ca-customs-tariff", file: "Data/packs/CA/customs-tariff.jsonl",
            title: "CBSA Customs Tariff", licence: "Open Government Licence - Canada",
            read: { try ScheduleImporter.cbsa(csv: $0, header: $1, programs: $2, validFrom: $3) }),
        "AU": Schedule(
            source: "au-working-tariff", jurisdiction: "AU", pack: "au-working-tariff", file: "Data/packs/AU/working-tariff.jsonl",
            title: "ABF Working Tariff, Schedule 3", licence: "Creative Commons Attribution 4.0 International (Commonwealth of Australia)",
            read: { try ScheduleImporter.auWorkingTariff(csv: $0, header: $1, programs: $2, validFrom: $3) }),
    ]

    /// Refused: a table without the schedule's columns (changed format), a row cut short (truncated),
    /// no item with a rate (empty), a schedule a tenth smaller than the one in force (unless
    /// --force), or a pack that does not load beside the others.
    func updateSchedule(_ jurisdiction: String, bytes: Data, origin: String) throws -> String {
        guard let s = Self.schedules[jurisdiction] else { throw UpdateError("no schedule importer for \(jurisdiction)") }
        let oldText = try? root.readText(s.file)
        let oldPack = try oldText.map { try PackParser.parse($0, file: s.file) }
        // Programmes of the destination in force: a treatment column with one of these symbols is imported.
        var programs = Set<String>()
        for url in Self.packFiles(root.file("Data/packs/\(jurisdiction)")) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            guard let p = try? PackParser.parse(t, file: url.lastPathComponent) else { continue }
            for g in p.programs where g.validity.to.map({ $0 >= today }) ?? true { programs.insert(g.symbol) }
        }
        let oldVersion = oldPack?.header.version ?? "none"
        var n = 1
        if oldVersion.hasPrefix("\(today).") { n = (Int(oldVersion.dropFirst("\(today).".count)) ?? 0) + 1 }
        let version = "\(today).\(n)"
        let validFrom = "\(today.year)-01-01"
        let header = PackImporter.Header(
            pack: s.pack, jurisdiction: jurisdiction, kind: .measures, version: version,
            source: "\(s.title) (\(origin)), fetched \(today)", sourceDate: today.description, licence: s.licence,
            note: "General (MFN) rates per 8-digit tariff item and the preferential rates of the treatments that are \(jurisdiction) programmes, "
                + "as published on \(today), applied from \(validFrom); rates the engine cannot price are kept and a quote on them needs duty_rate.")
        let text: String
        let report: ScheduleImporter.Report
        do { (text, report) = try s.read(String(decoding: bytes, as: UTF8.self), header, programs, validFrom) } catch {
            throw UpdateError("\(origin): \(error)")
        }
        guard report.items > 0 else { throw UpdateError("no tariff item with a general rate in the fetched table (empty list)") }
        let pack = try PackParser.parse(text, file: s.file)
        func mfn(_ p: Pack?) -> [String: DutyRate] {
            var out: [String: DutyRate] = [:]
            for m in p?.measures ?? [] where m.type == .mfn { out[m.code] = m.rate }
            return out
        }
        let before = mfn(oldPack)
        let after = mfn(pack)
        if !force, !before.isEmpty, after.count * 10 < before.count * 9 {
            throw UpdateError("\(after.count) rated tariff items against \(before.count) in force: a tariff does not shrink by a tenth at once (truncated download?); --force accepts it")
        }
        func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }
        if let oldText, body(oldText) == body(text) { return "\(s.source): unchanged (\(s.pack)@\(oldVersion), \(pack.measures.count) measures)" }
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !url.path.hasSuffix(s.file.dropFirst(4)) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(pack, fingerprint: PackRegistry.fingerprint(text))
        do { _ = try registry.book() } catch { throw UpdateError("the new \(jurisdiction) pack does not load beside the others: \(error)") }
        let added = Set(after.keys).subtracting(before.keys).sorted()
        let removed = Set(before.keys).subtracting(after.keys).sorted()
        let rerated = after.compactMap { code, rate in before[code].map { Self.sameRate($0, rate) ? nil : code } ?? nil }.sorted()
        if let oldText, let oldPack, oldVersion != version {
            try archive(packText: oldText, id: oldPack.header.id, version: oldVersion, kind: jurisdiction)
        }
        try write(s.file, text)
        let prefs = report.preferences.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let unfiled = report.unfiled.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "\(s.source): \(s.pack)@\(oldVersion) -> \(s.pack)@\(version): \(added.count) codes added\(Self.few(added)), \(removed.count) removed\(Self.few(removed)), "
            + "\(rerated.count) re-rated\(Self.few(rerated)); \(report.items) tariff items"
            + (prefs.isEmpty ? "" : ", preferences: \(prefs)")
            + (report.unpriceable.isEmpty ? "" : "; \(report.unpriceable.count) general rates the engine cannot price\(Self.few(report.unpriceable))")
            + (unfiled.isEmpty ? "" : "; not imported (no \(jurisdiction) programme): \(unfiled)")
            + (oldText == nil ? "" : "; old version kept in Data/packs-archive")
    }
}
