// ListRange: index-based list access — LRANGE, LINDEX, LSET, LTRIM. The
// deque gives O(1) random access, so LINDEX/LSET anywhere in a list of
// millions are O(1), LRANGE is O(elements returned) and LTRIM O(elements removed).
//
// Redis 7.0 order of checks: LRANGE and LTRIM parse their integers before
// looking the key up; LINDEX and LSET look the key up first (a missing key
// wins over a bad index: LINDEX answers null, LSET "no such key").

import RESP
import Keyspace

/// Specs of this file's commands.
func listRangeCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    return [
        CommandSpec("lrange", arity: 4, flags: [.readonly], keys: one, categories: ListCategories.readSlow, handler: lrange),
        CommandSpec("lindex", arity: 3, flags: [.readonly], keys: one, categories: ListCategories.readSlow, handler: lindex),
        CommandSpec("lset", arity: 4, flags: [.write, .denyOOM], keys: one, categories: ListCategories.writeSlow, handler: lset),
        CommandSpec("ltrim", arity: 4, flags: [.write], keys: one, categories: ListCategories.writeSlow, handler: ltrim),
    ]
}

private func lrange(_ ctx: inout CommandContext) throws(CommandError) {
    let start = try ctx.int(2)
    let stop = try ctx.int(3)
    guard let list = try ctx.readList(ctx.args[1]),
          let range = clampedListRange(start: start, stop: stop, count: list.count) else {
        ctx.reply.emptyArray()
        return
    }
    ctx.reply.arrayHeader(range.count)
    for i in range { ctx.reply.bulk(list[i]) }
}

private func lindex(_ ctx: inout CommandContext) throws(CommandError) {
    guard let list = try ctx.readList(ctx.args[1]) else {
        ctx.reply.null()
        return
    }
    let index = try ctx.int(2)
    if let i = listPosition(index, count: list.count) { ctx.reply.bulk(list[i]) } else { ctx.reply.null() }
}

private func lset(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let done: Void? = try ctx.updateList(args[1], create: false) { (list: inout Deque<Bytes>) throws(CommandError) in
        guard let index = parseInt64(args[2]) else { throw .notInteger }
        guard let i = listPosition(index, count: list.count) else { throw .indexOutOfRange }
        list[i] = args[3]
    }
    guard done != nil else { throw .noSuchKey }
    ctx.reply.ok()
}

private func ltrim(_ ctx: inout CommandContext) throws(CommandError) {
    let start = try ctx.int(2)
    let stop = try ctx.int(3)
    _ = try ctx.updateList(ctx.args[1], create: false) { (list: inout Deque<Bytes>) in
        guard let keep = clampedListRange(start: start, stop: stop, count: list.count) else {
            list.removeAll()
            return
        }
        let tail = list.count - 1 - keep.upperBound
        if tail > 0 { list.removeLast(tail) }
        if keep.lowerBound > 0 { list.removeFirst(keep.lowerBound) }
    }
    ctx.reply.ok()
}
