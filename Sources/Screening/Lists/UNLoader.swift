import CustomsModel
import Foundation

/// Reads the UN Security Council Consolidated List XML with a streaming (SAX) parser: the file is
/// a flat sequence of INDIVIDUAL/ENTITY records, so nothing needs a tree in memory.
public struct UNConsolidatedLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public init(listID: String = "un_sc", fileName: String = "UN_consolidated.xml") {
        self.listID = listID
        self.fileName = fileName
    }

    public var fileNames: [String] { [fileName] }

    /// `published` overrides the file's own `dateGenerated` when given.
    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        let handler = UNXMLHandler(listID: listID)
        try parseListXML(data, handler: handler, file: fileName, missingRoot: "no CONSOLIDATED_LIST root element")
        return try SanctionsList.loaded(handler.entities, listID: listID, name: "UN Security Council Consolidated List",
                                        published: published ?? handler.dateGenerated.flatMap(Timestamp.parse), hashing: [UInt8](data), file: fileName)
    }
}

/// Collects one record at a time; element text is buffered and assigned on the closing tag.
private final class UNXMLHandler: ListXMLHandler {
    let listID: String
    var entities: [ListedEntity] = []
    var dateGenerated: String?
    var sawRoot = false
    var problem: (line: Int, message: String)?

    private var current: ListedEntity?
    private var nameParts: [String] = []
    private var text = ""
    private var path: [String] = []
    // Sub-record buffers.
    private var aliasQuality = ""
    private var aliasName = ""
    private var dob: [String: String] = [:]
    private var document: [String: String] = [:]
    private var address: [String: String] = [:]

    init(listID: String) { self.listID = listID }

    func start(_ name: String, attributes: [String: String], line: Int) {
        path.append(name)
        text = ""
        switch name {
        case "CONSOLIDATED_LIST":
            sawRoot = true
            dateGenerated = attributes["dateGenerated"]
        case "INDIVIDUAL", "ENTITY":
            current = ListedEntity(listID: listID, entryID: "", type: name == "INDIVIDUAL" ? .person : .organization, names: [])
            nameParts = ["", "", "", ""]
        case "INDIVIDUAL_ALIAS", "ENTITY_ALIAS":
            aliasQuality = ""
            aliasName = ""
        case "INDIVIDUAL_DATE_OF_BIRTH": dob = [:]
        case "INDIVIDUAL_DOCUMENT": document = [:]
        case "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS", "INDIVIDUAL_PLACE_OF_BIRTH": address = [:]
        default: break
        }
    }

    func characters(_ string: String) { text += string }


    func end(_ name: String, line: Int) {
        defer {
            path.removeLast()
            text = ""
        }
        guard current != nil else { return }
        let value = text.trimmingWhitespace(newlines: true)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        switch (parent, name) {
        case (_, "DATAID"): if current?.entryID.isEmpty == true { current?.entryID = value }
        case (_, "REFERENCE_NUMBER"): if !value.isEmpty { current?.entryID = value }
        case (_, "FIRST_NAME"): nameParts[0] = value
        case (_, "SECOND_NAME"): nameParts[1] = value
        case (_, "THIRD_NAME"): nameParts[2] = value
        case (_, "FOURTH_NAME"): nameParts[3] = value
        case (_, "UN_LIST_TYPE"): if !value.isEmpty { current?.programmes.append(value) }
        case (_, "NAME_ORIGINAL_SCRIPT"): if !value.isEmpty { current?.names.append(ListedName(text: value, quality: .strong)) }
        case ("NATIONALITY", "VALUE"):
            if let code = CountryNames.code(for: value), current?.countries.contains(code) == false { current?.countries.append(code) }
        case (_, "QUALITY"): aliasQuality = value
        case (_, "ALIAS_NAME"): aliasName = value
        case (_, "INDIVIDUAL_ALIAS"), (_, "ENTITY_ALIAS"):
            if !aliasName.isEmpty {
                current?.names.append(ListedName(text: aliasName, quality: aliasQuality.lowercased() == "low" ? .weak : .strong))
            }
        case ("INDIVIDUAL_DATE_OF_BIRTH", _): dob[name] = value
        case (_, "INDIVIDUAL_DATE_OF_BIRTH"):
            if let date = Self.birthDate(dob) { current?.birthDates.append(date) }
        case ("INDIVIDUAL_DOCUMENT", _): document[name] = value
        case (_, "INDIVIDUAL_DOCUMENT"):
            if let number = document["NUMBER"], !number.isEmpty {
                let kind = (document["TYPE_OF_DOCUMENT"] ?? "document").lowercased()
                current?.identifiers.append(EntityIdentifier(kind: kind, value: number, country: document["ISSUING_COUNTRY"]))
            }
        case ("INDIVIDUAL_ADDRESS", _), ("ENTITY_ADDRESS", _), ("INDIVIDUAL_PLACE_OF_BIRTH", _): address[name] = value
        case (_, "INDIVIDUAL_ADDRESS"), (_, "ENTITY_ADDRESS"), (_, "INDIVIDUAL_PLACE_OF_BIRTH"):
            let line = ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"].compactMap { address[$0] }.filter { !$0.isEmpty }
            if !line.isEmpty { current?.addresses.append(line.joined(separator: ", ")) }
            if name != "INDIVIDUAL_PLACE_OF_BIRTH", let country = address["COUNTRY"], let code = CountryNames.code(for: country),
                current?.countries.contains(code) == false
            {
                current?.countries.append(code)
            }
        case (_, "INDIVIDUAL"), (_, "ENTITY"):
            guard var entity = current else { return }
            let primary = nameParts.filter { !$0.isEmpty }.joined(separator: " ")
            if primary.isEmpty {
                problem = problem ?? (line, "entry \(entity.entryID) has no name")
            } else {
                entity.names.insert(ListedName(text: primary, quality: .primary), at: 0)
                entities.append(entity)
            }
            current = nil
        default: break
        }
    }

    static func birthDate(_ fields: [String: String]) -> BirthDate? {
        if let date = fields["DATE"], !date.isEmpty, let parsed = BirthDate.parse(String(date.prefix(10))) { return parsed }
        if let from = fields["FROM_YEAR"].flatMap({ Int($0) }), let to = fields["TO_YEAR"].flatMap({ Int($0) }) {
            return BirthDate(fromYear: from, toYear: to)
        }
        if let year = fields["YEAR"].flatMap({ Int($0) }) {
            return fields["TYPE_OF_DATE"] == "APPROXIMATELY" ? BirthDate(fromYear: year - 1, toYear: year + 1) : BirthDate(year: year)
        }
        return nil
    }
}
