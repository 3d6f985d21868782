// Reading a key's time to live: TTL, PTTL, EXPIRETIME, PEXPIRETIME.
//
// Rules (Redis 7.0 ttlGenericCommand): -2 when the key is missing, -1 when it
// has no TTL; otherwise the remaining time (TTL, PTTL) or the absolute unix
// time (EXPIRETIME, PEXPIRETIME), never below 0; the second forms round
// half up: (ms + 500) / 1000.

import RESP
import Keyspace

/// TTL, PTTL, EXPIRETIME, PEXPIRETIME.
func expireTTLCommands() -> [CommandSpec] {
    [
        CommandSpec("ttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: ttlCommand),
        CommandSpec("pttl", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: pttlCommand),
        CommandSpec("expiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: expiretimeCommand),
        CommandSpec("pexpiretime", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: pexpiretimeCommand),
    ]
}

private func ttlCommand(_ ctx: inout CommandContext) throws(CommandError) {
    replyTTL(&ctx, milliseconds: false, absolute: false)
}

private func pttlCommand(_ ctx: inout CommandContext) throws(CommandError) {
    replyTTL(&ctx, milliseconds: true, absolute: false)
}

private func expiretimeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    replyTTL(&ctx, milliseconds: false, absolute: true)
}

private func pexpiretimeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    replyTTL(&ctx, milliseconds: true, absolute: true)
}

private func replyTTL(_ ctx: inout CommandContext, milliseconds: Bool, absolute: Bool) {
    let key = ctx.args[1]
    guard ctx.read(key) != nil else {
        ctx.reply.integer(-2)
        return
    }
    guard let expireAt = ctx.db.expireTime(key) else {
        ctx.reply.integer(-1)
        return
    }
    var ms = expireAt
    if !absolute {
        let (remaining, overflow) = expireAt.subtractingReportingOverflow(ctx.now)
        ms = overflow ? 0 : remaining   // overflow only when expireAt is far in the past
    }
    if ms < 0 { ms = 0 }
    // (ms + 500) / 1000 without overflow for ms near Int64.max.
    let value = milliseconds ? ms : ms / 1000 + (ms % 1000 + 500) / 1000
    ctx.reply.integer(Int(value))
}
