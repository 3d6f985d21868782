// Unit tests of the string, key and expiry command families: the pure rules
// (SCAN cursor reading, OBJECT ENCODING, SET option grammar, EXPIRE
// conditions) and whole commands run through dispatch on an in-process
// server with a socketless client, checking the exact reply bytes.

import Testing
@testable import Node
import RESP
import Keyspace
import Config
import EventLoop

@Suite struct StringKeyCommandTests {
    /// A server and one client whose replies are read straight from its buffer.
    final class Harness {
        let server: Server
        let client: Client

        init() throws {
            server = try Server(config: ConfigStore(), logger: Logger(path: "/dev/null", level: .nothing))
            client = Client(id: 1, fd: -1, peer: Socket.PeerAddress(ip: "127.0.0.1", port: 1), localAddress: "",
                            now: 0, authenticated: true, maxBulkLength: 512 << 20)
            server.clients[client.id] = client
        }

        /// Runs one command and returns its reply as text (CRLF kept).
        @discardableResult
        func call(_ args: String...) -> String {
            callBytes(args.map { Array($0.utf8) })
        }

        func callBytes(_ args: [Bytes]) -> String {
            client.reply.bytes.removeAll()
            server.execute(client, args: args)
            return String(decoding: client.reply.bytes, as: UTF8.self)
        }
    }

    static func bulk(_ s: String) -> String { "$\(s.utf8.count)\r\n\(s)\r\n" }

    // MARK: - Pure rules

    @Test(arguments: [
        ("0", UInt64(0)), ("", 0), ("+7", 7), ("-1", UInt64.max), ("18446744073709551615", UInt64.max),
        ("42\u{0}junk", 42),
    ])
    func scanCursorIsReadAsStrtoulReadsIt(text: String, expected: UInt64) {
        #expect(parseKeyScanCursor(Array(text.utf8)) == expected)
    }

    @Test(arguments: [" 0", "abc", "0x10", "18446744073709551616", "-", "+", "1 ", "\t1"])
    func scanCursorRejectsWhatRedisCallsInvalid(text: String) {
        #expect(parseKeyScanCursor(Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        ("0", "int"), ("-9223372036854775808", "int"), ("9223372036854775808", "embstr"), ("007", "embstr"),
        ("-0", "embstr"), ("1.5", "embstr"), ("", "embstr"), (String(repeating: "x", count: 44), "embstr"),
        (String(repeating: "x", count: 45), "raw"),
    ])
    func stringEncodingFollowsRedisRules(text: String, encoding: String) {
        let name = objectEncodingName(of: .string(Array(text.utf8)), limits: ObjectEncodingLimits())
        #expect(name.description == encoding)
    }

    @Test func aggregateEncodingsFollowTheThresholds() {
        var limits = ObjectEncodingLimits()
        limits.hashEntries = 2
        limits.hashValue = 3
        limits.setIntsetEntries = 2
        limits.zsetEntries = 2
        limits.zsetValue = 3

        var hash = HashTable<Bytes>()
        hash[Array("a".utf8)] = Array("abc".utf8)
        #expect(objectEncodingName(of: .hash(hash), limits: limits).description == "listpack")
        hash[Array("b".utf8)] = Array("abcd".utf8)
        #expect(objectEncodingName(of: .hash(hash), limits: limits).description == "hashtable")

        var set = HashTable<Void>()
        set[Array("1".utf8)] = ()
        set[Array("-2".utf8)] = ()
        #expect(objectEncodingName(of: .set(set), limits: limits).description == "intset")
        set[Array("3".utf8)] = ()
        #expect(objectEncodingName(of: .set(set), limits: limits).description == "hashtable")
        var words = HashTable<Void>()
        words[Array("01".utf8)] = ()
        #expect(objectEncodingName(of: .set(words), limits: limits).description == "hashtable")

        #expect(objectEncodingName(of: .list(Deque([Array("a".utf8)])), limits: limits).description == "quicklist")
    }

    @Test func expireConditionsCompareWithAMissingTTLAsInfinite() throws {
        let harness = try Harness()
        func condition(_ words: String...) throws -> ExpireCondition {
            let args = ["expire", "k", "10"] + words
            let ctx = CommandContext(server: harness.server, client: harness.client,
                                     args: args.map { Array($0.utf8) }, now: 0, mayBlock: false)
            return try ExpireCondition(ctx)
        }
        #expect(try condition("NX").allows(current: nil, when: 5))
        #expect(try !condition("NX").allows(current: 1, when: 5))
        #expect(try !condition("XX").allows(current: nil, when: 5))
        #expect(try !condition("GT").allows(current: nil, when: 5))
        #expect(try condition("GT").allows(current: 4, when: 5))
        #expect(try !condition("GT").allows(current: 5, when: 5))
        #expect(try condition("LT").allows(current: nil, when: 5))
        #expect(try !condition("LT").allows(current: 5, when: 5))
        #expect(try condition("XX", "LT").allows(current: 6, when: 5))
        #expect(throws: CommandError.self) { try condition("NX", "LT") }
        #expect(throws: CommandError.self) { try condition("GT", "LT") }
        #expect(throws: CommandError.self) { try condition("FOO") }
    }

    // MARK: - Strings through dispatch

    @Test func setAndGetReplyShapes() throws {
        let h = try Harness()
        #expect(h.call("GET", "k") == "$-1\r\n")
        #expect(h.call("SET", "k", "v") == "+OK\r\n")
        #expect(h.call("GET", "k") == Self.bulk("v"))
        #expect(h.call("SET", "k", "w", "NX") == "$-1\r\n")
        #expect(h.call("SET", "k", "w", "NX", "GET") == Self.bulk("v"))
        #expect(h.call("SET", "k", "w", "XX", "GET") == Self.bulk("v"))
        #expect(h.call("GET", "k") == Self.bulk("w"))
        h.client.reply.protocolVersion = 3
        #expect(h.call("GET", "missing") == "_\r\n")
    }

    @Test(arguments: [
        ["NX", "XX"], ["EX", "10", "PX", "10"], ["KEEPTTL", "EX", "1"], ["EX"], ["PERSIST"], ["BOGUS"],
    ])
    func setOptionConflictsAreSyntaxErrors(options: [String]) throws {
        let h = try Harness()
        let reply = h.callBytes((["SET", "k", "v"] + options).map { Array($0.utf8) })
        #expect(reply == "-ERR syntax error\r\n")
        #expect(h.call("EXISTS", "k") == ":0\r\n")
    }

    @Test(arguments: ["0", "-5", "9223372036854775807", "9223372036854775"])
    func setRefusesInvalidExpireTimes(seconds: String) throws {
        let h = try Harness()
        #expect(h.call("SET", "k", "v", "EX", seconds) == "-ERR invalid expire time in 'set' command\r\n")
        #expect(h.call("SETEX", "k", seconds, "v") == "-ERR invalid expire time in 'setex' command\r\n")
    }

    @Test func setWithGetOnAListIsWrongTypeAndLeavesIt() throws {
        let h = try Harness()
        h.call("RPUSH", "l", "a")
        #expect(h.call("SET", "l", "v", "GET").hasPrefix("-WRONGTYPE"))
        #expect(h.call("TYPE", "l") == "+list\r\n")
    }

    @Test func countersCheckOverflowAndKeepTheTTL() throws {
        let h = try Harness()
        #expect(h.call("INCR", "n") == ":1\r\n")
        #expect(h.call("INCRBY", "n", "-11") == ":-10\r\n")
        #expect(h.call("EXPIRE", "n", "100") == ":1\r\n")
        #expect(h.call("DECR", "n") == ":-11\r\n")
        #expect(h.call("TTL", "n") == ":100\r\n")
        h.call("SET", "n", "9223372036854775807")
        #expect(h.call("INCR", "n") == "-ERR increment or decrement would overflow\r\n")
        #expect(h.call("DECRBY", "n", "-9223372036854775808") == "-ERR decrement would overflow\r\n")
        h.call("SET", "n", "01")
        #expect(h.call("INCR", "n") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.call("GET", "n") == Self.bulk("01"))
    }

    @Test func incrbyfloatPrintsTheLongDoubleSum() throws {
        let h = try Harness()
        #expect(h.call("INCRBYFLOAT", "f", "0.1") == Self.bulk("0.1"))
        #expect(h.call("INCRBYFLOAT", "f", "0.2") == Self.bulk("0.3"))
        #expect(h.call("INCRBYFLOAT", "g", "3016") == Self.bulk("3016"))
        #expect(h.call("INCRBYFLOAT", "g", "5.0e-3") == Self.bulk("3016.00499999999999989"))
        #expect(h.call("INCRBYFLOAT", "f", "inf") == "-ERR increment would produce NaN or Infinity\r\n")
        #expect(h.call("INCRBYFLOAT", "f", "1e5000") == "-ERR value is not a valid float\r\n")
        #expect(h.call("GET", "f") == Self.bulk("0.3"))
    }

    @Test func appendAndSetrangeWriteInPlace() throws {
        let h = try Harness()
        #expect(h.call("APPEND", "k", "abc") == ":3\r\n")
        #expect(h.call("APPEND", "k", "de") == ":5\r\n")
        #expect(h.call("SETRANGE", "k", "7", "X") == ":8\r\n")
        #expect(h.call("GET", "k") == "$8\r\nabcde\u{0}\u{0}X\r\n")
        #expect(h.call("SETRANGE", "missing", "5", "") == ":0\r\n")
        #expect(h.call("EXISTS", "missing") == ":0\r\n")
        #expect(h.call("SETRANGE", "k", "-1", "x") == "-ERR offset is out of range\r\n")
        #expect(h.call("SETRANGE", "k", "9223372036854775807", "x")
                == "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
    }

    @Test(arguments: [
        ("0", "-1", "hello"), ("-3", "-1", "llo"), ("-1", "-5", ""), ("10", "20", ""), ("-100", "100", "hello"),
        ("-9223372036854775808", "9223372036854775807", "hello"),
    ])
    func getrangeClampsLikeRedis(start: String, end: String, expected: String) throws {
        let h = try Harness()
        h.call("SET", "s", "hello")
        #expect(h.call("GETRANGE", "s", start, end) == Self.bulk(expected))
    }

    // MARK: - Keys through dispatch

    @Test func renameCarriesTheTTLAndRefusesAMissingSource() throws {
        let h = try Harness()
        #expect(h.call("RENAME", "a", "a") == "-ERR no such key\r\n")
        h.call("SET", "a", "1")
        h.call("EXPIRE", "a", "100")
        #expect(h.call("RENAME", "a", "b") == "+OK\r\n")
        #expect(h.call("TTL", "b") == ":100\r\n")
        #expect(h.call("EXISTS", "a", "b", "b") == ":2\r\n")
        h.call("SET", "c", "x")
        #expect(h.call("RENAMENX", "b", "c") == ":0\r\n")
    }

    @Test func moveAndCopyReachOtherDatabases() throws {
        let h = try Harness()
        h.call("SET", "a", "1")
        #expect(h.call("MOVE", "a", "0") == "-ERR source and destination objects are the same\r\n")
        #expect(h.call("MOVE", "a", "99") == "-ERR DB index is out of range\r\n")
        #expect(h.call("COPY", "a", "b", "DB", "1") == ":1\r\n")
        #expect(h.call("MOVE", "a", "1") == ":1\r\n")
        #expect(h.server.databases[1].count == 2)
        #expect(h.call("DBSIZE") == ":0\r\n")
        #expect(h.call("COPY", "x", "y", "DB", "4294967296")
                == "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n")
    }

    @Test func scanReplyIsACursorAndAnArray() throws {
        let h = try Harness()
        h.call("SET", "a", "1")
        h.call("RPUSH", "l", "x")
        #expect(h.call("SCAN", "0", "TYPE", "STRING") == "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n")
        #expect(h.call("SCAN", "0", "MATCH", "l*") == "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nl\r\n")
        #expect(h.call("SCAN", "0", "COUNT", "0") == "-ERR syntax error\r\n")
        #expect(h.call("SCAN", "x") == "-ERR invalid cursor\r\n")
        #expect(h.call("KEYS", "?").hasPrefix("*2\r\n"))
        #expect(h.call("KEYS", "a*") == "*1\r\n$1\r\na\r\n")
    }

    @Test func expireInThePastDeletesAndTTLsReportMissingAndPersistent() throws {
        let h = try Harness()
        #expect(h.call("TTL", "k") == ":-2\r\n")
        h.call("SET", "k", "v")
        #expect(h.call("PTTL", "k") == ":-1\r\n")
        #expect(h.call("PEXPIREAT", "k", "9223372036854775807") == ":1\r\n")
        #expect(h.call("EXPIRETIME", "k") == ":9223372036854776\r\n")
        #expect(h.call("PERSIST", "k") == ":1\r\n")
        #expect(h.call("EXPIRE", "k", "9223372036854776") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(h.call("EXPIRE", "k", "-1") == ":1\r\n")
        #expect(h.call("EXISTS", "k") == ":0\r\n")
    }

    @Test func flushAndSwapInvalidateOnlyWatchesOfExistingKeys() throws {
        let h = try Harness()
        h.call("SET", "k", "v")
        h.server.watch(h.client, key: Array("k".utf8))
        h.call("FLUSHDB")
        #expect(h.client.watchInvalidated)
        h.server.unwatchAll(h.client)

        h.server.watch(h.client, key: Array("missing".utf8))
        h.call("SET", "other", "v")
        h.call("FLUSHALL")
        #expect(!h.client.watchInvalidated)
        h.server.unwatchAll(h.client)

        h.server.databases[1].set(Array("k".utf8), .string(Array("v".utf8)))
        h.server.watch(h.client, key: Array("k".utf8))   // missing in db 0, present in db 1
        #expect(h.call("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.client.watchInvalidated)
        #expect(h.call("GET", "k") == Self.bulk("v"))
    }

    @Test func objectAnswersEncodingRefcountAndErrors() throws {
        let h = try Harness()
        h.call("SET", "n", "123")
        h.call("SET", "s", String(repeating: "x", count: 50))
        #expect(h.call("OBJECT", "ENCODING", "n") == Self.bulk("int"))
        #expect(h.call("OBJECT", "encoding", "s") == Self.bulk("raw"))
        #expect(h.call("OBJECT", "REFCOUNT", "n") == ":2147483647\r\n")
        #expect(h.call("OBJECT", "REFCOUNT", "s") == ":1\r\n")
        #expect(h.call("OBJECT", "IDLETIME", "s") == ":0\r\n")
        #expect(h.call("OBJECT", "ENCODING", "missing") == "$-1\r\n")
        #expect(h.call("OBJECT", "FREQ", "s").hasPrefix("-ERR An LFU maxmemory policy is not selected"))
        #expect(h.call("OBJECT", "ENCODING") == "-ERR wrong number of arguments for 'object|encoding' command\r\n")
        #expect(h.call("OBJECT", "NOPE", "s") == "-ERR unknown subcommand 'NOPE'. Try OBJECT HELP.\r\n")
    }
}
