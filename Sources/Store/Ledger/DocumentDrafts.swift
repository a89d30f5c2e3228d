/// A document (invoice, packing list, certificate) that could not be read into a valid order: the
/// file, what the reader made of it and why it needs a person. It waits in the review queue until
/// a reviewer corrects the draft and submits it as an order, or rejects it.
public struct DocumentDraft: Sendable, Hashable {
    public var id: Int64?
    public var merchantID: String
    /// SHA-256 (hex) of the file; one draft per merchant and file.
    public var sha256: String
    public var contentType: String
    public var byteCount: Int
    /// The reader's answer as JSON: `document`, `order` (the canonical draft), `fields`, `problems`,
    /// `pages` (the shape `customs-hub extract` prints).
    public var extractionJSON: String
    /// `open`, `submitted` (it became order `orderID`) or `rejected`.
    public var state: String
    public var orderID: Int64?
    public var createdAt: Millis
    public var updatedAt: Millis

    public init(id: Int64? = nil, merchantID: String, sha256: String, contentType: String, byteCount: Int, extractionJSON: String,
                state: String = "open", orderID: Int64? = nil, createdAt: Millis, updatedAt: Millis? = nil) {
        self.id = id; self.merchantID = merchantID; self.sha256 = sha256; self.contentType = contentType; self.byteCount = byteCount
        self.extractionJSON = extractionJSON; self.state = state; self.orderID = orderID; self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// What a reviewer's answer does to a document draft.
public struct DraftSettlement: Sendable, Hashable {
    /// `submitted` or `rejected` (`open` while held).
    public var state: String
    public var orderID: Int64?

    public init(state: String, orderID: Int64? = nil) { self.state = state; self.orderID = orderID }
}

/// Document drafts in the store (both engines). Every method is one transaction.
public protocol DocumentDrafts: Sendable {
    /// Stores the draft, its file and its review item (`documentID` filled in) together. The same
    /// file sent again for the same merchant stores nothing and returns the first draft and its
    /// newest review item with `created == false`.
    func addDocumentDraft(_ draft: DocumentDraft, file: [UInt8], review: ReviewItem, now: Millis) async throws
        -> (draftID: Int64, reviewID: Int64?, created: Bool)

    func documentDraft(id: Int64) async throws -> DocumentDraft?

    /// The stored file, as it was sent.
    func documentFile(id: Int64) async throws -> [UInt8]?
}

/// A logged-in reviewer's session as stored: only the SHA-256 of the cookie's token is kept, so
/// reading the table does not let anyone log in. Every instance on one database shares them.
public struct ReviewSession: Sendable, Hashable {
    public var tokenSHA256: String
    public var user: String
    public var role: String
    public var createdAt: Millis
    public var expiresAt: Millis

    public init(tokenSHA256: String, user: String, role: String, createdAt: Millis, expiresAt: Millis) {
        self.tokenSHA256 = tokenSHA256; self.user = user; self.role = role; self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

/// The workbench's sessions in the store: a restart keeps everyone logged in, and a session made
/// on one instance is known on every other. One transaction per call.
public protocol ReviewSessionStore: Sendable {
    /// Stores a new session and deletes the sessions that expired before `now`.
    func saveSession(_ session: ReviewSession, now: Millis) async throws
    /// The session with this token hash if it has not expired at `now`.
    func session(tokenSHA256: String, now: Millis) async throws -> ReviewSession?
    /// Logout: the session is gone for every instance.
    func deleteSession(tokenSHA256: String) async throws
}
