import AdapterKit
import Foundation
import JSONCore
import Store

/// Puts an adapter's credentials on a request: basic, bearer, an API key header, or an OAuth2
/// client-credentials token fetched once and reused until shortly before it expires.
public actor Credentials {
    private struct Token { var value: String; var expiresAt: Millis }

    private let secrets: Secrets
    private let transport: any Transport
    private var tokens: [String: Token] = [:]
    private var fetching: [String: Task<Token, any Error>] = [:]
    /// Token requests made so far (tests and logs).
    public private(set) var tokenRequests = 0

    /// A token is renewed this long before its stated expiry, so it never dies in flight.
    public static let renewBeforeMillis: Millis = 30_000

    public init(secrets: Secrets, transport: any Transport) {
        self.secrets = secrets; self.transport = transport
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// True when nothing about the filing is wrong and a later try may succeed (token endpoint down).
        public var retryable: Bool
        public var description: String
    }

    /// Adds the auth headers (lower-cased names) for `route` to `headers`.
    public func apply(_ auth: AdapterDefinition.Auth, adapterID: String, to headers: inout [String: String], now: Millis,
                      timeoutMillis: Int64) async throws(Failure) {
        do {
            switch auth {
            case .none:
                break
            case .apiKeyHeader(let header, let key):
                let value = try secrets.value(key)
                headers[header.lowercased()] = value
            case .basic(let user, let password):
                let name = try secrets.value(user)
                var pass = ""
                if let password { pass = try secrets.value(password) }
                headers["authorization"] = "Basic " + Data((name + ":" + pass).utf8).base64EncodedString()
            case .bearer(let token):
                let value = try secrets.value(token)
                headers["authorization"] = "Bearer " + value
            case .oauth2ClientCredentials(let url, let id, let secret, let scope):
                let clientID = try secrets.value(id)
                let clientSecret = try secrets.value(secret)
                let token = try await oauthToken(adapterID: adapterID, url: url, clientID: clientID, clientSecret: clientSecret, scope: scope,
                                                 now: now, timeoutMillis: timeoutMillis)
                headers["authorization"] = "Bearer " + token
            }
        } catch let e as Secrets.Missing {
            throw Failure(retryable: false, description: "credentials: \(e)")
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure(retryable: true, description: "credentials: \(error)")
        }
    }

    /// Forgets `adapterID`'s token if it is still `token` (the gateway answered 401 to it).
    public func invalidate(adapterID: String, token: String?) {
        guard let cached = tokens[adapterID] else { return }
        if token == nil || "Bearer " + cached.value == token { tokens[adapterID] = nil }
    }

    private func oauthToken(adapterID: String, url: String, clientID: String, clientSecret: String, scope: String?, now: Millis,
                            timeoutMillis: Int64) async throws -> String {
        if let t = tokens[adapterID], t.expiresAt - Self.renewBeforeMillis > now { return t.value }
        if let running = fetching[adapterID] { return try await running.value.value }
        tokenRequests += 1
        let transport = self.transport
        let task = Task { () throws -> Token in
            var form = "grant_type=client_credentials&client_id=\(Self.formEncode(clientID))&client_secret=\(Self.formEncode(clientSecret))"
            if let scope { form += "&scope=\(Self.formEncode(scope))" }
            let request = TransportRequest(method: .post, url: url,
                                           headers: ["content-type": "application/x-www-form-urlencoded", "accept": "application/json"],
                                           body: Array(form.utf8))
            let answer: TransportResponse
            do { answer = try await transport.send(request, timeoutMillis: timeoutMillis) } catch {
                throw Failure(retryable: true, description: "token endpoint \(url): \(error)")
            }
            guard (200..<300).contains(answer.status) else {
                throw Failure(retryable: answer.status >= 500 || answer.status == 429,
                              description: "token endpoint \(url) answered \(answer.status)")
            }
            guard let json = try? JSONParser.parse(answer.body), let value = json["access_token"]?.stringValue, !value.isEmpty else {
                throw Failure(retryable: true, description: "token endpoint \(url) sent no access_token")
            }
            var seconds: Int64 = 300
            if case .number(let n)? = json["expires_in"], let s = Int64(n) { seconds = s }
            return Token(value: value, expiresAt: now + seconds * 1000)
        }
        fetching[adapterID] = task
        defer { fetching[adapterID] = nil }
        let token = try await task.value
        tokens[adapterID] = token
        return token.value
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Header names whose values are never written to attempts or logs.
    public static func redacted(_ headers: [String: String], auth: AdapterDefinition.Auth) -> [String: String] {
        var out = headers
        if out["authorization"] != nil {
            out["authorization"] = (out["authorization"]?.split(separator: " ").first.map(String.init) ?? "") + " ***"
        }
        if case .apiKeyHeader(let header, _) = auth, out[header.lowercased()] != nil { out[header.lowercased()] = "***" }
        return out
    }
}
