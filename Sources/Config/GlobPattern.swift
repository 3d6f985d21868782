// GlobPattern: Redis's `stringmatchlen` glob matching (used by CONFIG GET and
// by the in-memory file system's `include` globbing).
//
// Syntax: `*` any run of bytes, `?` one byte, `[abc]`, `[^abc]`, `[a-z]`
// classes, `\x` matches x literally. Matching is byte-wise; `nocase` folds
// ASCII letters. The algorithm is the classic single-backtrack-point
// wildcard match, O(pattern × text) in the worst case, never exponential.

/// Redis-style glob matching.
public enum GlobPattern {
    /// True when `text` matches `pattern` (Redis `stringmatch` semantics).
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array(pattern.utf8)
        let s = Array(text.utf8)
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                if p[pi] == UInt8(ascii: "*") {
                    // Collapse runs of stars; remember where to resume.
                    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                    if pi == p.count { return true }
                    starP = pi
                    starS = si
                    continue
                }
                if let next = matchOne(p, pi, s[si], caseInsensitive) {
                    pi = next
                    si += 1
                    continue
                }
            }
            // Mismatch: backtrack to the last star, consuming one more byte.
            guard starP >= 0 else { return false }
            starS += 1
            si = starS
            pi = starP
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    /// Matches the single pattern element at `pi` against byte `c`.
    /// Returns the index after the element, or nil on mismatch.
    private static func matchOne(_ p: [UInt8], _ pi: Int, _ c: UInt8, _ nocase: Bool) -> Int? {
        switch p[pi] {
        case UInt8(ascii: "?"):
            return pi + 1
        case UInt8(ascii: "["):
            var i = pi + 1
            var negate = false
            if i < p.count && p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
            var matched = false
            while i < p.count && p[i] != UInt8(ascii: "]") {
                if p[i] == UInt8(ascii: "\\") && i + 1 < p.count {
                    i += 1
                    if same(p[i], c, nocase) { matched = true }
                    i += 1
                } else if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                    var lo = p[i], hi = p[i + 2]
                    if lo > hi { swap(&lo, &hi) }
                    let x = nocase ? lower(c) : c
                    let l = nocase ? lower(lo) : lo, h = nocase ? lower(hi) : hi
                    if x >= l && x <= h { matched = true }
                    i += 3
                } else {
                    if same(p[i], c, nocase) { matched = true }
                    i += 1
                }
            }
            // An unterminated class behaves like Redis: the class ends at the pattern end.
            let after = i < p.count ? i + 1 : i
            return (matched != negate) ? after : nil
        case UInt8(ascii: "\\") where pi + 1 < p.count:
            return same(p[pi + 1], c, nocase) ? pi + 2 : nil
        default:
            return same(p[pi], c, nocase) ? pi + 1 : nil
        }
    }

    @inline(__always)
    private static func same(_ a: UInt8, _ b: UInt8, _ nocase: Bool) -> Bool {
        nocase ? lower(a) == lower(b) : a == b
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 {
        (b >= 65 && b <= 90) ? b + 32 : b
    }
}
