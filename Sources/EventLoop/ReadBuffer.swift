// ReadBuffer.swift: a per-connection input buffer with start/end cursors
// (PERFORMANCE-NOTES item 1). Bytes are read from the socket straight into
// the spare tail; the parser looks at the readable window in place and
// `consume`s what it parsed. Nothing is shifted per command.
//
// Layout:   storage: [ consumed | readable (start..<end) | spare tail ]
//
// Invariants:
// - 0 <= start <= end <= storage.count; readable bytes are storage[start..<end].
// - When the window empties, start = end = 0 (free "compaction").
// - Bytes are moved (memmove to the front) only when the tail is too small
//   for the next read and moving frees enough room; otherwise the storage
//   grows (doubling). The caller enforces its limit (Redis's
//   client-query-buffer-limit) by checking `readableCount` / `capacity`.
// - A ReadBuffer is a value: copies share storage until one writes (CoW).

import Glibc

/// A growable byte buffer for socket input, read into directly and parsed in place.
public struct ReadBuffer {
    @usableFromInline var storage: ContiguousArray<UInt8>
    @usableFromInline var start: Int = 0
    @usableFromInline var end: Int = 0

    /// Smallest tail worth a read(2) call; below it we compact or grow first.
    @usableFromInline static let minimumReadSize = 4096

    /// Creates an empty buffer with `initialCapacity` bytes (at least 64).
    public init(initialCapacity: Int = 16 * 1024) {
        storage = ContiguousArray(repeating: 0, count: max(initialCapacity, 64))
    }

    /// Bytes received and not yet consumed.
    @inlinable public var readableCount: Int { end - start }

    /// True when nothing is waiting to be parsed.
    @inlinable public var isEmpty: Bool { end == start }

    /// Bytes of storage currently allocated.
    @inlinable public var capacity: Int { storage.count }

    /// Reads once from `fd` into the tail, at most `maxBytes` (making room
    /// first if the tail has less than min(maxBytes, 4 KiB)).
    @inlinable
    public mutating func readFrom(fd: Int32, maxBytes: Int = 16 * 1024) -> Socket.ReadResult {
        let wanted = max(maxBytes, 1)
        makeTailRoom(atLeast: min(wanted, Self.minimumReadSize))
        let (tail, limit) = (end, min(end + wanted, storage.count))
        let result = storage.withUnsafeMutableBytes { raw in
            Socket.read(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[tail..<limit]))
        }
        if case .bytes(let count) = result {
            end += count
        }
        return result
    }

    /// Lets `body` fill the tail directly: it receives at least `minimumRoom`
    /// spare bytes and returns how many it wrote (0...room).
    @inlinable
    public mutating func writeIntoTail(
        minimumRoom: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        makeTailRoom(atLeast: max(minimumRoom, 1))
        let tail = end
        let written = try storage.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[tail...]))
        }
        precondition(written >= 0 && written <= storage.count - end, "writeIntoTail body reported \(written) bytes")
        end += written
        return written
    }

    /// Calls `body` with the readable bytes (valid only during the call).
    @inlinable
    public func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
        }
    }

    /// Marks the first `n` readable bytes as parsed.
    @inlinable
    public mutating func consume(_ n: Int) {
        precondition(n >= 0 && n <= readableCount, "consume(\(n)) with \(readableCount) readable bytes")
        start += n
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Discards all readable bytes, keeping the storage.
    @inlinable
    public mutating func removeAll() {
        start = 0
        end = 0
    }

    /// Appends bytes (tests, and data that did not come from a socket).
    public mutating func append(_ bytes: some Collection<UInt8>) {
        let count = bytes.count
        guard count > 0 else { return }
        makeTailRoom(atLeast: count)
        let tail = end
        storage.withUnsafeMutableBufferPointer { buffer in
            _ = UnsafeMutableBufferPointer(rebasing: buffer[tail..<(tail + count)]).initialize(fromContentsOf: bytes)
        }
        end += count
    }

    /// Gives memory back after a burst (Redis resizes idle query buffers in
    /// its cron): reallocates to max(readableCount, `minimumCapacity`) when
    /// that is smaller than the current capacity.
    public mutating func shrink(toCapacity minimumCapacity: Int) {
        let target = max(readableCount, minimumCapacity, 64)
        guard target < storage.count else { return }
        reallocate(capacity: target)
    }

    // MARK: - making room

    /// Ensures `storage.count - end >= room`, compacting when that suffices,
    /// growing (at least doubling) otherwise.
    @inlinable
    mutating func makeTailRoom(atLeast room: Int) {
        if storage.count - end >= room { return }
        let readable = readableCount
        if start > 0 && storage.count - readable >= room {
            compact()
        } else {
            reallocate(capacity: max(storage.count * 2, readable + room))
        }
    }

    @usableFromInline
    mutating func compact() {
        let (from, count) = (start, readableCount)
        storage.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            memmove(base, base + from, count)
        }
        start = 0
        end = count
    }

    @usableFromInline
    mutating func reallocate(capacity: Int) {
        let (from, count) = (start, readableCount)
        let fresh = ContiguousArray<UInt8>(unsafeUninitializedCapacity: capacity) { buffer, initialized in
            storage.withUnsafeBufferPointer { old in
                _ = buffer.initialize(fromContentsOf: old[from..<(from + count)])
            }
            buffer.baseAddress?.advanced(by: count).initialize(repeating: 0, count: capacity - count)
            initialized = capacity
        }
        storage = fresh
        start = 0
        end = count
    }
}
