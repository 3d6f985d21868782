// LineReader.swift — reading one "\n"-terminated line from a byte buffer, as
// Redis's syncReadLine does for handshake replies and the RDB preamble: the
// line excludes the "\n" and one trailing "\r"; an empty line is a keepalive.
//
// Invariants: never consumes past the first "\n"; returns nil (consuming
// nothing) until a whole line is buffered; a line longer than the limit is an
// error rather than unbounded buffering.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RESP

/// A line that did not end within the allowed length.
public struct LineTooLongError: Error, Equatable, Sendable {
    /// The limit that was exceeded.
    public var limit: Int
    /// Creates the error for `limit`.
    public init(limit: Int) { self.limit = limit }
}

/// Reads "\n"-terminated lines (handshake replies, RDB preambles).
public enum LineReader {
    /// The next line of `input` and the bytes it took (including its
    /// terminator), or nil when no "\n" is buffered yet. Throws when `maxLength`
    /// bytes arrived without a "\n".
    public static func next(_ input: UnsafeRawBufferPointer, maxLength: Int = 64 * 1024) throws(LineTooLongError) -> (line: Bytes, consumed: Int)? {
        guard let nl = firstIndex(of: 10, in: input, from: 0) else {
            if input.count > maxLength { throw LineTooLongError(limit: maxLength) }
            return nil
        }
        if nl > maxLength { throw LineTooLongError(limit: maxLength) }
        var end = nl
        if end > 0 && input[end - 1] == 13 { end -= 1 }
        return (Bytes(input[0..<end]), nl + 1)
    }

    /// `next` over a byte array.
    public static func next(_ input: Bytes, maxLength: Int = 64 * 1024) throws(LineTooLongError) -> (line: Bytes, consumed: Int)? {
        let result = input.withUnsafeBytes { buf in
            Result { () throws(LineTooLongError) in try next(buf, maxLength: maxLength) }
        }
        return try result.get()
    }
}

/// Offset of the first `byte` in `buf[from...]`, or nil (memchr).
@inline(__always)
func firstIndex(of byte: UInt8, in buf: UnsafeRawBufferPointer, from: Int) -> Int? {
    guard from < buf.count, let base = buf.baseAddress else { return nil }
    guard let hit = memchr(base + from, Int32(byte), buf.count - from) else { return nil }
    return UnsafeRawPointer(hit) - base
}

/// Offset of the first occurrence of `needle` in `buf`, or nil.
func firstIndex(of needle: Bytes, in buf: UnsafeRawBufferPointer) -> Int? {
    guard let first = needle.first, buf.count >= needle.count, let base = buf.baseAddress else { return nil }
    let last = buf.count - needle.count
    var i = 0
    return needle.withUnsafeBytes { n -> Int? in
        guard let nb = n.baseAddress else { return nil }
        while i <= last, let hit = firstIndex(of: first, in: buf, from: i) {
            if hit > last { return nil }
            if memcmp(base + hit, nb, needle.count) == 0 { return hit }
            i = hit + 1
        }
        return nil
    }
}
