// Fixtures.swift — hand-built observations of drill runs (no processes): a
// three-node, three-sentinel cluster on 127.0.0.1:7000–7005 where the master
// 7000 fails over to 7001, with a steady writer and a configurable gap.

import Drill

let ms: Int64 = 1_000_000
let host = "127.0.0.1"
let n0 = NodeAddress(host: host, port: 7000)
let n1 = NodeAddress(host: host, port: 7001)
let n2 = NodeAddress(host: host, port: 7002)
let s1 = NodeAddress(host: host, port: 7003)
let s2 = NodeAddress(host: host, port: 7004)
let s3 = NodeAddress(host: host, port: 7005)

/// The fixture cluster's layout.
func fixtureLayout() -> ClusterLayout {
    ClusterLayout(directory: "/tmp/drill test", nodePorts: [7000, 7001, 7002], sentinelPorts: [7003, 7004, 7005],
                  downAfterMilliseconds: 1000, failoverTimeoutMilliseconds: 10000)
}

/// Acks every 10 ms from `from` to `to` (ms, relative to a fault at t = 10 s),
/// on `node`, numbered from `firstSeq`.
func acks(from: Int64, to: Int64, on node: NodeAddress, firstSeq: Int) -> [Ack] {
    stride(from: from, through: to, by: 10).enumerated().map { index, t in
        Ack(seq: firstSeq + index, time: fault + t * ms, node: node)
    }
}

/// Absolute time of the fixture's fault.
let fault: Int64 = 10_000 * ms

/// A converged final snapshot with `master` followed by the other two nodes.
func convergedSnapshot(master: NodeAddress) -> ClusterSnapshot {
    let nodes = [n0, n1, n2].map { address in
        NodeObservation(address: address, alive: true,
                        role: address == master ? .master(connectedReplicas: 2) : .replica(of: master, linkUp: true))
    }
    return ClusterSnapshot(time: fault + 3000 * ms, nodes: nodes,
                           sentinels: [s1, s2, s3].map { SentinelObservation(address: $0, alive: true, master: master) })
}

/// kill-master on `backend`: writes until 0, a gap to +600 ms, then on 7001;
/// +sdown from all three sentinels, +switch-master at +550 ms.
func killMasterObservations(backend: Backend = .vigil, lost: [Int] = []) -> Observations {
    var o = Observations(scenario: .killMaster, backend: backend, attached: false, layout: fixtureLayout(), originalMaster: n0)
    o.faults = [Fault(label: "SIGKILL master", time: fault, settled: fault + 900 * ms)]
    o.actions = [DrillAction(time: fault, kind: .fault, text: "SIGKILL master 127.0.0.1:7000 (pid 42)"),
                 DrillAction(time: fault + 560 * ms, kind: .recovery, text: "restart 127.0.0.1:7000 with its original config")]
    let before = acks(from: -1000, to: -10, on: n0, firstSeq: 1)
    let after = acks(from: 600, to: 2000, on: n1, firstSeq: before.count + 1)
    o.writer.acks = before + after
    o.writer.switches = [WriterSwitch(time: fault - 1000 * ms, node: n0), WriterSwitch(time: fault + 595 * ms, node: n1)]
    o.writer.failures = ["timed out": 2, "connect failed": 5]
    o.writer.stoppedAt = fault + 2001 * ms
    o.events = [
        SentinelEventRecord(time: fault + 300 * ms, sentinel: s1, channel: "+sdown", message: "master mymaster 127.0.0.1 7000"),
        SentinelEventRecord(time: fault + 302 * ms, sentinel: s2, channel: "+sdown", message: "master mymaster 127.0.0.1 7000"),
        SentinelEventRecord(time: fault + 305 * ms, sentinel: s3, channel: "+sdown", message: "master mymaster 127.0.0.1 7000"),
        SentinelEventRecord(time: fault + 400 * ms, sentinel: s2, channel: "+vote-for-leader", message: "abc 1"),
        SentinelEventRecord(time: fault + 550 * ms, sentinel: s1, channel: "+switch-master", message: "mymaster 127.0.0.1 7000 127.0.0.1 7001"),
        SentinelEventRecord(time: fault + 551 * ms, sentinel: s2, channel: "+switch-master", message: "mymaster 127.0.0.1 7000 127.0.0.1 7001"),
    ]
    o.final = convergedSnapshot(master: n1)
    o.lost = LostWrites(checked: o.writer.acks.count, lost: lost)
    o.originalMasterHistory = "killed (SIGKILL), restarted with its config after the failover"
    return o
}
