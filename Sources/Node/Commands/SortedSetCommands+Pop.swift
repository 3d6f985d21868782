// Popping the lowest/highest members: ZPOPMIN, ZPOPMAX, BZPOPMIN, BZPOPMAX,
// ZMPOP and BZMPOP (Redis 7.0 genericZpopCommand / blockingGenericZpopCommand).
//
// Rules:
// 1. ZPOP count: an integer >= 0 ("value is out of range, must be positive",
//    also for a non-integer); a third argument is a syntax error. A missing
//    key or a count of 0 answers an empty array (after the type check).
// 2. ZPOP reply: flat [m, s, ...] in RESP2 and without a count; with a count
//    in RESP3, [[m, s], ...].
// 3. Multi-key forms take the first key holding a sorted set; a key of another
//    type met before it is WRONGTYPE. BZPOP replies [key, member, score],
//    (B)ZMPOP [key, [[m, s], ...]] in both protocols; nothing = null array.
// 4. The blocking forms block on all their keys when nothing is there
//    (ctx.block; re-run when a key is written), and answer the null array on
//    timeout or inside MULTI. The timeout is parsed first.
// 5. On a wake-up re-run a key of another type is not an error: Redis 7.0
//    serves a blocked client only from a key that holds a sorted set, so the
//    client keeps waiting (or is served from another of its keys).

import RESP
import Replication
import Keyspace

/// Which end to pop.
private enum ZsetEnd {
    case min, max
}

/// ZPOPMIN key [count].
func zpopmin(_ ctx: inout CommandContext) throws(CommandError) {
    try zpop(&ctx, end: .min)
}

/// ZPOPMAX key [count].
func zpopmax(_ ctx: inout CommandContext) throws(CommandError) {
    try zpop(&ctx, end: .max)
}

/// BZPOPMIN key [key ...] timeout.
func bzpopmin(_ ctx: inout CommandContext) throws(CommandError) {
    try bzpop(&ctx, end: .min)
}

/// BZPOPMAX key [key ...] timeout.
func bzpopmax(_ ctx: inout CommandContext) throws(CommandError) {
    try bzpop(&ctx, end: .max)
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count].
func zmpop(_ ctx: inout CommandContext) throws(CommandError) {
    let request = try parseZmpop(ctx, numkeysIndex: 1)
    if try !popFirstNonEmpty(&ctx, keys: request.keys, end: request.end, count: request.count) {
        ctx.reply.nullArray()
    }
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count].
func bzmpop(_ ctx: inout CommandContext) throws(CommandError) {
    let deadline = try ctx.blockingDeadline(1)
    let request = try parseZmpop(ctx, numkeysIndex: 2)
    let rerun = ctx.client.blocked != nil
    if try !popFirstNonEmpty(&ctx, keys: request.keys, end: request.end, count: request.count, rerun: rerun) {
        ctx.block(on: request.keys, deadline: deadline, timeoutReply: .nullArray)
    }
}

// MARK: - Implementation

private func zpop(_ ctx: inout CommandContext, end: ZsetEnd) throws(CommandError) {
    guard ctx.args.count <= 3 else { throw .syntax }
    var count: Int?
    if ctx.args.count == 3 {
        guard let n = parseInt64(ctx.args[2]), n >= 0 else { throw .zsetCountNotPositive }
        count = Int(n)
    }
    let key = ctx.args[1]
    guard try zsetWriteLookupCount(ctx, key) != nil, count != 0 else {
        ctx.reply.emptyArray()
        return
    }
    let popped = try popElements(&ctx, key: key, end: end, count: count ?? 1)
    replyPopped(&ctx, popped, nested: count != nil && ctx.reply.isRESP3)
}

private func bzpop(_ ctx: inout CommandContext, end: ZsetEnd) throws(CommandError) {
    let deadline = try ctx.blockingDeadline(ctx.args.count - 1)
    let keys = Array(ctx.args[1..<(ctx.args.count - 1)])
    let rerun = ctx.client.blocked != nil
    for key in keys {
        guard let n = try blockingLookupCount(ctx, key, rerun: rerun), n > 0 else { continue }
        let popped = try popElements(&ctx, key: key, end: end, count: 1)
        guard let first = popped.first else { continue }
        ctx.propagateAs = [end == .min ? PropagatedCommand.zpopmin(key: key) : PropagatedCommand.zpopmax(key: key)]
        ctx.reply.arrayHeader(3)
        ctx.reply.bulk(key)
        ctx.reply.bulk(first.member)
        ctx.reply.double(first.score)
        return
    }
    ctx.block(on: keys, deadline: deadline, timeoutReply: .nullArray)
}

/// Pops from the first key holding a sorted set and replies [key, [[m, s], ...]]; false if none does.
private func popFirstNonEmpty(_ ctx: inout CommandContext, keys: [Bytes], end: ZsetEnd,
                              count: Int, rerun: Bool = false) throws(CommandError) -> Bool {
    for key in keys {
        guard let n = try blockingLookupCount(ctx, key, rerun: rerun), n > 0 else { continue }
        let popped = try popElements(&ctx, key: key, end: end, count: count)
        ctx.propagateAs = [end == .min ? PropagatedCommand.zpopmin(key: key, count: popped.count)
                                       : PropagatedCommand.zpopmax(key: key, count: popped.count)]
        ctx.reply.arrayHeader(2)
        ctx.reply.bulk(key)
        replyPopped(&ctx, popped, nested: true)
        return true
    }
    return false
}

/// The size of the sorted set at `key` (nil if absent). WRONGTYPE for another
/// type, except on a blocked client's re-run, where such a key is skipped (rule 5).
private func blockingLookupCount(_ ctx: CommandContext, _ key: Bytes, rerun: Bool) throws(CommandError) -> Int? {
    do {
        return try zsetWriteLookupCount(ctx, key)
    } catch {
        if rerun { return nil }
        throw error
    }
}

/// Removes up to `count` elements from `end` of the sorted set at `key` (deleted when emptied).
private func popElements(_ ctx: inout CommandContext, key: Bytes, end: ZsetEnd,
                         count: Int) throws(CommandError) -> [(member: Bytes, score: Double)] {
    try ctx.updateSortedSet(key, create: false) { (zset: inout SortedSet) throws(CommandError) -> [(member: Bytes, score: Double)] in
        switch end {
        case .min: return zset.popFirst(count)
        case .max: return zset.popLast(count)
        }
    } ?? []
}

/// A parsed (B)ZMPOP call.
private struct ZmpopRequest {
    var keys: [Bytes]
    var end: ZsetEnd
    var count: Int
}

private func parseZmpop(_ ctx: CommandContext, numkeysIndex: Int) throws(CommandError) -> ZmpopRequest {
    let args = ctx.args
    guard let numkeys = parseInt64(args[numkeysIndex]), numkeys >= 1 else { throw .zsetNumkeysNotPositive }
    guard numkeys < Int64(args.count - numkeysIndex - 1) else { throw .syntax }
    let whereIndex = numkeysIndex + Int(numkeys) + 1
    let end: ZsetEnd
    if ctx.argIs(whereIndex, "min") { end = .min }
    else if ctx.argIs(whereIndex, "max") { end = .max }
    else { throw .syntax }
    var count: Int?
    var j = whereIndex + 1
    while j < args.count {
        if count == nil, ctx.argIs(j, "count"), j + 1 < args.count {
            guard let n = parseInt64(args[j + 1]), n >= 1 else { throw .zsetCountNotGreaterThanZero }
            count = Int(n)
            j += 2
        } else {
            throw .syntax
        }
    }
    return ZmpopRequest(keys: Array(args[(numkeysIndex + 1)..<whereIndex]), end: end, count: count ?? 1)
}

/// Replies elements with scores: nested [[m, s], ...] or flat [m, s, ...].
private func replyPopped(_ ctx: inout CommandContext, _ elements: [(member: Bytes, score: Double)], nested: Bool) {
    ctx.reply.arrayHeader(nested ? elements.count : elements.count * 2)
    for e in elements {
        if nested { ctx.reply.arrayHeader(2) }
        ctx.reply.bulk(e.member)
        ctx.reply.double(e.score)
    }
}
