import Foundation
import Hub
import HubContent
import Pipeline
import Store
import Testing

@Suite("Hot reload", .serialized)
struct ReloadTests {
    /// A content folder that shares the repository's files but has its own copy of the routes.
    static func contentCopy() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("customs-hub-content-\(UUID().uuidString)")
        try fm.createDirectory(at: dir.appendingPathComponent("Data/routes"), withIntermediateDirectories: true)
        for top in try fm.contentsOfDirectory(atPath: repoRoot.path) where top != "Data" && !top.hasPrefix(".") {
            try fm.createSymbolicLink(at: dir.appendingPathComponent(top), withDestinationURL: repoRoot.appendingPathComponent(top))
        }
        for sub in try fm.contentsOfDirectory(atPath: repoRoot.appendingPathComponent("Data").path) where sub != "routes" {
            try fm.createSymbolicLink(at: dir.appendingPathComponent("Data/\(sub)"), withDestinationURL: repoRoot.appendingPathComponent("Data/\(sub)"))
        }
        try fm.copyItem(at: repoRoot.appendingPathComponent("Data/routes/routes.json"), to: dir.appendingPathComponent("Data/routes/routes.json"))
        return dir
    }

    @Test("A changed routes file is picked up without a restart; a broken one leaves the previous version in force")
    func routesReload() async throws {
        let dir = try Self.contentCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, _, cleanup) = try await Engine.sqlite.makeStore()
        let hub = Hub(store: store, engines: try TestEngines.engines(reviewBelow: 0), clock: { TestEngines.now })
        let loader = EngineLoader(root: ContentRoot(url: dir), modelPath: try TestEngines.modelFile.get())
        let reloader = HubReloader(hub: hub, loader: loader)
        #expect(reloader.reloadIfChanged().reloaded.isEmpty)

        let file = dir.appendingPathComponent("Data/routes/routes.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\": \"routes-", with: "\"version\": \"reloaded-").write(to: file, atomically: true, encoding: .utf8)
        let report = reloader.reloadIfChanged()
        #expect(report.reloaded == [.routes])
        #expect(hub.engines.routes.version.hasPrefix("reloaded-"))
        let submitted = try await hub.submit(try Orders.gb(key: "after-reload", codes: [nil, nil]))
        let decisions = try await store.decisions(orderID: try #require(submitted.orderID))
        #expect(decisions.allSatisfy { $0.version.contains("reloaded-") })

        try "{ not json".write(to: file, atomically: true, encoding: .utf8)
        let broken = reloader.reloadIfChanged()
        #expect(broken.reloaded.isEmpty && broken.errors.count == 1)
        #expect(hub.engines.routes.version.hasPrefix("reloaded-"))
        await cleanup()
    }
}
