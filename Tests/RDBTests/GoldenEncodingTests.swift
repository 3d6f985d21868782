// Golden, hand-built files for every encoding the reader must accept:
// plain types 0-5, zipmap 9, ziplist 10/12/13, intset 11, quicklist 14,
// listpack 16/17/20, quicklist 2 (18) with PLAIN and PACKED nodes, the
// expiry/IDLE/FREQ/AUX/RESIZEDB/FUNCTION2 opcodes and integer/LZF strings.
// Blobs come from the test-side encoders in PackedEncoders.swift.

import Testing
@testable import RDB

@Suite struct GoldenEncodingTests {
    /// Reads a one-key file and returns that key's value.
    static func single(_ build: (inout RDBBuilder) -> Void) throws -> RDBValue? {
        var f = RDBBuilder()
        build(&f)
        return entries(try readAll(f.finish())).first?.value
    }

    static let mixedItems: [PackedItem] = [
        .str(b("a")), .int(0), .int(12), .int(13), .int(-1), .int(127), .int(128), .int(-4096), .int(4095),
        .int(-32768), .int(32767), .int(40000), .int(-8_388_608), .int(8_388_607), .int(8_388_608),
        .int(Int64(Int32.min)), .int(Int64(Int32.max)), .int(Int64.min), .int(Int64.max),
        .str([UInt8](repeating: 0x62, count: 63)), .str([UInt8](repeating: 0x63, count: 64)),
        .str([UInt8](repeating: 0x64, count: 300)), .str([UInt8](repeating: 0x65, count: 5000)),
        .str([UInt8](repeating: 0x66, count: 17000)), .str([]),
    ]

    static func text(_ item: PackedItem) -> [UInt8] {
        switch item {
        case .str(let s): return s
        case .int(let v): return b(String(v))
        }
    }

    @Test func stringTypeWithRawIntAndLZFEncodings() throws {
        var f = RDBBuilder()
        f.key(0, "raw"); f.string("hello")
        f.key(0, "i8"); f.bytes += [0xC0, 0xF9]
        f.key(0, "i16"); f.bytes += [0xC1, 0x39, 0x30]
        f.key(0, "i32"); f.bytes += [0xC2, 0x15, 0xCD, 0x5B, 0x07]
        f.key(0, "lzf"); f.bytes += [0xC3, 0x05, 0x0A, 0x00, 0x61, 0xE0, 0x00, 0x00]
        f.key(0, "big"); f.length(70000); f.bytes += [UInt8](repeating: 0x7A, count: 70000)
        let e = entries(try readAll(f.finish()))
        #expect(e.map(\.value) == [.string(b("hello")), .string(b("-7")), .string(b("12345")), .string(b("123456789")),
                                   .string(b("aaaaaaaaaa")), .string([UInt8](repeating: 0x7A, count: 70000))])
    }

    @Test func plainListSetHashAndBothZsetTypes() throws {
        var f = RDBBuilder()
        f.key(1, "list"); f.length(3); f.string("x"); f.string("y"); f.bytes += [0xC0, 0x05]
        f.key(2, "set"); f.length(2); f.string("m1"); f.string("m2")
        f.key(4, "hash"); f.length(2); f.string("f1"); f.string("v1"); f.string("f2"); f.string("v2")
        f.key(3, "zset"); f.length(4)
        f.string("a"); f.bytes += [3] + b("1.5")
        f.string("b"); f.bytes += [254]
        f.string("c"); f.bytes += [255]
        f.string("d"); f.bytes += [5] + b("-1e10")
        f.key(5, "zset2"); f.length(1); f.string("m"); f.littleEndian((-3.25).bitPattern, 8)
        let e = entries(try readAll(f.finish()))
        #expect(e.map(\.value) == [
            .list([b("x"), b("y"), b("5")]),
            .set([b("m1"), b("m2")]),
            .hash([(b("f1"), b("v1")), (b("f2"), b("v2"))]),
            .sortedSet([(b("a"), 1.5), (b("b"), .infinity), (b("c"), -.infinity), (b("d"), -1e10)]),
            .sortedSet([(b("m"), -3.25)]),
        ])
    }

    @Test func ziplistListDecodesEveryEntryEncoding() throws {
        let value = try Self.single { f in f.key(10, "zl"); f.string(TestZiplist.encode(Self.mixedItems)) }
        #expect(value == .list(Self.mixedItems.map(Self.text)))
    }

    @Test func listpackListNodesDecodeEveryEntryEncoding() throws {
        // Quicklist 2, one PACKED node holding every listpack encoding.
        let value = try Self.single { f in
            f.key(18, "ql2"); f.length(1); f.length(2); f.string(TestListpack.encode(Self.mixedItems))
        }
        #expect(value == .list(Self.mixedItems.map(Self.text)))
    }

    @Test func quicklist2MixesPlainAndPackedNodesInOrder() throws {
        let huge = [UInt8](repeating: 0x71, count: 3000)
        let value = try Self.single { f in
            f.key(18, "ql2"); f.length(4)
            f.length(2); f.string(TestListpack.encode([.str(b("a")), .int(1)]))
            f.length(1); f.string(huge)
            f.length(2); f.string(TestListpack.encode([]))              // empty node: skipped
            f.length(2); f.string(TestListpack.encode([.str(b("z"))]))
        }
        #expect(value == .list([b("a"), b("1"), huge, b("z")]))
    }

    @Test func quicklistOfZiplistNodesConcatenates() throws {
        let value = try Self.single { f in
            f.key(14, "ql"); f.length(2)
            f.string(TestZiplist.encode([.str(b("a")), .int(-5)]))
            f.string(TestZiplist.encode([.int(300), .str(b("b"))]))
        }
        #expect(value == .list([b("a"), b("-5"), b("300"), b("b")]))
    }

    @Test(arguments: [[Int64]([1, 2, 3]), [-32768, 0, 32767], [-70000, 5, 70000], [Int64.min, 0, Int64.max]])
    func intsetOfEachWidth(_ values: [Int64]) throws {
        let value = try Self.single { f in f.key(11, "is"); f.string(TestIntset.encode(values)) }
        #expect(value == .set(values.sorted().map { b(String($0)) }))
    }

    @Test func listpackSetFromRedis72() throws {
        let value = try Self.single { f in f.key(20, "lps"); f.string(TestListpack.encode([.str(b("x")), .int(7)])) }
        #expect(value == .set([b("x"), b("7")]))
    }

    @Test(arguments: [UInt8(13), 16])
    func compactHashesPairFieldsAndValues(type: UInt8) throws {
        let items: [PackedItem] = [.str(b("f1")), .str(b("v1")), .str(b("n")), .int(-42)]
        let blob = type == 13 ? TestZiplist.encode(items) : TestListpack.encode(items)
        let value = try Self.single { f in f.key(type, "h"); f.string(blob) }
        #expect(value == .hash([(b("f1"), b("v1")), (b("n"), b("-42"))]))
    }

    @Test(arguments: [UInt8(12), 17])
    func compactSortedSetsParseTextAndIntegerScores(type: UInt8) throws {
        let items: [PackedItem] = [.str(b("a")), .int(3), .str(b("b")), .str(b("2.5")), .str(b("c")), .str(b("-inf"))]
        let blob = type == 12 ? TestZiplist.encode(items) : TestListpack.encode(items)
        let value = try Self.single { f in f.key(type, "z"); f.string(blob) }
        #expect(value == .sortedSet([(b("a"), 3), (b("b"), 2.5), (b("c"), -.infinity)]))
    }

    @Test func zipmapHashWithFreeBytes() throws {
        let pairs: [([UInt8], [UInt8])] = [(b("k1"), b("v1")), (b("long"), [UInt8](repeating: 0x6C, count: 300))]
        let value = try Self.single { f in f.key(9, "zm"); f.string(TestZipmap.encode(pairs, free: 2)) }
        #expect(value == .hash(pairs))
    }

    @Test func opcodesAttachToTheFollowingKeyOnly() throws {
        var f = RDBBuilder()
        f.byte(0xFA); f.string("redis-ver"); f.string("7.0.15")
        f.byte(0xF5); f.string("#!lua name=lib\nredis.register_function('f', function() return 1 end)")
        f.byte(0xFE); f.length(2)
        f.byte(0xFB); f.length(2); f.length(1)
        f.byte(0xFD); f.littleEndian(1_700_000_000, 4)
        f.byte(0xF8); f.length(300)
        f.key(0, "a"); f.string("1")
        f.byte(0xFC); f.littleEndian(1_700_000_000_500, 8)
        f.byte(0xF9); f.byte(7)
        f.key(0, "b"); f.string("2")
        f.key(0, "c"); f.string("3")
        let r = try readAll(f.finish())
        #expect(r == [
            .aux(key: "redis-ver", value: b("7.0.15")),
            .function(code: b("#!lua name=lib\nredis.register_function('f', function() return 1 end)")),
            .selectDB(2),
            .resizeDB(keys: 2, expires: 1),
            .entry(key: b("a"), value: .string(b("1")), expireAtMs: 1_700_000_000_000, lruIdle: 300, lfuFreq: nil),
            .entry(key: b("b"), value: .string(b("2")), expireAtMs: 1_700_000_000_500, lruIdle: nil, lfuFreq: 7),
            .entry(key: b("c"), value: .string(b("3")), expireAtMs: nil, lruIdle: nil, lfuFreq: nil),
        ])
    }

    @Test func emptyCollectionsAreSkippedAndCounted() throws {
        var f = RDBBuilder()
        f.byte(0xFC); f.littleEndian(5, 8)
        f.key(1, "empty-list"); f.length(0)
        f.key(16, "empty-hash"); f.string(TestListpack.encode([]))
        f.key(18, "empty-ql"); f.length(1); f.length(2); f.string(TestListpack.encode([]))
        f.key(0, "after"); f.string("x")
        var reader = RDBReader(source: MemorySource(f.finish()))
        #expect(try reader.next() == .entry(key: b("after"), value: .string(b("x")), expireAtMs: nil, lruIdle: nil, lfuFreq: nil))
        #expect(try reader.next() == .end)
        #expect(reader.emptyKeysSkipped == 3)
    }

    @Test(arguments: [1, 4, 6, 9])
    func olderVersionsLoad(version: Int) throws {
        var f = RDBBuilder(version: version)
        f.key(0, "k"); f.string("v")
        var bytes = f.bytes + [0xFF]
        if version >= 5 { bytes += le(CRC64.checksum(bytes), 8) }
        var reader = RDBReader(source: MemorySource(bytes))
        #expect(try reader.readHeader() == version)
        #expect(try reader.next() == .entry(key: b("k"), value: .string(b("v")), expireAtMs: nil, lruIdle: nil, lfuFreq: nil))
        #expect(try reader.next() == .end)
        #expect(try reader.next() == .end)
    }
}
