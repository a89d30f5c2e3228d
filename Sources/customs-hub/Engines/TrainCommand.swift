import ArgumentParser
import Classification
import CustomsModel
import Foundation
import HubContent
import JSONCore
import TextEmbedding

/// `customs-hub train`: fits the classifier from the content folder's data and every confirmed
/// correction, and writes a new versioned artefact into the data folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the HS classifier from Data/ and confirmed corrections; write a versioned model artefact.",
        discussion: Help.text(
            """
            Writes Models/hs2022-<hash>.bin in the data folder and makes it current as Models/hs-classifier.bin there \
            (or --output). Prints one JSON line: {"model_version", "trained_at", "artefact", "subheadings", \
            "tariff_lines", "examples", "corrections", "cross_validated_top1", "seconds", and per text kind K (short, long) \
            "K_held_out_top1", "K_auto_approve_from", "K_held_out_auto_share", "encoder" (none, static, full or cascade)}. \
            --encoder DIR adds the sentence encoder's features (issue #19's measure: more accurate on long rulings). The whole nomenclature \
            takes 20 to 30 s of CPU (in a debug build too, which optimises the classifier); --chapters trains a slice for trying things out.
            """,
            example: "customs-hub train --chapters 61"))

    @Option(name: .long, help: "Where to write the current artefact (default: Models/hs-classifier.bin in the data folder).") var output: String?
    @Option(name: .long, help: "Confirmed corrections to train on (default: Models/corrections.jsonl in the data and content folders).") var corrections: String?
    @Option(name: .long, help: "Confidence below which results are marked for review, for a text kind with too few held-out rows to calibrate its own threshold (1: always reviewed).") var threshold: Double = 1
    @Option(name: .long, help: "Only these HS chapters, comma-separated (a quick slice; default: all).") var chapters: String?
    @Option(name: .long, help: "Sentence encoder weights folder (tokenizer.json, model.safetensors; Scripts/fetch-encoder.sh) to train with; default: none, or $CUSTOMS_HUB_ENCODER.") var encoder: String?
    @Option(name: .long, help: "With --encoder: static (a vector per word piece, distilled once, mapped onto the full encoder's vectors of the examples and kept in the model: no weights needed at run time, microseconds per item) or full (the forward pass per text: more accurate on long rulings, tens of milliseconds per item; classify and serve need --encoder too) or cascade (static on every line, the forward pass on the lines the static ranking is unsure of; classify and serve need --encoder for those, else every line stays static).") var encoderMode: EncoderMode = .static

    enum EncoderMode: String, ExpressibleByArgument, CaseIterable { case `static`, full, cascade }

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        if let corrections, !FileManager.default.fileExists(atPath: corrections) { throw ValidationError("--corrections \(corrections): no such file") }
        if let path = EncoderFolder.path(encoder) {
            for name in ["tokenizer.json", "model.safetensors"] where !FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent(name).path) {
                throw ValidationError("--encoder \(path): no \(name) (fetch the weights with Scripts/fetch-encoder.sh)")
            }
        }
        if let list = chapterSet, list.isEmpty || !list.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) {
            throw ValidationError("--chapters \(chapters ?? ""): expected two-digit chapters such as 61,62")
        }
    }

    var chapterSet: Set<String>? {
        chapters.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    }

    func run() throws {
        let root: ContentRoot
        var stored: [Correction] = []
        do {
            root = try ContentRoot.locate()
            let files = corrections.map { [URL(fileURLWithPath: $0)] }
                ?? [DataFolder.url.appendingPathComponent(ClassificationContentPaths.corrections), root.file(ClassificationContentPaths.corrections)]
            for url in files { stored += try ClassificationContent.corrections(at: url) }
        } catch {
            throw Diagnostics.fail("\(error)", exit: Exit.configuration)
        }
        let current = try output.map { URL(fileURLWithPath: $0) } ?? DataFolder.file(ClassificationContentPaths.model)
        Diagnostics.say("training from \(root.url.path)\(chapters.map { " (chapters \($0))" } ?? "") into \(current.deletingLastPathComponent().path)")
        let progress = Progress("train")
        progress.tick()
        let started = Date()
        var options = TrainingOptions()
        options.reviewThreshold = threshold
        var sentenceEncoder: MiniLMEncoder?
        if let path = EncoderFolder.path(encoder) {
            do { sentenceEncoder = try EncoderFolder.load(path) } catch {
                throw Diagnostics.fail("cannot train: \(error)", exit: Exit.configuration)
            }
        }
        let model: ClassifierModel
        do {
            model = try Self.trainModel(root: root, corrections: stored, trainedAt: Timestamp.format(started), options: options, chapters: chapterSet,
                                        encoder: sentenceEncoder, mode: encoderMode)
        } catch {
            throw Diagnostics.fail("cannot train: \(error)", exit: Exit.configuration)
        }
        let versioned = current.deletingLastPathComponent().appendingPathComponent("\(model.version).bin")
        try ClassificationContent.saveModel(model, to: versioned)
        try ClassificationContent.saveModel(model, to: current)
        let r = model.report
        var fields: [(String, JSONValue)] = [
            ("model_version", .string(model.version)), ("trained_at", .string(model.trainedAt)), ("artefact", .string(versioned.path)),
            ("subheadings", .number(String(r.subheadings))), ("tariff_lines", .number(String(r.tariffLines))),
            ("examples", .number(String(r.examples))), ("corrections", .number(String(stored.count))),
            ("cross_validated_top1", .string(String(format: "%.3f", r.crossValidatedAccuracy))),
            ("seconds", .string(String(format: "%.1f", Date().timeIntervalSince(started)))),
            ("encoder", .string(model.encoderMode.rawValue)),
        ]
        for k in model.kindCalibrations {
            fields.append(("\(k.kind.rawValue)_held_out_top1", .string(String(format: "%.3f", k.heldOutAccuracy))))
            fields.append(("\(k.kind.rawValue)_auto_approve_from", .string(String(format: "%.3f", k.autoApproveThreshold))))
            fields.append(("\(k.kind.rawValue)_held_out_auto_share", .string(String(format: "%.3f", k.heldOutApprovedShare))))
        }
        Output.json(.object(JSONObject(fields)))
        progress.finish("trained \(model.version) on \(r.examples) examples, \(r.subheadings) subheadings")
    }

    static func trainModel(root: ContentRoot, corrections: [Correction], trainedAt: String, options: TrainingOptions = TrainingOptions(),
                           chapters: Set<String>? = nil, encoder: MiniLMEncoder? = nil, mode: EncoderMode = .static) throws -> ClassifierModel {
        let (kb, content, _) = try ClassificationContent.trainingInputs(root, chapters: chapters)
        var confirmed = corrections.map(\.example)
        if let chapters { confirmed = confirmed.filter { chapters.contains(String($0.hs6.prefix(2))) } }
        let examples = content + confirmed
        guard let encoder else { return ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: trainedAt, options: options) }
        // Every example's text through the full encoder once, batched on every core.
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let texts = Array(Set(examples.map { EncoderInput.text($0.description, focusLongText: options.focusLongText) })).sorted()
        Diagnostics.say("encoding \(texts.count) training texts with the sentence encoder (minutes on a small machine)")
        let full = PrecomputedEncoder(texts: texts, vectors: encoder.encodeAll(texts, threads: threads), fallback: encoder)
        guard mode != .full else {
            return ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: trainedAt, options: options, encoder: full)
        }
        // The static encoder, mapped onto the full encoder's vectors of the same texts: queries are
        // then encoded in microseconds and searched among the examples' full vectors.
        Diagnostics.say("distilling the static encoder")
        let distilled = encoder.distilled(threads: threads).projected(texts: texts, targets: texts.map(full.encode))
        var options = options
        options.cascade = mode == .cascade
        return ClassifierTrainer.train(knowledgeBase: kb, examples: examples, trainedAt: trainedAt, options: options, encoder: distilled, exampleEncoder: full)
    }
}
