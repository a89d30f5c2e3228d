import ChildProcess
import Documents
import Foundation
import HubServer
import JSONCore
import NIOHTTP1
import Testing

/// `POST /v1/documents` reads each file in a child process: the same answer as reading it in the
/// server, and a reader that crashes, hangs or is one too many costs that upload only.
@Suite("Uploaded documents are read in a child process", .serialized, .timeLimit(.minutes(5)))
struct DocumentReaderIsolationTests {
    static func fixture(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: repoRoot.appendingPathComponent(path))) }

    /// A stand-in worker: a shell script that crashes on a file containing `CRASH`, answers
    /// garbage on `GARBAGE`, says it started and then blocks on a FIFO on `HANG`, and hands any
    /// other file to the real `customs-hub extract --worker`.
    struct FakeWorker {
        let folder: URL
        var script: URL { folder.appendingPathComponent("worker.sh") }
        var started: URL { folder.appendingPathComponent("started") }
        var proceed: URL { folder.appendingPathComponent("proceed") }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("customs-hub-fake-worker-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for fifo in [started, proceed] { try #require(mkfifo(fifo.path, 0o600) == 0) }
            let text = """
                #!/bin/sh
                for last; do :; done
                if grep -q CRASH "$last"; then kill -SEGV $$; fi
                if grep -q GARBAGE "$last"; then echo 'half an {answer'; exit 0; fi
                if grep -q HANG "$last"; then echo started > '\(started.path)'; read go < '\(proceed.path)'; echo 'not an answer'; exit 0; fi
                exec '\(HubBinary.url.path)' "$@"

                """
            try Data(text.utf8).write(to: script)
            try #require(chmod(script.path, 0o755) == 0)
        }

        var command: DocumentWorkerCommand { DocumentWorkerCommand(executable: script.path) }

        /// Waits (off the pool) until a hanging worker says it started.
        func waitForStart() async throws -> String {
            let path = started.path
            return try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    guard let handle = FileHandle(forReadingAtPath: path) else { return continuation.resume(throwing: CocoaError(.fileReadUnknown)) }
                    continuation.resume(returning: String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
                    try? handle.close()
                }
            }
        }

        /// Lets a hanging worker go on (off the pool: opening a FIFO waits for its reader).
        func release() async {
            let path = proceed.path
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    if let handle = FileHandle(forWritingAtPath: path) { handle.write(Data("go\n".utf8)); try? handle.close() }
                    continuation.resume()
                }
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test("A text PDF and a scan read in the child give the answer the in-process read gives, byte for byte")
    func sameAnswerAsInProcess() async throws {
        let templates = try SupplierTemplates.load(root: repoRoot)
        try #require(!templates.isEmpty)
        let child = try await TestServer()
        defer { Task { await child.stop() } }
        let inProcess = try await TestServer(documentWorker: nil)
        defer { Task { await inProcess.stop() } }
        for path in ["Fixtures/documents/text/invoice-de-boxed.pdf", "Fixtures/documents/scans/packing-en-classic.png"] {
            let file = try Self.fixture(path)
            let a = try await child.call(.POST, "/v1/documents", body: file, contentType: "application/octet-stream")
            let b = try await inProcess.call(.POST, "/v1/documents", body: file, contentType: "application/octet-stream")
            #expect(a.status == 200 && b.status == 200, "\(path): \(a.body.prefix(300)) / \(b.body.prefix(300))")
            #expect(a.body == b.body, "\(path)")
        }
        // Templates go to the child as the server holds them: the same answer with them too.
        var withTemplates = child.api
        withTemplates.supplierTemplates = templates
        let file = try Self.fixture("Fixtures/documents/text/invoice-en-classic.pdf")
        let viaChild = try await withTemplates.readDocument(file)
        var inHere = withTemplates
        inHere.documentWorker = nil
        #expect(JSONWriter.write(viaChild) == JSONWriter.write(try await inHere.readDocument(file)))
        // The file refused: the same problem from the child as from the server's own read.
        let encrypted = try Self.fixture("Fixtures/documents/small/encrypted.pdf")
        let refusedA = try await child.call(.POST, "/v1/documents", body: encrypted, contentType: "application/pdf")
        let refusedB = try await inProcess.call(.POST, "/v1/documents", body: encrypted, contentType: "application/pdf")
        #expect(refusedA.status == 422 && refusedA.body == refusedB.body, "\(refusedA.body) / \(refusedB.body)")
    }

    @Test("A reader that crashes is a 422 naming the signal, one that answers garbage a 500; the next upload to the same server is read")
    func crashIsThatUploadsOnly() async throws {
        let worker = try FakeWorker()
        defer { worker.remove() }
        let server = try await TestServer(documentWorker: worker.command)
        defer { Task { await server.stop() } }
        let crashed = try await server.call(.POST, "/v1/documents?submit=true&merchant_id=m_docs", body: Array("%PDF-1.7 CRASH".utf8), contentType: "application/pdf")
        #expect(crashed.status == 422 && crashed.contentType == "application/problem+json", "\(crashed.body)")
        #expect(crashed.object["type"] as? String == Problem.typeBase + "unreadable-document", "\(crashed.body)")
        #expect((crashed.object["detail"] as? String)?.contains("the reader stopped on signal 11 (SIGSEGV)") == true, "\(crashed.body)")
        let garbage = try await server.call(.POST, "/v1/documents", body: Array("%PDF-1.7 GARBAGE".utf8), contentType: "application/pdf")
        #expect(garbage.status == 500 && garbage.object["type"] as? String == Problem.typeBase + "document-reader-failed", "\(garbage.body)")
        // Nothing was stored for either.
        let reviews = try await server.call(.GET, "/v1/reviews")
        #expect((reviews.object["review_items"] as? [Any])?.isEmpty == true, "\(reviews.body)")
        let next = try await server.call(.POST, "/v1/documents", body: try Self.fixture("Fixtures/documents/text/invoice-de-boxed.pdf"), contentType: "application/pdf")
        #expect(next.status == 200 && (next.object["document"] as? [String: Any])?["invoice_number"] as? String == "RE-2024-0815", "\(next.body.prefix(300))")
    }

    @Test("A reader that never ends is killed at the wall-clock bound: a 422 saying so")
    func hangIsKilledAtTheBound() async throws {
        let worker = try FakeWorker()
        defer { worker.remove() }
        var limits = APILimits(maxBodyBytes: 64 << 10)
        limits.documentReading.seconds = 1
        let server = try await TestServer(limits: limits, documentWorker: worker.command)
        defer { Task { await server.stop() } }
        let hung = try await server.call(.POST, "/v1/documents", body: Array("%PDF-1.7 HANG".utf8), contentType: "application/pdf")
        #expect(hung.status == 422 && hung.object["type"] as? String == Problem.typeBase + "unreadable-document", "\(hung.body)")
        #expect((hung.object["detail"] as? String)?.contains("took longer than 1 s") == true, "\(hung.body)")
    }

    @Test("One upload more than the readers is a 503 with Retry-After at once; the place is given back when the read ends")
    func readersAreBounded() async throws {
        let worker = try FakeWorker()
        defer { worker.remove() }
        var limits = APILimits(maxBodyBytes: 64 << 10)
        limits.documentReaders = 1
        let server = try await TestServer(limits: limits, documentWorker: worker.command)
        defer { Task { await server.stop() } }
        async let first = server.call(.POST, "/v1/documents", body: Array("%PDF-1.7 HANG".utf8), contentType: "application/pdf")
        #expect(try await worker.waitForStart().contains("started"))
        let busy = try await server.call(.POST, "/v1/documents", body: try Self.fixture("Fixtures/documents/text/invoice-de-boxed.pdf"), contentType: "application/pdf")
        #expect(busy.status == 503 && busy.object["type"] as? String == Problem.typeBase + "document-readers-busy", "\(busy.body)")
        #expect(busy.retryAfter == "5", "\(busy)")
        await worker.release()
        // The hanging reader then answers nonsense: the server's fault, a 500.
        #expect(try await first.status == 500)
        let after = try await server.call(.POST, "/v1/documents", body: try Self.fixture("Fixtures/documents/text/invoice-de-boxed.pdf"), contentType: "application/pdf")
        #expect(after.status == 200, "\(after.body.prefix(300))")
    }

    @Test("The readers' limits come from the configuration's limits, each checked at its line")
    func limitsAreConfigured() throws {
        let (dir, file) = try scratchConfig()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "limits:\n  document_readers: 3\n  document_seconds: 45\n  document_cpu_seconds: 90\n  document_memory_mb: 2048\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let limits = try ServerConfig.load(file: file.path, environment: [:]).limits
        #expect(limits.documentReaders == 3 && limits.documentReading == ReadingWorker.Limits(seconds: 45, cpuSeconds: 90, memoryMB: 2048))
        try "limits:\n  document_memory_mb: 12\n".write(to: file, atomically: true, encoding: .utf8)
        do { _ = try ServerConfig.load(file: file.path, environment: [:]); Issue.record("12 MB was taken") } catch {
            #expect("\(error)" == "\(file.path):2: limits.document_memory_mb: expected an integer from 256 to 65536")
        }
    }
}
