// HashTable: a Redis-dict-like map from byte strings to values, the table
// behind the keyspace (millions of keys), hashes and sets.
//
// Design (see HashTableStorage for the memory layout):
// - Separate chaining, power-of-two bucket counts, entries in an arena with
//   Int32 links and a 32-bit hash fragment: 20 bytes per slot (entry header,
//   key reference, bucket head) plus the value, with 1 to 2 slots per entry.
// - Grows (doubling) at load factor 1; shrinks when fewer than 1/8 of the
//   slots are live, to a table about half full; never below 4 buckets.
//   A resize rehashes everything at once (no incremental rehash).
// - Value semantics with copy-on-write: the struct is one reference. A copy is
//   O(1) (that is how BGSAVE snapshots the keyspace); the first mutation of a
//   shared table copies the whole storage.
// - Lookups never allocate; the `...KeyBytes` variants take the key as borrowed
//   bytes (for keys still sitting in a network buffer).
//
// Invariants: as HashTableStorage; in addition every mutating method makes
// the storage unique before writing to it, and a method that finds nothing to
// change (removing an absent key) never copies.

/// A hash table from byte-string keys to `Value`s with copy-on-write value semantics.
public struct HashTable<Value> {
    @usableFromInline var storage: HashTableStorage<Value>

    /// An empty table with room for `minimumCapacity` entries before it grows.
    @inlinable
    public init(minimumCapacity: Int = 0) {
        storage = HashTableStorage(capacity: HashTableStorage<Value>.capacity(for: minimumCapacity),
                                   seed: hashTableProcessSeed())
    }

    /// Number of entries.
    @inlinable public var count: Int { storage.count }

    /// True when the table has no entries.
    @inlinable public var isEmpty: Bool { storage.count == 0 }

    /// Number of buckets (== arena slots); grows and shrinks with `count`.
    @inlinable public var capacity: Int { storage.capacity }

    // MARK: Uniqueness

    /// Copies the storage if it is shared, so it may be written.
    @inlinable @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: storage.capacity)
        }
    }

    /// The slot of `key` in storage this table may write (copying the storage if
    /// shared and the key is present), or -1 when absent (never copies then).
    @inlinable
    mutating func uniqueSlot(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Int {
        var slot = storage.find(key, hash: hash)
        if slot >= 0 && !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: storage.capacity)
            slot = storage.find(key, hash: hash)   // copying compacts: slot numbers change
        }
        return Int(slot)
    }

    /// Makes room for one more entry: unique storage with count < capacity.
    @inlinable
    mutating func reserveOne() {
        if !isKnownUniquelyReferenced(&storage) {
            let c = storage.count == storage.capacity ? storage.capacity << 1 : storage.capacity
            storage = storage.copy(capacity: c)
        } else if storage.count == storage.capacity {
            precondition(storage.capacity < HashTableStorage<Value>.maximumCapacity, "HashTable: too many entries")
            storage.resize(capacity: storage.capacity << 1)
        }
    }

    /// Shrinks after a removal when under 1/8 full (to about half full).
    @inlinable @inline(__always)
    mutating func shrinkIfSparse() {
        let s = storage
        if s.capacity > HashTableStorage<Value>.minimumCapacity && s.count &* 8 < s.capacity {
            s.resize(capacity: HashTableStorage<Value>.capacity(for: s.count &* 2))
        }
    }

    // MARK: Lookup

    /// The value for the key given as borrowed bytes; never allocates.
    @inlinable
    public func value(forKeyBytes key: UnsafeRawBufferPointer) -> Value? {
        let s = storage
        let i = s.find(key, hash: s.hash(key))
        return i >= 0 ? s.entries[Int(i)].value : nil
    }

    /// True when the key given as borrowed bytes is present.
    @inlinable
    public func contains(keyBytes key: UnsafeRawBufferPointer) -> Bool {
        let s = storage
        return s.find(key, hash: s.hash(key)) >= 0
    }

    /// True when `key` is present.
    @inlinable
    public func contains(_ key: [UInt8]) -> Bool {
        key.withUnsafeBytes { contains(keyBytes: $0) }
    }

    /// The value for `key`; setting nil removes the entry. Mutating through the
    /// subscript (`table[k]?.append(x)`) moves the value out of the table for
    /// the duration, so a copy-on-write value is not copied.
    @inlinable
    public subscript(key: [UInt8]) -> Value? {
        get {
            key.withUnsafeBytes { value(forKeyBytes: $0) }
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
        _modify {
            let hash = key.withUnsafeBytes { storage.hash($0) }
            let slot = key.withUnsafeBytes { uniqueSlot($0, hash: hash) }
            if slot >= 0 {
                // Move the whole entry out so `current` holds the only reference
                // to the value; the slot stays on its chain, uninitialised, until
                // the access ends (nothing else can touch the table meanwhile).
                let s = storage
                let entry = (s.entries + slot).move()
                let entryKey = entry.key
                let entryHash = entry.hash
                let entryNext = entry.next
                var current: Value? = entry.value
                _ = consume entry
                defer {
                    if let current {
                        (s.entries + slot).initialize(
                            to: HashTableEntry(hash: entryHash, next: entryNext, key: entryKey, value: current))
                    } else {
                        s.releaseMovedSlot(slot, hash: entryHash, next: entryNext)
                        shrinkIfSparse()
                    }
                }
                yield &current
            } else {
                var current: Value? = nil
                defer {
                    if let current {
                        reserveOne()
                        storage.insertNew(key: key, value: current, hash: hash)
                    }
                }
                yield &current
            }
        }
    }

    // MARK: Mutation

    /// Sets the value for `key`; returns the previous value, or nil if the key was new.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: [UInt8]) -> Value? {
        let hash = key.withUnsafeBytes { storage.hash($0) }
        let slot = key.withUnsafeBytes { uniqueSlot($0, hash: hash) }
        if slot >= 0 {
            var value = value
            swap(&storage.entries[slot].value, &value)
            return value
        }
        reserveOne()
        storage.insertNew(key: key, value: value, hash: hash)
        return nil
    }

    /// Sets the value for the key given as borrowed bytes; the bytes are copied
    /// into a new key only when the key is not present yet.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKeyBytes key: UnsafeRawBufferPointer) -> Value? {
        let hash = storage.hash(key)
        let slot = uniqueSlot(key, hash: hash)
        if slot >= 0 {
            var value = value
            swap(&storage.entries[slot].value, &value)
            return value
        }
        reserveOne()
        storage.insertNew(key: [UInt8](key), value: value, hash: hash)
        return nil
    }

    /// Removes `key`; returns its value, or nil if it was absent.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: [UInt8]) -> Value? {
        key.withUnsafeBytes { removeValue(forKeyBytes: $0) }
    }

    /// Removes the key given as borrowed bytes; returns its value, or nil if absent.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKeyBytes key: UnsafeRawBufferPointer) -> Value? {
        let slot = uniqueSlot(key, hash: storage.hash(key))
        guard slot >= 0 else { return nil }
        let old = storage.remove(slot: slot).value
        shrinkIfSparse()
        return old
    }

    /// In-place mutation of an existing value without copying it (the value is
    /// yielded inout from storage); returns nil if `key` is absent.
    @inlinable
    public mutating func modifyValue<R, E: Error>(forKey key: [UInt8],
                                                  _ body: (inout Value) throws(E) -> R) throws(E) -> R? {
        let slot = key.withUnsafeBytes { uniqueSlot($0, hash: storage.hash($0)) }
        guard slot >= 0 else { return nil }
        return try body(&storage.entries[slot].value)
    }

    /// `modifyValue(forKey:_:)` for a key given as borrowed bytes.
    @inlinable
    public mutating func modifyValue<R, E: Error>(forKeyBytes key: UnsafeRawBufferPointer,
                                                  _ body: (inout Value) throws(E) -> R) throws(E) -> R? {
        let slot = uniqueSlot(key, hash: storage.hash(key))
        guard slot >= 0 else { return nil }
        return try body(&storage.entries[slot].value)
    }

    /// Removes every entry. With `keepingCapacity` the buckets are kept (if the
    /// storage is not shared); otherwise the table returns to 4 buckets.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = false) {
        let newCapacity = keepingCapacity ? storage.capacity : HashTableStorage<Value>.minimumCapacity
        if isKnownUniquelyReferenced(&storage) {
            storage.removeAll(newCapacity: newCapacity)
        } else {
            storage = HashTableStorage(capacity: newCapacity, seed: storage.seed)
        }
    }

    /// Ensures room for `minimumCapacity` entries without growing again.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        let c = HashTableStorage<Value>.capacity(for: minimumCapacity)
        if c <= storage.capacity { return }
        if isKnownUniquelyReferenced(&storage) {
            storage.resize(capacity: c)
        } else {
            storage = storage.copy(capacity: c)
        }
    }
}

// A HashTable is Sendable when its values are: sharing storage between threads
// is safe because storage is only read while shared (a mutation first copies
// it unless isKnownUniquelyReferenced proves no other holder exists), and
// reading it mutates nothing.
extension HashTable: @unchecked Sendable where Value: Sendable {}
