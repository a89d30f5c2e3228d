import AdapterKit
import CustomsModel
import Foundation
import HTTPTypes
import Logging
import Mapping
import Metrics
import Relay
import ServiceLifecycle
import Store

/// Takes a gateway's callback at the door, through the delivery work's `CallbackReceiver`: the
/// adapter's signature is checked (the hub's default scheme when the adapter file names none, so
/// every callback is signed), the raw body goes to the inbox (the same event twice is stored once),
/// and the caller is answered at once. `CallbackWorker` applies it afterwards.
public struct CallbackIntake: Sendable {
    public let store: any ServerDatabase
    public let catalog: @Sendable () -> AdapterCatalog?
    /// Secrets given in configuration (adapter id → secret); otherwise the adapter's own reference
    /// (`env:NAME` or `file:PATH`) is read.
    public let secrets: [String: String]
    public let signal: WorkSignal
    /// The tenant whose orders an adapter's order webhooks carry (adapter id → tenant id).
    public let orderTenants: [String: String]
    /// Where adapter files' `{env: NAME}` secrets are read: the environment, read once (reading it
    /// for every callback was a cost of its own).
    private let environment = Secrets()

    public init(store: any ServerDatabase, catalog: @escaping @Sendable () -> AdapterCatalog?, secrets: [String: String], signal: WorkSignal,
                orderTenants: [String: String] = [:]) {
        self.store = store; self.catalog = catalog; self.secrets = secrets; self.signal = signal; self.orderTenants = orderTenants
    }

    /// A webhook that carries orders (a web shop's order feed, its mapping's canonical is `order`).
    public struct OrderWebhook: Sendable {
        public var eventID: String
        public var tenant: String
        public var format: MappingSpec.Format
    }

    /// For an adapter whose webhooks carry orders: the signature checked as for a status callback,
    /// and the tenant the orders belong to. Nil for an adapter whose callbacks carry statuses.
    public func orderWebhook(adapter id: String, body: [UInt8], headers: [String: String], now: Date) throws -> OrderWebhook? {
        guard let receiver = receiver() else {
            throw Problem(.serviceUnavailable, "not-ready", "Adapters not loaded", detail: "try again shortly")
        }
        guard receiver.catalog.webhooksCarryOrders(id), let adapter = receiver.catalog.adapters[id] else { return nil }
        guard let tenant = orderTenants[id] else {
            throw Problem(.serviceUnavailable, "callback-not-configured", "Order webhooks for this adapter are not configured",
                          detail: "adapter \(id) carries orders; set adapters.\(id).tenant in the server configuration to the tenant they belong to")
        }
        do {
            let eventID = try receiver.verify(adapter: id, body: body, headers: headers, now: now)
            return OrderWebhook(eventID: eventID, tenant: tenant, format: adapter.format)
        } catch let refusal as CallbackReceiver.Refusal {
            throw Self.problem(refusal)
        }
    }

    static func problem(_ refusal: CallbackReceiver.Refusal) -> Problem {
        if refusal.configuration {
            return Problem(.serviceUnavailable, "callback-not-configured", "Callbacks for this adapter are not configured", detail: refusal.description)
        }
        return Problem(.unauthorized, "bad-signature", "Callback signature refused", detail: refusal.description)
    }

    /// The signature scheme an adapter's callbacks carry (the hub's default when its file names none).
    public static func signature(of adapter: AdapterDefinition) -> AdapterDefinition.Signature {
        adapter.callbacks?.signature ?? .hubDefault()
    }

    /// The receiver over the current catalog, with the server's secrets and default signature.
    public func receiver() -> CallbackReceiver? {
        guard let catalog = catalog() else { return nil }
        return CallbackReceiver(store: store, catalog: catalog, secrets: environment, defaultSignature: .hubDefault(), adapterSecrets: secrets)
    }

    public func receive(adapter id: String, body: [UInt8], headers: [String: String], now: Date) async throws -> CallbackReceiver.Accepted {
        guard let receiver = receiver() else {
            throw Problem(.serviceUnavailable, "not-ready", "Adapters not loaded", detail: "try again shortly")
        }
        guard receiver.catalog.adapters[id] != nil else { throw Problem.notFound("adapter \(id)") }
        let accepted: CallbackReceiver.Accepted
        do { accepted = try await receiver.accept(adapter: id, body: body, headers: headers, now: now) } catch let refusal as CallbackReceiver.Refusal {
            throw Self.problem(refusal)
        }
        if accepted.inboxID != nil { signal.signal() }
        return accepted
    }
}

/// Works through the inbox: woken when a callback is stored, and every second for what an earlier
/// round (or another instance) left. Each stored callback is claimed before it is applied, so two
/// instances never apply the same one; a claim older than a minute (its instance died) is retaken.
public struct CallbackWorker: Service {
    public let intake: CallbackIntake
    public let logger: Logger
    public let onResult: @Sendable (CallbackReceiver.Outcome) -> Void
    public static let staleClaimMillis: Millis = 60_000

    public init(intake: CallbackIntake, logger: Logger, onResult: @escaping @Sendable (CallbackReceiver.Outcome) -> Void = { _ in }) {
        self.intake = intake; self.logger = logger; self.onResult = onResult
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round()
                await self.intake.signal.wait(timeoutMillis: 1000)
            }
        }
    }

    /// Processes what is waiting; returns how many callbacks were applied or settled.
    @discardableResult
    public func round() async -> Int {
        let store = intake.store
        guard let receiver = intake.receiver() else { return 0 }
        let now = Date().millis
        _ = try? await store.retakeStaleCallbacks(claimedBefore: now - Self.staleClaimMillis)
        // A round takes the oldest 200 waiting; a burst of thousands is worked through in rounds
        // instead of read whole, bodies included, at every round.
        guard let waiting = try? await store.callbacks(status: "received", adapterID: nil, limit: 200, newestFirst: false) else { return 0 }
        var handled = 0
        for record in waiting {
            guard (try? await store.claimCallback(inboxID: record.id, now: Date().millis)) == true else { continue }
            do {
                let started = ContinuousClock.now
                defer { HubMetrics.stage("callback", adapter: record.adapterID, seconds: (ContinuousClock.now - started).seconds) }
                let outcome = try await receiver.process(inboxID: record.id, adapter: record.adapterID, eventID: record.externalEventID,
                                                         body: record.body, now: Date())
                handled += 1
                Counter(label: "customs_hub_callbacks_processed_total", dimensions: [("adapter", record.adapterID), ("status", outcome.status)]).increment()
                logger.info("callback processed", metadata: [
                    "adapter.id": "\(record.adapterID)", "callback.event_id": "\(record.externalEventID)", "callback.status": "\(outcome.status)",
                    "order.id": "\(outcome.events.first { $0.orderID != nil }?.orderID.map(String.init) ?? "")",
                    "filing.id": "\(outcome.events.first { $0.filingID != nil }?.filingID.map(String.init) ?? "")",
                ])
                onResult(outcome)
            } catch let error as StoreError {
                try? await store.unclaimCallback(inboxID: record.id)
                logger.warning("callback left for later: \(error)", metadata: ["callback.event_id": "\(record.externalEventID)"])
            } catch {
                try? await store.settleCallback(inboxID: record.id, status: "unreadable", filingID: nil, orderID: nil, note: "\(error)",
                                                now: Date().millis)
                logger.error("callback refused: \(error)", metadata: ["callback.event_id": "\(record.externalEventID)"])
            }
        }
        return handled
    }
}
