// ByteSearch.swift — small raw-buffer helpers shared by the parsers:
// finding a byte (memchr) and reading a Redis `string2ll` integer in place.
//
// Invariants: every function takes explicit [start, end) offsets that the
// caller has checked against the buffer; none reads outside them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let asciiCR: UInt8 = 13
let asciiLF: UInt8 = 10

/// Offset of the first `byte` in `buf[from..<buf.count]`, or nil.
@inline(__always)
func findByte(_ byte: UInt8, in buf: UnsafeRawBufferPointer, from: Int) -> Int? {
    guard from < buf.count, let base = buf.baseAddress else { return nil }
    guard let hit = memchr(base + from, Int32(byte), buf.count - from) else { return nil }
    return UnsafeRawPointer(hit) - base
}

/// Offset of the first "\r\n" pair starting in `buf[from..<buf.count]`, or nil.
/// A lone CR is ordinary data (as in hiredis).
func findCRLF(in buf: UnsafeRawBufferPointer, from: Int) -> Int? {
    var i = from
    while let cr = findByte(asciiCR, in: buf, from: i) {
        if cr + 1 >= buf.count { return nil }
        if buf[cr + 1] == asciiLF { return cr }
        i = cr + 1
    }
    return nil
}

/// Redis `string2ll` over `buf[start..<end]` (see `parseInt64`).
@inline(__always)
func string2ll(_ buf: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
    guard start <= end, end <= buf.count else { return nil }
    return parseInt64(UnsafeRawBufferPointer(rebasing: buf[start..<end]))
}

/// Copies `buf[range]` into a new array with one memcpy.
@inline(__always)
func copyBytes(_ buf: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bytes {
    let n = range.count
    if n == 0 { return [] }
    return Bytes(unsafeUninitializedCapacity: n) { dst, initialized in
        if let d = dst.baseAddress, let s = buf.baseAddress {
            memcpy(d, s + range.lowerBound, n)
            initialized = n
        } else {
            initialized = 0
        }
    }
}
