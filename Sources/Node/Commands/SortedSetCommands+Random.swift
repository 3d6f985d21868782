// ZRANDMEMBER and ZSCAN.
//
// ZRANDMEMBER rules (Redis 7.0 zrandmemberWithCountCommand):
// 1. Without a count: one member (bulk) or null.
// 2. With a count, checked before the key: an integer other than LONG_MIN;
//    a fourth argument must be WITHSCORES ("syntax error"); with WITHSCORES
//    |count| must be <= LONG_MAX/2 ("value is out of range").
// 3. Positive count: distinct members — the whole set in score order when
//    count >= size, else a random sample. Negative: |count| independent picks.
//    Scores as in ZRANGE (RESP3 pairs). Repeat replies are bounded in bytes
//    (see SetCommands+Random.swift).
//
// ZSCAN: SSCAN's rules (SetCommands+Scan.swift); the elements are flat
// member/score pairs, the score a bulk string even in RESP3 (as Redis 7.0).
// A sorted set Redis would keep as a listpack is returned whole, in score
// order, with cursor 0, whatever the cursor and COUNT (as Redis does).

import RESP
import Keyspace

/// ZRANDMEMBER key [count [WITHSCORES]].
func zrandmember(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.args.count == 2 {
        guard let zset = try ctx.readSortedSet(key), let e = zset.randomEntry(using: &ctx.server.rng) else {
            ctx.reply.null()
            return
        }
        ctx.reply.bulk(e.member)
        return
    }
    let count = try ctx.int(2)
    if count == Int64.min { throw .setRandomCountOutOfRange }
    if ctx.args.count > 4 || (ctx.args.count == 4 && !ctx.argIs(3, "withscores")) { throw .syntax }
    let withScores = ctx.args.count == 4
    if withScores && (count < -(Int64.max / 2) || count > Int64.max / 2) { throw .zsetRandomCountOutOfRange }
    guard let zset = try ctx.readSortedSet(key), count != 0 else {
        ctx.reply.emptyArray()
        return
    }
    if count > 0 {
        if count >= Int64(zset.count) {
            replyZsetElements(&ctx, Array(zset.members), withScores: withScores)
        } else {
            replyZsetElements(&ctx, zset.sampleEntries(Int(count), using: &ctx.server.rng), withScores: withScores)
        }
        return
    }
    let repeats = Int(count.magnitude)
    try setCheckRandomReplyFits(elements: repeats, elementsPerPick: withScores ? 2 : 1)
    let start = ctx.reply.count
    let pairs = withScores && ctx.reply.isRESP3
    ctx.reply.arrayHeader(withScores && !pairs ? repeats * 2 : repeats)
    for i in 0..<repeats {
        guard let e = zset.randomEntry(using: &ctx.server.rng) else { break }
        if pairs { ctx.reply.arrayHeader(2) }
        ctx.reply.bulk(e.member)
        if withScores { ctx.reply.double(e.score) }
        if i & 1023 == 1023, ctx.reply.count - start > setRandomReplyByteLimit {
            ctx.reply.bytes.removeSubrange(start...)
            throw .setRandomReplyTooLarge
        }
    }
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count].
func zscan(_ ctx: inout CommandContext) throws(CommandError) {
    let cursor = try parseSetScanCursor(ctx.args[2])
    guard let zset = try ctx.readSortedSet(ctx.args[1]) else {
        replySetFamilyEmptyScan(&ctx)
        return
    }
    let options = try SetScanOptions(ctx, from: 3)
    var elements: [(Bytes, Double)] = []
    var next: UInt64 = 0
    if zset.count <= ctx.server.config.int("zset-max-listpack-entries"),
       case let limit = ctx.server.config.int("zset-max-listpack-value"),
       zset.members.allSatisfy({ $0.member.count <= limit }) {
        // A listpack-sized sorted set is returned whole in score order with cursor 0, as Redis does.
        if !zset.isEmpty {
            for element in zset.elements(ranks: 0...(zset.count - 1)) where options.matches(element.member) {
                elements.append((element.member, element.score))
            }
        }
    } else {
        next = zset.scan(cursor: cursor, count: options.count) { member, score in
            if options.matches(member) { elements.append((member, score)) }
        }
    }
    ctx.reply.arrayHeader(2)
    ctx.reply.bulk(String(next))
    ctx.reply.arrayHeader(elements.count * 2)
    for (member, score) in elements {
        ctx.reply.bulk(member)
        ctx.reply.bulk(formatDouble(score))
    }
}
