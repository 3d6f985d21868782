// SegmentedTable+Sequence: iteration over a segmented table's entries and
// keys, and equality.
//
// Iteration walks segment 0 to S-1, each in its arena's slot order (not
// insertion order, not sorted). An iterator holds its own copy of the segment
// array, so it sees the table as it was when iteration began even if the
// table variable is mutated meanwhile (that mutation copies first).

extension SegmentedTable: Sequence {
    /// One entry.
    public typealias Element = (key: [UInt8], value: Value)

    /// Iterates a snapshot of the table's entries.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let segments: [HashTable<Value>]
        @usableFromInline var index: Int
        @usableFromInline var inner: HashTable<Value>.Iterator

        @inlinable
        init(segments: [HashTable<Value>]) {
            self.segments = segments
            self.index = 0
            self.inner = segments[0].makeIterator()
        }

        @inlinable
        public mutating func next() -> (key: [UInt8], value: Value)? {
            while true {
                if let entry = inner.next() { return entry }
                guard index &+ 1 < segments.count else { return nil }
                index &+= 1
                inner = segments[index].makeIterator()
            }
        }
    }

    @inlinable
    public func makeIterator() -> Iterator { Iterator(segments: segments) }

    @inlinable
    public var underestimatedCount: Int { total }
}

extension SegmentedTable {
    /// The keys of a table, in iteration order.
    public struct Keys: Sequence {
        @usableFromInline let segments: [HashTable<Value>]

        @inlinable
        init(segments: [HashTable<Value>]) { self.segments = segments }

        /// Iterates the keys of a snapshot of the table.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let segments: [HashTable<Value>]
            @usableFromInline var index: Int
            @usableFromInline var inner: HashTable<Value>.Keys.Iterator

            @inlinable
            init(segments: [HashTable<Value>]) {
                self.segments = segments
                self.index = 0
                self.inner = HashTable<Value>.Keys.Iterator(storage: segments[0].storage)
            }

            @inlinable
            public mutating func next() -> [UInt8]? {
                while true {
                    if let key = inner.next() { return key }
                    guard index &+ 1 < segments.count else { return nil }
                    index &+= 1
                    inner = HashTable<Value>.Keys.Iterator(storage: segments[index].storage)
                }
            }
        }

        @inlinable
        public func makeIterator() -> Iterator { Iterator(segments: segments) }
    }

    /// The keys, in iteration order (without touching the values).
    @inlinable
    public var keys: Keys { Keys(segments: segments) }
}

extension SegmentedTable: Equatable where Value: Equatable {
    /// Same keys with equal values (layout and segment count are irrelevant).
    @inlinable
    public static func == (lhs: SegmentedTable, rhs: SegmentedTable) -> Bool {
        if lhs.total != rhs.total { return false }
        for (k, v) in lhs where rhs[k] != v { return false }
        return true
    }
}
