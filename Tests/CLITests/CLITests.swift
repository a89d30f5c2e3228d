import Foundation
import ChildProcess
import Testing

/// Runs the real `customs-hub` binary, as integrators and CI scripts do.
enum CLI {
    static let root = HubBinary.repository
    static var binary: URL { HubBinary.url }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    /// The environment of a run that names none: the test's own, with a data folder of this test
    /// process instead of the user's (what the commands write, a trained model or the screening
    /// index, stays out of their home and is shared by the tests of one run only).
    static var isolated: [String: String] { HubBinary.environment() }

    static func run(_ arguments: [String], stdin: Data? = nil, cwd: URL = root, environment: [String: String]? = nil) async throws -> Result {
        let child = try await ChildProcess.run(binary, arguments, input: .data(stdin ?? Data()), directory: cwd, environment: environment ?? isolated)
        return Result(status: child.status, stdout: child.stdoutText, stderr: child.stderrText)
    }
}

@Suite(.serialized, .timeLimit(.minutes(10))) struct ValidateCommandTests {
    @Test func validOrderExitsZero() async throws {
        let r = try await CLI.run(["validate", "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"])
        #expect(r.status == 0)
        #expect(r.json.first?["valid"] as? Bool == true)
        #expect(r.json.first?["external_reference"] as? String == "NW-100231")
    }

    @Test func invalidOrderExitsOneWithProblemsAsJSON() async throws {
        let r = try await CLI.run(["validate", "Fixtures/orders/invalid/gb-missing-weights.json"])
        #expect(r.status == 1)
        let problems = r.json.first?["problems"] as? [[String: Any]] ?? []
        #expect(problems.contains { $0["path"] as? String == "lines[1].net_weight" && $0["code"] as? String == "required_by_destination" })
        #expect(problems.allSatisfy { $0["message"] is String })
    }

    /// An order that is not JSON is a refused record (exit 1, its own line); a file that cannot be opened is exit 2.
    @Test func notJSONIsRefusedAndUnreadableInputExitsTwo() async throws {
        let malformed = try await CLI.run(["validate", "Fixtures/orders/invalid/malformed.json"])
        #expect(malformed.status == 1)
        let error = malformed.json.first?["error"] as? [String: Any]
        #expect(error?["line"] as? Int == 5)
        let missing = try await CLI.run(["validate", "Fixtures/orders/no-such-file.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.json"))
    }

    @Test func jsonLinesFromStdinGiveOneLinePerRecordInOrder() async throws {
        func compact(_ path: String) throws -> Data {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: CLI.root.appendingPathComponent(path)))
            return try JSONSerialization.data(withJSONObject: object)
        }
        var input = Data()
        input += try compact("Fixtures/orders/valid/jp-b2c-ceramics-jpy.json") + Data("\n".utf8)
        input += try compact("Fixtures/orders/invalid/gift-from-business.json") + Data("\n\n".utf8)
        input += Data("{not json}\n".utf8)
        input += try compact("Fixtures/orders/valid/no-b2c-voec-lamp.json") + Data("\n".utf8)
        let r = try await CLI.run(["validate", "-"], stdin: input)
        let lines = r.json
        #expect(lines.count == 4)
        #expect(lines.map { $0["line"] as? Int } == [1, 2, 4, 5])
        #expect(lines.map { $0["valid"] as? Bool } == [true, false, false, true])
        #expect(lines[2]["error"] != nil)
        #expect(r.status == 1)
    }

    @Test func findsContentFromAnotherDirectoryThroughTheEnvironment() async throws {
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_HOME"] = CLI.root.path
        let file = CLI.root.appendingPathComponent("Fixtures/orders/valid/ch-b2c-cuckoo-clock.json").path
        let r = try await CLI.run(["validate", file], cwd: URL(fileURLWithPath: NSTemporaryDirectory()), environment: env)
        #expect(r.status == 0)
    }

    /// `--adapter` naming no adapter is a wrong argument, answered before any input is read (exit 2,
    /// the ids there are, the command's usage), on every command that takes one, as on `outbox relay`.
    @Test(arguments: [["render"], ["ingest"], ["callbacks", "receive"]])
    func anUnknownAdapterIsBadUsage(_ command: [String]) async throws {
        let name = (["customs-hub"] + command).joined(separator: " ")
        let r = try await CLI.run(command + ["--adapter", "no-such-adapter", "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"])
        #expect(r.status == 2, "\(name): exit \(r.status): \(r.stdout) \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(name): \(r.stdout)")
        #expect(r.stderr.hasPrefix("\(name): --adapter no-such-adapter: no adapter no-such-adapter; known: ") && r.stderr.contains("uk-cds"), "\(r.stderr)")
        #expect(r.stderr.contains("Usage: \(name)"), "\(r.stderr)")
    }

    @Test func helpListsEveryCommandWithAPurpose() async throws {
        let r = try await CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("validate") && r.stdout.contains("Check canonical orders"))
        // The conventions are said once: the folders and --progress only in the footer every command shares.
        #expect(r.stdout.components(separatedBy: "CUSTOMS_HUB_HOME").count == 2, "\(r.stdout)")
        #expect(r.stdout.components(separatedBy: "--progress").count == 2, "\(r.stdout)")
    }
}

/// One name for an order on the command line and over HTTP: `id`, as `GET /v1/orders` lists it.
/// `submit`, `orders list` and `orders show` printed only `order_id`; they keep it beside `id` (the
/// same number), deprecated, for the scripts that read it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct OrderNameTests {
    @Test func submitListAndShowNameTheOrderId() async throws {
        let data = try await HubBinary.seededDataFolder("customs-hub-order-name")
        defer { try? FileManager.default.removeItem(at: data) }
        let model = try await HubBinary.twoChapterModel.value
        let database = data.appendingPathComponent("hub.sqlite").path
        let env = HubBinary.environment(["CUSTOMS_HUB_DATA": data.path])
        let submitted = try await CLI.run(["submit", "Fixtures/orders/valid/gb-b2c-apparel-from-cn.json", "--database", database, "--model", model.path],
                                          environment: env)
        #expect(submitted.status == 0 || submitted.status == 1, "\(submitted.stderr)")
        let answer = try #require(submitted.json.first)
        let id = try #require(answer["order_id"] as? Int)
        #expect(answer["id"] as? Int == id)
        let listed = try await CLI.run(["orders", "list", "--database", database], environment: env)
        #expect(listed.status == 0, "\(listed.stderr)")
        let row = try #require(listed.json.first)
        #expect(row["id"] as? Int == id && row["order_id"] as? Int == id, "\(listed.stdout)")
        let shown = try await CLI.run(["orders", "show", String(id), "--database", database], environment: env)
        #expect(shown.status == 0, "\(shown.stderr)")
        let order = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(order["id"] as? Int == id && order["order_id"] as? Int == id)
    }
}
