// IntegerDigits.swift — the hand-written decimal formatter used on the reply
// hot path (no String interpolation, no allocation).
//
// Invariant: callers give at least `maxDecimalDigits` writable bytes ending
// at `end`; Int.min is handled through its magnitude.

/// Bytes needed for any Int in decimal: 19 digits and a minus sign.
@usableFromInline let maxDecimalDigits = 20

/// Writes the decimal text of `v` so that it ends just before `end`, and
/// returns the pointer to its first byte.
@inlinable @inline(__always)
func writeDecimal(_ v: Int, endingBefore end: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    var p = end
    var n = v.magnitude
    repeat {
        let (q, r) = n.quotientAndRemainder(dividingBy: 10)
        p -= 1
        p.pointee = 48 &+ UInt8(truncatingIfNeeded: r)
        n = q
    } while n != 0
    if v < 0 {
        p -= 1
        p.pointee = 45  // '-'
    }
    return p
}

/// Calls `body` with the bytes "<prefix><v>\r\n" held in a stack buffer.
@inlinable @inline(__always)
func withPrefixedDecimal<R>(_ prefix: UInt8, _ v: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buf -> R in
        guard let base = buf.baseAddress else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        base[22] = 13
        base[23] = 10
        var start = writeDecimal(v, endingBefore: base + 22)
        start -= 1
        start.pointee = prefix
        return body(UnsafeBufferPointer(start: start, count: base + 24 - start))
    }
}
