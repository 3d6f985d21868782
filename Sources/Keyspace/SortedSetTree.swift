// SortedSetTree: a weight-balanced order-statistic binary tree over an arena
// of SortedSetNode (the ordered half of a sorted set).
//
// Every node records its subtree size, which gives rank, select and range
// counts in O(log n), and is also what keeps the tree balanced (Adams'
// bounded-balance trees, with the parameters delta = 3, ratio = 2 proven
// correct by Straka and used by Haskell's Data.Map):
//
// 1. Balance: for every node with size(left) + size(right) > 1,
//    size(left) <= 3 * size(right) and size(right) <= 3 * size(left).
//    Height is therefore at most about 2.4 * log2(n).
// 2. After one insertion or deletion below a node, one call of `balance`
//    restores (1) at that node: if the right side is too heavy, rotate left —
//    a single rotation when the right child's inner subtree is smaller than
//    2 × its outer subtree, else a double rotation — and symmetrically.
// 3. Deleting a node with two children replaces it by the maximum of its left
//    or the minimum of its right subtree, taking from the bigger side.
//
// Order: by score (-0.0 == 0.0), then member bytes via memcmp, shorter first on
// a common prefix — the order of Redis's zset skiplist.
//
// Invariants: functions take and return subtree roots (-1 = empty); sizes are
// exact after every call; the tree is a value over `n`, which it never
// reallocates (node allocation happens in SortedSetStorage beforehand).

@usableFromInline
struct SortedSetTree {
    @usableFromInline let n: UnsafeMutablePointer<SortedSetNode>?

    @usableFromInline
    init(_ n: UnsafeMutablePointer<SortedSetNode>?) { self.n = n }

    /// The node at `i` (i >= 0; the arena is non-empty whenever a node exists).
    @inline(__always)
    func node(_ i: Int32) -> UnsafeMutablePointer<SortedSetNode> {
        guard let n else { preconditionFailure("SortedSetTree: node access in an empty arena") }
        return n + Int(i)
    }

    @inline(__always)
    func size(_ i: Int32) -> Int { i < 0 ? 0 : Int(node(i).pointee.size) }

    @inline(__always)
    func fixSize(_ i: Int32) {
        let p = node(i)
        p.pointee.size = Int32(truncatingIfNeeded: size(p.pointee.left) + size(p.pointee.right) + 1)
    }

    // MARK: Order

    /// Compares (score, member) with node `i`: <0, 0, >0.
    @inline(__always)
    func compare(_ score: Double, _ member: [UInt8], with i: Int32) -> Int {
        let p = node(i)
        if score < p.pointee.score { return -1 }
        if score > p.pointee.score { return 1 }
        return sortedSetCompareBytes(member, p.pointee.member)
    }

    // MARK: Rebalancing

    func singleLeft(_ t: Int32) -> Int32 {
        let r = node(t).pointee.right
        node(t).pointee.right = node(r).pointee.left
        fixSize(t)
        node(r).pointee.left = t
        fixSize(r)
        return r
    }

    func singleRight(_ t: Int32) -> Int32 {
        let l = node(t).pointee.left
        node(t).pointee.left = node(l).pointee.right
        fixSize(t)
        node(l).pointee.right = t
        fixSize(l)
        return l
    }

    /// Restores the balance condition at `t` (children balanced, at most one
    /// element off) and fixes its size; returns the new subtree root.
    func balance(_ t: Int32) -> Int32 {
        let l = node(t).pointee.left
        let r = node(t).pointee.right
        let sl = size(l)
        let sr = size(r)
        if sl + sr <= 1 {
            fixSize(t)
            return t
        }
        if sr > 3 * sl {
            let rl = node(r).pointee.left
            let rr = node(r).pointee.right
            if size(rl) < 2 * size(rr) { return singleLeft(t) }
            node(t).pointee.right = singleRight(r)
            return singleLeft(t)
        }
        if sl > 3 * sr {
            let ll = node(l).pointee.left
            let lr = node(l).pointee.right
            if size(lr) < 2 * size(ll) { return singleRight(t) }
            node(t).pointee.left = singleLeft(l)
            return singleRight(t)
        }
        fixSize(t)
        return t
    }

    // MARK: Insert and delete

    /// Inserts the detached leaf `x` into the subtree `t`; returns the new root.
    func insert(_ t: Int32, _ x: Int32) -> Int32 {
        if t < 0 {
            let p = node(x)
            p.pointee.left = -1
            p.pointee.right = -1
            p.pointee.size = 1
            return x
        }
        let px = node(x)
        if compare(px.pointee.score, px.pointee.member, with: t) < 0 {
            node(t).pointee.left = insert(node(t).pointee.left, x)
        } else {
            node(t).pointee.right = insert(node(t).pointee.right, x)
        }
        return balance(t)
    }

    /// Removes the node equal to (score, member) from subtree `t`, storing its
    /// index in `removed` (left unchanged if absent); returns the new root.
    func delete(_ t: Int32, score: Double, member: [UInt8], removed: inout Int32) -> Int32 {
        if t < 0 { return -1 }
        let c = compare(score, member, with: t)
        if c < 0 {
            node(t).pointee.left = delete(node(t).pointee.left, score: score, member: member, removed: &removed)
            return balance(t)
        }
        if c > 0 {
            node(t).pointee.right = delete(node(t).pointee.right, score: score, member: member, removed: &removed)
            return balance(t)
        }
        removed = t
        return glue(node(t).pointee.left, node(t).pointee.right)
    }

    /// Joins two balanced subtrees whose sizes are balanced with each other,
    /// all of `l` ordered before all of `r`.
    func glue(_ l: Int32, _ r: Int32) -> Int32 {
        if l < 0 { return r }
        if r < 0 { return l }
        var m: Int32 = -1
        if size(l) > size(r) {
            let rest = deleteMax(l, &m)
            node(m).pointee.left = rest
            node(m).pointee.right = r
        } else {
            let rest = deleteMin(r, &m)
            node(m).pointee.left = l
            node(m).pointee.right = rest
        }
        return balance(m)
    }

    func deleteMin(_ t: Int32, _ m: inout Int32) -> Int32 {
        let l = node(t).pointee.left
        if l < 0 {
            m = t
            return node(t).pointee.right
        }
        node(t).pointee.left = deleteMin(l, &m)
        return balance(t)
    }

    func deleteMax(_ t: Int32, _ m: inout Int32) -> Int32 {
        let r = node(t).pointee.right
        if r < 0 {
            m = t
            return node(t).pointee.left
        }
        node(t).pointee.right = deleteMax(r, &m)
        return balance(t)
    }

    /// Links nodes lo..<hi (already in order in the arena) into a perfectly
    /// balanced subtree; returns its root.
    func buildBalanced(_ lo: Int, _ hi: Int) -> Int32 {
        if lo >= hi { return -1 }
        let mid = (lo + hi) / 2
        let t = Int32(truncatingIfNeeded: mid)
        let l = buildBalanced(lo, mid)
        let r = buildBalanced(mid + 1, hi)
        let p = node(t)
        p.pointee.left = l
        p.pointee.right = r
        p.pointee.size = Int32(truncatingIfNeeded: hi - lo)
        return t
    }

    // MARK: Order statistics

    /// Number of elements ordered before (score, member).
    func rank(_ root: Int32, score: Double, member: [UInt8]) -> Int {
        var t = root
        var acc = 0
        while t >= 0 {
            let p = node(t)
            if compare(score, member, with: t) > 0 {
                acc += size(p.pointee.left) + 1
                t = p.pointee.right
            } else {
                t = p.pointee.left
            }
        }
        return acc
    }

    /// Number of elements with score < bound (or <= bound when `inclusive`).
    func countScores(_ root: Int32, below bound: Double, inclusive: Bool) -> Int {
        var t = root
        var acc = 0
        while t >= 0 {
            let p = node(t)
            let s = p.pointee.score
            if inclusive ? s <= bound : s < bound {
                acc += size(p.pointee.left) + 1
                t = p.pointee.right
            } else {
                t = p.pointee.left
            }
        }
        return acc
    }

    /// Number of elements with member < bound (or <= bound when `inclusive`),
    /// comparing members only (meaningful when all scores are equal).
    func countMembers(_ root: Int32, below bound: [UInt8], inclusive: Bool) -> Int {
        var t = root
        var acc = 0
        while t >= 0 {
            let p = node(t)
            let c = sortedSetCompareBytes(p.pointee.member, bound)
            if inclusive ? c <= 0 : c < 0 {
                acc += size(p.pointee.left) + 1
                t = p.pointee.right
            } else {
                t = p.pointee.left
            }
        }
        return acc
    }

    /// The node at 0-based rank `r` (0 <= r < size(root)).
    func select(_ root: Int32, _ r: Int) -> Int32 {
        var t = root
        var r = r
        while t >= 0 {
            let p = node(t)
            let sl = size(p.pointee.left)
            if r < sl {
                t = p.pointee.left
            } else if r == sl {
                return t
            } else {
                r -= sl + 1
                t = p.pointee.right
            }
        }
        return -1
    }

    /// The elements of ranks lo...hi, ascending. O(log n + m).
    func collect(_ root: Int32, from lo: Int, through hi: Int) -> [(member: [UInt8], score: Double)] {
        var out: [(member: [UInt8], score: Double)] = []
        if lo > hi { return out }
        out.reserveCapacity(hi - lo + 1)
        collect(root, lo, hi, base: 0, into: &out)
        return out
    }

    func collect(_ t: Int32, _ lo: Int, _ hi: Int, base: Int,
                 into out: inout [(member: [UInt8], score: Double)]) {
        if t < 0 { return }
        let p = node(t)
        let own = base + size(p.pointee.left)
        if lo < own { collect(p.pointee.left, lo, hi, base: base, into: &out) }
        if lo <= own && own <= hi { out.append((p.pointee.member, p.pointee.score)) }
        if hi > own { collect(p.pointee.right, lo, hi, base: own + 1, into: &out) }
    }

    // MARK: Checking (tests)

    /// Verifies sizes, order and balance below `t`; returns the subtree size, or
    /// nil at the first violation.
    func check(_ t: Int32) -> Int? {
        if t < 0 { return 0 }
        let p = node(t)
        guard let sl = check(p.pointee.left), let sr = check(p.pointee.right) else { return nil }
        if Int(p.pointee.size) != sl + sr + 1 { return nil }
        if sl + sr > 1 && (sl > 3 * sr || sr > 3 * sl) { return nil }
        if p.pointee.left >= 0 && compare(p.pointee.score, p.pointee.member, with: p.pointee.left) <= 0 { return nil }
        if p.pointee.right >= 0 && compare(p.pointee.score, p.pointee.member, with: p.pointee.right) >= 0 { return nil }
        return sl + sr + 1
    }

    /// Height of the subtree `t` (tests).
    func height(_ t: Int32) -> Int {
        t < 0 ? 0 : 1 + Swift.max(height(node(t).pointee.left), height(node(t).pointee.right))
    }
}
