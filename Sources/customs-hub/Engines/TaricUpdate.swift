import CustomsModel
import Foundation
import HubContent
import JSONCore
import Tariff

/// `data update --source eu-taric`: the EU MFN pack (`Data/packs/EU/cet-measures.jsonl`, which held
/// the end-2020 CET) and the EU preferences pack rebuilt from the TARIC duties export, the measures
/// in force on the fetch date (`--at`), which is also the packs' source date.
extension DataUpdater {
    static let euMeasures = "Data/packs/EU/cet-measures.jsonl"
    static let euPreferences = "Data/packs/EU/preferences.jsonl"

    /// Refused: another table (changed format), a row cut short (truncated), no third-country duty
    /// (empty), an MFN table a tenth smaller than the one in force, preferences a tenth fewer than
    /// imported ones in force (both unless --force), or packs that do not load beside the others.
    /// When no preference of an EU programme's area is in the table, the preferences in force stay.
    func updateTARIC(bytes: Data, origin: String) throws -> String {
        let oldMFNText = try? root.readText(Self.euMeasures)
        let oldMFN = try oldMFNText.map { try PackParser.parse($0, file: Self.euMeasures) }
        let oldPrefText = try? root.readText(Self.euPreferences)
        let oldPref = try oldPrefText.map { try PackParser.parse($0, file: Self.euPreferences) }
        var programs: [String: String] = [:]
        for url in Self.packFiles(root.file("Data/packs/EU")) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            guard let p = try? PackParser.parse(t, file: url.lastPathComponent), p.header.kind == .jurisdiction else { continue }
            for g in p.programs where g.validity.to.map({ $0 >= today }) ?? true {
                for area in g.geographicalAreas { programs[area] = g.symbol }
            }
        }
        func next(_ old: String?) -> String {
            var n = 1
            if let old, old.hasPrefix("\(today).") { n = (Int(old.dropFirst("\(today).".count)) ?? 0) + 1 }
            return "\(today).\(n)"
        }
        let mfnID = oldMFN?.header.id ?? "eu-cet"
        let source = "EU TARIC duties export (\(origin)), measures in force on \(today)"
        let licence = "European Commission data, reuse authorised with acknowledgement of the source (Commission Decision 2011/833/EU)"
        let mfnHeader = PackImporter.Header(
            pack: mfnID, jurisdiction: "EU", kind: .measures, version: next(oldMFN?.header.version), source: source, sourceDate: today.description,
            licence: licence, note: "Third-country duties (measure type 103, ERGA OMNES, no additional code or quota) in force on \(today), each on the code level TARIC sets it at.")
        let prefHeader = PackImporter.Header(
            pack: oldPref?.header.id ?? "eu-preferences", jurisdiction: "EU", kind: .measures, version: next(oldPref?.header.version), source: source,
            sourceDate: today.description, licence: licence,
            note: "Tariff preferences (measure type 142, no additional code or quota) in force on \(today), filed under the EU programme whose record names the origin area (geographical_areas in eu-jurisdiction).")
        let (mfnText, prefText, report): (String, String, TaricImporter.Report)
        do {
            (mfnText, prefText, report) = try TaricImporter.duties(
                csv: String(decoding: bytes, as: UTF8.self), mfn: mfnHeader, preferences: prefHeader, programs: programs, on: today)
        } catch { throw UpdateError("\(origin): \(error)") }
        guard report.mfn > 0 else { throw UpdateError("no third-country duty (103, ERGA OMNES) in force on \(today) in the fetched table (empty list)") }
        let mfn = try PackParser.parse(mfnText, file: Self.euMeasures)
        func rates(_ p: Pack?, _ type: MeasureType, byID: Bool) -> [String: DutyRate] {
            var out: [String: DutyRate] = [:]
            for m in p?.measures ?? [] where m.type == type { out[byID ? m.id : TaricImporter.trimmed(m.code)] = m.rate }
            return out
        }
        let before = rates(oldMFN, .mfn, byID: false)
        let after = rates(mfn, .mfn, byID: false)
        if !force, !before.isEmpty, after.count * 10 < before.count * 9 {
            throw UpdateError("\(after.count) third-country duties against \(before.count) in force: a tariff does not shrink by a tenth at once (truncated download?); --force accepts it")
        }
        let filed = report.preferences.values.reduce(0, +)
        let oldPrefFromAPI = oldPref?.header.source.hasPrefix("EU TARIC") ?? false
        let oldPrefCount = oldPref?.measures.count ?? 0
        if oldPrefFromAPI, !force, filed * 10 < oldPrefCount * 9 {
            throw UpdateError("\(filed) tariff preferences of EU programmes against \(oldPrefCount) in force: preferences do not shrink by a tenth at once (truncated download?); --force accepts it")
        }
        let newPref = try filed > 0 ? PackParser.parse(prefText, file: Self.euPreferences) : nil
        func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }
        let mfnSame = oldMFNText.map { body($0) == body(mfnText) } ?? false
        let prefSame = newPref == nil || (oldPrefText.map { body($0) == body(prefText) } ?? false)
        if mfnSame && prefSame {
            return "eu-taric: unchanged (\(mfnID)@\(oldMFN?.header.version ?? "none"), \(mfn.measures.count) measures)"
        }
        var replaced = [String(Self.euMeasures.dropFirst(4))]
        if !prefSame { replaced.append(String(Self.euPreferences.dropFirst(4))) }
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !replaced.contains(where: { url.path.hasSuffix($0) }) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(mfn, fingerprint: PackRegistry.fingerprint(mfnText))
        if !prefSame, let newPref { try registry.add(newPref, fingerprint: PackRegistry.fingerprint(prefText)) }
        do { _ = try registry.book() } catch { throw UpdateError("the new EU packs do not load beside the others: \(error)") }

        let added = Set(after.keys).subtracting(before.keys).sorted()
        let removed = Set(before.keys).subtracting(after.keys).sorted()
        let rerated = after.compactMap { code, rate in before[code].map { Self.sameRate($0, rate) ? nil : code } ?? nil }.sorted()
        if !mfnSame, let oldMFNText, let oldMFN, oldMFN.header.version != mfnHeader.version {
            try archive(packText: oldMFNText, id: oldMFN.header.id, version: oldMFN.header.version, kind: "EU")
        }
        if !prefSame, let oldPrefText, let oldPref, oldPref.header.version != prefHeader.version {
            try archive(packText: oldPrefText, id: oldPref.header.id, version: oldPref.header.version, kind: "EU")
        }
        if !mfnSame { try write(Self.euMeasures, mfnText) }
        if !prefSame { try write(Self.euPreferences, prefText) }
        let prefLine: String
        if newPref == nil {
            prefLine = "\(prefHeader.pack) stays (\(oldPref?.header.version ?? "none")): no tariff preference of an EU programme's area (\(programs.keys.sorted().joined(separator: ", "))) in the table"
        } else if prefSame {
            prefLine = "\(prefHeader.pack) unchanged (\(oldPref?.header.version ?? "none"), \(filed) preferences)"
        } else {
            let pb = rates(oldPref, .preference, byID: true)
            let pa = rates(newPref, .preference, byID: true)
            let pr = pa.filter { id, rate in pb[id].map { !Self.sameRate($0, rate) } ?? false }.count
            prefLine = "\(prefHeader.pack)@\(oldPref?.header.version ?? "none") -> \(prefHeader.pack)@\(prefHeader.version): "
                + "\(Set(pa.keys).subtracting(pb.keys).count) preferences added, \(Set(pb.keys).subtracting(pa.keys).count) removed, \(pr) re-rated; "
                + "\(filed) preferences (" + report.preferences.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        let mfnLine = mfnSame
            ? "\(mfnID) unchanged (\(oldMFN?.header.version ?? "none"), \(mfn.measures.count) measures)"
            : "\(mfnID)@\(oldMFN?.header.version ?? "none") -> \(mfnID)@\(mfnHeader.version): \(added.count) codes added\(Self.few(added)), \(removed.count) removed\(Self.few(removed)), "
                + "\(rerated.count) re-rated\(Self.few(rerated)); \(mfn.measures.count) measures"
        var tail: [String] = []
        if report.notInForce > 0 { tail.append("\(report.notInForce) measures not in force on \(today)") }
        if !report.unfiled.isEmpty {
            tail.append("preferences of areas without an EU programme not imported: "
                + report.unfiled.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key) \($0.value.description)" }.joined(separator: ", "))
        }
        if !report.other.isEmpty { tail.append("not imported: " + report.other.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) }
        return "eu-taric: " + mfnLine + "; " + prefLine + tail.map { "; " + $0 }.joined()
            + (oldMFNText == nil ? "" : "; old versions kept in Data/packs-archive")
    }
}
