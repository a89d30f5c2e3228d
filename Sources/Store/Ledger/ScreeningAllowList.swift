/// A screening hit a person released: this party may match this list entry in this version of the
/// list without going to review again. A new list version does not carry the entry over, so the
/// hit is looked at again when the list changes.
public struct ScreeningAllowance: Sendable, Hashable, Codable {
    public var partyName: String
    public var list: String
    public var entryID: String
    public var listVersion: String
    public var releasedBy: String
    public var reviewItemID: Int64?
    public var createdAt: Millis

    public init(partyName: String, list: String, entryID: String, listVersion: String, releasedBy: String, reviewItemID: Int64? = nil, createdAt: Millis) {
        self.partyName = partyName; self.list = list; self.entryID = entryID; self.listVersion = listVersion
        self.releasedBy = releasedBy; self.reviewItemID = reviewItemID; self.createdAt = createdAt
    }

    /// The party's name as compared: letters and digits, lower-cased, single spaces.
    public static func partyKey(_ name: String) -> String {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }

    public var partyKey: String { Self.partyKey(partyName) }

    enum CodingKeys: String, CodingKey {
        case list
        case partyName = "party_name", entryID = "entry_id", listVersion = "list_version", releasedBy = "released_by"
        case reviewItemID = "review_item_id", createdAt = "created_at"
    }
}

/// The allow-list in the store (both engines); one transaction per call.
public protocol ScreeningAllowList: Sendable {
    /// Adds the entries; an entry already there (same party, list, entry and version) is kept as it was.
    func allow(_ entries: [ScreeningAllowance]) async throws
    func allowances() async throws -> [ScreeningAllowance]
}
