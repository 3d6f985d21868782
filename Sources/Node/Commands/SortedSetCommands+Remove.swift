// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX (Redis 7.0
// zremrangeGenericCommand): the range is parsed before the key is looked up;
// a missing key removes nothing; the reply is the number removed; a sorted set
// left empty is deleted. Removal is O(log n + m) (or O(n) rebuild for large m)
// in SortedSet.

import RESP
import Keyspace

/// ZREMRANGEBYRANK key start stop.
func zremrangebyrank(_ ctx: inout CommandContext) throws(CommandError) {
    let start = try ctx.int(2)
    let end = try ctx.int(3)
    try removeRange(&ctx) { zset in
        guard let (lo, hi) = zsetClampRanks(count: zset.count, start: start, end: end) else { return 0 }
        return zset.removeRange(ranks: lo...hi)
    }
}

/// ZREMRANGEBYSCORE key min max.
func zremrangebyscore(_ ctx: inout CommandContext) throws(CommandError) {
    let range = try parseZsetScoreRange(ctx.args[2], ctx.args[3])
    try removeRange(&ctx) { zset in zset.removeRange(in: range) }
}

/// ZREMRANGEBYLEX key min max.
func zremrangebylex(_ ctx: inout CommandContext) throws(CommandError) {
    let range = try parseZsetLexRange(ctx.args[2], ctx.args[3])
    try removeRange(&ctx) { zset in zsetRemoveLexRange(&zset, range) }
}

/// Runs `body` on the sorted set at args[1] (if any) and replies how many it removed.
private func removeRange(_ ctx: inout CommandContext, _ body: (inout SortedSet) -> Int) throws(CommandError) {
    let removed = try ctx.updateSortedSet(ctx.args[1], create: false) {
        (zset: inout SortedSet) throws(CommandError) -> Int in body(&zset)
    } ?? 0
    ctx.reply.integer(removed)
}
