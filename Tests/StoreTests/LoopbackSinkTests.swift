import Foundation
import LoopbackSink
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sink answers while every thread of the process's cooperative pool is busy. A full test run
/// keeps that pool busy with CPU-bound tests; a sink served from it left `outbox relay --once`
/// waiting past the adapter's timeout, and the filing went dead without the gateway's verdict.
@Suite("loopback sink", .timeLimit(.minutes(10)))
struct LoopbackSinkTests {
    @Test func answersWhileTheCooperativePoolIsBusy() async throws {
        let sink = LoopbackSink()
        try await sink.start()
        sink.setDefault(.answer(status: 422, contentType: "application/json", body: #"{"error":"no"}"#))
        let port = try #require(URL(string: sink.url)?.port)
        let done = Flag()
        // More spinning tasks than the pool has threads, each until the answer came (at most 6 s).
        let spinners = (0..<(2 * ProcessInfo.processInfo.activeProcessorCount)).map { _ in
            Task.detached {
                let end = ContinuousClock.now + .seconds(6)
                while !done.value.load(ordering: .relaxed) && ContinuousClock.now < end {}
            }
        }
        // The request goes from a thread of its own, so that it does not wait for the pool either.
        let (status, waited) = await withCheckedContinuation { (c: CheckedContinuation<(Int?, Duration), Never>) in
            Thread {
                let started = ContinuousClock.now
                let status = Self.post(port: UInt16(port), timeoutSeconds: 3)
                done.value.store(true, ordering: .relaxed)
                c.resume(returning: (status, ContinuousClock.now - started))
            }.start()
        }
        for s in spinners { await s.value }
        await sink.stop()
        #expect(status == 422, "no answer within 3 s while the pool was busy (waited \(waited))")
    }

    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// `POST /deliver` over a plain socket; the status code, or nil without an answer in time.
    static func post(port: UInt16, timeoutSeconds: Int) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("POST /deliver HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: k\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n > 12 else { return nil }
        // "HTTP/1.1 422 ..."
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }
}
