// Setting and removing a key's time to live: EXPIRE, PEXPIRE, EXPIREAT,
// PEXPIREAT (with NX | XX | GT | LT) and PERSIST.
//
// Rules (Redis 7.0 expireGenericCommand), in order:
// 1. Option words are checked first: unknown → "Unsupported option <word>";
//    NX with XX, GT or LT → "NX and XX, GT or LT options at the same time are
//    not compatible"; GT with LT → "GT and LT options ...".
// 2. The time must be an integer; seconds are scaled to ms and the base (now,
//    or 0 for the *AT forms) added, any overflow being "invalid expire time in
//    '<command>' command". Negative times are allowed.
// 3. A missing key answers 0.
// 4. NX: only without a TTL. XX: only with one. GT: only when the key has a
//    TTL and the new time is later (no TTL counts as infinite). LT: when the
//    key has no TTL or the new time is earlier. A refused condition answers 0.
// 5. A time not in the future deletes the key (answer 1), except on a
//    replica, which only sets it and waits for its master's DEL.

import RESP
import Replication
import Keyspace

/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST.
func expireCommands() -> [CommandSpec] {
    [
        CommandSpec("expire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: expireCommand),
        CommandSpec("pexpire", arity: -3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: pexpireCommand),
        CommandSpec("expireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: expireatCommand),
        CommandSpec("pexpireat", arity: -3, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: pexpireatCommand),
        CommandSpec("persist", arity: 2, flags: [.write, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: persistCommand),
    ]
}

private func expireCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setExpiry(&ctx, base: ctx.now, seconds: true, command: "expire")
}

private func pexpireCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setExpiry(&ctx, base: ctx.now, seconds: false, command: "pexpire")
}

private func expireatCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setExpiry(&ctx, base: 0, seconds: true, command: "expireat")
}

private func pexpireatCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try setExpiry(&ctx, base: 0, seconds: false, command: "pexpireat")
}

/// The NX | XX | GT | LT conditions of the EXPIRE family.
struct ExpireCondition {
    var nx = false
    var xx = false
    var gt = false
    var lt = false

    /// Parses `ctx.args[3...]` (rule 1).
    init(_ ctx: CommandContext) throws(CommandError) {
        for j in 3..<max(3, ctx.args.count) {
            if ctx.argIs(j, "nx") { nx = true }
            else if ctx.argIs(j, "xx") { xx = true }
            else if ctx.argIs(j, "gt") { gt = true }
            else if ctx.argIs(j, "lt") { lt = true }
            else { throw CommandError("ERR Unsupported option \(ctx.string(j))") }
        }
        if nx && (xx || gt || lt) {
            throw CommandError("ERR NX and XX, GT or LT options at the same time are not compatible")
        }
        if gt && lt { throw CommandError("ERR GT and LT options at the same time are not compatible") }
    }

    /// Rule 4: whether a key whose current expiry is `current` (nil: none) may get `when`.
    func allows(current: Int64?, when: Int64) -> Bool {
        if nx && current != nil { return false }
        if xx && current == nil { return false }
        if gt {
            guard let current, when > current else { return false }
        }
        if lt, let current, when >= current { return false }
        return true
    }
}

private func setExpiry(_ ctx: inout CommandContext, base: Int64, seconds: Bool,
                       command: String) throws(CommandError) {
    let condition = try ExpireCondition(ctx)
    var when = try ctx.int(2)
    if seconds {
        if when > Int64.max / 1000 || when < Int64.min / 1000 { throw .invalidExpireTime(in: command) }
        when *= 1000
    }
    if when > Int64.max - base { throw .invalidExpireTime(in: command) }
    when += base
    let key = ctx.args[1]
    guard ctx.db.exists(key, now: ctx.now) else {
        ctx.reply.zero()
        return
    }
    guard condition.allows(current: ctx.db.expireTime(key), when: when) else {
        ctx.reply.zero()
        return
    }
    if when <= ctx.now && ctx.db.expiresOnAccess {
        ctx.db.remove(key, now: ctx.now)
        ctx.propagateAs = [PropagatedCommand.del(key)]
    } else {
        ctx.db.setExpire(key, at: when)
        ctx.propagateAs = [PropagatedCommand.pexpireAt(key: key, unixMs: when)]
    }
    ctx.reply.one()
}

/// PERSIST key: 1 if a TTL was removed.
private func persistCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.db.exists(key, now: ctx.now), ctx.db.persist(key) {
        ctx.reply.one()
    } else {
        ctx.reply.zero()
    }
}
