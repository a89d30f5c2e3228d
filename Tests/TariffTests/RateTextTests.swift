import CustomsModel
import Foundation
import Testing

@testable import Tariff

@Suite struct RateTextTests {
    func eval(_ text: String, value: String, items: String = "1", kg: String? = nil, currency: CurrencyCode = "USD") throws -> Decimal {
        try RateTextParser.parse(text).evaluate(
            customsValue: d(value), quantities: LineQuantities(items: d(items), netKilograms: kg.map(d)), currency: currency
        ) { _, _ in nil }
    }

    @Test func usTextsBecomeComponents() {
        #expect(RateTextParser.parse("16.5%").base == [.adValorem(d("0.165"))])
        #expect(RateTextParser.parse("Free").base.isEmpty && RateTextParser.parse("Free").isPriceable)
        #expect(RateTextParser.parse("4.4¢/kg + 7.5%").base == [
            .specific(amount: d("0.044"), currency: "USD", per: 1, unit: .kg), .adValorem(d("0.075")),
        ])
        #expect(RateTextParser.parse("$1.21/kg").base == [.specific(amount: d("1.21"), currency: "USD", per: 1, unit: .kg)])
        #expect(RateTextParser.parse("44¢ each").base == [.specific(amount: d("0.44"), currency: "USD", per: 1, unit: .item)])
        #expect(RateTextParser.parse("5.1¢/doz. + 3%").base.first == .specific(amount: d("0.051"), currency: "USD", per: 1, unit: .dozen))
        #expect(RateTextParser.parse("19.8¢/liter").base == [.specific(amount: d("0.198"), currency: "USD", per: 1, unit: .litre)])
    }

    @Test func ukAndEUTextsWithClamps() {
        let watch = RateTextParser.parse("4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item")
        #expect(watch.base == [.adValorem(d("0.045"))])
        #expect(watch.minimum == [.specific(amount: d("0.30"), currency: "EUR", per: 1, unit: .item)])
        #expect(watch.maximum == [.specific(amount: d("0.80"), currency: "EUR", per: 1, unit: .item)])
        #expect(RateTextParser.parse("14.00% + 17.00 GBP/100kg").base == [
            .adValorem(d("0.14")), .specific(amount: 17, currency: "GBP", per: 100, unit: .kg),
        ])
        #expect(RateTextParser.parse("0.20 GBP/ item").base == [.specific(amount: d("0.20"), currency: "GBP", per: 1, unit: .item)])
        #expect(RateTextParser.parse("2.50 EUR / 1,000 items").base == [.specific(amount: d("2.50"), currency: "EUR", per: 1000, unit: .item)])
        #expect(RateTextParser.parse("9.00 EUR / hl").base == [.specific(amount: 9, currency: "EUR", per: 100, unit: .litre)])
    }

    /// Texts whose quantity basis the engine cannot know stay unpriceable with the raw text kept.
    @Test func componentAndQualifiedTextsAreRefused() {
        for t in [
            "44¢ each + 6% on the case + 14% on the strap, band or bracelet + 5.3% on the battery",
            "11.00% + 17.00 EUR / 100 kg / net drained wt", "Entry Price", "12.0% (1 JAN-31 MAY, 1 NOV-31 DEC), 8.0% (1 JUN-31 OCT)",
            "The rate applicable to the natural juice in heading 2009", "",
        ] {
            let r = RateTextParser.parse(t)
            #expect(!r.isPriceable, "\(t)")
            #expect(r.raw == t)
        }
    }

    /// Research note 3, spot checks: HTS 6505.00.30 "25.4¢/kg + 7.7%" is compound; EU CET 9102 11 00
    /// "4.5% MIN 0.30 MAX 0.80 EUR/item" clamps per item.
    @Test func evaluationToTheCent() throws {
        #expect(try eval("25.4¢/kg + 7.7%", value: "100", kg: "2") == d("8.208"))
        let watch = "4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item"
        #expect(try eval(watch, value: "100", items: "10", currency: "EUR") == d("4.5"))
        #expect(try eval(watch, value: "10", items: "10", currency: "EUR") == d("3"))
        #expect(try eval(watch, value: "1000", items: "10", currency: "EUR") == d("8"))
        #expect(throws: RateEvaluationError.missingQuantity(.kg)) { try eval("25.4¢/kg + 7.7%", value: "100") }
        #expect(throws: RateEvaluationError.noExchangeRate("EUR")) { try eval(watch, value: "100", items: "10", currency: "GBP") }
    }
}

@Suite struct DecimalTextTests {
    /// The fast mantissa reader must agree with Foundation wherever it is used.
    @Test func fastTextMatchesFoundation() {
        #expect(DecimalLayout.verified)
        for s in ["0", "7", "-12.345", "22.80", "0.0001", "1234567890123.45", "-0.5", "100", "33.58", "1E3", "99999999999999999999.5"] {
            let v = d(s)
            #expect(v.text == v.description, "\(s)")
        }
        #expect(d("22.8").fixed(2) == "22.80")
        #expect(d("2100").fixed(0) == "2100")
        #expect(d("5").fixed(2) == "5.00")
        #expect(Decimal.fastPlain("12.50") == d("12.5"))
        #expect(Decimal.fastPlain("-0.003") == d("-0.003"))
        #expect(Decimal.fastPlain("1e3") == nil && Decimal.parseExact("1e3") == d("1000"))
        #expect(Decimal.fastPlain("12a") == nil && Decimal.fastPlain("") == nil && Decimal.fastPlain(".") == nil)
    }
}
