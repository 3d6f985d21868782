// SimEventQueue: the simulator's agenda — a binary min-heap of events keyed
// by (simulated time, insertion number).
//
// Invariant: events pop in time order, and events scheduled for the same
// millisecond pop in the order they were scheduled, so a run is a pure
// function of its seed.

/// A min-heap of timed events; ties keep insertion order. Concrete, not
/// generic: a debug build pays for generic metadata on every call.
struct SimEventQueue {
    typealias Payload = SimEvent

    struct Entry {
        var time: Int64
        var seq: UInt64
        var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : seq < other.seq
        }
    }

    private var heap: [Entry] = []
    private var nextSeq: UInt64 = 0

    mutating func push(_ payload: Payload, at time: Int64) {
        heap.append(Entry(time: time, seq: nextSeq, payload: payload))
        nextSeq += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes the earliest event; nil when empty.
    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, heap[left].precedes(heap[best]) { best = left }
            if right < heap.count, heap[right].precedes(heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
