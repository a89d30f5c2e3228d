import Documents
import Foundation
import Hub
import HubContent
import Screening
import Yams

/// The server's configuration: embedded defaults, then one YAML file, then environment variables.
/// A bad file is refused with `file:line: field: problem` and the server does not start.
public struct ServerConfig: Sendable, Hashable {
    public struct Adapter: Sendable, Hashable {
        public var enabled = true
        public var endpoint: String?
        public var callbackSecret: String?
        /// For an adapter whose webhooks carry orders (a web shop): the tenant they belong to.
        public var tenant: String?
        /// Overrides of the adapter file's rate limit (sends per second, burst) and concurrency.
        public var ratePerSecond: Double?
        public var burst: Int?
        public var maxConcurrent: Int?
        /// `none`: send no credentials (a sandbox or a test gateway); nil keeps the adapter's own.
        public var sendCredentials = true
    }

    /// Decision thresholds over the content's own: nil keeps what the model, risk policy or
    /// screening calibration says.
    public struct Thresholds: Sendable, Hashable {
        /// Classifier confidence below which a line goes to review (one value for every text kind).
        public var classificationConfidence: Double?
        /// Risk score from which a line goes to review.
        public var riskReview: Double?
        /// Screening match scores from which a party goes to review / is blocked.
        public var screeningReview: Double?
        public var screeningBlock: Double?
    }

    public struct Tenant: Sendable, Hashable {
        public var id: String
        public var name: String
        /// SHA-256 (hex) of each API key the tenant may use, newest first (two during a rotation);
        /// keys themselves are never written down.
        public var keySHA256s: [String]
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var database: String?
    public var modelPath: String?
    public var contentRoot: String?
    /// Tariff packs folder (default `Data/packs` under the content root).
    public var packsPath: String?
    /// Sanctions lists folder with its `manifest.json` (default `Data/sanctions`).
    public var listsPath: String?
    public var thresholds = Thresholds()
    public var limits = APILimits()
    public var adapters: [String: Adapter] = [:]
    public var tenants: [Tenant] = []
    /// Who may log in to the review workbench: name, role (reviewer or admin) and token_sha256.
    public var reviewers: [WorkbenchUser] = []
    /// The log level the file or `CUSTOMS_HUB_LOG_LEVEL` set; nil for the default, `logLevel(demo:)`.
    public var logLevel: String?
    public var reloadSeconds = 2
    public var relayMaxInFlight = 64
    /// Where the settings came from and the line of each adapter's key, for messages about them.
    public var source = "configuration"
    public var adapterLines: [String: Int] = [:]

    public init() {}

    /// The level `serve` logs at: the configured one, else `info`; `serve --demo` defaults to
    /// `warning`, because a person reads its stdout as events and one info line per order and
    /// callback would be mixed into them on a terminal.
    public func logLevel(demo: Bool) -> String {
        logLevel ?? (demo ? "warning" : "info")
    }

    /// The engine loader these settings describe: the content root (given, else found), the model,
    /// packs and lists, and the thresholds over the content's own.
    public func engineLoader(root: ContentRoot, log: @escaping @Sendable (String) -> Void = { _ in }) throws -> EngineLoader {
        var loader = EngineLoader(root: root, modelPath: modelPath.map { URL(fileURLWithPath: $0) }, log: log)
        loader.packsDirectory = packsPath.map { URL(fileURLWithPath: $0, isDirectory: true) }
        loader.listsDirectory = listsPath.map { URL(fileURLWithPath: $0, isDirectory: true) }
        loader.riskReviewThreshold = thresholds.riskReview
        loader.classifierReviewThreshold = thresholds.classificationConfidence
        loader.screeningThresholds = Screening.Thresholds(review: thresholds.screeningReview ?? Screening.Thresholds.standard.review,
                                                          block: thresholds.screeningBlock ?? Screening.Thresholds.standard.block)
        if let problem = loader.screeningThresholds.problem { throw Problem(file: source, line: 0, field: "thresholds", problem: problem) }
        return loader
    }

    /// Refuses adapters the catalog does not have, at the line that names them.
    public func check(adapters known: Set<String>) throws {
        for id in adapters.keys.sorted() where !known.contains(id) {
            throw Problem(file: adapterLines[id] == nil ? "environment" : source, line: adapterLines[id] ?? 0, field: "adapters.\(id)",
                          problem: "no such adapter (have \(known.sorted().joined(separator: ", ")))")
        }
        let tenantIDs = Set(tenants.map(\.id))
        for (id, a) in adapters.sorted(by: { $0.key < $1.key }) {
            if let tenant = a.tenant, !tenantIDs.contains(tenant) {
                throw Problem(file: source, line: adapterLines[id] ?? 0, field: "adapters.\(id).tenant",
                              problem: "no tenant \(tenant) in tenants (have \(tenantIDs.sorted().joined(separator: ", ")))")
            }
        }
    }

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
            config.source = path
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
        func fraction(_ node: Node, _ field: String) throws -> Double {
            guard let s = node.scalar?.string, let x = Double(s), x.isFinite, (0...1).contains(x) else {
                throw fail(node, field, "expected a number from 0 to 1")
            }
            return x
        }
        func string(_ node: Node, _ field: String) throws -> String {
            guard let s = node.scalar?.string, !s.isEmpty else { throw fail(node, field, "expected a non-empty string") }
            return s
        }
        func folder(_ node: Node, _ field: String) throws -> String {
            let path = try string(node, field)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw fail(node, field, "no such folder: \(path)")
            }
            return path
        }
        for (keyNode, value) in top {
            let key = keyNode.scalar?.string ?? ""
            switch key {
            case "host": host = try string(value, key)
            case "port": port = try int(value, key, 0...65535)
            case "database": database = try string(value, key)
            case "model": modelPath = try string(value, key)
            case "content": contentRoot = try string(value, key)
            case "packs": packsPath = try folder(value, key)
            case "lists": listsPath = try folder(value, key)
            case "thresholds":
                guard let m = value.mapping else { throw fail(value, key, "expected a mapping") }
                for (k, v) in m {
                    let name = "thresholds.\(k.scalar?.string ?? "")"
                    switch k.scalar?.string ?? "" {
                    case "classification_confidence": thresholds.classificationConfidence = try fraction(v, name)
                    case "risk_review": thresholds.riskReview = try fraction(v, name)
                    case "screening_review": thresholds.screeningReview = try fraction(v, name)
                    case "screening_block": thresholds.screeningBlock = try fraction(v, name)
                    default: throw fail(k, name, "unknown setting (classification_confidence, risk_review, screening_review, screening_block)")
                    }
                }
                if let r = thresholds.screeningReview, let b = thresholds.screeningBlock, r > b {
                    throw fail(value, "thresholds.screening_review", "\(r) is above screening_block \(b)")
                }
            case "log_level":
                let level = try string(value, key)
                guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                    throw fail(value, key, "expected trace, debug, info, notice, warning, error or critical")
                }
                logLevel = level
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
                    case "start_wait_seconds": limits.startWaitSeconds = try int(v, name, 0...600)
                    case "document_readers": limits.documentReaders = try int(v, name, 1...256)
                    case "document_seconds": limits.documentReading.seconds = try int(v, name, 1...3600)
                    case "document_cpu_seconds": limits.documentReading.cpuSeconds = try int(v, name, 1...3600)
                    case "document_memory_mb": limits.documentReading.memoryMB = try int(v, name, 256...65536)
                    default:
                        throw fail(k, name, "unknown setting (max_body_bytes, max_json_depth, max_order_lines, max_batch_items, start_wait_seconds, "
                                   + "document_readers, document_seconds, document_cpu_seconds, document_memory_mb)")
                    }
                }
            case "adapters":
                guard let m = value.mapping else { throw fail(value, key, "expected a mapping of adapter ids") }
                for (k, v) in m {
                    let id = k.scalar?.string ?? ""
                    guard let settings = v.mapping else { throw fail(v, "adapters.\(id)", "expected a mapping (\(Self.adapterKeys))") }
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
                        case "callback_secret":
                            // A list during a rotation: the new secret and the old one, both taken.
                            if let list = sv.sequence {
                                let secrets = try list.map { try string($0, name) }
                                guard !secrets.isEmpty, secrets.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
                                    throw fail(sv, name, "expected a secret, or a list of secrets without spaces")
                                }
                                a.callbackSecret = secrets.joined(separator: " ")
                            } else {
                                a.callbackSecret = try string(sv, name)
                            }
                        case "rate_per_second":
                            guard let text = sv.scalar?.string, let x = Double(text), x.isFinite, x > 0, x <= 100_000 else {
                                throw fail(sv, name, "expected a number of sends per second above 0")
                            }
                            a.ratePerSecond = x
                        case "burst": a.burst = try int(sv, name, 1...100_000)
                        case "max_concurrency": a.maxConcurrent = try int(sv, name, 1...10_000)
                        case "tenant": a.tenant = try string(sv, name)
                        case "auth":
                            guard let v = sv.scalar?.string, v == "none" || v == "adapter" else {
                                throw fail(sv, name, "expected none (send no credentials) or adapter (the adapter file's)")
                            }
                            a.sendCredentials = v == "adapter"
                        default: throw fail(sk, name, "unknown setting (\(Self.adapterKeys))")
                        }
                    }
                    adapterLines[id] = Self.line(k)
                    adapters[id] = a
                }
            case "tenants":
                guard let seq = value.sequence else { throw fail(value, key, "expected a list of {id, name, key_sha256}") }
                for item in seq {
                    guard let m = item.mapping, let id = m["id"]?.scalar?.string, let keys = m["key_sha256"] else {
                        throw fail(item, "tenants", "each tenant needs id and key_sha256")
                    }
                    // A list during a rotation: the new key's hash and the old one's, both taken.
                    let hashes = keys.sequence.map { $0.map { $0.scalar?.string ?? "" } } ?? [keys.scalar?.string ?? ""]
                    guard !hashes.isEmpty, hashes.allSatisfy({ $0.count == 64 && $0.allSatisfy(\.isHexDigit) }) else {
                        throw fail(keys, "tenants.\(id).key_sha256", "expected 64 hex digits, or a list of them during a rotation")
                    }
                    guard !tenants.contains(where: { $0.id == id }) else { throw fail(item, "tenants.\(id)", "listed twice") }
                    let taken = Set(tenants.flatMap(\.keySHA256s))
                    guard hashes.allSatisfy({ !taken.contains($0.lowercased()) }), Set(hashes.map { $0.lowercased() }).count == hashes.count else {
                        throw fail(keys, "tenants.\(id).key_sha256", "a key hash is listed twice (each key belongs to one tenant)")
                    }
                    tenants.append(Tenant(id: id, name: m["name"]?.scalar?.string ?? id, keySHA256s: hashes.map { $0.lowercased() }))
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
    /// `CUSTOMS_HUB_MAX_BODY_BYTES`, `CUSTOMS_HUB_MODEL`, `CUSTOMS_HUB_PACKS`, `CUSTOMS_HUB_LISTS`,
    /// `CUSTOMS_HUB_THRESHOLD_<NAME>` and `CUSTOMS_HUB_ADAPTER_<ID>_<SETTING>` (docs/configuration.md);
    /// the `CUSTOMS_HUB_OCR_…` settings are checked here, so that `serve` refuses a bad one at start
    /// as `extract` does, not at its first scan.
    mutating func apply(environment env: [String: String]) throws {
        func fail(_ name: String, _ problem: String) -> Problem { Problem(file: "environment", line: 0, field: name, problem: problem) }
        do throws(OCRSettings.Problem) { _ = try OCRSettings(environment: env) } catch { throw fail(error.name, error.problem) }
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
        if let v = env["CUSTOMS_HUB_MODEL"], !v.isEmpty { modelPath = v }
        if let v = env["CUSTOMS_HUB_PACKS"], !v.isEmpty { packsPath = v }
        if let v = env["CUSTOMS_HUB_LISTS"], !v.isEmpty { listsPath = v }
        func fraction(_ name: String) throws -> Double? {
            guard let v = env[name] else { return nil }
            guard let x = Double(v), x.isFinite, (0...1).contains(x) else { throw fail(name, "expected a number from 0 to 1") }
            return x
        }
        if let x = try fraction("CUSTOMS_HUB_THRESHOLD_CLASSIFICATION_CONFIDENCE") { thresholds.classificationConfidence = x }
        if let x = try fraction("CUSTOMS_HUB_THRESHOLD_RISK_REVIEW") { thresholds.riskReview = x }
        if let x = try fraction("CUSTOMS_HUB_THRESHOLD_SCREENING_REVIEW") { thresholds.screeningReview = x }
        if let x = try fraction("CUSTOMS_HUB_THRESHOLD_SCREENING_BLOCK") { thresholds.screeningBlock = x }
        // CUSTOMS_HUB_ADAPTER_<ID>_<SETTING>: the id upper-cased with `-` as `_`.
        for (name, value) in env.sorted(by: { $0.key < $1.key }) where name.hasPrefix("CUSTOMS_HUB_ADAPTER_") {
            let rest = name.dropFirst("CUSTOMS_HUB_ADAPTER_".count)
            guard let setting = ["_ENDPOINT", "_ENABLED", "_RATE_PER_SECOND", "_BURST", "_CALLBACK_SECRET"].first(where: { rest.hasSuffix($0) }) else {
                throw fail(name, "unknown adapter setting (ENDPOINT, ENABLED, RATE_PER_SECOND, BURST, CALLBACK_SECRET)")
            }
            let id = rest.dropLast(setting.count).lowercased().replacingOccurrences(of: "_", with: "-")
            var a = adapters[id] ?? Adapter()
            switch setting {
            case "_ENDPOINT": a.endpoint = value
            case "_ENABLED":
                guard let b = Bool(value.lowercased()) else { throw fail(name, "expected true or false") }
                a.enabled = b
            case "_RATE_PER_SECOND":
                guard let x = Double(value), x.isFinite, x > 0 else { throw fail(name, "expected a number of sends per second above 0") }
                a.ratePerSecond = x
            case "_BURST":
                guard let n = Int(value), n > 0 else { throw fail(name, "expected a positive integer") }
                a.burst = n
            default: a.callbackSecret = value
            }
            adapters[id] = a
        }
    }

    static let adapterKeys = "enabled, endpoint, callback_secret, rate_per_second, burst, max_concurrency, auth, tenant"

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 0
        }
    }
}
