// SegmentedTable+Scan: Redis's SCAN cursor over a segmented table.
//
// Cursor layout: the low log2(S) bits name a segment, the bits above them are
// that segment's own HashTable cursor (a reverse-binary bucket cursor, see
// HashTable+Scan.swift):
//
//     cursor = (inner cursor << log2 S) | segment
//
// A call scans the named segment from its inner cursor; when the segment is
// done it moves to the next segment in reverse-binary order of the segment
// bits (0, S/2, S/4, 3S/4, …) with inner cursor 0, until `count` entries were
// emitted or segments walked whole add up to 10 × count buckets (a sparse
// table's empty segments cost a bounded walk per call, as Redis's empty buckets). Cursor 0 after segment 0 was
// started can only mean "wrapped": the scan is complete.
//
// Why this keeps Redis's guarantees: a key's virtual bucket in the whole table
// is (bucket in segment << log2 S) | segment (SegmentedTable.swift), and the
// order above is exactly the reverse-binary order over virtual buckets. So:
//
// 1. Within a fixed segment count every segment is scanned fully by a cursor
//    that survives that segment's own grows and shrinks (dictScan's argument),
//    and segments are visited in a fixed order: an entry present for the whole
//    scan is returned at least once.
// 2. Splitting 1 -> S segments (or merging back) between calls is a resize of
//    the virtual table: the old cursor, reinterpreted with the new layout, is
//    the same reverse-binary position, and dictScan's grow/shrink argument
//    applies (a shrink may return entries twice, never skips one).
// 3. Entries may be returned more than once; entries added or removed during
//    the scan may or may not be returned; the cursor is 0 again exactly when
//    every segment has been covered.

extension SegmentedTable {
    /// Redis SCAN semantics over all segments (see the file header). Returns the
    /// next cursor, 0 when complete; emits at least `count` entries per call
    /// unless the scan completes or a bucket budget of 10 × `count` runs out.
    @inlinable
    public func scan(cursor: UInt64, count: Int, _ body: ([UInt8], Value) -> Void) -> UInt64 {
        if total == 0 { return 0 }
        let wanted = Swift.max(count, 1)
        let bits = UInt64(truncatingIfNeeded: shift)
        let segmentMask = UInt64(truncatingIfNeeded: segments.count &- 1)
        var segment = cursor & segmentMask
        var inner = cursor &>> bits
        var emitted = 0
        var bucketBudget = wanted &* 10
        while true {
            let table = segments[Int(truncatingIfNeeded: segment)]
            let next = table.scan(cursor: inner, count: wanted &- emitted) { key, value in
                emitted += 1
                body(key, value)
            }
            if next != 0 { return (next &<< bits) | segment }
            // A segment walked from its start cost its whole bucket count (the
            // first, resumed one is bounded by its own scan's budget).
            if inner == 0 { bucketBudget -= table.capacity }
            segment = Self.nextSegment(after: segment, mask: segmentMask)
            if segment == 0 { return 0 }
            inner = 0
            if emitted >= wanted || bucketBudget <= 0 { return segment }
        }
    }

    /// The segment after `segment` in reverse-binary order over `mask`'s bits; 0 after the last.
    @inlinable
    static func nextSegment(after segment: UInt64, mask: UInt64) -> UInt64 {
        var v = segment | ~mask
        v = hashTableReverseBits(v)
        v &+= 1
        return hashTableReverseBits(v) & mask
    }
}
