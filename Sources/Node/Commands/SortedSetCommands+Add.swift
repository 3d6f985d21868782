// ZADD and ZINCRBY (one code path, as in Redis 7.0 zaddGenericCommand).
//
// Rules:
// 1. Flags NX XX GT LT CH INCR (any case, any order, repeatable) come before
//    the first score; the rest must be score/member pairs ("syntax error").
// 2. Checks in Redis's order: pairs, then XX+NX, then GT/LT/NX combinations,
//    then INCR with more than one pair, then every score is a valid float —
//    all before the key is looked up.
// 3. Per member: NX skips existing members, XX skips new ones; with INCR the
//    new score is old + increment ("resulting score is not a number" for
//    inf + -inf); GT/LT skip an update that does not raise/lower the score
//    (new members are always added). An equal score is not an update.
// 4. Reply: with INCR the new score, or null when a flag skipped the member;
//    otherwise the number added (plus the number updated with CH).
// 5. ZINCRBY key increment member is ZADD key INCR increment member, flags
//    parsing included (so "ZINCRBY k nx m" is a syntax error, as in Redis).

import RESP
import Keyspace

private struct ZaddFlags {
    var nx = false, xx = false, gt = false, lt = false, ch = false, incr = false
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...].
func zadd(_ ctx: inout CommandContext) throws(CommandError) {
    try zaddGeneric(&ctx, incr: false)
}

/// ZINCRBY key increment member → the new score.
func zincrby(_ ctx: inout CommandContext) throws(CommandError) {
    try zaddGeneric(&ctx, incr: true)
}

private func zaddGeneric(_ ctx: inout CommandContext, incr: Bool) throws(CommandError) {
    var flags = ZaddFlags()
    flags.incr = incr
    var scoreIndex = 2
    while scoreIndex < ctx.args.count {
        if ctx.argIs(scoreIndex, "nx") { flags.nx = true }
        else if ctx.argIs(scoreIndex, "xx") { flags.xx = true }
        else if ctx.argIs(scoreIndex, "ch") { flags.ch = true }
        else if ctx.argIs(scoreIndex, "incr") { flags.incr = true }
        else if ctx.argIs(scoreIndex, "gt") { flags.gt = true }
        else if ctx.argIs(scoreIndex, "lt") { flags.lt = true }
        else { break }
        scoreIndex += 1
    }
    let elements = ctx.args.count - scoreIndex
    guard elements > 0, elements % 2 == 0 else { throw .syntax }
    if flags.nx && flags.xx { throw .zsetXXAndNX }
    if (flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt) { throw .zsetGTLTNX }
    if flags.incr && elements > 2 { throw .zsetIncrSinglePair }

    var scores: [Double] = []
    scores.reserveCapacity(elements / 2)
    for i in stride(from: scoreIndex, to: ctx.args.count, by: 2) {
        scores.append(try ctx.double(i))
    }

    let args = ctx.args
    let fixedFlags = flags
    let outcome = try ctx.updateSortedSet(args[1], create: !flags.xx) {
        (zset: inout SortedSet) throws(CommandError) -> ZaddOutcome in
        var outcome = ZaddOutcome()
        for (n, score) in scores.enumerated() {
            try apply(&zset, member: args[scoreIndex + 2 * n + 1], score: score, fixedFlags, &outcome)
        }
        return outcome
    } ?? ZaddOutcome()

    if flags.incr {
        if let score = outcome.lastScore { ctx.reply.double(score) } else { ctx.reply.null() }
    } else {
        ctx.reply.integer(flags.ch ? outcome.added + outcome.updated : outcome.added)
    }
}

/// What a ZADD did.
private struct ZaddOutcome {
    var added = 0
    var updated = 0
    /// The score of the last member processed (not skipped by a flag): INCR's reply.
    var lastScore: Double?
}

/// Applies one score/member pair under `flags` (rule 3 of the header).
private func apply(_ zset: inout SortedSet, member: Bytes, score rawScore: Double, _ flags: ZaddFlags,
                   _ outcome: inout ZaddOutcome) throws(CommandError) {
    // -0 is stored as 0, as a small (listpack) Redis sorted set does: ZSCORE then answers "0".
    let score = rawScore + 0.0
    if let current = zset.score(of: member) {
        if flags.nx { return }
        var newScore = score
        if flags.incr {
            newScore = current + score + 0.0
            if newScore.isNaN { throw .nan }
        }
        if (flags.lt && newScore >= current) || (flags.gt && newScore <= current) { return }
        if newScore != current {
            zset.insert(member, score: newScore)
            outcome.updated += 1
        }
        outcome.lastScore = newScore
    } else {
        if flags.xx { return }
        zset.insert(member, score: score)
        outcome.added += 1
        // Redis answers INCR for a new member with the increment as given (ZINCRBY z -0 m → "-0").
        outcome.lastScore = rawScore
    }
}
