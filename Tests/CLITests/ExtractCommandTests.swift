import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct ExtractCommandTests {
    @Test func aCleanInvoiceExitsZeroWithOneJSONObject() async throws {
        let r = try await CLI.run(["extract", "Fixtures/documents/text/invoice-de-boxed.pdf"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try #require(r.json.first)
        let doc = try #require(out["document"] as? [String: Any])
        #expect(doc["invoice_number"] as? String == "RE-2024-0815")
        #expect(doc["invoice_date"] as? String == "2024-04-19")
        #expect(doc["currency"] as? String == "EUR")
        #expect(doc["total"] as? String == "13754.51")
        #expect((doc["lines"] as? [[String: Any]])?.count == 3)
        let fields = try #require(out["fields"] as? [[String: Any]])
        let number = try #require(fields.first { $0["name"] as? String == "invoice_number" })
        #expect(number["page"] as? Int == 1)
        #expect((number["box"] as? [Double])?.count == 4)
        #expect((out["order"] as? [String: Any])?["external_reference"] as? String == "RE-2024-0815")
        #expect((out["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func stdinWorksToo() async throws {
        let data = try Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/documents/text/certificate-en-statement.pdf"))
        let r = try await CLI.run(["extract", "-"], stdin: data)
        #expect(r.status == 0 || r.status == 1)
        let doc = try #require(r.json.first?["document"] as? [String: Any])
        #expect((doc["origin_statement"] as? [String: Any])?["exporter_reference"] as? String == "GB123456789000")
    }

    @Test func aRefusedFileExitsTwoWithTheReason() async throws {
        let r = try await CLI.run(["extract", "Fixtures/documents/small/encrypted.pdf"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("encrypted"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aBadSupplierTemplateStopsWithFileAndFieldExitThree() async throws {
        let fm = FileManager.default
        let home = fm.temporaryDirectory.appendingPathComponent("customs-hub-templates-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: home) }
        try fm.createDirectory(at: home.appendingPathComponent("Data/documents/templates"), withIntermediateDirectories: true)
        try fm.createDirectory(at: home.appendingPathComponent("Schemas"), withIntermediateDirectories: true)
        try fm.copyItem(at: CLI.root.appendingPathComponent("Schemas/order.schema.json"), to: home.appendingPathComponent("Schemas/order.schema.json"))
        try Data("supplier: X\nmatch:\n  names: [X Ltd]\ndefaults:\n  currency: EURO\n".utf8)
            .write(to: home.appendingPathComponent("Data/documents/templates/x.yaml"))
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_HOME"] = home.path
        let r = try await CLI.run(["extract", "Fixtures/documents/text/invoice-de-boxed.pdf"], environment: env)
        #expect(r.status == 3)
        #expect(r.stderr.contains("Data/documents/templates/x.yaml:5: defaults.currency: 'EURO' is not an ISO 4217 currency code"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// An unknown OCR setting is a broken configuration, said with its name and place, even for a
    /// text PDF that needs no OCR: before, it fell back to the standard reading without a word.
    @Test func anUnknownOCRSettingStopsWithItsNameExitThree() async throws {
        for (name, value) in [("CUSTOMS_HUB_OCR_CLEANUP", "despeckel"), ("CUSTOMS_HUB_OCR_ALTERNATIVES", "none")] {
            var env = CLI.isolated
            env[name] = value
            let r = try await CLI.run(["extract", "Fixtures/documents/text/invoice-de-boxed.pdf"], environment: env)
            #expect(r.status == 3, "\(r.stderr)")
            #expect(r.stderr.contains("customs-hub extract: environment:0: \(name): unknown"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }
}
