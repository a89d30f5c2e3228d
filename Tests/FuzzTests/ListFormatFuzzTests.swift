import Foundation
import Screening
import Testing

extension ReaderFuzzTests {
    /// The EU FSF, FollowTheMoney and OFAC advanced loaders (issue #18) take the publishers' bytes:
    /// mutations of their samples, and the sanctions regression inputs, are read or refused with a
    /// ListLoadError naming the file, never a crash or an untyped error.
    @Test func listFormatLoaders() throws {
        let seeds = try Self.files("Fixtures/data-update", suffix: ".XML", limit: 1) + Self.files("Fixtures/data-update", suffix: "1_1.xml", limit: 1)
            + Self.files("Fixtures/data-update", suffix: ".ftm.json", limit: 1)
        let loaders: [(String, any SanctionsListLoader)] = [
            ("eu_fsf.xml", EUFSFLoader()), ("entities.ftm.json", FollowTheMoneyLoader()), ("SDN_ADVANCED.XML", OFACAdvancedLoader()),
        ]
        try Self.fuzz("sanctions", seeds: seeds, tokens: ["<", "/>", "\"", "<nameAlias wholeName=\"x\"/>", "<DistinctParty FixedRef=\"1\">", "</DistinctParty>",
                                                          "{\"id\":", "\"schema\":\"Person\"", "\"properties\":{}", "\n", "[", "]", "ID=\"1\""]) { input in
            for (file, loader) in loaders {
                do { _ = try loader.load(files: [file: Data(input)], published: nil) } catch let error as ListLoadError {
                    if error.file != file { return "\(file): error names \(error.file)" }
                } catch {
                    return "\(file): untyped error \(error)"
                }
            }
            return nil
        }
    }
}
