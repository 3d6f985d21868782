// Random members of a set: SPOP (removes them) and SRANDMEMBER (does not).
//
// Rules (Redis 7.0):
// 1. Without a count both answer one member as a bulk string, or null for a
//    missing key.
// 2. SPOP's count must be >= 0 ("must be positive", also for a non-integer);
//    its reply is a set (RESP3 "~"), all members when count >= the size (the
//    key is then deleted; an intset's in ascending order, see intsetOrder).
// 3. SRANDMEMBER's count is any integer but LONG_MIN; positive = distinct
//    members (all of them when count >= size, ordered as SPOP's), negative = |count| independent
//    picks, repeats allowed. Its reply is always an array.
// 4. A repeat reply is bounded in bytes (`setRandomReplyByteLimit`): Redis 7.0
//    would build a reply of |count| elements however large and run out of
//    memory; we answer an error instead.

import RESP
import Replication
import Keyspace

/// Largest reply, in bytes, a RAND command with repeats may build (Redis's default proto-max-bulk-len).
let setRandomReplyByteLimit = 512 << 20

/// SPOP key [count].
func spop(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.args.count == 2 {
        let member = try ctx.updateSet(key, create: false) { (set: inout HashTable<Void>) throws(CommandError) -> Bytes? in
            guard let (member, _) = set.randomEntry(using: &ctx.server.rng) else { return nil }
            set.removeValue(forKey: member)
            return member
        } ?? nil
        if let member {
            ctx.propagateAs = [PropagatedCommand.srem(key: key, members: [member])]
            ctx.reply.bulk(member)
        } else {
            ctx.reply.null()
        }
        return
    }
    guard ctx.args.count == 3 else { throw .syntax }
    guard let count = parseInt64(ctx.args[2]), count >= 0 else { throw .setPopCountNotPositive }
    if count == 0 {
        _ = try ctx.readSet(key)   // WRONGTYPE still applies
        ctx.reply.setHeader(0)
        return
    }
    let popped = try ctx.updateSet(key, create: false) { (set: inout HashTable<Void>) throws(CommandError) -> [Bytes] in
        if count >= Int64(set.count) {
            let all = intsetOrder(set, ctx.server) ?? Array(set.keys)
            set.removeAll()
            return all
        }
        let picks = set.sampleEntries(Int(count), using: &ctx.server.rng)
        var members: [Bytes] = []
        members.reserveCapacity(picks.count)
        for (member, _) in picks {
            set.removeValue(forKey: member)
            members.append(member)
        }
        return members
    } ?? []
    ctx.propagateAs = popped.isEmpty ? [] : PropagatedCommand.sremBatches(key: key, members: popped)
    ctx.reply.setHeader(popped.count)
    for member in popped { ctx.reply.bulk(member) }
}

/// SRANDMEMBER key [count].
func srandmember(_ ctx: inout CommandContext) throws(CommandError) {
    let key = ctx.args[1]
    if ctx.args.count == 2 {
        guard let set = try ctx.readSet(key), let (member, _) = set.randomEntry(using: &ctx.server.rng) else {
            ctx.reply.null()
            return
        }
        ctx.reply.bulk(member)
        return
    }
    guard ctx.args.count == 3 else { throw .syntax }
    let count = try ctx.int(2)
    if count == Int64.min { throw .setRandomCountOutOfRange }
    guard let set = try ctx.readSet(key), count != 0 else {
        ctx.reply.emptyArray()
        return
    }
    if count > 0 {
        if count >= Int64(set.count) {
            ctx.reply.arrayHeader(set.count)
            for member in intsetOrder(set, ctx.server) ?? Array(set.keys) { ctx.reply.bulk(member) }
        } else {
            let picks = set.sampleEntries(Int(count), using: &ctx.server.rng)
            ctx.reply.arrayHeader(picks.count)
            for (member, _) in picks { ctx.reply.bulk(member) }
        }
        return
    }
    let repeats = Int(count.magnitude)
    try setCheckRandomReplyFits(elements: repeats, elementsPerPick: 1)
    let start = ctx.reply.count
    ctx.reply.arrayHeader(repeats)
    for i in 0..<repeats {
        guard let (member, _) = set.randomEntry(using: &ctx.server.rng) else { break }
        ctx.reply.bulk(member)
        if i & 1023 == 1023, ctx.reply.count - start > setRandomReplyByteLimit {
            ctx.reply.bytes.removeSubrange(start...)
            throw .setRandomReplyTooLarge
        }
    }
}

/// Refuses a repeat reply that cannot fit in `setRandomReplyByteLimit` even with empty members
/// (a bulk string is at least 6 bytes on the wire: "$0\r\n\r\n").
func setCheckRandomReplyFits(elements: Int, elementsPerPick: Int) throws(CommandError) {
    let (total, overflow) = elements.multipliedReportingOverflow(by: 6 * elementsPerPick)
    if overflow || total > setRandomReplyByteLimit { throw .setRandomReplyTooLarge }
}
