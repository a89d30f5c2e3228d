import ArgumentParser
import Foundation
import HubContent
import JSONCore
import Tariff

/// `customs-hub quote`: landed cost for JSON-lines requests, one JSON line out per line in.
struct QuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Quote duty, import VAT/GST and fees for JSON-lines requests (stdin or a file).",
        discussion: """
            Each input line is one request:
              {"id","date":"YYYY-MM-DD","destination","destination_region"?,"origin","ship_from","currency",
               "lines":[{"hs_code","description","quantity","value","net_weight_kg"?,"litres"?,"origin"?,"duty_rate"?}],
               "shipping","insurance","incoterm":"DDP|DAP","channel":"postal|courier|air_cargo|air_formal|ocean_formal",
               "seller_registrations":["GB_VAT"|"IOSS"|"VOEC"|"AU_GST_LVG"],"consignment_type":"B2C|B2B|gift_private_to_private",
               "preference_claimed"?,"fx"?:[{"from","to","rate"}],"pack_versions"?:{"pack-id":"version"}}
            Each output line is a quote, or {"id","error":{"field","message"}} when the request cannot be priced.
            Packs are read from Data/packs (or --packs).
            """)

    @Option(name: .long, help: "Read requests from this file instead of stdin.")
    var input: String?

    @Option(name: .long, help: "Pack directory (default: Data/packs under the content root).")
    var packs: String?

    @Flag(name: .long, help: "Keep running on stdin and pick up new pack versions (SIGHUP, or a changed file within 2 s).")
    var watch = false

    func run() throws {
        // The input is opened first: a closed stdin or a directory is refused before packs load.
        let source: InputFile
        do { source = try InputFile(input) } catch {
            Self.log("quote: \(error)")
            throw ExitCode(2)
        }
        let dir: URL
        if let packs { dir = URL(fileURLWithPath: packs, isDirectory: true) } else { dir = try ContentRoot.locate().file("Data/packs") }
        let library = TariffPackLibrary(directory: dir)
        let report = library.reload()
        for e in report.errors { Self.log("pack error: \(e)") }
        if watch {
            Self.log("loaded \(library.loaded.count) packs in \(String(format: "%.2f", report.seconds)) s; watching \(dir.path)")
            Task.detached {
                await library.watch { r in
                    for a in r.added { Self.log("reloaded: \(a) is now current") }
                    for e in r.errors { Self.log("pack error (previous packs stay in use): \(e)") }
                }
            }
        }
        // One line in, one answer out, as each line arrives (the command can sit behind a pipe);
        // a line longer than the line limit, or an input that cannot be read, stops with exit 2.
        var out = ""
        let batch = input != nil
        do {
            while let raw = try source.nextLine() {
                let line = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                out += JSONText.render(Self.answer(line, lineNo: source.lineNumber, library: library)) + "\n"
                if !batch || out.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(out.utf8))
                    out = ""
                }
            }
        } catch {
            FileHandle.standardOutput.write(Data(out.utf8))
            Self.log("quote: \(error)")
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func answer(_ line: String, lineNo: Int, library: TariffPackLibrary) -> JSONValue {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            return QuoteError("$", "input line \(lineNo) is not JSON: \(error)").json(id: nil)
        }
        return QuoteEngine.answer(value) { pins in try library.book(pins: pins) }
    }
}
