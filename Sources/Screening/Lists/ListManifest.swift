import CustomsModel
import Foundation

/// Which list publications make up the screening data (`Data/sanctions/manifest.json`): the edge
/// reads the files it names and hands their bytes to `load(files:)`. Adding a list is a manifest
/// entry plus, for a new format, a `SanctionsListLoader`.
public struct ListManifest: Hashable, Sendable, Codable {
    public struct Entry: Hashable, Sendable, Codable {
        public var id: String
        public var format: String
        public var folder: String
        /// RFC 3339; overrides the date inside the file, required for lists that carry none.
        public var published: String?
        public var note: String?
        /// The file name inside the folder, for formats whose publishers name it differently.
        public var file: String?
        /// True for a snapshot that ships with the content (see its SOURCES.md), not a list `data
        /// update` fetched: its age is the sample data's. `serve --demo` does not alert on it.
        public var snapshot: Bool?

        public init(id: String, format: String, folder: String, published: String? = nil, note: String? = nil, file: String? = nil,
                    snapshot: Bool? = nil) {
            self.id = id
            self.format = format
            self.folder = folder
            self.published = published
            self.note = note
            self.file = file
            self.snapshot = snapshot
        }
    }

    /// A list older than this is reported stale.
    public var maxAgeDays: Int
    public var lists: [Entry]

    enum CodingKeys: String, CodingKey {
        case maxAgeDays = "max_age_days"
        case lists
    }

    public static func decode(_ data: Data) throws(ListLoadError) -> ListManifest {
        do { return try JSONDecoder().decode(ListManifest.self, from: data) } catch {
            throw ListLoadError(file: "manifest.json", message: "\(error)")
        }
    }

    public static func loader(for entry: Entry) throws(ListLoadError) -> any SanctionsListLoader {
        switch entry.format {
        case "ofac_sdn_csv": OFACSDNLoader(listID: entry.id)
        case "un_consolidated_xml": UNConsolidatedLoader(listID: entry.id)
        case "ofac_xml": OFACXMLLoader(listID: entry.id, fileName: entry.file ?? "consolidated.xml")
        case "ofsi_conlist_csv": OFSIConListLoader(listID: entry.id, fileName: entry.file ?? "ConList.csv")
        case "eu_fsf_xml": EUFSFLoader(listID: entry.id, fileName: entry.file ?? "eu_fsf.xml")
        case "ftm_json": FollowTheMoneyLoader(listID: entry.id, fileName: entry.file ?? "entities.ftm.json")
        case "ofac_advanced_xml": OFACAdvancedLoader(listID: entry.id, fileName: entry.file ?? "SDN_ADVANCED.XML")
        default: throw ListLoadError(file: "manifest.json", message: "list \(entry.id): unknown format \(entry.format)")
        }
    }

    /// Loads one list from its files' bytes (keyed by file name).
    public static func load(_ entry: Entry, files: [String: Data]) throws(ListLoadError) -> SanctionsList {
        var published: Date?
        if let text = entry.published {
            guard let date = Timestamp.parse(text) else {
                throw ListLoadError(file: "manifest.json", message: "list \(entry.id): published \"\(text)\" is not an RFC 3339 timestamp")
            }
            published = date
        }
        return try loader(for: entry).load(files: files, published: published)
    }
}
