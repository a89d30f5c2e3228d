import JSONCore
import Mapping
import Risk
import Screening

// The screening report and the risk assessment as `JSONValueEncoder()` encodes them (members in
// key order by UTF-8 bytes, an absent optional left out, a `Double` in its shortest form), built
// member by member: `evaluate` encodes both for every order, and the `Codable` path (a container
// and a coding path per value) cost about 2,400 instructions an order for what these build in a
// fraction. `nil` when a number is not finite, which the encoder refuses too. `EngineJSONTests`
// holds them equal to the encoder's.

extension ScreeningService.OrderReport {
    var jsonValue: JSONValue? {
        var parties: [JSONValue] = []
        parties.reserveCapacity(self.parties.count)
        for party in self.parties {
            guard let p = party.jsonValue else { return nil }
            parties.append(p)
        }
        return .object(JSONObject(distinct: [
            ("decision", .string(decision.rawValue)), ("id", .string(id)),
            ("list_versions", .array(listVersions.map(\.jsonValue))), ("parties", .array(parties)),
            ("route", .array(route.map(\.jsonValue))),
        ]))
    }
}

extension ScreeningService.PartyReport {
    var jsonValue: JSONValue? {
        guard let score = EngineJSON.number(score) else { return nil }
        var matches: [JSONValue] = []
        matches.reserveCapacity(self.matches.count)
        for match in self.matches {
            // Hits are rare and their evidence deep: the encoder's own path.
            guard let m = try? JSONValueEncoder().encode(match) else { return nil }
            matches.append(m)
        }
        var m: [(key: String, value: JSONValue)] = [("decision", .string(decision.rawValue)), ("embargo", .array(embargo.map(\.jsonValue)))]
        if let id { m.append(("id", .string(id))) }
        if let listVersions { m.append(("list_versions", .array(listVersions.map(\.jsonValue)))) }
        m.append(("matches", .array(matches)))
        m.append(("name", .string(name)))
        if let role { m.append(("role", .string(role))) }
        m.append(("score", score))
        return .object(JSONObject(distinct: m))
    }
}

extension ScreeningService.ListStatus {
    var jsonValue: JSONValue {
        var m: [(key: String, value: JSONValue)] = []
        if let ageDays { m.append(("age_days", .number(String(ageDays)))) }
        m.append(("list", .string(list)))
        if let published { m.append(("published", .string(published))) }
        m.append(("stale", .bool(stale)))
        m.append(("version", .string(version)))
        return .object(JSONObject(distinct: m))
    }
}

extension RuleFinding {
    var jsonValue: JSONValue {
        .object(JSONObject(distinct: [
            ("action", .string(action.rawValue)), ("authority", .string(authority)), ("detail", .string(detail)),
            ("programme", .string(programme)), ("rule_id", .string(ruleID)), ("subject", .string(subject)),
        ]))
    }
}

extension RiskAssessment {
    var jsonValue: JSONValue? {
        var lines: [JSONValue] = []
        lines.reserveCapacity(self.lines.count)
        for line in self.lines {
            guard let l = line.jsonValue else { return nil }
            lines.append(l)
        }
        var parties: [JSONValue] = []
        for party in self.parties {
            guard let reasons = EngineJSON.reasons(party.reasons) else { return nil }
            parties.append(.object(JSONObject(distinct: [("reasons", reasons), ("role", .string(party.role)), ("route", .string(party.route.rawValue))])))
        }
        return .object(JSONObject(distinct: [
            ("action", .string(action.rawValue)), ("flagged_lines", .array(flaggedLines.map(JSONValue.string))), ("lines", .array(lines)),
            ("parties", .array(parties)), ("policy_version", .string(policyVersion)),
        ]))
    }
}

extension LineRisk {
    var jsonValue: JSONValue? {
        guard let score = EngineJSON.number(score), let reasons = EngineJSON.reasons(reasons) else { return nil }
        return .object(JSONObject(distinct: [("line_id", .string(lineID)), ("reasons", reasons), ("route", .string(route.rawValue)), ("score", score)]))
    }
}

extension [MappingNote] {
    /// The notes of a rendered filing, as the encoder writes them (`message`, `path`, `rule`, every one
    /// a string): each filing's decision carries them, and they are almost always none.
    var jsonValue: JSONValue {
        .array(map { note in
            .object(JSONObject(distinct: [("message", .string(note.message)), ("path", .string(note.path)), ("rule", .string(note.rule))]))
        })
    }
}

enum EngineJSON {
    static func reasons(_ reasons: [RiskReason]) -> JSONValue? {
        var out: [JSONValue] = []
        out.reserveCapacity(reasons.count)
        for r in reasons {
            guard let weight = number(r.weight) else { return nil }
            out.append(.object(JSONObject(distinct: [("code", .string(r.code)), ("detail", .string(r.detail)), ("weight", weight)])))
        }
        return .array(out)
    }

    /// A `Double` as the encoder writes it: its shortest form, `2` rather than `2.0`.
    static func number(_ value: Double) -> JSONValue? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}
