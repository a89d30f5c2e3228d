import CustomsModel
import Foundation

/// Reads OFAC's XML exports in the `sdnList` schema: the Consolidated (non-SDN) list
/// (`consolidated.xml`) and the SDN list (`sdn.xml`) share it. Streaming, one `sdnEntry` at a time.
public struct OFACXMLLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public let listName: String
    public init(listID: String = "ofac_consolidated", fileName: String = "consolidated.xml", listName: String = "OFAC Consolidated (non-SDN) Sanctions List") {
        self.listID = listID
        self.fileName = fileName
        self.listName = listName
    }

    public var fileNames: [String] { [fileName] }

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        let handler = OFACXMLHandler(listID: listID)
        try parseListXML(data, handler: handler, file: fileName, missingRoot: "no sdnList root element (not an OFAC XML export)")
        if !handler.entities.isEmpty, let expected = handler.recordCount, expected != handler.entities.count {
            throw ListLoadError(file: fileName, message: "Record_Count says \(expected) entries, found \(handler.entities.count) (truncated download?)")
        }
        return try SanctionsList.loaded(handler.entities, listID: listID, name: listName,
                                        published: published ?? handler.publishDate.flatMap(Self.publishDate), hashing: [UInt8](data), file: fileName)
    }

    /// `01/08/2026` (month/day/year, OFAC's form) → midnight UTC of that day.
    static func publishDate(_ text: String) -> Date? {
        let p = text.split(separator: "/").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return Timestamp.parse(String(format: "%04d-%02d-%02dT00:00:00Z", p[2], p[0], p[1]))
    }
}

private final class OFACXMLHandler: ListXMLHandler {
    let listID: String
    var entities: [ListedEntity] = []
    var publishDate: String?
    var recordCount: Int?
    var sawRoot = false
    var problem: (line: Int, message: String)?

    private var current: ListedEntity?
    private var fields: [String: String] = [:]
    private var sub: [String: String] = [:]
    private var text = ""
    private var path: [String] = []

    init(listID: String) { self.listID = listID }

    func start(_ name: String, attributes: [String: String], line: Int) {
        path.append(name)
        text = ""
        switch name {
        case "sdnList": sawRoot = true
        case "sdnEntry":
            current = ListedEntity(listID: listID, entryID: "", type: .organization, names: [])
            fields = [:]
        case "aka", "address", "dateOfBirthItem", "id", "nationality", "citizenship", "placeOfBirthItem": sub = [:]
        default: break
        }
    }

    func characters(_ string: String) { text += string }

    func end(_ name: String, line: Int) {
        defer {
            path.removeLast()
            text = ""
        }
        let value = text.trimmingWhitespace(newlines: true)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        if current == nil {
            if name == "Publish_Date" { publishDate = value }
            if name == "Record_Count" { recordCount = Int(value) }
            return
        }
        switch (parent, name) {
        case ("sdnEntry", _):
            fields[name] = value
            if name == "sdnType" { current?.type = Self.entityType(value) }
        case ("programList", "program"): if !value.isEmpty { current?.programmes.append(value) }
        case ("aka", _), ("address", _), ("dateOfBirthItem", _), ("id", _), ("nationality", _), ("citizenship", _): sub[name] = value
        case (_, "aka"):
            let quality: NameQuality = sub["category"]?.lowercased() == "weak" ? .weak : sub["type"] == "f.k.a." ? .former : .strong
            if let n = Self.name(first: sub["firstName"], last: sub["lastName"], person: current?.type == .person, quality: quality) {
                current?.names.append(n)
            }
        case (_, "address"):
            let line = ["address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country"].compactMap { sub[$0] }.filter { !$0.isEmpty }
            if !line.isEmpty { current?.addresses.append(line.joined(separator: ", ")) }
            addCountry(sub["country"])
        case (_, "dateOfBirthItem"):
            if let d = sub["dateOfBirth"], let date = OFACDate.parse(d) { current?.birthDates.append(date) }
        case (_, "id"):
            if let number = sub["idNumber"], !number.isEmpty {
                current?.identifiers.append(EntityIdentifier(kind: (sub["idType"] ?? "id").lowercased(), value: number, country: sub["idCountry"]))
            }
        case (_, "nationality"), (_, "citizenship"): addCountry(sub["country"])
        case (_, "sdnEntry"):
            guard var entity = current else { return }
            entity.entryID = fields["uid"] ?? ""
            entity.type = Self.entityType(fields["sdnType"] ?? "")
            guard let primary = Self.name(first: fields["firstName"], last: fields["lastName"], person: entity.type == .person, quality: .primary) else {
                problem = problem ?? (line, "entry \(entity.entryID) has no name")
                current = nil
                return
            }
            entity.names.insert(primary, at: 0)
            if entity.entryID.isEmpty { problem = problem ?? (line, "entry without uid") }
            entities.append(entity)
            current = nil
        default: break
        }
    }

    static func entityType(_ sdnType: String) -> EntityType {
        switch sdnType.lowercased() {
        case "individual": .person
        case "vessel": .vessel
        case "aircraft": .aircraft
        default: .organization
        }
    }

    func addCountry(_ name: String?) {
        guard let name, let code = CountryNames.code(for: name), current?.countries.contains(code) == false else { return }
        current?.countries.append(code)
    }

    /// Individuals read "First LAST" with the family part kept; entities are their `lastName`.
    static func name(first: String?, last: String?, person: Bool, quality: NameQuality) -> ListedName? {
        let f = (first ?? "").trimmingWhitespace()
        let l = (last ?? "").trimmingWhitespace()
        if l.isEmpty && f.isEmpty { return nil }
        if f.isEmpty { return ListedName(text: l, quality: quality) }
        return ListedName(text: "\(f) \(l)", quality: quality, familyName: l.isEmpty ? nil : l)
    }
}
