// PSYNCDecisionTests.swift — masterTryPartialResynchronization as a table:
// current id, secondary id (replid2) with its offset bound, "?", and the
// backlog's coverage, each with Redis's log text.

import Testing
import Replication
import RESP

/// A history that was promoted at offset 100 (id2 = "b…", valid up to 101) and
/// has since produced bytes up to offset 150; its backlog holds 51…150.
func promotedHistory() -> (ReplicationHistory, ReplicationBacklog) {
    var h = ReplicationHistory(replID: id("a"), masterReplOffset: 150)
    h.replID2 = id("b")
    h.secondReplOffset = 101
    var backlog = ReplicationBacklog(size: 100, masterReplOffset: 0)
    backlog.append(Bytes(repeating: 0x2A, count: 150))
    return (h, backlog)
}

struct PSYNCCase: CustomTestStringConvertible, Sendable {
    var name: String
    var requestedID: String
    var offset: Int64
    var expected: PSYNCDecision
    var testDescription: String { name }
}

let psyncCases: [PSYNCCase] = [
    PSYNCCase(name: "current id at the oldest byte", requestedID: String(repeating: "a", count: 40), offset: 51,
              expected: .continue(sameID: true)),
    PSYNCCase(name: "current id, fully caught up (offset = master_repl_offset + 1)", requestedID: String(repeating: "a", count: 40), offset: 151,
              expected: .continue(sameID: true)),
    PSYNCCase(name: "current id in upper case", requestedID: String(repeating: "A", count: 40), offset: 120,
              expected: .continue(sameID: true)),
    PSYNCCase(name: "current id, before the backlog", requestedID: String(repeating: "a", count: 40), offset: 50,
              expected: .fullResync(.notInBacklog(requested: 50, beyondMasterOffset: false))),
    PSYNCCase(name: "current id, past our offset", requestedID: String(repeating: "a", count: 40), offset: 152,
              expected: .fullResync(.notInBacklog(requested: 152, beyondMasterOffset: true))),
    PSYNCCase(name: "secondary id up to its bound", requestedID: String(repeating: "b", count: 40), offset: 101,
              expected: .continue(sameID: false)),
    PSYNCCase(name: "secondary id below its bound", requestedID: String(repeating: "b", count: 40), offset: 80,
              expected: .continue(sameID: false)),
    PSYNCCase(name: "secondary id past its bound", requestedID: String(repeating: "b", count: 40), offset: 102,
              expected: .fullResync(.secondaryIDOffsetTooHigh(requested: 102, validUpTo: 101))),
    PSYNCCase(name: "secondary id within bound but before the backlog", requestedID: String(repeating: "b", count: 40), offset: 20,
              expected: .fullResync(.notInBacklog(requested: 20, beyondMasterOffset: false))),
    PSYNCCase(name: "unknown id", requestedID: String(repeating: "c", count: 40), offset: 100,
              expected: .fullResync(.replicationIDMismatch(requested: String(repeating: "c", count: 40), replID: id("a"), replID2: id("b")))),
    PSYNCCase(name: "explicit full resync", requestedID: "?", offset: -1,
              expected: .fullResync(.requestedByReplica)),
    PSYNCCase(name: "anything starting with ?", requestedID: "?xyz", offset: 60,
              expected: .fullResync(.requestedByReplica)),
]

@Test("PSYNC decisions follow masterTryPartialResynchronization", arguments: psyncCases)
func psyncDecision(_ c: PSYNCCase) {
    let (history, backlog) = promotedHistory()
    #expect(history.decidePSYNC(requestedID: c.requestedID, requestedOffset: c.offset, backlog: backlog) == c.expected)
}

@Test func withoutABacklogEveryRequestNeedsAFullResync() {
    let h = ReplicationHistory(replID: id("a"), masterReplOffset: 0)
    #expect(h.decidePSYNC(requestedID: String(repeating: "a", count: 40), requestedOffset: 1, backlog: nil)
            == .fullResync(.notInBacklog(requested: 1, beyondMasterOffset: true)))
}

@Test func aClearedSecondaryIdOfZerosNeverMatches() {
    // replid2 "000…0" with second_repl_offset -1: asking for it fails on the bound.
    let h = ReplicationHistory(replID: id("a"), masterReplOffset: 10)
    let backlog = ReplicationBacklog(size: 10, masterReplOffset: 10)
    #expect(h.decidePSYNC(requestedID: String(repeating: "0", count: 40), requestedOffset: 5, backlog: backlog)
            == .fullResync(.secondaryIDOffsetTooHigh(requested: 5, validUpTo: -1)))
}

@Test func fullResyncReasonsLogRedisTexts() {
    let name = "127.0.0.1:6380"
    #expect(FullResyncReason.requestedByReplica.logLines(replicaName: name)
            == [.notice("Full resync requested by replica 127.0.0.1:6380")])
    #expect(FullResyncReason.replicationIDMismatch(requested: "xyz", replID: id("a"), replID2: .zero).logLines(replicaName: name)
            == [.notice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for 'xyz', my replication IDs are '\(String(repeating: "a", count: 40))' and '0000000000000000000000000000000000000000')")])
    #expect(FullResyncReason.secondaryIDOffsetTooHigh(requested: 102, validUpTo: 101).logLines(replicaName: name)
            == [.notice("Partial resynchronization not accepted: Requested offset for second ID was 102, but I can reply up to 101")])
    #expect(FullResyncReason.notInBacklog(requested: 200, beyondMasterOffset: true).logLines(replicaName: name) == [
        .notice("Unable to partial resync with replica 127.0.0.1:6380 for lack of backlog (Replica request was: 200)."),
        .warning("Warning: replica 127.0.0.1:6380 tried to PSYNC with an offset that is greater than the master replication offset."),
    ])
    #expect(!FullResyncReason.requestedByReplica.countsAsPartialError)
    #expect(FullResyncReason.notInBacklog(requested: 1, beyondMasterOffset: false).countsAsPartialError)
}

@Test func repliesAreRedisBytes() {
    let h = ReplicationHistory(replID: id("a"), masterReplOffset: 7)
    #expect(text(h.continueReply(psync2: true)) == "+CONTINUE \(String(repeating: "a", count: 40))\r\n")
    #expect(text(h.continueReply(psync2: false)) == "+CONTINUE\r\n")
    #expect(text(h.fullResyncReply(offset: 7)) == "+FULLRESYNC \(String(repeating: "a", count: 40)) 7\r\n")
}

@Test func psyncOffsetsParseLikeString2ll() {
    #expect(parsePSYNCOffset(b("-1")) == -1)
    #expect(parsePSYNCOffset(b("151")) == 151)
    #expect(parsePSYNCOffset(b("abc")) == nil)
    #expect(parsePSYNCOffset(b(" 1")) == nil)
    #expect(parsePSYNCOffset(b("+1")) == nil)
}

@Test func promotionKeepsTheOldHistoryContinuableUpToThePromotionPoint() {
    var rng = SeededGenerator(seed: 42)
    var h = ReplicationHistory(replID: id("a"), masterReplOffset: 100)
    let line = h.shiftReplicationID(using: &rng)
    #expect(h.replID2 == id("a"))
    #expect(h.secondReplOffset == 101)
    #expect(h.replID != id("a"))
    #expect(line == .warning("Setting secondary replication ID to \(id("a")), valid up to offset: 101. New replication ID is \(h.replID)"))
    let backlog = ReplicationBacklog(size: 1000, masterReplOffset: 100)
    // A sibling replica of the old master, caught up at 100, continues on the old id.
    #expect(h.decidePSYNC(requestedID: id("a").description, requestedOffset: 101, backlog: backlog) == .continue(sameID: false))
}

@Test func randomIdsAreFortyLowercaseHexDigits() {
    var rng = SeededGenerator(seed: 7)
    let a = ReplicationID.random(using: &rng)
    let b2 = ReplicationID.random(using: &rng)
    #expect(a.bytes.count == 40)
    #expect(a.bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
    #expect(a != b2)
    #expect(ReplicationID("short") == nil)
}
