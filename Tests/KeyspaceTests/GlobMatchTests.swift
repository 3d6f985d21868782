// GlobMatchTests: Redis stringmatchlen() behaviour — the syntax, its quirks,
// case folding, protection against exponential patterns, and a differential
// check against a direct recursive transcription of Redis's algorithm.

import Testing
@testable import Keyspace

private func match(_ pattern: String, _ string: String, nocase: Bool = false) -> Bool {
    globMatch(pattern: Array(pattern.utf8), string: Array(string.utf8), caseInsensitive: nocase)
}

/// Deterministic generator for reproducible random cases.
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

/// Redis's recursive matcher written out step by step (slow but obviously
/// faithful), including the NUL that C sees one past the end of the pattern.
private struct ReferenceMatcher {
    let p: [UInt8]
    let s: [UInt8]
    let nocase: Bool

    func at(_ i: Int) -> UInt8 { i < p.count ? p[i] : 0 }
    func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    func run() -> Bool {
        var skip = false
        return impl(0, 0, nesting: 0, skipLonger: &skip)
    }

    func impl(_ pStart: Int, _ sStart: Int, nesting: Int, skipLonger: inout Bool) -> Bool {
        if nesting > 1000 { return false }
        var pi = pStart, si = sStart
        var plen = p.count - pStart, slen = s.count - sStart
        while plen > 0 && slen > 0 {
            switch at(pi) {
            case UInt8(ascii: "*"):
                while plen > 0 && at(pi + 1) == UInt8(ascii: "*") { pi += 1; plen -= 1 }
                if plen == 1 { return true }
                while slen > 0 {
                    if impl(pi + 1, si, nesting: nesting + 1, skipLonger: &skipLonger) { return true }
                    if skipLonger { return false }
                    si += 1; slen -= 1
                }
                skipLonger = true
                return false
            case UInt8(ascii: "?"):
                si += 1; slen -= 1
            case UInt8(ascii: "["):
                pi += 1; plen -= 1
                let not = at(pi) == UInt8(ascii: "^")
                if not { pi += 1; plen -= 1 }
                var matched = false
                while true {
                    if at(pi) == UInt8(ascii: "\\") && plen >= 2 {
                        pi += 1; plen -= 1
                        if at(pi) == s[si] { matched = true }
                    } else if at(pi) == UInt8(ascii: "]") {
                        break
                    } else if plen == 0 {
                        pi -= 1; plen += 1
                        break
                    } else if plen >= 3 && at(pi + 1) == UInt8(ascii: "-") {
                        var start = at(pi), end = at(pi + 2), c = s[si]
                        if start > end { swap(&start, &end) }
                        if nocase { start = lower(start); end = lower(end); c = lower(c) }
                        pi += 2; plen -= 2
                        if c >= start && c <= end { matched = true }
                    } else if nocase ? lower(at(pi)) == lower(s[si]) : at(pi) == s[si] {
                        matched = true
                    }
                    pi += 1; plen -= 1
                }
                if not { matched.toggle() }
                if !matched { return false }
                si += 1; slen -= 1
            default:
                if at(pi) == UInt8(ascii: "\\") && plen >= 2 { pi += 1; plen -= 1 }
                if nocase ? lower(at(pi)) != lower(s[si]) : at(pi) != s[si] { return false }
                si += 1; slen -= 1
            }
            pi += 1; plen -= 1
            if slen == 0 {
                while at(pi) == UInt8(ascii: "*") { pi += 1; plen -= 1 }
                break
            }
        }
        return plen == 0 && slen == 0
    }
}

@Suite("globMatch")
struct GlobMatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String, string: String, nocase: Bool, expected: Bool
        init(_ pattern: String, _ string: String, _ expected: Bool, nocase: Bool = false) {
            self.pattern = pattern; self.string = string; self.expected = expected; self.nocase = nocase
        }
        var testDescription: String { "\(pattern) ~ \(string)\(nocase ? " (nocase)" : "") → \(expected)" }
    }

    static let cases: [Case] = [
        // The documented KEYS examples.
        Case("h?llo", "hello", true), Case("h?llo", "hallo", true), Case("h?llo", "hllo", false),
        Case("h*llo", "hllo", true), Case("h*llo", "heeeello", true), Case("h*llo", "hellox", false),
        Case("h[ae]llo", "hello", true), Case("h[ae]llo", "hallo", true), Case("h[ae]llo", "hillo", false),
        Case("h[^e]llo", "hallo", true), Case("h[^e]llo", "hbllo", true), Case("h[^e]llo", "hello", false),
        Case("h[a-b]llo", "hallo", true), Case("h[a-b]llo", "hbllo", true), Case("h[a-b]llo", "hcllo", false),
        // Escapes.
        Case("h\\*llo", "h*llo", true), Case("h\\*llo", "hello", false), Case("\\?", "?", true),
        Case("\\?", "a", false), Case("\\", "\\", true), Case("a\\", "a\\", true),
        Case("[\\]]", "]", true), Case("[\\-]", "-", true), Case("[a\\-z]", "b", false),
        // Empty strings and stars (quirk: an empty string matches only an empty pattern).
        Case("", "", true), Case("*", "", false), Case("**", "", false), Case("", "a", false),
        Case("*", "anything", true), Case("a*", "a", true), Case("a**", "a", true), Case("*a", "a", true),
        Case("a*b*c", "abc", true), Case("a*b*c", "axxbyyc", true), Case("a*b*c", "acb", false),
        Case("*.txt", "notes.txt", true), Case("*.txt", "notes.txt.bak", false),
        // Classes: ranges in either order, unterminated classes, odd corners.
        Case("[z-a]", "m", true), Case("[a-z]", "M", false), Case("[a-]", "-", false),
        Case("[abc", "b", true), Case("[abc", "d", false), Case("[", "[", false), Case("[", "a", false),
        Case("[^", "x", true), Case("[^", "^", true), Case("[]", "]", false), Case("[]]", "]", false),
        Case("[]a]", "]", false), Case("[]a]", "a]", false), Case("[^]a", "xa", true),
        Case("[a-c-e]", "d", false), Case("[a-c-e]", "-", true), Case("[a-c-e]", "e", true),
        // Case folding.
        Case("HELLO", "hello", true, nocase: true), Case("HELLO", "hello", false),
        Case("h[A-Z]llo", "hello", true, nocase: true), Case("[Z-a]", "_", true),
        Case("[Z-a]", "_", false, nocase: true), Case("[\\A]", "a", false, nocase: true),
        Case("[A]", "a", true, nocase: true), Case("\\A", "a", true, nocase: true),
        // Non-ASCII bytes are matched as bytes, never folded.
        Case("\u{e9}*", "\u{e9}t\u{e9}", true), Case("\u{c9}", "\u{e9}", false, nocase: true),
    ]

    @Test("matches Redis's results", arguments: cases)
    func redisCases(_ c: Case) {
        #expect(match(c.pattern, c.string, nocase: c.nocase) == c.expected)
        let reference = ReferenceMatcher(p: Array(c.pattern.utf8), s: Array(c.string.utf8), nocase: c.nocase).run()
        #expect(reference == c.expected, "the reference transcription disagrees too")
    }

    @Test("agrees with a transcription of Redis's recursive matcher on random inputs", arguments: [1, 2] as [UInt64])
    func differentialAgainstReference(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        let patternAlphabet = Array("ab*?[]^-\\A".utf8)
        let stringAlphabet = Array("abA-]^\\*".utf8)
        for _ in 0..<20_000 {
            let p = (0..<Int.random(in: 0...8, using: &g)).map { _ in patternAlphabet.randomElement(using: &g) ?? 0 }
            let s = (0..<Int.random(in: 0...7, using: &g)).map { _ in stringAlphabet.randomElement(using: &g) ?? 0 }
            let nocase = Bool.random(using: &g)
            let want = ReferenceMatcher(p: p, s: s, nocase: nocase).run()
            let got = globMatch(pattern: p, string: s, caseInsensitive: nocase)
            if got != want {
                Issue.record("pattern \(String(decoding: p, as: UTF8.self)) string \(String(decoding: s, as: UTF8.self)) nocase \(nocase): got \(got), Redis \(want)")
                return
            }
        }
    }

    @Test("pathological star patterns finish quickly")
    func noExponentialBlowup() {
        let pattern = String(repeating: "*a", count: 40) + "*b"
        let string = String(repeating: "a", count: 5000)
        #expect(!match(pattern, string))
        #expect(match(pattern, string + "b"))
        let classes = String(repeating: "*[a-z]", count: 60) + "!"
        #expect(!match(classes, String(repeating: "q", count: 3000)))
    }

    @Test("a match needing more than 1000 star groups fails, like Redis's nesting guard")
    func starGroupLimit() {
        let s = String(repeating: "a", count: 1001)
        #expect(match(String(repeating: "*a", count: 1000) + "*", s))
        #expect(!match(String(repeating: "*a", count: 1001), s))
        #expect(match(String(repeating: "*a", count: 1000), String(repeating: "a", count: 1000)))
        #expect(!match(String(repeating: "*a", count: 1001) + "*", s))
        let reference = ReferenceMatcher(p: Array((String(repeating: "*a", count: 1001) + "*").utf8),
                                         s: Array(s.utf8), nocase: false)
        #expect(!reference.run())
    }

    @Test("accepts any byte collection: slices, UTF-8 views, non-contiguous ones")
    func genericCollections() {
        let buffer: [UInt8] = Array("xxuser:42yy".utf8)
        #expect(globMatch(pattern: "user:*".utf8, string: buffer[2..<9]))
        let deque: Deque<UInt8> = Deque("user:7".utf8)
        #expect(globMatch(pattern: Array("user:?".utf8), string: deque))
        #expect(!globMatch(pattern: deque, string: "user:8".utf8))
    }
}
