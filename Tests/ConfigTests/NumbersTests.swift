// Tests of number syntaxes (memtoull units, string2ll strictness), memory
// formatting for REWRITE, glob matching and path helpers.

import Testing
@testable import Config

@Suite struct NumbersTests {
    @Test(arguments: [
        ("0", 0), ("1", 1), ("100", 100), ("1b", 1), ("1B", 1),
        ("1k", 1000), ("1K", 1000), ("1kb", 1024), ("1KB", 1024), ("1kB", 1024),
        ("1m", 1_000_000), ("1mb", 1_048_576), ("1Mb", 1_048_576),
        ("1g", 1_000_000_000), ("1gb", 1_073_741_824), ("1GB", 1_073_741_824),
        ("256mb", 268_435_456), ("64mb", 67_108_864), ("512mb", 536_870_912),
    ] as [(String, Int)])
    func memoryUnitsFollowMemtoull(text: String, bytes: Int) {
        #expect(ConfigNumbers.parseMemory(text) == bytes)
    }

    @Test(arguments: ["", "kb", "-1", "-1mb", "1tb", "1 mb", "1.5mb", "+1", " 1", "1mbb", "99999999999999999999",
                      "9999999999gb"])
    func malformedMemoryIsRejected(text: String) {
        #expect(ConfigNumbers.parseMemory(text) == nil)
    }

    @Test(arguments: [
        (0, "0"), (1000, "1000"), (1024, "1kb"), (1536, "1536"), (1 << 20, "1mb"), (3 << 20, "3mb"),
        (1 << 30, "1gb"), (5 << 30, "5gb"), (1025, "1025"),
    ] as [(Int, String)])
    func memoryIsFormattedWithTheLargestExactUnit(bytes: Int, text: String) {
        #expect(ConfigNumbers.formatMemory(bytes) == text)
    }

    @Test(arguments: [("0", 0), ("7", 7), ("-2", -2), ("9223372036854775807", Int.max),
                      ("-9223372036854775808", Int.min)] as [(String, Int)])
    func integersParseStrictly(text: String, value: Int) {
        #expect(ConfigNumbers.parseInteger(text) == value)
    }

    @Test(arguments: ["", "-", "+1", "01", "-0", "1x", " 1", "1 ", "9223372036854775808", "1e3", "0x10"])
    func looseIntegersAreRejected(text: String) {
        #expect(ConfigNumbers.parseInteger(text) == nil)
    }

    @Test(arguments: [
        ("*", "anything", true), ("port", "port", true), ("port", "ports", false),
        ("*max*", "maxmemory", true), ("repl-*", "repl-timeout", true), ("repl-*", "replica-priority", false),
        ("h?", "hz", true), ("h?", "h", false), ("[pt]*", "port", true), ("[^pt]*", "port", false),
        ("[a-c]at", "bat", true), ("[a-c]at", "dat", false), ("a\\*b", "a*b", true), ("a\\*b", "axb", false),
        ("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("PORT", "port", true),
    ] as [(String, String, Bool)])
    func globMatchesLikeStringmatch(pattern: String, text: String, matches: Bool) {
        #expect(GlobPattern.matches(pattern, text, caseInsensitive: true) == matches)
    }

    @Test(arguments: [
        ("a.conf", "/etc/redis", "/etc/redis/a.conf"),
        ("../a.conf", "/etc/redis", "/etc/a.conf"),
        ("./x/./y/../z.conf", "/d", "/d/x/z.conf"),
        ("/abs//path/", "/d", "/abs/path"),
        ("../../../..", "/a", "/"),
    ])
    func pathsResolveLexically(path: String, base: String, expected: String) {
        #expect(ConfigPath.absolute(path, relativeTo: base) == expected)
    }

    @Test func percentilesPrintLikeTrimmedPercentF() {
        #expect(ConfigNumbers.formatPercentile(50) == "50")
        #expect(ConfigNumbers.formatPercentile(99.9) == "99.9")
        #expect(ConfigNumbers.formatPercentile(99.99) == "99.99")
        #expect(ConfigNumbers.formatPercentile(0.5) == "0.5")
    }
}
