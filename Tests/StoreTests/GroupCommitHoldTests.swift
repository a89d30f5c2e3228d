import Store
import Synchronization
import Testing

/// `GroupCommit` with a hold rule (the relay's on SQLite): queued items wait for company until the
/// rule lets them go, then go in one write; `flushIfReady` lets them go when the rule turned
/// without a new item.
@Suite("Group commit with a hold rule")
struct GroupCommitHoldTests {
    final class Log: Sendable {
        let batches = Mutex<[[Int]]>([])
        let minimum = Mutex(3)
        let held = Mutex(0)

        func holds(_ queued: Int) -> Bool {
            let hold = queued < minimum.withLock { $0 }
            if hold { held.withLock { $0 += 1 } }
            return hold
        }
    }

    @Test func heldItemsGoTogetherOnceTheRuleLetsThemGo() async throws {
        let log = Log()
        let commit = GroupCommit<Int, Int>(hold: { log.holds($0) }) { batch in
            log.batches.withLock { $0.append(batch) }
            return batch.map { .success($0 * 10) }
        }
        let results = await withTaskGroup(of: Int?.self) { group in
            for i in 1...3 { group.addTask { try? await commit.submit(i).get() } }
            var out: [Int] = []
            for await r in group { if let r { out.append(r) } }
            return out.sorted()
        }
        #expect(results == [10, 20, 30])
        let batches = log.batches.withLock { $0 }
        #expect(batches.count == 1)
        #expect(batches.first?.sorted() == [1, 2, 3])
    }

    @Test func flushIfReadyWritesWhatTheRuleNoLongerHolds() async throws {
        let log = Log()
        let commit = GroupCommit<Int, Int>(hold: { log.holds($0) }) { batch in
            log.batches.withLock { $0.append(batch) }
            return batch.map { .success($0) }
        }
        async let first = commit.submit(7)
        // The single item is held (fewer than 3 queued) and nothing is written...
        while log.held.withLock({ $0 }) == 0 { await Task.yield() }
        #expect(log.batches.withLock { $0 }.isEmpty)
        // ...until the rule turns and the owner says so, without another submit.
        log.minimum.withLock { $0 = 1 }
        commit.flushIfReady()
        #expect(try await first.get() == 7)
        #expect(log.batches.withLock { $0 } == [[7]])
    }
}
