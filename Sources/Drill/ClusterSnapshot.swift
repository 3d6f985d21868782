// ClusterSnapshot.swift — the whole cluster at one moment (every node's INFO
// replication, every sentinel's idea of the master) and the judgement the
// drill waits for and checks at the end: has it converged?
//
// Converged means, in this order:
//   1. every live sentinel answers, and they all name the same master M;
//   2. M is alive and says role:master;
//   3. every other node is alive, says role:slave, follows M, link up.
// Anything else is listed as a problem, worded for the report.
//
// Invariants: pure; problems are listed in node order.

/// Every node and sentinel at one moment.
public struct ClusterSnapshot: Equatable, Sendable {
    /// When it was taken.
    public var time: Int64
    /// Every data node.
    public var nodes: [NodeObservation]
    /// Every sentinel.
    public var sentinels: [SentinelObservation]

    /// Creates a snapshot.
    public init(time: Int64, nodes: [NodeObservation], sentinels: [SentinelObservation]) {
        self.time = time
        self.nodes = nodes
        self.sentinels = sentinels
    }

    /// The master every live sentinel names, when they agree.
    public var sentinelMaster: NodeAddress? {
        let live = sentinels.filter(\.alive)
        guard let first = live.first?.master, live.allSatisfy({ $0.master == first }) else { return nil }
        return first
    }

    /// The nodes that say role:master.
    public var masters: [NodeAddress] {
        nodes.compactMap { node in
            if case .master = node.role { return node.address }
            return nil
        }
    }

    /// Why the cluster has not converged (empty: it has).
    public var problems: [String] {
        var problems: [String] = []
        let live = sentinels.filter(\.alive)
        if live.isEmpty { problems.append("no sentinel is running") }
        for sentinel in live where sentinel.master == nil {
            problems.append("sentinel \(sentinel.address) does not answer GET-MASTER-ADDR-BY-NAME")
        }
        let named = Set(live.compactMap(\.master))
        if named.count > 1 {
            problems.append("the sentinels disagree: " + live.map { "\($0.address) says \($0.master.map(String.init(describing:)) ?? "?")" }.joined(separator: ", "))
        }
        guard named.count == 1, let master = named.first else { return problems }
        let alive = Set(nodes.filter(\.alive).map(\.address))
        for node in nodes {
            guard node.alive else {
                problems.append(node.address == master ? "the sentinels' master \(master) is dead" : "\(node.address) is dead")
                continue
            }
            switch node.role {
            case nil:
                problems.append("\(node.address) does not answer INFO (\(node.error ?? "no reply"))")
            case .master:
                if node.address != master { problems.append("\(node.address) is a master too (the sentinels say \(master))") }
            case .replica(let of, let linkUp):
                if node.address == master {
                    problems.append("\(master), the sentinels' master, says it is a replica of \(of)")
                } else if of != master {
                    let dead = alive.contains(of) ? "" : " (dead)"
                    problems.append("\(node.address) follows \(of)\(dead), not \(master)")
                } else if !linkUp {
                    problems.append("\(node.address) follows \(master) but its link is down")
                }
            }
        }
        if !nodes.contains(where: { $0.address == master }) {
            problems.append("the sentinels' master \(master) is not one of the cluster's nodes")
        }
        return problems
    }

    /// The master everyone follows, when the cluster has converged.
    public var convergedMaster: NodeAddress? {
        problems.isEmpty ? sentinelMaster : nil
    }

    /// Nodes that follow a node that is not running (the safety failure the drill looks for).
    public var nodesFollowingDeadMaster: [NodeAddress] {
        let alive = Set(nodes.filter(\.alive).map(\.address))
        return nodes.compactMap { node in
            guard node.alive, case .replica(let of, _) = node.role, !alive.contains(of) else { return nil }
            return node.address
        }
    }
}
