// CommandLineSplitterTests.swift — typed lines split like redis-cli's
// sdssplitargs, and the REPL's "N command" repeat prefix.

import Testing
import RESP
@testable import CLI

let lineSplits: [(String, [String])] = [
    ("", []),
    ("   ", []),
    ("ping", ["ping"]),
    ("set k v", ["set", "k", "v"]),
    ("\t set \t k\u{0B}v ", ["set", "k\u{0B}v"]),
    ("set a \"x y\"", ["set", "a", "x y"]),
    ("'hello world'", ["hello world"]),
    ("\"\"", [""]),
    ("\"\\\"quoted\\\"\"", ["\"quoted\""]),
    ("'it\\'s'", ["it's"]),
    ("'no\\nescape'", ["no\\nescape"]),
    ("a\"b c\"", ["ab c"]),
    ("get k\r", ["get", "k"]),
    ("\u{00E9}t\u{00E9}", ["\u{00E9}t\u{00E9}"]),
]

@Test("a typed line splits like sdssplitargs", arguments: lineSplits)
func typedLineSplits(line: String, expected: [String]) {
    #expect(splitCommandLine(line) == expected)
}

@Test("double quotes understand C escapes and \\xHH")
func doubleQuoteEscapes() {
    #expect(splitCommandLine(Array("\"a\\nb\\rc\\td\\be\\af\"".utf8)) == [[97, 10, 98, 13, 99, 9, 100, 8, 101, 7, 102]])
    #expect(splitCommandLine(Array("\"\\x41\\x4a\\xff\"".utf8)) == [[0x41, 0x4A, 0xFF]])
    #expect(splitCommandLine(Array("\"\\xZZ\"".utf8)) == [Array("xZZ".utf8)])
}

@Test("a NUL byte ends the line, as in C")
func nulEndsLine() {
    #expect(splitCommandLine([0x61, 0x20, 0x62, 0x00, 0x63]) == [[0x61], [0x62]])
}

@Test("unclosed quotes or a quote followed by text make the line invalid",
      arguments: ["\"abc", "'abc", "\"abc\"def", "'abc'def", "set \"a", "\"abc\\\""])
func invalidQuoting(line: String) {
    #expect(splitCommandLine(line) == nil)
}

let repeatPrefixes: [([String], RepeatPrefix)] = [
    (["3", "incr", "n"], .repeat(3)),
    (["+2", "ping"], .repeat(2)),
    (["0", "ping"], .invalid),
    (["-1", "ping"], .invalid),
    (["", "ping"], .invalid),
    (["99999999999999999999", "ping"], .invalid),
    (["3"], .none),
    (["3x", "ping"], .none),
    (["ping", "3"], .none),
    (["+", "ping"], .none),
]

@Test("a leading number repeats the command; a non-positive one is rejected", arguments: repeatPrefixes)
func repeatPrefixRule(arguments: [String], expected: RepeatPrefix) {
    #expect(repeatPrefix(of: arguments.map { Array($0.utf8) }) == expected)
}
