// DequeStorage: the single heap object behind a `Deque` — a ring buffer
// allocated with its header in one block (ManagedBuffer).
//
// Invariants:
// - The live elements are the `count` slots starting at physical slot `head`
//   and wrapping past `capacity - 1` to 0; all other slots are uninitialised.
// - 0 <= head < max(capacity, 1), 0 <= count <= capacity. `capacity` is what
//   was requested at creation (not malloc's rounded-up size), fixed for the
//   object's lifetime.
// - Reads never mutate, so storage that nobody mutates may be read from several
//   threads; a `Deque` writes only storage it references uniquely.

/// Ring-buffer bookkeeping stored in front of the elements.
@usableFromInline
struct DequeHeader {
    @usableFromInline var capacity: Int
    @usableFromInline var count: Int
    @usableFromInline var head: Int

    @inlinable
    init(capacity: Int, count: Int, head: Int) {
        self.capacity = capacity
        self.count = count
        self.head = head
    }
}

/// The shared, copy-on-write storage of a `Deque`.
@usableFromInline
final class DequeStorage<Element>: ManagedBuffer<DequeHeader, Element> {
    /// A new, empty storage with room for exactly `capacity` elements.
    @inlinable
    static func make(capacity: Int) -> DequeStorage<Element> {
        let buffer = DequeStorage<Element>.create(minimumCapacity: capacity) { _ in
            DequeHeader(capacity: capacity, count: 0, head: 0)
        }
        return unsafeDowncast(buffer, to: DequeStorage<Element>.self)
    }

    deinit {
        withUnsafeMutablePointers { h, e in
            let cap = h.pointee.capacity
            let head = h.pointee.head
            let count = h.pointee.count
            let first = Swift.min(count, cap - head)
            (e + head).deinitialize(count: first)
            e.deinitialize(count: count - first)
        }
    }

    /// A new storage of `newCapacity` (>= count) holding copies of the
    /// elements, starting at physical slot 0.
    @inlinable
    func copy(capacity newCapacity: Int) -> DequeStorage<Element> {
        let other = DequeStorage.make(capacity: newCapacity)
        withUnsafeMutablePointers { h, e in
            other.withUnsafeMutablePointers { oh, oe in
                let cap = h.pointee.capacity
                let head = h.pointee.head
                let count = h.pointee.count
                let first = Swift.min(count, cap - head)
                oe.initialize(from: e + head, count: first)
                (oe + first).initialize(from: e, count: count - first)
                oh.pointee.count = count
            }
        }
        return other
    }

    /// Like `copy(capacity:)` but moves the elements out, leaving self empty.
    @inlinable
    func moveOut(capacity newCapacity: Int) -> DequeStorage<Element> {
        let other = DequeStorage.make(capacity: newCapacity)
        withUnsafeMutablePointers { h, e in
            other.withUnsafeMutablePointers { oh, oe in
                let cap = h.pointee.capacity
                let head = h.pointee.head
                let count = h.pointee.count
                let first = Swift.min(count, cap - head)
                oe.moveInitialize(from: e + head, count: first)
                (oe + first).moveInitialize(from: e, count: count - first)
                oh.pointee.count = count
                h.pointee.count = 0
                h.pointee.head = 0
            }
        }
        return other
    }
}
