// RequestParserTests.swift — the server request parser against Redis 7.0
// networking.c behaviour: frames, splits at every byte, exact error texts,
// limits, and bounded memory/time for huge declared sizes.

import Testing
@testable import RESP

/// Valid single-request inputs and the arguments Redis would build.
let validRequests: [(String, [String])] = [
    ("*1\r\n$4\r\nPING\r\n", ["PING"]),
    ("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", ["SET", "key", "value"]),
    ("*2\r\n$3\r\nGET\r\n$0\r\n\r\n", ["GET", ""]),
    ("*1\r\n$6\r\na\r\nb\0c\r\n", ["a\r\nb\0c"]),
    ("*0\r\n", []),
    ("*-1\r\n", []),
    ("*-10\r\n", []),
    ("PING\r\n", ["PING"]),
    ("PING\n", ["PING"]),
    ("\r\n", []),
    ("\n", []),
    ("  set  k   v \r\n", ["set", "k", "v"]),
    ("set \"a b\" 'c d'\r\n", ["set", "a b", "c d"]),
]

@Test("a valid request parses to Redis's arguments", arguments: validRequests)
func validRequestParses(input: String, args: [String]) {
    #expect(parseRequest(b(input)) == .frame(args.map(b), consumed: b(input).count))
}

@Test("a request split at any byte boundary needs more bytes, then parses identically", arguments: validRequests)
func splitAtEveryBoundary(input: String, args: [String]) {
    let bytes = b(input)
    let whole = parseRequest(bytes)
    for k in 0..<bytes.count {
        var p = RequestParser()
        #expect(p.outcome(Array(bytes[0..<k])) == .needMore, "prefix \(k)")
        #expect(p.outcome(bytes) == whole, "after prefix \(k)")
    }
}

@Test("a request fed one byte more at a time resumes to the same result", arguments: validRequests)
func growingPrefixes(input: String, args: [String]) {
    let bytes = b(input)
    var p = RequestParser()
    for k in 1..<bytes.count {
        #expect(p.outcome(Array(bytes[0..<k])) == .needMore, "prefix \(k)")
    }
    #expect(p.outcome(bytes) == parseRequest(bytes))
    // The progress memory is reset: the same parser parses the frame again.
    #expect(p.outcome(bytes) == parseRequest(bytes))
}

@Test("pipelined requests parse one after another with exact consumed counts")
func pipelinedRequests() {
    let input = b("*1\r\n$4\r\nPING\r\nECHO hi\r\n*0\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
    #expect(parseAllRequests(input) == [
        .frame([b("PING")], consumed: 14),
        .frame([b("ECHO"), b("hi")], consumed: 9),
        .frame([], consumed: 4),
        .frame([b("GET"), b("k")], consumed: 20),
    ])
}

@Test("only the first frame is consumed when more bytes follow")
func consumesOnlyOneFrame() {
    #expect(parseRequest(b("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI")) == .frame([b("PING")], consumed: 14))
    #expect(parseRequest(b("PING\r\nPONG\r\n")) == .frame([b("PING")], consumed: 6))
}

/// Inputs Redis rejects, with its exact reply text (without "ERR ").
let invalidRequests: [(String, String)] = [
    ("*3000000000\r\n", "Protocol error: invalid multibulk length"),
    ("*2147483648\r\n", "Protocol error: invalid multibulk length"),
    ("*99999999999999999999\r\n", "Protocol error: invalid multibulk length"),
    ("*abc\r\n", "Protocol error: invalid multibulk length"),
    ("*\r\n", "Protocol error: invalid multibulk length"),
    ("*+1\r\n", "Protocol error: invalid multibulk length"),
    ("*01\r\n", "Protocol error: invalid multibulk length"),
    ("*-0\r\n", "Protocol error: invalid multibulk length"),
    ("*1 \r\n", "Protocol error: invalid multibulk length"),
    ("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "Protocol error: expected '$', got 'f'"),
    ("*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
    ("*1\r\n\r\n", "Protocol error: expected '$', got ' '"),
    ("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "Protocol error: invalid bulk length"),
    ("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", "Protocol error: invalid bulk length"),
    ("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", "Protocol error: invalid bulk length"),
    ("*1\r\n$99999999999999999999\r\n", "Protocol error: invalid bulk length"),
    ("*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
    ("*1\r\n$\r\n", "Protocol error: invalid bulk length"),
    ("set \"\"\"test-key\"\"\" test-value\r\n", "Protocol error: unbalanced quotes in request"),
    ("set \"abc\r\n", "Protocol error: unbalanced quotes in request"),
]

@Test("a malformed request fails with Redis's exact message", arguments: invalidRequests)
func invalidRequestFails(input: String, message: String) {
    #expect(parseRequest(b(input)) == .error(message))
}

@Test("a malformed request fed byte by byte fails with the same message", arguments: invalidRequests)
func invalidRequestFailsIncrementally(input: String, message: String) {
    let bytes = b(input)
    var p = RequestParser()
    var result = RequestOutcome.needMore
    for k in 1...bytes.count {
        result = p.outcome(Array(bytes[0..<k]))
        if result != .needMore { break }
    }
    #expect(result == .error(message))
    // After an error the parser starts clean.
    #expect(p.outcome(b("*1\r\n$4\r\nPING\r\n")) == .frame([b("PING")], consumed: 14))
}

@Test("a count up to INT_MAX is accepted and just waits for its arguments")
func largestCountWaits() {
    #expect(parseRequest(b("*2147483647\r\n")) == .needMore)
}

@Test("a huge declared count does not preallocate argument storage")
func hugeCountDoesNotAllocate() {
    var p = RequestParser()
    #expect(p.outcome(b("*1000000000\r\n$1\r\na\r\n")) == .needMore)
    #expect(p.argumentRanges.capacity <= RequestParser.maxPreallocatedArgs)
    #expect(p.argumentRanges.count == 1)
}

@Test("a huge declared bulk length within the limit just waits for the data")
func hugeBulkWaits() {
    #expect(parseRequest(b("*1\r\n$536870912\r\n")) == .needMore)
    #expect(parseRequest(b("*1\r\n$536870913\r\n")) == .error("Protocol error: invalid bulk length"))
}

@Test("maxBulkLength is enforced and can change at runtime")
func maxBulkLengthSetting() {
    var p = RequestParser(maxBulkLength: 3)
    #expect(p.outcome(b("*1\r\n$3\r\nabc\r\n")) == .frame([b("abc")], consumed: 13))
    #expect(p.outcome(b("*1\r\n$4\r\nabcd\r\n")) == .error("Protocol error: invalid bulk length"))
    p.maxBulkLength = 4
    #expect(p.outcome(b("*1\r\n$4\r\nabcd\r\n")) == .frame([b("abcd")], consumed: 14))
}

@Test("unauthenticated clients are limited to 10 arguments of 16384 bytes")
func unauthenticatedLimits() {
    let strict: (inout RequestParser) -> Void = { $0.requireAuthLimits = true }
    #expect(parseRequest(b("*11\r\n"), configure: strict) == .error("Protocol error: unauthenticated multibulk length"))
    #expect(parseRequest(b("*100\r\n"), configure: strict) == .error("Protocol error: unauthenticated multibulk length"))
    #expect(parseRequest(b("*10\r\n"), configure: strict) == .needMore)
    #expect(parseRequest(b("*1\r\n$16385\r\n"), configure: strict) == .error("Protocol error: unauthenticated bulk length"))
    #expect(parseRequest(b("*1\r\n$100000000\r\n"), configure: strict) == .error("Protocol error: unauthenticated bulk length"))
    #expect(parseRequest(b("*1\r\n$16384\r\n"), configure: strict) == .needMore)
    // Redis checks validity first.
    #expect(parseRequest(b("*3000000000\r\n"), configure: strict) == .error("Protocol error: invalid multibulk length"))
    #expect(parseRequest(b("*-5\r\n"), configure: strict) == .frame([], consumed: 5))
    // Authenticated clients are not limited.
    #expect(parseRequest(b("*11\r\n")) == .needMore)
}

@Test("a count line without CR beyond 64 KiB is too big; at 64 KiB it waits")
func tooBigMultibulkCount() {
    #expect(parseRequest(b("*") + Bytes(repeating: UInt8(ascii: "1"), count: 64 * 1024)) == .error("Protocol error: too big mbulk count string"))
    #expect(parseRequest(b("*") + Bytes(repeating: UInt8(ascii: "1"), count: 64 * 1024 - 1)) == .needMore)
}

@Test("a bulk length line without CR beyond 64 KiB is too big")
func tooBigBulkCount() {
    #expect(parseRequest(b("*1\r\n$") + Bytes(repeating: UInt8(ascii: "1"), count: 64 * 1024)) == .error("Protocol error: too big bulk count string"))
    #expect(parseRequest(b("*1\r\n$") + Bytes(repeating: UInt8(ascii: "1"), count: 64 * 1024 - 5)) == .needMore)
}

@Test("an inline request without a newline beyond 64 KiB is too big")
func tooBigInline() {
    let a = UInt8(ascii: "a")
    #expect(parseRequest(Bytes(repeating: a, count: 64 * 1024 + 1)) == .error("Protocol error: too big inline request"))
    #expect(parseRequest(Bytes(repeating: a, count: 64 * 1024)) == .needMore)
    // A newline that is already buffered makes a long line fine, as in Redis.
    let long = Bytes(repeating: a, count: 100_000)
    #expect(parseRequest(long + b("\n")) == .frame([long], consumed: 100_001))
    var p = RequestParser(maxInlineLength: 10)
    #expect(p.outcome(b("hello world")) == .error("Protocol error: too big inline request"))
}

@Test("like Redis, the byte after a length line's CR and the two bytes after bulk data are not checked")
func redisQuirksKept() {
    #expect(parseRequest(b("*1\rX$3\r\nfoo\r\n")) == .frame([b("foo")], consumed: 13))
    #expect(parseRequest(b("*1\r\n$3\r\nfooXY")) == .frame([b("foo")], consumed: 13))
    #expect(parseRequest(b("*1\r\n$3\r\nfoo\r")) == .needMore)
}

@Test("nextRaw leaves multibulk arguments in place as ranges")
func rawRangesPointIntoTheInput() throws {
    let input = b("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
    var p = RequestParser()
    let r = try input.withUnsafeBytes { try p.nextRaw($0) }
    #expect(r == .multibulk(consumed: input.count))
    #expect(p.argumentRanges == [8..<11, 17..<20])
    let inline = try b("GET key\r\n").withUnsafeBytes { try p.nextRaw($0) }
    #expect(inline == .inline(args: [b("GET"), b("key")], consumed: 9))
}

@Test("a shorter buffer than last time (a broken caller) restarts instead of reading out of bounds")
func shorterBufferRestarts() {
    var p = RequestParser()
    #expect(p.outcome(b("*2\r\n$3\r\nGET\r\n$3\r\nke")) == .needMore)
    #expect(p.outcome(b("*1\r\n$1\r\nx\r\n")) == .frame([b("x")], consumed: 11))
}

@Test("many small arguments arriving in small reads are parsed in linear time")
func manyArgumentsLinear() {
    let n = 100_000
    var input = b("*\(n)\r\n")
    for _ in 0..<n { input += b("$1\r\nx\r\n") }
    var p = RequestParser()
    let clock = ContinuousClock()
    let start = clock.now
    var end = 0
    var result = RequestOutcome.needMore
    input.withUnsafeBytes { buf in
        while result == .needMore && end < buf.count {
            end = min(end + 1024, buf.count)
            do throws(ProtocolError) {
                if let (args, consumed) = try p.next(UnsafeRawBufferPointer(rebasing: buf[0..<end])) {
                    result = .frame([args.first ?? [], args.last ?? []], consumed: consumed)
                    #expect(args.count == n)
                }
            } catch {
                result = .error(error.message)
            }
        }
    }
    #expect(result == .frame([b("x"), b("x")], consumed: input.count))
    #expect(clock.now - start < .seconds(10))
}

@Test("a 32 MiB bulk arriving in 16 KiB reads is parsed without rescanning")
func bigBulkLinear() {
    let size = 32 << 20
    var input = b("*2\r\n$3\r\nSET\r\n$\(size)\r\n")
    input += Bytes(repeating: 7, count: size)
    input += b("\r\n")
    var p = RequestParser()
    var calls = 0
    var got: (args: [Bytes], consumed: Int)?
    input.withUnsafeBytes { buf in
        var end = 0
        while got == nil && end < buf.count {
            end = min(end + 16 * 1024, buf.count)
            calls += 1
            got = try? p.next(UnsafeRawBufferPointer(rebasing: buf[0..<end]))
        }
    }
    #expect(got?.consumed == input.count)
    #expect(got?.args.count == 2)
    #expect(got?.args.last?.count == size)
    #expect(calls == (input.count + 16 * 1024 - 1) / (16 * 1024))
}
