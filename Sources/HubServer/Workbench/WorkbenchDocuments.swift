import Foundation
import HTTPTypes
import Hub
import Hummingbird
import JSONCore
import NIOCore
import Store

/// The workbench's page for a document draft (a document that could not be read into a valid
/// order): the file as sent, the problems, every field with its confidence and page, and the draft
/// order to correct. Confirm submits the draft as read; correct submits the edited draft.
extension HubAPI {
    func addDocumentPages(to router: Router<BasicRequestContext>) {
        router.get("/review/documents/{id}/file") { request, context in
            try await self.signedIn(request) { _ in try await self.documentFile(Int64(context.parameters.get("id") ?? "") ?? 0) }
        }
    }

    /// The stored file, for reading beside the draft. Sent as what its first bytes say it is
    /// (PDF, PNG, JPEG, TIFF), sandboxed, never as HTML or script.
    func documentFile(_ id: Int64) async throws -> Response {
        guard let draft = try await store.documentDraft(id: id), let bytes = try await store.documentFile(id: id) else {
            throw Problem.notFound("document \(id)")
        }
        let type = Self.sniffedType(bytes)
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[HTTPField.Name("Content-Security-Policy")!] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.contentDisposition] = "\(type == "application/octet-stream" ? "attachment" : "inline"); filename=\"document-\(id)\(Self.fileExtension(type))\""
        _ = draft
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func sniffedType(_ b: [UInt8]) -> String {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
        return "application/octet-stream"
    }

    static func fileExtension(_ type: String) -> String {
        ["application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"][type] ?? ".bin"
    }

    func documentItemPage(_ item: ReviewItem, documentID: Int64, _ s: WorkbenchSession, done: String?, error: String?, edited: String?,
                          marked: [DraftForm.Problem]) async throws -> Response {
        guard let draft = try await store.documentDraft(id: documentID) else {
            return Page.response(Page.layout(title: "Not found", user: s, body: "<h1>Document \(documentID) does not exist</h1>"), status: .notFound)
        }
        let extraction = (try? JSONParser.parse(draft.extractionJSON)) ?? .null
        let open = item.state == "open" || item.state == "held"
        var sections: [HTML] = []
        if let done {
            let order: HTML = draft.orderID.map { id -> HTML in " It is now order <strong id=\"draft-order\">\(id)</strong>." } ?? ""
            sections.append("<p class=\"flash\" id=\"flash\">\(done) recorded by \(s.user). The draft is <strong id=\"draft-state\">\(draft.state)</strong>.\(order) <a href=\"/review\">Back to the queue</a></p>")
        }
        if let error { sections.append("<p class=\"error\" id=\"error\">\(error)</p>") }
        sections.append("""
            <section id="summary"><h2>\(Self.reasonLabel(item.reason)) · document \(documentID)</h2><p>\(item.detail)</p>
            <p class="muted">Merchant <strong>\(draft.merchantID)</strong> · \(draft.byteCount) bytes · sha256 <code>\(String(draft.sha256.prefix(16)))…</code> ·
            draft <strong>\(draft.state)</strong>\(draft.orderID.map { " → order \($0)" } ?? "") · item \(item.state)\(item.resolution.map { ": \($0)" } ?? "")\(item.resolvedBy.map { " by \($0)" } ?? "") ·
            <a href="/review/documents/\(documentID)/file" id="document-file" target="_blank" rel="noopener">open the document</a></p></section>
            """)
        let problems = extraction["problems"]?.arrayValue ?? []
        sections.append("""
            <section id="problems"><h2>Problems (\(problems.count))</h2><table><tr><th>Code</th><th>Field</th><th>Severity</th><th>Message</th></tr>
            \(problems.map { p -> HTML in
                "<tr class=\"problem\"><td>\(p["code"]?.stringValue ?? "")</td><td><code>\(p["field"]?.stringValue ?? "")</code></td><td>\(p["severity"]?.stringValue ?? "")</td><td>\(p["message"]?.stringValue ?? "")</td></tr>"
            })</table></section>
            """)
        let fields = extraction["fields"]?.arrayValue ?? []
        var reference: [HTML] = []
        reference.append("""
            <section id="fields"><h2>Fields read (\(fields.count))</h2><table><tr><th>Field</th><th>Value</th><th class="num">Confidence</th><th class="num">Page</th></tr>
            \(fields.map { f -> HTML in
                let confidence = f["confidence"].map { JSONWriter.write($0) } ?? ""
                let low = (Double(confidence) ?? 1) < 0.8
                return "<tr class=\"field\"><td><code>\(f["name"]?.stringValue ?? "")</code></td><td>\(f["value"]?.stringValue ?? "")</td><td class=\"num\(low ? " error" : "")\">\(confidence)</td><td class=\"num\">\(f["page"].map { JSONWriter.write($0) } ?? "")</td></tr>"
            })</table></section>
            """)
        if let document = extraction["document"] {
            reference.append("<section id=\"document\"><h2>Document as read</h2>\(HTML.json(document))</section>")
        }
        if open {
            // The reviewer's last edit when the page comes back with an error, else the draft as read.
            let editedOrder = edited.flatMap { try? JSONParser.parse($0) }.flatMap(\.objectValue)
            var order = editedOrder ?? extraction["order"]?.objectValue ?? JSONObject()
            let missing = (extraction["order"]?["missing"]?.arrayValue ?? []).compactMap(\.stringValue)
            order["missing"] = nil
            let known = problems.compactMap { p -> DraftForm.Problem? in
                guard let field = p["field"]?.stringValue, field.hasPrefix("/") else { return nil }
                return DraftForm.Problem(pointer: field, message: p["message"]?.stringValue ?? "")
            }
            func button(_ action: String, _ label: String, _ key: String) -> HTML {
                "<button type=\"submit\" name=\"action\" value=\"\(action)\" id=\"action-\(action)\" data-key=\"\(key)\">\(label) <kbd>\(key)</kbd></button>"
            }
            sections.append("""
                <section id="actions"><h2>Correct and decide</h2>
                <form method="post" action="/review/items/\(item.id ?? 0)"><input type="hidden" name="csrf" value="\(s.csrf)">
                <p class="muted">The draft order as read, field by field\(missing.isEmpty ? "" : "; the document did not give: \(missing.joined(separator: ", "))").
                Correct the values, add what is missing, and submit it as merchant \(draft.merchantID)'s order; it goes through the same validation as any order.</p>
                \(DraftForm.render(order: .object(order), problems: marked.isEmpty ? known : marked))
                <details id="draft-json"\(editedOrder == nil && edited != nil ? " open" : "")><summary>Or paste a whole corrected order (canonical JSON); when given, it replaces the fields above</summary>
                <textarea name="order_json" id="order_json" rows="16" cols="110" spellcheck="false" placeholder="{&quot;external_reference&quot;: …}">\(editedOrder == nil ? edited ?? "" : "")</textarea></details>
                <div class="actions"><label>Note<br><input type="text" name="note" id="note" size="30"></label>
                \(button("confirm", "Submit as read", "c"))\(button("correct", "Submit corrected", "f"))\(button("hold", "Hold", "h"))\(button("reject", "Reject", "x"))</div>
                </form><p class="muted">Every action is recorded as a decision by reviewer:\(s.user). <kbd>u</kbd> back to the queue.</p></section>
                """)
        }
        // What the reader saw, for checking the form against: below it, so the form comes first.
        sections += reference
        let body: HTML = "<h1>Review item #\(item.id ?? 0)</h1>\(sections)"
        return Page.response(Page.layout(title: "Item \(item.id ?? 0)", user: s, body: body), status: error == nil ? .ok : .unprocessableContent)
    }
}
