import CustomsModel
import Foundation
import HubContent

/// Repository paths for tests, found from this file so tests run from any working directory.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The case files of a folder; a missing or empty folder throws, so a parameterised test
    /// never passes with zero cases.
    static func files(in relative: String, suffix: String = ".json") throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: url(relative).path)
            .filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".expected.json") }.sorted()
        guard !names.isEmpty else { throw NoCases(folder: relative) }
        return names
    }

    static func bytes(_ relative: String) throws -> [UInt8] { Array(try Data(contentsOf: url(relative))) }

    static let validator: OrderValidator = {
        do { return try ContentRoot(url: root).loadOrderValidator() } catch { preconditionFailure("test content missing: \(error)") }
    }()
}

/// A case folder that is missing or holds no case.
struct NoCases: Error, CustomStringConvertible {
    var folder: String
    var description: String { "no test cases in \(folder)" }
}
