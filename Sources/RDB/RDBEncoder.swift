// RDBEncoder: the non-generic heart of RDBWriter — encodes into a pending
// byte buffer and keeps the running CRC.
//
// Invariants:
// - `pending` holds encoded bytes not yet handed to the sink and not yet
//   folded into `crc`; `takePending` folds them (when checksumming) and
//   empties the buffer, so every byte is checksummed exactly once, in order.
// - Strings are encoded exactly like Redis's rdbSaveRawString: canonical
//   32-bit integers as INT8/16/32; else, when compression is on and the
//   string is longer than 20 bytes, LZF if the result is at most len - 4
//   bytes; else length-prefixed raw bytes.
// Being non-generic, all of this is compiled and optimised once here, whatever
// sink the writer is specialised for.

@usableFromInline
struct RDBEncoder: Sendable {
    /// Encoded bytes waiting to go to the sink.
    @usableFromInline var pending: [UInt8]
    /// CRC-64 of everything already taken from `pending`.
    @usableFromInline var crc: UInt64 = 0
    /// Bytes already taken from `pending` (i.e. handed to the sink).
    @usableFromInline var flushedCount: Int = 0
    @usableFromInline let compress: Bool
    @usableFromInline let checksum: Bool
    private var lzf = LZFCompressor()
    private var scratch: [UInt8] = []

    /// Pending bytes beyond which the writer flushes to the sink.
    @usableFromInline static let flushThreshold = 64 * 1024

    @usableFromInline
    init(compress: Bool, checksum: Bool) {
        self.compress = compress
        self.checksum = checksum
        pending = []
        pending.reserveCapacity(RDBEncoder.flushThreshold + 1024)
    }

    /// Total bytes encoded so far (flushed + pending).
    @usableFromInline var totalCount: Int { flushedCount + pending.count }

    /// Whether the writer should flush now.
    @usableFromInline var needsFlush: Bool { pending.count >= RDBEncoder.flushThreshold }

    /// Removes and returns the pending bytes, folding them into the CRC
    /// first when `includeInCRC` (and checksumming). Give the array back with
    /// `recycle` to reuse its capacity.
    @usableFromInline
    mutating func takePending(includeInCRC: Bool) -> [UInt8] {
        if includeInCRC, checksum, !pending.isEmpty {
            crc = pending.withUnsafeBytes { CRC64.update(crc, $0) }
        }
        flushedCount += pending.count
        var taken: [UInt8] = []
        swap(&taken, &pending)
        return taken
    }

    /// Reuses the storage of a buffer returned by `takePending`, unless a
    /// huge value made it grow (then a fresh 64 KiB buffer is used).
    @usableFromInline
    mutating func recycle(_ buffer: inout [UInt8]) {
        guard pending.isEmpty else { return }
        if buffer.capacity > 4 * RDBEncoder.flushThreshold {
            pending.reserveCapacity(RDBEncoder.flushThreshold + 1024)
        } else {
            buffer.removeAll(keepingCapacity: true)
            swap(&buffer, &pending)
        }
    }

    // MARK: Primitives

    @usableFromInline
    mutating func appendByte(_ b: UInt8) {
        pending.append(b)
    }

    /// rdbSaveLen: 6/14/32/64-bit length.
    @usableFromInline
    mutating func appendLength(_ len: UInt64) {
        if len < 1 << 6 {
            pending.append(UInt8(len))
        } else if len < 1 << 14 {
            pending.append(0x40 | UInt8(len >> 8))
            pending.append(UInt8(len & 0xff))
        } else if len <= UInt64(UInt32.max) {
            pending.append(0x80)
            appendBigEndian(len, bytes: 4)
        } else {
            pending.append(0x81)
            appendBigEndian(len, bytes: 8)
        }
    }

    @usableFromInline
    mutating func appendBigEndian(_ v: UInt64, bytes: Int) {
        var shift = (bytes - 1) * 8
        while shift >= 0 {
            pending.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            shift -= 8
        }
    }

    @usableFromInline
    mutating func appendLittleEndian(_ v: UInt64, bytes: Int) {
        for i in 0 ..< bytes {
            pending.append(UInt8(truncatingIfNeeded: v >> UInt64(i * 8)))
        }
    }

    /// 8-byte little-endian IEEE 754 double (ZSET_2 scores).
    @usableFromInline
    mutating func appendBinaryDouble(_ d: Double) {
        appendLittleEndian(d.bitPattern, bytes: 8)
    }

    /// An EXPIRETIME_MS opcode with its 8-byte little-endian time.
    @usableFromInline
    mutating func appendExpireMs(_ ms: Int64) {
        pending.append(RDBFormat.opExpireTimeMs)
        appendLittleEndian(UInt64(bitPattern: ms), bytes: 8)
    }

    /// [EXPIRETIME_MS t] TYPE key — the start of every key/value pair.
    @usableFromInline
    mutating func appendKeyHeader(type: UInt8, key: [UInt8], expireAtMs: Int64?) {
        if let t = expireAtMs { appendExpireMs(t) }
        pending.append(type)
        appendString(key)
    }

    // MARK: Strings

    @usableFromInline
    mutating func appendString(_ s: [UInt8]) {
        s.withUnsafeBytes { appendString($0) }
    }

    /// rdbSaveRawString.
    @usableFromInline
    mutating func appendString(_ s: UnsafeRawBufferPointer) {
        let len = s.count
        if len <= 11, let v = DecimalText.canonicalInt32(s) {
            appendInteger(v)
            return
        }
        if compress, len > 20, appendLZF(s) { return }
        appendLength(UInt64(len))
        pending.append(contentsOf: s)
    }

    /// INT8/16/32 string encoding of a value known to fit in 32 bits.
    @usableFromInline
    mutating func appendInteger(_ v: Int32) {
        if v >= -(1 << 7), v <= (1 << 7) - 1 {
            pending.append(0xC0 | UInt8(RDBFormat.encInt8))
            pending.append(UInt8(truncatingIfNeeded: v))
        } else if v >= -(1 << 15), v <= (1 << 15) - 1 {
            pending.append(0xC0 | UInt8(RDBFormat.encInt16))
            appendLittleEndian(UInt64(UInt32(bitPattern: v)), bytes: 2)
        } else {
            pending.append(0xC0 | UInt8(RDBFormat.encInt32))
            appendLittleEndian(UInt64(UInt32(bitPattern: v)), bytes: 4)
        }
    }

    /// rdbSaveLzfStringObject: only if the compressed form fits in len - 4.
    private mutating func appendLZF(_ s: UnsafeRawBufferPointer) -> Bool {
        let limit = s.count - 4
        guard let clen = lzf.compress(s, limit: limit, into: &scratch) else {
            LZFCompressor.trim(&scratch, above: 1 << 20)
            return false
        }
        pending.append(0xC0 | UInt8(RDBFormat.encLZF))
        appendLength(UInt64(clen))
        appendLength(UInt64(s.count))
        pending.append(contentsOf: scratch[0 ..< clen])
        LZFCompressor.trim(&scratch, above: 1 << 20)
        return true
    }
}
