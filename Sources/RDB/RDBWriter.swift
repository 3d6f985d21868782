// RDBWriter: writes a Redis 7.0-loadable RDB snapshot to a ByteSink.
//
// Usage (the order Redis uses):
//   var w = RDBWriter(sink: MemorySink())
//   try w.writeHeader()                       // "REDIS0010"
//   try w.writeStandardAux(...)               // redis-ver, redis-bits, ctime, ...
//   try w.selectDB(0, keys: n, expires: e)    // SELECTDB + RESIZEDB
//   try w.writeString(key:value:expireAtMs:)  // ... one call per key
//   let sink = try w.finish()                 // EOF + CRC-64, sink.finish()
//
// Values are written in the plain encodings every Redis since 2.x loads
// (Redis 7.0 converts them to its compact encodings on load):
//   string 0, list 1 (RDB_TYPE_LIST), set 2, hash 4, sorted set 5 (ZSET_2,
//   binary doubles). Redis 7.0.15's rdbLoadObject still accepts type 1 and
//   builds a quicklist from it; the interop test checks this against a real
//   redis-server.
//
// Invariants:
// - Collections write their declared `count` first and then stream the
//   elements; if the sequence yields a different number, the writer throws
//   `.invalidArgument` (the output is then unusable, as with any error).
// - Empty collections are not written at all (Redis would skip them on load
//   as "empty keys"); the RESIZEDB hint is only a hint, so this is harmless.
// - Bytes reach the sink in chunks of about 64 KiB; the CRC covers every byte
//   from "REDIS" through the EOF opcode.
// The element loops are @inlinable so Node specialises them for its sink and
// sequences; the encoding itself lives in the non-generic RDBEncoder.

/// Streams a Redis RDB file into a `ByteSink`.
public struct RDBWriter<Sink: ByteSink> {
    @usableFromInline var encoder: RDBEncoder
    @usableFromInline var headerWritten = false
    /// The destination. Readable at any time; returned by `finish()`.
    public private(set) var sink: Sink

    /// Creates a writer. `compress`: LZF-compress strings over 20 bytes when
    /// it helps (Redis's rdbcompression). `checksum`: write the CRC-64
    /// trailer (Redis's rdbchecksum); when false the trailer is 0.
    public init(sink: Sink, compress: Bool = true, checksum: Bool = true) {
        self.sink = sink
        encoder = RDBEncoder(compress: compress, checksum: checksum)
    }

    /// Bytes produced so far (including those not yet flushed to the sink).
    public var bytesWritten: Int { encoder.totalCount }

    /// Writes "REDIS" and the 4-digit version (Redis 7.0 writes 10).
    public mutating func writeHeader(version: Int = 10) throws(RDBError) {
        guard (1 ... RDBFormat.version).contains(version) else {
            throw RDBError(.invalidArgument, offset: bytesWritten, "RDB version \(version) cannot be written (1...\(RDBFormat.version))")
        }
        guard !headerWritten, bytesWritten == 0 else {
            throw RDBError(.invalidArgument, offset: bytesWritten, "RDB header written twice")
        }
        for c in "REDIS".utf8 { encoder.appendByte(c) }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 4)
        var v = version
        var i = 3
        while v > 0, i >= 0 {
            digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
        for d in digits { encoder.appendByte(d) }
        headerWritten = true
    }

    /// Writes an AUX field (both parts string-encoded like Redis, so "64"
    /// becomes an INT8 encoding).
    public mutating func writeAux(_ key: String, _ value: [UInt8]) throws(RDBError) {
        try requireHeader()
        encoder.appendByte(RDBFormat.opAux)
        encoder.appendString(Array(key.utf8))
        encoder.appendString(value)
        try flushIfNeeded()
    }

    /// Writes an AUX field with a text value.
    public mutating func writeAux(_ key: String, _ value: String) throws(RDBError) {
        try writeAux(key, Array(value.utf8))
    }

    /// Writes an AUX field holding an integer, as Redis's
    /// rdbSaveAuxFieldStrInt does (decimal text, integer-encoded when small).
    public mutating func writeAux(_ key: String, int value: Int64) throws(RDBError) {
        try writeAux(key, DecimalText.decimalBytes(value))
    }

    /// Writes the AUX fields Redis 7.0 writes (rdbSaveInfoAuxFields), in its
    /// order: redis-ver, redis-bits, ctime (seconds), used-mem, then
    /// repl-stream-db / repl-id / repl-offset when `replication` is given,
    /// then aof-base.
    public mutating func writeStandardAux(
        redisVersion: String = "7.0.15",
        ctime: Int64,
        usedMemory: Int64,
        replication: (streamDB: Int, replicationID: String, offset: Int64)? = nil,
        aofBase: Bool = false
    ) throws(RDBError) {
        try writeAux("redis-ver", redisVersion)
        try writeAux("redis-bits", int: Int64(Int.bitWidth))
        try writeAux("ctime", int: ctime)
        try writeAux("used-mem", int: usedMemory)
        if let r = replication {
            try writeAux("repl-stream-db", int: Int64(r.streamDB))
            try writeAux("repl-id", r.replicationID)
            try writeAux("repl-offset", int: r.offset)
        }
        try writeAux("aof-base", int: aofBase ? 1 : 0)
    }

    /// Starts database `index`: SELECTDB then the RESIZEDB hint.
    public mutating func selectDB(_ index: Int, keys: Int, expires: Int) throws(RDBError) {
        try requireHeader()
        guard index >= 0, keys >= 0, expires >= 0 else {
            throw RDBError(.invalidArgument, offset: bytesWritten, "negative database index or size")
        }
        encoder.appendByte(RDBFormat.opSelectDB)
        encoder.appendLength(UInt64(index))
        encoder.appendByte(RDBFormat.opResizeDB)
        encoder.appendLength(UInt64(keys))
        encoder.appendLength(UInt64(expires))
        try flushIfNeeded()
    }

    /// Writes a string key (type 0). `expireAtMs`: absolute Unix time in ms.
    @inlinable
    public mutating func writeString(key: [UInt8], value: [UInt8], expireAtMs: Int64?) throws(RDBError) {
        try requireHeader()
        encoder.appendKeyHeader(type: RDBFormat.typeString, key: key, expireAtMs: expireAtMs)
        encoder.appendString(value)
        try flushIfNeeded()
    }

    /// Writes a list key (type 1) of `count` elements, head to tail.
    @inlinable
    public mutating func writeList(key: [UInt8], elements: some Sequence<[UInt8]>, count: Int, expireAtMs: Int64?) throws(RDBError) {
        try writeStringCollection(type: RDBFormat.typeList, key: key, elements: elements, count: count, expireAtMs: expireAtMs)
    }

    /// Writes a set key (type 2) of `count` distinct members.
    @inlinable
    public mutating func writeSet(key: [UInt8], members: some Sequence<[UInt8]>, count: Int, expireAtMs: Int64?) throws(RDBError) {
        try writeStringCollection(type: RDBFormat.typeSet, key: key, elements: members, count: count, expireAtMs: expireAtMs)
    }

    /// Writes a hash key (type 4) of `count` distinct fields.
    @inlinable
    public mutating func writeHash(key: [UInt8], fields: some Sequence<([UInt8], [UInt8])>, count: Int, expireAtMs: Int64?) throws(RDBError) {
        try requireHeader()
        guard count > 0 else { return try checkEmpty(fields, key: key) }
        encoder.appendKeyHeader(type: RDBFormat.typeHash, key: key, expireAtMs: expireAtMs)
        encoder.appendLength(UInt64(count))
        var written = 0
        for (field, value) in fields {
            guard written < count else { throw countMismatch(key: key, declared: count, atLeast: written + 1) }
            encoder.appendString(field)
            encoder.appendString(value)
            written += 1
            try flushIfNeeded()
        }
        guard written == count else { throw countMismatch(key: key, declared: count, atLeast: written) }
    }

    /// Writes a sorted-set key (type 5, ZSET_2: binary double scores) of
    /// `count` distinct members. NaN scores are rejected (Redis cannot load them).
    @inlinable
    public mutating func writeSortedSet(key: [UInt8], entries: some Sequence<([UInt8], Double)>, count: Int, expireAtMs: Int64?) throws(RDBError) {
        try requireHeader()
        guard count > 0 else { return try checkEmpty(entries, key: key) }
        encoder.appendKeyHeader(type: RDBFormat.typeZSet2, key: key, expireAtMs: expireAtMs)
        encoder.appendLength(UInt64(count))
        var written = 0
        for (member, score) in entries {
            guard written < count else { throw countMismatch(key: key, declared: count, atLeast: written + 1) }
            guard !score.isNaN else {
                throw RDBError(.invalidArgument, offset: bytesWritten, "NaN score in sorted set \(printableKey(key))")
            }
            encoder.appendString(member)
            encoder.appendBinaryDouble(score)
            written += 1
            try flushIfNeeded()
        }
        guard written == count else { throw countMismatch(key: key, declared: count, atLeast: written) }
    }

    /// Writes the EOF opcode and the CRC-64 trailer (0 when checksums are
    /// off), flushes, calls `sink.finish()` and returns the sink.
    public mutating func finish() throws(RDBError) -> Sink {
        try requireHeader()
        encoder.appendByte(RDBFormat.opEOF)
        try flush()
        let crc = encoder.checksum ? encoder.crc : 0
        encoder.appendLittleEndian(crc, bytes: 8)
        try flush(includeInCRC: false)
        try sink.finish()
        return sink
    }

    // MARK: Internals

    @inlinable
    mutating func writeStringCollection(type: UInt8, key: [UInt8], elements: some Sequence<[UInt8]>, count: Int, expireAtMs: Int64?) throws(RDBError) {
        try requireHeader()
        guard count > 0 else { return try checkEmpty(elements, key: key) }
        encoder.appendKeyHeader(type: type, key: key, expireAtMs: expireAtMs)
        encoder.appendLength(UInt64(count))
        var written = 0
        for element in elements {
            guard written < count else { throw countMismatch(key: key, declared: count, atLeast: written + 1) }
            encoder.appendString(element)
            written += 1
            try flushIfNeeded()
        }
        guard written == count else { throw countMismatch(key: key, declared: count, atLeast: written) }
    }

    @inlinable
    func checkEmpty(_ s: some Sequence, key: [UInt8]) throws(RDBError) {
        var it = s.makeIterator()
        if it.next() != nil {
            throw RDBError(.invalidArgument, offset: bytesWritten, "count 0 declared for non-empty \(printableKey(key))")
        }
    }

    @inlinable
    func countMismatch(key: [UInt8], declared: Int, atLeast actual: Int) -> RDBError {
        RDBError(.invalidArgument, offset: bytesWritten, "\(printableKey(key)) declared \(declared) elements but the sequence yielded \(actual)\(actual > declared ? " or more" : "")")
    }

    @inlinable
    func requireHeader() throws(RDBError) {
        guard headerWritten else {
            throw RDBError(.invalidArgument, offset: bytesWritten, "writeHeader() must be called first")
        }
    }

    @inlinable
    mutating func flushIfNeeded() throws(RDBError) {
        if encoder.needsFlush { try flush() }
    }

    @usableFromInline
    mutating func flush(includeInCRC: Bool = true) throws(RDBError) {
        var chunk = encoder.takePending(includeInCRC: includeInCRC)
        guard !chunk.isEmpty else {
            encoder.recycle(&chunk)
            return
        }
        try chunk.withUnsafeBufferPointer { (p) throws(RDBError) in
            try sink.write(UnsafeRawBufferPointer(p))
        }
        encoder.recycle(&chunk)
    }
}

extension RDBWriter: Sendable where Sink: Sendable {}
