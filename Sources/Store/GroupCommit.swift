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

    /// Whether the queued items (this many) should wait for more before a write starts (see `init`).
    public typealias Hold = @Sendable (_ queued: Int) -> Bool

    private let maxBatch: Int
    private let write: Write
    private let hold: Hold?
    private let writesIdleInCaller: Bool
    private let state = Mutex(State())

    /// `hold`, if given, is asked (under this queue's lock, so it must not call back into it) before
    /// a write starts: while it answers true, the queued items wait for company. The caller must
    /// make it answer false once waiting can gain nothing (every item that could still come is
    /// queued), and call `flushIfReady()` whenever its answer may have turned without a `submit`.
    ///
    /// `writesIdleInCaller`: an item that finds the queue idle (nothing queued, nothing being written,
    /// nothing held) is written by its caller's own task, alone, instead of by a writer task that
    /// the caller then waits for: one task and two hand-offs fewer per item on a store that is not
    /// busy. Its write is then cancelled with the caller (as a plain `write` call would be, all or
    /// nothing); items that queue meanwhile go on in a writer task as before, never in the caller's.
    public init(maxBatch: Int = .max, hold: Hold? = nil, writesIdleInCaller: Bool = false, write: @escaping Write) {
        self.maxBatch = max(1, maxBatch)
        self.hold = hold
        self.writesIdleInCaller = writesIdleInCaller
        self.write = write
    }

    public func submit(_ item: Item) async -> Result<Value, any Error> {
        if writesIdleInCaller, state.withLock({ s in startsOwnWrite(&s) }) {
            let result: Result<Value, any Error>
            do {
                let results = try await write([item])
                result = results.first.map { $0.mapError { $0 as any Error } } ?? .failure(StoreError(.corrupt, "batch returned too few results"))
            } catch {
                result = .failure(error)
            }
            // What queued behind this write goes on in a writer task of its own, as from an idle queue.
            let startWriter = state.withLock { s -> Bool in
                s.writing = false
                return startsWriter(&s)
            }
            if startWriter { Task { await self.drain() } }
            return result
        }
        return await withCheckedContinuation { continuation in
            let startWriter = state.withLock { s -> Bool in
                s.queue.append(Waiting(item: item, continuation: continuation))
                return startsWriter(&s)
            }
            if startWriter { Task { await self.drain() } }
        }
    }

    /// Starts a write of the queued items if none is running and `hold` no longer holds them.
    public func flushIfReady() {
        let startWriter = state.withLock { s in startsWriter(&s) }
        if startWriter { Task { await self.drain() } }
    }

    /// Whether the caller may write its item itself, now: the queue is idle and `hold` would not
    /// hold a lone item.
    private func startsOwnWrite(_ s: inout State) -> Bool {
        if s.writing || !s.queue.isEmpty { return false }
        if let hold, hold(1) { return false }
        s.writing = true
        return true
    }

    private func startsWriter(_ s: inout State) -> Bool {
        if s.writing || s.queue.isEmpty { return false }
        if let hold, hold(s.queue.count) { return false }
        s.writing = true
        return true
    }

    private func drain() async {
        while true {
            let batch = state.withLock { s -> [Waiting] in
                if let hold, !s.queue.isEmpty, hold(s.queue.count) {
                    s.writing = false
                    return []
                }
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
