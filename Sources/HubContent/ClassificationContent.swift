import Classification
import Foundation

/// Reads the classification data files from the content folder and hands parsed values to the
/// pure `Classification` engine.
public enum ClassificationContent {
    public static let nomenclaturePath = "Data/hs/hs2022_nomenclature.csv"
    public static let usHTSPath = "Data/classification/us_hts_2026_rev4_lines.csv"
    public static let euCNPath = "Data/classification/eu_cn_nomenclature_en.csv"
    public static let ukTariffPath = "Data/classification/uk_global_tariff_2021_lines.csv"
    public static let rulingsPath = "Data/classification/labeled_rulings_dev.csv"
    public static let parcelsPath = "Data/classification/uk_parcel_item_descriptions.csv"
    /// Default home of trained artefacts and of confirmed corrections (not committed).
    public static let modelPath = "Models/hs-classifier.bin"
    public static let correctionsPath = "Models/corrections.jsonl"

    /// The knowledge base, optionally limited to some chapters (tests and demos train on a slice).
    public static func knowledgeBase(_ root: ContentRoot, chapters: Set<String>? = nil) throws -> KnowledgeBase {
        var nomenclature = try Nomenclature(csv: root.readText(nomenclaturePath), source: nomenclaturePath)
        if let chapters { nomenclature = nomenclature.restricted(toChapters: chapters) }
        return KnowledgeBase(nomenclature: nomenclature, tariffs: [
            try NationalTariff.usHTS(csv: root.readText(usHTSPath), nomenclature: nomenclature, source: usHTSPath),
            try NationalTariff.euCN(csv: root.readText(euCNPath), nomenclature: nomenclature, source: euCNPath),
            try NationalTariff.ukTariff(csv: root.readText(ukTariffPath), nomenclature: nomenclature, source: ukTariffPath),
        ])
    }

    /// The labelled rulings and parcel references, in file order.
    /// Rows under codes that are not HS 2022 subheadings are skipped and listed in `skipped`.
    public static func examples(_ root: ContentRoot, nomenclature: Nomenclature) throws -> (rulings: [LabelledExample], parcels: [LabelledExample], skipped: [String]) {
        var skipped: [String] = []
        let rulings = try LabelledExample.rulings(csv: root.readText(rulingsPath), nomenclature: nomenclature, source: rulingsPath, skipped: &skipped)
        let parcels = try LabelledExample.parcelReferences(csv: root.readText(parcelsPath), nomenclature: nomenclature, source: parcelsPath, skipped: &skipped)
        return (rulings, parcels, skipped)
    }

    /// Corrections stored as JSON lines; a bad line is an error naming its line number.
    public static func corrections(at url: URL) throws -> [Correction] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var out: [Correction] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            do { out.append(try JSONDecoder().decode(Correction.self, from: Data(trimmed.utf8))) } catch {
                throw ContentError.invalid("\(url.lastPathComponent): line \(i + 1): not a correction: \(error)")
            }
        }
        return out
    }

    public static func loadModel(at url: URL) throws -> ClassifierModel {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch {
            throw ContentError.unreadable("\(url.path): \(error.localizedDescription)")
        }
        return try ModelCodec.decode(bytes)
    }

    public static func saveModel(_ model: ClassifierModel, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ModelCodec.encode(model)).write(to: url, options: .atomic)
    }
}
