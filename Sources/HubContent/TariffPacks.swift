import CustomsModel
import Dispatch
import Foundation
import Synchronization
import Tariff

/// The edge of the duty engine: reads pack files from `Data/packs/`, keeps every version loaded so
/// far, and picks up new versions without a restart (an explicit `reload()`, SIGHUP, or polling).
///
/// Reloading never drops a version; a file with a new `version` becomes current, and quotes may
/// pin the old one. A broken file is reported and skipped; the packs already loaded stay in use.
public final class TariffPackLibrary: Sendable {
    public let directory: URL
    private struct State {
        var registry = PackRegistry()
        var current: TariffBook?
        var pinned: [[String: String]: TariffBook] = [:]
        var stamps: [String: Date] = [:]
        var generation = 0
        /// Jurisdictions whose deferred files a request has needed (see `deferring`).
        var wanted: Set<String> = []
        /// Set once every file is wanted (a pinned request, or one without a destination).
        var wantAll = false
    }
    private let state = Mutex(State())

    /// Earlier versions kept by `data update` (`Data/packs-archive`), loaded before the current
    /// files so that the current ones stay current and pinned quotes can still name the old ones.
    public let archive: URL

    /// Leave the big files (measures and nomenclature, about nine tenths of the bytes) of a
    /// jurisdiction unread until a request goes there: a one-shot `quote` into GB then reads the
    /// GB tariff and the small packs, not the US and Norwegian ones. The small kinds (jurisdictions,
    /// programmes, tax, thresholds, fees, exchange rates) always load, since they say where a
    /// country's requests go. A deferred file's errors are reported when it is first needed.
    public let deferring: Bool

    public init(directory: URL, archive: URL? = nil, deferring: Bool = false) {
        self.directory = directory
        self.archive = archive ?? directory.deletingLastPathComponent().appendingPathComponent("packs-archive", isDirectory: true)
        self.deferring = deferring
    }

    /// `Data/packs` under the located content root.
    public convenience init(root: ContentRoot) {
        self.init(directory: root.file("Data/packs"))
    }

    public struct ReloadReport: Sendable {
        /// `id@version` of packs added by this reload.
        public var added: [String]
        /// Files that failed, with their `file:line` issues.
        public var errors: [String]
        /// How long reading, parsing and indexing took.
        public var seconds: Double
        public var generation: Int
    }

    /// Re-reads every `*.jsonl` under the directory (changed files only, by modification time).
    @discardableResult
    public func reload(force: Bool = false) -> ReloadReport {
        let start = ContinuousClock.now
        let files = Self.packFiles(in: archive).map { ($0, "archive/" + Self.relativePath($0, to: archive)) }
            + Self.packFiles(in: directory).map { ($0, Self.relativePath($0, to: directory)) }
        var added: [String] = []
        var errors: [String] = []
        var parsed: [(Pack, UInt64, String, Date)] = []
        let (stamps, wanted, wantAll) = state.withLock { ($0.stamps, $0.wanted, $0.wantAll) }
        var chosen: [(url: URL, rel: String, mtime: Date)] = []
        for (url, rel) in files {
            let mtime = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date.distantPast
            if !force, let old = stamps[rel], old == mtime { continue }
            // Not stamped: the next reload after a request wants its jurisdiction reads it.
            if deferring && !wantAll, let header = Self.peekHeader(url, file: "packs/" + rel),
               Self.deferredKinds.contains(header.kind), !wanted.contains(header.jurisdiction) { continue }
            chosen.append((url, rel, mtime))
        }
        // Files parse side by side (each is independent; the US tariff alone is half the bytes),
        // and their results are taken in file order, so errors and versions come out as before.
        let reading = chosen
        let results = Mutex<[Result<(Pack, UInt64), ReadFailure>?]>(Array(repeating: nil, count: reading.count))
        DispatchQueue.concurrentPerform(iterations: reading.count) { i in
            let (url, rel, _) = reading[i]
            let result: Result<(Pack, UInt64), ReadFailure>
            if let data = try? Data(contentsOf: url) {
                let text = String(decoding: data, as: UTF8.self)
                do throws(PackLoadError) { result = .success((try PackParser.parse(text, file: "packs/" + rel), PackRegistry.fingerprint(text))) } catch {
                    result = .failure(ReadFailure(description: error.description))
                }
            } else {
                result = .failure(ReadFailure(description: "\(rel): unreadable"))
            }
            results.withLock { $0[i] = result }
        }
        for (i, result) in results.withLock({ $0 }).enumerated() {
            switch result {
            case .success(let (pack, fingerprint)): parsed.append((pack, fingerprint, chosen[i].rel, chosen[i].mtime))
            case .failure(let failure): errors.append(failure.description)
            case nil: break
            }
        }
        let generation = state.withLock { s -> Int in
            var candidate = s.registry
            var stampsNew = s.stamps
            for (pack, fp, rel, mtime) in parsed {
                do throws(PackLoadError) {
                    if try candidate.add(pack, fingerprint: fp) == .added { added.append(pack.ref) }
                    stampsNew[rel] = mtime
                } catch {
                    errors.append(error.description)
                }
            }
            if added.isEmpty && s.current != nil { s.stamps = stampsNew; return s.generation }
            do throws(PackLoadError) {
                let book = try candidate.book()
                s.registry = candidate
                s.current = book
                s.pinned = [:]
                s.stamps = stampsNew
                s.generation += 1
            } catch {
                errors.append(error.description)
            }
            return s.generation
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ReloadReport(added: added, errors: errors, seconds: seconds, generation: generation)
    }

    /// The book for quoting: current packs, or the pinned versions (cached per pin set).
    public func book(pins: [String: String] = [:]) throws(PackLoadError) -> TariffBook {
        let result: Result<TariffBook, PackLoadError> = state.withLock { s in
            if pins.isEmpty, let b = s.current { return .success(b) }
            if let b = s.pinned[pins] { return .success(b) }
            do throws(PackLoadError) {
                let b = try s.registry.book(pins: pins)
                if pins.isEmpty { s.current = b } else { s.pinned[pins] = b }
                return .success(b)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public var loaded: [String] { state.withLock { $0.registry.loaded } }

    struct ReadFailure: Error { var description: String }

    /// The kinds a deferring library reads only for a wanted jurisdiction.
    static let deferredKinds: Set<PackKind> = [.measures, .nomenclature]

    /// The book for a request into `destination` (nil: any destination) with `pins`: a deferring
    /// library first reads the files of the jurisdictions the destination belongs to (every file
    /// when there are pins, no destination, or a second jurisdiction), and hands what that reload
    /// found to `report`.
    public func book(pins: [String: String] = [:], destination: CountryCode?,
                     report: (ReloadReport) -> Void = { _ in }) throws(PackLoadError) -> TariffBook {
        if deferring {
            let more: Bool = state.withLock { s in
                if s.wantAll { return false }
                guard pins.isEmpty, let destination else { s.wantAll = true; return true }
                var needed: Set<String> = []
                for pack in s.registry.versions.values.joined() {
                    for rule in pack.jurisdictions where rule.countries.contains(destination) {
                        needed.insert(rule.code)
                        needed.insert(rule.id)
                    }
                }
                let new = needed.subtracting(s.wanted)
                if new.isEmpty { return false }
                // A second jurisdiction reads all the rest at once: every reload re-indexes the
                // whole book, so growing it one jurisdiction at a time costs more than reading all.
                if s.wanted.isEmpty { s.wanted = new } else { s.wantAll = true }
                return true
            }
            if more { report(reload()) }
        }
        return try book(pins: pins)
    }

    /// The header line of a pack file, read from its first 64 KiB; nil when there is none there
    /// (the file is then read whole, and its errors reported as usual).
    static func peekHeader(_ url: URL, file: String) -> PackHeader? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 1 << 16) else { return nil }
        return PackParser.header(peeking: prefix, file: file)
    }

    static func packFiles(in dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e where url.pathExtension == "jsonl" { out.append(url) }
        return out.sorted { $0.path < $1.path }
    }

    static func relativePath(_ url: URL, to dir: URL) -> String {
        let base = dir.standardizedFileURL.path
        let p = url.standardizedFileURL.path
        return p.hasPrefix(base + "/") ? String(p.dropFirst(base.count + 1)) : url.lastPathComponent
    }
}
