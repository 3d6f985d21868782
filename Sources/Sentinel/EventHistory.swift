// EventHistory: the most recent sentinel events with their wall-clock time,
// a bounded ring (oldest dropped first) read by SENTINEL EVENTS.

import SentinelCore

/// One recorded event.
public struct RecordedEvent: Sendable, Equatable {
    /// Unix milliseconds.
    public var time: Int64
    public var event: SentinelEvent
}

/// A bounded, ordered log of events.
public struct EventHistory: Sendable {
    public let capacity: Int
    private var items: [RecordedEvent] = []
    private var head = 0

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public mutating func append(_ event: RecordedEvent) {
        if items.count < capacity {
            items.append(event)
        } else {
            items[head] = event
            head = (head + 1) % capacity
        }
    }

    /// Oldest first.
    public var all: [RecordedEvent] { Array(items[head...] + items[..<head]) }
}
