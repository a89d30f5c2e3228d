import Foundation
@testable import Screening

/// Repository files, found from this file's location (never an absolute path).
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }
}

/// A small index over the test slices (≈ 350 OFAC and 120 UN entries), built once per test run.
enum SliceIndex {
    static let lists: [SanctionsList] = {
        do {
            let ofac = try OFACSDNLoader().load(
                files: [
                    "sdn.csv": try Repo.data("Fixtures/screening/sdn_slice.csv"),
                    "alt.csv": try Repo.data("Fixtures/screening/alt_slice.csv"),
                    "add.csv": try Repo.data("Fixtures/screening/add_slice.csv"),
                ], published: Date(timeIntervalSince1970: 1_703_788_800))
            let un = try UNConsolidatedLoader().load(files: ["UN_consolidated.xml": try Repo.data("Fixtures/screening/un_slice.xml")], published: nil)
            return [ofac, un]
        } catch {
            print("cannot load test slices: \(error)")
            return []
        }
    }()

    static let index = ScreeningIndex(lists: lists)
    static let screener = Screener(index: index)
}
