// Sorted-set algebra: ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZUNION, ZINTER,
// ZDIFF and ZINTERCARD (Redis 7.0 zunionInterDiffGenericCommand).
//
// Rules:
// 1. numkeys must be an integer ("not an integer"), >= 1 ("at least 1 input
//    key is needed for '<command>' command"), and no more than the arguments
//    left ("syntax error").
// 2. Every input key is looked up before the options are parsed: a key that
//    is neither a sorted set nor a set is WRONGTYPE. A set's members count
//    with score 1; a missing key is empty.
// 3. Options: WEIGHTS w1..wn ("weight value is not a float") and AGGREGATE
//    SUM|MIN|MAX except for the DIFF forms and ZINTERCARD; WITHSCORES only for
//    the non-STORE forms; LIMIT only for ZINTERCARD ("LIMIT can't be
//    negative"). Repeats are allowed (the last wins); anything else is
//    "syntax error".
// 4. Inputs are visited smallest first. A weighted score that is NaN
//    (0 × inf) counts as 0 in a union and as the first intersection input; SUM
//    turns inf + -inf into 0; MIN and MAX ignore a NaN operand.
// 5. STORE forms replace the destination and reply its size (an empty result
//    deletes it); the others reply the result ordered by score, then member.

import RESP
import Keyspace

private enum ZsetAlgebraOp {
    case union, inter, diff
}

private enum ZsetAggregate {
    case sum, min, max

    /// Redis's zunionInterAggregate.
    func combine(_ target: Double, _ value: Double) -> Double {
        switch self {
        case .sum:
            let total = target + value
            return total.isNaN ? 0 : total
        case .min: return value < target ? value : target
        case .max: return value > target ? value : target
        }
    }
}

/// One input of an algebra command.
private enum ZsetAlgebraInput {
    case missing
    case zset(SortedSet)
    case set(HashTable<Void>)

    var count: Int {
        switch self {
        case .missing: 0
        case .zset(let z): z.count
        case .set(let s): s.count
        }
    }

    /// The member's score in this input (1 for a set member), nil if absent.
    func score(of member: Bytes) -> Double? {
        switch self {
        case .missing: nil
        case .zset(let z): z.score(of: member)
        case .set(let s): s.contains(member) ? 1 : nil
        }
    }

    func forEach(_ body: (Bytes, Double) -> Void) {
        switch self {
        case .missing: break
        case .zset(let z): for e in z.members { body(e.member, e.score) }
        case .set(let s): for m in s.keys { body(m, 1) }
        }
    }
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX].
func zunionstore(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .union, name: "zunionstore", store: true)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX].
func zinterstore(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .inter, name: "zinterstore", store: true)
}

/// ZDIFFSTORE destination numkeys key [key ...].
func zdiffstore(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .diff, name: "zdiffstore", store: true)
}

/// ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES].
func zunion(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .union, name: "zunion", store: false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES].
func zinter(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .inter, name: "zinter", store: false)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES].
func zdiff(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .diff, name: "zdiff", store: false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit].
func zintercard(_ ctx: inout CommandContext) throws(CommandError) {
    try zsetAlgebra(&ctx, .inter, name: "zintercard", store: false, cardinalityOnly: true)
}

private func zsetAlgebra(_ ctx: inout CommandContext, _ op: ZsetAlgebraOp, name: String, store: Bool,
                         cardinalityOnly: Bool = false) throws(CommandError) {
    let args = ctx.args
    let numkeysIndex = store ? 2 : 1
    let setnum = try ctx.int(numkeysIndex)
    if setnum < 1 { throw .zsetNoInputKeys(name) }
    guard setnum <= Int64(args.count - numkeysIndex - 1) else { throw .syntax }
    let keyCount = Int(setnum)

    var inputs: [ZsetAlgebraInput] = []
    inputs.reserveCapacity(keyCount)
    for j in (numkeysIndex + 1)...(numkeysIndex + keyCount) {
        switch ctx.read(args[j]) {
        case nil: inputs.append(.missing)
        case .zset(let z)?: inputs.append(.zset(z))
        case .set(let s)?: inputs.append(.set(s))
        case _?: throw .wrongType
        }
    }

    var weights = [Double](repeating: 1, count: keyCount)
    var aggregate = ZsetAggregate.sum
    var withScores = false
    var limit = 0
    var j = numkeysIndex + keyCount + 1
    while j < args.count {
        let remaining = args.count - j
        if op != .diff && !cardinalityOnly && remaining >= keyCount + 1 && ctx.argIs(j, "weights") {
            for i in 0..<keyCount { weights[i] = try ctx.double(j + 1 + i, error: .zsetWeightNotFloat) }
            j += keyCount + 1
        } else if op != .diff && !cardinalityOnly && remaining >= 2 && ctx.argIs(j, "aggregate") {
            if ctx.argIs(j + 1, "sum") { aggregate = .sum }
            else if ctx.argIs(j + 1, "min") { aggregate = .min }
            else if ctx.argIs(j + 1, "max") { aggregate = .max }
            else { throw .syntax }
            j += 2
        } else if !store && !cardinalityOnly && ctx.argIs(j, "withscores") {
            withScores = true
            j += 1
        } else if cardinalityOnly && remaining >= 2 && ctx.argIs(j, "limit") {
            guard let v = parseInt64(args[j + 1]), v >= 0 else { throw .zsetLimitNegative }
            limit = Int(v)
            j += 2
        } else {
            throw .syntax
        }
    }

    // Smallest first (stable, so equal sizes keep the argument order).
    let order = inputs.indices.sorted { inputs[$0].count < inputs[$1].count }

    if cardinalityOnly {
        ctx.reply.integer(intersectionCardinality(inputs, order: order, limit: limit))
        return
    }
    var result: [(member: Bytes, score: Double)]
    switch op {
    case .union: result = union(inputs, order: order, weights: weights, aggregate: aggregate)
    case .inter: result = intersection(inputs, order: order, weights: weights, aggregate: aggregate)
    case .diff: result = difference(inputs)
    }
    if store {
        storeZsetResult(&ctx, destination: args[1], result)
        return
    }
    result.sort { a, b in
        a.score != b.score ? a.score < b.score : a.member.lexicographicallyPrecedes(b.member)
    }
    replyZsetElements(&ctx, result, withScores: withScores)
}

private func union(_ inputs: [ZsetAlgebraInput], order: [Int], weights: [Double],
                   aggregate: ZsetAggregate) -> [(member: Bytes, score: Double)] {
    var accumulator = HashTable<Double>()
    for i in order {
        let weight = weights[i]
        inputs[i].forEach { member, score in
            var value = weight * score
            if value.isNaN { value = 0 }
            if accumulator.modifyValue(forKey: member, { (existing: inout Double) -> Void in
                existing = aggregate.combine(existing, value)
            }) == nil {
                accumulator.updateValue(value, forKey: member)
            }
        }
    }
    var result: [(member: Bytes, score: Double)] = []
    result.reserveCapacity(accumulator.count)
    for (member, score) in accumulator { result.append((member, score)) }
    return result
}

private func intersection(_ inputs: [ZsetAlgebraInput], order: [Int], weights: [Double],
                          aggregate: ZsetAggregate) -> [(member: Bytes, score: Double)] {
    guard let first = order.first, inputs[first].count > 0 else { return [] }
    let others = order.dropFirst()
    var result: [(member: Bytes, score: Double)] = []
    inputs[first].forEach { member, score in
        var total = weights[first] * score
        if total.isNaN { total = 0 }
        for k in others {
            guard let other = inputs[k].score(of: member) else { return }
            total = aggregate.combine(total, other * weights[k])
        }
        result.append((member, total))
    }
    return result
}

private func intersectionCardinality(_ inputs: [ZsetAlgebraInput], order: [Int], limit: Int) -> Int {
    guard let first = order.first, inputs[first].count > 0 else { return 0 }
    let others = order.dropFirst()
    var count = 0
    // Sets and sorted sets alike: walk the smallest input's members.
    switch inputs[first] {
    case .missing:
        return 0
    case .set(let s):
        for member in s.keys where others.allSatisfy({ inputs[$0].score(of: member) != nil }) {
            count += 1
            if limit > 0 && count >= limit { break }
        }
    case .zset(let z):
        for e in z.members where others.allSatisfy({ inputs[$0].score(of: e.member) != nil }) {
            count += 1
            if limit > 0 && count >= limit { break }
        }
    }
    return count
}

private func difference(_ inputs: [ZsetAlgebraInput]) -> [(member: Bytes, score: Double)] {
    guard let first = inputs.first else { return [] }
    let others = inputs.dropFirst().filter { $0.count > 0 }
    var result: [(member: Bytes, score: Double)] = []
    first.forEach { member, score in
        for other in others where other.score(of: member) != nil { return }
        result.append((member, score))
    }
    return result
}
