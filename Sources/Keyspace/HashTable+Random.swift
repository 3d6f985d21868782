// HashTable+Random: random entries (RANDOMKEY, SRANDMEMBER, HRANDFIELD,
// eviction/expiry sampling).
//
// Unlike Redis's dictGetRandomKey (random non-empty bucket, then a random
// element of its chain, which favours entries on short chains), we draw a
// random arena slot until it is live: every entry is equally likely. The arena
// is at least 1/8 live after any removal (the shrink rule), so few draws are
// needed; after 64 misses (possible only after removeAll(keepingCapacity:))
// we fall back to the next live slot after a random point.
//
// The generator is an input: callers pass a seeded one in tests.

extension HashTable {
    /// A live slot chosen uniformly at random; requires count > 0.
    @inlinable
    func randomSlot<G: RandomNumberGenerator>(using g: inout G) -> Int {
        let s = storage
        let limit = s.highWater
        for _ in 0..<64 {
            let i = Int.random(in: 0..<limit, using: &g)
            if s.isLive(i) { return i }
        }
        let start = Int.random(in: 0..<limit, using: &g)
        var i = start
        while !s.isLive(i) {
            i += 1
            if i == limit { i = 0 }
        }
        return i
    }

    /// A random entry (each equally likely); nil when the table is empty.
    @inlinable
    public func randomEntry<G: RandomNumberGenerator>(using g: inout G) -> (key: [UInt8], value: Value)? {
        if storage.count == 0 { return nil }
        let i = randomSlot(using: &g)
        return (storage.entries[i].key, storage.entries[i].value)
    }

    /// Up to `count` distinct random entries (all of them, in table order, when
    /// `count` >= the table's count). Used for expiry and eviction sampling.
    @inlinable
    public func sampleEntries<G: RandomNumberGenerator>(_ count: Int,
                                                        using g: inout G) -> [(key: [UInt8], value: Value)] {
        let s = storage
        if count <= 0 || s.count == 0 { return [] }
        if count >= s.count { return Array(self) }
        var result: [(key: [UInt8], value: Value)] = []
        result.reserveCapacity(count)
        if count &* 2 > s.count {
            // Many of them: a partial Fisher-Yates shuffle of the live slots.
            var live: [Int] = []
            live.reserveCapacity(s.count)
            for i in 0..<s.highWater where s.isLive(i) { live.append(i) }
            for j in 0..<count {
                live.swapAt(j, Int.random(in: j..<live.count, using: &g))
                result.append((s.entries[live[j]].key, s.entries[live[j]].value))
            }
        } else if count <= 32 {
            var picked: [Int] = []
            picked.reserveCapacity(count)
            while picked.count < count {
                let i = randomSlot(using: &g)
                if !picked.contains(i) {
                    picked.append(i)
                    result.append((s.entries[i].key, s.entries[i].value))
                }
            }
        } else {
            var picked = Set<Int>(minimumCapacity: count)
            while picked.count < count {
                let i = randomSlot(using: &g)
                if picked.insert(i).inserted { result.append((s.entries[i].key, s.entries[i].value)) }
            }
        }
        return result
    }
}
