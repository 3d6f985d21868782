// Interop with a real redis-server 7.0 (runs when one is installed; CI's
// scripts/test installs it, elsewhere these tests are skipped):
// 1. a file from RDBWriter loads into Redis with every value, expiry and
//    database intact (compared byte-exactly over RESP);
// 2. a file Redis writes — listpacks, intsets of every width, multi-node
//    quicklists with PLAIN nodes, hashtables, skiplists, LZF — reads back to
//    exactly the data that was inserted;
// 3. Redis → RDBReader → RDBWriter → Redis preserves DEBUG DIGEST.

import Testing
import Foundation
@testable import RDB

@Suite(.serialized, .enabled(if: RedisBinaries.available, "needs redis-server 7.x (installed in CI by scripts/test)"))
struct RedisInteropTests {
    static let farFuture: Int64 = 4_102_444_800_000   // 2100-01-01

    /// Deterministic test data covering the interesting shapes.
    struct Dataset {
        var strings: [([UInt8], [UInt8])] = []
        var lists: [([UInt8], [[UInt8]])] = []
        var sets: [([UInt8], [[UInt8]])] = []
        var hashes: [([UInt8], [([UInt8], [UInt8])])] = []
        var zsets: [([UInt8], [([UInt8], Double)])] = []

        static func make() -> Dataset {
            var rng = SplitMix64(seed: 2024)
            func random(_ n: Int) -> [UInt8] { (0 ..< n).map { _ in UInt8.random(in: 0 ... 255, using: &rng) } }
            var d = Dataset()
            d.strings = [
                (b("plain"), b("hello world")), (b("int"), b("12345")), (b("neg"), b("-2147483648")),
                (b("bigint"), b("9223372036854775807")), (b("lead0"), b("007")), (b("empty"), []),
                (b("bin\u{0}key\r\n"), random(100)), (b("compressible"), Array(String(repeating: "redis ", count: 3000).utf8)),
                (b("random-large"), random(300_000)),
            ]
            let ints: [[UInt8]] = [0, 12, 13, -1, 127, 128, -4096, 4095, 40000, -8_388_608, 8_388_608, 1 << 31, Int64.min, Int64.max].map { b(String($0)) }
            d.lists = [
                (b("small-list"), [b("a"), b("b"), []] + ints),
                (b("long-list"), (0 ..< 20000).map { b("item-\($0)") }),
                (b("wide-list"), [random(70), random(5000), random(20000), b("tail")]),
            ]
            d.sets = [
                (b("intset16"), [1, 2, 3, -300].map { b(String($0)) }),
                (b("intset32"), [1, 70000, -70000].map { b(String($0)) }),
                (b("intset64"), [1, 1 << 40, -(1 << 40)].map { b(String($0)) }),
                (b("strset"), [b("x"), b("y"), random(30)]),
                (b("bigset"), (0 ..< 2000).map { b("m\($0)") }),
            ]
            d.hashes = [
                (b("small-hash"), [(b("f1"), b("v1")), (b("n"), b("42")), (b("e"), [])]),
                (b("big-hash"), (0 ..< 1000).map { (b("field\($0)"), b(String($0 * 3))) }),
                (b("long-values"), [(b("k"), random(200))]),
            ]
            d.zsets = [
                (b("small-zset"), [(b("a"), 1), (b("b"), 2.5), (b("c"), -.infinity), (b("d"), .infinity), (b("e"), 1e-300), (b("f"), 12345678.125)]),
                (b("big-zset"), (0 ..< 1000).map { (b("m\($0)"), Double($0) / 7) }),
            ]
            return d
        }

        /// Sends the dataset with ordinary commands.
        func populate(_ c: RESPTestClient) throws {
            for (k, v) in strings { try c.call([b("SET"), k, v]) }
            for (k, items) in lists {
                for chunk in stride(from: 0, to: items.count, by: 1000) {
                    try c.call([b("RPUSH"), k] + items[chunk ..< min(chunk + 1000, items.count)])
                }
            }
            for (k, members) in sets { try c.call([b("SADD"), k] + members) }
            for (k, pairs) in hashes { try c.call([b("HSET"), k] + pairs.flatMap { [$0.0, $0.1] }) }
            for (k, pairs) in zsets { try c.call([b("ZADD"), k] + pairs.flatMap { [b(scoreText($0.1)), $0.0] }) }
        }

        /// Writes the dataset with RDBWriter.
        func write(_ w: inout RDBWriter<MemorySink>, expireAtMs: Int64?) throws {
            for (k, v) in strings { try w.writeString(key: k, value: v, expireAtMs: expireAtMs) }
            for (k, items) in lists { try w.writeList(key: k, elements: items, count: items.count, expireAtMs: expireAtMs) }
            for (k, members) in sets { try w.writeSet(key: k, members: members, count: members.count, expireAtMs: expireAtMs) }
            for (k, pairs) in hashes { try w.writeHash(key: k, fields: pairs, count: pairs.count, expireAtMs: expireAtMs) }
            for (k, pairs) in zsets { try w.writeSortedSet(key: k, entries: pairs, count: pairs.count, expireAtMs: expireAtMs) }
        }

        var keyCount: Int { strings.count + lists.count + sets.count + hashes.count + zsets.count }

        /// Checks a live server holds exactly this dataset.
        func verify(_ c: RESPTestClient) throws {
            #expect(try c.call("DBSIZE").integer == Int64(keyCount))
            for (k, v) in strings { #expect(try c.call([b("GET"), k]).bytes == v) }
            for (k, items) in lists { #expect(try c.call([b("LRANGE"), k, b("0"), b("-1")]).items.map(\.bytes) == items) }
            for (k, members) in sets {
                #expect(try c.call([b("SMEMBERS"), k]).items.compactMap(\.bytes).sorted(by: lexicographic) == members.sorted(by: lexicographic))
            }
            for (k, pairs) in hashes {
                let flat = try c.call([b("HGETALL"), k]).items.compactMap(\.bytes)
                let got = stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) }
                #expect(got.sorted { lexicographic($0.0, $1.0) }.map { $0.0 + [0] + $0.1 } == pairs.sorted { lexicographic($0.0, $1.0) }.map { $0.0 + [0] + $0.1 })
            }
            for (k, pairs) in zsets {
                for (m, s) in pairs {
                    let got = try c.call([b("ZSCORE"), k, m]).bytes.flatMap { Double(String(decoding: $0, as: UTF8.self)) }
                    #expect(got == s)
                }
                #expect(try c.call([b("ZCARD"), k]).integer == Int64(pairs.count))
            }
        }
    }

    static func scoreText(_ d: Double) -> String {
        d == .infinity ? "+inf" : d == -.infinity ? "-inf" : "\(d)"
    }

    @Test func redisLoadsWhatRDBWriterWrites() throws {
        let data = Dataset.make()
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        try w.writeStandardAux(ctime: 1_700_000_000, usedMemory: 1_000_000)
        try w.selectDB(0, keys: data.keyCount, expires: 0)
        try data.write(&w, expireAtMs: nil)
        try w.selectDB(3, keys: data.keyCount, expires: data.keyCount)
        try data.write(&w, expireAtMs: Self.farFuture)
        let file = try w.finish().bytes

        let server = try RedisServer()
        defer { server.stop() }
        try Data(file).write(to: URL(fileURLWithPath: server.rdbPath))
        let c = try server.start()
        try data.verify(c)
        #expect(try c.call([b("PEXPIRETIME"), b("plain")]).integer == -1)
        try c.call("SELECT", "3")
        try data.verify(c)
        #expect(try c.call([b("PEXPIRETIME"), b("long-list")]).integer == Self.farFuture)
        #expect(server.log().contains("Done loading RDB"))
    }

    @Test func rdbReaderLoadsWhatRedisWrites() throws {
        let data = Dataset.make()
        let server = try RedisServer()
        defer { server.stop() }
        // Raise listpack limits so hashes/zsets with long values stay listpacks,
        // and make strings of 100+ bytes PLAIN quicklist nodes.
        let c = try server.start(extra: ["--hash-max-listpack-value", "1024", "--zset-max-listpack-entries", "200"])
        try c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100")
        try data.populate(c)
        try c.call([b("PEXPIREAT"), b("plain"), b(String(Self.farFuture))])
        #expect(try c.call("OBJECT", "ENCODING", "small-hash") == .bulk(b("listpack")))
        #expect(try c.call("OBJECT", "ENCODING", "long-values") == .bulk(b("listpack")))
        #expect(try c.call("OBJECT", "ENCODING", "big-zset") == .bulk(b("skiplist")))
        #expect(try c.call("OBJECT", "ENCODING", "small-zset") == .bulk(b("listpack")))
        #expect(try c.call("OBJECT", "ENCODING", "intset64") == .bulk(b("intset")))
        #expect(try c.call("OBJECT", "ENCODING", "bigset") == .bulk(b("hashtable")))
        #expect(try c.call("OBJECT", "ENCODING", "long-list") == .bulk(b("quicklist")))
        try c.call("SELECT", "2")
        try c.call("SET", "other-db", "1")
        try c.call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)")
        try c.call("SAVE")

        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: server.rdbPath)))
        let records = try readAll(file)
        var db = -1
        var got: [[UInt8]: (RDBValue, Int64?)] = [:]
        var other: [[UInt8]] = []
        var functions = 0
        for r in records {
            switch r {
            case .selectDB(let n): db = n
            case let .entry(key, value, expire, _, _):
                if db == 0 { got[key] = (value, expire) } else { other.append(key) }
            case .function: functions += 1
            default: break
            }
        }
        #expect(other == [b("other-db")])
        #expect(functions == 1)
        #expect(got.count == data.keyCount)
        for (k, v) in data.strings { #expect(got[k]?.0 == .string(v)) }
        #expect(got[b("plain")]?.1 == Self.farFuture)
        for (k, items) in data.lists { #expect(got[k]?.0 == .list(items)) }
        for (k, members) in data.sets {
            guard case .set(let m)? = got[k]?.0 else { Issue.record("set \(k)"); continue }
            #expect(m.sorted(by: lexicographic) == members.sorted(by: lexicographic))
        }
        for (k, pairs) in data.hashes {
            guard case .hash(let h)? = got[k]?.0 else { Issue.record("hash \(k)"); continue }
            #expect(Dictionary(h, uniquingKeysWith: { a, _ in a }) == Dictionary(pairs, uniquingKeysWith: { a, _ in a }))
        }
        for (k, pairs) in data.zsets {
            guard case .sortedSet(let z)? = got[k]?.0 else { Issue.record("zset \(k)"); continue }
            #expect(Dictionary(z, uniquingKeysWith: { a, _ in a }) == Dictionary(pairs, uniquingKeysWith: { a, _ in a }))
        }
    }

    @Test func redisToReaderToWriterToRedisKeepsTheDigest() throws {
        let data = Dataset.make()
        let first = try RedisServer()
        defer { first.stop() }
        // Default packed threshold: the 5000/20000-byte list elements go into
        // PACKED listpack nodes with 32-bit string lengths.
        let c1 = try first.start()
        try data.populate(c1)
        try c1.call([b("PEXPIREAT"), b("big-zset"), b(String(Self.farFuture))])
        try c1.call("SELECT", "5")
        try c1.call("SADD", "s", "1", "2")
        let digest = try c1.call("DEBUG", "DIGEST")
        try c1.call("SAVE")

        // Re-encode every record with our writer.
        let records = try readAll(try [UInt8](Data(contentsOf: URL(fileURLWithPath: first.rdbPath))))
        var w = RDBWriter(sink: MemorySink())
        try w.writeHeader()
        var pendingDB: (Int, Int, Int)?
        for r in records {
            switch r {
            case .selectDB(let n): pendingDB = (n, 0, 0)
            case let .resizeDB(keys, expires): if let p = pendingDB { pendingDB = (p.0, keys, expires) }
            case let .entry(key, value, expire, _, _):
                if let p = pendingDB { try w.selectDB(p.0, keys: p.1, expires: p.2); pendingDB = nil }
                switch value {
                case .string(let v): try w.writeString(key: key, value: v, expireAtMs: expire)
                case .list(let l): try w.writeList(key: key, elements: l, count: l.count, expireAtMs: expire)
                case .set(let s): try w.writeSet(key: key, members: s, count: s.count, expireAtMs: expire)
                case .hash(let h): try w.writeHash(key: key, fields: h, count: h.count, expireAtMs: expire)
                case .sortedSet(let z): try w.writeSortedSet(key: key, entries: z, count: z.count, expireAtMs: expire)
                }
            case .aux(let k, let v): try w.writeAux(k, v)
            case .function, .end: break
            }
        }
        let second = try RedisServer()
        defer { second.stop() }
        try Data(try w.finish().bytes).write(to: URL(fileURLWithPath: second.rdbPath))
        let c2 = try second.start()
        #expect(try c2.call("DEBUG", "DIGEST") == digest)
    }
}

func lexicographic(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }
