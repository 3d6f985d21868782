// EventLoop.swift: Vigil's single-threaded reactor (Redis's ae model on epoll).
//
// One thread creates the loop, runs it and owns everything scheduled on it:
// fd handlers, timers, before-sleep hooks, signal handlers. None of that is
// Sendable and none of it takes a lock. The only cross-thread entry is
// `Handle` (EventLoopHandle.swift).
//
// One iteration of `run()`:
//   1. run the timers that are due (those scheduled during this step wait for
//      the next iteration, so a 0 ms timer cannot starve I/O);
//   2. call the before-sleep hooks in registration order (the server flushes
//      client output here: one write per client per iteration);
//   3. epoll_wait, with a timeout of the time left to the nearest timer,
//      capped at `maximumSleepMilliseconds`, 0 if a timer is already due;
//   4. dispatch the ready descriptors, each to the handler registered when
//      epoll saw it (see the generation rule in EventLoop+FileDescriptors.swift).
//
// Invariants:
// - `registrations[fd]` is the live registration for fd, or nil.
// - The loop's own descriptors (epoll, eventfd registration, signalfd) are
//   released by `close()`, which deinit also calls.
// - Process-wide side effect at init: SIGPIPE is ignored (writes also use
//   MSG_NOSIGNAL; this covers pipes and any code that does not).

import CVigilSys
import Glibc

/// A single-threaded epoll event loop: file descriptor readiness, timers,
/// before-sleep hooks, signals, and jobs submitted from other threads.
///
/// Create, configure and `run()` it on one thread. It is deliberately not
/// `Sendable`; other threads talk to it only through `handle`.
public final class EventLoop {
    /// Longest single epoll_wait, so a loop with no timers still turns over.
    public static let maximumSleepMilliseconds: Int64 = 1000

    // --- file descriptors (EventLoop+FileDescriptors.swift) ---
    struct Registration {
        var generation: UInt32
        var interest: Interest
        /// Whether the fd is currently in the epoll set (it is not while interest is empty).
        var inEpoll: Bool
        var handler: (_ readable: Bool, _ writable: Bool, _ hangup: Bool) -> Void
    }

    var epollFD: Int32
    var registrations: ContiguousArray<Registration?> = []
    var nextGeneration: UInt32 = 1
    var events: UnsafeMutablePointer<epoll_event>
    var eventCapacity: Int

    // --- timers (EventLoop+Timers.swift) ---
    var timers = TimerQueue()

    // --- hooks and lifecycle ---
    var beforeSleepHooks: [() -> Void] = []
    var stopRequested = false
    var isRunning = false
    var isClosed = false

    // --- cross-thread (EventLoopHandle.swift, EventLoopMailbox.swift) ---
    let crossThread: CrossThreadQueue
    var mailboxes: [UInt64: AnyObject] = [:]
    var nextMailboxID: UInt64 = 1

    // --- signals (EventLoop+Signals.swift) ---
    var signalFD: Int32 = -1
    var signalHandlers: [Int32: () -> Void] = [:]
    /// Signals this loop blocked in its thread (unblocked again at close).
    var signalsBlockedByLoop: [Int32] = []

    /// Creates the epoll instance and the cross-thread wake-up eventfd, and
    /// ignores SIGPIPE for the process.
    public init() throws(SystemError) {
        guard vigil_ignore_sigpipe() == 0 else { throw SystemError.current("sigaction SIGPIPE") }
        let epoll = vigil_epoll_create()
        guard epoll >= 0 else { throw SystemError.current("epoll_create1") }
        let queue: CrossThreadQueue
        do {
            queue = try CrossThreadQueue()
        } catch {
            Glibc.close(epoll)
            throw error
        }
        let wakeGeneration: UInt32 = 1
        let wakeEvents = Interest.readable.epollEvents
        guard epollControl(epoll, EPOLL_CTL_ADD, fd: queue.eventFD, events: wakeEvents, generation: wakeGeneration) == 0 else {
            let error = SystemError.current("epoll_ctl add eventfd")
            Glibc.close(epoll)
            throw error
        }
        epollFD = epoll
        crossThread = queue
        eventCapacity = 256
        events = .allocate(capacity: eventCapacity)
        nextGeneration = wakeGeneration + 1
        // From here on nothing can fail: install the wake-up handler directly.
        setRegistration(
            Registration(generation: wakeGeneration, interest: .readable, inEpoll: true) { [unowned self] _, _, _ in
                self.runCrossThreadJobs()
            },
            for: queue.eventFD)
    }

    deinit {
        close()
        events.deallocate()
    }

    /// Runs the loop on the calling thread until `stop()` is called (from a
    /// handler, timer or hook, or via `handle.stop()`). Returns at once if
    /// `stop()` was called before; either way the stop request is consumed,
    /// so the loop can be run again.
    public func run() {
        guard !isRunning else { preconditionFailure("EventLoop.run() called from inside the running loop") }
        isRunning = true
        defer {
            isRunning = false
            stopRequested = false
        }
        while !stopRequested && !isClosed {
            runDueTimers()
            if stopRequested || isClosed { break }
            for hook in beforeSleepHooks {
                hook()
            }
            if stopRequested || isClosed { break }
            let ready = waitForEvents(timeout: sleepTimeout())
            dispatch(ready)
        }
    }

    /// Makes `run()` return after the handler, timer or hook that is running
    /// finishes. Remaining ready descriptors are reported again next time.
    public func stop() {
        stopRequested = true
    }

    /// Adds a hook called before every epoll_wait, in registration order.
    public func addBeforeSleep(_ body: @escaping () -> Void) {
        beforeSleepHooks.append(body)
    }

    /// Releases everything the loop holds: handlers, timers, hooks, signal
    /// handlers (restoring the thread's signal mask), and its epoll and
    /// signal descriptors. Descriptors registered by callers are not closed.
    /// Use this to break reference cycles between the loop and handlers that
    /// capture it; afterwards `run()` returns at once and `register` fails.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        crossThread.close()
        closeSignals()
        registrations.removeAll()
        timers.removeAll()
        beforeSleepHooks.removeAll()
        mailboxes.removeAll()
        Glibc.close(epollFD)
        epollFD = -1
    }

    // MARK: - iteration steps

    private func sleepTimeout() -> Int32 {
        guard let deadline = timers.nextDeadline() else {
            return Int32(Self.maximumSleepMilliseconds)
        }
        let remaining = deadline - monotonicMilliseconds
        return Int32(min(max(remaining, 0), Self.maximumSleepMilliseconds))
    }

    private func waitForEvents(timeout: Int32) -> Int {
        guard epollFD >= 0 else { return 0 }
        let count = epoll_wait(epollFD, events, Int32(eventCapacity), timeout)
        if count >= 0 { return Int(count) }
        let error = vigil_errno()
        if error == EINTR { return 0 }
        // EBADF/EFAULT/EINVAL mean our own epoll fd or buffer is broken.
        preconditionFailure("epoll_wait failed: \(SystemError(operation: "epoll_wait", errno: error))")
    }

    private func runCrossThreadJobs() {
        for job in crossThread.takeAll() {
            job(self)
        }
    }
}
