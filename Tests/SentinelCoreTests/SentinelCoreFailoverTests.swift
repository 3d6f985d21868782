// The failover itself: which replica is chosen (and which never are), the
// switch to the promoted replica as soon as its INFO says role:master, the
// old master turned into a replica on its first INFO, and the coordinated
// switchover that pauses writes and waits for the replica's offset.

import Testing
@testable import SentinelCore

@Suite struct SentinelCoreFailoverTests {
    static let r0 = CoreHarness.replicas[0], r1 = CoreHarness.replicas[1]

    /// A connected, healthy cluster whose INFO the core has read.
    static func cluster(offsets: [Int64] = [1_000, 1_000], priorities: [Int] = [100, 100],
                        downAfter: Int64 = 1_000) -> CoreHarness {
        var h = CoreHarness(downAfter: downAfter)
        h.healthyCluster(offsets: offsets, priorities: priorities)
        h.connectAll()
        h.run(for: 1_000)
        return h
    }

    // MARK: Replica selection

    @Test(arguments: [
        // (offsets, priorities, expected winner index)
        ([Int64(1_000), 5_000], [10, 100], 0),   // lower priority wins over a higher offset
        ([1_000, 5_000], [100, 100], 1),         // equal priority: higher offset wins
        ([1_000, 1_000], [100, 100], 0),         // equal priority and offset: smaller run id wins
    ])
    func replicasAreOrderedByPriorityThenOffsetThenRunID(offsets: [Int64], priorities: [Int], winner: Int) {
        let h = Self.cluster(offsets: offsets, priorities: priorities)
        #expect(h.core.selectReplica(master: 0, now: h.now) == CoreHarness.replicas[winner])
    }

    @Test func aReplicaWithPriorityZeroIsNeverPromoted() {
        let h = Self.cluster(offsets: [9_000, 1_000], priorities: [0, 100])
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r1)
        let none = Self.cluster(priorities: [0, 0])
        #expect(none.core.selectReplica(master: 0, now: none.now) == nil)
    }

    @Test func disconnectedAndSilentReplicasAreExcluded() {
        var h = Self.cluster(offsets: [9_000, 1_000])
        h.feed(.linkDown(Self.r0))
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r1)
        var silent = Self.cluster(offsets: [9_000, 1_000])
        silent.pingAnswers[Self.r0] = nil
        _ = silent.run(upTo: 5_000) { $0.record.replicas[0].node.isSubjectivelyDown }
        #expect(silent.core.selectReplica(master: 0, now: silent.now) == Self.r1)
    }

    @Test func aReplicaWithStaleInfoIsExcluded() {
        var h = Self.cluster(offsets: [9_000, 1_000])
        h.infoTexts[Self.r0] = nil   // stops answering INFO, still answers PING
        h.run(for: 31_000)
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r1)
    }

    @Test func aReplicaDisconnectedFromItsMasterTooLongIsExcluded() {
        var h = Self.cluster(offsets: [9_000, 1_000])
        h.infoTexts[Self.r0] = CoreHarness.replicaInfo(runID: CoreHarness.runIDs[1], linkUp: false,
                                                       downSinceSeconds: 60, offset: 9_000)
        h.feed(.infoReply(Self.r0, h.infoTexts[Self.r0] ?? ""))
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r1)
    }

    @Test func aReplicaReportingRoleMasterIsExcluded() {
        var h = Self.cluster(offsets: [9_000, 1_000])
        h.feed(.infoReply(Self.r0, CoreHarness.masterInfo(runID: CoreHarness.runIDs[1])))
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r1)
    }

    // MARK: Promotion and the switch

    /// Master down, quorum and votes from both peers: the core promotes a replica.
    static func promoting() -> (CoreHarness, InstanceAddress) {
        var h = cluster(offsets: [2_000, 1_000])
        h.pingAnswers[CoreHarness.master] = nil
        h.feed(.linkDown(CoreHarness.master))
        _ = h.run(upTo: 5_000) { $0.record.node.isSubjectivelyDown }
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        _ = h.run(upTo: 2_000) { $0.record.failover != nil }
        let epoch = h.record.failover?.epoch ?? 0
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: CoreHarness.myID, leaderEpoch: epoch)))
        }
        _ = h.run(upTo: 1_000) { $0.record.promotedReplica != nil }
        return (h, h.record.promotedReplica ?? CoreHarness.master)
    }

    @Test func theElectedLeaderPromotesTheBestReplica() {
        let (h, promoted) = Self.promoting()
        #expect(promoted == Self.r0)
        #expect(h.requests(to: Self.r0).contains(.replicaOf(nil)))
        #expect(!h.requests(to: Self.r1).contains(.replicaOf(nil)))
    }

    @Test func roleMasterInThePromotedReplicasInfoSwitchesTheMasterAtOnce() {
        var (h, promoted) = Self.promoting()
        let epoch = h.record.failover?.epoch ?? 0
        let actions = h.feed(.infoReply(promoted, CoreHarness.masterInfo(runID: CoreHarness.runIDs[1], offset: 2_000)))
        let names = actions.compactMap { if case .event(let e) = $0 { e.name } else { nil } }
        #expect(names.contains("+promoted-slave"))
        #expect(names.contains("+switch-master"))
        #expect(actions.contains(.persistConfig))
        #expect(h.record.address == promoted)
        #expect(h.record.configEpoch == epoch)
        #expect(h.core.fileConfig().masters[0].host == promoted.host)
        // The other replica is reconfigured to follow the new master.
        h.infoTexts[promoted] = CoreHarness.masterInfo(runID: CoreHarness.runIDs[1], offset: 2_000)
        h.run(for: 300)
        #expect(h.requests(to: Self.r1).contains(.replicaOf(promoted)))
    }

    @Test func theOldMasterIsConvertedOnItsFirstInfo() {
        var (h, promoted) = Self.promoting()
        h.infoTexts[promoted] = CoreHarness.masterInfo(runID: CoreHarness.runIDs[1], offset: 2_000)
        h.feed(.infoReply(promoted, h.infoTexts[promoted] ?? ""))
        #expect(h.record.address == promoted)
        // The old master restarts with its old config: it says role:master.
        let old = CoreHarness.master
        h.pingAnswers[old] = .available(isPong: true)
        h.feed(.linkUp(old))
        let actions = h.feed(.infoReply(old, CoreHarness.masterInfo(runID: CoreHarness.runIDs[3], offset: 1_500)))
        #expect(actions.contains(.send(old, .replicaOf(promoted))))
        #expect(actions.contains { if case .event(let e) = $0 { e.name == "+convert-to-slave" } else { false } })
    }

    @Test func aReplicaThatTurnsMasterOnItsOwnIsConvertedOnlyAfterItPersists() {
        var h = Self.cluster()
        let first = h.feed(.infoReply(Self.r1, CoreHarness.masterInfo(runID: CoreHarness.runIDs[2])))
        #expect(!first.contains(.send(Self.r1, .replicaOf(CoreHarness.master))))
        h.infoTexts[Self.r1] = CoreHarness.masterInfo(runID: CoreHarness.runIDs[2])
        #expect(h.run(upTo: 12_000) { $0.requests(to: Self.r1).contains(.replicaOf(CoreHarness.master)) })
        #expect(h.now >= 8_000)
    }

    @Test func aMasterTurnedReplicaOfAKnownMasterIsReplacedByThatMaster() {
        // A stale sentinel pointed our master at r0, which reports role:master.
        var h = Self.cluster(priorities: [0, 100])
        h.infoTexts[CoreHarness.master] = CoreHarness.replicaInfo(runID: CoreHarness.runIDs[0], master: Self.r0)
        h.infoTexts[Self.r0] = CoreHarness.masterInfo(runID: CoreHarness.runIDs[1])
        h.feed(.infoReply(CoreHarness.master, h.infoTexts[CoreHarness.master] ?? ""))
        h.feed(.infoReply(Self.r0, h.infoTexts[Self.r0] ?? ""))
        #expect(h.record.reportedUpstream == Self.r0)
        #expect(h.core.selectReplica(master: 0, now: h.now) == Self.r0)
        // Reporting role:slave for down-after + 2 info periods makes it SDOWN; quorum and votes follow.
        #expect(h.run(upTo: 25_000) { $0.record.node.isSubjectivelyDown })
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: "*", leaderEpoch: 0)))
        }
        _ = h.run(upTo: 2_000) { $0.record.failover != nil }
        let epoch = h.record.failover?.epoch ?? 0
        for i in 0..<2 {
            h.feed(.masterStateReply(from: CoreHarness.peerAddress(i), masterName: "mymaster",
                                     MasterStateReply(isDown: true, leader: CoreHarness.myID, leaderEpoch: epoch)))
        }
        // SLAVEOF NO ONE is a no-op on r0; its INFO (role:master) confirms the switch.
        #expect(h.run(upTo: 1_000) { $0.record.address == Self.r0 })
        #expect(h.requests(to: Self.r0).contains(.replicaOf(nil)))
        #expect(h.record.configEpoch == epoch)
    }

    // MARK: Coordinated switchover

    @Test func switchoverPausesWritesAndPromotesOnlyOnceTheReplicaCaughtUp() throws {
        var h = Self.cluster(offsets: [1_000, 900])
        let actions = try h.core.failover(masterName: "mymaster", now: h.now).get()
        h.respond(to: actions)
        #expect(actions.contains(.send(CoreHarness.master, .pauseWrites(milliseconds: h.core.timings.switchoverPause))))
        #expect(h.record.failover?.isForced == true)
        // Writes stopped at offset 1 200; the replica is at 1 000.
        h.feed(.writesPaused(CoreHarness.master, masterOffset: 1_200))
        h.run(for: 300)
        #expect(!h.requests(to: Self.r0).contains(.replicaOf(nil)))
        // It catches up.
        h.infoTexts[Self.r0] = CoreHarness.replicaInfo(runID: CoreHarness.runIDs[1], offset: 1_200)
        #expect(h.run(upTo: 300) { $0.requests(to: Self.r0).contains(.replicaOf(nil)) })
        // Promotion confirmed: the old master follows at once and is unpaused.
        let confirmed = h.feed(.infoReply(Self.r0, CoreHarness.masterInfo(runID: CoreHarness.runIDs[1], offset: 1_200)))
        #expect(confirmed.contains(.send(CoreHarness.master, .replicaOf(Self.r0))))
        #expect(confirmed.contains(.send(CoreHarness.master, .unpause)))
        #expect(h.record.address == Self.r0)
    }

    @Test func aSwitchoverWhoseReplicaDoesNotCatchUpIsAbortedAndTheMasterUnpaused() throws {
        var h = Self.cluster(offsets: [1_000, 900])
        h.respond(to: try h.core.failover(masterName: "mymaster", now: h.now).get())
        h.feed(.writesPaused(CoreHarness.master, masterOffset: 5_000))
        let start = h.now
        #expect(h.run(upTo: 3_000) { $0.record.failover == nil })
        #expect(h.now - start <= h.core.timings.switchoverPause)
        #expect(h.requests(to: CoreHarness.master, since: start).contains(.unpause))
        #expect(!h.requests(to: Self.r0).contains(.replicaOf(nil)))
        #expect(h.record.address == CoreHarness.master)
    }

    @Test func switchoverIsRefusedWithoutAGoodReplica() {
        var h = Self.cluster(priorities: [0, 0])
        let result = h.core.failover(masterName: "mymaster", now: h.now)
        #expect(throws: SentinelCommandError.self) { try result.get() }
    }
}
