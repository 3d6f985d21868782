// String writes: SET (with its options), SETNX, SETEX, PSETEX, MSET, MSETNX.
//
// Rules (Redis 7.0 setGenericCommand):
// 1. Options and the expire value are validated before anything is read or written.
// 2. With GET, the old value is read first: another type answers WRONGTYPE and
//    nothing changes; the reply is then the old value (or null), whether or not
//    the write happens (GET combines with NX since 7.0).
// 3. NX on an existing key / XX on a missing one writes nothing and answers
//    null (the old value with GET).
// 4. A write replaces the value of any type and drops the TTL unless KEEPTTL;
//    an expiry in the past still stores the key, which then reads as absent.

import RESP
import Replication
import Keyspace

/// SET, SETNX, SETEX, PSETEX, MSET, MSETNX.
func stringSetCommands() -> [CommandSpec] {
    [
        CommandSpec("set", arity: -3, flags: [.write, .denyOOM], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@slow"], handler: setCommand),
        CommandSpec("setnx", arity: 3, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@fast"], handler: setnxCommand),
        CommandSpec("setex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@slow"], handler: setexCommand),
        CommandSpec("psetex", arity: 4, flags: [.write, .denyOOM], keys: (1, 1, 1),
                    categories: ["@write", "@string", "@slow"], handler: psetexCommand),
        CommandSpec("mset", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2),
                    categories: ["@write", "@string", "@slow"], handler: msetCommand),
        CommandSpec("msetnx", arity: -3, flags: [.write, .denyOOM], keys: (1, -1, 2),
                    categories: ["@write", "@string", "@slow"], handler: msetnxCommand),
    ]
}

/// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]
private func setCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.args.count == 3 {   // the hot path: plain SET
        ctx.db.set(key, .string(ctx.args[2]))
        ctx.reply.ok()
        return
    }
    let options = try StringSetOptions(ctx, from: 3, grammar: .set)
    var expireAt: Int64? = nil
    if case .timed(let unit, let index) = options.expiry {
        expireAt = try ctx.stringExpireTime(unit, argument: index, command: "set")
    }
    var old: Bytes? = nil
    if options.returnOld { old = try ctx.readString(key) }
    let found = options.returnOld ? old != nil : ctx.db.exists(key, now: ctx.now)
    if (options.onlyIfAbsent && found) || (options.onlyIfPresent && !found) {
        if let old { ctx.reply.bulk(old) } else { ctx.reply.null() }
        return
    }
    ctx.db.set(key, .string(ctx.args[2]), keepTTL: options.expiry == .keepTTL)
    if let expireAt {
        ctx.db.setExpire(key, at: expireAt)
        // Relative expiry reaches replicas as an absolute time (Redis 7.0).
        ctx.propagateAs = [PropagatedCommand.setPXAT(key: key, value: ctx.args[2], unixMs: expireAt)]
    }
    if options.returnOld {
        if let old { ctx.reply.bulk(old) } else { ctx.reply.null() }
    } else {
        ctx.reply.ok()
    }
}

/// SETNX key value: 1 if set, 0 if the key exists.
private func setnxCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.db.exists(key, now: ctx.now) {
        ctx.reply.zero()
    } else {
        ctx.db.set(key, .string(ctx.args[2]))
        ctx.reply.one()
    }
}

/// SETEX key seconds value
private func setexCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setWithExpire(&ctx, unit: .seconds, command: "setex")
}

/// PSETEX key milliseconds value
private func psetexCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setWithExpire(&ctx, unit: .milliseconds, command: "psetex")
}

private func setWithExpire(_ ctx: inout CommandContext, unit: StringExpiryUnit, command: String) throws(CommandError) {
    let when = try ctx.stringExpireTime(unit, argument: 2, command: command)
    let key = ctx.args[1]
    ctx.db.set(key, .string(ctx.args[3]))
    ctx.db.setExpire(key, at: when)
    ctx.propagateAs = [PropagatedCommand.setPXAT(key: key, value: ctx.args[3], unixMs: when)]
    ctx.reply.ok()
}

/// MSET key value [key value ...]
private func msetCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    guard args.count % 2 == 1 else { throw .arity("mset") }
    for i in stride(from: 1, to: args.count, by: 2) {
        ctx.db.set(args[i], .string(args[i + 1]))
    }
    ctx.reply.ok()
}

/// MSETNX key value [key value ...]: sets all (1) or, if any key exists, none (0).
private func msetnxCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    guard args.count % 2 == 1 else { throw .arity("msetnx") }
    for i in stride(from: 1, to: args.count, by: 2) where ctx.db.exists(args[i], now: ctx.now) {
        ctx.reply.zero()
        return
    }
    for i in stride(from: 1, to: args.count, by: 2) {
        ctx.db.set(args[i], .string(args[i + 1]))
    }
    ctx.reply.one()
}
