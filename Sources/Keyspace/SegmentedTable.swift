// SegmentedTable: the keyspace's map (a database's keys and its expiry
// times) — a copy-on-write array of HashTable segments chosen by key hash.
//
// Why: BGSAVE snapshots the keyspace in O(1) by copying its value (our answer
// to fork()). With one big HashTable the first write after the snapshot would
// copy the whole table on the loop thread (~50 ms per million keys). Here a
// write copies the segment array (S references) and the one segment it
// touches (~n / S entries); later writes to that segment are free again, like
// Redis's copy-on-write of a forked child's pages. Each segment also grows and
// shrinks on its own, so no single resize ever rehashes more than n / S keys.
//
// Layout:
// - `segments.count` S is 1 (a small table) or 2^maxShift (1024 for the
//   keyspace). A key's 64-bit hash h picks segment `h & (S - 1)`; inside it
//   the entry is stored and bucketed under the 32-bit fragment `h >> log2(S)`
//   (so bucket bits never repeat segment bits). With S == 1 the fragment is
//   the low 32 bits, exactly what a plain HashTable stores.
// - Seen as one virtual table of S·C buckets, a key's virtual bucket is
//   `h & (S·C - 1)` = (bucket in segment << log2 S) | segment: low bits pick
//   the segment. That is what lets SCAN cursors survive splits and merges
//   (SegmentedTable+Scan.swift).
// - Split: when `count` passes 16·2^maxShift the single segment is rebuilt
//   into 2^maxShift segments (O(n) for a small n, once). Merge: below
//   2·2^maxShift entries they are rebuilt into one. The gap is hysteresis.
//   So the 16 mostly-empty databases cost one small HashTable each; a big
//   one pays ~100 bytes per segment plus each segment's own power-of-two
//   rounding (measured: +0.8 % of the server's memory per key at 1M keys).
//   The split itself (16K keys rehashed, 1024 tables allocated) took ~5 ms
//   of CPU, once per database that grows past it.
//
// Invariants:
// - `total` == the sum of the segments' counts.
// - Every entry of segment i has h & (S - 1) == i and fragment h >> shift,
//   where h = hashKeyBytes(key, seed: seed) and seed is every segment's seed.
// - Segments are only searched and written through SegmentedTable+Segment's
//   methods (they take the fragment), never HashTable's own hashing ones.
// - Like HashTable: value semantics, a copy is O(1), reads never mutate, so a
//   snapshot may be read from another thread while the original is written.

/// A hash table from byte-string keys to values, split into independently
/// copy-on-write segments once it is large.
public struct SegmentedTable<Value> {
    @usableFromInline var segments: [HashTable<Value>]
    /// log2(segments.count).
    @usableFromInline var shift: Int
    /// log2 of the segment count once split.
    @usableFromInline let maxShift: Int
    /// Number of entries (sum over segments).
    @usableFromInline var total: Int
    /// The hash seed shared by every segment.
    @usableFromInline let seed: UInt64
    /// Bytes of segment storage copied on write since the last reset.
    @usableFromInline var copied = 0

    /// Bytes of segment storage duplicated because a segment was shared when
    /// written (copy-on-write after a snapshot), since the last reset. Values'
    /// own storage (a big list copied on its first write) is not counted.
    public var copiedBytes: Int { copied }

    /// log2 of the segment count of a large keyspace table: 1024 segments.
    /// Measured at 1M keys (release, CPU time of the first write after a
    /// snapshot / table overhead per key): 1 segment 97 ms / 28 B, 256 segments
    /// 0.9 ms / 32 B, 1024 segments 0.2 ms / 34 B, 4096 segments 0.15 ms /
    /// 42 B and a 22 ms split. With 1024 that write grows as n / 1024 (~2 ms
    /// at 10M keys) for +0.8 % of a server's memory per key (scripts/bench --memory).
    public static var keyspaceMaxShift: Int { 10 }

    /// An empty table. `maxShift`: log2 of the number of segments it splits
    /// into when large (0 = never split; at most 16).
    @inlinable
    public init(maxShift: Int = SegmentedTable.keyspaceMaxShift) {
        let first = HashTable<Value>()
        segments = [first]
        shift = 0
        self.maxShift = Swift.max(0, Swift.min(16, maxShift))
        total = 0
        seed = first.storage.seed
    }

    /// Number of entries.
    @inlinable public var count: Int { total }

    /// True when the table has no entries.
    @inlinable public var isEmpty: Bool { total == 0 }

    /// Number of segments (1 until the table grows past the split threshold).
    @inlinable public var segmentCount: Int { segments.count }

    /// Entries above which a single segment splits.
    @inlinable var splitThreshold: Int { 16 &<< maxShift }
    /// Entries below which a split table merges back into one segment.
    @inlinable var mergeThreshold: Int { 2 &<< maxShift }

    // MARK: Hashing

    /// The segment of a key and its fragment within it.
    @inlinable @inline(__always)
    func locate(_ key: UnsafeRawBufferPointer) -> (segment: Int, hash: UInt32) {
        let h = hashKeyBytes(key, seed: seed)
        return (Int(truncatingIfNeeded: h) & (segments.count &- 1),
                UInt32(truncatingIfNeeded: h &>> UInt64(truncatingIfNeeded: shift)))
    }

    /// Runs a write on segment `i`, counting the bytes copied when it was shared.
    @inlinable @inline(__always)
    mutating func withSegment<R>(_ i: Int, _ body: (inout HashTable<Value>) -> R) -> R {
        let before = ObjectIdentifier(segments[i].storage)
        let result = body(&segments[i])
        if ObjectIdentifier(segments[i].storage) != before { copied &+= segments[i].storageBytes }
        return result
    }

    // MARK: Lookup

    /// The value for the key given as borrowed bytes; never allocates.
    @inlinable
    public func value(forKeyBytes key: UnsafeRawBufferPointer) -> Value? {
        let (i, h) = locate(key)
        return segments[i].segmentValue(key, hash: h)
    }

    /// True when the key given as borrowed bytes is present.
    @inlinable
    public func contains(keyBytes key: UnsafeRawBufferPointer) -> Bool {
        let (i, h) = locate(key)
        return segments[i].segmentContains(key, hash: h)
    }

    /// True when `key` is present.
    @inlinable
    public func contains(_ key: [UInt8]) -> Bool {
        key.withUnsafeBytes { contains(keyBytes: $0) }
    }

    /// The value for `key`; setting nil removes the entry.
    @inlinable
    public subscript(key: [UInt8]) -> Value? {
        get { key.withUnsafeBytes { value(forKeyBytes: $0) } }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    // MARK: Mutation

    /// Sets the value for `key`; returns the previous value, or nil if the key was new.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: [UInt8]) -> Value? {
        key.withUnsafeBytes { bytes in update(value, bytes, ownedKey: key) }
    }

    /// Sets the value for the key given as borrowed bytes; the bytes are copied
    /// into a new key only when the key is not present yet.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKeyBytes key: UnsafeRawBufferPointer) -> Value? {
        update(value, key, ownedKey: nil)
    }

    @inlinable
    mutating func update(_ value: Value, _ key: UnsafeRawBufferPointer, ownedKey: [UInt8]?) -> Value? {
        let (i, h) = locate(key)
        let old = withSegment(i) { $0.segmentUpdate(value, key: key, ownedKey: ownedKey, hash: h) }
        if old == nil {
            total &+= 1
            if shift == 0 && total > splitThreshold && maxShift > 0 { resegment(shift: maxShift) }
        }
        return old
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
        let (i, h) = locate(key)
        let old = withSegment(i) { $0.segmentRemove(key, hash: h) }
        if old != nil {
            total &-= 1
            if shift != 0 && total < mergeThreshold { resegment(shift: 0) }
        }
        return old
    }

    /// In-place mutation of an existing value without copying it; nil if `key` is absent.
    @inlinable
    public mutating func modifyValue<R, E: Error>(forKey key: [UInt8],
                                                  _ body: (inout Value) throws(E) -> R) throws(E) -> R? {
        let (i, slot) = key.withUnsafeBytes { uniqueSlot($0) }
        guard slot >= 0 else { return nil }
        return try body(&segments[i].storage.entries[slot].value)
    }

    /// `modifyValue(forKey:_:)` for a key given as borrowed bytes.
    @inlinable
    public mutating func modifyValue<R, E: Error>(forKeyBytes key: UnsafeRawBufferPointer,
                                                  _ body: (inout Value) throws(E) -> R) throws(E) -> R? {
        let (i, slot) = uniqueSlot(key)
        guard slot >= 0 else { return nil }
        return try body(&segments[i].storage.entries[slot].value)
    }

    /// The segment and slot of `key` in storage this table may write (copying
    /// the segment if it is shared and the key present); slot -1 when absent.
    @inlinable
    mutating func uniqueSlot(_ key: UnsafeRawBufferPointer) -> (segment: Int, slot: Int) {
        let (i, h) = locate(key)
        return (i, withSegment(i) { $0.uniqueSlot(key, hash: h) })
    }

    /// Removes every entry and returns to a single small segment.
    @inlinable
    public mutating func removeAll() {
        segments = [HashTable<Value>()]
        shift = 0
        total = 0
    }

    /// Makes room for `minimumCapacity` entries (splitting first when that many
    /// would split the table), so loading a known number of keys does not rehash.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if shift == 0 && minimumCapacity > splitThreshold && maxShift > 0 { resegment(shift: maxShift) }
        let perSegment = (minimumCapacity + segments.count - 1) >> shift
        for i in segments.indices where segments[i].capacity < perSegment {
            withSegment(i) { $0.reserveCapacity(perSegment) }
        }
    }

    /// Resets `copiedBytes`.
    @inlinable
    public mutating func resetCopiedBytes() { copied = 0 }

    // MARK: Split and merge

    /// Rebuilds the table into 2^newShift segments: every key is rehashed
    /// (entries keep only 32 bits of their hash). O(n); done when n is small.
    @usableFromInline
    mutating func resegment(shift newShift: Int) {
        let n = 1 &<< newShift
        let perSegment = total >> newShift
        var fresh: [HashTable<Value>] = []
        fresh.reserveCapacity(n)
        for _ in 0..<n { fresh.append(HashTable<Value>(minimumCapacity: perSegment)) }
        let mask = UInt64(n &- 1)
        for segment in segments {
            for (key, value) in segment {
                let h = key.withUnsafeBytes { hashKeyBytes($0, seed: seed) }
                fresh[Int(truncatingIfNeeded: h & mask)].segmentInsertNew(
                    key: key, value: value, hash: UInt32(truncatingIfNeeded: h &>> UInt64(newShift)))
            }
        }
        segments = fresh
        shift = newShift
    }
}

// Sendable when its values are: the parts are (see HashTable's conformance).
extension SegmentedTable: Sendable where Value: Sendable {}
