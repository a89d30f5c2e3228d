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
        discussion: Help.text(
            """
            Reads JSON lines (or one JSON document) from FILE or stdin: a party {"id"?, "name", "type"?: person|organization|vessel|aircraft, \
            "country"?, "date_of_birth"?, "identifiers"?} or a canonical order. Writes one JSON line per input, in order, \
            with decision clear|review|block, score, matches with evidence and the list versions used; an order also gets \
            its route/goods rule findings and a per-line risk assessment that sends only flagged lines to review. \
            A record that cannot be screened gets {"line", "id"?, "error"} in its place and exit 1.
            """,
            example: "customs-hub screen --at 2026-11-25 Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))

    @Argument(help: "Parties or orders (JSON lines or one JSON document); - or nothing for stdin.")
    var file: String?

    @Flag(name: .long, help: "Treat the input as JSON lines even if it is a single document.")
    var jsonl = false

    @Option(name: .customLong("at"), help: "Screen as of this date (YYYY-MM-DD or RFC 3339; default: now): list staleness and rule effective dates.")
    var at: String?

    @Option(name: .customLong("as-of"), help: .hidden)
    var oldAsOf: String?

    var asOf: String? { at ?? oldAsOf }

    /// `--at` as a date: a calendar day is midnight UTC.
    static func date(_ text: String) -> Date? {
        if text.count == 10 { return Timestamp.parse(text + "T00:00:00Z") }
        return Timestamp.parse(text)
    }

    @Option(name: .customLong("review-threshold"), help: "Score from which a match goes to review.")
    var reviewThreshold: Double = Thresholds.standard.review

    @Option(name: .customLong("block-threshold"), help: "Score from which a match blocks.")
    var blockThreshold: Double = Thresholds.standard.block

    /// Bad options are refused with exit 2 (the CLI convention for bad usage).
    func validate() throws {
        if let problem = Thresholds(review: reviewThreshold, block: blockThreshold).problem {
            throw ValidationError(problem)
        }
        if at != nil && oldAsOf != nil { throw ValidationError("give --at once (--as-of is its old spelling)") }
        if let asOf, Self.date(asOf) == nil {
            throw ValidationError("--at \(asOf): expected a real calendar date YYYY-MM-DD or an RFC 3339 time")
        }
    }

    func run() throws {
        let now: Date
        if let asOf {
            guard let date = Self.date(asOf) else {
                throw ValidationError("--at \(asOf): expected a real calendar date YYYY-MM-DD or an RFC 3339 time")
            }
            now = date
        } else {
            now = Date()
        }
        let records = try Input.recordList(file, forceLines: jsonl)
        if records.isEmpty { return }
        // Records that cannot be screened are refused before the lists load (seconds): input
        // made only of such records never waits for them.
        let refusals = records.map { record -> String? in
            let document: JSONValue
            do { document = try JSONParser.parse(record.bytes) } catch { return ScreeningService.errorLine("\(error)") }
            return ScreeningService.refusal(document: document)
        }
        if !records.isEmpty, refusals.allSatisfy({ $0 != nil }) {
            for (record, refusal) in zip(records, refusals) { FileHandle.standardOutput.write(Data((Self.refused(record, output: refusal!) + "\n").utf8)) }
            Progress("screen", total: records.count).finish(Self.summary(records.count, refused: records.count))
            throw ExitCode(Exit.refused)
        }
        // A date before a publication the manifest states is refused before the lists load (seconds).
        if let asOf, let root = try? ContentRoot.locate(),
           let manifest = try? ListManifest.decode(try root.read("Data/sanctions/manifest.json")) {
            for entry in manifest.lists {
                guard let text = entry.published, let published = Timestamp.parse(text), now < published else { continue }
                Diagnostics.say("--at \(asOf) is before list \(entry.id) was published (\(text)); screening against a list from the future is refused")
                throw ExitCode(2)
            }
        }
        let service: ScreeningService
        let assessor: RiskAssessor
        do {
            let root = try ContentRoot.locate()
            service = try Self.loadService(root: root, thresholds: Thresholds(review: reviewThreshold, block: blockThreshold))
            assessor = RiskAssessor(policy: try RiskPolicy.decode(try root.read("Data/risk/risk_policy.json")))
        } catch {
            Diagnostics.say("cannot load screening lists or rules: \(error)")
            throw ExitCode(3)
        }
        for status in service.listStatuses(at: now) where (status.ageDays ?? 0) < 0 {
            Diagnostics.say("--at \(asOf ?? "today") is before list \(status.list) \(status.version) was published (\(status.published ?? "?")); screening against a list from the future is refused")
            throw ExitCode(2)
        }
        for status in service.listStatuses(at: now) where status.stale {
            let snapshot = service.snapshotLists.contains(status.list) ? "; the snapshot shipped with the hub: `customs-hub data update` fetches the current list" : ""
            Diagnostics.say("warning: list \(status.list) \(status.version) is \(status.ageDays.map { "\($0) days old" } ?? "undated") (stale\(snapshot))")
        }
        var failed = 0
        var out = Data()
        let progress = Progress("screen", total: records.count)
        for (record, refusal) in zip(records, refusals) {
            progress.step()
            let (screened, ok) = refusal.map { ($0, false) } ?? Self.screen(record.bytes, service: service, assessor: assessor, at: now)
            var output = screened
            if !ok {
                failed += 1
                output = Self.refused(record, output: output)
            }
            out.append(Data((output + "\n").utf8))
            if out.count > 1 << 16 {
                FileHandle.standardOutput.write(out)
                out.removeAll()
            }
        }
        FileHandle.standardOutput.write(out)
        progress.finish(Self.summary(records.count, refused: failed))
        if failed > 0 { throw ExitCode(Exit.refused) }
    }

    /// The summary line that ends every run, refused records or not.
    static func summary(_ count: Int, refused: Int) -> String {
        "\(count) record\(count == 1 ? "" : "s") screened, \(refused) refused"
    }

    /// The error line of a refused record says which input line (and which id, when it has one) it is about.
    static func refused(_ record: RecordInput.Record, output: String) -> String {
        let message = (try? JSONParser.parse(output))?["error"]?.stringValue ?? output
        let id = (try? JSONParser.parse(record.bytes))?["id"]?.stringValue
        var fields: [(String, JSONValue)] = [("line", .number(String(record.line))), ("error", .string(message))]
        if let id { fields.insert(("id", .string(id)), at: 1) }
        Diagnostics.say("line \(record.line)\(id.map { " (id \($0))" } ?? ""): \(message)")
        return JSONWriter.write(.object(JSONObject(fields)))
    }

    /// An order gets screening plus risk; anything else (a party, or input with errors) goes to the service as is.
    static func screen(_ bytes: [UInt8], service: ScreeningService, assessor: RiskAssessor, at now: Date) -> (String, Bool) {
        StandaloneScreening.screen(bytes, service: service, assessor: assessor, at: now)
    }

    /// The lists and rules, loaded the way the hub loads them.
    static func loadService(root: ContentRoot, thresholds: Thresholds) throws -> ScreeningService {
        var loader = EngineLoader(root: root)
        loader.screeningCachePath = DataFolder.screeningCache
        return try loader.screening(thresholds: thresholds)
    }
}
