import Foundation

extension ContentRoot {
    /// Every regular file below `relative` (e.g. `Schemas/xml/hmrc-cds-dms`), keyed by its path inside
    /// it. Schema sets import each other by relative path, so they are handed to the engine whole.
    public func fileContents(under relative: String) throws -> [String: Data] {
        let base = file(relative).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ContentError.notFound("\(relative) is not a folder under \(url.path)")
        }
        var out: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        while let item = walker?.nextObject() as? URL {
            guard (try? item.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = item.standardizedFileURL.path
            guard path.hasPrefix(base.path + "/") else { continue }
            do { out[String(path.dropFirst(base.path.count + 1))] = try Data(contentsOf: item) } catch {
                throw ContentError.unreadable("\(relative)/\(path.dropFirst(base.path.count + 1)): \(error.localizedDescription)")
            }
        }
        return out
    }
}
