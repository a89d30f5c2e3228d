@testable import Relay
import Synchronization
import Testing

/// The relay's long-lived delivery tasks: every pushed row is delivered once, no more workers than
/// the limit start, a row pushed while all are busy waits for the first free one, and `close()`
/// ends them only after the rows already pushed.
@Suite struct DeliveryWorkersTests {
    final class Delivered: Sendable {
        let rows = Mutex<[Int]>([])
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
    }

    /// Starts a worker that records each row it is given.
    func record(_ workers: DeliveryWorkers<Int>, into delivered: Delivered, in group: inout TaskGroup<Void>) {
        group.addTask { await workers.run { job in delivered.rows.withLock { $0.append(job) } } }
    }

    @Test func everyRowIsDeliveredOnceByAtMostLimitWorkersAndCloseWaitsForTheQueue() async {
        let workers = DeliveryWorkers<Int>(limit: 3)
        let delivered = Delivered()
        var started = 0
        await withTaskGroup(of: Void.self) { group in
            for row in 0..<200 {
                if workers.push(row) {
                    started += 1
                    group.addTask {
                        await workers.run { job in
                            let now = delivered.running.add(1, ordering: .sequentiallyConsistent).newValue
                            _ = delivered.most.max(now, ordering: .sequentiallyConsistent)
                            await Task.yield()
                            delivered.rows.withLock { $0.append(job) }
                            _ = delivered.running.subtract(1, ordering: .sequentiallyConsistent)
                        }
                    }
                }
                if row % 7 == 0 { await Task.yield() }
            }
            workers.close()
            await group.waitForAll()
        }
        #expect(started == 3)
        #expect(delivered.most.load(ordering: .sequentiallyConsistent) <= 3)
        #expect(delivered.rows.withLock { $0.sorted() } == Array(0..<200))
    }

    @Test func aFinishedDeliveryIsSeenEvenWhenItEndedBeforeTheWait() async {
        let workers = DeliveryWorkers<Int>(limit: 1)
        let delivered = Delivered()
        await withTaskGroup(of: Void.self) { group in
            #expect(workers.push(1))
            record(workers, into: delivered, in: &group)
            // Until the row is delivered the finish is pending; afterwards it must not be lost.
            while delivered.rows.withLock({ $0.isEmpty }) { await Task.yield() }
            await workers.waitForFinished()
            // The idle worker takes the next row: no new worker is asked for.
            #expect(!workers.push(2))
            await workers.waitForFinished()
            workers.close()
            await group.waitForAll()
        }
        #expect(delivered.rows.withLock { $0 } == [1, 2])
    }

    @Test func closingEndsIdleWorkersAndARowPushedAfterItGetsAWorkerOfItsOwn() async {
        let workers = DeliveryWorkers<Int>(limit: 1)
        let delivered = Delivered()
        await withTaskGroup(of: Void.self) { group in
            #expect(workers.push(1))
            record(workers, into: delivered, in: &group)
            await workers.waitForFinished()
            workers.close()
            await group.waitForAll()
            #expect(workers.push(2))
            record(workers, into: delivered, in: &group)
            await group.waitForAll()
        }
        #expect(delivered.rows.withLock { $0 } == [1, 2])
    }
}
