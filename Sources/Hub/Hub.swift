import AdapterKit
import Classification
import CustomsModel
import Digests
import Foundation
import JSONCore
import Metrics
import Pipeline
import Relay
import Screening
import Store
import Synchronization
import Tariff

/// Wrapped around the commit of every `submit` (`HubStore.accept`, one order or a batch), so that
/// a benchmark can time the commit where it runs, as `EngineMeter` times the engines: run in a
/// loop of its own, the commit keeps caches that the engines and the pipeline take from it inside
/// `submit`. The hub reads no clock for it itself.
public protocol CommitMeter: Sendable {
    /// Runs `body` (one commit) and returns what it returns.
    func measure<T>(_ body: () async throws -> T) async throws -> T
}

/// The service around the pure pipeline: it takes an order in, runs the engines, and writes the
/// order with its lines, decisions, review items and filings in one transaction; it applies a
/// specialist's answers and files what they release; and it replays the decision chain.
///
/// The engines are swapped whole on reload, so an order in flight keeps the versions it started with.
public final class Hub: Sendable {
    public let store: any HubDatabase
    private let engineBox: Mutex<PipelineEngines>
    let clock: @Sendable () -> Date
    /// Screening hits reviewers released (`Pipeline.allowanceKey`s), consulted by every submit.
    private let allowed = Mutex<Set<String>>([])
    /// Who the pipeline's own decisions are recorded as.
    public static let pipelineActor = "customs-hub/pipeline"

    /// Reference numbers are reserved in the store this many at a time and handed out from memory
    /// (a server passes more than one so a submit needs no transaction of its own for them). Numbers
    /// left in a block when the process stops are never used: gaps, never a number twice.
    private let referenceBlock: Int
    private let referencesLeft = Mutex<Range<Int>>(0..<0)

    /// Told of each submit's commit (nil in service): see `CommitMeter`.
    private let commitMeter: (any CommitMeter)?

    public init(store: any HubDatabase, engines: PipelineEngines, clock: @escaping @Sendable () -> Date = { Date() }, referenceBlock: Int = 1,
                commitMeter: (any CommitMeter)? = nil) {
        self.store = store
        self.engineBox = Mutex(engines)
        self.clock = clock
        self.referenceBlock = max(1, referenceBlock)
        self.commitMeter = commitMeter
    }

    /// `body`, a submit's commit (`accept`), through the commit meter when the hub has one.
    func commit<T>(_ body: () async throws -> T) async throws -> T {
        guard let commitMeter else { return try await body() }
        return try await commitMeter.measure(body)
    }

    /// `count` consecutive reference numbers (LRNs, message ids), the first returned.
    func reserveReferences(_ count: Int) async throws -> Int {
        let n = max(1, count)
        guard referenceBlock > n else { return try await store.reserveReferences(n) }
        let taken = referencesLeft.withLock { left -> Int? in
            guard left.count >= n else { return nil }
            defer { left = (left.lowerBound + n)..<left.upperBound }
            return left.lowerBound
        }
        if let taken { return taken }
        let first = try await store.reserveReferences(referenceBlock)
        referencesLeft.withLock { $0 = (first + n)..<(first + referenceBlock) }
        return first
    }

    public var engines: PipelineEngines { engineBox.withLock { $0 } }

    /// The text of the last versions seen: every decision of a submit carries it, and writing it
    /// again per order cost about 28,000 instructions.
    private let versionsText = Mutex<(versions: EngineVersions, text: String)?>(nil)

    func text(of versions: EngineVersions) -> String {
        if let cached = versionsText.withLock({ $0 }), cached.versions == versions { return cached.text }
        let text = versions.text
        versionsText.withLock { $0 = (versions, text) }
        return text
    }

    /// Installs newly loaded engines (a reload); orders evaluated from now on use them.
    public func install(_ update: @Sendable (inout PipelineEngines) -> Void) { engineBox.withLock { update(&$0) } }

    /// Teaches the classifier every HS correction a person has made in this store, so a freshly
    /// loaded model answers as the reviewers did.
    public func learnStoredCorrections() async throws -> Int {
        let records = try await store.hsCorrections(limit: 1_000_000)
        let corrections = records.compactMap(Self.correction)
        engineBox.withLock { engines in
            for c in corrections { try? engines.classifier.learn(c) }
        }
        return corrections.count
    }

    /// Reads the store's screening allow-list into the hub (on start); returns how many entries.
    @discardableResult
    public func loadAllowances() async throws -> Int {
        guard let list = store as? any ScreeningAllowList else { return 0 }
        let entries = try await list.allowances()
        allowed.withLock { set in
            for e in entries { set.insert(Pipeline.allowanceKey(party: e.partyName, list: e.list, entryID: e.entryID, listVersion: e.listVersion)) }
        }
        return entries.count
    }

    /// The allow-list entries a release of this party item makes: every hit of the party, in the
    /// list version loaded now.
    func allowances(releasing item: ReviewItem, reviewer: String, at now: Date) -> [ScreeningAllowance] {
        guard item.subject.hasPrefix("party:"), let party = try? JSONParser.parse(item.evidence), let name = party["name"]?.stringValue else { return [] }
        let versions = Dictionary(engines.screening.listStatuses(at: now).map { ($0.list, $0.version) }, uniquingKeysWith: { a, _ in a })
        return (party["matches"]?.arrayValue ?? []).compactMap { m in
            guard let list = m["list"]?.stringValue, let entry = m["entry_id"]?.stringValue, m["decision"]?.stringValue != "clear" else { return nil }
            return ScreeningAllowance(partyName: name, list: list, entryID: entry, listVersion: versions[list] ?? "", releasedBy: reviewer,
                                      reviewItemID: item.id, createdAt: now.millis)
        }
    }

    // MARK: Submit

    public struct SubmitResult: Sendable {
        public var orderID: Int64?
        public var created: Bool
        public var state: OrderState
        public var problems: [ValidationProblem]
        public var reviewItems: [ReviewItem]
        public var filings: [(adapter: String, state: String)]

        /// `id` is the order's name in every answer that is about the order itself, on the command line
        /// and over HTTP (`GET /v1/orders` lists it so). `order_id`, the same number, is deprecated
        /// here: it was `submit`'s only name for the order, and scripts read it (README, "Commands").
        /// A record that points at an order (review item, decision, filing) names it `order_id`.
        public var json: JSONValue {
            let id: JSONValue = orderID.map { .number(String($0)) } ?? .null
            return .object(JSONObject([
                ("id", id), ("order_id", id), ("created", .bool(created)), ("state", .string(state.rawValue)),
                ("problems", .array(problems.map(HubJSON.problem))),
                ("review_items", .array(reviewItems.map { HubJSON.reviewSummary($0) })),
                ("filings", .array(filings.map { .object(JSONObject([("adapter", .string($0.adapter)), ("state", .string($0.state))])) })),
            ]))
        }
    }

    /// Takes one canonical order (parsed JSON). An order already taken under its merchant and
    /// idempotency key is answered from the store as it was taken, nothing written. The key is looked
    /// up inside the commit's own transaction (`HubStore.accept`), not in a read before it: a new
    /// order, the common case, makes one round trip to the store instead of two, and a repeated one
    /// is evaluated again for nothing. `request`, the API's `Idempotency-Key` request, is recorded
    /// in the order's own transaction.
    public func submit(_ document: JSONValue, request: APIRequest? = nil) async throws -> SubmitResult {
        let now = clock()
        let engines = self.engines
        // Reference numbers for the filings (LRN, message ids), from the store's sequence: unique
        // even when the same order is resubmitted under a new key.
        var lap = ContinuousClock.now
        let firstReference = try await reserveReferences(engines.routes.widestRoute)
        Self.stage("reserve", &lap)
        let evaluation = Pipeline.evaluate(document, engines: engines, now: now, firstReference: firstReference, allowed: allowed.withLock { $0 })
        Self.stage("evaluate", &lap)
        guard evaluation.state != .invalid, let order = evaluation.order else {
            // An order taken before under this key is answered as taken, whatever this copy holds.
            if let merchant = document["merchant_id"]?.stringValue, let key = document["idempotency_key"]?.stringValue,
               let existing = try await store.orderID(merchantID: merchant, idempotencyKey: key) {
                return try await summary(orderID: existing, created: false)
            }
            return SubmitResult(orderID: nil, created: false, state: .invalid, problems: evaluation.problems, reviewItems: [], filings: [])
        }
        var new = Self.newOrder(evaluation, order: order, document: document, version: text(of: engines.versions), millis: now.millis)
        new.apiRequest = request
        Self.stage("records", &lap)
        let (id, created) = try await commit { try await store.accept(new, now: now.millis) }
        Self.stage("store", &lap)
        if !created { return try await summary(orderID: id, created: false) }
        let items = new.reviews.isEmpty ? [] : try await store.reviewItems(ReviewFilter(orderID: id))
        return SubmitResult(orderID: id, created: true, state: evaluation.state, problems: evaluation.problems, reviewItems: items,
                            filings: evaluation.filings.map { ($0.adapter, "queued") })
    }

    /// Orders that come in bulk (a file of orders), taken together: evaluated stage by stage
    /// (`Pipeline.evaluate` over the batch, so each engine runs many times in a row on warm caches)
    /// and written with one `accept(batch:)` (SQLite and PostgreSQL: one transaction and one commit for the batch,
    /// each order in its own savepoint, so each order is still all or nothing). One result per
    /// document, in order: the one `submit` gives that document when the documents are submitted one
    /// after the other with the same clock and reference numbers (the orders of a batch share one
    /// `now`, the time the batch was taken in). An order whose own rows the store refuses (a
    /// constraint) is that order's failure alone; any other store error fails the whole batch,
    /// and nothing of it is kept.
    public func submit(batch documents: [JSONValue]) async throws -> [Result<SubmitResult, StoreError>] {
        guard !documents.isEmpty else { return [] }
        let now = clock()
        let engines = self.engines
        // Each document reserves what `submit` reserves for it, in the same order: the same numbers.
        var firstReferences: [Int?] = []
        firstReferences.reserveCapacity(documents.count)
        for _ in documents { firstReferences.append(try await reserveReferences(engines.routes.widestRoute)) }
        let evaluations = Pipeline.evaluate(documents, engines: engines, now: now, firstReferences: firstReferences,
                                            allowed: allowed.withLock { $0 })
        let version = text(of: engines.versions)
        var accepted: [(order: NewOrder, now: Millis)] = []
        var acceptedIndex = [Int?](repeating: nil, count: documents.count)
        /// An invalid document answered as the order taken before under its key: an earlier valid
        /// order of this batch (by its place in `accepted`), or one the store held already.
        enum Earlier { case inBatch(Int), stored(Int64) }
        var earlier = [Earlier?](repeating: nil, count: documents.count)
        var firstByKey: [String: Int] = [:]
        // The evaluations are read in place (`evaluations[k]`): a copy of one retains each of its parts.
        for k in evaluations.indices {
            if evaluations[k].state != .invalid, let order = evaluations[k].order {
                acceptedIndex[k] = accepted.count
                let key = order.merchantID + "\u{1F}" + order.idempotencyKey
                if firstByKey[key] == nil { firstByKey[key] = accepted.count }
                accepted.append((Self.newOrder(evaluations[k], order: order, document: documents[k], version: version, millis: now.millis), now.millis))
            } else if let merchant = documents[k]["merchant_id"]?.stringValue, let key = documents[k]["idempotency_key"]?.stringValue {
                // Looked up before this batch is written: what `submit` would find at this point.
                if let first = firstByKey[merchant + "\u{1F}" + key] {
                    earlier[k] = .inBatch(first)
                } else if let existing = try await store.orderID(merchantID: merchant, idempotencyKey: key) {
                    earlier[k] = .stored(existing)
                }
            }
        }
        let stored = try await commit { try await store.accept(batch: accepted) }
        guard stored.count == accepted.count else { throw StoreError(.corrupt, "the store answered \(stored.count) of \(accepted.count) orders") }
        var results: [Result<SubmitResult, StoreError>] = []
        results.reserveCapacity(documents.count)
        for k in evaluations.indices {
            if let index = acceptedIndex[k] {
                switch stored[index] {
                case .failure(let error):
                    results.append(.failure(error))
                case .success(let (id, created)):
                    if !created {
                        results.append(.success(try await summary(orderID: id, created: false)))
                        continue
                    }
                    let items = accepted[index].order.reviews.isEmpty ? [] : try await store.reviewItems(ReviewFilter(orderID: id))
                    results.append(.success(SubmitResult(orderID: id, created: true, state: evaluations[k].state, problems: evaluations[k].problems,
                                                         reviewItems: items, filings: evaluations[k].filings.map { ($0.adapter, "queued") })))
                }
                continue
            }
            switch earlier[k] {
            case .inBatch(let index)?:
                if case .success(let (id, _)) = stored[index] {
                    results.append(.success(try await summary(orderID: id, created: false)))
                    continue
                }
            case .stored(let id)?:
                results.append(.success(try await summary(orderID: id, created: false)))
                continue
            case nil:
                break
            }
            results.append(.success(SubmitResult(orderID: nil, created: false, state: .invalid, problems: evaluations[k].problems, reviewItems: [], filings: [])))
        }
        return results
    }

    /// The rows an evaluated order leaves in the store as `submit` commits them: the order with its
    /// evaluation, lines, decisions (pipeline actor, `version`, time `millis`), review items and,
    /// when nothing is held, its filings and their outbox rows. Public so that `pipeline-bench`
    /// times exactly the commit `submit` makes.
    public static func newOrder(_ evaluation: Evaluation, order: Order, document: JSONValue, version: String, millis: Millis) -> NewOrder {
        let lines = evaluation.lines.map { l in
            OrderLineRecord(lineNumber: l.lineNumber, description: l.description, hsCode: l.code,
                            originCountry: order.lines[l.lineNumber - 1].originCountry?.rawValue,
                            value: order.lines[l.lineNumber - 1].lineValue.amount, currency: order.lines[l.lineNumber - 1].lineValue.currency.rawValue,
                            hs6: l.hs6, nationalCode: l.nationalCode, confidence: PipelineText.decimalValue(l.confidence),
                            codeSource: l.source)
        }
        // The decisions' and review items' texts were written by `evaluate` from the engines' typed
        // results; the evaluation's text copies the parts they share.
        let decisions = evaluation.decisions.map { d in
            DecisionRecord(orderID: 0, lineNumber: d.lineNumber, kind: d.kind, input: d.input, output: d.output,
                           confidence: d.confidence, evidence: d.evidence, version: version, decidedAt: millis,
                           actor: Self.pipelineActor, inputDigest: evaluation.inputDigest)
        }
        let reviews = evaluation.reviews.map { r in
            ReviewItem(orderID: 0, lineNumber: r.lineNumber, reason: r.reason, createdAt: millis, subject: r.subject, detail: r.detail,
                       evidence: r.evidence, value: r.value, currency: r.currency)
        }
        return NewOrder(
            merchantID: order.merchantID, idempotencyKey: order.idempotencyKey, externalReference: order.externalReference,
            state: evaluation.state.rawValue, canonicalJSON: evaluation.documentText.isEmpty ? JSONWriter.write(document) : evaluation.documentText, lines: lines,
            filings: Self.newFilings(evaluation.filings, order: order, generation: "1"), decisions: decisions, reviews: reviews,
            evaluationJSON: evaluation.text)
    }

    /// Records the time since `lap` as one stage of a submit (`customs_hub_stage_duration_seconds`,
    /// through swift-metrics: nothing when no metrics system is bootstrapped) and starts the next lap.
    static func stage(_ name: String, _ lap: inout ContinuousClock.Instant) {
        let now = ContinuousClock.now
        let d = (now - lap).components
        Metrics.Timer(label: "customs_hub_stage_duration_seconds", dimensions: [("stage", name)])
            .recordNanoseconds(d.seconds * 1_000_000_000 + d.attoseconds / 1_000_000_000)
        lap = now
    }

    static func newFilings(_ planned: [PlannedFiling], order: Order, generation: String) -> [NewFiling] {
        planned.map { f in
            let key = "\(order.merchantID)/\(order.idempotencyKey)/\(f.adapter)/\(generation)"
            let body = Array(f.rendered.body.utf8)
            // What the gateway's answers will name it by (the LRN, interchange reference, the key),
            // so callbacks find the filing.
            return NewFiling(kind: f.rendered.messageType, message: NewOutboxMessage(
                idempotencyKey: key, adapterID: f.adapter, orderingKey: "order/\(order.merchantID)/\(order.idempotencyKey)",
                contentType: f.rendered.contentType, payload: body),
                references: FilingReferences.extract(body, idempotencyKey: key, jsonMessage: f.rendered.jsonMessage))
        }
    }

    func summary(orderID: Int64, created: Bool) async throws -> SubmitResult {
        guard let record = try await store.order(id: orderID) else { throw HubError.notFound("order \(orderID)") }
        let items = try await store.reviewItems(ReviewFilter(state: "open", orderID: orderID))
        let filings = try await store.filings(orderID: orderID)
        return SubmitResult(orderID: orderID, created: created, state: OrderState(rawValue: record.state) ?? .received, problems: [],
                            reviewItems: items, filings: filings.map { ($0.adapterID, $0.state) })
    }

    /// The read-only views (show, audit) over the same store.
    public var reader: HubReader { HubReader(store: store) }

    // MARK: Review

    public enum ReviewAction: String, Sendable, CaseIterable {
        /// The flagged answer stands (the classifier's or the merchant's code, a screening near-miss).
        case confirm
        /// A person gives the right HS code; it is taught to the classifier at once.
        case correct
        /// A screening hit is a false positive; the party may proceed.
        case release
        /// Keep waiting (documents asked for); the item stays unresolved.
        case hold
        /// The line (or, for a party or order item, the whole order) must not be filed.
        case reject
        /// The order's DEAD deliveries go out again (a new generation linked to the old attempts).
        case reprocess
    }

    public struct ResolveResult: Sendable {
        public var item: ReviewItem
        public var outcome: ResolutionOutcome
        public var orderState: String
        public var filings: [String]
        /// The order the item is about or, for a document draft submitted, the order it became.
        public var orderID: Int64?

        public var json: JSONValue {
            let outcomeText: String
            var remaining = 0
            switch outcome {
            case .notOpen: outcomeText = "not_open"
            case .resolved(let n): outcomeText = "resolved"; remaining = n
            case .completed: outcomeText = "order_moved_on"
            }
            return .object(JSONObject([
                ("review_item", .number(String(item.id ?? 0))), ("order_id", (orderID ?? item.orderID).map { .number(String($0)) } ?? .null),
                ("document_id", item.documentID.map { .number(String($0)) } ?? .null), ("outcome", .string(outcomeText)),
                ("open_items_left", .number(String(remaining))), ("order_state", .string(orderState)),
                ("filings", .array(filings.map(JSONValue.string))),
            ]))
        }
    }

    /// Whether an item still takes an answer: `open`, or `held` (waiting for something, unresolved).
    public static func isOpen(_ item: ReviewItem) -> Bool { item.state == "open" || item.state == "held" }

    /// What `resolve` answers for an item that no longer takes an answer; nothing is recorded. A
    /// caller that has read the item (`customs-hub review resolve`) says it without loading the engines.
    public static func notOpen(_ item: ReviewItem, orderState: String) -> ResolveResult {
        ResolveResult(item: item, outcome: .notOpen, orderState: orderState, filings: [])
    }

    /// Applies a specialist's answer. When it is the order's last open item, the lines that may go
    /// on are rendered and queued in the same transaction; if an adapter refuses to render them,
    /// nothing is written and the error says why (for example a code too short for the declaration).
    ///
    /// An item about a document draft takes `draft`, the corrected canonical order (the draft as read
    /// when nil): confirm or correct submits it as an order, reject closes the draft.
    public func resolve(itemID: Int64, action: ReviewAction, reviewer: String, hsCode: String? = nil, note: String? = nil,
                        draft: JSONValue? = nil) async throws -> ResolveResult {
        guard !reviewer.trimmingCharacters(in: .whitespaces).isEmpty else { throw HubError.invalid("a reviewer name is required") }
        guard let item = try await store.reviewItem(id: itemID) else { throw HubError.notFound("review item \(itemID)") }
        guard Self.isOpen(item) else {
            let state = if let id = item.orderID { try await store.order(id: id)?.state ?? "" } else { "" }
            return Self.notOpen(item, orderState: state)
        }
        if let documentID = item.documentID {
            return try await resolveDocument(item, documentID: documentID, action: action, reviewer: reviewer, note: note, order: draft)
        }
        guard let orderID = item.orderID, let record = try await store.order(id: orderID) else {
            throw HubError.notFound("order \(item.orderID.map(String.init) ?? "of review item \(itemID)")")
        }
        if action == .reprocess { return try await reprocess(item, orderID: orderID, reviewer: reviewer, note: note) }
        var order = try JSONValueDecoder().decode(Order.self, from: Array(record.canonicalJSON.utf8))
        var lines = try await store.orderLines(orderID: orderID)
        let history = try await store.decisions(orderID: orderID)
        let now = clock()
        let millis = now.millis
        let engines = self.engines
        let actor = "reviewer:\(reviewer)"
        var decisions: [DecisionRecord] = []
        var lineUpdates: [OrderLineRecord] = []
        let lastAutomated = history.last { $0.actor == Self.pipelineActor && ($0.lineNumber == item.lineNumber || item.lineNumber == nil) }
        var output = JSONObject([("action", .string(action.rawValue)), ("review_item", .number(String(itemID))), ("reason", .string(item.reason))])
        if let note { output["note"] = .string(note) }
        // A released screening hit becomes an allow-list entry for this party and list version.
        let released = action == .release ? allowances(releasing: item, reviewer: reviewer, at: now) : []
        if !released.isEmpty {
            output["allow_list"] = .array(released.map {
                .object(JSONObject([("party", .string($0.partyName)), ("list", .string($0.list)), ("entry_id", .string($0.entryID)),
                                    ("list_version", .string($0.listVersion))]))
            })
        }

        if action == .correct {
            guard let lineNumber = item.lineNumber, let index = lines.firstIndex(where: { $0.lineNumber == lineNumber }) else {
                throw HubError.invalid("review item \(itemID) is about \(item.subject), not a line: correct takes a line's HS code")
            }
            let code = (hsCode ?? "").filter(\.isNumber)
            guard code.count >= 6, code.count <= 10, code.count % 2 == 0 else {
                throw HubError.invalid("--hs must be an HS code of 6, 8 or 10 digits, got \(hsCode ?? "nothing")")
            }
            guard engines.validator.nomenclature.contains(HSCode(rawValue: String(code.prefix(6)))) else {
                throw HubError.invalid("\(code.prefix(6)) is not an HS 2022 subheading")
            }
            var line = lines[index]
            line.hsCode = code
            line.hs6 = String(code.prefix(6))
            line.nationalCode = code.count > 6 ? code : nil
            line.confidence = 1
            line.codeSource = "reviewer"
            lines[index] = line
            lineUpdates.append(line)
            let classification = history.last { $0.kind == "classification" && $0.lineNumber == lineNumber }
            decisions.append(DecisionRecord(
                orderID: orderID, lineNumber: lineNumber, kind: DecisionSQL.hsCorrectionKind,
                input: JSONWriter.write(.object(JSONObject([("description", .string(line.description))]))),
                output: JSONWriter.write(.object(JSONObject([("hs6", .string(String(code.prefix(6)))),
                                                             ("national_code", line.nationalCode.map(JSONValue.string) ?? .null)]))),
                confidence: 1, evidence: JSONWriter.write(.object(output)), version: engines.versions.text, decidedAt: millis, actor: actor,
                inputDigest: Digests.sha256(line.description), corrects: classification?.id))
        }
        decisions.append(DecisionRecord(
            orderID: orderID, lineNumber: item.lineNumber, kind: "review", input: JSONWriter.write(.string(item.detail)),
            output: JSONWriter.write(.object(output)), confidence: nil, evidence: item.evidence, version: engines.versions.text,
            decidedAt: millis, actor: actor, inputDigest: Digests.sha256(item.evidence), corrects: lastAutomated?.id))

        // If this is the last open item, decide what the order does next.
        var completion: OrderCompletion?
        var filingNames: [String] = []
        let others = try await store.reviewItems(ReviewFilter(orderID: orderID)).filter { $0.id != itemID }
        let othersOpen = others.contains { $0.state == "open" || $0.state == "held" }
        if action != .hold && !othersOpen && record.state == OrderState.heldForReview.rawValue {
            let rejected = others.filter { $0.resolution == ReviewAction.reject.rawValue } + (action == .reject ? [item] : [])
            let evaluation = (try? JSONParser.parse(record.evaluationJSON))?.objectValue
            let routing = evaluation?["routing"]?.objectValue
            let adapters = routing?["adapters"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let alreadyFiled = Set(routing?["filed_lines"]?.arrayValue?.compactMap { v -> Int? in
                if case .number(let text) = v { return Int(text) }
                return nil
            } ?? [])
            if rejected.contains(where: { $0.lineNumber == nil }) {
                completion = OrderCompletion(from: record.state, to: OrderState.cancelled.rawValue)
            } else {
                let rejectedLines = Set(rejected.compactMap(\.lineNumber))
                let toFile = lines.map(\.lineNumber).filter { !rejectedLines.contains($0) && !alreadyFiled.contains($0) }
                for line in lines where line.hsCode != nil { order.lines[line.lineNumber - 1].hsCode = HSCode(rawValue: line.hsCode!) }
                if toFile.isEmpty {
                    completion = OrderCompletion(from: record.state, to: alreadyFiled.isEmpty ? OrderState.cancelled.rawValue : OrderState.filed.rawValue)
                } else if adapters.isEmpty {
                    throw HubError.invalid("order \(orderID) has no route: fix Data/routes and resubmit, or reject it")
                } else {
                    let firstReference = try await reserveReferences(adapters.count)
                    let (planned, errors) = Pipeline.file(order, lines: toFile, adapters: adapters, catalog: engines.catalog, tariff: engines.tariff, now: now,
                                                                firstReference: firstReference)
                    guard errors.isEmpty else {
                        throw HubError.invalid("the order cannot be filed yet, nothing was changed: " + errors.joined(separator: "; "))
                    }
                    filingNames = planned.map(\.adapter)
                    for f in planned {
                        decisions.append(DecisionRecord(
                            orderID: orderID, lineNumber: nil, kind: "filing",
                            input: JSONWriter.write(.object(JSONObject([("adapter", .string(f.adapter)), ("lines", .array(toFile.map { .number(String($0)) }))]))),
                            output: JSONWriter.write(.object(JSONObject([("message_type", .string(f.rendered.messageType)),
                                                                         ("body_sha256", .string(Digests.sha256(f.rendered.body)))]))),
                            confidence: nil, evidence: JSONWriter.write(.object(JSONObject([("released_by", .string(actor))]))),
                            version: engines.versions.text, decidedAt: millis, actor: actor, inputDigest: Digests.sha256(record.canonicalJSON)))
                    }
                    completion = OrderCompletion(from: record.state, to: OrderState.filed.rawValue,
                                                 filings: Self.newFilings(planned, order: order, generation: "r\(itemID)"))
                }
            }
        }
        // A released screening hit's allow-list entries commit with the decision record that releases it.
        let resolution = ReviewResolution(itemID: itemID, newState: action == .hold ? "held" : "resolved", action: action.rawValue,
                                          reviewer: reviewer, decisions: decisions, lineUpdates: lineUpdates, completion: completion,
                                          allowances: released)
        let outcome = try await store.resolve(resolution, now: millis)
        if action == .correct, outcome != .notOpen, let update = lineUpdates.first {
            let correction = Correction(description: update.description, hs6: update.hs6 ?? "", nationalCode: update.nationalCode,
                                        confirmedBy: reviewer, confirmedAt: Timestamp.format(now), note: note)
            engineBox.withLock { try? $0.classifier.learn(correction) }
        }
        if outcome != .notOpen, !released.isEmpty {
            allowed.withLock { set in
                for a in released { set.insert(Pipeline.allowanceKey(party: a.partyName, list: a.list, entryID: a.entryID, listVersion: a.listVersion)) }
            }
        }
        let state = try await store.order(id: orderID)?.state ?? record.state
        var updated = item
        updated.state = action == .hold ? "held" : "resolved"
        return ResolveResult(item: updated, outcome: outcome, orderState: state, filings: outcome == .completed ? filingNames : [])
    }

    /// Sends the order's DEAD deliveries again (only its filing's, for an item about one filing) and
    /// resolves the item with a decision that names them.
    func reprocess(_ item: ReviewItem, orderID: Int64, reviewer: String, note: String?) async throws -> ResolveResult {
        var filings = try await store.filings(orderID: orderID)
        if item.subject.hasPrefix("filing:"), let filingID = Int64(item.subject.dropFirst("filing:".count)) {
            filings = filings.filter { $0.id == filingID }
        }
        let dead = try await store.outboxMessages(filingIDs: filings.map(\.id)).filter { $0.state == .dead }.map(\.id)
        guard !dead.isEmpty else {
            throw HubError.invalid("\(item.subject.hasPrefix("filing:") ? item.subject.replacingOccurrences(of: ":", with: " ") : "order \(orderID)") has no DEAD delivery to reprocess")
        }
        let millis = clock().millis
        let ids = try await store.reprocess(OutboxFilter(ids: dead, states: [.dead]), now: millis, reviewer: reviewer, note: note)
        if item.reason == "dead_filing" {
            // The store resolved it with the reprocessing, and recorded the decision.
            var updated = item
            updated.state = "resolved"
            let remaining = try await store.reviewItems(ReviewFilter(state: "open", orderID: orderID)).count
            let state = try await store.order(id: orderID)?.state ?? ""
            return ResolveResult(item: updated, outcome: .resolved(remaining: remaining), orderState: state, filings: [])
        }
        var output = JSONObject([("action", .string(ReviewAction.reprocess.rawValue)), ("review_item", .number(String(item.id ?? 0))),
                                 ("reason", .string(item.reason)), ("outbox_ids", .array(ids.map { .number(String($0)) }))])
        if let note { output["note"] = .string(note) }
        let decision = DecisionRecord(
            orderID: orderID, lineNumber: item.lineNumber, kind: "review", input: JSONWriter.write(.string(item.detail)),
            output: JSONWriter.write(.object(output)), confidence: nil, evidence: item.evidence, version: engines.versions.text,
            decidedAt: millis, actor: "reviewer:\(reviewer)", inputDigest: Digests.sha256(item.evidence))
        let outcome = try await store.resolve(ReviewResolution(itemID: item.id ?? 0, action: ReviewAction.reprocess.rawValue, reviewer: reviewer,
                                                               decisions: [decision]), now: millis)
        var updated = item
        updated.state = "resolved"
        let state = try await store.order(id: orderID)?.state ?? ""
        return ResolveResult(item: updated, outcome: outcome, orderState: state, filings: [])
    }

    /// A stored `hs_correction` decision as the classifier's correction.
    public static func correction(_ d: DecisionRecord) -> Correction? {
        guard let input = (try? JSONParser.parse(d.input))?.objectValue, let output = (try? JSONParser.parse(d.output))?.objectValue,
              let description = input["description"]?.stringValue, let hs6 = output["hs6"]?.stringValue else { return nil }
        return Correction(description: description, hs6: hs6, nationalCode: output["national_code"]?.stringValue,
                          confirmedBy: String(d.actor.drop { $0 != ":" }.dropFirst()), confirmedAt: HubJSON.time(d.decidedAt))
    }

}

/// Reads what the hub stored without needing the engines: `orders show`, `audit export|verify`.
public struct HubReader: Sendable {
    public let store: any HubDatabase

    public init(store: any HubDatabase) { self.store = store }

    // MARK: Show

    /// What `orders show` prints: the order's state, its lines with their codes, screening,
    /// landed cost, filings with their delivery state, review items and the decision history.
    public func show(orderID: Int64) async throws -> JSONValue? {
        guard let record = try await store.order(id: orderID) else { return nil }
        let evaluation = (try? JSONParser.parse(record.evaluationJSON))?.objectValue ?? JSONObject()
        let lines = try await store.orderLines(orderID: orderID)
        let filings = try await store.filings(orderID: orderID)
        let messages = try await store.outboxMessages(filingIDs: filings.map(\.id))
        let reviews = try await store.reviewItems(ReviewFilter(orderID: orderID))
        let history = try await store.decisions(orderID: orderID)
        var o = JSONObject()
        // `id` as `GET /v1/orders` lists it; `order_id`, deprecated, for the scripts written before it.
        o["id"] = .number(String(record.id))
        o["order_id"] = .number(String(record.id))
        o["merchant_id"] = .string(record.merchantID)
        o["external_reference"] = .string(record.externalReference)
        o["idempotency_key"] = .string(record.idempotencyKey)
        o["state"] = .string(record.state)
        o["created_at"] = .string(HubJSON.time(record.createdAt))
        o["updated_at"] = .string(HubJSON.time(record.updatedAt))
        o["lines"] = .array(lines.map { l in
            .object(JSONObject([
                ("line_number", .number(String(l.lineNumber))), ("description", .string(l.description)),
                ("hs_code", l.hsCode.map(JSONValue.string) ?? .null), ("hs6", l.hs6.map(JSONValue.string) ?? .null),
                ("national_code", l.nationalCode.map(JSONValue.string) ?? .null),
                ("confidence", l.confidence.map { .string("\($0)") } ?? .null), ("code_source", l.codeSource.map(JSONValue.string) ?? .null),
                ("origin_country", l.originCountry.map(JSONValue.string) ?? .null),
                ("value", .object(JSONObject([("amount", .string(Money(l.value, CurrencyCode(l.currency)).amountText)), ("currency", .string(l.currency))]))),
            ]))
        })
        o["screening"] = evaluation["screening"] ?? .null
        // Stored as the engine wrote it (exact numbers); shown as `quote` prints it: money as
        // {"amount": "12.50", "currency": "EUR"}, rates as decimal strings.
        o["landed_cost"] = evaluation["landed_cost"].map { QuoteWire.moneyShaped($0) } ?? .null
        if let error = evaluation["landed_cost_error"] { o["landed_cost_error"] = error }
        o["risk"] = evaluation["risk"] ?? .null
        o["routing"] = evaluation["routing"] ?? .null
        o["filings"] = .array(filings.map { f in
            let m = messages.last { $0.filingID == f.id }
            return .object(JSONObject([
                ("filing_id", .number(String(f.id))), ("adapter", .string(f.adapterID)), ("kind", .string(f.kind)), ("state", .string(f.state)),
                ("delivery_state", m.map { .string($0.state.rawValue) } ?? .null), ("outbox_id", m.map { .number(String($0.id)) } ?? .null),
                ("attempts", .number(String(m?.attempts ?? 0))), ("last_error", m?.lastError.map(JSONValue.string) ?? .null),
                ("gateway_reference", .null), ("created_at", .string(HubJSON.time(f.createdAt))),
            ]))
        })
        o["review_items"] = .array(reviews.map(HubJSON.review))
        o["history"] = .array(history.map(HubJSON.decisionSummary))
        return .object(o)
    }

    // MARK: Audit

    public struct AuditReport: Sendable {
        public var records: Int64
        public var headLength: Int64
        public var broken: DecisionChain.Break?

        public var json: JSONValue {
            .object(JSONObject([
                ("intact", .bool(broken == nil)), ("records", .number(String(records))), ("head_length", .number(String(headLength))),
                ("first_broken_record", broken?.recordID.map { .number(String($0)) } ?? .null),
                ("reason", broken.map { .string($0.reason) } ?? .null),
            ]))
        }
    }

    /// Replays the whole chain from the first record, in stretches, and compares the end with the
    /// stored head.
    public func verifyAudit() async throws -> AuditReport {
        let head = try await store.chainHead()
        var previous = DecisionChain.genesis
        var after: Int64 = 0
        var count: Int64 = 0
        while true {
            let stretch = try await store.decisionStretch(afterID: after, limit: 2000)
            if stretch.isEmpty { break }
            let (broken, last) = DecisionChain.verify(stretch, previous: previous)
            if let broken { return AuditReport(records: count, headLength: head.length, broken: broken) }
            previous = last
            count += Int64(stretch.count)
            after = stretch.last?.id ?? after
        }
        if previous != head.hash || count != head.length {
            return AuditReport(records: count, headLength: head.length, broken: DecisionChain.Break(
                recordID: nil, reason: "the chain ends at record \(count) but the head says \(head.length) records: the newest records were removed or the head was changed"))
        }
        return AuditReport(records: count, headLength: head.length, broken: nil)
    }

    /// Every decision about one order, oldest first, as the audit trail.
    public func auditTrail(orderID: Int64) async throws -> [DecisionRecord] {
        guard try await store.order(id: orderID) != nil else { throw HubError.notFound("order \(orderID)") }
        return try await store.decisions(orderID: orderID)
    }
}

public enum HubError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case invalid(String)
    /// A reviewer's order that validation still refuses: each error with the JSON Pointer it names,
    /// so that a form can mark the field.
    case invalidOrder([ValidationProblem])

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) does not exist"
        case .invalid(let why): why
        case .invalidOrder(let problems):
            "the order is not valid yet, nothing was changed: " + problems.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        }
    }
}

/// The JSON shapes the hub prints (CLI and, later, the HTTP API).
public enum HubJSON {
    public static func time(_ millis: Millis) -> String { Timestamp.format(Date(millis: millis)) }

    public static func problem(_ p: ValidationProblem) -> JSONValue {
        .object(JSONObject([("path", .string(p.path.description)), ("code", .string(p.code)), ("message", .string(p.message)),
                            ("severity", .string(p.severity.rawValue))]))
    }

    public static func reviewSummary(_ r: ReviewItem) -> JSONValue {
        .object(JSONObject([
            ("id", r.id.map { .number(String($0)) } ?? .null), ("reason", .string(r.reason)), ("subject", .string(r.subject)),
            ("detail", .string(r.detail)),
        ]))
    }

    public static func review(_ r: ReviewItem) -> JSONValue {
        // Money as a decimal string with its currency beside it (`value` kept a bare string for the scripts that read it).
        let value: JSONValue = r.value.map { v in .string(r.currency.map { Money(v, CurrencyCode($0)).amountText } ?? "\(v)") } ?? .null
        let currency: JSONValue = r.value == nil ? .null : r.currency.map(JSONValue.string) ?? .null
        return .object(JSONObject([
            ("id", r.id.map { .number(String($0)) } ?? .null), ("order_id", r.orderID.map { .number(String($0)) } ?? .null),
            ("document_id", r.documentID.map { .number(String($0)) } ?? .null), ("reason", .string(r.reason)),
            ("subject", .string(r.subject)), ("line_number", r.lineNumber.map { .number(String($0)) } ?? .null),
            ("state", .string(r.state)), ("detail", .string(r.detail)), ("value", value), ("currency", currency),
            ("created_at", .string(time(r.createdAt))), ("resolved_at", r.resolvedAt.map { .string(time($0)) } ?? .null),
            ("resolution", r.resolution.map(JSONValue.string) ?? .null), ("resolved_by", r.resolvedBy.map(JSONValue.string) ?? .null),
        ]))
    }

    /// A review item's value for a person, "24.50 EUR": its own currency, else `fallback` (an item
    /// stored before its currency was kept and that the migration could not place); nil without a value.
    public static func reviewValueText(_ r: ReviewItem, fallback: String) -> String? {
        guard let value = r.value else { return nil }
        let currency = r.currency ?? fallback
        guard currency.count == 3 else { return "\(value)" }
        return Money(value, CurrencyCode(currency)).amountText + " " + currency
    }

    /// Review items by value at stake, highest first, within each currency: amounts in different
    /// currencies are never compared as bare numbers (900 JPY is not above 120 EUR). Currencies in
    /// alphabetical order, then values without a currency, then items without a value; the older
    /// item first between equal values.
    public static func reviewsByValue(_ items: [ReviewItem]) -> [ReviewItem] {
        func group(_ r: ReviewItem) -> (Int, String) {
            guard r.value != nil else { return (2, "") }
            guard let c = r.currency, !c.isEmpty else { return (1, "") }
            return (0, c)
        }
        return items.sorted { a, b in
            let (ga, gb) = (group(a), group(b))
            if ga != gb { return ga < gb }
            if let va = a.value, let vb = b.value, va != vb { return va > vb }
            return (a.createdAt, a.id ?? 0) < (b.createdAt, b.id ?? 0)
        }
    }

    /// A review item with its evidence, as `review show` prints it.
    public static func reviewDetail(_ r: ReviewItem) -> JSONValue {
        guard case .object(var o) = review(r) else { return .null }
        o["evidence"] = (try? JSONParser.parse(r.evidence)) ?? .string(r.evidence)
        return .object(o)
    }

    public static func decisionSummary(_ d: DecisionRecord) -> JSONValue {
        .object(JSONObject([
            ("id", d.id.map { .number(String($0)) } ?? .null), ("kind", .string(d.kind)),
            ("line_number", d.lineNumber.map { .number(String($0)) } ?? .null), ("actor", .string(d.actor)),
            ("decided_at", .string(time(d.decidedAt))), ("output", (try? JSONParser.parse(d.output)) ?? .string(d.output)),
            ("corrects", d.corrects.map { .number(String($0)) } ?? .null),
        ]))
    }

    /// A whole decision record, for `audit export` and `GET /v1/orders/{id}/audit`. A printed form:
    /// the chain hashes the stored texts (`DecisionChain.hash` over `input`, `output`, `evidence`),
    /// which this never writes, so the landed cost's amounts, stored as exact JSON numbers, are
    /// printed as decimal strings with their currency as `quote` and `orders show` print them.
    public static func decision(_ d: DecisionRecord) -> JSONValue {
        func parsed(_ text: String) -> JSONValue { (try? JSONParser.parse(text)) ?? .string(text) }
        let output = d.kind == "landed_cost" ? QuoteWire.moneyShaped(parsed(d.output)) : parsed(d.output)
        return .object(JSONObject([
            ("id", d.id.map { .number(String($0)) } ?? .null), ("order_id", d.orderID.map { .number(String($0)) } ?? .null),
            ("document_id", d.documentID.map { .number(String($0)) } ?? .null), ("kind", .string(d.kind)),
            ("line_number", d.lineNumber.map { .number(String($0)) } ?? .null), ("actor", .string(d.actor)),
            ("decided_at", .string(time(d.decidedAt))), ("input_digest", .string(d.inputDigest)), ("input", parsed(d.input)),
            ("output", output), ("confidence", d.confidence.map { .string("\($0)") } ?? .null), ("evidence", parsed(d.evidence)),
            ("versions", parsed(d.version)), ("corrects", d.corrects.map { .number(String($0)) } ?? .null),
            ("previous_hash", .string(d.previousHash)), ("hash", .string(d.hash)),
        ]))
    }
}
