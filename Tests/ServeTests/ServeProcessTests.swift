import AsyncHTTPClient
import ChildProcess
import Digests
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Store
import StorePostgres
import Synchronization
import Testing

let repoRoot = HubBinary.repository

/// A gateway stand-in in the test process: it records every filing it is sent (adapter, key, when)
/// and answers as EasyPost (201 with an id) and CDS (202) do, so the relay settles each as delivered.
final class CountingGateway: Sendable {
    struct Receipt: Sendable { var adapter: String; var key: String; var at: Date }
    private let receipts = Mutex<[Receipt]>([])
    private let port = Mutex(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    /// A tick per arrival, so a test waits on the arrivals themselves.
    private let arrivals = EventTicks()
    var all: [Receipt] { receipts.withLock { $0 } }
    func url(_ adapter: String) -> String { "http://127.0.0.1:\(port.withLock { $0 })/gw/\(adapter)" }

    func start() async throws {
        let router = Router()
        router.post("/gw/{adapter}") { request, context -> Response in
            let adapter = context.parameters.get("adapter") ?? ""
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? request.headers[HTTPField.Name("X-Conversation-ID")!] ?? ""
            var incoming = request
            _ = try await incoming.collectBody(upTo: 1 << 20)
            self.receipts.withLock { $0.append(Receipt(adapter: adapter, key: key, at: Date())) }
            self.arrivals.tick()
            if adapter == "easypost" {
                return Response(status: .created, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"id\":\"shp_\(abs(key.hashValue))\"}")))
            }
            return Response(status: .accepted)
        }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  ready.continuation.yield(channel.localAddress?.port ?? 0)
                                  ready.continuation.finish()
                              })
        task.withLock { $0 = Task { try await app.runService() } }
        for await p in ready.stream { port.withLock { $0 = p } }
    }

    func stop() { task.withLock { $0 }?.cancel() }

    /// Returns once the receipts satisfy `done`, woken by each arrival; fails after `seconds`.
    func wait(_ seconds: Double, for what: String, until done: @escaping @Sendable ([Receipt]) -> Bool) async throws {
        try await arrivals.wait(seconds, for: "\(what) (\(all.count) filings arrived)") { done(self.all) }
    }

    /// The most filings of one adapter that arrived in any one wall-clock second.
    func busiestSecond(_ adapter: String) -> Int {
        Dictionary(grouping: all.filter { $0.adapter == adapter }, by: { Int($0.at.timeIntervalSince1970) }).values.map(\.count).max() ?? 0
    }
}

struct ServeFailure: Error, CustomStringConvertible { var description: String }

/// One `customs-hub serve --config FILE` process.
struct ServeProcess: Sendable {
    let process: ChildProcess.Running
    let base: String

    /// Starts serve with `config` on a port it picks itself, and returns once it says it is ready
    /// (it listens first, then says "ready" when its engines are loaded); with `waitForReady` false,
    /// as soon as it listens.
    static func start(config: String, directory: URL, name: String, environment extra: [String: String] = [:],
                      waitForReady: Bool = true) async throws -> ServeProcess {
        let file = directory.appendingPathComponent("\(name).yaml")
        try ("port: 0\n" + config).write(to: file, atomically: true, encoding: .utf8)
        var environment = HubBinary.environment(extra)
        environment["CUSTOMS_HUB_HOME"] = repoRoot.path
        let process = try ChildProcess.start(HubBinary.url, ["serve", "--config", file.path], directory: directory, environment: environment)
        @Sendable func listening(_ output: String) -> Substring? {
            output.split(separator: "\n").lazy.compactMap { line in line.range(of: "listening on ").map { line[$0.upperBound...] } }.first
        }
        do {
            let output = try await process.waitForOutput(240, "serve to listen") { listening($0) != nil }
            if waitForReady { _ = try await process.waitForOutput(240, "serve to be ready") { $0.contains("ready: engines loaded in ") } }
            return ServeProcess(process: process, base: String(listening(output)!))
        } catch {
            await process.stop()
            throw error
        }
    }

    func call(_ method: HTTPMethod, _ path: String, key: String = ServeFixtures.apiKey, body: [UInt8]? = nil,
              contentType: String = "application/json", client: HTTPClient) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        if let body {
            request.headers.add(name: "content-type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}

enum ServeFixtures {
    /// A fresh folder and a started counting gateway for one serve process; `cleanUp` stops and removes them.
    static func folderAndGateway() async throws -> (URL, CountingGateway) {
        let dir = try directory()
        let gateway = CountingGateway()
        do { try await gateway.start() } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        return (dir, gateway)
    }

    static func cleanUp(_ dir: URL, _ gateway: CountingGateway) {
        gateway.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    static let apiKey = "serve-test-key"

    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The configuration both tests share: one tenant, EasyPost and CDS pointed at the gateway with
    /// no credentials and the given rate, the model above, JSON logs at warning.
    static func config(database: String, model: URL, gateway: CountingGateway, rate: Int, burst: Int, extra: String = "") -> String {
        let hash = Digests.sha256(apiKey)
        return """
            database: \(database)
            model: \(model.path)
            log_level: warning
            reload_seconds: 0
            tenants:
              - {id: serve-test, name: Serve test, key_sha256: \(hash)}
            adapters:
              easypost: {endpoint: "\(gateway.url("easypost"))", auth: none, rate_per_second: \(rate), burst: \(burst)}
              uk-cds: {endpoint: "\(gateway.url("uk-cds"))", auth: none, rate_per_second: \(rate), burst: \(burst)}

            """ + extra
    }

    /// The GB apparel fixture (filed to EasyPost and CDS without review) under another key.
    static func order(_ n: Int) throws -> [UInt8] {
        let data = try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))
        guard var o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw CocoaError(.fileReadCorruptFile) }
        o["idempotency_key"] = "serve-\(n)"
        o["external_reference"] = "S-\(n)"
        return Array(try JSONSerialization.data(withJSONObject: o))
    }
}

@Suite("customs-hub serve as a process: configuration, metrics, two instances on PostgreSQL", .serialized, .timeLimit(.minutes(10)))
struct ServeProcessTests {
    @Test("A configuration file moves the adapters to another endpoint and rate; /metrics shows stages, routes, queues, breakers and content ages")
    func configuredServeAndMetrics() async throws {
        let (dir, gateway) = try await ServeFixtures.folderAndGateway()
        defer { ServeFixtures.cleanUp(dir, gateway) }
        let client = HTTPClient.shared
        let model = try await HubBinary.twoChapterModel.value
        let config = ServeFixtures.config(database: dir.appendingPathComponent("hub.sqlite").path, model: model, gateway: gateway, rate: 20, burst: 5)
        let serve = try await ServeProcess.start(config: config, directory: dir, name: "hub")
        do {
            for n in 1...3 {
                let r = try await serve.call(.POST, "/v1/orders", body: try ServeFixtures.order(n), client: client)
                #expect(r.status == 201, "\(r.text)")
            }
            // The configured endpoint, not the adapter file's, receives both filings of every order.
            try await gateway.wait(60, for: "six filings") { $0.count >= 6 }
            #expect(Set(gateway.all.map(\.adapter)) == ["easypost", "uk-cds"])
            #expect(gateway.all.count == 6)

            let metrics = try await serve.call(.GET, "/metrics", client: client).text
            let lines = metrics.split(separator: "\n")
            for stage in ["reserve", "evaluate", "records", "store", "deliver"] {
                #expect(lines.contains { $0.hasPrefix("customs_hub_stage_duration_seconds_count{") && $0.contains("stage=\"\(stage)\"") },
                        "stage \(stage) missing")
            }
            #expect(lines.contains { $0.hasPrefix("http_server_request_duration_count{http_route=\"/v1/orders\"") }, "per-route latency missing")
            #expect(metrics.contains("customs_hub_orders_total"))
            #expect(lines.contains { $0.hasPrefix("customs_hub_deliveries_total{") && $0.contains("adapter=\"uk-cds\"") && $0.contains("event=\"delivered\"") },
                    "delivery outcomes missing")
            // Every filing was delivered: the queues still in play read zero, they do not vanish.
            #expect(metrics.contains(#"customs_hub_outbox_rows{adapter="easypost",state="pending"} 0"#), "\(lines.filter { $0.hasPrefix("customs_hub_outbox_rows") })")
            #expect(metrics.contains("customs_hub_callbacks_waiting"))
            #expect(metrics.contains(#"customs_hub_circuit_breaker_open{adapter="easypost"} 0"#))
            for kind in ["list", "pack", "model"] {
                let ages = lines.filter { $0.hasPrefix("customs_hub_content_age_seconds{") && $0.contains("kind=\"\(kind)\"") }
                #expect(!ages.isEmpty, "no \(kind) age")
                #expect(ages.allSatisfy { Double($0.split(separator: " ").last ?? "") ?? -1 >= 0 }, "\(ages)")
            }
        } catch {
            Issue.record("\(error)\n--- serve output ---\n\(serve.process.output.suffix(3000))")
        }
        await serve.process.stop()
    }

    /// A first start (no model file) trains the classifier, which takes a while: serve listens at
    /// once and says what it is doing, then ready, with the model saved for the next start.
    @Test("A first start listens at once: /livez 200, /healthz and /readyz 503 while the classifier trains, then ready, the model saved")
    func firstStartListensWhileTraining() async throws {
        let (dir, gateway) = try await ServeFixtures.folderAndGateway()
        defer { ServeFixtures.cleanUp(dir, gateway) }
        let client = HTTPClient.shared
        let model = dir.appendingPathComponent("Models/hs-classifier.bin")
        #expect(!FileManager.default.fileExists(atPath: model.path))
        let config = ServeFixtures.config(database: dir.appendingPathComponent("hub.sqlite").path, model: model, gateway: gateway, rate: 20, burst: 5)
        // A cache of its own, empty: the model is trained, not taken from an earlier test's first start.
        let cache = dir.appendingPathComponent("cache")
        // Notice logs: the loader says when the training starts.
        let serve = try await ServeProcess.start(config: config, directory: dir, name: "first",
                                                 environment: ["CUSTOMS_HUB_CACHE": cache.path, "CUSTOMS_HUB_LOG_LEVEL": "notice"],
                                                 waitForReady: false)
        do {
            // With no saved model the load first reads the training content to look in the (empty)
            // cache; the training it then starts is logged.
            _ = try await serve.process.waitForOutput(240, "the training to start") { $0.contains("training one from the content folder") }
            let liveness = try await serve.call(.GET, "/livez", client: client)
            #expect(liveness.status == 200, "\(liveness.text)")
            let live = try #require(try JSONSerialization.jsonObject(with: Data(liveness.text.utf8)) as? [String: Any])
            #expect(live["ready"] as? Bool == false, "\(liveness.text)")
            #expect((live["stage"] as? String)?.contains("training the classifier") == true, "\(liveness.text)")
            let health = try await serve.call(.GET, "/healthz", client: client)
            #expect(health.status == 503 && health.text.contains("training the classifier"), "\(health.status) \(health.text)")
            let early = try await serve.call(.GET, "/readyz", client: client)
            #expect(early.status == 503 && early.text.contains("training the classifier"), "\(early.status) \(early.text)")

            _ = try await serve.process.waitForOutput(480, "the classifier to train") { $0.contains("ready: engines loaded in ") }
            #expect(try await serve.call(.GET, "/readyz", client: client).status == 200)
            #expect(FileManager.default.fileExists(atPath: model.path), "the trained model was not saved")
            // Kept in the cache too, for the next first start of this program on the same content.
            let cached = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("hs-classifier-") }
            #expect(cached.count == 1, "\(cached)")
            let order = try await serve.call(.POST, "/v1/orders", body: try ServeFixtures.order(1), client: client)
            #expect(order.status == 201, "\(order.text)")
        } catch {
            Issue.record("\(error)\n--- serve output ---\n\(serve.process.output.suffix(3000))")
        }
        await serve.process.stop()

        // Another first start (a new model path, as in a new data folder) takes the cached model: no training.
        let again = dir.appendingPathComponent("again/Models/hs-classifier.bin")
        let second = ServeFixtures.config(database: dir.appendingPathComponent("again.sqlite").path, model: again, gateway: gateway, rate: 20, burst: 5)
        let next = try await ServeProcess.start(config: second, directory: dir, name: "again", environment: ["CUSTOMS_HUB_CACHE": cache.path])
        // The same bytes as the cached model (a model trained now would carry another training time).
        let cachedModel = try #require(try FileManager.default.contentsOfDirectory(at: cache, includingPropertiesForKeys: nil).first)
        #expect(try Data(contentsOf: again) == Data(contentsOf: cachedModel), "the model at the new path is not the cached one")
        #expect(try await next.call(.GET, "/readyz", client: client).status == 200)
        #expect(!next.process.output.contains("training one from the content folder"), "\(next.process.output.suffix(2000))")
        await next.process.stop()

        // `classify` in a new data folder takes the same cached model through the same loader: no training.
        let classifyData = dir.appendingPathComponent("classify-data")
        let classified = try await ChildProcess.run(HubBinary.url, ["classify"], input: .data(Data(#"{"description":"cotton t-shirt"}"#.utf8)),
                                                    directory: repoRoot,
                                                    environment: HubBinary.environment(["CUSTOMS_HUB_DATA": classifyData.path, "CUSTOMS_HUB_CACHE": cache.path]))
        #expect(classified.status == 0, "\(classified.stderrText)")
        #expect(classified.stderrText.contains("from the cache"), "\(classified.stderrText)")
        #expect(!classified.stderrText.contains("building it once") && !classified.stderrText.contains("training one"), "\(classified.stderrText)")
        #expect(try Data(contentsOf: classifyData.appendingPathComponent("Models/hs-classifier.bin")) == Data(contentsOf: cachedModel))
        let answer = try #require(try JSONSerialization.jsonObject(with: classified.stdout) as? [String: Any], "\(classified.stdoutText)")
        #expect((answer["hs6"] as? String)?.count == 6, "\(classified.stdoutText)")
    }

    /// The lists shipped with the content are snapshots, years old by nature: `serve --demo` says so
    /// once and its alert check does not count them, so a new user is not greeted by an alarm that
    /// comes from the sample data. (A plain `serve` counts them: ServerTests' AlertTests.)
    @Test("serve --demo says the shipped list snapshots are old, once, and its alert check counts no stale list")
    func demoDoesNotAlertOnShippedListSnapshots() async throws {
        let dir = try await HubBinary.seededDataFolder("customs-hub-demo-lists")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try await HubBinary.twoChapterModel.value.path
        // Debug logs: the alert monitor logs the values it judged at each check.
        let environment = HubBinary.environment(["CUSTOMS_HUB_HOME": repoRoot.path, "CUSTOMS_HUB_DATA": dir.path, "CUSTOMS_HUB_LOG_LEVEL": "debug"])
        let serve = try ChildProcess.start(HubBinary.url, ["serve", "--demo", "--demo-orders", "1", "--port", "0",
                                                           "--db", dir.appendingPathComponent("hub.sqlite").path, "--model", model],
                                           directory: dir, environment: environment)
        do {
            let noted = try await serve.waitForOutput(240, "the demo's word on the list snapshots") { $0.contains("sanctions lists: the snapshots shipped with the hub") }
            let note = try #require(noted.split(separator: "\n").first { $0.contains("sanctions lists: the snapshots shipped with the hub") })
            #expect(note.contains("ofac_sdn 2023-12-28") && note.contains("data update"), "\(note)")
            // The monitor's first check comes 30 s after the start.
            let checked = try await serve.waitForOutput(120, "the first alert check") { $0.contains("alerts checked") }
            let line = try #require(checked.split(separator: "\n").first { $0.contains("alerts checked") })
            #expect(line.contains(#""kpi.stale_lists":"0.0""#), "\(line)")
            #expect(!checked.contains("alert firing: stale-sanctions-list"), "\(checked.suffix(3000))")
            #expect(checked.components(separatedBy: "sanctions lists: the snapshots shipped").count == 2, "said more than once")
        } catch {
            Issue.record("\(error)\n--- serve output ---\n\(serve.output.suffix(3000))")
        }
        await serve.stop()
    }

    /// A new user reads `serve --demo`'s output as events: its info logs (one JSON line per order
    /// accepted and per callback, the servers' start) were mixed into them. The demo logs at
    /// warning unless a level is configured; plain `serve` keeps its info logs (ServerTests).
    @Test("serve --demo prints readable events, without a JSON log line per order")
    func demoPrintsEventsWithoutInfoLogs() async throws {
        let dir = try await HubBinary.seededDataFolder("customs-hub-demo-quiet")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try await HubBinary.twoChapterModel.value.path
        var environment = HubBinary.environment(["CUSTOMS_HUB_HOME": repoRoot.path, "CUSTOMS_HUB_DATA": dir.path])
        environment["CUSTOMS_HUB_LOG_LEVEL"] = nil
        let serve = try ChildProcess.start(HubBinary.url, ["serve", "--demo", "--demo-orders", "2", "--port", "0",
                                                           "--db", dir.appendingPathComponent("hub.sqlite").path, "--model", model],
                                           directory: dir, environment: environment)
        do {
            // The second order's line comes after the server took (and, before, logged) both.
            let pushed = try await serve.waitForOutput(240, "the demo's two orders") { $0.components(separatedBy: "\npushed ").count == 3 }
            #expect(pushed.contains("ready: engines loaded in "), "\(pushed.suffix(3000))")
            let logs = pushed.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(logs.isEmpty, "\(logs)")
            #expect(!pushed.contains("order accepted"), "\(pushed.suffix(3000))")
        } catch {
            Issue.record("\(error)\n--- serve output ---\n\(serve.output.suffix(3000))")
        }
        await serve.stop()
    }

    @Test("A bad file stops serve with file:line: field: problem and exit 3, before it listens")
    func badConfigurationExitsThree() async throws {
        let dir = try ServeFixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        let cases: [(String, String)] = [
            ("port: 0\nadapters:\n  easypost: {enabled: true}\n  nope: {enabled: false}\n", "bad.yaml:4: adapters.nope: no such adapter"),
            ("port: 0\nthresholds:\n  risk_review: 1.5\n", "bad.yaml:3: thresholds.risk_review: expected a number from 0 to 1"),
            ("port: 0\ncolour: blue\n", "bad.yaml:2: colour: unknown setting"),
        ]
        for (text, expected) in cases {
            try text.write(to: file, atomically: true, encoding: .utf8)
            var environment = HubBinary.environment()
            environment["CUSTOMS_HUB_HOME"] = repoRoot.path
            let r = try await ChildProcess.run(HubBinary.url, ["serve", "--config", file.path, "--db", dir.appendingPathComponent("hub.sqlite").path],
                                               directory: dir, environment: environment)
            #expect(r.status == 3, "\(r.stderrText)")
            #expect(r.stderrText.contains(file.path.replacingOccurrences(of: "bad.yaml", with: "") + expected), "\(r.stderrText)")
        }
    }

    /// An unknown OCR setting stops serve at start with the message `extract` gives, not at its first scan.
    @Test("An unknown OCR setting stops serve with environment:0: NAME: problem and exit 3")
    func unknownOCRSettingExitsThree() async throws {
        let dir = try ServeFixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await ChildProcess.run(HubBinary.url, ["serve", "--port", "0", "--db", dir.appendingPathComponent("hub.sqlite").path], directory: dir,
                                           environment: HubBinary.environment(["CUSTOMS_HUB_HOME": repoRoot.path, "CUSTOMS_HUB_OCR_REPAIRS": "overrun"]))
        #expect(r.status == 3, "\(r.stderrText)")
        #expect(r.stderrText.contains("customs-hub serve: environment:0: CUSTOMS_HUB_OCR_REPAIRS: unknown value 'overrun'"), "\(r.stderrText)")
    }

    /// A database in a folder that does not exist (`--database .demo/hub.sqlite` before `mkdir .demo`)
    /// is said once, with exit 3: serve added `cannot open the store: ExitCode(rawValue: 3)`.
    @Test("A database in a missing folder stops serve with one line naming the folder and exit 3")
    func databaseInAMissingFolderIsSaidOnce() async throws {
        let dir = try ServeFixtures.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no-such-folder/hub.sqlite").path
        let r = try await ChildProcess.run(HubBinary.url, ["serve", "--demo", "--port", "0", "--database", missing], directory: dir,
                                           environment: HubBinary.environment(["CUSTOMS_HUB_HOME": repoRoot.path]))
        #expect(r.status == 3, "\(r.stderrText)")
        #expect(r.stderrText.contains("the folder \(dir.path)/no-such-folder does not exist"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("ExitCode"), "\(r.stderrText)")
    }

    /// Issue #17: a broken supplier template stops serve at start, naming its file, line and field.
    /// The content root is the repository's, linked entry by entry (the adapters, mappings and
    /// schemas copied: the catalog does not follow links), with a templates folder of its own.
    @Test("A broken supplier template stops serve with file:line: field: problem and exit 3")
    func badSupplierTemplateExitsThree() async throws {
        let fm = FileManager.default
        let dir = try ServeFixtures.directory()
        defer { try? fm.removeItem(at: dir) }
        let home = dir.appendingPathComponent("home")
        try fm.createDirectory(at: home.appendingPathComponent("Data/documents/templates"), withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: repoRoot.path) where !name.hasPrefix(".") && name != "Data" {
            if ["Adapters", "Mappings", "Schemas"].contains(name) {
                try fm.copyItem(at: repoRoot.appendingPathComponent(name), to: home.appendingPathComponent(name))
            } else {
                try fm.createSymbolicLink(at: home.appendingPathComponent(name), withDestinationURL: repoRoot.appendingPathComponent(name))
            }
        }
        let data = repoRoot.appendingPathComponent("Data")
        for name in try fm.contentsOfDirectory(atPath: data.path) where name != "documents" {
            try fm.createSymbolicLink(at: home.appendingPathComponent("Data/\(name)"), withDestinationURL: data.appendingPathComponent(name))
        }
        try "supplier: X\nmatch:\n  names: [X Ltd]\nregions:\n  total: {page: 1, box: [0.5, 0.2, 1.4, 0.3]}\n"
            .write(to: home.appendingPathComponent("Data/documents/templates/x.yaml"), atomically: true, encoding: .utf8)
        var environment = HubBinary.environment()
        environment["CUSTOMS_HUB_HOME"] = home.path
        let r = try await ChildProcess.run(HubBinary.url, ["serve", "--port", "0", "--db", dir.appendingPathComponent("hub.sqlite").path],
                                           directory: dir, environment: environment)
        #expect(r.status == 3, "\(r.stderrText)")
        #expect(r.stderrText.contains("Data/documents/templates/x.yaml:5: regions.total.box[2]: expected a fraction of the page from 0 to 1"), "\(r.stderrText)")
    }

    /// Issue #14: two serve processes on one PostgreSQL database, 1,000 orders posted alternately to
    /// both; each filing reaches the gateway once, and the gateway never sees more filings of an
    /// adapter in one second than the shared token bucket allows (the rate, plus the burst).
    @Test("Two serve processes on one PostgreSQL: 1,000 orders, each filing delivered once, the adapter's rate held across both")
    func twoServesOnOnePostgres() async throws {
        guard let base = ProcessInfo.processInfo.environment["CUSTOMS_HUB_POSTGRES_URL"], !base.isEmpty else {
            if ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_POSTGRES"] != nil {
                Issue.record("CUSTOMS_HUB_REQUIRE_POSTGRES is set but CUSTOMS_HUB_POSTGRES_URL is not: PostgreSQL did not start")
            }
            return
        }
        let orders = ProcessInfo.processInfo.environment["CUSTOMS_HUB_TWO_SERVE_ORDERS"].flatMap(Int.init) ?? 1000
        let rate = 80, burst = 5
        let schema = "serve_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let database = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        let (dir, gateway) = try await ServeFixtures.folderAndGateway()
        defer { ServeFixtures.cleanUp(dir, gateway) }
        let client = HTTPClient.shared
        let model = try await HubBinary.twoChapterModel.value
        let config = ServeFixtures.config(database: database, model: model, gateway: gateway, rate: rate, burst: burst)
        // The first creates the schema; the second starts on it.
        let first = try await ServeProcess.start(config: config, directory: dir, name: "one")
        let second: ServeProcess
        do { second = try await ServeProcess.start(config: config, directory: dir, name: "two") } catch {
            await first.process.stop()
            throw error
        }
        let serves = [first, second]
        let started = ContinuousClock.now
        do {
            // Eight clients at a time, alternating between the two processes.
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var answered: [Int] = []
                        for n in stride(from: worker, to: orders, by: 8) {
                            answered.append(try await serves[n % 2].call(.POST, "/v1/orders", body: try ServeFixtures.order(n), client: client).status)
                        }
                        return answered
                    }
                }
                var all: [Int: Int] = [:]
                for try await answered in group { for s in answered { all[s, default: 0] += 1 } }
                return all
            }
            #expect(statuses == [201: orders])
            let posted = ContinuousClock.now
            // Both adapters at `rate` a second: about orders / rate seconds; the wait only tells never from slow.
            try await gateway.wait(Double(orders) / Double(rate) * 3 + 60, for: "every filing") { receipts in
                Set(receipts.map { $0.adapter + " " + $0.key }).count >= 2 * orders
            }
            // Stopped gracefully, neither process can send again: what the gateway holds now is final.
            await first.process.stop()
            await second.process.stop()
            let receipts = gateway.all
            print("two serves: \(orders) orders posted in \(posted - started), \(receipts.count) filings received \(ContinuousClock.now - posted) later")
            for adapter in ["easypost", "uk-cds"] {
                let keys = receipts.filter { $0.adapter == adapter }.map(\.key)
                #expect(keys.count == orders, "\(adapter): \(keys.count) filings received for \(orders) orders")
                #expect(Set(keys).count == keys.count, "\(adapter): a filing was delivered twice")
                #expect(gateway.busiestSecond(adapter) <= rate + burst, "\(adapter): \(gateway.busiestSecond(adapter)) in one second")
            }
            let store = try PostgresStore(url: database)
            let stats = try await store.stats()
            #expect(stats.count(.delivered) == 2 * orders)
            // Both processes did deliveries.
            var workers = Set<String>()
            for row in try await store.messages(.all).prefix(400) {
                for attempt in try await store.attempts(messageID: row.id) { workers.insert(attempt.worker) }
            }
            #expect(workers.count == 2, "deliveries by \(workers)")
            try? await store.dropAll()
            try? await store.close()
        } catch {
            Issue.record("\(error)\n--- serve one ---\n\(first.process.output.suffix(2000))\n--- serve two ---\n\(second.process.output.suffix(2000))")
        }
        await first.process.stop()
        await second.process.stop()
    }
}
