import JSONCore
import Mapping
import Risk
import Screening

// The screening report and the risk assessment written as `JSONValueEncoder()` encodes them
// (members in key order by UTF-8 bytes, an absent optional left out, a `Double` in its shortest
// form), member by member into the order's texts: `evaluate` writes both for every order, and
// neither a `Codable` pass nor a tree is needed for that. `nil` when a number is not finite, which
// the encoder refuses too; the writer then holds a partial text, which the caller drops.
// `EngineJSONTests` holds the texts equal to the encoder's.

extension ScreeningService.OrderReport {
    /// Where the parts the decisions show again were written: the list versions, and per party the
    /// party, its matches and its embargo findings.
    struct WrittenParts {
        var lists: Range<Int>
        var parties: [(party: Range<Int>, matches: Range<Int>, embargo: Range<Int>)]
    }

    func writeJSON(into w: inout JSONTextWriter) -> WrittenParts? {
        w.beginObject()
        w.key("decision"); w.string(decision.rawValue)
        w.key("id"); w.string(id)
        w.key("list_versions")
        let listsStart = w.position
        w.beginArray()
        for l in listVersions { l.writeJSON(into: &w) }
        w.endArray()
        let lists = listsStart..<w.position
        w.key("parties")
        w.beginArray()
        var parties: [(party: Range<Int>, matches: Range<Int>, embargo: Range<Int>)] = []
        parties.reserveCapacity(self.parties.count)
        for party in self.parties {
            guard let written = party.writeJSON(into: &w) else { return nil }
            parties.append(written)
        }
        w.endArray()
        w.key("route")
        w.beginArray()
        for finding in route { finding.writeJSON(into: &w) }
        w.endArray()
        w.endObject()
        return WrittenParts(lists: lists, parties: parties)
    }
}

extension ScreeningService.PartyReport {
    func writeJSON(into w: inout JSONTextWriter) -> (party: Range<Int>, matches: Range<Int>, embargo: Range<Int>)? {
        guard score.isFinite else { return nil }
        let start = w.position
        w.beginObject()
        w.key("decision"); w.string(decision.rawValue)
        w.key("embargo")
        let embargoStart = w.position
        w.beginArray()
        for finding in embargo { finding.writeJSON(into: &w) }
        w.endArray()
        let embargoRange = embargoStart..<w.position
        if let id { w.key("id"); w.string(id) }
        if let listVersions {
            w.key("list_versions")
            w.beginArray()
            for l in listVersions { l.writeJSON(into: &w) }
            w.endArray()
        }
        w.key("matches")
        let matchesStart = w.position
        w.beginArray()
        for match in matches {
            // Hits are rare and their evidence deep: the encoder's own path.
            guard let m = try? JSONValueEncoder().encode(match) else { return nil }
            w.value(m)
        }
        w.endArray()
        let matchesRange = matchesStart..<w.position
        w.key("name"); w.string(name)
        if let role { w.key("role"); w.string(role) }
        w.key("score"); w.number(score)
        w.endObject()
        return (start..<w.position, matchesRange, embargoRange)
    }
}

extension ScreeningService.ListStatus {
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        if let ageDays { w.key("age_days"); w.number(ageDays) }
        w.key("list"); w.string(list)
        if let published { w.key("published"); w.string(published) }
        w.key("stale"); w.bool(stale)
        w.key("version"); w.string(version)
        w.endObject()
    }
}

extension RuleFinding {
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        w.key("action"); w.string(action.rawValue)
        w.key("authority"); w.string(authority)
        w.key("detail"); w.string(detail)
        w.key("programme"); w.string(programme)
        w.key("rule_id"); w.string(ruleID)
        w.key("subject"); w.string(subject)
        w.endObject()
    }
}

extension RiskAssessment {
    /// Where each line's risk and its reasons were written (the decisions show them again).
    func writeJSON(into w: inout JSONTextWriter) -> [(line: Range<Int>, reasons: Range<Int>)]? {
        w.beginObject()
        w.key("action"); w.string(action.rawValue)
        w.key("flagged_lines", strings: flaggedLines)
        w.key("lines")
        w.beginArray()
        var written: [(line: Range<Int>, reasons: Range<Int>)] = []
        written.reserveCapacity(lines.count)
        for line in lines {
            guard let parts = line.writeJSON(into: &w) else { return nil }
            written.append(parts)
        }
        w.endArray()
        w.key("parties")
        w.beginArray()
        for party in parties {
            w.beginObject()
            w.key("reasons")
            guard EngineJSON.writeReasons(party.reasons, into: &w) else { return nil }
            w.key("role"); w.string(party.role)
            w.key("route"); w.string(party.route.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("policy_version"); w.string(policyVersion)
        w.endObject()
        return written
    }
}

extension LineRisk {
    func writeJSON(into w: inout JSONTextWriter) -> (line: Range<Int>, reasons: Range<Int>)? {
        guard score.isFinite else { return nil }
        let start = w.position
        w.beginObject()
        w.key("line_id"); w.string(lineID)
        w.key("reasons")
        let reasonsStart = w.position
        guard EngineJSON.writeReasons(reasons, into: &w) else { return nil }
        let reasonsRange = reasonsStart..<w.position
        w.key("route"); w.string(route.rawValue)
        w.key("score"); w.number(score)
        w.endObject()
        return (start..<w.position, reasonsRange)
    }
}

extension [MappingNote] {
    /// The notes of a rendered filing, as the encoder writes them (`message`, `path`, `rule`, every one
    /// a string): each filing's decision carries them, and they are almost always none.
    func writeJSON(into w: inout JSONTextWriter) {
        w.beginArray()
        for note in self {
            w.beginObject()
            w.key("message"); w.string(note.message)
            w.key("path"); w.string(note.path)
            w.key("rule"); w.string(note.rule)
            w.endObject()
        }
        w.endArray()
    }
}

enum EngineJSON {
    /// Risk reasons; false (and a partial text) when a weight is not finite.
    static func writeReasons(_ reasons: [RiskReason], into w: inout JSONTextWriter) -> Bool {
        w.beginArray()
        for r in reasons {
            guard r.weight.isFinite else { return false }
            w.beginObject()
            w.key("code"); w.string(r.code)
            w.key("detail"); w.string(r.detail)
            w.key("weight"); w.number(r.weight)
            w.endObject()
        }
        w.endArray()
        return true
    }
}
