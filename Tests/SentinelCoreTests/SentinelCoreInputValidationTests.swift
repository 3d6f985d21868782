// Outside input the core must shrug off: malformed hellos, INFO texts and
// vote replies are ignored (or only partly used where Redis does), replies
// from unknown addresses change nothing, and nothing traps.

import Foundation
import Testing
@testable import SentinelCore

@Suite struct SentinelCoreInputValidationTests {
    static func cluster() -> CoreHarness {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 1_000)
        return h
    }

    static let peer = CoreHarness.peerIDs[0]

    @Test(arguments: [
        "",
        "garbage",
        "10.0.1.9,26379,\(String(repeating: "9", count: 40)),1,mymaster,10.0.0.9,6379",            // 7 fields
        "10.0.1.9,26379,\(String(repeating: "9", count: 40)),18446744073709551616,mymaster,10.0.0.9,6379,99", // epoch overflow
        "10.0.1.9,0,\(String(repeating: "9", count: 40)),5,mymaster,10.0.0.9,6379,99",             // port 0
        "10.0.1.9,26379,NOTANID,5,mymaster,10.0.0.9,6379,99",
        "10.0.1.9,26379,\(String(repeating: "9", count: 40)),-5,mymaster,10.0.0.9,6379,99",
        "10.0.1.9,26379,\(String(repeating: "9", count: 40)),5,mymaster,10.0.0.9,65536,99",
    ])
    func aMalformedHelloIsIgnored(payload: String) {
        var h = Self.cluster()
        let before = h.record
        let epoch = h.core.currentEpoch
        let actions = h.feed(.hello(payload))
        #expect(h.record == before)
        #expect(h.core.currentEpoch == epoch)
        #expect(!actions.contains(.persistConfig))
    }

    @Test func aHelloForAnotherMasterOrFromOurselvesIsIgnored() {
        var h = Self.cluster()
        let before = h.record
        h.feed(.hello("10.0.1.9,26379,\(String(repeating: "9", count: 40)),50,othermaster,10.0.0.9,6379,49"))
        h.feed(.hello("10.0.1.1,26379,\(CoreHarness.myID),50,mymaster,10.0.0.9,6379,49"))
        #expect(h.record == before)
        #expect(h.core.currentEpoch == 0)
    }

    @Test(arguments: [
        "",
        "\u{0}\u{1}\u{2}",
        "role:primary\r\nslave0:ip=,port=6380,state=online\r\nslave1:ip=10.0.0.9,port=99999,state=online\r\n",
        "run_id:short\r\nrole\r\n:master\r\nslave0:garbage\r\nslavex:ip=10.0.0.9,port=6379\r\n",
        String(repeating: "slave0:ip=10.0.0.9,port=abc,state=online\n", count: 100),
    ])
    func malformedInfoFromTheMasterAddsNothing(text: String) {
        var h = Self.cluster()
        let replicas = h.record.replicas.map(\.address)
        let runID = h.record.node.runID
        h.feed(.infoReply(CoreHarness.master, text))
        #expect(h.record.replicas.map(\.address) == replicas)
        #expect(h.record.node.runID == runID)
        #expect(h.record.node.reportedRole == .master)
    }

    @Test func garbageNumbersInAReplicasInfoDoNotMakeItUnpromotable() {
        var h = Self.cluster()
        let text = CoreHarness.replicaInfo(runID: CoreHarness.runIDs[1])
            .replacingOccurrences(of: "slave_priority:100", with: "slave_priority:1x")
            .replacingOccurrences(of: "slave_repl_offset:1000", with: "slave_repl_offset:-7")
        h.feed(.infoReply(CoreHarness.replicas[0], text))
        #expect(h.record.replicas[0].priority == 100)
        #expect(h.core.selectReplica(master: 0, now: h.now) != nil)
    }

    @Test func aMalformedVoteReplyIsIgnored() {
        var h = Self.cluster()
        let before = h.record.sentinels[0]
        let actions = h.feed(.masterStateReply(from: CoreHarness.peerAddress(0), masterName: "mymaster", nil))
        #expect(h.record.sentinels[0] == before)
        #expect(actions.contains { if case .event(let e) = $0 { e.name == "-invalid-master-state-reply" } else { false } })
    }

    @Test func repliesFromUnknownAddressesOrMastersChangeNothing() {
        var h = Self.cluster()
        let before = h.core.masters
        let stranger = InstanceAddress(host: "10.9.9.9", port: 1)
        let reply = MasterStateReply(isDown: true, leader: Self.peer, leaderEpoch: 9)
        h.feed(.masterStateReply(from: stranger, masterName: "mymaster", reply))
        h.feed(.masterStateReply(from: CoreHarness.peerAddress(0), masterName: "nosuchmaster", reply))
        h.feed(.infoReply(stranger, CoreHarness.masterInfo()))
        h.feed(.pingReply(stranger, .available(isPong: true)))
        h.feed(.writesPaused(stranger, masterOffset: 5))
        h.feed(.linkUp(stranger))
        #expect(h.core.masters == before)
    }

    @Test func askingAboutAnUnknownAddressCastsNoVote() {
        var h = Self.cluster()
        let (reply, actions) = h.core.isMasterDownByAddr(host: "10.9.9.9", port: 6379, epoch: 3, candidate: Self.peer, now: h.now)
        #expect(reply == MasterStateReply(isDown: false, leader: "*", leaderEpoch: 0))
        #expect(actions.isEmpty)
        #expect(h.core.currentEpoch == 0)
    }
}
