// HashRandomField: HRANDFIELD key [count [WITHVALUES]].
//
// Redis 7.0 rules:
// - Without a count: one random field as a bulk, null for a missing key.
// - count >= 0: that many distinct fields (the whole hash when count >= its
//   size); count < 0: |count| independent draws, repeats allowed.
// - WITHVALUES: RESP2 answers a flat field, value, … array; RESP3 an array of
//   [field, value] pairs. A missing key answers the empty array.
// - count must lie in ±(2^63 - 1), and within ±(2^62 - 1) with WITHVALUES.
//
// Beyond Redis: a negative count asks for a reply of |count| elements that is
// built in memory; Redis would try to build one of any size and run out of
// memory, so counts over `hrandfieldMaxDraws` are refused as out of range —
// only for an existing hash: a missing key and another type answer first
// (the empty array, WRONGTYPE), as in Redis.

import RESP
import Keyspace

extension CommandError {
    static let hrandfieldCountRange = CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    static let hrandfieldValueOutOfRange = CommandError("ERR value is out of range")
}

/// The most elements a negative HRANDFIELD count may ask for (about 1 GiB of reply at worst).
private let hrandfieldMaxDraws: Int64 = 1 << 26

/// Specs of this file's commands.
func hashRandomFieldCommands() -> [CommandSpec] {
    [
        CommandSpec("hrandfield", arity: -2, flags: [.readonly], keys: (1, 1, 1), categories: HashCategories.readSlow,
                    handler: hrandfield),
    ]
}

private func hrandfield(_ ctx: inout CommandContext) throws(CommandError) {
    guard ctx.args.count >= 3 else {
        guard let hash = try ctx.readHash(ctx.args[1]),
              let entry = hash.randomEntry(using: &ctx.server.rng) else {
            ctx.reply.null()
            return
        }
        ctx.reply.bulk(entry.key)
        return
    }
    let count = try ctx.int(2)
    if count == Int64.min { throw .hrandfieldCountRange }
    let withValues = ctx.args.count == 4
    if ctx.args.count > 4 || (withValues && !ctx.argIs(3, "withvalues")) { throw .syntax }
    if withValues, count < -(Int64.max / 2) || count > Int64.max / 2 { throw .hrandfieldValueOutOfRange }

    guard let hash = try ctx.readHash(ctx.args[1]) else {
        ctx.reply.emptyArray()
        return
    }
    if count < 0, -count > hrandfieldMaxDraws { throw .hrandfieldValueOutOfRange }
    if count == 0 {
        ctx.reply.emptyArray()
        return
    }
    let pairs = withValues && ctx.reply.isRESP3
    let flatWidth = withValues && !pairs ? 2 : 1
    if count < 0 {
        let draws = Int(-count)
        ctx.reply.arrayHeader(draws * flatWidth)
        for _ in 0..<draws {
            guard let entry = hash.randomEntry(using: &ctx.server.rng) else { break }
            replyEntry(&ctx, entry.key, entry.value, withValues: withValues, pairs: pairs)
        }
        return
    }
    // Distinct fields: all of them in table order, or a uniform random sample.
    let sample = hash.sampleEntries(Int(min(count, Int64(hash.count))), using: &ctx.server.rng)
    ctx.reply.arrayHeader(sample.count * flatWidth)
    for entry in sample { replyEntry(&ctx, entry.key, entry.value, withValues: withValues, pairs: pairs) }
}

@inline(__always)
private func replyEntry(_ ctx: inout CommandContext, _ field: Bytes, _ value: Bytes, withValues: Bool, pairs: Bool) {
    if pairs { ctx.reply.arrayHeader(2) }
    ctx.reply.bulk(field)
    if withValues { ctx.reply.bulk(value) }
}
