import AdapterKit
import AsyncHTTPClient
import ChildProcess
import Classification
import Documents
import Foundation
import Hub
import HubContent
import HubServer
import JSONCore
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Pipeline
import Relay
import SandboxGateway
import ServiceLifecycle
import Store
import StoreSQLite
import Synchronization

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The real content's engines with a classifier trained on a slice of the tariff, so a debug
/// build trains it in seconds.
enum ServerEngines {
    static let loaded: Result<PipelineEngines, any Error> = Result {
        let root = ContentRoot(url: repoRoot)
        let chapters: Set<String> = ["61", "62", "85", "94"]
        let kb = try ClassificationContent.knowledgeBase(root, chapters: chapters)
        let (rulings, parcels, _) = try ClassificationContent.examples(root, nomenclature: kb.nomenclature)
        var options = TrainingOptions()
        options.fusionIterations = 30
        let model = ClassifierTrainer.train(knowledgeBase: kb, examples: (rulings + parcels).filter { chapters.contains(String($0.hs6.prefix(2))) },
                                            trainedAt: "2026-12-01T00:00:00Z", options: options)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-server-model-\(ProcessInfo.processInfo.processIdentifier).bin")
        try ClassificationContent.saveModel(model, to: url)
        var engines = try EngineLoader(root: root, modelPath: url).load(now: Date())
        engines.classifier.reviewThreshold = 0
        return engines
    }
}

/// A whole server on loopback: SQLite store, API, relay to the sandbox gateway, callback worker.
final class TestServer: Sendable {
    let store: SQLiteStore
    let api: HubAPI
    let sandbox: SandboxGateway
    let directory: URL
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    private let task: Mutex<Task<Void, any Error>?> = Mutex(nil)
    private let boundPort = Mutex(0)
    let client: HTTPClient
    /// A tick per callback the worker settles: tests wait on it instead of sleeping.
    let callbacksSettled: EventTicks
    static let secret = "test-callback-secret"

    var base: String { "http://127.0.0.1:\(boundPort.withLock { $0 })" }

    /// `sharing`: a second instance on the first one's database (the first one removes it).
    /// `loading`: the engines are not in when the server listens; they load when the gate opens,
    /// requests that need them waiting up to `startWait`.
    /// `documentWorker`: the child that reads uploaded documents, as `serve` runs it (the real
    /// `customs-hub extract --worker` by default); nil reads them in the test process.
    /// A child read may take minutes of wall time on a CI machine running every suite at once: the
    /// default wall limit is wide, so that only the tests that set their own limit meet one.
    init(limits: APILimits = APILimits(maxBodyBytes: 64 << 10, documentReading: ReadingWorker.Limits(seconds: 600, cpuSeconds: 300)),
         stepMillis: Int = 150, sharing: TestServer? = nil,
         loading gate: EngineLoadGate? = nil, startWait: Duration = .seconds(20),
         documentWorker: DocumentWorkerCommand? = DocumentWorkerCommand(executable: HubBinary.url.path)) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = sharing?.store.path ?? directory.appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path, synchronous: "NORMAL")
        try await store.migrate()
        let engines = try ServerEngines.loaded.get()
        let catalog = engines.catalog
        let secrets = Dictionary(uniqueKeysWithValues: catalog.adapters.keys.map { ($0, Self.secret) })
        let sandbox = SandboxGateway(catalog: catalog, settings: .init(hubURL: "", secrets: secrets, stepMillis: stepMillis))
        try await sandbox.start()
        let hub = Hub(store: store, engines: engines)
        let signal = WorkSignal()
        // The web shop's order webhooks belong to the tenant "alpha".
        let intake = CallbackIntake(store: store, catalog: { catalog }, secrets: secrets, signal: signal, orderTenants: ["shop-webhook": "alpha"])
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let slot = gate.map { gate in HubSlot(patience: startWait, stages: { stage in try await gate.load(hub, stage: stage) }) } ?? HubSlot(ready: hub)
        var api = HubAPI(store: store, slot: slot, callbacks: intake, limits: limits, metrics: HubMetrics(), logger: logger)
        // Learned supplier templates go to this server's own data folder.
        api.templateBook = SupplierTemplateBook(learnedFolder: directory.appendingPathComponent("data/documents/templates", isDirectory: true))
        api.documentWorker = documentWorker
        // HTTP adapters post to the sandbox; file-drop ones write to a folder the sandbox collects from.
        let routes = catalog.adapters.values.compactMap { d -> AdapterRoute? in
            guard case .fileDrop = d.transport else { return try? AdapterRoute(definition: d, url: sandbox.url(adapter: d.id)) }
            let folder = directory.appendingPathComponent("drop/\(d.id)").path
            sandbox.collect(adapter: d.id, directory: folder)
            return try? AdapterRoute(definition: d, url: folder)
        }.map { r -> AdapterRoute in var r = r; r.ratePerSecond = 1000; r.burst = 100; r.auth = .none; return r }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let relay = Relay(store: store, transport: RoutingTransport(http: HTTPClientTransport(client: client)), routes: routes,
                          configuration: RelayConfiguration(owner: "test", maxInFlight: 16), logger: logger)
        let settled = EventTicks()
        let worker = CallbackWorker(intake: intake, logger: logger, onResult: { _ in settled.tick() })
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  ready.continuation.yield(channel.localAddress?.port ?? 0)
                                  ready.continuation.finish()
                              }, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app, relay, worker], logger: logger))
        self.callbacksSettled = settled
        self.directory = directory
        self.store = store
        self.sandbox = sandbox
        self.api = api
        self.client = client
        group.withLock { $0 = serviceGroup }
        task.withLock { $0 = Task { try await serviceGroup.run() } }
        var port = 0
        for await p in ready.stream { port = p }
        boundPort.withLock { $0 = port }
        sandbox.setHubURL(base)
        try await store.saveTenant(id: "alpha", name: "Alpha", keySHA256s: [HubAPI.keyHash("alpha-key")], now: 0)
        try await store.saveTenant(id: "beta", name: "Beta", keySHA256s: [HubAPI.keyHash("beta-key")], now: 0)
    }

    func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
        await sandbox.stop()
        try? await client.shutdown()
        try? await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    struct Answer {
        var status: Int
        var contentType: String
        var body: String
        var retryAfter: String? = nil
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    }

    func call(_ method: HTTPMethod, _ path: String, key: String? = "alpha-key", body: [UInt8]? = nil, headers: [String: String] = [:],
              contentType: String = "application/json") async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body {
            request.headers.add(name: "content-type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        // Reading a scan (in a child, on a loaded CI machine) may take minutes; other calls answer in seconds.
        let response = try await client.execute(request, timeout: path.hasPrefix("/v1/documents") ? .seconds(600) : .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), contentType: response.headers.first(name: "content-type") ?? "",
                      body: String(buffer: bytes), retryAfter: response.headers.first(name: "retry-after"))
    }

    /// The GB apparel fixture under another idempotency key and merchant. It keeps the merchant's
    /// national codes (CDS needs 8 digits, which the classifier alone may not give), so it is filed
    /// to EasyPost and CDS without review.
    static func order(key: String, merchant: String = "alpha-shop") throws -> [UInt8] {
        let bytes = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json")))
        guard case .object(var o) = try JSONParser.parse(bytes) else { throw HubError.invalid("fixture") }
        o["idempotency_key"] = .string(key)
        o["external_reference"] = .string("T-\(key)")
        o["merchant_id"] = .string(merchant)
        return Array(JSONWriter.write(.object(o)).utf8)
    }
}

/// A new temporary folder and the `hub.yaml` path in it, for a test's server configuration; the
/// caller removes the folder.
func scratchConfig() throws -> (dir: URL, file: URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (dir, dir.appendingPathComponent("hub.yaml"))
}

/// Holds a test server's engine load at the stage a first start spends longest in, until the test
/// opens the gate (the load ends with the hub) or fails it (the load ends with that error).
final class EngineLoadGate: Sendable {
    static let stage = EngineLoader.ClassifierSource.training.stage
    private let outcome = AsyncStream<Result<Void, HubError>>.makeStream()

    func open() { outcome.continuation.yield(.success(())) }
    func fail(_ error: HubError) { outcome.continuation.yield(.failure(error)) }

    func load(_ hub: Hub, stage: @Sendable (String) -> Void) async throws -> Hub {
        stage(Self.stage)
        for await result in outcome.stream {
            try result.get()
            return hub
        }
        throw CancellationError()
    }
}
