// ReplyBuffer.swift — the output buffer commands write replies into, RESP2 or
// RESP3 depending on what the client negotiated with HELLO.
//
// Invariants: `bytes` always holds whole replies appended in call order; every
// method appends exactly one RESP element (or one aggregate header), so a
// reply is well formed once its headers' element counts have been written.
// Integers are formatted by hand into a stack buffer; strings are appended with
// one contiguous copy; growth is Array's geometric growth (we never call
// reserveCapacity with exact sizes, which would make appends quadratic).
// Status and error texts never carry CR/LF (they are mapped to spaces).

/// A growable buffer of encoded replies.
public struct ReplyBuffer: Sendable {
    /// Pending encoded bytes. The server writes them out and removes the
    /// written prefix (see `removeWritten`).
    public var bytes: [UInt8]
    /// 2 (RESP2, the default) or 3 (RESP3, after HELLO 3).
    public var protocolVersion: Int

    /// Creates an empty buffer speaking `protocolVersion`.
    public init(protocolVersion: Int = 2) {
        self.bytes = []
        self.protocolVersion = protocolVersion
    }

    /// Number of pending bytes.
    @inlinable public var count: Int { bytes.count }

    /// True when the client speaks RESP3.
    @inlinable public var isRESP3: Bool { protocolVersion >= 3 }

    /// Drops the first `n` bytes (already written to the socket). Keeps the
    /// storage for reuse unless it grew past 1 MiB and is now empty.
    public mutating func removeWritten(_ n: Int) {
        if n >= bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
        } else if n > 0 {
            bytes.removeFirst(n)
        }
    }

    // MARK: Scalars

    /// "+<s>\r\n". `s` must not contain CR or LF (a programmer's constant).
    @inlinable
    public mutating func simple(_ s: StaticString) {
        bytes.append(UInt8(ascii: "+"))
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        appendCRLF()
    }

    /// "+<s>\r\n", with any CR or LF in `s` replaced by a space. (Disfavoured
    /// so that a literal picks the cheaper `StaticString` overload.)
    @inlinable @_disfavoredOverload
    public mutating func simple(_ s: String) {
        bytes.append(UInt8(ascii: "+"))
        appendLine(s, trimming: false)
    }

    /// "-<message>\r\n". `message` includes the error code ("ERR syntax error",
    /// "WRONGTYPE ..."). Like Redis's addReplyErrorFormat, leading/trailing CR
    /// and LF are trimmed and inner ones become spaces.
    @inlinable
    public mutating func error(_ message: String) {
        bytes.append(UInt8(ascii: "-"))
        appendLine(message, trimming: true)
    }

    /// ":<v>\r\n".
    @inlinable
    public mutating func integer(_ v: Int) {
        appendPrefixed(UInt8(ascii: ":"), v)
    }

    /// "$<n>\r\n<b>\r\n".
    @inlinable
    public mutating func bulk(_ b: Bytes) {
        appendPrefixed(UInt8(ascii: "$"), b.count)
        bytes.append(contentsOf: b)
        appendCRLF()
    }

    /// A bulk string of the UTF-8 bytes of `s`.
    @inlinable
    public mutating func bulk(_ s: String) {
        let utf8 = s.utf8
        appendPrefixed(UInt8(ascii: "$"), utf8.count)
        bytes.append(contentsOf: utf8)
        appendCRLF()
    }

    /// A bulk string of any byte collection (slices of a read buffer, ...).
    @inlinable
    public mutating func bulk<C: Collection>(bytes c: C) where C.Element == UInt8 {
        appendPrefixed(UInt8(ascii: "$"), c.count)
        bytes.append(contentsOf: c)
        appendCRLF()
    }

    /// A bulk string holding the decimal text of `v` (Redis addReplyBulkLongLong).
    @inlinable
    public mutating func bulk(integer v: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxDecimalDigits) { buf in
            guard let base = buf.baseAddress else { return }
            let end = base + maxDecimalDigits
            let start = writeDecimal(v, endingBefore: end)
            appendPrefixed(UInt8(ascii: "$"), end - start)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
            appendCRLF()
        }
    }

    /// The null bulk string: RESP2 "$-1\r\n", RESP3 "_\r\n".
    @inlinable
    public mutating func null() {
        raw(isRESP3 ? "_\r\n" : "$-1\r\n")
    }

    /// The null array: RESP2 "*-1\r\n", RESP3 "_\r\n".
    @inlinable
    public mutating func nullArray() {
        raw(isRESP3 ? "_\r\n" : "*-1\r\n")
    }

    // MARK: Aggregate headers

    /// "*<n>\r\n": `n` elements follow.
    @inlinable
    public mutating func arrayHeader(_ n: Int) {
        appendPrefixed(UInt8(ascii: "*"), n)
    }

    /// RESP3 "%<n>\r\n" (n key/value pairs follow); RESP2 "*<2n>\r\n".
    @inlinable
    public mutating func mapHeader(_ n: Int) {
        if isRESP3 { appendPrefixed(UInt8(ascii: "%"), n) } else { appendPrefixed(UInt8(ascii: "*"), n * 2) }
    }

    /// RESP3 "~<n>\r\n"; RESP2 "*<n>\r\n".
    @inlinable
    public mutating func setHeader(_ n: Int) {
        appendPrefixed(isRESP3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), n)
    }

    /// RESP3 "><n>\r\n" (out-of-band push: pub/sub messages, invalidations); RESP2 "*<n>\r\n".
    @inlinable
    public mutating func pushHeader(_ n: Int) {
        appendPrefixed(isRESP3 ? UInt8(ascii: ">") : UInt8(ascii: "*"), n)
    }

    // MARK: Pre-encoded bytes

    /// Appends already encoded bytes.
    @inlinable
    public mutating func raw(_ b: Bytes) {
        bytes.append(contentsOf: b)
    }

    /// Appends already encoded bytes from a constant.
    @inlinable
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    // MARK: Internals

    @inlinable @inline(__always)
    mutating func appendCRLF() {
        bytes.append(13)
        bytes.append(10)
    }

    /// "<prefix><v>\r\n" in one append.
    @inlinable @inline(__always)
    mutating func appendPrefixed(_ prefix: UInt8, _ v: Int) {
        withPrefixedDecimal(prefix, v) { bytes.append(contentsOf: $0) }
    }

    /// Appends `s` + CRLF with CR/LF inside `s` mapped to spaces (after trimming
    /// them from both ends when `trimming`).
    @inlinable
    mutating func appendLine(_ s: String, trimming: Bool) {
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            bytes.append(contentsOf: utf8)
        } else {
            var slice = s.utf8[...]
            if trimming {
                while let f = slice.first, f == 13 || f == 10 { slice = slice.dropFirst() }
                while let l = slice.last, l == 13 || l == 10 { slice = slice.dropLast() }
            }
            for c in slice { bytes.append(c == 13 || c == 10 ? 32 : c) }
        }
        appendCRLF()
    }
}
