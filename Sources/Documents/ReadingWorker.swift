import DocumentExtraction
import Foundation
import JSONCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A document read in a child process (`customs-hub extract --worker`), so that a trap in the
/// extractor, a crash in poppler or Tesseract, a runaway allocation or a page that never ends
/// costs that child, never the server that asked. The child sets its own CPU-time and
/// address-space limits first thing; the parent kills it at the wall-clock bound.
///
/// What goes between them: the document in a temporary file (not a pipe: a child that dies before
/// reading would raise SIGPIPE in the server), the supplier templates as a JSON file of their
/// YAML (`SupplierTemplate.yaml()` reads back to the same template), and the answer on stdout —
/// the extraction as `ReadingWorker.encode` writes it (exit 0) or `{"refused": {reason, message}}`
/// (exit 2, the file's fault) or `{"unavailable": …}` (exit 3, the installation's).
public enum ReadingWorker {
    /// The bounds of one child read.
    public struct Limits: Sendable, Hashable {
        /// Wall-clock seconds before the child is killed.
        public var seconds: Int
        /// CPU seconds (every thread's) before the kernel stops the child (RLIMIT_CPU).
        public var cpuSeconds: Int
        /// Address space, in MiB (RLIMIT_AS): an allocation past it fails and the child stops.
        public var memoryMB: Int
        /// Largest answer read from the child; more is garbage.
        public var maxAnswerBytes = 64 << 20

        public init(seconds: Int = 60, cpuSeconds: Int = 120, memoryMB: Int = 1024) {
            self.seconds = seconds; self.cpuSeconds = cpuSeconds; self.memoryMB = memoryMB
        }
    }

    /// Why a child read gave no extraction.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The reader refused the file (exit 2): the same error the in-process read throws.
        case refused(DocumentReadError)
        /// poppler or Tesseract cannot be loaded in the child (exit 3): the installation's fault.
        case unavailable(DocumentReadError)
        /// The child stopped on a signal (a crash, or the kernel at a limit).
        case signal(Int32, limits: Limits)
        /// Killed at the wall-clock bound.
        case timedOut(seconds: Int)
        /// Exited otherwise, or answered something that is not an answer.
        case garbage(String)
        /// The worker could not be started at all.
        case launch(String)

        public var description: String {
            switch self {
            case .refused(let e), .unavailable(let e): return "\(e)"
            case .signal(let n, let limits):
                switch n {
                case SIGXCPU: return "the reader stopped on signal \(n) (\(ReadingWorker.signalName(n))): more than \(limits.cpuSeconds) s of CPU time"
                default: return "the reader stopped on signal \(n) (\(ReadingWorker.signalName(n))) (a reader may use \(limits.memoryMB) MB of memory)"
                }
            case .timedOut(let s): return "the reader took longer than \(s) s"
            case .garbage(let s): return "the reader gave no answer: \(s)"
            case .launch(let s): return "the reader could not be started: \(s)"
            }
        }

        /// True when the file is what failed (refused, or it crashed or outran a bound reading
        /// it); false when the server or its installation did.
        public var isTheFile: Bool {
            switch self {
            case .refused, .signal, .timedOut: true
            case .unavailable, .garbage, .launch: false
            }
        }
    }

    /// What one child read cost, for logs and the benchmark.
    public struct Cost: Sendable {
        public var wallSeconds: Double
        /// User plus system CPU of the child (wait4's resource usage).
        public var cpuSeconds: Double
    }

    static func signalName(_ n: Int32) -> String {
        switch n {
        case SIGSEGV: "SIGSEGV"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGXCPU: "SIGXCPU"
        case SIGTERM: "SIGTERM"
        default: "signal"
        }
    }

    // MARK: The child's side

    /// The one encoding of an extraction, in process or from a child: sorted keys, as the server
    /// has always answered.
    public static func encode(_ extraction: Extraction) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(extraction))
    }

    /// Sets the child's own limits, before it reads anything.
    public static func limitSelf(cpuSeconds: Int, memoryMB: Int) {
        #if os(Linux)
        var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 1))
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu)
        var address = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &address)
        #else
        var cpu = rlimit(rlim_cur: rlim_t(cpuSeconds), rlim_max: rlim_t(cpuSeconds + 1))
        _ = setrlimit(RLIMIT_CPU, &cpu)
        var address = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
        _ = setrlimit(RLIMIT_AS, &address)
        #endif
    }

    /// The templates file the child reads: a JSON array of `{source, yaml}`.
    public static func templatesFile(_ templates: [SupplierTemplate]) -> [UInt8] {
        Array(JSONWriter.write(.array(templates.map { t in
            .object(JSONObject([("source", .string(t.source)), ("yaml", .string(t.yaml()))]))
        })).utf8)
    }

    public static func templates(fromFile bytes: [UInt8]) throws -> [SupplierTemplate] {
        guard let items = try JSONParser.parse(bytes).arrayValue else { throw Garbage(message: "the templates file is not a list") }
        return try items.map { item in
            guard let source = item["source"]?.stringValue, let yaml = item["yaml"]?.stringValue else {
                throw Garbage(message: "a template needs source and yaml")
            }
            return try SupplierTemplate.load(Array(yaml.utf8), source: source)
        }
    }

    struct Garbage: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// The child's work: reads `bytes` with the in-process reader and returns what to print and
    /// the exit status (0 read, 2 refused, 3 the libraries cannot be loaded).
    public static func answer(_ bytes: [UInt8], maxBytes: Int, templates: [SupplierTemplate]) -> (output: [UInt8], status: Int32) {
        do {
            var reader = AnyDocumentReader()
            reader.limits.maxBytes = maxBytes
            let pages = try reader.pages(bytes)
            return (try encode(Extractor(templates: templates).extract(pages)), 0)
        } catch let error as DocumentReadError {
            let unavailable = error.reason == .libraryUnavailable || error.reason == .ocrUnavailable
            let body = JSONObject([("reason", .string(error.reason.rawValue)), ("message", .string(error.message))])
            return (Array(JSONWriter.write(.object(JSONObject([(unavailable ? "unavailable" : "refused", .object(body))]))).utf8), unavailable ? 3 : 2)
        } catch {
            return (Array("\(error)".utf8), 1)
        }
    }

    // MARK: The parent's side

    /// Reads `bytes` in a child `executable arguments… --max-bytes N --cpu-seconds C --memory-mb M
    /// [--templates FILE] FILE`; returns the extraction's JSON as the child printed it. Blocks: call
    /// it off the cooperative pool. The temporary files go into `scratch` and are removed; the
    /// child is always reaped and every descriptor closed.
    public static func read(_ bytes: [UInt8], maxBytes: Int, templates: [SupplierTemplate], executable: String, arguments: [String],
                            limits: Limits, scratch: URL = FileManager.default.temporaryDirectory) throws(Failure) -> (json: [UInt8], cost: Cost) {
        let folder = scratch.appendingPathComponent("customs-hub-read-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw .launch("cannot make a temporary folder in \(scratch.path): \(error.localizedDescription)") }
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = folder.appendingPathComponent("document")
        var args = arguments + ["--max-bytes", String(maxBytes), "--cpu-seconds", String(limits.cpuSeconds), "--memory-mb", String(limits.memoryMB)]
        do {
            try Data(bytes).write(to: document)
            if !templates.isEmpty {
                let file = folder.appendingPathComponent("templates.json")
                try Data(templatesFile(templates)).write(to: file)
                args += ["--templates", file.path]
            }
        } catch { throw .launch("cannot write the temporary file: \(error.localizedDescription)") }
        args.append(document.path)

        let run = try Spawned.run(executable, args, seconds: limits.seconds, maxOutput: limits.maxAnswerBytes)
        if run.timedOut { throw .timedOut(seconds: limits.seconds) }
        if run.outputTooLarge { throw .garbage("more than \(limits.maxAnswerBytes) bytes") }
        if let signal = run.signal { throw .signal(signal, limits: limits) }
        switch run.status {
        case 0:
            // The answer must be JSON, or it is not an answer (a reader that printed half of one).
            guard (try? JSONParser.parse(run.stdout)) != nil else { throw .garbage("not JSON (\(run.stdout.count) bytes) \(run.stderrTail)") }
            return (run.stdout, Cost(wallSeconds: run.wallSeconds, cpuSeconds: run.cpuSeconds))
        case 2, 3:
            guard let value = try? JSONParser.parse(run.stdout), let body = (value["refused"] ?? value["unavailable"]),
                  let reason = body["reason"]?.stringValue.flatMap(DocumentReadError.Reason.init(rawValue:)), let message = body["message"]?.stringValue else {
                throw .garbage("exit \(run.status) without its reason \(run.stderrTail)")
            }
            let error = DocumentReadError(reason, message)
            throw run.status == 2 ? .refused(error) : .unavailable(error)
        default:
            throw .garbage("exit \(run.status) \(run.stderrTail)")
        }
    }
}

/// One child process run to its end with posix_spawn: its stdout and stderr read through pipes
/// that only it holds (every other descriptor is closed in it), killed at the deadline, reaped.
struct Spawned {
    var status: Int32 = 0
    var signal: Int32?
    var timedOut = false
    var outputTooLarge = false
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var wallSeconds = 0.0
    var cpuSeconds = 0.0

    /// The end of what the child said on stderr, for a message.
    var stderrTail: String {
        let text = String(decoding: stderr.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : "(stderr: \(text))"
    }

    static let maxStderr = 64 << 10

    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    static let addCloseFrom: CloseFrom? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
        #else
        return nil
        #endif
    }()

    static func run(_ executable: String, _ arguments: [String], seconds: Int, maxOutput: Int) throws(ReadingWorker.Failure) -> Spawned {
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else { throw .launch("pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&err) == 0 else {
            close(out[0]); close(out[1])
            throw .launch("pipe: \(String(cString: strerror(errno)))")
        }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var readEnds = [out[0], err[0]]
        defer { for fd in readEnds where fd >= 0 { close(fd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        // Nothing of the server's (sockets, the database, other children's pipes) stays open in the
        // child: glibc 2.34's closefrom action where there is one (not in Swift's Glibc module, so
        // looked up); otherwise the close-on-exec flags those descriptors are opened with.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        // Its own process group, so that a kill reaches whatever it started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let started = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(out[1]); close(err[1])
        guard spawned == 0 else { throw .launch("\(executable): \(String(cString: strerror(spawned)))") }

        var result = Spawned()
        let deadline = started + .seconds(seconds)
        var killedAt: ContinuousClock.Instant?
        func killOnce() {
            if killedAt == nil { kill(-pid, SIGKILL); killedAt = .now }
        }
        // Both pipes until they close (the child exited, or was killed), or the deadline; after a
        // kill, a second more at most for what is left in them.
        while readEnds.contains(where: { $0 >= 0 }) {
            let left = deadline - ContinuousClock.now
            if left <= .zero, killedAt == nil {
                result.timedOut = true
                killOnce()
            }
            if let killedAt, ContinuousClock.now - killedAt > .seconds(1) { break }
            let killed = killedAt != nil
            var fds = readEnds.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let wait = killed ? 100 : max(1, Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000, 60_000)))
            let ready = poll(&fds, nfds_t(fds.count), Int32(wait))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            for p in fds where p.revents != 0 {
                var chunk = [UInt8](repeating: 0, count: 64 << 10)
                let n = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    close(p.fd)
                    readEnds = readEnds.map { $0 == p.fd ? -1 : $0 }
                    continue
                }
                if p.fd == out[0] {
                    result.stdout += chunk[..<n]
                    if result.stdout.count > maxOutput { result.outputTooLarge = true; killOnce() }
                } else if result.stderr.count < maxStderr {
                    result.stderr += chunk[..<n]
                }
            }
        }
        // The pipes are closed; the child may still run (it closed them itself): wait for it up to
        // the deadline, then kill it. Always reaped.
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let done = wait4(pid, &status, killedAt != nil ? 0 : WNOHANG, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if done == 0 {
                if ContinuousClock.now >= deadline { result.timedOut = true; killOnce() } else { usleep(2_000) }
            }
        }
        let wall = (ContinuousClock.now - started).components
        result.wallSeconds = Double(wall.seconds) + Double(wall.attoseconds) / 1e18
        result.cpuSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        // WIFSIGNALED / WEXITSTATUS by hand: the C macros are not imported.
        if status & 0x7f == 0 {
            result.status = (status >> 8) & 0xff
        } else if status & 0x7f != 0x7f {
            result.signal = status & 0x7f
        }
        return result
    }
}
