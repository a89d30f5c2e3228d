import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import Logging
import Store

/// The message browser at `/review/messages`, for integrators: every delivery with its rendered
/// message and attempts, the callbacks (unmatched ones too), outbox depth and breakers per adapter,
/// and reprocessing of DEAD deliveries one at a time or in bulk (admins). A reprocessed row is the
/// same row in a new generation: its first new attempt links to the last attempt before.
extension HubAPI {
    func addMessageBrowser(to router: Router<BasicRequestContext>) {
        router.get("/review/messages") { request, _ in try await self.signedIn(request) { try await self.messagesPage(request, $0) } }
        router.get("/review/messages/{id}") { request, context in
            try await self.signedIn(request) { try await self.messagePage(Int64(context.parameters.get("id") ?? "") ?? 0, $0) }
        }
        router.post("/review/messages/reprocess") { request, _ in
            try await self.signedIn(request) { try await self.reprocessMessages(request, $0) }
        }
    }

    func messagesPage(_ request: Request, _ s: WorkbenchSession) async throws -> Response {
        let query = request.uri.queryParameters
        let state = query["state"].map(String.init).flatMap(OutboxState.init(rawValue:))
        let adapter = query["adapter"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        // The rows still in play, counted from the index the metrics use: counting delivered rows
        // as well read every row ever queued (0.7 s a page on a store of 200,000 filings).
        let depths = OutboxStats(rows: try await store.queueDepths().outbox)
        let breakers = metrics.breakerStates
        let adapters = Set(depths.rows.map(\.adapterID)).union(breakers.keys).sorted()
        let depth: [HTML] = adapters.map { a in
            let open = breakers[a] == true
            return """
                <tr><td><a href="/review/messages?adapter=\(a)">\(a)</a></td>\(QueueDepths.outboxStates.map { st -> HTML in
                    "<td class=\"num\">\(depths.count(st, adapter: a))</td>"
                })<td class="breaker">\(open ? "open" : "closed")</td></tr>
                """
        }
        let rows = try await store.messages(OutboxFilter(states: state.map { [$0] }, adapterID: adapter, limit: 200, newestFirst: true))
        let admin = s.role == .admin
        let list: [HTML] = rows.map { m in
            """
            <tr class="message" data-state="\(m.state.rawValue)"><td>\(admin && m.state == .dead ? "<input type=\"checkbox\" name=\"id\" value=\"\(m.id)\">" as HTML : "")</td>
            <td><a href="/review/messages/\(m.id)">#\(m.id)</a></td><td>\(m.filingID.map(String.init) ?? "—")</td><td>\(m.adapterID)</td>
            <td>\(m.state.rawValue)</td><td class="num">\(m.attempts)</td><td class="num">\(m.generation)</td><td>\(m.lastErrorClass?.rawValue ?? "")</td>
            <td>\(String((m.lastError ?? "").prefix(120)))</td><td>\(HubJSON.time(m.createdAt))</td></tr>
            """
        }
        let callbackStatus = query["callbacks"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let callbacks = try await store.callbacks(status: callbackStatus, adapterID: adapter, limit: 100, newestFirst: true)
        let callbackRows: [HTML] = callbacks.map { c in
            """
            <tr class="callback" data-status="\(c.status)"><td>\(c.id)</td><td>\(c.adapterID)</td><td>\(c.externalEventID)</td><td>\(c.status)</td>
            <td>\(c.orderID.map { "order \($0)" } ?? "")\(c.filingID.map { ", filing \($0)" } ?? "")</td><td>\(c.note ?? "")</td>
            <td>\(HubJSON.time(c.receivedAt))</td><td><details><summary>\(c.body.count) bytes</summary><pre>\(String(decoding: c.body.prefix(4000), as: UTF8.self))</pre></details></td></tr>
            """
        }
        func filter(_ label: String, _ value: OutboxState?) -> HTML {
            "<a class=\"\(value == state ? "on" : "")\" href=\"/review/messages?\(value.map { "state=\($0.rawValue)&" } ?? "")\(adapter.map { "adapter=\($0)" } ?? "")\">\(label)</a>"
        }
        let flash: HTML = query["reprocessed"].map { n -> HTML in "<p class=\"flash\" id=\"flash\">\(n) deliveries put back to pending as a new generation.</p>" } ?? ""
        let body: HTML = """
            <h1>Messages</h1>\(flash)
            <section id="depth"><h2>Outbox depth per adapter</h2><table><tr><th>Adapter</th>\(QueueDepths.outboxStates.map { st -> HTML in "<th class=\"num\">\(st.rawValue)</th>" })<th>Breaker</th></tr>\(depth)</table>
            <p class="muted">Rows still in play. Delivered rows are listed under the delivered filter below and counted by <code>customs_hub_deliveries_total</code> in the metrics; <code>customs-hub outbox stats</code> counts every state.</p></section>
            <section id="deliveries"><h2>Deliveries\(adapter.map { " · \($0)" } ?? "")</h2>
            <p class="filters">\(filter("all", nil))\(OutboxState.allCases.map { filter($0.rawValue, $0) })</p>
            <form method="post" action="/review/messages/reprocess"><input type="hidden" name="csrf" value="\(s.csrf)">
            <input type="hidden" name="adapter" value="\(adapter ?? "")">
            <table><tr><th></th><th>Message</th><th>Filing</th><th>Adapter</th><th>State</th><th class="num">Attempts</th><th class="num">Generation</th><th>Error class</th><th>Last error</th><th>Created</th></tr>
            \(list.isEmpty ? ["<tr><td colspan=\"10\" class=\"muted\">No deliveries.</td></tr>"] : list)</table>
            \(admin ? "<p><button type=\"submit\" name=\"scope\" value=\"selected\" id=\"reprocess-selected\">Reprocess selected</button> <button type=\"submit\" name=\"scope\" value=\"all-dead\" id=\"reprocess-all\">Reprocess every DEAD delivery\(adapter.map { " of \($0)" } ?? "")</button></p>" as HTML : "<p class=\"muted\">Reprocessing is for admins.</p>")
            </form></section>
            <section id="callbacks"><h2>Callbacks</h2><p class="filters"><a href="/review/messages">all</a> <a href="/review/messages?callbacks=unmatched">unmatched</a> <a href="/review/messages?callbacks=unreadable">unreadable</a></p>
            <table><tr><th>#</th><th>Adapter</th><th>Event</th><th>Status</th><th>Matched</th><th>Note</th><th>Received</th><th>Body</th></tr>
            \(callbackRows.isEmpty ? ["<tr><td colspan=\"8\" class=\"muted\">No callbacks.</td></tr>"] : callbackRows)</table></section>
            """
        return Page.response(Page.layout(title: "Messages", user: s, body: body))
    }

    func messagePage(_ id: Int64, _ s: WorkbenchSession) async throws -> Response {
        guard let m = try await store.message(id: id) else {
            return Page.response(Page.layout(title: "Not found", user: s, body: "<h1>Message \(id) does not exist</h1>"), status: .notFound)
        }
        let attempts = try await store.attempts(messageID: id)
        var filing: FilingRecord?
        if let filingID = m.filingID { filing = try await store.filing(id: filingID) }
        let rows: [HTML] = attempts.map { a in
            """
            <section class="attempt" id="attempt-\(a.id)"><h2>Attempt \(a.number) of generation \(a.generation) · \(a.httpStatus.map { "HTTP \($0)" } ?? "no answer")
            · \(a.errorClass?.rawValue ?? "delivered") · \(a.finishedAt - a.startedAt) ms</h2>
            <p class="muted">\(HubJSON.time(a.startedAt)) by \(a.worker)\(a.previousAttemptID.map { " · follows attempt \($0)" } ?? "")\(a.error.map { " · " + $0 } ?? "")</p>
            <div class="pair"><div><h3>Request</h3><pre>\(a.requestHead)</pre><pre>\(String(decoding: a.requestBody.prefix(20000), as: UTF8.self))</pre></div>
            <div><h3>Response</h3><pre>\(String(decoding: a.responseBody.prefix(20000), as: UTF8.self))</pre>\(a.verdict.map { v -> HTML in "<h3>Verdict</h3><pre>\(v)</pre>" } ?? "")</div></div></section>
            """
        }
        let body: HTML = """
            <h1>Message #\(m.id) · \(m.adapterID) · \(m.state.rawValue)</h1>
            <p>Filing \(m.filingID.map(String.init) ?? "—")\(filing.map { f -> HTML in " (\(f.kind), \(f.state), order \(f.orderID.map(String.init) ?? "—"))" } ?? "")
            · generation \(m.generation) · \(m.attempts) attempt(s) in this generation · key <code>\(m.idempotencyKey)</code></p>
            \(m.state == .dead && s.role == .admin ? "<form method=\"post\" action=\"/review/messages/reprocess\"><input type=\"hidden\" name=\"csrf\" value=\"\(s.csrf)\"><input type=\"hidden\" name=\"id\" value=\"\(m.id)\"><button type=\"submit\" name=\"scope\" value=\"selected\" id=\"reprocess-one\">Reprocess</button></form>" as HTML : "")
            <section id="rendered"><h2>Rendered message (\(m.contentType), \(m.payload.count) bytes)</h2><pre>\(String(decoding: m.payload.prefix(50000), as: UTF8.self))</pre></section>
            \(rows.isEmpty ? ["<p class=\"muted\">No attempts yet.</p>"] : rows)
            """
        return Page.response(Page.layout(title: "Message \(m.id)", user: s, body: body))
    }

    func reprocessMessages(_ request: Request, _ s: WorkbenchSession) async throws -> Response {
        let form = try await posted(request, s)
        guard s.role == .admin else { throw Problem(.forbidden, "admin-only", "Reprocessing is for admins", detail: "log in as an admin") }
        let adapter = form["adapter"].flatMap { $0.isEmpty ? nil : $0 }
        let filter: OutboxFilter
        if form["scope"] == "all-dead" {
            filter = OutboxFilter(states: [.dead], adapterID: adapter)
        } else {
            let ids = form.values("id").compactMap { Int64($0) }
            guard !ids.isEmpty else { return Page.redirect("/review/messages?state=dead") }
            filter = OutboxFilter(ids: ids, states: [.dead])
        }
        let done = try await store.reprocess(filter, now: Date().millis, reviewer: s.user, note: "message browser")
        logger.info("workbench reprocess", metadata: ["reviewer": "\(s.user)", "outbox.ids": "\(done)"])
        onEvent("\(done.count) DEAD deliveries reprocessed by \(s.user) in the message browser")
        return Page.redirect("/review/messages?reprocessed=\(done.count)")
    }
}
