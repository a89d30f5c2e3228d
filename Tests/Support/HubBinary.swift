import Foundation

/// What the tests that drive the real `customs-hub` binary share: where the repository and the
/// binary are, a loopback port for a child that cannot pick its own, one small trained model and
/// the screening index, each built once per test run.
public enum HubBinary {
    /// The repository's root (this file is in `Tests/Support`).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `customs-hub` SwiftPM built next to the test bundle (debug or release, whichever ran the
    /// tests), falling back to the debug build in the repository.
    public static var url: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [runner, runner.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.appendingPathComponent("customs-hub").path) {
            return c.appendingPathComponent("customs-hub")
        }
        return repository.appendingPathComponent(".build/debug/customs-hub")
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// A data folder of this test process, never the user's `~/.local/share/customs-hub`: what a
    /// child writes there (a database, a trained model, the screening index) stays out of their home.
    public static let dataFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-test-data-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The environment for a child `customs-hub`: the test's own, with `CUSTOMS_HUB_DATA` set to
    /// `dataFolder`, the trained-model cache in the same folder (not the user's `~/.cache`), no
    /// `CUSTOMS_HUB_DATABASE`, and `extra` on top.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = dataFolder.path
        env["CUSTOMS_HUB_CACHE"] = dataFolder.appendingPathComponent("cache").path
        env["CUSTOMS_HUB_DATABASE"] = nil
        return env.merging(extra) { _, new in new }
    }

    /// The screening index of the content folder's lists, built once per test run by the real
    /// `customs-hub data index` (the build itself is checked here: exit 0, `built` and `written`) into
    /// a folder of its own that no test writes to. Building it takes about 7 CPU-seconds in a debug
    /// build; a test whose commands screen takes a copy with `seededDataFolder` instead of building
    /// it again in a fresh data folder. The index is bound to this binary (the cache key holds the
    /// program's path, size and time), so a copy is current for every child of this run.
    public static let screeningIndex: Task<URL, any Error> = Task {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-test-index-\(ProcessInfo.processInfo.processIdentifier)")
        let index = folder.appendingPathComponent("Models/screening-index.bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let built = try await ChildProcess.run(HubBinary.url, ["data", "index"], input: .devNull, directory: repository,
                                               environment: environment(["CUSTOMS_HUB_DATA": folder.path]))
        let line = (try? JSONSerialization.jsonObject(with: built.stdout)) as? [String: Any]
        guard built.status == 0, line?["built"] as? Bool == true, line?["written"] as? Bool == true,
              FileManager.default.fileExists(atPath: index.path) else {
            throw Failure(description: "customs-hub data index exited \(built.status): \(built.stdoutText) \(built.stderrText.suffix(2000))")
        }
        return index
    }

    /// A new, empty data folder under the temporary directory (named `prefix`-UUID) holding a copy of
    /// `screeningIndex` where the commands look for it (`Models/screening-index.bin`): a command that
    /// screens loads it instead of building it. The copy is the test's own; the caller removes the folder.
    public static func seededDataFolder(_ prefix: String) async throws -> URL {
        let index = try await screeningIndex.value
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try seed(folder, from: index)
        return folder
    }

    /// Copies the shared screening index into `folder`'s `Models/` (created when missing).
    public static func seed(_ folder: URL) async throws {
        try seed(folder, from: try await screeningIndex.value)
    }

    private static func seed(_ folder: URL, from index: URL) throws {
        let models = folder.appendingPathComponent("Models", isDirectory: true)
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: index, to: models.appendingPathComponent(index.lastPathComponent))
    }

    /// A classifier trained on chapters 61 and 62 by `customs-hub train`, once per test run and
    /// shared by every suite that starts `serve`: seconds instead of the full model's minutes, and
    /// tests that start a server do not depend on how well it classifies.
    public static let twoChapterModel: Task<URL, any Error> = Task {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-test-model-\(ProcessInfo.processInfo.processIdentifier).bin")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        let trained = try await ChildProcess.run(HubBinary.url, ["train", "--chapters", "61,62", "--output", url.path], directory: repository,
                                                 environment: environment())
        guard trained.status == 0 else { throw Failure(description: "customs-hub train failed: \(trained.stderrText.suffix(2000))") }
        return url
    }

    /// A loopback port nobody listens on now (the kernel's pick, released for a child to take), for
    /// children such as chromedriver that cannot report a port they chose themselves.
    public static func freeLoopbackPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
