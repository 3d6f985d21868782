// Sorted set commands (Redis 7.0 t_zset.c): the command table rows of the
// family and the single-member reads — ZSCORE, ZMSCORE, ZCARD, ZCOUNT,
// ZLEXCOUNT, ZRANK, ZREVRANK, ZREM. Other handlers: ZADD/ZINCRBY in
// SortedSetCommands+Add.swift, ranges in +Range.swift and +Remove.swift,
// pops (blocking too) in +Pop.swift, set algebra in +Algebra.swift,
// ZRANDMEMBER and ZSCAN in +Random.swift.
//
// Invariants: every argument (ranges included) is validated before the
// keyspace is read or written; a sorted set left empty is deleted
// (CommandContext.updateSortedSet's rule); scores are replied with
// ReplyBuffer.double (RESP3 double, RESP2 bulk "%.17g").

import RESP
import Keyspace

/// The sorted set family's command table rows (arity, flags, keys and ACL categories as Redis 7.0's COMMAND INFO).
func sortedSetCommands() -> [CommandSpec] {
    let writeFast: [String] = ["@write", "@sortedset", "@fast"]
    let writeSlow: [String] = ["@write", "@sortedset", "@slow"]
    let readFast: [String] = ["@read", "@sortedset", "@fast"]
    let readSlow: [String] = ["@read", "@sortedset", "@slow"]
    return [
        CommandSpec("zadd", arity: -4, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), categories: writeFast, handler: zadd),
        CommandSpec("zincrby", arity: 4, flags: [.write, .denyOOM, .fast], keys: (1, 1, 1), categories: writeFast, handler: zincrby),
        CommandSpec("zrem", arity: -3, flags: [.write, .fast], keys: (1, 1, 1), categories: writeFast, handler: zrem),
        CommandSpec("zscore", arity: 3, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zscore),
        CommandSpec("zmscore", arity: -3, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zmscore),
        CommandSpec("zcard", arity: 2, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zcard),
        CommandSpec("zcount", arity: 4, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zcount),
        CommandSpec("zlexcount", arity: 4, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zlexcount),
        CommandSpec("zrank", arity: 3, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zrank),
        CommandSpec("zrevrank", arity: 3, flags: [.readonly, .fast], keys: (1, 1, 1), categories: readFast, handler: zrevrank),

        CommandSpec("zrange", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrange),
        CommandSpec("zrangestore", arity: -5, flags: [.write, .denyOOM], keys: (1, 2, 1), categories: writeSlow, handler: zrangestore),
        CommandSpec("zrevrange", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrevrange),
        CommandSpec("zrangebyscore", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrangebyscore),
        CommandSpec("zrevrangebyscore", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrevrangebyscore),
        CommandSpec("zrangebylex", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrangebylex),
        CommandSpec("zrevrangebylex", arity: -4, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrevrangebylex),

        CommandSpec("zremrangebyscore", arity: 4, flags: [.write], keys: (1, 1, 1), categories: writeSlow, handler: zremrangebyscore),
        CommandSpec("zremrangebyrank", arity: 4, flags: [.write], keys: (1, 1, 1), categories: writeSlow, handler: zremrangebyrank),
        CommandSpec("zremrangebylex", arity: 4, flags: [.write], keys: (1, 1, 1), categories: writeSlow, handler: zremrangebylex),

        CommandSpec("zpopmin", arity: -2, flags: [.write, .fast], keys: (1, 1, 1), categories: writeFast, handler: zpopmin),
        CommandSpec("zpopmax", arity: -2, flags: [.write, .fast], keys: (1, 1, 1), categories: writeFast, handler: zpopmax),
        CommandSpec("bzpopmin", arity: -3, flags: [.write, .blocking, .fast], keys: (1, -2, 1),
                    categories: writeFast + ["@blocking"], handler: bzpopmin),
        CommandSpec("bzpopmax", arity: -3, flags: [.write, .blocking, .fast], keys: (1, -2, 1),
                    categories: writeFast + ["@blocking"], handler: bzpopmax),
        // Movable keys (numkeys): Redis reports an empty legacy key range for these.
        CommandSpec("zmpop", arity: -4, flags: [.write], keys: (0, 0, 0), categories: writeSlow, handler: zmpop),
        CommandSpec("bzmpop", arity: -5, flags: [.write, .blocking], keys: (0, 0, 0),
                    categories: writeSlow + ["@blocking"], handler: bzmpop),

        // Movable keys; the STORE forms report their destination as the legacy key range.
        CommandSpec("zunionstore", arity: -4, flags: [.write, .denyOOM], keys: (1, 1, 1), categories: writeSlow, handler: zunionstore),
        CommandSpec("zinterstore", arity: -4, flags: [.write, .denyOOM], keys: (1, 1, 1), categories: writeSlow, handler: zinterstore),
        CommandSpec("zdiffstore", arity: -4, flags: [.write, .denyOOM], keys: (1, 1, 1), categories: writeSlow, handler: zdiffstore),
        CommandSpec("zunion", arity: -3, flags: [.readonly], keys: (0, 0, 0), categories: readSlow, handler: zunion),
        CommandSpec("zinter", arity: -3, flags: [.readonly], keys: (0, 0, 0), categories: readSlow, handler: zinter),
        CommandSpec("zdiff", arity: -3, flags: [.readonly], keys: (0, 0, 0), categories: readSlow, handler: zdiff),
        CommandSpec("zintercard", arity: -3, flags: [.readonly], keys: (0, 0, 0), categories: readSlow, handler: zintercard),

        CommandSpec("zrandmember", arity: -2, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zrandmember),
        CommandSpec("zscan", arity: -3, flags: [.readonly], keys: (1, 1, 1), categories: readSlow, handler: zscan),
    ]
}

/// ZSCORE key member → the score, or null.
private func zscore(_ ctx: inout CommandContext) throws(CommandError) {
    if let score = try ctx.readSortedSet(ctx.args[1])?.score(of: ctx.args[2]) {
        ctx.reply.double(score)
    } else {
        ctx.reply.null()
    }
}

/// ZMSCORE key member [member ...] → one score or null per member.
private func zmscore(_ ctx: inout CommandContext) throws(CommandError) {
    let zset = try ctx.readSortedSet(ctx.args[1])
    ctx.reply.arrayHeader(ctx.args.count - 2)
    for i in 2..<ctx.args.count {
        if let score = zset?.score(of: ctx.args[i]) { ctx.reply.double(score) } else { ctx.reply.null() }
    }
}

/// ZCARD key → the number of members.
private func zcard(_ ctx: inout CommandContext) throws(CommandError) {
    ctx.reply.integer(try ctx.readSortedSet(ctx.args[1])?.count ?? 0)
}

/// ZCOUNT key min max → members with a score in [min, max] ("(" = exclusive).
private func zcount(_ ctx: inout CommandContext) throws(CommandError) {
    let range = try parseZsetScoreRange(ctx.args[2], ctx.args[3])
    ctx.reply.integer(try ctx.readSortedSet(ctx.args[1])?.count(in: range) ?? 0)
}

/// ZLEXCOUNT key min max → members in the lex range ("[a", "(a", "-", "+").
private func zlexcount(_ ctx: inout CommandContext) throws(CommandError) {
    let range = try parseZsetLexRange(ctx.args[2], ctx.args[3])
    ctx.reply.integer(try ctx.readSortedSet(ctx.args[1]).map { zsetLexCount($0, range) } ?? 0)
}

/// ZRANK key member → 0-based rank from the lowest score, or null.
private func zrank(_ ctx: inout CommandContext) throws(CommandError) {
    try replyRank(&ctx, reverse: false)
}

/// ZREVRANK key member → 0-based rank from the highest score, or null.
private func zrevrank(_ ctx: inout CommandContext) throws(CommandError) {
    try replyRank(&ctx, reverse: true)
}

private func replyRank(_ ctx: inout CommandContext, reverse: Bool) throws(CommandError) {
    if let rank = try ctx.readSortedSet(ctx.args[1])?.rank(of: ctx.args[2], reverse: reverse) {
        ctx.reply.integer(rank)
    } else {
        ctx.reply.null()
    }
}

/// ZREM key member [member ...] → number removed; an emptied sorted set is deleted.
private func zrem(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    let removed = try ctx.updateSortedSet(args[1], create: false) { (zset: inout SortedSet) throws(CommandError) -> Int in
        var removed = 0
        for i in 2..<args.count where zset.remove(args[i]) != nil { removed += 1 }
        return removed
    } ?? 0
    ctx.reply.integer(removed)
}

/// Replies with `elements` as ZRANGE does: members only, or with scores —
/// flat [m, s, m, s ...] in RESP2, [[m, s], [m, s] ...] in RESP3 (Redis 7.0).
func replyZsetElements(_ ctx: inout CommandContext, _ elements: [(member: Bytes, score: Double)], withScores: Bool) {
    if !withScores {
        ctx.reply.arrayHeader(elements.count)
        for e in elements { ctx.reply.bulk(e.member) }
    } else if ctx.reply.isRESP3 {
        ctx.reply.arrayHeader(elements.count)
        for e in elements {
            ctx.reply.arrayHeader(2)
            ctx.reply.bulk(e.member)
            ctx.reply.double(e.score)
        }
    } else {
        ctx.reply.arrayHeader(elements.count * 2)
        for e in elements {
            ctx.reply.bulk(e.member)
            ctx.reply.double(e.score)
        }
    }
}

/// The value at `key` as a write command sees it (Redis lookupKeyWrite: no keyspace hit/miss counted),
/// reduced to what the caller needs so no reference to the sorted set outlives the call
/// (a live reference would make the next in-place update copy the whole set).
func zsetWriteLookupCount(_ ctx: CommandContext, _ key: Bytes) throws(CommandError) -> Int? {
    switch ctx.db.lookup(key, now: ctx.now) {
    case nil: return nil
    case .zset(let zset)?: return zset.count
    case _?: throw .wrongType
    }
}
