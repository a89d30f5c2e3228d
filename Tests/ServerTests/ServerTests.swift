import ChildProcess
import AdapterKit
import Foundation
import HubServer
import NIOHTTP1
import SandboxGateway
import Store
import StoreSQLite
import Pipeline
import Screening
import Hub
import HubContent
import JSONCore
import Testing
import Yams

@Suite("The hub as a service, over real HTTP on loopback", .serialized, .timeLimit(.minutes(5)))
struct ServerTests {
    @Test("An order goes in, its filings reach the sandbox, callbacks move it on; repeats, reused keys and forged callbacks are handled")
    func endToEnd() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let body = try TestServer.order(key: "e2e-1")
        let first = try await server.call(.POST, "/v1/orders", body: body, headers: ["Idempotency-Key": "k-1"])
        #expect(first.status == 201, "\(first.body)")
        let id = try #require(first.object["id"] as? Int)
        let again = try await server.call(.POST, "/v1/orders", body: body, headers: ["Idempotency-Key": "k-1"])
        #expect(again.status == 200)
        #expect(again.object["id"] as? Int == id)
        let reused = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "e2e-2"), headers: ["Idempotency-Key": "k-1"])
        #expect(reused.status == 409)
        #expect(reused.contentType == "application/problem+json")

        // Delivered to the sandbox, answered by callbacks: the order ends cleared, released, rejected or
        // held. The wait is generous (a loaded CI machine), it only tells "never" from "slow".
        let done: Set<String> = ["cleared", "released", "rejected", "held_by_customs"]
        // The CDS filing is answered in DMS notifications that name its LRN.
        let cdsFinal: Set<String> = ["cleared", "held", "rejected"]
        var state = ""
        var cdsState = ""
        try? await server.callbacksSettled.wait(120, for: "the order's final state") {
            let o = try await server.call(.GET, "/v1/orders/\(id)").object
            state = o["state"] as? String ?? ""
            cdsState = ((o["filings"] as? [[String: Any]]) ?? []).first { $0["adapter"] as? String == "uk-cds" }?["state"] as? String ?? ""
            return done.contains(state) && cdsFinal.contains(cdsState)
        }
        #expect(done.contains(state), "order stuck in \(state)")
        #expect(cdsFinal.contains(cdsState), "CDS filing stuck in \(cdsState)")
        #expect(Set(server.sandbox.filings.map(\.adapter)) == ["easypost", "uk-cds"])
        let shown = try await server.call(.GET, "/v1/orders/\(id)")
        let history = try #require(shown.object["history"] as? [[String: Any]])
        #expect(history.contains { ($0["kind"] as? String)?.hasPrefix("callback.") == true })

        // A callback sent twice is stored once; a forged one is refused and stored nowhere.
        let filing = try #require(server.sandbox.filings.first { $0.adapter == "easypost" })
        let adapter = try ServerEngines.loaded.get().catalog.adapter(filing.adapter)
        let event = try #require(SandboxGateway.callbackBody(adapter: adapter, filing: filing, kind: "accepted", errors: [], sequence: 99, now: Date()))
        let eventID = "evt_\(filing.reference)_99"
        let signed = CallbackSigner.headers(CallbackIntake.signature(of: adapter), secret: Array(TestServer.secret.utf8), body: event,
                                            eventID: eventID, now: Date())
        let c1 = try await server.call(.POST, "/v1/callbacks/\(filing.adapter)", key: nil, body: event, headers: signed)
        let c2 = try await server.call(.POST, "/v1/callbacks/\(filing.adapter)", key: nil, body: event, headers: signed)
        #expect(c1.status == 202 && c2.status == 200)
        #expect(c2.object["duplicate"] as? Bool == true)
        let forged = signed.mapValues { _ in "v1,AAAA" }
        let c3 = try await server.call(.POST, "/v1/callbacks/\(filing.adapter)", key: nil, body: Array(event.reversed()), headers: forged)
        #expect(c3.status == 401 && c3.contentType == "application/problem+json")
        let inbox = try await server.store.inbox(adapterID: filing.adapter)
        #expect(inbox.filter { $0.externalEventID == eventID }.count == 1)
        #expect(!inbox.contains { $0.body == Array(event.reversed()) })
    }

    @Test("A tenant never sees or changes another tenant's orders, reviews, audit trail or outbox rows")
    func tenantIsolation() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let created = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "iso-1"))
        let id = try #require(created.object["id"] as? Int)
        let outbox = try await server.call(.GET, "/v1/outbox")
        let messages = try #require(outbox.object["messages"] as? [[String: Any]])
        #expect(!messages.isEmpty)
        let messageID = try #require(messages.first?["id"] as? Int)
        let reviewID = try await server.store.addReview(ReviewItem(orderID: Int64(id), lineNumber: 1, reason: "risk", createdAt: 0))

        for (method, path) in [(HTTPMethod.GET, "/v1/orders/\(id)"), (.GET, "/v1/orders/\(id)/audit"), (.GET, "/v1/reviews/\(reviewID)"),
                               (.POST, "/v1/outbox/\(messageID)/reprocess"), (.GET, "/v1/reviews?order=\(id)")] {
            let other = try await server.call(method, path, key: "beta-key")
            #expect(other.status == 404, "\(method) \(path) as beta: \(other.status)")
            #expect(other.contentType == "application/problem+json")
        }
        let resolve = try await server.call(.POST, "/v1/reviews/\(reviewID)/resolve", key: "beta-key",
                                            body: Array(#"{"action":"confirm","reviewer":"mallory"}"#.utf8))
        #expect(resolve.status == 404)
        #expect(try await server.store.reviewItem(id: reviewID)?.state == "open")
        #expect((try await server.call(.GET, "/v1/orders", key: "beta-key").object["orders"] as? [Any])?.isEmpty == true)
        #expect((try await server.call(.GET, "/v1/reviews", key: "beta-key").object["review_items"] as? [Any])?.isEmpty == true)
        #expect((try await server.call(.GET, "/v1/outbox", key: "beta-key").object["messages"] as? [Any])?.isEmpty == true)
        // Beta cannot post for Alpha's merchant either.
        let hijack = try await server.call(.POST, "/v1/orders", key: "beta-key", body: try TestServer.order(key: "iso-2"))
        #expect(hijack.status == 403)
        // Alpha sees its own.
        #expect(try await server.call(.GET, "/v1/orders/\(id)").status == 200)
        #expect(try await server.call(.GET, "/v1/reviews/\(reviewID)").status == 200)
        #expect(try await server.call(.GET, "/v1/orders", key: "nope").status == 401)
    }

    @Test("A review item's value is money: a decimal string in its currency's minor units, with the currency beside it")
    func reviewValueCarriesItsCurrency() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let created = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "value-1"))
        let id = Int64(try #require(created.object["id"] as? Int))
        let priced = try await server.store.addReview(ReviewItem(orderID: id, lineNumber: 1, reason: "risk", createdAt: 0,
                                                                 value: Decimal(string: "24.5")!, currency: "EUR"))
        let yen = try await server.store.addReview(ReviewItem(orderID: id, lineNumber: 1, reason: "risk", createdAt: 1, value: 3000, currency: "JPY"))
        let bare = try await server.store.addReview(ReviewItem(orderID: id, lineNumber: nil, reason: "blocked", createdAt: 2))
        let shown = try await server.call(.GET, "/v1/reviews/\(priced)")
        #expect(shown.status == 200 && shown.object["value"] as? String == "24.50" && shown.object["currency"] as? String == "EUR", "\(shown.body)")
        let listed = try #require(try await server.call(.GET, "/v1/reviews?order=\(id)").object["review_items"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: listed.compactMap { item in (item["id"] as? Int).map { (Int64($0), item) } })
        #expect(byID[yen]?["value"] as? String == "3000" && byID[yen]?["currency"] as? String == "JPY", "\(listed)")
        #expect(byID[bare]?["value"] is NSNull && byID[bare]?["currency"] is NSNull, "\(listed)")
    }

    @Test("A tenant's outbox page holds its own rows however many another tenant queued first, and pages by cursor")
    func outboxPagesPerTenant() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        for n in 1...3 { #expect(try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "page-a\(n)")).status == 201) }
        let betaOrder = try await server.call(.POST, "/v1/orders", key: "beta-key", body: try TestServer.order(key: "page-b1", merchant: "beta-shop"))
        let betaID = try #require(betaOrder.object["id"] as? Int)

        let beta = try await server.call(.GET, "/v1/outbox?limit=1", key: "beta-key")
        let betaRows = try #require(beta.object["messages"] as? [[String: Any]])
        #expect(betaRows.count == 1)
        let filingID = try #require(betaRows.first?["filing_id"] as? Int)
        #expect(try await server.store.filing(id: Int64(filingID))?.orderID == Int64(betaID))

        var seen: [Int] = []
        var cursor: String?
        repeat {
            let page = try await server.call(.GET, "/v1/outbox?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            seen += (page.object["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = page.object["next_cursor"] as? String
        } while cursor != nil
        let alphaRows = try await server.store.messages(OutboxFilter(tenantID: "alpha"))
        #expect(!alphaRows.isEmpty && seen == alphaRows.map { Int($0.id) })
        #expect(try await server.call(.GET, "/v1/outbox?cursor=x").status == 400)
    }

    @Test("Malformed and oversized bodies are refused with problem+json, and nothing is stored")
    func badBodies() async throws {
        let server = try await TestServer(limits: APILimits(maxBodyBytes: 16 << 10, maxJSONDepth: 8, maxOrderLines: 3))
        defer { Task { await server.stop() } }
        let malformed = try await server.call(.POST, "/v1/orders", body: Array("{\"merchant_id\": ".utf8))
        #expect(malformed.status == 400 && malformed.contentType == "application/problem+json")
        #expect(malformed.object["type"] as? String == Problem.typeBase + "malformed-json")
        let deep = try await server.call(.POST, "/v1/orders", body: Array((String(repeating: "[", count: 20) + String(repeating: "]", count: 20)).utf8))
        #expect(deep.status == 400)
        let edifact = try await server.call(.POST, "/v1/orders", body: Array("UNA:+.? 'UNB+UNOC:3+X+Y'".utf8), contentType: "application/edifact")
        // Malformed messages for the ERP adapters that read EDIFACT and XML orders: 400, naming the reader.
        #expect(edifact.status == 400 && edifact.contentType == "application/problem+json", "\(edifact.body)")
        #expect(edifact.object["type"] as? String == Problem.typeBase + "malformed-message" && edifact.body.contains("erp-edifact"), "\(edifact.body)")
        let xml = try await server.call(.POST, "/v1/orders", body: Array("<order><unclosed>".utf8), contentType: "application/xml")
        #expect(xml.status == 400 && xml.object["type"] as? String == Problem.typeBase + "malformed-message", "\(xml.body)")
        let huge = try await server.call(.POST, "/v1/orders", body: Array(repeating: UInt8(ascii: " "), count: 200 << 10))
        #expect(huge.status == 413 && huge.contentType == "application/problem+json")
        // An invalid order names its fields as JSON Pointers.
        let invalid = try await server.call(.POST, "/v1/orders", body: Array(#"{"merchant_id":"alpha-shop","idempotency_key":"x","lines":[]}"#.utf8))
        #expect(invalid.status == 422)
        let errors = try #require(invalid.object["errors"] as? [[String: Any]])
        #expect(errors.allSatisfy { ($0["pointer"] as? String)?.hasPrefix("/") == true || $0["pointer"] as? String == "" })
        #expect(try await server.store.orders(OrderFilter()).isEmpty)
        #expect(try await server.call(.GET, "/v1/orders/does-not-exist").status == 404)
    }

    @Test("Every operation of the OpenAPI document answers on the real routes with a documented status and content type")
    func openAPIContract() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let created = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "contract-1"))
        let id = try #require(created.object["id"] as? Int)
        let doc = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var checked = 0
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, operation) in operations {
                guard let op = operation as? [String: Any], let responses = op["responses"] as? [String: Any] else { continue }
                let concrete = path.replacingOccurrences(of: "{id}", with: "\(id)").replacingOccurrences(of: "{adapter}", with: "uk-cds")
                let body: [UInt8]? = method == "post" ? Array("{}".utf8) : nil
                let answer = try await server.call(HTTPMethod(rawValue: method.uppercased()), concrete, body: body)
                #expect(responses["\(answer.status)"] != nil, "\(method.uppercased()) \(path) answered \(answer.status), not in the document")
                if answer.status >= 400 { #expect(answer.contentType == "application/problem+json", "\(method) \(path)") }
                checked += 1
            }
        }
        #expect(checked >= 12)
        #expect(try await server.call(.GET, "/metrics").body.contains("# TYPE"))
    }

    /// `serve` logs at info; `serve --demo`, whose stdout a person reads as events, at warning
    /// unless the file or the environment names a level, which both then keep.
    @Test("The demo logs at warning unless a level is configured; serve at info")
    func demoLogLevel() throws {
        let (dir, file) = try scratchConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try ServerConfig.load(file: nil, environment: [:])
        #expect(plain.logLevel(demo: false) == "info" && plain.logLevel(demo: true) == "warning")
        let environment = try ServerConfig.load(file: nil, environment: ["CUSTOMS_HUB_LOG_LEVEL": "debug"])
        #expect(environment.logLevel(demo: false) == "debug" && environment.logLevel(demo: true) == "debug")
        try "log_level: info\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ServerConfig.load(file: file.path, environment: [:]).logLevel(demo: true) == "info")
        try "log_level: chatty\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerConfig.Problem.self) { try ServerConfig.load(file: file.path, environment: [:]) }
    }

    @Test("A bad configuration file is refused with file:line: field: problem")
    func configErrors() throws {
        let (dir, file) = try scratchConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "port: 8080\nlimits:\n  max_body_bytes: lots\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerConfig.Problem.self) { try ServerConfig.load(file: file.path, environment: [:]) }
        do { _ = try ServerConfig.load(file: file.path, environment: [:]) } catch {
            #expect("\(error)" == "\(file.path):3: limits.max_body_bytes: expected an integer from 1 to 268435456")
        }
        // The OCR settings are the server's too: a bad one stops the start, not the first scan.
        do { _ = try ServerConfig.load(file: nil, environment: ["CUSTOMS_HUB_OCR_CLEANUP": "despeckel"]); Issue.record("a bad OCR setting was taken") } catch {
            #expect("\(error)".hasPrefix("environment:0: CUSTOMS_HUB_OCR_CLEANUP: unknown value 'despeckel'"), "\(error)")
        }
        try "port: 9000\nadapters:\n  uk-cds:\n    endpoint: http://127.0.0.1:1/x\n".write(to: file, atomically: true, encoding: .utf8)
        let config = try ServerConfig.load(file: file.path, environment: ["CUSTOMS_HUB_PORT": "9100"])
        #expect(config.port == 9100)
        #expect(config.adapters["uk-cds"]?.endpoint == "http://127.0.0.1:1/x")
        // A callback secret in rotation is a list: the new one and the old one.
        try "adapters:\n  uk-cds:\n    callback_secret: [new-one, old-one]\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ServerConfig.load(file: file.path, environment: [:]).adapters["uk-cds"]?.callbackSecret == "new-one old-one")
        try "adapters:\n  uk-cds:\n    callback_secret: []\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerConfig.Problem.self) { try ServerConfig.load(file: file.path, environment: [:]) }
        // A tenant's API key in rotation is a list of hashes, newest first; a hash given to two tenants is refused at its line.
        let (a, b) = (String(repeating: "A", count: 64), String(repeating: "b", count: 64))
        try "tenants:\n  - {id: t1, key_sha256: [\(a), \(b)]}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ServerConfig.load(file: file.path, environment: [:]).tenants.first?.keySHA256s == [a.lowercased(), b])
        try "tenants:\n  - {id: t1, key_sha256: \(a)}\n  - {id: t2, key_sha256: [\(b), \(a)]}\n".write(to: file, atomically: true, encoding: .utf8)
        do { _ = try ServerConfig.load(file: file.path, environment: [:]); Issue.record("a key hash shared by two tenants was taken") } catch {
            #expect("\(error)".hasPrefix("\(file.path):3: tenants.t2.key_sha256: a key hash is listed twice"), "\(error)")
        }
    }

    @Test("Unknown keys and bad values are refused at their line; thresholds, packs and lists from a file reach the engines and change decisions")
    func configuredThresholds() async throws {
        let (dir, file) = try scratchConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        let refused: [(String, String)] = [
            ("port: 80\nlimits:\n  max_body_bytes: 10\n  max_jason_depth: 3\n", ":4: limits.max_jason_depth: unknown setting"),
            ("thresholds:\n  risk_review: 0.2\n  confidence: 0.5\n", ":3: thresholds.confidence: unknown setting"),
            ("thresholds:\n  screening_review: 0.9\n  screening_block: 0.8\n", ":2: thresholds.screening_review: 0.9 is above screening_block 0.8"),
            ("adapters:\n  uk-cds:\n    rate_per_second: fast\n", ":3: adapters.uk-cds.rate_per_second: expected a number of sends per second above 0"),
            ("adapters:\n  uk-cds:\n    auth: maybe\n", ":3: adapters.uk-cds.auth: expected none"),
            ("packs: \(dir.path)/missing\n", ":1: packs: no such folder"),
            ("colour: blue\n", ":1: colour: unknown setting"),
        ]
        for (text, expected) in refused {
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try ServerConfig.load(file: file.path, environment: [:])
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".hasPrefix(file.path + expected), "\(error)")
            }
        }
        #expect(throws: ServerConfig.Problem.self) { try ServerConfig.load(file: nil, environment: ["CUSTOMS_HUB_ADAPTER_UK_CDS_SPEED": "1"]) }
        // An adapter the catalog lacks is named at its line.
        try "adapters:\n  easypost: {burst: 2}\n  nope: {enabled: false}\n".write(to: file, atomically: true, encoding: .utf8)
        let unknown = try ServerConfig.load(file: file.path, environment: [:])
        #expect(throws: ServerConfig.Problem.self) { try unknown.check(adapters: ["easypost"]) }
        do { try unknown.check(adapters: ["easypost"]) } catch { #expect("\(error)".hasPrefix(file.path + ":3: adapters.nope: no such adapter")) }

        // A good file: every line of the fixture goes to review at risk_review 0; the packs and lists
        // folders and the screening thresholds reach the loader; the environment overrides the file.
        try """
            thresholds:
              risk_review: 0
              screening_review: 0.7
              screening_block: 0.95
            packs: \(repoRoot.path)/Data/packs
            lists: \(repoRoot.path)/Data/sanctions
            adapters:
              uk-cds: {rate_per_second: 50, burst: 5, max_concurrency: 3, auth: none}
            """.write(to: file, atomically: true, encoding: .utf8)
        let config = try ServerConfig.load(file: file.path, environment: ["CUSTOMS_HUB_ADAPTER_UK_CDS_RATE_PER_SECOND": "60"])
        #expect(config.adapters["uk-cds"]?.ratePerSecond == 60)
        #expect(config.adapters["uk-cds"]?.burst == 5 && config.adapters["uk-cds"]?.sendCredentials == false)
        let loader = try config.engineLoader(root: ContentRoot(url: repoRoot))
        #expect(loader.screeningThresholds.review == 0.7 && loader.screeningThresholds.block == 0.95)
        var engines = try ServerEngines.loaded.get()
        let order = try JSONParser.parse(try TestServer.order(key: "cfg-1"))
        let before = Pipeline.evaluate(order, engines: engines, now: Date(), firstReference: 1)
        #expect(!before.reviews.contains { $0.reason == "risk" })
        engines.risk = try loader.risk()
        engines.screening = try loader.screening()
        #expect(engines.screening.screener.thresholds.review == 0.7)
        let after = Pipeline.evaluate(order, engines: engines, now: Date(), firstReference: 1)
        #expect(after.reviews.contains { $0.reason == "risk" }, "\(after.reviews.map(\.reason))")
        #expect(loader.tariff().book != nil)
    }
}
