import Classification
import Foundation
import Hub
import HubContent
import Pipeline
import Synchronization
import Testing

/// Where a first load takes the classifier from, and what it says while it does: a model this
/// program trained from the same content is taken from the model cache (no training, and the stage
/// says so), a saved model is loaded. The real loader, content folder and files.
@Suite("The classifier's source: saved, from the model cache, or trained", .serialized)
struct ClassifierSourceTests {
    /// Collects what the loader reports, from the threads it reports on.
    final class Reports: Sendable {
        let stages = Mutex<[String]>([])
        let sources = Mutex<[EngineLoader.ClassifierSource]>([])
    }

    static func loader(model: URL, cache: URL?, folder: URL, reports: Reports) -> EngineLoader {
        var loader = EngineLoader(root: ContentRoot(url: repoRoot), modelPath: model)
        loader.modelCacheDirectory = cache
        loader.screeningCachePath = folder.appendingPathComponent("screening-index.bin")
        loader.onStage = { stage in reports.stages.withLock { $0.append(stage) } }
        loader.onClassifierSource = { source in reports.sources.withLock { $0.append(source) } }
        return loader
    }

    @Test("No saved model, one in the cache for this content: copied from there, the stage says so, nothing is trained")
    func firstLoadTakesTheCachedModel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-source-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelPath = folder.appendingPathComponent("data/Models/hs-classifier.bin")
        let reports = Reports()
        let loader = Self.loader(model: modelPath, cache: folder.appendingPathComponent("cache"), folder: folder, reports: reports)
        // The file the cache keeps for this program and this content, filled with a model trained here.
        let cached = try #require(try loader.cachedModelFile())
        try FileManager.default.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
        let model = try TestEngines.model.get()
        try ClassificationContent.saveModel(model, to: cached)

        let engines = try loader.load(now: TestEngines.now)
        #expect(engines.classifier.modelVersion == model.version)
        #expect(reports.sources.withLock { $0 } == [.cache])
        let stages = reports.stages.withLock { $0 }
        #expect(stages.contains { $0.contains(EngineLoader.lookingInCacheStage) }, "\(stages)")
        #expect(stages.contains { $0.contains(EngineLoader.ClassifierSource.cache.stage) }, "\(stages)")
        #expect(!stages.contains { $0.contains("training the classifier") }, "\(stages)")
        // Copied into the model path, so the next start loads it as a saved model.
        #expect(try Data(contentsOf: modelPath) == Data(contentsOf: cached))

        let again = Reports()
        let next = try Self.loader(model: modelPath, cache: folder.appendingPathComponent("cache"), folder: folder, reports: again).load(now: TestEngines.now)
        #expect(next.classifier.modelVersion == model.version)
        #expect(again.sources.withLock { $0 } == [.saved])
        #expect(again.stages.withLock { $0 }.contains { $0.contains(EngineLoader.ClassifierSource.saved.stage) })
        #expect(!again.stages.withLock { $0 }.contains { $0.contains("model cache") }, "\(again.stages.withLock { $0 })")
    }

    @Test("The training content a first start trains from is what `train` fits: rulings, parcels and the extra rows, digested")
    func trainingInputsHoldTheExtraRows() throws {
        let root = ContentRoot(url: repoRoot)
        let chapters: Set<String> = ["61"]
        let (kb, examples, digest) = try ClassificationContent.trainingInputs(root, chapters: chapters)
        let (rulings, parcels, _) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
        var skipped: [String] = []
        let extra = try ClassificationContent.extraExamples(root, nomenclature: kb.nomenclature, skipped: &skipped)
        let inSlice = { (e: LabelledExample) in chapters.contains(String(e.hs6.prefix(2))) }
        try #require(extra.contains(where: inSlice), "no extra row in chapter 61 to check with")
        #expect(examples == (rulings + parcels + extra).filter(inSlice))
        #expect(digest == (try ClassificationContent.trainingInputs(root, chapters: chapters).digest))
    }
}
