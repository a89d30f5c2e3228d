import Foundation
import Yams

/// The server's configuration: embedded defaults, then one YAML file, then environment variables.
/// A bad file is refused with `file:line: field: problem` and the server does not start.
public struct ServerConfig: Sendable, Hashable {
    public struct Adapter: Sendable, Hashable {
        public var enabled = true
        public var endpoint: String?
        public var callbackSecret: String?
    }

    public struct Tenant: Sendable, Hashable {
        public var id: String
        public var name: String
        /// SHA-256 (hex) of the API key; keys themselves are never written down.
        public var keySHA256: String
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var database: String?
    public var modelPath: String?
    public var contentRoot: String?
    public var limits = APILimits()
    public var adapters: [String: Adapter] = [:]
    public var tenants: [Tenant] = []
    /// Who may log in to the review workbench: name, role (reviewer or admin) and token_sha256.
    public var reviewers: [WorkbenchUser] = []
    public var logLevel = "info"
    public var reloadSeconds = 2
    public var relayMaxInFlight = 64

    public init() {}

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var field: String
        public var problem: String
        public var description: String { "\(file):\(line): \(field): \(problem)" }
    }

    /// Reads `path` over the defaults.
    public static func load(file path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfig {
        var config = ServerConfig()
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Problem(file: path, line: 0, field: "file", problem: "cannot be read")
            }
            try config.apply(yaml: text, file: path)
        }
        try config.apply(environment: environment)
        return config
    }

    mutating func apply(yaml text: String, file: String) throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let e as YamlError {
            throw Problem(file: file, line: Self.line(of: e), field: "yaml", problem: "\(e)")
        }
        guard let root else { return }
        guard let top = root.mapping else { throw Problem(file: file, line: Self.line(root), field: "(top)", problem: "expected a mapping of settings") }
        func fail(_ node: Node, _ field: String, _ problem: String) -> Problem { Problem(file: file, line: Self.line(node), field: field, problem: problem) }
        func int(_ node: Node, _ field: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let s = node.scalar?.string, let n = Int(s), range.contains(n) else {
                throw fail(node, field, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        func string(_ node: Node, _ field: String) throws -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw fail(node, field, "expected a non-empty string") }
            return s
        }
        for (keyNode, value) in top {
            let key = keyNode.scalar?.string ?? ""
            switch key {
            case "host": host = try string(value, key)
            case "port": port = try int(value, key, 0...65535)
            case "database": database = try string(value, key)
            case "model": modelPath = try string(value, key)
            case "content": contentRoot = try string(value, key)
            case "log_level":
                logLevel = try string(value, key)
                guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
                    throw fail(value, key, "expected trace, debug, info, notice, warning, error or critical")
                }
            case "reload_seconds": reloadSeconds = try int(value, key, 0...3600)
            case "relay_max_in_flight": relayMaxInFlight = try int(value, key, 1...10_000)
            case "limits":
                guard let m = value.mapping else { throw fail(value, key, "expected a mapping") }
                for (k, v) in m {
                    let name = "limits.\(k.scalar?.string ?? "")"
                    switch k.scalar?.string ?? "" {
                    case "max_body_bytes": limits.maxBodyBytes = try int(v, name, 1...(256 << 20))
                    case "max_json_depth": limits.maxJSONDepth = try int(v, name, 2...512)
                    case "max_order_lines": limits.maxOrderLines = try int(v, name, 1...100_000)
                    case "max_batch_items": limits.maxBatchItems = try int(v, name, 1...100_000)
                    default: throw fail(k, name, "unknown setting (max_body_bytes, max_json_depth, max_order_lines, max_batch_items)")
                    }
                }
            case "adapters":
                guard let m = value.mapping else { throw fail(value, key, "expected a mapping of adapter ids") }
                for (k, v) in m {
                    let id = k.scalar?.string ?? ""
                    guard let settings = v.mapping else { throw fail(v, "adapters.\(id)", "expected a mapping (enabled, endpoint, callback_secret)") }
                    var a = Adapter()
                    for (sk, sv) in settings {
                        let name = "adapters.\(id).\(sk.scalar?.string ?? "")"
                        switch sk.scalar?.string ?? "" {
                        case "enabled":
                            guard let b = sv.scalar.flatMap({ Bool.construct(from: $0) }) else { throw fail(sv, name, "expected true or false") }
                            a.enabled = b
                        case "endpoint":
                            let url = try string(sv, name)
                            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw fail(sv, name, "expected an http(s) URL") }
                            a.endpoint = url
                        case "callback_secret": a.callbackSecret = try string(sv, name)
                        default: throw fail(sk, name, "unknown setting (enabled, endpoint, callback_secret)")
                        }
                    }
                    adapters[id] = a
                }
            case "tenants":
                guard let seq = value.sequence else { throw fail(value, key, "expected a list of {id, name, key_sha256}") }
                for item in seq {
                    guard let m = item.mapping, let id = m["id"]?.scalar?.string, let hash = m["key_sha256"]?.scalar?.string else {
                        throw fail(item, "tenants", "each tenant needs id and key_sha256")
                    }
                    guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { throw fail(m["key_sha256"] ?? item, "tenants.\(id).key_sha256", "expected 64 hex digits") }
                    tenants.append(Tenant(id: id, name: m["name"]?.scalar?.string ?? id, keySHA256: hash.lowercased()))
                }
            case "reviewers":
                guard let seq = value.sequence else { throw fail(value, key, "expected a list of {name, role, token_sha256}") }
                for item in seq {
                    guard let m = item.mapping, let name = m["name"]?.scalar?.string, !name.isEmpty, let hash = m["token_sha256"]?.scalar?.string else {
                        throw fail(item, "reviewers", "each reviewer needs name and token_sha256")
                    }
                    guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else {
                        throw fail(m["token_sha256"] ?? item, "reviewers.\(name).token_sha256", "expected 64 hex digits")
                    }
                    let roleText = m["role"]?.scalar?.string ?? "reviewer"
                    guard let role = WorkbenchUser.Role(rawValue: roleText) else { throw fail(m["role"] ?? item, "reviewers.\(name).role", "expected reviewer or admin") }
                    reviewers.append(WorkbenchUser(name: name, role: role, tokenSHA256: hash))
                }
            default:
                throw fail(keyNode, key, "unknown setting")
            }
        }
    }

    /// `CUSTOMS_HUB_PORT`, `CUSTOMS_HUB_HOST`, `CUSTOMS_HUB_DATABASE`, `CUSTOMS_HUB_LOG_LEVEL`,
    /// `CUSTOMS_HUB_MAX_BODY_BYTES`, `CUSTOMS_HUB_ADAPTER_<ID>_ENDPOINT` (id upper-cased, `-` as `_`).
    mutating func apply(environment env: [String: String]) throws {
        func fail(_ name: String, _ problem: String) -> Problem { Problem(file: "environment", line: 0, field: name, problem: problem) }
        if let v = env["CUSTOMS_HUB_HOST"] { host = v }
        if let v = env["CUSTOMS_HUB_PORT"] {
            guard let n = Int(v), (0...65535).contains(n) else { throw fail("CUSTOMS_HUB_PORT", "expected a port number") }
            port = n
        }
        if let v = env["CUSTOMS_HUB_DATABASE"], !v.isEmpty { database = v }
        if let v = env["CUSTOMS_HUB_LOG_LEVEL"] { logLevel = v }
        if let v = env["CUSTOMS_HUB_MAX_BODY_BYTES"] {
            guard let n = Int(v), n > 0 else { throw fail("CUSTOMS_HUB_MAX_BODY_BYTES", "expected a positive integer") }
            limits.maxBodyBytes = n
        }
        for (name, value) in env where name.hasPrefix("CUSTOMS_HUB_ADAPTER_") && name.hasSuffix("_ENDPOINT") {
            let id = name.dropFirst("CUSTOMS_HUB_ADAPTER_".count).dropLast("_ENDPOINT".count).lowercased().replacingOccurrences(of: "_", with: "-")
            adapters[id, default: Adapter()].endpoint = value
        }
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 0
        }
    }
}
