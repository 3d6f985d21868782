// Failure detection, scenario by scenario: SDOWN after down-after without a
// valid PING reply (-LOADING counts as valid, errors do not), ODOWN only
// with the quorum, and TILT when ticks stall or the wall clock jumps.

import Testing
@testable import SentinelCore

@Suite struct SentinelCoreDetectionTests {
    @Test func masterIsSubjectivelyDownOnceSilentForLongerThanDownAfter() {
        var h = CoreHarness(downAfter: 3_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 5_000)
        #expect(!h.emitted("+sdown"))
        h.pingAnswers[CoreHarness.master] = nil
        let silentFrom = h.now
        #expect(h.run(upTo: 10_000) { $0.record.node.isSubjectivelyDown })
        let at = h.times(of: "+sdown").first ?? 0
        // The first unanswered PING goes out within a ping period; SDOWN follows down-after later.
        #expect(at - silentFrom > 3_000)
        #expect(at - silentFrom <= 3_000 + 1_000 + 200)
    }

    @Test func sdownEndsWithTheNextValidReply() {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.pingAnswers[CoreHarness.master] = nil
        #expect(h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown })
        h.pingAnswers[CoreHarness.master] = .available(isPong: true)
        #expect(h.run(upTo: 2_000) { !$0.record.node.isSubjectivelyDown })
        #expect(h.emitted("-sdown"))
    }

    @Test(arguments: [PingReply.available(isPong: false), .available(isPong: true)])
    func loadingAndPongRepliesCountAsValid(reply: PingReply) {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.pingAnswers[CoreHarness.master] = reply
        h.run(for: 10_000)
        #expect(!h.emitted("+sdown"))
    }

    @Test(arguments: [PingReply.other, .busy])
    func errorRepliesDoNotCountAsValid(reply: PingReply) {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.pingAnswers[CoreHarness.master] = reply
        #expect(h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown })
    }

    @Test func aDisconnectedMasterIsDownOnceDownAfterPassedSinceItsLastValidReply() {
        var h = CoreHarness(downAfter: 2_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 1_000)
        h.feed(.linkDown(CoreHarness.master))
        let lastValid = h.record.node.link.lastAvailable
        #expect(h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown })
        let after = (h.times(of: "+sdown").first ?? 0) - lastValid
        #expect(after > 2_000 && after <= 2_100)
    }

    @Test func odownNeedsTheQuorumOfSentinelsSayingDown() {
        var h = CoreHarness(peers: 3, quorum: 3, downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.pingAnswers[CoreHarness.master] = nil
        #expect(h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown })
        // The core asks its peers; one agrees: 2 of 3.
        #expect(h.requests(to: CoreHarness.peerAddress(0)).contains { if case .askMasterState = $0 { true } else { false } })
        h.feed(.masterStateReply(from: CoreHarness.peerAddress(0), masterName: "mymaster",
                                 MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        h.run(for: 200)
        #expect(!h.record.isObjectivelyDown)
        // A second one agrees: quorum reached.
        h.feed(.masterStateReply(from: CoreHarness.peerAddress(1), masterName: "mymaster",
                                 MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        h.run(for: 100)
        #expect(h.record.isObjectivelyDown)
        #expect(h.emitted("+odown"))
    }

    @Test func peersSayingDownWithoutOurOwnSdownIsNotOdown() {
        var h = CoreHarness(peers: 2, quorum: 2, downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        h.run(for: 3_000)
        #expect(!h.emitted("+odown"))
    }

    @Test func aStalledTickEntersTiltAndSuspendsDetection() {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 1_000)
        h.now += 2_500   // the process was stopped
        h.pingAnswers[CoreHarness.master] = nil
        h.feed(.tick(wallClock: nil))
        #expect(h.core.isTilted)
        #expect(h.emitted("+tilt"))
        h.run(for: 20_000)
        #expect(!h.emitted("+sdown"))
        // TILT ends after tilt-period of regular ticks; detection resumes.
        #expect(h.run(upTo: 12_000) { !$0.core.isTilted })
        #expect(h.emitted("-tilt"))
        #expect(h.run(upTo: 3_000) { $0.record.node.isSubjectivelyDown })
    }

    @Test(arguments: [Int64(-5_000), 5_000])
    func aWallClockJumpEntersTilt(jump: Int64) {
        var h = CoreHarness()
        h.healthyCluster()
        h.connectAll()
        let base: Int64 = 1_700_000_000_000
        for _ in 0..<10 {
            h.now += 100
            h.feed(.tick(wallClock: base + h.now))
        }
        #expect(!h.core.isTilted)
        h.now += 100
        h.feed(.tick(wallClock: base + h.now + jump))
        #expect(h.core.isTilted)
    }

    @Test func aTiltedSentinelDoesNotReportTheMasterDown() {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.pingAnswers[CoreHarness.master] = nil
        #expect(h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown })
        h.now += 3_000
        h.feed(.tick(wallClock: nil))
        #expect(h.core.isTilted)
        let (reply, _) = h.core.isMasterDownByAddr(host: "10.0.0.1", port: 6379, epoch: 0, candidate: "*", now: h.now)
        #expect(reply.isDown == false)
    }
}
