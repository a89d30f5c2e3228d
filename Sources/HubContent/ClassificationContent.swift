import Classification
import Digests
import Foundation

/// Reads the classification data files from the content folder and hands parsed values to the
/// pure `Classification` engine.
public enum ClassificationContent {
    public static let nomenclaturePath = ClassificationData.nomenclaturePath
    /// Default home of trained artefacts and of confirmed corrections (not committed).
    public static let modelPath = "Models/hs-classifier.bin"
    public static let correctionsPath = "Models/corrections.jsonl"

    /// The knowledge base, optionally limited to some chapters (tests and demos train on a slice).
    public static func knowledgeBase(_ root: ContentRoot, chapters: Set<String>? = nil) throws -> KnowledgeBase {
        try ClassificationData.knowledgeBase(chapters: chapters, read: root.readText)
    }

    /// The labelled rulings and parcel references, in file order.
    /// Rows under codes that are not HS 2022 subheadings are skipped and listed in `skipped`.
    public static func examples(_ root: ContentRoot, nomenclature: Nomenclature) throws -> (rulings: [LabelledExample], parcels: [LabelledExample], skipped: [String]) {
        try ClassificationData.examples(nomenclature: nomenclature, read: root.readText)
    }

    /// What `train` fits a model from (the knowledge base, then the rulings, the parcel references
    /// and the extra rows of `Data/classification/extra/`, in that order, only `chapters` when
    /// given), with a digest of every file read and its bytes: a model trained from inputs of the
    /// same digest (by the same program) is the same model. Every command that builds a model when
    /// there is none (`serve`, `submit`, `classify`, …) trains from this, so each gets the model
    /// `train` makes and the model cache holds one model per content.
    public static func trainingInputs(_ root: ContentRoot, chapters: Set<String>? = nil) throws
        -> (knowledgeBase: KnowledgeBase, examples: [LabelledExample], digest: String)
    {
        var files: [String] = []
        let read: (String) throws -> String = { path in
            let text = try root.readText(path)
            files.append("\(path) \(Digests.sha256(text))")
            return text
        }
        let kb = try ClassificationData.knowledgeBase(chapters: chapters, read: read)
        var (rulings, parcels, skipped) = try ClassificationData.examples(nomenclature: kb.nomenclature, read: read)
        var extra = try ClassificationData.extraExamples(nomenclature: kb.nomenclature, skipped: &skipped, read: read)
        if let chapters {
            let inSlice: (LabelledExample) -> Bool = { chapters.contains(String($0.hs6.prefix(2))) }
            rulings = rulings.filter(inSlice)
            parcels = parcels.filter(inSlice)
            extra = extra.filter(inSlice)
        }
        return (kb, rulings + parcels + extra, Digests.sha256(files.joined(separator: "\n")))
    }

    /// Every row of `Data/classification/extra/` (see its SOURCES.md).
    public static func extraExamples(_ root: ContentRoot, nomenclature: Nomenclature, skipped: inout [String]) throws -> [LabelledExample] {
        try ClassificationData.extraExamples(nomenclature: nomenclature, skipped: &skipped, read: root.readText)
    }

    /// Corrections stored as JSON lines; a bad line is an error naming its line number.
    public static func corrections(at url: URL) throws -> [Correction] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var out: [Correction] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do { out.append(try JSONDecoder().decode(Correction.self, from: Data(trimmed.utf8))) } catch {
                throw ContentError.invalid("\(url.lastPathComponent): line \(i + 1): not a correction: \(error)")
            }
        }
        return out
    }

    public static func loadModel(at url: URL) throws -> ClassifierModel {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch {
            throw ContentError.unreadable("\(url.path): \(error.localizedDescription)")
        }
        do { return try ModelCodec.decode(bytes) } catch {
            // Name the file: an artefact written by another build is refused with what to do.
            throw ContentError.invalid("\(url.path): \(error)")
        }
    }

    public static func saveModel(_ model: ClassifierModel, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ModelCodec.encode(model)).write(to: url, options: .atomic)
    }
}
