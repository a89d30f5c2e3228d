import AsyncHTTPClient
import Foundation
import HubServer
import JSONCore
import NIOCore
import NIOHTTP1
import Store
import StoreSQLite
import Testing

/// A browser's view of the workbench without the browser: a cookie jar, redirects not followed.
final class WorkbenchBrowser: @unchecked Sendable {
    let base: String
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    var cookies: [String: String] = [:]

    init(base: String) { self.base = base }

    struct Page {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var location: String? { headers.first(name: "location") }
        /// The value of the first `name="csrf"` hidden field.
        var csrf: String? { field("csrf") }
        func field(_ name: String) -> String? {
            guard let r = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(body[r.upperBound...].prefix { $0 != "\"" })
        }
    }

    func go(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if !cookies.isEmpty { request.headers.add(name: "cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let form {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let text = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: text))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        for value in response.headers["set-cookie"] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { cookies[String(pair[0])] = pair[1].isEmpty ? nil : String(pair[1]) }
        }
        let body = try await response.body.collect(upTo: 8 << 20)
        return Page(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    func shutdown() async { try? await client.shutdown() }
}

@Suite("The review workbench over real HTTP: login, queue, item page, actions", .serialized, .timeLimit(.minutes(5)))
struct WorkbenchTests {
    @Test("A reviewer logs in with a token, corrects a line's HS code, and the decision and the classifier's answer follow")
    func loginQueueCorrect() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        server.api.workbench.add(WorkbenchUser(name: "rita", role: .reviewer, tokenSHA256: WorkbenchAuth.hash("rita-token")))

        // An order whose second line carries a code outside the classifier's chapters: held for review.
        let fixture = try TestServer.order(key: "wb-1")
        guard case .object(var order) = try JSONParser.parse(fixture), var lines = order["lines"]?.arrayValue,
              case .object(var line) = lines[1] else { Issue.record("fixture shape"); return }
        line["hs_code"] = .string("340111")
        lines[1] = .object(line)
        order["lines"] = .array(lines)
        let posted = try await server.call(.POST, "/v1/orders", body: Array(JSONWriter.write(.object(order)).utf8))
        #expect(posted.status == 201, "\(posted.body)")
        let orderID = try #require(posted.object["id"] as? Int)
        let items = try await server.store.reviewItems(ReviewFilter(state: "open", orderID: Int64(orderID)))
        let item = try #require(items.first { $0.lineNumber == 2 })
        let itemID = try #require(item.id)

        // No session: sent to the login page; the login form needs its own CSRF token and a known token.
        let anonymous = try await browser.go(.GET, "/review")
        #expect(anonymous.status == 303 && anonymous.location?.hasPrefix("/review/login") == true)
        let loginPage = try await browser.go(.GET, "/review/login")
        let loginToken = try #require(loginPage.csrf)
        #expect(try await browser.go(.POST, "/review/login", form: [("token", "rita-token")]).status == 403)
        let refused = try await browser.go(.POST, "/review/login", form: [("csrf", loginToken), ("token", "wrong")])
        #expect(refused.status == 401)
        // The refusal is a fresh login form with a fresh token.
        let loggedIn = try await browser.go(.POST, "/review/login", form: [("csrf", try #require(refused.csrf)), ("token", "rita-token"), ("next", "/review")])
        #expect(loggedIn.status == 303 && loggedIn.location == "/review")
        let cookie = try #require(loggedIn.headers["set-cookie"].first { $0.hasPrefix(WorkbenchAuth.sessionCookie + "=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))

        // The queue, filtered by reason and sorted by value, lists the item.
        let queue = try await browser.go(.GET, "/review?reason=invalid_merchant_code&sort=value")
        #expect(queue.status == 200)
        #expect(queue.body.contains("href=\"/review/items/\(itemID)\""))
        let other = try await browser.go(.GET, "/review?reason=screening_hit")
        #expect(!other.body.contains("href=\"/review/items/\(itemID)\""))

        // The item page: product text, candidates with tariff text, the action form with its CSRF token.
        let page = try await browser.go(.GET, "/review/items/\(itemID)")
        #expect(page.status == 200)
        #expect(page.body.contains("Women&#39;s denim jeans, woven"))
        #expect(page.body.contains("HS candidates"))
        #expect(page.body.contains("id=\"landed-cost\""))
        let csrf = try #require(page.csrf)
        // The HS picker searches the nomenclature.
        let search = try await browser.go(.GET, "/review/hs?q=6203%20trousers")
        #expect(search.body.contains("\"620342\""), "\(search.body.prefix(300))")

        // An action without the CSRF token is refused and changes nothing.
        let forged = try await browser.go(.POST, "/review/items/\(itemID)", form: [("action", "correct"), ("hs_code", "62034231")])
        #expect(forged.status == 403)
        #expect(try await server.store.reviewItem(id: itemID)?.state == "open")

        let done = try await browser.go(.POST, "/review/items/\(itemID)", form: [("csrf", csrf), ("action", "correct"), ("hs_code", "6203.42.31")])
        #expect(done.status == 303, "\(done.body.prefix(500))")
        let after = try await browser.go(.GET, try #require(done.location))
        #expect(after.body.contains("correct recorded by rita"))
        #expect(try await server.store.reviewItem(id: itemID)?.resolvedBy == "rita")
        let decisions = try await server.store.decisions(orderID: Int64(orderID))
        let correction = try #require(decisions.last { $0.kind == "hs_correction" })
        #expect(correction.actor == "reviewer:rita")
        #expect(correction.output.contains("620342"))
        #expect(decisions.contains { $0.kind == "review" && $0.actor == "reviewer:rita" })
        // The classifier answers the reviewer's code for the same text at once.
        let classify = try await server.call(.POST, "/v1/classify", body: Array(#"[{"description":"Women's denim jeans, woven"}]"#.utf8))
        #expect(classify.status == 200)
        #expect(((classify.json as? [[String: Any]])?.first?["hs6"] as? String) == "620342", "\(classify.body.prefix(300))")

        // The message browser and the KPI dashboard render; the tenant's KPIs count the review.
        let messages = try await browser.go(.GET, "/review/messages")
        #expect(messages.status == 200 && messages.body.contains("Outbox depth per adapter"))
        #expect(messages.body.contains("<th class=\"num\">dead</th>") && !messages.body.contains("<th class=\"num\">delivered</th>"))
        let dashboard = try await browser.go(.GET, "/review/kpis")
        #expect(dashboard.status == 200 && dashboard.body.contains("<svg"))
        let kpis = try await server.call(.GET, "/v1/kpis")
        #expect(kpis.status == 200)
        #expect(((kpis.object["review"] as? [String: Any])?["resolved"] as? Int ?? 0) >= 1, "\(kpis.body.prefix(300))")

        // Logging out ends the session.
        let logout = try await browser.go(.POST, "/review/logout", form: [("csrf", csrf)])
        #expect(logout.status == 303)
        #expect(try await browser.go(.GET, "/review").status == 303)
    }

    @Test("Sorted by value, the queue ranks amounts within their currency: 900 JPY is not above 120 EUR")
    func valueSortNeverComparesCurrencies() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        server.api.workbench.add(WorkbenchUser(name: "vera", role: .reviewer, tokenSHA256: WorkbenchAuth.hash("vera-token")))
        let posted = try await server.call(.POST, "/v1/orders", body: try TestServer.order(key: "wb-value"))
        let orderID = try #require(posted.object["id"] as? Int, "\(posted.body)")
        var ids: [String: Int64] = [:]
        for (name, value, currency) in [("jpy900", "900", "JPY"), ("eur50", "50", "EUR"), ("gbp100", "100", "GBP"),
                                        ("eur120", "120", "EUR"), ("none", nil, nil)] as [(String, String?, String?)] {
            ids[name] = try await server.store.addReview(ReviewItem(
                orderID: Int64(orderID), lineNumber: nil, reason: "value_check", createdAt: 1_000 + Int64(ids.count), subject: "order",
                detail: name, value: value.flatMap { Decimal(string: $0) }, currency: currency))
        }
        let login = try await browser.go(.GET, "/review/login")
        _ = try await browser.go(.POST, "/review/login", form: [("csrf", try #require(login.csrf)), ("token", "vera-token")])
        let queue = try await browser.go(.GET, "/review?reason=value_check&sort=value")
        #expect(queue.status == 200)
        func position(_ name: String) throws -> String.Index {
            let id = try #require(ids[name])
            return try #require(queue.body.range(of: "href=\"/review/items/\(id)\"")).lowerBound
        }
        // Bare numbers would give 900, 120, 100, 50: each currency's amounts rank among themselves.
        let order = try ["eur120", "eur50", "gbp100", "jpy900", "none"].map(position)
        #expect(order == order.sorted(), "\(queue.body)")
        #expect(queue.body.contains("120.00 EUR") && queue.body.contains("900 JPY"))
    }

    @Test("Releasing a screening hit writes an allow-list entry for that party and list version; the same party is not held again")
    func releaseAllowsTheParty() async throws {
        let server = try await TestServer()
        let browser = WorkbenchBrowser(base: server.base)
        defer { Task { await browser.shutdown(); await server.stop() } }
        server.api.workbench.add(WorkbenchUser(name: "sam", role: .reviewer, tokenSHA256: WorkbenchAuth.hash("sam-token")))
        let fixture = Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/valid/de-b2b-sanctioned-looking-consignee.json")))
        let first = try await server.call(.POST, "/v1/orders", body: fixture)
        let orderID = try #require(first.object["id"] as? Int, "\(first.body)")
        let items = try await server.store.reviewItems(ReviewFilter(state: "open", orderID: Int64(orderID)))
        // The consignee is screened under two names, each its own item.
        let parties = items.filter { $0.subject.hasPrefix("party:") }
        #expect(!parties.isEmpty)

        let login = try await browser.go(.GET, "/review/login")
        _ = try await browser.go(.POST, "/review/login", form: [("csrf", try #require(login.csrf)), ("token", "sam-token")])
        for party in parties {
            let page = try await browser.go(.GET, "/review/items/\(try #require(party.id))")
            #expect(page.body.contains("class=\"matched-name\""), "aligned names are shown")
            let done = try await browser.go(.POST, "/review/items/\(try #require(party.id))", form: [("csrf", try #require(page.csrf)), ("action", "release")])
            #expect(done.status == 303, "\(done.body.prefix(400))")
        }
        let entries = try await server.store.allowances()
        #expect(!entries.isEmpty && entries.allSatisfy { $0.releasedBy == "sam" && !$0.listVersion.isEmpty })
        let decisions = try await server.store.decisions(orderID: Int64(orderID))
        #expect(decisions.contains { $0.kind == "review" && $0.actor == "reviewer:sam" && $0.output.contains("allow_list") })

        // The same order again (another key): the party's hits are allowed in this list version.
        guard case .object(var again) = try JSONParser.parse(fixture) else { Issue.record("fixture"); return }
        again["idempotency_key"] = .string("allow-again")
        let second = try await server.call(.POST, "/v1/orders", body: Array(JSONWriter.write(.object(again)).utf8))
        let secondID = try #require(second.object["id"] as? Int, "\(second.body)")
        #expect(secondID != orderID)
        let secondItems = try await server.store.reviewItems(ReviewFilter(orderID: Int64(secondID)))
        #expect(!secondItems.contains { $0.subject.hasPrefix("party:") }, "\(secondItems.map(\.subject))")
        let screening = try await server.store.decisions(orderID: Int64(secondID)).filter { $0.kind == "screening" }
        #expect(screening.contains { $0.output.contains("\"released_by_allow_list\":true") })
    }
}
