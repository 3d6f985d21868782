// FrameScanner.swift — finds where one complete RESP2/RESP3 reply frame ends,
// validating it, without building any value. The ValueParser decodes only
// after this scanner has seen the whole frame.
//
// Invariants:
//  - Resumable: `pos` and `stack` (elements still owed by each open
//    aggregate) survive between calls, so a frame of N bytes is scanned in
//    O(N) however it arrives, as long as the caller passes the same prefix
//    again; a blob's payload is skipped, never scanned.
//  - Nothing is allocated from a declared count: the stack grows with the
//    nesting depth only, which is capped by `maxDepth`.
//  - Every header is fully validated here (numbers, booleans, null, CRLF
//    after blob data, verbatim format), so decoding a scanned frame cannot fail.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The header line of one RESP element (and, for blobs, its payload).
struct RESPHeader {
    /// The type byte ('+', '$', '*', ...).
    let type: UInt8
    /// Offset of the type byte.
    let start: Int
    /// Offset of the CR ending the header line.
    let lineEnd: Int
    /// Offset just past the element's own bytes (for blobs: past payload + CRLF;
    /// for aggregates: past the header line only).
    let next: Int
    /// Blob payload length, or aggregate element count (pairs for % and |);
    /// -1 for a RESP2 null ("$-1", "*-1"); 0 for other scalars.
    let length: Int

    /// Elements that follow an aggregate header (0 for scalars and nulls).
    var children: Int {
        switch type {
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"): return max(length, 0)
        case UInt8(ascii: "%"): return length * 2
        case UInt8(ascii: "|"): return length * 2 + 1  // the pairs, then the annotated value
        default: return 0
        }
    }

    /// True for aggregate types (including a null array).
    var isAggregate: Bool {
        switch type {
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            return length >= 0
        default:
            return false
        }
    }
}

/// Limits the client-side parser enforces.
struct RESPLimits: Sendable {
    var maxBulkLength: Int
    var maxDepth: Int
}

/// Largest aggregate count accepted (keeps 2n+1 far from overflow).
let maxAggregateCount = Int64(Int32.max)

extension ProtocolError {
    static let invalidInteger = ProtocolError("Protocol error: invalid integer reply")
    static let invalidDouble = ProtocolError("Protocol error: invalid double reply")
    static let invalidBoolean = ProtocolError("Protocol error: invalid boolean reply")
    static let invalidNull = ProtocolError("Protocol error: invalid null reply")
    static let invalidBigNumber = ProtocolError("Protocol error: invalid big number reply")
    static let invalidVerbatim = ProtocolError("Protocol error: invalid verbatim string")
    static let missingCRLF = ProtocolError("Protocol error: bulk data not followed by CRLF")
    static let tooBigLine = ProtocolError("Protocol error: too big reply line")
    static let truncatedFrame = ProtocolError("Protocol error: truncated frame")
    static func tooDeep(_ max: Int) -> ProtocolError {
        ProtocolError("Protocol error: reply nested deeper than \(max) levels")
    }
    static func unexpectedType(_ byte: UInt8) -> ProtocolError {
        let shown = (32..<127).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16)
        return ProtocolError("Protocol error: unexpected reply type byte '\(shown)'")
    }
}

/// Reads the element header at `pos`. Returns nil when more bytes are needed;
/// `searchFrom` remembers how far the line terminator search got.
func readHeader(_ buf: UnsafeRawBufferPointer, at pos: Int, searchFrom: inout Int,
                limits: RESPLimits) throws(ProtocolError) -> RESPHeader? {
    guard pos < buf.count else { return nil }
    let type = buf[pos]
    guard let cr = findCRLF(in: buf, from: max(pos + 1, searchFrom)) else {
        if buf.count - pos > max(limits.maxBulkLength, 64 * 1024) { throw .tooBigLine }
        searchFrom = max(pos + 1, buf.count - 1)
        return nil
    }
    let line = UnsafeRawBufferPointer(rebasing: buf[(pos + 1)..<cr])
    let afterLine = cr + 2
    func scalar() -> RESPHeader { RESPHeader(type: type, start: pos, lineEnd: cr, next: afterLine, length: 0) }

    switch type {
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
        return scalar()
    case UInt8(ascii: ":"):
        guard parseInt64(line) != nil else { throw .invalidInteger }
        return scalar()
    case UInt8(ascii: ","):
        guard parseRESP3Double(line) != nil else { throw .invalidDouble }
        return scalar()
    case UInt8(ascii: "#"):
        guard line.count == 1, line[0] == UInt8(ascii: "t") || line[0] == UInt8(ascii: "f") else {
            throw .invalidBoolean
        }
        return scalar()
    case UInt8(ascii: "_"):
        guard line.isEmpty else { throw .invalidNull }
        return scalar()
    case UInt8(ascii: "("):
        guard isBigNumber(line) else { throw .invalidBigNumber }
        return scalar()
    case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
        guard let n = parseInt64(line) else { throw .invalidBulkLength }
        if n == -1 && type == UInt8(ascii: "$") {
            return RESPHeader(type: type, start: pos, lineEnd: cr, next: afterLine, length: -1)
        }
        guard n >= 0, n <= Int64(limits.maxBulkLength) else { throw .invalidBulkLength }
        let len = Int(n)
        if buf.count - afterLine - 2 < len { return nil }  // payload + CRLF not all here
        guard buf[afterLine + len] == asciiCR, buf[afterLine + len + 1] == asciiLF else { throw .missingCRLF }
        if type == UInt8(ascii: "=") {
            guard len >= 4, buf[afterLine + 3] == UInt8(ascii: ":") else { throw .invalidVerbatim }
        }
        return RESPHeader(type: type, start: pos, lineEnd: cr, next: afterLine + len + 2, length: len)
    case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
        guard let n = parseInt64(line) else { throw .invalidMultibulkLength }
        if n == -1 && type == UInt8(ascii: "*") {
            return RESPHeader(type: type, start: pos, lineEnd: cr, next: afterLine, length: -1)
        }
        guard n >= 0, n <= maxAggregateCount else { throw .invalidMultibulkLength }
        return RESPHeader(type: type, start: pos, lineEnd: cr, next: afterLine, length: Int(n))
    default:
        throw .unexpectedType(type)
    }
}

/// A RESP3 double line: what strtod reads in full ("1.5", "-inf", "nan", "1e10").
func parseRESP3Double(_ line: UnsafeRawBufferPointer) -> Double? {
    guard let first = line.first, !isCSpace(first) else { return nil }
    if let i = parseInt64(line), i.magnitude < (1 << 53) { return Double(i) }
    return withCString(Array(line)) { p, n -> Double? in
        var endp: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(p, &endp)
        guard let endp, UnsafePointer(endp) - p == n else { return nil }
        return v
    }
}

/// RESP3 big number text: an optional sign and at least one digit.
func isBigNumber(_ line: UnsafeRawBufferPointer) -> Bool {
    var digits = line[...]
    if let f = digits.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { digits = digits.dropFirst() }
    return !digits.isEmpty && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
}

/// Resumable completeness check for one frame (see the file header).
struct FrameScanner: Sendable {
    private(set) var pos = 0
    private var stack: [Int] = []
    private var searchFrom = 0

    /// Returns the frame's length once all of it is in `buf`, nil if more bytes
    /// are needed. Throws on the first malformed element.
    mutating func scan(_ buf: UnsafeRawBufferPointer, limits: RESPLimits) throws(ProtocolError) -> Int? {
        while true {
            guard let h = try readHeader(buf, at: pos, searchFrom: &searchFrom, limits: limits) else { return nil }
            pos = h.next
            searchFrom = 0
            if h.isAggregate {
                if stack.count >= limits.maxDepth { throw .tooDeep(limits.maxDepth) }
                let children = h.children
                if children > 0 {
                    stack.append(children)
                    continue
                }
            }
            // One value is complete: close every aggregate it completes.
            var frameDone = true
            while let owed = stack.last {
                if owed > 1 {
                    stack[stack.count - 1] = owed - 1
                    frameDone = false
                    break
                }
                stack.removeLast()
            }
            if frameDone { return pos }
        }
    }

    /// Forgets the partially scanned frame.
    mutating func reset() {
        pos = 0
        searchFrom = 0
        stack.removeAll(keepingCapacity: true)
    }
}
