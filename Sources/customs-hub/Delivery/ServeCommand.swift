import AdapterKit
import ArgumentParser
import AsyncHTTPClient
import Crypto
import Digests
import DocumentExtraction
import Documents
import Foundation
import Hub
import HubContent
import HubServer
import Hummingbird
import JSONCore
import Logging
import NIOCore
import NIOHTTP1
import Pipeline
import Relay
import SandboxGateway
import Screening
import ServiceLifecycle
import Synchronization
import Store
import UnixSignals

/// `customs-hub serve`: the HTTP API, the relay, callback processing and content reload in one
/// service group, stopped gracefully by SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub as a service: HTTP API, relay, callback processing and hot reload.",
        discussion: Help.text(
            """
            Configuration: embedded defaults, then --config FILE (YAML), then CUSTOMS_HUB_* environment variables, then flags. \
            A bad file stops the start with file:line: field: problem (exit 3). \
            --demo creates a demo tenant (key from CUSTOMS_HUB_DEMO_KEY or printed), starts the sandbox gateway on loopback, \
            points every adapter at it, pushes the fixture orders through and prints one line per event. Runs until SIGTERM or \
            SIGINT, which finish the requests in flight.
            """,
            example: "customs-hub serve --demo"))

    @Option(name: .long, help: "Port (default 8080; 0 picks a free one).") var port: Int?
    @Option(name: .long, help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(name: [.customLong("database"), .customLong("db")], help: "postgres://…, sqlite:PATH or a SQLite path (default: $CUSTOMS_HUB_DATABASE, else customs-hub.sqlite in the data folder).")
    var database: String?
    @Option(name: .long, help: "YAML configuration file.") var config: String?
    @Option(name: .long, help: "Classifier model file (default: Models/hs-classifier.bin in the data folder, else in the content folder; trained and saved in the data folder when missing).") var model: String?
    @Option(name: .long, help: "Sentence encoder weights folder, for a model trained with `train --encoder-mode full` or `cascade` (default: $CUSTOMS_HUB_ENCODER).") var encoder: String?
    @Flag(name: .long, help: "Demo: sandbox gateway, demo tenant, fixture orders pushed through.") var demo = false
    @Option(name: .long, help: "With --demo: how many fixture orders to push (default all).") var demoOrders: Int?

    func validate() throws {
        // As the configuration file and CUSTOMS_HUB_PORT are checked: a port out of range is bad usage,
        // not one the system quietly takes modulo 65536.
        if let port, !(0...65535).contains(port) { throw ValidationError("--port: expected a port number from 0 to 65535, got \(port)") }
    }

    func run() async throws {
        var settings: ServerConfig
        do { settings = try ServerConfig.load(file: config) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(3)
        }
        if let port { settings.port = port }
        if let host { settings.host = host }
        if let database { settings.database = database }
        if let model { settings.modelPath = model }
        let level = Logger.Level(rawValue: settings.logLevel(demo: demo)) ?? .info
        LoggingSystem.bootstrap { label in
            var h = JSONLogHandler(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "customs-hub.server")
        let demoMode = demo
        let live: @Sendable (String) -> Void = { line in if demoMode { writeLine(line) } }

        var option = DatabaseOption()
        option.database = settings.database
        let store: any ServerDatabase
        do { store = try option.opened() } catch let said as ExitCode {
            // Already said why (a missing folder, an unreachable PostgreSQL): not again as "ExitCode(rawValue: 3)".
            throw said
        } catch {
            Diagnostics.say("cannot open the store: \(error)")
            throw ExitCode(3)
        }
        // The store runs around the whole command: start-up reads and writes it before the service
        // group exists, and it stops only after the group (HTTP server, relay, workers) drained.
        try await DatabaseOption.running(store) {
            do { try await option.migrate(store) } catch {
                Diagnostics.say("cannot open the store: \(error)")
                throw ExitCode(3)
            }
            try await serve(store: store, settings: settings, logger: logger, live: live)
        }
    }

    /// Everything after the store is open and migrated: engines, relay, HTTP server, until SIGTERM/SIGINT.
    private func serve(store: any ServerDatabase, settings: ServerConfig, logger: Logger, live: @escaping @Sendable (String) -> Void) async throws {
        var settings = settings
        let root: ContentRoot
        do { root = try settings.contentRoot.map { ContentRoot(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? ContentRoot.locate() } catch {
            Diagnostics.say("cannot find the hub's content: \(error)")
            throw ExitCode(3)
        }
        if settings.modelPath == nil {
            // Like every command: the data folder's model, else the content folder's; a new one goes into the data folder.
            let inContent = root.file(ClassificationContentPaths.model)
            let inData = DataFolder.url.appendingPathComponent(ClassificationContentPaths.model)
            settings.modelPath = FileManager.default.fileExists(atPath: inData.path) || !FileManager.default.fileExists(atPath: inContent.path)
                ? try DataFolder.file(ClassificationContentPaths.model).path : inContent.path
        }
        // What the engines' load says (a first start trains the classifier): a notice log for
        // `serve`, a plain line for the demo, whose person would otherwise wait without a word.
        let demoMode = demo
        let say: @Sendable (String) -> Void = { message in if demoMode { Diagnostics.say(message) } else { logger.notice("\(message)") } }
        let loader: EngineLoader
        do {
            var configured = try settings.engineLoader(root: root, log: say)
            configured.screeningCachePath = DataFolder.screeningCache
            configured.modelCacheDirectory = DataFolder.modelCache
            let encoderOption = encoder
            configured.classifierEncoder = { model in EncoderFolder.runTimeEncoder(for: model, option: encoderOption, warn: say) }
            loader = configured
        } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(3)
        }
        // Adapters are needed before the engines (relay routes, callback checks); they load fast.
        let catalog: AdapterCatalog
        do { catalog = try loader.catalog() } catch {
            Diagnostics.say("cannot load the adapters: \(error)")
            throw ExitCode(3)
        }
        do { try settings.check(adapters: Set(catalog.adapters.keys)) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(3)
        }
        // Supplier templates are configuration too: checked here, before the engines load, so a
        // broken one stops the start at once with its file, line and field.
        // Learned ones (from reviewers' corrections) are in the data folder, checked the same way.
        let supplierTemplates: [SupplierTemplate]
        let learnedTemplates = DataFolder.url.appendingPathComponent(SupplierTemplates.learnedFolder, isDirectory: true)
        do { supplierTemplates = try SupplierTemplates.load(root: root.url, learned: learnedTemplates) } catch {
            Diagnostics.say("\(error)")
            throw ExitCode(3)
        }

        var secrets: [String: String] = [:]
        for (id, a) in settings.adapters { if let s = a.callbackSecret { secrets[id] = s } }
        var orderTenants = settings.adapters.compactMapValues(\.tenant)
        let now = Date().millis
        for t in settings.tenants { try await store.saveTenant(id: t.id, name: t.name, keySHA256s: t.keySHA256s, now: now) }

        var keptTenants = Set(settings.tenants.map(\.id))
        var sandbox: SandboxGateway?
        var demoKey: String?
        let workbench = WorkbenchAuth(users: settings.reviewers)
        var demoReviewerToken: String?
        if demo {
            // A demo reviewer (admin: it may also reprocess deliveries) for the workbench at /review.
            let token = ProcessInfo.processInfo.environment["CUSTOMS_HUB_DEMO_REVIEWER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "reviewer_" + WorkbenchAuth.random().prefix(32)
            demoReviewerToken = token
            workbench.add(WorkbenchUser(name: "demo-reviewer", role: .admin, tokenSHA256: WorkbenchAuth.hash(token)))
            let key = ProcessInfo.processInfo.environment["CUSTOMS_HUB_DEMO_KEY"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "demo_" + SymmetricKey(size: .bits128).withUnsafeBytes { Digests.hex($0) }
            demoKey = key
            try await store.saveTenant(id: "demo", name: "Demo tenant", keySHA256s: [HubAPI.keyHash(key)], now: now)
            keptTenants.insert("demo")
            let demoSecret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            for id in catalog.adapters.keys where secrets[id] == nil { secrets[id] = demoSecret }
            // A web shop's order webhooks go to the demo tenant unless configured otherwise.
            for id in catalog.adapters.keys where orderTenants[id] == nil && catalog.webhooksCarryOrders(id) { orderTenants[id] = "demo" }
            let gateway = SandboxGateway(catalog: catalog, settings: .init(hubURL: "", secrets: secrets), onEvent: live)
            try await gateway.start()
            sandbox = gateway
        }

        // Only the configured tenants' keys open the API: one left out of the configuration, or an
        // earlier demo run's, is retired here, not kept working in the database.
        let retired = try await store.retireTenantKeys(keeping: keptTenants)
        if retired > 0 { Diagnostics.say("retired \(retired) API key(s) of tenants no longer configured") }

        // Engines load in the background while the server already listens: /healthz answers at
        // once, /readyz and the requests that need the engines say what the load is doing (a first
        // start trains the classifier) until they are in.
        let slot = HubSlot(patience: .seconds(settings.limits.startWaitSeconds)) { stage in
            var staged = loader
            staged.onStage = stage
            let load = staged
            // Off the concurrency pool: the load is seconds of synchronous work, and the server's
            // requests run on that pool meanwhile.
            let engines = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try load.load(now: Date()) }) }
            }
            stage("replaying reviewers' corrections and allowances")
            // Reference numbers in blocks: no transaction of its own per order for them.
            let hub = Hub(store: store, engines: engines, referenceBlock: 64)
            _ = try await hub.learnStoredCorrections()
            try await hub.loadAllowances()
            return hub
        }
        let signal = WorkSignal()
        let catalogNow: @Sendable () -> AdapterCatalog? = { slot.current?.engines.catalog ?? catalog }
        let intake = CallbackIntake(store: store, catalog: catalogNow, secrets: secrets, signal: signal, orderTenants: orderTenants)
        let metrics = HubMetrics()
        var hubAPI = HubAPI(store: store, slot: slot, callbacks: intake, limits: settings.limits, metrics: metrics, logger: logger, onEvent: live,
                            workbench: workbench)
        hubAPI.templateBook = SupplierTemplateBook(templates: supplierTemplates, learnedFolder: learnedTemplates)
        // Uploaded documents are read by this same program in a child process (`extract --worker`):
        // a crash or a runaway read there costs that upload, not the server. Their temporary files
        // go into the data folder (the temporary folder if it cannot be made).
        let scratch = DataFolder.url.appendingPathComponent("documents/reading", isDirectory: true)
        let scratchMade = (try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)) != nil
        hubAPI.documentWorker = DocumentWorkerCommand(executable: Bundle.main.executablePath ?? CommandLine.arguments[0],
                                                      scratch: scratchMade ? scratch : FileManager.default.temporaryDirectory)
        let api = hubAPI

        // The relay: every enabled HTTP adapter, at its endpoint or the configured / sandbox one.
        var routes: [AdapterRoute] = []
        for (id, definition) in catalog.adapters.sorted(by: { $0.key < $1.key }) {
            let override = settings.adapters[id]
            if override?.enabled == false { continue }
            var isHTTP = false
            if case .http = definition.transport { isHTTP = true }
            if let sandbox, isHTTP {
                // The sandbox needs no account: no credentials are sent to it.
                guard var route = try? AdapterRoute(definition: definition, url: sandbox.url(adapter: id)) else { continue }
                route.auth = .none
                routes.append(route)
            } else if let sandbox {
                // File-drop adapters write their files under a temporary folder in the demo, which
                // the sandbox collects from as the partner would.
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-demo-\(ProcessInfo.processInfo.processIdentifier)/\(id)")
                if let route = try? AdapterRoute(definition: definition, url: folder.path) {
                    routes.append(route)
                    sandbox.collect(adapter: id, directory: folder.path)
                }
            } else if var route = try? AdapterRoute(definition: definition, url: override?.endpoint) {
                if override?.sendCredentials == false { route.auth = .none }
                routes.append(route)
            }
        }
        // Configured rate limits and concurrency over the adapter files' (the demo's too).
        for i in routes.indices {
            guard let override = settings.adapters[routes[i].adapterID] else { continue }
            if let rate = override.ratePerSecond { routes[i].ratePerSecond = rate }
            if let burst = override.burst { routes[i].burst = burst }
            if let n = override.maxConcurrent { routes[i].maxConcurrent = n }
        }
        // Alerts (Data/alerts/rules.json) to the log, and to a webhook through the outbox when
        // CUSTOMS_HUB_ALERT_WEBHOOK_URL is set (signed with CUSTOMS_HUB_ALERT_WEBHOOK_SECRET, Standard Webhooks).
        let environment = ProcessInfo.processInfo.environment
        let alertURL = environment["CUSTOMS_HUB_ALERT_WEBHOOK_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let alertURL {
            var route = AdapterRoute(adapterID: AlertMonitor.webhookAdapter, url: alertURL)
            route.webhookSecret = Array((environment["CUSTOMS_HUB_ALERT_WEBHOOK_SECRET"] ?? "").utf8)
            routes.append(route)
        }
        var alertRules: [AlertRule] = []
        let rulesFile = root.file("Data/alerts/rules.json")
        if let bytes = FileManager.default.contents(atPath: rulesFile.path) {
            do { alertRules = try AlertRule.load(Array(bytes), source: "Data/alerts/rules.json") } catch {
                Diagnostics.say("\(error)")
                throw ExitCode(3)
            }
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let owner = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        // On a shared database (PostgreSQL) every instance takes its tokens from, and obeys the breaker in, the database.
        // File-drop adapters (`file://` routes) write to their folder; the rest go over HTTP.
        let http = RoutingTransport(http: HTTP1Transport(fallback: HTTPClientTransport(client: client)))
        let timed = TimedTransport(inner: http, routes: routes)
        let transport: any Transport = (store as? any AdapterGates).map { SharedGateTransport(inner: timed, gates: $0, routes: routes) } ?? timed
        for route in routes { metrics.breaker(adapter: route.adapterID, open: false) }
        let relay = Relay(store: store, transport: transport, routes: routes,
                          configuration: RelayConfiguration(owner: owner, maxInFlight: settings.relayMaxInFlight),
                          logger: Logger(label: "customs-hub.relay"),
                          onAlert: { alert in
                              metrics.breaker(adapter: alert.adapterID, open: alert.transition.rawValue.contains("open") && !alert.transition.rawValue.contains("close"))
                              logger.warning("circuit breaker \(alert.transition.rawValue)", metadata: ["adapter.id": "\(alert.adapterID)"])
                          },
                          onEvent: { event in
                              metrics.delivery(adapter: event.adapterID, event: event.event)
                              guard event.event == "delivered" || event.event == "dead" else { return }
                              live("filing \(event.filingID.map(String.init) ?? "-") to \(event.adapterID): \(event.event)"
                                   + (event.httpStatus.map { " (HTTP \($0))" } ?? "") + (event.orderState.map { " → order \($0)" } ?? ""))
                          })
        let worker = CallbackWorker(intake: intake, logger: Logger(label: "customs-hub.callbacks"),
                                    onResult: { outcome in
                                        for e in outcome.events {
                                            guard let order = e.orderID, let after = e.orderStateAfter else { continue }
                                            // An `other` event is one the hub does not place; the gateway's own word says what it was.
                                            let said = e.kind == "other" ? (e.rawStatus.map { "\"\($0)\" (no customs status)" } ?? "a status the hub does not place") : e.kind
                                            live("order \(order): \(outcome.adapterID) says \(said) → order \(after)"
                                                 + (after == e.orderStateBefore ? " (unchanged)" : " (was \(e.orderStateBefore ?? "?"))"))
                                        }
                                    })
        let boundPort = AsyncStream<Int>.makeStream()
        let listenHost = settings.host
        let app = Application(router: api.router(), configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "customs-hub"),
                              onServerRunning: { channel in
                                  // Listening, not yet ready (the engines may still load; "ready" follows):
                                  // scripts learn here the port `--port 0` chose.
                                  Diagnostics.say("listening on http://\(listenHost):\(channel.localAddress?.port ?? 0)")
                                  boundPort.continuation.yield(channel.localAddress?.port ?? 0)
                                  boundPort.continuation.finish()
                              }, logger: logger)
        var services: [any Service] = [app, relay, worker]
        // Work that may end on its own (the demo feeder once its orders are in, the reloader when the
        // engines cannot load) must not take the server down with it.
        var mayFinish: [any Service] = []
        services.append(BackgroundService {
            while !Task.isCancelled {
                await metrics.sample(store)
                try? await Task.sleep(for: .seconds(5))
            }
        })
        if !alertRules.isEmpty {
            let monitor = AlertMonitor(rules: alertRules, store: store, logger: Logger(label: "customs-hub.alerts"), webhook: alertURL != nil,
                                       extra: {
                                           // The demo's shipped list snapshots are old by nature: said once at its start, not alerted on.
                                           let stale = slot.current?.engines.screening.staleLists(at: Date(), countingSnapshots: !demoMode).count ?? 0
                                           return ["breakers_open": Double(metrics.breakerStates.values.filter { $0 }.count), "stale_lists": Double(stale)]
                                       })
            services.append(BackgroundService {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(30))
                    _ = try? await monitor.check()
                }
            })
        }
        let reloadSeconds = settings.reloadSeconds
        if reloadSeconds > 0 {
            mayFinish.append(BackgroundService {
                guard let hub = try? await slot.loaded() else { return }
                await HubReloader(hub: hub, loader: loader).run(every: .seconds(reloadSeconds))
            })
        }
        if demo, let sandbox, let demoKey, let reviewerToken = demoReviewerToken {
            let hostName = settings.host
            let demoCount = demoOrders
            mayFinish.append(BackgroundService {
                var port = 0
                for await p in boundPort.stream { port = p }
                let base = "http://\(hostName == "0.0.0.0" ? "127.0.0.1" : hostName):\(port)"
                sandbox.setHubURL(base)
                writeLine("""
                    customs-hub demo on \(base)
                      API key (demo tenant):  \(demoKey)
                      try:  curl -H 'Authorization: Bearer \(demoKey)' \(base)/v1/orders
                            curl -H 'Authorization: Bearer \(demoKey)' \(base)/v1/reviews
                            curl \(base)/metrics    \(base)/readyz    \(base)/openapi.yaml
                      review workbench:  \(base)/review   (reviewer token: \(reviewerToken))
                      sandbox gateway on http://127.0.0.1:\(sandbox.port)
                    """)
                guard let hub = try? await slot.loaded() else { return }
                if let note = DemoFeeder.snapshotNote(hub.engines.screening, at: Date()) { writeLine(note) }
                await DemoFeeder.push(root: root, api: api, tenantKey: demoKey, limit: demoCount, base: base, live: live)
            })
        }
        // Says "ready" once the engines are in; if they cannot load (broken content), the server
        // stops and serve exits 3, as for any broken configuration.
        let engineWatch = EngineWatch(slot: slot, began: ContinuousClock.now)
        mayFinish.append(engineWatch)
        let configured = services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
            + mayFinish.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .ignore) }
        let group = ServiceGroup(configuration: .init(services: configured, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            if !engineWatch.failed { logger.error("server stopped: \(error)") }
        }
        await sandbox?.stop()
        try? await client.shutdown()
        if engineWatch.failed { throw ExitCode(3) }
    }
}

/// Waits for the engines and says "ready" on stderr (scripts wait for that line, or poll
/// `/readyz`); a load that fails is said and ends the service group.
final class EngineWatch: Service, Sendable {
    let slot: HubSlot
    let began: ContinuousClock.Instant
    private let failure = Mutex(false)
    var failed: Bool { failure.withLock { $0 } }

    init(slot: HubSlot, began: ContinuousClock.Instant) { self.slot = slot; self.began = began }

    func run() async throws {
        do {
            _ = try await slot.loaded()
            let seconds = (ContinuousClock.now - began).components
            Diagnostics.say("ready: engines loaded in \(String(format: "%.1f", Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18)) s")
        } catch is CancellationError {
            return
        } catch {
            failure.withLock { $0 = true }
            Diagnostics.say("cannot load the hub's engines: \(error)")
            throw error
        }
    }
}

/// Runs a closure as a service until graceful shutdown.
struct BackgroundService: Service {
    let body: @Sendable () async -> Void
    init(_ body: @escaping @Sendable () async -> Void) { self.body = body }
    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}

/// Pushes the fixture orders through the API, as a merchant's OMS would.
enum DemoFeeder {
    /// What the demo says instead of alerting on the shipped list snapshots' age (nil when none is stale).
    static func snapshotNote(_ screening: ScreeningService, at now: Date) -> String? {
        let old = screening.listStatuses(at: now).filter { $0.stale && screening.snapshotLists.contains($0.list) }
        guard !old.isEmpty else { return nil }
        let named = old.map { list in "\(list.list) \(list.published.map { String($0.prefix(10)) } ?? list.version)" }.joined(separator: ", ")
        return "sanctions lists: the snapshots shipped with the hub (\(named)), older than \(screening.maxListAgeDays) days; "
            + "the demo does not alert on their age (serve does; `customs-hub data update` fetches current lists)"
    }

    static func push(root: ContentRoot, api: HubAPI, tenantKey: String, limit: Int?, base: String, live: @Sendable (String) -> Void) async {
        let folder = root.file("Fixtures/orders/valid")
        // A moved or empty folder is said, not taken for a demo with nothing to push.
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted() } catch {
            live("demo: cannot read the sample orders in \(folder.path): \(error)")
            return
        }
        if files.isEmpty { live("demo: no sample orders (*.json) in \(folder.path); nothing pushed") }
        var request = HTTPClientRequest(url: base + "/v1/orders")
        request.method = .POST
        request.headers.add(name: "authorization", value: "Bearer \(tenantKey)")
        request.headers.add(name: "content-type", value: "application/json")
        for name in files.prefix(limit ?? files.count) {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            var r = request
            r.headers.add(name: "idempotency-key", value: "demo-" + name)
            r.body = .bytes(ByteBuffer(bytes: Array(data)))
            do {
                let response = try await HTTPClient.shared.execute(r, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                let id = (try? JSONParser.parse(Array(buffer: body)))?["id"].map { JSONWriter.write($0) } ?? "?"
                live("pushed \(name): HTTP \(response.status.code) → \(base)/v1/orders/\(id)")
            } catch {
                live("pushed \(name): failed: \(error)")
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }
}

/// `customs-hub sandbox`: the gateway stand-in on its own, for a hub started elsewhere.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the sandbox gateway on loopback: it takes every built-in adapter's filings and sends signed, delayed status callbacks.",
        discussion: Help.text(
            """
            Point the hub's adapters at http://127.0.0.1:PORT/gateway/ADAPTER (config adapters.ID.endpoint or \
            CUSTOMS_HUB_ADAPTER_ID_ENDPOINT) and give both sides the same callback secret. Runs until SIGTERM or SIGINT.
            """,
            example: "customs-hub sandbox --port 9090 --hub http://127.0.0.1:8080 --secret s3cret"))
    @Option(name: .long, help: "Port (0 picks a free one).") var port = 9090
    @Option(name: .long, help: "The hub's base URL, for callbacks.") var hub = "http://127.0.0.1:8080"
    @Option(name: .long, help: "Callback signing secret for every adapter.") var secret: String
    @Option(name: .long, help: "Milliseconds between a filing's callbacks.") var stepMs = 800

    func run() async throws {
        let catalog = try loadCatalogOrExit()
        let secrets = Dictionary(uniqueKeysWithValues: catalog.adapters.keys.map { ($0, secret) })
        let gateway = SandboxGateway(catalog: catalog, settings: .init(hubURL: hub, secrets: secrets, stepMillis: stepMs),
                                     onEvent: { writeLine($0) })
        try await gateway.start(port: port)
        writeLine("sandbox gateway on http://127.0.0.1:\(gateway.port)/gateway/{adapter}, callbacks to \(hub)")
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { break }
        await gateway.stop()
    }
}

/// One line on stdout, written at once (live demo lines are read as they happen).
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
