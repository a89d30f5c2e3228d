import CustomsModel
import Foundation

/// Every pack version ever loaded in this process. A new version is added beside the old one, so a
/// quote made last month can be recomputed with exactly the data it used (pin its versions).
public struct PackRegistry: Sendable {
    /// Pack id → versions in the order they were loaded (last = current).
    public private(set) var versions: [String: [Pack]] = [:]
    private var fingerprints: [String: UInt64] = [:]

    public init() {}

    public enum AddResult: Sendable, Equatable { case added, alreadyLoaded }

    /// Adds a pack version. Loading the same version again with the same content is a no-op (a
    /// reload re-reads every file); the same version with different content is refused, because two
    /// different rule sets must never answer to one name in an audit trail.
    @discardableResult
    public mutating func add(_ pack: Pack, fingerprint: UInt64) throws(PackLoadError) -> AddResult {
        let key = pack.ref
        if let old = fingerprints[key] {
            if old == fingerprint { return .alreadyLoaded }
            throw PackLoadError(issues: [PackIssue(
                file: pack.file, line: 1,
                message: "pack \(key) changed without a new version; bump \"version\" so old quotes keep their data")])
        }
        fingerprints[key] = fingerprint
        versions[pack.header.id, default: []].append(pack)
        return .added
    }

    /// All loaded `id@version` names, current versions last within each id.
    public var loaded: [String] { versions.keys.sorted().flatMap { id in versions[id, default: []].map(\.ref) } }

    /// Builds the index for quoting from the current version of every pack, or the pinned ones.
    public func book(pins: [String: String] = [:]) throws(PackLoadError) -> TariffBook {
        var chosen: [Pack] = []
        var issues: [PackIssue] = []
        for id in versions.keys.sorted() {
            let list = versions[id, default: []]
            if let want = pins[id] {
                if let p = list.last(where: { $0.header.version == want }) { chosen.append(p) } else {
                    issues.append(PackIssue(file: id, line: 0, message: "pinned version \(want) of pack \(id) is not loaded (have \(list.map(\.header.version).joined(separator: ", ")))"))
                }
            } else if let p = list.last {
                chosen.append(p)
            }
        }
        for id in pins.keys where versions[id] == nil {
            issues.append(PackIssue(file: id, line: 0, message: "pinned pack \(id) is not loaded"))
        }
        if !issues.isEmpty { throw PackLoadError(issues: issues) }
        return try TariffBook(packs: chosen)
    }

    /// FNV-1a over the file bytes: cheap, stable across runs, enough to notice an edited file.
    public static func fingerprint(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

/// The packs chosen for quoting, indexed for lookups in the quote loop. The indexes live in one
/// shared object: a quote copies the book into its run and its rate closures, and a struct of a
/// dozen dictionaries retained and released them all on every copy.
public struct TariffBook: Sendable {
    final class Storage: Sendable {
        let headers: [PackHeader]
        let headersByRef: [String: PackHeader]
        let jurisdictionsByCountry: [CountryCode: [JurisdictionRule]]
        /// `QuoteRun.jurisdictionNote` of each rule in `jurisdictionsByCountry`, in the same places.
        let jurisdictionNotes: [CountryCode: [String]]
        let measures: [String: [String: [Measure]]]
        let sortedCodes: [String: [String]]
        let programs: [String: [String: [PreferenceProgram]]]
        let taxes: [String: [TaxRule]]
        let thresholds: [String: [ThresholdRule]]
        let fees: [String: [FeeRule]]
        let fx: [String: [FXRate]]
        /// Keys of `fx` whose rates are in date order and do not overlap: searched by halving.
        let fxOrdered: Set<String>
        let nomenclature: [String: [String: [NomenclatureCode]]]
        let dataVersions: [String]
        /// `id@version` → its place in `dataVersions`, to list the packs a quote used in book order.
        let versionOrder: [String: Int]
        let conversions = ConversionCache()

        init(
            headers: [PackHeader], headersByRef: [String: PackHeader], jurisdictionsByCountry: [CountryCode: [JurisdictionRule]],
            measures: [String: [String: [Measure]]], programs: [String: [String: [PreferenceProgram]]], taxes: [String: [TaxRule]],
            thresholds: [String: [ThresholdRule]], fees: [String: [FeeRule]], fx: [String: [FXRate]],
            nomenclature: [String: [String: [NomenclatureCode]]], dataVersions: [String]
        ) {
            self.headers = headers
            self.headersByRef = headersByRef
            self.jurisdictionsByCountry = jurisdictionsByCountry
            self.jurisdictionNotes = jurisdictionsByCountry.mapValues { $0.map(QuoteRun.jurisdictionNote) }
            self.measures = measures
            self.sortedCodes = measures.mapValues { $0.keys.sorted() }
            self.programs = programs
            self.taxes = taxes
            self.thresholds = thresholds
            self.fees = fees
            self.fx = fx
            self.fxOrdered = Set(fx.compactMap { key, list in
                zip(list, list.dropFirst()).allSatisfy { a, b in a.validity.to.map { a.validity.from <= $0 && $0 < b.validity.from } ?? false } ? key : nil
            })
            self.nomenclature = nomenclature
            self.dataVersions = dataVersions
            var order: [String: Int] = [:]
            for (i, v) in dataVersions.enumerated() where order[v] == nil { order[v] = i }
            self.versionOrder = order
        }
    }

    let storage: Storage

    public var headers: [PackHeader] { storage.headers }
    var headersByRef: [String: PackHeader] { storage.headersByRef }
    var jurisdictionsByCountry: [CountryCode: [JurisdictionRule]] { storage.jurisdictionsByCountry }
    /// Jurisdiction → exact measure code → measures (prefix lookups walk the code's prefixes).
    var measures: [String: [String: [Measure]]] { storage.measures }
    /// Jurisdiction → sorted measure codes, for finding the national lines under a short code.
    var sortedCodes: [String: [String]] { storage.sortedCodes }
    var programs: [String: [String: [PreferenceProgram]]] { storage.programs }
    var taxes: [String: [TaxRule]] { storage.taxes }
    var thresholds: [String: [ThresholdRule]] { storage.thresholds }
    var fees: [String: [FeeRule]] { storage.fees }
    var fx: [String: [FXRate]] { storage.fx }
    var nomenclature: [String: [String: [NomenclatureCode]]] { storage.nomenclature }

    public init(packs: [Pack]) throws(PackLoadError) {
        var jbc: [CountryCode: [JurisdictionRule]] = [:]
        var ms: [String: [String: [Measure]]] = [:]
        var progs: [String: [String: [PreferenceProgram]]] = [:]
        var tx: [String: [TaxRule]] = [:]
        var th: [String: [ThresholdRule]] = [:]
        var fe: [String: [FeeRule]] = [:]
        var fxs: [String: [FXRate]] = [:]
        var nom: [String: [String: [NomenclatureCode]]] = [:]
        for p in packs {
            for j in p.jurisdictions { for c in j.countries { jbc[c, default: []].append(j) } }
            for m in p.measures { ms[m.jurisdiction, default: [:]][m.code, default: []].append(m) }
            for pr in p.programs { progs[pr.jurisdiction, default: [:]][pr.symbol, default: []].append(pr) }
            for t in p.taxes { tx[t.region, default: []].append(t) }
            for t in p.thresholds { th[t.jurisdiction, default: []].append(t) }
            for f in p.fees { fe[f.jurisdiction, default: []].append(f) }
            for r in p.fx { fxs["\(r.source)|\(r.from)|\(r.to)", default: []].append(r) }
            for c in p.codes { nom[p.header.jurisdiction, default: [:]][c.code, default: []].append(c) }
        }
        storage = Storage(
            headers: packs.map(\.header), headersByRef: Dictionary(packs.map { ($0.ref, $0.header) }, uniquingKeysWith: { a, _ in a }),
            jurisdictionsByCountry: jbc, measures: ms, programs: progs, taxes: tx, thresholds: th, fees: fe, fx: fxs,
            nomenclature: nom, dataVersions: packs.map(\.ref))
        var issues: [PackIssue] = []
        // Cross-pack checks: a preference naming a programme nobody defined can never apply, and a
        // measure for a code missing from the jurisdiction's nomenclature is a typo or a stale pack.
        // A code the nomenclature holds only through longer lines under it (an 8-digit subheading
        // whose lines are 10-digit) is a level of the tree, not a missing code.
        for (jur, byCode) in ms {
            var levels: Set<Substring>? = nil
            for m in byCode.values.joined() {
                for s in m.programs where progs[jur]?[s] == nil {
                    issues.append(PackIssue(file: m.ref.file, line: m.ref.line, message: "programs: unknown programme \"\(s)\" for \(jur)"))
                }
                if let codes = nom[jur], !m.code.isEmpty, codes[m.code] == nil,
                   !Self.isLevel(m.code, of: codes, levels: &levels) {
                    issues.append(PackIssue(file: m.ref.file, line: m.ref.line, message: "code: unknown commodity code \(m.code) (not in the \(jur) nomenclature)"))
                }
                if issues.count >= PackParser.maxIssues { break }
            }
        }
        if !issues.isEmpty { throw PackLoadError(issues: Array(issues.prefix(PackParser.maxIssues))) }
    }

    /// Whether `code` is a prefix of a nomenclature code; the prefixes are built on first use.
    static func isLevel(_ code: String, of codes: [String: [NomenclatureCode]], levels: inout Set<Substring>?) -> Bool {
        if levels == nil {
            var all = Set<Substring>()
            for c in codes.keys {
                var length = c.count - 2
                while length >= 2 {
                    all.insert(c.prefix(length))
                    length -= 2
                }
            }
            levels = all
        }
        return levels!.contains(Substring(code))
    }

    /// `id@version` of every pack in the book, in a stable order.
    public var dataVersions: [String] { storage.dataVersions }

    /// The `dataVersions` among `refs`, in book order (what a quote lists as the data it used).
    func dataVersions(among refs: [String]) -> [String] {
        refs.compactMap { storage.versionOrder[$0] }.sorted().map { storage.dataVersions[$0] }
    }

    func jurisdiction(for country: CountryCode, on day: Day) -> JurisdictionRule? {
        jurisdictionsByCountry[country]?.first { $0.validity.contains(day) }
    }

    /// `jurisdiction(for:on:)` with the explanation's first step for it.
    func jurisdictionNoted(for country: CountryCode, on day: Day) -> (JurisdictionRule, String)? {
        guard let list = storage.jurisdictionsByCountry[country], let i = list.firstIndex(where: { $0.validity.contains(day) }),
              let notes = storage.jurisdictionNotes[country] else { return nil }
        return (list[i], notes[i])
    }

    /// Measures of `type` covering `code` on `day`, from the most specific code prefix outwards.
    func measures(jurisdiction: String, code: String, type: MeasureType, on day: Day) -> [Measure] {
        guard let byCode = storage.measures[jurisdiction] else { return [] }
        var out: [Measure] = []
        // A code of ASCII digits (every requested code) has a byte per character: its prefixes
        // are cut by bytes instead of walking grapheme clusters.
        let digits = code.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        var len = digits ? code.utf8.count : code.count
        while len >= 0 {
            let prefix = digits ? String(code[..<code.utf8.index(code.utf8.startIndex, offsetBy: len)]) : String(code.prefix(len))
            if let list = byCode[prefix] {
                for m in list where m.type == type && m.validity.contains(day) && m.covers(code: code) { out.append(m) }
            }
            if type != .additional && !out.isEmpty { break }
            len -= 2
        }
        return out
    }

    /// MFN measures on the national lines below a code that is shorter than the tariff's lines.
    func descendantMeasures(jurisdiction: String, code: String, type: MeasureType, on day: Day) -> [Measure] {
        guard let codes = sortedCodes[jurisdiction], let byCode = measures[jurisdiction] else { return [] }
        var lo = 0
        var hi = codes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if codes[mid] < code { lo = mid + 1 } else { hi = mid }
        }
        var out: [Measure] = []
        var i = lo
        while i < codes.count, codes[i].hasPrefix(code) {
            if codes[i].count > code.count {
                out += (byCode[codes[i]] ?? []).filter { $0.type == type && $0.validity.contains(day) }
            }
            i += 1
        }
        return out
    }

    func program(jurisdiction: String, symbol: String, on day: Day) -> PreferenceProgram? {
        programs[jurisdiction]?[symbol]?.first { $0.validity.contains(day) }
    }

    func hasNomenclature(_ jurisdiction: String) -> Bool { nomenclature[jurisdiction] != nil }

    /// Whether the nomenclature has lines below `code` (an 8-digit subheading of 10-digit lines).
    func hasDescendants(jurisdiction: String, code: String, on day: Day) -> Bool {
        !descendantMeasures(jurisdiction: jurisdiction, code: code, type: .mfn, on: day).isEmpty
    }

    /// The header of a pack in this book by `id@version`.
    public func header(ref: String) -> PackHeader? { headersByRef[ref] }

    func nomenclatureEntry(jurisdiction: String, code: String, on day: Day) -> NomenclatureCode? {
        nomenclature[jurisdiction]?[code]?.first { $0.validity.contains(day) }
    }

    /// The tax rule for the most specific HS category in `region` on `day`.
    func taxRule(region: String, code: String, on day: Day) -> TaxRule? {
        guard let list = taxes[region] else { return nil }
        var best: TaxRule?
        var bestLen = -1
        for t in list where t.validity.contains(day) {
            if t.hsPrefixes.isEmpty {
                if bestLen < 0 { best = t; bestLen = 0 }
            } else if let p = t.hsPrefixes.filter({ code.hasPrefix($0) }).max(by: { $0.count < $1.count }), p.count > bestLen {
                best = t
                bestLen = p.count
            }
        }
        return best
    }

    func hasTaxRules(region: String) -> Bool { taxes[region] != nil }

    func fxRate(source: String, from: CurrencyCode, to: CurrencyCode, on day: Day) -> FXRate? {
        let key = "\(source)|\(from)|\(to)"
        guard let list = storage.fx[key] else { return nil }
        guard storage.fxOrdered.contains(key) else { return list.first { $0.validity.contains(day) } }
        // Daily rates in date order without overlaps: the last one starting on or before `day`
        // is the only one that can hold it (a linear search copied hundreds of rates per quote).
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].validity.from <= day { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, list[lo - 1].validity.contains(day) else { return nil }
        return list[lo - 1]
    }

    /// The factor turning `from` into `to` by one source, remembered per day: the cross through the
    /// euro divides and multiplies 38-digit Foundation decimals, the same ones for every quote of a day.
    func conversion(source: String, from: CurrencyCode, to: CurrencyCode, on day: Day) -> (factor: Decimal, rates: [FXRate])? {
        let key = ConversionCache.Key(source: source, from: from, to: to, day: day)
        if let hit = storage.conversions.get(key) { return hit.value }
        let found = computeConversion(source: source, from: from, to: to, on: day)
        storage.conversions.put(key, ConversionCache.Entry(value: found))
        return found
    }

    /// The rate turning one `from` into `to` on `day` by the source `country`'s jurisdiction converts
    /// with (its `fx_source`, the one its quotes use), and the day it was published (the older of the
    /// two for a cross through the euro): what a filing converts a threshold with. Nil when the book
    /// has no jurisdiction for `country` or no such rate on or before `day`.
    public func exchangeRate(from: CurrencyCode, to: CurrencyCode, country: CountryCode, on day: Day) -> (rate: Decimal, published: Day)? {
        if from == to { return (1, day) }
        guard let source = jurisdiction(for: country, on: day)?.fxSource,
              let found = conversion(source: source, from: from, to: to, on: day),
              let published = found.rates.map(\.validity.from).min()
        else { return nil }
        return (found.factor, published)
    }

    /// A published pair, its inverse, or a cross through the euro (sources such as the ECB publish
    /// everything against EUR only).
    func computeConversion(source: String, from: CurrencyCode, to: CurrencyCode, on day: Day) -> (factor: Decimal, rates: [FXRate])? {
        if let r = fxRate(source: source, from: from, to: to, on: day) { return (r.rate, [r]) }
        if let r = fxRate(source: source, from: to, to: from, on: day) { return (1 / r.rate, [r]) }
        let pivot: CurrencyCode = "EUR"
        guard from != pivot, to != pivot,
              let a = computeConversion(source: source, from: from, to: pivot, on: day),
              let b = computeConversion(source: source, from: pivot, to: to, on: day)
        else { return nil }
        return (a.factor * b.factor, a.rates + b.rates)
    }
}

/// Conversions already worked out for a book, by source, pair and day. Bounded: a long-running hub
/// asked about many days starts over rather than growing without end.
final class ConversionCache: @unchecked Sendable {
    struct Key: Hashable {
        var source: String
        var from: CurrencyCode
        var to: CurrencyCode
        var day: Day
    }

    struct Entry {
        var value: (factor: Decimal, rates: [FXRate])?
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    static let limit = 4096

    func get(_ key: Key) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: Key, _ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = entry
    }
}
