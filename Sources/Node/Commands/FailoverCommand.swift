// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds] — a
// coordinated hand-over of mastership to a replica (Redis 6.2/7.0's
// failoverCommand: same parsing, checks in the same order, same texts).
// The work itself is in Replication/Failover.swift.

import RESP

func failoverCommands() -> [CommandSpec] {
    [
        CommandSpec("failover", arity: -1, flags: [.admin, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: failover),
    ]
}

private func failover(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server
    if ctx.args.count == 2, ctx.argIs(1, "abort") {
        guard server.masterSide.failover.phase != .none else { throw CommandError("ERR No failover in progress.") }
        server.abortFailover("Failover manually aborted")
        ctx.reply.simple("OK")
        return
    }
    var timeoutMs: Int64 = 0
    var force = false
    var target: (host: String, port: Int)?
    var j = 1
    while j < ctx.args.count {
        if ctx.argIs(j, "timeout"), j + 1 < ctx.args.count, timeoutMs == 0 {
            guard let value = parseInt64(ctx.args[j + 1]) else { throw .notInteger }
            guard value > 0 else { throw CommandError("ERR FAILOVER timeout must be greater than 0") }
            timeoutMs = value
            j += 2
        } else if ctx.argIs(j, "to"), j + 2 < ctx.args.count, target == nil {
            guard let port = parseInt64(ctx.args[j + 2]), let p = Int(exactly: port) else { throw .notInteger }
            target = (ctx.string(j + 1), p)
            j += 3
        } else if ctx.argIs(j, "force"), !force {
            force = true
            j += 1
        } else {
            throw .syntax
        }
    }
    if server.masterSide.failover.phase != .none { throw CommandError("ERR FAILOVER already in progress.") }
    if server.replicaSide.isReplica { throw CommandError("ERR FAILOVER is not valid when server is a replica.") }
    if server.masterSide.registry.count == 0 { throw CommandError("ERR FAILOVER requires connected replicas.") }
    if force, timeoutMs == 0 || target == nil {
        throw CommandError("ERR FAILOVER with force option requires both a timeout and target HOST and IP.")
    }
    if let target {
        guard let replica = server.findFailoverReplica(host: target.host, port: target.port) else {
            throw CommandError("ERR FAILOVER target HOST and PORT is not a replica.")
        }
        guard replica.state == .online else { throw CommandError("ERR FAILOVER target replica is not online.") }
    }
    server.startFailover(target: target, timeoutMs: timeoutMs > 0 ? timeoutMs : nil, force: force)
    ctx.reply.simple("OK")
}
