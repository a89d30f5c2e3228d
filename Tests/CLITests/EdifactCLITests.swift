import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct EdifactCLITests {
    let dir = "Fixtures/edifact/"

    @Test func parsePrintsTheTreeAndExitsZeroWhenClean() async throws {
        let r = try await CLI.run(["edifact", "parse", dir + "pydifact_invoice1.edi"])
        #expect(r.status == 0)
        let doc = try #require(r.json.first)
        let ic = try #require((doc["interchanges"] as? [[String: Any]])?.first)
        #expect((ic["syntax"] as? [String: Any])?["id"] as? String == "UNOA")
        #expect(ic["control_ref"] as? String == "PAYO0012101221")
        let m = try #require((ic["messages"] as? [[String: Any]])?.first)
        #expect(m["type"] as? String == "INVOIC")
        #expect(m["segment_count"] as? Int == 24)
        #expect(m["declared_segment_count"] as? Int == 24)
        let first = try #require((m["segments"] as? [[String: Any]])?.first)
        #expect(first["tag"] as? String == "UNH")
        #expect(first["elements"] as? [[String]] == [["1"], ["INVOIC", "D", "97A", "UN"]])
    }

    /// Input arrives in 64 KiB chunks: each chunk must be read once, whether the input is a
    /// file or a pipe (every chunk was once handed to the reader twice).
    @Test func parseReadsEveryChunkOnceFromAFileAndAPipe() async throws {
        let one = try await CLI.run(["edifact", "parse", dir + "synthetic/cusdec_d96b.edi"])
        #expect((one.json.first?["interchanges"] as? [Any])?.count == 1)
        let messages = (0..<3000).map { "UNH+\($0)+CUSDEC:D:96B:UN'BGM+929+X+9'UNT+3+\($0)'" }.joined()
        let big = "UNB+UNOC:3+A+B+260101:1200+1'" + messages + "UNZ+3000+1'"
        #expect(big.utf8.count > 2 << 16)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString).edi")
        try Data(big.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for run in [try await CLI.run(["edifact", "parse", file.path]), try await CLI.run(["edifact", "parse", "-"], stdin: Data(big.utf8))] {
            #expect(run.status == 0, "\(run.stdout.prefix(400))")
            let interchanges = try #require(run.json.first?["interchanges"] as? [[String: Any]])
            #expect(interchanges.count == 1)
            #expect((interchanges.first?["messages"] as? [Any])?.count == 3000)
        }
    }

    @Test func parseExitsOneWithErrorsAndTwoWhenUnreadable() async throws {
        let bad = try await CLI.run(["edifact", "parse", dir + "staedi_orders-with-group.edi"])
        #expect(bad.status == 1)
        let errors = bad.json.first?["errors"] as? [[String: Any]] ?? []
        // The count mismatch (code 29) is found where it is; the envelope checks added for #21 may add others.
        let countError = try #require(errors.first { $0["code"] as? Int == 29 }, "\(errors)")
        #expect(countError["segment_index"] as? Int == 19)
        #expect(countError["offset"] as? Int == 545)
        let missing = try await CLI.run(["edifact", "parse", dir + "no-such.edi"])
        #expect(missing.status == 2)
    }

    @Test func parseWriteParseWithAnotherUNAFromStdin() async throws {
        let parsed = try await CLI.run(["edifact", "parse", dir + "staedi_invoic_d97b_una.edi"])
        let written = try await CLI.run(["edifact", "write", "--una", ":+,? '", "-"], stdin: Data(parsed.stdout.utf8))
        #expect(written.status == 0)
        #expect(written.stdout.hasPrefix("UNA:+,? '\nUNB+UNOA:3+005435656:1+006415160:1+060515:1434+00000000000778'\n"))
        let again = try await CLI.run(["edifact", "parse", "-"], stdin: Data(written.stdout.utf8))
        #expect(again.status == 0)
        let a = (parsed.json.first?["interchanges"] as? [[String: Any]])?.first?["messages"] as? [[String: Any]]
        let b = (again.json.first?["interchanges"] as? [[String: Any]])?.first?["messages"] as? [[String: Any]]
        #expect((a?.first?["segments"] as? [Any])?.count == (b?.first?["segments"] as? [Any])?.count)
        #expect(try JSONSerialization.data(withJSONObject: a?.first?["segments"] ?? [], options: .sortedKeys) == JSONSerialization.data(withJSONObject: b?.first?["segments"] ?? [], options: .sortedKeys))
    }

    @Test func validateAgainstAGrammar() async throws {
        let good = try await CLI.run(["edifact", "validate", dir + "synthetic/cusdec_d96b.edi", "--grammar", "D96B"])
        #expect(good.status == 0, "\(good.stdout)")
        let bad = try await CLI.run(["edifact", "validate", dir + "staedi_invoic_d97b_bad.edi"])
        #expect(bad.status == 1)
        let m = try #require((bad.json.first?["messages"] as? [[String: Any]])?.first)
        let codes = (m["errors"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? Int }
        #expect(codes == [39, 37, 37, 35])
        let none = try await CLI.run(["edifact", "validate", dir + "php-edifact_exampleMulti.edi"])
        #expect(none.status == 1)
        #expect(none.stdout.contains("no grammar for PAORES"))
    }

    @Test func contrlForABadCountAndReadingItBack() async throws {
        let r = try await CLI.run(["edifact", "contrl", dir + "pydifact_aperak_v3.edi", "--syntax", "3", "--control-ref", "ACK9"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("UNH+1+CONTRL:D:3:UN'UCI+000000002+RECEIVERID+SENDERID+7'UCM+1+APERAK:D:96A:UN+4+29+UNT'"))
        #expect(r.stdout.contains("UNZ+1+ACK9'"))
        let back = try await CLI.run(["edifact", "contrl", "--read", "-"], stdin: Data(r.stdout.utf8))
        #expect(back.status == 1)
        let report = try #require(back.json.first)
        #expect(report["interchange_ref"] as? String == "000000002")
        #expect((report["messages"] as? [[String: Any]])?.first?["code"] as? String == "29")
    }
}
