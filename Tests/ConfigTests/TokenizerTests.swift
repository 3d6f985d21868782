// Tests of ConfigTokenizer: Redis's sdssplitargs rules and sdscatrepr quoting.

import Testing
@testable import Config

@Suite struct TokenizerTests {
    @Test(arguments: [
        ("port 6379", ["port", "6379"]),
        ("  save   900 1  ", ["save", "900", "1"]),
        ("\tbind\t127.0.0.1   ::1", ["bind", "127.0.0.1", "::1"]),
        ("", []),
        ("   ", []),
        ("requirepass \"\"", ["requirepass", ""]),
        ("requirepass ''", ["requirepass", ""]),
        ("a \"b c\" d", ["a", "b c", "d"]),
        ("a 'b c' d", ["a", "b c", "d"]),
        ("ab\"c d\"", ["abc d"]),
        ("x \"tab\\there\"", ["x", "tab\there"]),
        ("x \"nl\\nand\\rcr\"", ["x", "nl\nand\rcr"]),
        ("x \"\\a\\b\"", ["x", "\u{07}\u{08}"]),
        ("x \"back\\\\slash\"", ["x", "back\\slash"]),
        ("x \"say \\\"hi\\\"\"", ["x", "say \"hi\""]),
        ("x \"\\x41\\x42c\"", ["x", "ABc"]),
        ("x \"\\xZZ\"", ["x", "xZZ"]),
        ("x \"\\q\"", ["x", "q"]),
        ("x 'it\\'s'", ["x", "it's"]),
        ("x 'no \\n escapes'", ["x", "no \\n escapes"]),
        ("x \"a\"\ty", ["x", "a", "y"]),
        ("x \"\\x4\"", ["x", "x4"]),
    ] as [(String, [String])])
    func splitsLikeSdssplitargs(line: String, words: [String]) throws {
        #expect(try ConfigTokenizer.split(line) == words)
    }

    @Test(arguments: [
        "x \"unterminated",
        "x 'unterminated",
        "x \"closed\"glued",
        "x 'closed'glued",
        "x \"a\"'b'",
        "x \"ends with backslash\\",
        "\"",
    ])
    func rejectsUnbalancedQuotes(line: String) {
        #expect(throws: ConfigTokenizer.UnbalancedQuotes.self) { try ConfigTokenizer.split(line) }
    }

    @Test func nulByteEndsTheLine() throws {
        #expect(try ConfigTokenizer.split("port 1\0 junk \"") == ["port", "1"])
    }

    @Test(arguments: ["", "plain", "two words", "quote\"inside", "back\\slash", "tab\tnl\ncr\r",
                      "\u{07}bell", "ünïcödé", "'single'", "\u{01}\u{7f}"])
    func quotingRoundTrips(word: String) throws {
        let q = ConfigTokenizer.quoted(word)
        #expect(try ConfigTokenizer.split("x " + q) == ["x", word])
    }

    @Test func quotingMatchesSdscatrepr() {
        #expect(ConfigTokenizer.quoted("a\u{07}\n\u{00}foo\r") == #""a\a\n\x00foo\r""#)
        #expect(ConfigTokenizer.quoted("dump.rdb") == "\"dump.rdb\"")
        #expect(ConfigTokenizer.quotedIfNeeded("127.0.0.1") == "127.0.0.1")
        #expect(ConfigTokenizer.quotedIfNeeded("a b") == "\"a b\"")
    }
}
