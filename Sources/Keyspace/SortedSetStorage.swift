// SortedSetStorage: the one heap object behind a `SortedSet` — a member→score
// hash table plus an order-statistic tree of (score, member) kept in an arena.
//
// Invariants:
// - `scores` and the tree hold exactly the same members; a member's node
//   carries the score `scores` maps it to.
// - Tree nodes live in `nodes` and link by Int32 index (-1 = none). A live node
//   has size >= 1 (its subtree's node count); a free node has size 0, an empty
//   member, and is on the free list through `left`, starting at `freeHead`.
//   nodes.count == live + freeCount.
// - The tree is ordered by score, then member bytes (memcmp, shorter first on a
//   common prefix), and weight-balanced (see SortedSetTree).
// - Copying the storage is O(1): `scores` and `nodes` are copy-on-write values
//   themselves and copy in one go on their first write. Reads never mutate,
//   so a storage that nobody writes may be read from several threads.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One tree node: an element and its subtree links.
@usableFromInline
struct SortedSetNode {
    @usableFromInline var member: [UInt8]
    @usableFromInline var score: Double
    @usableFromInline var left: Int32
    @usableFromInline var right: Int32
    /// Nodes in this subtree (0 = free slot).
    @usableFromInline var size: Int32

    @inlinable
    init(member: [UInt8], score: Double, left: Int32, right: Int32, size: Int32) {
        self.member = member
        self.score = score
        self.left = left
        self.right = right
        self.size = size
    }
}

/// memcmp order with the shorter string first on a common prefix: <0, 0, >0.
@usableFromInline
func sortedSetCompareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            let n = Swift.min(pa.count, pb.count)
            if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
                let c = memcmp(x, y, n)
                if c != 0 { return Int(c) }
            }
            return pa.count - pb.count
        }
    }
}

/// The shared, copy-on-write storage of a `SortedSet`.
@usableFromInline
final class SortedSetStorage {
    @usableFromInline var scores: HashTable<Double>
    @usableFromInline var nodes: ContiguousArray<SortedSetNode>
    @usableFromInline var root: Int32
    @usableFromInline var freeHead: Int32
    @usableFromInline var freeCount: Int

    @usableFromInline
    init() {
        scores = HashTable()
        nodes = []
        root = -1
        freeHead = -1
        freeCount = 0
    }

    @usableFromInline
    init(copying other: SortedSetStorage) {
        scores = other.scores
        nodes = other.nodes
        root = other.root
        freeHead = other.freeHead
        freeCount = other.freeCount
    }

    /// Runs `body` on the tree (read-only use: it must not write).
    @usableFromInline
    func read<R>(_ body: (SortedSetTree) -> R) -> R {
        nodes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return body(SortedSetTree(nil)) }
            return body(SortedSetTree(UnsafeMutablePointer(mutating: base)))
        }
    }

    /// Runs `body` on the tree for writing (copies `nodes` first if shared).
    @usableFromInline
    func write<R>(_ body: (SortedSetTree) -> R) -> R {
        nodes.withUnsafeMutableBufferPointer { buffer in
            body(SortedSetTree(buffer.baseAddress))
        }
    }

    /// A node slot holding (member, score) as a leaf, reusing a free slot if any.
    @usableFromInline
    func allocateNode(member: [UInt8], score: Double) -> Int32 {
        let node = SortedSetNode(member: member, score: score, left: -1, right: -1, size: 1)
        if freeHead >= 0 {
            let i = Int(freeHead)
            freeHead = nodes[i].left
            freeCount -= 1
            nodes[i] = node
            return Int32(truncatingIfNeeded: i)
        }
        precondition(nodes.count < Int(Int32.max), "SortedSet: too many members")
        nodes.append(node)
        return Int32(truncatingIfNeeded: nodes.count - 1)
    }

    /// Returns a node slot (already unlinked from the tree) to the free list.
    @usableFromInline
    func freeNode(_ i: Int32) {
        nodes[Int(i)] = SortedSetNode(member: [], score: 0, left: freeHead, right: -1, size: 0)
        freeHead = i
        freeCount += 1
    }

    /// Adds (member, score) to the tree; the member must not be in it.
    @usableFromInline
    func treeInsert(member: [UInt8], score: Double) {
        let i = allocateNode(member: member, score: score)
        root = write { $0.insert(root, i) }
    }

    /// Removes (member, score) from the tree if present.
    @usableFromInline
    func treeRemove(member: [UInt8], score: Double) {
        var removed: Int32 = -1
        root = write { $0.delete(root, score: score, member: member, removed: &removed) }
        if removed >= 0 { freeNode(removed) }
        compactIfSparse()
    }

    /// Rebuilds the arena when fewer than a quarter of its slots are live.
    @usableFromInline
    func compactIfSparse() {
        if nodes.count > 64 && freeCount &* 4 > nodes.count &* 3 {
            let elements = read { tree in tree.collect(root, from: 0, through: tree.size(root) - 1) }
            rebuild(from: elements)
        }
    }

    /// Replaces the tree with a perfectly balanced one over `elements`, which
    /// must be sorted and distinct. Leaves `scores` alone.
    @usableFromInline
    func rebuild(from elements: [(member: [UInt8], score: Double)]) {
        var fresh = ContiguousArray<SortedSetNode>()
        fresh.reserveCapacity(elements.count)
        for e in elements {
            fresh.append(SortedSetNode(member: e.member, score: e.score, left: -1, right: -1, size: 1))
        }
        nodes = fresh
        freeHead = -1
        freeCount = 0
        root = write { $0.buildBalanced(0, elements.count) }
    }
}
