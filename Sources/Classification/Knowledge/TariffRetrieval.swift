/// The tariff texts as retrieval documents beside the training examples: every HS-6 subheading of
/// the nomenclature and every declarable national tariff line (US HTS, EU CN, UK tariff) is a
/// document of its own, labelled with its subheading and read with its heading's text in front,
/// so that a line whose own words are "Of cotton" or "Other" still says what it is about. The
/// subheading centroids average these texts; here each one answers for itself, so an item that
/// matches one precise line ("footwear with outer soles of rubber … covering the ankle") finds
/// it even when its siblings pull the centroid elsewhere. Built at load from the model's own
/// texts (nothing extra in the artefact).
struct TariffRetrieval: Sendable {
    /// The documents' vectors, for the classifier's `StackedIndex` (emptied once it is built).
    var vectors: [SparseVector]
    let documents: Int
    /// Subheading position of each document.
    let labels: [Int32]
    let subheadings: Int
    /// Strongest features kept per document: the rare words and grams that tell lines apart.
    static let documentFeatures = 80
    /// Documents whose subheadings join the candidate list.
    static let candidateDocuments = 20

    init(model: ClassifierModel, lineTokens: [[LineTokens?]], subheadingPosition: [String: Int32]) {
        let normalizer = model.normalizer
        var headingTokens: [String: [String]] = [:]
        for (code, text) in model.nomenclature.headings { headingTokens[code] = normalizer.tokens(text) }
        var seen = Set<String>()
        var vectors: [SparseVector] = []
        var labels: [Int32] = []
        func add(_ hs6: String, _ tokens: [String]) {
            guard let label = subheadingPosition[hs6], !tokens.isEmpty else { return }
            let doc = (headingTokens[String(hs6.prefix(4))] ?? []) + tokens
            guard seen.insert(hs6 + "|" + doc.joined(separator: " ")).inserted else { return }
            vectors.append(model.vectorize(doc).pruned(to: Self.documentFeatures).normalized())
            labels.append(label)
        }
        for code in model.subheadingCodes {
            add(code, normalizer.tokens(model.nomenclature.subheadings[code] ?? ""))
        }
        for (t, tariff) in model.tariffs.enumerated() {
            for (p, line) in tariff.lines.enumerated() {
                guard let tokens = lineTokens[t][p] else { continue }
                add(line.hs6, tokens.all)
            }
        }
        self.vectors = vectors
        documents = vectors.count
        self.labels = labels
        subheadings = model.subheadingCodes.count
    }

    /// Per subheading, the best cosine of the query to any of its documents (0 where none
    /// matched), and the subheadings of the most similar documents, best first; `docs` is the
    /// query's cosine to each document (the classifier's `StackedIndex`, part `tariffLines`).
    func scores(_ docs: [Float]) -> (best: [Float], top: [Int32]) {
        var best = [Float](repeating: 0, count: subheadings)
        guard documents > 0 else { return (best, []) }
        for (d, v) in docs.enumerated() where v > best[Int(labels[d])] { best[Int(labels[d])] = v }
        var top: [Int32] = []
        var seen = Set<Int32>()
        for d in topIndices(docs, Self.candidateDocuments) where seen.insert(labels[d]).inserted { top.append(labels[d]) }
        return (best, top)
    }
}
