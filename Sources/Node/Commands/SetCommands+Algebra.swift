// Set algebra: SINTER, SUNION, SDIFF, their STORE forms, and SINTERCARD.
//
// Rules (Redis 7.0 sinterGenericCommand / sunionDiffGenericCommand):
// 1. Every input key is looked up first; any key of another type is
//    WRONGTYPE, even when an earlier key is missing. A missing key is an
//    empty set.
// 2. Intersection walks the smallest input and probes the others; an empty
//    input makes the result empty at once.
// 3. Difference keeps the members of the first input found in no other one.
// 4. A STORE form replaces the destination (dropping its TTL) with the result
//    and answers its size; an empty result deletes the destination.
// 5. SINTERCARD counts the intersection, stopping at LIMIT (0 = no limit).

import RESP
import Keyspace

/// SINTER key [key ...].
func sinter(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[1...])
    replySet(&ctx, intersection(sets))
}

/// SUNION key [key ...].
func sunion(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[1...])
    replySet(&ctx, union(sets))
}

/// SDIFF key [key ...].
func sdiff(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[1...])
    replySet(&ctx, difference(sets))
}

/// SINTERSTORE destination key [key ...].
func sinterstore(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[2...])
    store(&ctx, intersection(sets))
}

/// SUNIONSTORE destination key [key ...].
func sunionstore(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[2...])
    store(&ctx, union(sets))
}

/// SDIFFSTORE destination key [key ...].
func sdiffstore(_ ctx: inout CommandContext) throws(CommandError) {
    let sets = try readSets(&ctx, ctx.args[2...])
    store(&ctx, difference(sets))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit].
func sintercard(_ ctx: inout CommandContext) throws(CommandError) {
    let args = ctx.args
    guard let numkeys = parseInt64(args[1]), numkeys >= 1 else { throw .setNumkeysNotPositive }
    guard numkeys <= Int64(args.count - 2) else { throw .setTooManyNumkeys }
    let keyEnd = 2 + Int(numkeys)
    var limit = 0
    var i = keyEnd
    while i < args.count {
        if ctx.argIs(i, "limit"), i + 1 < args.count {
            guard let v = parseInt64(args[i + 1]), v >= 0 else { throw .setLimitNegative }
            limit = Int(v)
            i += 2
        } else {
            throw .syntax
        }
    }
    let sets = try readSets(&ctx, args[2..<keyEnd])
    ctx.reply.integer(intersectionCount(sets, limit: limit))
}

// MARK: - Helpers

/// The sets at `keys` (nil for a missing key); WRONGTYPE if any key holds another type.
private func readSets(_ ctx: inout CommandContext, _ keys: ArraySlice<Bytes>) throws(CommandError) -> [HashTable<Void>?] {
    var sets: [HashTable<Void>?] = []
    sets.reserveCapacity(keys.count)
    for key in keys { sets.append(try ctx.readSet(key)) }
    return sets
}

/// The inputs of an intersection, smallest first; nil when one of them is empty.
private func intersectionInputs(_ sets: [HashTable<Void>?]) -> [HashTable<Void>]? {
    var present: [HashTable<Void>] = []
    present.reserveCapacity(sets.count)
    for set in sets {
        guard let set, !set.isEmpty else { return nil }
        present.append(set)
    }
    present.sort { $0.count < $1.count }
    return present
}

private func intersection(_ sets: [HashTable<Void>?]) -> HashTable<Void> {
    guard let inputs = intersectionInputs(sets), let smallest = inputs.first else { return HashTable() }
    if inputs.count == 1 { return smallest }
    var result = HashTable<Void>()
    outer: for member in smallest.keys {
        for other in inputs.dropFirst() where !other.contains(member) { continue outer }
        result.updateValue((), forKey: member)
    }
    return result
}

private func intersectionCount(_ sets: [HashTable<Void>?], limit: Int) -> Int {
    guard let inputs = intersectionInputs(sets), let smallest = inputs.first else { return 0 }
    var count = 0
    outer: for member in smallest.keys {
        for other in inputs.dropFirst() where !other.contains(member) { continue outer }
        count += 1
        if limit > 0, count >= limit { break }
    }
    return count
}

private func union(_ sets: [HashTable<Void>?]) -> HashTable<Void> {
    let present = sets.compactMap { $0 }
    guard let largestIndex = present.indices.max(by: { present[$0].count < present[$1].count }) else {
        return HashTable()
    }
    // Start from the largest input (an O(1) copy-on-write copy) and add the rest.
    var result = present[largestIndex]
    for (i, set) in present.enumerated() where i != largestIndex {
        for member in set.keys { result.updateValue((), forKey: member) }
    }
    return result
}

/// Members of the first set found in none of the others. Either probes every
/// member of the first set (cost |first| × inputs) or copies it and removes
/// the others' members (cost |first| + Σ|others|), whichever is cheaper.
private func difference(_ sets: [HashTable<Void>?]) -> HashTable<Void> {
    guard let first = sets.first ?? nil else { return HashTable() }
    let others = sets.dropFirst().compactMap { $0 }.filter { !$0.isEmpty }
    if others.isEmpty { return first }
    let probeCost = first.count &* others.count
    let removeCost = others.reduce(first.count) { $0 &+ $1.count }
    if probeCost <= removeCost {
        var result = HashTable<Void>()
        outer: for member in first.keys {
            for other in others where other.contains(member) { continue outer }
            result.updateValue((), forKey: member)
        }
        return result
    }
    var result = first
    for other in others {
        for member in other.keys {
            result.removeValue(forKey: member)
            if result.isEmpty { return result }
        }
    }
    return result
}

private func replySet(_ ctx: inout CommandContext, _ set: HashTable<Void>) {
    replySetMembers(&ctx, set)
}

/// Stores `result` at the destination (args[1]) and replies with its size; an empty result deletes it.
private func store(_ ctx: inout CommandContext, _ result: HashTable<Void>) {
    let destination = ctx.args[1]
    if result.isEmpty {
        ctx.db.remove(destination, now: ctx.now)
    } else {
        ctx.db.set(destination, .set(result))
    }
    ctx.reply.integer(result.count)
}
