import ChildProcess
import Foundation
import LoopbackSink
import Store
import StorePostgres
import StoreSQLite
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real `customs-hub outbox relay` processes against a loopback sink: killed with SIGKILL mid-way,
/// stopped with SIGTERM, and (on PostgreSQL) three at once on one outbox.
@Suite("Hub processes", .serialized, .timeLimit(.minutes(10)))
struct ProcessFaultTests {
    static func database(of store: any HubStore) -> String {
        if let sqlite = store as? SQLiteStore { return "sqlite:" + sqlite.path }
        if let pg = store as? PostgresStore { return pg.url }
        return ""
    }

    static func startRelay(_ binary: URL, database: String, sink: LoopbackSink, owner: String, leaseMillis: Int = 1500) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["outbox", "relay", "--database", database, "--route", "gw=\(sink.url)", "--owner", owner,
                             "--lease-ms", "\(leaseMillis)", "--max-in-flight", "16", "--max-concurrent", "16",
                             "--rate", "1000000", "--burst", "1000000", "--timeout-ms", "5000", "--base-delay-ms", "20"]
        process.environment = HubBinary.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Checks `condition` every 20 ms until it holds (bounded). The relays here are other processes:
    /// their commits reach this one through no event, so the database itself is what is watched.
    static func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    static func exit(_ process: Process, within seconds: Double) async throws -> Int32? {
        _ = try await waitUntil(seconds: seconds) { !process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return nil }
        return process.terminationStatus
    }

    @Test(arguments: Engine.available)
    func killNineMidDeliveryLosesNothing(engine: Engine) async throws {
        let binary = HubBinary.url
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                let n = 1000
                _ = try await store.enqueue((1...n).map { message("kill-\($0)") }, now: Date().millis)
                let database = Self.database(of: store)
                let first = try Self.startRelay(binary, database: database, sink: sink, owner: "first")
                let midway = try await Self.waitUntil(seconds: 180) { sink.received.count >= 250 }
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()
                #expect(midway)
                let atKill = sink.received.count
                #expect(atKill < n, "the first relay finished before it could be killed")

                let second = try Self.startRelay(binary, database: database, sink: sink, owner: "second")
                let done = try await Self.waitUntil(seconds: 240) { try await store.stats().count(.delivered) == n }
                second.terminate()
                let status = try await Self.exit(second, within: 10)
                #expect(done)
                #expect(status == 0, "SIGTERM should end the relay cleanly")

                let rows = try await store.messages(.all)
                #expect(rows.count == n && rows.allSatisfy { $0.state == .delivered })
                let perKey = Dictionary(grouping: sink.received, by: \.key)
                #expect(perKey.count == n)
                // Duplicates only for rows that were in flight when the first relay died (≤ its in-flight cap).
                let duplicated = perKey.filter { $0.value.count > 1 }
                #expect(duplicated.count <= 16)
                #expect(duplicated.values.allSatisfy { $0.count == 2 })
                for key in duplicated.keys {
                    let row = try #require(rows.first { $0.idempotencyKey == key })
                    let attempts = try await store.attempts(messageID: row.id)
                    #expect(attempts.map(\.worker) == ["second"])
                }
            }
        }
    }

    @Test(arguments: Engine.available.filter { $0 == .postgres })
    func threeProcessesShareOnePostgresOutbox(engine: Engine) async throws {
        let binary = HubBinary.url
        try await withStore(engine) { store in
            try await RelayTests.withSink { sink in
                // The figure is 5 000; CI uses fewer to stay fast on two shared cores. Set
                // CUSTOMS_HUB_FAULT_FILINGS=5000 to run the full size.
                let n = ProcessInfo.processInfo.environment["CUSTOMS_HUB_FAULT_FILINGS"].flatMap(Int.init) ?? 1500
                for start in stride(from: 1, through: n, by: 1000) {
                    _ = try await store.enqueue((start..<min(start + 1000, n + 1)).map { message("multi-\($0)") }, now: Date().millis)
                }
                let database = Self.database(of: store)
                let relays = try (1...3).map { try Self.startRelay(binary, database: database, sink: sink, owner: "hub-\($0)", leaseMillis: 30_000) }
                let done = try await Self.waitUntil(seconds: 90) { try await store.stats().count(.delivered) == n }
                for relay in relays { relay.terminate() }
                for relay in relays { #expect(try await Self.exit(relay, within: 10) == 0) }
                #expect(done)
                let perKey = Dictionary(grouping: sink.received, by: \.key)
                #expect(perKey.count == n)
                #expect(perKey.values.allSatisfy { $0.count == 1 }, "a filing was delivered twice")
                var share: [String: Int] = [:]
                for row in try await store.messages(.all) {
                    for attempt in try await store.attempts(messageID: row.id) { share[attempt.worker, default: 0] += 1 }
                }
                #expect(Set(share.keys) == ["hub-1", "hub-2", "hub-3"])
                #expect(share.values.allSatisfy { $0 >= n / 10 }, "work not spread: \(share)")
            }
        }
    }
}
