import CustomsModel
import Foundation
import JSONCore

/// The `screen` command's engine: one JSON line in (a party or a canonical order), one JSON line
/// out. Pure: the lists, rules and clock are handed in.
public struct ScreeningService: Sendable {
    public let screener: Screener
    public let rules: RouteRules
    public let maxListAgeDays: Int
    /// The lists (by id) whose manifest entry marks them as snapshots shipped with the content.
    public let snapshotLists: Set<String>

    public init(screener: Screener, rules: RouteRules, maxListAgeDays: Int, snapshotLists: Set<String> = []) {
        self.screener = screener
        self.rules = rules
        self.maxListAgeDays = maxListAgeDays
        self.snapshotLists = snapshotLists
    }

    /// A party line: `{"id"?, "name", "type"?, "country"?, "date_of_birth"?, "identifiers"?}`.
    public struct PartyRequest: Decodable, Sendable {
        public var id: String?
        public var name: String
        public var type: EntityType?
        public var country: CountryCode?
        public var dateOfBirth: String?
        public var identifiers: [String]?

        enum CodingKeys: String, CodingKey {
            case id, name, type, country
            case dateOfBirth = "date_of_birth"
            case identifiers
        }
    }

    public struct ListStatus: Hashable, Sendable, Codable {
        public var list: String
        public var version: String
        public var published: String?
        public var ageDays: Int?
        public var stale: Bool

        enum CodingKeys: String, CodingKey {
            case list, version, published
            case ageDays = "age_days"
            case stale
        }
    }

    public struct Match: Hashable, Sendable, Encodable {
        public var list: String
        public var entryID: String
        public var name: String
        public var matchedName: String
        public var score: Double
        public var decision: Decision
        public var programmes: [String]
        public var evidence: MatchEvidence

        enum CodingKeys: String, CodingKey {
            case list
            case entryID = "entry_id"
            case name
            case matchedName = "matched_name"
            case score, decision, programmes, evidence
        }

        init(_ hit: ScreeningHit) {
            list = hit.list
            entryID = hit.entryID
            name = hit.name
            matchedName = hit.matchedName
            score = hit.score
            decision = hit.decision
            programmes = hit.programmes
            evidence = hit.evidence
        }
    }

    public struct PartyReport: Sendable, Encodable {
        public var id: String?
        public var role: String?
        public var name: String
        public var decision: Decision
        public var score: Double
        public var matches: [Match]
        public var embargo: [RuleFinding]
        public var listVersions: [ListStatus]?

        enum CodingKeys: String, CodingKey {
            case id, role, name, decision, score, matches, embargo
            case listVersions = "list_versions"
        }
    }

    public struct OrderReport: Sendable, Encodable {
        public var id: String
        public var decision: Decision
        public var parties: [PartyReport]
        public var route: [RuleFinding]
        public var listVersions: [ListStatus]

        enum CodingKeys: String, CodingKey {
            case id, decision, parties, route
            case listVersions = "list_versions"
        }
    }

    /// Age and staleness of each list at `now`.
    public func listStatuses(at now: Date) -> [ListStatus] {
        screener.index.versions.map {
            ListStatus(
                list: $0.listID, version: $0.version, published: $0.published.map(Timestamp.format), ageDays: $0.ageInDays(at: now),
                stale: $0.isStale(at: now, maxAgeDays: maxListAgeDays))
        }
    }

    /// The stale lists at `now` that an alert counts. A demo (`countingSnapshots: false`) leaves out
    /// the snapshots shipped with the content, whose age is the sample data's and is said once when
    /// it starts; a list `data update` fetched counts there too, and everywhere else every stale list does.
    public func staleLists(at now: Date, countingSnapshots: Bool) -> [ListStatus] {
        listStatuses(at: now).filter { $0.stale && (countingSnapshots || !snapshotLists.contains($0.list)) }
    }

    /// Screens one party: its name against the lists, its country against the country rules.
    public func screenParty(_ request: PartyRequest, at now: Date) throws(ScreeningInputError) -> PartyReport {
        try Self.check(request)
        let dob = request.dateOfBirth.flatMap(BirthDate.parse)
        let query = ScreeningQuery(id: request.id, name: request.name, type: request.type, country: request.country, dateOfBirth: dob, identifiers: request.identifiers ?? [])
        var report = report(for: query, role: nil)
        if let country = request.country {
            let route = RouteContext(destination: country)
            report.embargo = rules.evaluate(route: route, on: now).filter { $0.subject == "destination" }.map {
                var f = $0
                f.subject = "party"
                return f
            }
            report.decision = max(report.decision, report.embargo.map(\.action).max() ?? .clear)
        }
        report.listVersions = listStatuses(at: now)
        return report
    }

    /// Screens every party of an order (person and company names) and checks route and goods rules.
    /// A party name that is empty or over the length limit refuses the order, naming the field.
    public func screenOrder(_ order: Order, at now: Date) throws(ScreeningInputError) -> OrderReport {
        try Self.check(order)
        var parties: [PartyReport] = []
        for party in order.parties {
            let person = ScreeningQuery(name: party.name, country: party.country,
                                        identifiers: party.taxIDs.map(\.value))
            parties.append(report(for: person, role: party.role.rawValue))
            if let company = party.company, !company.trimmingWhitespace().isEmpty {
                let org = ScreeningQuery(name: company, type: .organization, country: party.country, identifiers: party.taxIDs.map(\.value))
                parties.append(report(for: org, role: party.role.rawValue))
            }
        }
        let lines = order.lines.enumerated().map { i, line in
            GoodsLine(id: line.lineID ?? String(i + 1), hsCode: line.hsCode, description: line.description)
        }
        let route = rules.evaluate(route: RouteContext(order: order), lines: lines, on: now)
        let decision = max(parties.map(\.decision).max() ?? .clear, route.map(\.action).max() ?? .clear)
        return OrderReport(id: order.id ?? order.externalReference, decision: decision, parties: parties, route: route, listVersions: listStatuses(at: now))
    }

    private func report(for query: ScreeningQuery, role: String?) -> PartyReport {
        let result = screener.screen(query)
        return PartyReport(
            id: query.id, role: role, name: query.name, decision: result.decision, score: result.score, matches: result.hits.map(Match.init),
            embargo: [], listVersions: nil)
    }

    /// Why a party cannot be screened (its name or date of birth), checked without the lists.
    public static func check(_ request: PartyRequest) throws(ScreeningInputError) {
        if let problem = ScreeningLimits.problem(name: request.name) { throw ScreeningInputError(path: "name", message: problem) }
        if let text = request.dateOfBirth, BirthDate.parse(text) == nil {
            throw ScreeningInputError(path: "date_of_birth", message: "\"\(text)\" is not YYYY, YYYY-MM or YYYY-MM-DD")
        }
    }

    /// Why an order's parties cannot be screened (a name or company empty or over the limit).
    public static func check(_ order: Order) throws(ScreeningInputError) {
        for (i, party) in order.parties.enumerated() {
            if let problem = ScreeningLimits.problem(name: party.name) { throw ScreeningInputError(path: "parties[\(i)].name", message: problem) }
            if let company = party.company, !company.trimmingWhitespace().isEmpty,
                let problem = ScreeningLimits.problem(name: company)
            {
                throw ScreeningInputError(path: "parties[\(i)].company", message: problem)
            }
        }
    }

    /// The error line `handle(document:at:)` would answer for a record that cannot be screened,
    /// found without the lists: a command can refuse such input before it spends seconds loading them.
    public static func refusal(document: JSONValue) -> String? {
        let decoder = JSONValueDecoder()
        do {
            if try decoder.decode(Probe.self, from: document).parties != nil {
                try check(try decoder.decode(Order.self, from: document))
            } else {
                try check(try decoder.decode(PartyRequest.self, from: document))
            }
            return nil
        } catch let error as ScreeningInputError {
            return errorLine(error.description)
        } catch let error as DecodingError {
            return errorLine(ScreeningInputError(error).description)
        } catch {
            return errorLine("\(error)")
        }
    }

    /// One input line to one output line. Bad input gives `{"error": …}` naming the field, never a crash.
    public func handle(line: String, at now: Date) -> (output: String, ok: Bool) {
        let document: JSONValue
        do { document = try JSONParser.parse(line) } catch {
            return (Self.errorLine(error.description), false)
        }
        return handle(document: document, at: now)
    }

    /// One parsed record to one output line (`handle(line:at:)` without the parse).
    public func handle(document: JSONValue, at now: Date) -> (output: String, ok: Bool) {
        let decoder = JSONValueDecoder()
        do {
            let probe = try decoder.decode(Probe.self, from: document)
            if probe.parties != nil {
                let order = try decoder.decode(Order.self, from: document)
                return (try CanonicalJSON.encode(screenOrder(order, at: now)), true)
            }
            let request = try decoder.decode(PartyRequest.self, from: document)
            return (try CanonicalJSON.encode(screenParty(request, at: now)), true)
        } catch let error as ScreeningInputError {
            return (Self.errorLine(error.description), false)
        } catch let error as DecodingError {
            return (Self.errorLine(ScreeningInputError(error).description), false)
        } catch {
            return (Self.errorLine("\(error)"), false)
        }
    }

    private struct Probe: Decodable {
        var parties: [IgnoredValue]?
    }

    private struct IgnoredValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    public static func errorLine(_ message: String) -> String {
        (try? CanonicalJSON.encode(["error": message])) ?? "{\"error\":\"unprintable error\"}"
    }
}

/// Bad input, with the field path it concerns.
public struct ScreeningInputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(_ error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let ctx): self.init(path: path(ctx.codingPath + [key]), message: "missing")
        case .typeMismatch(let type, let ctx):
            let at = path(ctx.codingPath)
            self.init(path: at, message: "expected " + (at.isEmpty ? "a JSON object (a party or an order)" : Self.jsonName(type)))
        case .valueNotFound(let type, let ctx): self.init(path: path(ctx.codingPath), message: "expected \(Self.jsonName(type)), found null")
        case .dataCorrupted(let ctx): self.init(path: path(ctx.codingPath), message: ctx.debugDescription)
        @unknown default: self.init(path: "", message: "\(error)")
        }
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// What a field wants in JSON's words, not Swift's (`Dictionary<String, Any>` is `a JSON object`).
    static func jsonName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Dictionary") { return "a JSON object" }
        if name.hasPrefix("Array") { return "a JSON array" }
        switch name {
        case "String": return "a string"
        case "Bool": return "true or false"
        case "Int", "Int64", "Double", "Decimal": return "a number"
        default: return name
        }
    }
}
