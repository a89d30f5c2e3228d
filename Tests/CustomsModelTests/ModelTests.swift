import ChildProcess
import CustomsModel
import Foundation
import JSONCore
import Testing

@Suite struct ModelJSONTests {
    @Test(arguments: try Repo.files(in: "Fixtures/orders/valid"))
    func fixtureRoundTripsThroughTheModel(name: String) throws {
        let data = try Data(contentsOf: Repo.url("Fixtures/orders/valid/\(name)"))
        let order = try CanonicalJSON.decoder().decode(Order.self, from: data)
        let encoded = try CanonicalJSON.encoder().encode(order)
        let again = try CanonicalJSON.decoder().decode(Order.self, from: encoded)
        #expect(again == order)
        // The encoded form is itself a valid order document, with snake_case keys and string amounts.
        let doc = try JSONParser.parse(Array(encoded))
        #expect(Repo.validator.schema.validate(doc).isEmpty)
        #expect(doc["lines"]?.arrayValue?.first?["line_value"]?["amount"]?.stringValue != nil)
    }

    @Test func encodesSnakeCaseKeysOnly() throws {
        let data = try Data(contentsOf: Repo.url("Fixtures/orders/valid/de-b2c-ioss-multiline.json"))
        let order = try CanonicalJSON.decoder().decode(Order.self, from: data)
        let text = try CanonicalJSON.encode(order)
        for key in ["merchant_id", "idempotency_key", "ship_from_country", "address_lines", "tax_ids", "unit_value", "origin_country", "net_weight"] {
            #expect(text.contains("\"\(key)\""))
        }
        #expect(!text.contains("merchantID") && !text.contains("shipFromCountry"))
        #expect(order.party(.seller)?.taxID(.ioss)?.value == "IM3720000123")
        #expect(order.originCountries == ["VN", "CN", "PT"])
        #expect(try order.intrinsicValue() == Money(Decimal(string: "128.60")!, "EUR"))
    }

    @Test func decimalAmountsSurviveExactly() throws {
        let json = #"{"amount": 0.1, "currency": "EUR"}"#
        let m = try JSONDecoder().decode(Money.self, from: Data(json.utf8))
        #expect(m.amount == Decimal(string: "0.1")!)
        let s = try JSONDecoder().decode(Money.self, from: Data(#"{"amount": "1234567.8912", "currency": "KWD"}"#.utf8))
        #expect(s.amount.plainString == "1234567.8912")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: Data(#"{"amount": "12abc", "currency": "EUR"}"#.utf8)) }
    }

    @Test func timestampsAcceptOffsetsAndWriteUTC() throws {
        let a = try #require(Timestamp.parse("2026-11-20T10:15:00+01:00"))
        let b = try #require(Timestamp.parse("2026-11-20T09:15:00Z"))
        #expect(a == b)
        #expect(Timestamp.format(a) == "2026-11-20T09:15:00Z")
        #expect(Timestamp.parse("2026-11-20T09:15:00.250Z") != nil)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func timestampsFromMillisAreExactAndMatchFoundationOnWholeSeconds() throws {
        // Edges (epoch, before it, leap days, centuries, 1583, the last millisecond of 9999)
        // and a spread of others from 1583 on.
        var values: [Int64] = [0, -1, 1, 999, 1000, -1000, 951_782_400_000, 951_868_799_999, -2_203_891_200_000,
                               4_107_542_400_000, 253_402_300_799_999, -12_212_553_600_000,
                               1_764_932_472_123, 201_493_861_808_767]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(state >> 16) % 265_614_854_400_000 - 12_212_553_600_000)
        }
        for millis in values {
            // Foundation's parser reads the exact millisecond back.
            let read = try #require(Timestamp.parse(Timestamp.format(millis: millis)), "\(millis)")
            #expect(Int64((read.timeIntervalSince1970 * 1000).rounded()) == millis, "\(millis)")
            let whole = millis - (millis % 1000 + 1000) % 1000
            #expect(Timestamp.format(millis: whole) == Timestamp.format(Date(timeIntervalSince1970: Double(whole) / 1000)), "\(whole)")
        }
        #expect(Timestamp.format(millis: 1_764_932_472_123) == "2025-12-05T11:01:12.123Z")
        #expect(Timestamp.format(millis: 1_764_932_472_000) == "2025-12-05T11:01:12Z")
        #expect(Timestamp.format(millis: 201_493_861_808_767) == "8355-02-01T21:10:08.767Z")
        // Before 1583: Foundation's (Julian) calendar, as `format(_:)` writes it.
        #expect(Timestamp.format(millis: -31_787_744_076_304) == Timestamp.format(Date(timeIntervalSince1970: -31_787_744_076.304)))
    }

    @Test func statusEventRoundTrips() throws {
        let event = StatusEvent(
            kind: .dutyAssessed, occurredAt: Timestamp.parse("2026-11-21T08:00:00Z")!, source: "uk-cds", reference: "LRN-1",
            authorityReference: "26GB0000000000001", errors: [.init(code: "CDS12056", message: "bad", pointer: "42A/67A")],
            amounts: [Money(Decimal(string: "12.34")!, "GBP")])
        let text = try CanonicalJSON.encode(event)
        #expect(text.contains("\"authority_reference\"") && text.contains("\"duty_assessed\""))
        #expect(try JSONDecoder().decode(StatusEvent.self, from: Data(text.utf8)) == event)
    }
}

@Suite struct MoneyTests {
    @Test func arithmeticRefusesMixedCurrencies() throws {
        let a = Money(10, "EUR")
        #expect(try (a + Money(Decimal(string: "0.05")!, "EUR")).amount == Decimal(string: "10.05")!)
        #expect(throws: CurrencyMismatch.self) { try a + Money(1, "USD") }
    }

    @Test func roundsToMinorUnits() {
        #expect(Money(Decimal(string: "10.005")!, "EUR").rounded().amount == Decimal(string: "10.01")!)
        #expect(Money(Decimal(string: "1234.5")!, "JPY").rounded().amount == 1235)
        #expect(Money(Decimal(string: "1.0005")!, "KWD").rounded().amount == Decimal(string: "1.001")!)
        #expect(Money(Decimal(string: "12.50")!, "EUR").fitsMinorUnits)
        #expect(!Money(Decimal(string: "12.5")!, "JPY").fitsMinorUnits)
    }

    @Test func weightsConvertExactly() {
        #expect(Weight(1, .lb).kilograms == Decimal(string: "0.45359237")!)
        #expect(Weight(500, .g).kilograms == Decimal(string: "0.5")!)
    }
}

@Suite struct ISOTableTests {
    @Test func countriesAreTheFullISOTable() {
        // 249 officially assigned ISO 3166-1 codes, plus XI and XK used by customs.
        #expect(CountryCode.allAssigned.count == 251)
        for code in ["GB", "DE", "US", "CA", "AU", "CH", "NO", "JP", "AX", "BQ", "SS", "XI", "XK"] {
            #expect(CountryCode(code).isAssigned, "\(code)")
        }
        for code in ["UK", "EU", "XX", "gb", "DEU", ""] {
            #expect(!CountryCode(code).isAssigned, "\(code)")
        }
        #expect(CountryCode("DE").alpha3 == "DEU")
        #expect(CountryCode.euMembers.count == 27)
        #expect(CountryCode.euMembers.allSatisfy { $0.isAssigned })
    }

    @Test func currenciesCarryMinorUnits() {
        #expect(CurrencyCode.allAssigned.count >= 180)
        #expect(CurrencyCode("JPY").minorUnits == 0)
        #expect(CurrencyCode("KWD").minorUnits == 3)
        #expect(CurrencyCode("EUR").minorUnits == 2)
        #expect(CurrencyCode("CLF").minorUnits == 4)
        #expect(CurrencyCode("XAU").isAssigned && CurrencyCode("XAU").minorUnits == nil)
        #expect(!CurrencyCode("EURO").isAssigned && !CurrencyCode("RMB").isAssigned)
    }

    /// The committed table is what the committed generator writes from its committed inputs, so a
    /// hand edit or a stale regeneration is caught (python3 is installed by Scripts/setup.sh).
    @Test(.timeLimit(.minutes(1))) func tablesAreWhatTheGeneratorWrites() async throws {
        // Off the cooperative pool: a test blocked in waitUntilExit there starves the others.
        let r = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", Repo.url("Scripts/generate-iso-tables.py").path, "--check"])
        #expect(r.status == 0, "\(r.stderrText)")
    }

    @Test func subdivisionsQualifyEitherForm() {
        #expect(SubdivisionCode("ON").qualified(in: "CA") == "CA-ON")
        #expect(SubdivisionCode("CA-QC").qualified(in: "CA") == "CA-QC")
        #expect(SubdivisionCode("US-NY").qualified(in: "US") == "US-NY")
        #expect(SubdivisionCode("CA-ON").qualified(in: "US") == nil)
        #expect(SubdivisionCode("XX").qualified(in: "CA") == nil)
    }

    @Test func hsCodesNormaliseAndCheck() {
        #expect(HSCode("6109.10.00").rawValue == "61091000")
        #expect(HSCode("6109.10").subheading == "610910")
        #expect(!HSCode("61091").isWellFormed)
        #expect(!HSCode("61A910").isWellFormed)
        let hs = Repo.validator.nomenclature
        #expect(hs.contains("610910"))
        #expect(hs.contains("6109100010"))
        #expect(!hs.contains("999999"))
        #expect(!hs.contains("610999"))
        #expect(hs.subheadingCount == 5612)
    }
}

@Test("HS sections follow the nomenclature's chapter ranges")
func hsSections() {
    let cases: [(String, Int?)] = [("0101", 1), ("0501", 1), ("0601", 2), ("1501", 3), ("2401", 4), ("2501", 5), ("3401", 6), ("3923", 7),
                                   ("4202", 8), ("4602", 9), ("4901", 10), ("6109", 11), ("6302", 11), ("6403", 12), ("7013", 13), ("7113", 14),
                                   ("7323", 15), ("8513", 16), ("8703", 17), ("9105", 18), ("9303", 19), ("9405", 20), ("9617", 20), ("9701", 21),
                                   ("7701", nil), ("9801", nil), ("0001", nil)]
    for (code, section) in cases { #expect(HSCode(rawValue: code).section == section, "\(code)") }
}
