import Synchronization

/// Rows the gates admitted, handed to long-lived delivery tasks instead of a new task per row.
///
/// A task per delivery cost its creation and its end every time, and its frames outgrew the task's
/// first slab: each delivery took a slab from a pool thread's `malloc` arena and gave it back, which
/// made glibc grow and trim the arena over and over (page faults, `mprotect`, `sysmalloc`). A worker
/// keeps its task, and its allocator's slabs, from one delivery to the next.
///
/// At most `limit` workers are started (the relay's `maxInFlight`, so every admitted row starts at
/// once); a row pushed while all of them are busy waits here for the first one free. An idle worker
/// waits for a row. `close()` lets the workers finish the rows already pushed, then end; the relay
/// calls it once it dispatches no more, before it waits for its task group.
final class DeliveryWorkers<Job: Sendable>: Sendable {
    private struct State {
        var jobs: [Job] = []
        var next = 0
        var idle: [UnsafeContinuation<Job?, Never>] = []
        var workers = 0
        var closed = false
        /// Deliveries finished since `waitForFinished()` last returned.
        var finishedUnseen = 0
        var finishWaiter: UnsafeContinuation<Void, Never>?
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// Hands `job` to an idle worker, or queues it; true when the caller must start a worker
    /// (`run(_:)`) for it, because none is idle and fewer than `limit` exist.
    func push(_ job: Job) -> Bool {
        let (worker, start) = state.withLock { s -> (UnsafeContinuation<Job?, Never>?, Bool) in
            if let worker = s.idle.popLast() { return (worker, false) }
            s.jobs.append(job)
            // Pushed after `close()`: a worker of its own delivers it (the others may have ended).
            guard s.workers < limit || s.closed else { return (nil, false) }
            s.workers += 1
            return (nil, true)
        }
        worker?.resume(returning: job)
        return start
    }

    /// A worker's life: deliver each row it is given, until closed with nothing left.
    func run(_ deliver: (Job) async -> Void) async {
        while let job = await next() {
            await deliver(job)
            finished()
        }
    }

    /// The oldest queued row, or the next one pushed; nil once closed and empty.
    private func next() async -> Job? {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Job?, Never>) in
            let job = state.withLock { s -> Job?? in
                if s.next < s.jobs.count {
                    let job = s.jobs[s.next]
                    s.next += 1
                    if s.next == s.jobs.count { s.jobs.removeAll(keepingCapacity: true); s.next = 0 }
                    return .some(job)
                }
                if s.closed { return .some(nil) }
                s.idle.append(continuation)
                return .none
            }
            if let job { continuation.resume(returning: job) }
        }
    }

    private func finished() {
        let waiter = state.withLock { s -> UnsafeContinuation<Void, Never>? in
            guard let waiter = s.finishWaiter else {
                s.finishedUnseen += 1
                return nil
            }
            s.finishWaiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns once a delivery has finished since the last call (at once if one already has), as
    /// `next()` on a group of one task per delivery did.
    func waitForFinished() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let (now, earlier) = state.withLock { s -> (Bool, UnsafeContinuation<Void, Never>?) in
                if s.finishedUnseen > 0 {
                    s.finishedUnseen = 0
                    return (true, nil)
                }
                // A second waiter (not the relay's use) wakes the first: it looks again, never hangs.
                defer { s.finishWaiter = continuation }
                return (false, s.finishWaiter)
            }
            earlier?.resume()
            if now { continuation.resume() }
        }
    }

    /// No more rows come: idle workers end now, busy ones once the queued rows are delivered.
    func close() {
        let idle = state.withLock { s -> [UnsafeContinuation<Job?, Never>] in
            s.closed = true
            defer { s.idle = [] }
            return s.idle
        }
        for worker in idle { worker.resume(returning: nil) }
    }
}
