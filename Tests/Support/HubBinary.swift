import Foundation

/// What the tests that drive the real `customs-hub` binary share: where the repository and the
/// binary are, a loopback port for a child that cannot pick its own, and one small trained model.
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
    /// `dataFolder`, no `CUSTOMS_HUB_DATABASE`, and `extra` on top.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CUSTOMS_HUB_DATA"] = dataFolder.path
        env["CUSTOMS_HUB_DATABASE"] = nil
        return env.merging(extra) { _, new in new }
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
