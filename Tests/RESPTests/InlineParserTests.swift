// InlineParserTests.swift — inline requests split exactly like Redis's
// sdssplitargs: blanks, quotes, escapes, and the unbalanced-quote error.

import Testing
@testable import RESP

/// Splits one inline line (no terminator) with the module's splitter.
func split(_ line: String) -> Result<[Bytes], ProtocolError> {
    b(line).withUnsafeBytes { buf in
        Result { () throws(ProtocolError) in try splitInlineArguments(buf) }
    }
}

let inlineSplits: [(String, [Bytes])] = [
    ("", []),
    ("   ", []),
    ("ping", [b("ping")]),
    ("set k v", [b("set"), b("k"), b("v")]),
    ("\t set \t k\u{0B}v ", [b("set"), b("k\u{0B}v")]),          // \v skipped between args, kept inside
    ("\u{0B}\u{0C}a", [b("a")]),
    ("\"hello world\"", [b("hello world")]),
    ("'hello world'", [b("hello world")]),
    ("\"\"", [b("")]),
    ("''", [b("")]),
    ("\"a\\nb\\rc\\td\\be\\af\"", [[97, 10, 98, 13, 99, 9, 100, 8, 101, 7, 102]]),
    ("\"\\x41\\x4a\\x4B\\xff\"", [[0x41, 0x4A, 0x4B, 0xFF]]),
    ("\"\\xZZ\"", [b("xZZ")]),                                   // not hex: backslash escapes 'x'
    ("\"\\\"quoted\\\"\"", [b("\"quoted\"")]),
    ("\"back\\\\slash\"", [b("back\\slash")]),
    ("'it\\'s'", [b("it's")]),
    ("'no\\nescape'", [b("no\\nescape")]),
    ("a\"b c\"", [b("ab c")]),                                    // a quote opens mid-argument
    ("x \"y\" z", [b("x"), b("y"), b("z")]),
    ("\u{00E9}t\u{00E9}", [b("\u{00E9}t\u{00E9}")]),
]

@Test("an inline line splits like sdssplitargs", arguments: inlineSplits)
func inlineSplit(line: String, expected: [Bytes]) throws {
    #expect(try split(line).get() == expected)
}

let unbalancedLines = [
    "\"abc",
    "'abc",
    "\"abc\"def",
    "'abc'def",
    "a\"b c\"d",
    "\"abc\\\"",
    "set \"\"\"test-key\"\"\" test-value",
]

@Test("unclosed quotes or a closing quote not followed by a blank are unbalanced", arguments: unbalancedLines)
func inlineUnbalanced(line: String) {
    #expect(throws: ProtocolError("Protocol error: unbalanced quotes in request")) { try split(line).get() }
}

@Test("an inline request ends at LF, with or without CR before it")
func inlineLineEndings() {
    #expect(parseRequest(b("get k\n")) == .frame([b("get"), b("k")], consumed: 6))
    #expect(parseRequest(b("get k\r\n")) == .frame([b("get"), b("k")], consumed: 7))
    #expect(parseRequest(b("get k\r")) == .needMore)
    #expect(parseRequest(b("get \"a\rb\"\n")) == .frame([b("get"), b("a\rb")], consumed: 10))
}
