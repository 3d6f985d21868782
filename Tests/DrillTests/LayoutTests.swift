// LayoutTests.swift — the drill cluster's files, laid out like scripts/cluster's.

import Drill
import Testing

@Suite struct LayoutTests {
    @Test func replicasFollowTheFirstNodeAndTheMasterFollowsNobody() {
        let layout = fixtureLayout()
        #expect(!layout.nodeConfigText(port: 7000).contains("replicaof"))
        #expect(layout.nodeConfigText(port: 7001).contains("replicaof 127.0.0.1 7000\n"))
        #expect(layout.nodeConfigText(port: 7002).hasPrefix("include \"/tmp/drill test/node-common.conf\"\nport 7002\n"))
    }

    @Test func commonConfigDaemonizesWithoutSnapshotsOrSyncDelay() {
        let text = fixtureLayout().commonConfigText
        for line in ["daemonize yes", "save \"\"", "repl-diskless-sync-delay 0", "bind 127.0.0.1"] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
    }

    @Test func sentinelsMonitorTheFirstNodeWithAMajorityQuorumAndTheDrillTimers() {
        let text = fixtureLayout().sentinelConfigText(port: 7004)
        #expect(text.contains("port 7004\n"))
        #expect(text.contains("sentinel monitor mymaster 127.0.0.1 7000 2\n"))
        #expect(text.contains("sentinel down-after-milliseconds mymaster 1000\n"))
        #expect(text.contains("sentinel failover-timeout mymaster 10000\n"))
        #expect(text.contains("pidfile \"/tmp/drill test/sentinel-7004.pid\"\n"))
    }

    @Test func everyMemberHasItsFilesAndTheQuorumIsAMajority() {
        let layout = fixtureLayout()
        #expect(layout.files.count == 7)
        #expect(layout.quorum == 2)
        #expect(layout.pidPath(.node(7001)) == "/tmp/drill test/node-7001.pid")
        #expect(layout.logPath(.sentinel(7003)) == "/tmp/drill test/sentinel-7003.log")
        #expect(layout.members.count == 6)
    }
}
