// StreamFeederTests.swift — the bytes a master appends to its replication
// stream: SELECT insertion, MULTI/EXEC wrapping, the deterministic rewrites.

import Testing
import Replication
import RESP

let select0 = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"

@Test func theFirstCommandIsPrecededBySelect() {
    var f = StreamFeeder()
    #expect(text(f.encode(db: 0, args: [b("set"), b("a"), b("b")]))
            == select0 + "*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n")
    #expect(f.selectedDB == 0)
}

@Test func selectIsInsertedOnlyWhenTheDatabaseChanges() {
    var f = StreamFeeder()
    var out = Bytes()
    f.append(db: 0, args: [b("DEL"), b("k")], to: &out)
    f.append(db: 0, args: [b("DEL"), b("j")], to: &out)
    f.append(db: 12, args: [b("DEL"), b("k")], to: &out)
    #expect(text(out) == select0 + "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n" + "*2\r\n$3\r\nDEL\r\n$1\r\nj\r\n"
            + "*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n")
}

@Test func resetForcesSelectAgain() {
    var f = StreamFeeder()
    _ = f.encode(db: 3, args: [b("PING")])
    f.reset()
    #expect(text(f.encode(db: 3, args: [b("x")])) == "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*1\r\n$1\r\nx\r\n")
}

@Test func encodedCommandsAreForwardedVerbatim() {
    var f = StreamFeeder()
    var out = Bytes()
    f.append(db: 0, encodedCommand: b("*2\r\n$3\r\nget\r\n$1\r\nk\r\n"), to: &out)
    #expect(text(out) == select0 + "*2\r\n$3\r\nget\r\n$1\r\nk\r\n")
}

@Test func multiOpPropagationIsWrappedInMultiExecWithTheFirstOpsDatabase() {
    var f = StreamFeeder()
    var out = Bytes()
    f.appendTransaction([(db: 1, args: [b("DEL"), b("a")]), (db: 1, args: [b("DEL"), b("b")])], to: &out)
    #expect(text(out) == "*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*1\r\n$5\r\nMULTI\r\n"
            + "*2\r\n$3\r\nDEL\r\n$1\r\na\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n*1\r\n$4\r\nEXEC\r\n")
    var single = Bytes()
    f.appendTransaction([(db: 1, args: [b("DEL"), b("c")])], to: &single)
    #expect(text(single) == "*2\r\n$3\r\nDEL\r\n$1\r\nc\r\n")
}

@Test func pingAndGetAckNeverSelect() {
    let f = StreamFeeder()
    var out = Bytes()
    f.appendWithoutSelect(args: PropagatedCommand.ping, to: &out)
    f.appendWithoutSelect(args: PropagatedCommand.getAck, to: &out)
    #expect(text(out) == "*1\r\n$4\r\nping\r\n*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n")
}

struct RewriteCase: CustomTestStringConvertible, Sendable {
    var name: String
    var args: [Bytes]
    var wire: String
    var testDescription: String { name }
}

let rewriteCases: [RewriteCase] = [
    RewriteCase(name: "expired key", args: PropagatedCommand.del(b("k")), wire: "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n"),
    RewriteCase(name: "expired key, lazy", args: PropagatedCommand.unlink(keys: [b("k")]), wire: "*2\r\n$6\r\nUNLINK\r\n$1\r\nk\r\n"),
    RewriteCase(name: "EXPIRE", args: PropagatedCommand.pexpireAt(key: b("k"), unixMs: 1_700_000_000_123),
                wire: "*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$13\r\n1700000000123\r\n"),
    RewriteCase(name: "GETEX PERSIST", args: PropagatedCommand.persist(key: b("k")), wire: "*2\r\n$7\r\nPERSIST\r\n$1\r\nk\r\n"),
    RewriteCase(name: "SET EX", args: PropagatedCommand.setPXAT(key: b("k"), value: b("v"), unixMs: 5),
                wire: "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$1\r\n5\r\n"),
    RewriteCase(name: "INCRBYFLOAT", args: PropagatedCommand.setKeepTTL(key: b("k"), value: b("3.5")),
                wire: "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n3.5\r\n$7\r\nKEEPTTL\r\n"),
    RewriteCase(name: "HINCRBYFLOAT", args: PropagatedCommand.hset(key: b("h"), field: b("f"), value: b("1.5")),
                wire: "*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$3\r\n1.5\r\n"),
    RewriteCase(name: "SPOP", args: PropagatedCommand.srem(key: b("s"), members: [b("m1"), b("m2")]),
                wire: "*4\r\n$4\r\nSREM\r\n$1\r\ns\r\n$2\r\nm1\r\n$2\r\nm2\r\n"),
    RewriteCase(name: "BLPOP", args: PropagatedCommand.lpop(key: b("l")), wire: "*2\r\n$4\r\nLPOP\r\n$1\r\nl\r\n"),
    RewriteCase(name: "BLMPOP RIGHT COUNT 3", args: PropagatedCommand.rpop(key: b("l"), count: 3),
                wire: "*3\r\n$4\r\nRPOP\r\n$1\r\nl\r\n$1\r\n3\r\n"),
    RewriteCase(name: "BZPOPMIN", args: PropagatedCommand.zpopmin(key: b("z")), wire: "*2\r\n$7\r\nZPOPMIN\r\n$1\r\nz\r\n"),
    RewriteCase(name: "BZMPOP MAX COUNT 2", args: PropagatedCommand.zpopmax(key: b("z"), count: 2),
                wire: "*3\r\n$7\r\nZPOPMAX\r\n$1\r\nz\r\n$1\r\n2\r\n"),
    RewriteCase(name: "BLMOVE", args: PropagatedCommand.lmove(source: b("a"), destination: b("b"), from: .left, to: .right),
                wire: "*5\r\n$5\r\nLMOVE\r\n$1\r\na\r\n$1\r\nb\r\n$4\r\nleft\r\n$5\r\nright\r\n"),
    RewriteCase(name: "BRPOPLPUSH", args: PropagatedCommand.rpoplpush(source: b("a"), destination: b("b")),
                wire: "*3\r\n$9\r\nRPOPLPUSH\r\n$1\r\na\r\n$1\r\nb\r\n"),
    RewriteCase(name: "SELECT", args: PropagatedCommand.select(15), wire: "*2\r\n$6\r\nSELECT\r\n$2\r\n15\r\n"),
]

@Test("deterministic rewrites encode as Redis propagates them", arguments: rewriteCases)
func rewriteEncoding(_ c: RewriteCase) {
    #expect(text(encodeCommand(c.args)) == c.wire)
}

@Test func selectCommandMatchesTheGenericEncoding() {
    for db in [0, 9, 10, 15, 1234] {
        #expect(StreamFeeder.selectCommand(db) == encodeCommand(PropagatedCommand.select(db)))
    }
}

@Test func largeSpopIsSplitIntoBatchesOf1024() {
    let members = (0..<2500).map { b("m\($0)") }
    let batches = PropagatedCommand.sremBatches(key: b("s"), members: members)
    #expect(batches.map { $0.count - 2 } == [1024, 1024, 452])
    #expect(batches.flatMap { $0.dropFirst(2) } == members)
}
