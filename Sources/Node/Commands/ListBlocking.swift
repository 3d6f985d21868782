// ListBlocking: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH — the list pops that wait
// for data (see Blocking.swift for how waiting and waking work: a handler that
// finds nothing calls `ctx.block`, and the same handler is re-run when one of
// its keys is written).
//
// Redis 7.0 rules kept here:
// 1. The timeout (float seconds, 0 = forever) is validated first; BLMOVE
//    validates LEFT/RIGHT before it.
// 2. BLPOP/BRPOP try the keys in argument order and pop from the first
//    non-empty list, answering [key, element]; a key of another type met
//    before that answers WRONGTYPE.
// 3. Nothing to pop: block on all the keys. On timeout BLPOP/BRPOP and (in
//    7.0, unlike its docs) BLMOVE/BRPOPLPUSH answer the null array; where the
//    client may not block (inside MULTI) BLPOP/BRPOP answer the null array and
//    BLMOVE/BRPOPLPUSH a null bulk.
// 4. On a wake-up re-run a key of another type is not an error: 7.0 serves a
//    blocked client only from a key that is a list, so the client keeps waiting.
//    A BLMOVE destination of another type does answer WRONGTYPE (nothing popped).

import RESP
import Replication
import Keyspace

/// Specs of this file's commands.
func listBlockingCommands() -> [CommandSpec] {
    let categories = ListCategories.blocking
    return [
        CommandSpec("blpop", arity: -3, flags: [.write, .blocking], keys: (1, -2, 1), categories: categories, handler: blpop),
        CommandSpec("brpop", arity: -3, flags: [.write, .blocking], keys: (1, -2, 1), categories: categories, handler: brpop),
        CommandSpec("blmove", arity: 6, flags: [.write, .denyOOM, .blocking], keys: (1, 2, 1), categories: categories, handler: blmove),
        CommandSpec("brpoplpush", arity: 4, flags: [.write, .denyOOM, .blocking], keys: (1, 2, 1), categories: categories,
                    handler: brpoplpush),
    ]
}

fileprivate extension CommandContext {
    /// True while dispatch re-runs a blocked client's command after one of its keys was written.
    var isServingBlockedClient: Bool { client.blocked != nil }
}

private func blpop(_ ctx: inout CommandContext) throws(CommandError) { try blockingPop(&ctx, from: .left) }
private func brpop(_ ctx: inout CommandContext) throws(CommandError) { try blockingPop(&ctx, from: .right) }

private func blockingPop(_ ctx: inout CommandContext, from end: ListEnd) throws(CommandError) {
    let deadline = try ctx.blockingDeadline(ctx.args.count - 1)
    let keys = Array(ctx.args[1..<(ctx.args.count - 1)])
    let rerun = ctx.isServingBlockedClient
    for key in keys {
        let popped: Bytes??
        do throws(CommandError) {
            popped = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) in list.pop(from: end) }
        } catch {
            if rerun { continue }
            throw error
        }
        if let popped, let element = popped {
            ctx.propagateAs = [end == .left ? PropagatedCommand.lpop(key: key) : PropagatedCommand.rpop(key: key)]
            ctx.reply.arrayHeader(2)
            ctx.reply.bulk(key)
            ctx.reply.bulk(element)
            return
        }
    }
    ctx.block(on: keys, deadline: deadline, timeoutReply: .nullArray)
}

private func blmove(_ ctx: inout CommandContext) throws(CommandError) {
    let from = try ctx.listEnd(3)
    let to = try ctx.listEnd(4)
    try blockingMove(&ctx, from: from, to: to, timeoutIndex: 5)
}

private func brpoplpush(_ ctx: inout CommandContext) throws(CommandError) {
    try blockingMove(&ctx, from: .right, to: .left, timeoutIndex: 3)
}

private func blockingMove(_ ctx: inout CommandContext, from: ListEnd, to: ListEnd, timeoutIndex: Int) throws(CommandError) {
    let deadline = try ctx.blockingDeadline(timeoutIndex)
    let source = ctx.args[1]
    let hasSource: Bool
    do throws(CommandError) {
        hasSource = try ctx.listExistsForWrite(source)
    } catch {
        guard ctx.isServingBlockedClient else { throw error }
        hasSource = false
    }
    if hasSource {
        try moveListElement(&ctx, from: from, to: to)
        ctx.propagateAs = [PropagatedCommand.lmove(source: source, destination: ctx.args[2],
                                                   from: from == .left ? .left : .right,
                                                   to: to == .left ? .left : .right)]
    } else if ctx.mayBlock {
        ctx.block(on: [source], deadline: deadline, timeoutReply: .nullArray)
    } else {
        ctx.reply.null()
    }
}
