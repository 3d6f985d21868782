// ListPushPop: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP and LLEN — O(1) per
// element at either end of the list's deque.
//
// Invariants (Redis 7.0): pushes answer the new length; the X variants push
// only onto an existing list (0 when the key is missing). LPOP/RPOP without a
// count answer a bulk or null; with a count they answer an array, the null
// array for a missing key (even when the count is 0) and an empty array for a
// count of 0 on a list.

import RESP
import Keyspace

extension CommandError {
    /// LPOP/RPOP count that is negative or not an integer.
    static let listPopCountNotPositive = CommandError("ERR value is out of range, must be positive")
}

/// Specs of this file's commands.
func listPushPopCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    let wf = ListCategories.writeFast
    return [
        CommandSpec("lpush", arity: -3, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: lpush),
        CommandSpec("rpush", arity: -3, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: rpush),
        CommandSpec("lpushx", arity: -3, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: lpushx),
        CommandSpec("rpushx", arity: -3, flags: [.write, .denyOOM, .fast], keys: one, categories: wf, handler: rpushx),
        CommandSpec("lpop", arity: -2, flags: [.write, .fast], keys: one, categories: wf, handler: lpop),
        CommandSpec("rpop", arity: -2, flags: [.write, .fast], keys: one, categories: wf, handler: rpop),
        CommandSpec("llen", arity: 2, flags: [.readonly, .fast], keys: one, categories: ListCategories.readFast, handler: llen),
    ]
}

private func lpush(_ ctx: inout CommandContext) throws(CommandError) { try push(&ctx, to: .left, onlyExisting: false) }
private func rpush(_ ctx: inout CommandContext) throws(CommandError) { try push(&ctx, to: .right, onlyExisting: false) }
private func lpushx(_ ctx: inout CommandContext) throws(CommandError) { try push(&ctx, to: .left, onlyExisting: true) }
private func rpushx(_ ctx: inout CommandContext) throws(CommandError) { try push(&ctx, to: .right, onlyExisting: true) }
private func lpop(_ ctx: inout CommandContext) throws(CommandError) { try pop(&ctx, from: .left) }
private func rpop(_ ctx: inout CommandContext) throws(CommandError) { try pop(&ctx, from: .right) }

private func push(_ ctx: inout CommandContext, to end: ListEnd, onlyExisting: Bool) throws(CommandError) {
    let args = ctx.args
    let length = try ctx.updateList(args[1], create: !onlyExisting) { (list: inout Deque<Bytes>) -> Int in
        for i in 2..<args.count { list.push(args[i], to: end) }
        return list.count
    }
    ctx.reply.integer(length ?? 0)
}

private func pop(_ ctx: inout CommandContext, from end: ListEnd) throws(CommandError) {
    guard ctx.args.count <= 3 else { throw .arity(end == .left ? "lpop" : "rpop") }
    let key = ctx.args[1]
    guard ctx.args.count == 3 else {
        let element = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) in list.pop(from: end) }
        if let element, let element { ctx.reply.bulk(element) } else { ctx.reply.null() }
        return
    }
    guard let requested = parseInt64(ctx.args[2]), requested >= 0 else { throw .listPopCountNotPositive }
    if requested == 0 {
        if try ctx.listExistsForWrite(key) { ctx.reply.emptyArray() } else { ctx.reply.nullArray() }
        return
    }
    let popped = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) -> [Bytes] in
        let n = Int(min(requested, Int64(list.count)))
        var out: [Bytes] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let element = list.pop(from: end) else { break }
            out.append(element)
        }
        return out
    }
    guard let popped else {
        ctx.reply.nullArray()
        return
    }
    ctx.reply.arrayHeader(popped.count)
    for element in popped { ctx.reply.bulk(element) }
}

private func llen(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readList(ctx.args[1])?.count ?? 0)
}
