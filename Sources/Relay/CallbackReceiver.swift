import AdapterKit
import CustomsModel
import Digests
import Foundation
import JSONCore
import Store

/// Takes a gateway's answer (an HTTP callback, or a CUSRES/CONTRL file from an inbound folder)
/// the way the server will: verify its signature, store the raw body in the inbox first (the same
/// event twice is stored once), read it through the adapter's inbound mapping, find its filing and
/// order, and apply it. An answer that matches nothing is kept and listed, never dropped.
public struct CallbackReceiver: Sendable {
    public let store: any HubStore
    public let catalog: AdapterCatalog
    public let secrets: Secrets

    /// Checked for adapters whose file names no signature (the server's: every callback is signed).
    public var defaultSignature: AdapterDefinition.Signature?
    /// Secrets given by configuration, by adapter id; they win over the adapter file's reference.
    public var adapterSecrets: [String: String]

    public init(store: any HubStore, catalog: AdapterCatalog, secrets: Secrets = Secrets(),
                defaultSignature: AdapterDefinition.Signature? = nil, adapterSecrets: [String: String] = [:]) {
        self.store = store; self.catalog = catalog; self.secrets = secrets
        self.defaultSignature = defaultSignature; self.adapterSecrets = adapterSecrets
    }

    /// Why a callback was refused before anything was stored.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        /// True when the hub's configuration is at fault (unknown adapter, missing secret).
        public var configuration: Bool
        public var description: String
    }

    /// What one status event in the callback did.
    public struct Applied: Sendable, Codable, Hashable {
        public var kind: String
        /// The gateway's own status, verbatim: what an `other` event actually said.
        public var rawStatus: String?
        public var reference: String?
        public var authorityReference: String?
        public var filingID: Int64?
        public var orderID: Int64?
        public var filingState: String?
        public var orderStateBefore: String?
        public var orderStateAfter: String?
        public var reviewID: Int64?
        public var matchedBy: String?

        enum CodingKeys: String, CodingKey {
            case kind, reference
            case rawStatus = "raw_status"
            case authorityReference = "authority_reference", filingID = "filing_id", orderID = "order_id", filingState = "filing_state"
            case orderStateBefore = "order_state_before", orderStateAfter = "order_state_after", reviewID = "review_id"
            case matchedBy = "matched_by"
        }
    }

    public struct Outcome: Sendable, Codable, Hashable {
        /// `applied`, `duplicate`, `unmatched` or `unreadable`.
        public var status: String
        public var adapterID: String
        public var eventID: String
        public var inboxID: Int64?
        public var events: [Applied]
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case status, events, note
            case adapterID = "adapter_id", eventID = "event_id", inboxID = "inbox_id"
        }
    }

    /// Verifies, stores and applies a callback in one go (the CLI's `callbacks receive`, inbound folders).
    public func receive(adapter id: String, body: [UInt8], headers: [String: String], now: Date) async throws -> Outcome {
        let taken = try await accept(adapter: id, body: body, headers: headers, now: now)
        guard let inboxID = taken.inboxID else {
            return Outcome(status: "duplicate", adapterID: id, eventID: taken.eventID, inboxID: nil, events: [], note: "already received")
        }
        return try await process(inboxID: inboxID, adapter: id, eventID: taken.eventID, body: body, now: now)
    }

    /// A callback verified and stored, not yet applied (`inboxID` nil: a duplicate, nothing stored).
    public struct Accepted: Sendable, Hashable {
        public var eventID: String
        public var inboxID: Int64?
    }

    /// The first half of `receive`, what the server does before it answers: the signature is
    /// checked and the raw body stored in the inbox (status `received`). `process` applies it later.
    public func accept(adapter id: String, body: [UInt8], headers: [String: String], now: Date) async throws -> Accepted {
        let eventID = try verify(adapter: id, body: body, headers: headers, now: now)
        let inboxID = try await store.storeCallback(InboxEvent(adapterID: id, externalEventID: eventID, receivedAt: now.millis, body: body))
        return Accepted(eventID: eventID, inboxID: inboxID)
    }

    /// The signature check alone (the secret, or either secret during a rotation); returns the
    /// event's id. A web shop's order webhook is checked here and then taken as an order.
    public func verify(adapter id: String, body: [UInt8], headers: [String: String], now: Date) throws -> String {
        let adapter: AdapterDefinition
        do { adapter = try catalog.adapter(id) } catch { throw Refusal(configuration: true, description: "\(error)") }
        if let signature = adapter.callbacks?.signature ?? defaultSignature {
            let secret: String
            if let configured = adapterSecrets[id] {
                secret = configured
            } else {
                do { secret = try secrets.value(signature.secret) } catch {
                    throw Refusal(configuration: true, description: "adapter \(id): \(error)")
                }
            }
            // During a rotation the secret holds the new and the old one, separated by whitespace: a
            // callback signed with either is taken, so the gateway and the hub need not switch at once.
            var refusal: CallbackVerifier.Failure?
            for candidate in secret.split(whereSeparator: \.isWhitespace) {
                do throws(CallbackVerifier.Failure) {
                    try CallbackVerifier.verify(signature, secret: CallbackVerifier.secretBytes(String(candidate)), headers: headers, body: body, now: now)
                    refusal = nil
                    break
                } catch {
                    if refusal == nil || error != .badSignature { refusal = error }
                }
            }
            if secret.allSatisfy(\.isWhitespace) { refusal = .badSignature }
            if let refusal { throw Refusal(configuration: false, description: "adapter \(id): callback refused: \(refusal)") }
        }
        return Self.eventID(adapter: adapter, body: body, headers: headers)
    }

    /// The second half of `receive`: reads a stored callback through the adapter's inbound
    /// mapping, matches and applies its events, and settles its inbox row.
    public func process(inboxID: Int64, adapter id: String, eventID: String, body: [UInt8], now: Date) async throws -> Outcome {
        let adapter: AdapterDefinition
        do { adapter = try catalog.adapter(id) } catch { throw Refusal(configuration: true, description: "\(error)") }
        let millis = now.millis
        let result: IngestResult
        do { result = try catalog.ingest(body, adapter: id, kind: "status") } catch {
            let note = "\(error)"
            try await store.settleCallback(inboxID: inboxID, status: "unreadable", filingID: nil, orderID: nil, note: note, now: millis)
            return Outcome(status: "unreadable", adapterID: id, eventID: eventID, inboxID: inboxID, events: [], note: note)
        }
        let mapping = Self.mapping(adapter: adapter, body: body, catalog: catalog)
        var applied: [Applied] = []
        for event in result.events {
            var line = Applied(kind: event.kind.rawValue, rawStatus: event.rawStatus, reference: event.reference, authorityReference: event.authorityReference)
            if let found = try await match(event, adapterID: id) {
                let (filing, key) = found
                let update = FilingProgress.callback(event, filingID: filing.id, adapterID: id, mapping: mapping, inboxID: inboxID, matchedBy: key)
                let r = try await store.apply(update, now: millis)
                line.filingID = r.filingID
                line.orderID = r.orderID
                line.filingState = r.filingState
                line.orderStateBefore = r.orderStateBefore
                line.orderStateAfter = r.orderStateAfter
                line.reviewID = r.reviewID
                line.matchedBy = key.kind
            }
            applied.append(line)
        }
        let first = applied.first { $0.filingID != nil }
        let status = first == nil ? "unmatched" : "applied"
        var note: String?
        if result.events.isEmpty {
            note = "the mapping read no status event"
        } else if first == nil {
            note = "no filing of \(id) is known by " + Self.keys(result.events).joined(separator: ", ")
        }
        try await store.settleCallback(inboxID: inboxID, status: status, filingID: first?.filingID, orderID: first?.orderID, note: note, now: millis)
        return Outcome(status: status, adapterID: id, eventID: eventID, inboxID: inboxID, events: applied, note: note)
    }

    /// The filing an event belongs to: by the filing id it names, else by the first of its
    /// references (LRN / interchange reference / tracking code, then MRN, then order id) that a
    /// filing of this adapter is known by.
    func match(_ event: StatusEvent, adapterID: String) async throws -> (FilingRecord, FilingReference)? {
        if let text = event.filingID, let id = Int64(text), let filing = try await store.filing(id: id), filing.adapterID == adapterID {
            return (filing, FilingReference(kind: "filing_id", value: text))
        }
        let candidates: [(String, String?)] = [("reference", event.reference), ("authority_reference", event.authorityReference),
                                               ("order_id", event.orderID)]
        for (kind, value) in candidates {
            guard let value, !value.isEmpty else { continue }
            if let filing = try await store.findFilings(references: [value], adapterID: adapterID).first {
                return (filing, FilingReference(kind: kind, value: value))
            }
        }
        return nil
    }

    static func keys(_ events: [StatusEvent]) -> [String] {
        Array(Set(events.flatMap { [$0.reference, $0.authorityReference, $0.orderID, $0.filingID].compactMap { $0 } })).sorted()
    }

    /// The event id that makes a redelivery a duplicate: the adapter's `event_id` pointer, the
    /// Standard Webhooks `webhook-id`, or else the body's SHA-256 (the same file read twice).
    static func eventID(adapter: AdapterDefinition, body: [UInt8], headers: [String: String]) -> String {
        if let pointer = adapter.callbacks?.eventID, let json = try? JSONParser.parse(body), let v = json.value(atPointer: pointer) {
            switch v {
            case .string(let s) where !s.isEmpty: return s
            case .number(let n): return n
            default: break
            }
        }
        if adapter.callbacks?.signature?.scheme == "standard-webhooks",
           let id = headers.first(where: { $0.key.lowercased() == "webhook-id" })?.value, !id.isEmpty {
            return id
        }
        return "sha256:" + Digests.sha256(body)
    }

    /// Which inbound mapping read the body, for the decision record.
    static func mapping(adapter: AdapterDefinition, body: [UInt8], catalog: AdapterCatalog) -> String {
        if let c = adapter.callbacks { return c.mapping }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        for item in adapter.inbound where item.kind == "status" {
            if let type = item.messageType, text.contains("+" + type + ":") || text.contains("<" + type) { return item.mapping }
        }
        return adapter.inbound.first { $0.kind == "status" }?.mapping ?? ""
    }
}

/// Reads an inbound folder (CUSRES, CONTRL and other answers a partner drops for the hub): every
/// regular file, oldest name first, goes through `CallbackReceiver`; a file taken in is moved to
/// `processed/`, one that could not be read to `failed/`, so a second pass never reads it again.
public struct InboundFolder: Sendable {
    public let receiver: CallbackReceiver
    public let adapterID: String
    public let directory: String

    public init(receiver: CallbackReceiver, adapterID: String, directory: String) {
        self.receiver = receiver; self.adapterID = adapterID; self.directory = directory
    }

    public struct Item: Sendable, Codable, Hashable {
        public var file: String
        public var outcome: CallbackReceiver.Outcome
    }

    public func poll(now: Date) async throws -> [Item] {
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: directory).filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && fm.fileExists(atPath: directory + "/" + name, isDirectory: &isDir) && !isDir.boolValue
        }.sorted()
        var items: [Item] = []
        for name in names {
            let path = directory + "/" + name
            guard let data = fm.contents(atPath: path) else { continue }
            let outcome = try await receiver.receive(adapter: adapterID, body: Array(data), headers: [:], now: now)
            let folder = directory + "/" + (outcome.status == "unreadable" ? "failed" : "processed")
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let target = folder + "/" + name
            if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
            try fm.moveItem(atPath: path, toPath: target)
            items.append(Item(file: name, outcome: outcome))
        }
        return items
    }
}
