// HashTableStorage: the one heap object behind a `HashTable` — a chained hash
// table whose entries live in an arena, all carved out of a single raw
// allocation.
//
// Layout for `capacity` C (a power of two, at least 4):
//
//     entries [C] (hash: UInt32, next: Int32, key: [UInt8], value: Value)
//     buckets [C] Int32 chain heads (-1 = empty)
//     live    [C / 64 rounded up] UInt64 bitmap of initialised entries
//
// An entry keeps its hash fragment, chain link, key reference and value
// together, so a lookup touches three cache lines: the bucket, the entry and
// the key's bytes. The bucket count equals the arena capacity, so "load
// factor 1" means "arena full": the table grows (doubling both) exactly when
// an insert finds count == capacity.
//
// Invariants:
// - Slots 0..<highWater have been used; slots >= highWater are uninitialised
//   and on no list. Slot i < highWater is live iff its bit in `live` is set;
//   a live entry is initialised and sits on exactly one chain, the one of
//   bucket `hash & (capacity - 1)`.
// - A free slot below highWater holds no Swift value: its first 4 bytes (raw
//   memory) hold the next free slot (-1 = end); the list starts at `freeHead`.
// - count + (length of free list) == highWater <= capacity.
// - `hash` is the low 32 bits of the key's hash (bucket index and a cheap
//   pre-check before comparing bytes).
// - Reads never mutate: no caches are filled on lookup, so a storage that is
//   not being mutated may be read from any number of threads at once. Only a
//   `HashTable` holding the sole reference (isKnownUniquelyReferenced) mutates
//   it; every other holder copies first.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One live entry of a HashTable.
@usableFromInline
struct HashTableEntry<Value> {
    /// Low 32 bits of the key's hash.
    @usableFromInline var hash: UInt32
    /// Next slot on the chain, -1 at the end.
    @usableFromInline var next: Int32
    @usableFromInline var key: [UInt8]
    @usableFromInline var value: Value

    @inlinable
    init(hash: UInt32, next: Int32, key: [UInt8], value: Value) {
        self.hash = hash
        self.next = next
        self.key = key
        self.value = value
    }
}

/// Byte equality of a stored key and a probe.
@inlinable @inline(__always)
func hashTableKeyEquals(_ stored: [UInt8], _ probe: UnsafeRawBufferPointer) -> Bool {
    let n = probe.count
    guard stored.count == n else { return false }
    if n == 0 { return true }
    return stored.withUnsafeBytes { s in
        guard let a = s.baseAddress, let b = probe.baseAddress else { return false }
        return memcmp(a, b, n) == 0
    }
}

/// The shared, copy-on-write storage of a `HashTable`.
@usableFromInline
final class HashTableStorage<Value> {
    @usableFromInline typealias Entry = HashTableEntry<Value>

    /// Hash seed, fixed for the life of the process (copied, never re-drawn).
    @usableFromInline let seed: UInt64
    /// Arena slots == bucket count; a power of two >= 4.
    @usableFromInline var capacity: Int
    /// Live entries.
    @usableFromInline var count: Int
    /// Slots ever used since the last compaction.
    @usableFromInline var highWater: Int
    /// First free slot below highWater, or -1.
    @usableFromInline var freeHead: Int32
    /// The single allocation holding all three arrays.
    @usableFromInline var raw: UnsafeMutableRawPointer
    @usableFromInline var entries: UnsafeMutablePointer<Entry>
    @usableFromInline var buckets: UnsafeMutablePointer<Int32>
    @usableFromInline var live: UnsafeMutablePointer<UInt64>

    /// Smallest table: 4 buckets.
    @inlinable static var minimumCapacity: Int { 4 }
    /// Largest table: Int32 slot indices.
    @inlinable static var maximumCapacity: Int { 1 << 30 }

    /// The power of two >= max(n, 4).
    @inlinable
    static func capacity(for n: Int) -> Int {
        var c = minimumCapacity
        while c < n && c < maximumCapacity { c <<= 1 }
        return c
    }

    @usableFromInline
    struct Layout {
        @usableFromInline var raw: UnsafeMutableRawPointer
        @usableFromInline var entries: UnsafeMutablePointer<Entry>
        @usableFromInline var buckets: UnsafeMutablePointer<Int32>
        @usableFromInline var live: UnsafeMutablePointer<UInt64>

        /// One raw allocation carved into the three arrays; buckets set to -1,
        /// the bitmap cleared, entries left uninitialised.
        @inlinable
        init(capacity c: Int) {
            let entriesBytes = c * MemoryLayout<Entry>.stride
            let bucketsOffset = (entriesBytes + 3) & ~3
            let liveOffset = (bucketsOffset + c * 4 + 7) & ~7
            let liveWords = (c + 63) >> 6
            let total = liveOffset + liveWords * 8
            let align = Swift.max(MemoryLayout<Entry>.alignment, 8)
            raw = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: align)
            entries = raw.bindMemory(to: Entry.self, capacity: c)
            buckets = (raw + bucketsOffset).bindMemory(to: Int32.self, capacity: c)
            buckets.initialize(repeating: -1, count: c)
            live = (raw + liveOffset).bindMemory(to: UInt64.self, capacity: liveWords)
            live.initialize(repeating: 0, count: liveWords)
        }
    }

    @inlinable
    init(capacity: Int, seed: UInt64) {
        let layout = Layout(capacity: capacity)
        self.seed = seed
        self.capacity = capacity
        self.count = 0
        self.highWater = 0
        self.freeHead = -1
        self.raw = layout.raw
        self.entries = layout.entries
        self.buckets = layout.buckets
        self.live = layout.live
    }

    deinit {
        deinitializeLiveEntries()
        raw.deallocate()
    }

    @inlinable
    func deinitializeLiveEntries() {
        for i in 0..<highWater where isLive(i) {
            (entries + i).deinitialize(count: 1)
        }
    }

    @inlinable @inline(__always)
    var mask: Int { capacity &- 1 }

    @inlinable @inline(__always)
    func isLive(_ slot: Int) -> Bool { live[slot &>> 6] & (1 &<< UInt64(slot & 63)) != 0 }

    /// The 32-bit hash of `bytes` that the table stores and buckets by.
    @inlinable @inline(__always)
    func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: hashKeyBytes(bytes, seed: seed))
    }

    /// The live slot holding `key` (hashing to `hash`), or -1.
    @inlinable @inline(__always)
    func find(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Int32 {
        var i = buckets[Int(hash) & mask]
        while i >= 0 {
            let e = entries + Int(i)
            if e.pointee.hash == hash && hashTableKeyEquals(e.pointee.key, key) { return i }
            i = e.pointee.next
        }
        return -1
    }

    /// Adds a new entry (requires count < capacity) at the head of its chain.
    @inlinable
    func insertNew(key: [UInt8], value: Value, hash: UInt32) {
        precondition(count < capacity, "HashTableStorage.insertNew: arena full")
        let slot: Int
        if freeHead >= 0 {
            slot = Int(freeHead)
            freeHead = UnsafeRawPointer(entries + slot).load(as: Int32.self)
        } else {
            slot = highWater
            highWater += 1
        }
        let b = Int(hash) & mask
        (entries + slot).initialize(to: Entry(hash: hash, next: buckets[b], key: key, value: value))
        buckets[b] = Int32(truncatingIfNeeded: slot)
        live[slot &>> 6] |= 1 &<< UInt64(slot & 63)
        count += 1
    }

    /// Unlinks `slot` (whose entry had `hash` and `next`) from its chain and
    /// puts it on the free list. The slot's memory must already be
    /// uninitialised (its entry moved out); only other entries are read.
    @inlinable
    func releaseMovedSlot(_ slot: Int, hash: UInt32, next: Int32) {
        let b = Int(hash) & mask
        let s32 = Int32(truncatingIfNeeded: slot)
        if buckets[b] == s32 {
            buckets[b] = next
        } else {
            var p = buckets[b]
            while p >= 0 {
                let e = entries + Int(p)
                if e.pointee.next == s32 {
                    e.pointee.next = next
                    break
                }
                p = e.pointee.next
            }
        }
        UnsafeMutableRawPointer(entries + slot).storeBytes(of: freeHead, as: Int32.self)
        freeHead = s32
        live[slot &>> 6] &= ~(1 &<< UInt64(slot & 63))
        count -= 1
    }

    /// Removes live `slot` and returns its entry.
    @inlinable
    func remove(slot: Int) -> Entry {
        let entry = (entries + slot).move()
        releaseMovedSlot(slot, hash: entry.hash, next: entry.next)
        return entry
    }

    /// Rebuild helper: links a copy of an entry into the next compact slot.
    @inlinable @inline(__always)
    func appendForRebuild(_ entry: Entry) -> Int {
        let slot = highWater
        highWater += 1
        count += 1
        let b = Int(entry.hash) & mask
        (entries + slot).initialize(to: entry)
        entries[slot].next = buckets[b]
        buckets[b] = Int32(truncatingIfNeeded: slot)
        live[slot &>> 6] |= 1 &<< UInt64(slot & 63)
        return slot
    }

    /// A new storage of `newCapacity` (>= count) holding copies of every live
    /// entry, compacted into slots 0..<count.
    @inlinable
    func copy(capacity newCapacity: Int) -> HashTableStorage<Value> {
        let other = HashTableStorage(capacity: newCapacity, seed: seed)
        for i in 0..<highWater where isLive(i) {
            _ = other.appendForRebuild(entries[i])
        }
        return other
    }

    /// Moves every live entry into a fresh allocation of `newCapacity`
    /// (compacting the arena) and rebuilds the chains. Requires count <= newCapacity.
    @inlinable
    func resize(capacity newCapacity: Int) {
        precondition(count <= newCapacity, "HashTableStorage.resize: too small")
        let layout = Layout(capacity: newCapacity)
        let newMask = newCapacity &- 1
        var j = 0
        for i in 0..<highWater where isLive(i) {
            let target = layout.entries + j
            target.moveInitialize(from: entries + i, count: 1)
            let b = Int(target.pointee.hash) & newMask
            target.pointee.next = layout.buckets[b]
            layout.buckets[b] = Int32(truncatingIfNeeded: j)
            layout.live[j &>> 6] |= 1 &<< UInt64(j & 63)
            j += 1
        }
        raw.deallocate()
        raw = layout.raw
        entries = layout.entries
        buckets = layout.buckets
        live = layout.live
        capacity = newCapacity
        highWater = j
        freeHead = -1
    }

    /// Drops every entry; keeps the allocation when `newCapacity` is unchanged.
    @inlinable
    func removeAll(newCapacity: Int) {
        deinitializeLiveEntries()
        count = 0
        highWater = 0
        freeHead = -1
        if newCapacity == capacity {
            buckets.update(repeating: -1, count: capacity)
            live.update(repeating: 0, count: (capacity + 63) >> 6)
        } else {
            let layout = Layout(capacity: newCapacity)
            raw.deallocate()
            raw = layout.raw
            entries = layout.entries
            buckets = layout.buckets
            live = layout.live
            capacity = newCapacity
        }
    }
}

// Safe to share across threads while nobody mutates it: reads touch no
// mutable state, and a `HashTable` mutates its storage only when it holds the
// only reference (see the file header).
extension HashTableStorage: @unchecked Sendable where Value: Sendable {}
