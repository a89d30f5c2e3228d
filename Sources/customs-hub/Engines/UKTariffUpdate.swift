import CustomsModel
import Foundation
import HubContent
import JSONCore
import Tariff

/// `data update --source uk-trade-tariff`: the GB MFN pack (`gb-ukgt`) rebuilt from the UK Trade
/// Tariff API v2, one commodity request per code. The API serves today's tariff and prints no
/// publication date, so the fetch date (`--at`) is the pack's source date, as for the HTS.
extension DataUpdater {
    static let gbMeasures = "Data/packs/GB/ukgt-measures.jsonl"

    /// `location` is a URL template with `{code}` (the API, or a copy of it on another host): every
    /// code of the pack in force is asked for, 10 digits long. Anything else is a file or URL of
    /// saved API responses, one JSON document a line (or one document), which makes the pack of
    /// the codes it holds.
    func updateUKTariff(location: String, origin: String) async throws -> String {
        let oldText = try? root.readText(Self.gbMeasures)
        let oldPack = try oldText.map { try PackParser.parse($0, file: Self.gbMeasures) }
        var fetched: [(packCode: String, commodity: UKTradeTariffImporter.Commodity)] = []
        var notFound: [String] = []
        if location.contains("{code}") {
            guard let oldPack else { throw UpdateError("no GB measures pack in force (\(Self.gbMeasures)) to take the commodity codes from; give --from a file of saved API responses") }
            // The pack's codes as the API wants them (10 digits); the pack keeps its own length.
            var byAPI: [String: String] = [:]
            for m in oldPack.measures where m.type == .mfn && !m.code.isEmpty {
                let api = m.code.padding(toLength: 10, withPad: "0", startingAt: 0)
                if byAPI[api] == nil { byAPI[api] = m.code }
            }
            let codes = byAPI.keys.sorted()
            // A few requests at a time: the API is public and rate-limited.
            var next = 0
            while next < codes.count {
                let batch = Array(codes[next..<min(next + 4, codes.count)])
                next += batch.count
                let answers = try await withThrowingTaskGroup(of: (String, Data?).self) { group in
                    for code in batch {
                        group.addTask { (code, try await DataUpdateCommand.fetch(location.replacingOccurrences(of: "{code}", with: code), missingIsNil: true)) }
                    }
                    var out: [(String, Data?)] = []
                    for try await a in group { out.append(a) }
                    return out
                }
                for (code, bytes) in answers.sorted(by: { $0.0 < $1.0 }) {
                    guard let bytes, let packCode = byAPI[code] else { notFound.append(byAPI[code] ?? code); continue }
                    do { fetched.append((packCode, try UKTradeTariffImporter.commodity(bytes, requested: code))) } catch {
                        // A code that became a heading or subheading is gone like a 404; anything else refuses the fetch.
                        if let e = error as? UKTradeTariffImporter.ImportError, e.notACommodity { notFound.append(packCode); continue }
                        throw UpdateError("commodity \(code): \(error)")
                    }
                }
            }
        } else {
            let bytes = try await DataUpdateCommand.fetch(location)
            let old8 = Set(oldPack?.measures.map(\.code).filter { $0.count == 8 } ?? [])
            // One saved response (pretty-printed or not), else one response a line: a first line
            // that is a JSON document of its own says which.
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let asLines = lines.count > 1 && lines.first.map { (try? JSONParser.parse($0)) != nil } == true
            var single: UKTradeTariffImporter.Commodity?
            if !asLines {
                do { single = try UKTradeTariffImporter.commodity(bytes, requested: nil) } catch { throw UpdateError("\(location): \(error)") }
            }
            var lineNumber = 0
            for line in asLines ? lines : [] {
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let c: UKTradeTariffImporter.Commodity
                do { c = try UKTradeTariffImporter.commodity(line, requested: nil) } catch { throw UpdateError("line \(lineNumber): \(error)") }
                // A `…00` commodity under an 8-digit code of the pack in force stays at 8 digits.
                let short = String(c.code.prefix(8))
                fetched.append((c.code.hasSuffix("00") && old8.contains(short) ? short : c.code, c))
            }
            if let c = single { fetched.append((c.code.hasSuffix("00") && old8.contains(String(c.code.prefix(8))) ? String(c.code.prefix(8)) : c.code, c)) }
        }
        let priced = fetched.filter { $0.commodity.mfn != nil }
        guard !priced.isEmpty else {
            throw UpdateError("no commodity with a third-country duty (measure type 103, ERGA OMNES) in the fetched answers (empty list)")
        }
        var seen = Set<String>()
        for f in fetched where !seen.insert(f.packCode).inserted { throw UpdateError("commodity \(f.packCode) answered twice") }

        let oldVersion = oldText.flatMap(Self.version(ofPackText:)) ?? "none"
        var n = 1
        if oldVersion.hasPrefix("\(today).") { n = (Int(oldVersion.dropFirst("\(today).".count)) ?? 0) + 1 }
        let version = "\(today).\(n)"
        let others = fetched.reduce(into: [String: Int]()) { acc, f in acc.merge(f.commodity.otherMeasures, uniquingKeysWith: +) }
        let header = PackImporter.Header(
            pack: "gb-ukgt", jurisdiction: "GB", kind: .measures, version: version,
            source: "UK Trade Tariff API v2 (\(origin)), fetched \(today)", sourceDate: today.description,
            licence: "Open Government Licence v3.0: contains public sector information licensed under the OGL v3.0",
            note: "Third-country duties (measure type 103, ERGA OMNES) of \(priced.count) commodities as the API served them on \(today); "
                + "its tariff preferences (142) are in gb-preferences; quotas, VAT and trade remedies are not taken from the API.")
        let text = UKTradeTariffImporter.pack(header: header, commodities: priced)
        let pack = try PackParser.parse(text, file: Self.gbMeasures)
        let oldCodes = Set(oldPack?.measures.filter { $0.type == .mfn }.map(\.code) ?? [])
        if !force, !oldCodes.isEmpty, pack.measures.count * 10 < oldCodes.count * 9 {
            throw UpdateError("\(pack.measures.count) rated commodities against \(oldCodes.count) in force"
                + (notFound.isEmpty ? "" : " (\(notFound.count) not found at the API)")
                + ": a tariff does not shrink by a tenth at once (truncated fetch?); --force accepts it")
        }
        let prefs = try preferences(fetched: fetched, origin: origin)
        let mfnUnchanged = oldText.map { Self.body($0) == Self.body(text) } ?? false
        if mfnUnchanged && prefs.new == nil {
            return "uk-trade-tariff: unchanged (gb-ukgt@\(oldVersion), \(pack.measures.count) measures"
                + (prefs.oldPack.map { ", \($0.header.id)@\($0.header.version)" } ?? "") + ")"
        }
        // The new packs must load beside every other pack.
        var replaced = [String(Self.gbMeasures.dropFirst(4))]
        if prefs.new != nil { replaced.append(String(Self.gbPreferences.dropFirst(4))) }
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !replaced.contains(where: { url.path.hasSuffix($0) }) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(pack, fingerprint: PackRegistry.fingerprint(text))
        if let p = prefs.new { try registry.add(p.pack, fingerprint: PackRegistry.fingerprint(p.text)) }
        do { _ = try registry.book() } catch { throw UpdateError("the new GB packs do not load beside the others: \(error)") }

        // The diff: same value in another spelling (`10.0%` against `10.00 %`) is no re-rating.
        let (added, removed, rerated) = Self.diff(oldPack, pack, type: .mfn, key: \.code)
        if !mfnUnchanged, let oldText, let oldPack, oldVersion != version {
            try archive(packText: oldText, id: oldPack.header.id, version: oldVersion, kind: "GB")
        }
        if let p = prefs.new, let oldPref = prefs.oldPack, let oldPrefText = prefs.oldText, oldPref.header.version != p.pack.header.version {
            try archive(packText: oldPrefText, id: oldPref.header.id, version: oldPref.header.version, kind: "GB")
        }
        if !mfnUnchanged { try write(Self.gbMeasures, text) }
        if let p = prefs.new { try write(Self.gbPreferences, p.text) }
        let skipped = others.isEmpty ? "" : "; not imported: " + others.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let mfnLine = mfnUnchanged
            ? "gb-ukgt unchanged (\(oldVersion), \(pack.measures.count) measures)"
            : "gb-ukgt@\(oldVersion) -> gb-ukgt@\(version): \(added.count) codes added\(Self.few(added)), \(removed.count) removed\(Self.few(removed)), "
                + "\(rerated.count) re-rated\(Self.few(rerated)); \(pack.measures.count) measures"
        return "uk-trade-tariff: " + mfnLine
            + (notFound.isEmpty ? "" : "; \(notFound.count) codes not found as commodities at the API\(Self.few(notFound.sorted()))")
            + "; " + prefs.summary + skipped
            + (oldText == nil ? "" : "; old versions kept in Data/packs-archive")
    }

    static let gbPreferences = "Data/packs/GB/preferences.jsonl"

    static func few(_ codes: [String]) -> String { codes.isEmpty ? "" : " (" + codes.prefix(5).joined(separator: ", ") + (codes.count > 5 ? ", ..." : "") + ")" }

    /// The measures of one type that a new pack adds, drops and re-rates against the old one,
    /// each sorted; `key` says what identifies a measure (its code for MFN duties, its id for
    /// preferences, where one code carries one measure per programme).
    static func diff(_ old: Pack?, _ new: Pack, type: MeasureType, key: KeyPath<Measure, String>)
        -> (added: [String], removed: [String], rerated: [String]) {
        func rates(_ p: Pack?) -> [String: DutyRate] {
            var out: [String: DutyRate] = [:]
            for m in p?.measures ?? [] where m.type == type { out[m[keyPath: key]] = m.rate }
            return out
        }
        let before = rates(old), after = rates(new)
        let rerated = after.compactMap { k, rate in before[k].map { sameRate($0, rate) ? nil : k } ?? nil }
        return (Set(after.keys).subtracting(before.keys).sorted(), Set(before.keys).subtracting(after.keys).sorted(), rerated.sorted())
    }

    /// A tariff file's measures without its header line, which changes with every fetch.
    static func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }

    static func sameRate(_ a: DutyRate, _ b: DutyRate) -> Bool {
        a.isPriceable && b.isPriceable ? a.base == b.base && a.minimum == b.minimum && a.maximum == b.maximum : a.raw == b.raw
    }

    struct PreferenceUpdate {
        var oldText: String?
        var oldPack: Pack?
        /// The new pack, or nil when the one in force stays.
        var new: (text: String, pack: Pack)?
        var summary: String
    }

    /// The GB preferences pack (`gb-preferences`) from the tariff preferences (measure type 142) of
    /// the fetched answers, filed under the GB programmes whose records name the preference's
    /// geographical area (`geographical_areas`). When no preference of a known area was fetched the
    /// pack in force stays, unless it came from the API itself: then it is a shrunken fetch.
    func preferences(fetched: [(packCode: String, commodity: UKTradeTariffImporter.Commodity)], origin: String) throws -> PreferenceUpdate {
        let oldText = try? root.readText(Self.gbPreferences)
        let oldPack = try oldText.map { try PackParser.parse($0, file: Self.gbPreferences) }
        let oldFromAPI = oldPack?.header.source.hasPrefix("UK Trade Tariff API") ?? false
        var programs: [String: (symbol: String, countries: Set<String>)] = [:]
        for url in Self.packFiles(root.file("Data/packs/GB")) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            guard let p = try? PackParser.parse(t, file: url.lastPathComponent), p.header.kind == .jurisdiction else { continue }
            for g in p.programs where g.validity.to.map({ $0 >= today }) ?? true {
                for area in g.geographicalAreas { programs[area] = (g.symbol, Set(g.countries.map(\.rawValue))) }
            }
        }
        let oldVersion = oldPack?.header.version ?? "none"
        var n = 1
        if oldVersion.hasPrefix("\(today).") { n = (Int(oldVersion.dropFirst("\(today).".count)) ?? 0) + 1 }
        let version = "\(today).\(n)"
        let header = PackImporter.Header(
            pack: "gb-preferences", jurisdiction: "GB", kind: .measures, version: version,
            source: "UK Trade Tariff API v2 (\(origin)), fetched \(today)", sourceDate: today.description,
            licence: "Open Government Licence v3.0: contains public sector information licensed under the OGL v3.0",
            note: "Tariff preferences (measure type 142, without an additional code) as the API served them on \(today), filed under the GB "
                + "programme whose record names the geographical area (geographical_areas in gb-jurisdiction); preferential quotas are not imported.")
        let (text, report) = UKTradeTariffImporter.preferencesPack(header: header, commodities: fetched, programs: programs)
        var notes: [String] = []
        if !report.unfiled.isEmpty {
            notes.append("preferences of areas without a GB programme not imported: " + report.unfiled.sorted { $0.key < $1.key }
                .map { "\($0.value.count) \($0.key) \($0.value.description)" }.joined(separator: ", "))
        }
        for (area, countries) in report.outsideProgram.sorted(by: { $0.key < $1.key }) {
            notes.append("area \(area) lists countries its programme \(programs[area]?.symbol ?? "?") does not cover: \(countries.sorted().joined(separator: ", ")) (update the programme's countries)")
        }
        let tail = notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")
        let oldCount = oldPack?.measures.count ?? 0
        if report.measures == 0 {
            if oldFromAPI && !force {
                throw UpdateError("no tariff preference of a GB programme's area in the fetched answers against \(oldCount) in force (truncated fetch?); --force keeps gb-preferences as it is")
            }
            if programs.isEmpty {
                return PreferenceUpdate(oldText: oldText, oldPack: oldPack, new: nil,
                    summary: "gb-preferences stays (\(oldVersion)): no GB programme names a geographical area" + tail)
            }
            return PreferenceUpdate(oldText: oldText, oldPack: oldPack, new: nil,
                summary: "gb-preferences stays (\(oldVersion)): no tariff preference of a programme's area (\(programs.keys.sorted().joined(separator: ", "))) in the answers" + tail)
        }
        if oldFromAPI, !force, report.measures * 10 < oldCount * 9 {
            throw UpdateError("\(report.measures) tariff preferences against \(oldCount) in force: a tariff does not shrink by a tenth at once (truncated fetch?); --force accepts it")
        }
        let pack = try PackParser.parse(text, file: Self.gbPreferences)
        if let oldText, Self.body(oldText) == Self.body(text) {
            return PreferenceUpdate(oldText: oldText, oldPack: oldPack, new: nil, summary: "gb-preferences unchanged (\(oldVersion), \(report.measures) measures)" + tail)
        }
        // The diff by measure id (code and programme): added, removed, re-rated.
        let (addedIDs, removedIDs, rerated) = Self.diff(oldPack, pack, type: .preference, key: \.id)
        let added = addedIDs.count, removed = removedIDs.count
        let programmes = report.byProgram.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return PreferenceUpdate(
            oldText: oldText, oldPack: oldPack, new: (text, pack),
            summary: "gb-preferences@\(oldVersion) -> gb-preferences@\(version): \(added) preferences added, \(removed) removed, \(rerated.count) re-rated\(Self.few(rerated)); "
                + "\(report.measures) preferences (\(programmes))" + tail)
    }
}
