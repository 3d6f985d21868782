// HashTable+Sequence: iteration over a table's entries and keys, and equality.
//
// Iteration walks the arena in slot order (not insertion order, not sorted).
// An iterator holds its own reference to the storage, so it sees the table as
// it was when iteration began even if the table variable is mutated meanwhile
// (that mutation copies first).

extension HashTable: Sequence {
    /// One entry.
    public typealias Element = (key: [UInt8], value: Value)

    /// Iterates a snapshot of the table's entries.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let storage: HashTableStorage<Value>
        @usableFromInline var slot: Int

        @inlinable
        init(storage: HashTableStorage<Value>) {
            self.storage = storage
            self.slot = 0
        }

        @inlinable
        public mutating func next() -> (key: [UInt8], value: Value)? {
            let s = storage
            while slot < s.highWater {
                let i = slot
                slot += 1
                if s.isLive(i) { return (s.entries[i].key, s.entries[i].value) }
            }
            return nil
        }
    }

    @inlinable
    public func makeIterator() -> Iterator { Iterator(storage: storage) }

    @inlinable
    public var underestimatedCount: Int { storage.count }
}

extension HashTable {
    /// The keys of a table, in iteration order.
    public struct Keys: Sequence {
        @usableFromInline let storage: HashTableStorage<Value>

        @inlinable
        init(storage: HashTableStorage<Value>) { self.storage = storage }

        /// Iterates the keys of a snapshot of the table.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let storage: HashTableStorage<Value>
            @usableFromInline var slot: Int

            @inlinable
            init(storage: HashTableStorage<Value>) {
                self.storage = storage
                self.slot = 0
            }

            @inlinable
            public mutating func next() -> [UInt8]? {
                let s = storage
                while slot < s.highWater {
                    let i = slot
                    slot += 1
                    if s.isLive(i) { return s.entries[i].key }
                }
                return nil
            }
        }

        @inlinable
        public func makeIterator() -> Iterator { Iterator(storage: storage) }

        @inlinable
        public var underestimatedCount: Int { storage.count }
    }

    /// The keys, in iteration order (without touching the values).
    @inlinable
    public var keys: some Sequence<[UInt8]> { Keys(storage: storage) }
}

extension HashTable: Equatable where Value: Equatable {
    /// Same keys with equal values (iteration order is irrelevant).
    @inlinable
    public static func == (lhs: HashTable, rhs: HashTable) -> Bool {
        if lhs.storage === rhs.storage { return true }
        if lhs.count != rhs.count { return false }
        for (k, v) in lhs where rhs[k] != v { return false }
        return true
    }
}
