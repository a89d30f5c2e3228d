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

    public init(validator: OrderValidator, classifier: Classifier, screening: ScreeningService, risk: RiskAssessor, tariff: TariffBook?,
                catalog: AdapterCatalog, routes: RouteTable, versions: EngineVersions) {
        self.validator = validator; self.classifier = classifier; self.screening = screening; self.risk = risk
        self.tariff = tariff; self.catalog = catalog; self.routes = routes; self.versions = versions
    }
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
