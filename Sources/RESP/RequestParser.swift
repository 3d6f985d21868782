// RequestParser.swift — the server's request parser (the hot path), matching
// Redis 7.0 networking.c processMultibulkBuffer / processInlineBuffer.
//
// A request is either
//   multibulk: "*<count>\r\n" then <count> times "$<len>\r\n<len bytes>\r\n"
//   inline:    anything whose first byte is not '*', up to "\n" (or "\r\n"),
//              split like sdssplitargs (see InlineParser.swift).
//
// Rules kept from Redis, in the order Redis checks them:
//  1. A length line ends at the first '\r' found; the byte after it must be
//     present but is not checked, and the two bytes after a bulk's data are
//     skipped unchecked (Redis does the same).
//  2. No '\r' within `maxInlineLength` buffered bytes -> "too big mbulk count
//     string" / "too big bulk count string"; no '\n' -> "too big inline request".
//  3. count: string2ll, and count > INT_MAX -> "invalid multibulk length";
//     count > 10 while `requireAuthLimits` -> "unauthenticated multibulk length";
//     count <= 0 -> an empty request (the caller skips it).
//  4. each bulk: first byte must be '$'; string2ll, negative or > maxBulkLength
//     -> "invalid bulk length"; > 16384 while `requireAuthLimits` ->
//     "unauthenticated bulk length".
//
// Invariants: the parser remembers the progress of one partially received
// multibulk frame (offsets into the caller's buffer, which must start at the
// same frame boundary and only grow between calls), so a frame of N bytes
// costs O(N) however it is split. That memory is cleared whenever a frame is
// returned or an error thrown. Nothing is preallocated from an untrusted count
// beyond `min(count, 1024)` slots. If the caller breaks the contract (passes
// a shorter buffer) the parser starts over; it never reads out of bounds.

/// Incremental parser for client requests (RESP multibulk and inline).
public struct RequestParser: Sendable {
    /// Largest accepted bulk argument (Redis `proto-max-bulk-len`). Settable at
    /// runtime; a master link may set `Int.max` (Redis exempts masters).
    public var maxBulkLength: Int
    /// Largest inline request, and longest length line, without a terminator
    /// (Redis PROTO_INLINE_MAX_SIZE, 64 KiB).
    public var maxInlineLength: Int
    /// When true (an unauthenticated client on a server with a password),
    /// Redis's stricter limits apply: at most 10 arguments of at most 16384 bytes.
    public var requireAuthLimits: Bool = false

    // Progress through the current multibulk frame (all zero/empty between frames).
    private var inMultibulk = false   // the "*<count>" line has been parsed
    private var pos = 0               // offset of the first unparsed byte of the frame
    private var argsLeft = 0          // bulks still expected
    private var bulkLength = -1       // length of the bulk whose header was read, or -1
    private var searchFrom = 0        // where to resume looking for a line terminator
    private var ranges: [Range<Int>] = []

    /// The most argument slots ever preallocated from a client-supplied count.
    static let maxPreallocatedArgs = 1024

    /// Creates a parser with Redis's default limits.
    public init(maxBulkLength: Int = 512 * 1024 * 1024, maxInlineLength: Int = 64 * 1024) {
        self.maxBulkLength = maxBulkLength
        self.maxInlineLength = maxInlineLength
    }

    /// A request parsed in place.
    public enum RawRequest: Equatable, Sendable {
        /// A multibulk request whose arguments are `argumentRanges`: offsets into
        /// the buffer passed to `nextRaw`. Empty ranges = an empty request.
        case multibulk(consumed: Int)
        /// An inline request, already split (may be empty: skip it).
        case inline(args: [Bytes], consumed: Int)
    }

    /// After `nextRaw` returned `.multibulk`, the byte ranges of the arguments
    /// in the caller's buffer. Valid until the next call.
    public var argumentRanges: [Range<Int>] { ranges }

    /// Parses the next complete request from `input` (the caller's unconsumed
    /// bytes, starting at a frame boundary). Returns nil when more bytes are
    /// needed; otherwise the arguments (empty for an empty line or `*0`: skip
    /// it) and how many bytes the request took.
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> (args: [Bytes], consumed: Int)? {
        switch try nextRaw(input) {
        case nil:
            return nil
        case .inline(let args, let consumed):
            return (args, consumed)
        case .multibulk(let consumed):
            var args = [Bytes]()
            args.reserveCapacity(ranges.count)
            for r in ranges { args.append(copyBytes(input, r)) }
            return (args, consumed)
        }
    }

    /// Like `next`, but multibulk arguments are left in `input` and described by
    /// `argumentRanges` (no copies, no per-argument allocation).
    public mutating func nextRaw(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> RawRequest? {
        if !inMultibulk && pos == 0 { ranges.removeAll(keepingCapacity: ranges.capacity <= 4096) }
        if pos > input.count || searchFrom > input.count { reset() }
        guard input.count > 0 else { return nil }
        do {
            if !inMultibulk {
                if input[0] != UInt8(ascii: "*") {
                    guard let (args, consumed) = try parseInline(input) else { return nil }
                    reset()
                    return .inline(args: args, consumed: consumed)
                }
                guard try parseCountLine(input) else { return nil }
                if !inMultibulk {  // "*0", "*-1": an empty request
                    let consumed = pos
                    resetProgress()
                    return .multibulk(consumed: consumed)
                }
            }
            guard try parseBulks(input) else { return nil }
            let consumed = pos
            resetProgress()
            return .multibulk(consumed: consumed)
        } catch {
            reset()
            throw error
        }
    }

    /// Forgets any partially parsed frame (e.g. after the caller dropped its buffer).
    public mutating func reset() {
        resetProgress()
        ranges.removeAll(keepingCapacity: ranges.capacity <= 4096)
    }

    private mutating func resetProgress() {
        inMultibulk = false
        pos = 0
        argsLeft = 0
        bulkLength = -1
        searchFrom = 0
    }

    /// Reads "*<count>\r\n". Returns false when the line is incomplete.
    private mutating func parseCountLine(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> Bool {
        guard let cr = findByte(asciiCR, in: input, from: max(1, searchFrom)) else {
            if input.count > maxInlineLength { throw .tooBigMultibulkCount }
            searchFrom = input.count
            return false
        }
        if cr > input.count - 2 {  // the byte after '\r' has not arrived
            searchFrom = cr
            return false
        }
        guard let count = string2ll(input, 1, cr), count <= Int64(Int32.max) else {
            throw .invalidMultibulkLength
        }
        if count > 10 && requireAuthLimits { throw .unauthenticatedMultibulk }
        pos = cr + 2
        searchFrom = pos
        if count <= 0 { return true }
        inMultibulk = true
        argsLeft = Int(count)
        bulkLength = -1
        ranges.reserveCapacity(min(argsLeft, Self.maxPreallocatedArgs))
        return true
    }

    /// Reads "$<len>\r\n<data>\r\n" until `argsLeft` is 0. Returns false when
    /// more bytes are needed (progress is kept).
    private mutating func parseBulks(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> Bool {
        let count = input.count
        while argsLeft > 0 {
            if bulkLength < 0 {
                guard let cr = findByte(asciiCR, in: input, from: max(pos, searchFrom)) else {
                    if count - pos > maxInlineLength { throw .tooBigBulkCount }
                    searchFrom = count
                    return false
                }
                if cr > count - 2 {
                    searchFrom = cr
                    return false
                }
                let first = input[pos]
                if first != UInt8(ascii: "$") { throw .expectedDollar(got: first) }
                guard let len = string2ll(input, pos + 1, cr), len >= 0, len <= Int64(maxBulkLength) else {
                    throw .invalidBulkLength
                }
                if len > 16384 && requireAuthLimits { throw .unauthenticatedBulk }
                pos = cr + 2
                bulkLength = Int(len)
            }
            // Data plus the two bytes after it (count - pos - 2 cannot overflow).
            if count - pos - 2 < bulkLength { return false }
            ranges.append(pos..<(pos + bulkLength))
            pos += bulkLength + 2
            bulkLength = -1
            argsLeft -= 1
            searchFrom = pos
        }
        return true
    }

    /// Finds the end of an inline line and splits it. Returns nil when no '\n'
    /// has arrived yet.
    private mutating func parseInline(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> ([Bytes], Int)? {
        guard let lf = findByte(asciiLF, in: input, from: searchFrom) else {
            if input.count > maxInlineLength { throw .tooBigInline }
            searchFrom = input.count
            return nil
        }
        let lineEnd = (lf > 0 && input[lf - 1] == asciiCR) ? lf - 1 : lf
        let args = try splitInlineArguments(UnsafeRawBufferPointer(rebasing: input[0..<lineEnd]))
        return (args, lf + 1)
    }
}
