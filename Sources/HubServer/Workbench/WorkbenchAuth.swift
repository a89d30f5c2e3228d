import Crypto
import Digests
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Synchronization

/// A person who may use the review workbench. Tokens are never kept, only their SHA-256.
public struct WorkbenchUser: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// Resolves review items.
        case reviewer
        /// Also reprocesses deliveries (one or in bulk) in the message browser.
        case admin
    }

    public var name: String
    public var role: Role
    public var tokenSHA256: String

    public init(name: String, role: Role, tokenSHA256: String) {
        self.name = name; self.role = role; self.tokenSHA256 = tokenSHA256.lowercased()
    }
}

/// A logged-in browser: who, and the CSRF token every form it posts must carry.
public struct WorkbenchSession: Sendable, Hashable {
    public var id: String
    public var user: String
    public var role: WorkbenchUser.Role
    public var csrf: String
    public var expires: Date
}

/// The workbench's users (from the configuration, and the demo reviewer). Sessions live in the
/// store (`ReviewSessionStore`): a restart keeps everyone logged in and every instance on one
/// database knows every session. The store keeps only the SHA-256 of the cookie's token; the CSRF
/// token is derived from the session token, so it is never stored either. A user removed from the
/// configuration loses their sessions at once, and a changed role applies at once.
public final class WorkbenchAuth: Sendable {
    public static let sessionCookie = "hub_session"
    public static let loginCookie = "hub_login"
    private let users: Mutex<[String: WorkbenchUser]>
    public let sessionSeconds: TimeInterval

    public init(users: [WorkbenchUser] = [], sessionSeconds: TimeInterval = 8 * 3600) {
        self.users = Mutex(Dictionary(users.map { ($0.tokenSHA256, $0) }, uniquingKeysWith: { $1 }))
        self.sessionSeconds = sessionSeconds
    }

    public func add(_ user: WorkbenchUser) { users.withLock { $0[user.tokenSHA256] = user } }

    public var isEmpty: Bool { users.withLock { $0.isEmpty } }

    public static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Digests.hex($0) }
    }

    public static func hash(_ token: String) -> String {
        Digests.sha256(token)
    }

    /// The CSRF token of a session: known to the page the session is shown, not kept anywhere.
    static func csrf(forSession token: String) -> String { hash("csrf\n" + token) }

    /// A new session, stored, for the user whose token this is; nil for an unknown token.
    public func login(token: String, store: any ReviewSessionStore, now: Date = Date()) async throws -> WorkbenchSession? {
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let user = users.withLock({ $0[Self.hash(trimmed)] }) else { return nil }
        let id = Self.random()
        let expires = now.addingTimeInterval(sessionSeconds)
        try await store.saveSession(ReviewSession(tokenSHA256: Self.hash(id), user: user.name, role: user.role.rawValue, createdAt: now.millis,
                                                  expiresAt: expires.millis), now: now.millis)
        return WorkbenchSession(id: id, user: user.name, role: user.role, csrf: Self.csrf(forSession: id), expires: expires)
    }

    public func logout(_ id: String, store: any ReviewSessionStore) async throws { try await store.deleteSession(tokenSHA256: Self.hash(id)) }

    /// The session the request's cookie names, if it is stored, unexpired, and its user is still configured.
    public func session(_ request: Request, store: any ReviewSessionStore, now: Date = Date()) async throws -> WorkbenchSession? {
        guard let id = Self.cookie(request, Self.sessionCookie), !id.isEmpty,
              let stored = try await store.session(tokenSHA256: Self.hash(id), now: now.millis),
              let user = users.withLock({ $0.values.first { $0.name == stored.user } }) else { return nil }
        return WorkbenchSession(id: id, user: user.name, role: user.role, csrf: Self.csrf(forSession: id), expires: Date(millis: stored.expiresAt))
    }

    /// `Set-Cookie` for a session (or, with `value` nil, its removal): only over this path, never
    /// to scripts, never on a request another site starts.
    public static func cookieHeader(_ name: String, _ value: String?, path: String = "/review", maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value ?? "")", "Path=\(path)", "HttpOnly", "SameSite=Strict"]
        if value == nil { parts.append("Max-Age=0") } else if let maxAge { parts.append("Max-Age=\(maxAge)") }
        return parts.joined(separator: "; ")
    }

    static func cookie(_ request: Request, _ name: String) -> String? {
        for value in request.headers[values: .cookie] {
            for pair in value.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == name { return String(kv[1]).trimmingCharacters(in: .whitespaces) }
            }
        }
        return nil
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// `application/x-www-form-urlencoded` (what an HTML form posts) into its fields; the last of a
/// repeated name wins, and `all` keeps every value (bulk selections).
struct FormFields {
    var all: [(String, String)] = []

    init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            all.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
        }
    }

    subscript(_ name: String) -> String? { all.last { $0.0 == name }?.1 }
    func values(_ name: String) -> [String] { all.filter { $0.0 == name }.map(\.1) }
}
