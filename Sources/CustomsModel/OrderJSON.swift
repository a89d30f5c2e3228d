import Foundation
import JSONCore

/// The order as `JSONValueEncoder` encodes it (`CanonicalJSON`'s tree: members in sorted key order,
/// absent optionals left out, amounts and weights as decimal strings), built member by member.
/// Every filing maps this tree; through `Codable` it cost as much as a tenth of a render. Held equal
/// to `JSONValueEncoder().encode(order)` in `ModelJSONTests` on every fixture and on orders with every
/// optional field set and none.
extension Order {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(11)
        m.append(("contents_type", .string(contentsType.rawValue)))
        m.append(("created_at", .string(Timestamp.format(createdAt))))
        m.append(("currency", .string(currency.rawValue)))
        m.append(("external_reference", .string(externalReference)))
        if let id { m.append(("id", .string(id))) }
        m.append(("idempotency_key", .string(idempotencyKey)))
        m.append(("lines", .array(lines.map(\.jsonValue))))
        m.append(("merchant_id", .string(merchantID)))
        m.append(("parties", .array(parties.map(\.jsonValue))))
        m.append(("shipment", shipment.jsonValue))
        m.append(("transaction_type", .string(transactionType.rawValue)))
        return .object(JSONObject(distinct: m))
    }
}

extension Party {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(11)
        m.append(("address_lines", .array(addressLines.map(JSONValue.string))))
        m.append(("city", .string(city)))
        if let company { m.append(("company", .string(company))) }
        m.append(("country", .string(country.rawValue)))
        if let email { m.append(("email", .string(email))) }
        m.append(("name", .string(name)))
        if let phone { m.append(("phone", .string(phone))) }
        if let postalCode { m.append(("postal_code", .string(postalCode))) }
        if let region { m.append(("region", .string(region))) }
        m.append(("role", .string(role.rawValue)))
        m.append(("tax_ids", .array(taxIDs.map(\.jsonValue))))
        return .object(JSONObject(distinct: m))
    }
}

extension TaxIdentifier {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = [("kind", .string(kind.rawValue))]
        if let label { m.append(("label", .string(label))) }
        m.append(("value", .string(value)))
        return .object(JSONObject(distinct: m))
    }
}

extension Shipment {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(11)
        if let carrier { m.append(("carrier", .string(carrier))) }
        m.append(("destination_country", .string(destinationCountry.rawValue)))
        if let destinationRegion { m.append(("destination_region", .string(destinationRegion.rawValue))) }
        if let incoterm { m.append(("incoterm", .string(incoterm.rawValue))) }
        if let insuranceCharge { m.append(("insurance_charge", insuranceCharge.jsonValue)) }
        if let movement {
            let sorted = movement.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            m.append(("movement", .object(JSONObject(distinct: sorted.map { ($0.key, JSONValue.string($0.value)) }))))
        }
        m.append(("parcels", .array(parcels.map(\.jsonValue))))
        if let service { m.append(("service", .string(service))) }
        m.append(("ship_from_country", .string(shipFromCountry.rawValue)))
        if let shippingCharge { m.append(("shipping_charge", shippingCharge.jsonValue)) }
        if let transportMode { m.append(("transport_mode", .string(transportMode.rawValue))) }
        return .object(JSONObject(distinct: m))
    }
}

extension Parcel {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        if let dimensions { m.append(("dimensions", dimensions.jsonValue)) }
        if let grossWeight { m.append(("gross_weight", grossWeight.jsonValue)) }
        if let reference { m.append(("reference", .string(reference))) }
        return .object(JSONObject(distinct: m))
    }
}

extension OrderLine {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        m.reserveCapacity(15)
        if let brand { m.append(("brand", .string(brand))) }
        m.append(("description", .string(description)))
        if let hsCode { m.append(("hs_code", .string(hsCode.rawValue))) }
        if let intendedUse { m.append(("intended_use", .string(intendedUse))) }
        if let lineID { m.append(("line_id", .string(lineID))) }
        m.append(("line_value", lineValue.jsonValue))
        if let material { m.append(("material", .string(material))) }
        if let netWeight { m.append(("net_weight", netWeight.jsonValue)) }
        if let originCountry { m.append(("origin_country", .string(originCountry.rawValue))) }
        if let preferenceClaim { m.append(("preference_claim", preferenceClaim.jsonValue)) }
        if let productURL { m.append(("product_url", .string(productURL))) }
        m.append(("quantity", .string(quantity.plainString)))
        if let sku { m.append(("sku", .string(sku))) }
        m.append(("unit_of_measure", .string(unitOfMeasure.rawValue)))
        m.append(("unit_value", unitValue.jsonValue))
        return .object(JSONObject(distinct: m))
    }
}

extension PreferenceClaim {
    public var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = [("agreement", .string(agreement))]
        if let proof { m.append(("proof", .string(proof))) }
        if let statement { m.append(("statement", .string(statement))) }
        return .object(JSONObject(distinct: m))
    }
}

extension Weight {
    public var jsonValue: JSONValue {
        .object(JSONObject(distinct: [("unit", .string(unit.rawValue)), ("value", .string(value.plainString))]))
    }
}

extension Dimensions {
    public var jsonValue: JSONValue {
        .object(JSONObject(distinct: [
            ("height", .string(height.plainString)), ("length", .string(length.plainString)), ("unit", .string(unit.rawValue)),
            ("width", .string(width.plainString)),
        ]))
    }
}

extension Money {
    public var jsonValue: JSONValue {
        .object(JSONObject(distinct: [("amount", .string(amountText)), ("currency", .string(currency.rawValue))]))
    }
}
