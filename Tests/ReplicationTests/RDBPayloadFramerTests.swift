// RDBPayloadFramerTests.swift — the snapshot preamble and payload framing,
// fed whole, split at every byte boundary, and one byte at a time: the
// framing (keepalives, preamble, payload bytes, what is left for the command
// stream) must not depend on how reads split the input.

import Testing
import Replication
import RESP

/// What a caller observes: framing events (payload sizes dropped, as they
/// depend on splits), the payload bytes, the bytes left after the end, or the error.
struct FramerOutcome: Equatable, CustomStringConvertible {
    var events: [RDBPayloadFramer.Event] = []
    var payload: Bytes = []
    var rest: Bytes = []
    var error: RDBPayloadError?
    var transferRead: Int64 = 0

    var description: String {
        "events: \(events), payload: \(text(payload).debugDescription), rest: \(text(rest).debugDescription), error: \(String(describing: error))"
    }
}

/// Feeds `chunks` to a framer the way a link driver does.
func frame(_ chunks: [Bytes]) -> FramerOutcome {
    var framer = RDBPayloadFramer()
    var buffer = Bytes()
    var outcome = FramerOutcome()
    for chunk in chunks {
        buffer += chunk
        while !framer.isComplete {
            do {
                guard let (event, consumed) = try framer.next(buffer) else { break }
                if case .payload(let n) = event {
                    #expect(n == consumed && n > 0)
                    outcome.payload += buffer[0..<n]
                } else {
                    outcome.events.append(event)
                }
                buffer.removeFirst(consumed)
            } catch {
                outcome.error = error
                return outcome
            }
        }
    }
    outcome.rest = buffer
    outcome.transferRead = framer.transferRead
    return outcome
}

let mark = b("0123456789abcdef0123456789abcdef01234567")
let streamTail = b("*1\r\n$4\r\nPING\r\n")

struct FramerCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: Bytes
    var testDescription: String { name }
}

let framerCases: [FramerCase] = [
    FramerCase(name: "sized payload after keepalives, stream follows", input: b("\n\n\r\n$5\r\nhello") + streamTail),
    FramerCase(name: "empty sized payload", input: b("$0\r\n") + streamTail),
    FramerCase(name: "EOF-marked payload, stream follows",
               input: b("\n$EOF:") + mark + b("\r\nREDIS0010 payload bytes") + mark + streamTail),
    FramerCase(name: "EOF-marked payload containing most of the mark",
               input: b("$EOF:") + mark + b("\r\n") + Array(mark.prefix(39)) + b("X") + Array(mark.prefix(20)) + mark),
    FramerCase(name: "EOF-marked empty payload", input: b("$EOF:") + mark + b("\r\n") + mark),
    FramerCase(name: "master error", input: b("\n-NOAUTH Authentication required.\r\n")),
]

@Test("framing does not depend on where reads split the input", arguments: framerCases)
func framingIsSplitIndependent(_ c: FramerCase) {
    let whole = frame([c.input])
    for i in 0...c.input.count {
        let split = frame([Array(c.input[..<i]), Array(c.input[i...])])
        #expect(split == whole, "split at \(i)")
    }
    let bytewise = frame(c.input.map { [$0] })
    #expect(bytewise == whole, "byte by byte")
}

@Test func sizedPayloadEventsPayloadAndRest() {
    let o = frame([b("\n\n\r\n$5\r\nhello") + streamTail])
    #expect(o.events == [.keepalive, .keepalive, .keepalive, .begin(.exact(5)), .end])
    #expect(o.payload == b("hello"))
    #expect(o.rest == streamTail)
    #expect(o.transferRead == 5)
}

@Test func eofMarkedPayloadStopsAtTheMark() {
    let o = frame([b("$EOF:") + mark + b("\r\nREDIS0010 payload bytes") + mark + streamTail])
    #expect(o.events == [.begin(.untilMark(mark)), .end])
    #expect(o.payload == b("REDIS0010 payload bytes"))
    #expect(o.rest == streamTail)
    #expect(o.transferRead == Int64(23 + 40))
}

@Test func aPartialMarkInsideThePayloadIsPayload() {
    let body = Array(mark.prefix(39)) + b("X") + Array(mark.prefix(20))
    let o = frame([b("$EOF:") + mark + b("\r\n") + body + mark])
    #expect(o.payload == body)
    #expect(o.events.last == .end)
}

@Test func theMarkIsHeldBackUntilItIsComplete() throws {
    var framer = RDBPayloadFramer()
    let preamble = b("$EOF:") + mark + b("\r\n")
    #expect(try framer.next(preamble)?.event == .begin(.untilMark(mark)))
    // 39 bytes of the mark alone: nothing can be released yet.
    #expect(try framer.next(Array(mark.prefix(39))) == nil)
    // 45 bytes of which the last 39 might begin the mark: 6 are released.
    let partial = b("ABCDEF") + Array(mark.prefix(39))
    let step = try framer.next(partial)
    #expect(step?.event == .payload(6))
    #expect(step?.consumed == 6)
    #expect(try framer.next(mark)?.event == .end)
    #expect(framer.isComplete)
    #expect(try framer.next(streamTail) == nil)
}

@Test func transferSizeReportsLikeRedis() throws {
    var framer = RDBPayloadFramer()
    #expect(framer.transferSize == -1)
    _ = try? framer.next(b("$100\r\n"))
    #expect(framer.transferSize == 100)
    var eof = RDBPayloadFramer()
    _ = try? eof.next(b("$EOF:") + mark + b("\r\n"))
    #expect(eof.transferSize == 0)
}

struct FramerErrorCase: CustomTestStringConvertible, Sendable {
    var input: String
    var error: RDBPayloadError
    var testDescription: String { input.debugDescription }
}

let framerErrorCases: [FramerErrorCase] = [
    FramerErrorCase(input: "-ERR unknown command\r\n", error: .masterError("ERR unknown command")),
    FramerErrorCase(input: "\n-NOAUTH Authentication required.\r\n", error: .masterError("NOAUTH Authentication required.")),
    FramerErrorCase(input: "+OK\r\n", error: .notBulk(received: "+OK")),
    FramerErrorCase(input: "$abc\r\n", error: .invalidPreamble("$abc")),
    FramerErrorCase(input: "$-1\r\n", error: .invalidPreamble("$-1")),
    FramerErrorCase(input: "$\r\n", error: .invalidPreamble("$")),
    FramerErrorCase(input: "$EOF:short\r\n", error: .invalidPreamble("$EOF:short")),
]

@Test("malformed preambles are typed errors", arguments: framerErrorCases)
func malformedPreamble(_ c: FramerErrorCase) {
    #expect(frame([b(c.input)]).error == c.error)
    #expect(frame(b(c.input).map { [$0] }).error == c.error)
}

@Test func aPreambleWithoutNewlineIsRejectedAtTheLimit() {
    #expect(frame([Bytes(repeating: UInt8(ascii: "$"), count: 1024)]).error == nil)
    #expect(frame([Bytes(repeating: UInt8(ascii: "$"), count: 1025)]).error == .preambleTooLong(limit: 1024))
}

@Test func framerErrorsLogRedisTexts() {
    #expect(RDBPayloadError.masterError("ERR unknown command").logLine
            == .warning("MASTER aborted replication with an error: ERR unknown command"))
    #expect(RDBPayloadError.notBulk(received: "+OK").logLine
            == .warning("Bad protocol from MASTER, the first byte is not '$' (we received '+OK'), are you sure the host and port are right?"))
    #expect(RDBPayloadFramer.Length.exact(172).startLogLine(diskless: false)
            == .notice("MASTER <-> REPLICA sync: receiving 172 bytes from master to disk"))
    #expect(RDBPayloadFramer.Length.untilMark(mark).startLogLine(diskless: true)
            == .notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser"))
}

@Test func linesEndAtNewlineAndDropOneCarriageReturn() throws {
    #expect(try LineReader.next(b("+PONG\r\nrest"))?.line == b("+PONG"))
    #expect(try LineReader.next(b("+PONG\r\nrest"))?.consumed == 7)
    #expect(try LineReader.next(b("\n"))?.line == [])
    #expect(try LineReader.next(b("x\r\r\n"))?.line == b("x\r"))
    #expect(try LineReader.next(b("+PON")) == nil)
    #expect(throws: LineTooLongError(limit: 3)) { try LineReader.next(b("abcd"), maxLength: 3) }
}

@Test func whatTheMasterWritesTheFramerReads() throws {
    var rng = SeededGenerator(seed: 9)
    let m = SnapshotPreamble.randomMark(using: &rng)
    let rdb = b("REDIS0010 pretend snapshot")
    let diskless = frame([SnapshotPreamble.keepalive + SnapshotPreamble.eofMarked(m) + rdb + m])
    #expect(diskless.events == [.keepalive, .begin(.untilMark(m)), .end])
    #expect(diskless.payload == rdb)
    let disk = frame([SnapshotPreamble.sized(Int64(rdb.count)) + rdb])
    #expect(disk.events == [.begin(.exact(Int64(rdb.count))), .end])
    #expect(disk.payload == rdb)
}
