// ReplyBuffer+Shared.swift — Redis's "shared" constant replies (+OK, :0, ...)
// as single appends of static bytes, and deferred aggregate lengths for replies
// whose element count is known only at the end (Redis addReplyDeferredLen).
//
// Invariant: a `DeferredLength` is an offset into `bytes`; it stays valid only
// while no prefix of `bytes` is removed, i.e. within one command's reply.

extension ReplyBuffer {
    /// "+OK\r\n".
    @inlinable public mutating func ok() { raw("+OK\r\n") }
    /// "+PONG\r\n".
    @inlinable public mutating func pong() { raw("+PONG\r\n") }
    /// "+QUEUED\r\n" (a command queued inside MULTI).
    @inlinable public mutating func queued() { raw("+QUEUED\r\n") }
    /// ":0\r\n".
    @inlinable public mutating func zero() { raw(":0\r\n") }
    /// ":1\r\n".
    @inlinable public mutating func one() { raw(":1\r\n") }
    /// "*0\r\n".
    @inlinable public mutating func emptyArray() { raw("*0\r\n") }
    /// "$0\r\n\r\n".
    @inlinable public mutating func emptyBulk() { raw("$0\r\n\r\n") }

    /// Where an aggregate header will go once its length is known.
    public struct DeferredLength: Sendable {
        @usableFromInline let offset: Int
        @usableFromInline init(offset: Int) { self.offset = offset }
    }

    /// Marks the current end of the buffer for a header written later by
    /// `setDeferredArray` / `setDeferredMap` / `setDeferredSet`.
    @inlinable
    public mutating func deferLength() -> DeferredLength {
        DeferredLength(offset: bytes.count)
    }

    /// Inserts "*<n>\r\n" at `d`.
    public mutating func setDeferredArray(_ d: DeferredLength, count n: Int) {
        insertHeader(at: d, prefix: UInt8(ascii: "*"), n)
    }

    /// Inserts a map header for `n` pairs at `d` (RESP2: "*<2n>").
    public mutating func setDeferredMap(_ d: DeferredLength, pairs n: Int) {
        if isRESP3 { insertHeader(at: d, prefix: UInt8(ascii: "%"), n) } else { insertHeader(at: d, prefix: UInt8(ascii: "*"), n * 2) }
    }

    /// Inserts a set header for `n` elements at `d` (RESP2: "*<n>").
    public mutating func setDeferredSet(_ d: DeferredLength, count n: Int) {
        insertHeader(at: d, prefix: isRESP3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), n)
    }

    private mutating func insertHeader(at d: DeferredLength, prefix: UInt8, _ n: Int) {
        guard d.offset <= bytes.count else {
            preconditionFailure("DeferredLength used after its reply was partly written out")
        }
        withPrefixedDecimal(prefix, n) { header in
            if d.offset == bytes.count {
                bytes.append(contentsOf: header)
            } else {
                bytes.insert(contentsOf: header, at: d.offset)
            }
        }
    }
}
