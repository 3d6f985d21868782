// EventLoopHandle.swift: the only door into a loop from other threads.
//
// Other threads append closures to a Mutex-protected queue and write the
// loop's eventfd; the loop drains the eventfd and the queue on its own
// thread and runs the closures there, in submission order.
//
// Invariants:
// - `wakePending` is true iff a wake-up was written to the eventfd and the
//   loop has not yet taken the queue; so a burst of `execute` calls costs one
//   eventfd write, and a job enqueued after the loop took the queue always
//   writes a new wake-up (no lost wake-ups).
// - The eventfd is owned by `CrossThreadQueue` and closed in its deinit, so a
//   Handle that outlives its loop never writes to a recycled descriptor.
// - After the loop closes, `execute` drops its closure.

import CVigilSys
import Glibc
import Synchronization

extension EventLoop {
    /// A thread-safe reference to a loop: the one part of `EventLoop` other
    /// threads may use.
    public struct Handle: Sendable {
        let queue: CrossThreadQueue

        /// Runs `body` on the loop's thread, after the current dispatch, in
        /// submission order. Callable from any thread. Dropped if the loop has
        /// been closed.
        public func execute(_ body: @escaping @Sendable () -> Void) {
            queue.enqueue { _ in body() }
        }

        /// Like `execute(_:)`, but `body` receives the loop, so it can schedule
        /// timers or stop it without capturing the (non-Sendable) loop.
        public func executeOnLoop(_ body: @escaping @Sendable (EventLoop) -> Void) {
            queue.enqueue(body)
        }

        /// Asks the loop to stop; `run()` returns after the current iteration.
        public func stop() {
            queue.enqueue { loop in loop.stop() }
        }
    }

    /// A Sendable handle through which any thread can enqueue `execute` jobs.
    public var handle: Handle { Handle(queue: crossThread) }
}

/// The shared state behind `EventLoop.Handle`.
final class CrossThreadQueue: Sendable {
    typealias Job = @Sendable (EventLoop) -> Void

    private struct State {
        var jobs: [Job] = []
        var wakePending = false
        var closed = false
    }

    /// The eventfd the loop polls; written to wake it.
    let eventFD: Int32
    private let state = Mutex(State())

    init() throws(SystemError) {
        let fd = vigil_eventfd()
        guard fd >= 0 else { throw SystemError.current("eventfd") }
        eventFD = fd
    }

    deinit {
        Glibc.close(eventFD)
    }

    func enqueue(_ job: @escaping Job) {
        let mustWake = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.jobs.append(job)
            guard !state.wakePending else { return false }
            state.wakePending = true
            return true
        }
        if mustWake {
            var one: UInt64 = 1
            // EAGAIN only if the counter is near 2^64: the loop is awake anyway.
            _ = Glibc.write(eventFD, &one, MemoryLayout<UInt64>.size)
        }
    }

    /// Loop thread: clears the eventfd and takes every queued job.
    func takeAll() -> [Job] {
        var counter: UInt64 = 0
        _ = Glibc.read(eventFD, &counter, MemoryLayout<UInt64>.size)
        return state.withLock { state in
            state.wakePending = false
            let jobs = state.jobs
            state.jobs = []
            return jobs
        }
    }

    /// Loop thread, at close: drops pending jobs and refuses new ones.
    func close() {
        let dropped = state.withLock { state in
            state.closed = true
            let jobs = state.jobs
            state.jobs = []
            return jobs
        }
        _ = dropped  // released outside the lock
    }
}
