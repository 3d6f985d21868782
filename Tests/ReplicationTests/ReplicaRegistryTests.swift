// ReplicaRegistryTests.swift — the master's replica book: REPLCONF parsing,
// sync states, INFO golden lines, min-replicas-to-write, WAIT counting,
// timeouts and the backlog-TTL clock.

import Testing
import Replication
import RESP

let t0: Int64 = 1_700_000_000_000

func replconf(_ words: String...) -> REPLCONFRequest {
    REPLCONFRequest(arguments: words.map(b))
}

@Test func replconfParsesHandshakeOptionsInOrder() {
    #expect(replconf("listening-port", "6380", "capa", "eof", "capa", "psync2", "ip-address", "10.0.0.9")
            == .options([.listeningPort(6380), .capability(.eof), .capability(.psync2), .ipAddress("10.0.0.9")], error: nil))
    #expect(replconf("CAPA", "whatever") == .options([], error: nil))
    #expect(replconf("ack", "150") == .ack(150))
    #expect(replconf("ACK", "x") == .ack(nil))
    #expect(replconf("getack", "*") == .getAck)
    #expect(replconf("rdb-only", "1") == .options([.rdbOnly(true)], error: nil))
}

@Test func replconfErrorsAreRedisTexts() {
    #expect(replconf("listening-port") == .options([], error: "ERR syntax error"))
    #expect(replconf("listening-port", "abc") == .options([], error: "ERR value is not an integer or out of range"))
    #expect(replconf("capa", "eof", "bogus", "1") == .options([.capability(.eof)], error: "ERR Unrecognized REPLCONF option: bogus"))
    #expect(replconf("rdb-only", "2") == .options([], error: "ERR value is out of range, must be between 0 and 1"))
    #expect(replconf("ip-address", String(repeating: "x", count: 256))
            == .options([], error: "ERR REPLCONF ip-address provided by replica instance is too long: 256 bytes"))
    #expect(replconf("rdb-filter-only", "keys") == .options([], error: "ERR Unsupported rdb-filter-only option: keys"))
}

/// A registry with one online replica that announced port 16403 and acked 150.
func registryWithOnlineReplica() -> ReplicaRegistry {
    var r = ReplicaRegistry(nowMs: t0)
    r.apply([.listeningPort(16403), .capability(.eof), .capability(.psync2)], from: 7, peerIP: "127.0.0.1")
    r.attach(id: 7, peerIP: "127.0.0.1", state: .waitBGSaveStart, nowMs: t0)
    r.setState(.waitBGSaveEnd, of: 7)
    _ = r.putOnline(7, nowMs: t0, waitForAck: false)
    _ = r.recordAck(from: 7, offset: 150, nowMs: t0)
    return r
}

@Test func infoShowsReplicasLikeRedis() {
    // Redis 7.0.15: "slave0:ip=127.0.0.1,port=16403,state=online,offset=150,lag=1"
    let r = registryWithOnlineReplica()
    #expect(r.infoLines(nowMs: t0 + 1500, minReplicasToWrite: 0, minReplicasMaxLag: 10) == [
        "connected_slaves:1",
        "slave0:ip=127.0.0.1,port=16403,state=online,offset=150,lag=1",
    ])
}

@Test func infoListsEveryStateAndTheAnnouncedAddress() {
    var r = registryWithOnlineReplica()
    r.apply([.listeningPort(6381), .ipAddress("10.0.0.9")], from: 8, peerIP: "192.168.1.5")
    r.attach(id: 8, peerIP: "192.168.1.5", state: .waitBGSaveStart, nowMs: t0)
    r.attach(id: 9, peerIP: "::1", state: .waitBGSaveStart, nowMs: t0)
    r.setState(.sendBulk, of: 9)
    r.apply([.listeningPort(6382)], from: 10, peerIP: "127.0.0.1")   // handshake only: not listed
    #expect(r.infoLines(nowMs: t0 + 12_000, minReplicasToWrite: 1, minReplicasMaxLag: 10) == [
        "connected_slaves:3",
        "min_slaves_good_slaves:0",
        "slave0:ip=127.0.0.1,port=16403,state=online,offset=150,lag=12",
        "slave1:ip=10.0.0.9,port=6381,state=wait_bgsave,offset=0,lag=0",
        "slave2:ip=::1,port=0,state=send_bulk,offset=0,lag=0",
    ])
    #expect(r[8]?.name == "10.0.0.9:6381")
    #expect(r[9]?.name == "::1:<unknown-replica-port>")
    r.apply([.listeningPort(6383)], from: 9, peerIP: "::1")
    #expect(r[9]?.name == "[::1]:6383")
}

@Test func goodReplicasAreOnlineWithinTheMaxLag() {
    var r = registryWithOnlineReplica()
    #expect(r.goodReplicaCount(nowMs: t0 + 10_999, maxLagSeconds: 10) == 1)
    #expect(r.goodReplicaCount(nowMs: t0 + 11_000, maxLagSeconds: 10) == 0)
    _ = r.recordAck(from: 7, offset: 100, nowMs: t0 + 11_000)   // an older offset still refreshes the time
    #expect(r.goodReplicaCount(nowMs: t0 + 11_000, maxLagSeconds: 10) == 1)
    #expect(r[7]?.ackOffset == 150)
}

@Test func waitCountsOnlineReplicasThatAckedTheOffset() {
    var r = registryWithOnlineReplica()
    r.attach(id: 8, peerIP: "127.0.0.2", state: .online, nowMs: t0)   // partial resync: online at once
    _ = r.recordAck(from: 8, offset: 120, nowMs: t0)
    r.attach(id: 9, peerIP: "127.0.0.3", state: .waitBGSaveStart, nowMs: t0)
    _ = r.recordAck(from: 9, offset: 500, nowMs: t0)                 // not online: does not count
    #expect(r.replicasAcked(offset: 100) == 2)
    #expect(r.replicasAcked(offset: 150) == 1)
    #expect(r.replicasAcked(offset: 151) == 0)
}

@Test func ackFromANonReplicaIsIgnored() {
    var r = ReplicaRegistry(nowMs: t0)
    r.apply([.listeningPort(1)], from: 3, peerIP: "x")
    #expect(r.recordAck(from: 3, offset: 10, nowMs: t0) == false)
    #expect(r[3]?.ackOffset == 0)
}

@Test func afterADisklessTransferTheStreamStartsOnTheFirstAck() {
    var r = ReplicaRegistry(nowMs: t0)
    r.apply([.listeningPort(6380)], from: 5, peerIP: "127.0.0.1")
    r.attach(id: 5, peerIP: "127.0.0.1", state: .waitBGSaveStart, nowMs: t0)
    r.setState(.waitBGSaveEnd, of: 5)
    #expect(r.putOnline(5, nowMs: t0, waitForAck: true) == [
        .notice("Streamed RDB transfer with replica 127.0.0.1:6380 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming"),
        .notice("Synchronization with replica 127.0.0.1:6380 succeeded"),
    ])
    #expect(r.recordAck(from: 5, offset: 0, nowMs: t0) == true)
    #expect(r.recordAck(from: 5, offset: 0, nowMs: t0) == false)
}

@Test func whoGetsTheStreamAndWhoGetsKeepalives() {
    var r = ReplicaRegistry(nowMs: t0)
    r.attach(id: 1, peerIP: "a", state: .waitBGSaveStart, nowMs: t0)
    r.attach(id: 2, peerIP: "b", state: .waitBGSaveStart, nowMs: t0)
    r.setState(.waitBGSaveEnd, of: 2)
    r.attach(id: 3, peerIP: "c", state: .online, nowMs: t0)
    r.apply([.rdbOnly(true)], from: 4, peerIP: "d")
    r.attach(id: 4, peerIP: "d", state: .waitBGSaveStart, nowMs: t0)
    r.setState(.waitBGSaveEnd, of: 4)
    #expect(r.streamTargets == [2, 3])
    #expect(r.presyncKeepaliveTargets(snapshotToSocket: false) == [1, 2, 4])
    #expect(r.presyncKeepaliveTargets(snapshotToSocket: true) == [1])
}

@Test func pendingFullSyncsShareOnlyCommonCapabilities() {
    var r = ReplicaRegistry(nowMs: t0)
    r.apply([.capability(.eof), .capability(.psync2)], from: 1, peerIP: "a")
    r.attach(id: 1, peerIP: "a", state: .waitBGSaveStart, nowMs: t0)
    r.apply([.capability(.psync2)], from: 2, peerIP: "b")
    r.attach(id: 2, peerIP: "b", state: .waitBGSaveStart, nowMs: t0)
    let pending = r.pendingFullSyncs
    #expect(pending.ids == [1, 2])
    #expect(pending.commonCapabilities == [.psync2])
}

@Test func silentReplicasTimeOutButLegacySyncOnesDoNot() {
    var r = registryWithOnlineReplica()
    r.attach(id: 8, peerIP: "127.0.0.9", state: .online, nowMs: t0, legacySync: true)
    #expect(r.timedOutReplicas(nowMs: t0 + 60_999, timeoutSeconds: 60).isEmpty)
    let late = r.timedOutReplicas(nowMs: t0 + 61_000, timeoutSeconds: 60)
    #expect(late.map(\.id) == [7])
    #expect(late.first?.log == .warning("Disconnecting timedout replica (streaming sync): 127.0.0.1:16403"))
}

@Test func removingTheLastReplicaStartsTheBacklogTTLClock() {
    var r = registryWithOnlineReplica()
    #expect(r.noReplicasSinceMs == t0)
    #expect(r.remove(7, nowMs: t0 + 5000) == .warning("Connection with replica 127.0.0.1:16403 lost."))
    #expect(r.noReplicasSinceMs == t0 + 5000)
    #expect(r.count == 0)
    #expect(r.remove(7, nowMs: t0 + 6000) == nil)
}

@Test func roleListsOnlineReplicas() {
    var r = registryWithOnlineReplica()
    r.attach(id: 8, peerIP: "x", state: .waitBGSaveStart, nowMs: t0)
    let entries = r.roleEntries
    #expect(entries.count == 1)
    #expect(entries.first?.ip == "127.0.0.1")
    #expect(entries.first?.port == 16403)
    #expect(entries.first?.offset == 150)
}

@Test func waitersAreReleasedWhenEnoughReplicasAck() {
    var q = WaitQueue()
    q.add(clientID: 1, offset: 100, numReplicas: 1, deadlineMs: nil)
    q.add(clientID: 2, offset: 200, numReplicas: 2, deadlineMs: t0 + 1000)
    q.add(clientID: 3, offset: 90, numReplicas: 1, deadlineMs: nil)
    var acked: [Int64: Int] = [:]
    let counts = { (offset: Int64) -> Int in acked.filter { $0.key >= offset }.values.reduce(0, +) }
    acked[150] = 1
    let released = q.release(acked: counts)
    // Newest first; client 1 reuses client 3's count.
    #expect(released.map(\.clientID) == [3, 1])
    #expect(released.map(\.replicas) == [1, 1])
    #expect(q.count == 1)
    let expired = q.expire(nowMs: t0 + 1000, acked: counts)
    #expect(expired.map(\.clientID) == [2])
    #expect(expired.map(\.replicas) == [0])
    #expect(q.count == 0)
}

@Test func replicaInfoLinesMatchRedis() {
    // redis-server 7.0.15, a connected replica of 127.0.0.1:16400.
    let up = ReplicaInfoSection(masterHost: "127.0.0.1", masterPort: 16400, linkUp: true, lastIOSecondsAgo: 1,
                                readReplOffset: 150, replOffset: 150, linkDownSinceSeconds: nil)
    #expect(up.lines == [
        "master_host:127.0.0.1", "master_port:16400", "master_link_status:up", "master_last_io_seconds_ago:1",
        "master_sync_in_progress:0", "slave_read_repl_offset:150", "slave_repl_offset:150",
        "slave_priority:100", "slave_read_only:1", "replica_announced:1",
    ])
    let syncing = ReplicaInfoSection(masterHost: "m", masterPort: 1, linkUp: false, lastIOSecondsAgo: -1,
                                     transfer: .init(size: 300, read: 100, lastIOSecondsAgo: 0),
                                     readReplOffset: 1, replOffset: 1, linkDownSinceSeconds: nil)
    #expect(Array(syncing.lines[4...12]) == [
        "master_sync_in_progress:1", "slave_read_repl_offset:1", "slave_repl_offset:1",
        "master_sync_total_bytes:300", "master_sync_read_bytes:100", "master_sync_left_bytes:200",
        "master_sync_perc:33.33", "master_sync_last_io_seconds_ago:0", "master_link_down_since_seconds:-1",
    ])
}
