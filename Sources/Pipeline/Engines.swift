import AdapterKit
import Classification
import CustomsModel
import JSONCore
import Risk
import Screening
import Tariff

/// Everything the pipeline decides with, loaded by the edge and handed in. Immutable: a reload
/// builds a new value, so one order is always evaluated with one consistent set of versions.
public struct PipelineEngines: Sendable {
    public var validator: OrderValidator
    public var classifier: Classifier
    public var screening: ScreeningService
    public var risk: RiskAssessor
    /// Nil when no pack could be loaded: orders still flow, with the quote's absence recorded.
    public var tariff: TariffBook?
    public var catalog: AdapterCatalog
    public var routes: RouteTable
    public var versions: EngineVersions
    /// Told of each engine call `evaluate` makes (nil in the hub): see `EngineMeter`.
    public var meter: (any EngineMeter)? = nil

    public init(validator: OrderValidator, classifier: Classifier, screening: ScreeningService, risk: RiskAssessor, tariff: TariffBook?,
                catalog: AdapterCatalog, routes: RouteTable, versions: EngineVersions) {
        self.validator = validator; self.classifier = classifier; self.screening = screening; self.risk = risk
        self.tariff = tariff; self.catalog = catalog; self.routes = routes; self.versions = versions
    }
}

/// The engine calls `evaluate` makes, as `EngineMeter` names them: the same calls, with the same
/// inputs, that `pipeline-bench` times on their own as "the engines".
public enum EngineCall: Int, Sendable, CaseIterable {
    /// `OrderValidator.check`.
    case validate
    /// `Classifier.classify`, once per order (its lines together).
    case classify
    /// `ScreeningService.screenOrder`.
    case screen
    /// `RiskAssessor.assess`.
    case risk
    /// The quote's request and `QuoteEngine.quote`.
    case quote
    /// The filed lines encoded for the mappings (`Order.jsonValue`) and `AdapterCatalog.render`, once per filing.
    case render
}

/// Wrapped around every engine call `evaluate` makes, so that a benchmark can time the engines as
/// they run inside the pipeline (on its thread's CPU clock), apart from the pipeline's own work
/// between them: called one by one in a loop, the engines keep caches that the pipeline, the store's
/// commit and each other take from them inside `submit`. The pipeline reads no clock itself.
public protocol EngineMeter: Sendable {
    /// Runs `body` (one engine call) and returns what it returns.
    func measure<T, E: Error>(_ call: EngineCall, _ body: () throws(E) -> T) throws(E) -> T
}

/// The versions of everything a decision depends on; each decision record carries them.
public struct EngineVersions: Sendable, Hashable {
    public var model: String
    public var lists: [String]
    public var packs: [String]
    /// A digest of the adapter and mapping files, so two catalogs with the same names but other
    /// contents are told apart.
    public var content: String
    public var routes: String
    public var riskPolicy: String

    public init(model: String, lists: [String], packs: [String], content: String, routes: String, riskPolicy: String) {
        self.model = model; self.lists = lists; self.packs = packs; self.content = content; self.routes = routes; self.riskPolicy = riskPolicy
    }

    public var json: JSONValue {
        .object(JSONObject([
            ("model", .string(model)), ("lists", .array(lists.map(JSONValue.string))), ("packs", .array(packs.map(JSONValue.string))),
            ("adapters_and_mappings", .string(content)), ("routes", .string(routes)), ("risk_policy", .string(riskPolicy)),
        ]))
    }

    public var text: String { JSONWriter.write(json) }
}
