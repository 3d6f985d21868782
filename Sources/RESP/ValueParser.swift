// ValueParser.swift — the client-side incremental parser for RESP2 + RESP3
// replies (vigil-cli, replica -> master links, sentinels).
//
// How it works: FrameScanner first confirms (resumably, O(frame)) that a
// whole, valid frame is buffered; only then is it decoded, in one pass, into
// a RESPValue. So the parser commits only complete frames, and a frame split
// into many reads is not re-decoded each time.
//
// Invariants: the caller passes its unconsumed bytes starting at a frame
// boundary, the same prefix again until a frame is returned; the partial
// progress is cleared when a frame is returned or an error thrown. Nesting is
// limited to `maxDepth` aggregates; preallocation from a declared count is
// capped at 1024 elements; blobs longer than `maxBulkLength` are rejected.

/// Incremental RESP2/RESP3 reply parser.
public struct ValueParser: Sendable {
    /// Longest accepted blob ("$", "!", "=") and line.
    public var maxBulkLength: Int
    /// Deepest accepted nesting of aggregates (a top-level array is depth 1).
    public var maxDepth: Int

    private var scanner = FrameScanner()

    /// Creates a parser.
    public init(maxBulkLength: Int = 512 * 1024 * 1024, maxDepth: Int = 64) {
        self.maxBulkLength = maxBulkLength
        self.maxDepth = maxDepth
    }

    /// Parses the next complete value from `input`. Returns nil when more bytes
    /// are needed, else the value and how many bytes it took.
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(ProtocolError) -> (value: RESPValue, consumed: Int)? {
        if scanner.pos > input.count { scanner.reset() }
        let limits = RESPLimits(maxBulkLength: maxBulkLength, maxDepth: maxDepth)
        do {
            guard let end = try scanner.scan(input, limits: limits) else { return nil }
            let frame = UnsafeRawBufferPointer(rebasing: input[0..<end])
            var pos = 0
            let value = try decodeValue(frame, at: &pos, limits: limits)
            scanner.reset()
            return (value, end)
        } catch {
            scanner.reset()
            throw error
        }
    }

    /// Parses the next complete value from a byte array (convenience for tests and tools).
    public mutating func next(_ input: Bytes) throws(ProtocolError) -> (value: RESPValue, consumed: Int)? {
        let result = input.withUnsafeBytes { buf in
            Result { () throws(ProtocolError) in try next(buf) }
        }
        return try result.get()
    }

    /// Forgets any partially received frame.
    public mutating func reset() { scanner.reset() }
}

/// Decodes the element at `pos` of an already scanned frame and advances `pos`.
private func decodeValue(_ buf: UnsafeRawBufferPointer, at pos: inout Int,
                         limits: RESPLimits) throws(ProtocolError) -> RESPValue {
    var searchFrom = 0
    guard let h = try readHeader(buf, at: pos, searchFrom: &searchFrom, limits: limits) else {
        throw .truncatedFrame
    }
    pos = h.next
    let line = UnsafeRawBufferPointer(rebasing: buf[(h.start + 1)..<h.lineEnd])
    let payload = h.length > 0 ? UnsafeRawBufferPointer(rebasing: buf[(h.lineEnd + 2)..<(h.lineEnd + 2 + h.length)])
                               : UnsafeRawBufferPointer(rebasing: buf[0..<0])

    func text(_ b: UnsafeRawBufferPointer) -> String { String(decoding: b, as: UTF8.self) }
    func elements() throws(ProtocolError) -> [RESPValue] {
        var out: [RESPValue] = []
        out.reserveCapacity(min(h.length, 1024))
        for _ in 0..<h.length { out.append(try decodeValue(buf, at: &pos, limits: limits)) }
        return out
    }
    func pairs() throws(ProtocolError) -> [RESPPair] {
        var out: [RESPPair] = []
        out.reserveCapacity(min(h.length, 1024))
        for _ in 0..<h.length {
            let k = try decodeValue(buf, at: &pos, limits: limits)
            let v = try decodeValue(buf, at: &pos, limits: limits)
            out.append(RESPPair(k, v))
        }
        return out
    }

    switch h.type {
    case UInt8(ascii: "+"):
        return .simple(text(line))
    case UInt8(ascii: "-"):
        return .error(text(line))
    case UInt8(ascii: ":"):
        guard let i = parseInt64(line) else { throw .invalidInteger }
        return .integer(i)
    case UInt8(ascii: ","):
        guard let d = parseRESP3Double(line) else { throw .invalidDouble }
        return .double(d)
    case UInt8(ascii: "#"):
        return .bool(line.first == UInt8(ascii: "t"))
    case UInt8(ascii: "_"):
        return .null
    case UInt8(ascii: "("):
        return .bigNumber(text(line))
    case UInt8(ascii: "$"):
        return h.length < 0 ? .null : .bulk(copyBytes(payload, 0..<payload.count))
    case UInt8(ascii: "!"):
        return .error(text(payload))
    case UInt8(ascii: "="):
        guard payload.count >= 4 else { throw .invalidVerbatim }
        return .verbatim(format: text(UnsafeRawBufferPointer(rebasing: payload[0..<3])),
                         text: copyBytes(payload, 4..<payload.count))
    case UInt8(ascii: "*"):
        return h.length < 0 ? .null : .array(try elements())
    case UInt8(ascii: "~"):
        return .set(try elements())
    case UInt8(ascii: ">"):
        return .push(try elements())
    case UInt8(ascii: "%"):
        return .map(try pairs())
    case UInt8(ascii: "|"):
        let attrs = try pairs()
        return .attribute(attrs, try decodeValue(buf, at: &pos, limits: limits))
    default:
        throw .unexpectedType(h.type)
    }
}
