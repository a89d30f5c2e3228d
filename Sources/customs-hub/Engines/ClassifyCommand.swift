import ArgumentParser
import Classification
import CustomsModel
import Foundation
import Hub
import HubContent
import JSONCore
import Synchronization

/// `customs-hub classify`: JSON lines in, one JSON line out per record, in order.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify item descriptions to HS 2022 subheadings and national tariff lines.",
        discussion: Help.text(
            """
            Reads records {"id"?, "description", "destination"?, "hs_code"?, "date"?} (JSON lines or one JSON document) and \
            writes one JSON line per record: {"id", "hs6", "national_code"?, "confidence", "review", "candidates", \
            "evidence", "question"?, "merchant_check"?, "model_version"}. A record that cannot be read yields \
            {"line", "error"} in its place and exit 1. The model is --model, else Models/hs-classifier.bin in the data \
            folder, else in the content folder; when there is none it is trained once (minutes in a debug build) and \
            saved in the data folder. Confirmed corrections (see `correct`) are applied.
            """,
            example: "customs-hub classify Fixtures/classification/items.jsonl"))

    @Argument(help: "Records file (JSON lines or one JSON document); - or nothing for stdin.") var file: String?
    @Option(name: .long, help: "Number of candidates to return.") var top: Int = 5
    @Option(name: .long, help: "Destination country for the national line (US, GB, an EU member) when the record has none.") var destination: String?
    @Option(name: .long, help: "Model artefact (default: Models/hs-classifier.bin in the data folder, else in the content folder).") var model: String?
    @Option(name: .long, help: "Confirmed corrections (JSON lines) to add to the memory (default: Models/corrections.jsonl in the data and content folders).") var corrections: String?
    @Option(name: .long, help: "Confidence below which a result is marked review: true (default: the model's).") var threshold: Double?
    @Option(name: .long, help: "Sentence encoder weights folder, for a model trained with `train --encoder-mode full` or `cascade` (default: $CUSTOMS_HUB_ENCODER).") var encoder: String?

    /// Every argument is checked before anything is loaded or trained.
    func validate() throws {
        guard (1...50).contains(top) else { throw ValidationError("--top must be between 1 and 50") }
        if let t = threshold, !(0...1).contains(t) { throw ValidationError("--threshold must be between 0 and 1") }
        for (flag, path) in [("--model", model), ("--corrections", corrections)] {
            if let path, !FileManager.default.fileExists(atPath: path) { throw ValidationError("\(flag) \(path): no such file") }
        }
        if let file, file != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw Diagnostics.fail("\(file): cannot open: \(isDirectory.boolValue ? "is a directory" : "no such file")", exit: Exit.usage)
            }
        }
    }

    struct Refused: Encodable {
        var line: Int
        var id: String?
        var error: String
    }

    func run() throws {
        // The input is opened, and its first record read, before the model is loaded (or trained):
        // a missing file, a closed stdin or an endless line is refused at once.
        let reader = try Input.records(file)
        var pending: RecordInput.Record?
        do { pending = try reader.next() } catch { throw Diagnostics.fail("\(error)", exit: Exit.usage) }
        guard pending != nil else {
            Diagnostics.say("\(reader.name): no record in the input")
            return
        }
        // The model is loaded (or built) for the first record that can be classified: an input of
        // refused records only is answered at once.
        var classifier: Classifier?
        var failed = 0
        let progress = Progress("classify")
        // From a file, up to eight records are classified together (their sentence-encoder scans share
        // a pass over the example rows; each answer is the one it gets alone) and written in order.
        // From stdin each record is answered before the next is read: a program that writes a record
        // and waits for its answer gets it.
        let batchSize = file == nil || file == "-" ? 1 : EmbeddingMatrix.batchWidth
        var waiting: [(request: ClassificationRequest?, refused: Refused?)] = []
        func flush() {
            let requests = waiting.compactMap(\.request)
            var answers = (requests.count == 1 ? [classifier!.classify(requests[0], top: top)] : classifier?.classify(requests, top: top) ?? []).makeIterator()
            for item in waiting {
                if let refused = item.refused { Output.line(refused) } else if let answer = answers.next() { Output.line(answer) }
            }
            waiting.removeAll(keepingCapacity: true)
        }
        while true {
            let record: RecordInput.Record?
            do {
                if let first = pending {
                    record = first
                    pending = nil
                } else {
                    record = try reader.next()
                }
            } catch {
                throw Diagnostics.fail("\(error)", exit: Exit.usage)
            }
            guard let record else { break }
            progress.step()
            let text = String(decoding: record.bytes, as: UTF8.self)
            var request: ClassificationRequest
            do {
                request = try ClassificationRequest(jsonLine: text, line: record.line)
            } catch {
                failed += 1
                let id = (try? JSONParser.parse(record.bytes))?["id"]?.stringValue
                waiting.append((nil, Refused(line: record.line, id: id, error: error.description)))
                if classifier == nil || batchSize == 1 { flush() }
                continue
            }
            if request.destination == nil { request.destination = destination }
            if classifier == nil {
                var loaded = try ClassifierLoader.load(model: model, corrections: corrections, encoder: encoder)
                if let threshold { loaded.reviewThreshold = threshold }
                classifier = loaded
            }
            waiting.append((request, nil))
            if waiting.count(where: { $0.request != nil }) >= batchSize { flush() }
        }
        flush()
        progress.finish("\(reader.count) record\(reader.count == 1 ? "" : "s"), \(failed) refused")
        if failed > 0 { throw ExitCode(Exit.refused) }
    }
}

/// `customs-hub correct`: records a person's confirmed answer (who and when) for the memory and
/// the next `train`.
struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Store a confirmed HS classification; it changes answers at once and feeds the next train.",
        discussion: Help.text(
            """
            Appends one JSON line to Models/corrections.jsonl in the data folder (or --corrections) and prints it. \
            `classify` answers the confirmed subheading, and the confirmed national line when one is given, for the \
            same description from then on.
            """,
            example: "customs-hub correct --description 'zorblax aurora wrap' --hs6 611710 --national-code 6117100000 --by alice"))

    @Option(name: .long, help: "The item description as classified.") var description: String
    @Option(name: .long, help: "The confirmed HS 2022 subheading (6 digits).") var hs6: String
    @Option(name: .long, help: "The confirmed national tariff line (8 to 10 digits starting with the subheading), if known.") var nationalCode: String?
    @Option(name: .long, help: "Who confirmed it.") var by: String
    @Option(name: .long, help: "Free text note.") var note: String?
    @Option(name: .long, help: "Corrections file (default: Models/corrections.jsonl in the data folder).") var corrections: String?

    func validate() throws {
        guard !description.allSatisfy(\.isWhitespace) else { throw ValidationError("--description is empty") }
        guard hs6.count == 6, hs6.allSatisfy(\.isASCIIDigit) else { throw ValidationError("--hs6 \(hs6): expected 6 digits") }
        if let code = nationalCode {
            guard (8...10).contains(code.count), code.allSatisfy(\.isASCIIDigit), code.hasPrefix(hs6) else {
                throw ValidationError("--national-code \(code): expected 8 to 10 digits starting with --hs6 \(hs6)")
            }
        }
    }

    func run() throws {
        let root: ContentRoot
        let nomenclature: Nomenclature
        do {
            root = try ContentRoot.locate()
            nomenclature = try Nomenclature(csv: root.readText(ClassificationContent.nomenclaturePath), source: ClassificationContent.nomenclaturePath)
        } catch {
            throw Diagnostics.fail("cannot load the HS nomenclature: \(error)", exit: Exit.configuration)
        }
        guard nomenclature.contains(hs6) else { throw ValidationError("--hs6 \(hs6) is not an HS 2022 subheading") }
        let correction = Correction(description: description, hs6: hs6, nationalCode: nationalCode, confirmedBy: by,
                                    confirmedAt: Timestamp.format(Date()), note: note)
        let url = try corrections.map { URL(fileURLWithPath: $0) } ?? DataFolder.file(ClassificationContentPaths.corrections)
        let line = Data((try JSONValueEncoder().text(correction) + "\n").utf8)
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw Diagnostics.fail("cannot write \(url.path)", exit: Exit.configuration)
        }
        handle.seekToEndOfFile()
        handle.write(line)
        handle.closeFile()
        Diagnostics.say("recorded in \(url.path)")
        FileHandle.standardOutput.write(line)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Finds and loads the model and the stored corrections for `classify`.
enum ClassifierLoader {
    /// The model file to use: the one given, else the data folder's, else the content folder's.
    /// Nil when none exists yet.
    static func existingModel(_ path: String?) -> URL? {
        if let path { return URL(fileURLWithPath: path) }
        let data = DataFolder.url.appendingPathComponent(ClassificationContentPaths.model)
        if FileManager.default.fileExists(atPath: data.path) { return data }
        if let root = try? ContentRoot.locate(), FileManager.default.fileExists(atPath: root.file(ClassificationContentPaths.model).path) {
            return root.file(ClassificationContentPaths.model)
        }
        return nil
    }

    /// The engine loader a command takes its classifier from: the model given or found, else the
    /// data folder's (where a first run saves the model it builds), the model cache (`CUSTOMS_HUB_CACHE`)
    /// and the encoder weights; the classifier comes from `EngineLoader.classifier()`, as `serve`'s does.
    /// A training is announced on stderr, with its progress, only when one starts: a model from the
    /// cache is read in seconds and says so in one line.
    static func engineLoader(root: ContentRoot, model: String?, encoder: String?) throws -> (loader: EngineLoader, training: TrainingNotice) {
        let target = try existingModel(model) ?? DataFolder.file(ClassificationContentPaths.model)
        let notice = TrainingNotice(target: target)
        var loader = EngineLoader(root: root, modelPath: target, log: { Diagnostics.say($0) })
        loader.screeningCachePath = DataFolder.screeningCache
        loader.modelCacheDirectory = DataFolder.modelCache
        // A model trained with the full sentence encoder (or a cascade) finds its weights through --encoder or CUSTOMS_HUB_ENCODER.
        loader.classifierEncoder = { EncoderFolder.runTimeEncoder(for: $0, option: encoder, warn: { Diagnostics.say($0) }) }
        loader.onClassifierSource = { if $0 == .training { notice.begin() } }
        return (loader, notice)
    }

    static func load(model path: String?, corrections: String?, encoder: String? = nil) throws -> Classifier {
        let root = try? ContentRoot.locate()
        var classifier: Classifier
        do {
            if let root {
                let (loader, training) = try engineLoader(root: root, model: path, encoder: encoder)
                classifier = try loader.classifier()
                training.end(classifier.modelVersion)
            } else if let url = existingModel(path) {
                // No content folder: only a model file can be read (nothing to train from).
                let model = try ClassificationContent.loadModel(at: url)
                classifier = Classifier(model: model, encoder: EncoderFolder.runTimeEncoder(for: model, option: encoder, warn: Diagnostics.say))
            } else {
                throw Diagnostics.fail("no model given and no content folder found; pass --model or set CUSTOMS_HUB_HOME", exit: Exit.configuration)
            }
        } catch let code as ExitCode {
            throw code
        } catch {
            throw Diagnostics.fail("cannot load the classifier model: \(error)", exit: Exit.configuration)
        }
        let trained = classifier.model.examples
        var files: [URL] = []
        if let corrections {
            files = [URL(fileURLWithPath: corrections)]
        } else {
            files = [DataFolder.url.appendingPathComponent(ClassificationContentPaths.corrections)]
            if let root { files.append(root.file(ClassificationContentPaths.corrections)) }
        }
        for url in files {
            let stored: [Correction]
            do { stored = try ClassificationContent.corrections(at: url) } catch {
                throw Diagnostics.fail("cannot read the corrections: \(error)", exit: Exit.configuration)
            }
            // A correction to a subheading this model was not trained on (a model trained on some
            // chapters only) is left out with a word, not made a reason to classify nothing.
            for c in stored where !trained.contains(c.example) {
                do { try classifier.learn(c) } catch {
                    Diagnostics.say("warning: correction for \"\(c.description)\" (\(c.hs6)) in \(url.path) left out: \(error); train a model that covers it")
                }
            }
        }
        return classifier
    }
}

/// Says, when a command starts training the classifier (no saved model, none in the cache), that it
/// builds it once and where it saves it, and draws the training's progress until `end`.
final class TrainingNotice: Sendable {
    let target: URL
    private let progress = Mutex<Progress?>(nil)

    init(target: URL) { self.target = target }

    func begin() {
        Diagnostics.say("no trained model yet; building it once (this takes a while), then saving it to \(target.path)")
        let training = Progress("train")
        training.tick()
        progress.withLock { $0 = training }
    }

    /// The summary line of a training that began; nothing otherwise.
    func end(_ version: String) {
        progress.withLock { $0 }?.finish("built the classifier model \(version)")
    }
}
