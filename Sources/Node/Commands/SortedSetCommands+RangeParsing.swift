// Parsing of sorted-set range arguments and the family's error texts.
//
// Score bounds (Redis 7.0 zslParseRange): an optional "(" (exclusive), then
// C strtod over the rest, which must end the string; NaN is refused. This is
// strtod itself, not the stricter float parser of ZADD: a leading space, an
// empty number (0) and out-of-range values (±inf, 0) are accepted, as in Redis.
//
// Lex bounds (zslParseLexRangeItem): exactly "-" or "+", or "[" / "(" followed
// by the member bytes. Anything else is "not valid string range item".

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RESP
import Keyspace

extension CommandError {
    static let zsetXXAndNX = CommandError("ERR XX and NX options at the same time are not compatible")
    static let zsetGTLTNX = CommandError("ERR GT, LT, and/or NX options at the same time are not compatible")
    static let zsetIncrSinglePair = CommandError("ERR INCR option supports a single increment-element pair")
    static let zsetCountNotPositive = CommandError("ERR value is out of range, must be positive")
    static let zsetRandomCountOutOfRange = CommandError("ERR value is out of range")
    static let zsetLimitWithoutByScoreOrLex =
        CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
    static let zsetWithScoresWithByLex = CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
    static let zsetWeightNotFloat = CommandError("ERR weight value is not a float")
    static let zsetNumkeysNotPositive = CommandError("ERR numkeys should be greater than 0")
    static let zsetCountNotGreaterThanZero = CommandError("ERR count should be greater than 0")
    static let zsetLimitNegative = CommandError("ERR LIMIT can't be negative")

    /// "ERR at least 1 input key is needed for 'zunionstore' command".
    static func zsetNoInputKeys(_ command: String) -> CommandError {
        CommandError("ERR at least 1 input key is needed for '\(command)' command")
    }
}

/// Parses ZRANGEBYSCORE-style bounds; "ERR min or max is not a float" on failure.
func parseZsetScoreRange(_ min: Bytes, _ max: Bytes) throws(CommandError) -> SortedSet.ScoreRange {
    guard let lo = parseZsetScoreBound(min), let hi = parseZsetScoreBound(max) else { throw .minMaxNotFloat }
    return SortedSet.ScoreRange(min: lo, max: hi)
}

/// Parses ZRANGEBYLEX-style bounds; "ERR min or max not valid string range item" on failure.
func parseZsetLexRange(_ min: Bytes, _ max: Bytes) throws(CommandError) -> SortedSet.LexRange {
    guard let lo = parseZsetLexBound(min), let hi = parseZsetLexBound(max) else { throw .minMaxNotString }
    return SortedSet.LexRange(min: lo, max: hi)
}

/// One score bound: "(" prefix = exclusive, then strtod as Redis calls it.
func parseZsetScoreBound(_ b: Bytes) -> SortedSet.ScoreBound? {
    if b.first == UInt8(ascii: "(") {
        guard let v = zsetStrtod(b[1...]) else { return nil }
        return SortedSet.ScoreBound(v, exclusive: true)
    }
    guard let v = zsetStrtod(b[...]) else { return nil }
    return SortedSet.ScoreBound(v, exclusive: false)
}

/// One lex bound.
func parseZsetLexBound(_ b: Bytes) -> SortedSet.LexBound? {
    guard let first = b.first else { return nil }
    switch first {
    case UInt8(ascii: "+"): return b.count == 1 ? .positiveInfinity : nil
    case UInt8(ascii: "-"): return b.count == 1 ? .negativeInfinity : nil
    case UInt8(ascii: "["): return .inclusive(Array(b[1...]))
    case UInt8(ascii: "("): return .exclusive(Array(b[1...]))
    default: return nil
    }
}

/// C strtod over `b` as Redis applies it to a NUL-terminated argument: the
/// parse must stop at a NUL byte (the end, or an embedded one); NaN is refused.
func zsetStrtod(_ b: ArraySlice<UInt8>) -> Double? {
    // Plain small integers, the common case, without a C string.
    if let i = parseInt64(b), i.magnitude < (1 << 53) { return Double(i) }
    var buffer = ContiguousArray<CChar>()
    buffer.reserveCapacity(b.count + 1)
    for c in b { buffer.append(CChar(bitPattern: c)) }
    buffer.append(0)
    return buffer.withUnsafeBufferPointer { p -> Double? in
        guard let start = p.baseAddress else { return nil }
        var end: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(start, &end)
        guard let end, end.pointee == 0, !v.isNaN else { return nil }
        return v
    }
}
