// SentinelCommands: the client-facing commands a sentinel adds to Node's
// generic set — SENTINEL (dispatching on its subcommand; the reports are
// here, the changes in SentinelCommands+Admin.swift), INFO with the
// `# Sentinel` section, ROLE, and PUBLISH, which like Redis's accepts only
// hello messages and hands them to the core.

import RESP
import Node
import SentinelCore

extension SentinelDaemon {
    func registerCommands() {
        server.registerCommands([
            CommandSpec("sentinel", arity: -2, flags: [.admin, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"]) {
                [unowned self] (ctx: inout CommandContext) throws(CommandError) in try self.sentinelCommand(&ctx)
            },
            CommandSpec("info", arity: -1, flags: [.loading, .stale], categories: ["@slow", "@dangerous"]) {
                [unowned self] (ctx: inout CommandContext) throws(CommandError) in self.infoCommand(&ctx)
            },
            CommandSpec("role", arity: 1, flags: [.noAuth, .loading, .stale, .fast], categories: ["@admin", "@fast", "@dangerous"]) {
                [unowned self] (ctx: inout CommandContext) throws(CommandError) in
                ctx.reply.arrayHeader(2)
                ctx.reply.bulk("sentinel")
                ctx.reply.arrayHeader(self.core.masters.count)
                for m in self.core.masters { ctx.reply.bulk(m.name) }
            },
            CommandSpec("publish", arity: 3, flags: [.pubsub, .loading, .stale, .fast], categories: ["@pubsub", "@fast"]) {
                [unowned self] (ctx: inout CommandContext) throws(CommandError) in
                guard ctx.string(1) == InstanceLink.helloChannel else {
                    throw CommandError("ERR Only HELLO messages are accepted by Sentinel instances.")
                }
                self.feed(.hello(ctx.string(2)))
                ctx.reply.integer(1)
            },
        ])
    }

    func sentinelCommand(_ ctx: inout CommandContext) throws(CommandError) {
        let sub = ctx.string(1).lowercased()
        let argc = ctx.args.count
        func need(_ n: Int, exact: Bool = true) throws(CommandError) {
            if exact ? argc != n : argc < n {
                throw CommandError("ERR wrong number of arguments for 'sentinel|\(sub)' command")
            }
        }
        switch sub {
        case "masters", "primaries":
            try need(2)
            ctx.reply.arrayHeader(core.masters.count)
            for m in core.masters { InstanceFields.write(masterFields(m), to: &ctx.reply) }
        case "master", "primary":
            try need(3)
            InstanceFields.write(masterFields(try master(ctx.string(2))), to: &ctx.reply)
        case "replicas", "slaves":
            try need(3)
            let m = try master(ctx.string(2))
            ctx.reply.arrayHeader(m.replicas.count)
            for r in m.replicas {
                InstanceFields.write(InstanceFields.replica(r, master: m, pendingCommands: pending(r.address), now: now), to: &ctx.reply)
            }
        case "sentinels":
            try need(3)
            let m = try master(ctx.string(2))
            ctx.reply.arrayHeader(m.sentinels.count)
            for s in m.sentinels {
                InstanceFields.write(InstanceFields.sentinel(s, master: m, pendingCommands: pending(s.address), now: now), to: &ctx.reply)
            }
        case "get-master-addr-by-name", "get-primary-addr-by-name":
            try need(3)
            guard let m = core.masters.first(where: { $0.name == ctx.string(2) }) else {
                ctx.reply.nullArray()
                return
            }
            ctx.reply.arrayHeader(2)
            ctx.reply.bulk(m.address.host)
            ctx.reply.bulk(integer: m.address.port)
        case "is-master-down-by-addr", "is-primary-down-by-addr":
            try need(6)
            // Any integers, as Redis: a port out of range matches no master (so [0, "*", 0]),
            // a negative epoch is stale (0: it can win no vote).
            let port = try ctx.int(3)
            let epochValue = try ctx.int(4)
            let (reply, actions) = core.isMasterDownByAddr(host: ctx.string(2), port: (0...65535).contains(port) ? Int(port) : -1,
                                                           epoch: UInt64(max(0, epochValue)),
                                                           candidate: ctx.string(5), now: now)
            applyNow(actions)   // the vote is on disk before the reply leaves
            ctx.reply.arrayHeader(3)
            ctx.reply.integer(reply.isDown ? 1 : 0)
            ctx.reply.bulk(reply.leader)
            ctx.reply.integer(Int(truncatingIfNeeded: reply.leaderEpoch))
        case "myid":
            try need(2)
            ctx.reply.bulk(core.myID)
        case "ckquorum":
            try need(3)
            let m = try master(ctx.string(2))
            let verdict = Self.quorumVerdict(m)
            if verdict.ok { ctx.reply.simple(verdict.message) } else { throw CommandError(verdict.message) }
        case "info-cache":
            try need(3, exact: false)
            infoCache(&ctx)
        case "events":
            try need(2, exact: false)
            try events(&ctx)
        case "pending-scripts":
            try need(2)
            ctx.reply.arrayHeader(0)
        default:
            try sentinelAdminCommand(&ctx, sub: sub, need: need)
        }
    }

    func master(_ name: String) throws(CommandError) -> MasterRecord {
        guard let m = core.masters.first(where: { $0.name == name }) else {
            throw CommandError("ERR No such master with that name")
        }
        return m
    }

    func pending(_ address: InstanceAddress) -> Int { links[address]?.command.pendingCount ?? 0 }

    func masterFields(_ m: MasterRecord) -> InstanceFields.Fields {
        InstanceFields.master(m, pendingCommands: pending(m.address), now: now)
    }

    /// Redis's sentinelIsQuorumReachable wording.
    static func quorumVerdict(_ m: MasterRecord) -> (ok: Bool, message: String) {
        let usable = 1 + m.sentinels.filter { !$0.isSubjectivelyDown && $0.link.isConnected }.count
        let voters = m.sentinels.count + 1
        var problems: [String] = []
        if usable < m.quorum { problems.append("Not enough available Sentinels to reach the specified quorum for this master") }
        if usable < voters / 2 + 1 { problems.append("Not enough available Sentinels to reach the majority and authorize a failover") }
        if problems.isEmpty { return (true, "OK \(usable) usable Sentinels. Quorum and failover authorization can be reached") }
        return (false, "NOQUORUM " + problems.joined(separator: ". "))
    }

    func infoCache(_ ctx: inout CommandContext) {
        let names = ctx.args.count > 2 ? Set(ctx.args[2...].map { String(decoding: $0, as: UTF8.self) }) : nil
        let chosen = core.masters.filter { names?.contains($0.name) ?? true }
        ctx.reply.arrayHeader(chosen.count * 2)
        for m in chosen {
            ctx.reply.bulk(m.name)
            ctx.reply.arrayHeader(m.replicas.count + 1)
            for node in [m.node] + m.replicas.map(\.node) {
                ctx.reply.arrayHeader(2)
                ctx.reply.integer(Int(node.infoRefreshedAt.map { now - $0 } ?? 0))
                if let text = node.infoText { ctx.reply.verbatim(text) } else { ctx.reply.null() }
            }
        }
    }

    /// Vigil: SENTINEL EVENTS [name] [count] — recent events, oldest first, as [unix-ms, master, event, payload].
    func events(_ ctx: inout CommandContext) throws(CommandError) {
        var name: String?
        var count = 100
        if ctx.args.count > 2 { name = ctx.string(2) }
        if ctx.args.count > 3 {
            let n = try ctx.int(3)
            guard n >= 0 else { throw CommandError("ERR value is out of range, must be positive") }
            count = Int(min(n, 100_000))
        }
        if ctx.args.count > 4 { throw CommandError.syntax }
        if let name, name != "*", !core.masters.contains(where: { $0.name == name }) {
            throw CommandError("ERR No such master with that name")
        }
        let selected = history.all.filter { name == nil || name == "*" || $0.event.masterName == nil || $0.event.masterName == name }
        let recent = selected.suffix(count)
        ctx.reply.arrayHeader(recent.count)
        for item in recent {
            ctx.reply.arrayHeader(4)
            ctx.reply.integer(Int(item.time))
            ctx.reply.bulk(item.event.masterName ?? "")
            ctx.reply.bulk(item.event.name)
            ctx.reply.bulk(item.event.payload)
        }
    }

    func infoCommand(_ ctx: inout CommandContext) {
        let requested = ctx.args.dropFirst().map { String(decoding: $0, as: UTF8.self).lowercased() }
        let all = requested.isEmpty || requested.contains { ["default", "all", "everything"].contains($0) }
        // In sentinel mode infoSections skips "sentinel" and unknown names; nothing requested means the default set.
        var text = requested == ["sentinel"] ? "" : server.infoSections(requested)
        if all || requested.contains("sentinel") {
            if !text.isEmpty, !text.hasSuffix("\r\n\r\n") { text += "\r\n" }
            text += sentinelInfoSection()
        }
        ctx.reply.verbatim(text)
    }

    func sentinelInfoSection() -> String {
        var lines = ["# Sentinel",
                     "sentinel_masters:\(core.masters.count)",
                     "sentinel_tilt:\(core.isTilted ? 1 : 0)",
                     "sentinel_tilt_since_seconds:\(core.tiltSince.map { (now - $0) / 1000 } ?? -1)",
                     "sentinel_running_scripts:0",
                     "sentinel_scripts_queue_length:0",
                     "sentinel_simulate_failure_flags:\(core.simulatedFailures.rawValue)"]
        for (i, m) in core.masters.enumerated() {
            let status = m.isObjectivelyDown ? "odown" : (m.node.isSubjectivelyDown ? "sdown" : "ok")
            lines.append("master\(i):name=\(m.name),status=\(status),address=\(m.address.host):\(m.address.port),slaves=\(m.replicas.count),sentinels=\(m.sentinels.count + 1)")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
