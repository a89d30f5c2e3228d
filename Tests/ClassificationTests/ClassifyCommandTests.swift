import Classification
import Foundation
import HubContent
import JSONCore
import ChildProcess
import Testing

/// Runs the real `customs-hub classify` binary on a small trained artefact.
@Suite(.timeLimit(.minutes(10))) struct ClassifyCommandTests {
    @Test func jsonLinesInOneLineOutPerRecordInOrder() async throws {
        let binary = HubBinary.url
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("classify-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelURL = dir.appendingPathComponent("model.bin")
        try ClassificationContent.saveModel(try Fixture.model(), to: modelURL)
        let corrections = dir.appendingPathComponent("corrections.jsonl")
        try [
            #"{"description":"zorblax aurora wrap","hs6":"611710","confirmed_by":"alice","confirmed_at":"2026-11-25T10:00:00Z"}"#,
            // #20: a confirmed national line is the answer for that description, not the chooser's shorter one.
            #"{"description":"quillon borealis scarf","hs6":"611710","national_code":"6117100000","confirmed_by":"bob","confirmed_at":"2026-11-26T10:00:00Z"}"#,
            // A subheading outside this model's chapters (33, 61, 82): left out with a warning, the rest still apply.
            #"{"description":"womens woven cotton trousers","hs6":"620462","national_code":"6204623100","confirmed_by":"bob","confirmed_at":"2026-11-27T10:00:00Z"}"#,
        ].joined(separator: "\n").appending("\n").write(to: corrections, atomically: true, encoding: .utf8)

        let input = [
            #"{"id":"a","description":"men's cotton t-shirt knitted","destination":"US"}"#,
            "not json",
            #"{"id":"c","description":"zorblax aurora wrap","hs_code":"330510"}"#,
            #"{"id":"d","description":"shampoo for dry hair"}"#,
            #"{"id":"e","description":"quillon borealis scarf","destination":"DE"}"#,
        ].joined(separator: "\n") + "\n"

        let child = try await ChildProcess.run(binary, ["classify", "--model", modelURL.path, "--corrections", corrections.path, "--top", "2"],
                                               input: .data(Data(input.utf8)), environment: HubBinary.environment())
        let out = child.stdout
        #expect(child.status == 1) // one refused record (#20: exit 1 = some records refused)
        #expect(child.stderrText.contains("correction for \"womens woven cotton trousers\" (620462)") && child.stderrText.contains("left out"),
                "\(child.stderrText)")

        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 5)
        let values = try lines.map { try JSONParser.parse($0) }
        #expect(values[0]["id"]?.stringValue == "a")
        #expect(values[0]["hs6"]?.stringValue == "610910")
        #expect(values[0]["national_code"]?.stringValue == "6109100012")
        #expect(values[0]["candidates"]?.arrayValue?.count == 2)
        #expect(values[0]["model_version"]?.stringValue == (try Fixture.model()).version)
        #expect(values[0]["review"]?.boolValue != nil)
        #expect(values[1]["line"] == .number("2"))
        #expect(values[1]["error"]?.stringValue?.contains("invalid JSON at line 1, column") == true)
        #expect(values[2]["hs6"]?.stringValue == "611710") // learned from the stored correction
        #expect(values[2]["merchant_check"]?["status"]?.stringValue == "disagrees")
        #expect(values[2]["review"]?.boolValue == true)
        #expect(values[3]["hs6"]?.stringValue?.hasPrefix("3305") == true)
        #expect(values[4]["hs6"]?.stringValue == "611710")
        #expect(values[4]["national_code"]?.stringValue == "6117100000")

        // From a file, records are classified eight at a time: the same answers and refusals, in order.
        let twice = input + input
        let file = dir.appendingPathComponent("items.jsonl")
        try twice.write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["classify", "--model", modelURL.path, "--corrections", corrections.path, "--top", "2"]
        let fromFile = try await ChildProcess.run(binary, arguments + [file.path], input: .data(Data()), environment: HubBinary.environment())
        let fromStdin = try await ChildProcess.run(binary, arguments, input: .data(Data(twice.utf8)), environment: HubBinary.environment())
        #expect(fromFile.status == 1 && fromStdin.status == 1)
        #expect(String(decoding: fromFile.stdout, as: UTF8.self).split(separator: "\n").count == 10)
        #expect(fromFile.stdout == fromStdin.stdout)
    }

    @Test func aModelFileFromAnotherFormatIsRefusedByNameWithHowToRetrain() async throws {
        let binary = HubBinary.url
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("classify-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A current artefact with its format number set back to 3 (what main's classifier wrote).
        var bytes = ModelCodec.encode(try Fixture.model())
        let at = Array("CHHSCLS".utf8).count
        try #require(bytes[at] == 11, "format number moved: update this test with ModelCodec.format")
        bytes[at] = 3
        let modelURL = dir.appendingPathComponent("old-model.bin")
        try Data(bytes).write(to: modelURL)
        let child = try await ChildProcess.run(binary, ["classify", "--model", modelURL.path], input: .data(Data("{\"description\":\"tee\"}\n".utf8)),
                                               environment: HubBinary.environment())
        #expect(child.status == 3, "broken configuration")
        #expect(child.stdout.isEmpty)
        #expect(child.stderrText.contains(modelURL.path), "\(child.stderrText)")
        #expect(child.stderrText.contains("artefact format 3") && child.stderrText.contains("customs-hub train"), "\(child.stderrText)")
    }
}
