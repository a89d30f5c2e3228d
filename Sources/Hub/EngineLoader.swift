import AdapterKit
import Classification
import CustomsModel
import Digests
import Foundation
import HubContent
import JSONCore
import Pipeline
import Risk
import Screening
import Synchronization
import Tariff

/// Reads the content folder into the engines the pipeline decides with. Each part is loaded on
/// its own and remembers the fingerprint of the files it came from, so a reload rebuilds only
/// what changed (the classifier takes seconds, the routes a millisecond).
public struct EngineLoader: Sendable {
    public let root: ContentRoot
    /// The classifier's model file; trained from the content folder and saved here when missing.
    public let modelPath: URL
    public let routesPath: String
    public let log: @Sendable (String) -> Void
    /// Configured over the content folder (`serve --config`): the packs and lists folders, and
    /// thresholds over the model's, the risk policy's and the screening calibration's. They hold
    /// across reloads.
    public var packsDirectory: URL?
    public var listsDirectory: URL?
    public var screeningThresholds: Thresholds = .standard
    public var riskReviewThreshold: Double?
    public var classifierReviewThreshold: Double?
    /// The sentence encoder for a model trained with the full one (given the loaded model; nil:
    /// none). A model trained with the static encoder carries it and needs nothing here.
    public var classifierEncoder: (@Sendable (ClassifierModel) -> (any SentenceEncoder)?)?
    /// The prebuilt screening index (`Models/screening-index.bin` by default; nil: never cached).
    /// Used only when it was built from the same list files by the same program; otherwise the
    /// index is built from the lists and the file written again.
    public var screeningCachePath: URL?
    /// Where models trained on a first start are also kept, keyed by the digest of what they were
    /// trained from and the program (nil: nowhere). A first start in a new data folder takes one from
    /// here instead of training for seconds to minutes; a changed content file or program misses.
    public var modelCacheDirectory: URL?
    /// The destinations of the orders this load will decide (a one-shot `submit` or `review resolve`):
    /// the tariff then reads only those jurisdictions' measures and nomenclature, as a one-shot
    /// `quote` does, besides the small packs (every file when there are several jurisdictions).
    /// Nil, the default: every pack, as a server needs.
    public var tariffDestinations: Set<CountryCode>?
    /// Told what `load` is doing whenever that changes (the parts in progress, such as "training
    /// the classifier"), so a server that listens while it loads can say so.
    public var onStage: (@Sendable (String) -> Void)?

    public init(root: ContentRoot, modelPath: URL? = nil, routesPath: String = "Data/routes/routes.json",
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.root = root
        self.modelPath = modelPath ?? root.file(ClassificationContent.modelPath)
        self.screeningCachePath = root.file(Self.screeningCacheFile)
        self.routesPath = routesPath
        self.log = log
    }

    /// The folders (relative to the content root) each part is read from.
    public enum Part: String, CaseIterable, Sendable {
        case validator, classifier, screening, risk, tariff, catalog, routes

        var folders: [String] {
            switch self {
            case .validator: ["Schemas", "Data/rules", "Data/hs"]
            case .classifier: []
            case .screening: ["Data/sanctions", "Data/screening"]
            case .risk: ["Data/risk"]
            case .tariff: ["Data/packs"]
            case .catalog: ["Adapters", "Mappings", "Schemas", "Data/edifact"]
            case .routes: ["Data/routes"]
            }
        }
    }

    /// A cheap fingerprint of a part's files: paths, sizes and modification times.
    public func fingerprint(_ part: Part) -> String {
        var entries: [String] = []
        let fm = FileManager.default
        let urls = switch part {
        case .classifier: [modelPath]
        case .tariff: packsDirectory.map { [$0] } ?? part.folders.map(root.file)
        case .screening: [listsDirectory ?? root.file("Data/sanctions"), root.file("Data/screening")]
        default: part.folders.map(root.file)
        }
        for url in urls {
            guard let walker = fm.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) else {
                if let a = try? fm.attributesOfItem(atPath: url.path) {
                    entries.append("\(url.path) \(a[.size] ?? 0) \((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)")
                }
                continue
            }
            for case let file as URL in walker {
                let v = try? file.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                entries.append("\(file.path) \(v?.fileSize ?? 0) \(v?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
            }
        }
        return Digests.sha256(entries.sorted().joined(separator: "\n"))
    }

    public func validator() throws -> OrderValidator { try root.loadOrderValidator() }

    /// Where the classifier comes from, known before it is read or trained: the stage a server
    /// shows while it loads, and what a command announces before the long wait of a training.
    public enum ClassifierSource: String, Sendable, CaseIterable {
        /// The model file at `modelPath`.
        case saved
        /// A model this program trained before from the same content, from `modelCacheDirectory`.
        case cache
        /// None of them: trained now from the content folder, as `train` does.
        case training

        public var stage: String {
            switch self {
            case .saved: "loading the classifier"
            case .cache: "loading the classifier from the model cache"
            case .training: "training the classifier (a first start; the model is saved for the next)"
            }
        }
    }

    /// The stage before the source is known: with no saved model, the training content is read
    /// (and digested) to find a model trained from it in the cache.
    public static let lookingInCacheStage = "no saved classifier: looking for one trained from the same content in the model cache"

    /// Told where the classifier comes from, once that is known (before a training starts).
    public var onClassifierSource: (@Sendable (ClassifierSource) -> Void)?

    /// The saved model, else one this program trained from the same content before (from the model
    /// cache), else one trained now from the content folder; a new one is saved for the next start.
    public func classifier() throws -> Classifier { try classifier(from: { _ in }) }

    func classifier(from told: (ClassifierSource) -> Void) throws -> Classifier {
        func say(_ source: ClassifierSource) {
            told(source)
            onClassifierSource?(source)
        }
        if FileManager.default.fileExists(atPath: modelPath.path) {
            say(.saved)
            return classifier(try ClassificationContent.loadModel(at: modelPath))
        }
        let (kb, examples, digest) = try ClassificationContent.trainingInputs(root)
        if let cached = cacheFile(digest: digest), FileManager.default.fileExists(atPath: cached.path) {
            say(.cache)
            if let model = cachedModel(cached) { return classifier(model) }
        }
        say(.training)
        // A caller that follows the source (the command line's training notice) says this in its own words.
        if onClassifierSource == nil { log("no classifier model at \(modelPath.path): training one from the content folder (once; it is saved there)") }
        let model = ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: Timestamp.format(Date()))
        do {
            try FileManager.default.createDirectory(at: modelPath.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ClassificationContent.saveModel(model, to: modelPath)
            log("saved the classifier model to \(modelPath.path)")
        } catch {
            log("could not save the classifier model (\(error)); it will be trained again next time")
        }
        if let cached = cacheFile(digest: digest) { cacheModel(from: modelPath, to: cached) }
        return classifier(model)
    }

    /// Where the model cache keeps the model this program trains from content of `digest` (nil: no cache).
    private func cacheFile(digest: String) -> URL? {
        modelCacheDirectory.map { $0.appendingPathComponent("hs-classifier-\(Digests.sha256(digest + "\n" + Self.programIdentity).prefix(32)).bin") }
    }

    /// The file in the model cache for this program and the content folder's training data as they
    /// are now (nil: no cache); it may not exist yet.
    public func cachedModelFile() throws -> URL? {
        guard modelCacheDirectory != nil else { return nil }
        return cacheFile(digest: try ClassificationContent.trainingInputs(root).digest)
    }

    private func classifier(_ model: ClassifierModel) -> Classifier {
        // A model trained with the full sentence encoder (or a cascade) needs its weights; a static one carries its own.
        var classifier = Classifier(model: model, encoder: classifierEncoder?(model))
        if let classifierReviewThreshold { classifier.reviewThreshold = classifierReviewThreshold }
        return classifier
    }

    /// A model trained before by this program from the same inputs, copied into `modelPath`; nil
    /// when there is none or it cannot be read.
    private func cachedModel(_ cached: URL) -> ClassifierModel? {
        guard FileManager.default.fileExists(atPath: cached.path) else { return nil }
        do {
            let model = try ClassificationContent.loadModel(at: cached)
            try FileManager.default.createDirectory(at: modelPath.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: cached, to: modelPath)
            log("no classifier model at \(modelPath.path): took the one this program trained from the same content from the cache \(cached.path)")
            return model
        } catch {
            log("cached classifier model \(cached.path) not used (\(error)): training one")
            return nil
        }
    }

    /// Keeps a copy of a newly trained model in the cache (written whole or not at all), and only the
    /// newest `modelCacheKeeps` there.
    private func cacheModel(from saved: URL, to cached: URL) {
        let fm = FileManager.default
        let folder = cached.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(contentsOf: saved).write(to: cached, options: .atomic)
            let models = try fm.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])
                .filter { $0.lastPathComponent.hasPrefix("hs-classifier-") && $0.pathExtension == "bin" }
                .map { ($0, (try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast) }
                .sorted { $0.1 > $1.1 }
            for (old, _) in models.dropFirst(Self.modelCacheKeeps) { try? fm.removeItem(at: old) }
        } catch {
            log("could not keep the classifier model in the cache \(folder.path) (\(error))")
        }
    }

    /// Trained models kept in the cache (each about 30 MB): a few builds or content versions.
    public static let modelCacheKeeps = 3

    /// The sanctions lists named by `Data/sanctions/manifest.json` and the route rules.
    public func screening(thresholds: Thresholds? = nil) throws -> ScreeningService {
        func read(_ relative: String) throws -> Data {
            guard let listsDirectory else { return try root.read("Data/sanctions/" + relative) }
            let url = listsDirectory.appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: url.path) else { throw ContentError.notFound(url.path) }
            return data
        }
        let manifestBytes = try read("manifest.json")
        let manifest = try ListManifest.decode(manifestBytes)
        var filesByList: [[String: Data]] = []
        var inputs: [(name: String, bytes: Data)] = [("manifest.json", manifestBytes), ("program", Data(Self.programIdentity.utf8))]
        for entry in manifest.lists {
            let loader = try ListManifest.loader(for: entry)
            var files: [String: Data] = [:]
            for name in loader.fileNames {
                let bytes = try read("\(entry.folder)/\(name)")
                files[name] = bytes
                inputs.append(("\(entry.folder)/\(name)", bytes))
            }
            filesByList.append(files)
        }
        let index = try screeningIndex(entries: manifest.lists, files: filesByList, key: ScreeningIndexCache.key(inputs))
        let rules = try RouteRules.decode(try root.read("Data/screening/route_rules.json"))
        return ScreeningService(screener: Screener(index: index, thresholds: thresholds ?? screeningThresholds), rules: rules,
                                maxListAgeDays: manifest.maxAgeDays, snapshotLists: Set(manifest.lists.filter { $0.snapshot == true }.map(\.id)))
    }

    public static let screeningCacheFile = "Models/screening-index.bin"

    /// The program's own file (path, size, time): a rebuilt program may normalise or load lists
    /// differently, so its cache is not trusted.
    static let programIdentity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
        let a = try? FileManager.default.attributesOfItem(atPath: path)
        return "\(path) \(a?[.size] ?? 0) \((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }()

    /// The index from the cache when it matches `key`, else built from the lists (and cached).
    func screeningIndex(entries: [ListManifest.Entry], files: [[String: Data]], key: String) throws -> ScreeningIndex {
        if let path = screeningCachePath, let bytes = FileManager.default.contents(atPath: path.path) {
            do { return try ScreeningIndexCache.decode([UInt8](bytes), key: key) } catch {
                log("screening index cache \(path.path) not used (\(error)): building the index from the lists")
            }
        }
        // Parsing a list is most of a cold start (seconds for four lists); they are independent,
        // so they parse side by side.
        let parsed = Mutex<[Result<SanctionsList, ListLoadError>?]>(Array(repeating: nil, count: entries.count))
        DispatchQueue.concurrentPerform(iterations: entries.count) { i in
            let result = Result { () throws(ListLoadError) in try ListManifest.load(entries[i], files: files[i]) }
            parsed.withLock { $0[i] = result }
        }
        let lists = try parsed.withLock { $0 }.map { try $0!.get() }
        let index = ScreeningIndex(lists: lists)
        if let path = screeningCachePath {
            do {
                try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
                // Atomic: a process reading it meanwhile sees the old file or the new one, never half.
                try Data(ScreeningIndexCache.encode(index, key: key)).write(to: path, options: .atomic)
            } catch {
                log("could not write the screening index cache \(path.path) (\(error)); the next start builds it again")
            }
        }
        return index
    }

    public func risk() throws -> RiskAssessor {
        var policy = try RiskPolicy.decode(try root.read("Data/risk/risk_policy.json"))
        if let riskReviewThreshold { policy.reviewThreshold = riskReviewThreshold }
        return RiskAssessor(policy: policy)
    }

    /// The newest version of every pack; a pack that fails to load is reported, the others serve.
    /// With `tariffDestinations`, only what those destinations need (the packs named are the ones read).
    public func tariff() -> (book: TariffBook?, packs: [String]) {
        let directory = packsDirectory ?? root.file("Data/packs")
        let library = TariffPackLibrary(directory: directory, deferring: tariffDestinations != nil)
        let report = library.reload()
        for e in report.errors { log("tariff pack error: \(e)") }
        if let destinations = tariffDestinations {
            // An empty set still yields a book: the small packs, read above.
            for destination in destinations.sorted() {
                _ = try? library.book(destination: destination) { report in
                    for e in report.errors { log("tariff pack error: \(e)") }
                }
            }
        }
        return ((try? library.book()), library.loaded)
    }

    /// The adapter catalog. A broken adapter or mapping is reported and left out; the rest load.
    public func catalog() throws -> AdapterCatalog {
        let (catalog, errors) = root.loadCatalog()
        for e in errors { log("content error: \(e)") }
        if catalog.adapters.isEmpty { throw ContentError.invalid("no adapter could be loaded from Adapters/") }
        return catalog
    }

    public func routes(adapters: Set<String>) throws -> RouteTable {
        do { return try RouteTable.load(try root.readText(routesPath), file: routesPath, adapters: adapters) } catch let e as RouteLoadError {
            throw ContentError.invalid(e.description)
        }
    }

    /// A digest of the adapter and mapping files' contents.
    public func contentDigest() -> String {
        var text = ""
        for folder in ["Adapters", "Mappings"] {
            for relative in root.files(under: folder, extensions: ["yaml", "yml", "json"]) {
                text += "\(folder)/\(relative)\n"
                text += (try? root.readText("\(folder)/\(relative)")) ?? ""
            }
        }
        return String(Digests.sha256(text).prefix(16))
    }

    /// The stage the classifier's load starts in: loading the saved model; with none, looking in
    /// the model cache (when there is one), else training (most of a first start).
    var classifierFirstStage: String {
        if FileManager.default.fileExists(atPath: modelPath.path) { return ClassifierSource.saved.stage }
        return modelCacheDirectory == nil ? ClassifierSource.training.stage : Self.lookingInCacheStage
    }

    /// Everything, at once. The classifier loads (or, on a first start, trains) on a thread of its
    /// own beside the other parts, which together take about as long as loading a saved model.
    public func load(now: Date) throws -> PipelineEngines {
        let parts = PartsInProgress(report: onStage)
        let trained = Mutex<Result<Classifier, any Error>?>(nil)
        let classifierDone = DispatchSemaphore(value: 0)
        let firstStage = classifierFirstStage
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result {
                try parts.run(firstStage) { rename in try self.classifier(from: { rename($0.stage) }) }
            }
            trained.withLock { $0 = result }
            classifierDone.signal()
        }
        // Whatever else fails, the classifier's thread is waited for: no load outlives this call.
        var waited = false
        defer { if !waited { classifierDone.wait() } }
        let catalog = try parts.run("loading the adapters and mappings") { try self.catalog() }
        let routes = try routes(adapters: Set(catalog.adapters.keys))
        let screening = try parts.run("loading the screening lists") { try self.screening() }
        let risk = try risk()
        let (book, packs) = parts.run("loading the tariff packs") { tariff() }
        let validator = try parts.run("loading the order validator") { try self.validator() }
        classifierDone.wait()
        waited = true
        let classifier = try trained.withLock { $0! }.get()
        return PipelineEngines(
            validator: validator, classifier: classifier, screening: screening, risk: risk, tariff: book, catalog: catalog,
            routes: routes,
            versions: EngineVersions(
                model: classifier.modelVersion, lists: screening.listStatuses(at: now).map { "\($0.list)@\($0.version)" }, packs: packs,
                content: contentDigest(), routes: routes.version, riskPolicy: risk.policy.version))
    }
}

/// The parts of a load in progress, named to `report` whenever the set changes.
private final class PartsInProgress: Sendable {
    private let names = Mutex<[String]>([])
    private let report: (@Sendable (String) -> Void)?

    init(report: (@Sendable (String) -> Void)?) { self.report = report }

    func run<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        try run(name) { _ in try body() }
    }

    /// Runs `body` as the part `name`; `body` may rename its part once it knows better what it does
    /// (the classifier: loading from the cache, or training).
    func run<T>(_ name: String, _ body: (_ rename: (String) -> Void) throws -> T) rethrows -> T {
        var current = name
        change { $0.append(name) }
        defer {
            change { names in
                if let i = names.firstIndex(of: current) { names.remove(at: i) }
            }
        }
        return try body { new in
            guard new != current else { return }
            change { names in
                if let i = names.firstIndex(of: current) { names[i] = new } else { names.append(new) }
            }
            current = new
        }
    }

    private func change(_ edit: (inout [String]) -> Void) {
        guard let report else { return }
        // Reported under the lock, so the last report is the set as it stands.
        names.withLock { names in
            edit(&names)
            if !names.isEmpty { report(names.joined(separator: ", ")) }
        }
    }
}
