// SortedSetTests: SortedSet against a sorted-array model — ranks, score and lex
// ranges with exclusive bounds, offsets and limits, pops, range removal — plus
// tree invariants, copy-on-write and Redis ordering details.

import Testing
@testable import Keyspace

/// Deterministic generator for reproducible random operations.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private typealias Element = (member: [UInt8], score: Double)
private typealias ScoreBound = SortedSet.ScoreBound
private typealias LexBound = SortedSet.LexBound

/// Reference model: a dictionary, sorted on demand.
private struct Model {
    var scores: [[UInt8]: Double] = [:]

    var sorted: [Element] {
        scores.map { ($0.key, $0.value) }.sorted { a, b in
            a.score != b.score ? a.score < b.score : a.member.lexicographicallyPrecedes(b.member)
        }
    }

    static func inScore(_ s: Double, _ r: SortedSet.ScoreRange) -> Bool {
        (r.min.exclusive ? s > r.min.value : s >= r.min.value) && (r.max.exclusive ? s < r.max.value : s <= r.max.value)
    }

    static func aboveMin(_ m: [UInt8], _ b: LexBound) -> Bool {
        switch b {
        case .negativeInfinity: true
        case .positiveInfinity: false
        case .inclusive(let x): !m.lexicographicallyPrecedes(x)
        case .exclusive(let x): x.lexicographicallyPrecedes(m)
        }
    }

    static func belowMax(_ m: [UInt8], _ b: LexBound) -> Bool {
        switch b {
        case .negativeInfinity: false
        case .positiveInfinity: true
        case .inclusive(let x): !x.lexicographicallyPrecedes(m)
        case .exclusive(let x): m.lexicographicallyPrecedes(x)
        }
    }

    static func window(_ all: [Element], reverse: Bool, offset: Int, limit: Int?) -> [Element] {
        if offset < 0 { return [] }
        let ordered = reverse ? Array(all.reversed()) : all
        let rest = Array(ordered.dropFirst(offset))
        if let limit, limit >= 0 { return Array(rest.prefix(limit)) }
        return rest
    }
}

private func same(_ a: [Element], _ b: [Element]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.member == $1.member && $0.score == $1.score }
}

private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

private let scorePool: [Double] = [-.infinity, -3.5, -1, -0.0, 0, 0.5, 1, 2, 2, 7.25, 100, .infinity]

private func randomMember<G: RandomNumberGenerator>(_ g: inout G) -> [UInt8] {
    let n = Int.random(in: 0..<400, using: &g)
    // Includes the empty member and members that are prefixes of one another.
    return Array(bytes("m\(n)").prefix(n % 5 == 0 ? n % 3 : 8))
}

private func randomScoreBound<G: RandomNumberGenerator>(_ g: inout G) -> ScoreBound {
    ScoreBound(scorePool.randomElement(using: &g) ?? 0, exclusive: Bool.random(using: &g))
}

private func randomLexBound<G: RandomNumberGenerator>(_ g: inout G) -> LexBound {
    switch Int.random(in: 0..<10, using: &g) {
    case 0: .negativeInfinity
    case 1: .positiveInfinity
    case 2...5: .inclusive(randomMember(&g))
    default: .exclusive(randomMember(&g))
    }
}

@Suite("SortedSet")
struct SortedSetTests {
    @Test("agrees with a sorted-array model over thousands of random operations", arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchModel(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var z = SortedSet()
        var model = Model()
        for step in 0..<4000 {
            let m = randomMember(&g)
            switch Int.random(in: 0..<100, using: &g) {
            case 0..<40:
                let s = scorePool.randomElement(using: &g) ?? 0
                let old = z.insert(m, score: s)
                let modelOld = model.scores[m]
                #expect(old == modelOld)
                // Re-adding an equal score (incl. -0.0 vs 0.0) keeps the stored one.
                if let modelOld, modelOld == s {} else { model.scores[m] = s }
            case 40..<58:
                #expect(z.remove(m) == model.scores.removeValue(forKey: m))
            case 58..<64:
                let sorted = model.sorted
                let forward = sorted.firstIndex { $0.member == m }
                #expect(z.rank(of: m) == forward)
                #expect(z.rank(of: m, reverse: true) == forward.map { sorted.count - 1 - $0 })
            case 64..<70:
                let sorted = model.sorted
                let r = Int.random(in: -1...(sorted.count), using: &g)
                let e = z.element(atRank: r)
                let er = z.element(atRank: r, reverse: true)
                if r >= 0 && r < sorted.count {
                    #expect(e?.member == sorted[r].member && e?.score == sorted[r].score)
                    #expect(er?.member == sorted[sorted.count - 1 - r].member)
                } else {
                    #expect(e == nil && er == nil)
                }
            case 70..<74:
                let sorted = model.sorted
                let a = Int.random(in: -2...(sorted.count + 2), using: &g)
                let b = Int.random(in: a...(sorted.count + 3), using: &g)
                let lo = max(a, 0), hi = min(b, sorted.count - 1)
                let want: [Element] = lo <= hi ? Array(sorted[lo...hi]) : []
                #expect(same(z.elements(ranks: a...b), want))
                let rsorted = Array(sorted.reversed())
                let rwant: [Element] = lo <= hi ? Array(rsorted[lo...hi]) : []
                #expect(same(z.elements(ranks: a...b, reverse: true), rwant))
            case 74..<82:
                let r = SortedSet.ScoreRange(min: randomScoreBound(&g), max: randomScoreBound(&g))
                let all = model.sorted.filter { Model.inScore($0.score, r) }
                #expect(z.count(in: r) == all.count)
                let reverse = Bool.random(using: &g)
                let offset = Int.random(in: -1...4, using: &g)
                let limit: Int? = [nil, -1, 0, 1, 3, 100].randomElement(using: &g) ?? nil
                let got = z.elements(in: r, reverse: reverse, offset: offset, limit: limit)
                #expect(same(got, Model.window(all, reverse: reverse, offset: offset, limit: limit)))
            case 82..<85:
                let n = Int.random(in: 0...4, using: &g)
                let sorted = model.sorted
                if Bool.random(using: &g) {
                    let want = Array(sorted.prefix(n))
                    #expect(same(z.popFirst(n), want))
                    for e in want { model.scores[e.member] = nil }
                } else {
                    let want = Array(sorted.suffix(n).reversed())
                    #expect(same(z.popLast(n), want))
                    for e in want { model.scores[e.member] = nil }
                }
            case 85..<88:
                let sorted = model.sorted
                let a = Int.random(in: -1...(sorted.count + 1), using: &g)
                let b = Int.random(in: a...(a + Int.random(in: 0...(step % 7 == 0 ? 400 : 6), using: &g)), using: &g)
                let lo = max(a, 0), hi = min(b, sorted.count - 1)
                let gone: [Element] = lo <= hi ? Array(sorted[lo...hi]) : []
                #expect(z.removeRange(ranks: a...b) == gone.count)
                for e in gone { model.scores[e.member] = nil }
            case 88..<91:
                let r = SortedSet.ScoreRange(min: randomScoreBound(&g), max: randomScoreBound(&g))
                let gone = model.sorted.filter { Model.inScore($0.score, r) }
                #expect(z.removeRange(in: r) == gone.count)
                for e in gone { model.scores[e.member] = nil }
            default:
                #expect(z.score(of: m) == model.scores[m])
            }
            #expect(z.count == model.scores.count)
            if step % 200 == 0 {
                #expect(z.invariantViolation() == nil)
                #expect(same(Array(z.members), model.sorted))
            }
        }
        #expect(z.invariantViolation() == nil)
        #expect(same(Array(z.members), model.sorted))
    }

    @Test("lex ranges, counts and removals agree with the model when all scores are equal",
          arguments: [5, 6, 7] as [UInt64])
    func lexRangesMatchModel(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        var z = SortedSet()
        var model = Model()
        for _ in 0..<300 {
            let m = randomMember(&g)
            z.insert(m, score: 0)
            model.scores[m] = 0
        }
        for _ in 0..<1500 {
            let r = SortedSet.LexRange(min: randomLexBound(&g), max: randomLexBound(&g))
            let all = model.sorted.filter { Model.aboveMin($0.member, r.min) && Model.belowMax($0.member, r.max) }
            #expect(z.count(in: r) == all.count)
            let reverse = Bool.random(using: &g)
            let offset = Int.random(in: -1...3, using: &g)
            let limit: Int? = [nil, -5, 0, 2, 50].randomElement(using: &g) ?? nil
            #expect(same(z.elements(in: r, reverse: reverse, offset: offset, limit: limit),
                         Model.window(all, reverse: reverse, offset: offset, limit: limit)))
            if Int.random(in: 0..<10, using: &g) == 0 {
                #expect(z.removeRange(in: r) == all.count)
                for e in all { model.scores[e.member] = nil }
                for _ in 0..<all.count {
                    let m = randomMember(&g)
                    z.insert(m, score: 0)
                    model.scores[m] = 0
                }
                #expect(z.invariantViolation() == nil)
            }
        }
        #expect(same(Array(z.members), model.sorted))
    }

    @Test("members order by score, then bytes as memcmp with the shorter first")
    func redisOrdering() {
        var z = SortedSet()
        z.insert(bytes("b"), score: 1)
        z.insert(bytes("a"), score: 1)
        z.insert(bytes("ab"), score: 1)
        z.insert([], score: 1)
        z.insert([0xFF], score: 1)
        z.insert([0x01], score: 1)
        z.insert(bytes("z"), score: -1)
        z.insert(bytes("inf"), score: .infinity)
        z.insert(bytes("-inf"), score: -.infinity)
        let order = z.members.map(\.member)
        #expect(order == [bytes("-inf"), bytes("z"), [], [0x01], bytes("a"), bytes("ab"), bytes("b"), [0xFF], bytes("inf")])
    }

    @Test("-0.0 and 0.0 are the same score")
    func negativeZero() {
        var z = SortedSet()
        z.insert(bytes("a"), score: -0.0)
        z.insert(bytes("b"), score: 0.0)
        #expect(z.insert(bytes("a"), score: 0.0) == -0.0)          // no change: equal score
        #expect(z.score(of: bytes("a"))?.sign == .minus)
        #expect(z.members.map(\.member) == [bytes("a"), bytes("b")])
        let zero = SortedSet.ScoreRange(min: .init(0), max: .init(-0.0))
        #expect(z.count(in: zero) == 2)
        let open = SortedSet.ScoreRange(min: .init(-0.0, exclusive: true), max: .init(1))
        #expect(z.count(in: open) == 0)
    }

    @Test("updating a score moves the member")
    func scoreUpdateMoves() {
        var z = SortedSet()
        for (i, m) in ["a", "b", "c", "d"].enumerated() { z.insert(bytes(m), score: Double(i)) }
        #expect(z.insert(bytes("a"), score: 10) == 0)
        #expect(z.rank(of: bytes("a")) == 3)
        #expect(z.rank(of: bytes("a"), reverse: true) == 0)
        #expect(z.rank(of: bytes("b")) == 0)
        #expect(z.rank(of: bytes("nope")) == nil)
        #expect(z.element(atRank: 0, reverse: true)?.member == bytes("a"))
    }

    @Test("inverted and empty ranges select nothing")
    func invertedRanges() {
        var z = SortedSet()
        for i in 0..<10 { z.insert(bytes("m\(i)"), score: Double(i)) }
        let inverted = SortedSet.ScoreRange(min: .init(5), max: .init(2))
        #expect(z.count(in: inverted) == 0)
        #expect(z.elements(in: inverted).isEmpty)
        #expect(z.removeRange(in: inverted) == 0)
        let point = SortedSet.ScoreRange(min: .init(3, exclusive: true), max: .init(3))
        #expect(z.count(in: point) == 0)
        let lexInverted = SortedSet.LexRange(min: .positiveInfinity, max: .negativeInfinity)
        #expect(z.count(in: lexInverted) == 0)
        #expect(z.elements(in: lexInverted, reverse: true).isEmpty)
        #expect(z.elements(ranks: 5...20).count == 5)
        #expect(z.elements(ranks: 20...30).isEmpty)
        #expect(z.count == 10)
    }

    @Test("copies are independent (copy-on-write)")
    func copyOnWrite() {
        var a = SortedSet()
        for i in 0..<100 { a.insert(bytes("m\(i)"), score: Double(i)) }
        let b = a
        a.insert(bytes("m1"), score: 1000)
        a.remove(bytes("m2"))
        a.insert(bytes("new"), score: -5)
        _ = a.popFirst(3)
        a.removeRange(in: SortedSet.ScoreRange(min: .init(50), max: .init(60)))
        #expect(b.count == 100)
        #expect(b.score(of: bytes("m1")) == 1)
        #expect(b.score(of: bytes("m2")) == 2)
        #expect(b.score(of: bytes("new")) == nil)
        #expect(b.members.map(\.score) == (0..<100).map(Double.init))
        #expect(b.invariantViolation() == nil)
        #expect(a.invariantViolation() == nil)
        #expect(a.count == 100 - 1 + 1 - 3 - 11)
    }

    @Test("stays balanced and compact through bulk insertion in order and mass removal")
    func balanceAndCompaction() {
        var z = SortedSet()
        let n = 20_000
        for i in 0..<n { z.insert(bytes("k\(i)"), score: Double(i)) }   // ascending: worst case for naive trees
        #expect(z.invariantViolation() == nil)
        // Weight balance with delta 3 bounds the height to about 2.4 log2 n (< 35 here).
        #expect(z.treeHeight <= 35)
        for i in stride(from: 0, to: n, by: 2) { z.remove(bytes("k\(i)")) }
        #expect(z.invariantViolation() == nil)
        for i in stride(from: 1, to: n - 100, by: 2) { z.remove(bytes("k\(i)")) }
        #expect(z.count == 50)
        #expect(z.invariantViolation() == nil)
        #expect(z.storage.nodes.count < 400, "the arena should compact after mass removal")
        #expect(z.removeRange(ranks: 0...48) == 49)
        #expect(z.members.map(\.member) == [bytes("k\(n - 1)")])
    }

    @Test("scan and random sampling see the members")
    func scanAndRandom() {
        var g = SplitMix64(seed: 42)
        var z = SortedSet()
        #expect(z.randomEntry(using: &g) == nil)
        for i in 0..<500 { z.insert(bytes("m\(i)"), score: Double(i)) }
        var seen: [[UInt8]: Double] = [:]
        var cursor: UInt64 = 0
        repeat {
            cursor = z.scan(cursor: cursor, count: 10) { m, s in seen[m] = s }
        } while cursor != 0
        #expect(seen.count == 500)
        #expect(seen.allSatisfy { z.score(of: $0.key) == $0.value })
        for _ in 0..<50 {
            guard let e = z.randomEntry(using: &g) else { Issue.record("nil from non-empty set"); return }
            #expect(z.score(of: e.member) == e.score)
        }
        let sample = z.sampleEntries(30, using: &g)
        #expect(Set(sample.map(\.member)).count == 30)
    }
}
