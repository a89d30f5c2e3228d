import AdapterKit
import AsyncHTTPClient
import Crypto
import Digests
import Foundation
import HTTPTypes
import JSONCore
import Hummingbird
import Logging
import Mapping
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// A stand-in for every built-in gateway on 127.0.0.1: it takes each adapter's filing
/// (`POST /gateway/{adapter}`), answers as the gateway does (JSON couriers 201 with a tracking
/// number, CDS/ICS XML 202 with a conversation id, CUSDEC 200 with a CONTRL-style receipt), then
/// sends signed status callbacks to the hub after realistic delays: accepted, duty assessed, and
/// mostly cleared, sometimes rejected with reasons or held for inspection (chosen by the filing's
/// key, so a run is repeatable).
public final class SandboxGateway: Sendable {
    public struct Settings: Sendable {
        /// Where callbacks go: `{hub}/v1/callbacks/{adapter}`.
        public var hubURL: String
        /// Secret per adapter used to sign callbacks (the hub holds the same).
        public var secrets: [String: String]
        /// Delay before the first callback; later ones follow at the same pace.
        public var stepMillis: Int
        public var sendCallbacks: Bool

        public init(hubURL: String, secrets: [String: String], stepMillis: Int = 800, sendCallbacks: Bool = true) {
            self.hubURL = hubURL; self.secrets = secrets; self.stepMillis = stepMillis; self.sendCallbacks = sendCallbacks
        }
    }

    public struct Filing: Sendable, Hashable {
        public var adapter: String
        public var key: String
        public var reference: String
        public var bytes: Int
        /// The declaration's own reference (the LRN of a CDS or ICS declaration, the document number
        /// of a CUSDEC), else the idempotency key.
        public var lrn: String
        /// A CUSDEC interchange's control reference (UNB 0020), which its CONTRL names.
        public var interchange: String?
        /// The CONTRL written for a CUSDEC at receipt: its first callback, and the HTTP answer.
        public var acknowledgement: [UInt8]?
        /// The CONTRL rejects the interchange (a syntax error): no CUSRES follows.
        public var syntaxRejected = false

        /// The MRN the sandbox's customs office gives the declaration (18 characters, as an MRN has).
        public var mrn: String { "26GB" + String(reference.dropFirst(3)) + "SB" }
    }

    private let catalog: AdapterCatalog
    private let settings: Mutex<Settings>
    private let state = Mutex<[String: Filing]>([:])
    private let callbacksSent = Mutex(0)
    private let boundPort = Mutex<Int?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let collectors = Mutex<[Task<Void, Never>]>([])
    private let logger: Logger
    private let onEvent: @Sendable (String) -> Void

    public init(catalog: AdapterCatalog, settings: Settings, logger: Logger = Logger(label: "customs-hub.sandbox"),
                onEvent: @escaping @Sendable (String) -> Void = { _ in }) {
        self.catalog = catalog; self.settings = Mutex(settings); self.logger = logger; self.onEvent = onEvent
    }

    public var port: Int { boundPort.withLock { $0 } ?? 0 }
    public func url(adapter: String) -> String { "http://127.0.0.1:\(port)/gateway/\(adapter)" }
    public var filings: [Filing] { state.withLock { Array($0.values) } }
    public var callbackCount: Int { callbacksSent.withLock { $0 } }
    public func setHubURL(_ url: String) { settings.withLock { $0.hubURL = url } }

    /// Filings containing this text are refused with HTTP 400 (to show and test DEAD deliveries).
    public static let refuseMarker = "SANDBOX-REFUSE"

    /// What the gateway finally says about a filing: mostly cleared, one in ten rejected, one in ten held.
    public static func finalKind(for key: String) -> String {
        let byte = Array(SHA256.hash(data: Array(key.utf8))).first ?? 0
        switch byte % 10 {
        case 0: return "rejected"
        case 1: return "held"
        default: return "cleared"
        }
    }

    /// Records a filing the first time its key is seen (and schedules its callbacks); a resent
    /// filing is the one already known.
    func take(adapter: AdapterDefinition, key: String, body: [UInt8]) -> Filing {
        let text = String(decoding: body, as: UTF8.self)
        let received = GatewayProtocol(adapter) == .cusdec ? EdifactGateway.receive(body, now: Date()) : nil
        let (filing, isNew) = state.withLock { s -> (Filing, Bool) in
            if let known = s[key] { return (known, false) }
            var f = Filing(adapter: adapter.id, key: key, reference: "SBX" + Digests.sha256(key).prefix(12).uppercased(),
                           bytes: body.count, lrn: received?.documentNumber ?? Self.functionalReference(text) ?? key)
            f.interchange = received?.controlRef
            f.acknowledgement = received?.contrl
            f.syntaxRejected = received?.rejected ?? false
            s[key] = f
            return (f, true)
        }
        if isNew {
            onEvent("sandbox: \(adapter.id) received filing \(filing.reference) (\(filing.bytes) bytes)")
            schedule(filing)
        }
        return filing
    }

    /// Collects a file-drop adapter's files as its partner does: every file the hub finished
    /// writing in `directory` (not the hidden `.part` files) is taken, moved to `collected/`, and
    /// answered with callbacks like a filing sent over HTTP. Runs until `stop()`.
    public func collect(adapter id: String, directory: String) {
        guard let adapter = try? catalog.adapter(id) else { return }
        let poll = Task {
            let fm = FileManager.default
            let done = directory + "/collected"
            var reported = false
            while !Task.isCancelled {
                // No folder yet is nothing sent yet; a folder that cannot be listed is said once.
                var names: [String] = []
                if fm.fileExists(atPath: directory) {
                    do { names = try fm.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted() } catch {
                        if !reported { onEvent("sandbox: cannot list the \(id) drop folder \(directory): \(error)") }
                        reported = true
                    }
                }
                for name in names {
                    let path = directory + "/" + name
                    var isDirectory: ObjCBool = false
                    guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, let data = fm.contents(atPath: path) else { continue }
                    try? fm.createDirectory(atPath: done, withIntermediateDirectories: true)
                    try? fm.removeItem(atPath: done + "/" + name)
                    guard (try? fm.moveItem(atPath: path, toPath: done + "/" + name)) != nil else { continue }
                    _ = take(adapter: adapter, key: (name as NSString).deletingPathExtension, body: Array(data))
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        collectors.withLock { $0.append(poll) }
    }

    public func start(port: Int = 0) async throws {
        let router = Router()
        router.post("/gateway/{adapter}") { request, context -> Response in
            let adapterID = context.parameters.get("adapter") ?? ""
            guard let adapter = try? self.catalog.adapter(adapterID) else { return Response(status: .notFound) }
            let header = adapter.idempotency?.header ?? "Idempotency-Key"
            let key = HTTPField.Name(header).flatMap { request.headers[$0] } ?? UUID().uuidString
            var incoming = request
            let body = try await incoming.collectBody(upTo: 16 << 20)
            // A filing that carries this marker (in a goods description, say) is refused as a gateway
            // would refuse a malformed message: the hub's relay sees a permanent error and marks it DEAD.
            if String(buffer: body).contains(Self.refuseMarker) {
                self.onEvent("sandbox: \(adapterID) refused a filing marked \(Self.refuseMarker) (HTTP 400)")
                return Response(status: .badRequest, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"error\":\"refused by the sandbox: the filing is marked \(Self.refuseMarker)\"}")))
            }
            let filing = self.take(adapter: adapter, key: key, body: Array(buffer: body))
            return Self.answer(adapter: adapter, filing: filing)
        }
        router.get("/gateway/{adapter}/status/{key}") { _, context -> Response in
            let key = context.parameters.get("key") ?? ""
            return Response(status: self.state.withLock { $0[key] } == nil ? .notFound : .ok)
        }
        router.get("/healthz") { _, _ in Response(status: .ok) }
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in
                                  ready.continuation.yield(channel.localAddress?.port ?? 0)
                                  ready.continuation.finish()
                              }, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger))
        group.withLock { $0 = serviceGroup }
        task.withLock { $0 = Task { try await serviceGroup.run() } }
        var bound = 0
        for await p in ready.stream { bound = p }
        guard bound > 0 else { throw SandboxError.notListening }
        boundPort.withLock { $0 = bound }
    }

    public func stop() async {
        for poll in collectors.withLock({ $0 }) { poll.cancel() }
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
    }

    public enum SandboxError: Error { case notListening }

    /// The gateway's synchronous answer, in its format: HMRC's `SuccessResponse` with a correlation
    /// id for ICS, a conversation id for CDS, the CONTRL for a CUSDEC, a tracking number for couriers.
    static func answer(adapter: AdapterDefinition, filing: Filing) -> Response {
        if GatewayProtocol(adapter) == .ics {
            return Response(status: .ok, headers: [.contentType: "application/xml"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: ICSGateway.successResponse(correlationID: filing.reference))))
        }
        switch adapter.format {
        case .xml:
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Acknowledgement><ConversationID>\(filing.reference)</ConversationID></Acknowledgement>"
            return Response(status: .accepted, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
        case .edifact:
            return Response(status: .ok, headers: [.contentType: "application/edifact"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: filing.acknowledgement ?? [])))
        case .json, .csv:
            let json = "{\"id\":\"\(filing.reference)\",\"shipmentTrackingNumber\":\"\(filing.reference)\",\"status\":\"received\"}"
            return Response(status: .created, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
    }

    /// The declaration's LRN: `FunctionalReferenceID` in a WCO declaration, `RefNumHEA4` in an ICS
    /// entry summary.
    static func functionalReference(_ text: String) -> String? {
        guard let open = text.range(of: #"<([A-Za-z0-9_]+:)?(FunctionalReferenceID|RefNumHEA4)>"#, options: .regularExpression),
              let close = text.range(of: "</", range: open.upperBound..<text.endIndex) else { return nil }
        let value = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// The status steps one filing gets in its gateway's protocol (see `GatewayProtocol.script`).
    static func script(for filing: Filing, adapter: AdapterDefinition) -> [(kind: String, errors: [(String, String)])] {
        GatewayProtocol(adapter).script(final: finalKind(for: filing.key), syntaxRejected: filing.syntaxRejected)
    }

    private func schedule(_ filing: Filing) {
        let s = settings.withLock { $0 }
        guard s.sendCallbacks, let adapter = try? catalog.adapter(filing.adapter), GatewayProtocol(adapter) != .silent else { return }
        Task {
            for (step, item) in Self.script(for: filing, adapter: adapter).enumerated() {
                try? await Task.sleep(for: .milliseconds(s.stepMillis))
                guard let body = Self.callbackBody(adapter: adapter, filing: filing, kind: item.kind, errors: item.errors, sequence: step + 1,
                                                   now: Date()) else { continue }
                await self.sendCallback(filing, adapter: adapter, body: body, sequence: step + 1)
            }
        }
    }

    /// One status message in the adapter's own callback format: a DMS notification for CDS, an
    /// IE328/IE316/IE351 for ICS, CONTRL (`syntax`) and CUSRES for a CUSDEC gateway, a tracker event
    /// for EasyPost, the generic status webhook's envelope otherwise. Nil when the adapter has no
    /// word for the step (a courier says nothing about duty).
    public static func callbackBody(adapter: AdapterDefinition, filing: Filing, kind: String, errors: [(String, String)], sequence: Int,
                                    now: Date) -> [UInt8]? {
        let gateway = GatewayProtocol(adapter)
        switch gateway {
        case .ics:
            return ICSGateway.outcome(kind: kind, lrn: filing.lrn, mrn: filing.mrn, errors: errors, sequence: sequence, now: now)
        case .cusdec:
            if kind == "syntax" { return filing.acknowledgement }
            return EdifactGateway.cusres(kind: kind, lrn: filing.lrn, mrn: filing.mrn, errors: errors, sequence: sequence, now: now)
        case .silent:
            return nil
        case .cds, .easypost, .webhook:
            break
        }
        if gateway == .cds {
            let codes = ["accepted": "01", "duty_assessed": "13", "cleared": "09", "rejected": "03", "held": "05"]
            guard let code = codes[kind] else { return nil }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyyMMddHHmmss'Z'"
            let time = f.string(from: now)
            let mrn = filing.mrn
            let errorXML = errors.map { "<Error><ValidationCode>\(escape($0.0))</ValidationCode><Description>\(escape($0.1))</Description></Error>" }.joined()
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?><MetaData><WCODataModelVersionCode>3.6</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName>\
                <Response><FunctionCode>\(code)</FunctionCode><FunctionalReferenceID>\(escape(filing.reference))-\(sequence)</FunctionalReferenceID>\
                <IssueDateTime><DateTimeString formatCode="304">\(time)</DateTimeString></IssueDateTime>\(errorXML)\
                <Declaration><FunctionalReferenceID>\(escape(filing.lrn))</FunctionalReferenceID><ID>\(mrn)</ID><VersionID>1</VersionID></Declaration>\
                </Response></MetaData>
                """
            return Array(xml.utf8)
        }
        let time = ISO8601DateFormatter().string(from: now)
        let eventID = "evt_\(filing.reference)_\(sequence)"
        if gateway == .easypost {
            let statuses = ["accepted": "pre_transit", "duty_assessed": "in_transit", "cleared": "delivered", "held": "failure", "rejected": "return_to_sender"]
            guard let status = statuses[kind] else { return nil }
            let details = JSONValue.array([.object(JSONObject([("status", .string(status)), ("status_detail", .string(kind)), ("datetime", .string(time))]))])
            return Array(JSONWriter.write(.object(JSONObject([
                ("id", .string(eventID)), ("object", .string("Event")), ("description", .string("tracker.updated")),
                ("result", .object(JSONObject([("id", .string(filing.reference)), ("object", .string("Tracker")), ("tracking_code", .string(filing.key)),
                                               ("status", .string(status)), ("tracking_details", details)]))),
            ]))).utf8)
        }
        let data = JSONObject([
            ("kind", .string(kind)), ("reference", .string(filing.key)), ("authority_reference", .string(filing.reference)),
            ("occurred_at", .string(time)),
            ("errors", .array(errors.map { .object(JSONObject([("code", .string($0.0)), ("message", .string($0.1))])) })),
        ])
        return Array(JSONWriter.write(.object(JSONObject([("id", .string(eventID)), ("type", .string("filing.status")), ("timestamp", .string(time)),
                                                          ("data", .object(data))]))).utf8)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Sends one callback, signed with the adapter's callback scheme (the hub's default when its file names none).
    func sendCallback(_ filing: Filing, adapter: AdapterDefinition, body: [UInt8], sequence: Int) async {
        let s = settings.withLock { $0 }
        guard let secret = s.secrets[filing.adapter] else { return }
        let eventID = "evt_\(filing.reference)_\(sequence)"
        let signature = adapter.callbacks?.signature ?? .hubDefault()
        var request = HTTPClientRequest(url: s.hubURL + "/v1/callbacks/" + filing.adapter)
        request.method = .POST
        request.headers.add(name: "content-type", value: GatewayProtocol(adapter).callbackContentType)
        for (name, value) in CallbackSigner.headers(signature, secret: CallbackVerifier.secretBytes(secret), body: body, eventID: eventID, now: Date()) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        for attempt in 0..<5 {
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                if response.status.code < 500 {
                    callbacksSent.withLock { $0 += 1 }
                    if response.status.code >= 400 {
                        logger.warning("hub refused sandbox callback: \(response.status.code)", metadata: ["adapter.id": "\(filing.adapter)"])
                    }
                    onEvent("sandbox: \(filing.adapter) sent callback \(sequence) for \(filing.reference) → HTTP \(response.status.code)")
                    return
                }
            } catch {}
            try? await Task.sleep(for: .milliseconds(500 * (attempt + 1)))
        }
    }
}
