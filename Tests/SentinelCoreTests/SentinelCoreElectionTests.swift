// Votes and leaders: a vote is cast once per epoch and persisted before the
// reply, survives a restart, is granted only by a sentinel that sees the
// master down itself; a leader needs max(majority of all sentinels, quorum)
// votes of the failover's own epoch.

import Testing
@testable import SentinelCore

@Suite struct SentinelCoreElectionTests {
    /// A harness whose master is SDOWN (silent for longer than down-after).
    static func masterDown(peers: Int = 2, quorum: Int = 2) -> CoreHarness {
        var h = CoreHarness(peers: peers, quorum: quorum, downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 1_000)
        h.pingAnswers[CoreHarness.master] = nil
        _ = h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown }
        return h
    }

    static func ask(_ h: inout CoreHarness, epoch: UInt64, candidate: String) -> (MasterStateReply, [SentinelAction]) {
        let result = h.core.isMasterDownByAddr(host: "10.0.0.1", port: 6379, epoch: epoch, candidate: candidate, now: h.now)
        return (result.reply, result.actions)
    }

    @Test func aVoteIsCastOncePerEpoch() {
        var h = Self.masterDown()
        let a = CoreHarness.peerIDs[0], b = CoreHarness.peerIDs[1]
        let (first, _) = Self.ask(&h, epoch: 5, candidate: a)
        #expect(first == MasterStateReply(isDown: true, leader: a, leaderEpoch: 5))
        let (second, actions) = Self.ask(&h, epoch: 5, candidate: b)
        #expect(second.leader == a)
        #expect(!actions.contains(.persistConfig))
        let (older, _) = Self.ask(&h, epoch: 4, candidate: b)
        #expect(older.leader == a && older.leaderEpoch == 5)
        let (newer, _) = Self.ask(&h, epoch: 6, candidate: b)
        #expect(newer == MasterStateReply(isDown: true, leader: b, leaderEpoch: 6))
    }

    @Test func theVoteIsPersistedBeforeTheReplyLeaves() {
        var h = Self.masterDown()
        let (_, actions) = Self.ask(&h, epoch: 7, candidate: CoreHarness.peerIDs[0])
        // The reply is sent after the actions; persistence is among them, ahead of the vote's event.
        let persist = actions.firstIndex(of: .persistConfig)
        let vote = actions.firstIndex { if case .event(let e) = $0 { e.name == "+vote-for-leader" } else { false } }
        #expect(persist != nil && vote != nil)
        #expect((persist ?? .max) < (vote ?? .min))
        #expect(h.core.fileConfig().masters[0].leaderEpoch == 7)
        #expect(h.core.fileConfig().currentEpoch == 7)
    }

    @Test func aRestartedSentinelDoesNotVoteAgainInTheSameEpoch() {
        var h = Self.masterDown()
        _ = Self.ask(&h, epoch: 3, candidate: CoreHarness.peerIDs[0])
        var restarted = h
        restarted.core = SentinelCore(config: h.core.fileConfig(), myID: CoreHarness.myID, port: 26379, seed: 7, now: h.now)
        restarted.connectAll()
        restarted.pingAnswers[CoreHarness.master] = nil
        _ = restarted.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown }
        let (reply, _) = Self.ask(&restarted, epoch: 3, candidate: CoreHarness.peerIDs[1])
        #expect(reply.leader != CoreHarness.peerIDs[1])
        let (next, _) = Self.ask(&restarted, epoch: 4, candidate: CoreHarness.peerIDs[1])
        #expect(next.leader == CoreHarness.peerIDs[1])
    }

    @Test func noVoteIsGrantedWhileTheMasterLooksHealthyHere() {
        var h = CoreHarness(downAfter: 1_000)
        h.healthyCluster()
        h.connectAll()
        h.run(for: 3_000)
        let (reply, actions) = Self.ask(&h, epoch: 9, candidate: CoreHarness.peerIDs[0])
        #expect(reply == MasterStateReply(isDown: false, leader: "*", leaderEpoch: 0))
        #expect(actions.isEmpty)
        #expect(h.core.currentEpoch == 0)
    }

    @Test func askingWithoutACandidateCastsNoVote() {
        var h = Self.masterDown()
        let (reply, _) = Self.ask(&h, epoch: 4, candidate: "*")
        #expect(reply == MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0))
        #expect(h.record.leader == nil)
    }

    /// Drives a failover attempt to its election and feeds peers' votes for us.
    static func election(peers: Int, quorum: Int, votesForUs: Int) -> CoreHarness {
        var h = masterDown(peers: peers, quorum: quorum)
        for i in 0..<peers {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        _ = h.run(upTo: 2_000) { $0.record.failover != nil }
        let epoch = h.record.failover?.epoch ?? 0
        for i in 0..<votesForUs {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: CoreHarness.myID, leaderEpoch: epoch)))
        }
        h.run(for: 200)
        return h
    }

    @Test(arguments: [
        // (peers, quorum, votes from peers, elected): we always vote for ourselves.
        (4, 2, 1, false),   // 2 of 5: below the majority (3)
        (4, 2, 2, true),    // 3 of 5: majority
        (4, 4, 2, false),   // 3 of 5: majority but below quorum 4
        (4, 4, 3, true),    // 4 of 5
        (2, 1, 1, true),    // 2 of 3
        (2, 1, 0, false),   // 1 of 3 even with quorum 1
    ])
    func aLeaderNeedsTheMajorityOfAllSentinelsAndTheQuorum(peers: Int, quorum: Int, votes: Int, elected: Bool) {
        let h = Self.election(peers: peers, quorum: quorum, votesForUs: votes)
        #expect(h.emitted("+try-failover"))
        #expect(h.emitted("+elected-leader") == elected)
    }

    @Test func votesCastInAnotherEpochDoNotElect() {
        var h = Self.masterDown(peers: 2, quorum: 2)
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        _ = h.run(upTo: 2_000) { $0.record.failover != nil }
        let epoch = h.record.failover?.epoch ?? 0
        // A newer epoch becomes known (a peer's hello); the peers' votes for us arrive in that newer epoch.
        h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: epoch + 1)))
        #expect(h.core.currentEpoch == epoch + 1)
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: CoreHarness.myID, leaderEpoch: epoch + 1)))
        }
        h.run(for: 300)
        let elected = h.emitted("+elected-leader")
        #expect(!elected)
    }

    @Test func duringItsElectionACandidateAsksForVotesInTheFailoverEpoch() {
        var h = Self.masterDown(peers: 2, quorum: 2)
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        _ = h.run(upTo: 2_000) { $0.record.failover != nil }
        let epoch = h.record.failover?.epoch ?? 0
        h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: epoch + 5)))
        #expect(h.core.currentEpoch == epoch + 5)
        let mark = h.log.count
        h.run(for: 1_200)
        let asks = h.requests(to: CoreHarness.peerAddress(0), fromLogIndex: mark).compactMap { request -> UInt64? in
            if case .askMasterState(_, _, let e, let candidate?) = request, candidate == CoreHarness.myID { return e }
            return nil
        }
        #expect(!asks.isEmpty)
        #expect(asks.allSatisfy { $0 == epoch })
    }
}
