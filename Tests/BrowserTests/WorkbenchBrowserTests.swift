import AsyncHTTPClient
import ChildProcess
import Foundation
import NIOCore
import NIOHTTP1
import Testing

let repoRoot = HubBinary.repository

/// Plain HTTP with JSON both ways (the WebDriver protocol and the hub's API).
struct JSONHTTP: Sendable {
    let client: HTTPClient

    /// `body` is sent as JSON; `file` as its bytes with its content type.
    func call(_ method: HTTPMethod, _ url: String, _ body: Any? = nil, file: (bytes: [UInt8], type: String)? = nil,
              headers: [String: String] = [:]) async throws -> (status: Int, json: Any?, text: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        } else if let file {
            request.headers.add(name: "content-type", value: file.type)
            request.body = .bytes(ByteBuffer(bytes: file.bytes))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 32 << 20)
        let text = String(buffer: bytes)
        return (Int(response.status.code), try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]), text)
    }
}

/// A W3C WebDriver session (chromedriver), spoken as plain HTTP JSON.
struct WebDriver: Sendable {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    let http: JSONHTTP
    let base: String
    let session: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func start(http: JSONHTTP, base: String, chromium: String, profile: String) async throws -> WebDriver {
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                                 "--window-size=1280,1000", "--user-data-dir=\(profile)"]],
        ]]]
        let answer = try await http.call(.POST, base + "/session", capabilities)
        guard let value = (answer.json as? [String: Any])?["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw Failure(description: "no WebDriver session: \(answer.text.prefix(500))")
        }
        let driver = WebDriver(http: http, base: base, session: id)
        // The browser itself waits for an element to appear (up to 10 s) before answering a find,
        // so pages that change after a script runs need no polling here.
        try await driver.command(.POST, "/timeouts", ["implicit": 10_000])
        return driver
    }

    @discardableResult
    func command(_ method: HTTPMethod, _ path: String, _ body: Any? = nil) async throws -> Any? {
        let answer = try await http.call(method, "\(base)/session/\(session)\(path)", body)
        let value = (answer.json as? [String: Any])?["value"]
        if answer.status >= 400 { throw Failure(description: "\(method) \(path): HTTP \(answer.status) \(answer.text.prefix(400))") }
        return value
    }

    func open(_ url: String) async throws { try await command(.POST, "/url", ["url": url]) }
    func url() async throws -> String { try await command(.GET, "/url") as? String ?? "" }
    func source() async throws -> String { try await command(.GET, "/source") as? String ?? "" }

    func find(_ css: String) async throws -> String {
        let value = try await command(.POST, "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = value?[Self.elementKey] as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    /// The element `css` names once the page shows it (the session's implicit wait does the waiting).
    func wait(for css: String) async throws -> String {
        do { return try await find(css) } catch { throw Failure(description: "\(error) on \(try await url())") }
    }

    func click(_ element: String) async throws { try await command(.POST, "/element/\(element)/click", [String: Any]()) }
    func clear(_ element: String) async throws { try await command(.POST, "/element/\(element)/clear", [String: Any]()) }
    func type(_ element: String, _ text: String) async throws { try await command(.POST, "/element/\(element)/value", ["text": text]) }
    func text(_ element: String) async throws -> String { try await command(.GET, "/element/\(element)/text") as? String ?? "" }
    func property(_ element: String, _ name: String) async throws -> String { try await command(.GET, "/element/\(element)/property/\(name)") as? String ?? "" }

    /// Presses keys on whatever has the focus, as a person at the keyboard does.
    func press(_ keys: String...) async throws {
        let actions: [[String: Any]] = keys.flatMap { k in [["type": "keyDown", "value": k], ["type": "keyUp", "value": k]] }
        try await command(.POST, "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": actions]]])
        try await command(.DELETE, "/actions")
    }

    func screenshot(to url: URL) async throws {
        guard let base64 = try await command(.GET, "/screenshot") as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        try data.write(to: url)
    }

    func quit() async { _ = try? await http.call(.DELETE, "\(base)/session/\(session)") }
}

enum Browser {
    static func find(_ candidates: [String]) -> String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }
    static var chromium: String? { find(["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) }
    static var driver: String? { find(["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]) }
    static var required: Bool { ProcessInfo.processInfo.environment["CUSTOMS_HUB_REQUIRE_BROWSER"] == "1" }
}

@Suite("The review workbench in a real headless Chromium against serve --demo", .serialized, .timeLimit(.minutes(10)))
struct WorkbenchBrowserTests {
    @Test("Log in, correct an HS code from the queue, release a screening hit, reprocess a DEAD filing")
    func workbenchInChromium() async throws {
        guard let chromium = Browser.chromium, let driverPath = Browser.driver else {
            if Browser.required {
                Issue.record("chromium and chromedriver are required (CUSTOMS_HUB_REQUIRE_BROWSER=1): Scripts/setup.sh --tests installs them")
            }
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The workbench does not depend on how well the classifier reads: a two-chapter model, in seconds.
        let model = try await HubBinary.twoChapterModel.value.path

        var environment = HubBinary.environment()
        environment["CUSTOMS_HUB_DEMO_KEY"] = "browser-key"
        environment["CUSTOMS_HUB_DEMO_REVIEWER_TOKEN"] = "browser-reviewer-token"
        environment["CUSTOMS_HUB_LOG_LEVEL"] = "warning"
        let serve = try ChildProcess.start(HubBinary.url, ["serve", "--demo", "--demo-orders", "5", "--port", "0", "--db", dir.appendingPathComponent("hub.sqlite").path,
                                                       "--model", model], directory: repoRoot, environment: environment)
        let driverPort = HubBinary.freeLoopbackPort()
        let driver = try ChildProcess.start(URL(fileURLWithPath: driverPath), ["--port=\(driverPort)"], directory: dir)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let http = JSONHTTP(client: client)
        var session: WebDriver?
        func stopAll() async {
            await session?.quit()
            await driver.stop()
            await serve.stop()
            try? await client.shutdown()
        }
        func run() async throws {
            @Sendable func hubLine(_ text: String) -> Substring? { text.split(separator: "\n").first { $0.hasPrefix("customs-hub demo on ") } }
            let started = try await serve.waitForOutput(180, "serve --demo to listen") { hubLine($0) != nil }
            let hub = String(try #require(hubLine(started)).dropFirst("customs-hub demo on ".count))
            let api = ["authorization": "Bearer browser-key"]
            try await serve.waitForOutput(120, "the demo orders to be pushed") { $0.contains("pushed de-b2b-sanctioned-looking-consignee.json") }

            // An order whose filings the sandbox refuses: its deliveries go DEAD.
            let fixture = try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))
            var order = try #require(try JSONSerialization.jsonObject(with: fixture) as? [String: Any])
            order["idempotency_key"] = "browser-refused"
            var lines = try #require(order["lines"] as? [[String: Any]])
            lines[0]["description"] = "\(lines[0]["description"] ?? "") SANDBOX-REFUSE"
            order["lines"] = lines
            let refused = try await http.call(.POST, hub + "/v1/orders", order, headers: api)
            #expect(refused.status == 201, "\(refused.text.prefix(300))")
            // serve prints a line for each settled delivery; the refused filing's says dead.
            try await serve.waitForOutput(60, "a DEAD delivery") { $0.contains(": dead (HTTP 400)") }
            let dead = try await http.call(.GET, hub + "/v1/outbox?state=dead", headers: api)
            #expect(((dead.json as? [String: Any])?["messages"] as? [Any])?.isEmpty == false, "\(dead.text.prefix(300))")

            // A T-shirt sent with the code of soap (outside the model's chapters): held as an invalid merchant code.
            let teeText = "Men's crew-neck festival tee, knitted cotton"
            let tee = try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/au-b2c-from-gb.json"))
            var teeOrderJSON = try #require(try JSONSerialization.jsonObject(with: tee) as? [String: Any])
            teeOrderJSON["idempotency_key"] = "browser-tee"
            var teeLines = try #require(teeOrderJSON["lines"] as? [[String: Any]])
            teeLines[0]["description"] = teeText
            teeLines[0]["hs_code"] = "340111"
            teeLines[0]["material"] = "cotton jersey"
            teeOrderJSON["lines"] = teeLines
            let teePosted = try await http.call(.POST, hub + "/v1/orders", teeOrderJSON, headers: api)
            let teeAnswer = try #require(teePosted.json as? [String: Any], "\(teePosted.text)")
            let teeOrder = try #require(teeAnswer["id"] as? Int, "\(teePosted.text)")
            let teeItem = try #require((teeAnswer["review_items"] as? [[String: Any]])?.first?["id"] as? Int, "\(teePosted.text)")

            try await driver.waitForOutput(30, "chromedriver to listen") { $0.contains("started successfully") }
            let web = try await WebDriver.start(http: http, base: "http://127.0.0.1:\(driverPort)", chromium: chromium,
                                                profile: dir.appendingPathComponent("profile").path)
            session = web
            let shots = ProcessInfo.processInfo.environment["CUSTOMS_HUB_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }

            // 1. Log in.
            try await web.open(hub + "/review")
            #expect(try await web.url().contains("/review/login"))
            try await web.type(try await web.find("#token"), "browser-reviewer-token")
            try await web.click(try await web.find("#login"))
            _ = try await web.wait(for: "#queue")
            #expect(try await web.source().contains("demo-reviewer (admin)"))

            // 2. The queue, filtered to merchant codes the classifier cannot place; open the T-shirt sent as soap.
            try await web.open(hub + "/review?reason=invalid_merchant_code&sort=value")
            _ = try await web.wait(for: "tr.sel")
            if let shots { try await web.screenshot(to: shots.appendingPathComponent("workbench-queue.png")) }
            try await web.click(try await web.find("a[href='/review/items/\(teeItem)']"))
            let productElement = try await web.wait(for: ".product-text")
            let product = try await web.text(productElement)
            #expect(product == teeText)
            let itemURL = try await web.url()
            let orderText = try await web.text(try await web.find("#summary .muted strong"))
            #expect(orderText == "\(teeOrder)")
            if let shots { try await web.screenshot(to: shots.appendingPathComponent("workbench-item.png")) }

            // Correct it with the HS picker: press e, type, pick the first suggestion, leave the field, press f.
            try await web.press("e")
            let field = try await web.find("#hs_code")
            try await web.type(field, "6114")
            _ = try await web.wait(for: "#hs_results li")
            try await web.press("\u{E015}", "\u{E007}")  // ArrowDown, Enter
            let picked = try await web.property(field, "value")
            #expect(picked.count == 6 && picked.hasPrefix("6114"), "picked \(picked)")
            try await web.press("\u{E00C}", "f")  // Escape, f
            _ = try await web.wait(for: "#flash")
            #expect(try await web.source().contains("correct recorded by demo-reviewer"))

            // 3. The decision record names the reviewer; the classifier answers the new code for the same text.
            let audit = try await http.call(.GET, hub + "/v1/orders/\(orderText)/audit", headers: api)
            let decisions = ((audit.json as? [String: Any])?["decisions"] as? [[String: Any]]) ?? []
            let correction = decisions.last { $0["kind"] as? String == "hs_correction" }
            #expect(correction?["actor"] as? String == "reviewer:demo-reviewer", "\(itemURL): \(audit.text.prefix(300))")
            #expect((correction?["output"] as? [String: Any])?["hs6"] as? String == picked)
            let classified = try await http.call(.POST, hub + "/v1/classify", [["description": product]], headers: api)
            #expect(((classified.json as? [[String: Any]])?.first?["hs6"] as? String) == picked, "\(classified.text.prefix(300))")

            // 4. Release a screening hit (the keyboard's r); the order's decision says which list entries are now allowed.
            try await web.open(hub + "/review?reason=blocked")
            try await web.press("\u{E007}")
            _ = try await web.wait(for: "#screening .matched-name")
            let blockedOrder = try await web.text(try await web.find("#summary .muted strong"))
            try await web.press("r")
            _ = try await web.wait(for: "#flash")
            let released = try await http.call(.GET, hub + "/v1/orders/\(blockedOrder)/audit", headers: api)
            #expect(released.text.contains("allow_list") && released.text.contains("reviewer:demo-reviewer"))

            // 5. Reprocess a DEAD filing from the message browser: a new generation of the same row.
            try await web.open(hub + "/review/messages?state=dead")
            let box = try await web.wait(for: "input[name=id]")
            let deadID = try await web.property(box, "value")
            if let shots { try await web.screenshot(to: shots.appendingPathComponent("workbench-messages.png")) }
            try await web.click(box)
            try await web.click(try await web.find("#reprocess-selected"))
            _ = try await web.wait(for: "#flash")
            let outbox = try await http.call(.GET, hub + "/v1/outbox", headers: api)
            let row = ((outbox.json as? [String: Any])?["messages"] as? [[String: Any]])?.first { "\($0["id"] ?? "")" == deadID }
            #expect((row?["generation"] as? Int ?? 0) >= 2, "\(String(describing: row))")
            // 6. An invoice the hub read but could not make a valid order of, corrected field by field:
            // a value retyped, and what the problems name filled into the rows the form offers for them.
            let pdf = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/documents/text/invoice-de-boxed.pdf")))
            let queued = try await http.call(.POST, hub + "/v1/documents?submit=true&merchant_id=m_browser_docs", file: (pdf, "application/pdf"), headers: api)
            let draftItem = try #require((queued.json as? [String: Any])?["review_item"] as? Int, "\(queued.text.prefix(300))")
            try await web.open(hub + "/review/items/\(draftItem)")
            let reference = try await web.wait(for: "input[name='field:/external_reference']")
            try await web.clear(reference)
            try await web.type(reference, "RE-2024-0815-B")
            func fill(_ pointer: String, _ value: String) async throws {
                let row = try await web.property(try await web.find("input[value='\(pointer)']"), "id")
                try await web.type(try await web.find("#" + row.replacingOccurrences(of: "add_path_", with: "add_value_")), value)
            }
            try await fill("/shipment/transport_mode", "road")
            try await fill("/shipment/parcels", #"[{"reference":"P1","gross_weight":{"value":"30","unit":"kg"}}]"#)
            try await fill("/parties/-", #"{"role":"consignee","name":"Alpine Retail AG","address_lines":["Bahnhofstrasse 5"],"city":"Zürich","postal_code":"8001","country":"CH"}"#)
            for n in 0..<3 { try await fill("/lines/\(n)/net_weight", #"{"value":"2","unit":"kg"}"#) }
            // A line item is a row of the lines table, a cell per value: retype the second line's description.
            _ = try await web.find("#draft-lines tr.draft-line[data-pointer='/lines/1']")
            let description = try await web.find("#draft-lines input[name='field:/lines/1/description']")
            try await web.clear(description)
            try await web.type(description, "Wanduhr Quarz, Buche, 30 cm")
            if let shots { try await web.screenshot(to: shots.appendingPathComponent("workbench-draft.png")) }
            try await web.click(try await web.find("#action-correct"))
            _ = try await web.wait(for: "#flash")
            let settled = try await web.source()
            #expect(settled.contains("id=\"draft-state\">submitted"), "\(settled.prefix(1500))")
            let draftOrder = try await web.text(try await web.find("#draft-order"))
            let filed = try await http.call(.GET, hub + "/v1/orders/\(draftOrder)", headers: api)
            #expect(filed.text.contains("RE-2024-0815-B") && filed.text.contains("Wanduhr Quarz, Buche, 30 cm"), "\(filed.text.prefix(400))")

            if let shots, (try? await web.open(hub + "/review/kpis")) != nil, try await web.source().contains("id=\"kpis\"") {
                try await web.screenshot(to: shots.appendingPathComponent("workbench-kpis.png"))
            }
        }
        do {
            try await run()
        } catch {
            Issue.record("\(error)\n--- serve output ---\n\(serve.output.suffix(3000))")
        }
        await stopAll()

    }
}
