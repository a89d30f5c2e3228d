import Synchronization

/// In-process wake-up for idle relays: enqueue signals, a waiting relay resumes at once instead of
/// polling an empty table. A signal that arrives while nobody waits is remembered once, so the
/// window between "lease found nothing" and "start waiting" cannot lose it.
public final class WorkSignal: Sendable {
    private enum Slot {
        case armed
        case waiting(CheckedContinuation<Void, Never>)
        case fired
    }

    private struct State {
        var slots: [UInt64: Slot] = [:]
        var nextID: UInt64 = 0
        var pending = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes every current waiter (or the next one, if none waits).
    public func signal() {
        let toResume: [CheckedContinuation<Void, Never>] = state.withLock { s in
            if s.slots.isEmpty { s.pending = true; return [] }
            var resumed: [CheckedContinuation<Void, Never>] = []
            for (id, slot) in s.slots {
                switch slot {
                case .waiting(let c): resumed.append(c); s.slots[id] = nil
                case .armed: s.slots[id] = .fired
                case .fired: break
                }
            }
            return resumed
        }
        for c in toResume { c.resume() }
    }

    /// Returns on the next signal, after `timeoutMillis`, or when the task is cancelled.
    public func wait(timeoutMillis: Int64) async {
        let id: UInt64? = state.withLock { s in
            if s.pending { s.pending = false; return nil }
            s.nextID += 1
            s.slots[s.nextID] = .armed
            return s.nextID
        }
        guard let id else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = self.state.withLock { s -> Bool in
                            guard case .armed = s.slots[id] else { s.slots[id] = nil; return true }
                            s.slots[id] = .waiting(c)
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                } onCancel: {
                    self.fire(id)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(max(0, timeoutMillis)))
            }
            await group.next()
            group.cancelAll()
        }
        state.withLock { s in _ = s.slots.removeValue(forKey: id) }
    }

    private func fire(_ id: UInt64) {
        let c: CheckedContinuation<Void, Never>? = state.withLock { s in
            switch s.slots[id] {
            case .waiting(let c): s.slots[id] = nil; return c
            case .armed: s.slots[id] = .fired; return nil
            default: return nil
            }
        }
        c?.resume()
    }
}
