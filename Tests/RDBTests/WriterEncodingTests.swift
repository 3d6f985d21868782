// RDBWriter byte-level rules: header, string encodings exactly as Redis's
// rdbSaveRawString chooses them, length encodings, expiry opcode placement,
// the CRC trailer, and misuse errors.

import Testing
@testable import RDB

@Suite struct WriterEncodingTests {
    /// The bytes a single string value encodes to (via a string key's value).
    static func encodedValue(_ value: [UInt8], compress: Bool = true) throws -> [UInt8] {
        var w = RDBWriter(sink: MemorySink(), compress: compress)
        try w.writeHeader()
        let before = w.bytesWritten
        try w.writeString(key: b("k"), value: value, expireAtMs: nil)
        let all = try w.finish().bytes
        // Skip type byte 0 and key "k" (2 bytes); drop EOF + CRC.
        return Array(all[(before + 3) ..< (all.count - 9)])
    }

    @Test func headerIsREDIS0010() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        let bytes = try w.finish().bytes
        #expect(Array(bytes[0 ..< 9]) == b("REDIS0010"))
        #expect(bytes[9] == 0xFF)
        #expect(bytes.count == 18)
    }

    @Test(arguments: [
        ("0", [UInt8]([0xC0, 0x00])),
        ("-1", [0xC0, 0xFF]),
        ("127", [0xC0, 0x7F]),
        ("-128", [0xC0, 0x80]),
        ("128", [0xC1, 0x80, 0x00]),
        ("-32768", [0xC1, 0x00, 0x80]),
        ("32768", [0xC2, 0x00, 0x80, 0x00, 0x00]),
        ("2147483647", [0xC2, 0xFF, 0xFF, 0xFF, 0x7F]),
        ("-2147483648", [0xC2, 0x00, 0x00, 0x00, 0x80]),
    ])
    func canonicalIntegersUseTheSmallestIntEncoding(_ text: String, _ expected: [UInt8]) throws {
        #expect(try Self.encodedValue(b(text)) == expected)
    }

    @Test(arguments: ["2147483648", "-2147483649", "007", "-0", "+5", " 5", "5 ", "1e3", "", "12345678901"])
    func nonCanonicalOrOutOfRangeIntegersStayRawStrings(_ text: String) throws {
        #expect(try Self.encodedValue(b(text)) == [UInt8(text.utf8.count)] + b(text))
    }

    @Test func lengthsUse6And14And32BitForms() throws {
        let v63 = [UInt8](repeating: 0x41, count: 63)
        let v64 = [UInt8](repeating: 0x42, count: 64)
        let v16384 = (0 ..< 16384).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) }
        #expect(Array(try Self.encodedValue(v63, compress: false).prefix(1)) == [63])
        #expect(Array(try Self.encodedValue(v64, compress: false).prefix(2)) == [0x40, 64])
        #expect(Array(try Self.encodedValue(v16384, compress: false).prefix(5)) == [0x80, 0x00, 0x00, 0x40, 0x00])
    }

    @Test func compressibleStringsOver20BytesAreLZFEncoded() throws {
        let value = [UInt8](repeating: 0x61, count: 50)
        let enc = try Self.encodedValue(value)
        #expect(enc[0] == 0xC3)
        // compressed length, then the original length 50.
        let clen = Int(enc[1])
        #expect(enc[2] == 50)
        #expect(enc.count == 3 + clen)
        #expect(LZF.decompress(Array(enc[3...]), outputLength: 50) == value)
    }

    @Test func twentyByteStringsAreNeverCompressed() throws {
        let value = [UInt8](repeating: 0x61, count: 20)
        #expect(try Self.encodedValue(value) == [20] + value)
    }

    @Test func compressionOffWritesRawStrings() throws {
        let value = [UInt8](repeating: 0x61, count: 50)
        #expect(try Self.encodedValue(value, compress: false) == [50] + value)
    }

    @Test func incompressibleStringsAreWrittenRaw() throws {
        var rng = SplitMix64(seed: 5)
        let value = (0 ..< 40).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        #expect(try Self.encodedValue(value) == [40] + value)
    }

    @Test func expiryOpcodePrecedesTheTypeByteInLittleEndianMilliseconds() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeString(key: b("k"), value: b("v"), expireAtMs: 0x0102_0304_0506_0708)
        let bytes = try w.finish().bytes
        #expect(Array(bytes[9 ..< 23]) == [0xFC, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x01, 0x6B, 0x01, 0x76])
    }

    @Test func selectDBWritesSelectThenResizeHint() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.selectDB(3, keys: 100, expires: 2)
        let bytes = try w.finish().bytes
        #expect(Array(bytes[9 ..< 15]) == [0xFE, 0x03, 0xFB, 0x40, 100, 0x02])
    }

    @Test func auxIntegersAreIntegerEncodedStrings() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeAux("redis-bits", int: 64)
        let bytes = try w.finish().bytes
        #expect(Array(bytes[9 ..< 23]) == [0xFA, 10] + b("redis-bits") + [0xC0, 64])
    }

    @Test func trailerIsTheLittleEndianCRCOfEverythingThroughEOF() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeString(key: b("a"), value: b("b"), expireAtMs: nil)
        let bytes = try w.finish().bytes
        let crc = CRC64.checksum(Array(bytes[..<(bytes.count - 8)]))
        #expect(Array(bytes.suffix(8)) == le(crc, 8))
    }

    @Test func checksumOffWritesZeroTrailer() throws {
        var w = RDBWriter(sink: MemorySink(), checksum: false)
        try w.writeHeader()
        try w.writeString(key: b("a"), value: b("b"), expireAtMs: nil)
        #expect(Array(try w.finish().bytes.suffix(8)) == [0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func sortedSetScoresAreBinaryLittleEndianDoubles() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeSortedSet(key: b("z"), entries: [(b("m"), 1.5)], count: 1, expireAtMs: nil)
        let bytes = try w.finish().bytes
        #expect(Array(bytes[9 ..< 22]) == [0x05, 0x01, 0x7A, 0x01, 0x01, 0x6D] + le(1.5.bitPattern, 8).prefix(7))
    }

    @Test func writingBeforeTheHeaderIsRejected() {
        var w = RDBWriter(sink: MemorySink())
        #expect(throws: RDBError.self) { try w.writeString(key: b("k"), value: b("v"), expireAtMs: nil) }
    }

    @Test func declaredCountMustMatchTheElements() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        #expect { try w.writeList(key: b("l"), elements: [b("a")], count: 2, expireAtMs: nil) } throws: {
            ($0 as? RDBError)?.kind == .invalidArgument
        }
        var w2 = RDBWriter(sink: MemorySink())
        try w2.writeHeader()
        #expect { try w2.writeSet(key: b("s"), members: [b("a"), b("b")], count: 1, expireAtMs: nil) } throws: {
            ($0 as? RDBError)?.kind == .invalidArgument
        }
    }

    @Test func nanScoresAreRejected() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        #expect(throws: RDBError.self) {
            try w.writeSortedSet(key: b("z"), entries: [(b("m"), Double.nan)], count: 1, expireAtMs: nil)
        }
    }

    @Test func emptyCollectionsAreNotWritten() throws {
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeList(key: b("l"), elements: [[UInt8]](), count: 0, expireAtMs: 5)
        try w.writeHash(key: b("h"), fields: [([UInt8], [UInt8])](), count: 0, expireAtMs: nil)
        #expect(try w.finish().bytes.count == 18)
    }

    @Test func versionOutsideOneToTenIsRejected() {
        var w = RDBWriter(sink: MemorySink())
        #expect(throws: RDBError.self) { try w.writeHeader(version: 11) }
    }
}
