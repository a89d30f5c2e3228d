import CustomsModel
import Foundation
import JSONCore

/// Which adapters an order needs, as data (`Data/routes/routes.json`). Rules are tried in order and
/// the first that matches wins, so specific rules go first and a catch-all last. An integrator
/// changes routing by editing the file; it is checked at load (unknown adapters, unknown keys,
/// malformed values), with errors that name the rule and the field.
public struct RouteTable: Sendable, Hashable {
    /// The most adapters one rule names: the reference numbers an order may need.
    public var widestRoute: Int {
        // A loop: the key-path `map` cost about 19,000 instructions a submit.
        var widest = 0
        for i in rules.indices { widest = max(widest, rules[i].adapters.count) }
        return widest
    }

    public struct Rule: Sendable, Hashable {
        public var id: String
        /// Country codes, `EU` (any member state) or `*`.
        public var destinations: [String]
        /// Empty means any mode.
        public var transportModes: [TransportMode]
        /// Carrier names, compared case-insensitively; empty means any carrier.
        public var carriers: [String]
        /// Merchant ids; empty means any merchant (an EDIFACT partner's merchants, for example).
        public var merchants: [String]
        /// Goods value bounds, inclusive of `maxValue`, in their own currency (see `matches`).
        public var minValue: Money?
        public var maxValue: Money?
        public var adapters: [String]
        public var note: String?
    }

    public var version: String
    public var rules: [Rule]

    public init(version: String, rules: [Rule]) { self.version = version; self.rules = rules }

    /// A rule that matched, with the reason a value bound could not be checked (if any).
    public struct Match: Sendable, Hashable {
        public var rule: Rule
        public var skipped: [String]
    }

    /// The first rule that matches. `goodsValue` gives the order's goods value in other currencies
    /// (the order's own, and the destination's from the quote); a value bound in a currency not
    /// offered cannot be checked, so that rule is skipped and the reason reported.
    public func route(_ order: Order, goodsValue: [Money]) -> Match? {
        var skipped: [String] = []
        for rule in rules {
            let d = order.shipment.destinationCountry
            guard rule.destinations.contains(where: { $0 == "*" || $0 == d.rawValue || ($0 == "EU" && d.isEUMember) }) else { continue }
            if !rule.transportModes.isEmpty {
                guard let mode = order.shipment.transportMode, rule.transportModes.contains(mode) else { continue }
            }
            if !rule.carriers.isEmpty {
                guard let carrier = order.shipment.carrier?.lowercased(), rule.carriers.contains(where: { $0.lowercased() == carrier }) else { continue }
            }
            if !rule.merchants.isEmpty, !rule.merchants.contains(order.merchantID) { continue }
            var valueOK = true
            for (bound, isMax) in [(rule.minValue, false), (rule.maxValue, true)] {
                guard let bound else { continue }
                guard let value = goodsValue.first(where: { $0.currency == bound.currency }) else {
                    skipped.append("\(rule.id): goods value in \(bound.currency.rawValue) unknown (no FX rate)")
                    valueOK = false
                    break
                }
                if isMax ? value.amount > bound.amount : value.amount < bound.amount { valueOK = false }
            }
            if valueOK { return Match(rule: rule, skipped: skipped) }
        }
        return nil
    }
}

/// A routes file that cannot be used; every problem, each naming its rule and field.
public struct RouteLoadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [String]
    public var description: String { problems.map { "\(file): \($0)" }.joined(separator: "\n") }
}

extension RouteTable {
    /// Reads the routes file. `adapters` are the adapters the catalog loaded: a route to any other
    /// is a load error, not a failure on the first order that takes it.
    public static func load(_ text: String, file: String, adapters: Set<String>) throws(RouteLoadError) -> RouteTable {
        var problems: [String] = []
        let document: JSONValue
        do { document = try JSONParser.parse(text) } catch {
            throw RouteLoadError(file: file, problems: ["\(error)"])
        }
        guard let root = document.objectValue else { throw RouteLoadError(file: file, problems: ["$: expected an object"]) }
        for key in root.keys where !["version", "rules", "description"].contains(key) { problems.append("\(key): unknown key") }
        let version = root["version"]?.stringValue ?? ""
        if version.isEmpty { problems.append("version: missing or not a string") }
        guard let items = root["rules"]?.arrayValue, !items.isEmpty else {
            throw RouteLoadError(file: file, problems: problems + ["rules: missing, empty or not an array"])
        }
        var rules: [Rule] = []
        var ids = Set<String>()
        let known: Set<String> = ["id", "when", "adapters", "note"]
        let knownWhen: Set<String> = ["destinations", "transport_modes", "carriers", "merchants", "min_value", "max_value"]
        for (i, item) in items.enumerated() {
            let at = "rules[\(i)]"
            guard let o = item.objectValue else { problems.append("\(at): expected an object"); continue }
            for key in o.keys where !known.contains(key) { problems.append("\(at).\(key): unknown key (expected \(known.sorted().joined(separator: ", ")))") }
            let id = o["id"]?.stringValue ?? ""
            if id.isEmpty { problems.append("\(at).id: missing") } else if !ids.insert(id).inserted { problems.append("\(at).id: \(id) is used twice") }
            let when = o["when"]?.objectValue ?? JSONObject()
            if o["when"] != nil && o["when"]?.objectValue == nil { problems.append("\(at).when: expected an object") }
            for key in when.keys where !knownWhen.contains(key) {
                problems.append("\(at).when.\(key): unknown condition (expected \(knownWhen.sorted().joined(separator: ", ")))")
            }
            func strings(_ key: String) -> [String] {
                guard let v = when[key] else { return [] }
                guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
                    problems.append("\(at).when.\(key): expected an array of strings"); return []
                }
                return a.compactMap(\.stringValue)
            }
            let destinations = when["destinations"] == nil ? ["*"] : strings("destinations")
            for (j, d) in destinations.enumerated() where d != "*" && d != "EU" && !CountryCode(d).isAssigned {
                problems.append("\(at).when.destinations[\(j)]: \(d) is not a country code, EU or *")
            }
            var modes: [TransportMode] = []
            for (j, m) in strings("transport_modes").enumerated() {
                if let mode = TransportMode(rawValue: m) { modes.append(mode) } else {
                    problems.append("\(at).when.transport_modes[\(j)]: \(m) is not one of \(TransportMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            func money(_ key: String) -> Money? {
                guard let v = when[key] else { return nil }
                guard let m = v.objectValue, let amountText = m["amount"]?.stringValue, let currency = m["currency"]?.stringValue,
                      let amount = Decimal(exactly: amountText), CurrencyCode(currency).isAssigned, amount >= 0 else {
                    problems.append("\(at).when.\(key): expected {\"amount\": \"150\", \"currency\": \"EUR\"} with a decimal string and an ISO 4217 code")
                    return nil
                }
                return Money(amount, CurrencyCode(currency))
            }
            var targets: [String] = []
            if let a = o["adapters"]?.arrayValue, !a.isEmpty {
                for (j, v) in a.enumerated() {
                    guard let name = v.stringValue else { problems.append("\(at).adapters[\(j)]: expected a string"); continue }
                    if !adapters.contains(name) {
                        problems.append("\(at).adapters[\(j)]: unknown adapter \(name) (loaded: \(adapters.sorted().joined(separator: ", ")))")
                    }
                    targets.append(name)
                }
            } else {
                problems.append("\(at).adapters: missing or empty")
            }
            rules.append(Rule(id: id, destinations: destinations, transportModes: modes, carriers: strings("carriers"),
                              merchants: strings("merchants"), minValue: money("min_value"), maxValue: money("max_value"),
                              adapters: targets, note: o["note"]?.stringValue))
        }
        guard problems.isEmpty else { throw RouteLoadError(file: file, problems: problems) }
        return RouteTable(version: version, rules: rules)
    }
}
