import Classification
import Foundation
import JSONCore
import TextEmbedding

/// The sentence encoder's weights folder (`tokenizer.json`, `model.safetensors`; see
/// `Scripts/fetch-encoder.sh`), for `train --encoder`, and for `classify` / `serve` on a model
/// trained with the full encoder. Opt-in: without it every command works as before.
enum EncoderFolder {
    /// Where the folder is named when no `--encoder` is given.
    static let environmentVariable = "CUSTOMS_HUB_ENCODER"

    /// `--encoder`, else the environment variable, else nil.
    static func path(_ option: String?) -> String? {
        option ?? ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The encoder of the folder; the error names the folder and the file.
    /// `maxLength`: word pieces read per text (a cascade's model names its own).
    static func load(_ path: String, maxLength: Int = 128) throws -> MiniLMEncoder {
        let folder = URL(fileURLWithPath: path)
        func read(_ name: String) throws -> [UInt8] {
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw EncoderFolderError(message: "sentence encoder \(path): no \(name) (fetch the weights with Scripts/fetch-encoder.sh)")
            }
            return Array(data)
        }
        // The heads are not in the weights: `config.json` names them when present (12 for all-MiniLM-L6-v2).
        var heads = 12
        if let config = FileManager.default.contents(atPath: folder.appendingPathComponent("config.json").path) {
            guard let value = try? JSONParser.parse(Array(config))["num_attention_heads"], case .number(let text) = value, let n = Int(text) else {
                throw EncoderFolderError(message: "sentence encoder \(path): config.json has no integer num_attention_heads")
            }
            heads = n
        }
        do {
            return try MiniLMEncoder(tokenizerJSON: try read("tokenizer.json"), safetensors: try read("model.safetensors"), heads: heads, maxLength: maxLength)
        } catch let error as EmbeddingError {
            throw EncoderFolderError(message: "sentence encoder \(path): \(error)")
        }
    }

    /// The encoder a loaded model asks for at run time: nil when it needs none (trained without
    /// one, or with the static encoder it carries). A model trained with the full encoder still
    /// classifies without its weights, on its other features, and a cascade on its static path
    /// alone, with a warning that says so.
    static func runTimeEncoder(for model: ClassifierModel, option: String?, warn: (String) -> Void) -> (any SentenceEncoder)? {
        guard let embeddings = model.exampleEmbeddings, model.encoderMode == .full || model.encoderMode == .cascade else { return nil }
        let without = model.encoderMode == .cascade
            ? "classifying every line on the static path (the unsure ones are not re-ranked: less accurate on long rulings)"
            : "classifying without the sentence encoder's features (less accurate)"
        guard let path = path(option) else {
            warn("warning: model \(model.version) was trained with the sentence encoder; pass --encoder DIR (or set \(environmentVariable)) to use it; \(without)")
            return nil
        }
        do {
            let encoder = try load(path, maxLength: model.cascade?.queryTokens ?? 128)
            guard encoder.dimension == embeddings.dimension else {
                warn("warning: sentence encoder \(path) gives \(encoder.dimension)-dimensional vectors, model \(model.version) was trained on \(embeddings.dimension); \(without)")
                return nil
            }
            return encoder
        } catch {
            warn("warning: \(error); \(without)")
            return nil
        }
    }
}

struct EncoderFolderError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
