import AdapterKit
import CustomsModel
import Crypto
import Foundation
import JSONCore
import Logging
import Metrics
import ServiceLifecycle
import Store

/// Takes a gateway's callback at the door: the adapter's signature is checked, the raw body goes to
/// the inbox (the same event twice is stored once), and the caller is answered at once. Processing
/// happens afterwards in `CallbackWorker`, through a `CallbackProcessing`.
public struct CallbackIntake: Sendable {
    public let store: any ServerDatabase
    public let catalog: @Sendable () -> AdapterCatalog?
    /// Secrets given in configuration (adapter id → secret); otherwise the adapter's own reference
    /// (`env:NAME` or `file:PATH`) is read.
    public let secrets: [String: String]
    public let signal: WorkSignal

    public init(store: any ServerDatabase, catalog: @escaping @Sendable () -> AdapterCatalog?, secrets: [String: String], signal: WorkSignal) {
        self.store = store; self.catalog = catalog; self.secrets = secrets; self.signal = signal
    }

    public struct Received: Sendable {
        public var eventID: String
        public var duplicate: Bool
    }

    /// The signature scheme an adapter's callbacks carry (the hub's default when its file names none).
    public static func signature(of adapter: AdapterDefinition) -> AdapterDefinition.Signature {
        adapter.callbacks?.signature ?? .hubDefault()
    }

    public func secret(for adapter: AdapterDefinition) -> String? {
        if let s = secrets[adapter.id] { return s }
        switch Self.signature(of: adapter).secret {
        case .environment(let name): return ProcessInfo.processInfo.environment[name]
        case .file(let path): return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public func receive(adapter id: String, body: [UInt8], headers: [String: String], now: Date) async throws -> Received {
        guard let catalog = catalog() else {
            throw Problem(.serviceUnavailable, "not-ready", "Adapters not loaded", detail: "try again shortly")
        }
        guard let adapter = try? catalog.adapter(id) else { throw Problem.notFound("adapter \(id)") }
        guard let secret = secret(for: adapter) else {
            throw Problem(.serviceUnavailable, "callback-secret-missing", "Callbacks for this adapter are not configured",
                          detail: "no callback secret for \(id) (\(Self.signature(of: adapter).secret))")
        }
        do {
            try CallbackVerifier.verify(Self.signature(of: adapter), secret: CallbackVerifier.secretBytes(secret), headers: headers, body: body, now: now)
        } catch {
            throw Problem(.unauthorized, "bad-signature", "Callback signature refused", detail: "\(error)")
        }
        let eventID = Self.eventID(adapter: adapter, body: body, headers: headers)
        let stored = try await store.receive(InboxEvent(adapterID: id, externalEventID: eventID, receivedAt: now.millis, body: body))
        if stored { signal.signal() }
        return Received(eventID: eventID, duplicate: !stored)
    }

    /// The gateway's event id (by the adapter's pointer, or Standard Webhooks' `webhook-id`), else the body's SHA-256.
    static func eventID(adapter: AdapterDefinition, body: [UInt8], headers: [String: String]) -> String {
        if let pointer = adapter.callbacks?.eventID, let json = try? JSONParser.parse(body), let value = json.value(atPointer: pointer) {
            if let s = value.stringValue { return s }
            if case .number(let n) = value { return n }
        }
        if let id = headers.first(where: { $0.key.lowercased() == "webhook-id" })?.value, !id.isEmpty { return id }
        if let json = try? JSONParser.parse(body), let id = json["id"]?.stringValue { return id }
        return "sha256:" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }
}

/// Processes one stored callback. The server's own is `StatusCallbackProcessor`; the delivery work
/// brings a fuller one (inbound mappings per adapter, decision records per filing) behind the same protocol.
public protocol CallbackProcessing: Sendable {
    /// Applies the event. Throwing a `StoreError` leaves it in the inbox for the next round; any
    /// other outcome marks it processed.
    func process(_ event: InboxEvent, now: Date) async throws -> CallbackResult
}

public struct CallbackResult: Sendable, Hashable {
    public var orderID: Int64?
    public var from: String?
    public var to: String?
    public var note: String

    public init(orderID: Int64? = nil, from: String? = nil, to: String? = nil, note: String) {
        self.orderID = orderID; self.from = from; self.to = to; self.note = note
    }
}

/// A minimal processor: reads status events through the adapter's inbound mapping (or, failing
/// that, the generic status webhook's), finds the filing by its outbox idempotency key, moves the
/// filing and (forward only) its order, with a decision record.
public struct StatusCallbackProcessor: CallbackProcessing {
    public let store: any ServerDatabase
    public let catalog: @Sendable () -> AdapterCatalog?

    public init(store: any ServerDatabase, catalog: @escaping @Sendable () -> AdapterCatalog?) { self.store = store; self.catalog = catalog }

    public func process(_ event: InboxEvent, now: Date) async throws -> CallbackResult {
        guard let catalog = catalog() else { throw StoreError(.connection, "adapters not loaded yet") }
        var events = (try? catalog.ingest(event.body, adapter: event.adapterID, kind: "status").events) ?? []
        if events.allSatisfy({ $0.reference == nil }), let generic = try? catalog.ingest(event.body, adapter: "generic-webhook", kind: "status").events {
            events = generic
        }
        if events.isEmpty { return CallbackResult(note: "unreadable: no status mapping reads this body") }
        var last = CallbackResult(note: "no status event")
        for status in events {
            guard let reference = status.reference, let found = try await store.filing(outboxKey: reference), let orderID = found.orderID,
                  let order = try await store.order(id: orderID) else {
                last = CallbackResult(note: "unmatched: reference \(status.reference ?? "none")")
                continue
            }
            try await store.setFilingState(found.filingID, state: status.kind.rawValue)
            guard let current = OrderState(rawValue: order.state), let next = OrderState.after(status.kind), current.canAdvance(to: next) else {
                last = CallbackResult(orderID: orderID, from: order.state, to: nil, note: "recorded; order stays \(order.state)")
                continue
            }
            let output = JSONObject([("event", .string(status.kind.rawValue)), ("from", .string(current.rawValue)), ("to", .string(next.rawValue)),
                                     ("filing_id", .number(String(found.filingID))),
                                     ("errors", .array(status.errors.map { .object(JSONObject([("code", .string($0.code)),
                                                                                               ("message", $0.message.map(JSONValue.string) ?? .null)])) }))])
            let digest = SHA256.hash(data: event.body).map { String(format: "%02x", $0) }.joined()
            let decision = DecisionRecord(
                orderID: orderID, lineNumber: nil, kind: "gateway_status",
                input: JSONWriter.write(.object(JSONObject([("adapter", .string(event.adapterID)), ("event_id", .string(event.externalEventID))]))),
                output: JSONWriter.write(.object(output)), confidence: nil,
                evidence: JSONWriter.write(.object(JSONObject([("body_sha256", .string(digest)), ("reference", .string(reference))]))),
                version: "callback", decidedAt: now.millis, actor: "gateway:\(event.adapterID)", inputDigest: digest)
            let moved = try await store.moveOrder(id: orderID, from: [current.rawValue], to: next.rawValue, decisions: [decision], now: now.millis)
            last = CallbackResult(orderID: orderID, from: current.rawValue, to: moved ? next.rawValue : nil, note: moved ? "moved" : "raced")
        }
        return last
    }
}

/// Works through the inbox: woken when a callback is stored, and every second for what an earlier
/// round (or another instance) left.
public struct CallbackWorker: Service {
    public let store: any ServerDatabase
    public let processor: any CallbackProcessing
    public let signal: WorkSignal
    public let logger: Logger
    public let onResult: @Sendable (InboxEvent, CallbackResult) -> Void

    public init(store: any ServerDatabase, processor: any CallbackProcessing, signal: WorkSignal, logger: Logger,
                onResult: @escaping @Sendable (InboxEvent, CallbackResult) -> Void = { _, _ in }) {
        self.store = store; self.processor = processor; self.signal = signal; self.logger = logger; self.onResult = onResult
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round()
                await self.signal.wait(timeoutMillis: 1000)
            }
        }
    }

    /// Processes what is waiting; returns how many events were handled.
    @discardableResult
    public func round() async -> Int {
        guard let events = try? await store.unprocessedCallbacks(limit: 200) else { return 0 }
        var handled = 0
        for event in events {
            do {
                let result = try await processor.process(event, now: Date())
                try await store.markCallbackProcessed(adapterID: event.adapterID, eventID: event.externalEventID, now: Date().millis)
                handled += 1
                Counter(label: "customs_hub_callbacks_processed_total", dimensions: [("adapter", event.adapterID)]).increment()
                logger.info("callback processed", metadata: [
                    "adapter.id": "\(event.adapterID)", "callback.event_id": "\(event.externalEventID)",
                    "order.id": "\(result.orderID.map(String.init) ?? "")", "note": "\(result.note)",
                ])
                onResult(event, result)
            } catch let error as StoreError {
                logger.warning("callback left for later: \(error)", metadata: ["callback.event_id": "\(event.externalEventID)"])
            } catch {
                try? await store.markCallbackProcessed(adapterID: event.adapterID, eventID: event.externalEventID, now: Date().millis)
                logger.error("callback refused: \(error)", metadata: ["callback.event_id": "\(event.externalEventID)"])
            }
        }
        return handled
    }
}
