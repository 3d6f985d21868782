// LineEditorTests.swift — the prompt's line editing: keys decoded from
// terminal bytes, editing, history recall, and the redraw sequence.

import Testing
@testable import CLI

/// Decodes `bytes` into keys.
func keys(_ bytes: [UInt8]) -> [Key] {
    var decoder = KeyDecoder()
    return bytes.compactMap { decoder.feed($0) }
}

/// Types `bytes` into an editor; returns the editor and the last action.
func type(_ bytes: [UInt8], history: [String] = []) -> (LineEditor, EditorAction) {
    var editor = LineEditor(history: history)
    var last = EditorAction.none
    for key in keys(bytes) { last = editor.handle(key) }
    return (editor, last)
}

@Test("escape sequences, control keys and UTF-8 decode to keys")
func keyDecoding() {
    #expect(keys([0x1b, 0x5b, 0x41, 0x1b, 0x5b, 0x42, 0x1b, 0x5b, 0x43, 0x1b, 0x5b, 0x44]) == [.up, .down, .right, .left])
    #expect(keys(Array("\u{1b}[3~\u{1b}[1~\u{1b}[4~\u{1b}OH\u{1b}OF".utf8)) == [.delete, .home, .end, .home, .end])
    #expect(keys([1, 3, 4, 5, 11, 12, 13, 21, 23, 127]) ==
            [.home, .interrupt, .endOfInput, .end, .killToEnd, .clearScreen, .enter, .killLine, .deleteWord, .backspace])
    #expect(keys([0xc3, 0xa9, 0x61]) == [.character("é"), .character("a")])
    #expect(keys([0x1b, 0x5b, 0x31, 0x3b, 0x35, 0x43]) == [.right])   // ctrl-right reads as right
    #expect(keys([0xff, 0x61]) == [.ignored, .character("a")])
}

@Test("typing, moving and deleting edit the line at the cursor")
func editing() {
    #expect(type(Array("echo abc\u{1b}[D\u{1b}[DX\r".utf8)).1 == .submit("echo aXbc"))
    #expect(type(Array("hello\u{01}\u{0b}bye\r".utf8)).1 == .submit("bye"))
    #expect(type(Array("set key value\u{17}\u{17}\r".utf8)).1 == .submit("set "))
    #expect(type(Array("ab\u{7f}c\r".utf8)).1 == .submit("ac"))
    #expect(type(Array("abc\u{01}\u{04}\r".utf8)).1 == .submit("bc"))
    #expect(type(Array("ab\u{02}\u{14}\r".utf8)).1 == .submit("ba"))
}

@Test("^C, and ^D on an empty line, end input")
func quitting() {
    #expect(type([0x61, 0x03]).1 == .quit)
    #expect(type([0x04]).1 == .quit)
}

@Test("up and down walk the history, keeping unsent edits")
func historyRecall() {
    let history = ["get a", "set b 1"]
    #expect(type(Array("\u{1b}[A\r".utf8), history: history).1 == .submit("set b 1"))
    #expect(type(Array("\u{1b}[A\u{1b}[A\u{1b}[A\r".utf8), history: history).1 == .submit("get a"))
    #expect(type(Array("new\u{1b}[A\u{1b}[B\r".utf8), history: history).1 == .submit("new"))
    #expect(type(Array("\u{1b}[A!\u{1b}[A\u{1b}[B\r".utf8), history: history).1 == .submit("set b 1!"))
}

@Test("the redraw writes prompt and line, clears the rest and places the cursor")
func rendering() {
    let (editor, _) = type(Array("abc\u{1b}[D".utf8))
    #expect(String(decoding: editor.rendering(prompt: "> ", columns: 80), as: UTF8.self) == "\r> abc\u{1b}[0K\r\u{1b}[4C")
    // A line wider than the terminal scrolls to keep the cursor visible.
    let (long, _) = type(Array("0123456789".utf8))
    #expect(String(decoding: long.rendering(prompt: "> ", columns: 8), as: UTF8.self) == "\r> 56789\u{1b}[0K\r\u{1b}[7C")
}
