// ZRANGE and its older spellings (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
// ZRANGEBYLEX, ZREVRANGEBYLEX) and ZRANGESTORE — one generic path, as Redis
// 6.2+'s zrangeGenericCommand.
//
// Rules:
// 1. After <key> <min> <max>: WITHSCORES (not for ZRANGESTORE), LIMIT offset
//    count, and — only where the command leaves them open — REV, BYSCORE,
//    BYLEX. Anything else is "syntax error"; LIMIT's numbers must be integers.
// 2. Then: LIMIT (a count other than -1) with a rank range is an error, and
//    so is WITHSCORES with BYLEX (Redis's texts).
// 3. With REV and BYSCORE/BYLEX the arguments are given max first.
// 4. The range is parsed (rank integers, score or lex bounds) before the key
//    is looked up; a missing key is an empty result.
// 5. Ranks: negative counts from the end; clamp; start > end is empty.
//    Score/lex: skip `offset` (negative = nothing), then at most `count`
//    (negative = all). Every extraction is O(log n + m) in SortedSet.
// 6. ZRANGESTORE stores the result (dropping the destination's TTL) and
//    replies its size; an empty result deletes the destination.

import RESP
import Keyspace

/// How ZRANGE selects.
private enum ZrangeKind {
    case rank, score, lex
}

/// A parsed ZRANGE-family call.
private struct ZrangeRequest {
    var kind: ZrangeKind
    var reverse: Bool
    var withScores = false
    var offset = 0
    var limit = -1
}

/// ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES].
func zrange(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: nil, reverse: nil)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count].
func zrangestore(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 2, store: true, kind: nil, reverse: nil)
}

/// ZREVRANGE key start stop [WITHSCORES].
func zrevrange(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: .rank, reverse: true)
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count].
func zrangebyscore(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: .score, reverse: false)
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count].
func zrevrangebyscore(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: .score, reverse: true)
}

/// ZRANGEBYLEX key min max [LIMIT offset count].
func zrangebylex(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: .lex, reverse: false)
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count].
func zrevrangebylex(_ ctx: inout CommandContext) throws(CommandError) {
    try zrangeGeneric(&ctx, keyIndex: 1, store: false, kind: .lex, reverse: true)
}

/// The generic ZRANGE: `kind`/`reverse` nil = open to BYSCORE/BYLEX/REV options.
private func zrangeGeneric(_ ctx: inout CommandContext, keyIndex: Int, store: Bool,
                           kind fixedKind: ZrangeKind?, reverse fixedReverse: Bool?) throws(CommandError) {
    let args = ctx.args
    var kind = fixedKind
    var reverse = fixedReverse
    var request = ZrangeRequest(kind: .rank, reverse: false)
    var j = keyIndex + 3
    while j < args.count {
        let remaining = args.count - j - 1
        if !store && ctx.argIs(j, "withscores") {
            request.withScores = true
        } else if ctx.argIs(j, "limit") && remaining >= 2 {
            request.offset = Int(try ctx.int(j + 1))
            request.limit = Int(try ctx.int(j + 2))
            j += 2
        } else if reverse == nil && ctx.argIs(j, "rev") {
            reverse = true
        } else if kind == nil && ctx.argIs(j, "bylex") {
            kind = .lex
        } else if kind == nil && ctx.argIs(j, "byscore") {
            kind = .score
        } else {
            throw .syntax
        }
        j += 1
    }
    request.kind = kind ?? .rank
    request.reverse = reverse ?? false
    if request.limit != -1 && request.kind == .rank { throw .zsetLimitWithoutByScoreOrLex }
    if request.withScores && request.kind == .lex { throw .zsetWithScoresWithByLex }

    var minIndex = keyIndex + 1
    var maxIndex = keyIndex + 2
    if request.reverse && request.kind != .rank { swap(&minIndex, &maxIndex) }

    let elements: [(member: Bytes, score: Double)]
    switch request.kind {
    case .rank:
        let start = try ctx.int(minIndex)
        let end = try ctx.int(maxIndex)
        elements = try ctx.readSortedSet(args[keyIndex]).map {
            zsetRankRange($0, start: start, end: end, reverse: request.reverse)
        } ?? []
    case .score:
        let range = try parseZsetScoreRange(args[minIndex], args[maxIndex])
        elements = try ctx.readSortedSet(args[keyIndex]).map {
            $0.elements(in: range, reverse: request.reverse, offset: request.offset, limit: request.limit)
        } ?? []
    case .lex:
        let range = try parseZsetLexRange(args[minIndex], args[maxIndex])
        elements = try ctx.readSortedSet(args[keyIndex]).map {
            zsetLexElements($0, range, reverse: request.reverse, offset: request.offset, limit: request.limit)
        } ?? []
    }

    if store {
        storeZsetResult(&ctx, destination: args[1], elements)
    } else {
        replyZsetElements(&ctx, elements, withScores: request.withScores)
    }
}

/// The elements of ranks start...end (Redis's index rules: negatives count from the end, then clamp).
func zsetRankRange(_ zset: SortedSet, start: Int64, end: Int64, reverse: Bool) -> [(member: Bytes, score: Double)] {
    guard let (lo, hi) = zsetClampRanks(count: zset.count, start: start, end: end) else { return [] }
    return zset.elements(ranks: lo...hi, reverse: reverse)
}

/// Normalises a Redis rank range over `count` elements; nil when it is empty.
func zsetClampRanks(count: Int, start: Int64, end: Int64) -> (Int, Int)? {
    let length = Int64(count)
    var s = start, e = end
    if s < 0 { s = length + s }   // length >= 0: no overflow
    if e < 0 { e = length + e }
    if s < 0 { s = 0 }
    if s > e || s >= length { return nil }
    if e >= length { e = length - 1 }
    return (Int(s), Int(e))
}

/// Replaces `destination` with a sorted set of `elements` and replies its size;
/// an empty result deletes the destination.
func storeZsetResult(_ ctx: inout CommandContext, destination: Bytes, _ elements: [(member: Bytes, score: Double)]) {
    if elements.isEmpty {
        ctx.db.remove(destination, now: ctx.now)
        ctx.reply.integer(0)
        return
    }
    var zset = SortedSet()
    for e in elements { zset.insert(e.member, score: e.score + 0.0) }   // -0 stored as 0, as ZADD does
    ctx.db.set(destination, .zset(zset))
    ctx.reply.integer(zset.count)
}
