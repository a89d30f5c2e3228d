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
                + "preferences, quotas, VAT and trade remedies are not taken from the API (see gb-preferences and the tax pack).")
        let text = UKTradeTariffImporter.pack(header: header, commodities: priced)
        let pack = try PackParser.parse(text, file: Self.gbMeasures)
        let oldCodes = Set(oldPack?.measures.filter { $0.type == .mfn }.map(\.code) ?? [])
        if !force, !oldCodes.isEmpty, pack.measures.count * 10 < oldCodes.count * 9 {
            throw UpdateError("\(pack.measures.count) rated commodities against \(oldCodes.count) in force"
                + (notFound.isEmpty ? "" : " (\(notFound.count) not found at the API)")
                + ": a tariff does not shrink by a tenth at once (truncated fetch?); --force accepts it")
        }
        func body(_ t: String) -> Substring { t.firstIndex(of: "\n").map { t[$0...] } ?? "" }
        if let oldText, body(oldText) == body(text) { return "uk-trade-tariff: unchanged (gb-ukgt@\(oldVersion), \(pack.measures.count) measures)" }
        // The new pack must load beside every other pack.
        var registry = PackRegistry()
        for url in Self.packFiles(root.file("Data/packs")) where !url.path.hasSuffix(Self.gbMeasures.dropFirst(4)) {
            let t = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try registry.add(try PackParser.parse(t, file: url.lastPathComponent), fingerprint: PackRegistry.fingerprint(t))
        }
        try registry.add(pack, fingerprint: PackRegistry.fingerprint(text))
        do { _ = try registry.book() } catch { throw UpdateError("the new GB pack does not load beside the others: \(error)") }

        // The diff: same value in another spelling (`10.0%` against `10.00 %`) is no re-rating.
        func rates(_ p: Pack?) -> [String: DutyRate] {
            var out: [String: DutyRate] = [:]
            for m in p?.measures ?? [] where m.type == .mfn { out[m.code] = m.rate }
            return out
        }
        func same(_ a: DutyRate, _ b: DutyRate) -> Bool {
            a.isPriceable && b.isPriceable ? a.base == b.base && a.minimum == b.minimum && a.maximum == b.maximum : a.raw == b.raw
        }
        let before = rates(oldPack)
        let after = rates(pack)
        let added = Set(after.keys).subtracting(before.keys).sorted()
        let removed = Set(before.keys).subtracting(after.keys).sorted()
        let rerated = after.compactMap { code, rate in before[code].map { same($0, rate) ? nil : code } ?? nil }.sorted()
        if let oldText, let oldPack, oldVersion != version {
            try archive(packText: oldText, id: oldPack.header.id, version: oldVersion, kind: "GB")
        }
        try write(Self.gbMeasures, text)
        func few(_ codes: [String]) -> String { codes.isEmpty ? "" : " (" + codes.prefix(5).joined(separator: ", ") + (codes.count > 5 ? ", ..." : "") + ")" }
        let skipped = others.isEmpty ? "" : "; not imported: " + others.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "uk-trade-tariff: gb-ukgt@\(oldVersion) -> gb-ukgt@\(version): \(added.count) codes added\(few(added)), \(removed.count) removed\(few(removed)), "
            + "\(rerated.count) re-rated\(few(rerated)); \(pack.measures.count) measures"
            + (notFound.isEmpty ? "" : "; \(notFound.count) codes not found as commodities at the API\(few(notFound.sorted()))") + skipped
            + (oldText == nil ? "" : "; old version kept in Data/packs-archive")
    }
}
