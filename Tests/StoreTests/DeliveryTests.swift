import AdapterKit
import AsyncHTTPClient
import Crypto
import CustomsModel
import Foundation
import HubContent
import JSONCore
import LoopbackSink
import Relay
import Store
import StoreSQLite
import Synchronization
import Testing

/// Filings delivered as their gateways expect them, and every answer back to its order: real
/// stores (SQLite, and PostgreSQL when configured), the loopback sink as the gateway.
@Suite("Delivery and callbacks", .timeLimit(.minutes(10)))
struct DeliveryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let loaded = ContentRoot(url: root).loadCatalog()
    static var catalog: AdapterCatalog { loaded.catalog }
    static let renderTime = Timestamp.parse("2026-11-21T08:00:00Z")!
    static let secrets = Secrets(environment: [
        "HMRC_CLIENT_ID": "id-1", "HMRC_CLIENT_SECRET": "secret-1",
        "GENERIC_WEBHOOK_SECRET": "whsec_" + Data("generic-secret".utf8).base64EncodedString(),
        "GENERIC_WEBHOOK_API_KEY": "key-1",
    ])

    static func order(_ name: String) throws -> Order {
        try CanonicalJSON.decoder().decode(Order.self, from: Data(contentsOf: root.appendingPathComponent("Fixtures/orders/valid/\(name).json")))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(relative)), as: UTF8.self)
    }

    /// Stores `order` as the hub would: its filing for `adapter`, rendered from the catalog, with
    /// the references its answers will name.
    static func accept(_ order: Order, adapter: String, into store: any HubStore, state: String = "filed") async throws
        -> (orderID: Int64, filing: RenderedFiling, references: [FilingReference]) {
        // The golden render context: reference sequence 1 (the LRN and interchange reference) and the
        // movement a CDS filing needs beyond the order.
        let context = try RenderContext.parse(try JSONParser.parse(Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/golden/render-context.json")))))
        let rendered = try catalog.render(order, adapter: adapter, now: renderTime, context: context)
        let key = "\(adapter)-\(order.idempotencyKey)"
        let body = Array(rendered.body.utf8)
        let references = FilingReferences.extract(body, idempotencyKey: key)
        let message = NewOutboxMessage(idempotencyKey: key, adapterID: adapter, contentType: rendered.contentType, payload: body)
        let (id, _) = try await store.accept(NewOrder(
            merchantID: "northwind", idempotencyKey: order.idempotencyKey, externalReference: order.externalReference, state: state,
            canonicalJSON: try CanonicalJSON.encode(order), lines: [],
            filings: [NewFiling(kind: rendered.messageType, message: message, references: references)]), now: t0)
        return (id, rendered, references)
    }

    /// The uk-cds route aimed at the sink, its OAuth2 token URL too.
    static func cdsRoute(_ sink: LoopbackSink) throws -> AdapterRoute {
        var route = try AdapterRoute(definition: try catalog.adapter("uk-cds"), url: sink.url)
        route.auth = .oauth2ClientCredentials(tokenURL: sink.tokenURL, clientID: .environment("HMRC_CLIENT_ID"),
                                              clientSecret: .environment("HMRC_CLIENT_SECRET"), scope: "write:customs-declaration")
        route.retry = RetryPolicy(maxAttempts: 3, baseDelayMillis: 1, maxDelayMillis: 2)
        return route
    }

    final class Clock: Sendable {
        let now = Mutex<Millis>(t0)
        func advance(_ millis: Millis) { now.withLock { $0 += millis } }
        var read: @Sendable () -> Millis { { self.now.withLock { $0 } } }
    }

    final class EventLog: Sendable {
        let events = Mutex<[DeliveryLogEvent]>([])
        var all: [DeliveryLogEvent] { events.withLock { $0 } }
    }

    static func relay(_ store: any HubStore, _ routes: [AdapterRoute], clock: Clock = Clock(), log: EventLog = EventLog()) -> Relay {
        Relay(store: store, transport: RoutingTransport(http: RelayTests.transport), routes: routes,
              configuration: RelayConfiguration(owner: "relay-t", maxInFlight: 8, leaseMillis: 120_000, idleMillis: 100),
              clock: clock.read, random: { 0 }, secrets: secrets, onEvent: { e in log.events.withLock { $0.append(e) } })
    }

    /// A DMS notification fixture, re-keyed to our filing's LRN.
    static func notification(_ fixture: String, lrn: String) throws -> [UInt8] {
        Array(try text("Fixtures/xml/hmrc-cds/\(fixture).xml").replacingOccurrences(of: "7847767E1WB6", with: lrn).utf8)
    }

    // MARK: HTTP: the GB order to uk-cds and back

    @Test(arguments: Engine.available)
    func gbOrderDeliveredWithItsBytesTypeAndCredentialsThenCallbacksClearIt(engine: Engine) async throws {
        try #require(Self.loaded.errors.isEmpty, "\(Self.loaded.errors)")
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                sink.requireBearer(true)
                sink.setDefault(.answer(status: 202, contentType: "application/xml", body: "<ok/>"))
                let (orderID, rendered, references) = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "uk-cds", into: store)
                let log = EventLog()
                try await Self.relay(store, [try Self.cdsRoute(sink)], log: log).runOnce()

                // One token request, then the declaration: its own bytes, its XML type, the bearer token.
                #expect(sink.tokenRequests.count == 1)
                let form = String(decoding: try #require(sink.tokenRequests.first), as: UTF8.self)
                #expect(form.contains("grant_type=client_credentials") && form.contains("client_id=id-1") && form.contains("client_secret=secret-1"))
                let got = try #require(sink.received.first)
                #expect(sink.received.count == 1)
                #expect(got.body == Array(rendered.body.utf8))
                #expect(got.headers["content-type"] == "application/xml")
                #expect(got.headers["authorization"] == "Bearer tok-1")
                #expect(got.headers["x-conversation-id"] == "uk-cds-northwind-NW-100231")

                // The delivery moved the filing and the order, and was logged as one JSON event.
                let filing = try #require(try await store.filings(orderID: orderID).first)
                #expect(filing.state == "submitted")
                #expect(try await store.order(id: orderID)?.state == "submitted")
                #expect(log.all.map(\.event) == ["delivered"])
                #expect(log.all.first?.outcome == "accepted")
                // Attempts keep the request head with the credential redacted.
                let row = try #require(try await store.messages(.all).first)
                let attempt = try #require(try await store.attempts(messageID: row.id).first)
                #expect(attempt.requestHead.contains("Bearer ***") && !attempt.requestHead.contains("tok-1"))

                // Callbacks: accepted, tax assessed, cleared.
                let lrn = try #require(references.first { $0.kind == "lrn" }?.value)
                let receiver = CallbackReceiver(store: store, catalog: Self.catalog, secrets: Self.secrets)
                var states: [String?] = []
                for fixture in ["TT_IM001a_01_DMSACC", "TT_IM001a_02_DMSTAX", "TT_IM001a_04_DMSCLE"] {
                    let outcome = try await receiver.receive(adapter: "uk-cds", body: try Self.notification(fixture, lrn: lrn), headers: [:], now: Date())
                    #expect(outcome.status == "applied", "\(fixture): \(outcome)")
                    states.append(outcome.events.first?.orderStateAfter)
                }
                #expect(states == ["accepted", "accepted", "cleared"])
                #expect(try await store.order(id: orderID)?.state == "cleared")
                #expect(try await store.filings(orderID: orderID).first?.state == "cleared")
                // The MRN the first notification carried now finds the filing too.
                #expect(try await store.findFilings(references: ["24GB22WOA1EV2P6AR5"], adapterID: "uk-cds").first?.id == filing.id)
                let decisions = try await store.decisions(orderID: orderID)
                #expect(decisions.map(\.kind) == ["delivery", "callback.accepted", "callback.duty_assessed", "callback.cleared"])
                #expect(decisions.last?.evidence.contains("\"matched_by\":\"reference\"") == true)
            }
        }
    }

    // MARK: A rejection opens a review item with the gateway's reasons

    @Test(arguments: Engine.available)
    func gatewayRejectionOpensAReviewItemWithItsReasons(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                let reasons = #"{"errorResponse":{"errors":[{"code":"CDS12005","message":"commodity code not valid"}]}}"#
                sink.setDefault(.answer(status: 400, contentType: "application/json", body: reasons))
                let (orderID, _, _) = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "uk-cds", into: store)
                try await Self.relay(store, [try Self.cdsRoute(sink)]).runOnce()
                #expect(sink.received.count == 1, "a rejection is not retried")
                let row = try #require(try await store.messages(.all).first)
                #expect(row.state == .dead && row.lastErrorClass == .permanent)
                #expect(row.lastError?.contains("CDS12005") == true)
                #expect(try await store.order(id: orderID)?.state == "rejected")
                let filing = try #require(try await store.filings(orderID: orderID).first)
                #expect(filing.state == "rejected" && filing.detail?.contains("CDS12005") == true)
                let review = try await store.reviewItems(state: "open")
                #expect(review.count == 1 && review.first?.orderID == orderID)
                #expect(review.first?.detail.contains("CDS12005") == true)
                let attempt = try #require(try await store.attempts(messageID: row.id).first)
                #expect(attempt.verdict?.contains("\"outcome\":\"rejected\"") == true)
                #expect(String(decoding: attempt.responseBody, as: UTF8.self) == reasons)
            }
        }
    }

    // MARK: OAuth2 client credentials

    @Test(arguments: Engine.available)
    func oauthTokenIsFetchedOnceCachedUntilExpiryAndRefreshedOn401(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                sink.requireBearer(true, lifetimeSeconds: 120)
                sink.setDefault(.status(202))
                let clock = Clock()
                let relay = Self.relay(store, [try Self.cdsRoute(sink)], clock: clock)
                func enqueue(_ key: String) async throws {
                    _ = try await store.enqueue([NewOutboxMessage(idempotencyKey: key, adapterID: "uk-cds", contentType: "application/xml",
                                                                  payload: Array("<d/>".utf8))], now: t0)
                }
                try await enqueue("a")
                try await enqueue("b")
                try await relay.runOnce()
                #expect(sink.tokenRequests.count == 1, "two deliveries, one token")
                // Still inside the lifetime (less the renewal margin): cached.
                clock.advance(60_000)
                try await enqueue("c")
                try await relay.runOnce()
                #expect(sink.tokenRequests.count == 1)
                // Past it: a fresh token before sending.
                clock.advance(40_000)
                try await enqueue("d")
                try await relay.runOnce()
                #expect(sink.tokenRequests.count == 2)
                // The gateway drops its tokens: the 401 fetches a new one and the same attempt delivers.
                sink.revokeTokens()
                try await enqueue("e")
                try await relay.runOnce()
                #expect(sink.tokenRequests.count == 3)
                let rows = try await store.messages(.all)
                #expect(rows.count == 5 && rows.allSatisfy { $0.state == .delivered })
                let last = try #require(rows.last)
                #expect(last.attempts == 1)
                #expect(sink.requests(for: "e").map(\.answered) == [401, 202])
            }
        }
    }

    // MARK: EDIFACT: CUSDEC by file drop, CONTRL and CUSRES from the inbound folder

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-drop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func contrl(_ interchange: String, action: String, error: String? = nil) -> String {
        "UNA:+.? 'UNB+UNOC:3+GATEWAY:ZZ+CUSTOMSHUB:ZZ+261121:0806+GW\(action)0001'UNH+1+CONTRL:3:1:UN'"
            + "UCI+\(interchange)+CUSTOMSHUB:ZZ+GATEWAY:ZZ+\(action)\(error.map { "+" + $0 } ?? "")'UNT+3+1'UNZ+1+GW\(action)0001'"
    }

    static func cusres(_ lrn: String, code: String, ref: String) -> String {
        "UNA:+.? 'UNB+UNOC:3+GATEWAY:ZZ+CUSTOMSHUB:ZZ+261121:0945+\(ref)'UNH+77+CUSRES:D:96B:UN'BGM+\(code)+26GB00000000000001+9'"
            + "DTM+137:202611210945:203'RFF+ABO:\(lrn)'UNT+5+77'UNZ+1+\(ref)'"
    }

    @Test(arguments: Engine.available)
    func cusdecGoesByFileDropAndItsAnswersComeFromTheInboundFolder(engine: Engine) async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withStore(engine) { store in
            let (orderID, rendered, references) = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "cusdec-gateway", into: store)
            let outbox = dir.appendingPathComponent("out")
            let route = try AdapterRoute(definition: try Self.catalog.adapter("cusdec-gateway"), url: outbox.path)
            try await Self.relay(store, [route]).runOnce()
            let dropped = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
            #expect(dropped == ["cusdec-gateway-northwind-NW-100231.edi"], "one file, no temporary left behind")
            let bytes = try Data(contentsOf: outbox.appendingPathComponent(try #require(dropped.first)))
            #expect(Array(bytes) == Array(rendered.body.utf8))
            #expect(try await store.order(id: orderID)?.state == "submitted")

            let interchange = try #require(references.first { $0.kind == "interchange" }?.value)
            let lrn = try #require(references.first { $0.kind == "lrn" }?.value)
            let inbound = dir.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: inbound, withIntermediateDirectories: true)
            try Self.contrl(interchange, action: "7").write(to: inbound.appendingPathComponent("a-contrl.edi"), atomically: true, encoding: .utf8)
            // Out of order: the release arrives before the acceptance.
            try Self.cusres(lrn, code: "964", ref: "R1").write(to: inbound.appendingPathComponent("b-cusres-cleared.edi"), atomically: true, encoding: .utf8)
            try Self.cusres(lrn, code: "962", ref: "R2").write(to: inbound.appendingPathComponent("c-cusres-accepted.edi"), atomically: true, encoding: .utf8)
            try "not edifact".write(to: inbound.appendingPathComponent("d-garbage.edi"), atomically: true, encoding: .utf8)
            let receiver = CallbackReceiver(store: store, catalog: Self.catalog, secrets: Self.secrets)
            let items = try await InboundFolder(receiver: receiver, adapterID: "cusdec-gateway", directory: inbound.path).poll(now: Date())
            #expect(items.map(\.outcome.status) == ["applied", "applied", "applied", "unreadable"])
            #expect(items.map { $0.outcome.events.first?.matchedBy } == ["reference", "reference", "reference", nil])
            // The gateway's own word travels with each event, so an event the hub does not place can still be told.
            #expect(items.map { $0.outcome.events.first?.rawStatus } == ["CONTRL 7", "964", "962", nil])
            #expect(try await store.order(id: orderID)?.state == "cleared", "a late acceptance does not move it back")
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbound.appendingPathComponent("processed").path).count == 3)
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbound.appendingPathComponent("failed").path) == ["d-garbage.edi"])
            // A second pass finds nothing left to read; the same file again is a duplicate.
            #expect(try await InboundFolder(receiver: receiver, adapterID: "cusdec-gateway", directory: inbound.path).poll(now: Date()).isEmpty)
            let again = try await receiver.receive(adapter: "cusdec-gateway", body: Array(Self.contrl(interchange, action: "7").utf8), headers: [:], now: Date())
            #expect(again.status == "duplicate")
            #expect(try await store.callbacks(status: "unreadable", adapterID: "cusdec-gateway").count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func contrlRejectionMarksTheFilingRejectedWithItsErrors(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (orderID, _, references) = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "cusdec-gateway", into: store,
                                                                 state: "submitted")
            let interchange = try #require(references.first { $0.kind == "interchange" }?.value)
            let receiver = CallbackReceiver(store: store, catalog: Self.catalog, secrets: Self.secrets)
            let outcome = try await receiver.receive(adapter: "cusdec-gateway", body: Array(Self.contrl(interchange, action: "4", error: "29").utf8),
                                                     headers: [:], now: Date())
            #expect(outcome.status == "applied" && outcome.events.first?.kind == "rejected")
            let filing = try #require(try await store.filings(orderID: orderID).first)
            #expect(filing.state == "rejected")
            #expect(filing.detail?.contains("\"code\":\"29\"") == true)
            #expect(try await store.order(id: orderID)?.state == "rejected")
            #expect(try await store.reviewItems(state: "open").first?.detail.contains("29") == true)
        }
    }

    // MARK: Signed callbacks

    static func signed(_ body: String, id: String, at: Date, secret: String = "generic-secret") -> [String: String] {
        let ts = "\(Int(at.timeIntervalSince1970))"
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).".utf8) + Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return ["webhook-id": id, "webhook-timestamp": ts, "webhook-signature": "v1," + Data(mac).base64EncodedString()]
    }

    static func webhook(_ kind: String, reference: String) -> String {
        #"{"type":"customs.status","timestamp":"2026-11-21T09:00:00Z","data":{"kind":"\#(kind)","reference":"\#(reference)"}}"#
    }

    /// While a gateway rotates its signing secret, the hub holds the new and the old one (separated by
    /// a space): callbacks signed with either are taken, a third secret is still a forgery.
    @Test(arguments: Engine.available)
    func callbackSecretsRotateWithoutARefusedCallback(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "generic-webhook", into: store, state: "submitted")
            let whsec = { (s: String) in "whsec_" + Data(s.utf8).base64EncodedString() }
            let receiver = CallbackReceiver(store: store, catalog: Self.catalog, secrets: Self.secrets,
                                            adapterSecrets: ["generic-webhook": whsec("new-secret") + " " + whsec("generic-secret")])
            let now = Date()
            let accepted = Self.webhook("accepted", reference: "NW-100231")
            let old = try await receiver.receive(adapter: "generic-webhook", body: Array(accepted.utf8), headers: Self.signed(accepted, id: "rot-1", at: now), now: now)
            #expect(old.status == "applied")
            let cleared = Self.webhook("cleared", reference: "NW-100231")
            let new = try await receiver.receive(adapter: "generic-webhook", body: Array(cleared.utf8),
                                                 headers: Self.signed(cleared, id: "rot-2", at: now, secret: "new-secret"), now: now)
            #expect(new.status == "applied")
            await #expect(throws: CallbackReceiver.Refusal.self) {
                _ = try await receiver.receive(adapter: "generic-webhook", body: Array(cleared.utf8),
                                               headers: Self.signed(cleared, id: "rot-3", at: now, secret: "third"), now: now)
            }
            // A stale timestamp is named as stale, whichever secret is tried first.
            do {
                _ = try await receiver.receive(adapter: "generic-webhook", body: Array(cleared.utf8),
                                               headers: Self.signed(cleared, id: "rot-4", at: now.addingTimeInterval(-3600)), now: now)
                Issue.record("a stale callback was taken")
            } catch let r as CallbackReceiver.Refusal {
                #expect(r.description.contains("tolerance"), "\(r)")
            }
        }
    }

    @Test(arguments: Engine.available)
    func signedCallbacksDuplicatesForgeriesStaleAndUnmatched(engine: Engine) async throws {
        try await withStore(engine) { store in
            let (orderID, _, _) = try await Self.accept(try Self.order("gb-b2c-apparel-from-cn"), adapter: "generic-webhook", into: store,
                                                        state: "submitted")
            let receiver = CallbackReceiver(store: store, catalog: Self.catalog, secrets: Self.secrets)
            let now = Date()
            func receive(_ body: String, _ headers: [String: String]) async throws -> CallbackReceiver.Outcome {
                try await receiver.receive(adapter: "generic-webhook", body: Array(body.utf8), headers: headers, now: now)
            }
            func refused(_ body: String, _ headers: [String: String]) async -> String? {
                do {
                    _ = try await receive(body, headers)
                    return nil
                } catch let r as CallbackReceiver.Refusal {
                    return r.description
                } catch {
                    return "\(error)"
                }
            }
            let cleared = Self.webhook("cleared", reference: "NW-100231")
            #expect(try await receive(cleared, Self.signed(cleared, id: "evt-1", at: now)).status == "applied")
            // The same event again changes nothing.
            #expect(try await receive(cleared, Self.signed(cleared, id: "evt-1", at: now)).status == "duplicate")
            // Out of order: an older "accepted" after "cleared" leaves the order cleared (and is recorded).
            let accepted = Self.webhook("accepted", reference: "NW-100231")
            let late = try await receive(accepted, Self.signed(accepted, id: "evt-0", at: now))
            #expect(late.events.first?.orderStateBefore == "cleared" && late.events.first?.orderStateAfter == "cleared")
            #expect(try await store.order(id: orderID)?.state == "cleared")

            // Forged, missing and stale signatures are refused and stored nowhere.
            let held = Self.webhook("held", reference: "NW-100231")
            #expect(await refused(held, Self.signed(held, id: "evt-2", at: now, secret: "wrong"))?.contains("does not match") == true)
            #expect(await refused(held, ["webhook-id": "evt-3", "webhook-timestamp": "\(Int(now.timeIntervalSince1970))"])?.contains("missing") == true)
            #expect(await refused(held, Self.signed(held, id: "evt-4", at: now.addingTimeInterval(-3600)))?.contains("tolerance") == true)
            let stored = try await store.callbacks(status: nil, adapterID: "generic-webhook")
            #expect(stored.map(\.externalEventID) == ["evt-1", "evt-0"])
            #expect(try await store.order(id: orderID)?.state == "cleared")

            // An answer for nothing we filed is kept and listed, never dropped.
            let stray = Self.webhook("accepted", reference: "NOT-OURS")
            let unmatched = try await receive(stray, Self.signed(stray, id: "evt-5", at: now))
            #expect(unmatched.status == "unmatched" && unmatched.note?.contains("NOT-OURS") == true)
            let listed = try await store.callbacks(status: "unmatched", adapterID: nil)
            #expect(listed.map(\.externalEventID) == ["evt-5"] && listed.first?.body == Array(stray.utf8))
            #expect(try await store.decisions(orderID: orderID).map(\.kind) == ["callback.cleared", "callback.accepted"])
        }
    }

    // MARK: Rows that cannot be sent, and the order rule

    @Test(arguments: Engine.available)
    func aHeaderWithCRLFIsPermanentNeverAnUnknownDelivery(engine: Engine) async throws {
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                _ = try await store.enqueue([NewOutboxMessage(idempotencyKey: "k-1", adapterID: "gw", contentType: "text/plain\r\nX-Evil: 1",
                                                              payload: Array("x".utf8))], now: t0)
                try await Self.relay(store, [AdapterRoute(adapterID: "gw", url: sink.url)]).runOnce()
                let row = try #require(try await store.messages(.all).first)
                #expect(row.state == .dead && row.lastErrorClass == .permanent)
                #expect(sink.received.isEmpty)
            }
        }
    }

    @Test func anAnswerNeverMovesAnOrderBackwards() {
        #expect(OrderLifecycle.next(from: "cleared", to: "accepted") == "cleared")
        #expect(OrderLifecycle.next(from: "submitted", to: "accepted") == "accepted")
        #expect(OrderLifecycle.next(from: "filed", to: "cleared") == "cleared")
        #expect(OrderLifecycle.next(from: "accepted", to: "rejected") == "accepted")  // same rank in OrderState: both answer the lodging
        #expect(OrderLifecycle.next(from: "cancelled", to: "cleared") == "cancelled")
        #expect(OrderLifecycle.next(from: "held_by_customs", to: "accepted") == "held_by_customs")
        #expect(OrderLifecycle.next(from: "held_by_customs", to: "cleared") == "cleared")
        #expect(OrderLifecycle.nextFiling(from: "cleared", to: "received") == "cleared")
    }

    @Test func aDamagedSQLiteFileIsRefusedAtOpen() async throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        _ = try await store.enqueue((0..<200).map { NewOutboxMessage(idempotencyKey: "k\($0)", adapterID: "gw", payload: Array(repeating: 65, count: 300)) },
                                    now: t0)
        try await store.close()
        // Overwrite the middle of the file (table and index pages), as a torn disk write would.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 3 * 4096 + 16)
        handle.write(Data(repeating: 0xA5, count: 4096 * 3))
        try handle.close()
        var refused = false
        do {
            let reopened = try SQLiteStore(path: path)
            do { try await reopened.migrate() } catch { refused = "\(error)".contains("malformed") || "\(error)".contains("integrity") }
            try? await reopened.close()
        } catch {
            refused = true
        }
        #expect(refused)
    }
}
