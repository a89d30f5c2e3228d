/// Which content files the classifier is trained from, and how they become values. Pure: the
/// caller passes `read`, which returns a file's text by its path relative to the content folder
/// (HubContent's `ContentRoot`, or a benchmark's own reader).
public enum ClassificationData {
    public static let nomenclaturePath = "Data/hs/hs2022_nomenclature.csv"
    public static let usHTSPath = "Data/classification/us_hts_2026_rev4_lines.csv"
    public static let euCNPath = "Data/classification/eu_cn_nomenclature_en.csv"
    public static let ukTariffPath = "Data/classification/uk_global_tariff_2021_lines.csv"
    public static let rulingsPath = "Data/classification/labeled_rulings_dev.csv"
    public static let parcelsPath = "Data/classification/uk_parcel_item_descriptions.csv"

    /// The labelled rows of `Data/classification/extra/` (see its SOURCES.md): file, origin, label.
    public static let extraFiles: [(path: String, origin: ExampleOrigin, label: String)] = [
        ("Data/classification/extra/cbp_ruling_facts.jsonl", .authority, "ruling US"),
        ("Data/classification/extra/eu_bti.jsonl", .authority, "BTI EU"),
        ("Data/classification/extra/cbp_ruling_subjects.jsonl", .lexicon, "ruling subject US"),
        ("Data/classification/extra/uk_fpo_references.jsonl", .reference, "HMRC reference GB"),
        ("Data/classification/extra/uktt_model_written.jsonl", .modelWritten, "model-written GB"),
        ("Data/classification/extra/kcs_korea_cases.jsonl", .foreignLanguage, "KCS case KR"),
    ]

    /// The knowledge base, optionally limited to some chapters (tests and demos train on a slice).
    public static func knowledgeBase(chapters: Set<String>? = nil, read: (String) throws -> String) throws -> KnowledgeBase {
        var nomenclature = try Nomenclature(csv: read(nomenclaturePath), source: nomenclaturePath)
        if let chapters { nomenclature = nomenclature.restricted(toChapters: chapters) }
        return KnowledgeBase(nomenclature: nomenclature, tariffs: [
            try NationalTariff.usHTS(csv: read(usHTSPath), nomenclature: nomenclature, source: usHTSPath),
            try NationalTariff.euCN(csv: read(euCNPath), nomenclature: nomenclature, source: euCNPath),
            try NationalTariff.ukTariff(csv: read(ukTariffPath), nomenclature: nomenclature, source: ukTariffPath),
        ])
    }

    /// The labelled rulings and parcel references, in file order. Rows under codes that are not
    /// HS 2022 subheadings are skipped and listed in `skipped`.
    public static func examples(nomenclature: Nomenclature, read: (String) throws -> String) throws -> (rulings: [LabelledExample], parcels: [LabelledExample], skipped: [String]) {
        var skipped: [String] = []
        let rulings = withoutContradictoryLongTexts(
            try LabelledExample.rulings(csv: read(rulingsPath), nomenclature: nomenclature, source: rulingsPath, skipped: &skipped), skipped: &skipped)
        let parcels = try LabelledExample.parcelReferences(csv: read(parcelsPath), nomenclature: nomenclature, source: parcelsPath, skipped: &skipped)
        return (rulings, parcels, skipped)
    }

    /// Every row of the extra files, in the order of `extraFiles`.
    public static func extraExamples(nomenclature: Nomenclature, skipped: inout [String], read: (String) throws -> String) throws -> [LabelledExample] {
        var out: [LabelledExample] = []
        for file in extraFiles {
            out += try LabelledExample.jsonLines(read(file.path), origin: file.origin, label: file.label, source: file.path,
                                                 nomenclature: nomenclature, skipped: &skipped)
        }
        return withoutContradictoryLongTexts(out, skipped: &skipped)
    }

    /// A long text (at least `TextKind.longFrom` words) that comes back word for word under this
    /// many different subheadings says nothing about the goods: in the EU BTI file, 22 Slovenian
    /// rulings carry the issuing office's address as their description, under 17 subheadings.
    /// Such rows would teach the memory noise, and as test rows they are answers no text can
    /// give. Short texts are left alone: a title like "footwear" under several codes is real
    /// ambiguity that the neighbour vote should see.
    public static let contradictoryCodes = 3

    /// `rows` without the long texts labelled with `contradictoryCodes` or more different
    /// subheadings; each dropped row is named in `skipped`.
    public static func withoutContradictoryLongTexts(_ rows: [LabelledExample], skipped: inout [String]) -> [LabelledExample] {
        let normalizer = TextNormalizer()
        var codesByText: [String: Set<String>] = [:]
        let keys: [String?] = rows.map { row in
            let tokens = normalizer.tokens(row.description)
            guard TextKind.of(tokenCount: tokens.count) == .long else { return nil }
            let key = tokens.joined(separator: " ")
            codesByText[key, default: []].insert(row.hs6)
            return key
        }
        var kept: [LabelledExample] = []
        kept.reserveCapacity(rows.count)
        for (row, key) in zip(rows, keys) {
            if let key, let codes = codesByText[key], codes.count >= contradictoryCodes {
                skipped.append("\(row.source): the same text is labelled with \(codes.count) different subheadings, so it does not describe the goods")
                continue
            }
            kept.append(row)
        }
        return kept
    }
}
