// The generic key command family (Redis 7.0's @keyspace group, minus SELECT,
// which the connection family owns), and the basic ones: DEL, UNLINK, EXISTS,
// TYPE, RENAME, RENAMENX, TOUCH.
//
// Rules (Redis 7.0):
// - DEL/UNLINK count keys actually deleted (an expired key or a repeated
//   name counts once at most); EXISTS and TOUCH count every argument that
//   exists, repeats included (Vigil keeps no access clock, so TOUCH only counts).
// - RENAME moves the value and its TTL, replacing the destination; RENAMENX
//   refuses (0) when the destination exists. A missing source is "no such key",
//   even when source and destination are the same name (which otherwise
//   changes nothing).

import RESP
import Keyspace

/// Every generic key command.
func keyCommands() -> [CommandSpec] {
    keyBasicCommands() + keyCopyCommands() + keyIterationCommands() + keyFlushCommands()
        + expireCommands() + expireTTLCommands() + [objectCommandSpec()]
}

private func keyBasicCommands() -> [CommandSpec] {
    [
        CommandSpec("del", arity: -2, flags: [.write], keys: (1, -1, 1),
                    categories: ["@keyspace", "@write", "@slow"], handler: delCommand),
        CommandSpec("unlink", arity: -2, flags: [.write, .fast], keys: (1, -1, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: delCommand),
        CommandSpec("exists", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: existsCommand),
        CommandSpec("touch", arity: -2, flags: [.readonly, .fast], keys: (1, -1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: existsCommand),
        CommandSpec("type", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1),
                    categories: ["@keyspace", "@read", "@fast"], handler: typeCommand),
        CommandSpec("rename", arity: 3, flags: [.write], keys: (1, 2, 1),
                    categories: ["@keyspace", "@write", "@slow"], handler: renameCommand),
        CommandSpec("renamenx", arity: 3, flags: [.write, .fast], keys: (1, 2, 1),
                    categories: ["@keyspace", "@write", "@fast"], handler: renamenxCommand),
    ]
}

/// DEL / UNLINK key [key ...]: the number of keys deleted.
private func delCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    var deleted = 0
    for i in 1..<args.count where ctx.db.remove(args[i], now: ctx.now) {
        deleted += 1
    }
    ctx.reply.integer(deleted)
}

/// EXISTS / TOUCH key [key ...]: how many of the arguments exist (repeats counted).
private func existsCommand(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    var found = 0
    for i in 1..<args.count where ctx.read(args[i]) != nil {
        found += 1
    }
    ctx.reply.integer(found)
}

/// TYPE key: the type name as a status, "none" when missing.
private func typeCommand(_ ctx: inout CommandContext) throws(CommandError) {
    if let value = ctx.read(ctx.args[1]) {
        ctx.reply.simple(value.typeName)
    } else {
        ctx.reply.simple("none")
    }
}

private func renameCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try renameKey(&ctx, onlyIfAbsent: false)
}

private func renamenxCommand(_ ctx: inout CommandContext) throws(CommandError) {
    try renameKey(&ctx, onlyIfAbsent: true)
}

private func renameKey(_ ctx: inout CommandContext, onlyIfAbsent: Bool) throws(CommandError) {
    let source = ctx.args[1]
    let destination = ctx.args[2]
    guard let value = ctx.db.lookup(source, now: ctx.now) else { throw .noSuchKey }
    if source == destination {
        if onlyIfAbsent { ctx.reply.zero() } else { ctx.reply.ok() }
        return
    }
    if onlyIfAbsent, ctx.db.exists(destination, now: ctx.now) {
        ctx.reply.zero()
        return
    }
    let expireAt = ctx.db.expireTime(source)
    ctx.db.remove(source, now: ctx.now)
    ctx.db.set(destination, value)
    if let expireAt { ctx.db.setExpire(destination, at: expireAt) }
    if onlyIfAbsent { ctx.reply.one() } else { ctx.reply.ok() }
}
