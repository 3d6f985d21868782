// ValueParserTests.swift — the client-side RESP2/RESP3 parser: every type,
// one canonical null, splits at every byte, limits, errors, and round trips
// through the encoder.

import Testing
import RESP

let validValues: [(String, RESPValue)] = [
    ("+OK\r\n", .simple("OK")),
    ("+\r\n", .simple("")),
    ("-ERR unknown command\r\n", .error("ERR unknown command")),
    (":0\r\n", .integer(0)),
    (":-9223372036854775808\r\n", .integer(.min)),
    ("$5\r\nhello\r\n", .bulk(b("hello"))),
    ("$0\r\n\r\n", .bulk([])),
    ("$4\r\na\r\nb\r\n", .bulk(b("a\r\nb"))),
    ("$-1\r\n", .null),
    ("*-1\r\n", .null),
    ("_\r\n", .null),
    ("*0\r\n", .array([])),
    ("*2\r\n:1\r\n$1\r\nx\r\n", .array([.integer(1), .bulk(b("x"))])),
    ("*2\r\n*1\r\n+a\r\n*0\r\n", .array([.array([.simple("a")]), .array([])])),
    ("*3\r\n$-1\r\n*-1\r\n_\r\n", .array([.null, .null, .null])),
    (",1.5\r\n", .double(1.5)),
    (",-0.25\r\n", .double(-0.25)),
    (",10\r\n", .double(10)),
    (",1e10\r\n", .double(1e10)),
    (",inf\r\n", .double(.infinity)),
    (",-inf\r\n", .double(-.infinity)),
    (",nan\r\n", .double(.nan)),
    ("#t\r\n", .bool(true)),
    ("#f\r\n", .bool(false)),
    ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
    ("(-12\r\n", .bigNumber("-12")),
    ("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
    ("=15\r\ntxt:Some string\r\n", .verbatim(format: "txt", text: b("Some string"))),
    ("=4\r\nmkd:\r\n", .verbatim(format: "mkd", text: [])),
    ("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", .map([RESPPair(.simple("first"), .integer(1)), RESPPair(.simple("second"), .integer(2))])),
    ("%0\r\n", .map([])),
    ("~2\r\n+a\r\n#f\r\n", .set([.simple("a"), .bool(false)])),
    (">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", .push([.bulk(b("message")), .bulk(b("ch")), .bulk(b("hi"))])),
    ("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*1\r\n:2039123\r\n",
     .attribute([RESPPair(.simple("key-popularity"), .map([RESPPair(.bulk(b("a")), .double(0.1923))]))],
                .array([.integer(2039123)]))),
    ("|0\r\n:1\r\n", .attribute([], .integer(1))),
    ("*1\r\n|1\r\n+k\r\n+v\r\n:5\r\n", .array([.attribute([RESPPair(.simple("k"), .simple("v"))], .integer(5))])),
    ("+a\rb\r\n", .simple("a\rb")),
]

@Test("every RESP2/RESP3 type decodes", arguments: validValues)
func valueDecodes(input: String, value: RESPValue) {
    #expect(parseValue(b(input)) == .value(value, consumed: b(input).count))
}

@Test("a value split at any byte boundary needs more bytes, then decodes identically", arguments: validValues)
func valueSplitAtEveryBoundary(input: String, value: RESPValue) {
    let bytes = b(input)
    for k in 0..<bytes.count {
        var p = ValueParser()
        #expect(p.outcome(Array(bytes[0..<k])) == .needMore, "prefix \(k)")
        #expect(p.outcome(bytes) == .value(value, consumed: bytes.count), "after prefix \(k)")
    }
}

@Test("a value fed one byte more at a time resumes to the same result", arguments: validValues)
func valueGrowingPrefixes(input: String, value: RESPValue) {
    let bytes = b(input)
    var p = ValueParser()
    for k in 1..<bytes.count {
        #expect(p.outcome(Array(bytes[0..<k])) == .needMore, "prefix \(k)")
    }
    #expect(p.outcome(bytes) == .value(value, consumed: bytes.count))
    #expect(p.outcome(bytes + b("+next\r\n")) == .value(value, consumed: bytes.count))
}

@Test("a decoded value re-encodes to the same bytes (RESP3)", arguments: validValues)
func valueRoundTrips(input: String, value: RESPValue) {
    // Non-canonical spellings have a canonical re-encoding instead.
    let canonical: [String: String] = [
        "$-1\r\n": "_\r\n", "*-1\r\n": "_\r\n", "*3\r\n$-1\r\n*-1\r\n_\r\n": "*3\r\n_\r\n_\r\n_\r\n",
        ",1e10\r\n": ",10000000000\r\n",
        "!21\r\nSYNTAX invalid syntax\r\n": "-SYNTAX invalid syntax\r\n",
        "+a\rb\r\n": "+a b\r\n",
    ]
    let expected = canonical[input] ?? input
    #expect(String(decoding: value.encoded(), as: UTF8.self) == expected)
    // Whatever the spelling, decoding the re-encoding gives the same value back.
    if case .simple(let s) = value, s.contains("\r") { return }
    #expect(parseValue(value.encoded()) == .value(value, consumed: value.encoded().count))
}

@Test("RESP2 encoding uses Redis's fallbacks for RESP3-only types")
func resp2Encoding() {
    let v = RESPValue.array([.null, .double(1.5), .bool(true), .map([RESPPair(.bulk(b("k")), .integer(1))]),
                             .set([.simple("s")]), .verbatim(format: "txt", text: b("v")), .bigNumber("12"),
                             .attribute([RESPPair(.simple("a"), .simple("b"))], .integer(7))])
    #expect(String(decoding: v.encoded(protocolVersion: 2), as: UTF8.self) ==
            "*8\r\n$-1\r\n$3\r\n1.5\r\n:1\r\n*2\r\n$1\r\nk\r\n:1\r\n*1\r\n+s\r\n$1\r\nv\r\n$2\r\n12\r\n:7\r\n")
}

@Test("encodeCommand builds a multibulk request the request parser reads back")
func encodeCommandRoundTrip() {
    let args = [b("SET"), b("key"), [0, 13, 10, 255]]
    let wire = encodeCommand(args)
    #expect(String(decoding: encodeCommand(["GET", "k"]), as: UTF8.self) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
    #expect(parseRequest(wire) == .frame(args, consumed: wire.count))
}

let invalidValues: [(String, String)] = [
    ("?x\r\n", "Protocol error: unexpected reply type byte '?'"),
    (":abc\r\n", "Protocol error: invalid integer reply"),
    (":99999999999999999999\r\n", "Protocol error: invalid integer reply"),
    ("$99999999999999999999\r\n", "Protocol error: invalid bulk length"),
    ("$-2\r\n", "Protocol error: invalid bulk length"),
    ("$x\r\n", "Protocol error: invalid bulk length"),
    ("!-1\r\n", "Protocol error: invalid bulk length"),
    ("$?\r\n", "Protocol error: invalid bulk length"),
    ("$3\r\nabcde\r\n", "Protocol error: bulk data not followed by CRLF"),
    ("*99999999999999999999\r\n", "Protocol error: invalid multibulk length"),
    ("*-2\r\n", "Protocol error: invalid multibulk length"),
    ("%-1\r\n", "Protocol error: invalid multibulk length"),
    ("*3000000000\r\n", "Protocol error: invalid multibulk length"),
    ("#x\r\n", "Protocol error: invalid boolean reply"),
    ("#\r\n", "Protocol error: invalid boolean reply"),
    ("_x\r\n", "Protocol error: invalid null reply"),
    (",abc\r\n", "Protocol error: invalid double reply"),
    (", 1\r\n", "Protocol error: invalid double reply"),
    ("(12a\r\n", "Protocol error: invalid big number reply"),
    ("(\r\n", "Protocol error: invalid big number reply"),
    ("=3\r\ntxt\r\n", "Protocol error: invalid verbatim string"),
    ("=5\r\ntxtxx\r\n", "Protocol error: invalid verbatim string"),
    ("*2\r\n:1\r\n?\r\n", "Protocol error: unexpected reply type byte '?'"),
    ("\u{01}\r\n", "Protocol error: unexpected reply type byte '\\x1'"),
]

@Test("a malformed reply fails with a clear protocol error", arguments: invalidValues)
func invalidValueFails(input: String, message: String) {
    #expect(parseValue(b(input)) == .error(message))
    // After an error the parser starts clean.
    var p = ValueParser()
    _ = p.outcome(b(input))
    #expect(p.outcome(b("+OK\r\n")) == .value(.simple("OK"), consumed: 5))
}

@Test("nesting deeper than maxDepth is rejected; maxDepth itself is fine")
func depthLimit() {
    let deep = String(repeating: "*1\r\n", count: 64) + ":1\r\n"
    guard case .value = parseValue(b(deep)) else {
        Issue.record("64 levels should parse")
        return
    }
    let tooDeep = String(repeating: "*1\r\n", count: 65) + ":1\r\n"
    #expect(parseValue(b(tooDeep)) == .error("Protocol error: reply nested deeper than 64 levels"))
    #expect(parseValue(b("*1\r\n*1\r\n*0\r\n"), maxDepth: 2) == .error("Protocol error: reply nested deeper than 2 levels"))
    #expect(parseValue(b(String(repeating: "*1\r\n", count: 100_000))) == .error("Protocol error: reply nested deeper than 64 levels"))
}

@Test("huge declared counts and lengths wait for data without allocating")
func hugeDeclaredSizes() {
    #expect(parseValue(b("*1000000000\r\n")) == .needMore)
    #expect(parseValue(b("%1000000000\r\n:1\r\n")) == .needMore)
    #expect(parseValue(b("$536870912\r\n")) == .needMore)
    #expect(parseValue(b("$536870913\r\n")) == .error("Protocol error: invalid bulk length"))
    var small = ValueParser(maxBulkLength: 4)
    #expect(small.outcome(b("$5\r\nhello\r\n")) == .error("Protocol error: invalid bulk length"))
}

@Test("a reply of many elements arriving in small reads is scanned in linear time")
func manyElementsLinear() {
    let n = 100_000
    var input = b("*\(n)\r\n")
    for _ in 0..<n { input += b(":1\r\n") }
    var p = ValueParser()
    var got: (value: RESPValue, consumed: Int)?
    input.withUnsafeBytes { buf in
        var end = 0
        while got == nil && end < buf.count {
            end = min(end + 1024, buf.count)
            got = try? p.next(UnsafeRawBufferPointer(rebasing: buf[0..<end]))
        }
    }
    #expect(got?.consumed == input.count)
    #expect(got?.value.elements?.count == n)
}

@Test("convenience accessors read through attributes")
func accessors() {
    let v = RESPValue.attribute([], .bulk(b("42")))
    #expect(v.string == "42")
    #expect(v.int == 42)
    #expect(RESPValue.integer(7).int == 7)
    #expect(RESPValue.null.isNull)
    #expect(RESPValue.set([.null]).elements == [.null])
    #expect(RESPValue.simple("x").bytes == b("x"))
}
