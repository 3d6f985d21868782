// ListMultiPop: LMPOP and BLMPOP — pop up to COUNT elements from the first
// non-empty list among several keys (Redis 7.0 lmpopGenericCommand).
//
// Rules (checked against redis-server 7.0.15):
// 1. Parsing order: numkeys (an integer >= 1, else "numkeys should be greater
//    than 0"), then a LEFT/RIGHT word right after the keys (missing = syntax
//    error), then options: COUNT once (an integer >= 1, else "count should be
//    greater than 0"); anything else is a syntax error. BLMPOP parses its
//    timeout only after all of that.
// 2. Keys are tried in order: a missing key is skipped, a key of another type
//    answers WRONGTYPE; the first list is popped from and the reply is
//    [key, [element, ...]] in both protocols. Nothing to pop: the null array.
// 3. BLMPOP with nothing to pop blocks on all its keys (answers the null array
//    on timeout or inside MULTI); on a wake-up re-run a key of another type is
//    skipped, as for BLPOP.

import RESP
import Replication
import Keyspace

extension CommandError {
    static let listNumkeysNotPositive = CommandError("ERR numkeys should be greater than 0")
    static let listCountNotGreaterThanZero = CommandError("ERR count should be greater than 0")
}

/// Specs of this file's commands.
func listMultiPopCommands() -> [CommandSpec] {
    [
        CommandSpec("lmpop", arity: -4, flags: [.write], keys: (0, 0, 0), categories: ListCategories.writeSlow,
                    handler: lmpop),
        CommandSpec("blmpop", arity: -5, flags: [.write, .blocking], keys: (0, 0, 0), categories: ListCategories.blocking,
                    handler: blmpop),
    ]
}

/// A parsed (B)LMPOP call.
private struct MultiPopRequest {
    var keys: [Bytes]
    var end: ListEnd
    var count: Int
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count].
private func lmpop(_ ctx: inout CommandContext) throws(CommandError) {
    let request = try parseMultiPop(ctx, numkeysIndex: 1)
    if try !popFromFirstList(&ctx, request, rerun: false) {
        ctx.reply.nullArray()
    }
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count].
private func blmpop(_ ctx: inout CommandContext) throws(CommandError) {
    let request = try parseMultiPop(ctx, numkeysIndex: 2)
    let deadline = try ctx.blockingDeadline(1)
    if try !popFromFirstList(&ctx, request, rerun: ctx.client.blocked != nil) {
        ctx.block(on: request.keys, deadline: deadline, timeoutReply: .nullArray)
    }
}

private func parseMultiPop(_ ctx: CommandContext, numkeysIndex: Int) throws(CommandError) -> MultiPopRequest {
    let args = ctx.args
    guard let numkeys = parseInt64(args[numkeysIndex]), numkeys >= 1 else { throw .listNumkeysNotPositive }
    guard numkeys < Int64(args.count - numkeysIndex - 1) else { throw .syntax }
    let whereIndex = numkeysIndex + Int(numkeys) + 1
    let end = try ctx.listEnd(whereIndex)
    var count: Int?
    var j = whereIndex + 1
    while j < args.count {
        guard count == nil, ctx.argIs(j, "count"), j + 1 < args.count else { throw .syntax }
        guard let n = parseInt64(args[j + 1]), n >= 1 else { throw .listCountNotGreaterThanZero }
        count = Int(n)
        j += 2
    }
    return MultiPopRequest(keys: Array(args[(numkeysIndex + 1)..<whereIndex]), end: end, count: count ?? 1)
}

/// Pops from the first key holding a list and replies [key, [elements]]; false when no key does.
private func popFromFirstList(_ ctx: inout CommandContext, _ request: MultiPopRequest,
                              rerun: Bool) throws(CommandError) -> Bool {
    let count = request.count
    let end = request.end
    for key in request.keys {
        let popped: [Bytes]?
        do throws(CommandError) {
            popped = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) -> [Bytes] in
                let n = min(count, list.count)
                var out: [Bytes] = []
                out.reserveCapacity(n)
                for _ in 0..<n {
                    guard let element = list.pop(from: end) else { break }
                    out.append(element)
                }
                return out
            }
        } catch {
            if rerun { continue }
            throw error
        }
        guard let popped, !popped.isEmpty else { continue }
        ctx.propagateAs = [end == .left ? PropagatedCommand.lpop(key: key, count: popped.count)
                                        : PropagatedCommand.rpop(key: key, count: popped.count)]
        ctx.reply.arrayHeader(2)
        ctx.reply.bulk(key)
        ctx.reply.arrayHeader(popped.count)
        for element in popped { ctx.reply.bulk(element) }
        return true
    }
    return false
}
