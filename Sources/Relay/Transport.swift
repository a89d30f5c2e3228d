import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request to a gateway, already rendered; the relay does not know about formats.
public struct TransportRequest: Sendable, Hashable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }
    public var method: Method
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: Method, url: String, headers: [String: String], body: [UInt8]) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
    }
}

public struct TransportResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased; the last value wins.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status; self.headers = headers; self.body = body
    }
}

/// The two ways a request can fail without an HTTP answer. They are different facts: a request
/// that never left may be sent again freely; one that left and got no answer may have arrived.
public enum TransportFailure: Error, Sendable, Hashable {
    /// Nothing reached the gateway (connection refused, DNS, connect timeout).
    case notSent(String)
    /// The request may have reached the gateway; no complete answer came back in time.
    case noAnswer(String)
}

/// How the relay talks to gateways. One HTTP implementation below; tests and future transports
/// (SFTP, AS2) implement the same two-outcome contract.
public protocol Transport: Sendable {
    func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse
}

/// HTTP over AsyncHTTPClient with a per-request deadline and a bounded response body.
public struct HTTPClientTransport: Transport {
    public let client: HTTPClient
    public let maxResponseBytes: Int

    public init(client: HTTPClient, maxResponseBytes: Int = 1 << 20) {
        self.client = client; self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method == .get ? .GET : .POST
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if request.method == .post { http.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await client.execute(http, timeout: .milliseconds(timeoutMillis))
            var headers: [String: String] = [:]
            for header in response.headers {
                // Most servers send lower-case names already; lower-casing costs an allocation each.
                let name = header.name.utf8.contains(where: { (65...90).contains($0) }) ? header.name.lowercased() : header.name
                headers[name] = header.value
            }
            let body = try await response.body.collect(upTo: maxResponseBytes)
            return TransportResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch {
            throw Self.classify(error)
        }
    }

    /// Only failures that certainly happened before the request was written count as "not sent";
    /// anything else is treated as possibly delivered, the safe side for a customs filing.
    static func classify(_ error: any Error) -> TransportFailure {
        let text = String(describing: error)
        if let http = error as? HTTPClientError, http == .connectTimeout || http == .invalidURL || http == .emptyHost {
            return .notSent(text)
        }
        if error is NIOConnectionError { return .notSent(text) }
        if let io = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(io.errnoCode) {
            return .notSent(text)
        }
        if error is ChannelError, text.contains("connect") { return .notSent(text) }
        return .noAnswer(text)
    }
}
