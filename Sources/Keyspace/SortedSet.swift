// SortedSet: a Redis sorted set (zset) — unique byte-string members with
// Double scores, ordered by score then member bytes.
//
// Two indexes over the same members (SortedSetStorage):
// - a HashTable member → score, for O(1) ZSCORE / membership and SCAN;
// - a weight-balanced order-statistic tree in an arena (SortedSetTree), for
//   O(log n) insert, remove, rank, select and range counts, and O(log n + m)
//   range extraction. No object per node: a copy duplicates two arrays.
//
// Invariants:
// - Scores are never NaN (callers reject NaN); -0.0 and 0.0 compare equal, and
//   re-adding a member with an equal score changes nothing.
// - Value semantics with copy-on-write: the struct is one reference; every
//   mutation first makes the storage unique.

/// A Redis sorted set: members ordered by (score, member bytes).
public struct SortedSet {
    @usableFromInline var storage: SortedSetStorage

    /// An empty sorted set.
    public init() {
        storage = SortedSetStorage()
    }

    /// Number of members.
    @inlinable public var count: Int { storage.scores.count }

    /// True when there are no members.
    @inlinable public var isEmpty: Bool { storage.scores.isEmpty }

    /// The score of `member`, or nil if it is not in the set.
    @inlinable
    public func score(of member: [UInt8]) -> Double? {
        storage.scores[member]
    }

    /// The score of the member given as borrowed bytes, or nil.
    @inlinable
    public func score(ofBytes member: UnsafeRawBufferPointer) -> Double? {
        storage.scores.value(forKeyBytes: member)
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = SortedSetStorage(copying: storage)
        }
    }

    // MARK: Updates

    /// Adds `member` with `score`, or moves it to `score`. Returns the previous
    /// score (nil if the member is new). An equal score changes nothing.
    @discardableResult
    public mutating func insert(_ member: [UInt8], score: Double) -> Double? {
        if let old = storage.scores[member] {
            if old == score { return old }
            makeUnique()
            storage.treeRemove(member: member, score: old)
            storage.scores.updateValue(score, forKey: member)
            storage.treeInsert(member: member, score: score)
            return old
        }
        makeUnique()
        storage.scores.updateValue(score, forKey: member)
        storage.treeInsert(member: member, score: score)
        return nil
    }

    /// Removes `member`; returns its score, or nil if it was absent.
    @discardableResult
    public mutating func remove(_ member: [UInt8]) -> Double? {
        guard let old = storage.scores[member] else { return nil }
        makeUnique()
        storage.scores.removeValue(forKey: member)
        storage.treeRemove(member: member, score: old)
        return old
    }

    /// Removes every member.
    public mutating func removeAll() {
        storage = SortedSetStorage()
    }

    // MARK: Ranks

    /// 0-based rank of `member` (from the highest score when `reverse`), or nil if absent.
    public func rank(of member: [UInt8], reverse: Bool = false) -> Int? {
        guard let score = storage.scores[member] else { return nil }
        let s = storage
        let r = s.read { $0.rank(s.root, score: score, member: member) }
        return reverse ? count - 1 - r : r
    }

    /// The element at 0-based rank `r` (counted from the highest when `reverse`), or nil.
    public func element(atRank r: Int, reverse: Bool = false) -> (member: [UInt8], score: Double)? {
        let n = count
        guard r >= 0 && r < n else { return nil }
        let s = storage
        return s.read { tree in
            let i = tree.select(s.root, reverse ? n - 1 - r : r)
            if i < 0 { return nil }
            let p = tree.node(i)
            return (p.pointee.member, p.pointee.score)
        }
    }

    /// The elements of ranks `ranks` (counted from the highest when `reverse`),
    /// in that order. Ranks outside 0..<count are ignored.
    public func elements(ranks: ClosedRange<Int>, reverse: Bool = false) -> [(member: [UInt8], score: Double)] {
        let n = count
        let lo = Swift.max(ranks.lowerBound, 0)
        let hi = Swift.min(ranks.upperBound, n - 1)
        if lo > hi { return [] }
        if reverse {
            return Array(forwardElements(from: n - 1 - hi, through: n - 1 - lo).reversed())
        }
        return forwardElements(from: lo, through: hi)
    }

    /// Ascending elements of forward ranks lo...hi (already clamped).
    @usableFromInline
    func forwardElements(from lo: Int, through hi: Int) -> [(member: [UInt8], score: Double)] {
        let s = storage
        return s.read { $0.collect(s.root, from: lo, through: hi) }
    }

    // MARK: Popping and range removal

    /// Removes and returns the `n` lowest-ranked elements, lowest first (ZPOPMIN).
    public mutating func popFirst(_ n: Int) -> [(member: [UInt8], score: Double)] {
        let k = Swift.min(Swift.max(n, 0), count)
        if k == 0 { return [] }
        let taken = forwardElements(from: 0, through: k - 1)
        removeForwardRanks(0, k - 1, taken)
        return taken
    }

    /// Removes and returns the `n` highest-ranked elements, highest first (ZPOPMAX).
    public mutating func popLast(_ n: Int) -> [(member: [UInt8], score: Double)] {
        let k = Swift.min(Swift.max(n, 0), count)
        if k == 0 { return [] }
        let c = count
        let taken = forwardElements(from: c - k, through: c - 1)
        removeForwardRanks(c - k, c - 1, taken)
        return taken.reversed()
    }

    /// Removes the elements of forward ranks `ranks` (clamped); returns how many.
    @discardableResult
    public mutating func removeRange(ranks: ClosedRange<Int>) -> Int {
        let lo = Swift.max(ranks.lowerBound, 0)
        let hi = Swift.min(ranks.upperBound, count - 1)
        if lo > hi { return 0 }
        let taken = forwardElements(from: lo, through: hi)
        removeForwardRanks(lo, hi, taken)
        return taken.count
    }

    /// Removes ranks lo...hi whose elements are `taken`. Few elements are
    /// deleted one by one (O(m log n)); many trigger a rebuild from the rest (O(n)).
    @usableFromInline
    mutating func removeForwardRanks(_ lo: Int, _ hi: Int, _ taken: [(member: [UInt8], score: Double)]) {
        makeUnique()
        let n = count
        for e in taken { storage.scores.removeValue(forKey: e.member) }
        if taken.count &* 4 >= n {
            let s = storage
            var rest = s.read { $0.collect(s.root, from: 0, through: lo - 1) }
            rest += s.read { $0.collect(s.root, from: hi + 1, through: n - 1) }
            s.rebuild(from: rest)
        } else {
            for e in taken { storage.treeRemove(member: e.member, score: e.score) }
        }
    }

    // MARK: Iteration, scanning, sampling

    /// SCAN over the members (order unrelated to scores), with HashTable.scan's guarantees.
    public func scan(cursor: UInt64, count: Int, _ body: ([UInt8], Double) -> Void) -> UInt64 {
        storage.scores.scan(cursor: cursor, count: count, body)
    }

    /// A random element (each equally likely); nil when empty.
    public func randomEntry<G: RandomNumberGenerator>(using g: inout G) -> (member: [UInt8], score: Double)? {
        guard let e = storage.scores.randomEntry(using: &g) else { return nil }
        return (e.key, e.value)
    }

    /// Up to `count` distinct random elements (ZRANDMEMBER with a positive count).
    public func sampleEntries<G: RandomNumberGenerator>(_ count: Int, using g: inout G) -> [(member: [UInt8], score: Double)] {
        storage.scores.sampleEntries(count, using: &g).map { ($0.key, $0.value) }
    }

    /// All elements in order (lowest score first).
    public var members: some Sequence<(member: [UInt8], score: Double)> { Members(storage: storage) }

    /// In-order traversal of a snapshot of the set.
    public struct Members: Sequence {
        let storage: SortedSetStorage

        public struct Iterator: IteratorProtocol {
            let storage: SortedSetStorage
            var stack: [Int32] = []

            init(storage: SortedSetStorage) {
                self.storage = storage
                pushLeftSpine(storage.root)
            }

            mutating func pushLeftSpine(_ start: Int32) {
                var t = start
                while t >= 0 {
                    stack.append(t)
                    t = storage.nodes[Int(t)].left
                }
            }

            public mutating func next() -> (member: [UInt8], score: Double)? {
                guard let t = stack.popLast() else { return nil }
                let node = storage.nodes[Int(t)]
                pushLeftSpine(node.right)
                return (node.member, node.score)
            }
        }

        public func makeIterator() -> Iterator { Iterator(storage: storage) }
        public var underestimatedCount: Int { storage.scores.count }
    }

    // MARK: Testing support

    /// Checks every internal invariant (tests): tree order, sizes and balance,
    /// agreement with the score table, the free list. Returns a description of
    /// the first violation, or nil.
    func invariantViolation() -> String? {
        let s = storage
        let treeSize = s.read { $0.check(s.root) }
        guard let treeSize else { return "tree order, size or balance violated" }
        if treeSize != count { return "tree has \(treeSize) nodes, table \(count)" }
        if s.nodes.count != treeSize + s.freeCount { return "arena \(s.nodes.count) != live \(treeSize) + free \(s.freeCount)" }
        var free = 0
        var f = s.freeHead
        while f >= 0 {
            if s.nodes[Int(f)].size != 0 { return "live node on the free list" }
            free += 1
            f = s.nodes[Int(f)].left
        }
        if free != s.freeCount { return "free list has \(free), expected \(s.freeCount)" }
        for e in members where s.scores[e.member] != e.score {
            return "member score mismatch"
        }
        return nil
    }

    /// Tree height (tests).
    var treeHeight: Int {
        let s = storage
        return s.read { $0.height(s.root) }
    }
}

// Shared storage is only read; every writer holds the only reference.
extension SortedSet: @unchecked Sendable {}
