import DocumentExtraction
import Documents
import Foundation
import Hub
import JSONCore
import Logging
import Store
import Synchronization

/// The supplier templates the server reads documents with: the shipped ones and those learned
/// from reviewers' corrections, which are written into `learnedFolder` (in the data folder) and
/// take effect for the next document at once.
public final class SupplierTemplateBook: Sendable {
    private let state: Mutex<[SupplierTemplate]>
    /// Where learned templates are written; nil: nothing is learned (the answer says so).
    public let learnedFolder: URL?

    public init(templates: [SupplierTemplate] = [], learnedFolder: URL? = nil) {
        state = Mutex(templates)
        self.learnedFolder = learnedFolder
    }

    public var templates: [SupplierTemplate] { state.withLock { $0 } }

    /// Checks a learned template's file exactly as a start would (it is read back from the YAML,
    /// then combined with every other template), and only then writes it and puts it in use. A
    /// file that would not load is never written. Returns the file's path.
    func install(_ yaml: String, supplier: String) throws -> String {
        guard let folder = learnedFolder else { throw SupplierTemplateError(file: "(none)", line: 0, field: "(folder)", message: "no folder for learned templates") }
        let name = SupplierTemplates.learnedFileName(supplier)
        let path = "\(folder.path)/\(name)"
        let template = try SupplierTemplate.load(Array(yaml.utf8), source: path)
        try state.withLock { current in
            let learnedPrefix = folder.path + "/"
            let others = current.filter { $0.source.hasPrefix(learnedPrefix) && $0.source != path }
            let shipped = current.filter { !$0.source.hasPrefix(learnedPrefix) }
            let combined = try SupplierTemplate.combine(learned: (others + [template]).sorted { $0.source < $1.source }, shipped: shipped)
            _ = try SupplierTemplates.write(yaml, name: name, into: folder)
            current = combined
        }
        return path
    }
}

/// What a reviewer's corrections to a document draft teach that supplier's template: the one
/// hand-off behind `POST /v1/reviews/ID/resolve`, the workbench's correct and
/// `customs-hub review resolve --order`, so all three learn alike and answer with the same
/// `template_learning` object.
public struct TemplateLearner: Sendable {
    public let store: any DocumentDrafts
    public let book: SupplierTemplateBook
    /// The stored file is read again within this limit (the server's document limit).
    public let maxDocumentBytes: Int
    public let logger: Logger
    public let onEvent: @Sendable (String) -> Void

    public init(store: any DocumentDrafts, book: SupplierTemplateBook, maxDocumentBytes: Int, logger: Logger,
                onEvent: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store; self.book = book; self.maxDocumentBytes = maxDocumentBytes; self.logger = logger; self.onEvent = onEvent
    }

    /// Document fields a corrected canonical order carries, and where: `external_reference` is the
    /// invoice number, `created_at` its date, the seller's and the first other party's names.
    public static func corrections(order: JSONValue?, document: JSONValue?, read: JSONValue?) -> [String: String] {
        var given: [String: String] = [:]
        if let order {
            given["invoice_number"] = order["external_reference"]?.stringValue
            given["invoice_date"] = order["created_at"]?.stringValue.map { String($0.prefix(10)) }
            given["currency"] = order["currency"]?.stringValue
            given["incoterm"] = order["shipment"]?["incoterm"]?.stringValue
            let parties = order["parties"]?.arrayValue ?? []
            given["seller_name"] = parties.first { $0["role"]?.stringValue == "seller" }?["name"]?.stringValue
            given["buyer_name"] = parties.first { $0["role"]?.stringValue != "seller" }?["name"]?.stringValue
        }
        // Values the order does not carry (the invoice total), given beside it as `document`.
        for (k, v) in document?.objectValue?.members ?? [] {
            if let s = v.stringValue ?? { if case .number(let n) = v { return n } else { return nil } }() { given[k] = s }
        }
        var out: [String: String] = [:]
        for (field, value) in given {
            let was = read?[field]?.stringValue ?? { if case .number(let n)? = read?[field] { return n } else { return nil } }()
            let canonical = SupplierTemplate.canonical(field, value)
            if was.map({ SupplierTemplate.canonical(field, $0) }) != canonical { out[field] = value }
        }
        return out
    }

    /// After a reviewer submitted a document draft: what the corrections teach that supplier's
    /// template, written as a learned template when anything was learned. The answer's
    /// `template_learning` (nil when nothing was corrected): the file, the fields learned and how,
    /// and the corrections that taught nothing with the reason. Never fails the resolution.
    public func learn(documentID: Int64, order: JSONValue?, document: JSONValue?, reviewer: String) async -> JSONValue? {
        do {
            guard let draft = try await store.documentDraft(id: documentID), let file = try await store.documentFile(id: documentID) else { return nil }
            let extraction = try JSONParser.parse(draft.extractionJSON)
            let corrections = Self.corrections(order: order, document: document, read: extraction["document"])
            guard !corrections.isEmpty else { return nil }
            func answer(_ learning: TemplateLearning?, file: String?, message: String) -> JSONValue {
                .object(JSONObject([
                    ("written", .bool(file != nil)), ("file", file.map(JSONValue.string) ?? .null), ("message", .string(message)),
                    ("supplier", learning?.template.map { .string($0.supplier) } ?? .null),
                    ("learned", .array((learning?.learned ?? []).map { l in
                        .object(JSONObject([("field", .string(l.field)), ("value", .string(l.value)), ("how", .string(l.how))]))
                    })),
                    ("not_learned", .array((learning?.notLearned ?? []).map { l in
                        .object(JSONObject([("field", .string(l.field)), ("value", .string(l.value)), ("reason", .string(l.reason))]))
                    })),
                ]))
            }
            guard let folder = book.learnedFolder else {
                return answer(nil, file: nil, message: "nothing was learned: no folder for learned templates is configured")
            }
            let pages = try await Self.pages(file, maxBytes: maxDocumentBytes)
            let source = extraction["template"]?["source"]?.stringValue
            let base = source.flatMap { s in book.templates.first { $0.source == s } }
            let supplier = corrections["seller_name"] ?? extraction["document"]?["seller_name"]?.stringValue
            let name = SupplierTemplates.learnedFileName(base?.supplier ?? supplier ?? "")
            let learning = SupplierTemplate.learn(from: pages, corrections: corrections, base: base, supplier: supplier,
                                                  source: "\(folder.path)/\(name)")
            guard let template = learning.template else {
                return answer(learning, file: nil, message: "nothing was written: no correction could be found on the document and read back")
            }
            let yaml = template.yaml(comment: [
                "Learned by the hub from reviewers' corrections; the last from document \(documentID), corrected by \(reviewer).",
                "Checked at load like the shipped templates (Data/documents/templates); edit or delete it freely.",
            ])
            let path = try book.install(yaml, supplier: template.supplier)
            logger.info("supplier template learned", metadata: ["document.id": "\(documentID)", "template.file": "\(path)",
                                                               "fields": "\(learning.learned.map(\.field).joined(separator: ","))"])
            onEvent("template of \(template.supplier) learned \(learning.learned.map(\.field).joined(separator: ", ")) from document \(documentID)")
            return answer(learning, file: path, message: "learned \(learning.learned.count) field(s); the next document of \(template.supplier) is read with it")
        } catch {
            logger.warning("supplier template not learned", metadata: ["document.id": "\(documentID)", "error": "\(error)"])
            return .object(JSONObject([("written", .bool(false)), ("file", .null), ("message", .string("nothing was learned: \(error)"))]))
        }
    }

    /// The words of a stored file, read again on their own thread (as `read` does).
    static func pages(_ bytes: [UInt8], maxBytes: Int) async throws -> [PageText] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[PageText], any Error>) in
            Thread.detachNewThread {
                do {
                    var reader = AnyDocumentReader()
                    reader.limits.maxBytes = maxBytes
                    continuation.resume(returning: try reader.pages(bytes))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

extension HubAPI {
    /// The learner on this server's store, templates and document limit.
    var templateLearner: TemplateLearner {
        TemplateLearner(store: store, book: templateBook, maxDocumentBytes: limits.maxDocumentBytes, logger: logger, onEvent: onEvent)
    }

    func learnTemplate(documentID: Int64, order: JSONValue?, document: JSONValue?, reviewer: String) async -> JSONValue? {
        await templateLearner.learn(documentID: documentID, order: order, document: document, reviewer: reviewer)
    }
}
