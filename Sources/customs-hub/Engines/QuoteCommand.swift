import ArgumentParser
import Foundation
import HubContent
import JSONCore
import Tariff
import UnixSignals

/// `customs-hub quote`: landed cost for JSON-lines requests, one JSON line out per line in.
struct QuoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quote",
        abstract: "Quote duty, import VAT/GST and fees for JSON-lines requests (stdin or a file).",
        discussion: Help.text(
            """
            Each input line is one request:
              {"id", "date": "YYYY-MM-DD", "destination", "destination_region"?,
               "origin", "ship_from", "currency",
               "lines": [{"hs_code", "description", "quantity", "value",
                          "net_weight_kg"?, "litres"?, "origin"?, "duty_rate"?}],
               "shipping", "insurance", "incoterm": "DDP|DAP",
               "channel": "postal|courier|air_cargo|air_formal|ocean_formal",
               "seller_registrations": ["GB_VAT"|"IOSS"|"VOEC"|"AU_GST_LVG"],
               "consignment_type": "B2C|B2B|gift_private_to_private",
               "preference_claimed"?, "fx"?: [{"from", "to", "rate"}],
               "pack_versions"?: {"pack-id": "version"}}
            destination_region is an ISO 3166-2 subdivision of the destination ("ON" or "CA-ON"); any other is an \
            error. duty_rate is a fraction (0.12) or a percentage ("12%"); hs_code may be left out of a line that carries it, \
            and takes dots, spaces and hyphens (Japan's 9-digit 6109.10-010). preference_claimed is read like a broker reads \
            it (programme code, name or alias, any case or punctuation); a claim naming no programme is an error. \
            Each output line is a quote, money as {"amount": "12.50", "currency": "EUR"} and rates as decimal strings, \
            with "warnings" and "data_sources" (each pack's source date and age), or {"line", "id", "error": {"field", \
            "message", "candidates"?}} when the request cannot be priced (exit 1); a code too short to decide lists the \
            national lines under it with their rates. Requests may also be pretty-printed documents one after another. \
            Packs are read from Data/packs in the content folder (--content DIR), or from --packs alone; a \
            jurisdiction's tariff (measures and nomenclature) is read when the first request goes there.
            """,
            example: "customs-hub quote Fixtures/quote/eu-ddp.jsonl"))

    @Argument(help: "Requests (JSON lines or documents one after another); - or nothing for stdin.")
    var file: String?

    @Option(name: .long, help: .hidden)
    var input: String?

    @Option(name: .long, help: "Only the packs under this folder (default: Data/packs in the content folder).")
    var packs: String?

    @Flag(name: .long, help: "Keep running on stdin and pick up new pack versions (SIGHUP, or a changed file within 2 s).")
    var watch = false

    func run() throws {
        // The input is opened first: a closed stdin or a directory is refused before packs load.
        let reader = try Input.records(try Input.path(file, deprecated: input))
        // Without --watch the packs load for the first request that is JSON (about a second, more in a
        // debug build), so an input that cannot be read (closed stdin, an endless line), an empty one
        // or one of refused records only is answered at once. A pack folder that does not load still
        // stops the command with exit 3 when a request needs it.
        var library: TariffPackLibrary?
        var configurationFailure: (any Error)?
        if watch {
            let loaded = try Self.openLibrary(packs)
            library = loaded.library
            Self.log("loaded \(loaded.library.loaded.count) packs in \(String(format: "%.2f", loaded.seconds)) s; watching \(loaded.directory.path)")
            Task.detached { await Self.watch(loaded.library) }
        }
        // One record in, one answer out, as each arrives (the command can sit behind a pipe);
        // a line longer than the line limit, or an input that cannot be read, stops with exit 2.
        var out: [UInt8] = []
        let batch = file != nil || input != nil
        var refused = 0
        // Without --watch the library reads a jurisdiction's tariff when a request first goes there.
        let book: (QuoteRequest) throws -> TariffBook = { request in
            if library == nil {
                do { library = try Self.openLibrary(packs, deferring: true).library } catch {
                    configurationFailure = error
                    throw error
                }
            }
            return try library!.book(pins: request.packVersions, destination: request.destination) { report in
                for e in report.errors { Self.log("pack error: \(e)") }
            }
        }
        do {
            while let record = try reader.next() {
                let line = String(decoding: record.bytes, as: UTF8.self)
                let mark = out.count
                if !QuoteWire.answerLine(line, line: record.line, bookFor: book, into: &out) { refused += 1 }
                if configurationFailure != nil {
                    out.removeSubrange(mark...)
                    break
                }
                out.append(UInt8(ascii: "\n"))
                if !batch || out.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(out))
                    out.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            FileHandle.standardOutput.write(Data(out))
            throw Diagnostics.fail("\(error)", exit: Exit.usage)
        }
        FileHandle.standardOutput.write(Data(out))
        if let configurationFailure { throw configurationFailure }
        if refused > 0 {
            Diagnostics.say("\(refused) of \(reader.count) requests refused")
            throw ExitCode(Exit.refused)
        }
    }

    /// The packs under `--packs` or the content folder's Data/packs; a folder that is missing or
    /// loads no pack is a configuration error (exit 3). Broken packs beside good ones are logged.
    static func openLibrary(_ packs: String?, deferring: Bool = false) throws -> (library: TariffPackLibrary, directory: URL, seconds: Double) {
        let dir: URL
        if let packs { dir = URL(fileURLWithPath: packs, isDirectory: true) } else {
            do { dir = try ContentRoot.locate().file("Data/packs") } catch { throw Diagnostics.fail("\(error)", exit: Exit.configuration) }
        }
        guard FileManager.default.fileExists(atPath: dir.path) else { throw Diagnostics.fail("no pack folder \(dir.path)", exit: Exit.configuration) }
        let library = TariffPackLibrary(directory: dir, deferring: deferring)
        let report = library.reload()
        for e in report.errors { log("pack error: \(e)") }
        if library.loaded.isEmpty { throw Diagnostics.fail("no tariff pack loaded from \(dir.path)", exit: Exit.configuration) }
        return (library, dir, report.seconds)
    }

    /// Reloads the packs on SIGHUP and every two seconds, for as long as the command runs.
    static func watch(_ library: TariffPackLibrary) async {
        func report(_ r: TariffPackLibrary.ReloadReport) {
            for a in r.added { log("reloaded: \(a) is now current") }
            for e in r.errors { log("pack error (previous packs stay in use): \(e)") }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) { report(library.reload()) }
            }
            group.addTask {
                // A pack that stays broken is reported once, not on every poll.
                var lastErrors: [String] = []
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    let r = library.reload()
                    if !r.added.isEmpty || r.errors != lastErrors { report(r) }
                    lastErrors = r.errors
                }
            }
        }
    }

    static func log(_ message: String) {
        Diagnostics.say(message)
    }
}
