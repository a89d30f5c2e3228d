import Foundation
import HTTPTypes
import Hummingbird
import JSONCore
import NIOCore

/// An RFC 9457 problem answer (`application/problem+json`), with the field paths at fault as JSON
/// Pointers in `errors`.
public struct Problem: Error, HTTPResponseError, Sendable {
    public struct FieldError: Sendable {
        public var pointer: String
        public var code: String
        public var detail: String

        public init(pointer: String, code: String, detail: String) { self.pointer = pointer; self.code = code; self.detail = detail }
    }

    public var status: HTTPResponse.Status
    /// Short, stable slug; the `type` URI ends with it.
    public var code: String
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ title: String, detail: String = "", errors: [FieldError] = [],
                headers: HTTPFields = [:]) {
        self.status = status; self.code = code; self.title = title; self.detail = detail; self.errors = errors; self.headers = headers
    }

    public static let typeBase = "https://customs-hub.dev/problems/"

    public func json(instance: String) -> JSONValue {
        var o = JSONObject([("type", .string(Self.typeBase + code)), ("title", .string(title)), ("status", .number(String(status.code)))])
        if !detail.isEmpty { o["detail"] = .string(detail) }
        o["instance"] = .string(instance)
        if !errors.isEmpty {
            o["errors"] = .array(errors.map { e in
                .object(JSONObject([("pointer", .string(e.pointer)), ("code", .string(e.code)), ("detail", .string(e.detail))]))
            })
        }
        return .object(o)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.write(json(instance: request.uri.path)))))
    }

    // MARK: Common problems

    public static func notFound(_ what: String) -> Problem { Problem(.notFound, "not-found", "Not found", detail: "\(what) does not exist") }
    public static let unauthorized = Problem(.unauthorized, "unauthorized", "Missing or unknown API key",
                                             detail: "send the tenant's key as Authorization: Bearer KEY",
                                             headers: [.wwwAuthenticate: "Bearer realm=\"customs-hub\""])
    public static func invalidParameter(_ name: String, _ detail: String) -> Problem {
        Problem(.badRequest, "invalid-parameter", "Invalid parameter", detail: "\(name): \(detail)",
                errors: [FieldError(pointer: "#/query/\(name)", code: "invalid", detail: detail)])
    }

    /// A JSON Pointer (RFC 6901) for a validation path.
    public static func pointer(_ path: JSONPath) -> String {
        path.components.map { c -> String in
            switch c {
            case .key(let k): "/" + k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let n): "/\(n)"
            }
        }.joined()
    }
}

/// A JSON answer.
func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.write(value))))
}
