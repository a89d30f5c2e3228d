import AdapterKit
import Classification
import Foundation
import Pipeline
import Risk
import Screening
import Synchronization
import UnixSignals

/// Keeps a running hub's engines current: packs, lists, the model, routes, adapters and mappings
/// are reloaded when their files change (checked every few seconds) or on SIGHUP, without a
/// restart. Only the parts whose files changed are rebuilt; a part that fails to load is reported
/// and the previous version stays in force. Every decision records the versions it used, so a
/// reload is visible in the audit trail.
public final class HubReloader: Sendable {
    public let hub: Hub
    public let loader: EngineLoader
    private let fingerprints: Mutex<[EngineLoader.Part: String]>

    public init(hub: Hub, loader: EngineLoader) {
        self.hub = hub
        self.loader = loader
        var prints: [EngineLoader.Part: String] = [:]
        for part in EngineLoader.Part.allCases { prints[part] = loader.fingerprint(part) }
        fingerprints = Mutex(prints)
    }

    public struct Report: Sendable {
        public var reloaded: [EngineLoader.Part]
        public var errors: [String]
    }

    /// Reloads the parts whose files changed since the last look.
    @discardableResult
    public func reloadIfChanged(now: Date = Date()) -> Report {
        let current = Dictionary(uniqueKeysWithValues: EngineLoader.Part.allCases.map { ($0, loader.fingerprint($0)) })
        let changed = fingerprints.withLock { old in EngineLoader.Part.allCases.filter { old[$0] != current[$0] } }
        guard !changed.isEmpty else { return Report(reloaded: [], errors: []) }
        var engines = hub.engines
        var reloaded: [EngineLoader.Part] = []
        var errors: [String] = []
        // Adapters before routes: the routes are checked against the adapters that loaded.
        for part in EngineLoader.Part.allCases where changed.contains(part) || (part == .routes && changed.contains(.catalog)) {
            do {
                switch part {
                case .validator: engines.validator = try loader.validator()
                case .classifier:
                    let threshold = engines.classifier.reviewThreshold
                    engines.classifier = try loader.classifier()
                    engines.classifier.reviewThreshold = threshold
                    engines.versions.model = engines.classifier.modelVersion
                case .screening:
                    engines.screening = try loader.screening()
                    engines.versions.lists = engines.screening.listStatuses(at: now).map { "\($0.list)@\($0.version)" }
                case .risk:
                    engines.risk = try loader.risk()
                    engines.versions.riskPolicy = engines.risk.policy.version
                case .tariff:
                    let (book, packs) = loader.tariff()
                    guard let book else { throw HubError.invalid("no tariff pack could be loaded") }
                    engines.tariff = book
                    engines.versions.packs = packs
                case .catalog:
                    engines.catalog = try loader.catalog()
                    engines.versions.content = loader.contentDigest()
                case .routes:
                    engines.routes = try loader.routes(adapters: Set(engines.catalog.adapters.keys))
                    engines.versions.routes = engines.routes.version
                }
                reloaded.append(part)
            } catch {
                errors.append("\(part.rawValue): \(error) (the previous version stays in force)")
            }
        }
        let installed = engines
        hub.install { $0 = installed }
        fingerprints.withLock { $0 = current }
        // A reloaded model forgets what reviewers taught the old one.
        if reloaded.contains(.classifier) { Task { _ = try? await hub.learnStoredCorrections() } }
        for e in errors { loader.log("reload: \(e)") }
        if !reloaded.isEmpty { loader.log("reloaded: \(reloaded.map(\.rawValue).joined(separator: ", "))") }
        return Report(reloaded: reloaded, errors: errors)
    }

    /// Watches until cancelled: every `interval`, and at once on SIGHUP.
    public func run(every interval: Duration = .seconds(2)) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    self.reloadIfChanged()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    self.reloadIfChanged()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
