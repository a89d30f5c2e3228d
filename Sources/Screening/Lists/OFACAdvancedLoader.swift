import CustomsModel
import Foundation

/// Reads OFAC's advanced XML (`SDN_ADVANCED.XML`, the Sanctions List Service's `Sanctions` schema).
/// Its parties refer to reference tables by number: a profile's `PartySubTypeID` leads through
/// `PartySubTypeValues` to `PartyTypeValues` (Individual, Entity, Transport), a name part's
/// `NamePartGroupID` to its `NamePartType` (Last Name, First Name…), an alias's `AliasTypeID` to
/// A.K.A./F.K.A., a feature's `FeatureTypeID` to Birthdate or Nationality Country, a location to
/// its country. The file is read once into those tables and the raw parties, which are resolved at
/// the end, so the order of the sections does not matter.
public struct OFACAdvancedLoader: SanctionsListLoader {
    public let listID: String
    public let fileName: String
    public init(listID: String = "ofac_sdn", fileName: String = "SDN_ADVANCED.XML") {
        self.listID = listID
        self.fileName = fileName
    }

    public var fileNames: [String] { [fileName] }

    public func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList {
        guard let data = files[fileName] else { throw ListLoadError(file: fileName, message: "missing") }
        let h = OFACAdvancedHandler()
        try parseListXML(data, handler: h, file: fileName, missingRoot: "no Sanctions root element (not an OFAC advanced XML export)")
        if !h.parties.isEmpty && h.partyTypes.isEmpty {
            throw ListLoadError(file: fileName, message: "no PartyTypeValues reference table: party types cannot be told (changed format?)")
        }
        var entities: [ListedEntity] = []
        for p in h.parties {
            let typeName = h.partySubTypes[p.subType].flatMap { h.partyTypes[$0.partyType] } ?? ""
            let subName = h.partySubTypes[p.subType]?.name.lowercased() ?? ""
            let type: EntityType = switch typeName.lowercased() {
            case "individual": .person
            case "transport": subName == "aircraft" ? .aircraft : .vessel
            default: subName == "vessel" ? .vessel : subName == "aircraft" ? .aircraft : .organization
            }
            var e = ListedEntity(listID: listID, entryID: p.fixedRef, type: type, names: [])
            for alias in p.aliases {
                let aliasType = h.aliasTypes[alias.typeID]?.uppercased() ?? ""
                let quality: NameQuality = alias.primary ? .primary : alias.lowQuality ? .weak : aliasType == "F.K.A." ? .former : .strong
                for doc in alias.names {
                    guard let n = Self.name(doc, groups: h.namePartGroups, types: h.namePartTypes, person: type == .person, quality: quality),
                          !e.names.contains(where: { $0.text == n.text })
                    else { continue }
                    if quality == .primary && e.names.first?.quality != .primary { e.names.insert(n, at: 0) } else {
                        e.names.append(quality == .primary ? ListedName(text: n.text, quality: .strong, familyName: n.familyName) : n)
                    }
                }
            }
            guard !e.names.isEmpty else { throw ListLoadError(file: fileName, line: p.line, message: "DistinctParty \(p.fixedRef) has no name") }
            if e.names[0].quality != .primary { e.names[0].quality = .primary }
            for f in p.features {
                let kind = h.featureTypes[f.typeID]?.lowercased() ?? ""
                if kind == "birthdate" || kind == "date of birth", let d = f.birth {
                    if !e.birthDates.contains(d) { e.birthDates.append(d) }
                }
                for locationID in f.locations {
                    guard let loc = h.locations[locationID] else { continue }
                    // Addresses and places of birth are kept as text; the country of any other
                    // location feature (nationality, citizenship, flag, address) is a country of the party.
                    if !loc.text.isEmpty && (kind == "location" || kind == "address" || kind.contains("birth")) { e.addresses.append(loc.text) }
                    if !kind.contains("birth"), let c = loc.country.flatMap({ h.countries[$0] }), !e.countries.contains(c) { e.countries.append(c) }
                }
            }
            for doc in h.documents where p.identityIDs.contains(doc.identityID) {
                let kind = (h.docTypes[doc.typeID] ?? "id").lowercased()
                e.identifiers.append(EntityIdentifier(kind: kind, value: doc.number, country: doc.countryID.flatMap { h.countries[$0]?.rawValue }))
            }
            e.programmes = h.programmes[p.profileID] ?? []
            entities.append(e)
        }
        let date = published ?? h.dateOfIssue()
        return try SanctionsList.loaded(entities, listID: listID, name: "OFAC Specially Designated Nationals (advanced XML)",
                                        published: date, hashing: [UInt8](data), file: fileName)
    }

    /// The parts of one documented name in file order; individuals read "First Middle LAST" with the
    /// family part kept, entities and vessels are their one part.
    static func name(_ parts: [(group: String, value: String)], groups: [String: String], types: [String: String], person: Bool,
                     quality: NameQuality) -> ListedName? {
        var given: [String] = []
        var family: [String] = []
        var other: [String] = []
        for part in parts where !part.value.isEmpty {
            let t = groups[part.group].flatMap { types[$0] }?.lowercased() ?? ""
            if t == "last name" || t == "maiden name" { family.append(part.value) }
            else if t == "first name" || t == "middle name" || t == "patronymic" || t == "matronymic" { given.append(part.value) }
            else { other.append(part.value) }
        }
        let all = given + other + family
        guard !all.isEmpty else { return nil }
        let familyName = person && !family.isEmpty && !(given + other).isEmpty ? family.joined(separator: " ") : nil
        return ListedName(text: all.joined(separator: " "), quality: quality, familyName: familyName)
    }
}

private final class OFACAdvancedHandler: ListXMLHandler {
    struct Alias {
        var typeID = ""
        var primary = false
        var lowQuality = false
        var names: [[(group: String, value: String)]] = []
    }
    struct Feature {
        var typeID = ""
        var locations: [String] = []
        var birth: BirthDate?
    }
    struct Party {
        var fixedRef = ""
        var profileID = ""
        var subType = ""
        var line = 0
        var aliases: [Alias] = []
        var features: [Feature] = []
        var identityIDs: Set<String> = []
    }
    struct Location { var country: String?; var text: String }
    struct Document { var identityID: String; var typeID: String; var countryID: String?; var number: String }

    var sawRoot = false
    var problem: (line: Int, message: String)?
    var parties: [Party] = []
    var partyTypes: [String: String] = [:]
    var partySubTypes: [String: (name: String, partyType: String)] = [:]
    var aliasTypes: [String: String] = [:]
    var namePartTypes: [String: String] = [:]
    var namePartGroups: [String: String] = [:]
    var featureTypes: [String: String] = [:]
    var docTypes: [String: String] = [:]
    var countries: [String: CountryCode] = [:]
    /// The file's own country names ("Russia"), for address text.
    var countryNames: [String: String] = [:]
    var locations: [String: Location] = [:]
    var documents: [Document] = []
    /// Programme codes by profile, from the SanctionsEntries section.
    var programmes: [String: [String]] = [:]
    var programmeTypes: Set<String> = []
    var issue: [String: Int] = [:]

    private var path: [String] = []
    private var attrs: [[String: String]] = []
    private var text = ""
    private var party: Party?
    private var alias: Alias?
    private var docName: [(group: String, value: String)] = []
    private var feature: Feature?
    private var dates: [String: Int] = [:]
    private var location: (id: String, country: String?, parts: [String])?
    private var document: Document?
    private var entryProfile: String?
    private var measureType: String?

    func dateOfIssue() -> Date? {
        guard let y = issue["Year"], let m = issue["Month"], let d = issue["Day"] else { return nil }
        return Timestamp.parse(String(format: "%04d-%02d-%02dT00:00:00Z", y, m, d))
    }

    func start(_ name: String, attributes a: [String: String], line: Int) {
        path.append(name)
        attrs.append(a)
        text = ""
        switch name {
        case "Sanctions" where path.count == 1: sawRoot = true
        case "DistinctParty": party = Party(fixedRef: a["FixedRef"] ?? "", line: line)
        case "Profile":
            party?.profileID = a["ID"] ?? ""
            party?.subType = a["PartySubTypeID"] ?? ""
        case "Identity": if let id = a["ID"] { party?.identityIDs.insert(id) }
        case "Alias" where party != nil:
            alias = Alias(typeID: a["AliasTypeID"] ?? "", primary: a["Primary"] == "true", lowQuality: a["LowQuality"] == "true")
        case "DocumentedName": docName = []
        case "NamePartGroup" where party != nil: if let id = a["ID"], let t = a["NamePartTypeID"] { namePartGroups[id] = t }
        case "Feature" where party != nil: feature = Feature(typeID: a["FeatureTypeID"] ?? "")
        case "VersionLocation": if let id = a["LocationID"] { feature?.locations.append(id) }
        case "DatePeriod": dates = [:]
        case "Location" where party == nil: location = (a["ID"] ?? "", nil, [])
        case "LocationCountry": if location != nil { location?.country = a["CountryID"] }
        case "IDRegDocument":
            document = Document(identityID: a["IdentityID"] ?? "", typeID: a["IDRegDocTypeID"] ?? "", countryID: a["IssuedBy-CountryID"], number: "")
        case "SanctionsEntry": entryProfile = a["ProfileID"]
        case "SanctionsMeasure": measureType = a["SanctionsTypeID"]
        default: break
        }
    }

    func characters(_ string: String) { text += string }

    func end(_ name: String, line: Int) {
        let a = attrs.last ?? [:]
        let value = text.trimmingWhitespace(newlines: true)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        defer {
            path.removeLast()
            attrs.removeLast()
            text = ""
        }
        switch name {
        // Reference tables: `<PartyType ID="1">Individual</PartyType>` and the like.
        case "PartyType": if let id = a["ID"] { partyTypes[id] = value }
        case "PartySubType": if let id = a["ID"] { partySubTypes[id] = (value, a["PartyTypeID"] ?? "") }
        case "AliasType": if let id = a["ID"] { aliasTypes[id] = value }
        case "NamePartType": if let id = a["ID"] { namePartTypes[id] = value }
        case "FeatureType": if let id = a["ID"] { featureTypes[id] = value }
        case "IDRegDocType": if let id = a["ID"] { docTypes[id] = value }
        case "SanctionsType": if let id = a["ID"], value.lowercased() == "program" { programmeTypes.insert(id) }
        case "Country" where parent == "CountryValues":
            if let id = a["ID"], !value.isEmpty { countryNames[id] = value }
            if let id = a["ID"], let iso = a["ISO2"] {
                let code = CountryCode(iso.uppercased())
                if code.isAssigned { countries[id] = code }
            }
        case "Year", "Month", "Day":
            // `DateOfIssue/Year`, or `DatePeriod/Start/From/Year` filed as `Start/From/Year`.
            if parent == "DateOfIssue" { issue[name] = Int(value) } else if path.count >= 3, path.contains("DatePeriod") {
                dates[path[path.count - 3] + "/" + parent + "/" + name] = Int(value)
            }
        // Parties.
        case "NamePartValue": if alias != nil { docName.append((a["NamePartGroupID"] ?? "", value)) }
        case "DocumentedName": if alias != nil && !docName.isEmpty { alias?.names.append(docName) }
        case "Alias": if let al = alias { party?.aliases.append(al); alias = nil }
        case "DatePeriod":
            // `Start/From` is the date, or the first year of a range that ends at `End/To`.
            if feature != nil, let y = dates["Start/From/Year"] {
                let toYear = dates["End/To/Year"] ?? dates["Start/To/Year"] ?? y
                if toYear != y { feature?.birth = BirthDate(fromYear: y, toYear: toYear) } else {
                    let month = dates["Start/From/Month"].flatMap { (1...12).contains($0) ? $0 : nil }
                    feature?.birth = BirthDate(year: y, month: month, day: month == nil ? nil : dates["Start/From/Day"].flatMap { (1...31).contains($0) ? $0 : nil })
                }
            }
        case "Feature": if let f = feature { party?.features.append(f); feature = nil }
        case "DistinctParty":
            if let p = party {
                if p.fixedRef.isEmpty { problem = problem ?? (line, "DistinctParty without FixedRef") }
                parties.append(p)
            }
            party = nil
        // Locations and documents, outside the parties.
        case "Value" where location != nil: if !value.isEmpty { location?.parts.append(value) }
        case "Location" where party == nil:
            if let l = location {
                var parts = l.parts
                if let c = l.country.flatMap({ countryNames[$0] }), !parts.contains(c) { parts.append(c) }
                locations[l.id] = Location(country: l.country, text: parts.joined(separator: ", "))
            }
            location = nil
        case "IDRegistrationNo": document?.number = value
        case "IDRegDocument":
            if let d = document, !d.number.isEmpty { documents.append(d) }
            document = nil
        case "Comment" where parent == "SanctionsMeasure":
            if let profile = entryProfile, let t = measureType, programmeTypes.contains(t) || programmeTypes.isEmpty, !value.isEmpty,
               programmes[profile]?.contains(value) != true {
                programmes[profile, default: []].append(value)
            }
        case "SanctionsEntry": entryProfile = nil
        default: break
        }
    }
}
