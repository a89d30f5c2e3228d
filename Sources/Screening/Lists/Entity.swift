import CustomsModel
import Digests
import Foundation

/// What kind of party a list entry (or a query) is; screening only compares like with like when
/// the caller knows the kind.
public enum EntityType: String, Hashable, Sendable, Codable, CaseIterable {
    case person, organization, vessel, aircraft
}

/// How much a name on a list may be trusted. Weak aliases (nicknames, UN "Low" quality) can raise
/// a review but never a block on their own; former names score a little lower.
public enum NameQuality: String, Hashable, Sendable, Codable {
    case primary, strong, weak, former
}

/// One name of a listed entry, as the list wrote it.
public struct ListedName: Hashable, Sendable, Codable {
    /// The name in reading order (OFAC's `SURNAME, Given` is turned into `Given SURNAME`).
    public var text: String
    public var quality: NameQuality
    /// The family-name part when the list marks it (OFAC puts it before the comma); it weighs more.
    public var familyName: String?

    public init(text: String, quality: NameQuality, familyName: String? = nil) {
        self.text = text
        self.quality = quality
        self.familyName = familyName
    }

    enum CodingKeys: String, CodingKey {
        case text, quality
        case familyName = "family_name"
    }
}

/// A date of birth as lists give them: a day, a month, only a year, or a range of years.
public struct BirthDate: Hashable, Sendable, Codable, CustomStringConvertible {
    public var fromYear: Int
    public var toYear: Int
    public var month: Int?
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        fromYear = year
        toYear = year
        self.month = month
        self.day = day
    }

    public init(fromYear: Int, toYear: Int) {
        self.fromYear = min(fromYear, toYear)
        self.toYear = max(fromYear, toYear)
    }

    public var isExactDay: Bool { fromYear == toYear && month != nil && day != nil }

    public var description: String {
        if fromYear != toYear { return "\(fromYear)-\(toYear)" }
        guard let month else { return "\(fromYear)" }
        guard let day else { return String(format: "%04d-%02d", fromYear, month) }
        return String(format: "%04d-%02d-%02d", fromYear, month, day)
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `nil` for anything else.
    public static func parse(_ text: String) -> BirthDate? {
        let parts = text.trimmingWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let year = Int(parts[0]), parts[0].count == 4 else { return nil }
        if parts.count == 1 { return BirthDate(year: year) }
        guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 2 { return BirthDate(year: year, month: month) }
        guard let day = Int(parts[2]), (1...31).contains(day) else { return nil }
        return BirthDate(year: year, month: month, day: day)
    }

    enum CodingKeys: String, CodingKey {
        case fromYear = "from_year"
        case toYear = "to_year"
        case month, day
    }
}

/// A document or registration number on a list entry (passport, IMO number, SWIFT/BIC, tax id…).
public struct EntityIdentifier: Hashable, Sendable, Codable {
    public var kind: String
    public var value: String
    public var country: String?

    public init(kind: String, value: String, country: String? = nil) {
        self.kind = kind
        self.value = value
        self.country = country
    }

    /// Identifiers compare without spaces, dashes and case: lists and merchants format them differently.
    public var comparable: String { Self.comparable(value) }

    public static func comparable(_ text: String) -> String {
        let upper = text.uppercased()
        // ASCII (nearly every identifier): its letters and digits are exactly the ASCII members of
        // `CharacterSet.alphanumerics`, read by range instead of through the set for every character.
        if upper.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: upper.utf8.filter(isASCIIAlphanumeric), as: UTF8.self)
        }
        return String(upper.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

/// One entry of a sanctions list, in the shape every list loader produces.
public struct ListedEntity: Hashable, Sendable, Codable {
    public var listID: String
    /// The list's own stable id for the entry (OFAC `ent_num`, UN reference number).
    public var entryID: String
    public var type: EntityType
    /// Primary name first, then aliases.
    public var names: [ListedName]
    public var countries: [CountryCode]
    /// Address and place text, kept for region rules (Crimea, Donetsk…) and for reviewers.
    public var addresses: [String]
    public var birthDates: [BirthDate]
    public var identifiers: [EntityIdentifier]
    public var programmes: [String]

    public init(
        listID: String, entryID: String, type: EntityType, names: [ListedName], countries: [CountryCode] = [],
        addresses: [String] = [], birthDates: [BirthDate] = [], identifiers: [EntityIdentifier] = [], programmes: [String] = []
    ) {
        self.listID = listID
        self.entryID = entryID
        self.type = type
        self.names = names
        self.countries = countries
        self.addresses = addresses
        self.birthDates = birthDates
        self.identifiers = identifiers
        self.programmes = programmes
    }

    public var primaryName: String { names.first?.text ?? "" }

    enum CodingKeys: String, CodingKey {
        case listID = "list_id"
        case entryID = "entry_id"
        case type, names, countries, addresses
        case birthDates = "birth_dates"
        case identifiers, programmes
    }
}

/// Which publication of a list a decision was made against; stored with every decision.
public struct ListVersion: Hashable, Sendable, Codable {
    public var listID: String
    public var name: String
    /// The publisher's date for this publication (OFAC's legacy CSV carries none, so the loader is told).
    public var published: Date?
    /// Publication date plus the first 12 hex digits of the SHA-256 of the source bytes.
    public var version: String
    public var entryCount: Int

    public init(listID: String, name: String, published: Date?, version: String, entryCount: Int) {
        self.listID = listID
        self.name = name
        self.published = published
        self.version = version
        self.entryCount = entryCount
    }

    /// Whole days between publication and `now`; `nil` when the publication date is unknown.
    public func ageInDays(at now: Date) -> Int? {
        guard let published else { return nil }
        return Int((now.timeIntervalSince(published) / 86_400).rounded(.down))
    }

    /// A list is stale when it is older than `maxAgeDays` or its age cannot be told.
    public func isStale(at now: Date, maxAgeDays: Int) -> Bool {
        guard let age = ageInDays(at: now) else { return true }
        return age > maxAgeDays
    }

    enum CodingKeys: String, CodingKey {
        case listID = "list"
        case name, published, version
        case entryCount = "entry_count"
    }
}

/// A loaded list: its version and its entries.
public struct SanctionsList: Sendable {
    public var version: ListVersion
    public var entities: [ListedEntity]

    public init(version: ListVersion, entities: [ListedEntity]) {
        self.version = version
        self.entities = entities
    }

    /// What every loader ends with: an empty list is refused (a failed download must not clear the
    /// screening), and the version is labelled by its date and the SHA-256 of the bytes read.
    static func loaded(_ entities: [ListedEntity], listID: String, name: String, published: Date?, hashing bytes: [UInt8],
                       file: String) throws(ListLoadError) -> SanctionsList {
        guard !entities.isEmpty else { throw ListLoadError(file: file, message: "no entries: refusing to load an empty list") }
        let version = ListVersion(listID: listID, name: name, published: published,
                                  version: ListVersion.label(published: published, sha256: Digests.sha256(bytes)), entryCount: entities.count)
        return SanctionsList(version: version, entities: entities)
    }
}

/// A list loader turns the publisher's files (by file name) into a `SanctionsList`. Further lists
/// (EU FSF, UK, the US Consolidated Screening List) plug in by adding a conformer.
public protocol SanctionsListLoader: Sendable {
    /// The file names this loader reads, relative to the list's folder.
    var fileNames: [String] { get }
    func load(files: [String: Data], published: Date?) throws(ListLoadError) -> SanctionsList
}

/// A list that cannot be read: names the file and line so the operator can fix or re-download it.
/// Never an empty list in silence.
public struct ListLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
