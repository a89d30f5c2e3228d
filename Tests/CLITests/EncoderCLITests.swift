import Foundation
import Testing

/// `train --encoder`, and `classify` on the models it writes: the static encoder travels in the
/// model; a model trained with the full encoder asks for the weights, and without them still
/// classifies, with a warning that says what is missing.
@Suite(.serialized, .timeLimit(.minutes(15))) struct EncoderCLITests {
    static let tiny = "Fixtures/encoder/tiny-bert"
    static let real = "Models/all-MiniLM-L6-v2"
    static let item = Data(#"{"id":"a","description":"Men's knitted cotton T-shirt, short sleeves"}"#.utf8)

    static func modelPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-encoder-\(name)-\(ProcessInfo.processInfo.processIdentifier).bin").path
    }

    static func train(_ name: String, _ extra: [String]) async throws -> (path: String, result: CLI.Result) {
        let path = modelPath(name)
        let r = try await CLI.run(["train", "--chapters", "61", "--output", path] + extra)
        return (path, r)
    }

    @Test func aModelTrainedWithTheStaticEncoderClassifiesWithoutTheWeights() async throws {
        let (path, trained) = try await Self.train("static", ["--encoder", Self.tiny])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(trained.status == 0, "\(trained.stderr.suffix(1500))")
        #expect(trained.json.first?["encoder"] as? String == "static")
        let r = try await CLI.run(["classify", "--model", path], stdin: Self.item)
        #expect(r.status == 0, "\(r.stderr)")
        #expect((r.json.first?["hs6"] as? String)?.hasPrefix("61") == true, "\(r.stdout)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    }

    @Test func aModelTrainedWithTheFullEncoderWarnsWhenItsWeightsAreMissing() async throws {
        let (path, trained) = try await Self.train("full", ["--encoder", Self.tiny, "--encoder-mode", "full"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(trained.status == 0, "\(trained.stderr.suffix(1500))")
        #expect(trained.json.first?["encoder"] as? String == "full")
        let with = try await CLI.run(["classify", "--model", path, "--encoder", Self.tiny], stdin: Self.item)
        #expect(with.status == 0 && !with.stderr.contains("warning"), "\(with.stderr)")
        #expect(with.json.first?["hs6"] is String, "\(with.stdout)")
        // No folder named: it answers on the other features and says how to add the encoder.
        let without = try await CLI.run(["classify", "--model", path], stdin: Self.item)
        #expect(without.status == 0, "\(without.stderr)")
        #expect((without.json.first?["hs6"] as? String)?.hasPrefix("61") == true, "\(without.stdout)")
        #expect(without.stderr.contains("trained with the sentence encoder") && without.stderr.contains("--encoder DIR"), "\(without.stderr)")
        // A folder without the weights: the same, naming the file that is missing.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-no-encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let missing = try await CLI.run(["classify", "--model", path, "--encoder", empty.path], stdin: Self.item)
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stderr.contains("no tokenizer.json") && missing.stderr.contains("without the sentence encoder"), "\(missing.stderr)")
        #expect(missing.json.first?["hs6"] is String)
    }

    /// A cascade answers every line; with the weights it says which lines took the slow path, and
    /// without them it keeps every line on the static path and warns.
    @Test func aCascadeModelFallsBackToTheStaticPathWithoutItsWeights() async throws {
        let (path, trained) = try await Self.train("cascade", ["--encoder", Self.tiny, "--encoder-mode", "cascade"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(trained.status == 0, "\(trained.stderr.suffix(1500))")
        #expect(trained.json.first?["encoder"] as? String == "cascade")
        let with = try await CLI.run(["classify", "--model", path, "--encoder", Self.tiny], stdin: Self.item)
        #expect(with.status == 0 && !with.stderr.contains("warning"), "\(with.stderr)")
        #expect(with.json.first?["slow_path"] as? Bool != nil && with.json.first?["hs6"] is String, "\(with.stdout)")
        let without = try await CLI.run(["classify", "--model", path], stdin: Self.item)
        #expect(without.status == 0, "\(without.stderr)")
        #expect(without.json.first?["slow_path"] as? Bool == false && (without.json.first?["hs6"] as? String)?.hasPrefix("61") == true, "\(without.stdout)")
        #expect(without.stderr.contains("every line on the static path") && without.stderr.contains("--encoder DIR"), "\(without.stderr)")
    }

    @Test func trainRefusesAnEncoderFolderWithoutWeights() async throws {
        let r = try await CLI.run(["train", "--chapters", "61", "--output", Self.modelPath("refused"), "--encoder", "Fixtures/encoder"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--encoder Fixtures/encoder: no tokenizer.json"), "\(r.stderr)")
    }

    /// The real all-MiniLM-L6-v2 (fetched by Scripts/fetch-encoder.sh): distilled at training time,
    /// then classified through the CLI from the model file alone.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: CLI.root.appendingPathComponent(EncoderCLITests.real + "/model.safetensors").path)
                   || ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_ENCODER"] == "1"))
    func theRealEncoderTrainsAStaticModelThatClassifiesThroughTheCLI() async throws {
        let (path, trained) = try await Self.train("real", ["--encoder", Self.real])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(trained.status == 0, "\(trained.stderr.suffix(1500))")
        #expect(trained.json.first?["encoder"] as? String == "static")
        let r = try await CLI.run(["classify", "--model", path], stdin: Self.item)
        #expect(r.status == 0 && !r.stderr.contains("warning"), "\(r.stderr)")
        #expect(r.json.first?["hs6"] as? String == "610910", "\(r.stdout)")
    }
}
