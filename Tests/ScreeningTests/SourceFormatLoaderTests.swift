import CustomsModel
import Foundation
import Testing

@testable import Screening

/// Issue #18: the EU financial sanctions file (XML 1.1), OpenSanctions FollowTheMoney JSON lines and
/// the OFAC advanced XML, read from the hand-written samples in `Fixtures/data-update` (in each
/// publisher's documented layout, see SOURCES.md there). A cut, reformatted or empty file is refused.
@Suite struct SourceFormatLoaderTests {
    static func sample(_ name: String) throws -> Data { try Repo.data("Fixtures/data-update/\(name)") }

    @Test func euFinancialSanctionsFile() throws {
        let list = try EUFSFLoader().load(files: ["eu_fsf.xml": try Self.sample("eu-fsf-1_1.xml")], published: nil)
        #expect(list.entities.count == 4)
        #expect(list.version.listID == "eu_fsf")
        // generationDate 2026-11-27T17:01:35.529+01:00 is 16:01:35 UTC.
        #expect(list.version.published.map(Timestamp.format) == "2026-11-27T16:01:35.529Z")
        let saddam = try #require(list.entities.first { $0.entryID == "EU.27.28" })
        #expect(saddam.type == .person)
        #expect(saddam.names.first == ListedName(text: "Saddam Hussein Al-Tikriti", quality: .primary, familyName: "Hussein Al-Tikriti"))
        #expect(saddam.names.contains(ListedName(text: "Abu Ali", quality: .weak)))
        #expect(saddam.birthDates == [BirthDate(year: 1937, month: 4, day: 28)])
        #expect(saddam.countries == ["IQ"])
        #expect(saddam.programmes == ["IRQ"])
        let company = try #require(list.entities.first { $0.entryID == "EU.4512.56" })
        #expect(company.type == .organization)
        #expect(company.names.map(\.text) == ["Open Joint Stock Company Baltic Marine Logistics", "OAO Baltmorlogistika"])
        #expect(company.addresses == ["ul. Portovaya 12, 236003, Kaliningrad, RUSSIAN FEDERATION"])
        #expect(company.identifiers == [EntityIdentifier(kind: "regnumber", value: "1023901234567", country: "RU")])
        let ivan = try #require(list.entities.first { $0.entryID == "EU.8821.11" })
        // circa="true" on a year: one year either side; the "00" country of the birth place is no country.
        #expect(ivan.birthDates == [BirthDate(fromYear: 1967, toYear: 1969)])
        #expect(ivan.countries == ["RU"])
        #expect(ivan.names.contains { $0.text == "Иван Петрович Сидоренко" && $0.quality == .strong })
    }

    @Test func openSanctionsFollowTheMoney() throws {
        let list = try FollowTheMoneyLoader().load(files: ["entities.ftm.json": try Self.sample("opensanctions-entities.ftm.json")], published: nil)
        // Six lines: four targets, a Sanction record and a non-target relative are not parties.
        #expect(list.entities.map(\.entryID) == ["NK-2Zq8Ub9oX3fT6dPcW1kQ7a", "NK-7hT3cYbq2W5vLmR9sE4uPz", "NK-4dQw8Tz1pK6cXbN2mV9yHe", "NK-9aB3xC5vD7eF1gH2jK4mL6n"])
        #expect(list.version.published.map(Timestamp.format) == "2026-11-27T06:24:11Z")
        let ivan = list.entities[0]
        #expect(ivan.type == .person)
        #expect(ivan.names.first == ListedName(text: "Ivan Petrovich Sidorenko", quality: .primary, familyName: "Sidorenko"))
        #expect(ivan.birthDates == [BirthDate(year: 1968)])
        #expect(ivan.countries == ["RU"])
        #expect(ivan.identifiers == [EntityIdentifier(kind: "passport", value: "753123456")])
        #expect(ivan.programmes == ["eu_fsf", "gb_hmt_sanctions"])
        let company = list.entities[1]
        #expect(company.type == .organization)
        #expect(company.names.contains(ListedName(text: "BML", quality: .weak)))
        let vessel = list.entities[2]
        #expect(vessel.type == .vessel)
        #expect(vessel.names.contains(ListedName(text: "OCEAN PEARL", quality: .former)))
        #expect(vessel.countries == ["PA"])
        #expect(vessel.identifiers.first?.kind == "imo")
        // No `name` property: the caption stands in; neither is refused with its line.
        let captionOnly = Data(#"{"id":"NK-x","caption":"Caption Only Trading","schema":"Company","properties":{},"target":true}"#.utf8)
        #expect(try FollowTheMoneyLoader().load(files: ["entities.ftm.json": captionOnly], published: nil).entities.first?.primaryName == "Caption Only Trading")
        let nameless = Data(#"{"id":"NK-y","caption":"","schema":"Company","properties":{},"target":true}"#.utf8)
        #expect(throws: ListLoadError(file: "entities.ftm.json", line: 1, message: "Company NK-y has no name")) {
            try FollowTheMoneyLoader().load(files: ["entities.ftm.json": nameless], published: nil)
        }
    }

    @Test func ofacAdvancedXML() throws {
        let list = try OFACAdvancedLoader().load(files: ["SDN_ADVANCED.XML": try Self.sample("SDN_ADVANCED.XML")], published: nil)
        #expect(list.entities.map(\.entryID) == ["91001", "91002", "91003", "91004"])
        #expect(list.version.listID == "ofac_sdn")
        #expect(list.version.version.hasPrefix("2026-11-27+"))
        let volkov = list.entities[0]
        #expect(volkov.type == .person)
        #expect(volkov.names.first == ListedName(text: "Andrei Sergeyevich VOLKOV", quality: .primary, familyName: "VOLKOV"))
        #expect(volkov.names.contains(ListedName(text: "Andrey VOLKOFF", quality: .strong, familyName: "VOLKOFF")))
        #expect(volkov.names.contains { $0.text == "The Wolf" && $0.quality == .weak })
        #expect(volkov.birthDates == [BirthDate(year: 1971, month: 3, day: 14)])
        #expect(volkov.countries == ["RU"])
        #expect(volkov.addresses == ["Moscow, Russia"])
        #expect(volkov.identifiers == [EntityIdentifier(kind: "passport", value: "720011223", country: "RU")])
        #expect(volkov.programmes == ["RUSSIA-EO14024"])
        let company = list.entities[1]
        #expect(company.type == .organization)
        #expect(company.names.contains(ListedName(text: "GULF ROTARY TRADING", quality: .former)))
        #expect(company.addresses == ["No. 5, Azadi Street, Tehran, Iran"])
        #expect(company.countries == ["IR"])
        #expect(company.programmes == ["IRAN", "NPWMD"])
        let vessel = list.entities[2]
        #expect(vessel.type == .vessel)
        #expect(vessel.countries == ["PA"])
        #expect(list.entities[3].birthDates == [BirthDate(fromYear: 1960, toYear: 1962)])
    }

    /// The manifest names the three formats, so screening loads them like the others.
    @Test func manifestFormats() throws {
        for (format, file, sample) in [("eu_fsf_xml", "eu_fsf.xml", "eu-fsf-1_1.xml"), ("ftm_json", "entities.ftm.json", "opensanctions-entities.ftm.json"),
                                       ("ofac_advanced_xml", "SDN_ADVANCED.XML", "SDN_ADVANCED.XML")] {
            let entry = ListManifest.Entry(id: "x", format: format, folder: "f", file: file)
            #expect(try ListManifest.loader(for: entry).fileNames == [file])
            let list = try ListManifest.load(entry, files: [file: try Self.sample(sample)])
            #expect(list.version.listID == "x" && list.entities.count == 4)
            let hit = Screener(index: ScreeningIndex(lists: [list])).screen(ScreeningQuery(name: list.entities[0].primaryName))
            #expect(hit.hits.first?.entryID == list.entities[0].entryID, "\(format)")
        }
    }

    @Test func brokenFilesAreRefused() throws {
        let euBytes = try Self.sample("eu-fsf-1_1.xml")
        let ftmBytes = try Self.sample("opensanctions-entities.ftm.json")
        let advBytes = try Self.sample("SDN_ADVANCED.XML")
        func eu(_ d: Data) throws -> SanctionsList { try EUFSFLoader().load(files: ["eu_fsf.xml": d], published: nil) }
        func ftm(_ d: Data) throws -> SanctionsList { try FollowTheMoneyLoader().load(files: ["entities.ftm.json": d], published: nil) }
        func adv(_ d: Data) throws -> SanctionsList { try OFACAdvancedLoader().load(files: ["SDN_ADVANCED.XML": d], published: nil) }
        // Truncated mid-file.
        #expect(throws: ListLoadError.self) { try eu(euBytes.prefix(euBytes.count / 2)) }
        #expect(throws: ListLoadError.self) { try ftm(ftmBytes.prefix(ftmBytes.count / 2)) }
        #expect(throws: ListLoadError.self) { try adv(advBytes.prefix(advBytes.count / 2)) }
        // Changed format: an HTML page, another JSON shape, the advanced XML without its reference tables.
        let html = Data("<html><body>Service unavailable</body></html>".utf8)
        #expect(throws: ListLoadError.self) { try eu(html) }
        #expect(throws: ListLoadError.self) { try adv(html) }
        #expect(throws: ListLoadError.self) { try ftm(Data(#"{"results":[{"id":"x","caption":"Ivan"}]}"#.utf8)) }
        let text = String(decoding: advBytes, as: UTF8.self)
        let noTables = text.replacingOccurrences(of: #"<PartyTypeValues>[\s\S]*</PartyTypeValues>"#, with: "", options: .regularExpression)
        #expect(noTables != text)
        #expect(throws: ListLoadError.self) { try adv(Data(noTables.utf8)) }
        // Empty.
        #expect(throws: ListLoadError.self) { try eu(Data(#"<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-11-27T17:01:35+01:00"></export>"#.utf8)) }
        #expect(throws: ListLoadError.self) { try ftm(Data()) }
        let noParties = text.replacingOccurrences(of: #"<DistinctParties>[\s\S]*</DistinctParties>"#, with: "<DistinctParties />", options: .regularExpression)
        #expect(throws: ListLoadError.self) { try adv(Data(noParties.utf8)) }
    }
}
