import ArgumentParser
import Classification
import CustomsModel
import Foundation
import HubContent

/// `customs-hub train`: fits the classifier from the content folder's data and every confirmed
/// correction, and writes a new versioned artefact.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the HS classifier from Data/ and confirmed corrections; write a versioned model artefact.",
        discussion: "Writes Models/hs2022-<hash>.bin and makes it current as Models/hs-classifier.bin (or --output).")

    @Option(name: .long, help: "Where to write the current artefact (default: Models/hs-classifier.bin).") var output: String?
    @Option(name: .long, help: "Confirmed corrections to train on (default: Models/corrections.jsonl if present).") var corrections: String?
    @Option(name: .long, help: "Confidence below which results are marked for review, for a text kind with too few held-out rows to calibrate its own threshold.") var threshold: Double = 0.8

    func run() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        let root = try ContentRoot.locate()
        let correctionsURL = corrections.map { URL(fileURLWithPath: $0) } ?? root.file(ClassificationContent.correctionsPath)
        let stored = try ClassificationContent.corrections(at: correctionsURL)
        let started = Date()
        var options = TrainingOptions()
        options.reviewThreshold = threshold
        let model = try Self.trainModel(root: root, corrections: stored, trainedAt: Timestamp.format(started), options: options)
        let current = output.map { URL(fileURLWithPath: $0) } ?? root.file(ClassificationContent.modelPath)
        let versioned = current.deletingLastPathComponent().appendingPathComponent("\(model.version).bin")
        try ClassificationContent.saveModel(model, to: versioned)
        try ClassificationContent.saveModel(model, to: current)
        let r = model.report
        var summary: [String: String] = [
            "model_version": model.version, "trained_at": model.trainedAt, "artefact": versioned.lastPathComponent,
            "subheadings": "\(r.subheadings)", "tariff_lines": "\(r.tariffLines)", "examples": "\(r.examples)",
            "corrections": "\(stored.count)", "cross_validated_top1": String(format: "%.3f", r.crossValidatedAccuracy),
            "seconds": String(format: "%.1f", Date().timeIntervalSince(started)),
        ]
        for k in model.kindCalibrations {
            summary["\(k.kind.rawValue)_held_out_top1"] = String(format: "%.3f", k.heldOutAccuracy)
            summary["\(k.kind.rawValue)_auto_approve_from"] = String(format: "%.3f", k.autoApproveThreshold)
            summary["\(k.kind.rawValue)_held_out_auto_share"] = String(format: "%.3f", k.heldOutApprovedShare)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(summary) + Data("\n".utf8))
    }

    static func trainModel(root: ContentRoot, corrections: [Correction], trainedAt: String, options: TrainingOptions = TrainingOptions()) throws -> ClassifierModel {
        let kb = try ClassificationContent.knowledgeBase(root)
        var (rulings, parcels, skipped) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
        let extra = try ClassificationContent.extraExamples(root, nomenclature: kb.nomenclature, skipped: &skipped)
        return ClassifierTrainer.train(knowledgeBase: kb, examples: rulings + parcels + extra + corrections.map(\.example), trainedAt: trainedAt, options: options)
    }
}
