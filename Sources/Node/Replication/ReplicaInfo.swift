// ReplicaInfo: the replica-side view of the role for INFO replication, HELLO
// and ROLE, in Redis 7.0's field order and words.
//
// Invariants: INFO's role is "master"/"slave", HELLO's "master"/"replica"
// (as Redis); the tail after the role lines comes from the master side
// (`masterInfoLines`: connected_slaves, slaveN) and the stream
// (`replicationStream.infoLines`: master_failover_state … repl_backlog_histlen).

import RESP
import Replication

extension Server {
    /// HELLO's role word.
    var helloRoleWord: String { replicaSide.isReplica ? "replica" : "master" }

    /// The whole INFO replication section.
    func replicationInfoLines() -> [String] {
        var lines: [String] = []
        if let target = replicaSide.target {
            let nowSeconds = now / 1000
            let mono = loop.monotonicMilliseconds
            let lastIO = replicaSide.masterClient != nil ? Int((mono - replicaSide.masterLastIO) / 1000) : -1
            let transferring = replicaSide.link?.handshake.state == .transfer
            lines += [
                "role:slave",
                "master_host:\(target.host)",
                "master_port:\(target.port)",
                "master_link_status:\(replicaSide.isLinkUp ? "up" : "down")",
                "master_last_io_seconds_ago:\(lastIO)",
                "master_sync_in_progress:\(transferring ? 1 : 0)",
                "slave_read_repl_offset:\(replicaReadOffset)",
                "slave_repl_offset:\(replicaAppliedOffset)",
            ]
            if transferring, let link = replicaSide.link {
                let size = link.framer?.transferSize ?? -1
                let read = link.framer?.transferRead ?? 0
                let perc = size > 0 ? Double(read) / Double(size) * 100 : 0
                lines += [
                    "master_sync_total_bytes:\(size)",
                    "master_sync_read_bytes:\(read)",
                    "master_sync_left_bytes:\(size - read)",
                    "master_sync_perc:\(formatPercent(perc))",
                    "master_sync_last_io_seconds_ago:\((mono - link.lastIO) / 1000)",
                ]
            }
            if !replicaSide.isLinkUp {
                let downSince = replicaSide.downSince == 0 ? -1 : nowSeconds - replicaSide.downSince / 1000
                lines.append("master_link_down_since_seconds:\(downSince)")
            }
            lines += [
                "slave_priority:\(config.replicaPriority)",
                "slave_read_only:\(config.replicaReadOnly ? 1 : 0)",
                "replica_announced:\(config.replicaAnnounced ? 1 : 0)",
            ]
        } else {
            lines.append("role:master")
        }
        lines += masterInfoLines()
        lines += replicationStream.infoLines(failoverState: failoverStateWord)  // FAILOVER (Failover.swift)
        return lines
    }

    private func formatPercent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// ROLE's reply.
    func writeRoleReply(_ reply: inout ReplyBuffer) {
        if let target = replicaSide.target {
            reply.arrayHeader(5)
            reply.bulk("slave")
            reply.bulk(target.host)
            reply.integer(target.port)
            reply.bulk(replicaSide.stateWord)
            reply.integer(replicaSide.masterClient != nil ? Int(replicationStream.history.masterReplOffset) : -1)
            return
        }
        let entries = masterSide.registry.roleEntries
        reply.arrayHeader(3)
        reply.bulk("master")
        reply.integer(Int(replicationStream.history.masterReplOffset))
        reply.arrayHeader(entries.count)
        for entry in entries {
            reply.arrayHeader(3)
            reply.bulk(entry.ip)
            reply.bulk(String(entry.port))
            reply.bulk(String(entry.offset))
        }
    }
}
