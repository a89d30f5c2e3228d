import CSVCore
import CustomsModel
import Foundation

/// Reads OFAC's legacy SDN CSV publication (`sdn.csv`, `alt.csv`, `add.csv`): no header, CRLF,
/// `-0- ` for empty, Latin-1, a DOS end-of-file byte at the end. Structured facts (dates of birth,
/// nationalities, passports, IMO numbers, weak aliases) are pulled out of the Remarks column.
public struct OFACSDNLoader: SanctionsListLoader {
    public let listID: String
    public init(listID: String = "ofac_sdn") { self.listID = listID }

    public var fileNames: [String] { ["sdn.csv", "alt.csv", "add.csv"] }

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let sdn = files["sdn.csv"] else { throw ListLoadError(file: "sdn.csv", message: "missing") }
        var entities: [ListedEntity] = []
        var position: [String: Int] = [:]
        var hashed = [UInt8](sdn)
        for row in try OFACCSV.rows(sdn, file: "sdn.csv", columns: 12) {
            guard let id = row.fields[0], let rawName = row.fields[1] else {
                throw ListLoadError(file: "sdn.csv", line: row.line, message: "entry without ent_num or name")
            }
            let type: EntityType = switch row.fields[2]?.lowercased() {
            case "individual": .person
            case "vessel": .vessel
            case "aircraft": .aircraft
            default: .organization
            }
            var entity = ListedEntity(listID: listID, entryID: id, type: type, names: [Self.name(rawName, quality: .primary, type: type)])
            entity.programmes = (row.fields[3] ?? "").components(separatedBy: "] [").map { $0.trimmingWhitespace() }
                .filter { !$0.isEmpty }
            if let flag = row.fields[9], let code = CountryNames.code(for: flag) { entity.countries.append(code) }
            if let callSign = row.fields[5] { entity.identifiers.append(EntityIdentifier(kind: "call_sign", value: callSign)) }
            if let remarks = row.fields[11] { Self.applyRemarks(remarks, to: &entity) }
            guard position[id] == nil else { throw ListLoadError(file: "sdn.csv", line: row.line, message: "duplicate ent_num \(id)") }
            position[id] = entities.count
            entities.append(entity)
        }
        guard !entities.isEmpty else { throw ListLoadError(file: "sdn.csv", message: "no entries: refusing to load an empty list") }

        if let alt = files["alt.csv"] {
            hashed += alt
            for row in try OFACCSV.rows(alt, file: "alt.csv", columns: 5) {
                guard let id = row.fields[0], let i = position[id] else {
                    throw ListLoadError(file: "alt.csv", line: row.line, message: "alias for unknown ent_num \(row.fields[0] ?? "-")")
                }
                guard let text = row.fields[3] else { continue }
                let quality: NameQuality = row.fields[2]?.lowercased() == "fka" ? .former : .strong
                entities[i].names.append(Self.name(text, quality: quality, type: entities[i].type))
            }
        }
        if let add = files["add.csv"] {
            hashed += add
            for row in try OFACCSV.rows(add, file: "add.csv", columns: 6) {
                guard let id = row.fields[0], let i = position[id] else {
                    throw ListLoadError(file: "add.csv", line: row.line, message: "address for unknown ent_num \(row.fields[0] ?? "-")")
                }
                let text = [row.fields[2], row.fields[3], row.fields[4]].compactMap { $0 }.joined(separator: ", ")
                if !text.isEmpty { entities[i].addresses.append(text) }
                if let country = row.fields[4], let code = CountryNames.code(for: country), !entities[i].countries.contains(code) {
                    entities[i].countries.append(code)
                }
            }
        }
        return try SanctionsList.loaded(entities, listID: listID, name: "OFAC Specially Designated Nationals", published: published,
                                        hashing: hashed, file: "sdn.csv")
    }

    /// OFAC writes individuals as `SURNAME, Given`; matching wants reading order and the family part.
    static func name(_ raw: String, quality: NameQuality, type: EntityType) -> ListedName {
        let text = raw.trimmingWhitespace()
        if type == .person, let comma = text.asciiRange(of: ", ") {
            let family = String(text[..<comma.lowerBound])
            let given = String(text[comma.upperBound...])
            return ListedName(text: "\(given) \(family)", quality: quality, familyName: family)
        }
        return ListedName(text: text, quality: quality)
    }

    private static let identifierPrefixes: [(String, String)] = [
        ("Vessel Registration Identification IMO ", "imo"), ("IMO ", "imo"), ("MMSI ", "mmsi"), ("SWIFT/BIC ", "bic"),
        ("Passport ", "passport"), ("National ID No. ", "national_id"), ("Tax ID No. ", "tax_id"),
        ("Registration Number ", "registration"), ("Registration ID ", "registration"), ("Identification Number ", "id"),
        ("Cedula No. ", "cedula"), ("D-U-N-S Number ", "duns"), ("C.U.R.P. ", "curp"), ("R.F.C. ", "rfc"),
        ("Aircraft Manufacturer's Serial Number (MSN) ", "aircraft_msn"), ("Digital Currency Address - ", "crypto"),
    ]

    /// Remarks are `;`-separated facts; the ones screening can use become fields, the rest is ignored.
    static func applyRemarks(_ remarks: String, to entity: inout ListedEntity) {
        // Weak aliases first: their quotes may contain `;`.
        var rest = remarks
        while let start = rest.asciiRange(of: "a.k.a. '") {
            // The closing quote is the one before `.`, `;`, `,` or the end: names contain apostrophes (ABU-'UMAR).
            let body = rest[start.upperBound...]
            guard let end = body.indices.first(where: { i in
                body[i] == "'" && (body.index(after: i) == body.endIndex || ".;,".contains(body[body.index(after: i)]))
            }) else { break }
            let alias = String(rest[start.upperBound..<end])
            if !alias.isEmpty { entity.names.append(ListedName(text: alias, quality: .weak)) }
            rest.removeSubrange(start.lowerBound...end)
        }
        for piece in rest.split(separator: ";") {
            var fact = piece.trimmingWhitespace(newlines: true)
            if fact.hasSuffix(".") { fact.removeLast() }
            if fact.hasPrefix("alt. ") { fact.removeFirst(5) }
            if fact.hasPrefix("DOB ") {
                if let date = OFACDate.parse(String(fact.dropFirst(4))) { entity.birthDates.append(date) }
            } else if fact.hasPrefix("nationality ") || fact.hasPrefix("citizen ") {
                let country = fact.drop { $0 != " " }.trimmingWhitespace()
                if let code = CountryNames.code(for: country), !entity.countries.contains(code) { entity.countries.append(code) }
            } else if let (prefix, kind) = identifierPrefixes.first(where: { fact.hasPrefix($0.0) }) {
                var value = String(fact.dropFirst(prefix.count))
                var country: String?
                if let open = value.asciiRange(of: " ("), value.hasSuffix(")") {
                    country = String(value[open.upperBound...].dropLast())
                    value = String(value[..<open.lowerBound])
                }
                if kind == "crypto", let space = value.firstIndex(of: " ") { value = String(value[value.index(after: space)...]) }
                let trimmed = value.trimmingWhitespace()
                if !trimmed.isEmpty { entity.identifiers.append(EntityIdentifier(kind: kind, value: trimmed, country: country)) }
            }
        }
    }
}

/// OFAC's date forms: `23 Nov 1962`, `Nov 1962`, `1962`, `circa 1962`, `1960 to 1962`.
enum OFACDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> BirthDate? {
        var t = text.trimmingWhitespace()
        if t.hasPrefix("circa ") { t.removeFirst(6) }
        if let to = t.asciiRange(of: " to ") {
            guard let a = year(t[..<to.lowerBound]), let b = year(t[to.upperBound...]) else { return nil }
            return BirthDate(fromYear: a, toYear: b)
        }
        let parts = t.split(separator: " ")
        switch parts.count {
        case 1: return year(parts[0]).map { BirthDate(year: $0) }
        case 2:
            guard let m = month(parts[0]), let y = year(parts[1]) else { return nil }
            return BirthDate(year: y, month: m)
        case 3:
            guard let d = Int(parts[0]), (1...31).contains(d), let m = month(parts[1]), let y = year(parts[2]) else { return nil }
            return BirthDate(year: y, month: m, day: d)
        default: return nil
        }
    }

    private static func year(_ s: Substring) -> Int? {
        let t = s.trimmingWhitespace()
        guard t.count == 4, let y = Int(t) else { return nil }
        return y
    }

    private static func month(_ s: Substring) -> Int? {
        months.firstIndex(of: String(s.prefix(3)).lowercased()).map { $0 + 1 }
    }
}

/// The CSV dialect of OFAC's legacy files. Fields are decoded as Latin-1, so no byte is ever
/// rejected; `-0-` (with or without its trailing space) becomes `nil`.
/// OFAC's CSV conventions on top of CSVCore's byte reader: `-0-` or blank (unquoted) is no value,
/// unquoted fields are trimmed, a blank line is skipped, and every row has the file's column count.
/// Fields are UTF-8 when their bytes are, Latin-1 (the legacy publication's encoding) otherwise.
enum OFACCSV {
    struct Row {
        var line: Int
        var fields: [String?]
    }

    static func rows(_ data: Data, file: String, columns: Int) throws(ListLoadError) -> [Row] {
        let raw: [CSVBytes.Row]
        do { raw = try CSVBytes.rows(data, encoding: .utf8ElseLatin1, ignoring: [0x1A]) } catch {
            throw ListLoadError(file: file, line: error.line, message: error.message == "quoted field is not closed" ? "unterminated quoted field" : error.message)
        }
        var rows: [Row] = []
        for row in raw {
            let fields: [String?] = row.fields.map { f in
                if f.quoted { return f.text }
                let trimmed = f.text.trimmingWhitespace()
                return trimmed == "-0-" || trimmed.isEmpty ? nil : trimmed
            }
            if fields.count == 1, fields[0] == nil { continue }
            guard fields.count == columns else {
                throw ListLoadError(file: file, line: row.line, message: "expected \(columns) fields, found \(fields.count)")
            }
            rows.append(Row(line: row.line, fields: fields))
        }
        return rows
    }
}

extension ListVersion {
    /// `2023-12-28+d768d28ee9e3`: readable date first, then the bytes' fingerprint.
    static func label(published: Date?, sha256: String) -> String {
        let hash = String(sha256.prefix(12))
        guard let published else { return "undated+\(hash)" }
        return "\(String(Timestamp.format(published).prefix(10)))+\(hash)"
    }
}
