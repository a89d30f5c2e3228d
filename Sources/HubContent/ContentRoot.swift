import Foundation

/// Finds the folder that holds CustomsHub's content files (`Data/`, `Schemas/`, `Mappings/`,
/// `Adapters/`) and reads them. This is the edge: the engines receive values, never paths.
public struct ContentRoot: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// Where to look, in order: `CUSTOMS_HUB_HOME`, the working directory and its parents, then the
    /// executable's directory and its parents (a `swift run` binary lives under `.build/`).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ContentRoot {
        if let home = environment["CUSTOMS_HUB_HOME"], !home.isEmpty {
            let url = URL(fileURLWithPath: home, isDirectory: true)
            guard isRoot(url) else { throw ContentError.notFound("CUSTOMS_HUB_HOME=\(home) has no Schemas/order.schema.json") }
            return ContentRoot(url: url)
        }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                if isRoot(dir) { return ContentRoot(url: dir) }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw ContentError.notFound("no CustomsHub content folder (with Schemas/order.schema.json) here or above; set CUSTOMS_HUB_HOME")
    }

    private static func isRoot(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("Schemas/order.schema.json").path)
    }

    public func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    public func read(_ relative: String) throws -> Data {
        do { return try Data(contentsOf: file(relative)) } catch {
            throw ContentError.unreadable("\(relative): \(error.localizedDescription)")
        }
    }

    public func readText(_ relative: String) throws -> String {
        String(decoding: try read(relative), as: UTF8.self)
    }
}

public enum ContentError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case unreadable(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .notFound(let m), .unreadable(let m), .invalid(let m): m
        }
    }
}
