import CustomsModel
import Foundation
import JSONCore

/// Reads an OpenSanctions export in FollowTheMoney JSON lines (`entities.ftm.json`): one entity a
/// line, `{"id", "schema", "properties": {"name": [...], ...}, "target", "datasets", "last_seen"}`,
/// every property a list of strings. Only screenable targets are kept (schemas Person,
/// Organization, Company, LegalEntity, Vessel, Airplane with `target` true); the sanctions,
/// addresses and ownership records of the same export are context, not parties.
///
/// The file carries no publication date of its own: the newest `last_seen` (the last crawl that saw
/// an entry) stands for it. OpenSanctions data is licensed CC BY-NC 4.0; commercial use needs
/// their licence.
public struct FollowTheMoneyLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public init(listID: String = "opensanctions", fileName: String = "entities.ftm.json") {
        self.listID = listID
        self.fileName = fileName
    }

    public var fileNames: [String] { [fileName] }

    static let screened: [String: EntityType] = [
        "Person": .person, "Organization": .organization, "Company": .organization, "LegalEntity": .organization,
        "PublicBody": .organization, "Vessel": .vessel, "Airplane": .aircraft,
    ]
    /// FtM identifier properties and the kind they are filed under.
    static let identifierProperties: [(String, String)] = [
        ("passportNumber", "passport"), ("idNumber", "national_id"), ("taxNumber", "tax_id"), ("innCode", "inn"),
        ("ogrnCode", "ogrn"), ("registrationNumber", "registration"), ("leiCode", "lei"), ("swiftBic", "swift_bic"),
        ("imoNumber", "imo"), ("mmsi", "mmsi"), ("callSign", "call_sign"), ("vatCode", "vat"),
    ]

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        var entities: [ListedEntity] = []
        var newest: String?
        var lineNumber = 0
        var seen = Set<String>()
        let bytes = [UInt8](data)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                throw ListLoadError(file: fileName, line: lineNumber, message: "not a JSON line (\(error.message)); truncated download?")
            }
            guard let object = value.objectValue, let schema = object["schema"]?.stringValue, let id = object["id"]?.stringValue,
                  let properties = object["properties"]?.objectValue
            else {
                throw ListLoadError(file: fileName, line: lineNumber, message: "not a FollowTheMoney entity (needs id, schema and properties; changed format?)")
            }
            if let lastSeen = object["last_seen"]?.stringValue, lastSeen > (newest ?? "") { newest = lastSeen }
            guard let type = Self.screened[schema], object["target"]?.boolValue ?? true else { continue }
            func strings(_ key: String) -> [String] {
                (properties[key]?.arrayValue ?? []).compactMap { $0.stringValue?.trimmingWhitespace(newlines: true) }.filter { !$0.isEmpty }
            }
            // The caption is OpenSanctions' display name: it stands in when `name` is missing.
            let caption = object["caption"]?.stringValue?.trimmingWhitespace(newlines: true)
            let names = strings("name") + (caption.map { $0.isEmpty ? [] : [$0] } ?? [])
            guard let first = names.first else {
                throw ListLoadError(file: fileName, line: lineNumber, message: "\(schema) \(id) has no name")
            }
            guard seen.insert(id).inserted else { throw ListLoadError(file: fileName, line: lineNumber, message: "entity \(id) appears twice") }
            let lastNames = strings("lastName")
            func listed(_ text: String, _ quality: NameQuality) -> ListedName {
                let family = type == .person ? lastNames.first { text.hasSuffix(" " + $0) } : nil
                return ListedName(text: text, quality: quality, familyName: family)
            }
            var e = ListedEntity(listID: listID, entryID: id, type: type, names: [listed(first, .primary)])
            for (key, quality) in [("name", NameQuality.strong), ("alias", .strong), ("previousName", .former), ("weakAlias", .weak)] {
                for n in strings(key) where !e.names.contains(where: { $0.text == n }) { e.names.append(listed(n, quality)) }
            }
            for key in ["nationality", "citizenship", "country", "jurisdiction", "flag"] {
                for c in strings(key) where c.count == 2 {
                    let code = CountryCode(c.uppercased())
                    if code.isAssigned && !e.countries.contains(code) { e.countries.append(code) }
                }
            }
            e.addresses = strings("address")
            for d in strings("birthDate") {
                if let b = BirthDate.parse(String(d.prefix(10))), !e.birthDates.contains(b) { e.birthDates.append(b) }
            }
            for (key, kind) in Self.identifierProperties {
                for v in strings(key) where !e.identifiers.contains(where: { $0.value == v }) { e.identifiers.append(EntityIdentifier(kind: kind, value: v)) }
            }
            // Which source lists name the party (`us_ofac_sdn`, `eu_fsf`…): what a reviewer checks next.
            e.programmes = strings("program") + (object["datasets"]?.arrayValue ?? []).compactMap(\.stringValue)
            entities.append(e)
        }
        let date = published ?? newest.flatMap { Timestamp.parse($0) ?? Timestamp.parse($0 + "Z") }
        return try SanctionsList.loaded(entities, listID: listID, name: "OpenSanctions (FollowTheMoney export, CC BY-NC 4.0)",
                                        published: date, hashing: bytes, file: fileName)
    }
}
