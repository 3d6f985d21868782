// SegmentedTable+Random: random entries (RANDOMKEY) and samples (active
// expiry) over a segmented table, each entry equally likely.
//
// A random entry: draw a rank r in 0..<count, walk the segments' counts to the
// segment holding rank r (O(S), S <= 1024: about a microsecond), then a
// uniform entry of that segment (HashTable's random live slot). A segment is
// so chosen with probability size/count, which makes every entry equally
// likely. A sample of k distinct entries: k distinct ranks, one walk to
// count how many fall in each segment, then that many distinct entries from
// each — the per-segment counts then have exactly the distribution of a
// uniform sample without replacement.
//
// The generator is an input: callers pass a seeded one in tests.

extension SegmentedTable {
    /// A random entry (each equally likely); nil when the table is empty.
    @inlinable
    public func randomEntry<G: RandomNumberGenerator>(using g: inout G) -> (key: [UInt8], value: Value)? {
        if total == 0 { return nil }
        if shift == 0 { return segments[0].randomEntry(using: &g) }
        var rank = Int.random(in: 0..<total, using: &g)
        for i in segments.indices {
            let c = segments[i].count
            if rank < c { return segments[i].randomEntry(using: &g) }
            rank -= c
        }
        return nil   // unreachable while `total` is the sum of the counts
    }

    /// Up to `count` distinct random entries (all of them when `count` >= the
    /// table's count). Used for expiry sampling.
    @inlinable
    public func sampleEntries<G: RandomNumberGenerator>(_ count: Int,
                                                        using g: inout G) -> [(key: [UInt8], value: Value)] {
        if count <= 0 || total == 0 { return [] }
        if shift == 0 { return segments[0].sampleEntries(count, using: &g) }
        if count >= total { return Array(self) }
        // Distinct ranks, sorted.
        var ranks: [Int]
        if count &* 2 > total {
            var all = Array(0..<total)
            for j in 0..<count { all.swapAt(j, Int.random(in: j..<all.count, using: &g)) }
            ranks = Array(all.prefix(count))
        } else {
            var picked = Set<Int>(minimumCapacity: count)
            while picked.count < count { picked.insert(Int.random(in: 0..<total, using: &g)) }
            ranks = Array(picked)
        }
        ranks.sort()
        var result: [(key: [UInt8], value: Value)] = []
        result.reserveCapacity(count)
        var next = 0
        var base = 0
        for i in segments.indices where next < ranks.count {
            let end = base &+ segments[i].count
            var inSegment = 0
            while next < ranks.count && ranks[next] < end {
                inSegment += 1
                next += 1
            }
            if inSegment > 0 { result += segments[i].sampleEntries(inSegment, using: &g) }
            base = end
        }
        return result
    }
}
