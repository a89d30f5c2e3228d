import CSVCore

/// The set of HS 2022 chapters, headings and subheadings, used to check codes merchants send.
///
/// Built from the WCO/UN Comtrade table (`Data/hs/hs2022_nomenclature.csv`); the caller reads the
/// file, this type only parses text.
public struct HSNomenclature: Sendable {
    public let edition: String
    /// Code → description, for 2-, 4- and 6-digit codes.
    public let descriptions: [String: String]

    public init(edition: String, descriptions: [String: String]) {
        self.edition = edition
        self.descriptions = descriptions
    }

    /// Parses the `section,hscode,description,parent,level` CSV. UN Comtrade's `TOTAL` pseudo-section
    /// (the root row and the "99 commodities not specified" codes) is not part of HS and is skipped.
    public init(csv text: String, edition: String = "HS2022") throws(CSVReader.ParseError) {
        let table = try CSVReader(text)
        guard let code = table.column("hscode"), let desc = table.column("description"), let section = table.column("section") else {
            throw CSVReader.ParseError(line: 1, message: "expected columns section, hscode and description")
        }
        var d: [String: String] = [:]
        for row in table.rows where code < row.fields.count {
            if section < row.fields.count, row.fields[section] == "TOTAL" { continue }
            let c = row.fields[code]
            guard [2, 4, 6].contains(c.count), c.allSatisfy(\.isNumber) else { continue }
            d[c] = desc < row.fields.count ? row.fields[desc] : ""
        }
        self.init(edition: edition, descriptions: d)
    }

    /// Whether the HS part of `code` exists: the subheading for 6+ digits, the heading for 4.
    public func contains(_ code: HSCode) -> Bool {
        if let sub = code.subheading { return descriptions[sub] != nil }
        return descriptions[code.heading] != nil
    }

    public var subheadingCount: Int { descriptions.keys.filter { $0.count == 6 }.count }
}
