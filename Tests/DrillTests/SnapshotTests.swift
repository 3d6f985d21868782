// SnapshotTests.swift — when the cluster counts as converged, and why not.

import Drill
import Testing

@Suite struct SnapshotTests {
    @Test func oneMasterEveryoneLinkedAndAgreeingSentinelsIsConverged() {
        let snapshot = convergedSnapshot(master: n1)
        #expect(snapshot.convergedMaster == n1)
        #expect(snapshot.problems.isEmpty && snapshot.nodesFollowingDeadMaster.isEmpty)
    }

    @Test func aNodeFollowingADeadMasterIsNamed() {
        var snapshot = convergedSnapshot(master: n1)
        snapshot.nodes[0] = NodeObservation(address: n0, alive: false, role: nil)
        snapshot.nodes[2] = NodeObservation(address: n2, alive: true, role: .replica(of: n0, linkUp: false))
        #expect(snapshot.convergedMaster == nil)
        #expect(snapshot.nodesFollowingDeadMaster == [n2])
        #expect(snapshot.problems.contains("127.0.0.1:7002 follows 127.0.0.1:7000 (dead), not 127.0.0.1:7001"))
        #expect(snapshot.problems.contains("127.0.0.1:7000 is dead"))
    }

    @Test func twoMastersIsASplitBrain() {
        var snapshot = convergedSnapshot(master: n1)
        snapshot.nodes[0].role = .master(connectedReplicas: 0)
        #expect(snapshot.masters == [n0, n1])
        #expect(snapshot.problems == ["127.0.0.1:7000 is a master too (the sentinels say 127.0.0.1:7001)"])
    }

    @Test func disagreeingSentinelsAreNotConvergedButDeadOnesAreIgnored() {
        var snapshot = convergedSnapshot(master: n1)
        snapshot.sentinels[2].master = n0
        #expect(snapshot.sentinelMaster == nil && snapshot.convergedMaster == nil)
        #expect(snapshot.problems.first?.hasPrefix("the sentinels disagree") == true)
        snapshot.sentinels[2] = SentinelObservation(address: s3, alive: false, master: nil)
        #expect(snapshot.convergedMaster == n1)
    }

    @Test func aLinkThatIsDownIsNotConvergedYet() {
        var snapshot = convergedSnapshot(master: n1)
        snapshot.nodes[2].role = .replica(of: n1, linkUp: false)
        #expect(snapshot.problems == ["127.0.0.1:7002 follows 127.0.0.1:7001 but its link is down"])
    }

    @Test func infoReplicationGivesTheRole() {
        let master = parseInfo("# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1,port=7001\r\n")
        #expect(ReplicationRole(info: master) == .master(connectedReplicas: 2))
        let replica = parseInfo("# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:7001\r\nmaster_link_status:up\r\n")
        #expect(ReplicationRole(info: replica) == .replica(of: n1, linkUp: true))
        #expect(ReplicationRole(info: parseInfo("role:sentinel\r\n")) == nil)
        #expect(ReplicationRole(info: parseInfo("role:slave\r\nmaster_host:x\r\n")) == nil)
    }
}
