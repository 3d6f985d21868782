// ListSearch: list commands that look for elements by value — LPOS, LREM,
// LINSERT. Each is one pass over the deque by index (O(1) random access), with
// no per-element allocation.
//
// Redis 7.0 rules kept here:
// - LPOS RANK r: skip the first |r|-1 matches, scanning from the tail when
//   r < 0; COUNT 0 = all matches; MAXLEN bounds the elements compared. The
//   reply is one index or null without COUNT, an array with it. A missing key
//   answers null / empty array before any type check.
// - LREM count: > 0 removes the first `count` matches from the head, < 0 from
//   the tail, 0 all of them; answers how many were removed. The scan stops at
//   the last match it needs.
// - LINSERT answers the new length, -1 when the pivot is absent, 0 when the key is.

import RESP
import Keyspace

extension CommandError {
    static let lposRankZero = CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
    static let lposCountNegative = CommandError("ERR COUNT can't be negative")
    static let lposMaxlenNegative = CommandError("ERR MAXLEN can't be negative")
}

/// Specs of this file's commands.
func listSearchCommands() -> [CommandSpec] {
    let one = (1, 1, 1)
    return [
        CommandSpec("lpos", arity: -3, flags: [.readonly], keys: one, categories: ListCategories.readSlow, handler: lpos),
        CommandSpec("lrem", arity: 4, flags: [.write], keys: one, categories: ListCategories.writeSlow, handler: lrem),
        CommandSpec("linsert", arity: 5, flags: [.write, .denyOOM], keys: one, categories: ListCategories.writeSlow, handler: linsert),
    ]
}

private func lpos(_ ctx: inout CommandContext) throws(CommandError) {
    var rank: Int64 = 1
    var count: Int64? = nil          // nil: no COUNT option, reply a single index
    var maxlen: Int64 = 0            // 0: compare every element
    var j = 3
    while j < ctx.args.count {
        let hasValue = j + 1 < ctx.args.count
        if hasValue, ctx.argIs(j, "rank") {
            rank = try ctx.int(j + 1)
            if rank == 0 { throw .lposRankZero }
        } else if hasValue, ctx.argIs(j, "count") {
            guard let c = parseInt64(ctx.args[j + 1]), c >= 0 else { throw .lposCountNegative }
            count = c
        } else if hasValue, ctx.argIs(j, "maxlen") {
            guard let m = parseInt64(ctx.args[j + 1]), m >= 0 else { throw .lposMaxlenNegative }
            maxlen = m
        } else {
            throw .syntax
        }
        j += 2
    }
    guard let list = try ctx.readList(ctx.args[1]) else {
        if count != nil { ctx.reply.emptyArray() } else { ctx.reply.null() }
        return
    }
    let element = ctx.args[2]
    let n = list.count
    let fromTail = rank < 0
    // Redis negates a negative rank in a C long: LONG_MIN stays negative, so every
    // match qualifies and COUNT never ends the scan. Kept for exact compatibility.
    let wrapped = rank == Int64.min
    let skip = wrapped ? 0 : Int(clamping: rank.magnitude - 1)
    let limit = maxlen == 0 ? n : Int(min(Int64(n), maxlen))
    var matches = 0
    var found: [Int] = []
    var single: Int? = nil
    for step in 0..<limit {
        let i = fromTail ? n - 1 - step : step
        guard list[i] == element else { continue }
        matches += 1
        if matches <= skip { continue }
        guard let count else {
            single = i
            break
        }
        found.append(i)
        if count != 0, !wrapped, found.count >= count { break }
    }
    if count != nil {
        ctx.reply.arrayHeader(found.count)
        for i in found { ctx.reply.integer(i) }
    } else if let single {
        ctx.reply.integer(single)
    } else {
        ctx.reply.null()
    }
}

private func lrem(_ ctx: inout CommandContext) throws(CommandError) {
    let toRemove = try ctx.int(2)
    let element = ctx.args[3]
    let key = ctx.args[1]
    let limit = toRemove == 0 ? Int.max : Int(clamping: toRemove.magnitude)
    // Find the matches before updating: a list with none is not modified (Redis signals no change).
    guard let list = try ctx.listForWrite(key) else {
        ctx.reply.zero()
        return
    }
    let positions = matchPositions(list, element, limit: limit, fromTail: toRemove < 0)
    _ = consume list
    if positions.isEmpty {
        ctx.reply.zero()
        return
    }
    _ = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) in
        removePositions(&list, positions)
    }
    ctx.reply.integer(positions.count)
}

/// Ascending positions of the first (or, `fromTail`, the last) `limit` elements equal to `element`.
/// Stops scanning once `limit` are found, like Redis.
private func matchPositions(_ list: Deque<Bytes>, _ element: Bytes, limit: Int, fromTail: Bool) -> [Int] {
    var positions: [Int] = []
    if fromTail {
        var i = list.count - 1
        while i >= 0, positions.count < limit {
            if list[i] == element { positions.append(i) }
            i -= 1
        }
        positions.reverse()
    } else {
        var i = 0
        while i < list.count, positions.count < limit {
            if list[i] == element { positions.append(i) }
            i += 1
        }
    }
    return positions
}

/// Removes the elements at the ascending `positions`: a few one at a time (each
/// moves the shorter side of the deque), many by rebuilding it in one pass.
private func removePositions(_ list: inout Deque<Bytes>, _ positions: [Int]) {
    if positions.count <= 16 {
        for p in positions.reversed() { list.remove(at: p) }
        return
    }
    var kept = Deque<Bytes>(minimumCapacity: list.count - positions.count)
    var next = 0
    for (i, e) in list.enumerated() {
        if next < positions.count, positions[next] == i { next += 1 } else { kept.append(e) }
    }
    list = kept
}

private func linsert(_ ctx: inout CommandContext) throws(CommandError) {
    let after: Bool
    if ctx.argIs(2, "after") {
        after = true
    } else if ctx.argIs(2, "before") {
        after = false
    } else {
        throw .syntax
    }
    let pivot = ctx.args[3]
    let element = ctx.args[4]
    let key = ctx.args[1]
    // Only a found pivot modifies the list (Redis signals no change for -1).
    guard let list = try ctx.listForWrite(key) else {
        ctx.reply.zero()
        return
    }
    guard let at = list.firstIndex(of: pivot) else {
        ctx.reply.integer(-1)
        return
    }
    _ = consume list
    let length = try ctx.updateList(key, create: false) { (list: inout Deque<Bytes>) -> Int in
        list.insert(element, at: after ? at + 1 : at)
        return list.count
    }
    ctx.reply.integer(length ?? 0)
}
