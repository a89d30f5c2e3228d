import CustomsModel
import Foundation
import Testing
@testable import Screening

@Suite struct OFACLoaderTests {
    /// Bytes in OFAC's exact dialect: CRLF, `-0- ` nulls, quoted commas, the 0x1A end-of-file byte.
    static let sdn = Data(
        ("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            + "3754,\"ABU MARZOOK, Mousa Mohammed\",\"individual\",\"SDGT\",\"Political Leader\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
            + "\"DOB 09 Feb 1951; alt. DOB circa 1953; POB Gaza, Egypt; nationality Jordan; Passport 92/664 (Egypt); a.k.a. 'ABU-'UMAR'.\"\r\n"
            + "9647,\"SEA STAR\",\"vessel\",\"IRAN] [SDGT\",-0- ,\"9HXY7\",\"Crude Oil Tanker\",-0- ,\"150,000\",\"Iran\",-0- ,"
            + "\"Vessel Registration Identification IMO 9187629; MMSI 572469210.\"\r\n\u{1A}").utf8)
    static let alt = Data("3754,1,\"aka\",\"ABU MARZUQ, Musa\",-0- \r\n36,2,\"fka\",\"AERO-CARIBBEAN\",-0- \r\n".utf8)
    static let add = Data("3754,10,-0- ,\"Damascus\",\"Syria\",-0- \r\n36,11,-0- ,\"Havana\",\"Cuba\",-0- \r\n".utf8)

    /// A UTF-8 name stays what it says; a Latin-1 byte (the legacy publication) still reads as Latin-1.
    @Test func utf8NamesAreNotReadAsLatin1() throws {
        var bytes = Array("1,\"JOSÉ ÑÚÑEZ, María\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n".utf8)
        bytes += Array("2,\"CAF".utf8) + [0xC9] + Array("\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n".utf8)
        let list = try OFACSDNLoader().load(files: ["sdn.csv": Data(bytes)], published: nil)
        #expect(list.entities.map { $0.names[0].text } == ["María JOSÉ ÑÚÑEZ", "CAFÉ"])
    }

    @Test func readsEntriesAliasesAddressesAndRemarks() throws {
        let list = try OFACSDNLoader().load(files: ["sdn.csv": Self.sdn, "alt.csv": Self.alt, "add.csv": Self.add], published: nil)
        #expect(list.entities.count == 3)
        let airline = try #require(list.entities.first)
        #expect(airline.type == .organization)
        #expect(airline.programmes == ["CUBA"])
        #expect(airline.names.map(\.quality) == [.primary, .former])
        #expect(airline.countries == ["CU"])

        let person = list.entities[1]
        #expect(person.type == .person)
        #expect(person.names[0] == ListedName(text: "Mousa Mohammed ABU MARZOOK", quality: .primary, familyName: "ABU MARZOOK"))
        #expect(person.names.contains(ListedName(text: "ABU-'UMAR", quality: .weak)))
        #expect(person.names.contains(ListedName(text: "Musa ABU MARZUQ", quality: .strong, familyName: "ABU MARZUQ")))
        #expect(person.birthDates == [BirthDate(year: 1951, month: 2, day: 9), BirthDate(year: 1953)])
        #expect(person.countries == ["JO", "SY"])
        #expect(person.identifiers == [EntityIdentifier(kind: "passport", value: "92/664", country: "Egypt")])
        #expect(person.addresses == ["Damascus, Syria"])

        let vessel = list.entities[2]
        #expect(vessel.type == .vessel)
        #expect(vessel.programmes == ["IRAN", "SDGT"])
        #expect(vessel.countries == ["IR"])
        #expect(vessel.identifiers.contains(EntityIdentifier(kind: "imo", value: "9187629")))
        #expect(vessel.identifiers.contains(EntityIdentifier(kind: "mmsi", value: "572469210")))
        #expect(vessel.identifiers.contains(EntityIdentifier(kind: "call_sign", value: "9HXY7")))
    }

    @Test func versionCarriesDateAndHash() throws {
        let published = try #require(Timestamp.parse("2023-12-28T18:43:24Z"))
        let list = try OFACSDNLoader().load(files: ["sdn.csv": Self.sdn], published: published)
        #expect(list.version.version.hasPrefix("2023-12-28+"))
        #expect(list.version.version.count == "2023-12-28+".count + 12)
        #expect(list.version.entryCount == 3)
        let changed = try OFACSDNLoader().load(files: ["sdn.csv": Self.sdn + Data("\r\n".utf8)], published: published)
        #expect(changed.version.version != list.version.version)
        #expect(list.version.ageInDays(at: published.addingTimeInterval(10 * 86_400 + 5)) == 10)
        #expect(list.version.isStale(at: published.addingTimeInterval(20 * 86_400), maxAgeDays: 14))
        #expect(!list.version.isStale(at: published.addingTimeInterval(2 * 86_400), maxAgeDays: 14))
        let undated = try OFACSDNLoader().load(files: ["sdn.csv": Self.sdn], published: nil)
        #expect(undated.version.isStale(at: published, maxAgeDays: 14))
    }

    @Test func badRowsNameFileAndLine() {
        let short = Data("36,\"A\",-0- \r\n".utf8)
        #expect(throws: ListLoadError(file: "sdn.csv", line: 1, message: "expected 12 fields, found 3")) {
            try OFACSDNLoader().load(files: ["sdn.csv": short], published: nil)
        }
        let open = Self.sdn + Data("99,\"UNTERMINATED,-0- \r\n".utf8)
        #expect(throws: ListLoadError(file: "sdn.csv", line: 4, message: "unterminated quoted field")) {
            try OFACSDNLoader().load(files: ["sdn.csv": open], published: nil)
        }
        let dangling = Data("77,1,\"aka\",\"NOBODY\",-0- \r\n".utf8)
        #expect(throws: ListLoadError(file: "alt.csv", line: 1, message: "alias for unknown ent_num 77")) {
            try OFACSDNLoader().load(files: ["sdn.csv": Self.sdn, "alt.csv": dangling], published: nil)
        }
        #expect(throws: ListLoadError(file: "sdn.csv", message: "no entries: refusing to load an empty list")) {
            try OFACSDNLoader().load(files: ["sdn.csv": Data([0x1A])], published: nil)
        }
    }

    @Test func dateForms() {
        #expect(OFACDate.parse("23 Nov 1962") == BirthDate(year: 1962, month: 11, day: 23))
        #expect(OFACDate.parse("Nov 1962") == BirthDate(year: 1962, month: 11))
        #expect(OFACDate.parse("circa 1962") == BirthDate(year: 1962))
        #expect(OFACDate.parse("1960 to 1962") == BirthDate(fromYear: 1960, toYear: 1962))
        #expect(OFACDate.parse("sometime") == nil)
    }

    @Test func sliceLoadsWithRealQuirks() throws {
        let ofac = try #require(SliceIndex.lists.first)
        #expect(ofac.entities.count == 356)
        let maduro = try #require(ofac.entities.first { $0.entryID == "22790" })
        #expect(maduro.names[0].text == "Nicolas MADURO MOROS")
        #expect(maduro.birthDates.contains(BirthDate(year: 1962, month: 11, day: 23)))
        #expect(maduro.countries.contains("VE"))
    }
}

@Suite struct UNLoaderTests {
    static let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
          <INDIVIDUALS>
            <INDIVIDUAL>
              <DATAID>1</DATAID><FIRST_NAME>AYMAN</FIRST_NAME><SECOND_NAME>AL-ZAWAHIRI</SECOND_NAME>
              <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.006</REFERENCE_NUMBER>
              <NAME_ORIGINAL_SCRIPT>أيمن الظواهري</NAME_ORIGINAL_SCRIPT>
              <NATIONALITY><VALUE>Egypt</VALUE></NATIONALITY>
              <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Aiman al-Zawahiri</ALIAS_NAME></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>The Doctor</ALIAS_NAME></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
              <INDIVIDUAL_ADDRESS><CITY>Kandahar</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>
              <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1951-06-19</DATE></INDIVIDUAL_DATE_OF_BIRTH>
              <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1950</FROM_YEAR><TO_YEAR>1952</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
              <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>1084010</NUMBER><ISSUING_COUNTRY>Egypt</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
            </INDIVIDUAL>
          </INDIVIDUALS>
          <ENTITIES>
            <ENTITY>
              <DATAID>2</DATAID><FIRST_NAME>AL-QAIDA</FIRST_NAME><REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER>
              <ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>The Base</ALIAS_NAME></ENTITY_ALIAS>
            </ENTITY>
          </ENTITIES>
        </CONSOLIDATED_LIST>
        """

    @Test func readsIndividualsAndEntities() throws {
        let list = try UNConsolidatedLoader().load(files: ["UN_consolidated.xml": Data(Self.xml.utf8)], published: nil)
        #expect(list.version.version.hasPrefix("2026-02-27+"))
        #expect(list.entities.count == 2)
        let person = list.entities[0]
        #expect(person.entryID == "QDi.006")
        #expect(person.type == .person)
        #expect(person.names.map(\.text) == ["AYMAN AL-ZAWAHIRI", "أيمن الظواهري", "Aiman al-Zawahiri", "The Doctor"])
        #expect(person.names.map(\.quality) == [.primary, .strong, .strong, .weak])
        #expect(person.countries == ["EG", "AF"])
        #expect(person.birthDates == [BirthDate(year: 1951, month: 6, day: 19), BirthDate(fromYear: 1950, toYear: 1952)])
        #expect(person.identifiers == [EntityIdentifier(kind: "passport", value: "1084010", country: "Egypt")])
        #expect(person.programmes == ["Al-Qaida"])
        #expect(list.entities[1].type == .organization)
        #expect(list.entities[1].names.map(\.text) == ["AL-QAIDA", "The Base"])
    }

    @Test func malformedXMLNamesTheLine() {
        let broken = Data("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>X</INDIVIDUAL>\n".utf8)
        do {
            _ = try UNConsolidatedLoader().load(files: ["UN_consolidated.xml": broken], published: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "UN_consolidated.xml")
            #expect(error.line != nil)
        }
        #expect(throws: ListLoadError.self) {
            try UNConsolidatedLoader().load(files: ["UN_consolidated.xml": Data("<OTHER/>".utf8)], published: nil)
        }
    }

    @Test func sliceHasOriginalScriptNames() throws {
        let un = try #require(SliceIndex.lists.last)
        #expect(un.entities.count == 118)
        #expect(un.entities.contains { $0.names.contains { $0.text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } } })
    }
}

@Suite struct ManifestTests {
    @Test func repositoryManifestNamesKnownFormats() throws {
        let manifest = try ListManifest.decode(try Repo.data("Data/sanctions/manifest.json"))
        #expect(manifest.lists.map(\.id) == ["ofac_sdn", "un_sc", "ofac_consolidated", "uk_ofsi"])
        for entry in manifest.lists { #expect(throws: Never.self) { _ = try ListManifest.loader(for: entry) } }
    }

    @Test func unknownFormatAndBadDateAreErrors() throws {
        let entry = ListManifest.Entry(id: "eu", format: "eu_fsf_pdf", folder: "eu", published: nil, note: nil)
        #expect(throws: ListLoadError(file: "manifest.json", message: "list eu: unknown format eu_fsf_pdf")) { try ListManifest.loader(for: entry) }
        let dated = ListManifest.Entry(id: "ofac", format: "ofac_sdn_csv", folder: "x", published: "yesterday", note: nil)
        #expect(throws: ListLoadError.self) { try ListManifest.load(dated, files: [:]) }
    }
}

@Suite struct CountryNamesTests {
    @Test func listSpellingsResolve() {
        #expect(CountryNames.code(for: "Korea, North") == "KP")
        #expect(CountryNames.code(for: "Russia") == "RU")
        #expect(CountryNames.code(for: "Iran (Islamic Republic of)") == "IR")
        #expect(CountryNames.code(for: "Germany") == "DE")
        #expect(CountryNames.code(for: "Atlantis") == nil)
    }
}

@Test("The loaders' trimming agrees with Foundation's on spaces, tabs, newlines and Unicode blanks")
func trimmingAgreesWithFoundation() {
    let samples = ["", " ", "\t", "a", " a ", "\ta b\t", "\n a \n", "\u{00A0}Öl\u{2003}", "\u{2028}x\u{0085}", "  -0-  ", "é", " ЖУК ", "\r\n"]
    for s in samples {
        #expect(s.trimmingWhitespace() == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
        #expect(s.trimmingWhitespace(newlines: true) == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.debugDescription)")
    }
}
