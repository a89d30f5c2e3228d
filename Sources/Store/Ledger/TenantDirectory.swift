/// What the HTTP server adds to the store: tenants and their hashed API keys, which merchants a
/// tenant owns (an order belongs to the tenant that owns its merchant), the API's `Idempotency-Key`
/// requests, and which instance is applying a stored callback. Every method is one transaction.
public protocol TenantDirectory: Sendable {
    /// Creates the tenant, or gives an existing one these key hashes (and only these): during a
    /// rotation the new key and the old one, both taken until the old one is left out.
    func saveTenant(id: String, name: String, keySHA256s: [String], now: Millis) async throws

    /// Takes away the API keys of every tenant not in `tenantIDs`, and returns how many went. The
    /// server calls it at start with the tenants it is configured with: a tenant left out of the
    /// configuration, or an earlier `serve --demo` run's tenant, must open nothing any more. The
    /// tenants themselves stay, with their merchants and orders, for the audit trail.
    @discardableResult
    func retireTenantKeys(keeping tenantIDs: Set<String>) async throws -> Int

    /// The tenant whose API key hashes to this, if any.
    func tenant(keySHA256: String) async throws -> String?

    /// Gives `merchantID` to `tenantID` if no tenant has it yet; returns the owner either way.
    func claimMerchant(_ merchantID: String, tenantID: String, now: Millis) async throws -> String

    /// The tenant an order belongs to (through its merchant), nil when the order does not exist
    /// or its merchant has no tenant.
    func tenantOfOrder(_ orderID: Int64) async throws -> String?

    /// The tenant a document draft belongs to (through its merchant).
    func tenantOfDocument(_ documentID: Int64) async throws -> String?

    /// A tenant's orders, oldest first, paged by id.
    func orders(tenantID: String, _ filter: OrderFilter) async throws -> [OrderRecord]

    /// A tenant's review items (by their orders' and document drafts' merchants).
    func reviewItems(tenantID: String, _ filter: ReviewFilter) async throws -> [ReviewItem]

    /// Records the first request under a tenant's idempotency key, or returns the one stored before.
    func rememberRequest(_ request: APIRequest, now: Millis) async throws -> APIRequest

    /// The request stored under a tenant's idempotency key.
    func request(tenantID: String, idempotencyKey: String) async throws -> APIRequest?

    /// Claims a stored callback (`received` → `processing`) for this instance; false when another
    /// instance has it or it is settled already.
    func claimCallback(inboxID: Int64, now: Millis) async throws -> Bool

    /// Gives a claimed callback back (the store failed while applying it).
    func unclaimCallback(inboxID: Int64) async throws

    /// Puts callbacks claimed before `claimedBefore` (their instance died) back to `received`.
    @discardableResult
    func retakeStaleCallbacks(claimedBefore: Millis) async throws -> Int
}

/// One `POST /v1/orders` under an `Idempotency-Key`: the hash of what was sent and the order it made.
public struct APIRequest: Sendable, Hashable {
    public var tenantID: String
    public var idempotencyKey: String
    public var requestSHA256: String
    public var orderID: Int64?

    public init(tenantID: String, idempotencyKey: String, requestSHA256: String, orderID: Int64?) {
        self.tenantID = tenantID; self.idempotencyKey = idempotencyKey; self.requestSHA256 = requestSHA256; self.orderID = orderID
    }
}

public typealias ServerDatabase = HubDatabase & TenantDirectory & ReviewSessionStore
