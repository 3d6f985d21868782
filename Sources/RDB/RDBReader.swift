// RDBReader: streams the records of a Redis RDB file from a ByteSource.
//
// Usage:
//   var r = RDBReader(source: MemorySource(bytes))
//   let version = try r.readHeader()           // optional; next() does it too
//   loop: switch try r.next() { case .entry(...): ...; case .end: stop; ... }
//
// Loads everything Redis 7.0 (RDB version 10) and older write: value types
// 0 string, 1 list, 2 set, 3 zset (text scores), 4 hash, 5 zset (binary
// scores), 9 zipmap hash, 10 ziplist list, 11 intset, 12 ziplist zset,
// 13 ziplist hash, 14 quicklist (ziplist nodes), 16 listpack hash,
// 17 listpack zset, 18 quicklist 2 (PLAIN and PACKED nodes), and 20 listpack
// set (Redis 7.2's; harmless to accept). Refused with `.unsupported`:
// streams (15, 19, 21), module values (6, 7), MODULE_AUX, pre-GA functions,
// versions above 10. FUNCTION2 libraries are returned as `.function` records.
//
// Invariants (the input is untrusted):
// - Every malformation throws RDBError with the offset of the offending item;
//   nothing traps. Compact encodings are validated like Redis's deep
//   integrity checks (Ziplist.swift, Listpack.swift, Intset.swift, Zipmap.swift).
// - No allocation is sized by an unchecked length: lengths over 2^40 are
//   corrupt; lengths beyond the known remaining input are truncation;
//   otherwise strings grow as bytes arrive and collections reserve at most
//   4096 slots up front. LZF output is bounded by 88x its compressed input.
// - The CRC-64 covers every byte from "REDIS" through the EOF opcode and is
//   folded in lazily, chunk by chunk (see RDBReader+Input.swift). A stored
//   checksum of 0 means "not computed" and is accepted, as in Redis.
// - Empty collections are skipped (counted in `emptyKeysSkipped`), as Redis
//   7.0 does when loading ("skipping empty key").

/// Reads a Redis RDB stream record by record.
public struct RDBReader<Source: ByteSource> {
    // Buffer state first (fixed layout even in unspecialised generic code).
    @usableFromInline var buffer: [UInt8]
    /// Next unread byte in `buffer`.
    @usableFromInline var pos = 0
    /// End of valid bytes in `buffer`.
    @usableFromInline var end = 0
    /// Stream offset of `buffer[0]`.
    var bufferBase = 0
    /// `buffer[crcFrom ..< pos]` is consumed but not yet folded into `crc`.
    var crcFrom = 0
    var crc: UInt64 = 0
    let verifyChecksum: Bool
    var state: ReaderState = .start
    /// The RDB version from the header (0 until it is read).
    public private(set) var version = 0
    /// Empty collections met and skipped so far.
    public private(set) var emptyKeysSkipped = 0
    /// The origin of the bytes.
    public internal(set) var source: Source

    /// Bytes read per refill.
    static var chunkSize: Int { 64 * 1024 }

    /// Creates a reader. `verifyChecksum`: compute the CRC-64 and compare it
    /// with the trailer (skipping the computation makes loading faster).
    public init(source: Source, verifyChecksum: Bool = true) {
        self.source = source
        self.verifyChecksum = verifyChecksum
        buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    /// Bytes consumed from the stream so far.
    public var bytesRead: Int { bufferBase + pos }

    /// Reads and checks "REDIS" + 4-digit version; returns the version.
    /// Versions 1...10 are accepted. Idempotent.
    public mutating func readHeader() throws(RDBError) -> Int {
        guard state == .start else { return version }
        try fill(9)
        let signature = Array("REDIS".utf8)
        guard Array(buffer[pos ..< pos + 5]) == signature else {
            throw RDBError(.corrupt, offset: 0, "Wrong signature trying to load DB from file")
        }
        var v = 0
        for i in 5 ..< 9 {
            let c = buffer[pos + i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else {
                throw RDBError(.corrupt, offset: 5, "Invalid RDB version field")
            }
            v = v * 10 + Int(c - UInt8(ascii: "0"))
        }
        guard v >= 1, v <= RDBFormat.version else {
            throw RDBError(.unsupported, offset: 5, "Can't handle RDB format version \(v)")
        }
        pos += 9
        version = v
        state = .body
        return v
    }

    /// The next record. After `.end` (EOF opcode and checksum verified),
    /// keeps returning `.end`.
    @_specialize(exported: true, where Source == MemorySource)
    @_specialize(exported: true, where Source == FileDescriptorSource)
    public mutating func next() throws(RDBError) -> RDBRecord {
        switch state {
        case .start: _ = try readHeader()
        case .body: break
        case .ended: return .end
        }
        var expireAtMs: Int64?
        var lruIdle: Int?
        var lfuFreq: Int?
        while true {
            let at = bytesRead
            let type = try readByte()
            switch type {
            case RDBFormat.opExpireTimeMs:
                expireAtMs = Int64(bitPattern: try readLittleEndian(8))
            case RDBFormat.opExpireTime:
                expireAtMs = Int64(Int32(truncatingIfNeeded: try readLittleEndian(4))) * 1000
            case RDBFormat.opIdle:
                lruIdle = Int(try readLength("LRU idle time"))
            case RDBFormat.opFreq:
                lfuFreq = Int(try readByte())
            case RDBFormat.opAux:
                let key = try readString()
                let value = try readString()
                return .aux(key: String(decoding: key, as: UTF8.self), value: value)
            case RDBFormat.opResizeDB:
                let keys = try readLength("RESIZEDB key count")
                let expires = try readLength("RESIZEDB expire count")
                return .resizeDB(keys: Int(keys), expires: Int(expires))
            case RDBFormat.opSelectDB:
                return .selectDB(Int(try readLength("database number")))
            case RDBFormat.opFunction2:
                return .function(code: try readString())
            case RDBFormat.opFunctionPreGA:
                throw RDBError(.unsupported, offset: at, "Pre-release function format not supported (RDB written by a Redis 7.0 release candidate)")
            case RDBFormat.opModuleAux:
                throw RDBError(.unsupported, offset: at, "Module auxiliary data is not supported (the RDB was written by a Redis with modules loaded)")
            case RDBFormat.opEOF:
                try readTrailer()
                state = .ended
                return .end
            default:
                guard Self.isObjectType(type) else {
                    throw RDBError(.corrupt, offset: at, "Unknown RDB type \(type)")
                }
                let key = try readString()
                guard let value = try readValue(type: type, at: at, key: key) else {
                    emptyKeysSkipped += 1
                    expireAtMs = nil
                    lruIdle = nil
                    lfuFreq = nil
                    continue
                }
                return .entry(key: key, value: value, expireAtMs: expireAtMs, lruIdle: lruIdle, lfuFreq: lfuFreq)
            }
        }
    }

    /// Value type bytes Redis defines (loaded or deliberately refused).
    static func isObjectType(_ t: UInt8) -> Bool {
        t <= 7 || (t >= 9 && t <= 21)
    }

    /// After EOF: the 8-byte little-endian CRC-64 (version >= 5).
    private mutating func readTrailer() throws(RDBError) {
        guard version >= 5 else { return }
        foldCRC()
        let computed = crc
        let at = bytesRead
        let stored = try readLittleEndian(8)
        if verifyChecksum, stored != 0, stored != computed {
            throw RDBError(.checksumMismatch, offset: at, "Wrong RDB checksum expected 0x\(hex16(stored)) got 0x\(hex16(computed))")
        }
    }
}

extension RDBReader: Sendable where Source: Sendable {}

/// Where a reader is in the stream.
enum ReaderState: Sendable {
    case start, body, ended
}

/// 16 lowercase hex digits.
func hex16(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 16 - s.count)) + s
}
