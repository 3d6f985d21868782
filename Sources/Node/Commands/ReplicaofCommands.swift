// Replica-side commands: REPLICAOF / SLAVEOF (change role at runtime; the
// connection happens in the background, the reply is immediate) and ROLE.
// Texts as Redis 7.0's replicaofCommand / roleCommand.

import RESP
import Config

func replicaofCommands() -> [CommandSpec] {
    [
        CommandSpec("replicaof", arity: 3, flags: [.admin, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: replicaof),
        CommandSpec("slaveof", arity: 3, flags: [.admin, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: replicaof),
        CommandSpec("role", arity: 1, flags: [.loading, .stale, .fast], categories: ["@admin", "@fast", "@dangerous"], handler: role),
    ]
}

private func replicaof(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server
    if ctx.argIs(1, "no") && ctx.argIs(2, "one") {
        if server.replicaSide.isReplica {
            server.becomeMaster()
            server.config.setReplicaOf(nil)
            server.logger.notice("MASTER MODE enabled (user request from '\(server.clientInfoLine(ctx.client))')")
        }
        ctx.reply.simple("OK")
        return
    }
    if ctx.client.kind == .replica {
        throw CommandError("ERR Command is not valid when client is a replica.")
    }
    guard let port = parseInt64(ctx.args[2]), port >= 0, port <= 65535 else {
        throw CommandError("ERR Invalid master port")
    }
    let host = ctx.string(1)
    if let current = server.replicaSide.target, current.host.lowercased() == host.lowercased(), current.port == Int(port) {
        server.logger.notice("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
        ctx.reply.simple("OK Already connected to specified master")
        return
    }
    let target = ReplicaOf(host: host, port: Int(port))
    server.config.setReplicaOf(target)
    server.becomeReplica(of: target)
    server.logger.notice("REPLICAOF \(host):\(port) enabled (user request from '\(server.clientInfoLine(ctx.client))')")
    ctx.reply.simple("OK")
}

private func role(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.server.writeRoleReply(&ctx.reply)
}
