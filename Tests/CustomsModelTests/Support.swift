import CustomsModel
import Foundation
import HubContent

/// Repository paths for tests, found from this file so tests run from any working directory.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func files(in relative: String, suffix: String = ".json") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relative).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".expected.json") }.sorted()
    }

    static func bytes(_ relative: String) throws -> [UInt8] { Array(try Data(contentsOf: url(relative))) }

    static let validator: OrderValidator = {
        do { return try ContentRoot(url: root).loadOrderValidator() } catch { preconditionFailure("test content missing: \(error)") }
    }()
}
