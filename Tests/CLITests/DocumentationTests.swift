import Foundation
import Testing

/// The README and the documentation catalog link to files and articles that exist, and every article
/// is reachable from the catalog's root page: a moved file or a renamed article fails here, not in a
/// reader's browser.
@Suite struct DocumentationTests {
    static let catalog = CLI.root.appendingPathComponent("Sources/Hub/CustomsHub.docc")

    static func articles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: catalog, includingPropertiesForKeys: nil).filter { $0.pathExtension == "md" }
    }

    /// `[text](target)` links that point into the repository (not the web, not an anchor alone).
    static func localLinks(_ text: String) -> [String] {
        text.matches(of: #/\]\(([^)\s]+)\)/#).map { String($0.output.1) }
            .filter { !$0.hasPrefix("http://") && !$0.hasPrefix("https://") && !$0.hasPrefix("#") && !$0.hasPrefix("mailto:") }
    }

    @Test func repositoryLinksResolve() throws {
        let pages = try Self.articles() + ["README.md", "Adapters/README.md", "Mappings/README.md"].map { CLI.root.appendingPathComponent($0) }
        try #require(pages.count > 1)
        var checked = 0
        for page in pages {
            let text = try String(contentsOf: page, encoding: .utf8)
            for link in Self.localLinks(text) {
                let path = String(link.split(separator: "#", maxSplits: 1).first ?? "")
                let target = page.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                #expect(FileManager.default.fileExists(atPath: target.path), "\(page.lastPathComponent): \(link) does not exist")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func everyArticleIsLinkedAndReachable() throws {
        let articles = try Self.articles()
        let names = Set(articles.map { $0.deletingPathExtension().lastPathComponent })
        try #require(names.contains("CustomsHub") && names.count > 1)
        let root = try String(contentsOf: Self.catalog.appendingPathComponent("CustomsHub.md"), encoding: .utf8)
        for article in articles {
            let text = try String(contentsOf: article, encoding: .utf8)
            for link in text.matches(of: #/<doc:([A-Za-z0-9_-]+)>/#).map({ String($0.output.1) }) {
                #expect(names.contains(link), "\(article.lastPathComponent): <doc:\(link)> names no article")
            }
            #expect(text.hasPrefix("# "), "\(article.lastPathComponent) starts with its title")
        }
        for name in names where name != "CustomsHub" {
            #expect(root.contains("<doc:\(name)>"), "\(name) is not listed on the catalog's root page")
        }
    }
}
