import ArgumentParser
import CustomsModel
import Foundation
import Hub
import Pipeline
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

    /// Bad options are refused with exit 2 (the CLI convention for bad usage).
    func validate() throws {
        if let problem = Thresholds(review: reviewThreshold, block: blockThreshold).problem {
            Output.error("screen: \(problem)")
            throw ExitCode(2)
        }
        if let asOf, asOf.count != 10 || Timestamp.parse(asOf + "T00:00:00Z") == nil {
            Output.error("screen: --as-of \(asOf): expected a real calendar date YYYY-MM-DD")
            throw ExitCode(2)
        }
    }

    func run() throws {
        let now: Date
        if let asOf {
            guard asOf.count == 10, let date = Timestamp.parse(asOf + "T00:00:00Z") else {
                throw ValidationError("--as-of \(asOf): expected a real calendar date YYYY-MM-DD")
            }
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
        for status in service.listStatuses(at: now) where (status.ageDays ?? 0) < 0 {
            Output.error("--as-of \(asOf ?? "today") is before list \(status.list) \(status.version) was published (\(status.published ?? "?")); screening against a list from the future is refused")
            throw ExitCode(2)
        }
        for status in service.listStatuses(at: now) where status.stale {
            Output.error("warning: list \(status.list) \(status.version) is \(status.ageDays.map { "\($0) days old" } ?? "undated") (stale)")
        }
        var failed = false
        var out = Data()
        for record in RecordInput.records(bytes, forceLines: jsonl) {
            let (screened, ok) = Self.screen(record.bytes, service: service, assessor: assessor, at: now)
            var output = screened
            if !ok {
                failed = true
                // The error line says which input line (and which id, when it has one) it is about.
                let message = (try? JSONParser.parse(output))?["error"]?.stringValue ?? output
                let id = (try? JSONParser.parse(record.bytes))?["id"]?.stringValue
                var fields: [(String, JSONValue)] = [("line", .number(String(record.line))), ("error", .string(message))]
                if let id { fields.insert(("id", .string(id)), at: 1) }
                output = JSONWriter.write(.object(JSONObject(fields)))
                Output.error("line \(record.line)\(id.map { " (id \($0))" } ?? ""): \(message)")
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
        StandaloneScreening.screen(bytes, service: service, assessor: assessor, at: now)
    }

    /// The lists and rules, loaded the way the hub loads them.
    static func loadService(root: ContentRoot, thresholds: Thresholds) throws -> ScreeningService {
        try EngineLoader(root: root).screening(thresholds: thresholds)
    }
}
