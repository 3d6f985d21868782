// TimerQueue.swift: the loop's timers, a binary min-heap of deadlines plus a
// table of live timers.
//
// Invariants:
// - `timers` holds exactly the live (not cancelled, not yet fired one-shot)
//   timers; a heap entry whose id is not in `timers` is stale and is skipped.
// - Every live timer has exactly one heap entry, except a repeating timer
//   while its body runs (popped, re-pushed afterwards unless cancelled).
// - Heap order is (deadline, sequence): equal deadlines fire in the order they
//   were scheduled. Sequence numbers and ids only grow, so ids are never reused.
// - Stale entries are purged when they outnumber live ones, so a
//   schedule/cancel churn cannot grow the heap without bound.

extension EventLoop {
    /// Identifies a scheduled timer, for `cancel(_:)`. Never reused within a loop.
    public struct TimerID: Hashable, Sendable {
        @usableFromInline let raw: UInt64
        @usableFromInline init(raw: UInt64) { self.raw = raw }
    }
}

/// Min-heap timer storage used by `EventLoop`; single-threaded.
struct TimerQueue {
    struct Entry {
        var deadline: Int64
        var sequence: UInt64
        var id: UInt64

        @inline(__always)
        func firesBefore(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    struct Timer {
        var body: () -> Void
        /// Milliseconds between firings for a repeating timer, nil for one-shot.
        var interval: Int64?
    }

    private(set) var heap: ContiguousArray<Entry> = []
    private(set) var timers: [UInt64: Timer] = [:]
    private var nextID: UInt64 = 1
    private(set) var nextSequence: UInt64 = 0

    var liveCount: Int { timers.count }

    mutating func add(deadline: Int64, interval: Int64?, body: @escaping () -> Void) -> EventLoop.TimerID {
        let id = nextID
        nextID += 1
        timers[id] = Timer(body: body, interval: interval)
        push(deadline: deadline, id: id)
        return EventLoop.TimerID(raw: id)
    }

    mutating func cancel(_ id: EventLoop.TimerID) {
        guard timers.removeValue(forKey: id.raw) != nil else { return }
        if heap.count > 64 && heap.count > 2 * timers.count {
            purgeStale()
        }
    }

    /// The earliest live deadline, dropping stale entries from the top.
    mutating func nextDeadline() -> Int64? {
        while let top = heap.first {
            if timers[top.id] != nil { return top.deadline }
            popTop()
        }
        return nil
    }

    /// Removes and returns the next due timer: deadline <= now and scheduled
    /// (sequence) before `sequenceLimit`, so timers added while firing wait for
    /// the next pass. One-shot timers leave the table here; repeating ones stay
    /// and must be passed to `rearm` after their body ran.
    mutating func popDue(now: Int64, sequenceLimit: UInt64) -> (id: UInt64, timer: Timer)? {
        while let top = heap.first, top.deadline <= now, top.sequence < sequenceLimit {
            popTop()
            guard let timer = timers[top.id] else { continue }
            if timer.interval == nil {
                timers[top.id] = nil
            }
            return (top.id, timer)
        }
        return nil
    }

    /// Re-queues a repeating timer after its body ran, unless it was cancelled.
    mutating func rearm(id: UInt64, now: Int64) {
        guard let timer = timers[id], let interval = timer.interval else { return }
        push(deadline: now &+ interval, id: id)
    }

    mutating func removeAll() {
        heap.removeAll()
        timers.removeAll()
    }

    // MARK: - heap

    private mutating func push(deadline: Int64, id: UInt64) {
        heap.append(Entry(deadline: deadline, sequence: nextSequence, id: id))
        nextSequence += 1
        siftUp(heap.count - 1)
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func purgeStale() {
        heap.removeAll { timers[$0.id] == nil }
        // Floyd's heapify: sift down every internal node, last first.
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.firesBefore(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let entry = heap[parent]
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && heap[child + 1].firesBefore(heap[child]) {
                child += 1
            }
            guard heap[child].firesBefore(entry) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = entry
    }
}
