import CustomsModel
import Foundation

/// Reads the EU Financial Sanctions File, XML schema 1.1 (`xmlFullSanctionsList_1_1`): an `export`
/// root dated by `generationDate`, one `sanctionEntity` per listed party with its facts held in
/// attributes of child elements (`nameAlias`, `subjectType`, `regulation`, `birthdate`,
/// `citizenship`, `address`, `identification`). Streaming, one entity at a time.
public struct EUFSFLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public init(listID: String = "eu_fsf", fileName: String = "eu_fsf.xml") {
        self.listID = listID
        self.fileName = fileName
    }

    public var fileNames: [String] { [fileName] }

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        let handler = EUFSFHandler(listID: listID)
        try parseListXML(data, handler: handler, file: fileName, missingRoot: "no export root element (not an EU financial sanctions file, XML 1.1)")
        var date = published
        if date == nil, let generated = handler.generationDate {
            // `2024-05-14T17:01:35.529+02:00`; a bare day is midnight UTC.
            date = Timestamp.parse(generated) ?? Timestamp.parse(String(generated.prefix(10)) + "T00:00:00Z")
        }
        return try SanctionsList.loaded(handler.entities, listID: listID, name: "EU Financial Sanctions (consolidated list)",
                                        published: date, hashing: [UInt8](data), file: fileName)
    }
}

private final class EUFSFHandler: ListXMLHandler {
    let listID: String
    var entities: [ListedEntity] = []
    var generationDate: String?
    var sawRoot = false
    var problem: (line: Int, message: String)?

    private var current: ListedEntity?
    private var depth = 0

    init(listID: String) { self.listID = listID }

    func start(_ name: String, attributes a: [String: String], line: Int) {
        depth += 1
        if name == "export" && depth == 1 {
            sawRoot = true
            generationDate = a["generationDate"]
            return
        }
        if name == "sanctionEntity" {
            let id = nonEmpty(a["euReferenceNumber"]) ?? nonEmpty(a["logicalId"]) ?? ""
            if id.isEmpty { problem = problem ?? (line, "sanctionEntity without euReferenceNumber or logicalId") }
            current = ListedEntity(listID: listID, entryID: id, type: .organization, names: [])
            return
        }
        guard current != nil, depth == 3 else { return }
        switch name {
        case "subjectType":
            // `person` / `enterprise` (classification P / E); the EU list has no vessel subject type.
            let code = (a["code"] ?? a["classificationCode"] ?? "").lowercased()
            current?.type = code == "person" || code == "p" ? .person : .organization
        case "regulation":
            if let p = nonEmpty(a["programme"]), current?.programmes.contains(p) == false { current?.programmes.append(p) }
        case "nameAlias":
            let whole = nonEmpty(a["wholeName"])
            let parts = [a["firstName"], a["middleName"], a["lastName"]].compactMap { nonEmpty($0) }
            guard let text = whole ?? (parts.isEmpty ? nil : parts.joined(separator: " ")) else { return }
            let last = nonEmpty(a["lastName"])
            let family = last.flatMap { l in text.hasSuffix(l) && text != l ? l : nil }
            // `strong="false"` marks a weak alias; the first strong name is the primary one.
            let strong = (a["strong"] ?? "true").lowercased() != "false"
            let primary = strong && current?.names.contains(where: { $0.quality == .primary }) == false
            let n = ListedName(text: text, quality: primary ? .primary : strong ? .strong : .weak, familyName: family)
            if current?.names.contains(where: { $0.text == n.text }) == false {
                if primary { current?.names.insert(n, at: 0) } else { current?.names.append(n) }
            }
        case "birthdate":
            if let d = Self.birthDate(a), current?.birthDates.contains(d) == false { current?.birthDates.append(d) }
        case "citizenship":
            addCountry(a["countryIso2Code"])
        case "address":
            let text = [a["street"], a["poBox"], a["zipCode"], a["city"], a["region"], a["place"], a["countryDescription"]]
                .compactMap { nonEmpty($0) }.filter { $0 != "UNKNOWN" }.joined(separator: ", ")
            if !text.isEmpty { current?.addresses.append(text) }
            addCountry(a["countryIso2Code"])
        case "identification":
            if let number = nonEmpty(a["number"]) ?? nonEmpty(a["latinNumber"]) {
                let code = nonEmpty(a["countryIso2Code"]).flatMap { $0 == "00" ? nil : $0 }
                current?.identifiers.append(EntityIdentifier(kind: (nonEmpty(a["identificationTypeCode"]) ?? "id").lowercased(), value: number, country: code))
            }
        default: break
        }
    }

    func characters(_ text: String) {}

    func end(_ name: String, line: Int) {
        defer { depth -= 1 }
        guard name == "sanctionEntity", depth == 2, let entity = current else { return }
        current = nil
        guard !entity.names.isEmpty else {
            problem = problem ?? (line, "sanctionEntity \(entity.entryID) has no nameAlias with a name")
            return
        }
        var e = entity
        // Only weak aliases: the first stands as the primary name, so the entry still has one.
        if e.names.first?.quality != .primary { e.names[0].quality = .primary }
        entities.append(e)
    }

    func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingWhitespace(newlines: true), !t.isEmpty else { return nil }
        return t
    }

    /// `00` is the file's "unknown country".
    func addCountry(_ iso: String?) {
        guard let iso = nonEmpty(iso)?.uppercased(), iso != "00" else { return }
        let code = CountryCode(iso)
        guard code.isAssigned, current?.countries.contains(code) == false else { return }
        current?.countries.append(code)
    }

    /// `birthdate="1937-04-28"`, or only `year` (with `monthOfYear`/`dayOfMonth`); `circa="true"` widens a year by one each side.
    static func birthDate(_ a: [String: String]) -> BirthDate? {
        if let full = a["birthdate"], let d = BirthDate.parse(full) { return d }
        guard let year = a["year"].flatMap({ Int($0) }), year > 1800 else { return nil }
        if a["circa"]?.lowercased() == "true" { return BirthDate(fromYear: year - 1, toYear: year + 1) }
        let month = a["monthOfYear"].flatMap { Int($0) }.flatMap { (1...12).contains($0) ? $0 : nil }
        let day = month == nil ? nil : a["dayOfMonth"].flatMap { Int($0) }.flatMap { (1...31).contains($0) ? $0 : nil }
        return BirthDate(year: year, month: month, day: day)
    }
}
