// String reads, and reads that also write: GET, MGET, GETSET, GETDEL, GETEX.
//
// Rules (Redis 7.0): a missing key answers the null bulk ($-1 / RESP3 _);
// another type answers WRONGTYPE before anything changes, except in MGET
// where it reads as null. GETSET drops the time to live; GETEX changes it
// only after replying with the value (an EXAT/PXAT in the past deletes the key).

import RESP
import Replication
import Keyspace

/// GET, MGET, GETSET, GETDEL, GETEX.
func stringGetCommands() -> [CommandSpec] {
    [
        CommandSpec("get", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@read", "@string", "@fast"], handler: getCommand),
        CommandSpec("mget", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1),
                    categories: ["@read", "@string", "@fast"], handler: mgetCommand),
        CommandSpec("getset", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: getsetCommand),
        CommandSpec("getdel", arity: 2, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: getdelCommand),
        CommandSpec("getex", arity: -2, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: getexCommand),
    ]
}

/// GET key
private func getCommand(_ ctx: inout CommandContext) throws(CommandError) {
    if let value = try ctx.readString(ctx.args[1]) {
        ctx.reply.bulk(value)
    } else {
        ctx.reply.null()
    }
}

/// MGET key [key ...]: one element per key; null for missing keys and other types.
private func mgetCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    ctx.reply.arrayHeader(args.count - 1)
    for i in 1..<args.count {
        if case .string(let value)? = ctx.read(args[i]) {
            ctx.reply.bulk(value)
        } else {
            ctx.reply.null()
        }
    }
}

/// GETSET key value: the old value (or null); the new value has no TTL.
private func getsetCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    let old = try ctx.readString(key)
    ctx.db.set(key, .string(ctx.args[2]))
    if let old { ctx.reply.bulk(old) } else { ctx.reply.null() }
}

/// GETDEL key: the value (or null), and the key is deleted.
private func getdelCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    guard let value = try ctx.readString(key) else {
        ctx.reply.null()
        return
    }
    ctx.db.remove(key, now: ctx.now)
    ctx.propagateAs = [PropagatedCommand.del(key)]
    ctx.reply.bulk(value)
}

/// GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]
private func getexCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    let options = try StringSetOptions(ctx, from: 2, grammar: .getex)
    guard let value = try ctx.readString(key) else {
        ctx.reply.null()   // Redis answers before looking at the expire value
        return
    }
    switch options.expiry {
    case .timed(let unit, let index):
        let when = try ctx.stringExpireTime(unit, argument: index, command: "getex")
        ctx.reply.bulk(value)
        // An absolute time already past deletes the key (a replica waits for its master's DEL).
        if !unit.isRelative, when <= ctx.now, ctx.db.expiresOnAccess {
            ctx.db.remove(key, now: ctx.now)
            ctx.propagateAs = [PropagatedCommand.del(key)]
        } else {
            ctx.db.setExpire(key, at: when)
            ctx.propagateAs = [PropagatedCommand.pexpireAt(key: key, unixMs: when)]
        }
    case .persist:
        ctx.reply.bulk(value)
        if !ctx.db.persist(key) { ctx.propagateAs = [] }
    case .none, .keepTTL:
        ctx.reply.bulk(value)
    }
}
