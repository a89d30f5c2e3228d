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
    static let fieldPrefix = "field:", dropPrefix = "drop:", typePrefix = "type:"
    /// The order the form was drawn from (as read, or as last edited when a submission came back
    /// refused), so that what is posted applies to what the reviewer saw.
    static let baseField = "draft_base"

    struct Problem { var pointer: String; var message: String }

    // MARK: Rendering

    static func render(order: JSONValue, problems: [Problem]) -> HTML {
        var groups: [(key: String, title: String, droppable: Bool, rows: [(pointer: String, value: JSONValue)])] = []
        // The line items are a table: one row per line, one column per value any line has.
        let lineCount = order["lines"]?.arrayValue?.count ?? 0
        var columns: [String] = []
        var cells: [String: JSONValue] = [:]
        for leaf in order.leaves {
            let tokens = leaf.pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
            if tokens.count >= 3, tokens[0] == "lines", let n = Int(tokens[1]), n < lineCount {
                let column = "/" + tokens.dropFirst(2).joined(separator: "/")
                if !columns.contains(column) { columns.append(column) }
                cells[leaf.pointer] = leaf.value
                continue
            }
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
        func fieldID(_ pointer: String) -> String { "f" + pointer.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }
        func text(_ value: JSONValue?) -> String {
            guard let value else { return "" }
            return value.stringValue ?? (value == .null ? "" : JSONWriter.write(value))
        }
        // A number or a yes/no goes back as one: the page says which, since the form posts only text.
        func kind(_ value: JSONValue?) -> HTML {
            switch value {
            case .number?: "number"
            case .bool?: "bool"
            default: ""
            }
        }
        func typeInput(_ pointer: String, _ value: JSONValue?) -> HTML {
            let k = kind(value)
            return k.description.isEmpty ? "" : "<input type=\"hidden\" name=\"\(typePrefix + pointer)\" value=\"\(k)\">"
        }
        var fieldsets: [HTML] = groups.map { group in
            let rows: [HTML] = group.rows.map { row in
                let name = String(row.pointer.dropFirst(group.key.count)).split(separator: "/").joined(separator: ".")
                let text = text(row.value)
                let problems = marks(row.pointer)
                return """
                    <div class="draft-field\(problems.isEmpty ? "" : " error")"><label for="\(fieldID(row.pointer))">\(name.isEmpty ? row.pointer : name)</label>
                    <input type="text" id="\(fieldID(row.pointer))" name="\(fieldPrefix + row.pointer)" value="\(text)" data-pointer="\(row.pointer)" size="\(max(8, min(48, text.count + 2)))">\
                    \(typeInput(row.pointer, row.value))\(problems.map { p -> HTML in " <span class=\"error\">\(p)</span>" })</div>
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
        if lineCount > 0 {
            // A blank cell is a value this line lacks and another has; typed in, it is set (as the
            // column's kind), left blank, nothing changes.
            let columnKind = Dictionary(columns.map { c in (c, (0..<lineCount).lazy.compactMap { cells["/lines/\($0)\(c)"] }.first) }, uniquingKeysWith: { a, _ in a })
            // Headers break after a dot (`line_value.` / `amount`), not inside a word.
            let header: [HTML] = columns.map { c -> HTML in
                var label: HTML = ""
                for (i, part) in c.dropFirst().split(separator: "/").enumerated() { label += (i > 0 ? ".<wbr>" : "") + "\(part)" }
                return "<th>\(label)</th>"
            }
            let rows: [HTML] = (0..<lineCount).map { n in
                let line = "/lines/\(n)"
                let lineProblems = problems.filter { $0.pointer == line }.map(\.message)
                let tds: [HTML] = columns.map { c in
                    let pointer = line + c
                    let value = cells[pointer]
                    let problems = marks(pointer)
                    let label = "Line \(n + 1) " + c.dropFirst().split(separator: "/").joined(separator: ".")
                    return """
                        <td class="draft-field\(problems.isEmpty ? "" : " error")"><input type="text" id="\(fieldID(pointer))" name="\(fieldPrefix + pointer)" value="\(text(value))" data-pointer="\(pointer)" aria-label="\(label)" size="\(max(4, min(22, text(value).count + 1)))">\
                        \(typeInput(pointer, value ?? columnKind[c] ?? nil))\(problems.map { p -> HTML in "<span class=\"error\">\(p)</span>" })</td>
                        """
                }
                return """
                    <tr class="draft-line" data-pointer="\(line)"><th>\(n + 1) <label class="muted"><input type="checkbox" name="\(dropPrefix + line)" value="1"> remove</label>\
                    \(lineProblems.map { p -> HTML in "<span class=\"error\">\(p)</span>" })</th>\(tds)</tr>
                    """
            }
            let lines: HTML = """
                <fieldset class="draft-group" id="draft-lines" data-pointer="/lines"><legend>Lines (\(lineCount))</legend>
                <table class="draft-lines"><tr><th>#</th>\(header)</tr>\(rows)</table></fieldset>
                """
            // The lines go where they stand in the order: after the groups written before them.
            let position = groups.firstIndex { g in order.objectValue.map { o in Self.keyIndex(o, g.key) > Self.keyIndex(o, "/lines") } ?? false } ?? groups.count
            fieldsets.insert(lines, at: position)
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
            <input type="hidden" name="add_rows" value="\(wanted.count)"></fieldset>
            <input type="hidden" name="\(baseField)" value="\(JSONWriter.write(order))"></div>
            """
    }

    /// Where a group's top-level key stands among the order's keys (groups of one key share it).
    static func keyIndex(_ order: JSONObject, _ groupKey: String) -> Int {
        let top = groupKey.split(separator: "/").first.map(String.init) ?? ""
        return order.keys.firstIndex(of: top) ?? -1
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
            guard let original = draft.value(atPointer: pointer) else {
                // A blank cell of the lines table: set when typed, as the kind the page gave it.
                guard !text.isEmpty else { continue }
                let value: JSONValue
                switch form[typePrefix + pointer] {
                case "number": value = isNumber(text) ? .number(text) : .string(text)
                case "bool": value = text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
                default: value = .string(text)
                }
                do { try order.set(value, atPointer: pointer) } catch { errors.append("\(error)") }
                continue
            }
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
