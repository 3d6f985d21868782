// How a master's configuration spreads through hellos: a higher config
// epoch naming another address switches the master; an equal epoch is
// settled by the smaller address (Vigil), so two unelected promotions in
// one epoch still converge; anything older is ignored.

import Testing
@testable import SentinelCore

@Suite struct SentinelCoreConfigPropagationTests {
    static let r0 = CoreHarness.replicas[0], r1 = CoreHarness.replicas[1]

    /// A healthy cluster whose sentinel believes `master` at `configEpoch`.
    static func believing(_ master: InstanceAddress, configEpoch: UInt64) -> CoreHarness {
        var h = CoreHarness()
        h.healthyCluster()
        h.connectAll()
        h.run(for: 500)
        if master != CoreHarness.master || configEpoch > 0 {
            h.feed(.hello(CoreHarness.hello(fromPeer: 0, currentEpoch: configEpoch, master: master, configEpoch: configEpoch)))
        }
        return h
    }

    @Test func aHigherConfigEpochNamingAnotherAddressSwitchesTheMaster() {
        var h = Self.believing(CoreHarness.master, configEpoch: 0)
        let actions = h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: 4, master: Self.r1, configEpoch: 3)))
        #expect(h.record.address == Self.r1)
        #expect(h.record.configEpoch == 3)
        #expect(h.core.currentEpoch == 4)
        #expect(actions.contains(.persistConfig))
        #expect(actions.contains { if case .event(let e) = $0 { e.name == "+switch-master" } else { false } })
        // The old master is now a replica the core watches.
        #expect(h.record.replicas.contains { $0.address == CoreHarness.master })
    }

    @Test func anOlderConfigEpochIsIgnored() {
        var h = Self.believing(Self.r1, configEpoch: 5)
        h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: 5, master: Self.r0, configEpoch: 4)))
        #expect(h.record.address == Self.r1)
        #expect(h.record.configEpoch == 5)
    }

    @Test func anEqualConfigEpochIsWonByTheSmallerAddress() {
        // Believing 10.0.0.3 at epoch 2, a peer announces 10.0.0.2 at epoch 2: switch.
        var h = Self.believing(Self.r1, configEpoch: 2)
        #expect(h.record.address == Self.r1)
        h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: 2, master: Self.r0, configEpoch: 2)))
        #expect(h.record.address == Self.r0)
        // The other side of the tie does not switch back.
        h.feed(.hello(CoreHarness.hello(fromPeer: 0, currentEpoch: 2, master: Self.r1, configEpoch: 2)))
        #expect(h.record.address == Self.r0)
    }

    @Test func configEpochZeroNeverBreaksTies() {
        // Epoch 0 is the configured master, not a promotion: a peer with another configured address does not win.
        var h = Self.believing(Self.r1, configEpoch: 0)
        let before = h.record.address
        h.feed(.hello(CoreHarness.hello(fromPeer: 1, currentEpoch: 0, master: InstanceAddress(host: "10.0.0.0", port: 1),
                                        configEpoch: 0)))
        #expect(h.record.address == before)
    }
}
