import Foundation
import ChildProcess
import Testing

/// Runs the real `customs-hub xml …` binary from the repo root, as CI scripts would.
enum XMLCLIRun {
    static let root = HubBinary.repository
    static var binary: URL { HubBinary.url }

    static func run(_ arguments: [String], stdin: Data = Data()) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try await ChildProcess.run(binary, arguments, input: .data(stdin), directory: root, environment: CLI.isolated)
        return (child.status, child.stdoutText, child.stderrText)
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct XMLCommandTests {
    @Test func validSampleExitsZero() async throws {
        let r = try await XMLCLIRun.run(["xml", "validate", "--schema", "cds-declaration", "Fixtures/xml/hmrc-cds/TT_IM001a_import_declaration.xml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func invalidSampleExitsOneWithPositions() async throws {
        let r = try await XMLCLIRun.run(["xml", "validate", "--schema", "ics-ens", "Fixtures/xml/hmrc-ics/CC315A_full_ens.xml"])
        #expect(r.status == 1)
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(issues.count == 5)
        #expect(issues.first?["line"] as? Int == 61)
        #expect(issues.allSatisfy { $0["message"] is String && $0["column"] is Int })
    }

    @Test func malformedInputExitsOneAndUnreadableExitsTwo() async throws {
        let bad = try await XMLCLIRun.run(["xml", "validate", "--schema", "cds-declaration", "-"], stdin: Data("<a>\n<b></a>".utf8))
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("\"line\":2"))
        let missing = try await XMLCLIRun.run(["xml", "validate", "--schema", "cds-declaration", "Fixtures/xml/no-such-file.xml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.xml"))
        let unknown = try await XMLCLIRun.run(["xml", "validate", "--schema", "no-such-schema", "Fixtures/xml/hmrc-cds/example_02_DMSRCV.xml"])
        #expect(unknown.status == 2)
    }

    @Test func schemasAreListed() async throws {
        let r = try await XMLCLIRun.run(["xml", "schemas"])
        #expect(r.status == 0)
        let names = XMLCLIRun.jsonLines(r.stdout).compactMap { $0["name"] as? String }
        #expect(names.contains("cds-declaration") && names.contains("ics-ens"))
    }

    /// The movement a GB courier filing needs beyond the order (goods location, flight, incoterm place).
    static let movement = ["--set", "goods_location=LHRLHRLHR", "--set", "arrival_transport_id=BA0028", "--set", "incoterm_place=GBLHR"]

    @Test func rendersOrdersThroughTheCatalogAsJSONLines() async throws {
        let order = try Data(contentsOf: XMLCLIRun.root.appendingPathComponent("Fixtures/xml/orders/gb-b2c-cds-ready.json"))
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: order))
        let input = compact + Data("\n{\"not\":\"an order\"}\n".utf8) + compact + Data("\n".utf8)
        let r = try await XMLCLIRun.run(["xml", "render", "--format", "cds", "--sequence", "41"] + Self.movement, stdin: input)
        #expect(r.status == 1)
        let lines = XMLCLIRun.jsonLines(r.stdout)
        #expect(lines.map { $0["line"] as? Int } == [1, 2, 3])
        // The one record convention: a refused order is its `line` and why (`errors`), no `ok` or `index` field.
        #expect(lines.map { $0["errors"] != nil } == [false, true, false])
        #expect(lines.allSatisfy { $0["ok"] == nil && $0["index"] == nil }, "\(lines)")
        #expect(lines[0]["adapter"] as? String == "uk-cds" && lines[0]["schema"] as? String == "cds-declaration")
        // Each order takes the next reference number: the LRN is never a cut of the order reference.
        // A line that is not an order is never rendered and takes no number.
        #expect((lines[0]["xml"] as? String)?.contains("<FunctionalReferenceID>CH0000000041</FunctionalReferenceID>") == true)
        #expect((lines[2]["xml"] as? String)?.contains("<FunctionalReferenceID>CH0000000042</FunctionalReferenceID>") == true)
    }

    /// A filing that breaks a business rule is refused with the rule id and what to set: an ICS
    /// declaration needs its movement's office of first entry, which no adapter file defaults.
    @Test func refusalsNameTheRuleAndTheField() async throws {
        let r = try await XMLCLIRun.run(["xml", "render", "--format", "ics", "--sequence", "1", "Fixtures/xml/orders/gb-b2c-cds-ready.json"])
        #expect(r.status == 1)
        let errors = XMLCLIRun.jsonLines(r.stdout).first?["errors"] as? [[String: Any]] ?? []
        #expect(errors.contains { $0["rule"] as? String == "ICS-OFFICE" && $0["path"] as? String == "--set office_of_first_entry=…" }, "\(errors)")
    }

    @Test func readsNotificationsIntoStatusEvents() async throws {
        let r = try await XMLCLIRun.run(["xml", "status", "Fixtures/xml/hmrc-cds/TT_IM001a_01_DMSACC.xml", "Fixtures/xml/hmrc-cds/example_03_DMSREJ.xml"])
        #expect(r.status == 0, "\(r.stdout)")
        let events = XMLCLIRun.jsonLines(r.stdout).compactMap { $0["event"] as? [String: Any] }
        #expect(events.map { $0["kind"] as? String } == ["accepted", "rejected"])
        #expect(events.first?["reference"] as? String == "7847767E1WB6")
    }

    @Test func rendersICSAndH7AndReadsICSAnswers() async throws {
        let ics = try await XMLCLIRun.run([
            "xml", "render", "--format", "ics", "--sequence", "7", "--prepared-at", "2026-11-21T15:04:00Z",
            "--set", "office_of_first_entry=GB000085", "--set", "expected_arrival=2026-11-22T06:30:00Z", "--set", "place_of_loading=HKHKG",
            "--set", "place_of_unloading=GBLHR", "--set", "conveyance_reference=BA0028", "Fixtures/xml/orders/gb-b2c-cds-ready.json",
        ])
        #expect(ics.status == 0, "\(ics.stdout)")
        let xml = XMLCLIRun.jsonLines(ics.stdout).first?["xml"] as? String ?? ""
        #expect(xml.contains("<DecDatTimHEA114>202611211504</DecDatTimHEA114>"))
        #expect(xml.contains("<ExpDatOfArrFIRENT733>202611220630</ExpDatOfArrFIRENT733>"))

        let h7 = try await XMLCLIRun.run(["xml", "render", "--format", "h7", "--sequence", "3", "--validate", "Fixtures/xml/orders/de-b2c-h7-ioss.json"])
        #expect(h7.status == 0, "\(h7.stdout)")
        #expect(XMLCLIRun.jsonLines(h7.stdout).first?["schema"] as? String == "eu-h7")

        let notEU = try await XMLCLIRun.run(["xml", "render", "--format", "h7", "--sequence", "4", "Fixtures/xml/orders/gb-b2c-cds-ready.json"])
        #expect(notEU.status == 1)
        let errors = XMLCLIRun.jsonLines(notEU.stdout).first?["errors"] as? [[String: Any]] ?? []
        #expect((errors.first?["message"] as? String)?.contains("does not take orders to GB") == true)

        let answers = try await XMLCLIRun.run([
            "xml", "status", "--received-at", "2026-11-21T15:04:00Z", "Fixtures/xml/hmrc-ics/success_response.xml", "Fixtures/xml/hmrc-ics/error_response.xml",
        ])
        #expect(answers.status == 0, "\(answers.stdout)")
        let lines = XMLCLIRun.jsonLines(answers.stdout)
        #expect(lines.first?["correlation_id"] as? String == "87491122139921")
        #expect((lines.last?["event"] as? [String: Any])?["kind"] as? String == "rejected")
    }
}
