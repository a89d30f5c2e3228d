import Synchronization

/// Group commit for a single-writer store: the first item of an idle queue is written at once;
/// items that arrive while a batch is being written wait and go together in the next one (at most
/// `maxBatch`). No timer, so a quiet store adds no latency, and a busy one pays one commit (one
/// fsync) for many items. Each caller gets its own item's result; when the write throws, nothing of
/// the batch was committed and every caller of it gets the error.
public final class GroupCommit<Item: Sendable, Value: Sendable>: Sendable {
    /// Writes a batch in one transaction: one result per item, in order.
    public typealias Write = @Sendable ([Item]) async throws -> [Result<Value, StoreError>]

    private struct Waiting {
        var item: Item
        var continuation: CheckedContinuation<Result<Value, any Error>, Never>
    }

    private struct State {
        var queue: [Waiting] = []
        var writing = false
    }

    private let maxBatch: Int
    private let write: Write
    private let state = Mutex(State())

    public init(maxBatch: Int = .max, write: @escaping Write) {
        self.maxBatch = max(1, maxBatch)
        self.write = write
    }

    public func submit(_ item: Item) async -> Result<Value, any Error> {
        await withCheckedContinuation { continuation in
            let startWriter = state.withLock { s -> Bool in
                s.queue.append(Waiting(item: item, continuation: continuation))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { s -> [Waiting] in
                let taken = Array(s.queue.prefix(maxBatch))
                s.queue.removeFirst(taken.count)
                if taken.isEmpty { s.writing = false }
                return taken
            }
            if batch.isEmpty { return }
            do {
                let results = try await write(batch.map(\.item))
                for (waiting, result) in zip(batch, results) {
                    waiting.continuation.resume(returning: result.mapError { $0 as any Error })
                }
                for waiting in batch.dropFirst(results.count) {
                    waiting.continuation.resume(returning: .failure(StoreError(.corrupt, "batch returned too few results")))
                }
            } catch {
                for waiting in batch { waiting.continuation.resume(returning: .failure(error)) }
            }
        }
    }
}
