import CustomsModel
import Foundation
import JSONCore
import Risk
import Screening

/// The screening engine on its own, one record at a time, as `customs-hub screen` and
/// `POST /v1/screen` answer it: a party goes to the screening service as is; an order gets its
/// screening report plus a per-line risk assessment.
public enum StandaloneScreening {
    /// The answer's JSON text, and whether the record could be screened (if not, the text is `{"error"}`).
    public static func screen(_ bytes: [UInt8], service: ScreeningService, assessor: RiskAssessor, at now: Date) -> (String, Bool) {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            return (ScreeningService.errorLine(error.description), false)
        }
        guard document["parties"] != nil, let order = try? JSONValueDecoder().decode(Order.self, from: document) else {
            return service.handle(document: document, at: now)
        }
        let report: ScreeningService.OrderReport
        do { report = try service.screenOrder(order, at: now) } catch {
            return (ScreeningService.errorLine(error.description), false)
        }
        var partyDecisions: [String: Decision] = [:]
        for party in report.parties { partyDecisions[party.role ?? "party", default: .clear] = max(partyDecisions[party.role ?? "party"] ?? .clear, party.decision) }
        let signals = RiskSignals(
            partyDecisions: partyDecisions.mapValues(\.rawValue),
            ruleFindings: report.route.map { RuleSignal(subject: $0.subject, action: $0.action.rawValue, ruleID: $0.ruleID) })
        let risk = assessor.assess(order, signals: signals)
        do { return (try CanonicalJSON.encode(OrderWithRisk(report: report, risk: risk)), true) } catch {
            return ("{\"error\":\"unencodable report\"}", false)
        }
    }

    struct OrderWithRisk: Encodable {
        var report: ScreeningService.OrderReport
        var risk: RiskAssessment
        enum CodingKeys: String, CodingKey { case risk }
        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(risk, forKey: .risk)
        }
    }
}
