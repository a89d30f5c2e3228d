import Store
import Synchronization
import Testing

/// `GroupCommit(writesIdleInCaller: true)` (SQLite's accepts): an item that finds the queue idle is
/// written by its caller's own task, alone; what queues meanwhile goes on in a writer task, each
/// item once and with its own answer. Without the option every write runs in a writer task of its
/// own, which a caller's cancellation does not reach.
@Suite("Group commit written in the caller")
struct GroupCommitInCallerTests {
    final class Log: Sendable {
        let batches = Mutex<[[Int]]>([])
        let submitted = Mutex(0)
        let firstWriteStarted = Mutex(false)
    }

    /// Submits `item` from a task that is cancelled before it submits; answers whether the write
    /// saw the cancellation (the caller's task) or not (a writer task).
    func cancelledSubmit(writesIdleInCaller: Bool) async throws -> Bool {
        let commit = GroupCommit<Int, Bool>(writesIdleInCaller: writesIdleInCaller) { batch in batch.map { _ in .success(Task.isCancelled) } }
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            return await commit.submit(1)
        }
        task.cancel()
        return try await task.value.get()
    }

    @Test func anIdleItemIsWrittenInItsCallersTaskOnlyWhenAsked() async throws {
        #expect(try await cancelledSubmit(writesIdleInCaller: true))
        #expect(try await !cancelledSubmit(writesIdleInCaller: false))
    }

    @Test func itemsQueuedBehindTheCallersWriteAreEachWrittenOnceAfterIt() async throws {
        let log = Log()
        let commit = GroupCommit<Int, Int>(writesIdleInCaller: true) { batch in
            // The first write waits until the other submits have been made, so that they queue behind it.
            if batch == [0] {
                log.firstWriteStarted.withLock { $0 = true }
                while log.submitted.withLock({ $0 }) < 3 { await Task.yield() }
            }
            log.batches.withLock { $0.append(batch) }
            return batch.map { .success($0 * 10) }
        }
        async let first = commit.submit(0)
        while !log.firstWriteStarted.withLock({ $0 }) { await Task.yield() }
        let rest = await withTaskGroup(of: Int?.self) { group in
            for i in 1...3 {
                group.addTask {
                    log.submitted.withLock { $0 += 1 }
                    return try? await commit.submit(i).get()
                }
            }
            var out: [Int] = []
            for await r in group { if let r { out.append(r) } }
            return out.sorted()
        }
        #expect(try await first.get() == 0)
        #expect(rest == [10, 20, 30])
        let batches = log.batches.withLock { $0 }
        #expect(batches.first == [0])
        #expect(batches.flatMap { $0 }.sorted() == [0, 1, 2, 3])
    }
}
