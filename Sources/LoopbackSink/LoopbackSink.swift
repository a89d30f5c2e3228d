import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
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
    private let server = Mutex<(any Channel)?>(nil)
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

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
    ///
    /// A plain NIO HTTP/1.1 server: each request is answered on its connection's event loop. An
    /// answer therefore never waits for a thread of the cooperative pool (which a test run's
    /// CPU-bound tests may hold for seconds) and costs no hand-off to another thread; the waits
    /// (latency, slow answers) are timers on that loop.
    public func start() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The sink's answers carry the headers its scripts give: no validator pass over each.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true, withOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(SinkConnection(sink: self))
                    let id = ObjectIdentifier(channel)
                    self.connections.withLock { $0[id] = channel }
                    channel.closeFuture.whenComplete { _ in _ = self.connections.withLock { $0.removeValue(forKey: id) } }
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let bound = channel.localAddress?.port, bound > 0 else {
            try? await channel.close()
            throw SinkError.notListening
        }
        server.withLock { $0 = channel }
        port.withLock { $0 = bound }
    }

    /// Stops listening; open connections close once their request in progress is answered.
    public func stop() async {
        guard let listener = server.withLock({ s -> (any Channel)? in defer { s = nil }; return s }) else { return }
        try? await listener.close()
        let open = connections.withLock { Array($0.values) }
        for channel in open {
            channel.eventLoop.execute {
                if let handler = try? channel.pipeline.syncOperations.handler(type: SinkConnection.self) {
                    handler.closeWhenIdle()
                } else {
                    channel.close(promise: nil)
                }
            }
        }
        for channel in open { try? await channel.closeFuture.get() }
    }

    public enum SinkError: Error { case notListening }

    /// What to send back for one request, and how long to wait first.
    struct Answer {
        var status: Int
        var headers: [(String, String)] = []
        var body: String = ""
        /// The gateway's processing time drawn from `setLatency` (counted in `latencyTotals`).
        var latencyMillis = 0
        /// A `.slow` reply's wait, after the latency.
        var slowMillis = 0
    }

    /// Answers one complete request (on its event loop).
    func answer(method: HTTPMethod, uri: Substring, headers: HTTPHeaders, body: ByteBuffer) -> Answer {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if method == .POST, path == "/deliver" { return deliver(headers: headers, body: body) }
        if method == .POST, path == "/oauth/token" {
            let token = state.withLock { s -> (String, Int) in
                s.tokenRequests.append(Array(buffer: body))
                let token = "tok-\(s.tokenRequests.count)"
                s.validTokens.insert(token)
                return (token, s.tokenLifetimeSeconds)
            }
            return Answer(status: 200, headers: [("content-type", "application/json")],
                          body: "{\"access_token\":\"\(token.0)\",\"token_type\":\"bearer\",\"expires_in\":\(token.1)}")
        }
        if method == .GET, path.hasPrefix("/status/") {
            let key = String(path.dropFirst("/status/".count))
            guard !key.isEmpty, !key.contains("/") else { return Answer(status: 404) }
            let known = state.withLock { s -> Bool in
                s.statusQueries += 1
                return s.accepted[key] != nil
            }
            return Answer(status: known ? 200 : 404)
        }
        return Answer(status: 404)
    }

    private func deliver(headers: HTTPHeaders, body: ByteBuffer) -> Answer {
        let key = headers.first(name: "idempotency-key") ?? headers.first(name: "x-conversation-id") ?? ""
        let attempt = headers.first(name: "x-outbox-attempt") ?? ""
        let authorization = headers.first(name: "authorization") ?? ""
        /// Header names lower-cased, built only when the request is kept.
        func named() -> [String: String] {
            var named: [String: String] = [:]
            for (name, value) in headers {
                named[name.utf8.contains(where: { (65...90).contains($0) }) ? name.lowercased() : name] = value
            }
            return named
        }
        let now = Date()
        return state.withLock { s -> Answer in
            if s.requireBearer,
               !(authorization.hasPrefix("Bearer ") && s.validTokens.contains(String(authorization.dropFirst(7)))) {
                s.received.append(Received(key: key, attempt: attempt, at: now, bodyBytes: body.readableBytes, answered: 401,
                                           headers: named(), body: Array(buffer: body)))
                return Answer(status: 401)
            }
            let reply: Reply
            if var script = s.scripts[key], !script.isEmpty {
                reply = script.removeFirst()
                s.scripts[key] = script
            } else {
                reply = s.defaultReply
            }
            var answer: Answer
            var accepts = false
            switch reply {
            case .status(let code):
                answer = Answer(status: code)
                accepts = (200..<300).contains(code)
            case .retryAfter(let code, let seconds):
                answer = Answer(status: code, headers: [("retry-after", String(seconds))])
            case .slow(let millis, let code):
                answer = Answer(status: code, slowMillis: millis)
                accepts = true
            case .answer(let code, let type, let text):
                answer = Answer(status: code, headers: [("content-type", type)], body: text)
                accepts = (200..<300).contains(code)
            }
            s.deliveries += 1
            if s.keepRequests {
                s.received.append(Received(key: key, attempt: attempt, at: now, bodyBytes: body.readableBytes, answered: answer.status,
                                           headers: named(), body: Array(buffer: body)))
            }
            if accepts {
                if s.accepted[key] != nil, (200..<300).contains(answer.status) { s.duplicates += 1 }
                s.accepted[key] = s.accepted[key] ?? now
            }
            answer.latencyMillis = s.latency.map { Int.random(in: $0) } ?? 0
            return answer
        }
    }

    /// Counts a latency wait that is over (`handlerSeconds` from the request's end to now).
    func waited(drawnMillis: Int, since entered: ContinuousClock.Instant) {
        let took = ContinuousClock.now - entered
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        state.withLock { s in
            s.latencyTotals.answers += 1
            s.latencyTotals.drawnMillis += drawnMillis
            s.latencyTotals.handlerSeconds += seconds
        }
    }
}

/// One connection of the sink, on its event loop: gathers a request, answers it (after the
/// scripted waits), and keeps the connection open unless the client asked to close it.
final class SinkConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBody = 16 << 20

    private let sink: LoopbackSink
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false
    /// A request is being read or answered.
    private var busy = false
    private var closing = false
    private var context: ChannelHandlerContext?

    init(sink: LoopbackSink) { self.sink = sink }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h; body = nil; tooLarge = false; busy = true
        case .body(var part):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + part.readableBytes > Self.maxBody {
                tooLarge = true; body = nil
            } else if body == nil {
                body = part
            } else {
                body?.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let body = self.body ?? ByteBuffer()
            self.body = nil
            let entered = ContinuousClock.now
            let answer = tooLarge ? LoopbackSink.Answer(status: 413) : sink.answer(method: head.method, uri: Substring(head.uri), headers: head.headers, body: body)
            wait(answer, head: head, entered: entered)
        }
    }

    /// Sends `answer` after its latency and slow waits, as timers on this loop.
    private func wait(_ answer: LoopbackSink.Answer, head: HTTPRequestHead, entered: ContinuousClock.Instant) {
        guard let context else { return }
        if answer.latencyMillis > 0 {
            var rest = answer
            rest.latencyMillis = 0
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(answer.latencyMillis))) {
                self.sink.waited(drawnMillis: answer.latencyMillis, since: entered)
                self.wait(rest, head: head, entered: entered)
            }
        } else if answer.slowMillis > 0 {
            var rest = answer
            rest.slowMillis = 0
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(answer.slowMillis))) {
                self.wait(rest, head: head, entered: entered)
            }
        } else {
            respond(answer, to: head)
        }
    }

    private func respond(_ answer: LoopbackSink.Answer, to request: HTTPRequestHead) {
        guard let context, context.channel.isActive else { return }
        var body = context.channel.allocator.buffer(capacity: answer.body.utf8.count)
        body.writeString(answer.body)
        var headers = HTTPHeaders()
        headers.reserveCapacity(answer.headers.count + 2)
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        headers.add(name: "content-length", value: String(body.readableBytes))
        let keepAlive = request.isKeepAlive && !closing
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .init(statusCode: answer.status), headers: headers))),
                      promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        busy = false
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Closes now if no request is in progress, else right after its answer.
    func closeWhenIdle() {
        closing = true
        if !busy { context?.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
