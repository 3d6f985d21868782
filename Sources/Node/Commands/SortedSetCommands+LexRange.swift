// Lex ranges exactly as Redis 7.0 walks them (ZRANGEBYLEX, ZREVRANGEBYLEX,
// ZRANGE BYLEX, ZLEXCOUNT, ZREMRANGEBYLEX).
//
// Lex ranges assume every member has the same score. Then members are in
// byte order and SortedSet's O(log n) rank intervals are the answer. With
// mixed scores Redis still answers something deterministic for a small
// (listpack) sorted set, by walking in score order:
// 1. Empty unless min <= max (equal only if both inclusive), the highest-
//    scored member is >= min and the lowest-scored one is <= max.
// 2. Forward: start at the first member (in score order) that is >= min; it
//    must be <= max. Skip `offset` members without looking at them, then
//    take members while they are <= max (at most `limit`).
// 3. Reverse: start at the last member that is <= max; it must be >= min.
//    Skip `offset` backwards, then take while >= min.
// 4. ZLEXCOUNT and ZREMRANGEBYLEX count/remove the forward run of rule 2.
// We follow that walk (O(n)) whenever the scores are not all equal, which
// only misuse of lex ranges can hit.

import RESP
import Keyspace

/// The members of `range` as Redis selects them (see the header).
func zsetLexElements(_ zset: SortedSet, _ range: SortedSet.LexRange, reverse: Bool, offset: Int,
                     limit: Int) -> [(member: Bytes, score: Double)] {
    if hasUniformScores(zset) {
        return zset.elements(in: range, reverse: reverse, offset: offset, limit: limit)
    }
    let all = Array(zset.members)
    guard let start = walkStart(all, range, reverse: reverse), offset >= 0 else { return [] }
    var result: [(member: Bytes, score: Double)] = []
    var remaining = limit < 0 ? Int.max : limit
    if reverse {
        var i = start - offset
        while i >= 0, remaining > 0, lexAboveMin(all[i].member, range.min) {
            result.append(all[i])
            i -= 1
            remaining -= 1
        }
    } else {
        var i = offset > all.count ? all.count : start + offset
        while i < all.count, remaining > 0, lexBelowMax(all[i].member, range.max) {
            result.append(all[i])
            i += 1
            remaining -= 1
        }
    }
    return result
}

/// ZLEXCOUNT's count.
func zsetLexCount(_ zset: SortedSet, _ range: SortedSet.LexRange) -> Int {
    if hasUniformScores(zset) { return zset.count(in: range) }
    let all = Array(zset.members)
    guard let start = walkStart(all, range, reverse: false) else { return 0 }
    return forwardRunEnd(all, from: start, range) - start
}

/// ZREMRANGEBYLEX: removes the forward run; returns how many were removed.
func zsetRemoveLexRange(_ zset: inout SortedSet, _ range: SortedSet.LexRange) -> Int {
    if hasUniformScores(zset) { return zset.removeRange(in: range) }
    let all = Array(zset.members)
    guard let start = walkStart(all, range, reverse: false) else { return 0 }
    let end = forwardRunEnd(all, from: start, range)
    return zset.removeRange(ranks: start...(end - 1))
}

// MARK: - The walk

/// True when the lowest and highest scores are equal (members are then in byte order).
private func hasUniformScores(_ zset: SortedSet) -> Bool {
    guard let first = zset.element(atRank: 0), let last = zset.element(atRank: zset.count - 1) else { return true }
    return first.score == last.score
}

/// Where the walk starts (rules 1–3), nil when the range selects nothing.
private func walkStart(_ all: [(member: Bytes, score: Double)], _ range: SortedSet.LexRange, reverse: Bool) -> Int? {
    guard let first = all.first, let last = all.last, rangeCanMatch(range),
          lexAboveMin(last.member, range.min), lexBelowMax(first.member, range.max) else { return nil }
    if reverse {
        guard let i = all.lastIndex(where: { lexBelowMax($0.member, range.max) }),
              lexAboveMin(all[i].member, range.min) else { return nil }
        return i
    }
    guard let i = all.firstIndex(where: { lexAboveMin($0.member, range.min) }),
          lexBelowMax(all[i].member, range.max) else { return nil }
    return i
}

/// One past the last member of the forward run from `start` (members <= max).
private func forwardRunEnd(_ all: [(member: Bytes, score: Double)], from start: Int, _ range: SortedSet.LexRange) -> Int {
    var end = start
    while end < all.count, lexBelowMax(all[end].member, range.max) { end += 1 }
    return end
}

/// Redis's check that min <= max (equal only when both ends are inclusive members).
private func rangeCanMatch(_ range: SortedSet.LexRange) -> Bool {
    let (minRank, minBytes, minExclusive) = boundOrder(range.min)
    let (maxRank, maxBytes, maxExclusive) = boundOrder(range.max)
    if minRank != maxRank { return minRank < maxRank }
    if minRank != 1 { return false }   // "-" "-" or "+" "+": both count as exclusive
    if minBytes == maxBytes { return !minExclusive && !maxExclusive }
    return minBytes.lexicographicallyPrecedes(maxBytes)
}

/// (0 = "-", 1 = a member, 2 = "+"; the member; exclusive).
private func boundOrder(_ b: SortedSet.LexBound) -> (Int, Bytes, Bool) {
    switch b {
    case .negativeInfinity: (0, [], true)
    case .positiveInfinity: (2, [], true)
    case .inclusive(let m): (1, m, false)
    case .exclusive(let m): (1, m, true)
    }
}

/// `member` satisfies the min end.
private func lexAboveMin(_ member: Bytes, _ min: SortedSet.LexBound) -> Bool {
    switch min {
    case .negativeInfinity: true
    case .positiveInfinity: false
    case .inclusive(let m): !member.lexicographicallyPrecedes(m)
    case .exclusive(let m): m.lexicographicallyPrecedes(member)
    }
}

/// `member` satisfies the max end.
private func lexBelowMax(_ member: Bytes, _ max: SortedSet.LexBound) -> Bool {
    switch max {
    case .negativeInfinity: false
    case .positiveInfinity: true
    case .inclusive(let m): !m.lexicographicallyPrecedes(member)
    case .exclusive(let m): member.lexicographicallyPrecedes(m)
    }
}
