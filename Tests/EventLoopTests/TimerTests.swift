// TimerTests.swift: timer ordering, repetition, cancellation (including from
// inside dispatch), timers scheduled from timers, and the heap itself.

import Testing
@testable import EventLoop

@Suite struct TimerTests {
    @Test func timersFireInDeadlineOrderAndEqualDeadlinesInSchedulingOrder() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired: [String] = []
        loop.schedule(afterMilliseconds: 30) { fired.append("30") }
        loop.schedule(afterMilliseconds: 10) { fired.append("10a") }
        loop.schedule(afterMilliseconds: 0) { fired.append("0") }
        loop.schedule(afterMilliseconds: 10) { fired.append("10b") }
        loop.schedule(afterMilliseconds: 20) { fired.append("20") }
        loop.schedule(afterMilliseconds: 40) { [unowned loop] in loop.stop() }
        runLoop(loop)
        #expect(fired == ["0", "10a", "10b", "20", "30"])
    }

    @Test func aTimerFiresNoEarlierThanItsDelay() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let start = loop.monotonicMilliseconds
        var firedAt: Int64 = 0
        loop.schedule(afterMilliseconds: 25) { [unowned loop] in
            firedAt = loop.monotonicMilliseconds
            loop.stop()
        }
        runLoop(loop)
        #expect(firedAt - start >= 25)
    }

    @Test func cancelledTimersNeverFire() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired: [Int] = []
        let first = loop.schedule(afterMilliseconds: 5) { fired.append(1) }
        loop.schedule(afterMilliseconds: 5) { fired.append(2) }
        let third = loop.scheduleRepeating(everyMilliseconds: 1) { fired.append(3) }
        loop.cancel(first)
        loop.cancel(third)
        loop.cancel(third)  // twice is harmless
        loop.schedule(afterMilliseconds: 20) { [unowned loop] in loop.stop() }
        runLoop(loop)
        #expect(fired == [2])
        #expect(loop.pendingTimerCount == 0)
    }

    @Test func aTimerCanCancelAnotherDueInTheSamePass() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired: [Int] = []
        var second: EventLoop.TimerID?
        loop.schedule(afterMilliseconds: 5) { [unowned loop] in
            fired.append(1)
            if let second { loop.cancel(second) }
        }
        second = loop.schedule(afterMilliseconds: 5) { fired.append(2) }
        loop.schedule(afterMilliseconds: 15) { [unowned loop] in loop.stop() }
        runLoop(loop)
        #expect(fired == [1])
    }

    @Test func aRepeatingTimerRepeatsUntilItCancelsItself() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var count = 0
        var id: EventLoop.TimerID?
        id = loop.scheduleRepeating(everyMilliseconds: 2) { [unowned loop] in
            count += 1
            if count == 5, let id {
                loop.cancel(id)
                loop.schedule(afterMilliseconds: 10) { loop.stop() }
            }
        }
        runLoop(loop)
        #expect(count == 5)
        #expect(loop.pendingTimerCount == 0)
    }

    @Test func timersScheduledFromATimerRunOnALaterIteration() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var iterations = 0
        loop.addBeforeSleep { iterations += 1 }
        var log: [String] = []
        loop.schedule(afterMilliseconds: 0) { [unowned loop] in
            log.append("outer@\(iterations)")
            loop.schedule(afterMilliseconds: 0) {
                log.append("inner@\(iterations)")
                loop.stop()
            }
        }
        runLoop(loop)
        #expect(log == ["outer@0", "inner@1"])
    }

    @Test func epollTimeoutHonoursTheNearestTimer() throws {
        // No descriptors are ready, so only the timeout can end the sleep: a
        // 20 ms timer must not wait for the 1 s cap.
        let loop = try EventLoop()
        defer { loop.close() }
        let start = loop.monotonicMilliseconds
        var elapsed: Int64 = -1
        loop.schedule(afterMilliseconds: 20) { [unowned loop] in
            elapsed = loop.monotonicMilliseconds - start
            loop.stop()
        }
        runLoop(loop)
        #expect(elapsed >= 20)
        #expect(elapsed < EventLoop.maximumSleepMilliseconds)
    }

    @Test(arguments: [1, 7, 100, 1000])
    func theHeapPopsDueTimersInDeadlineThenSequenceOrder(count: Int) {
        var queue = TimerQueue()
        var generator = SplitMix(seed: UInt64(count))
        var expected: [(deadline: Int64, order: Int)] = []
        var cancelled = Set<Int>()
        var ids: [EventLoop.TimerID] = []
        for order in 0..<count {
            let deadline = Int64(generator.next() % 50)
            ids.append(queue.add(deadline: deadline, interval: nil) {})
            expected.append((deadline, order))
        }
        for order in stride(from: 0, to: count, by: 3) {
            queue.cancel(ids[order])
            cancelled.insert(order)
        }
        let survivors = expected.filter { !cancelled.contains($0.order) }
            .sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }
        var popped: [UInt64] = []
        while let due = queue.popDue(now: 100, sequenceLimit: queue.nextSequence) {
            popped.append(due.id)
        }
        #expect(popped == survivors.map { ids[$0.order].raw })
        #expect(queue.liveCount == 0)
    }

    @Test func cancelChurnDoesNotGrowTheHeap() {
        var queue = TimerQueue()
        let keep = queue.add(deadline: 1_000_000, interval: nil) {}
        for _ in 0..<10_000 {
            let id = queue.add(deadline: 5, interval: nil) {}
            queue.cancel(id)
        }
        #expect(queue.heap.count <= 130)
        #expect(queue.nextDeadline() == 1_000_000)
        queue.cancel(keep)
        #expect(queue.nextDeadline() == nil)
    }
}

/// Small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
