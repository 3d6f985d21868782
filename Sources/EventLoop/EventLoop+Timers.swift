// EventLoop+Timers.swift: one-shot and repeating timers on the monotonic clock.
//
// Rules (storage and heap invariants are in TimerQueue.swift):
// 1. A timer fires at the first iteration at or after its deadline; timers
//    with equal deadlines fire in scheduling order.
// 2. Timers scheduled while timers are firing (including by a timer for
//    itself) wait for the next iteration, even with a 0 ms delay.
// 3. A repeating timer is re-armed `every` milliseconds after the moment it
//    fired (no catch-up bursts after a stall), unless its body cancelled it.
// 4. `cancel` works from anywhere on the loop thread, including inside the
//    timer's own body and for ids that already fired (then it does nothing).

extension EventLoop {
    /// Runs `body` once, on the loop thread, `afterMilliseconds` from now
    /// (negative counts as 0).
    @discardableResult
    public func schedule(afterMilliseconds: Int64, _ body: @escaping () -> Void) -> TimerID {
        let delay = max(afterMilliseconds, 0)
        return timers.add(deadline: monotonicMilliseconds &+ delay, interval: nil, body: body)
    }

    /// Runs `body` every `everyMilliseconds` (at least 1) until cancelled; the
    /// first run is one period from now.
    @discardableResult
    public func scheduleRepeating(everyMilliseconds: Int64, _ body: @escaping () -> Void) -> TimerID {
        let interval = max(everyMilliseconds, 1)
        return timers.add(deadline: monotonicMilliseconds &+ interval, interval: interval, body: body)
    }

    /// Cancels a timer. Harmless for timers that already fired or were cancelled.
    public func cancel(_ id: TimerID) {
        timers.cancel(id)
    }

    /// Number of live timers (scheduled and not yet fired or cancelled).
    public var pendingTimerCount: Int { timers.liveCount }

    /// Step 1 of an iteration: fires every timer due now (rule 2 via the
    /// sequence limit).
    func runDueTimers() {
        let now = monotonicMilliseconds
        let limit = timers.nextSequence
        while !stopRequested, !isClosed, let due = timers.popDue(now: now, sequenceLimit: limit) {
            due.timer.body()
            if due.timer.interval != nil {
                timers.rearm(id: due.id, now: monotonicMilliseconds)
            }
        }
    }
}
