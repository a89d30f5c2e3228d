import CustomsModel
import JSONCore
import Mapping

/// Reads `Adapters/NAME.yaml` into an `AdapterDefinition`, reporting every problem with file, line
/// and field, and refusing any secret written into the file.
public struct AdapterLoader: Sendable {
    public init() {}

    public func load(_ text: String, file: String) throws(MappingErrors) -> AdapterDefinition {
        let root: SpecNode
        do { root = try SpecNode.parse(text, file: file) } catch { throw MappingErrors([error]) }
        var c = Checker()
        let def = c.definition(root, file: file)
        if !c.errors.isEmpty || def == nil { throw MappingErrors(c.errors) }
        return def!
    }

    struct Checker {
        var errors: [MappingError] = []

        mutating func fail(_ node: SpecNode, _ field: String, _ message: String) {
            errors.append(MappingError(location: node.location, field: field, message: message))
        }

        mutating func only(_ node: SpecNode, _ keys: Set<String>, _ field: String) {
            guard let entries = node.entries else {
                fail(node, field, "must be a map")
                return
            }
            for e in entries where !keys.contains(e.key) {
                errors.append(MappingError(location: e.keyAt, field: field.isEmpty ? e.key : "\(field).\(e.key)", message: "unknown key; allowed: \(keys.sorted().joined(separator: ", "))"))
            }
        }

        mutating func text(_ node: SpecNode?, _ field: String, in parent: SpecNode, default value: String? = nil) -> String? {
            guard let node else {
                if value == nil { fail(parent, field, "is required") }
                return value
            }
            guard let s = node.string, !s.isEmpty else {
                fail(node, field, "must be text")
                return nil
            }
            return s
        }

        mutating func int(_ node: SpecNode?, _ field: String, in parent: SpecNode, default value: Int? = nil, range: ClosedRange<Int>) -> Int? {
            guard let node else {
                if value == nil { fail(parent, field, "is required") }
                return value
            }
            guard let s = node.string, let v = Int(s), range.contains(v) else {
                fail(node, field, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
                return nil
            }
            return v
        }

        /// A status code 100…599 or a class `1xx`…`5xx`.
        static func isStatusPattern(_ s: String) -> Bool {
            let b = Array(s.utf8)
            guard b.count == 3, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(b[0]) else { return false }
            if b[1] == UInt8(ascii: "x") && b[2] == UInt8(ascii: "x") { return true }
            return b[1...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }

        /// Why a URL written in a file carries a credential, or nil: user information
        /// (`https://user:pass@host`) or a query parameter named like a secret (`?api_key=…`).
        /// A secret in the file is a load error; it belongs in `auth`, by reference.
        static func credentialProblem(inURL url: String) -> String? {
            guard let schemeEnd = url.firstRange(of: "://") else { return nil }
            let rest = url[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if authority.contains("@") { return "must not carry user or password (user:pass@host); credentials belong in auth, by reference" }
            if let q = url.firstIndex(of: "?") {
                let query = url[url.index(after: q)...].prefix { $0 != "#" }
                for item in query.split(separator: "&") {
                    let name = item.prefix { $0 != "=" }.lowercased()
                    if (secretWords + ["sig", "signature", "auth", "access_token"]).contains(where: { name == $0 || (name.contains($0) && $0.count > 3) }) {
                        return "query parameter \"\(name)\" looks like a credential; credentials belong in auth, by reference"
                    }
                }
            }
            return nil
        }

        static let secretWords = ["secret", "password", "token", "api_key", "apikey", "key", "client_id", "username"]

        /// `{env: NAME}` or `{file: PATH}`. A plain value where a secret belongs is refused.
        mutating func secret(_ node: SpecNode?, _ field: String, in parent: SpecNode) -> AdapterDefinition.SecretReference? {
            guard let node else {
                fail(parent, field, "is required")
                return nil
            }
            if node.string != nil {
                fail(node, field, "secrets are never written in adapter files; use {env: VARIABLE} or {file: PATH}")
                return nil
            }
            only(node, ["env", "file"], field)
            if let e = node["env"]?.string, !e.isEmpty { return .environment(e) }
            if let f = node["file"]?.string, !f.isEmpty { return .file(f) }
            fail(node, field, "needs env or file")
            return nil
        }

        mutating func definition(_ root: SpecNode, file: String) -> AdapterDefinition? {
            only(root, ["adapter", "name", "format", "routes", "outbound", "inbound", "transport", "auth", "rate_limit", "retry", "idempotency", "responses", "callbacks", "parameters", "description"], "")
            let id = text(root["adapter"], "adapter", in: root)
            let name = text(root["name"], "name", in: root, default: id ?? "")
            var format: MappingSpec.Format? = nil
            if let f = text(root["format"], "format", in: root) {
                format = MappingSpec.Format(rawValue: f)
                if format == nil { fail(root["format"]!, "format", "must be json, xml, edifact or csv") }
            }
            let routes = self.routes(root)
            let outbound = self.outbound(root, format: format)
            let inbound = self.inbound(root)
            let transport = self.transport(root)
            let auth = self.auth(root)
            let rate = self.rateLimit(root)
            let retry = self.retry(root)
            let idempotency = self.idempotency(root)
            let responses = self.responses(root)
            let callbacks = self.callbacks(root, id: id)
            let parameters = self.parameters(root)
            if outbound == nil && inbound.isEmpty && callbacks == nil {
                fail(root, "", "an adapter needs at least one of outbound, inbound or callbacks")
            }
            guard let id, let format, let transport else { return nil }
            return AdapterDefinition(
                id: id, name: name ?? id, format: format, routes: routes, outbound: outbound, inbound: inbound, transport: transport, auth: auth,
                rateLimit: rate, retry: retry, idempotency: idempotency, responses: responses, callbacks: callbacks, parameters: parameters, file: file)
        }

        /// `routes`: destinations and transport modes, every name checked.
        mutating func routes(_ root: SpecNode) -> AdapterDefinition.Routes {
            var routes = AdapterDefinition.Routes(destinations: ["*"], transportModes: [])
            if let r = root["routes"] {
                only(r, ["destinations", "transport_modes"], "routes")
                if let d = r["destinations"]?.list {
                    routes.destinations = d.compactMap(\.string)
                    for (i, v) in d.enumerated() {
                        let s = v.string ?? ""
                        if s != "*" && s != "EU" && !CountryCode(s).isAssigned { fail(v, "routes.destinations[\(i)]", "\(s) is not a country code, EU or *") }
                    }
                }
                for (i, m) in (r["transport_modes"]?.list ?? []).enumerated() {
                    if let mode = m.string.flatMap(TransportMode.init(rawValue:)) {
                        routes.transportModes.append(mode)
                    } else {
                        fail(m, "routes.transport_modes[\(i)]", "must be one of \(TransportMode.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            }
            return routes
        }

        /// `outbound`: the mapping and message type it sends; the content type defaults by format.
        mutating func outbound(_ root: SpecNode, format: MappingSpec.Format?) -> AdapterDefinition.Outbound? {
            var outbound: AdapterDefinition.Outbound? = nil
            if let o = root["outbound"] {
                only(o, ["mapping", "message_type", "version", "content_type"], "outbound")
                if let m = text(o["mapping"], "outbound.mapping", in: o), let t = text(o["message_type"], "outbound.message_type", in: o) {
                    let defaultType = format == .xml ? "application/xml" : format == .edifact ? "application/edifact" : "application/json"
                    outbound = .init(mapping: m, messageType: t, version: o["version"]?.string, contentType: o["content_type"]?.string ?? defaultType)
                }
            }
            return outbound
        }

        /// `inbound`: the mappings of the messages it takes in, each an order or a status.
        mutating func inbound(_ root: SpecNode) -> [AdapterDefinition.Inbound] {
            var inbound: [AdapterDefinition.Inbound] = []
            for (i, item) in (root["inbound"]?.list ?? []).enumerated() {
                only(item, ["kind", "mapping", "message_type"], "inbound[\(i)]")
                if let k = text(item["kind"], "inbound[\(i)].kind", in: item), let m = text(item["mapping"], "inbound[\(i)].mapping", in: item) {
                    if !["order", "status"].contains(k) { fail(item["kind"]!, "inbound[\(i)].kind", "must be order or status") }
                    inbound.append(.init(kind: k, mapping: m, messageType: item["message_type"]?.string))
                }
            }
            return inbound
        }

        /// `transport`: HTTP (no credential in the URL or headers) or a file drop; nil after an error.
        mutating func transport(_ root: SpecNode) -> AdapterDefinition.Transport? {
            var transport: AdapterDefinition.Transport? = nil
            if let t = root["transport"] {
                only(t, ["kind", "method", "endpoint", "headers", "timeout_seconds", "directory", "filename"], "transport")
                switch t["kind"]?.string {
                case "http":
                    let method = text(t["method"], "transport.method", in: t, default: "POST") ?? "POST"
                    if !["POST", "PUT"].contains(method) { fail(t["method"]!, "transport.method", "must be POST or PUT") }
                    let endpoint = text(t["endpoint"], "transport.endpoint", in: t)
                    if let e = endpoint, !(e.hasPrefix("https://") || e.hasPrefix("http://")) { fail(t["endpoint"]!, "transport.endpoint", "must be an http(s) URL") }
                    if let e = endpoint, let problem = Self.credentialProblem(inURL: e) { fail(t["endpoint"]!, "transport.endpoint", problem) }
                    var headers: [(String, String)] = []
                    for e in t["headers"]?.entries ?? [] {
                        let lower = e.key.lowercased()
                        if lower == "authorization" || Self.secretWords.contains(where: { lower.contains($0) && lower != "idempotency-key" }) {
                            errors.append(MappingError(location: e.keyAt, field: "transport.headers.\(e.key)", message: "credentials belong in auth, by reference, never in headers"))
                        }
                        headers.append((e.key, e.value.string ?? ""))
                    }
                    let timeout = int(t["timeout_seconds"], "transport.timeout_seconds", in: t, default: 30, range: 1...600) ?? 30
                    if let endpoint { transport = .http(method: method, endpoint: endpoint, headers: headers, timeoutSeconds: timeout) }
                case "file_drop":
                    if let d = text(t["directory"], "transport.directory", in: t) {
                        transport = .fileDrop(directory: d, filename: t["filename"]?.string ?? "{reference}.edi")
                    }
                default:
                    fail(t, "transport.kind", "must be http or file_drop")
                }
            } else if root["outbound"] != nil {
                fail(root, "transport", "is required for an adapter that sends (outbound)")
            } else {
                transport = AdapterDefinition.Transport.none
            }
            return transport
        }

        /// `auth`: every secret by reference (`env` or `file`), never written in the file.
        mutating func auth(_ root: SpecNode) -> AdapterDefinition.Auth {
            var auth = AdapterDefinition.Auth.none
            if let a = root["auth"] {
                only(a, ["kind", "header", "key", "username", "password", "token", "token_url", "client_id", "client_secret", "scope"], "auth")
                switch a["kind"]?.string {
                case "none", nil: auth = .none
                case "api_key_header":
                    if let h = text(a["header"], "auth.header", in: a), let k = secret(a["key"], "auth.key", in: a) { auth = .apiKeyHeader(header: h, key: k) }
                case "bearer":
                    if let t = secret(a["token"], "auth.token", in: a) { auth = .bearer(token: t) }
                case "basic":
                    if let u = secret(a["username"], "auth.username", in: a) {
                        auth = .basic(username: u, password: a["password"] == nil ? nil : secret(a["password"], "auth.password", in: a))
                    }
                case "oauth2_client_credentials":
                    if let u = a["token_url"]?.string, let problem = Self.credentialProblem(inURL: u) { fail(a["token_url"]!, "auth.token_url", problem) }
                    if let url = text(a["token_url"], "auth.token_url", in: a), let id = secret(a["client_id"], "auth.client_id", in: a),
                        let s = secret(a["client_secret"], "auth.client_secret", in: a)
                    {
                        auth = .oauth2ClientCredentials(tokenURL: url, clientID: id, clientSecret: s, scope: a["scope"]?.string)
                    }
                default:
                    fail(a, "auth.kind", "must be none, api_key_header, basic, bearer or oauth2_client_credentials")
                }
            }
            return auth
        }

        /// `rate_limit`: the gateway's rate, burst and concurrency, within sane ranges.
        mutating func rateLimit(_ root: SpecNode) -> AdapterDefinition.RateLimit {
            var rate = AdapterDefinition.RateLimit(rate: 10, per: "second", burst: 10, maxConcurrency: 4)
            if let r = root["rate_limit"] {
                only(r, ["rate", "per", "burst", "max_concurrency"], "rate_limit")
                if let v = r["rate"]?.string, let d = Double(v), d > 0 { rate.rate = d } else if r["rate"] != nil { fail(r["rate"]!, "rate_limit.rate", "must be a positive number") }
                if let p = r["per"]?.string {
                    if ["second", "minute"].contains(p) { rate.per = p } else { fail(r["per"]!, "rate_limit.per", "must be second or minute") }
                }
                rate.burst = int(r["burst"], "rate_limit.burst", in: r, default: max(1, Int(rate.rate)), range: 1...10_000) ?? rate.burst
                rate.maxConcurrency = int(r["max_concurrency"], "rate_limit.max_concurrency", in: r, default: 4, range: 1...1_000) ?? 4
            }
            return rate
        }

        /// `retry`: the redelivery policy; the delays bounded and ordered.
        mutating func retry(_ root: SpecNode) -> AdapterDefinition.RetryPolicy {
            var retry = AdapterDefinition.RetryPolicy(
                maxAttempts: 5, baseDelayMilliseconds: 500, maxDelayMilliseconds: 60_000, retryableStatus: [408, 425, 429, 500, 502, 503, 504], honourRetryAfter: true)
            if let r = root["retry"] {
                only(r, ["max_attempts", "base_delay_ms", "max_delay_ms", "retryable_status", "honour_retry_after"], "retry")
                retry.maxAttempts = int(r["max_attempts"], "retry.max_attempts", in: r, default: 5, range: 1...100) ?? 5
                retry.baseDelayMilliseconds = int(r["base_delay_ms"], "retry.base_delay_ms", in: r, default: 500, range: 1...3_600_000) ?? 500
                retry.maxDelayMilliseconds = int(r["max_delay_ms"], "retry.max_delay_ms", in: r, default: 60_000, range: 1...86_400_000) ?? 60_000
                if retry.maxDelayMilliseconds < retry.baseDelayMilliseconds, let m = r["max_delay_ms"] { fail(m, "retry.max_delay_ms", "is below base_delay_ms") }
                if let list = r["retryable_status"]?.list {
                    retry.retryableStatus = Set(list.compactMap { $0.string.flatMap(Int.init) })
                    for (i, s) in list.enumerated() where !(s.string.flatMap(Int.init).map { (100...599).contains($0) } ?? false) {
                        fail(s, "retry.retryable_status[\(i)]", "must be an HTTP status code")
                    }
                }
                if case .bool(let b)? = r["honour_retry_after"]?.jsonValue { retry.honourRetryAfter = b }
            }
            return retry
        }

        /// `idempotency`: the header the gateway deduplicates on, and where its value comes from.
        mutating func idempotency(_ root: SpecNode) -> AdapterDefinition.Idempotency? {
            var idempotency: AdapterDefinition.Idempotency? = nil
            if let i = root["idempotency"] {
                only(i, ["header", "from"], "idempotency")
                if let h = text(i["header"], "idempotency.header", in: i), let f = text(i["from"], "idempotency.from", in: i) { idempotency = .init(header: h, from: f) }
            }
            return idempotency
        }

        /// `responses`: how the gateway's answers read, by status code or class.
        mutating func responses(_ root: SpecNode) -> [AdapterDefinition.ResponseRule] {
            var responses: [AdapterDefinition.ResponseRule] = []
            for (n, r) in (root["responses"]?.list ?? []).enumerated() {
                let field = "responses[\(n)]"
                only(r, ["status", "outcome", "reference", "reasons", "reason_message", "reason_code"], field)
                let statuses = (r["status"]?.list ?? r["status"].map { [$0] } ?? []).compactMap(\.string)
                if statuses.isEmpty { fail(r, "\(field).status", "is required (codes like 201 or classes like 4xx)") }
                let statusNodes = r["status"]?.list ?? r["status"].map { [$0] } ?? []
                for (k, node) in statusNodes.enumerated() where !Self.isStatusPattern(node.string ?? "") {
                    fail(node, "\(field).status" + (r["status"]?.list != nil ? "[\(k)]" : ""), "\"\(node.string ?? "")\" is not an HTTP status (100…599) or a class like 4xx")
                }
                guard let o = text(r["outcome"], "\(field).outcome", in: r) else { continue }
                guard let outcome = AdapterDefinition.Outcome(rawValue: o) else {
                    fail(r["outcome"]!, "\(field).outcome", "must be accepted, rejected or unknown")
                    continue
                }
                responses.append(.init(
                    status: statuses, outcome: outcome, reference: r["reference"]?.string, reasons: r["reasons"]?.string,
                    reasonMessage: r["reason_message"]?.string, reasonCode: r["reason_code"]?.string))
            }
            return responses
        }

        /// `callbacks`: the mapping and signature of the gateway's callbacks (taken at the hub's one place).
        mutating func callbacks(_ root: SpecNode, id: String?) -> AdapterDefinition.Callbacks? {
            var callbacks: AdapterDefinition.Callbacks? = nil
            if let c = root["callbacks"] {
                if let p = c["path"] {
                    // The server answers every adapter at one place; a second, ignored path misled integrators.
                    fail(p, "callbacks.path", "is not configurable: the hub takes this adapter's callbacks at \(AdapterDefinition.callbackPath(id ?? "ID")); remove path")
                }
                only(c, ["path", "mapping", "event_id", "signature"], "callbacks")
                var signature: AdapterDefinition.Signature? = nil
                if let s = c["signature"] {
                    only(s, ["scheme", "header", "secret", "tolerance_seconds"], "callbacks.signature")
                    let scheme = text(s["scheme"], "callbacks.signature.scheme", in: s) ?? ""
                    if !["hmac-sha256-hex", "hmac-sha256-base64", "standard-webhooks"].contains(scheme) {
                        fail(s, "callbacks.signature.scheme", "must be hmac-sha256-hex, hmac-sha256-base64 or standard-webhooks")
                    }
                    let header = text(s["header"], "callbacks.signature.header", in: s, default: scheme == "standard-webhooks" ? "webhook-signature" : nil)
                    let tolerance = int(s["tolerance_seconds"], "callbacks.signature.tolerance_seconds", in: s, default: 300, range: 1...86_400) ?? 300
                    if let header, let secret = secret(s["secret"], "callbacks.signature.secret", in: s) {
                        signature = .init(scheme: scheme, header: header, secret: secret, toleranceSeconds: tolerance)
                    }
                }
                if let m = text(c["mapping"], "callbacks.mapping", in: c) {
                    callbacks = .init(mapping: m, eventID: c["event_id"]?.string, signature: signature)
                }
            }
            return callbacks
        }

        /// `parameters`: plain text values for the mappings, never a secret.
        mutating func parameters(_ root: SpecNode) -> [String: String] {
            var parameters: [String: String] = [:]
            for e in root["parameters"]?.entries ?? [] {
                let lower = e.key.lowercased()
                if ["secret", "password", "token", "api_key", "apikey"].contains(where: lower.contains) {
                    errors.append(MappingError(location: e.keyAt, field: "parameters.\(e.key)", message: "secrets belong in auth, by reference, never in parameters"))
                }
                guard let v = e.value.string else {
                    fail(e.value, "parameters.\(e.key)", "must be text")
                    continue
                }
                parameters[e.key] = v
            }
            if let p = root["parameters"], p.entries == nil { fail(p, "parameters", "must be a map of name to value") }
            return parameters
        }
    }
}
