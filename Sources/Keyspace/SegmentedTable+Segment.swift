// SegmentedTable+Segment: the HashTable operations a SegmentedTable performs
// on one of its segments, with the key's hash fragment computed by the caller.
//
// A segment is an ordinary HashTable, except that its entries are stored and
// bucketed under the fragment `h >> shift` of the key's 64-bit hash h (see
// SegmentedTable), not under the low 32 bits HashTable's own methods would
// compute. So a segment must only ever be searched and written through these
// methods (or the hash-free ones: iteration, scan, random, count).
//
// Invariants: as HashTable's — every write makes the storage unique first, and
// a write that finds nothing to change (removing an absent key) never copies.

extension HashTable {
    /// The value stored under `key` whose fragment is `hash`, or nil.
    @inlinable @inline(__always)
    func segmentValue(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Value? {
        let s = storage
        let i = s.find(key, hash: hash)
        return i >= 0 ? s.entries[Int(i)].value : nil
    }

    /// True when `key` (fragment `hash`) is present.
    @inlinable @inline(__always)
    func segmentContains(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Bool {
        storage.find(key, hash: hash) >= 0
    }

    /// Stores `value` under `key` (fragment `hash`); returns the previous value,
    /// nil if the key is new. A new key stores `ownedKey` when given (no copy),
    /// else a copy of the bytes.
    @inlinable
    mutating func segmentUpdate(_ value: Value, key: UnsafeRawBufferPointer, ownedKey: [UInt8]?,
                                hash: UInt32) -> Value? {
        let slot = uniqueSlot(key, hash: hash)
        if slot >= 0 {
            var value = value
            swap(&storage.entries[slot].value, &value)
            return value
        }
        reserveOne()
        storage.insertNew(key: ownedKey ?? [UInt8](key), value: value, hash: hash)
        return nil
    }

    /// Adds an entry whose key is known to be absent (rebuilds and loading).
    @inlinable
    mutating func segmentInsertNew(key: [UInt8], value: Value, hash: UInt32) {
        reserveOne()
        storage.insertNew(key: key, value: value, hash: hash)
    }

    /// Removes `key` (fragment `hash`); returns its value, nil if absent.
    @inlinable
    mutating func segmentRemove(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Value? {
        let slot = uniqueSlot(key, hash: hash)
        guard slot >= 0 else { return nil }
        let old = storage.remove(slot: slot).value
        shrinkIfSparse()
        return old
    }

    /// Bytes of the one allocation behind this table (what a copy-on-write copy duplicates).
    @inlinable
    var storageBytes: Int {
        storage.capacity &* (MemoryLayout<HashTableEntry<Value>>.stride &+ 4) &+ ((storage.capacity &+ 63) >> 6) &* 8
    }
}
