// libFuzzer harness for every reader that takes outside bytes (issue #21): JSON, SecureXML (whole
// and streamed), the YAML spec loader, CSV, the OFAC, UN, EU FSF, FollowTheMoney and OFAC advanced
// sanctions loaders, the tariff pack parser and the tariff importers of `data update` (UK Trade
// Tariff API answers, the TARIC duties table, the CBSA and Australian schedules). `FUZZ_TARGET` picks the reader.
//
// Built normally, it replays the files and folders given as arguments (to check a crasher after a
// fix). Built by `Scripts/fuzz.sh` with `-sanitize=fuzzer,address -DFUZZING`, it hands control to
// libFuzzer's driver, which takes the usual libFuzzer arguments (corpus folders, -max_total_time…).
// A reader may refuse any input; it must never crash, hang or grow without bound, and a refusal
// must be its own typed error.
import CSVCore
import Foundation
import JSONCore
import Mapping
import Screening
import SecureXML
import Tariff

let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "json"
let published = Date(timeIntervalSince1970: 1_703_788_800)

/// The header the tariff importers' packs get in the harness.
func header(_ jurisdiction: String) -> PackImporter.Header {
    PackImporter.Header(pack: "fuzz", jurisdiction: jurisdiction, kind: .measures, version: "1", source: "fuzz", sourceDate: "2026-12-01", licence: "-", note: "-")
}

func fuzzOne(_ bytes: [UInt8]) {
    switch target {
    case "json":
        if let value = try? JSONParser.parse(bytes) {
            precondition((try? JSONParser.parse(JSONWriter.write(value))) == value, "JSON write → parse changed the value")
        }
    case "xml":
        let whole = try? SecureXMLParser().parse(bytes)
        let half = bytes.count / 2
        let streamed = try? SecureXMLParser().parse(chunks: [Array(bytes[..<half]), Array(bytes[half...])])
        precondition(whole == streamed, "XML whole and streamed parses disagree")
    case "yaml":
        _ = try? MappingLoader().load(String(decoding: bytes, as: UTF8.self), file: "Mappings/fuzz.yaml")
    case "csv":
        _ = try? CSVReader(String(decoding: bytes, as: UTF8.self))
    case "ofac":
        _ = try? OFACSDNLoader().load(files: ["sdn.csv": Data(bytes), "alt.csv": Data(bytes), "add.csv": Data()], published: published)
    case "un":
        _ = try? UNConsolidatedLoader().load(files: ["UN_consolidated.xml": Data(bytes)], published: published)
    case "eu_fsf":
        _ = try? EUFSFLoader().load(files: ["eu_fsf.xml": Data(bytes)], published: nil)
    case "ftm":
        _ = try? FollowTheMoneyLoader().load(files: ["entities.ftm.json": Data(bytes)], published: nil)
    case "ofac_advanced":
        _ = try? OFACAdvancedLoader().load(files: ["SDN_ADVANCED.XML": Data(bytes)], published: nil)
    case "pack":
        _ = try? PackParser.parse(String(decoding: bytes, as: UTF8.self), file: "packs/fuzz.jsonl")
    case "uk_tariff":
        // One Trade Tariff API answer, then the packs `data update` would build from it.
        if let c = try? UKTradeTariffImporter.commodity(bytes, requested: nil) {
            _ = try? PackParser.parse(UKTradeTariffImporter.pack(header: header("GB"), commodities: [(c.code, c)]), file: "packs/fuzz.jsonl")
            let (text, _) = UKTradeTariffImporter.preferencesPack(header: header("GB"), commodities: [(c.code, c)], programs: ["1013": (symbol: "TCA", countries: ["DE", "FR"])])
            _ = try? PackParser.parse(text, file: "packs/fuzz.jsonl")
        }
    case "taric":
        if let packs = try? TaricImporter.duties(
            csv: String(decoding: bytes, as: UTF8.self), mfn: header("EU"), preferences: header("EU"), programs: ["GB": "TCA"],
            on: Day(year: 2026, month: 12, day: 1)) {
            _ = try? PackParser.parse(packs.0, file: "packs/fuzz.jsonl")
            _ = try? PackParser.parse(packs.1, file: "packs/fuzz.jsonl")
        }
    case "cbsa":
        if let pack = try? ScheduleImporter.cbsa(csv: String(decoding: bytes, as: UTF8.self), header: header("CA"), programs: ["UST"], validFrom: "2026-01-01") {
            _ = try? PackParser.parse(pack.0, file: "packs/fuzz.jsonl")
        }
    case "au_tariff":
        if let pack = try? ScheduleImporter.auWorkingTariff(csv: String(decoding: bytes, as: UTF8.self), header: header("AU"), programs: ["DCS"], validFrom: "2026-01-01") {
            _ = try? PackParser.parse(pack.0, file: "packs/fuzz.jsonl")
        }
    default:
        fatalError("FUZZ_TARGET must be json, xml, yaml, csv, ofac, un, eu_fsf, ftm, ofac_advanced, pack, uk_tariff, taric, cbsa or au_tariff")
    }
}

#if FUZZING
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback) -> Int32

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
})
#else
var count = 0
for path in CommandLine.arguments.dropFirst() {
    var isDirectory: ObjCBool = false
    FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    let files = isDirectory.boolValue
        ? (try FileManager.default.contentsOfDirectory(atPath: path)).sorted().map { path + "/" + $0 } : [path]
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        fuzzOne(Array(data))
        count += 1
    }
}
print("fuzz-readers: \(target): \(count) inputs replayed without a crash")
#endif
