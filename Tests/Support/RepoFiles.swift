import Foundation

/// The repository's files for tests, found from this file's place (never an absolute path of a
/// machine), so a suite runs from any working directory.
public enum RepoFiles {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// Every file below `relative`, keyed by its path inside it.
    public static func files(under relative: String) throws -> [String: [UInt8]] {
        let base = root.appendingPathComponent(relative).standardizedFileURL
        var out: [String: [UInt8]] = [:]
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            out[String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))] = [UInt8](try Data(contentsOf: url))
        }
        return out
    }
}
