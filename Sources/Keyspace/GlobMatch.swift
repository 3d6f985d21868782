// GlobMatch: Redis's glob-style pattern matching (KEYS, SCAN MATCH, PSUBSCRIBE,
// CONFIG GET, ACL patterns) on raw bytes, with the results of Redis 7's
// stringmatchlen().
//
// Pattern syntax:
//   *        any run of bytes (also empty)
//   ?        any one byte
//   [abc]    one byte from the set; [^abc] one byte not in it; [a-z] a range
//            (ends swapped if reversed); \x inside a class is a literal x
//   \x       a literal x (a trailing lone \ is a literal backslash)
//   other    itself (ASCII-case-folded when caseInsensitive)
//
// Redis quirks reproduced on purpose:
// 1. An empty string matches only the empty pattern (Redis's loop never runs
//    for an empty string, so even "*" fails; KEYS/SCAN special-case "*" alone).
// 2. A class missing its "]" runs to the end of the pattern; "[" alone matches
//    nothing; "[^" alone matches any byte.
// 3. With caseInsensitive, an escaped byte inside a class still compares
//    case-sensitively, and a range folds its ends after ordering them.
// 4. A match that must cross more than 1000 star groups (not counting a
//    trailing one) fails: Redis's recursion-depth guard.
//
// Algorithm: every token except "*" consumes exactly one byte, so the classic
// linear-backtracking matcher is exact: remember the most recent star and, on a
// mismatch, let it swallow one more byte. Earlier stars never need revisiting
// (anything they could swallow the latest star can swallow too), so the cost
// is O(pattern × string) in the worst case with no recursion, whereas naive
// backtracking is exponential on patterns like "*a*a*a*a*b".

/// Matches `string` against the glob `pattern` with Redis's semantics.
@inlinable
public func globMatch(pattern: some Collection<UInt8>, string: some Collection<UInt8>,
                      caseInsensitive: Bool = false) -> Bool {
    let fast: Bool?? = pattern.withContiguousStorageIfAvailable { p in
        string.withContiguousStorageIfAvailable { s in
            globMatchBytes(p, s, caseInsensitive)
        }
    }
    if let result = fast ?? nil { return result }
    let p = ContiguousArray(pattern)
    let s = ContiguousArray(string)
    return p.withUnsafeBufferPointer { pb in
        s.withUnsafeBufferPointer { sb in globMatchBytes(pb, sb, caseInsensitive) }
    }
}

/// ASCII lower case (the C locale's tolower).
@inline(__always)
func globLower(_ c: UInt8) -> UInt8 {
    c >= 0x41 && c <= 0x5A ? c | 0x20 : c
}

/// Tries the single-byte token at pattern index `pi` (not a star) against `c`.
/// Returns the index after the token on a match, or -1.
@inline(__always)
func globMatchToken(_ p: UnsafeBufferPointer<UInt8>, _ pi: Int, _ c: UInt8, _ nocase: Bool) -> Int {
    let plen = p.count
    switch p[pi] {
    case UInt8(ascii: "?"):
        return pi + 1
    case UInt8(ascii: "["):
        var j = pi + 1
        let negate = j < plen && p[j] == UInt8(ascii: "^")
        if negate { j += 1 }
        var matched = false
        while true {
            if j < plen && p[j] == UInt8(ascii: "\\") && plen - j >= 2 {
                j += 1
                if p[j] == c { matched = true }      // case-sensitive even with nocase (quirk 3)
            } else if j < plen && p[j] == UInt8(ascii: "]") {
                break
            } else if j >= plen {
                j -= 1                              // unterminated: the class ends with the pattern
                break
            } else if plen - j >= 3 && p[j + 1] == UInt8(ascii: "-") {
                var lo = p[j]
                var hi = p[j + 2]
                var x = c
                if lo > hi { swap(&lo, &hi) }
                if nocase {
                    lo = globLower(lo)
                    hi = globLower(hi)
                    x = globLower(x)
                }
                j += 2
                if x >= lo && x <= hi { matched = true }
            } else if nocase ? globLower(p[j]) == globLower(c) : p[j] == c {
                matched = true
            }
            j += 1
        }
        return matched != negate ? j + 1 : -1
    case UInt8(ascii: "\\") where plen - pi >= 2:
        let lit = p[pi + 1]
        return (nocase ? globLower(lit) == globLower(c) : lit == c) ? pi + 2 : -1
    default:
        let lit = p[pi]
        return (nocase ? globLower(lit) == globLower(c) : lit == c) ? pi + 1 : -1
    }
}

/// The matcher on contiguous bytes (see the file header for the algorithm).
@usableFromInline
func globMatchBytes(_ p: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>, _ nocase: Bool) -> Bool {
    let plen = p.count
    let slen = s.count
    if slen == 0 { return plen == 0 }                           // quirk 1
    let star = UInt8(ascii: "*")
    var pi = 0
    var si = 0
    var resumePi = -1          // pattern index just after the latest star group
    var resumeSi = 0           // string index that star group's match would end at
    var starGroups = 0
    var furthestStar = -1
    while si < slen {
        if pi < plen && p[pi] == star {
            while pi < plen && p[pi] == star { pi += 1 }
            if pi == plen { return true }                           // trailing star swallows the rest
            if pi > furthestStar {
                furthestStar = pi
                starGroups += 1
                if starGroups > 1000 { return false }               // quirk 4
            }
            resumePi = pi
            resumeSi = si
            continue
        }
        if pi < plen {
            let next = globMatchToken(p, pi, s[si], nocase)
            if next >= 0 {
                pi = next
                si += 1
                continue
            }
        }
        if resumePi < 0 { return false }
        resumeSi += 1                                               // the star takes one more byte
        pi = resumePi
        si = resumeSi
    }
    while pi < plen && p[pi] == star { pi += 1 }
    return pi == plen
}
