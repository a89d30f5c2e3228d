import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A gateway stand-in on 127.0.0.1 for relay tests and the benchmark: it answers each delivery from
/// a per-key script (200, 500, 429 with Retry-After, a slow answer past the client's timeout) and
/// records everything it saw, so tests can check what actually reached "the gateway".
///
/// Like a real gateway with idempotency keys, it *accepts* a message the first time a request for
/// its key is answered 2xx or times out after arrival, and answers `GET /status/{key}` from that.
public final class LoopbackSink: Sendable {
    public enum Reply: Sendable, Hashable {
        case status(Int)
        case retryAfter(status: Int, seconds: Int)
        /// Accepts the message, then answers `status` only after `millis` (past the client's timeout).
        case slow(millis: Int, status: Int)
        /// Answers `status` with a body (a gateway's acceptance with its reference, a rejection with reasons).
        case answer(status: Int, contentType: String, body: String)
    }

    public struct Received: Sendable, Hashable {
        public var key: String
        public var attempt: String
        public var at: Date
        public var bodyBytes: Int
        public var answered: Int
        /// Header names lower-cased.
        public var headers: [String: String] = [:]
        public var body: [UInt8] = []
    }

    private struct State {
        var scripts: [String: [Reply]] = [:]
        var defaultReply: Reply = .status(200)
        var received: [Received] = []
        var accepted: [String: Date] = [:]
        var statusQueries = 0
        var tokenRequests: [[UInt8]] = []
        var validTokens: Set<String> = []
        var requireBearer = false
        var tokenLifetimeSeconds = 3600
        var latency: ClosedRange<Int>?
        var keepRequests = true
        var duplicates = 0
        var deliveries = 0
        var latencyTotals = LatencyTotals()
    }

    /// What the configured latency cost: the waits drawn, and how long the `/deliver` handlers
    /// really took (request in to answer out, so timer lateness under load shows as the difference).
    public struct LatencyTotals: Sendable, Hashable {
        public var answers = 0
        public var drawnMillis = 0
        public var handlerSeconds = 0.0
    }

    private let state = Mutex(State())
    private let port = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    public init() {}

    public var url: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)/deliver" }
    public var statusURLTemplate: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)/status/{key}" }

    public func setDefault(_ reply: Reply) { state.withLock { $0.defaultReply = reply } }

    /// A gateway's own processing time: every `/deliver` answer waits a uniformly random number of
    /// milliseconds in `millis` (jitter included) before it is sent; nil answers at once.
    public func setLatency(_ millis: ClosedRange<Int>?) { state.withLock { $0.latency = millis } }

    /// When off, deliveries are only counted (`deliveries`, `duplicates`), not kept with their
    /// headers and bodies: a long benchmark run then does not grow the sink's memory.
    public func keepRequests(_ on: Bool) { state.withLock { $0.keepRequests = on } }

    /// `/deliver` requests answered so far.
    public var deliveries: Int { state.withLock { $0.deliveries } }
    /// 2xx answers for a key the sink had already accepted: a row delivered twice.
    public var duplicates: Int { state.withLock { $0.duplicates } }
    /// Waits drawn and handler time of the `/deliver` answers since the last `reset()`.
    public var latencyTotals: LatencyTotals { state.withLock { $0.latencyTotals } }

    /// Forgets what was received and accepted (between benchmark measures).
    public func reset() {
        state.withLock { s in s.received = []; s.accepted = [:]; s.duplicates = 0; s.deliveries = 0; s.statusQueries = 0; s.latencyTotals = LatencyTotals() }
    }
    public func script(_ key: String, _ replies: [Reply]) { state.withLock { $0.scripts[key] = replies } }

    public var received: [Received] { state.withLock { $0.received } }
    public var acceptedKeys: Set<String> { state.withLock { Set($0.accepted.keys) } }
    public var statusQueries: Int { state.withLock { $0.statusQueries } }
    /// Bodies of the OAuth2 token requests received at `/oauth/token`.
    public var tokenRequests: [[UInt8]] { state.withLock { $0.tokenRequests } }
    public var tokenURL: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)/oauth/token" }

    /// When on, `/deliver` answers 401 unless the request carries a bearer token this sink issued
    /// and has not revoked (an OAuth2 resource server).
    public func requireBearer(_ on: Bool, lifetimeSeconds: Int = 3600) {
        state.withLock { $0.requireBearer = on; $0.tokenLifetimeSeconds = lifetimeSeconds }
    }

    /// Makes every issued token invalid, as a gateway that rotated its keys would.
    public func revokeTokens() { state.withLock { $0.validTokens = [] } }

    /// Requests per key, in arrival order.
    public func requests(for key: String) -> [Received] { received.filter { $0.key == key } }

    /// Starts listening on an ephemeral loopback port and returns once it accepts connections.
    public func start() async throws {
        let router = Router()
        router.post("/oauth/token") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let token = self.state.withLock { s -> (String, Int) in
                s.tokenRequests.append(Array(buffer: body))
                let token = "tok-\(s.tokenRequests.count)"
                s.validTokens.insert(token)
                return (token, s.tokenLifetimeSeconds)
            }
            let json = "{\"access_token\":\"\(token.0)\",\"token_type\":\"bearer\",\"expires_in\":\(token.1)}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        router.post("/deliver") { request, _ -> Response in
            let entered = ContinuousClock.now
            var headers: [String: String] = [:]
            // `canonicalName` is lower-case already.
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let key = headers["idempotency-key"] ?? headers["x-conversation-id"] ?? ""
            let attempt = headers["x-outbox-attempt"] ?? ""
            let body = try await request.body.collect(upTo: 16 << 20)
            let unauthorized = self.state.withLock { s -> Bool in
                guard s.requireBearer else { return false }
                let auth = headers["authorization"] ?? ""
                return !(auth.hasPrefix("Bearer ") && s.validTokens.contains(String(auth.dropFirst(7))))
            }
            if unauthorized {
                self.state.withLock { s in
                    s.received.append(Received(key: key, attempt: attempt, at: Date(), bodyBytes: body.readableBytes, answered: 401,
                                               headers: headers, body: Array(buffer: body)))
                }
                return Response(status: .unauthorized)
            }
            let reply = self.state.withLock { s -> Reply in
                if var script = s.scripts[key], !script.isEmpty {
                    let next = script.removeFirst()
                    s.scripts[key] = script
                    return next
                }
                return s.defaultReply
            }
            let answered: Int
            switch reply {
            case .status(let code): answered = code
            case .retryAfter(let code, _): answered = code
            case .slow(_, let code): answered = code
            case .answer(let code, _, _): answered = code
            }
            let now = Date()
            let latency = self.state.withLock { s -> Int? in
                s.deliveries += 1
                if s.keepRequests {
                    s.received.append(Received(key: key, attempt: attempt, at: now, bodyBytes: body.readableBytes, answered: answered,
                                               headers: headers, body: Array(buffer: body)))
                }
                var accepts = false
                if case .slow = reply { accepts = true }
                if (200..<300).contains(answered), case .status = reply { accepts = true }
                if (200..<300).contains(answered), case .answer = reply { accepts = true }
                if accepts {
                    if s.accepted[key] != nil, (200..<300).contains(answered) { s.duplicates += 1 }
                    s.accepted[key] = s.accepted[key] ?? now
                }
                return s.latency.map { Int.random(in: $0) }
            }
            if let latency, latency > 0 {
                try? await Task.sleep(for: .milliseconds(latency))
                let took = ContinuousClock.now - entered
                let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
                self.state.withLock { s in
                    s.latencyTotals.answers += 1
                    s.latencyTotals.drawnMillis += latency
                    s.latencyTotals.handlerSeconds += seconds
                }
            }
            switch reply {
            case .status(let code):
                return Response(status: .init(code: code))
            case .retryAfter(let code, let seconds):
                return Response(status: .init(code: code), headers: [.retryAfter: "\(seconds)"])
            case .slow(let millis, let code):
                try? await Task.sleep(for: .milliseconds(millis))
                return Response(status: .init(code: code))
            case .answer(let code, let type, let text):
                return Response(status: .init(code: code), headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        router.get("/status/{key}") { _, context -> Response in
            let key = context.parameters.get("key") ?? ""
            let known = self.state.withLock { s -> Bool in
                s.statusQueries += 1
                return s.accepted[key] != nil
            }
            return Response(status: known ? .ok : .notFound)
        }
        var logger = Logger(label: "loopback-sink")
        logger.logLevel = .warning
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger))
        group.withLock { $0 = serviceGroup }
        // The server and its handlers run on the sink's own threads: on the shared pool, a test
        // process busy with other work left a relay waiting past its timeout for the answer.
        task.withLock { $0 = Task(executorPreference: SinkExecutor.shared) { try await serviceGroup.run() } }
        var bound = 0
        for await p in ready.stream { bound = p }
        guard bound > 0 else { throw SinkError.notListening }
        port.withLock { $0 = bound }
    }

    public func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
        _ = try? await task.withLock { $0 }?.value
    }

    public enum SinkError: Error { case notListening }
}

/// Two threads of the sink's own that run its server and handlers. Every sink in a process shares
/// them; they live as long as the process. A handler therefore never waits for a thread of the
/// cooperative pool, which other work (a test suite's CPU-bound tests) may hold for many seconds.
final class SinkExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = SinkExecutor(threads: 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    private init(threads: Int) {
        for n in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "loopback-sink-\(n)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
