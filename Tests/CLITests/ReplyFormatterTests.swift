// ReplyFormatterTests.swift — replies printed byte for byte like redis-cli
// 7.0.15. Every golden string below was captured from the real redis-cli
// (--no-raw for the terminal format, stdout piped for raw) talking to a fake
// server that answered with exactly the RESP payload in the same row.

import Testing
import RESP
@testable import CLI

/// Decodes one RESP payload written with \r\n escapes.
func reply(_ payload: String) throws -> RESPValue {
    var parser = ValueParser()
    let parsed = try parser.next(Array(payload.utf8))
    return try #require(parsed).value
}

/// (payload, redis-cli terminal output, redis-cli raw output).
let goldenReplies: [(String, String, String)] = [
    ("+OK\r\n", "OK\n", "OK\n"),
    ("-ERR bad thing\r\n", "(error) ERR bad thing\n", "ERR bad thing\n\n"),
    (":-42\r\n", "(integer) -42\n", "-42\n"),
    ("$-1\r\n", "(nil)\n", "\n"),
    ("$0\r\n\r\n", "\"\"\n", "\n"),
    ("*0\r\n", "(empty array)\n", "\n"),
    ("%0\r\n", "(empty hash)\n", "\n"),
    ("~0\r\n", "(empty set)\n", "\n"),
    ("*3\r\n$1\r\na\r\n:2\r\n*2\r\n$1\r\nx\r\n*1\r\n$1\r\ny\r\n",
     "1) \"a\"\n2) (integer) 2\n3) 1) \"x\"\n   2) 1) \"y\"\n", "a\n2\nx\ny\n"),
    ("*2\r\n%1\r\n+k\r\n*2\r\n:1\r\n:2\r\n~1\r\n$1\r\nx\r\n",
     "1) 1# k => \n      1) (integer) 1\n      2) (integer) 2\n2) 1~ \"x\"\n", "k 1\n2\nx\n"),
    ("%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n%1\r\n$1\r\na\r\n$1\r\nb\r\n",
     "1# \"f1\" => \"v1\"\n2# \"f2\" => 1# \"a\" => \"b\"\n", "f1 v1\nf2 a b\n"),
    ("%1\r\n$1\r\nk\r\n%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n",
     "1# \"k\" => \n   1# \"a\" => (integer) 1\n   2# \"b\" => (integer) 2\n", "k a 1\nb 2\n"),
    ("~2\r\n$1\r\na\r\n,1.5\r\n", "1~ \"a\"\n2~ (double) 1.5\n", "a\n1.5\n"),
    ("*3\r\n#t\r\n#f\r\n_\r\n", "1) (true)\n2) (false)\n3) (nil)\n", "(true)\n(false)\n\n"),
    ("=15\r\ntxt:Some string\r\n", "Some string\n", "Some string\n"),
    ("*2\r\n-ERR inner\r\n+OK\r\n", "1) (error) ERR inner\n2) OK\n", "ERR inner\n\nOK\n"),
    ("*1\r\n*1\r\n*1\r\n$1\r\nz\r\n", "1) 1) 1) \"z\"\n", "z\n"),
    (",-inf\r\n", "(double) -inf\n", "-inf\n"),
    ("*10\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n",
     " 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n 5) (integer) 5\n"
        + " 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n 9) (integer) 9\n10) 1) \"a\"\n    2) \"b\"\n",
     "1\n2\n3\n4\n5\n6\n7\n8\n9\na\nb\n"),
    // HELLO 3 from redis-server 7.0.15 (trimmed), as `redis-cli -3 --no-raw hello 3` prints it.
    ("%3\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n",
     "1# \"server\" => \"redis\"\n2# \"proto\" => (integer) 3\n3# \"modules\" => (empty array)\n",
     "server redis\nproto 3\nmodules \n"),
    // ZRANGE z 0 -1 WITHSCORES in RESP3.
    ("*1\r\n*2\r\n$1\r\nm\r\n,1.5\r\n", "1) 1) \"m\"\n   2) (double) 1.5\n", "m\n1.5\n"),
]

@Test("the terminal format matches redis-cli's output", arguments: goldenReplies)
func terminalFormatMatchesRedisCli(payload: String, terminal: String, raw: String) throws {
    let value = try reply(payload)
    #expect(String(decoding: ReplyFormatter.standard(value), as: UTF8.self) == terminal)
}

@Test("the raw format (plus the reply delimiter) matches redis-cli's piped output", arguments: goldenReplies)
func rawFormatMatchesRedisCli(payload: String, terminal: String, raw: String) throws {
    let value = try reply(payload)
    #expect(String(decoding: ReplyFormatter.raw(value) + [0x0a], as: UTF8.self) == raw)
}

@Test("bulk strings are quoted with C escapes and \\xhh for bytes outside printable ASCII")
func quotingEscapes() throws {
    // redis-cli: "a\"b\\c\nd\t\x01\x7f" and "\xc3\xa9" for é.
    let value = try reply("$10\r\na\"b\\c\nd\t\u{01}\u{7f}\r\n")
    #expect(String(decoding: ReplyFormatter.standard(value), as: UTF8.self) == "\"a\\\"b\\\\c\\nd\\t\\x01\\x7f\"\n")
    #expect(ReplyFormatter.quoted([0xc3, 0xa9, 0x07, 0x08, 0x0d]) == Array("\"\\xc3\\xa9\\a\\b\\r\"".utf8))
    // Raw output is the bytes themselves.
    #expect(ReplyFormatter.raw(.bulk([0xc3, 0xa9, 0x00])) == [0xc3, 0xa9, 0x00])
}

@Test("doubles print Redis's %.17g text")
func doublesUseRedisDigits() {
    #expect(ReplyFormatter.standard(.double(0.1)) == Array("(double) 0.10000000000000001\n".utf8))
    #expect(ReplyFormatter.standard(.double(3)) == Array("(double) 3\n".utf8))
    #expect(ReplyFormatter.raw(.double(.infinity)) == Array("inf".utf8))
}

@Test("a custom element delimiter separates raw aggregate elements (-d)")
func rawDelimiter() {
    let value = RESPValue.array([.bulk(Array("a".utf8)), .array([.integer(1), .integer(2)])])
    #expect(ReplyFormatter.raw(value, delimiter: Array(",".utf8)) == Array("a,1,2".utf8))
}

@Test("big numbers, pushes and attributes have a terminal form")
func resp3Extras() {
    #expect(ReplyFormatter.standard(.bigNumber("1234567890123456789012")) == Array("(big number) 1234567890123456789012\n".utf8))
    #expect(ReplyFormatter.standard(.push([])) == Array("(empty push)\n".utf8))
    let pushed = RESPValue.push([.bulk(Array("message".utf8)), .bulk(Array("ch".utf8)), .bulk(Array("hi".utf8))])
    #expect(String(decoding: ReplyFormatter.standard(pushed), as: UTF8.self) == "1) \"message\"\n2) \"ch\"\n3) \"hi\"\n")
    let annotated = RESPValue.attribute([RESPPair(.simple("ttl"), .integer(3))], .integer(7))
    #expect(ReplyFormatter.standard(annotated) == Array("(integer) 7\n".utf8))
}

@Test("client-tracking invalidations print as redis-cli's one-line notice")
func invalidationNotice() {
    let push = RESPValue.push([.bulk(Array("invalidate".utf8)), .array([.bulk(Array("k1".utf8)), .bulk(Array("k2".utf8))])])
    #expect(ReplyFormatter.invalidation(push) == Array("-> invalidate: 'k1', 'k2'\n".utf8))
    #expect(ReplyFormatter.invalidation(.push([.bulk(Array("message".utf8))])) == nil)
}
