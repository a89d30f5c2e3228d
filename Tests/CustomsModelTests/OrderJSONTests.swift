import CustomsModel
import Foundation
import JSONCore
import Testing

/// `Order.jsonValue` is what every filing maps: it must be `JSONValueEncoder`'s tree, member for
/// member and in the same order, or a golden message would change.
@Suite struct OrderJSONValueTests {
    static func text(_ v: JSONValue) -> String { JSONWriter.write(v) }

    @Test(arguments: try Repo.files(in: "Fixtures/orders/valid"))
    func fixturesEncodeAsTheEncoderDoes(name: String) throws {
        let data = try Data(contentsOf: Repo.url("Fixtures/orders/valid/\(name)"))
        let order = try CanonicalJSON.decoder().decode(Order.self, from: data)
        #expect(Self.text(order.jsonValue) == Self.text(try JSONValueEncoder().encode(order)))
    }

    @Test func everyOptionalFieldAndNone() throws {
        let weight = Weight(Decimal(string: "0.250")!, .kg)
        let full = Order(
            id: "ord-1", merchantID: "m", externalReference: "R-1", idempotencyKey: "k", createdAt: Date(timeIntervalSince1970: 1_780_000_000.25),
            currency: "JPY", transactionType: .b2b, contentsType: .returnedGoods,
            parties: [
                Party(role: .seller, name: "Ñame \"q\"", company: "Co", addressLines: ["1 St", "Fl 2"], city: "Town", postalCode: "P1", region: "R",
                      country: "CN", email: "a@b.c", phone: "+1", taxIDs: [TaxIdentifier(kind: .eori, value: "GB1", label: "L"), TaxIdentifier(kind: .vat, value: "V")]),
                Party(role: .consignee, name: "C", addressLines: [], city: "X", country: "GB"),
            ],
            shipment: Shipment(
                shipFromCountry: "CN", destinationCountry: "GB", destinationRegion: SubdivisionCode(rawValue: "GB-ENG"), incoterm: Incoterm(rawValue: "DDP"),
                transportMode: .air, carrier: "dhl", service: "express",
                parcels: [Parcel(reference: "P", grossWeight: weight, dimensions: Dimensions(length: 10, width: Decimal(string: "2.5")!, height: 1, unit: .cm)), Parcel()],
                shippingCharge: Money(Decimal(string: "1200")!, "JPY"), insuranceCharge: Money(Decimal(string: "0.5")!, "KWD"),
                movement: ["b": "2", "a": "1", "Z": "0", "é": "3", "a_b": "4"]),
            lines: [
                OrderLine(lineID: "1", sku: "S", description: "Cotton", material: "cotton", intendedUse: "wear", brand: "B", productURL: "https://x/y",
                          quantity: Decimal(string: "1.50")!, unitOfMeasure: UnitCode(rawValue: "KGM"), unitValue: Money(Decimal(string: "10")!, "JPY"),
                          lineValue: Money(Decimal(string: "15")!, "JPY"), netWeight: Weight(3, .lb), originCountry: "VN", hsCode: HSCode(rawValue: "6110.20"),
                          preferenceClaim: PreferenceClaim(agreement: "UK-VN", proof: "statement", statement: "text")),
                OrderLine(description: "Plain", quantity: 2, unitValue: Money(1, "USD"), lineValue: Money(2, "USD"),
                          preferenceClaim: PreferenceClaim(agreement: "A")),
            ])
        var bare = full
        bare.id = nil
        bare.parties = []
        bare.lines = []
        bare.shipment = Shipment(shipFromCountry: "CN", destinationCountry: "GB")
        for order in [full, bare] {
            #expect(Self.text(order.jsonValue) == Self.text(try JSONValueEncoder().encode(order)))
        }
    }
}
