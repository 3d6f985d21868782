// The failure report: seed (with the command that reproduces it), the
// scenario, the violated invariant, the recent faults, each sentinel's last
// events and state, and each node's state.

import SentinelCore

extension Simulation {
    func report(violation: String) -> String {
        var out = [
            "SIMULATION FAILED — seed \(seed) (reproduce: VIGIL_SIM_SEED=\(seed) swift test --filter SentinelSimulationTests)",
            "scenario: \(scenario)",
            "violation: \(violation)",
            "--- faults and node changes (latest last) ---",
        ]
        out += faultLog.lines
        for s in sentinels {
            let m = s.core.masters.first
            let state = s.alive ? (s.paused ? "paused" : "up") : "dead"
            out.append("--- S\(s.index) \(s.myID.prefix(8)) [\(state)] epoch=\(s.core.currentEpoch) tilt=\(s.core.isTilted) "
                + "master=\(m?.address.description ?? "-") config-epoch=\(m?.configEpoch ?? 0) "
                + "vote=\(m?.leader.map { String($0.prefix(8)) } ?? "-")@\(m?.leaderEpoch ?? 0) "
                + "failover=\(m?.failover.map { "\($0.stage.redisName)@\($0.epoch)\($0.isForced ? " forced" : "")" } ?? "-") ---")
            out += s.transcript.lines
        }
        out.append("--- nodes ---")
        for n in nodes {
            out.append("N\(n.index) \(n.address) alive=\(n.alive) paused=\(n.paused) role=\(n.role) link=\(n.linkUp) "
                + "offset=\(n.offset) priority=\(n.priority)")
        }
        return out.joined(separator: "\n")
    }
}
