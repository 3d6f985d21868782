// InstanceFields: the field lists SENTINEL MASTER(S) / REPLICAS / SENTINELS
// reply with — Redis 7.0's addReplySentinelRedisInstance, field for field and
// in its order (numbers as strings; a flat array in RESP2, a map in RESP3).

import RESP
import SentinelCore

enum InstanceFields {
    typealias Fields = [(String, String)]

    static func write(_ fields: Fields, to reply: inout ReplyBuffer) {
        if reply.isRESP3 { reply.mapHeader(fields.count) } else { reply.arrayHeader(fields.count * 2) }
        for (key, value) in fields {
            reply.bulk(key)
            reply.bulk(value)
        }
    }

    /// The fields every instance has, up to role-reported-time.
    static func common(name: String, address: InstanceAddress, runID: String?, flags: [String], link: LinkHealth,
                       pendingCommands: Int, failoverState: String?, sdownSince: Int64?, odownSince: Int64?,
                       downAfter: Int64, now: Int64) -> Fields {
        var f: Fields = [("name", name), ("ip", address.host), ("port", String(address.port)), ("runid", runID ?? ""),
                         ("flags", flags.joined(separator: ",")), ("link-pending-commands", String(pendingCommands)),
                         ("link-refcount", "1")]
        if let failoverState { f.append(("failover-state", failoverState)) }
        f.append(("last-ping-sent", String(link.pendingPingSince.map { now - $0 } ?? 0)))
        f.append(("last-ok-ping-reply", String(now - link.lastAvailable)))
        f.append(("last-ping-reply", String(now - link.lastPong)))
        if let sdownSince { f.append(("s-down-time", String(now - sdownSince))) }
        if let odownSince { f.append(("o-down-time", String(now - odownSince))) }
        f.append(("down-after-milliseconds", String(downAfter)))
        return f
    }

    static func nodeInfoFields(_ node: NodeRecord, now: Int64) -> Fields {
        [("info-refresh", String(node.infoRefreshedAt.map { now - $0 } ?? 0)),
         ("role-reported", node.reportedRole?.rawValue ?? "master"),
         ("role-reported-time", String(now - node.roleReportedAt))]
    }

    static func master(_ m: MasterRecord, pendingCommands: Int, now: Int64) -> Fields {
        var f = common(name: m.name, address: m.address, runID: m.node.runID, flags: m.flagWords, link: m.node.link,
                       pendingCommands: pendingCommands, failoverState: m.failover?.stage.redisName,
                       sdownSince: m.node.sdownSince, odownSince: m.odownSince, downAfter: m.downAfter, now: now)
        f += nodeInfoFields(m.node, now: now)
        f += [("config-epoch", String(m.configEpoch)), ("num-slaves", String(m.replicas.count)),
              ("num-other-sentinels", String(m.sentinels.count)), ("quorum", String(m.quorum)),
              ("failover-timeout", String(m.failoverTimeout)), ("parallel-syncs", String(m.parallelSyncs))]
        return f
    }

    static func replicaFlags(_ r: ReplicaRecord) -> [String] {
        var words: [String] = []
        if r.node.isSubjectivelyDown { words.append("s_down") }
        words.append("slave")
        if !r.node.link.isConnected { words.append("disconnected") }
        if r.isPromoted { words.append("promoted") }
        switch r.reconfiguration {
        case .sent: words.append("reconf_sent")
        case .inProgress: words.append("reconf_inprog")
        case .done: words.append("reconf_done")
        case .none: break
        }
        return words
    }

    static func replica(_ r: ReplicaRecord, master: MasterRecord, pendingCommands: Int, now: Int64) -> Fields {
        var f = common(name: r.address.description, address: r.address, runID: r.node.runID, flags: replicaFlags(r),
                       link: r.node.link, pendingCommands: pendingCommands, failoverState: nil,
                       sdownSince: r.node.sdownSince, odownSince: nil, downAfter: master.downAfter, now: now)
        f += [("info-refresh", String(r.node.infoRefreshedAt.map { now - $0 } ?? 0)),
              ("role-reported", r.node.reportedRole?.rawValue ?? "slave"),
              ("role-reported-time", String(now - r.node.roleReportedAt))]
        f += [("master-link-down-time", String(r.masterLinkDownTime)),
              ("master-link-status", r.masterLinkUp ? "ok" : "err")]
        if let host = r.masterHost { f.append(("master-host", host)) }
        if let port = r.masterPort { f.append(("master-port", String(port))) }
        f += [("slave-priority", String(r.priority)), ("slave-repl-offset", String(r.replicationOffset)),
              ("replica-announced", r.announced ? "1" : "0")]
        return f
    }

    static func sentinel(_ s: PeerSentinel, master: MasterRecord, pendingCommands: Int, now: Int64) -> Fields {
        var flags: [String] = []
        if s.isSubjectivelyDown { flags.append("s_down") }
        flags.append("sentinel")
        if !s.link.isConnected { flags.append("disconnected") }
        if s.saysMasterDown { flags.append("master_down") }
        var f = common(name: s.runID, address: s.address, runID: s.runID, flags: flags, link: s.link,
                       pendingCommands: pendingCommands, failoverState: nil, sdownSince: s.sdownSince, odownSince: nil,
                       downAfter: master.downAfter, now: now)
        f += [("last-hello-message", String(s.lastHelloReceived.map { now - $0 } ?? now)),
              ("voted-leader", s.leader ?? "?"), ("voted-leader-epoch", String(s.leaderEpoch))]
        return f
    }
}
