// SortedSet+Ranges: score ranges (ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE) and
// lex ranges (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX).
//
// Every range is first turned into a half-open interval of forward ranks
// [lo, hi) with two O(log n) descents:
//   lo = number of elements below the min bound,
//   hi = number of elements not above the max bound;
// an empty or inverted range simply gives hi <= lo. Extraction then walks
// only those ranks: O(log n + m).
//
// Lex ranges compare members only. Like Redis, they are meaningful only when
// all members have the same score; otherwise the result is some consistent
// but unspecified slice (never a crash).

extension SortedSet {
    /// One end of a score range: `value`, included unless `exclusive` ("(" in Redis syntax).
    public struct ScoreBound: Sendable, Equatable {
        public var value: Double
        public var exclusive: Bool

        public init(_ value: Double, exclusive: Bool = false) {
            self.value = value
            self.exclusive = exclusive
        }
    }

    /// A score range with both ends.
    public struct ScoreRange: Sendable, Equatable {
        public var min: ScoreBound
        public var max: ScoreBound

        public init(min: ScoreBound, max: ScoreBound) {
            self.min = min
            self.max = max
        }
    }

    /// One end of a lex range: "-", "+", "[member" or "(member".
    public enum LexBound: Sendable, Equatable {
        case negativeInfinity
        case positiveInfinity
        case inclusive([UInt8])
        case exclusive([UInt8])
    }

    /// A member (lexicographic) range with both ends.
    public struct LexRange: Sendable, Equatable {
        public var min: LexBound
        public var max: LexBound

        public init(min: LexBound, max: LexBound) {
            self.min = min
            self.max = max
        }
    }

    // MARK: Rank intervals

    /// Forward ranks [lo, hi) of the elements in `r`.
    func rankInterval(_ r: ScoreRange) -> (lo: Int, hi: Int) {
        let s = storage
        return s.read { tree in
            let lo = tree.countScores(s.root, below: r.min.value, inclusive: r.min.exclusive)
            let hi = tree.countScores(s.root, below: r.max.value, inclusive: !r.max.exclusive)
            return (lo, Swift.max(lo, hi))
        }
    }

    /// Forward ranks [lo, hi) of the elements in `r`.
    func rankInterval(_ r: LexRange) -> (lo: Int, hi: Int) {
        let s = storage
        let n = count
        return s.read { tree in
            func below(_ b: LexBound, isMax: Bool) -> Int {
                switch b {
                case .negativeInfinity: 0
                case .positiveInfinity: n
                case .inclusive(let m): tree.countMembers(s.root, below: m, inclusive: isMax)
                case .exclusive(let m): tree.countMembers(s.root, below: m, inclusive: !isMax)
                }
            }
            let lo = below(r.min, isMax: false)
            let hi = below(r.max, isMax: true)
            return (lo, Swift.max(lo, hi))
        }
    }

    /// Applies reverse/offset/limit to the rank interval [lo, hi) and extracts.
    func elements(lo: Int, hi: Int, reverse: Bool, offset: Int, limit: Int?) -> [(member: [UInt8], score: Double)] {
        let total = hi - lo
        if offset < 0 || offset >= total { return [] }
        var take = total - offset
        if let limit, limit >= 0 { take = Swift.min(take, limit) }
        if take == 0 { return [] }
        if reverse {
            let top = hi - 1 - offset
            return Array(forwardElements(from: top - take + 1, through: top).reversed())
        }
        return forwardElements(from: lo + offset, through: lo + offset + take - 1)
    }

    // MARK: Score ranges

    /// Number of elements whose score lies in `r` (ZCOUNT).
    public func count(in r: ScoreRange) -> Int {
        let (lo, hi) = rankInterval(r)
        return hi - lo
    }

    /// Elements with scores in `r` (ZRANGEBYSCORE): ascending, or descending from
    /// the max end when `reverse`. `offset` elements are skipped first (after
    /// reversing), then at most `limit` returned (nil or negative: no limit). A
    /// negative offset returns nothing, as in Redis.
    public func elements(in r: ScoreRange, reverse: Bool = false, offset: Int = 0,
                         limit: Int? = nil) -> [(member: [UInt8], score: Double)] {
        let (lo, hi) = rankInterval(r)
        return elements(lo: lo, hi: hi, reverse: reverse, offset: offset, limit: limit)
    }

    /// Removes the elements with scores in `r` (ZREMRANGEBYSCORE); returns how many.
    @discardableResult
    public mutating func removeRange(in r: ScoreRange) -> Int {
        let (lo, hi) = rankInterval(r)
        if hi <= lo { return 0 }
        return removeRange(ranks: lo...(hi - 1))
    }

    // MARK: Lex ranges

    /// Number of elements whose member lies in `r` (ZLEXCOUNT).
    public func count(in r: LexRange) -> Int {
        let (lo, hi) = rankInterval(r)
        return hi - lo
    }

    /// Elements with members in `r` (ZRANGEBYLEX); reverse/offset/limit as for scores.
    public func elements(in r: LexRange, reverse: Bool = false, offset: Int = 0,
                         limit: Int? = nil) -> [(member: [UInt8], score: Double)] {
        let (lo, hi) = rankInterval(r)
        return elements(lo: lo, hi: hi, reverse: reverse, offset: offset, limit: limit)
    }

    /// Removes the elements with members in `r` (ZREMRANGEBYLEX); returns how many.
    @discardableResult
    public mutating func removeRange(in r: LexRange) -> Int {
        let (lo, hi) = rankInterval(r)
        if hi <= lo { return 0 }
        return removeRange(ranks: lo...(hi - 1))
    }
}
