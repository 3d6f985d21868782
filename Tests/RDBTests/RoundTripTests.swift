// Writer → reader round trips: all five types, expiries, multiple databases,
// integer-looking values, large and compressible values, aux fields, and the
// file-descriptor sink/source over a real temporary file.

import Testing
import Foundation
@testable import RDB

@Suite struct RoundTripTests {
    static func write(compress: Bool = true, _ body: (inout RDBWriter<MemorySink>) throws -> Void) throws -> [UInt8] {
        var w = RDBWriter(sink: MemorySink(), compress: compress)
        try w.writeHeader()
        try body(&w)
        return try w.finish().bytes
    }

    @Test(arguments: [true, false])
    func allFiveTypesRoundTrip(compress: Bool) throws {
        var rng = SplitMix64(seed: 11)
        let big = (0 ..< 200_000).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        let compressible = Array(String(repeating: "compressible ", count: 10_000).utf8)
        let listElements: [[UInt8]] = [b("a"), b(""), b("12"), b("-300"), b("70000"), b("9999999999"), compressible, big]
        let setMembers: [[UInt8]] = (0 ..< 1000).map { b("member-\($0)") }
        let hashFields: [([UInt8], [UInt8])] = (0 ..< 500).map { (b("f\($0)"), b(String($0 * 7))) }
        let zsetEntries: [([UInt8], Double)] = [(b("a"), 1), (b("b"), -2.5), (b("c"), .infinity), (b("d"), -.infinity), (b("e"), 1e300), (b("f"), -0.0)]
        let bytes = try Self.write(compress: compress) { w in
            try w.selectDB(0, keys: 5, expires: 1)
            try w.writeString(key: b("s"), value: big, expireAtMs: nil)
            try w.writeList(key: b("l"), elements: listElements, count: listElements.count, expireAtMs: 1_700_000_000_123)
            try w.writeSet(key: b("set"), members: setMembers, count: setMembers.count, expireAtMs: nil)
            try w.writeHash(key: b("h"), fields: hashFields, count: hashFields.count, expireAtMs: nil)
            try w.writeSortedSet(key: b("z"), entries: zsetEntries, count: zsetEntries.count, expireAtMs: nil)
        }
        let records = try readAll(bytes)
        #expect(records.first == .selectDB(0))
        #expect(records.dropFirst().first == .resizeDB(keys: 5, expires: 1))
        let e = entries(records)
        #expect(e.count == 5)
        #expect(e[0].key == b("s") && e[0].value == .string(big) && e[0].expire == nil)
        #expect(e[1].value == .list(listElements) && e[1].expire == 1_700_000_000_123)
        #expect(e[2].value == .set(setMembers))
        #expect(e[3].value == .hash(hashFields))
        #expect(e[4].value == .sortedSet(zsetEntries))
        if case let .sortedSet(z) = e[4].value { #expect(z[5].1.sign == .minus) }   // -0.0 keeps its sign
    }

    @Test func integerLikeValuesComeBackAsTheSameText() throws {
        let values = ["0", "-0", "1", "-1", "127", "128", "-129", "32767", "32768", "-32769", "2147483647", "2147483648",
                      "-2147483648", "-2147483649", "007", "+1", "9223372036854775807", "-9223372036854775808"]
        let bytes = try Self.write { w in
            for v in values { try w.writeString(key: b("k" + v), value: b(v), expireAtMs: nil) }
        }
        let e = entries(try readAll(bytes))
        #expect(e.map(\.value) == values.map { .string(b($0)) })
        #expect(e.map(\.key) == values.map { b("k" + $0) })
    }

    @Test func multipleDatabasesKeepTheirOrderAndEntries() throws {
        let bytes = try Self.write { w in
            for db in [0, 1, 15, 200] {
                try w.selectDB(db, keys: 2, expires: 1)
                try w.writeString(key: b("a\(db)"), value: b("x"), expireAtMs: Int64(db) * 1000 + 1)
                try w.writeString(key: b("b\(db)"), value: b("y"), expireAtMs: nil)
            }
        }
        var db = -1
        var seen: [(Int, [UInt8], Int64?)] = []
        for r in try readAll(bytes) {
            switch r {
            case .selectDB(let n): db = n
            case let .entry(key, _, expire, _, _): seen.append((db, key, expire))
            default: break
            }
        }
        #expect(seen.map(\.0) == [0, 0, 1, 1, 15, 15, 200, 200])
        #expect(seen.map(\.2) == [1, nil, 1001, nil, 15001, nil, 200_001, nil])
    }

    @Test func auxFieldsRoundTripWithIntegersAsText() throws {
        let bytes = try Self.write { w in
            try w.writeStandardAux(ctime: 1_700_000_000, usedMemory: 123_456,
                                   replication: (streamDB: 0, replicationID: "8f2e0b7a", offset: 99), aofBase: false)
        }
        let aux = try readAll(bytes).compactMap { r -> (String, String)? in
            if case let .aux(k, v) = r { return (k, String(decoding: v, as: UTF8.self)) }
            return nil
        }
        #expect(aux.map(\.0) == ["redis-ver", "redis-bits", "ctime", "used-mem", "repl-stream-db", "repl-id", "repl-offset", "aof-base"])
        #expect(aux.map(\.1) == ["7.0.15", "64", "1700000000", "123456", "0", "8f2e0b7a", "99", "0"])
    }

    @Test func largeCollectionsStreamThroughManyFlushes() throws {
        let n = 50_000
        let bytes = try Self.write { w in
            try w.writeList(key: b("big"), elements: (0 ..< n).lazy.map { b("element-\($0)") }, count: n, expireAtMs: nil)
        }
        #expect(bytes.count > 4 * RDBEncoder.flushThreshold)
        let e = entries(try readAll(bytes))
        guard case let .list(items) = e.first?.value else { Issue.record("no list"); return }
        #expect(items.count == n && items[n - 1] == b("element-\(n - 1)"))
    }

    @Test func fileDescriptorSinkAndSourceRoundTripThroughAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rdb-rt-\(getpid()).rdb").path
        defer { unlink(path) }
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
        #expect(fd >= 0)
        var w = RDBWriter(sink: FileDescriptorSink(fd: fd))
        try w.writeHeader()
        let values = (0 ..< 3000).map { b(String(repeating: "v\($0)", count: 40)) }
        for (i, v) in values.enumerated() { try w.writeString(key: b("k\(i)"), value: v, expireAtMs: nil) }
        let sink = try w.finish()
        close(fd)
        let rfd = open(path, O_RDONLY)
        defer { close(rfd) }
        let source = FileDescriptorSource(fd: rfd)
        #expect(source.remainingBytes == sink.bytesWritten)
        var r = RDBReader(source: source)
        var got: [[UInt8]] = []
        loop: while true {
            switch try r.next() {
            case .entry(_, .string(let v), _, _, _): got.append(v)
            case .end: break loop
            default: break
            }
        }
        #expect(got == values)
        #expect(r.bytesRead == sink.bytesWritten)
    }
}
