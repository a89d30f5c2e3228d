import CustomsModel
import Foundation
import Hub
import JSONCore
import Pipeline
import Store
import Synchronization
import Testing

/// The meter `pipeline-bench` times each submit's commit with: it must be told of every commit a
/// submit makes (one per valid order, one per batch, none for an order refused before the store)
/// and leave the answers and the stored rows exactly as a hub without it leaves them.
@Suite("Commits told to a meter", .serialized, .timeLimit(.minutes(10)))
struct CommitMeterTests {
    /// Counts the commits it is told of.
    final class Recorder: CommitMeter {
        private let count = Mutex(0)

        func measure<T>(_ body: () async throws -> T) async throws -> T {
            count.withLock { $0 += 1 }
            return try await body()
        }

        /// The commits so far, forgotten.
        func take() -> Int { count.withLock { n in defer { n = 0 }; return n } }
    }

    @Test("Every commit of submit and submit(batch:) is told to the meter, and nothing else changes", arguments: Engine.available)
    func everyCommitIsToldAndNothingElseChanges(engine: Engine) async throws {
        let clean = try Orders.gb(key: "m-clean", codes: [nil, "62046231"])
        let flagged = try Orders.gb(key: "m-flagged", codes: ["9405290000", "62046231"])
        let invalid = try JSONParser.parse(Array(try Data(contentsOf: repoRoot.appendingPathComponent("Fixtures/orders/invalid/missing-fields.json"))))
        let batch: [JSONValue] = [try Orders.gb(key: "m-batch-1", codes: [nil, nil]), invalid, try Orders.fixture("de-b2c-ioss-multiline")]

        let (meteredStore, _, meteredCleanup) = try await engine.makeStore()
        let (plainStore, _, plainCleanup) = try await engine.makeStore()
        do {
            let engines = try TestEngines.engines(reviewBelow: 0)
            let recorder = Recorder()
            let meteredHub = Hub(store: meteredStore, engines: engines, clock: { TestEngines.now }, commitMeter: recorder)
            let plainHub = Hub(store: plainStore, engines: engines, clock: { TestEngines.now })

            // One commit per valid order (a duplicate too: the store finds the key in its own
            // transaction), none for an invalid one, one for a batch.
            let singles: [(JSONValue, Int)] = [(clean, 1), (flagged, 1), (invalid, 0), (clean, 1)]
            for (k, (document, commits)) in singles.enumerated() {
                let metered = try await meteredHub.submit(document)
                let plain = try await plainHub.submit(document)
                #expect(recorder.take() == commits, "submit \(k)")
                #expect(JSONWriter.write(metered.json) == JSONWriter.write(plain.json), "answer \(k)")
            }
            let meteredBatch = try await meteredHub.submit(batch: batch).map { try $0.get() }
            let plainBatch = try await plainHub.submit(batch: batch).map { try $0.get() }
            #expect(recorder.take() == 1, "submit(batch:)")
            #expect(meteredBatch.map { JSONWriter.write($0.json) } == plainBatch.map { JSONWriter.write($0.json) })
            #expect(meteredBatch.contains(where: \.created) && meteredBatch.contains { $0.state == .invalid })

            let orders = try await meteredStore.orders(OrderFilter())
            #expect(orders.count == 4)
            for id in orders.map(\.id) {
                for (name, read) in BatchTests.rows {
                    #expect(try await read(meteredStore, id) == (try await read(plainStore, id)), "order \(id): \(name) differ")
                }
            }
            await meteredCleanup()
            await plainCleanup()
        } catch {
            await meteredCleanup()
            await plainCleanup()
            throw error
        }
    }
}
