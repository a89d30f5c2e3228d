import ArgumentParser
import CustomsModel
import Foundation
import Hub
import HubContent
import HubServer
import JSONCore
import Logging
import Pipeline
import Store

/// Opens the store and loads the engines for the commands that work on orders.
struct HubOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption
    @Option(name: .long, help: "Classifier model file (default: Models/hs-classifier.bin in the data folder, else in the content folder; trained and saved in the data folder when missing).")
    var model: String?

    /// Runs `body` with a hub on the store, closing the store afterwards. Exit 3 when the content
    /// (adapters, mappings, routes, lists, packs, model) cannot be loaded. `referenceBlock`: how many
    /// reference numbers the hub reserves at a time (`Hub.init`); numbers left in the last block
    /// when the command ends are never used.
    /// `destinations`: the countries the orders go to, when known before loading; the tariff then
    /// reads only those jurisdictions' packs (seconds less per command). Nil: every pack.
    func withHub<T>(referenceBlock: Int = 1, destinations: Set<CountryCode>? = nil, _ body: (Hub) async throws -> T) async throws -> T {
        let engines: PipelineEngines
        do {
            let root = try ContentRoot.locate()
            let (configured, training) = try ClassifierLoader.engineLoader(root: root, model: model, encoder: nil)
            var loader = configured
            loader.tariffDestinations = destinations
            engines = try loader.load(now: Date())
            training.end(engines.versions.model)
        } catch let code as ExitCode {
            throw code
        } catch {
            throw Diagnostics.fail("cannot load the hub's content: \(error)", exit: Exit.configuration)
        }
        return try await database.with { store in
            let hub = Hub(store: store, engines: engines, referenceBlock: referenceBlock)
            _ = try await hub.learnStoredCorrections()
            return try await body(hub)
        }
    }
}

func printJSONValue(_ value: JSONValue) {
    Output.json(value)
}

/// The destination countries of canonical orders (`shipment.destination_country`), so that a
/// one-shot command loads only the tariffs it will quote; nil when one order names none (then
/// every pack loads, as before).
func destinations(_ orders: [JSONValue]) -> Set<CountryCode>? {
    var out: Set<CountryCode> = []
    for order in orders {
        guard let code = order["shipment"]?["destination_country"]?.stringValue else { return nil }
        out.insert(CountryCode(code))
    }
    return out
}

/// `customs-hub submit`: orders in, through the whole pipeline, into the store and the outbox.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Take canonical orders through the pipeline and store them with their decisions, review items and filings.",
        discussion: Help.text(
            """
            Reads one JSON order or JSON lines from FILE (- or nothing for stdin). For each order: validate, classify every \
            line, screen every party, score risk, quote the landed cost, route and render the filings; then write the order, \
            its lines, decisions, review items and (when nothing is held) its filings and outbox rows in one transaction. \
            An order sent again under the same merchant and idempotency key is the same order (created: false).
            Several orders are taken --batch at a time: each stage runs over the whole batch before the next, and the batch \
            is written in one commit (one transaction, each order in its own savepoint: every order is still whole \
            or absent). Each order gets the answer it would get alone.
            Prints one line per order: {"id","order_id","created","state","problems","review_items","filings":[{"adapter","state"}]} \
            (order_id, the same number as id, is deprecated: read id, as GET /v1/orders lists it).
            Exit 1 when some order is invalid or unreadable.
            """,
            example: "customs-hub submit Fixtures/orders/valid/gb-b2c-apparel-from-cn.json"))

    @Argument(help: "Order file (JSON or JSON lines); - or nothing for stdin.") var file: String?
    @Option(name: .long, help: "Orders evaluated and committed together (1: one at a time).") var batch: Int = 64
    @OptionGroup var hub: HubOptions

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
    }

    func run() async throws {
        let records = try Input.recordList(file)
        // Records are parsed before the pipeline loads (seconds): input made only of records that
        // are not JSON is answered at once.
        let documents = records.map { record in Result { try JSONParser.parse(record.bytes) } }
        func unreadable(_ record: RecordInput.Record, _ error: any Error) {
            printJSONValue(.object(JSONObject([("line", .number(String(record.line))), ("state", .string("invalid")),
                                               ("problems", .array([.object(JSONObject([("path", .string("$")), ("code", .string("unreadable")),
                                                                                         ("message", .string("\(error)"))]))]))])))
        }
        var refused = 0
        if !documents.contains(where: { (try? $0.get()) != nil }) {
            for (record, document) in zip(records, documents) {
                if case .failure(let error) = document { unreadable(record, error) }
            }
            refused = records.count
        } else {
            // Several orders take their reference numbers 64 at a time, as `serve` does, so that each
            // order's own commit is its only write transaction; a single order reserves just what it
            // uses (no gap in the numbers).
            let orders = documents.compactMap { try? $0.get() }
            refused = try await hub.withHub(referenceBlock: records.count > 1 ? 64 : 1, destinations: destinations(orders)) { hub in
                var refused = 0
                var start = 0
                while start < records.count {
                    let end = min(records.count, start + batch)
                    let parsed = (start..<end).compactMap { k in (try? documents[k].get()).map { (k, $0) } }
                    let results = try await hub.submit(batch: parsed.map(\.1))
                    var answers: [Int: Result<Hub.SubmitResult, StoreError>] = [:]
                    for ((k, _), result) in zip(parsed, results) { answers[k] = result }
                    // Answers in the input's order, unreadable records in their place.
                    for k in start..<end {
                        switch (documents[k], answers[k]) {
                        case (.failure(let error), _):
                            refused += 1
                            unreadable(records[k], error)
                        case (_, .success(let result)?):
                            if result.state == .invalid { refused += 1 }
                            printJSONValue(result.json)
                        case (_, .failure(let error)?):
                            // The store refused this order's rows (a key taken); nothing of it was kept.
                            refused += 1
                            printJSONValue(.object(JSONObject([
                                ("line", .number(String(records[k].line))), ("state", .string("not_stored")),
                                ("problems", .array([.object(JSONObject([("path", .string("$")), ("code", .string("store")),
                                                                         ("message", .string("\(error)"))]))]))])))
                        case (.success, nil):
                            throw StoreError(.corrupt, "the hub gave no answer for the order at line \(records[k].line)")
                        }
                    }
                    start = end
                }
                return refused
            }
        }
        if refused > 0 { throw ExitCode(1) }
    }
}

/// `customs-hub orders`: what the hub knows about orders.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Show or list stored orders.",
        discussion: Help.text(example: "customs-hub orders list"), subcommands: [Show.self, List.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one order: state, lines with hs6/national_code/confidence, screening, landed_cost, filings, review items and history.",
            discussion: Help.text("The order is named id (order_id, the same number, is deprecated). Exit 1 when there is no such order.",
                                  example: "customs-hub orders show 1"))
        @Argument(help: "The order id.") var id: Int64
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let found = try await database.reading { store in try await HubReader(store: store).show(orderID: id) }
            guard let found else {
                Diagnostics.say("order \(id) does not exist")
                throw ExitCode(1)
            }
            printJSONValue(found)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders, one JSON line each, oldest first.",
            discussion: Help.text(
                """
                One line per order: {"id", "order_id", "merchant_id", "external_reference", "state", "created_at", "updated_at"} \
                (order_id, the same number as id, is deprecated: read id).
                """,
                example: "customs-hub orders list --state held_for_review"))
        @Option(name: .long, help: "Only orders in this state.") var state: String?
        @Option(name: .long, help: "Only orders with an id greater than this (paging).") var after: Int64?
        @Option(name: .long, help: "At most this many.") var limit: Int = 100
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            if let state, OrderStateNames.all[state] == nil {
                throw ValidationError("--state \(state): expected one of \(OrderStateNames.all.keys.sorted().joined(separator: ", "))")
            }
            try await database.reading { store in
                for o in try await store.orders(OrderFilter(state: state, afterID: after, limit: limit)) {
                    // `order_id` (deprecated, the same number as `id`) was this listing's only name for the order.
                    printJSONValue(.object(JSONObject([
                        ("id", .number(String(o.id))), ("order_id", .number(String(o.id))), ("merchant_id", .string(o.merchantID)), ("external_reference", .string(o.externalReference)),
                        ("state", .string(o.state)), ("created_at", .string(HubJSON.time(o.createdAt))), ("updated_at", .string(HubJSON.time(o.updatedAt))),
                    ])))
                }
            }
        }
    }
}

enum OrderStateNames {
    static let all: [String: OrderState] = Dictionary(uniqueKeysWithValues: OrderState.allCases.map { ($0.rawValue, $0) })
}

/// `customs-hub review`: the specialist's queue.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "List, show and resolve the items the hub sent to review.",
        discussion: Help.text(example: "customs-hub review list"), subcommands: [List.self, Show.self, Resolve.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List review items, oldest first, one JSON line each.",
            discussion: Help.text("""
                Each line: {"id","order_id","document_id","reason","subject","line_number","state","detail","value","currency",\
                "created_at","resolved_at","resolution","resolved_by"}; value is the amount at stake as a decimal string, currency its \
                ISO 4217 code.
                """, example: "customs-hub review list"))
        @Option(name: .long, help: "open (open or held, the default), resolved, or all.") var state: String = "open"
        @Option(name: .long, help: "Only items of this order.") var order: Int64?
        @Option(name: .long, help: "Only items with this reason (low_confidence, merchant_code_disputed, screening_hit, blocked, risk, filing_refused, ...).")
        var reason: String?
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            guard ["open", "resolved", "all"].contains(state) else { throw ValidationError("--state must be open, resolved or all") }
            try await database.reading { store in
                for item in try await store.reviewItems(ReviewFilter(state: state == "all" ? nil : state, orderID: order, reason: reason)) {
                    printJSONValue(HubJSON.review(item))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one review item with its evidence.",
            discussion: Help.text("Exit 1 when there is no such item.", example: "customs-hub review show 1"))
        @Argument(help: "The review item id.") var id: Int64
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let item = try await database.reading { store in try await store.reviewItem(id: id) }
            guard let item else {
                Diagnostics.say("review item \(id) does not exist")
                throw ExitCode(1)
            }
            printJSONValue(HubJSON.reviewDetail(item))
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer a review item; the order's filings are queued when its last item is resolved.",
            discussion: Help.text(
                """
                Actions: confirm (the flagged answer stands), correct (with --hs: the right code, taught to the classifier at once), \
                release (a screening hit is a false positive), hold (keep waiting), reject (the line, or for a party or order item \
                the whole order, is not filed). Every action is a decision record with the reviewer.
                A document draft (reason unreadable_document) is submitted as an order: confirm takes the draft as read, correct \
                takes --order FILE (the corrected canonical order, JSON) and optionally --document FILE (document fields the order \
                does not carry, such as {"total": "1234.50"}). As with POST /v1/reviews/ID/resolve, the corrections refine the \
                supplier's template in documents/templates/ of the data folder, and the printed line carries template_learning \
                {"written","file","message","supplier","learned","not_learned"}; `extract` reads that supplier's next document with it.
                Exit 1 when refused (already resolved, or the order cannot be filed yet: the reason is printed); 2 when --order or \
                --document cannot be read or is not a JSON object.
                """,
                example: "customs-hub review resolve 1 --action confirm --reviewer alice"))
        @Argument(help: "The review item id.") var id: Int64
        @Option(name: .long, help: "confirm, correct, release, hold or reject.") var action: String
        @Option(name: .long, help: "Who decides (recorded with the decision).") var reviewer: String
        @Option(name: .long, help: "With correct: the HS code (6, 8 or 10 digits).") var hs: String?
        @Option(name: .long, help: "A note kept with the decision.") var note: String?
        @Option(name: .long, help: "With correct on a document draft: the corrected canonical order (JSON file; - for stdin).")
        var order: String?
        @Option(name: .long, help: "With confirm or correct on a document draft: document fields the order does not carry, as a JSON object file (e.g. {\"total\": \"1234.50\"}).")
        var document: String?
        @OptionGroup var hub: HubOptions

        func validate() throws {
            guard let a = Hub.ReviewAction(rawValue: action) else {
                throw ValidationError("--action must be one of \(Hub.ReviewAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if a == .correct && hs == nil && order == nil { throw ValidationError("--action correct needs --hs CODE (an order line) or --order FILE (a document draft)") }
            if hs != nil && order != nil { throw ValidationError("--hs corrects an order line, --order a document draft: give one") }
            if a != .correct && hs != nil { throw ValidationError("--hs goes with --action correct only") }
            if a != .correct && order != nil { throw ValidationError("--order goes with --action correct only") }
            if a != .correct && a != .confirm && document != nil { throw ValidationError("--document goes with --action confirm or correct only") }
            if order == "-" && document == "-" { throw ValidationError("--order and --document cannot both be stdin") }
        }

        /// A JSON object from a file given with `option`; exit 2 naming the option when it cannot be read or is not an object.
        static func jsonObject(_ path: String, option: String) throws -> JSONValue {
            let bytes = try Input.document(path)
            let value: JSONValue
            do { value = try JSONParser.parse(bytes) } catch {
                throw Diagnostics.fail("\(option) \(Input.name(path)): not JSON: \(error)", exit: Exit.usage)
            }
            guard case .object = value else { throw Diagnostics.fail("\(option) \(Input.name(path)): expected a JSON object", exit: Exit.usage) }
            return value
        }

        func run() async throws {
            let action = Hub.ReviewAction(rawValue: self.action)!
            // Unreadable input is said first (exit 2), then a missing item, both before the engines load.
            let corrected = try order.map { try Self.jsonObject($0, option: "--order") }
            let documentFields = try document.map { try Self.jsonObject($0, option: "--document") }
            // The item and, for an order's item, the stored order (its destination says which tariff to load).
            let (found, stored) = try await hub.database.with { store -> (ReviewItem?, OrderRecord?) in
                let item = try await store.reviewItem(id: id)
                guard let orderID = item?.orderID else { return (item, nil) }
                return (item, try await store.order(id: orderID))
            }
            guard let item = found else {
                throw Diagnostics.fail("review item \(id) does not exist", exit: Exit.refused)
            }
            let order = corrected ?? stored.flatMap { try? JSONParser.parse(Array($0.canonicalJSON.utf8)) }
            if item.documentID == nil && (corrected != nil || documentFields != nil) {
                throw Diagnostics.fail("review item \(id) is about an order, not a document draft: --order and --document do not apply", exit: Exit.usage)
            }
            // The templates the corrections refine, checked as `extract` and `serve` check them (exit 3).
            let book = try item.documentID == nil ? nil : ExtractCommand.templateBook()
            // An item answered before is refused as `Hub.resolve` refuses it, without loading the
            // classifier, packs and screening index (or training a model) only to say so.
            if !Hub.isOpen(item), !reviewer.trimmingCharacters(in: .whitespaces).isEmpty {
                printJSONValue(Hub.notOpen(item, orderState: stored?.state ?? "").json)
                Diagnostics.say("review item \(id) is already resolved")
                throw ExitCode(1)
            }
            let answer: JSONValue
            let result: Hub.ResolveResult
            do {
                (result, answer) = try await hub.withHub(destinations: order.flatMap { destinations([$0]) }) { hub in
                    let result = try await hub.resolve(itemID: id, action: action, reviewer: reviewer, hsCode: hs, note: note, draft: corrected)
                    var answer = result.json
                    // The same hand-off as POST /v1/reviews/ID/resolve: the submitted draft's corrections teach its supplier's template.
                    if let documentID = item.documentID, let book, result.orderID != nil, action == .correct || action == .confirm {
                        let learner = TemplateLearner(store: hub.store, book: book, maxDocumentBytes: APILimits().maxDocumentBytes,
                                                      logger: Logger(label: "customs-hub.review") { _ in SwiftLogNoOpLogHandler() },
                                                      onEvent: { Diagnostics.say($0) })
                        if let learning = await learner.learn(documentID: documentID, order: corrected, document: documentFields, reviewer: reviewer),
                           case .object(var o) = answer {
                            o["template_learning"] = learning
                            answer = .object(o)
                        }
                    }
                    return (result, answer)
                }
            } catch let error as HubError {
                Diagnostics.say("\(error)")
                throw ExitCode(1)
            }
            printJSONValue(answer)
            if result.outcome == .notOpen {
                Diagnostics.say("review item \(id) is already resolved")
                throw ExitCode(1)
            }
        }
    }
}

/// `customs-hub audit`: the decision trail and its hash chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Export an order's decision trail, or verify the whole hash chain.",
        discussion: Help.text(example: "customs-hub audit verify"), subcommands: [Export.self, Verify.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every decision about one order, oldest first, one JSON line each (input, output, evidence, versions, actor, hashes).",
            discussion: Help.text("Exit 1 when there is no such order.", example: "customs-hub audit export --order 1"))
        @Option(name: .long, help: "The order id.") var order: Int64
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                let trail = try await database.reading { store in try await HubReader(store: store).auditTrail(orderID: order) }
                for d in trail { printJSONValue(HubJSON.decision(d)) }
            } catch let error as HubError {
                Diagnostics.say("\(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the decision chain from its first record and compare it with the stored head.",
            discussion: Help.text(
                """
                Prints {"intact","records","head_length","first_broken_record","reason"}. Exit 1 when a record was changed, \
                removed or inserted (the first broken one is named).
                """,
                example: "customs-hub audit verify"))
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let report = try await database.reading { store in try await HubReader(store: store).verifyAudit() }
            printJSONValue(report.json)
            if let broken = report.broken {
                Diagnostics.say("audit chain broken: \(broken)")
                throw ExitCode(1)
            }
        }
    }
}
