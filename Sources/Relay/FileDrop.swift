import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Delivers to a folder a partner collects from (`file://DIRECTORY/NAME`): the bytes are written
/// under a hidden temporary name in the same folder, flushed, then renamed into place, so the
/// partner never picks up half a file.
public struct FileDropTransport: Transport {
    public init() {}

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        guard let url = URL(string: request.url), url.isFileURL else { throw .notSent("not a file URL: \(request.url)") }
        let target = url.path
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = directory + "/." + name + ".\(ProcessInfo.processInfo.processIdentifier).part"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .notSent("cannot create \(directory): \(error)")
        }
        guard FileManager.default.createFile(atPath: temporary, contents: Data(request.body)) else {
            throw .notSent("cannot write \(temporary)")
        }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw .notSent("cannot rename into \(target): errno \(code)")
        }
        return TransportResponse(status: 201, headers: ["location": url.absoluteString], body: [])
    }
}

/// Sends `file://` requests to a folder and everything else over `http`.
public struct RoutingTransport: Transport {
    public let http: any Transport
    public let files: any Transport

    public init(http: any Transport, files: any Transport = FileDropTransport()) { self.http = http; self.files = files }

    public func send(_ request: TransportRequest, timeoutMillis: Int64) async throws(TransportFailure) -> TransportResponse {
        if request.url.hasPrefix("file:") { return try await files.send(request, timeoutMillis: timeoutMillis) }
        return try await http.send(request, timeoutMillis: timeoutMillis)
    }
}
