import CustomsModel
import Foundation
import Testing

@testable import Screening

/// Issue #18: the OFAC Consolidated (non-SDN) list and the UK OFSI list beside SDN and UN, each
/// with its own version and age; broken downloads are refused, never loaded empty.
@Suite struct NewListLoaderTests {
    static func consolidated() throws -> Data { try Repo.data("Data/sanctions/ofac_consolidated_2026-01-08/consolidated.xml") }
    static func ofsi() throws -> Data { try Repo.data("Data/sanctions/uk_ofsi_conlist_2025-04-10/ConList.csv") }

    @Test func ofacConsolidatedXML() throws {
        let list = try OFACXMLLoader().load(files: ["consolidated.xml": try Self.consolidated()], published: nil)
        #expect(list.entities.count == 442)
        #expect(list.version.listID == "ofac_consolidated")
        #expect(list.version.version.hasPrefix("2026-01-08+"))
        let haniya = try #require(list.entities.first { $0.entryID == "9639" })
        #expect(haniya.type == .person)
        #expect(haniya.primaryName == "Ismail Abdul Salah HANIYA")
        #expect(haniya.names.contains { $0.text == "Ismaeel HANIYYA" && $0.quality == .strong })
        #expect(haniya.programmes == ["NS-PLC"])
        #expect(haniya.birthDates.first?.fromYear == 1962)
        let stale = list.version.isStale(at: Timestamp.parse("2026-03-01T00:00:00Z")!, maxAgeDays: 14)
        #expect(stale)
    }

    @Test func ofsiConListCSV() throws {
        let list = try OFSIConListLoader().load(files: ["ConList.csv": try Self.ofsi()], published: nil)
        #expect(list.entities.count == 4686)
        #expect(list.version.version.hasPrefix("2025-04-10+"))
        let haq = try #require(list.entities.first { $0.entryID == "15672" })
        #expect(haq.primaryName == "Mian Abdul HAQ")
        #expect(haq.names.count == 5)
        #expect(haq.countries == ["PK"])
        #expect(haq.programmes == ["Global Human Rights"])
        let zap = try #require(list.entities.first { $0.entryID == "16636" })
        #expect(zap.type == .organization)
    }

    @Test func brokenDownloadsAreRefused() throws {
        let xml = try Self.consolidated()
        // Truncated: cut mid-document.
        #expect(throws: ListLoadError.self) { try OFACXMLLoader().load(files: ["consolidated.xml": xml.prefix(xml.count / 2)], published: nil) }
        // Cut at an entry boundary: well-formed XML but fewer entries than Record_Count.
        let text = String(decoding: xml, as: UTF8.self)
        let cut = text.range(of: "<sdnEntry>", options: .backwards)!.lowerBound
        let shorter = Data((String(text[..<cut]) + "</sdnList>\n").utf8)
        #expect(throws: ListLoadError.self) { try OFACXMLLoader().load(files: ["consolidated.xml": shorter], published: nil) }
        // Changed format: an HTML error page, a CSV without the OFSI columns.
        #expect(throws: ListLoadError.self) { try OFACXMLLoader().load(files: ["consolidated.xml": Data("<html><body>maintenance</body></html>".utf8)], published: nil) }
        #expect(throws: ListLoadError.self) {
            try OFSIConListLoader().load(files: ["ConList.csv": Data("Last Updated,10/04/2025\nName,Country\nX,Y\n".utf8)], published: nil)
        }
        // Empty lists.
        let emptyXML = Data("<?xml version=\"1.0\"?><sdnList><publshInformation><Publish_Date>01/08/2026</Publish_Date><Record_Count>0</Record_Count></publshInformation></sdnList>".utf8)
        #expect(throws: ListLoadError.self) { try OFACXMLLoader().load(files: ["consolidated.xml": emptyXML], published: nil) }
        let header = String(decoding: try Self.ofsi(), as: UTF8.self).split(separator: "\n").prefix(2).joined(separator: "\n") + "\n"
        #expect(throws: ListLoadError.self) { try OFSIConListLoader().load(files: ["ConList.csv": Data(header.utf8)], published: nil) }
    }
}
