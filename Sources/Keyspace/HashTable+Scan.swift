// HashTable+Scan: Redis's SCAN cursor over a table (dictScan).
//
// The cursor names a bucket. Buckets are visited in "reverse binary" order:
// the cursor is incremented on its bit-reversed form, i.e. from its high bits
// down. With a power-of-two table of mask m, bucket b of a table twice the
// size splits into b and b | (m + 1); of a table half the size folds b into
// b & (m >> 1). Incrementing the high bits first means that every bucket
// already visited at the old size maps onto buckets that come before the
// cursor at the new size too, so:
//
// 1. An entry present from the first call to the last is returned at least
//    once, however often the table grows or shrinks between calls.
// 2. An entry may be returned more than once (after a shrink), and entries
//    added or removed during the scan may or may not be returned.
// 3. The cursor is 0 again exactly when the whole table has been covered.
//
// Resizes never happen inside a call (scan does not mutate), so unlike Redis
// there is never a rehash in progress to walk.

extension HashTable {
    /// Redis SCAN semantics (reverse-binary cursor over buckets): every entry
    /// present for the whole scan is visited at least once even if the table
    /// grows or shrinks between calls. Visits whole buckets until at least
    /// `count` entries were emitted, 10 × `count` buckets were visited, or the
    /// cursor wraps to 0. Returns the next cursor, 0 when complete.
    @inlinable
    public func scan(cursor: UInt64, count: Int, _ body: ([UInt8], Value) -> Void) -> UInt64 {
        let s = storage
        if s.count == 0 { return 0 }
        let wanted = Swift.max(count, 1)
        let mask = UInt64(truncatingIfNeeded: s.mask)
        var v = cursor
        var emitted = 0
        var bucketBudget = wanted &* 10
        while true {
            var i = s.buckets[Int(truncatingIfNeeded: v & mask)]
            while i >= 0 {
                let e = s.entries + Int(i)
                body(e.pointee.key, e.pointee.value)
                emitted += 1
                i = e.pointee.next
            }
            // Increment the reversed cursor: set the bits above the mask, so the
            // +1 carries straight into the highest bit the mask covers.
            v |= ~mask
            v = hashTableReverseBits(v)
            v &+= 1
            v = hashTableReverseBits(v)
            if v == 0 || bucketBudget == 0 || emitted >= wanted { return v }
            bucketBudget -= 1
        }
    }
}

/// The 64 bits of `v` in reverse order.
@inlinable @inline(__always)
func hashTableReverseBits(_ v: UInt64) -> UInt64 {
    var x = v
    x = ((x >> 1) & 0x5555_5555_5555_5555) | ((x & 0x5555_5555_5555_5555) << 1)
    x = ((x >> 2) & 0x3333_3333_3333_3333) | ((x & 0x3333_3333_3333_3333) << 2)
    x = ((x >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((x & 0x0F0F_0F0F_0F0F_0F0F) << 4)
    return x.byteSwapped
}
