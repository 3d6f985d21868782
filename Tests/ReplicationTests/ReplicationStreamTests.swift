// ReplicationStreamTests.swift — history + backlog + SELECT tracking moving
// together through a node's life, checked against Redis 7.0.15's INFO.

import Testing
import Replication
import RESP

let setAB = [b("set"), b("a"), b("b")]

@Test func withoutABacklogNothingIsRecordedAndTheOffsetStays() {
    var s = ReplicationStream(history: ReplicationHistory(replID: id("a")), backlogSize: 1_048_576)
    #expect(s.propagate(db: 0, args: setAB) == nil)
    #expect(s.history.masterReplOffset == 0)
    #expect(s.infoLines() == [
        "master_failover_state:no-failover",
        "master_replid:\(id("a"))",
        "master_replid2:0000000000000000000000000000000000000000",
        "master_repl_offset:0",
        "second_repl_offset:-1",
        "repl_backlog_active:0",
        "repl_backlog_size:1048576",
        "repl_backlog_first_byte_offset:0",
        "repl_backlog_histlen:0",
    ])
}

@Test func theRedisTimelineOfAMasterAndItsReplica() {
    var rng = SeededGenerator(seed: 1)
    // Master: the first replica makes it pick a new id and create its backlog.
    var master = ReplicationStream(history: ReplicationHistory(replID: id("a")), backlogSize: 1_048_576)
    let created = master.prepareBacklogForFirstReplica(using: &rng)
    #expect(master.history.replID != id("a"))
    #expect(created == .notice("Replication backlog created, my new replication IDs are '\(master.history.replID)' and '0000000000000000000000000000000000000000'"))
    #expect(master.prepareBacklogForFirstReplica(using: &rng) == nil)
    #expect(master.propagate(db: 0, args: setAB).map(text) == select0 + "*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n")
    #expect(master.history.masterReplOffset == 50)

    // A replica full-syncs at 50; the master forces a SELECT for the new stream.
    master.forceSelect()
    var replica = ReplicationStream(history: ReplicationHistory(replID: id("r")), backlogSize: 1_048_576)
    replica.finishFullSync(replID: master.history.replID, offset: 50)
    var streamed = Bytes()
    streamed += master.propagate(db: 0, args: [b("set"), b("k"), b("v")]) ?? []
    streamed += master.propagate(db: 3, args: [b("set"), b("k"), b("v")]) ?? []
    replica.feedFromMaster(streamed)

    // Redis 7.0.15 INFO after exactly these steps.
    #expect(master.infoLines().suffix(6) == [
        "master_repl_offset:150", "second_repl_offset:-1", "repl_backlog_active:1",
        "repl_backlog_size:1048576", "repl_backlog_first_byte_offset:1", "repl_backlog_histlen:150",
    ])
    #expect(replica.infoLines().suffix(6) == [
        "master_repl_offset:150", "second_repl_offset:-1", "repl_backlog_active:1",
        "repl_backlog_size:1048576", "repl_backlog_first_byte_offset:51", "repl_backlog_histlen:100",
    ])
    #expect(replica.history.replID == master.history.replID)

    // The replica can continue from where it is (nothing to send).
    let cont = master.decidePSYNC(requestedID: replica.history.replID.bytes, requestedOffset: 151)
    #expect(cont == .continue(sameID: true))
    #expect(master.backlog?.bytes(from: 151) == [])
}

@Test func aPromotedReplicaLetsItsSiblingsContinue() {
    var rng = SeededGenerator(seed: 2)
    var replica = ReplicationStream(history: ReplicationHistory(replID: id("r")), backlogSize: 1000)
    replica.finishFullSync(replID: id("m"), offset: 500)
    replica.feedFromMaster(b("*1\r\n$4\r\nPING\r\n"))
    #expect(replica.history.masterReplOffset == 514)

    let line = replica.promote(using: &rng)
    #expect(replica.history.replID2 == id("m"))
    #expect(replica.history.secondReplOffset == 515)
    #expect(line.level == .warning)
    // The next write starts with SELECT even in db 0.
    #expect(replica.propagate(db: 0, args: [b("x")]).map(text) == select0 + "*1\r\n$1\r\nx\r\n")

    // A sibling that had applied up to 514 asks with the old master's id.
    #expect(replica.decidePSYNC(requestedID: id("m").bytes, requestedOffset: 515) == .continue(sameID: false))
    // One that somehow claims more of the old history cannot.
    #expect(replica.decidePSYNC(requestedID: id("m").bytes, requestedOffset: 516)
            == .fullResync(.secondaryIDOffsetTooHigh(requested: 516, validUpTo: 515)))
}

@Test func continueWithANewIdShiftsTheOldOneToId2() {
    var replica = ReplicationStream(history: ReplicationHistory(replID: id("m"), masterReplOffset: 300), backlogSize: 1000)
    let cached = CachedMaster(replID: id("m"), offset: 300)
    let line = replica.finishPartialSync(newID: id("n"), cached: cached)
    #expect(line == .notice("Master replication ID changed to \(id("n"))"))
    #expect(replica.history.replID == id("n"))
    #expect(replica.history.replID2 == id("m"))
    #expect(replica.history.secondReplOffset == 301)
    #expect(replica.backlog?.firstByteOffset == 301)
    // The same id changes nothing.
    #expect(replica.finishPartialSync(newID: id("n"), cached: CachedMaster(replID: id("n"), offset: 300)) == nil)
}

@Test func demotionOffersOurOwnHistoryAsTheCachedMaster() {
    let h = ReplicationHistory(replID: id("a"), masterReplOffset: 1234)
    #expect(h.cachedMasterForDemotion == CachedMaster(replID: id("a"), offset: 1234))
}

@Test func theBacklogIsFreedAfterTheTTLWithoutReplicas() {
    var rng = SeededGenerator(seed: 3)
    var s = ReplicationStream(history: ReplicationHistory(replID: id("a")), backlogSize: 100)
    s.createBacklogIfNeeded()
    _ = s.propagate(db: 0, args: [b("x")])
    let since: Int64 = 1_000_000
    // 3600 s TTL: idle must EXCEED it, in whole seconds.
    #expect(s.expireIdleBacklog(nowMs: since + 3_600_999, noReplicasSinceMs: since, ttlSeconds: 3600,
                                replicaCount: 0, isMaster: true, using: &rng) == nil)
    #expect(s.expireIdleBacklog(nowMs: since + 3_601_000, noReplicasSinceMs: since, ttlSeconds: 3600,
                                replicaCount: 1, isMaster: true, using: &rng) == nil)
    #expect(s.expireIdleBacklog(nowMs: since + 3_601_000, noReplicasSinceMs: since, ttlSeconds: 3600,
                                replicaCount: 0, isMaster: false, using: &rng) == nil)
    let line = s.expireIdleBacklog(nowMs: since + 3_601_000, noReplicasSinceMs: since, ttlSeconds: 3600,
                                   replicaCount: 0, isMaster: true, using: &rng)
    #expect(line == .notice("Replication backlog freed after 3600 seconds without connected replicas."))
    #expect(s.backlog == nil)
    #expect(s.history.replID != id("a"))
    #expect(s.history.masterReplOffset == 34)  // SELECT 0 (23) + "x" (11): the offset survives, the id does not
}

@Test func configSetResizesTheLiveBacklog() {
    var s = ReplicationStream(history: ReplicationHistory(replID: id("a")), backlogSize: 100)
    s.setBacklogSize(10)
    #expect(s.backlogSize == 16384)
    s.createBacklogIfNeeded()
    #expect(s.backlog?.size == 16384)
}
