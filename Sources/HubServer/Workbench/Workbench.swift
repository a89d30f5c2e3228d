import CustomsModel
import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import Logging
import Pipeline
import NIOCore
import Store

/// The review workbench at `/review`: server-rendered pages over the same store and hub as the
/// API. A person logs in with their token; every action is a form posted with the session's CSRF
/// token and goes through `Hub.resolve`, which writes the decision record with the reviewer.
extension HubAPI {
    /// Labels for the queue's reason filter, in the order a specialist reads them.
    static let reviewReasons: [(String, String)] = [
        ("low_confidence", "Low-confidence classification"), ("merchant_code_disputed", "Merchant code disputed"),
        ("invalid_merchant_code", "Invalid merchant code"), ("screening_hit", "Screening hit"), ("blocked", "Blocked"),
        ("risk", "Risk"), ("gateway_rejected", "Gateway rejection"), ("dead_filing", "DEAD filing"),
        ("filing_refused", "Filing refused"), ("no_route", "No route"), ("unreadable_document", "Unreadable document"),
    ]

    static func reasonLabel(_ reason: String) -> String { reviewReasons.first { $0.0 == reason }?.1 ?? reason }

    func addWorkbench(to router: Router<BasicRequestContext>) {
        router.get("/review/assets/workbench.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: Page.css)))
        }
        router.get("/review/assets/workbench.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: Page.js)))
        }
        router.get("/review/login") { request, _ in self.loginPage(request, error: nil) }
        router.post("/review/login") { request, _ in try await self.login(request) }
        router.post("/review/logout") { request, _ in
            try await self.signedIn(request) { s in
                _ = try await self.posted(request, s)
                try await self.workbench.logout(s.id, store: self.store)
                return Page.redirect("/review/login", headers: [.setCookie: WorkbenchAuth.cookieHeader(WorkbenchAuth.sessionCookie, nil)])
            }
        }
        router.get("/review") { request, _ in try await self.signedIn(request) { try await self.queue(request, $0) } }
        router.get("/review/items/{id}") { request, context in
            try await self.signedIn(request) { s in
                try await self.itemPage(Int64(context.parameters.get("id") ?? "") ?? 0, s, done: request.uri.queryParameters["done"].map(String.init))
            }
        }
        router.post("/review/items/{id}") { request, context in
            try await self.signedIn(request) { try await self.act(request, $0, id: Int64(context.parameters.get("id") ?? "") ?? 0) }
        }
        router.get("/review/hs") { request, _ in try await self.signedIn(request) { _ in try await self.searchHS(request) } }
        addDocumentPages(to: router)
        addMessageBrowser(to: router)
        addKPIs(to: router)
    }

    // MARK: Sessions

    /// Runs `body` for a logged-in person; sends anyone else to the login page.
    func signedIn(_ request: Request, _ body: (WorkbenchSession) async throws -> Response) async throws -> Response {
        guard let session = try await workbench.session(request, store: store) else {
            let next = request.uri.path.hasPrefix("/review") ? request.uri.path : "/review"
            return Page.redirect("/review/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/"])) ?? "/review"))
        }
        return try await body(session)
    }

    /// The fields of a form posted by this session; refused (403) without the session's CSRF token.
    func posted(_ request: Request, _ session: WorkbenchSession) async throws -> FormFields {
        let form = FormFields(try await body(request))
        guard WorkbenchAuth.same(form["csrf"] ?? "", session.csrf) else {
            throw Problem(.forbidden, "csrf", "Missing or wrong CSRF token", detail: "reload the page and try again")
        }
        return form
    }

    func loginPage(_ request: Request, error: String?) -> Response {
        // Double-submit token for the login form itself (there is no session yet).
        let token = WorkbenchAuth.random()
        let next = request.uri.queryParameters["next"].map(String.init) ?? "/review"
        let body: HTML = """
            <h1>Log in</h1>
            \(error.map { e -> HTML in "<p class=\"error\">\(e)</p>" } ?? "")
            <form method="post" action="/review/login">
            <input type="hidden" name="csrf" value="\(token)"><input type="hidden" name="next" value="\(next)">
            <label>Reviewer token <input type="password" name="token" id="token" autocomplete="current-password" autofocus required size="48"></label>
            <button type="submit" id="login">Log in</button></form>
            <p class="muted">Tokens are given to each reviewer in the server's configuration (<code>reviewers:</code>); <code>serve --demo</code> prints one.</p>
            """
        return Page.response(Page.layout(title: "Log in", user: nil, body: body), status: error == nil ? .ok : .unauthorized,
                             headers: [.setCookie: WorkbenchAuth.cookieHeader(WorkbenchAuth.loginCookie, token, path: "/review/login")])
    }

    func login(_ request: Request) async throws -> Response {
        let form = FormFields(try await body(request))
        guard let cookie = WorkbenchAuth.cookie(request, WorkbenchAuth.loginCookie), WorkbenchAuth.same(form["csrf"] ?? "", cookie) else {
            throw Problem(.forbidden, "csrf", "Missing or wrong CSRF token", detail: "open the login page again")
        }
        guard let session = try await workbench.login(token: form["token"] ?? "", store: store) else {
            logger.notice("workbench login refused")
            return loginPage(request, error: "Unknown token.")
        }
        logger.info("workbench login", metadata: ["reviewer": "\(session.user)", "role": "\(session.role.rawValue)"])
        var next = form["next"] ?? "/review"
        // Only our own pages: never an open redirect.
        if !next.hasPrefix("/review") || next.hasPrefix("//") || next.hasPrefix("/review/login") { next = "/review" }
        return Page.redirect(next, headers: [.setCookie: WorkbenchAuth.cookieHeader(WorkbenchAuth.sessionCookie, session.id, maxAge: Int(workbench.sessionSeconds))])
    }

    // MARK: Queue

    func queue(_ request: Request, _ s: WorkbenchSession) async throws -> Response {
        let query = request.uri.queryParameters
        let reason = query["reason"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let sort = query["sort"].map(String.init) == "value" ? "value" : "age"
        let state = query["state"].map(String.init) == "resolved" ? "resolved" : "open"
        let all = try await store.reviewItems(ReviewFilter(state: state, limit: 5000))
        var counts: [String: Int] = [:]
        for item in all { counts[item.reason, default: 0] += 1 }
        var items = all.filter { reason == nil || $0.reason == reason }
        if sort == "value" {
            items = HubJSON.reviewsByValue(items)
        } else {
            items.sort { ($0.createdAt, $0.id ?? 0) < ($1.createdAt, $1.id ?? 0) }
        }
        let now = Date().millis
        var orders: [Int64: OrderRecord] = [:]
        var currencies: [Int64: String] = [:]
        var rows: [HTML] = []
        for item in items.prefix(300) {
            let id = item.id ?? 0
            let about: HTML
            var currency = ""
            if let orderID = item.orderID {
                if orders[orderID] == nil, let o = try await store.order(id: orderID) {
                    orders[orderID] = o
                    currencies[orderID] = try await store.orderLines(orderID: orderID).first?.currency
                }
                let o = orders[orderID]
                currency = currencies[orderID] ?? ""
                about = "order \(orderID)<br><span class=\"muted\">\(o?.merchantID ?? "") · \(o?.externalReference ?? "") · \(o?.state ?? "")</span>"
            } else if let documentID = item.documentID {
                let draft = try await store.documentDraft(id: documentID)
                currency = (try? JSONParser.parse(draft?.extractionJSON ?? ""))?["document"]?["currency"]?.stringValue ?? ""
                about = "document \(documentID)<br><span class=\"muted\">\(draft?.merchantID ?? "") · draft \(draft?.state ?? "")</span>"
            } else {
                about = ""
            }
            let value: HTML = HubJSON.reviewValueText(item, fallback: currency).map { "\($0)" } ?? "<span class=\"muted\">—</span>"
            rows.append("""
                <tr data-href="/review/items/\(id)" data-reason="\(item.reason)"><td><a href="/review/items/\(id)">#\(id)</a></td>
                <td>\(Self.reasonLabel(item.reason))</td><td>\(item.subject)</td>
                <td>\(about)</td>
                <td>\(item.detail)</td><td class="num">\(value)</td><td class="num">\(Self.age(now - item.createdAt))</td>
                <td>\(item.state)\(item.resolvedBy.map { " by \($0)" } ?? "")</td></tr>
                """)
        }
        func link(_ label: String, reason r: String?, count: Int?) -> HTML {
            var q: [String] = []
            if let r { q.append("reason=\(r)") }
            if sort != "age" { q.append("sort=\(sort)") }
            if state != "open" { q.append("state=\(state)") }
            let href = "/review" + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
            return "<a href=\"\(href)\" class=\"\(r == reason ? "on" : "")\">\(label)\(count.map { " (\($0))" } ?? "")</a>"
        }
        let known = Self.reviewReasons.map(\.0)
        let filters = [link("All", reason: nil, count: all.count)] + Self.reviewReasons.map { link($0.1, reason: $0.0, count: counts[$0.0] ?? 0) }
            + counts.keys.filter { !known.contains($0) }.sorted().map { link($0, reason: $0, count: counts[$0]) }
        let base = "/review?" + (reason.map { "reason=\($0)&" } ?? "")
        let body: HTML = """
            <h1>Review queue <span class="muted">(\(items.count) \(state))</span></h1>
            <p class="filters">\(filters)</p>
            <p class="filters">Sort: <a class="\(sort == "age" ? "on" : "")" href="\(base + "sort=age" + (state == "open" ? "" : "&state=resolved"))">oldest first</a>
            <a class="\(sort == "value" ? "on" : "")" href="\(base + "sort=value" + (state == "open" ? "" : "&state=resolved"))">highest value first, by currency</a>
            · Show: <a class="\(state == "open" ? "on" : "")" href="\(base + "sort=\(sort)")">open</a>
            <a class="\(state == "resolved" ? "on" : "")" href="\(base + "sort=\(sort)&state=resolved")">resolved</a></p>
            <table id="queue"><thead><tr><th>Item</th><th>Reason</th><th>Subject</th><th>Order</th><th>Detail</th><th>Value</th><th>Age</th><th>State</th></tr></thead>
            <tbody>\(rows.isEmpty ? ["<tr><td colspan=\"8\" class=\"muted\">Nothing waiting.</td></tr>"] : rows)</tbody></table>
            <p class="muted">Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> open.</p>
            """
        return Page.response(Page.layout(title: "Review queue", user: s, body: body))
    }

    static func age(_ millis: Millis) -> String {
        let s = max(0, millis / 1000)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86400) d \(s % 86400 / 3600) h"
    }

    // MARK: Item

    func itemPage(_ id: Int64, _ s: WorkbenchSession, done: String? = nil, error: String? = nil, edited: String? = nil,
                  marked: [DraftForm.Problem] = []) async throws -> Response {
        let found = try await store.reviewItem(id: id)
        if let found, let documentID = found.documentID {
            return try await documentItemPage(found, documentID: documentID, s, done: done, error: error, edited: edited, marked: marked)
        }
        guard let item = found, let orderID = item.orderID, let order = try await store.order(id: orderID) else {
            return Page.response(Page.layout(title: "Not found", user: s, body: "<h1>Review item \(id) does not exist</h1><p><a href=\"/review\">Back to the queue</a></p>"),
                                 status: .notFound)
        }
        let lines = try await store.orderLines(orderID: orderID)
        let history = try await store.decisions(orderID: orderID)
        let filings = try await store.filings(orderID: orderID)
        let messages = try await store.outboxMessages(filingIDs: filings.map(\.id))
        let evaluation = (try? JSONParser.parse(order.evaluationJSON))?.objectValue ?? JSONObject()
        let evidence = (try? JSONParser.parse(item.evidence)) ?? .null
        let currency = lines.first?.currency ?? ""
        let shown = item.lineNumber.map { n in lines.filter { $0.lineNumber == n } } ?? lines
        let open = item.state == "open" || item.state == "held"
        let hasDead = messages.contains { $0.state == .dead }

        var sections: [HTML] = []
        if let done {
            sections.append("<p class=\"flash\" id=\"flash\">\(done) recorded by \(s.user). Order \(order.id) is now <strong id=\"order-state\">\(order.state)</strong>. <a href=\"/review\">Back to the queue</a></p>")
        }
        if let error { sections.append("<p class=\"error\" id=\"error\">\(error)</p>") }
        sections.append("""
            <section id="summary"><h2>\(Self.reasonLabel(item.reason)) · \(item.subject)</h2>
            <p>\(item.detail)</p>
            <p class="muted">Order <strong>\(order.id)</strong> (\(order.merchantID), \(order.externalReference)) is <strong>\(order.state)</strong> ·
            item \(item.state)\(item.resolution.map { ": \($0)" } ?? "")\(item.resolvedBy.map { " by \($0)" } ?? "") ·
            waiting \(Self.age((item.resolvedAt ?? Date().millis) - item.createdAt))\(HubJSON.reviewValueText(item, fallback: currency).map { " · value \($0)" } ?? "")</p></section>
            """)
        sections.append("""
            <section id="product"><h2>Product</h2><table><tr><th>Line</th><th>Description</th><th>HS code</th><th>Source</th><th>Confidence</th><th>Origin</th><th class="num">Value</th></tr>
            \(shown.map { l -> HTML in
                "<tr><td>\(l.lineNumber)</td><td class=\"product-text\">\(l.description)</td><td><code class=\"line-code\">\(l.hsCode ?? "—")</code></td><td>\(l.codeSource ?? "")</td><td>\(l.confidence.map { "\($0)" } ?? "")</td><td>\(l.originCountry ?? "")</td><td class=\"num\">\("\(l.value)") \(l.currency)</td></tr>"
            })</table></section>
            """)
        // Classification: the pipeline's candidates, their tariff text and evidence, and its question.
        for line in shown {
            guard let decision = history.last(where: { $0.kind == "classification" && $0.lineNumber == line.lineNumber }),
                  let e = (try? JSONParser.parse(decision.evidence))?.objectValue else { continue }
            let candidates = e["candidates"]?.arrayValue ?? []
            let clues = e["evidence"]?.arrayValue ?? []
            let rows: [HTML] = candidates.map { c in
                let code = c["hs6"]?.stringValue ?? ""
                let support = clues.filter { ($0["code"]?.stringValue ?? "").hasPrefix(code) }.prefix(3).map { ev -> HTML in
                    "<li>\(ev["kind"]?.stringValue ?? ""): \(ev["text"]?.stringValue ?? "")</li>"
                }
                return """
                    <tr><td><code>\(code)</code></td><td class="num">\(c["score"].map { JSONWriter.write($0) } ?? "")</td>
                    <td>\(c["description"]?.stringValue ?? "")</td><td><ul>\(Array(support))</ul></td>
                    <td>\(open && item.lineNumber != nil ? "<button type=\"button\" class=\"use-code\" data-code=\"\(code)\">use</button>" as HTML : "")</td></tr>
                    """
            }
            let question = e["question"]?.stringValue
            sections.append("""
                <section class="classification"><h2>HS candidates · line \(line.lineNumber)</h2>
                <table><tr><th>HS 6</th><th class="num">Score</th><th>Tariff text</th><th>Evidence</th><th></th></tr>\(rows)</table>
                \(question.map { q -> HTML in "<p id=\"question\"><strong>Clarifying question:</strong> \(q)</p>" } ?? "")
                \(clues.isEmpty ? "" as HTML : "<details><summary>All evidence (\(clues.count))</summary>\(HTML.json(.array(clues)))</details>")</section>
                """)
        }
        // Screening: the party's name beside each list entry's matched name, word by word.
        let parties: [JSONValue] = item.subject.hasPrefix("party:") ? [evidence]
            : (evaluation["screening"]?["parties"]?.arrayValue ?? []).filter { $0["decision"]?.stringValue != "clear" }
        if !parties.isEmpty {
            sections.append("<section id=\"screening\"><h2>Screening</h2>\(parties.map(Self.screeningHTML))</section>")
        }
        if let risk = evaluation["risk"] { sections.append("<section id=\"risk\"><h2>Risk reasons</h2>\(Self.riskHTML(risk))</section>") }
        if let cost = evaluation["landed_cost"], cost != .null {
            sections.append("<section id=\"landed-cost\"><h2>Landed cost</h2>\(HTML.json(cost))</section>")
        } else if let error = evaluation["landed_cost_error"]?.stringValue {
            sections.append("<section id=\"landed-cost\"><h2>Landed cost</h2><p class=\"muted\">not quoted: \(error)</p></section>")
        }
        if !item.subject.hasPrefix("party:") && !["low_confidence", "merchant_code_disputed", "invalid_merchant_code"].contains(item.reason) {
            sections.append("<section id=\"evidence\"><h2>Evidence</h2>\(HTML.json(evidence))</section>")
        }
        if !filings.isEmpty {
            sections.append("""
                <section id="filings"><h2>Filings</h2><table><tr><th>Filing</th><th>Adapter</th><th>Kind</th><th>State</th><th>Delivery</th></tr>
                \(filings.map { f -> HTML in
                    let m = messages.last { $0.filingID == f.id }
                    return "<tr><td>\(f.id)</td><td>\(f.adapterID)</td><td>\(f.kind)</td><td>\(f.state)</td><td>\(m.map { msg in "\(msg.state.rawValue), \(msg.attempts) attempt(s)" + (msg.lastError.map { ": " + $0 } ?? "") } ?? "")</td></tr>"
                })</table></section>
                """)
        }
        if open {
            let screeningReason = item.subject.hasPrefix("party:") || ["screening_hit", "blocked"].contains(item.reason)
            func button(_ action: String, _ label: String, _ key: String, enabled: Bool = true) -> HTML {
                "<button type=\"submit\" name=\"action\" value=\"\(action)\" id=\"action-\(action)\" data-key=\"\(key)\"\(enabled ? "" : " disabled")>\(label) <kbd>\(key)</kbd></button>"
            }
            sections.append("""
                <section id="actions"><h2>Decide</h2>
                <form method="post" action="/review/items/\(item.id ?? 0)" class="actions"><input type="hidden" name="csrf" value="\(s.csrf)">
                \(item.lineNumber == nil ? "" as HTML : "<label class=\"picker\">HS code <kbd>e</kbd><br><input type=\"text\" name=\"hs_code\" id=\"hs_code\" autocomplete=\"off\" placeholder=\"code or words\" size=\"24\"></label>")
                <label>Note<br><input type="text" name="note" id="note" size="30"></label>
                \(button("confirm", "Confirm", "c"))\(button("correct", "Correct", "f", enabled: item.lineNumber != nil))
                \(button("release", "Release", "r", enabled: screeningReason))\(button("hold", "Hold", "h"))\(button("reject", "Reject", "x"))
                \(button("reprocess", "Reprocess", "p", enabled: hasDead && s.role == .admin))</form>
                <p class="muted">Every action is recorded as a decision by reviewer:\(s.user). <kbd>u</kbd> back to the queue.</p></section>
                """)
        }
        sections.append("""
            <section id="history"><h2>Decisions on order \(order.id)</h2><table><tr><th>#</th><th>Kind</th><th>Line</th><th>Actor</th><th>When</th><th>Output</th></tr>
            \(history.reversed().map { d -> HTML in
                "<tr class=\"decision\" data-kind=\"\(d.kind)\" data-actor=\"\(d.actor)\"><td>\(d.id ?? 0)</td><td>\(d.kind)</td><td>\(d.lineNumber.map(String.init) ?? "")</td><td>\(d.actor)</td><td>\(HubJSON.time(d.decidedAt))</td><td><code>\(String(d.output.prefix(300)))</code></td></tr>"
            })</table></section>
            """)
        let body: HTML = "<h1>Review item #\(item.id ?? 0)</h1>\(sections)"
        return Page.response(Page.layout(title: "Item \(item.id ?? 0)", user: s, body: body), status: error == nil ? .ok : .unprocessableContent)
    }

    static func screeningHTML(_ party: JSONValue) -> HTML {
        let name = party["name"]?.stringValue ?? ""
        let matches = party["matches"]?.arrayValue ?? []
        func words(_ s: String) -> [String] { s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init) }
        let rows: [HTML] = matches.prefix(5).map { m in
            let matched = m["matched_name"]?.stringValue ?? m["name"]?.stringValue ?? ""
            let a = words(name), b = words(matched)
            func marked(_ text: String, _ other: [String]) -> HTML {
                HTML.join(text.split(separator: " ").map { w -> HTML in
                    let same = words(String(w)).allSatisfy { other.contains($0) }
                    return "<span class=\"\(same ? "tok-same" : "tok-diff")\">\(String(w))</span>"
                }, separator: " ")
            }
            return """
                <tr class="match"><td class="party-name">\(marked(name, b))</td><td class="matched-name">\(marked(matched, a))</td>
                <td>\(m["list"]?.stringValue ?? "") \(m["entry_id"]?.stringValue ?? "")<br><span class="muted">\(m["programmes"]?.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? "")</span></td>
                <td class="num">\(m["score"].map { JSONWriter.write($0) } ?? "")</td><td>\(m["decision"]?.stringValue ?? "")</td></tr>
                """
        }
        return """
            <h3>\(party["role"]?.stringValue ?? "party"): \(name) — \(party["decision"]?.stringValue ?? "")</h3>
            <table><tr><th>Party as sent</th><th>List entry (matched name)</th><th>List</th><th class="num">Score</th><th>Decision</th></tr>\(rows)</table>
            \((party["embargo"]?.arrayValue ?? []).isEmpty ? "" as HTML : "<p>Embargo: \(HTML.json(party["embargo"] ?? .null))</p>")
            """
    }

    static func riskHTML(_ risk: JSONValue) -> HTML {
        let lines = risk["lines"]?.arrayValue ?? []
        let rows: [HTML] = lines.flatMap { l -> [HTML] in
            (l["reasons"]?.arrayValue ?? []).map { r in
                "<tr><td>\(l["line_id"]?.stringValue ?? "")</td><td>\(r["code"]?.stringValue ?? r["rule"]?.stringValue ?? "")</td><td>\(r["detail"]?.stringValue ?? JSONWriter.write(r))</td><td class=\"num\">\(r["weight"].map { JSONWriter.write($0) } ?? "")</td></tr>"
            }
        }
        let action = risk["action"]?.stringValue.map { a -> HTML in "<p>Action: <strong>\(a)</strong></p>" } ?? ""
        if rows.isEmpty { return action + "<p class=\"muted\">No risk reasons.</p>" }
        return action + "<table><tr><th>Line</th><th>Reason</th><th>Detail</th><th class=\"num\">Weight</th></tr>\(rows)</table>"
    }

    // MARK: Actions

    func act(_ request: Request, _ s: WorkbenchSession, id: Int64) async throws -> Response {
        let form = try await posted(request, s)
        guard let actionText = form["action"], let action = Hub.ReviewAction(rawValue: actionText) else {
            return try await itemPage(id, s, error: "Choose an action.")
        }
        if action == .reprocess && s.role != .admin {
            return try await itemPage(id, s, error: "Reprocessing deliveries is for admins.")
        }
        let hub = try await slot.hub()
        let note = form["note"].flatMap { $0.isEmpty ? nil : $0 }
        // The picker's text may be "6109.10 T-shirts…": the digits are the code.
        let code = form["hs_code"].map { String($0.prefix { $0.isNumber || $0 == "." || $0 == " " }.filter(\.isNumber)) }
        // A document draft's corrected order (only "correct" takes it): a whole order pasted as JSON,
        // or else the per-field form applied to the draft as read.
        var edited = form["order_json"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        var draft: JSONValue?
        if action == .correct, let text = edited {
            do { draft = try JSONParser.parse(text) } catch {
                return try await itemPage(id, s, error: "The corrected order is not JSON: \(error)", edited: text)
            }
        } else if action == .correct, form["add_rows"] != nil, let documentID = try await store.reviewItem(id: id)?.documentID,
                  let stored = try await store.documentDraft(id: documentID) {
            let read = (try? JSONParser.parse(stored.extractionJSON))?["order"] ?? .object(JSONObject())
            // The order the page was drawn from: after a refused submission that is the reviewer's
            // last edit, not the draft as read (else a removed line would come back, an added value
            // go). Trusting it gives nothing the pasted-JSON box does not.
            let base = form[DraftForm.baseField].flatMap { try? JSONParser.parse($0) }.flatMap { $0.objectValue != nil ? $0 : nil } ?? read
            let (order, errors) = DraftForm.apply(form, to: base)
            edited = JSONWriter.write(order)
            if !errors.isEmpty {
                return try await itemPage(id, s, error: "Nothing was submitted; these values could not be placed: " + errors.joined(separator: "; "),
                                          edited: edited)
            }
            draft = order
        }
        do {
            let result = try await hub.resolve(itemID: id, action: action, reviewer: s.user, hsCode: code, note: note, draft: draft)
            if result.outcome == .notOpen { return try await itemPage(id, s, error: "This item was already resolved.") }
            // The reviewer's corrections to a document refine that supplier's template (logged and said as an event).
            if let documentID = result.item.documentID, result.orderID != nil, action == .correct {
                _ = await learnTemplate(documentID: documentID, order: draft, document: nil, reviewer: s.user)
            }
            logger.info("review action", metadata: ["reviewer": "\(s.user)", "review.item": "\(id)", "action": "\(action.rawValue)",
                                                    "order.state": "\(result.orderState)"])
            if let orderID = result.item.orderID {
                onEvent("review item \(id) of order \(orderID): \(action.rawValue) by \(s.user) in the workbench → order \(result.orderState)")
            } else {
                onEvent("review item \(id) of \(result.item.subject): \(action.rawValue) by \(s.user) in the workbench"
                    + (result.orderID.map { " → order \($0) \(result.orderState)" } ?? ""))
            }
            return Page.redirect("/review/items/\(id)?done=\(action.rawValue)")
        } catch let error as HubError {
            var marked: [DraftForm.Problem] = []
            if case .invalidOrder(let problems) = error { marked = problems.map { DraftForm.Problem(pointer: $0.path.pointer, message: $0.message) } }
            return try await itemPage(id, s, error: error.description, edited: edited, marked: marked)
        }
    }

    /// The HS picker: HS 2022 subheadings (the whole nomenclature the order validator checks codes
    /// against) whose code starts with the digits typed, or whose heading and text have every word.
    func searchHS(_ request: Request) async throws -> Response {
        let q = (request.uri.queryParameters["q"].map(String.init) ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        let descriptions = try await slot.hub().engines.validator.nomenclature.descriptions
        let digits = q.filter(\.isNumber)
        let words = q.split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { !$0.allSatisfy(\.isNumber) }
        var found: [(String, String)] = []
        if !q.isEmpty {
            for code in descriptions.keys.filter({ $0.count == 6 && $0.hasPrefix(digits) }).sorted() {
                let text = [descriptions[String(code.prefix(4))], descriptions[code]].compactMap { $0 }.joined(separator: " > ")
                if !words.isEmpty {
                    let lower = text.lowercased()
                    guard words.allSatisfy({ lower.contains($0) }) else { continue }
                }
                found.append((code, text))
                if found.count == 25 { break }
            }
        }
        return jsonResponse(.object(JSONObject([("results", .array(found.map {
            .object(JSONObject([("hs6", .string($0.0)), ("description", .string($0.1))]))
        }))])))
    }
}
