import Dispatch

/// A tick per event (the latest kept): a test waits on the events themselves (a filing arrived, a
/// callback was applied) instead of sleeping and polling. One waiter at a time.
public final class EventTicks: Sendable {
    private let ticks = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    public init() {}

    /// Something happened that may satisfy a waiter.
    public func tick() { ticks.continuation.yield() }

    public struct Timeout: Error, CustomStringConvertible { public var description: String }

    /// Returns once `done` holds, checked now and after each tick; fails after `seconds`, woken by a
    /// timer tick (the bound only tells "never" from "slow").
    public func wait(_ seconds: Double, for what: String, until done: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let continuation = ticks.continuation
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.yield() }
        if try await done() { return }
        for await _ in ticks.stream {
            if try await done() { return }
            if ContinuousClock.now >= deadline { break }
        }
        throw Timeout(description: "timed out after \(seconds) s waiting for \(what)")
    }
}
