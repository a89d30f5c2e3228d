import ArgumentParser
import CustomsModel
import Foundation
import Hub
import HubContent
import JSONCore
import Risk
import Screening

/// `customs-hub screen`: denied-party and embargo screening of JSON lines (parties or orders).
struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen parties or orders against sanctions lists and embargo rules.",
        discussion: """
            Reads JSON lines (or one JSON document) from FILE or stdin: a party {"id"?, "name", "type"?: person|organization|vessel|aircraft, \
            "country"?, "date_of_birth"?, "identifiers"?} or a canonical order. Writes one JSON line per input, in order, \
            with decision clear|review|block, score, matches with evidence and the list versions used; an order also gets \
            its route/goods rule findings and a per-line risk assessment that sends only flagged lines to review. \
            Exit status: 0 all lines screened, 1 some line unreadable (its output line is {"error"}), 2 input unreadable, \
            3 lists or rules cannot be loaded.
            """)

    @Argument(help: "JSON lines file, or - for stdin.")
    var file: String = "-"

    @Flag(name: .long, help: "Treat the input as JSON lines even if it is a single document.")
    var jsonl = false

    @Option(name: .customLong("as-of"), help: "Date for list staleness and rule effective dates (YYYY-MM-DD; default: today).")
    var asOf: String?

    @Option(name: .customLong("review-threshold"), help: "Score from which a match goes to review.")
    var reviewThreshold: Double = Thresholds.standard.review

    @Option(name: .customLong("block-threshold"), help: "Score from which a match blocks.")
    var blockThreshold: Double = Thresholds.standard.block

    func run() throws {
        let now: Date
        if let asOf {
            guard let date = Timestamp.parse(asOf + "T00:00:00Z") else { throw ValidationError("--as-of \(asOf): expected YYYY-MM-DD") }
            now = date
        } else {
            now = Date()
        }
        let bytes: [UInt8]
        do { bytes = try RecordInput.read(file) } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let service: ScreeningService
        let assessor: RiskAssessor
        do {
            let root = try ContentRoot.locate()
            service = try Self.loadService(root: root, thresholds: Thresholds(review: reviewThreshold, block: blockThreshold))
            assessor = RiskAssessor(policy: try RiskPolicy.decode(try root.read("Data/risk/risk_policy.json")))
        } catch {
            Output.error("cannot load screening lists or rules: \(error)")
            throw ExitCode(3)
        }
        for status in service.listStatuses(at: now) where status.stale {
            Output.error("warning: list \(status.list) \(status.version) is \(status.ageDays.map { "\($0) days old" } ?? "undated") (stale)")
        }
        var failed = false
        var out = Data()
        for record in RecordInput.records(bytes, forceLines: jsonl) {
            let (output, ok) = Self.screen(record.bytes, service: service, assessor: assessor, at: now)
            if !ok {
                failed = true
                Output.error("line \(record.line): \(output)")
            }
            out.append(Data((output + "\n").utf8))
            if out.count > 1 << 16 {
                FileHandle.standardOutput.write(out)
                out.removeAll()
            }
        }
        FileHandle.standardOutput.write(out)
        if failed { throw ExitCode(1) }
    }

    /// An order gets screening plus risk; anything else (a party, or input with errors) goes to the service as is.
    static func screen(_ bytes: [UInt8], service: ScreeningService, assessor: RiskAssessor, at now: Date) -> (String, Bool) {
        let line = String(decoding: bytes, as: UTF8.self)
        guard (try? JSONParser.parse(bytes))?["parties"] != nil, let order = try? JSONDecoder().decode(Order.self, from: Data(bytes)) else {
            return service.handle(line: line, at: now)
        }
        let report = service.screenOrder(order, at: now)
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

    /// The lists and rules, loaded the way the hub loads them.
    static func loadService(root: ContentRoot, thresholds: Thresholds) throws -> ScreeningService {
        try EngineLoader(root: root).screening(thresholds: thresholds)
    }
}
