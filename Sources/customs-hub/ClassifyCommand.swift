import ArgumentParser
import Classification
import CustomsModel
import Foundation
import HubContent

/// `customs-hub classify`: JSON lines in, one JSON line out per record, in order.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify item descriptions to HS 2022 subheadings and national tariff lines.",
        discussion: """
            Reads JSON lines {"id"?, "description", "destination"?, "hs_code"?, "date"?} from FILE or stdin and \
            writes one JSON line per input: {"id", "hs6", "national_code"?, "confidence", "review", "candidates", \
            "evidence", "question"?, "merchant_check"?, "model_version"}. A bad line yields {"line", "error"} in its \
            place and exit status 2 at the end. Without a trained model (see `train`) one is trained in memory.
            """)

    @Argument(help: "JSON lines file (default: stdin).") var file: String?
    @Option(name: .long, help: "Number of candidates to return.") var top: Int = 5
    @Option(name: .long, help: "Destination country for the national line (US, GB, an EU member) when the record has none.") var destination: String?
    @Option(name: .long, help: "Model artefact (default: Models/hs-classifier.bin in the content folder).") var model: String?
    @Option(name: .long, help: "Confirmed corrections (JSON lines) to add to the memory (default: Models/corrections.jsonl if present).") var corrections: String?
    @Option(name: .long, help: "Confidence below which a result is marked review: true (default: the model's).") var threshold: Double?

    func validate() throws {
        guard (1...50).contains(top) else { throw ValidationError("--top must be between 1 and 50") }
        if let t = threshold, !(0...1).contains(t) { throw ValidationError("--threshold must be between 0 and 1") }
    }

    func run() throws {
        // The input is opened, and its first line read, before the model is loaded (or trained):
        // a closed stdin or an endless line is refused at once.
        let input: InputFile
        var pending: [UInt8]?
        do {
            input = try InputFile(file)
            pending = try input.nextLine()
        } catch {
            FileHandle.standardError.write(Data("classify: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if pending == nil { return }
        var classifier = try ClassifierLoader.load(model: model, corrections: corrections)
        if let threshold { classifier.reviewThreshold = threshold }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = 0
        var lineNumber = 0
        var out = FileHandle.standardOutput
        while true {
            let bytes: [UInt8]?
            do {
                if let first = pending {
                    bytes = first
                    pending = nil
                } else {
                    bytes = try input.nextLine()
                }
            } catch {
                FileHandle.standardError.write(Data("classify: \(error)\n".utf8))
                throw ExitCode(2)
            }
            guard let bytes else { break }
            let line = String(decoding: bytes, as: UTF8.self)
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                var request = try ClassificationRequest(jsonLine: line, line: lineNumber)
                if request.destination == nil { request.destination = destination }
                let result = classifier.classify(request, top: top)
                out.write(try encoder.encode(result) + Data("\n".utf8))
            } catch let error as ClassificationError {
                failed += 1
                let object = ["line": "\(lineNumber)", "error": error.description]
                out.write(try encoder.encode(object) + Data("\n".utf8))
            }
        }
        _ = out
        if failed > 0 {
            FileHandle.standardError.write(Data("classify: \(failed) of \(lineNumber) lines had errors\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// `customs-hub correct`: records a person's confirmed answer (who and when) for the memory and
/// the next `train`.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Store a confirmed HS classification; it changes answers at once and feeds the next train.")

    @Option(name: .long, help: "The item description as classified.") var description: String
    @Option(name: .long, help: "The confirmed HS 2022 subheading (6 digits).") var hs6: String
    @Option(name: .long, help: "The confirmed national tariff line, if known.") var nationalCode: String?
    @Option(name: .long, help: "Who confirmed it.") var by: String
    @Option(name: .long, help: "Free text note.") var note: String?
    @Option(name: .long, help: "Corrections file (default: Models/corrections.jsonl in the content folder).") var corrections: String?

    func run() throws {
        let root = try ContentRoot.locate()
        let nomenclature = try Nomenclature(csv: root.readText(ClassificationContent.nomenclaturePath), source: ClassificationContent.nomenclaturePath)
        guard nomenclature.contains(hs6) else { throw ValidationError("--hs6 \(hs6) is not an HS 2022 subheading") }
        guard !description.allSatisfy(\.isWhitespace) else { throw ValidationError("--description is empty") }
        let correction = Correction(description: description, hs6: hs6, nationalCode: nationalCode, confirmedBy: by,
                                    confirmedAt: Timestamp.format(Date()), note: note)
        let url = corrections.map { URL(fileURLWithPath: $0) } ?? root.file(ClassificationContent.correctionsPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(correction) + Data("\n".utf8)
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: url.path) else { throw ValidationError("cannot write \(url.path)") }
        handle.seekToEndOfFile()
        handle.write(line)
        handle.closeFile()
        FileHandle.standardOutput.write(line)
    }
}

/// Finds and loads the model and the stored corrections for `classify`.
enum ClassifierLoader {
    static func load(model path: String?, corrections: String?) throws -> Classifier {
        let root = try? ContentRoot.locate()
        let model: ClassifierModel
        if let path {
            model = try ClassificationContent.loadModel(at: URL(fileURLWithPath: path))
        } else if let root, FileManager.default.fileExists(atPath: root.file(ClassificationContent.modelPath).path) {
            model = try ClassificationContent.loadModel(at: root.file(ClassificationContent.modelPath))
        } else {
            guard let root else { throw ValidationError("no model given and no content folder found; pass --model or set CUSTOMS_HUB_HOME") }
            FileHandle.standardError.write(Data("classify: no trained model at \(ClassificationContent.modelPath); training one in memory (run `customs-hub train` to keep it)\n".utf8))
            model = try TrainCommand.trainModel(root: root, corrections: [], trainedAt: Timestamp.format(Date()))
        }
        var classifier = Classifier(model: model)
        let correctionsURL = corrections.map { URL(fileURLWithPath: $0) } ?? root?.file(ClassificationContent.correctionsPath)
        if let url = correctionsURL {
            for c in try ClassificationContent.corrections(at: url) where !model.examples.contains(c.example) {
                try classifier.learn(c)
            }
        }
        return classifier
    }
}
