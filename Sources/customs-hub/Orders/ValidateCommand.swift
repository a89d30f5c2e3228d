import ArgumentParser
import CustomsModel
import Foundation
import HubContent
import JSONCore

/// `customs-hub validate`: checks orders at the source and says exactly what to fix.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check canonical orders (JSON or JSON lines) and list every problem with its field path.",
        discussion: Help.text(
            """
            Writes one JSON line per order: {"line", "valid", "external_reference", "problems": [{"path", "code", "message", \
            "severity"}]}; exit 1 when some order is not valid. An order that is not JSON gets {"line", "valid": false, \
            "error": {"message", "line", "column"}} in its place (exit 1).
            """,
            example: "customs-hub validate Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))

    @Argument(help: "Order file (one JSON document or JSON lines); - or nothing for stdin.")
    var file: String?

    @Flag(name: .long, help: "Treat the input as JSON lines even if it is a single document.")
    var jsonl = false

    struct Report: Encodable {
        var line: Int?
        var valid: Bool
        var externalReference: String?
        var problems: [ValidationProblem]
        var error: ReadError?

        enum CodingKeys: String, CodingKey {
            case line, valid
            case externalReference = "external_reference"
            case problems, error
        }
    }

    struct ReadError: Encodable {
        var message: String
        var line: Int
        var column: Int
    }

    func run() throws {
        let records = try Input.recordList(file, forceLines: jsonl)
        let validator = try loadValidatorOrExit()
        var worst: Int32 = 0
        for record in records {
            switch validator.check(bytes: record.bytes) {
            case .unreadable(let e):
                let line = record.line + e.position.line - 1
                Output.line(Report(
                    line: record.line, valid: false, problems: [],
                    error: ReadError(message: e.message, line: line, column: e.position.column)))
                worst = max(worst, Exit.refused)
            case .checked(let order, let problems):
                let valid = order != nil && !problems.contains { $0.severity == .error }
                Output.line(Report(line: record.line, valid: valid, externalReference: order?.externalReference, problems: problems))
                if !valid { worst = max(worst, 1) }
            }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}
