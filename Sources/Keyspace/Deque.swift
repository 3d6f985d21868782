// Deque: a double-ended queue (Redis lists) as a copy-on-write ring buffer.
//
// O(1) amortised append/prepend/popFirst/popLast and O(1) indexing; insert and
// remove in the middle move the shorter side, O(min(i, count - i)).
// Storage doubles when full and halves-or-more when under 1/4 full (above 16
// slots), so memory stays proportional to the element count.
//
// Invariants:
// - Indices are always 0..<count (logical positions from the front).
// - The struct is one reference to a DequeStorage; every mutation first makes
//   it unique (isKnownUniquelyReferenced), so copies are O(1) and a shared
//   storage is only ever read.
// - Index preconditions are internal invariants: callers (commands) validate
//   user-supplied indices before calling.

/// A double-ended queue with O(1) operations at both ends and random access.
public struct Deque<Element> {
    @usableFromInline var storage: DequeStorage<Element>

    /// An empty deque (no element storage allocated yet).
    @inlinable
    public init() {
        storage = DequeStorage.make(capacity: 0)
    }

    /// An empty deque with room for `minimumCapacity` elements.
    @inlinable
    public init(minimumCapacity: Int) {
        storage = DequeStorage.make(capacity: Swift.max(minimumCapacity, 0))
    }

    /// Number of elements.
    @inlinable public var count: Int { storage.header.count }

    /// True when empty.
    @inlinable public var isEmpty: Bool { storage.header.count == 0 }

    /// Slots allocated.
    @inlinable public var capacity: Int { storage.header.capacity }

    // MARK: Internals

    /// Physical slot of logical index `i` (0 <= i <= capacity).
    @inlinable @inline(__always)
    static func slot(_ i: Int, _ h: DequeHeader) -> Int {
        let j = h.head &+ i
        return j >= h.capacity ? j &- h.capacity : j
    }

    /// Makes the storage unique (copying if shared) without changing capacity.
    @inlinable @inline(__always)
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: storage.header.capacity)
        }
    }

    /// Makes the storage unique with room for `extra` more elements.
    @inlinable @inline(__always)
    mutating func reserveExtra(_ extra: Int) {
        let h = storage.header
        let needed = h.count + extra
        let unique = isKnownUniquelyReferenced(&storage)
        if unique && needed <= h.capacity { return }
        let newCapacity = needed <= h.capacity ? h.capacity : Swift.max(needed, h.capacity &* 2, 4)
        storage = unique ? storage.moveOut(capacity: newCapacity) : storage.copy(capacity: newCapacity)
    }

    /// After a removal: reallocate when less than a quarter full (beyond 16 slots).
    @inlinable @inline(__always)
    mutating func shrinkIfSparse() {
        let h = storage.header
        if h.capacity > 16 && h.count &* 4 < h.capacity {
            storage = storage.moveOut(capacity: Swift.max(h.count &* 2, 8))
        }
    }

    @inlinable @inline(__always)
    func checkIndex(_ i: Int) {
        precondition(i >= 0 && i < storage.header.count, "Deque index out of range")
    }

    // MARK: Ends

    /// Adds `element` at the back. O(1) amortised.
    @inlinable
    public mutating func append(_ element: Element) {
        reserveExtra(1)
        storage.withUnsafeMutablePointers { h, e in
            (e + Deque.slot(h.pointee.count, h.pointee)).initialize(to: element)
            h.pointee.count += 1
        }
    }

    /// Adds `element` at the front. O(1) amortised.
    @inlinable
    public mutating func prepend(_ element: Element) {
        reserveExtra(1)
        storage.withUnsafeMutablePointers { h, e in
            let head = h.pointee.head == 0 ? h.pointee.capacity - 1 : h.pointee.head - 1
            (e + head).initialize(to: element)
            h.pointee.head = head
            h.pointee.count += 1
        }
    }

    /// Removes and returns the first element, or nil when empty.
    @inlinable
    public mutating func popFirst() -> Element? {
        if storage.header.count == 0 { return nil }
        makeUnique()
        let element = storage.withUnsafeMutablePointers { h, e in
            let head = h.pointee.head
            let element = (e + head).move()
            h.pointee.head = head + 1 == h.pointee.capacity ? 0 : head + 1
            h.pointee.count -= 1
            return element
        }
        shrinkIfSparse()
        return element
    }

    /// Removes and returns the last element, or nil when empty.
    @inlinable
    public mutating func popLast() -> Element? {
        if storage.header.count == 0 { return nil }
        makeUnique()
        let element = storage.withUnsafeMutablePointers { h, e in
            let element = (e + Deque.slot(h.pointee.count - 1, h.pointee)).move()
            h.pointee.count -= 1
            return element
        }
        shrinkIfSparse()
        return element
    }

    /// Removes and returns the first element; the deque must not be empty.
    @inlinable
    @discardableResult
    public mutating func removeFirst() -> Element {
        guard let element = popFirst() else { preconditionFailure("Deque.removeFirst on an empty deque") }
        return element
    }

    /// Removes and returns the last element; the deque must not be empty.
    @inlinable
    @discardableResult
    public mutating func removeLast() -> Element {
        guard let element = popLast() else { preconditionFailure("Deque.removeLast on an empty deque") }
        return element
    }

    /// Removes the first `n` elements (0 <= n <= count). O(n).
    @inlinable
    public mutating func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count, "Deque.removeFirst: count out of range")
        if n == 0 { return }
        makeUnique()
        storage.withUnsafeMutablePointers { h, e in
            let cap = h.pointee.capacity
            let head = h.pointee.head
            let first = Swift.min(n, cap - head)
            (e + head).deinitialize(count: first)
            e.deinitialize(count: n - first)
            let newHead = head + n
            h.pointee.head = newHead >= cap ? newHead - cap : newHead
            h.pointee.count -= n
        }
        shrinkIfSparse()
    }

    /// Removes the last `n` elements (0 <= n <= count). O(n).
    @inlinable
    public mutating func removeLast(_ n: Int) {
        precondition(n >= 0 && n <= count, "Deque.removeLast: count out of range")
        if n == 0 { return }
        makeUnique()
        storage.withUnsafeMutablePointers { h, e in
            let start = Deque.slot(h.pointee.count - n, h.pointee)
            let first = Swift.min(n, h.pointee.capacity - start)
            (e + start).deinitialize(count: first)
            e.deinitialize(count: n - first)
            h.pointee.count -= n
        }
        shrinkIfSparse()
    }

    // MARK: Middle

    /// Inserts `element` at logical position `i` (0...count), moving the shorter side.
    @inlinable
    public mutating func insert(_ element: Element, at i: Int) {
        precondition(i >= 0 && i <= count, "Deque.insert: index out of range")
        reserveExtra(1)
        storage.withUnsafeMutablePointers { h, e in
            let n = h.pointee.count
            if i < n / 2 {
                // Shift 0..<i one slot towards the front.
                let old = h.pointee
                h.pointee.head = old.head == 0 ? old.capacity - 1 : old.head - 1
                let new = h.pointee
                for j in 0..<i {
                    (e + Deque.slot(j, new)).moveInitialize(from: e + Deque.slot(j, old), count: 1)
                }
                (e + Deque.slot(i, new)).initialize(to: element)
            } else {
                // Shift i..<n one slot towards the back.
                let hd = h.pointee
                var j = n - 1
                while j >= i {
                    (e + Deque.slot(j + 1, hd)).moveInitialize(from: e + Deque.slot(j, hd), count: 1)
                    j -= 1
                }
                (e + Deque.slot(i, hd)).initialize(to: element)
            }
            h.pointee.count = n + 1
        }
    }

    /// Removes and returns the element at `i` (0..<count), moving the shorter side.
    @inlinable
    @discardableResult
    public mutating func remove(at i: Int) -> Element {
        checkIndex(i)
        makeUnique()
        let element = storage.withUnsafeMutablePointers { h, e in
            let hd = h.pointee
            let n = hd.count
            let element = (e + Deque.slot(i, hd)).move()
            if i < n / 2 {
                // Shift 0..<i one slot towards the back, then advance head.
                var j = i - 1
                while j >= 0 {
                    (e + Deque.slot(j + 1, hd)).moveInitialize(from: e + Deque.slot(j, hd), count: 1)
                    j -= 1
                }
                h.pointee.head = hd.head + 1 == hd.capacity ? 0 : hd.head + 1
            } else {
                // Shift i+1..<n one slot towards the front.
                for j in (i + 1)..<Swift.max(n, i + 1) {
                    (e + Deque.slot(j - 1, hd)).moveInitialize(from: e + Deque.slot(j, hd), count: 1)
                }
            }
            h.pointee.count = n - 1
            return element
        }
        shrinkIfSparse()
        return element
    }

    /// Removes every element; `keepingCapacity` keeps the slots (when not shared).
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = false) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            storage.withUnsafeMutablePointers { h, e in
                let hd = h.pointee
                let first = Swift.min(hd.count, hd.capacity - hd.head)
                (e + hd.head).deinitialize(count: first)
                e.deinitialize(count: hd.count - first)
                h.pointee.count = 0
                h.pointee.head = 0
            }
        } else {
            storage = DequeStorage.make(capacity: keepingCapacity ? storage.header.capacity : 0)
        }
    }

    /// Ensures room for `minimumCapacity` elements.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        reserveExtra(Swift.max(0, minimumCapacity - count))
    }
}

// MARK: - Collection conformances

extension Deque: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.header.count }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    /// The element at logical position `i` (0..<count).
    @inlinable
    public subscript(i: Int) -> Element {
        get {
            checkIndex(i)
            return storage.withUnsafeMutablePointers { h, e in e[Deque.slot(i, h.pointee)] }
        }
        _modify {
            checkIndex(i)
            makeUnique()
            let p = storage.withUnsafeMutablePointers { h, e in e + Deque.slot(i, h.pointee) }
            yield &p.pointee
        }
    }
}

extension Deque: RangeReplaceableCollection {
    /// Replaces `subrange` with `newElements`. O(count + newElements.count).
    @inlinable
    public mutating func replaceSubrange<C: Collection>(_ subrange: Range<Int>, with newElements: C)
    where C.Element == Element {
        precondition(subrange.lowerBound >= 0 && subrange.upperBound <= count, "Deque.replaceSubrange: range out of bounds")
        let newCount = count - subrange.count + newElements.count
        let oldCapacity = storage.header.capacity
        let newCapacity = newCount <= oldCapacity ? oldCapacity : Swift.max(newCount, oldCapacity &* 2)
        let unique = isKnownUniquelyReferenced(&storage)
        let other = DequeStorage<Element>.make(capacity: newCapacity)
        storage.withUnsafeMutablePointers { h, e in
            other.withUnsafeMutablePointers { oh, oe in
                let hd = h.pointee
                var k = 0
                for j in 0..<subrange.lowerBound {
                    if unique { (oe + k).moveInitialize(from: e + Deque.slot(j, hd), count: 1) }
                    else { (oe + k).initialize(to: e[Deque.slot(j, hd)]) }
                    k += 1
                }
                if unique {
                    for j in subrange { (e + Deque.slot(j, hd)).deinitialize(count: 1) }
                }
                for element in newElements {
                    precondition(k < newCapacity, "Deque.replaceSubrange: collection grew while copying")
                    (oe + k).initialize(to: element)
                    k += 1
                }
                for j in subrange.upperBound..<hd.count {
                    if unique { (oe + k).moveInitialize(from: e + Deque.slot(j, hd), count: 1) }
                    else { (oe + k).initialize(to: e[Deque.slot(j, hd)]) }
                    k += 1
                }
                oh.pointee.count = k
                if unique {
                    h.pointee.count = 0
                    h.pointee.head = 0
                }
            }
        }
        storage = other
        shrinkIfSparse()
    }

    /// A deque holding the elements of `elements`, in order.
    @inlinable
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        let array = ContiguousArray(elements)
        storage = DequeStorage.make(capacity: array.count)
        storage.withUnsafeMutablePointers { h, e in
            array.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { e.initialize(from: base, count: src.count) }
            }
            h.pointee.count = array.count
        }
    }
}

extension Deque: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension Deque: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: Deque, rhs: Deque) -> Bool {
        lhs.storage === rhs.storage || lhs.elementsEqual(rhs)
    }
}

extension Deque: CustomStringConvertible {
    public var description: String { "Deque(\(Array(self)))" }
}

// Shared storage is only read; every writer holds the only reference (see header).
extension Deque: @unchecked Sendable where Element: Sendable {}
