import CustomsModel
import Foundation

/// The risk policy as dated data (`Data/risk/risk_policy.json`): reason weights, the review
/// threshold, plausible minimum unit values, high-risk countries, document requirements and which
/// destinations release an order in part. Tuning risk is a data change.
public struct RiskPolicy: Hashable, Sendable, Codable {
    public var version: String
    /// A line or party at or above this score goes to review.
    public var reviewThreshold: Double
    public var weights: Weights
    public var unitValueFloors: [UnitValueFloor]
    public var highRiskCountries: [CountryCode]
    public var documentRequirements: [DocumentRequirement]
    /// Destinations whose customs release the clean lines of an order while flagged lines are held.
    public var partialReleaseDestinations: [CountryCode]

    public struct Weights: Hashable, Sendable, Codable {
        public var undervaluation: Double
        public var classificationMismatch: Double
        public var highRiskOrigin: Double
        public var restrictedGoods: Double
        public var missingDocument: Double
        public var screeningReview: Double
        public var screeningBlock: Double

        enum CodingKeys: String, CodingKey {
            case undervaluation
            case classificationMismatch = "classification_mismatch"
            case highRiskOrigin = "high_risk_origin"
            case restrictedGoods = "restricted_goods"
            case missingDocument = "missing_document"
            case screeningReview = "screening_review"
            case screeningBlock = "screening_block"
        }
    }

    /// Below `minimum` per unit (in `currency`) a declared value is implausibly low for goods under `hsPrefix`.
    public struct UnitValueFloor: Hashable, Sendable, Codable {
        public var hsPrefix: String
        public var currency: CurrencyCode
        public var minimum: Decimal
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case hsPrefix = "hs_prefix"
            case currency, minimum, note
        }
    }

    public struct DocumentRequirement: Hashable, Sendable, Codable {
        public var hsPrefix: String
        /// `*` for every destination.
        public var destinations: [String]
        public var document: String

        enum CodingKeys: String, CodingKey {
            case hsPrefix = "hs_prefix"
            case destinations, document
        }
    }

    enum CodingKeys: String, CodingKey {
        case version
        case reviewThreshold = "review_threshold"
        case weights
        case unitValueFloors = "unit_value_floors"
        case highRiskCountries = "high_risk_countries"
        case documentRequirements = "document_requirements"
        case partialReleaseDestinations = "partial_release_destinations"
    }

    public static func decode(_ data: Data) throws -> RiskPolicy {
        let policy = try JSONDecoder().decode(RiskPolicy.self, from: data)
        guard (0...1).contains(policy.reviewThreshold) else { throw RiskPolicyError("review_threshold must be between 0 and 1") }
        let w = policy.weights
        for (name, value) in [
            ("undervaluation", w.undervaluation), ("classification_mismatch", w.classificationMismatch), ("high_risk_origin", w.highRiskOrigin),
            ("restricted_goods", w.restrictedGoods), ("missing_document", w.missingDocument), ("screening_review", w.screeningReview),
            ("screening_block", w.screeningBlock),
        ] where !(0...1).contains(value) {
            throw RiskPolicyError("weights.\(name) must be between 0 and 1")
        }
        return policy
    }
}

public struct RiskPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Facts from the other engines about one order, handed in as values so Risk stays independent of them.
public struct RiskSignals: Hashable, Sendable {
    /// Screening decision per party role (`consignee`, `buyer`…): `review` or `block` make the party a risk.
    public var partyDecisions: [String: String]
    /// Route and goods rule findings: (subject such as `line:2` or `destination`, action `review`/`block`, rule id).
    public var ruleFindings: [RuleSignal]
    /// The classifier's HS code per line id whose declared code it disputes, by the pipeline's one
    /// rule (`Pipeline.disputingCode`: sure of its own reading, or the declared code outside its
    /// prediction set). An unsure disagreement is not handed in: the merchant's code stands there.
    public var disputedCodes: [String: HSCode]
    /// Documents the merchant supplied, per line id (`*` for the whole order).
    public var documents: [String: Set<String>]

    public init(partyDecisions: [String: String] = [:], ruleFindings: [RuleSignal] = [], disputedCodes: [String: HSCode] = [:], documents: [String: Set<String>] = [:]) {
        self.partyDecisions = partyDecisions
        self.ruleFindings = ruleFindings
        self.disputedCodes = disputedCodes
        self.documents = documents
    }
}

public struct RuleSignal: Hashable, Sendable {
    public var subject: String
    public var action: String
    public var ruleID: String
    public init(subject: String, action: String, ruleID: String) {
        self.subject = subject
        self.action = action
        self.ruleID = ruleID
    }
}

public struct RiskReason: Hashable, Sendable, Codable {
    public var code: String
    public var weight: Double
    public var detail: String
}

public enum RiskRoute: String, Hashable, Sendable, Codable {
    /// Goes on to filing.
    case `continue`
    /// Held for a person, with its reasons.
    case review
    /// Must not ship (an embargo or a blocked party).
    case block
}

public struct LineRisk: Hashable, Sendable, Codable {
    public var lineID: String
    public var score: Double
    public var route: RiskRoute
    public var reasons: [RiskReason]

    enum CodingKeys: String, CodingKey {
        case lineID = "line_id"
        case score, route, reasons
    }
}

public struct PartyRisk: Hashable, Sendable, Codable {
    public var role: String
    public var route: RiskRoute
    public var reasons: [RiskReason]
}

public enum OrderAction: String, Hashable, Sendable, Codable {
    /// Every line and party is clean.
    case release
    /// Clean lines continue; flagged lines wait for review (the destination allows it).
    case partialRelease = "partial_release"
    /// Something is flagged and the destination releases only whole declarations, or a party is flagged.
    case holdForReview = "hold_for_review"
    case block
}

public struct RiskAssessment: Hashable, Sendable, Codable {
    public var policyVersion: String
    public var action: OrderAction
    public var lines: [LineRisk]
    public var parties: [PartyRisk]
    /// Lines that go to review or are blocked: the review queue gets these, not the whole manifest.
    public var flaggedLines: [String]

    enum CodingKeys: String, CodingKey {
        case policyVersion = "policy_version"
        case action, lines, parties
        case flaggedLines = "flagged_lines"
    }
}

/// Scores every line of an order and routes only what is flagged. Reasons combine as a noisy-or
/// (1 − Π(1 − wᵢ)): independent doubts add up but never pass 1, and one strong reason suffices.
public struct RiskAssessor: Sendable {
    public let policy: RiskPolicy

    public init(policy: RiskPolicy) { self.policy = policy }

    public func assess(_ order: Order, signals: RiskSignals = RiskSignals()) -> RiskAssessment {
        let destination = order.shipment.destinationCountry
        var lines: [LineRisk] = []
        for (i, line) in order.lines.enumerated() {
            let id = line.lineID ?? String(i + 1)
            var reasons: [RiskReason] = []
            var blocked = false
            if let hs = line.hsCode?.rawValue,
                let floor = policy.unitValueFloors.filter({ hs.hasPrefix($0.hsPrefix) && $0.currency == line.unitValue.currency })
                    .max(by: { $0.hsPrefix.count < $1.hsPrefix.count }),
                line.unitValue.amount < floor.minimum
            {
                reasons.append(RiskReason(
                    code: "undervaluation", weight: policy.weights.undervaluation,
                    detail: "unit value \(line.unitValue.amount) \(line.unitValue.currency) below \(floor.minimum) typical minimum for HS \(floor.hsPrefix)"))
            }
            // Risk reads no classifier: it is told which declared codes are disputed, whatever the heading.
            if let declared = line.hsCode, let classified = signals.disputedCodes[id] {
                reasons.append(RiskReason(
                    code: "classification_mismatch", weight: policy.weights.classificationMismatch,
                    detail: "declared HS \(declared.rawValue) disputed: the classifier reads the description as \(classified.rawValue)"))
            }
            if let origin = line.originCountry, policy.highRiskCountries.contains(origin) {
                reasons.append(RiskReason(code: "high_risk_origin", weight: policy.weights.highRiskOrigin, detail: "origin \(origin.rawValue)"))
            }
            for finding in signals.ruleFindings where finding.subject == "line:\(id)" {
                reasons.append(RiskReason(code: "restricted_goods", weight: policy.weights.restrictedGoods, detail: "rule \(finding.ruleID) (\(finding.action))"))
                if finding.action == "block" { blocked = true }
            }
            if let hs = line.hsCode?.rawValue {
                let supplied = (signals.documents[id] ?? []).union(signals.documents["*"] ?? [])
                for requirement in policy.documentRequirements where hs.hasPrefix(requirement.hsPrefix)
                    && (requirement.destinations.contains("*") || requirement.destinations.contains(destination.rawValue))
                    && !supplied.contains(requirement.document)
                {
                    reasons.append(RiskReason(code: "missing_document", weight: policy.weights.missingDocument, detail: "\(requirement.document) not supplied"))
                }
            }
            let score = Self.combine(reasons.map(\.weight))
            let route: RiskRoute = blocked ? .block : score >= policy.reviewThreshold ? .review : .continue
            lines.append(LineRisk(lineID: id, score: Self.rounded(score), route: route, reasons: reasons))
        }

        var parties: [PartyRisk] = []
        for (role, decision) in signals.partyDecisions.sorted(by: { $0.key < $1.key }) where decision != "clear" {
            let weight = decision == "block" ? policy.weights.screeningBlock : policy.weights.screeningReview
            let route: RiskRoute = decision == "block" ? .block : weight >= policy.reviewThreshold ? .review : .continue
            parties.append(PartyRisk(role: role, route: route, reasons: [RiskReason(code: "screening_hit", weight: weight, detail: "party screening: \(decision)")]))
        }
        let orderBlocked = signals.ruleFindings.contains { !$0.subject.hasPrefix("line:") && $0.action == "block" }
        let flagged = lines.filter { $0.route != .continue }.map(\.lineID)
        let action: OrderAction
        if orderBlocked || parties.contains(where: { $0.route == .block }) || lines.contains(where: { $0.route == .block }) && !policy.partialReleaseDestinations.contains(destination) {
            action = .block
        } else if parties.contains(where: { $0.route == .review }) || (!flagged.isEmpty && !policy.partialReleaseDestinations.contains(destination)) {
            action = .holdForReview
        } else if !flagged.isEmpty && flagged.count < lines.count {
            action = .partialRelease
        } else if !flagged.isEmpty {
            action = .holdForReview
        } else {
            action = .release
        }
        return RiskAssessment(policyVersion: policy.version, action: action, lines: lines, parties: parties, flaggedLines: flagged)
    }

    static func combine(_ weights: [Double]) -> Double {
        1 - weights.reduce(1) { $0 * (1 - min(1, max(0, $1))) }
    }

    static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
