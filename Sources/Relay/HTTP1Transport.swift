import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// HTTP/1.1 over plain TCP for `http://` gateways, with kept-alive connections per host and port.
///
/// Why not AsyncHTTPClient for these: a loopback delivery spent more CPU in its per-request state
/// machines, pool bookkeeping and streamed response body than in the request itself. Here a
/// request is one flush of head and body on a connection taken from a stack of idle ones, NIO's
/// parser reads the answer into one buffer on the event loop, and the caller is resumed once.
/// `https://` and every other URL go to `fallback` (AsyncHTTPClient, which does TLS), so TLS
/// endpoints keep working exactly as before.
///
/// The two outcomes keep the relay's meaning: `notSent` only when no byte of the request left
/// (bad URL, refused or timed-out connect, a header that cannot be written); once written, any
/// failure (timeout, connection closed, an answer too large or malformed) is `noAnswer`.
public final class HTTP1Transport: Transport, Sendable {
    public let fallback: any Transport
    public let maxResponseBytes: Int
    /// Idle connections kept per host and port; a connection opened past this is closed after use.
    public let maxIdlePerHost: Int
    /// An idle connection older than this is closed instead of reused: a server may close its end
    /// at about this age, and a request written into a connection as it closes ends as "no answer".
    public let idleMillis: Int64
    private let group: any EventLoopGroup
    private let idle = Mutex<[Endpoint: [IdleConnection]]>([:])

    struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
    }

    private struct IdleConnection: Sendable {
        var channel: any Channel
        var handler: NIOLoopBound<HTTP1ClientHandler>
        var since: NIODeadline
    }

    public init(fallback: any Transport, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                maxResponseBytes: Int = 1 << 20, maxIdlePerHost: Int = 128, idleMillis: Int64 = 4_000) {
        self.fallback = fallback; self.group = group; self.maxResponseBytes = maxResponseBytes
        self.maxIdlePerHost = max(0, maxIdlePerHost); self.idleMillis = idleMillis
    }

    /// Closes the idle connections (in-flight requests finish on theirs, which then close).
    public func shutdown() async {
        let all = idle.withLock { pools -> [IdleConnection] in
            let all = pools.values.flatMap { $0 }
            pools = [:]
            return all
        }
        for connection in all { try? await connection.channel.close() }
    }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        guard let target = PlainHTTPTarget(request.url) else {
            return try await fallback.send(request, timeoutMillis: timeoutMillis)
        }
        let deadline = NIODeadline.now() + .milliseconds(max(1, timeoutMillis))
        let head = try Self.head(request, target: target)
        let endpoint = Endpoint(host: target.host, port: target.port)
        let connection = try await acquire(endpoint, deadline: deadline, timeoutMillis: timeoutMillis)
        let promise = connection.channel.eventLoop.makePromise(of: HTTP1ClientHandler.Answer.self)
        let body = request.method == .post || !request.body.isEmpty ? request.body : nil
        let limit = maxResponseBytes
        let handler = connection.handler
        connection.channel.eventLoop.execute {
            handler.value.start(head: head, body: body, limit: limit, deadline: deadline, timeoutMillis: timeoutMillis, promise: promise)
        }
        let answer: HTTP1ClientHandler.Answer
        do {
            answer = try await promise.futureResult.get()
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw .noAnswer(String(describing: error))
        }
        if answer.keepAlive { release(connection, endpoint: endpoint) } else { connection.channel.close(promise: nil) }
        return answer.response
    }

    /// An idle kept-alive connection to `endpoint`, or a new one.
    private func acquire(_ endpoint: Endpoint, deadline: NIODeadline, timeoutMillis: Int64) async throws(TransportFailure) -> IdleConnection {
        let now = NIODeadline.now()
        let maxAge = TimeAmount.milliseconds(idleMillis)
        var stale: [IdleConnection] = []
        let reused = idle.withLock { pools -> IdleConnection? in
            while var connection = pools[endpoint]?.popLast() {
                if connection.channel.isActive, connection.since + maxAge > now {
                    connection.since = now
                    return connection
                }
                stale.append(connection)
            }
            return nil
        }
        for connection in stale { connection.channel.close(promise: nil) }
        if let reused { return reused }
        let remaining = deadline - now
        guard remaining > .zero else { throw .notSent("no time left to connect to \(endpoint.host):\(endpoint.port)") }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(remaining)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    // Heads are checked by `head(_:target:)` before they reach the channel.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(HTTP1ClientHandler())
                })
            }
        do {
            let channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: HTTP1ClientHandler.self), eventLoop: channel.eventLoop)
            }.get()
            return IdleConnection(channel: channel, handler: handler, since: now)
        } catch {
            throw .notSent("cannot connect to \(endpoint.host):\(endpoint.port): \(error)")
        }
    }

    private func release(_ connection: IdleConnection, endpoint: Endpoint) {
        guard connection.channel.isActive else { return }
        let kept = idle.withLock { pools -> Bool in
            guard pools[endpoint, default: []].count < maxIdlePerHost else { return false }
            var connection = connection
            connection.since = .now()
            pools[endpoint, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// The request head, with `host` and `content-length` written by the transport. A name or
    /// value that would break the head (a control character, a name that is no token) is refused unsent.
    static func head(_ request: TransportRequest, target: PlainHTTPTarget) throws(TransportFailure) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        headers.add(name: "host", value: target.hostHeader)
        for (name, value) in request.headers {
            // NIO's own check (a name that is a token; no control character but tab in a value),
            // here once instead of in an outbound validator on every request: it stays unsent.
            guard isToken(name), !value.utf8.contains(where: { ($0 < 0x20 && $0 != 9) || $0 == 0x7F }) else {
                throw .notSent("header \(name) cannot be written in an HTTP/1.1 head")
            }
            if isFramingHeader(name) { continue }
            headers.add(name: name, value: value)
        }
        if request.method == .post || !request.body.isEmpty { headers.add(name: "content-length", value: String(request.body.count)) }
        return HTTPRequestHead(version: .http1_1, method: request.method == .get ? .GET : .POST, uri: target.pathAndQuery, headers: headers)
    }

    /// `host`, `content-length`, `transfer-encoding` or `connection` in any case: the transport
    /// writes these itself. Compared byte by byte (lower-casing each name cost an allocation).
    static func isFramingHeader(_ name: String) -> Bool {
        let count = name.utf8.count
        guard count == 4 || count == 10 || count == 14 || count == 17 else { return false }
        for reserved in ["host", "connection", "content-length", "transfer-encoding"] where reserved.utf8.count == count {
            if zip(name.utf8, reserved.utf8).allSatisfy({ $0 | 0x20 == $1 }) { return true }
        }
        return false
    }

    /// RFC 9110 token characters, the only ones a field name may have.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: "!#$%&'*+-.^_`|~".utf8.contains(c)
            }
        }
    }
}

/// The parts of an `http://` URL this transport can send to by itself; nil for anything else
/// (https, user info, a bad port), which then goes to the fallback transport.
struct PlainHTTPTarget: Hashable, Sendable {
    var host: String
    var port: Int
    /// `host` or `host:port` as written in the URL (brackets kept for IPv6).
    var hostHeader: String
    var pathAndQuery: String

    init?(_ url: String) {
        let bytes = Array(url.utf8)
        let scheme = Array("http://".utf8)
        guard bytes.count > scheme.count,
              zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 || $0 == $1 }) else { return nil }
        let rest = bytes[scheme.count...]
        let authorityEnd = rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")),
              !authority.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) else { return nil }
        var host: ArraySlice<UInt8>
        var portText: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            host = authority[(authority.startIndex + 1)..<close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = authority[authority.startIndex..<colon]
            portText = authority[(colon + 1)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        var port = 80
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ (48...57).contains($0) }),
                  let p = Int(String(decoding: portText, as: UTF8.self)), (1...65535).contains(p) else { return nil }
            port = p
        }
        var path = rest[authorityEnd...]
        if let hash = path.firstIndex(of: UInt8(ascii: "#")) { path = path[path.startIndex..<hash] }
        guard !path.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) else { return nil }
        self.host = String(decoding: host, as: UTF8.self)
        self.port = port
        self.hostHeader = String(decoding: authority, as: UTF8.self)
        let pathText = String(decoding: path, as: UTF8.self)
        self.pathAndQuery = pathText.isEmpty ? "/" : pathText.hasPrefix("?") ? "/" + pathText : pathText
    }
}

/// One request at a time on one connection; lives on the channel's event loop.
final class HTTP1ClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Answer: Sendable {
        var response: TransportResponse
        var keepAlive: Bool
    }

    private struct Pending {
        var promise: EventLoopPromise<Answer>
        var limit: Int
        var status: Int?
        var headers: [String: String] = [:]
        var body: ByteBuffer?
        var keepAlive = false
        var timeout: Scheduled<Void>?
    }

    private var context: ChannelHandlerContext?
    private var pending: Pending?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func start(head: HTTPRequestHead, body: [UInt8]?, limit: Int, deadline: NIODeadline, timeoutMillis: Int64,
               promise: EventLoopPromise<Answer>) {
        guard let context, context.channel.isActive, pending == nil else {
            // Closed between being taken from the pool and now: nothing was written.
            promise.fail(TransportFailure.notSent("connection closed before the request was written"))
            return
        }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        pending = Pending(promise: promise, limit: limit)
        pending?.timeout = context.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.fail(.noAnswer("no answer within \(timeoutMillis) ms"), close: true)
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            loopBound.value.fail(.noAnswer("request not fully written: \(error)"), close: true)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard pending != nil else {
            // An answer nobody asked for: the connection is out of step, drop it.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let code = Int(head.status.code)
            if (100..<200).contains(code) && code != 101 { return }   // interim answer; the real one follows
            pending?.status = code
            pending?.keepAlive = head.isKeepAlive
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                // Most servers send lower-case names already; lower-casing costs an allocation each.
                headers[name.utf8.contains(where: { (65...90).contains($0) }) ? name.lowercased() : name] = value
            }
            pending?.headers = headers
        case .body(var part):
            guard let limit = pending?.limit else { return }
            let have = pending?.body?.readableBytes ?? 0
            if have + part.readableBytes > limit {
                fail(.noAnswer("answer larger than \(limit) bytes"), close: true)
                return
            }
            if pending?.body == nil { pending?.body = part } else { pending?.body?.writeBuffer(&part) }
        case .end:
            guard let done = pending, let status = done.status else {
                fail(.noAnswer("answer ended without a status line"), close: true)
                return
            }
            pending = nil
            done.timeout?.cancel()
            let body = done.body.map { Array(buffer: $0) } ?? []
            done.promise.succeed(Answer(response: TransportResponse(status: status, headers: done.headers, body: body),
                                        keepAlive: done.keepAlive && context.channel.isActive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.noAnswer("connection closed before the answer was complete"), close: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.noAnswer("\(error)"), close: true)
    }

    fileprivate func fail(_ failure: TransportFailure, close: Bool) {
        if let done = pending {
            pending = nil
            done.timeout?.cancel()
            done.promise.fail(failure)
        }
        if close { context?.close(promise: nil) }
    }
}
