import CSVCore
import CustomsModel
import Foundation

/// Reads the UK HM Treasury (OFSI) Consolidated List in its CSV form (`ConList.csv`): line 1
/// `Last Updated,DD/MM/YYYY`, line 2 the header, then one row per name, the rows of one listed
/// party sharing a `Group ID`. Columns are found by header name, so extra columns are ignored.
public struct OFSIConListLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public init(listID: String = "uk_ofsi", fileName: String = "ConList.csv") {
        self.listID = listID
        self.fileName = fileName
    }

    public var fileNames: [String] { [fileName] }

    static let required = ["Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID"]

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Line 1 is the publication date, not the header.
        guard let firstBreak = text.firstIndex(of: "\n") else { throw ListLoadError(file: fileName, line: 1, message: "no header line") }
        let first = text[..<firstBreak].trimmingWhitespace(newlines: true)
        guard first.hasPrefix("Last Updated") else {
            throw ListLoadError(file: fileName, line: 1, message: "expected \"Last Updated,DD/MM/YYYY\" (OFSI ConList layout), found \"\(first.prefix(40))\"")
        }
        let fileDate = Self.date(first.split(separator: ",").dropFirst().first.map(String.init) ?? "")
        let table: CSVReader
        do { table = try CSVReader(String(text[text.index(after: firstBreak)...])) } catch {
            throw ListLoadError(file: fileName, line: error.line + 1, message: error.message)
        }
        for c in Self.required where table.column(c) == nil {
            throw ListLoadError(file: fileName, line: 2, message: "no \"\(c)\" column (changed format?)")
        }
        func col(_ n: String) -> Int? { table.column(n) }
        let given = (1...5).compactMap { col("Name \($0)") }
        let family = col("Name 6")!
        let groupCol = col("Group ID")!, typeCol = col("Group Type")!, aliasCol = col("Alias Type")!, regimeCol = col("Regime")!
        let qualityCol = col("Alias Quality"), dobCol = col("DOB"), natCol = col("Nationality"), countryCol = col("Country")
        let nonLatin = col("Name Non-Latin Script"), passport = col("Passport Number"), nationalID = col("National Identification Number")
        var order: [String] = []
        var byGroup: [String: ListedEntity] = [:]
        for row in table.rows {
            let f = row.fields
            func v(_ i: Int?) -> String { i.flatMap { $0 < f.count ? f[$0].trimmingWhitespace() : nil } ?? "" }
            let group = v(groupCol)
            guard !group.isEmpty else { throw ListLoadError(file: fileName, line: row.line + 1, message: "row without a Group ID") }
            let type: EntityType = switch v(typeCol).lowercased() {
            case "individual": .person
            case "ship": .vessel
            default: .organization
            }
            let fam = v(family)
            let parts = given.map { v($0) }.filter { !$0.isEmpty }
            let fullText = (parts + [fam]).filter { !$0.isEmpty }.joined(separator: " ")
            if fullText.isEmpty { throw ListLoadError(file: fileName, line: row.line + 1, message: "group \(group): a row without a name") }
            let alias = v(aliasCol).lowercased()
            let quality: NameQuality = alias == "primary name" ? .primary
                : alias == "fka" ? .former
                : v(qualityCol).lowercased().hasPrefix("low") ? .weak : .strong
            let name = ListedName(text: fullText, quality: quality, familyName: type == .person && !parts.isEmpty && !fam.isEmpty ? fam : nil)
            var e: ListedEntity
            if let known = byGroup[group] {
                e = known
            } else {
                order.append(group)
                e = ListedEntity(listID: listID, entryID: group, type: type, names: [])
            }
            if quality == .primary && !(e.names.first?.quality == .primary) { e.names.insert(name, at: 0) } else if !e.names.contains(name) { e.names.append(name) }
            let script = v(nonLatin)
            if !script.isEmpty, !e.names.contains(where: { $0.text == script }) { e.names.append(ListedName(text: script, quality: .strong)) }
            let regime = v(regimeCol)
            if !regime.isEmpty, !e.programmes.contains(regime) { e.programmes.append(regime) }
            for c in [v(natCol), v(countryCol)] where !c.isEmpty {
                for piece in c.split(separator: ",") {
                    if let code = CountryNames.code(for: piece.asciiRange(of: "(1) ") == nil ? piece.trimmingWhitespace() : piece.trimmingWhitespace().replacingOccurrences(of: "(1) ", with: "")),
                       !e.countries.contains(code) { e.countries.append(code) }
                }
            }
            if let d = Self.birthDate(v(dobCol)), !e.birthDates.contains(d) { e.birthDates.append(d) }
            for (kind, i) in [("passport", passport), ("national_id", nationalID)] {
                let num = v(i)
                if !num.isEmpty, !e.identifiers.contains(where: { $0.value == num }) { e.identifiers.append(EntityIdentifier(kind: kind, value: num)) }
            }
            byGroup[group] = e
        }
        guard !order.isEmpty else { throw ListLoadError(file: fileName, message: "no entries: refusing to load an empty list") }
        return try SanctionsList.loaded(order.compactMap { byGroup[$0] }, listID: listID, name: "UK Sanctions (HM Treasury OFSI Consolidated List)",
                                        published: published ?? fileDate, hashing: [UInt8](data), file: fileName)
    }

    /// `10/04/2025` (day/month/year) → midnight UTC.
    static func date(_ text: String) -> Date? {
        let p = text.trimmingWhitespace().split(separator: "/").compactMap { Int($0) }
        guard p.count == 3, p[2] > 1900 else { return nil }
        return Timestamp.parse(String(format: "%04d-%02d-%02dT00:00:00Z", p[2], p[1], p[0]))
    }

    /// `dd/mm/yyyy`, with `00` for an unknown day or month.
    static func birthDate(_ text: String) -> BirthDate? {
        let p = text.split(separator: "/").compactMap { Int($0) }
        guard p.count == 3, p[2] > 1800 else { return nil }
        return BirthDate(year: p[2], month: p[1] == 0 ? nil : p[1], day: p[0] == 0 || p[1] == 0 ? nil : p[0])
    }
}
