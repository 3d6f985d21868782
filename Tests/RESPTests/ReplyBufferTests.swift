// ReplyBufferTests.swift — golden bytes for every reply type in RESP2 and RESP3,
// matching Redis 7.0's networking.c encoders.

import Testing
import RESP

/// The bytes `write` appends to a fresh buffer of `version`, as a String.
func encoded(_ version: Int, _ write: (inout ReplyBuffer) -> Void) -> String {
    var r = ReplyBuffer(protocolVersion: version)
    write(&r)
    return String(decoding: r.bytes, as: UTF8.self)
}

struct GoldenReply: Sendable, CustomTestStringConvertible {
    let name: String
    let write: @Sendable (inout ReplyBuffer) -> Void
    let resp2: String
    let resp3: String
    var testDescription: String { name }
}

let goldenReplies: [GoldenReply] = [
    GoldenReply(name: "simple static", write: { $0.simple("OK") }, resp2: "+OK\r\n", resp3: "+OK\r\n"),
    GoldenReply(name: "simple string", write: { $0.simple(String("a\r\nb")) }, resp2: "+a  b\r\n", resp3: "+a  b\r\n"),
    GoldenReply(name: "error", write: { $0.error("ERR syntax error") }, resp2: "-ERR syntax error\r\n", resp3: "-ERR syntax error\r\n"),
    GoldenReply(name: "error with newlines", write: { $0.error("\r\nERR bad\r\nthing\n") }, resp2: "-ERR bad  thing\r\n", resp3: "-ERR bad  thing\r\n"),
    GoldenReply(name: "integer", write: { $0.integer(42) }, resp2: ":42\r\n", resp3: ":42\r\n"),
    GoldenReply(name: "negative integer", write: { $0.integer(-7) }, resp2: ":-7\r\n", resp3: ":-7\r\n"),
    GoldenReply(name: "zero", write: { $0.integer(0) }, resp2: ":0\r\n", resp3: ":0\r\n"),
    GoldenReply(name: "Int.min", write: { $0.integer(Int.min) }, resp2: ":-9223372036854775808\r\n", resp3: ":-9223372036854775808\r\n"),
    GoldenReply(name: "Int.max", write: { $0.integer(Int.max) }, resp2: ":9223372036854775807\r\n", resp3: ":9223372036854775807\r\n"),
    GoldenReply(name: "bulk bytes", write: { $0.bulk(b("hello")) }, resp2: "$5\r\nhello\r\n", resp3: "$5\r\nhello\r\n"),
    GoldenReply(name: "bulk string", write: { $0.bulk("h\u{00E9}") }, resp2: "$3\r\nh\u{00E9}\r\n", resp3: "$3\r\nh\u{00E9}\r\n"),
    GoldenReply(name: "bulk slice", write: { $0.bulk(bytes: b("xhellox")[1..<6]) }, resp2: "$5\r\nhello\r\n", resp3: "$5\r\nhello\r\n"),
    GoldenReply(name: "empty bulk", write: { $0.bulk(Bytes()) }, resp2: "$0\r\n\r\n", resp3: "$0\r\n\r\n"),
    GoldenReply(name: "bulk integer", write: { $0.bulk(integer: -123) }, resp2: "$4\r\n-123\r\n", resp3: "$4\r\n-123\r\n"),
    GoldenReply(name: "null", write: { $0.null() }, resp2: "$-1\r\n", resp3: "_\r\n"),
    GoldenReply(name: "null array", write: { $0.nullArray() }, resp2: "*-1\r\n", resp3: "_\r\n"),
    GoldenReply(name: "array header", write: { $0.arrayHeader(3) }, resp2: "*3\r\n", resp3: "*3\r\n"),
    GoldenReply(name: "map header", write: { $0.mapHeader(2) }, resp2: "*4\r\n", resp3: "%2\r\n"),
    GoldenReply(name: "set header", write: { $0.setHeader(2) }, resp2: "*2\r\n", resp3: "~2\r\n"),
    GoldenReply(name: "push header", write: { $0.pushHeader(3) }, resp2: "*3\r\n", resp3: ">3\r\n"),
    GoldenReply(name: "double 0.1", write: { $0.double(0.1) }, resp2: "$19\r\n0.10000000000000001\r\n", resp3: ",0.10000000000000001\r\n"),
    GoldenReply(name: "double integral", write: { $0.double(3) }, resp2: "$1\r\n3\r\n", resp3: ",3\r\n"),
    GoldenReply(name: "double 1.5", write: { $0.double(1.5) }, resp2: "$3\r\n1.5\r\n", resp3: ",1.5\r\n"),
    GoldenReply(name: "double -0", write: { $0.double(-0.0) }, resp2: "$2\r\n-0\r\n", resp3: ",-0\r\n"),
    GoldenReply(name: "double inf", write: { $0.double(.infinity) }, resp2: "$3\r\ninf\r\n", resp3: ",inf\r\n"),
    GoldenReply(name: "double -inf", write: { $0.double(-.infinity) }, resp2: "$4\r\n-inf\r\n", resp3: ",-inf\r\n"),
    GoldenReply(name: "double exponent", write: { $0.double(1e300) }, resp2: "$23\r\n1.0000000000000001e+300\r\n", resp3: ",1.0000000000000001e+300\r\n"),
    GoldenReply(name: "bool true", write: { $0.bool(true) }, resp2: ":1\r\n", resp3: "#t\r\n"),
    GoldenReply(name: "bool false", write: { $0.bool(false) }, resp2: ":0\r\n", resp3: "#f\r\n"),
    GoldenReply(name: "verbatim", write: { $0.verbatim("hello") }, resp2: "$5\r\nhello\r\n", resp3: "=9\r\ntxt:hello\r\n"),
    GoldenReply(name: "verbatim mkd", write: { $0.verbatim("# t", format: "mkd") }, resp2: "$3\r\n# t\r\n", resp3: "=7\r\nmkd:# t\r\n"),
    GoldenReply(name: "verbatim short format", write: { $0.verbatim("x", format: "a") }, resp2: "$1\r\nx\r\n", resp3: "=5\r\na  :x\r\n"),
    GoldenReply(name: "big number", write: { $0.bigNumber("3492890328409238509324850943850943825024385") }, resp2: "$43\r\n3492890328409238509324850943850943825024385\r\n", resp3: "(3492890328409238509324850943850943825024385\r\n"),
    GoldenReply(name: "raw", write: { $0.raw(b("+X\r\n")) }, resp2: "+X\r\n", resp3: "+X\r\n"),
    GoldenReply(name: "ok", write: { $0.ok() }, resp2: "+OK\r\n", resp3: "+OK\r\n"),
    GoldenReply(name: "pong", write: { $0.pong() }, resp2: "+PONG\r\n", resp3: "+PONG\r\n"),
    GoldenReply(name: "queued", write: { $0.queued() }, resp2: "+QUEUED\r\n", resp3: "+QUEUED\r\n"),
    GoldenReply(name: "shared zero one", write: { $0.zero(); $0.one() }, resp2: ":0\r\n:1\r\n", resp3: ":0\r\n:1\r\n"),
    GoldenReply(name: "empty array and bulk", write: { $0.emptyArray(); $0.emptyBulk() }, resp2: "*0\r\n$0\r\n\r\n", resp3: "*0\r\n$0\r\n\r\n"),
    GoldenReply(name: "attribute header", write: { $0.attributeHeader(1) }, resp2: "", resp3: "|1\r\n"),
]

@Test("each reply type encodes to Redis's bytes in RESP2 and RESP3", arguments: goldenReplies)
func goldenReply(_ g: GoldenReply) {
    #expect(encoded(2, g.write) == g.resp2)
    #expect(encoded(3, g.write) == g.resp3)
}

@Test("a map reply is flattened to an array in RESP2")
func mapReply() {
    let write: (inout ReplyBuffer) -> Void = { r in
        r.mapHeader(1)
        r.bulk("field")
        r.double(2.5)
    }
    #expect(encoded(2, write) == "*2\r\n$5\r\nfield\r\n$3\r\n2.5\r\n")
    #expect(encoded(3, write) == "%1\r\n$5\r\nfield\r\n,2.5\r\n")
}

@Test("a deferred length is inserted before the elements written after it")
func deferredLength() {
    for version in [2, 3] {
        var r = ReplyBuffer(protocolVersion: version)
        r.ok()
        let d = r.deferLength()
        r.bulk("a")
        r.bulk("b")
        r.setDeferredArray(d, count: 2)
        #expect(String(decoding: r.bytes, as: UTF8.self) == "+OK\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n")

        var m = ReplyBuffer(protocolVersion: version)
        let dm = m.deferLength()
        m.bulk("k")
        m.integer(1)
        m.setDeferredMap(dm, pairs: 1)
        #expect(String(decoding: m.bytes, as: UTF8.self) == (version == 3 ? "%1\r\n$1\r\nk\r\n:1\r\n" : "*2\r\n$1\r\nk\r\n:1\r\n"))

        var s = ReplyBuffer(protocolVersion: version)
        let ds = s.deferLength()
        s.setDeferredSet(ds, count: 0)
        #expect(String(decoding: s.bytes, as: UTF8.self) == (version == 3 ? "~0\r\n" : "*0\r\n"))
    }
}

@Test("removeWritten drops the sent prefix and keeps the rest")
func removeWritten() {
    var r = ReplyBuffer()
    r.ok()
    r.integer(5)
    #expect(r.count == 9)
    r.removeWritten(5)
    #expect(String(decoding: r.bytes, as: UTF8.self) == ":5\r\n")
    r.removeWritten(100)
    #expect(r.count == 0)
}

@Test("many appends grow the buffer geometrically and keep every byte")
func manyAppends() {
    var r = ReplyBuffer()
    r.arrayHeader(10_000)
    for i in 0..<10_000 { r.integer(i) }
    var p = ValueParser()
    guard case .value(.array(let items), let consumed) = p.outcome(r.bytes) else {
        Issue.record("not an array")
        return
    }
    #expect(consumed == r.count)
    #expect(items.count == 10_000)
    #expect(items.last == .integer(9_999))
}
