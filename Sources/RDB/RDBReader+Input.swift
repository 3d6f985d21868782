// RDBReader input layer: the chunk buffer, the lazy CRC, and the primitive
// fields of the format (lengths, strings, doubles).
//
// Buffer invariants:
//   0 <= crcFrom <= pos <= end <= buffer.count
//   buffer[crcFrom ..< pos]  consumed, not yet in `crc`
//   buffer[pos ..< end]      read from the source, not yet consumed
// `fill` folds the consumed bytes into the CRC before compacting, so the CRC
// sees every consumed byte exactly once and in order.

extension RDBReader {
    /// Folds consumed bytes into the CRC.
    mutating func foldCRC() {
        guard verifyChecksum, pos > crcFrom else { return }
        let from = crcFrom, to = pos
        crc = buffer.withUnsafeBytes { CRC64.update(crc, UnsafeRawBufferPointer(rebasing: $0[from ..< to])) }
        crcFrom = pos
    }

    /// Ensures at least `n` (<= chunk size) unread bytes are buffered.
    mutating func fill(_ n: Int) throws(RDBError) {
        if end - pos >= n { return }
        foldCRC()
        if pos > 0 {
            let live = end - pos
            if live > 0 {
                let from = pos
                buffer.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    base.copyMemory(from: base + from, byteCount: live)
                }
            }
            bufferBase += pos
            end = live
            pos = 0
            crcFrom = 0
        }
        // Read into a moved-out buffer so the source can be mutated meanwhile.
        var chunk: [UInt8] = []
        swap(&chunk, &buffer)
        defer { swap(&chunk, &buffer) }
        while end < n {
            let start = end
            let space = chunk.count - start
            let got = try chunk.withUnsafeMutableBufferPointer { (p) throws(RDBError) -> Int in
                try source.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: p[start...])))
            }
            guard got >= 0, got <= space else {
                throw RDBError(.io, offset: bufferBase + end, "Byte source returned an invalid count \(got)")
            }
            if got == 0 {
                throw RDBError(.truncated, offset: bufferBase + end, "Unexpected end of RDB data (truncated file?)")
            }
            end += got
        }
    }

    /// Unread bytes left in the whole input, if the source knows.
    var remainingInput: Int? {
        guard let r = source.remainingBytes else { return nil }
        return r + (end - pos)
    }

    @inline(__always)
    mutating func readByte() throws(RDBError) -> UInt8 {
        if pos == end { try fill(1) }
        let b = buffer[pos]
        pos += 1
        return b
    }

    /// Unsigned little-endian integer of `count` (1...8) bytes.
    mutating func readLittleEndian(_ count: Int) throws(RDBError) -> UInt64 {
        try fill(count)
        var v: UInt64 = 0
        for i in 0 ..< count { v |= UInt64(buffer[pos + i]) << UInt64(8 * i) }
        pos += count
        return v
    }

    /// Unsigned big-endian integer of `count` (1...8) bytes.
    mutating func readBigEndian(_ count: Int) throws(RDBError) -> UInt64 {
        try fill(count)
        var v: UInt64 = 0
        for i in 0 ..< count { v = v << 8 | UInt64(buffer[pos + i]) }
        pos += count
        return v
    }

    /// Exactly `count` bytes (already validated by `checkedLength`).
    mutating func readBytes(_ count: Int) throws(RDBError) -> [UInt8] {
        if count <= end - pos {
            let out = Array(buffer[pos ..< pos + count])
            pos += count
            return out
        }
        // With a known input size, `count` was checked against it: reserve it
        // all. Otherwise grow as bytes arrive, so a lying length can cost at
        // most about twice the input actually present.
        var out: [UInt8] = []
        out.reserveCapacity(remainingInput != nil ? count : min(count, 1 << 20))
        var need = count
        while need > 0 {
            if pos == end { try fill(1) }
            let take = min(need, end - pos)
            out.append(contentsOf: buffer[pos ..< pos + take])
            pos += take
            need -= take
        }
        return out
    }

    /// Validates a length or count read at `at`: not absurd, and not more
    /// than the input still holds (each counted item takes >= 1 byte).
    mutating func checkedLength(_ v: UInt64, at: Int, _ what: String) throws(RDBError) -> Int {
        guard v <= RDBFormat.absurdLength else {
            throw RDBError(.corrupt, offset: at, "Impossible \(what) \(v)")
        }
        let n = Int(v)
        if let r = remainingInput, n > r {
            throw RDBError(.truncated, offset: at, "\(what.prefix(1).uppercased() + what.dropFirst()) \(n) exceeds the \(r) bytes left (truncated file?)")
        }
        return n
    }

    /// rdbLoadLen: a length or, when the top bits are 11, a string encoding.
    mutating func readLengthField() throws(RDBError) -> (value: UInt64, encoded: Bool) {
        let at = bytesRead
        let b = try readByte()
        switch b >> 6 {
        case 0:
            return (UInt64(b & 0x3f), false)
        case 1:
            let low = try readByte()
            return (UInt64(b & 0x3f) << 8 | UInt64(low), false)
        case 2:
            if b == 0x80 { return (try readBigEndian(4), false) }
            if b == 0x81 { return (try readBigEndian(8), false) }
            throw RDBError(.corrupt, offset: at, "Unknown length encoding \(b)")
        default:
            return (UInt64(b & 0x3f), true)
        }
    }

    /// A plain length (not a string encoding), at most 2^40.
    mutating func readLength(_ what: String) throws(RDBError) -> UInt64 {
        let at = bytesRead
        let (v, encoded) = try readLengthField()
        guard !encoded else {
            throw RDBError(.corrupt, offset: at, "Unexpected string encoding where a \(what) was expected")
        }
        guard v <= RDBFormat.absurdLength else {
            throw RDBError(.corrupt, offset: at, "Impossible \(what) \(v)")
        }
        return v
    }

    /// A count of items that follow, checked against the remaining input.
    mutating func readCount(_ what: String) throws(RDBError) -> Int {
        let at = bytesRead
        let v = try readLength(what)
        return try checkedLength(v, at: at, what)
    }

    /// rdbGenericLoadStringObject: raw, INT8/16/32 or LZF.
    mutating func readString() throws(RDBError) -> [UInt8] {
        let at = bytesRead
        let (v, encoded) = try readLengthField()
        guard encoded else {
            return try readBytes(try checkedLength(v, at: at, "string length"))
        }
        switch v {
        case RDBFormat.encInt8:
            return DecimalText.decimalBytes(Int64(Int8(truncatingIfNeeded: try readByte())))
        case RDBFormat.encInt16:
            return DecimalText.decimalBytes(Int64(Int16(truncatingIfNeeded: try readLittleEndian(2))))
        case RDBFormat.encInt32:
            return DecimalText.decimalBytes(Int64(Int32(truncatingIfNeeded: try readLittleEndian(4))))
        case RDBFormat.encLZF:
            let compressedLength = try readCount("LZF compressed length")
            let lengthAt = bytesRead
            let length = try readLength("LZF uncompressed length")
            // One 3-byte back reference expands to at most 264 bytes.
            guard length <= UInt64(compressedLength) * 88 else {
                throw RDBError(.corrupt, offset: lengthAt, "LZF uncompressed length \(length) impossible for \(compressedLength) compressed bytes")
            }
            let compressed = try readBytes(compressedLength)
            guard let out = LZF.decompress(compressed, outputLength: Int(length)) else {
                throw RDBError(.corrupt, offset: at, "Invalid LZF compressed string")
            }
            return out
        default:
            throw RDBError(.corrupt, offset: at, "Unknown RDB string encoding type \(v)")
        }
    }

    /// rdbLoadDoubleValue (old ZSET type 3): length byte, then text;
    /// 253 = NaN, 254 = +inf, 255 = -inf.
    mutating func readTextDouble() throws(RDBError) -> Double {
        let at = bytesRead
        let len = try readByte()
        switch len {
        case 255: return -.infinity
        case 254: return .infinity
        case 253: return .nan
        default:
            let text = try readBytes(Int(len))
            guard let d = DecimalText.parseScore(text[...]) else {
                throw RDBError(.corrupt, offset: at, "Invalid double value")
            }
            return d
        }
    }

    /// rdbLoadBinaryDoubleValue: 8 bytes little-endian IEEE 754.
    mutating func readBinaryDouble() throws(RDBError) -> Double {
        Double(bitPattern: try readLittleEndian(8))
    }
}
