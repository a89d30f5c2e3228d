import Classification
import Foundation
import HubContent

/// The repository root, found from this file so tests run from any working directory.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A small but real slice of the knowledge base (cosmetics, apparel, cutlery) and the examples
/// inside it, trained once and shared by the tests: the full model takes seconds in release but
/// far longer in a debug test build.
enum Fixture {
    static let chapters: Set<String> = ["33", "61", "82"]

    static let loaded: Result<(KnowledgeBase, [LabelledExample]), any Error> = Result {
        let root = ContentRoot(url: repoRoot)
        let kb = try ClassificationContent.knowledgeBase(root, chapters: chapters)
        let (rulings, parcels, _) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
        // Every ruling in the slice and every second parcel reference: enough for the memory and
        // five-fold cross-validation, small enough for a debug build.
        let inSlice = rulings.filter { chapters.contains(String($0.hs6.prefix(2))) }
            + parcels.filter { chapters.contains(String($0.hs6.prefix(2))) }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        return (kb, inSlice)
    }

    static let trained: Result<ClassifierModel, any Error> = Result {
        let (kb, examples) = try loaded.get()
        var options = TrainingOptions()
        options.fusionIterations = 60
        return ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: "2026-11-25T00:00:00Z", options: options)
    }

    static func model() throws -> ClassifierModel { try trained.get() }
    static func classifier() throws -> Classifier { Classifier(model: try model()) }
}
