// Simulated data nodes at work:
//
//   1. Requests from sentinels: PING (+PONG, or -LOADING just after a
//      restart), INFO, PUBLISH of a hello (delivered to every sentinel whose
//      link to this node is up, the sender included), SLAVEOF (then INFO),
//      CLIENT PAUSE WRITE (then INFO: answered as writesPaused with the
//      offset), CLIENT UNPAUSE.
//   2. Every 100 ms: the writer adds to each running master's offset unless
//      its writes are paused; each replica brings its link up a sync delay
//      after its master is reachable and copies the master's offset of the
//      previous step.

import SentinelCore

extension Simulation {
    func nodeRequest(_ n: Int, from s: Int, incarnation: Int, connID: Int, _ request: InstanceRequest) {
        let node = nodes[n]
        let here = SimProcess.node(n)
        func answer(_ input: SentinelInput) {
            reply(from: here, to: s, incarnation: incarnation, connID: connID, address: node.address, input)
        }
        switch request {
        case .ping:
            answer(.pingReply(node.address, .available(isPong: now >= node.loadingUntil)))
        case .info:
            answer(.infoReply(node.address, info(n)))
        case .publishHello(let ip, let rest):
            let payload = "\(ip ?? sentinels[s].address.host),\(rest)"
            for t in sentinels.indices where sentinels[t].alive {
                guard let link = sentinels[t].links[node.address], case .up(let inc) = link.state, inc == node.incarnation,
                      let at = network.route(from: here, to: .sentinel(t), now: now, random: &random) else { continue }
                schedule(.input(sentinel: t, incarnation: sentinels[t].incarnation, connID: link.connID,
                                address: node.address, input: .hello(payload)), at: at)
            }
        case .replicaOf(let target):
            if target != node.address { nodes[n].replicaOf(target, now: now) }
            nodeLog("N\(n) SLAVEOF \(target?.description ?? "NO ONE") from S\(s)")
            answer(.infoReply(node.address, info(n)))
        case .pauseWrites(let ms):
            nodes[n].writesPausedUntil = now + ms
            answer(.writesPaused(node.address, masterOffset: nodes[n].offset))
        case .unpause:
            nodes[n].writesPausedUntil = 0
        case .askMasterState:
            break
        }
    }

    /// The node's INFO, listing the replicas whose link to it is up.
    func info(_ n: Int) -> String {
        let replicas = nodes.filter { $0.alive && $0.linkUp && $0.master == nodes[n].address }
            .map { (address: $0.address, offset: $0.offset) }
        return nodes[n].info(now: now, replicas: replicas)
    }

    func stepNodes() {
        let offsets = nodes.map(\.offset)
        for n in nodes.indices where nodes[n].alive && !nodes[n].paused {
            switch nodes[n].role {
            case .master:
                if !nodes[n].writesPaused(now: now) { nodes[n].offset += 1 + Int64(random.next() % 200) }
            case .replica(let masterAddress):
                var reachable = false
                if case .node(let m)? = processAt[masterAddress], m != n, nodes[m].alive,
                   !network.isCut(.node(n), .node(m)) {
                    reachable = true
                    if nodes[n].linkUp {
                        if !nodes[m].paused { nodes[n].offset = offsets[m] }
                    } else if let ready = nodes[n].syncReadyAt {
                        if now >= ready, !nodes[m].paused {
                            nodes[n].linkUp = true
                            nodes[n].linkDownSince = nil
                            nodes[n].offset = offsets[m]
                        }
                    } else {
                        nodes[n].syncReadyAt = now + random.value(in: 100...800)
                    }
                }
                if !reachable {
                    if nodes[n].linkUp { nodes[n].linkDownSince = now }
                    nodes[n].linkUp = false
                    nodes[n].syncReadyAt = nil
                }
            }
        }
    }

    func killNode(_ n: Int) {
        guard nodes[n].alive else { return }
        nodes[n].alive = false
        nodes[n].paused = false
        held[.node(n)] = nil
        nodeLog("N\(n) killed (role \(nodes[n].role))")
        closeConnections(to: .node(n), address: nodes[n].address)
    }

    func restartNode(_ n: Int) {
        guard !nodes[n].alive else { return }
        nodes[n].restart(runID: random.hexID(), now: now, loadingFor: random.value(in: 0...600))
        nodeLog("N\(n) restarted as \(nodes[n].role)")
    }

    func nodeLog(_ line: String) { faultLog.add("t=\(now) \(line)") }
}
