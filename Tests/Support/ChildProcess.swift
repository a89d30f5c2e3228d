import Dispatch
import Foundation

/// Runs a child process (the real `customs-hub`, a shell) from a test without holding a Swift
/// concurrency thread. On two cores the cooperative pool has two threads; a test blocked in
/// `waitUntilExit` there starves every other test's timers and makes timing checks fail.
public enum ChildProcess {
    /// What the child reads on its standard input.
    public enum Input: Sendable {
        case data(Data)
        case devNull
        case devZero
    }

    /// What a finished child left behind.
    public struct Result: Sendable {
        public var status: Int32
        /// False when a signal ended the child (a crash, or SIGKILL).
        public var exitedNormally: Bool
        public var stdout: Data
        public var stderr: Data
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` to its end. `environment` replaces the test's environment when given.
    public static func run(_ executable: URL, _ arguments: [String], input: Input = .data(Data()), directory: URL? = nil,
                           environment: [String: String]? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, input: input, directory: directory, environment: environment)
                })
            }
        }
    }

    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// A process for `executable`, not started; SIGPIPE is ignored first (a child that exits before
    /// reading its input must not kill the test runner).
    static func makeProcess(_ executable: URL, _ arguments: [String], directory: URL?, environment: [String: String]?) -> Process {
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        return process
    }

    private static func runBlocking(_ executable: URL, _ arguments: [String], input: Input, directory: URL?,
                                    environment: [String: String]?) throws -> Result {
        let process = makeProcess(executable, arguments, directory: directory, environment: environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        var stdinPipe: Pipe?
        switch input {
        case .data:
            let pipe = Pipe()
            stdinPipe = pipe
            process.standardInput = pipe
        case .devNull: process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        case .devZero: process.standardInput = FileHandle(forReadingAtPath: "/dev/zero")
        }
        try process.run()
        // Feed stdin and drain stderr beside stdout, so that no full pipe buffer can stall the child.
        let group = DispatchGroup()
        let stderr = Collected()
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        if case .data(let bytes) = input, let pipe = stdinPipe {
            DispatchQueue.global().async(group: group) {
                try? pipe.fileHandleForWriting.write(contentsOf: bytes)
                try? pipe.fileHandleForWriting.close()
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
                      stdout: stdout, stderr: stderr.data)
    }
}

extension ChildProcess {
    /// A child that keeps running (a server) while the test talks to it. Its output is collected
    /// on a dispatch thread; `stop` ends it with SIGTERM (SIGKILL after `grace`) off the pool.
    public final class Running: @unchecked Sendable {
        private let process: Process
        /// Signalled on each piece of output and on exit, so waiters wake on the event itself.
        private let changed = NSCondition()
        private var collected = Data()
        private var exited = false

        init(_ process: Process) { self.process = process }

        public var pid: Int32 { process.processIdentifier }
        public var isRunning: Bool { process.isRunning }

        /// Everything the child wrote to stdout and stderr so far.
        public var output: String { changed.withLock { String(decoding: collected, as: UTF8.self) } }

        func append(_ data: Data) { changed.withLock { collected.append(data); changed.broadcast() } }

        func markExited() { changed.withLock { exited = true; changed.broadcast() } }

        public struct WaitFailure: Error, CustomStringConvertible { public var description: String }

        /// Waits, off the cooperative pool, until the output satisfies `done`; fails when the child
        /// exits first or `seconds` pass. Returns the output at that moment.
        @discardableResult
        public func waitForOutput(_ seconds: Double, _ what: String, until done: @escaping @Sendable (String) -> Bool) async throws -> String {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                Thread.detachNewThread {
                    let deadline = Date().addingTimeInterval(seconds)
                    self.changed.lock()
                    defer { self.changed.unlock() }
                    while true {
                        let text = String(decoding: self.collected, as: UTF8.self)
                        if done(text) { return continuation.resume(returning: text) }
                        if self.exited { return continuation.resume(throwing: WaitFailure(description: "exited before \(what): \(text.suffix(2000))")) }
                        if !self.changed.wait(until: deadline) {
                            return continuation.resume(throwing: WaitFailure(description: "timed out after \(seconds) s waiting for \(what): \(text.suffix(2000))"))
                        }
                    }
                }
            }
        }

        /// SIGTERM, then SIGKILL if the child has not exited within `grace`; waits on its exit.
        public func stop(grace: TimeInterval = 10) async {
            let process = self.process
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    if process.isRunning { process.terminate() }
                    let deadline = Date().addingTimeInterval(grace)
                    self.changed.lock()
                    while !self.exited && self.changed.wait(until: deadline) {}
                    let gone = self.exited
                    self.changed.unlock()
                    if !gone { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
                    continuation.resume()
                }
            }
        }
    }

    /// Starts `executable` and returns at once; stdin is /dev/null, stdout and stderr are collected together.
    public static func start(_ executable: URL, _ arguments: [String], directory: URL? = nil, environment: [String: String]? = nil) throws -> Running {
        let process = makeProcess(executable, arguments, directory: directory, environment: environment)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        let running = Running(process)
        process.terminationHandler = { _ in running.markExited() }
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { running.append(data) }
        }
        try process.run()
        return running
    }
}
