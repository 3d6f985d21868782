// Replication commands served by a master to its replicas: REPLCONF (the
// handshake options and ACKs), PSYNC, SYNC, and WAIT for clients.
//
// REPLCONF ACK and GETACK are never answered (the replica's stream must not
// receive replies); everything else answers +OK or the first error, with the
// options before the error applied, as Redis 7.0.

import RESP
import Replication

func replicationMasterCommands() -> [CommandSpec] {
    [
        CommandSpec("replconf", arity: -1, flags: [.admin, .loading, .stale], categories: ["@admin", "@slow", "@dangerous"], handler: replconf),
        CommandSpec("psync", arity: -3, flags: [.admin], categories: ["@admin", "@slow", "@dangerous"], handler: psync),
        CommandSpec("sync", arity: 1, flags: [.admin], categories: ["@admin", "@slow", "@dangerous"], handler: psync),
        CommandSpec("wait", arity: 3, flags: [], categories: ["@slow", "@connection"], handler: wait),
    ]
}

private func replconf(_ ctx: inout CommandContext) throws(CommandError) {
    let server = ctx.server
    let client = ctx.client
    switch REPLCONFRequest(arguments: Array(ctx.args.dropFirst())) {
    case .ack(let offset):
        // Only replicas ACK; the WAIT check runs before the loop sleeps.
        guard client.kind == .replica else { return }
        if server.masterSide.registry.recordAck(from: UInt64(client.id), offset: offset, nowMs: ctx.now) {
            server.startCommandStream(client)
        }
    case .getAck:
        // A replica answers its master's GETACK before dispatch (ReplicaStream); never replied to here.
        break
    case .options(let options, let error):
        server.masterSide.registry.apply(options, from: UInt64(client.id), peerIP: client.peer.ip)
        if let error { throw CommandError(error) }
        ctx.reply.simple("OK")
    }
}

private func psync(_ ctx: inout CommandContext) throws(CommandError) {
    try ctx.server.handleSyncRequest(ctx.client, args: ctx.args)
}

private func wait(_ ctx: inout CommandContext) throws(CommandError) {
    try ctx.server.waitForReplicas(&ctx)
}
