import CustomsModel
import Foundation
import JSONCore
import Mapping

// MARK: - Responses: what a gateway answer means

extension AdapterCatalog {
    /// What a gateway's HTTP answer means, by the adapter's response rules. Unmatched answers are
    /// `unknown`: never assume success.
    public func interpret(status: Int, body: [UInt8], adapter id: String) throws(AdapterError) -> ResponseOutcome {
        AdapterDefinition.interpret(status: status, body: body, rules: try adapter(id).responses)
    }
}

extension AdapterDefinition {
    /// What a gateway's HTTP answer means by `rules`; an answer no rule matches is `unknown`.
    public static func interpret(status: Int, body: [UInt8], rules: [ResponseRule]) -> ResponseOutcome {
        guard let rule = rules.first(where: { $0.matches(status) }) else {
            return ResponseOutcome(outcome: .unknown, status: status, reference: nil, reasons: [])
        }
        let json = try? JSONParser.parse(body)
        let reference = rule.reference.flatMap { json?.value(atPointer: $0) }.flatMap(\.scalarText)
        var reasons: [StatusEvent.GatewayError] = []
        if let pointer = rule.reasons, let found = json?.value(atPointer: pointer) {
            for item in found.arrayValue ?? [found] {
                // Without named fields, a reason object's own `message` and `code` are taken.
                let message = item[rule.reasonMessage ?? "message"].flatMap(\.scalarText) ?? item.scalarText
                let code = item[rule.reasonCode ?? "code"].flatMap(\.scalarText) ?? "\(status)"
                reasons.append(.init(code: code, message: message))
            }
        }
        return ResponseOutcome(outcome: rule.outcome, status: status, reference: reference, reasons: reasons)
    }
}
