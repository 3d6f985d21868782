// HashWhole: commands that return a whole hash — HKEYS, HVALS, HGETALL, in
// the table's iteration order (Redis marks their output order nondeterministic).
//
// Reply shapes (Redis 7.0): HKEYS/HVALS an array in both protocols; HGETALL a
// flat field/value array in RESP2 and a map in RESP3. A missing key answers
// the empty array / empty map.

import RESP
import Keyspace

/// Specs of this file's commands.
func hashWholeCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    let rs = HashCategories.readSlow
    return [
        CommandSpec("hkeys", arity: 2, flags: [.readonly], keys: one, categories: rs, handler: hkeys),
        CommandSpec("hvals", arity: 2, flags: [.readonly], keys: one, categories: rs, handler: hvals),
        CommandSpec("hgetall", arity: 2, flags: [.readonly], keys: one, categories: rs, handler: hgetall),
    ]
}

private func hkeys(_ ctx: inout CommandContext) throws(CommandError) {
    guard let hash = try ctx.readHash(ctx.args[1]) else {
        ctx.reply.emptyArray()
        return
    }
    ctx.reply.arrayHeader(hash.count)
    for field in hash.keys { ctx.reply.bulk(field) }
}

private func hvals(_ ctx: inout CommandContext) throws(CommandError) {
    guard let hash = try ctx.readHash(ctx.args[1]) else {
        ctx.reply.emptyArray()
        return
    }
    ctx.reply.arrayHeader(hash.count)
    for (_, value) in hash { ctx.reply.bulk(value) }
}

private func hgetall(_ ctx: inout CommandContext) throws(CommandError) {
    guard let hash = try ctx.readHash(ctx.args[1]) else {
        ctx.reply.mapHeader(0)
        return
    }
    ctx.reply.mapHeader(hash.count)
    for (field, value) in hash {
        ctx.reply.bulk(field)
        ctx.reply.bulk(value)
    }
}
