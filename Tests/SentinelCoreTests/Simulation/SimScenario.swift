// SimScenario: everything a simulation run draws from its seed before it
// starts — cluster shape, sentinel settings, how long faults are injected
// and how long the cluster then gets to settle — and the fault vocabulary.
//
// A *calm* scenario never kills, pauses or degrades the master and never
// cuts it off from a majority of sentinels, and runs no SENTINEL FAILOVER:
// there, DESIGN §3 invariant 4 says no failover may happen at all.

import SentinelCore

struct SimScenario: CustomStringConvertible {
    var sentinelCount: Int
    var nodeCount: Int
    var quorum: Int
    var downAfter: Int64
    var failoverTimeout: Int64
    var parallelSyncs: Int
    var priorities: [Int]
    /// Sentinels know every peer from their config file from the start.
    var knownPeers: Bool
    /// Sentinels know the replicas from their config file from the start.
    var knownReplicas: Bool
    var calm: Bool
    var chaosDuration: Int64
    var settleDuration: Int64
    /// Mean gap between two faults.
    var faultGap: ClosedRange<Int64>

    var majority: Int { sentinelCount / 2 + 1 }

    init(random: inout SeededRandom) {
        let shapes = [1, 2, 3, 3, 3, 3, 4, 5, 5, 5, 7]
        sentinelCount = shapes[Int(random.next() % UInt64(shapes.count))]
        nodeCount = 2 + Int(random.next() % 3)
        quorum = 1 + Int(random.next() % UInt64(sentinelCount))
        downAfter = random.value(in: 1_000...5_000)
        failoverTimeout = random.value(in: 10_000...20_000)
        parallelSyncs = 1 + Int(random.next() % 2)
        priorities = (0..<nodeCount).map { _ in
            let r = random.next() % 20
            return r < 3 ? 0 : (r < 8 ? Int(1 + random.next() % 200) : 100)
        }
        knownPeers = random.next() % 4 != 0
        knownReplicas = random.next() % 2 == 0
        calm = random.next() % 4 == 0
        chaosDuration = random.value(in: 20_000...60_000)
        settleDuration = 150_000
        faultGap = random.next() % 2 == 0 ? 300...3_000 : 1_000...8_000
    }

    var description: String {
        "sentinels=\(sentinelCount) nodes=\(nodeCount) quorum=\(quorum) down-after=\(downAfter) "
            + "failover-timeout=\(failoverTimeout) parallel-syncs=\(parallelSyncs) priorities=\(priorities) "
            + "known-peers=\(knownPeers) known-replicas=\(knownReplicas) calm=\(calm) chaos=\(chaosDuration)ms settle=\(settleDuration)ms"
    }
}

/// A fault the simulator injects (and later heals).
enum SimFault: CustomStringConvertible {
    /// Kill a data node; restart it after `restartAfter` (nil: at the quiet period).
    case killNode(Int, restartAfter: Int64?)
    /// Kill a sentinel (at once, or part-way through its next persisting action list).
    case killSentinel(Int, restartAfter: Int64, midActions: Bool)
    /// SIGSTOP a process for a while.
    case pause(SimProcess, duration: Int64)
    /// Cut every process in `group` off from every process outside it.
    case isolate([SimProcess], duration: Int64)
    /// Cut two processes off from each other.
    case cut(SimProcess, SimProcess, duration: Int64)
    /// Lossy and slow network around one process.
    case flaky(SimProcess, SimFlakiness, duration: Int64)
    /// SENTINEL SIMULATE-FAILURE: the sentinel exits at that point of its next failover.
    case armSimulatedFailure(Int, SimulatedFailures, restartAfter: Int64)
    /// Move a sentinel's wall clock.
    case clockJump(Int, by: Int64)
    /// SENTINEL FAILOVER on each of these sentinels, at the same moment.
    case operatorFailover([Int])

    var description: String {
        switch self {
        case .killNode(let n, let after): "kill N\(n) restart=\(after.map { "+\($0)ms" } ?? "at quiet")"
        case .killSentinel(let s, let after, let mid): "kill S\(s)\(mid ? " mid-actions" : "") restart=+\(after)ms"
        case .pause(let p, let d): "pause \(p) \(d)ms"
        case .isolate(let g, let d): "isolate \(g) \(d)ms"
        case .cut(let a, let b, let d): "cut \(a)-\(b) \(d)ms"
        case .flaky(let p, let f, let d): "flaky \(p) loss=\(f.loss) delay<=\(f.maxExtraDelay) \(d)ms"
        case .armSimulatedFailure(let s, let flags, let after):
            "arm S\(s) \(flags.contains(.crashAfterElection) ? "crash-after-election" : "crash-after-promotion") restart=+\(after)ms"
        case .clockJump(let s, let by): "clock S\(s) \(by > 0 ? "+" : "")\(by)ms"
        case .operatorFailover(let s): "SENTINEL FAILOVER on \(s.map { "S\($0)" })"
        }
    }
}

/// The end of a fault.
enum SimHeal {
    case restartNode(Int, incarnation: Int)
    case restartSentinel(Int, incarnation: Int)
    case resume(SimProcess, incarnation: Int)
    case uncut([(SimProcess, SimProcess)])
    case unflaky(SimProcess)
}
