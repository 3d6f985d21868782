// ReplicationBacklog.swift — the replication backlog: the most recent bytes of
// the replication stream, addressed by global stream offsets, so a replica
// that reconnects can be sent just what it missed (PSYNC).
//
// Offsets follow Redis exactly. The stream's bytes are numbered from 1; the
// master's `master_repl_offset` is the number of the LAST byte produced (0
// before any). A backlog created when the offset is N starts empty with
// `firstByteOffset = N + 1` ("virtually the first byte we have is the next
// byte that will be generated"). After appends:
//
//     firstByteOffset = endOffset - histlen + 1        (INFO repl_backlog_first_byte_offset)
//     endOffset       = master_repl_offset             (number of the last byte held)
//     histlen         = bytes held, <= size            (INFO repl_backlog_histlen)
//
// A replica asking to continue from offset `o` (the first byte it lacks) is
// served iff firstByteOffset <= o <= endOffset + 1.
//
// Storage is a circular buffer that grows on demand up to `size` (so a large
// configured size costs nothing until used), then overwrites its oldest byte.
// Invariants: storage.count <= size; `head` is 0 unless storage.count == size;
// the oldest byte is storage[head], the newest storage[(head+count-1) % count].
//
// Redis 7.0 keeps the backlog as a list of 16 KB blocks shared with replica
// output buffers and trims whole blocks, so its histlen may exceed the size by
// up to one block; we hold exactly `size` bytes (Redis 6's ring semantics).

import RESP

/// The circular replication backlog with global byte offsets.
public struct ReplicationBacklog: Sendable {
    /// Smallest size `resize(to:)` accepts (Redis's CONFIG_REPL_BACKLOG_MIN_SIZE).
    public static let minimumSize = 16 * 1024

    /// Maximum bytes held (INFO `repl_backlog_size`).
    public private(set) var size: Int
    /// Offset of the oldest byte held (INFO `repl_backlog_first_byte_offset`).
    public private(set) var firstByteOffset: Int64
    @usableFromInline var storage: Bytes = []
    @usableFromInline var head = 0

    /// An empty backlog of `size` bytes (at least 1) whose next byte will be
    /// `masterReplOffset + 1` (Redis's createReplicationBacklog).
    public init(size: Int, masterReplOffset: Int64) {
        self.size = max(1, size)
        self.firstByteOffset = masterReplOffset + 1
    }

    /// Bytes currently held (INFO `repl_backlog_histlen`).
    @inlinable public var histlen: Int { storage.count }

    /// Offset of the newest byte held; equals `master_repl_offset` while this
    /// backlog is fed with every stream byte.
    @inlinable public var endOffset: Int64 { firstByteOffset + Int64(storage.count) - 1 }

    /// True when a replica whose next needed byte is `offset` can be served
    /// from here (`firstByteOffset <= offset <= endOffset + 1`).
    @inlinable public func covers(_ offset: Int64) -> Bool {
        offset >= firstByteOffset && offset <= endOffset + 1
    }

    /// Appends stream bytes, discarding the oldest ones beyond `size`.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if bytes.isEmpty { return }
        let copied: Void? = bytes.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0)) }
        if copied == nil {
            Array(bytes).withUnsafeBytes { append($0) }
        }
    }

    /// Appends stream bytes from raw memory (the fast path: at most two copies).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if n == 0 { return }
        let newEnd = endOffset + Int64(n)
        if n >= size {
            // Only the newest `size` bytes survive.
            storage = Bytes(bytes[(n - size)...])
            head = 0
        } else if storage.count + n <= size {
            storage.append(contentsOf: bytes)
        } else {
            var rest = bytes[...]
            if storage.count < size {
                // Fill the buffer up to `size` first (head is 0 here).
                let room = size - storage.count
                storage.append(contentsOf: rest.prefix(room))
                rest = rest.dropFirst(room)
            }
            // Overwrite from the oldest byte onwards, wrapping at most once
            // (rest.count < size).
            storage.withUnsafeMutableBytes { ring in
                let first = min(rest.count, ring.count - head)
                UnsafeMutableRawBufferPointer(rebasing: ring[head..<(head + first)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(first)))
                let second = rest.count - first
                if second > 0 {
                    UnsafeMutableRawBufferPointer(rebasing: ring[0..<second])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.dropFirst(first)))
                }
                head = (head + rest.count) % ring.count
            }
        }
        firstByteOffset = newEnd - Int64(storage.count) + 1
    }

    /// The bytes from `offset` to the end (empty when `offset == endOffset + 1`),
    /// or nil when `offset` is not covered — what +CONTINUE is followed by
    /// (Redis's addReplyReplicationBacklog).
    public func bytes(from offset: Int64) -> Bytes? {
        guard covers(offset) else { return nil }
        var out = Bytes()
        out.reserveCapacity(Int(endOffset + 1 - offset))
        forEachSegment(from: offset) { out.append(contentsOf: $0) }
        return out
    }

    /// Calls `body` with the (at most two) contiguous slices holding the
    /// bytes from `offset` to the end, oldest first, without copying. Returns
    /// false (and calls nothing) when `offset` is not covered.
    @discardableResult
    public func forEachSegment(from offset: Int64, _ body: (ArraySlice<UInt8>) -> Void) -> Bool {
        guard covers(offset) else { return false }
        let skip = Int(offset - firstByteOffset)
        let count = storage.count
        let wanted = count - skip
        if wanted == 0 { return true }
        let start = (head + skip) % count
        if start + wanted <= count {
            body(storage[start..<(start + wanted)])
        } else {
            body(storage[start..<count])
            body(storage[0..<(start + wanted - count)])
        }
        return true
    }

    /// Changes the size (clamped to `minimumSize`, as CONFIG SET does),
    /// keeping the newest bytes that still fit.
    public mutating func resize(to newSize: Int) {
        resize(exactly: max(ReplicationBacklog.minimumSize, newSize))
    }

    /// Changes the size to exactly `newSize` (at least 1) keeping the newest bytes.
    public mutating func resize(exactly newSize: Int) {
        let newSize = max(1, newSize)
        if newSize == size { return }
        let end = endOffset
        let keep = min(storage.count, newSize)
        var linear = Bytes()
        linear.reserveCapacity(keep)
        forEachSegment(from: end + 1 - Int64(keep)) { linear.append(contentsOf: $0) }
        storage = linear
        head = 0
        size = newSize
        firstByteOffset = end - Int64(storage.count) + 1
    }
}
