import AdapterKit
import Crypto
import CustomsModel
import Digests
import DocumentExtraction
import Documents
import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import Logging
import Mapping
import Metrics
import NIOCore
import Pipeline
import Relay
import Store
import Synchronization

/// Request limits: a body larger than `maxBodyBytes` is refused before it is read whole; JSON
/// deeper than `maxJSONDepth` and orders with more than `maxOrderLines` lines are refused too.
public struct APILimits: Sendable, Hashable {
    public var maxBodyBytes: Int
    public var maxJSONDepth: Int
    public var maxOrderLines: Int
    public var maxPageSize: Int
    /// Items per `POST /v1/quotes`, `/v1/classify` or `/v1/screen` batch.
    public var maxBatchItems: Int
    /// Bytes of a `POST /v1/documents` file (a scan is larger than any order message).
    public var maxDocumentBytes: Int
    /// While the engines load at start, how long a request that needs them waits before it is
    /// answered 503 with `Retry-After` (the server listens at once; a first start trains the classifier).
    public var startWaitSeconds: Int
    /// Documents read at once, each in its own child process; one more is answered 503 with
    /// `Retry-After` at once (a scan is seconds of CPU: a queue would only hold the client longer).
    public var documentReaders: Int
    /// One child read's bounds: wall-clock seconds, CPU seconds and address space (MiB).
    public var documentReading: ReadingWorker.Limits

    public init(maxBodyBytes: Int = 1 << 20, maxJSONDepth: Int = 32, maxOrderLines: Int = 500, maxPageSize: Int = 500, maxBatchItems: Int = 1000,
                maxDocumentBytes: Int = 16 << 20, startWaitSeconds: Int = 20, documentReaders: Int = max(2, ProcessInfo.processInfo.activeProcessorCount),
                documentReading: ReadingWorker.Limits = ReadingWorker.Limits()) {
        self.maxBodyBytes = maxBodyBytes; self.maxJSONDepth = maxJSONDepth; self.maxOrderLines = maxOrderLines; self.maxPageSize = maxPageSize
        self.maxBatchItems = maxBatchItems; self.maxDocumentBytes = maxDocumentBytes; self.startWaitSeconds = startWaitSeconds
        self.documentReaders = documentReaders; self.documentReading = documentReading
    }
}

/// The hub once its engines are loaded. The server listens before they are (a first start trains
/// the classifier, which takes a while), so the slot also says what the load is doing now:
/// `/healthz` and `/readyz` report it. Requests that need the engines wait for them up to
/// `patience`, then get a 503 problem with `Retry-After` rather than hang past a client's timeout.
public final class HubSlot: Sendable {
    /// Where the load stands.
    public enum State: Sendable, Equatable {
        /// Loading; the stage (such as "training the classifier") and the seconds since the load began.
        case loading(stage: String, seconds: Double)
        case ready
        case failed(String)
    }

    private struct Progress {
        var hub: Hub?
        var failure: String?
        var stage = "starting"
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        /// Callers of `untilWaiting`, each with the number of waiters it waits for.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private final class Holder: Sendable { let progress = Mutex(Progress()) }
    private let holder: Holder
    private let loading: Task<Hub, any Error>
    private let began = ContinuousClock.now
    /// How long a request that needs the engines waits for them before it is answered 503.
    public let patience: Duration
    /// The `Retry-After` seconds sent while loading.
    public static let retryAfterSeconds = 5

    /// Loads the hub in the background with `load`, which may name each stage it enters.
    public init(patience: Duration = .seconds(20), stages load: @escaping @Sendable (_ stage: @escaping @Sendable (String) -> Void) async throws -> Hub) {
        let holder = Holder()
        self.holder = holder
        self.patience = patience
        loading = Task {
            let stage: @Sendable (String) -> Void = { name in holder.progress.withLock { $0.stage = name } }
            do {
                let hub = try await load(stage)
                Self.settle(holder) { $0.hub = hub }
                return hub
            } catch {
                Self.settle(holder) { $0.failure = "\(error)" }
                throw error
            }
        }
    }

    public convenience init(patience: Duration = .seconds(20), _ load: @escaping @Sendable () async throws -> Hub) {
        self.init(patience: patience, stages: { _ in try await load() })
    }

    public init(ready hub: Hub) {
        let holder = Holder()
        holder.progress.withLock { $0.hub = hub }
        self.holder = holder
        self.patience = .zero
        loading = Task { hub }
    }

    /// Records the outcome and wakes every request waiting for it.
    private static func settle(_ holder: Holder, _ outcome: (inout Progress) -> Void) {
        let (waiters, watchers) = holder.progress.withLock { p in
            outcome(&p)
            defer { p.waiters = [:]; p.watchers = [] }
            return (p.waiters, p.watchers)
        }
        for waiter in waiters.values { waiter.resume() }
        for watcher in watchers { watcher.continuation.resume() }
    }

    /// Returns once `count` callers wait for the load, or the load has ended: lets a caller (a test, a
    /// diagnostic) act on a request that is known to be waiting, without polling.
    public func untilWaiting(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = holder.progress.withLock { p in
                if p.waiters.count >= count || p.hub != nil || p.failure != nil { return true }
                p.watchers.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    public var current: Hub? { holder.progress.withLock { $0.hub } }

    /// How many callers wait for the load now.
    public var waiting: Int { holder.progress.withLock { $0.waiters.count } }

    public var state: State {
        holder.progress.withLock { p in
            if p.hub != nil { return .ready }
            if let failure = p.failure { return .failed(failure) }
            return .loading(stage: p.stage, seconds: (ContinuousClock.now - began).seconds)
        }
    }

    /// The hub, waiting for the load up to `patience`; else a 503 problem that says what the load
    /// is doing, with `Retry-After`.
    public func hub() async throws -> Hub {
        if let hub = current { return hub }
        await waitForLoad(upTo: patience)
        switch state {
        case .ready: return current!
        case .failed(let failure):
            throw Problem(.serviceUnavailable, "not-ready", "Engines not loaded", detail: failure)
        case .loading(let stage, let seconds):
            throw Problem(.serviceUnavailable, "starting", "Starting up",
                          detail: "the engines are still loading (\(stage), \(Int(seconds)) s so far); try again shortly",
                          headers: [.retryAfter: String(Self.retryAfterSeconds)])
        }
    }

    /// The hub, however long the load takes (for work inside the server: the demo feeder, the
    /// reloader); a cancelled wait (the server stopping) throws `CancellationError`.
    public func loaded() async throws -> Hub {
        await waitForLoad(upTo: nil)
        switch state {
        case .ready: return current!
        case .failed: return try await loading.value
        case .loading: throw CancellationError()
        }
    }

    /// Returns when the load has ended, `limit` (nil: none) has passed, or the task is cancelled.
    private func waitForLoad(upTo limit: Duration?) async {
        if let limit, limit <= .zero { return }
        let id = holder.progress.withLock { p in
            p.nextWaiter += 1
            return p.nextWaiter
        }
        let holder = holder
        let wake: @Sendable () -> Void = { holder.progress.withLock { $0.waiters.removeValue(forKey: id) }?.resume() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (waiting, satisfied) = holder.progress.withLock { p -> (Bool, [CheckedContinuation<Void, Never>]) in
                    guard p.hub == nil, p.failure == nil, !Task.isCancelled else { return (false, []) }
                    p.waiters[id] = continuation
                    let n = p.waiters.count
                    let met = p.watchers.filter { $0.count <= n }.map(\.continuation)
                    p.watchers.removeAll { $0.count <= n }
                    return (true, met)
                }
                for watcher in satisfied { watcher.resume() }
                guard waiting else { return continuation.resume() }
                if let limit {
                    Task {
                        try? await Task.sleep(for: limit)
                        wake()
                    }
                }
            }
        } onCancel: {
            wake()
        }
    }
}

/// Everything the HTTP API needs: the store, the hub, the callback intake, limits and metrics.
public struct HubAPI: Sendable {
    public let store: any ServerDatabase
    public let slot: HubSlot
    public let callbacks: CallbackIntake
    public let limits: APILimits
    public let metrics: HubMetrics
    public let logger: Logger
    /// Live lines for the demo (order accepted, sent to review).
    public let onEvent: @Sendable (String) -> Void
    /// Who may log in to the review workbench (`/review`), and their sessions.
    public let workbench: WorkbenchAuth
    /// Supplier templates for `POST /v1/documents`: loaded at start, and learned from reviewers'
    /// corrections while the server runs.
    public var templateBook = SupplierTemplateBook()
    /// The templates in use now (setting them starts a book that learns nothing).
    public var supplierTemplates: [SupplierTemplate] {
        get { templateBook.templates }
        set { templateBook = SupplierTemplateBook(templates: newValue) }
    }
    /// The command that reads an uploaded document in a child process (`customs-hub extract
    /// --worker`; `serve` sets its own executable). Nil reads in this process: only for embedding
    /// the API where there is no such binary, since a crash in the reader then stops the server.
    public var documentWorker: DocumentWorkerCommand?
    /// Child reads running now, against `limits.documentReaders`.
    let readersBusy = ReaderCount()
    private let keyCache = KeyCache()
    /// Merchant → owning tenant, once claimed (a claim is never changed), so an order for a known
    /// merchant costs no write transaction of its own before the order's.
    private let merchantOwners = KeyCache()

    public init(store: any ServerDatabase, slot: HubSlot, callbacks: CallbackIntake, limits: APILimits = APILimits(), metrics: HubMetrics,
                logger: Logger, onEvent: @escaping @Sendable (String) -> Void = { _ in }, workbench: WorkbenchAuth = WorkbenchAuth()) {
        self.store = store; self.slot = slot; self.callbacks = callbacks; self.limits = limits; self.metrics = metrics
        self.logger = logger; self.onEvent = onEvent; self.workbench = workbench
    }

    public static func keyHash(_ key: String) -> String { Digests.sha256(key) }

    // MARK: Router

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware(logger: logger))
        router.get("/livez") { _, _ in self.health(live: true) }
        router.get("/healthz") { _, _ in self.health(live: false) }
        router.get("/readyz") { _, _ in try await self.ready() }
        router.get("/metrics") { _, _ in
            // Queue depths and content ages as of this scrape.
            await self.metrics.sampleQueues(self.store)
            if let engines = self.slot.current?.engines { self.metrics.recordAges(engines, now: Date()) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: self.metrics.exposition())))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        let v1 = router.group("v1")
        v1.post("orders") { request, _ in try await self.postOrder(request) }
        v1.get("orders") { request, _ in try await self.listOrders(request) }
        v1.get("orders/{id}") { request, context in try await self.showOrder(request, id: context.parameters.get("id") ?? "") }
        v1.get("orders/{id}/audit") { request, context in try await self.audit(request, id: context.parameters.get("id") ?? "") }
        v1.get("reviews") { request, _ in try await self.listReviews(request) }
        v1.get("reviews/{id}") { request, context in try await self.showReview(request, id: context.parameters.get("id") ?? "") }
        v1.post("reviews/{id}/resolve") { request, context in try await self.resolveReview(request, id: context.parameters.get("id") ?? "") }
        v1.get("outbox") { request, _ in try await self.listOutbox(request) }
        v1.post("outbox/{id}/reprocess") { request, context in try await self.reprocess(request, id: context.parameters.get("id") ?? "") }
        v1.post("documents") { request, _ in try await self.postDocument(request) }
        v1.post("quotes") { request, _ in try await self.batch(request, engine: .quote) }
        v1.post("classify") { request, _ in try await self.batch(request, engine: .classify) }
        v1.post("screen") { request, _ in try await self.batch(request, engine: .screen) }
        v1.post("callbacks/{adapter}") { request, context in
            try await self.callback(request, adapter: context.parameters.get("adapter") ?? "")
        }
        addWorkbench(to: router)
        return router
    }

    // MARK: Auth

    /// The caller's tenant, from `Authorization: Bearer KEY` (the key's SHA-256 is looked up).
    func tenant(_ request: Request) async throws -> String {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { throw Problem.unauthorized }
        let key = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw Problem.unauthorized }
        let hash = Self.keyHash(key)
        if let known = keyCache.get(hash) { return known }
        guard let tenant = try await store.tenant(keySHA256: hash) else { throw Problem.unauthorized }
        keyCache.put(hash, tenant)
        return tenant
    }

    /// The tenant a merchant belongs to, claimed for `tenant` when it belongs to nobody yet.
    func owner(ofMerchant merchant: String, claimingFor tenant: String) async throws -> String {
        if let known = merchantOwners.get(merchant) { return known }
        let owner = try await store.claimMerchant(merchant, tenantID: tenant, now: Date().millis)
        merchantOwners.put(merchant, owner)
        return owner
    }

    /// The order, if it exists and belongs to `tenant`; otherwise 404 (another tenant's ids do not exist for you).
    func ownedOrder(_ text: String, tenant: String) async throws -> Int64 {
        guard let id = Int64(text), id > 0, try await store.tenantOfOrder(id) == tenant else { throw Problem.notFound("order \(text)") }
        return id
    }

    // MARK: Body

    func body(_ request: Request, limit: Int? = nil) async throws -> [UInt8] {
        let limit = limit ?? limits.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
    }

    static func tooLarge(_ max: Int) -> Problem {
        Problem(.contentTooLarge, "body-too-large", "Request body too large", detail: "bodies are limited to \(max) bytes")
    }

    func parseJSON(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes, limits: JSONParseLimits(maxBytes: limits.maxBodyBytes, maxDepth: limits.maxJSONDepth))
        } catch {
            throw Problem(.badRequest, "malformed-json", "Malformed JSON", detail: "\(error)",
                          errors: [Problem.FieldError(pointer: "", code: "malformed", detail: "\(error)")])
        }
    }

    // MARK: Orders

    func postOrder(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let contentType = (request.headers[.contentType] ?? "application/json").lowercased()
        let named = (request.uri.queryParameters["adapter"].map(String.init) ?? request.headers[HTTPField.Name("X-Adapter")!]).flatMap { $0.isEmpty ? nil : $0 }
        // Canonical JSON, unless an adapter is named; any other content type goes through an inbound adapter.
        let format: MappingSpec.Format? = try named == nil && Self.isJSON(contentType) ? nil : Self.messageFormat(contentType)
        let bytes = try await body(request)
        return try await takeMessage(bytes, format: format, adapter: named, tenant: tenant, key: request.headers[HTTPField.Name("Idempotency-Key")!])
    }

    /// An order message taken for `tenant` under an idempotency key: canonical JSON when `format`
    /// is nil, else through the inbound adapter (named, or the only one reading that format).
    func takeMessage(_ bytes: [UInt8], format: MappingSpec.Format?, adapter named: String?, tenant: String, key: String?) async throws -> Response {
        let digest = Digests.sha256(bytes)
        if let key, let prior = try await store.request(tenantID: tenant, idempotencyKey: key) {
            guard prior.requestSHA256 == digest else { throw Self.keyReused(key) }
            if let id = prior.orderID { return try await orderAnswer(id, created: false) }
        }
        guard let format else { return try await takeOrder(try parseJSON(bytes), tenant: tenant, key: key, digest: digest) }
        let orders = try await ingestOrders(bytes, format: format, adapter: named)
        guard orders.count > 1 else { return try await takeOrder(orders[0], tenant: tenant, key: key, digest: digest) }
        return try await takeOrders(orders, tenant: tenant, key: key, digest: digest)
    }

    /// A message holding several orders (a CSV export's rows grouped by the order column the adapter's
    /// mapping names, an EDIFACT interchange of several messages, an XML batch): each order is taken on its own, under its own idempotency key from the mapping, and
    /// answered in its place with the status it would get alone (201, 200, 403, 422): 207 for the
    /// whole. The orders that pass the door's checks go through the pipeline together
    /// (`Hub.submit(batch:)`: stage by stage, one commit, each order still all or nothing).
    /// An `Idempotency-Key` covers the request: the same key with another body is a 409.
    func takeOrders(_ orders: [JSONValue], tenant: String, key: String?, digest: String) async throws -> Response {
        var items: [JSONObject] = []
        var admitted: [(index: Int, document: JSONValue)] = []
        for (n, order) in orders.enumerated() {
            var item = JSONObject([("index", .number(String(n))),
                                   ("external_reference", order["external_reference"] ?? .null)])
            do {
                admitted.append((n, try await admit(order, tenant: tenant, key: nil)))
            } catch let problem as Problem {
                item["status"] = .number(String(problem.status.code))
                item["problem"] = problem.json(instance: "/v1/orders")
            }
            items.append(item)
        }
        let hub = try await slot.hub()
        let started = ContinuousClock.now
        let results = try await hub.submit(batch: admitted.map(\.document))
        let seconds = (ContinuousClock.now - started).seconds / Double(max(1, admitted.count))
        for ((n, _), outcome) in zip(admitted, results) {
            do {
                let (answer, status) = try await answerOrder(try outcome.get(), tenant: tenant, key: nil, digest: digest, seconds: seconds)
                items[n]["status"] = .number(String(status.code))
                for (name, value) in answer.members { items[n][name] = value }
            } catch let problem as Problem {
                items[n]["status"] = .number(String(problem.status.code))
                items[n]["problem"] = problem.json(instance: "/v1/orders")
            }
        }
        if let key {
            let stored = try await store.rememberRequest(APIRequest(tenantID: tenant, idempotencyKey: key, requestSHA256: digest, orderID: nil),
                                                         now: Date().millis)
            if stored.requestSHA256 != digest { throw Self.keyReused(key) }
        }
        return jsonResponse(.object(JSONObject([("orders", .array(items.map(JSONValue.object)))])), status: HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status"))
    }

    /// Validates, submits and answers one canonical order document, whichever door it came in by
    /// (canonical JSON, an inbound adapter's message, or a read document's draft).
    func takeOrder(_ document: JSONValue, tenant: String, key: String?, digest: String, extra: JSONObject = JSONObject()) async throws -> Response {
        let (answer, status) = try await takeOrderAnswer(document, tenant: tenant, key: key, digest: digest, extra: extra)
        return jsonResponse(.object(answer), status: status, headers: [.location: "/v1/orders/\(answer["id"].map { JSONWriter.write($0) } ?? "")"])
    }

    /// `takeOrder`'s answer and status, before they become a response.
    func takeOrderAnswer(_ document: JSONValue, tenant: String, key: String?, digest: String,
                         extra: JSONObject = JSONObject()) async throws -> (JSONObject, HTTPResponse.Status) {
        let document = try await admit(document, tenant: tenant, key: key)
        let hub = try await slot.hub()
        let started = ContinuousClock.now
        let result: Hub.SubmitResult
        do {
            // The key's ledger row commits with a new order (one commit, not two).
            result = try await hub.submit(document, request: key.map { APIRequest(tenantID: tenant, idempotencyKey: $0, requestSHA256: digest, orderID: nil) })
        } catch let error as StoreError where error.code == .constraint {
            // Another request took the key while this one was evaluated: nothing of this order was stored.
            if let key, let stored = try? await store.request(tenantID: tenant, idempotencyKey: key), stored.requestSHA256 != digest {
                throw Self.keyReused(key)
            }
            throw error
        }
        return try await answerOrder(result, tenant: tenant, key: key, digest: digest, seconds: (ContinuousClock.now - started).seconds, extra: extra)
    }

    /// The door's checks before the pipeline: an object, not too many lines, the tenant's own
    /// merchant; the request's `Idempotency-Key` becomes the order's when it names none.
    func admit(_ document: JSONValue, tenant: String, key: String?) async throws -> JSONValue {
        guard case .object(var object) = document else {
            throw Problem(.unprocessableContent, "invalid-order", "Invalid order", detail: "an order is a JSON object",
                          errors: [Problem.FieldError(pointer: "", code: "type", detail: "expected an object, got \(document.typeName)")])
        }
        if let lines = object["lines"]?.arrayValue, lines.count > limits.maxOrderLines {
            throw Problem(.contentTooLarge, "too-many-lines", "Too many order lines", detail: "at most \(limits.maxOrderLines) lines per order",
                          errors: [Problem.FieldError(pointer: "/lines", code: "too_many", detail: "\(lines.count) lines")])
        }
        if let key, object["idempotency_key"] == nil {
            object["idempotency_key"] = .string(key)
        }
        if let merchant = object["merchant_id"]?.stringValue {
            guard try await owner(ofMerchant: merchant, claimingFor: tenant) == tenant else {
                throw Problem(.forbidden, "merchant-not-yours", "Merchant belongs to another tenant",
                              detail: "merchant \(merchant) is registered to another tenant",
                              errors: [Problem.FieldError(pointer: "/merchant_id", code: "forbidden", detail: "not this tenant's merchant")])
            }
        }
        return .object(object)
    }

    /// What the API answers for a submitted order (`seconds`: its time in the hub, for the metrics).
    func answerOrder(_ result: Hub.SubmitResult, tenant: String, key: String?, digest: String, seconds: Double,
                     extra: JSONObject = JSONObject()) async throws -> (JSONObject, HTTPResponse.Status) {
        metrics.submitted(state: result.state.rawValue, created: result.created, seconds: seconds)
        guard let id = result.orderID, result.state != .invalid else {
            throw Problem(.unprocessableContent, "invalid-order", "Invalid order", detail: "the order failed validation; nothing was stored",
                          errors: result.problems.filter { $0.severity == .error }.map {
                              Problem.FieldError(pointer: Problem.pointer($0.path), code: $0.code, detail: $0.message)
                          })
        }
        if let key, !result.created {
            let stored = try await store.rememberRequest(APIRequest(tenantID: tenant, idempotencyKey: key, requestSHA256: digest, orderID: id),
                                                         now: Date().millis)
            if stored.requestSHA256 != digest { throw Self.keyReused(key) }
        }
        if result.created {
            logger.info("order accepted", metadata: ["tenant.id": "\(tenant)", "order.id": "\(id)", "order.state": "\(result.state.rawValue)"])
            onEvent("order \(id) accepted: \(result.state.rawValue)"
                + (result.reviewItems.isEmpty ? "" : ", \(result.reviewItems.count) item(s) sent to review")
                + (result.filings.isEmpty ? "" : ", filing to \(result.filings.map { $0.adapter }.joined(separator: ", "))"))
        }
        var answer = result.json.objectValue ?? JSONObject()
        for (name, value) in extra.members { answer[name] = value }
        answer["id"] = .number(String(id))
        answer["links"] = .object(JSONObject([("self", .string("/v1/orders/\(id)")), ("audit", .string("/v1/orders/\(id)/audit"))]))
        return (answer, result.created ? .created : .ok)
    }

    static func isJSON(_ contentType: String) -> Bool {
        contentType.hasPrefix("application/json") || contentType.hasPrefix("application/") && (contentType.split(separator: ";").first ?? "").hasSuffix("+json")
    }

    /// The message format a content type names (EDIFACT, XML or JSON for an adapter's own JSON).
    static func messageFormat(_ contentType: String) throws -> MappingSpec.Format {
        let type = String(contentType.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
        if isJSON(type) { return .json }
        if type == "application/edifact" || type == "application/edi-edifact" || type == "text/edifact" { return .edifact }
        if type == "application/xml" || type == "text/xml" || type.hasSuffix("+xml") { return .xml }
        if type == "text/csv" || type == "application/csv" { return .csv }
        throw Problem(.unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                      detail: "send a canonical order as application/json, or a message an inbound adapter reads as application/edifact, "
                          + "application/xml, text/csv or application/json with ?adapter=NAME (got \(type))")
    }

    /// An inbound message mapped to canonical orders by the adapter the caller names or the only
    /// adapter that reads orders in `format` (the same `AdapterCatalog.ingest` as `customs-hub ingest`).
    /// Only a CSV export may hold several orders; any other message holds one.
    func ingestOrders(_ bytes: [UInt8], format: MappingSpec.Format, adapter named: String?) async throws -> [JSONValue] {
        let catalog = try await slot.hub().engines.catalog
        let readers = catalog.orderReaders(format: format)
        let adapter: String
        if let named {
            guard readers.contains(named) else {
                throw Problem(.unsupportedMediaType, "adapter-does-not-read", "Adapter does not read this message",
                              detail: "adapter \(named) reads no \(format.rawValue) orders (\(format.rawValue) orders are read by: "
                                  + "\(readers.isEmpty ? "none" : readers.joined(separator: ", ")))",
                              errors: [Problem.FieldError(pointer: "#/query/adapter", code: "invalid", detail: "not a \(format.rawValue) order reader")])
            }
            adapter = named
        } else {
            guard let only = readers.first else {
                throw Problem(.unsupportedMediaType, "no-inbound-adapter", "No adapter reads this message",
                              detail: "no enabled inbound adapter reads \(format.rawValue) orders")
            }
            guard readers.count == 1 else {
                throw Problem.invalidParameter("adapter", "\(readers.count) adapters read \(format.rawValue) orders; name one of \(readers.joined(separator: ", "))")
            }
            adapter = only
        }
        let result: IngestResult
        do { result = try catalog.ingest(bytes, adapter: adapter, kind: "order") } catch {
            throw Problem(error.unreadable ? .badRequest : .unprocessableContent, error.unreadable ? "malformed-message" : "unmappable-message",
                          error.unreadable ? "Malformed \(format.rawValue) message" : "Message cannot be mapped to an order",
                          detail: "\(adapter): \(error.description)",
                          errors: [Problem.FieldError(pointer: "", code: error.unreadable ? "malformed" : "unmapped", detail: error.description)])
        }
        guard !result.orders.isEmpty else {
            throw Problem(.unprocessableContent, "no-order", "No order", detail: "the message holds no order")
        }
        guard result.orders.count <= limits.maxBatchItems else {
            throw Problem(.contentTooLarge, "too-many-orders", "Too many orders", detail: "at most \(limits.maxBatchItems) orders per message",
                          errors: [Problem.FieldError(pointer: "", code: "too_many", detail: "\(result.orders.count) orders")])
        }
        do { return try result.orders.map { try JSONValueEncoder().encode($0) } } catch {
            throw Problem(.unprocessableContent, "invalid-order", "Invalid order", detail: "the mapped order cannot be written: \(error)")
        }
    }

    static func keyReused(_ key: String) -> Problem {
        Problem(.conflict, "idempotency-key-reused", "Idempotency-Key reused with another body",
                detail: "the key \(key) was first used with a different request body",
                errors: [Problem.FieldError(pointer: "#/header/Idempotency-Key", code: "reused", detail: "different body")])
    }

    /// The answer to an order taken: `Hub.SubmitResult`'s shape (`id`; `order_id`, deprecated, the same number).
    func orderAnswer(_ id: Int64, created: Bool) async throws -> Response {
        guard let record = try await store.order(id: id) else { throw Problem.notFound("order \(id)") }
        let filings = try await store.filings(orderID: id)
        let reviews = try await store.reviewItems(ReviewFilter(state: "open", orderID: id))
        let answer = JSONObject([
            ("id", .number(String(id))), ("order_id", .number(String(id))), ("created", .bool(created)), ("state", .string(record.state)),
            ("problems", .array([])), ("review_items", .array(reviews.map { HubJSON.reviewSummary($0) })),
            ("filings", .array(filings.map { .object(JSONObject([("adapter", .string($0.adapterID)), ("state", .string($0.state))])) })),
            ("links", .object(JSONObject([("self", .string("/v1/orders/\(id)")), ("audit", .string("/v1/orders/\(id)/audit"))]))),
        ])
        return jsonResponse(.object(answer), status: .ok, headers: [.location: "/v1/orders/\(id)"])
    }

    func showOrder(_ request: Request, id text: String) async throws -> Response {
        let tenant = try await tenant(request)
        let id = try await ownedOrder(text, tenant: tenant)
        guard let shown = try await HubReader(store: store).show(orderID: id), case .object(var o) = shown else {
            throw Problem.notFound("order \(text)")
        }
        o["id"] = .number(String(id))
        return jsonResponse(.object(o))
    }

    func listOrders(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let query = request.uri.queryParameters
        var filter = OrderFilter(limit: try pageSize(query["limit"].map(String.init)))
        if let state = query["state"].map(String.init), !state.isEmpty {
            guard OrderState(rawValue: state) != nil else {
                throw Problem.invalidParameter("state", "expected one of \(OrderState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.state = state
        }
        if let since = query["since"].map(String.init), !since.isEmpty {
            guard let date = Timestamp.parse(since) else { throw Problem.invalidParameter("since", "not an RFC 3339 time") }
            filter.updatedSince = date.millis
        }
        if let cursor = query["cursor"].map(String.init), !cursor.isEmpty {
            guard let after = Int64(cursor), after >= 0 else { throw Problem.invalidParameter("cursor", "not a cursor from next_cursor") }
            filter.afterID = after
        }
        let orders = try await store.orders(tenantID: tenant, filter)
        let next: JSONValue = orders.count == filter.limit ? (orders.last.map { JSONValue.string(String($0.id)) } ?? .null) : .null
        return jsonResponse(.object(JSONObject([
            ("orders", .array(orders.map { o in
                .object(JSONObject([
                    ("id", .number(String(o.id))), ("merchant_id", .string(o.merchantID)), ("external_reference", .string(o.externalReference)),
                    ("state", .string(o.state)), ("created_at", .string(HubJSON.time(o.createdAt))), ("updated_at", .string(HubJSON.time(o.updatedAt))),
                ]))
            })),
            ("next_cursor", next),
        ])))
    }

    func pageSize(_ text: String?) throws -> Int {
        guard let text, !text.isEmpty else { return 100 }
        guard let n = Int(text), n >= 1, n <= limits.maxPageSize else {
            throw Problem.invalidParameter("limit", "an integer from 1 to \(limits.maxPageSize)")
        }
        return n
    }

    func audit(_ request: Request, id text: String) async throws -> Response {
        let tenant = try await tenant(request)
        let id = try await ownedOrder(text, tenant: tenant)
        let trail = try await HubReader(store: store).auditTrail(orderID: id)
        return jsonResponse(.object(JSONObject([("order_id", .number(String(id))), ("decisions", .array(trail.map(HubJSON.decision)))])))
    }

    // MARK: Reviews

    func listReviews(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let query = request.uri.queryParameters
        let state = query["state"].map(String.init) ?? "open"
        guard ["open", "resolved", "all"].contains(state) else { throw Problem.invalidParameter("state", "open, resolved or all") }
        var orderID: Int64?
        if let text = query["order"].map(String.init), !text.isEmpty { orderID = try await ownedOrder(text, tenant: tenant) }
        let items = try await store.reviewItems(tenantID: tenant, ReviewFilter(
            state: state == "all" ? nil : state, orderID: orderID, reason: query["reason"].map(String.init), limit: try pageSize(query["limit"].map(String.init))))
        return jsonResponse(.object(JSONObject([("review_items", .array(items.map(HubJSON.review)))])))
    }

    func ownedReview(_ text: String, tenant: String) async throws -> ReviewItem {
        guard let id = Int64(text), let item = try await store.reviewItem(id: id) else { throw Problem.notFound("review item \(text)") }
        let owner = if let order = item.orderID { try await store.tenantOfOrder(order) }
            else if let document = item.documentID { try await store.tenantOfDocument(document) } else { String?.none }
        guard owner == tenant else { throw Problem.notFound("review item \(text)") }
        return item
    }

    func showReview(_ request: Request, id text: String) async throws -> Response {
        let tenant = try await tenant(request)
        return jsonResponse(HubJSON.reviewDetail(try await ownedReview(text, tenant: tenant)))
    }

    func resolveReview(_ request: Request, id text: String) async throws -> Response {
        let tenant = try await tenant(request)
        let item = try await ownedReview(text, tenant: tenant)
        let input = try parseJSON(try await body(request))
        func field(_ name: String) -> String? { input[name]?.stringValue }
        guard let actionText = field("action"), let action = Hub.ReviewAction(rawValue: actionText) else {
            throw Problem(.unprocessableContent, "invalid-resolution", "Invalid resolution",
                          errors: [Problem.FieldError(pointer: "/action", code: "required",
                                                      detail: "one of \(Hub.ReviewAction.allCases.map(\.rawValue).joined(separator: ", "))")])
        }
        guard let reviewer = field("reviewer"), !reviewer.isEmpty else {
            throw Problem(.unprocessableContent, "invalid-resolution", "Invalid resolution",
                          errors: [Problem.FieldError(pointer: "/reviewer", code: "required", detail: "who decides")])
        }
        let hub = try await slot.hub()
        do {
            // A document draft's corrected canonical order, when the reviewer corrects one.
            let result = try await hub.resolve(itemID: item.id ?? 0, action: action, reviewer: reviewer, hsCode: field("hs_code"), note: field("note"),
                                               draft: input["order"])
            if result.outcome == .notOpen {
                throw Problem(.conflict, "review-not-open", "Review item already resolved", detail: "review item \(text) is not open")
            }
            onEvent("review item \(text) of \(item.orderID.map { "order \($0)" } ?? item.subject): \(action.rawValue) by \(reviewer) → order \(result.orderState)")
            var answer = result.json
            // A document submitted with corrections: they refine that supplier's template.
            if let documentID = item.documentID, result.orderID != nil, action == .correct || action == .confirm,
               let learning = await learnTemplate(documentID: documentID, order: input["order"], document: input["document"], reviewer: reviewer),
               case .object(var o) = answer {
                o["template_learning"] = learning
                answer = .object(o)
            }
            return jsonResponse(answer)
        } catch let error as HubError {
            switch error {
            case .notFound(let what): throw Problem.notFound(what)
            case .invalid, .invalidOrder: throw Problem(.unprocessableContent, "invalid-resolution", "Invalid resolution", detail: error.description)
            }
        }
    }

    // MARK: Outbox admin

    func ownsMessage(_ m: OutboxMessage, tenant: String) async throws -> Bool {
        guard let filingID = m.filingID, let orderID = try await store.filing(id: filingID)?.orderID else { return false }
        return try await store.tenantOfOrder(orderID) == tenant
    }

    func listOutbox(_ request: Request) async throws -> Response {
        let tenant = try await tenant(request)
        let query = request.uri.queryParameters
        var states: Set<OutboxState>?
        if let s = query["state"].map(String.init), !s.isEmpty {
            guard let state = OutboxState(rawValue: s) else { throw Problem.invalidParameter("state", "pending, leased, delivered or dead") }
            states = [state]
        }
        let limit = try pageSize(query["limit"].map(String.init))
        var filter = OutboxFilter(states: states, adapterID: query["adapter"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                                  tenantID: tenant, limit: limit)
        if let cursor = query["cursor"].map(String.init), !cursor.isEmpty {
            guard let after = Int64(cursor), after >= 0 else { throw Problem.invalidParameter("cursor", "not a cursor from next_cursor") }
            filter.afterID = after
        }
        // The tenant is part of the query, so a page holds `limit` of this tenant's rows however
        // many rows other tenants queued before them.
        let rows = try await store.messages(filter)
        let next: JSONValue = rows.count == limit ? (rows.last.map { JSONValue.string(String($0.id)) } ?? .null) : .null
        return jsonResponse(.object(JSONObject([("messages", .array(rows.map(Self.outboxJSON))), ("next_cursor", next)])))
    }

    static func outboxJSON(_ m: OutboxMessage) -> JSONValue {
        .object(JSONObject([
            ("id", .number(String(m.id))), ("filing_id", m.filingID.map { .number(String($0)) } ?? .null), ("adapter", .string(m.adapterID)),
            ("state", .string(m.state.rawValue)), ("attempts", .number(String(m.attempts))), ("generation", .number(String(m.generation))),
            ("last_error", m.lastError.map(JSONValue.string) ?? .null), ("created_at", .string(HubJSON.time(m.createdAt))),
        ]))
    }

    func reprocess(_ request: Request, id text: String) async throws -> Response {
        let tenant = try await tenant(request)
        guard let id = Int64(text), let m = try await store.message(id: id), try await ownsMessage(m, tenant: tenant) else {
            throw Problem.notFound("outbox message \(text)")
        }
        let done = try await store.reprocess(OutboxFilter(ids: [id], states: [.dead]), now: Date().millis, reviewer: "tenant:\(tenant)", note: "POST /v1/outbox/\(id)/reprocess")
        guard !done.isEmpty else {
            throw Problem(.conflict, "not-dead", "Message is not dead", detail: "only DEAD messages are reprocessed (this one is \(m.state.rawValue))")
        }
        return jsonResponse(.object(JSONObject([("id", .number(String(id))), ("state", .string("pending"))])), status: .accepted)
    }

    // MARK: Callbacks

    func callback(_ request: Request, adapter: String) async throws -> Response {
        let bytes = try await body(request)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        // A web shop's order webhook: signed like a callback, taken like POST /v1/orders for the
        // configured tenant, its event id the idempotency key (a resent event is the same order).
        if let order = try callbacks.orderWebhook(adapter: adapter, body: bytes, headers: headers, now: Date()) {
            metrics.callback(adapter: adapter, outcome: "order")
            return try await takeMessage(bytes, format: order.format, adapter: adapter, tenant: order.tenant, key: "webhook:" + order.eventID)
        }
        let taken = try await callbacks.receive(adapter: adapter, body: bytes, headers: headers, now: Date())
        let duplicate = taken.inboxID == nil
        metrics.callback(adapter: adapter, outcome: duplicate ? "duplicate" : "stored")
        return jsonResponse(.object(JSONObject([("event_id", .string(taken.eventID)), ("duplicate", .bool(duplicate))])),
                            status: duplicate ? .ok : .accepted)
    }

    // MARK: Readiness

    func ready() async throws -> Response {
        var checks = JSONObject()
        var ok = true
        do {
            let head = try await store.chainHead()
            checks["store"] = .object(JSONObject([("ok", .bool(true)), ("engine", .string(store.engine)), ("decisions", .number(String(head.length)))]))
        } catch {
            ok = false
            checks["store"] = .object(JSONObject([("ok", .bool(false)), ("error", .string("\(error)"))]))
        }
        var headers: HTTPFields = [:]
        switch slot.state {
        case .ready:
            let v = slot.current!.engines.versions
            checks["engines"] = .object(JSONObject([
                ("ok", .bool(true)), ("model", .string(v.model)), ("lists", .array(v.lists.map(JSONValue.string))),
                ("packs", .array(v.packs.map(JSONValue.string))), ("routes", .string(v.routes)),
            ]))
        case .loading(let stage, let seconds):
            ok = false
            headers[.retryAfter] = String(HubSlot.retryAfterSeconds)
            checks["engines"] = .object(JSONObject([("ok", .bool(false)), ("error", .string("still loading")), ("stage", .string(stage)),
                                                    ("seconds", .number(String(format: "%.1f", seconds)))]))
        case .failed(let failure):
            ok = false
            checks["engines"] = .object(JSONObject([("ok", .bool(false)), ("error", .string(failure))]))
        }
        return jsonResponse(.object(JSONObject([("ready", .bool(ok)), ("checks", .object(checks))])), status: ok ? .ok : .serviceUnavailable,
                            headers: headers)
    }

    /// `/livez` (`live`): the process answers, whatever its engines are doing: always 200. `/healthz`:
    /// 200 once the engines are in (the hub serves), 503 with `Retry-After` while they load (a first
    /// start trains the classifier for a while). Both say whether it is `ready` and, until then, the
    /// load's `stage` and its `seconds`. Readiness with the store checked too is `/readyz`.
    func health(live: Bool) -> Response {
        var answer = JSONObject()
        var headers: HTTPFields = [:]
        switch slot.state {
        case .ready:
            answer["status"] = .string("ok")
            answer["ready"] = .bool(true)
        case .loading(let stage, let seconds):
            answer["status"] = .string(live ? "ok" : "starting")
            answer["ready"] = .bool(false)
            answer["stage"] = .string(stage)
            answer["seconds"] = .number(String(format: "%.1f", seconds))
            headers[.retryAfter] = String(HubSlot.retryAfterSeconds)
        case .failed(let failure):
            answer["status"] = .string(live ? "ok" : "failed")
            answer["ready"] = .bool(false)
            answer["stage"] = .string("failed: \(failure)")
        }
        let ready = slot.current != nil
        return jsonResponse(.object(answer), status: live || ready ? .ok : .serviceUnavailable, headers: live ? [:] : headers)
    }
}

/// Turns errors that are not already problems into problem+json answers (and logs the unexpected).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let problem = Problem(error.status, error.status == .notFound ? "not-found" : "http-\(error.status.code)",
                                  error.status.reasonPhrase, detail: error.body ?? "")
            return try problem.response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try HubAPI.tooLarge(0).response(from: request, context: context)
        } catch {
            logger.error("request failed: \(error)", metadata: ["http.path": "\(request.uri.path)"])
            return try Problem(.internalServerError, "internal", "Internal error", detail: "the error was logged").response(from: request, context: context)
        }
    }
}

/// Tenant ids of recently seen key hashes (keys are never stored, only their SHA-256).
final class KeyCache: Sendable {
    private let map = Mutex<[String: String]>([:])
    func get(_ hash: String) -> String? { map.withLock { $0[hash] } }
    func put(_ hash: String, _ tenant: String) { map.withLock { if $0.count > 10_000 { $0.removeAll() }; $0[hash] = tenant } }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
