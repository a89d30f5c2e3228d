import Foundation
import JSONCore

/// The per-field form for a document draft's order: every value the reader found is an input
/// named by its JSON Pointer, the fields a problem names are marked with it, each line or party can
/// be removed, and rows below add what the document did not give (pre-filled with the pointers
/// the problems name). A reviewer corrects a draft by typing values, not by editing JSON.
enum DraftForm {
    /// Blank "add a value" rows offered beside the ones problems fill in.
    static let blankAddRows = 2
    /// Form field prefixes: `field:/lines/0/quantity`, `drop:/lines/2`, `add_path_N` / `add_value_N` / `add_kind_N`.
    static let fieldPrefix = "field:", dropPrefix = "drop:"

    struct Problem { var pointer: String; var message: String }

    // MARK: Rendering

    static func render(order: JSONValue, problems: [Problem]) -> HTML {
        var groups: [(key: String, title: String, droppable: Bool, rows: [(pointer: String, value: JSONValue)])] = []
        for leaf in order.leaves {
            let tokens = leaf.pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
            let key: String, title: String, droppable: Bool
            if tokens.count >= 3, let n = Int(tokens[1]) {
                key = "/\(tokens[0])/\(n)"
                title = itemTitle(tokens[0], n, order.value(atPointer: key))
                droppable = true
            } else if tokens.count >= 2 {
                key = "/\(tokens[0])"; title = label(tokens[0]); droppable = false
            } else {
                key = ""; title = "Order"; droppable = false
            }
            if let last = groups.indices.last, groups[last].key == key { groups[last].rows.append(leaf) } else {
                groups.append((key, title, droppable, [leaf]))
            }
        }
        // A problem marks the field it names, or the line or party it names; one about a whole list
        // (`/parties`) or a value the draft lacks is a row in "Add" below.
        func marks(_ pointer: String) -> [String] { problems.filter { $0.pointer == pointer }.map(\.message) }
        let fieldsets: [HTML] = groups.map { group in
            let rows: [HTML] = group.rows.map { row in
                let name = String(row.pointer.dropFirst(group.key.count)).split(separator: "/").joined(separator: ".")
                let text = row.value.stringValue ?? (row.value == .null ? "" : JSONWriter.write(row.value))
                let problems = marks(row.pointer)
                let id = "f" + row.pointer.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
                return """
                    <div class="draft-field\(problems.isEmpty ? "" : " error")"><label for="\(id)">\(name.isEmpty ? row.pointer : name)</label>
                    <input type="text" id="\(id)" name="\(fieldPrefix + row.pointer)" value="\(text)" data-pointer="\(row.pointer)" size="\(max(8, min(48, text.count + 2)))">\
                    \(problems.map { p -> HTML in " <span class=\"error\">\(p)</span>" })</div>
                    """
            }
            let drop: HTML = group.droppable
                ? " <label class=\"muted\"><input type=\"checkbox\" name=\"\(dropPrefix + group.key)\" value=\"1\"> remove</label>" : ""
            let groupProblems = group.key.isEmpty ? [] : problems.filter { $0.pointer == group.key }.map(\.message)
            return """
                <fieldset class="draft-group" data-pointer="\(group.key)"><legend>\(group.title)\(drop)</legend>\
                \(groupProblems.map { p -> HTML in "<p class=\"error\">\(p)</p>" })\(rows)</fieldset>
                """
        }
        // What the problems name but the draft does not hold: a row to give it, pointer filled in.
        var wanted: [(pointer: String, kind: String, hint: String)] = []
        for p in problems where p.pointer.hasPrefix("/") && !order.leaves.contains(where: { $0.pointer == p.pointer }) {
            let existing = order.value(atPointer: p.pointer)
            let pointer = existing?.arrayValue != nil ? p.pointer + "/-" : p.pointer
            let kind = existing?.arrayValue != nil || existing?.objectValue != nil ? "json" : "auto"
            if !wanted.contains(where: { $0.pointer == pointer }) { wanted.append((pointer, kind, p.message)) }
        }
        wanted += Array(repeating: (pointer: "", kind: "auto", hint: ""), count: blankAddRows)
        let addRows: [HTML] = wanted.enumerated().map { i, row in
            func option(_ value: String, _ label: String) -> HTML {
                "<option value=\"\(value)\"\(row.kind == value ? " selected" : "")>\(label)</option>"
            }
            return """
                <tr class="add-row"><td><input type="text" id="add_path_\(i)" name="add_path_\(i)" value="\(row.pointer)" placeholder="/shipment/transport_mode" size="32"></td>
                <td><select name="add_kind_\(i)" id="add_kind_\(i)">\(option("auto", "text or {JSON}"))\(option("text", "text"))\(option("number", "number"))\(option("json", "JSON"))</select></td>
                <td><input type="text" name="add_value_\(i)" id="add_value_\(i)" size="40" placeholder="\(row.kind == "json" ? "{\"…\": …}" : "value")"></td>
                <td class="muted">\(row.hint)</td></tr>
                """
        }
        return """
            <div id="draft-form">\(fieldsets)
            <fieldset id="draft-add"><legend>Add what the document did not give</legend>
            <p class="muted">A JSON Pointer and its value: text, or JSON where it starts with <code>{</code> or <code>[</code> (<code>{"value": "2", "unit": "kg"}</code>). <code>/-</code> at the end appends to a list (a new line or party). Rows left empty are ignored.</p>
            <table><tr><th>Where (JSON Pointer)</th><th>Kind</th><th>Value</th><th></th></tr>\(addRows)</table>
            <input type="hidden" name="add_rows" value="\(wanted.count)"></fieldset></div>
            """
    }

    static func itemTitle(_ list: String, _ n: Int, _ item: JSONValue?) -> String {
        switch list {
        case "lines": "Line \(n + 1)" + (item?["description"]?.stringValue.map { ": \($0)" } ?? "")
        case "parties": "Party \(n + 1)" + ([item?["role"]?.stringValue, item?["name"]?.stringValue].compactMap { $0 }.joined(separator: " · ").prefixed(": "))
        default: "\(label(list)) \(n + 1)"
        }
    }

    static func label(_ key: String) -> String {
        let words = key.split(separator: "_").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    // MARK: Reading the form back

    /// The draft with the form applied: the values typed (a number stays a number when it reads as
    /// one; otherwise it goes as text and validation names the field), then the added rows, then
    /// the removals (emptied fields and removed lines, highest index first so none shifts another).
    /// Rows that cannot be applied are returned as errors that name them; the rest still applies.
    static func apply(_ form: FormFields, to draft: JSONValue) -> (order: JSONValue, errors: [String]) {
        var order = draft
        var errors: [String] = []
        var removals: [String] = []
        for (name, text) in form.all where name.hasPrefix(fieldPrefix) {
            let pointer = String(name.dropFirst(fieldPrefix.count))
            guard let original = draft.value(atPointer: pointer) else { continue }
            let value: JSONValue?
            switch original {
            case .number: value = text.isEmpty ? nil : (isNumber(text) ? .number(text) : .string(text))
            case .bool: value = text.isEmpty ? nil : (text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text))
            case .null: value = text.isEmpty ? .null : .string(text)
            default: value = text.isEmpty && original != .string("") ? nil : .string(text)
            }
            if let value { do { try order.set(value, atPointer: pointer) } catch { errors.append("\(error)") } } else { removals.append(pointer) }
        }
        let rows = min(Int(form["add_rows"] ?? "") ?? 0, 200)
        for i in 0..<rows {
            let pointer = (form["add_path_\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
            let text = form["add_value_\(i)"] ?? ""
            guard !pointer.isEmpty, !text.isEmpty else { continue }
            let value: JSONValue
            switch form["add_kind_\(i)"] {
            case "number":
                guard isNumber(text.trimmingCharacters(in: .whitespaces)) else { errors.append("\(pointer): \(text) is not a number (write 12.5)"); continue }
                value = .number(text.trimmingCharacters(in: .whitespaces))
            case "json":
                do { value = try JSONParser.parse(text) } catch { errors.append("\(pointer): not JSON: \(error)"); continue }
            case "text":
                value = .string(text)
            default:
                // A value that opens an object or a list is JSON (a parcel, a weight with its unit); else text.
                guard let first = text.trimmingCharacters(in: .whitespaces).first, first == "{" || first == "[" else { value = .string(text); break }
                do { value = try JSONParser.parse(text) } catch { errors.append("\(pointer): not JSON: \(error)"); continue }
            }
            do { try order.set(value, atPointer: pointer) } catch { errors.append("\(error)") }
        }
        removals += form.all.filter { $0.0.hasPrefix(dropPrefix) && !$0.1.isEmpty }.map { String($0.0.dropFirst(dropPrefix.count)) }
        for pointer in removals.sorted(by: laterFirst) {
            do { try order.set(nil, atPointer: pointer) } catch { errors.append("\(error)") }
        }
        return (order, errors)
    }

    static func isNumber(_ text: String) -> Bool {
        if case .number? = try? JSONParser.parse(text) { return true }
        return false
    }

    /// Pointer order that removes `/lines/10` before `/lines/9` and `/lines/2/x` before `/lines/2`.
    static func laterFirst(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "/", omittingEmptySubsequences: false), y = b.split(separator: "/", omittingEmptySubsequences: false)
        for (p, q) in zip(x, y) where p != q {
            if let m = Int(p), let n = Int(q) { return m > n }
            return p > q
        }
        return x.count > y.count
    }
}

private extension String {
    func prefixed(_ prefix: String) -> String { isEmpty ? "" : prefix + self }
}
