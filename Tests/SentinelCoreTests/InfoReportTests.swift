// Tests of InfoReport.parse: Redis 7.0 INFO replies as a sentinel reads them
// (sentinelRefreshInstanceInfo rules), and robustness against garbage.

import Testing
@testable import SentinelCore

/// INFO text with CRLF line ends, as a node sends it.
private func info(_ lines: [String]) -> String {
    lines.joined(separator: "\r\n") + "\r\n"
}

private let runID = "8f8e3e2a5a0b4ce1c4f2b9a7d6e5f4a3b2c1d0e9"

private let masterInfo = info([
    "# Server",
    "redis_version:7.0.15",
    "redis_mode:standalone",
    "run_id:\(runID)",
    "tcp_port:6379",
    "",
    "# Replication",
    "role:master",
    "connected_slaves:2",
    "slave0:ip=10.0.0.2,port=6380,state=online,offset=5012,lag=0",
    "slave1:ip=10.0.0.3,port=6381,state=wait_bgsave,offset=0,lag=3",
    "master_failover_state:no-failover",
    "master_replid:0c5a8dbbb1d54c94c2c1a0b2c3d4e5f60718293a",
    "master_replid2:0000000000000000000000000000000000000000",
    "master_repl_offset:5012",
    "second_repl_offset:-1",
    "repl_backlog_active:1",
])

private let replicaInfo = info([
    "# Server",
    "redis_version:7.0.15",
    "run_id:\(runID)",
    "",
    "# Replication",
    "role:slave",
    "master_host:10.0.0.1",
    "master_port:6379",
    "master_link_status:up",
    "master_last_io_seconds_ago:1",
    "master_sync_in_progress:0",
    "slave_read_repl_offset:4900",
    "slave_repl_offset:4900",
    "slave_priority:10",
    "slave_read_only:1",
    "replica_announced:1",
    "connected_slaves:0",
    "master_repl_offset:4900",
])

@Suite struct InfoReportTests {
    @Test func masterReportGivesIdentityOffsetAndReplicas() {
        let r = InfoReport.parse(masterInfo)
        #expect(r.runID == runID)
        #expect(r.role == .master)
        #expect(r.redisVersion == "7.0.15")
        #expect(r.masterReplicationOffset == 5012)
        #expect(r.replicas == [
            .init(host: "10.0.0.2", port: 6380, state: "online", offset: 5012, lag: 0),
            .init(host: "10.0.0.3", port: 6381, state: "wait_bgsave", offset: 0, lag: 3),
        ])
        #expect(r.masterHost == nil && r.masterPort == nil && !r.masterLinkUp)
        #expect(r.replicaPriority == 100 && r.replicaAnnounced)
    }

    @Test func replicaReportGivesItsViewOfTheMaster() {
        let r = InfoReport.parse(replicaInfo)
        #expect(r == InfoReport(runID: runID, role: .replica, redisVersion: "7.0.15",
                                masterHost: "10.0.0.1", masterPort: 6379, masterLinkUp: true,
                                masterLinkDownSinceSeconds: nil, replicaPriority: 10, replicaOffset: 4900,
                                replicaAnnounced: true, masterReplicationOffset: 4900, replicas: []))
    }

    @Test(arguments: [("-1", -1), ("0", 0), ("42", 42)])
    func linkDownSinceKeepsTheReportedNumber(value: String, seconds: Int) {
        let r = InfoReport.parse(info(["role:slave", "master_host:h", "master_link_status:down",
                                       "master_link_down_since_seconds:\(value)"]))
        #expect(!r.masterLinkUp)
        #expect(r.masterLinkDownSinceSeconds == seconds)
    }

    @Test func linkStatusIsCaseInsensitive() {
        #expect(InfoReport.parse(info(["role:slave", "master_link_status:UP"])).masterLinkUp)
        #expect(!InfoReport.parse(info(["role:slave", "master_link_status:upish"])).masterLinkUp)
    }

    @Test(arguments: ["", "abc", String(repeating: "a", count: 39), String(repeating: "a", count: 41)])
    func runIDCountsOnlyAtExactly40Characters(value: String) {
        #expect(InfoReport.parse(info(["run_id:\(value)"])).runID == nil)
    }

    @Test func replicaFieldsBeforeTheRoleLineAreIgnoredAsInRedis() {
        let r = InfoReport.parse(info(["master_host:10.0.0.1", "master_port:6379", "slave_priority:5",
                                       "master_link_status:up", "role:slave"]))
        #expect(r.role == .replica)
        #expect(r.masterHost == nil && r.masterPort == nil && r.replicaPriority == 100 && !r.masterLinkUp)
    }

    @Test func replicaFieldsAreIgnoredOnAMaster() {
        let r = InfoReport.parse(info(["role:master", "master_host:10.0.0.1", "slave_repl_offset:7"]))
        #expect(r.masterHost == nil && r.replicaOffset == 0)
    }

    @Test func bareLineFeedsWorkToo() {
        let r = InfoReport.parse("role:slave\nmaster_host:h\nmaster_port:7000\n")
        #expect(r.role == .replica && r.masterHost == "h" && r.masterPort == 7000)
    }

    @Test(arguments: [("role:sentinel", nil), ("role:", nil), ("role:masterx", nil),
                      ("role:master", InfoReport.Role.master), ("role:slave", .replica)] as [(String, InfoReport.Role?)])
    func roleIsMasterOrSlaveOnly(line: String, role: InfoReport.Role?) {
        #expect(InfoReport.parse(info([line])).role == role)
    }

    @Test func replicaPriorityAcceptsBothSpellingsAndZero() {
        #expect(InfoReport.parse(info(["role:slave", "replica_priority:0"])).replicaPriority == 0)
        #expect(InfoReport.parse(info(["role:slave", "slave_priority:250"])).replicaPriority == 250)
    }

    @Test func replicaAnnouncedZeroMeansHidden() {
        #expect(!InfoReport.parse(info(["role:slave", "replica_announced:0"])).replicaAnnounced)
        #expect(InfoReport.parse(info(["role:slave", "replica_announced:1"])).replicaAnnounced)
    }

    @Test(arguments: ["abc", "", "99999999999999999999999", "1.5", " 7", "+7", "0x10"])
    func malformedNumbersLeaveDefaults(value: String) {
        let r = InfoReport.parse(info(["role:slave", "slave_priority:\(value)", "slave_repl_offset:\(value)",
                                       "master_port:\(value)", "master_repl_offset:\(value)",
                                       "master_link_down_since_seconds:\(value)", "replica_announced:\(value)"]))
        #expect(r.replicaPriority == 100)
        #expect(r.replicaOffset == 0)
        #expect(r.masterPort == nil)
        #expect(r.masterReplicationOffset == 0)
        #expect(r.masterLinkDownSinceSeconds == nil)
        #expect(r.replicaAnnounced)
    }

    @Test func preTwoEightReplicaLinesAreRead() {
        let r = InfoReport.parse(info(["slave0:127.0.0.1,6380,online", "slave1:10.0.0.9,7001,send_bulk"]))
        #expect(r.replicas == [.init(host: "127.0.0.1", port: 6380, state: "online"),
                               .init(host: "10.0.0.9", port: 7001, state: "send_bulk")])
    }

    @Test func replicaFieldsMayComeInAnyOrderWithExtras() {
        let r = InfoReport.parse(info(["slave12:lag=2,port=6390,extra=x,ip=::1,offset=77,state=online,junk"]))
        #expect(r.replicas == [.init(host: "::1", port: 6390, state: "online", offset: 77, lag: 2)])
    }

    @Test(arguments: [
        "slave0:ip=10.0.0.2,port=0,state=online",
        "slave0:ip=10.0.0.2,port=65536,state=online",
        "slave0:ip=10.0.0.2,port=abc,state=online",
        "slave0:ip=10.0.0.2,state=online",
        "slave0:port=6380,state=online",
        "slave0:ip=,port=6380",
        "slave0:10.0.0.2,6380",
        "slave0:10.0.0.2,x,online",
        "slave0:,6380,online",
        "slave0:",
        "slavex:ip=10.0.0.2,port=6380",
        "slave:ip=10.0.0.2,port=6380",
        "slave_read_only:1",
        "slaves0:ip=10.0.0.2,port=6380",
    ])
    func unusableReplicaLinesAreSkipped(line: String) {
        #expect(InfoReport.parse(info([line])).replicas.isEmpty)
    }

    @Test func garbageReplicaNumbersDefaultToZero() {
        let r = InfoReport.parse(info(["slave0:ip=h,port=1,offset=-5,lag=999999999999999999999"]))
        #expect(r.replicas == [.init(host: "h", port: 1, state: "", offset: 0, lag: 0)])
    }

    @Test func headersBlankAndColonlessLinesAreIgnored() {
        let r = InfoReport.parse("# Replication\r\n\r\nnonsense\r\n:\r\n::::\r\nrole:master\r\n")
        #expect(r == InfoReport(role: .master))
    }

    @Test func emptyTextGivesDefaults() {
        #expect(InfoReport.parse("") == InfoReport())
    }

    @Test func randomBytesAndMutationsNeverTrap() {
        var rng = Mix64(seed: 0x1f0)
        let alphabet = Array("slave0:ip=,port=role:master_link_status\r\n#0123456789-aé\u{0}".utf8)
        for _ in 0..<2_000 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = InfoReport.parse(String(decoding: bytes, as: UTF8.self))
        }
        var base = Array(replicaInfo.utf8) + Array(masterInfo.utf8)
        for _ in 0..<500 {
            let i = Int(rng.next() % UInt64(base.count))
            base[i] = UInt8(truncatingIfNeeded: rng.next())
            _ = InfoReport.parse(String(decoding: base, as: UTF8.self))
        }
    }
}

/// SplitMix64: a tiny deterministic generator for the fuzz loops.
private struct Mix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
